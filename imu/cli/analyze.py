"""``imu analyze FILE... --out DIR``: find reps, phases and faults and write the reports."""

from __future__ import annotations

import argparse
import contextlib
import logging
import shlex
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType
from rich.markup import escape
from rich.measure import Measurement
from rich.text import Text

from imu.cli._args import (
    file_arg,
    out_dir_arg,
    tempo_text,
    tolerance_fraction,
    uncertain_note,
)
from imu.cli._csvargs import (
    PHONE_HELP,
    UNITS_HELP,
    add_csv_options,
    console,
    csv_options,
    import_flags,
    load,
    positive_number,
    print_repairs,
    too_slow,
)
from imu.cli._output import bug_text, prepare_analysis
from imu.cli._range import (
    add_range_options,
    check_range,
    cut_to_range,
    has_range,
    moving_at_start_note,
    range_words,
)
from imu.core.analyzer import AnalyzerParams
from imu.core.metrics import TempoTolerance
from imu.errors import AnalysisError, ImportOptionsError, ImuError, RecordingError
from imu.exercises import (
    EXERCISE_ALIASES,
    PROFILES,
    closest_name,
    get_profile,
    known_profile,
)
from imu.io.atomic import (
    FolderBusyError,
    folder_lock,
    replace_together,
    write_error_reason,
)
from imu.io.csv_import import UNKNOWN_EXERCISE_WARNING
from imu.io.load import (
    LoadedRecording,
    exports_once,
    is_imu_recording,
    load_skipping_groups,
    not_a_recording,
)
from imu.io.phone import detect_phone_format
from imu.io.polar_logger import one_per_recording
from imu.io.recording import Recording, one_line, resolved
from imu.live.finish import no_reps_note
from imu.report.axis_check import off_axis_note
from imu.report.coaching import DISCLAIMER, default_tempo_words, tempo_by_default
from imu.report.mismatch import exercise_mismatch, set_aside_note
from imu.report.session import (
    SessionReport,
    analyze_recording,
    bridged_limit,
    check_long_enough,
    coarse_rate_note,
)
from imu.report.summary import counted_words, missed_note, summarize
from imu.report.tables import (
    REPORT_FILES,
    ReportError,
    check_output_dir,
    combined_tables,
    write_reports,
)
from imu.report.terminal import print_prose, reps_view, sets_view
from imu.tempo import Tempo, parse_tempo
from imu.text import pause_not_judged_words, tempo_and_time

logger = logging.getLogger(__name__)

_EXERCISES = "\n".join(f"  {name:<20} {p.title}" for name, p in PROFILES.items())

EPILOG = f"""\
tempo:
  --tempo is "up-hold-down" in seconds: 3-1-3 = 3 s up (concentric), 1 s squeeze at the top,
  3 s down (eccentric). A fourth number is the bottom pause: 3-1-3-1. The four-digit
  strength-training notation (e.g. 3010) is not accepted. Without --tempo the recording's
  own prescription is used, else the exercise's default. A phase is on tempo when it is
  within max(0.4 s, F x prescribed) of the prescription (--tempo-tolerance F, default 0.25).

exercises:
{_EXERCISES}

outputs (in --out DIR):
  reps.csv, sets.csv, session.csv   the tables (columns in docs/reports.md)
  reps.parquet, ...                 the same tables as Parquet
  report.html                       self-contained report with plots
  With several files the rows get a 'recording' column (the file stem). Reports of an
  earlier run in DIR are replaced (a note says so); a file given twice is read once, and
  so is a phone export given as its folder and a file of it. A run into a DIR that another
  imu analyze is still writing stops at once (error), naming that process.
  With several files, one that cannot be read or analysed (too short, no exercise known)
  is skipped with its reason on stderr and the others are analysed; so is a group of a
  --split-by file that cannot be imported (e.g. raw counts with no rest to scale them by).
  A CSV or table names no exercise: without --exercise (or --exercise-col) it is skipped,
  said once, before anything is imported.

printed:
  the reps table (a rep number marked 2? is uncertain: it may not be a rep; *4 comes after
  a long pause, on a leg raise, dead bug or bird-dog: a rep too small to see may be missing
  before it; a legend under the table says so), the sets table (a standing strict lift: a
  table of its hip drives instead), then the count, where a rep may be missing, "fix
  first" and the verdict.

part of a recording (--from S, --to S):
  Only the samples from --from S to --to S are analysed: seconds on the recording's own clock
  (from its first sample, as the reps table's start_s), e.g. --from 120 after a note "from
  120 s the pelvis moved mostly about another axis". The reps and sets keep the recording's
  times; the session's duration_s is the part's length. A --to past the end takes the rest
  (a note says so); a --from at or past the end, or not before --to, is an error. With
  several FILEs the range applies to each.

exit codes:
  0 every recording analysed, 1 some skipped (the others analysed and written),
  2 nothing analysed (error), 3 an internal error (a bug in imu; -v shows where).

examples:
  imu analyze session.parquet --exercise reverse-crunch --tempo 3-1-3 --out out/
  imu analyze mon.parquet wed.parquet fri.parquet --exercise leg-raise --out week/
  imu analyze phone.csv --exercise dead-bug --time-unit ms --acc-unit g --gyr-unit deg/s \\
      --out out/
  imu analyze "Sensor Logger.zip" --exercise dead-bug --out out/

{PHONE_HELP}
{UNITS_HELP}"""

def register(subparsers: Any) -> None:
    """Add the ``analyze`` command."""
    parser = subparsers.add_parser(
        "analyze",
        help="find reps, phases, tempo, swings and faults; write tables and an HTML report",
        description=textwrap.fill(
            "Analyse recordings (Parquet, or CSV with time_s,acc_x..gyr_z in s, m/s^2, rad/s or"
            " the import flags below): find every rep, its phases (concentric, top hold,"
            " eccentric, bottom pause), tempo, range of motion, swings and faults; print the"
            " reps, the sets and a coaching verdict, and write CSV/Parquet tables and an HTML"
            " report."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", type=file_arg, nargs="+", metavar="FILE", help="recordings")
    parser.add_argument(
        "--exercise",
        "-e",
        metavar="E",
        default=None,
        help="exercise profile (list below); default: the recording's own exercise",
    )
    parser.add_argument(
        "--tempo", metavar="U-H-D", default=None, type=tempo_text,
        help='prescription "up-hold-down" s, e.g. 3-1-3 (a plank: the middle number is the '
        "hold, e.g. 1-45-1)",
    )
    parser.add_argument(
        "--tempo-tolerance",
        type=tolerance_fraction,
        default=TempoTolerance().fraction,
        metavar="F",
        help="allowed deviation per phase as a fraction of the prescription [0.25]",
    )
    parser.add_argument(
        "--rest",
        type=positive_number,
        default=AnalyzerParams().set_rest_s,
        metavar="S",
        help=f"a pause longer than S seconds starts a new set [{AnalyzerParams().set_rest_s:g}]",
    )
    parser.add_argument("--out", "-o", type=out_dir_arg, required=True, metavar="DIR",
                        help="output dir")
    add_range_options(parser, "analyse the recording")
    add_csv_options(parser)
    parser.set_defaults(func=run)


def _named_recordings(
    args: argparse.Namespace, out: Console, skipped: list[tuple[str, str]] | None = None,
    groups: list[tuple[str, str]] | None = None,
) -> list[tuple[str, Path, Recording]]:
    """Every recording of every FILE with its name (file stem, or the group of a split CSV).

    Import warnings are printed; what the import repaired goes to stderr in one line. A file
    that cannot be read raises, unless ``skipped`` is given: then it is listed there (file,
    reason) and the others are read. A group of a ``--split-by`` file that cannot be imported
    is listed in ``groups`` (``skipped`` when None) and the file's other groups are read.
    """
    found: list[tuple[str, Path, Recording]] = []
    seen: set[Path] = set()
    for path in args.files:
        if resolved(path) in seen:
            print(f"imu analyze: note: {path} is given twice; analysed once", file=sys.stderr)
            continue
        seen.add(resolved(path))
        try:
            loaded = _load(path, args, skipped if groups is None else groups)
        except ImuError as exc:
            if skipped is None:
                raise
            skipped.append((str(path), one_line(exc)))
            continue
        except Exception as exc:  # a bug met on one file: the others go on (-v: raised)
            if skipped is None or args.verbose:
                raise
            skipped.append((str(path), bug_text(exc)))
            continue
        for item in loaded:
            name = path.stem if len(loaded) == 1 else item.name
            print_repairs("analyze", item.repairs)
            for note in item.notes:  # import options a recording of imu does not use
                print(f"imu analyze: note: {path}: {note}", file=sys.stderr)
            if item.imported is not None:
                for warning in item.imported.report.warnings:
                    if args.exercise and warning.startswith(UNKNOWN_EXERCISE_WARNING):
                        continue  # --exercise already answers it
                    text = escape(f"{path} [{name}]: warning: {warning}")
                    out.print(f"[yellow]{text}[/yellow]", markup=True)
            found.append((name, path, item.recording))
    names = [n for n, _, _ in found]
    if len(set(names)) < len(names):
        found = [(f"{n}-{i + 1}", p, r) for i, (n, p, r) in enumerate(found)]
        # Which is which: the tables, the report and the lines below use these names only
        # (trial 22: three b.parquet of three folders were b-1, b-2, b-3, with no path).
        told = ", ".join(f"{n} ({p})" for n, p, _ in found)
        print(f"imu analyze: note: recordings named alike are told apart as {told}",
              file=sys.stderr)
    return found


def _load(
    path: Path, args: argparse.Namespace, skipped: list[tuple[str, str]] | None
) -> list[LoadedRecording]:
    """The recordings of ``path``; a group of a ``--split-by`` file that fails is skipped.

    Like a FILE among several, a group that cannot be imported (raw counts with no rest to
    scale them by...) is listed in ``skipped`` with its reason and the other groups are read
    (exit code 1). ``skipped`` None: the file fails as a whole.
    """
    try:
        return load(path, args)
    except (ImportOptionsError, RecordingError) as exc:
        if not args.split_by or skipped is None:
            raise
        loaded, groups = load_skipping_groups(path, csv_options(args), exc)
    skipped.extend(groups)
    return loaded


def _unknown_exercise(args: argparse.Namespace) -> list[Path]:
    """The FILEs whose exercise nothing can tell: no --exercise, not a recording of imu.

    A CSV file, plain Parquet table or phone export names no exercise unless
    ``--exercise-col`` gives its column; a recording written by imu may (its metadata).
    """
    if args.exercise is not None or args.exercise_col is not None:
        return []
    # Only what would be imported: a special file, a crash journal or a report table fails
    # with its own reason when read.
    return [p for p in dict.fromkeys(args.files)
            if ((p.is_dir() and detect_phone_format(p) is not None)
                or (p.is_file() and not not_a_recording(p) and not _unreadable(p)))
            and not (p.is_file() and is_imu_recording(p))]


def _unreadable(path: Path) -> bool:
    """Whether the reader should say what is wrong with ``path`` first.

    An empty file, a damaged zip, or one named ``.parquet`` without Parquet's magic bytes at
    both ends (truncated, or no Parquet at all): "names no exercise" would send the user the
    wrong way.
    """
    import zipfile

    from imu.io.summary import PARQUET_MAGIC

    try:
        size = path.stat().st_size
        if size == 0:
            return True
        with path.open("rb") as f:
            if f.read(2) == b"PK" and not zipfile.is_zipfile(path):
                return True  # the zip reader says it is damaged
        if path.suffix.lower() not in {".parquet", ".pq"}:
            return False
        with path.open("rb") as f:
            head = f.read(len(PARQUET_MAGIC))
            f.seek(max(size - len(PARQUET_MAGIC), 0))
            tail = f.read(len(PARQUET_MAGIC))
    except OSError:
        return True
    return head != PARQUET_MAGIC or tail != PARQUET_MAGIC


def _no_exercise_reason(paths: list[Path]) -> str:
    what = "it is a table or export" if len(paths) == 1 else "they are tables or exports"
    return (
        f"{what}, not a recording of imu, so nothing says which exercise was done; pass "
        f"--exercise E (one of: {', '.join(PROFILES)}), or --exercise-col COL for a column "
        "that names it"
    )


def run(args: argparse.Namespace) -> int:
    """Analyse every FILE, print the tables and write the reports; returns the exit code.

    The output folder is made up front (a folder that cannot be written fails before any
    work); a run that made it and wrote nothing into it (a bad input) takes it away again.
    """
    if args.exercise is not None:
        get_profile(args.exercise)  # fail fast on a typo, before reading any file
    check_range(args)  # and on --from at or after --to
    made = not Path(args.out).exists()
    check_output_dir(args.out)  # and on an output folder that cannot be written
    try:
        with _only_run_in(Path(args.out)):  # and on another imu analyze writing there
            return _run(args)
    finally:
        if made:
            with contextlib.suppress(OSError):
                Path(args.out).rmdir()  # only if empty: nothing was written


RUN_LOCK = ".imu-analyze.lock"
"""Lock file an ``imu analyze`` run holds in its ``--out`` folder from start to end."""


@contextlib.contextmanager
def _only_run_in(out: Path) -> Iterator[None]:
    """Hold ``out``'s run lock for the whole run; fail at once if another run holds it.

    Two runs into one ``--out`` at once each analysed their files and wrote their reports,
    one after the other: the last one's replaced the first's without a word (and the first
    user read "wrote: ..." for reports that were gone). The second run now stops before it
    reads anything, naming the process that holds the folder. The lock holds the run's
    process id (and its start time); one left by a process that has ended (killed), or
    whose id another process now has, is taken over.

    Raises:
        ImuError: another live process holds the lock (the message names it and the fix),
            or the lock cannot be made.

    """
    lock = out / RUN_LOCK
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(folder_lock(out, RUN_LOCK, wait_s=0.0))
            held = stack.pop_all()
    except FolderBusyError as exc:
        owner = ""
        with contextlib.suppress(OSError, ValueError, IndexError):
            owner = f" (process {int(lock.read_text().split()[0])})"
        raise ImuError(
            f"--out {out}: another imu analyze{owner} is writing its reports there; wait "
            "for it to finish, or give another --out (if no imu analyze is running, delete "
            f"{lock})"
        ) from exc
    except OSError as exc:
        raise ReportError(
            f"cannot write reports to {out}: {write_error_reason(out, exc)}; choose a "
            "writable --out"
        ) from exc
    with held:
        yield


def _run(args: argparse.Namespace) -> int:
    tempo: Tempo | None = parse_tempo(args.tempo) if args.tempo else None
    params = AnalyzerParams(
        set_rest_s=args.rest,
        tempo_tolerance=TempoTolerance(fraction=args.tempo_tolerance),
    )
    out = console("analyze")
    reports: list[SessionReport] = []
    # A phone export given as its folder and a file of it, a Polar Sensor Logger
    # recording's 2 files: each recording once.
    args.files = one_per_recording(exports_once(args.files))
    several = len({resolved(p) for p in args.files}) > 1
    skipped: list[tuple[str, str]] = []  # with several files, one that fails is skipped
    unknown = _unknown_exercise(args)
    if unknown and {resolved(p) for p in unknown} == {resolved(p) for p in args.files}:
        # Said once, before importing anything (not once per file or group, afterwards).
        names = ", ".join(str(p) for p in unknown)
        raise ImuError(f"{names}: {_no_exercise_reason(unknown)}; nothing analysed")
    if unknown:
        skipped += [(str(p), _no_exercise_reason([p])) for p in unknown]
        args = argparse.Namespace(**{**vars(args),
                                     "files": [p for p in args.files
                                               if resolved(p) not in
                                               {resolved(u) for u in unknown}]})
        several = True
    named = _named_recordings(args, out, skipped if several else None, groups=skipped)
    several = several or bool(skipped)  # a group of a split file skipped: the others go on
    prepare_analysis("analyze")  # once the inputs are read: a bad file fails at once
    several = several or len(named) > 1
    for name, path, recording in named:
        try:
            report = _analyse_one(args, name, path, recording, tempo, params)
        except ImuError as exc:
            if not several:
                raise
            skipped.append((str(path) if name == path.stem else f"{path} [{name}]",
                            one_line(exc)))
            continue
        except Exception as exc:  # a bug met on one recording: the others go on
            if not several or args.verbose:
                raise
            skipped.append((str(path) if name == path.stem else f"{path} [{name}]",
                            bug_text(exc)))
            continue
        reports.append(report)
    for line in _skipped_lines(skipped):
        print(line, file=sys.stderr)
    for note in (tempo_not_applied(args.tempo, reports), pause_not_judged(reports)):
        if note:
            print(f"imu analyze: note: {note}", file=sys.stderr)
    if not reports:
        raise ImuError(
            f"none of the {len(skipped)} recordings could be analysed (each is listed above "
            "with its reason); nothing written"
        )
    _print_and_write(args, out, reports)
    if skipped:
        print(
            f"imu analyze: {_count(len(skipped), 'recording')} skipped, "
            f"{len(reports)} analysed (exit code 1)",
            file=sys.stderr,
        )
        return 1
    return 0


def tempo_not_applied(given: str | None, reports: list[SessionReport]) -> str:
    """Why ``--tempo`` changed nothing for the standing strict lifts among ``reports``.

    A strict lift is told by its hip drives, which have no tempo: the tempo given was taken
    without a word, as if the lifts were judged against it. "" when no tempo was given or
    no recording is a strict lift.
    """
    names = [r.name for r in reports if r.profile.every_rep_is_swing]
    if not given or not names:
        return ""
    which = (f"{names[0]}, a standing strict lift" if len(names) == 1 else
             f"{', '.join(names)}, standing strict lifts")
    return (f"--tempo {given} does not apply to {which}: the pelvis should stay still, so "
            "only its hip drives are told, and a hip drive has no tempo (the session table "
            "keeps the tempo as given)")


BRIDGED_NOTE_SHARE = 0.05
"""A recording with at least this share of its samples missing in gaps short enough to bridge
gets a note (:func:`bridged_note`)."""


def bridged_note(report: SessionReport, n_samples: int) -> str:
    """How many missing samples the analysis bridged, when they are many; else "".

    Short gaps (a lost BLE frame or two) are interpolated and cost nothing one by one, so
    the gap note names only the long ones; but 30% of a dead bug's samples lost in 181 short
    gaps went unsaid in ``imu analyze`` and its report, while ``imu live`` told it. A pause
    of the measurement (phyphox's) is none of them: nothing went missing.
    """
    fs = report.sampling_rate_hz
    gaps = [gap for gap in report.meta.gaps if not gap.paused]
    missing = sum(gap.n_samples for gap in gaps)
    lost = sum(round((b - a) * fs) for a, b in report.lost_spans_s)
    bridged = missing - lost
    if n_samples <= 0 or bridged < BRIDGED_NOTE_SHARE * n_samples:
        return ""
    limit = bridged_limit(fs, report.params.max_interp_s)
    short = sum(1 for gap in gaps if gap.n_samples <= limit)
    return (f"{bridged / fs:.1f} s of samples ({100 * bridged / n_samples:.0f}%) were missing "
            f"in {short} short gaps and bridged (interpolated): the reps are measured across "
            "them; keep the sensor near the receiver")


def pause_not_judged(reports: list[SessionReport]) -> str:
    """That a prescription's bottom pause (``3-1-3-2``) is shown but not judged, or "".

    The fourth number was taken and then, silently, left out of every verdict: ``tempo_ok``
    covers the concentric, the top hold and the eccentric (docs/reports.md); each rep's pause
    is in the reps table (``bottom_pause_s``, "pause").
    """
    given = {str(r.tempo) for r in reports
             if r.tempo.bottom_pause_s and not r.profile.isometric
             and not r.profile.every_rep_is_swing}
    if not given:
        return ""
    return pause_not_judged_words(sorted(given))


def _skipped_lines(skipped: list[tuple[str, str]]) -> list[str]:
    """One line per reason: the recordings skipped for the same reason are named together.

    Fifteen groups of a split file without an exercise gave fifteen lines of one advice.
    A reason that starts with the recording's name (``adelmo_A: the recording ...``) is
    compared without it.
    """
    by_reason: dict[str, list[str]] = {}
    for where, reason in skipped:
        reason = reason.removeprefix(f"{where}: ")  # the file is named once
        name = where.rsplit("[", 1)[-1].rstrip("]") if where.endswith("]") else Path(where).stem
        reason = reason.removeprefix(f"{name}: ")
        by_reason.setdefault(reason, []).append(where)
    lines = []
    for reason, wheres in by_reason.items():
        if len(wheres) == 1:
            lines.append(f"imu analyze: skipped {wheres[0]}: {reason}")
        else:
            lines.append(f"imu analyze: skipped {len(wheres)} recordings ({', '.join(wheres)}): "
                         f"{reason}")
    return lines


def _unknown_exercise_label(path: Path, name: str, exercise: str,
                            args: argparse.Namespace) -> str:
    """Why a recording whose own exercise names no profile is not analysed, and what to do.

    A group of a split table (``--split-by``) cannot be analysed "on its own" with
    ``--exercise``, which would also override every other group's label (trial 25): it is
    written as its own recording first.
    """
    guess = closest_name(exercise.strip().lower(), [*PROFILES, *EXERCISE_ALIASES])
    meant = EXERCISE_ALIASES.get(guess, guess) if guess else None
    did_you_mean = f"did you mean {meant}? " if meant else ""
    choose = meant or "E"
    if args.split_by and name != path.stem:
        flags = import_flags(args)
        return (
            f"{path} [{name}]: the exercise column names {exercise!r}, which is not one "
            f"of: {', '.join(PROFILES)}; {did_you_mean}correct the label in the file, or "
            "write this group as its own recording and analyse that with --exercise "
            f"(given here, it would apply to every group): imu convert {shlex.quote(str(path))} "
            f"DIR/ {flags}, then imu analyze DIR/{shlex.quote(name + '.parquet')} "
            f"--exercise {choose} --out OUT"
        )
    return (
        f"{path}: the recording's metadata names the exercise {exercise!r}, which is "
        f"not one of: {', '.join(PROFILES)}; {did_you_mean}pass --exercise {choose} (it "
        "applies to every FILE, so analyse this one on its own)"
    )


def _analyse_one(
    args: argparse.Namespace, name: str, path: Path, recording: Recording,
    tempo: Tempo | None, params: AnalyzerParams,
) -> SessionReport:
    """Analyse one recording (notes on stderr); raises ImuError when it cannot be."""
    exercise = args.exercise or recording.meta.exercise
    recorded = recording.meta.exercise
    if args.exercise and recorded and known_profile(recorded) not in (
        None,
        known_profile(args.exercise),
    ):
        asked = get_profile(args.exercise)
        default = asked.default_tempo
        # A standing strict lift's hip drives have no tempo (--tempo is said not to apply):
        # "with its default tempo 2-0-2 ... --tempo to choose" sent the user to that note.
        own_tempo = (
            f", with its default tempo {default} (not the recorded {recording.meta.tempo}; "
            "--tempo to choose)"
            if tempo is None and recording.meta.tempo and not asked.every_rep_is_swing
            and _same_tempo(recording.meta.tempo, default) is False else ""
        )
        print(
            f"imu analyze: note: {name} was recorded as {recorded!r}; analysing it as "
            f"{get_profile(args.exercise).name!r} as asked{own_tempo} (leave out --exercise "
            "to use the "
            "recorded one)",
            file=sys.stderr,
        )
    if not exercise:
        raise ImuError(
            f"{name}: the recording does not say which exercise it is; pass --exercise "
            f"(one of: {', '.join(PROFILES)})"
        )
    if not args.exercise and known_profile(exercise) is None:
        raise ImuError(_unknown_exercise_label(path, name, exercise, args))
    where = str(path) if name == path.stem else f"{path} [{name}]"
    first_sample_s = 0.0
    if has_range(args):
        whole_s = recording.duration_s
        recording, first_sample_s = cut_to_range(recording, args, where, "analyze",
                                                 settle=True)
        print(f"imu analyze: note: {name}: analysing {first_sample_s:.2f}-"
              f"{first_sample_s + recording.duration_s:.2f} s of its {whole_s:.2f} s "
              f"({range_words(args)}); times are on the whole recording's clock, sets are "
              "numbered from 1 within the part",
              file=sys.stderr)
    else:
        moving_at_start_note("analyze", name, recording, get_profile(exercise))
    try:
        check_long_enough(recording, where)
    except AnalysisError as exc:
        if not has_range(args):
            raise
        raise AnalysisError(f"{exc} (here: the part {range_words(args)}), or give a wider "
                            "range") from exc
    try:
        report = analyze_recording(recording, exercise, tempo, params, first_sample_s)
    except AnalysisError as exc:
        raise too_slow(path, recording.sampling_rate_hz, exc,
                       getattr(args, "rate", None)) from exc
    # The exercise was named (--exercise or the metadata): a hint if it does not look like
    # it; the analysis stays the one asked for.
    mismatch = exercise_mismatch(recording, report.profile, report)
    if mismatch:
        print(f"imu analyze: note: {name}: {mismatch}", file=sys.stderr)
    coarse = coarse_rate_note(recording.sampling_rate_hz, report.profile)
    if coarse:
        print(f"imu analyze: note: {name}: {coarse}", file=sys.stderr)
    bridged = bridged_note(report, recording.n_samples)
    if bridged:
        print(f"imu analyze: note: {name}: {bridged}", file=sys.stderr)
    # The notes' commands name this file (batch keeps FILE: it reads many), and how it was
    # imported (a CSV read with --split-by, --acc-unit counts ... must be read so again).
    flags = "" if is_imu_recording(Path(path)) else import_flags(args)
    this = f"imu analyze {shlex.quote(str(path))}{' ' + flags if flags else ''}"
    off_axis = off_axis_note(recording, report)  # the axis learned from other movement
    if off_axis:
        print(f"imu analyze: note: {name}: {off_axis.replace('imu analyze FILE', this)}",
              file=sys.stderr)
    if report.unfinished and len(report.reps) and not report.profile.isometric:
        # Stopped mid-rep: the cut rep is not in the tables (a lowering half done), and the
        # count would be one short with nothing said.
        print(f"imu analyze: note: {name}: the recording ended during a movement that had "
              "not come back down (the last rep, or getting up): it is not counted",
              file=sys.stderr)
    aside = set_aside_note(report)  # many small movements: another exercise's reps?
    if aside:
        print(f"imu analyze: note: {name}: {aside.replace('imu analyze FILE', this)}",
              file=sys.stderr)
    return replace(report, name=name)


def _print_and_write(
    args: argparse.Namespace, out: Console, reports: list[SessionReport]
) -> None:
    """Print the tables and verdicts of ``reports`` and write the reports into ``--out``."""
    _print_tables(out, reports)
    for r in reports:
        row = r.session.iloc[0]
        prefix = f"{r.name}: " if len(reports) > 1 else ""
        note = no_reps_note(r)
        if note:
            print_prose(out, f"{prefix}{note}")
        print_prose(out, f"{prefix}{session_line(r, row, tempo_given=args.tempo is not None)}")
        summary = summarize(r.reps, r.profile, r.tempo, lost_spans_s=r.lost_spans_s,
                            tolerance=r.tolerance, duration_s=float(row["duration_s"]),
                            started=r.unfinished, walked_s=r.walked_s,
                            paused_spans_s=r.paused_spans_s, paused_reason=r.paused_reason)
        if summary.gap_note:  # what a lost sensor (or a pause) cost, as the HTML report says
            # Of many gaps the first few; the report written below lists them all.
            listed = f"in {Path(args.out) / 'report.html'}"
            print_prose(out, f"{prefix}{summary.gap_text(listed)}")
        if summary.missed_before:  # where a rep may be missing, as the report's card says
            print_prose(out, f"{prefix}{missed_note(summary.missed_before)}")
        for fix in summary.fixes:
            print_prose(out, fix.text, label="fix first: ")
        print_prose(out, str(row["verdict"]), label="verdict: ")
    print_prose(out, DISCLAIMER, style="dim")
    earlier = [n for n in REPORT_FILES if (args.out / n).exists()]
    if earlier:
        print(
            f"imu analyze: note: replacing the reports of an earlier run in {args.out} "
            f"({', '.join(earlier)}); give another --out to keep them",
            file=sys.stderr,
        )
    try:
        with replace_together():  # all 7 files new, or all as they were (a full disk)
            written = write_reports(reports, args.out)
    except ReportError as exc:
        if not earlier or isinstance(exc.__cause__, FolderBusyError):
            raise  # another run is writing there: nothing of this one was written
        kept = f"nothing was replaced: {args.out} still holds the earlier run's reports"
        reason, choose, advice = str(exc).rpartition("; choose ")
        message = f"{reason}; {kept}{choose}{advice}" if choose else f"{exc}; {kept}"
        raise ReportError(message) from exc
    print_prose(out, f"wrote: {', '.join(p.name for p in written)} to {args.out}")


def session_line(report: SessionReport, row: Any, tempo_given: bool = False) -> str:
    """The session's line: what was counted, of which exercise, and how it was worked.

    "12 reps in 2 sets of reverse crunch, tempo 3-1-3, time under tension 84 s". A standing
    strict lift counts its hip drives alone (:func:`imu.report.summary.counted_words`, as
    ``imu live`` ends): "3 hip drives of standing strict lift (curl, press)", with no sets (a
    pause between two hip drives is no set the person did), tempo or time under tension (a
    hip drive has no prescribed tempo).

    Args:
        report: the recording's report.
        row: its session table's row (``reps``, ``sets``, ``uncertain_reps``...).
        tempo_given: ``--tempo`` was given (else a default tempo is named as such).

    """
    counted = counted_words(report.profile, int(row["reps"]), int(row["sets"]),
                            uncertain_note(row), uncertain=int(row["uncertain_reps"]))
    line = f"{counted} of {report.profile.title.lower()}"
    if report.profile.every_rep_is_swing:
        return line
    worked = tempo_and_time(report.reps, report.tempo, report.profile.isometric, row)
    if tempo_by_default(report.profile, report.tempo, report.meta, given=tempo_given):
        # "tempo 2-1-2 (the reverse crunch's default; give yours with --tempo), time ..."
        shown, _, rest = worked.partition(", ")
        worked = f"{shown} ({default_tempo_words(report.profile)}), {rest}"
    return f"{line}, {worked}"


def _print_tables(out: Console, reports: list[SessionReport]) -> None:
    """The reps and sets tables: one of each for all recordings, or a block per recording.

    Several recordings share one table, its rows named by a ``recording`` column, where that
    table shows whole: in a terminal wide enough for it, and always when the output is piped
    (at the table's full width, however wide: a file or ``grep`` reads it). In a narrower
    terminal (80 columns) the extra column cut every cell to "rev…" and "swi…": each
    recording then gets a block of its own under its name and exercise, whose tables have no
    ``recording`` column.

    A standing strict lift's reps are hip drives: its table tells when each began and how
    far the pelvis moved (:func:`imu.report.terminal.reps_view` ``strict``), and it has no
    sets table (a pause between two hip drives is no set the person did). Strict lifts
    among other exercises get a block each, so that each is told its own way.
    """
    tables = combined_tables(reports)
    holds = bool(reports) and all(r.profile.isometric for r in reports)  # planks alone
    strict = [r.profile.every_rep_is_swing for r in reports]
    # One --tempo-tolerance for every recording of a run: the first report's is theirs.
    tolerance = reports[0].tolerance if reports else None
    # Why an uncertain hip drive is uncertain is measured against its profile's smallest
    # sure one: told in the shared table when every recording is of the one strict lift.
    one = reports and len({r.profile.name for r in reports}) == 1
    shared = reports[0].profile if one else None
    reps = reps_view(tables["reps"], holds, tolerance, strict=all(strict), profile=shared)
    sets = None if any(strict) else sets_view(tables["sets"], holds, tables["reps"])
    natural = max(_natural_width(out, reps), _natural_width(out, sets))
    mixed = any(strict) and not all(strict)
    if not out.is_terminal and not mixed:
        with _width(out, max(out.width, natural)):
            _print_pair(out, reps, sets)
        return
    if len(reports) < 2 or (natural <= out.width and not mixed):
        _print_pair(out, reps, sets)
        return
    for r in reports:
        own = combined_tables([r])  # one recording: no recording column
        hold, drives = r.profile.isometric, r.profile.every_rep_is_swing
        own_reps = reps_view(own["reps"], hold, tolerance, strict=drives, profile=r.profile)
        own_sets = None if drives else sets_view(own["sets"], hold, own["reps"])
        wide = max(_natural_width(out, own_reps), _natural_width(out, own_sets))
        out.print(Text(f"{r.name}: {r.profile.title.lower()}", style="bold"))
        # Piped: at full width, as the shared table would be; a terminal: its own width.
        with _width(out, out.width if out.is_terminal else max(out.width, wide)):
            _print_pair(out, own_reps, own_sets)


def _print_pair(out: Console, reps: RenderableType, sets: RenderableType | None) -> None:
    """The reps table, then the sets table (when there is one), a blank line after each.

    Wrapped to the width (not soft-wrapped as the console's other lines): the legend under
    the reps table breaks between words, not wherever the terminal's edge falls.
    """
    out.print(reps, soft_wrap=False)
    out.print()
    if sets is not None:
        out.print(sets, soft_wrap=False)
        out.print()


def _natural_width(out: Console, view: RenderableType | None) -> int:
    """The columns ``view`` takes when nothing in it is cut or folded (0 for None)."""
    if view is None:
        return 0
    return Measurement.get(out, out.options.update(max_width=_UNBOUNDED), view).maximum


_UNBOUNDED = 100_000
"""Columns to measure a table in: as wide as it likes."""


@contextlib.contextmanager
def _width(out: Console, columns: int) -> Iterator[None]:
    """``out`` prints ``columns`` wide for a while (a piped table at its full width)."""
    before = out.width
    out.width = columns
    try:
        yield
    finally:
        out.width = before


def _same_tempo(text: str, tempo: Tempo) -> bool | None:
    """Whether a recording's tempo text prescribes ``tempo`` (None when it does not parse)."""
    try:
        return parse_tempo(text) == tempo
    except ImuError:
        return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
