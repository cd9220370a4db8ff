"""End to end against a virtual Polar sensor: Bumble PMD server -> bleak -> Polar adapter."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from imu.ble.client import KIND_POLAR, find_sensor_kind, scan
from imu.ble.live import Connected, LiveResult, RepDone
from imu.ble.polar.client import PolarAdapter, PolarConfig
from imu.ble.polar.codec import POLAR_EPOCH_UNIX_S, PolarError
from imu.ble.polar.virtual import DEVICE_EPOCH_NS, PolarSource
from imu.ble.sim import ScaledClock, polar_bench, run_session_on_bench
from imu.exercises import get_profile
from imu.io.journal import recover_journal
from imu.io.recording import read_recording, write_recording
from imu.report.session import analyze_recording
from imu.report.tables import reps_table

from .conftest import SPEED, TEMPO


def run_polar(session, *, gyr_offset_s=0.0, drop=0.0, events=None, journal=None,
              config=None) -> tuple[LiveResult, Any]:
    rec = session.recording
    source = PolarSource.from_si(rec.acc, rec.gyr, int(rec.sampling_rate_hz))

    async def main():
        async with polar_bench(source, speed=SPEED, gyr_offset_s=gyr_offset_s,
                               drop_fraction=drop, seed=2) as bench:
            kwargs: dict[str, Any] = {}
            if config is not None:
                kwargs["adapter"] = PolarAdapter(config)
            result = await run_session_on_bench(
                bench, profile=get_profile(session.spec.exercise), tempo=TEMPO,
                host_clock=ScaledClock(SPEED), listener=events.append if events is not None
                else None, journal_path=journal, source="ble-sim", **kwargs,
            )
            return result, bench.sensor.stats

    return asyncio.run(main())


def offline(rec, tmp_path):
    path = write_recording(rec, tmp_path / "polar.parquet")
    return analyze_recording(read_recording(path), "reverse-crunch", TEMPO).reps


def test_polar_set_streams_joins_and_matches_offline(simulated_set, tmp_path):
    events: list = []
    journal = tmp_path / "polar.imuj"
    result, stats = run_polar(simulated_set, gyr_offset_s=0.003, events=events,
                              journal=str(journal))
    rec = result.recording
    truth = simulated_set.recording
    assert result.reason == "stopped"
    assert rec.meta.notes["protocol"] == "polar-pmd"
    assert rec.meta.device.startswith("Polar Sense")
    assert stats.samples_sent["ACC"] > 0.95 * truth.n_samples
    assert rec.meta.gaps == ()
    # Grid sample 0 is the first ACC sample after GYRO started too (device time says which).
    first_unix = float(rec.meta.notes["device_time_first_sample_unix_s"])
    k = round((first_unix - POLAR_EPOCH_UNIX_S - DEVICE_EPOCH_NS * 1e-9) * 104)
    assert 0 <= k < 104 and abs(k + rec.n_samples - truth.n_samples) <= 1
    n = rec.n_samples - 1
    # ACC is on the grid exactly (quantised to the factor); GYRO is interpolated 3 ms.
    np.testing.assert_allclose(rec.acc[:n], truth.acc[k:k + n], atol=0.01)
    assert np.nanmax(np.abs(rec.gyr[:n] - truth.gyr[k:k + n])) < 0.05
    assert len(result.reps) == len(simulated_set.truth) == 5
    live = reps_table(result.reps)
    off = offline(rec, tmp_path)
    assert len(live) == len(off)
    for col in ("start_s", "ecc_end_s", "rom_deg"):
        np.testing.assert_allclose(live[col].to_numpy(float), off[col].to_numpy(float),
                                   atol=1e-9, err_msg=col)
    kinds = [type(e) for e in events]
    assert kinds.count(Connected) == 1 and kinds.count(RepDone) == 5
    # The journal recovers to the same recording (PMD decode path).
    assert not journal.exists() or recover_journal(journal).n_samples == rec.n_samples


def test_polar_frame_loss_is_marked_as_gaps(simulated_set):
    result, stats = run_polar(simulated_set, drop=0.05)
    rec = result.recording
    assert stats.frames_dropped > 0
    assert rec.meta.gaps and all(g.reason == "lost frames" for g in rec.meta.gaps)
    for g in rec.meta.gaps:
        assert np.isnan(rec.acc[g.start:g.end]).all()
    assert len(result.reps) >= 4


def test_unsupported_setting_is_named(simulated_set):
    with pytest.raises(PolarError, match=r"range 300 deg/s.*offers 250, 500, 1000, 2000"):
        run_polar(simulated_set, config=PolarConfig(rate_hz=104, gyr_range_dps=300))


def test_scan_shows_polar_with_its_kind(simulated_set):
    rec = simulated_set.recording
    source = PolarSource.from_si(rec.acc[:10], rec.gyr[:10], 104)

    async def main():
        async with polar_bench(source) as bench:
            found = await scan(bench.backend, timeout_s=1.0, read_battery=True)
            _device, kind = await find_sensor_kind(bench.backend, found[0].address, 2.0)
            return found, kind

    found, kind = asyncio.run(main())
    assert [s.kind for s in found] == [KIND_POLAR]
    assert found[0].name.startswith("Polar Sense") and found[0].battery_percent == 76
    assert kind == KIND_POLAR
