"""The status characteristic: versions, stream configuration, scale factors, battery, counters.

Layout: :data:`firmware_protocol.spec.STATUS` (32 bytes in protocol 1.0, little-endian). A newer
minor version may append fields; hosts ignore the extra bytes. The value is longer than the
20-byte notification payload at the default MTU, so the device notifies status only when
``ATT_MTU - 3 >= len(status)``; hosts read it (GATT Read Long) otherwise.
"""

from __future__ import annotations

import logging
import math
import struct
from dataclasses import dataclass, fields

from firmware_protocol import spec
from firmware_protocol.errors import ProtocolError
from firmware_protocol.version import PROTOCOL_VERSION, ProtocolVersion, check_supported

logger = logging.getLogger(__name__)

Buffer = bytes | bytearray | memoryview


def float32(value: float) -> float:
    """Round ``value`` to the nearest float32 (what the status carries), as a Python float."""
    result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return result


@dataclass(frozen=True)
class Status:
    """Decoded status.

    Attributes:
        protocol_version: protocol version of the firmware.
        firmware_version: firmware ``(major, minor, patch)``.
        streaming: True while frames are being sent.
        clock_set: True once SET_CLOCK succeeded since power-on.
        odr_hz: output data rate of the active (or next) stream, Hz.
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.
        acc_scale_ms2: accelerometer scale, m/s^2 per count (float32 precision).
        gyr_scale_rads: gyroscope scale, rad/s per count (float32 precision).
        battery_percent: 0..100, or None if unknown.
        dropped_queue_samples: samples measured but not sent because the BLE queue was full,
            since power-on (wraps at 2^32).
        dropped_fifo_samples: samples lost in sensor FIFO overruns, since power-on (wraps).
        device_time_us: device clock when the status was produced, microseconds (wraps).

    """

    protocol_version: ProtocolVersion
    firmware_version: tuple[int, int, int]
    streaming: bool
    clock_set: bool
    odr_hz: int
    acc_range_g: int
    gyr_range_dps: int
    acc_scale_ms2: float
    gyr_scale_rads: float
    battery_percent: int | None
    dropped_queue_samples: int
    dropped_fifo_samples: int
    device_time_us: int

    @classmethod
    def for_config(
        cls,
        odr_hz: int = spec.DEFAULT_ODR_HZ,
        acc_range_g: int = spec.DEFAULT_ACC_RANGE_G,
        gyr_range_dps: int = spec.DEFAULT_GYR_RANGE_DPS,
        *,
        firmware_version: tuple[int, int, int] = (0, 1, 0),
        streaming: bool = False,
        clock_set: bool = False,
        battery_percent: int | None = None,
        dropped_queue_samples: int = 0,
        dropped_fifo_samples: int = 0,
        device_time_us: int = 0,
    ) -> Status:
        """Build the status of this protocol version, with scale factors from :mod:`spec`."""
        return cls(
            protocol_version=PROTOCOL_VERSION,
            firmware_version=firmware_version,
            streaming=streaming,
            clock_set=clock_set,
            odr_hz=odr_hz,
            acc_range_g=acc_range_g,
            gyr_range_dps=gyr_range_dps,
            acc_scale_ms2=float32(spec.acc_lsb_ms2(acc_range_g)),
            gyr_scale_rads=float32(spec.gyr_lsb_rads(gyr_range_dps)),
            battery_percent=battery_percent,
            dropped_queue_samples=dropped_queue_samples,
            dropped_fifo_samples=dropped_fifo_samples,
            device_time_us=device_time_us,
        )


STATUS_FIELD_NAMES = tuple(f.name for f in fields(Status))


def encode_status(status: Status) -> bytes:
    """Encode ``status`` to the value of the status characteristic (32 bytes).

    Raises :class:`ProtocolError` if a field does not fit its width or a scale factor is not a
    positive finite number.
    """
    for name in ("acc_scale_ms2", "gyr_scale_rads"):
        value = getattr(status, name)
        if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise ProtocolError(f"{name} must be a positive finite number, got {value!r}")
    battery = status.battery_percent
    if battery is None:
        battery = spec.BATTERY_UNKNOWN
    elif isinstance(battery, bool) or not isinstance(battery, int) or not 0 <= battery <= 100:
        raise ProtocolError(f"battery_percent must be 0..100 or None, got {battery!r}")
    flags = (spec.STATUS_FLAG_STREAMING if status.streaming else 0) | (
        spec.STATUS_FLAG_CLOCK_SET if status.clock_set else 0
    )
    ints = (
        status.protocol_version.major,
        status.protocol_version.minor,
        *status.firmware_version,
        status.odr_hz,
        status.acc_range_g,
        status.gyr_range_dps,
        status.dropped_queue_samples,
        status.dropped_fifo_samples,
        status.device_time_us,
    )
    for value in ints:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProtocolError(f"status integer fields must be int, got {value!r}")
    if len(status.firmware_version) != 3:
        raise ProtocolError(
            f"firmware_version must be (major, minor, patch), got {status.firmware_version!r}"
        )
    values = (
        status.protocol_version.major,
        status.protocol_version.minor,
        *status.firmware_version,
        flags,
        status.odr_hz,
        status.acc_range_g,
        status.gyr_range_dps,
        status.acc_scale_ms2,
        status.gyr_scale_rads,
        battery,
        status.dropped_queue_samples,
        status.dropped_fifo_samples,
        status.device_time_us,
    )
    try:
        return struct.pack(spec.STATUS.struct_format, *values)
    except (struct.error, OverflowError) as exc:
        raise ProtocolError(f"status field out of range: {exc} (values {values!r})") from None


def decode_status(data: Buffer) -> Status:
    """Decode the value of the status characteristic.

    Raises :class:`ProtocolError` for a value shorter than the layout, extra bytes without a
    newer minor version, another major version, a battery level above 100 (other than 255) or
    a scale factor that is not a positive finite number. Reserved flag bits are ignored.
    """
    raw = bytes(data)
    size = spec.STATUS.size
    if len(raw) < 2:
        raise ProtocolError(
            f"status of {len(raw)} bytes is too short: expected {size} bytes (version first)"
        )
    version = ProtocolVersion(raw[0], raw[1])
    check_supported(version, "status")
    if len(raw) < size:
        raise ProtocolError(f"status of {len(raw)} bytes is truncated: expected {size} bytes")
    if len(raw) > size:
        if not version.is_newer_minor:
            raise ProtocolError(
                f"status of {len(raw)} bytes has {len(raw) - size} bytes too many: a version "
                f"{version} status is exactly {size} bytes"
            )
        logger.debug("ignoring %d trailing bytes of a version %s status", len(raw) - size, version)
    values = dict(
        zip(
            (f.name for f in spec.STATUS.fields),
            struct.unpack_from(spec.STATUS.struct_format, raw),
            strict=True,
        )
    )
    battery = int(values["battery_percent"])
    if battery > 100 and battery != spec.BATTERY_UNKNOWN:
        raise ProtocolError(
            f"status battery_percent {battery} is out of range: expected 0..100 or "
            f"{spec.BATTERY_UNKNOWN} (unknown)"
        )
    for name in ("acc_scale_ms2", "gyr_scale_rads"):
        scale = float(values[name])
        if not math.isfinite(scale) or scale <= 0:
            raise ProtocolError(f"status {name} is {scale!r}: expected a positive finite number")
    flags = int(values["flags"])
    return Status(
        protocol_version=version,
        firmware_version=(
            int(values["firmware_major"]),
            int(values["firmware_minor"]),
            int(values["firmware_patch"]),
        ),
        streaming=bool(flags & spec.STATUS_FLAG_STREAMING),
        clock_set=bool(flags & spec.STATUS_FLAG_CLOCK_SET),
        odr_hz=int(values["odr_hz"]),
        acc_range_g=int(values["acc_range_g"]),
        gyr_range_dps=int(values["gyr_range_dps"]),
        acc_scale_ms2=float(values["acc_scale_ms2"]),
        gyr_scale_rads=float(values["gyr_scale_rads"]),
        battery_percent=None if battery == spec.BATTERY_UNKNOWN else battery,
        dropped_queue_samples=int(values["dropped_queue_samples"]),
        dropped_fifo_samples=int(values["dropped_fifo_samples"]),
        device_time_us=int(values["device_time_us"]),
    )
