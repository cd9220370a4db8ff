"""Reports of analysed sessions: pandas tables (reps, sets, session), HTML with plots, writers.

pandas and matplotlib live here, never in :mod:`imu.core`. Typical use::

    from imu.io import read_recording
    from imu.report import analyze_recording, write_reports

    report = analyze_recording(read_recording("session.parquet"), "reverse-crunch")
    report.reps      # one row per rep (schema: imu.report.tables, docs/reports.md)
    write_reports(report, "out/")  # reps/sets/session .csv + .parquet, report.html
"""

from imu.report.coaching import DISCLAIMER, Verdict, session_verdict
from imu.report.session import SessionReport, analyze_recording
from imu.report.tables import (
    REPS_COLUMNS,
    REPS_DTYPES,
    SESSION_COLUMNS,
    SESSION_DTYPES,
    SETS_COLUMNS,
    SETS_DTYPES,
    ReportError,
    combined_tables,
    reps_table,
    session_table,
    sets_table,
    write_reports,
)

__all__ = [
    "DISCLAIMER",
    "REPS_COLUMNS",
    "REPS_DTYPES",
    "SESSION_COLUMNS",
    "SESSION_DTYPES",
    "SETS_COLUMNS",
    "SETS_DTYPES",
    "ReportError",
    "SessionReport",
    "Verdict",
    "analyze_recording",
    "combined_tables",
    "reps_table",
    "session_table",
    "session_verdict",
    "sets_table",
    "write_reports",
]
