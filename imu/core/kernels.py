"""Compiled loops for the analyzer's per-sample front end (numba).

The streaming blocks of :mod:`imu.core.stream` carry state from one chunk to the next, and
their natural form is a loop over samples: a filter's delays, a window's running extremes, a
run of missing samples. Written as numpy expressions, such loops need several passes and
temporaries per chunk; compiled, they take one pass. Each kernel here does exactly the
arithmetic of the numpy/scipy code it replaced, in the same order, so the output is the same
to the last bit (``tests/core/test_kernels.py`` checks each against its reference) and
however the stream is chunked.

Kernels are compiled on first use and cached beside this file (``__pycache__``), so a new
process loads them in a fraction of a second.

All arrays are C-contiguous float64 unless a docstring says otherwise; ``(m, c)`` is m
samples of c channels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@njit(cache=True, nogil=True)
def biquad(
    b: FloatArray, a: FloatArray, x: FloatArray, z: FloatArray, out: FloatArray
) -> None:  # pragma: no cover - compiled
    """One second-order section, direct form II transposed, in place of ``lfilter``.

    The operations are those of scipy's ``lfilter`` for a 3-tap ``b`` and ``a`` with
    ``a[0] == 1``, in its order, so the result is bit-identical.

    Args:
        b: shape (3,), numerator.
        a: shape (3,), denominator, ``a[0] == 1``.
        x: shape (m, c), input.
        z: shape (2, c), the delays, updated in place.
        out: shape (m, c), output.

    """
    m, c = x.shape
    for j in range(c):
        z0 = z[0, j]
        z1 = z[1, j]
        for i in range(m):
            xi = x[i, j]
            y = z0 + b[0] * xi
            z0 = z1 + xi * b[1] - y * a[1]
            z1 = xi * b[2] - y * a[2]
            out[i, j] = y
        z[0, j] = z0
        z[1, j] = z1


@njit(cache=True, nogil=True)
def window_span(ext: FloatArray, first: int, w: int, out: FloatArray) -> None:  # pragma: no cover
    """Max minus min of each channel over the ``w`` samples ending at each sample.

    Van Herk / Gil-Werman: in blocks of ``w`` samples, running extremes from each block's
    start (prefix) and from its end (suffix); a window spans at most two blocks, so its
    extreme is that of the suffix where it starts and the prefix where it ends, three
    comparisons per sample whatever the window. A window that would start before ``ext``
    holds what ``ext`` has (the first block's prefix).

    Args:
        ext: shape (n, c), the previous ``w - 1`` samples (fewer at the stream's start), then
            the chunk.
        first: index in ``ext`` of the chunk's first sample.
        w: window length, samples.
        out: shape (n - first, c), the spans for the chunk's samples.

    """
    n, c = ext.shape
    pmax = np.empty(n)
    pmin = np.empty(n)
    smax = np.empty(n)
    smin = np.empty(n)
    for j in range(c):
        for b0 in range(0, n, w):
            b1 = min(b0 + w, n)
            hi = ext[b0, j]
            lo = hi
            for i in range(b0, b1):
                v = ext[i, j]
                hi = max(hi, v)
                lo = min(lo, v)
                pmax[i] = hi
                pmin[i] = lo
            hi = ext[b1 - 1, j]
            lo = hi
            for i in range(b1 - 1, b0 - 1, -1):
                v = ext[i, j]
                hi = max(hi, v)
                lo = min(lo, v)
                smax[i] = hi
                smin[i] = lo
        for i in range(first, n):
            s = i - w + 1
            if s <= 0:  # the window holds ext[0..i], inside the first block
                out[i - first, j] = pmax[i] - pmin[i]
            else:
                out[i - first, j] = max(smax[s], pmax[i]) - min(smin[s], pmin[i])


@njit(cache=True, nogil=True)
def fill_runs(
    out: FloatArray, nan: BoolArray, last: FloatArray, has_last: bool, continued: bool,
    max_interp: int, flags: BoolArray,
) -> None:  # pragma: no cover - compiled
    """Fill the NaN runs of ``out`` in place: short ones by a straight line, long ones held.

    A run of at most ``max_interp`` samples with a valid sample on both sides is
    interpolated; any other run holds the sample before it (``last`` for a run at the
    chunk's start, else the sample after it, else 0) and is flagged.

    Args:
        out: shape (m, c), the samples, NaN rows to fill.
        nan: shape (m,), rows with a NaN.
        last: shape (c,), the sample before the chunk (when ``has_last``).
        has_last: whether there was a sample before the chunk.
        continued: a run at the chunk's start continues a long gap of the previous chunk.
        max_interp: the longest run bridged, samples.
        flags: shape (m,), set True on held (long-gap) rows.

    """
    m, c = out.shape
    i = 0
    while i < m:
        if not nan[i]:
            i += 1
            continue
        a = i
        while i < m and nan[i]:
            i += 1
        b = i
        length = b - a
        have_left = a > 0 or has_last
        have_right = b < m
        bridge = (have_left and have_right and length <= max_interp
                  and not (a == 0 and continued))
        if bridge:
            for k in range(1, length + 1):
                frac = k / (length + 1)
                for j in range(c):
                    left = out[a - 1, j] if a > 0 else last[j]
                    out[a + k - 1, j] = left + (out[b, j] - left) * frac
        else:
            for r in range(a, b):
                for j in range(c):
                    if have_left:
                        out[r, j] = out[a - 1, j] if a > 0 else last[j]
                    elif have_right:
                        out[r, j] = out[b, j]
                    else:
                        out[r, j] = 0.0
                flags[r] = True


@njit(cache=True, nogil=True)
def window_sums(q: IntArray, tail: IntArray, w: int, out: IntArray) -> None:  # pragma: no cover
    """Integer sums of each channel over the ``w`` samples ending at each sample of ``q``.

    Args:
        q: shape (m, c), the chunk, quantised.
        tail: shape (k, c), the ``k <= w - 1`` samples before the chunk.
        w: window length, samples.
        out: shape (m, c), the sums (a window that would start before ``tail`` sums what
            there is).

    """
    m, c = q.shape
    k = tail.shape[0]
    for j in range(c):
        s = 0
        for r in range(max(0, k - (w - 1)), k):
            s += tail[r, j]
        # s now sums the tail; slide: add the new sample, drop the one leaving the window.
        for i in range(m):
            s += q[i, j]
            leave = k + i - w  # index (in tail+chunk) of the sample that just left
            if leave >= 0:
                s -= tail[leave, j] if leave < k else q[leave - k, j]
            out[i, j] = s



@njit(cache=True, nogil=True)
def still_flags(
    g_range: FloatArray, a_range: FloatArray, gap: BoolArray, n0: int, window: int,
    g_limits: FloatArray, a_limits: FloatArray, state: FloatArray, still: BoolArray,
) -> None:  # pragma: no cover - compiled
    """Which samples end a still window (:class:`imu.core.stillness.StillnessBias`).

    A sample is still when its window is full, touches no gap, and both spans are under
    twice the quietest full window's so far, clipped to ``[min, max]``.

    Args:
        g_range: shape (m,), gyro span over the window, rad/s.
        a_range: shape (m,), accelerometer span over the window, m/s^2.
        gap: shape (m,), samples lost for too long to fill.
        n0: absolute index of the chunk's first sample.
        window: still-window length, samples.
        g_limits: shape (2,), gyro span limit (min, max), rad/s.
        a_limits: shape (2,), accelerometer span limit (min, max), m/s^2.
        state: shape (3,), (latest gap sample's absolute index, gyro floor, accelerometer
            floor), updated in place.
        still: shape (m,), the flags.

    """
    last_gap = state[0]
    g_floor = state[1]
    a_floor = state[2]
    for i in range(g_range.shape[0]):
        index = n0 + i
        if gap[i]:
            last_gap = max(last_gap, float(index))
        full = index >= window - 1 and index - last_gap >= window
        if full:
            g_floor = min(g_floor, g_range[i])
            a_floor = min(a_floor, a_range[i])
        g_limit = min(max(2.0 * g_floor, g_limits[0]), g_limits[1])
        a_limit = min(max(2.0 * a_floor, a_limits[0]), a_limits[1])
        still[i] = full and g_range[i] < g_limit and a_range[i] < a_limit
    state[0] = last_gap
    state[1] = g_floor
    state[2] = a_floor


@njit(cache=True, nogil=True)
def bias_from_still(
    g_mean: FloatArray, still: BoolArray, decay: float, fallback: FloatArray,
    fallback_latest: FloatArray, sums: FloatArray, bias: FloatArray, latest: FloatArray,
) -> bool:  # pragma: no cover - compiled
    """The gyro bias at each sample: the exponential average of the still windows' means.

    ``S <- decay * S + mean``, ``W <- decay * W + 1`` at each still sample, the bias ``S / W``
    (the window's mean itself when ``decay`` is 0), held until the next still sample; before
    the chunk's first still sample, ``fallback``.

    Args:
        g_mean: shape (m, 3), the gyro's mean over the window ending at each sample, rad/s.
        still: shape (m,), still samples.
        decay: weight of the earlier still samples per still sample, in [0, 1).
        fallback: shape (m, 3), the bias before the first still sample, rad/s.
        fallback_latest: shape (m, 3), ``latest`` before the first still sample, rad/s.
        sums: shape (4,), (S over 3 axes, W), updated in place.
        bias: shape (m, 3), out: the bias, rad/s.
        latest: shape (m, 3), out: the latest still window's mean, rad/s.

    Returns:
        Whether the chunk had a still sample.

    """
    m = g_mean.shape[0]
    seen = False
    k = 0  # the latest still sample
    b0 = 0.0
    b1 = 0.0
    b2 = 0.0
    for i in range(m):
        if still[i]:
            seen = True
            k = i
            if decay == 0.0:
                b0, b1, b2 = g_mean[i, 0], g_mean[i, 1], g_mean[i, 2]
                sums[0], sums[1], sums[2], sums[3] = b0, b1, b2, 1.0
            else:
                sums[0] = sums[0] * decay + g_mean[i, 0]
                sums[1] = sums[1] * decay + g_mean[i, 1]
                sums[2] = sums[2] * decay + g_mean[i, 2]
                sums[3] = sums[3] * decay + 1.0
                b0, b1, b2 = sums[0] / sums[3], sums[1] / sums[3], sums[2] / sums[3]
        if seen:
            bias[i, 0], bias[i, 1], bias[i, 2] = b0, b1, b2
            for j in range(3):
                latest[i, j] = g_mean[k, j]
        else:
            for j in range(3):
                bias[i, j] = fallback[i, j]
                latest[i, j] = fallback_latest[i, j]
    return seen
