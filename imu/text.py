"""Small text helpers for user-facing lines (light imports: ``imu --help`` loads this)."""

from __future__ import annotations

from typing import Any


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 set"``, ``"2 sets"``, ``"0 reps"``."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def uncertain_note(row: Any) -> str:
    """`` (2 uncertain: ...)`` when some reps barely stand out of the noise, else empty.

    Args:
        row: a row of the session table (``uncertain_reps``).

    """
    n = int(row.get("uncertain_reps", 0))
    if not n:
        return ""
    return f" ({n} uncertain: barely above the noise, check {'it' if n == 1 else 'them'})"
