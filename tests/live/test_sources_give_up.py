"""``--give-up``: a BLE source gives up when the sensor is away that long, whatever the backend.

Before, each reconnection attempt could run for twice the scan timeout plus a second (Bumble's
connect waits for the sensor to advertise again), so a short give-up time was overrun (about
11 s for ``--give-up 2``) and a sensor back within those 11 s was taken back.
"""

from __future__ import annotations

import time

from firmware_protocol.virtual_sensor import Faults
from imu.live.events import Disconnected, Finished
from imu.live.sources.ble import ReconnectPolicy

from .conftest import SPEED, run_live


def _stamped(events: list[tuple[float, object]]):
    class Stamp(list):
        def append(self, item: object) -> None:
            events.append((time.monotonic(), item))

    return Stamp()


def test_a_short_give_up_time_is_kept_with_the_default_scan_timeout(simulated_set):
    stamped: list[tuple[float, object]] = []
    # The sensor comes back 4 s (wall clock) after the drop: after the give-up time, and
    # well inside the old code's 11 s attempt.
    faults = Faults(disconnect_at_s=(5.0,), reconnect_after_s=4.0 * SPEED)
    result, stats = run_live(simulated_set, faults=faults, events=_stamped(stamped),
                             policy=ReconnectPolicy(give_up_after_s=1.0))
    assert result.reason == "device gone"
    assert stats.connections == 1  # not taken back
    lost = next(t for t, e in stamped if isinstance(e, Disconnected))
    ended = next(t for t, e in stamped if isinstance(e, Finished))
    assert ended - lost < 3.0, f"gave up {ended - lost:.1f} s after the link was lost"
