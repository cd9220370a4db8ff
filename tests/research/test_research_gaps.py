"""Research figures follow the report's rule for reps over a data gap (tables.judged), and
a dataset whose every file failed says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu import research
from imu.batch import BatchOptions, collect_jobs, run_batch
from imu.cli import main
from imu.exercises import FAULTS
from imu.report.tables import judged, time_held_s


def _reps(n: int = 4) -> pd.DataFrame:
    """Four reverse crunches of one session; the last is over a data gap and swung."""
    return pd.DataFrame({
        "participant": ["p1"] * n, "exercise": ["reverse-crunch"] * n,
        "session_id": ["s1"] * n, "tempo": ["3-1-3"] * n,
        "date": pd.to_datetime(["2024-01-08T10:00Z"] * n, utc=True),
        "eccentric_s": [3.0, 2.0, 3.2, 0.4], "tempo_ok": [True, False, True, False],
        "swing": [False, False, False, True], "clean": [True, False, True, False],
        "fault_count": [0, 1, 0, 2],
        **{f: [False] * n for f in FAULTS},
        "in_gap": [False, False, False, True],
    }).assign(
        dropped_eccentric=[False, True, False, True],
        back_arch=[False, False, False, True],
    )


def test_fault_rates_leave_a_swung_rep_over_a_gap_out() -> None:
    """The swing and fault shares were out of every rep (1 of 4 swung), the session table's
    out of the judged reps (0 of 3)."""
    reps = _reps()
    rates = research.fault_rates(reps).iloc[0]
    measured = reps[judged(reps)]
    assert rates["reps"] == 4
    assert rates["swing_share"] == 0.0 == measured["swing"].mean()
    assert rates["dropped_eccentric_share"] == pytest.approx(1 / 3)
    assert rates["partial_rom_share"] == 0.0
    assert np.isnan(rates["back_arch_share"])  # a reverse crunch does not judge back arch
    assert rates["any_fault_share"] == pytest.approx(1 / 3)
    assert rates["clean_share"] == pytest.approx(2 / 3)
    every_gap = research.fault_rates(reps.assign(in_gap=True)).iloc[0]
    assert every_gap[["swing_share", "back_arch_share", "any_fault_share",
                      "clean_share"]].isna().all()
    old = research.fault_rates(reps.drop(columns="in_gap")).iloc[0]  # before in_gap: all judged
    assert old["swing_share"] == pytest.approx(0.25)


def test_eccentric_quantiles_leave_a_rep_over_a_gap_out() -> None:
    reps = _reps()
    q = research.eccentric_quantiles(reps, (0.5,), by=("participant",)).iloc[0]
    assert q["reps"] == 4
    assert q["eccentric_s_q50"] == pytest.approx(3.0)  # of 3.0, 2.0, 3.2; not 2.5 with 0.4
    assert q["eccentric_s_q50"] == research.tempo_compliance(reps).iloc[0]["eccentric_s_median"]


def test_hold_time_sums_by_the_report_rule() -> None:
    holds = pd.DataFrame({
        "participant": ["p1"] * 3, "exercise": ["plank"] * 3, "session_id": ["s1"] * 3,
        "tempo": ["1-30-1"] * 3, "date": pd.to_datetime(["2024-01-08T10:00Z"] * 3, utc=True),
        "top_hold_s": [31.0, 20.0, 45.0], "tempo_ok": [True, False, True],
        "in_gap": [False, False, True],
    })
    row = research.hold_time(holds).iloc[0]
    assert row["holds"] == 3 and row["sessions"] == 1
    assert row["held_s"] == pytest.approx(time_held_s(holds))
    assert row["longest_hold_s"] == 31.0  # the 45 s hold over a gap lasted an unknown time
    assert row["hold_ok_share"] == pytest.approx(0.5)
    assert row["prescribed_hold_s"] == 30.0


def test_a_dataset_whose_every_file_failed_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "no such table folder; is PATH a dataset written by 'imu batch'?"."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.parquet").write_bytes(b"junk")
    dataset = tmp_path / "ds"
    result = run_batch(collect_jobs([tmp_path / "in"]), dataset, BatchOptions(workers=0))
    assert result.analysed == 0 and len(result.failures) == 1
    with pytest.raises(research.ResearchError) as info:
        research.load_dataset(dataset)
    message = str(info.value)
    assert "the dataset holds no analysed sessions" in message
    assert f"every file failed; see {dataset / '_failures.csv'}" in message
    assert "no such table folder" not in message
    # imu progress on it says the same (it is a dataset, not a folder of recordings)
    assert main(["progress", str(dataset), "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert "holds no analysed sessions" in err and "no recordings found" not in err
    # a folder that is no dataset at all still asks whether it is one
    with pytest.raises(research.ResearchError, match="no such table folder"):
        research.load_dataset(tmp_path / "in")


def test_shares_are_nan_not_zero_when_nothing_was_judged() -> None:
    reps = _reps().assign(in_gap=True)
    assert np.isnan(research.fault_rates(reps).iloc[0]["swing_share"])


def test_the_dataset_names_the_folder_search_knows_are_the_batch_names() -> None:
    import imu.batch
    from imu.io import load

    assert load.BATCH_TABLES == imu.batch.TABLES
    assert load.BATCH_MARKERS == (imu.batch.DONE_DIR, imu.batch.FAILURES_FILE)
    assert load.BATCH_FAILURES_FILE == imu.batch.FAILURES_FILE
