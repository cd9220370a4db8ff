"""``imu progress FOLDER``: an ``imu batch`` dataset inside the folder is left out (not a
"skipped" line per table), and the skip messages speak of progress, not of batch."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from imu.batch import BatchOptions, collect_jobs, run_batch
from imu.cli import main
from imu.io.recording import read_recording, write_recording

PLANK = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dated plank recording and an imu batch dataset made from it, in one folder."""
    root = tmp_path_factory.mktemp("F")
    recording = read_recording(PLANK).with_meta(start_time_s=1_704_103_200.0,  # 2024-01-01
                                                participant="P1")
    write_recording(recording, root / "a.parquet")
    run_batch(collect_jobs([root / "a.parquet"]), root / "dataset", BatchOptions(workers=0))
    assert list((root / "dataset" / "sessions").rglob("*.parquet"))
    return root


def test_a_dataset_in_the_folder_is_left_out(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed a "skipped" line for each of the dataset's tables and exited 1."""
    assert main(["progress", str(folder), "--out", str(tmp_path / "p")]) == 0
    said = capsys.readouterr()
    text = said.out + said.err
    assert "skipped" not in text and "plain Parquet table" not in text
    assert "participant=" not in text
    assert sum("dataset" in line for line in text.splitlines()) <= 1
    assert "1 session over 1 week" in said.out


def test_dataset_tables_matched_by_a_glob_are_one_note(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        code = main(["progress", f"{folder}/**/*.parquet", "--out", str(tmp_path / "p")])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "skipped" not in said.out + said.err
    notes = [r.getMessage() for r in caplog.records if "imu batch" in r.getMessage()]
    assert notes == [f"{folder / 'dataset'}: a dataset written by 'imu batch' left out (its "
                     "tables are analysed reps, not recordings); give the dataset folder alone "
                     "to make the page from it"]


def test_a_file_that_needs_import_options_is_told_in_progress_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "(imu batch takes no import options: ... and batch the .parquet)"."""
    csv = tmp_path / "phone.csv"
    csv.write_text("timestamp,ax,ay,az,gx,gy,gz\n" + "0,0,0,1,0,0,0\n" * 50)
    code = main(["progress", str(csv), "--exercise", "plank", "--out", str(tmp_path / "p")])
    said = capsys.readouterr()
    assert code == 2  # nothing left to show
    [line] = [line for line in said.out.splitlines() if ": skipped: " in line]
    assert "batch" not in line
    assert line.endswith(f"(imu progress takes no import options: run 'imu convert {csv} "
                         "OUT.parquet' with them first, and give the .parquet)")
    assert "--time-col" in line


def test_a_recording_the_manifest_does_not_list_gets_progress_advice(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Found in a new-user trial: it advised batch's "give the manifest without files or
    folders (imu batch --manifest ...)", a form imu progress refuses (it needs SESSIONS)."""
    mine = tmp_path / "sessions"
    mine.mkdir()
    recording = read_recording(folder / "a.parquet")
    write_recording(recording, mine / "a.parquet")
    write_recording(recording.with_meta(start_time_s=1_704_189_600.0), mine / "extra.parquet")
    manifest = mine / "manifest.csv"
    manifest.write_text("file,participant,date\na.parquet,P1,2024-01-01\n")
    with caplog.at_level(logging.WARNING):
        code = main(["progress", str(mine), "--manifest", str(manifest), "--participant", "P1",
                     "--out", str(tmp_path / "p")])
    said = capsys.readouterr()
    assert code == 0, said.err
    [note] = [r.getMessage() for r in caplog.records if "not in manifest" in r.getMessage()]
    assert f"(e.g. {mine / 'extra.parquet'})" in note
    assert "without files or folders" not in note and "imu batch" not in note
    assert note.endswith("to analyse only the manifest's files, give only those files (or a "
                         "glob that matches only them) as SESSIONS_OR_DATASET, or move the "
                         "others out of the folder")
