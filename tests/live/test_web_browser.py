"""The coaching screen in headless Chromium at phone size, fed scripted session events.

The end-to-end run through ``imu live --sim ... --web`` is in ``test_web_e2e.py``; here the
events are scripted (:mod:`tests.live.helpers`) so every state of the page is reached for sure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from imu.live.events import Disconnected, Finished, PhaseStarted, RepDone, SetEnded
from imu.live.web.state import CoachingState
from tests.browser import Browser
from tests.live.web_support import CRUNCH_TEMPO, ServerThread, rep_events, session_events
from tests.live.web_support import crunch_reps as load_crunch_reps

PHONE = (390, 844)


@pytest.fixture(scope="module")
def crunch_reps():
    """The bundled reverse crunch's 12 reps (analysed once per session)."""
    return list(load_crunch_reps())


def text(browser: Browser, element_id: str) -> str:
    """The element's text as in the DOM (CSS may show it upper-case)."""
    return str(browser.js(f"return document.getElementById('{element_id}').textContent"))


def visible(browser: Browser, element_id: str) -> bool:
    return bool(browser.js(
        f"const e = document.getElementById('{element_id}');"
        "return !!e && !e.hidden && e.getClientRects().length > 0"
    ))


def wait_for(browser: Browser, condition: Callable[[], Any], what: str,
             timeout_s: float = 10) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, timeout_s, poll_frequency=0.05).until(
        lambda _d: condition(), message=f"page never showed {what}"
    )


def check_phone_layout(browser: Browser) -> None:
    """No sideways scroll; the count is huge and, with the phase, inside the first screen."""
    inner, doc = browser.js("return [window.innerWidth, document.documentElement.scrollWidth]")
    assert inner == PHONE[0] and doc == inner, f"page {doc} px wide in a {inner} px viewport"
    count = browser.js("const r = document.getElementById('rep-count').getBoundingClientRect();"
                       "return [r.top, r.bottom, parseFloat(getComputedStyle("
                       "document.getElementById('rep-count')).fontSize)]")
    assert count[0] >= 0 and count[1] < PHONE[1] / 2 and count[2] >= 120
    phase_bottom = browser.js(
        "return document.querySelector('.bar').getBoundingClientRect().bottom")
    assert phase_bottom < PHONE[1] * 0.6
    bg = browser.js("return getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(0, 0, 0)"


@pytest.mark.slow
def test_the_page_follows_a_set_reloads_and_cues(browser: Browser, crunch_reps):
    set1 = [r for r in crunch_reps if r.set == 1]
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        wait_for(browser, lambda: text(browser, "phase") == "waiting for the sensor",
                 "the waiting phase")
        assert text(browser, "rep-count") == "0"
        check_phone_layout(browser)

        # Three reps: the count climbs and each finished rep is held against 3-1-3.
        events = list(session_events(set1, CRUNCH_TEMPO))
        done_3 = [i for i, e in enumerate(events) if type(e).__name__ == "RepDone"][2]
        srv.feed(events[: done_3 + 1])
        wait_for(browser, lambda: text(browser, "rep-count") == "3", "3 reps")
        assert browser.js("return document.getElementById('link').dataset.state") == "connected"
        cells = browser.js("return [...document.querySelectorAll('#last-phases .cell')]"
                           ".map(c => [c.dataset.phase, c.className])")
        # Rep 3 of the bundled crunch: a 1.1 s leg toss up (red), 1.0 s hold, 3.1 s down.
        assert cells == [["concentric", "cell bad"], ["top_hold", "cell ok"],
                         ["eccentric", "cell ok"]]
        assert "swing" in text(browser, "badges")
        assert browser.js("return document.querySelectorAll('#reps li').length") == 3
        first = browser.js("return document.querySelector('#reps li[data-number=\"1\"]')"
                           ".innerText")
        assert "dropped descent" in first

        # Rep 4 starts (the set's last rep drops its eccentric): phases, bar, the cue.
        dropped = set1[5]
        part = [e for e in rep_events(dropped, 4, CRUNCH_TEMPO)
                if type(e).__name__ in ("PhaseStarted", "PaceCue")][:4]
        srv.feed(part[:1])
        wait_for(browser, lambda: text(browser, "phase") == "up", "the lift")
        srv.feed(part[1:])
        wait_for(browser, lambda: text(browser, "phase") == "down", "the lowering")
        wait_for(browser, lambda: visible(browser, "cue"), "the cue")
        assert text(browser, "cue").startswith("slower")
        # Plain words, and no session-wide rep number next to the set's count.
        assert "lowering in" in text(browser, "cue") and "aim for 3 s" in text(browser, "cue")
        # Two cues in the session so far: rep 1's and rep 4's dropped eccentrics.
        assert browser.js("return document.getElementById('cue').dataset.count") == "2"
        assert text(browser, "phase-time").endswith("/ 3 s")
        check_phone_layout(browser)
        shot = browser.screenshot("live_phone_390x844")
        assert shot.stat().st_size > 10_000

        # Reload mid-set: the whole state comes back.
        browser.driver.refresh()
        wait_for(browser, lambda: text(browser, "rep-count") == "3", "3 reps after reload")
        assert text(browser, "phase") == "down"
        assert visible(browser, "cue") and visible(browser, "last")
        assert browser.js("return document.querySelectorAll('#reps li').length") == 3

        # The metronome ticks the phase in progress once switched on (a tap on the page).
        browser.driver.find_element("id", "metronome").click()
        assert browser.js(
            "return document.getElementById('metronome').getAttribute('aria-pressed')") == "true"
        srv.feed([PhaseStarted("concentric", 5, 200.0, 200.0, 3.0)])
        wait_for(browser, lambda: int(browser.js(
            "return document.getElementById('metronome').dataset.ticks || 0")) >= 2,
            "two metronome ticks")

        # The set's last reps, then its end: the summary; then the link drops; then the end.
        srv.feed([RepDone(rep, 0.0, 0.0) for rep in set1[3:]])
        wait_for(browser, lambda: text(browser, "rep-count") == "6", "6 reps")
        srv.feed([SetEnded(1, tuple(set1))])
        wait_for(browser, lambda: visible(browser, "summary"), "the set summary")
        assert text(browser, "phase") == "rest"
        summary = text(browser, "summary")
        assert "Set 1 done" in summary and "on tempo" in summary
        browser.screenshot("live_phone_rest_390x844")
        srv.feed([Disconnected(at_sample=4000)])
        wait_for(browser, lambda: text(browser, "link") == "link lost, reconnecting",
                 "the lost link")
        srv.feed([Finished("stopped")])
        wait_for(browser, lambda: text(browser, "phase") == "session ended", "the end")


def test_reps_are_numbered_within_their_set_like_the_count(browser: Browser, crunch_reps):
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        # Set 1 (6 reps), its end, then set 2's first rep.
        srv.feed(list(session_events(crunch_reps[:7], CRUNCH_TEMPO)))
        wait_for(browser, lambda: text(browser, "set-no") == "2", "set 2")
        assert text(browser, "rep-count") == "1"
        # "1 rep, set 2" next to "last rep #7" read as two different counts; reps.csv and the
        # terminal call it rep 1 of set 2.
        assert text(browser, "last-no").startswith("#1")
        rows = browser.js("return [...document.querySelectorAll('#reps li .no')]"
                          ".map(e => e.textContent)")
        assert rows == ["#1"]


def test_at_speed_the_cue_goes_away_after_3_s_of_the_sets_time(browser: Browser, crunch_reps):
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=4.0)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        dropped = crunch_reps[0]  # a dropped eccentric: its events carry a "slower" cue
        srv.feed([next(iter(session_events([], CRUNCH_TEMPO))),
                  *rep_events(dropped, 1, CRUNCH_TEMPO)])
        wait_for(browser, lambda: visible(browser, "cue"), "the cue")
        start = dropped.ecc_end_s + 1.0
        srv.feed([PhaseStarted("concentric", 2, start, start + 0.3, 3.0)])
        # 3 s of the set at --speed 4 is 0.75 s on the wall: the cue must not hang over the
        # next rep for 3 wall seconds (12 s of the set, the whole next rep).
        wait_for(browser, lambda: not visible(browser, "cue"), "the cue gone", timeout_s=1.8)


def test_a_long_pause_at_the_bottom_reads_as_rest(browser: Browser, crunch_reps):
    """After the last rep of a set the page said 'BOTTOM PAUSE 7.0 s' for the 15 s before the
    analyzer ends the set; 5 s still at the bottom (here 1.25 s on the wall at --speed 4)
    now read as rest."""
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=4.0)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed([*session_events(crunch_reps[:1], CRUNCH_TEMPO)][:-1])  # no set end
        wait_for(browser, lambda: text(browser, "phase") == "pause", "the bottom pause")
        wait_for(browser, lambda: text(browser, "phase") == "rest", "rest", timeout_s=4.0)


def test_when_the_computer_is_gone_the_phase_clock_stops(browser: Browser, crunch_reps):
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed([*session_events(crunch_reps[:1], CRUNCH_TEMPO),
                  PhaseStarted("eccentric", 2, 40.0, 40.3, 3.0)])
        wait_for(browser, lambda: text(browser, "phase") == "down", "the lowering")
    # The server went away without the session's end (a phone off the Wi-Fi looks the same):
    # "ECCENTRIC 7.3 / 3 s" counting on would be made up.
    wait_for(browser, lambda: text(browser, "phase") == "no link to the computer", "no link")
    assert text(browser, "phase-time") == ""
    assert text(browser, "link") == "computer unreachable"


def test_the_end_message_gets_a_line_and_leaves_the_buttons_whole(browser: Browser,
                                                                   crunch_reps):
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO)
    with ServerThread(state) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed([*session_events(crunch_reps[:1], CRUNCH_TEMPO), Finished("stopped")])
        wait_for(browser, lambda: text(browser, "phase") == "session ended", "the end")
    wait_for(browser, lambda: "session over" in text(browser, "page-link"), "session over")
    # The message squeezed beside the buttons broke "sound off" onto two lines.
    heights = browser.js("return [...document.querySelectorAll('.controls button')]"
                         ".map(b => b.getBoundingClientRect().height)")
    assert all(h <= 52 for h in heights), heights
    link = browser.js("return document.getElementById('page-link').getBoundingClientRect()"
                      ".width")
    assert link > 300
    browser.screenshot("live_phone_ended_390x844")
