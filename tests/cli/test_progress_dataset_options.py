"""Options a dataset folder does not use are said so (new-user trial 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main


def test_a_manifest_given_with_a_dataset_is_said_unused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``imu progress DATASET --manifest nonexist.csv`` took the file without a word."""
    rec = tmp_path / "in" / "a.parquet"
    assert main(["simulate", "reverse-crunch", "--reps", "3", "--sets", "1", "--out",
                 str(rec)]) == 0
    assert main(["batch", str(rec.parent), "--out", str(tmp_path / "ds"), "--workers",
                 "1"]) == 0
    capsys.readouterr()
    assert main(["progress", str(tmp_path / "ds"), "--manifest", "nonexist.csv", "--tempo",
                 "3-1-3", "--out", str(tmp_path / "pg")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (f"note: --manifest nonexist.csv is not used: {tmp_path / 'ds'} is a dataset, "
            "already analysed with its manifest") in out, out
    assert f"note: --tempo 3-1-3 is not used: {tmp_path / 'ds'} is a dataset" in out
