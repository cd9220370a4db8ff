"""Talking to a Polar sensor's PMD service over bleak, and the live-session adapter for it.

:class:`PolarConnection` reads the features, asks for the settings of a measurement, starts
ACC and GYRO at the chosen rate and range (checking them against what the device offers first,
so an unsupported setting is named before anything is sent) and stops them. Responses arrive by
indication on the control point; the data notifications go to ``on_frame`` (enqueue only).
:class:`PolarAdapter` is the BLE device adapter a live session's BLE source drives
(:class:`imu.live.sources.ble.BleSource`); while connected its ``watch`` restarts a stream the
device stops on its own (``0x01`` indication), reporting ``stopped_by_device`` then
``stream_restarted`` or ``stream_restart_failed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bleak import BleakClient
from bleak.exc import BleakError

from firmware_protocol import spec
from imu.ble.client import KIND_POLAR, BleError, DeviceInfo
from imu.io.recorders.base import StreamHeader
from imu.io.recorders.pmd import (
    MEASUREMENT_STOPPED,
    PMD_CONTROL_POINT_UUID,
    PMD_DATA_UUID,
    RESPONSE_HEADER,
    MeasurementType,
    PmdStatus,
    PolarError,
    Request,
    Response,
    Settings,
    SettingType,
    check_settings,
    decode_features,
    decode_response,
    decode_settings,
    describe_error,
    get_settings,
    start_measurement,
    stop_measurement,
)
from imu.io.recorders.polar import PROTOCOL, PolarStreamRecorder

logger = logging.getLogger(__name__)

RESPONSE_TIMEOUT_S = 5.0
"""How long to wait for a control point response, s."""

RESTART_ATTEMPTS = 3
"""Tries to restart a stream the device stopped before the session ends."""

RESTART_DELAY_S = 0.25
"""Wait before the first restart attempt, doubled before each next one, s."""

StreamReport = Callable[[str, dict[str, Any]], None]
"""``report(kind, fields)``: a stream event for the session (journal, recorder, view)."""

POLAR_RATES_HZ = (26, 52, 104, 208, 416)
"""Online streaming rates of the Polar Verity Sense in SDK mode (ACC and GYRO), Hz."""


@dataclass(frozen=True)
class PolarConfig:
    """What the host asks a Polar sensor for.

    Attributes:
        rate_hz: ACC and GYRO sample rate, Hz (both streams use the same, the grid's rate).
        acc_range_g: accelerometer range, +-g.
        gyr_range_dps: gyroscope range, +-deg/s.
        mtu: ATT MTU to ask for, bytes.

    """

    rate_hz: int = 104
    acc_range_g: int = 8
    gyr_range_dps: int = 2000
    mtu: int = 247

    def __post_init__(self) -> None:
        if self.rate_hz <= 0:
            raise PolarError(f"Polar sample rate must be positive, got {self.rate_hz} Hz")


class PolarConnection:
    """One connection to a Polar sensor's PMD service.

    Args:
        client: a connected bleak client.
        on_frame: called from the data notification callback with the bytes (enqueue only).
        name: device name for messages.

    """

    def __init__(
        self, client: BleakClient, on_frame: Callable[[bytes], None], name: str = "Polar sensor"
    ) -> None:
        self.client = client
        self.name = name
        self._on_frame = on_frame
        self._responses: asyncio.Queue[bytes] = asyncio.Queue()
        self.stopped_by_device: asyncio.Queue[int] = asyncio.Queue()
        """Measurement types the device stopped on its own, in order (filled by indications)."""

    def _on_control(self, data: bytes) -> None:
        if data and data[0] == RESPONSE_HEADER:
            self._responses.put_nowait(data)
        elif data and data[0] == MEASUREMENT_STOPPED:
            for mtype in data[1:]:
                self.stopped_by_device.put_nowait(mtype)
            logger.warning("%s stopped streams %s on its own", self.name, list(data[1:]))
        else:
            logger.info("unexpected PMD control point indication %s", data.hex())

    async def subscribe(self) -> None:
        """Enable control point indications and data notifications."""
        await self.client.start_notify(
            PMD_CONTROL_POINT_UUID, lambda _c, data: self._on_control(bytes(data))
        )
        await self.client.start_notify(PMD_DATA_UUID, lambda _c, data: self._on_frame(bytes(data)))

    async def read_features(self) -> frozenset[MeasurementType]:
        """Measurement types the device offers (a read of the control point)."""
        try:
            raw = await self.client.read_gatt_char(PMD_CONTROL_POINT_UUID)
        except BleakError as exc:
            raise BleError(f"{self.name}: cannot read the PMD features: {exc}") from exc
        return decode_features(bytes(raw))

    async def request(self, request: Request, offered: Settings | None = None) -> Response:
        """Write a request and wait for its response (joining ``more`` parts).

        Raises:
            PolarError: the device refused (the message names the setting) or sent garbage.
            BleError: no response in time.

        """
        while not self._responses.empty():
            self._responses.get_nowait()
        await self.client.write_gatt_char(PMD_CONTROL_POINT_UUID, request.encode(), response=True)
        parts: list[Response] = []
        while True:
            try:
                raw = await asyncio.wait_for(self._responses.get(), RESPONSE_TIMEOUT_S)
            except TimeoutError:
                raise BleError(
                    f"{self.name}: no PMD response to {request.opcode.name} within "
                    f"{RESPONSE_TIMEOUT_S:g} s"
                ) from None
            response = decode_response(raw)
            if response.opcode != request.opcode:
                logger.info("ignoring a PMD response to opcode %d", response.opcode)
                continue
            parts.append(response)
            if not response.more:
                break
        first = parts[0]
        if not first.ok:
            raise PolarError(describe_error(first, request, offered, self.name))
        params = b"".join(p.parameters for p in parts)
        return Response(first.opcode, first.measurement, first.status, False, params)

    async def settings(self, measurement: MeasurementType) -> Settings:
        """The settings the device offers for a measurement."""
        response = await self.request(get_settings(measurement))
        return decode_settings(response.parameters)

    async def start(self, measurement: MeasurementType, rate_hz: int, range_: int) -> float:
        """Start a stream after checking the settings; returns its FACTOR (1.0 if none).

        Raises:
            PolarError: a setting is not offered (named, with the choices), or refused.

        """
        offered = await self.settings(measurement)
        request = start_measurement(measurement, rate_hz, range_)
        chosen: dict[SettingType, int] = {
            k: v for k, v in request.settings.items() if k != SettingType.RESOLUTION
        }
        check_settings(measurement, chosen, offered, self.name)
        if SettingType.RESOLUTION in offered and 16 not in offered[SettingType.RESOLUTION]:
            bits = int(max(offered[SettingType.RESOLUTION]))
            request = start_measurement(measurement, rate_hz, range_, resolution_bits=bits)
        try:
            response = await self.request(request, offered)
        except PolarError as exc:
            if PmdStatus.ALREADY_IN_STATE.name not in str(exc):
                raise
            await self.request(stop_measurement(measurement))
            response = await self.request(request, offered)
        factor = decode_settings(response.parameters).get(SettingType.FACTOR)
        return float(factor[0]) if factor else 1.0

    async def stop(self, measurement: MeasurementType) -> None:
        """Stop a stream."""
        await self.request(stop_measurement(measurement))


class PolarAdapter:
    """Polar PMD sensors (e.g. Verity Sense) as a BLE device adapter (:mod:`imu.ble.adapters`).

    Starts ACC and GYRO with ``config``; the factors from the start responses travel in the
    ``connected`` event to the :class:`PolarStreamRecorder` (and the journal).
    """

    kind = KIND_POLAR

    def __init__(self, config: PolarConfig | None = None) -> None:
        self.config = config or PolarConfig()
        self.odr_hz = self.config.rate_hz
        self.acc_range_g = self.config.acc_range_g
        self.gyr_range_dps = self.config.gyr_range_dps
        self.mtu = self.config.mtu
        self._conn: PolarConnection | None = None

    def header_notes(self) -> dict[str, str]:
        """Marks the journal as PMD frames."""
        return {"protocol": PROTOCOL}

    def make_recorder(self, header: StreamHeader) -> PolarStreamRecorder:
        """The PMD recorder (joins ACC and GYRO)."""
        return PolarStreamRecorder(header)

    async def _read_text(self, client: BleakClient, uuid: str) -> str | None:
        try:
            return bytes(await client.read_gatt_char(uuid)).decode("utf-8", "replace")
        except (BleakError, KeyError) as exc:
            logger.debug("cannot read %s: %s", uuid, exc)
            return None

    async def open(
        self, client: BleakClient, on_frame: Callable[[bytes], None], name: str, first: bool
    ) -> DeviceInfo:
        """Check ACC and GYRO are offered, start both, return the device info."""
        conn = PolarConnection(client, on_frame, name)
        await conn.subscribe()
        features = await conn.read_features()
        missing = [m.name for m in (MeasurementType.ACC, MeasurementType.GYRO) if m not in features]
        if missing:
            offered = ", ".join(sorted(m.name for m in features)) or "nothing"
            raise PolarError(
                f"{name} does not stream {' and '.join(missing)} (it offers {offered}); rep "
                "analysis needs both: use a Polar Verity Sense (firmware >= 1.1.5)"
            )
        acc_factor = await conn.start(MeasurementType.ACC, self.odr_hz, self.acc_range_g)
        gyr_factor = await conn.start(MeasurementType.GYRO, self.odr_hz, self.gyr_range_dps)
        self._conn = conn
        battery = None
        try:
            value = await client.read_gatt_char(spec.BATTERY_LEVEL_UUID)
            battery = int(value[0]) if value else None
        except BleakError as exc:
            logger.debug("no battery level: %s", exc)
        return DeviceInfo(
            name=name,
            address=client.address,
            mtu=client.mtu_size,
            status=None,
            firmware_revision=await self._read_text(client, spec.FIRMWARE_REVISION_UUID),
            serial_number=await self._read_text(client, spec.SERIAL_NUMBER_UUID),
            model=await self._read_text(client, spec.MODEL_NUMBER_UUID),
            battery_percent=battery,
            protocol="polar-pmd",
            extra={"acc_factor": acc_factor, "gyr_factor": gyr_factor},
        )

    async def watch(self, report: StreamReport) -> str:
        """While connected: restart each stream the device stops on its own.

        Reports ``stopped_by_device`` (``measurement``), then ``stream_restarted``
        (``measurement`` and the new ``acc_factor``/``gyr_factor``) or, after
        ``RESTART_ATTEMPTS`` refusals, ``stream_restart_failed`` (``measurement``, ``error``).

        Returns:
            Why the session must end (only when a restart failed); otherwise runs until
            cancelled.

        """
        conn = self._conn
        if conn is None:
            raise BleError("the Polar adapter is not connected; open() it first")
        while True:
            mtype = await conn.stopped_by_device.get()
            try:
                measurement = MeasurementType(mtype)
            except ValueError:
                logger.info("device stopped unknown measurement type %d", mtype)
                continue
            if measurement not in (MeasurementType.ACC, MeasurementType.GYRO):
                continue
            report("stopped_by_device", {"measurement": measurement.name})
            error = await self._restart(conn, measurement, report)
            if error is not None:
                report(
                    "stream_restart_failed", {"measurement": measurement.name, "error": error}
                )
                return f"the sensor stopped {measurement.name} and refused to restart it: {error}"

    async def _restart(
        self, conn: PolarConnection, measurement: MeasurementType, report: StreamReport
    ) -> str | None:
        """Start a stopped stream again; returns the last error, or None once restarted."""
        acc = measurement == MeasurementType.ACC
        range_ = self.acc_range_g if acc else self.gyr_range_dps
        error = "no attempt"
        delay = RESTART_DELAY_S
        for attempt in range(1, RESTART_ATTEMPTS + 1):
            try:
                factor = await conn.start(measurement, self.odr_hz, range_)
            except (PolarError, BleError, BleakError, TimeoutError) as exc:
                error = str(exc)
                logger.warning(
                    "restart %d/%d of %s failed: %s", attempt, RESTART_ATTEMPTS,
                    measurement.name, error,
                )
                if attempt < RESTART_ATTEMPTS:
                    await asyncio.sleep(delay)
                    delay *= 2
                continue
            key = "acc_factor" if acc else "gyr_factor"
            report("stream_restarted", {"measurement": measurement.name, key: factor})
            return None
        return error

    async def stop(self) -> None:
        """Stop GYRO and ACC (each, even if the other was already stopped).

        Raises:
            PolarError: the device refused to stop a stream that was running.

        """
        if self._conn is None:
            return
        errors = []
        for measurement in (MeasurementType.GYRO, MeasurementType.ACC):
            try:
                await self._conn.stop(measurement)
            except PolarError as exc:
                if PmdStatus.ALREADY_IN_STATE.name not in str(exc):
                    errors.append(str(exc))
        if errors:
            raise PolarError("; ".join(errors))
