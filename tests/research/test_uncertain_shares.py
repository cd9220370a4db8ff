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
