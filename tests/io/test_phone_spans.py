"""One phone sensor recorded for less time than the other: a marked gap, said, never cut off."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.io.load import load_recordings
from imu.io.phone import import_phone
from imu.io.recording import Recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.io.test_phone import ACC_COLS, GYR_COLS, _px_csv, _sl_csv

KEEP_GYR = 500
"""Rows of the gyroscope file kept: its first 500 (5 s at 100 Hz) of a longer recording."""


@pytest.fixture(scope="module")
def truth() -> Recording:
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1, seed=5)
    return simulate_session(spec).recording


def _phyphox_folder(folder: Path, truth: Recording) -> Path:
    """Accelerometer.csv of the whole recording, Gyroscope.csv of its first rows only."""
    folder.mkdir()
    t = truth.time_s
    (folder / "Accelerometer.csv").write_text(
        _px_csv(t, truth.acc, ACC_COLS, "Absolute acceleration (m/s^2)")
    )
    (folder / "Gyroscope.csv").write_text(
        _px_csv(t[:KEEP_GYR], truth.gyr[:KEEP_GYR], GYR_COLS, "Absolute (rad/s)")
    )
    return folder


def test_phyphox_short_gyroscope_keeps_the_span_as_a_named_gap(
    tmp_path: Path, truth: Recording
) -> None:
    imp = import_phone(_phyphox_folder(tmp_path / "px", truth))
    rec, report = imp.recording, imp.report
    rate = rec.sampling_rate_hz
    assert rec.duration_s == pytest.approx(truth.duration_s, abs=0.05)  # nothing cut off
    [gap] = rec.meta.gaps
    assert gap.reason == "no gyroscope samples: Gyroscope.csv ends earlier"
    missing_s = truth.duration_s - KEEP_GYR / truth.sampling_rate_hz
    assert gap.n_samples / rate == pytest.approx(missing_s, abs=0.05)
    assert gap.end == rec.n_samples
    assert np.all(np.isnan(rec.gyr[gap.start :])) and np.all(np.isnan(rec.acc[gap.start :]))
    assert np.all(np.isfinite(rec.gyr[: gap.start]))
    line = report.repairs.line()
    assert f"Gyroscope.csv ends {missing_s:.2f} s earlier than Accelerometer.csv" in line
    assert "are a gap" in line


def test_phone_rate_is_called_estimated_unless_given(tmp_path: Path, truth: Recording) -> None:
    folder = _phyphox_folder(tmp_path / "px", truth)
    estimated = import_phone(folder).report
    assert estimated.rate_estimated
    text = "\n".join(estimated.summary_lines())
    assert "ESTIMATED, the accelerometer's median interval" in text and "given" not in text
    assert estimated.repairs.count("rate_estimated") == 1
    given = import_phone(folder, rate_hz=50.0).report
    assert not given.rate_estimated and given.rate_note == "given"
    assert "estimated" not in given.repairs.text()


def test_cli_info_says_which_sensor_lost_how_much(
    tmp_path: Path, truth: Recording, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _phyphox_folder(tmp_path / "px", truth)
    assert main(["info", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "Gyroscope.csv ends" in captured.err and "are a gap" in captured.err
    duration = re.search(r"duration\s+([\d.]+) s", captured.out)
    assert duration and float(duration.group(1)) == pytest.approx(truth.duration_s, abs=0.05)
    assert "(given" not in captured.out


def _sl_zip(path: Path, truth: Recording, files: dict[str, tuple[int, np.ndarray]]) -> Path:
    """A Sensor Logger zip: each file from the first ``n`` samples of ``values``."""
    t = truth.time_s
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.csv", "version,device name,platform\n3,Pixel Test,Android\n")
        for name, (n, values) in files.items():
            zf.writestr(name, _sl_csv(t[:n], values[:n]))
    return path


def test_sensor_logger_short_gyroscope_is_a_named_gap(tmp_path: Path, truth: Recording) -> None:
    n = truth.n_samples
    path = _sl_zip(
        tmp_path / "sl.zip",
        truth,
        {"TotalAcceleration.csv": (n, truth.acc), "Gyroscope.csv": (KEEP_GYR, truth.gyr)},
    )
    imp = import_phone(path)
    assert imp.recording.duration_s == pytest.approx(truth.duration_s, abs=0.05)
    [gap] = imp.recording.meta.gaps
    assert "Gyroscope.csv ends earlier" in gap.reason
    assert "Gyroscope.csv ends" in imp.report.repairs.text()


def test_sensor_logger_short_gravity_is_said(tmp_path: Path, truth: Recording) -> None:
    n = truth.n_samples
    gravity = np.tile([0.0, 0.0, 9.80665], (n, 1))
    path = _sl_zip(
        tmp_path / "g.zip",
        truth,
        {
            "Accelerometer.csv": (n, truth.acc - gravity),
            "Gravity.csv": (KEEP_GYR, gravity),
            "Gyroscope.csv": (n, truth.gyr),
        },
    )
    imp = import_phone(path)
    text = imp.report.repairs.text()
    assert "of Accelerometer.csv" in text and "Gravity.csv has no samples there" in text
    assert imp.recording.duration_s == pytest.approx(truth.duration_s, abs=0.05)
    [gap] = imp.recording.meta.gaps
    assert "no accelerometer samples" in gap.reason


def test_a_sample_alone_before_a_long_hole_leaves_no_unnamed_nan(tmp_path: Path) -> None:
    """A fuzzed phyphox export (found in CI, reduced): 16 rows out of order, about 4 Hz, with
    a lone sample before a 1 s hole. The import of the grid's valid points flagged that
    sample as part of a gap of its own, and the full grid lost the gap's name: a NaN sample
    outside every gap."""
    times = [3.66, 2.22, 3.72, 0.5, 3.1, 3.3, 0.06, 2.18, 2.72, 4.0, 4.58, 2.52, 1.22, 5.96,
             3.52, 0.3]
    header = ("Time (s),Acceleration x (m/s^2),Acceleration y (m/s^2),Acceleration z (m/s^2),"
              "Gyroscope x (rad/s),Gyroscope y (rad/s),Gyroscope z (rad/s)")
    rows = [f"{t},0.1,0.0,9.8,0.01,0.0,0.0" for t in times]
    path = tmp_path / "Raw Data.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    (item,) = load_recordings(path, fmt="phyphox")
    rec = item.recording
    missing = np.isnan(rec.acc).any(axis=1) | np.isnan(rec.gyr).any(axis=1)
    named = np.zeros(rec.n_samples, dtype=bool)
    for gap in rec.meta.gaps:
        named[gap.start : gap.end] = True
    assert missing.any() and not (missing & ~named).any()
