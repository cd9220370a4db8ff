"""The screen's last count of seconds is the recording's (trial 20).

At --speed 20 the end screen said "session ended · 29 s" while the summary said "33 s
recorded": the progress ticker runs every half second of host time, 10 s of data there. The
session tells the recorder's final counts once more as it ends.
"""

from __future__ import annotations

import asyncio

from imu.exercises import get_profile
from imu.live.events import Finished, Progress
from imu.live.session import LiveSession
from imu.sim import SessionSpec, simulate_session
from tests.live.test_session import PayloadSource, payloads_of


def test_the_last_progress_is_the_whole_recording() -> None:
    sim = simulate_session(SessionSpec("reverse-crunch", reps=3, sets=1, seed=2,
                                       sampling_rate_hz=104, acc_range_g=8,
                                       gyr_range_dps=500))
    events: list[object] = []
    session = LiveSession(PayloadSource(payloads_of(sim)), get_profile("reverse-crunch"),
                          sim.spec.tempo, listener=events.append)
    result = asyncio.run(session.run())
    last = [e for e in events[:events.index(next(e for e in events
                                                  if isinstance(e, Finished)))]
            if isinstance(e, Progress)][-1]
    assert last.samples == result.recording.n_samples
    assert last.seconds == result.recording.n_samples / result.recording.sampling_rate_hz
