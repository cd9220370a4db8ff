"""A CSV without timestamps imports with --rate, like a plain Parquet table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.errors import ImuError
from imu.io import CsvOptions, import_csv


def _write(tmp_path: Path) -> Path:
    n = 520
    t = np.arange(n) / 52.0
    frame = pd.DataFrame({
        "acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.full(n, 9.81),
        "gyr_x": 0.1 * np.sin(t), "gyr_y": np.zeros(n), "gyr_z": np.zeros(n),
    })
    path = tmp_path / "notime.csv"
    frame.to_csv(path, index=False)
    return path


def test_rate_gives_the_time_of_each_row(tmp_path: Path) -> None:
    [imported] = import_csv(_write(tmp_path), CsvOptions(rate_hz=52.0))
    rec = imported.recording
    assert rec.sampling_rate_hz == 52.0
    assert rec.n_samples == 520
    np.testing.assert_allclose(rec.gyr[:, 0], 0.1 * np.sin(np.arange(520) / 52.0))


def test_without_rate_the_error_names_the_way_out(tmp_path: Path) -> None:
    with pytest.raises(ImuError, match=r"without timestamps can give its sampling rate"):
        import_csv(_write(tmp_path), CsvOptions())
