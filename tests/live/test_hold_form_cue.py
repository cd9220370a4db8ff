"""A plank's hips sagging or piking, told during the hold (trial item 12).

During a live plank the screen said "HOLD 14 / 20 s  hold steady: shoulders, hips and heels in
one line" throughout, and "Lift the hips to a straight line / HIPS SAGGING" came only after the
hold ended (its drift was -13.9 deg); the page also showed a metronome button, which a hold
has no phases for.
"""

from __future__ import annotations

import asyncio
import io
import math

import pytest
from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import Connected, HoldFormCue, PhaseStarted, Progress, RepDone
from imu.live.hold_form import HOLD_FORM_BACK, HoldFormWatcher, form_words
from imu.live.session import LiveSession
from imu.live.views import PlainView, RichView
from imu.live.web.state import CoachingState
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.browser import Browser
from tests.live.test_session import PayloadSource, payloads_of
from tests.live.test_web_browser import PHONE, visible, wait_for
from tests.live.web_support import CRUNCH_TEMPO, INFO, ManualClock, ServerThread, rendered

TEMPO = parse_tempo("1-20-1")
SAGGING = "hips sagging: lift the hips"


def _session_events(seed: int, faults: dict[str, float]) -> tuple[list[object], list]:
    sim = simulate_session(SessionSpec("plank", reps=2, sets=1, seed=seed, hold_s=20.0,
                                       faults=faults, sampling_rate_hz=104, acc_range_g=8,
                                       gyr_range_dps=500))
    events: list[object] = []
    session = LiveSession(PayloadSource(payloads_of(sim)), get_profile("plank"), TEMPO,
                          listener=events.append)
    result = asyncio.run(session.run())
    return events, result.reps


@pytest.fixture(scope="module")
def sagging() -> tuple[list[object], list]:
    return _session_events(6, {"hips_sagging": 1.0})


@pytest.fixture(scope="module")
def clean() -> tuple[list[object], list]:
    return _session_events(6, {})


# ------------------------------------------------------------------ the debounce
def test_the_cue_comes_after_a_second_past_the_threshold_and_goes_after_a_second_back() -> None:
    w = HoldFormWatcher(5.0)
    changes = []
    drifts = [0.0] * 10 + [-5.5] * 5 + [-4.0] * 3 + [-6.0] * 20 + [-3.0] * 20
    for k, drift in enumerate(drifts, start=1):
        if w.update(k / 8, drift):  # 8 readings a second
            changes.append((k, w.fault))
    # 5/8 s past it (a breath) raised nothing; then 1 s past it did; 1 s back cleared it.
    assert changes == [(19 + 8, "hips_sagging"), (39 + 8, None)]


def test_a_fast_change_of_tilt_is_movement_and_the_hold_ending_clears_at_once() -> None:
    w = HoldFormWatcher(5.0)
    changes = []
    t, drift = 0.0, 0.0
    for _ in range(15):  # getting down: 12 deg/s
        t, drift = t + 0.1, drift - 1.2
        if w.update(t, drift):
            changes.append(w.fault)
    assert changes == []
    for _ in range(25):  # then a steady pike
        t += 0.1
        w.update(t, 7.0)
    assert w.fault == "hips_piking"
    assert w.update(t + 0.1, None) and w.fault is None


# ------------------------------------------------------------------ the session
def test_a_sagging_hold_raises_the_cue_before_it_ends(sagging) -> None:
    events, reps = sagging
    assert len(reps) == 2 and all("hips_sagging" in r.faults for r in reps)
    for k, rep in enumerate(reps, start=1):
        raised = [e for e in events if isinstance(e, HoldFormCue) and e.fault is not None
                  and e.rep_no == k]
        assert raised, f"hold {k}: no live cue"
        cue = raised[0]
        assert cue.fault == "hips_sagging" and cue.words == SAGGING
        assert cue.drift_deg < -5.0
        assert cue.at_s < rep.ecc_start_s  # during the hold, before it ended
        # Told before the hold's own report, and cleared with it.
        done = next(i for i, e in enumerate(events) if isinstance(e, RepDone) and e.rep is rep)
        assert events.index(cue) < done
    last = [e for e in events if isinstance(e, HoldFormCue)][-1]
    assert last.fault is None


def test_a_clean_hold_never_raises_the_cue(clean) -> None:
    events, reps = clean
    assert len(reps) == 2
    assert not any(f in r.faults for r in reps for f in ("hips_sagging", "hips_piking"))
    assert [e for e in events if isinstance(e, HoldFormCue)] == []


# ------------------------------------------------------------------ the screens
def test_every_screen_tells_the_sag_during_the_hold(sagging) -> None:
    events, _ = sagging
    cue = next(e for e in events if isinstance(e, HoldFormCue) and e.fault is not None)
    upto = events[:events.index(cue) + 1]
    # Plain lines: the cue before the hold's line.
    buf = io.StringIO()
    plain = PlainView(Console(file=buf, width=200), TEMPO, TempoTolerance(), False,
                      hold=True, profile=get_profile("plank"))
    for event in events:
        plain(event)
    lines = buf.getvalue().splitlines()
    told = next(i for i, x in enumerate(lines) if x.startswith("HIPS SAGGING: lift the hips"))
    first_hold = next(i for i, x in enumerate(lines) if x.startswith("hold 1"))
    assert told < first_hold
    # The panel: the cue where the correction goes, while the hold is timed.
    clock = ManualClock()
    panel = RichView(Console(file=io.StringIO()), TEMPO, TempoTolerance(), False,
                     get_profile("plank"), speed=1.0, clock=clock)
    for event in upto:
        panel(event)
    text = rendered(panel)
    assert panel.shown_key() == "top_hold"
    assert "HIPS SAGGING" in text and "lift the hips" in text
    # The page.
    state = CoachingState("Plank", TEMPO, hold=True, clock=clock)
    for event in upto:
        state.apply(event)
    form = state.snapshot()["form"]
    assert form is not None and form["text"] == SAGGING and form["fault"] == "hips_sagging"
    # When the hold is reported, its verdict replaces the cue on every screen.
    rest = events[events.index(cue) + 1:]
    done = next(i for i, e in enumerate(rest) if isinstance(e, RepDone)) + 1
    for event in rest[:done]:
        panel(event)
        state.apply(event)
    assert panel.state.form is None and state.snapshot()["form"] is None
    assert "HIPS SAGGING" not in rendered(panel)


def test_the_hips_coming_back_clear_the_cue_with_a_line() -> None:
    buf = io.StringIO()
    plain = PlainView(Console(file=buf, width=200), TEMPO, TempoTolerance(), False,
                      hold=True, profile=get_profile("plank"))
    plain(HoldFormCue("hips_piking", 1, 6.2, 12.0))
    plain(HoldFormCue(None, 1, 2.0, 14.0))
    plain(HoldFormCue(None, 1, math.nan, 20.0, hold_ended=True))
    assert buf.getvalue().splitlines() == [
        "HIPS PIKING: lower the hips (tilt +6° from the start of the hold)", HOLD_FORM_BACK]
    assert form_words("hips_piking") == "hips piking: lower the hips"


# ------------------------------------------------------------------ the metronome
def test_a_hold_has_no_metronome() -> None:
    plank = CoachingState("Plank", TEMPO, hold=True, clock=lambda: 100.0)
    crunch = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=lambda: 100.0)
    assert plank.snapshot()["metronome"] is False
    assert crunch.snapshot()["metronome"] is True
    # Nor a standing strict lift, whose hip drives have no tempo to tick.
    curl = CoachingState("Standing curl", CRUNCH_TEMPO, clock=lambda: 100.0,
                         profile=get_profile("standing-curl"))
    assert curl.snapshot()["metronome"] is False


def _hold_events() -> list[object]:
    return [Connected(INFO, reconnect=False), Progress(1040, 10.0, 0, 0, None, None),
            PhaseStarted("top_hold", 1, 6.0, 10.0, 20.0),
            HoldFormCue("hips_sagging", 1, -6.5, 10.0)]


def test_the_plank_page_hides_the_metronome_and_shows_the_sag(browser: Browser) -> None:
    state = CoachingState("Plank", TEMPO, hold=True)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed(_hold_events())
        wait_for(browser, lambda: visible(browser, "form-cue"), "the sag cue")
        assert not visible(browser, "metronome")
        assert visible(browser, "sound")
        said = browser.js("return document.getElementById('form-cue').textContent")
        assert "hips sagging" in said and "lift the hips" in said
        browser.screenshot("live_phone_plank_sagging_390x844")
        srv.feed([HoldFormCue(None, 1, -2.0, 12.0)])
        wait_for(browser, lambda: not visible(browser, "form-cue"), "the cue cleared")


def test_a_rep_page_keeps_its_metronome(browser: Browser) -> None:
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed([Connected(INFO, reconnect=False)])
        wait_for(browser, lambda: browser.js("return document.body.dataset.seq") not in
                 (None, ""), "a state")
        assert visible(browser, "metronome")
