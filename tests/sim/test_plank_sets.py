"""A simulated plank set is one set: its breaks between holds stay clear of the set rest.

``imu live --sim plank --sim-reps 6 --sim-sets 2`` gave "12 holds in 3 sets": the simulator
drew breaks of 8-15 s between one set's holds, which getting down and up again made pauses of
up to 18 s from one hold to the next, and a pause over ``set_rest_s`` (15 s) is a new set by
the analyzer's definition. Breaks are 4-10 s now (:data:`imu.sim.session.HOLD_BREAK_S`).
With them, the same command's sixth hold sagged 14 deg, below the floor's level, and was left
by a 3.9 deg rise back to rest, smaller than getting into position: the hold ran on into the
next set's first get-up, and that hold was lost
(``imu.core.segmentation.RepAssembler._back_to_rest``).
"""

from __future__ import annotations

import pytest

from imu.core.analyzer import AnalyzerParams, analyze_arrays
from imu.core.segmentation import Lobe, RepAssembler, SegmenterParams
from imu.exercises import get_profile
from imu.sim import SessionSpec, simulate_session
from imu.sim.session import HOLD_BREAK_S


@pytest.mark.parametrize(("seed", "rate", "hold_s"), [(0, 104, 45.0), (1, 52, 30.0),
                                                     (2, 52, 30.0)])
def test_six_holds_in_two_sets_are_two_sets(seed: int, rate: int, hold_s: float) -> None:
    """Seed 0 is ``imu live --sim plank --sim-reps 6 --sim-sets 2 --sim-faults
    hips_sagging=0.5,shaking=0.3``'s session."""
    sim = simulate_session(SessionSpec("plank", reps=6, sets=2, seed=seed, hold_s=hold_s,
                                       sampling_rate_hz=rate, rest_s=20.0,
                                       faults={"hips_sagging": 0.5, "shaking": 0.3}))
    truth = sim.truth
    for _, one_set in truth.groupby("set"):
        breaks = one_set["con_start_s"].to_numpy()[1:] - one_set["ecc_end_s"].to_numpy()[:-1]
        assert breaks.max() < AnalyzerParams().set_rest_s - 2.0  # clear of the set rest
        assert breaks.min() >= HOLD_BREAK_S[0]  # getting down and up come on top
    rec = sim.recording
    reps = analyze_arrays(rec.acc, rec.gyr, rec.sampling_rate_hz, get_profile("plank")).reps_
    assert len(reps) == 12
    assert sorted({r.set for r in reps}) == [1, 2]


def _lobe(sign: int, start_s: float, end_s: float, angle0: float, rotation: float,
          peak_dps: float) -> Lobe:
    fs = 100.0
    i0, i1 = round(start_s * fs), round(end_s * fs)
    return Lobe(sign=sign, run_start=i0, run_end=i1, start=float(i0), end=float(i1),
                peak_index=(i0 + i1) // 2, peak_dps=peak_dps, rotation_deg=rotation,
                angle_start_deg=angle0, angle_end_deg=angle0 + rotation,
                acc_rotation_deg=rotation)


@pytest.mark.parametrize(("angle0", "rotation", "peak", "ends"), [
    (-4.2, 3.9, 5.2, True),  # from a deep sag back to the floor's level: getting down
    (-0.2, 0.3, 6.0, False),  # shaking where the sag crosses that level: tenths of a degree
    (-4.2, 1.5, 5.2, False),  # a small rise that stops short of the floor
    (6.0, 3.9, 5.2, False),  # a pike of a hold that has not sagged: ends far above rest
])
def test_a_small_return_to_the_rest_level_ends_a_sagged_hold(
        angle0: float, rotation: float, peak: float, ends: bool) -> None:
    assembler = RepAssembler(SegmenterParams(100.0, min_velocity_dps=5.0, min_rom_deg=4.0,
                                             isometric=True))
    get_up = _lobe(1, 10.0, 11.0, 0.0, 10.0, 11.0)  # from the floor (0 deg) into position
    assert assembler.push([get_up]) == []
    done = assembler.push([_lobe(1, 40.0, 41.0, angle0, rotation, peak)])
    assert (len(done) == 1) is ends
