"""Timestamped samples on the grid: two streams (accelerometer, gyroscope) joined causally.

The base of the phone recorders (:mod:`~imu.io.recorders.phyphox`,
:mod:`~imu.io.recorders.sensor_logger`). A phone delivers each sensor as its own stream of
``(device time, x, y, z)`` samples at its own jittery rate, in batches (an HTTP response, a push
body). A subclass decodes its app's payloads into samples in SI units on one device time base
(seconds) and hands them over with :meth:`TimedStreamsRecorder._add_samples`; this class joins
the two streams on the uniform grid by the importer's rule (:func:`imu.io.resample.resample_at`,
as :mod:`imu.io.phone` does offline): grid point ``k`` is at device time ``t0 + k / rate``,
``t0`` the first accelerometer sample at or after the first gyroscope sample; a grid point is
valid only when both streams have samples on both sides of it at most ``max_gap_s`` apart,
otherwise its row is NaN and part of a gap. Rows are emitted as soon as both streams have
passed them, so the live analysis lags by one batch of the slower stream; nothing is ever
interpolated across a hole (a pause on the phone, a lost batch, a dropped link).

Sample checks (each failure is counted in ``bad_samples``, and the hole it leaves is a ``bad
frames`` gap when longer than ``max_gap_s``): the time must be finite and later than the
stream's previous sample (older ones are duplicates, counted in ``duplicate_samples``); values
must be finite and within twice the header's range; a sample timed far from the rest of its
batch (past the previous sample by more than twice the host's elapsed time plus ``MAX_LEAP_S``,
or in a stream's first batch more than ``MAX_LEAP_S`` from the batch's median) is a far-off
timestamp, dropped; a batch whose first time leaps more than
twice the host's elapsed time plus ``MAX_LEAP_S`` past the previous batch is a corrupt clock
(a frame error). Gap reason ``paused on the phone`` is used when the subclass says the app
paused (:meth:`TimedStreamsRecorder._mark_paused`). Time that jumps further than any silence
(:data:`~imu.io.recorders.base.MAX_GAP_S`: the host's clock and the phone's both leapt by
days) is never filled with rows: the samples after it follow a short gap
(:meth:`~imu.io.recorders.base.GridRecorder._limit_jump_s`, note ``clock_jumps``), both
streams shifted alike. A phone clock that stepped (two batches in a row far off the stream's
clock, the same way) re-anchors the samples by host time (note ``reanchors``).
"""

from __future__ import annotations

import logging
import math
from enum import IntEnum

import numpy as np

from imu.io.recorders.base import (
    MAX_GAP_S,
    BoolArray,
    FloatArray,
    GridRecorder,
    StreamHeader,
    TimeJumps,
)
from imu.io.recording import REASON_PAUSED_PHONE
from imu.io.resample import resample_at

logger = logging.getLogger(__name__)

REASON_PAUSED = REASON_PAUSED_PHONE
"""Gap reason: the app stopped measuring (phyphox paused, Sensor Logger sent nothing new); a
pause in the reports (:attr:`imu.io.recording.Gap.paused`), not a lost sensor."""

MAX_LEAP_S = 30.0
"""A batch may start at most twice the host's elapsed time plus this far past the stream's
previous sample, s (a phone paused for longer is caught by the app's own pause markers)."""

STANDARD_GRAVITY = 9.80665


WAIT_FOR_OTHER_S = 10.0
"""While one sensor has sent nothing, the other's samples are kept this far back, s."""


class Stream(IntEnum):
    """The two streams a phone recorder joins."""

    ACC = 0
    GYR = 1


class TimedStreamsRecorder(GridRecorder):
    """Joins timestamped accelerometer and gyroscope samples on the grid.

    Args:
        header: stream configuration (``odr_hz`` is the grid rate; ``acc_range_g`` and
            ``gyr_range_dps`` bound plausible values, with a factor 2 margin).
        max_gap_s: longest interval between two samples of a stream interpolated across, s.

    """

    def __init__(self, header: StreamHeader, max_gap_s: float) -> None:
        super().__init__(header)
        if not max_gap_s > 0:
            raise ValueError(f"max_gap_s must be positive, got {max_gap_s}")
        self.max_gap_s = float(max_gap_s)
        self.limits = (
            2.0 * header.acc_range_g * STANDARD_GRAVITY,
            2.0 * math.radians(header.gyr_range_dps),
        )
        self._t: list[FloatArray] = [np.empty(0), np.empty(0)]
        self._v: list[FloatArray] = [np.empty((0, 3)), np.empty((0, 3))]
        self._last_t = [-math.inf, -math.inf]
        self._last_host: list[float | None] = [None, None]
        self._t0: float | None = None
        self._jumps = TimeJumps()  # device time jumps beyond MAX_GAP_S, made short gaps
        # Per stream: (last raw time, host time) of a batch far off the stream's clock (a
        # clock stepped, or one corrupt batch: the next batch tells which).
        self._suspect: list[tuple[float, float] | None] = [None, None]
        self._paused = False
        self._warned_bad = [False, False]
        self.counters.update({"samples": 0, "bad_samples": 0, "duplicate_samples": 0})

    # ------------------------------------------------------------------ input
    def _add_samples(
        self, stream: Stream, t_s: FloatArray, values: FloatArray, host_s: float,
        may_step: bool = True,
    ) -> None:
        """Add one batch of a stream.

        Args:
            stream: which stream.
            t_s: shape (n,), device time of each sample, s (any order; NaN: unusable).
            values: shape (n, 3), SI (m/s^2 or rad/s); NaN entries make the sample unusable.
            host_s: host receive time of the batch, s (NaN: unknown).
            may_step: the batch is the phone's newest (not a message that came late), so a
                batch far off the stream's clock may tell that the phone's clock stepped.

        """
        t = np.asarray(t_s, dtype=np.float64).reshape(-1)
        v = np.asarray(values, dtype=np.float64).reshape(-1, 3)
        if t.size != v.shape[0]:
            self._frame_error(
                f"{stream.name.lower()} batch has {t.size} times for {v.shape[0]} samples; "
                "batch dropped"
            )
            return
        if t.size == 0:
            return
        limit = self.limits[stream]
        with np.errstate(invalid="ignore"):
            good = np.isfinite(t) & np.all(np.isfinite(v), axis=1) & np.all(
                np.abs(v) <= limit, axis=1
            )
        n_bad = int(np.count_nonzero(~good))
        if n_bad:
            self.counters["bad_samples"] += n_bad
            self._bad = True
            if len(self.frame_errors) < 20:
                self.frame_errors.append(
                    f"{n_bad} {stream.name.lower()} sample(s) with a missing time, a "
                    f"non-number or a value beyond +-{limit:.0f} dropped"
                )
            if not self._warned_bad[stream]:  # once per stream: the counters keep the total
                self._warned_bad[stream] = True
                logger.warning(
                    "dropping %d unusable %s samples (further ones are counted, not logged)",
                    n_bad, stream.name.lower(),
                )
        t, v = t[good], v[good]
        order = np.argsort(t, kind="stable")
        raw, v = t[order], v[order]
        t = self._jumps.apply(raw)
        if may_step and raw.size and self._clock_stepped(stream, raw, t, host_s):
            t = self._jumps.apply(raw)
        if t.size:
            distinct = np.concatenate(([True], np.diff(t) > 0))
            keep = distinct & (t > self._last_t[stream])
            self.counters["duplicate_samples"] += int(np.count_nonzero(~keep))
            t, v, raw = t[keep], v[keep], raw[keep]
        if t.size == 0:
            return
        if self._leaps(stream, float(t[0]), host_s):
            return
        near = ~self._far(stream, t, host_s)
        t, v, raw = t[near], v[near], raw[near]
        if t.size == 0:
            return
        newest = max(self._last_t)
        if math.isfinite(newest) and t[0] - newest > MAX_GAP_S:
            # Both clocks leapt by days (a host suspended while the phone kept pushing): never
            # a grid that long, a short gap instead; whole grid periods keep the grid phase.
            jump = float(t[0] - newest)
            shift = round((self._limit_jump_s(jump) - jump) * self.rate_hz) / self.rate_hz
            self._jumps.add(float(raw[0]) - MAX_GAP_S / 2, shift)
            t = t + shift
        self._t[stream] = np.concatenate([self._t[stream], t])
        self._v[stream] = np.concatenate([self._v[stream], v])
        other = Stream.GYR if stream == Stream.ACC else Stream.ACC
        if self._t0 is None and self._t[other].size == 0:
            # The other sensor has sent nothing yet: no grid point can use samples older
            # than a while back, so memory stays bounded however long it stays away.
            cut = int(np.searchsorted(self._t[stream], t[-1] - WAIT_FOR_OTHER_S))
            self._t[stream], self._v[stream] = self._t[stream][cut:], self._v[stream][cut:]
        self._last_t[stream] = float(t[-1])
        if math.isfinite(host_s):
            self._last_host[stream] = host_s
        self.counters["samples"] += int(t.size)
        # The phone's own time (a stepped clock undone; both clocks agree across a jump).
        self._clock_point(float(raw[-1]) + self._jumps.base, host_s)

    def _far(self, stream: Stream, t: FloatArray, host_s: float) -> BoolArray:
        """The samples of a sorted batch ``(n,)`` timed far from the others (a far-off timestamp).

        A sample later than the stream's previous sample (the batch's median for a stream's
        first batch) by more than twice the host's elapsed time plus :data:`MAX_LEAP_S`, or,
        in a stream's first batch, earlier than its median by more than :data:`MAX_LEAP_S`,
        cannot be on the phone's clock: kept, it would stretch the grid over the time between
        (every sample after it dropped as older, or a grid too large to build). Counted in
        ``bad_samples`` with a frame error, never a crash.
        """
        last_t, last_host = self._last_t[stream], self._last_host[stream]
        first = not math.isfinite(last_t)
        ref = float(np.median(t)) if first else last_t
        host_step = (
            max(host_s - last_host, 0.0)
            if last_host is not None and math.isfinite(host_s) and not first
            else 0.0
        )
        far = t > ref + 2.0 * host_step + MAX_LEAP_S
        if first:
            far |= t < ref - MAX_LEAP_S
        n_far = int(np.count_nonzero(far))
        if n_far == 0:
            return far
        self.counters["bad_samples"] += n_far
        self._bad = True
        worst = float(t[far][np.argmax(np.abs(t[far] - ref))])
        message = (
            f"{n_far} {stream.name.lower()} sample(s) timed far from the others (up to "
            f"{worst - ref:+.1f} s: a far-off timestamp) dropped"
        )
        if len(self.frame_errors) < 20:
            self.frame_errors.append(message)
        logger.warning("%s", message)
        return far

    def _clock_stepped(
        self, stream: Stream, raw: FloatArray, t: FloatArray, host_s: float
    ) -> bool:
        """Re-anchor by host time (True) when the phone's clock stepped.

        A batch wholly more than :data:`MAX_LEAP_S` before the stream's previous sample, or
        starting more than twice the host's elapsed time plus it after, is off the stream's
        clock. Alone it is a corrupt batch (dropped: older samples, or a leap). Continued by
        the next batch, the phone's clock stepped (set by hand, or by the network): kept, every
        later sample would be dropped as older, or every batch refused as a leap, for the rest
        of the session. Then the samples from that batch on are placed by host time after the
        stream's previous sample, logged and counted (``reanchors``), as our own sensor's are
        across a reconnect.

        Args:
            stream: the batch's stream.
            raw: shape (n,), the batch's sorted device times as the phone gave them, s.
            t: shape (n,), the same after the shifts so far, s.
            host_s: host receive time of the batch, s.

        """
        last_t, last_host = self._last_t[stream], self._last_host[stream]
        suspect, self._suspect[stream] = self._suspect[stream], None
        if not math.isfinite(last_t) or last_host is None or not math.isfinite(host_s):
            return False
        host_step = max(host_s - last_host, 0.0)
        if t[-1] >= last_t - MAX_LEAP_S and t[0] <= last_t + 2.0 * host_step + MAX_LEAP_S:
            return False
        if suspect is not None:
            since = max(host_s - suspect[1], 0.0)
            if -MAX_LEAP_S <= raw[0] - suspect[0] <= 2.0 * since + MAX_LEAP_S:
                target = last_t + max(host_step, 1.0 / self.rate_hz)
                logger.warning(
                    "the phone's clock stepped by %+.1f s against the host clock (set by hand "
                    "or by the network?); placing the %s samples by host time",
                    float(t[0] - target), stream.name.lower())
                self._jumps.rebase(target - float(raw[0]))
                self.counters["reanchors"] = self.counters.get("reanchors", 0) + 1
                return True
        self._suspect[stream] = (float(raw[-1]), host_s)
        return False

    def _leaps(self, stream: Stream, first_s: float, host_s: float) -> bool:
        """True (and a frame error) if a batch starts implausibly far past the previous one."""
        last_t, last_host = self._last_t[stream], self._last_host[stream]
        if not math.isfinite(last_t) or last_host is None or not math.isfinite(host_s):
            return False
        device_step = first_s - last_t
        host_step = max(host_s - last_host, 0.0)
        if device_step > 2.0 * host_step + MAX_LEAP_S:
            self._frame_error(
                f"{stream.name.lower()} timestamps leap {device_step:.1f} s ahead while "
                f"{host_step:.1f} s passed on the host (a corrupt clock); batch dropped"
            )
            return True
        return False

    def _mark_paused(self) -> None:
        """The app paused: the next gap's reason is ``paused on the phone``."""
        self._paused = True

    # ------------------------------------------------------------------ grid
    def _emit(self, through_s: float | None = None) -> None:
        """Append the grid rows both streams have passed (or up to ``through_s``)."""
        ta, tg = self._t[Stream.ACC], self._t[Stream.GYR]
        if ta.size == 0 or tg.size == 0:
            return
        if self._t0 is None:
            first = int(np.searchsorted(ta, tg[0], side="left"))
            if first >= ta.size:
                return
            self._t0 = float(ta[first])
        t0 = self._t0
        end = min(float(ta[-1]), float(tg[-1])) if through_s is None else through_s
        if end < t0:
            return
        stop = math.floor((end - t0) * self.rate_hz + 1e-6) + 1
        if stop <= self._next:
            return
        grid = np.arange(self._next, stop, dtype=np.float64) / self.rate_hz
        out: list[FloatArray] = []
        valid = np.ones(grid.size, dtype=bool)
        for s in Stream:
            t = self._t[s] - t0
            if t.size == 0:
                out.append(np.full((grid.size, 3), np.nan))
                valid[:] = False
                continue
            vals, ok = resample_at(t, self._v[s], grid, self.max_gap_s)
            out.append(vals)
            valid &= ok
        self._append(out[Stream.ACC], out[Stream.GYR], ~valid)
        # Keep only what later grid points can still need (one sample before the last point).
        last = t0 + (stop - 1) / self.rate_hz
        for s in Stream:
            cut = max(0, int(np.searchsorted(self._t[s], last, side="right")) - 1)
            self._t[s], self._v[s] = self._t[s][cut:], self._v[s][cut:]

    def _gap_reason(self) -> str:
        if self._paused and not self._broken:
            return REASON_PAUSED
        return super()._gap_reason()

    def _close_gap(self, end: int) -> None:
        had_gap = self._gap_start is not None and end > self._gap_start
        super()._close_gap(end)
        if had_gap:
            self._paused = False

    # ------------------------------------------------------------------ result
    def _start_time_s(self) -> float:
        if self._clock0 is not None and self._t0 is not None:
            return self._clock0[1] + (self._t0 - self._clock0[0])
        return self.header.start_time_s
