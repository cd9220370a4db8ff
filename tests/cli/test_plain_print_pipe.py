"""Commands that print plain lines survive a closed stdout too (new-user trial 22).

``imu simulate reverse-crunch --out a.parquet | true`` wrote its files and then ended in
"internal error (BrokenPipeError)", exit 3: its summary line is a plain ``print``, and only
the commands printing through a pipe-safe console were guarded.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from imu.cli import main
from imu.cli._output import PipeSafeStream, pipe_safe_console, stdout_broken


class ClosedPipe(io.StringIO):
    """A stdout whose reader went away: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_simulate_into_a_closed_pipe_writes_its_files_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    out = tmp_path / "a.parquet"
    assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1",
                 "--out", str(out)]) == 0
    assert out.exists() and (tmp_path / "a.truth.csv").exists()
    assert "internal error" not in capsys.readouterr().err


def test_a_console_over_the_guarded_stdout_still_sees_the_pipe_close(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console a live session prints through notes the close (and the session checks
    it): wrapped around the command's guarded stdout, it must see the pipe break itself."""
    monkeypatch.setattr(sys, "stdout", PipeSafeStream(ClosedPipe()))
    console = pipe_safe_console("live")
    console.print("rep 1")
    assert stdout_broken(console)
    assert "imu live: stdout was closed; no more output" in capsys.readouterr().err


def test_v_after_the_command_is_taken(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """An internal error says "run it again with -v"; put after the command, as most people
    would, it was "unrecognized arguments: -v"."""
    out = tmp_path / "a.parquet"
    assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--out", str(out),
                 "-v"]) == 0
    assert out.exists()
    assert main(["simulate", "reverse-crunch", "--out", str(out), "-x"]) == 2
    assert "unrecognized arguments: -x" in capsys.readouterr().err


def test_the_radio_stacks_own_warnings_are_kept_out_unless_asked(tmp_path: Path) -> None:
    """Trial 22: a replay broken off at 1000x printed 89 of Bumble's warnings ("!!! GATT
    Request timeout", raw colour codes) before the session's own words; -v shows them."""
    import logging

    bumble = logging.getLogger("bumble")
    before = bumble.level
    try:
        out = tmp_path / "a.parquet"
        assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--out",
                     str(out)]) == 0
        assert bumble.getEffectiveLevel() == logging.ERROR
        bumble.setLevel(logging.NOTSET)
        assert main(["-v", "info", str(out)]) == 0
        assert bumble.getEffectiveLevel() < logging.ERROR
    finally:
        bumble.setLevel(before)
