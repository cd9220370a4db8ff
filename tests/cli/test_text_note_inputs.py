"""A file that holds no samples (a text note, a picture) is refused first, in one line.

Trial: ``imu analyze notes.txt`` (three lines of prose) said the file "is a table or export
... pass --exercise E"; given ``--exercise leg-raise`` it then said "column(s) 'time_s', ...
not found; the file has: Session notes": a CSV importer's advice for a note. Now every command
says at once what the file looks like and what imu reads, naming the file, with exit code 2
(``imu batch``: the note fails alone, the recording beside it is analysed).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from imu.batch import collect_jobs, expand_inputs
from imu.cli import main
from imu.io.csv_import import is_number_row, not_samples_message
from imu.io.recording import write_recording
from imu.sim import SessionSpec, simulate_session
from tests.cli.helpers import one_error_line

NOTE = "Session notes\nDid 3 sets of leg raises.\nSensor on left hip.\n"
READS = ("imu reads recordings (.parquet), CSV files of samples (a time column, 3 acc and 3 "
         "gyro columns) and phone exports (Sensor Logger, phyphox, Polar Sensor Logger)")


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real recording: one set of 3 leg raises."""
    sim = simulate_session(SessionSpec("leg-raise", reps=3, sets=1, seed=2))
    return write_recording(sim.recording, tmp_path_factory.mktemp("rec") / "rec.parquet")


@pytest.mark.parametrize("name", ["notes.txt", "notes.md", "notes.csv"])
@pytest.mark.parametrize("command", ["analyze", "analyze -e leg-raise", "convert", "info",
                                     "replay"])
def test_a_note_is_refused_first_naming_its_first_line(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / name
    note.write_text(NOTE)
    verb, *options = command.split()
    rest = {"analyze": ["-o", str(tmp_path / "out")], "convert": [str(tmp_path / "x.parquet")],
            "info": [], "replay": ["-o", str(tmp_path / "out")]}[verb]
    assert main([verb, str(note), *options, *rest]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == (f"imu {verb}: error: {note}: text with no row of numbers in it, not a table "
                    f"of samples (it starts 'Session notes'); {READS}: give one of those")
    assert not (tmp_path / "x.parquet").exists() and not (tmp_path / "out").exists()


def test_a_picture_or_a_column_of_numbers_is_refused_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200))
    assert main(["analyze", str(photo), "-o", str(tmp_path / "out")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == f"imu analyze: error: {photo}: a JPEG image, not sensor data; {READS}: give " \
                   "one of those"
    column = tmp_path / "acc_x.csv"
    column.write_text("0.12\n0.13\n0.11\n")
    assert main(["convert", str(column), str(tmp_path / "x.parquet")]) == 2
    assert one_error_line(capsys.readouterr().err).startswith(
        f"imu convert: error: {column}: one column of numbers, not a table of samples (it "
        "starts '0.12')")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert main(["analyze", str(pdf), "-o", str(tmp_path / "out")]) == 2  # not --exercise first
    assert "a PDF document, not CSV text" in one_error_line(capsys.readouterr().err)


def test_a_note_beside_a_recording_is_skipped_and_the_recording_analysed(
    recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "notes.txt"
    note.write_text(NOTE)
    code = main(["analyze", str(note), str(recording), "-e", "leg-raise", "-o",
                 str(tmp_path / "out")])
    assert code == 1  # one input skipped
    err = capsys.readouterr().err
    assert f"imu analyze: skipped {note}: text with no row of numbers in it" in err
    assert (tmp_path / "out" / "report.html").exists()


def test_batch_of_a_folder_reads_the_recording_and_not_the_notes(
    recording: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "session"
    folder.mkdir()
    (folder / "rec.parquet").write_bytes(recording.read_bytes())
    (folder / "notes.txt").write_text(NOTE)
    (folder / "notes.csv").write_text(NOTE)
    with caplog.at_level(logging.WARNING):
        assert expand_inputs([folder]) == [folder / "rec.parquet"]
    assert "CSV file(s) left out" not in caplog.text  # a note is no data left out
    assert main(["batch", str(folder), "-o", str(tmp_path / "ds"), "--workers", "0"]) == 0
    # Named, the note fails alone with its reason; the recording is analysed.
    jobs = collect_jobs([folder / "notes.txt", folder / "rec.parquet"])
    assert [job.error for job in jobs] == [
        f"text with no row of numbers in it, not a table of samples (it starts 'Session "
        f"notes'); {READS}: give one of those", None]
    assert main(["batch", str(folder / "notes.txt"), str(folder / "rec.parquet"), "-o",
                 str(tmp_path / "ds2"), "--workers", "0"]) == 1
    capsys.readouterr()
    assert len(list((tmp_path / "ds2").rglob("*.parquet"))) > 0  # the recording's results


@pytest.mark.parametrize("line, row", [
    ("Did 3 sets of leg raises.", False),
    ("Session notes", False),
    ("0.01,0.1,9.8,0,0,0.01,0", True),
    ("1,234E0;9,81E0;0,5E0", True),
    ("0.0 0.1 9.8 0.0 0.0 0.0 0.0", True),
    ('"2024-05-01T10:00:00.123Z","0.1","9.8","0.2","0","0","0"', True),
    ("12:00:01,-0.12,9.79,0.31,nan,0.001,0.002", True),
    (",,,,,,", False),
])
def test_a_row_of_numbers(line: str, row: bool) -> None:
    assert is_number_row(line) is row


def test_what_is_left_to_the_readers(tmp_path: Path) -> None:
    """A table of text or empty cells, a CSV header alone, a preamble before a table of
    numbers, a phone export's zip: not refused here (their readers say what is wrong)."""
    cases = {
        "header.csv": "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n",
        "empty_values.csv": "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n,,,,,,\n,,,,,,\n",
        "text_table.csv": "name,notes\nBob,did sets\n",
        "preamble.csv": "Exported by MyApp\nDevice: X\ntime,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n",
        "polar_ACC.txt": "Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]\n"
                         "2025-01-01T10:00:00.000;599618177865662720;-8;-12;1003\n",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text)
        assert not_samples_message(path) == "", name
    zipped = tmp_path / "export.zip"
    zipped.write_bytes(b"PK\x03\x04" + bytes(100))
    assert not_samples_message(zipped) == ""
    named = tmp_path / "text.parquet"  # its reader says it is text named .parquet
    named.write_text(NOTE)
    assert not_samples_message(named) == ""
