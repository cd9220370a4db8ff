"""A set from each phone app shows live on the coaching page: count and phases, via /state.

The fakes of :mod:`tests.live.phone_fakes` stream a simulated 12-rep set (the first reps teach
the movement axis and have no phase events) through the real session with the web view and
server running, while a poller reads ``GET /state`` as a page would.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from imu.exercises import get_profile
from imu.live.session import LiveSession
from imu.live.sources.phyphox import PhyphoxSource
from imu.live.sources.sensor_logger import SensorLoggerSource
from imu.live.web.server import CoachingServer, WebAddress, serve_while
from imu.live.web.state import CoachingState
from imu.live.web.view import WebView
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

from .phone_fakes import FakePhyphox, PushPlan, push_like_sensor_logger
from .test_phone_sources import ScaledClock

SPEED = 25.0
TEMPO = parse_tempo("2-1-2")
REPS = 8


@pytest.fixture(scope="module")
def a_set():
    spec = SessionSpec("reverse-crunch", tempo=TEMPO, reps=REPS, sets=1, seed=12,
                       acc_range_g=8, gyr_range_dps=500)
    return simulate_session(spec)


async def _watch(url: str, seen: dict[str, Any], done: asyncio.Event) -> None:
    """Poll the page's state until ``done``; keep the counts and phases shown."""
    state_url = url.replace("/?token=", "/state?token=")
    async with aiohttp.ClientSession() as http:
        while not done.is_set():
            async with http.get(state_url) as r:
                assert r.status == 200
                state = await r.json()
            seen["counts"].append(state["count"])
            seen["phases"].add(state["phase"]["key"])
            await asyncio.sleep(0.01)


async def _run_with_page(source: Any, drive: Any) -> dict[str, Any]:
    view = WebView(CoachingState("Reverse crunch", TEMPO, speed=SPEED))
    session = LiveSession(source, get_profile("reverse-crunch"), TEMPO, listener=view,
                          host_clock=ScaledClock(SPEED))
    server = CoachingServer(view, WebAddress("127.0.0.1", 0))
    seen: dict[str, Any] = {"counts": [], "phases": set()}
    done = asyncio.Event()
    urls: list[str] = []

    async def run() -> Any:
        task = asyncio.create_task(session.run())
        watcher = asyncio.create_task(_watch(urls[0], seen, done))
        await drive(session, task)
        result = await task
        done.set()
        await watcher
        return result

    seen["result"] = await serve_while(run(), server, urls.append)
    return seen


def _check(seen: dict[str, Any]) -> None:
    assert len(seen["result"].reps) == REPS
    assert max(seen["counts"]) == REPS
    assert seen["counts"] == sorted(seen["counts"])  # the count only climbs
    assert {"concentric", "top_hold", "eccentric"} <= seen["phases"]


def test_a_phyphox_set_shows_on_the_page(a_set):
    async def main() -> dict[str, Any]:
        async with FakePhyphox(a_set.recording, SPEED) as fake:
            source = PhyphoxSource(fake.url, poll_s=0.02, timeout_s=1.0, give_up_s=5.0)

            async def drive(session: LiveSession, task: asyncio.Task[Any]) -> None:
                while fake.now_s() < fake.duration_s + 0.5 and not task.done():
                    await asyncio.sleep(0.02)
                session.stop()

            return await _run_with_page(source, drive)

    _check(asyncio.run(main()))


def test_a_sensor_logger_set_shows_on_the_page(a_set):
    source = SensorLoggerSource("127.0.0.1", 0, idle_s=0.5)

    async def drive(session: LiveSession, task: asyncio.Task[Any]) -> None:
        await asyncio.wait_for(source.started.wait(), 5)
        await push_like_sensor_logger(source.url("127.0.0.1"), a_set.recording, SPEED,
                                      PushPlan(swapped=(5, 9)))
        await asyncio.sleep(0.1)
        session.stop()

    _check(asyncio.run(_run_with_page(source, drive)))
