"""Questions researchers ask of a batch dataset, as pure pandas functions.

The dataset is what ``imu batch`` writes (:mod:`imu.batch`; layout in docs/research.md):
one table of reps, one of sets and one of sessions, each row tagged with ``participant``,
``session_id``, ``date`` (UTC start of the session), ``exercise`` and ``tempo``. Typical use::

    from imu import research

    data = research.load_dataset("dataset/")
    research.tempo_compliance(data.reps)          # per participant, exercise, ISO week
    research.eccentric_quantiles(data.reps)       # eccentric duration quantiles, s
    research.fault_rates(data.reps)               # swing and fault shares
    research.time_under_tension(data.reps, per="week")
    research.hold_time(data.reps)                 # planks: time held, longest hold
    research.sessions_per_week(data.sessions)     # training frequency (target 2-3 a week)
    research.clean_reps_progress(data.sessions)   # clean reps before the first fault
    research.weekly_trend(research.tempo_compliance(data.reps), "eccentric_s_median")

Weeks are ISO 8601 weeks of the session's UTC start: ``week`` is a label such as
``2024-W02`` and ``week_start`` the Monday (UTC midnight) that begins it. Rows without a date
are left out of weekly results, with a warning that counts them. Every function takes the
tables as DataFrames, so filtered or concatenated tables work as well; none changes its input.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from imu.core.metrics import TempoTolerance
from imu.errors import ImuError
from imu.exercises import FAULTS, PROFILES, known_profile
from imu.io.load import BATCH_FAILURES_FILE, BATCH_TABLES, is_batch_dataset
from imu.report.summary import evidence_mask
from imu.report.tables import judged, time_held_s
from imu.tempo import parse_tempo

logger = logging.getLogger(__name__)


class ResearchError(ImuError):
    """A dataset cannot be loaded or a table lacks the columns an analysis needs."""


WEEK: Final = "week"
WEEK_START: Final = "week_start"
DEFAULT_BY: Final = ("participant", "exercise", WEEK)
FREQUENCY_TARGET: Final = (2, 3)
"""Sessions a week the domain brief recommends for core work ("2-3 times a week")."""


@dataclass(frozen=True)
class Dataset:
    """The three tables of a batch dataset (columns: docs/reports.md plus the batch keys).

    Attributes:
        reps: one row per rep.
        sets: one row per set.
        sessions: one row per session.

    """

    reps: pd.DataFrame
    sets: pd.DataFrame
    sessions: pd.DataFrame


def load_table(root: str | Path, table: str) -> pd.DataFrame:
    """Read one table of a dataset (``reps``, ``sets`` or ``sessions``) with pyarrow.

    ``participant`` is read from the partition paths as a string (never guessed as a number)
    and percent-decoded. Rows are sorted by participant, date, session_id (and set/rep).

    Raises:
        ResearchError: the table's folder is missing (the message says when ``root`` is a
            dataset whose every file failed, so that it holds no tables), or a table file in
            it cannot be read (damaged or cut short; the message names it and says to run
            ``imu batch`` again on the same inputs).

    """
    folder = Path(root) / table
    if not folder.is_dir():
        failures = Path(root) / BATCH_FAILURES_FILE
        if is_batch_dataset(root) and not any((Path(root) / t).is_dir() for t in BATCH_TABLES):
            seen = (f"every file failed; see {failures}" if failures.exists()
                    else "no file was analysed")
            raise ResearchError(
                f"{root}: the dataset holds no analysed sessions ({seen}); fix or replace "
                "those files and run 'imu batch' again"
            )
        raise ResearchError(
            f"{folder}: no such table folder; is {root} a dataset written by 'imu batch'?"
        )
    partitioning = pads.partitioning(pa.schema([("participant", pa.string())]), flavor="hive")
    source = _done_files(root, folder, table)
    try:
        data = pads.dataset(source, format="parquet", partitioning=partitioning,
                            partition_base_dir=str(folder))
        # pyarrow takes the columns of the first file it reads: sessions stored by an earlier
        # version lack a column added since (exercise_note), and a new one read after them
        # would lose it. Read with every file's columns, missing ones null.
        schemas = [f.physical_schema for f in data.get_fragments()]
        if any(not sch.equals(schemas[0]) for sch in schemas[1:]):
            try:
                unified = pa.unify_schemas(
                    [*schemas, pa.schema([("participant", pa.string())])])
            except (pa.ArrowTypeError, pa.ArrowInvalid) as exc:
                raise ResearchError(_mixed_types(root, folder, schemas, exc)) from exc
            data = pads.dataset(source, format="parquet", partitioning=partitioning,
                                partition_base_dir=str(folder), schema=unified)
        frame = data.to_table().to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise _damaged(root, folder, exc) from exc
    # A mark added since (the reps' missed_before) is null on rows an earlier version
    # wrote: not marked, as a bool column reads everywhere else (reps[reps.missed_before]).
    for column in MARKS_ADDED_SINCE.get(table, ()):
        if column in frame and frame[column].isna().any():
            frame[column] = frame[column].fillna(False).astype(bool)
    keys = [c for c in ("participant", "date", "session_id", "set", "rep") if c in frame]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


DONE_DIR: Final = "_done"
"""The folder of a dataset's done-markers (``_done/<session_id>.json``, :mod:`imu.batch`)."""


def _done_files(root: str | Path, folder: Path, table: str) -> list[str]:
    """The table files of ``folder`` whose session is done (its done-marker is written).

    ``imu batch`` writes a session's three table files, then its done-marker: a file no
    marker names is of a session being written (a batch still running) or of a batch that
    was killed, and the next run removes it. Those are left out, with a warning, so that the
    tables agree (no reps of a session without its sessions row). A dataset without
    ``_done/`` (tables copied on their own) is read whole.

    Raises:
        ResearchError: table files are there but no session is done yet.

    """
    files = sorted(p for p in folder.rglob("*.parquet")
                   if p.is_file() and not p.name.startswith((".", "_")))
    markers = Path(root) / DONE_DIR
    if not markers.is_dir():
        return [str(p) for p in files]
    done = {p.stem for p in markers.glob("*.json")}
    kept = [str(p) for p in files if p.stem in done]
    left = len(files) - len(kept)
    if left and not kept:
        raise ResearchError(
            f"{root}: no session is done yet ({left} {table} file(s) of sessions being "
            "written); wait for 'imu batch' to finish, or run it again if it was stopped"
        )
    if left:
        logger.warning(
            "%s: %d %s file(s) left out: their sessions are not done (an 'imu batch' is "
            "still writing them, or was stopped; run it again to finish them)",
            root, left, table,
        )
    return kept


MARKS_ADDED_SINCE: Final[dict[str, tuple[str, ...]]] = {"reps": ("missed_before",)}
"""Bool columns added to a table after datasets were written without them: rows from those
files read False (not marked) rather than null."""


def _mixed_types(root: str | Path, folder: Path, schemas: list[pa.Schema],
                 exc: Exception) -> str:
    """The message for table files that hold one column in different types."""
    types: dict[str, set[str]] = {}
    for sch in schemas:
        for f in sch:
            types.setdefault(f.name, set()).add(str(f.type))
    mixed = sorted(name for name, kinds in types.items() if len(kinds) > 1)
    what = (f"column {mixed[0]!r} is {' in some files and '.join(sorted(types[mixed[0]]))} "
            "in others" if mixed else str(exc).strip().splitlines()[-1])
    return (f"{folder}: the files of this table do not agree: {what}; were some written by "
            f"another program? Run 'imu batch' again on the same inputs with a new --out "
            f"instead of {root}")


def _damaged(root: str | Path, folder: Path, exc: Exception) -> ResearchError:
    """The error for a table that pyarrow cannot read: names the first damaged file."""
    bad, reason = folder, str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
    for path in sorted(folder.rglob("*.parquet")):
        try:
            pq.read_metadata(path)
        except (pa.ArrowException, OSError) as err:
            bad, reason = path, (str(err).strip().splitlines() or ["unreadable"])[-1]
            break
    return ResearchError(
        f"{bad}: damaged table file of the dataset {root} ({reason}); run 'imu batch' again "
        "on the same inputs with the same --out to analyse its session again"
    )


def load_dataset(root: str | Path) -> Dataset:
    """Read the reps, sets and sessions tables of the dataset at ``root``.

    Raises:
        ResearchError: see :func:`load_table` (a missing table, or a damaged table file:
            the message names the file and says to run ``imu batch`` again).

    """
    return Dataset(*(load_table(root, t) for t in ("reps", "sets", "sessions")))


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ResearchError(
            f"{what} needs column(s) {missing}; pass the table from load_dataset (columns: "
            f"{list(frame.columns)[:12]}...)"
        )


def with_week(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``week`` (ISO label, e.g. ``2024-W02``) and ``week_start`` (its Monday).

    Rows without a ``date`` are dropped, with a warning that counts them (and their
    sessions) and says how to date them: a weekly table that quietly lacks them reads as if
    those sessions never took place.
    """
    _need(frame, ["date"], "with_week")
    undated = frame["date"].isna()
    dated = frame[~undated].copy()
    if undated.any():
        sessions = (f" of {frame.loc[undated, 'session_id'].nunique()} session(s)"
                    if "session_id" in frame else "")
        logger.warning(
            "%d row(s)%s without a date left out of weekly results; give their dates in "
            "the manifest's date column (imu batch --manifest) or group without 'week' "
            "(by=(\"participant\", \"exercise\"))",
            int(undated.sum()), sessions,
        )
    date = pd.to_datetime(dated["date"], utc=True)
    iso = date.dt.isocalendar()
    dated[WEEK] = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    day = date.dt.tz_localize(None).dt.normalize()
    dated[WEEK_START] = day - pd.to_timedelta(date.dt.day_of_week, unit="D")
    return dated


def _by(frame: pd.DataFrame, by: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """Add week columns when grouping by week (with its start, for plotting)."""
    keys = list(by)
    if WEEK in keys:
        frame = with_week(frame)
        keys.insert(keys.index(WEEK) + 1, WEEK_START)
    _need(frame, keys, "grouping")
    return frame, keys


def prescribed_eccentric_s(tempo: pd.Series) -> pd.Series:
    """Prescribed eccentric of each row's ``tempo`` ("up-hold-down"), s."""
    cache = {t: parse_tempo(t).eccentric_s for t in tempo.dropna().unique()}
    return tempo.map(cache).astype("float64")


def _judged_only(reps: pd.DataFrame, column: str) -> pd.Series:
    """``column`` (bool) as 0.0/1.0, NaN for the reps over a data gap (not judged).

    A share of it (a mean, which skips NaN) is out of the judged reps alone, the rule of the
    report tables (:func:`imu.report.tables.judged`); tables without ``in_gap`` (datasets
    written before it) judge every rep.
    """
    values = reps[column].astype("float64")
    return values.where(judged(reps))


def tempo_compliance(
    reps: pd.DataFrame,
    by: Sequence[str] = DEFAULT_BY,
    tolerance: TempoTolerance | None = None,
    sessions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tempo compliance per group (default: participant, exercise, ISO week).

    Columns: the group keys (and ``week_start`` with ``week``), ``sessions`` (the sessions
    with at least one rep: the reps table has no row of a session without one; with
    ``sessions``, the sessions table, every session, and the groups whose sessions found no
    rep get a row with ``reps`` 0, so that hip drives or reps per session count them), ``reps``,
    ``hip_drives`` (the reps of a standing strict lift, below), ``uncertain_reps`` (reps
    not over a data gap whose ``count_confidence`` is under 0.5, left out of every other
    column, as :func:`fault_rates` says), ``tempo_ok_share`` (share of reps with every
    phase on tempo, from the analysis), ``prescribed_eccentric_s`` (s),
    ``eccentric_s_median`` (s), ``eccentric_ok_share`` (share of reps whose eccentric is
    not shorter than the prescription minus the tolerance, ``max(min_s, fraction x
    prescribed)``: the "slow eccentric" DOMAIN asks for; a longer eccentric is not a fault
    here) and ``eccentric_ratio_median`` (measured / prescribed eccentric).

    The shares and the eccentric figures are out of the reps that are evidence of the tempo
    kept, by the advice's rule (:func:`imu.report.summary.evidence_mask`): not over a data
    gap (:func:`imu.report.tables.judged`: it lasted an unknown time) and not uncertain (it
    may be noise, or half of a rep, and is never counted as on tempo); NaN when no rep of
    the group is such evidence. ``reps`` counts every rep. (The session and sets tables'
    ``tempo_ok_share`` leave them out too: one figure wherever it is read.)

    A standing strict lift (``standing-curl``, ``standing-press``: the profile's
    ``every_rep_is_swing``) has no tempo: each of its reps is a hip drive, a pelvic burst
    while the arms lift. Its reps count in ``sessions`` and ``reps`` and in ``hip_drives``
    (the group's reps of a strict lift), and are left out of every other column: a group of
    strict lifts alone keeps its row, with NaN (not "0% on tempo, prescribed 3 s"); a group
    mixing exercises has each measure out of the other reps. Reps of an exercise without a
    profile, or tables without ``exercise``, are all timed.
    """
    _need(reps, ["session_id", "tempo", "tempo_ok", "eccentric_s"], "tempo_compliance")
    tol = tolerance or TempoTolerance()
    frame, keys = _by(reps, by)
    drive = _hip_drive(frame)
    prescribed = prescribed_eccentric_s(frame["tempo"]).where(~drive)
    allowed = np.maximum(tol.min_s, tol.fraction * prescribed)
    # A rep over a data gap lasted an unknown time, and an uncertain rep may be no rep (or
    # half of one): neither is evidence of the tempo kept (evidence_mask, the advice's
    # rule), so neither counts as on tempo nor in the eccentric figures. A hip drive has no
    # eccentric to hold against a tempo.
    evidence = evidence_mask(frame)
    ecc = frame["eccentric_s"].where(evidence & ~drive)
    frame = frame.assign(
        _tempo_ok=frame["tempo_ok"].astype("float64").where(evidence & ~drive),
        _unsure=(judged(frame) & ~evidence).astype("int64"),
        _drive=drive.astype("int64"),
        _pres=prescribed,
        _ecc=ecc,
        _ecc_ok=(ecc >= prescribed - allowed).astype("float64").where(ecc.notna()),
        _ratio=ecc / prescribed,
    )
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = grouped.agg(
        sessions=("session_id", "nunique"),
        reps=("tempo_ok", "size"),
        hip_drives=("_drive", "sum"),
        uncertain_reps=("_unsure", "sum"),
        tempo_ok_share=("_tempo_ok", "mean"),
        prescribed_eccentric_s=("_pres", "median"),
        eccentric_s_median=("_ecc", "median"),
        eccentric_ok_share=("_ecc_ok", "mean"),
        eccentric_ratio_median=("_ratio", "median"),
    )
    if sessions is not None:
        out = _every_session(out, sessions, by)
    return out.reset_index()


def _every_session(out: pd.DataFrame, sessions: pd.DataFrame,
                   by: Sequence[str]) -> pd.DataFrame:
    """``out`` (indexed by the group keys) with ``sessions`` counted in the sessions table.

    A session without a single rep (a strict lift done without one hip drive, a recording in
    which no rep was found) has no row in the reps table; here it counts, and a group of such
    sessions alone gets a row with no reps (its measures NaN).
    """
    _need(sessions, ["session_id", *(k for k in by if k != WEEK)],
          "tempo_compliance(sessions=...)")
    frame, keys = _by(sessions, by)
    counts = frame.groupby(keys, sort=True, observed=True)["session_id"].nunique()
    out = out.reindex(out.index.union(counts.index))
    out["sessions"] = counts.reindex(out.index).fillna(out["sessions"])
    for column in ("sessions", "reps", "hip_drives", "uncertain_reps"):
        out[column] = out[column].fillna(0).astype("int64")
    return out


def _hip_drive(reps: pd.DataFrame) -> pd.Series:
    """Whether each rep is a standing strict lift's hip drive (no tempo to judge).

    By the profile of the rep's ``exercise`` (aliases resolved: ``standing-curl``):
    ``every_rep_is_swing``. False for an exercise without a profile, or without ``exercise``.
    """
    if "exercise" not in reps:
        return pd.Series(False, index=reps.index)
    strict: dict[str, bool] = {}
    for name in reps["exercise"].dropna().astype(str).unique():
        key = known_profile(name)
        strict[name] = key is not None and PROFILES[key].every_rep_is_swing
    return reps["exercise"].astype(str).map(strict).fillna(False).astype(bool)


def eccentric_quantiles(
    reps: pd.DataFrame,
    quantiles: Sequence[float] = (0.1, 0.25, 0.5, 0.75, 0.9),
    by: Sequence[str] = ("participant", WEEK),
) -> pd.DataFrame:
    """Distribution of the eccentric duration per group: one column per quantile.

    Columns: the group keys, ``reps``, then ``eccentric_s_q10``, ``eccentric_s_q25``... (s;
    the name carries the quantile in percent). The quantiles are out of the reps not over a
    data gap (:func:`imu.report.tables.judged`: such a rep lasted an unknown time) and not
    uncertain (it may be no rep), as :func:`tempo_compliance`'s ``eccentric_s_median``
    (:func:`imu.report.summary.evidence_mask`), and not hip drives of a standing strict
    lift (no eccentric to time); ``reps`` counts every rep.
    """
    _need(reps, ["eccentric_s"], "eccentric_quantiles")
    frame, keys = _by(reps, by)
    frame = frame.assign(
        eccentric_s=frame["eccentric_s"].where(evidence_mask(frame) & ~_hip_drive(frame)))
    grouped = frame.groupby(keys, sort=True, observed=True)["eccentric_s"]
    qs = np.asarray(quantiles, dtype=float)
    table = grouped.quantile(qs).unstack()
    table.columns = pd.Index([f"eccentric_s_q{round(float(q) * 100):02d}" for q in qs])
    table.insert(0, "reps", grouped.size())
    return table.reset_index()


def fault_rates(reps: pd.DataFrame, by: Sequence[str] = DEFAULT_BY) -> pd.DataFrame:
    """Share of reps with a swing, with each fault, with any fault, and clean, per group.

    Columns: the group keys, ``reps``, ``uncertain_reps``, ``swing_share``, ``<fault>_share``
    for every fault in :data:`imu.exercises.FAULTS`, ``any_fault_share`` (at least one fault,
    swings excluded) and ``clean_share`` (no swing and no fault).

    A measure the exercise does not judge is NaN, not 0: ``<fault>_share`` for a fault not in
    the profile's ``faults`` (``hips_sagging_share`` of a dead bug, ``dropped_eccentric_share``
    of a bird-dog), and ``swing_share`` where the profile does not judge swing
    (``judges_swing`` false: dead bug, bird-dog, pelvic tilt, plank). The profile is the one
    of each rep's ``exercise`` (aliases resolved); reps of an exercise without a profile,
    or tables without ``exercise``, have every share. A group mixing exercises has a share
    out of the reps whose exercise judges it.

    Every share is out of the reps not over a data gap, as the session table's columns of
    those names: a rep over a gap is not judged
    (:func:`imu.report.tables.judged`), so its swing and faults count nowhere and it is never
    clean; NaN when no rep of the group was judged. ``reps`` counts every rep.

    The swing and fault shares (``swing_share``, ``<fault>_share``, ``any_fault_share``)
    leave out the uncertain reps too (``count_confidence`` under 0.5: they may be no rep),
    by the advice's rule (:func:`imu.report.summary.evidence_mask`), as the session table's
    ``swing_share`` and ``<fault>_share`` do; ``uncertain_reps`` says how many of the group's
    judged reps were left out so (0 for tables without ``count_confidence``). An uncertain
    rep is never clean: ``clean_share`` counts it, as not clean.

    A standing strict lift's reps (``every_rep_is_swing``: ``standing-curl``,
    ``standing-press``) are hip drives, the fault itself: never clean, so they are left out of
    ``clean_share`` (NaN for a group of them alone, not "0% clean", as ``progress_weekly.csv``
    leaves it missing; a group mixing exercises has it out of its other reps). Their
    ``swing_share`` and the other shares are given as for any exercise.
    """
    _need(reps, ["swing", "clean", "fault_count", *FAULTS], "fault_rates")
    frame, keys = _by(reps, by)
    evidence = evidence_mask(frame)
    faults = {"swing": "_swing", **{f: f"_{f}" for f in FAULTS}}
    frame = frame.assign(
        _any=(frame["fault_count"] > 0).astype("float64").where(evidence),
        _unsure=(judged(frame) & ~evidence).astype("int64"),
        # A hip drive (standing strict lift) is the fault itself, never "clean": NaN, not
        # 0% clean, as progress_weekly.csv leaves its clean_share missing.
        _clean=_judged_only(frame, "clean").where(~_hip_drive(frame)),
        **{name: frame[column].astype("float64").where(evidence & _applies(frame, column))
           for column, name in faults.items()},
    )
    aggs: dict[str, tuple[str, str]] = {"reps": ("clean", "size"),
                                        "uncertain_reps": ("_unsure", "sum"),
                                        "swing_share": ("_swing", "mean")}
    aggs |= {f"{f}_share": (f"_{f}", "mean") for f in FAULTS}
    aggs |= {"any_fault_share": ("_any", "mean"), "clean_share": ("_clean", "mean")}
    return frame.groupby(keys, sort=True, observed=True).agg(**aggs).reset_index()


def _applies(reps: pd.DataFrame, measure: str) -> pd.Series:
    """Whether each rep's exercise judges ``measure`` (``swing``, a fault, or ``clean``)."""
    if measure == "clean" or "exercise" not in reps:
        return pd.Series(True, index=reps.index)
    known: dict[str, bool] = {}
    for name in reps["exercise"].dropna().astype(str).unique():
        key = known_profile(name)
        if key is None:
            continue  # no profile: every measure is kept
        profile = PROFILES[key]
        known[name] = profile.judges_swing if measure == "swing" else measure in profile.faults
    return reps["exercise"].astype(str).map(known).fillna(True).astype(bool)


def prescribed_hold_s(tempo: pd.Series) -> pd.Series:
    """Prescribed hold of each row's ``tempo`` ("up-hold-down": the middle number), s."""
    cache = {t: parse_tempo(t).top_hold_s for t in tempo.dropna().unique()}
    return tempo.map(cache).astype("float64")


def hold_time(reps: pd.DataFrame, by: Sequence[str] = DEFAULT_BY) -> pd.DataFrame:
    """Time held per group, for holds (isometric exercises: plank): each rep is one hold.

    Columns: the group keys (and ``week_start`` with ``week``), ``sessions``, ``holds``
    (every hold), ``held_s`` (the time held, s: :func:`imu.report.tables.time_held_s`, the
    report's rule, over the holds that are not uncertain), ``longest_hold_s`` (s) and
    ``hold_ok_share`` (holds long enough for the prescription: ``tempo_ok``, a hold's tempo
    being its hold alone), both out of the holds not over a data gap
    (:func:`imu.report.tables.judged`: such a hold lasted an unknown time) and not uncertain
    (NaN when none is left), and ``prescribed_hold_s`` (the tempo's middle number, median
    over the group, s). ``uncertain_holds`` counts the holds not over a gap whose
    ``count_confidence`` is under 0.5: they may be no hold, so ``held_s``,
    ``longest_hold_s`` and ``hold_ok_share`` leave them out, as :func:`tempo_compliance`
    its uncertain reps (never time held, nor "held long enough").
    """
    _need(reps, ["session_id", "tempo", "tempo_ok", "top_hold_s"], "hold_time")
    frame, keys = _by(reps, by)
    evidence = evidence_mask(frame)
    unsure = judged(frame) & ~evidence  # what uncertain_holds counts, left out everywhere
    frame = frame.assign(
        _held=frame["top_hold_s"].where(evidence),
        _ok=frame["tempo_ok"].astype("float64").where(evidence),
        _unsure=unsure.astype("int64"),
        _pres=prescribed_hold_s(frame["tempo"]),
    )
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = grouped.agg(
        sessions=("session_id", "nunique"),
        holds=("top_hold_s", "size"),
        uncertain_holds=("_unsure", "sum"),
        longest_hold_s=("_held", "max"),
        hold_ok_share=("_ok", "mean"),
        prescribed_hold_s=("_pres", "median"),
    )
    # The report's total over the holds left in: an uncertain one may be no hold (a group
    # of them alone held 0 s).
    held = (frame[~unsure].groupby(keys, sort=True, observed=True)[["top_hold_s"]]
            .apply(time_held_s).reindex(out.index, fill_value=0.0))
    out.insert(2, "held_s", held)
    return out.reset_index()


def time_under_tension(
    reps: pd.DataFrame, per: Literal["session", "week"] = "session"
) -> pd.DataFrame:
    """Time under tension (sum of the reps' ``tut_s``) per session or per participant-week.

    A rep over a data gap lasted an unknown time: its ``tut_s`` is left out of the sum (it
    still counts in ``reps``), as in the session table. A standing strict lift's reps are hip
    drives, which put nothing under tension: its ``tut_s`` is NaN, as in its session table.

    ``per="session"``: participant, exercise, session_id, date, ``reps``, ``tut_s`` (s).
    ``per="week"``: participant, exercise, week, week_start, ``sessions``, ``reps``,
    ``tut_s`` (s, the week's total) and ``tut_s_per_session`` (s).
    Sessions without a single rep have no rows in the reps table and do not appear.
    """
    _need(reps, ["participant", "exercise", "session_id", "date", "tut_s"], "time_under_tension")
    # A rep over a data gap lasted an unknown time: not under tension (as the session table).
    # A hip drive has no tension to time: NaN, and a group of them alone sums to NaN.
    reps = reps.assign(tut_s=reps["tut_s"].where(judged(reps), 0.0).where(~_hip_drive(reps)))
    if per == "session":
        grouped = reps.groupby(
            ["participant", "exercise", "session_id", "date"], sort=True, observed=True,
            dropna=False,
        )
        out = grouped.agg(reps=("tut_s", "size"), tut_s=("tut_s", _sum_or_nan)).reset_index()
        return out.sort_values(["participant", "date"], kind="stable").reset_index(drop=True)
    if per != "week":
        raise ResearchError(f"per={per!r}: use 'session' or 'week'")
    frame, keys = _by(reps, ("participant", "exercise", WEEK))
    out = frame.groupby(keys, sort=True, observed=True).agg(
        sessions=("session_id", "nunique"),
        reps=("tut_s", "size"),
        tut_s=("tut_s", _sum_or_nan),
    )
    out["tut_s_per_session"] = out["tut_s"] / out["sessions"]
    return out.reset_index()


def _sum_or_nan(values: pd.Series) -> float:
    """The sum of ``values``, NaN when every one is NaN (a group of hip drives alone)."""
    return float(values.sum(min_count=1))


FAR_FROM_OTHERS_S: Final = 365.0 * 86400.0
"""A session dated over a year from every other one looks like a typo (2062 for 2026)."""
FUTURE_SLACK_S: Final = 86400.0
"""How far past now a date may lie before it is said to be in the future (time zones)."""


@dataclass(frozen=True)
class StrayDate:
    """A session date that looks like a typo (:func:`stray_dates`).

    Attributes:
        name: what the date belongs to (a session's file, a manifest line).
        date_s: the date, Unix seconds.
        why: in words: "in the future (today is 2026-12-01)", "36 years after every other
            (2026-01-05 to 2026-03-02)", or both joined by "and".

    """

    name: str
    date_s: float
    why: str


def stray_dates(dates: Sequence[tuple[str, float]], now_s: float | None = None,
                others: str = "other session") -> list[StrayDate]:
    """The dates among ``dates`` that lie in the future or far from all the others.

    A typo in a date (2062 for 2026) stretched the weeks of a progress page over decades,
    without a word. A date is stray when it is more than a day past now, or over a year
    (:data:`FAR_FROM_OTHERS_S`) from every other date, while most dates are not so alone
    (of at least three: with two, which is the odd one cannot be told). Nothing is refused:
    a long break is possible, so the caller warns.

    Args:
        dates: (name, Unix seconds) per session; NaN dates are skipped.
        now_s: the present, Unix seconds (None: the clock's).
        others: what the other dates are of, for the words ("other session", "other row").

    Returns:
        The stray dates, in date order.

    """
    import time

    now = time.time() if now_s is None else now_s
    dated = sorted(((n, float(d)) for n, d in dates if d is not None and np.isfinite(d)),
                   key=lambda item: item[1])
    values = np.array([d for _, d in dated])
    alone: set[int] = set()
    if len(values) >= 3:
        gaps = np.diff(values)
        nearest = np.minimum(np.r_[np.inf, gaps], np.r_[gaps, np.inf])
        alone = {int(i) for i in np.flatnonzero(nearest > FAR_FROM_OTHERS_S)}
        if 2 * len(alone) >= len(values):
            alone = set()  # sparse dates, no odd one out
    kept = values[[i for i in range(len(values)) if i not in alone]]
    out: list[StrayDate] = []
    for i, (name, date) in enumerate(dated):
        why = []
        if date > now + FUTURE_SLACK_S:
            why.append(f"in the future (today is {_day_of(now)})")
        if i in alone and len(kept):
            far = float(np.min(np.abs(kept - date)))
            side = "after" if date > kept.max() else "before" if date < kept.min() else "apart from"
            span = (_day_of(float(kept.min())) if kept.min() == kept.max()
                    else f"{_day_of(float(kept.min()))} to {_day_of(float(kept.max()))}")
            why.append(f"{_time_apart(far)} {side} every {others} ({span})")
        if why:
            out.append(StrayDate(name, date, " and ".join(why)))
    return out


def _day_of(unix_s: float) -> str:
    return f"{pd.Timestamp(unix_s, unit='s', tz='UTC'):%Y-%m-%d}"


def _time_apart(seconds: float) -> str:
    """``36 years``, ``14 months``: how far apart two dates are, in round words."""
    years = seconds / (365.25 * 86400.0)
    if years >= 1.95:
        return f"{years:.0f} years"
    return f"{seconds / (30.44 * 86400.0):.0f} months"


def sessions_per_week(
    sessions: pd.DataFrame,
    target: tuple[int, int] = FREQUENCY_TARGET,
    by: Sequence[str] = ("participant",),
) -> pd.DataFrame:
    """Training frequency: sessions per ISO week, with empty weeks filled in.

    For each group (default: participant) every week from its first to its last session
    appears, weeks without a session with 0. Columns: the group keys, ``week``,
    ``week_start``, ``sessions``, ``in_target`` (``target[0] <= sessions <= target[1]``;
    DOMAIN: core work 2-3 times a week, not daily), ``over_target`` (more than
    ``target[1]``).
    """
    _need(sessions, ["session_id", "date", *by], "sessions_per_week")
    frame = with_week(sessions)
    rows: list[pd.DataFrame] = []
    for key, group in frame.groupby(list(by), sort=True, observed=True):
        counts = group.groupby(WEEK_START)["session_id"].nunique()
        weeks = pd.date_range(counts.index.min(), counts.index.max(), freq="7D")
        counts = counts.reindex(weeks, fill_value=0)
        part = pd.DataFrame({WEEK_START: weeks, "sessions": counts.to_numpy()})
        iso = part[WEEK_START].dt.isocalendar()
        part.insert(0, WEEK, iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2))
        values = key if isinstance(key, tuple) else (key,)
        for name, value in zip(by, values, strict=True):
            part.insert(list(by).index(name), name, str(value))
        rows.append(part)
    columns = [*by, WEEK, WEEK_START, "sessions"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
    out["sessions"] = out["sessions"].astype("int64")
    out["in_target"] = out["sessions"].between(*target)
    out["over_target"] = out["sessions"] > target[1]
    return out


def frequency_summary(
    sessions: pd.DataFrame, target: tuple[int, int] = FREQUENCY_TARGET
) -> pd.DataFrame:
    """Training frequency per participant.

    Columns: participant, ``weeks`` (first to last session), ``sessions``,
    ``sessions_per_week`` (mean), ``in_target_share`` and ``over_target_share`` (shares of
    those weeks; see :func:`sessions_per_week`).
    """
    weekly = sessions_per_week(sessions, target)
    out = weekly.groupby("participant", sort=True, observed=True).agg(
        weeks=("sessions", "size"),
        sessions=("sessions", "sum"),
        sessions_per_week=("sessions", "mean"),
        in_target_share=("in_target", "mean"),
        over_target_share=("over_target", "mean"),
    )
    return out.reset_index()


def clean_reps_progress(sessions: pd.DataFrame, by: Sequence[str] = DEFAULT_BY) -> pd.DataFrame:
    """Clean reps before the first fault ("perfect reps before form breaks") over time.

    Uses the sessions table's ``clean_reps_before_first_fault`` (the best set of each
    session). Columns: the group keys, ``sessions``, ``clean_reps_before_first_fault_mean``,
    ``clean_reps_before_first_fault_max``, ``clean_share_mean`` (share of clean reps).

    A session of a standing strict lift (``every_rep_is_swing``: ``standing-curl``,
    ``standing-press``) found hip drives, the fault itself, never a clean rep: the session
    table's 0 there says nothing the hip-drive count does not, so such sessions are left out
    of the three clean columns (NaN for a group of them alone, not "0 clean reps", as
    :func:`fault_rates` leaves its ``clean_share`` missing; a group mixing exercises has them
    out of its other sessions). ``sessions`` still counts them.
    """
    _need(sessions, ["session_id", "clean_reps_before_first_fault", "clean_share"],
          "clean_reps_progress")
    frame, keys = _by(sessions, by)
    drive = _hip_drive(frame)
    if drive.any():
        # A strict lift's session is all hip drives, never clean: NaN, not 0 clean reps.
        frame = frame.assign(**{column: frame[column].astype("float64").where(~drive)
                                for column in ("clean_reps_before_first_fault",
                                               "clean_share")})
    out = frame.groupby(keys, sort=True, observed=True).agg(
        sessions=("session_id", "nunique"),
        clean_reps_before_first_fault_mean=("clean_reps_before_first_fault", "mean"),
        clean_reps_before_first_fault_max=("clean_reps_before_first_fault", "max"),
        clean_share_mean=("clean_share", "mean"),
    )
    return out.reset_index()


def weekly_trend(
    weekly: pd.DataFrame, value: str, by: Sequence[str] = ("participant", "exercise")
) -> pd.DataFrame:
    """Least-squares slope of ``value`` per week, per group, from a weekly table.

    Args:
        weekly: a table with ``week_start`` and ``value`` (e.g. from :func:`tempo_compliance`).
        value: the column to fit.
        by: groups to fit separately.

    Returns:
        The group keys, ``weeks`` (weeks with a value), ``first`` and ``last`` (the value in the
        first and last of them) and ``slope_per_week`` (unit of ``value`` per week; NaN with
        fewer than two weeks).

    """
    _need(weekly, [WEEK_START, value, *by], "weekly_trend")
    rows: list[dict[str, object]] = []
    for key, group in weekly.groupby(list(by), sort=True, observed=True):
        group = group.dropna(subset=[value]).sort_values(WEEK_START)
        values = key if isinstance(key, tuple) else (key,)
        row: dict[str, object] = dict(zip(by, values, strict=True))
        x = (group[WEEK_START] - group[WEEK_START].min()).dt.days.to_numpy() / 7.0
        y = group[value].to_numpy(dtype=float)
        row["weeks"] = len(group)
        row["first"] = y[0] if len(y) else np.nan
        row["last"] = y[-1] if len(y) else np.nan
        row["slope_per_week"] = float(np.polyfit(x, y, 1)[0]) if len(np.unique(x)) > 1 else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=[*by, "weeks", "first", "last", "slope_per_week"])
