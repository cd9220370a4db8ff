"""``imu batch INPUTS... --out DATASET``: analyse many recordings on Dask into a Parquet dataset."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from imu.batch import (
    FAILURES_FILE,
    WORKERS_PER_CPU,
    BatchInterrupted,
    BatchOptions,
    Job,
    SessionOutcome,
    check_dataset_folder,
    check_dataset_lock,
    check_scheduler_reachable,
    collect_jobs,
    format_hours,
    max_local_workers,
    other_sessions,
    run_batch,
    unplaced_sessions,
)
from imu.cli._args import count, folder_arg, input_arg, tempo_text, tolerance_fraction
from imu.cli._csvargs import console
from imu.cli._output import prepare_analysis
from imu.core.analyzer import AnalyzerParams
from imu.core.metrics import TempoTolerance
from imu.errors import ImuError
from imu.io.load import shown_name

EPILOG = """\
inputs:
  Files (Parquet recordings, or CSV in the default layout time_s,acc_x..gyr_z in SI units),
  directories (searched recursively for *.parquet) and glob patterns ('cohort/**/*.parquet',
  quoted so the shell leaves them alone). With --manifest and no INPUTS, exactly the
  manifest's files are analysed (a listed file that does not exist fails, like an unreadable
  one). With both, the INPUTS are analysed: a note names recordings the manifest does not
  list (they get their own metadata) and manifest files that are not among the INPUTS (not
  analysed). A file named by two inputs is analysed once (a note says so), and so is a Polar
  Sensor Logger recording whose _ACC.txt and _GYRO.txt are both named, and a phone export
  given as its folder and as a file of it (DIR DIR/X_ACC.txt: once, as DIR). A broken link, a
  named pipe, or a file that is no recording (a reps/sets/session table, e.g. copied out of
  a dataset) fails with its reason, the one imu convert gives.

metadata (most specific first):
  the manifest row of the file (CSV: file,participant,exercise,tempo,date; relative file
  paths are relative to the manifest; empty cells fall through; dates ISO 8601, 2024-01-08
  or 2024-01-08T18:00:00Z), then --exercise/--tempo, then the recording's own metadata,
  then the exercise's default tempo. A bad manifest stops before any work with one error
  that lists every bad row (exit status 2). A date in the future or over a year from every
  other row's (a typo: 2062 for 2026) is used and warned of, naming its line.

dataset (--out DATASET):
  DATASET/reps/participant=<label>/<session_id>.parquet      one row per rep
  DATASET/sets/participant=<label>/<session_id>.parquet      one row per set
  DATASET/sessions/participant=<label>/<session_id>.parquet  one row per session
  DATASET/_done/<session_id>.json, DATASET/_failures.csv
  DATASET/_lock while a batch writes it (one batch at a time; a second is refused)
  A session that looks like another exercise than the one it was analysed as gets the note
  imu analyze gives (on stderr, and in the sessions table's exercise_note column; null
  otherwise); the analysis and the exit status stay as they are.
  session_id = first 16 hex digits of the SHA-256 of the file's bytes. A re-run skips the
  sessions already done with the same inputs; a session whose metadata (manifest row,
  --exercise, --tempo), --tempo-tolerance or file (size, modification time, bytes) changed,
  or whose table files are gone or damaged (or its done-marker unreadable), is analysed
  again and its old rows replaced (--force re-analyses every session). Files inside an
  earlier dataset in an input folder are left out. Read it with
  imu.research.load_dataset(DATASET), pandas, Dask or DuckDB (docs/research.md).

parallelism:
  A local Dask cluster of --workers processes (1 thread each) by default: at most 4 per
  CPU (fewer when ulimit -n is low: 1 per 16 open files), more is refused (the analysis is
  CPU-bound, and thousands of processes exhaust the open files). --scheduler
  tcp://HOST:8786 uses a running cluster (its workers must read the input files and have
  imu installed). --workers 0 analyses in this process without Dask.

exit status: 0 when every file was analysed (or skipped as done), 1 when any failed (a
  table lists them), 2 when every file failed (none analysed or done) and on bad options,
  130 on Ctrl-C: one line says how many sessions this run stored (they stay done) and how
  many recordings are left; the same command again skips the sessions stored and analyses
  the rest, the failed files again (with --force it analyses every one again). A Ctrl-C
  while the local cluster starts, a second or two, stops it once it is up.

examples:
  imu batch recordings/ --out dataset/ --workers 4
  imu batch 'cohort/**/*.parquet' --manifest cohort/manifest.csv --out dataset/
  imu batch --manifest cohort/manifest.csv --out dataset/ --scheduler tcp://10.0.0.5:8786
"""


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text!r}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``batch`` command."""
    parser = subparsers.add_parser(
        "batch",
        help="analyse many recordings in parallel (Dask) into a partitioned Parquet dataset",
        description=textwrap.fill(
            "Analyse many recordings in parallel on Dask and store their reps, sets and "
            "session tables in a Parquet dataset partitioned by participant. A bad file is "
            "reported and skipped; a re-run skips the sessions already done with the same "
            "metadata and options, and analyses the others again."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", type=input_arg, nargs="*", metavar="INPUT",
                        help="files, directories, globs")
    parser.add_argument("--out", "-o", type=folder_arg("--out out/batch"), required=True,
                        metavar="DATASET",
                        help="dataset directory")
    parser.add_argument("--exercise", "-e", metavar="E", default=None,
                        help="exercise when the manifest does not say (overrides the files')")
    parser.add_argument("--tempo", metavar="U-H-D", default=None, type=tempo_text,
                        help='prescription "up-hold-down" s when the manifest does not say')
    parser.add_argument("--workers", "-j", type=_workers, default=2, metavar="N",
                        help=f"local worker processes [2], at most {WORKERS_PER_CPU} per CPU "
                        f"({max_local_workers()} here); 0 = no Dask, in this process")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="address of a running Dask scheduler, e.g. tcp://host:8786")
    parser.add_argument("--manifest", type=Path, metavar="CSV", default=None,
                        help="per-file metadata: file,participant,exercise,tempo,date")
    parser.add_argument("--force", action="store_true",
                        help="re-analyse sessions already in the dataset")
    parser.add_argument("--prune", action="store_true",
                        help="drop the dataset's sessions whose files no longer exist (each "
                        "run names them; without --prune their rows stay)")
    parser.add_argument("--tempo-tolerance", type=tolerance_fraction,
                        default=TempoTolerance().fraction, metavar="F",
                        help="allowed deviation per phase, a fraction in (0, 1] [0.25]")
    parser.add_argument("--verbose", "-v", action="count", default=argparse.SUPPRESS,
                        help="more log output (also Dask's scheduler and worker logs)")
    parser.set_defaults(func=run)


def _note_other_sessions(dataset: Path, jobs: list[Job]) -> None:
    """Say so on stderr when the dataset already holds sessions of other files.

    They stay in the dataset (and in what is read from it): a re-run with other inputs, a
    cohort simulated again into the same folder, adds to it.
    """
    others = other_sessions(dataset, jobs)
    unplaced = unplaced_sessions(dataset, others)
    if others - unplaced:
        print(
            f"imu batch: note: {dataset} already holds "
            f"{count(len(others - unplaced), 'session')} of files not among these inputs (from "
            "an earlier run); they stay in the dataset; choose a new --out for these inputs "
            "alone",
            file=sys.stderr,
        )
    if unplaced:
        print(
            f"imu batch: note: {dataset} holds {count(len(unplaced), 'session')} written by an "
            "earlier imu version whose recorded file path names none of these inputs; they "
            "stay in the dataset (if one is an earlier version of an input file, its old rows "
            "stay too); choose a new --out for these inputs alone",
            file=sys.stderr,
        )


def manifest_tempo_note(tempo: str, manifest: str | Path, kept: int, total: int) -> str:
    """The note for ``--tempo`` beside a manifest that gives recordings their own tempo.

    ``kept`` of the ``total`` recordings have a tempo in the manifest's tempo column, which
    wins over ``--tempo``: the note says how many, and how to change it.
    """
    which = (f"any of the {total} recordings" if kept == total and total > 1
             else "the recording" if kept == total
             else f"{kept} of the {total} recordings")
    keeps = "it keeps the tempo the manifest" if kept == 1 else "they keep the tempo the manifest"
    them = "it" if kept == 1 else "them"
    return (f"--tempo {tempo} is not used for {which}: {keeps} "
            f"{manifest} gives {them} (its tempo column wins over --tempo); to change it, edit "
            "the manifest's tempo column (an empty cell takes --tempo) and run 'imu batch' "
            "again")


def _note_manifest_tempo(args: argparse.Namespace, jobs: Sequence[Job]) -> None:
    """Say once that ``--tempo`` does not apply to files whose manifest row gives a tempo.

    Trial 24: ``imu batch --manifest M --tempo 5-1-5`` took the manifest's tempos without a
    word (as documented: the manifest wins), and the dataset was not what was asked for.
    """
    if args.tempo is None or args.manifest is None:
        return
    kept = sum(1 for job in jobs if job.manifest.tempo)
    if kept:
        print(f"imu batch: note: {manifest_tempo_note(args.tempo, args.manifest, kept, len(jobs))}",
              file=sys.stderr)


REANALYSED_WHY = {
    "file": "whose file changed",
    "inputs": "whose metadata or options changed",
    "file+inputs": "whose file and metadata or options changed",
    "tables": "whose table files were missing",
    "damaged": "whose table files were damaged (not readable Parquet)",
    "marker": "whose done-marker was unreadable",
    "version": "written by an earlier imu version",
    "force": "already done (--force)",
}
"""How the summary says why sessions were analysed again (``BatchResult.reanalysed_why``)."""


def _reanalysed(why: dict[str, int]) -> str:
    """``1 whose file changed``, or ``3 (2 whose file changed, 1 ...)`` for several reasons."""
    parts = [(n, REANALYSED_WHY.get(key, key)) for key, n in why.items() if n]
    if len(parts) == 1:
        return f"{parts[0][0]} {parts[0][1]}"
    return f"{sum(n for n, _ in parts)} ({', '.join(f'{n} {text}' for n, text in parts)})"


def interrupted_text(stop: BatchInterrupted, force: bool = False) -> str:
    """What a Ctrl-C of ``imu batch`` leaves, and how to go on: one line after "interrupted: ".

    ``2 sessions stored in ds by this run (5 done before); run the same command again to
    analyse the 8 recordings left (1 of them failed: ds/_failures.csv): it skips the sessions
    already stored``. ``force``: the run had ``--force``, with which a re-run analyses every
    recording again; without it, a re-run skips every session already done, of earlier runs
    too: both are said.
    """
    stored = (f"{count(stop.stored, 'session')} stored in {stop.root} by this run"
              if stop.stored else f"no session stored in {stop.root} by this run")
    if stop.skipped:
        stored += f" ({stop.skipped} done before)"
    n = stop.left + stop.failed
    if not n:
        return f"{stored}; no recording is left to analyse"
    failed = (f" ({stop.failed} of them failed: {stop.root / FAILURES_FILE})"
              if stop.failed else "")
    if force:
        return (f"{stored}; the same command again analyses every recording again (--force); "
                "without --force it skips every session already done, of earlier runs too, "
                f"and analyses the others{failed.replace(' of them', '')}")
    skips = ": it skips the sessions already stored" if stop.stored or stop.skipped else ""
    return (f"{stored}; run the same command again to analyse the {count(n, 'recording')} "
            f"left{failed}{skips}")


def run(args: argparse.Namespace) -> int:
    """Run the batch with a progress bar; print failures; returns the exit code.

    Ctrl-C while it analyses raises ``KeyboardInterrupt`` with :func:`interrupted_text`
    (the command's one line says it after "interrupted: ").
    """
    try:
        return _run(args)
    except BatchInterrupted as stop:
        raise KeyboardInterrupt(interrupted_text(stop, args.force)) from None


def _run(args: argparse.Namespace) -> int:
    out = console("batch")
    options = BatchOptions(
        exercise=args.exercise,
        tempo=args.tempo,
        params=AnalyzerParams(tempo_tolerance=TempoTolerance(fraction=args.tempo_tolerance)),
        workers=args.workers,
        scheduler=args.scheduler,
        force=args.force,
        prune=args.prune,
    )
    options.validate()  # before hashing the inputs, which takes a while for a big cohort
    check_dataset_folder(args.out)  # before the progress bar starts
    check_dataset_lock(args.out)  # (run_batch takes the lock; this refuses before hashing)
    if args.scheduler is not None:  # one line, before "analysed on" and the progress bar
        check_scheduler_reachable(args.scheduler)
    jobs = collect_jobs(args.inputs, args.manifest, exclude=args.out)
    _note_other_sessions(args.out, jobs)
    _note_manifest_tempo(args, jobs)
    where = args.scheduler or (
        count(args.workers, "local worker") if args.workers else "this process"
    )
    out.print(f"{count(len(jobs), 'recording')}, analysed on {where}")
    if args.scheduler is None:  # local workers then load the compiled loops from the cache
        prepare_analysis("batch")
    progress = Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[failed]} failed"),
        console=out,
        transient=False,
    )
    task = progress.add_task("batch", total=len(jobs), failed=0)
    failed = 0

    def started(n_todo: int) -> None:
        progress.update(task, total=n_todo)

    def done(outcome: SessionOutcome) -> None:
        nonlocal failed
        if outcome.repaired:  # as imu analyze says it: what reading the file changed
            # (batch has no --rate: the way to set it is to convert the file first)
            line = outcome.repaired.replace(
                "(pass --rate HZ to set it)",
                f"(to set it, 'imu convert {outcome.path} OUT.parquet --rate HZ' and batch that)")
            print(f"imu batch: {line}", file=sys.stderr)
        if outcome.error is not None:
            failed += 1
            progress.console.print(f"[red]failed[/red]: {shown_name(str(outcome.path))}: "
                                   f"{outcome.error}",
                                   markup=True, highlight=False)
        elif outcome.note:
            # As imu analyze says it; the analysis, the dataset's numbers and the exit code
            # stay as they are (the sessions table keeps it as exercise_note).
            print(f"imu batch: note: {outcome.path}: {outcome.note}", file=sys.stderr)
        progress.update(task, advance=1, failed=failed)

    with progress:
        result = run_batch(jobs, args.out, options, on_done=done, on_start=started)
    again = f", re-analysed {_reanalysed(result.reanalysed_why)}" if result.reanalysed else ""
    out.print(
        f"analysed {count(result.analysed, 'session')} ({format_hours(result.session_hours)} of "
        f"recordings, {count(result.reps, 'rep')}){again}, skipped {result.skipped} already "
        f"done, {len(result.failures)} failed, in {result.wall_s:.1f} s; dataset: {args.out}"
    )
    if len(result.notes) > 1:  # each was said as it came: where to find them again
        print(f"imu batch: note: {len(result.notes)} sessions look like another exercise than "
              "the one they were analysed as (the notes above; the sessions table's "
              "exercise_note column)", file=sys.stderr)
    if result.failures:
        table = Table(title="failures", box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("file", overflow="fold")
        table.add_column("reason", overflow="fold")
        for path, reason in result.failures:
            table.add_row(shown_name(str(path)), reason)
        out.print(table)
        if not result.analysed and not result.skipped:  # as imu analyze: nothing analysed
            n = len(result.failures)
            which = "the one recording could not" if n == 1 else f"none of the {n} recordings could"
            raise ImuError(
                f"{which} be analysed (listed above with its reason, and in "
                f"{args.out / FAILURES_FILE}); nothing stored by this run"
            )
        return 1
    return 0
