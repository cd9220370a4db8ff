"""A phone app's export that fails a layout or consistency check is told in the app's terms.

The apps write their own units and columns, and ``--acc-unit``, ``--gyr-unit``, ``--acc-cols``
and ``--gyr-cols`` are ignored for their exports: advice to pass or check them cannot be
followed. Like a unit that does not fit (tests/io/test_app_unit_messages.py), a file with no
stable rest, swapped sensors, units changing part-way, a gyro turning the other way than the
accelerometer, or values beyond any sensor's range is reported as what looks wrong in the
app's units, that the file was edited or exported with other settings, a fresh export, or the
exact plain CSV import.
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
from tests.io.test_polar_logger import write_pair

META = "version,device name,recording time,platform\n3,Pixel Test,2025-01-01_10-00-00,Android\n"
CSV_ADVICE = ("check --acc-cols", "check --gyr-cols", "--gyr-cols and --acc-cols name",
              "pass --acc-unit", "pass --gyr-unit", "no single --acc-unit",
              "no single --gyr-unit", "give the unit with --acc-unit")


@pytest.fixture(scope="module")
def session():
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), reps=4, sets=1, seed=21)
    return simulate_session(spec).recording


@pytest.fixture(scope="module")
def samples(session):
    ta, acc, _ = _sample(session, 100.0, 0.002, 1)
    tg, _, gyr = _sample(session, 100.0, 0.002, 2, offset_s=0.003)
    return ta, acc, tg, gyr


def _error(capsys: pytest.CaptureFixture[str], path: Path, out: Path) -> str:
    assert main(["analyze", str(path), "-e", "reverse-crunch", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    for advice in CSV_ADVICE:  # options the app's export ignores
        assert advice not in err, err
    assert "exported with other settings" in err
    return err


def _sensor_logger(folder: Path, ta, acc, tg, gyr) -> Path:
    folder.mkdir(parents=True)
    (folder / "metadata.csv").write_text(META)
    (folder / "TotalAcceleration.csv").write_text(_sl_csv(ta, acc))
    (folder / "Gyroscope.csv").write_text(_sl_csv(tg, gyr))
    return folder


def test_swapped_sensor_logger_files(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    folder = _sensor_logger(tmp_path / "sl", tg, gyr, ta, acc)  # each file the other's values
    err = _error(capsys, folder, tmp_path / "out")
    assert "the two look swapped" in err
    assert "TotalAcceleration.csv looks like it holds the gyroscope's values" in err
    assert "Export the recording from Sensor Logger again" in err
    assert "imu convert JOINED.csv OUT.parquet --format csv" in err


def test_no_stable_rest_in_a_sensor_logger_export(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    noise = np.random.default_rng(0).normal(0.0, 2.0, acc.shape)
    err = _error(capsys, _sensor_logger(tmp_path / "sl", ta, noise, tg, gyr), tmp_path / "out")
    assert "the data shows no stable rest" in err
    assert "Sensor Logger writes the accelerometer in m/s^2 with gravity in it" in err
    assert "was the sensor worn and recording" in err
    assert "--no-unit-check imports it as it is" in err


def test_acc_units_changing_part_way(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    mixed = acc.copy()
    mixed[mixed.shape[0] // 2:] /= STANDARD_GRAVITY  # the second half in g
    err = _error(capsys, _sensor_logger(tmp_path / "sl", ta, mixed, tg, gyr), tmp_path / "out")
    assert "TotalAcceleration.csv's magnitude at rest reads" in err
    assert "(like g)" in err and "s into the recording" in err
    assert "Sensor Logger writes the accelerometer in m/s^2 throughout" in err
    assert "data row" not in err  # a row of the joined grid, not of the file


def test_gyro_units_changing_part_way(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    mixed = gyr.copy()
    mixed[mixed.shape[0] // 2:] *= 180.0 / np.pi  # the second half in deg/s
    err = _error(capsys, _sensor_logger(tmp_path / "sl", ta, acc, tg, mixed), tmp_path / "out")
    assert "Gyroscope.csv's scale changes" in err
    assert "Sensor Logger writes the gyroscope in rad/s throughout" in err


def test_acc_rows_beyond_full_scale(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    big = acc.copy()
    big[-big.shape[0] // 4:] *= 1000.0  # the last quarter 1000x: beyond any sensor
    err = _error(capsys, _sensor_logger(tmp_path / "sl", ta, big, tg, gyr), tmp_path / "out")
    assert "rows have values beyond any sensor's full scale" in err
    assert "a part of TotalAcceleration.csv is in another unit" in err


def test_acc_beyond_full_scale_throughout(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    counts = acc * 1000.0  # every row beyond any sensor's full scale in m/s^2
    err = _error(capsys, _sensor_logger(tmp_path / "sl", ta, counts, tg, gyr), tmp_path / "out")
    assert "rows have values beyond any sensor's full scale" in err
    assert "Sensor Logger writes the accelerometer in m/s^2, but TotalAcceleration.csv's " \
           "values look like counts" in err
    assert "imu convert JOINED.csv OUT.parquet --acc-unit counts" in err


@pytest.mark.parametrize("change", ["negated", "axes"])
def test_gyro_direction_in_a_sensor_logger_export(tmp_path, samples, capsys, change):
    ta, acc, tg, gyr = samples
    other = -gyr if change == "negated" else gyr[:, [1, 0, 2]]
    err = _error(capsys, _sensor_logger(tmp_path / "sl", ta, acc, tg, other), tmp_path / "out")
    assert "the gyroscope turns the sensor the opposite way" in err
    assert "Sensor Logger writes the accelerometer and the gyroscope in one frame" in err
    assert "the axes or signs of TotalAcceleration.csv or Gyroscope.csv were changed" in err


def test_gyro_direction_in_a_phyphox_export_gives_the_csv_command(tmp_path, session, capsys):
    t, acc, gyr = _sample(session, 100.0, 0.0, 6)
    folder = tmp_path / "px"
    folder.mkdir()
    write_phyphox_csv(folder / "Raw Data.csv", t, acc, -gyr)
    err = _error(capsys, folder, tmp_path / "out")
    assert "phyphox writes the accelerometer and the gyroscope in one frame" in err
    assert ("imu convert 'Raw Data.csv' OUT.parquet --format csv --time-col 'Time (s)' "
            "--acc-cols 'Acceleration x (m/s^2),") in err


def test_gyro_direction_in_a_polar_export(tmp_path, session, capsys):
    write_pair(tmp_path / "polar", session.acc, -session.gyr, session.sampling_rate_hz)
    err = _error(capsys, tmp_path / "polar", tmp_path / "out")
    assert "Polar Sensor Logger writes the accelerometer and the gyroscope in one frame" in err
    assert "--format csv --acc-unit g --gyr-unit deg/s" in err


def test_gyro_axes_barely_agreeing_warns_in_the_apps_terms(tmp_path, samples, capsys):
    ta, acc, tg, gyr = samples
    other = gyr[:, [1, 2, 0]] * np.array([1.0, 1.0, -1.0])  # axes in another order: a doubt
    folder = _sensor_logger(tmp_path / "sl", ta, acc, tg, other)
    assert main(["analyze", str(folder), "-e", "reverse-crunch",
                 "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    doubts = [line for line in (captured.out + captured.err).splitlines()
              if "barely agree" in line]
    assert doubts, captured
    doubt = doubts[0]
    assert "--acc-cols" not in doubt and "--gyr-cols" not in doubt
    assert "their axes may be in another order" in doubt
    assert "Sensor Logger writes the accelerometer and the gyroscope in one frame" in doubt
    assert "Export the recording from Sensor Logger again" in doubt
