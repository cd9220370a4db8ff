"""The import's stillness mask: its running-sum form equals the windowed definition."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imu.io.gravity import STILL_MAX_ACC_REL_STD, STILL_MAX_GYR_RAD_S, still_mask


def _by_windows(acc: np.ndarray, gyr: np.ndarray, rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """The definition, window by window: std of |acc| over its median, max of |gyr - bias|."""
    n = len(acc)
    w = max(3, round(0.5 * rate_hz))
    mag = np.linalg.norm(acc, axis=1)
    finite = np.all(np.isfinite(gyr), axis=1)
    bias = np.median(gyr[finite], axis=0)
    gyr_norm = np.linalg.norm(gyr - bias, axis=1)
    scale = np.nanmedian(mag)
    win = np.empty(n - w + 1)
    for k in range(n - w + 1):
        m, g = mag[k:k + w], gyr_norm[k:k + w]
        if not (np.all(np.isfinite(m)) and np.all(np.isfinite(g))):
            win[k] = np.inf
            continue
        win[k] = max(np.std(m) / scale / STILL_MAX_ACC_REL_STD, g.max() / STILL_MAX_GYR_RAD_S)
    score = win[np.clip(np.arange(n) - w // 2, 0, n - w)]
    return score <= 1.0, score


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(30, 400),
    rate_hz=st.sampled_from([26.0, 52.0, 104.0]),
    seed=st.integers(0, 2**32 - 1),
    holes=st.booleans(),
)
def test_still_mask_matches_its_definition(n: int, rate_hz: float, seed: int, holes: bool) -> None:
    rng = np.random.default_rng(seed)
    acc = rng.normal(0.0, 0.05, (n, 3)) + np.array([0.0, 0.0, 9.81])
    gyr = rng.normal(0.0, 0.02, (n, 3))
    start = int(rng.integers(0, n))
    gyr[start:start + 20] += 1.0  # one movement
    if holes:
        acc[rng.integers(0, n, 2)] = np.nan
        gyr[rng.integers(0, n, 2)] = np.nan
    if n < max(3, round(0.5 * rate_hz)):
        return
    still, score = still_mask(acc, gyr, rate_hz)
    want_still, want_score = _by_windows(acc, gyr, rate_hz)
    np.testing.assert_array_equal(still, want_still)
    np.testing.assert_array_equal(np.isfinite(score), np.isfinite(want_score))
    finite = np.isfinite(want_score)
    np.testing.assert_allclose(score[finite], want_score[finite], rtol=1e-6, atol=1e-9)


def test_still_mask_memory_does_not_grow_with_the_window() -> None:
    """An 833 Hz hour has a 417-sample window: windows as arrays would need 10 GB."""
    import tracemalloc

    n, rate_hz = 200_000, 833.0
    acc = np.tile([0.0, 0.0, 9.81], (n, 1))
    gyr = np.zeros((n, 3))
    tracemalloc.start()
    still_mask(acc, gyr, rate_hz)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 40 * n * 8, f"peak {peak / 1e6:.0f} MB for {n} samples"
