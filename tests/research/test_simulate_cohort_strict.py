"""``imu simulate-cohort --exercise standing-curl`` speaks of hip drives, not of eccentrics.

A standing strict lift is told from the hip by its hip drives alone, with no tempo (the
pelvis should stay still; the eccentric is the arms', not seen at the hip). The command still
said "12 sessions of 2 participants over 2 weeks (1 improving their eccentric), standing-curl
at 3-1-3": what its improvers do that the analysis sees is drive with the hips less often,
and the tempo in the manifest is never applied to a hip drive.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main

SMALL = ["--reps", "2", "--rate", "26", "--participants", "2", "--weeks", "2"]


def _summary(tmp_path: Path, capsys: pytest.CaptureFixture[str], exercise: str) -> str:
    assert main(["simulate-cohort", str(tmp_path / exercise), "--exercise", exercise,
                 *SMALL]) == 0
    out = " ".join(capsys.readouterr().out.split())
    return out[out.index(" sessions of "):out.index("next: ")]


def test_a_strict_lift_cohort_is_told_by_its_hip_drives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _summary(tmp_path, capsys, "standing-curl")
    assert "improving: fewer hip drives" in line, line
    assert "eccentric" not in line and "at 3-1-3" not in line, line
    assert ("standing-curl, a standing strict lift told by its hip drives (the manifest's "
            "tempo 3-1-3 does not apply: a hip drive has no tempo)") in line, line
    # What the improvers change is what the line says: they swing (drive) less.
    design = pd.read_csv(tmp_path / "standing-curl" / "cohort.csv")
    improvers = design[design["improver"]]
    assert len(improvers) and improvers["swing_rate"].iloc[-1] < improvers["swing_rate"].iloc[0]


def test_other_cohorts_keep_their_eccentric_and_tempo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _summary(tmp_path, capsys, "reverse-crunch")
    assert "improving their eccentric" in line and "reverse-crunch at 3-1-3" in line, line
    assert "hip drive" not in line
    plank = _summary(tmp_path, capsys, "plank")
    assert "improving their holds" in plank and "plank at 1-45-1" in plank, plank


def test_the_help_says_what_a_strict_lift_cohort_draws(
    capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["simulate-cohort", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "standing-curl: who drive the weight with the hips less often" in text
    assert ("A standing strict lift (standing-curl) is told from the hip by its hip drives "
            "alone, with no tempo") in text
