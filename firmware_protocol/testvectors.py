"""Test vectors: load them, and check any implementation of the protocol against them.

A vector is a JSON file in ``firmware_protocol/vectors/``::

    {
      "name": "frame_one_sample",
      "description": "what it covers",
      "kind": "frame" | "stream" | "command" | "response" | "status",
      "hex": ["<payload as hex>", ...],      # one payload; several for "stream"
      "config": {...},                       # "stream" only: acc_range_g, gyr_range_dps,
                                             #   sampling_rate_hz
      "expected": {...},                     # decoded values (see below), or instead:
      "error": "why a decoder must reject it",
      "encodes_to_hex": true                 # encoding "expected" must give "hex" back
    }

Expected values by kind (plain JSON, SI units where not counts):

- ``frame``: ``version`` ("major.minor"), ``seq``, ``timestamp_us``, ``samples`` (list of
  ``[acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z]`` counts).
- ``stream``: ``seq``, ``gaps`` (frames missing before each frame), ``frame_timestamp_us``
  (unwrapped), ``time_s`` (per sample), ``acc_ms2`` and ``gyr_rads`` (per sample, 3 values).
- ``command``: ``opcode`` (name) and its parameters by name (``odr_hz``, ``time_us``...).
- ``response``: ``request_opcode`` (int), ``result`` (result-code name).
- ``status``: every field of :class:`~firmware_protocol.status.Status`, ``protocol_version``
  as "major.minor", ``firmware_version`` as a list, ``battery_percent`` null when unknown.

To check another implementation, wrap it in an object with the two methods of :class:`Codec`
(raising :class:`~firmware_protocol.ProtocolError` to reject input) and call
:func:`check_vectors`. :class:`ReferenceCodec` wraps this package.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from importlib import resources
from typing import Any, Protocol

from firmware_protocol import spec
from firmware_protocol.control import (
    Command,
    GetStatus,
    Response,
    SetClock,
    StartStream,
    StopStream,
    decode_command,
    decode_response,
    encode_command,
    encode_response,
)
from firmware_protocol.errors import ProtocolError
from firmware_protocol.frames import Frame, decode_frame, decode_frames, encode_frame
from firmware_protocol.status import Status, decode_status, encode_status
from firmware_protocol.version import ProtocolVersion

logger = logging.getLogger(__name__)

KINDS = ("frame", "stream", "command", "response", "status")
"""Kinds of test vector."""

REL_TOL = 1e-9
"""Relative tolerance for comparing floats (SI values, scale factors)."""

ABS_TOL = 1e-12
"""Absolute tolerance for comparing floats near zero."""

Vector = dict[str, Any]
"""One test vector as loaded from JSON."""


class Codec(Protocol):
    """What an implementation provides to be checked against the vectors.

    Both methods take and return the plain-JSON values described in the module docstring.
    ``decode`` raises :class:`~firmware_protocol.ProtocolError` to reject a payload.
    """

    def decode(
        self, kind: str, payloads: Sequence[bytes], config: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Decode ``payloads`` of ``kind`` into expected-style values."""
        ...

    def encode(self, kind: str, values: Mapping[str, Any]) -> list[bytes]:
        """Encode expected-style ``values`` of ``kind`` into payloads."""
        ...


def frame_to_json(frame: Frame) -> dict[str, Any]:
    """Return the expected-style values of a frame."""
    return {
        "version": str(frame.version),
        "seq": frame.seq,
        "timestamp_us": frame.timestamp_us,
        "samples": [list(s) for s in frame.samples],
    }


def command_to_json(command: Command) -> dict[str, Any]:
    """Return the expected-style values of a command."""
    return {"opcode": command.opcode.name, **asdict(command)}


def command_from_json(values: Mapping[str, Any]) -> Command:
    """Build a command from expected-style values."""
    name = values.get("opcode")
    params = {k: v for k, v in values.items() if k != "opcode"}
    try:
        if name == spec.Opcode.START_STREAM.name:
            return StartStream(**params)
        if name == spec.Opcode.SET_CLOCK.name:
            return SetClock(**params)
        if name == spec.Opcode.STOP_STREAM.name:
            return StopStream(**params)
        if name == spec.Opcode.GET_STATUS.name:
            return GetStatus(**params)
    except TypeError as exc:
        raise ProtocolError(f"bad parameters {params!r} for {name}: {exc}") from None
    raise ProtocolError(f"unknown opcode name {name!r}")


def status_to_json(status: Status) -> dict[str, Any]:
    """Return the expected-style values of a status."""
    values = asdict(status)
    values["protocol_version"] = str(status.protocol_version)
    values["firmware_version"] = list(status.firmware_version)
    return values


def status_from_json(values: Mapping[str, Any]) -> Status:
    """Build a status from expected-style values."""
    fields = dict(values)
    fields["protocol_version"] = ProtocolVersion.parse(str(values["protocol_version"]))
    fields["firmware_version"] = tuple(values["firmware_version"])
    try:
        return Status(**fields)
    except TypeError as exc:
        raise ProtocolError(f"bad status fields: {exc}") from None


class ReferenceCodec:
    """The codec of :mod:`firmware_protocol` behind the :class:`Codec` interface."""

    def decode(
        self, kind: str, payloads: Sequence[bytes], config: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Decode ``payloads`` of ``kind`` into expected-style values."""
        if kind == "stream":
            if config is None:
                raise ProtocolError("a stream vector needs a config")
            batch = decode_frames(
                payloads,
                acc_range_g=config["acc_range_g"],
                gyr_range_dps=config["gyr_range_dps"],
                sampling_rate_hz=config["sampling_rate_hz"],
            )
            return {
                "seq": batch.seq.tolist(),
                "gaps": batch.gaps.tolist(),
                "frame_timestamp_us": batch.frame_timestamp_us.tolist(),
                "time_s": batch.time_s.tolist(),
                "acc_ms2": batch.acc.tolist(),
                "gyr_rads": batch.gyr.tolist(),
            }
        if len(payloads) != 1:
            raise ProtocolError(f"a {kind} vector has exactly one payload, got {len(payloads)}")
        payload = payloads[0]
        if kind == "frame":
            return frame_to_json(decode_frame(payload))
        if kind == "command":
            return command_to_json(decode_command(payload))
        if kind == "response":
            response = decode_response(payload)
            return {"request_opcode": response.request_opcode, "result": response.result.name}
        if kind == "status":
            return status_to_json(decode_status(payload))
        raise ProtocolError(f"unknown vector kind {kind!r}; expected one of {KINDS}")

    def encode(self, kind: str, values: Mapping[str, Any]) -> list[bytes]:
        """Encode expected-style ``values`` of ``kind`` into payloads."""
        if kind == "frame":
            frame = Frame(
                seq=values["seq"],
                timestamp_us=values["timestamp_us"],
                samples=tuple(tuple(s) for s in values["samples"]),
                version=ProtocolVersion.parse(values["version"]),
            )
            return [encode_frame(frame)]
        if kind == "command":
            return [encode_command(command_from_json(values))]
        if kind == "response":
            result = spec.ResultCode[values["result"]]
            return [encode_response(Response(values["request_opcode"], result))]
        if kind == "status":
            return [encode_status(status_from_json(values))]
        raise ProtocolError(f"vectors of kind {kind!r} are not encoded")


def compare(expected: Any, actual: Any, path: str = "") -> list[str]:
    """List the differences between ``expected`` and ``actual`` JSON-like values.

    Floats compare with :data:`REL_TOL` / :data:`ABS_TOL`; everything else exactly. Keys of
    ``actual`` that ``expected`` lacks are ignored.
    """
    where = path or "value"
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{where}: expected a mapping, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}: missing key {key!r}")
            else:
                problems.extend(compare(value, actual[key], f"{path}.{key}" if path else key))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list | tuple) or len(actual) != len(expected):
            got = len(actual) if isinstance(actual, list | tuple) else repr(actual)
            return [f"{where}: expected a list of {len(expected)}, got {got}"]
        problems = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problems.extend(compare(e, a, f"{path}[{i}]"))
        return problems
    if isinstance(expected, float) and not isinstance(actual, bool):
        if isinstance(actual, int | float) and math.isclose(
            expected, actual, rel_tol=REL_TOL, abs_tol=ABS_TOL
        ):
            return []
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    if type(expected) is not type(actual) or expected != actual:
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def check_vector(vector: Mapping[str, Any], codec: Codec | None = None) -> list[str]:
    """Check one vector against ``codec`` (default: :class:`ReferenceCodec`).

    Returns the problems found, each naming the vector; an empty list means it passed.
    """
    impl: Codec = ReferenceCodec() if codec is None else codec
    name = vector.get("name", "?")
    kind = vector["kind"]
    payloads = [bytes.fromhex(h) for h in vector["hex"]]
    config = vector.get("config")
    if "error" in vector:
        try:
            impl.decode(kind, payloads, config)
        except ProtocolError:
            return []
        except Exception as exc:
            return [f"{name}: raised {type(exc).__name__} ({exc}) instead of ProtocolError"]
        return [f"{name}: decoded without error, but must be rejected: {vector['error']}"]
    try:
        actual = impl.decode(kind, payloads, config)
    except Exception as exc:
        return [f"{name}: decoding raised {type(exc).__name__}: {exc}"]
    problems = [f"{name}: {p}" for p in compare(vector["expected"], actual)]
    if vector.get("encodes_to_hex"):
        try:
            encoded = [p.hex() for p in impl.encode(kind, vector["expected"])]
        except Exception as exc:
            return [*problems, f"{name}: encoding raised {type(exc).__name__}: {exc}"]
        if encoded != list(vector["hex"]):
            problems.append(f"{name}: encoded to {encoded}, expected {vector['hex']}")
    return problems


def load_vectors() -> list[Vector]:
    """Load every vector shipped in ``firmware_protocol/vectors/``, sorted by file name."""
    folder = resources.files("firmware_protocol").joinpath("vectors")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name
    )
    vectors = []
    for f in files:
        vector = json.loads(f.read_text(encoding="utf-8"))
        if vector.get("kind") not in KINDS:
            raise ProtocolError(f"vector {f.name} has kind {vector.get('kind')!r}, not in {KINDS}")
        vectors.append(vector)
    return vectors


def check_vectors(
    codec: Codec | None = None, vectors: Sequence[Mapping[str, Any]] | None = None
) -> list[str]:
    """Check ``vectors`` (default: all shipped) against ``codec``; return all problems."""
    problems: list[str] = []
    for vector in load_vectors() if vectors is None else vectors:
        found = check_vector(vector, codec)
        for problem in found:
            logger.info("vector problem: %s", problem)
        problems.extend(found)
    return problems
