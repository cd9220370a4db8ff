"""Command line: ``imu COMMAND ...``. Each command lives in its own module with ``register``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module

from firmware_protocol import ProtocolError
from imu import __version__
from imu.errors import ImuError

COMMAND_MODULES: tuple[str, ...] = (
    "info",
    "convert",
    "simulate",
    "analyze",
    "eval",
    "batch",
    "progress",
    "export_bids",
    "scan",
    "live",
    "replay",
    "recover",
)
"""Modules of :mod:`imu.cli`, each with ``register(subparsers)``; order is the --help order."""

DESCRIPTION = """\
Analyse core-exercise reps from a hip-worn IMU (accelerometer + gyroscope clipped to the
waistband): record, import, simulate and analyse sessions.

Run 'imu COMMAND --help' for the options of one command.
"""


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="imu", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"imu {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        import_module(f"imu.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``imu`` console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        code: int = args.func(args)
    except (ImuError, ProtocolError) as exc:
        print(f"imu {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"imu {args.command}: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
