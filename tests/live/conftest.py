"""Fixtures for the live-session tests: real reps from a bundled recording, scripted events."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.core import RepAnalyzer
from imu.core.metrics import Rep
from imu.exercises import get_profile
from imu.io.recording import read_recording
from imu.tempo import parse_tempo

ROOT = Path(__file__).resolve().parents[2]
CRUNCH_TEMPO = parse_tempo("3-1-3")


@pytest.fixture(scope="session")
def crunch_reps() -> list[Rep]:
    """The bundled reverse crunch (2 x 6 reps at 3-1-3, swings and dropped eccentrics)."""
    rec = read_recording(ROOT / "recordings" / "reverse_crunch.parquet")
    analyzer = RepAnalyzer(get_profile("reverse-crunch"), rec.sampling_rate_hz, CRUNCH_TEMPO)
    reps = analyzer.update(rec.acc, rec.gyr) + analyzer.finish()
    assert len(reps) == 12
    return reps
