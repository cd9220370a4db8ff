"""Protocol constants as data: rates, ranges and the count-to-SI scale factors.

Everything numeric about the sensor lives here, so the codec, the virtual sensor and the
simulator agree. Samples are signed 16-bit counts; full scale (+-range) maps to +-32768 counts.
"""

import math
import struct
from enum import IntEnum
from typing import Final, NamedTuple

from firmware_protocol.errors import ProtocolError

STANDARD_GRAVITY: Final = 9.80665
"""m/s^2 per g."""

OUTPUT_DATA_RATES_HZ: Final = (26, 52, 104, 208, 416, 833)
"""Output data rates the sensor supports, Hz (nominal)."""

ACC_RANGES_G: Final = (2, 4, 8, 16)
"""Accelerometer full-scale ranges, +-g."""

GYR_RANGES_DPS: Final = (125, 250, 500, 1000, 2000)
"""Gyroscope full-scale ranges, +-degrees per second."""

COUNTS_FULL_SCALE: Final = 32768
"""Counts that correspond to the full-scale range."""


def acc_lsb_ms2(range_g: float) -> float:
    """Accelerometer resolution, m/s^2 per count, at full scale ``range_g`` (+-g)."""
    return range_g * STANDARD_GRAVITY / COUNTS_FULL_SCALE


def gyr_lsb_rads(range_dps: float) -> float:
    """Gyroscope resolution, rad/s per count, at full scale ``range_dps`` (+-deg/s)."""
    return math.radians(range_dps) / COUNTS_FULL_SCALE


# ---------------------------------------------------------------------------------------------
# Protocol version
# ---------------------------------------------------------------------------------------------

PROTOCOL_VERSION_MAJOR: Final = 1
"""Major protocol version this package speaks; a host refuses any other major version."""

PROTOCOL_VERSION_MINOR: Final = 0
"""Minor protocol version this package speaks; a host accepts newer minors (extra bytes ignored)."""

VERSION_NIBBLE_MAX: Final = 15
"""Frames pack the version in one byte, major in the high nibble and minor in the low one."""


# ---------------------------------------------------------------------------------------------
# GATT: UUIDs and properties
# ---------------------------------------------------------------------------------------------

_BASE_UUID_SUFFIX: Final = "-46c8-418b-8eb6-a2612ab95e63"


def _vendor_uuid(short: int) -> str:
    """Return the vendor UUID ``8d38XXXX-46c8-418b-8eb6-a2612ab95e63`` for ``short``."""
    return f"8d38{short:04x}{_BASE_UUID_SUFFIX}"


def sig_uuid(short: int) -> str:
    """Return the 128-bit form ``0000XXXX-0000-1000-8000-00805f9b34fb`` of a SIG 16-bit UUID."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


IMU_SERVICE_UUID: Final = _vendor_uuid(0x0001)
"""Primary service of the hip IMU protocol."""

IMU_DATA_UUID: Final = _vendor_uuid(0x0002)
"""IMU data characteristic: notify; each notification is one frame of samples."""

CONTROL_POINT_UUID: Final = _vendor_uuid(0x0003)
"""Control point: write (with response); command responses are sent by indication."""

STATUS_UUID: Final = _vendor_uuid(0x0004)
"""Status characteristic: read, notify."""

DEVICE_INFORMATION_SERVICE_UUID: Final = sig_uuid(0x180A)
MANUFACTURER_NAME_UUID: Final = sig_uuid(0x2A29)
MODEL_NUMBER_UUID: Final = sig_uuid(0x2A24)
SERIAL_NUMBER_UUID: Final = sig_uuid(0x2A25)
HARDWARE_REVISION_UUID: Final = sig_uuid(0x2A27)
FIRMWARE_REVISION_UUID: Final = sig_uuid(0x2A26)
BATTERY_SERVICE_UUID: Final = sig_uuid(0x180F)
BATTERY_LEVEL_UUID: Final = sig_uuid(0x2A19)
CCCD_UUID: Final = sig_uuid(0x2902)
"""Client Characteristic Configuration descriptor (enables notify / indicate)."""

CHARACTERISTIC_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    IMU_DATA_UUID: ("notify",),
    CONTROL_POINT_UUID: ("write", "indicate"),
    STATUS_UUID: ("read", "notify"),
    MANUFACTURER_NAME_UUID: ("read",),
    MODEL_NUMBER_UUID: ("read",),
    SERIAL_NUMBER_UUID: ("read",),
    HARDWARE_REVISION_UUID: ("read",),
    FIRMWARE_REVISION_UUID: ("read",),
    BATTERY_LEVEL_UUID: ("read", "notify"),
}
"""GATT properties of every characteristic the firmware exposes (bleak's property names)."""


# ---------------------------------------------------------------------------------------------
# ATT sizes
# ---------------------------------------------------------------------------------------------

ATT_DEFAULT_MTU: Final = 23
"""ATT_MTU every LE device supports without an MTU exchange, bytes."""

ATT_NOTIFICATION_OVERHEAD: Final = 3
"""Bytes of a Handle Value Notification/Indication that are not the value (opcode + handle)."""

ATT_MAX_VALUE_LEN: Final = 512
"""Largest attribute value GATT allows, bytes; caps a notification whatever the MTU."""


# ---------------------------------------------------------------------------------------------
# Byte layouts (all little-endian, no padding)
# ---------------------------------------------------------------------------------------------


class Field(NamedTuple):
    """One field of a byte layout: name, :mod:`struct` code, unit and meaning."""

    name: str
    code: str
    unit: str
    description: str


class Layout(NamedTuple):
    """A fixed byte layout: little-endian fields in order, no padding."""

    name: str
    fields: tuple[Field, ...]

    @property
    def struct_format(self) -> str:
        """The :mod:`struct` format string (``<`` + one code per field)."""
        return "<" + "".join(f.code for f in self.fields)

    @property
    def size(self) -> int:
        """Length of the layout, bytes."""
        return struct.calcsize(self.struct_format)

    def offsets(self) -> dict[str, int]:
        """Byte offset of every field, by name."""
        out: dict[str, int] = {}
        offset = 0
        for f in self.fields:
            out[f.name] = offset
            offset += struct.calcsize("<" + f.code)
        return out


FRAME_HEADER: Final = Layout(
    "frame header",
    (
        Field("version", "B", "-", "protocol version: major in bits 7..4, minor in bits 3..0"),
        Field("seq", "H", "-", "frame sequence number, +1 per frame sent, wraps 65535 -> 0"),
        Field("timestamp_us", "I", "us", "device clock at the first sample, wraps 2^32 -> 0"),
        Field("sample_count", "B", "-", "samples in this frame, 1..max_samples_per_frame(mtu)"),
    ),
)
"""Header of every IMU data frame (8 bytes)."""

SAMPLE: Final = Layout(
    "sample",
    (
        Field("acc_x", "h", "count", "accelerometer x, int16, acc_lsb_ms2(range) m/s^2 per count"),
        Field("acc_y", "h", "count", "accelerometer y"),
        Field("acc_z", "h", "count", "accelerometer z"),
        Field("gyr_x", "h", "count", "gyroscope x, int16, gyr_lsb_rads(range) rad/s per count"),
        Field("gyr_y", "h", "count", "gyroscope y"),
        Field("gyr_z", "h", "count", "gyroscope z"),
    ),
)
"""One sample in a frame (12 bytes); follows the header, ``sample_count`` times."""

STATUS: Final = Layout(
    "status",
    (
        Field("protocol_major", "B", "-", "protocol major version"),
        Field("protocol_minor", "B", "-", "protocol minor version"),
        Field("firmware_major", "B", "-", "firmware version major"),
        Field("firmware_minor", "B", "-", "firmware version minor"),
        Field("firmware_patch", "B", "-", "firmware version patch"),
        Field("flags", "B", "-", "bit 0: streaming; bit 1: clock set since power-on; others 0"),
        Field("odr_hz", "H", "Hz", "output data rate of the stream (active, or for the next)"),
        Field("acc_range_g", "B", "g", "accelerometer full scale, +-g"),
        Field("gyr_range_dps", "H", "deg/s", "gyroscope full scale, +-deg/s"),
        Field("acc_scale_ms2", "f", "m/s^2", "float32, m/s^2 per accelerometer count"),
        Field("gyr_scale_rads", "f", "rad/s", "float32, rad/s per gyroscope count"),
        Field("battery_percent", "B", "%", "0..100, 255 = unknown"),
        Field("dropped_queue_samples", "I", "samples", "measured, not sent: BLE queue full"),
        Field("dropped_fifo_samples", "I", "samples", "lost in a sensor FIFO overrun"),
        Field("device_time_us", "I", "us", "device clock when the status was produced"),
    ),
)
"""Value of the status characteristic (32 bytes in protocol 1.0)."""

STATUS_FLAG_STREAMING: Final = 0x01
STATUS_FLAG_CLOCK_SET: Final = 0x02
BATTERY_UNKNOWN: Final = 0xFF
"""``battery_percent`` value meaning that the device cannot measure its battery."""

SEQ_MODULUS: Final = 1 << 16
"""Frame sequence numbers count modulo this."""

TIMESTAMP_MODULUS: Final = 1 << 32
"""Device timestamps (microseconds) count modulo this: they wrap every ~71.6 minutes."""

TIMESTAMP_UNIT_S: Final = 1e-6
"""Seconds per device-timestamp tick."""

MIN_SAMPLES_PER_FRAME: Final = 1
"""A frame carries at least one sample."""

MAX_FRAME_LEN: Final = ATT_MAX_VALUE_LEN
"""Longest frame, bytes, whatever the MTU (the longest GATT attribute value)."""

MAX_SAMPLES_PER_FRAME: Final = (MAX_FRAME_LEN - FRAME_HEADER.size) // SAMPLE.size
"""Most samples any frame carries (42), reached at ATT_MTU >= 515."""

DEFAULT_ODR_HZ: Final = 104
DEFAULT_ACC_RANGE_G: Final = 8
DEFAULT_GYR_RANGE_DPS: Final = 1000
"""Stream configuration after power-on, reported by status until the first START_STREAM."""

MIN_MTU: Final = ATT_NOTIFICATION_OVERHEAD + FRAME_HEADER.size + SAMPLE.size
"""Smallest ATT_MTU whose notification holds a header and one sample (23, the default)."""

MAX_MTU: Final = 517
"""Largest ATT_MTU Bluetooth LE allows (Core spec: an attribute value is at most 512 bytes)."""


def max_samples_per_frame(mtu: int) -> int:
    """Most samples one frame may carry when the negotiated ATT_MTU is ``mtu`` bytes.

    The notification value is ``mtu - 3`` bytes, capped at 512 (the longest attribute value).
    Raises :class:`~firmware_protocol.ProtocolError` if ``mtu`` cannot carry even one sample.
    """
    if isinstance(mtu, bool) or not isinstance(mtu, int):
        raise ProtocolError(f"ATT MTU must be an integer number of bytes, got {mtu!r}")
    payload = min(mtu - ATT_NOTIFICATION_OVERHEAD, ATT_MAX_VALUE_LEN)
    n = (payload - FRAME_HEADER.size) // SAMPLE.size
    if n < MIN_SAMPLES_PER_FRAME:
        raise ProtocolError(
            f"ATT MTU {mtu} is too small for one sample: a one-sample frame needs "
            f"{FRAME_HEADER.size + SAMPLE.size} bytes of notification payload: use MTU >= {MIN_MTU}"
        )
    return n


# ---------------------------------------------------------------------------------------------
# Control point
# ---------------------------------------------------------------------------------------------


class Opcode(IntEnum):
    """Control-point command opcodes (first byte of a write to the control point)."""

    START_STREAM = 0x01
    """Parameters: odr_hz u16, acc_range_g u8, gyr_range_dps u16."""
    STOP_STREAM = 0x02
    """No parameters."""
    SET_CLOCK = 0x03
    """Parameters: time_us u32, the new value of the device clock."""
    GET_STATUS = 0x04
    """No parameters; refresh the status characteristic, then respond."""


RESPONSE_OPCODE: Final = 0x80
"""First byte of every control-point response: ``0x80, request opcode, result code``."""


class ResultCode(IntEnum):
    """Result of a control-point command, third byte of a response."""

    SUCCESS = 0x01
    OPCODE_NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    """Wrong parameter length for the opcode."""
    UNSUPPORTED_RATE = 0x04
    UNSUPPORTED_ACC_RANGE = 0x05
    UNSUPPORTED_GYR_RANGE = 0x06
    INVALID_STATE = 0x07
    """The command is not allowed now (e.g. START_STREAM while streaming)."""
    OPERATION_FAILED = 0x08
    """The device tried and failed (sensor not responding, ...)."""


COMMAND_PARAMETERS: Final[dict[Opcode, Layout]] = {
    Opcode.START_STREAM: Layout(
        "START_STREAM parameters",
        (
            Field("odr_hz", "H", "Hz", "output data rate, one of OUTPUT_DATA_RATES_HZ"),
            Field("acc_range_g", "B", "g", "accelerometer full scale, one of ACC_RANGES_G"),
            Field("gyr_range_dps", "H", "deg/s", "gyroscope full scale, one of GYR_RANGES_DPS"),
        ),
    ),
    Opcode.STOP_STREAM: Layout("STOP_STREAM parameters", ()),
    Opcode.SET_CLOCK: Layout(
        "SET_CLOCK parameters",
        (Field("time_us", "I", "us", "new device clock value, modulo 2^32"),),
    ),
    Opcode.GET_STATUS: Layout("GET_STATUS parameters", ()),
}
"""Parameter layout that follows each opcode byte."""

RESPONSE: Final = Layout(
    "control-point response",
    (
        Field("response_opcode", "B", "-", "always 0x80"),
        Field("request_opcode", "B", "-", "opcode answered (echoed even if unknown)"),
        Field("result", "B", "-", "result code"),
    ),
)
"""Layout of a control-point response (3 bytes), sent by indication."""
