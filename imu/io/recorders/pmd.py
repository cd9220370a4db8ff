"""Polar Measurement Data (PMD): control point messages and data frames, bytes <-> values.

Sources (Polar's public documentation of the PMD service):

- *Polar Measurement Data Specification for 3rd party*
  (``technical_documentation/Polar_Measurement_Data_Specification.pdf`` in
  https://github.com/polarofficial/polar-ble-sdk), and the SDK documentation in that repository:
  ``documentation/TimeSystemExplained.md`` (timestamps), ``documentation/SdkModeExplained.md`` and
  ``documentation/products/PolarVeritySense.md`` (rates and ranges), and the documented frame
  examples of the SDK's unit tests (e.g. the gyroscope delta frame used in our tests). The
  layout below was learnt from those; the code is our own.

Service ``FB005C80-02E7-F387-1CAD-8ACD2D8DF0C8`` has two characteristics:

- control point ``FB005C81-...`` (read, write, indicate).
  *Read* gives the features: ``0x0F`` then a bit field of the measurement types the device
  offers (byte 1: bit 0 ECG, 1 PPG, 2 ACC, 3 PPI, 5 GYRO, 6 MAG; byte 2: bit 1 SDK mode, ...).
  *Write* a request ``opcode, measurement type, parameters``; opcodes 0x01 get measurement
  settings, 0x02 request measurement start, 0x03 stop measurement. The *indication* answering
  it is ``0xF0, opcode, measurement type, status, more, parameters``; status 0 is success,
  others are the error codes of :class:`PmdStatus`. A device may also indicate ``0x01`` then
  measurement types: it stopped those streams on its own.
  Settings (in the start request and in the settings response) are ``type, count, values``
  with little-endian values: 0 sample rate (u16, Hz), 1 resolution (u16, bits), 2 range (u16,
  g or deg/s), 3 range in milli-units (u32), 4 channels (u8), 5 factor (float32, only in
  responses: the scale of compressed samples).
- data ``FB005C82-...`` (notify). A frame is ``measurement type (u8), timestamp (u64 LE,
  nanoseconds since 2000-01-01T00:00:00 on the device clock, of the LAST sample in the frame),
  frame type (u8: bit 7 set = delta compressed, bits 0-6 the type), samples``.

Frame types decoded here (units as the SDK documents them):

====== ============== ============================================================== =========
stream frame type     samples                                                        unit
====== ============== ============================================================== =========
ACC    0x00 raw       int8 x, y, z per sample                                        mG
ACC    0x01 raw       int16 LE x, y, z                                               mG
ACC    0x02 raw       int24 LE x, y, z                                               mG
ACC    0x80 delta     16-bit reference, deltas; value x factor                       g
ACC    0x81 delta     16-bit reference, deltas; value x factor                       mG
GYRO   0x80 delta     16-bit reference, deltas; value x factor                       deg/s
GYRO   0x81 delta     32-bit IEEE-754 float bit patterns, deltas on the bit patterns
                      (modulo 2^32); float value x factor                            deg/s
====== ============== ============================================================== =========

Delta compression: a reference sample (each channel a signed little-endian integer of
``ceil(resolution / 8)`` bytes), then blocks of ``bit width (u8), sample count (u8), packed
deltas``: ``count x channels`` signed two's-complement integers of ``bit width`` bits, packed
least significant bit first, sample by sample (x, y, z); the block takes
``ceil(count x channels x width / 8)`` bytes. Each sample is the previous one plus its deltas.

Sample times (:func:`sample_times_ns`, Polar's rule): the frame timestamp belongs to the last
sample; the samples of a frame are spread evenly over the interval since the previous frame's
timestamp of the same stream (the device's real rate, whatever its crystal error); the first
frame of a stream, with no previous timestamp, uses the nominal rate.

Raw counts become SI units (m/s^2, rad/s) only in :func:`decode_data_frame`.
"""

from __future__ import annotations

import enum
import math
import struct
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from imu.errors import ImuError
from imu.frames import STANDARD_GRAVITY

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PMD_SERVICE_UUID: Final = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
PMD_CONTROL_POINT_UUID: Final = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
PMD_DATA_UUID: Final = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

FEATURES_HEADER: Final = 0x0F
RESPONSE_HEADER: Final = 0xF0
MEASUREMENT_STOPPED: Final = 0x01
"""First byte of an unsolicited indication: the device stopped the listed streams."""

POLAR_EPOCH_UNIX_S: Final = 946_684_800
"""2000-01-01T00:00:00Z in Unix seconds (Polar timestamps count from there)."""

DATA_HEADER_BYTES: Final = 10
MG_TO_MS2: Final = STANDARD_GRAVITY * 1e-3
DPS_TO_RADS: Final = math.pi / 180.0


class PolarError(ImuError):
    """A Polar device refused a request, or sent bytes that do not parse (message says why)."""


class MeasurementType(enum.IntEnum):
    """PMD measurement types (the low 6 bits of the type byte)."""

    ECG = 0
    PPG = 1
    ACC = 2
    PPI = 3
    GYRO = 5
    MAG = 6
    SDK_MODE = 9


FEATURE_BITS: Final[dict[MeasurementType, tuple[int, int]]] = {
    MeasurementType.ECG: (1, 0x01),
    MeasurementType.PPG: (1, 0x02),
    MeasurementType.ACC: (1, 0x04),
    MeasurementType.PPI: (1, 0x08),
    MeasurementType.GYRO: (1, 0x20),
    MeasurementType.MAG: (1, 0x40),
    MeasurementType.SDK_MODE: (2, 0x02),
}
"""Where each measurement type sits in the features read: ``(byte index, bit mask)``."""


class Opcode(enum.IntEnum):
    """Control point requests."""

    GET_MEASUREMENT_SETTINGS = 0x01
    REQUEST_MEASUREMENT_START = 0x02
    STOP_MEASUREMENT = 0x03
    GET_SDK_MODE_SETTINGS = 0x04
    GET_MEASUREMENT_STATUS = 0x05


class PmdStatus(enum.IntEnum):
    """Status of a control point response (0 = success)."""

    SUCCESS = 0
    INVALID_OP_CODE = 1
    INVALID_MEASUREMENT_TYPE = 2
    NOT_SUPPORTED = 3
    INVALID_LENGTH = 4
    INVALID_PARAMETER = 5
    ALREADY_IN_STATE = 6
    INVALID_RESOLUTION = 7
    INVALID_SAMPLE_RATE = 8
    INVALID_RANGE = 9
    INVALID_MTU = 10
    INVALID_NUMBER_OF_CHANNELS = 11
    INVALID_STATE = 12
    DEVICE_IN_CHARGER = 13
    DISK_FULL = 14


class SettingType(enum.IntEnum):
    """Setting types of the settings TLV."""

    SAMPLE_RATE = 0
    RESOLUTION = 1
    RANGE = 2
    RANGE_MILLIUNIT = 3
    CHANNELS = 4
    FACTOR = 5


SETTING_SIZE: Final[dict[SettingType, int]] = {
    SettingType.SAMPLE_RATE: 2,
    SettingType.RESOLUTION: 2,
    SettingType.RANGE: 2,
    SettingType.RANGE_MILLIUNIT: 4,
    SettingType.CHANNELS: 1,
    SettingType.FACTOR: 4,
}

SETTING_UNIT: Final[dict[SettingType, str]] = {
    SettingType.SAMPLE_RATE: "Hz",
    SettingType.RESOLUTION: "bits",
    SettingType.RANGE: "",
    SettingType.RANGE_MILLIUNIT: "milli-units",
    SettingType.CHANNELS: "channels",
    SettingType.FACTOR: "",
}

STATUS_SETTING: Final[dict[PmdStatus, SettingType]] = {
    PmdStatus.INVALID_SAMPLE_RATE: SettingType.SAMPLE_RATE,
    PmdStatus.INVALID_RESOLUTION: SettingType.RESOLUTION,
    PmdStatus.INVALID_RANGE: SettingType.RANGE,
    PmdStatus.INVALID_NUMBER_OF_CHANNELS: SettingType.CHANNELS,
}
"""The setting an error status is about."""


def range_unit(measurement: MeasurementType) -> str:
    """Unit of the RANGE setting of a measurement type ("g" or "deg/s")."""
    return {MeasurementType.ACC: "g", MeasurementType.GYRO: "deg/s"}.get(measurement, "")


def _name(measurement: int) -> str:
    try:
        return MeasurementType(measurement).name
    except ValueError:
        return f"measurement type {measurement}"


# ----------------------------------------------------------------------------- features
def decode_features(data: bytes) -> frozenset[MeasurementType]:
    """Measurement types offered, from the value read from the control point.

    Raises:
        PolarError: the value does not start with 0x0F or is too short.

    """
    if len(data) < 2 or data[0] != FEATURES_HEADER:
        raise PolarError(
            f"PMD features read {data.hex(' ') or '(empty)'} does not start with 0x0f; "
            "is this a Polar device with the measurement-data service?"
        )
    found = set()
    for mtype, (index, mask) in FEATURE_BITS.items():
        if index < len(data) and data[index] & mask:
            found.add(mtype)
    return frozenset(found)


def encode_features(types: set[MeasurementType] | frozenset[MeasurementType]) -> bytes:
    """The control point read value offering ``types`` (the device side)."""
    out = bytearray([FEATURES_HEADER, 0, 0])
    for mtype in types:
        index, mask = FEATURE_BITS[mtype]
        out[index] |= mask
    return bytes(out)


# ----------------------------------------------------------------------------- settings
Settings = dict[SettingType, tuple[float, ...]]
"""Settings by type: the offered values (settings response) or the one chosen (requests)."""


REQUEST_SETTINGS: Final = frozenset(
    {SettingType.SAMPLE_RATE, SettingType.RESOLUTION, SettingType.RANGE,
     SettingType.RANGE_MILLIUNIT, SettingType.CHANNELS}
)
"""Setting types a request may carry (FACTOR is only ever in responses)."""


def encode_settings(settings: dict[SettingType, int | float | tuple[int | float, ...]]) -> bytes:
    """Settings as TLV bytes, in type order: each type with its values (one value or a tuple)."""
    out = bytearray()
    for stype, value in sorted(settings.items()):
        values = value if isinstance(value, tuple) else (value,)
        out += bytes([int(stype), len(values)])
        for v in values:
            if stype == SettingType.FACTOR:
                out += struct.pack("<f", float(v))
            else:
                size = SETTING_SIZE[stype]
                iv = int(v)
                if not 0 <= iv < 1 << (8 * size):
                    raise PolarError(
                        f"{stype.name} value {v} does not fit in {size} byte(s) of a PMD setting"
                    )
                out += iv.to_bytes(size, "little")
    return bytes(out)


def decode_settings(data: bytes) -> Settings:
    """Parse settings TLV bytes.

    Raises:
        PolarError: unknown setting type or the bytes end inside a setting.

    """
    out: Settings = {}
    i = 0
    while i < len(data):
        if i + 2 > len(data):
            raise PolarError(f"PMD settings end inside a setting header at byte {i}: {data.hex()}")
        try:
            stype = SettingType(data[i])
        except ValueError:
            raise PolarError(
                f"unknown PMD setting type {data[i]} at byte {i} of {data.hex()}"
            ) from None
        count = data[i + 1]
        size = SETTING_SIZE[stype]
        i += 2
        if i + count * size > len(data):
            raise PolarError(
                f"PMD setting {stype.name} announces {count} value(s) but the bytes end: "
                f"{data.hex()}"
            )
        values: list[float] = []
        for _ in range(count):
            chunk = data[i : i + size]
            if stype == SettingType.FACTOR:
                values.append(float(struct.unpack("<f", chunk)[0]))
            else:
                values.append(int.from_bytes(chunk, "little"))
            i += size
        out[stype] = tuple(values)
    return out


# ----------------------------------------------------------------------------- control point
@dataclass(frozen=True)
class Request:
    """A control point request.

    Attributes:
        opcode: what to do.
        measurement: the measurement type it is about.
        settings: chosen settings (start requests only), one value per type.

    """

    opcode: Opcode
    measurement: MeasurementType
    settings: dict[SettingType, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        extra = sorted(set(self.settings) - REQUEST_SETTINGS)
        if extra:
            names = ", ".join(SettingType(t).name for t in extra)
            raise PolarError(
                f"a PMD request cannot carry {names} (response-only); leave it out of the "
                "request settings"
            )

    def encode(self) -> bytes:
        """Bytes to write to the control point: opcode, type, one value per chosen setting."""
        return bytes([int(self.opcode), int(self.measurement)]) + encode_settings(
            dict(self.settings)
        )


def get_settings(measurement: MeasurementType) -> Request:
    """Ask which settings the device offers for a measurement."""
    return Request(Opcode.GET_MEASUREMENT_SETTINGS, measurement)


def start_measurement(
    measurement: MeasurementType, rate_hz: int, range_: int, resolution_bits: int = 16,
    channels: int = 3,
) -> Request:
    """Start a stream: rate (Hz), range (g for ACC, deg/s for GYRO), resolution, channels."""
    return Request(
        Opcode.REQUEST_MEASUREMENT_START,
        measurement,
        {
            SettingType.SAMPLE_RATE: rate_hz,
            SettingType.RESOLUTION: resolution_bits,
            SettingType.RANGE: range_,
            SettingType.CHANNELS: channels,
        },
    )


def stop_measurement(measurement: MeasurementType) -> Request:
    """Stop a stream."""
    return Request(Opcode.STOP_MEASUREMENT, measurement)


def decode_request(data: bytes) -> Request:
    """Parse a control point write (the device side).

    Raises:
        PolarError: too short, unknown opcode or measurement type, or bad settings; the
            message starts with the status the device should answer.

    """
    if len(data) < 2:
        raise PolarError(f"INVALID_LENGTH: control point write {data.hex()} is too short")
    try:
        opcode = Opcode(data[0])
    except ValueError:
        raise PolarError(f"INVALID_OP_CODE: opcode 0x{data[0]:02x}") from None
    try:
        measurement = MeasurementType(data[1] & 0x3F)
    except ValueError:
        raise PolarError(f"INVALID_MEASUREMENT_TYPE: measurement type {data[1]}") from None
    try:
        settings = decode_settings(data[2:])
        return Request(opcode, measurement, {k: int(v[0]) for k, v in settings.items() if v})
    except PolarError as exc:
        raise PolarError(f"INVALID_PARAMETER: {exc}") from exc


@dataclass(frozen=True)
class Response:
    """A control point response.

    Attributes:
        opcode: the request it answers (its first byte).
        measurement: measurement type byte of the request.
        status: success or the error.
        more: True when more response indications follow.
        parameters: the rest (settings for GET_MEASUREMENT_SETTINGS and start).

    """

    opcode: int
    measurement: int
    status: PmdStatus
    more: bool = False
    parameters: bytes = b""

    @property
    def ok(self) -> bool:
        """True on success."""
        return self.status == PmdStatus.SUCCESS

    def encode(self) -> bytes:
        """The indication bytes (the device side)."""
        head = bytes([RESPONSE_HEADER, self.opcode, self.measurement, int(self.status)])
        if self.status != PmdStatus.SUCCESS:
            return head
        return head + bytes([1 if self.more else 0]) + self.parameters


def decode_response(data: bytes) -> Response:
    """Parse a control point indication that answers a request.

    Raises:
        PolarError: not a response (wrong first byte), too short, or an unknown status.

    """
    if len(data) < 4 or data[0] != RESPONSE_HEADER:
        raise PolarError(
            f"PMD control point indication {data.hex(' ') or '(empty)'} is not a response "
            "(expected 0xf0, opcode, type, status)"
        )
    try:
        status = PmdStatus(data[3])
    except ValueError:
        raise PolarError(f"PMD response has unknown status {data[3]}: {data.hex(' ')}") from None
    if status != PmdStatus.SUCCESS:
        return Response(data[1], data[2], status)
    more = len(data) > 4 and data[4] != 0
    return Response(data[1], data[2], status, more, bytes(data[5:]))


def describe_error(
    response: Response, request: Request, offered: Settings | None = None, device: str = "device"
) -> str:
    """A sentence naming what the device refused and how to fix it."""
    what = f"{_name(request.measurement)} {request.opcode.name.lower().replace('_', ' ')}"
    status = response.status
    setting = STATUS_SETTING.get(status)
    if setting is not None and setting in request.settings:
        value = request.settings[setting]
        unit = range_unit(request.measurement) if setting == SettingType.RANGE else (
            SETTING_UNIT[setting]
        )
        text = (
            f"{device} refused {what}: {status.name}: {setting.name.lower().replace('_', ' ')} "
            f"{value} {unit}".rstrip()
        )
        if offered and offered.get(setting):
            choices = ", ".join(f"{v:g}" for v in sorted(offered[setting]))
            text += f" is not supported; it offers {choices} {unit}".rstrip()
        return text
    hint = {
        PmdStatus.NOT_SUPPORTED: "the device does not offer this measurement",
        PmdStatus.INVALID_MEASUREMENT_TYPE: "the device does not know this measurement type",
        PmdStatus.ALREADY_IN_STATE: "the stream is already in that state",
        PmdStatus.DEVICE_IN_CHARGER: "take the sensor off its charger",
        PmdStatus.INVALID_STATE: "the device is busy (recording or in another mode)",
        PmdStatus.INVALID_MTU: "the ATT MTU is too small for this stream",
    }.get(status, "")
    return f"{device} refused {what}: {status.name}" + (f" ({hint})" if hint else "")


def check_settings(
    measurement: MeasurementType, chosen: dict[SettingType, int], offered: Settings,
    device: str = "device",
) -> None:
    """Raise :class:`PolarError` naming the first chosen setting the device does not offer."""
    for stype, value in chosen.items():
        values = offered.get(stype)
        if values and value not in values:
            unit = range_unit(measurement) if stype == SettingType.RANGE else SETTING_UNIT[stype]
            choices = ", ".join(f"{v:g}" for v in sorted(values))
            flag = {SettingType.SAMPLE_RATE: " (--rate)", SettingType.RANGE: (
                " (--acc-range)" if measurement == MeasurementType.ACC else " (--gyr-range)"
            )}.get(stype, "")
            raise PolarError(
                f"{device} does not support {measurement.name} "
                f"{stype.name.lower().replace('_', ' ')} {value} {unit}".rstrip()
                + f"; it offers {choices} {unit}".rstrip()
                + f"; choose one of those{flag}"
            )


# ----------------------------------------------------------------------------- delta compression
def _bits_for(values: IntArray) -> int:
    """Smallest two's-complement width (>= 1 bit) holding every value."""
    if values.size == 0:
        return 1
    lo, hi = int(values.min()), int(values.max())
    width = 1
    while not (-(1 << (width - 1)) <= lo and hi <= (1 << (width - 1)) - 1):
        width += 1
    return width


def _wrap_signed(values: IntArray, bits: int) -> IntArray:
    """``values`` modulo ``2**bits`` as signed ``bits``-bit integers."""
    span = np.int64(1) << np.int64(bits)
    half = np.int64(1) << np.int64(bits - 1)
    return ((values + half) % span) - half


def encode_delta_samples(
    samples: npt.ArrayLike, resolution_bits: int = 16, block_sizes: list[int] | None = None,
    wrap: bool = False,
) -> bytes:
    """Delta-compress ``(n, channels)`` integer samples (reference + blocks).

    Args:
        samples: ``(n, c)`` integers, n >= 1, each fitting ``resolution_bits`` signed.
        resolution_bits: size of the reference sample's channels.
        block_sizes: samples per delta block (sum n - 1, each 1..255); default: blocks of up
            to 255 samples. Each block gets the smallest bit width holding its deltas.
        wrap: deltas modulo ``2**resolution_bits`` (float bit patterns: the decoder adds them
            modulo the same), so no delta needs more than ``resolution_bits`` bits.

    """
    arr = np.asarray(samples, dtype=np.int64)
    if arr.ndim != 2 or arr.shape[0] < 1:
        raise PolarError(f"samples must have shape (n >= 1, channels), got {arr.shape}")
    ref_bytes = math.ceil(resolution_bits / 8)
    limit = 1 << (resolution_bits - 1)
    if arr.min() < -limit or arr.max() >= limit:
        raise PolarError(f"samples do not fit {resolution_bits}-bit signed integers")
    out = bytearray()
    for v in arr[0]:
        out += int(v).to_bytes(ref_bytes, "little", signed=True)
    deltas = np.diff(arr, axis=0)
    if wrap:
        deltas = _wrap_signed(deltas, resolution_bits)
    n = deltas.shape[0]
    if block_sizes is None:
        block_sizes = [min(255, n - i) for i in range(0, n, 255)]
    if sum(block_sizes) != n or any(not 1 <= b <= 255 for b in block_sizes):
        raise PolarError(f"block sizes {block_sizes} must each be 1..255 and sum to {n}")
    start = 0
    for size in block_sizes:
        block = deltas[start : start + size]
        start += size
        width = _bits_for(block)
        flat = block.reshape(-1)
        unsigned = (flat & ((1 << width) - 1)).astype(np.uint64)
        bits = ((unsigned[:, None] >> np.arange(width, dtype=np.uint64)) & 1).astype(np.uint8)
        packed = np.packbits(bits.reshape(-1), bitorder="little")
        out += bytes([width, size]) + packed.tobytes()
    return bytes(out)


def decode_delta_samples(data: bytes, channels: int, resolution_bits: int) -> IntArray:
    """Decode a delta-compressed sample block to ``(n, channels)`` integers.

    Raises:
        PolarError: the bytes end inside the reference or a block, or a bit width is 0 or > 32.

    """
    ref_bytes = math.ceil(resolution_bits / 8)
    if len(data) < channels * ref_bytes:
        raise PolarError(
            f"compressed PMD frame has {len(data)} sample bytes, fewer than its reference "
            f"sample ({channels} x {ref_bytes})"
        )
    ref = np.array(
        [
            int.from_bytes(data[i * ref_bytes : (i + 1) * ref_bytes], "little", signed=True)
            for i in range(channels)
        ],
        dtype=np.int64,
    )
    rows = [ref[None, :]]
    i = channels * ref_bytes
    while i < len(data):
        if i + 2 > len(data):
            raise PolarError(f"compressed PMD frame ends inside a block header at byte {i}")
        width, count = data[i], data[i + 1]
        i += 2
        if not 1 <= width <= 32:
            raise PolarError(f"compressed PMD block has bit width {width}; expected 1..32")
        nbytes = math.ceil(count * channels * width / 8)
        if i + nbytes > len(data):
            raise PolarError(
                f"compressed PMD block of {count} samples x {width} bits needs {nbytes} bytes, "
                f"only {len(data) - i} left"
            )
        bits = np.unpackbits(
            np.frombuffer(data[i : i + nbytes], dtype=np.uint8), bitorder="little"
        )[: count * channels * width].reshape(count * channels, width)
        values = bits.astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
        values = np.where(values >= (1 << (width - 1)), values - (1 << width), values)
        rows.append(values.reshape(count, channels))
        i += nbytes
    deltas = np.concatenate(rows, axis=0)
    return np.cumsum(deltas, axis=0)


def float_bits(values: npt.ArrayLike) -> IntArray:
    """float32 values as their IEEE-754 bit patterns, signed 32-bit integers (same shape)."""
    return np.asarray(values, dtype="<f4").view("<i4").astype(np.int64)


def bits_to_float(patterns: IntArray) -> FloatArray:
    """32-bit patterns (any integers, taken modulo 2**32) as float32 values, float64 out."""
    wrapped = _wrap_signed(np.asarray(patterns, dtype=np.int64), 32).astype("<i4")
    return wrapped.view("<f4").astype(np.float64)


# ----------------------------------------------------------------------------- sample times
MAX_TIMESTAMP_NS: Final = 2**63 - 1
"""Largest frame timestamp placed, ns (the u64 field's signed range: times stay int64)."""

MAX_FAST_FACTOR: Final = 2.0
"""A frame whose samples would come at more than this many times the nominal rate is refused."""

MAX_SLOW_FACTOR: Final = 1.1
"""A frame interval over this many nominal periods per sample means frames were lost before it:
the frame is placed at the nominal rate and the time before it is a hole."""


def sample_times_ns(
    timestamp_ns: int, n_samples: int, rate_hz: float, previous_ns: int | None = None,
) -> IntArray:
    """Device time of each sample of a frame (Polar's rule), ns since 2000-01-01.

    The last sample is at ``timestamp_ns``. With the previous frame's timestamp of the same
    stream, the ``n`` samples are spread evenly over ``(previous_ns, timestamp_ns]``: sample
    ``i`` at ``previous_ns + (i + 1) * (timestamp_ns - previous_ns) / n`` (the device's real
    interval). Without one (the first frame of a stream, or after a restart), and when the
    interval is longer than ``MAX_SLOW_FACTOR`` nominal periods per sample (frames were lost
    in between), they are ``1 / rate_hz`` apart.

    Args:
        timestamp_ns: the frame's timestamp (its last sample), ns.
        n_samples: samples in the frame, >= 1.
        rate_hz: the stream's nominal rate, Hz (> 0).
        previous_ns: the previous frame's timestamp of this stream, ns, or None.

    Returns:
        ``(n,)`` int64 times, ns, strictly increasing, never negative.

    Raises:
        PolarError: no samples, a rate that is not positive, a timestamp not after the
            previous one, samples more than ``MAX_FAST_FACTOR`` times the nominal rate, or a
            first sample before the epoch (the timestamp cannot hold its samples).

    """
    if n_samples < 1:
        raise PolarError(f"a PMD frame with {n_samples} samples has no sample times")
    if not 0 <= timestamp_ns <= MAX_TIMESTAMP_NS:
        raise PolarError(
            f"PMD frame timestamp {timestamp_ns} ns is outside the device clock's range "
            f"(0 to {MAX_TIMESTAMP_NS} ns, about 292 years); frame dropped"
        )
    if not (math.isfinite(rate_hz) and rate_hz > 0):
        raise PolarError(
            f"cannot place PMD samples at a sample rate of {rate_hz} Hz; the stream's rate "
            "must be positive (start the stream with a rate the device offers)"
        )
    period_ns = 1e9 / rate_hz
    steps = np.arange(1, n_samples + 1, dtype=np.float64)
    if previous_ns is not None:
        interval = timestamp_ns - previous_ns
        if interval <= 0:
            raise PolarError(
                f"PMD frame timestamp {timestamp_ns} ns is not after the previous frame's "
                f"{previous_ns} ns (timestamps went backwards by {-interval} ns); frame dropped"
            )
        spacing = interval / n_samples
        if spacing * MAX_FAST_FACTOR < period_ns:
            raise PolarError(
                f"PMD frame of {n_samples} samples stamped {interval} ns after the previous one "
                f"cannot hold its samples at {rate_hz:g} Hz (they would be {spacing:.0f} ns "
                f"apart, nominal {period_ns:.0f} ns); frame dropped"
            )
        if spacing <= MAX_SLOW_FACTOR * period_ns:
            times = previous_ns + np.round(steps * spacing).astype(np.int64)
            times[-1] = timestamp_ns
            return times
    first = timestamp_ns - (n_samples - 1) * period_ns
    if first < 0:
        raise PolarError(
            f"PMD frame stamped at {timestamp_ns} ns cannot hold its {n_samples} samples at "
            f"{rate_hz:g} Hz: the first would be at {first:.0f} ns, before the device epoch; "
            "frame dropped"
        )
    times = timestamp_ns - np.round((n_samples - steps) * period_ns).astype(np.int64)
    times[-1] = timestamp_ns
    return times


# ----------------------------------------------------------------------------- data frames
COMPRESSED: Final = 0x80

_RAW_ACC_BYTES: Final = {0: 1, 1: 2, 2: 3}


@dataclass(frozen=True)
class DataFrame:
    """One decoded PMD data frame.

    Attributes:
        measurement: ACC or GYRO.
        timestamp_ns: device time of the last sample, ns since 2000-01-01.
        frame_type: the frame type byte (bit 7: compressed).
        values: ``(n, 3)`` samples in SI units: m/s^2 (ACC) or rad/s (GYRO).

    """

    measurement: MeasurementType
    timestamp_ns: int
    frame_type: int
    values: FloatArray

    @property
    def n_samples(self) -> int:
        """Samples in the frame."""
        return int(self.values.shape[0])

    def sample_times_ns(self, rate_hz: float, previous_ns: int | None = None) -> IntArray:
        """Device time of each sample, ns (:func:`sample_times_ns`; raises PolarError)."""
        return sample_times_ns(self.timestamp_ns, self.n_samples, rate_hz, previous_ns)


def frame_measurement(data: bytes) -> int:
    """The measurement type byte (low 6 bits) of a data frame, or -1 if empty."""
    return data[0] & 0x3F if data else -1


def decode_data_frame(data: bytes, factor: float = 1.0) -> DataFrame:
    """Decode an ACC or GYRO data frame into SI units.

    Args:
        data: the notification value.
        factor: the FACTOR from the start response of this measurement (scales compressed
            samples; raw frames carry mG directly).

    Raises:
        PolarError: too short, another measurement type, an unsupported frame type, or a
            sample block that does not parse.

    """
    if len(data) < DATA_HEADER_BYTES:
        raise PolarError(f"PMD data frame of {len(data)} bytes is shorter than its 10-byte header")
    mbyte = data[0] & 0x3F
    timestamp = int.from_bytes(data[1:9], "little")
    ftype = data[9]
    body = bytes(data[DATA_HEADER_BYTES:])
    compressed = bool(ftype & COMPRESSED)
    kind = ftype & 0x7F
    if mbyte == MeasurementType.ACC:
        if compressed and kind in (0, 1):
            counts = decode_delta_samples(body, 3, 16).astype(np.float64)
            scale = factor * (STANDARD_GRAVITY if kind == 0 else MG_TO_MS2)
            values = counts * scale
        elif not compressed and kind in _RAW_ACC_BYTES:
            size = _RAW_ACC_BYTES[kind]
            if len(body) % (3 * size):
                raise PolarError(
                    f"raw ACC frame type {kind}: {len(body)} sample bytes is not a multiple of "
                    f"{3 * size}"
                )
            raw = np.frombuffer(body, dtype=np.uint8).reshape(-1, size).astype(np.int64)
            ints = raw @ (np.int64(1) << (8 * np.arange(size, dtype=np.int64)))
            ints = np.where(ints >= 1 << (8 * size - 1), ints - (1 << (8 * size)), ints)
            values = ints.reshape(-1, 3).astype(np.float64) * MG_TO_MS2
        else:
            raise PolarError(
                f"ACC frame type 0x{ftype:02x} is not supported (0x00-0x02, 0x80, 0x81)"
            )
        measurement = MeasurementType.ACC
    elif mbyte == MeasurementType.GYRO:
        if compressed and kind == 0:
            counts = decode_delta_samples(body, 3, 16).astype(np.float64)
        elif compressed and kind == 1:
            counts = bits_to_float(decode_delta_samples(body, 3, 32))
            if not np.isfinite(counts).all():
                raise PolarError("GYRO frame type 0x81 holds a sample that is not a finite float")
        else:
            raise PolarError(f"GYRO frame type 0x{ftype:02x} is not supported (0x80, 0x81)")
        values = counts * (factor * DPS_TO_RADS)
        measurement = MeasurementType.GYRO
    else:
        raise PolarError(f"PMD data frame of {_name(mbyte)} is not an ACC or GYRO frame")
    if values.shape[0] == 0:
        raise PolarError("PMD data frame holds no samples")
    return DataFrame(measurement, timestamp, ftype, values)


def encode_data_frame(
    measurement: MeasurementType, timestamp_ns: int, counts: npt.ArrayLike, frame_type: int,
    block_sizes: list[int] | None = None,
) -> bytes:
    """Build a data frame from integer samples (the device side, and tests).

    Args:
        measurement: ACC or GYRO.
        timestamp_ns: device time of the last sample, ns since 2000-01-01.
        counts: ``(n, 3)``: raw mG for raw ACC types, integer counts (value / factor) for
            compressed integer types, float values (value / factor) for GYRO 0x81.
        frame_type: one of the types :func:`decode_data_frame` reads.
        block_sizes: delta block sizes for compressed types (see :func:`encode_delta_samples`).

    """
    head = bytes([int(measurement)]) + int(timestamp_ns).to_bytes(8, "little") + bytes([frame_type])
    if measurement == MeasurementType.GYRO and frame_type == COMPRESSED | 1:
        return head + encode_delta_samples(float_bits(counts), 32, block_sizes, wrap=True)
    arr = np.asarray(counts, dtype=np.int64)
    if frame_type & COMPRESSED:
        return head + encode_delta_samples(arr, 16, block_sizes)
    size = _RAW_ACC_BYTES[frame_type]
    return head + b"".join(int(v).to_bytes(size, "little", signed=True) for v in arr.reshape(-1))


def polar_ns_to_unix_s(timestamp_ns: int) -> float:
    """Polar device time (ns since 2000-01-01) as Unix seconds."""
    return POLAR_EPOCH_UNIX_S + timestamp_ns * 1e-9
