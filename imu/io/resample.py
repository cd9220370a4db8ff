"""Timestamp analysis and resampling of irregular samples onto a uniform grid.

Pure numpy, no pandas. Timestamps are seconds (any origin), shape ``(n,)``, sorted strictly
increasing (the caller sorts and removes duplicates first, see
:func:`imu.io.csv_import.import_csv`).

Rules (from the design): the sampling rate of the output grid is always explicit. When the
caller has none, :func:`estimate_rate_hz` derives one from the timestamps and says how, so the
import report can show it. Intervals longer than ``max_gap_s`` are gaps: grid points inside
them are NaN, never interpolated across. A grid slower than the samples is low-passed first
(:func:`resample_down`): interpolation alone folds movement faster than the new grid's Nyquist
frequency back into slow, false movement (aliasing).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import signal

from imu.errors import ImportOptionsError
from imu.io.repairs import plural

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

BURST_FRACTION = 0.5
"""An interval shorter than this fraction of the mean interval (gaps excluded) is bursty."""

IRREGULAR_JITTER_RATIO = 0.1
"""Timing is called irregular when jitter exceeds this fraction of the mean interval..."""

IRREGULAR_BURST_SHARE = 0.01
"""...or when more than this share of the intervals are bursty."""

BURSTY_MEDIAN_SHARE = 0.25
"""Above this share of bursty intervals the median interval is unreliable for the rate."""

PAUSE_INTERVALS = 10.0
"""An interval within the gap limit but this many times the samples' longest usual one (the
:data:`PAUSE_PERCENTILE`) is a pause: left out of the timing figures, as a gap is. With
``--max-gap 1000`` a 600 s pause is no gap (it is interpolated, as asked), but counted as an
interval it made every other one "bursty" against a mean of 115 ms, and the rate the
effective 8.67 Hz of 52 Hz samples."""

PAUSE_PERCENTILE = 99.0
"""The samples' longest usual interval: a percentile of the intervals within the gap limit,
beyond the bursts of a few samples that phones and BLE links deliver together (the median of
bursty samples is near 0) and below a pause, which is rare."""

ANTIALIAS_BELOW = 0.95
"""A grid rate under this share of the samples' own rate is a downsampling: low-passed first
(a few percent below is the uncertainty of a rate estimated from jittery timestamps)."""

ANTIALIAS_CUTOFF = 0.4
"""The anti-alias low-pass's cutoff as a share of the new grid's rate (0.5 is its Nyquist)."""

ANTIALIAS_ORDER = 8
"""Order of the Butterworth low-pass, run forward and backward (zero phase): at the cutoff
-6 dB, at the new Nyquist frequency 31 dB down or more, at half the cutoff -0.0001 dB."""

ROUNDED_SHARE = 0.1
"""Share of intervals off the median, by one step of the timestamps' rounding, from which
the rate is their mean rather than the median (see :func:`rounded_intervals`)."""

ROUNDED_QUANTUM_S = 1e-5
"""Intervals closer than this are one value for :func:`rounded_intervals`, s: far above the
float error of Unix times in seconds (about 2e-7 s), far below a rounding step worth
correcting (a millisecond, or a tenth of one)."""

MAX_GRID_SAMPLES = 20_000_000
"""Largest uniform grid built from timestamps (53 h at 104 Hz): beyond it a timestamp is far
off or the time unit is wrong, and the grid would not fit in memory."""


@dataclass(frozen=True)
class TimingStats:
    """What the timestamps of one stretch of samples look like.

    Attributes:
        n_samples: number of timestamps.
        span_s: last minus first timestamp, s.
        median_interval_s: median of the intervals, s.
        mean_interval_s: mean of the intervals, s (includes gaps).
        effective_rate_hz: intervals per second of span, Hz: the rate samples were delivered at.
        jitter_s: standard deviation of the intervals that are not gaps, s.
        bursty_share: share of intervals shorter than half the mean interval (gaps excluded),
            i.e. samples that arrived in bursts (0..1).
        max_interval_s: largest interval, s.
        n_gap_intervals: intervals longer than ``max_gap_s``.
        irregular: True when the jitter or the bursts are large enough to matter.
        between_gaps_rate_hz: intervals per second of the time between the gaps (the
            intervals longer than ``max_gap_s`` left out, and the pauses), Hz: the rate
            bursty samples arrive at while they arrive. NaN when every interval is a gap.
        n_pause_intervals: intervals within ``max_gap_s`` but over :data:`PAUSE_INTERVALS`
            times the samples' longest usual one (pauses); like the gaps, they are left out
            of ``jitter_s``, ``bursty_share`` (and the mean it is measured against),
            ``irregular`` and ``between_gaps_rate_hz``.
        rounded_interval_s: the mean of the usual intervals when the timestamps are rounded
            to a step that makes them take two or three values (see
            :func:`rounded_intervals`), s; NaN otherwise.
        rounded_step_s: that step, s; NaN otherwise.

    """

    n_samples: int
    span_s: float
    median_interval_s: float
    mean_interval_s: float
    effective_rate_hz: float
    jitter_s: float
    bursty_share: float
    max_interval_s: float
    n_gap_intervals: int
    irregular: bool
    between_gaps_rate_hz: float = math.nan
    n_pause_intervals: int = 0
    rounded_interval_s: float = math.nan
    rounded_step_s: float = math.nan


def rounded_intervals(dt: FloatArray, median: float) -> tuple[float, float]:
    """The true interval of timestamps rounded to a coarse step, and that step, s; NaN if not.

    A 52 Hz sensor logged in whole milliseconds is 19 and 20 ms apart (19.23 ms on average):
    the median, 19 ms, made a 52.63 Hz grid on which every sample was interpolated (trial 25).
    When the intervals near the median (within half of it) take only the median and the
    values one step above and below it, at least :data:`ROUNDED_SHARE` of them are off the
    median, and their mean differs from it by over 0.1%, their mean is the interval.
    Jittery timestamps take many values: NaN.
    """
    near = dt[np.abs(dt - median) <= 0.5 * median]
    if near.size < 10 or median <= 0:
        return math.nan, math.nan
    # Told apart to ROUNDED_QUANTUM_S: Unix times in seconds (1.7e9 s) carry about 0.2 us of
    # float error in every interval, which at 1 ppm of the median made a 52 Hz file logged
    # in whole ms read 52.63 Hz again (review).
    values = np.unique(np.round(near / ROUNDED_QUANTUM_S) * ROUNDED_QUANTUM_S)
    if values.size not in (2, 3):
        return math.nan, math.nan
    steps = np.diff(values)
    step = float(steps[0])
    if not np.allclose(steps, step, rtol=1e-3) or step > 0.2 * median:
        return math.nan, math.nan
    off = float(np.mean(np.abs(near - median) > 0.5 * step))
    mean = float(np.mean(near))
    if off < ROUNDED_SHARE or abs(mean - median) <= 0.001 * median:  # the median will do
        return math.nan, math.nan
    return mean, step


def timing_stats(t_s: FloatArray, max_gap_s: float) -> TimingStats:
    """Interval statistics of sorted, strictly increasing timestamps.

    Args:
        t_s: shape (n,), seconds, strictly increasing, n >= 2.
        max_gap_s: intervals longer than this are gaps, s.

    """
    t = np.asarray(t_s, dtype=np.float64)
    if t.size < 2:
        raise ImportOptionsError(f"need at least 2 samples to analyse timing, got {t.size}")
    return interval_stats(np.diff(t), max_gap_s)


def interval_stats(intervals_s: FloatArray, max_gap_s: float) -> TimingStats:
    """Interval statistics from the intervals themselves (they may pool several stretches).

    Args:
        intervals_s: shape (k,), positive intervals between consecutive samples, s, k >= 1.
        max_gap_s: intervals longer than this are gaps, s.

    """
    dt = np.asarray(intervals_s, dtype=np.float64)
    if dt.size < 1:
        raise ImportOptionsError("need at least 2 samples to analyse timing")
    median = float(np.median(dt))
    not_gap = dt <= max_gap_s
    pause = np.zeros_like(not_gap)
    if np.any(not_gap):
        usual = float(np.percentile(dt[not_gap], PAUSE_PERCENTILE))
        pause = not_gap & (dt > PAUSE_INTERVALS * usual)
    steady = not_gap & ~pause  # the samples' own intervals: neither gaps nor pauses
    jitter = float(np.std(dt[steady])) if np.any(steady) else 0.0
    typical = float(np.mean(dt[steady])) if np.any(steady) else median
    bursty = float(np.mean(dt[~pause] < BURST_FRACTION * typical))
    span = float(np.sum(dt))
    irregular = jitter > IRREGULAR_JITTER_RATIO * typical or bursty > IRREGULAR_BURST_SHARE
    rounded = rounded_intervals(dt[steady], median)
    return TimingStats(
        n_samples=int(dt.size + 1),
        span_s=span,
        median_interval_s=median,
        mean_interval_s=float(np.mean(dt)),
        effective_rate_hz=dt.size / span if span > 0 else float("inf"),
        jitter_s=jitter,
        bursty_share=bursty,
        max_interval_s=float(np.max(dt)),
        n_gap_intervals=int(np.count_nonzero(~not_gap)),
        irregular=bool(irregular),
        between_gaps_rate_hz=(
            float(np.count_nonzero(steady) / np.sum(dt[steady]))
            if np.any(steady) and np.sum(dt[steady]) > 0 else math.nan
        ),
        n_pause_intervals=int(np.count_nonzero(pause)),
        rounded_interval_s=rounded[0],
        rounded_step_s=rounded[1],
    )


def estimate_rate_hz(stats: TimingStats, gaps_out: bool = True) -> tuple[float, str]:
    """Return a sampling rate for the uniform grid and a sentence saying how it was found.

    The reciprocal of the median interval, which ignores gaps and occasional late samples. When
    more than a quarter of the intervals are bursts (the median is then pulled down by samples
    that arrived together) the effective rate is used instead, over the time between the gaps:
    a 30 s pause in 104 s of bursty 52 Hz samples made it 40 Hz. A pause within the gap limit
    (:data:`PAUSE_INTERVALS`) is left out as a gap is, and never makes the other intervals
    look bursty. Rounded to 0.01 Hz.

    Args:
        stats: from :func:`timing_stats`.
        gaps_out: leave the gaps out of the effective rate (the grid's rate); False keeps
            them in, as the anti-alias decision of :func:`resample_grid` always had it (its
            outcome on the WLE belt recordings, at ``--rate 25``, stays as documented).

    Returns:
        ``(rate_hz, how)``.

    """
    if stats.bursty_share > BURSTY_MEDIAN_SHARE or stats.median_interval_s <= 0:
        out = stats.n_gap_intervals + stats.n_pause_intervals
        between = gaps_out and out > 0 and math.isfinite(stats.between_gaps_rate_hz)
        rate = round(stats.between_gaps_rate_hz if between else stats.effective_rate_hz, 2)
        n = stats.n_samples - 1 - (out if between else 0)
        span = n / stats.between_gaps_rate_hz if between else stats.span_s
        left = " and ".join(plural(k, word) for k, word in (
            (stats.n_gap_intervals, "gap"), (stats.n_pause_intervals, "pause")) if k)
        without = f", the {left} left out" if between else ""
        how = (
            f"estimated from the effective rate ({n} intervals over {span:.3f} s{without}) "
            f"because {stats.bursty_share:.0%} of the intervals are bursts"
        )
    elif math.isfinite(stats.rounded_interval_s):
        rate = round(1.0 / stats.rounded_interval_s, 2)
        how = (f"estimated from the mean interval ({stats.rounded_interval_s * 1e3:.3f} ms), "
               f"the timestamps being rounded to {stats.rounded_step_s * 1e3:.3g} ms")
    else:
        rate = round(1.0 / stats.median_interval_s, 2)
        how = f"estimated from the median interval ({stats.median_interval_s * 1e3:.3f} ms)"
    if not np.isfinite(rate) or rate <= 0:
        raise ImportOptionsError(
            f"cannot estimate a sampling rate from the timestamps (got {rate}); "
            "give one with --rate HZ"
        )
    return rate, how


def uniform_grid_s(
    t_s: FloatArray, rate_hz: float, end_s: float | None = None, where: str = "the timestamps"
) -> FloatArray:
    """Grid times ``t_s[0] + k / rate_hz`` that lie within ``[t_s[0], end_s]``, shape (m,).

    Args:
        t_s: shape (n,), sample times, s, sorted; the grid starts at ``t_s[0]``.
        rate_hz: grid rate, Hz.
        end_s: the grid's last time at most, s (default ``t_s[-1]``).
        where: what the error names (a file).

    Raises:
        ImportOptionsError: the grid would exceed :data:`MAX_GRID_SAMPLES` (never allocated
            from a span nobody checked).

    """
    end = float(t_s[-1]) if end_s is None else end_s
    span = end - float(t_s[0])
    n = span * rate_hz
    if not np.isfinite(n) or n > MAX_GRID_SAMPLES:
        raise ImportOptionsError(
            f"{where}: the timestamps span {span:.4g} s; at {rate_hz:g} Hz that is {n:.3g} "
            f"samples, more than the {MAX_GRID_SAMPLES:.0e} an import builds: a timestamp is "
            "far off (fix or remove that row) or the time is not in the unit expected"
        )
    m = int(np.floor(n + 1e-9)) + 1
    return t_s[0] + np.arange(m, dtype=np.float64) / rate_hz


def resample_uniform(
    t_s: FloatArray, values: FloatArray, rate_hz: float, max_gap_s: float
) -> tuple[FloatArray, BoolArray]:
    """Linearly interpolate irregular samples onto a uniform grid, leaving gaps empty.

    A grid point is valid when it coincides with a sample or lies between two samples at most
    ``max_gap_s`` apart; otherwise every channel is NaN there.

    Args:
        t_s: shape (n,), sample times, seconds, strictly increasing, n >= 1.
        values: shape (n, c), samples (any unit; the output keeps it).
        rate_hz: rate of the output grid, Hz.
        max_gap_s: longest interval interpolated across, s.

    Returns:
        ``(resampled, valid)``: shape (m, c) with NaN rows where invalid, and shape (m,) bool.
        Grid point k is at ``t_s[0] + k / rate_hz``.

    """
    t = np.asarray(t_s, dtype=np.float64)
    return resample_at(t, values, uniform_grid_s(t, rate_hz), max_gap_s)


def resample_at(
    t_s: FloatArray, values: FloatArray, grid_s: FloatArray, max_gap_s: float
) -> tuple[FloatArray, BoolArray]:
    """Linearly interpolate irregular samples at given times, leaving gaps empty.

    The rule of :func:`resample_uniform` at any times (e.g. one block of a stream's grid):
    a time is valid when it coincides with a sample or lies between two samples at most
    ``max_gap_s`` apart; times outside ``[t_s[0], t_s[-1]]`` are invalid.

    Args:
        t_s: shape (n,), sample times, seconds, strictly increasing, n >= 1.
        values: shape (n, c), samples (any unit; the output keeps it).
        grid_s: shape (m,), the times to interpolate at, seconds.
        max_gap_s: longest interval interpolated across, s.

    Returns:
        ``(resampled, valid)``: shape (m, c) with NaN rows where invalid, and shape (m,) bool.

    """
    t = np.asarray(t_s, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    grid = np.asarray(grid_s, dtype=np.float64)
    if v.ndim != 2 or v.shape[0] != t.size:
        raise ValueError(f"values shape {v.shape} does not match {t.size} timestamps")
    right = np.searchsorted(t, grid, side="right")
    left = np.clip(right - 1, 0, t.size - 1)
    right = np.clip(right, 0, t.size - 1)
    on_sample = grid == t[left]
    inside = (grid >= t[0]) & (grid <= t[-1])
    valid = inside & (on_sample | (t[right] - t[left] <= max_gap_s))
    out = np.empty((grid.size, v.shape[1]), dtype=np.float64)
    for c in range(v.shape[1]):  # per channel, not per sample
        out[:, c] = np.interp(grid, t, v[:, c])
    out[~valid] = np.nan
    return out, valid


def antialias_cutoff_hz(rate_hz: float, source_rate_hz: float) -> float | None:
    """The low-pass cutoff for a grid at ``rate_hz`` from samples at ``source_rate_hz``, Hz.

    None when the grid is not slower than the samples (by :data:`ANTIALIAS_BELOW`): nothing to
    filter. Otherwise :data:`ANTIALIAS_CUTOFF` of the new rate, below its Nyquist frequency.
    """
    if not (math.isfinite(source_rate_hz) and source_rate_hz > 0
            and rate_hz < ANTIALIAS_BELOW * source_rate_hz):
        return None
    return ANTIALIAS_CUTOFF * rate_hz


def resample_grid(
    t_s: FloatArray,
    values: FloatArray,
    grid_s: FloatArray,
    rate_hz: float,
    max_gap_s: float,
    stats: TimingStats,
) -> tuple[FloatArray, BoolArray, float | None, float]:
    """Samples onto ``grid_s`` (at ``rate_hz``), low-passed first when the grid is slower.

    The samples' own rate is estimated from ``stats`` (:func:`estimate_rate_hz`); a grid
    slower than it goes through :func:`resample_down`, any other through :func:`resample_at`.

    Returns:
        ``(resampled, valid, cutoff_hz, source_rate_hz)``: ``cutoff_hz`` is None when nothing
        was filtered.

    """
    try:
        source_rate_hz = estimate_rate_hz(stats, gaps_out=False)[0]
    except ImportOptionsError:  # no rate to be had from the timestamps: nothing to compare
        source_rate_hz = math.nan
    cutoff = antialias_cutoff_hz(rate_hz, source_rate_hz)
    if cutoff is None:
        return (*resample_at(t_s, values, grid_s, max_gap_s), None, source_rate_hz)
    out, valid = resample_down(t_s, values, grid_s, max_gap_s, source_rate_hz, cutoff)
    return out, valid, cutoff, source_rate_hz


def resample_down(
    t_s: FloatArray,
    values: FloatArray,
    grid_s: FloatArray,
    max_gap_s: float,
    source_rate_hz: float,
    cutoff_hz: float,
) -> tuple[FloatArray, BoolArray]:
    """:func:`resample_at` onto a slower grid, the samples low-passed at ``cutoff_hz`` first.

    Each stretch without a gap is put on a uniform grid at its own rate (the rule of
    :func:`resample_at`), filtered there by a zero-phase Butterworth low-pass
    (:data:`ANTIALIAS_ORDER`) in runs of finite values, and interpolated onto ``grid_s``.
    Validity and NaN samples are exactly those of :func:`resample_at`; the few grid points
    the filtered runs do not reach (a stretch's last fraction of a sample, a run of finite
    values too short to filter) keep the plain interpolation.

    Args:
        t_s: shape (n,), sample times, seconds, strictly increasing, n >= 1.
        values: shape (n, c), samples (any unit; the output keeps it).
        grid_s: shape (m,), the times to interpolate at, seconds (a grid slower than the
            samples).
        max_gap_s: longest interval interpolated across, s.
        source_rate_hz: the samples' own rate, Hz (:func:`estimate_rate_hz`).
        cutoff_hz: the low-pass cutoff, Hz (:func:`antialias_cutoff_hz`), below
            ``source_rate_hz / 2``.

    Returns:
        ``(resampled, valid)`` as :func:`resample_at` returns them.

    """
    plain, valid = resample_at(t_s, values, grid_s, max_gap_s)
    t = np.asarray(t_s, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    grid = np.asarray(grid_s, dtype=np.float64)
    sos = signal.butter(ANTIALIAS_ORDER, cutoff_hz, fs=source_rate_hz, output="sos")
    smooth = np.full_like(plain, np.nan)
    breaks = np.flatnonzero(np.diff(t) > max_gap_s) + 1
    for seg in np.split(np.arange(t.size), breaks):
        if seg.size < 2:
            continue
        ts = t[seg]
        n_fine = int(np.floor((ts[-1] - ts[0]) * source_rate_hz + 1e-9)) + 1
        fine_grid = ts[0] + np.arange(n_fine, dtype=np.float64) / source_rate_hz
        fine, _ = resample_at(ts, v[seg], fine_grid, max_gap_s)
        fine = _lowpass_runs(fine, sos)
        on = np.flatnonzero((grid >= fine_grid[0]) & (grid <= fine_grid[-1]))
        for c in range(v.shape[1]):
            smooth[on, c] = np.interp(grid[on], fine_grid, fine[:, c])
    out = np.where(np.isfinite(smooth), smooth, plain)
    out[np.isnan(plain)] = np.nan  # gaps and absurd values stay exactly where they were
    return out, valid


def _lowpass_runs(fine: FloatArray, sos: npt.NDArray[np.float64]) -> FloatArray:
    """``fine`` low-passed (zero phase) in runs of finite rows; shorter runs become NaN."""
    out = np.full_like(fine, np.nan)
    finite = np.isfinite(fine).all(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], finite.astype(np.int8), [0]))))
    padlen = 3 * (2 * len(sos) + 1)
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end - start > padlen:
            out[start:end] = signal.sosfiltfilt(sos, fine[start:end], axis=0)
    return out
