"""Analyse many recordings in parallel on Dask into a partitioned Parquet dataset.

Typical use::

    from imu.batch import BatchOptions, collect_jobs, run_batch

    jobs = collect_jobs(["cohort/", "extra/*.parquet"], manifest="manifest.csv")
    result = run_batch(jobs, "dataset/", BatchOptions(workers=4))
    result.failures      # [(file, one-line reason)], the batch never stops on a bad file

Each recording is one *session*, analysed by :func:`imu.report.analyze_recording` on a Dask
worker (a ``LocalCluster`` of ``workers`` processes with one thread each by default, or the
cluster behind ``scheduler``). The workers return the three small report tables; this process
(the only writer) stores them in the dataset:

.. code-block:: text

    DATASET/
      reps/participant=<label>/<session_id>.parquet       one row per rep
      sets/participant=<label>/<session_id>.parquet       one row per set
      sessions/participant=<label>/<session_id>.parquet   one row per session
      _done/<session_id>.json                             written last: the session is done
      _failures.csv                                       file, reason of the last run
      _lock                                               pid and host of the batch writing

The partition value is the participant label, percent-encoded (``urllib.parse.quote``, the
encoding pyarrow's hive partitioning decodes); ``unknown`` when no participant is known.
Every table has the columns of :mod:`imu.report.tables` plus ``session_id`` (str), ``date``
(timestamp, UTC: the start of the recording; null when unknown), ``exercise`` and ``tempo``
(str); ``participant`` comes from the partition path (read it as a string, see
:func:`imu.research.load_dataset`). The sessions table also has ``file`` (the path analysed)
and ``exercise_note`` (str, null when there is none): the hint that the recording looks like
another exercise than the one it was analysed as (:func:`imu.report.mismatch.exercise_mismatch`,
the note of ``imu analyze``); it changes nothing else.

**session_id** is the first 16 hex digits of the SHA-256 of the file's bytes: stable across
renames, moves and re-runs, and different for any change to the samples or the metadata
stored in the file. Two byte-identical files are one session (analysed once).

**Re-running** skips a session whose done-marker (``_done/<session_id>.json``, written after
its three tables) records the same inputs (:func:`session_inputs`: the manifest's participant,
exercise, tempo and date, ``--exercise``/``--tempo``, every analyzer parameter, the file's size
and modification time) and whose table files are all there. A session whose inputs changed is
analysed again, and so are one with a table file missing or damaged (not a readable Parquet
file: its footer is checked), one whose done-marker is unreadable, and every session with
``force=True``; its old table files are removed (also when the participant changed), and so
is an earlier session of the same file whose bytes have changed since, unless another of its
*sources* (the resolved paths the session was analysed or seen under, recorded in its
marker: byte-identical copies, the file under a new name) still holds its bytes: the dataset
holds one version of each session and of each file. A session that fails when analysed again
loses its old results (the dataset never keeps results of inputs that are gone).

**One writer**: a batch holds ``DATASET/_lock`` (:func:`dataset_lock`) while it runs; a second
batch on the same dataset is refused, a lock whose process is gone (on this host) is taken
over.

**Metadata** (participant, exercise, prescribed tempo, date) comes from, most specific first:
a manifest row for the file, the batch options ``exercise``/``tempo``, the recording's own
metadata (``meta.start_time_s`` is the date), the exercise's default tempo.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import itertools
import json
import logging
import math
import os
import re
import shlex
import signal
import socket
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from imu.core.analyzer import AnalyzerParams
from imu.errors import ImportOptionsError, ImuError, MixedExportsError
from imu.exercises import (
    EXERCISE_ALIASES,
    MIN_HOLD_TEMPO_S,
    PROFILES,
    ExerciseProfile,
    check_tempo_fits,
    closest_name,
    get_profile,
    profile_name,
)
from imu.io.atomic import file_in_the_way
from imu.io.csv_import import CsvOptions, not_samples_message, sniff_delimiter
from imu.io.load import (
    datasets_note,
    exports_once,
    is_batch_dataset,
    load_recordings,
    not_a_recording,
    not_utf8_name,
    report_table_kind,
    shown_name,
)
from imu.io.phone import SL_FILES, detect_phone_format
from imu.io.polar_logger import one_per_recording
from imu.io.recording import Recording, RecordingMeta, missing_file, resolved
from imu.report.axis_check import off_axis_note
from imu.report.mismatch import exercise_mismatch, set_aside_note
from imu.report.session import SessionReport, analyze_recording, check_long_enough, recorded_tempo
from imu.report.tables import REPS_DTYPES, SESSION_DTYPES, SETS_DTYPES, TABLE_FILES
from imu.tempo import parse_tempo
from imu.text import count

logger = logging.getLogger(__name__)


class BatchError(ImuError):
    """A batch cannot start: no inputs, a bad manifest, an unwritable dataset, no scheduler."""


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped :func:`run_batch` while it analysed: what it had done by then.

    The sessions stored have their done-markers: a re-run with the same inputs and options
    skips them (unless ``force``) and analyses the rest, the files that failed included.

    Attributes:
        root: the dataset.
        stored: sessions analysed and stored by this run.
        skipped: sessions already done before this run (not analysed again).
        failed: files that failed by then (listed in ``root/_failures.csv``).
        left: files neither stored nor failed yet (analysing or waiting when it stopped).

    """

    def __init__(self, root: Path, stored: int, skipped: int, failed: int, left: int) -> None:
        super().__init__(root, stored, skipped, failed, left)
        self.root = root
        self.stored = stored
        self.skipped = skipped
        self.failed = failed
        self.left = left

    def __str__(self) -> str:
        return (f"{count(self.stored, 'session')} stored in {self.root} by this run, "
                f"{self.failed} failed, {self.left} not analysed")


TABLES: Final = ("reps", "sets", "sessions")
"""Sub-directories of a dataset, one per table."""

PARTITION: Final = "participant"
"""The partition column (hive layout ``participant=<label>``)."""

UNKNOWN_PARTICIPANT: Final = "unknown"
"""Partition label of sessions whose participant is not known."""

DONE_DIR: Final = "_done"
FAILURES_FILE: Final = "_failures.csv"
LOCK_FILE: Final = "_lock"
"""Held by the batch writing the dataset (its pid and host): one writer at a time."""
MANIFEST_COLUMNS: Final = ("file", "participant", "exercise", "tempo", "date")
SESSION_ID_HEX: Final = 16
RECORDING_SUFFIXES: Final = (".parquet", ".csv")

_ARROW_TYPES: Final[dict[str, pa.DataType]] = {
    "float64": pa.float64(),
    "int64": pa.int64(),
    "bool": pa.bool_(),
    "str": pa.string(),
}
_KEY_FIELDS: Final = [
    pa.field("session_id", pa.string()),
    pa.field("date", pa.timestamp("us", tz="UTC")),
    pa.field("exercise", pa.string()),
    pa.field("tempo", pa.string()),
]
_KEY_DTYPES: Final[dict[str, str]] = {
    "session_id": "str",
    "date": "datetime64[us, UTC]",
    "exercise": "str",
    "tempo": "str",
}
"""pandas dtypes of the key columns, matching :data:`_KEY_FIELDS`."""


EXERCISE_NOTE: Final = "exercise_note"
"""Column of the sessions table: the exercise hint (:attr:`SessionOutcome.note`), or null."""


def _schema(dtypes: dict[str, str], extra: Sequence[pa.Field] = ()) -> pa.Schema:
    fields = list(_KEY_FIELDS) + list(extra)
    names = {f.name for f in fields} | {PARTITION}
    fields += [pa.field(n, _ARROW_TYPES[t]) for n, t in dtypes.items() if n not in names]
    return pa.schema(fields)


SCHEMAS: Final[dict[str, pa.Schema]] = {
    "reps": _schema(REPS_DTYPES),
    "sets": _schema(SETS_DTYPES),
    "sessions": _schema(SESSION_DTYPES, [pa.field("file", pa.string()),
                                         pa.field(EXERCISE_NOTE, pa.string())]),
}
"""Arrow schema of each table's files (the partition column ``participant`` is in the path)."""


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class ManifestRow:
    """Per-file metadata from a manifest; None = not given (the next source applies).

    Attributes:
        participant: participant label.
        exercise: exercise profile name.
        tempo: prescribed tempo "up-hold-down" s.
        date: start of the session, Unix seconds (UTC).

    """

    participant: str | None = None
    exercise: str | None = None
    tempo: str | None = None
    date: float | None = None


@dataclass(frozen=True)
class Job:
    """One file to analyse.

    Attributes:
        path: the recording (Parquet, or CSV in the default SI layout).
        session_id: stable id (:func:`session_id`); empty when the file cannot be read.
        manifest: metadata that overrides the recording's.
        error: why the file cannot be analysed, found while collecting (it cannot be read);
            :func:`run_batch` reports it as a failure of this file without analysing it.
        aliases: the other input files with the same bytes (the same session, analysed once
            as ``path``); the done-marker records them all as the session's sources.

    """

    path: Path
    session_id: str
    manifest: ManifestRow = field(default_factory=ManifestRow)
    error: str | None = None
    aliases: tuple[Path, ...] = ()

    def sources(self) -> list[str]:
        """The resolved paths of ``path`` and its ``aliases`` (a marker's ``sources``)."""
        return list(dict.fromkeys(str(resolved(p)) for p in (self.path, *self.aliases)))


def session_id(path: str | Path, chunk_bytes: int = 1 << 20) -> str:
    """Stable session id: the first 16 hex digits of the SHA-256 of the file's bytes.

    For a folder (a phone app's export, one recording): of its files' relative names and
    bytes, in name order.

    Raises:
        BatchError: the file cannot be read.

    """
    digest = hashlib.sha256()
    folder = Path(path)
    # A phone export's folder is one recording: its files' names and bytes, in name order.
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]
    try:
        for file in files:
            if file != folder:
                digest.update(str(file.relative_to(folder)).encode() + b"\0")
            with open(file, "rb") as f:
                while chunk := f.read(chunk_bytes):
                    digest.update(chunk)
    except OSError as exc:
        raise BatchError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()[:SESSION_ID_HEX]


_ISO_DATE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
"""Dates a manifest takes: ISO 8601 ``YYYY-MM-DD``, optionally with a time and a zone."""

_DAY_MONTH: Final = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
"""``08/01/2024``: day and month in an order that cannot be told (8 January or 1 August)."""

MANIFEST_PROBLEMS_SHOWN: Final = 20
"""Manifest problems spelled out in the error; only the lines of the rest are listed."""


def _parse_date(text: str) -> float:
    """Unix seconds of an ISO 8601 manifest date (UTC when it has no zone).

    Raises:
        BatchError: anything but ``YYYY-MM-DD[THH:MM[:SS[.f]]][Z|+HH:MM]``, or no calendar
            date (``2024-13-45``); the message names the value (the caller adds the line).

    """
    fix = "write YYYY-MM-DD, e.g. 2024-01-08 or 2024-01-08T18:00:00Z"
    if _ISO_DATE.fullmatch(text) is None:
        parts = _DAY_MONTH.fullmatch(text)
        why = (" (day and month could be either way round)"
               if parts and max(int(parts[1]), int(parts[2])) <= 12 else "")
        raise BatchError(f"date {text!r} is not ISO 8601{why}; {fix}")
    try:
        stamp = pd.Timestamp(text.upper().replace(",", "."))
        bad = pd.isna(stamp)
    except (ValueError, TypeError, OverflowError):
        bad = True
    if bad:
        raise BatchError(
            f"date {text!r} is no calendar date (month 1-12, a day of that month); {fix}"
        )
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return float(stamp.timestamp())


@dataclass(frozen=True)
class Manifest:
    """A manifest as read, with the problems of its rows (:func:`load_manifest`).

    Attributes:
        path: the manifest.
        rows: resolved file path -> its row (files whose rows are all bad have none).
        lines: resolved file path -> the line numbers of its rows.
        problems: (line, one-line problem naming the line) of every bad row, in line order.

    """

    path: Path
    rows: dict[Path, ManifestRow]
    lines: dict[Path, list[int]]
    problems: list[tuple[int, str]]

    def error(self, extra: Sequence[tuple[int, str]] = ()) -> BatchError | None:
        """Every problem (and the ``extra`` ones) in one error; None when there is none.

        Up to :data:`MANIFEST_PROBLEMS_SHOWN` problems are spelled out, separated by ``|``;
        the line numbers of the rest follow.
        """
        problems = sorted([*self.problems, *extra], key=lambda item: item[0])
        if not problems:
            return None
        if len(problems) == 1:
            return BatchError(f"manifest {self.path} {problems[0][1]}")
        text = " | ".join(problem for _, problem in problems[:MANIFEST_PROBLEMS_SHOWN])
        rest = [str(n) for n, _ in problems[MANIFEST_PROBLEMS_SHOWN:]]
        if rest:
            listed = ", ".join(rest[:30]) + (", ..." if len(rest) > 30 else "")
            text += f" | and {count(len(rest), 'more problem')} on lines {listed}"
        return BatchError(
            f"manifest {self.path}: {count(len(problems), 'problem')}, fix them all and run "
            f"again: {text}"
        )


_BAD: Final = "\0bad:"
"""Prefix of a cell that does not parse (kept as written, to compare repeated rows)."""


def _manifest_row(values: dict[str, str | None]) -> tuple[dict[str, Any], list[str]]:
    """One row's metadata fields, and what is wrong with them (each problem one line).

    A field that does not parse is its text prefixed with :data:`_BAD`.
    """
    problems: list[str] = []
    fields: dict[str, Any] = {"participant": values.get("participant")}
    exercise = values.get("exercise")
    if exercise is not None:
        try:
            exercise = profile_name(exercise)
        except ImuError:
            guess = closest_name(exercise, [*PROFILES, *EXERCISE_ALIASES])
            problems.append(f"unknown exercise {exercise!r}; "
                            f"{f'did you mean {guess}? ' if guess else ''}"
                            f"one of: {', '.join(PROFILES)}")
            exercise = _BAD + exercise
    fields["exercise"] = exercise
    tempo = values.get("tempo")
    if tempo is not None:
        try:
            parsed = parse_tempo(tempo)
            if exercise is not None and not exercise.startswith(_BAD):
                check_tempo_fits(get_profile(exercise), parsed)
        except ImuError as exc:
            problems.append(" ".join(str(exc).split()))
            tempo = _BAD + tempo
    fields["tempo"] = tempo
    text = values.get("date")
    fields["date"] = None
    if text is not None:
        try:
            fields["date"] = _parse_date(text)
        except BatchError as exc:
            problems.append(str(exc))
            fields["date"] = _BAD + text
    return fields, problems


def _manifest_separator(path: Path) -> str:
    """The manifest's field separator, as a data CSV's is found (:func:`sniff_delimiter`).

    Excel writes CSV with ``;`` in many locales (and tab for "Unicode text").
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return ","  # read_csv says why
    return sniff_delimiter(path, head, CsvOptions())[0]


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest CSV, collecting the problems of all its rows (see :func:`read_manifest`).

    Raises:
        BatchError: the manifest as a whole is bad (missing or unreadable, no ``file``
            column, an unknown column), so that no row can be checked.

    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=_manifest_separator(path),
                            encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BatchError(f"manifest {path}: cannot read as CSV: {exc}") from exc
    # File,Participant,... as a spreadsheet capitalises them (trial 25: "no 'file' column").
    table.columns = [_manifest_column(str(c)) for c in table.columns]
    if "file" not in table.columns:
        raise BatchError(
            f"manifest {path}: no 'file' column (columns: {list(table.columns)}); the header "
            f"must be {','.join(MANIFEST_COLUMNS)}"
        )
    unknown = [c for c in table.columns if c not in MANIFEST_COLUMNS]
    if unknown:
        raise BatchError(
            f"manifest {path}: unknown column(s) {unknown}; allowed: {', '.join(MANIFEST_COLUMNS)}"
        )
    problems: list[tuple[int, str]] = []
    found: dict[Path, list[tuple[int, str, dict[str, Any]]]] = {}
    for i, record in enumerate(table.to_dict(orient="records"), start=2):
        values = {str(k): (str(v).strip() or None) for k, v in record.items()}
        written = values["file"]
        if written is None:
            problems.append((i, f"line {i}: empty 'file'; name the recording (relative to "
                                "the manifest's folder) or delete the row"))
            continue
        fields, bad = _manifest_row(values)
        problems += [(i, f"line {i}: {p}") for p in bad]
        file = _manifest_file(path, written)
        found.setdefault(resolved(file), []).append((i, written, fields))
    rows: dict[Path, ManifestRow] = {}
    for file, entries in found.items():
        good = [f for _, _, f in entries if not any(str(v).startswith(_BAD) for v in f.values())]
        if good:
            rows[file] = ManifestRow(**good[0])
        if len(entries) > 1:
            problem = _repeated(entries, clean=len(good) == len(entries))
            if problem is not None:
                problems.append((entries[0][0], problem))
    problems.sort(key=lambda item: item[0])  # stable: a line's problems in column order
    return Manifest(path, rows, {f: [n for n, _, _ in e] for f, e in found.items()},
                    problems)


def _manifest_column(name: str) -> str:
    """A manifest header cell: one of :data:`MANIFEST_COLUMNS` whatever its case, else as is."""
    bare = name.strip()
    return bare.lower() if bare.lower() in MANIFEST_COLUMNS else bare


def _manifest_file(manifest: Path, written: str) -> Path:
    r"""The file a manifest row names: relative paths from the manifest's folder.

    A path written with Windows' ``\`` (a manifest made there: ``sub\s1.parquet``) is
    read with ``/`` where only that one exists (trial 25: "none of its files exist").
    """
    def placed(text: str) -> Path:
        file = Path(text)
        return file if file.is_absolute() else manifest.parent / file

    file = placed(written)
    if "\\" in written and os.sep == "/" and not file.exists():
        slashed = placed(written.replace("\\", "/"))
        if slashed.exists():
            return slashed
    return file


def _repeated(entries: list[tuple[int, str, dict[str, Any]]], clean: bool) -> str | None:
    """The problem of a file listed on several rows; None when the rows agree.

    Args:
        entries: (line number, ``file`` cell as written, its fields from
            :func:`_manifest_row`) of each row of one file.
        clean: every row parses; rows that agree are then used once (a warning says so).

    """
    name, *aliases = dict.fromkeys(repr(text) for _, text, _ in entries)
    spelled = f"{name} (also written {', '.join(aliases)})" if aliases else name
    numbers = ", ".join(str(n) for n, _, _ in entries)
    differ = [f for f in ("participant", "exercise", "tempo", "date")
              if len({fields[f] for _, _, fields in entries}) > 1]
    if not differ:
        if clean:
            logger.warning("file %s is listed on lines %s with the same metadata: used once",
                           spelled, numbers)
        return None
    return (f"lines {numbers}: file {spelled} is listed more than once, with different "
            f"{' and '.join(differ)}; give each file one row (with its participant, exercise, "
            "tempo and date)")


STRAY_DATES_SHOWN: Final = 5
"""Manifest rows with a stray date named one a line; the others are counted."""


def stray_manifest_dates(manifest: Manifest, now_s: float | None = None) -> list[str]:
    """Warnings for the manifest's dates that look like typos, one line each.

    A date in the future, or over a year from every other row's (2062 for 2026), stretched
    the weeks of every table and progress page over the years between, without a word
    (:func:`imu.research.stray_dates`). Each line names the manifest, the line, its file and
    date and what to fix; a date may be right (a long break), so nothing is refused.
    """
    from imu.research import stray_dates

    dates: list[tuple[str, float]] = []
    for file, row in manifest.rows.items():
        if row.date is None:
            continue
        line = manifest.lines[file][0]
        name = _relative_to(file, manifest.path.parent)
        dates.append((f"line {line} ({name})", float(row.date)))
    strays = stray_dates(dates, now_s, others="other row")
    lines = [
        f"manifest {manifest.path} {s.name}: date {datetime.fromtimestamp(s.date_s, UTC):%Y-%m-%d}"
        f" is {s.why}; if it is a typo, fix it on that line (weekly tables and progress "
        "pages run from the first date to the last)"
        for s in strays[:STRAY_DATES_SHOWN]
    ]
    if len(strays) > STRAY_DATES_SHOWN:
        more = count(len(strays) - STRAY_DATES_SHOWN, "more row")
        lines.append(f"manifest {manifest.path}: and {more} with such a date")
    return lines


def _relative_to(file: Path, folder: Path) -> str:
    """``file`` as a manifest row would write it: relative to ``folder`` when inside it."""
    try:
        return str(file.relative_to(resolved(folder)))
    except ValueError:
        return str(file)


def read_manifest(path: str | Path) -> dict[Path, ManifestRow]:
    """Read a manifest CSV of per-file metadata.

    Columns: ``file`` (required), ``participant``, ``exercise``, ``tempo``, ``date`` (ISO
    8601 ``YYYY-MM-DD``, optionally with a time: ``2024-01-08T18:00:00Z``; a date without a
    zone is UTC). Empty cells are not given.

    Relative ``file`` paths are relative to the manifest's folder. A file listed on several
    rows with the same metadata is used once (logged).

    Returns:
        Resolved file path -> its row.

    Raises:
        BatchError: the manifest is missing or unreadable, lacks ``file``, has an unknown
            column, or has bad rows: an empty ``file``, a bad exercise, tempo or date, a file
            listed on several rows with different metadata. One error names every bad row
            (its line and what to fix).

    """
    manifest = load_manifest(path)
    error = manifest.error()
    if error is not None:
        raise error
    return manifest.rows


REPORT_TABLES = frozenset(TABLE_FILES)
"""This tool's own report tables: a folder search leaves them out (they are not recordings)."""
NOT_DATA_CSV = REPORT_TABLES | {"manifest.csv", "cohort.csv", "progress_weekly.csv"}
"""CSV files a folder holds that are no recordings: reports, a manifest, the design file of
``imu simulate-cohort``, the weekly table of ``imu progress``; they are not counted in the
"CSV files left out" note."""


def _dangling(path: Path) -> bool:
    """``path`` is a symbolic link whose target does not exist."""
    return path.is_symlink() and not path.exists()


def _file_like(path: Path) -> bool:
    """``path`` names a file to report on: a regular file, a broken link, or a special file.

    A named pipe, socket or device is taken (and fails with its reason, :func:`unusable_file`)
    rather than passed over as if it were not there. Checked with ``stat``: nothing is opened.
    """
    return _dangling(path) or (path.exists() and not path.is_dir())


def unusable_file(path: str | Path) -> str:
    """Why ``path`` cannot be analysed, found before reading it; "" when it may be tried.

    A broken symbolic link; a named pipe, socket or device (reading one may block for ever);
    a file imu wrote that is no recording: a live session's crash journal, or a reps, sets or
    session table (of ``imu analyze``, ``imu live``, or an ``imu batch`` dataset, e.g. copied
    out of it). The reason does not start with the path (the caller names the file). Shared by
    ``imu batch`` and ``imu export-bids``; the wording is that of ``imu info``/``convert``.
    """
    path = Path(path)
    if _dangling(path):
        return missing_file(path).removeprefix(f"{path}: ")
    return not_a_recording(path).removeprefix(f"{path}: ")


def csvs_left_out_advice(folder: Path, csvs: Sequence[Path]) -> str:
    """How to include the CSV files a search of ``folder`` left out: name them or a glob.

    The glob given matches them: ``FOLDER/*.csv`` when they all lie in ``folder`` itself,
    ``'FOLDER/**/*.csv'`` (quoted, for the shell) when some lie in a subfolder, where
    ``FOLDER/*.csv`` would match none of them. Up to three are named, the others counted.
    """
    base = str(folder).rstrip("/") or "/"
    nested = any(p.parent != folder for p in csvs)
    pattern = f"'{base}/**/*.csv'" if nested else f"{base}/*.csv"
    named = ", ".join(shlex.quote(str(p)) for p in csvs[:3])
    more = f" and {len(csvs) - 3} more" if len(csvs) > 3 else ""
    return (f"to include them, name them ({named}{more}) or give a glob such as {pattern} "
            "(it also matches any other CSV there)")


def _search_folder(
    folder: Path, not_data: frozenset[Path] = frozenset()
) -> tuple[list[Path], list[Path], list[Path], list[Path]]:
    """A directory search: its recordings, data CSVs and datasets left out, stray report tables.

    Recordings are the ``*.parquet`` files (and broken links named so, which then fail with
    their reason) outside this tool's report tables and outside any dataset of ``imu batch``
    (:func:`imu.io.load.is_batch_dataset`: its files are results, not recordings). Symbolic
    links to folders are not followed. CSVs in ``not_data`` (resolved paths: the manifest
    given with ``--manifest``) are not data and not counted, nor are CSVs that hold no
    samples (:func:`imu.io.csv_import.not_samples_message`: a note named ``notes.csv``);
    the folder's other files (a ``notes.txt``, a ``README.md``) are never read.

    The report tables are left out quietly where they belong: in a folder of reports (its
    ``report.html`` beside them and no recording, as ``imu analyze --out`` and a live session
    write it). Elsewhere (a ``reps.parquet`` copied next to recordings) they are returned as
    stray, for the caller to name; a file with a table's name that holds sensor data is a
    recording and taken.
    """
    recordings: list[Path] = []
    csvs: list[Path] = []
    datasets: list[Path] = []
    stray: list[Path] = []
    for here, dirs, files in os.walk(folder):
        base = Path(here)
        if is_batch_dataset(base):
            datasets.append(base)
            dirs.clear()
            continue
        tables: list[Path] = []
        for name in files:
            path = base / name
            if name.endswith(".parquet"):
                if not _file_like(path):
                    continue
                if name in REPORT_TABLES:
                    tables.append(path)
                else:
                    recordings.append(path)
            elif (name.endswith(".csv") and not name.endswith(".truth.csv")
                  and name not in NOT_DATA_CSV and path.is_file()
                  and resolved(path) not in not_data and not not_samples_message(path)):
                csvs.append(path)  # (a note named .csv is no data left out: not counted)
        here_recordings = any(r.parent == base for r in recordings)
        if tables and (here_recordings or REPORT_PAGE not in files):
            for table in tables:
                if report_table_kind(table):
                    stray.append(table)
                else:  # sensor data under a table's name: a recording after all
                    recordings.append(table)
    return sorted(recordings), sorted(csvs), sorted(datasets), sorted(stray)


REPORT_PAGE: Final = "report.html"
"""The page a folder of reports holds beside its tables
(:func:`imu.report.tables.write_reports`)."""


def stray_tables_note(tables: Sequence[Path]) -> str:
    """One line naming the report tables a folder search left out, and what to do.

    A ``reps.parquet`` copied out of a report next to the recordings used to vanish without a
    word; it is the result of an analysis, not a recording.
    """
    if len(tables) == 1:
        return (f"left out {tables[0]}: a report table of imu (reps, sets or session), not a "
                "recording; give the recording it was made from (move the table out of the "
                "folder to leave this note out)")
    return (f"left out {count(len(tables), 'report table')} of imu ({', '.join(map(str, tables))})"
            ": reports (reps, sets or session), not recordings; give the recordings they were "
            "made from (move the tables out of the folder to leave this note out)")


def _reports_only(folder: Path) -> str:
    """Why a folder with no recordings still held ``*.parquet`` files: imu's report tables.

    A folder of reports (``imu analyze --out``'s) is searched quietly, its tables left out:
    "no recordings found" alone left the user looking at its ``reps.parquet``. The text follows
    that message ("" when the folder holds no report table, or is no folder).
    """
    if not folder.is_dir():
        return ""
    tables = sorted(p for p in folder.rglob("*.parquet")
                    if p.name in REPORT_TABLES and report_table_kind(p))
    if not tables:
        return ""
    shown = ", ".join(str(p.relative_to(folder)) for p in tables[:3])
    more = f" and {len(tables) - 3} more" if len(tables) > 3 else ""
    return (f": it holds imu's report tables ({shown}{more}), the results of an analysis, "
            "not recordings; give the folder of the recordings they were made from")


def _phone_exports_once(matches: list[Path]) -> list[Path]:
    """``matches`` with the CSV files of one Sensor Logger export replaced by its folder, once.

    Each of an export's CSVs (``Gyroscope.csv``, ``TotalAcceleration.csv``...) imports the
    whole export, so ``FOLDER/*.csv`` counted one session once per file (and failed on
    ``metadata.csv``). A note says which files were taken as one.
    """
    out: list[Path] = []
    merged: dict[Path, list[Path]] = {}
    for m in matches:
        folder = m.parent
        if (m.suffix.lower() == ".csv" and m.name in SL_FILES and m.is_file()
                and detect_phone_format(folder) == "sensor-logger"):
            if folder not in merged:
                merged[folder] = []
                out.append(folder)
            merged[folder].append(m)
        else:
            out.append(m)
    for folder, files in merged.items():
        if len(files) > 1:
            logger.warning(
                "%s: %s of one Sensor Logger export (%s): analysed once, as %s",
                folder, count(len(files), "file is", "files are"),
                ", ".join(f.name for f in files), folder,
            )
    return out


def _exports_once(found: dict[Path, Path], named_by: dict[Path, list[str]],
                  prefer: Collection[Path]) -> None:
    """Leave out (in place) the files of a phone export also given as its folder.

    ``found``: resolved path -> as first named; ``named_by``: resolved path -> the inputs
    that name it. One rule for every command (:func:`imu.io.load.exports_once`, which
    warns): the export is kept as its folder, unless ``prefer`` (resolved paths: the files
    a manifest lists) names the file and not the folder.
    """
    kept = {resolved(p) for p in exports_once(list(found.values()), prefer)}
    for real in [r for r in found if r not in kept]:
        del found[real], named_by[real]  # said there, not again as a file named twice


def _no_match_why(pattern: str) -> str:
    """Why a glob ``pattern`` matched nothing: its folder is missing, or what the folder holds."""
    cut = min((pattern.find(ch) for ch in "*?[" if ch in pattern), default=len(pattern))
    head = pattern[:cut]
    folder = Path(head[: head.rfind("/") + 1] or ".")
    if not folder.is_dir():
        return f": there is no folder {str(folder)!r}"
    if "**" in pattern or "/" in pattern[cut:]:
        return ""  # it searches below the folder: what the folder itself holds says nothing
    try:
        names = sorted({p.suffix.lower() for p in folder.iterdir() if p.is_file() and p.suffix})
    except OSError:
        return ""
    return (f" in {str(folder)!r}, which holds {', '.join(names[:6])} files" if names
            else f" in {str(folder)!r}, which holds no file")


def _exports_below(folder: Path) -> str:
    """What follows "no recordings found" for a folder whose sub-folders are phone exports.

    A folder search takes ``*.parquet`` recordings; exports in sub-folders (a Polar pair or
    a Sensor Logger export each) are named, with the inputs that take them (trial 23: "no
    recordings found" alone). "" when there is none.
    """
    if not folder.is_dir():
        return ""
    try:
        subs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return ""
    exports = [p for p in subs if detect_phone_format(p) is not None]
    if not exports:
        return ""
    shown = " ".join(str(p) for p in exports[:3]) + (" ..." if len(exports) > 3 else "")
    return (f": it holds {count(len(exports), 'phone export')} in sub-folders; give them as "
            f"inputs, e.g. imu batch {shown}")


def _export_folders(folder: Path) -> list[Path]:
    """The sub-folders of ``folder``, when it holds two or more, each a phone export, alone.

    Trial 23: two Sensor Logger exports in sub-folders failed as one input ("holds 2
    different Sensor Logger exports; import one at a time"). Else [] (the folder's import
    says what is wrong).
    """
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        return []
    if len(entries) < 2 or not all(p.is_dir() and detect_phone_format(p) is not None
                                   for p in entries):
        return []
    return entries


def _polar_recordings(folder: Path) -> list[Path]:
    """One file of each Polar Sensor Logger recording in ``folder``, when it holds several.

    Only when the folder holds the app's files alone (hidden files aside); else [] (one
    recording, or a mix its import refuses with the reason). Trial 23: a folder of two
    recordings failed with advice to convert the folder, which failed the same way.
    """
    from imu.io.polar_logger import is_polar_logger_file, one_per_recording

    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        return []
    if len(entries) < 3 or not all(p.is_file() and is_polar_logger_file(p) for p in entries):
        return []
    kept = one_per_recording(entries)
    return kept if len(kept) > 1 else []


def _exports_in(folder: Path) -> list[Path]:
    """The files at the top of ``folder`` that are phone exports (zips, Polar or app CSVs)."""
    try:
        entries = sorted(p for p in folder.iterdir()
                         if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []
    found = {p: detect_phone_format(p) for p in entries
             if p.suffix.lower() in {".zip", ".txt", ".csv"}}
    exports = [p for p, fmt in found.items() if fmt is not None]
    if any(fmt == "phyphox" for fmt in found.values()):
        # phyphox's two experiments (acceleration, gyroscope) are one recording only
        # together: the folder's import reads them so (its recordings left aside).
        return [folder]
    from imu.io.polar_logger import one_per_recording

    return one_per_recording(exports)


def _sensor_logger_zips(folder: Path) -> list[Path]:
    """The Sensor Logger zips of ``folder``, one export each, when they are all it holds.

    Two or more zips, each holding the app's files, and nothing else but hidden files: no
    sub-folder, recording or CSV, which a split would leave out without a word. Else [] (the
    folder is one export, or a mix that its import refuses with the reason). Only the zips'
    lists of names are read.

    Trial 21: a folder of two days' zips was one "recording" that failed as "2 different
    exports", with advice to convert the folder, which failed the same way.
    """
    import zipfile

    try:
        entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return []
    if len(entries) < 2 or not all(p.is_file() and p.suffix.lower() == ".zip" for p in entries):
        return []
    names = {name.casefold() for name in SL_FILES}
    for z in entries:
        try:
            with zipfile.ZipFile(z) as zf:
                inside = {Path(n).name.casefold() for n in zf.namelist()}
        except (OSError, zipfile.BadZipFile):
            return []
        if not inside & (names - {"metadata.csv"}):
            return []
    return sorted(entries)


def expand_inputs(
    inputs: Iterable[str | Path],
    exclude: str | Path | None = None,
    manifest: str | Path | None = None,
    prefer: Collection[Path] = (),
) -> list[Path]:
    """Files named by ``inputs``, sorted, without duplicates.

    Files are taken as given, directories searched recursively for ``*.parquet``, glob
    patterns (``*``, ``?``, ``[``, ``**``) expanded. A file named by more than one input (a
    folder and a file in it, two spellings of one path, an input given twice) is taken once,
    and a warning says so. So is a phone app's export given as its folder and as a file of it
    (``imu batch EXPORT EXPORT/X_ACC.txt``: either imports the whole recording): taken once,
    as the folder (as the file when ``prefer``, the files a manifest lists, names the file
    and not the folder), and a warning says so.

    CSV files are taken when named or matched by a glob, never from a directory search (a
    folder of recordings often holds truth or report CSVs). A directory search also leaves out
    this tool's own report tables (:data:`REPORT_TABLES`): quietly in a folder of reports
    (a live session's, ``imu analyze --out``'s), elsewhere with a warning naming them
    (:func:`stray_tables_note`); and the files of any ``imu batch`` dataset inside the
    folder (a log line names it). A broken symbolic link or a special file (named pipe,
    socket, device) named ``*.parquet`` in a folder, matched by a glob or (special files only)
    named, is taken: the batch reports it as a failed file, with its reason
    (:func:`unusable_file`).

    Args:
        inputs: paths, directories or patterns.
        exclude: a directory whose files are skipped (the output dataset).
        manifest: the manifest given with the inputs: a folder search does not count it
            among the CSV files left out (taking the advice would feed it in as data).
        prefer: resolved paths of the files the manifest lists.

    Raises:
        BatchError: an input matches nothing.

    """
    found: dict[Path, Path] = {}  # resolved -> as first named
    named_by: dict[Path, list[str]] = {}  # resolved -> the inputs that name it
    skip = resolved(Path(exclude)) if exclude is not None else None
    not_data = frozenset({resolved(Path(manifest))} if manifest is not None else ())
    for item in inputs:
        text = str(item)
        datasets: list[Path] = []
        if any(ch in text for ch in "*?["):
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            matches = [m for m in matches if _file_like(m)]
        elif Path(text).is_dir() and detect_phone_format(text) is not None:
            # A phone app's export (Sensor Logger's folder of one CSV per sensor): one
            # recording, as 'imu analyze FOLDER' reads it. Its CSVs one by one would each
            # import the whole export: one session counted once per file. A folder of
            # Sensor Logger zips alone (one export each) is one recording per zip.
            matches = (_sensor_logger_zips(Path(text)) or _polar_recordings(Path(text))
                       or _export_folders(Path(text)) or [Path(text)])
            recordings = _search_folder(Path(text), not_data)[0]
            if recordings:
                # Recordings beside the export: the folder is no export alone (trial 23:
                # two recordings dropped for a Polar pair). Each is analysed.
                exports = _phone_exports_once(_exports_in(Path(text))) or [Path(text)]
                logger.warning(
                    "%s: holds %s beside a phone export: each is analysed (the export as %s)",
                    text, count(len(recordings), "recording"),
                    ", ".join(str(e) for e in exports))
                matches = [*recordings, *exports]
        elif Path(text).is_dir():
            matches, csvs, datasets, stray = _search_folder(Path(text), not_data)
            if stray:
                logger.warning("%s", stray_tables_note(stray))
            if datasets:
                logger.info("%s", datasets_note(datasets))
                if (not matches and resolved(Path(text)) in {resolved(d) for d in datasets}
                        and not (skip is not None and resolved(Path(text)).is_relative_to(skip))):
                    raise BatchError(
                        f"input {text!r} is a dataset written by imu batch (results, not "
                        "recordings); give the folder of the recordings it was made from"
                    )
            if csvs:
                logger.warning(
                    "%s: %d CSV file(s) left out (a folder is searched for .parquet "
                    "recordings); %s",
                    text, len(csvs), csvs_left_out_advice(Path(text), csvs),
                )
        elif Path(text).exists() or _dangling(Path(text)):
            # a file; a named pipe, socket or device, or a broken link or a loop of links
            # (each fails with its reason, as in a folder)
            matches = [Path(text)]
        else:
            raise BatchError(f"input {text!r}: no such file, directory or matching pattern")
        if skip is not None:
            outside = [m for m in matches if not resolved(m).is_relative_to(skip)]
            # (a folder that is itself the output dataset, left out whole by the search)
            inside = bool(matches and not outside) or bool(
                not matches and datasets and resolved(Path(text)).is_relative_to(skip))
            if inside:
                raise BatchError(
                    f"input {text!r}: every recording it holds is inside the output dataset "
                    f"folder {str(exclude)!r}, whose files are never read as inputs; give an "
                    "output folder outside the inputs, e.g. --out out/batch"
                )
            matches = outside
        if not matches and any(ch in text for ch in "*?["):
            raise BatchError(f"input {text!r}: the pattern matches no file{_no_match_why(text)}")
        if not matches:
            raise BatchError(f"input {text!r}: no recordings found (*.parquet in a directory)"
                             f"{_reports_only(Path(text)) or _exports_below(Path(text))}")
        matches = _phone_exports_once(matches)
        for m in matches:
            real = resolved(m)
            found.setdefault(real, m)
            named_by.setdefault(real, []).append(text)
    _exports_once(found, named_by, prefer)
    twice = [(found[r], names) for r, names in named_by.items() if len(names) > 1]
    if twice:
        path, names = twice[0]
        logger.warning(
            "%s named by more than one input (e.g. %s by %s): each file is taken once",
            count(len(twice), "file is", "files are"), path,
            " and ".join(repr(n) for n in dict.fromkeys(names)) if len(set(names)) > 1
            else f"{names[0]!r}, given {len(names)} times",
        )
    return sorted(found.values())


def collect_jobs(
    inputs: Iterable[str | Path],
    manifest: str | Path | None = None,
    exclude: str | Path | None = None,
    only_manifest: str | None = None,
    check_dates: bool = True,
) -> list[Job]:
    """Expand ``inputs`` (and the manifest's files when there are no inputs) into jobs.

    Args:
        inputs: files, directories, globs (:func:`expand_inputs`).
        manifest: CSV of per-file metadata (:func:`read_manifest`); its rows apply to the
            files they name. Without inputs, the manifest's files are the inputs. With inputs,
            a warning names the inputs the manifest does not list (analysed with their own
            metadata) and the manifest's files that are not among the inputs (not analysed).
        exclude: directory to skip (the output dataset).
        only_manifest: the warning's advice on analysing only the manifest's files, in the
            words of the calling command (``imu progress`` needs inputs); ``imu batch``'s
            (the manifest without inputs, :func:`only_manifest_fix`) when None.
        check_dates: warn of manifest dates in the future or far from all the others
            (:func:`stray_manifest_dates`); ``imu progress`` checks the dates of the
            sessions it shows instead.

    Returns:
        One job per distinct file content, in path order (byte-identical copies are dropped
        with a log message), and one per Polar Sensor Logger recording whose ``_ACC.txt``
        and ``_GYRO.txt`` are both named (:func:`imu.io.polar_logger.one_per_recording`).
        A file that cannot be read or is no recording
        (:func:`unusable_file`: a broken link, a named pipe, a crash journal, a report or
        dataset table), or a manifest's file that does not exist, is a job with its ``error``
        set (the batch reports it and goes on).

    Raises:
        BatchError: nothing to do, an input that matches nothing, a bad manifest (one error
            names every bad row, and then also every missing file), a manifest none of whose
            files exists (its paths are wrong).

    """
    inputs = list(inputs)
    read = load_manifest(manifest) if manifest is not None else None
    rows = read.rows if read is not None else {}
    if read is not None and check_dates:
        for line in stray_manifest_dates(read):
            logger.warning("%s", line)
    missing: dict[Path, str] = {}
    if read is not None and not inputs:
        paths = sorted(read.lines)
        missing = _missing_files(read)
        paths = one_per_recording(paths)
    elif read is not None:
        error = read.error()
        if error is not None:
            raise error
        named = expand_inputs(inputs, exclude, manifest, prefer=read.lines.keys())
        paths = one_per_recording(named, prefer=read.lines.keys())  # the file with its row
        _note_unmatched(read, paths, only_manifest, also_named=named)
    else:
        paths = one_per_recording(expand_inputs(inputs, exclude) if inputs else [])
    if not paths and read is not None and not inputs:
        raise BatchError(
            f"manifest {read.path} has no rows, only its header: add a row per recording "
            f"({','.join(MANIFEST_COLUMNS)}), or give files, directories or globs"
        )
    if not paths:
        raise BatchError("no recordings to analyse: give files, directories, globs or --manifest")
    jobs: list[Job] = []
    seen: dict[str, Path] = {}
    index: dict[str, int] = {}  # session id -> its job in ``jobs``
    for p in paths:
        row = rows.get(resolved(p), ManifestRow())
        if p in missing:
            jobs.append(Job(p, "", row, error=missing[p]))
            continue
        # A name that is not UTF-8 (found in a folder given) cannot be opened by Parquet:
        # the one-line reason (and mv fix) the other commands give, not a UnicodeEncodeError.
        problem = not_utf8_name(str(p)).removeprefix(f"'{shown_name(str(p))}': ")
        # before hashing: a named pipe would block it for ever
        problem = problem or unusable_file(p)
        if problem:
            jobs.append(Job(p, "", row, error=problem))
            continue
        try:
            sid = session_id(p)
        except BatchError as exc:  # unreadable (permissions, I/O error): fails this file only
            jobs.append(Job(p, "", row, error=str(exc).removeprefix(f"{p}: ")))
            continue
        if sid in seen:
            first = jobs[index[sid]]
            clash = manifest_clash(first.manifest, row)
            if clash:
                # One recording is one session: filed once, under the first file's row, the
                # copy's participant would lose a session without a word. A failure says so.
                jobs.append(Job(p, "", row, error=(
                    f"the same bytes as {seen[sid]} (session {sid}, analysed once, with that "
                    f"file's row), but the manifest gives this file {clash}; a recording is "
                    "one session: fix the manifest row of one of them, or replace the file "
                    "copied by mistake")))
                continue
            logger.warning("%s has the same content as %s (session %s): analysed once", p,
                           seen[sid], sid)
            jobs[index[sid]] = replace(first, aliases=(*first.aliases, p))
            continue
        seen[sid] = p
        index[sid] = len(jobs)
        jobs.append(Job(p, sid, row))
    return jobs


def manifest_clash(first: ManifestRow, copy: ManifestRow) -> str:
    """What the manifest row of a copy says against that of the file it copies; "" if nothing.

    Only values both rows give count (an empty cell falls through to the recording's own
    metadata, which byte-identical files share): ``participant 'P02' (that file 'P01')``.
    """
    differ = []
    for name in ("participant", "exercise", "tempo", "date"):
        a, b = getattr(first, name), getattr(copy, name)
        if a is not None and b is not None and a != b:
            if name == "date":
                a, b = (datetime.fromtimestamp(v, UTC).isoformat() for v in (a, b))
            differ.append(f"{name} {b!r} (that file {a!r})")
    return " and ".join(differ)


def _missing_files(manifest: Manifest) -> dict[Path, str]:
    """The manifest's files that do not exist, each with its failure reason.

    Raises:
        BatchError: the manifest has bad rows (the error lists them and the missing files),
            or none of its files exists.

    """
    hint = ("relative paths are relative to the manifest's folder "
            f"{resolved(manifest.path).parent}")
    # (a named pipe, socket or device exists: it fails with its reason, see unusable_file)
    missing = {f: lines[0] for f, lines in manifest.lines.items()
               if not f.exists() or f.is_dir()}
    folders = {f: n for f, n in missing.items() if f.is_dir()}
    dir_fix = "list the recordings in it, one row each"

    def what(f: Path) -> str:
        return (f"{f} is a directory, not a recording; {dir_fix}" if f in folders
                else f"no such file {f}")

    error = manifest.error([(n, f"line {n}: {what(f)}") for f, n in missing.items()])
    if manifest.problems and error is not None:
        raise error
    if missing and len(missing) == len(manifest.lines):
        first, line = min(missing.items(), key=lambda item: item[1])
        if len(folders) == len(missing):
            raise BatchError(
                f"manifest {manifest.path}: it names "
                f"{count(len(folders), 'directory', 'directories')} and no recording (line "
                f"{line}: {first} is a directory); {dir_fix}"
            )
        gone = len(missing) - len(folders)
        also = f", and {count(len(folders), 'row')} name a directory" if folders else ""
        if first in folders:
            first, line = min(((f, n) for f, n in missing.items() if f not in folders),
                              key=lambda item: item[1])
        raise BatchError(
            f"manifest {manifest.path}: none of its {count(gone, 'file')} exist{also} "
            f"(line {line}: {first}); {hint}: fix the paths, or move the manifest"
        )
    return {
        f: (f"a directory, not a recording (listed on manifest line {n}); {dir_fix}"
            if f in folders else f"no such file (listed on manifest line {n})")
        for f, n in missing.items()
    }


def only_manifest_fix(manifest: str | Path) -> str:
    """How ``imu batch`` analyses only a manifest's files: the manifest without inputs."""
    return ("give the manifest without files or folders "
            f"(imu batch --manifest {manifest} --out DATASET)")


def _note_unmatched(manifest: Manifest, paths: Sequence[Path],
                    only_manifest: str | None = None,
                    also_named: Sequence[Path] = ()) -> None:
    """Warn about inputs the manifest does not list and manifest files not among the inputs.

    ``only_manifest``: how to analyse only the manifest's files, in the words of the command
    that runs (:func:`only_manifest_fix`, ``imu batch``'s, when None). ``also_named``: inputs
    left out as the other file of a recording among ``paths`` (a Polar Sensor Logger
    recording's ``_GYRO.txt``): not "not among the inputs".
    """
    named = {resolved(p): p for p in paths}
    given = {*named, *(resolved(p) for p in also_named)}
    unlisted = [p for r, p in named.items() if r not in manifest.lines]
    if unlisted:
        logger.warning(
            "%d of the %d input recordings %s not in manifest %s (e.g. %s): analysed with "
            "their own metadata (as meant when the manifest corrects only some of them); to "
            "analyse only the manifest's files, %s",
            len(unlisted), len(paths), "is" if len(unlisted) == 1 else "are", manifest.path,
            unlisted[0], only_manifest or only_manifest_fix(manifest.path),
        )
    left = sorted((lines[0], f) for f, lines in manifest.lines.items() if f not in given)
    if left:
        gone = sum(1 for _, f in left if not _file_like(f))
        logger.warning(
            "%s listed in manifest %s not among the inputs (e.g. line %d: %s%s): not analysed%s",
            count(len(left), "file is", "files are"), manifest.path, left[0][0], left[0][1],
            "" if _file_like(left[0][1]) else ", no such file",
            f" ({gone} of them do not exist)" if gone else "",
        )


# --------------------------------------------------------------------------- one session


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch.

    Attributes:
        exercise: exercise for files whose manifest row does not name one (overrides the
            recording's metadata); None = the recording's.
        tempo: prescription "up-hold-down" s, same precedence; None = the recording's, else
            the exercise default.
        params: analyzer parameters (set rest, tempo tolerance).
        workers: LocalCluster worker processes (1 thread each), at most
            :func:`max_local_workers`; 0 = analyse in this process without Dask (debugging,
            tiny batches). Ignored with ``scheduler``.
        scheduler: address of a running Dask scheduler (``tcp://host:8786``); the workers
            must be able to read the input files and import :mod:`imu`.
        force: re-analyse sessions that are already done.
        own_exercise_first: ``exercise`` only for the files that name none (the recording's
            own wins): ``imu progress FOLDER --exercise E`` picks E's sessions, as it does in
            a dataset, rather than analysing a folder's planks as reverse crunches.
        prune: drop the sessions whose every source file is gone (:func:`gone_sessions`);
            without it they are named and kept.

    """

    exercise: str | None = None
    tempo: str | None = None
    params: AnalyzerParams | None = None
    workers: int = 2
    scheduler: str | None = None
    force: bool = False
    own_exercise_first: bool = False
    prune: bool = False

    def validate(self) -> None:
        """Check the options before any work (:func:`run_batch` does; so may a caller, early).

        Raises:
            ImuError: an unknown exercise, a bad tempo (the message names the value).
            BatchError: a tempo tolerance outside (0, 1], a negative worker count, or more
                than :func:`max_local_workers` (without a scheduler), a malformed scheduler
                address.

        """
        if self.exercise is not None:
            get_profile(self.exercise)
        if self.tempo is not None:
            tempo = parse_tempo(self.tempo)
            if self.exercise is not None:
                check_tempo_fits(get_profile(self.exercise), tempo)
        if self.params is not None:
            fraction = self.params.tempo_tolerance.fraction
            if not 0 < fraction <= 1:  # also refuses nan (the check of --tempo-tolerance)
                raise BatchError(
                    f"tempo tolerance must be a fraction in (0, 1], got {fraction!r}"
                )
        if self.workers < 0:
            raise BatchError(f"workers must be >= 0, got {self.workers}")
        if self.scheduler is not None:
            check_scheduler_address(self.scheduler)
        elif self.workers > (most := max_local_workers()):
            cpus = cpu_count()
            why = (
                f"{WORKERS_PER_CPU} per CPU, {count(cpus, 'CPU')}"
                if most == WORKERS_PER_CPU * cpus
                else f"1 per {FILES_PER_WORKER} open files, ulimit -n {_open_file_limit()}"
            )
            raise BatchError(
                f"--workers {self.workers}: at most {most} local workers here ({why}); the "
                f"analysis is CPU-bound, so about {cpus} is fastest; use --scheduler for a "
                "bigger cluster"
            )


WORKERS_PER_CPU: Final = 4
"""Most local worker processes per CPU (:func:`max_local_workers`)."""

FILES_PER_WORKER: Final = 16
"""Open files this process needs per local worker: about 9 measured (pipes, sockets), doubled."""


def cpu_count() -> int:
    """CPUs this process may run on (its affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def max_local_workers() -> int:
    """Most worker processes of a local cluster: 4 per CPU, within the open-file limit.

    Thousands of workers would exhaust the open files of this process and hang the start
    (every worker is a process with its own pipes and sockets to this one).
    """
    most = WORKERS_PER_CPU * cpu_count()
    files = _open_file_limit()
    return most if files is None else max(1, min(most, files // FILES_PER_WORKER))


def _open_file_limit() -> int | None:
    """Open files this process may hold (``ulimit -n``); None when unlimited or unknown."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


SCHEDULER_PROTOCOLS: Final = ("tcp", "tls", "ws", "wss")
"""Protocols of a Dask scheduler address (``tcp`` when the address has none)."""

_ADDRESS = re.compile(
    r"(?:(?P<protocol>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/@\[\]]+)"
    r":(?P<port>[0-9]{1,5})"
)


def check_scheduler_address(address: str) -> str:
    """``address`` when it is a Dask scheduler address, ``[PROTOCOL://]HOST:PORT``.

    Dask itself fails on a malformed address with a bare ``ValueError``; this names the value
    and the form to write.

    Raises:
        BatchError: no port, a port beyond 65535, a protocol Dask does not serve a scheduler
            on (e.g. the dashboard's ``http://``).

    """
    fix = "give the scheduler's address as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"
    match = _ADDRESS.fullmatch(address)
    if match is None or not 0 < int(match["port"]) < 65536:
        raise BatchError(f"--scheduler {address!r}: {fix}")
    protocol = (match["protocol"] or "tcp").lower()
    if protocol not in SCHEDULER_PROTOCOLS:
        raise BatchError(
            f"--scheduler {address!r}: {protocol}:// is no scheduler protocol (one of "
            f"{', '.join(SCHEDULER_PROTOCOLS)}; the dashboard's http:// address is not the "
            f"scheduler's); {fix}"
        )
    return address


@dataclass(frozen=True)
class SessionOutcome:
    """What happened to one job (returned by the worker).

    Attributes:
        path: the file.
        session_id: its id.
        tables: reps/sets/sessions DataFrames when it succeeded, else None.
        participant: partition label.
        error: one-line reason when it failed, else None.
        duration_s: length of the recording, s (0 when it failed).
        reps: reps found.
        elapsed_s: wall time spent on the worker, s.
        note: the hint that the recording looks like another exercise than the one it was
            analysed as (:func:`imu.report.mismatch.exercise_mismatch`, one line), else None.
            Computed on the worker beside the report; it changes nothing else (the tables
            hold it as ``exercise_note``).
        tempo_refused: it failed because the batch-wide ``--tempo`` cannot prescribe its
            exercise (a hold, which takes a hold time: :func:`batch_tempo_refusal`); its
            earlier results in the dataset are kept (as those of any failed re-analysis of
            the same bytes), and its reason says so.
        repaired: what reading the file repaired or lost (unsorted or repeated rows, a
            rate estimated: :meth:`imu.io.repairs.RepairReport.line`, one line naming the
            file), else None; the command prints it as ``imu analyze`` does.

    """

    path: Path
    session_id: str
    tables: dict[str, pd.DataFrame] | None
    participant: str
    error: str | None = None
    duration_s: float = 0.0
    reps: int = 0
    elapsed_s: float = 0.0
    note: str | None = None
    tempo_refused: bool = False
    repaired: str | None = None


def _load(path: Path) -> tuple[Recording, str | None]:
    """Read one recording through the shared import path.

    Returns:
        The recording, and the one line of what reading it repaired (None when nothing).

    """
    loaded = load_recordings(path)
    if len(loaded) != 1:
        raise BatchError(f"{path}: CSV holds {len(loaded)} recordings; split it with imu convert")
    return loaded[0].recording, loaded[0].repairs.line() or None


DASK_LOGGERS: Final = ("distributed", "dask", "tornado", "bokeh")
"""Loggers of Dask and its servers; their INFO chatter is hidden unless we log INFO."""


def _quiet_dask_logs() -> None:
    """Hide Dask's INFO logs unless this process logs INFO (``imu -v batch`` shows them).

    ``distributed`` sets its own loggers to INFO when imported, whatever the root level.
    """
    if logging.getLogger().isEnabledFor(logging.INFO):
        return
    for name in DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


TRACKER_DIED: Final = "resource_tracker: process"
"""Start of Python's warning that multiprocessing's helper process died (and is relaunched),
held back while workers fail to start and while the batch then runs in this process."""


@contextlib.contextmanager
def _start_quietly() -> Iterator[None]:
    """Hold back Dask's own report of workers that fail to start (unless ``imu -v``).

    The nanny logs an ERROR with a traceback per worker, and Python warns that its helper
    process died; the batch says what happened in one line (:func:`_outcomes`) and goes on.
    """
    if logging.getLogger().isEnabledFor(logging.INFO):
        yield
        return
    nanny = logging.getLogger("distributed.nanny")
    level = nanny.level
    nanny.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=TRACKER_DIED)
            yield
    finally:
        nanny.setLevel(level)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if isinstance(exc, ImuError) else f"{type(exc).__name__}: {text}"


def analyze_job(job: Job, options: BatchOptions) -> SessionOutcome:
    """Analyse one file into its dataset tables; never raises (errors become the outcome).

    Runs on a Dask worker. Catching every exception is deliberate: one bad file (corrupt, or
    data the analyzer chokes on) must not stop a batch of thousands; the reason is kept. A
    recording too short to analyse fails with the reason ``imu analyze`` gives
    (:func:`imu.report.session.check_long_enough`), rather than being stored as a session.
    """
    started = time.perf_counter()
    if job.error is not None:  # found while collecting (missing, unreadable)
        return SessionOutcome(job.path, job.session_id, None, UNKNOWN_PARTICIPANT,
                              error=job.error)
    try:
        recording, repaired = _load(job.path)
        check_long_enough(recording, str(job.path))  # the refusal of imu analyze, same words
        meta = recording.meta
        m = job.manifest
        own = meta.exercise if options.own_exercise_first else None
        exercise = m.exercise or own or options.exercise or meta.exercise
        if not exercise:
            raise BatchError(
                f"{job.path}: the recording does not say which exercise it is; pass --exercise "
                "or give it in the manifest"
            )
        profile = get_profile(exercise)
        if options.tempo and not m.tempo:
            refusal = batch_tempo_refusal(job.path, profile, options.tempo, meta)
            if refusal is not None:
                return SessionOutcome(job.path, job.session_id, None, UNKNOWN_PARTICIPANT,
                                      error=refusal, elapsed_s=time.perf_counter() - started,
                                      tempo_refused=True)
        # The recorded tempo only for its own exercise (a plank's 1-30-1 is no crunch's).
        tempo_text = m.tempo or options.tempo or (
            str(recorded_tempo(meta, profile)) if meta.tempo else None
        )
        participant = m.participant or meta.participant
        start = m.date if m.date is not None else meta.start_time_s
        recording = recording.with_meta(
            participant=participant,
            exercise=exercise,
            tempo=tempo_text,
            start_time_s=start or 0.0,
        )
        tempo = parse_tempo(tempo_text) if tempo_text else None
        report = analyze_recording(recording, exercise, tempo, options.params)
        note = _exercise_note(job.path, recording, report, from_manifest=bool(m.exercise))
        date = (
            pd.Timestamp(datetime.fromtimestamp(start, UTC)) if start else pd.NaT
        )
        keys = {
            "session_id": job.session_id,
            "date": date,
            "exercise": report.profile.name,
            "tempo": str(report.tempo),
        }
        session = report.session.drop(columns=[PARTITION, "date"]).assign(
            file=str(job.path), **{EXERCISE_NOTE: note})
        tables = {
            name: _with_keys(frame, keys)
            for name, frame in (("reps", report.reps), ("sets", report.sets),
                                ("sessions", session))
        }
        return SessionOutcome(
            job.path,
            job.session_id,
            tables,
            participant or UNKNOWN_PARTICIPANT,
            duration_s=recording.duration_s,
            reps=len(report.reps),
            elapsed_s=time.perf_counter() - started,
            note=note,
            repaired=repaired,
        )
    except Exception as exc:  # deliberate, see the docstring: the batch goes on
        reason = _one_line(exc).removeprefix(f"{job.path}: ")
        if isinstance(exc, MixedExportsError):
            reason = _mixed_exports_advice(job.path, exc)
        elif isinstance(exc, ImportOptionsError) and re.search(r"(?<![\w-])--[a-z]", reason):
            # The import's advice names options of imu convert and imu analyze; batch has
            # none of them. (Only then: advice to convert a folder of two exports, or an
            # HR file, failed the same way; trial 23.)
            reason += (f" (imu batch takes no import options: run 'imu convert {job.path} "
                       "OUT.parquet' with them first, and batch the .parquet)")
        return SessionOutcome(
            job.path,
            job.session_id,
            None,
            UNKNOWN_PARTICIPANT,
            error=reason,
            elapsed_s=time.perf_counter() - started,
        )


def _mixed_exports_advice(folder: Path, exc: MixedExportsError) -> str:
    """Why a folder of two phone apps' exports failed, and the inputs that take each.

    The import's advice (``--format``, or convert the folder) names options batch does not
    have, and would take one app's export only.
    """
    px = ", ".join(exc.phyphox)
    text = (f"holds a Sensor Logger export ({', '.join(exc.sensor_logger)}) and phyphox "
            f"exports ({px}) in one folder; move the phyphox files into a folder of their own "
            "and give it and the Sensor Logger export as two inputs")
    if all(e.lower().endswith(".zip") for e in exc.sensor_logger):
        zips = " ".join(str(folder / e) for e in exc.sensor_logger)
        text += f", e.g. imu batch {zips} {folder / 'phyphox'}"
    return text


def batch_tempo_refusal(
    path: Path, profile: ExerciseProfile, tempo: str, meta: RecordingMeta
) -> str | None:
    """Why the batch-wide ``--tempo`` cannot prescribe this file, and the fix; None if it can.

    One ``--tempo 3-1-3`` for a folder of reps and a plank: the plank is a hold, whose tempo's
    middle number is the hold time (at least :data:`~imu.exercises.MIN_HOLD_TEMPO_S`), so it
    refuses a rep tempo. The fix is a tempo of its own in the manifest's ``tempo`` column; the
    example row names the file and a hold tempo: its recorded one when that fits, else the
    exercise's default (``1-45-1``, a 45 s hold).

    Args:
        path: the file, as the batch names it.
        profile: the exercise it is analysed as.
        tempo: ``--tempo``, "up-hold-down" s (already parsed once by
            :meth:`BatchOptions.validate`).
        meta: the recording's own metadata (its recorded tempo).

    """
    parsed = parse_tempo(tempo)
    try:
        check_tempo_fits(profile, parsed)
    except ImuError:
        pass
    else:
        return None
    own = str(profile.default_tempo)
    if meta.tempo:
        with contextlib.suppress(ImuError):
            recorded = recorded_tempo(meta, profile)
            check_tempo_fits(profile, recorded)
            own = str(recorded)
    hold_s = parse_tempo(own).top_hold_s
    header = ",".join(MANIFEST_COLUMNS)
    return (
        f"{profile.title} is a hold: the middle number of its tempo is the hold time, and "
        f"--tempo {tempo}, given to every file of the batch, would prescribe a "
        f"{parsed.top_hold_s:g} s hold (at least {MIN_HOLD_TEMPO_S:g} s); give this file its "
        f"own tempo in the tempo column of a manifest (--manifest CSV, header {header}), e.g. "
        f"the row {resolved(path)},,{profile.name},{own}, (a {hold_s:g} s hold), and run the same "
        "command with --manifest CSV added (the other files keep --tempo)"
    )


MANIFEST_NOTE: Final = ("; the manifest names its exercise, and --exercise does not override "
                        "the manifest: correct it there")
"""Said after the hint when the exercise came from the manifest (the hint's own advice,
``--exercise``, would change nothing then)."""


def _exercise_note(path: Path, recording: Recording, report: SessionReport,
                   from_manifest: bool = False) -> str | None:
    """The hints of ``imu analyze`` for ``recording``, one line, or None.

    That it looks like another exercise (:func:`imu.report.mismatch.exercise_mismatch`), and
    that it later moved about another axis than the one learned from its first reps
    (:func:`imu.report.axis_check.off_axis_note`). ``from_manifest``: the exercise came from
    the manifest (:data:`MANIFEST_NOTE` is added to the first). A hint only: should a look
    fail, the session is stored all the same, without.
    """
    try:
        note = exercise_mismatch(recording, report.profile, report)
        # Movement about another axis than the learned one later on (imu analyze says it too).
        off_axis = off_axis_note(recording, report)
        aside = set_aside_note(report)  # many small movements: another exercise's reps?
    except Exception:  # deliberate: a hint never fails the session it is about
        logger.warning("%s: could not check whether it looks like another exercise", path,
                       exc_info=True)
        return None
    if note and from_manifest:
        note += MANIFEST_NOTE
    return "; ".join(n for n in (note, off_axis, aside) if n) or None


def _with_keys(frame: pd.DataFrame, keys: dict[str, Any]) -> pd.DataFrame:
    """``frame`` with the batch keys in front, typed as :data:`SCHEMAS` wants them.

    The dtypes are explicit so that a table without rows (a session with no reps) and a null
    date still convert to the dataset's schema: untyped, an empty column would be float64.
    """
    frame = frame.drop(columns=[c for c in keys if c in frame.columns])
    front = pd.DataFrame(
        {k: pd.Series([v] * len(frame), index=frame.index, dtype=_KEY_DTYPES[k])
         for k, v in keys.items()},
        index=frame.index,
    )
    return pd.concat([front, frame], axis=1)


# --------------------------------------------------------------------------- the dataset


def partition_dir(root: str | Path, table: str, participant: str) -> Path:
    """Folder of one participant's files of ``table`` (label percent-encoded)."""
    return Path(root) / table / f"{PARTITION}={quote(participant, safe='')}"


def done_sessions(root: str | Path) -> set[str]:
    """Session ids with a done-marker in the dataset at ``root``."""
    folder = Path(root) / DONE_DIR
    return {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()


def check_dataset_folder(root: str | Path) -> Path:
    """``root`` as a Path when a dataset can be written there; checked before any work.

    Raises:
        BatchError: ``root`` is a file (or a file stands where a parent folder would be
            made), or the folder to write in is not writable.

    """
    root = Path(root)
    fix = "give --out a folder: a new one, or a dataset written by imu batch"
    blocking = file_in_the_way(root)
    if blocking == root:
        raise BatchError(f"dataset {root} is a file, not a folder; {fix}")
    if blocking is not None:
        raise BatchError(f"cannot create dataset {root}: {blocking} is a file, not a folder; {fix}")
    existing = root
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BatchError(f"cannot write dataset {root}: {existing} is not writable; choose a "
                         "writable --out")
    return root


def session_inputs(job: Job, options: BatchOptions) -> dict[str, Any]:
    """What a session's results depend on besides its session id (the file's bytes).

    The metadata given by the manifest row and the options (the recording's own is in its
    bytes), every analyzer parameter, and the file's size and modification time; as JSON
    values, the way the done-marker stores them. A re-run analyses a session again when they
    differ from its marker's.
    """
    m = job.manifest
    try:
        stat = job.path.stat()
        size: int | None = stat.st_size
        mtime_ns: int | None = stat.st_mtime_ns
    except OSError:
        size = mtime_ns = None
    exercise = m.exercise or options.exercise
    with contextlib.suppress(ImuError):  # (validated before; kept as written otherwise)
        exercise = profile_name(exercise) if exercise else None
    tempo = m.tempo or options.tempo
    with contextlib.suppress(ImuError):
        tempo = str(parse_tempo(tempo)) if tempo else None
    inputs = {
        "participant": m.participant,
        "exercise": exercise,
        "tempo": tempo,
        "date": m.date,
        "params": asdict(options.params or AnalyzerParams()),
        "size": size,
        "mtime_ns": mtime_ns,
    }
    loaded: dict[str, Any] = json.loads(json.dumps(inputs, default=str))
    return loaded


TEMPO_FROM: Final = ("manifest", "--tempo", "recording")
"""Where a session's prescribed tempo came from (its done-marker's ``tempo_from``): the
manifest's ``tempo`` column (which wins over ``--tempo``), the batch's ``--tempo``, or the
recording's own tempo or else the exercise's default."""


def tempo_source(job: Job, options: BatchOptions) -> str:
    """Where ``job``'s prescribed tempo comes from: one of :data:`TEMPO_FROM`."""
    if job.manifest.tempo:
        return "manifest"
    return "--tempo" if options.tempo else "recording"


def tempo_sources(root: str | Path) -> Counter[str]:
    """How many sessions of the dataset at ``root`` took their tempo from where.

    Keys of :data:`TEMPO_FROM`, and ``unknown`` for sessions stored by an earlier imu
    version (their done-marker does not say).
    """
    return Counter(str(record.get("tempo_from") or "unknown")
                   for record in _markers(Path(root)).values())


def _markers(root: Path) -> dict[str, dict[str, Any]]:
    """Session id -> its done-marker's record (empty when it cannot be read)."""
    folder = root / DONE_DIR
    markers: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            record = {}
        markers[path.stem] = record if isinstance(record, dict) else {}
    return markers


_SESSION_FILE: Final = re.compile(rf"[0-9a-f]{{{SESSION_ID_HEX}}}\.parquet")


def _stored_files(root: Path) -> dict[str, list[Path]]:
    """Session id -> its table files in the dataset, whatever marker lists them."""
    found: dict[str, list[Path]] = {}
    for name in TABLES:
        table = root / name
        parts = sorted(p for p in table.iterdir() if p.is_dir()) if table.is_dir() else []
        for part in parts:
            for path in sorted(part.iterdir()):
                if _SESSION_FILE.fullmatch(path.name):
                    found.setdefault(path.name.removesuffix(".parquet"), []).append(path)
    return found


def _remove(paths: Iterable[Path]) -> None:
    """Remove files, and the partition folders they leave empty."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty (other sessions) or already gone
            path.parent.rmdir()


def _tidy(root: Path, markers: dict[str, dict[str, Any]]) -> None:
    """Remove table files that no done-marker lists.

    A batch stopped while writing a session (:func:`write_session` removes the session's old
    files and marker first, then writes the new tables, then the marker) leaves table files
    of a session that is not done; so does a file that could not be removed. They are not
    kept: a session's rows are in the dataset only while its marker lists them. (A batch
    stopped while removing a session's old files leaves a marker that lists files that are
    gone; :func:`run_batch` analyses such a session again.)

    Only safe under the dataset lock (:func:`dataset_lock`): the files of a session that
    another batch is writing look just the same.
    """
    stray = []
    for sid, files in _stored_files(root).items():
        listed = {root / f for f in markers.get(sid, {}).get("files", [])}
        stray += [f for f in files if f not in listed]
    if stray:
        logger.info("%s: removing %d table file(s) of unfinished or replaced sessions", root,
                    len(stray))
        _remove(stray)


def drop_session(root: str | Path, sid: str) -> bool:
    """Remove a session from the dataset: its table files, then its done-marker.

    Returns:
        Whether it was in the dataset.

    """
    root = Path(root)
    marker = root / DONE_DIR / f"{sid}.json"
    if not marker.exists():
        return False
    try:
        record = json.loads(marker.read_text())
    except (OSError, ValueError):
        record = {}
    files = record.get("files", []) if isinstance(record, dict) else []
    _remove(root / f for f in files)
    marker.unlink(missing_ok=True)
    return True


def _exists(path: str) -> bool:
    """Whether ``path`` exists; True when that cannot be told (an unreadable folder)."""
    try:
        return Path(path).exists()
    except OSError:
        return True


def gone_sessions(markers: dict[str, dict[str, Any]],
                  jobs: Sequence[Job]) -> dict[str, list[str]]:
    """The dataset's sessions whose every source file is gone: session id -> its sources.

    A session of this run's inputs is never gone (its bytes are there under another name);
    one whose marker records no source (an earlier imu version) is not judged.
    """
    here = {job.session_id for job in jobs}
    gone: dict[str, list[str]] = {}
    for sid, record in markers.items():
        sources = _marker_sources(record)
        if sid in here or not sources:
            continue
        if not any(_exists(s) for s in sources):
            gone[sid] = sources
    return gone


def _marker_sources(record: dict[str, Any]) -> list[str] | None:
    """The resolved paths a marker's session was analysed or seen under (its ``sources``).

    None for a marker of an earlier imu version, which recorded no source (only ``file``,
    as given): see :func:`_legacy_source`.
    """
    sources = record.get("sources")
    if isinstance(sources, list):
        return [s for s in sources if isinstance(s, str)]
    source = record.get("source")  # (one path, before ``sources``)
    return [source] if isinstance(source, str) else None


def _legacy_source(file: Any, inputs: Iterable[str]) -> str | None:
    """The input (a resolved path among ``inputs``) a marker without sources was made from.

    Such a marker (written by imu before markers recorded their sources) has only ``file``,
    the path as given to that run: absolute, or relative to a folder no longer known. An
    absolute path, or a relative one that names a file from the current folder, is taken as
    it is; otherwise the one input whose path ends with it (``in/a.parquet`` matches
    ``/data/in/a.parquet``); none when no or several inputs do.
    """
    if not isinstance(file, str) or not file:
        return None
    inputs = list(inputs)
    path = Path(file)
    if path.is_absolute() or path.exists():
        real = str(resolved(path))
        return real if real in inputs else None
    parts = path.parts
    hits = [s for s in inputs if Path(s).parts[-len(parts):] == parts]
    return hits[0] if len(hits) == 1 else None


def _holds(path: str, sid: str) -> bool:
    """Whether the file at ``path`` still has the bytes of session ``sid``."""
    try:
        return Path(path).is_file() and session_id(path) == sid
    except BatchError:
        return False


def _sources_elsewhere(
    markers: dict[str, dict[str, Any]], jobs: Sequence[Job]
) -> dict[str, tuple[list[str], list[str]]]:
    """Sessions (not the jobs') that list a job's file, now of other bytes, among their sources.

    Returns:
        Old session id -> (its sources that are now the jobs' files, its other sources).

    """
    readable = [j for j in jobs if j.error is None]
    sids = {j.session_id for j in readable}
    inputs = {s for j in readable for s in j.sources()}
    found: dict[str, tuple[list[str], list[str]]] = {}
    for old, record in markers.items():
        if old in sids:
            continue
        sources = _marker_sources(record)
        if sources is None:
            legacy = _legacy_source(record.get("file"), inputs)
            sources = [legacy] if legacy is not None else []
        changed = [s for s in sources if s in inputs]
        if changed:
            found[old] = (changed, [s for s in sources if s not in inputs])
    return found


def _superseded(markers: dict[str, dict[str, Any]], jobs: Sequence[Job]) -> dict[str, str]:
    """Sessions of input files whose bytes have changed since: old session id -> new one.

    A marker that lists one of the jobs' files among its sources (the paths its session was
    analysed or seen under), under a session id that no job has, is an earlier version of
    that file. It is superseded unless another of its sources (not among the jobs) still holds
    its bytes: a copy, or the file under a new name that a run has seen.
    """
    by_source = {s: j.session_id for j in jobs if j.error is None for s in j.sources()}
    return {
        old: by_source[changed[0]]
        for old, (changed, others) in _sources_elsewhere(markers, jobs).items()
        if not any(_holds(s, old) for s in others)
    }


def other_sessions(root: str | Path, jobs: Sequence[Job]) -> set[str]:
    """Sessions in the dataset at ``root`` of files that are not among ``jobs`` (they stay).

    Earlier versions of the jobs' own files (replaced by :func:`run_batch`) are not counted.
    """
    markers = _markers(Path(root))
    return set(markers) - {j.session_id for j in jobs} - set(_superseded(markers, jobs))


def unplaced_sessions(root: str | Path, sids: Iterable[str]) -> set[str]:
    """Of ``sids``, the sessions whose marker (of an earlier imu version) records no source.

    :func:`other_sessions` counts them when their ``file`` names none of the inputs; whether
    they are of other files or of earlier versions of the inputs cannot be told.
    """
    markers = _markers(Path(root))
    return {sid for sid in sids if sid in markers and _marker_sources(markers[sid]) is None}


def _write_marker(path: Path, record: dict[str, Any]) -> None:
    """Write a done-marker through a temporary name (readers never see half of one)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, path)


def _set_sources(root: Path, sid: str, record: dict[str, Any], sources: list[str]) -> None:
    """Record ``sources`` in the marker of ``sid`` (best effort: a re-run does it again)."""
    try:
        _write_marker(root / DONE_DIR / f"{sid}.json", {**record, "sources": sources})
    except OSError as exc:
        logger.warning("cannot update the done-marker of session %s: %s", sid,
                       exc.strerror or exc)


def _readable_parquet(path: Path) -> bool:
    """Whether ``path`` is a Parquet file whose footer reads (cheap: the data is not read).

    A file cut short (a full disk, a copy stopped half-way) or overwritten has no valid
    footer: pyarrow refuses its metadata.
    """
    try:
        pq.read_metadata(path)
    except (pa.ArrowException, OSError, ValueError):
        return False
    return True


def _tables_problem(root: Path, record: dict[str, Any]) -> str | None:
    """Why a done session's stored results cannot be trusted, or None when they can.

    ``"marker"``: the done-marker is unreadable (not JSON, or not an object; :func:`_markers`
    reads it as empty); ``"tables"``: a table file the marker lists is missing (or the marker
    lists none); ``"damaged"``: one is no readable Parquet file (truncated, overwritten).
    """
    if not record:
        return "marker"
    files = record.get("files")
    if not (isinstance(files, list) and files and all(isinstance(f, str) for f in files)):
        return "tables"
    if not all((root / f).is_file() for f in files):
        return "tables"
    if not all(_readable_parquet(root / f) for f in files):
        return "damaged"
    return None


FILE_INPUTS: Final = ("size", "mtime_ns")
"""The keys of :func:`session_inputs` that describe the file (the others: metadata, options)."""


def _why_again(root: Path, record: dict[str, Any], inputs: dict[str, Any],
               force: bool) -> str | None:
    """Why a session that has a done-marker is analysed again, or None when it is skipped.

    The reason is a key of :attr:`BatchResult.reanalysed_why`.
    """
    if force:
        return "force"
    problem = _tables_problem(root, record)
    if problem is not None:
        return problem
    recorded = record.get("inputs")
    if not isinstance(recorded, dict):
        return "version"
    if recorded == inputs:
        return None
    keys = set(recorded) | set(inputs)
    file = any(recorded.get(k) != inputs.get(k) for k in keys if k in FILE_INPUTS)
    other = any(recorded.get(k) != inputs.get(k) for k in keys if k not in FILE_INPUTS)
    return "file+inputs" if file and other else "file" if file else "inputs"


# --------------------------------------------------------------------------- the lock


def _pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this host (True when it cannot be told)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it runs, as another user
        return True
    return True


def _create_exclusive(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``; FileExistsError when it exists.

    Through a hard link of a complete temporary file, so that the lock is never seen empty;
    where the file system has no hard links, ``O_EXCL``.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(text)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            with os.fdopen(fd, "w") as f:
                f.write(text)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _lock_holder(text: str) -> dict[str, Any] | None:
    try:
        holder = json.loads(text)
    except ValueError:
        return None
    if not isinstance(holder, dict) or not isinstance(holder.get("pid"), int):
        return None
    return holder


LOCK_ATTEMPTS: Final = 5


def _take_lock(root: Path) -> str:
    """Take ``root/_lock`` for this process; returns the token that marks it as ours.

    Raises:
        BatchError: another batch holds it (its pid runs on this host, or it is another
            host's), or the lock cannot be written.

    """
    lock = root / LOCK_FILE
    host = socket.gethostname()
    token = uuid.uuid4().hex
    text = json.dumps({
        "pid": os.getpid(), "host": host, "token": token,
        "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    for _ in range(LOCK_ATTEMPTS):
        try:
            _create_exclusive(lock, text)
            return token
        except FileExistsError:
            pass
        except OSError as exc:
            raise BatchError(f"cannot write {lock}: {exc.strerror or exc}; choose a writable "
                             "--out") from exc
        try:
            held = lock.read_text()
        except FileNotFoundError:  # released in between: try again
            continue
        except OSError as exc:
            raise BatchError(f"cannot read {lock}: {exc.strerror or exc}") from exc
        holder = _lock_holder(held)
        if holder is not None:
            pid = holder["pid"]
            other = holder.get("host")
            here = other in (None, host)
            if not here or _pid_alive(pid):
                raise BatchError(_locked_message(root, pid, None if here else other))
        aside = lock.with_name(f".{LOCK_FILE}.stale.{os.getpid()}.{token[:8]}")
        try:
            os.replace(lock, aside)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise BatchError(f"cannot replace the stale lock {lock}: {exc.strerror or exc}; "
                             "remove it if no batch is running") from exc
        try:
            moved = aside.read_text()
        except OSError:
            moved = None
        if moved != held:  # another run took the lock in between: give it back
            with contextlib.suppress(OSError):
                os.link(aside, lock)
            with contextlib.suppress(OSError):
                aside.unlink()
            continue
        with contextlib.suppress(OSError):
            aside.unlink()
        logger.warning(
            "%s: taking over the lock of an imu batch that is no longer running (%s)", root,
            f"pid {holder['pid']} on this host" if holder is not None else "unreadable lock",
        )
    raise BatchError(f"cannot take the lock {lock}: other batches keep taking it; run one "
                     "batch at a time on a dataset")


def check_dataset_lock(root: str | Path) -> None:
    """Refuse early when another batch is writing the dataset (:func:`dataset_lock` decides).

    Raises:
        BatchError: ``root/_lock`` is held by a running batch (pid alive on this host, or
            another host's).

    """
    lock = Path(root) / LOCK_FILE
    try:
        holder = _lock_holder(lock.read_text())
    except OSError:
        return
    if holder is None:
        return
    other = holder.get("host")
    here = other in (None, socket.gethostname())
    if not here or _pid_alive(holder["pid"]):
        raise BatchError(_locked_message(Path(root), holder["pid"], None if here else other))


def _locked_message(root: Path, pid: int, host: str | None) -> str:
    where = f" on host {host}" if host else ""
    return (f"another imu batch (pid {pid}{where}) is writing {root}; wait for it, or remove "
            f"{root / LOCK_FILE} if no batch is running")


def _release_lock(root: Path, token: str) -> None:
    """Remove ``root/_lock`` when it is still ours."""
    lock = root / LOCK_FILE
    with contextlib.suppress(OSError):
        holder = _lock_holder(lock.read_text())
        if holder is not None and holder.get("token") == token:
            lock.unlink()


@contextlib.contextmanager
def dataset_lock(root: str | Path) -> Iterator[Path]:
    """Hold the dataset's lock (``root/_lock``: pid, host) while the block runs.

    One batch writes a dataset at a time: a second one would take the first one's unfinished
    sessions for leftovers and remove them (:func:`_tidy`). A lock left by a batch that is no
    longer running (its pid is gone on this host) is taken over, with a warning.

    Raises:
        BatchError: another batch holds the lock (the message names its pid, and the lock
            file to remove when no batch is running).

    """
    root = Path(root)
    token = _take_lock(root)
    try:
        yield root
    finally:
        _release_lock(root, token)


def _write_table(frame: pd.DataFrame, schema: pa.Schema, path: Path) -> None:
    """Write ``frame`` in ``schema`` to ``path`` through a temporary name (removed on failure)."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def _discard(root: Path, participant: str, written: Sequence[Path]) -> None:
    """Remove the files of a session that failed half-way, and partition folders left empty."""
    for path in written:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    for name in TABLES:
        with contextlib.suppress(OSError):  # not empty (other sessions) or already gone
            partition_dir(root, name, participant).rmdir()


def write_session(
    root: str | Path,
    outcome: SessionOutcome,
    inputs: dict[str, Any] | None = None,
    sources: Sequence[str] = (),
    tempo_from: str | None = None,
) -> list[Path]:
    """Store a successful outcome's tables, then its done-marker; returns the files written.

    Files of an earlier run of the same session (listed in its marker) are removed first.
    The marker records ``inputs`` (:func:`session_inputs`), which decide whether a re-run
    skips the session, and ``sources``: the resolved paths of the file (and of its
    byte-identical copies, :attr:`Job.aliases`), with those of the earlier marker, and
    ``tempo_from`` (:data:`TEMPO_FROM`: where the prescribed tempo came from) when given.
    When a write fails or is interrupted (Ctrl-C before the marker is written), the files of
    this session written so far are removed again (and the session has no done-marker, so a
    re-run analyses it).

    Raises:
        BatchError: the session cannot be written (the dataset is not writable, the disk is
            full, or its tables do not convert to the dataset's schema).

    """
    if outcome.tables is None:
        raise ValueError("write_session needs a successful outcome")
    root = Path(root)
    marker = root / DONE_DIR / f"{outcome.session_id}.json"
    written: list[Path] = []
    paths = [*sources, str(resolved(Path(outcome.path)))]
    try:
        if marker.exists():
            try:
                earlier = json.loads(marker.read_text())
            except ValueError:
                earlier = {}
            earlier = earlier if isinstance(earlier, dict) else {}
            paths += _marker_sources(earlier) or []
            for old in earlier.get("files", []):
                (root / old).unlink(missing_ok=True)
            marker.unlink()
        for name in TABLES:
            folder = partition_dir(root, name, outcome.participant)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{outcome.session_id}.parquet"
            _write_table(outcome.tables[name], SCHEMAS[name], path)
            written.append(path)
        marker.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "session_id": outcome.session_id,
            "file": str(outcome.path),
            "source": str(resolved(Path(outcome.path))),
            "sources": list(dict.fromkeys(paths)),
            "participant": outcome.participant,
            "reps": outcome.reps,
            "duration_s": outcome.duration_s,
            "files": [str(p.relative_to(root)) for p in written],
            "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "inputs": inputs,
        }
        if tempo_from is not None:  # (not an input: a re-run compares ``inputs`` alone)
            record["tempo_from"] = tempo_from
        _write_marker(marker, record)
    except OSError as exc:
        _discard(root, outcome.participant, written)
        detail = (f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror
                  else " ".join(str(exc).split()))
        raise BatchError(
            f"cannot write session {outcome.session_id} to dataset {root} ({detail}); free "
            "disk space or choose a writable --out"
        ) from exc
    except (pa.ArrowException, ValueError, TypeError, KeyError) as exc:
        _discard(root, outcome.participant, written)
        raise BatchError(
            f"cannot store session {outcome.session_id}: its tables do not convert to the "
            f"dataset's schema ({_one_line(exc)}); this is a bug in imu, please report it "
            "with this file"
        ) from exc
    except KeyboardInterrupt:
        # Ctrl-C between two table files: without its marker the session is not done, and
        # its reps file alone would be read with the dataset (reps of a session that has no
        # row in sessions). What was written of it goes, as on any failed write.
        if not marker.exists():
            _discard(root, outcome.participant, written)
        raise
    return written


# --------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class BatchResult:
    """Summary of a batch run.

    Attributes:
        analysed: sessions analysed and stored in this run.
        skipped: sessions already done with the same inputs (not re-analysed).
        failures: (file, one-line reason) of every file that failed.
        session_hours: recording time analysed in this run, h.
        reps: reps found in this run.
        wall_s: wall time of the run, s (cluster start-up included).
        reanalysed: of ``analysed``, the sessions whose earlier results in the dataset were
            replaced: their inputs (:func:`session_inputs`) or the file's bytes changed,
            their table files were missing or damaged, their marker unreadable, or ``force``.
        reanalysed_why: ``reanalysed`` by why: ``"file"`` (the file's bytes, size or
            modification time changed), ``"inputs"`` (its metadata or the options),
            ``"file+inputs"`` (both), ``"tables"`` (a table file its marker lists is gone),
            ``"damaged"`` (one is no readable Parquet file), ``"marker"`` (the done-marker
            is unreadable),
            ``"version"`` (a marker of an earlier imu version, without the inputs),
            ``"force"``.
        notes: (file, hint) of every session analysed in this run that looks like another
            exercise than the one it was analysed as (:attr:`SessionOutcome.note`), in the
            order they were stored.

    """

    analysed: int
    skipped: int
    failures: list[tuple[Path, str]]
    session_hours: float
    reps: int
    wall_s: float
    reanalysed: int = 0
    reanalysed_why: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failures


ProgressCallback = Callable[[SessionOutcome], None]


def run_batch(
    jobs: Sequence[Job],
    root: str | Path,
    options: BatchOptions | None = None,
    on_done: ProgressCallback | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchResult:
    """Analyse ``jobs`` on Dask and store the results in the dataset at ``root``.

    Args:
        jobs: from :func:`collect_jobs`.
        root: dataset directory (created).
        options: exercise/tempo defaults, workers or scheduler, force.
        on_done: called in this process after each session (progress, logging).
        on_start: called before the first outcome with the number of outcomes to come (the
            sessions to analyse and the files that cannot be read).

    Returns:
        Counts, failures and the hours analysed. Failures (files that could not be analysed,
        or whose session could not be written) are also written to ``root/_failures.csv``
        (empty when none).

    A session is analysed unless its done-marker records the same inputs
    (:func:`session_inputs`) and every table file it lists exists; its earlier results are
    replaced, never kept beside the new ones, and removed when it fails. Table files no
    marker lists (a batch stopped half-way) are removed first. The run holds the dataset's
    lock (:func:`dataset_lock`) throughout.

    Raises:
        BatchError: the dataset folder is a file or cannot be created, another batch is
            writing it (its lock), its ``_failures.csv`` cannot be written,
            the options are bad (:meth:`BatchOptions.validate`), or the scheduler cannot be
            reached.
        BatchInterrupted: Ctrl-C while it analysed (a ``KeyboardInterrupt``): the sessions
            stored so far stay done, the failures so far are in ``_failures.csv``.

    """
    options = options or BatchOptions()
    options.validate()
    started = time.perf_counter()
    root = check_dataset_folder(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"cannot create dataset {root}: {exc.strerror or exc}") from exc
    with dataset_lock(root):
        return _run_locked(jobs, root, options, on_done, on_start, started)


def _run_locked(
    jobs: Sequence[Job],
    root: Path,
    options: BatchOptions,
    on_done: ProgressCallback | None,
    on_start: Callable[[int], None] | None,
    started: float,
) -> BatchResult:
    """:func:`run_batch` once the dataset's lock is held."""
    markers = _markers(root)
    _tidy(root, markers)
    gone = gone_sessions(markers, jobs)
    if gone:
        files = [src for sources in gone.values() for src in sources[:1]]
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        if options.prune:
            for old in gone:
                drop_session(root, old)
                markers.pop(old, None)
            logger.warning("%s: dropped %s whose files no longer exist (%s)", root,
                           count(len(gone), "session"), shown)
        else:
            # Trial 23: a file deleted (or a cohort made anew) left its session in the
            # dataset, and the progress page counted it, without a word.
            logger.warning(
                "%s: %s of the dataset %s from files that no longer exist (%s): %s rows "
                "stay; drop %s with --prune (if the files moved, batch them from where "
                "they are now, and --prune drops the old paths' sessions)", root,
                count(len(gone), "session"), "comes" if len(gone) == 1 else "come", shown,
                "its" if len(gone) == 1 else "their", "it" if len(gone) == 1 else "them")
    earlier: dict[str, str] = {}  # sessions with results that this run replaces -> why
    replaced: dict[str, str] = {}  # new session id -> the dropped one of the file's old bytes
    superseded = _superseded(markers, jobs)
    for old, new in superseded.items():
        logger.info("%s: the file changed since session %s; replacing it", new, old)
        drop_session(root, old)
        markers.pop(old, None)
        earlier.setdefault(new, "file")
        replaced[new] = old
    for old, (changed, _) in _sources_elsewhere(markers, jobs).items():
        # Kept: another file still holds its bytes; the changed files are no longer its.
        sources = [s for s in _marker_sources(markers[old]) or [] if s not in changed]
        _set_sources(root, old, markers[old], sources)
    unreadable = [j for j in jobs if j.error is not None]
    inputs = {j.session_id: session_inputs(j, options) for j in jobs if j.error is None}
    todo = []
    for job in jobs:
        if job.error is not None:
            continue
        record = markers.get(job.session_id)
        if record is None:
            todo.append(job)
            continue
        why = _why_again(root, record, inputs[job.session_id], options.force)
        if why is None:
            known = _marker_sources(record) or []
            if any(s not in known for s in job.sources()):  # seen under a new name, a copy
                _set_sources(root, job.session_id, record,
                             list(dict.fromkeys([*known, *job.sources()])))
            continue
        earlier.setdefault(job.session_id, why)
        todo.append(job)
    skipped = len(jobs) - len(todo) - len(unreadable)
    if skipped:
        logger.info("%d session(s) already in %s: skipped", skipped, root)
    if on_start is not None:
        on_start(len(todo) + len(unreadable))
    failures: list[tuple[Path, str]] = []
    # Whose files failed, where the manifest says (a per-participant count of failed sessions)
    who = {j.path: j.manifest.participant for j in jobs}
    notes: list[tuple[Path, str]] = []
    hours = 0.0
    reps = 0
    analysed = 0
    unnamed = 0  # sessions stored under UNKNOWN_PARTICIPANT
    again: Counter[str] = Counter()
    not_read = (SessionOutcome(j.path, j.session_id, None, UNKNOWN_PARTICIPANT, error=j.error)
                for j in unreadable)
    job_sources = {j.session_id: j.sources() for j in todo}
    tempo_from = {j.session_id: tempo_source(j, options) for j in todo}
    analysing = _outcomes(todo, options)
    try:
        with contextlib.closing(analysing):  # Ctrl-C: the cluster closes before we go on
            for outcome in itertools.chain(not_read, analysing):
                if outcome.tables is not None:
                    try:
                        write_session(root, outcome, inputs.get(outcome.session_id),
                                      job_sources.get(outcome.session_id, ()),
                                      tempo_from.get(outcome.session_id))
                    except BatchError as exc:  # a session that cannot be stored fails its file
                        outcome = replace(outcome, tables=None, error=_one_line(exc))
                if outcome.tables is None:
                    error = outcome.error or "failed"
                    why = earlier.get(outcome.session_id)
                    if (why is not None and why not in REMOVED_WHEN_FAILED
                            and outcome.session_id not in replaced):
                        # The same bytes, analysed well before: a run that fails them (a
                        # batch-wide --tempo a plank cannot take, an option left out) leaves
                        # those results as they were: trial 22's second run without -e
                        # emptied a dataset of 15 sessions.
                        error += ("; its earlier results stay in the dataset as they were "
                                  + ("(analysed with its earlier tempo)" if outcome.tempo_refused
                                     else "(analysed by an earlier run, with its options); "
                                     "fix this and run again to replace them"))
                        removed = False
                    else:
                        removed = why is not None and drop_session(root, outcome.session_id)
                    if outcome.session_id in replaced:
                        error += (f"; its earlier results (session "
                                  f"{replaced[outcome.session_id]}, of the file's earlier "
                                  "bytes) were removed from the dataset")
                    elif removed:
                        error += "; its earlier results were removed from the dataset"
                    outcome = replace(outcome, error=error)
                    failures.append((outcome.path, error))
                    logger.info("%s failed: %s", outcome.path, outcome.error)
                else:
                    analysed += 1
                    unnamed += outcome.participant == UNKNOWN_PARTICIPANT
                    if outcome.session_id in earlier:
                        again[earlier[outcome.session_id]] += 1
                    hours += outcome.duration_s / 3600.0
                    reps += outcome.reps
                    if outcome.note:
                        notes.append((outcome.path, outcome.note))
                if on_done is not None:
                    on_done(outcome)
    except KeyboardInterrupt as exc:
        _write_failures(root, failures, who)  # the sessions stored so far stay, done
        left = len(todo) + len(unreadable) - analysed - len(failures)
        raise BatchInterrupted(root, analysed, skipped, len(failures), left) from exc
    if unnamed:
        # In every per-participant table they are one person, "unknown".
        logger.warning(
            "%d session(s) name no participant (neither a manifest row nor the recording "
            "gives one): stored under %r, one participant in every per-participant table; "
            "give each file's participant in a manifest (--manifest, column participant)",
            unnamed, UNKNOWN_PARTICIPANT,
        )
    _write_failures(root, failures, who)
    return BatchResult(analysed, skipped, failures, hours, reps, time.perf_counter() - started,
                       sum(again.values()), dict(again), notes)


REMOVED_WHEN_FAILED: Final = frozenset({"tables", "damaged", "marker"})
"""Why a session was analysed again (``BatchResult.reanalysed_why``) when its earlier
results are removed though the new analysis failed: they are incomplete or unreadable, or
their done-marker is. Else a failed re-analysis of the same bytes keeps them."""


def _write_failures(root: Path, failures: list[tuple[Path, str]],
                    who: dict[Path, str | None] | None = None) -> None:
    r"""Write ``_failures.csv``, one row per failed file: ``file``, ``participant``, ``reason``.

    ``participant`` is the manifest's (``who``: path -> label), else empty: a file that
    failed may never have been read, so its own metadata is not known. A name that is not
    UTF-8 is written with that byte as an escape, ``b\xe9se.parquet``
    (:func:`imu.io.load.shown_name`).
    """
    frame = pd.DataFrame(
        {"file": [shown_name(str(p)) for p, _ in failures],
         "participant": [(who or {}).get(p) for p, _ in failures],
         "reason": [r for _, r in failures]},
        dtype=object,
    )
    try:
        frame.to_csv(root / FAILURES_FILE, index=False)
    except OSError as exc:
        raise BatchError(f"cannot write {root / FAILURES_FILE}: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT (Ctrl-C) inside the block; processes started inside ignore it for good.

    While the local cluster starts: a terminal's Ctrl-C goes to every process of the
    foreground job, the worker processes included, and each would die printing a
    ``KeyboardInterrupt`` traceback. An ignored signal stays ignored in a child, across
    ``exec`` too (POSIX), and Python installs its ``KeyboardInterrupt`` handler only where
    SIGINT was not ignored (so does asyncio's runner): the workers leave the stopping to this
    process, which closes the cluster. The cost: while the cluster starts (a second or two),
    this process ignores Ctrl-C too, and one pressed then is lost. Used while the cluster
    closes (see :func:`_close`), and to start it where :func:`_sigint_deferred`, which does
    not lose a Ctrl-C, cannot be used.

    Nothing changes outside the main thread, where signals cannot be set.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # set outside Python: it could not be restored
        yield
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C back inside the block; it stops the program at the block's end.

    While the local cluster starts. A terminal's Ctrl-C goes to every process of the
    foreground job, the worker processes included, and each would die printing a
    ``KeyboardInterrupt`` traceback; a ``KeyboardInterrupt`` in the middle of Dask's start
    would leave a half-started cluster to Dask's exit handlers (10 s timeouts). So SIGINT is
    blocked in this thread: the threads Dask starts inside the block inherit the mask, and so
    do the processes they start (a signal mask survives ``exec``), which never see a Ctrl-C.
    This process notes one (a handler that only sets a flag, or the signal stays pending)
    and, once the cluster is up, raises SIGINT again under the handler that was in force
    before: ``KeyboardInterrupt`` (the caller closes the cluster), or nothing where Ctrl-C
    was ignored. multiprocessing's resource tracker is started first: starting it unblocks
    SIGINT in the thread that starts it, which would be a thread that starts workers.

    It used to ignore SIGINT (``SIG_IGN``), which the workers inherit too, but then a
    Ctrl-C pressed while the cluster started was lost: the batch went on. Where SIGINT is
    already ignored, or signals cannot be handled here (not the main thread, no
    ``pthread_sigmask``), it does that (:func:`_sigint_ignored`).
    """
    previous = signal.getsignal(signal.SIGINT)
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "pthread_sigmask")
        or previous is None
        or previous == signal.SIG_IGN
    ):
        with _sigint_ignored():
            yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    pressed = False

    def note(signum: int, frame: object) -> None:
        nonlocal pressed
        pressed = True

    signal.signal(signal.SIGINT, note)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending Ctrl-C runs note() now
        signal.signal(signal.SIGINT, previous)
    if pressed:
        signal.raise_signal(signal.SIGINT)  # as the handler in force says: KeyboardInterrupt


def _close(client: Any, cluster: Any, stopping: bool) -> None:
    """Close the Dask client and the local cluster (either may be None).

    Args:
        client: the ``distributed.Client``, or None.
        cluster: the ``LocalCluster`` this batch started, or None.
        stopping: the batch stops early (Ctrl-C, an error): workers busy with a file are
            killed, as wanted, without the nanny's warning that it had to kill them.

    """
    dask_log = logging.getLogger("distributed")
    level = dask_log.level
    if stopping:
        dask_log.setLevel(logging.ERROR)
    try:
        # A Ctrl-C in the middle of closing would leave the cluster to Dask's exit handlers
        # (10 s timeouts); closing takes a few seconds at most, so it is not interruptible.
        with _sigint_ignored():
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
    finally:
        dask_log.setLevel(level)


def _absolute(job: Job) -> Job:
    """``job`` with an absolute path (for workers whose working folder is not ours)."""
    return job if job.path.is_absolute() else replace(job, path=Path(os.path.abspath(job.path)))


def _as_given(outcome: SessionOutcome, job: Job, scheduler: str) -> SessionOutcome:
    """A running cluster's outcome of ``job``, naming the file as given (not absolute).

    A file its workers cannot find says where they looked for it, and what they need.
    """
    error = outcome.error
    if error is not None and error.startswith("no such file"):
        error = (f"{error} on the workers of {scheduler} (looked for at "
                 f"{os.path.abspath(job.path)}): they must see the input files at the same "
                 "paths as this computer (a shared folder), or run without --scheduler")
    return replace(outcome, path=job.path, error=error)


def _outcomes(
    jobs: Sequence[Job], options: BatchOptions
) -> Generator[SessionOutcome, None, None]:
    """Outcomes in completion order: in this process (workers=0) or on Dask.

    Closing the generator early (Ctrl-C in the caller, ``contextlib.closing``) closes the
    cluster at once.
    """
    if not jobs:
        return
    if options.workers == 0 and options.scheduler is None:
        for job in jobs:
            yield analyze_job(job, options)
        return
    # Imported here: Dask starts nothing at import, but it is heavy and only needed here.
    from distributed import Client, LocalCluster, as_completed

    _quiet_dask_logs()
    cluster: LocalCluster | None = None
    client: Client | None = None
    finished = False
    try:
        try:
            if options.scheduler is not None:
                client = _connect(Client, options.scheduler)
            else:
                try:
                    with _start_quietly(), _sigint_deferred():
                        cluster = LocalCluster(
                            n_workers=options.workers,
                            threads_per_worker=1,
                            processes=True,
                            dashboard_address=":0",
                            # Workers log an ERROR with a traceback when the scheduler closes
                            # before their last heartbeat, a known race of Dask's shutdown
                            # (dask/distributed #7105) that is no error of the batch; a file
                            # that fails on a worker is reported as that file's error all
                            # the same.
                            silence_logs=logging.CRITICAL,
                        )
                except RuntimeError as exc:
                    # The worker processes did not start (seen: another user with HOME
                    # unwritable, whose multiprocessing helper process died at once: "Nanny
                    # failed to start"). The batch is still done, in this process.
                    logger.warning("the %d local worker processes could not start (%s); "
                                   "analysing in this process instead, one file at a time "
                                   "(--workers 0 says so from the start)",
                                   options.workers, _one_line(exc))
                    with warnings.catch_warnings():  # restored when the batch ends
                        if not logging.getLogger().isEnabledFor(logging.INFO):
                            # The dead helper process is relaunched, and said so, at each use.
                            warnings.filterwarnings("ignore", message=TRACKER_DIED)
                        for job in jobs:
                            yield analyze_job(job, options)
                    finished = True
                    return
                client = Client(cluster)
        except (OSError, TimeoutError) as exc:
            if options.scheduler:
                hint = "check the --scheduler address (tcp://host:8786)"
            else:
                hint = "try fewer --workers, or --workers 0 to run in this process"
            where = options.scheduler or "a local cluster"
            raise BatchError(f"cannot connect to {where}: {exc}; {hint}") from exc
        # A running cluster's workers were started in folders of their own: a relative
        # path names nothing there (every file failed "no such file"). They get absolute
        # paths; the outcomes name each file as it was given.
        sent = [_absolute(j) for j in jobs] if options.scheduler is not None else list(jobs)
        futures = client.map(analyze_job, sent, options=options, pure=False)
        by_key = {f.key: j for f, j in zip(futures, jobs, strict=True)}
        for future in as_completed(futures):
            job = by_key[future.key]
            try:
                outcome = future.result()
                if options.scheduler is not None:
                    outcome = _as_given(outcome, job, options.scheduler)
                yield outcome
            except Exception as exc:  # a lost worker fails one file, not the batch
                yield SessionOutcome(job.path, job.session_id, None, UNKNOWN_PARTICIPANT,
                                     error=_one_line(exc))
            future.release()
        finished = True
    finally:
        _close(client, cluster, stopping=not finished)


SCHEDULER_TIMEOUT_S = 15.0
"""How long ``--scheduler`` may take to answer as a Dask scheduler, s."""


def _connect(client_type: Any, address: str, timeout_s: float = SCHEDULER_TIMEOUT_S) -> Any:
    """A Dask client of the scheduler at ``address``, or a :class:`BatchError` that says why.

    Dask's own timeout does not cover every way a wrong address fails: a web server accepts
    the connection and never answers as a scheduler (Dask waits for ever), and a service that
    answers other bytes makes Dask read them as a message length (a MemoryError of exbibytes).
    The client is made in a daemon thread that is given up after ``timeout_s``.

    Raises:
        BatchError: no scheduler answered in time, or the connection failed.

    """
    box: dict[str, Any] = {}

    def make() -> None:
        try:
            box["client"] = client_type(address, timeout=f"{max(1.0, timeout_s - 5.0):g}s")
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=make, name="imu-scheduler-connect", daemon=True)
    thread.start()
    thread.join(timeout_s)
    fix = "check the --scheduler address: a running Dask scheduler, tcp://HOST:8786"
    if thread.is_alive():
        raise BatchError(f"cannot connect to {address}: no Dask scheduler answered within "
                         f"{timeout_s:g} s (something else listens there?); {fix}")
    if "error" in box:
        exc = box["error"]  # (Ctrl-C reaches the main thread, never this one)
        what = ("it answered, but not as a Dask scheduler"
                if isinstance(exc, MemoryError) else _one_line(exc))
        raise BatchError(f"cannot connect to {address}: {what}; {fix}") from exc
    return box["client"]


SCHEDULER_TCP_TIMEOUT_S = 5.0
"""How long the scheduler's host may take to accept a TCP connection, s."""


def check_scheduler_reachable(address: str, timeout_s: float = SCHEDULER_TIMEOUT_S) -> None:
    """Refuse, before any work is shown, a ``--scheduler`` where no Dask scheduler answers.

    First a plain TCP connection to ``HOST:PORT`` (a refused port, e.g. ``localhost:1``,
    fails at once, not after Dask's retries), then a Dask client that is closed again: a
    web server there, or any service that is no scheduler, is refused within ``timeout_s``
    (:func:`_connect`). ``imu batch`` calls it before it prints where the recordings are
    analysed and starts its progress bar.

    Raises:
        BatchError: the address is malformed, or no scheduler answers there; one line that
            names the address and the fix.

    """
    check_scheduler_address(address)
    match = _ADDRESS.fullmatch(address)
    assert match is not None  # checked above
    host = match["host"].strip("[]")
    port = int(match["port"])
    fix = "check the --scheduler address: a running Dask scheduler, tcp://HOST:8786"
    try:
        with socket.create_connection((host, port), timeout=SCHEDULER_TCP_TIMEOUT_S):
            pass
    except OSError as exc:
        why = exc.strerror or _one_line(exc) or type(exc).__name__
        raise BatchError(f"cannot connect to {address}: {why} (no Dask scheduler listens "
                         f"there); {fix}") from exc
    from distributed import Client

    _quiet_dask_logs()
    _connect(Client, address, timeout_s).close()


def format_hours(hours: float) -> str:
    """``1.5`` -> ``"1 h 30 min"``."""
    whole = math.floor(hours)
    minutes = round((hours - whole) * 60)
    return f"{whole} h {minutes} min" if whole else f"{minutes} min"
