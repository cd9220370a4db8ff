"""The end of a live session: the report of what the live analyzer found, and saving it all.

``imu live`` and ``imu replay`` end here. The reports a live session saves are built from the
live analyzer's own reps (:attr:`imu.live.session.LiveResult.reps`), never from a re-analysis
of the saved recording, so what the person saw live and the saved tables are the same rows.
``imu analyze`` of the saved recording gives the same table (tested in
``tests/cli/test_live_equals_offline.py``). Also here: recovering journals left by a crash.
:func:`finish_session` and :func:`recover_leftovers` print what they did on a rich console
given by the caller (the terminal tables come from :mod:`imu.report.terminal`).

Saving goes in this order: the recording (written atomically, read back, flushed), then the
journal is removed at once (the session is never in both, so it is never recovered twice),
then the reports, then the tables. The reports replace an earlier run's in ``NAME/`` all
together or not at all (:func:`imu.io.atomic.replace_together`, as ``imu analyze``): a full
disk half-way leaves the earlier set whole (or none), and the error says the recording is
safe and gives the ``imu analyze`` command that makes the reports. Ctrl-C is held off until
the journal is gone; after that it stops the reports (none is replaced), and
:func:`finish_session` says how to make them (``imu analyze``).
"""

from __future__ import annotations

import logging
import shlex
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rich.console import Console

from imu.core.metrics import Rep
from imu.errors import ImuError, RecordingError
from imu.exercises import ExerciseProfile
from imu.io.atomic import FolderBusyError, replace_together
from imu.io.journal import (
    EMPTY_SUFFIX,
    INCOMPLETE_SUFFIX,
    RECOVERED_SUFFIX,
    SUFFIX,
    EmptyJournalError,
    fsync_path,
    journal_in_use,
    leftover_journals,
    mark_saved_elsewhere,
    read_journal,
    recover,
    recovery_target,
    set_aside,
)
from imu.io.recorders import LOST_AT_END_NOTE
from imu.io.recording import Recording, pauses_s, read_recording, write_recording
from imu.live.session import InterruptHold, LiveResult
from imu.report.coaching import MIN_ANALYSIS_S, early_stop_verdict
from imu.report.mismatch import exercise_mismatch
from imu.report.session import (
    SessionReport,
    data_seconds,
    lost_spans_s,
    paused_spans_s,
    walked_s,
)
from imu.report.summary import counted_words, duration_words, lost_s, missed_note, summarize
from imu.report.tables import (
    REPORT_FILES,
    ReportError,
    reps_table,
    session_table,
    sets_table,
    write_reports,
)
from imu.report.terminal import print_prose, reps_view, sets_view
from imu.tempo import Tempo
from imu.text import count, tempo_and_time, uncertain_note

logger = logging.getLogger(__name__)


def live_report(
    recording: Recording,
    reps: list[Rep],
    profile: ExerciseProfile,
    tempo: Tempo,
    trace: npt.NDArray[np.float64] | None = None,
    trace_start_s: float = 0.0,
    unfinished: bool | None = None,
) -> SessionReport:
    """The report tables of a live session, from the reps its analyzer reported.

    Args:
        recording: the session's recording (metadata, duration, rate).
        reps: the live analyzer's reps, in the order reported.
        profile: the exercise profile analysed.
        tempo: the prescription the live analyzer compared with.
        trace: shape (n, 2), the live analyzer's pelvic angle (deg) and rate (deg/s), for the
            report's plot; None or empty: no plot of the signal.
        trace_start_s: time of the trace's first row on the reps' clock, s.
        unfinished: whether a rep (hold) was under way when the session ended (None: not
            known; :attr:`imu.report.session.SessionReport.unfinished`).

    """
    table = reps_table(reps, profile)
    sets = sets_table(table, profile)
    lost = lost_s(lost_spans_s(recording.meta, recording.sampling_rate_hz))
    paused = paused_spans_s(recording.meta, recording.sampling_rate_hz)
    walked = walked_s(recording, table)
    session = session_table(table, sets, profile, tempo, recording.meta, recording.duration_s,
                            lost, unfinished, walked, paused_spans_s=paused)
    meta = recording.meta
    return SessionReport(
        reps=table,
        sets=sets,
        session=session,
        trace=np.empty((0, 2)) if trace is None else trace,
        trace_start_s=trace_start_s,
        sampling_rate_hz=recording.sampling_rate_hz,
        profile=profile,
        tempo=tempo,
        meta=meta,
        name=Path(meta.source).stem if meta.source else "",
        unfinished=unfinished,
        walked_s=walked,
    )


@dataclass(frozen=True)
class SavedSession:
    """What :func:`finish_session` wrote.

    Attributes:
        recording_path: the Parquet recording.
        report_paths: reps/sets/session CSV and Parquet, and ``report.html``.
        report: the report saved.
        fallback_reason: why the recording went to a temporary directory instead of the
            output directory (None when it did not).

    """

    recording_path: Path
    report_paths: list[Path]
    report: SessionReport
    fallback_reason: str | None = None


def write_verified(recording: Recording, path: Path) -> Path:
    """Write ``recording`` to ``path`` atomically, read it back, and flush it to the disk.

    Raises:
        RecordingError: it cannot be written, or what is read back is not what was written
            (the message names the file).

    """
    path = write_recording(recording, path)  # a temporary name, renamed when complete
    back = read_recording(path)
    if back.n_samples != recording.n_samples or len(back.meta.gaps) != len(recording.meta.gaps):
        raise RecordingError(
            f"{path}: read back {back.n_samples} samples and {len(back.meta.gaps)} gaps, "
            f"but {recording.n_samples} and {len(recording.meta.gaps)} were written; the "
            "disk may be failing, choose another --out"
        )
    fsync_path(path)
    fsync_path(path.parent)  # the rename too
    return path


def save_recording(
    recording: Recording, out_dir: Path, name: str, journal_path: Path | None = None
) -> tuple[Path, str | None]:
    """Write ``out_dir/NAME.parquet`` safely, then remove the journal at once.

    The recording is written under a temporary name and renamed, read back and flushed to the
    disk (:func:`write_verified`); only then is the journal removed, so the session is
    always in exactly one of them: never lost, and never recovered a second time. If the
    recording cannot be written in ``out_dir`` (disk full, directory gone), it goes to a new
    temporary directory and the journal stays (the next ``imu live`` there recovers it).

    Returns:
        The recording's path, and why it is not in ``out_dir`` (None when it is).

    Raises:
        RecordingError: not even the temporary directory can be written; the journal is kept
            and the message says how to recover it.

    """
    target = out_dir / f"{name}.parquet"
    fallback_reason: str | None = None
    try:
        try:
            path = write_verified(recording, target)
        except RecordingError as exc:
            fallback_reason = str(exc)
            fallback = Path(tempfile.mkdtemp(prefix="imu-live-")) / f"{name}.parquet"
            logger.warning("cannot write %s (%s); saving to %s", target, exc, fallback)
            path = write_verified(recording, fallback)
    except (RecordingError, OSError) as exc:
        if journal_path is None or not journal_path.exists():
            raise
        raise RecordingError(
            f"{exc}; the journal {journal_path} keeps everything received: make the "
            f"recording with 'imu recover {journal_path}' once the disk is fixed"
        ) from exc
    if journal_path is not None and path.parent == out_dir:
        try:
            journal_path.unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("cannot remove the journal %s (the recording %s is safe): %s; "
                           "remove it by hand", journal_path, path, exc)
    return path, fallback_reason


def reports_dir(recording_path: Path) -> Path:
    """The folder of a session's reports: ``NAME/`` beside ``NAME.parquet``."""
    return recording_path.parent / recording_path.stem


def analyze_command(recording_path: Path, profile: ExerciseProfile, tempo: Tempo) -> str:
    """The ``imu analyze`` command that writes a saved session's reports into its folder."""
    words = ["imu", "analyze", str(recording_path), "--exercise", profile.name, "--tempo",
             str(tempo), "--out", str(reports_dir(recording_path))]
    return shlex.join(words)


def recovered_analyze_command(recording_path: Path) -> str:
    """The ``imu analyze`` command for a recording recovered from a journal.

    Its exercise and tempo come from the recording's metadata, so only the folder is given:
    ``NAME/`` beside it, where a live session keeps its reports.
    """
    words = ["imu", "analyze", str(recording_path), "--out", str(reports_dir(recording_path))]
    return shlex.join(words)


@dataclass(frozen=True)
class RecoveredJournal:
    """A journal left by a crashed session, and what became of it.

    Attributes:
        journal: the journal file (renamed ``*.recovered`` once its recording is written).
        target: the recording written from it (``NAME.parquet`` beside it).
        recording: the recovered recording; None when it could not be recovered.
        error: why it could not be recovered (None when it was).
        losses: what was lost to damage and repaired, one line as ``imu recover`` prints it
            ("" when nothing was).
        data_lost: intact data was lost (not only a torn or unreadable tail dropped).
        kept_as: where the journal was set aside once recovered (``NAME.imuj.recovered``,
            or ``-2``, ``-3``... beside an earlier one); None when it was not.
        unwritable: the journal was read but its recording could not be written (a full
            disk, a read-only folder): ``error`` says why; the journal is left in place.
        incomplete_copy: the journal stops short of its session, whose complete recording
            is this file (saved elsewhere when the disk was full): no recording was made from
            the journal, which is set aside (``target``); ``error`` says so.

    """

    journal: Path
    target: Path
    recording: Recording | None
    error: str | None = None
    losses: str = ""
    data_lost: bool = False
    kept_as: Path | None = None
    unwritable: bool = False
    incomplete_copy: Path | None = None


def recover_leftover_journals(out_dir: Path,
                              taken: Collection[str] = ()) -> list[RecoveredJournal]:
    """Turn journals left in ``out_dir`` by a crash into Parquet recordings.

    A journal that cannot be recovered is left in place and reported, never deleted; so is
    one whose recording cannot be written (a full disk: ``unwritable``); one that a running
    session still writes (it holds the journal's lock) is left alone. A recording is never
    written over an existing file (:func:`imu.io.journal.recovery_target`), nor under a name
    in ``taken`` (the session about to start). Never raises for one journal: the others are
    still tried, and the new session can start.
    """
    results = []
    for journal in leftover_journals(out_dir):
        target = recovery_target(journal, taken=taken)  # never over a recording already there
        if journal_in_use(journal):
            results.append(RecoveredJournal(journal, target, None, "in use by a running "
                                            "session (left alone)"))
            continue
        try:
            recovered = recover(journal, warn=False)
        except EmptyJournalError as exc:
            # Said once: set aside (kept, never deleted: it may hold payloads worth a look).
            aside = set_aside(journal, EMPTY_SUFFIX)
            results.append(RecoveredJournal(journal, aside, None, f"{exc}; set aside as "
                                            f"{aside.name}"))
            continue
        except RecordingError as exc:
            results.append(RecoveredJournal(journal, target, None, str(exc)))
            continue
        recording = recovered.recording
        mark = recovered.saved_elsewhere
        if recovered.incomplete and mark is not None and mark.path.exists():
            # A short copy of a session saved whole elsewhere: no second session.
            aside = set_aside(journal, INCOMPLETE_SUFFIX)
            results.append(RecoveredJournal(
                journal, aside, None, f"{recovered.incomplete_text()}; no recording made from "
                f"it, and it is set aside as {aside.name}", incomplete_copy=mark.path))
            continue
        try:
            write_recording(recording, target)
        except (RecordingError, OSError) as exc:  # a full disk: the journal stays
            results.append(RecoveredJournal(journal, target, None, str(exc), unwritable=True))
            continue
        kept = set_aside(journal, RECOVERED_SUFFIX)  # never over an earlier one of that name
        losses = recovered.repairs.line() if recovered.repairs else ""
        if recovered.incomplete_text():
            losses = "; ".join(x for x in (losses, recovered.incomplete_text()) if x)
        results.append(RecoveredJournal(journal, target, recording, losses=losses,
                                        data_lost=recovered.repairs.data_lost
                                        or recovered.incomplete, kept_as=kept))
    return results


def recover_leftovers(out_dir: Path, out: Console, taken: Collection[str] = ()) -> list[Path]:
    """Recover journals left in ``out_dir`` by a crash; say so on ``out``.

    ``taken``: names of the session about to start, whose recording a recovered one must not
    take (``NAME-recovered.parquet`` instead).

    One that cannot be recovered is named with what to do about it, and the caller goes on
    (the new session starts): it never blocks the next start.
    """
    written = []
    leftovers = [j for j in leftover_journals(out_dir) if not journal_in_use(j)]
    if leftovers:
        out.print(f"recovering {count(len(leftovers), 'journal')} of an earlier session in "
                  f"{out_dir}: {', '.join(j.name for j in leftovers)}", markup=False)
    for item in recover_leftover_journals(out_dir, taken):
        if item.recording is None and item.error and item.error.startswith("in use"):
            out.print(f"note: {item.journal.name} is {item.error}", markup=False)
            continue
        if item.incomplete_copy is not None:
            out.print(f"warning: {item.journal.name}, the journal of an earlier session, is "
                      f"incomplete: {item.error}. Keep the complete one: mv "
                      f"{shlex.quote(str(item.incomplete_copy))} "
                      f"{shlex.quote(str(out_dir))}/", markup=False)
            continue
        if item.recording is None:
            out.print(f"warning: cannot recover {item.journal.name}, the journal of an earlier "
                      f"session: {item.error}" + _leftover_advice(item), markup=False)
            continue
        out.print(
            f"recovered {item.journal.name} (the journal of an earlier session) -> "
            f"{item.target.name}: {item.recording.duration_s:.1f} s, "
            f"{count(len(item.recording.meta.gaps), 'gap')}"
            + (f"; journal kept as {item.kept_as.name}" if item.kept_as is not None else ""),
            markup=False,
        )
        if item.losses:
            out.print(f"{'warning' if item.data_lost else 'note'}: {item.losses}", markup=False)
        out.print(f"  its reports: {recovered_analyze_command(item.target)}", markup=False)
        written.append(item.target)
    return written


def _leftover_advice(item: RecoveredJournal) -> str:
    """What to do about a journal the start-up recovery could not turn into a recording."""
    if not item.unwritable:
        return (f"; it is left as it was, and this session goes on (move it out of "
                f"{item.journal.parent} to stop this warning)")
    journal = shlex.quote(str(item.journal))
    return (
        f"; it is kept, and this session goes on. Free space in {item.journal.parent} and "
        "start again to recover it there, or move it away, or make its recording elsewhere: "
        f"imu recover {journal} --out OTHER_DIR/"
    )


def check_session_name(out_dir: Path, name: str) -> None:
    """Refuse, before anything streams, a session name whose files are already there.

    Raises:
        ImuError: ``out_dir/NAME.parquet`` or ``out_dir/NAME.imuj`` exists; the message says
            to choose another ``--name`` (or none, for a time-stamped one). Or the name is not
            a plain file name (a path, ``..``, empty): the session's files would land outside
            ``out_dir``.

    """
    if not name or name in (".", "..") or Path(name).name != name or "\\" in name:
        raise ImuError(
            f"--name {name!r}: give a plain session name (letters, digits, - and _), not a "
            "path; the files go into the --out folder"
        )
    for taken in (out_dir / f"{name}.parquet", out_dir / f"{name}{SUFFIX}"):
        if taken.exists():
            running = taken.suffix == SUFFIX and journal_in_use(taken)
            whose = (f"a session named {name!r} is recording there now" if running
                     else f"an earlier session named {name!r}")
            raise ImuError(
                f"{taken} already exists ({whose}); choose another "
                "--name, or leave --name out for a time-stamped one"
            )


def set_aside_empty_journal(journal: Path | None) -> str:
    """A session with no samples: drop its journal if it holds no payload, else set it aside.

    Called when a session ends without samples, and when it fails before streaming (a phone
    that does not answer, a busy port), so that no journal is left to warn about at every
    later start. Returns the note to add to the "no samples" line (what became of the journal).
    """
    if journal is None or not journal.exists():
        return ""
    try:
        frames = read_journal(journal).n_frames
    except RecordingError:
        frames = 1  # unreadable: keep it
    if frames == 0:
        journal.unlink()
        return ""
    aside = set_aside(journal, EMPTY_SUFFIX)
    return f" (the {count(frames, 'payload')} received are kept in {aside})"


def finish_session(
    result: LiveResult,
    out_dir: Path,
    name: str,
    profile: ExerciseProfile,
    tempo: Tempo,
    out: Console,
    journal_path: Path | None,
    hold: InterruptHold | None = None,
    command: str = "live",
) -> SavedSession | None:
    """Save the recording (then remove the journal), save the reports, print the tables.

    The tables saved and printed on ``out`` are the reps the live analyzer reported during the
    session (:func:`live_report`), not a re-analysis of the recording.

    Ctrl-C: held off (``hold``, :class:`imu.live.session.InterruptHold`; one of its own when
    None) until the recording is saved and the journal removed, a moment. Pressed twice in
    that moment, the reports are skipped; pressed while the reports are written, they are cut
    short. Either way one message on stderr says what was saved and gives the ``imu analyze``
    command that makes the reports, and :class:`KeyboardInterrupt` is raised again (exit 130).

    Returns:
        What was written (its ``report``); None when no samples were received.

    Raises:
        KeyboardInterrupt: Ctrl-C after the recording was saved (see above).
        ReportError: the recording is saved but the reports could not be written (a full
            disk): none was replaced, and the message says so and how to make them.

    """
    hold = hold if hold is not None else InterruptHold(command)
    with hold:
        hold.hold()
        recording = result.recording
        if recording.n_samples == 0:
            out.print("no samples received; nothing written"
                      + set_aside_empty_journal(journal_path), markup=False)
            return None
        path, fallback_reason = save_recording(recording, out_dir, name, journal_path)
        if fallback_reason is not None and journal_path is not None and journal_path.exists():
            # The journal may stop short (the disk filled up): its recovery must say so.
            mark_saved_elsewhere(journal_path, path, recording.duration_s)
        hold.release()  # the recording is safe: Ctrl-C may cut the rest short
        saved: SavedSession | None = None
        try:
            if fallback_reason is not None:
                out.print(f"error: {fallback_reason}; saved to {path} instead"
                          + fallback_note(journal_path), markup=False)
            if hold.skip_reports:
                raise KeyboardInterrupt
            too_short = too_short_note(recording)
            if too_short:
                out.print(f"the recording is saved: {path}; {too_short}", markup=False)
                return None
            report = live_report(recording, result.reps, profile, tempo, result.trace,
                                 result.trace_start_s, result.unfinished)
            if hold.interrupted:  # a Ctrl-C that landed where it could not be raised
                raise KeyboardInterrupt
            saved = SavedSession(path, _write_reports_together(report, path), report,
                                 fallback_reason)
            if hold.interrupted:
                raise KeyboardInterrupt
            _print_summary(saved, recording, tempo, out, result.reason)
        except KeyboardInterrupt:
            print(f"imu {command}: {_stopped_note(path, recording, saved, profile, tempo)}",
                  file=sys.stderr, flush=True)
            raise
    return saved


def _write_reports_together(report: SessionReport, path: Path) -> list[Path]:
    """Write the session's reports into ``NAME/`` beside ``path``, all together or not at all.

    Every file goes to a hidden temporary name first and is renamed into place only when the
    whole set is complete (:func:`imu.io.atomic.replace_together`, as ``imu analyze`` writes
    its reports): a full disk or a crash half-way never leaves this session's tables beside an
    earlier run's ``report.html``.

    Raises:
        ReportError: a report could not be written; the message says what the folder holds
            (the earlier run's reports, whole, or none), that the recording ``path`` is safe,
            and the ``imu analyze`` command that makes the reports.

    """
    folder = reports_dir(path)
    earlier = [n for n in REPORT_FILES if (folder / n).exists()]
    try:
        with replace_together():  # all 7 files new, or all as they were
            return write_reports(report, folder)
    except ReportError as exc:
        raise ReportError(reports_not_written_message(exc, path, report.profile, report.tempo,
                                                      earlier=bool(earlier))) from exc


def reports_not_written_message(exc: ReportError, path: Path, profile: ExerciseProfile,
                                tempo: Tempo, earlier: bool) -> str:
    """Why a saved session's reports were not written, what is safe, and how to make them.

    "cannot write reports to sessions/s: No space left on device; nothing was replaced:
    sessions/s still holds the earlier run's reports; the recording is safe: sessions/s.parquet
    (journalled to disk as it arrived, and saved before the reports): make the reports once the
    cause is fixed with  imu analyze sessions/s.parquet --exercise ... --out sessions/s".

    Args:
        exc: the error of :func:`imu.report.tables.write_reports`.
        path: the saved recording.
        profile: the exercise analysed.
        tempo: the tempo analysed against.
        earlier: the reports folder held an earlier run's reports before the attempt.

    """
    folder = reports_dir(path)
    cause = exc.__cause__
    if isinstance(cause, FolderBusyError):
        reason = str(cause)  # another process writes there: not a matter of --out
    else:
        # write_reports advises "choose a writable --out": the folder is the session's own.
        text, sep, _ = str(exc).rpartition("; choose ")
        reason = text if sep else str(exc)
    kept = (f"nothing was replaced: {folder} still holds the earlier run's reports" if earlier
            else "no report was written")
    return (f"{reason}; {kept}; the recording is safe: {path} (journalled to disk as it "
            "arrived, and saved before the reports): make the reports once the cause is fixed "
            f"with\n  {analyze_command(path, profile, tempo)}")


def too_short_note(recording: Recording) -> str:
    """Why a session too short for the rep analysis gets no reports ("" when it is long enough).

    A session stopped at once (Ctrl-C in the first second) is saved, but ``imu analyze``
    refuses so short a recording, and empty reports would look like a result.
    """
    data_s = data_seconds(recording)
    if data_s >= MIN_ANALYSIS_S:
        return ""
    return (f"{data_s:.2f} s of data is too short for reports (the rep analysis needs at least "
            f"{MIN_ANALYSIS_S:g} s): no reports written")


def fallback_note(journal_path: Path | None) -> str:
    """What became of the journal of a session saved elsewhere than asked ("" if none)."""
    if journal_path is None or not journal_path.exists():
        return ""
    try:
        recovered = recover(journal_path, warn=False)
    except RecordingError:
        recovered = None
    if recovered is not None and recovered.incomplete:
        return (f"; the journal {journal_path} is kept but holds only the first "
                f"{recovered.recording.duration_s:.1f} s (the disk filled up): keep the "
                "recording where it was saved (the next 'imu live' there says so and sets "
                "the journal aside)")
    folder = shlex.quote(str(journal_path.parent))
    return (f"; the journal {journal_path} is kept: the next 'imu live --out {folder}' "
            "recovers it there once there is space (remove it if you keep the recording "
            "where it was saved)")


def _stopped_note(path: Path, recording: Recording, saved: SavedSession | None,
                  profile: ExerciseProfile, tempo: Tempo) -> str:
    """What a Ctrl-C after the recording was saved left on disk, and how to finish."""
    folder = reports_dir(path)
    # "complete" read as "the set is complete" (trial 22): it meant nothing was lost saving.
    kept = (f"the recording is saved: {path} ({recording.duration_s:.1f} s, every sample "
            "received)")
    if saved is not None:
        return f"stopped; everything is saved: {kept}, and the reports in {folder}"
    # The reports are replaced all together or not at all (:func:`_write_reports_together`):
    # what the folder holds is an earlier run's set, as it was.
    earlier = any((folder / n).exists() for n in REPORT_FILES)
    reports = (f"the reports were not made ({folder} still holds an earlier run's)" if earlier
               else "the reports were not made")
    return (f"stopped; {kept}; {reports}: make them with\n"
            f"  {analyze_command(path, profile, tempo)}")


def no_reps_note(report: SessionReport) -> str:
    """Why a session of an exercise that counts only hip drives found none ("" otherwise)."""
    if len(report.reps) or not report.profile.every_rep_is_swing:
        return ""
    return (
        f"{report.profile.name} counts only hip drives as reps, the pelvis swinging to drive "
        "the lift; strict reps leave the pelvis still, so none found is what strict form "
        "looks like from the hip"
    )


def _duration_s(report: SessionReport) -> float | None:
    """How long the session lasted, as its session table says (None: no table)."""
    return float(report.session.iloc[0]["duration_s"]) if len(report.session) else None


def coaching_lines(report: SessionReport) -> list[str]:
    """The coaching lines ``imu analyze`` ends with: what data gaps cost, "fix first", verdict.

    From the same functions (:func:`imu.report.summary.summarize`, the session table's
    ``verdict``), so that a live session, its replay and ``imu analyze`` of its recording end
    on the same advice.
    """
    summary = summarize(report.reps, report.profile, report.tempo,
                        lost_spans_s=report.lost_spans_s, tolerance=report.tolerance,
                        paused_spans_s=report.paused_spans_s,
                        paused_reason=report.paused_reason,
                        duration_s=_duration_s(report), started=report.unfinished,
                        walked_s=report.walked_s)
    lines = [summary.gap_note] if summary.gap_note else []
    if summary.missed_before:  # where a rep may be missing (the report's card says it too)
        lines.append(missed_note(summary.missed_before))
    lines += [f"fix first: {fix.text}" for fix in summary.fixes]
    if len(report.session) and "verdict" in report.session.columns:
        lines.append(f"verdict: {report.session.iloc[0]['verdict']}")
    return lines


def early_stop_note(report: SessionReport, reason: str = "stopped") -> str:
    """Why a session with no rep has nothing to coach, when it ended early ("" otherwise).

    Ctrl-C a few seconds into the first rep gave "verdict: No reps found: the pelvis did not
    rotate the 6°...; curl the pelvis, not only the legs": a technique correction for a rep
    the person never had the time to finish. Ended within about three reps' time (20 s at
    least: :func:`imu.report.coaching.early_stop_s`), the session table's verdict says so
    instead: "Stopped after 5 s, before a rep was finished: nothing to coach yet."
    (:func:`imu.report.coaching.early_stop_verdict`, which ``imu analyze`` of the recording
    gives too); here, the sensor's loss is named as what stopped it. A longer session with
    no rep keeps the analysis' verdict (the movement may really be too small to count). A
    standing strict lift's none is strict form (:func:`no_reps_note`).

    Args:
        report: the session's report.
        reason: why the session ended (``stopped``, ``device gone``, ...).

    """
    if len(report.reps) or not len(report.session):
        return ""
    duration_s = float(report.session.iloc[0]["duration_s"])
    who = "The sensor went away" if reason == "device gone" else "Stopped"
    verdict = early_stop_verdict(report.profile, report.tempo, duration_s, who,
                                 started=report.unfinished)
    return "" if verdict is None else verdict.text


def lost_at_end_s(recording: Recording) -> float:
    """How long the stream was lost before the session ended, s (0 when it was not).

    The recording ends at its last sample; the time from there to the session's end, while
    the link was down, is no gap in it (``session_ended``, :data:`LOST_AT_END_NOTE`).
    """
    try:
        return float(recording.meta.notes.get(LOST_AT_END_NOTE, "0"))
    except ValueError:
        return 0.0


def recording_loss_words(recording: Recording) -> str:
    """What was lost: "12 samples lost in 2 gaps", "the last 14 s lost...", "no samples lost".

    A pause of the measurement lost nothing: it follows, in its own words ("no samples lost;
    paused on the phone for 4 min").
    """
    gaps = [g for g in recording.meta.gaps if not g.paused]
    missing = sum(g.n_samples for g in gaps)
    inside = (f"{count(missing, 'sample')} lost in {count(len(gaps), 'gap')}"
              if gaps else "")
    tail_s = lost_at_end_s(recording)
    if tail_s < 0.5:
        words = inside or "no samples lost"
    else:
        tail = f"the last {tail_s:.0f} s lost (the sensor was gone when the session ended)"
        words = f"{inside}, and {tail}" if inside else tail
    pauses = pauses_s(recording.meta)
    if not pauses:
        return words
    paused_s = sum(b - a for a, b, _ in pauses)
    times = f" {count(len(pauses), 'time')}," if len(pauses) > 1 else ""
    return f"{words}; {pauses[0][2]}{times} for {duration_words(paused_s)}"


def _print_summary(saved: SavedSession, recording: Recording, tempo: Tempo,
                   out: Console, reason: str = "stopped") -> None:
    """The reps and sets tables, the one-line summary, and where everything went.

    A session ended before its first rep was finished says so in place of the verdict
    (:func:`early_stop_note`).
    """
    report = saved.report
    out.print(reps_view(report.reps, report.profile.isometric,
                        strict=report.profile.every_rep_is_swing, profile=report.profile))
    note = no_reps_note(report)
    if note:
        print_prose(out, note)
    hint = exercise_mismatch(recording, report.profile, report)
    if hint:
        print_prose(out, f"note: {hint}")
    out.print()
    strict = report.profile.every_rep_is_swing
    # A standing strict lift's "sets" are stretches of hip drives between pauses, not the
    # person's sets, and its drives have no tempo: its line counts the hip drives alone.
    sets = None if strict else sets_view(report.sets, report.profile.isometric, report.reps)
    if sets is not None:
        out.print(sets)
    row = report.session.iloc[0]
    counted = counted_words(report.profile, int(row["reps"]), int(row["sets"]),
                            uncertain_note(row), uncertain=int(row["uncertain_reps"]))
    worked = "" if strict else (
        f", {tempo_and_time(report.reps, tempo, report.profile.isometric, row)}")
    print_prose(out, f"{counted}{worked}; {recording.duration_s:.0f} s recorded, "
                     f"{recording_loss_words(recording)}")
    if lost_at_end_s(recording) >= 0.5 and reason == "stopped":
        reason = "device gone"  # no rep before the sensor went: "The sensor went away after..."
    early = early_stop_note(report, reason)
    for line in [f"verdict: {early}"] if early else coaching_lines(report):
        print_prose(out, line)
    where = saved.report_paths[0].parent if saved.report_paths else saved.recording_path.parent
    # Word-wrapped like the advice above: a narrow terminal broke these mid-word ("re" /
    # "ps.parquet", "w" / "eb browser", trial 24).
    print_prose(out, f"wrote {saved.recording_path}, and "
                     f"{', '.join(p.name for p in saved.report_paths)} to {where}")
    print_prose(out, f"report: open {where / 'report.html'} in a web browser")
