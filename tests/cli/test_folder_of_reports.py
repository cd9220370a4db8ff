"""``imu analyze FOLDER`` where the sub-folders hold reports or an imu batch dataset (review 24).

The folder-of-folders advice counted an ``imu analyze --out`` folder's tables and a batch
dataset's tables as recordings ("it holds 3 recordings in its sub-folders (e.g.
FOLDER/out_adj/reps.parquet): pass them as files"), which then failed. Only files that may be
recordings are counted and named; with none, the generic message is given.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ``imu analyze --out`` folder (reps/sets/session tables, report.html)."""
    out = tmp_path_factory.mktemp("report") / "out_adj"
    assert main(["analyze", str(RECORDING), "--out", str(out)]) == 0
    assert (out / "reps.parquet").exists()
    return out


def _dataset(root: Path) -> None:
    """A minimal imu batch dataset: table folders, its markers (a recording's copy inside)."""
    for table in ("reps", "sets", "sessions"):
        folder = root / table / "participant=P01"
        folder.mkdir(parents=True)
        shutil.copy(RECORDING, folder / "0123456789abcdef.parquet")
    (root / "_failures.csv").write_text("file,error\n")


def _advice(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["analyze", str(folder), "--out", str(tmp_path / "r")]) == 2
    return one_error_line(capsys.readouterr().err)


def test_a_folder_holding_only_reports_gets_the_generic_message(
    report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports_only"
    shutil.copytree(report, folder / "out_adj")
    line = _advice(folder, tmp_path, capsys)
    assert "folder of folders" not in line and "recordings in its sub-folders" not in line, line
    assert "holds no Sensor Logger or phyphox export" in line, line
    assert "e.g." not in line.split("expected")[-1], line  # no report CSV suggested


def test_a_folder_holding_only_a_batch_dataset_gets_the_generic_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "onlyds"
    _dataset(folder / "D")
    line = _advice(folder, tmp_path, capsys)
    assert "folder of folders" not in line and "sub-folders" not in line, line
    assert "holds no Sensor Logger or phyphox export" in line, line
    assert "_failures.csv" not in line.split("expected")[-1], line


def test_only_the_recordings_beside_reports_and_a_dataset_are_counted(
    report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(report, folder / "out_adj")
    _dataset(folder / "D")
    (folder / "P01").mkdir()
    shutil.copy(RECORDING, folder / "P01" / "P01.parquet")
    line = _advice(folder, tmp_path, capsys)
    assert "it holds 1 recording in its sub-folders" in line, line
    assert f"e.g. {folder / 'P01' / 'P01.parquet'}" in line, line
    assert f"{folder}/*/*.parquet" in line and "*/*/*/*" not in line, line
