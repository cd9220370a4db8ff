"""A session whose file is gone is named at each run, and dropped with --prune.

Trial 23: a file deleted between two runs stayed in the dataset ("skipped 5 already done",
6 sessions stored), and 'imu progress DATASET' counted it, without a word.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import write_recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo


def _folder(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    for seed in (1, 2, 3):
        spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1,
                           seed=seed)
        write_recording(simulate_session(spec).recording, folder / f"s{seed}.parquet")
    return folder


def test_a_deleted_files_session_is_named_then_pruned(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "ds"
    args = ["batch", str(folder), "--out", str(out), "--workers", "0"]
    assert main(args) == 0
    assert len(pd.read_parquet(out / "sessions")) == 3
    (folder / "s2.parquet").unlink()
    caplog.clear()
    assert main(args) == 0
    assert "1 session of the dataset comes from files that no longer exist" in caplog.text
    assert "s2.parquet" in caplog.text and "--prune" in caplog.text
    assert len(pd.read_parquet(out / "sessions")) == 3  # kept: named, not dropped
    caplog.clear()
    assert main([*args, "--prune"]) == 0
    assert "dropped 1 session whose files no longer exist" in caplog.text
    sessions = pd.read_parquet(out / "sessions")
    assert sorted(Path(f).name for f in sessions["file"]) == ["s1.parquet", "s3.parquet"]
    caplog.clear()
    assert main(args) == 0
    assert "no longer exist" not in caplog.text
