"""The coaching page shows no phase length made of the seconds the sensor was lost.

UX review (``imu live --sim reverse-crunch --sim-disconnect-at 30 --sim-reconnect-after 10
--web``): once the sensor was back, the rep counted across the loss read "hold 10.1 of 1 s"
in the last rep's cell and "hold 10.1/1" in the list, a hold nobody made (the 10 s without
data), where the terminal's table and plain line say "over gap" / "unknown (over the gap)".
"""

from __future__ import annotations

import pytest

from imu.live.events import Connected, Disconnected, Progress, RepDone
from imu.live.web.state import CoachingState
from tests.browser import Browser
from tests.live.web_support import CRUNCH_TEMPO, INFO, ManualClock, ServerThread
from tests.report.helpers import make_rep

RATE = 52
# Lost at data 12 s for 8 s; the rep across it: up 10-12 s, "hold" 12-20.1 s, down 20.1-22 s.
ACROSS = make_rep(1, 3, 10.0, concentric_s=2.0, top_hold_s=8.1, eccentric_s=1.9, in_gap=True)


def _progress(seconds: float, lost: int = 0) -> Progress:
    return Progress(samples=round(seconds * RATE), seconds=seconds, lost_samples=lost,
                    gaps=1 if lost else 0, clock_drift_ppm=None, journal_error=None)


def _lost_and_back() -> list[object]:
    """Streaming to 12 s, lost there for 8 s, back, then the rep across the loss."""
    return [Connected(INFO, reconnect=False), RepDone(make_rep(1, 1, 2.0), 0.0, 0.0),
            _progress(12.0), Disconnected(12 * RATE)]


def _back(state: CoachingState, clock: ManualClock) -> None:
    clock.now += 8.0
    state.apply(Connected(INFO, reconnect=True))
    state.apply(_progress(21.0, lost=8 * RATE))
    state.apply(RepDone(ACROSS, 0.0, 0.0))


def test_the_state_sends_no_length_for_a_phase_over_the_loss() -> None:
    clock = ManualClock()
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    for event in _lost_and_back():
        state.apply(event)
    _back(state, clock)
    phases = {p["phase"]: p for p in state.snapshot()["last_rep"]["phases"]}
    assert phases["top_hold"]["over_gap"] is True
    assert phases["top_hold"]["measured_s"] is None  # not the 8.1 s without data
    # The lift, before the loss, and the lowering after it are still told (grey: not judged).
    assert phases["concentric"]["over_gap"] is False
    assert phases["concentric"]["measured_s"] == pytest.approx(2.0)
    assert phases["eccentric"]["measured_s"] == pytest.approx(1.9)
    assert all(p["ok"] is None for p in phases.values())


def test_a_rep_over_no_known_loss_has_every_phase_over_the_gap() -> None:
    """Samples lost without the link dropping: where the gap lies is not known here."""
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=ManualClock())
    state.apply(Connected(INFO, reconnect=False))
    state.apply(RepDone(ACROSS, 0.0, 0.0))
    phases = state.snapshot()["last_rep"]["phases"]
    assert [p["over_gap"] for p in phases] == [True, True, True]
    # A judged rep has none.
    state.apply(RepDone(make_rep(1, 4, 30.0), 0.0, 0.0))
    assert [p["over_gap"] for p in state.snapshot()["last_rep"]["phases"]] == [False] * 3


@pytest.mark.slow
def test_the_page_says_over_gap_not_the_lost_seconds(browser: Browser) -> None:
    clock = ManualClock()
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    with ServerThread(state) as srv:
        browser.open(srv.url, 390, 844)
        srv.feed(_lost_and_back())
        clock.now += 8.0
        srv.feed([Connected(INFO, reconnect=True), _progress(21.0, lost=8 * RATE),
                  RepDone(ACROSS, 0.0, 0.0)])
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser.driver, 10, poll_frequency=0.05).until(
            lambda _d: browser.js("return document.getElementById('rep-count').textContent")
            == "2", message="page never counted the rep across the loss")
        cells = browser.js("return [...document.querySelectorAll('#last-phases .cell')]"
                           ".map(c => c.innerText.replace(/\\s+/g, ' ').trim())")
        assert "8.1" not in " ".join(cells), cells
        assert "over gap" in cells[1].lower(), cells
        assert cells[0].lower().startswith("up 2.0"), cells
        row = browser.js("return document.querySelector('#reps li[data-number=\"2\"]')"
                         ".innerText")
        assert "8.1" not in row and "hold over gap" in row, row
        # The cell's words stay inside it on a phone (no sideways scroll).
        width, doc = browser.js(
            "return [window.innerWidth, document.documentElement.scrollWidth]")
        assert doc == width
        over = browser.js("const c = document.querySelectorAll('#last-phases .cell')[1];"
                          "const v = c.querySelector('.val');"
                          "return [v.scrollWidth, c.clientWidth]")
        assert over[0] <= over[1], over
        browser.screenshot("live_phone_over_gap")
