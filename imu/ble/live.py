"""The live loop: stream from a sensor, record, analyse, report events.

Tasks (references kept in :attr:`LiveSession._tasks`):

- the **supervisor** connects (bleak), reads device info, subscribes, sends ``SET_CLOCK`` on the
  first connection and ``START_STREAM``; when the link drops it reconnects with exponential
  backoff (:class:`ReconnectPolicy`) on a fresh :class:`bleak.BleakClient`, so callbacks are
  never registered twice; it gives up after ``give_up_after_s`` without a link;
- the **notification callback** only enqueues ``(host_time, bytes)``;
- the **consumer** takes everything queued, appends it to the journal, places it on the sample
  grid (the adapter's recorder from :mod:`imu.io.recorders`: decode, gaps, clock fit), feeds the
  :class:`imu.core.RepAnalyzer` and emits :class:`LiveEvent` objects to the listener.

Connection events travel through the same queue as frames, so the journal, the recorder and the
analysis see one order of things. So do stream events of adapters that watch their streams
(``watch``: a Polar sensor that stops a stream on its own; the adapter restarts it, or the
session ends cleanly with reason ``device stopped streaming``).

Why not bleak-retry-connector: it is built around BlueZ (D-Bus device cache, adapter
selection, BlueZ error strings) and connects by :class:`BLEDevice` from a BlueZ scan; with a
custom backend (Bumble) most of it does not apply, and the part that does (retry with backoff)
is the small loop in :meth:`LiveSession._supervise`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from bleak import BleakClient
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError

from firmware_protocol import ProtocolError, codec
from imu.ble.client import BleBackend, BleError, DeviceInfo, SensorConnection, StreamConfig
from imu.core.analyzer import AnalyzerParams, RepAnalyzer
from imu.core.metrics import Rep
from imu.errors import ImuError
from imu.exercises import ExerciseProfile
from imu.io.journal import JournalWriter
from imu.io.recorders import FrameRecorder, StreamHeader, StreamRecorder
from imu.io.recording import Recording
from imu.live.events import (
    DEVICE_STOPPED,
    Connected,
    Disconnected,
    Finished,
    Listener,
    LiveEvent,
    PhaseChanged,
    Progress,
    Reconnecting,
    RepDone,
    SetEnded,
    StreamEvent,
)
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
HostClock = Callable[[], float]


@dataclass(frozen=True)
class ReconnectPolicy:
    """Exponential backoff between reconnection attempts.

    Attributes:
        first_delay_s: wait before the first attempt, s.
        factor: each wait is this many times the previous one.
        max_delay_s: longest wait, s.
        give_up_after_s: stop trying after this long without a link, s (wall clock).
        scan_timeout_s: how long each attempt scans for the sensor, s.

    """

    first_delay_s: float = 0.25
    factor: float = 2.0
    max_delay_s: float = 8.0
    give_up_after_s: float = 60.0
    scan_timeout_s: float = 5.0

    def delays(self) -> list[float]:
        """The waits before each attempt until ``give_up_after_s`` is used up, s."""
        out, total, d = [], 0.0, self.first_delay_s
        while total < self.give_up_after_s:
            out.append(d)
            total += d + self.scan_timeout_s
            d = min(d * self.factor, self.max_delay_s)
        return out


@dataclass
class _LinkEvent:
    kind: str
    host_s: float
    fields: dict[str, Any] = field(default_factory=dict)


_STOP = object()


class DeviceAdapter(Protocol):
    """One sensor protocol: configuration, connection set-up, stop, and the frame recorder.

    ``open`` runs on every (re)connection with a connected bleak client; it subscribes
    (notifications go to ``on_frame``, which only enqueues) and starts the stream. An adapter
    may also have ``async watch(report) -> str | None``, run while connected: it reports
    stream events with ``report(kind, fields)`` and returns a reason only when the session must
    end (a stream the device stopped that could not be restarted).
    """

    kind: str
    odr_hz: int
    acc_range_g: int
    gyr_range_dps: int
    mtu: int

    def header_notes(self) -> dict[str, str]:
        """Notes for the stream header (journal recovery reads them)."""

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The recorder that decodes this protocol's frames."""

    async def open(
        self, client: BleakClient, on_frame: Callable[[bytes], None], name: str, first: bool
    ) -> DeviceInfo:
        """Read device info, subscribe, configure and start streaming."""

    async def stop(self) -> None:
        """Stop the stream (the client stays connected)."""


class HipImuAdapter:
    """Our own protocol (``firmware_protocol/SPEC.md``) through :class:`SensorConnection`."""

    kind = "hip-imu"

    def __init__(self, config: StreamConfig) -> None:
        self.config = config
        self.odr_hz = config.odr_hz
        self.acc_range_g = config.acc_range_g
        self.gyr_range_dps = config.gyr_range_dps
        self.mtu = config.mtu
        self._conn: SensorConnection | None = None

    def header_notes(self) -> dict[str, str]:
        """No extra notes: the default decode path."""
        return {}

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The firmware-protocol recorder."""
        return StreamRecorder(header)

    async def open(
        self, client: BleakClient, on_frame: Callable[[bytes], None], name: str, first: bool
    ) -> DeviceInfo:
        """Status, subscribe, SET_CLOCK on the first connection, START_STREAM."""
        conn = SensorConnection(client, on_frame)
        info = await conn.read_info(name)
        await conn.subscribe()
        if first:
            await conn.command(codec.SetClock(0))
        await conn.start_stream(self.config)
        self._conn = conn
        return info

    async def stop(self) -> None:
        """STOP_STREAM (its response comes after every frame sent before it)."""
        if self._conn is not None:
            await self._conn.command(codec.StopStream())


class PhaseTracker:
    """Coarse live phase from the angular rate about the movement axis (display only).

    ``up`` (concentric), ``down`` (eccentric), ``hold`` (still inside a set), ``rest`` (still
    for ``rest_after_s``), ``learning`` (before the analyzer fixed the movement axis).
    """

    def __init__(
        self, profile: ExerciseProfile, sampling_rate_hz: float, rest_after_s: float
    ) -> None:
        self.threshold_rads = math.radians(0.5 * profile.min_velocity_dps)
        self.alpha = min(1.0, 1.0 / (0.15 * sampling_rate_hz))
        self.rest_after = int(rest_after_s * sampling_rate_hz)
        self.rate = 0.0
        self.still_for = 0
        self.phase = "learning"

    def update(self, gyr: FloatArray, axis: FloatArray | None) -> str:
        """Feed ``(m, 3)`` rad/s (NaN rows skipped); returns the phase."""
        if axis is None:
            return self.phase
        w = gyr @ axis
        w = w[np.isfinite(w)]
        for value in w[-64:] if len(w) > 64 else w:
            self.rate += self.alpha * (float(value) - self.rate)
        self.still_for = 0 if abs(self.rate) > self.threshold_rads else self.still_for + len(w)
        if self.rate > self.threshold_rads:
            self.phase = "up"
        elif self.rate < -self.threshold_rads:
            self.phase = "down"
        else:
            self.phase = "rest" if self.still_for >= self.rest_after else "hold"
        return self.phase


@dataclass
class LiveResult:
    """What a live session produced.

    Attributes:
        recording: everything received, on the uniform grid (gaps NaN and listed).
        reps: every rep, as the live analyzer reported it: what the person saw, and what the
            saved reports hold.
        reason: why the session ended.
        trace: shape (n, 2), the live analyzer's pelvic angle (deg) and rate (deg/s) per
            sample, for the report's plot (empty when not kept).
        trace_start_s: time of the trace's first row on the reps' clock (minus the filter
            delay), s.

    """

    recording: Recording
    reps: list[Rep]
    reason: str
    trace: FloatArray = field(default_factory=lambda: np.empty((0, 2)))
    trace_start_s: float = 0.0


class LiveSession:
    """Streams from one sensor until stopped, recording and analysing as it goes.

    Args:
        target: the sensor (a :class:`BLEDevice` from a scan, or an address).
        backend: which bleak backend to use.
        profile: exercise profile.
        tempo: prescribed tempo (None: the profile's).
        config: stream configuration asked of the sensor.
        params: analyzer parameters.
        journal_path: crash-safe journal file to create (None: no journal).
        listener: receives :class:`LiveEvent` objects (from the consumer task).
        policy: reconnection policy.
        host_clock: host time in seconds (``time.time``; a scaled clock in simulations).
        source: recording source label.
        adapter: the sensor protocol (default: our own, configured by ``config``).

    """

    def __init__(
        self,
        target: BLEDevice | str,
        backend: BleBackend,
        profile: ExerciseProfile,
        tempo: Tempo | None = None,
        config: StreamConfig | None = None,
        params: AnalyzerParams | None = None,
        journal_path: str | None = None,
        listener: Listener | None = None,
        policy: ReconnectPolicy | None = None,
        host_clock: HostClock = time.time,
        source: str = "ble",
        adapter: DeviceAdapter | None = None,
    ) -> None:
        self.target = target
        self.backend = backend
        self.profile = profile
        self.tempo = tempo or profile.default_tempo
        self.config = config or StreamConfig()
        self.params = params or AnalyzerParams()
        self.listener = listener
        self.policy = policy or ReconnectPolicy()
        self.host_clock = host_clock
        self.adapter: DeviceAdapter = adapter or HipImuAdapter(self.config)
        ad = self.adapter
        self.odr_hz = ad.odr_hz
        self.header = StreamHeader(
            odr_hz=ad.odr_hz,
            acc_range_g=ad.acc_range_g,
            gyr_range_dps=ad.gyr_range_dps,
            start_time_s=host_clock(),
            exercise=profile.name,
            tempo=str(self.tempo),
            source=source,
            notes=ad.header_notes(),
        )
        self.recorder: FrameRecorder = ad.make_recorder(self.header)
        self.analyzer = RepAnalyzer(profile, ad.odr_hz, self.tempo, self.params, keep_trace=True)
        self.phases = PhaseTracker(profile, ad.odr_hz, rest_after_s=3.0)
        self.journal = JournalWriter(journal_path, self.header) if journal_path else None
        self.reps: list[Rep] = []
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stop = asyncio.Event()
        self._link_lost = asyncio.Event()
        self._first_connection = True
        self._set_reported = (0, 0)  # (set, reps) last announced
        self._last_progress = 0.0
        self.info: DeviceInfo | None = None
        self.reason = "stopped"

    # ------------------------------------------------------------------ public
    def stop(self) -> None:
        """Ask the session to end (stop the stream, drain, disconnect)."""
        self._stop.set()

    async def run(self) -> LiveResult:
        """Run until :meth:`stop` or the device is gone for good; returns the result."""
        consumer = asyncio.create_task(self._consume(), name="imu-live-consumer")
        self._tasks.add(consumer)
        ticker = asyncio.create_task(self._tick(), name="imu-live-ticker")
        self._tasks.add(ticker)
        try:
            self.reason = await self._supervise()
        finally:
            self._queue.put_nowait(_STOP)
            try:
                await consumer
            finally:
                ticker.cancel()
                await asyncio.gather(ticker, return_exceptions=True)
                self._tasks.clear()
            last = self.analyzer.finish()
            self._emit_reps(last, self.host_clock())
            self._maybe_set_ended(final=True)
            if self.journal is not None:
                self.journal.close()
        self._emit(Finished(self.reason))
        return LiveResult(
            self.recorder.recording(), list(self.reps), self.reason,
            trace=self.analyzer.trace_, trace_start_s=-self.analyzer.delay_s,
        )

    # ------------------------------------------------------------------ supervisor
    def _on_notification(self, data: bytes) -> None:
        """The notification callback: enqueue ``(host_time, bytes)``, nothing else."""
        self._queue.put_nowait((self.host_clock(), data))

    def _on_disconnect(self, _client: BleakClient) -> None:
        self._link_lost.set()

    async def _connect_once(self, target: BLEDevice | str) -> tuple[BleakClient, DeviceInfo]:
        kwargs = self.backend.client_kwargs()
        if self.backend.client is not None and self.backend.client.__name__ == "BleakClientBumble":
            kwargs.setdefault("mtu", self.adapter.mtu)
        client = BleakClient(
            target,
            disconnected_callback=self._on_disconnect,
            timeout=self.policy.scan_timeout_s,
            **kwargs,
        )
        await client.connect()
        try:
            name = target.name if isinstance(target, BLEDevice) and target.name else client.name
            info = await self.adapter.open(
                client, self._on_notification, name or client.address, self._first_connection
            )
        except BaseException:
            await client.disconnect()
            raise
        return client, info

    async def _supervise(self) -> str:
        target: BLEDevice | str = self.target
        attempt = 0
        delays = self.policy.delays()
        while not self._stop.is_set():
            try:
                self._link_lost.clear()
                client, info = await self._connect_once(target)
            except (BleakError, BleError, TimeoutError, OSError) as exc:
                if self._first_connection:
                    raise BleError(f"cannot start streaming from {_name(target)}: {exc}") from exc
                if attempt >= len(delays):
                    logger.warning("giving up on %s after %d attempts", _name(target), attempt)
                    return "device gone"
                delay = delays[attempt]
                attempt += 1
                self._emit(Reconnecting(attempt, delay, str(exc)))
                await self._sleep_or_stop(delay)
                continue
            except ProtocolError:
                raise
            attempt = 0
            self.info = info
            self._queue.put_nowait(_LinkEvent("connected", self.host_clock(), info.as_event()))
            self._emit(Connected(info, reconnect=not self._first_connection))
            self._first_connection = False
            # Stream until the link drops, we are asked to stop, or the adapter gives up.
            stop_wait = asyncio.create_task(self._stop.wait())
            lost_wait = asyncio.create_task(self._link_lost.wait())
            waits = {stop_wait, lost_wait}
            watch = getattr(self.adapter, "watch", None)
            watcher = asyncio.create_task(watch(self._stream_event)) if watch else None
            if watcher is not None:
                waits.add(watcher)
            self._tasks.update(waits)
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for t in waits:
                t.cancel()
                self._tasks.discard(t)
            await asyncio.gather(*waits, return_exceptions=True)
            if self._stop.is_set() and not self._link_lost.is_set():
                await self._stop_stream(client)
                return "stopped"
            if (
                watcher is not None and watcher.done() and not watcher.cancelled()
                and not self._link_lost.is_set()
            ):
                if watcher.exception() is not None:
                    logger.warning("watching the streams failed: %s", watcher.exception())
                await self._stop_stream(client)
                return DEVICE_STOPPED
            # Unsolicited disconnect: mark it and reconnect by address.
            self._queue.put_nowait(_LinkEvent("disconnected", self.host_clock()))
            self._emit(Disconnected(self.recorder.n_samples))
            target = info.address if not isinstance(self.target, BLEDevice) else self.target
            delay = delays[0]
            attempt = 1
            self._emit(Reconnecting(attempt, delay, "link lost"))
            await self._sleep_or_stop(delay)
        return "stopped"

    def _stream_event(self, kind: str, fields: dict[str, Any]) -> None:
        """A stream event from the adapter: journal and recorder (via the queue), and view."""
        self._queue.put_nowait(_LinkEvent(kind, self.host_clock(), dict(fields)))
        error = fields.get("error")
        self._emit(StreamEvent(kind, str(fields.get("measurement")), error and str(error)))

    async def _sleep_or_stop(self, delay: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), delay)

    async def _stop_stream(self, client: BleakClient) -> None:
        """Stop the stream (its response comes after every frame sent before it), disconnect."""
        try:
            await self.adapter.stop()
        except (BleakError, ImuError, ProtocolError, TimeoutError) as exc:
            logger.info("could not stop the stream cleanly: %s", exc)
        try:
            await client.disconnect()
        except BleakError as exc:
            logger.debug("disconnect: %s", exc)

    # ------------------------------------------------------------------ consumer
    async def _consume(self) -> None:
        done = False
        while not done:
            item = await self._queue.get()
            items = [item]
            while not self._queue.empty():
                items.append(self._queue.get_nowait())
            hosts: list[float] = []
            payloads: list[bytes] = []
            for it in items:
                if it is _STOP:
                    done = True
                elif isinstance(it, _LinkEvent):
                    self._process_frames(hosts, payloads)
                    hosts, payloads = [], []
                    self.recorder.event(it.kind, it.host_s, **it.fields)
                    if self.journal is not None:
                        self.journal.append_event(it.host_s, it.kind, **it.fields)
                else:
                    hosts.append(it[0])
                    payloads.append(it[1])
            self._process_frames(hosts, payloads)

    def _process_frames(self, hosts: list[float], payloads: list[bytes]) -> None:
        if not payloads:
            return
        if self.journal is not None:
            self.journal.append_frames(zip(hosts, payloads, strict=True))
        block = self.recorder.frames(hosts, payloads)
        if block.n_samples == 0:
            return
        reps = self.analyzer.update(block.acc, block.gyr)
        self._emit_reps(reps, hosts[-1])
        phase = self.phases.phase
        if self.phases.update(block.gyr, self.analyzer.locked_axis_) != phase:
            self._emit(PhaseChanged(self.phases.phase))
        self._maybe_set_ended(final=False)

    def _emit_reps(self, reps: list[Rep], received_s: float) -> None:
        for rep in reps:
            self.reps.append(rep)
            self._emit(RepDone(rep, received_s, self.host_clock()))

    def _maybe_set_ended(self, final: bool) -> None:
        """Announce a set once no rep came for ``set_rest_s`` of received signal.

        Gaps do not count as rest. If a late rep joins a set already announced, the set is
        announced again with it.
        """
        if not self.reps:
            return
        last = self.reps[-1]
        in_set = tuple(r for r in self.reps if r.set == last.set)
        if self._set_reported == (last.set, len(in_set)):
            return
        odr = self.odr_hz
        end = math.ceil(max(last.ecc_end_s, 0.0) * odr)
        n = self.recorder.n_samples
        missing = sum(max(0, min(g.end, n) - max(g.start, end)) for g in self.recorder.gaps)
        idle_s = (n - end - missing) / odr
        if final or idle_s >= self.params.set_rest_s:
            self._set_reported = (last.set, len(in_set))
            self._emit(SetEnded(last.set, in_set))

    async def _tick(self) -> None:
        """Periodic progress events and journal fsyncs (also when no data arrives)."""
        while True:
            await asyncio.sleep(0.5)
            if self.journal is not None:
                self.journal.flush()
            n = self.recorder.n_samples
            fit = self.recorder.clock_fit()
            gaps = self.recorder.gaps
            self._emit(
                Progress(
                    samples=n,
                    seconds=n / self.odr_hz,
                    lost_samples=sum(g.n_samples for g in gaps),
                    gaps=len(gaps),
                    clock_drift_ppm=fit.drift_ppm if fit and fit.n_points > 5 else None,
                    journal_error=self.journal.error if self.journal else None,
                )
            )

    def _emit(self, event: LiveEvent | Finished) -> None:
        """Give ``event`` to the listener; a failing listener never stops the session.

        A view is only a view: if it raises (a bug, a closed terminal), the error is logged
        once and the listener dropped, while recording and analysis carry on.
        """
        if self.listener is None:
            return
        try:
            self.listener(event)
        except Exception:  # the view's failure must not lose the recording
            logger.exception("the live view failed; carrying on without it")
            self.listener = None


def _name(target: BLEDevice | str) -> str:
    return f"{target.name} ({target.address})" if isinstance(target, BLEDevice) else target
