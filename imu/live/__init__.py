"""A live session, whatever the source: source -> journal -> recorder -> analyzer -> views.

Modules: :mod:`~imu.live.session` (:class:`LiveSession`, :class:`LiveResult`, the phase
tracker), :mod:`~imu.live.sources` (the :class:`Source` protocol; BLE, virtual sensor and
replay sources), :mod:`~imu.live.events` (what a session tells its views),
:mod:`~imu.live.views` (terminal views), :mod:`~imu.live.finish` (saving the recording and
the reports at the end, recovering crash journals). asyncio lives here and in :mod:`imu.ble`.
"""
