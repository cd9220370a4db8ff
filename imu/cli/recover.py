"""``imu recover JOURNAL...``: turn a live session's crash journal into a Parquet recording."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from rich.console import Console

from firmware_protocol import ProtocolError
from imu.cli._args import file_arg, folder_arg
from imu.cli._csvargs import console
from imu.errors import ImuError, RecordingError
from imu.io.journal import (
    RECOVERED_SUFFIX,
    is_recovered_journal,
    journal_in_use,
    journal_stem,
    recover,
    recovered_copy,
    recovery_target,
    set_aside,
)
from imu.io.recording import one_line, write_recording
from imu.io.repairs import plural
from imu.live.finish import lost_at_end_s, recovered_analyze_command


def register(subparsers: Any) -> None:
    """Add the ``recover`` command."""
    p = subparsers.add_parser(
        "recover",
        help="turn a live session's journal (left by a crash) into a Parquet recording",
        description=textwrap.fill(
            "Read the crash-safe journal that 'imu live' writes while recording (NAME.imuj),"
            " decode its frames exactly as the live run does, and write NAME.parquet"
            " (NAME-recovered.parquet if that exists: nothing is written over); the journal"
            " is then kept as NAME.imuj.recovered (NAME.imuj.recovered-2 if that exists, left"
            " by an earlier crash: nothing is written over either). A journal a running"
            " session still writes is refused, and so is one already recovered"
            " (NAME.imuj.recovered) whose recording is still there: a second copy of the"
            " session (give --out another folder to write one). A torn"
            " last record (the crash itself) is dropped; everything before it is kept. Bytes"
            " after the last record that hold no record (appended by something else) are"
            " ignored and said, and lose nothing. A damaged"
            " record elsewhere (bit flips, a zeroed block) is skipped: the reader finds the next"
            " intact record and keeps everything after it, the loss is reported in frames and"
            " seconds on stderr, the recording is still written, and the exit code is 1."
        ),
        epilog="examples:\n  imu recover sessions/live-20250101-093000.imuj\n"
        "  imu recover sessions/*.imuj --out recovered/\n\n"
        "exit codes: 0 recovered (at most a torn last record dropped or an unreadable\n"
        "tail ignored), 1 recovered but intact data was lost to damage, or of several\n"
        "journals one could not be recovered (said, and the others recovered), 2 nothing\n"
        "recovered (error).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("journals", type=file_arg, nargs="+", metavar="JOURNAL", help="journal file(s)")
    p.add_argument("--out", "-o", type=folder_arg("--out recovered/"), default=None,
                   metavar="DIR",
                   help="output directory (default: next to each journal)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Recover every journal; returns the exit code (see the epilog).

    A journal that cannot be recovered is said in one line and the others are recovered
    (``imu recover sessions/*.imuj`` with one damaged header among them): exit code 1 then,
    2 when none could be. A journal named twice is recovered once.
    """
    out = console("recover")
    journals = list(dict.fromkeys(args.journals, None))
    journals = [j for i, j in enumerate(journals)
                if all(not _same_file(j, k) for k in journals[:i])]
    if len(journals) == 1:
        return _recover_one(journals[0], args.out, out)  # its error is the command's
    codes = []
    for journal in journals:
        try:
            codes.append(_recover_one(journal, args.out, out))
        except (ImuError, ProtocolError) as exc:
            print(f"imu recover: error: {one_line(exc)}; skipped", file=sys.stderr)
            codes.append(2)
    failed = codes.count(2)
    if failed == len(codes):
        return 2
    if failed:
        print(f"imu recover: {failed} of {len(codes)} journals could not be recovered (said "
              "above); the others were", file=sys.stderr)
    return 1 if any(codes) else 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _recover_one(journal: Path, out_dir: Path | None, out: Console) -> int:
    """Recover one journal and say so; 1 if intact data was lost to damage, else 0.

    Raises:
        ImuError: the journal cannot be recovered (the message names it and why).

    """
    if journal_in_use(journal):
        raise RecordingError(
            f"{journal} is in use: a running session is still writing it; stop that "
            "session (Ctrl-C) and it saves its own recording"
        )
    result = recover(journal, warn=False)
    recording = result.recording
    copy = recovered_copy(journal, recording, out_dir)
    if copy is not None:
        # A second copy of the session beside the first: batch and progress counted it twice.
        raise RecordingError(
            f"{journal} was already recovered into {copy}: give that recording "
            f"({recovered_analyze_command(copy)}); to write another copy, give --out with "
            "another folder, or delete it first"
        )
    target = recovery_target(journal, out_dir)  # never over an existing recording
    write_recording(recording, target)
    done = journal
    kept = ""
    if not is_recovered_journal(journal):  # recovered again: already marked
        # Not recovered again at the next 'imu live' into this folder; never over the
        # journal of an earlier crash of a session with the same name.
        done = set_aside(journal, RECOVERED_SUFFIX)
        plain = journal.name + RECOVERED_SUFFIX
        if done.name != plain:
            earlier = done.name[len(plain) + 1:]  # the k of NAME.imuj.recovered-k
            kept = (
                f" ({plain}, of an earlier recovery, is kept: not written over)"
                if earlier == "2"
                else f" ({plain} to {plain}-{int(earlier) - 1}, of earlier recoveries, "
                "are kept: not written over)"
            )
    plain_target = target.with_name(f"{journal_stem(journal)}.parquet")
    written_over = (
        f"{plain_target.name} is there, not written over; " if target != plain_target else ""
    )
    torn = ""
    if result.contents.torn_tail:
        tail = result.contents.damage[-1]
        torn = (
            f", {plural(tail.n_bytes, 'byte')} of unreadable tail ignored"
            if tail.foreign
            else ", torn last record dropped"
        )
    tail_s = lost_at_end_s(recording)
    gone = f", and the last {tail_s:.0f} s with the sensor gone" if tail_s >= 0.5 else ""
    out.print(
        f"{journal}: {plural(result.contents.n_frames, 'frame')}{torn} -> {target}"
        f" ({written_over}{recording.duration_s:.1f} s, "
        f"{plural(len(recording.meta.gaps), 'gap')}, "
        f"{plural(recording.missing_samples, 'sample')} missing{gone}); journal kept as "
        f"{done.name}{kept}",
        markup=False,
    )
    out.print(f"  its reports: {recovered_analyze_command(target)}", markup=False)
    if result.repairs:  # a loss is a warning; a torn or unreadable tail lost nothing
        kind = "warning" if result.repairs.data_lost else "note"
        print(f"imu recover: {kind}: {result.repairs.line()}", file=sys.stderr)
    return 1 if result.repairs.data_lost else 0
