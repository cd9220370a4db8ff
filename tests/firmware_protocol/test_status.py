"""Status characteristic codec."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_protocol import ProtocolError, spec
from firmware_protocol.status import Status, decode_status, encode_status, float32
from firmware_protocol.version import ProtocolVersion

from .strategies import statuses

SETTINGS = settings(max_examples=200, deadline=None)


def test_for_config_scale_factors():
    status = Status.for_config(833, 16, 2000, battery_percent=50)
    assert status.acc_scale_ms2 == pytest.approx(16 * 9.80665 / 32768, rel=1e-7)
    assert status.gyr_scale_rads == pytest.approx(2000 * 3.141592653589793 / 180 / 32768, rel=1e-7)
    payload = encode_status(status)
    assert len(payload) == spec.STATUS.size == 32
    assert decode_status(payload) == status


@SETTINGS
@given(statuses)
def test_status_round_trip(status):
    payload = encode_status(status)
    assert decode_status(payload) == status


@SETTINGS
@given(st.binary(max_size=40))
def test_arbitrary_bytes_never_crash(data):
    try:
        status = decode_status(data)
    except ProtocolError:
        return
    assert status.protocol_version.major == 1


def test_newer_minor_trailing_bytes_ignored():
    status = Status.for_config()
    newer = Status(**{**status.__dict__, "protocol_version": ProtocolVersion(1, 5)})
    assert decode_status(encode_status(newer) + b"\x01\x02") == newer


def test_reserved_flag_bits_ignored():
    payload = bytearray(encode_status(Status.for_config(streaming=True)))
    payload[spec.STATUS.offsets()["flags"]] |= 0xF0
    assert decode_status(bytes(payload)).streaming


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda b: b[:20], "20 bytes is truncated: expected 32"),
        (lambda b: b[:1], "1 bytes is too short"),
        (lambda b: b + b"\x00", "1 bytes too many"),
        (lambda b: b"\x02" + b[1:], r"version 2\.0.*speaks version 1\.0"),
        (lambda b: b[:19] + b"\x65" + b[20:], "battery_percent 101"),
        (lambda b: b[:11] + struct.pack("<f", float("nan")) + b[15:], "acc_scale_ms2"),
        (lambda b: b[:15] + struct.pack("<f", -1.0) + b[19:], "gyr_scale_rads"),
    ],
)
def test_decode_errors(mutate, match):
    with pytest.raises(ProtocolError, match=match):
        decode_status(mutate(encode_status(Status.for_config())))


@pytest.mark.parametrize(
    "change",
    [
        {"battery_percent": 101},
        {"battery_percent": 255},
        {"odr_hz": 70000},
        {"acc_scale_ms2": 0.0},
        {"gyr_scale_rads": float("inf")},
        {"firmware_version": (1, 2)},
        {"device_time_us": 2**32},
        {"dropped_queue_samples": -1},
    ],
)
def test_encode_errors(change):
    status = Status(**{**Status.for_config().__dict__, **change})
    with pytest.raises(ProtocolError):
        encode_status(status)


def test_float32():
    assert float32(0.1) != 0.1
    assert float32(float32(0.1)) == float32(0.1)
