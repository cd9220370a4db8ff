"""``--web [HOST:PORT]``: the option, the page's view beside the terminal's, the URL and QR code.

The page itself (state, server, assets) is :mod:`imu.live.web`; this module only parses the
option and prints where to open the page.
"""

from __future__ import annotations

import argparse
import errno
import socket
from collections.abc import Awaitable
from typing import TypeVar

from rich.console import Console

from imu.exercises import ExerciseProfile
from imu.live.events import Listener
from imu.live.phone_setup import qr_text
from imu.live.web import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    CoachingServer,
    CoachingState,
    ViewGroup,
    WebAddress,
    WebAddressError,
    WebView,
    parse_web_address,
    serve_while,
)
from imu.tempo import Tempo

T = TypeVar("T")

WEB_HELP = (
    "serve the coaching screen to a browser: a phone scans the printed QR code "
    f"(default {DEFAULT_HOST}:{DEFAULT_PORT}, this machine only; 0.0.0.0:PORT for the local "
    "network; port 0 picks a free one). The URL carries a random token; requests without it "
    "are refused"
)


def _web_address(text: str) -> WebAddress:
    try:
        address = parse_web_address(text)
    except WebAddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    problem = host_problem(address.host)
    if problem:
        raise argparse.ArgumentTypeError(
            f"{problem}; give one of this machine's addresses: "
            f"{DEFAULT_HOST}:PORT (this machine only) or 0.0.0.0:PORT (a phone on the same "
            "network)"
        )
    return address


def host_problem(host: str) -> str:
    """Why ``host`` cannot be listened on by this machine ("" when it can).

    The host must resolve (a name) and be one of this machine's addresses (or 0.0.0.0,
    ``::``); the port is the server's to try, later.
    """
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return f"{host!r} is neither an IP address nor a name this machine knows"
    errors = []
    for family, kind, proto, _name, sockaddr in infos:
        try:
            with socket.socket(family, kind, proto) as probe:
                probe.bind((sockaddr[0], 0, *sockaddr[2:]))
            return ""
        except OSError as exc:
            errors.append(exc)
    if any(e.errno == errno.EADDRNOTAVAIL for e in errors):
        return f"{host!r} is not an address of this machine"
    reason = errors[0].strerror if errors and errors[0].strerror else "unknown error"
    return f"cannot listen on {host!r} ({reason.lower()})"


def add_web_option(p: argparse.ArgumentParser) -> None:
    """Add ``--web [HOST:PORT]`` (``args.web``: a :class:`WebAddress`, or None)."""
    p.add_argument("--web", nargs="?", const=WebAddress(), default=None, type=_web_address,
                   metavar="HOST:PORT", help=WEB_HELP)


def with_web(
    args: argparse.Namespace, view: Listener, profile: ExerciseProfile, tempo: Tempo,
    speed: float,
) -> tuple[Listener, CoachingServer | None]:
    """The session's listener: ``view``, plus the page's view when ``--web`` was given.

    Args:
        args: parsed arguments (``args.web``).
        view: the terminal view.
        profile: the exercise (its title heads the page).
        tempo: the prescription the page holds reps to.
        speed: data seconds per wall second (``--speed`` in simulations, else 1).

    Returns:
        The listener to give the session, and the server to run with :func:`serve`
        (None without ``--web``).

    """
    if args.web is None:
        return view, None
    web_view = WebView(CoachingState(profile.title, tempo, speed=speed, hold=profile.isometric,
                                       profile=profile))
    return ViewGroup(view, web_view), CoachingServer(web_view, args.web)


async def serve(run: Awaitable[T], server: CoachingServer | None, out: Console) -> T:
    """Run the session ``run``, serving the page meanwhile when there is one; print its URL."""
    if server is None:
        return await run

    return await serve_while(
        run, server, lambda url: announce_page(url, server.address.public, out)
    )


def announce_page(url: str, public: bool, out: Console) -> None:
    """Print where the coaching page is; a QR code only where a phone can reach it."""
    out.print(f"coaching screen: {url}", markup=False, highlight=False, soft_wrap=True)
    if public:
        out.print("(a phone on the same network can open it; scan the QR code)",
                  markup=False, highlight=False)
        out.print(qr_text(url), markup=False, highlight=False, soft_wrap=True)
    else:  # a phone cannot reach this machine's loopback: no QR code to scan
        out.print("(this machine only; --web 0.0.0.0:PORT serves the local network)",
                  markup=False, highlight=False)
