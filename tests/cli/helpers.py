"""Shared checks of the command-line tests."""

from __future__ import annotations

import errno
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from imu.cli import main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
"""Terminal colour codes, taken out of captured output."""


def one_error_line(err: str) -> str:
    """The one non-blank line ``err`` holds (no traceback), else the test fails."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def terminal_of(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    """``imu analyze`` prints to a terminal ``columns`` wide (captured by capsys)."""

    def console(command: str, goes_on: str | None = None) -> Console:
        return Console(file=sys.stdout, width=columns, force_terminal=True, color_system=None,
                       highlight=False, soft_wrap=True)

    monkeypatch.setattr("imu.cli.analyze.console", console)


def analyze_output(tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]) -> str:
    """What ``imu analyze FILES --out tmp_path/out`` printed (it must succeed), colour-free."""
    assert main(["analyze", *map(str, files), "--out", str(tmp_path / "out")]) == 0
    return ANSI.sub("", capsys.readouterr().out)


def fill_the_disk_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Writing the Parquet table ``name`` (e.g. ``sets.parquet``) fails: no space left.

    The file is left torn, as a full disk leaves it.
    """
    real = pd.DataFrame.to_parquet

    def to_parquet(self: pd.DataFrame, path: object, *args: object, **kwargs: object) -> object:
        if f".{name}." in Path(str(path)).name:
            Path(str(path)).write_bytes(b"PAR1 half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)
