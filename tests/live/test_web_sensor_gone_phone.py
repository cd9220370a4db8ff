"""A session ended by a lost sensor, on a phone (trial item 3).

At 390 px the pill "session ended: the sensor went away and did not come back" did not wrap:
the page was 585 px wide and the pill was cut at "went away an". The set card under it said
"Good set: every rep on tempo" after the one rep seen before the sensor went away.
"""

from __future__ import annotations

import dataclasses

from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    CUT_SHORT,
    Connected,
    Disconnected,
    Finished,
    SetEnded,
    SourceInfo,
)
from imu.live.views import RichView
from imu.live.web.state import CoachingState
from tests.browser import Browser
from tests.live.test_web_browser import PHONE, text, wait_for
from tests.live.web_support import CRUNCH_TEMPO, INFO, ManualClock, ServerThread, rep_events
from tests.report.helpers import make_rep

GONE = "session ended: the sensor went away and did not come back"


def _one_rep() -> object:
    return make_rep(1, 1, 5.0, concentric_s=3.0, top_hold_s=1.0, eccentric_s=3.0)


def _gone_events() -> list[object]:
    rep = _one_rep()
    return [Connected(INFO, reconnect=False), *rep_events(rep, 1, CRUNCH_TEMPO),
            Disconnected(at_sample=650), SetEnded(1, (rep,)), Finished("device gone")]


def test_a_set_the_sensor_loss_ended_is_not_a_good_set() -> None:
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=lambda: 100.0)
    for event in _gone_events()[:-1]:
        state.apply(event)
    coaching = state.snapshot()["resting"]["coaching"]
    assert coaching == {"cue": CUT_SHORT, "why": "1 rep before the sensor went away",
                        "good": False}
    # A set that ended while the sensor streamed is praised as before.
    fine = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=lambda: 100.0)
    fine.apply(SetEnded(1, (_one_rep(),)))
    assert fine.snapshot()["resting"]["coaching"]["good"] is True
    # A fault stays the set's correction, and says it was cut short.
    faulty = dataclasses.replace(_one_rep(), faults=frozenset({"dropped_eccentric"}))
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=lambda: 100.0)
    state.apply(Disconnected(at_sample=650))
    state.apply(SetEnded(1, (faulty,)))
    why = state.snapshot()["resting"]["coaching"]["why"]
    assert why.endswith("; cut short by the sensor loss")


def test_the_terminal_says_the_set_was_cut_short() -> None:
    view = RichView(Console(width=100), CRUNCH_TEMPO, TempoTolerance(), False,
                    get_profile("reverse-crunch"), speed=1.0, clock=ManualClock())
    for event in _gone_events()[:-1]:
        view(event)
    assert view.state.coaching == f"{CUT_SHORT}: 1 rep before the sensor went away"
    assert "good set" not in view.state.coaching.lower()
    view(Connected(SourceInfo("HipIMU-S"), reconnect=True))
    view(SetEnded(2, (dataclasses.replace(_one_rep(), set=2),)))
    assert view.state.coaching == "good set: every rep on tempo"


def test_the_ended_pill_wraps_on_a_phone_with_no_sideways_scroll(browser: Browser) -> None:
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=lambda: 100.0)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed(_gone_events())
        wait_for(browser, lambda: text(browser, "link") == GONE, "the end pill")
        scroll, client = browser.js(
            "return [document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]")
        assert scroll <= client, f"page {scroll} px wide in a {client} px viewport"
        pill = browser.js("const e = document.getElementById('link');"
                          "const r = e.getBoundingClientRect();"
                          "return [r.left, r.right, e.scrollWidth, e.clientWidth]")
        assert pill[0] >= 0 and pill[1] <= client, pill  # on the screen, whole
        assert pill[2] <= pill[3], pill  # nothing cut inside it
        coach = text(browser, "summary")
        assert "cut short" in coach and "Good set" not in coach
        browser.screenshot("live_phone_sensor_gone_390x844")
