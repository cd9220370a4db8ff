"""Phone app imports: Sensor Logger and phyphox exports built as their documentation describes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io.phone import detect_phone_format, import_phone
from imu.io.recording import read_recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.live.phone_fakes import phone_samples

T0_NS = 1_735_725_600_000_000_000  # 2025-01-01T10:00:00Z in ns since 1970


@pytest.fixture(scope="module")
def truth():
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1, seed=5)
    return simulate_session(spec).recording


def _sample(rec, rate_hz, jitter_s, seed, offset_s=0.0):
    """Irregular phone timestamps (s from the start) and the truth interpolated there."""
    return phone_samples(rec, rate_hz, jitter_s, seed, offset_s, margin_s=0.1)


def _sl_csv(t_s, xyz):
    """Sensor Logger CSV: time (ns since 1970), seconds_elapsed, then z, y, x (UNITS.md)."""
    lines = ["time,seconds_elapsed,z,y,x"]
    for ti, (x, y, z) in zip(t_s, xyz, strict=True):
        lines.append(f"{T0_NS + round(ti * 1e9)},{ti:.6f},{z:.6f},{y:.6f},{x:.6f}")
    return "\n".join(lines) + "\n"


def sensor_logger_zip(path: Path, rec, platform="Android", files=("total", "user", "gyr")):
    ta, acc, _ = _sample(rec, 100.0, 0.004, 1)
    tg, _, gyr = _sample(rec, 200.0, 0.002, 2, offset_s=0.0013)
    sign = -1.0 if platform == "iOS" else 1.0  # iOS reports acceleration negated
    gravity_like = acc.mean(axis=0)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.csv", f"version,device name,recording time,platform\n"
                                    f"3,Pixel Test,2025-01-01_10-00-00,{platform}\n")
        if "total" in files:
            zf.writestr("TotalAcceleration.csv", _sl_csv(ta, sign * acc))
        if "user" in files:
            zf.writestr("Accelerometer.csv", _sl_csv(ta, sign * (acc - gravity_like)))
        if "gravity" in files:
            zf.writestr("Gravity.csv", _sl_csv(ta, sign * np.tile(gravity_like, (ta.size, 1))))
        if "gyr" in files:
            zf.writestr("Gyroscope.csv", _sl_csv(tg, gyr))
    return path


def _px_csv(t, values, cols, absolute, sep=",", decimal="."):
    head = sep.join(f'"{c}"' for c in ("Time (s)", *cols, absolute))
    rows = [head]
    for ti, v in zip(t, values, strict=True):
        nums = [ti, *v, float(np.linalg.norm(v))]
        rows.append(sep.join(f"{n:.9E}".replace(".", decimal) for n in nums))
    return "\n".join(rows) + "\n"


ACC_COLS = [f"Acceleration {a} (m/s^2)" for a in "xyz"]
GYR_COLS = [f"Gyroscope {a} (rad/s)" for a in "xyz"]


def phyphox_exports(folder: Path, rec, start_gap_s=0.37, sep=",", decimal="."):
    """Two zip exports: "Acceleration with g" and "Gyroscope", each with meta/time.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    ta, acc, _ = _sample(rec, 100.0, 0.002, 3)
    tg, _, gyr = _sample(rec, 100.0, 0.002, 4)
    # The gyroscope experiment was started start_gap_s later: its times count from then.
    tg_exp = tg - start_gap_s
    keep = tg_exp >= 0
    start = 1_735_725_600.0
    for name, t, v, cols, absolute, t0 in (
        ("acc", ta, acc, ACC_COLS, "Absolute acceleration (m/s^2)", start),
        ("gyr", tg_exp[keep], gyr[keep], GYR_COLS, "Absolute (rad/s)", start + start_gap_s),
    ):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("Raw Data.csv", _px_csv(t, v, cols, absolute, sep, decimal))
            zf.writestr("meta/time.csv", '"event","experiment time","system time",'
                        f'"system time text"\n"START",0.000000000E0,{t0:.3f},"2025-01-01"\n')
        (folder / f"{name}.zip").write_bytes(buf.getvalue())
    return folder


def _close_to_truth(rec, truth, origin_unix_s=None, acc_tol=0.3, gyr_tol=0.05):
    assert rec.n_samples > 0.9 * truth.duration_s * rec.sampling_rate_hz
    t = np.arange(rec.n_samples) / rec.sampling_rate_hz
    # Grid sample 0 in truth time: its Unix time minus the Unix time of truth time 0.
    off = rec.meta.start_time_s - origin_unix_s if origin_unix_s is not None else 0.0
    ref_acc = np.column_stack([np.interp(t + off, truth.time_s, truth.acc[:, i]) for i in range(3)])
    ref_gyr = np.column_stack([np.interp(t + off, truth.time_s, truth.gyr[:, i]) for i in range(3)])
    ok = np.isfinite(rec.acc).all(axis=1)
    assert ok.mean() > 0.98
    assert np.median(np.abs(rec.acc[ok] - ref_acc[ok])) < acc_tol
    assert np.median(np.abs(rec.gyr[ok] - ref_gyr[ok])) < gyr_tol


def test_sensor_logger_zip_uses_total_acceleration(tmp_path, truth):
    path = sensor_logger_zip(tmp_path / "sl.zip", truth)
    assert detect_phone_format(path) == "sensor-logger"
    imp = import_phone(path)
    rec = imp.recording
    assert rec.sampling_rate_hz == pytest.approx(100, abs=2)
    assert rec.meta.notes["acc_file"] == "TotalAcceleration.csv"
    assert rec.meta.device == "Pixel Test (Sensor Logger)"
    assert rec.meta.start_time_s == pytest.approx(T0_NS * 1e-9, abs=0.1)
    _close_to_truth(rec, truth, T0_NS * 1e-9)
    assert any("gyroscope Gyroscope.csv" in line for line in imp.report.details)
    assert not imp.report.warnings  # a clean export: its timing and signs are no warning


def test_sensor_logger_ios_signs_are_flipped_back(tmp_path, truth):
    path = sensor_logger_zip(tmp_path / "ios.zip", truth, platform="iOS")
    rec = import_phone(path).recording
    assert rec.meta.notes["acc_sign"].startswith("negated")
    _close_to_truth(rec, truth, T0_NS * 1e-9)


def test_sensor_logger_gravity_added_back(tmp_path, truth):
    path = sensor_logger_zip(tmp_path / "g.zip", truth, files=("user", "gravity", "gyr"))
    rec = import_phone(path, rate_hz=50).recording
    assert rec.sampling_rate_hz == 50
    assert rec.meta.notes["acc_file"] == "Accelerometer.csv + Gravity.csv"
    _close_to_truth(rec, truth, T0_NS * 1e-9, acc_tol=1.5)


def test_sensor_logger_folder_and_single_csv(tmp_path, truth):
    path = sensor_logger_zip(tmp_path / "sl.zip", truth)
    folder = tmp_path / "export"
    zipfile.ZipFile(path).extractall(folder)
    assert import_phone(folder).recording.n_samples > 0
    assert import_phone(folder / "Gyroscope.csv").recording.n_samples > 0


def test_sensor_logger_without_gravity_is_refused(tmp_path, truth):
    path = sensor_logger_zip(tmp_path / "user.zip", truth, files=("user", "gyr"))
    with pytest.raises(ImportOptionsError, match="WITHOUT gravity"):
        import_phone(path)
    path = sensor_logger_zip(tmp_path / "nogyr.zip", truth, files=("total",))
    with pytest.raises(ImportOptionsError, match=r"no Gyroscope.csv"):
        import_phone(path)


@pytest.mark.parametrize(("sep", "decimal"), [(",", "."), ("\t", "."), (";", ",")])
def test_phyphox_two_experiments_aligned_by_start_time(tmp_path, truth, sep, decimal):
    folder = phyphox_exports(tmp_path / "px", truth, sep=sep, decimal=decimal)
    assert detect_phone_format(folder) == "phyphox"
    imp = import_phone(folder)
    rec = imp.recording
    assert rec.meta.notes["import_format"] == "phyphox"
    # The grid starts with the accelerometer; the 0.37 s before the gyroscope's START are a
    # gap that names it (not cut off).
    assert rec.meta.start_time_s == pytest.approx(1_735_725_600.0, abs=0.05)
    [gap] = rec.meta.gaps
    assert gap.start == 0 and "no gyroscope samples" in gap.reason
    assert gap.n_samples / rec.sampling_rate_hz == pytest.approx(0.37, abs=0.03)
    _close_to_truth(rec, truth, 1_735_725_600.0)


def write_phyphox_csv(path, t, acc, gyr):
    """One phyphox "Raw Data.csv" with both sensors' columns (time, acc xyz, gyro xyz)."""
    cols = ["Time (s)", *ACC_COLS, *GYR_COLS]
    lines = [",".join(f'"{c}"' for c in cols)]
    lines += [",".join(f"{v:.9E}" for v in (ti, *a, *g)) for ti, a, g in zip(t, acc, gyr,
                                                                             strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_phyphox_single_csv_with_both_sensors(tmp_path, truth):
    t, acc, gyr = _sample(truth, 100.0, 0.0, 6)
    path = write_phyphox_csv(tmp_path / "Raw Data.csv", t, acc, gyr)
    rec = import_phone(path).recording
    _close_to_truth(rec, truth)


def test_phyphox_linear_acceleration_is_refused(tmp_path):
    path = tmp_path / "lin.csv"
    cols = ["Time (s)", *[f"Linear Acceleration {a} (m/s^2)" for a in "xyz"]]
    path.write_text(",".join(f'"{c}"' for c in cols) + "\n0,0,0,0\n0.01,0,0,0\n")
    with pytest.raises(ImportOptionsError, match="Acceleration with g"):
        import_phone(path, "phyphox")


def test_cli_convert_and_analyze_phone_exports(tmp_path, truth, capsys):
    zpath = sensor_logger_zip(tmp_path / "sl.zip", truth)
    out = tmp_path / "sl.parquet"
    assert main(["convert", str(zpath), str(out)]) == 0
    assert read_recording(out).meta.notes["import_format"] == "sensor-logger"
    folder = phyphox_exports(tmp_path / "px", truth)
    assert main(["analyze", str(folder), "-e", "reverse-crunch", "--out",
                 str(tmp_path / "rep")]) == 0
    text = capsys.readouterr().out
    assert "reps" in text


def test_cli_bad_phone_files_give_one_line_errors(tmp_path, truth, capsys):
    nogyr = sensor_logger_zip(tmp_path / "nogyr.zip", truth, files=("total",))
    assert main(["convert", str(nogyr), str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert "Gyroscope.csv" in err and "Traceback" not in err and err.count("\n") == 1
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["convert", str(junk), str(tmp_path / "y.parquet"),
                 "--format", "sensor-logger"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["convert", str(empty), str(tmp_path / "z.parquet")]) == 2
    assert "folder" in capsys.readouterr().err


def test_a_phone_grid_far_above_the_phone_rate_is_refused(tmp_path, truth):
    """--rate 5000 on a 100 Hz phone export invented 50 samples per measured one."""
    from imu.errors import ImportOptionsError

    path = sensor_logger_zip(tmp_path / "sl.zip", truth)
    with pytest.raises(ImportOptionsError, match=r"--rate 5000 Hz is \d+ times the"):
        import_phone(path, rate_hz=5000)


def test_sensor_logger_file_names_in_another_case_are_the_apps(tmp_path, truth):
    """A copy through a case-insensitive file system may write Metadata.csv: the platform
    (iOS: acceleration negated) must still be read, or the data comes out upside down."""
    src = sensor_logger_zip(tmp_path / "ios.zip", truth, platform="iOS")
    renamed = tmp_path / "renamed.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(renamed, "w") as zout:
        for name in zin.namelist():
            new = {"metadata.csv": "Metadata.csv", "Gyroscope.csv": "gyroscope.csv"}.get(name, name)
            zout.writestr(new, zin.read(name))
    rec = import_phone(renamed).recording
    assert rec.meta.notes["acc_sign"].startswith("negated")
    _close_to_truth(rec, truth, T0_NS * 1e-9)


def test_a_paused_phyphox_measurement_keeps_the_pause_as_a_gap(tmp_path, truth):
    """Trial 21: meta/time.csv recorded a 4-minute pause, which was left out without a word:
    the rest before the next set read 1 minute, and every time after it was 4 minutes early.
    phyphox's experiment time stands still while paused; each START gives the Unix time."""
    folder = phyphox_exports(tmp_path / "px", truth, start_gap_s=0.0)
    start, pause_at, paused = 1_735_725_600.0, 5.0, 60.0
    timeline = ('"event","experiment time","system time","system time text"\n'
                f'"START",0.0,{start:.3f},"a"\n"PAUSE",{pause_at},{start + pause_at:.3f},"b"\n'
                f'"START",{pause_at},{start + pause_at + paused:.3f},"c"\n')
    for name in ("acc", "gyr"):
        path = folder / f"{name}.zip"
        with zipfile.ZipFile(path) as zf:
            data = zf.read("Raw Data.csv")
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("Raw Data.csv", data)
            zf.writestr("meta/time.csv", timeline)
    imp = import_phone(folder)
    rec = imp.recording
    assert rec.duration_s == pytest.approx(truth.duration_s + paused, abs=0.2)
    fs = rec.sampling_rate_hz
    long = [g for g in rec.meta.gaps if g.n_samples > fs]
    assert len(long) == 1
    assert long[0].paused and long[0].reason == "paused in phyphox"  # not a lost sensor
    assert long[0].start / fs == pytest.approx(pause_at, abs=0.05)
    assert long[0].n_samples / fs == pytest.approx(paused, abs=0.05)
    said = " ".join(imp.report.warnings)
    assert "the measurement was paused once in phyphox (60 s in all" in said
    # After the pause, the samples are the truth's from experiment time 5 s on.
    after = round((pause_at + paused + 1.0) * fs)
    k = round((pause_at + 1.0) * truth.sampling_rate_hz)
    assert np.allclose(rec.gyr[after], truth.gyr[k], atol=0.05)


def test_an_export_of_three_samples_is_too_short_not_apart_in_time(tmp_path, capsys):
    """Trial 21: 3 samples each said the accelerometer (0.00-0.02 s) and gyroscope
    (0.00-0.02 s) "do not overlap in time", which they do."""
    t = np.array([0.0, 0.01, 0.02])
    path = tmp_path / "three.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("TotalAcceleration.csv", _sl_csv(t, np.tile([0.0, 0.0, 9.81], (3, 1))))
        zf.writestr("Gyroscope.csv", _sl_csv(t + 0.004, np.zeros((3, 3))))
    assert main(["convert", str(path), str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert f"{path}: too short to import: the accelerometer (0.00-0.02 s)" in err, err
    assert "do not overlap" not in err and "record for longer" in err


def test_a_phyphox_zip_given_alone_names_its_partner_beside_it(tmp_path, truth, capsys):
    """Trial 21: the Gyroscope zip given alone was told to record 'Acceleration with g',
    though that zip sat beside it; a CSV given alone already named its partner."""
    folder = phyphox_exports(tmp_path / "px", truth)
    assert main(["convert", str(folder / "gyr.zip"), str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert "the acceleration is in acc.zip beside it: give their folder" in err, err
    assert main(["convert", str(folder / "acc.zip"), str(tmp_path / "y.parquet")]) == 2
    assert "the gyroscope is in gyr.zip beside it" in capsys.readouterr().err
    # As it says:
    assert main(["convert", str(folder), str(tmp_path / "z.parquet")]) == 0


def test_phyphox_resumes_never_run_time_backwards():
    """A clock set back during a later pause folded later samples into earlier ones; two
    STARTs a few ms apart are no pause to tell."""
    from imu.io.phone import _px_pauses, _px_resumed

    u = 1.7e9
    t = np.array([0.0, 2.9, 3.1, 4.9, 5.1])
    resumed, paused = _px_resumed(t, [(0.0, u), (3.0, u + 60.0), (5.0, u + 30.0)])
    assert np.all(np.diff(resumed) > 0) and paused == pytest.approx(57.0)
    np.testing.assert_allclose(resumed, [0.0, 2.9, 60.1, 61.9, 62.1])
    assert _px_pauses([(0.0, u), (3.0, u + 60.0), (5.0, u + 30.0)]) == 1
    assert _px_pauses([(0.0, u), (0.0, u + 0.003)]) == 0
    before, _ = _px_resumed(np.array([-0.5, 0.5]), [(0.0, u), (1.0, u + 10.0)])
    np.testing.assert_allclose(before, [-0.5, 0.5])  # before the first resume: as recorded


def test_an_export_without_its_metadata_file_is_said_so(tmp_path, truth):
    """Trial 23: with no metadata file the warning said "metadata.csv gives no platform"."""
    full = sensor_logger_zip(tmp_path / "sl.zip", truth)
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(full) as zin, zipfile.ZipFile(bare, "w") as zout:
        for name in zin.namelist():
            if name != "metadata.csv":
                zout.writestr(name, zin.read(name))
    warnings = " ".join(import_phone(bare).report.warnings)
    assert "the export holds no Metadata.csv, which names the platform" in warnings
    assert "gives no platform" not in warnings
