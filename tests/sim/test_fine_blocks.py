"""The simulator turns its fine grid into sensor readings a block at a time, bit for bit.

A 2-hour session's rotation matrices and positions on the 1 kHz grid, all at once, took
2.7 GB (trial 22); block by block 1.3 GB. The central differences at each block's edges read
its neighbours' samples, so the blocks must give exactly the whole array's values, whatever
the block (a last block of one sample included).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import imu.sim.session as session
from imu.sim import SessionSpec, kinematics, simulate_session


@pytest.mark.parametrize("hanging", [False, True])
@pytest.mark.parametrize("block", [1, 2, 7, 64, 996, 1000])  # 996: a last block of 1
def test_blocks_give_the_whole_arrays_values(hanging: bool, block: int,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    n, rate = 997, 1040.0
    t = np.arange(n) / rate
    angles = np.column_stack([0.6 * np.sin(2.0 * t), 0.1 * np.sin(3.0 * t + 1.0),
                              0.05 * np.cos(5.0 * t)])
    height = 0.02 * np.sin(1.5 * t)
    swing = 0.2 * np.sin(3.3 * t) if hanging else None
    base = kinematics.posture_rotation("upright" if hanging else "supine", 0.4)
    lever = rng.normal(0.0, 0.1, 3)
    mounting = Rotation.random(rng=rng)

    whole_angles = angles.copy()
    pivot = np.outer(height, kinematics.WORLD_UP)
    if swing is not None:
        whole_angles[:, 0] += swing
        pivot = pivot + kinematics.hanging_offset(base, swing, 0.9)
    omega = kinematics.body_angular_velocity(
        whole_angles, np.gradient(whole_angles, 1.0 / rate, axis=0))
    want_acc, want_gyr = kinematics.ideal_imu(kinematics.pelvis_matrices(base, whole_angles),
                                              omega, pivot, lever, mounting, 1.0 / rate)

    monkeypatch.setattr(session, "FINE_BLOCK", block)
    acc, gyr = session._fine_imu(whole_angles, height, swing, 0.9, base, lever, mounting, rate)
    np.testing.assert_array_equal(acc, want_acc)
    np.testing.assert_array_equal(gyr, want_gyr)


def test_a_session_is_the_same_whatever_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SessionSpec("hanging-leg-raise", sets=1, reps=3, seed=4, body_pendulum=True)
    one = simulate_session(spec)
    monkeypatch.setattr(session, "FINE_BLOCK", 4096)
    blocks = simulate_session(spec)
    np.testing.assert_array_equal(one.recording.acc, blocks.recording.acc)
    np.testing.assert_array_equal(one.recording.gyr, blocks.recording.gyr)
    assert one.truth.equals(blocks.truth)
