"""The plain line of an uncertain rep (``imu replay --plain``, ``imu live`` piped).

Found trying the tool on a simulated dead bug: "rep 4 (set 2, right): ... FAULT: back arch,
hips rotating" and "rep 5 ... FAULT: back arch", then "set 2 done: 8 reps, 8 on tempo, 0
swings, 0 faults (3 uncertain left out)": the set's line left the uncertain reps' faults out
(the report's rule) while nothing on the reps' own lines said they were uncertain.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from imu.core.metrics import Rep, TempoTolerance
from imu.exercises import get_profile
from imu.live.views import rep_line
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep

TEMPO = parse_tempo("2-1-2")
DEAD_BUG = get_profile("dead-bug")


def _unsure(**kwargs: Any) -> Rep:
    return dataclasses.replace(make_rep(2, 4, 30.0, side="right", **kwargs),
                               count_confidence=0.3)


def test_an_uncertain_rep_with_a_fault_says_it_is_not_counted() -> None:
    line = rep_line(_unsure(faults=("back_arch",)), TEMPO, TempoTolerance(), profile=DEAD_BUG)
    assert line.endswith("FAULT: back arch (uncertain: may not be a rep; its swing and faults "
                         "not counted)"), line


def test_an_uncertain_rep_without_one_says_only_that_it_is_uncertain() -> None:
    line = rep_line(_unsure(), TEMPO, TempoTolerance(), profile=DEAD_BUG)
    assert line.endswith("ROM 40 deg (uncertain: may not be a rep)"), line


def test_an_uncertain_hold_says_so_too() -> None:
    hold = _unsure(top_hold_s=45.0, faults=("hips_sagging",))
    line = rep_line(hold, parse_tempo("1-45-1"), TempoTolerance(), hold=True)
    assert line.endswith("(uncertain: may not be a hold; its faults not counted)"), line


def test_a_sure_rep_and_a_rep_over_a_gap_add_nothing() -> None:
    sure = make_rep(2, 4, 30.0, faults=("back_arch",))
    assert "uncertain" not in rep_line(sure, TEMPO, TempoTolerance(), profile=DEAD_BUG)
    gap = dataclasses.replace(_unsure(faults=("back_arch",)), in_gap=True)
    line = rep_line(gap, TEMPO, TempoTolerance(), profile=DEAD_BUG)
    assert "uncertain" not in line and "in a gap" in line
