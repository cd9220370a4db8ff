"""``imu replay`` of a recording that names no exercise gives the choices (trial 24).

It said "pass --exercise" alone, where ``imu analyze`` lists the exercises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.exercises import PROFILES
from imu.io.recording import read_recording, write_recording
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def test_replay_lists_the_exercises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = write_recording(read_recording(RECORDING).with_meta(exercise=None),
                          tmp_path / "no_exercise.parquet")
    assert main(["replay", str(rec), "--out", str(tmp_path / "x")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"pass --exercise (one of: {', '.join(PROFILES)})" in line, line
