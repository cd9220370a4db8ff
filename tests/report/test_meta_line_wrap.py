"""The report's first line under its title never breaks inside the tempo or the date.

UX review: at phone width (390 px) the report of a reverse crunch at 3-1-3 opened with
"2 Dec 2026 12:25 UTC · prescribed tempo 3-" and "1-3 (up-hold-down, s)" on the next line:
read as a tempo of "3-" and a line starting "1-3". The combined report's headings already
kept the tempo and the date whole; the single report's line did not.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from imu.report import SessionReport, analyze_recording
from imu.report.html import render_html
from imu.tempo import parse_tempo
from tests.browser import Browser


@pytest.fixture(scope="module")
def crunch_page(recording, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    # Dated, as every live or simulated recording is: "2 Dec 2026 12:25 UTC · prescribed ...".
    dated = replace(recording, meta=replace(recording.meta, start_time_s=1_796_214_300.0))
    report: SessionReport = analyze_recording(dated, "reverse-crunch", parse_tempo("3-1-3"))
    page = tmp_path_factory.mktemp("meta") / "report.html"
    page.write_text(render_html([report]), encoding="utf-8")
    return page, str(report.tempo)


def test_the_tempo_and_the_date_are_kept_whole_in_the_html(crunch_page) -> None:
    page, tempo = crunch_page
    text = page.read_text(encoding="utf-8")
    meta = text.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert f'<span class="nowrap">{tempo}</span>' in meta, meta


@pytest.mark.slow
@pytest.mark.parametrize("width", [320, 360, 390])
def test_the_tempo_is_on_one_line_at_phone_width(browser: Browser, crunch_page,
                                                  width: int) -> None:
    page, tempo = crunch_page
    browser.open(page, width, 844)
    lines = browser.js(
        "const p = document.querySelector('p.meta');"
        "const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);"
        "while (walker.nextNode()) { const n = walker.currentNode;"
        "  const i = n.data.indexOf(arguments[0]); if (i < 0) continue;"
        "  const r = document.createRange(); r.setStart(n, i);"
        "  r.setEnd(n, i + arguments[0].length);"
        "  return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
        "return -1", tempo)
    assert lines == 1, f"tempo {tempo} on {lines} lines at {width} px"
