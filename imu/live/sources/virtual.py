"""Virtual sensors as sources: the whole BLE stack without hardware.

A virtual sensor (ours, :class:`firmware_protocol.virtual_sensor.VirtualSensor`, or a Polar
one, :class:`imu.ble.polar.virtual.VirtualPolar`) runs on a Bumble controller of an in-process
link (:mod:`imu.ble.sim`); the session streams from it through the real bleak API and the
Bumble backend with a :class:`~imu.live.sources.ble.BleSource`, exactly as from a real sensor.
The session stops when the virtual sensor has sent all its samples.

:class:`VirtualSensorSource` starts the virtual sensor itself (``imu live --sim``, ``imu
replay``); :func:`run_session_on_bench` runs a session on a bench the caller already started
(tests and benchmarks, which read the sensor's statistics afterwards).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from imu.ble.adapters import DeviceAdapter, HipImuAdapter
from imu.ble.client import KIND_POLAR, StreamConfig, find_sensor_kind
from imu.ble.polar.client import PolarAdapter, PolarConfig
from imu.ble.sim import SimBench
from imu.core.analyzer import AnalyzerParams
from imu.exercises import ExerciseProfile
from imu.io.recorders import FrameRecorder, StreamHeader
from imu.live.events import Listener
from imu.live.session import HostClock, LiveResult, LiveSession
from imu.live.sources.base import SourceLink
from imu.live.sources.ble import BleSource, ReconnectPolicy
from imu.tempo import Tempo

BenchFactory = Callable[[], AbstractAsyncContextManager[SimBench]]
"""Starts a virtual sensor and a host on a fresh link (e.g. ``partial(sim_bench, source)``)."""

SCAN_TIMEOUT_S = 5.0
"""How long to scan the in-process link for the virtual sensor, s."""


@contextlib.asynccontextmanager
async def stop_when_done(stop: asyncio.Event, done: asyncio.Event) -> AsyncIterator[asyncio.Event]:
    """An event set once ``stop`` or ``done`` (the virtual sensor sent everything) is set."""
    either = asyncio.Event()

    async def relay() -> None:
        waits = {asyncio.create_task(stop.wait()), asyncio.create_task(done.wait())}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in waits:
                t.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        either.set()

    task = asyncio.create_task(relay(), name="imu-virtual-sensor-done")
    try:
        yield either
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class VirtualSensorSource:
    """A virtual sensor started for the session, streamed from over bleak + Bumble.

    Args:
        bench: starts the virtual sensor and the host (:func:`imu.ble.sim.sim_bench`,
            :func:`imu.ble.sim.polar_bench`) when the session runs; stops both at the end.
        adapter: the sensor protocol the virtual sensor speaks.
        label: the recording's ``source`` (``"ble-sim"``, ``"replay"``).
        policy: reconnection policy (the virtual sensor may drop the link on purpose).

    """

    def __init__(
        self,
        bench: BenchFactory,
        adapter: DeviceAdapter,
        label: str = "ble-sim",
        policy: ReconnectPolicy | None = None,
    ) -> None:
        self.bench = bench
        self.adapter = adapter
        self.label = label
        self.policy = policy
        self.odr_hz = adapter.odr_hz
        self.acc_range_g = adapter.acc_range_g
        self.gyr_range_dps = adapter.gyr_range_dps

    def header_notes(self) -> dict[str, str]:
        """The adapter's notes."""
        return self.adapter.header_notes()

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The adapter's recorder."""
        return self.adapter.make_recorder(header)

    async def run(self, link: SourceLink, stop: asyncio.Event) -> str:
        """Start the virtual sensor, find it with bleak, stream until it is done or ``stop``."""
        async with self.bench() as bench:
            device, _kind = await find_sensor_kind(bench.backend, None, timeout_s=SCAN_TIMEOUT_S)
            ble = BleSource(device, bench.backend, self.adapter, policy=self.policy,
                            label=self.label)
            async with stop_when_done(stop, bench.sensor.source_done) as either:
                return await ble.run(link, either)


async def run_session_on_bench(
    bench: SimBench,
    *,
    profile: ExerciseProfile,
    tempo: Tempo | None = None,
    config: StreamConfig | None = None,
    params: AnalyzerParams | None = None,
    journal_path: str | None = None,
    listener: Listener | None = None,
    policy: ReconnectPolicy | None = None,
    host_clock: HostClock = time.time,
    source: str = "ble",
    adapter: DeviceAdapter | None = None,
) -> LiveResult:
    """Find the virtual sensor on a started bench, stream until it is done; the result.

    The adapter follows what the virtual sensor is (a Polar one: :class:`PolarAdapter` at its
    rate) unless given; ``config`` configures our own sensor. ``source`` is the recording's
    label. The other arguments go to :class:`LiveSession`.
    """
    device, kind = await find_sensor_kind(bench.backend, None, timeout_s=SCAN_TIMEOUT_S)
    if adapter is None:
        if kind == KIND_POLAR:
            rate = bench.sensor.source.sampling_rate_hz
            adapter = PolarAdapter(PolarConfig(rate_hz=rate))
        else:
            adapter = HipImuAdapter(config or StreamConfig())
    ble = BleSource(device, bench.backend, adapter, policy=policy, label=source)
    session = LiveSession(ble, profile, tempo, params, journal_path, listener, host_clock)
    runner = asyncio.create_task(session.run(), name="imu-live-session")
    done_wait = asyncio.create_task(bench.sensor.source_done.wait())
    finished, _ = await asyncio.wait({runner, done_wait}, return_when=asyncio.FIRST_COMPLETED)
    if done_wait in finished:
        session.stop()
    else:
        done_wait.cancel()
    return await runner
