"""Phone recorders without the network: decoding, checks, and chunk invariance."""

from __future__ import annotations

import json

import numpy as np
import pytest

from imu.io.recorders import StreamHeader, recorder_for
from imu.io.recorders.phyphox import (
    DEFAULT_BUFFERS,
    PhyphoxDataError,
    PhyphoxRecorder,
    envelope,
    parse_config,
)
from imu.io.recorders.timed import REASON_PAUSED
from imu.live.phone_setup import check_bundled_experiment, experiment_buffers, experiment_file


def _get(t0: float, n: int, rate: float = 100.0, measuring: bool = True) -> bytes:
    t = t0 + np.arange(n) / rate
    buf = {}
    for names, vals in ((DEFAULT_BUFFERS[0], (0.0, 9.81, 0.2)), (DEFAULT_BUFFERS[1], (0.1, 0, 0))):
        for name, v in zip(names[:3], vals, strict=True):
            buf[name] = {"size": 0, "updateMode": "partial", "buffer": [v + 0.01 * np.sin(x)
                                                                      for x in t]}
        buf[names[3]] = {"size": 0, "updateMode": "partial", "buffer": t.tolist()}
    doc = {"buffer": buf, "status": {"session": "ab", "measuring": measuring,
                                     "timedRun": False, "countDown": 0}}
    return envelope("/get", json.dumps(doc).encode())


def _time(*events) -> bytes:
    return envelope("/time", json.dumps(
        [{"event": e, "experimentTime": x, "systemTime": s} for e, x, s in events]).encode())


HEADER = StreamHeader(100, 16, 2000, notes={"protocol": "phyphox-rest"})


def _payloads() -> list[bytes]:
    # 0-2 s measured, paused 3 s of wall time, then 2-4 s of experiment time.
    out = [_time(("START", 0.0, 1000.0))]
    out += [_get(k * 0.5, 50) for k in range(4)]
    out += [_get(2.0, 0, measuring=False)]
    out += [_time(("START", 0.0, 1000.0), ("PAUSE", 2.0, 1002.0), ("START", 2.0, 1005.0))]
    out += [_get(2.0 + k * 0.5, 50) for k in range(4)]
    return out


def test_phyphox_pause_is_a_gap_of_its_real_length_whatever_the_chunking():
    payloads = _payloads()
    whole = PhyphoxRecorder(HEADER)
    whole.frames([float(i) for i in range(len(payloads))], payloads)
    one = recorder_for(HEADER)
    for i, p in enumerate(payloads):
        one.frames([float(i)], [p])
    a, b = whole.recording(), one.recording()
    np.testing.assert_array_equal(a.acc, b.acc)
    assert a.meta.gaps == b.meta.gaps
    (gap,) = a.meta.gaps
    assert gap.reason == REASON_PAUSED and abs(gap.n_samples - 300) <= 2
    assert abs(a.duration_s - 7.0) < 0.05


def test_bad_phyphox_payloads_are_counted_not_fatal():
    rec = PhyphoxRecorder(HEADER)
    rec.frames([0.0, 1.0, 2.0, 3.0], [b"garbage", envelope("/get", b"{not json"),
                                      envelope("/get", b'{"buffer": {}}'), _get(0.0, 20)])
    out = rec.recording()
    assert out.meta.notes["bad_frames"] == "3"
    assert out.n_samples == 20


def test_experiment_without_gravity_or_gyroscope_is_named():
    linear = {"title": "Linear", "inputs": [{"source": "linear_acceleration", "outputs": [
        {"x": "a"}, {"y": "b"}, {"z": "c"}, {"t": "t"}]}]}
    with pytest.raises(PhyphoxDataError, match="without gravity"):
        parse_config(json.dumps(linear).encode())
    acc_only = {"title": "Acceleration with g", "inputs": [{"source": "accelerometer",
                                                            "outputs": [{"x": "a"}, {"y": "b"},
                                                                        {"z": "c"}, {"t": "t"}]}]}
    with pytest.raises(PhyphoxDataError, match="no gyroscope"):
        parse_config(json.dumps(acc_only).encode())


def test_bundled_experiment_matches_the_recorder():
    check_bundled_experiment()
    xml = experiment_file()
    assert b'<sensor type="accelerometer" rate="0">' in xml
    assert b'<sensor type="gyroscope" rate="0">' in xml
    assert experiment_buffers(xml) == DEFAULT_BUFFERS


def _get_at(t: np.ndarray) -> bytes:
    """A /get response whose samples (both sensors) are at times ``t``."""
    buf = {}
    for names, vals in ((DEFAULT_BUFFERS[0], (0.0, 9.81, 0.2)), (DEFAULT_BUFFERS[1], (0.1, 0, 0))):
        for name, v in zip(names[:3], vals, strict=True):
            buf[name] = {"size": 0, "updateMode": "partial",
                         "buffer": [v + 0.01 * np.sin(x) for x in t]}
        buf[names[3]] = {"size": 0, "updateMode": "partial", "buffer": [float(x) for x in t]}
    doc = {"buffer": buf, "status": {"session": "ab", "measuring": True, "timedRun": False,
                                     "countDown": 0}}
    return envelope("/get", json.dumps(doc).encode())


@pytest.mark.parametrize("far_s", [1e7, -1e7])
def test_a_far_off_sample_in_a_batch_is_dropped_not_the_rest_of_the_session(far_s):
    """One sample at 1e7 s in a /get response: every later sample was dropped as older and
    the recording kept 1 sample of 200 (a grid spanning it would not fit in memory)."""
    t = np.arange(200) / 100.0
    t[100 if far_s > 0 else 0] = far_s
    rec = PhyphoxRecorder(HEADER)
    rec.frames([0.0, 1.0, 2.0], [_time(("START", 0.0, 1000.0)), _get_at(t[:150]),
                                 _get_at(t[150:])])
    out = rec.recording()
    assert out.n_samples >= 199
    assert rec.counters["bad_samples"] == 2  # one per sensor
    assert "far-off timestamp" in out.meta.notes["frame_errors"]
