"""The ten-second summary: one test (at least) per rule of imu.report.summary."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from imu.exercises import get_profile
from imu.report import reps_table
from imu.report.summary import (
    MAX_FIXES,
    RULES,
    Finding,
    findings,
    rep_ranges,
    rule_back_arch,
    rule_body_swing,
    rule_dropped_eccentric,
    rule_hips_piking,
    rule_hips_rotating,
    rule_hips_sagging,
    rule_over_extension,
    rule_partial_rom,
    rule_shaking,
    rule_short_hold,
    rule_swing,
    rule_tempo,
    summarize,
    summary_lines,
    swing_details,
    uncertain_reps,
)
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
LEG_RAISE = get_profile("leg-raise")
PLANK = get_profile("plank")
T313 = parse_tempo("3-1-3")


def crunch_session() -> pd.DataFrame:
    """Two sets of 6 at 3-1-3: set 1 rep 6 and set 2 reps 5-6 dropped; 4 leg tosses."""
    reps = make_set(1, 6, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps += make_set(2, 6, 100.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    for i in (0, 3, 4, 6):
        r = reps[i]
        reps[i] = make_rep(r.set, r.rep, r.con_start_s, concentric_s=1.1, eccentric_s=3.0,
                           swing=True, tempo_ok=False)
    for i, ecc in ((5, 0.7), (10, 0.7), (11, 0.6)):
        r = reps[i]
        reps[i] = make_rep(r.set, r.rep, r.con_start_s, concentric_s=3.0, eccentric_s=ecc,
                           faults={"dropped_eccentric"}, tempo_ok=False)
    return reps_table(reps)


def test_rep_ranges_compress_consecutive_reps_per_set() -> None:
    reps = crunch_session()
    mask = reps["dropped_eccentric"]
    assert rep_ranges(reps, mask) == "set 1, rep 6; set 2, reps 5-6"
    assert rep_ranges(reps, reps["swing"]) == "set 1, reps 1, 4-5; set 2, rep 1"
    assert rep_ranges(reps, reps["swing"] & False) == ""


def test_dropped_eccentric_speaks_in_coaching_words_with_evidence() -> None:
    finding = rule_dropped_eccentric(crunch_session(), CRUNCH, T313)
    assert finding is not None
    assert finding.text == (
        "Slow the descent: 3 of 12 descents lasted under 1 s against 3 s prescribed "
        "(set 1, rep 6; set 2, reps 5-6)."
    )
    assert finding.count == 3


def test_swing_names_the_leg_toss_and_its_evidence() -> None:
    finding = rule_swing(crunch_session(), CRUNCH, T313)
    assert finding is not None
    assert finding.cue.startswith("Start each from a still bottom, curl the pelvis first")
    assert "4 of 12 reps were swings (leg tosses)" in finding.evidence
    assert "each came up in under half the prescribed 3 s" in finding.evidence
    assert "peak speed" not in finding.evidence  # hand-built reps peak at 50%
    assert "(set 1, reps 1, 4-5; set 2, rep 1)" in finding.evidence


@pytest.mark.parametrize(("n", "counted", "said"), [
    (3, [(3, "came up fast"), (3, "peaked early"), (0, "wound up")],
     "each came up fast and peaked early"),
    (3, [(2, "came up fast"), (3, "peaked early"), (1, "wound up")],
     "each peaked early, 2 came up fast, 1 wound up"),
    (2, [(2, "came up fast"), (0, "peaked early")], "both came up fast"),
    (1, [(1, "came up fast"), (1, "peaked early")], "it came up fast and peaked early"),
    (4, [(0, "came up fast")], ""),
])
def test_swing_signs_every_swing_showed_are_said_once(
        n: int, counted: list[tuple[int, str]], said: str) -> None:
    """"3 came up in under half ..., 3 reached top speed ..." repeated the count before the
    reps: a sign every swing showed is said of them together."""
    assert swing_details(n, counted) == said


def test_rules_are_silent_on_a_clean_session() -> None:
    reps = reps_table(make_set(1, 10, 0.0, concentric_s=3.0, eccentric_s=3.0))
    for name, rule in RULES:
        assert rule(reps, CRUNCH, T313) is None, name
    summary = summarize(reps, CRUNCH, T313)
    assert summary.fixes == () and summary.main_fault is None
    assert summary.clean_reps == 10 and summary.reps == 10


def test_ranking_most_reps_first_then_rule_order() -> None:
    summary = summarize(crunch_session(), CRUNCH, T313)
    assert [f.rule for f in summary.fixes] == ["swing", "dropped_eccentric"]
    assert summary.main_fault == "swing"
    assert summary.reps == 12 and summary.clean_reps == 5 and summary.sets == 2
    # equal counts: the eccentric cheat comes first (order of RULES)
    tie = reps_table(
        [make_rep(1, 1, 0.0, eccentric_s=0.5, faults={"dropped_eccentric"}),
         make_rep(1, 2, 9.0, concentric_s=0.5, swing=True)]
    )
    assert [f.rule for f in findings(tie, CRUNCH, parse_tempo("2-1-2"))] == [
        "dropped_eccentric", "swing"]


def test_at_most_two_fixes_the_rest_also_seen() -> None:
    reps = [make_rep(1, i + 1, 9.0 * i, faults={f}, rom_deg=3.0)
            for i, f in enumerate(("back_arch", "back_arch", "back_arch", "dropped_eccentric",
                                   "dropped_eccentric"))]
    reps.append(make_rep(1, 6, 60.0, concentric_s=0.5, swing=True, rom_deg=3.0))
    summary = summarize(reps_table(reps), LEG_RAISE, parse_tempo("2-1-2"))
    assert len(summary.fixes) == MAX_FIXES
    assert [f.rule for f in summary.fixes] == ["back_arch", "dropped_eccentric"]
    assert [f.rule for f in summary.also] == ["swing"]


def test_progression_advice_follows_and_says_where_the_person_stands() -> None:
    summary = summarize(crunch_session(), CRUNCH, T313)
    assert summary.advice.kind == "none"
    assert "best set (set 2) had 3 clean reps, all with a 3 s descent" in summary.advice.text
    assert "about 15" in summary.advice.text
    lines = summary_lines(summary)
    assert lines[0] == "12 reps, 5 clean, 69 s under tension"  # 5x7 + 4x5.1 + 3x4.7
    assert lines[1].startswith("Fix first: Start each from a still bottom")
    assert lines[-1] == summary.advice.text and "never diagnoses" in summary.disclaimer


def test_progression_advice_is_measured_against_the_tempo_used() -> None:
    """A live 2-1-2 session: the verdict names the shorter descent, not "0 clean reps"."""
    reps = reps_table(make_set(1, 4, 0.0, concentric_s=2.0, eccentric_s=2.0))
    summary = summarize(reps, CRUNCH, parse_tempo("2-1-1.5"))
    assert summary.clean_reps == 4
    assert "your best set had 4 clean reps, none with a 3 s descent" in summary.advice.text
    # Lowered in 2 s, past the 1.5 s prescribed: a note (slow descents are no fault) that
    # still names the prescription and the bar's tempo, as the 2 s are short of 3 s.
    assert "slower than the 1.5 s prescribed" in summary.advice.text
    assert "train at tempo 2-1-3" in summary.advice.text


def test_regress_advice_for_frequent_back_arch() -> None:
    reps = reps_table([make_rep(1, i + 1, 9.0 * i, rom_deg=3.0, faults={"back_arch"})
                       for i in range(5)])
    summary = summarize(reps, LEG_RAISE, parse_tempo("2-1-2"))
    assert summary.advice.kind == "regress"
    assert summary.main_fault == "back_arch"


QUANTITIES = ("concentric_ratio", "eccentric_ratio", "top_hold_ratio", "rom_ratio",
              "swing_features", "arch_deg", "rotation_deg", "body_swing_deg", "drift_deg",
              "shaking_dps", "count_confidence")
"""The measured-quantity columns of docs/analysis.md."""


def _without(reps: pd.DataFrame) -> pd.DataFrame:
    """The table as it was before the quantity columns (the rules must still speak)."""
    return reps.drop(columns=[c for c in QUANTITIES if c in reps.columns])


def _with(reps: pd.DataFrame, **columns: list[float]) -> pd.DataFrame:
    """The table with some measured-quantity columns set (docs/analysis.md)."""
    return reps.assign(**{k: pd.Series(v, index=reps.index, dtype="float64")
                          for k, v in columns.items()})


@pytest.mark.parametrize(
    ("rule", "fault", "column", "value", "cue", "with_quantity", "without"),
    [
        (rule_back_arch, "back_arch", "arch_deg", 7.2, "Keep the lower back pressed down",
         "by 7° (limit 5°)", "by more than 5°"),
        (rule_hips_rotating, "hips_rotating", "rotation_deg", 9.0, "Keep the hips level",
         "by 9° (limit 5°)", "by more than 5°"),
        (rule_body_swing, "body_swing", "body_swing_deg", 12.0, "Let the body stop swinging",
         "by 12° (limit 5°)", "by more than 5°"),
        (rule_hips_sagging, "hips_sagging", "drift_deg", -8.0, "Lift the hips",
         "by 8° (limit 5°)", "by more than 5°"),
        (rule_hips_piking, "hips_piking", "drift_deg", 6.0, "Lower the hips",
         "by 6° (limit 5°)", "by more than 5°"),
        (rule_shaking, "shaking", "shaking_dps", 9.0, "Shorten the hold",
         "by 9 deg/s (limit 6 deg/s)", "by more than 6 deg/s"),
    ],
)
def test_angle_rules_show_the_quantity_when_the_column_exists(
    rule, fault, column, value, cue, with_quantity, without
) -> None:
    reps = reps_table([make_rep(1, 1, 0.0), make_rep(1, 2, 9.0, faults={fault})])
    plain = rule(_without(reps), LEG_RAISE, parse_tempo("2-1-2"))
    assert plain is not None and plain.cue.startswith(cue)
    assert without in plain.evidence and "(set 1, rep 2)" in plain.evidence
    measured = rule(_with(reps, **{column: [0.0, value]}), LEG_RAISE, parse_tempo("2-1-2"))
    assert measured is not None and with_quantity in measured.evidence
    assert rule(reps_table([make_rep(1, 1, 0.0)]), LEG_RAISE, parse_tempo("2-1-2")) is None


def test_holds_are_called_holds_for_a_plank() -> None:
    reps = reps_table([make_rep(1, 1, 0.0, top_hold_s=40, faults={"hips_sagging"}),
                       make_rep(2, 1, 90.0, top_hold_s=40)])
    finding = rule_hips_sagging(reps, PLANK, parse_tempo("1-45-1"))
    assert finding is not None and "1 of 2 holds let the hips sag" in finding.evidence


def test_short_hold_against_the_prescription() -> None:
    reps = reps_table([make_rep(1, 1, 0.0, top_hold_s=5.0),
                       make_rep(1, 2, 12.0, top_hold_s=1.2, faults={"short_hold"}),
                       make_rep(1, 3, 24.0, top_hold_s=2.0, faults={"short_hold"})])
    finding = rule_short_hold(reps, get_profile("pelvic-tilt"), parse_tempo("2-5-2"))
    assert finding is not None
    assert finding.text == ("Hold the top longer: 2 of 3 top holds lasted 1.2-2.0 s against "
                            "5 s prescribed (set 1, reps 2-3).")


def test_partial_rom_with_and_without_the_ratio_column() -> None:
    reps = reps_table([make_rep(1, 1, 0.0, rom_deg=40), make_rep(1, 2, 9.0, rom_deg=40),
                       make_rep(1, 3, 18.0, rom_deg=18, faults={"partial_rom"})])
    plain = rule_partial_rom(_without(reps), CRUNCH, T313)
    assert plain is not None and plain.cue == "Use the full range"
    assert "18° against a usual 40°" in plain.evidence
    measured = rule_partial_rom(_with(reps, rom_ratio=[float("nan"), 1.0, 0.45]), CRUNCH, T313)
    assert measured is not None and "only 45% of your earlier range" in measured.evidence


def test_over_extension_with_and_without_the_ratio_column() -> None:
    reps = reps_table([make_rep(1, 1, 0.0, rom_deg=30), make_rep(1, 2, 9.0, rom_deg=30),
                       make_rep(1, 3, 18.0, rom_deg=45, faults={"over_extension"})])
    profile = get_profile("reverse-hip-raise")
    plain = rule_over_extension(_without(reps), profile, T313)
    assert plain is not None and plain.cue == "Stop at the line of the body"
    assert "45°, over 130%" in plain.evidence
    measured = rule_over_extension(_with(reps, rom_ratio=[float("nan"), 1.0, 1.5]), profile, T313)
    assert measured is not None and "to 150% of your earlier range" in measured.evidence


def test_tempo_rule_speaks_only_for_clean_off_tempo_reps() -> None:
    slow_hold = reps_table(make_set(1, 6, 0.0, concentric_s=3.0, top_hold_s=0.2,
                                    eccentric_s=3.0, tempo_ok=False))
    finding = rule_tempo(slow_hold, CRUNCH, T313)
    assert finding is not None
    assert finding.cue == "Hold the top much longer"  # a short hold (0.2 s of 1) is held longer
    assert finding.phase == "top hold"
    assert "6 of 6 clean reps were off the 3-1-3 tempo in the top hold phase" in finding.evidence
    assert "0.2 s (median) against 1 s" in finding.evidence
    rushed = reps_table(make_set(1, 6, 0.0, concentric_s=1.0, top_hold_s=1.0,
                                 eccentric_s=3.0, tempo_ok=False))
    rushed_finding = rule_tempo(rushed, CRUNCH, T313)
    assert rushed_finding is not None and rushed_finding.cue == "Take longer on the way up"
    # 1 s against 3 s: three times, plain (not "a little", not "much")
    # Off-tempo reps explained by a fault are the fault's rule, not this one.
    assert rule_tempo(crunch_session(), CRUNCH, T313) is None


T212 = parse_tempo("2-1-2")


def rushed_descents() -> pd.DataFrame:
    """12 reps at 2-1-2: 2 dropped descents, 2 leg tosses, 4 of the 8 clean reps down in 1.3 s."""
    reps = make_set(1, 6, 0.0) + make_set(2, 6, 60.0)
    for i in (1, 7):
        reps[i] = make_rep(reps[i].set, reps[i].rep, reps[i].con_start_s, eccentric_s=0.6,
                           faults={"dropped_eccentric"}, tempo_ok=False)
    for i in (3, 9):
        reps[i] = make_rep(reps[i].set, reps[i].rep, reps[i].con_start_s, concentric_s=0.8,
                           swing=True, tempo_ok=False)
    for i in (0, 2, 6, 8):
        reps[i] = make_rep(reps[i].set, reps[i].rep, reps[i].con_start_s, eccentric_s=1.3,
                           tempo_ok=False)
    return reps_table(reps)


def test_tempo_counts_off_tempo_clean_reps_out_of_the_clean_reps() -> None:
    finding = rule_tempo(rushed_descents(), CRUNCH, T212)
    assert finding is not None and finding.phase == "down"
    assert finding.evidence.startswith("4 of 8 clean reps were off the 2-1-2 tempo in the "
                                       "down phase: they took 1.3 s (median) against 2 s")


def test_tempo_advice_joins_the_fault_of_the_same_phase() -> None:
    summary = summarize(rushed_descents(), CRUNCH, T212)
    every = [*summary.fixes, *summary.also]
    assert [f.rule for f in every] == ["dropped_eccentric", "swing"]  # no separate tempo line
    assert sum(f.cue == "Slow the descent" for f in every) == 1
    down = summary.fixes[0]
    assert down.text == (
        "Slow the descent: 2 of 12 descents lasted under 1 s against 2 s prescribed (set 1, "
        "rep 2; set 2, rep 2); besides, 4 of 8 clean reps were off the 2-1-2 tempo in the "
        "down phase: they took 1.3 s (median) against 2 s (set 1, reps 1, 3; set 2, reps 1, 3)."
    )
    assert down.count == 2  # ranked by the fault's reps
    # The pelvic tilt drill: one line about the top hold, not "Hold the top longer" twice.
    tilt = make_set(1, 5, 0.0, period_s=12.0, top_hold_s=3.0, tempo_ok=False)
    tilt += [make_rep(1, 6 + i, 60.0 + 12 * i, top_hold_s=1.5, faults={"short_hold"},
                      tempo_ok=False) for i in range(3)]
    summary = summarize(reps_table(tilt), get_profile("pelvic-tilt"), parse_tempo("2-5-2"))
    assert [f.rule for f in [*summary.fixes, *summary.also]] == ["short_hold"]
    assert "besides, 5 of 5 clean reps were off the 2-5-2 tempo in the top hold phase: " \
        "they took 3.0 s (median) against 5 s" in summary.fixes[0].evidence


def test_tempo_advice_the_other_way_stays_its_own_line() -> None:
    """Clean reps lowered too slowly (4.5 s against 2 s) beside dropped descents: merged, the
    line said 'Slow the descent ... besides, their down phase took 4.5 s' (review of the
    merge). A slower descent is no fault (slow eccentrics are the point): no line of its own
    either, and never merged into the dropped descents'."""
    reps = make_set(1, 6, 0.0) + make_set(2, 6, 60.0)
    for i in (1, 7):
        reps[i] = make_rep(reps[i].set, reps[i].rep, reps[i].con_start_s, eccentric_s=0.6,
                           faults={"dropped_eccentric"}, tempo_ok=False)
    for i in (0, 2, 6, 8):
        reps[i] = make_rep(reps[i].set, reps[i].rep, reps[i].con_start_s, eccentric_s=4.5,
                           tempo_ok=False)
    summary = summarize(reps_table(reps), CRUNCH, T212)
    every = [*summary.fixes, *summary.also]
    assert [f.rule for f in every] == ["dropped_eccentric"]
    [fault] = every
    assert "besides" not in fault.evidence and "4.5 s" not in fault.evidence
    assert not any("faster" in f.cue for f in every)


def test_a_swing_ranks_above_tempo_advice_with_more_reps() -> None:
    reps = make_set(1, 8, 0.0, top_hold_s=0.1, tempo_ok=False)  # 8 clean, all holds short
    reps[4] = make_rep(1, 5, 24.0, concentric_s=0.8, top_hold_s=0.1, swing=True,
                       tempo_ok=False)
    summary = summarize(reps_table(reps), CRUNCH, T212)
    assert [f.rule for f in summary.fixes] == ["swing", "tempo"]
    assert summary.main_fault == "swing"
    assert summary.fixes[1].cue == "Hold the top much longer"  # 0.1 s of 1 s
    assert summary.fixes[1].count == 7


def test_uncertain_reps_from_count_confidence() -> None:
    reps = crunch_session()
    assert uncertain_reps(reps) == ""
    assert uncertain_reps(_without(reps)) == ""
    sure = [0.9] * 12
    sure[2] = 0.3
    assert uncertain_reps(_with(reps, count_confidence=sure)) == "set 1, rep 3"
    summary = summarize(_with(reps, count_confidence=sure), CRUNCH, T313)
    assert summary.uncertain == "set 1, rep 3"


def test_no_reps_gives_an_empty_summary_with_the_verdict() -> None:
    summary = summarize(reps_table([]), CRUNCH, T313)
    assert summary.reps == 0 and summary.fixes == ()
    assert summary.advice.kind == "no_reps"


def test_every_rule_is_listed_once() -> None:
    names = [name for name, _ in RULES]
    assert len(names) == len(set(names))
    assert isinstance(Finding("x", "Cue", "evidence.", 1).text, str)


def test_a_single_swing_reads_as_one() -> None:
    reps = reps_table([make_rep(1, 1, 0.0), make_rep(1, 2, 9.0, concentric_s=0.5, swing=True)])
    finding = rule_swing(reps, CRUNCH, parse_tempo("2-1-2"))
    assert finding is not None and "1 of 2 reps was a swing (leg toss):" in finding.evidence
    hanging = rule_swing(reps, get_profile("hanging-leg-raise"), parse_tempo("2-1-2"))
    assert hanging is not None and "1 of 2 reps was a swing (kip):" in hanging.evidence


def test_a_planks_holds_are_holds_in_the_tempo_advice_and_the_counts() -> None:
    reps = reps_table([make_rep(s, 1, 90.0 * s, top_hold_s=30.0, tempo_ok=False)
                       for s in (1, 2, 3)])
    summary = summarize(reps, PLANK, parse_tempo("1-45-1"))
    assert summary_lines(summary)[0].startswith("3 holds, 3 clean")
    assert summary.fixes[0].text == (
        "Hold a little longer: 3 of 3 holds were shorter than the prescribed 45 s: they lasted "
        "30.0 s (median) (set 1, hold 1; set 2, hold 1; set 3, hold 1)."
    )
    assert "top hold" not in summary.fixes[0].text and "phase" not in summary.fixes[0].text


def test_tempo_evidence_names_per_phase_only_the_reps_off_in_it() -> None:
    """Review: "2 of 5 clean reps were off the 3-1-3 tempo: their down phase took 2.4 s
    (median) ... (set 1, rep 1; set 2, rep 1)", while set 2 rep 1 went down in 2.7 s (on
    tempo) and its red cell was the up, 2.2 s. Each phase now names only its own reps."""
    reps = make_set(1, 3, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps += make_set(2, 3, 100.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[0] = make_rep(1, 1, 0.0, concentric_s=3.0, eccentric_s=2.2, tempo_ok=False)
    reps[3] = make_rep(2, 1, 100.0, concentric_s=2.2, eccentric_s=2.7, tempo_ok=False)
    reps[5] = make_rep(2, 3, 118.0, concentric_s=3.0, eccentric_s=1.2, tempo_ok=False,
                       faults={"dropped_eccentric"})
    table = reps_table(reps)
    lead = rule_tempo(table, CRUNCH, T313)
    assert lead is not None and lead.where == "set 1, rep 1"  # not "set 1, rep 1; set 2, rep 1"
    assert "2.4 s" not in lead.evidence  # no median over reps off in other phases

    from imu.report.summary import tempo_findings
    from imu.report.tables import off_phases

    found = tempo_findings(table, CRUNCH, T313)
    assert [(f.phase, f.where) for f in found] == [("down", "set 1, rep 1"),
                                                   ("up", "set 2, rep 1")]
    down, up = found
    # 2.2 s against 3 s: within 1.5 times, "a little"
    assert down.cue == "Slow the descent a little"
    assert up.cue == "Take a little longer on the way up"
    assert down.evidence == ("1 of 5 clean reps was off the 3-1-3 tempo in the down phase: it "
                             "took 2.2 s against 3 s (set 1, rep 1).")
    assert up.evidence == ("1 of 5 clean reps was off the 3-1-3 tempo in the up phase: it took "
                           "2.2 s against 3 s (set 2, rep 1).")
    # Every rep a line names is off in that phase by the rule of the table's red cells.
    rows = {(int(r["set"]), int(r["rep"])): r for r in table.to_dict(orient="records")}
    column = {"down": "eccentric_s", "up": "concentric_s"}
    for finding in found:
        for place in finding.where.split("; "):
            set_no, rep_no = (int(n) for n in re.findall(r"\d+", place))
            assert column[finding.phase] in off_phases(rows[set_no, rep_no], T313)
    assert lead == down
    # The down line joins the dropped descent's; the up line stays its own.
    summary = summarize(table, CRUNCH, T313)
    every = [*summary.fixes, *summary.also]
    assert [f.rule for f in every] == ["dropped_eccentric", "tempo"]
    assert every[0].evidence.endswith("besides, 1 of 5 clean reps was off the 3-1-3 tempo in "
                                      "the down phase: it took 2.2 s against 3 s (set 1, rep 1).")
    assert "set 2, rep 1" not in every[0].evidence
    assert every[1].where == "set 2, rep 1"


def test_evidence_never_prints_a_quantity_as_its_limit() -> None:
    """5.3° of back arch against a 5° limit reads "5.3", not "by 5-9° (limit 5°)"."""
    reps = reps_table([make_rep(1, 1, 0.0), make_rep(1, 2, 9.0, faults={"back_arch"}),
                       make_rep(1, 3, 18.0, faults={"back_arch"})])
    reps = reps.assign(arch_deg=[0.0, 5.3, 9.2])
    finding = rule_back_arch(reps, LEG_RAISE, parse_tempo("2-1-2"))
    assert finding is not None and "by 5.3-9° (limit 5°)" in finding.evidence


def test_an_uncertain_rep_is_not_counted_clean() -> None:
    """Found in a new-user trial: the dead bug's headline counted reps marked "uncertain:
    may not be a rep (0% sure)" among its clean reps, while the advice beside it left them
    out."""
    import dataclasses

    sure = [make_rep(1, k, 10.0 * k) for k in range(1, 4)]
    unsure = [dataclasses.replace(make_rep(1, k, 10.0 * k), count_confidence=0.2)
              for k in range(4, 6)]
    summary = summarize(reps_table([*sure, *unsure]), CRUNCH, T313)
    assert summary.reps == 5 and summary.clean_reps == 3
