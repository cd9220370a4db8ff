"""phyphox as a live source: poll the phone's remote-access REST API over the LAN.

Usage: load the hip-imu experiment in phyphox (``imu phone-setup phyphox`` serves it and prints
a QR code), turn on "Allow remote access" in its menu, then ``imu live -e E --phyphox
http://PHONE:8080``. The API (https://phyphox.org/wiki/index.php/Remote-interface_communication)
and how each response is decoded are described in :mod:`imu.io.recorders.phyphox`.

What this source does:

1. ``GET /config``: the experiment must have an accelerometer (with gravity) and a gyroscope,
   each with x, y, z and t buffers; otherwise an :class:`~imu.errors.ImuError` names what it
   has and how to load ours. A phone that does not answer is an error naming the URL and what
   to check (same Wi-Fi, remote access on, the address phyphox shows).
2. ``GET /get`` with single-value requests: the newest times, so streaming starts from now
   (old data in the buffers is left alone); ``GET /control?cmd=start`` if the experiment is not
   measuring (and ``cmd=stop`` at the end, only then).
3. Every ``poll_s``: ``GET /get?accX=T|acc_time&...&acc_time=T&gyrX=U|gyr_time&...`` with the
   last time received per stream: only newer samples come back. ``GET /time`` (the pause/start
   mapping) when measuring starts again, the session changes or data comes back in full.
   Each response used is pushed to the session as one payload (journaled as received; a
   response over :data:`MAX_PAYLOAD_BYTES` is split into several ``/get`` bodies of the same
   shape).
4. A request that fails marks the link ``disconnected`` and retries with backoff; phyphox keeps
   measuring meanwhile, so on reconnection the samples it buffered are fetched and nothing is
   lost. After ``give_up_s`` without an answer the session ends (``device gone``).

Connections are not kept alive (``force_close``): phyphox's small HTTP server handles one
request per connection best (noted by the authors of several clients).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

from imu.errors import ImuError
from imu.io.recorders import FrameRecorder, StreamHeader
from imu.io.recorders.phyphox import (
    DEFAULT_BUFFERS,
    DEFAULT_MAX_GAP_S,
    PROTOCOL,
    PhyphoxDataError,
    PhyphoxRecorder,
    envelope,
    parse_config,
    parse_get,
)
from imu.io.recorders.timed import Stream
from imu.live.events import SourceInfo
from imu.live.sources.base import SourceLink

logger = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 512 * 1024
"""Largest payload handed to the journal (its records hold at most 1 MiB)."""

DEVICE_GONE = "device gone"


class PhoneError(ImuError):
    """A phone app cannot be reached or does not offer what the analysis needs."""


REMOTE_PATHS = frozenset({"", "/", "/get", "/config", "/control", "/time", "/export", "/meta"})
"""Paths of phyphox's own remote interface: a URL copied with one of them is the phone's."""


def normalise_url(url: str) -> str:
    """``PHONE[:PORT]`` or ``http://PHONE:PORT/get?...`` -> ``http://PHONE:PORT`` (no path).

    The path is dropped only when it is phyphox's own (its page, or a request of its remote
    interface, copied from a browser); anything else after the address (a blank and more
    words, another path) is refused: it was dropped without a word, so a mistyped or
    misquoted address went unnoticed.

    Raises:
        PhoneError: not an http URL with a host and, if given, a port number in 1-65535, or
            something other than phyphox's own paths after it.

    """
    text = url.strip()
    fix = ("give the address phyphox shows under 'Allow remote access', e.g. "
           "http://192.168.1.23:8080")
    if any(c.isspace() or not c.isprintable() for c in text):
        raise PhoneError(f"phyphox address {url!r} has a blank or a control character in it "
                         f"(something after the address?); give only {fix.removeprefix('give ')}")
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # a bad port, or an unclosed [IPv6 address
        raise PhoneError(f"phyphox address {url!r} is not a valid URL ({exc}); {fix}") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise PhoneError(f"phyphox address {url!r} is not an http URL; {fix}")
    if port == 0:
        raise PhoneError(f"phyphox address {url!r} has port 0; {fix}")
    if parts.path.rstrip("/") not in REMOTE_PATHS:
        what = ("the experiment's file that 'imu phone-setup phyphox' serves, not the phone"
                if parts.path.endswith(".phyphox") else "no page of phyphox's")
        raise PhoneError(f"phyphox address {url!r} has {parts.path!r} after the address, "
                         f"{what}; {fix}")
    return f"{parts.scheme}://{parts.netloc}"


def _fmt(t: float) -> str:
    return repr(float(t))


class PhyphoxSource:
    """Streams from phyphox's remote-access API (see the module docstring).

    Args:
        url: the address phyphox shows, e.g. ``http://192.168.1.23:8080``.
        odr_hz: the grid rate, Hz (the phone's own rate is whatever it delivers; samples are
            interpolated onto this grid).
        poll_s: time between requests, s (wall clock).
        timeout_s: one request's timeout, s.
        give_up_s: end the session after this long without an answer, s (wall clock).
        max_gap_s: longest interval between a stream's samples interpolated across, s.
        control: start the measurement if the phone is not measuring (and stop it at the end).

    """

    label = "phyphox"
    acc_range_g = 16
    gyr_range_dps = 2000

    def __init__(
        self,
        url: str,
        odr_hz: int = 100,
        poll_s: float = 0.1,
        timeout_s: float = 3.0,
        give_up_s: float = 60.0,
        max_gap_s: float = DEFAULT_MAX_GAP_S,
        control: bool = True,
    ) -> None:
        self.url = normalise_url(url)
        self.odr_hz = int(odr_hz)
        self.poll_s = poll_s
        self.timeout_s = timeout_s
        self.give_up_s = give_up_s
        self.max_gap_s = max_gap_s
        self.control = control
        self.buffers = dict(DEFAULT_BUFFERS)
        self._last: dict[Stream, float] = {s: -math.inf for s in Stream}
        self._session = ""
        self._measuring: bool | None = None
        self._started_it = False
        self.title = ""

    # ------------------------------------------------------------------ Source protocol
    def header_notes(self) -> dict[str, str]:
        """Recorder selection and settings for journal recovery."""
        return {"protocol": PROTOCOL, "url": self.url, "max_gap_s": repr(self.max_gap_s)}

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The phyphox response decoder."""
        return PhyphoxRecorder(header)

    async def run(self, link: SourceLink, stop: asyncio.Event) -> str:
        """Poll until ``stop`` is set or the phone is gone for ``give_up_s``."""
        connector = aiohttp.TCPConnector(force_close=True)
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            await self._open(http, link)
            info = SourceInfo(name=f"phyphox ({self.title})", address=self.url,
                              model="phone (phyphox)")
            link.connected(info)
            lost_since: float | None = None
            attempt = 0
            while True:
                stopping = stop.is_set()
                try:
                    await self._poll(http, link)
                except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                    now = time.monotonic()
                    if lost_since is None:
                        lost_since = now
                        link.disconnected()
                    if stopping or now - lost_since > self.give_up_s:
                        logger.warning("phyphox at %s does not answer: %s", self.url, exc)
                        return "stopped" if stopping else DEVICE_GONE
                    attempt += 1
                    delay = min(0.25 * 2 ** (attempt - 1), 4.0)
                    link.reconnecting(attempt, delay, _say(exc))
                    await _sleep_or_stop(stop, delay)
                    continue
                if lost_since is not None:
                    lost_since, attempt = None, 0
                    link.connected(info)
                if stopping:
                    await self._stop_measuring(http)
                    return "stopped"
                await _sleep_or_stop(stop, self.poll_s)

    # ------------------------------------------------------------------ steps
    async def _fetch(self, http: aiohttp.ClientSession, path: str) -> bytes:
        async with http.get(self.url + path) as resp:
            body = await resp.read()
            if resp.status != 200:
                raise aiohttp.ClientResponseError(
                    resp.request_info, (), status=resp.status,
                    message=body[:80].decode("utf-8", "replace"),
                )
            return body

    async def _open(self, http: aiohttp.ClientSession, link: SourceLink) -> None:
        try:
            body = await self._fetch(http, "/config")
        except aiohttp.ClientResponseError as exc:
            raise PhoneError(
                f"{self.url} answered HTTP {exc.status} to phyphox's /config: it is not "
                "phyphox's remote access (or a phyphox too old for it); check the address "
                "phyphox shows under 'Allow remote access', port included"
            ) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise PhoneError(
                f"phyphox at {self.url} does not answer ({_say(exc)}); check that the phone is "
                "on the same Wi-Fi, phyphox shows this address under 'Allow remote access', and "
                "the screen is on"
            ) from exc
        try:
            self.buffers = parse_config(body)
            doc = json.loads(body)
            self.title = str(doc.get("title", "")) if isinstance(doc, dict) else ""
        except (PhyphoxDataError, ValueError) as exc:
            hint = "" if "phone-setup" in str(exc) else (
                "; check the address phyphox shows under 'Allow remote access'"
            )
            raise PhoneError(f"phyphox at {self.url}: {exc}{hint}") from exc
        link.frame(link.now(), envelope("/config", body))
        try:
            await self._start_streaming(http, link)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise PhoneError(
                f"phyphox at {self.url} stopped answering while the stream was set up "
                f"({_say(exc)}); check the Wi-Fi and that phyphox stays in front with the "
                "screen on, then start again"
            ) from exc

    async def _start_streaming(self, http: aiohttp.ClientSession, link: SourceLink) -> None:
        """Newest times (stream from now), start measuring if needed, the pause mapping."""
        # Start from now: the newest time of each stream (single-value requests).
        names = [self.buffers[s][3] for s in Stream]
        body = await self._fetch(http, "/get?" + urlencode(dict.fromkeys(names, "")))
        try:
            doc = json.loads(body)
            for s in Stream:
                values = doc["buffer"][self.buffers[s][3]]["buffer"]
                last = values[-1] if values else None
                self._last[s] = float(last) if isinstance(last, int | float) else -math.inf
            status = doc.get("status") or {}
            self._measuring = status.get("measuring")
            self._session = str(status.get("session", ""))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise PhoneError(f"phyphox at {self.url} answered /get oddly: {exc}") from exc
        if self.control and self._measuring is False:
            body = await self._fetch(http, "/control?cmd=start")
            self._started_it = b"true" in body
            if not self._started_it:
                logger.warning("phyphox at %s refused to start measuring: %r", self.url, body)
            self._measuring = None  # fetch /time once it measures
        await self._fetch_time(http, link)

    async def _fetch_time(self, http: aiohttp.ClientSession, link: SourceLink) -> None:
        try:
            body = await self._fetch(http, "/time")
        except aiohttp.ClientResponseError as exc:  # phyphox before 1.1.8 has no /time
            logger.info("phyphox /time unavailable (%s); pauses are not placed", exc.status)
            return
        link.frame(link.now(), envelope("/time", body))

    def _query(self) -> str:
        params: dict[str, str] = {}
        for s in Stream:
            x, y, z, t = self.buffers[s]
            last = self._last[s]
            if math.isfinite(last):
                for name in (x, y, z):
                    params[name] = f"{_fmt(last)}|{t}"
                params[t] = _fmt(last)
            else:
                params.update(dict.fromkeys((x, y, z, t), "full"))
        return "/get?" + urlencode(params)

    async def _poll(self, http: aiohttp.ClientSession, link: SourceLink) -> None:
        body = await self._fetch(http, self._query())
        received = link.now()
        try:
            data = parse_get(body, self.buffers)
        except PhyphoxDataError:
            link.frame(received, envelope("/get", body))  # the recorder counts it as bad
            return
        need_time = (
            (data.measuring and not self._measuring)
            or (bool(data.session) and data.session != self._session)
            or data.full
        )
        self._measuring = data.measuring
        self._session = data.session or self._session
        if need_time:
            await self._fetch_time(http, link)
        for s, (t, _) in data.samples.items():
            finite = t[t == t]
            if finite.size:
                self._last[s] = max(self._last[s], float(finite.max()))
        for part in split_get(body, MAX_PAYLOAD_BYTES):
            link.frame(received, envelope("/get", part))

    async def _stop_measuring(self, http: aiohttp.ClientSession) -> None:
        if not (self.control and self._started_it):
            return
        with contextlib.suppress(aiohttp.ClientError, TimeoutError, OSError):
            await self._fetch(http, "/control?cmd=stop")


def split_get(body: bytes, max_bytes: int) -> list[bytes]:
    """A ``/get`` body, or several of the same shape each under ``max_bytes`` (by halving)."""
    if len(body) <= max_bytes:
        return [body]
    try:
        doc = json.loads(body)
        buffers: dict[str, Any] = doc["buffer"]
        n = max(len(v["buffer"]) for v in buffers.values())
    except (ValueError, KeyError, TypeError):
        return [body[:max_bytes]]  # unusable anyway: the recorder counts it as a bad payload
    if n < 2:
        return [body]
    half = n // 2
    parts = []
    for lo, hi in ((0, half), (half, n)):
        part = {k: {**v, "buffer": v["buffer"][lo:hi]} for k, v in buffers.items()}
        parts.append(json.dumps({"buffer": part, "status": doc.get("status", {})}).encode())
    return [p for chunk in parts for p in split_get(chunk, max_bytes)]


async def _sleep_or_stop(stop: asyncio.Event, delay_s: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay_s)


def _say(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
