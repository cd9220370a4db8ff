"""The BLE protocol of the hip-worn IMU sensor: spec, codec, test vectors, virtual sensor.

Imports nothing from :mod:`imu`, so a firmware author can use it alone. The prose spec is
``SPEC.md`` next to this file; the numbers live in :mod:`firmware_protocol.spec`.
"""

from firmware_protocol.errors import ProtocolError

__all__ = ["ProtocolError"]
