"""The report tables (pandas) and their writers.

Three tables describe a session; units are in the column names (``_s`` seconds from the first
sample or a duration in seconds, ``_deg`` degrees, ``_dps`` degrees per second, ``_share`` a
fraction in [0, 1]). Angles are about the movement axis, concentric positive. When several
recordings are reported together every table starts with a ``recording`` column (str, the file
stem). ``docs/reports.md`` repeats this schema for users.

``reps``: one row per rep, in time order.

=======================  =======  ==========================================================
column                   dtype    meaning
=======================  =======  ==========================================================
set                      int64    set number, from 1 (a pause > the set rest starts a set)
rep                      int64    rep number within the set, from 1
side                     str      ``left``/``right`` for alternating exercises, else missing
start_s                  float64  concentric onset, s from the first sample
con_end_s                float64  end of the concentric (top reached), s
ecc_start_s              float64  start of the eccentric (lowering), s
ecc_end_s                float64  end of the eccentric, s
concentric_s             float64  con_end_s - start_s, s
top_hold_s               float64  ecc_start_s - con_end_s, s
eccentric_s              float64  ecc_end_s - ecc_start_s, s
bottom_pause_s           float64  ecc_end_s to the next rep's start_s in the same set, s;
                                  NaN for the last rep of a set
tut_s                    float64  time under tension, ecc_end_s - start_s, s (NaN for
                                  a standing strict lift: its reps are hip drives,
                                  with no tempo, as in the sets and session tables)
rom_deg                  float64  range of motion, deg
peak_concentric_dps      float64  peak angular velocity of the concentric, deg/s
mean_concentric_dps      float64  mean angular velocity of the concentric, deg/s
peak_eccentric_dps       float64  peak speed of the eccentric (positive), deg/s
mean_eccentric_dps       float64  mean speed of the eccentric (positive), deg/s
peak_time_fraction       float64  when the concentric velocity peaks, fraction of it
                                  (swing feature *early peak* below 0.35)
concentric_ratio         float64  concentric_s / prescribed concentric (*fast* below 0.5)
windup_deg               float64  largest rotation against the concentric ending < 0.5 s
                                  before it, deg (*wind-up* from 3 deg)
overshoot_deg            float64  small return just after the concentric, deg
swing_features           int64    swing features that hold, 0-3
swing                    bool     momentum-driven rep (two features or more)
eccentric_ratio          float64  eccentric_s / prescribed eccentric
top_hold_ratio           float64  top_hold_s / prescribed hold (NaN under 1 s prescribed)
rom_ratio                float64  rom_deg / median ROM of the previous (up to 10) reps that
                                  were not partial (NaN for the first rep)
arch_deg                 float64  anterior tilt below the level at onset during the rep, deg
rotation_deg             float64  peak-to-peak rotation about the body's long axis, deg
body_swing_deg           float64  hanging: the body's swing about the bar, peak to peak over
                                  the 3 s before the rep, deg
drift_deg                float64  holds: signed largest tilt drift over the hold, deg
shaking_dps              float64  holds: RMS angular velocity over the hold, deg/s
<fault>                  bool     one column per name in :data:`imu.exercises.FAULTS`;
                                  False where the fault does not apply to the exercise
fault_count              int64    number of faults of the rep
clean                    bool     no swing and no fault, not in_gap (a rep over a data gap
                                  was not measured whole) and not uncertain
                                  (count_confidence 0.5 or more): an uncertain rep may be
                                  no rep, so it is never counted clean
tempo_ok                 bool     every phase within the tempo tolerance (not judged, so
                                  left out of every on-tempo share, when in_gap)
in_gap                   bool     the rep overlaps samples lost for too long to fill
count_confidence         float64  0-1, how clearly the rep stands out of the noise and the
                                  smallest rep; under 0.5 the rep is uncertain
missed_before            bool     the pause before this rep broke the set's rhythm (over
                                  1.6 of its usual intervals; leg raise, dead bug,
                                  bird-dog): a rep may be missing there, so the set's
                                  count may be one short
=======================  =======  ==========================================================

``sets``: one row per set.

===============================  =======  ==================================================
column                           dtype    meaning
===============================  =======  ==================================================
set                              int64    set number
reps                             int64    reps in the set
start_s                          float64  first rep's start_s, s
end_s                            float64  last rep's ecc_end_s, s
rest_before_s                    float64  start_s minus the previous set's end_s, s (NaN
                                          for the first set)
tut_s                            float64  sum of the reps' tut_s, s (here and in the means
                                          below, reps over a data gap are left out: they
                                          lasted an unknown time; NaN when every rep of the
                                          set was over one: unknown, not 0 s, and for a
                                          standing strict lift: its reps are hip drives,
                                          with no tempo)
concentric_s_mean                float64  mean concentric, s
top_hold_s_mean                  float64  mean top hold, s
eccentric_s_mean                 float64  mean eccentric, s, of the reps not over a data
                                          gap and not uncertain (as the session's
                                          eccentric_s_median; NaN when the set has none)
bottom_pause_s_mean              float64  mean bottom pause, s (NaN with one rep)
rom_deg_mean                     float64  mean ROM, deg, of the reps not over a data gap
                                          and not uncertain (as eccentric_s_mean)
tempo_ok_share                   float64  share of reps with tempo_ok, out of the reps
                                          not over a data gap and not uncertain (NaN when
                                          none, and for a standing strict lift, as tut_s)
swings                           int64    reps with swing, out of the reps not over a data
                                          gap and not uncertain (as the counts below: an
                                          uncertain rep may be no rep, as in the advice)
<fault>_count                    int64    reps with that fault, for every fault
clean_reps                       int64    clean reps (uncertain reps are never clean)
clean_reps_before_first_fault    int64    clean reps before the first rep with a swing or
                                          fault ("perfect reps before form breaks"); reps
                                          over a data gap and uncertain reps are skipped
                                          (neither counted nor ending the run)
===============================  =======  ==================================================

``session``: one row per recording.

===============================  =======  ==================================================
column                           dtype    meaning
===============================  =======  ==================================================
exercise                         str      profile name
tempo                            str      prescription, up-hold-down seconds (``3-1-3``)
participant                      str      from the recording, missing when unknown
device                           str      from the recording
date                             str      UTC start, ISO 8601, missing when unknown
duration_s                       float64  length of the recording, s
sets                             int64    sets found
reps                             int64    reps found
uncertain_reps                   int64    reps whose count_confidence is under 0.5 (small
                                          against the noise: they may not be reps, and
                                          such sessions may miss some)
tut_s                            float64  total time under tension, s (reps over a data
                                          gap left out; NaN when every rep was over one,
                                          and for a standing strict lift: its reps are hip
                                          drives, with no tempo)
tempo_ok_share                   float64  share of reps with tempo_ok, out of the reps
                                          not over a data gap and not uncertain (NaN when
                                          none, and for a standing strict lift, as tut_s)
eccentric_s_median               float64  median eccentric, s, of the reps not over a
                                          data gap and not uncertain (as tempo_ok_share)
rom_deg_median                   float64  median ROM, deg
swing_share                      float64  share of reps with swing, out of the reps not
                                          over a data gap and not uncertain (as every
                                          fault share below: the reps the advice counts;
                                          ``uncertain_reps`` says how many are left out)
<fault>_share                    float64  share of reps with that fault, for every fault
clean_share                      float64  share of clean reps, out of the reps not over
                                          a data gap (uncertain reps count as not clean;
                                          NaN for a standing strict lift, whose every
                                          rep is a hip drive, the fault itself)
clean_reps_before_first_fault    int64    best set's clean reps before the first fault
verdict_kind                     str      progress, regress, no_rotation, no_reps, too_short or none
verdict                          str      coaching verdict (:mod:`imu.report.coaching`)
disclaimer                       str      the analysis never diagnoses pain or injury
===============================  =======  ==================================================

Shares and medians are NaN when there are no reps, and so are they and the time under
tension when every rep was over a data gap (unknown, not 0 s: a rep over a gap lasted an
unknown time, and its swing and faults are not judged); the swing and fault shares and
``tempo_ok_share`` and ``eccentric_s_median`` are NaN too when every judged rep was uncertain,
and so are a set's ``tempo_ok_share``, ``eccentric_s_mean`` and ``rom_deg_mean`` when every
judged rep of the set was.

The swing and fault counts and shares follow the advice's rule
(:func:`imu.report.summary.evidence_mask`): an uncertain rep may be no rep, so it is never
counted clean and its swing and faults are left out; where a count is shown, the view says
how many uncertain reps it left out (the session's ``uncertain_reps``).

The rules the report pages and the terminal share (one place, so no two views disagree):
:func:`judged` (the reps whose tempo and cleanness are judged: not over a data gap),
:func:`judged_tut_s` and :func:`tut_text` (their time under tension: unknown, not 0 s,
when every rep was over a gap),
:func:`off_phases` (the phases of a rep shown off tempo), :func:`near_limit` (a number with
enough decimals never to print as a threshold it is not), :func:`phase_text` (a phase
duration as every view prints it: one decimal, two only to stay on its side of a limit)
and :func:`time_held_s` (the time a plank was held, the total every view gives).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from imu.core.metrics import HOLD_SLACK_FRACTION, UNCERTAIN_CONFIDENCE, Rep, TempoTolerance
from imu.errors import ImuError
from imu.exercises import FAULTS, ExerciseProfile, FaultThresholds
from imu.io.atomic import (
    FolderBusyError,
    atomic_path,
    folder_lock,
    no_empty_folder_left,
    write_error_reason,
)
from imu.io.recording import RecordingMeta
from imu.report.coaching import DISCLAIMER, session_verdict, sure_reps
from imu.tempo import Tempo

if TYPE_CHECKING:
    from imu.report.session import SessionReport

logger = logging.getLogger(__name__)


class ReportError(ImuError):
    """The reports cannot be written (output directory not writable, ...)."""


RECORDING: Final = "recording"
"""Name of the first column when several recordings are reported together."""

_F = "float64"
_I = "int64"
_B = "bool"
_S = "str"

REPS_DTYPES: Final[dict[str, str]] = {
    "set": _I,
    "rep": _I,
    "side": _S,
    "start_s": _F,
    "con_end_s": _F,
    "ecc_start_s": _F,
    "ecc_end_s": _F,
    "concentric_s": _F,
    "top_hold_s": _F,
    "eccentric_s": _F,
    "bottom_pause_s": _F,
    "tut_s": _F,
    "rom_deg": _F,
    "peak_concentric_dps": _F,
    "mean_concentric_dps": _F,
    "peak_eccentric_dps": _F,
    "mean_eccentric_dps": _F,
    "peak_time_fraction": _F,
    "concentric_ratio": _F,
    "windup_deg": _F,
    "overshoot_deg": _F,
    "swing_features": _I,
    "swing": _B,
    "eccentric_ratio": _F,
    "top_hold_ratio": _F,
    "rom_ratio": _F,
    "arch_deg": _F,
    "rotation_deg": _F,
    "body_swing_deg": _F,
    "drift_deg": _F,
    "shaking_dps": _F,
    **{fault: _B for fault in FAULTS},
    "fault_count": _I,
    "clean": _B,
    "tempo_ok": _B,
    "in_gap": _B,
    "count_confidence": _F,
    "missed_before": _B,
}
"""Columns of the reps table and their dtypes, in order."""

SETS_DTYPES: Final[dict[str, str]] = {
    "set": _I,
    "reps": _I,
    "start_s": _F,
    "end_s": _F,
    "rest_before_s": _F,
    "tut_s": _F,
    "concentric_s_mean": _F,
    "top_hold_s_mean": _F,
    "eccentric_s_mean": _F,
    "bottom_pause_s_mean": _F,
    "rom_deg_mean": _F,
    "tempo_ok_share": _F,
    "swings": _I,
    **{f"{fault}_count": _I for fault in FAULTS},
    "clean_reps": _I,
    "clean_reps_before_first_fault": _I,
}
"""Columns of the sets table and their dtypes, in order."""

SESSION_DTYPES: Final[dict[str, str]] = {
    "exercise": _S,
    "tempo": _S,
    "participant": _S,
    "device": _S,
    "date": _S,
    "duration_s": _F,
    "sets": _I,
    "reps": _I,
    "uncertain_reps": _I,
    "tut_s": _F,
    "tempo_ok_share": _F,
    "eccentric_s_median": _F,
    "rom_deg_median": _F,
    "swing_share": _F,
    **{f"{fault}_share": _F for fault in FAULTS},
    "clean_share": _F,
    "clean_reps_before_first_fault": _I,
    "verdict_kind": _S,
    "verdict": _S,
    "disclaimer": _S,
}
"""Columns of the session table and their dtypes, in order."""

REPS_COLUMNS: Final = tuple(REPS_DTYPES)
_REP_FIELDS: Final = frozenset(f.name for f in dataclasses.fields(Rep))
SETS_COLUMNS: Final = tuple(SETS_DTYPES)
SESSION_COLUMNS: Final = tuple(SESSION_DTYPES)

TABLE_NAMES: Final = ("reps", "sets", "session")

TABLE_FILES: Final = tuple(f"{name}.{ext}" for name in TABLE_NAMES for ext in ("csv", "parquet"))
"""The tables :func:`write_reports` writes (a folder search leaves them out: no recordings)."""

REPORT_FILES: Final = (*TABLE_FILES, "report.html")
"""The files :func:`write_reports` writes into its folder."""


def _typed(columns: dict[str, object], dtypes: dict[str, str]) -> pd.DataFrame:
    """A DataFrame with exactly ``dtypes``' columns, in order, cast to those dtypes.

    Each column is made in its dtype as it is built (None is NaN in a float column and
    missing in a text one), not built as objects and cast: a tenth of the time.
    """
    data: dict[str, object] = {}
    for name, dtype in dtypes.items():
        values = columns[name]
        if isinstance(values, pd.Series):
            values = values.to_numpy()
        data[name] = (pd.Series(values, dtype=dtype) if dtype == _S
                      else np.asarray(values, dtype=dtype))
    return pd.DataFrame(data, copy=False)


def reps_table(reps: Sequence[Rep], profile: ExerciseProfile | None = None) -> pd.DataFrame:
    """The reps table (schema in the module docstring) of reps in time order.

    ``profile``: the exercise analysed (None: one with a tempo, every rep's ``tut_s`` given).
    A standing strict lift's (``every_rep_is_swing``) reps are hip drives, which put nothing
    under tension: their ``tut_s`` is NaN, as in its sets and session tables (same schema;
    the drive's duration stays ``ecc_end_s - start_s``).
    """
    # A hip drive is a pelvic burst while the arms lift, not a rep held under tension.
    no_tempo = profile is not None and profile.every_rep_is_swing
    cols: dict[str, object] = {
        "set": [r.set for r in reps],
        "rep": [r.rep for r in reps],
        "side": [r.side or None for r in reps],
        "start_s": [r.con_start_s for r in reps],
        "con_end_s": [r.con_end_s for r in reps],
        "ecc_start_s": [r.ecc_start_s for r in reps],
        "ecc_end_s": [r.ecc_end_s for r in reps],
        "concentric_s": [r.concentric_s for r in reps],
        "top_hold_s": [r.top_hold_s for r in reps],
        "eccentric_s": [r.eccentric_s for r in reps],
        "tut_s": [math.nan if no_tempo else r.tut_s for r in reps],
    }
    # Every other column that is a field of Rep is copied as it is.
    for name in REPS_DTYPES:
        if name not in cols and name in _REP_FIELDS:
            cols[name] = [getattr(r, name) for r in reps]
    for fault in FAULTS:
        cols[fault] = [fault in r.faults for r in reps]
    cols["fault_count"] = [len(r.faults) for r in reps]
    # A rep over a data gap was not measured whole: never counted clean (nor on tempo). A
    # rep the analyzer is not sure was a rep (count_confidence under 0.5) may be noise: never
    # clean either, in every table and view (the summary's rule, sure_reps).
    cols["clean"] = [not r.swing and not r.faults and not r.in_gap
                     and not r.count_confidence < UNCERTAIN_CONFIDENCE for r in reps]
    cols["bottom_pause_s"] = bottom_pause_s(
        np.asarray(cols["set"], dtype=np.int64),
        np.asarray(cols["start_s"], dtype=np.float64),
        np.asarray(cols["ecc_end_s"], dtype=np.float64),
    )
    return _typed(cols, REPS_DTYPES)


def bottom_pause_s(set_no: np.ndarray, start_s: np.ndarray, ecc_end_s: np.ndarray) -> np.ndarray:
    """From each rep's eccentric end to the next rep's start in the same set, s.

    Args:
        set_no: shape (n,), set number of each rep (reps in time order).
        start_s: shape (n,), concentric onsets, s.
        ecc_end_s: shape (n,), eccentric ends, s.

    Returns:
        Shape (n,), float64; NaN for the last rep of each set.

    """
    out = np.full(len(set_no), np.nan)
    if len(set_no) > 1:
        same = set_no[1:] == set_no[:-1]
        out[:-1] = np.where(same, start_s[1:] - ecc_end_s[:-1], np.nan)
    return out


def clean_before_first_fault(
    clean: Sequence[bool] | pd.Series | np.ndarray,
    skip: Sequence[bool] | pd.Series | np.ndarray | None = None,
) -> int:
    """Clean reps before the first swing or fault: the number of leading True values.

    ``skip``: reps left out (over a data gap: not judged), neither counted nor ending the run.
    """
    skipped = [False] * len(clean) if skip is None else [bool(v) for v in skip]
    count = 0
    for value, left_out in zip(clean, skipped, strict=True):
        if left_out:
            continue
        if not value:
            break
        count += 1
    return count


def judged(reps: pd.DataFrame) -> pd.Series:
    """The reps whose tempo and cleanness are judged: those not over a data gap.

    A rep over a data gap (``in_gap``) lasted an unknown time: its tempo is not judged, and
    it is left out of every on-tempo share, clean count and clean run, of the time under
    tension and of the swing and fault counts, shares and evidence (the tables, the
    summary, the report page and the terminal all use this rule).
    """
    if "in_gap" not in reps.columns:
        return pd.Series(True, index=reps.index)
    return ~reps["in_gap"].astype("boolean").fillna(False).astype(bool)


def judged_tut_s(reps: pd.DataFrame) -> float:
    """Time under tension of the reps judged (:func:`judged`), s: the session's ``tut_s``.

    0 without reps; NaN (unknown, never 0 s) when every rep was over a data gap: they lasted
    an unknown time.
    """
    measured = reps[judged(reps)]
    if len(reps) and not len(measured):
        return math.nan
    return float(measured["tut_s"].sum()) if len(measured) else 0.0


TUT_UNKNOWN: Final = "unknown (sensor lost)"
"""What every view says of a time under tension that is NaN: every rep was over a data gap."""


def tut_text(value: float) -> str:
    """A time under tension as text: ``84 s``, or :data:`TUT_UNKNOWN` when it is NaN."""
    return f"{value:.0f} s" if math.isfinite(value) else TUT_UNKNOWN


def time_held_s(reps: pd.DataFrame) -> float:
    """The time a plank's holds were held, s: the sum of ``top_hold_s``.

    Getting into and out of the hold is left out. The one total the report, the set lines
    and the command line give (``imu.text.tempo_and_time`` sums the same column).
    """
    return float(reps["top_hold_s"].sum()) if len(reps) else 0.0


TEMPO_PHASES: Final = ("concentric_s", "top_hold_s", "eccentric_s")
"""The phases judged on tempo, as reps-table columns (also the :class:`Tempo` fields): up,
top hold, down."""


def off_phases(
    row: Mapping[Any, Any], tempo: Tempo, isometric: bool = False,
    tolerance: TempoTolerance | None = None,
) -> dict[str, str]:
    """The phases of one rep that are off tempo, as ``{column: "short" | "long"}``.

    The one rule behind the table's red cells, the tempo plot's marks and the summary's
    tempo evidence, and it agrees with the analyzer's ``tempo_ok``: a rep on tempo has no
    phase off, and a rep over a data gap (``in_gap``) is not judged (none). A hold
    (``isometric``: plank) is judged on its hold alone, and only when too short (the
    analyzer's rule: holding longer is no fault). Otherwise every phase outside the tempo
    tolerance is off; a rep the analyzer judged off tempo with another tolerance
    (``--tempo-tolerance``) and no phase outside this one has its phase furthest from the
    prescription (in slacks) off.

    Args:
        row: one reps-table row (``concentric_s``, ``top_hold_s``, ``eccentric_s``,
            ``tempo_ok``, ``in_gap``).
        tempo: the prescription.
        isometric: the exercise is a hold.
        tolerance: the tempo tolerance; the default one when None.

    """
    if row.get("tempo_ok", True) or row.get("in_gap", False):
        return {}
    tol = tolerance or TempoTolerance()
    measured = {column: finite(row.get(column)) for column in TEMPO_PHASES}
    prescribed = {column: float(getattr(tempo, column)) for column in TEMPO_PHASES}
    if isometric:
        return {"top_hold_s": "short"} if measured["top_hold_s"] is not None else {}
    distance = {
        column: abs(value - prescribed[column]) / tol.slack_s(prescribed[column])
        for column, value in measured.items()
        if value is not None
    }
    off = [column for column, d in distance.items() if d > 1.0]
    if not off and distance:
        off = [max(distance, key=lambda c: distance[c])]
    return {
        column: "short" if (measured[column] or 0.0) < prescribed[column] else "long"
        for column in off
    }


def finite(value: object) -> float | None:
    """``value`` as a float, None when missing or not a finite number."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def phase_limits(
    column: str,
    prescribed_s: float,
    isometric: bool = False,
    thresholds: FaultThresholds | None = None,
    tolerance: TempoTolerance | None = None,
) -> tuple[float, ...]:
    """The thresholds a phase duration is judged against, s (for :func:`near_limit`).

    The edges of the on-tempo band, and the fault line of the phase: a fast lift (swing
    feature) for the up, a dropped descent for the down, a short hold for a top hold of
    ``thresholds.short_hold_min_prescribed_s`` (1 s) or more prescribed; a plank's hold: the
    shortest hold that is long enough. ``tolerance``: the one the analyzer judged
    ``tempo_ok`` with (:attr:`imu.report.session.SessionReport.tolerance`); the default when
    None.
    """
    tol = tolerance or TempoTolerance()
    th = thresholds or FaultThresholds()
    if not math.isfinite(prescribed_s):
        return ()
    if isometric:
        if column != "top_hold_s":
            return ()
        return (prescribed_s - max(tol.min_s, HOLD_SLACK_FRACTION * prescribed_s),)
    slack = tol.slack_s(prescribed_s)
    limits = [prescribed_s - slack, prescribed_s + slack]
    if column == "concentric_s":
        limits.append(th.fast_ratio * prescribed_s)
    elif column == "eccentric_s":
        limits.append(th.dropped_eccentric_ratio * prescribed_s)
    elif column == "top_hold_s" and prescribed_s >= th.short_hold_min_prescribed_s:
        limits.append(th.short_hold_ratio * prescribed_s)
    return tuple(limits)


def hold_long_enough(held_s: float, prescribed_s: float,
                     tolerance: TempoTolerance | None = None) -> bool:
    """Whether a static hold of ``held_s`` s is long enough for ``prescribed_s`` (as judged).

    The shortest long-enough hold of :func:`phase_limits`; False without a finite target.
    """
    least = phase_limits("top_hold_s", prescribed_s, True, None, tolerance)
    return bool(least) and held_s >= least[0]


def near_limit(value: float, limits: Iterable[float], decimals: int = 1,
               max_decimals: int = 2) -> str:
    """``value`` with ``decimals``, or a decimal more where it would print as a threshold.

    A 1.49 s descent against the dropped line at 1.5 s reads "1.49", not "1.5" (which a 1.51 s
    descent, not dropped, would also read): a value whose text equals a limit gets a decimal
    more, up to ``max_decimals`` (two: the report's one rule of precision, docs/reports.md);
    a value that still prints as the limit then (1.001 against 1.0) is at it to the
    precision shown, and keeps ``decimals``; so does a value exactly at a limit. "-" for
    NaN; never "-0.0".
    """
    if not math.isfinite(value):
        return "-"
    bounds = [float(b) for b in limits if math.isfinite(b) and b != value]
    base = f"{value:z.{decimals}f}"
    for places in range(decimals, max(decimals, max_decimals) + 1):
        text = f"{value:z.{places}f}"
        shown = float(text)
        if not any(math.isclose(shown, b, rel_tol=1e-9, abs_tol=1e-12) for b in bounds):
            return text
    return base


def phase_text(
    value: float,
    column: str,
    prescribed_s: float,
    isometric: bool = False,
    thresholds: FaultThresholds | None = None,
    tolerance: TempoTolerance | None = None,
) -> str:
    """A phase duration as every view shows it: one decimal, two only to keep its side.

    The limits (:func:`phase_limits`) are judged inclusive: a phase is off tempo, fast,
    dropped or short only beyond them. So a duration that prints as a limit reads as within
    it, which is wrong only for a value beyond it: a 1.46 s descent against the dropped line
    at 1.5 s reads "1.46" (dropped), while a 1.04 s descent against a line at 1.0 s (not
    dropped) reads "1.0". The upper edge of the on-tempo band is passed by a longer phase,
    every other limit by a shorter one.
    """
    if not math.isfinite(value):
        return "-"
    limits = phase_limits(column, prescribed_s, isometric, thresholds, tolerance)
    if isometric or len(limits) < 2:
        crossed = [b for b in limits if value < b]
    else:
        upper = limits[1]
        crossed = [b for b in (limits[0], *limits[2:]) if value < b]
        crossed += [upper] if value > upper else []
    return near_limit(value, crossed)


def sets_table(reps: pd.DataFrame, profile: ExerciseProfile | None = None) -> pd.DataFrame:
    """The sets table (schema in the module docstring) of a reps table of one recording.

    Sums and means skip NaN as pandas does (a set whose values are all NaN has a NaN mean and
    a zero sum), but a set whose every rep was over a data gap has a NaN time under tension:
    unknown, not 0 s. Vectorised over the sets (one pass per column, not per set).

    ``profile``: the exercise analysed (None: one with a tempo). A standing strict lift's
    (``every_rep_is_swing``) reps are hip drives, with no tempo and nothing under tension:
    its ``tut_s`` and ``tempo_ok_share`` are NaN, as in its session table (same schema).
    """
    if len(reps) == 0:
        return _typed({name: [] for name in SETS_DTYPES}, SETS_DTYPES)
    set_no = reps["set"].to_numpy(dtype=np.int64)
    order = np.argsort(set_no, kind="stable")
    ordered = set_no[order]
    first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    last = np.r_[first[1:], len(ordered)] - 1

    def values(name: str) -> np.ndarray:
        return np.asarray(reps[name].to_numpy(dtype=np.float64)[order])

    def total(x: np.ndarray) -> np.ndarray:
        return np.asarray(np.add.reduceat(np.where(np.isnan(x), 0.0, x), first))

    gap = ~judged(reps).to_numpy(dtype=bool)[order]
    # Uncertain reps are never clean, and no evidence of a fault either: the clean run
    # skips them as it skips a rep over a gap.
    unsure = ~sure_reps(reps).to_numpy(dtype=bool)[order]
    judged_n = np.add.reduceat((~gap).astype(np.int64), first)

    def mean(name: str, left_out: np.ndarray) -> np.ndarray:
        # Per set, over the reps not in ``left_out``: NaN for a set with none.
        x = np.where(left_out, np.nan, values(name))
        n = np.add.reduceat((~np.isnan(x)).astype(np.int64), first)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, total(x) / n, np.nan)

    # A standing strict lift's every "rep" is a hip drive: no tempo, nothing under tension
    # (NaN, as in session_table, not 0% on tempo nor seconds of tension).
    no_tempo = profile is not None and profile.every_rep_is_swing
    unknown = np.full(len(first), np.nan)
    start_s, end_s = values("start_s")[first], values("ecc_end_s")[last]
    clean = reps["clean"].to_numpy(dtype=bool)[order] & ~gap
    cols: dict[str, object] = {
        "set": ordered[first],
        "reps": last - first + 1,
        "start_s": start_s,
        "end_s": end_s,
        "rest_before_s": start_s - np.r_[np.nan, end_s[:-1]],
        # A rep over a data gap lasted an unknown time (the gap is in its phases) and its
        # angle was bridged: left out of the durations and their means, like its tempo; a
        # set of such reps alone lasted an unknown time (NaN), not 0 s.
        "tut_s": unknown if no_tempo else np.where(
            judged_n > 0, total(np.where(gap, np.nan, values("tut_s"))), np.nan),
        "concentric_s_mean": mean("concentric_s", gap),
        "top_hold_s_mean": mean("top_hold_s", gap),
        # The eccentric is the tempo's descent and the ROM the rep's size: out of the reps
        # that are evidence of them, as the session table's eccentric_s_median (an
        # uncertain rep may be noise or half a rep: a 0.3 s, 8 deg "rep" is no descent).
        "eccentric_s_mean": mean("eccentric_s", gap | unsure),
        "bottom_pause_s_mean": mean("bottom_pause_s", gap),
        "rom_deg_mean": mean("rom_deg", gap | unsure),
        # Out of the reps that are evidence of the tempo kept: not over a data gap (an
        # unknown duration) and not uncertain (it may be noise or half a rep), as the
        # advice and imu.research.tempo_compliance count them.
        "tempo_ok_share": unknown if no_tempo else mean("tempo_ok", gap | unsure),
        # Nor are its swing and faults judged (its quantities were measured across the gap),
        # and an uncertain rep may be no rep: out of the counts, as out of the advice.
        "swings": total(np.where(gap | unsure, 0.0, values("swing"))),
        "clean_reps": total(clean.astype(np.float64)),
        "clean_reps_before_first_fault": [
            clean_before_first_fault(clean[a : b + 1], (gap | unsure)[a : b + 1])
            for a, b in zip(first, last, strict=True)
        ],
    }
    for fault in FAULTS:
        cols[f"{fault}_count"] = total(np.where(gap | unsure, 0.0, values(fault)))
    return _typed(cols, SETS_DTYPES)


def session_table(
    reps: pd.DataFrame,
    sets: pd.DataFrame,
    profile: ExerciseProfile,
    tempo: Tempo,
    meta: RecordingMeta,
    duration_s: float,
    lost_s: float = 0.0,
    started: bool | None = None,
    walked_s: float = 0.0,
    paused_spans_s: Sequence[tuple[float, float]] = (),
) -> pd.DataFrame:
    """The one-row session table (schema in the module docstring).

    Args:
        reps: the reps table of the recording.
        sets: its sets table.
        profile: the exercise profile analysed.
        tempo: the prescription used.
        meta: the recording's metadata (participant, device, start time).
        duration_s: length of the recording, s.
        lost_s: how long the sensor was lost for, s (gaps too long to bridge; a pause is
            none), for the verdict of a recording with no rep
            (:func:`imu.report.coaching.session_verdict`).
        started: whether a rep (hold) was under way when the recording ended (None: not
            known), for the verdict of an early end with none.
        walked_s: how long the person walked in the recording, s, for the verdict of a
            walk with no rep (0: not known).
        paused_spans_s: where the measurement was paused, (start, end) in s on the reps'
            clock (phyphox's pause: no data, nothing lost), for the verdict.

    """
    verdict = session_verdict(reps, profile, tempo, duration_s, lost_s, started, walked_s,
                              paused_spans_s=paused_spans_s)
    date = (
        datetime.fromtimestamp(meta.start_time_s, tz=UTC).isoformat(timespec="seconds")
        if meta.start_time_s
        else None
    )

    # Reps over a data gap are not judged: on tempo, clean, swing and faults are shares of
    # the others, and the time under tension is theirs (unknown when there are none).
    measured = reps[judged(reps)]
    # An uncertain rep may be no rep: the swing and fault shares leave it out, as the advice
    # does (imu.report.summary.evidence_mask); uncertain_reps says how many were left out.
    sure = reps[judged(reps) & sure_reps(reps)]

    def judged_share(column: str) -> float:
        return float(measured[column].mean()) if len(measured) else np.nan

    def sure_share(column: str) -> float:
        return float(sure[column].mean()) if len(sure) else np.nan

    # A standing strict lift's every "rep" is a hip drive (a pelvic burst while the arms
    # lift): it has no tempo and puts nothing under tension, so neither is given (NaN, not
    # 0% on tempo nor seconds of tension); the columns stay, the schema is one for all.
    no_tempo = profile.every_rep_is_swing

    row: dict[str, object] = {
        "exercise": profile.name,
        "tempo": str(tempo),
        "participant": meta.participant,
        "device": meta.device,
        "date": date,
        "duration_s": duration_s,
        "sets": len(sets),
        "reps": len(reps),
        "uncertain_reps": int((reps["count_confidence"] < UNCERTAIN_CONFIDENCE).sum()),
        "tut_s": np.nan if no_tempo else judged_tut_s(reps),
        "tempo_ok_share": np.nan if no_tempo else sure_share("tempo_ok"),
        # Durations and ROM of reps over a data gap are unknown: left out, as in the sets.
        # The eccentric is the tempo's descent: out of the reps that are evidence of the
        # tempo kept, as tempo_ok_share (an uncertain rep may be noise or half a rep).
        "eccentric_s_median": float(sure["eccentric_s"].median()) if len(sure) else np.nan,
        "rom_deg_median": float(measured["rom_deg"].median()) if len(reps) else np.nan,
        "swing_share": sure_share("swing"),
        **{f"{fault}_share": sure_share(fault) for fault in FAULTS},
        # Nor is a hip drive ever clean (it is the fault): no clean share, not 0%.
        "clean_share": np.nan if no_tempo else judged_share("clean"),
        "clean_reps_before_first_fault": (
            int(sets["clean_reps_before_first_fault"].max()) if len(sets) else 0
        ),
        "verdict_kind": verdict.kind,
        "verdict": verdict.text,
        "disclaimer": DISCLAIMER,
    }
    return _typed({k: [v] for k, v in row.items()}, SESSION_DTYPES)


def combined_tables(reports: Sequence[SessionReport]) -> dict[str, pd.DataFrame]:
    """The reps, sets and session tables of one or several reports.

    One report gives its own tables; several are concatenated with a first column
    ``recording`` (each report's ``name``).
    """
    if not reports:
        raise ReportError("no recordings to report; give at least one file")
    if len(reports) == 1:
        r = reports[0]
        return {"reps": r.reps, "sets": r.sets, "session": r.session}
    out = {}
    for table in TABLE_NAMES:
        frames = []
        for r in reports:
            frame = getattr(r, table).copy()
            frame.insert(0, RECORDING, pd.Series([r.name] * len(frame), dtype="str"))
            frames.append(frame)
        out[table] = pd.concat(frames, ignore_index=True)
    return out


def check_output_dir(out: str | Path) -> Path:
    """Create the report folder ``out`` (or find it) and check it is writable, before any work.

    Raises:
        ReportError: ``out`` is a file, or a folder that cannot be created or written; the
            message names it and the fix.

    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ReportError(f"--out {path} is a file, not a folder; give a folder for the reports")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".imu-write-check-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ReportError(
            f"cannot write reports to {path}: {write_error_reason(path, exc)}; choose a "
            "writable --out"
        ) from exc
    return path


def write_reports(
    report: SessionReport | Sequence[SessionReport], out_dir: str | Path
) -> list[Path]:
    """Write reps/sets/session as CSV and Parquet, and ``report.html``, into ``out_dir``.

    Args:
        report: one report, or several (combined with a ``recording`` column).
        out_dir: output directory, created if missing; existing report files are replaced.

    Returns:
        The paths written: ``reps.csv, reps.parquet, sets.csv, sets.parquet, session.csv,
        session.parquet, report.html``.

    Raises:
        ReportError: the directory cannot be created or a file cannot be written.

    """
    from imu.report.html import render_html  # html imports this module

    reports = [report] if not isinstance(report, Sequence) else list(report)
    tables = combined_tables(reports)
    out = Path(out_dir)
    written: list[Path] = []
    try:
        with no_empty_folder_left(out):
            out.mkdir(parents=True, exist_ok=True)
            with folder_lock(out, REPORTS_LOCK):
                written = _write_report_files(out, tables, render_html(reports, tables))
    except FolderBusyError as exc:
        raise ReportError(f"{exc}; wait for it to finish, or choose another --out") from exc
    except OSError as exc:
        raise ReportError(
            f"cannot write reports to {out}: {write_error_reason(out, exc)}; choose a "
            "writable --out"
        ) from exc
    logger.info("wrote %d report files to %s", len(written), out)
    return written


REPORTS_LOCK: Final = ".imu-reports.lock"
"""Lock file held in a report folder while a run writes its set (:func:`write_reports`)."""


def _write_report_files(out: Path, tables: Mapping[str, pd.DataFrame], html: str) -> list[Path]:
    """Each table as CSV and Parquet, and ``report.html``, into ``out``; the paths written."""
    written: list[Path] = []
    for name, frame in tables.items():
        csv_path, pq_path = out / f"{name}.csv", out / f"{name}.parquet"
        with atomic_path(csv_path) as tmp:
            frame.to_csv(tmp, index=False)
        with atomic_path(pq_path) as tmp:
            frame.to_parquet(tmp, index=False)
        written += [csv_path, pq_path]
    html_path = out / "report.html"
    with atomic_path(html_path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    written.append(html_path)
    return written
