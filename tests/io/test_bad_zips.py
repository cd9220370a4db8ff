"""Damaged, truncated and foreign zip files: one line naming the problem, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from imu.cli import main
from imu.errors import ImportOptionsError, RecordingError
from imu.io.load import load_recordings
from imu.io.phone import import_phone
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.io.test_phone import sensor_logger_zip


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An intact Sensor Logger zip export of a short simulated set."""
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=2, sets=1, seed=5)
    rec = simulate_session(spec).recording
    return sensor_logger_zip(tmp_path_factory.mktemp("sl") / "sl.zip", rec)


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("command", ["info", "analyze"])
def test_garbage_after_a_zip_signature_is_a_damaged_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04garbage")
    extra = ["-e", "reverse-crunch", "--out", str(tmp_path / "o")] if command == "analyze" else []
    err = _one_line_error(capsys, [command, str(bad), *extra])
    assert "bad.zip" in err and "damaged or truncated" in err and "again" in err


def test_a_truncated_export_is_named_truncated_not_binary_csv(
    tmp_path: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = export.read_bytes()
    cut = tmp_path / "t.zip"
    cut.write_bytes(data[: len(data) // 2])  # head -c 50%
    err = _one_line_error(capsys, ["info", str(cut)])
    assert "damaged or truncated" in err and "binary" not in err
    with pytest.raises(RecordingError, match="damaged or truncated"):
        import_phone(cut, "sensor-logger")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "t.zip").write_bytes(cut.read_bytes())
    with pytest.raises(RecordingError, match=r"t\.zip: the zip file is damaged"):
        load_recordings(folder)


def test_a_member_with_a_bad_checksum_is_named(tmp_path: Path, export: Path) -> None:
    data = bytearray(export.read_bytes())
    data[1000:1010] = b"x" * 10  # inside the first member's data, table of contents intact
    bad = tmp_path / "crc.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(RecordingError, match=r"damaged.*TotalAcceleration\.csv"):
        load_recordings(bad)


def test_a_zip_holding_a_plain_csv_says_what_was_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "csvzip.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("good.csv", "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n0,0,0,9.8,0,0,0\n")
    err = _one_line_error(capsys, ["info", str(path)])
    assert "holds no Sensor Logger or phyphox export" in err
    assert "good.csv" in err and "Gyroscope.csv" in err and "unzipped" in err
    err = _one_line_error(capsys, ["info", str(path), "--format", "csv"])
    assert "a zip file, not CSV text" in err and "binary" not in err


def test_a_folder_without_an_export_lists_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    with pytest.raises(ImportOptionsError, match=r"folder holds no .*notes\.txt.*expected"):
        load_recordings(tmp_path)


def test_a_csv_named_zip_reads_as_csv_when_told(tmp_path: Path) -> None:
    path = tmp_path / "named.zip"
    lines = ["time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z"]
    lines += [f"{i / 50:.3f},0,0,9.81,0,0,0" for i in range(300)]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RecordingError, match=r"not a zip file .*--format csv"):
        load_recordings(path)
    [loaded] = load_recordings(path, fmt="csv")
    assert loaded.recording.n_samples == 300


def test_a_folder_of_recordings_is_answered_with_the_files_to_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'imu analyze recordings' (a folder) listed what a phone export holds; it now says to
    pass the recordings in it as files."""
    import shutil

    src = Path(__file__).resolve().parents[2] / "recordings"
    folder = tmp_path / "recs"
    folder.mkdir()
    for name in ("reverse_crunch.parquet", "plank.parquet"):
        shutil.copy(src / name, folder / name)
    assert main(["analyze", str(folder), "-e", "reverse-crunch",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "a folder, not a phone export; it holds 2 recordings" in err
    assert f"e.g. {folder}/*.parquet (" in err and err.count("\n") == 1
