"""Reps over a data gap are not judged (:func:`imu.report.tables.judged`), to the end.

The review found two loose ends. A set (or a session) whose every rep was over a gap showed
"0 s" time under tension, as if no work was done, where how long the reps lasted is not
known. And the fault evidence still counted a rep over a gap: "3 of 5 reps were leg tosses:
3 came up in under half the prescribed 3 s" named the rep whose 8 s of lost samples made
its phases, and "descents lasted under 2 s" took its bridged descent as the longest.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from rich.console import Console

from imu.exercises import get_profile
from imu.io.recording import RecordingMeta
from imu.report import SessionReport, reps_table, session_table, sets_table
from imu.report.coaching import session_verdict
from imu.report.html import render_html
from imu.report.summary import (
    findings,
    rule_back_arch,
    rule_dropped_eccentric,
    rule_swing,
    summarize,
    summary_lines,
)
from imu.report.tables import TUT_UNKNOWN, judged_tut_s, tut_text
from imu.report.terminal import sets_view
from imu.tempo import parse_tempo
from imu.text import tempo_and_time
from tests.report.helpers import make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
LEG_RAISE = get_profile("leg-raise")
T313 = parse_tempo("3-1-3")
META = RecordingMeta(104.0)


def two_sets_second_lost():
    """Set 1: three judged reps; set 2: two reps, both over a data gap."""
    reps = make_set(1, 3, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps += [make_rep(2, k + 1, 60.0 + 9.0 * k, concentric_s=3.0, top_hold_s=6.0,
                      eccentric_s=3.0, tempo_ok=False, in_gap=True) for k in range(2)]
    return reps_table(reps)


def all_lost():
    """One set of three reps, every one over a data gap."""
    return reps_table([make_rep(1, k + 1, 9.0 * k, concentric_s=3.0, eccentric_s=3.0,
                                tempo_ok=False, in_gap=True) for k in range(3)])


def _printed(renderable: object) -> str:
    console = Console(record=True, width=140, color_system=None)
    console.print(renderable)
    return console.export_text()


# --------------------------------------------------------------- time under tension unknown


def test_a_set_whose_every_rep_is_over_a_gap_has_an_unknown_time_under_tension() -> None:
    sets = sets_table(two_sets_second_lost())
    first, second = sets.iloc[0], sets.iloc[1]
    assert first["tut_s"] == pytest.approx(3 * 7.0)
    # Not 0 s: the two reps lasted an unknown time.
    assert math.isnan(second["tut_s"])
    for column in ("concentric_s_mean", "top_hold_s_mean", "eccentric_s_mean", "rom_deg_mean",
                   "tempo_ok_share"):
        assert math.isnan(second[column]), column
    assert second["reps"] == 2 and second["clean_reps"] == 0
    # The terminal prints "-" for it, never "0".
    row = next(line for line in _printed(sets_view(sets)).splitlines()
               if re.match(r"\s*2\s+2\s", line))
    assert row.split()[3] == "-"


def test_a_session_whose_every_rep_is_over_a_gap_has_an_unknown_time_under_tension() -> None:
    reps = all_lost()
    session = session_table(reps, sets_table(reps), CRUNCH, T313, META, 40.0).iloc[0]
    assert math.isnan(session["tut_s"])
    assert math.isnan(session["eccentric_s_median"]) and math.isnan(session["rom_deg_median"])
    assert math.isnan(judged_tut_s(reps))
    # No reps at all: no tension, 0 s (nothing was lost).
    empty = reps.iloc[0:0]
    assert judged_tut_s(empty) == 0.0
    # Some reps judged: theirs.
    assert judged_tut_s(two_sets_second_lost()) == pytest.approx(21.0)


def test_the_summary_says_the_time_under_tension_is_unknown() -> None:
    summary = summarize(all_lost(), CRUNCH, T313, lost_spans_s=[(0.0, 30.0)])
    assert math.isnan(summary.tut_s)
    first = summary_lines(summary)[0]
    assert first == f"3 reps, 0 clean, time under tension {TUT_UNKNOWN}"
    assert "0 s under tension" not in first and "nan" not in first
    assert tut_text(math.nan) == TUT_UNKNOWN and tut_text(20.4) == "20 s"


def test_the_command_line_says_the_time_under_tension_is_unknown() -> None:
    reps = all_lost()
    row = session_table(reps, sets_table(reps), CRUNCH, T313, META, 40.0).iloc[0]
    text = tempo_and_time(reps, T313, False, row)
    assert text == "tempo 3-1-3, time under tension unknown (sensor lost)"


def test_the_page_says_the_time_under_tension_is_unknown(report: SessionReport) -> None:
    reps = two_sets_second_lost()
    sets = sets_table(reps)
    lost = replace(report, reps=reps, sets=sets, tempo=T313,
                   session=session_table(reps, sets, CRUNCH, T313, report.meta, 90.0))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_html([lost])))
    assert "3 of 3 on tempo, 21 s under tension" in text  # set 1
    assert (f"2 reps (2 over a data gap, not judged): 0 clean (no form fault), 0 clean before "
            f"the first swing or fault, 0 of 0 on tempo, time under tension {TUT_UNKNOWN}") in text
    assert "0 s under tension" not in text and "nan" not in text.lower().split()

    reps = all_lost()
    sets = sets_table(reps)
    every = replace(report, reps=reps, sets=sets, tempo=T313,
                    session=session_table(reps, sets, CRUNCH, T313, report.meta, 40.0))
    page = render_html([every])
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    summary = text[text.index("Summary"):text.index("Reps by set")]
    assert f"– time under tension {TUT_UNKNOWN}" in summary
    assert "0 s time under tension" not in summary
    assert "Time under tension (s) -" in text  # the session details
    assert "nan s" not in text


# --------------------------------------------------------------- fault evidence


def fault_reps():
    """Five 3-1-3 reps, three judged: reps 1-2 swung up in 1 s; rep 3 too, but over a data
    gap; rep 4 dropped its descent (1.2 s), rep 5 too (1.6 s) but over a gap."""
    reps = make_set(1, 5, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    for k in (0, 1):
        reps[k] = make_rep(1, k + 1, 9.0 * k, concentric_s=1.0, eccentric_s=3.0, swing=True,
                           tempo_ok=False)
    reps[2] = make_rep(1, 3, 18.0, concentric_s=1.0, top_hold_s=9.0, eccentric_s=3.0,
                       swing=True, tempo_ok=False, in_gap=True)
    reps[3] = make_rep(1, 4, 27.0, concentric_s=3.0, eccentric_s=1.2,
                       faults=["dropped_eccentric"], tempo_ok=False)
    reps[4] = make_rep(1, 5, 36.0, concentric_s=3.0, eccentric_s=1.6,
                       faults=["dropped_eccentric"], tempo_ok=False, in_gap=True)
    return reps_table(reps)


def test_the_swing_evidence_leaves_the_rep_over_a_gap_out() -> None:
    finding = rule_swing(fault_reps(), CRUNCH, T313)
    assert finding is not None
    assert finding.evidence == ("2 of 3 reps were swings (leg tosses): both came up in under "
                                "half the prescribed 3 s (set 1, reps 1-2).")
    assert finding.count == 2 and finding.where == "set 1, reps 1-2"


def test_the_dropped_descent_evidence_leaves_the_rep_over_a_gap_out() -> None:
    finding = rule_dropped_eccentric(fault_reps(), CRUNCH, T313)
    assert finding is not None
    # Not "2 of 5 descents lasted under 2 s": the 1.6 s descent was over a gap.
    assert finding.evidence == ("1 of 3 descents lasted under 1.5 s against 3 s prescribed "
                                "(set 1, rep 4).")


def test_a_fault_seen_only_over_a_gap_is_no_finding() -> None:
    reps = make_set(1, 4, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[2] = replace(make_rep(1, 3, 18.0, concentric_s=3.0, eccentric_s=3.0,
                               faults=["back_arch", "dropped_eccentric"], swing=True,
                               tempo_ok=False, in_gap=True), arch_deg=9.0)
    table = reps_table(reps)
    assert rule_back_arch(table, CRUNCH, T313) is None
    assert rule_dropped_eccentric(table, CRUNCH, T313) is None
    assert rule_swing(table, CRUNCH, T313) is None
    assert findings(table, CRUNCH, T313) == []


def test_the_tables_count_swings_and_faults_of_the_reps_judged() -> None:
    reps = fault_reps()
    row = sets_table(reps).iloc[0]
    assert row["swings"] == 2 and row["dropped_eccentric_count"] == 1
    session = session_table(reps, sets_table(reps), CRUNCH, T313, META, 50.0).iloc[0]
    assert session["swing_share"] == pytest.approx(2 / 3)
    assert session["dropped_eccentric_share"] == pytest.approx(1 / 3)


def test_the_regress_verdict_counts_the_faults_of_the_reps_judged() -> None:
    """1 of 4 judged reps arched (25%, under the 30% that suggests regressing); a fifth
    arched over a gap (2 of 5 would be 40%)."""
    reps = make_set(1, 5, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[0] = make_rep(1, 1, 0.0, concentric_s=3.0, eccentric_s=3.0, faults=["back_arch"])
    reps[4] = make_rep(1, 5, 36.0, concentric_s=3.0, eccentric_s=3.0, faults=["back_arch"],
                       tempo_ok=False, in_gap=True)
    assert session_verdict(reps_table(reps), LEG_RAISE, T313).kind != "regress"
    reps[1] = make_rep(1, 2, 9.0, concentric_s=3.0, eccentric_s=3.0, faults=["back_arch"])
    verdict = session_verdict(reps_table(reps), LEG_RAISE, T313)
    assert verdict.kind == "regress" and "Back arch in 50% of reps" in verdict.text
