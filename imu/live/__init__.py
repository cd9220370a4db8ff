"""A live session, whatever the source: source -> journal -> analyzer -> views.

Modules: :mod:`~imu.live.events` (what a session tells its views).
"""
