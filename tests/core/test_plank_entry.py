"""Getting into a plank in two parts (from the knees, one leg at a time).

Found on the second generator (``imu/evaluate/second.py``), whose planks are entered from the
floor or from the knees: the hold started after the first leg's step, so the second step's
tilt read as the hold's drift, a pike on almost every such hold.
"""

import numpy as np
import pytest

from imu.core import RepAnalyzer
from imu.core.metrics import Rep
from imu.evaluate.second import generate
from imu.evaluate.sessions import stream_reps
from imu.exercises import get_profile
from imu.io import Recording
from imu.sim import SessionSpec


def _streamed_holds(rec: Recording) -> list[Rep]:
    """The plank holds of ``rec``, streamed in 20-sample chunks as live data arrives."""
    analyzer = RepAnalyzer(get_profile("plank"), rec.sampling_rate_hz)
    return stream_reps(analyzer, rec.acc, rec.gyr, 20)


@pytest.mark.parametrize("seed", [4, 6])
def test_a_hold_entered_one_leg_at_a_time_starts_after_the_second_leg(seed: int) -> None:
    spec = SessionSpec("plank", seed=seed, reps=2, sets=2, rest_s=20.0, hold_s=30.0,
                       sampling_rate_hz=104)
    gen = generate(spec)
    truth, rec = gen.truth, gen.recording
    assert (truth["family"] == "knees").all()
    holds = _streamed_holds(rec)
    assert len(holds) == len(truth)
    # A hold's truth runs from con_start_s (in position) to ecc_end_s (getting down starts);
    # the analyzer's hold from con_end_s to ecc_start_s (docs/simulator.md).
    starts = np.array([h.con_end_s for h in holds])
    ends = np.array([h.ecc_start_s for h in holds])
    drifts = np.array([h.drift_deg for h in holds])
    assert np.abs(starts - truth["con_start_s"].to_numpy()).max() < 0.3
    assert np.abs(ends - truth["ecc_end_s"].to_numpy()).max() < 2.0
    assert np.abs(drifts - truth["drift_deg"].to_numpy()).max() < 2.5
    piking = ["hips_piking" in h.faults for h in holds]
    assert piking == list(truth["hips_piking"].astype(bool))


@pytest.mark.parametrize("seed", [1, 13, 31])
def test_lying_down_after_resting_on_the_knees_is_not_a_hold(seed: int) -> None:
    """The first set is got into from the knees, the second from the floor: in the rest
    between them the person lies down, a tilt as large as getting into a plank. Before, that
    rest posture read as the second set's first hold, and the real get-up 10 s later ended
    it, so the real hold was missed and the floor counted instead."""
    spec = SessionSpec("plank", seed=seed, reps=2, sets=2, rest_s=20.0, hold_s=30.0,
                       sampling_rate_hz=104)
    gen = generate(spec)
    truth, rec = gen.truth, gen.recording
    assert list(truth["family"]) == ["knees", "knees", "floor", "floor"]
    holds = _streamed_holds(rec)
    assert len(holds) == len(truth)
    starts = np.array([h.con_end_s for h in holds])
    assert np.abs(starts - truth["con_start_s"].to_numpy()).max() < 0.5
    assert [h.set for h in holds] == list(truth["set"])
