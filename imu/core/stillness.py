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
from scipy.signal import lfilter

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
        self._last_gap = -(10**15)  # absolute index of the latest gap sample
        self._bias = np.zeros(3)
        self._latest = np.zeros(3)  # mean over the latest still window
        # Exponentially weighted sums over still samples: sum(w * window mean), sum(w).
        self._weighted = np.zeros(3)
        self._weights = 0.0
        self._seen_still = False
        self._g_floor = math.inf
        self._a_floor = math.inf
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
        g_span = self._gyro_range(gyro_lp)
        a_span = self._acc_range(acc_lp)
        g_range = np.sqrt(g_span[:, 0] ** 2 + g_span[:, 1] ** 2 + g_span[:, 2] ** 2)
        a_range = np.sqrt(a_span[:, 0] ** 2 + a_span[:, 1] ** 2 + a_span[:, 2] ** 2)
        index = np.arange(self._n, self._n + len(gap))
        last_gap = np.maximum.accumulate(np.where(gap, index, self._last_gap))
        if len(gap):
            self._last_gap = int(last_gap[-1])
        clean = index - last_gap >= self.window
        g_mean = self._gyro_mean(gyro_lp)
        # Noise floor: the quietest full window so far.
        full = (index >= self.window - 1) & clean
        g_floor = np.minimum.accumulate(
            np.concatenate(([self._g_floor], np.where(full, g_range, np.inf)))
        )[1:]
        a_floor = np.minimum.accumulate(
            np.concatenate(([self._a_floor], np.where(full, a_range, np.inf)))
        )[1:]
        self._g_floor, self._a_floor = float(g_floor[-1]), float(a_floor[-1])
        self._n += len(gyro_lp)
        g_limit = np.clip(2.0 * g_floor, *self.gyro_range_rads)
        a_limit = np.clip(2.0 * a_floor, *self.acc_range_ms2)
        # Only a full window can be still: the first samples of a stream span nothing yet.
        still = (g_range < g_limit) & (a_range < a_limit) & full
        idx = np.where(still, np.arange(len(still)), -1)
        last = np.maximum.accumulate(idx)
        if self._seen_still:
            fallback = np.broadcast_to(self._bias, g_mean.shape)
            fallback_latest = np.broadcast_to(self._latest, g_mean.shape)
        else:
            # The long mean is needed only up to the first still sample, and never again.
            first = int(np.argmax(still)) + 1 if still.any() else len(still)
            fallback = np.empty_like(g_mean)
            fallback[:first] = self._long_mean(gyro_lp[:first], gap[:first])
            fallback[first:] = 0.0  # replaced by the still windows' means below
            fallback_latest = fallback
        averaged = self._averaged(g_mean, still)
        seen = (last >= 0)[:, None]
        bias = np.where(seen, averaged[np.maximum(last, 0)], fallback)
        bias = np.asarray(bias, dtype=np.float64)
        latest = (np.where(seen, g_mean[np.maximum(last, 0)], fallback_latest)
                  if self.keep_latest else bias)
        if still.any():
            self._bias = averaged[int(last[-1])].copy()
            self._latest = g_mean[int(last[-1])].copy()
            self._seen_still = True
        elif len(still):
            self._bias = fallback[-1].copy()
            self._latest = np.asarray(fallback_latest[-1], dtype=np.float64).copy()
        omega = np.asarray(gyro_lp - bias, dtype=np.float64)
        return StillOutput(omega, still, a_range, bias, np.asarray(latest, dtype=np.float64))

    def _averaged(self, g_mean: FloatArray, still: BoolArray) -> FloatArray:
        """The bias after each still sample, shape (m, 3) (other rows are meaningless).

        ``S <- decay * S + mean``, ``W <- decay * W + 1`` over the still samples in order;
        the bias is ``S / W``, so the first still window alone sets it.
        """
        out = np.zeros_like(g_mean)
        k = np.flatnonzero(still)
        if not len(k):
            return out
        d = self._decay
        x = g_mean[k]
        if d == 0.0:
            out[k] = x
            self._weighted, self._weights = x[-1].copy(), 1.0
            return out
        # One pass over (sums, weight) columns.
        state = d * np.append(self._weighted, self._weights)[None, :]
        y = lfilter([1.0], [1.0, -d], np.hstack((x, np.ones((len(k), 1)))), axis=0, zi=state)[0]
        out[k] = y[:, :3] / y[:, 3:]
        self._weighted, self._weights = y[-1, :3].copy(), float(y[-1, 3])
        return out

    def _long_mean(self, gyro_lp: FloatArray, gap: BoolArray) -> FloatArray:
        """Mean gyro over the long window, gaps left out (a gap reads zero), shape (m, 3)."""
        valid = (~gap).astype(np.float64)[:, None]
        sums = self._gyro_long_mean(np.hstack((gyro_lp * valid, valid)))
        share = sums[:, 3:]
        held = np.broadcast_to(self._bias, gyro_lp.shape)
        return np.where(share > 0.0, sums[:, :3] / np.maximum(share, 1e-12), held)


__all__ = ["StillOutput", "StillnessBias"]
