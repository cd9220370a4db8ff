"""A phone app's export that fails a unit check is told in the app's terms.

The apps write their own units (Sensor Logger and phyphox m/s^2 and rad/s, Polar Sensor Logger
mg and deg/s), and ``--acc-unit``/``--gyr-unit`` are ignored for their exports: advice to pass
them gave the same error again. The message names the unit the app writes, the unit the values
look like and that the file was edited or exported with other settings, and how to read it as a
plain CSV. An empty Polar file is said to be empty, as Sensor Logger's is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.frames import STANDARD_GRAVITY
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.io.test_phone import _sample, _sl_csv, write_phyphox_csv
from tests.io.test_polar_logger import PREFIX, write_pair

META = "version,device name,recording time,platform\n3,Pixel Test,2025-01-01_10-00-00,Android\n"


@pytest.fixture(scope="module")
def session():
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), reps=4, sets=1, seed=21)
    return simulate_session(spec).recording


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


def _sensor_logger(folder: Path, rec, acc_factor: float = 1.0, gyr_factor: float = 1.0) -> Path:
    folder.mkdir(parents=True)
    ta, acc, _ = _sample(rec, 100.0, 0.002, 1)
    tg, _, gyr = _sample(rec, 100.0, 0.002, 2, offset_s=0.003)
    (folder / "metadata.csv").write_text(META)
    (folder / "TotalAcceleration.csv").write_text(_sl_csv(ta, acc * acc_factor))
    (folder / "Gyroscope.csv").write_text(_sl_csv(tg, gyr * gyr_factor))
    return folder


@pytest.mark.parametrize("given", [[], ["--gyr-unit", "deg/s"]])
def test_sensor_logger_gyro_in_deg_s_names_the_apps_unit(tmp_path, session, capsys, given):
    folder = _sensor_logger(tmp_path / "sl", session, gyr_factor=180.0 / np.pi)
    err = _error(capsys, ["analyze", str(folder), "-e", "reverse-crunch", *given,
                          "--out", str(tmp_path / "out")])
    assert "pass --gyr-unit" not in err  # ignored for an app's export: the same error again
    assert "Sensor Logger writes the gyroscope in rad/s" in err
    assert "Gyroscope.csv's values look like deg/s" in err
    assert "exported with other settings" in err
    assert "plain CSV with --gyr-unit deg/s" in err


def test_phyphox_acc_in_g_names_the_apps_unit(tmp_path, session, capsys):
    t, acc, gyr = _sample(session, 100.0, 0.0, 6)
    folder = tmp_path / "px"
    folder.mkdir()
    write_phyphox_csv(folder / "Raw Data.csv", t, acc / STANDARD_GRAVITY, gyr)
    err = _error(capsys, ["analyze", str(folder), "-e", "reverse-crunch", "--acc-unit", "g",
                          "--out", str(tmp_path / "out")])
    assert "pass --acc-unit" not in err
    assert "phyphox writes the accelerometer in m/s^2" in err
    assert "Raw Data.csv's values look like g" in err
    assert "read Raw Data.csv as a plain CSV with --acc-unit g (--format csv" in err


def test_polar_gyro_in_rad_s_names_the_apps_unit(tmp_path, session, capsys):
    rec = session
    gyr_written = rec.gyr * np.pi / 180.0  # the file's deg/s column holds rad/s
    write_pair(tmp_path / "polar", rec.acc, gyr_written, rec.sampling_rate_hz)
    err = _error(capsys, ["analyze", str(tmp_path / "polar"), "-e", "reverse-crunch",
                          "--out", str(tmp_path / "out")])
    assert "check --gyr-cols" not in err
    assert "Polar Sensor Logger's unit (deg/s)" in err
    assert "Polar Sensor Logger writes the gyroscope in deg/s" in err
    assert f"{PREFIX}_GYRO.txt's values look like rad/s" in err


@pytest.mark.parametrize("given", ["folder", "GYRO", "ACC"])
def test_an_empty_polar_file_is_said_to_be_empty(tmp_path, session, capsys, given):
    acc_path, gyr_path = write_pair(tmp_path / "polar", session.acc, session.gyr,
                                    session.sampling_rate_hz)
    gyr_path.write_text("")
    path = {"folder": tmp_path / "polar", "GYRO": gyr_path, "ACC": acc_path}[given]
    err = _error(capsys, ["analyze", str(path), "-e", "reverse-crunch",
                          "--out", str(tmp_path / "out")])
    assert f"{gyr_path.name}: the file is empty" in err
    assert "its header is" not in err and "another app" not in err
