"""``imu analyze`` takes a phone export given as its folder and as a file of it once.

``imu analyze polar/ polar/A_ACC.txt`` (or a phyphox folder and its CSV) analysed the one
recording twice: two identical blocks in the tables, two rows in session.csv. It is taken
once, as the folder, by the rule ``imu batch`` follows (:func:`imu.io.load.exports_once`),
and one note says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import Recording
from tests.io.test_phone import _sample, write_phyphox_csv
from tests.io.test_polar_logger import write_pair


@pytest.fixture(scope="module")
def session() -> Recording:
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4, sets=1,
                       seed=11, sampling_rate_hz=52)
    return simulate_session(spec).recording


def _analysed_once(tmp_path: Path, folder: Path, file: Path, app: str,
                   capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING):
        code = main(["analyze", str(folder), str(file), "-e", "reverse-crunch", "--out",
                     str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert len(pd.read_csv(out / "session.csv")) == 1  # was 2: the folder and the file
    assert "recording" not in pd.read_parquet(out / "reps.parquet").columns
    notes = [r.getMessage() for r in caplog.records if "analysed once" in r.getMessage()]
    assert notes == [f"{file} is a file of the {app} export {folder}, also given: one "
                     f"recording, analysed once, as {folder}"]


def test_a_polar_folder_and_its_acc_file_are_one_recording(
    tmp_path: Path, session: Recording, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    acc, _ = write_pair(tmp_path / "polar", session.acc, session.gyr, 52.0)
    _analysed_once(tmp_path, acc.parent, acc, "Polar Sensor Logger", capsys, caplog)


def test_a_phyphox_folder_and_its_csv_are_one_recording(
    tmp_path: Path, session: Recording, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = tmp_path / "phyphox"
    folder.mkdir()
    t, acc, gyr = _sample(session, 100.0, 0.0, 6)
    csv = write_phyphox_csv(folder / "Raw Data.csv", t, acc, gyr)
    _analysed_once(tmp_path, folder, csv, "phyphox", capsys, caplog)


def test_another_recording_beside_the_folder_is_still_analysed(
    tmp_path: Path, session: Recording, capsys: pytest.CaptureFixture[str],
) -> None:
    """Only the export's own files are left out: a recording elsewhere is its own input."""
    acc, _ = write_pair(tmp_path / "polar", session.acc, session.gyr, 52.0)
    other, _ = write_pair(tmp_path / "other", session.acc, session.gyr, 52.0)
    out = tmp_path / "out"
    code = main(["analyze", str(acc.parent), str(other), "-e", "reverse-crunch", "--out",
                 str(out)])
    assert code == 0, capsys.readouterr().err
    assert len(pd.read_csv(out / "session.csv")) == 2
