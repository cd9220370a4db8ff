"""Fixes from a new-user trial of the live screen (terminal and page state).

- the learning hint said "after 2-3 reps" for a dead bug, learned after about 8;
- after the sensor came back the status line said "no samples lost" under "6 s lost";
- after the last rep of a set the screens showed a top "HOLD" (or "PAUSE" for 14 s) and a
  stale SLOWER until the set ended.
"""

from __future__ import annotations

import io

from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    REST_HINTS,
    Connected,
    Disconnected,
    PaceCue,
    PhaseChanged,
    PhaseStarted,
    Progress,
    RepDone,
)
from imu.live.views import RichView
from imu.live.web.state import CoachingState
from tests.live.web_support import CRUNCH_TEMPO, SENSOR, ManualClock, crunch_reps, rendered


def _terminal(exercise: str, clock: ManualClock | None = None) -> RichView:
    return RichView(Console(file=io.StringIO()), CRUNCH_TEMPO, TempoTolerance(), False,
                    get_profile(exercise), speed=1.0, clock=clock or ManualClock())


def test_the_learning_hint_says_how_many_reps_each_kind_of_movement_takes() -> None:
    expected = {"dead-bug": "about 10 reps (5 each side)",
                "bird-dog": "about 10 reps (5 each side)",
                "leg-raise": "about 4-6 reps", "reverse-crunch": "after 2-3 reps"}
    for exercise, words in expected.items():
        view = _terminal(exercise)
        view(Connected(SENSOR, reconnect=False))
        view(PhaseChanged("learning"))
        assert words in rendered(view, 200), exercise
        assert "every rep is counted then" in rendered(view, 200)
        profile = get_profile(exercise)
        # The page: from the profile, or from the title the CLI gives it.
        for state in (CoachingState(profile.title, CRUNCH_TEMPO, profile=profile),
                      CoachingState(profile.title, CRUNCH_TEMPO)):
            state.apply(Connected(SENSOR, reconnect=False))
            assert words in state.snapshot()["phase"]["hint"], exercise


def test_after_the_sensor_came_back_the_status_never_says_no_samples_lost() -> None:
    clock = ManualClock()
    view = _terminal("reverse-crunch", clock)
    view(Connected(SENSOR, reconnect=False))
    view(Progress(2080, 20.0, 0, 0, None, None))
    view(Disconnected(2080))
    clock.now += 6.0
    view(Connected(SENSOR, reconnect=True))
    view(Progress(2080, 20.0, 0, 0, None, None))  # the recorder has not placed the gap yet
    text = rendered(view, 200)
    assert "sensor back: 6 s lost" in text
    assert "no samples lost" not in text
    assert "about 6 s lost" in text
    view(Progress(2700, 26.0, 624, 1, None, None))
    assert "624 samples lost in 1 gap" in rendered(view, 200)


def test_a_reconnect_keeps_the_count_and_does_not_learn_again() -> None:
    reps = crunch_reps()[:2]
    clock = ManualClock()
    view = _terminal("reverse-crunch", clock)
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    events = [Connected(SENSOR, reconnect=False), PhaseChanged("learning"),
              *(RepDone(r, 0.0, 0.0) for r in reps),
              PhaseStarted("concentric", 3, 20.0, 20.1, 3.0), Disconnected(2100)]
    for event in events:
        view(event)
        state.apply(event)
    clock.now += 6.0
    for event in (Connected(SENSOR, reconnect=True), PhaseChanged("learning")):
        view(event)
        state.apply(event)
    assert view.state.reps == 2 and view.shown_key() != "learning"
    snap = state.snapshot()
    assert snap["count"] == 2 and snap["phase"]["key"] != "learning"


def test_a_rep_that_ended_without_its_end_told_is_at_the_bottom_not_in_a_top_hold() -> None:
    rep = crunch_reps()[1]
    top = PhaseStarted("top_hold", 1, rep.con_end_s, rep.con_end_s + 0.1, 1.0)
    clock = ManualClock()
    view = _terminal("reverse-crunch", clock)
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    for event in (Connected(SENSOR, reconnect=False), top, RepDone(rep, 0.0, 0.0)):
        view(event)
        state.apply(event)
    assert view.shown_key() == "bottom_pause"
    phase = state.snapshot()["phase"]
    assert phase["key"] == "bottom_pause" and "squeeze" not in phase["hint"]


def test_still_after_a_lowering_is_a_pause_at_the_bottom_not_a_hold() -> None:
    clock = ManualClock()
    view = _terminal("reverse-crunch", clock)
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    for event in (Connected(SENSOR, reconnect=False), PhaseChanged("up"),
                  PhaseChanged("hold"), PhaseChanged("down"), PhaseChanged("hold")):
        view(event)
        state.apply(event)
    assert view.state.phase == "bottom_pause"
    assert state.snapshot()["phase"]["key"] == "bottom_pause"


def test_a_long_pause_after_the_last_rep_reads_as_rest_and_slower_goes() -> None:
    rep = crunch_reps()[0]  # a dropped descent
    clock = ManualClock()
    view = _terminal("reverse-crunch", clock)
    view(Connected(SENSOR, reconnect=False))
    view(PhaseStarted("eccentric", 1, rep.ecc_start_s, rep.ecc_start_s + 0.1, 3.0))
    view(PaceCue("eccentric", 1, 0.5, 1.4, 3.0, "slower"))
    view(PhaseStarted("bottom_pause", 1, rep.ecc_end_s, rep.ecc_end_s + 0.1, None,
                      rep_ended=True))
    view(RepDone(rep, 0.0, 0.0))
    assert "SLOWER" in rendered(view, 200)  # up for its minimum time
    clock.now += 3.5
    view(Progress(int((rep.ecc_end_s + 3.5) * 104), rep.ecc_end_s + 3.5, 0, 0, None, None))
    text = rendered(view, 200)
    assert "SLOWER" not in text and "(last rep: " in text  # the rep's own correction
    assert view.shown_key() == "bottom_pause"
    clock.now += 5.0
    view(Progress(int((rep.ecc_end_s + 8.0) * 104), rep.ecc_end_s + 8.0, 0, 0, None, None))
    assert view.shown_key() == "rest"
    assert REST_HINTS[0] in rendered(view, 200)
