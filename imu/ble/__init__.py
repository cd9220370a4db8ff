"""BLE transports and BLE device adapters: bleak client, Bumble backend, virtual sensors.

Modules: :mod:`~imu.ble.client` (scan, connect, configure our sensor),
:mod:`~imu.ble.adapters` (the device-adapter protocol and our sensor's adapter),
:mod:`~imu.ble.polar` (Polar's PMD service: client, adapter, virtual sensor),
:mod:`~imu.ble.bumble_backend` (a bleak backend over Bumble: in-process link or a USB dongle),
:mod:`~imu.ble.sim` (virtual sensors on an in-process link). Nothing here knows about
sessions or views: the live session and its BLE source are in :mod:`imu.live`.
"""
