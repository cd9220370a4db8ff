"""``imu info`` / ``imu analyze`` of a folder of sub-folders of recordings (trial 24).

``imu info cohort/`` said "a plain CSV is given as a file, e.g.
cohort/P01/P01_2024-01-08.truth.csv": a simulator's truth file, which then failed. The advice
names the recordings (``cohort/*/*.parquet``) and ``imu batch cohort/``, and never a truth
CSV, a manifest or a report table.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    root = tmp_path / "cohort"
    for who in ("P01", "P02"):
        (root / who).mkdir(parents=True)
        shutil.copy(RECORDING, root / who / f"{who}_2024-01-08.parquet")
        (root / who / f"{who}_2024-01-08.truth.csv").write_text("rep,start_s\n1,2.0\n")
    (root / "manifest.csv").write_text("file,participant\nP01/P01_2024-01-08.parquet,P01\n")
    return root


@pytest.mark.parametrize("command", [["info"], ["analyze", "--out", "OUT"]])
def test_the_advice_names_the_recordings_and_imu_batch(
    cohort: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [command[0], f"{cohort}/", *[str(tmp_path / "r") if a == "OUT" else a
                                         for a in command[1:]]]
    assert main(args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{cohort}/*/*.parquet" in line, line
    assert f"imu batch {cohort}/" in line
    assert "2 recordings in its sub-folders" in line
    assert "truth.csv" not in line and "manifest.csv" not in line, line


def test_a_truth_csv_is_never_suggested_as_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "f" / "P1"
    folder.mkdir(parents=True)
    (folder / "P1.truth.csv").write_text("rep,start_s\n1,2.0\n")
    (folder.parent / "manifest.csv").write_text("file,participant\nx.parquet,P1\n")
    assert main(["info", str(folder.parent)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "e.g." not in line.split("expected")[-1], line  # no CSV to suggest
