"""Talking to the hip IMU over bleak: scan, connect, configure, start and stop the stream.

Every path uses the public bleak API (:class:`bleak.BleakScanner`, :class:`bleak.BleakClient`);
:class:`BleBackend` says which bleak backend and which extra keyword arguments to use: the
platform's own by default, the Bumble backend with ``transport="usb:0"`` for a USB dongle, or
the Bumble backend on an in-process link (tests, ``--sim``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakError

from firmware_protocol import ProtocolError, codec, spec
from firmware_protocol.control import Command
from imu.errors import ImuError

logger = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 5.0
"""How long to wait for a control-point response, s."""


class BleError(ImuError):
    """The sensor cannot be found, connected or configured (message says what to try)."""


class BluetoothUnavailableError(BleError):
    """No Bluetooth to use: no OS stack (BlueZ/D-Bus), no adapter, or no usable dongle."""


NO_HARDWARE_HINT = "or try it without hardware: imu live -e EXERCISE --sim EXERCISE --out DIR"
"""The way out when there is no Bluetooth at all (the built-in virtual sensor)."""

_UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (BleakError, OSError)
"""What starting a scan raises when the Bluetooth stack or dongle is missing (plus USB errors,
which the Bumble backend turns into :class:`BleakError`)."""


def bluetooth_error(exc: BaseException, backend: BleBackend, action: str) -> BleError:
    """One line saying what is missing and what to do, for an error raised by ``action``.

    Args:
        exc: what bleak, D-Bus or the Bumble transport raised.
        backend: the backend in use (the OS stack, or Bumble on ``kwargs["transport"]``).
        action: what was being done, e.g. ``"scan for sensors"``.

    Returns:
        :class:`BluetoothUnavailableError` when the stack, adapter or dongle is missing (the
        message names it and the ways on: BlueZ, ``--transport usb:0``, ``--sim``), else a
        :class:`BleError` with bleak's reason.

    """
    from bleak.exc import BleakBluetoothNotAvailableError, BleakDBusError

    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    transport = backend.kwargs.get("transport")
    if isinstance(transport, str):
        if type(exc).__name__ == "BumbleTransportError":
            detail = str(getattr(exc, "reason", detail))
        return BluetoothUnavailableError(
            f"cannot {action}: no usable Bluetooth controller on Bumble transport "
            f"{transport!r} ({detail}); plug in a USB Bluetooth dongle that the OS stack does "
            "not claim and give your user access to it (docs/live.md), or leave out "
            f"--transport to use the OS Bluetooth stack (BlueZ), {NO_HARDWARE_HINT}"
        )
    if isinstance(exc, OSError | BleakBluetoothNotAvailableError | BleakDBusError):
        if isinstance(exc, OSError):
            what = f"cannot reach BlueZ on the D-Bus system bus ({detail})"
        elif isinstance(exc, BleakDBusError):
            what = f"BlueZ (bluetoothd) does not answer on D-Bus ({detail})"
        else:
            what = f"no Bluetooth adapter available ({detail})"
        return BluetoothUnavailableError(
            f"cannot {action}: no Bluetooth stack: {what}; install and start BlueZ "
            "(bluetoothd) with a Bluetooth adapter, or use a USB Bluetooth dongle through "
            f"Bumble with --transport usb:0, {NO_HARDWARE_HINT}"
        )
    return BleError(f"cannot {action}: {detail}")


@dataclass(frozen=True)
class BleBackend:
    """Which bleak backend to use, and keyword arguments passed to it.

    The default (no classes) is bleak's platform backend (BlueZ, CoreBluetooth, WinRT...).
    """

    scanner: type[BaseBleakScanner] | None = None
    client: type[BaseBleakClient] | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def bumble_transport(cls, transport: str) -> BleBackend:
        """The Bumble backend on a transport such as ``"usb:0"``."""
        from imu.ble.bumble_backend import BleakClientBumble, BleakScannerBumble

        return cls(BleakScannerBumble, BleakClientBumble, {"transport": transport})

    def scanner_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :class:`BleakScanner`."""
        return {"backend": self.scanner, **self.kwargs} if self.scanner else dict(self.kwargs)

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :class:`BleakClient`."""
        return {"backend": self.client, **self.kwargs} if self.client else dict(self.kwargs)


@dataclass(frozen=True)
class StreamConfig:
    """What the host asks the sensor for.

    Attributes:
        odr_hz: output data rate, Hz (one of ``spec.OUTPUT_DATA_RATES_HZ``).
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.
        mtu: ATT MTU to ask for, bytes (the device may grant less, at least 23).

    """

    odr_hz: int = 104
    acc_range_g: int = 8
    gyr_range_dps: int = 500
    mtu: int = 247

    def __post_init__(self) -> None:
        result = codec.check_stream_config(self.odr_hz, self.acc_range_g, self.gyr_range_dps)
        if result != spec.ResultCode.SUCCESS:
            what, value, flag, choices, unit = {
                spec.ResultCode.UNSUPPORTED_RATE: (
                    "rate", self.odr_hz, "--rate", spec.OUTPUT_DATA_RATES_HZ, "Hz"),
                spec.ResultCode.UNSUPPORTED_ACC_RANGE: (
                    "accelerometer range", self.acc_range_g, "--acc-range", spec.ACC_RANGES_G,
                    "g"),
            }.get(result, ("gyroscope range", self.gyr_range_dps, "--gyr-range",
                           spec.GYR_RANGES_DPS, "dps"))
            shown = ", ".join(str(c) for c in choices)
            plus = "" if flag == "--rate" else "+-"
            raise BleError(
                f"{what} {plus}{value} {unit} is not one the sensor offers ({result.name}): "
                f"give {flag} one of {shown} ({unit})"
            )
        if self.mtu < spec.MIN_MTU:
            raise BleError(f"MTU {self.mtu} is below the BLE minimum {spec.MIN_MTU}; use >= 23")


KIND_HIP_IMU = "hip-imu"
KIND_POLAR = "polar-pmd"
DEVICE_KINDS = (KIND_HIP_IMU, KIND_POLAR)
"""Device adapters: our own protocol (``firmware_protocol``) and Polar's PMD service."""

@dataclass(frozen=True)
class SensorInfo:
    """A sensor found by a scan.

    Attributes:
        name: advertised name.
        address: Bluetooth address (a UUID on macOS).
        rssi: signal strength, dBm.
        battery_percent: battery level if read, 0..100.
        device: bleak's handle, to connect without scanning again.

    """

    name: str
    address: str
    rssi: int
    battery_percent: int | None = None
    device: BLEDevice | None = None
    kind: str = KIND_HIP_IMU


POLAR_NAME_PREFIX = "Polar "
"""Polar sensors advertise names like ``Polar Sense 1A2B3C4D`` (not always the PMD UUID)."""


def device_kind(adv: AdvertisementData) -> str | None:
    """Which adapter a device needs, from its advertisement (None: not a known sensor)."""
    from imu.ble.polar.codec import PMD_SERVICE_UUID

    uuids = {u.lower() for u in adv.service_uuids}
    if spec.IMU_SERVICE_UUID.lower() in uuids:
        return KIND_HIP_IMU
    if PMD_SERVICE_UUID in uuids or (adv.local_name or "").startswith(POLAR_NAME_PREFIX):
        return KIND_POLAR
    return None


async def scan(
    backend: BleBackend, timeout_s: float = 5.0, read_battery: bool = True
) -> list[SensorInfo]:
    """Hip IMUs and Polar PMD sensors in range, strongest first (battery read by connecting)."""
    try:
        found = await BleakScanner.discover(
            timeout=timeout_s, return_adv=True, **backend.scanner_kwargs()
        )
    except _UNAVAILABLE_ERRORS as exc:
        raise bluetooth_error(exc, backend, "scan for sensors") from exc
    sensors = []
    for device, adv in found.values():
        kind = device_kind(adv)
        if kind is None:
            continue
        battery = await read_battery_level(backend, device) if read_battery else None
        sensors.append(
            SensorInfo(adv.local_name or device.name or "?", device.address, adv.rssi, battery,
                       device, kind)
        )
    return sorted(sensors, key=lambda s: -s.rssi)


async def read_battery_level(backend: BleBackend, device: BLEDevice) -> int | None:
    """Connect briefly and read the Battery Level, %; None if that fails."""
    try:
        async with BleakClient(device, timeout=5.0, **backend.client_kwargs()) as client:
            value = await client.read_gatt_char(spec.BATTERY_LEVEL_UUID)
            return int(value[0]) if value else None
    except (BleakError, TimeoutError) as exc:
        logger.info("cannot read the battery of %s: %s", device.address, exc)
        return None


async def find_sensor_kind(
    backend: BleBackend, address: str | None, timeout_s: float
) -> tuple[BLEDevice, str]:
    """The sensor with ``address`` (or the first known sensor) and the adapter it needs.

    The kind comes from the advertisement (IMU or PMD service UUID, or a Polar name); when the
    advertisement does not tell, the host connects briefly and looks at the services offered.

    Raises:
        BleError: nothing found in time, or the device offers neither service.

    """
    seen: dict[str, str | None] = {}

    def match(device: BLEDevice, adv: AdvertisementData) -> bool:
        kind = device_kind(adv)
        if address:
            if device.address.upper() != address.upper():
                return False
            seen[device.address] = kind
            return True
        seen[device.address] = kind
        return kind is not None

    try:
        device = await BleakScanner.find_device_by_filter(
            match, timeout=timeout_s, **backend.scanner_kwargs()
        )
    except _UNAVAILABLE_ERRORS as exc:
        raise bluetooth_error(exc, backend, "look for the sensor") from exc
    if device is None:
        what = f"sensor {address}" if address else "no hip IMU or Polar sensor"
        raise BleError(
            f"{what} found within {timeout_s:g} s; is it switched on and in range? "
            "('imu scan' lists sensors)"
        )
    kind = seen.get(device.address)
    if kind is None:
        kind = await probe_kind(backend, device)
    return device, kind


async def probe_kind(backend: BleBackend, device: BLEDevice) -> str:
    """Connect briefly and tell the adapter from the services the device offers."""
    from imu.ble.polar.codec import PMD_SERVICE_UUID

    try:
        async with BleakClient(device, timeout=5.0, **backend.client_kwargs()) as client:
            uuids = {s.uuid.lower() for s in client.services}
    except (BleakError, TimeoutError) as exc:
        raise BleError(f"cannot connect to {device.address} to see what it is: {exc}") from exc
    if spec.IMU_SERVICE_UUID.lower() in uuids:
        return KIND_HIP_IMU
    if PMD_SERVICE_UUID in uuids:
        return KIND_POLAR
    raise BleError(
        f"{device.name or device.address} offers neither the hip IMU service nor Polar's "
        "measurement-data (PMD) service; it is not a sensor this tool can stream from"
    )


async def find_sensor(backend: BleBackend, address: str | None, timeout_s: float) -> BLEDevice:
    """The sensor with ``address`` (or the first advertising the IMU service)."""
    kwargs = backend.scanner_kwargs()
    try:
        if address:
            device = await BleakScanner.find_device_by_address(
                address, timeout=timeout_s, **kwargs
            )
        else:
            device = await BleakScanner.find_device_by_filter(
                lambda _d, adv: spec.IMU_SERVICE_UUID in adv.service_uuids,
                timeout=timeout_s,
                **kwargs,
            )
    except _UNAVAILABLE_ERRORS as exc:
        raise bluetooth_error(exc, backend, "look for the sensor") from exc
    if device is None:
        what = f"sensor {address}" if address else "no sensor advertising the IMU service"
        raise BleError(
            f"{what} found within {timeout_s:g} s; is it switched on and in range? "
            "('imu scan' lists sensors)"
        )
    return device


@dataclass(frozen=True)
class DeviceInfo:
    """What the host reads after connecting."""

    name: str
    address: str
    mtu: int
    status: codec.Status | None
    firmware_revision: str | None = None
    serial_number: str | None = None
    model: str | None = None
    battery_percent: int | None = None
    protocol: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_event(self) -> dict[str, Any]:
        """Fields for the ``connected`` journal event (``extra`` included)."""
        status = self.status
        protocol = self.protocol or (str(status.protocol_version) if status else None)
        firmware = self.firmware_revision or (
            ".".join(str(v) for v in status.firmware_version) if status else None
        )
        return {
            "name": self.name,
            "address": self.address,
            "mtu": self.mtu,
            "protocol_version": protocol,
            "firmware_version": firmware,
            "serial_number": self.serial_number,
            "model": self.model,
            "battery_percent": self.battery_percent,
            **self.extra,
        }


class SensorConnection:
    """One connection to a sensor: read info, subscribe, send commands.

    Args:
        client: a connected bleak client.
        on_frame: called from the notification callback with the frame bytes; it must only
            enqueue (keep decoding out of the callback).

    """

    def __init__(self, client: BleakClient, on_frame: Callable[[bytes], None]) -> None:
        self.client = client
        self._on_frame = on_frame
        self._responses: asyncio.Queue[bytes] = asyncio.Queue()
        self._status: asyncio.Queue[bytes] = asyncio.Queue()

    async def _read_text(self, uuid: str) -> str | None:
        try:
            return bytes(await self.client.read_gatt_char(uuid)).decode("utf-8", "replace")
        except (BleakError, KeyError) as exc:
            logger.debug("cannot read %s: %s", uuid, exc)
            return None

    async def read_info(self, name: str) -> DeviceInfo:
        """Device Information strings, battery and status (checks the protocol version)."""
        try:
            raw = await self.client.read_gatt_char(spec.STATUS_UUID)
        except BleakError as exc:
            raise BleError(
                f"{name} does not serve the IMU status characteristic ({exc}); is it a hip IMU?"
            ) from exc
        status = codec.decode_status(raw)  # ProtocolError on another major version
        battery = None
        try:
            value = await self.client.read_gatt_char(spec.BATTERY_LEVEL_UUID)
            battery = int(value[0]) if value else None
        except BleakError as exc:
            logger.debug("no battery level: %s", exc)
        return DeviceInfo(
            name=name,
            address=self.client.address,
            mtu=self.client.mtu_size,
            status=status,
            firmware_revision=await self._read_text(spec.FIRMWARE_REVISION_UUID),
            serial_number=await self._read_text(spec.SERIAL_NUMBER_UUID),
            model=await self._read_text(spec.MODEL_NUMBER_UUID),
            battery_percent=battery if battery is not None else status.battery_percent,
        )

    async def subscribe(self) -> None:
        """Enable control-point indications and IMU-data notifications (SPEC 1.3 step 3)."""
        await self.client.start_notify(
            spec.CONTROL_POINT_UUID, lambda _c, data: self._responses.put_nowait(bytes(data))
        )
        await self.client.start_notify(
            spec.IMU_DATA_UUID, lambda _c, data: self._on_frame(bytes(data))
        )

    async def command(self, command: Command) -> codec.Response:
        """Write a command and wait for its response.

        Raises:
            BleError: no response in time, or the device refused the command.

        """
        while not self._responses.empty():
            self._responses.get_nowait()
        await self.client.write_gatt_char(
            spec.CONTROL_POINT_UUID, codec.encode_command(command), response=True
        )
        try:
            raw = await asyncio.wait_for(self._responses.get(), COMMAND_TIMEOUT_S)
        except TimeoutError:
            raise BleError(
                f"no response to {type(command).__name__} within {COMMAND_TIMEOUT_S:g} s"
            ) from None
        response = codec.decode_response(raw)
        if response.request_opcode != command.opcode:
            raise ProtocolError(
                f"response answers opcode 0x{response.request_opcode:02x}, expected "
                f"0x{int(command.opcode):02x}"
            )
        if not response.ok:
            raise BleError(
                f"the sensor refused {type(command).__name__}: {response.result.name}"
            )
        return response

    async def start_stream(self, config: StreamConfig) -> None:
        """START_STREAM with the configuration (stops a running stream first)."""
        try:
            await self.command(
                codec.StartStream(config.odr_hz, config.acc_range_g, config.gyr_range_dps)
            )
        except BleError as exc:
            if "INVALID_STATE" not in str(exc):
                raise
            await self.command(codec.StopStream())
            await self.command(
                codec.StartStream(config.odr_hz, config.acc_range_g, config.gyr_range_dps)
            )
