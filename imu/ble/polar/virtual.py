"""A virtual Polar sensor: a Bumble GATT server with the PMD service, as Polar documents it.

It advertises a Polar-style name (``Polar Sense ...``, the heart-rate service UUID) with the PMD
service UUID in the scan response, and serves the PMD control point (features read, settings,
start and stop of ACC and GYRO, error statuses for what it does not offer) and the data
characteristic, plus Device Information and Battery. It streams samples given by whoever
starts it: ACC as delta-compressed frames of type 0x81 (mG = counts x factor), GYRO as type 0x80
(deg/s = counts x factor; or type 0x81, float32 deg/s / factor, with ``gyr_frame_type=0x81``),
each frame stamped with the device time of its last sample in ns since 2000-01-01. The two
streams are timed independently (``gyr_offset_s`` shifts the gyro's sampling instants), as on
the real device. Time can run ``speed`` times faster than real time.

Faults, for tests: ``rate_error_ppm`` makes the sampling clock run off nominal against the
timestamp clock (52 Hz that is really 52.03 Hz: +577 ppm; the samples are the source signal at
the true instants, stamped truthfully); ``stop_at_s`` stops a stream on the device's own
(``0x01`` indication, as a real sensor does when it must), ``refuse_restart`` refuses to start
a stream it stopped (status ``INVALID_STATE``); ``drop_fraction`` loses frames.

This models the documented protocol, not a particular firmware: it offers the Verity Sense's
SDK-mode rates (26-416 Hz) and ranges at once, without a separate SDK-mode switch.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from bumble import gatt
from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData
from bumble.device import Connection, Device
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from firmware_protocol import spec
from imu.io.recorders.pmd import (
    DPS_TO_RADS,
    MEASUREMENT_STOPPED,
    MG_TO_MS2,
    PMD_CONTROL_POINT_UUID,
    PMD_DATA_UUID,
    PMD_SERVICE_UUID,
    MeasurementType,
    Opcode,
    PmdStatus,
    PolarError,
    Response,
    SettingType,
    decode_request,
    encode_data_frame,
    encode_features,
    encode_settings,
)

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

OFFERED: dict[MeasurementType, dict[SettingType, tuple[int, ...]]] = {
    MeasurementType.ACC: {
        SettingType.SAMPLE_RATE: (26, 52, 104, 208, 416),
        SettingType.RESOLUTION: (16,),
        SettingType.RANGE: (2, 4, 8, 16),
        SettingType.CHANNELS: (3,),
    },
    MeasurementType.GYRO: {
        SettingType.SAMPLE_RATE: (26, 52, 104, 208, 416),
        SettingType.RESOLUTION: (16,),
        SettingType.RANGE: (250, 500, 1000, 2000),
        SettingType.CHANNELS: (3,),
    },
}
"""Settings the virtual sensor offers (the Verity Sense's SDK-mode table)."""

_STATUS_FOR: dict[SettingType, PmdStatus] = {
    SettingType.SAMPLE_RATE: PmdStatus.INVALID_SAMPLE_RATE,
    SettingType.RESOLUTION: PmdStatus.INVALID_RESOLUTION,
    SettingType.RANGE: PmdStatus.INVALID_RANGE,
    SettingType.CHANNELS: PmdStatus.INVALID_NUMBER_OF_CHANNELS,
}

HEART_RATE_SERVICE_UUID16 = 0x180D
FRAME_PERIOD_S = 0.1
"""Each stream sends a frame at least this often (device time), s."""
_TICK_WALL_S = 0.02
DEVICE_EPOCH_NS = 757_382_400 * 10**9
"""Device clock at power-on: 2024-01-01T00:00:00Z in ns since 2000-01-01."""


@dataclass(frozen=True, eq=False)
class PolarSource:
    """Samples to stream: ``(n, 3)`` m/s^2 and rad/s at ``sampling_rate_hz`` (NaN: not sent)."""

    acc_ms2: FloatArray
    gyr_rads: FloatArray
    sampling_rate_hz: int

    def __post_init__(self) -> None:
        if self.acc_ms2.ndim != 2 or self.acc_ms2.shape[1] != 3 or (
            self.gyr_rads.shape != self.acc_ms2.shape
        ):
            raise PolarError(
                f"acc and gyr must both have shape (n, 3), got {self.acc_ms2.shape} and "
                f"{self.gyr_rads.shape}"
            )

    @classmethod
    def from_si(cls, acc: npt.ArrayLike, gyr: npt.ArrayLike, rate_hz: int) -> PolarSource:
        """From SI arrays."""
        return cls(np.asarray(acc, dtype=np.float64), np.asarray(gyr, dtype=np.float64), rate_hz)

    @property
    def n_samples(self) -> int:
        """Samples per stream."""
        return int(self.acc_ms2.shape[0])


@dataclass
class PolarStats:
    """What the virtual Polar did (for tests)."""

    frames_sent: int = 0
    frames_dropped: int = 0
    device_stops: list[str] = field(default_factory=list)
    samples_sent: dict[str, int] = field(default_factory=lambda: {"ACC": 0, "GYRO": 0})
    connections: int = 0
    requests: list[str] = field(default_factory=list)


@dataclass
class _Stream:
    measurement: MeasurementType
    factor: float
    counts: npt.NDArray[Any]  # (n, 3) integer counts, or float32 values for GYRO 0x81
    valid: npt.NDArray[np.bool_]
    offset_s: float
    cursor: int = 0
    frame_type: int = 0x81

    @property
    def n_samples(self) -> int:
        return int(self.counts.shape[0])


class VirtualPolar:
    """A Polar PMD sensor simulated on a Bumble :class:`~bumble.device.Device`.

    Args:
        device: a Bumble device (not powered on), e.g. from :meth:`on_local_link`.
        source: samples to stream.
        name: advertised name.
        speed: world seconds per wall-clock second.
        gyr_offset_s: gyro sampling instants lag the accelerometer's by this much, s.
        drop_fraction: probability that a data frame is not sent.
        battery_percent: Battery Level.
        seed: seed of the frame drops.
        clock: wall clock, s (monotonic).
        rate_error_ppm: the sampling clock's error against the timestamp clock, ppm
            (+577: 52 Hz is really 52.03 Hz).
        gyr_frame_type: 0x80 (16-bit delta) or 0x81 (float32 delta) GYRO frames.
        stop_at_s: ``(measurement name, world time s)`` pairs: the device stops that stream on
            its own then (once each).
        refuse_restart: refuse to start again a stream the device stopped.
        frame_period_s: each stream sends a frame at least this often (device time), s.

    """

    def __init__(
        self,
        device: Device,
        source: PolarSource,
        *,
        name: str = "Polar Sense SIM00001",
        speed: float = 1.0,
        gyr_offset_s: float = 0.0,
        drop_fraction: float = 0.0,
        battery_percent: int = 76,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
        rate_error_ppm: float = 0.0,
        gyr_frame_type: int = 0x80,
        stop_at_s: tuple[tuple[str, float], ...] = (),
        refuse_restart: bool = False,
        frame_period_s: float = FRAME_PERIOD_S,
    ) -> None:
        if not (math.isfinite(speed) and speed > 0):
            raise PolarError(f"speed must be a positive number, got {speed!r}")
        if not (math.isfinite(rate_error_ppm) and abs(rate_error_ppm) < 1e5):
            raise PolarError(
                f"rate_error_ppm must be a finite number below 100000 in size, got "
                f"{rate_error_ppm!r}"
            )
        if gyr_frame_type not in (0x80, 0x81):
            raise PolarError(f"gyr_frame_type must be 0x80 or 0x81, got 0x{gyr_frame_type:02x}")
        self.rate_error_ppm = float(rate_error_ppm)
        self.true_rate_hz = source.sampling_rate_hz * (1.0 + self.rate_error_ppm * 1e-6)
        self.gyr_frame_type = gyr_frame_type
        self.stop_at_s = {MeasurementType[name.upper()]: float(t) for name, t in stop_at_s}
        self.refuse_restart = refuse_restart
        self.frame_period_s = frame_period_s
        self._stopped_by_me: set[MeasurementType] = set()
        self.device = device
        self.source = source
        self.name = name
        self.speed = float(speed)
        self.gyr_offset_s = gyr_offset_s
        self.drop_fraction = drop_fraction
        self.battery_percent = battery_percent
        self._clock = clock
        self._rng = np.random.default_rng(seed)
        self.stats = PolarStats()
        self.source_done = asyncio.Event()
        self._streams: dict[MeasurementType, _Stream] = {}
        self._world0_wall: float | None = None
        self._connection: Connection | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._build_gatt()

    @classmethod
    def on_local_link(
        cls, link: LocalLink, source: PolarSource, address: str = "A0:9E:1A:00:00:01",
        **kwargs: Any,
    ) -> VirtualPolar:
        """A sensor on its own Bumble controller on an in-process ``link``."""
        controller = Controller(f"polar-{address}", link=link, public_address=address)
        device = Device(
            name=kwargs.get("name", "Polar Sense SIM00001"),
            address=Address(address),
            host=Host(controller, AsyncPipeSink(controller)),
        )
        return cls(device, source, **kwargs)

    # ------------------------------------------------------------------ GATT
    def _build_gatt(self) -> None:
        props = gatt.Characteristic.Properties
        readable, writeable = gatt.Characteristic.READABLE, gatt.Characteristic.WRITEABLE
        features = encode_features(set(OFFERED))
        self._cp: gatt.Characteristic[bytes] = gatt.Characteristic(
            UUID(PMD_CONTROL_POINT_UUID.upper()),
            props.READ | props.WRITE | props.INDICATE,
            readable | writeable,
            gatt.CharacteristicValue(read=lambda _c: features, write=self._on_write),
        )
        self._data: gatt.Characteristic[bytes] = gatt.Characteristic(
            UUID(PMD_DATA_UUID.upper()), props.NOTIFY, readable, b""
        )
        info = {
            spec.MANUFACTURER_NAME_UUID: "Polar Electro Oy (virtual)",
            spec.MODEL_NUMBER_UUID: "Polar Sense",
            spec.SERIAL_NUMBER_UUID: "SIM00001",
            spec.FIRMWARE_REVISION_UUID: "2.1.0-virtual",
        }
        dis = [
            gatt.Characteristic(
                UUID.from_16_bits(int(u[4:8], 16)), props.READ, readable, text.encode()
            )
            for u, text in info.items()
        ]
        battery: gatt.Characteristic[bytes] = gatt.Characteristic(
            UUID.from_16_bits(int(spec.BATTERY_LEVEL_UUID[4:8], 16)),
            props.READ,
            readable,
            gatt.CharacteristicValue(read=lambda _c: bytes([self.battery_percent])),
        )
        self.device.add_services(
            [
                gatt.Service(UUID(PMD_SERVICE_UUID.upper()), [self._cp, self._data]),
                gatt.Service(
                    UUID.from_16_bits(int(spec.DEVICE_INFORMATION_SERVICE_UUID[4:8], 16)), dis
                ),
                gatt.Service(
                    UUID.from_16_bits(int(spec.BATTERY_SERVICE_UUID[4:8], 16)), [battery]
                ),
            ]
        )
        self.device.on(self.device.EVENT_CONNECTION, self._on_connection)

    def advertising_data(self) -> tuple[bytes, bytes]:
        """Advertising data (flags, HR service, name) and scan response (PMD service UUID)."""
        adv = AdvertisingData(
            [
                (AdvertisingData.FLAGS, bytes([0x06])),
                (
                    AdvertisingData.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
                    HEART_RATE_SERVICE_UUID16.to_bytes(2, "little"),
                ),
                (AdvertisingData.COMPLETE_LOCAL_NAME, self.name.encode()[:24]),
            ]
        )
        scan = AdvertisingData(
            [
                (
                    AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                    UUID(PMD_SERVICE_UUID.upper()).to_bytes(),
                )
            ]
        )
        return bytes(adv), bytes(scan)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Power on, advertise, start the streaming loop."""
        await self.device.power_on()
        await self._advertise()
        self._loop_task = asyncio.create_task(self._stream_loop(), name="virtual-polar")

    async def stop(self) -> None:
        """Stop everything and power off."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        if self._tasks:
            # Let HCI commands in flight (re-advertising after a disconnect, indications)
            # finish: cancelling one leaves its late completion event with no one waiting.
            await asyncio.wait(set(self._tasks), timeout=1.0)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._streams.clear()
        conn = self._connection
        if conn is not None:
            try:
                await conn.disconnect()
            except Exception as exc:
                logger.debug("disconnect at stop failed: %s", exc)
        try:
            await self.device.stop_advertising()
            await self.device.power_off()
        except Exception as exc:
            logger.debug("power off failed: %s", exc)

    async def _advertise(self) -> None:
        adv, scan = self.advertising_data()
        await self.device.start_advertising(
            advertising_data=adv,
            scan_response_data=scan,
            advertising_interval_min=20.0,
            advertising_interval_max=20.0,
            auto_restart=False,
        )

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_connection(self, connection: Connection) -> None:
        self._connection = connection
        self.stats.connections += 1
        connection.on(connection.EVENT_DISCONNECTION, self._on_disconnection)

    def _on_disconnection(self, _reason: int) -> None:
        self._connection = None
        self._streams.clear()  # disconnecting stops the streams
        self._spawn(self._advertise())

    # ------------------------------------------------------------------ clocks
    def world_time_s(self) -> float:
        """Seconds since the first start request (world time)."""
        if self._world0_wall is None:
            return 0.0
        return (self._clock() - self._world0_wall) * self.speed

    def _sample_ns(self, stream: _Stream, index: int) -> int:
        return DEVICE_EPOCH_NS + round((index / self.true_rate_hz + stream.offset_s) * 1e9)

    def _resample(self, si: FloatArray) -> FloatArray:
        """The source (nominal rate) at the true sampling instants (``rate_error_ppm``)."""
        if self.rate_error_ppm == 0.0:
            return si
        n = si.shape[0]
        ratio = self.source.sampling_rate_hz / self.true_rate_hz  # source samples per sample
        pos = np.arange(math.floor((n - 1) / ratio) + 1) * ratio
        lo = np.minimum(np.floor(pos).astype(np.int64), n - 1)
        hi = np.minimum(lo + 1, n - 1)
        frac = (pos - lo)[:, None]
        out: FloatArray = si[lo] * (1.0 - frac) + si[hi] * frac  # NaN if either side is NaN
        return out

    # ------------------------------------------------------------------ control point
    def _on_write(self, connection: Connection, value: bytes) -> None:
        raw = bytes(value)
        opcode = raw[0] if raw else 0
        mtype = raw[1] if len(raw) > 1 else 0
        try:
            request = decode_request(raw)
        except PolarError as exc:
            name = str(exc).split(":")[0]
            status = PmdStatus[name] if name in PmdStatus.__members__ else (
                PmdStatus.INVALID_PARAMETER
            )
            self._respond(connection, Response(opcode, mtype, status))
            return
        self.stats.requests.append(f"{request.opcode.name} {request.measurement.name}")
        offered = OFFERED.get(request.measurement)
        if offered is None and request.opcode != Opcode.GET_MEASUREMENT_STATUS:
            self._respond(connection, Response(opcode, mtype, PmdStatus.NOT_SUPPORTED))
            return
        params = b""
        status = PmdStatus.SUCCESS
        if request.opcode == Opcode.GET_MEASUREMENT_SETTINGS and offered is not None:
            params = encode_settings(dict(offered))
        elif request.opcode == Opcode.REQUEST_MEASUREMENT_START and offered is not None:
            status, factor = self._start(request.measurement, request.settings, offered)
            if status == PmdStatus.SUCCESS:
                params = encode_settings({SettingType.FACTOR: factor})
        elif request.opcode == Opcode.STOP_MEASUREMENT:
            if self._streams.pop(request.measurement, None) is None:
                status = PmdStatus.ALREADY_IN_STATE
        else:
            status = PmdStatus.NOT_SUPPORTED
        self._respond(connection, Response(opcode, mtype, status, False, params))

    def _respond(self, connection: Connection, response: Response) -> None:
        payload = response.encode()

        async def indicate() -> None:
            await asyncio.sleep(0)  # after the write response
            await self.device.indicate_subscriber(connection, self._cp, payload)

        self._spawn(indicate())

    def _start(
        self, measurement: MeasurementType, chosen: dict[SettingType, int],
        offered: dict[SettingType, tuple[int, ...]],
    ) -> tuple[PmdStatus, float]:
        if measurement in self._streams:
            return PmdStatus.ALREADY_IN_STATE, 0.0
        if self.refuse_restart and measurement in self._stopped_by_me:
            return PmdStatus.INVALID_STATE, 0.0
        for stype, value in chosen.items():
            if stype in offered and value not in offered[stype]:
                return _STATUS_FOR.get(stype, PmdStatus.INVALID_PARAMETER), 0.0
        rate = chosen.get(SettingType.SAMPLE_RATE, self.source.sampling_rate_hz)
        if rate != self.source.sampling_rate_hz:
            logger.warning(
                "virtual Polar: start at %d Hz, but the source is at %d Hz",
                rate, self.source.sampling_rate_hz,
            )
            return PmdStatus.INVALID_SAMPLE_RATE, 0.0
        range_ = chosen.get(SettingType.RANGE, max(offered[SettingType.RANGE]))
        if measurement == MeasurementType.ACC:
            factor = float(np.float32(range_ * 2000.0 / 65536.0))  # mG per count
            si = self._resample(self.source.acc_ms2) / (factor * MG_TO_MS2)
            frame_type, offset = 0x81, 0.0
        elif self.gyr_frame_type == 0x81:
            factor = 1.0  # float32 deg/s
            si = self._resample(self.source.gyr_rads) / DPS_TO_RADS
            frame_type, offset = 0x81, self.gyr_offset_s
        else:
            factor = float(np.float32(range_ * 2.0 / 65536.0))  # deg/s per count
            si = self._resample(self.source.gyr_rads) / (factor * DPS_TO_RADS)
            frame_type, offset = 0x80, self.gyr_offset_s
        valid: npt.NDArray[np.bool_] = np.asarray(np.isfinite(si).all(axis=1))
        counts: npt.NDArray[Any]
        if frame_type == 0x81 and measurement == MeasurementType.GYRO:
            counts = np.where(valid[:, None], si, 0.0).astype(np.float32)
        else:
            counts = np.clip(np.round(np.where(valid[:, None], si, 0.0)), -32768, 32767).astype(
                np.int64
            )
        if self._world0_wall is None:
            self._world0_wall = self._clock()
        stream = _Stream(measurement, factor, counts, valid, offset, frame_type=frame_type)
        stream.cursor = self._due(stream)
        self._streams[measurement] = stream
        return PmdStatus.SUCCESS, factor

    # ------------------------------------------------------------------ streaming
    def _due(self, stream: _Stream) -> int:
        """Samples of a stream measured by now (world time)."""
        world = self.world_time_s()
        due = math.floor((world - stream.offset_s) * self.true_rate_hz) + 1
        return min(max(due, 0), stream.n_samples)

    async def _stream_loop(self) -> None:
        rate = self.source.sampling_rate_hz
        per_frame = max(1, int(rate * self.frame_period_s))
        while True:
            await asyncio.sleep(min(_TICK_WALL_S, per_frame / rate / self.speed))
            if self._world0_wall is not None and not self.source_done.is_set():
                end_world = self.source.n_samples / rate + self.gyr_offset_s
                if self.world_time_s() >= end_world + self.frame_period_s:
                    self.source_done.set()
            conn = self._connection
            if conn is None:
                continue
            for stream in list(self._streams.values()):
                await self._send_due(conn, stream, per_frame)
            await self._stop_due(conn)

    async def _stop_due(self, conn: Connection) -> None:
        """Stop, on the device's own, each stream whose ``stop_at_s`` has come."""
        world = self.world_time_s()
        for measurement, at_s in self.stop_at_s.items():
            if (
                world >= at_s and measurement not in self._stopped_by_me
                and self._streams.pop(measurement, None) is not None
            ):
                self._stopped_by_me.add(measurement)
                self.stats.device_stops.append(measurement.name)
                logger.info("virtual Polar stops %s on its own at %.2f s", measurement.name, world)
                payload = bytes([MEASUREMENT_STOPPED, int(measurement)])
                await self.device.indicate_subscriber(conn, self._cp, payload)

    async def _send_due(self, conn: Connection, stream: _Stream, per_frame: int) -> None:
        due = self._due(stream)
        room = conn.att_mtu - 3
        while stream.cursor < due and self._streams.get(stream.measurement) is stream:
            start = stream.cursor
            if not stream.valid[start]:
                while stream.cursor < due and not stream.valid[stream.cursor]:
                    stream.cursor += 1
                continue
            end = min(start + per_frame, stream.n_samples)
            if end > due:
                return
            bad = np.flatnonzero(~stream.valid[start:end])
            if bad.size:
                end = start + int(bad[0])
            payload = self._frame(stream, start, end)
            while len(payload) > room and end - start > 1:
                end = start + (end - start) // 2
                payload = self._frame(stream, start, end)
            stream.cursor = end
            if self.drop_fraction and self._rng.random() < self.drop_fraction:
                self.stats.frames_dropped += 1
                continue
            await self.device.notify_subscriber(conn, self._data, payload)
            self.stats.frames_sent += 1
            self.stats.samples_sent[stream.measurement.name] += end - start

    def _frame(self, stream: _Stream, start: int, end: int) -> bytes:
        return encode_data_frame(
            stream.measurement, self._sample_ns(stream, end - 1), stream.counts[start:end],
            stream.frame_type,
        )
