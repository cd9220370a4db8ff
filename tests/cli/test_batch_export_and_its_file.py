"""A phone export given as its folder and as one of its files is one recording.

``imu batch polar-files/ polar-files/A_ACC.txt`` analysed the one Polar Sensor Logger
recording twice (the folder and the file each import it; their bytes hash apart): two
sessions of one set, "2 recordings, analysed". Now it is taken once, as the folder (as the
file when the manifest lists the file and not the folder), and one note says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import collect_jobs, expand_inputs
from imu.cli import main
from imu.io.recording import Recording
from tests.io.test_polar_logger import write_pair


@pytest.fixture(scope="module")
def session() -> Recording:
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4, sets=1,
                       seed=11, sampling_rate_hz=52)
    return simulate_session(spec).recording


@pytest.fixture
def pair(tmp_path: Path, session: Recording) -> tuple[Path, Path]:
    """The app's ACC and GYRO files of the simulated session, in a folder of their own."""
    return write_pair(tmp_path / "polar", session.acc, session.gyr, 52.0, true_rate_hz=52.02)


def _notes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
            and ("once" in r.getMessage() or "more than one input" in r.getMessage())]


def test_the_folder_and_its_file_are_one_session(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    acc, _ = pair
    folder, out = acc.parent, tmp_path / "ds"
    with caplog.at_level(logging.WARNING):
        code = main(["batch", str(folder), str(acc), "-e", "reverse-crunch", "--out", str(out),
                     "--workers", "0"])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "1 recording, analysed" in said.out  # was 2 recordings
    sessions = pd.concat(pd.read_parquet(p) for p in (out / "sessions").rglob("*.parquet"))
    assert list(sessions["file"]) == [str(folder)]  # was two rows, the folder and the file
    assert _notes(caplog) == [
        f"{acc} is a file of the Polar Sensor Logger export {folder}, also given: one "
        f"recording, analysed once, as {folder}"
    ]


def test_a_glob_over_both_files_with_the_folder_is_one_note(
    pair: tuple[Path, Path], caplog: pytest.LogCaptureFixture,
) -> None:
    acc, _ = pair
    folder = acc.parent
    with caplog.at_level(logging.WARNING):
        assert expand_inputs([f"{folder}/*.txt", str(folder)]) == [folder]
    assert _notes(caplog) == [
        f"{acc} is a file of the Polar Sensor Logger export {folder}, also given: one "
        f"recording, analysed once, as {folder} (and 1 other file so)"
    ]


def test_the_file_a_manifest_lists_is_the_one_kept(
    tmp_path: Path, pair: tuple[Path, Path],
) -> None:
    acc, _ = pair
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,participant,exercise\n{acc},P7,reverse-crunch\n")
    jobs = collect_jobs([acc.parent, acc], manifest)
    assert [(j.path, j.manifest.participant) for j in jobs] == [(acc, "P7")]


def test_a_folder_of_several_recordings_keeps_the_file_given(
    tmp_path: Path, pair: tuple[Path, Path], session: Recording,
) -> None:
    """Such a folder is each of its recordings (trial 23: it failed, which recording?), and
    the file named is one of them, taken once."""
    acc, _ = pair
    other, _ = write_pair(acc.parent, session.acc, session.gyr, 52.0,
                          prefix="Polar_Sense_0C301E3F_20240102_120000")
    assert expand_inputs([acc.parent, acc]) == sorted([acc, other])
