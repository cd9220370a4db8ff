"""Timing statistics, rate estimation and gap-aware resampling (pure numpy)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imu.io.resample import estimate_rate_hz, resample_uniform, timing_stats


def test_regular_timestamps_are_regular() -> None:
    t = np.arange(200) / 100.0
    stats = timing_stats(t, max_gap_s=0.25)
    assert not stats.irregular
    assert np.isclose(stats.median_interval_s, 0.01)
    assert np.isclose(stats.effective_rate_hz, 100.0)
    assert stats.bursty_share == 0.0
    rate, how = estimate_rate_hz(stats)
    assert rate == 100.0
    assert "median interval" in how


def test_bursty_timestamps_are_detected_and_rate_from_effective() -> None:
    # pairs of samples 0.1 ms apart every 40 ms: half the intervals are bursts
    base = np.arange(100) * 0.04
    t = np.sort(np.concatenate([base, base + 1e-4]))
    stats = timing_stats(t, max_gap_s=0.25)
    assert stats.irregular
    assert 0.45 < stats.bursty_share < 0.55
    rate, how = estimate_rate_hz(stats)
    assert "effective rate" in how
    assert np.isclose(rate, stats.effective_rate_hz, atol=0.01)


def test_gap_is_nan_not_interpolated() -> None:
    t = np.concatenate([np.arange(50) / 50.0, 2.0 + np.arange(50) / 50.0])  # 1 s hole
    values = np.column_stack([t, -t])
    out, valid = resample_uniform(t, values, rate_hz=50.0, max_gap_s=0.25)
    grid = t[0] + np.arange(out.shape[0]) / 50.0
    inside = (grid > t[49]) & (grid < t[50])
    assert inside.sum() > 40
    assert not valid[inside].any()
    assert np.isnan(out[inside]).all()
    assert valid[~inside].all()
    np.testing.assert_allclose(out[~inside, 0], grid[~inside], atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    rate=st.floats(5, 500),
    slope=st.floats(-10, 10),
    n=st.integers(2, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_linear_signals_are_reproduced_between_samples(
    rate: float, slope: float, n: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.uniform(0.2, 1.8, n)) / rate  # jittered but no gaps
    out, valid = resample_uniform(t, (slope * t)[:, None], rate, max_gap_s=2.0 / rate)
    grid = t[0] + np.arange(out.shape[0]) / rate
    assert valid.all()
    assert grid[-1] <= t[-1] + 1e-9
    np.testing.assert_allclose(out[:, 0], slope * grid, atol=1e-9 * (1 + abs(slope) * t[-1]))
