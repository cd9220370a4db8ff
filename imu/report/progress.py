"""A personal progress page over many sessions: is the training getting better.

Built on the research API (:mod:`imu.research`); nothing here recomputes what it computes:

- sessions per week against the 2-3 target (:func:`imu.research.sessions_per_week`,
  :func:`imu.research.frequency_summary`);
- clean reps per set over time (the sets table) with the weekly mean of clean reps before the
  first fault (:func:`imu.research.clean_reps_progress`);
- the eccentric (descent) per week, median and quartiles, against the prescription
  (:func:`imu.research.tempo_compliance`, :func:`imu.research.eccentric_quantiles`), and its
  trend (:func:`imu.research.weekly_trend`);
- the share of swing reps per week (:func:`imu.research.fault_rates`) and its trend;
- time under tension per week (:func:`imu.research.time_under_tension`);
- the progression rule of the domain brief ("about 15 clean reps with a 3 s descent suggests
  progressing"): per session the best set's count of such reps
  (:func:`imu.report.coaching.progress_reps`), and where the person stands against the bar.

A hold (an isometric profile: plank) has no descent, swing or rep bar: its page shows the
time held per week, the total by the report's rule (:func:`imu.research.hold_time`, which sums
:func:`imu.report.tables.time_held_s` over the holds that are not uncertain) and the longest
hold, against the prescribed hold; the
hold faults per week (sagging, piking, shaking: :func:`imu.research.fault_rates`); and the
coaching verdict of the last session (:mod:`imu.report.coaching`, holds long enough).

Only the measures the exercise's profile judges are shown (:func:`weekly_columns`): the
descent where ``dropped_eccentric`` is one of its faults, the share of swing reps where it
judges swing rep by rep. The prescription told is the latest session's (and when it changed,
:attr:`Progress.prescriptions`); plots and weekly columns use the one in force each week.

Every share and duration leaves out the reps over a data gap, by the report tables' one rule
(:func:`imu.report.tables.judged`), and the descent, the swing and fault shares, a hold's
time held and longest hold leave out the uncertain reps too (``count_confidence`` under 0.5:
they may be no rep; the advice's rule, :func:`imu.report.summary.evidence_mask`), so the page
agrees with each session's table (``eccentric_s_median``, ``swing_share``...); where
it shows a swing or fault share or a time held it says how many uncertain reps (holds) it
left out (:func:`left_out_note`,
:func:`left_out_label`), and the share plots' titles and alt text say they are left out
(:func:`left_out_title`).

Input is a dataset's three tables (:class:`imu.research.Dataset`: from ``imu batch`` via
:func:`imu.research.load_dataset`, or from recordings via :func:`tables_from_recordings`,
which analyses them the way ``imu batch`` does, in this process). The page covers one
participant and one exercise (:func:`select`).
"""

from __future__ import annotations

import html
import itertools
import logging
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from imu import research
from imu.core.metrics import TempoTolerance
from imu.errors import ImuError
from imu.exercises import FAULT_WORDS, ExerciseProfile, get_profile, known_profile
from imu.io.load import datasets_note, is_batch_dataset, leave_out_datasets
from imu.report.coaching import (
    DISCLAIMER,
    PLANK_RANGE_S,
    PROGRESS_ECCENTRIC_S,
    PROGRESS_ECCENTRIC_TOLERANCE_S,
    descent_below_bar,
    progress_reps,
    train_towards,
)
from imu.report.html import CSS, figure_html
from imu.report.plots import NARROW, PlotLayout, legend_columns
from imu.report.summary import evidence_mask, uncertain_left_out
from imu.report.tables import time_held_s
from imu.research import Dataset
from imu.text import as_read, count, is_day_only, local_time

logger = logging.getLogger(__name__)

WEEKLY_COLUMNS: Final = (
    "week",
    "week_start",
    "sessions",
    "reps",
    "tut_s",
    "prescribed_eccentric_s",
    "eccentric_s_median",
    "eccentric_ok_share",
    "swing_share",
    "clean_share",
    "clean_reps_before_first_fault_mean",
    "progress_reps_max",
)
"""Columns of the weekly table written beside the page (``progress_weekly.csv``) of an
exercise whose profile judges every measure (reverse crunch); :func:`weekly_columns` leaves
out those the profile does not judge. ``prescribed_eccentric_s`` is the prescription in force
that week (the latest session's up to then)."""

HOLD_COLUMNS: Final = ("week", "week_start", "sessions", "holds", "held_s", "longest_hold_s",
                       "prescribed_hold_s", "hold_ok_share")
"""First columns of the weekly table of a hold (isometric exercise: plank); then the share
of holds with each of the exercise's faults (``<fault>_share``) and ``clean_share``
(:func:`hold_weekly_columns`)."""


def hold_weekly_columns(profile: ExerciseProfile) -> tuple[str, ...]:
    """Columns of ``progress_weekly.csv`` for a hold (isometric exercise).

    Plank's are :data:`HOLD_COLUMNS`, ``hips_sagging_share``, ``hips_piking_share``,
    ``shaking_share``, ``clean_share``.
    """
    return (*HOLD_COLUMNS, *(f"{f}_share" for f in profile.faults), "clean_share")


def judges_descent(profile: ExerciseProfile) -> bool:
    """The profile judges the descent (``dropped_eccentric`` is one of its faults).

    Dead bug and bird-dog do not: the lowering is a limb's, the pelvis stays braced.
    """
    return not profile.isometric and "dropped_eccentric" in profile.faults


def judges_swing_share(profile: ExerciseProfile) -> bool:
    """A share of swing reps means something: the profile judges swing, rep by rep.

    Not where it does not judge swing (``judges_swing`` false: dead bug, pelvic tilt), nor
    where every rep is a swing by definition (``every_rep_is_swing``: standing strict lifts,
    whose every pelvic rep is hip drive).
    """
    return profile.judges_swing and not profile.every_rep_is_swing and not profile.isometric


def weekly_columns(profile: ExerciseProfile) -> tuple[str, ...]:
    """Columns of ``progress_weekly.csv``: only the measures the exercise's profile judges.

    :data:`WEEKLY_COLUMNS` without the descent's (``prescribed_eccentric_s``,
    ``eccentric_s_median``, ``eccentric_ok_share``, ``progress_reps_max``) where the profile
    does not judge it (:func:`judges_descent`), and without ``swing_share`` where a share of
    swing reps means nothing (:func:`judges_swing_share`); a hold's are
    :func:`hold_weekly_columns`. A standing strict lift (``every_rep_is_swing``) has
    ``hip_drives_counted`` after ``reps`` (:data:`HIP_DRIVES_COUNTED`).
    """
    if profile.isometric:
        return hold_weekly_columns(profile)
    leave: set[str] = set()
    if not judges_descent(profile):
        leave |= {"prescribed_eccentric_s", "eccentric_s_median", "eccentric_ok_share",
                  "progress_reps_max"}
    if not judges_swing_share(profile):
        leave.add("swing_share")
    columns = tuple(c for c in WEEKLY_COLUMNS if c not in leave)
    if profile.every_rep_is_swing:
        at = columns.index("reps") + 1
        columns = (*columns[:at], HIP_DRIVES_COUNTED, *columns[at:])
    return columns


HIP_DRIVES_COUNTED: Final = "hip_drives_counted"
"""A standing strict lift's weekly column of ``progress_weekly.csv``: the week's hip drives
that the advice counts (neither uncertain nor over a data gap), as the page's summary and
hip-drive line count them; ``reps`` counts every one found, and both are 0, not missing, in
a week whose sessions found none (the pelvis stayed still: the goal). A hip drive is never
clean and puts nothing under tension, so that table's ``tut_s``, ``clean_share`` and
``clean_reps_before_first_fault_mean`` are missing (NaN) for it, never 0 s or 0%."""


class ProgressError(ImuError):
    """No sessions to show, or an ambiguous choice of participant or exercise."""


class NoDatesError(ProgressError):
    """No session of the choice has a date, so there are no weeks (:func:`no_date_message`).

    ``sessions``: the choice's sessions table, for a caller's own advice.
    """

    def __init__(self, sessions: pd.DataFrame) -> None:
        super().__init__(no_date_message(sessions))
        self.sessions = sessions


class ParticipantChoiceError(ProgressError):
    """The sessions are of several participants and none was chosen.

    Attributes:
        sessions: each participant's number of sessions, most first (then by name).

    """

    def __init__(self, message: str, sessions: dict[str, int]) -> None:
        super().__init__(message)
        self.sessions = sessions


def participant_words(participant: str) -> str:
    """What a participant label is, when the tool made it up ("" for a person's label).

    ``unknown``: recordings that name nobody (``imu live`` without a participant, imports);
    ``sim-N``: recordings of ``imu simulate --seed N``.
    """
    if not participant_known(participant):
        return "recordings that name no participant, e.g. of 'imu live'"
    if participant.startswith("sim-") and participant[4:].isdigit():
        return f"simulated by 'imu simulate --seed {participant[4:]}'"
    return ""


def participants_text(sessions: dict[str, int]) -> str:
    """``unknown (3 sessions: recordings that name ...), sim-1 (1 session: simulated ...)``."""
    told = []
    for name, n in sessions.items():
        words = participant_words(name)
        told.append(f"{name} ({count(n, 'session')}{': ' + words if words else ''})")
    return ", ".join(told)


@dataclass(frozen=True)
class Progress:
    """Everything the progress page shows about one participant and one exercise.

    Attributes:
        participant: the participant label.
        exercise: the exercise profile name.
        data: the participant's tables for that exercise.
        weekly: one row per ISO week from the first to the last session, columns
            :func:`weekly_columns` (weeks without a session have ``sessions`` 0 and NaN
            elsewhere, but the prescription in force).
        per_session: one row per session: ``session_id``, ``date``, ``reps``,
            ``clean_reps`` (sum over sets), ``best_set_clean`` (clean reps of the best set),
            ``progress_reps`` (the best set's clean reps with a 3 s descent),
            ``eccentric_s_median`` (s), ``swing_share`` (NaN where the profile does not judge
            them: :func:`judges_descent`, :func:`judges_swing_share`).
        quartiles: eccentric quartiles per week (``eccentric_s_q25/q50/q75``, s).
        trends: least-squares slopes per week of ``eccentric_s_median`` and ``swing_share``
            (:func:`imu.research.weekly_trend`), indexed by value name (of those the profile
            judges).
        frequency: :func:`imu.research.frequency_summary` row of the participant.
        prescribed_eccentric_s: the prescribed eccentric of the latest session, s.
        bar: clean reps with a 3 s descent that suggest progressing (None: no bar for the
            exercise).
        other_exercises: other exercises of the participant with their session counts.
        isometric: the exercise is a hold (plank). Then ``weekly`` has the columns of
            :func:`hold_weekly_columns`; ``per_session`` has ``session_id``, ``date``,
            ``holds``, ``held_s`` (:func:`imu.report.tables.time_held_s`), ``longest_hold_s``
            (of the holds not over a data gap), ``clean_holds`` and ``verdict`` (the session
            table's); ``trends`` are those of ``longest_hold_s``, ``held_s`` and each fault
            share; ``quartiles`` is empty and ``prescribed_eccentric_s`` NaN.
        prescribed_hold_s: the prescribed hold of the latest session, s; NaN for reps.
        prescriptions: each prescription (eccentric, or a hold's hold, s) with the ISO week
            from which it was in force, oldest first: one entry when it never changed.
        tied: exercises with as many sessions as this one when none was asked for (this
            one was picked by name order; :func:`others_lines` says so).

    """

    participant: str
    exercise: str
    data: Dataset
    weekly: pd.DataFrame
    per_session: pd.DataFrame
    quartiles: pd.DataFrame
    trends: pd.DataFrame
    frequency: pd.Series
    prescribed_eccentric_s: float
    bar: int | None
    other_exercises: dict[str, int]
    isometric: bool = False
    prescribed_hold_s: float = math.nan
    prescriptions: tuple[tuple[str, float], ...] = ()
    tied: tuple[str, ...] = ()


# --------------------------------------------------------------------------- inputs


def is_dataset(path: str | Path) -> bool:
    """Whether ``path`` is a dataset written by ``imu batch``.

    It has ``reps/`` and ``sessions/``, or only the batch's ``_failures.csv`` when every file
    failed (:func:`imu.io.load.is_batch_dataset`).
    """
    return is_batch_dataset(path)


BATCH_IMPORT_HINT: Final = " (imu batch takes no import options"
"""How :func:`imu.batch.analyze_job` starts its advice for a file that needs import options;
``imu progress`` gives its own (it takes no import options either)."""


def _reason(path: Path, error: str | None) -> str:
    """A failed file's reason in the words of ``imu progress`` (not of ``imu batch``)."""
    reason = error or "failed"
    if BATCH_IMPORT_HINT in reason:
        reason = (reason.split(BATCH_IMPORT_HINT)[0]
                  + f" (imu progress takes no import options: run 'imu convert {path} "
                  "OUT.parquet' with them first, and give the .parquet)")
    return reason


WEEKLY_FILE: Final = "progress_weekly.csv"
"""The weekly table :func:`write_progress` writes beside the page."""

ONLY_MANIFEST_FIX: Final = ("give only those files (or a glob that matches only them) as "
                            "SESSIONS_OR_DATASET, or move the others out of the folder")
"""How ``imu progress`` analyses only a manifest's files: it needs inputs, so not by giving the
manifest alone, as ``imu batch`` can."""


def tables_from_recordings(
    inputs: Iterable[str | Path],
    manifest: str | Path | None = None,
    exercise: str | None = None,
    tempo: str | None = None,
) -> tuple[Dataset, list[tuple[Path, str]]]:
    """Analyse recordings as ``imu batch`` does (same metadata rules), in this process.

    Args:
        inputs: files, directories or globs (:func:`imu.batch.expand_inputs`).
        manifest: optional manifest CSV (participant, exercise, tempo, date per file).
        exercise: exercise of files that do not name one (a recording's own wins; the
            manifest's wins over both).
        tempo: prescription of files that do not carry one, "up-hold-down" s.

    Returns:
        The three tables (with ``participant``, ``session_id``, ``date``, ``exercise``,
        ``tempo`` like a dataset's), and the files that failed with a one-line reason.
        A recording that looks like another exercise than the one it was analysed as
        (``--exercise plank`` on reverse crunches) is logged as a warning, as ``imu batch``
        says it; its sessions stay on the page.
        The tables of an ``imu batch`` dataset inside a searched folder are no recordings:
        they are left out with one logged note naming the dataset.

    """
    from imu.batch import BatchOptions, analyze_job, collect_jobs  # batch imports imu.report

    # --exercise picks the page's sessions: a recording that names its exercise keeps it.
    options = BatchOptions(exercise=exercise, tempo=tempo, workers=0, own_exercise_first=True)
    frames: dict[str, list[pd.DataFrame]] = {"reps": [], "sets": [], "sessions": []}
    failures: list[tuple[Path, str]] = []
    # The dates of the sessions shown are checked once the page is built (the manifest's
    # rows are not, or a stray date would be said twice).
    jobs = collect_jobs(inputs, manifest, only_manifest=ONLY_MANIFEST_FIX, check_dates=False)
    kept, datasets = leave_out_datasets([job.path for job in jobs])
    if datasets:
        logger.warning("%s; give the dataset folder alone to make the page from it",
                       datasets_note(datasets))
    outside = set(kept)
    for job in jobs:
        if job.path not in outside:
            continue
        outcome = analyze_job(job, options)
        if outcome.repaired:  # what reading the file changed, as imu batch says it
            logger.warning("%s", outcome.repaired)
        if outcome.tables is None:
            failures.append((outcome.path, _reason(outcome.path, outcome.error)))
            continue
        if outcome.note:  # analysed as another exercise than it looks like: said, as in batch
            logger.warning("%s: %s", outcome.path, outcome.note)
        for name, frame in outcome.tables.items():
            frames[name].append(frame.assign(participant=outcome.participant))
    tables = [
        pd.concat(frames[name], ignore_index=True) if frames[name] else pd.DataFrame()
        for name in ("reps", "sets", "sessions")
    ]
    return Dataset(*tables), failures


def load_inputs(
    inputs: Sequence[str | Path],
    manifest: str | Path | None = None,
    exercise: str | None = None,
    tempo: str | None = None,
) -> tuple[Dataset, list[tuple[Path, str]]]:
    """A dataset folder (one input) or recordings, as three tables and the failed files."""
    if len(inputs) == 1 and is_dataset(inputs[0]):
        return research.load_dataset(inputs[0]), []
    return tables_from_recordings(inputs, manifest, exercise, tempo)


def select(
    data: Dataset, participant: str | None = None, exercise: str | None = None
) -> tuple[Dataset, str, str, dict[str, int]]:
    """The tables of one participant and one exercise.

    Without ``participant`` the data must hold exactly one; without ``exercise`` the one
    with the most sessions is chosen, the first by name on a tie (the others are returned
    with their session counts, most first).

    Raises:
        ProgressError: no sessions, or several participants and none chosen, or an unknown
            participant or exercise.

    """
    sessions = data.sessions
    if sessions.empty:
        raise ProgressError("no analysed sessions to show; check the inputs")
    people = sorted(str(p) for p in sessions["participant"].astype(str).unique())
    if participant is None:
        if len(people) > 1:
            per = sessions.drop_duplicates("session_id")["participant"].astype(str)
            counts = per.value_counts()
            ranked = sorted(people, key=lambda p: (-int(counts.get(p, 0)), p))
            most = {p: int(counts.get(p, 0)) for p in ranked}
            shown = dict(itertools.islice(most.items(), 8))
            more = f" and {len(people) - 8} more" if len(people) > 8 else ""
            raise ParticipantChoiceError(
                f"{len(people)} participants in the sessions: {participants_text(shown)}"
                f"{more}; the page is of one: choose one with --participant, e.g. "
                f"--participant {ranked[0]}",
                most,
            )
        participant = people[0]
    if participant not in people:
        # Written in another case (p02 for P02) when only one label matches so: that one.
        same = [p for p in people if p.casefold() == participant.strip().casefold()]
        if len(same) == 1:
            participant = same[0]
        else:
            raise ProgressError(
                f"participant {participant!r} not found; known: {', '.join(people)}")

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["participant"].astype(str) == participant]

    own = mine(sessions)
    counts = own["exercise"].astype(str).value_counts()
    order = sorted(counts.index, key=lambda name: (-int(counts[name]), name))
    counts = counts[order]
    if exercise is None:
        exercise = str(counts.index[0])
    elif exercise not in counts.index:
        # Spelled as every command takes it (Reverse_Crunch, an alias such as standing-curl):
        # the profile it names, when that is one trained.
        named = known_profile(exercise)
        if named is not None and named in counts.index:
            exercise = named
    if exercise not in counts.index:
        raise ProgressError(
            f"{participant} has no {exercise!r} sessions; trained: {', '.join(counts.index)}"
        )
    others = {str(k): int(v) for k, v in counts.items() if k != exercise}

    def chosen(frame: pd.DataFrame) -> pd.DataFrame:
        frame = mine(frame)
        frame = frame[frame["exercise"] == exercise].copy()
        frame["participant"] = frame["participant"].astype(str)
        return frame.reset_index(drop=True)

    return Dataset(chosen(data.reps), chosen(data.sets), chosen(sessions)), participant, \
        exercise, others


# --------------------------------------------------------------------------- analysis


def _per_session(data: Dataset, profile: ExerciseProfile | None = None) -> pd.DataFrame:
    """One row per session: clean reps, the progression count, descent and swings.

    The descent and the swing share are of the reps not over a data gap, as the session
    table's (:func:`imu.report.tables.judged`); NaN when every rep was over one, and NaN
    where ``profile`` does not judge them (:func:`judges_descent`,
    :func:`judges_swing_share`). Both leave the uncertain reps out too, as the session
    table's ``eccentric_s_median`` and ``swing_share`` and the weekly descent
    (:func:`imu.research.tempo_compliance`) do (:func:`imu.report.summary.evidence_mask`):
    NaN when every judged rep was uncertain.
    """
    descent = profile is None or judges_descent(profile)
    swing = profile is None or judges_swing_share(profile)
    rows: list[dict[str, object]] = []
    sets_by = dict(tuple(data.sets.groupby("session_id", sort=False)))
    for sid, reps in data.reps.groupby("session_id", sort=False):
        sets = sets_by.get(sid, pd.DataFrame({"clean_reps": []}))
        progress = progress_reps(reps)
        # An uncertain rep may be no rep (or half of one): no evidence of a swing or of the
        # descent kept, as in the session table and the weekly figures.
        sure = reps[evidence_mask(reps)]
        rows.append({
            "session_id": sid,
            "date": reps["date"].iloc[0],
            "reps": len(reps),
            "clean_reps": int(reps["clean"].sum()),
            "best_set_clean": int(sets["clean_reps"].max()) if len(sets) else 0,
            "progress_reps": int(progress.max()) if len(progress) else 0,
            "eccentric_s_median": (float(sure["eccentric_s"].median()) if len(sure) and descent
                                   else np.nan),
            "swing_share": (float(sure["swing"].mean()) if len(sure) and swing
                            else np.nan),
        })
    frame = pd.DataFrame(rows, columns=["session_id", "date", "reps", "clean_reps",
                                        "best_set_clean", "progress_reps",
                                        "eccentric_s_median", "swing_share"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _prescriptions(
    sessions: pd.DataFrame, weekly: pd.DataFrame, hold: bool
) -> tuple[pd.Series, tuple[tuple[str, float], ...]]:
    """The prescription in force each week, and when it changed.

    From the sessions' ``tempo`` (eccentric, or a hold's hold, s): a week's is the latest
    session's up to the end of that week (weeks without a session keep the one before).

    Returns:
        The prescription per row of ``weekly`` (s, NaN before the first tempo), and each
        prescription with the ISO week it started, oldest first.

    """
    dated = sessions[sessions["date"].notna() & sessions["tempo"].notna()]
    if dated.empty:
        return pd.Series(np.nan, index=weekly.index, dtype="float64"), ()
    dated = research.with_week(dated).sort_values("date", kind="stable")
    value = (research.prescribed_hold_s if hold else research.prescribed_eccentric_s)(
        dated["tempo"].astype(str))
    changes: list[tuple[str, float]] = []
    for week, v in zip(dated[research.WEEK], value, strict=True):
        if not changes or changes[-1][1] != float(v):
            changes.append((str(week), float(v)))
    per_week = value.groupby(dated[research.WEEK].to_numpy()).last()
    in_force = weekly[research.WEEK].map(per_week).ffill().astype("float64")
    return in_force, tuple(changes)


def no_weeks_words(sessions: pd.DataFrame) -> str:
    """Why there are no weeks, in words (the head of :func:`no_date_message`)."""
    return (f"no session has a date ({count(len(sessions), 'session')}), so there are no "
            "weeks to show")


def no_date_message(sessions: pd.DataFrame) -> str:
    """Why there are no weeks (no session has a date) and how to give the dates.

    A recording has a date when it has a start time: ``imu live`` records one, ``imu
    simulate`` writes the day it ran (or ``--date``); the bundled recordings have none. The
    other way is a manifest with a ``date`` column, one row per file (an example line with one
    of the files).
    """
    example = Path("session.parquet")
    if "file" in sessions and sessions["file"].notna().any():
        example = Path(str(sessions["file"].dropna().iloc[0]))
    manifest = example.parent / "manifest.csv"
    return (
        f"{no_weeks_words(sessions)}; recordings of 'imu live' and 'imu simulate' carry their "
        "date, the bundled "
        "ones do not. Give the dates in a manifest, a CSV with a line per file (paths "
        f"relative to its folder), e.g. {manifest} with the lines 'file,date' and "
        f"'{example.name},2024-01-15', and pass it: --manifest {manifest}"
    )


def same_start_lines(progress: Progress) -> list[str]:
    """Warnings for sessions of the page that start at the same moment, one line per group.

    A replay keeps the original's participant and start time (``imu replay``), and so does a
    second recovery of a crash journal: given beside the original, one session was counted
    twice ("3 sessions" for 2, a week doubled). Copies with the same bytes are analysed once
    already; these differ in bytes, and are named, not dropped (either may be the one meant).
    """
    sessions = progress.data.sessions.drop_duplicates("session_id")
    if "date" not in sessions or not len(sessions):
        return []
    names = (sessions["file"].astype(str) if "file" in sessions
             else sessions["session_id"].astype(str))
    stamps = pd.to_datetime(sessions["date"], utc=True)
    lines = []
    for stamp, group in names.groupby(stamps, sort=True):
        moment = pd.Timestamp(stamp).to_pydatetime()
        # A day without a time (a manifest's date) is no moment: sessions of one day differ.
        if len(group) > 1 and not is_day_only(moment):
            files = " and ".join(group.tolist())
            times = "twice" if len(group) == 2 else f"{len(group)} times"
            when = local_time(moment)
            lines.append(
                f"{count(len(group), 'session')} start at the same moment ({when}): {files}; "
                "a replay or a second recovery of one session keeps its start, so it is "
                f"counted {times}: leave the copies out")
    return lines


def stray_date_lines(progress: Progress, fix: str, now_s: float | None = None) -> list[str]:
    """Warnings for the page's session dates that look like typos, one line each.

    One session dated 2062 among sessions of 2026 stretched the page over 36 years of empty
    weeks ("6 sessions over 1880 weeks"), without a word. A date in the future or over a
    year from every other session's (:func:`imu.research.stray_dates`) is named, with the
    session's file, the weeks the page now runs over and ``fix`` (where that date comes
    from and how to change it). The page is made all the same: the date may be right.
    """
    sessions = progress.data.sessions.drop_duplicates("session_id")
    names = (sessions["file"].astype(str) if "file" in sessions
             else sessions["session_id"].astype(str))
    stamps = pd.to_datetime(sessions["date"], utc=True)
    dates = [(str(n), float(t.timestamp()) if pd.notna(t) else math.nan)
             for n, t in zip(names, stamps, strict=True)]
    first, last = _day(stamps.min()), _day(stamps.max())
    return [
        f"session {s.name} is dated {_day(pd.Timestamp(s.date_s, unit='s', tz='UTC'))}, "
        f"{s.why}: the page runs from {first} to {last}; if it is a typo, {fix}"
        for s in research.stray_dates(dates, now_s)
    ]


def build_progress(
    data: Dataset, participant: str | None = None, exercise: str | None = None
) -> Progress:
    """The progress of one participant in one exercise (see the module docstring).

    Only the measures the exercise's profile judges are shown (:func:`weekly_columns`).
    Comparisons with the prescription use the one in force each week; the headline gives
    the latest session's and says when it changed.

    Args:
        data: the three tables of a dataset (any number of participants and exercises).
        participant: whose progress; None when the data hold one participant.
        exercise: which exercise; None = the one with the most sessions (the first by name
            on a tie: ``tied`` names the others).

    Raises:
        ProgressError: see :func:`select`; or no dated session (weeks need dates).

    """
    asked = exercise
    own, participant, exercise, others = select(data, participant, exercise)
    if own.sessions["date"].isna().all():
        raise NoDatesError(own.sessions)
    n_sessions = len(own.sessions)
    tied = (tuple(k for k, v in others.items() if v == n_sessions) if asked is None else ())
    by = ("participant", "exercise", research.WEEK)
    frequency = research.sessions_per_week(own.sessions)
    weekly = frequency[[research.WEEK, research.WEEK_START, "sessions"]].copy()
    profile = get_profile(exercise)
    if profile.isometric:
        return _hold_progress(own, participant, profile, others, weekly, tied)
    in_force, changes = _prescriptions(own.sessions, weekly, hold=False)
    weekly["prescribed_eccentric_s"] = in_force
    trend_of = [v for v, keep in (("eccentric_s_median", judges_descent(profile)),
                                  ("swing_share", judges_swing_share(profile))) if keep]
    if not own.reps.empty:
        compliance = research.tempo_compliance(own.reps, by=by)
        faults = research.fault_rates(own.reps, by=by)
        tut = research.time_under_tension(own.reps, per="week")
        clean = research.clean_reps_progress(own.sessions, by=by)
        per_session = _per_session(own, profile)
        dated = research.with_week(per_session)
        best = dated.groupby(research.WEEK)["progress_reps"].max().rename("progress_reps_max")
        for table, columns in (
            (compliance, ["reps", "eccentric_s_median", "eccentric_ok_share"]),
            (faults, ["swing_share", "clean_share"]),
            (tut, ["tut_s"]),
            (clean, ["clean_reps_before_first_fault_mean"]),
        ):
            weekly = weekly.merge(table[[research.WEEK, *columns]], on=research.WEEK, how="left")
        weekly = weekly.merge(best, left_on=research.WEEK, right_index=True, how="left")
        quartiles = (research.eccentric_quantiles(own.reps, (0.25, 0.5, 0.75))
                     if judges_descent(profile) else pd.DataFrame())
        source = {"eccentric_s_median": compliance, "swing_share": faults}
        trends = (pd.concat([research.weekly_trend(source[v], v).assign(value=v)
                             for v in trend_of], ignore_index=True).set_index("value")
                  if trend_of else pd.DataFrame(columns=["first", "last", "slope_per_week"]))
    else:
        per_session = _per_session(own, profile)
        quartiles = pd.DataFrame()
        trends = pd.DataFrame(columns=["first", "last", "slope_per_week"])
        for column in WEEKLY_COLUMNS[3:]:
            if column not in weekly:
                weekly[column] = np.nan
    if profile.every_rep_is_swing:
        weekly = _hip_drive_weeks(weekly, own.reps)
    latest = changes[-1][1] if changes else np.nan
    summary = research.frequency_summary(own.sessions).iloc[0]
    return Progress(
        participant=participant,
        exercise=exercise,
        data=own,
        weekly=weekly[list(weekly_columns(profile))],
        per_session=per_session,
        quartiles=quartiles,
        trends=trends,
        frequency=summary,
        prescribed_eccentric_s=latest,
        bar=profile.progress_after_clean_reps,
        other_exercises=others,
        prescriptions=changes,
        tied=tied,
    )


def _hip_drive_weeks(weekly: pd.DataFrame, reps: pd.DataFrame) -> pd.DataFrame:
    """A standing strict lift's weekly table: hip drives counted, never clean reps.

    See :data:`HIP_DRIVES_COUNTED`: ``reps`` and ``hip_drives_counted`` are 0 in a week with
    sessions but no hip drive (missing only in a week without a session), and ``tut_s``,
    ``clean_share`` and ``clean_reps_before_first_fault_mean`` are NaN (a hip drive is the
    fault itself: "0% clean" said nothing the count does not).
    """
    had = (weekly["sessions"] > 0).to_numpy()
    counted = _counted_hip_drives(reps).reindex(weekly[research.WEEK].to_numpy()).fillna(0)
    found = weekly["reps"].astype("float64").to_numpy()
    out = weekly.copy()
    out["reps"] = _whole(np.where(had & np.isnan(found), 0.0, found))
    out[HIP_DRIVES_COUNTED] = _whole(np.where(had, counted.to_numpy(dtype="float64"), np.nan))
    for column in ("tut_s", "clean_share", "clean_reps_before_first_fault_mean"):
        out[column] = np.nan
    return out


def _whole(counts: np.ndarray) -> np.ndarray:
    """Counts as int64 when none is missing (``5``, not ``5.0``, in the CSV), else float."""
    return counts.astype("int64") if not np.isnan(counts).any() else counts


def _hold_per_session(data: Dataset) -> pd.DataFrame:
    """One row per session of holds: time held, the longest hold, clean holds, the verdict.

    As :func:`imu.research.hold_time` (the weekly figures): the time held leaves out the
    uncertain holds (judged, but ``count_confidence`` under 0.5: they may be no hold), and the
    longest hold the holds over a data gap too.
    """
    columns = ["session_id", "date", "holds", "held_s", "longest_hold_s", "clean_holds",
               "verdict"]
    sessions = data.sessions
    verdicts = (dict(zip(sessions["session_id"], sessions["verdict"], strict=True))
                if "verdict" in sessions else {})
    rows: list[dict[str, object]] = []
    for sid, reps in data.reps.groupby("session_id", sort=False):
        sure = reps[evidence_mask(reps)]
        rows.append({
            "session_id": sid,
            "date": reps["date"].iloc[0],
            "holds": len(reps),
            "held_s": time_held_s(reps[~uncertain_left_out(reps)]),
            "longest_hold_s": float(sure["top_hold_s"].max()) if len(sure) else np.nan,
            "clean_holds": int(reps["clean"].sum()),
            "verdict": verdicts.get(sid),
        })
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _hold_progress(own: Dataset, participant: str, profile: ExerciseProfile,
                   others: dict[str, int], weekly: pd.DataFrame,
                   tied: tuple[str, ...] = ()) -> Progress:
    """The progress of a hold (plank): time held and hold faults per week."""
    by = ("participant", "exercise", research.WEEK)
    columns = hold_weekly_columns(profile)
    shares = [c for c in columns if c.endswith("_share") and c != "hold_ok_share"]
    trends = pd.DataFrame(columns=["first", "last", "slope_per_week"])
    in_force, changes = _prescriptions(own.sessions, weekly, hold=True)
    weekly["prescribed_hold_s"] = in_force
    if not own.reps.empty:
        held = research.hold_time(own.reps, by=by)
        faults = research.fault_rates(own.reps, by=by)
        measured = [c for c in HOLD_COLUMNS[3:] if c != "prescribed_hold_s"]
        weekly = weekly.merge(held[[research.WEEK, *measured]], on=research.WEEK,
                              how="left")
        weekly = weekly.merge(faults[[research.WEEK, *shares]], on=research.WEEK, how="left")
        trends = pd.concat(
            [research.weekly_trend(held, v).assign(value=v)
             for v in ("longest_hold_s", "held_s")]
            + [research.weekly_trend(faults, v).assign(value=v) for v in shares
               if v != "clean_share"],
            ignore_index=True,
        ).set_index("value")
    else:
        for column in columns[3:]:
            if column not in weekly:
                weekly[column] = np.nan
    prescribed = changes[-1][1] if changes else profile.default_tempo.top_hold_s
    return Progress(
        participant=participant,
        exercise=profile.name,
        data=own,
        weekly=weekly[list(columns)],
        per_session=_hold_per_session(own),
        quartiles=pd.DataFrame(),
        trends=trends,
        frequency=research.frequency_summary(own.sessions).iloc[0],
        prescribed_eccentric_s=np.nan,
        bar=None,
        other_exercises=others,
        isometric=True,
        prescribed_hold_s=prescribed,
        prescriptions=changes,
        tied=tied,
    )


# --------------------------------------------------------------------------- words


def _trend_text(progress: Progress, value: str) -> tuple[float, float, float] | None:
    if value not in progress.trends.index:
        return None
    row = progress.trends.loc[[value]].iloc[0]
    first, last = float(row["first"]), float(row["last"])
    slope = float(row["slope_per_week"])
    if np.isnan(first) or np.isnan(last):
        return None
    return first, last, slope


def _frequency_line(progress: Progress) -> str:
    f = progress.frequency
    weeks = int(f["weeks"])
    in_target = round(float(f["in_target_share"]) * weeks)
    over = round(float(f["over_target_share"]) * weeks)
    under = weeks - in_target - over  # weeks without a session too
    low = research.FREQUENCY_TARGET[0]
    return (
        f"{count(int(f['sessions']), 'session')} over {count(weeks, 'week')} "
        f"({float(f['sessions_per_week']):.1f} a week): {in_target} of {count(weeks, 'week')} "
        "within the 2-3 sessions a week recommended for core work"
        + (f", {under} under it (fewer than {low})" if under else "")
        + (f", {over} over it (keep rest days)" if over else "")
        + "."
    )


def prescription_text(progress: Progress) -> str:
    """The prescription: ``"3 s"``, or ``"2 s, then 3 s since 2024-W03"`` when it changed.

    A change in the week of the prescription before it is "later in" that week: "2 s, then
    3 s later in 2026-W49", never "since 2026-W49" of a week that began with 2 s.
    """
    latest = progress.prescribed_hold_s if progress.isometric else progress.prescribed_eccentric_s
    changes = progress.prescriptions
    if len(changes) <= 1:
        return f"{latest:g} s"
    told = [f"{changes[0][1]:g} s"]
    for (before, _), (week, v) in itertools.pairwise(changes):
        told.append(f"{v:g} s later in {week}" if week == before else f"{v:g} s since {week}")
    return ", then ".join(told)


def _against(progress: Progress) -> str:
    """`` against 3 s prescribed`` (or the prescriptions in turn when it changed)."""
    latest = progress.prescribed_hold_s if progress.isometric else progress.prescribed_eccentric_s
    if not np.isfinite(latest):
        return ""
    if len(progress.prescriptions) > 1:
        return f" against the prescription ({prescription_text(progress)})"
    return f" against {latest:g} s prescribed"


def others_lines(progress: Progress) -> list[str]:
    """Which exercise the page is of when there was a choice, and the participant's others.

    On a tie of session counts (no exercise asked for) it says which it picked and how to
    make the other's page.
    """
    lines: list[str] = []
    if progress.tied:
        n = len(progress.per_session) if len(progress.per_session) else int(
            progress.frequency["sessions"])
        names = " and ".join([progress.exercise, *progress.tied])
        other = progress.tied[0]
        lines.append(f"{names} have {count(n, 'session')} each: this page is of "
                     f"{progress.exercise} (the first by name); make {other}'s with "
                     f"--exercise {other}.")
    if progress.other_exercises:
        others = ", ".join(f"{k} ({count(v, 'session')})"
                           for k, v in progress.other_exercises.items())
        lines.append(f"Also trained: {others}; make their page with --exercise.")
    return lines


def _not_judged_line(progress: Progress) -> str | None:
    """Which of the page's measures the exercise's profile does not judge, if any."""
    profile = get_profile(progress.exercise)
    names = []
    if not judges_swing_share(profile) and not profile.every_rep_is_swing:
        names.append("swing reps")
    if not judges_descent(profile):
        names.append("the descent")
    if not names:
        return None
    return f"Not judged for {profile.title.lower()}: {' or '.join(names)}."


def _hip_drive_line(progress: Progress) -> str | None:
    """Standing strict lifts: every pelvic rep is hip drive, so a count, not a share."""
    profile = get_profile(progress.exercise)
    if not profile.every_rep_is_swing:
        return None
    w = progress.weekly[progress.weekly["sessions"] > 0]
    if w.empty or not len(progress.data.reps):
        return None
    # The hip drives the advice counts (neither uncertain nor over a data gap), as each
    # session's verdict counts them: "4 hip drives (1 uncertain not counted)"; a week whose
    # sessions found none counts 0 (the pelvis stayed still), as progress_weekly.csv does.
    counted = hip_drives_by_week(progress).reindex(w["week"]).fillna(0)
    per = counted.to_numpy(dtype=float) / w["sessions"].to_numpy(dtype=float)
    told = (f"{per[-1]:.1f} a session in the one week so far" if len(per) == 1 else
            f"{per[0]:.1f} a session in the first week, {per[-1]:.1f} in the last")
    return (f"Hip drive: every pelvic rep counted in a {profile.title.lower()} is one (the "
            f"pelvis should stay still): {told}{left_out_note(progress)}.")


def hip_drives_by_week(progress: Progress) -> pd.Series:
    """A standing strict lift's counted hip drives per ISO week (``2024-W02``), weeks found.

    Counted as the advice counts them (:func:`imu.report.summary.evidence_mask`): not
    uncertain, not over a data gap.
    """
    return _counted_hip_drives(progress.data.reps)


def _counted_hip_drives(reps: pd.DataFrame) -> pd.Series:
    """:func:`hip_drives_by_week` of a reps table."""
    if not len(reps):
        return pd.Series(dtype="int64")
    dated = research.with_week(reps)  # the weekly table's weeks
    return evidence_mask(dated).astype("int64").groupby(dated[research.WEEK].to_numpy()).sum()


def uncertain_left_out_count(progress: Progress) -> int:
    """The participant's judged reps (holds) that the swing and fault shares leave out.

    Those the analyzer is not sure were reps (``count_confidence`` under 0.5,
    :func:`imu.report.summary.uncertain_left_out`): as each session's table does, the
    weekly swing and fault shares (:func:`imu.research.fault_rates`) leave them out.
    """
    reps = progress.data.reps
    return int(uncertain_left_out(reps).sum()) if len(reps) else 0


def left_out_note(progress: Progress) -> str:
    """"; 2 uncertain reps left out (they may not be reps)" for a share's line; "" if none."""
    n = uncertain_left_out_count(progress)
    if not n:
        return ""
    unit = ("hold" if progress.isometric else "hip drive"
            if get_profile(progress.exercise).every_rep_is_swing else "rep")
    return (f"; {count(n, 'uncertain ' + unit)} left out (the analyzer is not sure "
            f"{'it was a' if n == 1 else 'they were'} {unit}{'' if n == 1 else 's'})")


def left_out_label(progress: Progress, label: str) -> str:
    """A share's heading, saying the uncertain reps are left out when there are some.

    "Swing reps (%)" becomes "Swing reps (%, uncertain reps left out)", as the report's
    session details say it.
    """
    words = left_out_words(progress)
    if not words or not label.endswith(" (%)"):
        return label
    return f"{label[:-4]} (%, {words})"


def left_out_words(progress: Progress) -> str:
    """"uncertain reps left out" (holds: "uncertain holds left out") when some were; else "".

    The words of the week table's share headings (:func:`left_out_label`), for the share
    plots' titles and alt text.
    """
    if not uncertain_left_out_count(progress):
        return ""
    return f"uncertain {'holds' if progress.isometric else 'reps'} left out"


def left_out_title(progress: Progress, title: str) -> str:
    """A share plot's title or alt text, saying the uncertain reps are left out when some were.

    "Swing reps per week" becomes "Swing reps per week (uncertain reps left out)", in the
    words of the week table's headings (:func:`left_out_label`).
    """
    words = left_out_words(progress)
    return f"{title} ({words})" if words else title


def week_table_columns(progress: Progress) -> tuple[tuple[str, str, str], ...]:
    """The weekly table on the page: column, plain heading, format.

    Those of :data:`WEEK_TABLE` (rep exercises) or :func:`hold_week_table` (holds) that the
    weekly table has; the swing and fault shares' headings say when uncertain reps are left
    out (:func:`left_out_label`).
    """
    table = hold_week_table(progress) if progress.isometric else tuple(
        row for row in WEEK_TABLE if row[0] in progress.weekly.columns)
    if get_profile(progress.exercise).every_rep_is_swing:
        # Hip drives, not reps: none is ever clean (each is the fault) and a drive has no
        # time under tension, so those columns (all 0% and 0.0) said nothing but
        # contradicted the page; progress_weekly.csv keeps every column.
        found = ("Hip drives found (uncertain ones too)"
                 if uncertain_left_out_count(progress) else "Hip drives found")
        table = tuple((c, found if c == "reps" else label, spec) for c, label, spec in table
                      if c in ("week", "sessions", "reps"))
    return tuple((c, left_out_label(progress, _threshold_label(progress, c, label))
                  if _swing_or_fault_share(c) else _threshold_label(progress, c, label), spec)
                 for c, label, spec in table)


def bar_descent_words() -> str:
    """The descent a rep needs to count towards the bar: "descent 2.75 s or more".

    The bar's 3 s descent less the measurement slack of :func:`progress_reps`; shown where
    those reps are counted, so that "0 clean reps with a 3 s descent" beside "descents long
    enough 67%" no longer read as a contradiction (trial 24).
    """
    floor = PROGRESS_ECCENTRIC_S - PROGRESS_ECCENTRIC_TOLERANCE_S
    return f"descent {floor:g} s or more"


def bar_descent_text() -> str:
    """The bar's descent with its threshold: "3 s descent (2.75 s or more)".

    As the standing line, the figure's legend and its text for a screen reader say it.
    """
    return (f"{PROGRESS_ECCENTRIC_S:g} s descent "
            f"({bar_descent_words().removeprefix('descent ')})")


def descent_ok_words(prescribed: Iterable[float],
                     tolerance: TempoTolerance | None = None) -> str:
    """What ``eccentric_ok_share`` counts, in words (a single 3 s prescription below).

    "descents of 2.25 s or more (75% of the 3 s prescribed)".

    The threshold is the tempo tolerance's (:func:`imu.research.tempo_compliance`): the
    prescription less ``max(min_s, fraction x prescribed)``. Several prescriptions: the
    share of the prescribed descent when it is the same for each, else the rule itself.
    """
    tol = tolerance or TempoTolerance()
    values = sorted({float(p) for p in prescribed if np.isfinite(p) and p > 0})
    if len(values) == 1:
        p = values[0]
        floor = round(p - tol.slack_s(p), 2)
        return f"descents of {floor:g} s or more ({floor / p:.0%} of the {p:g} s prescribed)"
    shares = {round(1 - tol.slack_s(p) / p, 2) for p in values}
    if len(shares) == 1:
        return f"descents of {shares.pop():.0%} or more of the prescribed descent"
    return (f"descents no more than {tol.fraction:.0%} (at least {tol.min_s:g} s) short of "
            "the prescribed descent")


def _threshold_label(progress: Progress, column: str, label: str) -> str:
    """``label`` with the threshold its column counts against, taken from the code."""
    if column == "eccentric_ok_share":
        words = descent_ok_words(progress.weekly.get("prescribed_eccentric_s", pd.Series(
            [progress.prescribed_eccentric_s])).dropna())
        return f"{words[0].upper()}{words[1:]} (%)"
    if column == "progress_reps_max":
        return f"Best set: clean reps, {bar_descent_words()}"
    return label


def _swing_or_fault_share(column: str) -> bool:
    """``swing_share`` or a ``<fault>_share``: the shares that leave uncertain reps out."""
    return column.endswith("_share") and column not in (
        "clean_share", "hold_ok_share", "eccentric_ok_share")


def headline(progress: Progress) -> list[str]:
    """The page's first lines: frequency, descent, swings, and where the person stands.

    A hold (plank): frequency, time held against the prescribed hold, hold faults, and the
    last session's verdict (:func:`hold_lines`).
    """
    if progress.isometric:
        return hold_lines(progress)
    lines = [_frequency_line(progress)]
    ecc = _trend_text(progress, "eccentric_s_median")
    if ecc is not None:
        first, last, slope = ecc
        # Judged at the precision shown: 1.26 s to 1.29 s is "stayed at 1.3 s".
        a, b = round(first, 1), round(last, 1)
        if a == b:
            change = f"stayed at {b:.1f} s"
        else:
            change = f"{'rose' if b > a else 'fell'} from {a:.1f} s to {b:.1f} s"
        per_week = f" ({slope:+.2f} s a week)" if np.isfinite(slope) else ""
        if not np.isfinite(slope):  # one week so far: no trend to tell
            change = f"{b:.1f} s in the one week so far"
        lines.append(f"Descent (median per week): {change}{per_week}{_against(progress)}.")
    swing = _trend_text(progress, "swing_share")
    if swing is not None:
        first, last, slope = swing
        if np.isfinite(slope):
            lines.append(
                f"Swing reps: {first:.0%} of reps in the first week, {last:.0%} in the last "
                f"({slope * 100:+.1f} points a week){left_out_note(progress)}."
            )
        else:
            lines.append(f"Swing reps: {last:.0%} of reps in the one week so far"
                         f"{left_out_note(progress)}.")
    lines += [line for line in (_hip_drive_line(progress), _not_judged_line(progress)) if line]
    lines.append(standing_text(progress))
    return lines


def _weekly_value(progress: Progress, value: str) -> tuple[float, float] | None:
    """``value`` in the first and the last week that have it (None when none has)."""
    values = progress.weekly[value].dropna()
    if values.empty:
        return None
    return float(values.iloc[0]), float(values.iloc[-1])


def hold_lines(progress: Progress) -> list[str]:
    """A hold's headline: frequency, time held, hold faults and where the person stands."""
    lines = [_frequency_line(progress)]
    against = _against(progress)
    held = _weekly_value(progress, "held_s")
    longest = _weekly_value(progress, "longest_hold_s")
    weeks = int(progress.weekly["held_s"].notna().sum())
    if held is not None and weeks <= 1:
        holds = int(progress.weekly["holds"].sum())
        longest_text = (f"; the longest hold {longest[1]:.0f} s," if longest is not None else
                        "; none timed whole (samples lost during each)")
        lines.append(f"Time held: {held[1]:.0f} s in {count(holds, 'hold')} in the one week "
                     f"so far{longest_text}{against}{left_out_note(progress)}.")
    elif held is not None:
        trend = _trend_text(progress, "longest_hold_s")
        if trend is None:
            change = "none timed whole (samples lost during each)"
        else:
            first, last, slope = trend
            a, b = round(first), round(last)
            change = (f"stayed at {b:.0f} s" if a == b else
                      f"{'rose' if b > a else 'fell'} from {a:.0f} s to {b:.0f} s")
            slope = 0.0 if round(slope, 1) == 0 else slope  # never "-0.0 s a week"
            change += f" ({slope:+.1f} s a week)" if np.isfinite(slope) else ""
        lines.append(f"Longest hold (per week): {change}{against}; time held {held[0]:.0f} s in "
                     f"the first week, {held[1]:.0f} s in the last{left_out_note(progress)}.")
    faults = [c for c in progress.weekly.columns
              if c.endswith("_share") and c not in ("hold_ok_share", "clean_share")]
    told = []
    for column in faults:
        value = _weekly_value(progress, column)
        if value is None:
            continue
        word = FAULT_WORDS.get(column.removesuffix("_share"), column)
        told.append((word, value))
    if told and weeks <= 1:
        parts = [f"{word} in {last:.0%}" for word, (_, last) in told]
        parts[0] += " of holds"
        lines.append(f"Hold faults: {', '.join(parts)} in the one week so far"
                     f"{left_out_note(progress)}.")
    elif told:
        parts = [f"{word} {first:.0%} to {last:.0%}" for word, (first, last) in told]
        lines.append(f"Hold faults (share of holds, first week to last): {', '.join(parts)}"
                     f"{left_out_note(progress)}.")
    lines.append(standing_text(progress))
    return lines


def _hold_standing(progress: Progress) -> str:
    """Where a hold stands: the last session's verdict (the coaching rules' hold verdict)."""
    per = progress.per_session
    low, high = PLANK_RANGE_S
    if per.empty:
        return (f"No holds yet: hold still and level; plank holds run {low:g}-{high:g} s.")
    last = per.iloc[-1]
    verdict = last["verdict"]
    if verdict is None or pd.isna(verdict):
        return (f"Last session ({_day(last['date'])}): held {float(last['held_s']):.0f} s in "
                f"{count(int(last['holds']), 'hold')}.")
    return f"Last session ({_day(last['date'])}): {verdict}"


def standing_text(progress: Progress) -> str:
    """Where the person stands against the progression rule (or the exercise has none).

    A hold (plank) has no rep bar: the last session's verdict on its holds instead.
    """
    if progress.isometric:
        return _hold_standing(progress)
    bar = progress.bar
    if bar is None:
        return (f"{get_profile(progress.exercise).title} has no progression bar in the coaching "
                "rules; keep the quality of the reps up.")
    per = progress.per_session
    if per.empty:
        return f"No reps yet; the bar to progress is about {bar} clean reps with a 3 s descent."
    best_i = int(per["progress_reps"].to_numpy().argmax())
    best = int(per["progress_reps"].iloc[best_i])
    last = int(per["progress_reps"].iloc[-1])
    when = _day(per["date"].iloc[best_i])
    rule = f"about {bar} clean reps with a {bar_descent_text()} in a set"
    if best >= bar:
        return (f"Ready to progress: {best} clean reps with a {PROGRESS_ECCENTRIC_S:g} s descent "
                f"in one set ({when}) meets the rule ({rule}): try a decline or weighted "
                "variant.")
    profile = get_profile(progress.exercise)
    prescribed = progress.prescribed_eccentric_s
    short = ""
    if np.isfinite(prescribed) and descent_below_bar(prescribed):
        said = (f"Your sessions prescribed a {prescribed:g} s descent"
                if len(progress.prescriptions) <= 1 else
                f"Your last session prescribed a {prescribed:g} s descent "
                f"({prescription_text(progress)})")
        short = f" {said}. {train_towards(profile)}"
    if best == 0:
        return f"Progression rule: {rule}. No set has had such reps yet: {bar} to go.{short}"
    # "9 more to go (9 more than your best)" said one number twice when the last session
    # was the best.
    beyond = "" if best == last else f" ({bar - best} more than your best)"
    return (f"Progression rule: {rule}. You stand at {last} in your last session (best "
            f"{best}, {when}): {bar - last} more to go{beyond}.{short}")


def _day(value: object) -> str:
    """The calendar day of a time, ``2026-11-30``, in the reader's time zone.

    As the report's dates are (:func:`imu.text.local_time`); a time with no zone is UTC.
    """
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if pd.isna(stamp):
        return "no date"
    # A day given without a time (midnight UTC) is that day wherever it is read.
    return f"{as_read(stamp.to_pydatetime()):%Y-%m-%d}"


# --------------------------------------------------------------------------- figures


MID_WEEK: Final = pd.Timedelta(days=3.5)
"""Where a week's point is drawn: the middle of its Monday-to-Sunday span."""

WEEK_AXIS_LABEL: Final = "week, Monday to Sunday (ticks on Mondays)"
"""The x-axis of every weekly plot: a week is the span between two ticks, its point (a weekly
value) in the middle, a set's dot on its day."""


def week_span(progress: Progress) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x-range every weekly plot shares: the first week's Monday to the last's end."""
    starts = pd.to_datetime(progress.weekly[research.WEEK_START])
    if getattr(starts.dt, "tz", None) is not None:
        starts = starts.dt.tz_localize(None)
    return pd.Timestamp(starts.min()), pd.Timestamp(starts.max()) + pd.Timedelta(days=7)


PROGRESS_WIDE: Final = PlotLayout(width_in=7.2, height_scale=1.0, dpi=100, font_pt=10,
                                  title_pt=10, legend_pt=8, legend_cols=3,
                                  max_tick_labels=12, title_chars=200)
"""Desktop figures of the progress page: 720 px wide, shown at their size. Phones get
:data:`imu.report.plots.NARROW` ones (``<picture>``, as report.html)."""


def _figure(height_in: float, layout: PlotLayout) -> Figure:
    return Figure(figsize=(layout.width_in, height_in * layout.height_scale),
                  layout="constrained")


def _week_axis(fig: Figure, title: str, ylabel: str,
               layout: PlotLayout = PROGRESS_WIDE) -> Axes:
    """An axis with a tick per Monday (day month; every k-th when many) and a light grid.

    The figure sets the shared x-range after drawing (:func:`_whole_weeks`).
    """
    ax = fig.add_subplot()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_title(textwrap.fill(title, layout.title_chars), fontsize=layout.title_pt)
    ax.set_ylabel(ylabel, fontsize=layout.font_pt)
    ax.set_xlabel(textwrap.fill(WEEK_AXIS_LABEL, layout.title_chars), fontsize=layout.font_pt)
    ax.tick_params(labelsize=layout.font_pt)
    ax.grid(alpha=0.3)
    return ax


def _week_ticks(layout: PlotLayout) -> int:
    """Most Monday ticks whose "08 Jan" labels fit side by side in the layout's width."""
    return max(2, int(layout.width_in * 72 // (layout.font_pt * 0.6 * 6 + 8)))


def _whole_weeks(ax: Axes, progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> None:
    """The x-range of :func:`week_span`, so every weekly plot spans the same weeks.

    Ticks on Mondays: every one, or every k-th when they would not fit the width.
    """
    start, end = week_span(progress)
    weeks = max(1, round((end - start) / pd.Timedelta(days=7)))
    every = math.ceil((weeks + 1) / _week_ticks(layout))
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=every))
    room = (end - start) * _x_room_share(layout)
    ax.set_xlim(start - room, end + room)  # type: ignore[arg-type]


MARKER_ROOM_PT: Final = 5.0
"""Room left between a plot's edges and the weeks or values it spans, points: the radius of
the largest marker (a 6 pt dot with its edge) and a little more. A session on a Monday morning
or a Sunday night, or a week at 0 %, shows its whole marker, not the half inside the axes."""

AXES_SHARE_MIN: Final = 0.7
"""The least share of a figure's width its axes take (the rest: y label, tick labels)."""


def _x_room_share(layout: PlotLayout) -> float:
    """The x room (:data:`MARKER_ROOM_PT`) as a share of the weeks' span, for ``layout``.

    From the layout alone, so every weekly plot of a page keeps one x-range; reckoned on the
    narrowest axes a figure has (:data:`AXES_SHARE_MIN`), so it is never short.
    """
    return MARKER_ROOM_PT / 72 / (layout.width_in * AXES_SHARE_MIN)


def _y_room(fig: Figure, ax: Axes) -> None:
    """Widen the y-range by :data:`MARKER_ROOM_PT` at both ends, measured on the laid-out axes.

    A week at 0 % (or 100 %) of swing reps and a session's 0 clean reps with a 3 s descent
    sat on the edge, their marker cut in half. Called last: the legend and titles are placed.
    """
    fig.draw_without_rendering()  # runs the constrained layout: the axes' final height
    height_in = ax.get_position().height * fig.get_figheight()
    if height_in <= 0:
        return
    low, high = ax.get_ylim()
    room = (high - low) * MARKER_ROOM_PT / 72 / height_in
    ax.set_ylim(low - room, high + room)


LEGEND_MIN_CHARS: Final = 16
"""Legend labels are wrapped at no fewer characters than this (a word stays whole)."""


def _legend(fig: Figure, ax: Axes, layout: PlotLayout, most: int) -> Legend | None:
    """The legend above the plot: at most ``most`` columns, fewer where they do not fit.

    Measured, not estimated: drawn, and while wider than the figure it loses a column, then
    its labels are wrapped onto more lines (a phone's 390 px figure cut "...in one set" off
    at the edge).
    """
    handles, labels = ax.get_legend_handles_labels()
    if not labels:
        return None
    ncols = min(most, legend_columns(labels, layout))
    chars = max(len(label) for label in labels)
    renderer = FigureCanvasAgg(fig).get_renderer()
    while True:
        shown = [textwrap.fill(label, chars, break_long_words=False) for label in labels]
        legend = fig.legend(handles, shown, loc="outside upper center", ncols=ncols,
                            fontsize=layout.legend_pt, frameon=False)
        if (legend.get_window_extent(renderer).width <= fig.bbox.width
                or chars <= LEGEND_MIN_CHARS):
            return legend
        legend.remove()
        if ncols > 1:
            ncols -= 1
        else:
            chars = max(LEGEND_MIN_CHARS, int(chars * 0.85))


def frequency_figure(progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> Figure:
    """Sessions per week as bars, the 2-3 target band shaded."""
    fig = _figure(3.0, layout)
    ax = _week_axis(fig, "Sessions per week", "sessions", layout)
    w = progress.weekly
    ax.axhspan(research.FREQUENCY_TARGET[0] - 0.5, research.FREQUENCY_TARGET[1] + 0.5,
               color="#6cc46a", alpha=0.2, label="target 2-3 a week")
    ax.bar(w[research.WEEK_START], w["sessions"], width=6.5, align="edge", color="#4c9be8",
           label="sessions (Monday to Sunday)")
    ax.set_ylim(0, max(4.5, float(w["sessions"].max()) + 0.5))
    _legend(fig, ax, layout, 2)
    _whole_weeks(ax, progress, layout)
    return fig


def clean_labels(bar: int | None) -> dict[str, str]:
    """The legend of :func:`clean_figure`: what each mark counts.

    The bar counts only the reps with a 3 s descent, so the marks to hold against it are
    those of ``progress`` (a set of 16 clean reps at 2 s is above the bar among the ``sets``
    dots, yet short of it). Both say the descent's threshold as the page's text does ("3 s
    descent (2.75 s or more)", :func:`bar_descent_text`).
    """
    descent = bar_descent_text()
    return {
        "sets": "clean reps in a set (any descent)",
        "weekly": "weekly mean: best set's clean reps before the first swing or fault",
        "progress": f"best set of a session: clean reps with a {descent}",
        "bar": f"progression bar: {bar} clean reps with a {descent} in one set",
    }


def clean_figure(progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> Figure:
    """Clean reps of every set by date, and the weekly mean of clean reps before a fault.

    For an exercise with a progression bar, also the bar and what it counts: each session's
    best set's clean reps with a 3 s descent. The legend says what each mark counts
    (:func:`clean_labels`).
    """
    fig = _figure(3.2, layout)
    ax = _week_axis(fig, "Clean reps per set", "clean reps", layout)
    labels = clean_labels(progress.bar)
    sets = progress.data.sets
    if len(sets):
        ax.scatter(pd.to_datetime(sets["date"]).dt.tz_localize(None), sets["clean_reps"],
                   color="#2e7d32", alpha=0.7, s=18, label=labels["sets"])
    w = progress.weekly
    ax.plot(w[research.WEEK_START] + MID_WEEK,
            w["clean_reps_before_first_fault_mean"], color="#333", marker="o", lw=1.2,
            label=labels["weekly"])
    if progress.bar is not None:
        per = progress.per_session
        if len(per):
            ax.scatter(pd.to_datetime(per["date"]).dt.tz_localize(None), per["progress_reps"],
                       color="#b71c1c", marker="x", s=28, label=labels["progress"])
        ax.axhline(progress.bar, color="#b71c1c", ls=":", lw=1.2,
                   label=labels["bar"])
    ax.set_ylim(bottom=0)
    _legend(fig, ax, layout, 2)
    _whole_weeks(ax, progress, layout)
    _y_room(fig, ax)
    return fig


def eccentric_figure(progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> Figure:
    """Weekly median descent with its quartile band, against the prescription and 3 s."""
    fig = _figure(3.2, layout)
    ax = _week_axis(fig, "Descent (eccentric) per week", "down (s)", layout)
    q = progress.quartiles
    if len(q):
        x = q[research.WEEK_START] + MID_WEEK
        ax.fill_between(x, q["eccentric_s_q25"], q["eccentric_s_q75"], color="#f2a541",
                        alpha=0.3, label="middle half of the reps")
        ax.plot(x, q["eccentric_s_q50"], color="#b35c00", marker="o", label="median")
    _prescription_steps(ax, progress, "prescribed_eccentric_s")
    ax.set_ylim(bottom=0)
    _legend(fig, ax, layout, 2)
    _whole_weeks(ax, progress, layout)
    return fig


def _prescription_steps(ax: Axes, progress: Progress, column: str) -> None:
    """A dashed line at the prescription in force each week (steps where it changed)."""
    w = progress.weekly
    if column not in w or not w[column].notna().any():
        return
    x = pd.concat([w[research.WEEK_START],
                   pd.Series([w[research.WEEK_START].iloc[-1] + pd.Timedelta(days=7)])],
                  ignore_index=True)
    y = np.append(w[column].to_numpy(dtype=float), float(w[column].iloc[-1]))
    label = (f"prescribed {prescription_text(progress)}" if len(progress.prescriptions) > 1
             else f"prescribed {float(w[column].dropna().iloc[-1]):g} s")
    ax.step(x, y, where="post", color="#2e7d32", ls="--", lw=1.2, label=label)


SHARE_AXIS_MIN: Final = 25.0
"""The least top of a share plot's axis, %: a week of 0 % to 10 % is not drawn as a sheer
drop over the whole plot."""


def _share_top(shares_pct: pd.Series | pd.DataFrame) -> float:
    """The top of a share plot's y-axis, %, not always 100 %.

    The next multiple of 10 at or above 1.15 times the largest share (room over the top
    point), at least :data:`SHARE_AXIS_MIN`, at most 100.

    Swing reps falling from 13 % to 0 % were a line along the bottom eighth of a 0-100 % plot.
    """
    values = pd.to_numeric(pd.Series(np.ravel(shares_pct)), errors="coerce").dropna()
    peak = float(values.max()) if len(values) else 0.0
    return float(min(100.0, max(SHARE_AXIS_MIN, 10.0 * math.ceil(1.15 * peak / 10.0))))


def swing_figure(progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> Figure:
    """Share of swing reps per week.

    The title says when uncertain reps are left out (:func:`left_out_title`).
    """
    fig = _figure(3.0, layout)
    ax = _week_axis(fig, left_out_title(progress, "Swing reps per week"), "share of reps (%)",
                    layout)
    w = progress.weekly
    ax.plot(w[research.WEEK_START] + MID_WEEK, 100 * w["swing_share"],
            color="#c2185b",
            marker="v", label="swing reps")
    ax.set_ylim(0, _share_top(100 * w["swing_share"]))
    _legend(fig, ax, layout, 1)
    _whole_weeks(ax, progress, layout)
    _y_room(fig, ax)
    return fig


def hold_figure(progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> Figure:
    """Time held per week as bars, the week's longest hold, against the prescribed hold."""
    fig = _figure(3.2, layout)
    ax = _week_axis(fig, "Time held per week", "seconds", layout)
    w = progress.weekly
    ax.bar(w[research.WEEK_START], w["held_s"], width=6.5, align="edge", color="#4c9be8",
           alpha=0.6, label="time held in the week")
    ax.plot(w[research.WEEK_START] + MID_WEEK, w["longest_hold_s"],
            color="#b35c00", marker="o", label="longest hold")
    _prescription_steps(ax, progress, "prescribed_hold_s")
    ax.set_ylim(bottom=0)
    _legend(fig, ax, layout, 3)
    _whole_weeks(ax, progress, layout)
    return fig


def hold_faults_figure(progress: Progress, layout: PlotLayout = PROGRESS_WIDE) -> Figure:
    """Share of holds with each hold fault per week.

    The title says when uncertain holds are left out (:func:`left_out_title`).
    """
    fig = _figure(3.0, layout)
    ax = _week_axis(fig, left_out_title(progress, "Hold faults per week"),
                    "share of holds (%)", layout)
    w = progress.weekly
    x = w[research.WEEK_START] + MID_WEEK
    for column, marker in zip(_hold_fault_columns(progress), "v^s", strict=False):
        ax.plot(x, 100 * w[column], marker=marker,
                label=FAULT_WORDS.get(column.removesuffix("_share"), column))
    ax.set_ylim(0, _share_top(100 * w[_hold_fault_columns(progress)]))
    _legend(fig, ax, layout, 3)
    _whole_weeks(ax, progress, layout)
    _y_room(fig, ax)
    return fig


# --------------------------------------------------------------------------- the page


def _fmt(value: object, spec: str) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "-"
    if spec == "%":
        return f"{float(value):.0%}"  # type: ignore[arg-type]
    if spec == "g":
        return f"{float(value):g}"  # type: ignore[arg-type]
    if spec == "d":
        return f"{int(value)}"  # type: ignore[call-overload]
    return f"{float(value):{spec}}"  # type: ignore[arg-type]


WEEK_TABLE: Final = (
    ("week", "Week", ""),
    ("sessions", "Sessions", "d"),
    ("reps", "Reps", "d"),
    ("tut_s", "Time under tension (s)", ".0f"),
    ("prescribed_eccentric_s", "Prescribed descent (s)", "g"),
    ("eccentric_s_median", "Median descent (s)", ".1f"),
    ("eccentric_ok_share", "Descents long enough (%)", "%"),
    ("swing_share", "Swing reps (%)", "%"),
    ("clean_share", "Clean reps (%)", "%"),
    ("clean_reps_before_first_fault_mean",
     "Best set: clean before the first swing or fault (weekly mean of sessions)",
     ".1f"),
    ("progress_reps_max", "Best set: clean reps with a 3 s descent", "d"),
)
"""Columns of the weekly table on the page, with plain headings and formats (those of
:func:`weekly_columns` are shown)."""


def _hold_fault_columns(progress: Progress) -> list[str]:
    """The weekly ``<fault>_share`` columns of a hold (plank: sagging, piking, shaking)."""
    return [c for c in progress.weekly.columns
            if c.endswith("_share") and c not in ("hold_ok_share", "clean_share")]


def hold_week_table(progress: Progress) -> tuple[tuple[str, str, str], ...]:
    """The weekly table of a hold (plank) on the page: column, plain heading, format."""
    faults = tuple(
        (c, f"{FAULT_WORDS.get(c.removesuffix('_share'), c).capitalize()} (%)", "%")
        for c in _hold_fault_columns(progress)
    )
    return (
        ("week", "Week", ""),
        ("sessions", "Sessions", "d"),
        ("holds", "Holds", "d"),
        ("held_s", "Time held (s)", ".0f"),
        ("longest_hold_s", "Longest hold (s)", ".0f"),
        ("prescribed_hold_s", "Prescribed hold (s)", "g"),
        ("hold_ok_share", "Holds long enough for it (%)", "%"),
        *faults,
        ("clean_share", "Clean holds (%)", "%"),
    )


def participant_known(participant: str) -> bool:
    """Whether a participant label names someone (not the batch's ``unknown`` placeholder)."""
    from imu.batch import UNKNOWN_PARTICIPANT  # imu.batch imports imu.report

    return participant.strip() not in ("", UNKNOWN_PARTICIPANT, "None", "nan")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _whole_dates(text: str) -> str:
    """``text`` as HTML, each ISO date in it kept on one line.

    On a phone "(best 10, 2024-02-12)" broke after a hyphen ("2024-02-" / "12").
    """
    return _ISO_DATE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>',
                         html.escape(text))


def render_progress_html(progress: Progress) -> str:
    """The progress page as one self-contained HTML document."""
    profile = get_profile(progress.exercise)
    title = (f"{progress.participant}: {profile.title.lower()} progress"
             if participant_known(progress.participant) else f"{profile.title} progress")
    lines = headline(progress)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}{WEEK_TABLE_CSS}</style></head>"
        "<body><main>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    per = progress.per_session
    unit = "hold" if progress.isometric else "rep"
    drives = profile.every_rep_is_swing  # a standing strict lift: hip drives, never clean
    if len(per):
        first, last = _day(per["date"].min()), _day(per["date"].max())
        days = first if first == last else f"{first} to {last}"
        found = "hip drives" if drives else f"{unit}s"
        parts.append(f'<p class="meta">{days} · {count(len(per), "session")} with {found}</p>')
    # A date that looks like a typo (2062 for 2026) stretches the page over decades of empty
    # weeks: the page says so too, not only the terminal that made it.
    for line in [*stray_date_lines(progress, "correct that session's date where it was given "
                                   "(the manifest's date column, or the recording's start "
                                   "time)"), *same_start_lines(progress)]:
        parts.append(f'<p class="warning" role="alert">Warning: {html.escape(line)}</p>')
    parts.append('<h2>Summary</h2><section class="summary" aria-label="Summary">')
    f = progress.frequency
    sessions = int(f["sessions"])
    total_clean = int(per[f"clean_{unit}s"].sum()) if len(per) else 0
    total_reps = int(per[f"{unit}s"].sum()) if len(per) else 0
    held = (f"<li><b>{float(per['held_s'].sum()):.0f} s</b>held in all</li>"
            if progress.isometric else "")
    if drives:
        # "0 / 33 clean reps" of a lift whose every pelvic rep is a hip drive: the count
        # that matters is of the drives, as the advice counts them.
        unsure = uncertain_left_out_count(progress)
        total = int(hip_drives_by_week(progress).sum())
        tally = (f"<li><b>{total}</b>hip drives"
                 f"{f' ({unsure} uncertain not counted)' if unsure else ''}</li>")
    else:
        tally = f"<li><b>{total_clean} / {total_reps}</b>clean {unit}s</li>"
    if progress.bar is not None and len(per) and not drives and not progress.isometric:
        # The number that decides what next, as a tile (UX review: it was only in the prose
        # under the tiles): the last session's best set against the progression bar.
        stand = int(per["progress_reps"].iloc[-1])
        tally += (f"<li><b>{stand} / {progress.bar}</b>clean reps with a "
                  f"{html.escape(bar_descent_text())} in one set, last session</li>")
    parts.append(
        '<ul class="stats">'
        f"<li><b>{sessions}</b>{'session' if sessions == 1 else 'sessions'}</li>"
        f"<li><b>{float(f['sessions_per_week']):.1f}</b>sessions a week</li>{held}"
        f"{tally}</ul>"
    )
    parts.append("<ul>")
    parts += [f"<li>{_whole_dates(line)}</li>" for line in lines[:-1]]
    parts.append("</ul>")
    parts.append(f'<p class="advice">{_whole_dates(lines[-1])}</p>')
    parts += [f'<p class="note">{_whole_dates(line)}</p>' for line in others_lines(progress)]
    parts.append(f'<p class="disclaimer">{html.escape(DISCLAIMER)}</p></section>')
    parts.append("<h2>Over the weeks</h2>")
    parts.append(_figure_html(
        frequency_figure, progress,
        "Bars of the number of sessions in each week against the shaded target of 2 to 3 "
        "sessions a week.",
    ))
    if progress.isometric:
        parts += _hold_figures(progress)
    else:
        parts += _rep_figures(progress)
    table = week_table_columns(progress)
    parts.append("<h2>Week by week</h2>")
    rows = [[html.escape(_fmt(row[c], spec) if spec else str(row[c])) for c, _, spec in table]
            for row in progress.weekly.to_dict(orient="records")]
    parts.append(week_table([label for _, label, _ in table], rows))
    parts.append('<p class="note">The same numbers, with their column names, are in '
                 "progress_weekly.csv.</p>")
    parts.append(f'<p class="disclaimer">{html.escape(DISCLAIMER)}</p>')
    parts.append("</main></body></html>")
    return "\n".join(parts)


WEEK_TABLE_CSS: Final = """
.warning { border-left: 4px solid #b35900; background: #fff4e5; padding: 0.4rem 0.6rem;
  color: #5c2e00; }
@media (max-width: 600px) {
  table.weeks, table.weeks tbody, table.weeks tr { display: block; width: 100%; }
  table.weeks thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.weeks tr { border: 1px solid #cccccc; margin: 0 0 0.6rem; }
  table.weeks td { display: flex; justify-content: space-between; gap: 0.8rem;
    border: 0; border-top: 1px solid #eeeeee; text-align: right; }
  table.weeks td::before { content: attr(data-label); text-align: left; color: #444444; }
  table.weeks td:first-child { position: static; box-shadow: none; border-top: 0;
    background: #eef0f2; font-weight: 600; }
}
"""
"""The week table on a phone (up to 600 px): one card per week, each value beside its
heading, so nothing scrolls sideways at 390 px; wider screens get the table."""


def week_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The week-by-week table (cells already HTML): a table, or a card a week on a phone.

    Each cell carries its heading (``data-label``) for :data:`WEEK_TABLE_CSS`, which shows
    a week's values one under another with their headings on narrow screens.
    """
    ths = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{html.escape(h)}">{c}</td>'
                         for h, c in zip(head, row, strict=True)) + "</tr>"
        for row in rows
    )
    return ('<div class="scroll" tabindex="0"><table class="details weeks" '
            f'aria-label="Week by week"><thead><tr>{ths}</tr></thead><tbody>{body}</tbody>'
            "</table></div>")


def _figure_html(draw: Callable[[Progress, PlotLayout], Figure], progress: Progress,
                 alt: str) -> str:
    """A figure drawn twice, for desktops and for phones.

    :func:`figure_html`'s ``<picture>``, as report.html's: on a phone its text stays
    readable, never a desktop image shrunk.
    """
    return figure_html(draw(progress, PROGRESS_WIDE), alt, narrow=draw(progress, NARROW))


def _rep_figures(progress: Progress) -> list[str]:
    """The figures of a rep exercise: clean reps per set, descent, swing reps.

    The descent and swing reps only where the profile judges them (:func:`weekly_columns`).
    """
    parts: list[str] = []
    if not get_profile(progress.exercise).every_rep_is_swing:
        # A hip drive is never clean: a strict lift's plot of clean reps was all zeros.
        parts.append(_figure_html(
            clean_figure, progress,
            _clean_alt(progress),
        ))
    if "eccentric_s_median" in progress.weekly:
        parts.append(_figure_html(
            eccentric_figure, progress,
            "Weekly median descent in seconds with the middle half of the reps shaded, against "
            f"a dashed line at the prescribed {prescription_text(progress)}.",
        ))
    if "swing_share" in progress.weekly:
        parts.append(_figure_html(
            swing_figure, progress,
            left_out_title(progress, "Line of the percentage of swing reps in each week") + ".",
        ))
    return parts


def _clean_alt(progress: Progress) -> str:
    """The text of :func:`clean_figure` for a screen reader: what each mark counts."""
    text = ("Dots of the clean reps of every set by date, at any descent; a line of the weekly "
            "mean of the best set's clean reps before the first swing or fault")
    if progress.bar is None:
        return text + "."
    return (f"{text}; crosses of each session's best set counting only the clean reps with a "
            f"{bar_descent_text()}; and a dotted line at the progression bar, "
            f"{progress.bar} such reps in one set.")


def _hold_figures(progress: Progress) -> list[str]:
    """The figures of a hold: time held and the longest hold, hold faults."""
    return [
        _figure_html(
            hold_figure, progress,
            "Bars of the time held in each week, a line of the week's longest hold, and a "
            f"dashed line at the prescribed {prescription_text(progress)}.",
        ),
        _figure_html(
            hold_faults_figure, progress,
            left_out_title(progress, "Lines of the percentage of holds with each hold fault "
                           "(hips sagging, hips piking, shaking) in each week") + ".",
        ),
    ]


def write_progress(progress: Progress, out_dir: str | Path) -> list[Path]:
    """Write ``progress.html`` and ``progress_weekly.csv`` into ``out_dir`` (atomically).

    Raises:
        ProgressError: the directory cannot be created or a file cannot be written.

    """
    from imu.io.atomic import atomic_path

    out = Path(out_dir)
    page, weekly = out / "progress.html", out / WEEKLY_FILE
    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(page) as tmp:
            tmp.write_text(render_progress_html(progress), encoding="utf-8")
        with atomic_path(weekly) as tmp:
            progress.weekly.to_csv(tmp, index=False)
    except OSError as exc:
        raise ProgressError(
            f"cannot write the progress page to {out}: {exc.strerror or exc}; choose a writable "
            "--out"
        ) from exc
    return [page, weekly]
