"""The progress page's share plots are scaled to the shares they show, not always 0-100 %.

UX review: a participant whose swing reps fell from 13 % to 0 % over six weeks saw a line
along the bottom eighth of a 0-100 % plot, the fall hard to see; the summary above it said
"13% of reps in the first week, 0% in the last". The axis now ends a little above the
largest share (at least 25 %, at most 100 %), so the trend fills the plot.
"""

from __future__ import annotations

import pytest

from imu import research
from imu.report.plots import NARROW
from imu.report.progress import PROGRESS_WIDE, build_progress, swing_figure
from tests.report.test_progress_judged import tables


def _swings(per_session: list[int], reps: int = 10) -> research.Dataset:
    """One reverse crunch session a week, ``per_session[i]`` of its ``reps`` reps swings."""
    data = tables("reverse-crunch", ["3-1-3"] * len(per_session), reps=reps)
    out = data.reps.copy()
    for i, n in enumerate(per_session):
        rows = out.index[out["session_id"].str.endswith(f"-{i}")][:n]
        out.loc[rows, ["swing", "clean"]] = [True, False]
    return research.Dataset(out, data.sets, data.sessions)


@pytest.mark.parametrize("layout", [PROGRESS_WIDE, NARROW])
def test_small_swing_shares_fill_the_plot(layout) -> None:  # type: ignore[no-untyped-def]
    progress = build_progress(_swings([2, 1, 1, 0]))  # 20 %, 10 %, 10 %, 0 %
    low, high = swing_figure(progress, layout).axes[0].get_ylim()
    assert 20 < high <= 35, (low, high)  # the largest share, with room above it
    assert -5 < low <= 0


def test_a_week_of_all_swings_still_shows_100_percent() -> None:
    progress = build_progress(_swings([10, 5]))
    low, high = swing_figure(progress).axes[0].get_ylim()
    assert 100 <= high < 110, (low, high)


def test_no_swings_at_all_keeps_a_readable_range() -> None:
    progress = build_progress(_swings([0, 0, 0]))
    low, high = swing_figure(progress).axes[0].get_ylim()
    assert 25 <= high < 35, (low, high)


def test_the_summary_keeps_each_date_on_one_line() -> None:
    """UX review: on a phone "(best 10, 2024-02-12)" broke after a hyphen, "2024-02-" /
    "12". Every ISO date of the summary's text is kept whole."""
    import re

    from imu.report.progress import build_progress, render_progress_html
    from tests.report.test_progress_judged import tables

    page = render_progress_html(build_progress(tables("reverse-crunch", ["3-1-3"] * 5, reps=10)))
    summary = page.split("<h2>Over the weeks</h2>")[0]
    dates = re.findall(r"(.{0,30})(\d{4}-\d{2}-\d{2})", summary)
    advice = [d for d in dates if "meta" not in d[0]]
    assert advice, summary
    for before, date in advice:
        assert before.endswith('<span class="nowrap">'), (before, date)


def test_the_summary_tiles_show_where_the_last_session_stands_against_the_bar() -> None:
    """UX review: the tiles gave sessions, sessions a week and "267 / 300 clean reps", while
    the number that decides what to do next (10 of the 15 reps at a 3 s descent in one set)
    was only in the prose under them. It is a tile now, the figure of the prose's "You stand
    at"; an exercise with no bar has no such tile."""
    from imu.report.progress import build_progress, render_progress_html, standing_text
    from tests.report.test_progress_judged import tables

    progress = build_progress(tables("reverse-crunch", ["3-1-3"] * 5, reps=10))
    page = render_progress_html(progress)
    tiles = page.split('<ul class="stats">')[1].split("</ul>")[0]
    assert ("<li><b>10 / 15</b>clean reps with a 3 s descent (2.75 s or more) in one set, "
            "last session</li>") in tiles
    assert "You stand at 10 in your last session" in standing_text(progress)
    none = render_progress_html(build_progress(tables("dead-bug", ["2-1-2"] * 2, reps=6)))
    assert "in one set, last session" not in none
