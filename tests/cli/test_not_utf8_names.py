"""File and folder names that are not UTF-8 (Latin-1 from an old drive, a zip made on Windows).

Python gets such a name with its bytes escaped (``'r\\udce9.parquet'``), which pyarrow cannot
encode: ``imu info r<0xe9>.parquet`` ended in a ``UnicodeEncodeError`` traceback, and so did
``imu analyze base.csv --out <0xe9>/`` after the whole analysis, and ``imu batch`` of a folder
holding such a file. Each is now one line naming the byte and the rename.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line
from tests.io.helpers import synthetic_samples

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def _latin1(folder: Path, name: bytes) -> str:
    """The path of ``name`` (raw bytes) in ``folder`` as Python gives it: escaped."""
    return os.fsdecode(os.path.join(os.fsencode(folder), name))


def test_a_recording_whose_name_is_not_utf8_is_one_line(tmp_path, capsys):
    path = _latin1(tmp_path, b"r\xe9.parquet")
    shutil.copy(RECORDING, os.fsencode(path))
    for command in (["info", path], ["analyze", path, "--out", str(tmp_path / "out")]):
        assert main(command) == 2
        line = one_error_line(capsys.readouterr().err)
        assert "0xe9" in line and "not UTF-8" in line and "rename it" in line
        assert "mv $'" in line and "r\\xe9.parquet" in line
    assert not (tmp_path / "out").exists()


def test_an_output_folder_whose_name_is_not_utf8_is_refused_before_any_work(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    synthetic_samples(n=300).to_csv(csv, index=False)
    out = _latin1(tmp_path, b"out\xe9")
    assert main(["analyze", str(csv), "-e", "reverse-crunch", "--out", out]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("imu analyze: error: ") and "0xe9" in line
    assert not os.path.exists(os.fsencode(out))


def test_a_name_found_inside_a_folder_is_one_line_too(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RECORDING, os.fsencode(_latin1(folder, b"r\xe9.parquet")))
    code = main(["batch", str(folder), "--out", str(tmp_path / "ds"), "--workers", "0"])
    assert code == 2
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    assert said.err.strip().splitlines()[-1].startswith("imu batch: error: ")
    # The file's reason in the failures table (tests/cli/test_batch_not_utf8_failures.py)
    assert "0xe9" in said.out and "rename it" in said.out


@pytest.mark.parametrize("name", ["séance.csv", "日本.csv"])
def test_utf8_names_beyond_ascii_still_work(tmp_path, capsys, name):
    path = tmp_path / name
    synthetic_samples(n=300).to_csv(path, index=False)
    assert main(["convert", str(path), str(tmp_path / f"{name}.parquet")]) == 0
    assert main(["info", str(tmp_path / f"{name}.parquet")]) == 0
