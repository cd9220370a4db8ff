"""Recorders: each device's frame stream -> rows of a uniform grid -> a recording.

Files know no radio: this package imports nothing from :mod:`imu.ble`. Modules:
:mod:`~imu.io.recorders.base` (the header, the :class:`FrameRecorder` protocol and the shared
:class:`GridRecorder`: grid, gaps, events, clock fit), :mod:`~imu.io.recorders.hip` (our own
sensor, placed by device time), :mod:`~imu.io.recorders.pmd` (Polar PMD codec, bytes <-> values)
and :mod:`~imu.io.recorders.polar` (Polar ACC and GYRO joined on one grid).
"""

from __future__ import annotations

from imu.io.recorders.base import (
    EVENT_CONNECTED,
    EVENT_DISCONNECTED,
    EVENT_RESTART_FAILED,
    EVENT_STOPPED_BY_DEVICE,
    EVENT_STREAM_RESTARTED,
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
from imu.io.recorders.polar import PROTOCOL as POLAR_PROTOCOL
from imu.io.recorders.polar import PolarStreamRecorder

__all__ = [
    "EVENT_CONNECTED",
    "EVENT_DISCONNECTED",
    "EVENT_RESTART_FAILED",
    "EVENT_STOPPED_BY_DEVICE",
    "EVENT_STREAM_RESTARTED",
    "POLAR_PROTOCOL",
    "REASON_BAD_FRAMES",
    "REASON_DISCONNECTED",
    "REASON_LOST",
    "REASON_STOPPED_BY_DEVICE",
    "Block",
    "FrameRecorder",
    "GridRecorder",
    "PolarStreamRecorder",
    "StreamHeader",
    "StreamRecorder",
    "recorder_for",
]


def recorder_for(header: StreamHeader) -> GridRecorder:
    """The recorder for a stream header (``notes["protocol"]``: ``polar-pmd`` or our own)."""
    if header.notes.get("protocol") == POLAR_PROTOCOL:
        return PolarStreamRecorder(header)
    return StreamRecorder(header)
