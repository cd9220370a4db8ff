"""A manifest given to ``imu progress`` as an input says what it is and how to give it.

A trial ran ``imu progress coh/manifest.csv --out prog``: the manifest was read as a
recording ("column(s) 'time_s', 'acc_x' ... not found; name your columns with --time-col")
and the page failed with "no analysed sessions to show; check the inputs".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.io import write_recording
from imu.sim import SessionSpec, simulate_session

from .helpers import one_error_line


def test_a_manifest_as_input_names_the_command_that_takes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "coh"
    folder.mkdir()
    for day in (8, 10):
        sim = simulate_session(SessionSpec("reverse-crunch", seed=day, sets=1, reps=6,
                                           sampling_rate_hz=52))
        write_recording(sim.recording, folder / f"P01_2024-01-{day:02d}.parquet")
    manifest = folder / "manifest.csv"
    manifest.write_text(
        "file,participant,exercise,tempo,date\n"
        "P01_2024-01-08.parquet,P01,reverse-crunch,2-1-2,2024-01-08T18:00:00Z\n"
        "P01_2024-01-10.parquet,P01,reverse-crunch,2-1-2,2024-01-10T18:00:00Z\n",
        encoding="utf-8",
    )
    assert main(["progress", str(manifest), "--out", str(tmp_path / "p")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{manifest} is a manifest" in line and "not a recording" in line
    assert f"--manifest {manifest}" in line
    # The command it names makes the page.
    assert main(["progress", str(folder), "--manifest", str(manifest), "--out",
                 str(tmp_path / "p")]) == 0
    assert (tmp_path / "p").is_dir()
