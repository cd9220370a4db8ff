"""Recorders: each device's frame stream -> rows of a uniform grid -> a recording.

Files know no radio: this package imports nothing from :mod:`imu.ble`. Modules:
:mod:`~imu.io.recorders.base` (the header, the :class:`FrameRecorder` protocol and the shared
:class:`GridRecorder`: grid, gaps, events, clock fit), :mod:`~imu.io.recorders.hip` (our own
sensor, placed by device time), :mod:`~imu.io.recorders.pmd` (Polar PMD codec, bytes <-> values)
and :mod:`~imu.io.recorders.polar` (Polar ACC and GYRO joined on one grid); the phone apps
over the network: :mod:`~imu.io.recorders.timed` (timestamped accelerometer and gyroscope
samples joined on the grid), :mod:`~imu.io.recorders.phyphox` (phyphox's REST API responses)
and :mod:`~imu.io.recorders.sensor_logger` (Sensor Logger's HTTP push bodies).
"""

from __future__ import annotations

from imu.io.recorders.base import (
    EVENT_CONNECTED,
    EVENT_DISCONNECTED,
    EVENT_ENDED,
    EVENT_RESTART_FAILED,
    EVENT_STOPPED_BY_DEVICE,
    EVENT_STREAM_RESTARTED,
    LOST_AT_END_NOTE,
    REASON_BAD_FRAMES,
    REASON_DISCONNECTED,
    REASON_LOST,
    REASON_STOPPED_BY_DEVICE,
    Block,
    FrameRecorder,
    GridRecorder,
    StreamHeader,
)
from imu.io.recorders.hip import StreamRecorder
from imu.io.recorders.phyphox import PROTOCOL as PHYPHOX_PROTOCOL
from imu.io.recorders.phyphox import PhyphoxRecorder
from imu.io.recorders.polar import PROTOCOL as POLAR_PROTOCOL
from imu.io.recorders.polar import PolarStreamRecorder
from imu.io.recorders.sensor_logger import PROTOCOL as SENSOR_LOGGER_PROTOCOL
from imu.io.recorders.sensor_logger import SensorLoggerRecorder

__all__ = [
    "EVENT_CONNECTED",
    "EVENT_DISCONNECTED",
    "EVENT_ENDED",
    "EVENT_RESTART_FAILED",
    "EVENT_STOPPED_BY_DEVICE",
    "EVENT_STREAM_RESTARTED",
    "LOST_AT_END_NOTE",
    "PHYPHOX_PROTOCOL",
    "POLAR_PROTOCOL",
    "REASON_BAD_FRAMES",
    "REASON_DISCONNECTED",
    "REASON_LOST",
    "REASON_STOPPED_BY_DEVICE",
    "SENSOR_LOGGER_PROTOCOL",
    "Block",
    "FrameRecorder",
    "GridRecorder",
    "PhyphoxRecorder",
    "PolarStreamRecorder",
    "SensorLoggerRecorder",
    "StreamHeader",
    "StreamRecorder",
    "recorder_for",
]


def recorder_for(header: StreamHeader) -> GridRecorder:
    """The recorder for a stream header, chosen by ``notes["protocol"]``.

    ``polar-pmd``, ``phyphox-rest``, ``sensor-logger-push``, or none for our own sensor.
    """
    protocol = header.notes.get("protocol")
    if protocol == POLAR_PROTOCOL:
        return PolarStreamRecorder(header)
    if protocol == PHYPHOX_PROTOCOL:
        return PhyphoxRecorder(header)
    if protocol == SENSOR_LOGGER_PROTOCOL:
        return SensorLoggerRecorder(header)
    return StreamRecorder(header)
