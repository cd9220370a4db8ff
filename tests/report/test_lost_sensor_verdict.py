"""A recording whose sensor was lost for most of it: no form verdict, no plank hint.

Found by a new user's trial: a reverse-crunch recording with 96% of its samples lost gave
"this recording looks like a plank: 1 held position of 20 s" (the lost sensor's samples hold
their last value) and the verdict "No reps found: ... curl the pelvis", right after "the
sensor was lost for 101.4 s": the person's form blamed for the radio.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.exercises import get_profile
from imu.io import read_recording
from imu.io.load import sanitize
from imu.io.recording import Recording
from imu.report import analyze_recording
from imu.report.coaching import MOSTLY_LOST_SHARE, session_verdict
from imu.report.mismatch import exercise_mismatch

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def mostly_lost(kept_share: float) -> Recording:
    """The bundled reverse crunch with everything after the first ``kept_share`` missing."""
    rec = read_recording(RECORDINGS / "reverse_crunch.parquet")
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    cut = int(kept_share * rec.n_samples)
    acc[cut:] = np.nan
    gyr[cut:] = np.nan
    # Marked as gaps as every loader marks NaN rows (imu.io.load.sanitize).
    return sanitize(dataclasses.replace(rec, acc=acc, gyr=gyr), "test")[0]


def test_the_verdict_names_the_lost_sensor_not_the_form() -> None:
    report = analyze_recording(mostly_lost(0.04), "reverse-crunch")
    session = report.session.iloc[0]
    assert report.reps.empty
    assert session["verdict_kind"] == "too_short"
    assert "The sensor was lost for" in session["verdict"]
    assert "curl the pelvis" not in session["verdict"]


def test_no_plank_hint_from_a_lost_sensor() -> None:
    rec = mostly_lost(0.04)
    assert exercise_mismatch(rec, get_profile("reverse-crunch"),
                             analyze_recording(rec, "reverse-crunch")) is None


@pytest.mark.parametrize(("lost_share", "kind"), [(MOSTLY_LOST_SHARE + 0.1, "too_short"),
                                                  (MOSTLY_LOST_SHARE - 0.1, "no_reps")])
def test_only_a_mostly_lost_recording_is_excused(lost_share: float, kind: str) -> None:
    empty = pd.DataFrame({"rom_deg": pd.Series(dtype="float64")})
    verdict = session_verdict(empty, get_profile("reverse-crunch"), None, 120.0,
                              lost_share * 120.0)
    assert verdict.kind == kind
