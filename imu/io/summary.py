"""Numbers that describe a recording at a glance (what ``imu info`` prints).

Pure numpy; no printing. All statistics ignore the NaN samples inside gaps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from imu.frames import ACC, GYR
from imu.io.gravity import (
    GravityAtRest,
    LevelChange,
    gravity_at_rest,
    lag1_correlation,
    rest_level_change,
)
from imu.io.recording import Recording

logger = logging.getLogger(__name__)

PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class ChannelStats:
    """Minimum, maximum, mean and standard deviation of one channel (its unit), NaN if empty."""

    name: str
    unit: str
    min: float
    max: float
    mean: float
    std: float


@dataclass(frozen=True)
class RecordingSummary:
    """A recording at a glance.

    Attributes:
        n_samples: grid samples, gaps included.
        sampling_rate_hz: grid rate, Hz.
        duration_s: n_samples / rate, s.
        n_gaps: gaps in ``meta.gaps``.
        gap_total_s: time inside gaps, s.
        longest_gap_s: the longest gap, s (0 without gaps).
        missing_share: share of samples inside gaps (0..1).
        channels: per-channel statistics, acc in m/s^2 and gyro in rad/s.
        acc_magnitude_median: median |acc|, m/s^2.
        acc_magnitude_min: smallest |acc|, m/s^2.
        acc_magnitude_max: largest |acc|, m/s^2.
        gravity: median |acc| while still, m/s^2 (about 9.81 for a sane recording).
        gyr_norm_median_rad_s: median |gyr|, rad/s.
        gyr_norm_p95_rad_s: 95th percentile of |gyr|, rad/s.
        gyr_norm_max_rad_s: largest |gyr|, rad/s.
        rest_change: where the acc magnitude at rest changes by a unit's factor part-way
            (:func:`imu.io.gravity.rest_level_change`: a file of mixed units), or None.
        acc_lag1_correlation: correlation of successive acc samples
            (:func:`imu.io.gravity.lag1_correlation`): about 1 for body movement, about 0 for
            random noise (which matters when ``gravity.method`` is not "still").

    """

    n_samples: int
    sampling_rate_hz: float
    duration_s: float
    n_gaps: int
    gap_total_s: float
    longest_gap_s: float
    missing_share: float
    channels: tuple[ChannelStats, ...]
    acc_magnitude_median: float
    acc_magnitude_min: float
    acc_magnitude_max: float
    gravity: GravityAtRest
    gyr_norm_median_rad_s: float
    gyr_norm_p95_rad_s: float
    gyr_norm_max_rad_s: float
    rest_change: LevelChange | None = None
    acc_lag1_correlation: float = float("nan")


def _nan_stat(values: np.ndarray, how: str) -> float:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return float("nan")
    if how == "min":
        return float(np.min(finite))
    if how == "max":
        return float(np.max(finite))
    if how == "mean":
        return float(np.mean(finite))
    if how == "std":
        return float(np.std(finite))
    if how == "median":
        return float(np.median(finite))
    return float(np.quantile(finite, float(how)))


def summarize(recording: Recording) -> RecordingSummary:
    """Compute the :class:`RecordingSummary` of a recording."""
    rate = recording.sampling_rate_hz
    lengths = [g.n_samples for g in recording.meta.gaps]
    channels = []
    for i, name in enumerate(ACC):
        col = recording.acc[:, i]
        channels.append(
            ChannelStats(
                name,
                "m/s^2",
                *(_nan_stat(col, h) for h in ("min", "max", "mean", "std")),
            )
        )
    for i, name in enumerate(GYR):
        col = recording.gyr[:, i]
        channels.append(
            ChannelStats(
                name,
                "rad/s",
                *(_nan_stat(col, h) for h in ("min", "max", "mean", "std")),
            )
        )
    acc_mag = np.linalg.norm(recording.acc, axis=1)
    gyr_norm = np.linalg.norm(recording.gyr, axis=1)
    n = recording.n_samples
    return RecordingSummary(
        n_samples=n,
        sampling_rate_hz=rate,
        duration_s=recording.duration_s,
        n_gaps=len(lengths),
        gap_total_s=sum(lengths) / rate,
        longest_gap_s=max(lengths, default=0) / rate,
        missing_share=sum(lengths) / n if n else 0.0,
        channels=tuple(channels),
        acc_magnitude_median=_nan_stat(acc_mag, "median"),
        acc_magnitude_min=_nan_stat(acc_mag, "min"),
        acc_magnitude_max=_nan_stat(acc_mag, "max"),
        gravity=gravity_at_rest(recording.acc, recording.gyr, rate),
        gyr_norm_median_rad_s=_nan_stat(gyr_norm, "median"),
        gyr_norm_p95_rad_s=_nan_stat(gyr_norm, "0.95"),
        gyr_norm_max_rad_s=_nan_stat(gyr_norm, "max"),
        rest_change=rest_level_change(recording.acc, rate),
        acc_lag1_correlation=lag1_correlation(recording.acc),
    )


def looks_like_parquet(path: str | Path) -> bool:
    """Return True when the file starts with the Parquet magic bytes (or is named .parquet)."""
    path = Path(path)
    if path.suffix.lower() in {".parquet", ".pq"}:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == PARQUET_MAGIC
    except OSError:
        return False
