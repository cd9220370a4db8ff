"""``imu phone-setup phyphox``: the QR code holds a URL the phone can use, or says why not.

It printed the LAN address while listening on loopback only, and pasted ``--address`` into the
URL as given (``http://http://10.0.0.5:8765/:8765/...``, ``http://10.0.0.5:9000:8765/...``).
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

import imu.cli.phone_setup as phone_setup
from imu.cli import main
from imu.errors import ImuError
from tests.cli.helpers import one_error_line


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Serving is faked: it tells at once and returns; the (host, port) listened on."""
    calls: list[tuple[str, int]] = []

    async def fake(host: str, port: int, tell: Callable[[], None],
                   on_download: Callable[[str], None] | None = None) -> None:
        calls.append((host, port))
        tell()

    monkeypatch.setattr(phone_setup, "_serve_then", fake)
    monkeypatch.setattr(phone_setup, "lan_address", lambda: "192.0.2.50")
    return calls


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Host names resolve only when they are 'mylaptop.lan' or 'localhost'."""
    known = {"mylaptop.lan": "192.0.2.60", "localhost": "127.0.0.1"}

    def getaddrinfo(host: str, *args: object, **kwargs: object) -> list[tuple]:
        if host not in known:
            raise socket.gaierror(-2, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (known[host], 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _served_url(out: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith("serving ")]
    return line.split()[1]


def test_loopback_host_advertises_loopback_and_warns(served, capsys) -> None:
    """It listened on 127.0.0.1 but put the LAN address in the QR code, silently."""
    assert main(["phone-setup", "phyphox", "--host", "127.0.0.1", "--port", "18801"]) == 0
    out = capsys.readouterr().out
    assert served == [("127.0.0.1", 18801)]
    assert _served_url(out) == "http://127.0.0.1:18801/hip-imu.phyphox"
    assert "192.0.2.50" not in out
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "--host 127.0.0.1 serves this computer only" in warnings[0]
    assert "a phone cannot" in warnings[0] and "leave --host out" in warnings[0]


def test_ipv6_loopback_host_is_bracketed_in_the_url(served, capsys) -> None:
    assert main(["phone-setup", "phyphox", "--host", "::1", "--port", "18801"]) == 0
    out = capsys.readouterr().out
    assert _served_url(out) == "http://[::1]:18801/hip-imu.phyphox"
    assert "serves this computer only" in out


def test_every_interface_advertises_the_lan_address_without_warning(served, capsys) -> None:
    assert main(["phone-setup", "phyphox", "--port", "18801"]) == 0
    out = capsys.readouterr().out
    assert served == [("0.0.0.0", 18801)]
    assert _served_url(out) == "http://192.0.2.50:18801/hip-imu.phyphox"
    assert "warning" not in out


def test_a_specific_host_is_the_address_advertised(served, capsys) -> None:
    assert main(["phone-setup", "phyphox", "--host", "192.0.2.70", "--port", "18801"]) == 0
    assert _served_url(capsys.readouterr().out) == "http://192.0.2.70:18801/hip-imu.phyphox"


def test_no_lan_address_found_is_warned(served, monkeypatch, capsys) -> None:
    monkeypatch.setattr(phone_setup, "lan_address", lambda: "127.0.0.1")
    assert main(["phone-setup", "phyphox", "--port", "18801"]) == 0
    out = capsys.readouterr().out
    assert "LAN address was not found" in out and "--address 192.168.1.20" in out


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("10.0.0.5", "http://10.0.0.5:8765/hip-imu.phyphox"),
        (" 10.0.0.5 ", "http://10.0.0.5:8765/hip-imu.phyphox"),
        ("http://10.0.0.5:8765/", "http://10.0.0.5:8765/hip-imu.phyphox"),
        ("HTTP://10.0.0.5", "http://10.0.0.5:8765/hip-imu.phyphox"),
        ("10.0.0.5:8765", "http://10.0.0.5:8765/hip-imu.phyphox"),
        ("http://10.0.0.5:8765/hip-imu.phyphox", "http://10.0.0.5:8765/hip-imu.phyphox"),
        ("fe80::1", "http://[fe80::1]:8765/hip-imu.phyphox"),
        ("[fe80::1]:8765", "http://[fe80::1]:8765/hip-imu.phyphox"),
        ("mylaptop.lan", "http://mylaptop.lan:8765/hip-imu.phyphox"),
    ],
)
def test_an_address_with_a_scheme_or_the_same_port_is_tolerated(
    served, resolver, capsys, given: str, url: str
) -> None:
    """``--address http://10.0.0.5:8765/`` served ``http://http://10.0.0.5:8765/:8765/...``."""
    assert main(["phone-setup", "phyphox", "--address", given]) == 0
    out = capsys.readouterr().out
    assert _served_url(out) == url
    assert "warning" not in out


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("10.0.0.5:9000", "(e.g. --address 10.0.0.5 --port 9000)"),
        ("http://10.0.0.5:9000/", "(e.g. --address 10.0.0.5 --port 9000)"),
        ("notanip", "nor a host name this computer can resolve"),
        ("999.1.1.1", "is not an IP address or a host name"),
        ("https://10.0.0.5", "served over http, not https"),
        ("10.0.0.5/foo", "is more than an address"),
        ("user@10.0.0.5", "is more than an address"),
        ("10.0.0.5:abc", "is not an address"),
        ("", "names no address"),
        ("0.0.0.0", "a phone cannot reach"),
        ("::", "a phone cannot reach"),
        ("fe80::1%wlan0", "names an interface of this computer"),
    ],
)
def test_a_bad_address_is_refused_naming_it_and_the_form(
    served, resolver, capsys, given: str, says: str
) -> None:
    """``--address 10.0.0.5:9000`` served ``http://10.0.0.5:9000:8765/...``; ``notanip`` too."""
    assert main(["phone-setup", "phyphox", "--address", given]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"--address {given!r}" in line and says in line
    assert "like 192.168.1.20" in line and "the port is --port" in line
    assert served == []  # refused before serving


def test_a_lan_address_with_a_loopback_host_is_refused(served, capsys) -> None:
    assert main(["phone-setup", "phyphox", "--host", "127.0.0.1", "--address",
                 "10.0.0.5"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "--host 127.0.0.1" in line and "leave --host out" in line
    assert served == []


def test_a_loopback_address_is_warned(served, resolver, capsys) -> None:
    assert main(["phone-setup", "phyphox", "--address", "localhost"]) == 0
    out = capsys.readouterr().out
    assert _served_url(out) == "http://localhost:8765/hip-imu.phyphox"
    assert "--address localhost is this computer only" in out


def test_parse_address_keeps_a_bare_ip() -> None:
    assert phone_setup.parse_address("192.168.1.20", 8765) == "192.168.1.20"
    with pytest.raises(ImuError, match="--port 9000"):
        phone_setup.parse_address("192.168.1.20:9000", 8765)


def test_a_local_name_is_taken_without_resolving_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A phone resolves ``myhost.local`` by mDNS, which this computer may not do."""
    monkeypatch.setattr(phone_setup, "_resolves", lambda name: [])
    assert phone_setup.parse_address("myhost.local", 8765) == "myhost.local"
