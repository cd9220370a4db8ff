"""``imu simulate plank --tempo``: refused in the words of the CLI (--hold), not "hold_s"."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main


def test_a_plank_tempo_names_the_hold_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It warned "(set hold_s instead)", a field of the Python API, and simulated 45 s holds."""
    out = tmp_path / "p.parquet"
    assert main(["simulate", "plank", "--tempo", "1-30-1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "--tempo 1-30-1" in lines[0] and "give --hold 30 instead" in lines[0]
    assert "hold_s" not in err
    assert not out.exists()


def test_a_plank_tempo_with_a_short_hold_suggests_a_valid_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "plank", "--tempo", "1-2-1", "--out",
                 str(tmp_path / "p.parquet")]) == 2
    assert "give --hold 5 instead" in capsys.readouterr().err  # --hold is at least 5


def test_a_plank_with_hold_is_simulated(tmp_path: Path) -> None:
    out = tmp_path / "p.parquet"
    assert main(["simulate", "plank", "--hold", "10", "--sets", "1", "--reps", "1",
                 "--out", str(out)]) == 0
    assert out.exists()
