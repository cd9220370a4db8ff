"""The coaching page shows no empty phase bar while nothing is timed.

UX review: while the movement was learned (the first 2-3 reps), and while connecting or
after the sensor came back ("carry on"), the page showed an empty grey bar under the phase
words: from the floor it read as a timer stuck at zero. The bar is there only while it fills
against a phase's clock.
"""

from __future__ import annotations

import pytest

from imu.live.events import Connected, PhaseStarted
from imu.live.web.state import CoachingState
from tests.browser import Browser
from tests.live.web_support import CRUNCH_TEMPO, INFO, ManualClock, ServerThread, progress

SHOWN = ("const b = document.querySelector('.bar');"
         "return b.getClientRects().length > 0 && getComputedStyle(b).display !== 'none'")


def _wait(browser: Browser, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, 10, poll_frequency=0.05).until(
        lambda _d: condition(), message=f"page never showed {what}")


@pytest.mark.slow
def test_no_empty_bar_while_learning_then_the_bar_with_the_phase_clock(browser: Browser) -> None:
    clock = ManualClock()
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, clock=clock)
    with ServerThread(state) as srv:
        browser.open(srv.url, 390, 844)
        srv.feed([Connected(INFO, reconnect=False), progress(4.0)])
        _wait(browser, lambda: browser.js(
            "return document.getElementById('phase').textContent") == "learning the movement",
            "the learning phase")
        assert not browser.js(SHOWN)
        browser.screenshot("live_phone_learning_no_bar")
        srv.feed([PhaseStarted("concentric", 1, 4.0, 4.3, 3.0), progress(4.5)])
        _wait(browser, lambda: browser.js(
            "return document.getElementById('phase').textContent") == "up", "the lift")
        _wait(browser, lambda: bool(browser.js(SHOWN)), "the phase bar")
