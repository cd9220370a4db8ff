"""``imu analyze`` of several files: one that cannot be analysed is skipped, not fatal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from tests.io.helpers import synthetic_samples

BUNDLED = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def test_a_too_short_file_is_skipped_and_the_others_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short = tmp_path / "one_sec.csv"
    synthetic_samples().head(50).to_csv(short, index=False)
    out = tmp_path / "m"
    argv = ["analyze", str(BUNDLED), str(short), str(tmp_path / "gone.csv"),
            "-e", "reverse-crunch", "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"skipped {short}: too short to analyse" in err
    assert f"skipped {tmp_path / 'gone.csv'}:" in err
    assert "2 recordings skipped, 1 analysed" in err
    assert "Traceback" not in err
    sessions = pd.read_csv(out / "session.csv")
    assert len(sessions) == 1 and (out / "report.html").exists()


def test_nothing_analysable_is_an_error(tmp_path: Path, capsys) -> None:
    short = tmp_path / "one_sec.csv"
    synthetic_samples().head(50).to_csv(short, index=False)
    argv = ["analyze", str(short), str(tmp_path / "gone.csv"), "-e", "reverse-crunch",
            "--out", str(tmp_path / "m")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "none of the 2 recordings could be analysed" in err
    assert not (tmp_path / "m" / "reps.csv").exists()


def test_the_recorded_exercise_note_names_the_profile_not_the_spelling(tmp_path, capsys):
    """Found in a new-user trial: '--exercise Standing_Curl' was echoed as typed."""
    from imu.cli import main
    from imu.io import write_recording
    from imu.sim import SessionSpec, simulate_session

    rec = simulate_session(SessionSpec("plank", reps=1, sets=1, seed=3)).recording
    write_recording(rec, tmp_path / "p.parquet")
    main(["analyze", str(tmp_path / "p.parquet"), "--exercise", "Reverse_Crunch", "--out",
          str(tmp_path / "r")])
    err = " ".join(capsys.readouterr().err.split())
    assert "analysing it as 'reverse-crunch' as asked" in err
