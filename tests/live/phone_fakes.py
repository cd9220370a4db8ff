"""Fake phone apps that follow the public documentation, fed by a simulated session.

- :class:`FakePhyphox`: an aiohttp server with phyphox's remote-access API (``/config``,
  ``/get`` with ``full``/``T|ref``/single requests and the 8-significant-digit threshold nudge,
  ``/time``, ``/control``), values printed with 8 significant digits like phyphox. Its sensors
  sample a :class:`~imu.io.recording.Recording` at jittery phone instants, delivered in bursts;
  it can pause (experiment time stops, ``/time`` lists PAUSE and START) and drop connections.
- :func:`push_like_sensor_logger`: a client that POSTs Sensor Logger's push schema in batches,
  with jitter, messages swapped in order, messages lost, and a pause (no samples, ids go on).

Time: the fake's session time runs ``speed`` times faster than the wall clock (the tests' host
clock does the same), so a 35 s set streams in under 2 s.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import numpy as np
from aiohttp import web

T0_UNIX = 1_767_261_600.0  # 2026-01-01T10:00:00Z, the phone's clock at the start


def phone_samples(rec, rate_hz: float, jitter_s: float, seed: int, offset_s: float = 0.0,
                  margin_s: float = 0.05):
    """Irregular phone sample times (s since the start) and the recording interpolated there.

    Times stop ``margin_s`` before the recording's end. Also used by the importer's tests.
    """
    rng = np.random.default_rng(seed)
    dur = rec.duration_s - margin_s
    t = offset_s + np.arange(0.0, dur, 1.0 / rate_hz)
    t = np.sort(t + rng.uniform(0.0, jitter_s, t.size))
    t = t[(t > 0) & (t < dur)]
    grid = rec.time_s
    acc = np.column_stack([np.interp(t, grid, rec.acc[:, i]) for i in range(3)])
    gyr = np.column_stack([np.interp(t, grid, rec.gyr[:, i]) for i in range(3)])
    return t, acc, gyr


def _num(v: float) -> str:
    """phyphox prints ``0.#######E0``: 8 significant digits."""
    return "null" if not math.isfinite(v) else f"{v:.7E}"


@dataclass
class FakePhyphox:
    """phyphox's remote access for a simulated session (see the module docstring).

    Attributes:
        pause_s: (start, end) session seconds during which the phone is paused, or None.
        outage_s: (start, end) session seconds during which connections are dropped, or None.
        burst_s: sensor data becomes visible in bursts of this many session seconds.

    """

    rec: Any
    speed: float
    pause_s: tuple[float, float] | None = None
    outage_s: tuple[float, float] | None = None
    burst_s: float = 0.08
    experiment_title: str = "hip-imu"
    linear: bool = False
    seed: int = 3
    requests: list[str] = field(default_factory=list)
    dropped: int = 0

    def __post_init__(self) -> None:
        ta, acc, _ = phone_samples(self.rec, 100.0, 0.004, self.seed)
        tg, _, gyr = phone_samples(self.rec, 100.0, 0.003, self.seed + 1, offset_s=0.0037)
        self.streams = {"acc": (ta, acc), "gyr": (tg, gyr)}
        self.names = {"acc": ("accX", "accY", "accZ", "acc_time"),
                      "gyr": ("gyrX", "gyrY", "gyrZ", "gyr_time")}
        self._wall0: float | None = None  # wall clock at START
        self.port = 0
        self.session = "5c1d2e"

    # ------------------------------------------------------------------ clocks
    def now_s(self) -> float:
        """Session seconds since START (0 before it)."""
        return 0.0 if self._wall0 is None else (time.monotonic() - self._wall0) * self.speed

    @property
    def duration_s(self) -> float:
        return float(self.rec.duration_s)

    def measuring(self) -> bool:
        now = self.now_s()
        if self._wall0 is None:
            return False
        return not (self.pause_s and self.pause_s[0] <= now < self.pause_s[1])

    def _exp(self, s: np.ndarray) -> np.ndarray:
        """Experiment time of session time ``s`` (pauses left out)."""
        if not self.pause_s:
            return s
        a, b = self.pause_s
        return np.where(s >= b, s - (b - a), s)

    def visible(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """What the buffers hold now: samples up to the last burst, none while paused."""
        now = self.now_s()
        if self._wall0 is None:
            return {k: (np.empty(0), np.empty((0, 3))) for k in self.streams}
        upto = math.floor(now / self.burst_s) * self.burst_s
        out = {}
        for k, (t, v) in self.streams.items():
            keep = t <= upto
            if self.pause_s:
                keep &= ~((t >= self.pause_s[0]) & (t < self.pause_s[1]))
            out[k] = (self._exp(t[keep]), v[keep])
        return out

    # ------------------------------------------------------------------ server
    async def __aenter__(self) -> FakePhyphox:
        app = web.Application()
        app.router.add_get("/config", self._config)
        app.router.add_get("/get", self._get)
        app.router.add_get("/time", self._time)
        app.router.add_get("/control", self._control)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _outage(self, request: web.Request) -> bool:
        now = self.now_s()
        if self.outage_s and self.outage_s[0] <= now < self.outage_s[1]:
            self.dropped += 1
            if request.transport is not None:
                request.transport.close()  # the Wi-Fi dropped: the client sees a reset
            return True
        return False

    async def _config(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        acc_source = "linear_acceleration" if self.linear else "accelerometer"
        inputs = [
            {"source": acc_source, "outputs": [{"x": "accX"}, {"y": "accY"}, {"z": "accZ"},
                                               {"t": "acc_time"}]},
            {"source": "gyroscope", "outputs": [{"x": "gyrX"}, {"y": "gyrY"}, {"z": "gyrZ"},
                                                {"t": "gyr_time"}]},
        ]
        buffers = [{"name": n, "size": 0} for names in self.names.values() for n in names]
        return web.json_response({"crc32": "1234abcd", "title": self.experiment_title,
                                  "localTitle": self.experiment_title, "category": "hip-imu",
                                  "buffers": buffers, "inputs": inputs, "export": []})

    async def _control(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        cmd = request.query.get("cmd")
        if cmd == "start" and self._wall0 is None:
            self._wall0 = time.monotonic()
        return web.Response(text='{"result": true}', content_type="application/json")

    async def _time(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        if self._outage(request):
            return web.Response(status=503)
        events = []
        if self._wall0 is not None:
            events.append({"event": "START", "experimentTime": 0.0, "systemTime": T0_UNIX})
            now = self.now_s()
            if self.pause_s and now >= self.pause_s[0]:
                a, b = self.pause_s
                events.append({"event": "PAUSE", "experimentTime": a, "systemTime": T0_UNIX + a})
                if now >= b:
                    events.append({"event": "START", "experimentTime": a,
                                   "systemTime": T0_UNIX + b})
        return web.json_response(events)

    async def _get(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        if self._outage(request):
            return web.Response(status=503)
        data = self.visible()
        columns: dict[str, np.ndarray] = {}
        for k, (t, v) in data.items():
            x, y, z, tn = self.names[k]
            columns.update({x: v[:, 0], y: v[:, 1], z: v[:, 2], tn: t})
        parts = []
        for name, value in request.query.items():
            if name not in columns:
                continue
            arr = columns[name]
            if value == "":
                body = _num(float(arr[-1])) if arr.size else "null"
                mode = "single"
            elif value == "full":
                body, mode = ",".join(_num(float(a)) for a in arr), "full"
            else:
                thr_text, _, ref = value.partition("|")
                thr = float(thr_text)
                if thr != 0:  # phyphox's nudge at the 8th significant digit
                    thr += 10 ** math.floor(math.log10(abs(thr) / 1e7))
                ref_arr = columns[ref] if ref else arr
                n = min(arr.size, ref_arr.size)
                sel = arr[:n][ref_arr[:n] > thr]
                body, mode = ",".join(_num(float(a)) for a in sel), "partial"
            parts.append(f'"{name}":{{"size":0,"updateMode":"{mode}", "buffer":[{body}]}}')
        status = (f'"status":{{"session":"{self.session}", "measuring":'
                  f'{"true" if self.measuring() else "false"}, "timedRun":false, "countDown":0}}')
        text = '{"buffer":{\n' + ",\n".join(parts) + "\n},\n" + status + "\n}\n"
        return web.Response(text=text, content_type="application/json")


# ---------------------------------------------------------------------------- Sensor Logger
@dataclass
class PushPlan:
    """How the fake Sensor Logger pushes (session seconds unless named otherwise).

    Attributes:
        batch_s: batch period.
        platform: "android" (totalacceleration) or "ios" (accelerometer + gravity, negated).
        pause_s: the app records nothing in this window (message ids go on).
        lost: message ids never delivered (the request fails).
        swapped: message ids sent after their successor.
        jitter_s: random delay of each POST, wall seconds.
        gyroscope: the gyroscope is pushed (False: the app's Gyroscope is not enabled).

    """

    batch_s: float = 1.0
    platform: str = "android"
    pause_s: tuple[float, float] | None = None
    lost: tuple[int, ...] = ()
    swapped: tuple[int, ...] = ()
    jitter_s: float = 0.01
    seed: int = 4
    gyroscope: bool = True


def sensor_logger_messages(rec, plan: PushPlan) -> list[dict[str, Any]]:
    """The push bodies Sensor Logger would send for ``rec`` (schema of PUSHING.md)."""
    ta, acc, _ = phone_samples(rec, 100.0, 0.004, plan.seed)
    tg, _, gyr = phone_samples(rec, 100.0, 0.003, plan.seed + 1, offset_s=0.0041)
    session, device = str(uuid.UUID(int=7)), str(uuid.UUID(int=9))
    sign = -1.0 if plan.platform == "ios" else 1.0
    # Gravity as a phone estimates it: the accelerometer low-passed (1 s moving mean).
    k = 100
    pad = np.pad(acc, ((k // 2, k - k // 2 - 1), (0, 0)), mode="edge")
    kernel = np.ones(k) / k
    gravity = np.column_stack([np.convolve(pad[:, i], kernel, mode="valid") for i in range(3)])
    n_msgs = math.ceil(rec.duration_s / plan.batch_s)
    out = []
    for m in range(n_msgs):
        lo, hi = m * plan.batch_s, (m + 1) * plan.batch_s
        payload: list[dict[str, Any]] = []

        def add(name: str, t: np.ndarray, v: np.ndarray, sel: np.ndarray,
                payload: list[dict[str, Any]] = payload) -> None:
            for ti, vi in zip(t[sel], v[sel], strict=True):
                payload.append({"name": name, "time": round(T0_UNIX * 1e9 + ti * 1e9),
                                "values": {"x": float(vi[0]), "y": float(vi[1]),
                                           "z": float(vi[2])}})

        sa, sg = _window(ta, lo, hi, plan), _window(tg, lo, hi, plan)
        if plan.platform == "ios":
            add("accelerometer", ta, sign * (acc - gravity), sa)
            add("gravity", ta, sign * gravity, sa)
        else:
            add("totalacceleration", ta, acc, sa)
            add("accelerometer", ta, acc - gravity, sa)
        if plan.gyroscope:
            add("gyroscope", tg, gyr, sg)
        payload.sort(key=lambda e: e["time"])
        out.append({"messageId": m, "sessionId": session, "deviceId": device,
                    "payload": payload})
    return out


def _window(t: np.ndarray, lo: float, hi: float, plan: PushPlan) -> np.ndarray:
    sel = (t >= lo) & (t < hi)
    if plan.pause_s:
        sel &= ~((t >= plan.pause_s[0]) & (t < plan.pause_s[1]))
    return sel


async def push_like_sensor_logger(url: str, rec, speed: float, plan: PushPlan) -> dict[str, int]:
    """POST the messages at their batch times (scaled), with the plan's faults; returns counts."""
    rng = np.random.default_rng(plan.seed)
    msgs = sensor_logger_messages(rec, plan)
    order = list(range(len(msgs)))
    for i in plan.swapped:
        j = order.index(i)
        order[j], order[j + 1] = order[j + 1], order[j]
    wall0 = time.monotonic()
    sent = lost = 0
    async with aiohttp.ClientSession() as http:
        for pos, m in enumerate(order):
            due = wall0 + (pos + 1) * plan.batch_s / speed + rng.uniform(0, plan.jitter_s)
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if m in plan.lost:
                lost += 1
                continue
            async with http.post(url, data=json.dumps(msgs[m])) as resp:
                assert resp.status == 200, resp.status
                sent += 1
    return {"sent": sent, "lost": lost, "messages": len(msgs)}
