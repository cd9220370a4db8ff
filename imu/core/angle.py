"""The pelvic angle about the movement axis: one causal step of the analyzer.

Gyro integration fused with the accelerometer's inclination about the same axis by a
complementary filter with time constant ``time_constant_s``: the gyro gives the shape of a
movement, gravity anchors the level, so drift stays bounded over any session length. The
accelerometer is weighted by how well it sees the axis (not at all when the axis is vertical).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from imu.core import kernels
from imu.core.axis import BodyAxes

FloatArray = npt.NDArray[np.float64]


class PelvicAngle:
    """Complementary filter on the rate about the axis and the accelerometer inclination.

    Args:
        axes: the session's axes.
        dt_s: sample period, s.
        time_constant_s: time constant of the complementary filter, s.

    """

    def __init__(self, axes: BodyAxes, dt_s: float, time_constant_s: float) -> None:
        self.axes = axes
        self.dt_s = dt_s
        k = min(1.0, dt_s / time_constant_s)
        r0 = axes.ref_perp
        self._k_eff = k * float(np.dot(r0, r0))
        self._axis = np.ascontiguousarray(axes.axis, dtype=np.float64)
        self._ref = np.ascontiguousarray(r0, dtype=np.float64)
        self._zi: FloatArray | None = None
        self._acc_prev: float | None = None

    def inclination(self, acc_lp: FloatArray) -> FloatArray:
        """The accelerometer's inclination about the axis, shape (m,), degrees, unwrapped."""
        # Rotating the pelvis by +a about the axis turns the up vector, seen from the sensor,
        # by -a: (ref x up) . axis and up . ref (imu.core.kernels.inclination_terms).
        m = len(acc_lp)
        sin_a, cos_a = np.empty(m), np.empty(m)
        kernels.inclination_terms(np.ascontiguousarray(acc_lp, dtype=np.float64),
                                  self._axis, self._ref, sin_a, cos_a)
        acc_angle = -np.degrees(np.arctan2(sin_a, cos_a))
        if self._acc_prev is not None:
            # Unwrap only when a step crosses +-180 deg (np.unwrap leaves smaller steps alone).
            step = np.diff(acc_angle, prepend=self._acc_prev)
            if not (np.abs(step) < 180.0).all():
                acc_angle = np.unwrap(np.concatenate(([self._acc_prev], acc_angle)),
                                      period=360.0)[1:]
        self._acc_prev = float(acc_angle[-1])
        return np.asarray(acc_angle, dtype=np.float64)

    def fuse(self, w_deg: FloatArray, acc_angle: FloatArray) -> FloatArray:
        """The fused angle, shape (m,), degrees.

        Args:
            w_deg: shape (m,), angular velocity about the axis, deg/s.
            acc_angle: shape (m,), the accelerometer's inclination (:meth:`inclination`), deg.

        """
        k = self._k_eff
        xin = (1.0 - k) * w_deg * self.dt_s + k * acc_angle
        if self._zi is None:
            self._zi = np.array([acc_angle[0] * (1.0 - k) if k else 0.0])
        # lfilter([1], [1, -(1 - k)], xin) as a compiled loop (the same bits).
        y = np.empty(len(xin))
        kernels.one_pole(np.ascontiguousarray(xin, dtype=np.float64), -(1.0 - k), self._zi, y)
        return y


__all__ = ["PelvicAngle"]
