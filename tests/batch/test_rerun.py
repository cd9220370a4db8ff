"""Re-running imu.batch: a session whose inputs changed is analysed again, never kept twice."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import imu.batch
from imu.batch import (
    BatchOptions,
    collect_jobs,
    done_sessions,
    run_batch,
    session_id,
)
from imu.core.analyzer import AnalyzerParams
from imu.core.metrics import TempoTolerance
from imu.io.recording import read_recording, write_recording
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "recordings" / "reverse_crunch.parquet"
HEADER = "file,participant,exercise,tempo,date\n"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(BUNDLED, folder / "a.parquet"))


def _manifest(path: Path, row: str) -> Path:
    path.write_text(HEADER + row + "\n")
    return path


def _run(out: Path, manifest: Path | None = None, inputs: list[Path] | None = None,
         **options: Any) -> imu.batch.BatchResult:
    jobs = collect_jobs(inputs or [], manifest=manifest)
    return run_batch(jobs, out, BatchOptions(workers=0, **options))


def _table_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.glob("*/participant=*/*.parquet"))


def test_a_changed_manifest_participant_is_analysed_again_and_replaces_the_old_rows(
    tmp_path: Path,
) -> None:
    _copy(tmp_path)
    out = tmp_path / "ds"
    first = _manifest(tmp_path / "in" / "m.csv", "a.parquet,P1,reverse-crunch,3-1-3,2024-01-01")
    assert _run(out, first).analysed == 1
    third = _manifest(tmp_path / "in" / "m3.csv", "a.parquet,P9,reverse-crunch,3-1-3,2024-03-01")
    again = _run(out, third)
    assert (again.analysed, again.reanalysed, again.skipped) == (1, 1, 0)
    data = load_dataset(out)
    assert list(data.sessions["participant"]) == ["P9"]  # one version of the session
    assert list(data.sessions["date"]) == [pd.Timestamp("2024-03-01", tz="UTC")]
    assert set(data.reps["participant"]) == {"P9"}
    assert all("participant=P9" in f for f in _table_files(out))
    unchanged = _run(out, third)
    assert (unchanged.analysed, unchanged.reanalysed, unchanged.skipped) == (0, 0, 1)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"row": "a.parquet,P1,reverse-crunch,3-1-3,"},
         {"row": "a.parquet,P1,reverse-crunch,5-0-5,"}),
        ({"tempo": "3-1-3"}, {"tempo": "5-0-5"}),
        ({"exercise": "reverse-crunch"}, {"exercise": "dead-bug"}),
        ({}, {"params": AnalyzerParams(tempo_tolerance=TempoTolerance(fraction=0.5))}),
        ({}, {"params": AnalyzerParams(set_rest_s=30.0)}),
    ],
    ids=["manifest-tempo", "option-tempo", "option-exercise", "tolerance", "set-rest"],
)
def test_each_changed_input_is_analysed_again(
    tmp_path: Path, before: dict[str, Any], after: dict[str, Any]
) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"

    def run(spec: dict[str, Any]) -> imu.batch.BatchResult:
        spec = dict(spec)
        if "row" in spec:
            return _run(out, _manifest(tmp_path / "in" / "m.csv", spec.pop("row")))
        return _run(out, inputs=[a], **spec)

    assert run(before).analysed == 1
    assert run(before).skipped == 1  # the same inputs: skipped
    changed = run(after)
    assert (changed.analysed, changed.reanalysed, changed.skipped) == (1, 1, 0)
    assert len(load_dataset(out).sessions) == 1 and len(_table_files(out)) == 3
    if "tempo" in after or "row" in after:
        assert list(load_dataset(out).sessions["tempo"]) == ["5-0-5"]


def test_a_touched_file_is_analysed_again(tmp_path: Path) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    assert _run(out, inputs=[a]).analysed == 1
    stat = a.stat()
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert _run(out, inputs=[a]).reanalysed == 1


def test_a_file_whose_bytes_changed_replaces_its_old_session(tmp_path: Path) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    old = session_id(a)
    assert _run(out, inputs=[a]).analysed == 1
    write_recording(read_recording(BUNDLED).with_meta(participant="renamed"), a)
    new = session_id(a)
    assert new != old
    again = _run(out, inputs=[a])
    assert (again.analysed, again.reanalysed) == (1, 1)
    assert done_sessions(out) == {new}
    data = load_dataset(out)
    assert list(data.sessions["session_id"]) == [new]
    assert set(data.reps["session_id"]) == {new}


def test_force_replaces_and_counts(tmp_path: Path) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    forced = _run(out, inputs=[a], force=True)
    assert (forced.analysed, forced.reanalysed, forced.skipped) == (1, 1, 0)
    assert len(_table_files(out)) == 3


def test_a_marker_without_inputs_is_analysed_again(tmp_path: Path) -> None:
    """Datasets written before the markers recorded the inputs are analysed again once."""
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    marker = out / "_done" / f"{session_id(a)}.json"
    record = json.loads(marker.read_text())
    del record["inputs"]
    marker.write_text(json.dumps(record))
    assert _run(out, inputs=[a]).reanalysed == 1
    assert _run(out, inputs=[a]).skipped == 1


def test_a_session_that_fails_when_analysed_again_keeps_its_old_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 22: a second run with an option left out failed every file and emptied the
    dataset ("its earlier results were removed"). The same bytes, analysed well before, keep
    their results; the reason says so, and the next run tries them again."""
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    before = _table_files(out)

    def broken(*args: object, **kwargs: object) -> None:
        raise imu.batch.BatchError("analysis broke")

    monkeypatch.setattr(imu.batch, "analyze_recording", broken)
    result = _run(out, inputs=[a], tempo="5-0-5")
    assert result.analysed == 0 and len(result.failures) == 1
    reason = result.failures[0][1]
    assert "analysis broke" in reason and "earlier results were removed" not in reason
    assert reason.endswith("; its earlier results stay in the dataset as they were (analysed "
                           "by an earlier run, with its options); fix this and run again to "
                           "replace them")
    assert done_sessions(out) == {session_id(a)} and _table_files(out) == before
    monkeypatch.undo()
    assert _run(out, inputs=[a], tempo="5-0-5").reanalysed == 1  # tried again, replaced


def test_table_files_no_marker_lists_are_removed(tmp_path: Path) -> None:
    """A batch stopped half-way (tables without a marker, an old version left) is tidied."""
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    sid = session_id(a)
    for table in ("reps", "sets", "sessions"):
        stale = out / table / "participant=old"
        stale.mkdir()
        shutil.copy(next((out / table).glob(f"participant=sim-*/{sid}.parquet")),
                    stale / f"{sid}.parquet")
    assert _run(out, inputs=[a]).skipped == 1
    assert len(load_dataset(out).sessions) == 1
    assert not list(out.glob("*/participant=old"))


@pytest.mark.parametrize("table", ["reps", "sets", "sessions"])
def test_a_damaged_table_file_is_analysed_again(tmp_path: Path, table: str) -> None:
    """The new-user repro: a table file cut to 100 bytes was skipped as done."""
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    (damaged,) = out.glob(f"{table}/participant=*/*.parquet")
    with damaged.open("r+b") as f:
        f.truncate(100)
    again = _run(out, inputs=[a])
    assert (again.analysed, again.skipped, again.reanalysed_why) == (1, 0, {"damaged": 1})
    assert len(_table_files(out)) == 3
    assert len(load_dataset(out).sessions) == 1  # readable again
    assert _run(out, inputs=[a]).skipped == 1


def test_a_table_file_overwritten_with_other_bytes_is_analysed_again(tmp_path: Path) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    (damaged,) = out.glob("reps/participant=*/*.parquet")
    damaged.write_bytes(b"PAR1" + b"\0" * 200)  # the magic at the start, no valid footer
    assert _run(out, inputs=[a]).reanalysed_why == {"damaged": 1}


def test_an_unreadable_marker_is_said_to_be_unreadable_not_missing_tables(
    tmp_path: Path,
) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    (out / "_done" / f"{session_id(a)}.json").write_text("{not json")
    again = _run(out, inputs=[a])
    assert (again.analysed, again.reanalysed_why) == (1, {"marker": 1})
    assert len(_table_files(out)) == 3
    assert _run(out, inputs=[a]).skipped == 1


def test_a_missing_table_file_is_still_said_to_be_missing(tmp_path: Path) -> None:
    a = _copy(tmp_path)
    out = tmp_path / "ds"
    _run(out, inputs=[a])
    next(out.glob("sets/participant=*/*.parquet")).unlink()
    assert _run(out, inputs=[a]).reanalysed_why == {"tables": 1}
