"""The coaching page's web server (aiohttp), run in the live session's event loop.

Routes (every one needs ``?token=TOKEN``, the session's random token; without it: 403 and a
line saying to open the printed URL):

- ``GET /``: the page (``static/index.html``, its asset links carrying the token);
- ``GET /static/NAME``: the page's own CSS and JavaScript (package data; nothing external);
- ``GET /state``: the state as JSON (:meth:`CoachingState.snapshot`);
- ``GET /events``: server-sent events, one ``state`` message with the whole snapshot at
  connection and after every change (coalesced), and a comment line as keep-alive.

The server binds to loopback unless told otherwise: ``--web 0.0.0.0:8765`` serves the local
network, and the printed URL then carries the machine's LAN address.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from aiohttp import web

from imu.errors import ImuError
from imu.live.phone_setup import lan_address
from imu.live.web.view import WebView

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_HOST = "127.0.0.1"
"""Bind address when ``--web`` names none: loopback (this machine only)."""

DEFAULT_PORT = 8765
"""Port when ``--web`` names none (0 picks a free one)."""

KEEPALIVE_S = 15.0
"""An idle event stream gets a comment line this often (host s), so proxies keep it open."""

RETRY_MS = 1000
"""How soon a page's EventSource reconnects after the stream dropped, ms."""

FORBIDDEN_TEXT = (
    "403 Forbidden: this coaching screen needs the session's token. Open the URL that "
    "'imu live --web' printed in the terminal (or scan its QR code)."
)

_STATIC: dict[str, str] = {
    "index.html": "text/html",
    "app.css": "text/css",
    "app.js": "text/javascript",
}
"""The page's files (``imu/live/web/static/``) and their content types."""

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'"
    ),
}


class WebAddressError(ImuError, ValueError):
    """A ``--web`` address that is not ``HOST:PORT``."""


@dataclass(frozen=True)
class WebAddress:
    """Where the server listens: ``host`` (an IP or a name) and ``port`` (0: a free one)."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    @property
    def public(self) -> bool:
        """Whether the server listens on every interface (0.0.0.0 or ::)."""
        return self.host in ("0.0.0.0", "::")


def parse_web_address(text: str) -> WebAddress:
    """Parse ``HOST:PORT``, ``HOST``, ``:PORT`` or ``PORT`` (IPv6 as ``[::1]:8765``).

    Raises:
        WebAddressError: the port is not a number in 0-65535, or the host is empty.

    """
    hint = "give --web HOST:PORT, e.g. 127.0.0.1:8765 (this machine) or 0.0.0.0:8765 (LAN)"
    s = text.strip()
    host, port_text = DEFAULT_HOST, ""
    if s.startswith("["):
        end = s.find("]")
        if end < 0:
            raise WebAddressError(f"--web {text!r}: unclosed '[' in an IPv6 address; {hint}")
        host, rest = s[1:end], s[end + 1:]
        if rest and not rest.startswith(":"):
            raise WebAddressError(f"--web {text!r}: expected ':PORT' after ']'; {hint}")
        port_text = rest[1:]
    elif s.isdigit():
        port_text = s
    elif s.count(":") == 1:
        host, port_text = s.split(":")
        host = host or DEFAULT_HOST
    elif s.count(":") > 1:
        host = s  # a bare IPv6 address
    else:
        host = s
    if not host:
        raise WebAddressError(f"--web {text!r}: no host; {hint}")
    if not port_text:
        return WebAddress(host, DEFAULT_PORT)
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise WebAddressError(f"--web {text!r}: port {port_text!r} is not 0-65535; {hint}")
    return WebAddress(host, int(port_text))


def page_url(host: str, port: int, token: str) -> str:
    """``http://HOST:PORT/?token=TOKEN`` (IPv6 hosts in brackets)."""
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/?token={token}"


def _static_text(name: str) -> str:
    return (resources.files("imu.live.web") / "static" / name).read_text(encoding="utf-8")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class CoachingServer:
    """Serves the coaching page of one live session.

    Args:
        view: the session's :class:`WebView` (state and subscribers).
        address: where to listen.
        token: the session token (default: ``secrets.token_urlsafe(16)``).

    Use ``await start()`` (returns the page's URL), then ``await stop()``; or
    ``async with CoachingServer(...) as server``.

    """

    def __init__(self, view: WebView, address: WebAddress | None = None,
                 token: str | None = None) -> None:
        self.view = view
        self.address = address or WebAddress()
        self.token = token or secrets.token_urlsafe(16)
        self.app = self.make_app()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.url: str | None = None

    # ------------------------------------------------------------------ app
    def make_app(self) -> web.Application:
        """The aiohttp application (tests run it with aiohttp's test client)."""
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/state", self._state)
        app.router.add_get("/events", self._events)
        app.on_shutdown.append(self._on_shutdown)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse every request without the session token (403, plain text)."""
        given = request.query.get("token", "")
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            logger.info("refused %s %s: no or wrong token", request.method, request.path)
            return web.Response(status=403, text=FORBIDDEN_TEXT, headers=_HEADERS)
        response = await handler(request)
        if not response.prepared:
            response.headers.update(_HEADERS)
        return response

    async def _index(self, request: web.Request) -> web.Response:
        html = _static_text("index.html").replace("__TOKEN__", self.token)
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    async def _static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC or name == "index.html":
            raise web.HTTPNotFound(text=f"no such file: {name}")
        return web.Response(text=_static_text(name), content_type=_STATIC[name],
                            charset="utf-8")

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(self.view.state.snapshot())

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={
            **_HEADERS, "Content-Type": "text/event-stream", "X-Accel-Buffering": "no",
        })
        await response.prepare(request)
        sub = self.view.subscribe()
        try:
            await response.write(f"retry: {RETRY_MS}\n\n".encode())
            while True:
                changed = await sub.wait(KEEPALIVE_S)
                if changed:
                    snap = self.view.state.snapshot()
                    data = json.dumps(snap, separators=(",", ":"), allow_nan=False)
                    await response.write(
                        f"id: {snap['seq']}\nevent: state\ndata: {data}\n\n".encode()
                    )
                else:
                    await response.write(b": keep-alive\n\n")
                if sub.closed:
                    break
        except (ConnectionResetError, ConnectionError):
            logger.debug("an event stream closed")
        finally:
            self.view.unsubscribe(sub)
        return response

    async def _on_shutdown(self, app: web.Application) -> None:
        self.view.close()

    # ------------------------------------------------------------------ running
    async def start(self) -> str:
        """Listen; returns the page's URL (with the real port when ``port`` was 0).

        Raises:
            ImuError: the address cannot be bound (in use, not this machine's).

        """
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.address.host, self.address.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise ImuError(
                f"--web {self.address.host}:{self.address.port}: cannot listen there "
                f"({os.strerror(exc.errno).lower() if exc.errno else exc}); give another "
                f"port (e.g. --web "
                f"{self.address.host}:0 picks a free one)"
            ) from None
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        host = lan_address() if self.address.public else self.address.host
        self.url = page_url(host, self.port, self.token)
        logger.info("coaching page at %s", self.url)
        return self.url

    async def stop(self) -> None:
        """Send the last state to the open pages, close their streams and stop listening."""
        if self._runner is not None:
            self.view.close()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> CoachingServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()


async def serve_while(run: Awaitable[T], server: CoachingServer,
                      announce: Callable[[str], None]) -> T:
    """Serve the page while ``run`` (the live session) runs; ``announce(url)`` once listening.

    The server stops after ``run`` returns (the pages get the final state first). When the
    server cannot start (a port in use), ``run`` is closed unstarted, so no "coroutine was
    never awaited" warning follows the one-line error.
    """
    try:
        await server.start()
    except BaseException:
        if inspect.iscoroutine(run):
            run.close()
        raise
    try:
        assert server.url is not None
        announce(server.url)
        return await run
    finally:
        await server.stop()
