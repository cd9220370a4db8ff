"""Sensor Logger pushes missing a sensor: said once, with the sensor to enable."""

from __future__ import annotations

import json
import logging

from imu.io.recorders import StreamHeader
from imu.io.recorders.sensor_logger import SensorLoggerRecorder

HEADER = StreamHeader(100, 16, 2000, notes={"protocol": "sensor-logger-push"})


def _push(mid: int, names: tuple[str, ...]) -> bytes:
    payload = [{"name": name, "time": 10**18 + (mid * 100 + i) * 10**7,
                "values": {"x": 0.1, "y": 9.8, "z": 0.2}}
               for i in range(100) for name in names]
    return json.dumps({"messageId": mid, "sessionId": "s", "deviceId": "d",
                       "payload": payload}).encode()


def _run(names: tuple[str, ...], caplog) -> tuple[SensorLoggerRecorder, list[str]]:
    rec = SensorLoggerRecorder(HEADER)
    with caplog.at_level(logging.WARNING):
        for mid in range(10):
            rec.frames([float(mid)], [_push(mid, names)])
    return rec, [r.getMessage() for r in caplog.records]


def test_pushes_without_gyroscope_are_said_once(caplog):
    rec, logged = _run(("totalacceleration", "accelerometer"), caplog)
    said = [m for m in logged if "no gyroscope" in m]
    assert len(said) == 1 and "enable Gyroscope" in said[0]
    assert "accelerometer, totalacceleration" in said[0]
    assert any("no gyroscope" in e for e in rec.frame_errors)
    assert rec.problem is not None and "enable Gyroscope" in rec.problem
    assert rec.recording().n_samples == 0


def test_acceleration_without_gravity_is_said_once_and_counted(caplog):
    rec, logged = _run(("accelerometer", "gyroscope"), caplog)
    said = [m for m in logged if "WITHOUT gravity" in m]
    assert len(said) == 1 and "'Gravity'" in said[0]
    assert rec.counters["bad_frames"] == 10


def test_complete_pushes_say_nothing(caplog):
    rec, logged = _run(("totalacceleration", "gyroscope"), caplog)
    assert logged == [] and rec.frame_errors == [] and rec.problem is None
    assert rec.recording().n_samples > 900


def test_a_lone_gyroscope_keeps_bounded_memory(caplog):
    from imu.io.recorders.timed import WAIT_FOR_OTHER_S, Stream

    rec = SensorLoggerRecorder(HEADER)
    for mid in range(60):  # 60 s of gyroscope, no acceleration at all
        rec.frames([float(mid)], [_push(mid, ("gyroscope",))])
    kept = rec._t[Stream.GYR]
    assert kept[-1] - kept[0] <= WAIT_FOR_OTHER_S + 1.0
    assert rec.counters["samples"] == 6000  # still counted as received


def test_unusable_values_are_logged_once_and_counted(caplog):
    rec = SensorLoggerRecorder(HEADER)
    with caplog.at_level(logging.WARNING):
        for mid in range(20):
            body = json.loads(_push(mid, ("totalacceleration", "gyroscope")))
            body["payload"][0]["values"]["x"] = "NaN"
            rec.frames([float(mid)], [json.dumps(body).encode()])
    said = [r for r in caplog.records if "unusable" in r.getMessage()]
    assert len(said) == 1
    assert rec.counters["bad_samples"] == 20
