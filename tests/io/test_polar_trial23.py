"""Polar Sensor Logger files as trial 23 met them.

Sensor timestamps restarting from about 1 s halfway through a file were reported as "a pause
of 7.634e+08 s after 111.8 s ... (stopped and started again much later?)"; a folder of two
recordings failed in imu batch with advice that failed the same way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from tests.io.test_polar_logger import (
    ACC_HEADER,
    GYR_HEADER,
    PHONE_T0_S,
    PREFIX,
    SENSOR_T0_NS,
    _phone_text,
    still,
    write_pair,
)


def _restarting(path: Path, header: str, values: np.ndarray, fmt: str, at: int) -> None:
    """A stream whose sensor clock restarts at 1 s from sample ``at``; phone time runs on."""
    lines = [header]
    for k, v in enumerate(values):
        t = k / 52.0
        sensor = SENSOR_T0_NS + round(t * 1e9) if k < at else round(1e9 + (k - at) / 52.0 * 1e9)
        lines.append(f"{_phone_text(PHONE_T0_S + t + 0.3)};{sensor};"
                     + ";".join(fmt.format(x) for x in v))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_sensor_clock_going_back_is_named_with_its_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    acc, gyr = still(1200)
    folder = tmp_path / "p"
    folder.mkdir()
    _restarting(folder / f"{PREFIX}_ACC.txt", ACC_HEADER,
                np.round(acc / 9.80665 * 1000.0), "{:.0f}", 600)
    _restarting(folder / f"{PREFIX}_GYRO.txt", GYR_HEADER, np.degrees(gyr), "{:.7g}", 600)
    code = main(["analyze", str(folder), "-e", "reverse-crunch", "--out", str(tmp_path / "o")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2, err
    assert "the sensor's clock goes back" in err and "at data row 601" in err, err
    assert "much later" not in err


def test_a_folder_of_two_polar_recordings_is_two_sessions_for_batch(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Trial 23: 'imu batch p_two' failed with advice to convert the folder, which failed the
    same way ("holds the files of 2 recordings")."""
    import pandas as pd

    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    folder = tmp_path / "p_two"
    for k, seed in enumerate((1, 2)):
        rec = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"),
                                           reps=3, sets=1, seed=seed,
                                           sampling_rate_hz=52)).recording
        write_pair(folder, rec.acc, rec.gyr, 52.0,
                   prefix=f"Polar_Sense_0C301E3F_2024010{k + 1}_120000")
    out = tmp_path / "ds"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0",
                 "-e", "reverse-crunch"]) == 0
    sessions = pd.read_parquet(out / "sessions")
    assert sorted(Path(f).name for f in sessions["file"]) == [
        "Polar_Sense_0C301E3F_20240101_120000_ACC.txt",
        "Polar_Sense_0C301E3F_20240102_120000_ACC.txt"]


def test_polar_recordings_in_sub_folders_are_named_when_none_is_found(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Trial 23: a folder whose sub-folders each held a Polar pair gave "no recordings found
    (*.parquet in a directory)" alone; naming them, the advice works."""
    acc, gyr = still(600)
    folder = tmp_path / "polsess"
    for name in ("a", "b"):
        write_pair(folder / name, acc, gyr, 52.0)
    assert main(["batch", str(folder), "--out", str(tmp_path / "ds")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "it holds 2 phone exports in sub-folders; give them as inputs, e.g. imu batch" in err
    assert f"{folder / 'a'} {folder / 'b'}" in err
