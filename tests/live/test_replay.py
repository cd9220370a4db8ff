"""A recording replayed through the live path (virtual sensor, bleak, session) gives its reps."""

from __future__ import annotations

import asyncio

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
