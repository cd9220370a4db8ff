"""One vocabulary: a recording's exercise name resolves to the profile that analyses it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImuError
from imu.exercises import EXERCISE_ALIASES, PROFILES, get_profile, profile_name
from imu.io.recording import read_recording
from imu.sim.exercises import EXERCISES as SIMULATED

RECORDINGS = Path(__file__).parents[2] / "recordings"


def test_every_simulated_exercise_has_a_profile():
    for name in SIMULATED:
        assert get_profile(name).name in PROFILES
    assert get_profile("standing-curl").name == "standing-strict"
    assert read_recording(RECORDINGS / "standing_curl.parquet").meta.exercise == "standing-curl"


@pytest.mark.parametrize("spelling", ["reverse_crunch", "Reverse-Crunch", " reverse crunch "])
def test_spellings(spelling):
    assert profile_name(spelling) == "reverse-crunch"


def test_unknown_names_list_profiles_and_aliases():
    with pytest.raises(ImuError, match=r"unknown exercise 'curlz'.*standing-strict.*aliases"):
        get_profile("curlz")
    assert set(EXERCISE_ALIASES.values()) <= set(PROFILES)


def test_batch_of_the_bundled_recordings(tmp_path, capsys):
    """The example of 'imu batch --help' (in this process: --workers 0)."""
    assert main(["batch", str(RECORDINGS), "--out", str(tmp_path / "ds"), "--workers", "0"]) == 0
    assert "0 failed" in capsys.readouterr().out
    sessions = pd.read_parquet(tmp_path / "ds" / "sessions")
    assert len(sessions) == len(list(RECORDINGS.glob("*.parquet")))
    assert "standing-strict" in set(sessions["exercise"])


def test_export_bids_of_the_bundled_recordings(tmp_path, capsys):
    assert main(["export-bids", str(RECORDINGS), "--out", str(tmp_path / "bids")]) == 0
    out = capsys.readouterr().out
    assert "standing_curl.parquet ->" in out and "no exercise known" not in out
    assert list((tmp_path / "bids").glob("sub-sim109/ses-*/motion/*standingcurl*_events.tsv"))
