"""``imu live`` options for the phone apps: parse them into a source, print what to enter.

``imu live`` adds them next to ``--device``/``--sim`` (``add_phone_options``), builds the
source with ``phone_source(args)`` (None when neither option was given) and, before running,
``announce(source, console)`` says where phyphox is polled, or arranges for the Sensor Logger
push URL and its QR code to be printed as soon as the server listens.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from imu.errors import ImuError
from imu.io.recorders.sensor_logger import PLATFORMS
from imu.live.phone_setup import qr_text
from imu.live.sources.phyphox import PhyphoxSource
from imu.live.sources.sensor_logger import SensorLoggerSource, parse_listen


def add_phone_options(src: Any, p: argparse.ArgumentParser) -> None:
    """Add the phone options.

    ``--phyphox URL`` and ``--sensor-logger-push [HOST:]PORT`` go in the mutually exclusive
    source group ``src``; ``--phone-platform`` in the parser ``p``.
    """
    src.add_argument("--phyphox", metavar="URL",
                     help="stream from phyphox's remote access at URL (e.g. "
                          "http://192.168.1.23:8080; see 'imu phone-setup phyphox')")
    src.add_argument("--sensor-logger-push", metavar="[HOST:]PORT",
                     help="receive Sensor Logger's HTTP pushes on PORT (prints the URL to enter; "
                          "PORT 0 picks a free port, named in that URL)")
    p.add_argument("--phone-platform", choices=PLATFORMS, default="auto",
                   help="Sensor Logger's platform: iOS must be named, its acceleration signs "
                        "differ [auto]")


PHONE_DEFAULT_RATE_HZ = 100
"""Grid a phone's samples are joined on when ``--rate`` is not given, Hz."""
PHONE_RATES_HZ = (10, 1000)
"""Lowest and highest ``--rate`` for a phone, Hz."""


def phone_source(args: argparse.Namespace) -> PhyphoxSource | SensorLoggerSource | None:
    """The phone source the options ask for (None: neither); the grid rate is ``--rate``."""
    rate = int(getattr(args, "rate", None) or PHONE_DEFAULT_RATE_HZ)
    if not PHONE_RATES_HZ[0] <= rate <= PHONE_RATES_HZ[1] and (
        getattr(args, "phyphox", None) or getattr(args, "sensor_logger_push", None)
    ):
        raise ImuError(
            f"--rate {rate}: a phone's samples are joined on a grid of "
            f"{PHONE_RATES_HZ[0]}-{PHONE_RATES_HZ[1]} Hz; leave it out for "
            f"{PHONE_DEFAULT_RATE_HZ} Hz"
        )
    given = getattr(args, "give_up", None)
    if getattr(args, "phyphox", None):
        return PhyphoxSource(args.phyphox, odr_hz=rate, give_up_s=float(given or 60.0))
    if getattr(args, "sensor_logger_push", None):
        host, port = parse_listen(args.sensor_logger_push)
        return SensorLoggerSource(host, port, odr_hz=rate, platform=args.phone_platform,
                                  give_up_s=max(float(given or 600.0), 10.0))
    return None


def announce(source: object, console: Console) -> None:
    """Where phyphox is polled; for Sensor Logger, the push URL and its QR code.

    The push URL is printed once the server listens (a busy port fails first, without a QR
    code to scan in vain).
    """
    if isinstance(source, SensorLoggerSource):
        def tell(url: str) -> None:
            console.print(qr_text(url), markup=False, highlight=False)
            console.print(f"Sensor Logger > Settings > Data Streaming > HTTP Push URL:\n"
                          f"  {url}\n(pushes to any other URL are refused)", highlight=False)

        source.on_listening = tell
    elif isinstance(source, PhyphoxSource):
        console.print(f"polling phyphox at {source.url}", highlight=False)


__all__ = ["add_phone_options", "announce", "phone_source"]
