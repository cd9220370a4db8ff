"""A recording as a live source: its samples streamed again through the live path.

The recording's samples become the source of the virtual sensor (Bumble); the bleak client
connects through the Bumble backend and the session decodes, records and analyses exactly as
in ``imu live``. Gaps in the recording are frames the sensor never sends. A recording made by
``imu live`` replays to the same reps.
"""

from __future__ import annotations

import functools
from pathlib import Path

from firmware_protocol import spec
from firmware_protocol.virtual_sensor import Faults
from imu.ble.adapters import HipImuAdapter
from imu.ble.client import StreamConfig
from imu.ble.sim import ScaledClock, sim_bench, source_from_recording
from imu.errors import ImuError
from imu.exercises import ExerciseProfile
from imu.io.recording import Recording
from imu.live.events import Listener
from imu.live.session import HostClock, LiveResult, LiveSession, run_with_signals
from imu.live.sources.virtual import VirtualSensorSource
from imu.tempo import Tempo


def stream_config_for(recording: Recording) -> StreamConfig:
    """The sensor configuration that reproduces the recording's counts.

    Raises:
        ImuError: the recording's rate is not one the sensor streams at.

    """
    meta = recording.meta
    acc = int(meta.acc_range_g) if meta.acc_range_g in spec.ACC_RANGES_G else 16
    gyr = int(meta.gyr_range_dps) if meta.gyr_range_dps in spec.GYR_RANGES_DPS else 2000
    rate = recording.sampling_rate_hz
    if rate not in spec.OUTPUT_DATA_RATES_HZ:
        raise ImuError(
            f"{meta.source or 'recording'} is at {rate:g} Hz; a sensor streams at "
            f"{spec.OUTPUT_DATA_RATES_HZ} Hz: resample it first (imu convert)"
        )
    return StreamConfig(int(rate), acc, gyr)


def replay_source(recording: Recording, speed: float = 1.0) -> VirtualSensorSource:
    """A source that streams ``recording`` from a virtual sensor, ``speed`` times real time.

    Raises:
        ImuError: the recording's rate is not one the sensor streams at.

    """
    config = stream_config_for(recording)
    samples = source_from_recording(recording)
    bench = functools.partial(sim_bench, samples, speed=speed, faults=Faults())
    return VirtualSensorSource(bench, HipImuAdapter(config), label="replay")


async def replay(recording: Recording, profile: ExerciseProfile, tempo: Tempo, speed: float,
                 journal: Path | None = None, listener: Listener | None = None,
                 host_clock: HostClock | None = None) -> LiveResult:
    """Stream ``recording`` through virtual sensor + bleak + live session; returns the result.

    Ctrl-C ends it cleanly (what was streamed so far is kept).
    """
    session = LiveSession(
        replay_source(recording, speed), profile, tempo,
        journal_path=str(journal) if journal else None, listener=listener,
        host_clock=host_clock or ScaledClock(speed),
    )
    return await run_with_signals(session)
