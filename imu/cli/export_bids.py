"""``imu export-bids INPUTS... --out BIDS_ROOT``: write recordings as a Motion-BIDS dataset."""

from __future__ import annotations

import argparse
import shlex
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console

from imu.batch import expand_inputs, session_id, unusable_file
from imu.cli._args import count, folder_arg, input_arg, tempo_text
from imu.cli._csvargs import console
from imu.cli._output import prepare_analysis
from imu.errors import AnalysisError, ImportOptionsError, ImuError
from imu.exercises import get_profile
from imu.io.bids import (
    BidsError,
    BidsNames,
    bids_label,
    earlier_exports,
    export_recording,
    prune_participants,
    record_export,
    remove_export,
    session_label,
    subject_sources,
)
from imu.io.load import datasets_note, is_imu_recording, leave_out_datasets, load_recordings
from imu.io.polar_logger import one_per_recording
from imu.io.recording import METADATA_KEY, Recording, RecordingMeta, one_line, read_recording
from imu.io.summary import looks_like_parquet
from imu.report.session import analyze_recording, check_long_enough
from imu.tempo import Tempo, parse_tempo

EPILOG = """\
layout (BIDS motion modality):
  BIDS_ROOT/dataset_description.json, participants.tsv
  BIDS_ROOT/sub-<S>/ses-<X>/motion/sub-<S>_ses-<X>_task-<T>_tracksys-hipIMU_motion.tsv
      (samples, no header: acc_x acc_y acc_z in m/s^2, gyr_x gyr_y gyr_z in rad/s, n/a lost)
  ..._motion.json, ..._channels.tsv, sub-<S>_ses-<X>_task-<T>_events.tsv (+ .json)
  S = the participant (letters and digits only), X = the UTC start (20240108T180000) or a
  hash of the file when unknown, T = --task, default the exercise (reversecrunch).
  A label that has to change to be valid BIDS (P-1 -> P1, Müller -> Muller) is named in a
  note on stderr; participants.tsv keeps the original. Two participants that would become
  one subject (P-1 and P_1, or one already in BIDS_ROOT/participants.tsv) are refused
  before anything is written: export one of them with --subject, or into another root.
  Events: each rep and its phases (concentric, top_hold, eccentric, bottom_pause), found
  by the same analysis as 'imu analyze'; without a known exercise no events are written,
  nor for a recording too short to analyse (a note says so; its samples are exported).

exporting again:
  The same recording exported again under the same names is rewritten in place. Exported
  again under another subject, session or task (another --subject or --task), it would be
  in the dataset twice: it is skipped, naming the earlier export's files, unless --replace
  is given, which removes the earlier export's files (and its subject's row of
  participants.tsv when no other recording of that subject is left) and writes the new one.
  "The same recording" is the same file content (the hash 'imu batch' tells sessions apart
  by), wherever the file is: another recording later copied over the same path is another
  recording. BIDS_ROOT/.imu-exports.json (ignored by BIDS validators) lists them; with
  --replace, participants.tsv rows of subjects with no recording left are removed too.

exit codes:
  0 every file exported, 1 some skipped (each named with its reason; the others
  exported), 2 nothing exported (error), 130 on Ctrl-C.

examples:
  imu export-bids recordings/reverse_crunch.parquet --out bids/
  imu export-bids cohort/P01/ --out bids/ --task corestudy --subject S01
  imu export-bids cohort/P01/ --out bids/ --task corestudy --subject S07 --replace
"""


def register(subparsers: Any) -> None:
    """Add the ``export-bids`` command."""
    parser = subparsers.add_parser(
        "export-bids",
        help="write recordings (and their reps as events) as a Motion-BIDS dataset",
        description=textwrap.fill(
            "Export recordings to the BIDS motion modality: samples, channel descriptions, "
            "a JSON sidecar and the reps with their phases as events."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", type=input_arg, nargs="+", metavar="INPUT",
                        help="files, directories, globs")
    parser.add_argument("--out", "-o", type=folder_arg("--out out/bids"), required=True,
                        metavar="BIDS_ROOT")
    parser.add_argument("--task", metavar="NAME", default=None, type=label_arg("--task"),
                        help="task name (TaskName; label = its letters and digits) "
                        "[the exercise]")
    parser.add_argument("--exercise", "-e", metavar="E", default=None,
                        help="exercise for the events; default: the recording's own")
    parser.add_argument("--tempo", metavar="U-H-D", default=None, type=tempo_text,
                        help="prescription for events")
    parser.add_argument("--subject", metavar="S", default=None, type=label_arg("--subject"),
                        help="subject label for every input; default: the participant")
    parser.add_argument("--no-events", dest="events", action="store_false",
                        help="do not analyse; write no events files")
    parser.add_argument("--replace", action="store_true",
                        help="a recording already exported under another subject, session "
                        "or task: remove that export (and its participants.tsv row if its "
                        "subject has no other recording) instead of skipping the file")
    parser.set_defaults(func=run)


LABEL_EXAMPLES: dict[str, tuple[str, str]] = {
    "--subject": ("S01", "each recording's participant"),
    "--task": ("corestudy", "the exercise"),
}
"""Per label option: an example value, and what is used when the option is left out."""


def label_arg(option: str) -> Callable[[str], str]:
    """An argparse type for ``--subject``/``--task``: refuses a value with no letter or digit.

    ``--subject ''`` (an unset shell variable) was read as "not given": every recording went
    under its own participant, silently. BIDS labels are letters and digits only, so a value
    without any cannot become one.
    """
    example, default = LABEL_EXAMPLES[option]

    def label(text: str) -> str:
        try:
            bids_label(text, option)
        except BidsError:
            raise argparse.ArgumentTypeError(
                f"{text!r} has no letters or digits, and BIDS labels are letters and digits "
                f"only; give one, e.g. {option} {example} (or leave {option} out for {default})"
            ) from None
        return text

    label.__name__ = "label"
    return label


IMPORT_HINT = ("(imu export-bids takes no import options: run 'imu convert {path} OUT.parquet' "
               "with them first, and export the .parquet)")
"""Said after the import's advice for a CSV that needs options (as ``imu batch`` says it)."""


def _read(path: Path) -> Recording:
    """The recording in ``path``: Parquet, one CSV recording, or a phone app's export.

    A Sensor Logger folder or zip, or a phyphox file, is read as ``imu analyze`` reads it.
    """
    if looks_like_parquet(path):
        return read_recording(path)
    loaded = load_recordings(path)
    if len(loaded) != 1:
        raise ImuError(f"{path}: CSV holds {len(loaded)} recordings; split it first "
                       "with imu convert")
    return loaded[0].recording


def _meta_of(path: Path, read: dict[Path, Recording]) -> RecordingMeta:
    """The metadata of ``path`` (participant, exercise), from its Parquet schema if it can.

    A file that has to be read whole (a CSV, or a Parquet file whose metadata does not say)
    is kept in ``read`` for the export, so that it is read (and imported) once.
    """
    if looks_like_parquet(path) and is_imu_recording(path):
        try:
            raw = (pq.read_schema(path).metadata or {})[METADATA_KEY]
            return RecordingMeta.from_json(raw.decode("utf-8", "replace"))
        except (pa.ArrowException, OSError, KeyError, ImuError):
            pass  # reading it whole says what is wrong
    read[path] = _read(path)
    return read[path].meta


def missing_options(path: Path, meta: RecordingMeta, args: argparse.Namespace) -> str:
    """Why ``path`` cannot be exported with the options given, naming every one it needs.

    A recording that names no participant needs ``--subject``, one with no exercise (given
    or its own) ``--task``: a CSV recording needs both, and asking for one, then the other,
    took two failed runs. The reason names all that are missing at once, with a command
    line that exports the file (the options given kept, the missing ones by example); ""
    when none is missing.
    """
    no_subject = not (meta.participant or args.subject)
    no_task = not (args.task or args.exercise or meta.exercise)
    if not (no_subject or no_task):
        return ""
    what = ("the recording names no participant and no exercise" if no_subject and no_task
            else "the recording names no participant" if no_subject
            else "no exercise known to name the task")
    needed = [option for option, missing in (("--subject S", no_subject),
                                             ("--task NAME", no_task)) if missing]
    also = "; --exercise E names the task too, and adds the reps as events" if no_task else ""
    subject = args.subject or LABEL_EXAMPLES["--subject"][0]
    task = args.task or LABEL_EXAMPLES["--task"][0]
    # --subject only where it is missing or was given: a file that names its participant
    # keeps that name (an example "--subject S01" relabelled participant P07; review).
    example = ["imu", "export-bids", str(path), "--out", str(args.out),
               *(["--subject", subject] if no_subject or args.subject else []),
               *(["--task", task] if no_task or args.task else []),
               *(["--exercise", args.exercise] if args.exercise else []),
               *(["--tempo", args.tempo] if args.tempo else []),
               *([] if args.events else ["--no-events"])]
    return f"{what}; pass {' and '.join(needed)} (e.g. {shlex.join(example)}){also}"


def _subjects(participants: dict[str, Path], root: Path,
              given: str | None = None) -> dict[str, str]:
    """Participant label -> BIDS subject label, checked before anything is written.

    Args:
        participants: every participant label to export (the recordings' own, ``--subject``
            for a recording without one) -> a file of theirs.
        root: the BIDS root (its ``participants.tsv`` holds earlier exports' subjects).
        given: ``--subject``: the subject label of every participant (None: each their own).

    Raises:
        BidsError: two different labels become one subject, here or with a subject already in
            ``root`` (one error names every such pair).

    """
    subjects = {label: bids_label(given or label, "subject") for label in participants}
    owners: dict[str, list[str]] = {}
    for label, subject in subjects.items():
        owners.setdefault(subject, []).append(label)
    clashes: list[str] = []
    example = ""
    for subject, labels in owners.items():
        if len(labels) > 1:
            example = example or f"{subject}b"
            named = " and ".join(f"{label!r} ({participants[label]})" for label in labels)
            clashes.append(f"participants {named} would "
                           f"{'both' if len(labels) == 2 else 'all'} be BIDS subject sub-{subject}")
    earlier = subject_sources(root)
    example = example or next((f"{s}b" for s in subjects.values() if s in earlier), "")
    clashes += [
        f"participant {label!r} ({participants[label]}) would be BIDS subject sub-{subject}, "
        f"which {root / 'participants.tsv'} already has for participant {earlier[subject]!r}"
        for label, subject in subjects.items()
        if subject in earlier and earlier[subject] != label
    ]
    if clashes and given and len(participants) > 1:
        named = ", ".join(f"{label!r} ({path})" for label, path in participants.items())
        raise BidsError(
            f"--subject {given} names one subject, but the inputs hold {len(participants)} "
            f"participants: {named}; different participants are never merged: give --subject "
            "one participant's recordings at a time (e.g. cohort/P01/)"
        )
    if clashes:
        raise BidsError(
            f"{'; '.join(clashes)} (BIDS labels are letters and digits only; different "
            "participants are never merged): export one of them separately with --subject "
            f"LABEL (e.g. --subject {example}), or into another --out"
        )
    for label, subject in subjects.items():
        if subject != label:
            why = "as --subject says" if given else "labels are letters and digits only"
            print(f"imu export-bids: note: participant {label!r} is BIDS subject "
                  f"sub-{subject} ({why}; participants.tsv keeps {label!r})", file=sys.stderr)
    return subjects


def _problem(exc: Exception, path: Path) -> str:
    """One line for a file that is skipped: the error without the file's name in front.

    A CSV that needs import options gets the import's advice (which names options of
    ``imu convert``) and how to give them, since export-bids takes none.
    """
    problem = " ".join(str(exc).split()).removeprefix(f"{path}: ")
    if isinstance(exc, ImportOptionsError):
        problem += " " + IMPORT_HINT.format(path=path)
    return problem


def run(args: argparse.Namespace) -> int:
    """Export every input; returns the exit code (1 when a file was skipped).

    When every file was skipped it raises (exit code 2, as ``imu analyze`` when nothing
    could be analysed).

    A file that cannot be read or exported (unreadable, no participant, no task) is skipped
    with its reason, as ``imu batch`` does, and the others are exported; the tables of an
    ``imu batch`` dataset inside a folder are left out with one note. Two participants that
    would become one subject stop the export before anything is written.
    """
    out = console("export-bids")
    if args.exercise is not None:
        get_profile(args.exercise)
    tempo = parse_tempo(args.tempo) if args.tempo else None
    paths, datasets = leave_out_datasets(
        one_per_recording(expand_inputs(args.inputs, exclude=args.out)))
    if datasets:
        note = datasets_note(datasets)
        if not paths:
            raise ImuError(f"no recordings to export: {note}; give the recordings it was made "
                           "from")
        print(f"imu export-bids: note: {note}", file=sys.stderr)
    participants: dict[str, Path] = {}
    read: dict[Path, Recording] = {}
    skipped: dict[Path, str] = {}
    for path in paths:
        problem = unusable_file(path)  # before opening it: a named pipe would block
        if problem:
            skipped[path] = problem
            continue
        try:
            meta = _meta_of(path, read)
        except (ImuError, OSError) as exc:
            skipped[path] = _problem(exc, path)
            continue
        missing = missing_options(path, meta, args)
        if missing:  # every option it needs, at once
            skipped[path] = missing
            read.pop(path, None)
            continue
        participants.setdefault(meta.participant or args.subject, path)
    subjects = _subjects(participants, args.out, given=args.subject)
    if len(skipped) < len(paths):
        prepare_analysis("export-bids")  # each recording's reps are its events
    tasks_noted: set[str] = set()
    stems: dict[str, Path] = {}  # the BIDS names written in this run, and whose they are
    exported = 0
    for path in paths:
        if path in skipped:
            continue
        try:
            exported += _export_one(path, args, read, subjects, tempo, tasks_noted, out,
                                    stems)
        except BidsError:
            raise  # the BIDS root cannot be written: no file would be
        except (ImuError, OSError) as exc:
            skipped[path] = _problem(exc, path)
    for path, reason in skipped.items():
        out.print(f"[yellow]{path}: skipped: {reason}[/yellow]", markup=True, highlight=False)
    if skipped and not exported:
        n = len(skipped)
        raise ImuError(
            f"{'the one file could not' if n == 1 else f'none of the {n} files could'} be "
            "exported "
            f"(listed above with its reason); nothing written to {args.out}"
        )
    if skipped:
        out.print(f"exported {count(exported, 'recording')} to {args.out}; skipped "
                  f"{count(len(skipped), 'file')} (listed above)", highlight=False)
    return 1 if skipped else 0


def _export_one(path: Path, args: argparse.Namespace, read: dict[Path, Recording],
                subjects: dict[str, str], tempo: Tempo | None, tasks_noted: set[str],
                out: Console, stems: dict[str, Path]) -> int:
    """Export one file; returns 1 (the number of recordings exported).

    ``stems``: the BIDS names written in this run and the file of each; a second recording
    that would get the same names (the same participant, start time and task) is refused
    with the other file named: it silently replaced the first.

    Raises:
        ImuError: the file cannot be read or analysed, or names no participant or task.
        BidsError: the BIDS root cannot be written.

    """
    recording = read.pop(path, None) or _read(path)
    participant = recording.meta.participant or args.subject
    if not participant:
        raise ImuError("the recording names no participant; pass --subject S")
    exercise = args.exercise or recording.meta.exercise
    task_name = args.task or exercise
    if not task_name:
        raise ImuError("no exercise known to name the task; pass --task NAME")
    subject = subjects.get(participant) or bids_label(participant, "subject")
    content_id = session_id(path)
    names = BidsNames(
        subject=subject,
        session=session_label(recording, content_id[:8]),
        task=bids_label(task_name, "task"),
        task_name=task_name,
    )
    first = stems.get(names.stem())
    if first is not None:
        raise ImuError(
            f"the same participant, start time and task as {first}, exported in this run "
            f"as {names.stem()}: one would replace the other; export it into another root "
            "(--out)")
    earlier = earlier_exports(args.out, content_id, names.stem())
    if earlier and not args.replace:
        old = earlier[0]
        raise ImuError(
            f"already exported as {old.motion(args.out)} (the same file content); exporting "
            f"it as {names.stem()} would put the recording in the dataset twice: pass --replace "
            "to remove the earlier export (and its participants.tsv row if sub-"
            f"{old.subject} has no other recording), or export into another --out")
    stems[names.stem()] = path
    reps = None
    description = ""
    short = ""
    if exercise and args.events:
        try:  # the refusal of imu analyze, in its words: no events, the samples exported
            check_long_enough(recording, str(path))
        except AnalysisError as exc:
            short = f"{one_line(exc)}; no events written (its samples are exported)"
    if short:
        print(f"imu export-bids: note: {short}", file=sys.stderr)
    elif exercise and args.events:
        report = analyze_recording(recording, exercise, tempo)
        reps = report.reps
        description = (
            f"{report.profile.title}, prescribed tempo {report.tempo} (up-hold-down s)"
        )
    elif args.events:
        out.print(f"{path}: no exercise known: no events written (pass --exercise)")
    if names.task != task_name and task_name not in tasks_noted:
        tasks_noted.add(task_name)
        print(f"imu export-bids: note: task {task_name!r} is BIDS task-{names.task} "
              f"(labels are letters and digits only; TaskName keeps {task_name!r})",
              file=sys.stderr)
    written = export_recording(recording, args.out, names, reps, description,
                               source=participant)
    record_export(args.out, content_id, path, names, written)
    for old in earlier:  # --replace: once the new one is written, the recording is in once
        remove_export(args.out, old)
        print(f"imu export-bids: note: {path}: replaced its earlier export "
              f"{old.motion(args.out)} (--replace)", file=sys.stderr)
    if args.replace:  # and rows of subjects whose exports were deleted by hand
        for pid in prune_participants(args.out):
            print(f"imu export-bids: note: removed {pid} from participants.tsv: no recording "
                  "of it is left (--replace)", file=sys.stderr)
    events = "" if reps is None else f", {count(len(reps), 'rep')} as events"
    out.print(f"{path} -> {written[0].parent} ({count(len(written), 'file')}{events})")
    return 1
