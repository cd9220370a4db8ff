"""``imu recover JOURNAL...``: turn a live session's crash journal into a Parquet recording."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from imu.cli._csvargs import console
from imu.io.journal import recover
from imu.io.recording import write_recording


def register(subparsers: Any) -> None:
    """Add the ``recover`` command."""
    p = subparsers.add_parser(
        "recover",
        help="turn a live session's journal (left by a crash) into a Parquet recording",
        description=textwrap.fill(
            "Read the crash-safe journal that 'imu live' writes while recording (NAME.imuj),"
            " decode its frames exactly as the live run does, and write NAME.parquet. A torn"
            " last record (the crash itself) is dropped; everything before it is kept. A damaged"
            " record elsewhere (bit flips, a zeroed block) is skipped: the reader finds the next"
            " intact record and keeps everything after it, the loss is reported in frames and"
            " seconds on stderr, the recording is still written, and the exit code is 1."
        ),
        epilog="exit codes: 0 recovered (at most a torn last record dropped), 1 recovered but "
        "intact data was lost to damage, 2 nothing recovered (error).",
    )
    p.add_argument("journals", type=Path, nargs="+", metavar="JOURNAL", help="journal file(s)")
    p.add_argument("--out", "-o", type=Path, default=None, metavar="DIR",
                   help="output directory (default: next to each journal)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Recover every journal; returns the exit code (1 if any lost intact data)."""
    out = console("recover")
    code = 0
    for journal in args.journals:
        result = recover(journal, warn=False)
        recording = result.recording
        target = (args.out or journal.parent) / f"{journal.stem}.parquet"
        write_recording(recording, target)
        torn = ", torn last record dropped" if result.contents.torn_tail else ""
        out.print(
            f"{journal}: {result.contents.n_frames} frames{torn} -> {target} "
            f"({recording.duration_s:.1f} s, {len(recording.meta.gaps)} gaps, "
            f"{recording.missing_samples} samples missing)",
            markup=False,
        )
        if result.repairs:
            print(f"imu recover: warning: {result.repairs.line()}", file=sys.stderr)
        if result.repairs.data_lost:
            code = 1
    return code
