"""Fixtures for the live-session tests: a short simulated set, and a runner on Bumble."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from firmware_protocol.virtual_sensor import Faults, SampleSource
from imu.ble.client import StreamConfig
from imu.ble.sim import ScaledClock, sim_bench
from imu.exercises import get_profile
from imu.live.session import LiveResult
from imu.live.sources.ble import ReconnectPolicy
from imu.live.sources.virtual import run_session_on_bench
from imu.sim import SessionSpec, SimulatedSession, simulate_session
from imu.tempo import parse_tempo

SPEED = 25.0
"""Simulated seconds per wall-clock second in these tests."""

TEMPO = parse_tempo("2-1-2")


@pytest.fixture(scope="session")
def simulated_set() -> SimulatedSession:
    """Five reverse-crunch reps at 104 Hz (about 35 s)."""
    spec = SessionSpec("reverse-crunch", tempo=TEMPO, reps=5, sets=1, seed=11, acc_range_g=8,
                       gyr_range_dps=500)
    return simulate_session(spec)


def run_live(
    session: SimulatedSession,
    faults: Faults | None = None,
    events: list[Any] | None = None,
    journal: str | None = None,
    speed: float = SPEED,
    config: StreamConfig | None = None,
    policy: ReconnectPolicy | None = None,
) -> tuple[LiveResult, Any]:
    """Stream ``session`` from a virtual sensor through bleak + Bumble; returns result, stats."""
    rec = session.recording
    source = SampleSource.from_si(rec.acc, rec.gyr, int(rec.sampling_rate_hz))
    listener: Callable[[Any], None] | None = events.append if events is not None else None

    async def main() -> tuple[LiveResult, Any]:
        async with sim_bench(source, speed=speed, faults=faults) as bench:
            result = await run_session_on_bench(
                bench,
                profile=get_profile(session.spec.exercise),
                tempo=TEMPO,
                config=config or StreamConfig(104, 8, 500),
                host_clock=ScaledClock(speed),
                listener=listener,
                journal_path=journal,
                policy=policy,
            )
            return result, bench.sensor.stats

    return asyncio.run(main())
