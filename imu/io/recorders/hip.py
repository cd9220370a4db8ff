"""Our own sensor's frames (``firmware_protocol/SPEC.md``) on the grid: placed by device time.

Sample 0 is the first sample of the first frame received. A frame whose first sample has device
time ``t`` (unwrapped, microseconds) starts at grid index ``round((t - t0) * odr_hz / 1e6)``:
the device clock defines the grid, so the index is exact however many frames were lost and
however long the link was down. Samples the host never got become NaN rows listed in
``meta.gaps`` (see :mod:`imu.io.recorders.base` for the reasons). A frame that overlaps samples
already placed (a duplicate) is dropped. If, across a reconnect, the device clock went backwards
or leapt far ahead of the host clock (the sensor restarted, or its clock was set), the frames
are placed by host receive time instead and the jump is logged. The device clock wraps every
2^32 us (71.6 min), so a silence of more than half that (a sensor out of range, a recording
with a long gap replayed) is ambiguous from the device time alone: whole wraps are added when
they explain the host's elapsed time, and always when, the link having stayed up, a frame
would otherwise read as from the past (before, every frame after such a silence was dropped as
a duplicate). A host clock stepped forward (NTP) with no frame missed adds nothing, and a
sensor restarted while silent is still re-anchored by host time. A host clock that leapt
further than any silence placed as it is (:data:`MAX_GAP_S`: a replay streamed faster than the
virtual sensor can, a host clock set by days) says nothing about wraps: the device time places
those frames. And whatever the clocks say, a jump of the grid beyond :data:`MAX_GAP_S` is
never filled: the frames after it follow a gap of :data:`JUMP_GAP_S`, the jump is logged and
counted (note ``clock_jumps``; both constants and the rule are every recorder's, in
:mod:`imu.io.recorders.base`).

Counts become SI only in :func:`firmware_protocol.frames.decode_frames`.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np

from firmware_protocol import ProtocolError, spec
from firmware_protocol.frames import DecodedBatch, StreamPosition, decode_frames
from imu.io.recorders.base import (
    EVENT_DISCONNECTED,
    JUMP_GAP_S,  # noqa: F401 (named in the docstring; tests import it from here)
    MAX_GAP_S,
    FloatArray,
    GridRecorder,
    StreamHeader,
)

logger = logging.getLogger(__name__)

WRAP_US = spec.TIMESTAMP_MODULUS
"""Period of the device clock, us (2^32: 71.6 min); frames are unwrapped assuming less than
half of it between them."""

WRAP_TOLERANCE = 0.01
"""After a long silence across a reconnect, or one the device time does not contradict, whole
wraps of the device clock are added only when they explain the host's elapsed time within
this share of a wrap (43 s) or the re-anchoring margin, whichever is larger: a host clock
stepped by NTP, or a sensor restarted while silent, rarely lands that close to a whole number
of wraps. (A frame that would read as from the past while the link stayed up always gets
them: a replay's scaled clock can be tens of seconds off.)"""


class StreamRecorder(GridRecorder):
    """Turns our sensor's IMU data frames into grid rows and, at the end, a recording.

    Args:
        header: the stream configuration and session.
        reanchor_s: how far the device clock may run ahead of twice the host's elapsed time
            across a reconnect before the grid is re-anchored, s.

    """

    def __init__(self, header: StreamHeader, reanchor_s: float = 2.0) -> None:
        super().__init__(header)
        self.reanchor_s = reanchor_s
        self._position: StreamPosition | None = None
        self._t0_us: int | None = None  # unwrapped device time of grid sample 0
        self._anchor_shift = 0  # grid index correction after a re-anchor
        self._last_host: float | None = None  # receive time of the last frame placed
        self._reconnected = False  # the link dropped since the last frame placed
        self._host_leaps = 0  # host clock leaps beyond MAX_GAP_S that added no wraps
        self.counters.update(
            {"duplicate_frames": 0, "lost_frames": 0, "reanchors": 0}
        )

    def _on_event(self, kind: str, host_time_s: float, fields: dict[str, Any]) -> None:
        if kind == EVENT_DISCONNECTED:
            self._reconnected = True

    def _decode(self, payloads: list[bytes]) -> list[DecodedBatch]:
        h = self.header
        try:
            batch = decode_frames(
                payloads, h.acc_range_g, h.gyr_range_dps, h.odr_hz, self._position
            )
            self._position = batch.end
            return [batch]
        except ProtocolError:
            pass
        out = []
        for payload in payloads:  # slow path: find and skip the bad frame(s)
            try:
                one = decode_frames(
                    [payload], h.acc_range_g, h.gyr_range_dps, h.odr_hz, self._position
                )
            except ProtocolError as exc:
                self._frame_error(str(exc))
                continue
            self._position = one.end
            out.append(one)
        return out

    def _ingest(self, host_times_s: list[float], payloads: list[bytes]) -> None:
        frame_i = 0
        for batch in self._decode(payloads):
            hosts = np.asarray(host_times_s[frame_i : frame_i + batch.n_frames])
            frame_i += batch.n_frames
            for f in range(batch.n_frames):
                a = int(batch.frame_start[f])
                b = int(batch.frame_start[f + 1]) if f + 1 < batch.n_frames else batch.n_samples
                self._place(
                    int(batch.frame_timestamp_us[f]),
                    float(hosts[f]) if f < len(hosts) else math.nan,
                    batch.acc[a:b],
                    batch.gyr[a:b],
                    int(batch.gaps[f]),
                )

    def _place(
        self, t_us: int, host_s: float, acc: FloatArray, gyr: FloatArray, seq_gap: int
    ) -> None:
        odr = self.header.odr_hz
        if self._t0_us is None:
            self._t0_us = t_us
        if self._last_host is not None and math.isfinite(host_s):
            # After a silence longer than half the device clock's period the unwrapping
            # cannot tell how many times it wrapped: the host's elapsed time decides.
            host_us = (host_s - self._last_host) * 1e6
            if host_us > WRAP_US / 2:
                device_us = (t_us - self._t0_us) - (self._next - self._anchor_shift) * 1e6 / odr
                wraps = round((host_us - device_us) / WRAP_US)
                rest_us = host_us - device_us - wraps * WRAP_US
                # From the past: before the next grid row (a timestamp rounded to the
                # microsecond a little early is not).
                past = device_us < -0.5e6 / odr and not self._reconnected
                if host_us > MAX_GAP_S * 1e6:
                    # Longer than any silence placed as it is: the host's clock leapt (a
                    # replay streamed faster than the virtual sensor can, a clock set by days)
                    # and its count of wraps means nothing. Only a frame that would read as
                    # from the past with the link up gets one, the least that places it.
                    self._host_leaps += 1
                    log = logger.warning if self._host_leaps == 1 else logger.debug
                    log("the host's clock leapt %.1f h between two frames, more than the "
                        "%.0f h a silence is placed by; the frames are placed by the sensor's "
                        "clock", host_us / 3.6e9, MAX_GAP_S / 3600)
                    wraps, fits = (1 if past else 0), True
                elif past:
                    # The link stayed up (frames that were never sent: a replayed gap) and
                    # the frame reads as if from the past: the clock wrapped, however
                    # loosely a scaled replay clock says how often.
                    wraps, fits = max(wraps, 1), True
                else:
                    # Only when whole wraps explain the host's time: a host clock that
                    # jumped (an NTP step) or a sensor that restarted leaves a remainder,
                    # and is left to the device time or to the re-anchoring below.
                    fits = abs(rest_us) <= max(WRAP_TOLERANCE * WRAP_US,
                                               self.reanchor_s * 1e6 + 1e-3 * host_us)
                if wraps and fits:
                    self._t0_us -= wraps * WRAP_US
                if wraps and fits and host_us <= MAX_GAP_S * 1e6:
                    logger.warning(
                        "%.0f min without frames: longer than the sensor's clock can tell "
                        "apart; the frames after it are placed by the host's clock (%+d wraps "
                        "of its %.1f min period)", host_us / 6e7, wraps, WRAP_US / 6e7)
        index = round((t_us - self._t0_us) * odr / 1e6) + self._anchor_shift
        if self._reconnected and self._last_host is not None and math.isfinite(host_s):
            # After a reconnect the device clock must have moved on about as much as the
            # host's: backwards means it restarted (reboot), far ahead means it was reset.
            device_step = (index - self._next) / odr
            host_step = host_s - self._last_host
            if device_step < -1.0 / odr or device_step > 2.0 * host_step + self.reanchor_s:
                new_index = self._next + max(0, round(host_step * odr))
                logger.warning(
                    "device clock jumped by %.1f s against the host clock across a reconnect "
                    "(sensor restarted?); placing the frames by host time",
                    device_step - host_step,
                )
                self._anchor_shift += new_index - index
                index = new_index
                self.counters["reanchors"] += 1
        self._reconnected = False
        if index - self._next > MAX_GAP_S * odr:
            # No silence lasts this long between two frames (the sensor's clock set far ahead,
            # a damaged journal): a short gap marks it, never days of rows.
            new_index = self._next + round(
                self._limit_jump_s((index - self._next) / odr) * odr)
            self._anchor_shift += new_index - index
            index = new_index
        if index > self._next:
            if not self._broken:
                self.counters["lost_frames"] += max(seq_gap, 1)
            self._append_missing(index - self._next)
        n = len(acc)
        if index < self._next:
            skip = self._next - index
            if skip >= n:
                self.counters["duplicate_frames"] += 1
                return
            acc, gyr, index = acc[skip:], gyr[skip:], self._next
        self._append(acc, gyr)
        if math.isfinite(host_s):
            self._last_host = host_s
            self._clock_point((index - self._anchor_shift) / odr, host_s)
