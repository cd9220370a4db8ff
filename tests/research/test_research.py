"""imu.research on a small generated cohort (3 participants x 3 weeks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu import research
from imu.exercises import FAULTS


@pytest.fixture(scope="module")
def data(dataset: Path) -> research.Dataset:
    return research.load_dataset(dataset)


def test_with_week_iso_labels() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(
        ["2024-01-07T23:00Z", "2024-01-08T00:30Z", "2024-12-30T10:00Z", None], utc=True)})
    weeks = research.with_week(frame)
    assert list(weeks["week"]) == ["2024-W01", "2024-W02", "2025-W01"]
    assert list(weeks["week_start"].dt.strftime("%Y-%m-%d")) == [
        "2024-01-01", "2024-01-08", "2024-12-30"]


def test_tempo_compliance_follows_the_design(
    data: research.Dataset, cohort_table: pd.DataFrame
) -> None:
    table = research.tempo_compliance(data.reps)
    assert set(table.columns) >= {"participant", "exercise", "week", "week_start", "sessions",
                                  "reps", "tempo_ok_share", "eccentric_ok_share",
                                  "eccentric_s_median", "prescribed_eccentric_s"}
    assert (table["prescribed_eccentric_s"] == 3.0).all()
    assert table["sessions"].sum() == len(cohort_table)
    assert table["reps"].sum() == len(data.reps)
    # everyone drops the eccentric in week 1 (1.2-1.8 s of a prescribed 3 s)
    first = table.sort_values("week_start").groupby("participant").head(1)
    assert (first["eccentric_ok_share"] < 0.5).all()
    trend = research.weekly_trend(table, "eccentric_s_median")
    improvers = set(cohort_table.loc[cohort_table["improver"], "participant"])
    for row in trend.itertuples():
        if row.participant in improvers:
            assert row.slope_per_week > 0.4, row
        else:
            assert abs(row.slope_per_week) < 0.25, row


def test_eccentric_quantiles_are_ordered(data: research.Dataset) -> None:
    q = research.eccentric_quantiles(data.reps)
    cols = ["eccentric_s_q10", "eccentric_s_q25", "eccentric_s_q50", "eccentric_s_q75",
            "eccentric_s_q90"]
    assert list(q.columns[-5:]) == cols
    values = q[cols].to_numpy()
    assert (np.diff(values, axis=1) >= 0).all()
    assert q["reps"].sum() == len(data.reps)


def test_fault_rates_are_shares(data: research.Dataset) -> None:
    rates = research.fault_rates(data.reps, by=("participant",))
    share_cols = ["swing_share", *[f"{f}_share" for f in FAULTS], "any_fault_share",
                  "clean_share"]
    shares = rates[share_cols]
    # NaN only for what a reverse crunch does not judge (back arch, plank faults...)
    assert (shares.isna() | ((shares >= 0) & (shares <= 1))).all().all()
    judged_here = ["swing_share", "dropped_eccentric_share", "partial_rom_share",
                   "short_hold_share", "any_fault_share", "clean_share"]
    assert set(data.reps["exercise"]) == {"reverse-crunch"}
    assert rates[judged_here].notna().all().all()
    total = data.reps.groupby("participant")["clean"].mean()
    assert np.allclose(rates.set_index("participant")["clean_share"], total)


def test_time_under_tension(data: research.Dataset) -> None:
    per_session = research.time_under_tension(data.reps)
    assert np.isclose(per_session["tut_s"].sum(), data.reps["tut_s"].sum())
    per_week = research.time_under_tension(data.reps, per="week")
    assert np.isclose(per_week["tut_s"].sum(), data.reps["tut_s"].sum())
    assert np.allclose(per_week["tut_s_per_session"] * per_week["sessions"], per_week["tut_s"])
    with pytest.raises(research.ResearchError, match="per='day'"):
        research.time_under_tension(data.reps, per="day")  # type: ignore[arg-type]


def test_sessions_per_week_fills_empty_weeks() -> None:
    sessions = pd.DataFrame({
        "participant": ["A", "A", "A", "A", "B"],
        "session_id": ["a1", "a2", "a3", "a4", "b1"],
        "date": pd.to_datetime(["2024-01-08", "2024-01-10", "2024-01-29", "2024-01-30",
                                "2024-01-09"], utc=True),
    })
    weekly = research.sessions_per_week(sessions)
    a = weekly[weekly["participant"] == "A"]
    assert list(a["sessions"]) == [2, 0, 0, 2]
    assert list(a["in_target"]) == [True, False, False, True]
    summary = research.frequency_summary(sessions).set_index("participant")
    assert summary.loc["A", "weeks"] == 4 and summary.loc["A", "sessions_per_week"] == 1.0
    assert summary.loc["A", "in_target_share"] == 0.5


def test_sessions_per_week_counts_the_cohort(
    data: research.Dataset, cohort_table: pd.DataFrame
) -> None:
    weekly = research.sessions_per_week(data.sessions)
    assert weekly["sessions"].sum() == len(cohort_table)
    assert set(weekly["sessions"]) <= {0, 1, 2, 3}


def test_clean_reps_progress(data: research.Dataset) -> None:
    progress = research.clean_reps_progress(data.sessions)
    assert (progress["clean_reps_before_first_fault_max"]
            >= progress["clean_reps_before_first_fault_mean"]).all()
    assert progress["sessions"].sum() == len(data.sessions)


def test_missing_columns_are_named() -> None:
    with pytest.raises(research.ResearchError, match=r"\['tempo_ok'"):
        research.tempo_compliance(pd.DataFrame({"session_id": [], "tempo": [],
                                                "eccentric_s": []}))


def test_load_dataset_of_a_non_dataset(tmp_path: Path) -> None:
    with pytest.raises(research.ResearchError, match="imu batch"):
        research.load_dataset(tmp_path)


def test_reps_over_a_data_gap_are_not_judged() -> None:
    """tempo_ok_share and clean_share are out of the judged reps, as the session table's."""
    from imu.report.tables import judged

    reps = pd.DataFrame({
        "participant": ["p1"] * 4, "exercise": ["reverse-crunch"] * 4,
        "session_id": ["s1"] * 4, "tempo": ["3-1-3"] * 4,
        "date": pd.to_datetime(["2024-01-08T10:00Z"] * 4, utc=True),
        "eccentric_s": [3.0, 3.0, 3.0, 3.0], "tempo_ok": [True, True, False, False],
        "swing": [False] * 4, "clean": [True, True, False, False],
        "fault_count": [0] * 4, **{f: [False] * 4 for f in FAULTS},
        "in_gap": [False, False, False, True],
    })
    tempo = research.tempo_compliance(reps).iloc[0]
    faults = research.fault_rates(reps).iloc[0]
    assert tempo["reps"] == 4 and faults["reps"] == 4
    assert tempo["tempo_ok_share"] == pytest.approx(2 / 3)
    assert faults["clean_share"] == pytest.approx(2 / 3)
    assert faults["swing_share"] == 0.0
    measured = reps[judged(reps)]
    assert tempo["tempo_ok_share"] == pytest.approx(measured["tempo_ok"].mean())
    every_gap = reps.assign(in_gap=True)
    assert np.isnan(research.tempo_compliance(every_gap).iloc[0]["tempo_ok_share"])
    assert np.isnan(research.fault_rates(every_gap).iloc[0]["clean_share"])
    # a dataset written before in_gap judges every rep
    old = reps.drop(columns="in_gap")
    assert research.fault_rates(old).iloc[0]["clean_share"] == pytest.approx(0.5)


def test_a_rep_over_a_gap_is_not_under_tension_nor_in_the_eccentric_figures() -> None:
    """Its phases hold the gap: 65.3 s of tension in the research table against the session
    table's 60.2 s, and its eccentric moved the median."""
    reps = pd.DataFrame({
        "participant": ["p1"] * 3, "exercise": ["reverse-crunch"] * 3,
        "session_id": ["s1"] * 3, "tempo": ["3-1-3"] * 3,
        "date": pd.to_datetime(["2024-01-08T10:00Z"] * 3, utc=True),
        "eccentric_s": [3.0, 3.2, 0.4], "tempo_ok": [True, True, False],
        "tut_s": [7.0, 7.2, 14.1], "in_gap": [False, False, True],
    })
    tut = research.time_under_tension(reps).iloc[0]
    assert tut["tut_s"] == pytest.approx(14.2) and tut["reps"] == 3
    tempo = research.tempo_compliance(reps).iloc[0]
    assert tempo["eccentric_s_median"] == pytest.approx(3.1)
    assert tempo["eccentric_ok_share"] == pytest.approx(1.0)
