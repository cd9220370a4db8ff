"""Re-runs that must not lose or duplicate sessions: two batches at once (the dataset lock),
table files gone under a marker, markers of the earlier version (no source), renamed and
copied files, and failures after a file's bytes changed."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import imu.batch
from imu.batch import (
    LOCK_FILE,
    BatchError,
    BatchOptions,
    check_dataset_lock,
    collect_jobs,
    done_sessions,
    other_sessions,
    run_batch,
    session_id,
    unplaced_sessions,
)
from imu.io.recording import read_recording, write_recording
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "recordings" / "reverse_crunch.parquet"
PLANK = REPO / "recordings" / "plank.parquet"


def _run(out: Path, *inputs: Path | str, **options: Any) -> imu.batch.BatchResult:
    return run_batch(collect_jobs([str(p) for p in inputs]), out,
                     BatchOptions(workers=0, **options))


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    return folder


def _edit(path: Path) -> None:
    """New bytes (another participant in the metadata): another session id."""
    write_recording(read_recording(BUNDLED).with_meta(participant="edited"), path)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --------------------------------------------------------------------------- the lock


def test_a_second_batch_is_refused_while_one_writes_the_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review's repro: a second run started before the first marks its session done."""
    folder = _folder(tmp_path)
    a = Path(shutil.copy(BUNDLED, folder / "a.parquet"))
    b = Path(shutil.copy(PLANK, folder / "b.parquet"))
    out = tmp_path / "ds"
    original = imu.batch._write_table
    refusals: list[str] = []

    def write_then_another_batch_starts(*args: Any) -> None:
        original(*args)
        if len(list(out.glob("*/participant=*/*.parquet"))) == 3 and not refusals:
            with pytest.raises(BatchError) as refused:
                _run(out, b)
            refusals.append(str(refused.value))

    monkeypatch.setattr(imu.batch, "_write_table", write_then_another_batch_starts)
    assert _run(out, a).analysed == 1
    assert refusals == [
        f"another imu batch (pid {os.getpid()}) is writing {out}; wait for it, or remove "
        f"{out / LOCK_FILE} if no batch is running"
    ]
    assert done_sessions(out) == {session_id(a)}
    assert list(load_dataset(out).sessions["session_id"]) == [session_id(a)]
    assert not (out / LOCK_FILE).exists()  # released
    monkeypatch.setattr(imu.batch, "_write_table", original)
    again = _run(out, a, b)
    assert (again.analysed, again.skipped) == (1, 1)


def test_a_stale_lock_is_taken_over_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "ds"
    out.mkdir()
    pid = _dead_pid()
    (out / LOCK_FILE).write_text(json.dumps({"pid": pid, "host": socket.gethostname()}))
    check_dataset_lock(out)  # no refusal
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        assert _run(out, BUNDLED).analysed == 1
    assert "taking over the lock" in caplog.text and f"pid {pid}" in caplog.text
    assert not (out / LOCK_FILE).exists()


@pytest.mark.parametrize("where", ["this host, running", "another host"])
def test_a_held_lock_refuses_the_batch_before_any_change(tmp_path: Path, where: str) -> None:
    out = tmp_path / "ds"
    _run(out, BUNDLED)
    host = socket.gethostname() if where == "this host, running" else "elsewhere.example"
    pid = os.getppid() if where == "this host, running" else _dead_pid()
    lock = json.dumps({"pid": pid, "host": host})
    (out / LOCK_FILE).write_text(lock)
    shown = f" on host {host}" if where == "another host" else ""
    message = f"another imu batch (pid {pid}{shown}) is writing {out}"
    with pytest.raises(BatchError, match=re.escape(message)):
        check_dataset_lock(out)
    with pytest.raises(BatchError, match=r"remove .*_lock if no batch is running"):
        _run(out, BUNDLED, force=True)
    assert (out / LOCK_FILE).read_text() == lock  # not ours: left alone
    assert done_sessions(out) == {session_id(BUNDLED)}


# --------------------------------------------------------------------------- the skip rule


def test_a_marker_whose_table_files_are_gone_is_analysed_again(tmp_path: Path) -> None:
    a = Path(shutil.copy(BUNDLED, _folder(tmp_path) / "a.parquet"))
    out = tmp_path / "ds"
    _run(out, a)
    next(out.glob("reps/participant=*/*.parquet")).unlink()
    again = _run(out, a)
    assert (again.analysed, again.skipped, again.reanalysed_why) == (1, 0, {"tables": 1})
    assert len(list(out.glob("*/participant=*/*.parquet"))) == 3
    assert len(load_dataset(out).reps) > 0
    assert _run(out, a).skipped == 1


# --------------------------------------------------------------------------- old markers


def _strip_sources(out: Path) -> None:
    """Make the markers look like the earlier version's: no ``source``."""
    for marker in (out / "_done").glob("*.json"):
        record = json.loads(marker.read_text())
        record.pop("source", None)
        record.pop("sources", None)
        marker.write_text(json.dumps(record))


@pytest.mark.parametrize("spelled", ["absolute", "relative, same folder",
                                     "relative, another folder"])
def test_an_edited_file_replaces_its_session_of_a_marker_without_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelled: str
) -> None:
    a = Path(shutil.copy(BUNDLED, _folder(tmp_path) / "a.parquet"))
    out = tmp_path / "ds"
    monkeypatch.chdir(tmp_path)
    _run(out, a if spelled == "absolute" else "in/a.parquet")
    old = session_id(a)
    _strip_sources(out)
    _edit(a)
    if spelled == "relative, another folder":
        (tmp_path / "elsewhere").mkdir()
        monkeypatch.chdir(tmp_path / "elsewhere")
    jobs = collect_jobs([a])
    assert other_sessions(out, jobs) == set()  # the old one is no session of another file
    result = run_batch(jobs, out, BatchOptions(workers=0))
    assert (result.analysed, result.reanalysed_why) == (1, {"file": 1})
    assert done_sessions(out) == {session_id(a)} != {old}
    assert list(load_dataset(out).sessions["session_id"]) == [session_id(a)]


def test_a_marker_without_source_of_an_unknown_file_stays_and_is_told_apart(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    a = Path(shutil.copy(BUNDLED, folder / "a.parquet"))
    out = tmp_path / "ds"
    _run(out, a)
    _strip_sources(out)
    marker = out / "_done" / f"{session_id(a)}.json"
    record = json.loads(marker.read_text())
    marker.write_text(json.dumps({**record, "file": "gone/x.parquet"}))
    b = Path(shutil.copy(PLANK, folder / "b.parquet"))
    jobs = collect_jobs([b])
    assert other_sessions(out, jobs) == {session_id(a)}
    assert unplaced_sessions(out, {session_id(a)}) == {session_id(a)}
    run_batch(jobs, out, BatchOptions(workers=0))
    assert done_sessions(out) == {session_id(a), session_id(b)}


# --------------------------------------------------------------------------- renames, copies


def test_a_renamed_file_keeps_its_session_when_a_new_file_takes_the_old_name(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    a = Path(shutil.copy(BUNDLED, folder / "a.parquet"))
    out = tmp_path / "ds"
    first = session_id(a)
    _run(out, a)
    b = a.rename(folder / "b.parquet")
    assert _run(out, b).skipped == 1  # seen under its new name
    shutil.copy(PLANK, a)  # another recording takes the old name
    assert _run(out, a).analysed == 1
    assert done_sessions(out) == {first, session_id(a)}
    assert _run(out, b).skipped == 1
    sources = json.loads((out / "_done" / f"{first}.json").read_text())["sources"]
    assert sources == [str(b.resolve())]


def test_a_copy_keeps_the_session_when_the_file_analysed_is_edited(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    a = Path(shutil.copy(BUNDLED, folder / "a.parquet"))
    b = Path(shutil.copy(BUNDLED, folder / "b.parquet"))
    out = tmp_path / "ds"
    first = session_id(a)
    assert _run(out, folder).analysed == 1  # byte-identical: one session
    marker = json.loads((out / "_done" / f"{first}.json").read_text())
    assert marker["sources"] == [str(a.resolve()), str(b.resolve())]
    _edit(a)
    jobs = collect_jobs([a])
    assert other_sessions(out, jobs) == {first}  # of b, which is not among these inputs
    assert run_batch(jobs, out, BatchOptions(workers=0)).analysed == 1
    assert done_sessions(out) == {first, session_id(a)}
    assert set(load_dataset(out).sessions["session_id"]) == {first, session_id(a)}
    # Now analysed as b: its own modification time is an input (analysed again once).
    assert _run(out, folder).reanalysed_why == {"file": 1}
    assert _run(out, folder).skipped == 2
    assert done_sessions(out) == {first, session_id(a)}


def test_an_edited_file_without_copies_still_replaces_its_session(tmp_path: Path) -> None:
    """The other sources are checked, not trusted: a copy since deleted holds nothing."""
    folder = _folder(tmp_path)
    a = Path(shutil.copy(BUNDLED, folder / "a.parquet"))
    b = Path(shutil.copy(BUNDLED, folder / "b.parquet"))
    out = tmp_path / "ds"
    _run(out, folder)
    b.unlink()
    _edit(a)
    assert _run(out, a).reanalysed_why == {"file": 1}
    assert done_sessions(out) == {session_id(a)}


# --------------------------------------------------------------------------- messages


def test_a_failure_after_the_bytes_changed_says_the_old_rows_were_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Path(shutil.copy(BUNDLED, _folder(tmp_path) / "a.parquet"))
    out = tmp_path / "ds"
    old = session_id(a)
    _run(out, a)
    _edit(a)

    def broken(*args: object, **kwargs: object) -> None:
        raise BatchError("analysis broke")

    monkeypatch.setattr(imu.batch, "analyze_recording", broken)
    result = _run(out, a)
    (reason,) = [r for _, r in result.failures]
    assert reason.startswith("analysis broke; its earlier results")
    assert f"session {old}" in reason and "were removed from the dataset" in reason
    assert done_sessions(out) == set()
    assert list(pd.read_csv(out / "_failures.csv")["reason"]) == [reason]
