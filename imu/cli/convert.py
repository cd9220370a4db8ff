"""``imu convert IN OUT``: import a CSV file into the Parquet recording format."""

from __future__ import annotations

import argparse
import os
import textwrap
from pathlib import Path
from typing import Any

from imu.cli._csvargs import PHONE_HELP, UNITS_HELP, add_csv_options, console, import_any
from imu.errors import ImportOptionsError, RecordingError
from imu.io.csv_import import ImportedRecording
from imu.io.recording import write_recording
from imu.io.summary import looks_like_parquet

EPILOG = f"""\
examples:
  # the default layout: time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z in s, m/s^2, rad/s
  imu convert session.csv session.parquet

  # a phone export: time in ms, acceleration in g, gyro in deg/s, resampled to 100 Hz
  imu convert phone.csv phone.parquet --time-col timestamp --time-unit ms \\
      --acc-cols ax,ay,az --acc-unit g --gyr-cols gx,gy,gz --gyr-unit deg/s --rate 100

  # a phone app's export (Sensor Logger zip, phyphox CSV/zip): detected, or --format
  imu convert "Sensor Logger 2025-01-01.zip" phone.parquet --rate 100

  # the WLE belt data: raw acc counts, one recording per (user_name, classe) into a folder
  imu convert wle_belt_dev.csv out/wle/ --time-col time_s --time-unit s \\
      --acc-cols accel_belt_x,accel_belt_y,accel_belt_z --acc-unit counts \\
      --gyr-cols gyros_belt_x,gyros_belt_y,gyros_belt_z --gyr-unit rad/s \\
      --split-by user_name,classe --participant-col user_name \\
      --counts-scale-by user_name --rate 25

output:
  OUT is a .parquet file, or a directory (existing, or ending in '/') that receives one
  file per recording named from the group values (e.g. out/wle/adelmo_A.parquet). With
  --split-by giving several recordings OUT is always a directory. Existing files are not
  overwritten unless --force is given.

{PHONE_HELP}
{UNITS_HELP}"""


def register(subparsers: Any) -> None:
    """Add the ``convert`` command."""
    parser = subparsers.add_parser(
        "convert",
        help="import a CSV file into Parquet recordings",
        description=textwrap.fill(
            "Import a CSV of accelerometer + gyroscope samples, resample it onto a uniform grid"
            " (gaps kept as NaN), convert it to SI units and write Parquet recordings. Prints"
            " the import report of each recording: timing, rate, gaps, units and scale."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", type=Path, metavar="IN",
                        help="the CSV file, or a phone app's export (zip, folder or CSV)")
    parser.add_argument("output", metavar="OUT", help="a .parquet file or a directory")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    add_csv_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import IN and write the recordings; returns the exit code."""
    if args.input.is_file() and looks_like_parquet(args.input):
        raise ImportOptionsError(
            f"{args.input}: already a Parquet recording; convert reads CSV files "
            "(use 'imu info' to look at it)"
        )
    imported = import_any(args.input, args)
    targets = output_paths(args.output, imported)
    if not args.force:
        existing = [str(p) for p in targets if p.exists()]
        if existing:
            raise RecordingError(
                f"{', '.join(existing[:3])}{' ...' if len(existing) > 3 else ''} already "
                "exist(s); pass --force to overwrite or choose another OUT"
            )
    out = console()
    for i, (imp, path) in enumerate(zip(imported, targets, strict=True)):
        if i:
            out.print()
        for line in imp.report.summary_lines():
            out.print(line)
        write_recording(imp.recording, path)
        out.print(f"wrote: {path}")
    if len(imported) > 1:
        out.print()
        out.print(f"{len(imported)} recordings written to {targets[0].parent}")
    return 0


def output_paths(output: str, imported: list[ImportedRecording]) -> list[Path]:
    """Where each recording goes: OUT itself, or OUT/<name>.parquet when OUT is a directory.

    Raises:
        ImportOptionsError: several recordings but OUT names a file.

    """
    out = Path(output)
    as_dir = output.endswith(("/", os.sep)) or out.is_dir() or len(imported) > 1
    if not as_dir:
        return [out]
    if out.exists() and not out.is_dir():
        raise ImportOptionsError(
            f"{out}: is a file, but the import gives {len(imported)} recordings; give a "
            "directory as OUT"
        )
    if out.suffix.lower() in {".parquet", ".pq"} and len(imported) > 1:
        raise ImportOptionsError(
            f"{out}: --split-by gives {len(imported)} recordings, one file each; give a "
            f"directory as OUT (e.g. {out.with_suffix('')}/)"
        )
    return [out / f"{imp.name}.parquet" for imp in imported]
