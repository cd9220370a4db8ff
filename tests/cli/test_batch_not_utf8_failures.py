"""``imu batch`` fails a file whose name is not UTF-8 with the line the other commands give.

Found in a folder given (the shell's words are checked before any work), such a name failed
with the raw ``UnicodeEncodeError: 'utf-8' codec can't encode character '\\udce9' in position
19: surrogates not allowed``, and writing ``_failures.csv`` then failed on the name itself:
the batch ended in "imu batch: error: a file or folder name holds the byte 0xe9...", with no
summary, no failures table and a ``_failures.csv`` of its header alone, though the other files
were stored. Now the file fails with the reason and ``mv`` fix of ``imu info``/``analyze``, and
the table and ``_failures.csv`` name it with the byte as ``\\xe9``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import done_sessions
from imu.cli import main
from imu.io.load import not_utf8_name

REPO = Path(__file__).resolve().parents[2]
RECORDING = REPO / "recordings" / "reverse_crunch.parquet"


def _latin1(folder: Path, name: bytes) -> str:
    """The path of ``name`` (raw bytes) in ``folder`` as Python gives it: escaped."""
    return os.fsdecode(os.path.join(os.fsencode(folder), name))


def test_a_file_named_in_latin1_fails_with_the_mv_fix_and_the_others_are_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RECORDING, folder / "ok.parquet")
    bad = _latin1(folder, b"b\xe9se.parquet")
    shutil.copy(RECORDING, os.fsencode(bad))
    out = tmp_path / "ds"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0"]) == 1
    said = capsys.readouterr()
    text = " ".join(said.out.split())
    shown = f"{folder}/b\\xe9se.parquet"
    reason = (f"the name holds the byte 0xe9, which is not UTF-8, and Parquet files cannot be "
              f"read or written under such a name; rename it with letters your system writes "
              f"as UTF-8 (e.g. mv $'{shown}' NEW_NAME)")
    assert f"failed: {shown}: {reason}" in text
    assert "UnicodeEncodeError" not in said.out + said.err
    assert "analysed 1 session" in text and "1 failed" in text  # the summary, then the table
    assert "imu batch: error" not in said.err
    failures = pd.read_csv(out / "_failures.csv")
    assert list(failures["file"]) == [shown]
    assert list(failures["reason"]) == [reason]
    assert len(done_sessions(out)) == 1
    # The same reason as the single-file commands give (after the quoted name).
    assert not_utf8_name(bad) == f"'{shown}': {reason}"


def test_a_folder_named_in_latin1_is_the_part_to_rename(tmp_path: Path) -> None:
    inner = Path(_latin1(tmp_path, b"s\xe9ances"))
    assert not_utf8_name(str(inner / "a.parquet")).endswith(
        f"the folder name 's\\xe9ances' holds the byte 0xe9, which is not UTF-8, and Parquet "
        "files cannot be read or written under such a name; rename it with letters your "
        f"system writes as UTF-8 (e.g. mv $'{tmp_path}/s\\xe9ances' NEW_NAME)")
