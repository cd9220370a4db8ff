"""``--from S --to S``: the part of a recording ``imu analyze`` and ``imu convert`` use.

Seconds on the recording's own clock, as the reps table shows them (``start_s``: seconds
from the recording's first sample), so that a note such as "from 120 s the pelvis moved
mostly about another axis" is followed by ``--from 120``.
"""

from __future__ import annotations

import argparse
import math
import sys

from imu.errors import ImuError
from imu.io.recording import Recording, cut_recording


class RangeError(ImuError):
    """A ``--from``/``--to`` range that holds none of a recording, or is the wrong way round."""


def seconds_arg(text: str) -> float:
    """The argparse type of ``--from`` and ``--to``: a finite number of seconds >= 0.

    Raises:
        argparse.ArgumentTypeError: not a number, negative, or not finite; the message
            names the value.

    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(
            f"must be seconds from the recording's start, 0 or more, got {text!r}")
    return value


def add_range_options(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--from S`` and ``--to S`` (``what``: what the command does with the part)."""
    g = parser.add_argument_group(
        "part of the recording (s on the recording's own clock, as the reps table's start_s)")
    g.add_argument("--from", dest="from_s", type=seconds_arg, default=None, metavar="S",
                   help=f"{what} from S seconds on [its start]")
    g.add_argument("--to", dest="to_s", type=seconds_arg, default=None, metavar="S",
                   help=f"{what} up to S seconds [its end]")


def has_range(args: argparse.Namespace) -> bool:
    """Whether ``--from`` or ``--to`` was given."""
    return getattr(args, "from_s", None) is not None or getattr(args, "to_s", None) is not None


def range_words(args: argparse.Namespace) -> str:
    """The options as given, e.g. ``--from 120 --to 180`` ("" when none)."""
    parts = []
    if args.from_s is not None:
        parts.append(f"--from {args.from_s:g}")
    if args.to_s is not None:
        parts.append(f"--to {args.to_s:g}")
    return " ".join(parts)


def check_range(args: argparse.Namespace) -> None:
    """Refuse ``--from`` at or after ``--to`` before any file is read.

    Raises:
        RangeError: the message names both values.

    """
    if args.from_s is not None and args.to_s is not None and args.from_s >= args.to_s:
        raise RangeError(
            f"--from {args.from_s:g} is not before --to {args.to_s:g}: give the part's start, "
            "then its end (s on the recording's clock, e.g. --from 120 --to 180)"
        )


def cut_to_range(recording: Recording, args: argparse.Namespace, name: str,
                 command: str) -> tuple[Recording, float]:
    """The part of ``recording`` that ``--from``/``--to`` give, and when it starts, s.

    The part starts at the first sample at or after ``--from`` and ends before the first
    at or after ``--to``; the second value is its first sample's time on ``recording``'s
    clock (0.0 with no ``--from``). A ``--to`` past the end is taken to the end, with a
    note on stderr.

    Raises:
        RangeError: ``--from`` at or past the end, or a range between two samples.

    """
    n, fs = recording.n_samples, recording.sampling_rate_hz
    duration = recording.duration_s
    from_s = args.from_s or 0.0
    if from_s >= duration:
        raise RangeError(
            f"{name}: --from {from_s:g} is at or past the recording's end: it lasts "
            f"{duration:.2f} s (on its own clock, as the reps table shows times); give a "
            f"--from below {duration:.2f}"
        )
    end = n
    if args.to_s is not None:
        if args.to_s > duration:
            print(f"imu {command}: note: {name}: --to {args.to_s:g} is past the recording's "
                  f"end ({duration:.2f} s); it is used up to its end", file=sys.stderr)
        else:
            end = math.ceil(args.to_s * fs - 1e-6)
    start = math.ceil(from_s * fs - 1e-6)
    if start >= end:
        raise RangeError(
            f"{name}: {range_words(args)} holds no sample (one every {1 / fs:.3g} s); give "
            "a wider range"
        )
    return cut_recording(recording, start, end), start / fs
