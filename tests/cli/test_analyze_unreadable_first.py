"""An empty or truncated FILE is told as such, not as a table that names no exercise.

Without ``--exercise``, ``imu analyze`` of an empty CSV or a truncated Parquet file said "it is a
table or export, not a recording of imu ... pass --exercise", which sent the user to the wrong
fix; the reader's own error (empty, not readable Parquet) now comes first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.mark.parametrize(("name", "content", "said"), [
    ("empty.csv", b"", "empty"),
    ("empty.parquet", b"", "not a readable Parquet file"),
    ("cut.parquet", RECORDING.read_bytes()[:3000], "not a readable Parquet file"),
])
def test_an_unreadable_file_is_told_before_the_missing_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["analyze", str(path), "--out", str(tmp_path / "out")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert said in line and "--exercise" not in line, line
