"""Shared checks of the command-line tests."""

from __future__ import annotations


def one_error_line(err: str) -> str:
    """The one non-blank line ``err`` holds (no traceback), else the test fails."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]
