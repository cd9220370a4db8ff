"""The phone's coaching page tells a standing strict lift's hip drives placed in time.

The terminal's lines already did ("hip drive at 95 s: pelvis moved 15 deg; HIP DRIVE: ..."),
but the page still showed a rep count "reps · set 3", the header "tempo 2-0-2", and each hip
drive as a rep with up/hold/down cells against that tempo ("up 0.4 of 2 s") and a "swing"
badge. Now it counts the session's hip drives (as the pause line and the report's advice count
them: an uncertain one or one over a data gap is listed but left out, and said), with no set
and no tempo, and each hip drive reads "hip drive at 95 s · pelvis moved 15°".
"""

from __future__ import annotations

import dataclasses

from imu.core.metrics import Rep
from imu.exercises import get_profile
from imu.live.events import Connected, PhaseStarted, RepDone, SetEnded
from imu.live.web.state import CoachingState
from imu.tempo import parse_tempo
from tests.browser import Browser
from tests.live.test_web_browser import PHONE, text, visible, wait_for
from tests.live.web_support import INFO, ServerThread, progress
from tests.report.helpers import make_rep

STRICT = get_profile("standing-strict")
TEMPO = parse_tempo("2-0-2")


def _drive(set_no: int, rep_no: int, start_s: float, rom_deg: float, **kwargs: object) -> Rep:
    rep = make_rep(set_no, rep_no, start_s, concentric_s=0.4, top_hold_s=0.1,
                   eccentric_s=0.5, rom_deg=rom_deg, swing=True, tempo_ok=False)
    return dataclasses.replace(rep, **kwargs)  # type: ignore[arg-type]


def _drives() -> tuple[Rep, ...]:
    """Two hip drives, a pause (a "set" the analyzer split off), an uncertain one, one more."""
    return (_drive(1, 1, 13.2, 15.0), _drive(1, 2, 20.4, 14.0),
            _drive(2, 1, 60.0, 9.0, count_confidence=0.3), _drive(2, 2, 95.4, 16.0))


def _events(reps: tuple[Rep, ...]) -> list[object]:
    """What a live session says of them: a strict lift's phases carry no prescription and
    it never cues "slower" (imu.live.session)."""
    events: list[object] = [Connected(INFO, reconnect=False)]
    for i, rep in enumerate(reps):
        events += [PhaseStarted("concentric", i + 1, rep.con_start_s, rep.con_start_s + 0.3,
                                None),
                   PhaseStarted("bottom_pause", i + 1, rep.ecc_end_s, rep.ecc_end_s + 0.3,
                                None, rep_ended=True),
                   RepDone(rep, 0.0, 0.0), progress(rep.ecc_end_s + 0.3)]
        if i + 1 == len(reps) or reps[i + 1].set != rep.set:
            events.append(SetEnded(rep.set, tuple(r for r in reps if r.set == rep.set)))
    return events


def test_the_state_counts_the_sessions_hip_drives_placed_in_time() -> None:
    state = CoachingState(STRICT.title, TEMPO, clock=lambda: 100.0, profile=STRICT)
    for event in _events(_drives()):
        state.apply(event)
    snap = state.snapshot()
    assert snap["hip_drive"] is True
    # The session's hip drives, not the reps of "set 2": the uncertain one is left out.
    assert (snap["count"], snap["count_label"]) == (3, "hip drives")
    assert snap["count_note"] == "1 uncertain left out"
    rows = snap["reps"]
    assert [r["hip_drive"]["text"] for r in rows] == [
        "hip drive at 13 s", "hip drive at 20 s", "hip drive at 60 s", "hip drive at 95 s"]
    assert all(r["phases"] == [] for r in rows)  # no up/hold/down against a tempo
    assert [r["hip_drive"]["counted"] for r in rows] == [True, True, False, True]
    # Why, as the report and the other screens say it (hip_drive_uncertain), not "may be sway".
    assert rows[2]["hip_drive"]["note"] == (
        "uncertain: may not be a hip drive (not clear of the noise: it wavered 3° just "
        "before); not counted")
    last = snap["last_rep"]
    assert last["hip_drive"]["at_s"] == 95.4 and round(last["hip_drive"]["moved_deg"]) == 16
    assert last["hip_drive"]["note"] is None and last["tut_s"] is None


def test_a_hip_drive_over_a_gap_is_listed_not_counted() -> None:
    state = CoachingState(STRICT.title, TEMPO, clock=lambda: 100.0, profile=STRICT)
    state.apply(RepDone(_drive(1, 1, 13.2, 15.0, in_gap=True), 0.0, 0.0))
    snap = state.snapshot()
    assert (snap["count"], snap["count_label"]) == (0, "hip drives")
    assert snap["count_note"] == "1 not judged (over a data gap)"
    assert snap["last_rep"]["hip_drive"]["note"] == "not judged (data gap)"


def test_other_exercises_keep_their_reps_and_phases() -> None:
    state = CoachingState("Reverse crunch", parse_tempo("3-1-3"), clock=lambda: 100.0,
                          profile=get_profile("reverse-crunch"))
    state.apply(RepDone(make_rep(1, 1, 5.0), 0.0, 0.0))
    snap = state.snapshot()
    assert snap["hip_drive"] is False and snap["count_label"] == "reps"
    assert snap["count_note"] == ""
    assert [p["label"] for p in snap["last_rep"]["phases"]] == ["up", "hold", "down"]
    assert snap["last_rep"]["hip_drive"] is None


def test_the_phone_page_shows_hip_drives_not_reps_with_phases(browser: Browser) -> None:
    reps = _drives()
    with ServerThread(CoachingState(STRICT.title, TEMPO, profile=STRICT)) as srv:
        browser.open(srv.url, *PHONE)
        srv.feed(_events(reps))
        wait_for(browser, lambda: text(browser, "rep-count") == "3", "3 hip drives")
        assert text(browser, "count-label") == "hip drives"
        assert not visible(browser, "set-part")  # no "set 2": no set the person did
        assert text(browser, "total") == "(1 uncertain left out)"
        assert text(browser, "tempo") == ""  # no "tempo 2-0-2"
        # The last hip drive, placed in time, with no up/hold/down cells.
        assert visible(browser, "last")
        assert text(browser, "last-head-word") == "hip drive at 95 s"
        assert text(browser, "last-no") == "· pelvis moved 16°"
        assert browser.js("return document.querySelectorAll('#last-phases .cell').length") == 0
        assert text(browser, "badges") == "hip drive"
        # Every hip drive of the session, newest first, as the terminal's lines tell them.
        items = browser.js("return [...document.querySelectorAll('#reps li')]"
                           ".map(li => li.innerText.replace(/\\s+/g, ' '))")
        assert items == [
            "hip drive at 95 s pelvis moved 16°",
            "hip drive at 60 s pelvis moved 9° "
            "uncertain: may not be a hip drive (not clear of the noise: it wavered 3° just "
            "before); not counted",
            "hip drive at 20 s pelvis moved 14°",
            "hip drive at 13 s pelvis moved 15°",
        ], items
        page = browser.js("return document.querySelector('main').innerText")
        for word in ("reps", "set 2", "up ", "of 2 s", "on tempo", "swing", "last rep"):
            assert word not in page, (word, page)
        browser.screenshot("live_phone_hip_drives_390x844", full=True)


def test_the_terminal_panel_counts_the_same_hip_drives() -> None:
    """The full-screen terminal view said "reps · set 2 · 4 in all" of the same hip drives."""
    from rich.console import Console

    from imu.core.metrics import TempoTolerance
    from imu.live.views import RichView
    from tests.live.web_support import ManualClock, rendered

    view = RichView(Console(), TEMPO, TempoTolerance(), False, STRICT, clock=ManualClock())
    for event in _events(_drives())[:-1]:  # the last pause not told yet
        view(event)
    text = rendered(view)
    lines = [line.strip("│ ") for line in text.splitlines()]
    assert any(line.startswith("hip drives ") for line in lines), text  # the count's label
    assert any(line.startswith("(1 uncertain left out) ") for line in lines), text
    panel = " ".join(text.split())
    assert "last: hip drive at 95 s" in panel and "last hip drive: the hips drove" in panel
    for word in ("reps", "set 2", "in all", "last rep", "tempo 2-0-2"):
        assert word not in panel, (word, panel)
