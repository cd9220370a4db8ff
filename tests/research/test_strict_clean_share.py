"""A standing strict lift's hip drives are never "clean": ``fault_rates`` gives no clean share.

Every rep a standing strict lift (``standing-curl``) finds is a hip drive, the fault itself,
so :func:`imu.research.fault_rates` told a standing-curl group "clean_share 0": 0% clean, which
says nothing the hip-drive count does not (``progress_weekly.csv`` leaves its ``clean_share``
missing for that reason). Now it is NaN for a group of hip drives alone, and a group mixing
exercises has it out of its other reps; the swing share still counts the hip drives.
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
