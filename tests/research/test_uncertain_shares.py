"""The research figures and the progress page leave uncertain reps out of the swing and fault
shares, as each session's table does.

An uncertain rep (``count_confidence`` under 0.5) may be no rep: the session table's
``swing_share`` and ``<fault>_share`` leave it out (the advice's rule,
:func:`imu.report.summary.evidence_mask`), but :func:`imu.research.fault_rates` and the progress
page counted it, so a week of one session disagreed with that session's table. Now they leave
it out too, and the page says how many it left out where it shows such a share.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from imu import research
from imu.exercises import get_profile
from imu.io.recording import RecordingMeta
from imu.report import reps_table
from imu.report.progress import _per_session, build_progress, headline, render_progress_html
from imu.report.tables import session_table, sets_table
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set
from tests.report.test_progress_judged import tables

CRUNCH = get_profile("reverse-crunch")


def _session() -> pd.DataFrame:
    """Four reverse crunches: rep 1 swung (sure), rep 2 swung and dropped but uncertain."""
    reps = make_set(1, 4, 0.0, 9.0)
    reps[0] = make_rep(1, 1, 0.0, swing=True)
    reps[1] = dataclasses.replace(make_rep(1, 2, 9.0, swing=True, eccentric_s=0.5,
                                           faults={"dropped_eccentric"}),
                                  count_confidence=0.1)
    return reps_table(reps)


def test_fault_rates_agree_with_the_session_table() -> None:
    reps = _session()
    sets = sets_table(reps)
    session = session_table(reps, sets, CRUNCH, parse_tempo("2-1-2"),
                            RecordingMeta(sampling_rate_hz=104.0), 60.0).iloc[0]
    tagged = reps.assign(participant="p1", exercise="reverse-crunch", session_id="s1",
                         tempo="2-1-2", date=pd.Timestamp("2024-01-08T10:00Z"))
    rates = research.fault_rates(tagged).iloc[0]
    assert rates["reps"] == 4 and rates["uncertain_reps"] == 1
    assert rates["swing_share"] == pytest.approx(1 / 3) == session["swing_share"]  # was 2/4
    for fault in ("dropped_eccentric", "partial_rom"):
        assert rates[f"{fault}_share"] == session[f"{fault}_share"] == 0.0
    assert rates["any_fault_share"] == 0.0
    assert rates["clean_share"] == pytest.approx(session["clean_share"]) == 0.5
    # Tables without count_confidence (datasets written before it) judge every rep sure.
    old = research.fault_rates(tagged.drop(columns="count_confidence")).iloc[0]
    assert old["uncertain_reps"] == 0 and old["swing_share"] == 0.5


def _dataset(uncertain: bool) -> research.Dataset:
    """One reverse-crunch session of four reps: one swung; another swung but uncertain."""
    data = tables("reverse-crunch", ["3-1-3"])
    reps = data.reps.assign(count_confidence=1.0)
    reps.loc[0, ["swing", "clean"]] = [True, False]
    reps.loc[1, ["swing", "clean"]] = [True, False]
    if uncertain:
        reps.loc[1, "count_confidence"] = 0.2
    return research.Dataset(reps, data.sets, data.sessions)


def test_the_progress_page_leaves_uncertain_reps_out_and_says_so() -> None:
    progress = build_progress(_dataset(uncertain=True))
    assert progress.per_session["swing_share"].iloc[0] == pytest.approx(1 / 3)  # was 2/4
    assert progress.weekly["swing_share"].iloc[0] == pytest.approx(1 / 3)
    assert _per_session(progress.data, CRUNCH)["swing_share"].iloc[0] == pytest.approx(1 / 3)
    text = "\n".join(headline(progress))
    assert ("Swing reps: 33% of reps in the one week so far; 1 uncertain rep left out (the "
            "analyzer is not sure it was a rep).") in text
    page = render_progress_html(progress)
    assert "Swing reps (%, uncertain reps left out)" in page
    # Without uncertain reps the page reads as before.
    sure = build_progress(_dataset(uncertain=False))
    assert sure.weekly["swing_share"].iloc[0] == 0.5
    assert "left out" not in "\n".join(headline(sure))
    assert "Swing reps (%)" in render_progress_html(sure)


def test_hold_fault_shares_leave_uncertain_holds_out() -> None:
    data = tables("plank", ["1-30-1"] * 2, reps=2)
    reps = data.reps.assign(count_confidence=1.0)
    reps.loc[0, ["hips_sagging", "clean", "fault_count"]] = [True, False, 1]
    reps.loc[0, "count_confidence"] = 0.1
    progress = build_progress(research.Dataset(reps, data.sets, data.sessions))
    assert progress.weekly["hips_sagging_share"].iloc[0] == 0.0  # was 1/2
    text = "\n".join(headline(progress))
    assert "1 uncertain hold left out (the analyzer is not sure it was a hold)" in text
    assert "Hips sagging (%, uncertain holds left out)" in render_progress_html(progress)


def _compliance_reps() -> pd.DataFrame:
    """Four reverse crunches at 2-1-2: two on tempo and sure, one off tempo and sure, and
    one on tempo (a 2 s descent) whose count confidence is 0.1: it may be no rep."""
    reps = make_set(1, 4, 0.0, 9.0)
    reps[2] = make_rep(1, 3, 18.0, eccentric_s=0.5, tempo_ok=False)
    reps[3] = dataclasses.replace(make_rep(1, 4, 27.0), count_confidence=0.1)
    return reps_table(reps).assign(participant="p1", exercise="reverse-crunch",
                                   session_id="s1", tempo="2-1-2",
                                   date=pd.Timestamp("2024-01-08T10:00Z"))


def test_tempo_compliance_never_counts_an_uncertain_rep_as_on_tempo() -> None:
    """A rep the analyzer is not sure was a rep is no evidence of the tempo kept.

    ``tempo_compliance`` counted it: a per-person compliance of 3/4 on tempo where the reps
    that are evidence give 2/3 (found on simulated dead bugs: 4 of a session's 5 uncertain
    reps were "on tempo").
    """
    row = research.tempo_compliance(_compliance_reps()).iloc[0]
    assert row["reps"] == 4 and row["uncertain_reps"] == 1
    assert row["tempo_ok_share"] == pytest.approx(2 / 3)  # was 3/4
    assert row["eccentric_ok_share"] == pytest.approx(2 / 3)  # was 3/4
    assert row["eccentric_s_median"] == pytest.approx(2.0)
    # Every rep uncertain: nothing to judge the tempo by (NaN, not 100% on tempo).
    unsure = research.tempo_compliance(_compliance_reps().assign(count_confidence=0.2))
    assert unsure["uncertain_reps"].iloc[0] == 4
    assert unsure[["tempo_ok_share", "eccentric_ok_share", "eccentric_s_median"]].isna().all(
        axis=None)
    # Tables written before count_confidence count every rep as sure.
    old = research.tempo_compliance(_compliance_reps().drop(columns="count_confidence"))
    assert old["uncertain_reps"].iloc[0] == 0
    assert old["tempo_ok_share"].iloc[0] == pytest.approx(3 / 4)


def test_hold_ok_share_never_counts_an_uncertain_hold_as_held_long_enough() -> None:
    data = tables("plank", ["1-30-1"] * 2, reps=2)
    reps = data.reps.assign(count_confidence=1.0)
    reps.loc[reps.index[0], "tempo_ok"] = False
    reps.loc[reps.index[1], "count_confidence"] = 0.1  # on tempo, but it may be no hold
    row = research.hold_time(reps, by=("participant", "exercise")).iloc[0]
    assert row["holds"] == len(reps) and row["uncertain_holds"] == 1
    sure = reps["count_confidence"] >= 0.5
    assert row["hold_ok_share"] == pytest.approx(reps.loc[sure, "tempo_ok"].mean())
    assert row["hold_ok_share"] < reps["tempo_ok"].mean()  # was the mean of every hold


def test_eccentric_quantiles_leave_uncertain_reps_out_as_the_median_does() -> None:
    reps = _compliance_reps()
    reps.loc[reps.index[3], "eccentric_s"] = 0.2  # the uncertain rep: a "descent" of 0.2 s
    q = research.eccentric_quantiles(reps, (0.0, 0.5), by=("participant",)).iloc[0]
    assert q["reps"] == 4
    assert q["eccentric_s_q00"] == pytest.approx(0.5)  # was 0.2, the uncertain rep's
    median = research.tempo_compliance(reps, by=("participant",))["eccentric_s_median"]
    assert q["eccentric_s_q50"] == pytest.approx(median.iloc[0])


def test_the_session_and_sets_tables_agree_with_tempo_compliance() -> None:
    """The same session's on-tempo share is one figure wherever it is read: the session and
    sets tables left the uncertain rep in (3/4) where tempo_compliance leaves it out (2/3)."""
    reps = _compliance_reps()
    sets = sets_table(reps)
    session = session_table(reps, sets, CRUNCH, parse_tempo("2-1-2"),
                            RecordingMeta(sampling_rate_hz=104.0), 60.0).iloc[0]
    row = research.tempo_compliance(reps).iloc[0]
    assert session["tempo_ok_share"] == pytest.approx(row["tempo_ok_share"]) == pytest.approx(2 / 3)
    assert sets["tempo_ok_share"].iloc[0] == pytest.approx(2 / 3)


def test_the_report_summary_counts_on_tempo_out_of_the_sure_reps() -> None:
    """The page's "on tempo" card agrees with tempo_ok_share and names what it left out."""
    from imu.report.html import summary_html
    from imu.report.summary import summarize

    summary = summarize(_compliance_reps(), CRUNCH, parse_tempo("2-1-2"))
    assert (summary.on_tempo, summary.tempo_judged, summary.judged) == (2, 3, 4)
    assert "(2 of 3; 1 uncertain not counted)" in summary_html(summary)
