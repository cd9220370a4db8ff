"""Fixtures for the report tests: one generated session analysed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.io.recording import Recording, write_recording
from imu.report import SessionReport, analyze_recording
from tests.report.helpers import make_recording


@pytest.fixture(scope="session")
def recording() -> Recording:
    """Two sets (6 and 5 reps) of 2-1-2 reverse crunches, 40 deg, 1 s bottom pause."""
    return make_recording()


@pytest.fixture(scope="session")
def report(recording: Recording) -> SessionReport:
    return analyze_recording(recording, "reverse-crunch")


@pytest.fixture(scope="session")
def recording_file(recording: Recording, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_recording(recording, tmp_path_factory.mktemp("rec") / "session.parquet")
