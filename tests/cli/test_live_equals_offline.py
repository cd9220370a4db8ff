"""``imu live --sim``, ``imu analyze`` and ``imu replay`` of one session: the same reps table.

The recording is the one the live session wrote; the live session's saved tables are its own
analyzer's reps (what the person saw), not a re-analysis. Every column is compared cell for
cell (exact, NaN equal to NaN).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main

CASES = {
    # a clean set, and one with lost frames and a reconnection in the middle of it
    "reverse-crunch": ["--sim-reps", "5", "--sim-sets", "2", "--sim-seed", "3"],
    "reverse-hip-raise-drops-disconnect": ["--sim-reps", "8", "--sim-drop", "0.03",
                                           "--sim-disconnect-at", "25", "--sim-seed", "4"],
}
EXERCISE = {"reverse-crunch": "reverse-crunch",
            "reverse-hip-raise-drops-disconnect": "reverse-hip-raise"}


def _differing_columns(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b), f"{len(a)} reps vs {len(b)}"
    return [c for c in a.columns if not a[c].equals(b[c])]


@pytest.mark.parametrize("case", list(CASES))
def test_live_analyze_and_replay_give_the_same_reps(case, tmp_path: Path, capsys):
    exercise = EXERCISE[case]
    live_out, analyzed_dir, replay_out = tmp_path / "live", tmp_path / "an", tmp_path / "rp"
    live_dir, replayed_dir = live_out / "s", replay_out / "r"  # each session's reports folder
    assert main(["live", "-e", exercise, "--sim", exercise, *CASES[case], "--speed", "40",
                 "--plain", "--out", str(live_out), "--name", "s"]) == 0
    shown = capsys.readouterr().out
    recording = live_out / "s.parquet"
    assert main(["analyze", str(recording), "--out", str(analyzed_dir)]) == 0
    assert main(["replay", str(recording), "--speed", "40", "--plain", "--out",
                 str(replay_out), "--name", "r"]) == 0
    capsys.readouterr()

    live = pd.read_parquet(live_dir / "reps.parquet")
    assert len(live) >= 4
    # The saved table holds the reps shown live, in the order shown.
    seen = [(int(s), int(r)) for r, s in re.findall(r"^rep (\d+) \(set (\d+)", shown, re.M)]
    assert seen == list(zip(live["set"], live["rep"], strict=True))
    for name, other_dir in (("analyze", analyzed_dir), ("replay", replayed_dir)):
        other = pd.read_parquet(other_dir / "reps.parquet")
        differing = _differing_columns(live, other)
        assert not differing, f"imu {name} differs from imu live in columns {differing}"
        pd.testing.assert_frame_equal(live, other, check_exact=True)
        pd.testing.assert_frame_equal(
            pd.read_parquet(live_dir / "sets.parquet"),
            pd.read_parquet(other_dir / "sets.parquet"),
            check_exact=True,
        )
        # A replay is a new session (its own start time), otherwise the same.
        ignore = ["date"] if name == "replay" else []
        pd.testing.assert_frame_equal(
            pd.read_parquet(live_dir / "session.parquet").drop(columns=ignore),
            pd.read_parquet(other_dir / "session.parquet").drop(columns=ignore),
            check_exact=True,
        )
