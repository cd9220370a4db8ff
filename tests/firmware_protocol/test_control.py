"""Control-point commands and responses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_protocol import ProtocolError, spec
from firmware_protocol.control import (
    GetStatus,
    Response,
    SetClock,
    StartStream,
    StopStream,
    check_stream_config,
    decode_command,
    decode_response,
    encode_command,
    encode_response,
)
from firmware_protocol.spec import Opcode, ResultCode

from .strategies import commands, uint8

SETTINGS = settings(max_examples=200, deadline=None)


def test_literal_start_stream():
    assert encode_command(StartStream(833, 16, 2000)) == bytes.fromhex("01410310d007")
    assert decode_command(bytes.fromhex("01680008e803")) == StartStream(104, 8, 1000)


def test_commands_without_parameters():
    assert encode_command(StopStream()) == b"\x02"
    assert encode_command(GetStatus()) == b"\x04"
    assert decode_command(b"\x03\x00\x00\x00\x80") == SetClock(2**31)


@SETTINGS
@given(commands)
def test_command_round_trip(command):
    assert decode_command(encode_command(command)) == command


@SETTINGS
@given(uint8, st.sampled_from(list(ResultCode)))
def test_response_round_trip(opcode, result):
    response = Response(opcode, result)
    assert decode_response(encode_response(response)) == response
    assert response.ok == (result is ResultCode.SUCCESS)


@SETTINGS
@given(st.binary(max_size=12))
def test_arbitrary_bytes_never_crash(data):
    try:
        command = decode_command(data)
    except ProtocolError:
        pass
    else:
        assert encode_command(command) == data
    try:
        response = decode_response(data)
    except ProtocolError:
        pass
    else:
        assert encode_response(response) == data


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"\x09", "unknown control-point opcode 0x09; known opcodes: 0x01 START_STREAM"),
        (b"\x00\x01", "unknown control-point opcode 0x00"),
        (b"\x01\x68\x00\x08", "START_STREAM .0x01. has 3 parameter bytes, expected 5"),
        (b"\x02\x00", "STOP_STREAM .0x02. has 1 parameter bytes, expected 0"),
        (b"\x03\x00\x00\x00", "SET_CLOCK .0x03. has 3 parameter bytes, expected 4"),
    ],
)
def test_decode_command_errors(data, match):
    with pytest.raises(ProtocolError, match=match):
        decode_command(data)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x80\x01", "2 bytes, expected 3"),
        (b"\x80\x01\x01\x00", "4 bytes, expected 3"),
        (b"\x01\x01\x01", "starts with 0x01, expected 0x80"),
        (b"\x80\x01\x00", "unknown result code 0x00"),
        (b"\x80\x01\x99", "unknown result code 0x99"),
    ],
)
def test_decode_response_errors(data, match):
    with pytest.raises(ProtocolError, match=match):
        decode_response(data)


@pytest.mark.parametrize(
    "command",
    [
        StartStream(-1, 8, 1000),
        StartStream(104, 256, 1000),
        StartStream(104, 8, 70000),
        StartStream(104.0, 8, 1000),  # type: ignore[arg-type]
        SetClock(2**32),
        SetClock(True),
    ],
)
def test_encode_command_rejects_out_of_range(command):
    with pytest.raises(ProtocolError):
        encode_command(command)


def test_encode_response_rejects():
    with pytest.raises(ProtocolError):
        encode_response(Response(256, ResultCode.SUCCESS))
    with pytest.raises(ProtocolError, match="unknown result code"):
        encode_response(Response(1, 77))  # type: ignore[arg-type]


def test_check_stream_config():
    for rate in spec.OUTPUT_DATA_RATES_HZ:
        assert check_stream_config(rate, 8, 1000) is ResultCode.SUCCESS
    assert check_stream_config(100, 8, 1000) is ResultCode.UNSUPPORTED_RATE
    assert check_stream_config(104, 3, 1000) is ResultCode.UNSUPPORTED_ACC_RANGE
    assert check_stream_config(104, 8, 300) is ResultCode.UNSUPPORTED_GYR_RANGE
    assert check_stream_config(1, 1, 1) is ResultCode.UNSUPPORTED_RATE


def test_every_opcode_has_a_parameter_layout():
    assert set(spec.COMMAND_PARAMETERS) == set(Opcode)
    assert spec.COMMAND_PARAMETERS[Opcode.START_STREAM].size == 5
    assert spec.RESPONSE.size == 3
