"""From received BLE frames to a recording on a uniform grid: the one decode path.

The live loop and journal recovery both feed a :class:`StreamRecorder` the same things in the
same order: the stream header, connection events, and batches of ``(host receive time, frame
bytes)``. So a journal recovered after a crash gives the recording the live run would have
written.

Placing samples on the grid. Sample 0 is the first sample of the first frame received. A frame
whose first sample has device time ``t`` (unwrapped, microseconds) starts at grid index
``round((t - t0) * odr_hz / 1e6)``: the device clock defines the grid, so the index is exact
however many frames were lost and however long the link was down. Samples the host never got
become NaN rows listed in ``meta.gaps`` (reason ``lost frames`` or ``disconnected``). A frame
that overlaps samples already placed (a duplicate) is dropped. If, across a reconnect, the
device clock went backwards or leapt far ahead of the host clock (the sensor restarted, or its
clock was set), the frames are placed by host receive time instead and the jump is logged.

Counts become SI only in :func:`firmware_protocol.frames.decode_frames`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from firmware_protocol import ProtocolError
from firmware_protocol.frames import DecodedBatch, StreamPosition, decode_frames
from imu.errors import RecordingError
from imu.io.clock import ClockEstimator, ClockFit
from imu.io.recording import ClockMapping, Gap, Recording, RecordingMeta

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

REASON_LOST = "lost frames"
REASON_DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class StreamHeader:
    """What is known before the first frame: the stream configuration and the session.

    Attributes:
        odr_hz: output data rate requested and confirmed by the sensor, Hz.
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.
        start_time_s: host wall-clock time (Unix seconds) when recording started.
        exercise: exercise profile name, if known.
        tempo: prescribed tempo "up-hold-down", if known.
        source: where the frames come from ("ble", "ble-sim", "replay").
        notes: free-form notes copied into the recording.

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
    """Grid samples added by one batch of frames.

    Attributes:
        start: grid index of the first row.
        acc: ``(m, 3)`` specific force, m/s^2, NaN rows for missing samples.
        gyr: ``(m, 3)`` angular rate, rad/s, NaN rows for missing samples.
        gaps: gaps that this block opened (grid indices, half-open).
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


class StreamRecorder:
    """Turns frames into grid samples and, at the end, a :class:`Recording`.

    Args:
        header: the stream configuration and session.
        reanchor_s: how far the device clock may run ahead of twice the host's elapsed time
            across a reconnect before the grid is re-anchored, s.

    """

    def __init__(self, header: StreamHeader, reanchor_s: float = 2.0) -> None:
        self.header = header
        self.reanchor_s = reanchor_s
        self.clock = ClockEstimator()
        self._position: StreamPosition | None = None
        self._t0_us: int | None = None  # unwrapped device time of grid sample 0
        self._anchor_shift = 0  # grid index correction after a re-anchor
        self._host0: float | None = None
        self._last_host: float | None = None  # receive time of the last frame placed
        self._next = 0  # next grid index
        self._acc: list[FloatArray] = []
        self._gyr: list[FloatArray] = []
        self._gaps: list[Gap] = []
        self._broken = False  # the link dropped since the last frame
        self.device: dict[str, Any] = {}
        self.counters = {
            "frames": 0,
            "bad_frames": 0,
            "duplicate_frames": 0,
            "lost_frames": 0,
            "reconnects": 0,
            "reanchors": 0,
        }

    # ------------------------------------------------------------------ events
    def event(self, kind: str, host_time_s: float, **fields: Any) -> None:
        """Record a connection event: ``connected`` (device info) or ``disconnected``."""
        if kind == "connected":
            if self.device:
                self.counters["reconnects"] += 1
            self.device.update({k: v for k, v in fields.items() if v is not None})
        elif kind == "disconnected":
            self._broken = True
        logger.debug("stream event %s at %.3f: %s", kind, host_time_s, fields)

    # ------------------------------------------------------------------ frames
    @property
    def n_samples(self) -> int:
        """Grid samples so far (including NaN rows)."""
        return self._next

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Gaps so far."""
        return tuple(self._gaps)

    def _decode(self, payloads: list[bytes]) -> list[DecodedBatch]:
        h = self.header
        try:
            batch = decode_frames(
                payloads, h.acc_range_g, h.gyr_range_dps, h.odr_hz, self._position
            )
            self._position = batch.end
            return [batch]
        except ProtocolError:
            pass
        out = []
        for payload in payloads:  # slow path: find and skip the bad frame(s)
            try:
                one = decode_frames(
                    [payload], h.acc_range_g, h.gyr_range_dps, h.odr_hz, self._position
                )
            except ProtocolError as exc:
                self.counters["bad_frames"] += 1
                logger.warning("skipping a malformed frame: %s", exc)
                continue
            self._position = one.end
            out.append(one)
        return out

    def frames(self, host_times_s: list[float], payloads: list[bytes]) -> Block:
        """Place a batch of frames (in arrival order) on the grid.

        Args:
            host_times_s: receive time of each frame, host clock, s.
            payloads: notification values of the IMU data characteristic.

        """
        start = self._next
        accs: list[FloatArray] = []
        gyrs: list[FloatArray] = []
        new_gaps: list[Gap] = []
        self.counters["frames"] += len(payloads)
        frame_i = 0
        for batch in self._decode(list(payloads)):
            hosts = np.asarray(host_times_s[frame_i : frame_i + batch.n_frames])
            frame_i += batch.n_frames
            for f in range(batch.n_frames):
                a = int(batch.frame_start[f])
                b = int(batch.frame_start[f + 1]) if f + 1 < batch.n_frames else batch.n_samples
                self._place(
                    int(batch.frame_timestamp_us[f]),
                    float(hosts[f]) if f < len(hosts) else math.nan,
                    batch.acc[a:b],
                    batch.gyr[a:b],
                    int(batch.gaps[f]),
                    accs,
                    gyrs,
                    new_gaps,
                )
        if accs:
            acc = np.concatenate(accs)
            gyr = np.concatenate(gyrs)
        else:
            acc = gyr = np.empty((0, 3))
        self._acc.append(acc)
        self._gyr.append(gyr)
        return Block(start, acc, gyr, tuple(new_gaps), len(payloads))

    def _place(
        self,
        t_us: int,
        host_s: float,
        acc: FloatArray,
        gyr: FloatArray,
        seq_gap: int,
        accs: list[FloatArray],
        gyrs: list[FloatArray],
        new_gaps: list[Gap],
    ) -> None:
        odr = self.header.odr_hz
        if self._t0_us is None:
            self._t0_us = t_us
            self._host0 = host_s
        index = round((t_us - self._t0_us) * odr / 1e6) + self._anchor_shift
        if self._broken and self._last_host is not None and math.isfinite(host_s):
            # After a reconnect the device clock must have moved on about as much as the
            # host's: backwards means it restarted (reboot), far ahead means it was reset.
            device_step = (index - self._next) / odr
            host_step = host_s - self._last_host
            if device_step < -1.0 / odr or device_step > 2.0 * host_step + self.reanchor_s:
                new_index = self._next + max(0, round(host_step * odr))
                logger.warning(
                    "device clock jumped by %.1f s against the host clock across a reconnect "
                    "(sensor restarted?); placing the frames by host time",
                    device_step - host_step,
                )
                self._anchor_shift += new_index - index
                index = new_index
                self.counters["reanchors"] += 1
        self._broken_check(index, seq_gap, new_gaps, accs, gyrs)
        n = len(acc)
        if index < self._next:
            skip = self._next - index
            if skip >= n:
                self.counters["duplicate_frames"] += 1
                return
            acc, gyr, index = acc[skip:], gyr[skip:], self._next
        accs.append(acc)
        gyrs.append(gyr)
        self._next = index + len(acc)
        if math.isfinite(host_s):
            self._last_host = host_s
        if math.isfinite(host_s) and self._host0 is not None:
            self.clock.add(
                np.array([(index - self._anchor_shift) / odr]), np.array([host_s - self._host0])
            )

    def _broken_check(
        self,
        index: int,
        seq_gap: int,
        new_gaps: list[Gap],
        accs: list[FloatArray],
        gyrs: list[FloatArray],
    ) -> None:
        if index > self._next:
            missing = index - self._next
            reason = REASON_DISCONNECTED if self._broken else REASON_LOST
            gap = Gap(self._next, index, reason)
            self._gaps.append(gap)
            new_gaps.append(gap)
            nan = np.full((missing, 3), np.nan)
            accs.append(nan)
            gyrs.append(nan)
            self._next = index
            if not self._broken:
                self.counters["lost_frames"] += max(seq_gap, 1)
        self._broken = False

    # ------------------------------------------------------------------ result
    def clock_fit(self) -> ClockFit | None:
        """The current device-to-host clock fit."""
        return self.clock.fit()

    def recording(self) -> Recording:
        """Everything received so far as a :class:`Recording` (metadata included)."""
        h = self.header
        acc = np.concatenate(self._acc) if self._acc else np.empty((0, 3))
        gyr = np.concatenate(self._gyr) if self._gyr else np.empty((0, 3))
        fit = self.clock.fit()
        notes = dict(h.notes)
        notes.update({k: str(v) for k, v in self.counters.items()})
        for key in ("mtu", "battery_percent", "serial_number", "model"):
            if key in self.device:
                notes[key] = str(self.device[key])
        if fit is not None:
            notes["clock_residual_ms"] = f"{fit.residual_ms:.3f}"
            notes["clock_points"] = str(fit.n_points)
        meta = RecordingMeta(
            sampling_rate_hz=float(h.odr_hz),
            start_time_s=(self._host0 if self._host0 is not None else h.start_time_s),
            device=str(self.device.get("name") or "unknown"),
            device_address=self.device.get("address"),
            protocol_version=self.device.get("protocol_version"),
            firmware_version=self.device.get("firmware_version"),
            acc_range_g=float(h.acc_range_g),
            gyr_range_dps=float(h.gyr_range_dps),
            clock=ClockMapping(
                offset_s=fit.offset_s if fit else 0.0, drift_ppm=fit.drift_ppm if fit else 0.0
            ),
            gaps=tuple(self._gaps),
            exercise=h.exercise,
            tempo=h.tempo,
            source=h.source,
            notes=notes,
        )
        return Recording(acc, gyr, meta)
