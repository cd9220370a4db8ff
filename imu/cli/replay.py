"""``imu replay RECORDING --out DIR``: stream a recording through the live path again.

The recording's samples become the source of the virtual sensor (Bumble); the bleak client
connects through the Bumble backend and the live session decodes, records and analyses exactly
as in ``imu live`` (:mod:`imu.live.sources.replay`). A recording made by ``imu live`` replays
to the same reps.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from imu.cli._args import file_arg
from imu.cli._csvargs import not_a_recording, too_slow_message
from imu.cli._output import pipe_safe_console, prepare_analysis
from imu.cli._range import moving_at_start_note
from imu.cli.live import add_stream_options, default_name, finish, make_view
from imu.errors import AnalysisError, ImuError
from imu.exercises import PROFILES, get_profile
from imu.io.journal import SUFFIX
from imu.io.phone import detect_phone_format
from imu.io.recording import (
    ClockMapping,
    Recording,
    missing_file,
    pauses_s,
    read_recording,
    with_pauses,
)
from imu.io.summary import looks_like_parquet
from imu.live.finish import check_session_name
from imu.live.session import InterruptHold
from imu.live.sources.replay import at_sensor_rate, replay
from imu.report.session import recorded_tempo
from imu.tempo import parse_tempo


def register(subparsers: Any) -> None:
    """Add the ``replay`` command."""
    p = subparsers.add_parser(
        "replay",
        help="stream a recording through the live path (virtual sensor, bleak, analyzer)",
        description=textwrap.fill(
            "Replay a recording as if it came live from a sensor: a virtual sensor on Bumble"
            " streams its samples, the bleak client receives them and the live loop shows and"
            " analyses them. A recording made by 'imu live' gives the same reps again."
        ),
        epilog="examples:\n"
               "  imu replay sessions/live-20250101-093000.parquet --out replayed/ --speed 10\n"
               "  imu replay recordings/reverse_crunch.parquet --out out/r --speed 20 --plain\n"
               "\n"
               "RECORDING is a Parquet recording (imu live, imu convert, imu simulate); import\n"
               "a CSV or a phone export with 'imu convert' first. Ctrl-C stops the replay and\n"
               "saves the part streamed, as it ends a live session: a note says how much of\n"
               "the recording that is.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("recording", type=file_arg, metavar="RECORDING", help="Parquet recording")
    p.add_argument("--exercise", "-e", default=None, metavar="E",
                   help="exercise profile (default: the recording's own)")
    add_stream_options(p, name_prefix="replay",
                       tempo_default="the recording's, else the exercise's")
    p.set_defaults(func=run)


def check_recording_arg(path: Path) -> None:
    """Refuse a folder, a missing file or a file that is not a Parquet recording, clearly.

    Raises:
        ImuError: the message names the path and says what replay wants.

    """
    if path.is_dir():
        found = sorted(path.glob("*.parquet"))[:1]
        example = f", e.g. imu replay {found[0]}" if found else ""
        if not found and detect_phone_format(path) is not None:
            # A phone or Polar export (trial 23: no next step was given).
            example = (f"; this folder is a phone export: convert it first with 'imu convert "
                       f"{path} {path.with_suffix('.parquet')}', then replay that")
        raise ImuError(
            f"{path}: is a folder; imu replay streams one recording file (.parquet){example}"
        )
    if not path.exists():
        raise ImuError(f"{missing_file(path)}; imu replay wants a Parquet recording")
    problem = not_a_recording(path)
    if problem:
        raise ImuError(problem)
    if not looks_like_parquet(path):
        raise ImuError(
            f"{path}: not a Parquet recording; imu replay streams recordings: convert it first "
            f"with 'imu convert {path} {parquet_name(path)}'"
        )


COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zip")
"""Suffixes of a compressed file, left out with the format's own suffix when naming its Parquet."""


def parquet_name(path: Path) -> Path:
    """The Parquet name to suggest for ``path``: ``s.csv`` and ``s.csv.gz`` give ``s.parquet``."""
    if path.suffix.lower() in COMPRESSED_SUFFIXES:
        path = path.with_suffix("")
    return path.with_suffix(".parquet")


def run(args: argparse.Namespace) -> int:
    """Run ``imu replay``; returns the exit code."""
    check_recording_arg(args.recording)
    original = read_recording(args.recording)
    # What imu analyze refuses is refused here too, in its words (before it is interpolated
    # up to a sensor rate, which would only replay a recording too coarse to find reps in).
    slow = too_slow_message(
        args.recording, original.sampling_rate_hz,
        "import its source again with the true rate ('imu convert SOURCE OUT.parquet --rate "
        "HZ', or --time-unit)",
    )
    if slow:
        raise AnalysisError(slow)
    recording, note = at_sensor_rate(original, str(args.recording))
    if note:
        print(f"imu replay: {note}", file=sys.stderr)
    exercise = args.exercise or recording.meta.exercise
    if not exercise:
        # The choices, as imu analyze gives them (trial 24: "pass --exercise" alone).
        raise ImuError(f"{args.recording}: the recording does not name its exercise; pass "
                       f"--exercise (one of: {', '.join(PROFILES)})")
    profile = get_profile(exercise)
    moving_at_start_note("replay", str(args.recording), original, profile)
    # The recorded tempo only for its own exercise, as imu analyze reads it.
    # A stored tempo over a limit says so (imu.report.session.recorded_tempo).
    tempo = (parse_tempo(args.tempo) if args.tempo
             else recorded_tempo(recording.meta, profile))
    out = pipe_safe_console("replay")
    name = args.name or default_name("replay")
    check_session_name(args.out, name)
    journal = args.out / f"{name}{SUFFIX}"
    prepare_analysis("replay")  # before the screen starts
    view = make_view(args, out, profile, tempo)
    with InterruptHold("replay") as hold:
        with view.running():
            result = asyncio.run(
                replay(recording, profile, tempo, args.speed, journal, view, hold=hold)
            )
        result = dataclasses.replace(result, recording=as_replay_of(
            result.recording, original, args.recording))
        saved = finish(result, args.out, name, profile, tempo, out, journal, command="replay",
                       hold=hold)
    cut = cut_short_note(recording, result.recording.duration_s, args.recording,
                         interrupted=result.interrupted, speed=args.speed)
    if cut:
        # Broken off by itself (not Ctrl-C), the replay is incomplete: a warning and exit 1
        # (trial 22: a 2 h replay at 1000x stopped at 2292 s with exit 0).
        kind = "note" if result.interrupted else "warning"
        print(f"imu replay: {kind}: {cut}", file=sys.stderr)
        if not result.interrupted:
            return 1
    return 1 if saved is not None and saved.fallback_reason is not None else 0


REPLAY_PAUSE_SLACK_S = 0.25
"""A replayed gap this close to the edge of a pause of the original is part of the pause, s:
the virtual sensor sends whole frames of samples, and a recording at another rate is
interpolated onto the sensor's (:func:`imu.live.sources.replay.at_sensor_rate`)."""


def as_replay_of(replayed: Recording, original: Recording, path: Path) -> Recording:
    """The replay's recording with the original's participant, start time and pauses.

    A replay streamed a recorded session again: dated at replay time and without its
    participant, it was a second session of "unknown" in another week (trial 22). Its
    device-to-host clock fit is of the virtual sensor against a scaled clock (a drift of
    764810 ppm at --speed 200 on a busy machine), not of any sensor: left out.
    ``notes["replay_of"]`` names the file replayed. Where the original's measurement was
    paused (in phyphox), the virtual sensor sent nothing and the replay has a gap of lost
    frames: it is the pause again (:func:`imu.io.recording.with_pauses`), not a lost sensor.
    """
    notes = {k: v for k, v in replayed.meta.notes.items()
             if k not in ("clock_residual_ms", "clock_points")}
    notes["replay_of"] = str(path)
    paused = with_pauses(replayed, pauses_s(original.meta), REPLAY_PAUSE_SLACK_S)
    return paused.with_meta(
        participant=original.meta.participant,
        start_time_s=original.meta.start_time_s or replayed.meta.start_time_s,
        clock=ClockMapping(), notes=notes)


CUT_SHORT_S = 1.0
"""A replay ending this much before the recording's last sample was stopped (Ctrl-C)."""


def cut_short_note(recording: Recording, replayed_s: float, path: Path,
                   interrupted: bool = True, speed: float = 1.0) -> str:
    """What a replay stopped before the recording's end holds; "" for a whole replay.

    Ctrl-C ends a replay cleanly and saves what was streamed, as it ends ``imu live``: the
    saved recording and its reports are only the part before it, which the summary's
    "20 s recorded" alone does not tell from the whole recording. Not ``interrupted``, the
    virtual sensor's stream broke off by itself: on a busy machine at a high ``speed`` its
    link times out (a 2-hour recording at 1000x under load stopped at 3496 s with exit 0 and
    nothing said why); the note says so and what to do.
    """
    valid = np.flatnonzero(np.isfinite(recording.acc).all(axis=1))
    if valid.size == 0:
        return ""
    end_s = (valid[-1] + 1) / recording.sampling_rate_hz
    if replayed_s >= end_s - CUT_SHORT_S:
        return ""
    held = (f"the replay's recording and reports hold only that part (the reps after it were "
            f"not replayed); {path} itself is unchanged")
    if interrupted:
        return f"the replay stopped at {replayed_s:.1f} s of the recording's {end_s:.1f} s: {held}"
    return (f"the replay broke off at {replayed_s:.1f} s of the recording's {end_s:.1f} s: the "
            f"virtual sensor's link was lost (at --speed {speed:g} a busy machine cannot keep "
            f"up with it); {held}. Replay it again at a lower --speed, or analyse it without "
            f"streaming: imu analyze {path}")
