"""Device clock to host clock: offset and drift, estimated continuously while frames arrive.

Every frame gives one pair: the device time of its first sample ``d`` (seconds on the device
clock since sample 0) and the host time it was received ``h`` (seconds since the first frame's
receive). ``h = offset + d * (1 + drift) + latency``, where the latency (radio, host stack,
scheduling) is never negative and mostly small, with occasional long delays (retransmissions,
a busy host). So the estimator works on the **lower envelope**: per ``bucket_s`` of device time
it keeps the smallest ``h - d`` (the frame that got through fastest), then fits a straight line
through those minima, dropping buckets whose residual is more than ``reject_k`` robust standard
deviations above the line (outliers are only ever late) and refitting.

The mapping is the one :class:`imu.io.recording.ClockMapping` stores:
``host_s = offset_s + device_s * (1 + drift_ppm * 1e-6)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ClockFit:
    """A fitted device-to-host mapping.

    Attributes:
        offset_s: host time (s since the first receive) at device time 0, lower envelope.
        drift_ppm: device clock rate error as seen from the host, ppm: + = the host clock
            runs faster than the device clock (``host = offset + device * (1 + drift)``).
        residual_ms: robust spread of the envelope points around the line, ms.
        n_points: envelope points used.

    """

    offset_s: float
    drift_ppm: float
    residual_ms: float
    n_points: int

    def host_s(self, device_s: float | FloatArray) -> float | FloatArray:
        """Host time of device time(s), s."""
        return self.offset_s + np.asarray(device_s) * (1.0 + self.drift_ppm * 1e-6)


class ClockEstimator:
    """Running lower-envelope linear fit of host receive time against device time.

    Args:
        bucket_s: device-time bucket whose fastest frame is an envelope point, s.
        reject_k: envelope points more than this many robust SDs above the line are dropped.
        min_span_s: below this device-time span the drift is not estimated (0 ppm), s.

    """

    def __init__(
        self, bucket_s: float = 1.0, reject_k: float = 3.0, min_span_s: float = 5.0
    ) -> None:
        self.bucket_s = bucket_s
        self.reject_k = reject_k
        self.min_span_s = min_span_s
        self._buckets: dict[int, tuple[float, float]] = {}  # bucket -> (device_s, h - d)
        self._fit: ClockFit | None = None

    def add(self, device_s: FloatArray, host_s: FloatArray) -> None:
        """Add pairs: ``(k,)`` device times and ``(k,)`` host receive times, s."""
        d = np.asarray(device_s, dtype=np.float64)
        y = np.asarray(host_s, dtype=np.float64) - d
        keys = np.floor(d / self.bucket_s).astype(np.int64)
        for key, dd, yy in zip(keys.tolist(), d.tolist(), y.tolist(), strict=True):
            old = self._buckets.get(key)
            if old is None or yy < old[1]:
                self._buckets[key] = (dd, yy)
        self._fit = None

    @property
    def n_points(self) -> int:
        """Envelope points so far."""
        return len(self._buckets)

    def fit(self) -> ClockFit | None:
        """The current fit, or None before the first pair."""
        if self._fit is not None or not self._buckets:
            return self._fit
        pts = np.array(list(self._buckets.values()), dtype=np.float64)
        d, y = pts[:, 0], pts[:, 1]
        keep = np.ones(len(d), dtype=bool)
        slope, intercept, spread = 0.0, float(y.min()), 0.0
        for _ in range(3):
            dk, yk = d[keep], y[keep]
            if dk.max() - dk.min() >= self.min_span_s and len(dk) >= 3:
                slope, intercept = (float(v) for v in np.polyfit(dk, yk, 1))
            else:
                slope, intercept = 0.0, float(np.median(yk))
            resid = y - (intercept + slope * d)
            mad = float(np.median(np.abs(resid[keep] - np.median(resid[keep]))))
            spread = 1.4826 * mad
            limit = self.reject_k * max(spread, 1e-4)
            new_keep = resid <= limit
            if new_keep.sum() < 2 or (new_keep == keep).all():
                break
            keep = new_keep
        self._fit = ClockFit(
            offset_s=intercept,
            drift_ppm=slope * 1e6,
            residual_ms=spread * 1e3 if math.isfinite(spread) else float("nan"),
            n_points=int(keep.sum()),
        )
        return self._fit
