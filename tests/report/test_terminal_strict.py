"""The terminal tables: a strict lift's hip drives, an 80-column sets table, its legends.

1. A standing strict lift's reps are hip drives: its table showed up/hold/down columns and
   tempo "off" for each. It now tells what a hip drive has, as the page's table: when it
   began, how far the pelvis moved, and its notes (uncertain, over a data gap).
2. The sets table's last header, "clean before swing/fault", was cut at 80 columns
   ("swing/…"); it is "clean run" now, and a legend under the table says what it counts and
   how many uncertain reps the swing and fault counts leave out.
"""

from __future__ import annotations

import dataclasses

from imu.exercises import get_profile
from imu.report import reps_table
from imu.report.tables import sets_table
from imu.report.terminal import reps_view, sets_view
from tests.report.helpers import make_rep, make_set, table_rows, terminal_text

STRICT = get_profile("standing-strict")


def _drives() -> list:
    """Three hip drives far apart, the last uncertain; the second over a data gap."""
    return [dataclasses.replace(make_rep(k, 1, start, swing=True, rom_deg=rom),
                                count_confidence=confidence, in_gap=gap)
            for k, (start, rom, confidence, gap) in enumerate(
                ((23.0, 14.0, 0.9, False), (100.0, 12.0, 0.8, True),
                 (124.0, 6.0, 0.1, False)), start=1)]


def test_a_strict_lift_lists_hip_drives_placed_in_time() -> None:
    text = terminal_text(reps_view(reps_table(_drives()), strict=True, profile=STRICT),
                         width=80)
    flat = " ".join(text.split())
    assert flat.startswith("hip drives hip at pelvis drive s moved deg notes")
    rows = table_rows(text)
    assert [r[:3] for r in rows] == [["1", "23", "14"], ["2", "100", "12"], ["3", "124", "6"]]
    assert "over a data gap: not judged, not counted in the advice" in flat
    # Why, as the page's badge says it (imu.report.coaching.doubt), never "may be sway".
    assert ("uncertain: may not be a hip drive (too small to be sure: only 6°); not counted "
            "in the advice") in flat
    for word in ("tempo", "off", "swing", "up", "down", "set"):
        assert f" {word} " not in f" {flat} ", word
    assert max(len(line) for line in text.splitlines()) <= 80


def test_hip_drives_without_notes_have_no_notes_column() -> None:
    reps = [dataclasses.replace(r, count_confidence=1.0, in_gap=False) for r in _drives()]
    text = terminal_text(reps_view(reps_table(reps), strict=True))
    assert "notes" not in text
    assert table_rows(text)[0] == ["1", "23", "14"]


def test_no_hip_drive_found() -> None:
    assert terminal_text(reps_view(reps_table([]), strict=True)).strip() == "no hip drives found"


def test_the_sets_table_fits_80_columns_whole() -> None:
    reps = make_set(1, 3, 0.0, 9.0) + make_set(2, 12, 100.0, 9.0)
    reps[1] = make_rep(1, 2, 9.0, swing=True)
    text = terminal_text(sets_view(sets_table(reps_table(reps))), width=80)
    assert "…" not in text, text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    flat = " ".join(text.split())
    header = [line.split() for line in text.splitlines()[:5]]  # each header whole
    assert ["set", "reps", "s", "s", "s", "s", "s", "deg", "tempo", "swings", "faults",
            "run"] in header
    assert ("clean run: clean reps before the first swing or fault (a swing is no fault, but "
            "it ends the run)") in flat


def test_the_sets_legend_says_how_many_uncertain_reps_it_left_out() -> None:
    reps = make_set(1, 4, 0.0, 9.0)
    reps[1] = dataclasses.replace(make_rep(1, 2, 9.0, faults={"hips_rotating"}, swing=True),
                                  count_confidence=0.0)
    table = reps_table(reps)
    sets = sets_table(table)
    assert int(sets.iloc[0]["swings"]) == 0  # the tables' rule (imu.report.tables)
    flat = " ".join(terminal_text(sets_view(sets, reps=table), width=80).split())
    assert "swings and faults leave out the 1 uncertain rep (?)" in flat
    sure = reps_table(make_set(1, 4, 0.0, 9.0))
    assert "uncertain" not in terminal_text(sets_view(sets_table(sure), reps=sure))
