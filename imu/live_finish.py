"""The end of a live session: the report of what the live analyzer found, and saving it all.

``imu live`` and ``imu replay`` end here. The reports a live session saves are built from the
live analyzer's own reps (:attr:`imu.ble.live.LiveResult.reps`), never from a re-analysis of
the saved recording, so what the person saw live and the saved tables are the same rows.
``imu analyze`` of the saved recording gives the same table (tested in
``tests/cli/test_live_equals_offline.py``).

Also here: the terminal tables of reps and sets that ``imu analyze``, ``imu live`` and
``imu replay`` print (rich renderables; printing them is the CLI's job).
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from rich import box
from rich.table import Table
from rich.text import Text

from imu.core.metrics import Rep
from imu.errors import RecordingError
from imu.exercises import FAULTS, ExerciseProfile
from imu.io.journal import leftover_journals, recover_journal
from imu.io.recording import Recording, write_recording
from imu.report.session import SessionReport
from imu.report.tables import RECORDING, reps_table, session_table, sets_table, write_reports
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

PHASE_HEADERS = ("con s", "hold s", "ecc s", "pause s")


def live_report(
    recording: Recording,
    reps: list[Rep],
    profile: ExerciseProfile,
    tempo: Tempo,
    trace: npt.NDArray[np.float64] | None = None,
    trace_start_s: float = 0.0,
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

    """
    table = reps_table(reps)
    sets = sets_table(table)
    session = session_table(table, sets, profile, tempo, recording.meta, recording.duration_s)
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
    )


@dataclass(frozen=True)
class SavedSession:
    """What :func:`save_session` wrote.

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


def save_session(
    recording: Recording,
    report: SessionReport,
    out_dir: Path,
    name: str,
    journal_path: Path | None = None,
) -> SavedSession:
    """Write ``out_dir/NAME.parquet`` and the reports; remove the journal once both are safe.

    If the recording cannot be written in ``out_dir`` (disk full, directory gone), it goes to
    a new temporary directory and the reports beside it, so the session is never lost.

    Raises:
        RecordingError: not even the temporary directory can be written.
        ReportError: the reports cannot be written (the recording is already safe).

    """
    target = out_dir / f"{name}.parquet"
    fallback_reason: str | None = None
    try:
        path = write_recording(recording, target)
    except RecordingError as exc:
        fallback_reason = str(exc)
        fallback = Path(tempfile.mkdtemp(prefix="imu-live-")) / f"{name}.parquet"
        logger.warning("cannot write %s (%s); saving to %s", target, exc, fallback)
        path = write_recording(recording, fallback)
    written = write_reports(report, path.parent)
    if journal_path is not None and journal_path.exists() and path.parent == out_dir:
        journal_path.unlink()
    return SavedSession(path, written, report, fallback_reason)


@dataclass(frozen=True)
class RecoveredJournal:
    """A journal left by a crashed session, and what became of it.

    Attributes:
        journal: the journal file (renamed ``*.recovered`` once its recording is written).
        target: the recording written from it (``NAME.parquet`` beside it).
        recording: the recovered recording; None when it could not be recovered.
        error: why it could not be recovered (None when it was).

    """

    journal: Path
    target: Path
    recording: Recording | None
    error: str | None = None


def recover_leftover_journals(out_dir: Path) -> list[RecoveredJournal]:
    """Turn journals left in ``out_dir`` by a crash into Parquet recordings.

    A journal that cannot be recovered is left in place and reported, never deleted.
    """
    results = []
    for journal in leftover_journals(out_dir):
        target = journal.with_suffix(".parquet")
        try:
            recording = recover_journal(journal)
        except RecordingError as exc:
            results.append(RecoveredJournal(journal, target, None, str(exc)))
            continue
        write_recording(recording, target)
        journal.rename(journal.with_name(journal.name + ".recovered"))
        results.append(RecoveredJournal(journal, target, recording))
    return results


# ----------------------------------------------------------------------- terminal tables
def _fmt(value: float, spec: str = ".1f") -> str:
    return "-" if pd.isna(value) else f"{float(value):z{spec}}"  # z: no "-0.0"


def _fmt_side(side: object) -> str:
    return side if isinstance(side, str) else ""


def reps_view(reps: pd.DataFrame) -> Table | Text:
    """The reps table as printed on the terminal (``no reps found`` when empty)."""
    if reps.empty:
        return Text("no reps found", style="yellow")
    table = Table(title="reps", box=box.SIMPLE_HEAD, show_edge=False)
    several = RECORDING in reps
    if several:
        table.add_column("recording")
    for name in ("set", "rep"):
        table.add_column(name, justify="right")
    alternating = reps["side"].notna().any()
    if alternating:
        table.add_column("side")
    for name in (*PHASE_HEADERS, "ROM deg"):
        table.add_column(name, justify="right")
    for name in ("swing", "faults", "tempo"):
        table.add_column(name)
    for r in reps.to_dict(orient="records"):
        faults = ", ".join(f for f in FAULTS if r[f])
        cells = [str(r[RECORDING])] if several else []
        cells += [str(r["set"]), str(r["rep"])]
        if alternating:
            cells.append(_fmt_side(r["side"]))
        cells += [
            _fmt(r["concentric_s"]),
            _fmt(r["top_hold_s"]),
            _fmt(r["eccentric_s"]),
            _fmt(r["bottom_pause_s"]),
            _fmt(r["rom_deg"], ".0f"),
            "[magenta]swing[/magenta]" if r["swing"] else "",
            f"[red]{faults}[/red]" if faults else "",
            "[green]ok[/green]" if r["tempo_ok"] else "[red]off[/red]",
        ]
        table.add_row(*cells)
    return table


def sets_view(sets: pd.DataFrame) -> Table | None:
    """The sets table as printed on the terminal (None when there are no sets)."""
    if sets.empty:
        return None
    table = Table(title="sets", box=box.SIMPLE_HEAD, show_edge=False)
    several = RECORDING in sets
    headers = ["recording"] if several else []
    headers += ["set", "reps", "rest s", "TUT s", "con s", "hold s", "ecc s", "ROM deg"]
    headers += ["on tempo", "swings", "faults", "clean before fault"]
    for h in headers:
        table.add_column(h, justify="left" if h == "recording" else "right")
    for r in sets.to_dict(orient="records"):
        n_faults = sum(int(r[f"{f}_count"]) for f in FAULTS)
        cells = [str(r[RECORDING])] if several else []
        cells += [
            str(r["set"]),
            str(r["reps"]),
            _fmt(r["rest_before_s"], ".0f"),
            _fmt(r["tut_s"], ".0f"),
            _fmt(r["concentric_s_mean"]),
            _fmt(r["top_hold_s_mean"]),
            _fmt(r["eccentric_s_mean"]),
            _fmt(r["rom_deg_mean"], ".0f"),
            f"{r['tempo_ok_share']:.0%}",
            str(r["swings"]),
            str(n_faults),
            str(r["clean_reps_before_first_fault"]),
        ]
        table.add_row(*cells)
    return table
