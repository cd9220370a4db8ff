"""A standing strict lift's live phase words speak of the hips, not of a rep with a tempo.

The screens already told a standing strict lift (curl, press) by its hip drives (the count, the
"hip drive at 95 s" lines, no tempo), but the words under the phase were still a tempo'd
rep's: "UP / lift with control", "HOLD / squeeze at the top", "DOWN / lower slowly", "PAUSE /
reset at the bottom", "REST / rest, then the next set", and still a while at the bottom
"resting? or go on with the next rep". A strict lift's phases are a hip drive's (the pelvis
bursting out and back: the fault itself), and a pause in them is no set the person did: the
page and the full-screen panel now say to keep the pelvis still, in the terminal line's
words ("keep the pelvis still and let the arms do the lift").
"""

from __future__ import annotations

import io

from rich.console import Console

from imu.core.metrics import Rep, TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    Connected,
    Disconnected,
    PhaseStarted,
    Progress,
    RepDone,
    SetEnded,
)
from imu.live.views import RichView
from imu.live.web.state import CoachingState
from imu.tempo import parse_tempo
from tests.live.web_support import SENSOR, ManualClock, rendered
from tests.report.helpers import make_rep

STRICT = get_profile("standing-curl")
CRUNCH = get_profile("reverse-crunch")
TEMPO = parse_tempo("2-0-2")
TEMPO_WORDS = ("lift with control", "squeeze at the top", "lower slowly",
               "reset at the bottom", "the next set", "the next rep")
"""A tempo'd rep's words, which a hip drive's phases never get."""
CUE = "keep the pelvis still and let the arms do the lift"


def _drive() -> Rep:
    return make_rep(1, 1, 10.0, concentric_s=0.4, top_hold_s=0.1, eccentric_s=0.5,
                    rom_deg=14.0, swing=True, tempo_ok=False)


def _phases(r: Rep) -> list[tuple[str, PhaseStarted]]:
    """A hip drive's phase cues as a live session sends them (no prescription)."""
    return [
        ("concentric", PhaseStarted("concentric", 1, r.con_start_s, r.con_start_s + 0.1, None)),
        ("top_hold", PhaseStarted("top_hold", 1, r.con_end_s, r.con_end_s + 0.1, None)),
        ("eccentric", PhaseStarted("eccentric", 1, r.ecc_start_s, r.ecc_start_s + 0.1, None)),
        ("bottom_pause", PhaseStarted("bottom_pause", 1, r.ecc_end_s, r.ecc_end_s + 0.1, None,
                                      rep_ended=True)),
    ]


def _no_tempo_words(hint: str) -> None:
    assert not any(words in hint for words in TEMPO_WORDS), hint


def test_the_page_tells_a_strict_lifts_phases_by_the_hips() -> None:
    rep = _drive()
    state = CoachingState(STRICT.title, TEMPO, clock=lambda: 100.0, profile=STRICT)
    state.apply(Connected(SENSOR, reconnect=False))
    for key, event in _phases(rep):
        state.apply(event)
        phase = state.snapshot()["phase"]
        assert phase["key"] == key
        _no_tempo_words(phase["hint"])
        assert "pelvis still" in phase["hint"], (key, phase["hint"])
    assert state.snapshot()["phase"]["hint"] != state.snapshot()["phase"]["rest_hint"]
    # Still a while at the bottom (the page's rest timer): strict form, or a rest.
    rest_hint = state.snapshot()["phase"]["rest_hint"]
    _no_tempo_words(rest_hint)
    assert "pelvis still" in rest_hint
    state.apply(RepDone(rep, 0.0, 0.0))
    state.apply(SetEnded(1, (rep,)))
    phase = state.snapshot()["phase"]
    assert phase["key"] == "rest"
    _no_tempo_words(phase["hint"])
    assert "pelvis still" in phase["hint"]
    state.apply(Disconnected(2000))
    assert "hip drives now are not counted" in state.snapshot()["phase"]["hint"]


def test_the_page_keeps_a_tempo_reps_words() -> None:
    rep = make_rep(1, 1, 10.0)
    state = CoachingState(CRUNCH.title, parse_tempo("2-1-2"), clock=lambda: 100.0,
                          profile=CRUNCH)
    state.apply(Connected(SENSOR, reconnect=False))
    hints = {}
    for key, event in _phases(rep):
        state.apply(event)
        hints[key] = state.snapshot()["phase"]["hint"]
    assert hints == {"concentric": "lift with control", "top_hold": "squeeze at the top",
                     "eccentric": "lower slowly", "bottom_pause": "reset at the bottom"}
    assert state.snapshot()["phase"]["rest_hint"] == "resting? or go on with the next rep"


def _terminal(clock: ManualClock) -> RichView:
    return RichView(Console(file=io.StringIO()), TEMPO, TempoTolerance(), False, STRICT,
                    speed=1.0, clock=clock)


def test_the_terminal_panel_tells_a_strict_lifts_phases_by_the_hips() -> None:
    rep = _drive()
    clock = ManualClock()
    view = _terminal(clock)
    view(Connected(SENSOR, reconnect=False))
    phases = _phases(rep)
    view(phases[0][1])
    text = rendered(view, 200)
    assert f"hips moving: {CUE}" in text
    _no_tempo_words(text)
    for _, event in phases[1:]:
        view(event)
    view(RepDone(rep, 0.0, 0.0))
    text = rendered(view, 200)
    assert view.shown_key() == "bottom_pause"
    assert "pelvis still: keep it so" in text
    _no_tempo_words(text)
    # Still at the bottom a while reads as a rest: strict form, not "the next rep".
    end = rep.ecc_end_s
    clock.now += 8.0
    view(Progress(int((end + 8.0) * 104), end + 8.0, 0, 0, None, None))
    assert view.shown_key() == "rest"
    text = rendered(view, 200)
    assert "pelvis still, as it should be" in text
    _no_tempo_words(text)
    view(SetEnded(1, (rep,)))
    text = rendered(view, 200)
    assert "rest, or lift on with the pelvis still" in text
    _no_tempo_words(text)
