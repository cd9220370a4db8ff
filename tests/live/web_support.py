"""Support for the coaching-screen tests: real reps, scripted live events, a server thread.

Scripted events say what a session says about a list of reps, in the order it says it.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

from rich.console import Console

from imu.ble.client import DeviceInfo
from imu.core import RepAnalyzer
from imu.core.metrics import Rep
from imu.exercises import get_profile
from imu.io.recording import read_recording
from imu.live.events import (
    Connected,
    LiveEvent,
    PaceCue,
    PhaseStarted,
    Progress,
    RepDone,
    SetEnded,
    SourceInfo,
)
from imu.live.views import RichView
from imu.live.web.server import CoachingServer, WebAddress
from imu.live.web.state import CoachingState
from imu.live.web.view import WebView
from imu.tempo import Tempo, parse_tempo

ROOT = Path(__file__).resolve().parents[2]
CRUNCH_TEMPO = parse_tempo("3-1-3")


@cache
def crunch_reps() -> tuple[Rep, ...]:
    """The bundled reverse crunch (2 x 6 reps at 3-1-3, swings and dropped eccentrics)."""
    rec = read_recording(ROOT / "recordings" / "reverse_crunch.parquet")
    analyzer = RepAnalyzer(get_profile("reverse-crunch"), rec.sampling_rate_hz, CRUNCH_TEMPO)
    reps = analyzer.update(rec.acc, rec.gyr) + analyzer.finish()
    assert len(reps) == 12
    return tuple(reps)


INFO = DeviceInfo(name="hip-imu sim", address="C0:FF:EE:00:00:01", mtu=247, status=None,
                  battery_percent=87)
DETECTION_S = 0.3
"""Scripted detection delay of a phase start, s (data time)."""


def progress(seconds: float, gaps: int = 0, lost: int = 0) -> Progress:
    return Progress(samples=round(seconds * 52), seconds=seconds, lost_samples=lost, gaps=gaps,
                    clock_drift_ppm=None, journal_error=None)


def rep_events(rep: Rep, number: int, tempo: Tempo) -> Iterator[LiveEvent]:
    """Phase starts, a pace cue when the eccentric runs at under half its prescription, done."""
    yield PhaseStarted("concentric", number, rep.con_start_s, rep.con_start_s + DETECTION_S,
                       tempo.concentric_s)
    yield PhaseStarted("top_hold", number, rep.con_end_s, rep.con_end_s + DETECTION_S,
                       tempo.top_hold_s)
    yield PhaseStarted("eccentric", number, rep.ecc_start_s, rep.ecc_start_s + DETECTION_S,
                       tempo.eccentric_s)
    if rep.eccentric_s < 0.5 * tempo.eccentric_s:
        elapsed = 0.5 * rep.eccentric_s
        yield PaceCue("eccentric", number, elapsed, rep.eccentric_s, tempo.eccentric_s,
                      "slower")
    # rep_ended: a rep ended here, its RepDone follows (as the session says it).
    yield PhaseStarted("bottom_pause", number, rep.ecc_end_s, rep.ecc_end_s + DETECTION_S,
                       tempo.bottom_pause_s, rep_ended=True)
    yield RepDone(rep, received_s=0.0, emitted_s=0.0)


def session_events(reps: Sequence[Rep], tempo: Tempo) -> Iterator[LiveEvent]:
    """Connected, then every rep's events, a progress line after each, SetEnded after a set."""
    yield Connected(INFO, reconnect=False)
    for i, rep in enumerate(reps):
        yield from rep_events(rep, i + 1, tempo)
        yield progress(rep.ecc_end_s + DETECTION_S)
        last_of_set = i + 1 == len(reps) or reps[i + 1].set != rep.set
        if last_of_set:
            yield SetEnded(rep.set, tuple(r for r in reps if r.set == rep.set))


class ServerThread:
    """A :class:`CoachingServer` on its own event loop in a thread, fed events from the test.

    ``with ServerThread(state) as srv``: ``srv.url`` is the page; ``srv.feed(events)`` applies
    events in the server's loop (as a session would) and returns once they are applied.
    """

    def __init__(self, state: CoachingState) -> None:
        self.view = WebView(state)
        self.server = CoachingServer(self.view, WebAddress("127.0.0.1", 0))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.url = ""

    def __enter__(self) -> ServerThread:
        self.thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self

    def feed(self, events: Iterable[object]) -> None:
        async def apply() -> None:
            for event in events:
                self.view(event)

        asyncio.run_coroutine_threadsafe(apply(), self.loop).result(10)

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


SENSOR = SourceInfo("HipIMU-S", "C0:FF:EE:00:00:01")
"""The simulated sensor's name and address, as views show them."""


class ManualClock:
    """A clock the test moves by hand (``clock.now += 5``), s; starts at 100."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def rendered(view: RichView, width: int = 100) -> str:
    """What the terminal view shows, as plain text ``width`` columns wide."""
    buf = io.StringIO()
    Console(file=buf, width=width).print(view.render())
    return buf.getvalue()
