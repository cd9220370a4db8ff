"""``imu progress FOLDER --exercise E`` picks E's sessions (new-user trial 22).

The page's own hint ("Also trained: reverse-crunch; make their page with --exercise") led to a
reverse-crunch page of six sessions, four of them planks read as reverse crunches: on a folder
of recordings, ``--exercise`` overrode every recording's own exercise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main


def test_exercise_picks_the_recordings_of_that_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pk"
    for seed, day in ((1, "02"), (2, "04")):
        assert main(["simulate", "plank", "--hold", "20", "--reps", "2", "--sets", "1",
                     "--seed", str(seed), "--participant", "me", "--date", f"2026-11-{day}",
                     "--out", str(folder / f"p{seed}.parquet")]) == 0
    assert main(["simulate", "reverse-crunch", "--tempo", "3-1-3", "--reps", "4", "--sets",
                 "1", "--seed", "3", "--participant", "me", "--date", "2026-11-12",
                 "--out", str(folder / "s3.parquet")]) == 0
    capsys.readouterr()
    out = tmp_path / "page"
    assert main(["progress", str(folder), "-e", "reverse-crunch", "--out", str(out)]) == 0
    weekly = pd.read_csv(out / "progress_weekly.csv")
    assert weekly["sessions"].sum() == 1  # the crunch session alone, no plank read as one
    text = " ".join(capsys.readouterr().out.split())
    assert "looks like a plank" not in text
