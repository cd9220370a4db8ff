"""The BLE protocol of the hip-worn IMU sensor: spec, codec, test vectors, virtual sensor.

Imports nothing from :mod:`imu`, so a firmware author can use it alone.
"""


class ProtocolError(Exception):
    """Bytes or values that do not follow the protocol (the message says which and why)."""
