"""Polar sensors over their Polar Measurement Data (PMD) service.

Modules: :mod:`~imu.ble.polar.client` (the PMD conversation over bleak and the live-session
adapter, including restarting a stream the device stopped) and :mod:`~imu.ble.polar.virtual` (a
virtual Polar sensor on Bumble). The radio-free parts sit with the recorders in ``imu.io``:
:mod:`imu.io.recorders.pmd` (control point messages and data frames, bytes <-> values; the only
place Polar counts become SI units) and :mod:`imu.io.recorders.polar` (per-sample times, ACC and
GYRO joined on one grid).
"""
