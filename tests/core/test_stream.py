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


def run_filler(x, cuts, edge_n=1):
    filler = GapFiller(max_interp=4, n_channels=2, edge_n=edge_n)
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


@given(st.integers(0, 2**31), st.integers(1, 6),
       st.lists(st.integers(min_value=1, max_value=149), max_size=12))
@settings(max_examples=150, deadline=None)
def test_averaged_gap_edges_are_chunk_invariant(seed, edge_n, cuts):
    """The line through the edge means waits for its samples after the run, and keeps those
    before it across chunks: any cutting gives the same output, to the bit."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(150, 2))
    x[rng.random(150) < rng.uniform(0.02, 0.4)] = np.nan
    whole = run_filler(x, [], edge_n)
    parts = run_filler(x, cuts, edge_n)
    assert np.array_equal(whole[0], parts[0], equal_nan=False)
    assert np.array_equal(whole[1], parts[1])
    assert len(whole[0]) == 150 and not np.isnan(whole[0]).any()


def test_a_gap_in_a_tremor_is_bridged_by_its_mean_not_by_its_edge_samples():
    """A 10 Hz tremor of +-20 deg/s at 26 Hz with 0.3 s lost: the edge samples, near the
    tremor's peaks, held across the gap integrate into a turn of degrees; where a side turns
    back or its slope swings, the mean of its 0.1 s follows the (zero) movement instead.
    Over the tremor's phases the turn falls to well under half."""
    fs = 26.0
    t = np.arange(260) / fs
    lost = slice(130, 138)  # 0.3 s
    turns_single, turns_averaged = [], []
    for phase in np.linspace(0.0, 2 * np.pi, 16, endpoint=False):
        w = 20.0 * np.sin(2 * np.pi * 10.0 * t + phase)
        x = np.stack((w, w), axis=1)
        x[lost] = np.nan
        single, _ = run_filler(x, [], edge_n=1)
        averaged = GapFiller(max_interp=16, n_channels=2, edge_n=3)
        out, flags = averaged(x)
        tail, tail_flags = averaged.flush()
        out = np.concatenate((out, tail))
        assert not np.concatenate((flags, tail_flags)).any()
        turns_single.append(abs(single[lost, 0].sum() / fs))
        turns_averaged.append(abs(out[lost, 0].sum() / fs))
    assert np.mean(turns_averaged) < 0.5 * np.mean(turns_single)
    assert np.mean(turns_single) > 1.0  # deg: what the edge samples made of it


def test_a_movement_under_way_at_a_gap_is_continued_from_its_edge_sample():
    """A burst rising into a gap (0.1, 0.5, 1.0 deg/s and then lost): the side only rises,
    so its edge sample, not the mean of its flank (which lags it), starts the line."""
    x = np.array([[0.0], [0.1], [0.5], [1.0], [np.nan], [np.nan], [np.nan], [0.4], [0.2],
                  [0.1], [0.0]])
    filler = GapFiller(max_interp=4, n_channels=1, edge_n=3)
    out, _ = filler(x)
    tail, _ = filler.flush()
    out = np.concatenate((out, tail))[:, 0]
    single, _ = GapFiller(max_interp=4, n_channels=1, edge_n=1)(x)
    assert np.array_equal(out, single[:, 0])


def test_one_edge_sample_is_the_straight_line_between_the_samples_either_side():
    x = np.array([[0.0], [1.0], [np.nan], [np.nan], [4.0], [5.0]])
    out, _ = GapFiller(max_interp=4, n_channels=1, edge_n=1)(x)
    assert np.array_equal(out[:, 0], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    # Two samples a side: the means (0.5 at t=0.5, 4.5 at t=4.5) lie on the same line.
    filler = GapFiller(max_interp=4, n_channels=1, edge_n=2)
    out, _ = filler(x)
    tail, _ = filler.flush()
    assert np.allclose(np.concatenate((out, tail))[:, 0], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
