"""CSV import flags shared by ``imu info`` and ``imu convert`` (not a command itself)."""

from __future__ import annotations

import argparse
import math
import shlex
import sys
from pathlib import Path
from typing import cast

from rich.console import Console

from imu.cli._output import pipe_safe_console
from imu.errors import AnalysisError, ImportOptionsError
from imu.io.csv_import import (
    ACC_UNITS,
    DEFAULT_MAX_GAP_S,
    GYR_UNITS,
    TIME_ORIGINS,
    TIME_UNITS,
    AccUnit,
    CsvOptions,
    GyrUnit,
    ImportedRecording,
    TimeOrigin,
    TimeUnit,
    repeated_header_names,
)
from imu.io.load import (
    InputFormat,
    LoadedRecording,
    load_recordings,
    not_a_recording,
)
from imu.io.phone import PHONE_FORMATS
from imu.io.repairs import RepairReport

UNITS_HELP = """\
units:
  The tool works in SI units: time in s, acceleration (specific force) in m/s^2, angular rate
  in rad/s. A sensor lying still reads |acc| = 9.81 m/s^2 (1 g).
  --acc-unit m/s^2   values already in m/s^2 (default)
  --acc-unit g       multiples of standard gravity; multiplied by 9.80665
  --acc-unit counts  raw ADC counts of unknown scale: each recording is scaled so that the
                     median |acc| while still (low gyro, steady |acc|) is 9.80665 m/s^2;
                     --counts-scale-by COL pools that over recordings of one sensor
  --gyr-unit rad/s | deg/s
  --time-unit s | ms | us | ns | min, --time-origin auto | absolute (Unix time) | relative
                     (a Parquet column of dates and times, or of durations, carries its own;
                     so do ISO 8601 date-times, 2024-05-01T10:00:00.123Z, taken as UTC
                     without a Z or +hh:mm);
                     times giving a rate above 2000 Hz (no hip IMU or phone is faster) or
                     below 0.5 Hz are refused, naming the unit that fits if one does
  The importer checks gravity at rest, the gyro range, and the gyro's rotation between two
  moments at rest against gravity's turn in the accelerometer (rad/s declared as deg/s reads
  57x too little) against the declared units, and says which unit the data looks like when
  they do not fit (--no-unit-check turns this off). A file whose magnitude at rest (or gyro
  scale) changes part-way is refused as mixing units, naming the row; data with no still
  period whose samples are uncorrelated is reported as noise, and no unit is advised from it.

timing:
  Timestamps are analysed (median/mean interval, effective rate, jitter, bursts, largest
  interval); rows with empty values are dropped, rows out of order sorted, duplicate
  timestamps dropped, and rows with values far beyond any sensor's full scale (over 64 g or
  8000 deg/s, or infinite) become a gap. More than 10% of the steps going back in time, or of
  the rows repeating a time with other values, stops the import: the time column is wrong or
  too coarse (--time-col none --rate HZ takes the rows as consecutive samples); so does a
  time column that starts again (two recordings in one file: split it, or --split-by).
  Samples are linearly interpolated onto a uniform grid at --rate HZ. Without --rate the rate is
  estimated from the timestamps. A --rate below the timestamps' rate (a 52 Hz file at --rate
  10) low-passes the samples first (zero-phase Butterworth at 0.4 x --rate), so that faster
  movement does not alias into slow false movement; the repairs line says so. Intervals
  longer than --max-gap S are gaps: NaN in the recording and listed in its metadata, never
  interpolated across. Every command prints what was repaired on stderr in one line
  ("FILE: repaired: 3 rows with empty values dropped; ...").

input files:
  A CSV file (fields separated by , ; tab or |, detected from the header unless --delimiter
  is given, or named by Excel's first line sep=;; blanks, as numpy.savetxt writes, when they
  split the header into the columns named; column names matched ignoring case when
  only one fits; decimal commas detected after ; tab or |, and in quoted cells after ,; UTF-8,
  or UTF-16/32 as Excel's "Unicode text" writes it; compressed .csv.gz, .csv.bz2, .csv.xz
  read as is),
  a plain Parquet table with the same columns (read with the same options), a
  phone app's export (below), or a Parquet recording written by imu (read as it is: the
  import options are not used for it, and a note names those given). A spreadsheet (.xls,
  .xlsx, .ods) or a CSV in another encoding (an older Excel's Windows-1252) is refused:
  save it as 'CSV UTF-8'.
"""


def _cols3(text: str) -> tuple[str, str, str]:
    cols = [c.strip() for c in text.split(",")]
    if len(cols) != 3 or not all(cols):
        raise argparse.ArgumentTypeError(f"need three comma-separated column names, got {text!r}")
    return cols[0], cols[1], cols[2]


def _cols(text: str) -> tuple[str, ...]:
    cols = tuple(c.strip() for c in text.split(",") if c.strip())
    if not cols:
        raise argparse.ArgumentTypeError(f"need comma-separated column names, got {text!r}")
    return cols


def positive_number(text: str) -> float:
    """Argparse type: a finite number > 0 (the message names the bad value)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


PHONE_HELP = """\
phone apps (--format, detected from file and column names by default):
  sensor-logger  Sensor Logger export: the .zip, its folder, or one of its CSV files
                 (time in ns, m/s^2, rad/s). Accelerometer.csv excludes gravity, so
                 TotalAcceleration.csv, AccelerometerUncalibrated.csv or Accelerometer.csv +
                 Gravity.csv is used; iOS signs are flipped to Android's (docs/sensors.md).
  phyphox        phyphox CSV/zip export of "Acceleration with g" and "Gyroscope" (time in s);
                 a folder with both experiments' exports is aligned by their start times.
  polar-sensor-logger
                 the Polar Sensor Logger app's _ACC.txt (mg) and _GYRO.txt (deg/s) files of
                 a Polar Verity Sense: give either file (the other is found beside it) or
                 their folder; joined on the sensor's clock (ns since 2000) at the sensor's
                 rate (26-416 Hz, or --rate).
  Both sensors are put on one time base and resampled to --rate (default: the
  accelerometer's median rate; interpolated only, as the live join is, so that a live
  recording and its export give the same reps); the CSV layout and unit flags do not
  apply: the app writes its own units, and values that look like another unit are
  refused, naming it and the fix. A folder is one export: several exports in one folder
  are refused, naming them.
"""


def add_csv_options(parser: argparse.ArgumentParser) -> None:
    """Add the CSV layout/unit flags (and the phone-app format) to a command's parser."""
    parser.add_argument(
        "--format",
        choices=("auto", "csv", *PHONE_FORMATS),
        default="auto",
        help="input format: a CSV in the layout below, a phone app's export, or auto [auto]",
    )
    g = parser.add_argument_group("CSV import (see units/timing below)")
    g.add_argument(
        "--time-col",
        default="time_s",
        metavar="COL",
        help="time column [time_s]; none: no times, the rows are samples at --rate",
    )
    g.add_argument("--time-unit", default="s", choices=TIME_UNITS, help="unit of the time [s]")
    g.add_argument(
        "--time-origin",
        default="auto",
        choices=TIME_ORIGINS,
        help="absolute = Unix time, kept as the start time; auto = absolute if after 1973",
    )
    g.add_argument(
        "--acc-cols",
        type=_cols3,
        default=None,
        metavar="X,Y,Z",
        help="accelerometer columns [acc_x,acc_y,acc_z]",
    )
    g.add_argument("--acc-unit", default="m/s^2", choices=ACC_UNITS, help="[m/s^2]")
    g.add_argument(
        "--gyr-cols",
        type=_cols3,
        default=None,
        metavar="X,Y,Z",
        help="gyroscope columns [gyr_x,gyr_y,gyr_z]",
    )
    g.add_argument("--gyr-unit", default="rad/s", choices=GYR_UNITS, help="[rad/s]")
    g.add_argument(
        "--rate",
        type=positive_number,
        default=None,
        metavar="HZ",
        help="output sampling rate; default: estimated from the timestamps (and reported)",
    )
    g.add_argument(
        "--max-gap",
        type=positive_number,
        default=DEFAULT_MAX_GAP_S,
        metavar="S",
        help=f"longer intervals are gaps, not interpolated [{DEFAULT_MAX_GAP_S}]",
    )
    g.add_argument(
        "--split-by",
        type=_cols,
        default=(),
        metavar="COLS",
        help="one recording per group of these columns, e.g. user_name,classe",
    )
    g.add_argument("--participant-col", default=None, metavar="COL", help="participant column")
    g.add_argument("--exercise-col", default=None, metavar="COL", help="exercise column")
    g.add_argument(
        "--counts-scale-by",
        type=_cols,
        default=(),
        metavar="COLS",
        help="with --acc-unit counts: split columns naming one sensor (e.g. user_name); "
        "its recordings share one scale",
    )
    g.add_argument("--device", default="unknown", help="device name for the metadata")
    g.add_argument(
        "--delimiter",
        default=None,
        type=delimiter_arg,
        metavar="C",
        help="CSV field separator, e.g. ';' or tab (also written '\\t'); default: detected "
        "from the header (, ; tab |, or blanks when they give the columns named) and "
        "reported when not ','",
    )
    g.add_argument(
        "--no-unit-check",
        dest="check_units",
        action="store_false",
        help="do not check gravity, gyro range and rate against the declared units",
    )


def import_flags(args: argparse.Namespace) -> str:
    """The import options of ``args`` that differ from their defaults, as shell words.

    For the commands the notes suggest (``imu analyze FILE --from S ...``): a CSV read with
    ``--split-by user_name,classe --acc-unit counts ...`` must be read so again, or the
    suggested command fails or analyses other data. "" when every option is its default.
    """
    defaults = argparse.ArgumentParser(add_help=False)
    add_csv_options(defaults)
    default = defaults.parse_args([])
    words: list[str] = []
    for action in defaults._actions:
        if not action.option_strings or not hasattr(args, action.dest):
            continue
        value = getattr(args, action.dest)
        if value == getattr(default, action.dest):
            continue
        flag = action.option_strings[0]
        if isinstance(action, argparse._StoreFalseAction):
            words.append(flag)
            continue
        if isinstance(value, tuple):
            text = ",".join(value)
        elif isinstance(value, float):
            text = f"{value:g}"
        else:
            text = "tab" if value == "\t" else str(value)
        words += [flag, shlex.quote(text)]
    return " ".join(words)


DELIMITER_NAMES = {"\\t": "\t", "tab": "\t"}
"""Ways to write a tab on the command line."""


def delimiter_arg(text: str) -> str:
    r"""The argparse type of ``--delimiter``: one character that can separate numbers.

    ``\t`` and ``tab`` are a tab. Refused, naming the value: more than one character (a
    traceback from the CSV reader: ``,,``, ``\n``), none, and characters that are part of
    numbers or quoting (letters, digits, ``.``, ``-``, ``+``, ``"``), which would cut values
    apart.

    Raises:
        argparse.ArgumentTypeError: the message names the value and the usual separators.

    """
    value = DELIMITER_NAMES.get(text.lower(), text)
    if len(value) != 1 or value.isalnum() or value in '.-+"\r\n':
        raise argparse.ArgumentTypeError(
            f"{text!r} is no field separator: give one character between the fields, e.g. "
            "',' ';' '|' or a tab ('\\t' or tab); leave --delimiter out to detect it"
        )
    return value


def csv_options(args: argparse.Namespace) -> CsvOptions:
    """Build :class:`CsvOptions` from the parsed flags (raises ImportOptionsError if bad)."""
    defaults = CsvOptions()
    return CsvOptions(
        time_col=args.time_col,
        time_unit=cast(TimeUnit, args.time_unit),
        time_origin=cast(TimeOrigin, args.time_origin),
        acc_cols=args.acc_cols or defaults.acc_cols,
        acc_unit=cast(AccUnit, args.acc_unit),
        gyr_cols=args.gyr_cols or defaults.gyr_cols,
        gyr_unit=cast(GyrUnit, args.gyr_unit),
        rate_hz=args.rate,
        max_gap_s=args.max_gap,
        split_by=tuple(args.split_by),
        participant_col=args.participant_col,
        exercise_col=args.exercise_col,
        counts_scale_by=tuple(args.counts_scale_by),
        device=args.device,
        delimiter=args.delimiter,
        check_units=args.check_units,
    )


def load(path: Path, args: argparse.Namespace) -> list[LoadedRecording]:
    """Read a recording, or import a CSV, plain Parquet table or phone export (the flags).

    Raises:
        ImuError: the file cannot be read with these options (the message names the file).

    """
    problem = not_a_recording(path)
    if problem:
        raise ImportOptionsError(problem)
    fmt = cast(InputFormat, getattr(args, "format", "auto"))
    try:
        options = csv_options(args)
    except ImportOptionsError as exc:
        hint = _repeated_names_hint(path, args)
        if hint:
            raise ImportOptionsError(hint) from exc
        raise
    return load_recordings(path, options, fmt=fmt, rate_hz=args.rate, max_gap_s=args.max_gap)


def _repeated_names_hint(path: Path, args: argparse.Namespace) -> str:
    """Why the same column is named for two roles when the file's header repeats it ("" if not).

    A header ``time,x,y,z,x,y,z`` is read as ``time,x,y,z,x.1,y.1,z.1``: ``--acc-cols x,y,z
    --gyr-cols x,y,z`` names the first three twice. The message names the renamed columns
    and the flag that reads them.
    """
    repeats = repeated_header_names(path, args.delimiter)
    if not repeats:
        return ""
    defaults = CsvOptions()
    roles = (
        ("--time-col", (args.time_col,)),
        ("--acc-cols", tuple(args.acc_cols or defaults.acc_cols)),
        ("--gyr-cols", tuple(args.gyr_cols or defaults.gyr_cols)),
    )
    for i, (flag, cols) in enumerate(roles):
        earlier = {c for _, before in roles[:i] for c in before}
        shared = [c for c in cols if c in earlier and c in repeats]
        if not shared:
            continue
        fixed = ",".join(repeats[c][0] if c in shared else c for c in cols)
        twice = ", ".join(shared)
        renamed = ", ".join(repeats[c][0] for c in shared)
        return (
            f"{path}: the header names {twice} more than once, and the reader calls the "
            f"repeated column(s) {renamed}; {flag} {','.join(cols)} names the first ones, "
            f"already read for another role: pass {flag} {fixed} to read the repeats"
        )
    return ""


def import_any(path: Path, args: argparse.Namespace) -> list[ImportedRecording]:
    """Import a CSV, plain Parquet table or phone export (not a recording written by imu)."""
    imported = []
    for loaded in load(path, args):
        if loaded.imported is None:
            raise ImportOptionsError(
                f"{path}: already a recording written by imu; nothing to import (look at it "
                "with 'imu info', analyse it with 'imu analyze')"
            )
        imported.append(loaded.imported)
    return imported


def print_repairs(command: str, repairs: RepairReport) -> None:
    """Say on stderr, in one line, what reading a file repaired (nothing when nothing)."""
    if repairs:
        print(f"imu {command}: {repairs.line()}", file=sys.stderr)


def too_slow(path: Path | str, rate_hz: float, exc: AnalysisError,
             given_rate_hz: float | None = None) -> AnalysisError:
    """Name the file in the analyzer's rate error and say how to fix it (other errors: as is).

    The analyzer refuses rates below :data:`imu.core.analyzer.MIN_RATE_HZ` without knowing
    the file; at the command line that becomes which file, its rate, and the fix. With the
    rate set by ``--rate`` (``given_rate_hz``), that option is named: the recording was
    blamed ("record at 25 Hz or more") for a typed ``--rate 5``.
    """
    message = too_slow_message(path, rate_hz)
    if message and given_rate_hz is not None and math.isclose(given_rate_hz, rate_hz):
        message = rate_too_low(given_rate_hz, str(path))
    return AnalysisError(message) if message else exc


def rate_too_low(rate_hz: float, path: str) -> str:
    """Why ``--rate rate_hz`` (below what the rep analysis needs) makes ``path`` unusable."""
    from imu.core.analyzer import MIN_RATE_HZ

    return (f"{path}: --rate {rate_hz:g} puts the samples onto a {rate_hz:g} Hz grid, too slow "
            f"for the rep analysis (it needs at least {MIN_RATE_HZ:g} Hz); leave --rate out "
            "to keep the recording's own rate, or give 25 or more")


_IMPORT_FIX = "check the time column and --time-unit, or give the true rate with --rate HZ"


def too_slow_message(path: Path | str, rate_hz: float, fix: str = _IMPORT_FIX) -> str:
    """Why ``path`` at ``rate_hz`` is too slow for the rep analysis ("" when it is not).

    The same words for every command that analyses (``imu analyze``, ``imu replay``): the
    analyzer refuses rates below :data:`imu.core.analyzer.MIN_RATE_HZ`. ``fix`` is what to do
    when the rate was estimated on import, with the options of the command that says it.
    """
    from imu.core.analyzer import MIN_RATE_HZ

    if math.isfinite(rate_hz) and rate_hz >= MIN_RATE_HZ:
        return ""
    return (
        f"{path}: sampled at {rate_hz:g} Hz, too slow for the rep analysis (it needs at least "
        f"{MIN_RATE_HZ:g} Hz); if the rate was estimated on import, {fix}; otherwise record "
        "at 25 Hz or more"
    )


def console(
    command: str, goes_on: str | None = "the command carries on and writes its files"
) -> Console:
    """A console on stdout for ``imu COMMAND``: plain text when piped, silent once closed.

    ``goes_on`` is what the note on stderr says happens next; None for a command that only
    prints (no note: nothing else was to happen).
    """
    return pipe_safe_console(command, goes_on)
