"""``imu analyze`` says on the terminal what a lost sensor cost, as the HTML report does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.io import read_recording, write_recording
from imu.io.recording import gaps_from_nan


def _cut(path: Path, a_s: float, b_s: float) -> Path:
    """The bundled reverse crunch with ``[a_s, b_s)`` lost (NaN, listed as a gap)."""
    rec = read_recording("recordings/reverse_crunch.parquet")
    fs = rec.sampling_rate_hz
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    rows = slice(round(a_s * fs), round(b_s * fs))
    acc[rows] = np.nan
    gyr[rows] = np.nan
    meta = replace(rec.meta, gaps=gaps_from_nan(~np.isnan(acc[:, 0])))
    write_recording(type(rec)(acc, gyr, meta), path)
    return path


def test_analyze_prints_what_the_gap_cost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = _cut(tmp_path / "cut.parquet", 25.9, 26.7)
    assert main(["analyze", str(cut), "--tempo", "3-1-3", "--out", str(tmp_path / "out")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "The sensor was lost for 0.8 s (from 25.9 to 26.7 s)" in printed
    page = " ".join((tmp_path / "out" / "report.html").read_text(encoding="utf-8").split())
    assert "The sensor was lost for 0.8 s (from 25.9 to 26.7 s)" in page


def test_no_gap_no_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "recordings/reverse_crunch.parquet", "--out",
                 str(tmp_path / "out")]) == 0
    assert "The sensor was lost" not in capsys.readouterr().out
