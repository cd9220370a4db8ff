"""A recording replayed through the live path (virtual sensor, bleak, session) gives its reps."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np

from imu.exercises import get_profile
from imu.live.sources.replay import replay
from imu.report.tables import reps_table

from .conftest import TEMPO, run_live


def test_replay_gives_the_reps_of_the_live_run(simulated_set):
    from firmware_protocol.virtual_sensor import Faults

    live, _ = run_live(simulated_set, faults=Faults(drop_fraction=0.03, seed=5))
    again = asyncio.run(replay(live.recording, get_profile("reverse-crunch"), TEMPO, speed=25.0))
    assert again.recording.meta.gaps == live.recording.meta.gaps
    np.testing.assert_array_equal(np.isnan(again.recording.acc), np.isnan(live.recording.acc))
    a, b = reps_table(live.reps), reps_table(again.reps)
    assert len(a) == len(b) == 5
    np.testing.assert_allclose(a["start_s"], b["start_s"], atol=1e-9)
    np.testing.assert_allclose(a["rom_deg"], b["rom_deg"], atol=1e-9)


def test_replay_holds_ctrl_c_off_once_its_session_ended(simulated_set):
    """imu replay left the moment between the session's end and saving unprotected."""
    from imu.live.session import InterruptHold

    live, _ = run_live(simulated_set)
    with InterruptHold("replay") as hold:
        asyncio.run(replay(live.recording, get_profile("reverse-crunch"), TEMPO, speed=50.0,
                           hold=hold))
        assert hold.holding  # from the session's end until the caller releases it


def test_a_replay_keeps_the_sessions_participant_and_date(tmp_path: Path) -> None:
    """Trial 22: a replay was dated at replay time without its participant (a second session
    of "unknown" in another week), with the virtual sensor's clock fit against a scaled clock
    (764810 ppm) stored as the recording's."""
    from imu.cli import main
    from imu.io.recording import read_recording

    source = tmp_path / "s.parquet"
    assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--participant",
                 "ana", "--date", "2026-11-20", "--out", str(source)]) == 0
    assert main(["replay", str(source), "--out", str(tmp_path / "r"), "--speed", "50",
                 "--plain", "--name", "b"]) == 0
    original, replayed = read_recording(source), read_recording(tmp_path / "r" / "b.parquet")
    assert replayed.meta.participant == "ana"
    assert replayed.meta.start_time_s == original.meta.start_time_s
    assert replayed.meta.clock.drift_ppm == 0.0 and "clock_residual_ms" not in replayed.meta.notes
    assert replayed.meta.notes["replay_of"] == str(source)
