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
