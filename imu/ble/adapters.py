"""BLE device adapters: one sensor protocol each, driven by the BLE source of a live session.

An adapter configures a connected :class:`bleak.BleakClient`, subscribes (notifications go to
``on_frame``, which only enqueues), starts and stops the stream, and makes the frame recorder
(:mod:`imu.io.recorders`) for its protocol. :class:`HipImuAdapter` is our own sensor
(``firmware_protocol/SPEC.md``); :class:`imu.ble.polar.client.PolarAdapter` is Polar's PMD
service. The reconnecting loop that drives them is :class:`imu.live.sources.ble.BleSource`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from bleak import BleakClient

from firmware_protocol import codec
from imu.ble.client import DeviceInfo, SensorConnection, StreamConfig
from imu.io.recorders import FrameRecorder, StreamHeader, StreamRecorder

StreamReport = Callable[[str, dict[str, Any]], None]
"""How an adapter's ``watch`` reports a stream event: ``report(kind, fields)``."""


class DeviceAdapter(Protocol):
    """One sensor protocol: configuration, connection set-up, stop, and the frame recorder.

    ``open`` runs on every (re)connection with a connected bleak client; it subscribes
    (notifications go to ``on_frame``, which only enqueues) and starts the stream. An adapter
    may also have ``async watch(report) -> str | None``, run while connected: it reports
    stream events with ``report(kind, fields)`` and returns a reason only when the session must
    end (a stream the device stopped that could not be restarted).

    Attributes:
        kind: the sensor kind (``hip-imu``, ``polar``).
        odr_hz: output data rate asked of the sensor, Hz.
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.
        mtu: ATT MTU to ask for, bytes.

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
