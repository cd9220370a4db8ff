"""Virtual sensors without hardware: a sensor on Bumble and a host for bleak on one link.

Two Bumble controllers share an in-process :class:`bumble.link.LocalLink`: one runs the
:class:`firmware_protocol.virtual_sensor.VirtualSensor` (or a virtual Polar sensor), the other
is the host side of the bleak backend over Bumble. A live session
(:mod:`imu.live.sources.virtual`) scans for the sensor with :class:`bleak.BleakScanner`,
connects with :class:`bleak.BleakClient` and streams exactly as it would from a real sensor.

Time runs ``speed`` times faster than the wall clock for both the sensor and the host clock
(:class:`ScaledClock`), so drift estimates and rep times come out in session seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bumble.link import LocalLink

from firmware_protocol.virtual_sensor import Faults, SampleSource, VirtualSensor
from imu.ble.bumble_backend import BleakClientBumble, BleakScannerBumble, BumbleHost
from imu.ble.client import BleBackend
from imu.ble.polar.virtual import PolarSource, VirtualPolar
from imu.errors import ImuError
from imu.io.recording import Recording

logger = logging.getLogger(__name__)


class ScaledClock:
    """Host clock that runs ``speed`` times faster than the wall clock, seconds.

    Starts at the current Unix time, so recordings carry a plausible start time.
    """

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self._wall0 = time.time()
        self._mono0 = time.monotonic()

    def __call__(self) -> float:
        """Scaled host time, s."""
        return self._wall0 + (time.monotonic() - self._mono0) * self.speed


@dataclass
class SimBench:
    """An in-process link with a virtual sensor and a Bumble host for bleak."""

    link: LocalLink
    sensor: VirtualSensor | VirtualPolar
    host: BumbleHost

    @property
    def backend(self) -> BleBackend:
        """The bleak backend (Bumble) on this link's host."""
        return BleBackend(BleakScannerBumble, BleakClientBumble, {"bumble": self.host})


@asynccontextmanager
async def sim_bench(
    source: SampleSource,
    *,
    speed: float = 1.0,
    faults: Faults | None = None,
    name: str = "HipIMU-S",
) -> AsyncIterator[SimBench]:
    """Start a virtual sensor and a host on a fresh in-process link; stop both at exit."""
    link = LocalLink()
    sensor = VirtualSensor.on_local_link(link, source, name=name, speed=speed, faults=faults)
    async with _bench(link, sensor) as bench:
        yield bench


@asynccontextmanager
async def polar_bench(
    source: PolarSource,
    *,
    speed: float = 1.0,
    gyr_offset_s: float = 0.0,
    drop_fraction: float = 0.0,
    seed: int = 0,
    **faults: Any,
) -> AsyncIterator[SimBench]:
    """A virtual Polar sensor (PMD service) and a host on a fresh in-process link.

    ``faults`` go to :class:`VirtualPolar` (``rate_error_ppm``, ``stop_at_s``, ...).
    """
    link = LocalLink()
    sensor = VirtualPolar.on_local_link(
        link, source, speed=speed, gyr_offset_s=gyr_offset_s, drop_fraction=drop_fraction,
        seed=seed, **faults,
    )
    async with _bench(link, sensor) as bench:
        yield bench


@asynccontextmanager
async def _bench(link: LocalLink, sensor: VirtualSensor | VirtualPolar) -> AsyncIterator[SimBench]:
    host = BumbleHost.on_local_link(link)
    await sensor.start()
    await host.power_on()
    try:
        yield SimBench(link, sensor, host)
    finally:
        await sensor.stop()
        await host.close()


def source_from_recording(recording: Recording) -> SampleSource:
    """A sensor sample source from a recording (its NaN gaps are never sent).

    Raises:
        ImuError: the recording's rate is not one the sensor supports.

    """
    rate = recording.sampling_rate_hz
    if rate != round(rate):
        raise ImuError(f"recording rate {rate} Hz is not a sensor rate; resample it first")
    return SampleSource.from_si(recording.acc, recording.gyr, round(rate))
