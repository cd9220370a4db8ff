"""``imu scan``: list sensors in range: hip IMUs and Polar PMD sensors (name, type, RSSI...)."""

from __future__ import annotations

import argparse
import asyncio
import textwrap
from typing import Any

from rich import box
from rich.table import Table

from imu.ble.client import KIND_POLAR, BleBackend, SensorInfo, scan
from imu.cli._csvargs import console, positive_number


def register(subparsers: Any) -> None:
    """Add the ``scan`` command."""
    p = subparsers.add_parser(
        "scan",
        help="list hip IMU and Polar sensors in range (name, type, address, RSSI, battery)",
        description=textwrap.fill(
            "Scan for sensors advertising the hip IMU service, and Polar sensors (Polar"
            " measurement-data service or a 'Polar ...' name), and show their name, type,"
            " address, signal strength and battery level (read by connecting briefly)."
        ),
        epilog="examples:\n  imu scan\n  imu scan --timeout 10 --no-battery\n"
               "  imu scan --transport usb:0          a USB Bluetooth dongle through Bumble",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--timeout", type=positive_number, default=5.0, metavar="S",
                   help="scan time, seconds [5]")
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
    out = console("scan", None)
    if not sensors:
        out.print("no hip IMU or Polar sensor found; is it switched on, charged and not connected "
                  "to another host?", markup=False)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("name", "type", "address", "RSSI dBm", "battery"):
        table.add_column(col, justify="left" if col in ("name", "type") else "right")
    for s in sensors:
        battery = "-" if s.battery_percent is None else f"{s.battery_percent}%"
        kind = "Polar (PMD)" if s.kind == KIND_POLAR else "hip IMU"
        table.add_row(s.name, kind, s.address, str(s.rssi), battery)
    out.print(table)
