"""Sources of a live session: where payloads come from (see :mod:`~imu.live.sources.base`).

Modules: :mod:`~imu.live.sources.base` (the :class:`Source` protocol and how to write one),
:mod:`~imu.live.sources.ble` (a BLE sensor over bleak, with reconnection, driving the BLE
device adapters of :mod:`imu.ble`), :mod:`~imu.live.sources.virtual` (a virtual sensor on an
in-process Bumble link), :mod:`~imu.live.sources.replay` (a recording streamed again).
Importing this package does not import bleak; the modules that need it do.
"""

from __future__ import annotations

from imu.live.sources.base import Source, SourceInfo, SourceLink

__all__ = ["Source", "SourceInfo", "SourceLink"]
