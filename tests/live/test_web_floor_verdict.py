"""The coaching screen's last-rep verdict, read from the floor on a phone.

Found on the floor at 390 x 844: the verdict of a good rep ("ON TEMPO") and the badges of a
faulty one were 18 px, under 3 mm on a phone and unreadable at 2-3 m; and once set 2 had
begun (count 0) the page still said "last rep #6" and "last rep: swing" of set 1's last rep,
as if the rep under way were meant.
"""

from __future__ import annotations

import dataclasses

import pytest

from imu.live.events import PhaseStarted, SetEnded
from imu.live.web.state import CoachingState
from tests.browser import Browser
from tests.live.test_web_browser import font_px, no_sideways_scroll, text, visible, wait_for
from tests.live.web_support import CRUNCH_TEMPO, ServerThread, rep_events, session_events
from tests.live.web_support import crunch_reps as load_crunch_reps

BADGE_MIN_PX = 22
"""Smallest verdict badge, CSS px (a phone's 390 px are about 6.5 cm: 22 px is about 3.7 mm)."""


def badges(browser: Browser) -> list[dict[str, float | str]]:
    """The last rep's badges: their text, font size and right edge (CSS px)."""
    return list(browser.js(
        "return [...document.querySelectorAll('#badges .badge')].map(b => ({text: b.textContent,"
        " px: parseFloat(getComputedStyle(b).fontSize), right: b.getBoundingClientRect().right}))"))


@pytest.mark.parametrize("width", [390, 360])
def test_a_good_reps_verdict_reads_from_the_floor(browser: Browser, width: int) -> None:
    set1 = [r for r in load_crunch_reps() if r.set == 1]
    assert set1[3].tempo_ok and not set1[3].faults and not set1[3].swing
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=0.01)
    with ServerThread(state) as srv:
        browser.open(srv.url, width, 844)
        srv.feed([e for e in session_events(set1[:4], CRUNCH_TEMPO)
                  if not isinstance(e, SetEnded)])
        wait_for(browser, lambda: text(browser, "badges") == "on tempo", "the on-tempo badge")
        (badge,) = badges(browser)
        assert float(badge["px"]) >= BADGE_MIN_PX
        browser.screenshot(f"live_phone_good_rep_{width}")
        # A long badge (a rep over a data gap) wraps inside the screen.
        gap_rep = dataclasses.replace(set1[4], in_gap=True)
        srv.feed(list(rep_events(gap_rep, 5, CRUNCH_TEMPO)))
        wait_for(browser, lambda: "data gap" in text(browser, "badges"), "the gap badge")
        assert all(float(b["px"]) >= BADGE_MIN_PX and float(b["right"]) <= width
                   for b in badges(browser))
        assert no_sideways_scroll(browser)


def test_a_faulty_reps_badges_read_from_the_floor(browser: Browser) -> None:
    set1 = [r for r in load_crunch_reps() if r.set == 1]
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=0.01)
    with ServerThread(state) as srv:
        browser.open(srv.url, 390, 844)
        srv.feed([e for e in session_events(set1[:3], CRUNCH_TEMPO)
                  if not isinstance(e, SetEnded)])
        wait_for(browser, lambda: text(browser, "badges") == "swing", "the swing badge")
        assert all(float(b["px"]) >= BADGE_MIN_PX for b in badges(browser))
        assert font_px(browser, "#correction .do") >= 36  # the correction stays the larger
        assert no_sideways_scroll(browser)


def test_the_last_rep_of_the_set_before_is_named_with_its_set(browser: Browser) -> None:
    reps = load_crunch_reps()
    set1 = [r for r in reps if r.set == 1]
    first_of_set2 = reps[len(set1)]
    assert first_of_set2.set == 2 and set1[-1].swing  # the correction: set 1's last rep's
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=0.01)
    with ServerThread(state) as srv:
        browser.open(srv.url, 390, 844)
        srv.feed(list(session_events(set1, CRUNCH_TEMPO)))
        wait_for(browser, lambda: text(browser, "phase") == "rest", "the rest")
        # Resting after set 1: its last rep is "the last rep".
        assert text(browser, "last-head-word") == "last rep"
        # Set 2's first lift: count 0, and set 1's last rep says which set it was of.
        srv.feed([PhaseStarted("concentric", len(set1) + 1, first_of_set2.con_start_s,
                               first_of_set2.con_start_s + 0.3, CRUNCH_TEMPO.concentric_s)])
        wait_for(browser, lambda: text(browser, "phase") == "up", "set 2's lift")
        assert text(browser, "rep-count") == "0" and text(browser, "set-no") == "2"
        assert text(browser, "last-head-word") == "last rep of set 1"
        assert text(browser, "last-no").startswith("#6")
        wait_for(browser, lambda: visible(browser, "correction"), "the correction")
        why = browser.js("return document.querySelector('#correction .why').textContent")
        assert why.startswith("last rep of set 1: ")
        browser.screenshot("live_phone_set2_starts_390x844")
        # Set 2's first rep done: the last rep is of this set again.
        srv.feed(list(rep_events(first_of_set2, len(set1) + 1, CRUNCH_TEMPO))[1:])
        wait_for(browser, lambda: text(browser, "rep-count") == "1", "set 2's first rep")
        assert text(browser, "last-head-word") == "last rep"
        assert text(browser, "last-no").startswith("#1")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_last_reps_phases_read_across_the_room_on_a_wide_screen(
        browser: Browser, size: tuple[int, int]) -> None:
    set1 = [r for r in load_crunch_reps() if r.set == 1]
    state = CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=0.01)
    with ServerThread(state) as srv:
        browser.open(srv.url, *size)
        srv.feed([e for e in session_events(set1[:3], CRUNCH_TEMPO)
                  if not isinstance(e, SetEnded)])
        wait_for(browser, lambda: text(browser, "badges") == "swing", "rep 3's swing")
        assert font_px(browser, "#last-phases .cell .val") >= 40
        assert float(badges(browser)[0]["px"]) >= 28
        # Each value stays inside its cell, on one line.
        assert browser.js(
            "return [...document.querySelectorAll('#last-phases .cell')].every(c => "
            "c.querySelector('.val').scrollWidth <= c.clientWidth &&"
            " c.querySelector('.val').getClientRects().length === 1)")
        assert no_sideways_scroll(browser)
        browser.screenshot(f"live_wide_last_rep_{size[0]}x{size[1]}")
