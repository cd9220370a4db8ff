"""What the person sees in the report where there is little to show, and a four-number tempo.

A recording in which the pelvis never moved had a tilt figure with nothing in it: an empty
frame from -0.04 to 0.04 s and -0.04 to 0.04 deg around the words "no pelvic movement". A
tempo of four numbers (``2-1-2-1``, the fourth the bottom pause) was called "up-hold-down".
"""

from __future__ import annotations

import re

from imu.report import analyze_recording
from imu.report.html import render_html
from imu.report.plots import NARROW, WIDE, report_figures
from imu.report.session import SessionReport
from imu.tempo import parse_tempo
from tests.report.helpers import make_recording


def still_report() -> SessionReport:
    """A sensor lying still for 68 s (12 "reps" of 0 deg): no rep, no movement axis, no tilt."""
    return analyze_recording(make_recording(reps_per_set=(12,), rom_deg=0.0), "reverse-crunch")


def plots_section(page: str) -> str:
    """The HTML under the page's "Plots" heading, up to the next heading of its level."""
    return page.split("<h2>Plots</h2>", 1)[1].split("<h2", 1)[0]


def test_no_pelvic_movement_gets_words_not_an_empty_figure() -> None:
    report = still_report()
    assert report.reps.empty and len(report.trace) == 0
    assert report_figures(report, WIDE) == [] and report_figures(report, NARROW) == []
    plots = plots_section(render_html([report]))
    assert "<img" not in plots and "<figure" not in plots
    assert "Nothing to plot: the sensor found no pelvic movement in this recording." in plots


def test_a_recording_with_reps_keeps_its_tilt_figure(report: SessionReport) -> None:
    alts = [alt for _, alt in report_figures(report)]
    assert alts[0].startswith("Pelvis tilt in degrees over time")
    plots = plots_section(render_html([report]))
    assert plots.count("<figure") == len(alts) and "Nothing to plot" not in plots


def test_a_four_number_tempo_is_named_with_its_pause(report: SessionReport) -> None:
    four = analyze_recording(make_recording(reps_per_set=(6,)), "reverse-crunch",
                             tempo=parse_tempo("2-1-2-1"))
    meta = re.search(r'<p class="meta">(.*?)</p>', render_html([four]))
    assert meta is not None
    # The tempo is kept on one line (a nowrap span): the words, without the markup.
    words = re.sub(r"<[^>]+>", "", meta.group(1))
    assert "prescribed tempo 2-1-2-1 (up-hold-down-pause, s)" in words
    titles = [fig.axes[0].get_title().replace("\n", " ") for fig, _ in report_figures(four)]
    assert any("2-1-2-1 (up-hold-down-pause, s)" in t for t in titles), titles
    # Three numbers keep their words.
    assert "prescribed tempo 2-1-2 (up-hold-down, s)" in re.sub(r"<[^>]+>", "",
                                                                 render_html([report]))
    titles = [fig.axes[0].get_title().replace("\n", " ") for fig, _ in report_figures(report)]
    assert any("2-1-2 (up-hold-down, s)" in t for t in titles), titles
