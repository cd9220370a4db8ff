"""Live sessions over BLE: bleak client, Bumble backend, reconnection, the live loop.

Modules: :mod:`~imu.ble.client` (scan, connect, configure), :mod:`~imu.ble.live` (the live loop:
queue, consumer, reconnect, events), :mod:`~imu.ble.bumble_backend` (a bleak backend over
Bumble: in-process link or a USB dongle), :mod:`~imu.ble.sim` (the whole stack without
hardware). asyncio lives here and in the CLI's live loop only.
"""
