"""PMD codec: frames built from Polar's documentation, control point responses, round trips."""

from __future__ import annotations

import contextlib
import itertools
import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu.io.recorders import pmd
from imu.io.recorders.pmd import MeasurementType as M
from imu.io.recorders.pmd import PmdStatus, PolarError, SettingType

G = 9.80665


def header(mtype: int, ts: int, ftype: int) -> bytes:
    return bytes([mtype]) + ts.to_bytes(8, "little") + bytes([ftype])


def test_documented_gyro_delta_frame():
    # Polar's documented example (SDK docs/tests): GYRO, compressed type 0 (0x80);
    # reference -22, 8, 13 (EA FF 08 00 0D 00); one 3-bit delta sample DF 00:
    # deltas -1 (111b), 3 (011b), 3 (011b).
    ts = 0x7FFFFFFFFFFFFFFF
    frame = header(0x05, ts, 0x80) + bytes.fromhex("EAFF08000D00 0301 DF00")
    f = pmd.decode_data_frame(frame, factor=1.0)
    assert f.measurement == M.GYRO and f.timestamp_ns == ts and f.n_samples == 2
    np.testing.assert_allclose(np.degrees(f.values), [[-22, 8, 13], [-23, 11, 16]])


def test_delta_blocks_of_several_widths_and_negative_deltas():
    # Reference (100, -200, 3000); block 1: 2 samples of 4-bit deltas; block 2: 1 sample of
    # 10-bit deltas (LSB first, sample by sample, channel by channel).
    samples = np.array([[100, -200, 3000], [93, -199, 3007], [85, -201, 3000],
                        [-300, 200, 3511]])
    ref = b"".join(int(v).to_bytes(2, "little", signed=True) for v in samples[0])
    d1 = [-7, 1, 7, -8, -2, -7]
    bits1 = "".join(format(v & 0xF, "04b")[::-1] for v in d1)
    d2 = [-385, 401, 511]
    bits2 = "".join(format(v & 0x3FF, "010b")[::-1] for v in d2)

    def pack(bits: str) -> bytes:
        bits += "0" * (-len(bits) % 8)
        return bytes(int(bits[i:i + 8][::-1], 2) for i in range(0, len(bits), 8))

    body = ref + bytes([4, 2]) + pack(bits1) + bytes([10, 1]) + pack(bits2)
    np.testing.assert_array_equal(pmd.decode_delta_samples(body, 3, 16), samples)
    assert pmd.encode_delta_samples(samples, 16, [2, 1]) == body
    # ACC type 0x81: counts x factor = mG.
    f = pmd.decode_data_frame(header(0x02, 10**18, 0x81) + body, factor=0.5)
    np.testing.assert_allclose(f.values, samples * 0.5e-3 * G)


def test_raw_acc_frames_are_mg():
    body = struct.pack("<3h", -1000, 0, 1000)
    f = pmd.decode_data_frame(header(0x02, 5, 0x01) + body)
    np.testing.assert_allclose(f.values, [[-G, 0, G]])
    f = pmd.decode_data_frame(header(0x02, 5, 0x00) + bytes([0xFF, 0x00, 0x7F]))
    np.testing.assert_allclose(f.values, [[-1e-3 * G, 0, 127e-3 * G]])


def test_gyro_float_delta_frame_0x81():
    # Written from the documented layout: GYRO (05), timestamp 2 s, frame type 0x81
    # (compressed, type 1: float samples). Reference sample: three little-endian IEEE-754
    # float32 (2.5, -0.75, 100.0 = 0x40200000, 0xBF400000, 0x42C80000). Deltas are added to
    # the 32-bit patterns (modulo 2^32), then the patterns are read as floats.
    # Block 1: width 23 (0x17), 1 sample: +0x100000, -0x400000, +0x10000 (69 bits, LSB
    # first) -> 2.75, -0.5, 100.5.
    # Block 2: width 32 (0x20), 1 sample: 0x80000000 twice (flips the sign bit), 0
    # -> -2.75, 0.5, 100.5.
    body = bytes.fromhex(
        "00002040 000040bf 0000c842"
        " 17 01 000010000020004000"
        " 20 01 00000080 00000080 00000000".replace(" ", "")
    )
    frame = header(0x05, 2_000_000_000, 0x81) + body
    f = pmd.decode_data_frame(frame, factor=1.0)
    assert f.measurement == M.GYRO and f.frame_type == 0x81 and f.n_samples == 3
    np.testing.assert_array_equal(
        np.degrees(f.values).round(9),
        [[2.5, -0.75, 100.0], [2.75, -0.5, 100.5], [-2.75, 0.5, 100.5]],
    )
    # The factor scales the float values (deg/s = value x factor).
    half = pmd.decode_data_frame(frame, factor=0.5)
    np.testing.assert_allclose(half.values, f.values * 0.5)
    # Our encoder writes the same bytes for those values and block sizes.
    values = [[2.5, -0.75, 100.0], [2.75, -0.5, 100.5], [-2.75, 0.5, 100.5]]
    assert pmd.encode_data_frame(M.GYRO, 2_000_000_000, values, 0x81, [1, 1]) == frame


def test_gyro_float_frame_rejects_non_finite_samples_and_other_types():
    nan = bytes.fromhex("0000c07f 00000000 00000000")  # NaN, 0, 0
    with pytest.raises(PolarError, match="not a finite float"):
        pmd.decode_data_frame(header(0x05, 10**9, 0x81) + nan)
    with pytest.raises(PolarError, match=r"GYRO frame type 0x82 is not supported \(0x80, 0x81\)"):
        pmd.decode_data_frame(header(0x05, 10**9, 0x82) + nan)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.floats(-2000, 2000, width=32), min_size=3, max_size=3),
                min_size=1, max_size=30))
def test_gyro_float_round_trip(samples):
    arr = np.array(samples, dtype=np.float32)
    f = pmd.decode_data_frame(pmd.encode_data_frame(M.GYRO, 5 * 10**9, arr, 0x81), factor=2.0)
    np.testing.assert_allclose(f.values, arr.astype(np.float64) * 2.0 * math.pi / 180,
                               rtol=1e-12, atol=0)


# ----------------------------------------------------------------------------- sample times
S = 1_000_000_000  # ns per second


def test_first_frame_uses_the_nominal_rate():
    f = pmd.decode_data_frame(pmd.encode_data_frame(M.ACC, 10**9, np.zeros((4, 3)), 0x81))
    np.testing.assert_array_equal(f.sample_times_ns(100.0), [970_000_000, 980_000_000,
                                                             990_000_000, 1_000_000_000])


def test_samples_are_spread_since_the_previous_frame():
    # Previous timestamp 0, this frame at 2 s, 3 samples: 2/3 s, 4/3 s, 2 s (the interval the
    # device really took), whatever the nominal rate says (here 1.6 Hz: 0.625 s apart).
    np.testing.assert_array_equal(pmd.sample_times_ns(2 * S, 3, 1.6, previous_ns=0),
                                  [666_666_667, 1_333_333_333, 2 * S])
    # 10 samples at 1 Hz after a frame at 1 s, this one at 11 s: 2, 3, ... 11 s.
    np.testing.assert_array_equal(pmd.sample_times_ns(11 * S, 10, 1.0, previous_ns=S),
                                  np.arange(2, 12) * S)
    # One sample: at the timestamp.
    assert pmd.sample_times_ns(2 * S, 1, 1.0, previous_ns=S).tolist() == [2 * S]
    # Without a previous timestamp: the nominal rate, ending at the timestamp.
    np.testing.assert_array_equal(pmd.sample_times_ns(10 * S, 10, 1.0), np.arange(1, 11) * S)


def test_a_clock_off_nominal_is_followed_within_each_frame():
    # 52 Hz nominal, really 52.03 Hz: each 36-sample frame spans 36 / 52.03 s of device time.
    true_period = S / 52.03
    prev = 1000 * S
    ts = prev + round(36 * true_period)
    times = pmd.sample_times_ns(ts, 36, 52.0, previous_ns=prev)
    np.testing.assert_allclose(np.diff(times), true_period, atol=1)
    assert times[0] - prev == pytest.approx(true_period, abs=1)


def test_an_interval_far_longer_than_the_samples_means_lost_frames():
    # 10 samples at 100 Hz, 1 s after the previous frame: frames were lost; the samples keep
    # the nominal spacing, ending at the timestamp (the hole before them is a gap).
    times = pmd.sample_times_ns(2 * S, 10, 100.0, previous_ns=S)
    np.testing.assert_array_equal(times, 2 * S - np.arange(9, -1, -1) * 10_000_000)


@pytest.mark.parametrize(("timestamp", "n", "rate", "previous", "match"), [
    (100_000, 100, 52.0, None, "cannot hold its 100 samples at 52 Hz"),  # negative times
    (100_000, 100, 0.0, None, "sample rate of 0.0 Hz"),
    (100_000, 100, 0.0, 50_000, "sample rate of 0.0 Hz"),
    (10 * S, 5, -52.0, None, "must be positive"),
    (10 * S, 5, math.nan, None, "must be positive"),
    (10 * S, 5, 52.0, 10 * S, "not after the previous frame's"),  # same timestamp again
    (10 * S, 5, 52.0, 11 * S, "went backwards by 1000000000 ns"),
    (10 * S, 52, 52.0, 10 * S - 1_000_000, "cannot hold its samples at 52 Hz"),  # 52 in 1 ms
    (10 * S, 0, 52.0, None, "0 samples"),
])
def test_frames_whose_timestamps_cannot_hold_their_samples_raise(timestamp, n, rate, previous,
                                                                  match):
    with pytest.raises(PolarError, match=match):
        pmd.sample_times_ns(timestamp, n, rate, previous)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**63 - 1), st.integers(1, 300), st.floats(0.5, 2000),
       st.one_of(st.none(), st.integers(0, 2**63 - 1)))
def test_sample_times_never_negative_never_decreasing(timestamp, n, rate, previous):
    try:
        times = pmd.sample_times_ns(timestamp, n, rate, previous)
    except PolarError:
        return
    assert times.shape == (n,) and times[-1] == timestamp and times.min() >= 0
    assert (np.diff(times) > 0).all() or n == 1
    if previous is not None:
        assert times[0] > previous  # never overlaps the previous frame


@pytest.mark.parametrize("data", [b"", b"\x02" * 9, header(2, 0, 0x82) + b"\0" * 6,
                                  header(1, 0, 0x80) + b"\0" * 6, header(5, 0, 0x00) + b"\0" * 6,
                                  header(2, 0, 0x80) + b"\0\0", header(2, 0, 0x01) + b"\0" * 5,
                                  header(2, 0, 0x80) + b"\0" * 6 + bytes([0, 1])])
def test_bad_frames_raise_polar_error(data):
    with pytest.raises(PolarError):
        pmd.decode_data_frame(data)


samples_st = st.integers(1, 40).flatmap(
    lambda n: st.lists(st.lists(st.integers(-32768, 32767), min_size=3, max_size=3),
                       min_size=n, max_size=n))


@settings(max_examples=150, deadline=None)
@given(samples_st, st.data())
def test_delta_round_trip(samples, data):
    arr = np.array(samples)
    n = len(samples) - 1
    blocks = None
    if n:
        cuts = sorted(data.draw(st.sets(st.integers(1, n - 1), max_size=4))) if n > 1 else []
        edges = [0, *cuts, n]
        blocks = [b - a for a, b in itertools.pairwise(edges)]
    encoded = pmd.encode_data_frame(M.GYRO, 123, arr, 0x80, blocks)
    f = pmd.decode_data_frame(encoded, factor=0.25)
    np.testing.assert_allclose(f.values, arr * 0.25 * math.pi / 180)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80), st.floats(0.01, 10))
def test_arbitrary_bytes_never_crash(data, factor):
    with contextlib.suppress(PolarError):
        pmd.decode_data_frame(data, factor)


# ----------------------------------------------------------------------------- control point
def test_features_and_settings():
    feats = pmd.decode_features(bytes([0x0F, 0x26, 0x02]))
    assert feats == {M.PPG, M.ACC, M.GYRO, M.SDK_MODE}
    assert pmd.decode_features(pmd.encode_features({M.ACC, M.GYRO})) == {M.ACC, M.GYRO}
    with pytest.raises(PolarError, match="0x0f"):
        pmd.decode_features(b"\xf0\x01")
    # Settings TLV: rate 52 and 104 Hz, resolution 16, range 8 g, channels 3, factor.
    raw = bytes.fromhex("00023400 6800 01011000 02010800 040103") + bytes([5, 1]) + struct.pack(
        "<f", 0.244140625)
    s = pmd.decode_settings(raw.replace(b" ", b""))
    assert s[SettingType.SAMPLE_RATE] == (52, 104) and s[SettingType.RANGE] == (8,)
    assert s[SettingType.FACTOR] == (0.244140625,)
    with pytest.raises(PolarError, match="unknown PMD setting type 9"):
        pmd.decode_settings(bytes([9, 1, 0]))
    with pytest.raises(PolarError, match="announces 2"):
        pmd.decode_settings(bytes([0, 2, 52, 0]))


def test_start_request_bytes():
    req = pmd.start_measurement(M.ACC, 52, 8)
    assert req.encode() == bytes.fromhex("0202 00013400 01011000 02010800 040103".replace(" ", ""))
    assert pmd.decode_request(req.encode()) == req
    assert pmd.stop_measurement(M.GYRO).encode() == bytes([3, 5])


def test_requests_carry_only_request_settings():
    # GYRO start at 416 Hz, 16 bits, 2000 deg/s, 3 channels, in setting-type order whatever
    # order they were chosen in; one value each.
    chosen = {SettingType.CHANNELS: 3, SettingType.RANGE: 2000, SettingType.SAMPLE_RATE: 416,
              SettingType.RESOLUTION: 16}
    req = pmd.Request(pmd.Opcode.REQUEST_MEASUREMENT_START, M.GYRO, chosen)
    assert req.encode() == bytes.fromhex("0205 0001a001 01011000 0201d007 040103".replace(" ", ""))
    # FACTOR is response-only: a request holding it is refused before anything is sent.
    with pytest.raises(PolarError, match=r"cannot carry FACTOR.*leave it out"):
        pmd.Request(pmd.Opcode.REQUEST_MEASUREMENT_START, M.GYRO, {**chosen,
                                                                    SettingType.FACTOR: 1})
    # And a device receiving one answers INVALID_PARAMETER (the virtual sensor does).
    with_factor = req.encode() + bytes([5, 1]) + struct.pack("<f", 0.5)
    with pytest.raises(PolarError, match=r"^INVALID_PARAMETER: .*FACTOR"):
        pmd.decode_request(with_factor)
    # A response may carry it.
    assert pmd.decode_settings(pmd.encode_settings({SettingType.FACTOR: 0.5})) == {
        SettingType.FACTOR: (0.5,)}


def test_responses_and_named_errors():
    ok = pmd.decode_response(bytes.fromhex("f0010200 00") + bytes([0, 1, 52, 0]))
    assert ok.ok and ok.opcode == 1 and ok.parameters == bytes([0, 1, 52, 0])
    bad = pmd.decode_response(bytes.fromhex("f0020208"))
    assert bad.status == PmdStatus.INVALID_SAMPLE_RATE and not bad.ok
    req = pmd.start_measurement(M.ACC, 100, 8)
    offered = {SettingType.SAMPLE_RATE: (26.0, 52.0, 104.0)}
    msg = pmd.describe_error(bad, req, offered, "Polar Sense 1")
    assert "INVALID_SAMPLE_RATE" in msg and "sample rate 100 Hz" in msg
    assert "offers 26, 52, 104 Hz" in msg
    rng = pmd.decode_response(bytes.fromhex("f0020509"))
    msg = pmd.describe_error(rng, pmd.start_measurement(M.GYRO, 52, 300), None)
    assert "range 300 deg/s" in msg
    charger = pmd.decode_response(bytes.fromhex("f002020d"))
    assert "charger" in pmd.describe_error(charger, req)
    with pytest.raises(PolarError, match="not a response"):
        pmd.decode_response(bytes.fromhex("0102"))
    with pytest.raises(PolarError, match="unknown status 99"):
        pmd.decode_response(bytes([0xF0, 2, 2, 99]))


def test_check_settings_names_the_setting_and_flag():
    offered = {SettingType.RANGE: (250.0, 500.0, 1000.0, 2000.0)}
    with pytest.raises(PolarError, match=r"GYRO range 300 deg/s; it offers 250, 500, 1000, "
                                         r"2000 deg/s; choose one of those \(--gyr-range\)"):
        pmd.check_settings(M.GYRO, {SettingType.RANGE: 300}, offered, "Polar Sense")
    pmd.check_settings(M.GYRO, {SettingType.RANGE: 500}, offered)
