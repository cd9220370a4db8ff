"""Former home of the frame-stream recorder; kept so existing imports work.

Use :mod:`imu.io.recorders` (the shared base, our sensor's and the Polar recorder).
"""

from __future__ import annotations

from imu.io.recorders.base import (
    REASON_DISCONNECTED,
    REASON_LOST,
    Block,
    FrameRecorder,
    StreamHeader,
)
from imu.io.recorders.hip import StreamRecorder

__all__ = [
    "REASON_DISCONNECTED",
    "REASON_LOST",
    "Block",
    "FrameRecorder",
    "StreamHeader",
    "StreamRecorder",
]
