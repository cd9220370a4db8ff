"""The "sensor back" note tells the truth about the reps over the loss, on every screen.

It said "reps done then were not counted" even when the rep the person was in when the sensor
went (begun before the loss, ended after it) was counted: over the data gap, so not judged
(no tempo, no swing or fault badges, no correction). Until such a rep is counted the note says
the reps done then were not counted; once it is, it says how many were counted across the
loss, not judged. The page (its state), the terminal panel and the plain lines agree.
"""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from imu.core.metrics import Rep, TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    Connected,
    Disconnected,
    Progress,
    RepDone,
    SourceInfo,
    across_loss,
    lost_words,
)
from imu.live.views import PlainView, RichView, rep_line
from imu.live.web.state import CoachingState
from imu.tempo import parse_tempo
from tests.live.web_support import CRUNCH_TEMPO, ManualClock, rendered
from tests.report.helpers import make_rep

RATE = 52  # the page's tests' Progress rate
INFO = SourceInfo("HipIMU-S", "C0:FF:EE:00:00:01")
BEFORE = "sensor back: 8 s lost, reps done then were not counted"
ACROSS = "sensor back: 8 s lost, 1 rep across it counted, not judged"

# The loss: from data 20 s (sample 1040 at 52 Hz) for 8 s (416 samples).
LOSS_AT = 1040
LOST = 416
SPANNING = make_rep(1, 3, 18.5, in_gap=True)  # 18.5-23.5 s: begun before, ended after


def _done(rep: Rep) -> RepDone:
    return RepDone(rep, received_s=0.0, emitted_s=0.0)


def _progress(seconds: float, lost: int = 0) -> Progress:
    return Progress(samples=round(seconds * RATE), seconds=seconds, lost_samples=lost,
                    gaps=1 if lost else 0, clock_drift_ppm=None, journal_error=None)


def test_the_words() -> None:
    assert lost_words(8.0) == BEFORE
    assert lost_words(8.0, across=1) == ACROSS
    assert lost_words(8.0, across=2) == (
        "sensor back: 8 s lost, 2 reps across it counted, not judged")
    assert lost_words(8.0, hold=True) == "sensor back: 8 s lost, a hold then is not timed"
    assert lost_words(8.0, hold=True, across=1) == (
        "sensor back: 8 s lost, 1 hold across it counted, not judged")
    assert lost_words(0.2, across=1).startswith("sensor back: under 1 s lost, 1 rep across")


@pytest.mark.parametrize(("rep", "across"), [
    (SPANNING, True),
    (make_rep(1, 3, 22.0, in_gap=True), True),  # begun during the loss, ended after
    (dataclasses.replace(SPANNING, in_gap=False), False),  # judged: the gap was bridged
    (make_rep(1, 5, 40.0, in_gap=True), False),  # over another, later gap
    (make_rep(1, 1, 10.0, in_gap=True), False),  # over an earlier gap, told late
])
def test_which_reps_are_across_the_loss(rep: Rep, across: bool) -> None:
    assert across_loss(rep, 20.0, 8.0) is across


# ----------------------------------------------------------------------------- the page
def page_after_loss(state: CoachingState, clock: ManualClock) -> CoachingState:
    """``state`` (on ``clock``) through a link lost at data 20 s for 8 s and back."""
    for event in (Connected(INFO, reconnect=False), _progress(20.0),
                  Disconnected(at_sample=LOSS_AT)):
        state.apply(event)
    clock.now += 8.0
    state.apply(Connected(INFO, reconnect=True))
    state.apply(_progress(29.0, lost=LOST))
    return state


def _page() -> tuple[CoachingState, ManualClock]:
    clock = ManualClock()
    return page_after_loss(CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock),
                           clock), clock


def test_the_page_says_the_rep_across_the_loss_was_counted_not_judged() -> None:
    state, _ = _page()
    assert state.snapshot()["link"]["back"]["text"] == BEFORE
    assert state.apply(_done(SPANNING))
    back = state.snapshot()["link"]["back"]
    assert back["text"] == ACROSS and back["across"] == 1
    last = state.snapshot()["last_rep"]
    assert last["not_judged"] and last["correction"] is None and not last["faults"]


def test_the_page_keeps_its_words_when_no_rep_spans_the_loss() -> None:
    state, _ = _page()
    state.apply(_done(make_rep(1, 3, 29.0)))  # a rep after it, judged
    state.apply(_done(make_rep(1, 4, 40.0, in_gap=True)))  # over a later gap
    assert state.snapshot()["link"]["back"]["text"] == BEFORE


# ----------------------------------------------------------------------------- the terminal
def _panel() -> tuple[RichView, ManualClock]:
    clock = ManualClock()
    view = RichView(Console(file=io.StringIO()), parse_tempo("3-1-3"), TempoTolerance(), False,
                    get_profile("reverse-crunch"), speed=1.0, clock=clock)
    view(Connected(INFO, reconnect=False))
    view(_progress(20.0))
    view(Disconnected(LOSS_AT))
    clock.now += 8.0
    view(Connected(INFO, reconnect=True))
    view(_progress(29.0, lost=LOST))
    return view, clock


def _one_line(view: RichView) -> str:
    return " ".join(rendered(view, width=200).split())


def test_the_panel_says_the_rep_across_the_loss_was_counted_not_judged() -> None:
    view, _ = _panel()
    assert BEFORE in _one_line(view)
    view(_done(SPANNING))
    text = _one_line(view)
    assert ACROSS in text and BEFORE not in text


def test_the_panel_keeps_its_words_when_no_rep_spans_the_loss() -> None:
    view, _ = _panel()
    view(_done(make_rep(1, 3, 29.0)))
    assert BEFORE in _one_line(view)


def test_the_plain_note_counts_a_rep_across_the_loss_told_before_it() -> None:
    buf = io.StringIO()
    view = PlainView(Console(file=buf, width=300), parse_tempo("2-1-2"), TempoTolerance(),
                     bell=False)
    view(_progress(20.0))
    view(Disconnected(LOSS_AT))
    view(Connected(SourceInfo("HipIMU-S"), reconnect=True))
    view(_done(SPANNING))  # the rep ended before the recorder's figure came
    view(_progress(29.0, lost=LOST))
    assert buf.getvalue().splitlines()[-1] == ACROSS


def test_a_plain_rep_line_over_a_gap_shows_no_swing_or_fault() -> None:
    """Not judged means no badges, on the plain lines as on the page."""
    rep = make_rep(1, 3, 18.5, swing=True, faults=("hips_rotating",), in_gap=True)
    line = rep_line(rep, parse_tempo("2-1-2"), TempoTolerance())
    assert "SWING" not in line and "FAULT" not in line and "tempo not judged" in line
    judged = rep_line(dataclasses.replace(rep, in_gap=False), parse_tempo("2-1-2"),
                      TempoTolerance())
    assert "SWING" in judged and "FAULT" in judged
