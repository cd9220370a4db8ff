"""The phone as the live sensor, end to end: fake apps -> HTTP -> source -> session -> reps.

The fakes follow the apps' public documentation (see :mod:`tests.live.phone_fakes`). Each run
streams a simulated five-rep set through the real session (journal, recorder, analyzer) at 25x
real time, then checks the reps against the simulation and against an offline analysis of the
recording the live run wrote, the gaps, and journal recovery.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import numpy as np
import pytest

from imu.exercises import get_profile
from imu.io.journal import recover_journal
from imu.io.recorders.timed import REASON_PAUSED
from imu.io.recording import read_recording, write_recording
from imu.live.session import LiveSession
from imu.live.sources.phyphox import PhoneError, PhyphoxSource
from imu.live.sources.sensor_logger import SensorLoggerSource
from imu.report.session import analyze_recording
from imu.report.tables import reps_table
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

from .phone_fakes import FakePhyphox, PushPlan, push_like_sensor_logger

SPEED = 25.0
TEMPO = parse_tempo("2-1-2")


class ScaledClock:
    """Host clock running ``speed`` times faster than the wall clock, s."""

    def __init__(self, speed: float) -> None:
        import time

        self.speed, self._t0, self._m0 = speed, time.time(), time.monotonic()

    def __call__(self) -> float:
        import time

        return self._t0 + (time.monotonic() - self._m0) * self.speed


@pytest.fixture(scope="module")
def five_reps():
    spec = SessionSpec("reverse-crunch", tempo=TEMPO, reps=5, sets=1, seed=11, acc_range_g=8,
                       gyr_range_dps=500)
    return simulate_session(spec)


def _session(source, journal, events) -> LiveSession:
    return LiveSession(source, get_profile("reverse-crunch"), TEMPO, journal_path=str(journal),
                       listener=events.append, host_clock=ScaledClock(SPEED))


def _same_as_offline(result, tmp_path) -> None:
    path = write_recording(result.recording, tmp_path / "phone.parquet")
    off = analyze_recording(read_recording(path), "reverse-crunch", TEMPO).reps
    live = reps_table(result.reps)
    assert len(live) == len(off)
    for col in ("start_s", "ecc_end_s", "rom_deg"):
        np.testing.assert_allclose(live[col].to_numpy(float), off[col].to_numpy(float),
                                   atol=1e-9, err_msg=col)


def run_phyphox(five_reps, tmp_path, **fake_kw) -> tuple[Any, FakePhyphox, list, Any]:
    events: list = []
    journal = tmp_path / "phyphox.imuj"

    async def main():
        async with FakePhyphox(five_reps.recording, SPEED, **fake_kw) as fake:
            source = PhyphoxSource(fake.url, poll_s=0.02, timeout_s=1.0, give_up_s=5.0)
            session = _session(source, journal, events)
            task = asyncio.create_task(session.run())
            while fake.now_s() < fake.duration_s + 0.5 and not task.done():
                await asyncio.sleep(0.02)
            session.stop()
            return await task, fake

    result, fake = asyncio.run(main())
    return result, fake, events, journal


def test_phyphox_streams_pause_and_dropped_link(five_reps, tmp_path):
    result, fake, events, journal = run_phyphox(
        five_reps, tmp_path, pause_s=(1.0, 2.5), outage_s=(12.0, 13.5)
    )
    rec = result.recording
    assert result.reason == "stopped"
    assert rec.meta.notes["protocol"] == "phyphox-rest"
    assert rec.sampling_rate_hz == 100
    # The experiment was started and stopped remotely, and the link really dropped.
    assert any("cmd=start" in r for r in fake.requests)
    assert any("cmd=stop" in r for r in fake.requests)
    assert fake.dropped > 0
    kinds = [type(e).__name__ for e in events]
    assert "Disconnected" in kinds and kinds.count("Connected") >= 2
    # The pause is one gap of its real length; the outage lost nothing (phyphox buffers).
    paused = [g for g in rec.meta.gaps if g.reason == REASON_PAUSED]
    assert len(paused) == 1
    assert abs(paused[0].n_samples / 100 - 1.5) < 0.1
    assert sum(g.n_samples for g in rec.meta.gaps) == paused[0].n_samples
    assert np.isnan(rec.acc[paused[0].start:paused[0].end]).all()
    # Real length: the recording spans the whole set on the phone's clock.
    assert abs(rec.duration_s - five_reps.recording.duration_s) < 0.3
    assert len(result.reps) == len(five_reps.truth) == 5
    _same_as_offline(result, tmp_path)
    # The journal (every response as received) rebuilds the same recording.
    if journal.exists():
        again = recover_journal(journal)
        assert again.n_samples == rec.n_samples and again.meta.gaps == rec.meta.gaps


def test_phyphox_experiment_without_gravity_is_refused(five_reps, tmp_path):
    with pytest.raises(PhoneError, match="linear acceleration"):
        run_phyphox(five_reps, tmp_path, linear=True)


def test_phyphox_phone_that_does_not_answer_is_named(tmp_path, five_reps):
    source = PhyphoxSource("127.0.0.1:9", timeout_s=0.5)
    session = _session(source, tmp_path / "x.imuj", [])
    with pytest.raises(PhoneError, match=r"127\.0\.0\.1:9 does not answer"):
        asyncio.run(session.run())


def run_sensor_logger(five_reps, tmp_path, plan: PushPlan):
    events: list = []
    journal = tmp_path / "sl.imuj"
    refused: dict[str, int] = {}

    async def main():
        # iOS cannot be told from accelerometer + gravity pushes: the user says it.
        platform = "ios" if plan.platform == "ios" else "auto"
        source = SensorLoggerSource("127.0.0.1", 0, platform=platform, idle_s=0.5)
        session = _session(source, journal, events)
        task = asyncio.create_task(session.run())
        await asyncio.wait_for(source.started.wait(), 5)
        url = source.url("127.0.0.1")
        async with aiohttp.ClientSession() as http:  # nobody else can inject samples
            wrong = url.rsplit("/", 1)[0] + "/not-the-token"
            async with http.post(wrong, data=b"{}") as r:
                refused["wrong_token"] = r.status
            async with http.post(url.replace("/push/", "/other/"), data=b"{}") as r:
                refused["other_path"] = r.status
        counts = await push_like_sensor_logger(url, five_reps.recording, SPEED, plan)
        await asyncio.sleep(0.1)
        session.stop()
        return await task, counts, source

    result, counts, source = asyncio.run(main())
    return result, counts, source, events, journal, refused


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_sensor_logger_push_out_of_order_lost_and_paused(five_reps, tmp_path, platform):
    plan = PushPlan(platform=platform, pause_s=(1.0, 2.6), lost=(34,), swapped=(10, 20))
    result, counts, source, _events, journal, refused = run_sensor_logger(
        five_reps, tmp_path, plan
    )
    rec = result.recording
    assert refused == {"wrong_token": 403, "other_path": 404}
    assert source.refused == 1 and counts["lost"] == 1
    assert rec.meta.notes["protocol"] == "sensor-logger-push"
    want = "accelerometer+gravity" if platform == "ios" else "totalacceleration"
    assert rec.meta.notes["acc_streams"] == want
    # Swapped messages were put back in order: nothing lost there.
    assert rec.meta.notes["late_messages"] == "0"
    gaps = {g.reason: g for g in rec.meta.gaps}
    assert set(gaps) == {REASON_PAUSED, "lost frames"}, rec.meta.gaps
    assert abs(gaps[REASON_PAUSED].n_samples / 100 - 1.6) < 0.1
    lost = gaps["lost frames"]
    assert abs(lost.n_samples / 100 - 1.0) < 0.1
    assert abs(lost.start / 100 - (34 - 0.0)) < 0.3  # message 34 held [34, 35) s
    # Gravity, units and signs as the importer treats them: a still phone reads +g upright.
    still = rec.acc[:80]
    np.testing.assert_allclose(np.nanmean(still, axis=0), five_reps.recording.acc[:80].mean(0),
                               atol=0.3)
    assert len(result.reps) == 5
    _same_as_offline(result, tmp_path)
    if journal.exists():
        again = recover_journal(journal)
        assert again.n_samples == rec.n_samples and again.meta.gaps == rec.meta.gaps


def test_pushes_without_a_gyroscope_are_shown_on_the_screen(five_reps, tmp_path):
    """Trial 21: the screen said "streaming", then "SENSOR LOST"; why nothing was recorded
    (the app's Gyroscope off) was only a log line. It is now an event the screens show."""
    from imu.live.events import CANNOT_RECORD, StreamEvent

    result, _counts, _source, events, _journal, _refused = run_sensor_logger(
        five_reps, tmp_path, PushPlan(gyroscope=False))
    told = [e for e in events if isinstance(e, StreamEvent) and e.kind == CANNOT_RECORD]
    assert len(told) == 1  # once, not per push
    assert told[0].text.startswith("NOT RECORDING: Sensor Logger pushes hold no gyroscope")
    assert "enable Gyroscope in Sensor Logger" in told[0].text
    assert result.recording.n_samples == 0


def test_sensor_logger_bad_bodies_are_counted_not_fatal(five_reps, tmp_path):
    from imu.io.recorders import StreamHeader
    from imu.io.recorders.sensor_logger import SensorLoggerRecorder

    header = StreamHeader(100, 16, 2000, notes={"protocol": "sensor-logger-push"})
    rec = SensorLoggerRecorder(header)
    good = {"messageId": 0, "sessionId": "s", "deviceId": "d", "payload": [
        {"name": "totalacceleration", "time": 10**18 + i * 10**7,
         "values": {"x": 0.0, "y": 9.8, "z": 0.1}} for i in range(50)] + [
        {"name": "gyroscope", "time": 10**18 + i * 10**7,
         "values": {"x": 0.0, "y": 0.0, "z": 0.01}} for i in range(50)]}
    bad_values = {"messageId": 1, "sessionId": "s", "payload": [
        {"name": "gyroscope", "time": 10**18 + 60 * 10**7, "values": {"x": "NaN"}},
        {"name": "totalacceleration", "time": "soon", "values": {"x": 1, "y": 2, "z": 3}},
        {"name": "gyroscope", "time": 10**18 + 61 * 10**7,
         "values": {"x": 1e9, "y": 0, "z": 0}}]}
    bodies = [json.dumps(good).encode(), b"{not json", b'{"payload": 3}',
              json.dumps(bad_values).encode()]
    rec.frames([0.0, 0.1, 0.2, 0.3], bodies)
    out = rec.recording()
    assert out.meta.notes["bad_messages"] == "2"
    assert int(out.meta.notes["bad_samples"]) == 3
    assert out.n_samples == 50


def test_cli_options_make_the_sources():
    import argparse

    from imu.cli._phone import add_phone_options, phone_source

    p = argparse.ArgumentParser()
    add_phone_options(p.add_mutually_exclusive_group(), p)
    src = phone_source(p.parse_args(["--phyphox", "192.168.1.23:8080"]))
    assert isinstance(src, PhyphoxSource) and src.url == "http://192.168.1.23:8080"
    src = phone_source(p.parse_args(["--sensor-logger-push", "8123", "--phone-platform", "ios"]))
    assert isinstance(src, SensorLoggerSource) and src.port == 8123 and src.platform == "ios"
    assert src.header_notes()["platform"] == "ios"
    assert phone_source(p.parse_args([])) is None
