"""A quoted pattern given to a command that takes files.

``imu info 'recordings/*.parquet'`` (and ``imu analyze``, ``imu replay``) said
"recordings/*.parquet: no such file" although nine files match it: the shell leaves a quoted
pattern alone, and only ``imu batch``, ``export-bids`` and ``progress`` expand one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.mark.parametrize("command", [["info"], ["analyze", "--out", "OUT"],
                                     ["replay", "--out", "OUT"]])
def test_a_quoted_pattern_says_to_leave_the_quotes_out(tmp_path, capsys, command):
    for name in ("a.parquet", "b.parquet"):
        shutil.copy(RECORDING, tmp_path / name)
    pattern = str(tmp_path / "*.parquet")
    argv = [command[0], pattern, *(str(tmp_path / a) if a == "OUT" else a for a in command[1:])]
    assert main(argv) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "a pattern" in line and "matches 2 files" in line and "leave the quotes out" in line


def test_a_pattern_matching_nothing_says_so(tmp_path, capsys):
    assert main(["info", str(tmp_path / "*.csv")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "no file matches it as a pattern either" in line
