"""A recording too short to analyse says so, instead of a verdict about the movement."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.errors import AnalysisError
from imu.io import Gap, Recording, read_recording, write_recording
from imu.report.session import MIN_ANALYSIS_S, check_long_enough
from tests.io.helpers import synthetic_samples

BUNDLED = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def test_a_three_row_csv_is_too_short_not_a_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "short.csv"
    synthetic_samples().head(3).to_csv(path, index=False)
    argv = ["analyze", str(path), "-e", "reverse-crunch", "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "too short to analyse: 0.06 s of data (3 samples at 50 Hz)" in captured.err
    assert f"at least {MIN_ANALYSIS_S:g} s" in captured.err and "Traceback" not in captured.err
    assert "verdict" not in captured.out and "pelvis" not in captured.out
    assert not (tmp_path / "o" / "reps.csv").exists()


def _recording(seconds: float, gap_s: float = 0.0) -> Recording:
    rec = read_recording(BUNDLED)
    n = round(seconds * rec.sampling_rate_hz)
    acc, gyr = rec.acc[:n].copy(), rec.gyr[:n].copy()
    m = round(gap_s * rec.sampling_rate_hz)
    gaps = (Gap(0, m, "test"),) if m else ()
    acc[:m], gyr[:m] = np.nan, np.nan
    return Recording(acc, gyr, replace(rec.meta, gaps=gaps, annotations=()))


def test_the_minimum_counts_data_outside_gaps() -> None:
    check_long_enough(_recording(MIN_ANALYSIS_S + 0.1), "ok.parquet")  # long enough
    with pytest.raises(AnalysisError, match=r"gappy\.parquet: too short .* s of gaps"):
        check_long_enough(_recording(10.0, gap_s=8.0), "gappy.parquet")


def test_a_long_enough_recording_is_analysed(tmp_path: Path) -> None:
    path = tmp_path / "short.parquet"
    write_recording(_recording(MIN_ANALYSIS_S + 0.5), path)
    assert main(["analyze", str(path), "-e", "reverse-crunch", "--out", str(tmp_path / "o")]) == 0
