"""A dataset whose session files differ in columns (an earlier version's) reads every column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from imu.research import load_table


def _write(root: Path, participant: str, frame: pd.DataFrame, name: str) -> None:
    folder = root / "sessions" / f"participant={participant}"
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / f"{name}.parquet", index=False)


def test_a_column_only_newer_files_have_is_kept(tmp_path: Path) -> None:
    """Two files without ``exercise_note`` (an earlier version) read first, one with it: the
    note is there for the newer session and null for the older ones, whatever the order."""
    old = pd.DataFrame({"session_id": ["a"], "reps": [10]})
    new = pd.DataFrame({"session_id": ["c"], "reps": [12], "exercise_note": ["looks like a plank"]})
    _write(tmp_path, "P01", old, "a")
    _write(tmp_path, "P01", old.assign(session_id=["b"]), "b")
    _write(tmp_path, "P02", new, "c")
    table = load_table(tmp_path, "sessions")
    assert list(table["session_id"]) == ["a", "b", "c"]
    assert table.loc[table["session_id"] == "c", "exercise_note"].item() == "looks like a plank"
    assert table.loc[table["session_id"] != "c", "exercise_note"].isna().all()
    assert set(table["participant"]) == {"P01", "P02"}


def test_a_column_of_two_types_is_named(tmp_path: Path) -> None:
    """One file holds ``reps`` as text: the error names the column, not a damaged file."""
    import pytest

    from imu.research import ResearchError

    _write(tmp_path, "P01", pd.DataFrame({"session_id": ["a"], "reps": [10]}), "a")
    _write(tmp_path, "P01", pd.DataFrame({"session_id": ["b"], "reps": ["ten"],
                                          "extra": [1]}), "b")
    with pytest.raises(ResearchError, match="column 'reps' is"):
        load_table(tmp_path, "sessions")
