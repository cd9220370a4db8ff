"""``imu batch FOLDER`` says which report tables it left out of a folder, and why.

Found in a new-user trial: a ``reps.parquet`` copied out of a report next to the recordings
was passed over without a word. It is still left out (a report, not a recording) and the
batch goes on, but one line names it and says what to give instead. The reports of a live
session or of ``imu analyze --out`` in their own folder stay quiet: they belong there.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from imu.batch import expand_inputs
from imu.cli import main
from imu.io.recording import read_recording, write_recording
from imu.research import load_dataset

RC = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report folder of ``imu analyze`` (its tables and report.html)."""
    out = tmp_path_factory.mktemp("report") / "rc"
    assert main(["analyze", str(RC), "--out", str(out)]) == 0
    assert (out / "reps.parquet").exists() and (out / "report.html").exists()
    return out


def _recordings(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    recording = read_recording(RC)
    for i, name in enumerate(names):
        write_recording(recording.with_meta(start_time_s=1.7e9 + 60 * i), folder / name)


def _notes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno >= logging.WARNING and "left out" in r.getMessage()]


def test_a_reps_table_beside_the_recordings_is_named_and_the_batch_goes_on(
    report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = tmp_path / "sessions"
    _recordings(folder, "mon.parquet", "wed.parquet")
    shutil.copy(report / "reps.parquet", folder / "reps.parquet")
    with caplog.at_level(logging.WARNING):
        code = main(["batch", str(folder), "--out", str(tmp_path / "ds"), "--workers", "0"])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert _notes(caplog) == [
        f"left out {folder / 'reps.parquet'}: a report table of imu (reps, sets or session), "
        "not a recording; give the recording it was made from (move the table out of the "
        "folder to leave this note out)"
    ]
    assert "Traceback" not in said.err
    assert len(load_dataset(tmp_path / "ds").sessions) == 2


def test_several_tables_are_one_line(report: Path, tmp_path: Path,
                                     caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "f"
    _recordings(folder, "a.parquet")
    for name in ("reps.parquet", "sets.parquet", "session.parquet"):
        shutil.copy(report / name, folder / name)
    with caplog.at_level(logging.WARNING):
        assert expand_inputs([folder]) == [folder / "a.parquet"]
    [note] = _notes(caplog)
    assert note.startswith("left out 3 report tables of imu (")
    assert all(str(folder / n) in note for n in ("reps.parquet", "sets.parquet",
                                                  "session.parquet"))


def test_a_folder_of_reports_stays_quiet(report: Path, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    """A live session's reports (NAME/ beside NAME.parquet) belong where they are."""
    folder = tmp_path / "live"
    _recordings(folder, "2024-01-08_1800.parquet")
    shutil.copytree(report, folder / "2024-01-08_1800")
    with caplog.at_level(logging.WARNING):
        assert expand_inputs([folder]) == [folder / "2024-01-08_1800.parquet"]
    assert _notes(caplog) == []


def test_a_recording_named_like_a_table_is_analysed(tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "g"
    _recordings(folder, "reps.parquet")
    with caplog.at_level(logging.WARNING):
        assert expand_inputs([folder]) == [folder / "reps.parquet"]
    assert _notes(caplog) == []
