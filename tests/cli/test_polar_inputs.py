"""A Polar Sensor Logger recording is one input however many of its two files are given:
``imu analyze A_ACC.txt A_GYRO.txt`` gave two identical reports, and ``imu batch
"FOLDER/*.txt"`` two dataset rows of one session (either file imports the whole recording)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import Recording
from tests.io.test_polar_logger import write_pair

REPS = 4


@pytest.fixture(scope="module")
def session() -> Recording:
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=REPS, sets=1,
                       seed=11, sampling_rate_hz=52)
    return simulate_session(spec).recording


@pytest.fixture
def pair(tmp_path: Path, session: Recording) -> tuple[Path, Path]:
    """The app's ACC and GYRO files of the simulated session, in a folder of their own."""
    return write_pair(tmp_path / "polar", session.acc, session.gyr, 52.0, true_rate_hz=52.02)


def _said_once(caplog: pytest.LogCaptureFixture, gyr: Path, acc: Path) -> None:
    lines = [r.getMessage() for r in caplog.records if "analysed once" in r.getMessage()]
    assert lines == [f"{gyr} is the gyroscope of {acc.name} (one Polar Sensor Logger "
                     "recording): analysed once"]


def test_analyze_with_both_files_gives_one_report(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    acc, gyr = pair
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING):
        code = main(["analyze", str(acc), str(gyr), "-e", "reverse-crunch", "--out", str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    sessions = pd.read_csv(out / "session.csv")
    assert len(sessions) == 1, sessions
    reps = pd.read_parquet(out / "reps.parquet")
    assert len(reps) == REPS and "recording" not in reps.columns, reps
    _said_once(caplog, gyr, acc)


def test_batch_with_a_glob_over_both_files_gives_one_row(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    acc, gyr = pair
    out = tmp_path / "ds"
    with caplog.at_level(logging.WARNING):
        code = main(["batch", f"{acc.parent}/*.txt", "-e", "reverse-crunch", "--out", str(out),
                     "--workers", "0"])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "1 recording, analysed" in said.out
    sessions = pd.concat(pd.read_parquet(p) for p in (out / "sessions").rglob("*.parquet"))
    assert len(sessions) == 1, sessions
    reps = pd.concat(pd.read_parquet(p) for p in (out / "reps").rglob("*.parquet"))
    assert len(reps) == REPS
    _said_once(caplog, gyr, acc)


def test_a_manifest_row_of_the_gyroscope_file_is_kept(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    """The manifest names the _GYRO.txt: that file is the one analysed, with its row."""
    acc, gyr = pair
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,participant,exercise\n{gyr},P7,reverse-crunch\n")
    out = tmp_path / "ds"
    code = main(["batch", f"{acc.parent}/*.txt", "--manifest", str(manifest), "--out", str(out),
                 "--workers", "0"])
    said = capsys.readouterr()
    assert code == 0, said.err
    [row] = [p for p in (out / "sessions").rglob("*.parquet")]
    assert row.parent.name == "participant=P7"


def test_export_bids_and_progress_take_both_files_as_one_recording(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    acc, gyr = pair
    bids = tmp_path / "bids"
    code = main(["export-bids", str(acc), str(gyr), "--out", str(bids), "--subject", "S01",
                 "-e", "reverse-crunch"])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    assert len(list(bids.rglob("*_motion.tsv"))) == 1
    page = tmp_path / "page"
    code = main(["progress", f"{acc.parent}/*.txt", "-e", "reverse-crunch", "--out", str(page)])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    assert "1 session" in said.out, said.out
