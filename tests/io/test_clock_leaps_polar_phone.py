"""Polar and phone recorders against clocks that leap by hours (as our sensor's recorder).

A host suspended for a day with the session running, or a replay of such a journal: the host's
clock and the device's both leap by hours between two frames. The host-time checks let that
through (the host's elapsed time explains it), and the Polar and phone recorders built a grid
over the whole of it: 1.9 million NaN rows for 10 h at 52 Hz, a ``MemoryError`` for 30 days.
Like our own sensor's recorder (``tests/io/test_journal_time_jump.py``), a jump beyond
``MAX_GAP_S`` is now a gap of ``JUMP_GAP_S``, logged and counted (``clock_jumps``), both
streams shifted alike. And a Polar sensor whose clock restarted (or was set) across a
reconnect had every later sample dropped as a duplicate (or every frame refused as a leap),
silently, for the rest of the session: its frames are now placed by host time.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from imu.io.recorders import PolarStreamRecorder, StreamHeader
from imu.io.recorders.base import JUMP_GAP_S, MAX_GAP_S
from imu.io.recorders.phyphox import PhyphoxRecorder
from imu.io.recorders.pmd import MeasurementType as M
from imu.io.recorders.sensor_logger import SensorLoggerRecorder
from tests.io.test_phone_recorders import _get, _time
from tests.io.test_recorders import S, interleave, polar_header, ramp_frames

RATE = 52
BASE_NS = 10 * 3600 * S  # device time of the first sample, ns (room to go back 5 h)
HOUR = 3600.0


def _polar_frames(start_ns: int, seconds: float = 4.0) -> list[tuple[int, bytes]]:
    return interleave(ramp_frames(RATE, RATE, 26, seconds, M.ACC, start_ns=start_ns),
                      ramp_frames(RATE, RATE, 26, seconds, M.GYRO, start_ns=start_ns))


def _feed(rec: PolarStreamRecorder, frames: list[tuple[int, bytes]], host0: float,
          start_ns: int) -> None:
    """Frames in batches of 7, received 20 ms after their device time (from ``host0``)."""
    for i in range(0, len(frames), 7):
        chunk = frames[i:i + 7]
        rec.frames([host0 + (ts - start_ns) / S + 0.02 for ts, _ in chunk],
                   [p for _, p in chunk])


def _polar_run(device_leap_s: float, host_leap_s: float, reconnect: bool
               ) -> PolarStreamRecorder:
    """4 s of ACC and GYRO, then (after a reconnect or not) 4 s more, the device's clock
    ``device_leap_s`` and the host's ``host_leap_s`` further on than the 4 s between."""
    rec = PolarStreamRecorder(polar_header(RATE))
    rec.event("connected", 999.0, name="Polar", address="AA")
    _feed(rec, _polar_frames(BASE_NS), 1000.0, BASE_NS)
    if reconnect:
        rec.event("disconnected", 1004.5)
        rec.event("connected", 1004.0 + host_leap_s, name="Polar", address="AA")
    start = BASE_NS + 4 * S + round(device_leap_s * S)
    _feed(rec, _polar_frames(start), 1004.0 + host_leap_s, start)
    return rec


@pytest.mark.parametrize("reconnect", [True, False])
@pytest.mark.parametrize("leap_h", [4.0, 30 * 24.0])
def test_polar_both_clocks_leaping_hours_is_a_short_gap_not_a_vast_grid(
        leap_h: float, reconnect: bool, caplog: pytest.LogCaptureFixture) -> None:
    rec = _polar_run(leap_h * HOUR, leap_h * HOUR, reconnect)
    out = rec.recording()
    gap = round(JUMP_GAP_S * RATE)
    assert out.n_samples == pytest.approx(416 + gap, abs=3)  # not 749 000 rows for 4 h
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert start == 208 and end - start == pytest.approx(gap, abs=2)
    # Both streams after the jump, aligned: every row after the gap has ACC and GYRO.
    assert np.isfinite(out.acc[end:]).all() and np.isfinite(out.gyr[end:]).all()
    assert out.n_samples - end >= 206
    assert rec.counters["clock_jumps"] == 1 and out.meta.notes["clock_jumps"] == "1"
    assert "jumped" in caplog.text and f"{MAX_GAP_S / 3600:.0f} h" in caplog.text


def test_polar_silence_under_the_limit_is_still_placed_as_it_is() -> None:
    silence_s = MAX_GAP_S - 600.0
    out = _polar_run(silence_s, silence_s, reconnect=True).recording()
    assert out.n_samples == pytest.approx(416 + silence_s * RATE, abs=3)
    assert "clock_jumps" not in out.meta.notes


def test_polar_late_frame_of_the_other_stream_is_not_shifted_by_the_jump() -> None:
    """ACC's first frame after the jump comes before GYRO's last frame from before it (in the
    same batch): that GYRO frame keeps its place, unshifted (shifted back by the jump it
    would be dropped as going backwards)."""
    rec = PolarStreamRecorder(polar_header(RATE))
    acc = ramp_frames(RATE, RATE, 26, 4, M.ACC, start_ns=BASE_NS)
    gyr = ramp_frames(RATE, RATE, 26, 4, M.GYRO, start_ns=BASE_NS)
    leap = BASE_NS + 4 * S + round(5 * HOUR * S)
    acc2 = ramp_frames(RATE, RATE, 26, 4, M.ACC, start_ns=leap)
    gyr2 = ramp_frames(RATE, RATE, 26, 4, M.GYRO, start_ns=leap)
    order = [*interleave(acc, gyr[:-1]), acc2[0], gyr[-1], *interleave(acc2[1:], gyr2)]
    hosts = [1000.0 + (ts - BASE_NS) / S if ts < leap else 1004.0 + 5 * HOUR + (ts - leap) / S
             for ts, _ in order]
    rec.frames(hosts, [p for _, p in order])
    out = rec.recording()
    assert out.meta.notes["duplicate_samples"] == "0" and out.meta.notes["bad_frames"] == "0"
    assert rec.counters["clock_jumps"] == 1
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert start == 208 and np.isfinite(out.gyr[:start]).all()
    assert np.isfinite(out.gyr[end:]).all() and out.n_samples - end >= 206


@pytest.mark.parametrize("device_leap_h", [-5.0, 5.0])
def test_polar_clock_restarted_across_a_reconnect_is_placed_by_host_time(
        device_leap_h: float, caplog: pytest.LogCaptureFixture) -> None:
    """The sensor's clock went back 5 h (or on 5 h) while the link was down for a minute:
    every sample after was dropped as a duplicate (or every frame refused as a leap), and the
    rest of the session was lost. Placed by host time, as our own sensor's frames are."""
    rec = _polar_run(device_leap_h * HOUR, 60.0, reconnect=True)
    out = rec.recording()
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert start == 208 and end - start == pytest.approx(60.0 * RATE, abs=RATE)
    assert out.n_samples - end >= 206 and np.isfinite(out.acc[end:]).all()
    assert out.meta.notes["duplicate_samples"] == "0" and out.meta.notes["bad_frames"] == "0"
    assert out.meta.notes["reanchors"] == "1" and "sensor restarted?" in caplog.text


def test_polar_normal_reconnect_is_not_reanchored() -> None:
    out = _polar_run(60.0, 60.0, reconnect=True).recording()
    assert "reanchors" not in out.meta.notes and "clock_jumps" not in out.meta.notes
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert end - start == pytest.approx(60.0 * RATE, abs=2)


# ----------------------------------------------------------------------------- phones
SL_HEADER = StreamHeader(100, 16, 2000, notes={"protocol": "sensor-logger-push",
                                               "platform": "android"})
PHONE_T0_NS = 1.7e18  # Sensor Logger times are Unix ns on the phone's clock


def _push(mid: int, t0_ns: float, n: int = 100) -> bytes:
    """One second of TotalAcceleration and Gyroscope at 100 Hz from ``t0_ns``."""
    payload = [{"name": name, "time": int(t0_ns + i * 10**7),
                "values": {"x": 0.1, "y": 9.8, "z": 0.2}}
               for i in range(n) for name in ("totalacceleration", "gyroscope")]
    return json.dumps({"messageId": mid, "sessionId": "s", "deviceId": "d",
                       "payload": payload}).encode()


@pytest.mark.parametrize("leap_h", [4.0, 30 * 24.0])
def test_sensor_logger_both_clocks_leaping_hours_is_a_short_gap(
        leap_h: float, caplog: pytest.LogCaptureFixture) -> None:
    """The computer slept 4 h (or a month) while the phone kept its recording: 1.4 million
    NaN rows (a MemoryError for the month); now a short gap."""
    rec = SensorLoggerRecorder(SL_HEADER)
    for mid in range(5):
        rec.frames([1000.0 + mid], [_push(mid, PHONE_T0_NS + mid * 1e9)])
    leap = leap_h * HOUR
    for mid in range(5, 10):
        rec.frames([1000.0 + mid + leap], [_push(mid, PHONE_T0_NS + (mid + leap) * 1e9)])
    out = rec.recording()
    assert out.n_samples == pytest.approx(1000 + JUMP_GAP_S * 100, abs=3)
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert start == 500 and end - start == pytest.approx(JUMP_GAP_S * 100, abs=2)
    assert np.isfinite(out.acc[end:]).all() and np.isfinite(out.gyr[end:]).all()
    assert out.n_samples - end >= 498
    assert out.meta.notes["clock_jumps"] == "1" and "jumped" in caplog.text


def test_phyphox_paused_for_hours_on_the_phone_is_a_short_paused_gap() -> None:
    """Paused on the phone for 5 h, then started again: the pause is a gap of its real
    length only up to MAX_GAP_S; beyond, a short one (the reason is still the pause)."""
    header = StreamHeader(100, 16, 2000, notes={"protocol": "phyphox-rest"})
    later = 1002.0 + 5 * HOUR
    payloads = [_time(("START", 0.0, 1000.0))]
    payloads += [_get(k * 0.5, 50) for k in range(4)]
    payloads += [_get(2.0, 0, measuring=False)]
    payloads += [_time(("START", 0.0, 1000.0), ("PAUSE", 2.0, 1002.0), ("START", 2.0, later))]
    payloads += [_get(2.0 + k * 0.5, 50) for k in range(4)]
    hosts = [float(i) for i in range(6)] + [5 * HOUR + i for i in range(6, len(payloads))]
    rec = PhyphoxRecorder(header)
    rec.frames(hosts, payloads)
    out = rec.recording()
    assert out.n_samples < 500 + JUMP_GAP_S * 100  # not 1.8 million rows
    ((start, end, reason),) = [(g.start, g.end, g.reason) for g in out.meta.gaps]
    assert end - start == pytest.approx(JUMP_GAP_S * 100, abs=2)
    assert reason == "paused on the phone"
    assert np.isfinite(out.acc[end:]).all() and out.n_samples - end >= 195
    assert out.meta.notes["clock_jumps"] == "1"


def _sensor_logger_run(step_s: float) -> SensorLoggerRecorder:
    """Ten 1 s pushes, one a second; from the sixth on the phone's clock is ``step_s`` off."""
    rec = SensorLoggerRecorder(SL_HEADER)
    for mid in range(10):
        shift = step_s if mid >= 5 else 0.0
        rec.frames([1000.0 + mid], [_push(mid, PHONE_T0_NS + (mid + shift) * 1e9)])
    return rec


@pytest.mark.parametrize("step_h", [-5.0, 5.0])
def test_a_phone_clock_stepped_by_hours_is_placed_by_host_time(
        step_h: float, caplog: pytest.LogCaptureFixture) -> None:
    """The phone's clock set back (or on) 5 h mid-session: every later sample was dropped as
    older than the last (or every push refused as a leap) for the rest of the session. The
    first push after the step is still dropped (alone it looks like a corrupt one); the next,
    on the same new clock, re-anchors the rest by host time."""
    rec = _sensor_logger_run(step_h * HOUR)
    out = rec.recording()
    assert out.meta.notes["reanchors"] == "1" and "clock stepped" in caplog.text
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert start == 500 and end - start == pytest.approx(200, abs=2)  # 1 s lost, 1 s apart
    assert out.n_samples - end >= 398
    assert np.isfinite(out.acc[end:]).all() and np.isfinite(out.gyr[end:]).all()


def test_one_push_off_the_phone_clock_is_dropped_and_nothing_re_anchored() -> None:
    """A single push 5 h off (a corrupt clock), the rest on time: that push only is lost."""
    rec = SensorLoggerRecorder(SL_HEADER)
    for mid in range(10):
        shift = -5 * HOUR if mid == 5 else 0.0
        rec.frames([1000.0 + mid], [_push(mid, PHONE_T0_NS + (mid + shift) * 1e9)])
    out = rec.recording()
    assert "reanchors" not in out.meta.notes
    assert out.n_samples == pytest.approx(1000, abs=2)
    ((start, end),) = [(g.start, g.end) for g in out.meta.gaps]
    assert end - start == pytest.approx(100, abs=2)


def test_late_pushes_are_not_read_as_a_clock_step() -> None:
    """Two pushes that come a minute late, one after the other, are old samples, not a phone
    clock set back: they fill nothing (their rows went by) and re-anchor nothing."""
    rec = SensorLoggerRecorder(SL_HEADER)
    order = [m for m in range(60) if m not in (2, 3)] + [2, 3]
    for k, mid in enumerate(order):
        rec.frames([1000.0 + k], [_push(mid, PHONE_T0_NS + mid * 1e9)])
    out = rec.recording()
    assert rec.counters["late_messages"] == 2
    assert "reanchors" not in out.meta.notes
    assert out.n_samples == pytest.approx(6000, abs=2)
    assert np.isfinite(out.acc[500:]).all()


@pytest.mark.parametrize("device_leap_h", [-5.0, 5.0])
def test_polar_clock_set_while_streaming_is_placed_by_host_time(
        device_leap_h: float, caplog: pytest.LogCaptureFixture) -> None:
    """The sensor's clock set back (or on) 5 h with the link up: every later frame was refused
    (going backwards, or leaping ahead) for the rest of the session. The first frame of each
    stream on the new clock is still refused (alone it looks like a corrupt timestamp); the
    next one, on the same clock, re-anchors the rest by host time."""
    rec = _polar_run(device_leap_h * HOUR, 0.0, reconnect=False)
    out = rec.recording()
    assert out.meta.notes["reanchors"] == "1" and "placing the frames by host time" in caplog.text
    assert out.meta.notes["bad_frames"] == "2"  # the first frame of each stream
    ((start, end, reason),) = [(g.start, g.end, g.reason) for g in out.meta.gaps]
    assert start == 208 and reason == "bad frames"
    assert end - start == pytest.approx(2 * 26, abs=RATE // 2)  # that frame and the host step
    assert out.n_samples - end >= 180 and np.isfinite(out.acc[end:]).all()
