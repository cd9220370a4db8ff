"""An empty input name is refused by every command that reads recordings.

Found trying the tool: ``imu analyze "" --out o`` (an unset shell variable) read the current
folder as a phone export and named some other file found there ("x.xlsx: the zip file is
damaged ..."); ``imu batch "" --out ds`` (and ``progress``, ``export-bids``) searched the
current folder and offered the glob ``/*.csv``, the root's CSV files. ``imu info``,
``convert``, ``replay`` and ``recover`` already refused it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main


@pytest.mark.parametrize("command", [
    ["analyze", "", "--out", "OUT"],
    ["analyze", "other.csv", "", "--out", "OUT"],
    ["batch", "", "--out", "OUT"],
    ["progress", "", "--out", "OUT"],
    ["export-bids", "", "--out", "OUT"],
])
def test_an_empty_input_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch,
                                        command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.zip").write_bytes(b"PK\x03\x04 cut short")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    argv = [a.replace("OUT", str(tmp_path / "o")) for a in command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'' names no file" in err, err
    assert "other." not in err and "/*.csv" not in err
    assert not (tmp_path / "o").exists()
