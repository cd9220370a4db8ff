"""The BLE source: a sensor over bleak, with reconnection, driven by a BLE device adapter.

The **supervisor** (:meth:`BleSource.run`) connects (bleak), lets the device adapter
(:mod:`imu.ble.adapters`: our IMU, or :class:`imu.ble.polar.client.PolarAdapter`) read device
info, subscribe and start the stream (``SET_CLOCK`` on the first connection only); when the link
drops it reconnects with exponential backoff (:class:`ReconnectPolicy`) on a fresh
:class:`bleak.BleakClient`, so callbacks are never registered twice; it gives up after
``give_up_after_s`` without a link. The notification callback only hands ``(host_time, bytes)``
to the session. Adapters that watch their streams (``watch``: a Polar sensor that stops a
stream on its own) report stream events; the adapter restarts the stream, or the session ends
cleanly with reason ``device stopped streaming``.

Why not bleak-retry-connector: it is built around BlueZ (D-Bus device cache, adapter
selection, BlueZ error strings) and connects by :class:`BLEDevice` from a BlueZ scan; with a
custom backend (Bumble) most of it does not apply, and the part that does (retry with backoff)
is the small loop in :meth:`BleSource.run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, replace
from typing import Any

from bleak import BleakClient
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError

from firmware_protocol import ProtocolError
from imu.ble.adapters import DeviceAdapter, HipImuAdapter
from imu.ble.client import BleBackend, BleError, DeviceInfo, StreamConfig
from imu.errors import ImuError
from imu.io.recorders import FrameRecorder, StreamHeader
from imu.live.events import DEVICE_STOPPED, SourceInfo
from imu.live.sources.base import SourceLink

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReconnectPolicy:
    """Exponential backoff between reconnection attempts.

    Attributes:
        first_delay_s: wait before the first attempt, s.
        factor: each wait is this many times the previous one.
        max_delay_s: longest wait, s.
        give_up_after_s: stop trying after this long without a link, s (wall clock, from
            the moment the link was lost; no attempt runs past it).
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

    def faster(self, speed: float) -> ReconnectPolicy:
        """The policy for a simulated sensor whose time runs ``speed`` times the wall clock.

        The waits between attempts are meant in the sensor's (data) time, so they shrink by
        ``speed``: at ``--speed 50`` a wait of 0.25 s would otherwise cover 12.5 s of the
        simulated session. ``give_up_after_s`` and ``scan_timeout_s`` stay wall-clock bounds
        (a connection takes real time whatever the speed).

        Args:
            speed: data seconds per wall-clock second (> 0).

        """
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed!r}")
        return replace(self, first_delay_s=self.first_delay_s / speed,
                       max_delay_s=self.max_delay_s / speed)


def source_info(info: DeviceInfo) -> SourceInfo:
    """The transport-neutral form of a BLE device's info (same ``connected`` event fields)."""
    fields = info.as_event()
    return SourceInfo(
        name=info.name,
        address=info.address,
        model=info.model,
        mtu=info.mtu,
        battery_percent=info.battery_percent,
        protocol_version=fields["protocol_version"],
        firmware_version=fields["firmware_version"],
        serial_number=info.serial_number,
        extra=dict(info.extra),
    )


class BleSource:
    """A BLE sensor as a live-session source (:class:`imu.live.sources.base.Source`).

    Args:
        target: the sensor (a :class:`BLEDevice` from a scan, or an address).
        backend: which bleak backend to use.
        adapter: the sensor protocol (default: our own, configured by ``config``).
        config: stream configuration asked of our sensor (when ``adapter`` is None).
        policy: reconnection policy.
        label: the recording's ``source`` (``"ble"``; ``"ble-sim"``, ``"replay"``).

    """

    def __init__(
        self,
        target: BLEDevice | str,
        backend: BleBackend,
        adapter: DeviceAdapter | None = None,
        config: StreamConfig | None = None,
        policy: ReconnectPolicy | None = None,
        label: str = "ble",
    ) -> None:
        self.target = target
        self.backend = backend
        self.adapter: DeviceAdapter = adapter or HipImuAdapter(config or StreamConfig())
        self.policy = policy or ReconnectPolicy()
        self.label = label
        self.odr_hz = self.adapter.odr_hz
        self.acc_range_g = self.adapter.acc_range_g
        self.gyr_range_dps = self.adapter.gyr_range_dps
        self.info: DeviceInfo | None = None
        self._link_lost = asyncio.Event()
        self._first_connection = True
        self._tasks: set[asyncio.Task[Any]] = set()

    def header_notes(self) -> dict[str, str]:
        """The adapter's notes (``protocol``)."""
        return self.adapter.header_notes()

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The adapter's recorder."""
        return self.adapter.make_recorder(header)

    # ------------------------------------------------------------------ supervisor
    def _on_disconnect(self, _client: BleakClient) -> None:
        self._link_lost.set()

    async def _connect_once(
        self, target: BLEDevice | str, link: SourceLink, limit_s: float | None = None
    ) -> tuple[BleakClient, DeviceInfo]:
        kwargs = self.backend.client_kwargs()
        if self.backend.client is not None and self.backend.client.__name__ == "BleakClientBumble":
            kwargs.setdefault("mtu", self.adapter.mtu)
        client = BleakClient(
            target,
            disconnected_callback=self._on_disconnect,
            timeout=self.policy.scan_timeout_s,
            **kwargs,
        )
        # The timeout above is the backend's to honour, and BlueZ spends it twice (finding
        # the device, then connecting); Bumble's connect waits for the sensor to advertise
        # again however long that takes. So the attempt is bounded here too, with room for
        # both of BlueZ's steps.
        bound_s = 2.0 * self.policy.scan_timeout_s + 1.0
        if limit_s is not None:  # no attempt runs past the give-up time
            bound_s = max(min(bound_s, limit_s), 0.01)
        try:
            await asyncio.wait_for(client.connect(), timeout=bound_s)
        except TimeoutError:
            await _disconnect_quietly(client)
            raise TimeoutError(f"no connection within {bound_s:g} s") from None

        def on_frame(data: bytes) -> None:
            """The notification callback: hand ``(host_time, bytes)`` over, nothing else."""
            link.frame(link.now(), data)

        try:
            name = target.name if isinstance(target, BLEDevice) and target.name else client.name
            info = await self.adapter.open(
                client, on_frame, name or client.address, self._first_connection
            )
        except BaseException:
            await client.disconnect()
            raise
        return client, info

    async def run(self, link: SourceLink, stop: asyncio.Event) -> str:
        """Connect, stream, reconnect; returns ``stopped``, ``device gone`` or DEVICE_STOPPED.

        Raises:
            BleError: the first connection failed (names the sensor).

        """
        target: BLEDevice | str = self.target
        attempt = 0
        delays = self.policy.delays()
        clock = asyncio.get_running_loop().time
        lost_at: float | None = None  # when the link was lost (None while connected)

        def left_s() -> float | None:
            """Seconds left before giving up (None before the first connection)."""
            return None if lost_at is None else self.policy.give_up_after_s - (clock() - lost_at)

        def give_up() -> str:
            logger.info("giving up on %s: no link for %.1f s (give-up after %g s), %d attempts",
                        _name(target), clock() - (lost_at or clock()),
                        self.policy.give_up_after_s, attempt)
            return "device gone"

        while not stop.is_set():
            left = left_s()
            if left is not None and left <= 0:
                return give_up()
            try:
                self._link_lost.clear()
                client, info = await self._connect_once(target, link, left)
            except (BleakError, BleError, TimeoutError, OSError) as exc:
                if self._first_connection:
                    raise BleError(f"cannot start streaming from {_name(target)}: {exc}") from exc
                left = left_s()
                if left is not None and left <= 0:
                    return give_up()
                delay = delays[attempt] if attempt < len(delays) else self.policy.max_delay_s
                if left is not None:
                    delay = min(delay, left)
                attempt += 1
                link.reconnecting(attempt, delay, str(exc))
                await _sleep_or_stop(stop, delay)
                continue
            except ProtocolError:
                raise
            attempt = 0
            lost_at = None
            self.info = info
            link.connected(source_info(info))
            self._first_connection = False
            # Stream until the link drops, we are asked to stop, or the adapter gives up.
            stop_wait = asyncio.create_task(stop.wait())
            lost_wait = asyncio.create_task(self._link_lost.wait())
            waits = {stop_wait, lost_wait}
            watch = getattr(self.adapter, "watch", None)
            watcher = (
                asyncio.create_task(watch(lambda kind, fields: link.stream_event(kind, fields)))
                if watch else None
            )
            if watcher is not None:
                waits.add(watcher)
            self._tasks.update(waits)
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for t in waits:
                t.cancel()
                self._tasks.discard(t)
            await asyncio.gather(*waits, return_exceptions=True)
            if stop.is_set() and not self._link_lost.is_set():
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
            link.disconnected()
            lost_at = clock()
            target = info.address if not isinstance(self.target, BLEDevice) else self.target
            delay = min(self.policy.first_delay_s, self.policy.give_up_after_s)
            attempt = 1
            link.reconnecting(attempt, delay, "link lost")
            await _sleep_or_stop(stop, delay)
        return "stopped"

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


async def _sleep_or_stop(stop: asyncio.Event, delay_s: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay_s)


def _name(target: BLEDevice | str) -> str:
    return f"{target.name} ({target.address})" if isinstance(target, BLEDevice) else target


async def _disconnect_quietly(client: BleakClient) -> None:
    """Drop a connection attempt that timed out (nothing to report if there is none)."""
    try:
        await client.disconnect()
    except (BleakError, BleError, TimeoutError, OSError) as exc:
        logger.debug("after a timed-out connection attempt: %s", exc)
