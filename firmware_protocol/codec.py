"""The whole codec in one namespace: frames, control point, status and versions.

``from firmware_protocol import codec`` gives a BLE client or the virtual sensor everything it
needs to turn bytes into values and back; the implementations live in
:mod:`~firmware_protocol.frames`, :mod:`~firmware_protocol.control`,
:mod:`~firmware_protocol.status` and :mod:`~firmware_protocol.version`.
"""

from firmware_protocol.control import (
    Command,
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
from firmware_protocol.errors import ProtocolError
from firmware_protocol.frames import (
    DecodedBatch,
    Frame,
    StreamPosition,
    counts_from_si,
    decode_frame,
    decode_frames,
    encode_frame,
    encode_stream,
    max_samples_per_frame,
)
from firmware_protocol.spec import Opcode, ResultCode
from firmware_protocol.status import Status, decode_status, encode_status
from firmware_protocol.version import PROTOCOL_VERSION, ProtocolVersion

__all__ = [
    "PROTOCOL_VERSION",
    "Command",
    "DecodedBatch",
    "Frame",
    "GetStatus",
    "Opcode",
    "ProtocolError",
    "ProtocolVersion",
    "Response",
    "ResultCode",
    "SetClock",
    "StartStream",
    "Status",
    "StopStream",
    "StreamPosition",
    "check_stream_config",
    "counts_from_si",
    "decode_command",
    "decode_frame",
    "decode_frames",
    "decode_response",
    "decode_status",
    "encode_command",
    "encode_frame",
    "encode_response",
    "encode_status",
    "encode_stream",
    "max_samples_per_frame",
]
