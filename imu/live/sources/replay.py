"""A recording as a live source: its samples streamed again through the live path.

The recording's samples become the source of the virtual sensor (Bumble); the bleak client
connects through the Bumble backend and the session decodes, records and analyses exactly as
in ``imu live``. Gaps in the recording are frames the sensor never sends. A recording made by
``imu live`` replays to the same reps.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import numpy as np

from firmware_protocol import spec
from firmware_protocol.virtual_sensor import Faults
from imu.ble.adapters import HipImuAdapter
from imu.ble.client import StreamConfig
from imu.ble.sim import ScaledClock, sim_bench, source_from_recording
from imu.errors import ImuError
from imu.exercises import ExerciseProfile
from imu.io.recording import Recording, gaps_from_nan
from imu.io.resample import resample_at, uniform_grid_s
from imu.live.events import Listener
from imu.live.session import (
    HostClock,
    InterruptHold,
    LiveResult,
    LiveSession,
    run_with_signals,
)
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


def at_sensor_rate(recording: Recording, name: str = "") -> tuple[Recording, str]:
    """The recording on the nearest rate a sensor streams at, and a note saying so.

    The note is "" when the recording already is at such a rate; ``name`` (the file) is
    what the note and errors call it. A phone export or an imported CSV runs at any rate
    (25 Hz, 103.68 Hz); the virtual sensor streams only its output data rates. Samples are
    interpolated linearly between neighbouring samples (one old sample period apart), so
    the recording's gaps, even of one sample, stay gaps.
    """
    rate = recording.sampling_rate_hz
    if rate in spec.OUTPUT_DATA_RATES_HZ:
        return recording, ""
    target = float(min(spec.OUTPUT_DATA_RATES_HZ, key=lambda r: abs(r - rate)))
    t = recording.time_s
    ok = np.isfinite(recording.acc).all(axis=1) & np.isfinite(recording.gyr).all(axis=1)
    if np.count_nonzero(ok) < 2:
        raise ImuError(f"{name or 'recording'}: too few samples to replay")
    grid = uniform_grid_s(t, target)
    # 1.5 periods: neighbours (one period apart) are joined, a lost sample between two (two
    # periods) stays a gap, with no tie for rounding to decide.
    values, valid = resample_at(t[ok], np.hstack((recording.acc[ok], recording.gyr[ok])), grid,
                                1.5 / rate)
    meta = dataclasses.replace(recording.meta, sampling_rate_hz=target, gaps=gaps_from_nan(valid))
    note = (f"{name or 'the recording'} is at {rate:g} Hz; replayed at "
            f"{target:g} Hz, the nearest rate a sensor streams at (interpolated)")
    return Recording(values[:, :3], values[:, 3:], meta), note


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
                 host_clock: HostClock | None = None,
                 hold: InterruptHold | None = None) -> LiveResult:
    """Stream ``recording`` through virtual sensor + bleak + live session; returns the result.

    Ctrl-C ends it cleanly (what was streamed so far is kept); with ``hold``, a Ctrl-C from
    the moment the session ended is held off for the caller to save the recording.
    """
    session = LiveSession(
        replay_source(recording, speed), profile, tempo,
        journal_path=str(journal) if journal else None, listener=listener,
        host_clock=host_clock or ScaledClock(speed),
    )
    return await run_with_signals(session, hold=hold)
