"""The progress plots show every marker whole, at the edges too.

Found in a new-user trial: the last session's markers were cut in half at the right edge of
the clean-reps plot (a session late on a Sunday sits at the end of the week span), and so were
the first's on a Monday morning, and every week at 0 % swing reps or 0 clean reps with a 3 s
descent on the bottom edge.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from imu import research
from imu.report.plots import NARROW, PlotLayout
from imu.report.progress import (
    PROGRESS_WIDE,
    build_progress,
    clean_figure,
    hold_faults_figure,
    swing_figure,
)
from tests.report.test_progress_judged import tables

WEEKS = 20
"""Weeks of sessions: many, so that a day is a few pixels and an edge session is on the edge."""


def _dataset(exercise: str) -> research.Dataset:
    """A session every week from a Monday just after midnight to a Sunday just before it."""
    first = pd.Timestamp("2024-01-01")  # a Monday
    days = [f"{first + pd.Timedelta(weeks=w):%Y-%m-%d}" for w in range(WEEKS - 1)]
    days.append(f"{first + pd.Timedelta(weeks=WEEKS - 1, days=6):%Y-%m-%d}")  # a Sunday
    tempo = "1-30-1" if exercise == "plank" else "3-1-3"
    data = tables(exercise, [tempo] * WEEKS, days)
    moved = []
    for frame in (data.reps, data.sets, data.sessions):
        frame = frame.copy()
        dates = pd.to_datetime(frame["date"])
        day = dates.dt.normalize()
        minutes = np.where((dates == dates.max()).to_numpy(), 23 * 60 + 50, 10)
        frame["date"] = day + pd.to_timedelta(minutes, unit="min")
        moved.append(frame)
    return research.Dataset(*moved)


def _markers(ax: Axes, fig: Figure) -> list[tuple[float, float, float]]:
    """Every marker drawn in ``ax``: its centre (display px) and radius (px)."""
    px_per_pt = fig.dpi / 72
    found: list[tuple[float, float, float]] = []
    for line in ax.get_lines():
        if line.get_marker() in ("None", "", None, " "):
            continue
        assert isinstance(line, Line2D)
        radius = (line.get_markersize() + line.get_markeredgewidth()) / 2 * px_per_pt
        xy = np.column_stack([line.get_xdata(orig=False), line.get_ydata(orig=False)])
        for x, y in ax.transData.transform(xy.astype(float)):
            found.append((x, y, radius))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if not isinstance(collection, PathCollection) or not len(offsets):
            continue
        size = float(np.max(collection.get_sizes()))
        width = float(np.max(np.atleast_1d(collection.get_linewidth())))
        radius = (math.sqrt(size) + width) / 2 * px_per_pt
        for x, y in ax.transData.transform(offsets):
            found.append((x, y, radius))
    return found


@pytest.mark.parametrize("layout", [PROGRESS_WIDE, NARROW], ids=["desktop", "phone"])
@pytest.mark.parametrize(("exercise", "draw"), [
    ("reverse-crunch", clean_figure),
    ("reverse-crunch", swing_figure),
    ("plank", hold_faults_figure),
])
def test_every_marker_is_whole_inside_the_axes(exercise: str, draw: object,
                                               layout: PlotLayout) -> None:
    progress = build_progress(_dataset(exercise), exercise=exercise)
    fig = draw(progress, layout)  # type: ignore[operator]
    fig.set_dpi(layout.dpi)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    box = ax.bbox
    markers = _markers(ax, fig)
    assert markers, "the plot draws markers"
    cut = [(round(x), round(y)) for x, y, r in markers
           if x - r < box.x0 - 0.5 or x + r > box.x1 + 0.5
           or y - r < box.y0 - 0.5 or y + r > box.y1 + 0.5]
    assert not cut, f"{ax.get_title()}: markers cut at the axes' edge at {cut[:5]} (px)"
