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

While the pelvis itself moves fast or speeds up or slows down sharply (:data:`MOVING_RATE_DPS`,
:data:`MOVING_ACCELERATION_DPS2`), its angular acceleration and rate
act on the sensor's lever arm and tilt the accelerometer, and the difference above reads that
tilt as swing; the pelvic rate then keeps the gyro's whole rate (the swing's rate with it, and
any residual gyro bias) rather than take out an error of tens of deg/s.

The swing's own channel is the same difference taken from the raw gyro, less its own slowly
moving level (:data:`LEVEL_TIME_CONSTANT_S`): the swing has no lasting slope, so its level is
the gyro bias, whatever the analyzer's bias estimate says at the time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from imu.core.stream import SosFilter

FloatArray = npt.NDArray[np.float64]

LEVEL_TIME_CONSTANT_S = 4.0
"""Time constant of the high-pass on the swing's rate, s. A body hanging from a bar swings
about the vertical, so the swing's angle has no lasting slope, and the swing's channel takes
its own gyro bias out: the level it removes is the mean of the rate so far over the first
``LEVEL_TIME_CONSTANT_S`` (a constant bias is gone from the first samples, not settled over
seconds from zero), then an exponential mean with this time constant, under which a 1.5-2.5 s
swing keeps 99.5% of its amplitude (gain ``w tau / sqrt(1 + (w tau)^2)``). The channel reads
the raw gyro, not the analyzer's bias estimate: before the person was ever still that estimate
is a long mean over the reps themselves (:mod:`imu.core.stillness`), which rises and falls by
deg/s with every curl, and a hanging set that never stops swinging never gets a better one;
integrated, that read as a swing of 5-15 deg."""


MOVING_RATE_DPS = 40.0
"""Above this rate of the accelerometer's inclination the pelvis itself is moving (a hanging
swing turns the inclination by only the share the accelerometer sees, well under this), deg/s.
The pelvis' angular acceleration and rate then act on the sensor's lever arm (tangential
``alpha r``, centripetal ``omega^2 r``) and tilt the accelerometer's gravity, which the pendulum
rate (gyro less inclination rate) would read as swing: tens of deg/s for a fast rep."""

MOVING_ACCELERATION_DPS2 = 100.0
"""Above this angular acceleration of the accelerometer's inclination the pelvis itself is
speeding up or slowing down (at the top and the bottom of a rep, where the rate alone passes
for stillness), deg/s^2. The inclination sees at most about a third of a hanging swing, whose
own angular acceleration peaks near 140 deg/s^2 (8 deg at a 1.5 s period), so a swing stays
under this; while the pelvis accelerates at this rate, a sensor 10 cm from its pivot reads a
tangential ``alpha r`` that tilts gravity by a degree, and that tilt would be read as swing.
Tuning seeds 0-99 of both hanging cases: swing F1 0.925 -> 0.958 (body still) and
0.840 -> 0.875 (swinging); 60 deg/s^2 took the swinging body's pendulum for pelvic movement
(partial ROM 0.961 -> 0.906), 200 changed little."""

SETTLE_S = 0.3
"""After the inclination rate falls under :data:`MOVING_RATE_DPS` (and its acceleration under
:data:`MOVING_ACCELERATION_DPS2`), the accelerometer's
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
        self._rate_prev: float | None = None  # the last inclination rate, deg/s
        # The swing's level: the mean so far for the first warm_n samples, then an
        # exponential mean (weight 1 - leak per sample, about 1 / warm_n: they meet).
        self._leak = float(np.exp(-1.0 / (LEVEL_TIME_CONSTANT_S * fs)))
        self._warm_n = max(round(LEVEL_TIME_CONSTANT_S * fs), 1)
        self._seen = 0  # samples of the swing's rate seen so far
        self._level_sum = 0.0  # their sum while warming up, deg/s x samples
        self._level = 0.0  # the level taken out of the next sample, deg/s
        self._still_for = 10**9  # samples since the pelvis last moved

    def __call__(
        self, band: FloatArray, rate_deg: FloatArray, inclination_deg: FloatArray,
        bias_deg: FloatArray,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Pelvic channels and the pendulum rate for the next chunk.

        Args:
            band: shape (m, c): channels to delay by ``delay_samples`` (the segmentation-band
                rate about the axis, deg/s, in column 0; the first chunk's zeros fill the
                delay).
            rate_deg: shape (m,), bias-corrected gyro rate about the axis, unfiltered, deg/s.
            inclination_deg: shape (m,), the accelerometer's inclination about the axis in the
                accelerometer's band, unwrapped, degrees.
            bias_deg: shape (m,), the bias taken out of ``rate_deg``, deg/s: the swing's
                channel puts it back and takes out its own level instead
                (:data:`LEVEL_TIME_CONSTANT_S`).

        Returns:
            ``band`` delayed, with the pendulum rate taken out of column 0 while the pelvis
            is still, shape (m, c); the swing's rate, shape (m,), deg/s, at the same delay:
            the pendulum rate from the raw gyro, less its own level
            (:data:`LEVEL_TIME_CONSTANT_S`), so that its integral, the swing's angle, has no
            lasting slope; and 1.0 where the pelvis moves (the inclination
            turns faster than :data:`MOVING_RATE_DPS` or its rate changes faster than
            :data:`MOVING_ACCELERATION_DPS2`, now or within :data:`SETTLE_S`),
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
        both = self._lp(np.column_stack((rate_deg, rate_deg + bias_deg)))
        gyro_lp, raw_lp = both[:, 0], both[:, 1]
        prev = inclination_deg[0] if self._incl_prev is None else self._incl_prev
        incl_rate = np.diff(inclination_deg, prepend=prev) * self._fs
        self._incl_prev = float(inclination_deg[-1])
        pendulum = gyro_lp - incl_rate
        prev_rate = incl_rate[0] if self._rate_prev is None else self._rate_prev
        incl_accel = np.diff(incl_rate, prepend=prev_rate) * self._fs
        self._rate_prev = float(incl_rate[-1])
        moving = self._moving((np.abs(incl_rate) > MOVING_RATE_DPS)
                              | (np.abs(incl_accel) > MOVING_ACCELERATION_DPS2))
        # While the pelvis is still, the pelvic rate loses the whole pendulum rate (a residual
        # bias is in both terms and cancels); while it moves, the lever arm's error would be
        # taken out with it, so the gyro's rate is kept (with the swing's rate and any residual
        # bias: a few deg/s against 40 and more). The swing's own channel is the same
        # difference from the raw gyro, less its own level.
        out[:, 0] -= np.where(moving, 0.0, pendulum)
        swing = self._unlevel(raw_lp - incl_rate)
        return out, swing, moving.astype(np.float64)

    def _unlevel(self, x: FloatArray) -> FloatArray:
        """``x`` (shape (m,), deg/s) less its level, shape (m,).

        The level is the mean of the samples before each one for the first ``warm_n``
        samples, then an exponential mean.
        """
        m = len(x)
        level = np.empty(m)
        k = min(max(self._warm_n - self._seen, 0), m)  # samples still warming up
        if k:
            # Summed one sample after another from the state (lfilter): any chunking adds
            # in the same order and gives the same bits.
            running = lfilter([1.0], [1.0, -1.0], x[:k], zi=np.array([self._level_sum]))[0]
            sums = np.concatenate(([self._level_sum], running[:-1]))
            counts = self._seen + np.arange(k)
            # The very first sample is its own level (nothing before it).
            level[:k] = np.where(counts > 0, sums / np.maximum(counts, 1), x[0])
            self._level_sum = float(running[-1])
            self._level = self._level_sum / (self._seen + k)
        if k < m:
            # level[n] = leak * level[n-1] + (1 - leak) * x[n-1]: the state is the next level.
            tail, state = lfilter([0.0, 1.0 - self._leak], [1.0, -self._leak], x[k:],
                                  zi=np.array([self._level]))
            level[k:] = tail
            self._level = float(state[0])
        self._seen += m
        return np.asarray(x - level, dtype=np.float64)

    def _moving(self, fast: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Where the pelvis moves: ``fast`` (shape (m,)) now or within :data:`SETTLE_S`.

        Causal: each sample looks back only.
        """
        m = len(fast)
        index = np.arange(m)
        last = np.maximum.accumulate(np.where(fast, index, -1))
        since = np.where(last >= 0, index - last, self._still_for + index + 1)
        self._still_for = int(since[-1])
        return since <= round(SETTLE_S * self._fs)


__all__ = ["PendulumSplit"]
