"""Wrong column choices are refused by name instead of silently importing the wrong data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io import CsvOptions, import_csv
from imu.io.csv_import import MAX_TIME_REPAIR_SHARE

WriteCsv = Callable[..., Path]
ACC3 = ["acc_x", "acc_y", "acc_z"]
GYR3 = ["gyr_x", "gyr_y", "gyr_z"]


# --------------------------------------------------------------------------- columns twice


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"acc_cols": ("acc_x", "acc_x", "acc_x")}, r"--acc-cols acc_x,acc_x,acc_x names 'acc_x'"),
        ({"gyr_cols": ("gyr_x", "gyr_y", "gyr_x")}, r"--gyr-cols .* names 'gyr_x' more than"),
        ({"time_col": "acc_x"}, r"'acc_x' is given as the time column .* accelerometer column"),
        ({"gyr_cols": ("acc_x", "acc_y", "acc_z")}, r"'acc_x' is given as an accelerometer"),
        ({"gyr_cols": ("gyr_x", "gyr_y", "acc_z")}, r"'acc_z' .* and as a gyroscope column"),
    ],
)
def test_a_column_named_twice_is_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ImportOptionsError, match=match):
        CsvOptions(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "flags",
    [
        ["--time-col", "acc_x"],
        ["--gyr-cols", "acc_x,acc_y,acc_z"],
        ["--acc-cols", "acc_x,acc_x,acc_x"],
    ],
)
def test_cli_wrong_columns_exit_2_with_one_line(
    samples: pd.DataFrame,
    write_csv: WriteCsv,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
) -> None:
    path = write_csv(samples)
    argv = ["analyze", str(path), "-e", "reverse-crunch", "--out", str(tmp_path / "o"), *flags]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and flags[1].split(",")[0] in err


def test_gyro_columns_copying_the_accelerometer_are_refused(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame[["gx", "gy", "gz"]] = frame[ACC3].to_numpy()  # the accelerometer, exported twice
    options = CsvOptions(gyr_cols=("gx", "gy", "gz"))
    with pytest.raises(ImportOptionsError, match=r"'gx' holds exactly the values of .*'acc_x'"):
        import_csv(write_csv(frame), options)


def test_equal_constant_columns_are_no_copy(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.copy()
    frame["acc_y"] = 0.0
    frame["gyr_z"] = 0.0  # flat on both sensors: equal, but no sign of a copy
    [imp] = import_csv(write_csv(frame))
    assert imp.recording.n_samples == len(frame)


# --------------------------------------------------------------------------- the time column


def test_a_column_going_back_and_forth_is_no_time_column(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.rename(columns={"time_s": "timestamp"})
    frame["pitch"] = np.cumsum(frame["gyr_y"]) / 50.0  # an angle: up and down
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame), CsvOptions(time_col="pitch"))
    text = str(info.value)
    assert "'pitch' goes back in time at" in text
    assert "--time-col" in text and "'timestamp'" in text  # the right one is offered


def test_a_time_column_rounded_too_coarse_is_refused(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame["time_s"] = frame["time_s"].round(1)  # 50 Hz written at 0.1 s: 80% repeat
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame))
    text = str(info.value)
    assert re.search(r"\d+ of 500 rows \(80%\) repeat the time of the row before", text)
    assert "at least 0.1 s apart" in text and "--time-col none --rate HZ" in text


def test_time_col_none_with_rate_takes_rows_as_consecutive_samples(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame["time_s"] = frame["time_s"].round(1)
    [imp] = import_csv(write_csv(frame), CsvOptions(time_col="none", rate_hz=50.0))
    assert imp.recording.n_samples == len(frame)
    np.testing.assert_allclose(imp.recording.gyr, samples[GYR3].to_numpy(), atol=1e-9)


def test_small_time_repairs_are_still_made(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    n = len(samples)
    k = int(MAX_TIME_REPAIR_SHARE * n) - 2  # just under the limit
    frame = samples.copy()
    frame.loc[1 : 2 * k : 2, "time_s"] = frame["time_s"].shift(1)  # k rows repeat a time
    swapped = frame.index.to_numpy().copy()
    swapped[[300, 301]] = swapped[[301, 300]]  # and one pair out of order
    [imp] = import_csv(write_csv(frame.loc[swapped]), CsvOptions(rate_hz=50.0))
    assert imp.report.n_duplicates == k and imp.report.n_out_of_order == 1


def test_reverse_order_and_exact_copies_lose_nothing_and_are_repaired(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    reversed_ = samples.iloc[::-1]
    [imp] = import_csv(write_csv(reversed_), CsvOptions(rate_hz=50.0))
    assert imp.report.n_out_of_order == len(samples) - 1
    twice = pd.concat([samples, samples]).sort_values("time_s", kind="stable")
    [imp] = import_csv(write_csv(twice), CsvOptions(rate_hz=50.0))
    assert imp.report.n_duplicates == len(samples)
    np.testing.assert_allclose(imp.recording.acc, samples[ACC3].to_numpy(), atol=1e-9)
