"""The progress page of one week of sessions without a participant reads plainly.

The trial's page was titled "unknown: reverse crunch progress", each weekly plot had its own
x-range ("30 Nov-03 Dec", "30 Nov-07 Dec"...) with the weekly points mid-week under an axis
that said "week starting (Monday)", and the descent read "2 s, then 3 s since 2026-W49" for
data of that one week.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from imu.batch import UNKNOWN_PARTICIPANT
from imu.report.progress import (
    build_progress,
    clean_figure,
    eccentric_figure,
    frequency_figure,
    headline,
    hold_faults_figure,
    hold_figure,
    prescription_text,
    render_progress_html,
    swing_figure,
)
from tests.report.test_progress_judged import tables


def _title(page: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page)
    assert found is not None
    return found.group(1)


def test_no_participant_is_left_out_of_the_title() -> None:
    data = tables("reverse-crunch", ["3-1-3", "3-1-3"], participant=UNKNOWN_PARTICIPANT)
    page = render_progress_html(build_progress(data, exercise="reverse-crunch"))
    assert _title(page) == "Reverse crunch progress"
    assert "<title>Reverse crunch progress</title>" in page
    assert "unknown" not in page.split("</h1>")[0]
    named = render_progress_html(build_progress(tables("reverse-crunch", ["3-1-3"])))
    assert _title(named) == "P01: reverse crunch progress"


def _figures(progress: object, hold: bool = False) -> list[object]:
    if hold:
        return [frequency_figure(progress), hold_figure(progress),  # type: ignore[arg-type]
                hold_faults_figure(progress)]  # type: ignore[arg-type]
    return [frequency_figure(progress), clean_figure(progress),  # type: ignore[arg-type]
            eccentric_figure(progress), swing_figure(progress)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("exercise", "tempos", "days"), [
    ("reverse-crunch", ["2-1-2", "2-1-2", "3-1-3"], ["2026-11-30", "2026-12-01", "2026-12-03"]),
    ("reverse-crunch", ["3-1-3"] * 3, ["2024-01-01", "2024-01-10", "2024-01-24"]),
    ("plank", ["1-30-1"] * 2, ["2024-01-02", "2024-01-04"]),
])
def test_weekly_plots_share_one_x_range_of_whole_weeks(exercise: str, tempos: list[str],
                                                       days: list[str]) -> None:
    progress = build_progress(tables(exercise, tempos, days), exercise=exercise)
    weeks = progress.weekly["week_start"]
    first = pd.Timestamp(weeks.min()).tz_localize(None)
    last = pd.Timestamp(weeks.max()).tz_localize(None)
    want = (mdates.date2num(first), mdates.date2num(last + pd.Timedelta(days=7)))
    figures = _figures(progress, hold=exercise == "plank")
    shared = figures[0].axes[0].get_xlim()  # type: ignore[attr-defined]
    # The whole weeks, with a few points' room at each end for an edge marker.
    room = shared[1] - want[1]
    assert shared[0] == pytest.approx(want[0] - room)
    assert 0 < room < 0.02 * (want[1] - want[0])
    for fig in figures:
        ax = fig.axes[0]  # type: ignore[attr-defined]
        assert ax.get_xlim() == pytest.approx(shared), ax.get_title()
        label = ax.get_xlabel()
        assert label != "week starting (Monday)"
        assert "Monday to Sunday" in label
        # Every weekly point lies in the middle of its week (Monday to Sunday), as the
        # label says: never on a tick (a Monday) nor mid-way to the next.
        points = [line for line in ax.get_lines() if line.get_marker() not in ("None", "")]
        for line in points:
            for x in np.asarray(line.get_xdata(orig=False), dtype=float):
                assert want[0] < x < want[1]
                assert (x - want[0]) % 7 == pytest.approx(3.5)


def test_a_change_within_the_one_week_is_said_plainly() -> None:
    data = tables("reverse-crunch", ["2-1-2", "2-1-2", "3-1-3"],
                  ["2026-11-30", "2026-12-01", "2026-12-03"], participant=UNKNOWN_PARTICIPANT)
    progress = build_progress(data, exercise="reverse-crunch")
    text = prescription_text(progress)
    assert text == "2 s, then 3 s later in 2026-W49"
    lines = " ".join(headline(progress))
    assert "since 2026-W49" not in lines
    assert "(2 s, then 3 s later in 2026-W49)" in lines


def test_a_change_in_a_later_week_keeps_its_since() -> None:
    data = tables("reverse-crunch", ["2-1-2", "3-1-3"], ["2024-01-01", "2024-01-08"])
    assert prescription_text(build_progress(data)) == "2 s, then 3 s since 2024-W02"


def test_one_day_of_sessions_is_not_a_range() -> None:
    data = tables("reverse-crunch", ["3-1-3", "3-1-3"], ["2024-01-03", "2024-01-03"])
    page = render_progress_html(build_progress(data))
    assert "2024-01-03 to 2024-01-03" not in page
    assert '<p class="meta">2024-01-03 · 2 sessions with reps</p>' in page
