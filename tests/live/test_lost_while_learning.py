"""A sensor lost while the movement is learned, and the rep over the loss afterwards.

Trial 24: ``imu live --sim reverse-crunch --sim-disconnect-at 12 --sim-reconnect-after 8``
on an 80 x 24 terminal read "-" / "reps: counted once learned" before the loss, then a large
"0" with "reps · set 1" beside LOST (two reps had been done), then "-" again once back: the
count is "-" until the movement is learned, the sensor there or not (docs/live.md). And the
rep counted across the loss showed "hold 8.1/1": the 8 s without data counted as its hold.
"""

from __future__ import annotations

import io

from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    OVER_GAP,
    Connected,
    Disconnected,
    Progress,
    RepDone,
    SourceInfo,
    phases_over_gap,
)
from imu.live.views import PlainView, RichView, rep_line
from imu.live.web.state import CoachingState
from imu.tempo import parse_tempo
from tests.live.web_support import CRUNCH_TEMPO, ManualClock
from tests.report.helpers import make_rep

RATE = 52
INFO = SourceInfo("HipIMU-S", "C0:FF:EE:00:00:01")
TEMPO = parse_tempo("2-1-2")
PENDING = "reps: counted once learned"
SHOWN = "reps: counted once"  # on a panel its words may wrap before "learned"
# Lost at data 12 s for 8 s; the rep across it: up 10-12 s, "hold" 12-20.1 s, down 20.1-22 s.
ACROSS = make_rep(1, 3, 10.0, concentric_s=2.0, top_hold_s=8.1, eccentric_s=1.9, in_gap=True)


def _progress(seconds: float, lost: int = 0) -> Progress:
    return Progress(samples=round(seconds * RATE), seconds=seconds, lost_samples=lost,
                    gaps=1 if lost else 0, clock_drift_ppm=None, journal_error=None)


def _view(clock: ManualClock) -> RichView:
    return RichView(Console(file=io.StringIO()), TEMPO, TempoTolerance(), False,
                    get_profile("reverse-crunch"), speed=1.0, clock=clock)


def _screen(view: RichView, width: int = 80, height: int = 24) -> str:
    """The panel as drawn on a ``width`` x ``height`` terminal, as plain text."""
    buf = io.StringIO()
    Console(file=buf, width=width, height=height, force_terminal=True, color_system=None,
            legacy_windows=False).print(view.render())
    return buf.getvalue()


def _lost_while_learning(clock: ManualClock) -> RichView:
    view = _view(clock)
    view(Connected(INFO, reconnect=False))
    view(_progress(12.0))
    view(Disconnected(12 * RATE))
    clock.now += 4.0
    return view


def _count_row(text: str) -> list[str]:
    return [line for line in text.splitlines() if "set 1" in line or PENDING in line]


def test_the_count_stays_pending_while_the_sensor_is_lost_during_learning() -> None:
    clock = ManualClock()
    view = _lost_while_learning(clock)
    for width, height in ((80, 24), (200, 50), (120, 40)):
        text = _screen(view, width, height)
        assert SHOWN in text, text
        assert "reps · set 1" not in text, text
        assert "LOST" in text or "SENSOR LOST" in text, text  # the loss is still shown
    # The short terminal's compact lines too.
    compact = _screen(view, 44, 11)
    assert "- " + PENDING in compact and "0 reps" not in compact, compact


def test_the_count_is_pending_again_once_back_and_a_number_once_counted() -> None:
    clock = ManualClock()
    view = _lost_while_learning(clock)
    clock.now += 4.0
    view(Connected(INFO, reconnect=True))
    assert SHOWN in _screen(view)
    view(RepDone(make_rep(1, 1, 2.0), received_s=0.0, emitted_s=0.0))
    view(Disconnected(30 * RATE))  # lost once learned: the count is a number
    text = _screen(view, 200, 50)
    assert SHOWN not in text and "reps · set 1" in text, text


def test_the_page_keeps_the_count_pending_while_the_sensor_is_lost_during_learning() -> None:
    clock = ManualClock()
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    state.apply(Connected(INFO, reconnect=False))
    state.apply(_progress(12.0))
    state.apply(Disconnected(at_sample=12 * RATE))
    snap = state.snapshot()
    assert snap["phase"]["key"] == "lost"
    assert snap["count_pending"] == PENDING


def test_which_phases_are_over_the_loss() -> None:
    assert phases_over_gap(ACROSS, (12.0, 8.0)) == {"top_hold_s"}
    assert phases_over_gap(ACROSS, (12.0, float("inf"))) == {"top_hold_s", "eccentric_s"}
    every = {"concentric_s", "top_hold_s", "eccentric_s"}
    assert phases_over_gap(ACROSS, None) == every  # where the gap is: not known
    assert phases_over_gap(ACROSS, (40.0, 3.0)) == every  # over another gap
    assert phases_over_gap(make_rep(1, 3, 10.0), (12.0, 8.0)) == set()  # judged


def test_the_panel_shows_no_hold_made_of_lost_time() -> None:
    clock = ManualClock()
    view = _lost_while_learning(clock)
    view(RepDone(make_rep(1, 1, 2.0), received_s=0.0, emitted_s=0.0))
    clock.now += 4.0
    view(Connected(INFO, reconnect=True))
    view(_progress(21.0, lost=8 * RATE))
    view(RepDone(ACROSS, received_s=0.0, emitted_s=0.0))
    text = _screen(view, 200, 60)
    assert "8.1" not in text, text
    assert OVER_GAP in text and "not judged" in text, text
    assert "2.0/2" in text  # the lift, before the loss, is still told


def test_the_plain_line_shows_no_hold_made_of_lost_time() -> None:
    line = rep_line(ACROSS, TEMPO, TempoTolerance(), loss=(12.0, 8.0))
    assert "8.1" not in line and "hold unknown (over the gap)" in line, line
    assert "up 2.0 s" in line and "tempo not judged" in line
    buf = io.StringIO()
    view = PlainView(Console(file=buf, width=300), TEMPO, TempoTolerance(), False)
    for event in (Connected(INFO, reconnect=False), _progress(12.0), Disconnected(12 * RATE),
                  Connected(INFO, reconnect=True), _progress(21.0, lost=8 * RATE),
                  RepDone(ACROSS, received_s=0.0, emitted_s=0.0)):
        view(event)
    assert "hold unknown (over the gap)" in buf.getvalue() and "8.1" not in buf.getvalue()
