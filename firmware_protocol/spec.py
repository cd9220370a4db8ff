"""Protocol constants as data: rates, ranges and the count-to-SI scale factors.

Everything numeric about the sensor lives here, so the codec, the virtual sensor and the
simulator agree. Samples are signed 16-bit counts; full scale (+-range) maps to +-32768 counts.
"""

import math
from typing import Final

STANDARD_GRAVITY: Final = 9.80665
"""m/s^2 per g."""

OUTPUT_DATA_RATES_HZ: Final = (26, 52, 104, 208, 416, 833)
"""Output data rates the sensor supports, Hz (nominal)."""

ACC_RANGES_G: Final = (2, 4, 8, 16)
"""Accelerometer full-scale ranges, +-g."""

GYR_RANGES_DPS: Final = (125, 250, 500, 1000, 2000)
"""Gyroscope full-scale ranges, +-degrees per second."""

COUNTS_FULL_SCALE: Final = 32768
"""Counts that correspond to the full-scale range."""


def acc_lsb_ms2(range_g: float) -> float:
    """Accelerometer resolution, m/s^2 per count, at full scale ``range_g`` (+-g)."""
    return range_g * STANDARD_GRAVITY / COUNTS_FULL_SCALE


def gyr_lsb_rads(range_dps: float) -> float:
    """Gyroscope resolution, rad/s per count, at full scale ``range_dps`` (+-deg/s)."""
    return math.radians(range_dps) / COUNTS_FULL_SCALE
