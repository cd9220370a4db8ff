"""A virtual hip IMU: a Bumble GATT server that behaves as ``SPEC.md`` says.

It advertises its name and the IMU service UUID, serves the IMU service (data notify, control
point write + indicate, status read/notify), Device Information and Battery, answers every
control-point command, and streams frames from a sample source given by whoever starts it (this
package imports nothing from :mod:`imu`). Time can run faster than real time (``speed``).

Fault injection (:class:`Faults`): a fraction of frames dropped (``seq`` still advances, so the
host sees gaps), the link dropped at given stream times with re-advertising after a pause (or
never), a device clock that drifts (ppm), and a cap on the ATT MTU the device accepts (frames
are sized by :func:`firmware_protocol.spec.max_samples_per_frame`).

Clocks. *World time* is the simulated time of the person wearing the sensor, in seconds since
the first ``START_STREAM``; it runs ``speed`` times faster than the wall clock, also while the
link is down. Source sample ``i`` is measured at device time ``i / odr_hz`` after sample 0, i.e.
at world time ``i / (odr_hz * (1 + drift_ppm * 1e-6))``: a device clock that runs fast delivers
its samples early. Samples that were due while the stream was stopped or the link was down are
never sent (a real sensor does not buffer them). Samples due before a drop injected by
:class:`Faults` are sent before the link goes (at a high ``speed`` a tick spans many of them).
The host's reconnection (scan, connection, service discovery, commands) takes some 20-40 ms of
wall-clock time, which at ``speed`` N costs N times as much world time: at ``speed`` 50 a drop
loses about a second more than ``reconnect_after_s``.

Typical use with two controllers on an in-process Bumble link::

    link = LocalLink()
    sensor = VirtualSensor.on_local_link(link, SampleSource.from_si(acc, gyr, 104), speed=10)
    await sensor.start()
    ...  # a host connects through another controller on the same link
    await sensor.source_done.wait()
    await sensor.stop()
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid as uuid_module
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
from firmware_protocol.control import (
    GetStatus,
    Response,
    SetClock,
    StartStream,
    StopStream,
    check_stream_config,
    decode_command,
    encode_response,
)
from firmware_protocol.errors import ProtocolError
from firmware_protocol.frames import Frame, counts_from_si, encode_frame
from firmware_protocol.status import Status, encode_status

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

FRAME_PERIOD_S = 0.05
"""The device sends a frame at least this often (device time), s: bounds latency at low rates."""

STATUS_PERIOD_S = 10.0
"""While streaming, the status record is refreshed (and notified) at least this often, s."""

STOP_GRACE_S = 1.0
"""How long :meth:`VirtualSensor.stop` lets pending HCI exchanges finish before cancelling, s."""

_ADV_DATA_MAX = 31
"""Bytes of legacy advertising data (and of a scan response)."""

_TICK_WALL_S = 0.02
"""Longest wall-clock sleep of the streaming loop, s."""


@dataclass(frozen=True, eq=False)
class SampleSource:
    """Samples the virtual sensor streams, on a uniform grid.

    Attributes:
        acc_ms2: ``(n, 3)`` specific force, m/s^2; a NaN row is a sample the device never
            delivers (its frame is dropped, ``seq`` advances).
        gyr_rads: ``(n, 3)`` angular rate, rad/s; NaN rows as for ``acc_ms2``.
        sampling_rate_hz: rate of the grid, one of ``spec.OUTPUT_DATA_RATES_HZ``; the host must
            start the stream at this rate.

    """

    acc_ms2: FloatArray
    gyr_rads: FloatArray
    sampling_rate_hz: int

    def __post_init__(self) -> None:
        acc, gyr = self.acc_ms2, self.gyr_rads
        if acc.ndim != 2 or acc.shape[1] != 3 or gyr.shape != acc.shape:
            raise ProtocolError(
                f"acc_ms2 and gyr_rads must both have shape (n, 3), got {acc.shape} and "
                f"{gyr.shape}"
            )
        if self.sampling_rate_hz not in spec.OUTPUT_DATA_RATES_HZ:
            raise ProtocolError(
                f"sample source rate {self.sampling_rate_hz!r} Hz is not a sensor rate; use one "
                f"of {spec.OUTPUT_DATA_RATES_HZ} (resample the samples first)"
            )

    @classmethod
    def from_si(
        cls, acc_ms2: npt.ArrayLike, gyr_rads: npt.ArrayLike, sampling_rate_hz: int
    ) -> SampleSource:
        """Source from SI arrays: ``(n, 3)`` m/s^2 and rad/s (NaN rows are never sent)."""
        return cls(
            np.asarray(acc_ms2, dtype=np.float64),
            np.asarray(gyr_rads, dtype=np.float64),
            int(sampling_rate_hz),
        )

    @classmethod
    def from_counts(
        cls,
        counts: npt.ArrayLike,
        acc_range_g: int,
        gyr_range_dps: int,
        sampling_rate_hz: int,
    ) -> SampleSource:
        """Source from ``(n, 6)`` int16 counts (acc xyz, gyr xyz) at the given ranges."""
        arr = np.asarray(counts, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != 6:
            raise ProtocolError(f"counts must have shape (n, 6), got {arr.shape}")
        return cls(
            arr[:, :3] * spec.acc_lsb_ms2(acc_range_g),
            arr[:, 3:] * spec.gyr_lsb_rads(gyr_range_dps),
            int(sampling_rate_hz),
        )

    @property
    def n_samples(self) -> int:
        """Number of grid samples ``n``."""
        return int(self.acc_ms2.shape[0])

    @property
    def duration_s(self) -> float:
        """Length of the source, s."""
        return self.n_samples / self.sampling_rate_hz

    def counts(
        self, acc_range_g: int, gyr_range_dps: int
    ) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.bool_]]:
        """Quantise to counts at the given ranges.

        Returns:
            ``(n, 6)`` int16 counts (0 where missing) and the ``(n,)`` mask of valid samples.

        """
        valid: npt.NDArray[np.bool_] = np.asarray(
            np.isfinite(self.acc_ms2).all(axis=1) & np.isfinite(self.gyr_rads).all(axis=1)
        )
        acc = np.where(valid[:, None], self.acc_ms2, 0.0)
        gyr = np.where(valid[:, None], self.gyr_rads, 0.0)
        return counts_from_si(acc, gyr, acc_range_g, gyr_range_dps), valid


@dataclass(frozen=True)
class Faults:
    """Faults the virtual sensor injects.

    Attributes:
        drop_fraction: probability that a frame is not sent (its ``seq`` is used up), [0, 1).
        disconnect_at_s: world times (s since the first ``START_STREAM``) at which the device
            drops the link.
        reconnect_after_s: world seconds after such a drop before the device advertises again;
            None = never (the device is gone for good).
        clock_drift_ppm: device clock rate error relative to world time, ppm (+ = fast).
        max_mtu: largest ATT MTU the device accepts, bytes (>= 23); 23 = no MTU increase.
        seed: seed of the random frame drops.

    """

    drop_fraction: float = 0.0
    disconnect_at_s: tuple[float, ...] = ()
    reconnect_after_s: float | None = 2.0
    clock_drift_ppm: float = 0.0
    max_mtu: int = 247
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.drop_fraction < 1.0:
            raise ProtocolError(f"drop_fraction must be in [0, 1), got {self.drop_fraction!r}")
        if self.max_mtu < spec.MIN_MTU:
            raise ProtocolError(f"max_mtu must be >= {spec.MIN_MTU}, got {self.max_mtu!r}")
        if not abs(self.clock_drift_ppm) < 1e5:
            raise ProtocolError(
                f"clock_drift_ppm must be well below 1e5, got {self.clock_drift_ppm!r}"
            )


@dataclass
class SensorStats:
    """Counters of what the virtual sensor did (for tests and logs)."""

    frames_sent: int = 0
    frames_dropped: int = 0
    samples_sent: int = 0
    samples_dropped: int = 0
    disconnects_injected: int = 0
    connections: int = 0
    commands: list[str] = field(default_factory=list)


def _bumble_uuid(text: str) -> UUID:
    return UUID(text)


def _uuid_16(text: str) -> UUID:
    """The 16-bit form of a SIG UUID given in its 128-bit form."""
    return UUID.from_16_bits(int(uuid_module.UUID(text).hex[4:8], 16))


class VirtualSensor:
    """The firmware of the hip IMU, simulated on a Bumble :class:`~bumble.device.Device`.

    Args:
        device: a Bumble device (not yet powered on), e.g. from :meth:`on_local_link`.
        source: the samples to stream.
        name: advertised local name (and GAP device name).
        serial_number: Serial Number String of the Device Information service.
        speed: world seconds per wall-clock second (> 0); 1 = real time.
        faults: faults to inject.
        battery_percent: Battery Level, 0..100.
        firmware_version: ``(major, minor, patch)``, also in the status record.
        advertising_interval_ms: advertising interval, ms (>= 20); short = fast connections.
        clock: wall clock in seconds (monotonic); injectable for tests.

    """

    def __init__(
        self,
        device: Device,
        source: SampleSource,
        *,
        name: str = "HipIMU-S",
        serial_number: str = "SIM-0001",
        speed: float = 1.0,
        faults: Faults | None = None,
        battery_percent: int = 87,
        firmware_version: tuple[int, int, int] = (1, 0, 0),
        advertising_interval_ms: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (math.isfinite(speed) and speed > 0):
            raise ProtocolError(f"speed must be a positive number, got {speed!r}")
        if not 0 <= battery_percent <= 100:
            raise ProtocolError(f"battery_percent must be 0..100, got {battery_percent!r}")
        self.device = device
        self.source = source
        self.name = name
        self.serial_number = serial_number
        self.speed = float(speed)
        self.faults = faults or Faults()
        self.battery_percent = battery_percent
        self.firmware_version = firmware_version
        self.advertising_interval_ms = advertising_interval_ms
        self._clock = clock
        self.stats = SensorStats()
        self.source_done = asyncio.Event()
        """Set once the whole source has been streamed (or its time has passed)."""
        self._rng = np.random.default_rng(self.faults.seed)
        self._drift = 1.0 + self.faults.clock_drift_ppm * 1e-6
        # Stream configuration (power-on defaults) and state.
        self._odr = spec.DEFAULT_ODR_HZ
        self._acc_range = spec.DEFAULT_ACC_RANGE_G
        self._gyr_range = spec.DEFAULT_GYR_RANGE_DPS
        self._counts: npt.NDArray[np.int16] | None = None
        self._valid: npt.NDArray[np.bool_] | None = None
        self._streaming = False
        self._clock_set = False
        self._seq = 0
        self._cursor = 0  # next source sample to send
        self._world0_wall: float | None = None  # wall time of world time 0 (first START)
        self._power_on_wall = 0.0
        self._clock_base_us = 0.0  # device clock at _clock_base_wall
        self._clock_base_wall = 0.0
        self._next_disconnect = 0
        self._last_status_world = 0.0
        self._connection: Connection | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._readvertise: asyncio.TimerHandle | None = None
        self._gone = False
        self._build_gatt()

    # ------------------------------------------------------------------ construction
    @classmethod
    def on_local_link(
        cls,
        link: LocalLink,
        source: SampleSource,
        address: str = "C0:FF:EE:00:00:01",
        **kwargs: Any,
    ) -> VirtualSensor:
        """A sensor on its own Bumble controller attached to an in-process ``link``.

        ``address`` is the device's static random address; ``kwargs`` go to the constructor.
        """
        controller = Controller(f"sensor-{address}", link=link, public_address=address)
        device = Device(
            name=kwargs.get("name", "HipIMU-S"),
            address=Address(address),
            host=Host(controller, AsyncPipeSink(controller)),
        )
        return cls(device, source, **kwargs)

    def _build_gatt(self) -> None:
        props = gatt.Characteristic.Properties
        readable = gatt.Characteristic.READABLE
        writeable = gatt.Characteristic.WRITEABLE
        self._data_char: gatt.Characteristic[bytes] = gatt.Characteristic(
            _bumble_uuid(spec.IMU_DATA_UUID), props.NOTIFY, readable, b""
        )
        self._control_char: gatt.Characteristic[bytes] = gatt.Characteristic(
            _bumble_uuid(spec.CONTROL_POINT_UUID),
            props.WRITE | props.INDICATE,
            writeable,
            gatt.CharacteristicValue(write=self._on_control_write),
        )
        self._status_char: gatt.Characteristic[bytes] = gatt.Characteristic(
            _bumble_uuid(spec.STATUS_UUID),
            props.READ | props.NOTIFY,
            readable,
            gatt.CharacteristicValue(read=lambda _conn: self.status_bytes()),
        )
        self._battery_char: gatt.Characteristic[bytes] = gatt.Characteristic(
            _uuid_16(spec.BATTERY_LEVEL_UUID),
            props.READ | props.NOTIFY,
            readable,
            gatt.CharacteristicValue(read=lambda _conn: bytes([self.battery_percent])),
        )
        fw = ".".join(str(v) for v in self.firmware_version)
        info = {
            spec.MANUFACTURER_NAME_UUID: "hip-imu project",
            spec.MODEL_NUMBER_UUID: "HIP-IMU-VS",
            spec.SERIAL_NUMBER_UUID: self.serial_number,
            spec.HARDWARE_REVISION_UUID: "virtual",
            spec.FIRMWARE_REVISION_UUID: fw,
        }
        dis = [
            gatt.Characteristic(_uuid_16(u), props.READ, readable, text.encode())
            for u, text in info.items()
        ]
        self.device.add_services(
            [
                gatt.Service(
                    _bumble_uuid(spec.IMU_SERVICE_UUID),
                    [self._data_char, self._control_char, self._status_char],
                ),
                gatt.Service(_uuid_16(spec.DEVICE_INFORMATION_SERVICE_UUID), dis),
                gatt.Service(_uuid_16(spec.BATTERY_SERVICE_UUID), [self._battery_char]),
            ]
        )
        self.device.gatt_server.max_mtu = self.faults.max_mtu
        self.device.on(self.device.EVENT_CONNECTION, self._on_connection)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Power on, start advertising and the streaming loop."""
        await self.device.power_on()
        self._power_on_wall = self._clock()
        self._clock_base_wall = self._power_on_wall
        self._clock_base_us = 0.0
        await self._advertise()
        self._loop_task = asyncio.create_task(self._stream_loop(), name="virtual-sensor")

    async def stop(self) -> None:
        """Stop streaming, drop any connection and power off."""
        if self._readvertise is not None:
            self._readvertise.cancel()
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        # Let short HCI exchanges (e.g. advertising again after a disconnect) finish first:
        # a task cancelled while Bumble waits for a command's response leaves that response
        # to arrive on a cancelled future (asyncio logs InvalidStateError).
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_S)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._streaming = False
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

    @property
    def address(self) -> str:
        """The device's Bluetooth address as hosts see it ("XX:XX:XX:XX:XX:XX")."""
        return str(self.device.random_address).split("/")[0]

    def advertising_data(self) -> tuple[bytes, bytes]:
        """Advertising data and scan response.

        The advertising data holds the flags, the IMU service UUID and the name (shortened when
        the 31 bytes cannot hold it whole); the scan response holds the complete name.
        """
        structures: list[tuple[int, bytes]] = [
            (AdvertisingData.FLAGS, bytes([0x06])),  # LE general discoverable, no BR/EDR
            (
                AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                _bumble_uuid(spec.IMU_SERVICE_UUID).to_bytes(),
            ),
        ]
        name = self.name.encode()
        room = _ADV_DATA_MAX - sum(2 + len(v) for _, v in structures) - 2
        if len(name) <= room:
            structures.append((AdvertisingData.COMPLETE_LOCAL_NAME, name))
        elif room > 0:
            structures.append((AdvertisingData.SHORTENED_LOCAL_NAME, name[:room]))
        scan = AdvertisingData([(AdvertisingData.COMPLETE_LOCAL_NAME, name[:_ADV_DATA_MAX - 2])])
        return bytes(AdvertisingData(structures)), bytes(scan)

    async def _advertise(self) -> None:
        if self._gone:
            return
        adv, scan = self.advertising_data()
        await self.device.start_advertising(
            advertising_data=adv,
            scan_response_data=scan,
            advertising_interval_min=self.advertising_interval_ms,
            advertising_interval_max=self.advertising_interval_ms,
            auto_restart=False,
        )
        logger.debug("advertising as %s (%s)", self.name, self.address)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("virtual sensor task failed: %r", task.exception())

    # ------------------------------------------------------------------ clocks
    def world_time_s(self) -> float:
        """World time since the first START_STREAM, s (0 before it)."""
        if self._world0_wall is None:
            return 0.0
        return (self._clock() - self._world0_wall) * self.speed

    def device_time_us(self) -> int:
        """The device clock now, microseconds (wrapped to 32 bits)."""
        return int(self._device_us_at_wall(self._clock())) % spec.TIMESTAMP_MODULUS

    def _device_us_at_wall(self, wall: float) -> float:
        return self._clock_base_us + (wall - self._clock_base_wall) * self.speed * self._drift * 1e6

    def _samples_due(self) -> int:
        """Source samples measured by now (world time), clipped to the source length."""
        if self._world0_wall is None:
            return 0
        due = math.floor(self.world_time_s() * self._odr * self._drift) + 1
        return min(max(due, 0), self.source.n_samples)

    def _sample_at(self, world_s: float) -> int:
        """The first source sample measured at or after world time ``world_s``."""
        return min(max(math.ceil(world_s * self._odr * self._drift), 0), self.source.n_samples)

    def _sample_timestamp_us(self, index: int) -> int:
        assert self._world0_wall is not None
        sample0_us = self._device_us_at_wall(self._world0_wall)
        return round(sample0_us + index * 1e6 / self._odr) % spec.TIMESTAMP_MODULUS

    # ------------------------------------------------------------------ status
    def status(self) -> Status:
        """The current status record."""
        return Status.for_config(
            self._odr,
            self._acc_range,
            self._gyr_range,
            firmware_version=self.firmware_version,
            streaming=self._streaming,
            clock_set=self._clock_set,
            battery_percent=self.battery_percent,
            dropped_queue_samples=self.stats.samples_dropped % spec.TIMESTAMP_MODULUS,
            device_time_us=self.device_time_us(),
        )

    def status_bytes(self) -> bytes:
        """The status characteristic's value."""
        return encode_status(self.status())

    async def _notify_status(self) -> None:
        conn = self._connection
        if conn is None:
            return
        value = self.status_bytes()
        if conn.att_mtu - spec.ATT_NOTIFICATION_OVERHEAD < len(value):
            return  # too long for a notification at this MTU: hosts read it (SPEC 4)
        await self.device.notify_subscriber(conn, self._status_char, value)

    # ------------------------------------------------------------------ connections
    def _on_connection(self, connection: Connection) -> None:
        self._connection = connection
        self.stats.connections += 1
        logger.debug("host connected: %s", connection.peer_address)
        connection.on(connection.EVENT_DISCONNECTION, self._on_disconnection)

    def _on_disconnection(self, reason: int) -> None:
        logger.debug("host disconnected (reason 0x%02x)", reason)
        self._connection = None
        self._streaming = False  # SPEC 1.3: disconnecting stops the stream
        if not self._readvertise:
            self._spawn(self._advertise())

    async def _inject_disconnect(self) -> None:
        conn = self._connection
        self.stats.disconnects_injected += 1
        self._streaming = False
        delay = self.faults.reconnect_after_s
        if delay is None:
            self._gone = True
            logger.info("virtual sensor: dropping the link for good")
        else:
            logger.info("virtual sensor: dropping the link for %.1f s (world)", delay)
            loop = asyncio.get_running_loop()
            self._readvertise = loop.call_later(delay / self.speed, self._on_readvertise)
        if conn is not None:
            await conn.disconnect()

    def _on_readvertise(self) -> None:
        self._readvertise = None
        self._spawn(self._advertise())

    # ------------------------------------------------------------------ control point
    def _on_control_write(self, connection: Connection, value: bytes) -> None:
        """Handle a command; the response goes out by indication after the write response."""
        raw = bytes(value)
        request = raw[0] if raw else 0
        try:
            command = decode_command(raw)
        except ProtocolError as exc:
            code = (
                spec.ResultCode.OPCODE_NOT_SUPPORTED
                if raw and raw[0] not in {int(op) for op in spec.Opcode}
                else spec.ResultCode.INVALID_PARAMETER
            )
            logger.info("control point: %s -> %s", exc, code.name)
            self._respond(connection, request, code)
            return
        self.stats.commands.append(type(command).__name__)
        result = spec.ResultCode.SUCCESS
        if isinstance(command, StartStream):
            result = self._start_stream(command)
        elif isinstance(command, StopStream):
            self._streaming = False
        elif isinstance(command, SetClock):
            now = self._clock()
            self._clock_base_wall = now
            self._clock_base_us = float(command.time_us)
            self._clock_set = True  # sample timestamps follow the new clock from now on
        elif isinstance(command, GetStatus):
            pass
        self._respond(connection, request, result)
        if result == spec.ResultCode.SUCCESS and not isinstance(command, SetClock):
            self._spawn(self._notify_status())

    def _respond(self, connection: Connection, request: int, result: spec.ResultCode) -> None:
        payload = encode_response(Response(request, result))

        async def indicate() -> None:
            await asyncio.sleep(0)  # let the write response go first
            await self.device.indicate_subscriber(connection, self._control_char, payload)

        self._spawn(indicate())

    def _start_stream(self, command: StartStream) -> spec.ResultCode:
        if self._streaming:
            return spec.ResultCode.INVALID_STATE
        result = check_stream_config(command.odr_hz, command.acc_range_g, command.gyr_range_dps)
        if result != spec.ResultCode.SUCCESS:
            return result
        if command.odr_hz != self.source.sampling_rate_hz:
            logger.warning(
                "virtual sensor: START_STREAM at %d Hz, but the sample source is at %d Hz",
                command.odr_hz,
                self.source.sampling_rate_hz,
            )
            return spec.ResultCode.OPERATION_FAILED
        if (command.acc_range_g, command.gyr_range_dps) != (self._acc_range, self._gyr_range) or (
            self._counts is None
        ):
            self._counts, self._valid = self.source.counts(
                command.acc_range_g, command.gyr_range_dps
            )
        self._odr = command.odr_hz
        self._acc_range = command.acc_range_g
        self._gyr_range = command.gyr_range_dps
        if self._world0_wall is None:
            self._world0_wall = self._clock()
            self._cursor = 0
        else:
            # Samples due while stopped were never measured for the host.
            self._cursor = max(self._cursor, self._samples_due() - 1)
        self._streaming = True
        self._last_status_world = self.world_time_s()
        return spec.ResultCode.SUCCESS

    # ------------------------------------------------------------------ streaming
    def _samples_per_frame(self, mtu: int) -> int:
        latency_bound = max(1, int(self._odr * FRAME_PERIOD_S))
        return min(spec.max_samples_per_frame(mtu), latency_bound)

    async def _stream_loop(self) -> None:
        while True:
            await asyncio.sleep(self._sleep_s())
            n = self.source.n_samples
            if self._world0_wall is not None and not self.source_done.is_set():
                world = self.world_time_s()
                if self._cursor >= n or (not self._streaming and world * self._odr >= n):
                    self.source_done.set()
                    logger.info("virtual sensor: source finished at %.1f s (world)", world)
            faults = self.faults
            if (
                self._world0_wall is not None
                and self._next_disconnect < len(faults.disconnect_at_s)
                and self.world_time_s() >= faults.disconnect_at_s[self._next_disconnect]
            ):
                at_s = faults.disconnect_at_s[self._next_disconnect]
                self._next_disconnect += 1
                if self._connection is not None:
                    if self._streaming:  # what was measured before the drop goes first
                        await self._send_due_frames(self._connection, self._sample_at(at_s))
                    await self._inject_disconnect()
            if not self._streaming or self._connection is None:
                continue
            await self._send_due_frames(self._connection)
            if self.world_time_s() - self._last_status_world >= STATUS_PERIOD_S:
                self._last_status_world = self.world_time_s()
                await self._notify_status()

    def _sleep_s(self) -> float:
        if not self._streaming:
            return _TICK_WALL_S
        frame_s = self._samples_per_frame(spec.ATT_DEFAULT_MTU) / self._odr
        return min(_TICK_WALL_S, frame_s / self.speed)

    async def _send_due_frames(self, connection: Connection, due: int | None = None) -> None:
        """Send the complete frames of samples due by now (or before sample ``due``)."""
        assert self._counts is not None and self._valid is not None
        due = self._samples_due() if due is None else min(due, self._samples_due())
        per_frame = self._samples_per_frame(connection.att_mtu)
        valid = self._valid
        while self._streaming and self._cursor < due and self._connection is connection:
            start = self._cursor
            if not valid[start]:
                # Not measured (a hole in the source): skip the run, as a lost frame.
                end = start
                while end < due and not valid[end]:
                    end += 1
                if end == due and due < self.source.n_samples:
                    return  # the hole may go on; decide when more is due
                self._cursor = end
                self._seq = (self._seq + 1) % spec.SEQ_MODULUS
                self.stats.samples_dropped += end - start
                continue
            end = min(start + per_frame, self.source.n_samples)
            if end > due:
                return  # the frame is not complete yet
            invalid = np.flatnonzero(~valid[start:end])
            if len(invalid):
                end = start + int(invalid[0])
            self._cursor = end
            seq = self._seq
            self._seq = (self._seq + 1) % spec.SEQ_MODULUS
            drop = self.faults.drop_fraction
            if drop and self._rng.random() < drop:
                self.stats.frames_dropped += 1
                self.stats.samples_dropped += end - start
                continue
            timestamp = self._sample_timestamp_us(start)
            frame = Frame.from_counts(seq, timestamp, self._counts[start:end])
            payload = encode_frame(frame, connection.att_mtu)
            await self.device.notify_subscriber(connection, self._data_char, payload)
            self.stats.frames_sent += 1
            self.stats.samples_sent += end - start
