"""Simulated cohorts for research workflows: many participants training over several weeks.

Each participant trains one exercise with one prescription (default reverse crunch, 3-1-3)
for ``weeks`` weeks, 1-4 sessions a week (drawn). What they *perform* differs from what is
prescribed: everyone starts by dropping the eccentric (1.2-1.8 s instead of 3 s); the
*improvers* lengthen it linearly to 2.8-3.2 s by the last week and swing less (30% -> 5% of
reps), the others keep their start tempo and a 25% swing rate. Sessions are short (``sets`` x
``reps`` at ``sampling_rate_hz``) so that a cohort simulates in seconds.

Everything derives from ``seed``: participant ``p`` (from 0), session ``k`` of the cohort is
simulated with seed ``seed * 100_000 + p * 1_000 + k``. The files are
``OUT/P01/P01_2024-01-08.parquet`` (with their truth CSVs), plus

- ``OUT/manifest.csv``: file, participant, exercise, tempo (the prescription), date: the
  manifest ``imu batch --manifest`` reads;
- ``OUT/cohort.csv``: the manifest plus the design: ``improver``, ``eccentric_performed_s``,
  ``swing_rate``, ``seed``.

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
from imu.sim.session import SessionSpec, save_session, simulate_session, truth_path_for
from imu.tempo import parse_tempo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CohortSpec:
    """A cohort to simulate.

    Attributes:
        participants: number of participants (labels ``P01``, ``P02``...).
        weeks: weeks of training.
        exercise: simulator exercise name.
        prescribed: prescribed tempo "up-hold-down" s, stored in metadata and manifest.
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
    prescribed: str = "3-1-3"
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
_RECORDING_NAME: Final = re.compile(r"(P[0-9]+)/\1_[0-9]{4}-[0-9]{2}-[0-9]{2}\.parquet")
"""Relative path of a recording :func:`simulate_cohort` writes (``P01/P01_2024-01-08.parquet``)."""

_DAYS = (0, 2, 4, 5)
"""Weekday of the 1st..4th session of a week (Mon, Wed, Fri, Sat)."""


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
        date (ISO 8601 UTC), improver, eccentric_performed_s, swing_rate, seed.

    Raises:
        SimulationError: a bad spec (no participants or weeks, bad tempo, bad range).

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
    prescribed = parse_tempo(spec.prescribed)
    out = Path(out_dir)
    rng = np.random.default_rng(spec.seed)
    start = datetime.fromisoformat(spec.start_date).replace(hour=18, tzinfo=UTC)
    n_improvers = round(spec.improver_share * spec.participants)
    improvers = set(rng.choice(spec.participants, n_improvers, replace=False).tolist())
    rows: list[dict[str, object]] = []
    for p in range(spec.participants):
        label = f"P{p + 1:02d}"
        improver = p in improvers
        ecc_start = float(rng.uniform(1.2, 1.8))
        ecc_end = float(rng.uniform(2.8, 3.2)) if improver else ecc_start
        k = 0
        for week in range(spec.weeks):
            progress = week / max(spec.weeks - 1, 1)
            ecc = ecc_start + (ecc_end - ecc_start) * progress
            swing = 0.30 - 0.25 * progress if improver else 0.25
            for day in _DAYS[: int(rng.integers(low, high + 1))]:
                when = start + timedelta(days=7 * week + day)
                seed = spec.seed * 100_000 + p * 1_000 + k
                performed = parse_tempo(
                    f"{prescribed.concentric_s:g}-{prescribed.top_hold_s:g}-{ecc:.2f}"
                )
                session = simulate_session(
                    SessionSpec(
                        spec.exercise,
                        tempo=performed,
                        reps=spec.reps,
                        sets=spec.sets,
                        rest_s=30.0,
                        sampling_rate_hz=spec.sampling_rate_hz,
                        seed=seed,
                        faults={"swing": swing},
                    )
                )
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
                    "eccentric_performed_s": round(ecc, 2),
                    "swing_rate": round(swing, 3),
                    "seed": seed,
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
