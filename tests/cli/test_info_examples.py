"""Every example of ``imu info --help`` runs as written.

The trial: the WLE belt example stopped with exit 2, "carlitos_E: cannot scale raw counts":
it lacked ``--counts-scale-by user_name``, which the ``imu convert`` example has. Each example
is run with a file of its name: a bundled recording, a phone-style CSV made from one, and the
WLE belt data (skipped when absent).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import build_parser, main
from imu.frames import STANDARD_GRAVITY
from imu.io.recording import read_recording

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "dead_bug.parquet"
WLE = Path("/work/shared/data/wle-belt/wle_belt_dev.csv")


def _epilog() -> str:
    parser = build_parser("info")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    epilog = sub.choices["info"].epilog
    assert epilog
    return str(epilog)


def examples() -> list[list[str]]:
    """The example command lines of ``imu info --help``, continuation lines joined."""
    text = _epilog().split("examples:\n", 1)[1]
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not raw.startswith("  "):
            break
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1] + " " + line
        elif line.startswith("imu info"):
            lines.append(line)
    return [shlex.split(line) for line in lines]


def _phone_csv(path: Path) -> None:
    """A bundled recording written as a phone export: time in ms, acc in g, gyro in deg/s."""
    rec = read_recording(RECORDING)
    n = rec.n_samples
    frame = pd.DataFrame({"time_s": np.arange(n) / rec.sampling_rate_hz * 1000.0})
    for i, axis in enumerate("xyz"):
        frame[f"acc_{axis}"] = rec.acc[:, i] / STANDARD_GRAVITY
    for i, axis in enumerate("xyz"):
        frame[f"gyr_{axis}"] = np.degrees(rec.gyr[:, i])
    frame.dropna().to_csv(path, index=False)


def test_the_examples_are_found() -> None:
    found = examples()
    assert len(found) == 3
    assert all(words[:2] == ["imu", "info"] for words in found)
    wle = [w for w in found if "wle_belt_dev.csv" in w]
    assert wle and "--counts-scale-by" in wle[0]


@pytest.mark.parametrize("words", examples(), ids=lambda w: w[2])
def test_each_example_runs_as_written(
    words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = words[2]
    if name == "wle_belt_dev.csv":
        if not WLE.exists():
            pytest.skip(f"{WLE} is not here")
        shutil.copy(WLE, tmp_path / name)
    elif name.endswith(".parquet"):
        shutil.copy(RECORDING, tmp_path / name)
    else:
        _phone_csv(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    code = main(words[1:])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "error" not in said.err
