"""Recorders in imu.io: files know no radio; Polar PMD frames as Polar's SDK times them."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu.errors import RecordingError
from imu.io.recorders import (
    REASON_BAD_FRAMES,
    REASON_STOPPED_BY_DEVICE,
    PolarStreamRecorder,
    StreamHeader,
    StreamRecorder,
    recorder_for,
)
from imu.io.recorders.pmd import MeasurementType as M
from imu.io.recorders.pmd import encode_data_frame

IO_DIR = Path(__file__).resolve().parents[2] / "imu" / "io"
S = 1_000_000_000  # ns per second
G = 9.80665


# ----------------------------------------------------------------------------- import graph
def imported_modules(source: str, module: str) -> set[str]:
    """Every module ``source`` (the text of ``module``, dotted) imports, statically or by name.

    Relative imports are resolved against ``module``; ``importlib.import_module("x")`` and
    ``__import__("x")`` with a literal name count too.
    """
    package = module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def radio_imports(root: Path = IO_DIR) -> dict[str, set[str]]:
    """Modules under ``root`` (imu/io) that import ``imu.ble``, with what they import."""
    bad: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parents[1]).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        if path.name == "__init__.py":
            module += ".__init__"  # so relative imports resolve inside the package
        hits = {m for m in imported_modules(path.read_text(), module)
                if m == "imu.ble" or m.startswith("imu.ble.")}
        if hits:
            bad[str(rel)] = hits
    return bad


def test_io_never_imports_ble():
    assert radio_imports() == {}, "imu/io must not import imu/ble (files know no radio)"


@pytest.mark.parametrize("line", [
    "import imu.ble",
    "from imu.ble.polar.stream import PolarStreamRecorder",
    "from imu import ble",
    "from ..ble import live",
    "def f():\n    from ..ble.polar import codec",
    "import importlib\nimportlib.import_module('imu.ble.sim')",
])
def test_the_import_check_catches_every_form(line, tmp_path):
    io = tmp_path / "imu" / "io"
    io.mkdir(parents=True)
    (io / "ok.py").write_text("from imu.io.recording import Recording\nimport numpy\n")
    (io / "bad.py").write_text(line + "\n")
    assert list(radio_imports(io)) == [str(Path("imu/io/bad"))]


# ----------------------------------------------------------------------------- helpers
def polar_header(rate_hz: int = 52) -> StreamHeader:
    return StreamHeader(rate_hz, 8, 2000, notes={"protocol": "polar-pmd", "acc_factor": "1.0",
                                                 "gyr_factor": "1.0"})


def ramp_frames(rate_hz: float, true_rate_hz: float, per_frame: int, seconds: float,
                measurement: M, start_ns: int = 100 * S) -> list[tuple[int, bytes]]:
    """Frames of a stream sampled at ``true_rate_hz`` whose x channel is device time in s x 1000.

    ACC counts are mG, GYRO (0x80, factor 1) deg/s; y and z are constant.
    """
    n = int(seconds * true_rate_hz)
    t_ns = start_ns + np.round(np.arange(n) * S / true_rate_hz).astype(np.int64)
    x = np.round((t_ns - start_ns) / S * 1000).astype(np.int64)
    counts = np.stack([x, np.full(n, 7), np.full(n, -3)], axis=1)
    ftype = 0x81 if measurement == M.ACC else 0x80
    out = []
    for a in range(0, n - per_frame + 1, per_frame):
        b = a + per_frame
        out.append((int(t_ns[b - 1]), encode_data_frame(measurement, int(t_ns[b - 1]),
                                                        counts[a:b], ftype)))
    return out


def interleave(*streams: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """Frames of several streams in the order a device would send them (by timestamp)."""
    return sorted((f for s in streams for f in s), key=lambda f: f[0])


def feed(rec, frames: list[tuple[int, bytes]], batch: int = 7, host0: float = 1000.0,
         host_offset_ns: int = 100 * S) -> None:
    """Feed frames in batches; host time = device time since ``host_offset_ns`` + 20 ms."""
    for i in range(0, len(frames), batch):
        chunk = frames[i:i + batch]
        rec.frames([host0 + (ts - host_offset_ns) / S + 0.02 for ts, _ in chunk],
                   [p for _, p in chunk])


# ----------------------------------------------------------------------------- Polar timing
@pytest.mark.parametrize("rate_error", [+0.02, -0.02, 577e-6])
def test_polar_clock_off_nominal_no_duplicates_no_false_gaps(rate_error):
    # 52 Hz asked; the sensor really samples 2 % fast/slow (or 52.03 Hz) against its own
    # timestamps, 60 samples per frame. Nominal spacing within a frame would make frames
    # overlap (samples dropped as duplicates) or leave holes over 1.5 samples (false gaps).
    true_rate = 52 * (1 + rate_error)
    acc = ramp_frames(52, true_rate, 60, 30, M.ACC)
    gyr = ramp_frames(52, true_rate, 60, 30, M.GYRO, start_ns=100 * S + 4_000_000)
    rec = PolarStreamRecorder(polar_header())
    feed(rec, interleave(acc, gyr))
    out = rec.recording()
    notes = out.meta.notes
    assert out.meta.gaps == ()
    assert notes["duplicate_samples"] == "0" and notes["bad_frames"] == "0"
    assert np.isfinite(out.acc).all() and out.n_samples > 25 * 52
    # Each grid row k is at device time t0 + k / 52 s; the ramp says which time each sample
    # was given (x = ms since the stream started), to within the 1-count rounding. The first
    # frame of each stream has no previous timestamp: its samples are placed at the nominal
    # rate (up to 59 x 2 % of a period off); from the second frame on, they are exact.
    k = np.arange(130, out.n_samples)
    acc_ms = out.acc[k, 0] / (1e-3 * G)
    expect_ms = acc_ms[0] + (k - k[0]) / 52 * 1000
    np.testing.assert_allclose(acc_ms, expect_ms, atol=1.01)
    np.testing.assert_allclose(np.degrees(out.gyr[k, 0]), expect_ms - 4.0, atol=1.01)


def test_first_frame_that_cannot_hold_its_samples_is_a_recorded_frame_error():
    # 100 samples at 52 Hz in a frame stamped 100 us after the device epoch: the first would
    # be 1.9 s before it. Then a normal stream.
    rec = PolarStreamRecorder(polar_header())
    bad = encode_data_frame(M.ACC, 100_000, np.zeros((100, 3)), 0x81)
    rec.frames([1.0], [bad])
    feed(rec, interleave(ramp_frames(52, 52, 26, 5, M.ACC), ramp_frames(52, 52, 26, 5, M.GYRO)))
    out = rec.recording()
    assert out.meta.notes["bad_frames"] == "1"
    errors = json.loads(out.meta.notes["frame_errors"])
    assert "cannot hold its 100 samples at 52 Hz" in errors[0]
    assert out.n_samples > 4 * 52 and np.isfinite(out.acc).all()
    start = float(out.meta.notes["device_time_first_sample_unix_s"])
    assert start > 946_684_800  # never before the device epoch


def test_backwards_timestamp_is_a_bad_frame_gap():
    acc = ramp_frames(52, 52, 26, 6, M.ACC)
    gyr = ramp_frames(52, 52, 26, 6, M.GYRO)
    ts, payload = acc[5]
    broken = bytearray(payload)
    broken[1:9] = (ts - 10 * S).to_bytes(8, "little")  # this frame's clock went back 10 s
    acc[5] = (ts, bytes(broken))
    rec = PolarStreamRecorder(polar_header())
    feed(rec, interleave(acc, gyr))
    out = rec.recording()
    assert out.meta.notes["bad_frames"] == "1"
    assert "went backwards" in json.loads(out.meta.notes["frame_errors"])[0]
    # Its 26 samples (0.5 s) are missing: one gap, named, NaN; nothing else lost.
    (gap,) = out.meta.gaps
    assert gap.reason == REASON_BAD_FRAMES and 24 <= gap.n_samples <= 27
    assert np.isnan(out.acc[gap.start:gap.end]).all()
    assert np.isfinite(np.delete(out.acc, np.s_[gap.start:gap.end], axis=0)).all()


def test_zero_rate_is_refused_with_the_value_and_the_fix():
    with pytest.raises(RecordingError, match="must be positive, got 0 Hz; record at a rate"):
        PolarStreamRecorder(StreamHeader(0, 8, 2000, notes={"protocol": "polar-pmd"}))


# ----------------------------------------------------------------------------- stream events
def test_stream_stopped_by_device_and_restarted_is_a_named_gap_and_an_event():
    acc = ramp_frames(52, 52, 26, 10, M.ACC)
    gyr = ramp_frames(52, 52, 26, 10, M.GYRO)
    stop_ns, restart_ns = 104 * S, 107 * S  # GYRO silent from 4 s to 7 s of the stream
    before = interleave(acc, [f for f in gyr if f[0] <= stop_ns])
    rec = PolarStreamRecorder(polar_header())
    feed(rec, [f for f in before if f[0] <= stop_ns])
    rec.event("stopped_by_device", 1004.1, measurement="GYRO")
    feed(rec, [f for f in acc if stop_ns < f[0] <= restart_ns])
    rec.event("stream_restarted", 1007.0, measurement="GYRO", gyr_factor=1.0)
    feed(rec, interleave([f for f in acc if f[0] > restart_ns],
                         [f for f in gyr if f[0] > restart_ns]))
    out = rec.recording()
    (gap,) = out.meta.gaps
    assert gap.reason == REASON_STOPPED_BY_DEVICE
    assert 2.5 * 52 < gap.n_samples < 3.5 * 52
    events = json.loads(out.meta.notes["stream_events"])
    assert [(e["event"], e["measurement"]) for e in events] == [
        ("stopped_by_device", "GYRO"), ("stream_restarted", "GYRO")]
    assert events[0]["host_time_s"] == 1004.1


def test_stream_stopped_for_good_leaves_a_gap_at_the_end():
    acc = ramp_frames(52, 52, 26, 10, M.ACC)
    gyr = [f for f in ramp_frames(52, 52, 26, 10, M.GYRO) if f[0] <= 105 * S]
    rec = PolarStreamRecorder(polar_header())
    feed(rec, interleave([f for f in acc if f[0] <= 105 * S], gyr))
    rec.event("stopped_by_device", 1005.0, measurement="GYRO")
    feed(rec, [f for f in acc if f[0] > 105 * S])
    rec.event("stream_restart_failed", 1006.0, measurement="GYRO", error="INVALID_STATE")
    out = rec.recording()
    (gap,) = out.meta.gaps
    assert gap.reason == REASON_STOPPED_BY_DEVICE and gap.end == out.n_samples
    assert 4.5 * 52 < gap.n_samples < 5.5 * 52  # the ACC-only tail, kept as a named gap
    events = json.loads(out.meta.notes["stream_events"])
    assert events[-1]["event"] == "stream_restart_failed" and events[-1]["error"] == "INVALID_STATE"


# ----------------------------------------------------------------------------- shared base
def test_recorder_for_dispatches_on_the_protocol():
    assert isinstance(recorder_for(polar_header()), PolarStreamRecorder)
    assert type(recorder_for(StreamHeader(104, 8, 500))) is StreamRecorder


def test_both_recorders_share_one_base():
    from imu.io.recorders.base import GridRecorder

    assert issubclass(StreamRecorder, GridRecorder)
    assert issubclass(PolarStreamRecorder, GridRecorder)
    # The grid, gaps, events and the recording's metadata live only in the base.
    for name in ("frames", "event", "recording", "clock_fit", "_append", "_close_gap"):
        assert name not in vars(StreamRecorder) and name not in vars(PolarStreamRecorder), name
    assert math.isclose(PolarStreamRecorder(polar_header(104)).rate_hz, 104.0)


# ----------------------------------------------------------------------------- robustness
frame_st = st.tuples(
    st.sampled_from([M.ACC, M.GYRO]),
    st.one_of(st.integers(0, 2**64 - 1), st.integers(100 * S - 10 * S, 100 * S + 60 * S)),
    st.integers(1, 40),
    st.sampled_from(["ok", "garbage", "truncated"]),
    st.floats(0, 100),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(frame_st, max_size=40), st.integers(1, 9))
def test_any_frames_never_crash_the_polar_recorder(frames, batch):
    # Any timestamps (backwards, duplicated, far ahead, beyond int64), any bytes: frames are
    # used or recorded as frame errors; the recording never holds negative or vast times.
    rec = PolarStreamRecorder(polar_header())
    payloads, hosts = [], []
    for m, ts, n, kind, host in frames:
        frame = encode_data_frame(m, ts, np.arange(3 * n).reshape(n, 3), 0x81 if m == M.ACC
                                  else 0x80)
        payloads.append({"ok": frame, "garbage": bytes([m]) + frame[1:9] + b"\xff" * 7,
                         "truncated": frame[:12]}[kind])
        hosts.append(1000.0 + host)
    for i in range(0, len(payloads), batch):
        rec.frames(hosts[i:i + batch], payloads[i:i + batch])
    out = rec.recording()
    assert out.n_samples < 200 * 52  # no vast grid from a wild timestamp
    assert int(out.meta.notes["bad_frames"]) <= len(frames)
    if "device_time_first_sample_unix_s" in out.meta.notes:
        assert float(out.meta.notes["device_time_first_sample_unix_s"]) >= 946_684_800
    for gap in out.meta.gaps:
        assert 0 <= gap.start < gap.end <= out.n_samples


def test_a_timestamp_leaping_ahead_is_a_frame_error_not_a_vast_gap():
    acc = ramp_frames(52, 52, 26, 4, M.ACC)
    gyr = ramp_frames(52, 52, 26, 4, M.GYRO)
    year = 365 * 24 * 3600 * S
    leap = [(ts + year, encode_data_frame(m, ts + year, np.zeros((26, 3)), f))
            for (ts, _), m, f in ((acc[-1], M.ACC, 0x81), (gyr[-1], M.GYRO, 0x80))]
    rec = PolarStreamRecorder(polar_header())
    feed(rec, interleave(acc, gyr))
    rec.frames([1005.0, 1005.0], [p for _, p in leap])  # one host second later
    out = rec.recording()
    assert out.meta.notes["bad_frames"] == "2" and out.n_samples < 5 * 52
    assert "leaps" in json.loads(out.meta.notes["frame_errors"])[0]
