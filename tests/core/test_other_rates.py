"""Rates the simulator never produces: the analyzer's constants are in seconds and degrees.

The simulator draws only the IMU output data rates (26-833 Hz); phones and other sensors give
50, 60, 100 or 200 Hz. A session resampled to such a rate (polyphase, the signal unchanged)
must give the same count, with phase times as close to the truth as at the simulator's rate.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.signal import resample_poly

from imu.core import Rep, RepAnalyzer
from imu.exercises import get_profile
from imu.sim import SessionSpec, simulate_session
from imu.tempo import Tempo

TEMPO = Tempo(3, 1, 3)


def stream(profile: str, acc: np.ndarray, gyr: np.ndarray, rate_hz: float) -> list[Rep]:
    """Reps of ``acc``/``gyr`` (n, 3) at ``rate_hz``, fed in 20-sample chunks."""
    analyzer = RepAnalyzer(get_profile(profile), rate_hz, TEMPO)
    reps: list[Rep] = []
    for a in range(0, len(acc), 20):
        reps += analyzer.update(acc[a:a + 20], gyr[a:a + 20])
    return reps + analyzer.finish()


@pytest.mark.parametrize(("source_hz", "rate_hz"), [(52, 50), (52, 60), (104, 100), (208, 200)])
@pytest.mark.parametrize("exercise", ["reverse-crunch", "hanging-leg-raise"])
def test_count_and_onsets_hold_at_rates_the_simulator_never_makes(
    exercise: str, source_hz: int, rate_hz: int
) -> None:
    sim = simulate_session(SessionSpec(exercise, tempo=TEMPO, reps=6, sets=1,
                                       sampling_rate_hz=source_hz, seed=3))
    ratio = Fraction(rate_hz, source_hz)
    acc, gyr = (resample_poly(x, ratio.numerator, ratio.denominator, axis=0)
                for x in (sim.recording.acc, sim.recording.gyr))
    reps = stream(exercise, acc, gyr, float(rate_hz))
    assert len(reps) == len(sim.truth)
    onset_error_s = np.abs(np.array([r.con_start_s for r in reps])
                           - sim.truth["con_start_s"].to_numpy())
    assert float(np.median(onset_error_s)) < 0.1
