"""Control point: commands the host writes and the responses the device indicates.

A command is one opcode byte followed by its parameters (:data:`spec.COMMAND_PARAMETERS`).
Every command gets exactly one response, ``0x80 | request opcode | result code``, even an
unknown or malformed one (result ``OPCODE_NOT_SUPPORTED`` or ``INVALID_PARAMETER``).

Versioning: the layout of an existing command or response never changes within a major
version; a newer minor version may add opcodes, which older devices answer with
``OPCODE_NOT_SUPPORTED``. Decoders here are therefore strict about lengths.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass

from firmware_protocol import spec
from firmware_protocol.errors import ProtocolError
from firmware_protocol.spec import Opcode, ResultCode

logger = logging.getLogger(__name__)

Buffer = bytes | bytearray | memoryview


@dataclass(frozen=True)
class StartStream:
    """Start streaming frames with this configuration.

    Attributes:
        odr_hz: output data rate, Hz (one of ``spec.OUTPUT_DATA_RATES_HZ`` to succeed).
        acc_range_g: accelerometer full scale, +-g (one of ``spec.ACC_RANGES_G``).
        gyr_range_dps: gyroscope full scale, +-deg/s (one of ``spec.GYR_RANGES_DPS``).

    """

    odr_hz: int
    acc_range_g: int
    gyr_range_dps: int

    opcode = Opcode.START_STREAM


@dataclass(frozen=True)
class StopStream:
    """Stop streaming (succeeds also when not streaming)."""

    opcode = Opcode.STOP_STREAM


@dataclass(frozen=True)
class SetClock:
    """Set the device clock to ``time_us`` microseconds (0..2^32-1); it counts on from there."""

    time_us: int

    opcode = Opcode.SET_CLOCK


@dataclass(frozen=True)
class GetStatus:
    """Refresh the status characteristic (battery, counters, clock), then respond."""

    opcode = Opcode.GET_STATUS


Command = StartStream | StopStream | SetClock | GetStatus
"""Any control-point command."""


@dataclass(frozen=True)
class Response:
    """A control-point response.

    Attributes:
        request_opcode: opcode of the command answered, 0..255 (echoed even if unknown).
        result: result code.

    """

    request_opcode: int
    result: ResultCode

    @property
    def ok(self) -> bool:
        """True if the command succeeded."""
        return self.result == ResultCode.SUCCESS


def _pack(layout: spec.Layout, values: tuple[int, ...]) -> bytes:
    try:
        return struct.pack(layout.struct_format, *values)
    except struct.error as exc:
        names = ", ".join(f.name for f in layout.fields)
        raise ProtocolError(f"cannot encode {layout.name} ({names}) = {values!r}: {exc}") from None


def _check_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(f"{name} must be an integer, got {value!r}")


def encode_command(command: Command) -> bytes:
    """Encode a command to the bytes written to the control point.

    Raises :class:`ProtocolError` if a parameter does not fit its field (e.g. a negative rate).
    The values are not checked against the supported tables: the device answers unsupported
    ones with an error result (see :func:`check_stream_config`).
    """
    layout = spec.COMMAND_PARAMETERS[command.opcode]
    values: tuple[int, ...]
    if isinstance(command, StartStream):
        values = (command.odr_hz, command.acc_range_g, command.gyr_range_dps)
    elif isinstance(command, SetClock):
        values = (command.time_us,)
    else:
        values = ()
    for field, value in zip(layout.fields, values, strict=True):
        _check_int(value, field.name)
    return bytes([command.opcode]) + _pack(layout, values)


def decode_command(data: Buffer) -> Command:
    """Decode bytes written to the control point into a command.

    Raises :class:`ProtocolError` for an empty write, an unknown opcode or a parameter length
    that does not match the opcode (the device then responds ``OPCODE_NOT_SUPPORTED`` or
    ``INVALID_PARAMETER``, echoing ``data[0]``).
    """
    raw = bytes(data)
    if not raw:
        raise ProtocolError("control-point command is empty: expected at least an opcode byte")
    try:
        opcode = Opcode(raw[0])
    except ValueError:
        known = ", ".join(f"0x{op:02x} {op.name}" for op in Opcode)
        raise ProtocolError(
            f"unknown control-point opcode 0x{raw[0]:02x}; known opcodes: {known}"
        ) from None
    layout = spec.COMMAND_PARAMETERS[opcode]
    params = raw[1:]
    if len(params) != layout.size:
        raise ProtocolError(
            f"{opcode.name} (0x{opcode:02x}) has {len(params)} parameter bytes, expected "
            f"{layout.size}"
        )
    values = struct.unpack(layout.struct_format, params)
    if opcode is Opcode.START_STREAM:
        return StartStream(*values)
    if opcode is Opcode.SET_CLOCK:
        return SetClock(*values)
    if opcode is Opcode.STOP_STREAM:
        return StopStream()
    return GetStatus()


def encode_response(response: Response) -> bytes:
    """Encode a response to the bytes the device indicates on the control point."""
    _check_int(response.request_opcode, "request_opcode")
    try:
        result = ResultCode(response.result)
    except ValueError:
        raise ProtocolError(f"unknown result code {response.result!r}") from None
    return _pack(spec.RESPONSE, (spec.RESPONSE_OPCODE, response.request_opcode, result))


def decode_response(data: Buffer) -> Response:
    """Decode a control-point indication into a :class:`Response`.

    Raises :class:`ProtocolError` for a wrong length, a first byte other than 0x80 or an
    unknown result code.
    """
    raw = bytes(data)
    if len(raw) != spec.RESPONSE.size:
        raise ProtocolError(
            f"control-point response has {len(raw)} bytes, expected {spec.RESPONSE.size} "
            f"(0x{spec.RESPONSE_OPCODE:02x}, request opcode, result code)"
        )
    first, request_opcode, result = struct.unpack(spec.RESPONSE.struct_format, raw)
    if first != spec.RESPONSE_OPCODE:
        raise ProtocolError(
            f"control-point response starts with 0x{first:02x}, expected "
            f"0x{spec.RESPONSE_OPCODE:02x}"
        )
    try:
        code = ResultCode(result)
    except ValueError:
        known = ", ".join(f"0x{c:02x} {c.name}" for c in ResultCode)
        raise ProtocolError(f"unknown result code 0x{result:02x}; known: {known}") from None
    return Response(request_opcode, code)


def check_stream_config(odr_hz: int, acc_range_g: int, gyr_range_dps: int) -> ResultCode:
    """Return the result a device gives to ``START_STREAM`` with these values.

    ``SUCCESS`` if all are supported, else the code of the first unsupported one
    (``UNSUPPORTED_RATE``, then ``UNSUPPORTED_ACC_RANGE``, then ``UNSUPPORTED_GYR_RANGE``).
    """
    if odr_hz not in spec.OUTPUT_DATA_RATES_HZ:
        return ResultCode.UNSUPPORTED_RATE
    if acc_range_g not in spec.ACC_RANGES_G:
        return ResultCode.UNSUPPORTED_ACC_RANGE
    if gyr_range_dps not in spec.GYR_RANGES_DPS:
        return ResultCode.UNSUPPORTED_GYR_RANGE
    return ResultCode.SUCCESS
