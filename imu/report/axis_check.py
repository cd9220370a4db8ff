"""Whether the pelvis later moved about another axis than the one the analyzer learned.

The analyzer learns the movement's axis once, from the first reps of a recording (about two
reps' rotation, :attr:`imu.exercises.ExerciseProfile.lock_rotation_deg`), and measures every
rep about it: the sensor is clipped on once. A recording that starts with other movement (the
strict sets of a workout before the hip-driven ones, another exercise, walking to the bar)
teaches it that movement's axis, and the reps of the exercise that come later turn the pelvis
about another one: they are then read small, uncertain or not at all, with nothing said. The
WLE belt recordings analysed as one recording per person (five sets of curls, the hips thrown
only in the last) did that: the axis was learned from the pelvis' sway in the strict sets, 66
and 88 degrees off the hip drives' axis, and 2 and 0 of the last set's hip drives were counted
sure (9 each when that set is analysed alone).

This check reads the recording after the analysis: in windows of :data:`WINDOW_S`, the share
of the pelvis' fast rotation (the gyro's, faster than the profile's smallest rep speed) that
lies along the learned axis (the report's trace). A window that rotated at least
:data:`MIN_ROTATION_DEG` with under :data:`MIN_ON_AXIS_SHARE` of it on the axis gets a note.
Alternating exercises (dead bug, bird-dog: their side-to-side rotation is off the axis by
nature), holds, and hanging exercises (``subtract_pendulum``: the trace's rate has the body's
swing about the bar taken out, which the gyro's speed keeps: a swinging body read as off the
axis in 4 of 20 second-generator sessions) are not checked.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.ndimage import uniform_filter1d

from imu.core.locomotion import walking_samples
from imu.io.recording import Recording
from imu.report.session import SessionReport

FloatArray = npt.NDArray[np.float64]

WINDOW_S: Final = 30.0
"""Length of the windows the share is read in, s (a set or two of reps); they step by half."""

MIN_ROTATION_DEG: Final = 90.0
"""A window is judged only when the pelvis turned at least this much in it, fast, degrees
(a few reps' worth: a quiet window's sway says nothing)."""

MIN_ON_AXIS_SHARE: Final = 0.3
"""Under this share of the fast rotation's power along the learned axis, a window moved about
another axis. Measured (2026-12-01): no note on 200 simulator sessions (seeds 0-19 of every
case) nor on 60 second-generator sessions (890000-890009, every case it makes but the hanging
ones); the WLE belt sets analysed one by one, no note; the same recordings analysed one per
person, 6% (adelmo) and 22% (charles), whose hip-thrown set was then counted 2 and 0 sure,
and no note for carlitos (counted right)."""

WALK_LEAD_S: Final = 4.0
"""Seconds before a walk's first flagged sample also left out: the steps the walk watcher
needed to see before it flagged (six, about 3 s at 1.6-2 steps a second)."""

SMOOTH_S: Final = 0.1
"""The gyro is averaged over this before its speed is taken, s (the trace's rate is filtered;
raw gyro noise would add power off the axis)."""


def off_axis_note(recording: Recording, report: SessionReport) -> str | None:
    """A note when, after the axis was learned, the pelvis moved mostly about another axis.

    Args:
        recording: the recording analysed (its gyro, rad/s, shape (n, 3)).
        report: its analysis (the trace's rate about the learned axis, deg/s).

    Returns:
        One line naming where (s, on the reps table's clock: a part cut with ``--from``
        keeps the original's) and how little of the movement was on the axis, and what to
        do, with the command that does it (``imu analyze FILE --from S --exercise E --out
        DIR``); None when every window is on the axis, or the check does not apply.

    """
    profile = report.profile
    if (profile.alternating or profile.isometric or profile.subtract_pendulum
            or not len(report.trace)):
        return None
    fs = recording.sampling_rate_hz
    gyr = np.nan_to_num(recording.gyr)
    gyr = uniform_filter1d(gyr - np.median(gyr, axis=0), max(1, round(SMOOTH_S * fs)), axis=0)
    speed = np.degrees(np.sqrt(np.einsum("ij,ij->i", gyr, gyr)))
    # Trace row i is at -delay + i / fs on the recording's clock: row i + shift is sample i.
    shift = max(0, round((report.first_sample_s - report.trace_start_s) * fs))
    on_axis = np.zeros(len(speed))
    rate = np.nan_to_num(report.trace[shift:, 1])
    m = min(len(rate), len(on_axis))
    on_axis[:m] = rate[:m]
    fast = speed > profile.min_velocity_dps
    found = _first_off_axis(fast, speed, on_axis, fs)
    if found is not None:
        # A walk (to the mat, between sets) turns the pelvis about every axis and is left
        # out of the analysis (imu.core.locomotion): not movement about another axis. Its
        # first steps, before the watcher knew, are left out too (it flags from the sixth).
        # Looked for only here: most recordings have no window off the axis.
        walking = walking_samples(recording.acc, recording.gyr, fs)
        lead = round(WALK_LEAD_S * fs)
        walking = np.convolve(walking, np.ones(lead + 1), mode="full")[lead:] > 0
        found = _first_off_axis(fast & ~walking[: len(speed)], speed, on_axis, fs)
    if found is not None:
        start, share = found
        t0 = report.first_sample_s + start / fs  # on the reps table's clock
        return (
            f"from {t0:.0f} s the pelvis moved mostly about another axis than the one "
            f"learned from the recording's first reps (only {share:.0%} of its movement "
            f"from {t0:.0f} to {t0 + WINDOW_S:.0f} s was about it): reps from there may be "
            "read small, uncertain or missed. If the recording starts with other movement "
            f"(another exercise, strict sets before these), analyse this part on its own "
            f"(imu analyze FILE --from {t0:.0f} --exercise {profile.name} --out DIR)"
        )
    return None


def _first_off_axis(fast: npt.NDArray[np.bool_], speed: FloatArray, on_axis: FloatArray,
                    fs: float) -> tuple[int, float] | None:
    """The first window that moved mostly off the axis: (its first sample, on-axis share).

    Args:
        fast: shape (n,), samples moving faster than the profile's smallest rep speed.
        speed: shape (n,), the gyro's speed, deg/s.
        on_axis: shape (n,), the rate about the learned axis, deg/s.
        fs: sampling rate, Hz.

    """
    window, step = round(WINDOW_S * fs), round(WINDOW_S * fs / 2)
    for start in range(0, max(len(speed) - window, 0) + 1, max(step, 1)):
        part = slice(start, start + window)
        moving = fast[part]
        turned = float(speed[part][moving].sum()) / fs
        if turned < MIN_ROTATION_DEG:
            continue
        power = float(np.square(speed[part][moving]).sum())
        share = float(np.square(on_axis[part][moving]).sum()) / power
        if share < MIN_ON_AXIS_SHARE:
            return start, share
    return None
