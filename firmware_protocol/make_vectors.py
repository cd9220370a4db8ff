"""Regenerate the test vectors in ``firmware_protocol/vectors/`` deterministically.

Run ``python -m firmware_protocol.make_vectors`` to rewrite them, or with ``--check`` to verify
that the files on disk are what this script produces and that the reference codec passes them.

Payloads are built here with :mod:`struct` straight from the layouts in :mod:`spec`, and the
expected values from the inputs (not by running the codec), so a vector checks the codec
rather than repeating it.
"""

from __future__ import annotations

import argparse
import json
import logging
import struct
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from firmware_protocol import spec
from firmware_protocol.status import float32
from firmware_protocol.testvectors import Vector, check_vectors

logger = logging.getLogger(__name__)

VECTORS_DIR = Path(__file__).resolve().parent / "vectors"
"""Where the vector files live (package data)."""

V1_0 = 0x10
"""Frame version byte of protocol 1.0."""

SampleRow = tuple[int, int, int, int, int, int]


def _frame_bytes(
    seq: int,
    timestamp_us: int,
    samples: Sequence[SampleRow],
    version_byte: int = V1_0,
    count: int | None = None,
    trailing: bytes = b"",
) -> bytes:
    n = len(samples) if count is None else count
    header = struct.pack(spec.FRAME_HEADER.struct_format, version_byte, seq, timestamp_us, n)
    body = b"".join(struct.pack(spec.SAMPLE.struct_format, *s) for s in samples)
    return header + body + trailing


def _samples(n: int, start: int) -> list[SampleRow]:
    """Deterministic, varied samples: a slow pattern that covers signs and magnitudes."""
    rows = []
    for i in range(n):
        k = start + 37 * i
        rows.append(
            (
                (k * 131) % 4001 - 2000,
                (k * 257) % 2001 - 1000,
                4096 + (k * 17) % 201 - 100,
                (k * 521) % 30001 - 15000,
                -((k * 89) % 601),
                (k * 1031) % 65536 - 32768,
            )
        )
    return rows


def _frame_vector(
    name: str,
    description: str,
    seq: int,
    timestamp_us: int,
    samples: Sequence[SampleRow],
    version: str = "1.0",
    version_byte: int = V1_0,
    trailing: bytes = b"",
) -> Vector:
    payload = _frame_bytes(seq, timestamp_us, samples, version_byte, trailing=trailing)
    return {
        "name": name,
        "description": description,
        "kind": "frame",
        "hex": [payload.hex()],
        "expected": {
            "version": version,
            "seq": seq,
            "timestamp_us": timestamp_us,
            "samples": [list(s) for s in samples],
        },
        "encodes_to_hex": not trailing,
    }


def _error_vector(name: str, kind: str, description: str, payload: bytes, why: str) -> Vector:
    return {
        "name": name,
        "description": description,
        "kind": kind,
        "hex": [payload.hex()],
        "error": why,
    }


def _stream_vector(
    name: str,
    description: str,
    frames: Sequence[tuple[int, int, Sequence[SampleRow]]],
    acc_range_g: int,
    gyr_range_dps: int,
    sampling_rate_hz: float,
) -> Vector:
    """Build a batch of frames ``(seq, timestamp_us, samples)``; SI values computed here."""
    acc_lsb = spec.acc_lsb_ms2(acc_range_g)
    gyr_lsb = spec.gyr_lsb_rads(gyr_range_dps)
    seqs, gaps, unwrapped, time_s, acc, gyr = [], [], [], [], [], []
    prev_seq: int | None = None
    prev_ts = 0
    t_unwrapped = 0
    for seq, ts, samples in frames:
        if prev_seq is None:
            gaps.append(0)
            t_unwrapped = ts
        else:
            gaps.append((seq - prev_seq - 1) % spec.SEQ_MODULUS)
            step = (ts - prev_ts) % spec.TIMESTAMP_MODULUS
            if step >= spec.TIMESTAMP_MODULUS // 2:
                step -= spec.TIMESTAMP_MODULUS
            t_unwrapped += step
        prev_seq, prev_ts = seq, ts
        seqs.append(seq)
        unwrapped.append(t_unwrapped)
        for i, s in enumerate(samples):
            time_s.append(t_unwrapped * spec.TIMESTAMP_UNIT_S + i / sampling_rate_hz)
            acc.append([c * acc_lsb for c in s[:3]])
            gyr.append([c * gyr_lsb for c in s[3:]])
    return {
        "name": name,
        "description": description,
        "kind": "stream",
        "hex": [_frame_bytes(seq, ts, samples).hex() for seq, ts, samples in frames],
        "config": {
            "acc_range_g": acc_range_g,
            "gyr_range_dps": gyr_range_dps,
            "sampling_rate_hz": sampling_rate_hz,
        },
        "expected": {
            "seq": seqs,
            "gaps": gaps,
            "frame_timestamp_us": unwrapped,
            "time_s": time_s,
            "acc_ms2": acc,
            "gyr_rads": gyr,
        },
    }


def _timestamps(first_us: int, per_frame: int, rate_hz: float, n: int) -> list[int]:
    """Timestamps of ``n`` consecutive frames of ``per_frame`` samples, wrapped."""
    return [
        (first_us + round(k * per_frame * 1e6 / rate_hz)) % spec.TIMESTAMP_MODULUS
        for k in range(n)
    ]


def _command_vector(
    name: str, description: str, payload: bytes, expected: dict[str, Any]
) -> Vector:
    return {
        "name": name,
        "description": description,
        "kind": "command",
        "hex": [payload.hex()],
        "expected": expected,
        "encodes_to_hex": True,
    }


def _response_vector(name: str, description: str, request: int, result: spec.ResultCode) -> Vector:
    payload = struct.pack(spec.RESPONSE.struct_format, spec.RESPONSE_OPCODE, request, result)
    return {
        "name": name,
        "description": description,
        "kind": "response",
        "hex": [payload.hex()],
        "expected": {"request_opcode": int(request), "result": result.name},
        "encodes_to_hex": True,
    }


def _status_bytes(values: dict[str, Any], major: int = 1, minor: int = 0) -> bytes:
    flags = (spec.STATUS_FLAG_STREAMING if values["streaming"] else 0) | (
        spec.STATUS_FLAG_CLOCK_SET if values["clock_set"] else 0
    )
    battery = values["battery_percent"]
    return struct.pack(
        spec.STATUS.struct_format,
        major,
        minor,
        *values["firmware_version"],
        flags,
        values["odr_hz"],
        values["acc_range_g"],
        values["gyr_range_dps"],
        values["acc_scale_ms2"],
        values["gyr_scale_rads"],
        spec.BATTERY_UNKNOWN if battery is None else battery,
        values["dropped_queue_samples"],
        values["dropped_fifo_samples"],
        values["device_time_us"],
    )


def _status_values(
    odr_hz: int, acc_range_g: int, gyr_range_dps: int, **overrides: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "protocol_version": "1.0",
        "firmware_version": [1, 2, 3],
        "streaming": True,
        "clock_set": True,
        "odr_hz": odr_hz,
        "acc_range_g": acc_range_g,
        "gyr_range_dps": gyr_range_dps,
        "acc_scale_ms2": float32(spec.acc_lsb_ms2(acc_range_g)),
        "gyr_scale_rads": float32(spec.gyr_lsb_rads(gyr_range_dps)),
        "battery_percent": 87,
        "dropped_queue_samples": 12,
        "dropped_fifo_samples": 3,
        "device_time_us": 3_000_000_123,
    }
    values.update(overrides)
    return values


def build_vectors() -> list[Vector]:
    """Return every test vector, in file order (deterministic)."""
    n23 = spec.max_samples_per_frame(23)
    n185 = spec.max_samples_per_frame(185)
    n247 = spec.max_samples_per_frame(247)
    extremes: list[SampleRow] = [
        (-32768, 32767, 0, -1, 1, -32768),
        (32767, -32768, -1, 0, 32767, -32768),
        (-32768, -32768, -32768, 32767, 32767, 32767),
    ]
    vectors: list[Vector] = [
        _frame_vector(
            "frame_one_sample",
            "Smallest frame: one sample (20 bytes). Lying still, +1 g on z at +-8 g "
            "(4096 counts).",
            seq=1,
            timestamp_us=1_000_000,
            samples=[(100, -200, 4096, 5, -6, 7)],
        ),
        _frame_vector(
            "frame_largest_mtu23",
            f"Largest frame at the default ATT MTU 23: {n23} sample(s), 20 bytes of the 20-byte "
            "notification payload (the same size as the smallest frame).",
            seq=513,
            timestamp_us=123_456_789,
            samples=_samples(n23, 11),
        ),
        _frame_vector(
            "frame_largest_mtu185",
            f"Largest frame at ATT MTU 185 (iOS typical): {n185} samples, "
            f"{8 + 12 * n185} of 182 bytes.",
            seq=40_000,
            timestamp_us=2_000_000_000,
            samples=_samples(n185, 5),
        ),
        _frame_vector(
            "frame_largest_mtu247",
            f"Largest frame at ATT MTU 247 (LE Data Length Extension): {n247} samples, "
            f"{8 + 12 * n247} of 244 bytes.",
            seq=7,
            timestamp_us=77_777,
            samples=_samples(n247, 3),
        ),
        _frame_vector(
            "frame_extreme_values",
            "Extreme int16 counts -32768 and 32767 (and -1, 0, 1) on every axis.",
            seq=300,
            timestamp_us=42,
            samples=extremes,
        ),
        _frame_vector(
            "frame_max_header_fields",
            "Largest header values: seq 65535 and timestamp 2^32-1 us.",
            seq=spec.SEQ_MODULUS - 1,
            timestamp_us=spec.TIMESTAMP_MODULUS - 1,
            samples=_samples(2, 1),
        ),
        _frame_vector(
            "frame_newer_minor_version",
            "Version 1.3 frame with 6 trailing bytes a 1.0 host does not know: decodes, the "
            "trailing bytes are ignored (not re-encodable by a 1.0 encoder).",
            seq=9,
            timestamp_us=9_000,
            samples=_samples(2, 9),
            version="1.3",
            version_byte=0x13,
            trailing=bytes.fromhex("a1a2a3a4a5a6"),
        ),
        _error_vector(
            "error_frame_major_version_2",
            "frame",
            "Version 2.0 frame, otherwise well formed.",
            _frame_bytes(1, 0, _samples(1, 0), version_byte=0x20),
            "major version 2 differs from 1; the error names both versions",
        ),
        _error_vector(
            "error_frame_major_version_0",
            "frame",
            "Version 0.9 frame, otherwise well formed.",
            _frame_bytes(1, 0, _samples(1, 0), version_byte=0x09),
            "major version 0 differs from 1",
        ),
        _error_vector(
            "error_frame_truncated_header",
            "frame",
            "Only the first 5 bytes of a frame header.",
            _frame_bytes(1, 0, _samples(1, 0))[:5],
            "shorter than the 8-byte header plus one sample",
        ),
        _error_vector(
            "error_frame_truncated_samples",
            "frame",
            "Header declares 2 samples, but the second sample is cut after 7 of 12 bytes.",
            _frame_bytes(1, 0, _samples(2, 0))[: 8 + 12 + 7],
            "sample_count 2 needs 32 bytes, got 27",
        ),
        _error_vector(
            "error_frame_extra_bytes_same_minor",
            "frame",
            "Version 1.0 frame of one sample with one extra byte.",
            _frame_bytes(1, 0, _samples(1, 0), trailing=b"\x00"),
            "a 1.0 frame must be exactly 8 + 12 * sample_count bytes",
        ),
        _error_vector(
            "error_frame_zero_samples",
            "frame",
            "Header of a frame declaring 0 samples followed by one sample's worth of zeros.",
            _frame_bytes(1, 0, [(0, 0, 0, 0, 0, 0)], count=0),
            "sample_count must be at least 1",
        ),
        _stream_vector(
            "stream_seq_wraparound",
            "Four frames of 2 samples at 104 Hz whose sequence numbers wrap 65534, 65535, 0, 1: "
            "no gaps. At +-4 g and +-500 dps.",
            list(
                zip(
                    [65534, 65535, 0, 1],
                    _timestamps(5_000_000, 2, 104, 4),
                    [_samples(2, k) for k in range(4)],
                    strict=True,
                )
            ),
            acc_range_g=4,
            gyr_range_dps=500,
            sampling_rate_hz=104.0,
        ),
        _stream_vector(
            "stream_gap_across_seq_wrap",
            "Frames 65533, 65534, then 1, 2 at 52 Hz (1 sample per frame): the frames 65535 and "
            "0 are missing, so the gaps are [0, 0, 2, 0].",
            list(
                zip(
                    [65533, 65534, 1, 2],
                    [_timestamps(0, 1, 52, 6)[k] for k in (0, 1, 4, 5)],
                    [_samples(1, k) for k in range(4)],
                    strict=True,
                )
            ),
            acc_range_g=8,
            gyr_range_dps=1000,
            sampling_rate_hz=52.0,
        ),
        _stream_vector(
            "stream_timestamp_wraparound",
            "Five frames of 3 samples at 52 Hz whose device timestamps wrap past 2^32 us: the "
            "unwrapped time keeps increasing by 3/52 s per frame.",
            list(
                zip(
                    range(100, 105),
                    _timestamps(spec.TIMESTAMP_MODULUS - 120_000, 3, 52, 5),
                    [_samples(3, k) for k in range(5)],
                    strict=True,
                )
            ),
            acc_range_g=2,
            gyr_range_dps=250,
            sampling_rate_hz=52.0,
        ),
        _stream_vector(
            "stream_full_scale_si_16g_2000dps",
            "Extreme counts in SI at +-16 g and +-2000 dps: -32768 counts is exactly -16 g "
            "(-156.9064 m/s^2) and -2000 deg/s (-34.9066 rad/s).",
            [(0, 0, extremes)],
            acc_range_g=16,
            gyr_range_dps=2000,
            sampling_rate_hz=833.0,
        ),
        _stream_vector(
            "stream_full_scale_si_2g_125dps",
            "Extreme counts in SI at +-2 g and +-125 dps.",
            [(0, 0, extremes)],
            acc_range_g=2,
            gyr_range_dps=125,
            sampling_rate_hz=26.0,
        ),
        _command_vector(
            "command_start_stream",
            "START_STREAM at 104 Hz, +-8 g, +-1000 dps.",
            struct.pack("<BHBH", spec.Opcode.START_STREAM, 104, 8, 1000),
            {"opcode": "START_STREAM", "odr_hz": 104, "acc_range_g": 8, "gyr_range_dps": 1000},
        ),
        _command_vector(
            "command_start_stream_unsupported_rate",
            "START_STREAM at 100 Hz: well formed, so it decodes; the device answers "
            "UNSUPPORTED_RATE (see response_unsupported_rate).",
            struct.pack("<BHBH", spec.Opcode.START_STREAM, 100, 16, 2000),
            {"opcode": "START_STREAM", "odr_hz": 100, "acc_range_g": 16, "gyr_range_dps": 2000},
        ),
        _command_vector(
            "command_stop_stream",
            "STOP_STREAM (no parameters).",
            bytes([spec.Opcode.STOP_STREAM]),
            {"opcode": "STOP_STREAM"},
        ),
        _command_vector(
            "command_set_clock",
            "SET_CLOCK to 3 600 000 000 us.",
            struct.pack("<BI", spec.Opcode.SET_CLOCK, 3_600_000_000),
            {"opcode": "SET_CLOCK", "time_us": 3_600_000_000},
        ),
        _command_vector(
            "command_get_status",
            "GET_STATUS (no parameters).",
            bytes([spec.Opcode.GET_STATUS]),
            {"opcode": "GET_STATUS"},
        ),
        _error_vector(
            "error_command_unknown_opcode",
            "command",
            "Opcode 0x09 is not defined (the device answers OPCODE_NOT_SUPPORTED).",
            bytes([0x09, 0x01]),
            "unknown opcode 0x09",
        ),
        _error_vector(
            "error_command_wrong_length",
            "command",
            "START_STREAM with 4 parameter bytes instead of 5 (device: INVALID_PARAMETER).",
            struct.pack("<BHBB", spec.Opcode.START_STREAM, 104, 8, 0),
            "START_STREAM has 5 parameter bytes",
        ),
        _error_vector(
            "error_command_empty",
            "command",
            "An empty write to the control point.",
            b"",
            "a command has at least an opcode byte",
        ),
        _response_vector(
            "response_success",
            "SUCCESS answering START_STREAM.",
            spec.Opcode.START_STREAM,
            spec.ResultCode.SUCCESS,
        ),
        _response_vector(
            "response_unsupported_rate",
            "UNSUPPORTED_RATE answering START_STREAM at 100 Hz.",
            spec.Opcode.START_STREAM,
            spec.ResultCode.UNSUPPORTED_RATE,
        ),
        _response_vector(
            "response_opcode_not_supported",
            "OPCODE_NOT_SUPPORTED answering the unknown opcode 0x09 (echoed).",
            0x09,
            spec.ResultCode.OPCODE_NOT_SUPPORTED,
        ),
        _error_vector(
            "error_response_bad_first_byte",
            "response",
            "A response must start with 0x80.",
            bytes([0x81, 0x01, 0x01]),
            "first byte 0x81 is not 0x80",
        ),
    ]
    status = _status_values(833, 16, 2000)
    vectors.append(
        {
            "name": "status_streaming",
            "description": "Status while streaming at 833 Hz, +-16 g, +-2000 dps, battery 87 %, "
            "12 samples dropped for a full BLE queue and 3 in FIFO overruns.",
            "kind": "status",
            "hex": [_status_bytes(status).hex()],
            "expected": status,
            "encodes_to_hex": True,
        }
    )
    idle = _status_values(
        104,
        8,
        1000,
        protocol_version="1.2",
        streaming=False,
        clock_set=False,
        battery_percent=None,
        dropped_queue_samples=0,
        dropped_fifo_samples=0,
        device_time_us=5_000_000,
    )
    vectors.append(
        {
            "name": "status_newer_minor_version",
            "description": "Idle status of a version 1.2 device, battery unknown (255), with 4 "
            "trailing bytes a 1.0 host ignores.",
            "kind": "status",
            "hex": [(_status_bytes(idle, 1, 2) + bytes.fromhex("01020304")).hex()],
            "expected": idle,
        }
    )
    vectors.append(
        _error_vector(
            "error_status_major_version_2",
            "status",
            "Status of a version 2.0 device.",
            _status_bytes(status, 2, 0),
            "major version 2 differs from 1",
        )
    )
    vectors.append(
        _error_vector(
            "error_status_truncated",
            "status",
            "Status cut to the 20 bytes a notification carries at MTU 23.",
            _status_bytes(status)[:20],
            "status is 32 bytes",
        )
    )
    return vectors


def to_json(value: Any, level: int = 0) -> str:
    """Format ``value`` as indented JSON with every list of scalars on one line."""
    pad = "  " * (level + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {to_json(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [pad + to_json(v, level + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"
    return json.dumps(value)


def vector_files(vectors: Sequence[Vector]) -> dict[str, str]:
    """Return ``{file name: file text}`` for ``vectors``, numbered in order."""
    return {
        f"{i:02d}_{v['name']}.json": to_json(v) + "\n" for i, v in enumerate(vectors, start=1)
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the vector files; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m firmware_protocol.make_vectors")
    parser.add_argument(
        "--check", action="store_true", help="verify the files instead of writing them"
    )
    parser.add_argument("--out", type=Path, default=VECTORS_DIR, help="vector folder")
    args = parser.parse_args(argv)
    files = vector_files(build_vectors())
    out: Path = args.out
    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
        ]
        extra = sorted(p.name for p in out.glob("*.json") if p.name not in files)
        problems = check_vectors(vectors=[json.loads(text) for text in files.values()])
        for line in [*(f"stale: {n}" for n in stale), *(f"unexpected: {n}" for n in extra)]:
            print(line)
        for problem in problems:
            print(problem)
        ok = not (stale or extra or problems)
        print(f"{len(files)} vectors: {'OK' if ok else 'FAILED'}")
        return 0 if ok else 1
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} vectors to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
