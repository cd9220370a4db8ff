"""Walking, found from the steps' bounce at the hip. One causal step of the analyzer.

A recording often starts before the exercise: the person presses record, walks to the mat or
the bar, and gets into position. Walking turns the pelvis a few degrees at every step about
all three axes (tilt, drop of a side, rotation), and a walk of a minute turns it as far in
total as two reps, so the analyzer learned its movement axis and its concentric direction
from the walk: a reverse crunch after a 40 s walk came out read upside down, every lowering
taken for a rise, with 66 "reps" found in the walk.

At the hip each step is a bounce: the specific force's magnitude rises by 0.2-0.5 g at heel
strike, once a step, 1.4-2.2 steps a second, while the pelvis turns only a few degrees from
one step to the next. An exercise's reps turn the pelvis tens of degrees between the peaks
of their accelerations, or are slow and smooth. A *step* here is a peak of the magnitude,
band-passed to :data:`BAND_HZ`, above :data:`STEP_ACC_MS2`; a *walk* is a run of
:data:`MIN_STEPS` steps at a regular interval (within :data:`REGULARITY` of their median,
:data:`MIN_INTERVAL_S` to :data:`MAX_INTERVAL_S`) with the pelvis turning less than
:data:`MAX_TURN_DEG` from each step to the next. A sample is walking from the step that
completes such a run until one interval (and a quarter) after the last step was known.

Causal and chunk-invariant: a step is known when the magnitude falls back below zero after
its peak, and each sample's flag depends only on the samples up to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.signal import butter

from imu.core.stream import SosFilter

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

BAND_HZ: Final = (0.8, 4.0)
"""Band of the specific force's magnitude that holds the steps' bounce, Hz (cadences of 50-240
steps a minute and their heel strikes; gravity and the slow shifts of a rep are below it)."""

STEP_ACC_MS2: Final = 1.0
"""A step's peak of the band-passed magnitude, at least, m/s^2 (0.1 g; walking bounces the
hip 0.2-0.5 g, a slow walk 0.1-0.2 g; a slow rep's pelvis accelerates well under 1 m/s^2).
At 1.5 m/s^2 a slow walk (66 steps a minute, 1.3 m/s^2) was read as 63 reps. Over whole
generated recordings (simulator seeds 0-14 of every case, second generator 910000-910009)
flag no sample down to 0.8 m/s^2, nor do the WLE belt sets down to 0.6."""

MIN_INTERVAL_S: Final = 0.3
"""Shortest step interval, s (200 steps a minute: running)."""

MAX_INTERVAL_S: Final = 1.0
"""Longest step interval, s (60 steps a minute: a slow walk)."""

REGULARITY: Final = 0.25
"""Each interval of a walk lies within this share of the run's median interval."""

MIN_STEPS: Final = 6
"""Steps in a row that make a walk (five regular intervals, about 3 s)."""

MAX_TURN_DEG: Final = 50.0
"""The pelvis turns less than this from one step to the next, degrees (the gyro's total
rotation about all axes: walking tilts, drops and turns it 3-5 deg each way, 15-25 deg of
travel a step; a jog or stairs about twice as far; a rep whose accelerations are as large
turns it tens of degrees, and a hanging body's swing needs a bounce of 1 m/s^2 between
turns of this size). At 35 deg, stairs and a jog were no walk (stairs before a reverse
crunch: 55 reps, 39 of them steps, and no note). Over whole generated recordings (simulator
seeds 0-14 of every case, second generator 910000-910009, swinging hanging bodies among
them) and the WLE belt sets, 70 deg flags no sample."""

ROTATION_QUANTUM_RAD: Final = 1e-9
"""Quantum of the integer rotation accumulator, rad (chunk-invariant sums)."""


@dataclass(frozen=True)
class _Step:
    peak: int
    """Sample of the bounce's peak (absolute index)."""
    turned_q: int
    """The pelvis' total rotation up to the peak, in :data:`ROTATION_QUANTUM_RAD`."""


class WalkWatcher:
    """Flags the samples where the person walks (see the module docstring).

    Args:
        sampling_rate_hz: rate of the samples, Hz.

    """

    def __init__(self, sampling_rate_hz: float) -> None:
        fs = float(sampling_rate_hz)
        nyq = 0.5 * fs
        low, high = BAND_HZ
        self._band = SosFilter(butter(2, [low / nyq, min(high, 0.8 * nyq) / nyq],
                                      btype="bandpass", output="sos"))
        self._fs = fs
        self._dt = 1.0 / fs
        self._n = 0  # samples seen
        self._turned_q = 0  # total rotation so far, quanta
        self._armed = False  # above the step threshold since the last fall below zero
        self._peak_value = -math.inf
        self._peak: _Step | None = None
        self._steps: list[_Step] = []
        self._walk_until = -1  # last sample (absolute) flagged as walking so far
        self._spans: list[tuple[int, int]] = []  # walking samples decided, [first, last]

    def push(self, acc: FloatArray, omega: FloatArray) -> BoolArray:
        """Walking flags of the next samples.

        Args:
            acc: shape (m, 3), specific force, m/s^2 (gaps filled).
            omega: shape (m, 3), angular velocity, rad/s.

        Returns:
            Shape (m,): True where the person walks, as known at that sample.

        """
        m = len(acc)
        flags = np.zeros(m, dtype=bool)
        if m == 0:
            return flags
        mag = np.sqrt(acc[:, 0] ** 2 + acc[:, 1] ** 2 + acc[:, 2] ** 2)
        band = self._band(mag[:, None])[:, 0]
        speed = np.sqrt(omega[:, 0] ** 2 + omega[:, 1] ** 2 + omega[:, 2] ** 2)
        turned = self._turned_q + np.cumsum(
            np.rint(np.nan_to_num(speed) * self._dt / ROTATION_QUANTUM_RAD).astype(np.int64))
        above = np.flatnonzero(band > STEP_ACC_MS2)
        below = np.flatnonzero(band < 0.0)
        start = self._n
        i = 0
        while i < m:
            if not self._armed:
                k = int(np.searchsorted(above, i))
                if k == len(above):
                    break
                i = int(above[k])
                self._armed = True
                self._peak_value = -math.inf
            k = int(np.searchsorted(below, i))
            end = int(below[k]) if k < len(below) else m
            if end > i:
                j = i + int(np.argmax(band[i:end]))
                if band[j] > self._peak_value:
                    self._peak_value = float(band[j])
                    self._peak = _Step(start + j, int(turned[j]))
            if end == m:
                break
            # Fell back below zero: the step is known here.
            assert self._peak is not None
            self._armed = False
            self._on_step(self._peak, start + end)
            i = end
        self._turned_q = int(turned[-1])
        self._n += m
        lo = start
        hi = min(self._walk_until, start + m - 1)
        # Flags were decided step by step; fill the chunk's span from the decisions.
        for first, last in self._spans:
            a, b = max(first, lo), min(last, hi)
            if b >= a:
                flags[a - start: b - start + 1] = True
        self._spans = [(first, last) for first, last in self._spans if last >= start + m]
        return flags

    def _on_step(self, step: _Step, known_at: int) -> None:
        """Record a step known at sample ``known_at``; a walk flags from there on."""
        self._steps.append(step)
        steps = self._steps[-MIN_STEPS:]
        self._steps = steps
        if len(steps) < MIN_STEPS:
            return
        peaks = np.array([s.peak for s in steps], dtype=np.float64)
        intervals = np.diff(peaks) * self._dt
        median = float(np.median(intervals))
        turns = np.diff([s.turned_q for s in steps]) * ROTATION_QUANTUM_RAD
        if (
            intervals.min() >= MIN_INTERVAL_S
            and intervals.max() <= MAX_INTERVAL_S
            and np.abs(intervals - median).max() <= REGULARITY * median
            and math.degrees(float(turns.max())) < MAX_TURN_DEG
        ):
            # The next step is known about one interval after this one: until then.
            until = known_at + round((1.0 + REGULARITY) * median * self._fs)
            first = max(known_at, self._walk_until + 1)
            if until >= first:
                self._spans = [*self._spans, (first, until)]
            self._walk_until = max(self._walk_until, until)


def walking_samples(acc: FloatArray, gyr: FloatArray, sampling_rate_hz: float) -> BoolArray:
    """The walking flags of a whole recording, as :class:`WalkWatcher` gives them.

    For the report's checks after an analysis. Missing samples (NaN rows) hold the last
    valid one (the first valid one before it), as the analyzer's long gaps do.

    Args:
        acc: shape (n, 3), specific force, m/s^2, NaN where missing.
        gyr: shape (n, 3), angular velocity, rad/s, NaN where missing.
        sampling_rate_hz: rate of the samples, Hz.

    Returns:
        Shape (n,): True where the person walks.

    """
    valid = np.isfinite(acc).all(axis=1)
    if not valid.any():
        return np.zeros(len(acc), dtype=bool)
    held = np.maximum.accumulate(np.where(valid, np.arange(len(acc)), -1))
    held[held < 0] = int(np.argmax(valid))
    return WalkWatcher(sampling_rate_hz).push(acc[held], np.nan_to_num(gyr))
