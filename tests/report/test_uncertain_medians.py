"""The descent and the time held leave uncertain reps (holds) out, as ``tempo_ok_share`` does.

An uncertain rep (``count_confidence`` under 0.5) may be noise or half a rep: the session and
sets tables' ``tempo_ok_share`` and :func:`imu.research.tempo_compliance` leave it out, but the
session table's ``eccentric_s_median`` and the progress page's per-session descent counted it
(a 0.3 s "descent" pulled a session's median down), and :func:`imu.research.hold_time`'s
``held_s`` and ``longest_hold_s`` counted an uncertain hold that ``uncertain_holds`` counts and
``hold_ok_share`` leaves out.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from imu import research
from imu.exercises import get_profile
from imu.io.recording import RecordingMeta
from imu.report import reps_table
from imu.report.progress import _per_session, build_progress, headline
from imu.report.tables import session_table, sets_table
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set
from tests.report.test_progress_judged import tables

CRUNCH = get_profile("reverse-crunch")


def _reps() -> pd.DataFrame:
    """Four reverse crunches with a 2 s descent, and four uncertain "reps" of 0.3 s."""
    reps = make_set(1, 4, 0.0, 9.0)
    reps += [dataclasses.replace(make_rep(1, 5 + i, 36.0 + 9.0 * i, eccentric_s=0.3,
                                          tempo_ok=False), count_confidence=0.2)
             for i in range(4)]
    return reps_table(reps).assign(participant="p1", exercise="reverse-crunch",
                                   session_id="s1", tempo="2-1-2",
                                   date=pd.Timestamp("2024-01-08T10:00Z"))


def test_the_session_tables_median_descent_leaves_uncertain_reps_out() -> None:
    reps = _reps()
    session = session_table(reps, sets_table(reps), CRUNCH, parse_tempo("2-1-2"),
                            RecordingMeta(sampling_rate_hz=104.0), 60.0).iloc[0]
    assert session["uncertain_reps"] == 4
    assert session["eccentric_s_median"] == pytest.approx(2.0)  # was 1.15, the middle of 8
    assert session["tempo_ok_share"] == 1.0
    # One figure wherever it is read: the weekly median of the research API.
    row = research.tempo_compliance(reps).iloc[0]
    assert row["eccentric_s_median"] == pytest.approx(session["eccentric_s_median"])
    # Every rep uncertain: no descent to tell (NaN, as tempo_ok_share), not the noise's.
    unsure = reps.assign(count_confidence=0.2)
    session = session_table(unsure, sets_table(unsure), CRUNCH, parse_tempo("2-1-2"),
                            RecordingMeta(sampling_rate_hz=104.0), 60.0).iloc[0]
    assert session[["eccentric_s_median", "tempo_ok_share"]].isna().all()


def test_the_progress_pages_per_session_descent_leaves_uncertain_reps_out() -> None:
    data = tables("reverse-crunch", ["2-1-2"])
    reps = data.reps.assign(count_confidence=1.0)
    reps.loc[reps.index[:2], ["eccentric_s", "count_confidence"]] = [0.3, 0.2]
    progress = build_progress(research.Dataset(reps, data.sets, data.sessions))
    sure = reps.loc[reps["count_confidence"] >= 0.5, "eccentric_s"].median()
    per = _per_session(progress.data, CRUNCH)
    assert per["eccentric_s_median"].iloc[0] == pytest.approx(sure)  # was the median of all
    assert progress.per_session["eccentric_s_median"].iloc[0] == pytest.approx(sure)
    assert progress.weekly["eccentric_s_median"].iloc[0] == pytest.approx(sure)


def _holds() -> pd.DataFrame:
    """Two sessions of plank holds; the longest hold of the first is uncertain."""
    data = tables("plank", ["1-30-1"] * 2, reps=2)
    reps = data.reps.assign(count_confidence=1.0)
    first = reps.index[0]
    reps.loc[first, ["top_hold_s", "count_confidence"]] = [300.0, 0.1]
    return reps


def test_hold_time_leaves_uncertain_holds_out_of_the_time_held_and_the_longest() -> None:
    reps = _holds()
    row = research.hold_time(reps, by=("participant", "exercise")).iloc[0]
    sure = reps[reps["count_confidence"] >= 0.5]
    assert row["uncertain_holds"] == 1
    assert row["held_s"] == pytest.approx(sure["top_hold_s"].sum())  # was 300 s more
    assert row["longest_hold_s"] == pytest.approx(sure["top_hold_s"].max())  # was 300 s
    # A group of uncertain holds alone held nothing that can be told.
    alone = research.hold_time(reps.loc[[reps.index[0]]], by=("participant",)).iloc[0]
    assert alone["held_s"] == 0.0 and pd.isna(alone["longest_hold_s"])
    # Tables written before count_confidence count every hold.
    old = research.hold_time(reps.drop(columns="count_confidence"),
                             by=("participant",)).iloc[0]
    assert old["held_s"] == pytest.approx(reps["top_hold_s"].sum())


def test_the_hold_progress_page_agrees_and_says_what_it_left_out() -> None:
    reps = _holds()
    data = tables("plank", ["1-30-1"] * 2, reps=2)
    progress = build_progress(research.Dataset(reps, data.sets, data.sessions))
    sure = reps[reps["count_confidence"] >= 0.5]
    assert progress.per_session["held_s"].sum() == pytest.approx(sure["top_hold_s"].sum())
    assert progress.per_session["longest_hold_s"].max() == pytest.approx(
        sure["top_hold_s"].max())
    assert progress.weekly["held_s"].sum() == pytest.approx(progress.per_session["held_s"].sum())
    line = next(x for x in headline(progress) if x.startswith(("Time held", "Longest hold")))
    assert line.endswith("; 1 uncertain hold left out (the analyzer is not sure it was a hold).")
