"""Phone exports whose time column is broken: refused in the app's terms, never out of memory.

Each export is built from a simulated session at 104 Hz, the way the apps write it (phyphox:
``Time (s)`` from the start; Sensor Logger: ``time`` in Unix ns), then one thing is broken as a
new user's trial found: a far-off timestamp, times in ms or s, times rounded to 1 s.
"""

from __future__ import annotations

import resource
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io.phone import import_phone
from imu.io.recording import Recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

T0_NS = 1_764_500_000_000_000_000
PX_ACC = [f"Acceleration {a} (m/s^2)" for a in "xyz"]
PX_GYR = [f"Gyroscope {a} (rad/s)" for a in "xyz"]


@pytest.fixture(scope="module")
def rec() -> Recording:
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1, seed=3)
    return simulate_session(spec).recording


@pytest.fixture
def small_memory() -> Iterator[None]:
    """At most 4 GB of address space: a grid built from a far-off time cannot fit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = 4_000_000_000 if hard == resource.RLIM_INFINITY else min(hard, 4_000_000_000)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def phyphox_csv(path: Path, rec: Recording, t: np.ndarray | None = None) -> Path:
    """One phyphox CSV with both sensors (a custom experiment), times ``t`` (s from START)."""
    t = rec.time_s if t is None else t
    frame = pd.DataFrame({"Time (s)": t})
    for i, col in enumerate(PX_ACC):
        frame[col] = rec.acc[:, i]
    frame["Absolute acceleration (m/s^2)"] = np.linalg.norm(rec.acc, axis=1)
    for i, col in enumerate(PX_GYR):
        frame[col] = rec.gyr[:, i]
    frame["Absolute (rad/s)"] = np.linalg.norm(rec.gyr, axis=1)
    frame.to_csv(path, index=False)
    return path


def phyphox_folders(folder: Path, rec: Recording, scale: float = 1.0) -> Path:
    """Two experiments ("Acceleration with g", "Gyroscope") in one folder, times x ``scale``."""
    for sub, cols, values, absolute in (
        ("acc", PX_ACC, rec.acc, "Absolute acceleration (m/s^2)"),
        ("gyr", PX_GYR, rec.gyr, "Absolute (rad/s)"),
    ):
        (folder / sub).mkdir(parents=True)
        frame = pd.DataFrame({"Time (s)": rec.time_s * scale})
        for i, col in enumerate(cols):
            frame[col] = values[:, i]
        frame[absolute] = np.linalg.norm(values, axis=1)
        frame.to_csv(folder / sub / "Raw Data.csv", index=False)
    return folder


def sensor_logger(folder: Path, rec: Recording, time: np.ndarray | None = None) -> Path:
    """A Sensor Logger folder (TotalAcceleration, Gyroscope, metadata) with ``time`` given."""
    folder.mkdir(parents=True)
    (folder / "metadata.csv").write_text(
        "version,device name,recording time,platform\n3,Pixel,2025-01-01_10-00-00,Android\n"
    )
    ns = T0_NS + np.round(rec.time_s * 1e9).astype(np.int64) if time is None else time
    for name, v in (("TotalAcceleration.csv", rec.acc), ("Gyroscope.csv", rec.gyr)):
        pd.DataFrame(
            {"time": ns, "seconds_elapsed": rec.time_s, "z": v[:, 2], "y": v[:, 1], "x": v[:, 0]}
        ).to_csv(folder / name, index=False)
    return folder


@pytest.mark.parametrize("far_s", [1e7, 1e4])
def test_a_far_off_phyphox_time_is_refused_not_out_of_memory(
    tmp_path: Path, rec: Recording, far_s: float, small_memory: None
) -> None:
    """1e7 s grew the import to 23.8 GB; 1e4 s made a 10000 s recording with a 9947 s gap."""
    t = rec.time_s.copy()
    t[200] = far_s
    path = phyphox_csv(tmp_path / "px.csv", rec, t)
    with pytest.raises(ImportOptionsError, match=r"data row 201 .*timestamp is far off") as info:
        import_phone(path)
    assert "fix or remove that row" in str(info.value)
    assert "--time-unit" not in str(info.value) and "--max-gap" not in str(info.value)


def test_a_far_off_sensor_logger_time_is_refused_not_a_traceback(
    tmp_path: Path, rec: Recording, capsys: pytest.CaptureFixture[str], small_memory: None
) -> None:
    """'_ArrayMemoryError: Unable to allocate 5.34 TiB' from convert, info and analyze."""
    ns = T0_NS + np.round(rec.time_s * 1e9).astype(np.int64)
    ns[200] = 5 * T0_NS
    folder = sensor_logger(tmp_path / "sl", rec, ns)
    for argv in (["convert", str(folder), str(tmp_path / "o.parquet")], ["info", str(folder)],
                 ["analyze", str(folder), "-e", "reverse-crunch", "--out", str(tmp_path / "r")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "timestamp is far off" in err and "data row 201" in err, err
        assert "Traceback" not in err and err.count("\n") == 1


def test_phyphox_times_in_ms_name_the_column_not_a_loop_of_flags(
    tmp_path: Path, rec: Recording, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said --max-gap 10, then --time-unit ms, then --max-gap again: neither applies."""
    folder = phyphox_folders(tmp_path / "px", rec, scale=1000.0)
    for extra in ([], ["--max-gap", "10"], ["--time-unit", "ms"]):
        assert main(["convert", str(folder), str(tmp_path / "o.parquet"), *extra]) == 2
        err = capsys.readouterr().err
        assert "'Time (s)'" in err and "look like milliseconds" in err, err
        assert "phyphox writes 'Time (s)' in seconds" in err
        assert "--max-gap" not in err and "--time-unit ms" not in err


@pytest.mark.parametrize("divisor", [10**9, 1e9], ids=["int", "float"])
def test_sensor_logger_time_in_seconds_names_the_app_unit(
    tmp_path: Path, rec: Recording, capsys: pytest.CaptureFixture[str], divisor: float
) -> None:
    """'samples arrive at 1e+09 Hz ... pass --time-unit s', again with --time-unit s."""
    ns = T0_NS + np.round(rec.time_s * 1e9).astype(np.int64)
    folder = sensor_logger(tmp_path / "sl", rec, ns // divisor if divisor == 10**9 else ns / 1e9)
    for extra in ([], ["--time-unit", "s", "--no-unit-check"]):
        assert main(["convert", str(folder), str(tmp_path / "o.parquet"), *extra]) == 2
        err = capsys.readouterr().err
        assert "not Unix time in nanoseconds as Sensor Logger writes it" in err, err
        assert "look like Unix time in seconds" in err
        assert "pass --time-unit" not in err and "--no-unit-check" not in err


def test_a_folder_export_in_seconds_is_not_sent_to_format_csv(
    tmp_path: Path, rec: Recording, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its fix was '--format csv', which cannot read a folder with a file per sensor."""
    ns = T0_NS + np.round(rec.time_s * 1e9).astype(np.int64)
    folder = sensor_logger(tmp_path / "sl", rec, ns // 10**9)
    assert main(["convert", str(folder), str(tmp_path / "o.parquet")]) == 2
    err = capsys.readouterr().err
    assert "export the recording from Sensor Logger again with the app's own time" in err, err
    assert "join the accelerometer and gyroscope files into one CSV" in err
    assert "--format csv" in err.split("join", 1)[1]  # only for the joined file
    single = tmp_path / "one" / "TotalAcceleration.csv"
    single.parent.mkdir()
    (folder / "TotalAcceleration.csv").rename(single)
    with pytest.raises(ImportOptionsError) as info:
        import_phone(single, fmt="sensor-logger")
    assert "join" not in str(info.value) and "--format csv" in str(info.value)


def test_phyphox_folders_in_ms_are_not_sent_to_format_csv_as_they_are(
    tmp_path: Path, rec: Recording, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = phyphox_folders(tmp_path / "px", rec, scale=1000.0)
    assert main(["convert", str(folder), str(tmp_path / "o.parquet")]) == 2
    err = capsys.readouterr().err
    assert "join the accelerometer and gyroscope files into one CSV" in err, err
    path = phyphox_csv(tmp_path / "px.csv", rec, rec.time_s * 1000.0)  # one file, both sensors
    assert main(["convert", str(path), str(tmp_path / "o2.parquet")]) == 2
    err = capsys.readouterr().err
    assert "join" not in err and "read the file as a plain CSV (--format csv" in err, err


def test_phyphox_times_rounded_to_a_second_are_refused_as_csv_times_are(
    tmp_path: Path, rec: Recording
) -> None:
    """It advised --max-gap 1, then dropped 99% of the rows and wrote a 1 Hz recording."""
    path = phyphox_csv(tmp_path / "px.csv", rec, np.round(rec.time_s))
    with pytest.raises(ImportOptionsError, match=r"repeat the time of the row before") as info:
        import_phone(path, max_gap_s=2.0)
    text = str(info.value)
    assert "too coarse (rounded?)" in text and "--max-gap" not in text


def test_a_phone_stream_mostly_empty_names_the_column(tmp_path: Path, rec: Recording) -> None:
    frame = pd.read_csv(phyphox_csv(tmp_path / "px.csv", rec))
    frame.loc[1000:, "Gyroscope x (rad/s)"] = np.nan
    frame.to_csv(tmp_path / "empty.csv", index=False)
    with pytest.raises(ImportOptionsError, match=r"'Gyroscope x \(rad/s\)' is empty in \d+ rows"):
        import_phone(tmp_path / "empty.csv")


def test_phone_report_agrees_with_itself(tmp_path: Path, rec: Recording) -> None:
    """'0 interpolated' beside '5529 samples interpolated', 'jitter 0.00 ms' beside 1.42 ms,
    'rows: 5529 read' for files of 5537 rows, and a clean import's timing as warnings."""
    rng = np.random.default_rng(1)
    t = rec.time_s + rng.uniform(-0.002, 0.002, rec.n_samples)
    path = phyphox_csv(tmp_path / "px.csv", rec, t)
    report = import_phone(path).report
    lines = "\n".join(report.summary_lines())
    assert f"rows: px.csv {rec.n_samples} read" in lines
    assert report.n_interpolated == report.repairs.count("resampled") > 0
    assert f"({report.n_interpolated} interpolated between samples of the file)" in lines
    assert report.repairs.text().count("interpolated") == 1
    assert report.timing.jitter_s > 1e-3 and "IRREGULAR" in lines  # the sensors' own timing
    assert not report.warnings, report.warnings
    assert any(line.startswith("sensor: accelerometer px.csv") for line in report.details)
    # Exactly on the samples: nothing interpolated, and the report says so everywhere.
    exact = import_phone(phyphox_csv(tmp_path / "exact.csv", rec), rate_hz=rec.sampling_rate_hz)
    assert exact.report.n_interpolated == 0 and "interpolated" not in exact.report.repairs.text()


def test_a_clean_sensor_logger_import_warns_of_nothing(tmp_path: Path, rec: Recording) -> None:
    imp = import_phone(sensor_logger(tmp_path / "sl", rec))
    assert not imp.report.warnings, imp.report.warnings
    assert "acc sign: as recorded (Android convention)" in imp.report.details
    rows = imp.report.summary_lines()[1]
    assert rows.startswith(f"rows: TotalAcceleration.csv {rec.n_samples}, Gyroscope.csv "
                           f"{rec.n_samples} read")


def test_table_options_given_for_a_phone_export_are_said_to_be_ignored(
    tmp_path: Path, rec: Recording, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = sensor_logger(tmp_path / "sl", rec)
    assert main(["convert", str(folder), str(tmp_path / "o.parquet"), "--acc-unit", "g"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--acc-unit g ignored: a Sensor Logger export's columns" in out
    # A folder: no "--format csv" advice, which the folder refuses (trial 23); a one-CSV
    # export keeps it, the table import can read that file.
    assert "are the app's own and need no options" in out and "--format csv" not in out
    one = folder / "TotalAcceleration.csv"
    assert main(["convert", str(one), str(tmp_path / "p.parquet"), "--acc-unit", "g"]) in (0, 2)
    assert "pass --format csv" in " ".join(capsys.readouterr().out.split())
