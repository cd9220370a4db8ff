"""Frame codec: single frames, batches, gaps, timestamp unwrapping, robustness."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_protocol import ProtocolError, spec
from firmware_protocol.frames import (
    Frame,
    StreamPosition,
    counts_from_si,
    decode_frame,
    decode_frames,
    encode_frame,
    encode_stream,
    max_samples_per_frame,
)
from firmware_protocol.version import ProtocolVersion

from .strategies import frames, samples, uint16, uint32

SETTINGS = settings(max_examples=200, deadline=None)


def test_literal_bytes():
    """Hand-written bytes, independent of the encoder: version 1.0, seq 0x0201, ts 0x06050403."""
    payload = bytes.fromhex("10 0102 03040506 01 0100 ffff 0080 ff7f 0000 feff".replace(" ", ""))
    frame = decode_frame(payload)
    assert frame == Frame(0x0201, 0x06050403, ((1, -1, -32768, 32767, 0, -2),))
    assert encode_frame(frame) == payload


@pytest.mark.parametrize(("mtu", "n"), [(23, 1), (34, 1), (35, 2), (185, 14), (247, 19), (515, 42)])
def test_max_samples_per_frame(mtu, n):
    assert max_samples_per_frame(mtu) == n
    assert 8 + 12 * n <= mtu - 3


def test_max_samples_capped_by_attribute_length():
    assert max_samples_per_frame(65535) == spec.MAX_SAMPLES_PER_FRAME == 42


@pytest.mark.parametrize("mtu", [0, 5, 22, -1])
def test_too_small_mtu(mtu):
    with pytest.raises(ProtocolError, match=rf"ATT MTU {mtu} is too small.*MTU >= 23"):
        max_samples_per_frame(mtu)


def test_mtu_must_be_int():
    with pytest.raises(ProtocolError, match="integer"):
        max_samples_per_frame(23.5)  # type: ignore[arg-type]


def test_encode_respects_mtu():
    frame = Frame(1, 2, ((0,) * 6,) * 2)
    assert len(encode_frame(frame, mtu=35)) == 35 - 3
    with pytest.raises(ProtocolError, match="MTU 23"):
        encode_frame(frame, mtu=23)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (Frame(65536, 0, ((0,) * 6,)), "seq"),
        (Frame(-1, 0, ((0,) * 6,)), "seq"),
        (Frame(0, 2**32, ((0,) * 6,)), "timestamp_us"),
        (Frame(0, 0, ()), "1..42 samples, got 0"),
        (Frame(0, 0, ((0, 0, 0, 0, 0, 32768),)), "int16"),
        (Frame(0, 0, ((0, 0, 0),)), "shape"),  # type: ignore[arg-type]
        (Frame(0, 0, ((0, 0, 0, 0, 0, 1.5),)), "integers"),  # type: ignore[arg-type]
        (Frame(0, 0, ((True,) * 6,)), "integers"),
        (Frame(0, 0, ((0,) * 6,), ProtocolVersion(16, 0)), "version byte"),
    ],
)
def test_encode_rejects(frame, match):
    with pytest.raises(ProtocolError, match=match):
        encode_frame(frame)


def test_major_version_error_names_both_versions():
    payload = bytearray(encode_frame(Frame(0, 0, ((0,) * 6,))))
    payload[0] = 0x21
    with pytest.raises(ProtocolError, match=r"version 2\.1.*speaks version 1\.0"):
        decode_frame(bytes(payload))


def test_newer_minor_ignores_trailing_bytes():
    frame = Frame(5, 6, ((1, 2, 3, 4, 5, 6),), ProtocolVersion(1, 4))
    assert decode_frame(encode_frame(frame) + b"\x99" * 7) == frame


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (b"", "0 bytes is too short"),
        (bytes(19), "19 bytes is too short"),
        (bytes([0x10, 0, 0, 0, 0, 0, 0, 2]) + bytes(13), "truncated: sample_count 2 needs 32"),
        (bytes([0x10, 0, 0, 0, 0, 0, 0, 1]) + bytes(13), "1 bytes too many"),
        (bytes([0x10, 0, 0, 0, 0, 0, 0, 0]) + bytes(12), "sample_count 0"),
        (bytes([0x10, 0, 0, 0, 0, 0, 0, 43]) + bytes(12 * 43), "longer than"),
    ],
)
def test_decode_rejects(payload, match):
    with pytest.raises(ProtocolError, match=match):
        decode_frame(payload)
    with pytest.raises(ProtocolError, match=match):
        decode_frames([payload], 8, 1000, 104)


@SETTINGS
@given(frames())
def test_frame_round_trip(frame):
    payload = encode_frame(frame)
    assert len(payload) == 8 + 12 * len(frame.samples)
    assert decode_frame(payload) == frame
    assert decode_frame(bytearray(payload)) == frame
    assert decode_frame(memoryview(payload)) == frame


@SETTINGS
@given(st.binary(max_size=80))
def test_arbitrary_bytes_never_crash(data):
    try:
        frame = decode_frame(data)
    except ProtocolError:
        return
    assert encode_frame(frame) == data[: 8 + 12 * len(frame.samples)]


def _batch_equals_frames(batch, decoded, acc_range_g, gyr_range_dps, rate):
    assert batch.n_frames == len(decoded)
    counts = np.concatenate([f.counts() for f in decoded]) if decoded else np.zeros((0, 6))
    assert batch.n_samples == counts.shape[0]
    np.testing.assert_array_equal(batch.seq, [f.seq for f in decoded])
    np.testing.assert_array_equal(batch.acc, counts[:, :3] * spec.acc_lsb_ms2(acc_range_g))
    np.testing.assert_array_equal(batch.gyr, counts[:, 3:] * spec.gyr_lsb_rads(gyr_range_dps))
    starts = np.cumsum([0] + [len(f.samples) for f in decoded])[:-1]
    np.testing.assert_array_equal(batch.frame_start, starts)
    for k, f in enumerate(decoded):
        t = batch.time_s[starts[k] : starts[k] + len(f.samples)]
        expected = batch.frame_timestamp_us[k] * 1e-6 + np.arange(len(f.samples)) / rate
        np.testing.assert_allclose(t, expected, rtol=0, atol=1e-9)
        assert batch.frame_timestamp_us[k] % 2**32 == f.timestamp_us


@SETTINGS
@given(
    st.lists(frames(max_samples=5), max_size=8),
    st.sampled_from(spec.ACC_RANGES_G),
    st.sampled_from(spec.GYR_RANGES_DPS),
    st.sampled_from(spec.OUTPUT_DATA_RATES_HZ),
)
def test_batch_equals_per_frame(frame_list, acc_range_g, gyr_range_dps, rate):
    payloads = [encode_frame(f) + b"\x00" * (f.version.minor % 3) for f in frame_list]
    decoded = [decode_frame(p) for p in payloads]
    batch = decode_frames(payloads, acc_range_g, gyr_range_dps, rate)
    _batch_equals_frames(batch, decoded, acc_range_g, gyr_range_dps, rate)


@SETTINGS
@given(st.lists(st.binary(max_size=45), max_size=5))
def test_batch_of_arbitrary_bytes_fails_like_per_frame(payloads):
    per_frame_error = None
    decoded = []
    for p in payloads:
        try:
            decoded.append(decode_frame(p))
        except ProtocolError as exc:
            per_frame_error = exc
            break
    if per_frame_error is not None:
        with pytest.raises(ProtocolError):
            decode_frames(payloads, 8, 1000, 104)
    else:
        batch = decode_frames(payloads, 8, 1000, 104)
        _batch_equals_frames(batch, decoded, 8, 1000, 104)


def test_batch_error_names_frame_index():
    good = encode_frame(Frame(0, 0, ((0,) * 6,)))
    with pytest.raises(ProtocolError, match=r"frame 2 of the batch: .*version 3\.0"):
        decode_frames([good, good, b"\x30" + good[1:]], 8, 1000, 104)


def test_numpy_scalars_accepted():
    payload = encode_frame(Frame(0, 0, ((1, 2, 3, 4, 5, 6),)))
    batch = decode_frames([payload], np.int64(8), np.float64(1000), np.int64(104))
    assert batch.n_samples == 1


def test_empty_batch():
    batch = decode_frames([], 8, 1000, 104)
    assert batch.n_frames == batch.n_samples == 0
    assert batch.acc.shape == (0, 3) and batch.gyr.shape == (0, 3)
    assert batch.end is None
    prev = StreamPosition(1, 2, 3)
    assert decode_frames([], 8, 1000, 104, previous=prev).end == prev


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3, 1000, 104), "accelerometer range 3"),
        ((8, 300, 104), "gyroscope range 300"),
        ((8, 1000, 0), "sampling_rate_hz"),
        ((8, 1000, float("nan")), "sampling_rate_hz"),
        ((8, 1000, True), "sampling_rate_hz"),
        ((8, 1000, "104"), "sampling_rate_hz"),
    ],
)
def test_batch_config_errors(args, match):
    with pytest.raises(ProtocolError, match=match):
        decode_frames([], *args)


def _frame(seq, ts, n=1):
    return encode_frame(Frame(seq, ts, ((1, 2, 3, 4, 5, 6),) * n))


def test_gaps_across_wrap():
    payloads = [_frame(s, 0) for s in (65530, 65531, 65535, 0, 3, 4)]
    batch = decode_frames(payloads, 8, 1000, 104)
    np.testing.assert_array_equal(batch.gaps, [0, 0, 3, 0, 2, 0])
    assert batch.missing_frames == 5


@SETTINGS
@given(uint16, st.lists(st.integers(0, 300), min_size=1, max_size=10))
def test_gap_detection_property(first, skips):
    seqs = [first]
    for skip in skips:
        seqs.append((seqs[-1] + 1 + skip) % 65536)
    batch = decode_frames([_frame(s, 0) for s in seqs], 8, 1000, 104)
    np.testing.assert_array_equal(batch.gaps, [0, *skips])


def test_timestamp_unwrap_and_backward_step():
    near = 2**32 - 100
    payloads = [_frame(0, near), _frame(1, 50), _frame(2, 150), _frame(3, 100)]
    batch = decode_frames(payloads, 8, 1000, 104)
    np.testing.assert_array_equal(
        batch.frame_timestamp_us, [near, 2**32 + 50, 2**32 + 150, 2**32 + 100]
    )


@SETTINGS
@given(
    st.lists(samples, min_size=1, max_size=120),
    uint16,
    uint32,
    st.sampled_from(spec.OUTPUT_DATA_RATES_HZ),
    st.sampled_from([23, 50, 185, 247]),
    st.data(),
)
def test_chunked_stream_equals_whole(rows, first_seq, first_ts, rate, mtu, data):
    counts = np.array(rows, dtype=np.int16)
    payloads = encode_stream(
        counts, mtu=mtu, sampling_rate_hz=rate, first_seq=first_seq, first_timestamp_us=first_ts
    )
    assert all(len(p) <= mtu - 3 for p in payloads)
    whole = decode_frames(payloads, 4, 500, rate)
    np.testing.assert_array_equal(whole.acc, counts[:, :3] * spec.acc_lsb_ms2(4))
    assert whole.missing_frames == 0
    expected_t = first_ts * 1e-6 + np.arange(len(rows)) / rate
    np.testing.assert_allclose(whole.time_s, expected_t, rtol=0, atol=1.5e-6)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(payloads)), max_size=3)))
    previous = None
    parts = []
    for lo, hi in zip([0, *cuts], [*cuts, len(payloads)], strict=True):
        part = decode_frames(payloads[lo:hi], 4, 500, rate, previous=previous)
        previous = part.end
        parts.append(part)
    np.testing.assert_array_equal(np.concatenate([p.time_s for p in parts]), whole.time_s)
    np.testing.assert_array_equal(np.concatenate([p.gaps for p in parts]), whole.gaps)
    np.testing.assert_array_equal(np.concatenate([p.acc for p in parts]), whole.acc)
    assert previous == whole.end


def test_chained_batches_detect_gap_and_wrap():
    first = decode_frames([_frame(65535, 2**32 - 10)], 8, 1000, 104)
    second = decode_frames([_frame(2, 20)], 8, 1000, 104, previous=first.end)
    assert second.gaps.tolist() == [2]
    assert second.frame_timestamp_us.tolist() == [2**32 + 20]


def test_counts_from_si_round_trip_and_saturation():
    acc = np.array([[0.0, 9.80665, -9.80665], [1000.0, -1000.0, 0.0]])
    gyr = np.array([[0.1, -0.1, 0.0], [100.0, -100.0, 0.0]])
    counts = counts_from_si(acc, gyr, 8, 1000)
    assert counts.dtype == np.int16
    assert counts[0, :3].tolist() == [0, 4096, -4096]
    assert counts[1].tolist()[:2] == [32767, -32768]
    assert counts[1].tolist()[3:5] == [32767, -32768]
    batch = decode_frames(encode_stream(counts, mtu=247, sampling_rate_hz=104), 8, 1000, 104)
    np.testing.assert_allclose(batch.acc[0], acc[0], atol=spec.acc_lsb_ms2(8) / 2)
    np.testing.assert_allclose(batch.gyr[0], gyr[0], atol=spec.gyr_lsb_rads(1000) / 2)
    with pytest.raises(ProtocolError, match="finite"):
        counts_from_si([[np.nan, 0, 0]], [[0, 0, 0]], 8, 1000)
    with pytest.raises(ProtocolError, match="shape"):
        counts_from_si([[0, 0]], [[0, 0]], 8, 1000)


def test_encode_stream_frame_sizes_and_seq_wrap():
    counts = np.zeros((45, 6), dtype=np.int16)
    payloads = encode_stream(counts, mtu=247, sampling_rate_hz=833, first_seq=65535)
    assert [len(p) for p in payloads] == [8 + 12 * 19, 8 + 12 * 19, 8 + 12 * 7]
    assert [decode_frame(p).seq for p in payloads] == [65535, 0, 1]
    ts = [struct.unpack_from("<I", p, 3)[0] for p in payloads]
    assert ts == [0, round(19e6 / 833), round(38e6 / 833)]
    with pytest.raises(ProtocolError, match="samples_per_frame"):
        encode_stream(counts, mtu=23, sampling_rate_hz=833, samples_per_frame=2)
