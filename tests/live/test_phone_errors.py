"""Phone sources given bad addresses, wrong servers and dropped links: one line naming the fix."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from imu.exercises import get_profile
from imu.live.session import LiveSession
from imu.live.sources.phyphox import PhoneError, PhyphoxSource, normalise_url

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.mark.parametrize("url", ["http://[::1", "192.168.1.23:80a80", "ftp://phone", "http://",
                                 "http://192.168.1.23:0"])
def test_bad_phyphox_addresses_are_named(url):
    with pytest.raises(PhoneError) as err:
        normalise_url(url)
    assert repr(url) in str(err.value) and "http://192.168.1.23:8080" in str(err.value)


def test_good_phyphox_addresses_are_kept():
    assert normalise_url("192.168.1.23:8080/") == "http://192.168.1.23:8080"
    assert normalise_url(" http://[fe80::1]:8080/get?x ") == "http://[fe80::1]:8080"


async def _against(routes: dict[str, Handler], tmp_path) -> None:
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        source = PhyphoxSource(f"127.0.0.1:{port}", timeout_s=1.0)
        session = LiveSession(source, get_profile("reverse-crunch"),
                              journal_path=str(tmp_path / "j.imuj"))
        await session.run()
    finally:
        await runner.cleanup()


def test_a_server_that_is_not_phyphox_is_named(tmp_path):
    with pytest.raises(PhoneError, match=r"answered HTTP 404 to phyphox's /config.*port"):
        asyncio.run(_against({}, tmp_path))


def test_a_web_page_instead_of_phyphox_is_named(tmp_path):
    async def page(_request: web.Request) -> web.Response:
        return web.Response(text="<html>router login</html>", content_type="text/html")

    with pytest.raises(PhoneError, match=r"not JSON.*'Allow remote access'"):
        asyncio.run(_against({"/config": page}, tmp_path))


def test_a_phone_lost_while_setting_up_is_a_phone_error(tmp_path):
    async def config(_request: web.Request) -> web.Response:
        inputs = [{"source": src, "outputs": [{c: f"{p}{c}"} for c in "xyzt"]}
                  for src, p in (("accelerometer", "a"), ("gyroscope", "g"))]
        return web.json_response({"title": "hip-imu", "inputs": inputs})

    async def gone(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()  # the Wi-Fi dropped
        return web.Response(status=503)

    with pytest.raises(PhoneError, match="stopped answering while the stream was set up"):
        asyncio.run(_against({"/config": config, "/get": gone}, tmp_path))


# ---------------------------------------------------------------------------- Sensor Logger
def _live_push(listen: str, tmp_path, capsys) -> tuple[int, str, str]:
    from imu.cli import main

    code = main(["live", "-e", "reverse-crunch", "--sensor-logger-push", listen, "--plain",
                 "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_push_port_in_use_fails_before_showing_a_url(tmp_path, capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = _live_push(f"127.0.0.1:{port}", tmp_path, capsys)
    assert code == 2
    assert "/push/" not in out  # no URL or QR code to type or scan in vain
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"port {port}" in err and f"--sensor-logger-push {port + 1}" in err


def test_push_host_not_of_this_computer_is_named(tmp_path, capsys):
    code, out, err = _live_push("192.0.2.123:18767", tmp_path, capsys)
    assert code == 2 and "/push/" not in out
    assert "'192.0.2.123' is not an address of this computer" in err
    assert "--sensor-logger-push 18767" in err


def test_push_listen_address_forms():
    from imu.live.sources.sensor_logger import SensorLoggerSource, parse_listen

    assert parse_listen("8000") == ("0.0.0.0", 8000)
    assert parse_listen(" 127.0.0.1:8001 ") == ("127.0.0.1", 8001)
    assert parse_listen("[::1]:8002") == ("::1", 8002)
    source = SensorLoggerSource("::1", 8002, token="t")
    assert source.url() == "http://[::1]:8002/push/t"


def _push_then_wait(bodies: list[bytes], wait_s: float, tmp_path) -> tuple[str, bool]:
    """Push ``bodies``, wait; returns (end reason, whether it ended on its own)."""
    import aiohttp

    from imu.live.sources.sensor_logger import SensorLoggerSource

    async def main() -> tuple[str, bool]:
        source = SensorLoggerSource("127.0.0.1", 0, idle_s=0.1, give_up_s=0.3)
        session = LiveSession(source, get_profile("reverse-crunch"),
                              journal_path=str(tmp_path / "sl.imuj"))
        task = asyncio.create_task(session.run())
        await asyncio.wait_for(source.started.wait(), 5)
        async with aiohttp.ClientSession() as http:
            for body in bodies:
                async with http.post(source.url("127.0.0.1"), data=body) as resp:
                    assert resp.status == 200
        await asyncio.sleep(wait_s)
        ended = task.done()
        session.stop()
        result = await task
        return result.reason, ended

    return asyncio.run(main())


def test_a_test_push_does_not_start_the_give_up_clock(tmp_path):
    import json

    test_push = json.dumps({"messageId": 0, "sessionId": "t", "deviceId": "d", "payload": []})
    reason, ended = _push_then_wait([test_push.encode()], 1.0, tmp_path)
    assert (reason, ended) == ("stopped", False)


def test_a_phone_that_stops_pushing_samples_is_given_up(tmp_path):
    import json

    sample = {"name": "gyroscope", "time": 10**18, "values": {"x": 0.0, "y": 0.0, "z": 0.0}}
    push = json.dumps({"messageId": 0, "sessionId": "s", "deviceId": "d", "payload": [sample]})
    reason, ended = _push_then_wait([push.encode()], 1.5, tmp_path)
    assert (reason, ended) == ("device gone", True)


def test_a_push_too_large_is_refused_aloud(tmp_path, caplog):
    import logging

    import aiohttp

    from imu.live.sources.sensor_logger import MAX_BODY_BYTES, SensorLoggerSource

    async def main() -> int:
        source = SensorLoggerSource("127.0.0.1", 0)
        session = LiveSession(source, get_profile("reverse-crunch"),
                              journal_path=str(tmp_path / "sl.imuj"))
        task = asyncio.create_task(session.run())
        await asyncio.wait_for(source.started.wait(), 5)
        async with aiohttp.ClientSession() as http:
            body = b'{"messageId": 0, "payload": [' + b" " * MAX_BODY_BYTES + b"]}"
            async with http.post(source.url("127.0.0.1"), data=body) as resp:
                status = resp.status
        session.stop()
        await task
        assert source.too_large == 1
        return status

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(main()) == 413
    said = [r.getMessage() for r in caplog.records if "HTTP 413" in r.getMessage()]
    assert len(said) == 1 and "shorten the batch period" in said[0]


def test_a_body_that_is_no_push_gets_400_and_is_still_journaled(tmp_path):
    import aiohttp

    from imu.io.journal import read_journal
    from imu.live.sources.sensor_logger import SensorLoggerSource

    journal = tmp_path / "sl.imuj"

    async def main() -> list[int]:
        source = SensorLoggerSource("127.0.0.1", 0)
        session = LiveSession(source, get_profile("reverse-crunch"), journal_path=str(journal))
        task = asyncio.create_task(session.run())
        await asyncio.wait_for(source.started.wait(), 5)
        statuses = []
        async with aiohttp.ClientSession() as http:
            for body in (b"garbage", b"[1, 2]", b'{"messageId": 0, "payload": []}'):
                async with http.post(source.url("127.0.0.1"), data=body) as resp:
                    statuses.append(resp.status)
        session.stop()
        await task
        return [*statuses, read_journal(journal).n_frames]

    assert asyncio.run(main()) == [400, 400, 200, 3]
