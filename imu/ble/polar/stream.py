"""From PMD data frames to one recording: per-sample times, ACC and GYRO joined on one grid.

A Polar sensor sends ACC and GYRO in separate frames, each stamped with the device time of its
last sample (ns since 2000-01-01); sample ``i`` of an ``n``-sample frame is at
``timestamp - (n - 1 - i) / rate``. The two streams are sampled at their own instants, so they
are joined by linear interpolation onto one uniform grid at the nominal rate
(:func:`imu.io.resample.resample_at`, the rule of the CSV importer): grid point ``k`` is at
device time ``t0 + k / rate``, ``t0`` the first ACC sample at or after the first GYRO sample
(so accelerometer samples are used as they are, and the gyroscope is interpolated). A grid point
is valid only when both streams have samples on both sides of it at most ``1.5 / rate`` apart;
otherwise the row is NaN and part of a gap in ``meta.gaps`` (``lost frames``, or
``disconnected`` when the link dropped meanwhile). Grid rows are emitted as soon as both
streams have passed them, so live analysis lags by at most one frame of the slower stream.

:class:`PolarStreamRecorder` has the interface of :class:`imu.io.framestream.StreamRecorder`
(``frames``, ``event``, ``recording``...), so the live loop, the journal and its recovery use
it unchanged. The decode factors come from the ``connected`` event (the start responses).
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import numpy.typing as npt

from imu.ble.polar.codec import (
    MeasurementType,
    PolarError,
    decode_data_frame,
    polar_ns_to_unix_s,
)
from imu.io.clock import ClockEstimator, ClockFit
from imu.io.framestream import REASON_DISCONNECTED, REASON_LOST, Block, StreamHeader
from imu.io.recording import ClockMapping, Gap, Recording, RecordingMeta
from imu.io.resample import resample_at

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PROTOCOL = "polar-pmd"
"""``StreamHeader.notes["protocol"]`` of Polar streams (journal recovery dispatches on it)."""

MAX_GAP_SAMPLES = 1.5
"""Samples of a stream further apart than this many periods are not interpolated across."""

_STREAMS = (MeasurementType.ACC, MeasurementType.GYRO)


class PolarStreamRecorder:
    """Turns PMD data frames into grid samples and, at the end, a :class:`Recording`.

    Args:
        header: stream configuration (``odr_hz`` is the grid rate; ``notes`` may hold
            ``acc_factor``/``gyr_factor``, else the ``connected`` event must).

    """

    def __init__(self, header: StreamHeader) -> None:
        self.header = header
        self.rate_hz = float(header.odr_hz)
        self.max_gap_s = MAX_GAP_SAMPLES / self.rate_hz
        self.factors = {
            MeasurementType.ACC: float(header.notes.get("acc_factor", 1.0)),
            MeasurementType.GYRO: float(header.notes.get("gyr_factor", 1.0)),
        }
        self._t: dict[MeasurementType, IntArray] = {
            m: np.empty(0, dtype=np.int64) for m in _STREAMS
        }
        self._v: dict[MeasurementType, FloatArray] = {m: np.empty((0, 3)) for m in _STREAMS}
        self._t0_ns: int | None = None
        self._next = 0
        self._acc: list[FloatArray] = []
        self._gyr: list[FloatArray] = []
        self._gaps: list[Gap] = []
        self._gap_start: int | None = None
        self._broken = False
        self._clock0: tuple[int, float] | None = None  # (device ns, host s) of the first frame
        # Frames that arrive before the start responses are known (the factors) wait here.
        self._factors_known = "acc_factor" in header.notes and "gyr_factor" in header.notes
        self._pending: list[tuple[float, bytes]] = []
        self.clock = ClockEstimator()
        self.device: dict[str, Any] = {}
        self.counters = {
            "frames": 0,
            "acc_frames": 0,
            "gyr_frames": 0,
            "bad_frames": 0,
            "duplicate_samples": 0,
            "reconnects": 0,
        }

    # ------------------------------------------------------------------ events
    def event(self, kind: str, host_time_s: float, **fields: Any) -> None:
        """Record a connection event (``connected`` carries the factors and device info)."""
        if kind == "connected":
            if self.device:
                self.counters["reconnects"] += 1
            self.device.update({k: v for k, v in fields.items() if v is not None})
            for key, m in (
                ("acc_factor", MeasurementType.ACC), ("gyr_factor", MeasurementType.GYRO)
            ):
                if fields.get(key) is not None:
                    self.factors[m] = float(fields[key])
                    self._factors_known = True
            if self._factors_known and self._pending:
                pending, self._pending = self._pending, []
                for host, payload in pending:
                    self._add(host, payload)
        elif kind == "disconnected":
            self._broken = True
        logger.debug("polar stream event %s at %.3f", kind, host_time_s)

    @property
    def n_samples(self) -> int:
        """Grid samples so far (NaN rows included)."""
        return self._next

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Closed gaps so far."""
        return tuple(self._gaps)

    # ------------------------------------------------------------------ frames
    def frames(self, host_times_s: list[float], payloads: list[bytes]) -> Block:
        """Add a batch of data notifications (arrival order); returns the grid rows now complete.

        Args:
            host_times_s: receive time of each notification, host clock, s.
            payloads: the notification values of the PMD data characteristic.

        """
        start = self._next
        self.counters["frames"] += len(payloads)
        for host, payload in zip(host_times_s, payloads, strict=True):
            if self._factors_known:
                self._add(float(host), bytes(payload))
            else:
                self._pending.append((float(host), bytes(payload)))
        gaps_before = len(self._gaps)
        acc, gyr = self._emit()
        self._acc.append(acc)
        self._gyr.append(gyr)
        return Block(start, acc, gyr, tuple(self._gaps[gaps_before:]), len(payloads))

    def _add(self, host_s: float, payload: bytes) -> None:
        mbyte = payload[0] & 0x3F if payload else -1
        factor = self.factors.get(MeasurementType(mbyte), 1.0) if mbyte in (2, 5) else 1.0
        try:
            frame = decode_data_frame(payload, factor)
        except PolarError as exc:
            self.counters["bad_frames"] += 1
            logger.warning("skipping a PMD frame: %s", exc)
            return
        m = frame.measurement
        self.counters["acc_frames" if m == MeasurementType.ACC else "gyr_frames"] += 1
        times = frame.sample_times_ns(self.rate_hz)
        values = frame.values
        last = self._t[m][-1] if self._t[m].size else None
        if last is not None:
            keep = times > last
            self.counters["duplicate_samples"] += int(np.count_nonzero(~keep))
            times, values = times[keep], values[keep]
        if times.size == 0:
            return
        self._t[m] = np.concatenate([self._t[m], times])
        self._v[m] = np.concatenate([self._v[m], values])
        if self._clock0 is None:
            self._clock0 = (frame.timestamp_ns, host_s)
        if math.isfinite(host_s):
            d0, h0 = self._clock0
            self.clock.add(
                np.array([(frame.timestamp_ns - d0) * 1e-9]), np.array([host_s - h0])
            )

    def _emit(self) -> tuple[FloatArray, FloatArray]:
        ta, tg = self._t[MeasurementType.ACC], self._t[MeasurementType.GYRO]
        empty = np.empty((0, 3))
        if ta.size == 0 or tg.size == 0:
            return empty, empty
        if self._t0_ns is None:
            # The grid follows the accelerometer's instants: its first sample at or after the
            # gyroscope's first (so ACC is never interpolated at the nominal rate).
            first = int(np.searchsorted(ta, tg[0], side="left"))
            if first >= ta.size:
                return empty, empty
            self._t0_ns = int(ta[first])
        t0 = self._t0_ns
        end_ns = int(min(ta[-1], tg[-1]))
        if end_ns < t0:
            return empty, empty
        stop = math.floor((end_ns - t0) * self.rate_hz / 1e9 + 1e-9) + 1
        if stop <= self._next:
            return empty, empty
        k = np.arange(self._next, stop, dtype=np.float64)
        grid_s = k / self.rate_hz
        out: dict[MeasurementType, FloatArray] = {}
        valid = np.ones(k.size, dtype=bool)
        for m in _STREAMS:
            t_s = ((self._t[m] - t0) * 1e-9).astype(np.float64)
            vals, ok = resample_at(t_s, self._v[m], grid_s, self.max_gap_s)
            out[m] = vals
            valid &= ok
        acc, gyr = out[MeasurementType.ACC], out[MeasurementType.GYRO]
        acc[~valid] = np.nan
        gyr[~valid] = np.nan
        self._track_gaps(valid)
        self._next = stop
        # Keep only what later grid points can still need (one sample before the last point).
        last_ns = t0 + (stop - 1) * 1e9 / self.rate_hz
        for m in _STREAMS:
            cut = max(0, int(np.searchsorted(self._t[m], last_ns, side="right")) - 1)
            self._t[m], self._v[m] = self._t[m][cut:], self._v[m][cut:]
        return acc, gyr

    def _track_gaps(self, valid: npt.NDArray[np.bool_]) -> None:
        base = self._next
        for i in range(valid.size):
            index = base + i
            if not valid[i]:
                if self._gap_start is None:
                    self._gap_start = index
            else:
                if self._gap_start is not None:
                    reason = REASON_DISCONNECTED if self._broken else REASON_LOST
                    self._gaps.append(Gap(self._gap_start, index, reason))
                    self._gap_start = None
                self._broken = False

    # ------------------------------------------------------------------ result
    def clock_fit(self) -> ClockFit | None:
        """Device-to-host clock fit (device time from the first frame)."""
        return self.clock.fit()

    def recording(self) -> Recording:
        """Everything joined so far as a :class:`Recording`."""
        if self._pending:
            logger.warning(
                "%d PMD frames arrived without their start responses (no factors); decoded "
                "with factor 1", len(self._pending)
            )
            self._factors_known = True
            pending, self._pending = self._pending, []
            for host, payload in pending:
                self._add(host, payload)
            acc, gyr = self._emit()
            self._acc.append(acc)
            self._gyr.append(gyr)
        h = self.header
        acc = np.concatenate(self._acc) if self._acc else np.empty((0, 3))
        gyr = np.concatenate(self._gyr) if self._gyr else np.empty((0, 3))
        gaps = list(self._gaps)
        if self._gap_start is not None and self._gap_start < len(acc):
            reason = REASON_DISCONNECTED if self._broken else REASON_LOST
            gaps.append(Gap(self._gap_start, len(acc), reason))
        fit = self.clock.fit()
        notes = dict(h.notes)
        notes.update({k: str(v) for k, v in self.counters.items()})
        notes["protocol"] = PROTOCOL
        notes["acc_factor"] = repr(self.factors[MeasurementType.ACC])
        notes["gyr_factor"] = repr(self.factors[MeasurementType.GYRO])
        if self._t0_ns is not None:
            notes["device_time_first_sample_unix_s"] = f"{polar_ns_to_unix_s(self._t0_ns):.6f}"
        for key in ("mtu", "battery_percent", "serial_number", "model"):
            if key in self.device:
                notes[key] = str(self.device[key])
        if fit is not None:
            notes["clock_residual_ms"] = f"{fit.residual_ms:.3f}"
            notes["clock_points"] = str(fit.n_points)
        start = h.start_time_s
        if self._clock0 is not None and self._t0_ns is not None:
            start = self._clock0[1] + (self._t0_ns - self._clock0[0]) * 1e-9
        meta = RecordingMeta(
            sampling_rate_hz=self.rate_hz,
            start_time_s=start,
            device=str(self.device.get("name") or "unknown"),
            device_address=self.device.get("address"),
            protocol_version=self.device.get("protocol_version"),
            firmware_version=self.device.get("firmware_version"),
            acc_range_g=float(h.acc_range_g),
            gyr_range_dps=float(h.gyr_range_dps),
            clock=ClockMapping(
                offset_s=fit.offset_s if fit else 0.0, drift_ppm=fit.drift_ppm if fit else 0.0
            ),
            gaps=tuple(gaps),
            exercise=h.exercise,
            tempo=h.tempo,
            source=h.source,
            notes=notes,
        )
        return Recording(acc, gyr, meta)
