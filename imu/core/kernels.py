"""Compiled loops for the analyzer's per-sample front end (numba).

The streaming blocks of :mod:`imu.core.stream` carry state from one chunk to the next, and
their natural form is a loop over samples: a filter's delays, a window's running extremes, a
run of missing samples. Written as numpy expressions, such loops need several passes and
temporaries per chunk; compiled, they take one pass. Each kernel here does exactly the
arithmetic of the numpy/scipy code it replaced, in the same order, so the output is the same
to the last bit (``tests/core/test_kernels.py`` checks each against its reference) and
however the stream is chunked.

Kernels are compiled when the first analyzer of a process is made (:func:`ensure_compiled`,
a few seconds the first time on a machine) and cached beside this file (``__pycache__``) or
in the user's cache folder, so a later process loads them in a fraction of a second. They
keep numpy's error model (a division by zero gives inf or NaN, not an exception).

All arrays are C-contiguous float64 unless a docstring says otherwise; ``(m, c)`` is m
samples of c channels.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

logger = logging.getLogger(__name__)


def _kernel(func: Callable[..., Any]) -> Any:
    """Compile ``func`` with numpy's error model, cached on disk where a cache can be written.

    numpy's error model: a division by zero gives inf or NaN, as the numpy code it replaces
    did (numba's default raises ``ZeroDivisionError``). Where neither the package's folder
    nor the user's cache folder can be written (a read-only container), the kernels are
    compiled in every process instead of failing to import.
    """
    global cached
    try:
        return numba.njit(cache=True, nogil=True, error_model="numpy")(func)
    except RuntimeError as exc:  # "cannot cache function ...: no locator available"
        logger.info("compiled kernels not cached (%s); they compile in every process", exc)
        cached = False
        return numba.njit(cache=False, nogil=True, error_model="numpy")(func)


cached = True
"""False when no cache folder could be written: the kernels then compile in every process."""


@_kernel
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
    b0, b1, b2, a1, a2 = b[0], b[1], b[2], a[1], a[2]
    if c == 3:
        # The three axes side by side: independent recurrences that the processor overlaps.
        p0, p1, p2 = z[0, 0], z[0, 1], z[0, 2]
        q0, q1, q2 = z[1, 0], z[1, 1], z[1, 2]
        for i in range(m):
            x0, x1, x2 = x[i, 0], x[i, 1], x[i, 2]
            y0 = p0 + b0 * x0
            y1 = p1 + b0 * x1
            y2 = p2 + b0 * x2
            p0 = q0 + x0 * b1 - y0 * a1
            p1 = q1 + x1 * b1 - y1 * a1
            p2 = q2 + x2 * b1 - y2 * a1
            q0 = x0 * b2 - y0 * a2
            q1 = x1 * b2 - y1 * a2
            q2 = x2 * b2 - y2 * a2
            out[i, 0], out[i, 1], out[i, 2] = y0, y1, y2
        z[0, 0], z[0, 1], z[0, 2] = p0, p1, p2
        z[1, 0], z[1, 1], z[1, 2] = q0, q1, q2
        return
    for j in range(c):
        p, q = z[0, j], z[1, j]
        for i in range(m):
            xi = x[i, j]
            y = p + b0 * xi
            p = q + xi * b1 - y * a1
            q = xi * b2 - y * a2
            out[i, j] = y
        z[0, j], z[1, j] = p, q


@_kernel
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


@_kernel
def window_span_norm(
    ext: FloatArray, first: int, w: int, out: FloatArray
) -> None:  # pragma: no cover - compiled
    """The length of the vector of 3 channels' spans (:func:`window_span`), shape (n - first,).

    ``sqrt(s0**2 + s1**2 + s2**2)`` in that order, as numpy computes it.
    """
    n = ext.shape[0]
    spans = np.empty((n - first, 3))
    window_span(ext, first, w, spans)
    for i in range(n - first):
        s0, s1, s2 = spans[i, 0], spans[i, 1], spans[i, 2]
        out[i] = np.sqrt(s0 * s0 + s1 * s1 + s2 * s2)


@_kernel
def _monotonic(
    out: FloatArray, nan: BoolArray, hist: FloatArray, j: int, start: int, step: int, n: int
) -> bool:  # pragma: no cover - compiled
    """Whether ``n`` samples of channel ``j`` from ``start`` (going ``step``) move one way.

    They move one way when they never turn back and their slope changes from sample to
    sample by no more than its mean (with three or more samples). Indices below 0 are the
    history before the chunk (``hist``, -1 its last row). A side of a gap that moves one way
    is a movement under way: its edge sample, not its mean, continues it (the mean of a
    burst's flank lags it). Any other side is a tremor or noise, which the mean smooths.
    """
    n_hist = hist.shape[0]
    prev_diff = 0.0
    prev = 0.0
    turn = 0.0  # the largest change of slope, |second difference|
    total = 0.0  # the change over the samples
    for i in range(n):
        q = start + step * i
        v = out[q, j] if q >= 0 else hist[n_hist + q, j]
        if i > 0:
            d = v - prev
            if d * prev_diff < 0.0:
                return False
            if i > 1:
                turn = max(turn, abs(d - prev_diff))
            total += d
            prev_diff = d
        prev = v
    # A tremor sampled coarsely can run one way for a few samples by chance, but its slope
    # swings from sample to sample; a movement's slope changes less than its mean.
    return n < 3 or turn <= abs(total) / (n - 1)


@_kernel
def fill_runs(
    out: FloatArray, nan: BoolArray, last: FloatArray, has_last: bool, continued: bool,
    max_interp: int, flags: BoolArray, hist: FloatArray, edge_n: int,
) -> None:  # pragma: no cover - compiled
    """Fill the NaN runs of ``out`` in place: short ones by a straight line, long ones held.

    A run of at most ``max_interp`` samples with a valid sample on both sides is
    interpolated on a straight line. On each side it starts from the edge sample where the
    valid samples next to the run (up to ``edge_n``, not across another run) move one way
    (:func:`_monotonic`: a movement under way, which the edge continues), else from their
    mean, placed at their mean time: a tremor's single sample at an edge, held over the run,
    would turn into a rotation once the rate is integrated. Any other run holds
    the sample before it (``last`` for a run at the chunk's start, else the sample after it,
    else 0) and is flagged.

    Args:
        out: shape (m, c), the samples, NaN rows to fill.
        nan: shape (m,), rows with a NaN.
        last: shape (c,), the sample before the chunk (when ``has_last``).
        has_last: whether there was a sample before the chunk.
        continued: a run at the chunk's start continues a long gap of the previous chunk.
        max_interp: the longest run bridged, samples.
        flags: shape (m,), set True on held (long-gap) rows.
        hist: shape (h, c), the valid samples just before the chunk, oldest first, with no
            gap among them (h <= ``edge_n``; its last row is ``last``).
        edge_n: the most samples averaged on each side of a bridged run.

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
            n_hist = hist.shape[0]
            for j in range(c):
                # Left: back from the run, into the samples before the chunk if need be.
                total = 0.0
                n_left = 0
                q = a - 1
                while n_left < edge_n:
                    if q >= 0:
                        if nan[q]:
                            break
                        total += out[q, j]
                    elif -q <= n_hist:
                        total += hist[n_hist + q, j]
                    else:
                        break
                    n_left += 1
                    q -= 1
                if n_left == 0:  # no history kept: the sample before the chunk
                    total, n_left = last[j], 1
                left = total / n_left
                t_left = a - 1 - 0.5 * (n_left - 1)
                edge = out[a - 1, j] if a > 0 else last[j]
                if _monotonic(out, nan, hist, j, a - 1, -1, n_left):
                    left, t_left = edge, a - 1.0
                total = 0.0
                n_right = 0
                q = b
                while n_right < edge_n and q < m and not nan[q]:
                    total += out[q, j]
                    n_right += 1
                    q += 1
                right = total / n_right
                t_right = b + 0.5 * (n_right - 1)
                if _monotonic(out, nan, hist, j, b, 1, n_right):
                    right, t_right = out[b, j], float(b)
                for k in range(a, b):
                    frac = (k - t_left) / (t_right - t_left)
                    out[k, j] = left + (right - left) * frac
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


@_kernel
def window_mean(
    x: FloatArray, resolution: float, tail: IntArray, w: int, seen: int, q: IntArray,
    out: FloatArray,
) -> None:  # pragma: no cover - compiled
    """Mean of each channel over the ``w`` samples ending at each sample, chunk-exact.

    The samples are quantised to ``resolution`` and summed as integers, so a window's sum
    does not depend on where the running sum started.

    Args:
        x: shape (m, c), the chunk.
        resolution: quantum, same unit as ``x``.
        tail: shape (k, c), the ``k <= w - 1`` quantised samples before the chunk.
        w: window length, samples.
        seen: samples before the chunk (a window that would start before the stream averages
            what there is).
        q: shape (m, c), out: the chunk quantised.
        out: shape (m, c), out: the means, same unit as ``x``.

    """
    m, c = x.shape
    k = tail.shape[0]
    for i in range(m):
        for j in range(c):
            q[i, j] = np.int64(np.rint(x[i, j] / resolution))
    for j in range(c):
        s = 0
        for r in range(k):
            s += tail[r, j]
        # Slide: add the new sample, drop the one leaving the window.
        for i in range(m):
            s += q[i, j]
            leave = k + i - w  # index (in tail + chunk) of the sample that just left
            if leave >= 0:
                s -= tail[leave, j] if leave < k else q[leave - k, j]
            out[i, j] = s * resolution / float(min(seen + i + 1, w))


@_kernel
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


@_kernel
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


VALLEY_RISE_FRACTION = 0.5
"""A valley of a run ends the movement before it once the speed after it rises to twice the
valley (:func:`_cut_valleys`). When the movement after is the slower one (a braced rep right
after the fast recovery from a back arch), the valley lies above a tenth of its peak, and a
cut only where both sides' tenths agreed joined the two: the rep then started below rest
and was taken for part of the recovery."""


@_kernel
def _cut_valleys(
    absw: FloatArray, a: int, b: int, frac: float, cuts: IntArray
) -> int:  # pragma: no cover - compiled
    """Cut points of run ``[a, b)`` where one movement ended and another began.

    A sample is in a valley when it is below ``frac`` of the highest speed before it within
    the run (the movement before has ended by the phase convention, below that share of its
    own peak) and below :data:`VALLEY_RISE_FRACTION` of the highest speed after it (a
    movement at least that much faster follows). Each valley (a maximal stretch of such
    samples) is cut at its slowest sample (the first, on a tie). Writes the cuts, in order,
    to ``cuts``; returns how many.
    """
    n = b - a
    right = np.empty(n)
    hi = absw[b - 1]
    for i in range(n - 1, -1, -1):
        hi = max(hi, absw[a + i])
        right[i] = hi
    left = absw[a]
    n_cuts = 0
    in_valley = False
    best = 0
    for i in range(n):
        v = absw[a + i]
        left = max(left, v)
        valley = v < min(frac * left, VALLEY_RISE_FRACTION * right[i])
        if (valley and not in_valley) or (valley and v < absw[a + best]):
            best = i
        if in_valley and not valley:
            cuts[n_cuts] = a + best
            n_cuts += 1
        in_valley = valley
    if in_valley:
        cuts[n_cuts] = a + best
        n_cuts += 1
    return n_cuts


@_kernel
def _edges(
    absw: FloatArray, pk: int, peak: float, lo: int, hi: int, base: int,
    frac: float, tol: float,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """A lobe's start and end: where ``|w|`` crosses ``frac`` of its peak, made robust.

    The direct crossings first (the last sample below the level before the peak, the first
    after it, interpolated). Then, where breathing or sway at that level moved them, the
    line through the flank's crossings of twice the fraction and of half the peak, continued
    down to the fraction, replaces a crossing more than ``tol`` samples from it (only when
    ``tol > 0``; :class:`imu.core.segmentation.LobeFinder`). Absolute indices, fractional:
    the integer part is added first, so the bits do not depend on ``base``'s chunking.
    """
    level = frac * peak
    # Left: the last sample below the level in [lo, pk].
    i0 = lo
    f0 = 0.0
    for i in range(pk, lo - 1, -1):
        if absw[i] < level:
            va, vb = absw[i], absw[i + 1]
            i0 = i
            f0 = (level - va) / (vb - va) if vb != va else 0.0
            break
    # Right: the first sample below the level in [pk, hi).
    i1 = hi - 1
    f1 = 0.0
    for i in range(pk, hi):
        if absw[i] < level:
            va, vb = absw[i - 1], absw[i]
            i1 = i - 1
            f1 = (va - level) / (va - vb) if va != vb else 0.0
            break
    start = (base + i0) + f0
    end = (base + i1) + f1
    if tol <= 0.0:
        return start, end
    low, high = 2.0 * frac * peak, 0.5 * peak
    if low >= high:
        return start, end
    share = frac / (0.5 - 2.0 * frac)  # (low - level) / (high - low), in units of peak
    k2 = -1
    for i in range(pk, lo - 1, -1):
        if absw[i] < low:
            k2 = i
            break
    if k2 >= 0:
        k5 = pk
        for i in range(pk, lo - 1, -1):
            if absw[i] < high:
                k5 = i
                break
        va, vb = absw[k2], absw[k2 + 1]
        f2 = (low - va) / (vb - va) if vb != va else 0.0
        va, vb = absw[k5], absw[k5 + 1]
        f5 = (high - va) / (vb - va) if vb != va else 0.0
        t2, t5 = (base + k2) + f2, (base + k5) + f5
        line = t2 - (t5 - t2) * share
        if t5 > t2 and abs(line - start) > tol:
            start = max(line, float(base + lo))
    k2 = -1
    for i in range(pk, hi):
        if absw[i] < low:
            k2 = i
            break
    if k2 >= 0:
        k5 = pk
        for i in range(pk, hi):
            if absw[i] < high:
                k5 = i
                break
        va, vb = absw[k2 - 1], absw[k2]
        f2 = (va - low) / (va - vb) if va != vb else 0.0
        va, vb = absw[k5 - 1], absw[k5]
        f5 = (va - high) / (va - vb) if va != vb else 0.0
        t2, t5 = (base + k2 - 1) + f2, (base + k5 - 1) + f5
        line = t2 + (t2 - t5) * share
        if t2 > t5 and abs(line - end) > tol:
            end = min(line, float(base + hi - 1))
    return start, end


WIDEN_SHARE = 0.5
"""A piece of a run that lies outside its peak's 10% edges and rotates at least this share of
what lies inside them is part of the movement (:func:`_widen`)."""


@_kernel
def _widen(
    buf: FloatArray, absw: FloatArray, pa: int, pb: int, lo: int, hi: int, base: int,
    start: float, end: float, frac: float, tol: float,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Widen a lobe's edges over a slower movement of the same run that they leave out.

    The edges of piece ``[pa, pb)`` come from its fastest moment. A slow lowering that ends
    in a quick small dip (a fidget, the legs settling) is one run whose valley is too
    shallow to cut (:func:`_cut_valleys`), and the dip's own 10% edges then leave the
    lowering out: the eccentric reads as the dip. While the part of the piece before
    ``start`` (after ``end``) rotates at least :data:`WIDEN_SHARE` of the part between
    them, the edge moves to that part's own edge, found as :func:`_edges` finds it from its
    own peak (at most four times per side). Absolute fractional indices in and out, as
    ``_edges``.
    """
    for _ in range(4):
        s0 = int(start) - base
        if s0 <= pa:
            break
        inside = 0.0
        for i in range(s0, min(int(end) - base + 1, pb)):
            inside += buf[i]
        before = 0.0
        pk = pa
        for i in range(pa, s0):
            before += buf[i]
            if absw[i] > absw[pk]:
                pk = i
        if abs(before) < WIDEN_SHARE * abs(inside):
            break
        wider, _ = _edges(absw, pk, absw[pk], lo, s0 + 1, base, frac, tol)
        if wider >= start:
            break
        start = wider
    for _ in range(4):
        e0 = int(end) - base + 1
        if e0 >= pb:
            break
        inside = 0.0
        for i in range(max(int(start) - base, pa), e0):
            inside += buf[i]
        after = 0.0
        pk = e0
        for i in range(e0, pb):
            after += buf[i]
            if absw[i] > absw[pk]:
                pk = i
        if abs(after) < WIDEN_SHARE * abs(inside):
            break
        _, wider = _edges(absw, pk, absw[pk], e0 - 1, hi, base, frac, tol)
        if wider <= end:
            break
        end = wider
    return start, end


@_kernel
def closed_lobes(
    buf: FloatArray, ang: FloatArray, acc_ang: FloatArray, base: int, dead_band: float,
    min_velocity: float, min_run: int, frac: float, tol: float, dt: float,
    ints: IntArray, floats: FloatArray,
) -> tuple[int, int, int]:  # pragma: no cover - compiled
    """The lobes of the runs of ``buf`` that have closed (``LobeFinder``).

    A run is a stretch above ``dead_band``, below ``-dead_band`` or between; every run but
    the last (still open) is closed. A closed signed run whose peak reaches ``min_velocity``
    is cut at its deep valleys (:func:`_cut_valleys`); each piece that peaks at
    ``min_velocity`` or more and lasts ``min_run`` samples or more is a lobe, its edges
    where the speed crosses ``frac`` of the peak (:func:`_edges`), widened over a slower
    part of the piece that rotates as much (:func:`_widen`).

    Args:
        buf: shape (n,), angular velocity about the axis, deg/s.
        ang: shape (n,), fused pelvic angle, deg.
        acc_ang: shape (n,), the accelerometer's inclination, deg.
        base: absolute index of ``buf[0]``.
        dead_band: the quiet band, deg/s.
        min_velocity: a lobe's smallest peak, deg/s.
        min_run: a lobe's fewest samples.
        frac: the phase fraction (edges where the speed crosses it of the peak).
        tol: edge tolerance, samples (0: the direct crossings only).
        dt: sample period, s.
        ints: shape (n, 4), out: per lobe (sign, run start, run end, peak index), absolute.
        floats: shape (n, 7), out: per lobe (start, end, peak deg/s, rotation deg, angle at
            the run's start and end deg, the inclination's change over the run deg).

    Returns:
        (lobes written, index in ``buf`` where the open run starts, the open run's sign).

    """
    n = buf.shape[0]
    if n == 0:
        return 0, 0, 0
    absw = np.abs(buf)
    state = np.empty(n, dtype=np.int64)
    for i in range(n):
        state[i] = 1 if buf[i] > dead_band else (-1 if buf[i] < -dead_band else 0)
    cuts = np.empty(n + 1, dtype=np.int64)
    count = 0
    a = 0
    closed_end = 0
    for e in range(1, n):
        if state[e] == state[e - 1]:
            continue
        # Run [a, e) has closed.
        closed_end = e
        sign = state[a]
        run_peak = absw[a]
        for i in range(a, e):
            run_peak = max(run_peak, absw[i])
        if sign != 0 and run_peak >= min_velocity:
            n_cuts = _cut_valleys(absw, a, e, frac, cuts)
            lo_piece = a
            for c in range(n_cuts + 1):
                hi_piece = cuts[c] if c < n_cuts else e
                pa, pb = lo_piece, hi_piece
                lo_piece = hi_piece
                if pb <= pa:
                    continue
                pk = pa
                for i in range(pa, pb):
                    if absw[i] > absw[pk]:
                        pk = i
                peak = absw[pk]
                if peak < min_velocity or (pb - pa) < min_run:
                    continue
                lo, hi = max(pa - 1, 0), min(pb + 1, n)
                start, end = _edges(absw, pk, peak, lo, hi, base, frac, tol)
                start, end = _widen(buf, absw, pa, pb, lo, hi, base, start, end, frac, tol)
                rotation = 0.0
                for i in range(pa, pb):
                    rotation += buf[i]
                ints[count, 0] = sign
                ints[count, 1] = base + pa
                ints[count, 2] = base + pb
                ints[count, 3] = base + pk
                floats[count, 0] = start
                floats[count, 1] = end
                floats[count, 2] = buf[pk]
                floats[count, 3] = rotation * dt
                floats[count, 4] = ang[pa]
                floats[count, 5] = ang[pb - 1]
                floats[count, 6] = acc_ang[pb - 1] - acc_ang[pa]
                count += 1
        a = e
    return count, closed_end, state[n - 1]


@_kernel
def inclination_terms(
    acc: FloatArray, axis: FloatArray, ref: FloatArray, sin_a: FloatArray, cos_a: FloatArray
) -> None:  # pragma: no cover - compiled
    """The sine and cosine terms of gravity's turn about ``axis`` from ``ref``.

    With ``u`` the unit vector along ``acc``: ``sin = (ref x u) . axis`` and
    ``cos = u . ref``, written out in the order of :class:`imu.core.angle.PelvicAngle`'s
    numpy expressions (the arctangent stays numpy's).

    Args:
        acc: shape (m, 3), low-passed specific force, m/s^2.
        axis: shape (3,), the movement axis.
        ref: shape (3,), the reference up direction perpendicular to the axis.
        sin_a: shape (m,), out.
        cos_a: shape (m,), out.

    """
    for i in range(acc.shape[0]):
        gx, gy, gz = acc[i, 0], acc[i, 1], acc[i, 2]
        norm = np.sqrt(gx * gx + gy * gy + gz * gz)
        ux, uy, uz = gx / norm, gy / norm, gz / norm
        sin_a[i] = (
            (ref[1] * uz - ref[2] * uy) * axis[0]
            + (ref[2] * ux - ref[0] * uz) * axis[1]
            + (ref[0] * uy - ref[1] * ux) * axis[2]
        )
        cos_a[i] = ux * ref[0] + uy * ref[1] + uz * ref[2]


@_kernel
def one_pole(x: FloatArray, a1: float, z: FloatArray, out: FloatArray) -> None:  # pragma: no cover
    """``lfilter([1], [1, a1], x, zi=z)``, to the last bit: ``y = z + x``, ``z = -a1 y``.

    Args:
        x: shape (m,), input.
        a1: the denominator's second coefficient.
        z: shape (1,), the delay, updated in place.
        out: shape (m,), output.

    """
    d = z[0]
    for i in range(x.shape[0]):
        xi = x[i]
        y = d + 1.0 * xi
        d = xi * 0.0 - y * a1
        out[i] = y
    z[0] = d


_compiled = False
_notice: Callable[[], None] | None = None
NOTICE_AFTER_S = 2.0
"""Seconds of compiling after which the notice set by :func:`set_compile_notice` is given.

Measured here: compiling on a machine that never ran the kernels 6.0 s, loading them from
the cache 0.23 s; at 1.0 s a cached load on two cores busy with other work passed it, and
a second run said it was compiling."""


def set_compile_notice(notice: Callable[[], None] | None) -> None:
    """Have :func:`ensure_compiled` call ``notice`` once it has compiled for two seconds.

    Loading the kernels from the cache takes a fraction of a second; compiling them on a
    machine that has never run them takes a few. The command line sets a notice that says
    so, so a first run does not sit silent. ``notice`` runs on a timer thread; None removes it.
    """
    global _notice
    _notice = notice


def ensure_compiled() -> None:
    """Compile (or load from the cache) every kernel now, on tiny inputs of the real types.

    The first call in a process costs a few seconds on a machine that has never run them
    (then a fraction of a second, from the cache): :class:`imu.core.RepAnalyzer` calls this
    when it is created, so that the cost never falls mid-stream, between two live chunks.
    If it takes longer than :data:`NOTICE_AFTER_S`, the notice of :func:`set_compile_notice`
    is given.
    """
    global _compiled
    if _compiled:
        return
    done = threading.Event()
    notice = _notice

    def late() -> None:
        if notice is not None and not done.is_set():
            notice()

    timer = threading.Timer(NOTICE_AFTER_S, late) if notice is not None else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        _compile_all()
    finally:
        done.set()
        if timer is not None:
            timer.cancel()
            timer.join()  # a notice already under way is printed before this returns
    _compiled = True


def _compile_all() -> None:
    """Call every kernel once with each signature the analyzer uses."""
    f3 = np.zeros((4, 3))
    out3 = np.empty((4, 3))
    sos = np.array([1.0, 0.0, 0.0])
    biquad(sos, sos, f3, np.zeros((2, 3)), out3)
    biquad(sos, sos, np.zeros((4, 1)), np.zeros((2, 1)), np.empty((4, 1)))
    window_span(f3, 1, 2, np.empty((3, 3)))
    window_span_norm(f3, 1, 2, np.empty(3))
    fill_runs(np.zeros((4, 6)), np.zeros(4, dtype=np.bool_), np.zeros(6), False, False, 1,
              np.zeros(4, dtype=np.bool_), np.zeros((1, 6)), 1)
    window_mean(f3, 1e-7, np.zeros((1, 3), dtype=np.int64), 2, 1,
                np.empty((4, 3), dtype=np.int64), out3)
    window_mean(np.zeros((4, 4)), 1e-7, np.zeros((1, 4), dtype=np.int64), 2, 1,
                np.empty((4, 4), dtype=np.int64), np.empty((4, 4)))
    still = np.zeros(4, dtype=np.bool_)
    still_flags(np.zeros(4), np.zeros(4), still, 0, 2, np.zeros(2), np.zeros(2),
                np.zeros(3), still)
    bias_from_still(f3, still, 0.5, f3, f3, np.zeros(4), out3, np.empty((4, 3)))
    closed_lobes(np.zeros(4), np.zeros(4), np.zeros(4), 0, 1.0, 1.0, 1, 0.1, 1.0, 0.01,
                 np.empty((4, 4), dtype=np.int64), np.empty((4, 7)))
    inclination_terms(f3 + 1.0, np.ones(3), np.ones(3), np.empty(4), np.empty(4))
    one_pole(np.zeros(4), -0.5, np.zeros(1), np.empty(4))
