"""The live set lines leave a rep over a data gap unjudged, as the report does: its swing and
faults are not counted, and a set whose every rep was over a gap lasted an unknown time under
tension, never "0 s"."""

from __future__ import annotations

import json
from dataclasses import replace

from imu.core.metrics import TempoTolerance
from imu.live.events import NOT_JUDGED_SET, SetEnded, set_coaching
from imu.live.views import set_line
from imu.tempo import parse_tempo
from tests.live.test_web_state import make_state
from tests.report.helpers import make_rep, make_set

T313 = parse_tempo("3-1-3")


def _lost_set() -> tuple:
    return tuple(make_rep(1, k + 1, 9.0 * k, concentric_s=3.0, eccentric_s=3.0,
                          tempo_ok=False, in_gap=True) for k in range(3))


def test_the_set_line_of_a_set_all_over_gaps_has_an_unknown_time_under_tension() -> None:
    line = set_line(1, _lost_set())
    assert line.endswith("time under tension unknown (sensor lost)")
    assert "0 on tempo, 3 not judged (over a data gap)" in line


def test_the_set_line_counts_the_swings_and_faults_of_the_reps_judged() -> None:
    reps = make_set(1, 4, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[3] = make_rep(1, 4, 27.0, concentric_s=1.0, eccentric_s=1.0, swing=True,
                       faults=["dropped_eccentric"], tempo_ok=False, in_gap=True)
    line = set_line(1, tuple(reps))
    assert "0 swings, 0 faults" in line
    assert "time under tension 21 s" in line


def test_the_set_coaching_counts_faults_of_the_reps_judged() -> None:
    tol = TempoTolerance()
    reps = make_set(1, 4, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    # A dropped descent over a gap alone is no fault to coach.
    gapped = [*reps[:3], make_rep(1, 4, 27.0, concentric_s=3.0, eccentric_s=1.0,
                                  faults=["dropped_eccentric"], tempo_ok=False, in_gap=True)]
    cue, why, good = set_coaching(tuple(gapped), T313, tol)
    assert (cue, good) == ("good set: every rep on tempo", True)
    # One judged, one over a gap: "1 of 3 reps", not "2 of 4".
    gapped[0] = make_rep(1, 1, 0.0, concentric_s=3.0, eccentric_s=1.0,
                         faults=["dropped_eccentric"], tempo_ok=False)
    cue, why, good = set_coaching(tuple(gapped), T313, tol)
    assert why.endswith("in 1 of 3 reps") and not good
    # Every rep over a gap: not judged, whatever faults they were given.
    lost = tuple(replace(r, faults=frozenset({"dropped_eccentric"})) for r in _lost_set())
    assert set_coaching(lost, T313, tol)[0] == NOT_JUDGED_SET


def test_the_page_set_summary_of_a_set_all_over_gaps_has_no_time_under_tension() -> None:
    state, _ = make_state()
    state.apply(SetEnded(1, _lost_set()))
    summary = state.snapshot()["resting"]
    assert summary["tut_s"] is None and summary["not_judged"] == 3
    json.dumps(state.snapshot(), allow_nan=False)
