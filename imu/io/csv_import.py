"""Import CSV files of accelerometer + gyroscope samples into :class:`Recording` objects.

The default layout needs no options: a header ``time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z``
with time in seconds, acceleration in m/s^2 and angular rate in rad/s. Anything else is
described by :class:`CsvOptions`: column names, units (acc in ``m/s^2``, ``g`` or raw
``counts`` scaled by gravity at rest; gyro in ``rad/s`` or ``deg/s``; time in ``s``, ``ms``,
``us``, ``ns`` or ``min``, absolute or relative; or ISO 8601 date-times such as
``2024-05-01T10:00:00.123Z``, read as absolute times in UTC), the output rate, the gap limit,
and columns that split the file into one recording per group. Column names are matched
ignoring case when only one fits. The file may be gzip-compressed (read as it is, whatever
its name), in UTF-16 (Excel's "Unicode text", tab-separated) or UTF-32, and start with Excel's
``sep=;`` line (its separator is used). A header repeated part-way (two files joined) and a
column the options read whose name the header repeats are refused, saying what to do.

What happens, per group of rows:

1. rows with an empty value are dropped (more than :data:`MAX_INCOMPLETE_SHARE` of them stop
   the import, naming the column; rows with a time and no sensor value at all are dropped
   whatever their number, the time they span becoming a gap); a few rows timed far from all
   others (a timestamp far off, :func:`check_far_timestamps`) are refused; rows out of time
   order are sorted (a time column that starts again, two recordings in one file, is
   refused); rows with a duplicate timestamp are dropped (first one kept); rows with a value
   far beyond any sensor's full scale (or infinite) become a marked gap. All counted in the
   :class:`ImportReport`, whose :attr:`ImportReport.repairs` the commands print on stderr in
   one line.
2. the timestamps are analysed (:func:`imu.io.resample.timing_stats`): median/mean interval,
   effective rate, jitter, bursts, largest interval.
3. the samples are linearly interpolated onto a uniform grid at ``rate_hz``. Without a rate one
   is estimated from the timestamps of the whole file, and the report says so. Grid points
   inside an interval longer than ``max_gap_s`` are NaN and listed in ``meta.gaps``.
4. units are converted to SI; raw counts are scaled so that the median acc magnitude while
   still is 9.80665 m/s^2. The magnitude at rest is checked against the declared unit.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import io
import itertools
import logging
import lzma
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Literal, NamedTuple, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from imu.errors import ImportOptionsError, RecordingError
from imu.exercises import known_profile
from imu.frames import ACC, GYR, STANDARD_GRAVITY, TIME
from imu.io.gravity import (
    MIN_TILT_PATH_DEG,
    MIN_TURN_DEG,
    MIN_TURN_STRETCHES,
    NOISE_MAX_LAG1_CORR,
    NOISE_MIN_S,
    REST_MAX_REL_SPREAD,
    GravityAtRest,
    RatioChange,
    TiltCheck,
    TurnCheck,
    gyro_tilt_check,
    gyro_turn_check,
    lag1_correlation,
    pooled_gravity,
    ratio_change,
    rest_level_change,
    rest_magnitudes,
    rest_spread,
)
from imu.io.recording import (
    Annotation,
    Gap,
    Recording,
    RecordingMeta,
    gaps_from_nan,
    missing_file,
    one_line,
)
from imu.io.repairs import REPAIRS_NOTE, SENSOR_NOTE, Repair, RepairReport, plural
from imu.io.resample import (
    MAX_GRID_SAMPLES,
    TimingStats,
    estimate_rate_hz,
    interval_stats,
    resample_grid,
    timing_stats,
    uniform_grid_s,
)

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

AccUnit = Literal["m/s^2", "g", "counts"]
GyrUnit = Literal["rad/s", "deg/s"]
TimeUnit = Literal["s", "ms", "us", "ns", "min"]
TimeOrigin = Literal["auto", "absolute", "relative"]

ACC_UNITS: Final[tuple[str, ...]] = get_args(AccUnit)
GYR_UNITS: Final[tuple[str, ...]] = get_args(GyrUnit)
TIME_UNITS: Final[tuple[str, ...]] = get_args(TimeUnit)
TIME_ORIGINS: Final[tuple[str, ...]] = get_args(TimeOrigin)

GYR_TO_RAD_S: Final[dict[str, float]] = {"rad/s": 1.0, "deg/s": math.pi / 180.0}
TIME_TO_S: Final[dict[str, float]] = {
    "s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "min": 60.0
}

DEFAULT_MAX_GAP_S: Final = 0.25
"""Intervals longer than this are gaps (NaN), not interpolated, s."""

UNIX_EPOCH_THRESHOLD_S: Final = 1e8
"""With ``time_origin="auto"``, a first timestamp above this (1973) is Unix time."""

UNIX_MAX_S: Final = 4.1e9
"""Absolute timestamps beyond this (year 2100) mean the time unit is wrong."""

GRAVITY_PLAUSIBLE_M_S2: Final = (8.0, 11.6)
"""Range of the median acc magnitude at rest accepted for the declared unit, m/s^2."""

MAX_PLAUSIBLE_GYR_RAD_S: Final = 35.0
"""About 2000 deg/s, the largest common gyro full scale; beyond it the unit is wrong."""

PLAUSIBLE_RATE_HZ: Final = (0.5, 20000.0)
"""Effective sampling rates accepted before the time unit is questioned, Hz."""

MAX_IMU_RATE_HZ: Final = 2000.0
"""Highest effective rate a CSV table may show before its time unit is questioned, Hz: phones
sample at up to about 500 Hz, the fastest wearable IMUs at 1600-1666 Hz (Axivity AX6,
Movesense); a time column in minutes read as seconds shows 60 times the rate (3120 Hz at
52 Hz). Above it the import stops and names the unit (``--no-unit-check`` reads it anyway)."""

USUAL_RATE_HZ: Final = (10.0, 500.0)
"""Rates hip IMUs and phones usually record at, Hz. A time unit bringing an implausible rate
into this range is advised; one bringing it only up to :data:`MAX_IMU_RATE_HZ` is named as a
doubt; the unit already in use is never advised."""

ABSURD_ACC_G: Final = 64.0
"""An acceleration component beyond this many g (4x the 16 g full scale of common IMUs) is no
measurement: the row becomes a gap."""

ABSURD_GYR_RAD_S: Final = math.radians(8000.0)
"""An angular-rate component beyond 8000 deg/s (4x the 2000 deg/s full scale of common gyros)
is no measurement: the row becomes a gap, rad/s."""

ABSURD_RAW: Final = 1e12
"""Any value beyond this magnitude, in any unit, is no measurement (also keeps arithmetic on the
data free of overflow)."""

MIN_GYRO_TURN_RATIO: Final = 0.25
"""Least rotation the gyro must show, as a share of how far gravity's direction turned between
moments at rest (:func:`imu.io.gravity.gyro_turn_check`; physics says at least 1). A gyro in
rad/s read as deg/s shows about 1/57 of it (0.019-0.082 on the bundled recordings, against
1.09-4.7 read right; a standing curl tilts too little to tell); below this share the import
stops and names the unit."""

MAX_GYRO_TILT_RATIO: Final = 15.0
"""Most tilting rotation the gyro may show, as a multiple of gravity's path over the same
moving moments (:func:`imu.io.gravity.gyro_tilt_check`; physics says about 1, less where the
body accelerates). A gyro in deg/s read as rad/s shows about 57 times it (56 on a phone-style
export, 42-59 on the bundled recordings, slow pelvic tilts, dead bugs and bird-dogs included),
against 0.74-1.02 read right on the bundled recordings, 0.34-1.03 on simulated sessions of
every exercise (the lowest on short planks) and 0.03-0.47 on the real belt data; above this
the import stops and names the unit. A body swinging from a bar turns the gyro more than
gravity (the accelerometer sees a fraction of the swing), up to several times."""

MAX_IMPLAUSIBLE_SHARE: Final = 0.01
"""More rows than this share (and more than one) beyond full scale means a wrong unit or
column, not a glitch: the import stops and says so."""

MAX_TIME_REPAIR_SHARE: Final = 0.10
"""Largest share of rows the time repairs may touch. More than this share of steps going
back in time (while the others go forward), or of rows repeating the previous row's timestamp
with other values (rows dropped), means the time column is wrong or too coarse, not a glitch:
the import stops and says so instead of sorting or dropping most of the data. A file in
reverse time order (every step back) is sorted, and exact copies of a row are dropped, at any
share: neither loses data."""

TIME_NAME_HINT: Final = re.compile(r"time|stamp|^t$|^ts$|sec|elapsed|date", re.IGNORECASE)
"""Column names offered as the time column when the one named is not a time."""

MAX_TIME_S: Final = 1e11
"""A time beyond this many seconds (from 1970: the year 5100) is no timestamp, s."""

FROZEN_MIN_S: Final = 2.0
"""A stretch at least this long in which every row repeats the previous row's six values
exactly is a frozen sensor (it stopped measuring but went on sending, or an app repeated its
last sample), s. A worn sensor's noise changes some value from one sample to the next: the
coarse WLE belt data (integer counts, 0.02 rad/s steps) repeat a row for 0.08 s at most."""

UNKNOWN_EXERCISE_WARNING: Final = "exercise label"
"""How the import's warning about an exercise label that names no profile starts."""

HEADER_SEARCH_LINES: Final = 20
"""The header is looked for this far down a file whose first line is not it (lines such as
``Device: MetaMotionS`` above it, not commented with '#'): see :func:`_header_further_down`."""

MIN_RESTART_S: Final = 1.0
"""A step back in time longer than this, followed by a second of rows in order over times
already covered, is a second recording in the file (see ``_check_one_clock``), s."""

MAX_UPSAMPLING: Final = 8.0
"""A grid (``--rate``) more than this many times the rate the timestamps show is refused: it
would invent that many samples for each one measured and cost memory and time in proportion."""

FAR_GAP_MIN_S: Final = 30.0
"""An interval at least this long that cuts a few rows (:data:`STRAY_MAX_ROWS`) off from all the
others means their time is far off, s, at any sampling rate of a motion sensor (a genuine
pause has more rows after it, and is kept as a gap)."""

FAR_GAP_INTERVALS: Final = 10.0
"""...and at least this many of the file's median intervals: it matters only under
``FAR_GAP_MIN_S / FAR_GAP_INTERVALS`` (0.33 Hz), where every interval is long (a time column in
another unit, told by its own check), never at a sensor's rate: a glitch is told by the few
rows it cuts off, not by how many intervals long it is (1000 intervals let a 35 s glitch
through below 33 Hz)."""

STRAY_MAX_ROWS: Final = 5
"""Most rows a far-off stretch of time may hold to be taken for a far-off timestamp (more rows
there are a recording of their own, kept and its gap marked)."""

MAX_INCOMPLETE_SHARE: Final = 0.10
"""Largest share of the rows with samples that an import drops for an empty value. More
means a column that is empty for good (a column that is not the sensor's, one sensor of two
that stopped), not a glitch: the import stops, names the column(s) and the rows, instead of
silently keeping the few rows that have every value. Rows with a time and no sensor value at
all (the sensor sent nothing then) are gaps, not glitches, and are not counted here."""

REASON_IMPLAUSIBLE: Final = "implausible value (beyond any sensor's full scale)"
"""Gap reason of grid samples made from a row with an absurd value."""

DELIMITERS: Final = (",", ";", "\t", "|")
"""Field separators tried when none is given (``delimiter=None``)."""

GZIP_MAGIC: Final = b"\x1f\x8b"
"""First bytes of a gzip file (``.csv.gz``): decompressed on reading."""

COMPRESSIONS: Final[tuple[tuple[bytes, str, Callable[[bytes], bytes]], ...]] = (
    (GZIP_MAGIC, "gzip", gzip.decompress),
    (b"BZh", "bzip2", bz2.decompress),
    (b"\xfd7zXZ\x00", "xz", lzma.decompress),
)
"""First bytes, name (also its command: ``gzip -dc``) and decompressor of the compressed files
read as they are, whatever their name (``.csv.gz``, ``.csv.bz2``, ``.csv.xz``)."""


def _compression(head: bytes) -> tuple[str, Callable[[bytes], bytes]] | None:
    """The compression a file's first bytes show (see :data:`COMPRESSIONS`), None if none.

    A bzip2 stream is told by its block header after ``BZh`` and the block size digit
    (``BZh91AY&SY``), or by the end-of-stream marker of an empty one, so that a text file
    that starts with "BZh" is not taken for one.
    """
    for magic, name, decompress in COMPRESSIONS:
        if not head.startswith(magic):
            continue
        if name == "bzip2" and head[4:10] not in (b"1AY&SY", b"\x17rE8P\x90"):
            continue
        return name, decompress
    return None

TEXT_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
"""Byte order marks of text in other encodings than UTF-8 (Excel's "Unicode text" is UTF-16
with one), and their codecs; such a file is read as that text."""


class UnitCheckError(ImportOptionsError):
    """A unit check found values in another unit than the one they are read in.

    Its message gives a CSV file's advice (the ``--acc-unit``/``--gyr-unit`` to pass). An
    importer whose units are not options but an app's (:mod:`imu.io.phone`) words its own
    advice from the attributes.

    Attributes:
        finding: what the check found, without the file, the declared unit or any advice.
        sensor: "acc" or "gyr".
        rest_m_s2: the accelerometer's magnitude at rest as read, m/s^2 (NaN for the gyro).
        gyr_factor: how many times too large the gyro values look (180/pi: deg/s read as
            rad/s; pi/180: rad/s read as deg/s; NaN: neither).
        kind: what was found: "unit" (the values look like another unit), "no-rest" (no
            stable rest, so gravity gives no unit), "swapped" (the acc and gyro columns look
            swapped), "mixed" (the unit changes part-way through the file), "direction" (the
            gyro turns the other way than the accelerometer saw), "range" (values beyond any
            sensor's full scale); "direction-doubt" words the warning of a gyro that barely
            agrees with the accelerometer (:data:`GYRO_DOUBT_ADVICE`), never raised.
        looks: the unit the values look like ("counts", "deg/s"...; "" for none), where the
            finding says so (kind "range").
        at_s: where the unit changes (kind "mixed"), s from the first sample; NaN: unknown.
        levels_m_s2: the acc magnitudes at rest before and after the change (kind "mixed",
            sensor "acc"), m/s^2 as read; empty otherwise.

    """

    def __init__(self, message: str, finding: str = "", sensor: str = "",
                 rest_m_s2: float = math.nan, gyr_factor: float = math.nan,
                 kind: str = "unit", looks: str = "", at_s: float = math.nan,
                 levels_m_s2: tuple[float, ...] = ()) -> None:
        super().__init__(message)
        self.finding = finding
        self.sensor = sensor
        self.rest_m_s2 = rest_m_s2
        self.gyr_factor = gyr_factor
        self.kind = kind
        self.looks = looks
        self.at_s = at_s
        self.levels_m_s2 = levels_m_s2


@dataclass(frozen=True)
class CsvOptions:
    """How to read a CSV file. The defaults read the tool's own layout in SI units.

    Attributes:
        time_col: column with the sample times.
        time_unit: unit of ``time_col``: "s", "ms", "us", "ns" or "min".
        time_origin: "absolute" (Unix time: kept as ``meta.start_time_s``), "relative" (any
            origin), or "auto" (absolute when the first time is after 1973).
        acc_cols: the three accelerometer columns, sensor x, y, z.
        acc_unit: "m/s^2", "g" (standard gravity, 9.80665 m/s^2) or "counts" (raw integers of
            unknown scale: scaled per recording so the median magnitude while still is
            9.80665 m/s^2).
        gyr_cols: the three gyroscope columns, sensor x, y, z.
        gyr_unit: "rad/s" or "deg/s".
        rate_hz: rate of the uniform output grid, Hz. None: estimated from the timestamps
            (and the import report says so).
        max_gap_s: intervals between samples longer than this are gaps: NaN, not interpolated.
        split_by: columns whose values split the file into one recording per group.
        participant_col: column naming the participant (stored in ``meta.participant``).
        exercise_col: column naming the exercise (stored in ``meta.exercise``).
        counts_scale_by: with ``acc_unit="counts"``, split columns that identify one sensor
            (e.g. the participant): recordings sharing their values share one scale, from
            their pooled still samples. Default: each recording is scaled on its own.
        device: device name stored in the metadata.
        delimiter: field separator; None: detected from the header line among
            :data:`DELIMITERS` (a separator other than "," is reported).
        check_units: check that gravity at rest and the gyro range are plausible for the
            declared units (and the rate for the time unit), and turn values beyond any
            sensor's full scale into gaps; turn off only for odd data (infinite values and
            values beyond 1e12 still become gaps).

    """

    time_col: str = TIME
    time_unit: TimeUnit = "s"
    time_origin: TimeOrigin = "auto"
    acc_cols: tuple[str, str, str] = ACC
    acc_unit: AccUnit = "m/s^2"
    gyr_cols: tuple[str, str, str] = GYR
    gyr_unit: GyrUnit = "rad/s"
    rate_hz: float | None = None
    max_gap_s: float = DEFAULT_MAX_GAP_S
    split_by: tuple[str, ...] = ()
    participant_col: str | None = None
    exercise_col: str | None = None
    counts_scale_by: tuple[str, ...] = ()
    device: str = "unknown"
    delimiter: str | None = None
    check_units: bool = True

    def __post_init__(self) -> None:
        _check_choice("time unit", self.time_unit, TIME_UNITS, "--time-unit")
        _check_choice("time origin", self.time_origin, TIME_ORIGINS, "--time-origin")
        _check_choice("acceleration unit", self.acc_unit, ACC_UNITS, "--acc-unit")
        _check_choice("gyroscope unit", self.gyr_unit, GYR_UNITS, "--gyr-unit")
        for name, cols, flag in (
            ("acc", self.acc_cols, "--acc-cols"),
            ("gyr", self.gyr_cols, "--gyr-cols"),
        ):
            if len(cols) != 3 or not all(isinstance(c, str) and c for c in cols):
                raise ImportOptionsError(
                    f"{name} columns must be three names (x, y, z), got {list(cols)}; "
                    f"e.g. {flag} ax,ay,az"
                )
        _check_distinct_columns(self.time_col, self.acc_cols, self.gyr_cols)
        if self.rate_hz is not None and not (math.isfinite(self.rate_hz) and self.rate_hz > 0):
            raise ImportOptionsError(
                f"rate must be a positive number of Hz, got {self.rate_hz}; e.g. --rate 50"
            )
        if not (math.isfinite(self.max_gap_s) and self.max_gap_s > 0):
            raise ImportOptionsError(
                f"gap limit must be a positive number of seconds, got {self.max_gap_s}; "
                "e.g. --max-gap 0.25"
            )
        if self.rate_hz is not None and self.max_gap_s < 1.0 / self.rate_hz:
            raise ImportOptionsError(
                f"gap limit {self.max_gap_s} s is shorter than one sample at {self.rate_hz} Hz; "
                f"use --max-gap of at least {_round_up(1.0 / self.rate_hz)} s"
            )
        extra = [c for c in self.counts_scale_by if c not in self.split_by]
        if extra:
            raise ImportOptionsError(
                f"--counts-scale-by columns {extra} must also be --split-by columns "
                f"(split by: {list(self.split_by)})"
            )
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ImportOptionsError(
                f"delimiter must be one character, got {self.delimiter!r}; e.g. --delimiter ';'"
            )

    @property
    def data_cols(self) -> tuple[str, ...]:
        """Time, acc and gyro columns, in that order."""
        return (self.time_col, *self.acc_cols, *self.gyr_cols)

    @property
    def label_cols(self) -> tuple[str, ...]:
        """Split, participant and exercise columns (read as text), without repeats."""
        cols = [*self.split_by, self.participant_col, self.exercise_col]
        return tuple(dict.fromkeys(c for c in cols if c))


@dataclass(frozen=True)
class ImportReport:
    """What an import found and did, for one output recording.

    Attributes:
        source: the file (or name) imported.
        group: ``(column, value)`` pairs of the group, empty without a split.
        n_rows: rows of the group in the file.
        n_incomplete: rows dropped because a time/acc/gyro value was empty.
        n_out_of_order: timestamps earlier than the one before (rows then sorted by time).
        n_duplicates: rows dropped because their timestamp repeats the previous one.
        timing: interval statistics of the kept samples (a phone export: the accelerometer's
            own timestamps, which the grid follows).
        rate_hz: rate of the output grid, Hz.
        rate_estimated: True when ``rate_hz`` was estimated, not given.
        rate_note: how the rate was obtained (a sentence).
        estimated_rate_hz: the rate the timestamps suggest (always computed), Hz.
        max_gap_s: the gap limit used, s.
        n_gaps: gaps marked in the recording.
        gap_total_s: time inside gaps, s.
        longest_gap_s: the longest gap, s (0 without gaps).
        n_samples_out: samples of the uniform grid (gaps included).
        duration_s: duration of the output recording, s.
        acc_unit: declared acceleration unit.
        acc_scale: factor taking the file's acc values to m/s^2.
        acc_scale_note: where the factor came from.
        gravity: acc magnitude at rest of this recording after scaling (m/s^2), and how the
            samples at rest were found.
        warnings: things the user should know.
        n_implausible: rows whose values lie far beyond any sensor's full scale (or are
            infinite); their samples became a gap.
        implausible_max: the largest such magnitude, in the file's unit (0 without).
        n_implausible_samples: grid samples inside those gaps.
        n_interpolated: grid samples that fell between two samples of the file (linearly
            interpolated), as opposed to on one.
        extra_repairs: repairs made before this import saw the data (e.g. by a phone reader).
        lowpassed: the anti-alias low-pass of a grid slower than the timestamps, said before
            the interpolation (empty when the grid is not slower).
        details: more facts for people, printed as they are (not as warnings): e.g. each
            phone sensor's own timing.
        rows_line: replaces the ``rows:`` line of :meth:`summary_lines` when the rows were
            read by another reader (e.g. one per phone sensor file); "" for the default.
        n_blank: rows with a time and not one sensor value (the sensor sent nothing then),
            dropped whatever their number: a run of them longer than ``max_gap_s`` is a
            marked gap, not counted in ``n_incomplete``.
        lead_blank_s: when such rows come first, the time from the first row to the first
            sample, s: the recording starts at its first sample (0.0 otherwise).

    """

    source: str
    group: tuple[tuple[str, str], ...]
    n_rows: int
    n_incomplete: int
    n_out_of_order: int
    n_duplicates: int
    timing: TimingStats
    rate_hz: float
    rate_estimated: bool
    rate_note: str
    estimated_rate_hz: float
    max_gap_s: float
    n_gaps: int
    gap_total_s: float
    longest_gap_s: float
    n_samples_out: int
    duration_s: float
    acc_unit: str
    acc_scale: float
    acc_scale_note: str
    gravity: GravityAtRest
    warnings: tuple[str, ...] = ()
    n_implausible: int = 0
    implausible_max: float = 0.0
    n_implausible_samples: int = 0
    n_interpolated: int = 0
    extra_repairs: tuple[Repair, ...] = ()
    lowpassed: tuple[Repair, ...] = ()
    details: tuple[str, ...] = ()
    rows_line: str = ""
    n_blank: int = 0
    lead_blank_s: float = 0.0

    @property
    def group_label(self) -> str:
        """``"col=value, col=value"``, or "" without groups."""
        return ", ".join(f"{k}={v}" for k, v in self.group)

    @property
    def where(self) -> str:
        """The source, with the group when the file was split: how messages name it."""
        return f"{self.source} ({self.group_label})" if self.group else self.source

    @property
    def repairs(self) -> RepairReport:
        """Everything this import changed in the data, for one line on stderr."""
        rate_text = (
            f"rate {self.rate_hz:g} Hz estimated from the timestamps (pass --rate HZ to set it)"
        )
        return RepairReport(self.where).plus(
            *self.extra_repairs,
            Repair(
                "incomplete",
                self.n_incomplete,
                f"{plural(self.n_incomplete, 'row')} with empty values dropped",
            ),
            Repair(
                "blank",
                self.n_blank,
                f"{plural(self.n_blank, 'row')} with a time but no sensor value (the sensor "
                "sent nothing) dropped (a run of them longer than the gap limit is a marked gap)"
                + (f"; the recording starts at its first sample, {self.lead_blank_s:.1f} s "
                   "after the file's first row" if self.lead_blank_s > 0 else ""),
            ),
            Repair(
                "unordered",
                self.n_out_of_order,
                f"{plural(self.n_out_of_order, 'row')} out of time order sorted",
            ),
            Repair(
                "duplicate",
                self.n_duplicates,
                f"{plural(self.n_duplicates, 'row')} with a repeated timestamp dropped",
            ),
            Repair(
                "implausible",
                self.n_implausible,
                f"{plural(self.n_implausible, 'row')} with values beyond any sensor's full "
                f"scale (up to {self.implausible_max:.3g}) made a gap of "
                f"{plural(self.n_implausible_samples, 'sample')}",
            ),
            *self.lowpassed,
            Repair(
                "resampled",
                self.n_interpolated,
                f"{plural(self.n_interpolated, 'sample')} interpolated onto the "
                f"{self.rate_hz:g} Hz grid",
            ),
            *((Repair("rate_estimated", 1, rate_text),) if self.rate_estimated else ()),
        )

    def summary_lines(self) -> list[str]:
        """Return the report as short ``label: text`` lines for people."""
        t = self.timing
        where = f"{self.source} ({self.group_label})" if self.group else self.source
        regularity = "IRREGULAR" if t.irregular else "regular"
        lines = [
            f"source: {where}",
            self.rows_line
            or f"rows: {self.n_rows} read, {self.n_incomplete} with empty values dropped, "
            + (f"{self.n_blank} with no sensor value dropped (gaps), " if self.n_blank else "")
            + f"{self.n_out_of_order} out of time order (sorted), "
            f"{self.n_duplicates} duplicate timestamps dropped, {self.n_implausible} with values "
            "beyond any sensor's full scale made a gap",
            f"timing: {regularity}: median interval {t.median_interval_s * 1e3:.2f} ms, "
            f"mean {t.mean_interval_s * 1e3:.2f} ms, effective rate "
            f"{t.effective_rate_hz:.2f} Hz, jitter {t.jitter_s * 1e3:.2f} ms, "
            f"bursty intervals {t.bursty_share:.1%}, largest interval {t.max_interval_s:.3f} s",
        ]
        if self.rate_estimated:
            lines.append(
                f"rate: {self.rate_hz:g} Hz ESTIMATED, {self.rate_note}; "
                "give the true rate with --rate HZ"
            )
        else:
            lowpass = "; low-passed first against aliasing" if self.lowpassed else ""
            lines.append(
                f"rate: {self.rate_hz:g} Hz ({self.rate_note}; the timestamps suggest "
                f"{self.estimated_rate_hz:g} Hz{lowpass})"
            )
        lines.append(
            f"gaps: {self.n_gaps} where samples were more than {self.max_gap_s:g} s apart, "
            f"leaving {self.gap_total_s:.2f} s of grid samples empty in total (longest "
            f"{self.longest_gap_s:.2f} s; NaN, not interpolated)"
        )
        lines.append(
            f"output: {self.n_samples_out} samples, {self.duration_s:.2f} s "
            f"({self.n_interpolated} interpolated between samples of the file)"
        )
        scale = "" if self.acc_unit == "m/s^2" else f" x {self.acc_scale:.6g}"
        lines.append(
            f"acc: {self.acc_unit}{scale} -> m/s^2 ({self.acc_scale_note}); magnitude at rest "
            f"{self.gravity.magnitude:.3f} m/s^2 ({self.gravity.method}, "
            f"{self.gravity.n_samples} samples)"
        )
        lines.extend(self.details)
        lines.extend(f"warning: {w}" for w in self.warnings)
        return lines


@dataclass(frozen=True)
class ImportedRecording:
    """One recording from an import, with its report and a file-name stem.

    Attributes:
        recording: the samples on a uniform grid, SI units.
        report: what the import found.
        name: file-name stem from the group values (the source stem without groups).

    """

    recording: Recording
    report: ImportReport
    name: str


def import_csv(path: str | Path, options: CsvOptions | None = None) -> list[ImportedRecording]:
    """Import a CSV file: one recording, or one per group with ``options.split_by``.

    Args:
        path: the CSV file.
        options: layout and units; None reads the default layout (SI units).

    Returns:
        The recordings in order of first appearance of their group.

    Raises:
        RecordingError: the file is missing, empty, binary, truncated or malformed.
        ImportOptionsError: a named column is missing, a value is not a number, or the data
            does not fit the declared units. Messages name the file.

    """
    options = options or CsvOptions()
    path = Path(path)
    frame, options, found = read_csv_for_import(path, options)
    return import_frame(frame, options, source=str(path), extra_repairs=found)


def read_csv_for_import(
    path: Path, options: CsvOptions
) -> tuple[pd.DataFrame, CsvOptions, tuple[Repair, ...]]:
    """A CSV file's table as :func:`import_csv` reads it, before it is imported.

    Returns:
        The table (:func:`read_csv_frame`), the options with the delimiter found, and what
        reading it found (the delimiter and decimal mark detected, date-times read, column
        names matched ignoring case), for :func:`import_frame`'s ``extra_repairs``.

    """
    frame = read_csv_frame(path, options)
    delimiter = str(frame.attrs.get("delimiter", ","))
    found: tuple[Repair, ...] = ()
    comma_decimals = frame.attrs.get("decimal") == ","
    shown = "\\t" if delimiter == "\t" else delimiter
    decimal = " with decimal commas" if comma_decimals else ""
    if options.delimiter is None and (delimiter != "," or comma_decimals):
        how = (
            f"the file's first line 'sep={shown}' says so, and was skipped"
            if frame.attrs.get("sep_line")
            else f"detected; pass --delimiter '{shown}' to say so"
        )
        found = (Repair("delimiter", 1, f"fields separated by '{shown}'{decimal} ({how})"),)
    if frame.attrs.get("datetimes"):
        found = (
            *found,
            Repair(
                "datetimes",
                1,
                f"time column {options.time_col!r} read as ISO 8601 date-times (those "
                "without a zone or offset taken as UTC)",
            ),
        )
    preamble = frame.attrs.get("preamble")
    if preamble:
        above, line, first = preamble
        found = (
            *found,
            Repair(
                "preamble",
                above,
                f"the header is on line {line}: {plural(above, 'line')} above it skipped "
                f"(the first: {first[:60]!r}); start them with '#' to mark them as comments",
            ),
        )
    case_matched = frame.attrs.get("case_matched") or []
    if case_matched:
        found = (
            *found,
            Repair(
                "column_case",
                len(case_matched),
                "column names matched ignoring case: "
                + ", ".join(f"{was!r} as {name!r}" for was, name in case_matched),
            ),
        )
    return frame, replace(options, delimiter=delimiter), found


def repeated_header_names(path: str | Path, delimiter: str | None = None) -> dict[str, list[str]]:
    """Names a CSV header writes more than once, and what the reader renames the repeats.

    E.g. ``{"x": ["x.1"], "y": ["y.1"], "z": ["z.1"]}`` for ``time,x,y,z,x,y,z``: how to name
    the second ones in the options. Empty for a file that is no readable CSV (a Parquet file,
    a folder) or whose names are all distinct; never raises.
    """
    path = Path(path)
    try:
        if not path.is_file():
            return {}
        head = _read_head(path)
        text = _as_utf8(path, head)
        if text is not None:
            head = text[:4096]
        if head.startswith(b"PAR1") or b"\x00" in head:
            return {}
        head, skip, sep = _skip_preamble(head)
        delimiter = delimiter or sep or sniff_delimiter(path, head, CsvOptions())[0]
        header = pd.read_csv(
            path if text is None else io.BytesIO(text),
            sep=delimiter, nrows=0, compression=None, skiprows=skip,
        )
    except (RecordingError, ImportOptionsError, OSError, ValueError, csv.Error,
            pd.errors.ParserError, pd.errors.EmptyDataError):
        return {}
    read = [str(c).strip() for c in header.columns]
    if read and read[0].startswith("#"):
        read[0] = read[0].lstrip("#").strip()
    return _renamed_repeats(_header_fields(head, delimiter), read)


def sniff_delimiter(path: Path, head: bytes, options: CsvOptions) -> tuple[str, str]:
    """``(delimiter, decimal)`` of a CSV: the given delimiter, or the one the header uses.

    Without ``options.delimiter`` the header line is split by each of :data:`DELIMITERS`; the
    one that yields the columns the options name wins, else the one with the most fields
    ("," on a tie). The decimal mark (given delimiter or not) is "," when the first rows hold
    values like ``1,5`` between other delimiters, or quoted (``"1,5"``) between commas
    (:func:`_decimal_mark`).
    """
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not lines:
        return options.delimiter or ",", "."
    if options.delimiter is not None:
        return options.delimiter, _decimal_mark(options.delimiter, lines[1:])
    first = lines[0]
    wanted = {c.casefold() for c in options.data_cols}

    def fields(d: str) -> set[str]:
        return {f.strip().strip('"').casefold() for f in first.split(d)}

    matching = [d for d in DELIMITERS if wanted <= fields(d)]
    if not matching and wanted <= fields(" "):
        matching = [" "]  # numpy.savetxt's default: taken only when it gives every column
    if matching:
        best = matching[0]
    else:
        best = max(DELIMITERS, key=lambda d: (first.count(d), d == ","))
        if first.count(best) == 0:
            best = ","
    decimal = _decimal_mark(best, lines[1:])
    logger.debug("%s: delimiter %r, decimal %r", path, best, decimal)
    return best, decimal


DECIMAL_COMMA: Final = re.compile(r"[-+]?\d*,\d+(?:[eE][-+]?\d+)?")
"""A number written with a decimal comma (``0,5``, ``-1,25e-3``), the whole cell."""


def _decimal_mark(delimiter: str, data_lines: Sequence[str]) -> str:
    """The decimal mark: "," when the data lines (a file's first rows) show decimal commas.

    Between ";", tab or "|": any ``1,5``. Between commas only a quoted cell can hold one
    (``"1,5"``, as spreadsheets write it), and a quoted ``"1,234.5"`` (thousands grouping)
    keeps the mark ".".
    """
    if delimiter != ",":
        return "," if any(re.search(r"\d,\d", ln) for ln in data_lines) else "."
    quoted = [q for ln in data_lines for q in re.findall(r'"([^"]*)"', ln)]
    if any("," in q and "." in q for q in quoted):
        return "."
    return "," if any(DECIMAL_COMMA.fullmatch(q.strip()) for q in quoted) else "."


def _folder_given_as_csv(folder: Path) -> str:
    """Why a folder cannot be read as one CSV table (``--format csv``), and what to give."""
    try:
        tables = sorted(
            p.name for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".tsv")
        )
    except OSError:
        tables = []
    example = (f"give one of its files, e.g. {folder / tables[0]}" if tables
               else "give a CSV file")
    return (f"{folder}: a folder, not a CSV file: --format csv reads one table; {example}, "
            "or leave out --format to read the folder as a phone app's export")


def read_csv_frame(path: Path, options: CsvOptions) -> pd.DataFrame:
    """Read and validate the columns the options name; numeric columns as float64.

    The delimiter used (given or detected, see :func:`sniff_delimiter`) is in
    ``frame.attrs["delimiter"]``, the decimal mark in ``frame.attrs["decimal"]``, every
    column of the file (read or not) in ``frame.attrs["columns"]``.

    Raises:
        RecordingError, ImportOptionsError: see :func:`import_csv`.

    """
    if not path.exists():
        raise RecordingError(missing_file(path))
    if path.is_dir():
        # Trial 25: "--format csv FOLDER" said only "FOLDER: not a file".
        raise RecordingError(_folder_given_as_csv(path))
    if not path.is_file():
        raise RecordingError(f"{path}: not a file")
    head = _read_head(path)
    packed = _compression(head)
    text = _as_utf8(path, head)  # a .csv.gz or UTF-16 file, as UTF-8 bytes; else None
    if text is not None:
        head = text[:4096]
    if not head.strip():
        raise RecordingError(f"{path}: file is empty; expected a CSV header and data rows")
    if head.startswith(b"PAR1"):
        if packed is not None:  # a recording compressed for a mail or a backup
            raise RecordingError(
                f"{path}: a {packed[0]}-compressed Parquet file; decompress it first "
                f"({packed[0]} -dk {path}) and pass the .parquet file"
            )
        raise RecordingError(
            f"{path}: this is a Parquet file, not CSV; read it with 'imu info' or read_recording"
        )
    other = not_csv_kind(path, head)
    if other:
        raise RecordingError(not_csv_message(path, other))
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        raise RecordingError(
            f"{path}: a zip file, not CSV text; unzip it and pass the CSV inside (a phone "
            "app's zip export is read with --format auto, sensor-logger or phyphox)"
        )
    if b"\x00" in head:
        raise RecordingError(f"{path}: {BINARY_ADVICE}")
    head, skip, sep_line = _skip_preamble(head)
    if sep_line is not None and options.delimiter is None:
        options = replace(options, delimiter=sep_line)
    above = _header_further_down(head, options)
    preamble: tuple[int, int, str] | None = None
    if above:
        lines = head.splitlines()
        shown = next((ln for ln in lines[:above] if ln.strip()), b"").decode("utf-8", "replace")
        head = b"\n".join(lines[above:])
        skip += above
        preamble = (above, skip + 1, shown.lstrip("\ufeff").strip())
    delimiter, decimal = sniff_delimiter(path, head, options)
    if delimiter == " " and re.match(rb"#+ +\S", head.lstrip(b"\xef\xbb\xbf")):
        # numpy.savetxt's "# time_s acc_x ...": the '#' would be a column of its own
        data = text if text is not None else _read_all(path)
        lines = data.split(b"\n")
        lines[skip] = re.sub(rb"^(\xef\xbb\xbf)?#+ +", b"", lines[skip])
        text = b"\n".join(lines)
        head = re.sub(rb"^(\xef\xbb\xbf)?#+ +", b"", head)

    def source() -> Path | io.BytesIO:
        return path if text is None else io.BytesIO(text)

    try:
        header = pd.read_csv(source(), sep=delimiter, nrows=0, compression=None, skiprows=skip)
    except pd.errors.EmptyDataError as exc:
        raise RecordingError(f"{path}: file is empty; expected a CSV header") from exc
    except UnicodeDecodeError as exc:
        raise RecordingError(not_utf8_message(path, text)) from exc
    except (pd.errors.ParserError, ValueError) as exc:
        raise RecordingError(f"{path}: not a readable CSV file: {_one_line(exc)}") from exc
    # Names are compared without the blanks around them (a header written "time_s, acc_x").
    # A header written as a comment ("# time_s,...", numpy.savetxt) loses its '#'.
    available = [str(c).strip() for c in header.columns]
    if available and available[0].startswith("#"):
        available[0] = available[0].lstrip("#").strip()
    repeats = _renamed_repeats(_header_fields(head, delimiter), available)
    case_matched = _match_case(options, available)  # "TIME_S" read as "time_s"
    # A file without timestamps, sampled at a known rate: time is the row number / rate.
    synth_time = options.time_col not in available and options.rate_hz is not None
    if synth_time:
        available = [*available, options.time_col]
    _check_columns(path, options, available, repeats)
    _check_repeated_names(path, options, repeats)
    _check_field_counts(path, head, delimiter)
    _check_not_truncated(path, delimiter, skip, text)
    wanted = list(dict.fromkeys((*options.data_cols, *options.label_cols)))
    if synth_time:
        wanted = [c for c in wanted if c != options.time_col]
    raw_names = dict(zip(available, (str(c) for c in header.columns), strict=False))
    try:
        frame = pd.read_csv(
            source(),
            sep=delimiter,
            decimal=decimal,
            usecols=[raw_names[c] for c in wanted],
            dtype={raw_names[c]: str for c in options.label_cols},
            keep_default_na=True,
            compression=None,  # a text file named .zip or .gz is read as text
            skiprows=skip,
        )
    except UnicodeDecodeError as exc:
        raise RecordingError(not_utf8_message(path, text)) from exc
    except (pd.errors.ParserError, ValueError) as exc:
        raise RecordingError(f"{path}: malformed CSV: {_one_line(exc)}") from exc
    by_raw = {raw: name for name, raw in raw_names.items()}
    frame.columns = [by_raw.get(str(c), str(c).strip()) for c in frame.columns]
    if len(frame) == 0:
        raise RecordingError(f"{path}: the file has a header but no data rows")
    if synth_time:
        assert options.rate_hz is not None
        frame[options.time_col] = np.arange(len(frame), dtype=np.float64) / options.rate_hz
    _check_repeated_header(
        path, frame, [c for c in options.data_cols if c in raw_names], raw_names,
        [str(c).strip() for c in header.columns], text,
    )
    datetimes = False
    for col in options.data_cols:
        if col == options.time_col and pd.api.types.is_integer_dtype(frame[col].dtype):
            continue  # integer timestamps (e.g. Unix ns) stay exact until made relative
        if col == options.time_col and not synth_time:
            parsed = _parse_datetimes(path, frame[col], col)
            if parsed is not None:  # made seconds by _datetimes_as_seconds
                frame[col] = parsed
                datetimes = True
                continue
        frame[col] = _to_float(path, frame[col], col, delimiter)
    frame.attrs["delimiter"] = delimiter
    frame.attrs["decimal"] = decimal
    frame.attrs["columns"] = available[: len(header.columns)]
    frame.attrs["sep_line"] = sep_line is not None
    frame.attrs["case_matched"] = case_matched
    frame.attrs["datetimes"] = datetimes
    frame.attrs["preamble"] = preamble
    return frame


OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""First bytes of an old Office file (Excel's ``.xls``, the "Excel" export of some apps)."""


def not_csv_kind(path: Path, head: bytes) -> str:
    """What other kind of file ``path`` is than CSV text ("an Excel workbook (.xls)", ...).

    "" for anything else. An old Excel file starts with :data:`OLE2_MAGIC`; an ``.xlsx`` or
    ``.ods`` is a zip holding ``xl/`` or an OpenDocument spreadsheet's ``mimetype``; a JSON
    export (Sensor Logger's, say) starts with ``[`` or ``{``; an SQLite database (Sensor
    Logger's other export) with its own header; an HTML page (an imu report), XML (a GPX or KML
    track) or PDF with theirs; an archive or compression that is not read as it is
    (:data:`ARCHIVE_MAGICS`; gzip, bzip2 and xz are, see :data:`COMPRESSIONS`).
    """
    for magic, kind in ARCHIVE_MAGICS:
        if head.startswith(magic):
            return kind
    if head[257:262] == b"ustar":
        return "a tar archive"
    if head.startswith(OLE2_MAGIC):
        return "an Excel workbook (.xls)"
    if head.startswith(SQLITE_MAGIC):
        return "an SQLite database"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{") and re.match(rb'[\[{\s]*"', text):
        return "a JSON file"
    if re.match(rb"<(!doctype html|html)\b", text, re.IGNORECASE):
        return "an HTML page"
    if text.startswith(b"<?xml"):
        return "an XML file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head[:4] != b"PK\x03\x04":
        return ""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if any(n.startswith("xl/") for n in names):
                return "an Excel workbook (.xlsx)"
            if "mimetype" in names and b"spreadsheet" in zf.read("mimetype"):
                return "an OpenDocument spreadsheet (.ods)"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error):
        return ""
    return ""


SQLITE_MAGIC: Final = b"SQLite format 3\x00"
"""First bytes of an SQLite database."""

ARCHIVE_MAGICS: Final = (
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)
"""First bytes of archives and compressions that are not read as they are, and their names."""


def not_csv_message(path: Path, kind: str) -> str:
    """The one-line refusal of a spreadsheet (or other export) given where CSV is read."""
    if kind in ("an HTML page", "an XML file", "a PDF document"):
        return (
            f"{path}: {kind}, not CSV text; give the sensor's samples: a recording (.parquet; "
            "an imu report.html is made from the NAME.parquet beside its folder), a CSV or a "
            "phone app's export"
        )
    if kind in {k for _, k in ARCHIVE_MAGICS} | {"a tar archive"}:
        return (
            f"{path}: {kind}, not CSV text; unpack it and pass the CSV (or the phone export) "
            "inside (a .csv.gz, .csv.bz2 or .csv.xz file is read as it is)"
        )
    if kind in ("a JSON file", "an SQLite database"):
        return (
            f"{path}: {kind}, not CSV text; export the recording as CSV instead (Sensor "
            "Logger: export as zipped CSV and pass the zip; phyphox: export as CSV)"
        )
    return (
        f"{path}: {kind}, not CSV text; open it in the spreadsheet program and save the sheet "
        "as 'CSV UTF-8' (File > Save As), then pass that file (phyphox: export as CSV, not "
        "Excel)"
    )


SAMPLE_INPUTS: Final = (
    "imu reads recordings (.parquet), CSV files of samples (a time column, 3 acc and 3 gyro "
    "columns) and phone exports (Sensor Logger, phyphox, Polar Sensor Logger)"
)
"""What the commands read, for the refusal of a file that holds no samples."""

SCAN_BYTES: Final = 64 * 1024
"""How much of a text file :func:`not_samples_message` reads for a row of numbers, bytes."""

IMAGE_MAGICS: Final = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
"""First bytes of the pictures a phone or a camera saves, and their names."""

FIELD_SEPARATORS: Final = (",", ";", "\t", "|", None)
"""The separators a row of numbers is looked for with (None: blanks, as ``str.split``)."""

BINARY_ADVICE: Final = (
    "binary data, not a CSV text file; if it is a spreadsheet or text in another encoding, "
    "save it as 'CSV UTF-8' and pass that file"
)
"""Why a file with NUL bytes (no text) that is neither Parquet, a zip nor compressed is refused."""


def _is_number(text: str) -> bool:
    """Whether one cell reads as a number (``1.5``, ``-2e-3``, ``0,5``, ``nan``)."""
    cell = text.strip().strip('"').strip("'").strip()
    if not cell:
        return False
    try:
        float(cell.replace(",", ".") if DECIMAL_COMMA.fullmatch(cell) else cell)
    except ValueError:
        return False
    return True


def is_number_row(line: str) -> bool:
    """Whether a line of text is a row of samples: 2 numbers or more, half its cells or more.

    Tried with each of :data:`FIELD_SEPARATORS`: a CSV row, a ``;``-separated one with
    decimal commas, a tab- or blank-separated one. A sentence that holds a number ("Did 3
    sets of leg raises.") is none: one number among six words.
    """
    for sep in FIELD_SEPARATORS:
        cells = [c for c in line.split(sep) if c.strip()]
        numbers = sum(_is_number(c) for c in cells)
        if numbers >= 2 and 2 * numbers >= len(cells):
            return True
    return False


def _picture_kind(head: bytes) -> str:
    """What a file whose first bytes are ``head`` is when they show a picture or a video.

    "" for anything else. Phones store pictures as JPEG, PNG or HEIC and videos as MP4 or
    MOV (ISO media files: ``ftyp`` at byte 4, the brand after it).
    """
    for magic, kind in IMAGE_MAGICS:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
            return "an HEIC image"
        if brand == b"avif":
            return "an AVIF image"
        return "a video (MP4 or MOV)"
    return ""


def _table_shaped(lines: Sequence[str]) -> bool:
    """Whether ``lines`` (non-empty) look like a table, of numbers or not.

    A header of 2 cells or more, alone or with a row of as many cells (empty or text: their
    reader says what is wrong with them).
    """
    for sep in (",", ";", "\t", "|"):
        cells = lines[0].count(sep) + 1
        if cells >= 2 and (len(lines) == 1
                           or any(ln.count(sep) + 1 == cells for ln in lines[1:])):
            return True
    return False


def not_samples_message(path: Path) -> str:
    """The one-line refusal of a file that cannot hold samples, "" when it may.

    Found from the file's start, before any import option applies: a picture or video, a
    document or another app's export (:func:`not_csv_kind`: PDF, JSON, HTML, a spreadsheet...),
    binary data, or text with no row of numbers (:func:`is_number_row`) in its first
    :data:`SCAN_BYTES` that is no table either (:func:`_table_shaped`): a note
    (``notes.txt``, ``README.md``) given by mistake was read as a CSV whose one column was its
    first line, and sent the user to ``--exercise`` and then to ``--time-col``. A Parquet
    file, a zip (a phone export), a compressed file and a file named ``.parquet`` are left to
    their readers, which say what is wrong with them; so is a table of text or empty cells
    (a CSV header alone, or with rows of empty values: the reader names what is missing).
    """
    if path.suffix.lower() in {".parquet", ".pq"} or not path.is_file():
        return ""
    try:
        with path.open("rb") as fh:
            head = fh.read(SCAN_BYTES)
    except OSError:
        return ""  # the reader says what is wrong
    if not head.strip() or head.startswith(b"PAR1") or _compression(head) is not None:
        return ""
    picture = _picture_kind(head)
    if picture:
        return f"{path}: {picture}, not sensor data; {SAMPLE_INPUTS}: give one of those"
    kind = not_csv_kind(path, head)
    if kind:
        return not_csv_message(path, kind)
    if head[:2] == b"PK":
        return ""  # a phone export's zip, or a damaged one: its reader says which
    codec = _text_codec(head)
    if codec is None and b"\x00" in head:
        return f"{path}: {BINARY_ADVICE}"
    try:
        text = head.decode(codec or "utf-8", "replace")
    except LookupError:
        return ""
    if len(head) == SCAN_BYTES:  # the last line may be cut: not judged
        text = text[: text.rfind("\n") + 1] or text
    lines = [ln.strip() for ln in text.lstrip("\ufeff").splitlines() if ln.strip()]
    if not lines or any(is_number_row(ln) for ln in lines) or _table_shaped(lines):
        return ""
    first = lines[0] if len(lines[0]) <= 60 else f"{lines[0][:57]}..."
    alone = sum(_is_number(ln) for ln in lines)
    what = ("one column of numbers, not a table of samples" if 2 * alone >= len(lines)
            else "text with no row of numbers in it, not a table of samples")
    return f"{path}: {what} (it starts {first!r}); {SAMPLE_INPUTS}: give one of those"


def not_utf8_message(path: Path, text: bytes | None = None) -> str:
    """The one-line refusal of a CSV file that is not UTF-8: where, and how to convert it.

    ``text``: the file's content as read (see :func:`_as_utf8`), None to read ``path``. The
    line and the byte are found in the whole file (pandas' own position is within a chunk).
    """
    try:
        data = path.read_bytes() if text is None else text
    except OSError as exc:
        return f"{path}: cannot read: {exc.strerror or exc}"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        where = f"line {line} (byte 0x{data[exc.start]:02x})"
    else:  # pandas failed where Python does not: say it without a place
        where = "a line"
    return (
        f"{path}: {where} is not UTF-8 text; the file is in another encoding (Windows "
        "or Latin-1, as older Excel saves CSV): save it again as 'CSV UTF-8', or convert it, "
        f"e.g. iconv -f WINDOWS-1252 -t UTF-8 '{path}' > utf8.csv"
    )


def _as_utf8(path: Path, head: bytes) -> bytes | None:
    """The whole file as UTF-8 text when it is stored otherwise; None for a plain file.

    Otherwise: compressed by gzip, bzip2 or xz (:data:`COMPRESSIONS`, whatever its name),
    UTF-16/32 with a byte order mark (:data:`TEXT_BOMS`), or UTF-16 without one (every other
    byte of its start zero, as in ASCII text); and lines that end in CR alone (old Mac
    text, Excel for Mac's "CSV (Macintosh)"), given LF endings: the file was read as one
    line and called truncated. A plain file is read from disk as it is.
    """
    packed = _compression(head)
    if packed is None and _text_codec(head) is None and not _cr_only(head):
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if packed is not None:
        name, decompress = packed
        try:
            data = decompress(data)
        except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
            raise RecordingError(
                f"{path}: a damaged or truncated {name} file ({_one_line(exc)}); copy it "
                f"again, or decompress what is readable ('{name} -dc FILE > data.csv') and "
                "pass that"
            ) from exc
    codec = _text_codec(data[:4096])
    if codec is not None:
        try:
            data = data.decode(codec).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise RecordingError(
                f"{path}: starts as {codec.upper()} text but byte {exc.start} is not "
                f"{codec.upper()} ({exc.reason}); save the file again as 'CSV UTF-8'"
            ) from exc
    if _cr_only(data[:4096]):
        data = data.replace(b"\r", b"\n")
    return data


def _cr_only(head: bytes) -> bool:
    """Whether the lines of text starting with ``head`` end in CR alone (no LF at all)."""
    return b"\r" in head.rstrip(b"\r") and b"\n" not in head


def _text_codec(head: bytes) -> str | None:
    """The codec of text that is not UTF-8 (see :func:`_as_utf8`), None otherwise."""
    for bom, codec in TEXT_BOMS:
        if head.startswith(bom):
            return codec
    sample = head[: min(len(head), 512) // 2 * 2]
    if len(sample) >= 8:
        if b"\x00" not in sample[0::2] and not sample[1::2].strip(b"\x00"):
            return "utf-16-le"
        if b"\x00" not in sample[1::2] and not sample[0::2].strip(b"\x00"):
            return "utf-16-be"
    return None


def _check_field_counts(path: Path, head: bytes, delimiter: str) -> None:
    """Refuse data rows with more fields than the header (comment lines above it removed).

    The columns would be read shifted: e.g. decimal commas in a file with "," between fields,
    unquoted, or a row name before each row that the header does not name (R's
    ``write.table``). Empty fields at the end of a row (a delimiter closing every line) are
    not counted.
    """
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:12]
    rows = list(csv.reader(lines[:-1] if len(head) >= 4096 else lines, delimiter=delimiter))
    if len(rows) < 2:
        return
    n_header = len(rows[0])
    for i, row in enumerate(rows[1:], start=1):
        while row and not row[-1].strip():
            row = row[:-1]
        if len(row) <= n_header:
            continue
        fix = "a delimiter too many in the rows, or a column name missing in the header"
        if len(row) == n_header + 1:
            fix = (
                "a row name before each row that the header does not name (R's write.table: "
                "write with row.names = FALSE), or a column name missing in the header"
            )
        elif delimiter == "," and re.search(r"\d,\d", lines[i]):
            fix = (
                f"the numbers look like they have decimal commas ({lines[i][:24]!r}...), which "
                "split the fields of a file with ',' between them; save it with ';' between "
                "fields, or with '.' as decimal mark"
            )
        raise RecordingError(
            f"{path}: data row {i} has {len(row)} fields but the header has {n_header}: {fix}"
        )


def _leading_comment_lines(head: bytes) -> int:
    """How many lines at the top of a file start with '#' or are blank (above the header).

    When the line after them is data (numbers only), the last '#' line is the header itself,
    as ``numpy.savetxt(..., header=...)`` writes it ("# time_s,acc_x,..."), and is not counted.
    Blank lines are skipped as comments are: an exporter's empty first line, or one after
    its "# exported by ..." line (they once ended the import in a traceback).
    """
    lines = head.lstrip(b"\xef\xbb\xbf").splitlines()
    n = 0
    while n < len(lines) - 1 and (not lines[n].strip() or lines[n].lstrip().startswith(b"#")):
        n += 1
    if n and _is_numbers(lines[n]):
        comments = [i for i in range(n) if lines[i].lstrip().startswith(b"#")]
        if comments:
            n = comments[-1]
    return n


def _is_numbers(line: bytes) -> bool:
    """Whether every field of a line (split at , ; tab | or blanks) is a number."""
    fields = [f for f in re.split(rb"[,;\t|\s]+", line.strip()) if f]
    try:
        [float(f) for f in fields]
    except ValueError:
        return False
    return bool(fields)


EXCEL_SEP_LINE: Final = re.compile(rb'\s*"?sep=(.)"?[,;\t|]*\s*', re.IGNORECASE)
"""Excel's first line naming the field separator (``sep=;``): honoured and skipped."""


def _excel_sep_line(head: bytes) -> str | None:
    """The separator an Excel ``sep=X`` first line names, None without such a line."""
    lines = head.lstrip(b"\xef\xbb\xbf").splitlines()
    found = EXCEL_SEP_LINE.fullmatch(lines[0]) if lines else None
    if found is None:
        return None
    sep = found.group(1).decode("utf-8", "replace")
    return None if sep in ('"', "\n", "\r") else sep


def _skip_preamble(head: bytes) -> tuple[bytes, int, str | None]:
    """``(head, lines, separator)``: the start of a file from its header line on.

    Lines above the header: Excel's ``sep=;`` line first (its separator returned, else None),
    then comment lines starting with '#' ("# exported by ...", :func:`_leading_comment_lines`).
    """
    skip = 0
    sep = _excel_sep_line(head)
    if sep is not None:
        head = b"\n".join(head.lstrip(b"\xef\xbb\xbf").splitlines()[1:])
        skip = 1
    comments = _leading_comment_lines(head)
    if comments:
        head = b"\n".join(head.splitlines()[comments:])
        skip += comments
    return head, skip, sep


def _header_further_down(head: bytes, options: CsvOptions) -> int:
    """How many lines above the header a file has that are neither '#' comments nor data.

    A device's export may start with lines such as ``Device: MetaMotionS`` and a date, and
    its header (``time_s,acc_x,...``) below them; the columns were then "not found", with
    the first of those lines as the only name. When the first line lacks a column the
    options name and a line within :data:`HEADER_SEARCH_LINES` has them all (any delimiter,
    any case), the file is read from that line, as from below '#' comments, and the import
    says so (:func:`read_csv_for_import`). 0 when the first line is the header, or a line of
    numbers comes before any such line (data first: not a preamble).

    Args:
        head: the start of the file, from below its ``sep=`` and '#' lines.
        options: the columns to look for.

    """
    need = {c.casefold() for c in (*options.data_cols, *options.label_cols)}
    if options.rate_hz is not None:  # a file without timestamps (see read_csv_frame)
        need.discard(options.time_col.casefold())
    delimiters = (*DELIMITERS, options.delimiter) if options.delimiter else DELIMITERS

    def names(line: bytes) -> set[str]:
        text = line.decode("utf-8", "replace").lstrip("\ufeff")
        return {f.strip().strip('"').casefold() for d in delimiters for f in text.split(d)}

    lines = head.splitlines()[:HEADER_SEARCH_LINES]
    if not need or not lines or need <= names(lines[0]):
        return 0
    for i, line in enumerate(lines[1:], start=1):
        if _is_numbers(line):
            return 0
        if need <= names(line):
            return i
    return 0


def _header_fields(head: bytes, delimiter: str) -> list[str]:
    """The header line's names as written (blanks around them and a leading '#' removed)."""
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not lines:
        return []
    try:
        fields = next(csv.reader(lines[:1], delimiter=delimiter), [])
    except csv.Error:
        return []
    names = [f.strip() for f in fields]
    if names and names[0].startswith("#"):
        names[0] = names[0].lstrip("#").strip()
    return names


def _renamed_repeats(written: Sequence[str], read: Sequence[str]) -> dict[str, list[str]]:
    """Header names written more than once, and what the reader renamed their repeats.

    pandas keeps the first ``x`` and reads the others as ``x.1``, ``x.2``: e.g.
    ``{"x": ["x.1"]}`` for a header ``t,x,y,z,x,y,z``. Empty when no name repeats (or the
    header could not be split as the reader did).
    """
    if len(written) != len(read):
        return {}
    seen: set[str] = set()
    out: dict[str, list[str]] = {}
    for name, as_read in zip(written, read, strict=True):
        if name in seen and as_read != name:
            out.setdefault(name, []).append(as_read)
        seen.add(name)
    return out


def _match_case(options: CsvOptions, available: list[str]) -> list[tuple[str, str]]:
    """Take a header name differing only in case for a column the options name (in place).

    Only a unique match is taken (``TIME_S`` for ``time_s``), and only for a name that is not
    in the header as given; ``available`` then holds the options' name in its place.

    Returns:
        ``(name in the file, name used)`` pairs, for the report.

    """
    taken: list[tuple[str, str]] = []
    wanted = list(dict.fromkeys((*options.data_cols, *options.label_cols)))
    for name in wanted:
        if name in available:
            continue
        same = [i for i, a in enumerate(available) if a.casefold() == name.casefold()]
        if len(same) == 1 and available[same[0]] not in wanted:
            taken.append((available[same[0]], name))
            available[same[0]] = name
    return taken


def _check_repeated_names(
    path: Path, options: CsvOptions, repeats: dict[str, list[str]]
) -> None:
    """Refuse a column the options read whose name the header writes more than once.

    The reader takes the first and renames the others (``acc_x.1``): the import would read
    one of two columns of one name without saying which. Naming the renamed one too (as the
    other sensor's column, say) settles it.
    """
    used = set(options.data_cols) | set(options.label_cols)
    for name, renamed in repeats.items():
        if name not in used or used & set(renamed):
            continue
        flag = next(
            (f for f, cols in (("--time-col", (options.time_col,)),
                               ("--acc-cols", options.acc_cols),
                               ("--gyr-cols", options.gyr_cols)) if name in cols),
            "",
        )
        pick = ""
        if flag == "--time-col":
            pick = f", or read the other with --time-col {renamed[0]}"
        elif flag:
            cols = options.acc_cols if flag == "--acc-cols" else options.gyr_cols
            other = ",".join(renamed[0] if c == name else c for c in cols)
            pick = f", or read the other with {flag} {other}"
        times = "twice" if len(renamed) == 1 else f"{len(renamed) + 1} times"
        also = ", ".join(repr(r) for r in renamed)
        raise ImportOptionsError(
            f"{path}: the header names column {name!r} {times} (the reader calls the repeat "
            f"{also}), so which one holds the data is unclear; give the columns distinct "
            f"names in the header{pick}"
        )


def _check_repeated_header(
    path: Path,
    frame: pd.DataFrame,
    cols: Sequence[str],
    raw_names: dict[str, str],
    names: Sequence[str],
    text: bytes | None,
) -> None:
    """Refuse data rows that repeat the header: two CSV files joined (``cat a.csv b.csv``).

    Such a row holds column names where numbers should be. Dropping it would join two
    recordings into one, their times overlapping or far apart; the message says where to
    split the file instead.

    Args:
        path: the file, for the message.
        frame: the rows as read (before numbers are parsed), columns as the options name them.
        cols: the data columns read from the file.
        raw_names: column name -> the name as the reader gave it.
        names: every name in the header (blanks around them removed).
        text: the file's content when not read from disk as it is (see :func:`_as_utf8`).

    """
    header = set(names)
    hit: pd.Series | None = None
    for col in cols:
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values.dtype):
            return
        is_name = values.astype(str).str.strip().isin(header) & values.notna()
        hit = is_name if hit is None else hit & is_name
        if not bool(hit.any()):
            return
    if hit is None:
        return
    rows = np.flatnonzero(hit.to_numpy())
    row = int(rows[0]) + 1
    shown = ",".join(raw_names.get(c, c).strip() for c in cols[:3])
    more = (
        f"; {plural(rows.size - 1, 'more row')} repeat it (data rows "
        f"{', '.join(str(int(r) + 1) for r in rows[1:4])}{' ...' if rows.size > 4 else ''})"
        if rows.size > 1
        else ""
    )
    split = ""
    line = _repeated_header_line(path, text)
    if line is not None and text is None:
        split = (
            f" (e.g. head -n {line - 1} {path.name} > part1.csv; tail -n +{line} {path.name} "
            "> part2.csv)"
        )
    raise ImportOptionsError(
        f"{path}: data row {row} repeats the header ({shown},...): the file looks like two "
        f"files joined (e.g. with cat){more}; split it there into separate files{split} and "
        "analyse each part"
    )


def _repeated_header_line(path: Path, text: bytes | None) -> int | None:
    """The 1-based line number of the first repeat of the header line, None if not found."""
    try:
        with path.open("rb") if text is None else io.BytesIO(text) as fh:
            lines = iter(fh)
            first = b""
            for number, line in enumerate(lines, start=1):
                stripped = line.strip().lstrip(b"\xef\xbb\xbf")
                if not first:
                    if (
                        stripped
                        and not stripped.startswith(b"#")
                        and EXCEL_SEP_LINE.fullmatch(stripped) is None
                    ):
                        first = stripped
                    continue
                if stripped == first:
                    return number
    except OSError:
        return None
    return None


ISO_DATETIME: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?",
    re.IGNORECASE,
)
"""An ISO 8601 date and time (``T`` or a blank between them; fractional seconds, ``Z`` or an
offset optional), as many loggers write their timestamps."""

DATE_OR_TIME: Final = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}")
"""Something that looks like a date or a time of day in some other form."""


def _parse_datetimes(path: Path, column: pd.Series, name: str) -> pd.Series | None:
    """A time column of ISO 8601 date-times as ``datetime64`` (UTC, naive), else None.

    The column is taken for date-times when its first value is one (:data:`ISO_DATETIME`);
    values with an offset or ``Z`` are converted to UTC, values without one are taken as UTC
    (as a Parquet date-time column is). Empty cells become NaT (an empty time).

    Raises:
        ImportOptionsError: a later value is no date-time (names it and its row).

    """
    if pd.api.types.is_numeric_dtype(column.dtype):
        return None
    text = column.astype(str).str.strip()
    filled = column.notna() & (text != "")
    if not bool(filled.any()):
        return None
    first = str(text[filled].iloc[0])
    if ISO_DATETIME.fullmatch(first) is None:
        return None
    parsed = pd.to_datetime(
        text.where(filled).str.replace(",", ".", regex=False),
        format="ISO8601",
        utc=True,
        errors="coerce",
    )
    bad = parsed.isna() & filled
    if bool(bad.any()):
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ImportOptionsError(
            f"{path}: column {name!r}, data row {pos + 1}: {column.iloc[pos]!r} is not a date "
            f"and time like the rows before it ({first!r}); fix the value, or write every "
            "time as an ISO 8601 date-time (2024-05-01T10:00:00.123Z) or in seconds"
        )
    return parsed.dt.tz_localize(None)


def import_frame(
    frame: pd.DataFrame,
    options: CsvOptions,
    source: str = "dataframe",
    extra_repairs: tuple[Repair, ...] = (),
    rate_estimated_as: str | None = None,
) -> list[ImportedRecording]:
    """Import a table already in memory (e.g. from another reader); see :func:`import_csv`.

    Args:
        frame: columns named by ``options``; time/acc/gyro numeric (empty values as NaN).
        options: layout and units.
        source: name used in messages and ``meta.source``.
        extra_repairs: repairs the caller already made, added to every report.
        rate_estimated_as: the caller estimated ``options.rate_hz`` itself (the user gave
            none), this way (e.g. "the accelerometer's median interval (9.8 ms)"): the
            report says the rate was estimated, not given. None: as ``options`` says.

    Raises:
        RecordingError, ImportOptionsError: see :func:`import_csv`; messages name ``source``.

    """
    try:
        return _import_frame(frame, options, source, extra_repairs, rate_estimated_as)
    except (ImportOptionsError, RecordingError) as exc:
        if source in str(exc):
            raise
        raise type(exc)(f"{source}: {one_line(exc)}") from exc


def _import_frame(
    frame: pd.DataFrame,
    options: CsvOptions,
    source: str,
    extra_repairs: tuple[Repair, ...],
    rate_estimated_as: str | None = None,
) -> list[ImportedRecording]:
    # A Parquet table's frame holds only the columns named: the error lists all the file's
    # (trial 25: "the file has: time_s" of a table with ax, ay, ... beside it).
    read = [str(c) for c in frame.columns]
    _check_columns(Path(source), options,
                   list(dict.fromkeys([*read, *map(str, frame.attrs.get("columns", []))])))
    time_fix = _time_fix(options, frame.attrs.get("columns", [str(c) for c in frame.columns]))
    if len(frame) == 0:
        raise RecordingError(f"{source}: no data rows")
    frame = frame.reset_index(drop=True)
    if options.time_col in frame.columns and (
        pd.api.types.is_string_dtype(frame[options.time_col].dtype)
        or frame[options.time_col].dtype == object
    ):
        parsed = _parse_datetimes(Path(source), frame[options.time_col], options.time_col)
        if parsed is not None:  # ISO 8601 text in a table from another reader
            frame = frame.assign(**{options.time_col: parsed})
    frame, options, offset_s = _datetimes_as_seconds(frame, options)
    for col in options.data_cols:
        if not pd.api.types.is_numeric_dtype(frame[col].dtype) or pd.api.types.is_bool_dtype(
            frame[col].dtype
        ):
            frame[col] = _to_float(Path(source), frame[col], col, frame.attrs.get("delimiter"))
    frame, far = _drop_impossible_times(frame, options)
    if far:
        extra_repairs = (
            *extra_repairs,
            Repair(
                "time_outlier",
                far,
                f"{plural(far, 'row')} with an impossible time (beyond {MAX_TIME_S:.0e} s) "
                "dropped",
            ),
        )
    origin_s, t_rel = _relative_time_s(frame[options.time_col], options.time_unit)
    origin_s += offset_s
    cleaned = [
        (
            key,
            rows,
            _clean(_where(source, key), rows, t_rel[rows.index.to_numpy()], options, time_fix),
        )
        for key, rows in _split(frame, options)
    ]
    pooled = interval_stats(
        np.concatenate([np.diff(c.t_s) for _, _, c in cleaned]), options.max_gap_s
    )
    absolute = _is_absolute(origin_s, options)
    if options.check_units:  # first: a wrong unit is why no rate can be estimated
        _check_time_unit(source, pooled, origin_s if absolute else None, options.time_unit,
                         options.max_gap_s)
    estimated_rate, how = estimate_rate_hz(pooled)
    if options.rate_hz is None:
        rate, note = estimated_rate, how
        if len(cleaned) > 1:
            note = f"{how}, pooled over all {len(cleaned)} groups"
    elif rate_estimated_as is not None:
        rate, note = options.rate_hz, rate_estimated_as
    else:
        rate, note = options.rate_hz, "given"
    _check_gap_limit(source, options.max_gap_s, rate, options.rate_hz is None)
    timing = _Timing(
        rate,
        note,
        options.rate_hz is None or rate_estimated_as is not None,
        estimated_rate,
        origin_s if absolute else None,
    )
    check_upsampling(source, rate, estimated_rate, given=rate_estimated_as is None
                      and options.rate_hz is not None)
    for key, _, c in cleaned:
        _check_grid_size(_where(source, key), c.t_s, rate, options)
    resampled = [_resample(_where(source, key), c, options, rate) for key, _, c in cleaned]
    gravity = _gravity_per_group([key for key, _, _ in cleaned], resampled, options)
    names = _unique_names([_group_name(key, source) for key, _, _ in cleaned])
    results = []
    for (key, rows, c), r, g, name in zip(cleaned, resampled, gravity, names, strict=True):
        rec, report = _finish(source, key, rows, c, r, g, options, timing, extra_repairs)
        results.append(ImportedRecording(rec, report, name))
        logger.info(
            "imported %s: %d samples at %g Hz", report.group_label or source, rec.n_samples, rate
        )
    return results


# --- reading -------------------------------------------------------------------------------


def _read_all(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _read_head(path: Path, n: int = 4096) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(n)
    except OSError as exc:
        raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _one_line(exc: BaseException) -> str:
    return one_line(exc)


def _check_choice(what: str, value: str, choices: Sequence[str], flag: str) -> None:
    if value not in choices:
        raise ImportOptionsError(
            f"unknown {what} {value!r}; use {flag} with one of: {', '.join(choices)}"
        )


def _check_distinct_columns(
    time_col: str, acc_cols: Sequence[str], gyr_cols: Sequence[str]
) -> None:
    """Refuse a column named twice: within ``--acc-cols``/``--gyr-cols`` or across the roles.

    One column read as two axes (``acc_x,acc_x,acc_x``), the accelerometer read as the gyro,
    or a sensor column read as the time gives a recording of wrong data without any error.
    """
    roles = (
        ("the time column", "--time-col", (time_col,)),
        ("an accelerometer column", "--acc-cols", tuple(acc_cols)),
        ("a gyroscope column", "--gyr-cols", tuple(gyr_cols)),
    )
    for (_, flag, cols), example in zip(roles[1:], ("ax,ay,az", "gx,gy,gz"), strict=True):
        repeated = sorted({c for c in cols if cols.count(c) > 1})
        if repeated:
            raise ImportOptionsError(
                f"{flag} {','.join(cols)} names {repeated[0]!r} more than once: each axis (x, "
                f"y, z) needs its own column; e.g. {flag} {example}"
            )
    for i, (what_a, flag_a, cols_a) in enumerate(roles):
        for what_b, flag_b, cols_b in roles[i + 1 :]:
            shared = [c for c in cols_a if c in cols_b]
            if shared:
                raise ImportOptionsError(
                    f"column {shared[0]!r} is given as {what_a} ({flag_a}) and as {what_b} "
                    f"({flag_b}): one column cannot be both; name the right columns "
                    f"(defaults: --time-col {TIME} --acc-cols {','.join(ACC)} --gyr-cols "
                    f"{','.join(GYR)})"
                )


POLAR_SL_TIME: Final = "sensor timestamp [ns]"
"""The device time column of the Polar Sensor Logger app's files (``..._ACC.txt`` etc.)."""


def polar_sensor_logger_stream(columns: Sequence[str]) -> str:
    """Which Polar Sensor Logger stream a header is ("accelerometer in mg", ...), else "".

    The app writes one ``;``-separated file per stream: ``Phone timestamp;sensor timestamp
    [ns];X [mg];Y [mg];Z [mg]`` for the accelerometer, ``X [dps]`` ... for the gyroscope.
    """
    names = {c.strip().casefold() for c in columns}
    if POLAR_SL_TIME not in names:
        return ""
    if {"x [mg]", "y [mg]", "z [mg]"} <= names:
        return "the accelerometer, in mg"
    if {"x [dps]", "y [dps]", "z [dps]"} <= names:
        return "the gyroscope, in deg/s"
    return "no accelerometer or gyroscope in it"


def _check_columns(
    path: Path,
    options: CsvOptions,
    available: list[str],
    repeats: dict[str, list[str]] | None = None,
) -> None:
    """Refuse options naming columns the file lacks, listing the file's columns.

    ``repeats``: header names written more than once, and what the reader renamed their
    repeats (:func:`_renamed_repeats`), said in the message when there are any. Names that
    differ only in case from a missing one are offered (several: no unique match was taken).
    """
    required = list(dict.fromkeys((*options.data_cols, *options.label_cols)))
    missing = [c for c in required if c not in available]
    if not missing:
        return
    spare = [c for c in available if c not in required]
    if set(missing) == set(options.gyr_cols) and not spare:
        raise ImportOptionsError(
            f"{path}: no gyroscope columns: the file has only {', '.join(available)}; the rep "
            "analysis needs the gyroscope (angular rate) beside the accelerometer: record "
            "with the gyroscope on (a phone app: its 'Gyroscope' sensor too)"
        )
    polar = polar_sensor_logger_stream(available)
    if polar:
        raise ImportOptionsError(
            f"{path}: a Polar Sensor Logger file ({polar}), read here as a plain CSV; that "
            "app writes the accelerometer (_ACC.txt, mg) and the gyroscope (_GYRO.txt, deg/s) "
            "to separate files, which imu joins: leave --format out (or pass --format "
            "polar-sensor-logger) and give the _ACC.txt or _GYRO.txt file, or their folder"
        )
    shown = ", ".join(available[:30]) + (" ..." if len(available) > 30 else "")
    cased = [
        f"{c!r} could be {' or '.join(repr(a) for a in same)}"
        for c in missing
        if (same := [a for a in available if a.casefold() == c.casefold()])
    ]
    if cased:  # several names differ only in case: none was taken
        shown += f" (differing only in case: {'; '.join(cased)})"
    if repeats:
        renamed = "; ".join(
            f"{name!r} repeats, read as {', '.join(map(repr, again))}"
            for name, again in repeats.items()
        )
        shown += f" (the header names a column more than once: {renamed})"
    if len(available) == 1:
        seps = [d for d in DELIMITERS if d != options.delimiter and d in available[0]]
        if seps:
            sep = "\\t" if seps[0] == "\t" else seps[0]
            raise ImportOptionsError(
                f"{path}: the header is one column {available[0][:80]!r}: the fields look "
                f"separated by {sep!r}, not {options.delimiter!r}; pass --delimiter {sep!r} "
                "(or leave --delimiter out to detect it)"
            )
        blanks = {t.strip('"').casefold() for t in available[0].split()}
        named = {c.casefold() for c in options.data_cols}
        by_blanks = len(blanks) >= 4 or (len(blanks) > 1 and bool(blanks & named))
        if options.delimiter != " " and by_blanks:
            # Blanks are taken as the separator only when they give every column named
            # (sniff_delimiter): a blank also sits inside column names ("Time (s)").
            raise ImportOptionsError(
                f"{path}: the header is one column {available[0][:80]!r}: the fields look "
                "separated by blanks; pass --delimiter ' ' (and name the columns with "
                "--time-col, --acc-cols, --gyr-cols)"
            )
    if missing == [options.time_col] and options.time_col == "none":
        raise ImportOptionsError(
            f"{path}: --time-col none takes the rows as consecutive samples, so it needs the "
            "sampling rate too: add --rate HZ"
        )
    no_time = (
        " A file without timestamps can give its sampling rate instead: --rate HZ."
        if missing == [options.time_col]
        else ""
    )
    raise ImportOptionsError(
        f"{path}: column(s) {', '.join(repr(c) for c in missing)} not found; the file has: "
        f"{shown}. Name your columns with --time-col, --acc-cols, --gyr-cols "
        f"(and --split-by/--participant-col/--exercise-col).{no_time}"
    )


def _check_not_truncated(
    path: Path, delimiter: str, skip: int = 0, text: bytes | None = None
) -> None:
    """Compare the field count of the last line with the header's (a cut-off write).

    ``skip``: comment lines above the header. ``text``: the file's content as read (see
    :func:`_as_utf8`), None to read it from ``path``.
    """
    try:
        with path.open("rb") if text is None else io.BytesIO(text) as fh:
            for _ in range(skip):
                fh.readline()
            first = fh.readline()
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 65536))
            tail = fh.read()
    except OSError as exc:
        raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    lines = [ln for ln in tail.splitlines() if ln.strip()]
    if not lines or b'"' in first or b'"' in lines[-1]:
        return
    sep = delimiter.encode()
    want, got = first.count(sep), lines[-1].count(sep)
    if got < want:
        raise RecordingError(
            f"{path}: the last line has {got + 1} fields but the header has {want + 1}: "
            "the file looks truncated (an interrupted write or copy); remove the incomplete "
            "last line or copy the file again"
        )


UNIT_CELL: Final = re.compile(
    r"[\[(]?\s*(s|sec|secs|seconds?|ms|us|µs|ns|min|m/s\^?2|m/s²|m\s*s-2|g|mg|deg/s|°/s|"
    r"dps|rad/s|rad\s*s-1|counts?|lsb)\s*[\])]?",
    re.IGNORECASE,
)
"""A cell that names a unit (``s``, ``[m/s^2]``, ``deg/s``): a row of units under a header."""


def _to_float(
    path: Path, column: pd.Series, name: str, delimiter: str | None = None
) -> pd.Series:
    """Return the column as float64: empty cells become NaN, other non-numbers are errors.

    ``delimiter``: the file's, to word the fix of a value with a decimal comma.
    """
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return column.astype(np.float64)
    numeric = pd.to_numeric(column, errors="coerce")
    text = column.astype(str).str.strip()
    bad = numeric.isna() & column.notna() & (text != "")
    if bool(bad.any()):
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        value = column.iloc[pos]
        fix = f"fix the value or check that {name!r} is the right column"
        if DATE_OR_TIME.search(str(value)) and not _is_numbers(str(value).encode()):
            fix = (
                "it looks like a date or time of day, which is read only as an ISO 8601 "
                "date-time (2024-05-01T10:00:00.123, optionally with Z or +hh:mm); write the "
                "times that way or as numbers (seconds, or --time-unit)"
            )
        elif pos == 0 and UNIT_CELL.fullmatch(str(value).strip()) and bool(
            (~bad.iloc[1:] & numeric.iloc[1:].notna()).any()
        ):
            fix = (
                "it looks like a row of units under the header: delete that line (give the "
                "units with --time-unit, --acc-unit and --gyr-unit)"
            )
        elif DECIMAL_COMMA.fullmatch(str(value).strip()):
            fix = (
                "it has a decimal comma, but the first rows of the file show none (the "
                "decimal mark is read from them); save the file with '.' as decimal mark"
                if delimiter not in (None, ",")
                else "it has a decimal comma; save the file with '.' as decimal mark (or "
                "with ';' between fields)"
            )
        raise ImportOptionsError(
            f"{path}: column {name!r}, data row {pos + 1}: {value!r} is not a number; {fix}"
        )
    return numeric.astype(np.float64)


# --- time -----------------------------------------------------------------------------------


def _datetimes_as_seconds(
    frame: pd.DataFrame, options: CsvOptions
) -> tuple[pd.DataFrame, CsvOptions, float]:
    """A time column of dates and times (or durations) as seconds, whatever ``time_unit`` says.

    A Parquet or Feather table can hold its times as ``datetime64`` (naive: taken as UTC;
    with a time zone: converted to UTC) or ``timedelta64``, and a CSV file ISO 8601 text
    (read as ``datetime64`` by :func:`_parse_datetimes`); such a column carries its own
    unit, so it becomes float seconds and the unit "s".

    Returns:
        ``(frame, options, offset_s)``: date-times become seconds after ``offset_s`` (the
        earliest time's whole second, from 1970), so that float seconds keep their
        microseconds (from 1970 they would keep a quarter of one); durations are seconds
        from zero (offset 0).

    """
    col = options.time_col
    if col not in frame.columns:
        return frame, options, 0.0
    values = frame[col]
    offset_s = 0.0
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        earliest = values.min()
        base = pd.Timestamp("1970-01-01") if pd.isna(earliest) else earliest.floor("s")
        offset_s = float((base - pd.Timestamp("1970-01-01")).total_seconds())
        seconds = (values - base).dt.total_seconds()
    elif pd.api.types.is_timedelta64_dtype(values.dtype):
        seconds = values.dt.total_seconds()
    else:
        return frame, options, 0.0
    frame = frame.copy()
    frame[col] = seconds.astype(np.float64)
    return frame, replace(options, time_unit="s"), offset_s


def _relative_time_s(time_raw: pd.Series, unit: str) -> tuple[float, FloatArray]:
    """``(origin_s, t_rel)``: the file's smallest time in s, and times relative to it, s.

    Integer timestamps (e.g. Unix ns) are made relative before the conversion to float, so no
    precision is lost.
    """
    scale = TIME_TO_S[unit]
    values = time_raw.to_numpy()
    finite = np.isfinite(values.astype(np.float64))
    if not np.any(finite):
        return 0.0, np.full(values.shape, np.nan)
    if np.issubdtype(values.dtype, np.integer):
        base = int(values.min())
        return base * scale, (values - base).astype(np.float64) * scale
    v = values.astype(np.float64)
    base_f = float(np.min(v[finite]))
    return base_f * scale, (v - base_f) * scale


def _is_absolute(origin_s: float, options: CsvOptions) -> bool:
    if options.time_origin == "absolute":
        return True
    if options.time_origin == "relative":
        return False
    return origin_s > UNIX_EPOCH_THRESHOLD_S


def _check_time_unit(
    source: str,
    stats: TimingStats,
    absolute_origin_s: float | None,
    unit: str,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
) -> None:
    """Refuse times whose unit gives a rate no IMU records at, naming the unit that fits.

    The rate is the effective one (intervals per second of the span, outside
    ``PLAUSIBLE_RATE_HZ[0]``..:data:`MAX_IMU_RATE_HZ`); a slow one is also refused when most
    intervals are longer than the gap limit ``max_gap_s`` at a rate under
    ``USUAL_RATE_HZ[0]`` and another unit gives a usual rate: the grid would be almost all
    gaps (times in seconds read as minutes gave 0.87 Hz, 99.6% of the grid empty, exit code
    0). A slow rate no unit explains is left to the analysis, which says it is too slow
    (``imu.cli._csvargs.too_slow_message``); a gap limit given below one sample of a usual
    rate is :func:`_check_gap_limit`'s to refuse.
    """
    low, high = PLAUSIBLE_RATE_HZ[0], MAX_IMU_RATE_HZ
    rate = stats.effective_rate_hz
    if absolute_origin_s is not None and absolute_origin_s > UNIX_MAX_S:
        guess = _guess_time_unit(absolute_origin_s, unit, target=1.5e9)
        fix = (
            f"the time looks like it is in {guess}: pass --time-unit {guess}"
            if guess != unit
            else "no time unit brings it before 2100: check that the time column holds "
            "times, or convert it to seconds"
        )
        raise ImportOptionsError(
            f"{source}: the first timestamp is {absolute_origin_s:.6g} s after 1970 with "
            f"--time-unit {unit}, after the year 2100; {fix}"
        )
    median_rate = 1.0 / stats.median_interval_s if stats.median_interval_s > 0 else math.inf
    if not low <= rate <= high and low <= median_rate <= high:
        raise ImportOptionsError(
            f"{source}: most samples are {stats.median_interval_s:.4g} s apart but the "
            f"timestamps span {stats.span_s:.4g} s ({stats.max_interval_s:.4g} s between two "
            "rows): a timestamp is far off (fix or remove that row), or the file holds "
            "several recordings made at different times (name the column that tells them "
            "apart with --split-by, e.g. a participant or session column, or split the file)"
        )
    if not low <= rate <= high:
        raise ImportOptionsError(_time_unit_message(source, rate, unit))
    intervals = stats.n_samples - 1
    mostly_gaps = intervals > 0 and 2 * stats.n_gap_intervals > intervals
    if mostly_gaps and median_rate < USUAL_RATE_HZ[0]:
        fits = _rate_unit_guess(median_rate, unit)
        if fits is None or fits[1] > USUAL_RATE_HZ[1]:
            return  # no unit explains it: a slow sensor, which the analysis refuses itself
        share = stats.n_gap_intervals / intervals
        why = (
            f"too slow for an IMU: {share:.0%} of the intervals are longer than the gap limit "
            f"({max_gap_s:g} s), so the grid would be almost all gaps"
        )
        raise ImportOptionsError(_time_unit_message(source, median_rate, unit, why))


def _time_unit_message(source: str, rate: float, unit: str, why: str = "") -> str:
    """The one-line refusal of a rate no IMU gives, naming the unit that fits, if one does.

    The unit in use is never advised: when no other unit brings the rate into
    :data:`USUAL_RATE_HZ`, the message says so and asks for the column in seconds. ``why``:
    what is wrong with the rate ("" for the usual words: far above any IMU, or implausible).
    """
    why = why or (
        f"far above any hip IMU or phone (at most {MAX_IMU_RATE_HZ:g} Hz)"
        if rate > MAX_IMU_RATE_HZ
        else "implausible for an IMU"
    )
    told = f"{source}: the times give {rate:.4g} Hz when read as {unit}, {why}"
    anyway = f"(or --no-unit-check if the rate is really {rate:.4g} Hz)"
    guess = _rate_unit_guess(rate, unit)
    if guess is not None and guess[1] <= USUAL_RATE_HZ[1]:
        fits, fits_hz = guess
        looks = (
            f"is the time column in minutes? Read as min they give {fits_hz:.4g} Hz"
            if fits == "min"
            else f"the time looks like it is in {fits} ({fits_hz:.4g} Hz then)"
        )
        return f"{told}; {looks}: pass --time-unit {fits} {anyway}"
    doubt = (
        f" (read as {guess[0]} they give {guess[1]:.4g} Hz, which only the fastest IMUs "
        f"record at: if yours does, pass --time-unit {guess[0]})"
        if guess is not None
        else ""
    )
    return (
        f"{told}, and no other time unit gives a usual IMU rate{doubt}: the times are "
        "scaled some other way or are not times; convert the time column to seconds, or "
        f"name the right column with --time-col {anyway}"
    )


def _rate_unit_guess(rate: float, unit: str) -> tuple[str, float] | None:
    """``(unit, rate in Hz)`` of the other time unit whose rate is nearest 100 Hz.

    Only rates from :data:`USUAL_RATE_HZ`'s low end up to :data:`MAX_IMU_RATE_HZ` count; None
    if no unit but ``unit`` gives one.
    """
    low, high = USUAL_RATE_HZ[0], MAX_IMU_RATE_HZ
    fits = [
        (abs(math.log10(r / 100.0)), cand, r)
        for cand, scale in TIME_TO_S.items()
        if cand != unit and low <= (r := rate * TIME_TO_S[unit] / scale) <= high
    ]
    if not fits:
        return None
    _, cand, r = min(fits)
    return cand, r


def _guess_time_unit(value: float, unit: str, target: float, inverse: bool = False) -> str:
    """Return the time unit bringing ``value`` (s or Hz as read in ``unit``) near ``target``."""
    best, best_err = unit, math.inf
    for cand, scale in TIME_TO_S.items():
        factor = scale / TIME_TO_S[unit]
        v = value / factor if inverse else value * factor
        err = abs(math.log10(v / target)) if v > 0 else math.inf
        if err < best_err:
            best, best_err = cand, err
    return best


# --- groups ---------------------------------------------------------------------------------


def _split(
    frame: pd.DataFrame, options: CsvOptions
) -> list[tuple[tuple[tuple[str, str], ...], pd.DataFrame]]:
    if not options.split_by:
        return [((), frame)]
    keys = frame[list(options.split_by)].fillna("").astype(str)
    codes, uniques = pd.factorize(
        pd.MultiIndex.from_frame(keys) if len(options.split_by) > 1 else keys.iloc[:, 0]
    )
    out = []
    for code, unique in enumerate(uniques):
        values = unique if isinstance(unique, tuple) else (unique,)
        key = tuple((c, str(v)) for c, v in zip(options.split_by, values, strict=True))
        out.append((key, frame[codes == code]))
    return out


def _where(source: str, key: tuple[tuple[str, str], ...]) -> str:
    return f"{source} ({', '.join(f'{k}={v}' for k, v in key)})" if key else source


MAX_GROUP_NAME = 100
"""Longest file stem made of ``--split-by`` values, characters: a longer one is cut and ends
with a hash of the whole, so names stay apart and under every file system's 255 bytes."""


def _group_name(key: tuple[tuple[str, str], ...], source: str) -> str:
    if not key:
        return Path(source).stem or "recording"
    # Accents are taken off first (José -> Jose, not Jos), as export-bids names them.
    plain = ["".join(c for c in unicodedata.normalize("NFKD", v) if not unicodedata.combining(c))
             for _, v in key]
    parts = [re.sub(r"[^A-Za-z0-9.-]+", "-", v).strip("-.") or "empty" for v in plain]
    name = "_".join(parts)
    if len(name) > MAX_GROUP_NAME:
        digest = hashlib.sha1("\0".join(v for _, v in key).encode()).hexdigest()[:8]
        name = f"{name[:MAX_GROUP_NAME - 9].rstrip('-._')}-{digest}"
    return name


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}-{seen[n]}")
    return out


def _label_value(where: str, rows: pd.DataFrame, col: str | None, flag: str) -> str | None:
    if col is None:
        return None
    values = rows[col].dropna().astype(str).unique()
    if len(values) == 0:
        return None
    if len(values) > 1:
        shown = ", ".join(map(str, values[:5]))
        raise ImportOptionsError(
            f"{where}: {flag} column {col!r} has several values in one recording ({shown}); "
            f"add {col} to --split-by"
        )
    return str(values[0])


# --- per group ------------------------------------------------------------------------------


@dataclass
class _Cleaned:
    t_s: FloatArray
    acc: FloatArray  # (n, 3) file units; NaN rows where implausible
    gyr: FloatArray  # (n, 3) file units; NaN rows where implausible
    n_rows: int
    n_incomplete: int
    n_out_of_order: int
    n_duplicates: int
    n_implausible: int = 0
    implausible_max: float = 0.0
    positions: npt.NDArray[np.int64] | None = None  # (n,) rows' places among the data rows
    n_blank: int = 0  # rows with a time and no sensor value, dropped (gaps, not glitches)
    lead_blank_s: float = 0.0  # from the first row to the first sample, when blank rows lead


def _clean(
    where: str,
    rows: pd.DataFrame,
    t_rel: FloatArray,
    options: CsvOptions,
    time_fix: str = "",
) -> _Cleaned:
    """Drop incomplete rows, sort by time, drop duplicate timestamps, blank absurd values.

    A row with a value beyond any sensor's full scale (:data:`ABSURD_ACC_G`,
    :data:`ABSURD_GYR_RAD_S`, :data:`ABSURD_RAW`) or an infinite one keeps its timestamp but
    its values become NaN, so that resampling turns it into a marked gap.

    Args:
        where: the file (and group), for messages.
        rows: the group's rows.
        t_rel: the group's times, s (NaN where empty).
        options: layout and units.
        time_fix: what to do when the time column is wrong (see :func:`_time_fix`).

    Raises:
        ImportOptionsError: fewer than 2 usable rows; more than :data:`MAX_INCOMPLETE_SHARE`
            of the rows with an empty value (the columns named); a time column whose steps go
            back and forth, or that repeats most timestamps (:data:`MAX_TIME_REPAIR_SHARE`);
            a timestamp far off (:func:`check_far_timestamps`); or so many absurd values that
            the unit or the column must be wrong.

    """
    acc = rows[list(options.acc_cols)].to_numpy(dtype=np.float64)
    gyr = rows[list(options.gyr_cols)].to_numpy(dtype=np.float64)
    complete = (
        np.isfinite(t_rel) & ~np.any(np.isnan(acc), axis=1) & ~np.any(np.isnan(gyr), axis=1)
    )
    # A row with its time and not one sensor value is a moment the sensor sent nothing (a
    # logger started before the sensor, a link lost for a while): no glitch but a gap, and
    # not counted against MAX_INCOMPLETE_SHARE; dropped, its time hole becomes a marked gap.
    blank = np.isfinite(t_rel) & np.all(np.isnan(acc), axis=1) & np.all(np.isnan(gyr), axis=1)
    n_blank = int(np.count_nonzero(blank)) if np.any(complete) else 0
    # The time from the group's first row to its first sample, when rows with no sensor value
    # come first: the recording starts at its first sample, this much later, s.
    lead_s = float(np.min(t_rel[complete]) - np.nanmin(t_rel)) if n_blank else 0.0
    n_incomplete = int(np.count_nonzero(~complete)) - n_blank
    # The share is of the rows that hold samples: blank rows do not make room for glitches.
    if (n_incomplete > max(1, MAX_INCOMPLETE_SHARE * (len(rows) - n_blank))
            or not np.any(complete)):
        told = ~blank if np.any(complete) else np.ones(len(rows), dtype=bool)
        empty = np.column_stack((~np.isfinite(t_rel), np.isnan(acc), np.isnan(gyr)))[told]
        names = (options.time_col, *options.acc_cols, *options.gyr_cols)
        raise ImportOptionsError(
            incomplete_message(where, empty, names, rows.index.to_numpy()[told],
                               _column_flag_fix)
        )
    t, acc, gyr = t_rel[complete], acc[complete], gyr[complete]
    _check_gyro_is_not_acc(where, acc, gyr, options)
    steps = np.diff(t)
    n_out_of_order = int(np.count_nonzero(steps < 0))
    n_back_and_forth = min(n_out_of_order, int(np.count_nonzero(steps > 0)))
    if n_back_and_forth > max(1, MAX_TIME_REPAIR_SHARE * steps.size):
        raise ImportOptionsError(
            f"{where}: the time column {options.time_col!r} goes back in time at "
            f"{n_out_of_order} of {steps.size} steps ({n_out_of_order / steps.size:.0%}) and "
            "forward at the others: it is not a time column (or the rows are shuffled: sort "
            f"them by time first); an import sorts at most {MAX_TIME_REPAIR_SHARE:.0%} of the "
            f"steps; {time_fix}"
        )
    _check_one_clock(where, t, np.hstack((acc, gyr)), rows.index.to_numpy()[complete], options)
    order = np.argsort(t, kind="stable")
    t, acc, gyr = t[order], acc[order], gyr[order]
    repeats = np.diff(t) == 0
    keep = np.concatenate(([True], ~repeats))
    n_duplicates = int(np.count_nonzero(~keep))
    same = np.all(acc[1:] == acc[:-1], axis=1) & np.all(gyr[1:] == gyr[:-1], axis=1)
    n_conflicting = int(np.count_nonzero(repeats & ~same))
    if n_conflicting > max(1, MAX_TIME_REPAIR_SHARE * t.size):
        distinct = np.unique(t)
        spread = (
            f"its {distinct.size} distinct times are at least "
            f"{float(np.min(np.diff(distinct))):.3g} s apart: the times are too coarse "
            "(rounded?) or it is not a time column"
            if distinct.size > 1
            else f"every row has the same time ({distinct[0]:g} s from the start): it is not "
            "a time column"
        )
        raise ImportOptionsError(
            f"{where}: {n_conflicting} of {t.size} rows ({n_conflicting / t.size:.0%}) repeat "
            f"the time of the row before in {options.time_col!r} with other values, so "
            f"dropping them would lose that data (an import drops at most "
            f"{MAX_TIME_REPAIR_SHARE:.0%}); {spread}; {time_fix}"
        )
    check_far_timestamps(
        where, t, rows.index.to_numpy()[complete][order],
        rows[options.time_col].to_numpy()[complete][order], repr(options.time_col),
    )
    t, acc, gyr = t[keep], acc[keep], gyr[keep]
    positions = rows.index.to_numpy()[complete][order][keep].astype(np.int64)
    if t.size < 2:
        raise ImportOptionsError(
            f"{where}: only {t.size} complete sample(s) with distinct timestamps; a recording "
            "needs at least 2 (check the time column and empty values)"
        )
    absurd, biggest, hint, beyond = _implausible_rows(acc, gyr, options, positions)
    n_absurd = int(np.count_nonzero(absurd))
    many = n_absurd > max(1, MAX_IMPLAUSIBLE_SHARE * t.size)
    if many or (n_absurd and not np.any(~absurd)):
        finding = (
            f"{n_absurd} of {t.size} rows have values beyond any sensor's full scale "
            f"(up to {biggest:.4g})"
        )
        message = (
            f"{where}: {finding}, too many for glitches: {hint}"
            if many
            else f"{where}: every row has a value beyond any sensor's full scale; {hint}"
        )
        if beyond is None:  # broken numbers (or no unit check): no unit or layout to blame
            raise ImportOptionsError(message)
        raise UnitCheckError(
            message, finding, beyond.sensor, kind=beyond.kind, looks=beyond.looks,
            at_s=float(t[beyond.first] - t[0]) if beyond.kind == "mixed" else math.nan,
            levels_m_s2=beyond.levels,
        )
    if n_absurd:
        acc[absurd] = np.nan
        gyr[absurd] = np.nan
    return _Cleaned(
        t, acc, gyr, len(rows), n_incomplete, n_out_of_order, n_duplicates, n_absurd, biggest,
        positions, n_blank, lead_s,
    )


def _column_flag_fix(empty_cols: Sequence[str], all_empty: bool) -> str:
    """What to do about empty columns of a CSV or table (see :func:`incomplete_message`)."""
    if all_empty:
        return (
            "check that the file holds data and that --time-col, --acc-cols and --gyr-cols "
            "name the right columns"
        )
    return (
        "fill or fix the column, or cut the file to the rows that have every value (or name "
        "the right columns with --time-col, --acc-cols, --gyr-cols)"
    )


def incomplete_message(
    where: str,
    empty: npt.NDArray[np.bool_],
    names: Sequence[str],
    positions: npt.NDArray[np.int_],
    fix: Callable[[Sequence[str], bool], str],
) -> str:
    """Why too many rows have an empty value: which columns, how many rows, where; and the fix.

    Args:
        where: the file (and group), for the message.
        empty: shape (n, k), the cells that are empty (or unreadable), per row and column.
        names: the k column names.
        positions: shape (n,), the rows' positions among the file's data rows (0-based).
        fix: ``(the emptiest columns, every row is incomplete) -> what to do``.

    """
    n = empty.shape[0]
    rows_bad = empty.any(axis=1)
    n_bad = int(np.count_nonzero(rows_bad))
    counts = empty.sum(axis=0)
    order = [int(j) for j in np.argsort(-counts, kind="stable") if counts[j]]
    whole = [names[j] for j in order if counts[j] == n]
    parts = []
    for j in order[:3]:
        if counts[j] == n:
            parts.append(f"{names[j]!r} is empty in every row")
            continue
        at = np.flatnonzero(empty[:, j])
        first, last = int(positions[at[0]]) + 1, int(positions[at[-1]]) + 1
        span = f"data row {first}" if first == last else f"data rows {first}-{last}"
        parts.append(f"{names[j]!r} is empty in {plural(int(counts[j]), 'row')} ({span})")
    if len(order) > 3:
        parts.append(f"{len(order) - 3} more column(s) have empty values")
    cols = "; ".join(parts)
    emptiest = [names[j] for j in order[:3]]
    if n_bad == n:
        column = f"column {whole[0]!r} is" if len(whole) == 1 else "columns " + ", ".join(
            map(repr, whole)) + " are"
        lead = (
            f"{column} empty in every row" if whole and len(whole) < len(names) else
            f"no row has a time and all six acc/gyro values ({n} rows, every one with an "
            f"empty value: {cols})"
        )
        return f"{where}: {lead}; {fix(emptiest, True)}"
    return (
        f"{where}: {n_bad} of {n} rows ({n_bad / n:.0%}) have an empty value, too many to drop "
        f"(an import drops at most {MAX_INCOMPLETE_SHARE:.0%}, glitches, and would keep "
        f"{plural(n - n_bad, 'row')} of the file): {cols}; {fix(emptiest, False)}"
    )


def check_far_timestamps(
    where: str,
    t_s: FloatArray,
    positions: npt.NDArray[np.int_] | None = None,
    raw: npt.NDArray[np.generic] | None = None,
    column: str = "the time column",
    fix: str = "fix or remove that row",
) -> None:
    """Refuse a few rows whose time lies far from every other row's: a timestamp far off.

    Such a row (a glitch, a digit too many) would stretch the uniform grid over the time in
    between: a recording of hours with a gap, or a grid too large to build. A stretch of at
    most :data:`STRAY_MAX_ROWS` rows, cut off from the rest by an interval of at least
    :data:`FAR_GAP_MIN_S` (at any sensor's sampling rate: :data:`FAR_GAP_INTERVALS`), is
    refused with its rows named. Longer stretches apart are recordings of their own (a
    pause): kept, with the time between them a gap.

    Args:
        where: the file (and group, or sensor file), for the message.
        t_s: shape (n,), the rows' times, s, sorted (repeats allowed).
        positions: shape (n,), their positions among the file's data rows (0-based), or None.
        raw: shape (n,), the times as the file writes them (named in the message), or None.
        column: how the message names the time column.
        fix: what to do, said after "a timestamp is far off".

    Raises:
        ImportOptionsError: such rows exist.

    """
    n = t_s.size
    if n < 3:
        return
    steps = np.diff(t_s)
    forward = steps[steps > 0]
    if forward.size == 0:
        return
    far = max(FAR_GAP_MIN_S, FAR_GAP_INTERVALS * float(np.median(forward)))
    cuts = np.flatnonzero(steps >= far)
    if cuts.size == 0:
        return
    bounds = [0, *(cuts + 1).tolist(), n]
    for i, j in itertools.pairwise(bounds):
        k = j - i
        if k > STRAY_MAX_ROWS or k >= n - k:
            continue
        away = min(
            float(t_s[i] - t_s[i - 1]) if i > 0 else math.inf,
            float(t_s[j] - t_s[j - 1]) if j < n else math.inf,
        )
        side = "after" if i > 0 and t_s[i] - t_s[i - 1] == away else "before"
        if positions is not None:
            at = sorted(int(p) + 1 for p in positions[i:j])
            label = ", ".join(map(str, at[:3])) + (" ..." if len(at) > 3 else "")
            which = f"data row{'s' if k > 1 else ''} {label}"
        else:
            which = plural(k, "row")
        value = f"{raw[i]}" if raw is not None else f"{t_s[i]:.6g} s"
        more, verb = (" ...", "lie") if k > 1 else ("", "lies")
        raise ImportOptionsError(
            f"{where}: {which} ({column} {value}{more}) {verb} {away:.4g} s {side} the other "
            f"{n - k} rows, whose samples are "
            f"{float(np.median(forward)):.4g} s apart: a timestamp is far off ({fix}); "
            "building the recording would span that time"
        )


def _check_one_clock(where: str, t: FloatArray, values: FloatArray,
                     positions: npt.NDArray[np.int_], options: CsvOptions) -> None:
    """Refuse a time column that restarts: two recordings joined into one file.

    Exact copies of a row (same time, same values) are left out first: they are dropped later
    and say nothing of a second clock. Rows whose time is earlier than a time already seen are
    "late". A row or a block out of order is a glitch that sorting repairs: sorted, the times
    form the file's own grid again (a late block fills a hole). Either sign of a second
    recording stops the import:

    - the late rows are more than :data:`MAX_TIME_REPAIR_SHARE` of the file (and more than
      one), and sorting them in shrinks the grid's median step by a quarter or more (to half,
      for two recordings at one rate);
    - at the largest step back (more than :data:`MIN_RESTART_S`), the late rows that follow in
      order span a second or more of times that the earlier rows already cover at more than
      half the grid's density;
    - at that step, the late rows that follow in order span a second or more and all lie
      before the file's first time: no hole they fill, but a clock put back (naive local
      times across the end of daylight saving time), said as a jump back.

    Args:
        where: the file (and group), for messages.
        t: shape (n,), the complete rows' times in file order, s.
        values: shape (n, k), the same rows' sensor values.
        positions: shape (n,), their positions among the file's data rows (0-based).
        options: the layout (for the time column's and --split-by's names).

    """
    # In order (the usual file), or in reverse order (no step forward: sorted, not refused).
    if t.size < 3 or not np.any(np.diff(t) < 0) or not np.any(np.diff(t) > 0):
        return
    copies = pd.DataFrame(np.column_stack((t, values))).duplicated().to_numpy()
    t, positions = t[~copies], positions[~copies]
    steps = np.diff(t)
    if t.size < 3 or not np.any(steps > 0) or not np.any(steps < 0):
        return
    late = t[1:] < np.maximum.accumulate(t[:-1])  # late[i]: row i + 1 is late
    n_late = int(np.count_nonzero(late))
    grid = float(np.median(np.abs(steps[steps != 0])))
    back = int(np.argmin(steps))  # the largest step back: row back + 1 starts the restart
    interleaved = (
        n_late > max(1, MAX_TIME_REPAIR_SHARE * t.size)
        and float(np.median(np.diff(np.sort(t)))) <= 0.75 * grid
    )
    overlap = False
    if -steps[back] > MIN_RESTART_S:
        following = (steps[back + 1 :] > 0) & late[back + 1 :]
        stop = back + 1 + (int(np.argmin(following)) if not following.all() else following.size)
        run = t[back + 1 : stop + 1]
        if run[-1] - run[0] >= 1.0:
            before = t[: back + 1]
            covered = int(np.count_nonzero((before >= run[0]) & (before <= run[-1])))
            overlap = covered > 0.5 * (run[-1] - run[0]) / grid
            if float(before.min()) - run[-1] > MIN_RESTART_S:
                # The later rows run on, well before the file's first time: no hole they
                # fill (a block that joins the first row is a glitch, sorted).
                # Sorted, the end of the session came first and an hour of gap lay between
                # (trial 23: naive local times across the end of daylight saving time).
                raise ImportOptionsError(
                    f"{where}: the time column {options.time_col!r} jumps back: at data row "
                    f"{positions[back + 1] + 1} it goes from {t[back]:.6g} to "
                    f"{t[back + 1]:.6g} s, before the file's first time, and runs on from "
                    "there. A clock put back (daylight saving time ending, with times that "
                    "give no UTC offset) or two recordings in the wrong order: give the times "
                    "with their UTC offset, or split the file there into separate files"
                )
    if not (interleaved or overlap):
        return
    split = (
        "add the column that tells the recordings apart to --split-by"
        if options.split_by
        else "name a column that tells the recordings apart with --split-by"
    )
    raise ImportOptionsError(
        f"{where}: the time column {options.time_col!r} starts again: at data row "
        f"{positions[back + 1] + 1} it goes back from {t[back]:.6g} to {t[back + 1]:.6g} s, "
        f"and {n_late} of {t.size} rows ({n_late / t.size:.0%}) fall inside times already "
        "seen. The file holds more than one recording (or the clock was reset): split it "
        f"there into separate files, or {split}"
    )


def _time_fix(options: CsvOptions, columns: Sequence[str]) -> str:
    """What to do about a wrong time column: the file's other time-like columns, or --rate.

    Args:
        options: the layout (the columns already in use are not offered).
        columns: every column of the file.

    """
    used = {options.time_col, *options.acc_cols, *options.gyr_cols}
    names = [c for c in columns if c not in used and TIME_NAME_HINT.search(str(c))]
    right = "name the time column with --time-col"
    if names:
        right += f" (this file also has {', '.join(map(repr, names[:5]))})"
    return (
        f"{right}, or, if the rows are consecutive samples at a steady rate, ignore the times "
        "and give the rate: --time-col none --rate HZ"
    )


def _check_gyro_is_not_acc(
    where: str, acc: FloatArray, gyr: FloatArray, options: CsvOptions
) -> None:
    """Refuse a gyro column holding exactly the values of an accelerometer column.

    Two sensors never agree to the last digit in every row; a column that varies and equals
    another in every row is a copy (e.g. the accelerometer exported twice, or the wrong
    columns named). Constant columns (all zero, say) are left alone.

    Args:
        where: the file (and group), for the message.
        acc: shape (n, 3), file units, complete rows.
        gyr: shape (n, 3), file units, complete rows.
        options: the column names.

    """
    if acc.shape[0] < 2:
        return
    for j in range(3):
        g = gyr[:, j]
        if not np.any(g != g[0]):
            continue
        for i in range(3):
            if np.array_equal(g, acc[:, i]):
                raise ImportOptionsError(
                    f"{where}: gyroscope column {options.gyr_cols[j]!r} holds exactly the "
                    f"values of accelerometer column {options.acc_cols[i]!r} in every row: "
                    "it is a copy of the accelerometer, not a gyroscope; name the gyroscope "
                    "columns with --gyr-cols"
                )


class _Beyond(NamedTuple):
    """Which sensor's values are beyond full scale, and what they look like.

    For an importer that words its own advice (:class:`UnitCheckError`).
    """

    sensor: str
    """"acc" or "gyr"."""
    kind: str
    """"range" (one unit for the file) or "mixed" (a part of the rows in another unit)."""
    looks: str
    """The unit the values look like ("counts", "deg/s"), "" for none."""
    first: int = 0
    """Kind "mixed": the first row beyond full scale (index into the rows given)."""
    levels: tuple[float, ...] = ()
    """Kind "mixed": the rows' magnitudes within and beyond full scale, in the declared unit."""


def _implausible_rows(
    acc: FloatArray,
    gyr: FloatArray,
    options: CsvOptions,
    positions: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.bool_], float, str, _Beyond | None]:
    """Rows with a value no sensor measures, the largest such magnitude, a hint, its culprit.

    The culprit (:class:`_Beyond`) is None for broken numbers, which no unit or layout explains.

    Args:
        acc: shape (n, 3), file units (NaN-free).
        gyr: shape (n, 3), file units (NaN-free).
        options: the declared units.
        positions: shape (n,), the rows' places among the file's data rows (for the hint).

    """
    with np.errstate(invalid="ignore", over="ignore"):
        raw_bad = np.any(~np.isfinite(acc) | (np.abs(acc) > ABSURD_RAW), axis=1) | np.any(
            ~np.isfinite(gyr) | (np.abs(gyr) > ABSURD_RAW), axis=1
        )
    if not options.check_units:  # the user vouches for the units: only absurd numbers go
        return raw_bad, _largest(acc, gyr, raw_bad), "check the acc/gyro columns", None
    safe_acc = np.where(raw_bad[:, None], 0.0, acc)
    safe_gyr = np.where(raw_bad[:, None], 0.0, gyr)
    gyr_rad_s = safe_gyr * GYR_TO_RAD_S[options.gyr_unit]
    gyr_bad = np.any(np.abs(gyr_rad_s) > ABSURD_GYR_RAD_S, axis=1)
    if options.acc_unit == "counts":
        mags = np.linalg.norm(safe_acc[~raw_bad], axis=1)
        one_g = float(np.median(mags)) if mags.size else 0.0
        limit = ABSURD_ACC_G * one_g if one_g > 0 else math.inf
    else:
        limit = ABSURD_ACC_G * (1.0 if options.acc_unit == "g" else STANDARD_GRAVITY)
    acc_bad = np.any(np.abs(safe_acc) > limit, axis=1)
    bad = raw_bad | gyr_bad | acc_bad
    biggest = _largest(acc, gyr, bad)
    n_raw, n_gyr, n_acc = (int(np.count_nonzero(m)) for m in (raw_bad, gyr_bad, acc_bad))
    beyond: _Beyond | None = None
    if n_raw >= max(n_gyr, n_acc):
        # Infinite or astronomically large: no unit explains these, the values are broken.
        both = np.hstack([acc, gyr])
        with np.errstate(invalid="ignore", over="ignore"):
            broken = ~np.isfinite(both) | (np.abs(both) > ABSURD_RAW)
        hint = (
            f"the infinite or huge numbers in {_where_bad(broken, options)} fit no unit: fix or "
            "remove those rows, or check that the columns are the right ones"
        )
    elif n_gyr > n_acc:
        as_deg = np.abs(gyr_rad_s) * (GYR_TO_RAD_S["deg/s"] / GYR_TO_RAD_S[options.gyr_unit])
        where = _where_bad(np.hstack([np.zeros_like(acc, dtype=bool),
                                      np.abs(gyr_rad_s) > ABSURD_GYR_RAD_S]), options)
        deg = options.gyr_unit == "rad/s" and not np.any(as_deg > ABSURD_GYR_RAD_S)
        hint = (
            f"the gyro looks like deg/s ({where}): pass --gyr-unit deg/s"
            if deg
            else f"the values beyond any gyro's range are in {where}: check --gyr-cols and "
            "--gyr-unit, or fix or remove those rows"
        )
        beyond = _Beyond("gyr", "range", "deg/s" if deg else "")
    else:
        where = _where_bad(np.hstack([np.abs(safe_acc) > limit,
                                      np.zeros_like(gyr, dtype=bool)]), options)
        outside = acc_bad & ~raw_bad
        hint = _mixed_rows_hint(safe_acc, outside, options.acc_unit, positions)
        if hint:
            mags = np.linalg.norm(safe_acc, axis=1)
            beyond = _Beyond("acc", "mixed", "", int(np.argmax(outside)), (
                float(np.median(mags[~outside])), float(np.median(mags[outside]))))
        else:
            counts = options.acc_unit == "m/s^2"
            hint = (
                f"the acceleration looks like raw counts ({where}): pass --acc-unit counts"
                if counts
                else f"the values beyond any accelerometer's range are in {where}: check "
                "--acc-cols and --acc-unit, or fix or remove those rows"
            )
            beyond = _Beyond("acc", "range", "counts" if counts else "")
    return bad, biggest, hint, beyond


MIXED_ROWS_MIN_SHARE: Final = 0.05
"""Least share of the rows that must read plausibly (and least share beyond full scale) for
rows beyond an accelerometer's full scale to be taken for a part of the file in another unit
(:func:`_mixed_rows_hint`), not for a whole file in the wrong unit."""


def _mixed_rows_hint(
    acc: FloatArray,
    beyond: npt.NDArray[np.bool_],
    unit: str,
    positions: npt.NDArray[np.int64] | None,
) -> str:
    """A hint that the file mixes units, when only a part of its rows is beyond full scale.

    Both parts must hold :data:`MIXED_ROWS_MIN_SHARE` of the rows, and the rows within range
    must read gravity in the declared unit (their median magnitude; for counts, any). E.g. a
    file in m/s^2 with a stretch in mg: advising "counts" for it all would be wrong.

    Args:
        acc: shape (n, 3), file units (absurd values zeroed).
        beyond: shape (n,), the rows beyond full scale.
        unit: the declared acc unit.
        positions: shape (n,), the rows' places among the file's data rows, or None.

    Returns:
        The hint, or "" when the rows do not look like two units.

    """
    n = acc.shape[0]
    k = int(np.count_nonzero(beyond))
    if not (MIXED_ROWS_MIN_SHARE * n <= k <= (1 - MIXED_ROWS_MIN_SHARE) * n):
        return ""
    mags = np.linalg.norm(acc, axis=1)
    inside, outside = float(np.median(mags[~beyond])), float(np.median(mags[beyond]))
    scale = STANDARD_GRAVITY if unit == "g" else 1.0
    low, high = GRAVITY_PLAUSIBLE_M_S2
    if unit != "counts" and not low <= inside * scale <= high:
        return ""
    first = int(np.argmax(beyond))
    row = f"data row {int(positions[first]) + 1}" if positions is not None else "a row"
    gravity = "gravity" if unit == "counts" else f"gravity in {unit}"
    return (
        f"from {row} on, {plural(k, 'row')} read about {outside:.4g} and the other "
        f"{plural(n - k, 'row')} about {inside:.4g} ({gravity}): the file mixes "
        "units, so no single --acc-unit fits it; convert its rows to one unit, or split the "
        "file and import each part with its own --acc-unit"
    )


def _where_bad(cells: npt.NDArray[np.bool_], options: CsvOptions) -> str:
    """Which columns hold the flagged cells, e.g. "gyr_x (2000 rows)".

    Args:
        cells: shape (n, 6), flags for the acc then the gyro columns.
        options: the layout (column names).

    """
    names = [*options.acc_cols, *options.gyr_cols]
    counts = cells.sum(axis=0)
    parts = [
        f"{name} ({plural(int(c), 'row')})" for name, c in zip(names, counts, strict=True) if c
    ]
    return ", ".join(parts) or "no single column"


def _largest(acc: FloatArray, gyr: FloatArray, rows: npt.NDArray[np.bool_]) -> float:
    """Largest magnitude of any value in ``rows`` (0 when none), inf included."""
    if not np.any(rows):
        return 0.0
    with np.errstate(invalid="ignore"):
        return float(np.max(np.abs(np.hstack([acc[rows], gyr[rows]]))))


def _drop_impossible_times(frame: pd.DataFrame, options: CsvOptions) -> tuple[pd.DataFrame, int]:
    """Drop the few rows whose time lies beyond :data:`MAX_TIME_S` (a glitch, e.g. 1e30, inf).

    Many such rows mean a wrong time unit: they are kept for the unit check to name it.
    """
    values = frame[options.time_col].to_numpy()
    with np.errstate(invalid="ignore", over="ignore"):
        seconds = values.astype(np.float64) * TIME_TO_S[options.time_unit]
        far = ~np.isnan(seconds) & ~(np.abs(seconds) <= MAX_TIME_S)  # infinite ones too
    n_far = int(np.count_nonzero(far))
    if n_far == 0 or n_far > max(1, MAX_IMPLAUSIBLE_SHARE * len(frame)):
        return frame, 0
    return frame[~far].reset_index(drop=True), n_far


def _round_up(value: float, digits: int = 3) -> str:
    """``value`` rounded up to ``digits`` significant digits, as text (a least value to give)."""
    if not (math.isfinite(value) and value > 0):
        return f"{value:g}"
    step = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return f"{math.ceil(value / step - 1e-9) * step:.{digits}g}"


def _check_gap_limit(source: str, max_gap_s: float, rate_hz: float, estimated: bool) -> None:
    """Refuse a gap limit shorter than one sample of the rate estimated from the timestamps.

    A given rate is checked with the options (:class:`CsvOptions`); an estimated one only
    here, the same way. Every interval would be a gap, yet the grid, on the samples, shows
    none: the limit would be ignored without a word. The default limit is left alone at
    rates under 4 Hz (the analysis says such a rate is too slow).
    """
    if not estimated or max_gap_s == DEFAULT_MAX_GAP_S or not math.isfinite(rate_hz):
        return
    if max_gap_s < 1.0 / rate_hz:
        raise ImportOptionsError(
            f"{source}: gap limit {max_gap_s:g} s is shorter than one sample at {rate_hz:g} Hz "
            f"(the rate estimated from the timestamps, {1e3 / rate_hz:.3g} ms apart); use "
            f"--max-gap of at least {_round_up(1.0 / rate_hz)} s"
        )


def check_upsampling(source: str, rate_hz: float, estimated_hz: float, given: bool) -> None:
    """Refuse a given grid rate far above what the timestamps show (:data:`MAX_UPSAMPLING`)."""
    if given and math.isfinite(estimated_hz) and rate_hz > MAX_UPSAMPLING * estimated_hz:
        raise ImportOptionsError(
            f"{source}: --rate {rate_hz:g} Hz is {rate_hz / estimated_hz:.0f} times the "
            f"{estimated_hz:.4g} Hz the timestamps show; interpolation cannot add detail the "
            f"sensor did not measure. Leave --rate out (the grid follows the timestamps) or "
            f"give at most {MAX_UPSAMPLING * estimated_hz:.4g} Hz"
        )


def _check_grid_size(where: str, t_s: FloatArray, rate_hz: float, options: CsvOptions) -> None:
    """Refuse a uniform grid too large to build (a far-off timestamp, or a wrong time unit)."""
    span = float(t_s[-1] - t_s[0])
    n = span * rate_hz
    if n > MAX_GRID_SAMPLES:
        raise ImportOptionsError(
            f"{where}: the timestamps span {span:.4g} s ({options.time_col!r} read as "
            f"{options.time_unit}); at {rate_hz:g} Hz that is {n:.3g} samples, more than the "
            f"{MAX_GRID_SAMPLES:.0e} an import builds: a timestamp is far off or the time "
            "unit is wrong (check --time-col and --time-unit, or remove the bad rows)"
        )


@dataclass
class _Timing:
    rate_hz: float
    note: str
    estimated: bool
    estimated_rate_hz: float
    absolute_origin_s: float | None


ON_SAMPLE_S: Final = 1e-6
"""A grid point this close to a sample of the file takes its value (not interpolated), s."""


@dataclass
class _Resampled:
    stats: TimingStats
    acc_raw: FloatArray  # (m, 3) file units
    gyr: FloatArray  # (m, 3) rad/s
    valid: npt.NDArray[np.bool_]  # (m,) inside the samples' time coverage
    implausible: npt.NDArray[np.bool_]  # (m,) made from a row with an absurd value
    n_interpolated: int
    rest_mags: FloatArray  # (k,) acc magnitude at rest, file units
    rest_method: str
    lowpass: tuple[Repair, ...] = ()  # the anti-alias low-pass of a slower grid, said


def _resample(where: str, c: _Cleaned, options: CsvOptions, rate_hz: float) -> _Resampled:
    stats = timing_stats(c.t_s, options.max_gap_s)
    gyr_rad_s = c.gyr * GYR_TO_RAD_S[options.gyr_unit]
    grid = uniform_grid_s(c.t_s, rate_hz, where=where)
    raw, valid, cutoff, source_rate = resample_grid(
        c.t_s, np.hstack([c.acc, gyr_rad_s]), grid, rate_hz, options.max_gap_s, stats
    )
    implausible = valid & np.any(np.isnan(raw), axis=1)
    raw[implausible] = np.nan
    usable = valid & ~implausible
    if not np.any(usable):
        raise ImportOptionsError(
            f"{where}: no sample survives resampling at {rate_hz:g} Hz (every interval is a gap "
            f"longer than {options.max_gap_s:g} s); give the true rate with --rate or a "
            "longer --max-gap"
        )
    nearest = np.clip(np.searchsorted(c.t_s, grid), 1, c.t_s.size - 1)
    distance = np.minimum(np.abs(grid - c.t_s[nearest - 1]), np.abs(c.t_s[nearest] - grid))
    n_interpolated = int(np.count_nonzero(usable & (distance > ON_SAMPLE_S)))
    acc_raw, gyr = raw[:, :3], raw[:, 3:]
    mags, method = rest_magnitudes(acc_raw, gyr, rate_hz)
    lowpass = () if cutoff is None else (lowpass_repair(cutoff, source_rate, rate_hz),)
    return _Resampled(
        stats, acc_raw, gyr, valid, implausible, n_interpolated, mags, method, lowpass
    )


def frozen_stretches(
    t_s: FloatArray, values: FloatArray, min_s: float = FROZEN_MIN_S
) -> list[tuple[float, float]]:
    """Stretches where every row repeats the previous row's values exactly, ``min_s`` or longer.

    Args:
        t_s: the rows' times, s, increasing, shape (n,).
        values: the rows' sensor values, shape (n, k) (NaN never repeats).
        min_s: the shortest stretch returned, s.

    Returns:
        Each stretch's first and last row's times, s from ``t_s[0]`` (the recording's clock).

    """
    if t_s.size < 2:
        return []
    same = np.all(values[1:] == values[:-1], axis=1)
    edges = np.diff(np.concatenate([[0], same.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    # same[k] says row k + 1 repeats row k: a run same[a:b] covers rows a to b.
    return [
        (float(t_s[a] - t_s[0]), float(t_s[b] - t_s[0]))
        for a, b in zip(starts, ends, strict=True)
        if t_s[b] - t_s[a] >= min_s
    ]


def _dead_axes(c: _Cleaned, options: CsvOptions, acc_only: bool = False) -> str:
    """The columns that read one value throughout while their sensor's others move, in words.

    "" when none (trial 25). A worn sensor's noise changes every axis; one that never
    changes is a dead axis, or a column that is not the sensor's. A sensor whose every column
    is constant is a frozen one (:func:`_frozen_warning`). ``acc_only``: the accelerometer's
    columns alone (a dead one takes part of gravity away).
    """
    words: list[str] = []
    sensors = ((options.acc_cols, c.acc),) if acc_only else (
        (options.acc_cols, c.acc), (options.gyr_cols, c.gyr))
    for names, values in sensors:
        if values.shape[0] < 2 or not np.any(np.isfinite(values)):
            continue
        with np.errstate(invalid="ignore"):
            constant = np.nanmax(values, axis=0) == np.nanmin(values, axis=0)
        if np.any(constant) and not np.all(constant):
            words += [f"{name} reads {np.nanmin(values[:, k]):g} in every row"
                      for k, name in enumerate(names) if constant[k]]
    if not words:
        return ""
    return (f"{' and '.join(words)} while the other axes move: a dead axis, or a column that "
            "is not the sensor's (a worn sensor's noise changes every axis)")


def _stuck_sensor(c: _Cleaned, options: CsvOptions) -> str:
    """The sensor whose every column reads one value throughout while the other moves, or "".

    An app that repeats one sensor's last sample sends the other's fine: neither a dead
    axis (:func:`_dead_axes`, one column of a sensor) nor a frozen sensor
    (:func:`_frozen_warning`, every column) says so (review).
    """
    def constant(values: FloatArray) -> bool:
        finite = values[np.isfinite(values).all(axis=1)]
        return len(finite) >= 2 and bool(np.all(finite.max(axis=0) == finite.min(axis=0)))

    acc, gyr = constant(c.acc), constant(c.gyr)
    if acc == gyr:
        return ""
    stuck, names, other = (("accelerometer", options.acc_cols, "gyroscope") if acc
                           else ("gyroscope", options.gyr_cols, "accelerometer"))
    return (f"the {stuck} ({', '.join(names)}) reads the same in every row while the "
            f"{other} moves: it is stuck (an app repeating its last sample) or those columns "
            "are not the sensor's")


FROZEN_EDGE_S: Final = 1.0
"""A frozen stretch that starts or ends this close to the recording's start or end reaches
it, s: the part to analyse is on its other side, if any."""


def _frozen_warning(c: _Cleaned) -> str:
    """The warning for a sensor whose values froze ("" when none did; trial 25).

    A frozen stretch looks perfectly still: with no word, a whole frozen file gave "no reps,
    curl the pelvis" and one frozen part-way gave too few reps and advice about the axis.
    """
    stretches = frozen_stretches(c.t_s, np.hstack([c.acc, c.gyr]))
    if not stretches:
        return ""
    why = ("as a sensor that stopped measuring but went on sending (or an app repeating its "
           "last sample) gives")
    length_s = float(c.t_s[-1] - c.t_s[0])
    start, end = stretches[0]
    # Within FROZEN_EDGE_S of an end is at that end: "--to 0" or "--from 30" of a 30 s file
    # left nothing to analyse (review).
    at_start, at_end = start <= FROZEN_EDGE_S, end >= length_s - FROZEN_EDGE_S
    if at_start and at_end:
        return (f"the sensor's values froze: every sample of the {length_s:.1f} s repeats the "
                f"same values exactly, {why}; no movement can be seen in this data: check "
                "that --acc-cols and --gyr-cols name the sensor's columns, and the sensor")
    before, after = math.floor(start * 10) / 10, math.ceil(end * 10) / 10  # 0.1 s, outside
    if at_end:
        part = f"analyse the part before it (--to {before:g})"
    elif at_start:
        part = f"analyse the part after it (--from {after:g})"
    else:
        part = f"analyse the parts around it (--to {before:g}, --from {after:g})"
    more = f" (and {len(stretches) - 1} more such stretch(es))" if len(stretches) > 1 else ""
    return (f"the sensor's values froze from {start:.1f} s to {end:.1f} s "
            f"({end - start:.1f} s){more}: every row there repeats the same values exactly, "
            f"{why}; reps there cannot be seen, and the frozen stretch reads as a still "
            f"pelvis: check the sensor, and {part}")


def lowpass_repair(cutoff_hz: float, source_rate_hz: float, rate_hz: float) -> Repair:
    """The repair that says a slower grid was low-passed first (against aliasing)."""
    return Repair(
        "lowpassed",
        1,
        f"low-passed at {cutoff_hz:.3g} Hz before the {source_rate_hz:.4g} Hz samples went "
        f"onto the {rate_hz:g} Hz grid (zero-phase Butterworth, so that movement faster than "
        f"{rate_hz / 2:g} Hz does not alias into slow false movement)",
    )


def _gravity_per_group(
    keys: list[tuple[tuple[str, str], ...]], resampled: list[_Resampled], options: CsvOptions
) -> list[GravityAtRest]:
    """Gravity at rest in file units per recording; pooled by ``counts_scale_by`` for counts."""
    if options.acc_unit != "counts" or not options.counts_scale_by:
        return [pooled_gravity([(r.rest_mags, r.rest_method)]) for r in resampled]
    sensor_keys = [tuple(v for k, v in key if k in options.counts_scale_by) for key in keys]
    pooled: dict[tuple[str, ...], GravityAtRest] = {}
    for sk in dict.fromkeys(sensor_keys):
        parts = [
            (r.rest_mags, r.rest_method)
            for k, r in zip(sensor_keys, resampled, strict=True)
            if k == sk
        ]
        pooled[sk] = pooled_gravity(parts)
    return [pooled[sk] for sk in sensor_keys]


def _finish(
    source: str,
    key: tuple[tuple[str, str], ...],
    rows: pd.DataFrame,
    c: _Cleaned,
    r: _Resampled,
    rest_raw: GravityAtRest,
    options: CsvOptions,
    timing: _Timing,
    extra_repairs: tuple[Repair, ...] = (),
) -> tuple[Recording, ImportReport]:
    where = _where(source, key)
    rate_hz = timing.rate_hz
    warnings: list[str] = []
    dead = _dead_axes(c, options)
    if dead:
        warnings.append(dead)
    stuck = _stuck_sensor(c, options)
    if stuck:
        warnings.append(stuck)
    noise = _noise_reason(c, r, rate_hz)
    spread = rest_spread(r.rest_mags)
    turn: TurnCheck | None = None
    tilt: TiltCheck | None = None
    if options.check_units:
        _check_mixed_acc(where, c, r, rate_hz)
        # both are scale-free in the acc: computed once, on the file's units, for both checks
        turn = gyro_turn_check(r.acc_raw, r.gyr, rate_hz)
        tilt = gyro_tilt_check(r.acc_raw, r.gyr, rate_hz)
        _check_mixed_gyro(where, c, turn, tilt, rate_hz, options.gyr_unit)
    if options.acc_unit == "counts":
        if not (np.isfinite(rest_raw.magnitude) and rest_raw.magnitude > 0):
            raise ImportOptionsError(
                f"{where}: cannot scale raw counts: the acc magnitude at rest is "
                f"{rest_raw.magnitude}; check --acc-cols"
            )
        if options.check_units and not _stable_rest(rest_raw, spread, noise):
            raise ImportOptionsError(
                f"{where}: cannot scale raw counts: {_no_stable_rest(spread, noise)}, so "
                "gravity gives no scale; check that --acc-cols name the accelerometer and "
                "that the sensor was worn and recording (or pool recordings of one sensor "
                "with --counts-scale-by)"
            )
        scale = STANDARD_GRAVITY / rest_raw.magnitude
        if 0.8 < scale < 1.25:
            warnings.append("acc counts have a scale near 1: the data may already be m/s^2")
        elif 8.0 < scale < 12.0:
            warnings.append("acc counts have a scale near 9.8: the data may already be in g")
    else:
        scale = STANDARD_GRAVITY if options.acc_unit == "g" else 1.0
        if options.check_units:
            gyr_raw = r.gyr / GYR_TO_RAD_S[options.gyr_unit]
            try:
                _check_gravity(where, rest_raw, options.acc_unit, scale,
                               float(np.nanmedian(np.linalg.norm(gyr_raw, axis=1)))
                               if len(gyr_raw) else math.nan, spread, noise)
            except ImportOptionsError:
                dead_acc = _dead_axes(c, options, acc_only=True)
                if not dead_acc:
                    raise  # a dead gyro axis is no reason for gravity's level (review)
                # Trial 25: a dead axis took part of gravity away, and the error offered
                # --acc-unit counts, which analysed the broken data without a word.
                raise ImportOptionsError(
                    f"{where}: {dead_acc}; gravity at rest reads {rest_raw.magnitude:.4g} "
                    "with it, so no unit fits it: check --acc-cols, and the sensor "
                    "(--no-unit-check imports it as it is)"
                ) from None
    if options.check_units:
        _check_gyro(where, r.gyr, options.gyr_unit)
    if rest_raw.method != "still":
        warnings.append(
            "no still period of 1 s found; gravity at rest taken from the quietest samples"
            + (
                ""
                if options.acc_unit != "counts"
                else " (pool recordings of one sensor with --counts-scale-by)"
            )
        )
    if noise:
        warnings.append(
            f"no still moment in {r.acc_raw.shape[0] / rate_hz:.0f} s and {noise}; check that "
            "the columns are the sensor's (--acc-cols, --gyr-cols) and that it was worn and "
            "recording: reps found in this data mean nothing"
        )
    frozen = _frozen_warning(c)
    if frozen:
        warnings.append(frozen)
    stats = r.stats
    if stats.irregular:
        warnings.append(
            f"irregular timestamps (jitter {stats.jitter_s * 1e3:.1f} ms, "
            f"{stats.bursty_share:.0%} bursty intervals)"
        )
    acc = r.acc_raw * scale
    if options.check_units:
        _check_gyro_turns(where, turn, options.gyr_unit)
        _check_gyro_tilt(where, tilt, options.gyr_unit)
        doubt = _check_gyro_direction(where, tilt)
        if doubt:
            warnings.append(doubt)
        if turn is None and options.gyr_unit == "deg/s":
            warnings.append(UNCHECKED_DEG_S)
    own = pooled_gravity([(r.rest_mags, r.rest_method)])
    gravity = GravityAtRest(own.magnitude * scale, own.n_samples, own.method)
    if options.acc_unit == "counts":
        scale_note = (
            f"from {rest_raw.n_samples} samples at rest ({rest_raw.method}) of the recordings "
            f"sharing {', '.join(options.counts_scale_by)}"
            if options.counts_scale_by
            else f"from {rest_raw.n_samples} samples at rest ({rest_raw.method})"
        )
    else:
        scale_note = f"declared unit {options.acc_unit}"
    reason = f"no samples for more than {options.max_gap_s:g} s"
    gaps: tuple[Gap, ...] = tuple(
        sorted(
            gaps_from_nan(r.valid, reason=reason)
            + gaps_from_nan(~r.implausible, reason=REASON_IMPLAUSIBLE),
            key=lambda g: g.start,
        )
    )
    n = acc.shape[0]
    duration = n / rate_hz
    participant = _label_value(where, rows, options.participant_col, "participant")
    exercise = _label_value(where, rows, options.exercise_col, "exercise")
    if exercise and known_profile(exercise) is None:
        warnings.append(
            f"{UNKNOWN_EXERCISE_WARNING} {exercise!r} (column {options.exercise_col!r}) is no "
            "known exercise profile: analyse it with --exercise E"
        )
    notes = {k: v for k, v in key}
    estimated = "estimated: " if timing.estimated else ""
    notes["import_rate"] = f"{rate_hz:g} Hz ({estimated}{timing.note})"
    notes["import_acc_unit"] = options.acc_unit
    if options.acc_unit == "counts":
        notes["import_acc_scale"] = f"{scale:.9g}"
    sensor = [w for w in (dead, stuck, frozen) if w]
    if sensor:
        # What the sensor's data says of the sensor, kept with the recording: the report
        # shows it (trial 25: a frozen sensor was said on stderr alone).
        notes[SENSOR_NOTE] = "\n".join(sensor)
    annotations: tuple[Annotation, ...] = ()
    if key:
        label = " ".join(f"{k}={v}" for k, v in key)
        annotations = (Annotation(0.0, duration, label=label, exercise=exercise),)
    origin = timing.absolute_origin_s
    start = origin + float(c.t_s[0]) if origin is not None else 0.0
    meta = RecordingMeta(
        sampling_rate_hz=rate_hz,
        start_time_s=start,
        device=options.device,
        gaps=gaps,
        annotations=annotations,
        participant=participant,
        exercise=exercise,
        source=Path(source).name,
        notes=notes,
    )
    recording = Recording(acc, r.gyr, meta)
    lengths = [g.n_samples for g in gaps]
    report = ImportReport(
        source=source,
        group=key,
        n_rows=c.n_rows,
        n_incomplete=c.n_incomplete,
        n_blank=c.n_blank,
        lead_blank_s=c.lead_blank_s,
        n_out_of_order=c.n_out_of_order,
        n_duplicates=c.n_duplicates,
        timing=stats,
        rate_hz=rate_hz,
        rate_estimated=timing.estimated,
        rate_note=timing.note,
        estimated_rate_hz=timing.estimated_rate_hz,
        max_gap_s=options.max_gap_s,
        n_gaps=len(gaps),
        gap_total_s=sum(lengths) / rate_hz,
        longest_gap_s=max(lengths, default=0) / rate_hz,
        n_samples_out=n,
        duration_s=duration,
        acc_unit=options.acc_unit,
        acc_scale=scale,
        acc_scale_note=scale_note,
        gravity=gravity,
        warnings=tuple(warnings),
        n_implausible=c.n_implausible,
        implausible_max=c.implausible_max,
        n_implausible_samples=int(np.count_nonzero(r.implausible)),
        n_interpolated=r.n_interpolated,
        extra_repairs=extra_repairs,
        lowpassed=r.lowpass,
    )
    repairs = report.repairs
    if repairs:
        recording = recording.with_meta(notes={**notes, REPAIRS_NOTE: repairs.text()})
    return recording, report


def _check_gravity(
    where: str,
    rest: GravityAtRest,
    unit: str,
    scale: float,
    gyr_magnitude: float = math.nan,
    spread: float = 0.0,
    noise: str = "",
) -> None:
    """Refuse an acceleration whose magnitude at rest is not gravity in the declared unit.

    ``gyr_magnitude`` is the median magnitude of the gyro columns as read (their own unit):
    when the acceleration columns are near zero and the gyro's read about 1 g or 9.8, the two
    sets of columns were swapped, which no unit fixes. ``spread`` is that of the magnitudes
    taken at rest (:func:`imu.io.gravity.rest_spread`): without a still period, a spread
    beyond :data:`imu.io.gravity.REST_MAX_REL_SPREAD` (or ``noise``, the warning that the data
    looks like noise) means no stable rest, and no unit is advised: the magnitude of the
    quietest moments of such data is no reading of gravity.
    """
    low, high = GRAVITY_PLAUSIBLE_M_S2
    magnitude = rest.magnitude * scale
    if low <= magnitude <= high:
        return
    if rest.magnitude < 0.5 and (0.8 <= gyr_magnitude <= 1.2 or 7.8 <= gyr_magnitude <= 12.0):
        raise UnitCheckError(
            f"{where}: the acceleration columns read {rest.magnitude:.3g} at rest while the "
            f"gyro columns read {gyr_magnitude:.3g}, about gravity: the two look swapped; "
            "check --acc-cols and --gyr-cols",
            f"the accelerometer's values read {rest.magnitude:.3g} at rest while the "
            f"gyroscope's read {gyr_magnitude:.3g}, about gravity: the two look swapped",
            "acc", rest_m_s2=magnitude, kind="swapped",
        )
    raw = rest.magnitude
    reading = (
        f"{raw:.4g} m/s^2" if unit == "m/s^2" else f"{raw:.4g} {unit} ({magnitude:.4g} m/s^2)"
    )
    if not _stable_rest(rest, spread, noise):
        raise UnitCheckError(
            f"{where}: {_no_stable_rest(spread, noise)}, so the accelerometer's unit cannot "
            f"be told from gravity (its quietest moments read {reading}); check that "
            "--acc-cols name the accelerometer and that the sensor was worn and recording, "
            "then give the unit with --acc-unit and --no-unit-check if you are sure of it",
            _no_stable_rest(spread, noise), "acc", rest_m_s2=magnitude, kind="no-rest",
        )
    looks = acc_unit_guess(raw)
    finding = f"the acceleration magnitude at rest is {reading}, implausible for gravity"
    if looks is None:  # no unit makes this gravity: 0.2 is neither g, m/s^2 nor raw counts
        raise UnitCheckError(
            f"{where}: {finding} (9.81 m/s^2) in any unit; check --acc-cols (are they the "
            "accelerometer's?) and --acc-unit (or --no-unit-check)",
            finding, "acc", rest_m_s2=magnitude,
        )
    raise UnitCheckError(
        f"{where}: {finding} (9.81 m/s^2); the data looks like "
        f"{looks}: pass --acc-unit {looks} (or --no-unit-check)",
        finding, "acc", rest_m_s2=magnitude,
    )


def _stable_rest(rest: GravityAtRest, spread: float, noise: str) -> bool:
    """Whether the magnitude at rest reads gravity.

    It does over a still period, or over quiet moments that agree
    (:data:`imu.io.gravity.REST_MAX_REL_SPREAD`) in data that is not noise.
    """
    return rest.method == "still" or (not noise and spread <= REST_MAX_REL_SPREAD)


def _no_stable_rest(spread: float, noise: str) -> str:
    """Why the data shows no stable rest (see :func:`_stable_rest`), for messages."""
    why = noise or (
        f"the magnitude of its quietest moments spreads by {spread:.0%} (interquartile range "
        "over median)"
        if math.isfinite(spread)
        else "the magnitude of its quietest moments is 0"  # an all-zero column: no spread
    )
    return f"the data shows no stable rest (no still period of 1 s, and {why})"


def acc_unit_guess(raw: float) -> str | None:
    """The acc unit a magnitude at rest looks like ("g", "m/s^2", "counts"), None for none."""
    if 0.8 <= raw <= 1.2:
        return "g"
    if 7.8 <= raw <= 12.0:
        return "m/s^2"
    if raw >= 0.5:
        return "counts"  # also coarse sensors: 16 counts per g at 8 bits and +-8 g
    return None


def _check_mixed_acc(where: str, c: _Cleaned, r: _Resampled, rate_hz: float) -> None:
    """Refuse a file whose acc magnitude at rest changes by a unit's factor part-way.

    A file in m/s^2 for a while and then in g (two exports pasted together, a setting
    changed while recording) has no single unit: any unit declared, or advised from gravity
    over the whole file, is wrong for one part. Found by
    :func:`imu.io.gravity.rest_level_change`; the message names the row and time where the
    magnitude at rest changes, the two levels and the units they look like.

    Args:
        where: the file (and group), for the message.
        c: the cleaned rows (times and data-row places).
        r: the grid samples (acc in file units).
        rate_hz: grid rate, Hz.

    """
    change = rest_level_change(r.acc_raw, rate_hz)
    if change is None:
        return
    times = f"{change.n_changes} times" if change.n_changes > 1 else "once"
    raise UnitCheckError(
        f"{where}: the accelerometer's magnitude at rest changes at "
        f"{_row_and_time(c, change.index, rate_hz)} from {_level(change.before)} to "
        f"{_level(change.after)}, "
        f"{change.ratio:.3g}x (it changes {times} in the file): the file mixes units, so no "
        "single --acc-unit fits it; convert its rows to one unit, or split the file at that "
        "row and import each part with its own --acc-unit (or --no-unit-check)",
        f"{change.ratio:.3g}x; it changes {times} in the file", "acc", kind="mixed",
        at_s=change.index / rate_hz, levels_m_s2=(change.before, change.after),
    )


MIXED_GYRO_MIN_FACTOR: Final = 20.0
"""Least factor between the gyro/gravity ratios of two parts of a file, one failing its check
and the other passing, for :func:`_check_mixed_gyro` to take the file for two gyro units
(rad/s and deg/s differ 57x)."""


def _check_mixed_gyro(
    where: str,
    c: _Cleaned,
    turn: TurnCheck | None,
    tilt: TiltCheck | None,
    rate_hz: float,
    unit: str,
) -> None:
    """Refuse a file whose gyro is in one unit for a part and in another for the rest.

    The physics checks of the gyro unit pool a whole file: half in rad/s and half in deg/s
    fails the range check as rad/s (whose advice, deg/s, then makes the other half 57x too
    small) and passes as deg/s. Here the turn check's stretches
    (:func:`imu.io.gravity.gyro_turn_check`) and the tilt check's block pairs
    (:func:`imu.io.gravity.gyro_tilt_check`) are split in two where their ratios differ most
    (:func:`imu.io.gravity.ratio_change`): one part failing the check
    (:data:`MIN_GYRO_TURN_RATIO`, :data:`MAX_GYRO_TILT_RATIO`) and the other passing it,
    :data:`MIXED_GYRO_MIN_FACTOR` apart, is a change of unit.

    Args:
        where: the file (and group), for the message.
        c: the cleaned rows (times and data-row places).
        turn: the turn check of the grid samples (gyro in rad/s as declared), or None.
        tilt: their tilt check, or None.
        rate_hz: grid rate, Hz.
        unit: the declared gyro unit.

    """
    found: tuple[RatioChange, str] | None = None
    if turn is not None:
        p = turn.parts
        change = ratio_change(
            p[:, 0], p[:, 1], p[:, 2], p[:, 3], MIN_TURN_DEG, MIN_TURN_STRETCHES
        )
        if change is not None and change.factor >= MIXED_GYRO_MIN_FACTOR and (
            min(change.before, change.after) < MIN_GYRO_TURN_RATIO
            <= max(change.before, change.after)
        ):
            found = change, "turns"
    if found is None and tilt is not None:
        p = tilt.parts
        change = ratio_change(p[:, 0], p[:, 1], p[:, 2], p[:, 3], MIN_TILT_PATH_DEG)
        if change is not None and change.factor >= MIXED_GYRO_MIN_FACTOR and (
            min(change.before, change.after) <= MAX_GYRO_TILT_RATIO
            < max(change.before, change.after)
        ):
            found = change, "tilts the sensor"
    if found is None:
        return
    change, verb = found
    lo = min(change.last_end, change.index)
    at = (
        f"at {_row_and_time(c, change.index, rate_hz)}"
        if change.index - lo <= 1
        else f"between {_row_and_time(c, lo, rate_hz)} and "
        f"{_row_and_time(c, change.index, rate_hz)} (the sensor barely tilts in between)"
    )
    finding = (
        f"it {verb} {change.before:.3g}x as far as gravity's direction before and "
        f"{change.after:.3g}x after ({change.factor:.3g}x apart; rad/s and deg/s differ 57x)"
    )
    raise UnitCheckError(
        f"{where}: the gyroscope's scale changes {at}:"
        f" read as {unit}, {finding}: the file mixes units, so no single --gyr-unit fits it; "
        "convert its rows to one unit, or split the file there and import each part with its "
        "own --gyr-unit (or --no-unit-check)",
        finding, "gyr", kind="mixed", at_s=change.index / rate_hz,
    )


def _row_and_time(c: _Cleaned, index: int, rate_hz: float) -> str:
    """"data row N (time t s)" of grid sample ``index`` (the first row at or after it)."""
    t_s = float(c.t_s[0]) + index / rate_hz
    j = min(int(np.searchsorted(c.t_s, t_s - ON_SAMPLE_S, side="left")), c.t_s.size - 1)
    row = f"data row {int(c.positions[j]) + 1}" if c.positions is not None else "row"
    return f"{row} (time {t_s:.2f} s)"


def _level(magnitude: float) -> str:
    """A magnitude at rest in file units and the unit it looks like, for messages."""
    looks = acc_unit_guess(magnitude)
    return f"{magnitude:.4g}" + (f" (like {looks})" if looks else "")


def _noise_reason(c: _Cleaned, r: _Resampled, rate_hz: float) -> str:
    """Why the data looks like random noise, or "" when it does not.

    Noise: no still period (:func:`imu.io.gravity.rest_magnitudes` fell back on the quietest
    windows) over at least :data:`imu.io.gravity.NOISE_MIN_S`, and successive rows of the
    accelerometer barely correlated (:data:`imu.io.gravity.NOISE_MAX_LAG1_CORR`; body movement
    is smooth). The rows of the file are used, not the grid, whose interpolation would
    correlate them.
    """
    if r.rest_method == "still" or r.acc_raw.shape[0] < NOISE_MIN_S * rate_hz:
        return ""
    acc_corr = lag1_correlation(c.acc)
    if not acc_corr < NOISE_MAX_LAG1_CORR:
        return ""
    gyr_corr = lag1_correlation(c.gyr)
    return (
        f"successive samples barely correlate (acc {acc_corr:.2f}, gyro {gyr_corr:.2f}; body "
        "movement gives 0.5 or more): it looks like random noise"
    )


def _check_gyro(where: str, gyr_rad_s: FloatArray, unit: str) -> None:
    norm = np.linalg.norm(gyr_rad_s, axis=1)
    norm = norm[np.isfinite(norm)]
    if norm.size == 0:
        return
    high = float(np.quantile(norm, 0.99))
    if high <= MAX_PLAUSIBLE_GYR_RAD_S:
        return
    hint = (
        "the data looks like deg/s: pass --gyr-unit deg/s"
        if unit == "rad/s"
        else "check --gyr-cols and --gyr-unit"
    )
    reach = f"the angular rate reaches {high:.4g} rad/s ({math.degrees(high):.4g} deg/s)"
    raise UnitCheckError(
        f"{where}: {reach} when read as {unit}, beyond any body movement; {hint} (or "
        "--no-unit-check)",
        f"{reach}, beyond any body movement", "gyr",
        gyr_factor=180.0 / math.pi if math.radians(high) <= MAX_PLAUSIBLE_GYR_RAD_S
        else math.nan,
    )


def _check_gyro_tilt(where: str, check: TiltCheck | None, unit: str) -> None:
    """Refuse a gyro that tilts the sensor far more than gravity's direction moved.

    Catches deg/s data declared as rad/s when its values stay under the absurd-rate limit (a
    slow movement in deg/s reads as 10-60 "rad/s", which a range check lets through). The
    arguments are those of :func:`_check_gyro_turns`, with ``check`` from
    :func:`imu.io.gravity.gyro_tilt_check`.
    """
    if check is None or check.ratio <= MAX_GYRO_TILT_RATIO:
        return
    deg = 0.3 <= check.ratio * math.pi / 180.0 <= 3.0
    hint = (
        "the data looks like deg/s: pass --gyr-unit deg/s"
        if unit == "rad/s" and deg
        else "check --gyr-cols and --gyr-unit"
    )
    finding = (
        f"the gyroscope tilts the sensor {check.gyro_deg:.0f} deg "
        f"while the accelerometer shows gravity's direction moving {check.gravity_deg:.0f} deg "
        f"over the same moments: {check.ratio:.3g}x too much"
    )
    raise UnitCheckError(
        f"{where}: read as {unit}, {finding}; {hint} (or --no-unit-check, e.g. "
        "for a body swinging from a bar with no other movement)",
        finding, "gyr", gyr_factor=180.0 / math.pi if deg else math.nan,
    )


MIN_GYRO_AGREEMENT = -0.5
"""Below this :attr:`imu.io.gravity.TiltCheck.agreement` the gyro turns gravity the other way
than the accelerometer saw it move, and the file is refused. Gyro and accelerometer in one
frame give 0.99-1.00 on every bundled recording of a floor or hanging exercise, and -1.00 with
the gyro negated; standing, where gravity barely moves and the body's accelerations dominate,
it is near 0 (-0.27 to +0.17 on the WLE belt recordings, -0.13 on the bundled standing curl),
so only a clear opposite is refused."""

DOUBT_GYRO_AGREEMENT = 0.5
"""Below this :attr:`imu.io.gravity.TiltCheck.agreement` (and not below
:data:`MIN_GYRO_AGREEMENT`) the import warns that the axes may be in another order. Gyro and
accelerometer in one frame give 0.92-1.00 on simulated floor, hanging and plank sessions at
26-104 Hz and 0.99-1.00 on the bundled recordings; with the accelerometer's axes in another
order (5 wrong orders of each of the 7 bundled floor and hanging recordings) 12 of the 35 are
refused, 15 more give -0.5 to +0.48 and are warned of, and 8 pass; the analysis of such a file
is wrong (on the bundled reverse crunch with acc y and z swapped: arch up to 17 deg off, ROM
10 deg). The WLE belt recordings, standing,
are not judged (:data:`GYRO_DIRECTION_RATIO`)."""

GYRO_DIRECTION_RATIO = (0.5, 2.0)
"""The direction is judged only when the gyro's tilt and gravity's path agree in size this
well (:attr:`imu.io.gravity.TiltCheck.ratio`): otherwise the paths are not comparable."""


def _check_gyro_direction(where: str, check: TiltCheck | None) -> str:
    """Refuse a gyro that turns gravity the opposite way to how the accelerometer saw it move.

    A gyro whose sign is flipped against the accelerometer (another device's convention, a
    left-handed frame) or whose axes are in another order passes every unit check, and the
    analysis then swaps the phases of every rep (the top hold read as the bottom pause) and
    miscounts sets. :func:`imu.io.gravity.gyro_tilt_check`'s ``agreement`` compares the two
    ways; axes in another order are refused only when that turns the agreement clearly
    negative (on the bundled recordings, 4 of 18 permutations tried), and warned of when the
    two barely agree (:data:`DOUBT_GYRO_AGREEMENT`).

    Returns:
        The warning when the two barely agree, else "".

    """
    if check is None or not math.isfinite(check.agreement):
        return ""
    lo, hi = GYRO_DIRECTION_RATIO
    if not lo <= check.ratio <= hi or check.agreement >= DOUBT_GYRO_AGREEMENT:
        return ""
    if check.agreement >= MIN_GYRO_AGREEMENT:
        return (
            f"the gyroscope and the accelerometer barely agree on how gravity's direction "
            f"moved (agreement {check.agreement:+.2f} over {check.gravity_deg:.0f} deg of "
            f"tilt; 1 is the same way, 0.9 or more for one sensor's axes){GYRO_DOUBT_ADVICE}"
        )
    finding = (
        "the gyroscope turns the sensor the opposite way to how the accelerometer saw gravity "
        f"move (agreement {check.agreement:+.2f} over {check.gravity_deg:.0f} deg of tilt; 1 "
        "is the same way)"
    )
    raise UnitCheckError(
        f"{where}: {finding}: the gyro's axes are the other way round from the "
        "accelerometer's; check that --gyr-cols and --acc-cols name the sensor's x, y, z in "
        "the same order, or negate the gyro columns (a device with the other sign convention); "
        "--no-unit-check imports it as it is",
        finding, "gyr", kind="direction",
    )


GYRO_DOUBT_ADVICE: Final = (
    ": their axes may be in another order; check that --acc-cols and --gyr-cols name the "
    "sensor's x, y, z in the same order, or the phases, range and arch measured are wrong"
)
"""The CSV advice that ends the warning of a gyro and accelerometer that barely agree
(:func:`_check_gyro_direction`); an importer whose columns are an app's
(:mod:`imu.io.phone`) replaces it with its own, and the text before it is the finding."""


UNCHECKED_DEG_S: Final = (
    "--gyr-unit deg/s not checked: the sensor never turned 10 deg or more between two rests "
    "here (a standing lift, say), so a gyro in rad/s (57 times more) would pass unseen and "
    "every movement would read 57 times too small; make sure the gyro is in deg/s"
)
"""The warning of an import declared deg/s whose gyro the turn check could not judge
(:func:`_check_gyro_turns`): no other check sees rad/s data declared as deg/s."""


def _check_gyro_turns(where: str, check: TurnCheck | None, unit: str) -> None:
    """Refuse a gyro that turns far less than gravity's direction did between rests.

    The check catches rad/s data declared as deg/s, which no range check can: the values are
    then 57 times too small, well inside any sensor's range. Recordings whose movements tilt
    the sensor too little to tell pass unchecked.

    Args:
        where: the file (and group), for the message.
        check: :func:`imu.io.gravity.gyro_turn_check` of the samples (acc in any unit: it is
            scale-free there; gyro in rad/s as converted from the declared unit).
        unit: the declared gyro unit.

    """
    if check is None or check.ratio >= MIN_GYRO_TURN_RATIO:
        return
    rad = check.ratio * 180.0 / math.pi >= MIN_GYRO_TURN_RATIO
    hint = (
        "the data looks like rad/s: pass --gyr-unit rad/s"
        if unit == "deg/s" and rad
        else "check --gyr-cols and --gyr-unit"
    )
    finding = (
        f"the gyroscope turns {check.gyro_deg:.0f} deg over "
        f"{check.n_stretches} stretches where the accelerometer shows "
        f"gravity's direction turning {check.gravity_deg:.0f} deg: "
        f"{1 / max(check.ratio, 1e-9):.3g}x too little (a rotation is never shorter than the "
        "tilt it makes)"
    )
    raise UnitCheckError(
        f"{where}: read as {unit}, {finding}; {hint} (or --no-unit-check)",
        finding, "gyr", gyr_factor=math.pi / 180.0 if rad else math.nan,
    )
