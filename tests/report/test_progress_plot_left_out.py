"""The progress page's share plots say when uncertain reps are left out, as the week table does.

The weekly table's headings said "Swing reps (%, uncertain reps left out)", but the plots of
swing reps per week and hold faults per week (drawn from the same shares) did not: their
titles and alt text now say "uncertain reps left out" ("uncertain holds left out" for a hold),
only when some uncertain reps were left out.
"""

from __future__ import annotations

import pytest

from imu import research
from imu.report.plots import NARROW
from imu.report.progress import (
    PROGRESS_WIDE,
    build_progress,
    hold_faults_figure,
    render_progress_html,
    swing_figure,
)
from tests.report.test_progress_judged import tables
from tests.research.test_uncertain_shares import _dataset


def _holds(uncertain: bool) -> research.Dataset:
    data = tables("plank", ["1-30-1"] * 2, reps=2)
    reps = data.reps.assign(count_confidence=1.0)
    reps.loc[0, ["hips_sagging", "clean", "fault_count"]] = [True, False, 1]
    if uncertain:
        reps.loc[0, "count_confidence"] = 0.1
    return research.Dataset(reps, data.sets, data.sessions)


def _title(fig) -> str:  # type: ignore[no-untyped-def]
    return " ".join(fig.axes[0].get_title().split())


@pytest.mark.parametrize("layout", [PROGRESS_WIDE, NARROW])
def test_the_swing_plot_says_uncertain_reps_are_left_out(layout) -> None:  # type: ignore[no-untyped-def]
    progress = build_progress(_dataset(uncertain=True))
    assert _title(swing_figure(progress, layout)) == (
        "Swing reps per week (uncertain reps left out)")
    page = render_progress_html(progress)
    assert "Line of the percentage of swing reps in each week (uncertain reps left out)." in page
    sure = build_progress(_dataset(uncertain=False))
    assert _title(swing_figure(sure, layout)) == "Swing reps per week"
    assert "left out" not in render_progress_html(sure)


@pytest.mark.parametrize("layout", [PROGRESS_WIDE, NARROW])
def test_the_hold_faults_plot_says_uncertain_holds_are_left_out(layout) -> None:  # type: ignore[no-untyped-def]
    progress = build_progress(_holds(uncertain=True))
    assert _title(hold_faults_figure(progress, layout)) == (
        "Hold faults per week (uncertain holds left out)")
    assert "in each week (uncertain holds left out)." in render_progress_html(progress)
    sure = build_progress(_holds(uncertain=False))
    assert _title(hold_faults_figure(sure, layout)) == "Hold faults per week"
    assert "left out" not in render_progress_html(sure)
