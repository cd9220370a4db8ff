"""The live set tile follows the report's rule for uncertain reps, and a strict lift's is told
by its hip drives (findings of a new-user trial).

An uncertain rep (``count_confidence`` under 0.5) may be no rep: the report's advice, its
sets and session tables leave its swing and faults out, and never count it clean. The
terminal's set line and the page's set tiles counted its fault ("5 faults" beside the advice's
4); they now leave it out and say how many they left out. A standing strict lift's "set" is a
stretch of hip drives between pauses, not the person's set: its tile counts hip drives.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from imu.core.metrics import Rep, TempoTolerance
from imu.exercises import get_profile
from imu.live.events import SetEnded, set_coaching
from imu.live.views import set_line
from imu.live.web.state import CoachingState
from imu.report import reps_table, sets_table
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep

T212 = parse_tempo("2-1-2")
STRICT = get_profile("standing-strict")
APP_JS = (Path(__file__).resolve().parents[2] / "imu" / "live" / "web" / "static" / "app.js")


def _set() -> tuple[Rep, ...]:
    """Four reps: rep 2 uncertain (0% sure) with a fault, rep 3 sure with one."""
    reps = [make_rep(1, k, 10.0 * k) for k in range(1, 5)]
    reps[1] = dataclasses.replace(reps[1], faults=frozenset({"hips_rotating"}),
                                  count_confidence=0.0)
    reps[2] = dataclasses.replace(reps[2], faults=frozenset({"back_arch"}))
    return tuple(reps)


def test_the_terminal_set_line_leaves_the_uncertain_rep_out_and_says_so() -> None:
    line = set_line(1, _set())
    assert "1 fault (1 uncertain left out)" in line
    # The report's set row counts the same.
    sets = sets_table(reps_table(list(_set())))
    assert int(sets[[c for c in sets.columns if c.endswith("_count")]].iloc[0].sum()) == 1
    everyone = set_line(1, tuple(dataclasses.replace(r, count_confidence=1.0) for r in _set()))
    assert "2 faults," in everyone and "uncertain" not in everyone


def test_the_page_set_tile_leaves_the_uncertain_rep_out_and_says_so() -> None:
    state = CoachingState("Bird-dog", T212, clock=lambda: 100.0)
    state.apply(SetEnded(1, _set()))
    tile = state.snapshot()["resting"]
    assert tile["faults"] == 1 and tile["uncertain"] == 1
    assert tile["fault_names"] == ["back arch"]
    # The uncertain rep neither counts as clean nor ends the run: rep 1, then the fault.
    assert tile["clean_before_first_fault"] == 1
    assert tile["hip_drive"] is False
    # The page says how many the counts left out.
    js = APP_JS.read_text(encoding="utf-8")
    assert "uncertain left out" in js and "sum.uncertain" in js


def test_a_strict_lifts_tile_counts_hip_drives_not_a_set_of_reps() -> None:
    drives = [make_rep(1, k, 10.0 * k, swing=True) for k in range(1, 4)]
    drives[2] = dataclasses.replace(drives[2], count_confidence=0.1)
    line = set_line(1, tuple(drives), profile=STRICT)
    assert line == "paused: 2 hip drives (1 uncertain left out) in the lifts since the last pause"
    assert "set 1" not in line and "rep" not in line
    _cue, why, _good = set_coaching(drives, parse_tempo("2-0-2"), TempoTolerance(),
                                    profile=STRICT)
    assert why == "2 hip drives since the last pause; 1 uncertain left out"
    state = CoachingState("Standing strict lift", parse_tempo("2-0-2"), clock=lambda: 100.0,
                          profile=STRICT)
    state.apply(SetEnded(1, tuple(drives)))
    tile = state.snapshot()["resting"]
    assert tile["hip_drive"] is True and tile["swings"] == 2 and tile["uncertain"] == 1
    js = APP_JS.read_text(encoding="utf-8")
    assert 'sum.hip_drive ? "Paused"' in js
