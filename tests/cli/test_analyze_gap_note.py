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


def _many_gaps(path: Path, n: int) -> Path:
    """The bundled reverse crunch with ``n`` gaps of 0.8 s (each too long to bridge)."""
    rec = read_recording("recordings/reverse_crunch.parquet")
    fs = rec.sampling_rate_hz
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    for start in np.linspace(2 * fs, rec.n_samples - 2 * fs, n).astype(int):
        acc[start : start + round(0.8 * fs)] = np.nan
        gyr[start : start + round(0.8 * fs)] = np.nan
    meta = replace(rec.meta, gaps=gaps_from_nan(~np.isnan(acc[:, 0])))
    write_recording(type(rec)(acc, gyr, meta), path)
    return path


def test_many_gaps_are_named_a_few_and_listed_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """60 gaps were all named in one line of some 1500 characters."""
    cut = _many_gaps(tmp_path / "cut.parquet", 60)
    out = tmp_path / "out"
    assert main(["analyze", str(cut), "--tempo", "3-1-3", "--out", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    note = next(s for s in printed.split("The sensor was lost")[1:])
    spans = note.split("):")[0]
    assert spans.count("from ") == 3, spans
    assert spans.endswith(f"and 57 more, all listed in {out / 'report.html'}"), spans
    page = " ".join((out / "report.html").read_text(encoding="utf-8").split())
    assert "and 57 more, all listed below" in page
    assert "All 60 gaps" in page and page.count("<li>from ") == 60


def test_a_few_gaps_are_all_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = _many_gaps(tmp_path / "cut.parquet", 5)
    assert main(["analyze", str(cut), "--out", str(tmp_path / "out")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    spans = printed.split("The sensor was lost")[1].split("):")[0]
    assert spans.count("from ") == 5 and "more" not in spans, spans
