"""Protocol versions: the major.minor pair, its one-byte form in frames, and the acceptance rule.

Rule: a host accepts any minor version of its own major version (trailing bytes that a newer
minor version appends are ignored) and refuses any other major version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from firmware_protocol import spec
from firmware_protocol.errors import ProtocolError


@dataclass(frozen=True, order=True)
class ProtocolVersion:
    """A protocol version ``major.minor`` (each 0..255; 0..15 inside a frame)."""

    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    @classmethod
    def parse(cls, text: str) -> ProtocolVersion:
        """Parse ``"1.0"``; raise :class:`ProtocolError` on anything else."""
        match = re.fullmatch(r"(\d+)\.(\d+)", text.strip())
        if match is None:
            raise ProtocolError(f"protocol version {text!r} is not of the form 'major.minor'")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def is_newer_minor(self) -> bool:
        """True for the same major version as this package and a newer minor version."""
        return self.major == PROTOCOL_VERSION.major and self.minor > PROTOCOL_VERSION.minor


PROTOCOL_VERSION = ProtocolVersion(spec.PROTOCOL_VERSION_MAJOR, spec.PROTOCOL_VERSION_MINOR)
"""The version this package speaks."""


def check_supported(version: ProtocolVersion, what: str) -> None:
    """Raise :class:`ProtocolError` unless ``version`` has this package's major version.

    ``what`` names the payload in the message (e.g. ``"frame"``, ``"status"``).
    """
    if version.major != PROTOCOL_VERSION.major:
        raise ProtocolError(
            f"{what} has protocol version {version}, but this host speaks version "
            f"{PROTOCOL_VERSION} (major version {version.major} != {PROTOCOL_VERSION.major}); "
            f"update the host or the firmware so that the major versions match"
        )


def pack_version_byte(version: ProtocolVersion) -> int:
    """Return the one-byte form used in frames: major in bits 7..4, minor in bits 3..0."""
    limit = spec.VERSION_NIBBLE_MAX
    if not (0 <= version.major <= limit and 0 <= version.minor <= limit):
        raise ProtocolError(
            f"protocol version {version} does not fit a frame's version byte "
            f"(major and minor must each be 0..{limit})"
        )
    return (version.major << 4) | version.minor


def unpack_version_byte(value: int) -> ProtocolVersion:
    """Return the version of a frame's version byte (0..255)."""
    return ProtocolVersion(value >> 4, value & 0x0F)
