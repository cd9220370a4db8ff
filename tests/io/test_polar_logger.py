"""Polar Sensor Logger files: an ACC (mg) and a GYRO (deg/s) file joined into one recording.

The files are written as the app writes them (``;``-separated, ``Phone timestamp;sensor
timestamp [ns];X [mg];Y [mg];Z [mg]``, the sensor time in ns since 2000-01-01, the phone's
local time as ``2024-01-01T12:00:00.123``), from a simulated session or a still sensor.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError, RecordingError
from imu.frames import STANDARD_GRAVITY
from imu.io.load import load_recordings
from imu.io.phone import detect_phone_format
from imu.io.polar_logger import ACC_HEADER, GYR_HEADER, import_polar_logger
from imu.io.recording import read_recording

SENSOR_T0_NS = 599_616_065_136_175_104  # an unset Verity Sense clock: early 2019
PHONE_T0_S = 1_704_110_400.0  # 2024-01-01T12:00:00, the phone's local time read as UTC
PREFIX = "Polar_Sense_0C301E3F_20240101_120000"


def _phone_text(unix_s: float) -> str:
    ms = round(unix_s * 1e3)
    day = np.datetime64(ms, "ms").astype("datetime64[ms]")
    return str(day)  # 2024-01-01T12:00:00.123


def _write(path: Path, header: str, t_s: np.ndarray, values: np.ndarray, fmt: str,
           phone_delay_s: float = 0.3) -> Path:
    """One stream file: sensor ns from ``SENSOR_T0_NS``, phone time a little later."""
    lines = [header]
    for ti, v in zip(t_s, values, strict=True):
        sensor = SENSOR_T0_NS + round(ti * 1e9)
        phone = _phone_text(PHONE_T0_S + ti + phone_delay_s)
        lines.append(f"{phone};{sensor};" + ";".join(fmt.format(x) for x in v))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_pair(
    folder: Path,
    acc_ms2: np.ndarray,
    gyr_rad_s: np.ndarray,
    rate_hz: float,
    prefix: str = PREFIX,
    gyr_prefix: str | None = None,
    gyr_offset_s: float = 0.004,
    gyr_shift_s: float = 0.0,
    true_rate_hz: float | None = None,
    streams: tuple[str, ...] = ("ACC", "GYRO"),
) -> tuple[Path, Path]:
    """The app's ACC and GYRO files of one recording, samples in SI units.

    ``gyr_offset_s``: the gyro samples' instants lag the accelerometer's by this much (two
    streams of one clock are not sampled together); ``gyr_shift_s``: the whole GYRO file starts
    this much later (another recording when large); ``true_rate_hz``: the sensor's real rate
    (its crystal off nominal), which spaces the timestamps.
    """
    folder.mkdir(parents=True, exist_ok=True)
    spacing = 1.0 / (true_rate_hz or rate_hz)
    n = acc_ms2.shape[0]
    t = np.arange(n) * spacing
    ok = np.isfinite(acc_ms2).all(axis=1) & np.isfinite(gyr_rad_s).all(axis=1)
    acc_mg = np.round(acc_ms2 / STANDARD_GRAVITY * 1000.0)
    gyr_dps = np.degrees(gyr_rad_s)
    acc_path = folder / f"{prefix}_ACC.txt"
    gyr_path = folder / f"{gyr_prefix or prefix}_GYRO.txt"
    if "ACC" in streams:
        _write(acc_path, ACC_HEADER, t[ok], acc_mg[ok], "{:.0f}")
    if "GYRO" in streams:
        _write(gyr_path, GYR_HEADER, t[ok] + gyr_offset_s + gyr_shift_s, gyr_dps[ok], "{:.7g}")
    return acc_path, gyr_path


def still(n: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """A sensor lying still, z up (1 g), with a little noise; SI units."""
    rng = np.random.default_rng(3)
    acc = np.tile([0.0, 0.0, STANDARD_GRAVITY], (n, 1)) + rng.normal(0, 0.01, (n, 3))
    gyr = rng.normal(0, 0.002, (n, 3))
    return acc, gyr


@pytest.fixture(scope="module")
def session():
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4, sets=1, seed=11,
                       sampling_rate_hz=52)
    return simulate_session(spec).recording


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


# ----------------------------------------------------------------------------- the join
@pytest.mark.parametrize("given", ["acc", "gyr", "folder"])
def test_a_still_sensor_reads_1_g_at_the_sensors_rate_whichever_file_is_given(tmp_path, given):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path / "rec", acc, gyr, 52.0, true_rate_hz=52.03)
    path = {"acc": acc_path, "gyr": gyr_path, "folder": tmp_path / "rec"}[given]
    assert detect_phone_format(path) == "polar-sensor-logger"
    [loaded] = load_recordings(path)
    rec = loaded.recording
    assert rec.sampling_rate_hz == 52.0  # the sensor's nominal rate, not 52.03
    ok = np.isfinite(rec.acc).all(axis=1) & np.isfinite(rec.gyr).all(axis=1)
    assert ok.mean() > 0.99
    g = np.linalg.norm(rec.acc[ok], axis=1)
    assert np.median(g) == pytest.approx(STANDARD_GRAVITY, abs=0.02)  # mg -> m/s^2
    assert np.median(rec.acc[ok, 2]) == pytest.approx(STANDARD_GRAVITY, abs=0.02)
    assert np.abs(rec.gyr[ok]).max() < 0.02  # rad/s, not deg/s
    # About as many grid samples as the accelerometer's (600 at 52.03 Hz = 11.53 s).
    assert abs(rec.n_samples - 600 * 52.0 / 52.03) <= 3
    notes = rec.meta.notes
    assert notes["import_format"] == "polar-sensor-logger"
    assert notes["acc_file"] == acc_path.name and notes["gyr_file"] == gyr_path.name
    assert "nominal" in notes["import_rate"] and "52.03 Hz" in notes["import_rate"]
    assert rec.meta.device == "Polar Sense 0C301E3F (Polar Sensor Logger)"
    # The phone's clock (12:00:00 plus the 0.3 s the samples took to arrive), not the sensor's.
    assert rec.meta.start_time_s == pytest.approx(PHONE_T0_S + 0.3, abs=0.05)
    assert loaded.name == (PREFIX if given != "folder" else "rec")
    assert "rate 52 Hz estimated" not in loaded.repairs.text()


def test_the_join_follows_the_truth_of_a_simulated_session(tmp_path, session):
    write_pair(tmp_path, session.acc, session.gyr, 52.0)
    imp = import_polar_logger(tmp_path)
    rec = imp.recording
    assert rec.sampling_rate_hz == 52.0
    t = np.arange(rec.n_samples) / 52.0
    ok = np.isfinite(rec.acc).all(axis=1) & np.isfinite(rec.gyr).all(axis=1)
    ref_acc = np.column_stack([np.interp(t, session.time_s, session.acc[:, i]) for i in range(3)])
    # The gyro's samples came 4 ms after the accelerometer's: interpolated back onto its grid.
    ref_gyr = np.column_stack([np.interp(t, session.time_s, session.gyr[:, i]) for i in range(3)])
    assert np.median(np.abs(rec.acc[ok] - ref_acc[ok])) < 0.01  # mg rounding: 0.005 m/s^2
    assert np.median(np.abs(rec.gyr[ok] - ref_gyr[ok])) < 0.01
    assert any("gyroscope " in line and "_GYRO.txt" in line for line in imp.report.details)


def test_a_hole_in_one_stream_is_a_marked_gap_and_said(tmp_path):
    acc, gyr = still(1000)
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    lines = gyr_path.read_text().splitlines()
    gyr_path.write_text("\n".join(lines[:401] + lines[452:]) + "\n")  # 51 rows: ~1 s lost
    [loaded] = load_recordings(acc_path)
    gaps = loaded.recording.meta.gaps
    assert len(gaps) == 1 and "gyroscope" in gaps[0].reason
    assert 45 <= gaps[0].end - gaps[0].start <= 55
    assert np.isnan(loaded.recording.gyr[gaps[0].start : gaps[0].end]).all()


def test_a_gyro_file_starting_later_leaves_a_gap_the_repairs_line_names(tmp_path):
    acc, gyr = still(1000)
    _, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    lines = gyr_path.read_text().splitlines()
    gyr_path.write_text("\n".join([lines[0], *lines[105:]]) + "\n")  # starts 2 s later
    [loaded] = load_recordings(tmp_path)
    text = loaded.repairs.text()
    assert f"{gyr_path.name} starts 2.0" in text and "a gap" in text, text
    first = loaded.recording.meta.gaps[0]
    assert first.start == 0 and "gyroscope" in first.reason


def test_names_stamped_a_second_apart_still_pair_by_sensor_time(tmp_path):
    """The app may name the GYRO file a second after the ACC file of the same recording."""
    acc, gyr = still()
    write_pair(tmp_path, acc, gyr, 52.0)
    write_pair(tmp_path, acc, gyr, 52.0, prefix="Polar_Sense_0C301E3F_20240101_130000",
               gyr_prefix="Polar_Sense_0C301E3F_20240101_130001", gyr_shift_s=3600.0)
    # Shift the second recording's ACC file too: it was an hour later.
    later = tmp_path / "Polar_Sense_0C301E3F_20240101_130000_ACC.txt"
    rows = later.read_text().splitlines()
    shifted = [rows[0]] + [
        ";".join([r.split(";")[0], str(int(r.split(";")[1]) + 3600 * 10**9), *r.split(";")[2:]])
        for r in rows[1:]
    ]
    later.write_text("\n".join(shifted) + "\n")
    [loaded] = load_recordings(later)
    assert loaded.recording.meta.notes["gyr_file"] == \
        "Polar_Sense_0C301E3F_20240101_130001_GYRO.txt"
    [first] = load_recordings(tmp_path / f"{PREFIX}_GYRO.txt")
    assert first.recording.meta.notes["acc_file"] == f"{PREFIX}_ACC.txt"


def test_rate_given_and_rate_off_every_nominal(tmp_path):
    acc, gyr = still()
    write_pair(tmp_path / "a", acc, gyr, 52.0)
    [given] = load_recordings(tmp_path / "a", rate_hz=100.0)
    assert given.recording.sampling_rate_hz == 100.0
    write_pair(tmp_path / "b", acc, gyr, 40.0)  # no Verity Sense rate: the timestamps' own
    imp = import_polar_logger(tmp_path / "b")
    assert imp.recording.sampling_rate_hz == pytest.approx(40.0)
    assert any("none of a Verity Sense's rates" in w for w in imp.report.warnings)


def test_trailing_semicolons_and_blanks_in_the_header_are_read(tmp_path):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    for path in (acc_path, gyr_path):
        rows = path.read_text().splitlines()
        path.write_text("\n".join([rows[0] + " ", *(r + ";" for r in rows[1:])]) + "\n")
    rec = import_polar_logger(acc_path).recording
    assert np.nanmedian(np.linalg.norm(rec.acc, axis=1)) == pytest.approx(9.81, abs=0.03)


def test_rows_with_unreadable_values_are_dropped_and_said_and_no_phone_time_is_warned(tmp_path):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    rows = acc_path.read_text().splitlines()
    rows[100] = rows[100].rsplit(";", 1)[0] + ";"  # an empty Z
    rows[200] = rows[200].rsplit(";", 1)[0] + ";1O00"  # a letter O
    acc_path.write_text("\n".join(rows) + "\n")
    imp = import_polar_logger(tmp_path)
    assert not imp.report.warnings  # the phone's time is there: no doubt to say
    for path in (acc_path, gyr_path):  # no phone time in either file
        rows = path.read_text().splitlines()
        rows[1:] = [";".join(["--", *r.split(";")[1:]]) for r in rows[1:]]
        path.write_text("\n".join(rows) + "\n")
    imp = import_polar_logger(tmp_path)
    assert "2 rows of " + acc_path.name in imp.report.repairs.text(), imp.report.repairs.text()
    assert any("start time is unknown" in w for w in imp.report.warnings), imp.report.warnings
    assert imp.recording.meta.start_time_s == 0.0


# ----------------------------------------------------------------------------- refusals
def test_accelerometer_only_says_the_analysis_needs_the_gyro(tmp_path, capsys):
    acc, gyr = still()
    acc_path, _ = write_pair(tmp_path, acc, gyr, 52.0, streams=("ACC",))
    for path in (acc_path, tmp_path):
        err = _one_line_error(capsys, ["info", str(path)])
        assert f"{path}: only the accelerometer file ({acc_path.name})" in err, err
        assert "needs the gyroscope" in err and "tick GYRO" in err, err
    h10 = tmp_path / "h10"
    h10_acc, _ = write_pair(h10, acc, gyr, 52.0, prefix="Polar_H10_16E0A933_20240101_120000",
                            streams=("ACC",))
    err = _one_line_error(capsys, ["convert", str(h10_acc), str(tmp_path / "x.parquet")])
    assert "Polar H10 16E0A933 has no gyroscope" in err, err
    assert not (tmp_path / "x.parquet").exists()


def test_gyro_only_says_the_analysis_needs_the_accelerometer(tmp_path, capsys):
    acc, gyr = still()
    _, gyr_path = write_pair(tmp_path, acc, gyr, 52.0, streams=("GYRO",))
    err = _one_line_error(capsys, ["info", str(gyr_path)])
    assert f"only the gyroscope file ({gyr_path.name})" in err, err
    assert "needs the accelerometer" in err, err


def test_two_files_that_do_not_overlap_in_time_are_refused(tmp_path, capsys):
    acc, gyr = still()
    write_pair(tmp_path, acc, gyr, 52.0, gyr_prefix="Polar_Sense_0C301E3F_20240101_121000",
               gyr_shift_s=600.0)
    err = _one_line_error(capsys, ["convert", str(tmp_path), str(tmp_path / "x.parquet")])
    assert "do not overlap in time" in err, err
    assert "2024-01-01 12:00:00-12:00:11" in err and "12:10:00-12:10:11" in err, err
    assert "give the ACC and GYRO files the app wrote together" in err, err


def test_a_folder_of_several_recordings_names_them_and_asks_for_one(tmp_path, capsys):
    acc, gyr = still()
    write_pair(tmp_path, acc, gyr, 52.0)
    other = "Polar_Sense_0C301E3F_20240102_090000"
    write_pair(tmp_path, acc, gyr, 52.0, prefix=other)
    err = _one_line_error(capsys, ["analyze", str(tmp_path), "-e", "reverse-crunch", "--out",
                                   str(tmp_path / "out")])
    assert f"holds the files of 2 Polar Sensor Logger recordings ({PREFIX}, {other})" in err
    assert f"e.g. {tmp_path / (PREFIX + '_ACC.txt')}" in err, err
    # One of them, named by its file, imports (its pair by name, the other left alone).
    [loaded] = load_recordings(tmp_path / f"{other}_GYRO.txt")
    assert loaded.recording.meta.notes["acc_file"] == f"{other}_ACC.txt"


def test_a_truncated_last_line_is_refused_with_the_fix(tmp_path, capsys):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    text = gyr_path.read_text()
    gyr_path.write_text(text[: text.rstrip("\n").rfind(";") - 3])  # cut inside the last row
    err = _one_line_error(capsys, ["info", str(acc_path)])
    assert gyr_path.name in err and "looks truncated" in err, err
    assert "remove the incomplete last line" in err, err


def test_a_file_with_another_apps_header_is_named(tmp_path, capsys):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    # Another logger's ACC file: an extra "timestamp [ms]" column shifts every axis.
    rows = acc_path.read_text().splitlines()
    other = "Phone timestamp;sensor timestamp [ns];timestamp [ms];X [mg];Y [mg];Z [mg]"
    acc_path.write_text("\n".join([other, *rows[1:]]) + "\n")
    for path in (acc_path, gyr_path, tmp_path):
        err = _one_line_error(capsys, ["info", str(path)])
        assert "looks like Polar Sensor Logger's accelerometer (ACC) file but its header is " \
            f"{other!r}" in err, err
        assert "written by another app" in err, err
    # A comma-separated file named like the app's GYRO file.
    gyr_path.write_text("time,x,y,z\n0,1,2,3\n0.02,1,2,3\n")
    acc_path.write_text("\n".join(rows) + "\n")
    err = _one_line_error(capsys, ["info", str(acc_path)])
    assert f"{gyr_path.name}: looks like Polar Sensor Logger's gyroscope (GYRO) file" in err, err


def test_another_stream_of_the_app_is_named(tmp_path, capsys):
    acc, gyr = still()
    write_pair(tmp_path, acc, gyr, 52.0)
    hr = tmp_path / f"{PREFIX}_HR.txt"
    hr.write_text("Phone timestamp;HR [bpm];HRV [ms];Breathing interval [rpm];\n"
                  "2024-01-01T12:00:01.000;60;0;0;\n")
    err = _one_line_error(capsys, ["info", str(hr)])
    assert "a Polar Sensor Logger file of its HR stream" in err, err
    assert "give the recording's _ACC.txt or _GYRO.txt file" in err, err
    [loaded] = load_recordings(tmp_path)  # the folder: the HR file is left aside
    assert loaded.recording.meta.notes["import_format"] == "polar-sensor-logger"


def test_format_csv_on_an_app_file_says_to_leave_format_out(tmp_path, capsys):
    acc, gyr = still()
    acc_path, _ = write_pair(tmp_path, acc, gyr, 52.0)
    err = _one_line_error(capsys, ["info", str(acc_path), "--format", "csv"])
    assert "a Polar Sensor Logger file (the accelerometer, in mg)" in err, err
    assert "leave --format out" in err, err


def test_format_naming_the_app_on_another_file_says_what_it_is(tmp_path, capsys):
    plain = tmp_path / "plain.csv"
    plain.write_text("time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n0,0,0,9.8,0,0,0\n")
    err = _one_line_error(capsys, ["info", str(plain), "--format", "polar-sensor-logger"])
    assert f"{plain}: not a Polar Sensor Logger file: its first line is 'time_s,acc_x" in err
    assert "if plain.csv is a plain CSV, pass --format csv" in err, err
    empty = tmp_path / "empty"
    empty.mkdir()
    err = _one_line_error(capsys, ["info", str(empty), "--format", "polar-sensor-logger"])
    assert f"{empty}: holds no Polar Sensor Logger file at its top level" in err, err


def test_the_readers_errors_are_the_import_errors_from_python(tmp_path):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0, streams=("ACC",))
    with pytest.raises(ImportOptionsError, match=f"^{tmp_path}: only the accelerometer file"):
        import_polar_logger(tmp_path)
    write_pair(tmp_path, acc, gyr, 52.0, streams=("GYRO",))
    rows = acc_path.read_text().splitlines()
    acc_path.write_text("\n".join([*rows, rows[-1].rsplit(";", 2)[0]]) + "\n")
    with pytest.raises(RecordingError, match=f"^{gyr_path}: {acc_path.name}: the last line"):
        import_polar_logger(gyr_path)


# ----------------------------------------------------------------------------- end to end
def test_imu_analyze_on_a_folder_with_a_simulated_pair_counts_the_reps(tmp_path, capsys, session):
    folder = tmp_path / "polar"
    write_pair(folder, session.acc, session.gyr, 52.0, true_rate_hz=52.02)
    out = tmp_path / "out"
    code = main(["analyze", str(folder), "-e", "reverse-crunch", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    import pandas as pd

    reps = pd.read_parquet(next(out.rglob("reps.parquet")))
    assert len(reps) == 4, reps
    # convert gives the recording itself, in SI units on the sensor's grid.
    assert main(["convert", str(folder / f"{PREFIX}_GYRO.txt"), str(tmp_path / "r.parquet")]) == 0
    rec = read_recording(tmp_path / "r.parquet")
    assert rec.sampling_rate_hz == 52.0
    assert rec.meta.notes["import_format"] == "polar-sensor-logger"
    assert math.isclose(rec.meta.start_time_s, PHONE_T0_S + 0.3, abs_tol=0.05)
