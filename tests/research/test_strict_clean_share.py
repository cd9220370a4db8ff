"""A standing strict lift's hip drives are never "clean": ``fault_rates`` gives no clean share.

Every rep a standing strict lift (``standing-curl``) finds is a hip drive, the fault itself,
so :func:`imu.research.fault_rates` told a standing-curl group "clean_share 0": 0% clean, which
says nothing the hip-drive count does not (``progress_weekly.csv`` leaves its ``clean_share``
missing for that reason). Now it is NaN for a group of hip drives alone, and a group mixing
exercises has it out of its other reps; the swing share still counts the hip drives.

``clean_reps_progress`` read the session table's 0s the same way ("0 clean reps before the
first fault", "0% clean") for a strict lift; now those are NaN too, and the table keeps them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from imu import research
from tests.report.test_progress_judged import both, tables


def _drives(reps: pd.DataFrame) -> pd.DataFrame:
    # As the analyzer writes them: every one a swing, so never clean.
    return reps.assign(swing=True, clean=False)


def test_fault_rates_gives_a_strict_lift_no_clean_share() -> None:
    curl = tables("standing-curl", ["2-0-2"] * 2)
    rates = research.fault_rates(_drives(curl.reps))
    assert list(rates["reps"]) == [4, 4]
    assert rates["clean_share"].isna().all(), rates["clean_share"]  # was 0.0
    assert (rates["swing_share"] == 1.0).all()  # the hip drives are still counted


@pytest.mark.parametrize("alias", ["standing-press", "Standing_Curl"])
def test_every_name_of_a_strict_lift_has_no_clean_share(alias: str) -> None:
    curl = tables(alias, ["2-0-2"])
    assert research.fault_rates(_drives(curl.reps))["clean_share"].isna().all()


def test_a_group_mixing_exercises_has_its_clean_share_out_of_the_other_reps() -> None:
    curl = tables("standing-curl", ["2-0-2"])
    crunch = tables("reverse-crunch", ["3-1-3"])
    mixed = research.fault_rates(both(research.Dataset(_drives(curl.reps), curl.sets,
                                                       curl.sessions), crunch).reps,
                                 by=("participant", "week"))
    row = mixed.iloc[0]
    assert row["reps"] == 8
    assert row["clean_share"] == 1.0  # the crunches', not 50% with the hip drives as unclean
    alone = research.fault_rates(crunch.reps).iloc[0]
    assert alone["clean_share"] == 1.0


def _strict_sessions(data: research.Dataset) -> research.Dataset:
    # As the session table writes a strict lift's: 0 clean, 0 before the first fault.
    sessions = data.sessions.assign(clean_share=0.0, clean_reps_before_first_fault=0)
    return research.Dataset(_drives(data.reps), data.sets, sessions)


CLEAN_COLUMNS = ("clean_share_mean", "clean_reps_before_first_fault_mean",
                 "clean_reps_before_first_fault_max")


def test_clean_reps_progress_gives_a_strict_lift_no_clean_reps() -> None:
    """It gave a standing-curl group 0 clean reps before the first fault and 0% clean."""
    curl = _strict_sessions(tables("standing-curl", ["2-0-2"] * 2))
    progress = research.clean_reps_progress(curl.sessions)
    assert list(progress["sessions"]) == [1, 1]  # the sessions are still counted
    for column in CLEAN_COLUMNS:
        assert progress[column].isna().all(), (column, progress[column])  # was 0
    assert "clean_reps_before_first_fault" in curl.sessions  # the table keeps its column
    assert (curl.sessions["clean_reps_before_first_fault"] == 0).all()


@pytest.mark.parametrize("alias", ["standing-press", "Standing_Curl"])
def test_every_name_of_a_strict_lift_has_no_clean_reps_progress(alias: str) -> None:
    progress = research.clean_reps_progress(_strict_sessions(tables(alias, ["2-0-2"])).sessions)
    for column in CLEAN_COLUMNS:
        assert progress[column].isna().all(), column


def test_clean_reps_progress_of_a_mixed_group_is_out_of_the_other_sessions() -> None:
    curl = _strict_sessions(tables("standing-curl", ["2-0-2"]))
    crunch = tables("reverse-crunch", ["3-1-3"])
    mixed = research.clean_reps_progress(both(curl, crunch).sessions,
                                         by=("participant", "week")).iloc[0]
    assert mixed["sessions"] == 2
    assert mixed["clean_share_mean"] == 1.0  # the crunches', not 0.5
    assert mixed["clean_reps_before_first_fault_mean"] == 4.0  # not 2.0
    assert mixed["clean_reps_before_first_fault_max"] == 4
    alone = research.clean_reps_progress(crunch.sessions).iloc[0]
    assert alone["clean_reps_before_first_fault_max"] == 4
    assert alone["clean_share_mean"] == 1.0
