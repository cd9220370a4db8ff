"""Sensor Logger as a live source: receive its HTTP pushes on the LAN.

Usage: ``imu live -e E --sensor-logger-push [HOST:]PORT`` prints a push URL (and its QR code);
in Sensor Logger, Settings > Data Streaming > enable HTTP Push, paste the URL, set the batch
period (1000 ms is fine), enable Accelerometer (Uncalibrated) or Gravity (iOS) and Gyroscope,
and start recording. The push schema (https://github.com/tszheichoi/awesome-sensor-logger,
PUSHING.md) and its decoding are in :mod:`imu.io.recorders.sensor_logger`.

The URL's path carries a random token (:func:`secrets.token_urlsafe`): a POST to any other
path is refused (404), a POST with a wrong token gets 403, so nobody else on the network can
inject samples. The handler only pushes the body to the session (journal first, decoding in
the session's consumer) and answers 200. A body over :data:`MAX_BODY_BYTES` gets 413 (shorten
the batch period).

Link state: the first push marks the phone ``connected`` (so "Tap to Test Pushing" shows up at
once); once pushes carry samples, no push for ``idle_s`` marks it ``disconnected`` (the hole
that follows is a ``disconnected`` gap unless the phone was paused) and the next push
``connected`` again, and after ``give_up_s`` without a push the session ends (``device
gone``). Before the first push with samples (a test push has none) it waits until stopped:
setting the phone up after the test push takes as long as it takes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable

from aiohttp import web

from imu.errors import ImuError
from imu.io.recorders import FrameRecorder, StreamHeader
from imu.io.recorders.sensor_logger import (
    DEFAULT_MAX_GAP_S,
    PROTOCOL,
    SensorLoggerRecorder,
    platform_note,
)
from imu.live.events import SourceInfo
from imu.live.phone_setup import lan_address, listen_problem
from imu.live.sources.base import SourceLink

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
"""Largest push body accepted (a journal record holds at most 1 MiB)."""

DEVICE_GONE = "device gone"


class PushServerError(ImuError):
    """The push receiver cannot start (the message names the address and the fix)."""


def parse_listen(text: str) -> tuple[str, int]:
    """``PORT`` or ``HOST:PORT`` -> ``(host, port)`` (host ``0.0.0.0``: every interface).

    An IPv6 host is written in brackets, ``[::1]:8000``; the host returned has none.

    Raises:
        PushServerError: not a port number in 0..65535 (0: any free port, as ``--web``
            takes it; the push URL printed once the server listens names the real one).

    """
    host, _, port_text = text.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        port = int(port_text)
    except ValueError:
        port = -1
    if not 0 <= port < 65536:
        raise PushServerError(
            f"--sensor-logger-push {text!r}: give a port in 0-65535 (e.g. 8000; 0 picks a "
            "free one, named in the push URL printed) or HOST:PORT (e.g. 0.0.0.0:8000)"
        )
    return host or "0.0.0.0", port


def is_push(body: bytes) -> bool:
    """True if ``body`` is a JSON object with a ``payload`` list (Sensor Logger's push)."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("payload"), list)


def has_samples(body: bytes) -> bool:
    """True if a push body holds at least one sensor sample (a test push holds none)."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    payload = doc.get("payload") if isinstance(doc, dict) else None
    return isinstance(payload, list) and any(
        isinstance(item, dict) and "values" in item for item in payload
    )


class SensorLoggerSource:
    """Receives Sensor Logger's HTTP pushes (see the module docstring).

    Args:
        host: address to listen on (``0.0.0.0``: every interface).
        port: TCP port (0: any free port; :attr:`port` tells which once running).
        odr_hz: the grid rate, Hz (samples are interpolated onto it).
        platform: ``auto``, ``android``, ``ios`` or ``ios-standardised`` (see
            :mod:`imu.io.recorders.sensor_logger`).
        token: the URL token (default: a fresh ``secrets.token_urlsafe(16)``).
        idle_s: no push for this long marks the link down, s (wall clock).
        give_up_s: no push for this long after the first ends the session, s (wall clock).
        max_gap_s: longest interval between a stream's samples interpolated across, s.

    """

    label = "sensor-logger"
    acc_range_g = 16
    gyr_range_dps = 2000

    def __init__(
        self,
        host: str = "0.0.0.0",
        port: int = 8000,
        odr_hz: int = 100,
        platform: str = "auto",
        token: str | None = None,
        idle_s: float = 5.0,
        give_up_s: float = 120.0,
        max_gap_s: float = DEFAULT_MAX_GAP_S,
    ) -> None:
        self.host = host
        self.port = port
        self.odr_hz = int(odr_hz)
        self.platform = platform_note(platform)
        self.token = token or secrets.token_urlsafe(16)
        self.idle_s = idle_s
        self.give_up_s = give_up_s
        self.max_gap_s = max_gap_s
        self.started = asyncio.Event()
        """Set once the server listens (:attr:`port` is then the real port)."""
        self.pushes = 0
        self.refused = 0
        self.too_large = 0
        self._last_push: float | None = None
        self._up = False
        self._streaming = False
        self._link: SourceLink | None = None
        self.on_listening: Callable[[str], None] | None = None
        """Called with the push URL once the server listens (e.g. to print it and its QR
        code: a URL printed before the port is open may be one nobody can push to)."""

    @property
    def path(self) -> str:
        """The secret push path."""
        return f"/push/{self.token}"

    def url(self, address: str | None = None) -> str:
        """The URL to enter in Sensor Logger (``address``: default this computer's LAN IP)."""
        host = address or (self.host if self.host not in ("0.0.0.0", "::", "") else lan_address())
        if ":" in host:  # IPv6
            host = f"[{host}]"
        return f"http://{host}:{self.port}{self.path}"

    # ------------------------------------------------------------------ Source protocol
    def header_notes(self) -> dict[str, str]:
        """Recorder selection and settings for journal recovery."""
        return {"protocol": PROTOCOL, "platform": self.platform, "max_gap_s": repr(self.max_gap_s)}

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The push body decoder."""
        return SensorLoggerRecorder(header)

    async def run(self, link: SourceLink, stop: asyncio.Event) -> str:
        """Serve until ``stop`` is set or the phone is silent for ``give_up_s``."""
        self._link = link
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post("/push/{token}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except (OSError, OverflowError) as exc:
                problem = listen_problem(
                    exc, self.host, self.port, f"--sensor-logger-push {self.port + 1}",
                    f"--sensor-logger-push {self.port}",
                )
                raise PushServerError(
                    f"cannot listen on {self.host}:{self.port} for Sensor Logger pushes "
                    f"{problem}"
                ) from exc
            server = getattr(site, "_server", None)
            sockets = getattr(server, "sockets", None) or []
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
            self.started.set()
            logger.info("receiving Sensor Logger pushes at %s", self.url())
            if self.on_listening is not None:
                try:
                    self.on_listening(self.url())
                except Exception:  # telling the URL must never stop the session
                    logger.exception("could not show the push URL %s", self.url())
            return await self._watch(link, stop)
        finally:
            await runner.cleanup()

    async def _watch(self, link: SourceLink, stop: asyncio.Event) -> str:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), min(self.idle_s / 4, 0.5))
            if self._last_push is None or not self._streaming:
                continue
            silent = time.monotonic() - self._last_push
            if self._up and silent > self.idle_s:
                self._up = False
                link.disconnected()
                link.reconnecting(1, self.idle_s, f"no push for {silent:.0f} s")
            if silent > self.give_up_s:
                return DEVICE_GONE
        return "stopped"

    async def _handle(self, request: web.Request) -> web.Response:
        if not secrets.compare_digest(request.match_info["token"], self.token):
            self.refused += 1
            logger.warning("refused a push from %s with a wrong token", request.remote)
            return web.json_response({"error": "wrong token"}, status=403)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            self.refused += 1
            self.too_large += 1
            logger.warning(
                "refused a Sensor Logger push of more than %d bytes (HTTP 413): its samples are "
                "lost (a 'lost frames' gap); shorten the batch period in Sensor Logger (1000 ms) "
                "or turn off the sensors the analysis does not use", MAX_BODY_BYTES,
            )
            raise
        link = self._link
        if link is None:
            return web.json_response({"error": "not ready"}, status=503)
        if not self._up:
            self._up = True
            link.connected(SourceInfo(name="Sensor Logger", address=str(request.remote or ""),
                                      model="phone (Sensor Logger)"))
        link.frame(link.now(), body)
        self.pushes += 1
        self._last_push = time.monotonic()
        if not self._streaming:
            self._streaming = has_samples(body)
        if not is_push(body):  # journaled and counted all the same; the sender should know
            return web.json_response(
                {"error": "not a Sensor Logger push: JSON with a 'payload' list expected"},
                status=400,
            )
        return web.json_response({"ok": True})
