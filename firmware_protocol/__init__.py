"""The BLE protocol of the hip-worn IMU sensor: spec, codec, test vectors, virtual sensor.

Imports nothing from :mod:`imu`, so a firmware author can use it alone. The prose spec is
``SPEC.md`` next to this file; every number (UUIDs, layouts, rates, ranges, scale factors)
lives in :mod:`firmware_protocol.spec`.

Modules: :mod:`~firmware_protocol.frames` (IMU data frames, batch decoding to SI),
:mod:`~firmware_protocol.control` (control-point commands and responses),
:mod:`~firmware_protocol.status` (status characteristic), :mod:`~firmware_protocol.version`
(version rule), :mod:`~firmware_protocol.testvectors` (checking an implementation against
the vectors in ``vectors/``).
"""

from firmware_protocol.errors import ProtocolError

__all__ = ["ProtocolError"]
