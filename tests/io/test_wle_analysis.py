"""Real belt data, analysed without special cases: hip drive in the WLE curl sets.

Class E throws the hips forward on each of its 10 reps; classes A-D keep the pelvis quiet.
In the ``standing-strict`` profile every pelvic burst that drives a rep is hip drive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.core import analyze_arrays
from imu.exercises import get_profile
from imu.io import ImportedRecording, import_csv
from tests.io.test_wle import WLE_OPTIONS


@pytest.fixture(scope="module")
def hip_driven(wle_csv: Path) -> dict[str, int]:
    recordings: list[ImportedRecording] = import_csv(wle_csv, WLE_OPTIONS)
    profile = get_profile("standing-strict")
    counts = {}
    for imp in recordings:
        rec = imp.recording
        reps = analyze_arrays(rec.acc, rec.gyr, rec.sampling_rate_hz, profile).reps_
        assert all(r.swing for r in reps)
        counts[imp.name] = len(reps)
    return counts


@pytest.mark.parametrize("participant", ["adelmo", "carlitos", "charles"])
def test_every_hip_thrown_set_gives_about_ten_hip_driven_reps(hip_driven, participant):
    assert 9 <= hip_driven[f"{participant}_E"] <= 11


@pytest.mark.parametrize("participant", ["adelmo", "carlitos", "charles"])
def test_sets_with_a_quiet_pelvis_give_at_most_one_stray_rep(hip_driven, participant):
    for classe in "ABCD":
        assert hip_driven[f"{participant}_{classe}"] <= 1, classe
