"""A gyro whose axes are the other way round from the accelerometer's is refused at import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.errors import ImportOptionsError
from imu.io.csv_import import CsvOptions, import_csv
from imu.io.gravity import gyro_tilt_check

from .helpers import synthetic_samples

ROOT = Path(__file__).resolve().parents[2]
GYR = ["gyr_x", "gyr_y", "gyr_z"]


def _bundled(name: str) -> pd.DataFrame:
    return pd.read_parquet(ROOT / "recordings" / f"{name}.parquet")


@pytest.mark.parametrize("name", ["pelvic_tilt", "reverse_crunch", "plank"])
def test_a_negated_gyro_is_refused_with_the_fix(tmp_path: Path, name: str) -> None:
    """Negated, a bundled recording's gyro turns gravity the other way: the pelvic tilt then
    read 9 reps in 1 set (10 in 2) with its top holds and bottom pauses swapped."""
    data = _bundled(name)
    data[GYR] = -data[GYR]
    path = tmp_path / "flipped.csv"
    data.to_csv(path, index=False)
    with pytest.raises(ImportOptionsError, match=r"opposite way.*--gyr-cols and --acc-cols"):
        import_csv(path, CsvOptions())
    [imported] = import_csv(path, CsvOptions(check_units=False))  # the way out it names
    assert imported.recording.n_samples > 0


def test_the_same_files_unflipped_import(tmp_path: Path) -> None:
    for name in ("pelvic_tilt", "reverse_crunch", "plank", "standing_curl"):
        path = tmp_path / f"{name}.csv"
        _bundled(name).to_csv(path, index=False)
        [imported] = import_csv(path, CsvOptions())
        assert imported.recording.n_samples > 0


def test_agreement_is_one_way_or_the_other() -> None:
    """The agreement of a consistent rocking sensor is about 1 and about -1 flipped."""
    data = synthetic_samples(n=600, rate_hz=50.0, seed=1, moving_from=0.3)
    acc = data[["acc_x", "acc_y", "acc_z"]].to_numpy()
    gyr = data[GYR].to_numpy()
    right = gyro_tilt_check(acc, gyr, 50.0)
    flipped = gyro_tilt_check(acc, -gyr, 50.0)
    assert right is not None and flipped is not None
    assert right.agreement > 0.9 and flipped.agreement < -0.9
