"""Coaching verdicts of a session, from the rules at the end of the domain brief (DOMAIN.md).

Rules, checked in this order (the first that applies is the verdict):

1. ``no_reps``: no rep was found.
2. ``no_rotation``: the exercise should curl the pelvis (reverse crunch, hanging leg raise:
   "If the hips do not rotate, it is a leg movement") but the median ROM of the reps is under
   :data:`NO_ROTATION_ROM_DEG`.
3. ``regress``: the profile's ``regress_fault`` occurs in at least :data:`REGRESS_SHARE` of the
   reps ("Leg raises: frequent back-arch faults suggest regressing").
4. ``progress``: some set has at least the profile's ``progress_after_clean_reps`` clean reps
   (no swing, no fault) whose eccentric lasts at least :data:`PROGRESS_ECCENTRIC_S` minus
   :data:`PROGRESS_ECCENTRIC_TOLERANCE_S` ("about 15 clean reps with a 3 s eccentric suggests
   progressing").
5. ``none``: nothing to change; for exercises with a progression bar the text says where the
   best set stands against it ("your best set had 6 clean reps with a 3 s descent").

Verdicts describe movement only; they never diagnose pain or injury (see :data:`DISCLAIMER`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from imu.exercises import ExerciseProfile

logger = logging.getLogger(__name__)

VerdictKind = Literal["no_reps", "no_rotation", "regress", "progress", "none"]

PROGRESS_ECCENTRIC_S: Final = 3.0
"""The descent that counts towards progression ("a 3-second descent"), s."""

PROGRESS_ECCENTRIC_TOLERANCE_S: Final = 0.25
"""Measurement slack on :data:`PROGRESS_ECCENTRIC_S`: phase edges are found at 10% of the
peak velocity, so a true 3 s descent measures within a few tenths of 3 s, s."""

REGRESS_SHARE: Final = 0.30
"""Share of reps with the profile's regress fault that suggests an easier variant."""

NO_ROTATION_ROM_DEG: Final = 10.0
"""Median ROM under which a pelvic-curl exercise was a leg movement, degrees."""


DISCLAIMER: Final = (
    "This analysis describes movement only and never diagnoses pain or injury; "
    "stop and seek advice if an exercise hurts."
)


@dataclass(frozen=True)
class Verdict:
    """A coaching verdict: its kind (for programs) and its text (for people)."""

    kind: VerdictKind
    text: str


def curls_pelvis(profile: ExerciseProfile) -> bool:
    """Whether a good rep of this exercise curls the pelvis (tens of degrees)."""
    return profile.curls_pelvis


def progress_reps(reps: pd.DataFrame) -> pd.Series:
    """Per set: clean reps whose eccentric is a 3 s descent (within the tolerance).

    Args:
        reps: the reps table (:data:`imu.report.tables.REPS_COLUMNS`).

    Returns:
        Integer counts indexed by set number.

    """
    slow = reps["eccentric_s"] >= PROGRESS_ECCENTRIC_S - PROGRESS_ECCENTRIC_TOLERANCE_S
    good = (reps["clean"] & slow).astype("int64")
    return good.groupby(reps["set"]).sum()


def session_verdict(reps: pd.DataFrame, profile: ExerciseProfile) -> Verdict:
    """The verdict of one session (rules in the module docstring).

    Args:
        reps: the reps table of the session.
        profile: the exercise profile (its ``progress_after_clean_reps``, ``regress_fault``
            and advice texts).

    """
    if reps.empty:
        if profile.every_rep_is_swing:
            return Verdict("no_reps", "No hip drive found: the pelvis stayed still.")
        text = (
            f"No reps found: the pelvis did not rotate the {profile.min_rom_deg:g}° at "
            f"{profile.min_velocity_dps:g}°/s or more that count as a "
            f"{profile.title.lower()} rep."
        )
        if curls_pelvis(profile):
            text += " If you did reps, curl the pelvis (tailbone to the ribs), not only the legs."
        return Verdict("no_reps", text)
    rom_median = float(reps["rom_deg"].median())
    if curls_pelvis(profile) and rom_median < NO_ROTATION_ROM_DEG:
        return Verdict(
            "no_rotation",
            f"No pelvic rotation: median {rom_median:.0f}° (under {NO_ROTATION_ROM_DEG:g}°), so "
            "the hips hardly curled and the move was a leg movement. Curl the tailbone off the "
            "floor towards the ribs.",
        )
    fault = profile.regress_fault
    if fault is not None and fault in reps.columns:
        share = float(reps[fault].mean())
        if share >= REGRESS_SHARE:
            return Verdict(
                "regress",
                f"{fault.replace('_', ' ').capitalize()} in {share:.0%} of reps. "
                f"{profile.advice_regress}".strip(),
            )
    needed = profile.progress_after_clean_reps
    if needed is not None:
        per_set = progress_reps(reps)
        best = int(per_set.max()) if len(per_set) else 0
        if best >= needed:
            best_set = int(per_set.index[int(np.argmax(per_set.to_numpy()))])
            return Verdict(
                "progress",
                f"Set {best_set}: {best} clean reps with a "
                f"{PROGRESS_ECCENTRIC_S:g} s descent (the bar is {needed}). "
                f"{profile.advice_progress}".strip(),
            )
        return Verdict(
            "none",
            f"Keep this variant for now: your best set had {best} clean "
            f"rep{'' if best == 1 else 's'} with a {PROGRESS_ECCENTRIC_S:g} s descent; about "
            f"{needed} suggest progressing to a harder variant.",
        )
    return Verdict("none", "Keep this variant: no progression or regression suggested.")
