"""The hanging body's swing about the bar, taken out of the pelvic rate: one causal step.

Hanging from a bar, the whole body swings as a physical pendulum (period 1.5-2.5 s) and the
gyroscope on the pelvis reads that swing on top of the pelvic curl, about the same axis. The
accelerometer tells the two apart: the pelvis' centre moves on a circle about the bar, so
gravity's direction in the sensor follows the pelvis' orientation *relative to the hanging
body* and sees little of the swing (exactly none when the pelvis sits at the pendulum's centre
of percussion, a fraction ``1 - L / l_eff`` of it otherwise, with ``L`` the distance from the
bar and ``l_eff`` the equivalent simple-pendulum length: about a quarter for a straight body
hanging by the hands, -0.2 to 0.3 in the simulator).
The curl turns both alike. So, in the accelerometer's band,

    pendulum rate = gyro rate about the axis - rate of the accelerometer's inclination,

and the pelvic rate is the gyro rate less that pendulum rate. Both terms of the difference are
filtered by the same low-pass (the accelerometer's, ``acc_sos``), and the segmentation-band
rate is delayed to the same group delay before the pendulum rate is taken out: a misaligned
subtraction would leave a third of a 0.5 Hz swing behind. Everything downstream of this step
(angle, lobes, phases, quantities) therefore runs ``delay_samples`` later; the analyzer adds the
delay to the one it subtracts from reported times.

While the pelvis itself moves fast (:data:`MOVING_RATE_DPS`), its angular acceleration and rate
act on the sensor's lever arm and tilt the accelerometer, and the difference above reads that
tilt as swing; the pelvic rate then keeps the gyro's whole rate (the swing's rate with it, and
any residual gyro bias) rather than take out an error of tens of deg/s.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from imu.core.stream import SosFilter

FloatArray = npt.NDArray[np.float64]

LEVEL_TIME_CONSTANT_S = 4.0
"""Time constant of the high-pass on the pendulum rate, s. A body hanging from a bar swings
about the vertical, so the swing's angle has no lasting slope; a residual gyro bias (the bias is
only known once the person has been still, and a hanging set may start before that) would
integrate into one, 2.5 deg/s read as a 7.5 deg swing over a 3 s window. Integrated with this
leak, a constant rate settles into an offset instead, while a 1.5-2.5 s swing keeps 99.5% of
its amplitude (gain ``w tau / sqrt(1 + (w tau)^2)``)."""


MOVING_RATE_DPS = 40.0
"""Above this rate of the accelerometer's inclination the pelvis itself is moving (a hanging
swing turns the inclination by only the share the accelerometer sees, well under this), deg/s.
The pelvis' angular acceleration and rate then act on the sensor's lever arm (tangential
``alpha r``, centripetal ``omega^2 r``) and tilt the accelerometer's gravity, which the pendulum
rate (gyro less inclination rate) would read as swing: tens of deg/s for a fast rep."""

SETTLE_S = 0.3
"""After the inclination rate falls under :data:`MOVING_RATE_DPS`, the accelerometer's
low-pass still carries the movement's lever-arm error this long, s."""


class PendulumSplit:
    """Splits the rate about the movement axis into pelvic curl and whole-body swing.

    Args:
        acc_sos: the accelerometer's low-pass, shape (n_sections, 6) (the inclination's band).
        delay_samples: the accelerometer low-pass' group delay less the segmentation band's,
            in samples (>= 0): how long the segmentation-band channels are held back.
        fs: sampling rate, Hz.

    """

    def __init__(self, acc_sos: FloatArray, delay_samples: int, fs: float) -> None:
        if delay_samples < 0:
            raise ValueError(f"delay_samples must be >= 0, got {delay_samples}")
        self._lp = SosFilter(acc_sos)
        self.delay_samples = delay_samples
        self._fs = fs
        self._held: FloatArray | None = None  # the last delay_samples rows, shape (d, channels)
        self._incl_prev: float | None = None
        # First-order high-pass on the pendulum rate: (1 - z^-1) / (1 - a z^-1).
        self._leak = float(np.exp(-1.0 / (LEVEL_TIME_CONSTANT_S * fs)))
        self._level_state = np.zeros(1)
        self._still_for = 10**9  # samples since the pelvis last moved

    def __call__(
        self, band: FloatArray, rate_deg: FloatArray, inclination_deg: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Pelvic channels and the pendulum rate for the next chunk.

        Args:
            band: shape (m, c): channels to delay by ``delay_samples`` (the segmentation-band
                rate about the axis, deg/s, in column 0; the first chunk's zeros fill the
                delay).
            rate_deg: shape (m,), bias-corrected gyro rate about the axis, unfiltered, deg/s.
            inclination_deg: shape (m,), the accelerometer's inclination about the axis in the
                accelerometer's band, unwrapped, degrees.

        Returns:
            ``band`` delayed, with the pendulum rate taken out of column 0 while the pelvis
            is still, shape (m, c); the pendulum rate, shape (m,), deg/s, at the same delay,
            high-passed (:data:`LEVEL_TIME_CONSTANT_S`) so that its integral, the swing's
            angle, has no lasting slope; and 1.0 where the pelvis moves (the inclination
            turns faster than :data:`MOVING_RATE_DPS`, or did within :data:`SETTLE_S`),
            else 0.0, shape (m,): there the pendulum rate carries the lever arm's error and
            column 0 keeps the gyro's whole rate.

        """
        m = len(band)
        if m == 0:
            return band.copy(), np.empty(0), np.empty(0)
        if self._held is None:
            self._held = np.zeros((self.delay_samples, band.shape[1]))
        joined = np.concatenate((self._held, band))
        out = joined[:m].copy()
        self._held = joined[m:]
        gyro_lp = self._lp(rate_deg[:, None])[:, 0]
        prev = inclination_deg[0] if self._incl_prev is None else self._incl_prev
        incl_rate = np.diff(inclination_deg, prepend=prev) * self._fs
        self._incl_prev = float(inclination_deg[-1])
        pendulum = gyro_lp - incl_rate
        moving = self._moving(incl_rate)
        # While the pelvis is still, the pelvic rate loses the whole pendulum rate (a residual
        # bias is in both terms and cancels); while it moves, the lever arm's error would be
        # taken out with it, so the gyro's rate is kept (with the swing's rate and any residual
        # bias: a few deg/s against 40 and more). The swing's own channel loses its lasting
        # level.
        out[:, 0] -= np.where(moving, 0.0, pendulum)
        swing, self._level_state = lfilter(
            [1.0, -1.0], [1.0, -self._leak], pendulum, zi=self._level_state
        )
        return out, np.asarray(swing, dtype=np.float64), moving.astype(np.float64)

    def _moving(self, incl_rate: FloatArray) -> npt.NDArray[np.bool_]:
        """Where the pelvis moves: fast inclination now or within :data:`SETTLE_S` (causal)."""
        m = len(incl_rate)
        index = np.arange(m)
        last = np.maximum.accumulate(np.where(np.abs(incl_rate) > MOVING_RATE_DPS, index, -1))
        since = np.where(last >= 0, index - last, self._still_for + index + 1)
        self._still_for = int(since[-1])
        return since <= round(SETTLE_S * self._fs)


__all__ = ["PendulumSplit"]
