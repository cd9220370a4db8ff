"""An empty output path is refused by every command, in one line, before anything is written;
helps that say which clock or which tempo applies."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from imu.cli import main

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder, so anything written "into the current folder" shows."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


@pytest.mark.parametrize(
    "argv",
    [
        ["batch", str(RECORDING), "--out", ""],  # said "input ...: no recordings found"
        ["simulate-cohort", ""],  # wrote 288 sessions into the current folder
        ["simulate-cohort", " "],
        ["eval", "--out", ""],
        ["progress", str(RECORDING), "--out", ""],
        ["convert", str(RECORDING), ""],
        ["export-bids", str(RECORDING), "--out", ""],
        ["recover", "x.imuj", "--out", ""],
        ["replay", str(RECORDING), "--out", ""],
        ["live", "--sim", "plank", "--out", ""],
    ],
    ids=lambda argv: f"{argv[0]}{argv[1:].count('') or ''}",
)
def test_an_empty_out_is_refused_in_one_line(
    argv: list[str], in_empty_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert re.search(r"'\s*' names no (file or )?folder; give one, e.g. \S", err), err
    assert "no recordings found" not in err
    assert os.listdir(in_empty_folder) == []


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("", "--out '' names no file; give one, e.g. --out out/session.parquet"),
        ("sd/", "--out sd/ is a folder; give a file name in it, e.g. --out sd/session.parquet "
         "(its ground truth goes beside it as sd/session.truth.csv)"),
        ("sd", "--out sd is a folder; give a file name in it, e.g. --out sd/session.parquet"),
        ("sd/x.csv", "name it sd/x.parquet (the ground truth goes beside it as sd/x.truth.csv)"),
    ],
)
def test_simulate_names_a_file_for_a_folder_or_nothing(
    out: str, says: str, in_empty_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said 'name it sd/.parquet' for sd/ and 'name it .parquet' for ''."""
    (in_empty_folder / "sd").mkdir()
    assert main(["simulate", "plank", "--out", out]) == 2
    err = capsys.readouterr().err
    assert says in err, err
    assert "name it .parquet" not in err and "sd/.parquet" not in err
    assert os.listdir(in_empty_folder / "sd") == []


def _help(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_progress_help_says_tempo_is_over_the_recorded_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Its help said 'for recordings without one' while --tempo overrides, as in analyze."""
    text = _help("progress", capsys)
    assert "without one" not in text.split("--tempo U-H-D", 2)[-1].split("--manifest")[0]
    assert "over its recorded one (as in imu analyze and imu batch" in text


def test_live_help_says_which_clock_each_option_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help("live", capsys)
    give_up = text.split("--give-up S end", 1)[1].split("--web")[0]
    assert "real (wall-clock) seconds" in give_up
    reconnect = text.split("--sim-reconnect-after S the", 1)[1].split("--sim-mtu")[0]
    assert "simulated (data) seconds" in reconnect and "S / --speed real seconds" in reconnect


def test_analyze_refuses_an_empty_out(in_empty_folder: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(RECORDING), "--out", ""]) == 2
    assert "names no folder" in capsys.readouterr().err
    assert os.listdir(in_empty_folder) == []
