"""The coaching page's server: the token check, the routes, the event stream, the address."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from imu.errors import ImuError
from imu.live.events import RepDone
from imu.live.web import server as server_mod
from imu.live.web.server import (
    FORBIDDEN_TEXT,
    CoachingServer,
    WebAddress,
    WebAddressError,
    page_url,
    parse_web_address,
)
from imu.live.web.state import CoachingState
from imu.live.web.view import WebView
from tests.live.web_support import CRUNCH_TEMPO
from tests.live.web_support import crunch_reps as load_crunch_reps

TOKEN = "s3cret-token_x"


@pytest.fixture(scope="module")
def crunch_reps():
    """The bundled reverse crunch's 12 reps (analysed once per session)."""
    return list(load_crunch_reps())


def make_server() -> CoachingServer:
    view = WebView(CoachingState("Reverse crunch", CRUNCH_TEMPO))
    return CoachingServer(view, WebAddress("127.0.0.1", 0), token=TOKEN)


def with_client(test: Callable[[TestClient[Any, Any], CoachingServer], Awaitable[None]]) -> None:
    async def main() -> None:
        server = make_server()
        async with TestClient(TestServer(server.app)) as client:
            await test(client, server)

    asyncio.run(main())


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/app.css", "/state", "/events",
                                  "/favicon.ico", "/nothing"])
@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={TOKEN}x",
                                   f"?Token={TOKEN}"])
def test_every_request_without_the_token_is_refused(path, query):
    async def check(client, _server):
        response = await client.get(path + query)
        assert response.status == 403
        text = await response.text()
        assert text == FORBIDDEN_TEXT
        assert "printed" in text and "QR code" in text

    with_client(check)


def test_with_the_token_the_page_its_assets_and_the_state_are_served():
    async def check(client, server):
        page = await client.get(f"/?token={TOKEN}")
        assert page.status == 200 and page.content_type == "text/html"
        html = await page.text()
        # Every asset link carries the token; nothing is loaded from elsewhere.
        assert f"static/app.js?token={TOKEN}" in html and f"static/app.css?token={TOKEN}" in html
        assert "http://" not in html and "https://" not in html and "//" not in html.replace(
            "<!doctype", "")
        assert 'id="rep-count"' in html and 'id="phase"' in html and 'id="cue"' in html
        assert page.headers["Cache-Control"] == "no-store"
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
        for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
            asset = await client.get(f"/static/{name}?token={TOKEN}")
            assert asset.status == 200 and asset.content_type == kind
            body = await asset.text()
            assert "http://" not in body and "https://" not in body
        missing = await client.get(f"/static/secret.py?token={TOKEN}")
        assert missing.status == 404
        state = await client.get(f"/state?token={TOKEN}")
        assert state.status == 200
        assert await state.json() == json.loads(json.dumps(server.view.state.snapshot()))

    with_client(check)


async def _next_state(content: Any) -> dict[str, Any]:
    """Read server-sent events up to the next ``state`` message; returns its data."""
    event, data = None, None
    while True:
        line = (await asyncio.wait_for(content.readline(), 10)).decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and event == "state" and data is not None:
            return dict(json.loads(data))


def test_the_event_stream_sends_the_state_then_every_change(crunch_reps):
    async def check(client, server):
        response = await client.get(f"/events?token={TOKEN}")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        first = await _next_state(response.content)
        assert first["count"] == 0
        assert server.view.subscribers == 1
        # A burst of events before the stream is read: the newest state arrives.
        for rep in crunch_reps[:3]:
            server.view(RepDone(rep, 0.0, 0.0))
        state = await _next_state(response.content)
        while state["count"] < 3:
            state = await _next_state(response.content)
        assert state["count"] == 3 and state["reps"][2]["swing"]
        response.close()

    with_client(check)


def test_start_on_port_zero_serves_on_a_free_port_and_stop_ends_the_streams(crunch_reps):
    async def main() -> None:
        server = make_server()
        url = await server.start()
        assert server.port and server.port != 0
        assert url == f"http://127.0.0.1:{server.port}/?token={TOKEN}"
        from aiohttp import ClientSession

        async with ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{server.port}/state") as r:
                assert r.status == 403
            async with http.get(url.replace("/?", "/events?")) as stream:
                assert (await _next_state(stream.content))["count"] == 0
                await server.stop()
                # The stream ends (the page's EventSource would retry, and be refused).
                rest = await asyncio.wait_for(stream.content.read(), 10)
                assert b"event: state" in rest or rest == b""
        assert server.view.subscribers == 0

    asyncio.run(main())


def test_a_busy_port_is_a_clean_error():
    async def main() -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            view = WebView(CoachingState("x", CRUNCH_TEMPO))
            server = CoachingServer(view, WebAddress("127.0.0.1", port))
            with pytest.raises(ImuError, match=rf"--web 127.0.0.1:{port}: cannot listen there "
                               r"\(address already in use\); give another port.*:0"):
                await server.start()

    asyncio.run(main())


def test_the_token_is_random_and_url_safe():
    view = WebView(CoachingState("x", CRUNCH_TEMPO))
    tokens = {CoachingServer(view).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 20 and all(c.isalnum() or c in "-_" for c in t) for t in tokens)


def test_listening_on_every_interface_prints_the_lan_address(monkeypatch):
    monkeypatch.setattr(server_mod, "lan_address", lambda: "192.168.1.23")

    async def main() -> None:
        view = WebView(CoachingState("x", CRUNCH_TEMPO))
        server = CoachingServer(view, WebAddress("0.0.0.0", 0), token=TOKEN)
        url = await server.start()
        try:
            assert url == f"http://192.168.1.23:{server.port}/?token={TOKEN}"
        finally:
            await server.stop()

    asyncio.run(main())


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1:8765", WebAddress("127.0.0.1", 8765)),
    ("0.0.0.0:0", WebAddress("0.0.0.0", 0)),
    ("0.0.0.0", WebAddress("0.0.0.0", 8765)),
    (":9000", WebAddress("127.0.0.1", 9000)),
    ("9000", WebAddress("127.0.0.1", 9000)),
    ("localhost:80", WebAddress("localhost", 80)),
    ("[::1]:8000", WebAddress("::1", 8000)),
    ("[::]", WebAddress("::", 8765)),
    ("::", WebAddress("::", 8765)),
])
def test_web_addresses(text, expected):
    assert parse_web_address(text) == expected


@pytest.mark.parametrize("text", ["host:port", "127.0.0.1:70000", "[::1", "[::1]x", "1.2.3.4:-1"])
def test_bad_web_addresses_say_how_to_write_one(text):
    with pytest.raises(WebAddressError, match="HOST:PORT"):
        parse_web_address(text)


def test_page_urls():
    assert page_url("::1", 80, "t") == "http://[::1]:80/?token=t"
    assert page_url("192.168.1.23", 8765, TOKEN) == f"http://192.168.1.23:8765/?token={TOKEN}"



def test_a_failing_view_is_dropped_alone():
    from imu.live.web.view import ViewGroup

    seen: list[object] = []

    def broken(_event: object) -> None:
        raise RuntimeError("a bug in a view")

    group = ViewGroup(broken, seen.append)
    group("a")
    group("b")
    assert seen == ["a", "b"] and group.views == [seen.append]


def test_serve_while_announces_the_url_then_stops():
    from imu.live.web.server import serve_while

    async def main() -> None:
        server = make_server()
        urls: list[str] = []

        async def session() -> int:
            assert server.port is not None
            return 7

        assert await serve_while(session(), server, urls.append) == 7
        assert urls == [server.url]
        assert server._runner is None

    asyncio.run(main())


@pytest.mark.parametrize("address", ["host:port", "127.0.0.1:70000"])
def test_imu_live_refuses_a_bad_web_address_in_one_line(address, tmp_path, capsys):
    from imu.cli import main

    args = ["live", "--sim", "reverse-crunch", "--out", str(tmp_path), "--web", address]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--web" in err and "HOST:PORT" in err


def test_web_option_defaults_to_loopback():
    import argparse

    from imu.cli._web import add_web_option

    p = argparse.ArgumentParser()
    add_web_option(p)
    assert p.parse_args([]).web is None
    assert p.parse_args(["--web"]).web == WebAddress("127.0.0.1", 8765)
    assert p.parse_args(["--web", "0.0.0.0:0"]).web == WebAddress("0.0.0.0", 0)


def test_serve_while_on_a_busy_port_closes_the_session_it_never_started():
    import inspect

    from imu.live.web.server import serve_while

    async def session() -> int:
        return 7

    async def main() -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            view = WebView(CoachingState("x", CRUNCH_TEMPO))
            server = CoachingServer(view, WebAddress("127.0.0.1", busy.getsockname()[1]))
            run = session()
            with pytest.raises(ImuError, match="cannot listen"):
                await serve_while(run, server, lambda url: None)
            # Left unstarted, it would print "coroutine '_run_sim' was never awaited" under
            # imu live's one-line error.
            assert inspect.getcoroutinestate(run) == inspect.CORO_CLOSED

    asyncio.run(main())


def test_before_the_first_state_the_page_shows_no_count():
    """A reload showed a count of "0" (and "waiting for the sensor") until the state came."""
    from html.parser import HTMLParser

    class Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: str | None = None
            self.text: dict[str, str] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.open = dict(attrs).get("id")

        def handle_endtag(self, tag: str) -> None:
            self.open = None

        def handle_data(self, data: str) -> None:
            if self.open:
                self.text[self.open] = self.text.get(self.open, "") + data

    async def check(client, server):
        page = await client.get(f"/?token={TOKEN}")
        texts = Texts()
        texts.feed(await page.text())
        assert texts.text["rep-count"] == "–"
        assert texts.text["phase"] == "connecting…"

    with_client(check)
