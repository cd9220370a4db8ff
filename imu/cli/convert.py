"""``imu convert IN OUT``: import a CSV file (or Parquet table, phone export) into recordings."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

from imu.cli._args import file_arg
from imu.cli._csvargs import (
    PHONE_HELP,
    UNITS_HELP,
    add_csv_options,
    console,
    import_any,
    print_repairs,
    rate_too_low,
)
from imu.cli._range import (
    RangeError,
    add_range_options,
    check_range,
    cut_to_range,
    has_range,
    range_words,
)
from imu.core.analyzer import MIN_RATE_HZ
from imu.errors import ImportOptionsError, RecordingError
from imu.io.atomic import folder_refuses_files
from imu.io.csv_import import ImportedRecording
from imu.io.load import is_imu_recording
from imu.io.recording import Recording, read_recording, resolved, write_recording
from imu.report.terminal import print_prose

EPILOG = f"""\
examples:
  # the default layout: time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z in s, m/s^2, rad/s
  imu convert session.csv session.parquet

  # a phone export: time in ms, acceleration in g, gyro in deg/s, resampled to 100 Hz
  imu convert phone.csv phone.parquet --time-col timestamp --time-unit ms \\
      --acc-cols ax,ay,az --acc-unit g --gyr-cols gx,gy,gz --gyr-unit deg/s --rate 100

  # a phone app's export (Sensor Logger zip, phyphox CSV/zip): detected, or --format
  imu convert "Sensor Logger 2025-01-01.zip" phone.parquet --rate 100

  # a plain Parquet table with the same columns (time_s, acc_x..gyr_z), or a ';'-separated CSV
  imu convert table.parquet session.parquet --rate 100
  imu convert export.csv session.parquet --delimiter ';'

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
  overwritten unless --force is given, and never the input itself. Each file is written
  under a temporary name and renamed when complete. What the import repaired (rows dropped,
  sorted, made a gap; samples interpolated; rate estimated) is printed on stderr in one line.

part of a recording (--from S, --to S):
  Only the samples from --from S to --to S (seconds on the recording's own clock: from its
  first sample, as imu analyze's reps table shows them) are written; a --to past the end
  takes the rest (a note says so), a --from at or past the end is an error. The file
  written starts its own clock at 0 there (its metadata keeps where: notes cut_from_s).
  With a range, IN may also be a recording written by imu: the part is cut out of it.
    imu convert session.parquet part.parquet --from 120 --to 300

{PHONE_HELP}
{UNITS_HELP}"""


def register(subparsers: Any) -> None:
    """Add the ``convert`` command."""
    parser = subparsers.add_parser(
        "convert",
        help="import a CSV file (or Parquet table, phone export) into Parquet recordings",
        description=textwrap.fill(
            "Import a CSV (or plain Parquet table, or phone app export) of accelerometer +"
            " gyroscope samples, resample it onto a uniform grid"
            " (gaps kept as NaN), convert it to SI units and write Parquet recordings. Prints"
            " the import report of each recording: timing, rate, gaps, units and scale."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", type=file_arg, metavar="IN",
                        help="the CSV file or Parquet table, or a phone app's export (zip, "
                        "folder or CSV)")
    parser.add_argument("output", metavar="OUT", type=_output_arg,
                        help="a .parquet file or a directory")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    add_range_options(parser, "write the recording")
    add_csv_options(parser)
    parser.set_defaults(func=run)


def _output_arg(text: str) -> str:
    """OUT (argparse type): an empty name is refused, not read as the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} names no file or folder; give one, e.g. out/base.parquet or out/ (. for "
            "the current folder)"
        )
    return text


def run(args: argparse.Namespace) -> int:
    """Import IN (or, with --from/--to, cut a recording) and write the recordings."""
    check_range(args)
    check_output_name(args.output)
    check_output_writable(args.output)
    parts: list[tuple[Recording, ImportedRecording | None]]
    if has_range(args) and args.input.is_file() and is_imu_recording(args.input):
        parts = [(read_recording(args.input), None)]  # a recording of imu: cut it alone
        names = [args.input.stem]
    else:
        imported = import_any(args.input, args)
        parts = [(imp.recording, imp) for imp in imported]
        names = [imp.name for imp in imported]
    targets = output_paths(args.output, names)
    refuse_overwriting_input(args.input, targets)
    out = console("convert")
    # Every part cut before any is written. Of several groups (--split-by, a folder), one the
    # range misses is skipped with a note, as imu analyze skips it; with none left, the error.
    cuts: list[tuple[Recording, float] | None] = []
    missed: list[RangeError] = []
    for (rec, _), name in zip(parts, names, strict=True):
        try:
            cuts.append(cut_to_range(rec, args, name, "convert") if has_range(args)
                        else (rec, 0.0))
        except RangeError as exc:
            if len(parts) == 1:
                raise
            missed.append(exc)
            cuts.append(None)
    if missed and len(missed) == len(parts):
        raise RangeError(f"{range_words(args)} misses every one of the {len(parts)} "
                         f"recordings: nothing to write (the first: {missed[0]})")
    for problem in missed:
        print(f"imu convert: skipped {problem}", file=sys.stderr)
    kept = [(part, cut, path) for part, cut, path in zip(parts, cuts, targets, strict=True)
            if cut is not None]
    if not args.force:
        existing = [str(path) for _, _, path in kept if path.exists()]
        if existing:
            raise RecordingError(
                f"{', '.join(existing[:3])}{' ...' if len(existing) > 3 else ''} already "
                f"{'exists' if len(existing) == 1 else 'exist'}; pass --force to overwrite or "
                "choose another OUT"
            )
    for i, ((whole, imp), (recording, first_s), path) in enumerate(kept):
        if i:
            out.print()
        if imp is not None:
            for line in imp.report.summary_lines():
                out.print(line)
            print_repairs("convert", imp.report.repairs)
        if has_range(args):
            out.print(f"part: {first_s:.2f}-{first_s + recording.duration_s:.2f} s of "
                      f"{whole.duration_s:.2f} s ({range_words(args)}); the file's clock "
                      "starts at 0 there")
        write_recording(recording, path)
        print_prose(out, f"wrote: {path}")  # at words on a terminal, as imu analyze's
        if getattr(args, "rate", None) is not None and args.rate < MIN_RATE_HZ:
            # Written as asked, but nothing can analyse it: said now, not at analysis.
            print(f"imu convert: warning: {rate_too_low(args.rate, str(path))}",
                  file=sys.stderr)
    if len(kept) > 1 or missed:
        out.print()
        skipped = f" ({len(missed)} skipped: the range misses them)" if missed else ""
        print_prose(out, f"{len(kept)} recording{'s' if len(kept) != 1 else ''} written to "
                         f"{kept[0][2].parent}{skipped}")
    return 0


def check_output_name(output: str) -> None:
    """Refuse an OUT that names a file with another extension than ``.parquet``.

    Raises:
        ImportOptionsError: the message says what to use instead.

    """
    out = Path(output)
    if output.endswith(("/", os.sep)) or out.is_dir() or not out.suffix:
        return  # a directory (a name without extension is one when the import splits)
    if out.suffix.lower() != ".parquet":
        raise ImportOptionsError(
            f"{output}: convert writes Parquet recordings; name the output "
            f"{out.with_suffix('.parquet') if out.suffix else str(out) + '.parquet'} (or give a "
            f"directory ending in '/', e.g. {out.with_suffix('')}/)"
        )


def check_output_writable(output: str) -> None:
    """Refuse, before the import, an OUT whose folder cannot take new files.

    Raises:
        RecordingError: the message names the folder and the reason.

    """
    out = Path(output)
    for folder in (out, *out.parents):
        if not folder.exists():
            continue
        if folder == out and not folder.is_dir():
            return  # an existing recording: the overwrite rules decide
        reason = (
            folder_refuses_files(folder) if folder.is_dir()
            else f"{folder} is a file, not a folder"
        )
        if reason:
            raise RecordingError(f"cannot write {output}: {reason}; choose a writable OUT")
        return


def refuse_overwriting_input(source: Path, targets: list[Path]) -> None:
    """Refuse to write over the file being read (even with --force).

    Raises:
        ImportOptionsError: a target is the input itself.

    """
    for target in targets:
        same = target.exists() and source.exists() and os.path.samefile(source, target)
        if same or resolved(target) == resolved(source):
            raise ImportOptionsError(
                f"{target}: is the input itself; convert never overwrites what it reads, even "
                "with --force: choose another OUT"
            )


def output_paths(output: str, names: list[str]) -> list[Path]:
    """Where each recording goes: OUT itself, or OUT/<name>.parquet when OUT is a directory.

    Raises:
        ImportOptionsError: several recordings but OUT names a file.

    """
    out = Path(output)
    as_dir = output.endswith(("/", os.sep)) or out.is_dir() or len(names) > 1
    if not as_dir and not out.suffix:
        raise ImportOptionsError(
            f"{output}: name the output {output}.parquet, or give a directory ending in '/' "
            f"({output}/)"
        )
    if not as_dir:
        return [out]
    if out.exists() and not out.is_dir():
        raise ImportOptionsError(
            f"{out}: is a file, but the import gives {len(names)} recordings; give a "
            "directory as OUT"
        )
    if out.suffix.lower() in {".parquet", ".pq"} and len(names) > 1:
        raise ImportOptionsError(
            f"{out}: --split-by gives {len(names)} recordings, one file each; give a "
            f"directory as OUT (e.g. {out.with_suffix('')}/)"
        )
    return [out / f"{name}.parquet" for name in names]
