"""One way in for every file a command analyses: recordings, plain Parquet, CSV, phone exports.

:func:`load_recordings` reads

- a Parquet recording written by this tool (:func:`imu.io.recording.read_recording`), checked
  for samples no sensor measures (NaN outside the listed gaps, values far beyond any full
  scale), which become marked gaps;
- a plain Parquet table with the documented columns (a time column and ``acc_x .. gyr_z``),
  imported like a CSV (:func:`import_parquet`): same options, same checks, same report;
- a CSV file (:func:`imu.io.csv_import.import_csv`) or a phone app's export
  (:func:`imu.io.phone.import_phone`): Sensor Logger, phyphox, or the Polar Sensor Logger
  app's ACC and GYRO files (:mod:`imu.io.polar_logger`), detected by
  :func:`imu.io.phone.detect_phone_format`.

Each result carries a :class:`imu.io.repairs.RepairReport`; the commands print its one line on
stderr, so no repair is silent whichever way the file came in.

A folder searched for recordings may hold a dataset written by ``imu batch``: its tables are
Parquet files but no recordings. :func:`batch_dataset_of` names the dataset a file belongs to
and :func:`leave_out_datasets` drops such files from a search, so that the commands leave the
dataset out with one note instead of failing on each of its tables.
"""

from __future__ import annotations

import logging
import math
import stat
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Literal, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from imu.errors import ImportOptionsError, RecordingError
from imu.frames import STANDARD_GRAVITY
from imu.io.csv_import import (
    ABSURD_ACC_G,
    ABSURD_GYR_RAD_S,
    REASON_IMPLAUSIBLE,
    CsvOptions,
    ImportedRecording,
    import_csv,
    import_frame,
    not_csv_kind,
    not_csv_message,
    not_samples_message,
    read_csv_for_import,
)
from imu.io.phone import (
    APP_NAME,
    PHONE_FORMATS,
    PhoneFormat,
    check_one_app,
    detect_phone_format,
    import_phone,
    looks_like_zip,
    no_phone_export,
)
from imu.io.recording import (
    METADATA_KEY,
    Gap,
    Recording,
    gaps_from_nan,
    missing_file,
    one_line,
    read_recording,
    resolved,
    unreadable_parquet,
)
from imu.io.repairs import REPAIRS_NOTE, Repair, RepairReport, plural
from imu.io.summary import looks_like_parquet
from imu.text import count

logger = logging.getLogger(__name__)

InputFormat = Literal["auto", "csv", "sensor-logger", "phyphox", "polar-sensor-logger"]

REASON_NAN = "missing values (NaN outside the listed gaps)"
"""Gap reason of NaN samples a recording file did not list as a gap."""

TABLE_ONLY_OPTIONS: Final = (
    ("time_col", "--time-col"),
    ("time_unit", "--time-unit"),
    ("time_origin", "--time-origin"),
    ("acc_cols", "--acc-cols"),
    ("acc_unit", "--acc-unit"),
    ("gyr_cols", "--gyr-cols"),
    ("gyr_unit", "--gyr-unit"),
    ("split_by", "--split-by"),
    ("participant_col", "--participant-col"),
    ("exercise_col", "--exercise-col"),
    ("counts_scale_by", "--counts-scale-by"),
    ("delimiter", "--delimiter"),
)
"""Options of CSV and Parquet tables (field, flag) that a phone export does not use: the app
fixes its columns, units and time."""


def ignored_for_phone(options: CsvOptions, fmt: str, path: Path | None = None) -> str:
    """A warning naming the table options given for a phone export, which ignores them.

    "" when every such option has its default. ``--format csv`` is offered only for an
    export of one CSV file (``path``), the one the table import can read: a folder, a zip or
    a Polar file refuses it (trial 23: the advice led to "leave --format out").
    """
    default = CsvOptions()
    given = [
        f"{flag} {_shown(getattr(options, field))}"
        for field, flag in TABLE_ONLY_OPTIONS
        if getattr(options, field) != getattr(default, field)
    ]
    if not given:
        return ""
    one_csv = (path is not None and path.is_file() and path.suffix.lower() == ".csv"
               and fmt != "polar-sensor-logger")
    how = ("; to read the file as a plain CSV with these options, pass --format csv" if one_csv
           else " and need no options")
    return (
        f"{', '.join(given)} ignored: a {APP_NAME.get(fmt, fmt)} export's columns, units and "
        f"time are the app's own{how}"
    )


RECORDING_IGNORES: Final = (
    *TABLE_ONLY_OPTIONS,
    ("rate_hz", "--rate"),
    ("max_gap_s", "--max-gap"),
    ("device", "--device"),
    ("check_units", "--no-unit-check"),
)
"""Import options (field, flag) a recording written by imu does not use: its samples are
stored in SI units on their own grid, with their rate, times, gaps and metadata."""


def ignored_for_recording(options: CsvOptions, fmt: str, recording: Recording) -> str:
    """A note naming the import options given for a recording of imu, which ignores them.

    ``imu analyze rec.parquet --acc-unit g --rate 100`` took them without a word, as if
    they had been applied. None of them can change a recording's meaning (its units, rate
    and times are its own, stored with it), so the note says they were not used and why;
    "" when every such option has its default (``--rate`` at the recording's own rate too).
    """
    default = CsvOptions()
    given = [f"--format {fmt}"] if fmt != "auto" else []
    for field, flag in RECORDING_IGNORES:
        value = getattr(options, field)
        if value == getattr(default, field):
            continue
        if field == "rate_hz" and math.isclose(value, recording.sampling_rate_hz):
            continue  # what it has
        shown = f"{value:g}" if isinstance(value, float) else _shown(value)
        given.append(flag if isinstance(value, bool) else f"{flag} {shown}")
    if not given:
        return ""
    return (
        f"{', '.join(given)} not used: a recording written by imu is stored in SI units "
        f"(m/s^2, rad/s) at its own rate ({recording.sampling_rate_hz:g} Hz), with its "
        "times, gaps and metadata; the import options are for CSV files, plain Parquet "
        "tables and phone exports"
    )


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


@dataclass(frozen=True)
class LoadedRecording:
    """One recording read from a file, with what was repaired on the way.

    Attributes:
        recording: the samples on a uniform grid, SI units.
        name: a name for tables and output files (the file stem, or the group of a split).
        imported: the import and its full report, None for a recording written by this tool.
        repairs: what reading changed (empty when nothing).
        notes: what the command should say about how the file was read (options it did
            not use), one line each.

    """

    recording: Recording
    name: str
    imported: ImportedRecording | None
    repairs: RepairReport
    notes: tuple[str, ...] = ()


def is_imu_recording(path: Path) -> bool:
    """True for a Parquet file with this tool's recording metadata."""
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError):
        return False
    return METADATA_KEY in (schema.metadata or {})


BATCH_TABLES: Final = ("reps", "sets", "sessions")
"""Table folders of a dataset written by ``imu batch`` (``imu.batch.TABLES``)."""
BATCH_FAILURES_FILE: Final = "_failures.csv"
"""The failures of the last ``imu batch`` run in a dataset (``imu.batch.FAILURES_FILE``)."""
BATCH_MARKERS: Final = ("_done", BATCH_FAILURES_FILE)
"""What ``imu batch`` writes beside the tables (``imu.batch.DONE_DIR``, ``FAILURES_FILE``): a
dataset whose every file failed holds only ``_failures.csv``."""


def is_batch_dataset(path: str | Path) -> bool:
    """Whether ``path`` is a dataset folder written by ``imu batch``.

    It has the ``reps/`` and ``sessions/`` table folders, or (when no file was analysed) only
    the batch's own ``_failures.csv`` or ``_done/``.
    """
    p = Path(path)
    if not p.is_dir():
        return False
    if (p / "reps").is_dir() and (p / "sessions").is_dir():
        return True
    return any((p / marker).exists() for marker in BATCH_MARKERS)


def batch_dataset_of(path: str | Path) -> Path | None:
    """The ``imu batch`` dataset whose table folder holds the file ``path``, or None.

    ``DATASET/reps/participant=P01/<session>.parquet`` gives ``DATASET``.
    """
    p = Path(path)
    for folder in p.parents:
        if folder.name in BATCH_TABLES and is_batch_dataset(folder.parent):
            return folder.parent
    return None


def leave_out_datasets(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``paths`` without the tables of ``imu batch`` datasets, and those datasets' folders.

    Returns:
        The paths outside any dataset (in their order), and the dataset folders whose tables
        were left out (each once, in the order first met).

    """
    kept: list[Path] = []
    datasets: dict[Path, None] = {}
    for path in paths:
        root = batch_dataset_of(path)
        if root is None:
            kept.append(path)
        else:
            datasets.setdefault(root, None)
    return kept, list(datasets)


def datasets_note(datasets: Sequence[Path]) -> str:
    """One line naming the ``imu batch`` datasets whose tables a folder search left out."""
    named = ", ".join(str(d) for d in datasets)
    which = "a dataset" if len(datasets) == 1 else f"{len(datasets)} datasets"
    return (f"{named}: {which} written by 'imu batch' left out (its tables are analysed reps, "
            "not recordings)")


def export_part(file: Path, folder: Path) -> bool:
    """Whether ``file``, inside the phone app's export ``folder``, imports that export.

    A file of the same app: a Sensor Logger or phyphox file of the export, or the
    accelerometer or gyroscope file of the one Polar Sensor Logger recording the folder holds
    (a folder of several recordings fails; each of its files is then its own input).
    """
    from imu.errors import ImuError
    from imu.io.polar_logger import _find_pair

    fmt = detect_phone_format(folder)
    if fmt is None or detect_phone_format(file) != fmt:
        return False
    if fmt != "polar-sensor-logger":
        return True
    try:
        acc, gyr, _ = _find_pair(folder)
    except ImuError:
        return False  # the folder fails with its reason; the file is another input
    return resolved(file) in {resolved(acc.path), resolved(gyr.path)}


def exports_once(paths: Sequence[Path], prefer: Collection[Path] = ()) -> list[Path]:
    """``paths`` without the files of a phone export also given as its folder.

    The folder imports the whole export (``imu analyze EXPORT EXPORT/X_ACC.txt``, or a
    phyphox folder and one of its CSVs): given both, one recording was analysed twice. The
    export is kept as its folder, in its place, unless ``prefer`` (resolved paths: the files
    a manifest lists) names the file and not the folder; then the file. One warning says
    what was taken once. Every other path stays as given, in its order (a path given twice
    too: the caller says so). The Polar app's two files of one recording given without
    their folder: :func:`imu.io.polar_logger.one_per_recording`.
    """
    paths = list(paths)
    folders = {resolved(p): p for p in paths if p.is_dir()}
    if not folders:
        return paths
    dropped: set[Path] = set()
    merged: list[tuple[Path, Path, Path]] = []  # (the file, the export's folder, kept)
    for path in paths:
        real = resolved(path)
        if real in folders or real in dropped:
            continue
        folder = next((f for f in folders if f not in dropped and real.is_relative_to(f)
                       and export_part(path, folders[f])), None)
        if folder is None:
            continue
        drop, keep = (folder, path) if real in prefer and folder not in prefer else (
            real, folders[folder])
        dropped.add(drop)
        merged.append((path, folders[folder], keep))
    if not merged:
        return paths
    file, folder, kept = merged[0]
    app = APP_NAME.get(str(detect_phone_format(folder)), "phone app")
    more = f" (and {count(len(merged) - 1, 'other file')} so)" if len(merged) > 1 else ""
    logger.warning("%s is a file of the %s export %s, also given: one recording, analysed "
                   "once, as %s%s", file, app, folder, kept, more)
    return [p for p in paths if resolved(p) not in dropped]


def load_recordings(
    path: str | Path,
    options: CsvOptions | None = None,
    fmt: InputFormat = "auto",
    rate_hz: float | None = None,
    max_gap_s: float | None = None,
) -> list[LoadedRecording]:
    """Read every recording in ``path`` (see the module docstring).

    Args:
        path: a Parquet recording or table, a CSV file, or a phone app's export (a Polar
            Sensor Logger ACC or GYRO file, or a folder with one recording's pair).
        options: CSV/Parquet table layout and units (default layout without).
        fmt: "auto" (detected), "csv" (a table) or a phone app.
        rate_hz: phone exports: output rate, Hz (None: estimated and reported).
        max_gap_s: phone exports: gap limit, s (None: the CSV default).

    Raises:
        RecordingError, ImportOptionsError: the file is missing, unreadable or does not fit
            the options; a zip is damaged or truncated, or a zip or folder holds no phone
            export (the message lists what it holds and what was expected). Messages name the
            file.

    """
    path = Path(path)
    options = options or CsvOptions()
    if not path.exists():
        raise RecordingError(missing_file(path))
    if path.is_file() and looks_like_parquet(path):
        if is_imu_recording(path):
            recording, repairs = sanitize(read_recording(path), str(path))
            ignored = ignored_for_recording(options, fmt, recording)
            return [LoadedRecording(recording, path.stem, None, repairs,
                                    (ignored,) if ignored else ())]
        return _loaded(import_parquet(path, options))
    phone: PhoneFormat | None = None
    if fmt in PHONE_FORMATS:
        phone = cast(PhoneFormat, fmt)
    elif fmt == "auto":
        phone = detect_phone_format(path)
        if phone is not None:
            check_one_app(path)
    if phone is not None:
        gap = options.max_gap_s if max_gap_s is None else max_gap_s
        imported = import_phone(
            path, phone, rate_hz=rate_hz, max_gap_s=gap, check_units=options.check_units
        )
        ignored = ignored_for_phone(options, phone, path)
        beside = recordings_beside_export(path)
        added = tuple(w for w in (ignored, beside) if w)
        if added:
            report = replace(imported.report, warnings=(*imported.report.warnings, *added))
            imported = replace(imported, report=report)
        return _loaded([imported])
    if fmt == "auto" and (path.is_dir() or looks_like_zip(path)):
        other = not_csv_kind(path, _head(path)) if path.is_file() else ""
        if other:  # an .xlsx or .ods is a zip too
            raise RecordingError(not_csv_message(path, other))
        raise no_phone_export(path)  # or a damaged zip in it: RecordingError
    return _loaded(import_csv(path, options))


def recordings_beside_export(folder: Path) -> str:
    """The warning for recordings of imu in a folder read as a phone export ("" if none).

    Trial 23: a folder of two recordings and a Polar pair was read as the one export, and
    the recordings were passed over without a word.
    """
    if not folder.is_dir():
        return ""
    try:
        found = sorted(p for p in folder.rglob("*.parquet") if is_imu_recording(p))
    except OSError:
        return ""
    if not found:
        return ""
    shown = ", ".join(str(p.relative_to(folder)) for p in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return (f"{folder} also holds {len(found)} recording(s) of imu ({shown}{more}), which "
            "are no part of this phone export and were not read with it: give them as inputs "
            f"too (e.g. {folder}/*.parquet), or give the folder to imu batch, which takes each")


def _head(path: Path, n: int = 8) -> bytes:
    """The first ``n`` bytes of a file (b"" when it cannot be read: said by the reader)."""
    try:
        with path.open("rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def _loaded(imported: list[ImportedRecording]) -> list[LoadedRecording]:
    return [LoadedRecording(i.recording, i.name, i, i.report.repairs) for i in imported]


def import_parquet(path: str | Path, options: CsvOptions | None = None) -> list[ImportedRecording]:
    """Import a plain Parquet table (not written by this tool) like a CSV file.

    The table needs the columns ``options`` names (default: ``time_s`` in s, ``acc_x, acc_y,
    acc_z`` in m/s^2, ``gyr_x, gyr_y, gyr_z`` in rad/s). Without a time column, ``rate_hz``
    must be given and the rows are taken as consecutive samples at that rate. Everything else
    (units, resampling, gaps, the rate estimated when not given, the report) is as for CSV.

    Raises:
        RecordingError: not readable as Parquet.
        ImportOptionsError: columns missing, or the data does not fit the options.

    """
    frame, options = _parquet_frame(Path(path), options or CsvOptions())
    return import_frame(frame, options, source=str(path))


def _parquet_frame(path: Path, options: CsvOptions) -> tuple[pd.DataFrame, CsvOptions]:
    """A plain Parquet table's columns that ``options`` name, and the options to import it."""
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise RecordingError(unreadable_parquet(path, exc)) from exc
    names = list(table.column_names)
    wanted = [c for c in dict.fromkeys((*options.data_cols, *options.label_cols)) if c in names]
    try:
        frame = table.select(wanted).to_pandas()
    except (pa.ArrowException, ValueError, TypeError) as exc:
        raise RecordingError(f"{path}: cannot read its columns: {one_line(exc)}") from exc
    # A table pandas wrote keeps its index as a column of the file (df.set_index("time")
    # .to_parquet()), and pandas makes it the index again: trial 25's "--time-col time" was
    # then "column 'time' not found", after the first error had offered it.
    stored = [n for n in frame.index.names if n in wanted and n not in frame.columns]
    if stored:
        frame = frame.reset_index(level=stored)
    if options.time_col not in names and options.rate_hz is not None:
        frame[options.time_col] = np.arange(len(frame), dtype=np.float64) / options.rate_hz
        options = replace(options, time_unit="s", time_origin="relative")
    elif options.time_col not in names:
        shown = ", ".join(names[:20])
        raise ImportOptionsError(
            f"{path}: Parquet table without this tool's metadata and without a time column "
            f"{options.time_col!r} (it has: {shown}); name the time column with --time-col, "
            "or give --rate HZ to take the rows as consecutive samples"
        )
    for label in options.label_cols:
        if label in frame:
            frame[label] = frame[label].astype("string").astype(object)
    frame.attrs["columns"] = names  # offered when the time column named is not a time
    return frame, options


def _group_where(source: str, options: CsvOptions, values: Sequence[object]) -> str:
    """How the importer names a group in its messages: ``FILE (user_name=a, classe=E)``."""
    pairs = zip(options.split_by, values, strict=True)
    return f"{source} ({', '.join(f'{k}={v}' for k, v in pairs)})"


def load_skipping_groups(
    path: str | Path, options: CsvOptions, error: ImportOptionsError | RecordingError
) -> tuple[list[LoadedRecording], list[tuple[str, str]]]:
    """The groups of a split table that import, after ``error`` stopped one of them.

    :func:`load_recordings` of a CSV file or plain Parquet table split with
    ``options.split_by`` stops at the first group that cannot be imported (raw counts with no
    rest to scale them by, too few rows...). This reads the table again without that group,
    and again without the next one that fails, until the others import.

    Args:
        path: the file :func:`load_recordings` failed on.
        options: the options it was given (with ``split_by``).
        error: what it raised.

    Returns:
        The recordings of the other groups (possibly none), and each group left out as
        (``FILE (col=value, ...)``, its reason), in the order met.

    Raises:
        ImportOptionsError, RecordingError: ``error`` itself when it names no group (the file
            as a whole is wrong), or the error of a later read that names none.

    """
    path = Path(path)
    if not options.split_by or not path.is_file():
        raise error
    source = str(path)
    try:
        if looks_like_parquet(path):
            frame, import_options = _parquet_frame(path, options)
            found: tuple[Repair, ...] = ()
        else:
            frame, import_options, found = read_csv_for_import(path, options)
        keys = frame[list(options.split_by)].fillna("").astype(str)
    except (ImportOptionsError, RecordingError, KeyError):
        raise error from None
    groups = {
        _group_where(source, options, values): (keys == list(values)).all(axis=1).to_numpy()
        for values in keys.drop_duplicates().itertuples(index=False, name=None)
    }
    skipped: list[tuple[str, str]] = []
    keep = np.ones(len(frame), dtype=bool)
    failed: ImportOptionsError | RecordingError = error
    while True:
        message = one_line(failed)
        where = next((w for w in groups if message.startswith(f"{w}:")), None)
        if where is None:
            raise failed
        skipped.append((where, message.removeprefix(f"{where}:").strip()))
        keep &= ~groups.pop(where)
        if not groups:
            return [], skipped
        try:
            imported = import_frame(frame[keep], import_options, source=source,
                                    extra_repairs=found)
        except (ImportOptionsError, RecordingError) as exc:
            failed = exc
            continue
        logger.info("%s: %d group(s) left out: %s", source, len(skipped),
                    "; ".join(w for w, _ in skipped))
        return _loaded(imported), skipped


def raw_name(text: str) -> bytes:
    """The bytes a name escaped by the OS stands for (a lone surrogate kept as its UTF-8)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def shown_name(text: str) -> str:
    r"""A name as it can be printed and written to a UTF-8 file: ``b\xe9se.csv``.

    A byte that is not UTF-8 becomes ``\xe9``; a UTF-8 name is unchanged.
    """
    return raw_name(text).decode("utf-8", "backslashreplace")


def not_utf8_name(name: str) -> str:
    r"""Why a file or folder name that is not UTF-8 is refused ("" for a UTF-8 name).

    Such a name (``b<0xe9>se.csv``: Latin-1 from an old drive or a zip made on Windows) reaches
    Python with its bytes escaped, which the Parquet library cannot open or write: a command
    ended in a traceback (``imu analyze`` after the whole analysis), and ``imu batch`` listed
    the ``UnicodeEncodeError`` as the file's failure. The message starts with the name as
    given (quoted, the byte as ``\xe9``) and ends with the ``mv`` that renames the part of
    the path that is not UTF-8 (a folder of it, when that is where the byte is).
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = raw_name(name[exc.start])
        parts = Path(name).parts
        first = next(i for i, part in enumerate(parts) if not _utf8(part))
        where = "the name" if first == len(parts) - 1 else (
            f"the folder name '{shown_name(parts[first])}'")
        rename = shown_name(str(Path(*parts[: first + 1])))
        quoted = "$'" + rename.replace("'", "\\'") + "'"  # bash's quoting of \xe9
        return (
            f"'{shown_name(name)}': {where} holds the byte 0x{bad.hex()}, which is not UTF-8, "
            "and Parquet files cannot be read or written under such a name; rename it with "
            f"letters your system writes as UTF-8 (e.g. mv {quoted} NEW_NAME)"
        )
    return ""


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def not_a_regular_file(path: Path) -> str:
    """What ``path`` is when it exists but is no regular file ("" otherwise, or if missing).

    A named pipe, the pipe of a process substitution (``<(cat x.csv)``, ``/dev/fd/63``), a
    socket or a device: reading one may block for ever (a pipe nobody writes) or never end,
    and a recording is read more than once (sniffed, then read), which a pipe cannot do.
    Checked with ``stat`` only: nothing is opened.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""  # missing or unreadable: the reader says what is wrong
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    if stat.S_ISFIFO(mode):
        fd = str(path).startswith(("/dev/fd/", "/proc/self/fd/", "/dev/stdin"))
        kind = "a pipe (like <(...) or stdin)" if fd else "a named pipe"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "a special file"
    return (f"{path}: is {kind}, not a file; save the data to a file first (e.g. "
            "'cat ... > data.csv') and give that file")


def not_a_recording(path: Path) -> str:
    """What ``path`` is when it is a file imu wrote that is no recording ("" otherwise).

    A live session's crash journal (``imu recover`` turns it into a recording), or a reps,
    sets or session table of ``imu analyze`` or ``imu live`` (a report, not the data). Those
    would otherwise read as binary data or a plain table to import. Also a named pipe, socket
    or device (:func:`not_a_regular_file`), refused before anything opens it (a pipe nobody
    writes would block for ever); and a file that cannot hold samples at all
    (:func:`imu.io.csv_import.not_samples_message`: a text note, a picture, a PDF...), refused
    before anything asks for its exercise or its columns.
    """
    from imu.io.journal import MAGIC, MAGIC_V1, is_recovered_journal

    special = not_a_regular_file(path)
    if special:
        return special
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC))
    except OSError:
        return ""  # the reader says what is wrong
    if head in (MAGIC, MAGIC_V1):
        if is_recovered_journal(path):
            return (f"{path}: a live session's crash journal, already recovered into a "
                    "recording (NAME.parquet beside it); give that recording")
        return (
            f"{path}: a live session's crash journal, not a recording; turn it into one with "
            f"'imu recover {path}'"
        )
    if _is_ground_truth(path):
        # Trial 25: 'imu analyze recordings/*' asked each NAME.truth.csv for its exercise,
        # then for its sensor columns.
        # The same words for every such file: of several, one line names them all.
        return (f"{path}: the ground truth 'imu simulate' writes beside a simulated recording "
                "(its reps as simulated), not a recording; give the recording: NAME.parquet "
                "beside NAME.truth.csv")
    kind = report_table_kind(path)
    if kind:
        return (
            f"{path}: a {kind} table written by 'imu analyze', 'imu live' or 'imu batch' (a "
            "report), not a recording; give the recording it came from (NAME.parquet beside "
            "the NAME/ folder of reports, or the file the batch dataset's session names)"
        )
    return not_samples_message(path)


def report_table_kind(path: Path) -> str:
    """``"reps"``, ``"sets"`` or ``"session"`` for a report table, else "".

    The table's Parquet file, or its CSV twin (``reps.csv``, as ``imu analyze`` writes it:
    UTF-8, comma-separated, its header first), which a user copies out of a report as
    readily: read as a CSV to import, it named no exercise and then missed the sensor columns.
    """
    from imu.io.summary import looks_like_parquet

    if path.suffix.lower() == ".csv":
        names = _csv_header_names(path)
    elif not looks_like_parquet(path):
        return ""
    else:
        import pyarrow.parquet as pq

        try:
            names = set(pq.read_schema(path).names)
        except (OSError, ValueError):
            return ""
    if any(n.startswith(("acc", "gyr")) for n in names):
        return ""  # sensor data
    if {"set", "rep", "start_s", "eccentric_s"} <= names:
        return "reps"
    if {"set", "reps", "start_s", "tut_s"} <= names:
        return "sets"
    if {"exercise", "sets", "reps", "duration_s"} <= names:
        return "session"
    return ""


def _is_ground_truth(path: Path) -> bool:
    """A simulated session's ground truth (``NAME.truth.csv`` of ``imu simulate``)."""
    if path.suffix.lower() != ".csv":
        return False
    names = _csv_header_names(path)
    return {"set", "rep", "con_start_s", "ecc_end_s", "family"} <= names and not any(
        n.startswith(("acc", "gyr")) for n in names)


def _csv_header_names(path: Path) -> set[str]:
    """The column names of a comma-separated file's first line (none if it cannot be read)."""
    try:
        with open(path, "rb") as f:
            first = f.readline(64 * 1024)
    except OSError:
        return set()
    text = first.decode("utf-8", "replace").lstrip("\ufeff").strip()
    return {name.strip() for name in text.split(",")}


def merged_gaps(gaps: Sequence[Gap]) -> tuple[Gap, ...]:
    """Gaps in time order, those that touch or overlap joined into one.

    A stretch of NaN found beside a listed gap (or across several) is one stretch of missing
    data, not as many gaps as the pieces it was found in; the joined gap keeps the reasons of
    its parts, in order, once each.
    """
    out: list[Gap] = []
    for gap in sorted(gaps, key=lambda g: (g.start, g.end)):
        if out and gap.start <= out[-1].end:
            last = out[-1]
            reasons = last.reason.split("; ")
            reason = last.reason if gap.reason in reasons else f"{last.reason}; {gap.reason}"
            out[-1] = Gap(last.start, max(last.end, gap.end), reason)
        else:
            out.append(gap)
    return tuple(out)


def sanitize(recording: Recording, source: str) -> tuple[Recording, RepairReport]:
    """Mark samples no sensor measured as gaps: NaN outside the gaps, absurd values.

    Args:
        recording: as read from a file.
        source: the file, for the report.

    Returns:
        The recording (unchanged when nothing was wrong) and what was repaired.

    """
    acc, gyr = recording.acc, recording.gyr
    listed = np.zeros(recording.n_samples, dtype=bool)
    for g in recording.meta.gaps:
        listed[g.start : g.end] = True
    with np.errstate(invalid="ignore", over="ignore"):
        nan_rows = np.any(np.isnan(acc), axis=1) | np.any(np.isnan(gyr), axis=1)
        absurd = (
            np.any(~np.isfinite(acc) & ~np.isnan(acc), axis=1)
            | np.any(~np.isfinite(gyr) & ~np.isnan(gyr), axis=1)
            | np.any(np.abs(acc) > ABSURD_ACC_G * STANDARD_GRAVITY, axis=1)
            | np.any(np.abs(gyr) > ABSURD_GYR_RAD_S, axis=1)
        )
    unlisted_nan = nan_rows & ~listed & ~absurd
    absurd &= ~listed
    report = RepairReport(source)
    if not np.any(unlisted_nan) and not np.any(absurd):
        return recording, report
    acc, gyr = acc.copy(), gyr.copy()
    acc[absurd | unlisted_nan] = np.nan
    gyr[absurd | unlisted_nan] = np.nan
    new_gaps: list[Gap] = [
        *gaps_from_nan(~unlisted_nan, REASON_NAN),
        *gaps_from_nan(~absurd, REASON_IMPLAUSIBLE),
    ]
    gaps = merged_gaps((*recording.meta.gaps, *new_gaps))
    n_absurd, n_nan = int(np.count_nonzero(absurd)), int(np.count_nonzero(unlisted_nan))
    report = report.plus(
        Repair(
            "implausible",
            n_absurd,
            f"{plural(n_absurd, 'sample')} with values beyond any sensor's full scale made a gap",
        ),
        Repair("unlisted_nan", n_nan, f"{plural(n_nan, 'sample')} of NaN marked as a gap"),
    )
    notes = dict(recording.meta.notes)
    notes[REPAIRS_NOTE] = "; ".join(filter(None, (notes.get(REPAIRS_NOTE), report.text())))
    meta = replace(recording.meta, gaps=gaps, notes=notes)
    logger.debug("%s: %s", source, report.text())
    return Recording(acc, gyr, meta), report


__all__ = [
    "LoadedRecording",
    "batch_dataset_of",
    "datasets_note",
    "export_part",
    "exports_once",
    "ignored_for_recording",
    "import_parquet",
    "is_batch_dataset",
    "is_imu_recording",
    "leave_out_datasets",
    "load_recordings",
    "load_skipping_groups",
    "not_a_recording",
    "not_a_regular_file",
    "report_table_kind",
    "sanitize",
]
