"""Plain CSV: a far-off timestamp and a column empty for most rows are refused, named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io import import_csv
from imu.io.resample import MAX_GRID_SAMPLES, uniform_grid_s

WriteCsv = Callable[..., Path]


def test_a_time_far_after_the_rest_is_refused_not_a_long_gap(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """Time 1e4 in one row of a 10 s file made a 10000 s recording with a 9990 s gap."""
    frame = samples.copy()
    frame.loc[200, "time_s"] = 1e4
    with pytest.raises(ImportOptionsError, match=r"data row 201 \('time_s' 10000.0\) lies") as info:
        import_csv(write_csv(frame, "far.csv"))
    assert "timestamp is far off (fix or remove that row)" in str(info.value)


def test_a_pause_between_two_stretches_is_kept_as_a_gap(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """Only a few rows cut off far from the rest are a far-off time; a long pause is a gap."""
    frame = samples.copy()
    frame.loc[250:, "time_s"] += 100.0  # a 100 s pause, then 250 rows: a stretch of its own
    [imp] = import_csv(write_csv(frame, "pause.csv"))
    assert imp.report.longest_gap_s > 99.0


def test_no_grid_is_built_from_a_span_too_long() -> None:
    with pytest.raises(ImportOptionsError, match=r"x\.csv: the timestamps span 1e\+07 s"):
        uniform_grid_s(np.array([0.0, 1e7]), 104.0, where="x.csv")
    assert uniform_grid_s(np.array([0.0, 1.0]), 10.0).size == 11
    assert MAX_GRID_SAMPLES < 1e7 * 104.0


def test_a_column_empty_for_most_rows_is_named_not_dropped_silently(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """gyr_x empty from row 1000 on said only 'repaired: 4537 rows with empty values
    dropped' and found 1 rep of 8."""
    frame = samples.copy()
    frame.loc[100:, "gyr_x"] = np.nan
    path = write_csv(frame, "gx.csv")
    with pytest.raises(ImportOptionsError, match=r"'gyr_x' is empty in 400 rows \(data rows "
                       r"101-500\)") as info:
        import_csv(path)
    assert "400 of 500 rows (80%)" in str(info.value)
    assert main(["analyze", str(path), "-e", "reverse-crunch", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "'gyr_x' is empty" in err and err.count("\n") == 1


def test_a_few_empty_rows_are_still_a_repair(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.copy()
    frame.loc[[10, 20, 30], "gyr_x"] = np.nan
    [imp] = import_csv(write_csv(frame, "few.csv"))
    assert imp.report.n_incomplete == 3


def test_a_column_empty_in_every_row_is_named(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    """It said 'no row has a time and all six acc/gyro values' without naming gyr_x."""
    frame = samples.copy()
    frame["gyr_x"] = np.nan
    with pytest.raises(ImportOptionsError, match=r"column 'gyr_x' is empty in every row"):
        import_csv(write_csv(frame, "nogx.csv"))


@pytest.mark.parametrize("rate_hz", [26.0, 12.5, 104.0])
def test_a_far_off_time_of_30_s_is_refused_at_any_rate(
    write_csv: WriteCsv, rate_hz: float
) -> None:
    """Below 33 Hz a 35 s glitch passed (30 s and also 1000 intervals was the rule): imu info
    showed a 34 s gap."""
    from tests.io.helpers import synthetic_samples

    frame = synthetic_samples(n=600, rate_hz=rate_hz)
    frame.loc[599, "time_s"] = frame.loc[598, "time_s"] + 35.0
    with pytest.raises(ImportOptionsError, match=r"data row 600 .*timestamp is far off"):
        import_csv(write_csv(frame, "glitch.csv"))


@pytest.mark.parametrize("rate_hz", [26.0, 12.5])
def test_a_long_pause_at_a_low_rate_is_still_a_gap(write_csv: WriteCsv, rate_hz: float) -> None:
    from tests.io.helpers import synthetic_samples

    frame = synthetic_samples(n=600, rate_hz=rate_hz)
    frame.loc[300:, "time_s"] += 40.0  # a 40 s pause, then 300 rows: a stretch of its own
    [imp] = import_csv(write_csv(frame, "pause.csv"))
    assert imp.report.longest_gap_s > 39.0
