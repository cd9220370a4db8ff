"""``imu export-bids INPUTS... --out BIDS_ROOT``: write recordings as a Motion-BIDS dataset."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any

from imu.batch import expand_inputs, session_id
from imu.cli._args import count, tempo_text
from imu.cli._csvargs import console
from imu.errors import ImuError
from imu.exercises import get_profile
from imu.io.bids import BidsNames, bids_label, export_recording, session_label
from imu.io.csv_import import import_csv
from imu.io.recording import read_recording
from imu.io.summary import looks_like_parquet
from imu.report.session import analyze_recording
from imu.tempo import parse_tempo

EPILOG = """\
layout (BIDS motion modality):
  BIDS_ROOT/dataset_description.json, participants.tsv
  BIDS_ROOT/sub-<S>/ses-<X>/motion/sub-<S>_ses-<X>_task-<T>_tracksys-hipIMU_motion.tsv
      (samples, no header: acc_x acc_y acc_z in m/s^2, gyr_x gyr_y gyr_z in rad/s, n/a lost)
  ..._motion.json, ..._channels.tsv, sub-<S>_ses-<X>_task-<T>_events.tsv (+ .json)
  S = the participant (letters and digits only), X = the UTC start (20240108T180000) or a
  hash of the file when unknown, T = --task, default the exercise (reversecrunch).
  Events: each rep and its phases (concentric, top_hold, eccentric, bottom_pause), found
  by the same analysis as 'imu analyze'; without a known exercise no events are written.

examples:
  imu export-bids recordings/reverse_crunch.parquet --out bids/
  imu export-bids cohort/ --out bids/ --task corestudy --subject P01
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
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories, globs")
    parser.add_argument("--out", "-o", type=Path, required=True, metavar="BIDS_ROOT")
    parser.add_argument("--task", metavar="NAME", default=None,
                        help="task name (TaskName; label = its letters and digits) "
                        "[the exercise]")
    parser.add_argument("--exercise", "-e", metavar="E", default=None,
                        help="exercise for the events; default: the recording's own")
    parser.add_argument("--tempo", metavar="U-H-D", default=None, type=tempo_text,
                        help="prescription for events")
    parser.add_argument("--subject", metavar="S", default=None,
                        help="subject label for every input; default: the participant")
    parser.add_argument("--no-events", dest="events", action="store_false",
                        help="do not analyse; write no events files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Export every input; returns the exit code."""
    out = console("export-bids")
    if args.exercise is not None:
        get_profile(args.exercise)
    tempo = parse_tempo(args.tempo) if args.tempo else None
    paths = expand_inputs(args.inputs, exclude=args.out)
    for path in paths:
        if looks_like_parquet(path):
            recording = read_recording(path)
        else:
            imported = import_csv(path)
            if len(imported) != 1:
                raise ImuError(f"{path}: CSV holds {len(imported)} recordings; split it first "
                               "with imu convert")
            recording = imported[0].recording
        participant = args.subject or recording.meta.participant
        if not participant:
            raise ImuError(f"{path}: the recording names no participant; pass --subject S")
        exercise = args.exercise or recording.meta.exercise
        task_name = args.task or exercise
        if not task_name:
            raise ImuError(f"{path}: no exercise known to name the task; pass --task NAME")
        names = BidsNames(
            subject=bids_label(participant, "subject"),
            session=session_label(recording, session_id(path)[:8]),
            task=bids_label(task_name, "task"),
            task_name=task_name,
        )
        reps = None
        description = ""
        if exercise and args.events:
            report = analyze_recording(recording, exercise, tempo)
            reps = report.reps
            description = (
                f"{report.profile.title}, prescribed tempo {report.tempo} (up-hold-down s)"
            )
        elif args.events:
            out.print(f"{path}: no exercise known: no events written (pass --exercise)")
        written = export_recording(recording, args.out, names, reps, description)
        events = "" if reps is None else f", {count(len(reps), 'rep')} as events"
        out.print(f"{path} -> {written[0].parent} ({count(len(written), 'file')}{events})")
    return 0
