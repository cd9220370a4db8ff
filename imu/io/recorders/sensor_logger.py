"""Sensor Logger's HTTP push: journaled JSON bodies -> grid rows.

Sensor Logger (https://github.com/tszheichoi/awesome-sensor-logger, PUSHING.md; UNITS.md,
COORDINATES.md) pushes, once per batch period, a JSON body::

    {"messageId": 0, "sessionId": "...", "deviceId": "...",
     "payload": [{"name": "accelerometer", "time": <Unix ns>, "values": {"x":, "y":, "z":}},
                 ...]}

``messageId`` counts up per message, ``sessionId`` is the same for one recording, ``time`` is
UTC epoch nanoseconds on the phone's clock for every sensor. Each body is journaled as it
arrives (:mod:`imu.live.sources.sensor_logger`) and decoded here, so journal recovery rebuilds
the same recording.

*Order.* HTTP requests can arrive out of order. Messages are released in ``messageId`` order:
the next expected one at once, a later one when the message before it is missing and it has
waited ``reorder_s`` of host time (judged when later messages arrive), or when more than
``max_pending`` wait; at the end everything is released. A message that comes after its
successors were released still adds the samples newer than what was placed (older ones are
duplicates). A new ``sessionId`` (the user started a new recording) releases the old session's
messages first. The wait only delays the analysis; it never changes what is placed.

*Gravity, units, signs* follow the importer's rules (:func:`imu.io.phone.sl_acc_plan`,
:func:`imu.io.phone.values_in_g`, :func:`imu.io.phone.sl_acc_sign`): acceleration with gravity
from ``totalacceleration`` (Android), else ``accelerometeruncalibrated`` (g on iOS: scaled),
else ``accelerometer`` + ``gravity`` (summed, gravity interpolated at the accelerometer's
times); iOS acceleration is negated unless "Standardise Units & Frames" is on. The push names
no platform, so ``notes["platform"]`` says it (``android``, ``ios``, ``ios-standardised``,
or ``auto``: ``totalacceleration`` or an uncalibrated accelerometer in g tell; otherwise
Android is assumed and the recording says so). The plan is chosen from the first message
with an accelerometer and kept.

*Gaps.* A time hole while message ids are consecutive means the phone sent nothing new (the
app was paused or in the background): reason ``paused on the phone``; a hole where messages
are missing is ``lost frames`` (``disconnected`` when the push link was seen down).
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

import numpy as np

from imu.errors import ImportOptionsError
from imu.io.phone import (
    SL_GRAVITY,
    SL_GYR,
    SL_GYR_UNCAL,
    SL_TOTAL,
    SL_UNCAL,
    SL_USER,
    G,
    sl_acc_plan,
    sl_acc_sign,
    values_in_g,
)
from imu.io.recorders.base import FloatArray, StreamHeader
from imu.io.recorders.timed import Stream, TimedStreamsRecorder
from imu.io.resample import resample_at

logger = logging.getLogger(__name__)

PROTOCOL = "sensor-logger-push"
"""``StreamHeader.notes["protocol"]`` of Sensor Logger streams (journal recovery uses it)."""

PLATFORMS = ("auto", "android", "ios", "ios-standardised")

DEFAULT_MAX_GAP_S = 0.25
"""Samples of a stream further apart than this are not interpolated across, s (the importer's
default)."""

DEFAULT_REORDER_S = 2.0
"""How long a message waits for a missing predecessor, s of host time."""

MAX_PENDING = 16
"""More messages than this waiting releases the oldest regardless."""

CHECK_AFTER_MESSAGES = 3
"""Messages with samples after which a stream still missing is reported (once)."""

_ACC_NAMES = {SL_TOTAL, SL_UNCAL, SL_USER}
_WANTED = {SL_TOTAL, SL_UNCAL, SL_USER, SL_GRAVITY, SL_GYR, SL_GYR_UNCAL}


class PushError(ValueError):
    """A push body that cannot be used (the message says why)."""


def parse_push(body: bytes) -> tuple[int, str, str, dict[str, tuple[FloatArray, FloatArray]], int]:
    """Decode one push body.

    Returns:
        ``(messageId, sessionId, deviceId, streams, n_bad)``: for each wanted stream name, its
        samples ``(time ns as float64 (n,), values (n, 3))`` in body order; ``n_bad`` entries
        of wanted streams without a usable time or x, y, z.

    Raises:
        PushError: not JSON, or not an object with an integer ``messageId`` and a ``payload``
            list.

    """
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PushError(f"push body is not JSON ({exc}): {body[:60]!r}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("payload"), list):
        raise PushError("push body is not Sensor Logger's schema (no 'payload' list)")
    mid = doc.get("messageId")
    if isinstance(mid, bool) or not isinstance(mid, int):
        raise PushError(f"push body has no integer 'messageId' (got {mid!r})")
    rows: dict[str, tuple[list[float], list[list[float]]]] = {}
    n_bad = 0
    for item in doc["payload"]:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name", "")).lower()
        if name not in _WANTED:
            continue
        try:
            t = float(item["time"])
            vals = item["values"]
            xyz = [float(vals["x"]), float(vals["y"]), float(vals["z"])]
        except (KeyError, TypeError, ValueError):
            n_bad += 1
            continue
        ts, vs = rows.setdefault(name, ([], []))
        ts.append(t)
        vs.append(xyz)
    streams = {
        name: (np.asarray(ts, dtype=np.float64), np.asarray(vs, dtype=np.float64).reshape(-1, 3))
        for name, (ts, vs) in rows.items()
    }
    return mid, str(doc.get("sessionId", "")), str(doc.get("deviceId", "")), streams, n_bad


class SensorLoggerRecorder(TimedStreamsRecorder):
    """Turns journaled Sensor Logger push bodies into grid rows and, at the end, a recording.

    Args:
        header: stream configuration; ``notes`` may hold ``platform`` (one of
            :data:`PLATFORMS`, default ``auto``), ``max_gap_s`` and ``reorder_s``.

    """

    protocol = PROTOCOL

    def __init__(self, header: StreamHeader) -> None:
        super().__init__(header, float(header.notes.get("max_gap_s", DEFAULT_MAX_GAP_S)))
        platform = header.notes.get("platform", "auto").lower()
        if platform not in PLATFORMS:
            raise ImportOptionsError(
                f"unknown phone platform {platform!r}; use one of {', '.join(PLATFORMS)}"
            )
        self.platform = platform
        self.reorder_s = float(header.notes.get("reorder_s", DEFAULT_REORDER_S))
        self._pending: dict[int, tuple[float, dict[str, tuple[FloatArray, FloatArray]]]] = {}
        self._expected: int | None = None
        self._session: str | None = None
        self._origin_ns: float | None = None
        self._plan: tuple[str, ...] | None = None
        self._scale = 1.0
        self._sign_why = ""
        self._gravity: tuple[FloatArray, FloatArray] = (np.empty(0), np.empty((0, 3)))
        self._held: tuple[FloatArray, FloatArray, float] | None = None  # acc awaiting gravity
        self._last_emitted_t = -math.inf
        self._seen: set[str] = set()  # wanted streams that came with samples
        self._sample_messages = 0
        self._plan_errors = 0
        self._checked = False
        self.device_id = ""
        self.counters.update(
            {"messages": 0, "late_messages": 0, "missing_messages": 0, "bad_messages": 0}
        )

    # ------------------------------------------------------------------ input
    def _ingest(self, host_times_s: list[float], payloads: list[bytes]) -> None:
        now = -math.inf
        for host, payload in zip(host_times_s, payloads, strict=True):
            try:
                mid, session, device, streams, n_bad = parse_push(payload)
            except PushError as exc:
                self.counters["bad_messages"] += 1
                self._frame_error(str(exc))
                continue
            self.counters["messages"] += 1
            self._check_streams(streams)
            if n_bad:
                self.counters["bad_samples"] += n_bad
                self._bad = True
            if device:
                self.device_id = device
            if session != self._session:
                if self._session is not None:
                    logger.info("Sensor Logger started a new recording (session %s)", session)
                    self._release(flush=True, now=float(host))
                    self._mark_paused()
                self._session = session
                self._expected = None
            if self._expected is not None and mid < self._expected:
                self.counters["late_messages"] += 1
                self._decode(streams, float(host), late=True)
                continue
            if mid in self._pending:
                continue  # a repeated message
            self._pending[mid] = (float(host), streams)
            if math.isfinite(host):
                now = max(now, float(host))
        self._release(flush=False, now=now)
        self._emit()

    def _check_streams(self, streams: dict[str, tuple[FloatArray, FloatArray]]) -> None:
        """Say once, after a few messages with samples, that the gyroscope is not pushed.

        Without it nothing reaches the grid, and the session would end with "no samples" and
        no reason (a missing accelerometer is told by the plan's own error).
        """
        names = {name for name, (t, _) in streams.items() if t.size}
        if not names or self._checked:
            return
        self._seen |= names
        self._sample_messages += 1
        if self._sample_messages < CHECK_AFTER_MESSAGES:
            return
        self._checked = True
        if not {SL_GYR, SL_GYR_UNCAL} & self._seen:
            self._problem = (
                f"Sensor Logger pushes hold no gyroscope (they hold {', '.join(sorted(self._seen))}"
                "); nothing can be recorded without it: enable Gyroscope in Sensor Logger's "
                "sensors (and restart the recording there)"
            )
            self._frame_error(self._problem)

    def _release(self, flush: bool, now: float) -> None:
        """Decode waiting messages in id order (see the module docstring)."""
        while self._pending:
            first = min(self._pending)
            arrived, streams = self._pending[first]
            in_order = self._expected is not None and first == self._expected
            waited = math.isfinite(now) and now - arrived >= self.reorder_s
            if not (in_order or flush or waited or len(self._pending) > MAX_PENDING):
                break
            del self._pending[first]
            if self._expected is not None and first > self._expected:
                self.counters["missing_messages"] += first - self._expected
            self._decode(streams, arrived, late=False, contiguous=in_order)
            self._expected = first + 1

    def _decode(
        self, streams: dict[str, tuple[FloatArray, FloatArray]], host_s: float, late: bool,
        contiguous: bool = False,
    ) -> None:
        if self._plan is None and _ACC_NAMES & set(streams):
            self._choose_plan(streams)
        if self._origin_ns is None:
            firsts = [t[0] for t, _ in streams.values() if t.size and math.isfinite(t[0])]
            if not firsts:
                return
            self._origin_ns = min(firsts)
        origin = self._origin_ns
        gyr = streams.get(SL_GYR) or streams.get(SL_GYR_UNCAL)
        new_t = []
        if gyr is not None:
            t = (gyr[0] - origin) * 1e-9
            new_t.append(t)
            self._add_samples(Stream.GYR, t, gyr[1], host_s, may_step=not late)
        if self._plan is not None:
            acc = self._acceleration(streams, host_s)
            if acc is not None:
                new_t.append(acc[0])
                self._add_samples(Stream.ACC, acc[0], acc[1], host_s, may_step=not late)
        if contiguous and not late and new_t:
            first = min(float(np.nanmin(t)) for t in new_t if t.size)
            if first - self._last_emitted_t > self.max_gap_s and math.isfinite(
                self._last_emitted_t
            ):
                self._mark_paused()
        for t in new_t:
            if t.size:
                self._last_emitted_t = max(self._last_emitted_t, float(np.nanmax(t)))

    def _choose_plan(self, streams: dict[str, tuple[FloatArray, FloatArray]]) -> None:
        try:
            plan = sl_acc_plan(frozenset(streams), "Sensor Logger push")
        except ImportOptionsError as exc:
            self._plan_errors += 1
            if self._plan_errors == 1:  # said once; every such message is counted
                self._frame_error(f"{exc} (until it comes, nothing is recorded)")
            else:
                self.counters["bad_frames"] += 1
                self._bad = True
            return
        self._plan = plan
        platform = self.platform
        if plan == (SL_UNCAL,) and values_in_g(streams[SL_UNCAL][1]):
            self._scale = G
            if platform == "auto":
                platform = "ios"  # only iOS reports it in g, and only when not standardised
        if platform == "auto":
            platform = "android"
            self._sign_why = " (platform not told; Android assumed: pass the platform if iOS)"
            if plan == (SL_TOTAL,):
                self._sign_why = " (TotalAcceleration: Android)"
        sign, why = sl_acc_sign(
            "ios" if platform.startswith("ios") else "android", platform == "ios-standardised"
        )
        self._scale *= sign
        self._sign_why = why + self._sign_why
        logger.info("Sensor Logger acceleration from %s, %s", "+".join(plan), self._sign_why)

    def _acceleration(
        self, streams: dict[str, tuple[FloatArray, FloatArray]], host_s: float
    ) -> tuple[FloatArray, FloatArray] | None:
        """Acceleration with gravity in a message: (s since the origin, SI with Android signs)."""
        assert self._plan is not None and self._origin_ns is not None
        origin = self._origin_ns
        if self._plan != (SL_USER, SL_GRAVITY):
            data = streams.get(self._plan[0])
            if data is None:
                return None
            return (data[0] - origin) * 1e-9, data[1] * self._scale
        # Accelerometer (without gravity) + Gravity: gravity interpolated at the accelerometer's
        # times; accelerometer samples past the last gravity sample wait for the next message.
        if SL_GRAVITY in streams:
            gt, gv = streams[SL_GRAVITY]
            t_all = np.concatenate([self._gravity[0], (gt - origin) * 1e-9])
            v_all = np.concatenate([self._gravity[1], gv])
            order = np.argsort(t_all, kind="stable")
            t_all, v_all = t_all[order], v_all[order]
            keep = np.concatenate(([True], np.diff(t_all) > 0)) & np.all(np.isfinite(v_all), 1)
            self._gravity = (t_all[keep], v_all[keep])
        ut, uv = np.empty(0), np.empty((0, 3))
        if self._held is not None:
            ut, uv = self._held[0], self._held[1]
            self._held = None
        if SL_USER in streams:
            t_new, v_new = streams[SL_USER]
            ut = np.concatenate([ut, (t_new - origin) * 1e-9])
            uv = np.concatenate([uv, v_new])
        gt_s, gv_s = self._gravity
        if ut.size == 0 or gt_s.size == 0:
            if ut.size:
                self._held = (ut, uv, host_s)
            return None
        ready = ut <= gt_s[-1]
        if not ready.all():
            self._held = (ut[~ready], uv[~ready], host_s)
        ut, uv = ut[ready], uv[ready]
        g_at, ok = resample_at(gt_s, gv_s, ut, 1.0)
        total = uv + g_at  # NaN where gravity is unknown: dropped as bad samples
        total[~ok] = np.nan
        # Gravity older than what is still needed can go.
        cut = max(0, int(np.searchsorted(gt_s, ut[-1] if ut.size else gt_s[0])) - 1)
        self._gravity = (gt_s[cut:], gv_s[cut:])
        return ut, total * self._scale

    # ------------------------------------------------------------------ result
    def _finish(self) -> None:
        if self._pending:
            self._release(flush=True, now=math.inf)
            self._emit()

    def _notes(self) -> dict[str, str]:
        notes = {
            "app": "Sensor Logger",
            "max_gap_s": repr(self.max_gap_s),
            "platform": self.platform,
        }
        if self._plan is not None:
            notes["acc_streams"] = "+".join(self._plan)
            notes["acc_sign"] = self._sign_why
        if self.device_id:
            notes["sensor_logger_device_id"] = self.device_id
        if self._origin_ns is not None and self._t0 is not None:
            notes["device_time_first_sample_unix_s"] = f"{self._origin_ns * 1e-9 + self._t0:.6f}"
        return notes


def platform_note(value: Any) -> str:
    """Check a platform name for ``notes["platform"]`` (raises ImportOptionsError)."""
    text = str(value).lower()
    if text not in PLATFORMS:
        raise ImportOptionsError(
            f"unknown phone platform {value!r}; use one of {', '.join(PLATFORMS)}"
        )
    return text
