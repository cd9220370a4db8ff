"""Live phase events: the session numbers them by rep, and they agree with the reps it saves."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from imu.exercises import get_profile
from imu.io.recording import read_recording
from imu.live.events import PHASES, PaceCue, PhaseStarted, RepDone
from imu.live.sources.replay import replay
from imu.tempo import parse_tempo

CRUNCH = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.fixture(scope="module")
def crunch_events() -> tuple[list[object], object]:
    """The bundled crunch (4 dropped eccentrics) replayed through the live path.

    At 10x real time: how late a cue is emitted is measured in data time, and at 40x a 10 ms
    stall of the event loop was 0.4 s of data, which failed the 0.3 s bound now and then.
    """
    rec = read_recording(CRUNCH)
    events: list[object] = []
    result = asyncio.run(replay(rec, get_profile("reverse-crunch"),
                                parse_tempo(rec.meta.tempo or "3-1-3"), speed=10.0,
                                listener=events.append))
    return events, result


def test_every_rep_after_the_axis_lock_is_cued_before_its_row(crunch_events) -> None:
    events, result = crunch_events
    cues = [e for e in events if isinstance(e, PhaseStarted)]
    assert cues and all(c.phase in PHASES for c in cues)
    first_cue = events.index(cues[0])
    done = [(k, e) for k, e in enumerate(events) if isinstance(e, RepDone)]
    cued_reps = [(k, e) for n, (k, e) in enumerate(done, start=1) if k > first_cue
                 and e.rep.con_start_s > cues[0].at_s]
    assert len(cued_reps) >= len(result.reps) - 3  # only the reps before the lock lack cues
    late: list[float] = []
    for k, e in cued_reps:
        n = next(n for n, (kk, _) in enumerate(done, start=1) if kk == k)
        end = [c for c in events[:k] if isinstance(c, PhaseStarted) and c.rep_ended
               and c.rep_no == n]
        assert len(end) == 1, (n, e.rep)
        assert abs(end[0].at_s - e.rep.ecc_end_s) < 0.2
        late.append(end[0].emitted_at_s - end[0].at_s)
        starts = [c for c in events[:k] if isinstance(c, PhaseStarted) and c.rep_no == n
                  and c.phase == "concentric"]
        assert starts and abs(starts[0].at_s - e.rep.con_start_s) < 0.2
    # How late the rep-end cue is emitted, in data time: at 10x real time a stall of the
    # event loop on a busy machine (another process on the core) batches frames and shows as
    # data time, so one rep may be late by a stall; most must be within 0.3 s, none past 1 s.
    assert sorted(late)[len(late) // 2] < 0.3 and sum(x >= 0.3 for x in late) <= 1, late
    assert max(late) < 1.0, late


def test_slower_is_cued_on_hurried_eccentrics_only(crunch_events) -> None:
    events, result = crunch_events
    pace = [e for e in events if isinstance(e, PaceCue)]
    assert pace, "the bundled crunch has dropped eccentrics after the lock"
    reps = {n: rep for n, rep in enumerate(result.reps, start=1)}
    for cue in pace:
        assert cue.message == "slower"
        rep = reps[cue.rep_no]
        assert rep.eccentric_s < cue.prescribed_s - 0.4, rep


def test_the_page_hears_learning_before_the_first_cue(crunch_events) -> None:
    from imu.live.events import PhaseChanged

    events, _ = crunch_events
    hints = [k for k, e in enumerate(events) if isinstance(e, PhaseChanged)]
    cues = [k for k, e in enumerate(events) if isinstance(e, PhaseStarted)]
    assert hints and events[hints[0]].phase == "learning" and hints[0] < cues[0]


def test_the_slower_line_names_no_session_wide_rep_number() -> None:
    import io

    from rich.console import Console

    from imu.core.metrics import TempoTolerance
    from imu.live.views import PlainView

    buf = io.StringIO()
    view = PlainView(Console(file=buf, width=100), parse_tempo("2-1-2"), TempoTolerance(), False)
    view(PaceCue("eccentric", 7, 0.5, 1.1, 2.0, "slower"))
    assert buf.getvalue().strip() == "SLOWER: lowering in 1.1 s at this pace, aim for 2 s"
