"""``imu phone-setup``: get a phone app ready to be the live sensor (phyphox, Sensor Logger)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import re
import socket
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from imu.cli._csvargs import console
from imu.errors import ImuError
from imu.live.phone_setup import (
    EXPERIMENT_NAME,
    experiment_file,
    lan_address,
    qr_text,
    serve_experiment,
)

PHYPHOX_STEPS = """\
1. Install phyphox (Android or iOS) on the phone; phone and computer on the same Wi-Fi.
2. {load}
   The experiment "hip-imu" appears in the list.
3. Open it, then in its menu (three dots) turn on "Allow remote access": phyphox shows an
   address like http://192.168.1.23:8080. Keep the screen on (phyphox must stay in front).
4. Put the phone in the waistband pocket: any orientation, snug so it does not flop.
5. On the computer: imu live -e EXERCISE --phyphox http://ADDRESS:8080 --out DIR
   (imu starts and stops the measurement; you do not need to touch the phone)."""

LOAD_BY_QR = """In phyphox tap "+" (add experiment) > "Add experiment from QR code" and scan
   the code above (or open {url} on the phone)."""

LOAD_BY_FILE = """Send {file} to the phone (mail, chat, cloud drive, USB) and open it with
   phyphox."""

SENSOR_LOGGER_STEPS = """\
1. Install Sensor Logger (Android or iOS); phone and computer on the same Wi-Fi.
2. On the computer start: imu live -e EXERCISE --sensor-logger-push 8000 --out DIR
   It prints a push URL with a secret token, and its QR code.
3. In Sensor Logger: Settings (gear) > Data Streaming > HTTP Push: on; enter the URL (scan
   the QR code with the camera and copy it, or type it); batch period 1000 ms; "Tap to Test
   Pushing" should succeed. iOS: also pass --phone-platform ios to imu live.
4. Enable the sensors: Accelerometer, Gravity (or Accelerometer Uncalibrated), Gyroscope;
   Android also logs TotalAcceleration, which is used when present. 100 Hz is plenty.
5. Phone in the waistband pocket (any orientation), then tap Start Recording."""


def register(subparsers: Any) -> None:
    """Add the ``phone-setup`` command."""
    p = subparsers.add_parser(
        "phone-setup",
        help="get a phone app ready as the live sensor (phyphox experiment and QR code, steps)",
        description=textwrap.fill(
            "phyphox: serve the hip-imu experiment on this computer and show a QR code that"
            " phyphox scans to load it (works offline on the local network), then the steps."
            " sensor-logger: the steps to enable HTTP push (imu live prints the URL)."
        ),
        epilog="examples:\n"
               "  imu phone-setup phyphox                     serve the experiment, show its QR\n"
               "  imu phone-setup phyphox --save hip-imu.phyphox\n"
               "  imu phone-setup sensor-logger               the steps in the app",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("app", choices=("phyphox", "sensor-logger"))
    p.add_argument("--host", default=None,
                   help="phyphox: address to serve on [0.0.0.0: all interfaces]; 127.0.0.1 "
                        "serves this computer only, which a phone cannot reach")
    p.add_argument("--port", type=tcp_port, default=None, metavar="PORT",
                   help=f"phyphox: port to serve the experiment, 1-65535 [{DEFAULT_PORT}]")
    p.add_argument("--address", metavar="HOST", default=None,
                   help="phyphox: this computer's LAN address as the phone sees it, an IP "
                        "like 192.168.1.20 or a host name, without the port (that is --port) "
                        "[--host, or guessed]")
    p.add_argument("--save", type=save_path, metavar="FILE", default=None,
                   help=f"phyphox: write {EXPERIMENT_NAME} to FILE instead of serving it "
                        f"(an existing folder written with a trailing '/': "
                        f"FOLDER/{EXPERIMENT_NAME})")
    p.add_argument("--force", action="store_true",
                   help="phyphox --save: replace FILE if it exists")
    p.set_defaults(func=run)


def save_path(text: str) -> Path:
    """The argparse type of ``--save``: a file, or a folder written with a trailing '/'.

    ``Path`` drops the trailing '/': ``--save phone/`` wrote a file named ``phone`` instead
    of ``phone/hip-imu.phyphox``.
    """
    if text.endswith(("/", os.sep)) and text.strip("/" + os.sep):
        return Path(text) / EXPERIMENT_NAME
    return Path(text)


DEFAULT_PORT = 8765
PHYPHOX_ONLY = ("host", "port", "address", "save", "force")
"""Options that only ``phone-setup phyphox`` uses."""


def tcp_port(text: str) -> int:
    """A TCP port number, 1-65535 (argparse type)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port number; give one in 1-65535, e.g. --port 8765"
        )
    return port


ADDRESS_FORM = ("--address takes the computer's LAN address only, like 192.168.1.20 (or a host "
                "name); the port is --port")
"""The end of every message refusing an ``--address``."""

_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")
"""A host name (RFC 1123 labels joined by dots)."""

WILDCARDS = ("0.0.0.0", "::", "")
"""``--host`` values that listen on every interface."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer only (127.x.x.x, ::1, localhost): no phone reaches it."""
    if host.strip("[]").lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _resolves(name: str) -> list[str]:
    """The addresses ``name`` has on this computer (empty: it does not resolve)."""
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def parse_address(text: str, port: int) -> str:
    """``--address`` as the bare host to put in the URL (an IPv6 address without brackets).

    A bare IP address or host name is the expected form. ``http://`` in front, a port equal to
    the served ``port`` and a trailing ``/`` (or the experiment's path) are tolerated, since
    they say nothing else; any other scheme, port or path is refused, as is a host that is
    neither an IP address nor a name this computer can resolve.

    Raises:
        ImuError: the message names the value and the right form.

    """
    value = text.strip()
    bad = f"--address {text!r}"
    if "%" in value:  # an IPv6 zone (fe80::1%wlan0) names this computer's interface
        raise ImuError(f"{bad}: a zone ('%...') names an interface of this computer, which "
                       f"means nothing to the phone; {ADDRESS_FORM}")
    with contextlib.suppress(ValueError):
        return _reachable(ipaddress.ip_address(value.removeprefix("[").removesuffix("]")), bad)
    if not value:
        raise ImuError(f"{bad} names no address; {ADDRESS_FORM}")
    split = urlsplit(value if "://" in value else f"//{value}")
    if split.scheme.lower() not in ("", "http"):
        raise ImuError(f"{bad}: the experiment is served over http, not {split.scheme}; "
                       f"{ADDRESS_FORM}")
    try:
        given_port = split.port
        host = split.hostname or ""
    except ValueError:  # a port that is no number or out of range, unbalanced brackets
        raise ImuError(f"{bad} is not an address; {ADDRESS_FORM}") from None
    if given_port not in (None, port):
        shown = f"[{host}]" if ":" in host else host
        raise ImuError(f"{bad}: {ADDRESS_FORM} (e.g. --address {shown} --port {given_port})")
    if (split.path not in ("", "/", f"/{EXPERIMENT_NAME}") or split.query or split.fragment
            or split.username is not None):
        raise ImuError(f"{bad} is more than an address; {ADDRESS_FORM}")
    with contextlib.suppress(ValueError):
        return _reachable(ipaddress.ip_address(host), bad)
    if not _HOST_NAME.fullmatch(host) or host.replace(".", "").isdigit():
        raise ImuError(f"{bad} is not an IP address or a host name; {ADDRESS_FORM}")
    # A .local name is resolved by the phone itself (mDNS), which this computer may not do.
    if not host.lower().endswith(".local") and not _resolves(host):
        raise ImuError(f"{bad} is not an IP address, nor a host name this computer can "
                       f"resolve; {ADDRESS_FORM}")
    return host


def _reachable(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, bad: str) -> str:
    """``ip`` as text, or the error for an address no phone can reach (0.0.0.0, ::)."""
    if ip.is_unspecified:
        raise ImuError(f"{bad} is 'any address', which a server listens on but a phone cannot "
                       f"reach; {ADDRESS_FORM}")
    return str(ip)


def experiment_url(host: str, port: int) -> str:
    """The URL of the served experiment at ``host`` (an IPv6 address gets its brackets)."""
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/{EXPERIMENT_NAME}"


def phone_url(host: str, port: int, address: str | None) -> tuple[str, str | None]:
    """The experiment's URL for the phone, and a warning when the phone cannot reach it.

    Args:
        host: ``--host``, the address listened on.
        port: the port listened on.
        address: ``--address`` as :func:`parse_address` returns it (None: not given).

    Raises:
        ImuError: ``--address`` is given while ``--host`` listens on this computer only.

    """
    bare = host.removeprefix("[").removesuffix("]")
    if is_loopback(bare):
        if address is not None and not is_loopback(address):
            raise ImuError(
                f"--address {address} with --host {host}: the experiment would be served to "
                "this computer only, which the phone cannot reach; leave --host out to serve "
                "on every interface (0.0.0.0)"
            )
        url = experiment_url(bare, port)
        return url, (f"--host {host} serves this computer only: a phone cannot download {url}; "
                     "leave --host out (every interface, 0.0.0.0) to serve it to the phone")
    if address is not None:
        advertised = address
    elif bare in WILDCARDS:
        advertised = lan_address()
    else:
        advertised = bare
    url = experiment_url(advertised, port)
    if not is_loopback(advertised):
        return url, None
    if address is not None:
        return url, (f"--address {address} is this computer only: a phone cannot download "
                     f"{url}; give this computer's LAN address, like --address 192.168.1.20")
    return url, ("this computer's LAN address was not found (no network?): a phone cannot "
                 f"download {url}; connect the computer to the phone's Wi-Fi, or give its LAN "
                 "address, like --address 192.168.1.20")


def save_experiment(path: Path) -> None:
    """Write the bundled experiment to ``path``.

    Raises:
        ImuError: the file cannot be written (the message names it and the fix).

    """
    if str(path) == "-":  # read by many tools as stdout: a file named '-' was written
        raise ImuError(f"--save '-': give a file name, e.g. --save {EXPERIMENT_NAME} (the "
                       "experiment is a file to send to the phone, not text to print)")
    if path.is_dir():
        raise ImuError(f"--save {str(path)!r} is a folder; give a file name, e.g. "
                       f"{str(path / EXPERIMENT_NAME)!r}")
    try:
        path.write_bytes(experiment_file())
    except OSError as exc:
        raise ImuError(
            f"cannot write the phyphox experiment to {str(path)!r} ({exc.strerror or exc}); "
            "give --save a file in an existing folder you can write to"
        ) from exc


def run(args: argparse.Namespace) -> int:
    """Print the steps; for phyphox serve the experiment until Ctrl-C."""
    out = console("phone-setup", "the experiment is still served")
    if args.app == "sensor-logger":
        given = [f"--{name}" for name in PHYPHOX_ONLY if getattr(args, name) not in (None, False)]
        if given:
            raise ImuError(
                f"{', '.join(given)}: only for 'imu phone-setup phyphox'; Sensor Logger needs "
                "no file from this computer (imu live --sensor-logger-push PORT prints its URL)"
            )
        out.print(SENSOR_LOGGER_STEPS, highlight=False)
        return 0
    if args.save is not None:
        serving = [f"--{name}" for name in ("host", "port", "address")
                   if getattr(args, name) is not None]
        if serving:
            raise ImuError(f"{', '.join(serving)}: only for serving the experiment; with "
                           "--save FILE nothing is served, so leave them out")
        if str(args.save) == "-":
            save_experiment(args.save)  # refused, before "already exists"
        if args.save.exists() and not args.save.is_dir() and not args.force:
            raise ImuError(
                f"--save {str(args.save)!r} already exists; add --force to replace it, or "
                "give another file name"
            )
        save_experiment(args.save)
        out.print(f"wrote {args.save}; send it to the phone and open it with phyphox")
        load = LOAD_BY_FILE.format(file=args.save)
        out.print(PHYPHOX_STEPS.format(load=load), highlight=False)
        return 0
    if args.force:
        raise ImuError("--force: only with --save FILE (it replaces FILE)")
    host = "0.0.0.0" if args.host is None else args.host
    port = DEFAULT_PORT if args.port is None else args.port
    address = None if args.address is None else parse_address(args.address, port)
    url, warning = phone_url(host, port, address)

    def tell() -> None:  # only once the port is open: a QR code of a dead URL helps nobody
        out.print(qr_text(url), highlight=False, markup=False)  # no markup: [IPv6] in the URL
        out.print(f"serving {url} (Ctrl-C when the phone has it)\n", highlight=False,
                  markup=False)
        out.print(PHYPHOX_STEPS.format(load=LOAD_BY_QR.format(url=url)), highlight=False,
                  markup=False)
        if warning:  # last, where it is seen: the QR code and the steps fill the screen
            out.print(f"warning: {warning}", style="yellow", highlight=False, markup=False)

    def downloaded(peer: str) -> None:
        out.print(f"the experiment was downloaded by {peer}; once phyphox lists \"hip-imu\", "
                  "press Ctrl-C here", highlight=False, markup=False)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_then(host, port, tell, downloaded))
    return 0


async def _serve_then(
    host: str, port: int, tell: Callable[[], None],
    on_download: Callable[[str], None] | None = None,
) -> None:
    """Serve the experiment; call ``tell`` once it is served (errors before it propagate)."""
    ready = asyncio.Event()
    server = asyncio.create_task(
        serve_experiment(host, port, ready=ready, on_download=on_download)
    )
    waiter = asyncio.create_task(ready.wait())
    try:
        await asyncio.wait({server, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if ready.is_set():
            tell()
        await server
    finally:
        for task in (server, waiter):
            task.cancel()
        await asyncio.gather(server, waiter, return_exceptions=True)
