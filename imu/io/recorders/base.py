"""What every frame-stream recorder shares: the header, the grid, gaps, events and clock fit.

A recorder turns one device's notifications into rows of a uniform sample grid at the nominal
rate (``StreamHeader.odr_hz``) and, at the end, a :class:`~imu.io.recording.Recording`. The
live loop and journal recovery feed it the same things in the same order: the stream header,
connection events, and batches of ``(host receive time, frame bytes)``; so a journal recovered
after a crash gives the recording the live run would have written.

:class:`GridRecorder` holds what does not depend on the device: the rows so far, the gaps (runs
of rows the device's frames did not fill, with the reason), connection and stream events, the
device-to-host clock fit and the recording's metadata. A subclass decodes its device's frames
and appends rows through :meth:`GridRecorder._append`; it never touches the grid otherwise.

Gap reasons, most specific first: ``disconnected`` (the link dropped meanwhile), ``stopped by
device`` (the device stopped a stream on its own), ``bad frames`` (frames that could not be
used: malformed, or timestamps that cannot hold their samples), ``lost frames`` (anything else:
frames never received).

Time that jumps further than any silence (:data:`MAX_GAP_S`: a host clock and a device clock
that both leapt by days, a device clock set far ahead, a damaged journal) is never filled with
rows: :meth:`GridRecorder._limit_jump_s` turns it into a gap of :data:`JUMP_GAP_S`, logged and
counted (note ``clock_jumps``); the recorders that place samples by device time shift the
samples after such a jump with :class:`TimeJumps`.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np
import numpy.typing as npt

from imu.errors import RecordingError
from imu.io.clock import ClockEstimator, ClockFit
from imu.io.recording import ClockMapping, Gap, Recording, RecordingMeta

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

REASON_LOST = "lost frames"
REASON_DISCONNECTED = "disconnected"
REASON_BAD_FRAMES = "bad frames"
REASON_STOPPED_BY_DEVICE = "stopped by device"

EVENT_CONNECTED = "connected"
EVENT_DISCONNECTED = "disconnected"
EVENT_STOPPED_BY_DEVICE = "stopped_by_device"
"""The device stopped a stream on its own (field ``measurement``)."""
EVENT_STREAM_RESTARTED = "stream_restarted"
"""A stream the device had stopped was started again (field ``measurement``)."""
EVENT_RESTART_FAILED = "stream_restart_failed"
"""A stream the device had stopped could not be started again (``measurement``, ``error``)."""

EVENT_ENDED = "session_ended"
"""The session ended (host time, the last record of a live journal). When the link had dropped
since the last sample, the stream's tail from the last frame to here was lost: the recording
ends at its last sample, and ``meta.notes["lost_at_end_s"]`` says how long the tail was, s."""

LOST_AT_END_NOTE = "lost_at_end_s"
"""Note key: seconds between the last frame and the session's end, the link down (host clock)."""

STREAM_EVENTS = (EVENT_STOPPED_BY_DEVICE, EVENT_STREAM_RESTARTED, EVENT_RESTART_FAILED)
"""Events kept in the recording (``meta.notes["stream_events"]``, a JSON list)."""

MAX_GAP_S = 3 * 3600.0
"""Longest silence placed on the grid as the clocks tell it, s (3 h: two and a half wraps of
our sensor's clock; a BLE session gives up after a minute without its sensor by default). A
jump of the grid beyond it becomes a gap of :data:`JUMP_GAP_S`: no time that long is plausible
between two frames, and filling it (days of NaN rows at the sample rate) would take more
memory than any computer has."""

JUMP_GAP_S = 60.0
"""Gap put where the time jumped by more than :data:`MAX_GAP_S` between two frames, s: long
enough to split sets there; how long the silence really was is unknown."""

MAX_FRAME_ERRORS_KEPT = 20
"""Frame error messages kept in ``meta.notes["frame_errors"]`` (all are counted)."""


@dataclass(frozen=True)
class StreamHeader:
    """What is known before the first frame: the stream configuration and the session.

    Attributes:
        odr_hz: output data rate requested and confirmed by the sensor, Hz (the grid's rate).
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.
        start_time_s: host wall-clock time (Unix seconds) when recording started.
        exercise: exercise profile name, if known.
        tempo: prescribed tempo "up-hold-down", if known.
        source: where the frames come from ("ble", "ble-sim", "replay").
        notes: free-form notes copied into the recording (``protocol`` selects the recorder).

    """

    odr_hz: int
    acc_range_g: int
    gyr_range_dps: int
    start_time_s: float = 0.0
    exercise: str | None = None
    tempo: str | None = None
    source: str = "ble"
    notes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the journal header)."""
        return {
            "odr_hz": self.odr_hz,
            "acc_range_g": self.acc_range_g,
            "gyr_range_dps": self.gyr_range_dps,
            "start_time_s": self.start_time_s,
            "exercise": self.exercise,
            "tempo": self.tempo,
            "source": self.source,
            "notes": dict(self.notes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StreamHeader:
        """Parse :meth:`to_dict`. Raises :class:`RecordingError` if malformed."""
        try:
            return cls(
                odr_hz=int(d["odr_hz"]),
                acc_range_g=int(d["acc_range_g"]),
                gyr_range_dps=int(d["gyr_range_dps"]),
                start_time_s=float(d.get("start_time_s", 0.0)),
                exercise=d.get("exercise"),
                tempo=d.get("tempo"),
                source=str(d.get("source", "ble")),
                notes={str(k): str(v) for k, v in dict(d.get("notes", {})).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordingError(f"stream header is malformed ({exc}): {d!r}") from exc


@dataclass(frozen=True)
class Block:
    """Grid rows added by one batch of frames.

    Attributes:
        start: grid index of the first row.
        acc: ``(m, 3)`` specific force, m/s^2, NaN rows for missing samples.
        gyr: ``(m, 3)`` angular rate, rad/s, NaN rows for missing samples.
        gaps: gaps that closed in this block (grid indices, half-open).
        n_frames: frames in the batch (including dropped duplicates and bad frames).

    """

    start: int
    acc: FloatArray
    gyr: FloatArray
    gaps: tuple[Gap, ...]
    n_frames: int

    @property
    def n_samples(self) -> int:
        """Rows ``m``."""
        return int(self.acc.shape[0])


class TimeJumps:
    """Device-time shifts of the samples after each time jump beyond :data:`MAX_GAP_S`.

    A recorder that places samples by device time (Polar, the phones) keeps one: a jump found
    in one stream shifts every later sample of every stream by the same amount, so the streams
    stay aligned; samples of the other stream from before the jump (a frame that came late)
    are not shifted. A device clock that restarted (or was set) across a reconnect is
    re-anchored with :meth:`rebase`. Times are in the recorder's own unit (int ns with int
    shifts, or float s).
    """

    def __init__(self) -> None:
        self.base: float = 0  # shift of every raw time since the last re-anchoring
        self._from: list[float] = []  # raw device time from which each shift applies
        self._shift: list[float] = []  # shift added to raw times at or after it

    def __bool__(self) -> bool:
        return bool(self._from) or self.base != 0

    def shift_at(self, raw: float) -> float:
        """Total shift of a raw device time."""
        return self.base + sum(s for f, s in zip(self._from, self._shift, strict=True)
                               if raw >= f)

    def apply(self, raw: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Shifted copies of raw device times ``(n,)`` (same dtype)."""
        out = np.array(raw, copy=True)
        out += self.base
        for f, s in zip(self._from, self._shift, strict=True):
            out[raw >= f] += s
        return out

    def rebase(self, shift: float) -> None:
        """Shift every raw time by ``shift`` from now on: the device clock started afresh.

        Its earlier jumps say nothing about its new times: they are forgotten.
        """
        self.base = shift
        self._from.clear()
        self._shift.clear()

    def add(self, raw_from: float, shift: float) -> None:
        """Shift raw times at or after ``raw_from`` by ``shift`` more (after earlier shifts)."""
        self._from.append(raw_from)
        self._shift.append(shift)


class FrameRecorder(Protocol):
    """What the live loop and journal recovery need from a recorder (every device's)."""

    @property
    def n_samples(self) -> int:
        """Grid rows so far (NaN rows included)."""

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Closed gaps so far."""

    def event(self, kind: str, host_time_s: float, **fields: Any) -> None:
        """A connection or stream event."""

    def frames(self, host_times_s: list[float], payloads: list[bytes]) -> Block:
        """Place a batch of notifications (arrival order) on the grid."""

    def clock_fit(self) -> ClockFit | None:
        """Device-to-host clock fit."""

    def recording(self) -> Recording:
        """Everything so far."""

    @property
    def problem(self) -> str | None:
        """Why nothing can be recorded from what arrives (a sensor not sent), or None."""


class GridRecorder(ABC):
    """Base of the frame-stream recorders: grid rows, gaps, events, clock fit, metadata.

    Subclasses implement :meth:`_ingest` (decode a batch and :meth:`_append` rows) and may
    extend :meth:`_on_event`, :meth:`_finish`, :meth:`_start_time_s` and :meth:`_notes`.

    Args:
        header: the stream configuration and session.

    """

    protocol: ClassVar[str] = ""
    """``StreamHeader.notes["protocol"]`` of this recorder's streams ("" for our own)."""

    def __init__(self, header: StreamHeader) -> None:
        if header.odr_hz <= 0:
            raise RecordingError(
                f"stream rate must be positive, got {header.odr_hz} Hz; record at a rate the "
                "sensor offers"
            )
        self.header = header
        self.rate_hz = float(header.odr_hz)
        self.clock = ClockEstimator()
        self.device: dict[str, Any] = {}
        self.counters: dict[str, int] = {"frames": 0, "bad_frames": 0, "reconnects": 0}
        self.frame_errors: list[str] = []
        self._problem: str | None = None  # nothing can be recorded from what arrives: why
        self.stream_events: list[dict[str, Any]] = []
        self._next = 0  # next grid index
        self._acc: list[FloatArray] = []
        self._gyr: list[FloatArray] = []
        self._gaps: list[Gap] = []
        self._gap_start: int | None = None
        # Why the next gap is missing: the link dropped since the last valid row; the device
        # stopped a stream, or a frame was unusable, since the last gap closed (both always
        # leave a hole, which may show only after rows of the other stream still come).
        self._broken = False
        self._stopped = False
        self._bad = False
        self._clock0: tuple[float, float] | None = None  # (device s, host s) of the first point
        self._last_frame_host_s: float | None = None  # receive time of the newest frame, s
        self._lost_at_end_s: float | None = None  # the session ended with the link down: tail, s

    # ------------------------------------------------------------------ events
    def event(self, kind: str, host_time_s: float, **fields: Any) -> None:
        """Record a connection or stream event.

        ``connected`` carries device info (and, for some devices, decode parameters);
        ``disconnected`` marks the link as dropped; ``stopped_by_device``,
        ``stream_restarted`` and ``stream_restart_failed`` (field ``measurement``) are kept in
        the recording's ``stream_events``; ``session_ended`` with the link down since the last
        sample notes the lost tail (:data:`EVENT_ENDED`).
        """
        if kind == EVENT_CONNECTED:
            if self.device:
                self.counters["reconnects"] += 1
            self.device.update({k: v for k, v in fields.items() if v is not None})
        elif kind == EVENT_DISCONNECTED:
            self._broken = True
        elif kind == EVENT_ENDED:
            if self._broken and self._last_frame_host_s is not None:
                self._lost_at_end_s = max(0.0, host_time_s - self._last_frame_host_s)
        elif kind in STREAM_EVENTS:
            if kind == EVENT_STOPPED_BY_DEVICE:
                self._stopped = True
            self.stream_events.append(
                {"event": kind, "host_time_s": round(host_time_s, 6), "at_sample": self._next,
                 **{k: v for k, v in fields.items() if v is not None}}
            )
        self._on_event(kind, host_time_s, fields)
        logger.debug("stream event %s at %.3f: %s", kind, host_time_s, fields)

    def _on_event(self, kind: str, host_time_s: float, fields: dict[str, Any]) -> None:  # noqa: B027
        """Device-specific handling of an event (after the base's); none by default."""

    # ------------------------------------------------------------------ grid
    @property
    def n_samples(self) -> int:
        """Grid rows so far (NaN rows included)."""
        return self._next

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Closed gaps so far."""
        return tuple(self._gaps)

    def frames(self, host_times_s: list[float], payloads: list[bytes]) -> Block:
        """Add a batch of notifications (arrival order); returns the grid rows it completed.

        Args:
            host_times_s: receive time of each notification, host clock, s.
            payloads: the notification values of the device's data characteristic.

        """
        start = self._next
        parts = len(self._acc)
        gaps_before = len(self._gaps)
        self.counters["frames"] += len(payloads)
        if host_times_s:
            newest = max(host_times_s)
            if np.isfinite(newest):
                self._last_frame_host_s = max(newest, self._last_frame_host_s or newest)
        self._ingest(list(host_times_s), [bytes(p) for p in payloads])
        return Block(
            start, *self._rows_since(parts), tuple(self._gaps[gaps_before:]), len(payloads)
        )

    @abstractmethod
    def _ingest(self, host_times_s: list[float], payloads: list[bytes]) -> None:
        """Decode a batch of notifications and :meth:`_append` the rows they complete."""

    def _rows_since(self, parts: int) -> tuple[FloatArray, FloatArray]:
        if len(self._acc) == parts:
            return np.empty((0, 3)), np.empty((0, 3))
        return np.concatenate(self._acc[parts:]), np.concatenate(self._gyr[parts:])

    def _append(self, acc: FloatArray, gyr: FloatArray, missing: BoolArray | None = None) -> None:
        """Append ``(m, 3)`` rows at the end of the grid; ``missing`` rows (m,) become NaN gaps.

        A run of missing rows is a gap; it closes (and gets its reason) at the next valid row.
        """
        m = int(acc.shape[0])
        if m == 0:
            return
        if missing is None:
            missing = np.zeros(m, dtype=bool)
        if missing.any():
            acc, gyr = acc.copy(), gyr.copy()
            acc[missing] = np.nan
            gyr[missing] = np.nan
        base = self._next
        if missing.all():
            if self._gap_start is None:
                self._gap_start = base
        else:
            # Boundaries where a row differs from the previous: gaps open and close there.
            prev = np.concatenate([[self._gap_start is not None], missing[:-1]])
            for i in np.flatnonzero(missing != prev):
                if missing[i]:
                    self._gap_start = base + int(i)
                else:
                    self._close_gap(base + int(i))
            if not missing[-1]:
                self._broken = False
        self._acc.append(acc)
        self._gyr.append(gyr)
        self._next = base + m

    def _append_missing(self, m: int) -> None:
        """Append ``m`` NaN rows (a gap)."""
        if m > 0:
            nan = np.full((m, 3), np.nan)
            self._append(nan, nan, np.ones(m, dtype=bool))

    def _gap_reason(self) -> str:
        if self._broken:
            return REASON_DISCONNECTED
        if self._stopped:
            return REASON_STOPPED_BY_DEVICE
        if self._bad:
            return REASON_BAD_FRAMES
        return REASON_LOST

    def _close_gap(self, end: int) -> None:
        if self._gap_start is not None and end > self._gap_start:
            self._gaps.append(Gap(self._gap_start, end, self._gap_reason()))
            self._stopped = self._bad = False
        self._gap_start = None

    @property
    def problem(self) -> str | None:
        """Why nothing can be recorded from what arrives (a sensor not sent), or None.

        For the live screen, which shows it where it shows the link: a phone pushing no
        gyroscope read "streaming", then "SENSOR LOST", the cause only in a log line.
        """
        return self._problem

    def _frame_error(self, message: str) -> None:
        """A frame that cannot be used: counted, logged, kept in the notes, its hole a gap."""
        self.counters["bad_frames"] += 1
        self._bad = True
        if len(self.frame_errors) < MAX_FRAME_ERRORS_KEPT:
            self.frame_errors.append(message)
        logger.warning("skipping a frame: %s", message)

    def _limit_jump_s(self, jump_s: float) -> float:
        """How far past the newest sample the next ones go, s, when the clocks say ``jump_s``.

        Itself up to :data:`MAX_GAP_S`, else :data:`JUMP_GAP_S` (logged, counted in
        ``clock_jumps``): a jump that long is never filled with rows.
        """
        if jump_s <= MAX_GAP_S:
            return jump_s
        logger.warning(
            "the time jumped %.1f h between two frames, more than the %.0f h a silence is "
            "placed as it is (a clock set? a damaged journal?); the frames after it follow "
            "a %.0f s gap instead", jump_s / 3600, MAX_GAP_S / 3600, JUMP_GAP_S)
        self.counters["clock_jumps"] = self.counters.get("clock_jumps", 0) + 1
        return JUMP_GAP_S

    # ------------------------------------------------------------------ clock
    def _clock_point(self, device_s: float, host_s: float) -> None:
        """One (device time, host receive time) pair for the clock fit, s (NaN host: skipped)."""
        if not np.isfinite(host_s):
            return
        if self._clock0 is None:
            self._clock0 = (device_s, host_s)
        d0, h0 = self._clock0
        self.clock.add(np.array([device_s - d0]), np.array([host_s - h0]))

    def clock_fit(self) -> ClockFit | None:
        """The current device-to-host clock fit."""
        return self.clock.fit()

    # ------------------------------------------------------------------ result
    def _finish(self) -> None:  # noqa: B027
        """Use whatever is still held back before the recording is built; none by default."""

    def _start_time_s(self) -> float:
        """Host time (Unix s) of grid row 0."""
        return self._clock0[1] if self._clock0 is not None else self.header.start_time_s

    def _notes(self) -> dict[str, str]:
        """Device-specific notes."""
        return {}

    def recording(self) -> Recording:
        """Everything received so far as a :class:`Recording` (metadata included)."""
        self._finish()
        h = self.header
        acc = np.concatenate(self._acc) if self._acc else np.empty((0, 3))
        gyr = np.concatenate(self._gyr) if self._gyr else np.empty((0, 3))
        gaps = list(self._gaps)
        if self._gap_start is not None and self._gap_start < len(acc):
            gaps.append(Gap(self._gap_start, len(acc), self._gap_reason()))
        fit = self.clock.fit()
        notes = dict(h.notes)
        notes.update({k: str(v) for k, v in self.counters.items()})
        if self.protocol:
            notes["protocol"] = self.protocol
        notes.update(self._notes())
        for key in ("mtu", "battery_percent", "serial_number", "model"):
            if key in self.device:
                notes[key] = str(self.device[key])
        if fit is not None:
            notes["clock_residual_ms"] = f"{fit.residual_ms:.3f}"
            notes["clock_points"] = str(fit.n_points)
        if self.frame_errors:
            notes["frame_errors"] = json.dumps(self.frame_errors)
        if self._lost_at_end_s is not None:
            notes[LOST_AT_END_NOTE] = f"{self._lost_at_end_s:.1f}"
        if self.stream_events:
            notes["stream_events"] = json.dumps(self.stream_events, sort_keys=True)
        meta = RecordingMeta(
            sampling_rate_hz=self.rate_hz,
            start_time_s=self._start_time_s(),
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
