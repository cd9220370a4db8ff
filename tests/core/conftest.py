import pytest

from imu.core.analyzer import RepAnalyzer
from imu.evaluate.config import EvalConfig, default_cases
from imu.evaluate.sessions import draw_spec
from imu.exercises import ExerciseProfile, get_profile
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


def stream_tuning_session(
    case_name: str, seed: int, profile: ExerciseProfile | None = None
) -> tuple[SimulatedSession, RepAnalyzer]:
    """Simulate ``imu eval``'s session ``seed`` of ``case_name`` (a tuning seed) and stream it
    through a fresh analyzer in 20-sample chunks, as live data arrives.

    Args:
        case_name: an ``imu eval`` case, e.g. ``pelvic-tilt`` or ``hanging-leg-raise+pendulum``.
        seed: the session seed (0-999: tuning seeds).
        profile: the profile to analyse with (default: the case's own).

    Returns:
        The simulated session (its ``truth``) and the finished analyzer (its ``reps_``).

    """
    cases = default_cases(True)
    case = next(c for c in cases if c.name == case_name)
    spec, tempo = draw_spec(case, seed, EvalConfig(cases))
    sim = simulate_session(spec)
    rec = sim.recording
    analyzer = RepAnalyzer(profile or get_profile(case.profile), rec.sampling_rate_hz, tempo)
    for i in range(0, rec.n_samples, 20):
        analyzer.update(rec.acc[i : i + 20], rec.gyr[i : i + 20])
    analyzer.finish()
    return sim, analyzer
