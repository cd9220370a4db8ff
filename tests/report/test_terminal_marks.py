"""The terminal tables: uncertain reps are marked, and a swing ends the clean run in words too."""

from __future__ import annotations

import dataclasses

from imu.report import reps_table
from imu.report.tables import sets_table
from imu.report.terminal import reps_view, sets_view
from tests.report.helpers import make_rep, make_set, table_rows, terminal_text


def test_uncertain_reps_are_marked_with_a_legend() -> None:
    reps = make_set(1, 4, 0.0, 9.0)
    reps[1] = dataclasses.replace(make_rep(1, 2, 9.0, faults={"hips_rotating"}),
                                  count_confidence=0.0)
    reps[3] = dataclasses.replace(reps[3], count_confidence=0.3)
    text = terminal_text(reps_view(reps_table(reps)))
    rows = table_rows(text)
    assert [r[1] for r in rows] == ["1", "2?", "3", "4?"]
    assert ("? uncertain: may not be a rep; never counted clean, and its swing and faults are "
            "left out of the advice and of the sets table's counts") in \
        " ".join(text.split())


def test_no_mark_or_legend_when_every_rep_is_sure() -> None:
    text = terminal_text(reps_view(reps_table(make_set(1, 3, 0.0, 9.0))))
    assert "?" not in text and "uncertain" not in text


def test_mark_fits_an_80_column_terminal() -> None:
    reps = make_set(1, 3, 0.0, 9.0, side="left")
    reps[0] = dataclasses.replace(make_rep(1, 1, 0.0, side="left",
                                           faults={"hips_rotating", "back_arch"}),
                                  count_confidence=0.1)
    text = terminal_text(reps_view(reps_table(reps)), width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert table_rows(text)[0][1] == "1?"


def test_sets_table_says_a_swing_ends_the_clean_run() -> None:
    """"swings 1, faults 0, clean before a fault 0" read as a contradiction: a swing is no
    fault, yet it ended the run of clean reps. The legend under the table names both (the
    header, "clean run", is short enough for 80 columns)."""
    reps = make_set(1, 3, 0.0, 9.0)
    reps[0] = make_rep(1, 1, 0.0, swing=True)
    table = reps_table(reps)
    sets = sets_table(table)
    assert int(sets.iloc[0]["clean_reps_before_first_fault"]) == 0
    text = terminal_text(sets_view(sets))
    lines = [line.rstrip() for line in text.splitlines()]
    assert not any(line.endswith("a fault") for line in lines)
    header = next(i for i, line in enumerate(lines) if line.endswith("clean"))
    assert lines[header + 1].endswith("run")
    assert ("clean run: clean reps before the first swing or fault (a swing is no fault, but "
            "it ends the run)") in " ".join(text.split())
