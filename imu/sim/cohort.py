"""Simulated cohorts for research workflows: many participants training over several weeks.

Each participant trains one exercise with one prescription (default reverse crunch, 3-1-3)
for ``weeks`` weeks, 1-4 sessions a week (drawn). What they *perform* differs from what is
prescribed: everyone starts by dropping the eccentric (1.2-1.8 s instead of 3 s); the
*improvers* lengthen it linearly to 2.8-3.2 s by the last week and swing less (30% -> 5% of
reps), the others keep their start tempo and a 25% swing rate. Sessions are short (``sets`` x
``reps`` at ``sampling_rate_hz``) so that a cohort simulates in seconds.

Only what applies to the exercise is drawn (:func:`cohort_design`): swing only where the
simulator has a swing fault for it (not dead bug, bird-dog, pelvic tilt, plank: there
``swing_rate`` is empty and no fault is drawn). A hold (plank) has no eccentric: its
prescription is a hold tempo ``1-H-1`` (default ``1-45-1``), everyone starts holding 40-60% of
``H`` and the improvers reach 93-107% of it by the last week (``hold_performed_s``;
``eccentric_performed_s`` is empty).

Everything derives from ``seed``: participant ``p`` (from 0), session ``k`` of the cohort is
simulated with seed ``seed * 100_000 + p * 1_000 + k``. The files are
``OUT/P01/P01_2024-01-08.parquet`` (with their truth CSVs), plus

- ``OUT/manifest.csv``: file, participant, exercise, tempo (the prescription), date: the
  manifest ``imu batch --manifest`` reads;
- ``OUT/cohort.csv``: the manifest plus the design: ``improver``, ``eccentric_performed_s``,
  ``swing_rate``, ``seed``, ``hold_performed_s``.

The recordings' own metadata carry the same participant, prescription and start time.

Simulating again into the same folder (``imu simulate-cohort --force``) first removes what the
previous cohort wrote there (:func:`remove_cohort`): the files its ``cohort.csv`` and
``manifest.csv`` list (recordings named like ``P01/P01_2024-01-08.parquet`` inside the
folder, with their truth CSVs), and the two tables. Any other file is left in place
(:func:`other_files` names them).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from imu.errors import SimulationError
from imu.sim.exercises import EXERCISE_MODELS, ExerciseModel, applicable_faults
from imu.sim.session import (
    SessionSpec,
    save_session,
    simulate_session,
    truth_path_for,
    validate_spec,
)
from imu.tempo import Tempo, parse_tempo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CohortSpec:
    """A cohort to simulate.

    Attributes:
        participants: number of participants (labels ``P01``, ``P02``...).
        weeks: weeks of training.
        exercise: simulator exercise name (any of :data:`imu.sim.exercises.EXERCISES`).
        prescribed: prescribed tempo "up-hold-down" s, stored in metadata and manifest; for a
            hold (plank) ``"1-H-1"`` with the hold ``H`` >= 5 s. None: 3-1-3, a hold 1-45-1.
        improver_share: fraction of participants who lengthen their eccentric, [0, 1].
        sessions_per_week: inclusive range of sessions a week, drawn per participant-week.
        reps: reps per set.
        sets: sets per session.
        sampling_rate_hz: simulator output rate, Hz.
        seed: seed of everything.
        start_date: Monday of the first week, ISO date (sessions start at 18:00 UTC).

    """

    participants: int = 20
    weeks: int = 6
    exercise: str = "reverse-crunch"
    prescribed: str | None = None
    improver_share: float = 0.5
    sessions_per_week: tuple[int, int] = (1, 4)
    reps: int = 6
    sets: int = 1
    sampling_rate_hz: int = 52
    seed: int = 2024
    start_date: str = "2024-01-08"


MANIFEST: Final = "manifest.csv"
COHORT: Final = "cohort.csv"
MANIFEST_COLUMNS: Final = ("file", "participant", "exercise", "tempo", "date")
"""Columns of ``manifest.csv``; ``cohort.csv`` adds :data:`DESIGN_COLUMNS`."""
DESIGN_COLUMNS: Final = ("improver", "eccentric_performed_s", "swing_rate", "seed")
"""The design columns an earlier ``cohort.csv`` is recognised by (:func:`previous_cohort`);
``cohort.csv`` has ``hold_performed_s`` too (holds only; empty for reps)."""
DEFAULT_PRESCRIBED: Final = "3-1-3"
"""Prescription of a rep exercise's cohort when none is given."""
DEFAULT_HOLD_PRESCRIBED: Final = "1-45-1"
"""Prescription of a hold's (plank's) cohort when none is given: a 45 s hold."""
MIN_HOLD_S: Final = 5.0
"""Shortest hold a hold's prescription may name (its middle number), s."""
_SWING_START, _SWING_IMPROVED, _SWING_KEPT = 0.30, 0.05, 0.25
_RECORDING_NAME: Final = re.compile(r"(P[0-9]+)/\1_[0-9]{4}-[0-9]{2}-[0-9]{2}\.parquet")
"""Relative path of a recording :func:`simulate_cohort` writes (``P01/P01_2024-01-08.parquet``)."""

_DAYS = (0, 2, 4, 5)
"""Weekday of the 1st..4th session of a week (Mon, Wed, Fri, Sat)."""


def cohort_design(spec: CohortSpec) -> tuple[ExerciseModel, Tempo]:
    """Check ``spec`` before anything is written; returns the exercise model and prescription.

    Every exercise of the simulator can be simulated as a cohort: only what applies to it is
    drawn (swing where it has a swing fault; a hold instead of a tempo for the plank).

    Raises:
        SimulationError: a bad spec (no participants or weeks, a negative seed, a bad range,
            an unknown exercise, a bad prescription, a rate the sensor does not have); the
            message names the value and what to give instead.

    """
    if spec.participants < 1 or spec.weeks < 1:
        raise SimulationError(
            f"cohort needs >= 1 participant and week, got {spec.participants} and {spec.weeks}"
        )
    if spec.seed < 0:
        raise SimulationError(f"seed {spec.seed} must be a whole number >= 0 (e.g. 0, 2024)")
    low, high = spec.sessions_per_week
    if not 1 <= low <= high <= len(_DAYS):
        raise SimulationError(
            f"sessions_per_week {spec.sessions_per_week} must lie within 1..{len(_DAYS)}"
        )
    model = EXERCISE_MODELS.get(spec.exercise)
    if model is None:
        raise SimulationError(f"unknown exercise {spec.exercise!r}; the simulator makes "
                              f"{', '.join(EXERCISE_MODELS)}")
    default = DEFAULT_HOLD_PRESCRIBED if model.hold else DEFAULT_PRESCRIBED
    prescribed = parse_tempo(spec.prescribed or default)
    if model.hold and prescribed.top_hold_s < MIN_HOLD_S:
        raise SimulationError(
            f"{model.name} is a hold: the middle number of the prescription is how long to "
            f"hold (e.g. {DEFAULT_HOLD_PRESCRIBED} for 45 s); {prescribed} prescribes "
            f"{prescribed.top_hold_s:g} s, shorter than the {MIN_HOLD_S:g} s a hold may be"
        )
    # The longest session the cohort can draw (the improvers' last week) must simulate.
    longest = _performed(model, prescribed, 3.2 if not model.hold else 1.07)
    validate_spec(_session_spec(spec, model, longest, _SWING_START, seed=spec.seed * 100_000))
    return model, prescribed


def _performed(model: ExerciseModel, prescribed: Tempo, value: float) -> float:
    """The performed eccentric, s; for a hold, the hold performed, s.

    ``value`` is the eccentric (s), or for a hold its share of the prescribed hold; a hold is
    at least :data:`MIN_HOLD_S`.
    """
    if model.hold:
        return max(MIN_HOLD_S, value * prescribed.top_hold_s)
    return value


def _session_spec(
    spec: CohortSpec, model: ExerciseModel, performed: float, swing: float, seed: int
) -> SessionSpec:
    """One session of the cohort: ``performed`` is the eccentric (s), or a hold's length."""
    if model.hold:
        return SessionSpec(spec.exercise, reps=spec.reps, sets=spec.sets, rest_s=30.0,
                           sampling_rate_hz=spec.sampling_rate_hz, seed=seed,
                           hold_s=round(performed, 1))
    prescribed = parse_tempo(spec.prescribed or DEFAULT_PRESCRIBED)
    tempo = parse_tempo(f"{prescribed.concentric_s:g}-{prescribed.top_hold_s:g}-{performed:.2f}")
    faults = {"swing": swing} if "swing" in applicable_faults(model, tempo) else {}
    return SessionSpec(spec.exercise, tempo=tempo, reps=spec.reps, sets=spec.sets,
                       rest_s=30.0, sampling_rate_hz=spec.sampling_rate_hz, seed=seed,
                       faults=faults)


def simulate_cohort(
    spec: CohortSpec,
    out_dir: str | Path,
    on_participant: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Simulate every session of the cohort into ``out_dir``; returns the cohort table.

    ``on_participant(done, participants)`` is called after each participant's sessions are
    written (progress display).

    Returns:
        One row per session: file (relative to ``out_dir``), participant, exercise, tempo,
        date (ISO 8601 UTC), improver, eccentric_performed_s (NaN for a hold), swing_rate
        (NaN where swing does not apply), seed, hold_performed_s (NaN but for a hold).

    Raises:
        SimulationError: a bad spec (:func:`cohort_design`), checked before anything is
            written.

    """
    model, prescribed = cohort_design(spec)
    swings = "swing" in model.faults
    low, high = spec.sessions_per_week
    out = Path(out_dir)
    rng = np.random.default_rng(spec.seed)
    start = datetime.fromisoformat(spec.start_date).replace(hour=18, tzinfo=UTC)
    n_improvers = round(spec.improver_share * spec.participants)
    improvers = set(rng.choice(spec.participants, n_improvers, replace=False).tolist())
    # Reps: the eccentric, s; holds: the share of the prescribed hold.
    first, last = ((0.4, 0.6), (0.93, 1.07)) if model.hold else ((1.2, 1.8), (2.8, 3.2))
    nan = float("nan")
    rows: list[dict[str, object]] = []
    for p in range(spec.participants):
        label = f"P{p + 1:02d}"
        improver = p in improvers
        value_start = float(rng.uniform(*first))
        value_end = float(rng.uniform(*last)) if improver else value_start
        k = 0
        for week in range(spec.weeks):
            progress = week / max(spec.weeks - 1, 1)
            performed = _performed(
                model, prescribed, value_start + (value_end - value_start) * progress
            )
            swing = (
                _SWING_START - (_SWING_START - _SWING_IMPROVED) * progress
                if improver else _SWING_KEPT
            )
            for day in _DAYS[: int(rng.integers(low, high + 1))]:
                when = start + timedelta(days=7 * week + day)
                seed = spec.seed * 100_000 + p * 1_000 + k
                session = simulate_session(_session_spec(spec, model, performed, swing, seed))
                recording = session.recording.with_meta(
                    participant=label,
                    tempo=str(prescribed),
                    start_time_s=when.timestamp(),
                )
                rel = Path(label) / f"{label}_{when:%Y-%m-%d}.parquet"
                save_session(replace(session, recording=recording), out / rel)
                rows.append({
                    "file": rel.as_posix(),
                    "participant": label,
                    "exercise": spec.exercise,
                    "tempo": str(prescribed),
                    "date": when.isoformat().replace("+00:00", "Z"),
                    "improver": improver,
                    "eccentric_performed_s": nan if model.hold else round(performed, 2),
                    "swing_rate": round(swing, 3) if swings else nan,
                    "seed": seed,
                    "hold_performed_s": round(performed, 1) if model.hold else nan,
                })
                k += 1
        if on_participant is not None:
            on_participant(p + 1, spec.participants)
    table = pd.DataFrame(rows)
    try:
        table[list(MANIFEST_COLUMNS)].to_csv(out / MANIFEST, index=False)
        table.to_csv(out / COHORT, index=False)
    except OSError as exc:
        raise SimulationError(f"cannot write the cohort tables in {out}: {exc}") from exc
    logger.info("simulated %d sessions of %d participants into %s", len(table),
                spec.participants, out)
    return table


def _our_table(path: Path, columns: tuple[str, ...]) -> list[str] | None:
    """The ``file`` cells of a table :func:`simulate_cohort` wrote; None when it is not one.

    Not one: missing, unreadable, or without all of ``columns``.
    """
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError):  # pandas' parser errors are ValueErrors
        return None
    if not set(columns) <= {str(c) for c in table.columns}:
        return None
    return [str(f) for f in table["file"]]


def previous_cohort(out_dir: str | Path) -> list[Path]:
    """The files an earlier :func:`simulate_cohort` wrote into ``out_dir`` that still exist.

    Those its ``cohort.csv`` and ``manifest.csv`` list (only names this module writes, like
    ``P01/P01_2024-01-08.parquet``, inside ``out_dir``), their truth CSVs, and the two tables
    themselves. A table with other columns is not ours: neither it nor what it lists is
    included. Without a ``cohort.csv`` of ours (the design table only this module writes)
    nothing is: a ``manifest.csv`` alone may be a user's own, listing real recordings.
    """
    out = Path(out_dir)
    if _our_table(out / COHORT, MANIFEST_COLUMNS + DESIGN_COLUMNS) is None:
        return []
    files: dict[Path, None] = {}
    for name, columns in ((COHORT, MANIFEST_COLUMNS + DESIGN_COLUMNS),
                          (MANIFEST, MANIFEST_COLUMNS)):
        listed = _our_table(out / name, columns)
        if listed is None:
            continue
        files[out / name] = None
        for rel in listed:
            if _RECORDING_NAME.fullmatch(rel):
                files.update(dict.fromkeys((out / rel, truth_path_for(out / rel))))
    return [f for f in files if f.is_file()]


def remove_cohort(out_dir: str | Path) -> list[Path]:
    """Remove what an earlier :func:`simulate_cohort` wrote into ``out_dir``; returns it.

    The files are those of :func:`previous_cohort`; participant folders left empty are removed
    too. Nothing else is touched (:func:`other_files` names what is left).

    Raises:
        SimulationError: a file cannot be removed (the message names it).

    """
    removed = previous_cohort(out_dir)
    for path in removed:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SimulationError(
                f"cannot remove {path} of the previous cohort: {exc.strerror or exc}; remove "
                "it yourself, or choose another DIR"
            ) from exc
    for folder in dict.fromkeys(p.parent for p in removed):
        if folder != Path(out_dir):
            with contextlib.suppress(OSError):  # not empty: other files stay
                folder.rmdir()
    if removed:
        logger.info("removed %d files of the previous cohort in %s", len(removed), out_dir)
    return removed


def other_files(out_dir: str | Path, ours: Iterable[Path] = ()) -> list[Path]:
    """Files under ``out_dir`` other than ``ours``, sorted (none when it is no folder)."""
    out = Path(out_dir)
    if not out.is_dir():
        return []
    skip = {Path(p) for p in ours}
    return sorted(p for p in out.rglob("*") if p.is_file() and p not in skip)
