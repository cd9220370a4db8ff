"""Helpers shared by the simulator tests."""

from __future__ import annotations

import numpy as np

from imu.sim import SessionSpec, SimulatedSession


def pelvis_gyr(session: SimulatedSession) -> np.ndarray:
    """Noise-free angular velocity in the pelvis frame on the output grid, rad/s."""
    return session.mounting.apply(session.gyr_ideal)


def pelvis_acc(session: SimulatedSession) -> np.ndarray:
    """Noise-free specific force in the pelvis frame on the output grid, m/s^2."""
    return session.mounting.apply(session.acc_ideal)


def ideal_spec(exercise: str, **kw: object) -> SessionSpec:
    """A noise-free, unquantised spec with short rests."""
    base: dict[str, object] = dict(
        sets=1, reps=6, rest_s=10.0, seed=11, noise=False, quantize=False,
        sampling_rate_hz=208,
    )
    base.update(kw)
    return SessionSpec(exercise, **base)  # type: ignore[arg-type]
