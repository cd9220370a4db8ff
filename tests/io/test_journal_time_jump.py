"""Time that jumps further than any silence never fills the grid (new-user trial).

``imu live --sim ... --speed 1e9``: the virtual sensor streamed its frames one after the other
while the scaled host clock leapt a day or more between two of them, and once 600 years; the
recorder read the leaps as millions of wraps of the sensor's clock and asked for a 104 TiB
array. The journal it left crashed ``imu recover`` and every later ``imu live`` into that
folder the same way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from firmware_protocol import spec
from firmware_protocol.frames import encode_stream
from imu.errors import RecordingError
from imu.io import journal as journal_mod
from imu.io.journal import JournalWriter, recover
from imu.io.recorders import StreamHeader, StreamRecorder
from imu.io.recorders.hip import JUMP_GAP_S, MAX_GAP_S
from imu.live.finish import recover_leftovers

ODR = 104
HEADER = StreamHeader(odr_hz=ODR, acc_range_g=8, gyr_range_dps=500, source="ble-sim")
PER_FRAME = 5
DEVICE = {"name": "S", "address": "AA", "mtu": 247}


def _frames(n: int, first_ts_us: int, seed: int) -> list[bytes]:
    counts = np.random.default_rng(seed).integers(-2000, 2000, size=(n, 6))
    return encode_stream(counts, mtu=247, sampling_rate_hz=ODR, samples_per_frame=PER_FRAME,
                         first_timestamp_us=first_ts_us % spec.TIMESTAMP_MODULUS)


def _leaping_hosts(n_frames: int) -> list[float]:
    """Receive times of a replay at 1e9x: about a day between frames, 600 years once."""
    rng = np.random.default_rng(7)
    steps = rng.uniform(9e4, 1.3e5, n_frames)
    steps[0] = 0.0
    steps[n_frames // 2] = 1.88e10
    return list(1.9e9 + np.cumsum(steps))


def test_a_host_clock_leaping_days_between_frames_places_them_by_the_sensor_clock() -> None:
    frames = _frames(520, 2_896_064_143, 0)  # near the end of the clock's period, as seen
    rec = StreamRecorder(HEADER)
    rec.event("connected", 1.86e9, **DEVICE)
    rec.frames(_leaping_hosts(len(frames)), frames)
    out = rec.recording()
    assert out.n_samples == 520
    assert np.isfinite(out.acc).all() and not out.meta.gaps
    assert rec.counters["duplicate_frames"] == 0


def test_a_grid_jump_beyond_any_silence_becomes_a_short_gap(
        caplog: pytest.LogCaptureFixture) -> None:
    """Across a reconnect the sensor's clock and the host's both say a million days: no
    array for them, a gap of JUMP_GAP_S, the jump logged and counted."""
    first = _frames(520, 1000, 1)
    second = _frames(520, 5000, 2)  # the sensor restarted: re-anchored by the host's time
    rec = StreamRecorder(HEADER)
    rec.event("connected", 0.0, **DEVICE)
    rec.frames([k * PER_FRAME / ODR for k in range(len(first))], first)
    last = (len(first) - 1) * PER_FRAME / ODR
    rec.event("disconnected", last + 1.0)
    back = last + 1e6 * 86400.0
    rec.event("connected", back, **DEVICE)
    rec.frames([back + k * PER_FRAME / ODR for k in range(len(second))], second)
    out = rec.recording()
    gap = round(JUMP_GAP_S * ODR)
    assert out.n_samples == 1040 + gap
    assert [(g.start, g.end) for g in out.meta.gaps] == [(520, 520 + gap)]
    assert np.isfinite(out.acc[-520:]).all()
    assert rec.counters["clock_jumps"] == 1 and out.meta.notes["clock_jumps"] == "1"
    assert "jumped" in caplog.text and f"{MAX_GAP_S / 3600:.0f} h" in caplog.text


def test_a_long_silence_under_the_limit_is_still_placed_as_it_is() -> None:
    silence_s = MAX_GAP_S - 600.0
    first = _frames(520, 1000, 3)
    later_us = 1000 + round(520 * 1e6 / ODR) + round(silence_s * 1e6)
    second = _frames(520, later_us, 4)
    rec = StreamRecorder(HEADER)
    rec.event("connected", 0.0, **DEVICE)
    rec.frames([k * PER_FRAME / ODR for k in range(len(first))], first)
    t0 = 520 / ODR + silence_s
    rec.frames([t0 + k * PER_FRAME / ODR for k in range(len(second))], second)
    out = rec.recording()
    assert out.n_samples == 1040 + round(silence_s * ODR)
    assert "clock_jumps" not in rec.counters


def _poisoned_journal(folder: Path, name: str = "live-20250101-093000") -> Path:
    path = folder / f"{name}.imuj"
    frames = _frames(520, 2_896_064_143, 5)
    hosts = _leaping_hosts(len(frames))
    writer = JournalWriter(path, HEADER)
    writer.append_event(1.86e9, "connected", **DEVICE)
    writer.append_frames(zip(hosts, frames, strict=True))
    writer.close()
    return path


def test_the_journal_of_a_too_fast_replay_is_recovered(tmp_path: Path) -> None:
    result = recover(_poisoned_journal(tmp_path), warn=False)
    assert result.recording.n_samples == 520 and not result.recording.meta.gaps


def test_imu_recover_of_that_journal_writes_its_recording(tmp_path: Path) -> None:
    from imu.cli import main

    path = _poisoned_journal(tmp_path)
    assert main(["recover", str(path)]) == 0
    assert (tmp_path / "live-20250101-093000.parquet").exists()


def test_a_journal_too_big_for_memory_is_refused_naming_it_and_later_runs_go_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever still runs out of memory: a one-line refusal naming the journal; the start-up
    recovery of the next ``imu live`` reports it, leaves the file and carries on."""
    path = _poisoned_journal(tmp_path)

    def no_memory(*args: object, **kwargs: object) -> dict[int, int]:
        raise MemoryError("Unable to allocate 104. TiB")

    monkeypatch.setattr(journal_mod, "replay_into", no_memory)
    with pytest.raises(RecordingError) as err:
        recover(path)
    message = str(err.value)
    assert str(path) in message and "memory" in message and "kept" in message
    console = Console(record=True, width=400)
    assert recover_leftovers(tmp_path, console) == []
    said = console.export_text()
    assert f"cannot recover {path.name}" in said and "this session goes on" in said
    assert path.exists()
