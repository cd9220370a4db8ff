"""``imu scan``: list hip IMU sensors in range (name, address, RSSI, battery)."""

from __future__ import annotations

import argparse
import asyncio
import textwrap
from typing import Any

from rich import box
from rich.table import Table

from imu.ble.client import BleBackend, SensorInfo, scan
from imu.cli._csvargs import console


def register(subparsers: Any) -> None:
    """Add the ``scan`` command."""
    p = subparsers.add_parser(
        "scan",
        help="list hip IMU sensors in range (name, address, RSSI, battery)",
        description=textwrap.fill(
            "Scan for sensors advertising the hip IMU service and show their name, address,"
            " signal strength and battery level (read by connecting briefly)."
        ),
    )
    p.add_argument("--timeout", type=float, default=5.0, metavar="S", help="scan time [5]")
    p.add_argument("--transport", metavar="NAME",
                   help="use Bumble on this HCI transport (e.g. usb:0) instead of the OS stack")
    p.add_argument("--no-battery", action="store_true", help="do not connect to read batteries")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Scan and print a table; returns 0 if a sensor was found, else 1."""
    backend = BleBackend.bumble_transport(args.transport) if args.transport else BleBackend()
    sensors = asyncio.run(scan(backend, args.timeout, read_battery=not args.no_battery))
    print_sensors(sensors)
    return 0 if sensors else 1


def print_sensors(sensors: list[SensorInfo]) -> None:
    """The scan result as a table (or a hint when empty)."""
    out = console()
    if not sensors:
        out.print("no hip IMU sensor found; is it switched on, charged and not connected "
                  "to another host?", markup=False)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("name", "address", "RSSI dBm", "battery"):
        table.add_column(col, justify="right" if col != "name" else "left")
    for s in sensors:
        battery = "-" if s.battery_percent is None else f"{s.battery_percent}%"
        table.add_row(s.name, s.address, str(s.rssi), battery)
    out.print(table)
