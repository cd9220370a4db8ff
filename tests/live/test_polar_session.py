"""End to end against a virtual Polar sensor: Bumble PMD server -> bleak -> Polar adapter."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import numpy as np
import pytest

from imu.ble.client import KIND_POLAR, find_sensor_kind, scan
from imu.ble.polar.client import PolarAdapter, PolarConfig
from imu.ble.polar.virtual import DEVICE_EPOCH_NS, PolarSource
from imu.ble.sim import ScaledClock, polar_bench
from imu.exercises import get_profile
from imu.io.journal import recover_journal
from imu.io.recorders import REASON_STOPPED_BY_DEVICE
from imu.io.recorders.pmd import POLAR_EPOCH_UNIX_S, PolarError
from imu.io.recording import read_recording, write_recording
from imu.live.events import DEVICE_STOPPED, Connected, RepDone, StreamEvent
from imu.live.session import LiveResult
from imu.live.sources.virtual import run_session_on_bench
from imu.report.session import analyze_recording
from imu.report.tables import reps_table

from .conftest import SPEED, TEMPO


def run_polar(session, *, gyr_offset_s=0.0, drop=0.0, events=None, journal=None,
              config=None, **faults) -> tuple[LiveResult, Any]:
    rec = session.recording
    source = PolarSource.from_si(rec.acc, rec.gyr, int(rec.sampling_rate_hz))

    async def main():
        async with polar_bench(source, speed=SPEED, gyr_offset_s=gyr_offset_s,
                               drop_fraction=drop, seed=2, **faults) as bench:
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


def first_row_index(rec) -> int:
    """Source sample index of grid row 0 (from the device time of the first sample)."""
    first_unix = float(rec.meta.notes["device_time_first_sample_unix_s"])
    return round((first_unix - POLAR_EPOCH_UNIX_S - DEVICE_EPOCH_NS * 1e-9) * 104)


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


@pytest.mark.parametrize(("ppm", "frame_period_s"), [(577.0, 0.1), (20_000.0, 0.6)])
def test_polar_sampling_clock_off_nominal(simulated_set, ppm, frame_period_s):
    # 104 Hz that is really 104.06 Hz (+577 ppm, as 52 -> 52.03 Hz), and a 2 % fast clock
    # with long frames (over one sample of drift per frame): every sample is timed by the
    # device's real interval, so frames neither overlap (duplicates) nor leave false gaps,
    # and the grid holds the signal at its true device times.
    result, stats = run_polar(simulated_set, gyr_offset_s=0.002, rate_error_ppm=ppm,
                              frame_period_s=frame_period_s)
    rec, truth = result.recording, simulated_set.recording
    notes = rec.meta.notes
    assert stats.frames_sent > 50 and stats.frames_dropped == 0
    assert rec.meta.gaps == ()
    assert notes["duplicate_samples"] == "0" and notes["bad_frames"] == "0"
    # Row k is device time t0 + k / 104 s; the sensor took the world signal at its own
    # instants, so the rows match the truth at those times (after the first frame, whose
    # samples have no previous timestamp and take the nominal spacing).
    first_unix = float(notes["device_time_first_sample_unix_s"])
    t0 = first_unix - POLAR_EPOCH_UNIX_S - DEVICE_EPOCH_NS * 1e-9
    k0 = round(t0 * 104)
    skip = int(2 * frame_period_s * 104) + 2
    n = min(rec.n_samples, truth.n_samples - k0) - 1
    err = np.abs(rec.acc[skip:n] - truth.acc[k0 + skip:k0 + n])
    assert np.nanmax(err) < 0.3  # m/s^2; a misplaced sample (10 ms) is several times that
    assert len(result.reps) == 5


def test_polar_gyro_float_frames_end_to_end(simulated_set):
    result, _stats = run_polar(simulated_set, gyr_frame_type=0x81)
    rec, truth = result.recording, simulated_set.recording
    assert rec.meta.gaps == () and rec.meta.notes["gyr_factor"] == "1.0"
    k = first_row_index(rec)
    n = rec.n_samples - 1
    np.testing.assert_allclose(rec.gyr[:n], truth.gyr[k:k + n], atol=1e-5)  # float32 exact
    assert len(result.reps) == 5


def test_polar_stream_stopped_by_device_is_restarted(simulated_set, tmp_path):
    events: list = []
    journal = tmp_path / "stop.imuj"
    result, stats = run_polar(simulated_set, events=events, journal=str(journal),
                              stop_at_s=(("GYRO", 12.0),))
    rec = result.recording
    assert stats.device_stops == ["GYRO"]
    assert result.reason == "stopped"
    told = [(e.kind, e.measurement) for e in events if isinstance(e, StreamEvent)]
    assert told == [("stopped_by_device", "GYRO"), ("stream_restarted", "GYRO")]
    assert "stopped its GYRO stream on its own" in next(
        e for e in events if isinstance(e, StreamEvent)).text
    # The silence between stop and restart is one gap named for what happened.
    (gap,) = rec.meta.gaps
    assert gap.reason == REASON_STOPPED_BY_DEVICE
    k0 = first_row_index(rec)  # the grid starts when both streams run
    assert 11.5 * 104 < k0 + gap.start < 12.5 * 104
    assert np.isnan(rec.gyr[gap.start:gap.end]).all()
    assert np.isfinite(rec.gyr[gap.end:]).all() and rec.n_samples > 30 * 104
    logged = json.loads(rec.meta.notes["stream_events"])
    assert [e["event"] for e in logged] == ["stopped_by_device", "stream_restarted"]
    # The journal holds the events too: recovery gives the same recording.
    assert journal.exists()
    recovered = recover_journal(journal)
    assert recovered.meta.gaps == rec.meta.gaps
    assert recovered.meta.notes["stream_events"] == rec.meta.notes["stream_events"]


def test_polar_stream_that_cannot_restart_ends_the_session_cleanly(simulated_set):
    events: list = []
    result, stats = run_polar(simulated_set, events=events, stop_at_s=(("ACC", 8.0),),
                              refuse_restart=True)
    rec = result.recording
    assert result.reason == DEVICE_STOPPED
    assert stats.device_stops == ["ACC"]
    stream_events = [e for e in events if isinstance(e, StreamEvent)]
    assert [e.kind for e in stream_events] == ["stopped_by_device", "stream_restart_failed"]
    assert "INVALID_STATE" in stream_events[-1].text and "ending the session" in (
        stream_events[-1].text)
    # Everything up to the stop is kept; the GYRO-only tail (while the restarts were tried)
    # is a named gap at the end; the streams were stopped before disconnecting.
    assert np.isfinite(rec.acc[: 6 * 104]).all()
    (gap,) = rec.meta.gaps
    assert gap.reason == REASON_STOPPED_BY_DEVICE and gap.end == rec.n_samples
    assert 7.5 * 104 < first_row_index(rec) + gap.start < 8.5 * 104
    assert stats.requests.count("REQUEST_MEASUREMENT_START ACC") == 4  # 1 + 3 restarts
    assert stats.requests[-2:] == ["STOP_MEASUREMENT GYRO", "STOP_MEASUREMENT ACC"]
