"""A prescribed bottom pause on the HTML report: its column, and the note that it is not judged.

Trial 24: ``imu analyze out/s.parquet --tempo 3-1-3-1``: the page's header named the pause
("prescribed tempo 3-1-3-1 (up-hold-down-pause, s)") but "Reps by set" had no pause column and
nothing said the pause was not judged, while the terminal said so and docs/reports.md promised
the column.
"""

from __future__ import annotations

import html
import math
import re

import pytest

from imu.io import read_recording
from imu.report import SessionReport, analyze_recording
from imu.report.html import render_html
from imu.tempo import parse_tempo


def _text(page: str) -> str:
    inline = re.sub(r"</?(strong|span|em)\b[^>]*>", "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)))


def _report(tempo: str) -> SessionReport:
    return analyze_recording(
        read_recording("recordings/reverse_crunch.parquet"), "reverse-crunch", parse_tempo(tempo)
    )


@pytest.fixture(scope="module")
def paused() -> SessionReport:
    return _report("3-1-3-1")


def test_a_prescribed_pause_gets_its_column_and_the_note(paused: SessionReport) -> None:
    text = _text(render_html([paused]))
    assert "Pause (s) [1, not judged]" in text
    assert ("The bottom pause of 3-1-3-1 is shown (the reps table's pause column) but not "
            "judged: on tempo means the way up, the hold at the top and the way down.") in text
    first = paused.reps.iloc[0]["bottom_pause_s"]
    assert not math.isnan(first)
    # The first rep's row holds its pause, after its down time.
    assert re.search(rf"Rep .*? 1 \S+ \S+ \S+ {first:.1f} ", text)


def test_no_pause_prescribed_no_column_and_no_note() -> None:
    text = _text(render_html([_report("3-1-3")]))
    assert "Pause (s)" not in text
    assert "bottom pause of" not in text
