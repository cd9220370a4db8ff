"""A standing strict lift's sets table gives no tempo or time under tension, as its session table.

The session table already left a strict lift's ``tut_s`` and ``tempo_ok_share`` missing (its
every rep is a hip drive: a pelvic burst with no tempo, nothing under tension), but the sets
table (``sets.csv``, ``sets.parquet``, the live session's end report) still summed the hip
drives' seconds and gave each stretch of them "0% on tempo". Now both columns are NaN there
too, with the same columns and dtypes as every other exercise's sets table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.exercises import get_profile
from imu.io import read_recording
from imu.live.finish import live_report
from imu.report import reps_table
from imu.report.tables import SETS_DTYPES, sets_table
from imu.tempo import parse_tempo
from tests.report.helpers import make_set

STRICT = get_profile("standing-curl")
CRUNCH = get_profile("reverse-crunch")


def _reps() -> pd.DataFrame:
    return reps_table(make_set(1, 3, 0.0, 9.0, swing=True, tempo_ok=False)
                      + make_set(2, 2, 90.0, 9.0, swing=True, tempo_ok=False))


def test_the_sets_table_gives_a_strict_lift_no_tempo_nor_time_under_tension() -> None:
    reps = _reps()
    strict = sets_table(reps, STRICT)
    assert list(strict["reps"]) == [3, 2]
    assert strict["tut_s"].isna().all()  # was the hip drives' seconds
    assert strict["tempo_ok_share"].isna().all()  # was 0.0
    # Everything else is as for any exercise, and the schema is one for all.
    timed = sets_table(reps, CRUNCH)
    assert list(strict.columns) == list(timed.columns) == list(SETS_DTYPES)
    assert dict(strict.dtypes.astype(str)) == dict(timed.dtypes.astype(str))
    assert (timed["tut_s"] > 0).all() and (timed["tempo_ok_share"] == 0.0).all()
    others = [c for c in SETS_DTYPES if c not in ("tut_s", "tempo_ok_share")]
    pd.testing.assert_frame_equal(strict[others], timed[others])
    pd.testing.assert_frame_equal(sets_table(reps), timed)  # no profile: one with a tempo


def test_an_empty_strict_sets_table_keeps_the_schema() -> None:
    empty = sets_table(reps_table([]), STRICT)
    assert empty.empty and list(empty.columns) == list(SETS_DTYPES)
    assert dict(empty.dtypes.astype(str)) == SETS_DTYPES


def simulated_curls(tmp_path: Path) -> Path:
    """A short simulated standing-curl recording whose every rep drives the weight."""
    path = tmp_path / "curls.parquet"
    assert main(["simulate", "standing-curl", "--out", str(path), "--faults", "swing=1",
                 "--seed", "1", "--reps", "2", "--sets", "2", "--rest", "30"]) == 0
    return path


def analyzed_curls_table(tmp_path: Path, table: str, suffix: str,
                         capsys: pytest.CaptureFixture[str]) -> pd.DataFrame:
    """``imu analyze`` of :func:`simulated_curls`: its ``table`` as written (csv or parquet)."""
    path = simulated_curls(tmp_path)
    assert main(["analyze", str(path), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    written = tmp_path / "out" / f"{table}.{suffix}"
    return pd.read_csv(written) if suffix == "csv" else pd.read_parquet(written)


def test_the_live_end_report_of_a_strict_lift_has_no_tempo_in_its_sets(tmp_path: Path) -> None:
    path = simulated_curls(tmp_path)
    report = live_report(read_recording(path), list(make_set(1, 2, 5.0, swing=True)), STRICT,
                         parse_tempo("2-0-2"))
    assert len(report.sets) == 1
    assert report.sets["tut_s"].isna().all() and report.sets["tempo_ok_share"].isna().all()


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_imu_analyze_writes_a_strict_lift_sets_table_without_tempo(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sets = analyzed_curls_table(tmp_path, "sets", suffix, capsys)
    assert len(sets) >= 1 and sets["reps"].sum() >= 2
    assert sets["tut_s"].isna().all(), sets["tut_s"]
    assert sets["tempo_ok_share"].isna().all(), sets["tempo_ok_share"]
    assert np.isfinite(sets["rom_deg_mean"]).all()  # what the hip measures is still given
    if suffix == "parquet":
        assert str(sets["tut_s"].dtype) == str(sets["tempo_ok_share"].dtype) == "float64"
