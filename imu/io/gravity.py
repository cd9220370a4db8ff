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
from dataclasses import dataclass, field

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
        parts: shape (n_stretches, 4), one row per stretch in time order: its first sample,
            its end (exclusive), the gyro's path and gravity's turn over it, degrees.

    """

    gyro_deg: float
    gravity_deg: float
    n_stretches: int
    ratio: float
    parts: FloatArray = field(default_factory=lambda: np.zeros((0, 4)), repr=False,
                              compare=False)


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
    spans: list[tuple[int, int]] = []

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
        spans.append((i, j))
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
    parts = np.column_stack([np.array(spans, dtype=np.float64).reshape(-1, 2), gyro, gravity])
    parts = parts[np.argsort(parts[:, 0], kind="stable")]
    return TurnCheck(total_gyro, total_gravity, len(gravity), total_gyro / total_gravity, parts)


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
        parts: shape (k, 4), one row per pair of blocks compared, in time order: the first
            sample of the pair and its end (exclusive), the gyro's tilting path and gravity's
            path from the middle of one block to the middle of the other, degrees.
        agreement: how well the way the gyro turns gravity matches the way gravity's
            direction moved, -1 to 1: the sum over the pairs of ``dot(-rot x up, du)``
            divided by the sum of their lengths (a world-fixed direction ``u`` turns by
            ``-rot x u`` in the sensor frame). About 1 for a gyro and an accelerometer in
            one frame; about -1 with the gyro's sign flipped; near 0 or below with the axes
            of one sensor in another order. NaN when not computed.

    """

    gyro_deg: float
    gravity_deg: float
    ratio: float
    agreement: float = math.nan
    parts: FloatArray = field(default_factory=lambda: np.zeros((0, 4)), repr=False,
                              compare=False)


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
    first = np.flatnonzero(use) * float(b)
    parts = np.column_stack([first, first + 2 * b, np.degrees(tilt[use]), np.degrees(grav[use])])
    predicted = -np.cross(rot[use], up[use])
    moved = g[1:][use] - g[:-1][use]
    lengths = float(np.sum(np.linalg.norm(predicted, axis=1) * np.linalg.norm(moved, axis=1)))
    agreement = float(np.sum(predicted * moved)) / lengths if lengths > 0 else math.nan
    return TiltCheck(gyro_deg, gravity_deg, gyro_deg / gravity_deg, parts=parts,
                     agreement=agreement)


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


STEADY_MAX_ACC_REL_STD = TURN_STILL_MAX_ACC_STD
"""Largest standard deviation of any acc component over a window, as a share of the window's
own mean magnitude, for :func:`steady_mask` (the share of :func:`acc_still_mask`, but of a
local scale, so that a file whose unit changes part-way is judged in each unit)."""

MIXED_UNIT_MIN_RATIO = 1.6
"""Least ratio between two levels of the acc magnitude at rest that :func:`rest_level_change`
takes for a change of unit. Gravity at rest reads the same within a few per cent in any pose
of one sensor (calibration error); the smallest change of unit is 2 (a raw-count range switched
from +-2 g to +-4 g), the common ones 9.81 (g and m/s^2), 1000 (mg and g) and 102 (mg and
m/s^2). Steady 1 s stretches at 0.6 g or 1.6 g would need a body accelerating steadily for a
second (several m/s), which no exercise does."""

MIN_LEVEL_S = MIN_STILL_S
"""Least steady time, s, a level of the magnitude at rest must hold for
:func:`rest_level_change` to count it (a short odd moment is not a unit)."""


@dataclass(frozen=True)
class LevelChange:
    """Where the acc magnitude at rest changes level part-way through a recording.

    Attributes:
        index: first sample at the new level (of the samples given).
        before: the magnitude at rest before it (median over its steady stretches), unit of
            the input.
        after: the magnitude at rest after it, unit of the input.
        n_changes: level changes over the whole recording (1: one unit, then another).

    """

    index: int
    before: float
    after: float
    n_changes: int

    @property
    def ratio(self) -> float:
        """``after / before`` (or its inverse, whichever is larger)."""
        r = self.after / self.before
        return max(r, 1.0 / r)


def steady_mask(acc: FloatArray, rate_hz: float, window_s: float = STILL_WINDOW_S) -> BoolArray:
    """Samples inside a window where every acc component is steady, relative to that window.

    Like :func:`acc_still_mask` but the threshold is a share
    (:data:`STEADY_MAX_ACC_REL_STD`) of each window's own mean magnitude, not of the file's
    median: a file in m/s^2 for one half and in g for the other is judged fairly in both.

    Args:
        acc: shape (n, 3), any unit; NaN rows allowed (their windows are not steady).
        rate_hz: sampling rate, Hz.
        window_s: window length, s.

    Returns:
        Shape (n,) bool: covered by at least one steady window.

    """
    n = acc.shape[0]
    starts, w = _steady_starts(acc, rate_hz, window_s)
    cover = np.zeros(n + 1, dtype=np.int64)
    np.add.at(cover, starts, 1)
    np.add.at(cover, starts + w, -1)
    return np.asarray(np.cumsum(cover)[:n] > 0)


def _steady_starts(
    acc: FloatArray, rate_hz: float, window_s: float = STILL_WINDOW_S
) -> tuple[npt.NDArray[np.intp], int]:
    """Starts of the steady windows ``[k, k + w)`` of :func:`steady_mask`, and ``w``."""
    n = acc.shape[0]
    w = max(3, round(window_s * rate_hz))
    finite = np.all(np.isfinite(acc), axis=1)
    if n < w or not np.any(finite):
        return np.zeros(0, dtype=np.intp), w
    x = np.where(finite[:, None], acc - np.median(acc[finite], axis=0), 0.0)
    mags = np.where(finite, np.linalg.norm(np.where(finite[:, None], acc, 0.0), axis=1), 0.0)
    s1 = np.concatenate((np.zeros((1, 3)), np.cumsum(x, axis=0)))
    s2 = np.concatenate((np.zeros((1, 3)), np.cumsum(x * x, axis=0)))
    m1 = np.concatenate(([0.0], np.cumsum(mags)))
    n_bad = np.concatenate(([0], np.cumsum(~finite)))
    mean = (s1[w:] - s1[:-w]) / w
    var = np.maximum((s2[w:] - s2[:-w]) / w - mean * mean, 0.0)
    spread = np.sqrt(np.max(var, axis=1))
    level = (m1[w:] - m1[:-w]) / w
    clean = (n_bad[w:] - n_bad[:-w]) == 0
    return np.flatnonzero(clean & (level > 0) & (spread < STEADY_MAX_ACC_REL_STD * level)), w


def rest_level_change(
    acc: FloatArray, rate_hz: float, min_ratio: float = MIXED_UNIT_MIN_RATIO
) -> LevelChange | None:
    """Find a change of the acc magnitude at rest by a unit's factor part-way (mixed units).

    The steady stretches (chains of overlapping steady windows of :func:`steady_mask`) each
    read gravity in one unit: the magnitude jumps where the unit changes, and no steady window
    holds that jump. Their median magnitudes are grouped into
    levels (sorted, cut wherever two neighbours differ by ``min_ratio`` or more); levels
    holding less than :data:`MIN_LEVEL_S` of steady time are left out. With two levels or
    more, the first change in time is placed between the last stretch at the first level and
    the next stretch at another: at the sample that best splits the magnitudes between them
    into the two levels (exact for still data).

    Args:
        acc: shape (n, 3), any unit; NaN rows allowed.
        rate_hz: sampling rate, Hz.
        min_ratio: least ratio between two levels (:data:`MIXED_UNIT_MIN_RATIO`).

    Returns:
        The first change, or None when the magnitude at rest keeps one level (or no steady
        stretch exists).

    """
    starts, w = _steady_starts(acc, rate_hz)
    if starts.size == 0:
        return None
    mags = np.linalg.norm(acc, axis=1)
    # a stretch is a chain of overlapping steady windows (one step apart): a jump of the
    # magnitude (a change of unit) is in no steady window, so no stretch spans it
    breaks = np.flatnonzero(np.diff(starts) > 1)
    firsts = np.concatenate(([starts[0]], starts[breaks + 1]))
    lasts = np.concatenate((starts[breaks], [starts[-1]]))
    runs = [(int(a), int(b) + w) for a, b in zip(firsts, lasts, strict=True)]
    levels = np.array([float(np.median(mags[a:b])) for a, b in runs])
    ok = levels > 0
    if np.count_nonzero(ok) < 2:
        return None
    runs = [run for run, good in zip(runs, ok, strict=True) if good]
    logs = np.log(levels[ok])
    sizes = np.array([b - a for a, b in runs])
    order = np.argsort(logs, kind="stable")
    cuts = np.flatnonzero(np.diff(logs[order]) >= math.log(min_ratio))
    if cuts.size == 0:
        return None
    group = np.empty(len(runs), dtype=np.int64)
    group[order] = np.searchsorted(cuts, np.arange(len(runs)), side="left")
    totals = np.bincount(group, weights=sizes)
    big = totals >= MIN_LEVEL_S * rate_hz
    if np.count_nonzero(big) < 2:
        return None
    kept = [i for i in range(len(runs)) if big[group[i]]]
    level_of = {
        int(g): float(np.exp(np.median(np.repeat(logs[group == g], sizes[group == g]))))
        for g in np.flatnonzero(big)
    }
    labels = [int(group[i]) for i in kept]
    n_changes = sum(1 for p, q in itertools.pairwise(labels) if p != q)
    first = next(k for k in range(1, len(kept)) if labels[k] != labels[0])
    a_end, b_start = runs[kept[first - 1]][1], runs[kept[first]][0]
    lo, hi = min(a_end, b_start), max(a_end, b_start)
    before, after = level_of[labels[0]], level_of[labels[first]]
    return LevelChange(_split_index(mags, lo, hi, before, after), before, after, n_changes)


def _split_index(mags: FloatArray, start: int, stop: int, before: float, after: float) -> int:
    """The sample in ``[start, stop]`` that best splits ``mags[start:stop]`` into two levels.

    Samples before it should be nearer (in log) to ``before``, samples from it on to
    ``after``; the split with the fewest samples on the wrong side wins (NaN count nowhere).
    """
    seg = mags[start:stop]
    with np.errstate(divide="ignore", invalid="ignore"):
        nearer_after = np.abs(np.log(seg / after)) < np.abs(np.log(seg / before))
    valid = np.isfinite(seg) & (seg > 0)
    wrong_before = np.concatenate(([0], np.cumsum(valid & nearer_after)))  # in [start, k)
    wrong_after = np.concatenate(([0], np.cumsum((valid & ~nearer_after)[::-1])))[::-1]
    return start + int(np.argmin(wrong_before + wrong_after))


NOISE_MAX_LAG1_CORR = 0.3
"""Largest correlation between successive acc samples (:func:`lag1_correlation`) of data
taken for random noise when no still period exists either. Body movement is smooth at any
rate a motion sensor records: 0.90-1.00 on the bundled recordings, 0.50-0.96 on the real belt
data (45 Hz, coarse counts); white noise gives about 0."""

NOISE_MIN_S = 10.0
"""Shortest recording, s, that :func:`imu.io.csv_import` judges for noise."""

REST_MAX_REL_SPREAD = 0.15
"""Largest spread (interquartile range over median) of the magnitudes taken at rest for them
to show a stable rest when no still period was found (the quietest windows): beyond it the
magnitude at rest is no reading of gravity and tells no unit."""


def lag1_correlation(x: FloatArray) -> float:
    """Correlation between successive rows of a vector signal, NaN rows skipped.

    ``sum(x[i] . x[i+1]) / sum(|x[i]|^2)`` with the mean removed: about 1 for a smooth
    signal (body movement sampled far faster than it changes), about 0 for white noise.

    Args:
        x: shape (n, k), e.g. the accelerometer's rows in time order.

    Returns:
        The correlation, NaN with fewer than 3 finite rows or a constant signal.

    """
    ok = np.all(np.isfinite(x), axis=1)
    if np.count_nonzero(ok) < 3:
        return float("nan")
    d = np.where(ok[:, None], x - np.mean(x[ok], axis=0), 0.0)
    den = float(np.sum(d * d))
    if den <= 0:
        return float("nan")
    return float(np.sum(d[1:] * d[:-1])) / den  # NaN rows are zero: their pairs add nothing


def rest_spread(mags: FloatArray) -> float:
    """Interquartile range over median of magnitudes at rest (NaN when empty or zero)."""
    finite = mags[np.isfinite(mags)]
    if finite.size == 0:
        return float("nan")
    q25, q50, q75 = np.quantile(finite, [0.25, 0.5, 0.75])
    return float((q75 - q25) / q50) if q50 > 0 else float("nan")


MIN_ITEM_GRAVITY_DEG = 1.0
"""Least turn of gravity over a stretch or block pair, degrees, for :func:`ratio_change` to
place the change of ratio by it (below it, the ratio is mostly noise)."""


@dataclass(frozen=True)
class RatioChange:
    """Where the gyro's rotation against gravity's changes part-way (a change of gyro unit).

    Attributes:
        index: the first sample of the later part's first item.
        last_end: the end (exclusive) of the earlier part's last item: the change lies in
            ``[min(last_end, index), index]`` (a rest between them hides where).
        before: the gyro's rotation over gravity's before it.
        after: the same after it.
        n_before: stretches (or block pairs) before it.
        n_after: stretches (or block pairs) after it.

    """

    index: int
    last_end: int
    before: float
    after: float
    n_before: int
    n_after: int

    @property
    def factor(self) -> float:
        """How many times the larger ratio is the smaller."""
        low, high = sorted((self.before, self.after))
        return high / low if low > 0 else math.inf


def ratio_change(
    starts: FloatArray,
    ends: FloatArray,
    gyro_deg: FloatArray,
    gravity_deg: FloatArray,
    min_gravity_deg: float,
    min_parts: int = 1,
) -> RatioChange | None:
    """Split a sequence of comparisons in two where the gyro/gravity ratios differ most.

    For the stretches of :class:`TurnCheck` or the block pairs of :class:`TiltCheck`, in time
    order: every split leaving at least ``min_gravity_deg`` of gravity's turn and
    ``min_parts`` items on each side is tried, and the one whose two pooled ratios are the
    furthest apart (in log) is returned. A gyro read in one unit for part of a file and in
    another (57x) for the rest gives two ratios 57 times apart at the change.

    Args:
        starts: shape (k,), the first sample of each item, sorted.
        ends: shape (k,), the end (exclusive) of each item.
        gyro_deg: shape (k,), the gyro's rotation over each, degrees.
        gravity_deg: shape (k,), gravity's turn over each, degrees.
        min_gravity_deg: least gravity turn on each side, degrees.
        min_parts: least items on each side.

    Returns:
        The split, or None when no split leaves enough on both sides (or a side has no
        rotation at all).

    """
    k = starts.size
    if k < 2:
        return None
    g1 = np.cumsum(gyro_deg)[:-1]
    a1 = np.cumsum(gravity_deg)[:-1]
    g2 = float(np.sum(gyro_deg)) - g1
    a2 = float(np.sum(gravity_deg)) - a1
    n1 = np.arange(1, k)
    ok = (a1 >= min_gravity_deg) & (a2 >= min_gravity_deg) & (n1 >= min_parts)
    ok &= (k - n1 >= min_parts) & (g1 > 0) & (g2 > 0)
    if not np.any(ok):
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(ok, np.abs(np.log((g1 / a1) / (g2 / a2))), -np.inf)
    s = int(np.argmax(gap))
    r1, r2 = float(g1[s] / a1[s]), float(g2[s] / a2[s])
    # Items that barely move gravity carry a ratio of noise and may fall on the wrong side of
    # the split; the change lies between the last clear item of the first ratio and the first
    # clear item of the second (each nearer, in log, to its part's ratio).
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.log(gyro_deg / gravity_deg)
    clear = (gravity_deg >= MIN_ITEM_GRAVITY_DEG) & np.isfinite(own)
    nearer_first = np.abs(own - math.log(r1)) < np.abs(own - math.log(r2))
    idx = np.arange(k)
    firsts = np.flatnonzero(clear & nearer_first & (idx <= s))
    seconds = np.flatnonzero(clear & ~nearer_first & (idx > s))
    index = int(starts[seconds[0]]) if seconds.size else int(starts[s + 1])
    last_end = int(np.max(ends[firsts])) if firsts.size else int(np.max(ends[: s + 1]))
    return RatioChange(index, last_end, r1, r2, s + 1, k - s - 1)
