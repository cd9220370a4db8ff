"""A swing ends the run of clean reps: every page says "before the first swing or fault".

Found trying the tool: a set with one swing and no fault read "9 clean (no form fault), 1
clean before the first fault" in report.html, and the progress plot's line "best set's clean
reps before the first fault" sat at 1 beside dots of 5 clean reps in a set with no fault;
the terminal already says "clean run: clean reps before the first swing or fault (a swing is
no fault, but it ends the run)".
"""

from __future__ import annotations

import re

from imu.report import reps_table
from imu.report.html import render_html
from imu.report.progress import build_progress, render_progress_html
from tests.report.helpers import make_rep, make_set
from tests.report.test_progress_judged import tables
from tests.report.test_trial_uncertain_strict import _report


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_report_set_line_says_a_swing_ends_the_run() -> None:
    reps = make_set(1, 4, 0.0, 9.0)
    reps[1] = make_rep(1, 2, 9.0, swing=True)
    page = _text(render_html([_report(reps_table(reps), "reverse-crunch")]))
    assert "3 clean (no form fault), 1 clean before the first swing or fault" in page, page
    assert "before the first fault" not in page
    assert "Clean reps before a swing or fault, best set" in page


def test_the_progress_week_table_says_it_too() -> None:
    page = _text(render_progress_html(build_progress(tables("reverse-crunch", ["3-1-3"] * 2))))
    # Review: "(mean)" read as the mean over sets; it is each session's best set, averaged.
    assert ("Best set: clean before the first swing or fault (weekly mean of sessions)"
            in page)
    assert "before the first fault" not in page
