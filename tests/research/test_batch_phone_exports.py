"""A phone app's export is one recording for batch, progress and export-bids, however named."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import expand_inputs
from imu.cli import main
from imu.io.recording import Recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.io.test_phone import phyphox_exports, sensor_logger_zip


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Sensor Logger export unzipped into a folder of its own (one CSV per sensor)."""
    root = tmp_path_factory.mktemp("phone")
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4, sets=1, seed=3)
    zipped = sensor_logger_zip(root / "sl.zip", simulate_session(spec).recording)
    folder = root / "sl_android"
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(folder)
    return folder


def test_an_export_folder_or_its_files_are_one_input(export: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """Found in a new-user trial: the folder gave '3 CSV file(s) left out ... a glob such as
    sl_android/*.csv', and that glob made one session per file, counted twice."""
    assert expand_inputs([export]) == [export]
    assert expand_inputs([f"{export}/*.csv"]) == [export]
    assert "of one Sensor Logger export" in caplog.text and "analysed once" in caplog.text


def test_batch_counts_an_export_once(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    args = ["batch", f"{export}/*.csv", "--out", str(out), "--workers", "0",
            "-e", "reverse-crunch"]
    assert main(args) == 0
    sessions = pd.read_parquet(out / "sessions")
    assert len(sessions) == 1 and int(sessions["reps"].iloc[0]) == 4
    assert main(["batch", str(export), "--out", str(out), "--workers", "0",
                 "-e", "reverse-crunch"]) == 0  # the folder: the same session, done already
    assert len(pd.read_parquet(out / "sessions")) == 1


@pytest.mark.parametrize("as_zip", [False, True])
def test_export_bids_reads_a_phone_export(export: Path, tmp_path: Path, as_zip: bool) -> None:
    """export-bids skipped a Sensor Logger zip ('unzip it and pass the CSV inside', which
    failed too) while batch and analyze read it."""
    source = export.parent / "sl.zip" if as_zip else export
    out = tmp_path / "bids"
    assert main(["export-bids", str(source), "--out", str(out), "--subject", "A",
                 "-e", "reverse-crunch"]) == 0
    assert list(out.glob("sub-A/ses-*/motion/*_motion.tsv"))


def test_a_folder_of_two_apps_exports_says_which_inputs_take_each(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Sensor Logger zip beside two phyphox zips: batch failed with the import's advice
    (--format, or 'imu convert FOLDER' first), which batch has no option for and which takes
    one app's export only. It now names the inputs that take each; following it works."""
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4, sets=1, seed=3)
    rec = simulate_session(spec).recording
    mixed = tmp_path / "mixed"
    phyphox_exports(mixed, rec)
    sensor_logger_zip(mixed / "sl.zip", rec)
    out = tmp_path / "ds"
    assert main(["batch", str(mixed), "--out", str(out), "--workers", "0",
                 "-e", "reverse-crunch"]) == 2
    failures = pd.read_csv(out / "_failures.csv")
    reason = " ".join(str(failures["reason"].iloc[0]).split())
    assert "Sensor Logger export (sl.zip) and phyphox exports (acc.zip, gyr.zip)" in reason
    assert "--format" not in reason and "imu convert" not in reason
    advice = reason.split("e.g. ")[1].split()
    assert advice[:2] == ["imu", "batch"]
    (mixed / "phyphox").mkdir()
    for name in ("acc.zip", "gyr.zip"):
        (mixed / name).rename(mixed / "phyphox" / name)
    capsys.readouterr()
    assert main(["batch", *advice[2:], "--out", str(tmp_path / "ds2"), "--workers", "0",
                 "-e", "reverse-crunch"]) == 0
    sessions = pd.read_parquet(tmp_path / "ds2" / "sessions")
    assert len(sessions) == 2 and sessions["reps"].tolist() == [4, 4]


def _recordings_and(folder: Path, export: Callable[[Recording, Path], object]) -> Path:
    """``folder`` with two recordings of 4 crunches (s1, s2) and an export of a third."""
    from imu.io.recording import write_recording

    folder.mkdir()
    recs = [simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4,
                                         sets=1, seed=seed)).recording for seed in (1, 2, 3)]
    for seed, rec in zip((1, 2), recs, strict=False):
        write_recording(rec, folder / f"s{seed}.parquet")
    export(recs[2], folder)
    return folder


def _batched(folder: Path, out: Path) -> pd.DataFrame:
    """The sessions table of ``imu batch FOLDER`` (reverse crunches), which must succeed."""
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0",
                 "-e", "reverse-crunch"]) == 0
    return pd.read_parquet(out / "sessions")


def test_recordings_beside_an_export_are_analysed_not_dropped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    """Trial 23: a folder of two recordings and one phone export was read as the export
    alone: batch stored one session of three, analyze said nothing of the recordings."""
    folder = _recordings_and(tmp_path / "mixed",
                             lambda rec, f: sensor_logger_zip(f / "sl.zip", rec))
    out = tmp_path / "ds"
    sessions = _batched(folder, out)
    assert sorted(Path(f).name for f in sessions["file"]) == ["s1.parquet", "s2.parquet",
                                                              "sl.zip"]
    assert "holds 2 recordings beside a phone export: each is analysed" in caplog.text
    capsys.readouterr()
    assert main(["analyze", str(folder), "-e", "reverse-crunch",
                 "--out", str(tmp_path / "an")]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "also holds 2 recording(s) of imu (s1.parquet, s2.parquet)" in said


def test_exports_in_sub_folders_are_one_session_each(tmp_path: Path) -> None:
    """Trial 23: two Sensor Logger exports in sub-folders failed as one input ("holds 2
    different Sensor Logger exports; import one at a time")."""
    folder = tmp_path / "slsess"
    for seed, name in ((1, "a"), (2, "b")):
        spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1,
                           seed=seed)
        zipped = sensor_logger_zip(tmp_path / f"{name}.zip", simulate_session(spec).recording)
        with zipfile.ZipFile(zipped) as zf:
            zf.extractall(folder / name)
    sessions = _batched(folder, tmp_path / "ds")
    assert sorted(Path(f).name for f in sessions["file"]) == ["a", "b"]
    assert sessions["reps"].tolist() == [3, 3]


def test_a_failure_that_names_no_option_gets_no_convert_advice(tmp_path: Path) -> None:
    """Trial 23: a folder of two exports failed with "import one at a time, e.g. imu convert
    F/a OUT.parquet" and then "(imu batch takes no import options: run 'imu convert F
    OUT.parquet' ...)", which failed the same way."""
    folder = tmp_path / "two"
    folder.mkdir()
    for seed, name in ((1, "a"), (2, "b")):
        spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1,
                           seed=seed)
        sensor_logger_zip(folder / f"{name}.zip", simulate_session(spec).recording)
    (folder / "notes.txt").write_text("monday and wednesday\n")  # not zips alone: one input
    out = tmp_path / "ds"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0",
                 "-e", "reverse-crunch"]) == 2
    reason = " ".join(str(pd.read_csv(out / "_failures.csv")["reason"].iloc[0]).split())
    assert "2 different Sensor Logger exports" in reason, reason
    assert "imu batch takes no import options" not in reason, reason


def test_a_phyphox_export_beside_recordings_is_one_session(tmp_path: Path) -> None:
    """Review: phyphox's two experiment zips beside recordings were batched one by one, and
    each failed (no gyroscope, no acceleration); they are one recording, read from the
    folder."""
    folder = _recordings_and(tmp_path / "px", lambda rec, f: phyphox_exports(f, rec))
    sessions = _batched(folder, tmp_path / "ds")
    assert sorted(Path(f).name for f in sessions["file"]) == ["px", "s1.parquet",
                                                              "s2.parquet"]
    assert sessions["reps"].tolist() == [4, 4, 4]
