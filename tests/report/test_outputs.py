"""write_reports and the HTML report."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from imu.report import DISCLAIMER, ReportError, SessionReport, write_reports
from imu.report.html import render_html
from imu.report.plots import MAX_PLOT_POINTS, decimate

FILES = [
    "reps.csv",
    "reps.parquet",
    "sets.csv",
    "sets.parquet",
    "session.csv",
    "session.parquet",
    "report.html",
]


def test_write_reports_writes_every_file(report: SessionReport, tmp_path: Path) -> None:
    written = write_reports(report, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_parquet_twins_equal_the_csv(report: SessionReport, tmp_path: Path) -> None:
    write_reports(report, tmp_path)
    for name in ("reps", "sets", "session"):
        from_parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        from_csv = pd.read_csv(tmp_path / f"{name}.csv")
        pd.testing.assert_frame_equal(from_parquet, from_csv, check_dtype=False)
        # Parquet keeps the dtypes exactly.
        pd.testing.assert_frame_equal(from_parquet, getattr(report, name))


def test_several_recordings_get_a_recording_column(report: SessionReport, tmp_path: Path) -> None:
    both = [replace(report, name="mon"), replace(report, name="wed")]
    write_reports(both, tmp_path)
    reps = pd.read_parquet(tmp_path / "reps.parquet")
    session = pd.read_parquet(tmp_path / "session.parquet")
    assert reps.columns[0] == "recording"
    assert reps["recording"].tolist() == ["mon"] * len(report.reps) + ["wed"] * len(report.reps)
    assert session["recording"].tolist() == ["mon", "wed"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("<figure>") == 6
    assert html.count("data:image/png;base64,") == 12  # each figure for desktops and phones


def test_html_is_self_contained(report: SessionReport) -> None:
    html = render_html([report])
    images = re.findall(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 3 and all(len(b) > 1000 for b in images)
    assert DISCLAIMER in html
    assert str(report.session["verdict"].iloc[0]) in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<table" in html


def test_html_without_reps(report: SessionReport) -> None:
    empty = replace(
        report, reps=report.reps.iloc[:0], sets=report.sets.iloc[:0], trace=report.trace[:0]
    )
    html = render_html([empty])
    # No tilt either: words, not an empty frame (tests/report/test_floor_report.py).
    assert html.count("<figure>") == 0 and "Nothing to plot" in html
    # The tilt alone: plots of every rep's phases would be empty frames ("no reps").
    html = render_html([replace(empty, trace=report.trace)])
    assert html.count("<figure>") == 1 and html.count("data:image/png;base64,") == 2


def test_plot_decimation() -> None:
    assert decimate(100) == slice(None, None, 1)
    n = 3_600 * 104
    assert len(range(n)[decimate(n)]) <= MAX_PLOT_POINTS


def test_unwritable_output_is_a_report_error(report: SessionReport, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="cannot write reports"):
        write_reports(report, blocker / "out")
