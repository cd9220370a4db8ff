"""Import the Polar Sensor Logger app's files: an ACC and a GYRO file joined into one recording.

Polar Sensor Logger (an Android app, not Polar's own) records a Polar sensor's streams to one
``;``-separated text file per stream, named ``Polar_<model>_<serial>_<YYYYMMDD>_<HHMMSS>_<STREAM>
.txt`` (e.g. ``Polar_Sense_0C301E3F_20240101_120000_ACC.txt``). The two this tool reads:

``..._ACC.txt``
    ``Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]``: acceleration including
    gravity in milli-g (a still sensor reads about 1000 mg).
``..._GYRO.txt``
    ``Phone timestamp;sensor timestamp [ns];X [dps];Y [dps];Z [dps]``: angular rate in deg/s.

``sensor timestamp [ns]`` is the sensor's own clock, nanoseconds since 2000-01-01 (Polar's
epoch), one per sample; ACC and GYRO come from the same clock, so the two files are joined on
it. The sensor's clock is often never set (it then starts from a date of the firmware's), so
the recording's start time comes from ``Phone timestamp``: the phone's local time when the
sample arrived (``2024-01-01T12:00:00.123``, no time zone; read as UTC like a CSV's zoneless
date-times, so the date and the clock time shown are the phone's), anchored on the sensor
clock by the median offset between the two.

The join is the phone exports' (:func:`imu.io.phone._join`): the accelerometer's and the
gyroscope's samples are linearly interpolated onto one uniform grid, a grid point between two
samples further apart than the gap limit is a gap (NaN, listed in ``meta.gaps``), time where
only one stream recorded is a gap naming it, and the repairs line says what was changed. The
grid's rate is the sensor's nominal rate (a Verity Sense streams at 26, 52, 104, 208 or 416 Hz)
nearest to what the accelerometer's timestamps show, or ``--rate``. Values become SI here, once:
mg x 9.80665e-3 -> m/s^2, deg/s x pi/180 -> rad/s (:mod:`imu.io.recorders.pmd`'s factors, those
of the live Polar path). Axes are the sensor's, as the live Polar path keeps them.

A user gives the ACC file, the GYRO file (the other is looked for beside it) or the folder
holding one recording's pair. Refused with a one-line message naming the file and the fix:
a recording with only one of the two files (the analysis needs both), files that do not
overlap in time or come from two sensors, a folder with several recordings' files, a truncated
last line, an empty file (said to be empty), and a file whose header is not the app's.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from imu.errors import ImportOptionsError, RecordingError
from imu.io.csv_import import (
    DECIMAL_COMMA,
    DEFAULT_MAX_GAP_S,
    POLAR_SL_TIME,
    ImportedRecording,
)
from imu.io.phone import _join, _Stream, import_phone
from imu.io.recorders.pmd import DPS_TO_RADS, MG_TO_MS2
from imu.io.recording import one_line, resolved

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

FORMAT: Final = "polar-sensor-logger"
"""The ``--format`` name of these files (a phone app's export, like ``sensor-logger``)."""
APP: Final = "Polar Sensor Logger"

PHONE_TIME: Final = "Phone timestamp"
SENSOR_TIME: Final = POLAR_SL_TIME
ACC_COLS: Final = ("X [mg]", "Y [mg]", "Z [mg]")
GYR_COLS: Final = ("X [dps]", "Y [dps]", "Z [dps]")
ACC_HEADER: Final = ";".join((PHONE_TIME, SENSOR_TIME, *ACC_COLS))
GYR_HEADER: Final = ";".join((PHONE_TIME, SENSOR_TIME, *GYR_COLS))

NOMINAL_RATES_HZ: Final = (26.0, 52.0, 104.0, 208.0, 416.0)
"""Rates a Polar Verity Sense streams ACC and GYRO at (SDK mode; 52 Hz out of the box), Hz."""
NOMINAL_TOLERANCE: Final = 0.05
"""A rate the timestamps show within this share of a nominal rate is that rate (a sensor's
crystal is off by far less; 52.03 Hz is 52 Hz)."""

StreamKind = Literal["acc", "gyr", "other"]

_NAME: Final = re.compile(
    r"^(?P<prefix>(?P<device>.+?)_(?P<stamp>\d{8}_\d{6}))_(?P<stream>[A-Za-z0-9]+)(?P<rest>.*)$"
)
"""``Polar_Sense_0C301E3F_20240101_120000_ACC``: device, date and time, stream."""
_STREAM_TAGS: Final = {"ACC": "acc", "GYRO": "gyr", "GYR": "gyr"}
_OTHER_TAGS: Final = ("HR", "RR", "PPI", "PPG", "ECG", "MAGN", "MAG", "MARKER")
_HEAD_BYTES: Final = 4096


# ----------------------------------------------------------------------------- recognising
def _fields(line: str) -> list[str]:
    """The ``;``-separated fields of a line, stripped, without a trailing empty one."""
    fields = [f.strip() for f in line.lstrip("\ufeff").strip().split(";")]
    while fields and not fields[-1]:
        fields.pop()
    return fields


def header_kind(header: str) -> StreamKind | None:
    """Which Polar Sensor Logger stream a header line is; None if it is not the app's.

    ``"acc"`` and ``"gyr"`` for exactly the app's ACC and GYRO headers (blanks around fields,
    case and a trailing ``;`` aside), ``"other"`` for any other line starting with the app's
    ``Phone timestamp`` column (its HR, PPG, ECG, MAGN... files, or another app's look-alike).
    """
    names = [f.casefold() for f in _fields(header)]
    if not names or names[0] != PHONE_TIME.casefold():
        return None
    if names == [c.casefold() for c in (PHONE_TIME, SENSOR_TIME, *ACC_COLS)]:
        return "acc"
    if names == [c.casefold() for c in (PHONE_TIME, SENSOR_TIME, *GYR_COLS)]:
        return "gyr"
    return "other"


def _name_parts(path: Path) -> tuple[str, str, str]:
    """``(prefix, device, stream tag)`` from an app's file name ("" where it does not say).

    ``prefix`` is the name without ``_<STREAM>...`` (the stem when the name is not the app's).
    """
    m = _NAME.match(path.stem)
    if m is None:
        stem = re.sub(r"_(ACC|GYRO?)$", "", path.stem, flags=re.IGNORECASE)
        return stem, "", ""
    return m["prefix"], m["device"], m["stream"].upper()


def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return ""
    return head.split(b"\n", 1)[0].decode("utf-8", "replace")


def is_polar_logger_file(path: str | Path) -> bool:
    """Whether ``path`` is a file of Polar Sensor Logger's (its header, or its ACC/GYRO name)."""
    p = Path(path)
    if not p.is_file() or p.suffix.lower() in {".parquet", ".pq", ".zip", ".gz"}:
        return False
    if header_kind(_first_line(p)) is not None:
        return True
    _, device, tag = _name_parts(p)
    return tag in _STREAM_TAGS and device.casefold().startswith("polar")


def detect_polar_logger(path: str | Path) -> bool:
    """Whether ``path`` is a Polar Sensor Logger file, or a folder with one at its top level."""
    p = Path(path)
    if p.is_dir():
        try:
            return any(is_polar_logger_file(f) for f in sorted(p.iterdir()))
        except OSError:
            return False
    return is_polar_logger_file(p)


@dataclass(frozen=True)
class PolarFile:
    """One of the app's files, as recognised by its header and name.

    Attributes:
        path: the file.
        kind: "acc", "gyr" or "other" (:func:`header_kind`; by name when the header is not
            the app's).
        header: its first line, as written.
        known_header: the header is exactly the app's ACC or GYRO header.
        prefix: the name without ``_<STREAM>.txt``: the recording's (device, date, time).
        device: ``Polar_Sense_0C301E3F`` from the name ("" when the name is not the app's).
        tag: the stream named in the file name (``ACC``, ``GYRO``, ``HR``...; "" if none).

    """

    path: Path
    kind: StreamKind
    header: str
    known_header: bool
    prefix: str
    device: str
    tag: str


def _polar_file(path: Path) -> PolarFile:
    header = _first_line(path)
    kind = header_kind(header)
    prefix, device, tag = _name_parts(path)
    known = kind in ("acc", "gyr")
    if not known:  # said by the reader; the name or the units tell what it was meant to be
        named = _STREAM_TAGS.get(tag)
        if named is None and tag not in _OTHER_TAGS:
            folded = header.casefold()
            named = "acc" if "[mg]" in folded else "gyr" if "[dps]" in folded else None
        kind = "acc" if named == "acc" else "gyr" if named == "gyr" else "other"
    assert kind is not None
    return PolarFile(path, kind, header.strip(), known, prefix, device, tag)


# ----------------------------------------------------------------------------- finding the pair
def _what(f: PolarFile) -> str:
    return "accelerometer (ACC)" if f.kind == "acc" else "gyroscope (GYRO)"


def _no_gyroscope(device: str) -> str:
    """Why a sensor gave no gyroscope file, and what to do."""
    model = device.casefold()
    if "h10" in model or "oh1" in model or "h9" in model:
        return (f"{device.replace('_', ' ')} has no gyroscope (only the Polar Verity Sense has "
                "one); record with a Verity Sense, ACC and GYRO both ticked in the app")
    return ("tick GYRO as well as ACC in Polar Sensor Logger before recording (a Verity Sense "
            "has both), and keep the _GYRO.txt file beside the _ACC.txt")


def _span_ns(path: Path) -> tuple[int, int] | None:
    """The first and last sensor timestamps of a file, from its head and tail only."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - _HEAD_BYTES))
            tail = fh.read()
    except OSError:
        return None

    def stamp(line: bytes) -> int | None:
        fields = _fields(line.decode("utf-8", "replace"))
        if len(fields) < 2 or not re.fullmatch(r"-?\d+", fields[1]):
            return None
        return int(fields[1])

    first = next((s for ln in head.splitlines()[1:] if (s := stamp(ln)) is not None), None)
    last = next((s for ln in reversed(tail.splitlines()) if (s := stamp(ln)) is not None), None)
    if first is None or last is None:
        return None
    return first, last


def _overlap(a: PolarFile, b: PolarFile) -> bool:
    """Whether two files come from one sensor (by name) and overlap in sensor time."""
    if a.device and b.device and a.device.casefold() != b.device.casefold():
        return False
    sa, sb = _span_ns(a.path), _span_ns(b.path)
    return sa is not None and sb is not None and min(sa[1], sb[1]) > max(sa[0], sb[0])


def _recordings(files: list[PolarFile]) -> list[list[PolarFile]]:
    """The app's ACC and GYRO files grouped by recording, in name order.

    One ACC and one GYRO file alone are one recording whatever their names (the join then
    checks that they overlap). Otherwise files sharing a name prefix (device, date, time) are
    one recording, and an ACC file left alone is joined to the one GYRO file left alone that
    comes from the same sensor and overlaps it in sensor time (the app may stamp the two files'
    names a second apart).
    """
    acc = [f for f in files if f.kind == "acc"]
    gyr = [f for f in files if f.kind == "gyr"]
    if len(acc) == 1 and len(gyr) == 1:
        return [[acc[0], gyr[0]]]
    groups: dict[str, list[PolarFile]] = {}
    for f in [*acc, *gyr]:
        groups.setdefault(f.prefix.casefold(), []).append(f)
    alone = {k: g for k, g in groups.items() if len({f.kind for f in g}) == 1}
    acc_alone = [k for k, g in alone.items() if g[0].kind == "acc" and len(g) == 1]
    gyr_alone = [k for k, g in alone.items() if g[0].kind == "gyr" and len(g) == 1]
    matches = {a: [g for g in gyr_alone if _overlap(groups[a][0], groups[g][0])]
               for a in acc_alone}
    for a, found in matches.items():
        if len(found) == 1 and sum(found[0] in m for m in matches.values()) == 1:
            groups[a] += groups.pop(found[0])
    return sorted(groups.values(), key=lambda g: g[0].path.name)


def _find_pair(path: Path) -> tuple[PolarFile, PolarFile, Path]:
    """The ACC and GYRO files of the one recording ``path`` names, and the path to report.

    Args:
        path: an ACC or GYRO file (the other is looked for in its folder), or a folder
            holding one recording's files at its top level.

    Raises:
        ImportOptionsError: no such pair (the message names the files and what to do).

    """
    folder = path if path.is_dir() else path.parent
    try:
        names = sorted(p for p in folder.iterdir() if is_polar_logger_file(p))
    except OSError as exc:
        raise RecordingError(f"{folder}: cannot list: {exc.strerror or exc}") from exc
    files = [_polar_file(p) for p in names]
    expected = f"the app writes {ACC_HEADER!r} (ACC) and {GYR_HEADER!r} (GYRO)"
    if path.is_file() and not is_polar_logger_file(path):
        first = _first_line(path).strip()
        raise ImportOptionsError(
            f"{path}: not a {APP} file: its first line is {first[:80]!r}, where {expected}"
        )
    if path.is_dir() and not files:
        raise ImportOptionsError(
            f"{path}: holds no {APP} file at its top level (..._ACC.txt, ..._GYRO.txt: "
            f"{expected})"
        )
    if path.is_file():
        given = next((f for f in files if f.path == path), None) or _polar_file(path)
        if given.kind == "other":
            raise ImportOptionsError(_not_acc_or_gyro(given))
        if not given.known_header:
            raise _other_header_error(given, path)
        pool = [f for f in files if f.known_header] + (
            [] if given in files else [given]
        )
        recording = next((r for r in _recordings(pool) if given in r), [given])
        where = path
    else:
        usable = [f for f in files if f.known_header]
        if not usable:
            odd = next((f for f in files if f.kind != "other"), None)
            if odd is not None:
                raise _other_header_error(odd, path)
            shown = ", ".join(f.path.name for f in files[:4])
            raise ImportOptionsError(
                f"{path}: holds {APP} files ({shown}) but no accelerometer (_ACC.txt) or "
                "gyroscope (_GYRO.txt) file; record ACC and GYRO in the app (a Verity Sense "
                "has both) and give that recording's files"
            )
        recordings = _recordings(usable)
        if len(recordings) > 1:
            shown = ", ".join(r[0].prefix for r in recordings[:4]) + (
                f" and {len(recordings) - 4} more" if len(recordings) > 4 else "")
            example = recordings[0][0].path
            raise ImportOptionsError(
                f"{path}: holds the files of {len(recordings)} {APP} recordings ({shown}); "
                f"give one recording: its _ACC.txt or _GYRO.txt file (the other is found "
                f"beside it), e.g. {example}, or a folder with only that recording's files "
                f"(imu batch takes each with {path / '*_ACC.txt'})"
            )
        recording = recordings[0]
        where = path
    acc = [f for f in recording if f.kind == "acc"]
    gyr = [f for f in recording if f.kind == "gyr"]
    for same in (acc, gyr):
        if len(same) > 1:
            raise ImportOptionsError(
                f"{where}: {' and '.join(f.path.name for f in same)} are both the "
                f"{_what(same[0])} file of one recording (a copy?); remove one"
            )
    for missing, have in (("gyr", gyr), ("acc", acc)):
        strays = [f for f in files if f.kind == missing and not f.known_header]
        if not have and strays:  # beside it, but another app's (or an edited) header
            raise _other_header_error(strays[0], where)
    if not gyr:
        others = [f.path.name for f in files if f.kind == "gyr" and f not in recording]
        beside = (f" (the GYRO files there, {', '.join(others[:3])}, are of other "
                  "recordings: another sensor or another time)" if others else "")
        raise ImportOptionsError(
            f"{where}: only the accelerometer file ({acc[0].path.name}) of this {APP} "
            f"recording, no _GYRO.txt beside it{beside}; the rep analysis needs the gyroscope "
            f"too: {_no_gyroscope(acc[0].device)}"
        )
    if not acc:
        others = [f.path.name for f in files if f.kind == "acc" and f not in recording]
        beside = (f" (the ACC files there, {', '.join(others[:3])}, are of other "
                  "recordings: another sensor or another time)" if others else "")
        raise ImportOptionsError(
            f"{where}: only the gyroscope file ({gyr[0].path.name}) of this {APP} recording, "
            f"no _ACC.txt beside it{beside}; the rep analysis needs the accelerometer too: "
            "tick ACC as well as GYRO in Polar Sensor Logger before recording, and keep the "
            "_ACC.txt file beside the _GYRO.txt"
        )
    return acc[0], gyr[0], where


def one_per_recording(paths: Iterable[Path], prefer: Collection[Path] = ()) -> list[Path]:
    """``paths`` with one file left of each of the app's recordings given by both its files.

    Either file imports the whole recording (the other is found beside it), so ``imu analyze
    A_ACC.txt A_GYRO.txt`` or a glob matching both (``FOLDER/*.txt``) would analyse it twice.
    The files pair as the import pairs them (:func:`_recordings`, over each folder's files).
    The accelerometer file is kept and the gyroscope file left out, unless ``prefer``
    (resolved paths, e.g. the files a manifest lists) names the gyroscope file and not the
    accelerometer file; one warning says which files were left out. Every other path stays as
    given, in its order (a path given twice too: the caller says so).
    """
    paths = list(paths)
    given: dict[Path, list[Path]] = {}  # folder (resolved) -> the app's files given in it
    for p in paths:
        if is_polar_logger_file(p):
            given.setdefault(resolved(p.parent), []).append(resolved(p))
    dropped: dict[Path, Path] = {}  # resolved file left out -> the file kept in its place
    for folder, mine in given.items():
        if len(set(mine)) < 2:
            continue
        try:
            files = [_polar_file(f) for f in sorted(folder.iterdir()) if is_polar_logger_file(f)]
        except OSError:
            continue  # each import says what is wrong
        for recording in _recordings([f for f in files if f.known_header]):
            acc = [f.path for f in recording if f.kind == "acc"]
            gyr = [f.path for f in recording if f.kind == "gyr"]
            if len(acc) != 1 or len(gyr) != 1:
                continue  # refused by the import, with its reason
            a, g = resolved(acc[0]), resolved(gyr[0])
            if a in mine and g in mine:
                keep_gyr = g in prefer and a not in prefer
                dropped[a if keep_gyr else g] = gyr[0] if keep_gyr else acc[0]
    if not dropped:
        return paths
    left = {p: next(q for q in paths if resolved(q) == p) for p in dropped}
    example, kept = next(iter(dropped.items()))
    what = "accelerometer" if _polar_file(left[example]).kind == "acc" else "gyroscope"
    if len(dropped) == 1:
        logger.warning("%s is the %s of %s (one %s recording): analysed once", left[example],
                       what, kept.name, APP)
    else:
        logger.warning("%d %s recordings are given by both their files (e.g. %s is the %s "
                       "of %s): each analysed once", len(dropped), APP, left[example], what,
                       kept.name)
    return [p for p in paths if resolved(p) not in dropped]


def _not_acc_or_gyro(f: PolarFile) -> str:
    stream = f"its {f.tag} stream" if f.tag else "another of its streams"
    return (
        f"{f.path}: a {APP} file of {stream} ({f.header[:80]!r}), not the accelerometer "
        "(ACC) or gyroscope (GYRO); give the recording's _ACC.txt or _GYRO.txt file, or the "
        "folder holding both"
    )


def _is_empty(path: Path) -> bool:
    """Whether the file holds nothing but blanks (unreadable: False, said by the reader)."""
    try:
        with path.open("rb") as fh:
            return not fh.read(_HEAD_BYTES).strip() and not fh.read(1)
    except OSError:
        return False


def _other_header_error(f: PolarFile, where: Path) -> ImportOptionsError | RecordingError:
    """The error of a file named as the app's whose header is not the app's.

    An empty file (a copy or a recording cut short) is said to be empty, as for the other
    apps' files, not to have another app's header.
    """
    if _is_empty(f.path):
        at = f"{where}: {f.path.name}" if where != f.path else str(where)
        return RecordingError(
            f"{at}: the file is empty (no header, no rows); export the recording from {APP} "
            "again, or copy it from the phone again"
        )
    return ImportOptionsError(_other_header(f, where))


def _other_header(f: PolarFile, where: Path) -> str:
    expected = ACC_HEADER if f.kind == "acc" else GYR_HEADER
    at = f"{where}: {f.path.name}" if where != f.path else str(where)
    return (
        f"{at}: looks like {APP}'s {_what(f)} file but its header is {f.header[:100]!r}, "
        f"not the app's {expected!r}: written by another app (or edited)? give the file as "
        "Polar Sensor Logger wrote it, or join the accelerometer and gyroscope into one CSV "
        "and import that with --format csv (--time-col, --acc-unit, --gyr-unit)"
    )


# ----------------------------------------------------------------------------- reading a file
@dataclass(frozen=True)
class _Raw:
    """One file as read: the rows with a readable sensor time, in file order."""

    sensor_ns: IntArray
    """Shape (n,): sensor timestamps, ns since 2000-01-01."""
    phone_offset_s: float | None
    """Median of phone time (local wall clock read as UTC, Unix s) minus sensor time (s from
    2000-01-01) over the rows (up to :data:`_OFFSET_ROWS` of them, spread evenly); None when
    no phone time is readable."""
    values: FloatArray
    """Shape (n, 3): x, y, z in the file's unit (mg or deg/s); NaN where unreadable."""
    rows: IntArray
    """Shape (n,): positions among the file's data rows (0-based)."""
    untimed: IntArray
    """Positions of the rows without a readable sensor time."""
    n_read: int
    """Data rows in the file."""


def _read(f: PolarFile, where: Path) -> _Raw:
    """Read one of the app's ACC or GYRO files (header already checked).

    Raises:
        RecordingError: unreadable, not UTF-8, truncated, or fewer than 2 data rows.

    """
    at = f"{where}: {f.path.name}" if where != f.path else str(where)
    try:
        data = f.path.read_bytes()
    except OSError as exc:
        raise RecordingError(f"{at}: cannot read: {exc.strerror or exc}") from exc
    lines = [ln for ln in data.splitlines() if ln.strip()]
    want = len(_fields(lines[0].decode("utf-8", "replace"))) if lines else 0
    if len(lines) > 1:
        got = len(_fields(lines[-1].decode("utf-8", "replace")))
        if got < want:
            raise RecordingError(
                f"{at}: the last line has {got} fields but the header has {want}: the file "
                "looks truncated (the app stopped, or the copy was cut); remove the incomplete "
                "last line, or copy the file from the phone again"
            )
    if len(lines) < 3:
        raise RecordingError(f"{at}: fewer than 2 data rows; record for longer")
    try:
        frame = pd.read_csv(
            io.BytesIO(data), sep=";", header=None, skiprows=1, usecols=range(5),
            dtype={0: str, 1: str}, index_col=False, skip_blank_lines=True, encoding="utf-8",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            ValueError) as exc:
        raise RecordingError(f"{at}: not readable as the app's text: {one_line(exc)}") from exc
    stamps = frame[1].fillna("").str.strip()
    timed = stamps.str.fullmatch(r"-?\d{1,19}").to_numpy(dtype=bool)
    sensor_ns: IntArray = np.asarray(stamps[timed].astype(np.int64).to_numpy(), dtype=np.int64)
    columns = [_numbers(frame[c]) for c in (2, 3, 4)]
    values = np.column_stack([c.to_numpy(np.float64) for c in columns])[timed]
    return _Raw(
        sensor_ns, _phone_offset_s(frame[0][timed], sensor_ns), values,
        np.flatnonzero(timed).astype(np.int64), np.flatnonzero(~timed).astype(np.int64),
        len(frame),
    )


def _numbers(column: pd.Series) -> pd.Series:
    """A value column as numbers (unreadable: NaN), decimal commas read as decimal points.

    The app writes its numbers in the phone's language: ``-1,63269`` deg/s on a German phone
    (the fields are ``;``-separated, so a comma is no separator). Such a file read as "every
    value empty".
    """
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column
    text = column.astype(str).str.strip()
    if text.str.fullmatch(DECIMAL_COMMA.pattern).mean() > 0.5:
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


# ----------------------------------------------------------------------------- joining
def _nominal_rate(sensor_ns: IntArray) -> tuple[float | None, float]:
    """The sensor's nominal rate its timestamps show (None: none fits) and the rate shown, Hz."""
    t = np.unique(sensor_ns)
    if t.size < 2:
        return None, math.nan
    shown = 1e9 / float(np.median(np.diff(t)))
    nearest = min(NOMINAL_RATES_HZ, key=lambda r: abs(shown / r - 1.0))
    return (nearest if abs(shown / nearest - 1.0) <= NOMINAL_TOLERANCE else None), shown


_OFFSET_ROWS: Final = 5000
"""Rows whose phone time is read to anchor the sensor clock on the phone's (spread evenly)."""


def _phone_offset_s(phone: pd.Series, sensor_ns: IntArray) -> float | None:
    """Median of phone time minus sensor time, s (None without a readable phone time).

    Args:
        phone: shape (n,), the ``Phone timestamp`` texts (local time; read as UTC).
        sensor_ns: shape (n,), the sensor timestamps of the same rows, ns since 2000.

    """
    if sensor_ns.size == 0:
        return None
    pick = np.unique(np.linspace(0, sensor_ns.size - 1, _OFFSET_ROWS).astype(np.int64))
    when = pd.to_datetime(phone.iloc[pick].str.strip(), errors="coerce", format="ISO8601")
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_convert("UTC").dt.tz_localize(None)
    ok = when.notna().to_numpy()
    if not np.any(ok):
        return None
    phone_s = when[ok].astype("datetime64[ns]").astype(np.int64).to_numpy() * 1e-9
    return float(np.median(phone_s - sensor_ns[pick[ok]] * 1e-9))


def _when(raw: _Raw, offset_s: float | None) -> str:
    """A file's span for messages: the phone's clock when known, else the sensor's."""
    lo, hi = int(np.min(raw.sensor_ns)), int(np.max(raw.sensor_ns))
    if offset_s is None:
        return f"sensor time {lo * 1e-9:.1f}-{hi * 1e-9:.1f} s"
    first = pd.Timestamp((lo * 1e-9 + offset_s) * 1e9)
    last = pd.Timestamp((hi * 1e-9 + offset_s) * 1e9)
    return f"{first:%Y-%m-%d %H:%M:%S}-{last:%H:%M:%S}"


def _stream(raw: _Raw, base_ns: int, scale: float, label: str, cols: tuple[str, ...]) -> _Stream:
    """A file's samples as the phone join takes them: s from ``base_ns``, SI values."""
    return _Stream(
        (raw.sensor_ns - base_ns).astype(np.float64) * 1e-9,
        raw.values * scale,
        label,
        int(raw.untimed.size),
        rows=raw.rows,
        n_read=raw.n_read,
        cols=cols,
        time_col=SENSOR_TIME,
        raw_t=raw.sensor_ns,
        untimed=raw.untimed,
    )


def _import(
    path: str | Path,
    rate_hz: float | None = None,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
    check_units: bool = True,
) -> ImportedRecording:
    """Join a recording's ACC and GYRO files (see :func:`import_polar_logger`).

    Called by :func:`imu.io.phone.import_phone`, which puts ``path`` in front of messages.
    """
    path = Path(path)
    if not path.exists():
        raise RecordingError(f"{path}: no such file or folder")
    acc_file, gyr_file, where = _find_pair(path)
    if acc_file.device and gyr_file.device and (
        acc_file.device.casefold() != gyr_file.device.casefold()
    ):
        raise ImportOptionsError(
            f"{where}: {acc_file.path.name} and {gyr_file.path.name} come from two sensors "
            f"({acc_file.device}, {gyr_file.device}); give the ACC and GYRO files of one "
            "sensor's recording"
        )
    acc_raw, gyr_raw = _read(acc_file, where), _read(gyr_file, where)
    offset = acc_raw.phone_offset_s
    if offset is None:
        offset = gyr_raw.phone_offset_s
    for raw, f in ((acc_raw, acc_file), (gyr_raw, gyr_file)):
        if raw.sensor_ns.size < 2:
            raise ImportOptionsError(
                f"{where}: {f.path.name}: fewer than 2 rows with a sensor timestamp (column "
                f"{SENSOR_TIME!r}, integer ns); copy the file from the phone again"
            )
    nominal, shown = _nominal_rate(acc_raw.sensor_ns)
    grid_rate = rate_hz if rate_hz is not None else nominal
    overlap_s = (min(int(acc_raw.sensor_ns.max()), int(gyr_raw.sensor_ns.max()))
                 - max(int(acc_raw.sensor_ns.min()), int(gyr_raw.sensor_ns.min()))) * 1e-9
    if overlap_s < 2.0 / (grid_rate or shown or 1.0):
        raise ImportOptionsError(
            f"{where}: {acc_file.path.name} ({_when(acc_raw, offset)}) and "
            f"{gyr_file.path.name} ({_when(gyr_raw, offset)}) do not overlap in time: they "
            "are from two recordings; give the ACC and GYRO files the app wrote together "
            "(same sensor, same start), in a folder of their own or one of them as the file"
        )
    base = min(int(acc_raw.sensor_ns.min()), int(gyr_raw.sensor_ns.min()))
    label = {f: f.path.name for f in (acc_file, gyr_file)}
    acc = _stream(acc_raw, base, MG_TO_MS2, label[acc_file], ACC_COLS)
    gyr = _stream(gyr_raw, base, DPS_TO_RADS, label[gyr_file], GYR_COLS)
    notes: dict[str, str] = {
        "import_format": FORMAT,
        "acc_file": acc_file.path.name,
        "gyr_file": gyr_file.path.name,
        "sensor_clock": f"the sensor's, ns since 2000-01-01; first sample at {base} ns",
    }
    warnings: list[str] = []
    if offset is not None:
        notes["start_unix_s"] = f"{base * 1e-9 + offset:.6f}"
        notes["start_time_from"] = (f"{PHONE_TIME!r} (the phone's local time, no time zone: "
                                    "read as UTC)")
    else:
        warnings.append(f"no readable {PHONE_TIME!r}: the recording's start time is unknown")
    if rate_hz is None and nominal is not None:
        notes["rate_from"] = f"the sensor's nominal rate (its timestamps show {shown:.2f} Hz)"
    elif rate_hz is None:
        warnings.append(
            f"the accelerometer's timestamps show {shown:.4g} Hz, none of a Verity Sense's "
            f"rates ({', '.join(f'{r:g}' for r in NOMINAL_RATES_HZ)} Hz): the grid follows "
            "the timestamps; pass --rate HZ to set it"
        )
    device = acc_file.device.replace("_", " ") if acc_file.device else "Polar sensor"
    imported = _join(
        where, FORMAT, acc, gyr, f"{device} ({APP})", notes, warnings, grid_rate, max_gap_s,
        check_units,
    )
    if rate_hz is None and nominal is not None:  # the join calls a rate it did not estimate
        rates = ", ".join(f"{r:g}" for r in NOMINAL_RATES_HZ)
        report = replace(imported.report,  # not "given"
                         rate_note=f"the sensor's nominal rate, one of {rates} Hz")
        rec = imported.recording
        rec = rec.with_meta(notes={**rec.meta.notes,
                                   "import_rate": f"{grid_rate:g} Hz ({notes['rate_from']})"})
        imported = replace(imported, recording=rec, report=report)
    name = acc_file.prefix if path.is_file() else imported.name
    logger.info("joined %s and %s at %g Hz", acc_file.path, gyr_file.path,
                imported.recording.sampling_rate_hz)
    return replace(imported, name=name)


def import_polar_logger(
    path: str | Path,
    rate_hz: float | None = None,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
    check_units: bool = True,
) -> ImportedRecording:
    """Import a Polar Sensor Logger recording: its ACC and GYRO files joined (module docstring).

    Args:
        path: the recording's ``_ACC.txt`` or ``_GYRO.txt`` file (the other is found in the
            same folder), or a folder holding one recording's files.
        rate_hz: the grid's rate, Hz; None: the sensor's nominal rate (26, 52, 104, 208 or
            416 Hz) nearest to the accelerometer's timestamps.
        max_gap_s: samples further apart than this (in either file) are not interpolated
            across: a gap, s.
        check_units: check gravity at rest and the gyroscope against mg and deg/s (False:
            ``--no-unit-check``).

    Returns:
        One recording, acc ``(n, 3)`` m/s^2 and gyr ``(n, 3)`` rad/s on a uniform grid, with
        its import report.

    Raises:
        RecordingError: a file is unreadable or truncated.
        ImportOptionsError: one of the two files is missing, the two do not overlap in time or
            come from two sensors, a folder holds several recordings, or a header is not the
            app's. Messages start with ``path`` and name the file.

    """
    return import_phone(path, FORMAT, rate_hz=rate_hz, max_gap_s=max_gap_s,
                        check_units=check_units)


__all__ = [
    "ACC_HEADER",
    "FORMAT",
    "GYR_HEADER",
    "NOMINAL_RATES_HZ",
    "PolarFile",
    "detect_polar_logger",
    "header_kind",
    "import_polar_logger",
    "is_polar_logger_file",
    "one_per_recording",
]
