"""The report judges by the analyzer's own rules: its ``--tempo-tolerance`` and its gap bridge.

Red cells, ▼/▲ marks and the summary's tempo evidence once used the default tolerance (0.25)
whatever ``--tempo-tolerance`` the reps were judged with, and the report called a gap lost by
``end - start > 0.6 s`` while the analyzer bridges runs of up to ``round(0.6 x rate)`` samples.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from matplotlib.collections import PathCollection

from imu.core.analyzer import AnalyzerParams
from imu.core.metrics import TempoTolerance
from imu.exercises import FaultThresholds, get_profile
from imu.io import read_recording
from imu.io.recording import Gap, RecordingMeta
from imu.report import SessionReport, analyze_recording, reps_table
from imu.report.html import render_html
from imu.report.plots import tempo_figure
from imu.report.session import lost_spans_s
from imu.report.summary import summarize
from imu.report.tables import off_phases, phase_limits
from imu.report.terminal import reps_view
from imu.tempo import parse_tempo
from tests.report.helpers import make_set

T313 = parse_tempo("3-1-3")
CRUNCH = get_profile("reverse-crunch")
HALF = TempoTolerance(fraction=0.5)
OFF_CELL = re.compile(
    r'<span class="off" title="off tempo, (short|long): prescribed ([0-9.]+) s">'
    r"([0-9.]+)([▼▲])</span>")


@pytest.fixture(scope="module")
def lenient() -> SessionReport:
    """The bundled reverse crunch at 3-1-3 judged with ``--tempo-tolerance 0.5``."""
    return analyze_recording(read_recording("recordings/reverse_crunch.parquet"),
                             "reverse-crunch", T313,
                             AnalyzerParams(tempo_tolerance=HALF))


def test_the_report_carries_the_analyzers_tolerance(lenient: SessionReport) -> None:
    assert lenient.tolerance == HALF
    assert lenient.params.tempo_tolerance == HALF


def test_red_cells_use_the_tempo_tolerance_of_the_analysis(lenient: SessionReport) -> None:
    """Set 2 rep 3's 2.1 s up (band 1.5-4.5 s at 0.5) was marked "2.1▼" by the 0.25 rule."""
    page = render_html([lenient])
    cells = OFF_CELL.findall(page)
    assert cells
    for way, prescribed, value, arrow in cells:
        slack = HALF.slack_s(float(prescribed))
        assert abs(float(value) - float(prescribed)) > slack - 0.05, (way, prescribed, value)
        assert arrow == ("▼" if way == "short" else "▲")
    assert "2.1▼" not in page
    # tempo_ok agrees with the marks: every rep off tempo has a mark, none on tempo has one.
    for row in lenient.reps.to_dict(orient="records"):
        off = off_phases(row, T313, tolerance=lenient.tolerance)
        assert bool(off) == (not row["tempo_ok"] and not row["in_gap"])
        for column, way in off.items():
            target = float(getattr(T313, column))
            assert abs(row[column] - target) > HALF.slack_s(target)
            assert (row[column] < target) == (way == "short")


def test_the_tempo_plot_marks_the_same_phases(lenient: SessionReport) -> None:
    fig = tempo_figure(lenient)
    marks = sum(len(c.get_offsets()) for c in fig.axes[0].collections
                if isinstance(c, PathCollection))  # the ▼/▲ scatter marks
    expected = sum(len(off_phases(row, T313, tolerance=HALF))
                   for row in lenient.reps.to_dict(orient="records"))
    default = sum(len(off_phases(row, T313))
                  for row in lenient.reps.to_dict(orient="records"))
    assert expected < default  # the tolerance changes the marks
    assert marks == expected


def test_the_summary_tempo_evidence_uses_the_tolerance() -> None:
    """Clean reps off only in the descent at 0.5: no "up phase" advice from the 0.25 rule.

    The descent is slower than prescribed (4.7 s of 3): no fault, so no advice either way."""
    reps = reps_table(make_set(1, 6, 0.0, 12.0, concentric_s=2.1, top_hold_s=1.0,
                               eccentric_s=4.7, tempo_ok=False))
    strict = {f.phase for f in summarize(reps, CRUNCH, T313).fixes if f.rule == "tempo"}
    lenient = {f.phase for f in summarize(reps, CRUNCH, T313, tolerance=HALF).fixes
               if f.rule == "tempo"}
    assert strict == {"up"}
    assert lenient == set()


def test_the_terminal_table_takes_the_tolerance_for_its_decimals() -> None:
    """A 3.01 s up against 2 s prescribed: the 0.5 band ends at 3.0 s, so "3.01" (off), not
    "3.0", which reads as on tempo; the default band ends at 2.5 s: "3.0" is off either way."""
    reps = reps_table(make_set(1, 2, 0.0, 10.0, concentric_s=3.01, tempo_ok=False))
    reps = reps.assign(concentric_ratio=reps["concentric_s"] / 2.0,
                       eccentric_ratio=1.0, top_hold_ratio=1.0)
    from rich.console import Console

    def printed(tolerance: TempoTolerance | None) -> str:
        console = Console(width=200, record=True)
        console.print(reps_view(reps, tolerance=tolerance))
        return console.export_text()

    assert "3.01" in printed(HALF)
    assert "3.01" not in printed(None) and "3.0" in printed(None)


def test_the_short_hold_line_follows_the_thresholds() -> None:
    assert len(phase_limits("top_hold_s", 1.0)) == 3  # 1 s and more prescribed: judged
    assert len(phase_limits("top_hold_s", 0.5)) == 2
    low = FaultThresholds(short_hold_min_prescribed_s=0.5)
    assert len(phase_limits("top_hold_s", 0.5, thresholds=low)) == 3


def _meta(gaps: tuple[Gap, ...], rate_hz: float) -> RecordingMeta:
    return RecordingMeta(sampling_rate_hz=rate_hz, device="test", gaps=gaps)


def test_lost_gaps_follow_the_analyzers_sample_count_rule() -> None:
    """At 26 Hz the analyzer bridges round(0.6 x 26) = 16 samples (0.615 s): not lost."""
    meta = _meta((Gap(100, 116), Gap(300, 317)), 26.0)
    assert lost_spans_s(meta, 26.0) == ((300 / 26.0, 317 / 26.0),)
    # Gaps that touch are one run of missing samples, as the analyzer sees them.
    meta = _meta((Gap(100, 110), Gap(110, 120)), 26.0)
    assert lost_spans_s(meta, 26.0) == ((100 / 26.0, 120 / 26.0),)
    # 104 Hz: 62 samples bridged, 63 lost.
    meta = _meta((Gap(0, 62), Gap(200, 263)), 104.0)
    assert lost_spans_s(meta, 104.0) == ((200 / 104.0, 263 / 104.0),)


def test_the_report_uses_the_max_interp_of_its_analysis(lenient: SessionReport) -> None:
    gapped = replace(lenient, meta=replace(lenient.meta, gaps=(Gap(100, 150),)))
    assert len(gapped.lost_spans_s) == 1
    bridged = replace(gapped, params=AnalyzerParams(max_interp_s=1.0))
    assert bridged.lost_spans_s == ()


def test_analyze_recording_keeps_its_params(tmp_path: Path) -> None:
    params = AnalyzerParams(max_interp_s=0.3, tempo_tolerance=HALF)
    report = analyze_recording(read_recording("recordings/reverse_crunch.parquet"),
                               "reverse-crunch", T313, params)
    assert report.params is params
