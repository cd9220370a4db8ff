"""``imu analyse`` (the README's own spelling) and unknown commands with the closest one.

``imu analyse`` was argparse's "invalid choice"; it is now an alias of ``imu analyze``, and a
command ``imu`` does not have names the closest one ("did you mean analyze?"), without
loading anything heavy first (tests/cli/test_startup.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imu.cli import ALIASES, COMMANDS, main
from tests.cli.helpers import one_error_line
from tests.cli.test_startup import HEAVY, PROBE

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def test_every_alias_names_a_command() -> None:
    assert ALIASES == {"analyse": "analyze"}
    assert all(command in COMMANDS for command in ALIASES.values())


def test_analyse_is_analyze(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(RECORDING), "--out", str(tmp_path / "o")]) == 0
    said = capsys.readouterr()
    assert "wrote: reps.csv" in said.out
    assert (tmp_path / "o" / "report.html").exists()
    # Its notes and errors name the command as the --help does: imu analyze.
    assert main(["analyse", str(RECORDING), "--out", str(tmp_path / "p"), "--bogus"]) == 2
    assert one_error_line(capsys.readouterr().err).startswith(
        "imu analyze: error: unrecognized arguments: --bogus")


@pytest.mark.parametrize(("typed", "meant"), [("analyz", "analyze"), ("anlayse", "analyze"),
                                              ("simualte", "simulate"), ("conver", "convert")])
def test_an_unknown_command_names_the_closest(
    capsys: pytest.CaptureFixture[str], typed: str, meant: str
) -> None:
    assert main([typed, "x"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"imu: error: argument COMMAND: invalid choice: {typed!r}; did you "
                           f"mean {meant}? (choose from info, convert, ")


@pytest.mark.parametrize(("word", "names"), [("report", "imu analyze"), ("record", "imu live"),
                                             ("import", "imu convert")])
def test_a_word_for_a_task_names_the_command_for_it(
    word: str, names: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 21: 'imu report' was asked "did you mean recover?"."""
    from imu.cli import TASK_WORDS

    assert main([word]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"invalid choice: {word!r}; {TASK_WORDS[word]} (choose from" in line
    assert names in TASK_WORDS[word] and "did you mean" not in line
    import re

    named = {m for text in TASK_WORDS.values() for m in re.findall(r"imu ([a-z-]+)", text)}
    assert named and named <= set(COMMANDS)  # every command named exists


def test_nothing_close_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["xyzzy"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "did you mean" not in line and "(choose from info, convert," in line


def test_an_unknown_command_loads_nothing_heavy() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY)), "analyz", "x"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert "did you mean analyze?" in proc.stderr
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []
