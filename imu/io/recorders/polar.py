"""Polar PMD data frames on the grid: per-sample times, ACC and GYRO joined on one grid.

A Polar sensor sends ACC and GYRO in separate frames, each stamped with the device time of its
last sample (ns since 2000-01-01). Sample times follow Polar's rule
(:func:`imu.io.recorders.pmd.sample_times_ns`): the samples of a frame are spread evenly since
the previous frame's timestamp of the same stream (the device's real rate), the first frame of
a stream (and the first after a restart or a hole) at the nominal rate. A frame whose
timestamps cannot hold its samples (before the epoch, going backwards, far too many samples
for its interval) is a frame error: counted, logged, kept in ``meta.notes["frame_errors"]``,
and its samples missing (a ``bad frames`` gap).

The two streams are sampled at their own instants, so they are joined by linear interpolation
onto one uniform grid at the nominal rate (:func:`imu.io.resample.resample_at`, the rule of the
CSV importer): grid point ``k`` is at device time ``t0 + k / rate``, ``t0`` the first ACC sample
at or after the first GYRO sample. A grid point is valid only when both streams have samples on
both sides of it at most ``1.5 / rate`` apart; otherwise the row is NaN and part of a gap in
``meta.gaps``. Grid rows are emitted as soon as both streams have passed them, so live analysis
lags by at most one frame of the slower stream.

A stream the device stops on its own (``stopped_by_device`` event) leaves a hole in that stream
(gap reason ``stopped by device``); if it is restarted (``stream_restarted``) its next frame
starts afresh at the nominal rate. If it never comes back, the rows after its last sample are a
gap at the end of the recording. The decode factors come from the ``connected`` event (the
start responses).

Time that jumps further than any silence (:data:`~imu.io.recorders.base.MAX_GAP_S`: the host's
clock and the sensor's both leapt by days) is never filled with rows: the samples after it
follow a short gap (:meth:`~imu.io.recorders.base.GridRecorder._limit_jump_s`, note
``clock_jumps``), both streams shifted alike. If, across a reconnect, the sensor's clock went
backwards or leapt far ahead of the host's (the sensor restarted, or its clock was set), the
new connection's frames are placed by host time instead, logged and counted (``reanchors``);
so are the frames after two in a row refused on a clock of their own (a clock set while
streaming: one such frame alone is a corrupt timestamp, a frame error).
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import numpy.typing as npt

from imu.io.recorders.base import (
    EVENT_CONNECTED,
    EVENT_STOPPED_BY_DEVICE,
    EVENT_STREAM_RESTARTED,
    MAX_GAP_S,
    FloatArray,
    GridRecorder,
    StreamHeader,
    TimeJumps,
)
from imu.io.recorders.pmd import (
    DataFrame,
    MeasurementType,
    PolarError,
    decode_data_frame,
    frame_measurement,
    polar_ns_to_unix_s,
)
from imu.io.resample import resample_at

logger = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]

PROTOCOL = "polar-pmd"
"""``StreamHeader.notes["protocol"]`` of Polar streams (journal recovery dispatches on it)."""

MAX_GAP_SAMPLES = 1.5
"""Samples of a stream further apart than this many periods are not interpolated across."""

MAX_LEAP_S = 2.0
"""A frame whose timestamp moved on more than twice the host's elapsed time plus this much
since the stream's previous frame is a frame error (a corrupt timestamp), s."""

REANCHOR_S = 2.0
"""Across a reconnect, how far the device clock may run ahead of twice the host's elapsed time,
or back, before the new connection's frames are placed by host time, s (our sensor's
default margin)."""

_STREAMS = (MeasurementType.ACC, MeasurementType.GYRO)
_FACTOR_KEYS = {"acc_factor": MeasurementType.ACC, "gyr_factor": MeasurementType.GYRO}


class PolarStreamRecorder(GridRecorder):
    """Turns PMD data frames into grid rows and, at the end, a recording.

    Args:
        header: stream configuration (``odr_hz`` is the nominal rate of both streams and of
            the grid; ``notes`` may hold ``acc_factor``/``gyr_factor``, else the
            ``connected`` event must).

    """

    protocol = PROTOCOL

    def __init__(self, header: StreamHeader) -> None:
        super().__init__(header)
        self.max_gap_s = MAX_GAP_SAMPLES / self.rate_hz
        self.factors = {
            MeasurementType.ACC: float(header.notes.get("acc_factor", 1.0)),
            MeasurementType.GYRO: float(header.notes.get("gyr_factor", 1.0)),
        }
        self._t: dict[MeasurementType, IntArray] = {
            m: np.empty(0, dtype=np.int64) for m in _STREAMS
        }
        self._v: dict[MeasurementType, FloatArray] = {m: np.empty((0, 3)) for m in _STREAMS}
        self._prev_ns: dict[MeasurementType, int | None] = dict.fromkeys(_STREAMS)
        self._last_frame: dict[MeasurementType, tuple[int, float]] = {}  # (device ns, host s)
        self._halted: set[MeasurementType] = set()  # stopped by the device, not restarted
        self._t0_ns: int | None = None
        self._jumps = TimeJumps()  # device time jumps beyond MAX_GAP_S, made short gaps
        self._newest_ns: int | None = None  # latest sample placed of either stream (shifted)
        self._last_host_s: float | None = None  # receive time of the latest frame placed
        self._reconnected = False  # connected again after frames: check the device clock
        self._suspect: dict[MeasurementType, tuple[int, float]] = {}  # refused (ts ns, host s)
        # Frames that arrive before the start responses are known (the factors) wait here.
        self._factors_known = all(k in header.notes for k in _FACTOR_KEYS)
        self._pending: list[tuple[float, bytes]] = []
        self.counters.update({"acc_frames": 0, "gyr_frames": 0, "duplicate_samples": 0})

    # ------------------------------------------------------------------ events
    def _on_event(self, kind: str, host_time_s: float, fields: dict[str, Any]) -> None:
        if kind in (EVENT_CONNECTED, EVENT_STREAM_RESTARTED):
            for key, m in _FACTOR_KEYS.items():
                if fields.get(key) is not None:
                    self.factors[m] = float(fields[key])
        if kind == EVENT_CONNECTED:
            # Every connection starts the streams afresh: no previous frame to time against.
            self._prev_ns = dict.fromkeys(_STREAMS)
            self._reconnected = self._newest_ns is not None
            self._halted.clear()
            if any(fields.get(key) is not None for key in _FACTOR_KEYS):
                self._factors_known = True
            if self._factors_known and self._pending:
                pending, self._pending = self._pending, []
                for host, payload in pending:
                    self._add(host, payload)
        elif kind in (EVENT_STOPPED_BY_DEVICE, EVENT_STREAM_RESTARTED):
            stream = _measurement(fields.get("measurement"))
            if stream is not None:
                self._prev_ns[stream] = None
                if kind == EVENT_STOPPED_BY_DEVICE:
                    self._halted.add(stream)
                else:
                    self._halted.discard(stream)

    # ------------------------------------------------------------------ frames
    def _ingest(self, host_times_s: list[float], payloads: list[bytes]) -> None:
        for host, payload in zip(host_times_s, payloads, strict=True):
            if self._factors_known:
                self._add(float(host), payload)
            else:
                self._pending.append((float(host), payload))
        self._emit()

    def _add(self, host_s: float, payload: bytes) -> None:
        mbyte = frame_measurement(payload)
        factor = self.factors.get(MeasurementType(mbyte), 1.0) if mbyte in (2, 5) else 1.0
        try:
            frame = decode_data_frame(payload, factor)
        except PolarError as exc:
            self._frame_error(str(exc))
            return
        m = frame.measurement
        try:
            raw, timestamp_ns = self._times(frame, host_s)
        except PolarError as exc:
            suspect = self._suspect.pop(m, None)
            if suspect is None or not math.isfinite(host_s) or not (
                    0 < (frame.timestamp_ns - suspect[0]) * 1e-9
                    <= 2.0 * max(host_s - suspect[1], 0.0) + MAX_LEAP_S):
                # Alone, a corrupt timestamp: dropped. The next frame tells if it was more.
                self._suspect[m] = (frame.timestamp_ns, host_s)
                self._frame_error(str(exc))
                return
            # Two frames in a row on a clock of their own: the sensor's clock was set (or
            # went back) with the link up. Both streams start afresh on it, re-anchored.
            self._prev_ns = dict.fromkeys(_STREAMS)
            self._reconnected = True
            try:
                raw, timestamp_ns = self._times(frame, host_s)
            except PolarError as again:
                self._frame_error(str(again))
                return
        self._suspect.pop(m, None)
        self._prev_ns[m] = frame.timestamp_ns
        times = self._jumps.apply(raw)
        if self._newest_ns is not None:
            # Both clocks leapt by days (a host suspended with the link kept, a replay of
            # such a journal): never a grid that long, a short gap instead.
            jump_ns = int(times[0]) - self._newest_ns
            if jump_ns > MAX_GAP_S * 1e9:
                # Whole grid periods, so the samples keep their phase on the grid.
                periods = round((self._limit_jump_s(jump_ns * 1e-9) - jump_ns * 1e-9)
                                * self.rate_hz)
                shift = round(periods * 1e9 / self.rate_hz)
                self._jumps.add(int(raw[0]) - round(MAX_GAP_S / 2 * 1e9), shift)
                times, timestamp_ns = times + shift, timestamp_ns + shift
        if math.isfinite(host_s):
            self._last_frame[m] = (timestamp_ns, host_s)
        self.counters["acc_frames" if m == MeasurementType.ACC else "gyr_frames"] += 1
        values = frame.values
        if self._t[m].size:
            keep = times > self._t[m][-1]
            self.counters["duplicate_samples"] += int(np.count_nonzero(~keep))
            times, values = times[keep], values[keep]
        if times.size == 0:
            return
        self._t[m] = np.concatenate([self._t[m], times])
        self._v[m] = np.concatenate([self._v[m], values])
        self._newest_ns = max(int(times[-1]), self._newest_ns or 0)
        if math.isfinite(host_s):
            self._last_host_s = host_s
        # The device's own time (a restart undone; both clocks agree across a long jump).
        self._clock_point((frame.timestamp_ns + int(self._jumps.base)) * 1e-9, host_s)

    def _times(self, frame: DataFrame, host_s: float) -> tuple[IntArray, int]:
        """A frame's raw sample times (n,) and its shifted timestamp, ns; raises PolarError.

        The first frame after a reconnect re-anchors the clock first (:meth:`_reanchor`).
        """
        m = frame.measurement
        raw = frame.sample_times_ns(self.rate_hz, self._prev_ns[m])
        if self._reconnected:
            self._reconnected = False
            self._reanchor(int(raw[0]), host_s)
        timestamp_ns = frame.timestamp_ns + int(self._jumps.shift_at(frame.timestamp_ns))
        self._check_leap(m, timestamp_ns, host_s)
        return raw, timestamp_ns

    def _reanchor(self, raw_first_ns: int, host_s: float) -> None:
        """Place the frames of a new connection by host time if the device clock restarted.

        Also after two frames in a row refused on a clock of their own (set with the link up).
        Across a reconnect the sensor's clock must have moved on about as much as the host's
        (since the newest sample placed): backwards means it restarted (a reset sensor, a
        new battery: every sample after would read as a duplicate), far ahead means it was
        set (every frame after would be refused as a leap). Then the new connection's samples
        are shifted to follow the newest by the host's elapsed time, logged and counted
        (``reanchors``), as our own sensor's recorder does.
        """
        if self._newest_ns is None or self._last_host_s is None or not math.isfinite(host_s):
            return
        first_ns = raw_first_ns + int(self._jumps.shift_at(raw_first_ns))
        device_step_s = (first_ns - self._newest_ns) * 1e-9
        host_step_s = max(host_s - self._last_host_s, 0.0)
        # (A little back is no restart: a new connection's first frame is spread at the
        # nominal rate, and the other stream's newest sample may be a frame ahead.)
        if -REANCHOR_S <= device_step_s <= 2.0 * host_step_s + REANCHOR_S:
            return
        logger.warning(
            "Polar clock jumped by %.1f s against the host clock (sensor restarted? clock "
            "set?); placing the frames by host time", device_step_s - host_step_s)
        target_ns = self._newest_ns + round(max(host_step_s, 1.0 / self.rate_hz) * 1e9)
        self._jumps.rebase(target_ns - raw_first_ns)
        self._last_frame.clear()  # the leap check starts afresh on the new clock
        self.counters["reanchors"] = self.counters.get("reanchors", 0) + 1

    def _check_leap(self, m: MeasurementType, timestamp_ns: int, host_s: float) -> None:
        """Refuse a timestamp far ahead of the host's elapsed time (it would open a vast gap)."""
        last = self._last_frame.get(m)
        if last is None or not math.isfinite(host_s):
            return
        device_step_s = (timestamp_ns - last[0]) * 1e-9
        host_step_s = max(host_s - last[1], 0.0)
        if device_step_s > 2.0 * host_step_s + MAX_LEAP_S:
            raise PolarError(
                f"{m.name} frame timestamp leaps {device_step_s:.1f} s ahead of the previous "
                f"frame while {host_step_s:.1f} s passed on the host (a corrupt timestamp); "
                "frame dropped"
            )

    def _emit(self, through_ns: int | None = None) -> None:
        """Append the grid rows both streams have passed (or up to ``through_ns``)."""
        ta, tg = self._t[MeasurementType.ACC], self._t[MeasurementType.GYRO]
        if ta.size == 0 or tg.size == 0:
            return
        if self._t0_ns is None:
            # The grid follows the accelerometer's instants: its first sample at or after the
            # gyroscope's first (so ACC is never interpolated at the nominal rate).
            first = int(np.searchsorted(ta, tg[0], side="left"))
            if first >= ta.size:
                return
            self._t0_ns = int(ta[first])
        t0 = self._t0_ns
        end_ns = int(min(ta[-1], tg[-1])) if through_ns is None else through_ns
        if end_ns < t0:
            return
        stop = math.floor((end_ns - t0) * self.rate_hz / 1e9 + 1e-9) + 1
        if stop <= self._next:
            return
        grid_s = np.arange(self._next, stop, dtype=np.float64) / self.rate_hz
        out: dict[MeasurementType, FloatArray] = {}
        valid = np.ones(grid_s.size, dtype=bool)
        for m in _STREAMS:
            t_s = ((self._t[m] - t0) * 1e-9).astype(np.float64)
            vals, ok = resample_at(t_s, self._v[m], grid_s, self.max_gap_s)
            out[m] = vals
            valid &= ok
        self._append(out[MeasurementType.ACC], out[MeasurementType.GYRO], ~valid)
        # Keep only what later grid points can still need (one sample before the last point).
        last_ns = t0 + (stop - 1) * 1e9 / self.rate_hz
        for m in _STREAMS:
            cut = max(0, int(np.searchsorted(self._t[m], last_ns, side="right")) - 1)
            self._t[m], self._v[m] = self._t[m][cut:], self._v[m][cut:]

    # ------------------------------------------------------------------ result
    def _finish(self) -> None:
        if self._pending:
            logger.warning(
                "%d PMD frames arrived without their start responses (no factors); decoded "
                "with factor 1", len(self._pending)
            )
            self._factors_known = True
            pending, self._pending = self._pending, []
            for host, payload in pending:
                self._add(host, payload)
            self._emit()
        if self._halted:
            # A stream the device stopped for good: the other stream's last rows are a gap.
            ends = [int(self._t[m][-1]) for m in _STREAMS if self._t[m].size]
            if ends:
                self._emit(through_ns=max(ends))

    def _start_time_s(self) -> float:
        if self._clock0 is not None and self._t0_ns is not None:
            return self._clock0[1] + (self._t0_ns * 1e-9 - self._clock0[0])
        return self.header.start_time_s

    def _notes(self) -> dict[str, str]:
        notes = {
            "acc_factor": repr(self.factors[MeasurementType.ACC]),
            "gyr_factor": repr(self.factors[MeasurementType.GYRO]),
        }
        if self._t0_ns is not None:
            notes["device_time_first_sample_unix_s"] = f"{polar_ns_to_unix_s(self._t0_ns):.6f}"
        return notes


def _measurement(value: Any) -> MeasurementType | None:
    """A measurement named in an event (``"GYRO"`` or its type number), None if unknown."""
    try:
        if isinstance(value, str):
            return MeasurementType[value.upper()]
        return MeasurementType(int(value))
    except (KeyError, ValueError, TypeError):
        logger.warning("stream event names an unknown measurement %r", value)
        return None
