"""What a researcher reads after a batch was stopped half-way (Ctrl-C), or while it runs.

A session is done once its done-marker is written, after its three table files. Ctrl-C
between two of them left the reps file of a session that has no row in ``sessions`` (found
by stopping ``imu batch`` on a 288-session cohort: 39 sessions, but the reps of 40), and
``load_dataset`` read those reps with the others until the next run removed them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import imu.batch
from imu import research
from imu.batch import DONE_DIR, BatchOptions, collect_jobs, done_sessions, run_batch

REPO = Path(__file__).resolve().parents[2]
RECORDINGS = [REPO / "recordings" / f"{name}.parquet"
              for name in ("reverse_crunch", "reverse_hip_raise", "hanging_leg_raise")]


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in RECORDINGS:
        shutil.copy(path, folder / path.name)
    return folder


def test_ctrl_c_between_two_table_files_leaves_no_part_of_that_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, out = _inputs(tmp_path), tmp_path / "dataset"
    real = imu.batch._write_table
    calls: list[Path] = []

    def interrupted(frame: pd.DataFrame, schema: Any, path: Path) -> None:
        calls.append(path)
        if len(calls) == 5:  # the second session's sets file: its reps file is written
            raise KeyboardInterrupt
        real(frame, schema, path)

    monkeypatch.setattr(imu.batch, "_write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_batch(collect_jobs([str(folder)]), out, BatchOptions(workers=0))
    done = done_sessions(out)
    assert len(done) == 1
    stored = {p.stem for p in out.rglob("*.parquet")}
    assert stored == set(done)  # was: the second session's reps file too
    data = research.load_dataset(out)
    assert set(data.reps["session_id"]) == set(data.sessions["session_id"]) == set(done)
    # The re-run goes on from there.
    monkeypatch.setattr(imu.batch, "_write_table", real)
    result = run_batch(collect_jobs([str(folder)]), out, BatchOptions(workers=0))
    assert (result.analysed, result.skipped) == (2, 1)


def test_load_dataset_reads_only_the_sessions_that_are_done(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    """Table files no done-marker lists (a batch still writing, or one killed) are left out.

    Reading a dataset while ``imu batch`` still writes it (a notebook beside a long run)
    gave the reps of a session whose sessions row was not written yet.
    """
    folder, out = _inputs(tmp_path), tmp_path / "dataset"
    run_batch(collect_jobs([str(folder)]), out, BatchOptions(workers=0))
    full = research.load_dataset(out)
    unfinished = sorted(done_sessions(out))[0]
    (out / DONE_DIR / f"{unfinished}.json").unlink()
    for path in (out / "sessions").rglob(f"{unfinished}.parquet"):
        path.unlink()  # as between the reps and the sessions file of that session
    with caplog.at_level("WARNING", logger="imu.research"):
        data = research.load_dataset(out)
    assert unfinished not in set(data.reps["session_id"])
    assert unfinished not in set(data.sets["session_id"])
    assert len(data.reps) == (full.reps["session_id"] != unfinished).sum()
    assert "not done" in caplog.text and "imu batch" in caplog.text
    # A folder of table files without markers (copied without _done) is read whole.
    shutil.rmtree(out / DONE_DIR)
    assert unfinished in set(research.load_table(out, "reps")["session_id"])


def test_research_reads_the_markers_where_the_batch_writes_them() -> None:
    assert research.DONE_DIR == DONE_DIR
