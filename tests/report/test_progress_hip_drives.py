"""The progress page of a standing strict lift: hip drives, never "clean reps".

Found trying the tool on a simulated standing-curl cohort: the page's summary read "0 / 33
clean reps" (a hip drive is the fault, never clean), the week table "Time under tension" and
"Clean reps (%) 0%", a plot of clean reps that were all zeros, and the hip-drive line counted
the uncertain drives that every session's verdict leaves out ("4 hip drives (1 uncertain not
counted)") without a word.
"""

from __future__ import annotations

import re

from imu.report.progress import build_progress, headline, render_progress_html
from tests.report.test_progress_judged import tables


def hip_drive_tables(weeks: int, uncertain: int = 0):
    """``weeks`` weekly sessions of 4 hip drives each; the first ``uncertain`` unsure."""
    data = tables("standing-curl", ["2-0-2"] * weeks)
    data.reps["swing"] = True
    data.reps["clean"] = False
    data.reps["count_confidence"] = 0.9
    data.reps.loc[data.reps.index[:uncertain], "count_confidence"] = 0.2
    data.sets["clean_reps"] = 0
    return data


def _drives(uncertain: int = 0):
    """Two weekly sessions of 4 hip drives each; the first ``uncertain`` of them unsure."""
    return build_progress(hip_drive_tables(2, uncertain))


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_summary_counts_hip_drives_not_clean_reps() -> None:
    text = _text(render_progress_html(_drives()))
    assert "clean reps" not in text and "Clean reps" not in text, text
    assert "8 hip drives" in text and "2 sessions with hip drives" in text
    assert "Time under tension" not in text and "Hip drives found" in text


def test_uncertain_hip_drives_are_left_out_of_the_counts_and_said() -> None:
    progress = _drives(uncertain=1)
    line = next(x for x in headline(progress) if x.startswith("Hip drive:"))
    assert "3.0 a session in the first week, 4.0 in the last" in line, line
    assert "1 uncertain hip drive left out (the analyzer is not sure it was a hip drive)" in line
    text = _text(render_progress_html(progress))
    assert "7 hip drives (1 uncertain not counted)" in text
    assert "Hip drives found (uncertain ones too)" in text


def test_a_reverse_crunch_page_keeps_its_clean_reps() -> None:
    text = _text(render_progress_html(build_progress(tables("reverse-crunch", ["3-1-3"] * 2))))
    assert "8 / 8 clean reps" in text and "Time under tension" in text
