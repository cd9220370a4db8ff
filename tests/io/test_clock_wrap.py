"""A silence longer than half the sensor clock's period: placed by the host's clock."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_protocol import spec
from firmware_protocol.frames import encode_stream
from imu.io.recorders import StreamHeader, StreamRecorder

ODR = 104
HEADER = StreamHeader(odr_hz=ODR, acc_range_g=8, gyr_range_dps=500)
PER_FRAME = 5


def _frames(n: int, first_ts_us: int, seed: int) -> list[bytes]:
    counts = np.random.default_rng(seed).integers(-2000, 2000, size=(n, 6))
    return encode_stream(counts, mtu=247, sampling_rate_hz=ODR, samples_per_frame=PER_FRAME,
                         first_timestamp_us=first_ts_us % spec.TIMESTAMP_MODULUS)


@pytest.mark.parametrize("silence_s", [600.0, 2400.0, 5000.0, 9000.0])
def test_frames_after_a_long_silence_are_kept_in_place(silence_s: float) -> None:
    """520 samples, then nothing for ``silence_s`` (the sensor out of range, or a gap of a
    replayed recording), then 520 more. Past 35.8 min (half the 71.6 min clock) the device
    time alone reads the second part as going back in time, and it was all dropped as
    duplicates; the host's elapsed time tells how often the clock wrapped."""
    first = _frames(520, 1000, 0)
    later_us = 1000 + round(520 * 1e6 / ODR) + round(silence_s * 1e6)
    second = _frames(520, later_us, 1)
    rec = StreamRecorder(HEADER)
    rec.event("connected", 0.0, name="S", address="AA", mtu=247)
    t_first = [k * PER_FRAME / ODR for k in range(len(first))]
    rec.frames(t_first, first)
    t0 = 520 / ODR + silence_s
    rec.frames([t0 + k * PER_FRAME / ODR for k in range(len(second))], second)
    out = rec.recording()
    gap = round(silence_s * ODR)
    assert out.n_samples == 1040 + gap
    assert np.isfinite(out.acc[:520]).all() and np.isfinite(out.acc[-520:]).all()
    assert np.isnan(out.acc[520:520 + gap]).all()
    assert rec.counters["duplicate_frames"] == 0


def test_a_host_clock_jump_in_an_unbroken_stream_adds_no_gap() -> None:
    """The host's clock is stepped 2 h forward (NTP) between two frames of an unbroken
    stream: the device time says nothing was missed, and no wrap is invented."""
    frames = _frames(1040, 1000, 2)
    hosts = [k * PER_FRAME / ODR + (7200.0 if k >= len(frames) // 2 else 0.0)
             for k in range(len(frames))]
    rec = StreamRecorder(HEADER)
    rec.event("connected", 0.0, name="S", address="AA", mtu=247)
    rec.frames(hosts, frames)
    out = rec.recording()
    assert out.n_samples == 1040 and np.isfinite(out.acc).all()


def test_a_sensor_restarted_during_a_long_silence_is_placed_by_host_time() -> None:
    """520 samples, the link drops, 50 min later the sensor comes back with its clock
    restarted near 0: placed by the host's clock (within a frame), as before the wrap rule."""
    first = _frames(520, 1_000_000_000, 3)
    second = _frames(520, 5000, 4)
    rec = StreamRecorder(HEADER)
    rec.event("connected", 0.0, name="S", address="AA", mtu=247)
    rec.frames([k * PER_FRAME / ODR for k in range(len(first))], first)
    last_host = (len(first) - 1) * PER_FRAME / ODR
    rec.event("disconnected", last_host + 1.0)
    back = last_host + 3000.0
    rec.event("connected", back, name="S", address="AA", mtu=247)
    rec.frames([back + k * PER_FRAME / ODR for k in range(len(second))], second)
    out = rec.recording()
    expected = 515 + round(3000.0 * ODR)  # the last frame's first sample + the host's step
    assert abs((out.n_samples - 520) - expected) <= PER_FRAME
    assert rec.counters["reanchors"] == 1


@pytest.mark.parametrize("host_error_s", [-120.0, 90.0])
def test_a_replayed_gap_is_placed_by_the_device_clock_whatever_the_host_jitter(
        host_error_s: float) -> None:
    """A replay at 1000x real time stamps frames with a scaled clock, tens of seconds off
    after a gap. The link stayed up and the frame reads as from the past: the clock wrapped,
    and the device time (not the host's) places it, to the sample."""
    silence_s = 2400.0
    first = _frames(520, 1000, 5)
    later_us = 1000 + round(520 * 1e6 / ODR) + round(silence_s * 1e6)
    second = _frames(520, later_us, 6)
    rec = StreamRecorder(HEADER)
    rec.event("connected", 0.0, name="S", address="AA", mtu=247)
    rec.frames([k * PER_FRAME / ODR for k in range(len(first))], first)
    t0 = 520 / ODR + silence_s + host_error_s
    rec.frames([t0 + k * PER_FRAME / ODR for k in range(len(second))], second)
    out = rec.recording()
    assert out.n_samples == 1040 + round(silence_s * ODR)
    assert np.isfinite(out.acc[-520:]).all()
