"""A rep after a pause that broke the set's rhythm (``missed_before``) is told everywhere."""

from __future__ import annotations

import dataclasses

from imu.core.metrics import Rep, TempoTolerance
from imu.exercises import get_profile
from imu.live.views import MISSED_BEFORE_WORDS, rep_line
from imu.report import reps_table
from imu.report.html import summary_html
from imu.report.summary import summarize, summary_lines
from imu.report.terminal import MISSED_LEGEND, reps_view
from imu.tempo import parse_tempo
from tests.report.helpers import make_set, table_rows, terminal_text

DEAD_BUG = get_profile("dead-bug")
TEMPO = parse_tempo("2-1-2")


def _reps(marked: bool = True) -> list[Rep]:
    reps = make_set(1, 5, 0.0, 6.0)
    reps[3] = dataclasses.replace(reps[3], con_start_s=30.0, missed_before=marked)
    return reps


def test_the_reps_table_carries_the_mark() -> None:
    table = reps_table(_reps())
    assert table["missed_before"].dtype == bool
    assert table["missed_before"].tolist() == [False, False, False, True, False]


def test_the_terminal_marks_the_rep_with_a_legend() -> None:
    text = terminal_text(reps_view(reps_table(_reps())))
    assert [r[1] for r in table_rows(text)] == ["1", "2", "3", "*4", "5"]
    assert MISSED_LEGEND in " ".join(text.split())
    plain = terminal_text(reps_view(reps_table(_reps(marked=False))))
    assert "*" not in plain and "missing" not in plain


def test_the_summary_and_the_card_say_where_a_rep_may_be_missing() -> None:
    summary = summarize(reps_table(_reps()), DEAD_BUG, TEMPO)
    assert summary.missed_before == "set 1, rep 4"
    line = next(x for x in summary_lines(summary) if "may be missing" in x)
    assert line.startswith("A rep may be missing before set 1, rep 4")
    assert "may be missing before set 1, rep 4" in summary_html(summary)
    quiet = summarize(reps_table(_reps(marked=False)), DEAD_BUG, TEMPO)
    assert not any("missing" in x for x in summary_lines(quiet))
    assert "may be missing" not in summary_html(quiet)


def test_a_table_written_before_the_column_says_nothing_of_it() -> None:
    old = reps_table(_reps()).drop(columns="missed_before")
    assert summarize(old, DEAD_BUG, TEMPO).missed_before == ""
    assert "*" not in terminal_text(reps_view(old))


def test_the_live_rep_line_says_a_rep_may_be_missing() -> None:
    reps = _reps()
    tol = TempoTolerance()
    assert MISSED_BEFORE_WORDS in rep_line(reps[3], TEMPO, tol, profile=DEAD_BUG)
    assert MISSED_BEFORE_WORDS not in rep_line(reps[2], TEMPO, tol, profile=DEAD_BUG)


def test_the_phone_page_badges_the_rep_after_a_long_pause() -> None:
    from imu.live.events import RepDone
    from imu.live.web.state import CoachingState
    from imu.report.summary import MISSED_BEFORE_NOTE

    state = CoachingState(DEAD_BUG.title, TEMPO, clock=lambda: 100.0, profile=DEAD_BUG)
    for rep in _reps():
        state.apply(RepDone(rep, 0.0, 0.0))
    marks = [r["missed_before"] for r in state.snapshot()["reps"]]
    assert marks.count(MISSED_BEFORE_NOTE) == 1 and marks.count(None) == 4
