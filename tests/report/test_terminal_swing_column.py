"""The terminal's reps table at 80 columns: no empty swing column squeezing the faults.

Found trying the tool: ``imu analyze`` of a dead bug (which never judges swing) in an
80-column terminal printed an empty "swing" column and folded the faults into an 8-character
column: "back / arch" on two lines, "back / arch, / hips / rotating" on four.
"""

from __future__ import annotations

from imu.report import reps_table
from imu.report.terminal import reps_view
from tests.report.helpers import make_rep, make_set, terminal_text


def _text(renderable: object) -> str:
    return terminal_text(renderable, width=80)


def _braced_set(swing: bool = False, gap: bool = False) -> list:
    reps = make_set(1, 4, 0.0, 9.0, side="left")
    reps[0] = make_rep(1, 1, 0.0, side="left", faults={"back_arch"})
    reps[1] = make_rep(1, 2, 9.0, side="right", faults={"hips_rotating"})
    if swing or gap:
        reps[2] = make_rep(1, 3, 18.0, side="left", swing=True, in_gap=gap)
    return reps


def test_without_a_swing_the_faults_read_whole_at_80_columns() -> None:
    text = _text(reps_view(reps_table(_braced_set())))
    header = next(line for line in text.splitlines() if "faults" in line)
    assert "swing" not in header.split()
    assert "back arch" in text and "hips rotating" in text, text


def test_a_swing_keeps_its_column() -> None:
    text = _text(reps_view(reps_table(_braced_set(swing=True))))
    header = next(line for line in text.splitlines() if "faults" in line)
    assert "swing" in header.split()


def test_a_swing_over_a_data_gap_is_not_judged_so_no_column() -> None:
    text = _text(reps_view(reps_table(_braced_set(gap=True))))
    header = next(line for line in text.splitlines() if "faults" in line)
    assert "swing" not in header.split() and "not judged" in text


def test_a_narrow_terminal_keeps_the_set_and_drops_an_empty_faults_column() -> None:
    """Trial 21: at 40 columns the set went first and an empty faults column stayed: two sets
    of reps read 1..4, 1..4 with nothing to tell them apart."""
    clean = [*make_set(1, 4, 0.0, 9.0), *make_set(2, 4, 100.0, 9.0)]
    text = terminal_text(reps_view(reps_table(clean)), width=40)
    header = next(line for line in text.splitlines() if "rep" in line.split())
    assert "set" in header.split() and "faults" not in header.split(), text
    # With a fault, its column is kept before the set's.
    faulted = [*clean[:7], make_rep(2, 4, 127.0, faults={"back_arch"})]
    text = terminal_text(reps_view(reps_table(faulted)), width=40)
    assert "back" in text, text
