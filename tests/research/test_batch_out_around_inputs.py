"""``imu batch`` with an output folder that holds its inputs says so, not "no recordings"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imu.batch import BatchError, expand_inputs
from imu.cli import main

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"


def test_inputs_inside_the_output_folder_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'--out .' (or a parent of the inputs) said "input 'C9/P01': no recordings found"."""
    (tmp_path / "C9" / "P01").mkdir(parents=True)
    shutil.copy(RECORDING, tmp_path / "C9" / "P01" / "s1.parquet")
    monkeypatch.chdir(tmp_path)
    for out in (".", "C9"):
        assert main(["batch", "C9/P01", "--out", out]) == 2
        err = capsys.readouterr().err
        assert "no recordings found" not in err and err.count("\n") == 1, err
        assert f"inside the output dataset folder '{out}'" in err and "--out out/batch" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["C9"]
    assert not list((tmp_path / "C9").glob("*.parquet"))


def test_a_dataset_inside_the_inputs_is_still_left_out(tmp_path: Path) -> None:
    (tmp_path / "data" / "out" / "reps").mkdir(parents=True)
    shutil.copy(RECORDING, tmp_path / "data" / "s1.parquet")
    shutil.copy(RECORDING, tmp_path / "data" / "out" / "reps" / "r.parquet")
    assert expand_inputs([tmp_path / "data"], exclude=tmp_path / "data" / "out") == [
        tmp_path / "data" / "s1.parquet"
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match="no recordings found"):  # an empty folder: as before
        expand_inputs([tmp_path / "empty"], exclude=tmp_path / "data" / "out")
