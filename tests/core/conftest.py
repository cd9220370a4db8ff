import pytest

from imu.sim import SessionSpec, SimulatedSession, simulate_session
from imu.tempo import Tempo


@pytest.fixture(scope="session")
def crunch_session() -> SimulatedSession:
    """A short reverse-crunch session with swings, lost frames and noise (52 Hz)."""
    return simulate_session(
        SessionSpec(
            "reverse-crunch",
            tempo=Tempo(2, 1, 2),
            reps=5,
            sets=2,
            rest_s=20.0,
            sampling_rate_hz=52,
            seed=11,
            faults={"swing": 0.3, "dropped_eccentric": 0.2},
            packet_loss=0.03,
        )
    )
