"""imu replay on a recording at a rate no sensor streams (a phone export, an imported CSV)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from firmware_protocol import spec
from imu.cli import main
from imu.io import read_recording, write_recording
from imu.io.recording import Recording, RecordingMeta
from imu.live.sources.replay import at_sensor_rate
from imu.sim import SessionSpec, simulate_session


def _at(rate_hz: float) -> Recording:
    """A simulated reverse-crunch set resampled onto ``rate_hz`` (not a sensor rate)."""
    sim = simulate_session(SessionSpec("reverse-crunch", reps=4, sets=1, seed=3,
                                       sampling_rate_hz=104, packet_loss=0.0))
    rec = sim.recording
    t = rec.time_s
    grid = np.arange(0.0, t[-1], 1.0 / rate_hz)
    acc = np.column_stack([np.interp(grid, t, rec.acc[:, k]) for k in range(3)])
    gyr = np.column_stack([np.interp(grid, t, rec.gyr[:, k]) for k in range(3)])
    acc[200:230] = np.nan  # a gap of 30 samples
    gyr[200:230] = np.nan
    acc[400::97] = np.nan  # and one-sample gaps
    gyr[400::97] = np.nan
    from imu.io.recording import gaps_from_nan

    meta = RecordingMeta(sampling_rate_hz=rate_hz, exercise="reverse-crunch",
                         gaps=gaps_from_nan(np.isfinite(acc).all(axis=1)))
    return Recording(acc, gyr, meta)


def test_a_recording_off_the_sensor_rates_is_moved_to_the_nearest() -> None:
    rec = _at(25.0)
    moved, note = at_sensor_rate(rec, "phone.parquet")
    assert moved.sampling_rate_hz == 26.0 and moved.sampling_rate_hz in spec.OUTPUT_DATA_RATES_HZ
    assert "phone.parquet is at 25 Hz; replayed at 26 Hz" in note
    assert moved.duration_s == pytest.approx(rec.duration_s, abs=0.05)
    # The gaps stay gaps: 1.2 s at 25 Hz (about 31 samples at 26 Hz), and every one-sample
    # gap (a 2-period hole: at least one grid point of the new rate falls in it).
    singles = len(range(400, rec.n_samples, 97))
    assert len(moved.meta.gaps) == 1 + singles
    assert 28 + singles <= moved.missing_samples <= 34 + 2 * singles
    same, none = at_sensor_rate(moved)
    assert same is moved and none == ""


def test_imu_replay_streams_a_25_hz_recording(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """It stopped with 'resample it first (imu convert)', and imu convert refused the file
    as already a recording: a dead end for every phone export and the WLE imports."""
    path = write_recording(_at(25.0), tmp_path / "at25.parquet")
    code = main(["replay", str(path), "--speed", "50", "--plain", "--out", str(tmp_path / "o")])
    assert code == 0
    captured = capsys.readouterr()
    assert "at25.parquet is at 25 Hz; replayed at 26 Hz" in captured.err
    assert "4 reps in 1 set" in captured.out
    assert read_recording(path).sampling_rate_hz == 25.0  # the file itself is untouched
