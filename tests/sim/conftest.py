"""Shared simulated sessions (package-scoped: each simulation takes ~0.5 s)."""

from __future__ import annotations

import pytest
from scipy.spatial.transform import Rotation

from imu.sim import SimulatedSession, simulate_session
from tests.sim.helpers import ideal_spec


@pytest.fixture(scope="package")
def crunch_still() -> SimulatedSession:
    """Reverse crunch, no micro-motion, no lever arm: the accelerometer sees only gravity."""
    return simulate_session(
        ideal_spec("reverse-crunch", micro_motion=False, lever_arm_m=(0.0, 0.0, 0.0),
                   mounting=Rotation.from_euler("xyz", [20, -35, 110], degrees=True))
    )


@pytest.fixture(scope="package")
def crunch_faults() -> SimulatedSession:
    """Reverse crunch with many faults, noise-free."""
    return simulate_session(
        ideal_spec("reverse-crunch", reps=12, sets=2,
                   faults={"swing": 0.35, "dropped_eccentric": 0.3, "partial_rom": 0.2,
                           "short_hold": 0.2})
    )
