"""IMU data frames: encode and decode one frame, decode a batch of frames into SI arrays.

A frame is the value of one notification of the IMU data characteristic (layouts in
:mod:`firmware_protocol.spec`)::

    version u8 | seq u16 | timestamp_us u32 | sample_count u8 | sample_count x (6 x int16)

Raw counts become SI units in exactly one place: :func:`decode_frames`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import numpy.typing as npt

from firmware_protocol import spec
from firmware_protocol.errors import ProtocolError
from firmware_protocol.version import (
    PROTOCOL_VERSION,
    ProtocolVersion,
    check_supported,
    pack_version_byte,
    unpack_version_byte,
)

logger = logging.getLogger(__name__)

Buffer = bytes | bytearray | memoryview
"""Anything a frame can be decoded from."""

Sample = tuple[int, int, int, int, int, int]
"""One sample as raw counts: ``(acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z)``."""

HEADER_SIZE = spec.FRAME_HEADER.size
SAMPLE_SIZE = spec.SAMPLE.size
AXES_PER_SAMPLE = len(spec.SAMPLE.fields)

HEADER_DTYPE = np.dtype([(f.name, "<" + f.code) for f in spec.FRAME_HEADER.fields])
"""numpy structured dtype of :data:`spec.FRAME_HEADER` (8 bytes, no padding)."""

SAMPLE_DTYPE = np.dtype("<i2")
"""numpy dtype of one axis of a sample (little-endian int16)."""

_INT16_MIN = -(1 << 15)
_INT16_MAX = (1 << 15) - 1


def max_samples_per_frame(mtu: int) -> int:
    """Most samples one frame may carry at the negotiated ATT_MTU ``mtu`` (bytes).

    Same as :func:`firmware_protocol.spec.max_samples_per_frame`: the notification payload is
    ``mtu - 3`` bytes (capped at 512). Raises :class:`ProtocolError` if ``mtu`` is too small for
    one sample (below 23).
    """
    return spec.max_samples_per_frame(mtu)


@dataclass(frozen=True)
class Frame:
    """One decoded frame with raw int16 counts.

    Attributes:
        seq: sequence number, 0..65535 (wraps).
        timestamp_us: device clock at the first sample, microseconds, 0..2^32-1 (wraps).
        samples: ``sample_count`` samples, each ``(acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z)``
            in counts (int16).
        version: protocol version written in (or read from) the frame.

    """

    seq: int
    timestamp_us: int
    samples: tuple[Sample, ...]
    version: ProtocolVersion = PROTOCOL_VERSION

    @classmethod
    def from_counts(
        cls,
        seq: int,
        timestamp_us: int,
        counts: npt.ArrayLike,
        version: ProtocolVersion = PROTOCOL_VERSION,
    ) -> Frame:
        """Build a frame from an ``(n, 6)`` array of counts (acc xyz, gyr xyz)."""
        arr = np.asarray(counts)
        if arr.ndim != 2 or arr.shape[1] != AXES_PER_SAMPLE:
            raise ProtocolError(
                f"counts must have shape (n, {AXES_PER_SAMPLE}), got {arr.shape}"
            )
        rows = tuple(tuple(int(v) for v in row) for row in arr.tolist())
        return cls(seq, timestamp_us, rows, version)  # type: ignore[arg-type]

    def counts(self) -> npt.NDArray[np.int16]:
        """Return the samples as an ``(n, 6)`` int16 array of counts (acc xyz, gyr xyz)."""
        return np.array(self.samples, dtype=np.int16).reshape(-1, AXES_PER_SAMPLE)


def _check_uint(value: int, bits: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < (1 << bits):
        raise ProtocolError(f"{name} must be an integer in 0..{(1 << bits) - 1}, got {value!r}")


def encode_frame(frame: Frame, mtu: int | None = None) -> bytes:
    """Encode ``frame`` to the bytes of one notification.

    If ``mtu`` is given, the frame must fit its notification payload (``mtu - 3`` bytes).
    Raises :class:`ProtocolError` for out-of-range fields or too many samples.
    """
    _check_uint(frame.seq, 16, "seq")
    _check_uint(frame.timestamp_us, 32, "timestamp_us")
    n = len(frame.samples)
    limit = spec.MAX_SAMPLES_PER_FRAME if mtu is None else spec.max_samples_per_frame(mtu)
    if not spec.MIN_SAMPLES_PER_FRAME <= n <= limit:
        where = "any frame" if mtu is None else f"a frame at ATT MTU {mtu}"
        raise ProtocolError(f"{where} carries 1..{limit} samples, got {n}")
    try:
        counts = np.array(frame.samples)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"samples must be rows of 6 integers: {exc}") from None
    if counts.shape != (n, AXES_PER_SAMPLE):
        raise ProtocolError(
            f"samples must be {n} rows of {AXES_PER_SAMPLE} counts, got shape {counts.shape}"
        )
    if counts.dtype.kind not in "iu":
        raise ProtocolError(f"sample counts must be integers, got dtype {counts.dtype}")
    if counts.min() < _INT16_MIN or counts.max() > _INT16_MAX:
        raise ProtocolError(
            f"sample counts must be int16 ({_INT16_MIN}..{_INT16_MAX}), "
            f"got {counts.min()}..{counts.max()}"
        )
    header = np.zeros((), dtype=HEADER_DTYPE)
    header["version"] = pack_version_byte(frame.version)
    header["seq"] = frame.seq
    header["timestamp_us"] = frame.timestamp_us
    header["sample_count"] = n
    return header.tobytes() + counts.astype(SAMPLE_DTYPE).tobytes()


def _parse_header(payload: Buffer) -> tuple[ProtocolVersion, int, int, int]:
    """Validate a frame's header and length; return ``(version, seq, timestamp_us, count)``."""
    size = len(payload)
    if size < HEADER_SIZE + SAMPLE_SIZE:
        raise ProtocolError(
            f"frame of {size} bytes is too short: a frame has an {HEADER_SIZE}-byte header and "
            f"at least one {SAMPLE_SIZE}-byte sample ({HEADER_SIZE + SAMPLE_SIZE} bytes)"
        )
    if size > spec.MAX_FRAME_LEN:
        raise ProtocolError(
            f"frame of {size} bytes is longer than a GATT attribute value can be "
            f"({spec.MAX_FRAME_LEN} bytes)"
        )
    header = np.frombuffer(payload, dtype=HEADER_DTYPE, count=1)[0]
    version = unpack_version_byte(int(header["version"]))
    check_supported(version, "frame")
    count = int(header["sample_count"])
    if not spec.MIN_SAMPLES_PER_FRAME <= count <= spec.MAX_SAMPLES_PER_FRAME:
        raise ProtocolError(
            f"frame declares sample_count {count}; a frame carries "
            f"{spec.MIN_SAMPLES_PER_FRAME}..{spec.MAX_SAMPLES_PER_FRAME} samples"
        )
    expected = HEADER_SIZE + SAMPLE_SIZE * count
    if size < expected:
        raise ProtocolError(
            f"frame of {size} bytes is truncated: sample_count {count} needs {expected} bytes "
            f"({HEADER_SIZE} + {count} x {SAMPLE_SIZE})"
        )
    if size > expected:
        if not version.is_newer_minor:
            raise ProtocolError(
                f"frame of {size} bytes has {size - expected} bytes too many: a version "
                f"{version} frame with sample_count {count} is exactly {expected} bytes"
            )
        logger.debug("ignoring %d trailing bytes of a version %s frame", size - expected, version)
    return version, int(header["seq"]), int(header["timestamp_us"]), count


def decode_frame(payload: Buffer) -> Frame:
    """Decode one notification of the IMU data characteristic into a :class:`Frame`.

    Raises :class:`ProtocolError` for a wrong length, a sample count that does not match the
    length, or another major version. Trailing bytes of a newer minor version are ignored.
    """
    version, seq, timestamp_us, count = _parse_header(payload)
    counts = np.frombuffer(
        payload, dtype=SAMPLE_DTYPE, count=count * AXES_PER_SAMPLE, offset=HEADER_SIZE
    )
    rows = counts.reshape(count, AXES_PER_SAMPLE).tolist()
    samples = tuple(tuple(row) for row in rows)
    return Frame(seq, timestamp_us, samples, version)  # type: ignore[arg-type]


@dataclass(frozen=True)
class StreamPosition:
    """Where a stream of frames stands after its last decoded frame (to chain batches).

    Attributes:
        seq: sequence number of the last frame.
        timestamp_us: raw (wrapped) device timestamp of the last frame, microseconds.
        unwrapped_us: the same timestamp unwrapped across all wraps so far, microseconds.

    """

    seq: int
    timestamp_us: int
    unwrapped_us: int


@dataclass(frozen=True, eq=False)
class DecodedBatch:
    """Frames decoded into SI arrays. ``F`` frames holding ``N`` samples in total.

    Attributes:
        seq: ``(F,)`` uint16, sequence number of each frame.
        gaps: ``(F,)`` int64, frames missing just before each frame (wrap-aware); the first
            entry compares with the ``previous`` position given to :func:`decode_frames`, or is
            0 without one.
        frame_timestamp_us: ``(F,)`` int64, device timestamp of each frame's first sample,
            unwrapped, microseconds.
        frame_start: ``(F,)`` int64, index into the sample arrays of each frame's first sample.
        time_s: ``(N,)`` float64, device time of each sample, seconds (unwrapped frame timestamp
            plus ``i / sampling_rate_hz`` for the ``i``-th sample of the frame).
        acc: ``(N, 3)`` float64, specific force in the sensor frame, m/s^2.
        gyr: ``(N, 3)`` float64, angular rate in the sensor frame, rad/s.
        end: position after the last frame (pass as ``previous`` to the next call), or the
            ``previous`` given when there were no frames.

    """

    seq: npt.NDArray[np.uint16]
    gaps: npt.NDArray[np.int64]
    frame_timestamp_us: npt.NDArray[np.int64]
    frame_start: npt.NDArray[np.int64]
    time_s: npt.NDArray[np.float64]
    acc: npt.NDArray[np.float64]
    gyr: npt.NDArray[np.float64]
    end: StreamPosition | None

    @property
    def n_frames(self) -> int:
        """Number of frames ``F``."""
        return int(self.seq.shape[0])

    @property
    def n_samples(self) -> int:
        """Number of samples ``N``."""
        return int(self.time_s.shape[0])

    @property
    def missing_frames(self) -> int:
        """Total frames missing (sum of :attr:`gaps`)."""
        return int(self.gaps.sum())


def check_config(acc_range_g: float, gyr_range_dps: float, sampling_rate_hz: float) -> None:
    """Raise :class:`ProtocolError` unless the ranges are supported and the rate is positive."""
    if acc_range_g not in spec.ACC_RANGES_G:
        raise ProtocolError(
            f"accelerometer range {acc_range_g!r} g is not supported; use one of "
            f"{spec.ACC_RANGES_G}"
        )
    if gyr_range_dps not in spec.GYR_RANGES_DPS:
        raise ProtocolError(
            f"gyroscope range {gyr_range_dps!r} dps is not supported; use one of "
            f"{spec.GYR_RANGES_DPS}"
        )
    rate = sampling_rate_hz
    if isinstance(rate, bool) or not isinstance(rate, Real) or not math.isfinite(rate) or rate <= 0:
        raise ProtocolError(
            f"sampling_rate_hz must be a positive finite number, got {sampling_rate_hz!r}"
        )


def _signed_wrap(delta: npt.NDArray[np.int64], modulus: int) -> npt.NDArray[np.int64]:
    """Map differences modulo ``modulus`` to ``[-modulus/2, modulus/2)``."""
    half = modulus // 2
    return ((delta + half) % modulus) - half


def decode_frames(
    payloads: Sequence[Buffer],
    acc_range_g: float,
    gyr_range_dps: float,
    sampling_rate_hz: float,
    previous: StreamPosition | None = None,
) -> DecodedBatch:
    """Decode many frames at once into SI arrays (vectorised, no per-sample Python loop).

    Args:
        payloads: notification values of the IMU data characteristic, in arrival order.
        acc_range_g: accelerometer full scale of the stream, +-g (one of ``spec.ACC_RANGES_G``).
        gyr_range_dps: gyroscope full scale, +-deg/s (one of ``spec.GYR_RANGES_DPS``).
        sampling_rate_hz: output data rate of the stream, Hz; spaces samples within a frame.
        previous: :attr:`DecodedBatch.end` of the batch before, to continue gap detection and
            timestamp unwrapping across batches. Without it, the first frame's timestamp is
            taken as is and its gap is 0.

    Returns:
        A :class:`DecodedBatch`. Timestamps are unwrapped assuming consecutive frames are less
        than 2^31 us (~35.8 min) apart; sequence gaps assume fewer than 65536 frames are lost
        in a row.

    Raises:
        ProtocolError: if any payload is malformed (same rules as :func:`decode_frame`) or the
            configuration is not supported.

    """
    check_config(acc_range_g, gyr_range_dps, sampling_rate_hz)
    n_frames = len(payloads)
    lengths = np.fromiter((len(p) for p in payloads), dtype=np.int64, count=n_frames)
    bad = (lengths < HEADER_SIZE + SAMPLE_SIZE) | (lengths > spec.MAX_FRAME_LEN)
    if bad.any():
        _raise_for(payloads, int(np.flatnonzero(bad)[0]))
    buf = np.frombuffer(b"".join(payloads), dtype=np.uint8)
    offsets = np.zeros(n_frames, dtype=np.int64)
    if n_frames:
        np.cumsum(lengths[:-1], out=offsets[1:])

    # Headers: gather the first 8 bytes of every frame, view them as the structured dtype.
    header_bytes = buf[offsets[:, None] + np.arange(HEADER_SIZE)]
    headers = np.ascontiguousarray(header_bytes).view(HEADER_DTYPE).reshape(n_frames)
    major = headers["version"] >> 4
    minor = headers["version"] & 0x0F
    counts = headers["sample_count"].astype(np.int64)
    expected = HEADER_SIZE + SAMPLE_SIZE * counts
    newer_minor = (major == PROTOCOL_VERSION.major) & (minor > PROTOCOL_VERSION.minor)
    bad = (
        (major != PROTOCOL_VERSION.major)
        | (counts < spec.MIN_SAMPLES_PER_FRAME)
        | (counts > spec.MAX_SAMPLES_PER_FRAME)
        | (lengths < expected)
        | ((lengths > expected) & ~newer_minor)
    )
    if bad.any():
        _raise_for(payloads, int(np.flatnonzero(bad)[0]))

    # Samples: the start byte of every sample, then gather 12-byte rows from a strided view.
    frame_start = np.cumsum(counts) - counts
    within = np.arange(int(counts.sum())) - np.repeat(frame_start, counts)
    sample_offsets = np.repeat(offsets + HEADER_SIZE, counts) + SAMPLE_SIZE * within
    if buf.shape[0] >= SAMPLE_SIZE:
        rows = np.lib.stride_tricks.sliding_window_view(buf, SAMPLE_SIZE)[sample_offsets]
    else:
        rows = np.zeros((0, SAMPLE_SIZE), dtype=np.uint8)
    raw: npt.NDArray[np.int16] = np.ascontiguousarray(rows).view(SAMPLE_DTYPE)
    raw = raw.reshape(-1, AXES_PER_SAMPLE)
    acc = (raw[:, :3] * spec.acc_lsb_ms2(acc_range_g)).astype(np.float64, copy=False)
    gyr = (raw[:, 3:] * spec.gyr_lsb_rads(gyr_range_dps)).astype(np.float64, copy=False)

    # Sequence gaps, wrap-aware.
    seq = headers["seq"].astype(np.uint16)
    seq64 = seq.astype(np.int64)
    gaps = np.zeros(n_frames, dtype=np.int64)
    if n_frames:
        gaps[1:] = (seq64[1:] - seq64[:-1] - 1) % spec.SEQ_MODULUS
        if previous is not None:
            gaps[0] = (seq64[0] - previous.seq - 1) % spec.SEQ_MODULUS
    if gaps.any():
        logger.debug("%d frames missing in %d gaps", int(gaps.sum()), int(np.count_nonzero(gaps)))

    # Timestamps, unwrapped: consecutive differences taken modulo 2^32 as signed values.
    ts = headers["timestamp_us"].astype(np.int64)
    unwrapped = np.zeros(n_frames, dtype=np.int64)
    end = previous
    if n_frames:
        if previous is None:
            start = int(ts[0])
        else:
            step = _signed_wrap(np.array([ts[0] - previous.timestamp_us]), spec.TIMESTAMP_MODULUS)
            start = previous.unwrapped_us + int(step[0])
        steps = _signed_wrap(np.diff(ts), spec.TIMESTAMP_MODULUS)
        unwrapped[0] = start
        np.cumsum(steps, out=unwrapped[1:])
        unwrapped[1:] += start
        end = StreamPosition(int(seq[-1]), int(ts[-1]), int(unwrapped[-1]))

    time_s = (
        np.repeat(unwrapped, counts).astype(np.float64) * spec.TIMESTAMP_UNIT_S
        + within / float(sampling_rate_hz)
    )
    return DecodedBatch(
        seq=seq,
        gaps=gaps,
        frame_timestamp_us=unwrapped,
        frame_start=frame_start,
        time_s=time_s,
        acc=acc,
        gyr=gyr,
        end=end,
    )


def _raise_for(payloads: Sequence[Buffer], index: int) -> None:
    """Raise the :func:`decode_frame` error of ``payloads[index]``, naming the frame index."""
    try:
        _parse_header(payloads[index])
    except ProtocolError as exc:
        raise ProtocolError(f"frame {index} of the batch: {exc}") from None
    raise ProtocolError(f"frame {index} of the batch is malformed")  # pragma: no cover


def counts_from_si(
    acc_ms2: npt.ArrayLike,
    gyr_rads: npt.ArrayLike,
    acc_range_g: float,
    gyr_range_dps: float,
) -> npt.NDArray[np.int16]:
    """Quantise SI samples to counts like the sensor does (round to nearest, saturate).

    Args:
        acc_ms2: ``(n, 3)`` specific force, m/s^2.
        gyr_rads: ``(n, 3)`` angular rate, rad/s.
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.

    Returns:
        ``(n, 6)`` int16 counts, acc xyz then gyr xyz, clipped to -32768..32767.

    """
    check_config(acc_range_g, gyr_range_dps, 1.0)
    acc = np.asarray(acc_ms2, dtype=np.float64)
    gyr = np.asarray(gyr_rads, dtype=np.float64)
    if acc.ndim != 2 or acc.shape[1] != 3 or gyr.shape != acc.shape:
        raise ProtocolError(
            f"acc_ms2 and gyr_rads must both have shape (n, 3), got {acc.shape} and {gyr.shape}"
        )
    scaled = np.hstack(
        [acc / spec.acc_lsb_ms2(acc_range_g), gyr / spec.gyr_lsb_rads(gyr_range_dps)]
    )
    if not np.isfinite(scaled).all():
        raise ProtocolError("acc_ms2 and gyr_rads must be finite (no NaN or inf)")
    return np.clip(np.rint(scaled), _INT16_MIN, _INT16_MAX).astype(np.int16)


def encode_stream(
    counts: npt.ArrayLike,
    *,
    mtu: int,
    sampling_rate_hz: float,
    first_seq: int = 0,
    first_timestamp_us: int = 0,
    samples_per_frame: int | None = None,
) -> list[bytes]:
    """Cut ``(n, 6)`` counts into frames as the firmware sends them.

    Frame ``k`` gets sequence number ``first_seq + k`` and the timestamp of its first sample,
    ``first_timestamp_us + round(i * 1e6 / sampling_rate_hz)`` for sample index ``i``, both
    modulo their wrap. Frames hold ``samples_per_frame`` samples (default: as many as ``mtu``
    allows); the last frame may hold fewer.
    """
    arr = np.asarray(counts)
    if arr.ndim != 2 or arr.shape[1] != AXES_PER_SAMPLE:
        raise ProtocolError(f"counts must have shape (n, {AXES_PER_SAMPLE}), got {arr.shape}")
    limit = spec.max_samples_per_frame(mtu)
    per_frame = limit if samples_per_frame is None else samples_per_frame
    if not 1 <= per_frame <= limit:
        raise ProtocolError(f"samples_per_frame must be 1..{limit} at MTU {mtu}, got {per_frame}")
    check_config(spec.ACC_RANGES_G[0], spec.GYR_RANGES_DPS[0], sampling_rate_hz)
    _check_uint(first_seq, 16, "first_seq")
    _check_uint(first_timestamp_us, 32, "first_timestamp_us")
    out = []
    for k, start in enumerate(range(0, arr.shape[0], per_frame)):
        ts = (first_timestamp_us + round(start * 1e6 / sampling_rate_hz)) % spec.TIMESTAMP_MODULUS
        frame = Frame.from_counts(
            (first_seq + k) % spec.SEQ_MODULUS, ts, arr[start : start + per_frame]
        )
        out.append(encode_frame(frame, mtu))
    return out
