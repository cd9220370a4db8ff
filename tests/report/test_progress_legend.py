"""The clean-reps plot of the progress page says what each mark counts.

Its bar counts clean reps *with a 3 s descent* in one set, while its dots count every clean
rep of a set: a set of 16 clean reps at a 1 s descent stood above a bar labelled
"progression bar (15)", which it does not meet. The text is checked, not the pixels.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np

from imu.report.progress import build_progress, clean_figure, render_progress_html
from tests.report.test_progress_judged import tables


def _legend(fig: object) -> list[str]:
    [legend] = fig.legends  # type: ignore[attr-defined]
    return [text.get_text() for text in legend.get_texts()]


def test_the_bar_and_the_marks_it_counts_are_named_apart() -> None:
    # 16 clean reps a set; the descent is 1 s, 1.5 s, 2 s, 2.5 s, then 3 s.
    progress = build_progress(tables("reverse-crunch", ["3-1-3"] * 5, reps=16))
    assert progress.bar == 15
    fig = clean_figure(progress)
    try:
        assert sorted(_legend(fig)) == sorted([
            "weekly mean: best set's clean reps before the first swing or fault",
            "clean reps in a set (any descent)",
            "best set of a session: clean reps with a 3 s descent (2.75 s or more)",
            "progression bar: 15 clean reps with a 3 s descent (2.75 s or more) in one set",
        ])
        ax = fig.axes[0]
        by_label = {c.get_label(): c for c in ax.collections}
        crosses = by_label["best set of a session: clean reps with a 3 s descent (2.75 s or more)"]
        # Only the last session's reps (3 s) count towards the bar, all 16 of them.
        assert list(np.asarray(crosses.get_offsets())[:, 1]) == [0, 0, 0, 0, 16]
        dots = by_label["clean reps in a set (any descent)"]
        assert list(np.asarray(dots.get_offsets())[:, 1]) == [16] * 5
    finally:
        plt.close(fig)
    page = render_progress_html(progress)
    assert html.escape(
        "crosses of each session's best set counting only the clean reps with a 3 s descent "
        "(2.75 s or more); "
        "and a dotted line at the progression bar, 15 such reps in one set.") in page


def test_an_exercise_without_a_bar_shows_no_marks_of_it() -> None:
    progress = build_progress(tables("dead-bug", ["2-1-2"] * 2, reps=6))
    assert progress.bar is None
    fig = clean_figure(progress)
    try:
        assert sorted(_legend(fig)) == sorted([
            "weekly mean: best set's clean reps before the first swing or fault",
            "clean reps in a set (any descent)",
        ])
    finally:
        plt.close(fig)
