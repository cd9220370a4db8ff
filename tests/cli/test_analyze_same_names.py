"""Recordings named alike say which is which (new-user trial 22)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main


def test_same_named_files_of_two_folders_are_told_apart_with_their_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three b.parquet of three folders were b-1, b-2, b-3 in the tables and the report,
    with no path anywhere to say which was which."""
    paths = [tmp_path / folder / "s.parquet" for folder in ("mon", "wed")]
    for seed, path in enumerate(paths, 1):
        assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--seed",
                     str(seed), "--out", str(path)]) == 0
    capsys.readouterr()
    out = tmp_path / "o"
    assert main(["analyze", *map(str, paths), "--out", str(out)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert (f"imu analyze: note: recordings named alike are told apart as s-1 ({paths[0]}), "
            f"s-2 ({paths[1]})") in err, err
    assert sorted(pd.read_csv(out / "session.csv")["recording"]) == ["s-1", "s-2"]
