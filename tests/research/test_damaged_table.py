"""A damaged table file of a dataset: one line naming it and the fix, never a pyarrow traceback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu import research
from imu.cli import main


def _dataset(root: Path) -> Path:
    """A two-session dataset laid out as ``imu batch`` writes it (hive partition by participant)."""
    for table in ("reps", "sets", "sessions"):
        for sid, day in (("s1", "2024-01-01"), ("s2", "2024-01-08")):
            folder = root / table / "participant=P01"
            folder.mkdir(parents=True, exist_ok=True)
            pd.DataFrame({"session_id": [sid], "date": [pd.Timestamp(day, tz="UTC")],
                          "exercise": ["reverse-crunch"], "tempo": ["3-1-3"]}).to_parquet(
                folder / f"{sid}.parquet", index=False)
    return root


def _damage(root: Path) -> Path:
    path = root / "sets" / "participant=P01" / "s1.parquet"
    with path.open("r+b") as f:
        f.truncate(100)
    return path


def test_load_dataset_names_the_damaged_file(tmp_path: Path) -> None:
    """It raised pyarrow.lib.ArrowInvalid ("Could not read schema ... magic bytes")."""
    root = _dataset(tmp_path / "d")
    assert len(research.load_dataset(root).sessions) == 2
    bad = _damage(root)
    with pytest.raises(research.ResearchError) as caught:
        research.load_dataset(root)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{bad}: damaged table file")
    assert "run 'imu batch' again on the same inputs" in message


def test_imu_progress_says_one_line_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _dataset(tmp_path / "d")
    bad = _damage(root)
    code = main(["progress", str(root), "--participant", "P01", "--out", str(tmp_path / "p")])
    said = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in said.err and "ArrowInvalid" not in said.err
    lines = said.err.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "imu batch" in lines[0], said.err
    assert not (tmp_path / "p" / "progress.html").exists()
