"""Polar sensors over their Polar Measurement Data (PMD) service.

Modules: :mod:`~imu.ble.polar.codec` (control point messages and data frames, bytes <-> values;
the only place Polar counts become SI units), :mod:`~imu.ble.polar.stream` (per-sample times,
ACC and GYRO joined on one grid), :mod:`~imu.ble.polar.client` (the PMD conversation over bleak
and the live-session adapter), :mod:`~imu.ble.polar.virtual` (a virtual Polar sensor on Bumble).
"""
