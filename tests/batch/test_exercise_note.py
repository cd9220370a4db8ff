"""imu batch says, as imu analyze does, when a recording looks like another exercise.

A plank batched as reverse crunches was stored as "0 reps" without a word, where imu analyze
(and the end of imu live and imu replay) says "this recording looks like a plank".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import imu.batch
from imu.batch import (
    EXERCISE_NOTE,
    MANIFEST_NOTE,
    BatchOptions,
    analyze_job,
    collect_jobs,
    run_batch,
)
from imu.cli import main
from imu.exercises import get_profile
from imu.io.recording import read_recording
from imu.report.mismatch import exercise_mismatch
from imu.report.session import analyze_recording
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]
PLANK = REPO / "recordings" / "plank.parquet"
CRUNCH = REPO / "recordings" / "reverse_crunch.parquet"
HEADER = "file,participant,exercise,tempo,date\n"
LOOKS_LIKE_A_PLANK = "this recording looks like a plank"


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    return (Path(shutil.copy(PLANK, folder / "plank.parquet")),
            Path(shutil.copy(CRUNCH, folder / "crunch.parquet")))


def _notes(out: Path) -> dict[str, object]:
    sessions = load_dataset(out).sessions
    return {Path(f).name: (None if pd.isna(n) else n)
            for f, n in zip(sessions["file"], sessions[EXERCISE_NOTE], strict=True)}


def test_a_plank_batched_as_reverse_crunch_gets_the_note_of_imu_analyze_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plank, crunch = _inputs(tmp_path)
    out = tmp_path / "ds"
    code = main(["batch", str(plank), str(crunch), "--exercise", "reverse-crunch",
                 "--out", str(out), "--workers", "0"])
    assert code == 0  # a hint, not a failure
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    # The words of imu analyze (the same function), once, naming the file.
    expected = exercise_mismatch(read_recording(PLANK), get_profile("reverse-crunch"),
                                 analyze_recording(read_recording(PLANK), "reverse-crunch"))
    assert expected is not None and expected.startswith(LOOKS_LIKE_A_PLANK)
    assert err.count(LOOKS_LIKE_A_PLANK) == 1
    assert f"imu batch: note: {plank}: {expected}" in err
    assert str(crunch) not in err  # the right exercise: no note
    assert "0 failed" in " ".join(captured.out.split())
    # The sessions table keeps it beside the numbers; the crunch's is null.
    assert _notes(out) == {"plank.parquet": expected, "crunch.parquet": None}
    # The analysis is the one asked for: the plank's "reps" as reverse crunches, unchanged.
    data = load_dataset(out)
    stored = data.sessions.set_index(data.sessions["file"].map(lambda f: Path(f).name))
    report = analyze_recording(read_recording(PLANK), "reverse-crunch")
    assert stored.loc["plank.parquet", "reps"] == report.session.iloc[0]["reps"]
    assert stored.loc["plank.parquet", "exercise"] == "reverse-crunch"
    # A re-run skips the done sessions: nothing analysed, nothing said again.
    assert main(["batch", str(plank), str(crunch), "--exercise", "reverse-crunch",
                 "--out", str(out), "--workers", "0"]) == 0
    assert LOOKS_LIKE_A_PLANK not in capsys.readouterr().err


def test_the_right_exercises_get_no_note(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    plank, crunch = _inputs(tmp_path)
    out = tmp_path / "ds"
    result = run_batch(collect_jobs([plank, crunch]), out, BatchOptions(workers=0))
    assert result.ok and result.notes == []
    assert _notes(out) == {"plank.parquet": None, "crunch.parquet": None}
    assert "note" not in capsys.readouterr().err


def test_a_manifest_s_exercise_is_corrected_in_the_manifest(tmp_path: Path) -> None:
    """The hint's own advice, --exercise, does not override a manifest's exercise."""
    plank, crunch = _inputs(tmp_path)
    manifest = tmp_path / "m.csv"
    manifest.write_text(HEADER + f"{plank},P1,reverse-crunch,,\n{crunch},P2,plank,,\n")
    result = run_batch(collect_jobs([], manifest=manifest), tmp_path / "ds",
                       BatchOptions(workers=0))
    notes = dict(result.notes)
    assert set(notes) == {plank, crunch}
    assert notes[plank].startswith(LOOKS_LIKE_A_PLANK)
    assert notes[crunch].startswith("this recording looks like reps, not holds")
    assert all(n.endswith(MANIFEST_NOTE) for n in notes.values())


def test_several_notes_are_counted_at_the_end(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    plank, crunch = _inputs(tmp_path)
    manifest = tmp_path / "m.csv"
    manifest.write_text(HEADER + f"{plank},P1,reverse-crunch,,\n{crunch},P2,plank,,\n")
    assert main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds"),
                 "--workers", "0"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert err.count(f"imu batch: note: {plank}: ") == 1
    assert err.count(f"imu batch: note: {crunch}: ") == 1
    assert "2 sessions look like another exercise" in err and "exercise_note" in err


def test_a_hint_that_fails_never_fails_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plank, _ = _inputs(tmp_path)

    def broken(*_: object) -> str:
        raise RuntimeError("second look failed")

    monkeypatch.setattr(imu.batch, "exercise_mismatch", broken)
    result = run_batch(collect_jobs([plank]), tmp_path / "ds",
                       BatchOptions(workers=0, exercise="reverse-crunch"))
    assert result.ok and result.analysed == 1 and result.notes == []
    assert _notes(tmp_path / "ds") == {"plank.parquet": None}


def test_the_note_is_plain_data_made_where_the_report_is(tmp_path: Path) -> None:
    """The worker's outcome carries it (Dask pickles the outcome, never the report)."""
    plank, _ = _inputs(tmp_path)
    job = collect_jobs([plank])[0]
    outcome = analyze_job(job, BatchOptions(workers=0, exercise="reverse-crunch"))
    assert outcome.error is None and isinstance(outcome.note, str)
    assert outcome.note.startswith(LOOKS_LIKE_A_PLANK)
    assert outcome.tables is not None
    assert list(outcome.tables["sessions"][EXERCISE_NOTE]) == [outcome.note]


def test_the_note_comes_back_from_dask_workers(tmp_path: Path) -> None:
    plank, crunch = _inputs(tmp_path)
    out = tmp_path / "ds"
    result = run_batch(collect_jobs([plank, crunch]), out,
                       BatchOptions(workers=1, exercise="reverse-crunch"))
    assert result.ok and result.analysed == 2
    assert [(p.name, n.startswith(LOOKS_LIKE_A_PLANK)) for p, n in result.notes] == [
        ("plank.parquet", True)]
    assert _notes(out)["crunch.parquet"] is None

