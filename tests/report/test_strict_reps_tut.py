"""A standing strict lift's reps table gives its hip drives no time under tension.

The sets and session tables already left a strict lift's ``tut_s`` missing (its every rep is
a hip drive: a pelvic burst while the arms lift, with no tempo and nothing under tension),
but the reps table (``reps.csv``, ``reps.parquet``, the live session's end report) still gave
every hip drive seconds "under tension". Now it is NaN there too, with the same columns and
dtypes as every other exercise's reps table; without a profile (as ``imu eval`` builds it)
the table is as before. The hint that "hip drives" look like controlled reps, which timed
them by that column, times them by their onset and end.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.exercises import get_profile
from imu.io import read_recording
from imu.live.finish import live_report
from imu.report import reps_table
from imu.report.mismatch import not_hip_drives
from imu.report.tables import REPS_DTYPES
from imu.tempo import parse_tempo
from tests.report.helpers import make_set
from tests.report.test_strict_sets import analyzed_curls_table, simulated_curls

STRICT = get_profile("standing-curl")
CRUNCH = get_profile("reverse-crunch")


def test_the_reps_table_gives_a_strict_lift_no_time_under_tension() -> None:
    reps = make_set(1, 3, 0.0, 9.0, swing=True, tempo_ok=False)
    strict = reps_table(reps, STRICT)
    assert strict["tut_s"].isna().all()  # was each hip drive's seconds
    timed = reps_table(reps, CRUNCH)
    assert (timed["tut_s"] > 0).all()
    # Everything else is as for any exercise, and the schema is one for all.
    assert list(strict.columns) == list(timed.columns) == list(REPS_DTYPES)
    assert dict(strict.dtypes.astype(str)) == dict(timed.dtypes.astype(str))
    others = [c for c in REPS_DTYPES if c != "tut_s"]
    pd.testing.assert_frame_equal(strict[others], timed[others])
    # No profile (imu eval's call): unchanged, every rep timed.
    pd.testing.assert_frame_equal(reps_table(reps), timed)


def test_an_empty_strict_reps_table_keeps_the_schema() -> None:
    empty = reps_table([], STRICT)
    assert empty.empty and dict(empty.dtypes.astype(str)) == REPS_DTYPES


def test_the_live_end_report_of_a_strict_lift_has_no_tut_in_its_reps(tmp_path: Path) -> None:
    path = simulated_curls(tmp_path)
    report = live_report(read_recording(path), list(make_set(1, 2, 5.0, swing=True)), STRICT,
                         parse_tempo("2-0-2"))
    assert len(report.reps) == 2 and report.reps["tut_s"].isna().all()
    crunch = live_report(read_recording(path), list(make_set(1, 2, 5.0)), CRUNCH,
                         parse_tempo("2-1-2"))
    assert (crunch.reps["tut_s"] > 0).all()


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_imu_analyze_writes_a_strict_lift_reps_table_without_tut(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reps = analyzed_curls_table(tmp_path, "reps", suffix, capsys)
    assert len(reps) >= 2
    assert reps["tut_s"].isna().all(), reps["tut_s"]
    # What the hip measures is still given: when each drive began and ended, how far.
    assert np.isfinite(reps["ecc_end_s"] - reps["start_s"]).all()
    assert np.isfinite(reps["rom_deg"]).all()
    if suffix == "parquet":
        assert str(reps["tut_s"].dtype) == "float64"
    # The page's table of every measurement says why that column is blank.
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "puts nothing under tension (its time under tension is left blank)" in page


def test_controlled_reps_in_a_strict_reps_table_still_get_the_hint() -> None:
    """The hint timed each movement by ``tut_s``: missing now, it would never fire."""
    drives = make_set(1, 8, 0.0, 6.0, concentric_s=0.4, top_hold_s=0.1, eccentric_s=0.4,
                      rom_deg=14.0, swing=True)
    many = make_set(2, 8, 100.0, 8.0, concentric_s=2.0, top_hold_s=1.0, eccentric_s=2.0,
                    rom_deg=40.0, swing=True)
    note = not_hip_drives(reps_table(drives + many, STRICT))
    assert note is not None and "over 5 s)" in note
    assert not_hip_drives(reps_table(drives, STRICT)) is None
