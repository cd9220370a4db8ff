"""``--from S --to S``: the part of a recording ``imu analyze`` and ``imu convert`` use.

Seconds on the recording's own clock, as the reps table shows them (``start_s``: seconds
from the recording's first sample), so that a note such as "from 120 s the pelvis moved
mostly about another axis" is followed by ``--from 120``.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.ndimage import uniform_filter1d

from imu.errors import ImuError
from imu.exercises import ExerciseProfile
from imu.io.recording import Recording, cut_recording, gaps_from_nan


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


STILL_DPS: Final = 5.0
"""The pelvis is still for the start of a part when its rate (0.1 s mean, the recording's
median rate taken out as the gyro's bias) stays under this, deg/s: reps turn it tens of
deg/s, breathing under 1."""

STILL_S: Final = 2.5
"""A part analysed starts with this much stillness, s: a rest (between sets, before the
first), longer than a rep's top hold or bottom pause at the default tempos (1 s, 0.5 s), so
that the part starts at the bottom, where the analysis learns the starting posture."""

SNAP_BACK_S: Final = 120.0
"""How far before ``--from`` a rest is looked for, s (a set of reps)."""


def _has_sample(recording: Recording) -> npt.NDArray[np.bool_]:
    """Shape (n,): whether each grid point holds a sample (every acc and gyro value)."""
    return np.asarray(np.isfinite(recording.acc).all(axis=1)
                      & np.isfinite(recording.gyr).all(axis=1), dtype=bool)


def empty_rows(recording: Recording) -> npt.NDArray[np.bool_]:
    """Shape (n,): the samples in a run of missing ones that the analyzer does not bridge.

    A gap longer than the analyzer interpolates (:func:`imu.report.session.bridged_limit`:
    0.6 s), such as a sensor lost for a while, holds no sample: no rest and no movement.
    Shorter runs (a lost BLE frame) are read across, as the analyzer reads them.
    """
    from imu.report.session import bridged_limit

    valid = _has_sample(recording)
    empty = np.zeros(recording.n_samples, dtype=bool)
    limit = bridged_limit(recording.sampling_rate_hz)
    for run in gaps_from_nan(valid):
        if run.n_samples > limit:
            empty[run.start:run.end] = True
    return empty


def _gyro_bias(recording: Recording) -> npt.NDArray[np.float64]:
    """Shape (3,): the recording's median rate over the samples it has, rad/s (its bias)."""
    rows = np.isfinite(recording.gyr).all(axis=1)
    if not rows.any():
        return np.zeros(3)
    return np.asarray(np.median(recording.gyr[rows], axis=0), dtype=np.float64)


def _empty_span(recording: Recording, empty: npt.NDArray[np.bool_], lo: int, hi: int) -> str:
    """The run of :func:`empty_rows` with the last of them in ``[lo, hi)``, as text.

    "79.60-95.15 s": the whole run, also where it reaches out of ``[lo, hi)``; "" for none.
    """
    at = np.flatnonzero(empty[lo:hi])
    if not len(at):
        return ""
    last = lo + int(at[-1])
    before, after = np.flatnonzero(~empty[:last]), np.flatnonzero(~empty[last:])
    first = int(before[-1]) + 1 if len(before) else 0
    stop = last + int(after[0]) if len(after) else len(empty)
    fs = recording.sampling_rate_hz
    return f"{first / fs:.2f}-{stop / fs:.2f} s"


def still_start(recording: Recording, start: int) -> int | None:
    """Where a part that should start at sample ``start`` may start still, or None.

    ``start`` itself when the :data:`STILL_S` from it are still; else the first sample of
    the latest such still stretch that ends before it, within :data:`SNAP_BACK_S` (the rest
    before the set ``start`` falls in). A part that begins in the middle of a set was read
    upside down about half the time (it starts at a top hold: its first movement, a
    lowering, taken for the concentric, every top hold and bottom pause swapped), and one
    that begins within a second of a rep's onset spoiled that rep (20 deg read for 42). A
    prescription that holds the top as long as a rest (a pelvic tilt's 5 s) can still start
    there. Samples in a gap the analyzer does not bridge (:func:`empty_rows`) are no rest:
    a part never moves back into them.
    """
    fs = recording.sampling_rate_hz
    n_still = max(2, round(STILL_S * fs))
    lo = max(0, start - round(SNAP_BACK_S * fs))
    gyr = np.nan_to_num(recording.gyr[lo:start + n_still])
    if len(gyr) < n_still:
        return None
    gyr = gyr - _gyro_bias(recording)
    smooth = uniform_filter1d(gyr, max(1, round(0.1 * fs)), axis=0)
    still = np.degrees(np.sqrt(np.einsum("ij,ij->i", smooth, smooth))) < STILL_DPS
    still &= ~empty_rows(recording)[lo:start + n_still]
    # run[i]: samples i .. i + n_still - 1 all still.
    run = np.convolve(still.astype(np.int64), np.ones(n_still, dtype=np.int64),
                      mode="valid") == n_still
    at = start - lo
    if at < len(run) and run[at]:
        return start
    ok = np.flatnonzero(run[: max(at - n_still + 1, 0)])
    return lo + int(ok[-1]) if len(ok) else None


START_STILL_S: Final = 1.0
"""A recording whose pelvis moves (over :data:`STILL_DPS`) this soon after its first sample
may start in the middle of a set, s: on the simulator's sessions the first movement comes
2-4.5 s in, and a cut at a rep's top hold moves within 0-0.75 s."""


def first_sample(recording: Recording) -> int:
    """The index of the recording's first sample with data (0 unless it starts in a gap)."""
    valid = _has_sample(recording)
    return int(np.argmax(valid)) if valid.any() else 0


def moving_at_start(recording: Recording) -> float | None:
    """How soon the pelvis moves after the recording's first sample, s, or None.

    The first sample with data (:func:`first_sample`): rows with no sample before it, a
    sensor lost as the recording began, are no rest. None when it rests
    :data:`START_STILL_S` or more first. The analysis takes the starting posture for the
    rest, so a recording that starts at a top hold is read upside down, each lowering a lift.
    """
    fs = recording.sampling_rate_hz
    n = max(2, round(START_STILL_S * fs))
    first = first_sample(recording)
    gyr = np.nan_to_num(recording.gyr[first:first + n + round(0.1 * fs)])
    if len(gyr) < n:
        return None
    gyr = gyr - _gyro_bias(recording)
    smooth = uniform_filter1d(gyr, max(1, round(0.1 * fs)), axis=0)
    moving = np.flatnonzero(
        np.degrees(np.sqrt(np.einsum("ij,ij->i", smooth, smooth)))[:n] >= STILL_DPS)
    if not len(moving):
        return None
    from imu.core.locomotion import walking_samples

    # A walk to the mat first: the analyzer leaves it out and learns the posture after it.
    if walking_samples(recording.acc, recording.gyr, fs).any():
        return None
    return float(moving[0] / fs)


def moving_at_start_note(command: str, name: str, recording: Recording,
                         profile: ExerciseProfile) -> None:
    """Print the note of :func:`moving_at_start` on stderr, when it applies.

    Only where the concentric direction is read from the starting posture (lying or
    hanging, ``sign_from_gravity``); a standing lift's each movement is measured from its
    own start.
    """
    if not profile.sign_from_gravity:
        return
    moved = moving_at_start(recording)
    if moved is not None:
        # A gap first (a sensor lost as the recording began) is said; a lost frame is not.
        lead_s = first_sample(recording) / recording.sampling_rate_hz
        late = (f", at {lead_s:.1f} s (none before)"
                if recording.n_samples and empty_rows(recording)[0] else "")
        if moved < 0.1:
            when = (f"is moving as its first samples start{late}" if late
                    else "is moving as the recording starts")
        else:
            when = (f"moves {moved:.1f} s after its first samples{late}" if late
                    else f"moves {moved:.1f} s after the recording starts")
        print(f"imu {command}: note: {name}: the pelvis {when}: if it starts in the middle "
              "of a set, the reps may be read "
              "upside down (the analysis takes the starting posture for the rest, and a "
              "lowering from a top hold for a lift); check the first reps' up and down "
              "times, and start recordings at a rest", file=sys.stderr)


def cut_to_range(recording: Recording, args: argparse.Namespace, name: str,
                 command: str, settle: bool = False) -> tuple[Recording, float]:
    """The part of ``recording`` that ``--from``/``--to`` give, and when it starts, s.

    The part starts at the first sample at or after ``--from`` and ends before the first
    at or after ``--to``; the second value is its first sample's time on ``recording``'s
    clock (0.0 with no ``--from``). A ``--to`` past the end is taken to the end, with a
    note on stderr. A ``--from`` in a gap with no samples (:func:`empty_rows`, a sensor lost
    for a while) is moved on to the first sample after it, with a note: a part never starts
    with empty rows. With ``settle`` (``imu analyze``), a ``--from`` that falls in a
    movement is moved back to the latest still second before it (:func:`still_start`), with
    a note; empty rows are no rest.

    Raises:
        RangeError: ``--from`` at or past the end, a range between two samples, or one that
            holds only a gap.

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
    empty = empty_rows(recording)
    said = f"--from {from_s:g}"  # what falls in a movement, for the notes below
    gap = ""  # the gap with no samples that --from falls in, e.g. "79.60-95.15 s"
    if start > 0 and empty[start]:
        # No part starts with rows that hold no sample: at the first sample after them.
        gap = _empty_span(recording, empty, start, start + 1)
        rest = np.flatnonzero(~empty[start:end])
        if not len(rest):
            raise RangeError(
                f"{name}: {range_words(args)} holds no samples: the recording has none in "
                f"{gap} (a gap); give a range with samples in it"
            )
        start += int(rest[0])
        said = (f"--from {from_s:g} falls in a gap with no samples ({gap}); the first "
                f"sample after it, {start / fs:.2f} s,")
    still = still_start(recording, start) if settle and start > 0 else start
    if still is None:
        lo = max(0, start - round(SNAP_BACK_S * fs))
        before = _empty_span(recording, empty, lo, start)
        none = f" (no samples in {before}: a gap is no rest)" if before else ""
        print(f"imu {command}: note: {name}: {said} falls in a movement and the pelvis did "
              f"not rest {STILL_S:g} s in the {SNAP_BACK_S:g} s before it{none}: a part that "
              "starts in the middle of a set may be read upside down; give a --from where "
              "the pelvis rests (before a set)", file=sys.stderr)
    elif still < start:
        print(f"imu {command}: note: {name}: {said} falls in a movement: the part starts at "
              f"{still / fs:.1f} s, where the pelvis last rested, and holds the reps from there "
              "(a part that starts in the middle of a set is read upside down)",
              file=sys.stderr)
        start = still
    elif gap:
        print(f"imu {command}: note: {name}: --from {from_s:g} falls in a gap with no samples "
              f"({gap}): the part starts at {start / fs:.2f} s, the first sample after it",
              file=sys.stderr)
    return cut_recording(recording, start, end), start / fs
