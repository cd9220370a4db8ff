"""Many movements not counted as reps get a note: they may be another exercise's reps.

A new-user trial recorded two sets of reverse crunches and then eight pelvic tilts in one
recording: the report said "16 reps in 2 sets" and nothing about the tilts, which the
analyzer had set aside one by one as fidgets (10-16 deg against the crunches' 54). The note
(:func:`imu.report.mismatch.set_aside_note`) says how many, where, and the command that
analyses them on their own; run as given, it finds the tilts.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.transform import Rotation

from imu.cli import main
from imu.io import write_recording
from imu.io.recording import Recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import Tempo


def _crunches_then_tilts(tmp_path: Path) -> tuple[Path, int]:
    """Two sets of 8 reverse crunches, then one set of 8 pelvic tilts, one recording at
    104 Hz (the same sensor mounting, both lying on the back). Returns its path and the
    number of tilts."""
    mount = Rotation.identity()
    crunches = simulate_session(SessionSpec("reverse-crunch", tempo=Tempo(2.0, 1.0, 2.0),
                                            seed=31, sets=2, reps=8, rest_s=30.0,
                                            mounting=mount, sampling_rate_hz=104))
    tilts = simulate_session(SessionSpec("pelvic-tilt", seed=33, sets=1, reps=8,
                                         mounting=mount, sampling_rate_hz=104))
    a, b = crunches.recording, tilts.recording
    rec = Recording(np.vstack((a.acc, b.acc)), np.vstack((a.gyr, b.gyr)), a.meta)
    path = tmp_path / "crunches_then_tilts.parquet"
    write_recording(rec, path)
    return path, len(tilts.truth)


def test_tilts_after_crunches_get_the_note_and_its_command_finds_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, tilts = _crunches_then_tilts(tmp_path)
    assert main(["analyze", str(path), "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if "smaller movements" in line]
    assert len(notes) == 1, err
    assert f"{tilts} smaller movements" in notes[0]
    assert "were not counted" in notes[0] and "another exercise" in notes[0]
    suggested = re.search(rf"imu analyze {re.escape(str(path))} --from (\d+) --exercise E "
                          r"--out DIR", notes[0])
    assert suggested is not None
    assert len(pd.read_csv(tmp_path / "a" / "reps.csv")) == 16  # the crunches, as before

    assert main(["analyze", str(path), "--from", suggested.group(1), "--exercise",
                 "pelvic-tilt", "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    assert len(pd.read_csv(tmp_path / "b" / "reps.csv")) == tilts


def test_a_plain_session_gets_no_such_note(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    sim = simulate_session(SessionSpec("reverse-crunch", seed=31, sets=2, reps=8,
                                       sampling_rate_hz=104))
    path = tmp_path / "plain.parquet"
    write_recording(sim.recording, path)
    assert main(["analyze", str(path), "--out", str(tmp_path / "a")]) == 0
    assert "smaller movements" not in capsys.readouterr().err
