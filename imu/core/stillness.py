"""Still periods and the gyroscope bias, one causal step of the analyzer.

A sample is still when, over the last ``window`` samples, the gyro's per-axis spans (as a
vector length, so that it does not depend on the mounting) stay under a limit, and the
accelerometer's too. The limits adapt to the sensor: twice the quietest
window seen so far (a coarse or noisy sensor raises its floor), clipped between the
configured minimum and maximum. The bias is the gyro's mean over the still windows of the
session (holds, pauses, rests), the recent ones weighted most: an exponential average over
still time (``average`` samples of stillness). One still window is not enough: breathing
moves the pelvis at up to 0.5 deg/s, slowly enough to pass for stillness, and a one-second
mean keeps a part of a breath, so the bias would change by tenths of a deg/s from one pause
to the next (as much as a slow small rep turns). Averaged over several windows at different
moments of the breath, breathing cancels; the gyro's own drift is far slower. Before the
first still period the bias is the mean over a long window: reps return to where they
started, so their rotation averages out.

Samples lost for too long to fill (flagged gaps) hold no information about the gyro: a
window that touches one is never still and never sets the bias or the noise floor, so a
gap at rest cannot pass for a zero bias.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from imu.core import kernels
from imu.core.stream import WindowMean, WindowRange

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class StillOutput:
    """One chunk through :class:`StillnessBias` (m samples).

    Attributes:
        omega: shape (m, 3), bias-corrected angular velocity, rad/s.
        still: shape (m,), the sample ends a still window.
        acc_range: shape (m,), largest accelerometer span over the window, m/s^2.
        bias: shape (m, 3), the bias subtracted, rad/s.
        latest: shape (m, 3), the mean over the latest still window alone, rad/s: what a
            "still now?" test wants (the phase cues' noise floor), where breathing in the
            window is better counted as bias than as movement. Only with ``keep_latest``
            (else it is ``bias``).

    """

    omega: FloatArray
    still: BoolArray
    acc_range: FloatArray
    bias: FloatArray
    latest: FloatArray


class StillnessBias:
    """Detects still periods and removes the gyro bias.

    Args:
        window: still-window length, samples.
        fallback_window: long-mean window used before the first still period, samples.
        gyro_range_rads: (minimum, maximum) gyro span limit, rad/s.
        acc_range_ms2: (minimum, maximum) accelerometer span limit, m/s^2.
        average: still samples over which the bias is averaged (time constant of the
            exponential weights; 1 keeps only the latest still window), samples.
        keep_latest: also give the latest still window's mean (``StillOutput.latest``).

    """

    def __init__(
        self,
        window: int,
        fallback_window: int,
        gyro_range_rads: tuple[float, float],
        acc_range_ms2: tuple[float, float],
        average: int = 1,
        keep_latest: bool = False,
    ) -> None:
        self.window = window
        self.keep_latest = keep_latest
        self._decay = math.exp(-1.0 / max(average, 1)) if average > 1 else 0.0
        self.gyro_range_rads = gyro_range_rads
        self.acc_range_ms2 = acc_range_ms2
        self._gyro_range = WindowRange(window, 3)
        self._acc_range = WindowRange(window, 3)
        self._gyro_mean = WindowMean(window, 3)
        # Long mean over the samples that are not gaps: sum(gyro * valid) / sum(valid).
        self._gyro_long_mean = WindowMean(fallback_window, 4)
        self._g_limits = np.array(gyro_range_rads, dtype=np.float64)
        self._a_limits = np.array(acc_range_ms2, dtype=np.float64)
        # (absolute index of the latest gap sample, gyro noise floor, accelerometer floor)
        self._floors = np.array([-1e15, math.inf, math.inf])
        self._bias = np.zeros(3)
        self._latest = np.zeros(3)  # mean over the latest still window
        # Exponentially weighted sums over still samples: sum(w * window mean), sum(w).
        self._sums = np.zeros(4)
        self._seen_still = False
        self._n = 0  # samples seen

    def __call__(self, gyro_lp: FloatArray, acc_lp: FloatArray, gap: BoolArray) -> StillOutput:
        """Process the next chunk.

        Args:
            gyro_lp: shape (m, 3), low-passed angular velocity, rad/s.
            acc_lp: shape (m, 3), low-passed specific force, m/s^2.
            gap: shape (m,), samples lost for too long to fill.

        """
        if not len(gap):
            empty = np.empty((0, 3))
            return StillOutput(empty, np.empty(0, dtype=bool), np.empty(0), empty, empty)
        # The length of the vector of per-axis spans: a movement about one fixed axis spans
        # the same whatever way the sensor is clipped on (the largest single-axis span does
        # not, and let slow movements pass for stillness in some mountings).
        g_range = self._gyro_range.norm(gyro_lp)
        a_range = self._acc_range.norm(acc_lp)
        g_mean = self._gyro_mean(gyro_lp)
        m = len(gap)
        still = np.empty(m, dtype=bool)
        # Noise floor: the quietest full window so far; a window touching a gap is not full.
        # Only a full window can be still: the first samples of a stream span nothing yet.
        kernels.still_flags(g_range, a_range, np.ascontiguousarray(gap), self._n, self.window,
                            self._g_limits, self._a_limits, self._floors, still)
        self._n += m
        if self._seen_still:
            fallback = np.empty((m, 3))
            fallback[:] = self._bias
            fallback_latest = np.empty((m, 3))
            fallback_latest[:] = self._latest
        else:
            # The long mean is needed only up to the first still sample, and never again.
            first = int(np.argmax(still)) + 1 if still.any() else m
            fallback = np.zeros((m, 3))
            fallback[:first] = self._long_mean(gyro_lp[:first], gap[:first])
            fallback_latest = fallback
        bias = np.empty((m, 3))
        latest = np.empty((m, 3))
        any_still = kernels.bias_from_still(g_mean, still, self._decay, fallback,
                                            fallback_latest, self._sums, bias, latest)
        if any_still:
            self._seen_still = True
        self._bias = bias[-1].copy()
        self._latest = latest[-1].copy()
        omega = np.asarray(gyro_lp - bias, dtype=np.float64)
        return StillOutput(omega, still, a_range, bias, latest if self.keep_latest else bias)

    def _long_mean(self, gyro_lp: FloatArray, gap: BoolArray) -> FloatArray:
        """Mean gyro over the long window, gaps left out (a gap reads zero), shape (m, 3)."""
        valid = (~gap).astype(np.float64)[:, None]
        sums = self._gyro_long_mean(np.hstack((gyro_lp * valid, valid)))
        share = sums[:, 3:]
        held = np.broadcast_to(self._bias, gyro_lp.shape)
        return np.where(share > 0.0, sums[:, :3] / np.maximum(share, 1e-12), held)


__all__ = ["StillOutput", "StillnessBias"]
