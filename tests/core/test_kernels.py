"""The compiled kernels give, to the last bit, what the numpy/scipy code they replaced gave.

Bit-identity matters: the held-out accuracy figures were measured with that code, and a
label near its threshold could flip on a last-bit difference.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import butter, lfilter

from imu.core import kernels
from imu.core.angle import PelvicAngle
from imu.core.axis import BodyAxes
from imu.core.stream import GapFiller


@given(st.integers(1, 400), st.sampled_from([0.02, 0.1, 0.3, 0.6, 0.8]), st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_biquad_is_lfilter_to_the_last_bit(m, cutoff, seed):
    rng = np.random.default_rng(seed)
    sos = butter(2, cutoff, output="sos")
    b, a = sos[0, :3].copy(), sos[0, 3:].copy()
    x = rng.normal(size=(m, 3)) * 10.0 ** rng.uniform(-3, 3)
    zi = rng.normal(size=(2, 3))
    want, want_z = lfilter(b, a, x, axis=0, zi=zi.copy())
    got, z = np.empty_like(x), zi.copy()
    kernels.biquad(b, a, x, z, got)
    assert np.array_equal(got, want)
    assert np.array_equal(z, want_z)


@given(st.integers(1, 400), st.floats(0.5, 0.9999), st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_one_pole_is_lfilter_to_the_last_bit(m, pole, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=m) * 10.0 ** rng.uniform(-3, 3)
    zi = rng.normal(size=1)
    want, want_z = lfilter([1.0], [1.0, -pole], x, zi=zi.copy())
    got, z = np.empty(m), zi.copy()
    kernels.one_pole(x, -pole, z, got)
    assert np.array_equal(got, want)
    assert np.array_equal(z, want_z)


@given(st.integers(1, 300), st.integers(1, 120), st.integers(0, 2**31))
@settings(max_examples=80, deadline=None)
def test_window_span_is_the_max_minus_min_of_each_window(n, w, seed):
    rng = np.random.default_rng(seed)
    ext = rng.normal(size=(n, 2)).cumsum(axis=0)
    ext[rng.random(n) < 0.2] = 0.5  # ties
    first = int(rng.integers(0, n))
    out = np.empty((n - first, 2))
    kernels.window_span(ext, first, w, out)
    for i in range(first, n):
        seg = ext[max(0, i - w + 1) : i + 1]
        assert np.array_equal(out[i - first], seg.max(axis=0) - seg.min(axis=0))


@given(st.integers(1, 300), st.integers(1, 120), st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_window_span_norm_is_numpys_norm_of_the_spans(n, w, seed):
    rng = np.random.default_rng(seed)
    ext = rng.normal(size=(n, 3)).cumsum(axis=0)
    first = int(rng.integers(0, n))
    spans, norm = np.empty((n - first, 3)), np.empty(n - first)
    kernels.window_span(ext, first, w, spans)
    kernels.window_span_norm(ext, first, w, norm)
    want = np.sqrt(spans[:, 0] ** 2 + spans[:, 1] ** 2 + spans[:, 2] ** 2)
    assert np.array_equal(norm, want)


def _window_mean_reference(x, tail, w, seen, resolution):
    """WindowMean before it was compiled: integer cumulative sums with numpy."""
    q = np.rint(x / resolution).astype(np.int64)
    ext = np.concatenate((tail, q))
    cs = np.concatenate((np.zeros((1, q.shape[1]), dtype=np.int64), np.cumsum(ext, axis=0)))
    ends = np.arange(len(tail) + 1, len(ext) + 1)
    sums = cs[ends] - cs[np.maximum(ends - w, 0)]
    counts = np.minimum(np.arange(seen + 1, seen + len(q) + 1), w).astype(np.float64)
    return q, sums * resolution / counts[:, None]


@given(st.integers(1, 200), st.integers(0, 60), st.integers(1, 80), st.integers(0, 2**31))
@settings(max_examples=80, deadline=None)
def test_window_mean_is_the_integer_cumsum_mean_to_the_last_bit(m, k, w, seed):
    rng = np.random.default_rng(seed)
    k = min(k, w - 1)
    seen = k + int(rng.integers(0, 3)) * w if k == w - 1 else k  # a young stream: seen == k
    res = 1e-7
    tail = rng.integers(-(10**7), 10**7, size=(k, 3))
    x = rng.normal(size=(m, 3)) * rng.uniform(1e-3, 2.0)
    q, out = np.empty((m, 3), dtype=np.int64), np.empty((m, 3))
    kernels.window_mean(x, res, tail, w, seen, q, out)
    want_q, want = _window_mean_reference(x, tail, w, seen, res)
    assert np.array_equal(q, want_q)
    assert np.array_equal(out, want)


def _fill_reference(x, nan, last, in_long_gap, max_interp):
    """The gap filler's loop before it was compiled (numpy, one NaN run at a time)."""
    flags = np.zeros(len(x), dtype=bool)
    out = x.copy()
    padded = np.concatenate(([False], nan, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        left = out[a - 1] if a > 0 else last
        right = x[b] if b < len(x) else None
        length = b - a
        if (left is not None and right is not None and length <= max_interp
                and not (a == 0 and in_long_gap)):
            frac = (np.arange(1, length + 1, dtype=np.float64) / (length + 1))[:, None]
            out[a:b] = left + (right - left) * frac
        else:
            hold = left if left is not None else right
            out[a:b] = hold if hold is not None else 0.0
            flags[a:b] = True
    return out, flags


@given(st.integers(1, 120), st.booleans(), st.booleans(), st.integers(1, 8),
       st.integers(0, 2**31))
@settings(max_examples=100, deadline=None)
def test_fill_runs_is_the_numpy_loop_to_the_last_bit(m, has_last, continued, max_interp, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(m, 6)) * 3.0
    nan = rng.random(m) < rng.uniform(0.05, 0.6)
    x[nan] = np.nan
    last = rng.normal(size=6) if has_last else None
    want, want_flags = _fill_reference(x, nan, last, continued, max_interp)
    got, flags = x.copy(), np.zeros(m, dtype=bool)
    last_row = last if has_last else np.zeros(6)
    kernels.fill_runs(got, nan, last_row, has_last, continued, max_interp, flags,
                      last_row[None, :] if has_last else np.zeros((0, 6)), 1)
    assert np.array_equal(got, want)
    assert np.array_equal(flags, want_flags)


def test_gap_filler_still_bridges_and_holds_through_the_kernel():
    x = np.arange(12, dtype=float)[:, None] * np.ones((1, 6))
    x[3:5] = np.nan
    x[7:11] = np.nan
    out, flags = GapFiller(max_interp=2, n_channels=6)(x)
    assert np.allclose(out[3:5, 0], [3, 4]) and not flags[3:5].any()
    assert np.all(out[7:11, 0] == 6) and flags[7:11].all()


def _inclination_reference(axes, acc_chunks):
    """PelvicAngle.inclination before: np.linalg.norm, and np.unwrap on every chunk."""
    ax, r0 = axes.axis, axes.ref_perp
    prev, outs = None, []
    for acc_lp in acc_chunks:
        up = acc_lp / np.linalg.norm(acc_lp, axis=1, keepdims=True)
        ux, uy, uz = up[:, 0], up[:, 1], up[:, 2]
        sin_a = ((r0[1] * uz - r0[2] * uy) * ax[0] + (r0[2] * ux - r0[0] * uz) * ax[1]
                 + (r0[0] * uy - r0[1] * ux) * ax[2])
        cos_a = ux * r0[0] + uy * r0[1] + uz * r0[2]
        angle = -np.degrees(np.arctan2(sin_a, cos_a))
        if prev is not None:
            angle = np.unwrap(np.concatenate(([prev], angle)), period=360.0)[1:]
        prev = float(angle[-1])
        outs.append(angle)
    return np.concatenate(outs)


@pytest.mark.parametrize("seed", range(5))
def test_inclination_is_the_old_norm_and_unwrap_to_the_last_bit(seed):
    rng = np.random.default_rng(seed)
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    ref = np.cross(axis, rng.normal(size=3))
    ref /= np.linalg.norm(ref)
    axes = BodyAxes(axis=axis, side_axis=np.cross(axis, ref), up_ref=ref, ref_perp=ref)
    t = np.arange(2000) / 100.0
    turn = np.radians(400.0) * np.sin(0.3 * t)  # passes +-180 deg, so unwrapping is needed
    acc = (np.cos(turn)[:, None] * ref + np.sin(turn)[:, None] * np.cross(ref, axis)) * 9.8
    acc += rng.normal(scale=0.05, size=acc.shape)
    chunks = [acc[i : i + 300] for i in range(0, 2000, 300)]
    step = PelvicAngle(axes, 0.01, 2.0)
    got = np.concatenate([step.inclination(c) for c in chunks])
    want = _inclination_reference(axes, chunks)
    assert np.ptp(want) > 360.0
    assert np.array_equal(got, want)


_ONE_SIGNATURE_SCRIPT = """
import numba
from imu.core import RepAnalyzer, kernels
from imu.exercises import get_profile
from imu.sim import SessionSpec, simulate_session


def counts():
    public = [n for n in dir(kernels) if not n.startswith("_")]
    return {n: len(getattr(kernels, n).signatures) for n in public
            if isinstance(getattr(kernels, n), numba.core.registry.CPUDispatcher)}


before = None
for ex in ("reverse-crunch", "plank", "bird-dog", "hanging-leg-raise", "standing-curl"):
    rec = simulate_session(SessionSpec(ex, reps=3, sets=1, seed=5, packet_loss=0.05)).recording
    analyzer = RepAnalyzer(get_profile(ex), rec.sampling_rate_hz, phase_cues=True)
    before = before or counts()
    for i in range(0, rec.n_samples, 20):
        analyzer.update(rec.acc[i : i + 20], rec.gyr[i : i + 20])
    analyzer.finish()
print(repr((before, counts())))
"""


def test_every_kernel_is_compiled_before_the_stream_for_the_types_it_gets():
    """Compiled when the analyzer is made, for the types the stream then passes: a kernel
    left out, or called with other types, would compile between two live chunks (seconds)."""
    import ast
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _ONE_SIGNATURE_SCRIPT], capture_output=True,
                         text=True, check=True).stdout
    before, after = ast.literal_eval(out.strip().splitlines()[-1])
    assert len(after) >= 9
    assert before == after
    assert all(n == 1 for n in after.values()), after


def test_a_zero_accelerometer_reads_nan_as_numpy_does_not_an_exception():
    """numba's own error model raises on x / 0; the kernels keep numpy's (inf, NaN)."""
    acc = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 9.8]])
    sin_a, cos_a = np.empty(2), np.empty(2)
    kernels.inclination_terms(acc, np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0]),
                              sin_a, cos_a)
    assert np.isnan(sin_a[0]) and np.isnan(cos_a[0])
    assert cos_a[1] == 1.0


def test_a_stream_that_starts_with_a_long_gap_gives_the_same_reps_however_it_is_cut():
    """Found in review: 200 missing samples at the start, streamed in 20-sample chunks,
    crashed (a zero accelerometer divided by its norm); and the gap's fill depended on
    whether the first valid sample came in the same chunk."""
    import dataclasses

    from imu.core import RepAnalyzer
    from imu.exercises import get_profile
    from imu.sim import SessionSpec, simulate_session

    rec = simulate_session(SessionSpec("reverse-crunch", reps=4, sets=1, seed=4)).recording
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    acc[:200] = np.nan
    gyr[:200] = np.nan

    def reps(chunk: int) -> list[tuple[object, ...]]:
        analyzer = RepAnalyzer(get_profile("reverse-crunch"), rec.sampling_rate_hz)
        out = []
        for i in range(0, len(acc), chunk):
            out += analyzer.update(acc[i : i + chunk], gyr[i : i + chunk])
        out += analyzer.finish()
        return [dataclasses.astuple(r) for r in out]

    whole = reps(len(acc))
    assert len(whole) == 4
    assert repr(reps(20)) == repr(whole)
    assert repr(reps(7)) == repr(whole)


def test_without_a_writable_cache_the_kernels_compile_uncached(monkeypatch):
    """A read-only install (no cache locator) must not break ``import imu.core``."""
    import numba

    real = numba.njit

    def no_locator(*args, **kwargs):
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function 'f': no locator available for file")
        return real(*args, **kwargs)

    monkeypatch.setattr(numba, "njit", no_locator)

    def double(x):
        return 2.0 * x

    compiled = kernels._kernel(double)
    assert compiled(3.0) == 6.0

