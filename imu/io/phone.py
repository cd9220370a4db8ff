"""Import phone recordings: Sensor Logger and phyphox exports, into one :class:`Recording`.

A phone logs its accelerometer and gyroscope as separate streams, each at its own (jittery)
rate and with its own timestamps. Both are placed on one time base, linearly interpolated onto
a uniform grid (:func:`imu.io.resample.resample_at`; a grid point between two samples more than
``max_gap_s`` apart is a gap, NaN, never interpolated), then go through the CSV importer's
checks and report (:func:`imu.io.csv_import.import_frame`: gravity at rest, gyro range, gaps).
The report adds each sensor's own timing (median interval, jitter, bursts) as information, and
counts rows per file. Before the grid is built, each stream is checked in the app's terms (the
app fixes its columns, units and time, so no CSV option is offered): a timestamp far off
(:func:`imu.io.csv_import.check_far_timestamps`), a time column in other units than the app's,
times so coarse that many rows repeat a time, or many rows with empty values are refused, with
the file and the column named; the grid itself is never larger than
:data:`imu.io.resample.MAX_GRID_SAMPLES`.

Sensor Logger (https://github.com/tszheichoi/awesome-sensor-logger: README "Understanding
Timestamps" and "Zip and CSV", UNITS.md, COORDINATES.md, CROSSPLATFORM.md)
    The zip export (or its folder) holds one CSV per sensor with columns ``time`` (Unix epoch,
    **nanoseconds**, the same clock for every sensor), ``seconds_elapsed`` (s since the start
    tap) and ``x, y, z`` (the CSV header lists them as ``z, y, x``; read by name), plus
    ``metadata.csv`` (device name, platform...).

    *Gravity.* ``Accelerometer.csv`` is acceleration **without gravity** (user motion only) on
    Android, and on iOS too (UNITS.md: combine Accelerometer and Gravity to get it with
    gravity). The rep analysis needs specific force including gravity, so we use, in order:
    ``TotalAcceleration.csv`` (Android, with gravity, m/s^2), ``AccelerometerUncalibrated.csv``
    (with gravity; m/s^2 on Android, **g** on iOS unless "Standardise Units & Frames" is on:
    the unit is told by the magnitude at rest), or ``Accelerometer.csv`` + ``Gravity.csv``
    (summed, each on its own timestamps). ``Gyroscope.csv`` (rad/s; ``GyroscopeUncalibrated``
    as a fallback).

    *Signs.* iOS reports acceleration and gravity with the opposite sign of Android on all
    three axes (COORDINATES.md) unless "Standardise Units & Frames" is on; gyroscope signs agree.
    Our convention is Android's (a still sensor reads +9.81 m/s^2 along the axis pointing up).
    iOS acceleration is negated (``metadata.csv``'s platform), unless ``ios_standardised``. The
    data cannot tell: a negated vector obeys the same kinematics, and how the phone was worn
    is unknown.

phyphox (https://phyphox.org; CSV export of an experiment)
    "Acceleration with g" exports ``Time (s)``, ``Acceleration x (m/s^2)`` (y, z) and
    ``Absolute acceleration (m/s^2)``; "Gyroscope" exports ``Time (s)``, ``Gyroscope x (rad/s)``
    (y, z) and ``Absolute (rad/s)``. Time is seconds since the experiment started. "Linear
    Acceleration" (without g) is refused. The export may be comma, tab or semicolon separated
    (semicolon with decimal commas). A zip export has the data CSV(s) and ``meta/time.csv``
    (``event, experiment time, system time``: the Unix time of START). Two separate
    experiments (one per sensor) are aligned by their START system times; without them they are
    assumed to have started together (a warning says so). A measurement paused and resumed
    has a PAUSE and another START for each pause: phyphox's experiment time stands still
    while paused, so each sample is placed by the START before it, and the pause is a gap of
    its real length with the reason ``paused in phyphox``
    (:data:`imu.io.recording.REASON_PAUSED_PHYPHOX`), which the reports call a pause, not a
    lost sensor.

Polar Sensor Logger (the Android app that records a Polar sensor: one ``;``-separated file per
stream, ``..._ACC.txt`` in mg and ``..._GYRO.txt`` in deg/s, on the sensor's clock)
    Read by :mod:`imu.io.polar_logger` and joined here like the two apps above.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import shlex
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from lzma import LZMAError
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from imu.errors import ImportOptionsError, MixedExportsError, RecordingError
from imu.io.csv_import import (
    ABSURD_ACC_G,
    DEFAULT_MAX_GAP_S,
    GRAVITY_PLAUSIBLE_M_S2,
    GYRO_DOUBT_ADVICE,
    MAX_INCOMPLETE_SHARE,
    MAX_TIME_REPAIR_SHARE,
    ON_SAMPLE_S,
    PLAUSIBLE_RATE_HZ,
    REASON_IMPLAUSIBLE,
    CsvOptions,
    ImportedRecording,
    ImportReport,
    UnitCheckError,
    acc_unit_guess,
    check_far_timestamps,
    check_upsampling,
    import_frame,
    incomplete_message,
)
from imu.io.recording import REASON_PAUSED_PHYPHOX, Gap, Recording, one_line
from imu.io.repairs import REPAIRS_NOTE, Repair, plural
from imu.io.resample import (
    TimingStats,
    estimate_rate_hz,
    resample_at,
    timing_stats,
    uniform_grid_s,
)

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PhoneFormat = Literal["sensor-logger", "phyphox", "polar-sensor-logger"]
PHONE_FORMATS: Final = ("sensor-logger", "phyphox", "polar-sensor-logger")
"""The apps whose exports are read (``polar-sensor-logger``: :mod:`imu.io.polar_logger`)."""

SL_TIME, SL_AXES = "time", ("x", "y", "z")
SL_FILES: Final = (
    "TotalAcceleration.csv",
    "AccelerometerUncalibrated.csv",
    "Accelerometer.csv",
    "Gravity.csv",
    "Gyroscope.csv",
    "GyroscopeUncalibrated.csv",
    "metadata.csv",
)
PX_TIME = "Time (s)"
PX_ACC = tuple(f"Acceleration {a} (m/s^2)" for a in "xyz")
PX_LINEAR = tuple(f"Linear Acceleration {a} (m/s^2)" for a in "xyz")
PX_GYR = tuple(f"Gyroscope {a} (rad/s)" for a in "xyz")
PX_AXIS_COLUMN: Final = re.compile(r"[A-Z][A-Za-z ]* [xyz] \([^()]+\)")
"""A column of one axis of a phyphox sensor, as the app names it: ``Acceleration x (m/s^2)``,
``Linear Acceleration y (m/s^2)``, ``Gyroscope z (rad/s)``, ``Magnetic field x (µT)``."""

G = 9.80665

# ----------------------------------------------------------------------------- shared rules
# What the offline importer and the live phone recorders (imu.io.recorders.sensor_logger,
# imu.io.recorders.phyphox) both know about the apps: one place for each rule.
SL_TOTAL, SL_UNCAL, SL_USER, SL_GRAVITY = (
    "totalacceleration", "accelerometeruncalibrated", "accelerometer", "gravity"
)
SL_GYR, SL_GYR_UNCAL = "gyroscope", "gyroscopeuncalibrated"
"""Sensor Logger's stream names, as the HTTP push ``payload[].name`` spells them (the zip
export's file is the CamelCase name + ``.csv``, e.g. ``TotalAcceleration.csv``)."""

SL_ACC_PLANS: Final = ((SL_TOTAL,), (SL_UNCAL,), (SL_USER, SL_GRAVITY))
"""Ways to get specific force WITH gravity, best first (see the module docstring)."""

PX_SENSOR_ACC, PX_SENSOR_LINEAR, PX_SENSOR_GYR = (
    "accelerometer", "linear_acceleration", "gyroscope"
)
"""phyphox sensor types (``<sensor type=...>``, ``/config`` ``inputs[].source``): the
accelerometer includes gravity, ``linear_acceleration`` does not (refused)."""

IN_G_BELOW = 3.0
"""A still-ish stream whose median magnitude is below this is in g, not m/s^2."""


def sl_acc_plan(available: set[str] | frozenset[str], where: str = "") -> tuple[str, ...]:
    """Which Sensor Logger streams give acceleration with gravity (names as in the push).

    Args:
        available: the stream names present (lower case: ``totalacceleration``...).
        where: what to name in the error (an export path, "the pushes").

    Raises:
        ImportOptionsError: only acceleration without gravity, or no accelerometer at all; the
            message says what to enable in the app.

    """
    for plan in SL_ACC_PLANS:
        if set(plan) <= available:
            return plan
    prefix = f"{where}: " if where else ""
    if SL_USER in available:
        raise ImportOptionsError(
            f"{prefix}Sensor Logger's Accelerometer measures acceleration WITHOUT gravity (user "
            "motion only), and neither TotalAcceleration, Accelerometer (Uncalibrated) nor "
            "Gravity is there to add it back; the analysis needs gravity: enable "
            "'Accelerometer (Uncalibrated)' or 'Gravity' in Sensor Logger"
        )
    raise ImportOptionsError(
        f"{prefix}no accelerometer in the Sensor Logger data (looked for TotalAcceleration, "
        "AccelerometerUncalibrated, Accelerometer + Gravity); enable the accelerometer in "
        "Sensor Logger"
    )


def values_in_g(values: FloatArray) -> bool:
    """True if ``(n, 3)`` accelerometer values are in g (median magnitude below 3).

    Sensor Logger's uncalibrated accelerometer is in g on iOS (unless "Standardise Units &
    Frames" is on) and in m/s^2 on Android (UNITS.md); the magnitude tells which.
    """
    finite = np.all(np.isfinite(values), axis=1)
    if not np.any(finite):
        return False
    return float(np.median(np.linalg.norm(values[finite], axis=1))) < IN_G_BELOW


def sl_acc_sign(platform: str, ios_standardised: bool = False) -> tuple[float, str]:
    """The factor that gives Sensor Logger acceleration Android's signs, and why.

    iOS reports acceleration and gravity negated on all three axes (COORDINATES.md) unless
    "Standardise Units & Frames" is on; gyroscope signs agree. The data cannot tell: negating
    ``f`` keeps ``df/dt = f x omega`` true, and how the phone was worn is unknown.
    """
    if platform.lower() == "ios" and not ios_standardised:
        return -1.0, "negated: iOS reports acceleration with the opposite sign"
    why = "Android convention" if platform.lower() != "ios" else "iOS standardised frames"
    return 1.0, f"as recorded ({why})"


@dataclass(frozen=True)
class _Stream:
    """One sensor's samples: times (s, on the shared clock) and ``(n, 3)`` values."""

    t_s: FloatArray
    values: FloatArray
    label: str
    n_dropped: int = 0
    """Rows already dropped because their time was empty or unreadable."""
    repairs: tuple[Repair, ...] = ()
    """Other changes already made while reading (e.g. rows without gravity to add back)."""
    rows: npt.NDArray[np.int64] | None = None
    """Shape (n,): each sample's position among the file's data rows (0-based), for messages."""
    n_read: int = 0
    """Data rows the file holds (0: as many as samples and rows dropped)."""
    cols: tuple[str, ...] = SL_AXES
    """The value columns' names in the file, for messages."""
    time_col: str = SL_TIME
    """The time column's name in the file, for messages."""
    raw_t: npt.NDArray[np.generic] | None = None
    """Shape (n,): the times as the file writes them, for messages (None: ``t_s``)."""
    untimed: npt.NDArray[np.int64] | None = None
    """Positions (0-based data rows) of the rows dropped for their time (``n_dropped``)."""
    paused_s: tuple[tuple[float, float], ...] = ()
    """Where the app's measurement was paused, (start, end) on ``t_s``'s clock, s: no
    samples there, and none lost (phyphox's PAUSE and START in ``meta/time.csv``)."""

    @property
    def rows_read(self) -> int:
        """Data rows the file holds."""
        return self.n_read or int(self.t_s.size) + self.n_dropped


# ----------------------------------------------------------------------------- reading files
ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
"""How a zip file starts (a local file header, an empty archive's end record, a split mark)."""

EXPECTED_INSIDE: Final = (
    "expected a Sensor Logger export (TotalAcceleration.csv or AccelerometerUncalibrated.csv "
    "or Accelerometer.csv + Gravity.csv, and Gyroscope.csv) or phyphox CSVs with 'Time (s)' "
    "columns ('Acceleration with g' and 'Gyroscope')"
)
"""What a phone export holds, for messages about a folder or zip that holds none."""


def looks_like_zip(path: Path) -> bool:
    """True for a file named ``*.zip`` or starting with a zip signature (intact or not)."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".zip":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) in ZIP_MAGIC
    except OSError:
        return False


def read_zip(path: Path) -> dict[str, bytes]:
    """File name -> bytes of every file in a zip.

    Raises:
        RecordingError: not a zip, or a damaged or truncated one (e.g. an export cut off while
            copying or downloading); the message says so and names the damaged member.

    """
    damaged = (
        f"{path}: the zip file is damaged or truncated (an interrupted copy or download?)"
    )
    again = "copy or export it again"
    if not zipfile.is_zipfile(path):  # no readable table of contents at the end
        try:
            with path.open("rb") as fh:
                start = fh.read(4)
        except OSError as exc:
            raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        if start in ZIP_MAGIC:
            raise RecordingError(
                f"{damaged}: its table of contents (at the end of the file) is missing; {again}"
            )
        raise RecordingError(
            f"{path}: named .zip but not a zip file (it starts with {start!r}); if it is a "
            f"CSV, pass --format csv or rename it; else {again}"
        )
    out: dict[str, bytes] = {}
    member = ""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    member = info.filename
                    out[info.filename] = zf.read(info)
    except RuntimeError as exc:  # zipfile's "password required" for an encrypted member
        raise RecordingError(
            f"{path}: {member!r} in the zip is encrypted; export it again without a password"
        ) from exc
    except NotImplementedError as exc:
        raise RecordingError(
            f"{path}: {member!r} in the zip uses a compression this tool cannot read "
            f"({one_line(exc)}); unzip it with another tool and pass the folder"
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, LZMAError) as exc:
        inside = f" ({member!r} cannot be read: {one_line(exc)})" if member else ""
        raise RecordingError(f"{damaged}{inside}; {again}") from exc
    return out


def _members(path: Path) -> dict[str, bytes]:
    """File name -> bytes of every file in a zip, a folder (and zips in it), or one file.

    Raises:
        RecordingError: the path does not exist, or a zip is damaged (see :func:`read_zip`).

    """
    out: dict[str, bytes] = {}
    if not path.exists():
        raise RecordingError(f"{path}: no such file or folder")
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file():
                rel = str(p.relative_to(path))
                if looks_like_zip(p):
                    out.update({f"{rel}/{k}": v for k, v in read_zip(p).items()})
                else:
                    out[rel] = p.read_bytes()
        return out
    if looks_like_zip(path):
        return read_zip(path)
    out[path.name] = path.read_bytes()
    return out


NOT_SAMPLE_CSV: Final = frozenset({"manifest.csv", "cohort.csv", "progress_weekly.csv",
                                    "reps.csv", "sets.csv", "session.csv"})
"""CSV names that hold no samples (a manifest, ``imu simulate-cohort``'s design, imu's report
tables, as ``imu.batch.NOT_DATA_CSV``): never suggested as a recording to pass."""


def _outside_datasets(folder: Path, names: list[str]) -> list[str]:
    """``names`` (relative to ``folder``) without those inside an ``imu batch`` dataset."""
    from imu.io.load import is_batch_dataset

    datasets: dict[Path, bool] = {}

    def in_dataset(name: str) -> bool:
        for parent in Path(name).parents:
            if parent == Path("."):
                return False
            if parent not in datasets:
                datasets[parent] = is_batch_dataset(folder / parent)
            if datasets[parent]:
                return True
        return False

    return [n for n in names if not in_dataset(n)]


def _nested_recordings(folder: Path, nested: list[str]) -> list[str]:
    """The ``.parquet`` files in ``folder``'s sub-folders that may be recordings.

    Not a report table (``imu analyze --out``'s reps/sets/session), nor a file inside an
    ``imu batch`` dataset: review 24's "it holds 3 recordings in its sub-folders (e.g.
    FOLDER/out_adj/reps.parquet)" advised passing a report's tables, which then failed.
    """
    from imu.io.load import report_table_kind

    return [n for n in _outside_datasets(folder, nested)
            if not report_table_kind(folder / n)]


def no_phone_export(path: Path) -> ImportOptionsError:
    """The error for a zip or folder that reads fine but holds no phone export.

    Names what it holds and what was expected inside.

    Raises:
        RecordingError: a zip in it is damaged (that is said instead).

    """
    from imu.io.polar_logger import header_kind

    members = _members(path)
    names = sorted(members)
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    what = "zip file" if path.is_file() else "folder"
    # Polar Sensor Logger's files read from a folder or as files, not from a zip: said, with
    # what to give instead (it read as "no Sensor Logger or phyphox export").
    polar = [n for n in names if header_kind(_header(members[n])) in ("acc", "gyr")]
    if polar:
        files = _listed([_basename(n) for n in polar])
        where = (f"a zip of Polar Sensor Logger files ({files})" if path.is_file() else
                 f"holds Polar Sensor Logger files in a zip ({_listed(polar)})")
        return ImportOptionsError(
            f"{path}: {where}, which is not read as it is; unzip it and give the folder they "
            "are in, or their _ACC.txt file"
        )
    holds = f"it holds {shown}" if names else "it is empty"
    # A CSV to suggest as an input: never a simulator's truth file, a manifest or a report
    # table (trial 24: "e.g. cohort/P01/P01_2024-01-08.truth.csv", which then failed).
    csvs = [n for n in names if n.lower().endswith(".csv")
            and not n.lower().endswith(".truth.csv")
            and Path(n).name.lower() not in NOT_SAMPLE_CSV]
    # The files the suggested glob (FOLDER/*.parquet) takes: not those in subfolders (an imu
    # batch dataset's tables, say).
    recordings = [n for n in names if n.lower().endswith(".parquet") and len(Path(n).parts) == 1]
    if path.is_dir():
        from imu.io.load import is_batch_dataset, report_table_kind

        if is_batch_dataset(path):  # as imu batch and export-bids say it
            return ImportOptionsError(
                f"{path}: a dataset written by imu batch (results, not recordings); give the "
                "recordings it was made from, or read its tables with pandas, Dask or "
                "DuckDB (docs/research.md), 'imu progress' or 'imu export-bids'"
            )

        # A folder of reports (imu analyze --out): its reps/sets/session tables are the
        # results of an analysis, not recordings to pass as files.
        tables = [n for n in recordings if report_table_kind(path / n)]
        recordings = [n for n in recordings if n not in tables]
        if tables and not recordings:
            return ImportOptionsError(
                f"{path}: a folder of imu's reports ({', '.join(tables)}), the results of an "
                "analysis, not recordings; give the recording they were made from "
                "(NAME.parquet beside the NAME/ folder of reports)"
            )
    if path.is_dir() and csvs:  # nor an imu batch dataset's _failures.csv
        csvs = _outside_datasets(path, csvs)
    plain = (
        "; a plain CSV must be unzipped first: pass the CSV itself"
        if path.is_file() and len(csvs) == 1
        else f"; a plain CSV is given as a file, e.g. {path / csvs[0]}"
        if path.is_dir() and csvs
        else ""
    )
    nested = [n for n in names if n.lower().endswith(".parquet") and len(Path(n).parts) > 1]
    if path.is_dir() and not recordings and nested:
        nested = _nested_recordings(path, nested)
    if path.is_dir() and not recordings and nested:
        # A folder of folders of recordings (a cohort, one folder per participant): the
        # recordings are what to pass, by a glob one level down, or the folder to imu batch.
        # (unquoted: the shell gives the files; one pattern per depth they lie at)
        globs = " ".join(f"{path}/{'*/' * (depth - 1)}*.parquet"
                         for depth in sorted({len(Path(n).parts) for n in nested})[:3])
        return ImportOptionsError(
            f"{path}: a folder of folders, not a phone export; it holds {len(nested)} "
            f"recording{'s' if len(nested) != 1 else ''} in its sub-folders (e.g. "
            f"{path / nested[0]}): pass them as files, e.g. {globs}, or give the folder to "
            f"imu batch ('imu batch {path}/ --out DATASET'; progress and export-bids take "
            "folders too)"
        )
    if path.is_dir() and recordings:
        # A folder of recordings: the files are what to pass (the shell's glob does it).
        return ImportOptionsError(
            f"{path}: a folder, not a phone export; it holds {len(recordings)} recording"
            f"{'s' if len(recordings) != 1 else ''}: pass them as files, e.g. "
            f"{path}/*.parquet (imu batch, progress and export-bids take folders)"
        )
    return ImportOptionsError(
        f"{path}: the {what} holds no Sensor Logger or phyphox export ({holds}); "
        f"{EXPECTED_INSIDE}{plain}"
    )


_SL_CANONICAL: Final = {n.casefold(): n for n in SL_FILES}


def _basename(name: str) -> str:
    """The file name of a member, without its folder.

    A Sensor Logger file's name comes out in the app's own spelling whatever its case
    (``Metadata.csv`` or ``gyroscope.csv``, from a case-insensitive file system or a renamed
    copy, are the app's files).
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _SL_CANONICAL.get(base.casefold(), base)


def _header(data: bytes) -> str:
    return data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").strip()


def detect_phone_format(path: str | Path) -> PhoneFormat | None:
    """The app of an export from file names or columns; None if none.

    ``sensor-logger``/``phyphox`` from CSV names and columns; ``polar-sensor-logger`` for a
    file of that app (:func:`imu.io.polar_logger.is_polar_logger_file`) or a folder with one
    at its top level.
    """
    from imu.io.polar_logger import detect_polar_logger

    path = Path(path)
    if not path.exists() or path.suffix.lower() in {".parquet", ".pq"}:
        return None
    if path.is_file() and detect_polar_logger(path):
        return "polar-sensor-logger"
    if path.is_file() and not zipfile.is_zipfile(path) and path.suffix.lower() != ".csv":
        return None
    try:
        members = _members(path)
    except (RecordingError, OSError):
        return None
    names = {_basename(n) for n in members}
    if names & set(SL_FILES) - {"metadata.csv"}:
        head = next(
            (_header(v) for k, v in members.items() if _basename(k) in SL_FILES[:6]), ""
        )
        if "seconds_elapsed" in head or SL_TIME in head.split(","):
            return "sensor-logger"
    for name, data in members.items():
        if name.lower().endswith(".csv") and _px_header(_header(data)):
            return "phyphox"
    for name, data in members.items():
        cols = [c.strip().strip('"') for c in _header(data).split(",")]
        if name.lower().endswith(".csv") and {SL_TIME, "seconds_elapsed", *SL_AXES} <= set(cols):
            return "sensor-logger"
    if path.is_dir() and detect_polar_logger(path):
        return "polar-sensor-logger"
    return None


def _header_fields(header: str) -> list[str]:
    """The column names of a CSV header line split at ``,``, ``;`` or tab, unquoted."""
    return [f.strip().strip('"').strip() for f in re.split(r"[,;\t]", header)]


def _px_header(head: str) -> bool:
    """A phyphox export's header: ``Time (s)`` and a sensor axis named as the app names it.

    ``Time (s)`` alone is no sign of phyphox: a plain CSV with ``Time (s), AccX (m/s^2)...``
    was refused as a phyphox export without its 'Acceleration with g' columns.
    """
    fields = _header_fields(head)
    return PX_TIME in fields and any(PX_AXIS_COLUMN.fullmatch(f) for f in fields)


def _is_sl_data(name: str, data: bytes) -> bool:
    """A Sensor Logger sensor file: its name (phyphox names some files alike) and its header."""
    if _basename(name) not in SL_FILES[:6]:
        return False
    head = _header(data)
    return PX_TIME not in head and ("seconds_elapsed" in head or SL_TIME in head.split(","))


def check_one_app(path: Path) -> None:
    """Refuse a folder holding exports of both apps, which detection would pick one of.

    A folder with a Sensor Logger zip and phyphox exports was imported as Sensor Logger, the
    phyphox measurement left out without a word.

    Raises:
        ImportOptionsError: both apps' files are there; the message names them.

    """
    if not path.is_dir():
        return
    members = _members(path)
    sl = [k for k, v in members.items() if _is_sl_data(k, v)]
    px = [k for k, v in members.items()
          if k.lower().endswith(".csv") and "/meta/" not in f"/{k}" and PX_TIME in _header(v)]
    if sl and px:
        raise MixedExportsError(
            f"{path}: holds a Sensor Logger export ({_listed(sl, 2)}) and phyphox exports "
            f"({_listed(px, 2)}); give one app's export (its zip or its own folder), or name "
            "the app with --format sensor-logger|phyphox",
            _entries(sl), _entries(px),
        )


def _entries(members: Sequence[str]) -> tuple[str, ...]:
    """The folder's own entries (a zip, a file) that ``members`` (``a.zip/X.csv``) lie in."""
    return tuple(dict.fromkeys(m.split("/", 1)[0] for m in members))


def import_phone(
    path: str | Path,
    fmt: PhoneFormat | None = None,
    rate_hz: float | None = None,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
    ios_standardised: bool = False,
    check_units: bool = True,
) -> ImportedRecording:
    """Import a Sensor Logger or phyphox export (zip, folder or CSV) into one recording.

    Every error message starts with ``path`` (and names the file inside the export).
    See :func:`_import_phone` for the arguments.
    """
    try:
        return _import_phone(path, fmt, rate_hz, max_gap_s, ios_standardised, check_units)
    except (RecordingError, ImportOptionsError) as exc:
        if str(exc).startswith(str(path)):
            raise
        raise type(exc)(f"{path}: {exc}") from exc
    except OSError as exc:
        raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _import_phone(
    path: str | Path,
    fmt: PhoneFormat | None = None,
    rate_hz: float | None = None,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
    ios_standardised: bool = False,
    check_units: bool = True,
) -> ImportedRecording:
    """Import a Sensor Logger or phyphox export (zip, folder or CSV) into one recording.

    Args:
        path: the export: a zip, a folder, or a CSV (a Sensor Logger CSV brings its sibling
            files from the same folder).
        fmt: the app; None detects it from file and column names.
        rate_hz: output grid rate, Hz; None: the accelerometer's median rate (reported).
        max_gap_s: intervals longer than this (in either sensor) are gaps, s.
        ios_standardised: a Sensor Logger recording from iOS made with "Standardise Units &
            Frames" on (Android signs already): do not negate its acceleration.
        check_units: check gravity at rest and the gyro against the app's units (False:
            ``--no-unit-check``). The time column's unit is the app's and always checked.

    Raises:
        RecordingError: unreadable or missing files.
        ImportOptionsError: the export lacks a sensor (named, with what to record instead) or
            its data does not fit the documented units.

    """
    path = Path(path)
    if fmt is not None:
        try:
            return _import_phone_as(path, fmt, rate_hz, max_gap_s, ios_standardised,
                                    check_units)
        except ImportOptionsError as exc:
            # --format names the other app: its advice (record the 'Gyroscope' experiment,
            # enable the accelerometer in Sensor Logger) would be wrong; say what it is.
            detected = detect_phone_format(path)
            if detected is None and path.is_file() and not looks_like_zip(path):
                # Neither app's file: a plain CSV given with --format sensor-logger|phyphox.
                raise ImportOptionsError(
                    f"{exc}; if {path.name} is a plain CSV, pass --format csv (or leave "
                    "--format out: the kind of file is detected)"
                ) from exc
            if detected is None or detected == fmt:
                raise
            raise ImportOptionsError(
                f"{path}: a {APP_NAME[detected]} export, not {APP_NAME[fmt]} as --format "
                f"{fmt} says; pass --format {detected}, or leave --format out (the app is "
                "detected)"
            ) from exc
    fmt = detect_phone_format(path)
    if fmt is not None:
        check_one_app(path)
    if fmt is None:
        raise ImportOptionsError(
            f"{path}: neither a Sensor Logger export (TotalAcceleration.csv, Gyroscope.csv... "
            "with time,seconds_elapsed,x,y,z) nor a phyphox export ('Time (s)' columns); pass "
            "--format sensor-logger|phyphox, or import a plain CSV with --format csv"
        )
    return _import_phone_as(path, fmt, rate_hz, max_gap_s, ios_standardised, check_units)


def _import_phone_as(
    path: Path,
    fmt: PhoneFormat,
    rate_hz: float | None,
    max_gap_s: float,
    ios_standardised: bool,
    check_units: bool,
) -> ImportedRecording:
    """Import ``path`` as an export of the app ``fmt`` (see :func:`_import_phone`)."""
    if fmt == "polar-sensor-logger":  # its own reader, the same join
        from imu.io.polar_logger import _import as import_polar

        return import_polar(path, rate_hz, max_gap_s, check_units)
    if fmt == "sensor-logger":
        top_only = path.is_file() and path.suffix.lower() == ".csv"
        if top_only:
            _check_sl_file(path)
            path = path.parent  # the export's files beside it, not other exports' zips
        acc, gyr, device, notes, warnings = _sensor_logger(path, ios_standardised, top_only)
    elif fmt == "phyphox":
        acc, gyr, device, notes, warnings = _phyphox(path)
    else:
        raise ImportOptionsError(f"unknown phone format {fmt!r}; use one of {PHONE_FORMATS}")
    return _join(path, fmt, acc, gyr, device, notes, warnings, rate_hz, max_gap_s, check_units)


# ----------------------------------------------------------------------------- Sensor Logger
def _read_csv(name: str, data: bytes, sep: str = ",", decimal: str = ".") -> pd.DataFrame:
    if not data.strip():  # a copy or an export cut short: pandas said "No columns to parse"
        raise RecordingError(
            f"{name}: the file is empty (no header, no rows); export the recording from the "
            "app again, or copy it again"
        )
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise RecordingError(f"{name}: not a readable CSV file: {one_line(exc)}") from exc
    frame.columns = [str(c).strip().strip('"').lstrip("\ufeff") for c in frame.columns]
    if len(frame) < 2:
        raise RecordingError(
            f"{name}: fewer than 2 data rows; the sensor recorded (almost) nothing: check that "
            "it is enabled in the app, and record again"
        )
    return frame


@dataclass(frozen=True)
class _SlRaw:
    """One Sensor Logger file as read: rows with a readable time, in file order."""

    t_ns: npt.NDArray[np.int64]
    values: FloatArray
    """Shape (n, 3), x, y, z; NaN where unreadable."""
    n_dropped: int
    """Rows without a readable time."""
    rows: npt.NDArray[np.int64]
    """Shape (n,): positions among the file's data rows (0-based)."""
    n_read: int
    """Data rows in the file."""
    untimed: npt.NDArray[np.int64]
    """Positions of the rows without a readable time."""


SL_NS_PLAUSIBLE: Final = (1e17, 4.1e18)
"""Sensor Logger's ``time`` (Unix ns) lies between 1973 and 2100; a typical value outside
means the column is not what the app writes (seconds or ms since 1970, seconds elapsed)."""


def _sl_check_time(name: str, t_ns: npt.NDArray[np.int64], separate: bool = False) -> None:
    """Refuse a ``time`` column that is not Unix time in nanoseconds (its median tells).

    Sensor Logger always writes nanoseconds since 1970; a column in s, ms or us (a converted
    or hand-made export) would read as a recording of a few seconds sampled at GHz.

    Args:
        name: the file, for the message.
        t_ns: its times as read (nanoseconds if they are the app's).
        separate: the export holds the sensors in separate files (a folder or zip, as the
            app writes it): a plain CSV import (``--format csv``) reads one file with every
            column, so it is offered only once the files are joined.

    """
    if t_ns.size == 0:
        return
    typical = float(np.median(t_ns.astype(np.float64)))
    low, high = SL_NS_PLAUSIBLE
    if low <= typical <= high:
        return
    looks = ""
    for unit, scale in (("seconds", 1e9), ("milliseconds", 1e6), ("microseconds", 1e3)):
        if low <= typical * scale <= high:
            looks = f" (they look like Unix time in {unit})"
            break
    fix = (
        "export the recording from Sensor Logger again with the app's own time (nanoseconds, "
        "its default), or join the accelerometer and gyroscope files into one CSV (time, acc "
        "and gyro columns) and import that with --format csv, --time-col and --time-unit (a "
        "plain CSV import reads one file, not this export's separate files)"
        if separate
        else "export the recording from Sensor Logger again, or import it as a plain CSV "
        "(--format csv, with --time-col and --time-unit)"
    )
    raise ImportOptionsError(
        f"{name}: column 'time' holds values like {typical:.10g}, not Unix time in "
        f"nanoseconds as Sensor Logger writes it{looks}: this is not the app's 'time' column "
        f"(converted or edited?); {fix}"
    )


def _sl_stream(name: str, data: bytes, separate: bool = False) -> _SlRaw:
    """One Sensor Logger CSV: times (ns), values (NaN where unreadable), row positions.

    ``separate``: the export holds its sensors in separate files (see :func:`_sl_check_time`).
    """
    frame = _read_csv(name, data)
    missing = [c for c in (SL_TIME, *SL_AXES) if c not in frame.columns]
    if missing:
        raise ImportOptionsError(
            f"{name}: Sensor Logger column(s) {missing} not found (has {list(frame.columns)}); "
            "expected time (ns), seconds_elapsed, z, y, x"
        )
    t_num = pd.to_numeric(frame[SL_TIME], errors="coerce")
    if pd.api.types.is_integer_dtype(t_num.dtype):
        t = t_num.to_numpy().astype(np.int64)
        ok = np.ones(t.size, dtype=bool)
    else:  # empty cells made the column float: ns times keep ~256 ns precision, plenty
        tf = t_num.to_numpy(dtype=np.float64)
        ok = np.isfinite(tf) & (np.abs(tf) < 9e18)
        t = np.zeros(tf.size, dtype=np.int64)
        t[ok] = np.round(tf[ok]).astype(np.int64)
    if not np.any(ok):
        raise ImportOptionsError(
            f"{name}: column 'time' must hold integer nanoseconds since 1970 (Sensor Logger's "
            f"format); got values like {frame[SL_TIME].iloc[0]!r}"
        )
    values = frame[list(SL_AXES)].apply(pd.to_numeric, errors="coerce").to_numpy(np.float64)
    _sl_check_time(name, t[ok], separate)
    return _SlRaw(
        t[ok], values[ok], int(np.count_nonzero(~ok)), np.flatnonzero(ok).astype(np.int64),
        len(frame), np.flatnonzero(~ok).astype(np.int64),
    )


def _listed(names: Sequence[str], most: int = 4) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _one_sensor_logger_export(path: Path, members: dict[str, bytes]) -> dict[str, bytes]:
    """The files of the one Sensor Logger export in ``members`` (by file name, no folder).

    A folder can hold several exports (a zip per recording, or a zip beside its unzipped
    files): keyed by file name alone, the last one's files silently replaced the others', so
    one recording came out of several, or a mix of two. Copies of one export (a zip and its
    unzipped files) are one export.

    Raises:
        ImportOptionsError: the folder holds several different exports; the message names
            them and how to import one.

    """
    groups: dict[str, dict[str, bytes]] = {}
    for key, data in members.items():
        folder = key.replace("\\", "/").rsplit("/", 1)[0] if "/" in key else ""
        groups.setdefault(folder, {})[_basename(key)] = data
    exports = {f: g for f, g in groups.items() if any(_is_sl_data(n, d) for n, d in g.items())}
    distinct: dict[tuple[tuple[str, bytes], ...], str] = {}
    for folder, files in exports.items():
        sig = tuple(sorted((n, d) for n, d in files.items() if _is_sl_data(n, d)))
        distinct.setdefault(sig, folder)
    if len(distinct) > 1:
        names = [f or "(the top level)" for f in distinct.values()]
        first = next(f for f in distinct.values() if f)
        raise ImportOptionsError(
            f"{path}: holds {len(distinct)} different Sensor Logger exports ({_listed(names)}); "
            f"import one at a time, e.g. imu convert {path / first} OUT.parquet"
        )
    if not exports:
        return {_basename(k): v for k, v in members.items()}
    return next(iter(exports.values()))


def _check_sl_file(path: Path) -> None:
    """Refuse a CSV given as a Sensor Logger export's file that is none of the app's files.

    Its folder was read as the export: a plain CSV beside another recording's zip was
    analysed as that recording without a word (trial 21). A file of the app has its columns
    (``time``, ``seconds_elapsed``), whatever its name (``Magnetometer.csv``, a browser's
    ``Gyroscope (1).csv``).

    Raises:
        ImportOptionsError: ``path`` has none of the app's columns.

    """
    try:
        with path.open("rb") as fh:
            header = _header(fh.read(4096))
    except OSError:
        return  # said where the export is read
    fields = {f.casefold() for f in _header_fields(header)}
    named = path.name.casefold() in {name.casefold() for name in SL_FILES}
    if {"time", "seconds_elapsed"} <= fields or (named and not header):
        return  # an app's file (one of its names left empty is said where it is read)
    raise ImportOptionsError(
        f"{path}: not a file of a Sensor Logger export (the app writes "
        f"{', '.join(SL_FILES[:-1])} and {SL_FILES[-1]}, each with time and seconds_elapsed "
        "columns, and --format sensor-logger reads them together: give the export's zip or "
        "folder, or one of those files)"
    )


def _sensor_logger(
    path: Path, ios_standardised: bool = False, top_only: bool = False
) -> tuple[_Stream, _Stream, str, dict[str, str], list[str]]:
    """Read the Sensor Logger export at ``path`` (a folder or zip).

    ``top_only``: the files at the folder's top level only (a file of them was given), not
    the exports zipped or in sub-folders beside them.
    """
    if top_only:
        members = {p.name: p.read_bytes() for p in sorted(path.iterdir())
                   if p.is_file() and p.suffix.lower() == ".csv"}
    else:
        members = _members(path)
    members = _one_sensor_logger_export(path, members)
    notes: dict[str, str] = {"import_format": "sensor-logger"}
    warnings: list[str] = []
    platform, device = "", "phone (Sensor Logger)"
    has_metadata = "metadata.csv" in members
    if has_metadata:
        try:
            meta = pd.read_csv(io.BytesIO(members["metadata.csv"]))
            meta.columns = [str(c).strip() for c in meta.columns]
            row = meta.iloc[0] if len(meta) else None
        except (pd.errors.ParserError, pd.errors.EmptyDataError):
            row = None
        if row is not None:
            platform = str(row.get("platform", "")).strip()
            name = str(row.get("device name", "")).strip()
            device = f"{name} (Sensor Logger)" if name and name != "nan" else device
            notes["platform"] = platform
    raw: dict[str, _SlRaw] = {}
    acc_repairs: list[Repair] = []
    separate = sum(name in members for name in SL_FILES[:6]) > 1  # as the app writes it
    for name in SL_FILES[:6]:
        if name in members:
            raw[name] = _sl_stream(name, members[name], separate)
    streams = {n.removesuffix(".csv").lower() for n in raw}
    plan = sl_acc_plan(frozenset(streams), str(path))
    if plan in ((SL_TOTAL,), (SL_UNCAL,)):
        acc_name = "TotalAcceleration.csv" if plan == (SL_TOTAL,) else (
            "AccelerometerUncalibrated.csv"
        )
        got = raw[acc_name]
        acc_t, acc_v, acc_n, acc_rows = got.t_ns, got.values, got.n_dropped, got.rows
        acc_read, acc_untimed = got.n_read, got.untimed
        if plan == (SL_UNCAL,) and values_in_g(acc_v):
            acc_v = acc_v * G
            notes["acc_unit_in_file"] = "g (iOS uncalibrated)"
    else:
        acc_name = "Accelerometer.csv + Gravity.csv"
        user, grav = raw["Accelerometer.csv"], raw["Gravity.csv"]
        ut, uv, acc_n, acc_read = user.t_ns, user.values, user.n_dropped, user.n_read
        acc_untimed = user.untimed
        gt, gv = grav.t_ns, grav.values
        gok = np.all(np.isfinite(gv), axis=1)
        gt, gv = gt[gok], gv[gok]
        if ut.size == 0 or gt.size == 0:
            raise ImportOptionsError(
                f"{path}: Accelerometer.csv or Gravity.csv holds no usable rows"
            )
        base = min(int(ut[0]), int(gt[0]))
        ut_s = ((ut - base) * 1e-9).astype(np.float64)
        gi, ok = resample_at(((gt - base) * 1e-9).astype(np.float64), gv, ut_s, 1.0)
        n_no_g = int(np.count_nonzero(~ok))
        if n_no_g:
            seconds = n_no_g * float(np.median(np.diff(ut_s))) if ut_s.size > 1 else 0.0
            acc_repairs.append(
                Repair(
                    "no_gravity",
                    n_no_g,
                    f"{plural(n_no_g, 'row')} of Accelerometer.csv (about {seconds:.2f} s) "
                    "dropped: Gravity.csv has no samples there to add gravity back (a gap)",
                )
            )
        acc_t, acc_v, acc_rows = ut[ok], uv[ok] + gi[ok], user.rows[ok]
    gyr_name = next((n for n in ("Gyroscope.csv", "GyroscopeUncalibrated.csv") if n in raw), None)
    if gyr_name is None:
        raise ImportOptionsError(
            f"{path}: no Gyroscope.csv in the Sensor Logger export; the rep analysis needs the "
            "gyroscope: enable it in Sensor Logger and record again"
        )
    g_raw = raw[gyr_name]
    gyr_t, gyr_v, gyr_n = g_raw.t_ns, g_raw.values, g_raw.n_dropped
    if acc_t.size == 0 or gyr_t.size == 0:
        raise ImportOptionsError(f"{path}: {acc_name} or {gyr_name} holds no usable rows")
    base = min(int(np.min(acc_t)), int(np.min(gyr_t)))
    acc = _Stream(
        (acc_t - base).astype(np.float64) * 1e-9, acc_v, acc_name, acc_n, tuple(acc_repairs),
        acc_rows, acc_read, raw_t=acc_t, untimed=acc_untimed,
    )
    gyr = _Stream(
        (gyr_t - base).astype(np.float64) * 1e-9, gyr_v, gyr_name, gyr_n, (), g_raw.rows,
        g_raw.n_read, raw_t=gyr_t, untimed=g_raw.untimed,
    )
    acc, decided = _fix_acc_sign(acc, platform, ios_standardised)
    if not platform or platform.lower() == "nan":
        what, fix = (("Metadata.csv gives no platform", "check its platform column")
                     if has_metadata else
                     ("the export holds no Metadata.csv, which names the platform",
                      "export it again with its Metadata.csv"))
        warnings.append(
            f"{what}: acceleration taken with Android's signs (an iOS recording without "
            f"'Standardise Units & Frames' would be upside down); {fix}"
        )
    notes["acc_file"], notes["gyr_file"] = acc_name, gyr_name
    notes["acc_sign"] = decided
    notes["start_unix_s"] = f"{base * 1e-9:.9f}"
    return acc, gyr, device, notes, warnings


def _fix_acc_sign(acc: _Stream, platform: str, ios_standardised: bool) -> tuple[_Stream, str]:
    """Make acc specific force with Android's signs (iOS negates all three axes).

    The data cannot tell: negating ``f`` keeps ``df/dt = f x omega`` true, and gravity's
    direction in the phone frame depends on how the phone was worn. So the platform decides.
    """
    sign, why = sl_acc_sign(platform, ios_standardised)
    if sign < 0:
        return replace(acc, values=-acc.values), (
            f"{why} (metadata.csv platform)"
        )
    return acc, why


# ----------------------------------------------------------------------------- phyphox
def _px_read(name: str, data: bytes) -> pd.DataFrame:
    head = _header(data)
    if "\t" in head:
        return _read_csv(name, data, sep="\t")
    if ";" in head:
        return _read_csv(name, data, sep=";", decimal=",")
    return _read_csv(name, data)


def _px_starts(members: dict[str, bytes], folder: str) -> list[tuple[float, float]]:
    """The STARTs of ``folder/meta/time.csv``: (experiment time, Unix time) each, s.

    phyphox's experiment time stands still while the measurement is paused, and each START
    (the first, and each resume) gives the Unix time at that experiment time. Empty when the
    file is missing or unreadable.
    """
    key = f"{folder}/meta/time.csv" if folder else "meta/time.csv"
    data = members.get(key)
    if data is None:
        return []
    try:
        frame = _px_read(key, data + b"\n")
    except RecordingError:
        try:
            frame = pd.read_csv(io.BytesIO(data))
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
            return []
        frame.columns = [str(c).strip() for c in frame.columns]
    if "event" not in frame.columns or "system time" not in frame.columns:
        return []
    starts = frame[frame["event"].astype(str).str.strip().str.upper() == "START"]
    exp = pd.to_numeric(starts.get("experiment time", pd.Series(0.0, index=starts.index)),
                        errors="coerce").to_numpy(dtype=np.float64)
    unix = pd.to_numeric(starts["system time"], errors="coerce").to_numpy(dtype=np.float64)
    ok = np.isfinite(exp) & np.isfinite(unix)
    return sorted(zip(exp[ok].tolist(), unix[ok].tolist(), strict=True))


def _px_resumed(t: FloatArray, starts: list[tuple[float, float]]) -> tuple[FloatArray, float]:
    """Experiment times ``t`` (s) as seconds since the first START, pauses included.

    A paused measurement's experiment time skips the pause: 4 minutes paused between two
    sets read as a 1-minute rest, and every time after it 4 minutes early. Each sample is
    placed by the last START (resume) at or before it; the pause is then a stretch with no
    samples, a gap. Returns the times and the pauses' total, s.
    """
    if len(starts) < 2:
        return t, 0.0
    exp = np.array([e for e, _ in starts])
    shift = np.array([u - e for e, u in starts]) - (starts[0][1] - starts[0][0])
    # Never back in time: a clock set back during a pause would fold later samples into
    # earlier ones.
    shift = np.maximum.accumulate(np.maximum(shift, 0.0))
    which = np.clip(np.searchsorted(exp, t, side="right") - 1, 0, len(exp) - 1)
    return t + shift[which], float(shift[-1])


PX_PAUSE_MIN_S = 0.05
"""A resume this much or more after its pause is a pause told (two STARTs a few ms apart,
the app's own restart, are none), s."""


def _px_pauses(starts: list[tuple[float, float]]) -> int:
    """How many of ``starts`` resume after a pause of :data:`PX_PAUSE_MIN_S` or more."""
    return len(_px_paused_s(starts))


def _px_paused_s(starts: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The pauses before ``starts``' resumes, (start, end) in s since the first START.

    On the clock of :func:`_px_resumed`'s times: a resume at experiment time ``e`` ends the
    pause that began at ``e`` plus the pauses before it. Only pauses of
    :data:`PX_PAUSE_MIN_S` or more (as :func:`_px_pauses` counts them).
    """
    if len(starts) < 2:
        return ()
    shift = np.array([u - e for e, u in starts]) - (starts[0][1] - starts[0][0])
    shift = np.maximum.accumulate(np.maximum(shift, 0.0))  # as _px_resumed places samples
    return tuple(
        (e + float(shift[i - 1]), e + float(shift[i]))
        for i, (e, _) in enumerate(starts) if i and shift[i] - shift[i - 1] >= PX_PAUSE_MIN_S
    )


def _px_between(pauses: tuple[tuple[float, float], ...],
                t: FloatArray) -> tuple[tuple[float, float], ...]:
    """The ``pauses`` that fall between the first and the last of the samples at ``t``.

    A pause before the first sample (paused at once, resumed later) or after the last one
    leaves no gap in the samples: review 24's ``imu info`` warned of "a gap with no samples"
    and said "gaps none". ``t`` and the pauses on :func:`_px_resumed`'s clock, s.
    """
    if t.size == 0:
        return ()
    first, last = float(np.min(t)), float(np.max(t))
    return tuple((a, b) for a, b in pauses if first < a and b <= last)


def _phyphox(path: Path) -> tuple[_Stream, _Stream, str, dict[str, str], list[str]]:
    members = _members(path)
    warnings: list[str] = []
    found: dict[str, tuple[pd.DataFrame, str, float | None]] = {}
    resumes: dict[str, list[tuple[float, float]]] = {}  # sensor -> its export's STARTs
    tables: dict[str, dict[bytes, str]] = {}  # sensor -> distinct content -> first name
    linear = False
    for name, data in members.items():
        if not name.lower().endswith(".csv") or "/meta/" in f"/{name}":
            continue
        if PX_TIME not in _header(data):
            continue
        frame = _px_read(name, data)
        folder = name.replace("\\", "/").rsplit("/", 1)[0] if "/" in name else ""
        timeline = _px_starts(members, folder)
        # Unix time of experiment time 0, by the first START.
        start = timeline[0][1] - timeline[0][0] if timeline else None
        for key, cols in (("acc", PX_ACC), ("gyr", PX_GYR)):
            if all(c in frame.columns for c in cols):
                tables.setdefault(key, {}).setdefault(data, name)
                if key not in found:
                    found[key] = (frame, name, start)
                    resumes[key] = timeline
        linear |= all(c in frame.columns for c in PX_LINEAR)
    for key, what in (("acc", "acceleration"), ("gyr", "gyroscope")):
        names = list(tables.get(key, {}).values())  # one per distinct table
        if len(names) > 1:
            raise ImportOptionsError(
                f"{path}: holds {len(names)} phyphox {what} tables ({_listed(names)}), "
                "from different measurements; give one measurement's export (its zip, or a "
                "folder with its 'Acceleration with g' and 'Gyroscope' exports only)"
            )
    if "acc" not in found:
        why = (
            "it holds 'Linear Acceleration' (without g), which lacks gravity; record with the "
            "'Acceleration with g' experiment"
            if linear
            else "record with the 'Acceleration with g' experiment"
        )
        beside = _px_beside(path, PX_ACC)
        if beside and "gyr" in found:
            why = _px_pass_folder(path, beside, "acceleration")
        raise ImportOptionsError(
            f"{path}: no phyphox acceleration columns {list(PX_ACC)}; {why}"
        )
    if "gyr" not in found:
        beside = _px_beside(path, PX_GYR)
        why = (
            _px_pass_folder(path, beside, "gyroscope") if beside
            else "record the 'Gyroscope' experiment too (export both, e.g. into one folder)"
        )
        raise ImportOptionsError(f"{path}: no phyphox gyroscope columns {list(PX_GYR)}; {why}")
    streams = {}
    starts = {k: v[2] for k, v in found.items()}
    same_table = found["acc"][1] == found["gyr"][1]
    use_abs = not same_table and all(s is not None for s in starts.values())
    if not same_table and not use_abs:
        warnings.append(
            "acceleration and gyroscope come from separate phyphox exports without "
            "meta/time.csv: assumed to have started at the same moment; export as zip to keep "
            "their start times"
        )
    for key, cols in (("acc", PX_ACC), ("gyr", PX_GYR)):
        frame, name, start = found[key]
        sub = frame[[PX_TIME, *cols]].apply(pd.to_numeric, errors="coerce")
        timed = sub[PX_TIME].notna().to_numpy()
        sub = sub[timed]  # rows with unreadable values stay, as NaN, to be counted
        t = sub[PX_TIME].to_numpy(dtype=np.float64)
        raw_t = t.copy()
        t, _ = _px_resumed(t, resumes[key])
        pauses = _px_between(_px_paused_s(resumes[key]), t)
        paused_s = sum(b - a for a, b in pauses)
        n = len(pauses)
        if n and key == "acc":
            warnings.append(
                f"the measurement was paused {'once' if n == 1 else f'{n} times'} in phyphox "
                f"({paused_s:.{0 if paused_s >= 10 else 1}f} s in all, by meta/time.csv): "
                "the time runs on over each "
                "pause, which is a gap with no samples (a rep there is not counted)")
        if use_abs and start is not None:
            t = t + start
            pauses = tuple((a + start, b + start) for a, b in pauses)
        streams[key] = _Stream(
            t, sub[list(cols)].to_numpy(dtype=np.float64), name, int(np.count_nonzero(~timed)),
            rows=np.flatnonzero(timed).astype(np.int64), n_read=len(frame), cols=cols,
            time_col=PX_TIME, raw_t=raw_t, untimed=np.flatnonzero(~timed).astype(np.int64),
            paused_s=pauses,
        )
    if streams["acc"].t_s.size == 0 or streams["gyr"].t_s.size == 0:
        raise ImportOptionsError(f"{path}: the phyphox export holds no rows with a time")
    base = min(_earliest(streams["acc"].t_s), _earliest(streams["gyr"].t_s))
    acc, gyr = (replace(s, t_s=s.t_s - base,
                        paused_s=tuple((a - base, b - base) for a, b in s.paused_s))
                for s in (streams["acc"], streams["gyr"]))
    notes = {"import_format": "phyphox", "acc_file": acc.label, "gyr_file": gyr.label}
    if use_abs:
        notes["start_unix_s"] = f"{base:.6f}"
    elif same_table and starts["acc"] is not None:
        notes["start_unix_s"] = f"{base + (starts['acc'] or 0.0):.6f}"
    return acc, gyr, "phone (phyphox)", notes, warnings


def _px_beside(path: Path, cols: tuple[str, ...]) -> list[str]:
    """Names of the CSV files beside ``path`` (one phyphox CSV) whose header has ``cols``.

    Empty when ``path`` is no CSV file (a zip or a folder is read whole). Only the first
    line of each file is read.
    """
    if looks_like_zip(path):
        return _px_zips_beside(path, cols)
    if not (path.is_file() and path.suffix.lower() == ".csv"):
        return []
    names = []
    try:
        others = sorted(path.parent.iterdir())
    except OSError:
        return []
    for other in others:
        if other.name == path.name or other.suffix.lower() != ".csv":
            continue
        try:
            with other.open("rb") as f:
                header = _header(f.read(4096))
        except OSError:  # a folder named *.csv, a file gone or not readable
            continue
        fields = set(_header_fields(header))
        if set(cols) <= fields:  # whole names: "Linear Acceleration x" is not "Acceleration x"
            names.append(other.name)
    return names


def _px_zips_beside(path: Path, cols: tuple[str, ...]) -> list[str]:
    """Names of the zips beside ``path`` (one phyphox zip) holding a table with ``cols``.

    phyphox exports each experiment as its own zip ("Acceleration with g ...zip",
    "Gyroscope ...zip"); one given alone lacks the other sensor (trial 21: the advice was to
    record again, with the partner zip beside it). A damaged zip is passed over.
    """
    try:
        others = sorted(p for p in path.parent.iterdir()
                        if p != path and p.is_file() and p.suffix.lower() == ".zip")
    except OSError:
        return []
    names = []
    for other in others:
        try:
            with zipfile.ZipFile(other) as zf:  # the CSVs' first lines only
                heads = [_header(zf.open(info).read(4096)) for info in zf.infolist()
                         if info.filename.lower().endswith(".csv")
                         and "/meta/" not in f"/{info.filename}"]
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
            continue  # damaged, encrypted or not a zip: passed over
        for header in heads:
            fields = set(_header_fields(header))
            if set(cols) <= fields:
                names.append(other.name)
                break
    return names


def _px_pass_folder(path: Path, beside: Sequence[str], what: str) -> str:
    """The fix for one phyphox CSV whose partner (``beside``, the ``what`` file) sits beside it.

    The file alone lacks a sensor that the folder has: one recording is made of both
    files when their folder is given (as a Sensor Logger export's folder is read whole),
    so the advice names the folder, not another recording.
    """
    folder = str(path.parent)
    folder = folder if folder.endswith("/") else f"{folder}/"
    return (
        f"the {what} is in {_listed(list(beside))} beside it: give their folder, {folder}, "
        "instead of the file, to import both as one recording"
    )


# ----------------------------------------------------------------------------- joining
def _earliest(t: FloatArray) -> float:
    """The earliest finite time (0.0 when none is finite)."""
    finite = t[np.isfinite(t)]
    return float(np.min(finite)) if finite.size else 0.0


APP_TIME: Final = {
    "phyphox": f"phyphox writes {PX_TIME!r} in seconds since the experiment started, to the "
    "microsecond",
    "sensor-logger": "Sensor Logger writes 'time' in nanoseconds since 1970",
    "polar-sensor-logger": "Polar Sensor Logger writes 'sensor timestamp [ns]' in nanoseconds "
    "since 2000-01-01 (the sensor's clock)",
}
"""How each app writes its time column: the units are the app's, no option changes them."""

APP_NAME: Final = {"phyphox": "phyphox", "sensor-logger": "Sensor Logger",
                   "polar-sensor-logger": "Polar Sensor Logger"}


def _not_the_apps_time(fmt: str, separate: bool = False) -> str:
    """What to do about a time column that is not what the app writes.

    ``separate``: the accelerometer and gyroscope come from separate files (a folder or zip
    export), which a plain CSV import (``--format csv``, one file) cannot read as they are.
    """
    app = APP_NAME.get(fmt, "the app")
    fix = (
        " again with the app's own time, or join the accelerometer and gyroscope files into one"
        " CSV (time, acc and gyro columns) and read that as a plain CSV (--format csv, where"
        " --time-col, --time-unit and --rate apply; it reads one file, not separate ones)"
        if separate
        else " again, or read the file as a plain CSV (--format csv, where --time-col, "
        "--time-unit and --rate apply)"
    )
    return (
        f"{APP_TIME.get(fmt, 'the app writes its own time')}, so this is not the app's own "
        f"column (converted or edited?): export the recording from {app}{fix}"
    )


APP_UNITS: Final = {
    "sensor-logger": ("m/s^2", "rad/s"),
    "phyphox": ("m/s^2", "rad/s"),
    "polar-sensor-logger": ("mg", "deg/s"),
}
"""The units each app writes (accelerometer, gyroscope): no option changes them."""

_PER_M_S2: Final = {"m/s^2": 1.0, "mg": 1000.0 / G}
_PER_RAD_S: Final = {"rad/s": 1.0, "deg/s": 180.0 / math.pi}


def app_unit_problem(exc: UnitCheckError, path: Path, fmt: str, acc: _Stream,
                     gyr: _Stream) -> str:
    """The message of a unit or layout check that failed on an app's export, in its terms.

    The CSV importer's advice (pass ``--gyr-unit deg/s``, check ``--acc-cols``) does not
    apply: the app writes its own units and columns, and the table options are ignored for
    its export. So the message names what looks wrong, read in the units the app writes, and
    that the file was edited, converted or exported with other settings; the fix is a fresh
    export, or reading the values as a plain CSV with the options that fit them (the exact
    form). Every check that raises :class:`imu.io.csv_import.UnitCheckError` is worded here,
    by its ``kind``: a unit ("unit", "range"), no stable rest ("no-rest"), the two sensors'
    values swapped ("swapped"), units changing part-way ("mixed"), a gyro turning the other
    way than the accelerometer ("direction"; "direction-doubt" for the warning of two that
    barely agree, without the path).

    Args:
        exc: the check's error (its finding and what the values look like).
        path: the export, as given.
        fmt: the app (:data:`PHONE_FORMATS`).
        acc: the accelerometer's stream (its file is named).
        gyr: the gyroscope's stream.

    """
    app = APP_NAME.get(fmt, fmt)
    acc_unit, gyr_unit = APP_UNITS.get(fmt, ("m/s^2", "rad/s"))
    other = "edited, converted or exported with other settings?"
    again = f"Export the recording from {app} again"
    if exc.kind == "no-rest":
        return (
            f"{path}: read in {app}'s unit ({acc_unit}), {exc.finding}, so there is no "
            f"gravity to check {acc.label}'s values against (its quietest moments read "
            f"{_in_app_acc(exc.rest_m_s2, acc_unit)}); {app} writes the accelerometer in "
            f"{acc_unit} with gravity in it: was the sensor worn and recording, or was "
            f"{acc.label} {other} {again}, or "
            f"{_plain_csv(fmt, acc, gyr, acc, '--no-unit-check')}; --no-unit-check imports "
            f"it as it is, in {app}'s units"
        )
    if exc.kind == "swapped":
        return (
            f"{path}: read in {app}'s units ({acc_unit}, {gyr_unit}), {exc.finding}: "
            f"{_swapped_where(acc, gyr)}; {app} writes each sensor's own values there: "
            f"{other} {again}, or {_plain_csv(fmt, acc, gyr, acc, '', swap=True)}"
        )
    if exc.kind == "mixed":
        if exc.sensor == "acc":
            levels = exc.levels_m_s2 or (math.nan, math.nan)
            what, unit, change = "the accelerometer", acc_unit, (
                f"{acc.label}'s magnitude at rest reads {_in_app_acc(levels[0], acc_unit)} "
                f"and, from {exc.at_s:.2f} s into the recording, "
                f"{_in_app_acc(levels[1], acc_unit)} ({exc.finding})")
            stream = acc
        else:
            what, unit, stream = "the gyroscope", gyr_unit, gyr
            change = (f"{gyr.label}'s scale changes {exc.at_s:.2f} s into the recording: "
                      f"{exc.finding}")
        return (
            f"{path}: read in {app}'s unit ({unit}), {change}; {app} writes {what} in {unit} "
            f"throughout, so a part of {stream.label} is in another unit: edited, converted, "
            f"pasted together from two exports or exported with other settings? {again}, or "
            f"convert those rows to {unit} and "
            f"{_plain_csv(fmt, acc, gyr, stream, '')}; --no-unit-check imports it as it is"
        )
    if exc.kind == "direction-doubt":  # a warning: the import goes on
        return (
            f"{exc.finding}: their axes may be in another order; {app} writes the "
            "accelerometer and the gyroscope in one frame (the same axes and signs), so the "
            f"axes of {_files(acc, gyr)} may have been changed: {other} {again}, or "
            f"{_plain_csv(fmt, acc, gyr, gyr, '', direction=True)}; else the phases, range "
            "and arch measured are wrong"
        )
    if exc.kind == "direction":
        return (
            f"{path}: read as {app} writes them, {exc.finding}; {app} writes the "
            "accelerometer and the gyroscope in one frame (the same axes and signs), so "
            f"the axes or signs of {_files(acc, gyr)} were changed: {other} "
            f"{again}, or {_plain_csv(fmt, acc, gyr, gyr, '', direction=True)}; "
            "--no-unit-check imports it as it is"
        )
    looks: str | None
    if exc.kind == "range":  # values beyond any sensor's full scale
        unit = acc_unit if exc.sensor == "acc" else gyr_unit
        finding = f"read in {app}'s unit ({unit}), {exc.finding}"
        looks = (exc.looks or None) if exc.sensor == "acc" else (
            "deg/s" if unit == "rad/s" and exc.looks == "deg/s" else None)
    elif exc.sensor == "acc":
        unit = acc_unit
        raw = exc.rest_m_s2 * _PER_M_S2[unit]
        reading = f"{raw:.4g} {unit}" + (
            "" if unit == "m/s^2" else f" ({exc.rest_m_s2:.4g} m/s^2)")
        gravity = f"{G * _PER_M_S2[unit]:.4g} {unit}"
        finding = (f"read in {app}'s unit ({unit}), the acceleration magnitude at rest is "
                   f"{reading}, not gravity ({gravity})")
        looks = acc_unit_guess(raw)
    else:
        unit = gyr_unit
        finding = f"read in {app}'s unit ({unit}), {exc.finding}"
        f = exc.gyr_factor
        looks = ("deg/s" if unit == "rad/s" and f > 1.0
                 else "rad/s" if unit == "deg/s" and f < 1.0 else None)
    stream, what, flag = ((acc, "the accelerometer", "--acc-unit") if exc.sensor == "acc"
                          else (gyr, "the gyroscope", "--gyr-unit"))
    values = f"{stream.label}'s values"
    seems = (f", but {values} look like {looks}" if looks
             else f", and {values} fit neither it nor another unit")
    given = f"{flag} {looks}" if looks else f"{flag} set to the unit they are in"
    example = f"{flag} {looks}" if looks else f"{flag} UNIT"
    fix = (
        "join the accelerometer and gyroscope files into one CSV (time, acc and gyro "
        f"columns) and read that as a plain CSV with {given} (e.g. imu convert JOINED.csv "
        f"OUT.parquet {example})"
        if acc.label != gyr.label
        else f"read {stream.label} as a plain CSV with {given} (--format csv, with --time-col, "
        f"--acc-cols and --gyr-cols naming its columns; imu convert writes a recording)"
    )
    return (
        f"{path}: {finding}; {app} writes {what} in {unit}{seems}: {other} {again}, or "
        f"{fix}; --no-unit-check skips this check"
    )


def _in_app_acc(m_s2: float, unit: str) -> str:
    """An acc magnitude (m/s^2) in the app's unit, and the unit it looks like, for messages."""
    raw = m_s2 * _PER_M_S2[unit]
    low, high = GRAVITY_PLAUSIBLE_M_S2
    looks = unit if low <= m_s2 <= high else acc_unit_guess(raw)
    if looks == "counts" and m_s2 <= ABSURD_ACC_G * G:  # within full scale: no unit's gravity
        looks = None
    return f"{raw:.4g} {unit}" + (f" (like {looks})" if looks else "")


def _files(acc: _Stream, gyr: _Stream) -> str:
    """The export's file(s), for messages."""
    return acc.label if acc.label == gyr.label else f"{acc.label} or {gyr.label}"


def _swapped_where(acc: _Stream, gyr: _Stream) -> str:
    """Where the two sensors' values look swapped, for messages."""
    if acc.label != gyr.label:
        return (f"{acc.label} looks like it holds the gyroscope's values and {gyr.label} "
                "the accelerometer's (renamed?)")
    return (f"the accelerometer's columns ({', '.join(acc.cols)}) look like they hold the "
            f"gyroscope's values and the gyroscope's ({', '.join(gyr.cols)}) the "
            "accelerometer's")


_PLAIN_UNITS: Final = {"polar-sensor-logger": "--acc-unit g --gyr-unit deg/s"}
"""The plain CSV options for an app's units where they are not the defaults (m/s^2, rad/s);
Polar's mg is given as g (the values divided by 1000)."""


def _plain_csv(fmt: str, acc: _Stream, gyr: _Stream, stream: _Stream, options: str,
               swap: bool = False, direction: bool = False) -> str:
    """How to read the export as a plain CSV (``--format csv``) with ``options``, exactly.

    One file holding both sensors (phyphox's Raw Data.csv) gets the whole command, with its
    columns named (``swap``: the acc and gyro columns the other way round); separate files
    are joined into one CSV first (``--format csv`` reads one file). ``direction``: the gyro's
    columns named in the accelerometer's axis order and sign.
    """
    units = _PLAIN_UNITS.get(fmt, "")
    flags = " ".join(f for f in (units, options) if f)
    if acc.label != gyr.label:
        if swap:
            cols = ("with the values of " + gyr.label + " as acc_x, acc_y, acc_z and those of "
                    + acc.label + " as gyr_x, gyr_y, gyr_z")
        elif direction:
            cols = ("with the gyroscope's x, y, z (gyr_x, gyr_y, gyr_z) in the same order and "
                    "sign as the accelerometer's (acc_x, acc_y, acc_z)")
        else:
            cols = "with time, acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z columns"
        mg = " and the acceleration in g (mg / 1000)" if "--acc-unit g" in units else ""
        return (f"join the accelerometer and gyroscope files into one CSV {cols}{mg}, and read "
                f"that as a plain CSV (imu convert JOINED.csv OUT.parquet --format csv"
                f"{' ' + flags if flags else ''})")
    acc_cols, gyr_cols = (gyr.cols, acc.cols) if swap else (acc.cols, gyr.cols)
    command = (
        f"imu convert {shlex.quote(stream.label)} OUT.parquet --format csv --time-col "
        f"{shlex.quote(acc.time_col)} --acc-cols {shlex.quote(','.join(acc_cols))} "
        f"--gyr-cols {shlex.quote(','.join(gyr_cols))}{' ' + flags if flags else ''}"
    )
    order = (", with --gyr-cols naming the gyroscope's x, y, z in the accelerometer's order "
             "(negate columns in the file where the sign differs)" if direction else "")
    return f"read {stream.label} as a plain CSV ({command}){order}"


def _empty_fix(fmt: str) -> Callable[[Sequence[str], bool], str]:
    def fix(cols: Sequence[str], all_empty: bool) -> str:
        if all_empty:
            return (
                f"the file holds no usable samples: export the recording from "
                f"{APP_NAME.get(fmt, 'the app')} again"
            )
        return (
            "fill or fix the column, cut the file to the rows that have every value, or "
            f"export the recording from {APP_NAME.get(fmt, 'the app')} again"
        )

    return fix


def _clean(s: _Stream, fmt: str = "", separate: bool = False) -> tuple[_Stream, list[Repair]]:
    """Sort by time, drop rows with a repeated timestamp or a non-finite value; say so.

    Refuses (as the CSV importer does, in the app's terms) a stream that would lose more than
    :data:`MAX_INCOMPLETE_SHARE` of its rows to empty values, a timestamp far off
    (:func:`imu.io.csv_import.check_far_timestamps`), and times so coarse that more than
    :data:`MAX_TIME_REPAIR_SHARE` of the rows repeat the previous row's time with other values.
    """
    rows = s.rows if s.rows is not None else np.arange(s.t_s.size, dtype=np.int64)
    raw = s.raw_t if s.raw_t is not None else s.t_s
    finite_t = np.isfinite(s.t_s)
    _check_complete(s, rows, finite_t, fmt)
    t0, v0, r0, raw0 = s.t_s[finite_t], s.values[finite_t], rows[finite_t], raw[finite_t]
    n_unordered = int(np.count_nonzero(np.diff(t0) < 0))
    order = np.argsort(t0, kind="stable")
    t, v = t0[order], v0[order]
    check_far_timestamps(
        s.label, t, r0[order], raw0[order], repr(s.time_col),
        fix=f"fix or remove that row; {APP_TIME.get(fmt, 'the app writes its own time')}",
    )
    distinct = np.concatenate(([True], np.diff(t) > 0)) if t.size else np.zeros(0, bool)
    same = np.concatenate(([False], np.all((v[1:] == v[:-1]) | (np.isnan(v[1:])
                                                                 & np.isnan(v[:-1])), axis=1)))
    n_conflicting = int(np.count_nonzero(~distinct & ~same))
    if n_conflicting > max(1, MAX_TIME_REPAIR_SHARE * t.size):
        times = np.unique(t)
        spread = (
            f"its {times.size} distinct times are at least {float(np.min(np.diff(times))):.3g} "
            "s apart: the times are too coarse (rounded?)"
            if times.size > 1
            else "every row has the same time"
        )
        raise ImportOptionsError(
            f"{s.label}: {n_conflicting} of {t.size} rows ({n_conflicting / t.size:.0%}) repeat "
            f"the time of the row before in {s.time_col!r} with other values, so dropping them "
            f"would lose that data (an import drops at most {MAX_TIME_REPAIR_SHARE:.0%}); "
            f"{spread}; {_not_the_apps_time(fmt, separate)}"
        )
    finite = np.isfinite(v).all(axis=1)
    n_dup = int(np.count_nonzero(~distinct))
    n_bad = int(np.count_nonzero(distinct & ~finite)) + int(np.count_nonzero(~finite_t))
    n_bad += s.n_dropped
    keep = distinct & finite
    repairs = [
        Repair("incomplete", n_bad, f"{plural(n_bad, 'row')} of {s.label} with empty, "
               "unreadable or infinite values dropped"),
        Repair("unordered", n_unordered, f"{plural(n_unordered, 'row')} of {s.label} out of "
               "time order sorted"),
        Repair("duplicate", n_dup, f"{plural(n_dup, 'row')} of {s.label} with a repeated "
               "timestamp dropped"),
    ]
    kept = replace(s, t_s=t[keep], values=v[keep], rows=r0[order][keep], raw_t=None)
    return kept, [r for r in repairs if r.count]


def _check_complete(s: _Stream, rows: npt.NDArray[np.int64], finite_t: BoolArray,
                    fmt: str) -> None:
    """Refuse a stream losing too many rows to empty values, naming the columns.

    Too many: more than :data:`MAX_INCOMPLETE_SHARE` of its rows have an empty, unreadable or
    infinite value (time or sensor), or every row has one.
    """
    untimed = s.untimed if s.untimed is not None else np.zeros(0, dtype=np.int64)
    n = rows.size + untimed.size
    bad_values = ~np.isfinite(s.values)
    n_bad = int(np.count_nonzero(~finite_t | bad_values.any(axis=1))) + untimed.size
    if n == 0 or (n_bad <= max(1, MAX_INCOMPLETE_SHARE * n) and n_bad < n):
        return
    empty = np.zeros((n, 1 + s.values.shape[1]), dtype=bool)
    empty[: rows.size, 0] = ~finite_t
    empty[: rows.size, 1:] = bad_values
    empty[rows.size :, 0] = True
    positions = np.concatenate((rows, untimed))
    order = np.argsort(positions, kind="stable")
    raise ImportOptionsError(
        incomplete_message(s.label, empty[order], (s.time_col, *s.cols), positions[order],
                           _empty_fix(fmt))
    )


def _check_timing(fmt: str, s: _Stream, stats: TimingStats, separate: bool = False) -> None:
    """Refuse a stream whose samples are spaced as no phone sensor samples.

    That is a time column in other units than the app's: said in the app's terms, never with
    the CSV options the phone import does not use.
    """
    low, high = PLAUSIBLE_RATE_HZ
    median = stats.median_interval_s
    rate = 1.0 / median if median > 0 else math.inf
    if low <= rate <= high and stats.effective_rate_hz < low and s.t_s.size > 1:
        # The CSV importer's words for this name --split-by and a session column, which a
        # phone export does not have.
        i = int(np.argmax(np.diff(s.t_s)))
        if s.rows is not None and s.rows.size == s.t_s.size and s.rows[i + 1] < s.rows[i]:
            # The later times come first in the file: the sensor's clock went back (trial
            # 23: a Polar clock restarting mid-file read as "a pause of 7.634e+08 s").
            back = int(np.min(s.rows[: i + 1])) + 1  # the first row of the later block, 1-based
            raise ImportOptionsError(
                f"{s.label}: the sensor's clock goes back by {stats.max_interval_s:.4g} s "
                f"at data row {back}: the sensor restarted (or two measurements were "
                "joined in one file); export each measurement on its own, or cut the file "
                "at that row"
            )
        raise ImportOptionsError(
            f"{s.label}: most samples are {median:.4g} s apart but they span "
            f"{stats.span_s:.4g} s, with a pause of {stats.max_interval_s:.4g} s after "
            f"{s.t_s[i] - s.t_s[0]:.1f} s: two measurements far apart in one export (stopped "
            f"and started again much later?); export each one on its own, or cut the file at "
            "that pause"
        )
    if low <= rate <= high:
        return
    looks = ""
    for unit, scale in (("milliseconds", 1e-3), ("microseconds", 1e-6), ("nanoseconds", 1e-9)):
        if median > 0 and 20.0 <= 1.0 / (median * scale) <= 1000.0:
            looks = f" (the times look like {unit}: {1.0 / (median * scale):.4g} Hz then)"
            break
    raise ImportOptionsError(
        f"{s.label}: most samples are {median:.4g} s apart when {s.time_col!r} is read as the "
        f"app writes it, {rate:.4g} Hz, which no phone sensor gives{looks}; "
        f"{_not_the_apps_time(fmt, separate)}"
    )


def _n_interpolated(grid: FloatArray, ok: BoolArray, streams: tuple[_Stream, ...]) -> int:
    """Grid points (where ``ok``) whose value of either sensor lies between two samples."""
    off = np.zeros(grid.size, dtype=bool)
    for s in streams:
        right = np.clip(np.searchsorted(s.t_s, grid), 1, s.t_s.size - 1)
        distance = np.minimum(np.abs(grid - s.t_s[right - 1]), np.abs(s.t_s[right] - grid))
        off |= distance > ON_SAMPLE_S
    return int(np.count_nonzero(ok & off))


def _join(
    path: Path, fmt: str, acc: _Stream, gyr: _Stream, device: str, notes: dict[str, str],
    warnings: list[str], rate_hz: float | None, max_gap_s: float, check_units: bool = True,
) -> ImportedRecording:
    """Both sensors on one grid over the whole time either recorded; checks, report, notes.

    Where only one sensor has samples (one file starts later or ends earlier than the other),
    the grid keeps its place as a gap (NaN) whose reason names the sensor, and the repair line
    says how many seconds of which file could not be used: nothing is cut off silently.
    """
    repairs = [*acc.repairs, *gyr.repairs]
    rows_read = {s.label: s.rows_read for s in (acc, gyr)}
    separate = acc.label != gyr.label  # one file each: --format csv cannot read them as is
    (acc, acc_repairs) = _clean(acc, fmt, separate)
    (gyr, gyr_repairs) = _clean(gyr, fmt, separate)
    repairs += [*acc_repairs, *gyr_repairs]
    for s in (acc, gyr):
        if s.t_s.size < 2:
            raise ImportOptionsError(f"{path}: {s.label} has fewer than 2 usable samples")
    stats = {s.label: timing_stats(s.t_s, max_gap_s) for s in (acc, gyr)}
    for s in (acc, gyr):
        _check_timing(fmt, s, stats[s.label], separate)
    rate_how: str | None = None
    if rate_hz is not None:  # a grid the user chose: not far above what the sensors give
        check_upsampling(str(path), rate_hz, estimate_rate_hz(stats[acc.label])[0], given=True)
    if rate_hz is None:
        rate_hz, how = estimate_rate_hz(stats[acc.label])
        rate_how = f"the accelerometer's {how.removeprefix('estimated from the ')}"
        notes["rate_from"] = f"accelerometer: {how}"
    shared_s = min(acc.t_s[-1], gyr.t_s[-1]) - max(acc.t_s[0], gyr.t_s[0])
    longest_s = max(acc.t_s[-1] - acc.t_s[0], gyr.t_s[-1] - gyr.t_s[0])
    if 0.0 <= shared_s < 2.0 / rate_hz and longest_s < 4.0 / rate_hz:  # 3 samples each
        raise ImportOptionsError(
            f"{path}: too short to import: the accelerometer ({acc.t_s[0]:.2f}-"
            f"{acc.t_s[-1]:.2f} s) and gyroscope ({gyr.t_s[0]:.2f}-{gyr.t_s[-1]:.2f} s) "
            f"recordings share {shared_s:.2f} s, under two samples at {rate_hz:.4g} Hz; "
            "record for longer (a set and the rest around it)"
        )
    if shared_s < 2.0 / rate_hz:
        raise ImportOptionsError(
            f"{path}: the accelerometer ({acc.t_s[0]:.2f}-{acc.t_s[-1]:.2f} s) and gyroscope "
            f"({gyr.t_s[0]:.2f}-{gyr.t_s[-1]:.2f} s) recordings do not overlap in time"
        )
    start, end = _span((acc.t_s[0], gyr.t_s[0]), (acc.t_s[-1], gyr.t_s[-1]), max_gap_s)
    grid = uniform_grid_s(np.array([start]), rate_hz, end_s=end, where=str(path))
    a, ok_a = resample_at(acc.t_s, acc.values, grid, max_gap_s)
    w, ok_w = resample_at(gyr.t_s, gyr.values, grid, max_gap_s)
    ok = ok_a & ok_w
    reasons = _gap_reasons(grid, ((acc, ok_a, "accelerometer"), (gyr, ok_w, "gyroscope")),
                           max_gap_s)
    _mark_paused(reasons, grid, (*acc.paused_s, *gyr.paused_s), max_gap_s)
    repairs += _span_repairs(grid, rate_hz, acc, gyr)
    frame = pd.DataFrame(
        {
            "time_s": grid[ok] - grid[0],
            **{c: a[ok, i] for i, c in enumerate(("acc_x", "acc_y", "acc_z"))},
            **{c: w[ok, i] for i, c in enumerate(("gyr_x", "gyr_y", "gyr_z"))},
        }
    )
    options = CsvOptions(
        time_origin="relative", rate_hz=rate_hz, max_gap_s=max_gap_s, device=device,
        check_units=check_units,
    )
    try:
        imported = import_frame(
            frame, options, source=str(path), extra_repairs=tuple(repairs),
            rate_estimated_as=rate_how,
        )[0]
    except UnitCheckError as exc:  # its advice (--acc-unit...) is a CSV's: the app's here
        raise ImportOptionsError(app_unit_problem(exc, path, fmt, acc, gyr)) from exc
    rec, report = _on_full_grid(imported, ok, reasons)
    timing_lines = []
    for kind, s in (("accelerometer", acc), ("gyroscope", gyr)):
        st = stats[s.label]
        line = (
            f"{kind} {s.label}: {st.n_samples} samples, median interval "
            f"{st.median_interval_s * 1e3:.2f} ms ({1 / st.median_interval_s:.1f} Hz), jitter "
            f"{st.jitter_s * 1e3:.2f} ms, bursty {st.bursty_share:.0%}, largest interval "
            f"{st.max_interval_s:.3f} s"
        )
        timing_lines.append(f"sensor: {line}")
        notes[f"{kind}_timing"] = line
    # The report speaks of the files and the sensors' own timestamps, not of the grid the
    # checks above ran on: rows read per file, the accelerometer's timing (the grid's), and
    # the grid samples that fell between a sensor's samples.
    counts = {kind: sum(r.count for r in repairs if r.kind == kind)
              for kind in ("incomplete", "unordered", "duplicate")}
    files = ", ".join(f"{label} {n}" for label, n in rows_read.items())
    report = replace(
        report,
        n_rows=sum(rows_read.values()),
        timing=stats[acc.label],
        estimated_rate_hz=estimate_rate_hz(stats[acc.label])[0],
        n_interpolated=_n_interpolated(grid, ok, (acc, gyr)),
        rows_line=(
            f"rows: {files} read; {counts['incomplete']} with empty, unreadable or infinite "
            f"values dropped, {counts['unordered']} out of time order (sorted), "
            f"{counts['duplicate']} repeated timestamps dropped; {report.n_implausible} grid "
            "samples with values beyond any sensor's full scale made a gap"
        ),
    )
    new_notes = {**rec.meta.notes, **notes, REPAIRS_NOTE: report.repairs.text()}
    start_unix = float(notes.get("start_unix_s", "0") or 0.0)
    rec = rec.with_meta(
        notes=new_notes,
        start_time_s=start_unix + float(grid[0]) if start_unix else 0.0,
        source=path.name,
    )
    sign = (f"acc sign: {notes['acc_sign']}",) if fmt == "sensor-logger" and "acc_sign" in notes \
        else ()
    checked = tuple(  # the gyro direction's doubt, whose CSV advice does not apply: the app's
        app_unit_problem(UnitCheckError(w, w.removesuffix(GYRO_DOUBT_ADVICE), "gyr",
                                        kind="direction-doubt"), path, fmt, acc, gyr)
        if w.endswith(GYRO_DOUBT_ADVICE) else w
        for w in report.warnings
    )
    report = replace(report, warnings=(*checked, *warnings), details=(*timing_lines, *sign))
    logger.info("imported %s export %s: %d samples at %g Hz", fmt, path, rec.n_samples, rate_hz)
    return ImportedRecording(rec, report, path.stem or "phone")


def _span(
    starts: tuple[float, float], ends: tuple[float, float], max_gap_s: float
) -> tuple[float, float]:
    """The grid's span ``(start, end)``, s, from both sensors' first and last times.

    Where a sensor starts later or ends earlier than the other by more than ``max_gap_s``, the
    span reaches the other's edge (that time becomes a gap, and is said); closer edges, the
    usual offset of two streams, are trimmed to the common span.
    """
    start = min(starts) if max(starts) - min(starts) > max_gap_s else max(starts)
    end = max(ends) if max(ends) - min(ends) > max_gap_s else min(ends)
    return start, end


def _gap_reasons(
    grid: FloatArray, sensors: tuple[tuple[_Stream, BoolArray, str], ...], max_gap_s: float
) -> npt.NDArray[np.object_]:
    """Per grid point, why it is a gap ("" where both sensors have samples).

    Args:
        grid: shape (m,), grid times, s.
        sensors: ``(stream, valid on the grid, "accelerometer"/"gyroscope")`` per sensor.
        max_gap_s: the gap limit, s (named in the reason of gaps inside a stream).

    """
    reasons = np.full(grid.size, "", dtype=object)
    for s, valid, kind in reversed(sensors):  # the accelerometer's reason wins where both miss
        reasons[~valid] = f"no {kind} samples for more than {max_gap_s:g} s"
        reasons[grid < s.t_s[0]] = f"no {kind} samples: {s.label} starts later"
        reasons[grid > s.t_s[-1]] = f"no {kind} samples: {s.label} ends earlier"
    return reasons


def _mark_paused(reasons: npt.NDArray[np.object_], grid: FloatArray,
                 paused_s: Sequence[tuple[float, float]], max_gap_s: float) -> None:
    """Give the gap points within a pause the reason ``paused in phyphox`` (in place).

    The samples either side of a pause lie up to a sample interval outside it: gap points
    within ``max_gap_s`` of its edges belong to it (a shorter stretch without samples is no
    gap at all). A gap that reaches further, the stream lost before or after the pause, keeps
    its own reason there.

    Args:
        reasons: shape (m,), from :func:`_gap_reasons` ("" where both sensors have samples).
        grid: shape (m,), grid times, s.
        paused_s: the pauses, (start, end) on the grid's clock, s.
        max_gap_s: the gap limit, s.

    """
    for a, b in paused_s:
        inside = (grid >= a - max_gap_s) & (grid <= b + max_gap_s) & (reasons != "")
        reasons[inside] = REASON_PAUSED_PHYPHOX


def _span_repairs(grid: FloatArray, rate_hz: float, acc: _Stream, gyr: _Stream) -> list[Repair]:
    """Say how long one sensor recorded without the other (that time becomes a gap)."""
    out = []
    for s, other, kind in ((acc, gyr, "accelerometer"), (gyr, acc, "gyroscope")):
        for n, edge, when in (
            (int(np.count_nonzero(grid < s.t_s[0])), "starts", "later"),
            (int(np.count_nonzero(grid > s.t_s[-1])), "ends", "earlier"),
        ):
            if n:
                seconds = n / rate_hz
                out.append(
                    Repair(
                        "sensor_span",
                        n,
                        f"{s.label} {edge} {seconds:.2f} s {when} than {other.label}: those "
                        f"{seconds:.2f} s ({plural(n, 'sample')}) have no {kind} data and are "
                        f"a gap (the {other.label} data there is not used)",
                    )
                )
    return out


def _on_full_grid(
    imported: ImportedRecording, ok: BoolArray, reasons: npt.NDArray[np.object_]
) -> tuple[Recording, ImportReport]:
    """Place the import back on the whole grid, with NaN where either sensor has no samples.

    The import was made from the grid points where both sensors have samples; every other
    grid point becomes a gap with its reason.

    Args:
        imported: the import of the rows where ``ok``; its sample 0 is the first of them.
        ok: shape (m,), both sensors have samples at the grid point.
        reasons: shape (m,), from :func:`_gap_reasons`.

    """
    rec, report = imported.recording, imported.report
    m = ok.size
    first = int(np.flatnonzero(ok)[0])
    k = min(rec.n_samples, m - first)
    acc = np.full((m, 3), np.nan)
    gyr = np.full((m, 3), np.nan)
    acc[first : first + k], gyr[first : first + k] = rec.acc[:k], rec.gyr[:k]
    acc[~ok], gyr[~ok] = np.nan, np.nan
    why = reasons.copy()
    for g in rec.meta.gaps:  # the import's own gaps, where the grid saw none
        lo, hi = first + g.start, first + min(g.end, k)
        if g.reason == REASON_IMPLAUSIBLE:  # values beyond any sensor's full scale
            why[lo:hi] = REASON_IMPLAUSIBLE
        else:  # e.g. a grid point between samples further apart than the gap limit
            part = why[lo:hi]
            part[part == ""] = g.reason
    # Every NaN sample is in a named gap, whatever left it empty.
    empty = (np.isnan(acc).any(axis=1) | np.isnan(gyr).any(axis=1)) & (why == "")
    why[empty] = "no samples"
    gaps = _runs(why)
    rate = rec.sampling_rate_hz
    lengths = [g.n_samples for g in gaps]
    meta = replace(rec.meta, gaps=gaps)
    report = replace(
        report,
        n_gaps=len(gaps),
        gap_total_s=sum(lengths) / rate,
        longest_gap_s=max(lengths, default=0) / rate,
        n_samples_out=m,
        duration_s=m / rate,
    )
    return Recording(acc, gyr, meta), report


def _runs(reasons: npt.NDArray[np.object_]) -> tuple[Gap, ...]:
    """Half-open runs of equal, non-empty reasons, in order."""
    gaps = []
    change = np.flatnonzero(reasons[1:] != reasons[:-1]) + 1
    bounds = [0, *change.tolist(), reasons.size]
    for i, j in itertools.pairwise(bounds):
        if reasons[i]:
            gaps.append(Gap(int(i), int(j), str(reasons[i])))
    return tuple(gaps)
