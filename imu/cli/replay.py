"""``imu replay RECORDING --out DIR``: stream a recording through the live path again.

The recording's samples become the source of the virtual sensor (Bumble); the bleak client
connects through the Bumble backend and the live loop decodes, records and analyses exactly as
in ``imu live``. Gaps in the recording are frames the sensor never sends. A recording made by
``imu live`` replays to the same reps.
"""

from __future__ import annotations

import argparse
import asyncio
import textwrap
from pathlib import Path
from typing import Any

from firmware_protocol import spec
from firmware_protocol.virtual_sensor import Faults
from imu.ble.client import StreamConfig, find_sensor
from imu.ble.live import LiveResult, LiveSession
from imu.ble.sim import ScaledClock, sim_bench, source_from_recording
from imu.cli._output import pipe_safe_console
from imu.cli.live import (
    add_stream_options,
    default_name,
    finish_session,
    make_view,
    run_with_signals,
)
from imu.errors import ImuError
from imu.exercises import ExerciseProfile, get_profile
from imu.io.journal import SUFFIX
from imu.io.recording import Recording, read_recording
from imu.io.summary import looks_like_parquet
from imu.tempo import Tempo, parse_tempo


def register(subparsers: Any) -> None:
    """Add the ``replay`` command."""
    p = subparsers.add_parser(
        "replay",
        help="stream a recording through the live path (virtual sensor, bleak, analyzer)",
        description=textwrap.fill(
            "Replay a recording as if it came live from a sensor: a virtual sensor on Bumble"
            " streams its samples, the bleak client receives them and the live loop shows and"
            " analyses them. A recording made by 'imu live' gives the same reps again."
        ),
    )
    p.add_argument("recording", type=Path, metavar="RECORDING", help="Parquet recording")
    p.add_argument("--exercise", "-e", default=None, metavar="E",
                   help="exercise profile (default: the recording's own)")
    add_stream_options(p, name_prefix="replay",
                       tempo_default="the recording's, else the exercise's")
    p.set_defaults(func=run)


def check_recording_arg(path: Path) -> None:
    """Refuse a folder, a missing file or a file that is not a Parquet recording, clearly.

    Raises:
        ImuError: the message names the path and says what replay wants.

    """
    if path.is_dir():
        found = sorted(path.glob("*.parquet"))[:1]
        example = f", e.g. imu replay {found[0]}" if found else ""
        raise ImuError(
            f"{path}: is a folder; imu replay streams one recording file (.parquet){example}"
        )
    if not path.exists():
        raise ImuError(f"{path}: no such file; imu replay wants a Parquet recording")
    if not looks_like_parquet(path):
        raise ImuError(
            f"{path}: not a Parquet recording; imu replay streams recordings: convert it first "
            f"with 'imu convert {path} {path.with_suffix('.parquet')}'"
        )


def stream_config_for(recording: Recording) -> StreamConfig:
    """The sensor configuration that reproduces the recording's counts."""
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


async def replay(recording: Recording, profile: ExerciseProfile, tempo: Tempo, speed: float,
                 journal: Path | None = None, listener: Any = None) -> LiveResult:
    """Stream ``recording`` through virtual sensor + bleak + live loop; returns the result."""
    config = stream_config_for(recording)
    source = source_from_recording(recording)
    async with sim_bench(source, speed=speed, faults=Faults()) as bench:
        device = await find_sensor(bench.backend, None, timeout_s=5.0)
        session = LiveSession(
            device, bench.backend, profile, tempo, config,
            journal_path=str(journal) if journal else None, listener=listener,
            host_clock=ScaledClock(speed), source="replay",
        )
        return await run_with_signals(session, bench.sensor.source_done)


def run(args: argparse.Namespace) -> int:
    """Run ``imu replay``; returns the exit code."""
    check_recording_arg(args.recording)
    recording = read_recording(args.recording)
    exercise = args.exercise or recording.meta.exercise
    if not exercise:
        raise ImuError(f"{args.recording}: the recording does not name its exercise; pass "
                       "--exercise")
    profile = get_profile(exercise)
    tempo = parse_tempo(args.tempo) if args.tempo else (
        parse_tempo(recording.meta.tempo) if recording.meta.tempo else profile.default_tempo
    )
    out = pipe_safe_console("replay")
    name = args.name or default_name("replay")
    journal = args.out / f"{name}{SUFFIX}"
    view = make_view(args, out, profile, tempo)
    with view.running():
        result = asyncio.run(replay(recording, profile, tempo, args.speed, journal, view))
    finish_session(result, args.out, name, profile, tempo, out, journal, command="replay")
    return 0
