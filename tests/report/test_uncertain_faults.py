"""Uncertain reps (count confidence under 0.5) are never blamed as if sure.

The rule: the things to fix and the verdict's regress share count only the reps the analyzer
is sure of; each finding then says how many uncertain reps it left out ("2 uncertain reps not
counted"), the rep's badge says it may not be a rep, and the terminal table marks it. The reps
table keeps each rep's fault columns as the analyzer gave them; the sets' swing and fault
counts and the session's shares leave uncertain reps out, as the advice does.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pandas as pd

from imu.exercises import get_profile
from imu.report import reps_table
from imu.report.coaching import session_verdict
from imu.report.html import rep_badges, summary_html
from imu.report.session import SessionReport
from imu.report.summary import findings, summarize
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
LEG_RAISE = get_profile("leg-raise")
T313 = parse_tempo("3-1-3")


UNSURE_IN_TRIAL = {(1, 5), (2, 2), (2, 6)}
"""The reps of the bundled dead bug that the trial's analysis was unsure of (0%). The
analyzer has been sure of all 12 since it reads the noise floor on the still stretch before
a rep: the report's rule for uncertain reps is tested on the trial's confidences."""


@cache
def dead_bug() -> SessionReport:
    from imu.core import RepAnalyzer
    from imu.evaluate.sessions import stream_reps
    from imu.io import read_recording
    from imu.live.finish import live_report

    rec = read_recording("recordings/dead_bug.parquet")
    profile = get_profile("dead-bug")
    tempo = profile.default_tempo
    reps = stream_reps(RepAnalyzer(profile, rec.sampling_rate_hz, tempo), rec.acc, rec.gyr, 20)
    reps = [dataclasses.replace(r, count_confidence=0.0) if (r.set, r.rep) in UNSURE_IN_TRIAL
            else r for r in reps]
    return live_report(rec, reps, profile, tempo)


def test_dead_bug_rotation_finding_leaves_the_uncertain_rep_out() -> None:
    """The trial's case: set 2 rep 2 (0% sure) rotated; it is not one of the reps blamed."""
    report = dead_bug()
    reps = report.reps
    unsure = reps["count_confidence"] < 0.5
    rotated = reps["hips_rotating"].astype(bool)
    assert (unsure & rotated).any(), "the recording no longer has an uncertain rotated rep"
    found = {f.rule: f for f in findings(reps, report.profile, report.tempo)}
    rot = found["hips_rotating"]
    sure = int((~unsure).sum())
    assert rot.count == int((rotated & ~unsure).sum())
    assert f"{rot.count} of {sure} reps rotated" in rot.evidence
    assert rot.where == "set 2, reps 3-4"
    assert rot.evidence.endswith(f"; {int(unsure.sum())} uncertain reps not counted.")
    # The rep keeps its fault in the reps table; the session's share leaves it out, as the
    # finding does (2 of 9, not 3 of 12).
    assert bool(reps.loc[unsure & rotated, "hips_rotating"].all())
    assert float(report.session.iloc[0]["hips_rotating_share"]) == rot.count / sure


def test_no_note_when_every_rep_is_sure() -> None:
    reps = make_set(1, 6, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[2] = make_rep(1, 3, 18.0, concentric_s=3.0, eccentric_s=3.0, faults={"partial_rom"})
    found = findings(reps_table(reps), CRUNCH, T313)
    assert [f.rule for f in found] == ["partial_rom"]
    assert "uncertain" not in found[0].evidence


def test_a_fault_only_uncertain_reps_had_is_no_finding() -> None:
    reps = make_set(1, 6, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[2] = dataclasses.replace(
        make_rep(1, 3, 18.0, concentric_s=3.0, eccentric_s=3.0, faults={"partial_rom"}),
        count_confidence=0.0)
    table = reps_table(reps)
    assert findings(table, CRUNCH, T313) == []
    summary = summarize(table, CRUNCH, T313)
    page = summary_html(summary)
    # Not "keep it up": an uncertain rep had a fault, which is said, not hidden.
    assert "keep it up" not in page
    assert "sure of" in page
    assert "set 1, rep 3" in page


def test_regress_share_counts_only_the_sure_reps() -> None:
    """3 of 10 leg raises arched (30%: regress) but 2 of them are uncertain: 1 of 8."""
    reps = make_set(1, 10, 0.0, 9.0)
    for i in (1, 4, 7):
        reps[i] = make_rep(1, i + 1, 9.0 * i, faults={"back_arch"})
    for i in (1, 4):
        reps[i] = dataclasses.replace(reps[i], count_confidence=0.2)
    table = reps_table(reps)
    assert session_verdict(table, LEG_RAISE).kind != "regress"
    sure = table.assign(count_confidence=1.0)
    assert session_verdict(sure, LEG_RAISE).kind == "regress"


def test_badge_says_the_rep_may_not_be_a_rep_and_its_faults_are_not_counted() -> None:
    rep = dataclasses.replace(make_rep(2, 2, 0.0, faults={"hips_rotating"}),
                              count_confidence=0.0)
    row = reps_table([rep]).iloc[0].to_dict()
    badges = " ".join(rep_badges(row, T313))
    assert "uncertain rep (" not in badges
    assert "uncertain: may not be a rep (certainty very low)" in badges
    assert "not counted" in badges
    # The uncertain badge comes before the fault it qualifies.
    assert badges.index("may not be a rep") < badges.index("hips rotating")
    clean = dataclasses.replace(make_rep(2, 3, 9.0), count_confidence=0.3)
    plain = " ".join(rep_badges(reps_table([clean]).iloc[0].to_dict(), T313))
    assert ">uncertain: may not be a rep (certainty low)<" in plain  # nothing to leave out


def test_report_page_of_the_dead_bug_agrees_with_its_findings() -> None:
    from imu.report.html import render_html

    report = dead_bug()
    page = render_html([report])
    assert "3 of 11 reps rotated" not in page
    assert "uncertain reps not counted" in page
    assert pd.notna(report.session.iloc[0]["uncertain_reps"])
