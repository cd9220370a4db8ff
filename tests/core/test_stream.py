import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import butter

from imu.core.stream import GapFiller, SosFilter, WindowMean, WindowRange


def chunked(block, x, cuts):
    """Run a stateful block over x cut at the given positions; concatenate the outputs."""
    outs = []
    edges = [0, *sorted(set(cuts)), len(x)]
    for a, b in itertools.pairwise(edges):
        outs.append(block(x[a:b]))
    return np.concatenate(outs)


signal = np.random.default_rng(0).normal(size=(300, 3)).cumsum(axis=0)
cut_lists = st.lists(st.integers(min_value=1, max_value=299), max_size=12)


@given(cut_lists)
@settings(max_examples=60, deadline=None)
def test_filters_and_windows_are_bit_exact_under_any_chunking(cuts):
    sos = butter(2, 0.2, output="sos")
    for make in (
        lambda: SosFilter(sos),
        lambda: WindowRange(17, 3),
        lambda: WindowMean(17, 3),
    ):
        whole = make()(signal)
        parts = chunked(make(), signal, cuts)
        assert np.array_equal(whole, parts)


def test_window_range_matches_brute_force():
    w = 9
    out = WindowRange(w, 3)(signal)
    for i in range(len(signal)):
        seg = signal[max(0, i - w + 1) : i + 1]
        assert np.allclose(out[i], seg.max(axis=0) - seg.min(axis=0))


def test_window_mean_matches_brute_force():
    w = 7
    out = WindowMean(w, 3)(signal)
    for i in (0, 3, 6, 50, 299):
        seg = signal[max(0, i - w + 1) : i + 1]
        assert np.allclose(out[i], seg.mean(axis=0), atol=1e-6)


def gappy() -> np.ndarray:
    x = np.arange(40, dtype=float)[:, None] * np.ones((1, 2))
    x[5:8] = np.nan  # short: interpolated
    x[20:31] = np.nan  # long: held and flagged
    x[38:] = np.nan  # trailing: held at the end of the stream
    return x


def run_filler(x, cuts):
    filler = GapFiller(max_interp=4, n_channels=2)
    outs, flags = [], []
    edges = [0, *sorted(set(cuts)), len(x)]
    for a, b in itertools.pairwise(edges):
        o, f = filler(x[a:b])
        outs.append(o)
        flags.append(f)
    o, f = filler.flush()
    outs.append(o)
    flags.append(f)
    return np.concatenate(outs), np.concatenate(flags)


def test_gap_filler_interpolates_short_holds_long_and_flags_them():
    out, flags = run_filler(gappy(), [])
    assert len(out) == 40
    assert np.allclose(out[5:8, 0], [5, 6, 7])
    assert not flags[5:8].any()
    assert np.all(out[20:31, 0] == 19) and flags[20:31].all()
    assert np.all(out[38:, 0] == 37) and flags[38:].all()
    assert not np.isnan(out).any()


@given(st.lists(st.integers(min_value=1, max_value=39), max_size=10))
@settings(max_examples=80, deadline=None)
def test_gap_filler_is_chunk_invariant(cuts):
    whole = run_filler(gappy(), [])
    parts = run_filler(gappy(), cuts)
    assert np.array_equal(whole[0], parts[0])
    assert np.array_equal(whole[1], parts[1])


@given(st.integers(0, 120), st.lists(st.integers(min_value=1, max_value=199), max_size=10))
@settings(max_examples=80, deadline=None)
def test_a_gap_at_the_start_of_the_stream_is_filled_alike_however_it_is_cut(lead, cuts):
    """Before the first valid sample there is nothing to hold: the run takes that sample's
    value, flagged, whether or not it arrives in the same chunk."""
    x = np.arange(200, dtype=float)[:, None] * np.ones((1, 2)) + 5.0
    x[:lead] = np.nan
    x[150:170] = np.nan
    whole = run_filler(x, [])
    parts = run_filler(x, cuts)
    assert np.array_equal(whole[0], parts[0]) and np.array_equal(whole[1], parts[1])
    assert len(whole[0]) == 200
    if lead:
        assert np.all(whole[0][:lead] == x[lead]) and whole[1][:lead].all()


def test_a_stream_that_never_has_a_sample_is_released_at_the_end():
    x = np.full((30, 2), np.nan)
    out, flags = run_filler(x, [7, 19])
    assert out.shape == (30, 2) and np.all(out == 0.0) and flags.all()
