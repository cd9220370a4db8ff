"""Whose sessions are whose: ``_failures.csv`` says whose files failed, where the manifest
says it, and the sessions stored under ``unknown`` are counted.

A researcher counting each participant's sessions (analysed beside failed) had only the
file and the reason: the failed files had to be matched to the manifest by hand.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import FAILURES_FILE, BatchOptions, collect_jobs, run_batch

REPO = Path(__file__).resolve().parents[2]


def test_the_failures_file_names_the_participant_of_each_failed_file(tmp_path: Path) -> None:
    shutil.copy(REPO / "recordings" / "reverse_crunch.parquet", tmp_path / "good.parquet")
    (tmp_path / "cut.parquet").write_bytes(
        (REPO / "recordings" / "plank.parquet").read_bytes()[:2000])
    (tmp_path / "manifest.csv").write_text(
        "file,participant\ngood.parquet,P01\ncut.parquet,P02\ngone.parquet,P03\n")
    out = tmp_path / "dataset"
    result = run_batch(collect_jobs([], manifest=tmp_path / "manifest.csv"), out,
                       BatchOptions(workers=0))
    assert result.analysed == 1 and len(result.failures) == 2
    failures = pd.read_csv(out / FAILURES_FILE, dtype=str)
    assert list(failures.columns) == ["file", "participant", "reason"]
    assert dict(zip(failures["file"].map(lambda f: Path(f).name), failures["participant"],
                    strict=True)) == {"cut.parquet": "P02", "gone.parquet": "P03"}
    # Without a manifest the participant of a file that failed is not known: empty.
    bare = run_batch(collect_jobs([str(tmp_path / "cut.parquet")]), tmp_path / "bare",
                     BatchOptions(workers=0))
    assert len(bare.failures) == 1
    assert pd.read_csv(tmp_path / "bare" / FAILURES_FILE)["participant"].isna().all()


def test_sessions_filed_under_unknown_are_counted_in_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    """A live session records no participant: several people's sessions became one person,
    ``unknown``, in every per-participant table, without a word."""
    from imu.io.recording import read_recording, write_recording

    bundled = REPO / "recordings" / "reverse_crunch.parquet"
    write_recording(read_recording(bundled).with_meta(participant=None),
                    tmp_path / "live.parquet")
    shutil.copy(bundled, tmp_path / "sim.parquet")  # sim-SEED: named
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        run_batch(collect_jobs([str(tmp_path)]), tmp_path / "dataset", BatchOptions(workers=0))
    assert "1 session(s) name no participant" in caplog.text
    assert "stored under 'unknown'" in caplog.text and "--manifest" in caplog.text
    caplog.clear()
    (tmp_path / "manifest.csv").write_text("file,participant\nlive.parquet,P07\n")
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        run_batch(collect_jobs([], manifest=tmp_path / "manifest.csv"), tmp_path / "named",
                  BatchOptions(workers=0))
    assert "name no participant" not in caplog.text
