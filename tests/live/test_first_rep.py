"""Before the first rep or hold: the screens say "ready", never a rest timer.

A plank's screen showed "REST 0:07" (the terminal) and "hold / hold steady" with a running
clock (the page) from the moment the movement was learned until the first hold was found, as
if the person were resting between sets: they had not started yet.
"""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    HOLD_HINTS,
    PHASE_HINTS,
    PHASE_NAMES,
    Connected,
    PhaseChanged,
    PhaseStarted,
    Progress,
    RepDone,
    SetEnded,
)
from imu.live.sources.replay import replay
from imu.live.views import RichView, big_text
from imu.live.web.state import CoachingState
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.live.web_support import (
    CRUNCH_TEMPO,
    SENSOR,
    ManualClock,
    crunch_reps,
    rendered,
    rep_events,
)

PLANK = parse_tempo("1-45-1")
def _terminal(exercise: str, tempo=PLANK, clock=None) -> RichView:
    return RichView(Console(file=io.StringIO()), tempo, TempoTolerance(), False,
                    get_profile(exercise), speed=1.0, clock=clock or ManualClock())


def _page(hold: bool, tempo=PLANK, clock=None) -> CoachingState:
    return CoachingState("Plank" if hold else "Reverse crunch", tempo, clock=clock or ManualClock(),
                         hold=hold)


def _learned() -> list[object]:
    """Connected, learning, then the coarse hints of a body getting into position."""
    return [Connected(SENSOR, reconnect=False), PhaseChanged("learning"),
            Progress(520, 5.0, 0, 0, None, None), PhaseChanged("up"),
            PhaseChanged("hold"), Progress(1040, 10.0, 0, 0, None, None),
            PhaseChanged("rest")]


def test_a_plank_gets_into_position_before_its_first_hold_on_the_terminal():
    clock = ManualClock()
    view = _terminal("plank", clock=clock)
    for event in _learned():
        view(event)
        clock.now += 3.0
    assert view.shown_key() == "ready"
    assert view.phase_clock() == ("", "", "")  # nothing is timed yet: no rest, no hold
    text = rendered(view)
    assert big_text("READY")[0] in text and "get into position" in text
    for word in ("REST", "HOLD", "0:0"):
        assert (big_text(word)[0] if word.isalpha() else word) not in text, word
    # The hold is found: timed from when it began, as before.
    view(PhaseStarted("top_hold", 1, 12.0, 16.0, 45.0))
    assert view.shown_key() == "top_hold" and view.phase_clock()[1] == "/ 45 s"


def test_a_plank_gets_into_position_before_its_first_hold_on_the_page():
    clock = ManualClock()
    state = _page(hold=True, clock=clock)
    for event in _learned():
        state.apply(event)
        clock.now += 3.0
        phase = state.snapshot()["phase"]
        # Getting into position was "up: lift with control / 1 s", then a "hold" timed from
        # no hold at all.
        assert phase["key"] in ("learning", "ready"), phase
    phase = state.snapshot()["phase"]
    assert phase["name"] == PHASE_NAMES["ready"] == "ready"
    assert phase["hint"] == HOLD_HINTS["ready"] and "get into position" in phase["hint"]
    assert phase["elapsed_s"] is None and phase["prescribed_s"] is None  # no clock, no bar
    assert state.snapshot()["resting"] is None
    state.apply(PhaseStarted("top_hold", 1, 12.0, 16.0, 45.0))
    assert state.snapshot()["phase"]["key"] == "top_hold"


def test_a_hold_that_came_to_nothing_before_the_first_is_no_rest():
    """A hold told as begun, then ended before it was one: back to getting into position (the
    terminal said REST, and the page called it a rest after 5 s)."""
    clock = ManualClock()
    view, state = _terminal("plank", clock=clock), _page(hold=True, clock=clock)
    events = [*_learned(), PhaseStarted("top_hold", 1, 12.0, 16.0, 45.0),
              PhaseStarted("bottom_pause", 1, 20.0, 20.5, 0.0, rep_ended=False),
              PhaseChanged("hold")]
    for event in events:
        view(event)
        state.apply(event)
    assert view.shown_key() == "ready" and view.phase_clock() == ("", "", "")
    assert state.snapshot()["phase"]["key"] == "ready"


def test_after_the_first_hold_the_rest_is_a_rest():
    """The rest timer stays where it is true: after a set (and the held hold before it)."""
    from tests.live.test_views import _plank_hold

    clock = ManualClock()
    view, state = _terminal("plank", clock=clock), _page(hold=True, clock=clock)
    hold = _plank_hold(1, 46.0, True)
    events = [*_learned(), PhaseStarted("top_hold", 1, 5.0, 9.0, 45.0),
              RepDone(hold, 50.0, 0.0),
              PhaseStarted("bottom_pause", 1, 49.0, 50.0, 0.0, rep_ended=True),
              PhaseChanged("hold")]
    for event in events:
        view(event)
        state.apply(event)
    assert view.shown_key() == "held" and state.snapshot()["phase"]["key"] == "held"
    view(SetEnded(1, (hold,)))
    state.apply(SetEnded(1, (hold,)))
    assert view.shown_key() == "rest" and state.snapshot()["phase"]["key"] == "rest"
    # A hold that comes to nothing later is a rest between holds, not "ready".
    later = PhaseStarted("bottom_pause", 2, 70.0, 70.5, 0.0, rep_ended=False)
    view(PhaseStarted("top_hold", 2, 60.0, 64.0, 45.0))
    view(later)
    assert view.shown_key() == "rest"


def test_a_start_too_small_before_the_first_rep_is_no_rest():
    """Reps: the axis learned before the first rep, a start too small to be one. The page
    turned its pause into "rest: resting? or go on with the next rep" after 5 s."""
    clock = ManualClock()
    view = _terminal("reverse-crunch", CRUNCH_TEMPO, clock)
    state = _page(hold=False, tempo=CRUNCH_TEMPO, clock=clock)
    events = [Connected(SENSOR, reconnect=False), PhaseChanged("learning"),
              PhaseStarted("concentric", 1, 8.0, 8.3, 3.0),
              PhaseStarted("bottom_pause", 1, 9.0, 9.3, 0.0, rep_ended=False)]
    for event in events:
        view(event)
        state.apply(event)
    clock.now += 20.0
    phase = state.snapshot()["phase"]
    assert (phase["key"], phase["elapsed_s"]) == ("ready", None)
    assert phase["hint"] == PHASE_HINTS["ready"] and "first rep" in phase["hint"]
    assert view.shown_key() == "ready" and view.phase_clock() == ("", "", "")
    text = rendered(view)
    assert big_text("READY")[0] in text and big_text("PAUSE")[0] not in text
    # The first rep starts: its phases as before.
    state.apply(PhaseStarted("concentric", 1, 30.0, 30.3, 3.0))
    view(PhaseStarted("concentric", 1, 30.0, 30.3, 3.0))
    assert state.snapshot()["phase"]["key"] == "concentric" == view.shown_key()


@pytest.mark.parametrize("terminal", [True, False])
def test_a_rep_s_own_bottom_pause_is_still_a_pause(terminal: bool):
    """Once a rep is done, the bottom pause is the rep's (the page may call it a rest)."""
    reps = crunch_reps()
    view = _terminal("reverse-crunch", CRUNCH_TEMPO)
    state = _page(hold=False, tempo=CRUNCH_TEMPO)
    for event in rep_events(reps[0], 1, CRUNCH_TEMPO):
        view(event)
        state.apply(event)
    late = PhaseStarted("bottom_pause", 2, reps[0].ecc_end_s + 5, reps[0].ecc_end_s + 5.3,
                        0.0, rep_ended=False)
    view(late)
    state.apply(late)
    key = view.shown_key() if terminal else state.snapshot()["phase"]["key"]
    assert key == "bottom_pause"


def test_a_simulated_plank_says_ready_until_its_first_hold_is_found():
    """A short simulated plank streamed through the live path to both screens."""
    spec = SessionSpec("plank", reps=1, sets=1, seed=3, hold_s=12.0)
    sim = simulate_session(spec)
    tempo = parse_tempo("1-12-1")
    events: list[object] = []
    asyncio.run(replay(sim.recording, get_profile("plank"), tempo, speed=20.0,
                       listener=events.append))
    first_hold = next(i for i, e in enumerate(events)
                      if isinstance(e, PhaseStarted) and e.phase == "top_hold")
    learned = next(i for i, e in enumerate(events)
                   if isinstance(e, PhaseChanged) and e.phase != "learning")
    assert learned < first_hold  # the moment this is about happens in the stream
    clock = ManualClock()
    view, state = _terminal("plank", tempo, clock), _page(hold=True, tempo=tempo, clock=clock)
    terminal_keys, page_keys = [], []
    for event in events[:first_hold]:
        clock.now += 0.5
        view(event)
        state.apply(event)
        terminal_keys.append(view.shown_key())
        page_keys.append(state.snapshot()["phase"]["key"])
    assert terminal_keys[-1] == page_keys[-1] == "ready"
    assert set(terminal_keys) <= {"waiting", "learning", "ready"}, terminal_keys
    assert set(page_keys) <= {"waiting", "learning", "ready"}, page_keys
    for event in events[first_hold:]:
        view(event)
        state.apply(event)
    assert view.state.total == 1 and state.snapshot()["total"] == 1
