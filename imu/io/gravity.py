"""Still periods and gravity at rest: the reference for scaling and checking accelerometer units.

Pure numpy. A sample is *still* when, over a window centred on it, the gyroscope stays near its
median (its bias, for a sensor that is mostly still) and the accelerometer magnitude barely
varies (relative to its median, so it works for raw counts of unknown scale too). While still,
the accelerometer reads gravity only, so the median magnitude over still samples is 1 g in
whatever unit the data is in.
"""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

STILL_WINDOW_S = 0.5
"""Window over which stillness is judged, s."""

STILL_MAX_GYR_RAD_S = 0.25
"""Largest deviation of the gyroscope from its median (its bias, if mostly still) allowed in a
still window, rad/s (about 14 deg/s)."""

STILL_MAX_ACC_REL_STD = 0.05
"""Largest standard deviation of the acc magnitude in a still window, as a share of its median
(5 %: lenient enough for coarse raw counts, ~30 counts per g)."""

MIN_STILL_S = 1.0
"""Less still time than this and the quietest windows are used instead (and reported)."""

QUIETEST_SHARE = 0.1
"""Share of the windows used when no still period is long enough."""


@dataclass(frozen=True)
class GravityAtRest:
    """The accelerometer magnitude while still.

    Attributes:
        magnitude: median acc magnitude over the samples used, in the unit of the input.
        n_samples: samples used.
        method: "still" (still periods found) or "quietest" (no still period long enough; the
            quietest 10 % of windows were used), or "all" (too few samples for windows).

    """

    magnitude: float
    n_samples: int
    method: str


def still_mask(
    acc: FloatArray,
    gyr_rad_s: FloatArray,
    rate_hz: float,
    window_s: float = STILL_WINDOW_S,
    max_gyr_rad_s: float = STILL_MAX_GYR_RAD_S,
    max_acc_rel_std: float = STILL_MAX_ACC_REL_STD,
) -> tuple[BoolArray, FloatArray]:
    """Which samples are still, and a stillness score per sample (lower is stiller).

    Args:
        acc: shape (n, 3), accelerometer in any unit (counts are fine); NaN rows allowed.
        gyr_rad_s: shape (n, 3), gyroscope, rad/s; NaN rows allowed.
        rate_hz: sampling rate of the uniform grid, Hz.
        window_s: window length, s.
        max_gyr_rad_s: threshold on the norm of the gyro minus its median (bias), rad/s.
        max_acc_rel_std: threshold on std(|acc|) / median(|acc|) in the window.

    Returns:
        ``(still, score)``, both shape (n,). Samples whose window holds a NaN are not still and
        score +inf. The score is the larger of the two ratios to their thresholds.

    """
    n = acc.shape[0]
    w = max(3, round(window_s * rate_hz))
    score = np.full(n, np.inf)
    if n < w:
        return np.zeros(n, dtype=bool), score
    mag = np.linalg.norm(acc, axis=1)
    # deviation from the median rate: uncalibrated gyros read a bias of up to ~0.2 rad/s at rest
    finite_gyr = np.all(np.isfinite(gyr_rad_s), axis=1)
    bias = np.median(gyr_rad_s[finite_gyr], axis=0) if np.any(finite_gyr) else np.zeros(3)
    gyr_norm = np.linalg.norm(gyr_rad_s - bias, axis=1)
    scale = np.nanmedian(mag) if np.any(np.isfinite(mag)) else np.nan
    if not np.isfinite(scale) or scale <= 0:
        return np.zeros(n, dtype=bool), score
    # Rolling windows [k, k + w), k = 0 .. n - w, in O(n) memory: running sums for the spread
    # (of the magnitude less the scale, so the sums stay small), a running maximum for the gyro.
    bad = ~(np.isfinite(mag) & np.isfinite(gyr_norm))
    n_bad = np.concatenate(([0], np.cumsum(bad)))
    x = np.where(bad, 0.0, mag - scale)
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))
    mean = (s1[w:] - s1[:-w]) / w
    rel_std = np.sqrt(np.maximum((s2[w:] - s2[:-w]) / w - mean * mean, 0.0)) / scale
    gyr_max = maximum_filter1d(np.where(bad, 0.0, gyr_norm), w, origin=-(w // 2))[: n - w + 1]
    win_score = np.maximum(rel_std / max_acc_rel_std, gyr_max / max_gyr_rad_s)
    win_score = np.where((n_bad[w:] - n_bad[:-w]) == 0, win_score, np.inf)  # gaps: not still
    # a sample takes the score of the window centred on it (edges: nearest full window)
    centre = np.clip(np.arange(n) - w // 2, 0, win_score.size - 1)
    score = win_score[centre]
    return score <= 1.0, score


def rest_magnitudes(
    acc: FloatArray, gyr_rad_s: FloatArray, rate_hz: float
) -> tuple[FloatArray, str]:
    """Acc magnitudes of the samples taken as "at rest", and how they were chosen.

    The still samples when there are at least :data:`MIN_STILL_S` of them; else the quietest
    10 % ("quietest"); else, for recordings shorter than a window, every valid sample ("all").

    Args:
        acc: shape (n, 3), accelerometer, any unit; NaN rows allowed.
        gyr_rad_s: shape (n, 3), gyroscope, rad/s; NaN rows allowed.
        rate_hz: sampling rate, Hz.

    Returns:
        ``(magnitudes, method)``: shape (k,) in the unit of ``acc``, and the method name.

    """
    mag = np.linalg.norm(acc, axis=1)
    still, score = still_mask(acc, gyr_rad_s, rate_hz)
    if np.count_nonzero(still) >= MIN_STILL_S * rate_hz:
        return mag[still], "still"
    finite = np.isfinite(score)
    if np.count_nonzero(finite) >= 3:
        cutoff = np.quantile(score[finite], QUIETEST_SHARE)
        logger.info("no still period of %.1f s; using the quietest windows", MIN_STILL_S)
        return mag[finite & (score <= cutoff)], "quietest"
    return mag[np.isfinite(mag)], "all"


def gravity_at_rest(acc: FloatArray, gyr_rad_s: FloatArray, rate_hz: float) -> GravityAtRest:
    """Median accelerometer magnitude at rest (see :func:`rest_magnitudes`), unit of ``acc``.

    Args:
        acc: shape (n, 3), accelerometer, any unit; NaN rows allowed.
        gyr_rad_s: shape (n, 3), gyroscope, rad/s; NaN rows allowed.
        rate_hz: sampling rate, Hz.

    """
    mags, method = rest_magnitudes(acc, gyr_rad_s, rate_hz)
    return pooled_gravity([(mags, method)])


def pooled_gravity(parts: list[tuple[FloatArray, str]]) -> GravityAtRest:
    """Gravity at rest pooled over several recordings of one sensor.

    Uses the parts with the best method available ("still" before "quietest" before "all").

    Args:
        parts: ``(magnitudes, method)`` from :func:`rest_magnitudes`, one per recording.

    """
    for method in ("still", "quietest", "all"):
        chosen = [m for m, how in parts if how == method and m.size]
        if chosen:
            mags = np.concatenate(chosen)
            return GravityAtRest(float(np.median(mags)), int(mags.size), method)
    return GravityAtRest(float("nan"), 0, "all")


TURN_STILL_MAX_ACC_STD = 0.02
"""Largest standard deviation of any acc component over a window, as a share of gravity, for
the accelerometer to read gravity alone there (judged without the gyroscope, whose unit is what
:func:`gyro_turn_check` checks)."""

MIN_TURN_DEG = 10.0
"""Smallest turn of gravity's direction between two still moments that a stretch must show to
be used, degrees (well above the accelerometer's error at rest, about 1 deg)."""

MIN_SLOW_TURN_DEG = 5.0
"""Smallest turn of gravity's direction that a stretch inside one still period must show to be
used, degrees. Lower than :data:`MIN_TURN_DEG`: the accelerometer reads gravity throughout
such a stretch, its direction from one 0.5 s window to another moves by about 0.1 deg of
noise, and a dead bug tilts the pelvis by 5-10 deg."""

TURN_STEP_S = 0.1
"""Step between the windows compared inside one still period by :func:`gyro_turn_check`, s."""

MIN_TURN_STRETCHES = 2
"""Fewer usable stretches than this and :func:`gyro_turn_check` gives no verdict."""


@dataclass(frozen=True)
class TurnCheck:
    """How much the gyroscope turns against how much gravity's direction turned.

    Between two moments at rest the accelerometer reads gravity alone, so the angle between
    the two readings is how far the sensor tilted. Any rotation that tilts a vector by that
    angle turns by at least that angle, so the gyroscope's path (the integral of its rate's
    magnitude) over the stretch is at least as long, whatever happened in between: a correct
    gyro gives ``ratio >= 1`` (up to the accelerometer's error at rest). A gyro in rad/s read
    as deg/s gives about 1/57 of that.

    Attributes:
        gyro_deg: the gyroscope's path over the stretches used, degrees.
        gravity_deg: the sum of gravity's turns over them, degrees.
        n_stretches: stretches used, between rests (each turning at least
            :data:`MIN_TURN_DEG`) and inside still periods (:data:`MIN_SLOW_TURN_DEG`).
        ratio: ``gyro_deg / gravity_deg``.

    """

    gyro_deg: float
    gravity_deg: float
    n_stretches: int
    ratio: float


def acc_still_mask(acc: FloatArray, rate_hz: float, window_s: float = STILL_WINDOW_S) -> BoolArray:
    """Samples inside a window where every acc component is steady (the gyro is not used).

    Args:
        acc: shape (n, 3), m/s^2 or any unit (the threshold is a share of the median
            magnitude); NaN rows allowed (their windows are not still).
        rate_hz: sampling rate, Hz.
        window_s: window length, s.

    Returns:
        Shape (n,) bool: covered by at least one window whose acc components each vary by
        less than :data:`TURN_STILL_MAX_ACC_STD` of gravity (standard deviation).

    """
    n = acc.shape[0]
    w = max(3, round(window_s * rate_hz))
    still = np.zeros(n, dtype=bool)
    mags = np.linalg.norm(acc, axis=1)
    if n < w or not np.any(np.isfinite(mags)):
        return still
    gravity = float(np.nanmedian(mags))
    finite = np.all(np.isfinite(acc), axis=1)
    x = np.where(finite[:, None], acc - np.median(acc[finite], axis=0), 0.0)  # centred: exact
    s1 = np.concatenate((np.zeros((1, 3)), np.cumsum(x, axis=0)))
    s2 = np.concatenate((np.zeros((1, 3)), np.cumsum(x * x, axis=0)))
    n_bad = np.concatenate(([0], np.cumsum(~finite)))
    mean = (s1[w:] - s1[:-w]) / w  # rolling windows [k, k + w), shape (n - w + 1, 3)
    var = np.maximum((s2[w:] - s2[:-w]) / w - mean * mean, 0.0)
    spread = np.sqrt(np.max(var, axis=1))
    clean = (n_bad[w:] - n_bad[:-w]) == 0
    starts = np.flatnonzero(clean & (spread < TURN_STILL_MAX_ACC_STD * gravity))
    cover = np.zeros(n + 1, dtype=np.int64)
    np.add.at(cover, starts, 1)
    np.add.at(cover, starts + w, -1)
    return np.asarray(np.cumsum(cover)[:n] > 0)


def gyro_turn_check(
    acc: FloatArray, gyr_rad_s: FloatArray, rate_hz: float, window_s: float = STILL_WINDOW_S
) -> TurnCheck | None:
    """Compare the gyroscope's rotation with gravity's turns between moments at rest.

    The moments where the accelerometer reads gravity alone are the windows of its still
    periods (:func:`acc_still_mask`, which never looks at the gyro: its unit is what is
    checked). Two kinds of stretch are compared, both found from gravity's direction:

    - between consecutive still periods: from the last window of the first to the first
      window of the second (a movement between two rests);
    - inside one still period, which a slow movement (a pelvic tilt, a dead bug, a plank's
      sway) can fill from end to end, as every acc component stays within the still test's
      spread: from one window to the first later window (in steps of :data:`TURN_STEP_S`)
      where gravity's direction has turned :data:`MIN_SLOW_TURN_DEG` from it, which starts
      the next stretch. Without these, such recordings had no pair of rests to compare and a
      gyro 57 times too small passed unchecked ("0 reps").

    Gravity's direction is the mean acc over each window; the gyro's path is integrated over
    the whole span (windows included): its whole rate between rests, where gravity's direction
    is unknown; inside a still period, where the acc gives it at every sample, only the rate
    perpendicular to it (its bias left in, which can only lengthen it): the path gravity's
    direction takes, which is never shorter than its turn either. Stretches with a
    gap (NaN) or turning less than :data:`MIN_TURN_DEG` (between rests) or
    :data:`MIN_SLOW_TURN_DEG` (inside a still period) are left out.

    Args:
        acc: shape (n, 3), specific force, m/s^2 (any unit works); NaN rows allowed.
        gyr_rad_s: shape (n, 3), angular rate read in the declared unit, rad/s.
        rate_hz: sampling rate, Hz.
        window_s: window of the still test, s.

    Returns:
        The comparison, or None with fewer than :data:`MIN_TURN_STRETCHES` usable stretches
        (e.g. a recording whose movements barely tilt the sensor).

    """
    w = max(3, round(window_s * rate_hz))
    step = max(1, round(TURN_STEP_S * rate_hz))
    still = acc_still_mask(acc, rate_hz, window_s)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], still.astype(np.int8), [0]))))
    periods = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    speed = np.linalg.norm(gyr_rad_s, axis=1)
    bad = ~np.isfinite(speed) | ~np.all(np.isfinite(acc), axis=1)
    path = np.concatenate(([0.0], np.cumsum(np.where(bad, 0.0, speed)))) / rate_hz
    n_bad = np.concatenate(([0], np.cumsum(bad)))
    clean_acc = np.where(bad[:, None], 0.0, acc)
    sums = np.concatenate((np.zeros((1, 3)), np.cumsum(clean_acc, axis=0)))
    # Inside a still period the acc reads gravity at every sample, so only the gyro's rotation
    # perpendicular to it counts (a turn about the vertical tilts nothing): the path of
    # gravity's direction, still never shorter than its turn. The gyro's bias is left in: it
    # can only lengthen the path (the safe side), while a bias estimated over "still" samples
    # would be the rate of a slow steady tilt that fills the period, and take it all away.
    norm = np.linalg.norm(clean_acc, axis=1, keepdims=True)
    up = clean_acc / np.where(norm > 0, norm, 1.0)
    rate = np.where(bad[:, None], 0.0, gyr_rad_s)
    perp = np.linalg.norm(rate - np.sum(rate * up, axis=1, keepdims=True) * up, axis=1)
    tilt_path = np.concatenate(([0.0], np.cumsum(perp))) / rate_hz
    gyro: list[float] = []
    gravity: list[float] = []

    def stretch(i: int, j: int, rotation: FloatArray, least_deg: float) -> bool:
        """Compare over [i, j): gravity in [i, i + w) against gravity in [j - w, j)."""
        if n_bad[j] - n_bad[i]:
            return False
        ga, gb = sums[i + w] - sums[i], sums[j] - sums[j - w]
        norms = float(np.linalg.norm(ga) * np.linalg.norm(gb))
        if norms <= 0:
            return False
        turn = math.degrees(math.acos(min(1.0, max(-1.0, float(np.dot(ga, gb)) / norms))))
        if turn < least_deg:
            return False
        gyro.append(math.degrees(float(rotation[j] - rotation[i])))
        gravity.append(turn)
        return True

    for a0, a1 in periods:  # slow turns inside one still period
        if a1 - a0 < w + step:
            continue
        starts = list(range(a0, a1 - w + 1, step))
        if starts[-1] != a1 - w:
            starts.append(a1 - w)
        anchor = starts[0]
        for k in starts[1:]:
            if stretch(anchor, k + w, tilt_path, MIN_SLOW_TURN_DEG):
                anchor = k
    for (a0, a1), (b0, b1) in itertools.pairwise(periods):  # movements between rests
        stretch(max(a0, a1 - w), min(b1, b0 + w), path, MIN_TURN_DEG)
    if len(gravity) < MIN_TURN_STRETCHES:
        return None
    total_gyro, total_gravity = float(sum(gyro)), float(sum(gravity))
    return TurnCheck(total_gyro, total_gravity, len(gravity), total_gyro / total_gravity)


TILT_BLOCK_S = 0.1
"""Block over which gravity's direction and the gyro's rotation are averaged for
:func:`gyro_tilt_check`, s (long enough that the accelerometer's noise barely moves the
direction, short enough that a movement's tilt is not cut across)."""

MIN_TILT_PATH_DEG = 20.0
"""Less tilt than this over the moving blocks and :func:`gyro_tilt_check` gives no verdict."""

TILT_TURN_SPAN_S = 1.0
"""Span over which a slow tilt is seen, s: a block is turning when gravity's direction half
this span before it and half after differ by more than :data:`MIN_TILT_TURN_DEG`."""

MIN_TILT_TURN_DEG = 2.0
"""Least turn of gravity's direction over :data:`TILT_TURN_SPAN_S` that makes a block count as
moving in :func:`gyro_tilt_check` although the accelerometer is steady, degrees. A slow tilt
(a pelvic tilt, a dead bug's pelvis: a few degrees a second) keeps every acc component within
the still test's spread, so without it such recordings had no moving block and passed
unchecked; the accelerometer's noise moves the direction by about 0.1 deg over it."""


@dataclass(frozen=True)
class TiltCheck:
    """How far the gyroscope tilts the sensor against how far gravity's direction moved.

    Only the gyro's rotation perpendicular to gravity tilts gravity's direction in the sensor
    (a turn about the vertical leaves it where it is), so over the same moments the two paths
    agree for a gyro read in the right unit; the accelerometer's path is longer where the body
    also accelerates, never shorter.

    Attributes:
        gyro_deg: the gyro's path perpendicular to gravity over the moving blocks, degrees.
        gravity_deg: gravity's path over the same blocks, degrees.
        ratio: ``gyro_deg / gravity_deg``.

    """

    gyro_deg: float
    gravity_deg: float
    ratio: float


def gyro_tilt_check(acc: FloatArray, gyr_rad_s: FloatArray, rate_hz: float) -> TiltCheck | None:
    """Compare the gyro's tilting rotation with gravity's path, block by block.

    The blocks (:data:`TILT_BLOCK_S`) where the accelerometer is not still
    (:func:`acc_still_mask`), or where gravity's direction turns slowly but clearly
    (:data:`MIN_TILT_TURN_DEG` over :data:`TILT_TURN_SPAN_S`, which the still test lets pass),
    are compared; the gyro's bias is its median over the still samples. Catches an angular
    rate in deg/s read as rad/s (57 times too much tilt), which the turn check between rests
    (:func:`gyro_turn_check`, a lower bound) cannot.

    Args:
        acc: shape (n, 3), specific force, any unit; NaN rows allowed.
        gyr_rad_s: shape (n, 3), angular rate read in the declared unit, rad/s.
        rate_hz: sampling rate, Hz.

    Returns:
        The comparison, or None when gravity moved less than :data:`MIN_TILT_PATH_DEG` over
        the moving blocks (nothing to compare) or there is no still sample for the bias.

    """
    b = max(1, round(TILT_BLOCK_S * rate_hz))
    k = acc.shape[0] // b
    if k < 3:
        return None
    still = acc_still_mask(acc, rate_hz)
    finite = np.all(np.isfinite(acc), axis=1) & np.all(np.isfinite(gyr_rad_s), axis=1)
    if not np.any(still & finite):
        return None
    bias = np.median(gyr_rad_s[still & finite], axis=0)
    a = acc[: k * b].reshape(k, b, 3)
    w = (gyr_rad_s[: k * b] - bias).reshape(k, b, 3)
    ok: BoolArray = np.asarray(finite[: k * b].reshape(k, b).all(axis=1))
    moving: BoolArray = np.asarray(~still[: k * b].reshape(k, b).all(axis=1))
    g = a.mean(axis=1)
    norm = np.linalg.norm(g, axis=1, keepdims=True)
    g = g / np.where(norm > 0, norm, 1.0)
    moving |= _turning_blocks(g, ok, max(1, round(0.5 * TILT_TURN_SPAN_S / TILT_BLOCK_S)))
    # From the middle of block i to the middle of block i + 1: gravity's angle, and the gyro's
    # rotation over the same span (the second half of i, the first half of i + 1).
    cos = np.clip(np.sum(g[:-1] * g[1:], axis=1), -1.0, 1.0)
    grav = np.arccos(cos)
    h = b // 2
    rot = (w[:-1, h:].sum(axis=1) + w[1:, :h].sum(axis=1)) / rate_hz
    up = 0.5 * (g[:-1] + g[1:])
    up = up / np.maximum(np.linalg.norm(up, axis=1, keepdims=True), 1e-12)
    perp = rot - np.sum(rot * up, axis=1, keepdims=True) * up
    tilt = np.linalg.norm(perp, axis=1)
    use = ok[:-1] & ok[1:] & (moving[:-1] | moving[1:])
    gravity_deg = math.degrees(float(grav[use].sum()))
    if gravity_deg < MIN_TILT_PATH_DEG:
        return None
    gyro_deg = math.degrees(float(tilt[use].sum()))
    return TiltCheck(gyro_deg, gravity_deg, gyro_deg / gravity_deg)


def _turning_blocks(g: FloatArray, ok: BoolArray, half: int) -> BoolArray:
    """Blocks where gravity's direction turns by :data:`MIN_TILT_TURN_DEG` or more.

    Args:
        g: shape (k, 3), gravity's unit direction per block.
        ok: shape (k,), the block has no NaN.
        half: blocks on either side compared (half of :data:`TILT_TURN_SPAN_S`).

    Returns:
        Shape (k,) bool: block ``i`` is turning when the directions at blocks ``i - half``
        and ``i + half`` (every block between them free of NaN) are further apart than
        :data:`MIN_TILT_TURN_DEG`; the first and last ``half`` blocks are not.

    """
    k = g.shape[0]
    turning = np.zeros(k, dtype=bool)
    if k <= 2 * half:
        return turning
    cos = np.clip(np.sum(g[: k - 2 * half] * g[2 * half :], axis=1), -1.0, 1.0)
    n_bad = np.concatenate(([0], np.cumsum(~ok)))
    clean = (n_bad[2 * half + 1 :] - n_bad[: k - 2 * half]) == 0
    turning[half : k - half] = clean & (np.degrees(np.arccos(cos)) > MIN_TILT_TURN_DEG)
    return turning
