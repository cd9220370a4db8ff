"""``imu progress SESSIONS_OR_DATASET --out DIR``: a personal progress page over many sessions."""

from __future__ import annotations

import argparse
import shlex
import textwrap
from pathlib import Path
from typing import Any

from rich.markup import escape

from imu.cli._args import folder_arg, input_arg, tempo_text
from imu.cli._csvargs import console
from imu.cli._output import prepare_analysis
from imu.errors import ImuError

EPILOG = """\
inputs:
  One dataset folder written by 'imu batch' (it has reps/ and sessions/), or recordings:
  files, directories (searched for *.parquet) and quoted globs, analysed here the way
  'imu batch' analyses them (--manifest and --tempo as there; --exercise picks the page,
  and is the exercise only of recordings that name none). The tables
  of an 'imu batch' dataset inside a folder are left out (they are no recordings). Weeks
  need the sessions' dates: from the recordings' start time (recordings of 'imu live' and
  'imu simulate' have one, the bundled ones do not) or the manifest's date column, e.g. a
  manifest.csv of the lines 'file,date' and 'session.parquet,2024-01-15'. A session dated in
  the future or over a year from every other one (a typo: 2062 for 2026) is named in a
  warning, with where to fix its date; the page is made all the same. The page is of one
  participant: 'imu simulate' files its recordings under sim-SEED, a live session without
  --participant under 'unknown'; with several, --participant chooses.

outputs (in --out DIR):
  progress.html          the page: sessions per week, clean reps per set, descent and
                         swing reps over the weeks, and where you stand against the
                         progression rule (about 15 clean reps with a 3 s descent)
                         (a hold, plank: time held per week and the longest hold
                         against the prescribed hold, and the hold faults: sagging,
                         piking, shaking)
  progress_weekly.csv    the weekly numbers behind it (a plank's: held_s, longest_hold_s)

examples:
  imu progress dataset/ --participant P01 --out out/progress
  imu progress ~/imu/sessions/ --exercise reverse-crunch --tempo 3-1-3 --out out/progress
  imu progress cohort/ --manifest cohort/manifest.csv --participant P02 --out out/p02
"""


def register(subparsers: Any) -> None:
    """Add the ``progress`` command."""
    parser = subparsers.add_parser(
        "progress",
        help=("a personal progress page over many sessions (weeks, clean reps, descent, swings; "
              "planks: time held)"),
        description=textwrap.fill(
            "Write a personal progress page from a dataset of 'imu batch' or from recordings: "
            "sessions per week, clean reps per set, eccentric duration and swing reps over "
            "time, and where the person stands against the progression rule; for a hold "
            "(plank), the time held against the prescribed hold and the hold faults."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", type=input_arg, nargs="+", metavar="SESSIONS_OR_DATASET",
                        help="a dataset folder, or recordings (files, folders, globs)")
    parser.add_argument("--out", "-o", type=folder_arg("--out out/progress"), required=True,
                        metavar="DIR", help="output dir")
    parser.add_argument("--participant", "-p", metavar="P", default=None,
                        help="whose progress (needed when the inputs hold several people)")
    parser.add_argument("--exercise", "-e", metavar="E", default=None,
                        help="which exercise; default: the one with the most sessions (for "
                        "recordings without one: their exercise)")
    parser.add_argument("--tempo", metavar="U-H-D", default=None, type=tempo_text,
                        help='prescription "up-hold-down" s for every recording analysed '
                        "here, over its recorded one (as in imu analyze and imu batch; a "
                        "manifest row's tempo still wins); not for a dataset folder, whose "
                        "reps are already analysed")
    parser.add_argument("--manifest", type=Path, default=None, metavar="CSV",
                        help="per-file participant, exercise, tempo, date (as imu batch)")
    parser.set_defaults(func=run)


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that cannot become a folder, before any work (nothing is created).

    The page used to be built first, then writing it failed with "File exists".

    Raises:
        ImuError: ``out`` is a file, or a file stands where one of its parent folders would be.

    """
    from imu.io.atomic import file_in_the_way

    fix = "give --out a folder (a new one or an existing one), e.g. --out out/progress"
    blocking = file_in_the_way(out)
    if blocking == out:
        raise ImuError(f"--out {out} is a file, not a folder; {fix}")
    if blocking is not None:
        raise ImuError(f"--out {out}: {blocking} is a file, not a folder; {fix}")


def command_for(args: argparse.Namespace, participant: str) -> str:
    """The command line of this run with ``--participant`` (as a shell reads it)."""
    words = ["imu", "progress", *map(str, args.inputs), "--participant", participant]
    for flag, value in (("--exercise", args.exercise), ("--tempo", args.tempo),
                        ("--manifest", args.manifest)):
        if value is not None:
            words += [flag, str(value)]
    return shlex.join([*words, "--out", str(args.out)])


def _choose_participant(args: argparse.Namespace, sessions: dict[str, int]) -> str:
    """The inputs hold several participants: who they are, and the command for each.

    ``imu simulate`` files its recordings under ``sim-SEED``, a live recording without a
    participant is ``unknown``: a user's own folder can hold both. The page is of one; the
    command for the one with the most sessions is given whole (the others by name).
    """
    from imu.report.progress import participants_text

    ranked = list(sessions)
    shown = dict(list(sessions.items())[:8])
    more = f" and {len(ranked) - 8} more" if len(ranked) > 8 else ""
    others = ("" if len(ranked) < 2 else
              f" (or --participant {ranked[1]}" + (", ..." if len(ranked) > 2 else "") + ")")
    return (
        f"{len(ranked)} participants in the sessions: {participants_text(shown)}{more}; the "
        f"page is of one: choose one with --participant: {command_for(args, ranked[0])}"
        f"{others}"
    )


def _date_fix(args: argparse.Namespace) -> str:
    """How to fix a session's date, where this run took the dates from."""
    from imu.report.progress import is_dataset

    if len(args.inputs) == 1 and is_dataset(args.inputs[0]):
        return (f"fix it in the date column of the manifest 'imu batch' made {args.inputs[0]} "
                "with, and run 'imu batch' again")
    if args.manifest is not None:
        return (f"fix it in the date column of {args.manifest} (a manifest's date wins over "
                "the recording's own start time)")
    return ("give the right date in a manifest's date column (--manifest CSV with the lines "
            "'file,date'), which wins over the recording's own start time")


def _tempo_fix(dataset: str | Path) -> str:
    """How to change the tempos of the dataset at ``dataset``, by where they came from.

    Trial 24: "run 'imu batch --tempo'" for a dataset built from a manifest with a tempo
    column, whose tempo wins over ``--tempo``: following it changed nothing. The done-markers
    say where each session's tempo came from (:func:`imu.batch.tempo_sources`).
    """
    from imu.batch import tempo_sources

    sources = tempo_sources(dataset)
    total = sum(sources.values())
    manifest, unknown = sources.get("manifest", 0), sources.get("unknown", 0)
    edit = "edit the tempo column of the manifest it was built with and run 'imu batch' again"
    option = "run 'imu batch --tempo' on its recordings"
    if manifest and manifest == total:
        return f"its tempos come from a manifest: to change them, {edit}"
    if manifest:
        return (f"{manifest} of its {total} sessions take their tempo from a manifest: to "
                f"change them, {edit}; for the others, {option}")
    if unknown:  # stored by an earlier imu version: where the tempos came from is not known
        return (f"to change them, {option}, or, for recordings a manifest gives a tempo "
                "(its tempo column wins over --tempo), edit that column and run 'imu batch' "
                "again")
    return f"to change them, {option}"


MANIFEST_COLUMNS: tuple[str, ...] = ("participant", "exercise", "tempo", "date")
"""Columns of a manifest besides ``file`` (docs/research.md)."""


def manifest_columns(path: Path) -> list[str]:
    """The header of ``path`` when it is a manifest CSV; [] otherwise.

    A manifest has a ``file`` column and one of :data:`MANIFEST_COLUMNS`, and no sample
    columns. Given as an input, a manifest was read as a recording: "column(s) 'time_s', 'acc_x' ...
    not found; name your columns with --time-col ...", then "no analysed sessions to show",
    advice that does not apply.
    """
    if path.suffix.lower() != ".csv" or not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
    except OSError:
        return []
    names = [name.strip().strip('"').lower() for name in header.replace(";", ",").split(",")]
    if "file" in names and any(name in names for name in MANIFEST_COLUMNS) and not any(
            name.startswith(("acc", "gyr", "time")) for name in names):
        return [name for name in names if name]
    return []


def run(args: argparse.Namespace) -> int:
    """Build and write the progress page; returns the exit code (1 when a file failed)."""
    from imu.exercises import check_tempo_fits, get_profile
    from imu.report.progress import (
        NoDatesError,
        ParticipantChoiceError,
        build_progress,
        headline,
        is_dataset,
        load_inputs,
        no_weeks_words,
        others_lines,
        same_start_lines,
        stray_date_lines,
        write_progress,
    )
    from imu.report.terminal import print_prose
    from imu.tempo import parse_tempo

    # Options are checked once, up front (as 'imu batch' does), not once per file.
    if args.exercise is not None:
        profile = get_profile(args.exercise)
        if args.tempo is not None:
            check_tempo_fits(profile, parse_tempo(args.tempo))
    check_out(args.out)
    for given in args.inputs:
        listed = manifest_columns(Path(given))
        if listed:
            raise ImuError(
                f"{given} is a manifest (columns {', '.join(listed)}), not a recording: give "
                "the recordings it lists, with it as --manifest, e.g. 'imu progress "
                f"{shlex.quote(str(Path(given).parent))} --manifest {shlex.quote(str(given))} "
                "--out DIR' (or 'imu batch --manifest' first, and the dataset folder here)"
            )
    out = console("progress")
    if len(args.inputs) == 1 and is_dataset(args.inputs[0]):
        # Options for recordings, which a dataset's analysed tables do not use: said, never
        # taken without a word (trial 22: even a --manifest file that did not exist).
        for flag, value, what, change in (
            ("--tempo", args.tempo, "its own tempos", _tempo_fix(args.inputs[0])),
            ("--manifest", args.manifest, "its manifest",
             "run 'imu batch --manifest' on its recordings to change their participants, "
             "exercises, tempos or dates"),
        ):
            if value is not None:
                out.print(f"note: {flag} {value} is not used: {args.inputs[0]} is a dataset, "
                          f"already analysed with {what} ({change})", highlight=False)
    if not all(is_dataset(p) for p in args.inputs):
        prepare_analysis("progress")  # recordings among the inputs are analysed
    data, failures = load_inputs(args.inputs, args.manifest, args.exercise, args.tempo)
    for path, reason in failures:
        out.print(f"[yellow]{path}: skipped: {reason}[/yellow]", markup=True, highlight=False)
    try:
        progress = build_progress(data, args.participant, args.exercise)
    except ParticipantChoiceError as exc:
        raise ImuError(_choose_participant(args, exc.sessions)) from exc
    except NoDatesError as exc:
        if all(is_dataset(p) for p in args.inputs):
            # Trial 25: the advice was --manifest on progress, which a dataset does not use
            # (its next run said so): the dates go in when 'imu batch' makes the dataset.
            raise ImuError(
                f"{no_weeks_words(exc.sessions)}; a dataset's dates come from its "
                "recordings' start times or the date column of the manifest 'imu batch' was "
                "given: run 'imu batch RECORDINGS --manifest manifest.csv --out DATASET' "
                "again with the lines "
                "'file,date' (e.g. 'session.parquet,2024-01-15'), then 'imu progress DATASET'"
            ) from exc
        raise
    for line in [*stray_date_lines(progress, _date_fix(args)), *same_start_lines(progress)]:
        out.print(f"[yellow]warning: {escape(line)}[/yellow]", markup=True, highlight=False)
    for line in [*headline(progress), *others_lines(progress)]:
        out.print(line, highlight=False)
    written = write_progress(progress, args.out)
    # Word-wrapped on a terminal, as imu analyze's: a narrow one cut it mid-word.
    print_prose(out, f"wrote: {', '.join(p.name for p in written)} to {args.out}")
    return 1 if failures else 0
