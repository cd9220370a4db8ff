"""The Polar PMD codec lives in :mod:`imu.io.recorders.pmd` (pure code, no radio); re-exported.

Kept so ``imu.ble`` code can name the PMD service and control point from its own package.
"""

from __future__ import annotations

from imu.io.recorders.pmd import (
    MEASUREMENT_STOPPED,
    PMD_CONTROL_POINT_UUID,
    PMD_DATA_UUID,
    PMD_SERVICE_UUID,
    RESPONSE_HEADER,
)

__all__ = [
    "MEASUREMENT_STOPPED",
    "PMD_CONTROL_POINT_UUID",
    "PMD_DATA_UUID",
    "PMD_SERVICE_UUID",
    "RESPONSE_HEADER",
]
