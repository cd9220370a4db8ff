"""One phyphox CSV given while the other sensor's export sits beside it.

``imu analyze phyphox_two/Accelerometer.csv`` with ``Gyroscope.csv`` in the same folder said
"record the 'Gyroscope' experiment too (export both, e.g. into one folder)", though they
already were: the message now names the file beside it and says to give the folder, which is
read as one recording (as a Sensor Logger export's folder is).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io.phone import PX_ACC, PX_GYR, PX_LINEAR, PX_TIME, import_phone
from tests.cli.helpers import one_error_line


def _px_file(path: Path, cols: tuple[str, ...], values: np.ndarray) -> Path:
    t = np.arange(len(values)) / 100.0
    lines = [",".join(f'"{c}"' for c in (PX_TIME, *cols))]
    lines += [",".join(f"{v:.9E}" for v in (ti, *row)) for ti, row in zip(t, values, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _two_exports(folder: Path, acc_cols: tuple[str, ...] = PX_ACC) -> tuple[Path, Path]:
    folder.mkdir()
    n = 1000
    rng = np.random.default_rng(0)
    acc = np.tile([0.0, 0.0, 9.81], (n, 1)) + rng.normal(0, 0.02, (n, 3))
    gyr = rng.normal(0, 0.01, (n, 3))
    return (_px_file(folder / "Accelerometer.csv", acc_cols, acc),
            _px_file(folder / "Gyroscope.csv", PX_GYR, gyr))


def test_the_file_beside_is_named_with_the_folder_to_give(tmp_path: Path) -> None:
    acc, gyr = _two_exports(tmp_path / "px")
    with pytest.raises(ImportOptionsError) as caught:
        import_phone(acc)
    assert str(caught.value).endswith(
        f"; the gyroscope is in Gyroscope.csv beside it: give their folder, {tmp_path}/px/, "
        "instead of the file, to import both as one recording")
    with pytest.raises(ImportOptionsError, match=r"the acceleration is in Accelerometer\.csv "
                                                 r"beside it: give their folder"):
        import_phone(gyr)
    assert import_phone(tmp_path / "px").recording.n_samples > 900  # as the message says


def test_analyze_says_it_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    acc, _ = _two_exports(tmp_path / "px")
    code = main(["analyze", str(acc), "-e", "reverse-crunch", "--out", str(tmp_path / "o")])
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert "Gyroscope.csv beside it: give their folder" in line
    assert "record the 'Gyroscope' experiment" not in line


def test_alone_or_beside_linear_acceleration_the_old_advice_stays(tmp_path: Path) -> None:
    _, gyr = _two_exports(tmp_path / "px", acc_cols=PX_LINEAR)
    with pytest.raises(ImportOptionsError, match="record with the 'Acceleration with g'"):
        import_phone(gyr)
    gyr.unlink()
    alone = _px_file(tmp_path / "px" / "Acc.csv", PX_ACC, np.tile([0.0, 0.0, 9.81], (300, 1)))
    with pytest.raises(ImportOptionsError, match="record the 'Gyroscope' experiment too"):
        import_phone(alone)
