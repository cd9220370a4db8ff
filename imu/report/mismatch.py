"""A hint that a recording does not look like the exercise it was analysed as.

A plank analysed as reverse crunches finds no reps, and reverse crunches analysed as a plank
find no hold (or one): the numbers are then silently wrong. :func:`exercise_mismatch` looks
again only when the analysis found (almost) nothing, with the other kind of profile, and says
so in one line. It never changes the analysis: the report stays the one asked for.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from imu.errors import ImuError
from imu.exercises import PROFILES, ExerciseProfile
from imu.io.recording import Recording
from imu.report.coaching import sure_reps
from imu.report.session import SessionReport, analyze_recording
from imu.report.tables import reps_table

FEW_FOUND: Final = 1
"""A second look is taken only when the analysis found at most this many reps (or holds).

A normal session of the exercise named finds more, so it costs no second analysis; a single
plank hold is a normal plank session too, so one hold still gets the second look: a full
analysis per rep profile tried (up to eight, about 0.2-0.3 s in all for a minute's plank)."""

MIN_REP_LIKE: Final = 4
"""Reps, not uncertain ones (``count_confidence`` >= 0.5), a rep profile must find in a
"plank" for the hint that it is reps.

Getting into and out of a hold, or a sagging and a recovery in it, make one or two
rep-like movements (simulated one-hold planks with every fault: at most 1); four clear reps
are a set of an exercise, not a plank."""

MIN_HOLD_S: Final = 20.0
"""A held position this long, s, is a plank for the hint that a rep recording is a plank.

Rep exercises hold for seconds (a top squeeze, a bottom pause, a pelvic tilt's 5 s); a
plank is held 30-60 s (the domain brief), so 20 s separates them with room either side."""

MAX_ENTRY_S: Final = 10.0
"""A plank is got into in seconds (one rise, or two steps from the knees); a "get-up" longer
than this, s, is a set of reps read as one (their rest then reads as the hold)."""

MIN_HELD_SHARE: Final = 0.4
"""Held positions of :data:`MIN_HOLD_S` or more must fill this share of a recording for the
plank hint: planks are mostly holding (30-60 s holds, shorter rests), while a rest between
two sets of reps is one still stretch in a longer recording (a dead bug's 22 s rest in a
two-set session read as a hold)."""

PLANK: Final = "plank"
"""The isometric profile a rep recording is analysed with for the second look."""


def rep_profiles() -> tuple[ExerciseProfile, ...]:
    """The profiles that count reps and expect some: not a hold, not standing-strict.

    Standing-strict counts only hip drives, so no reps is normal there and proves nothing.
    """
    return tuple(p for p in PROFILES.values() if not p.isometric and not p.every_rep_is_swing)


def exercise_mismatch(
    recording: Recording, profile: ExerciseProfile, report: SessionReport
) -> str | None:
    """One line when ``recording`` looks like the other kind of exercise than ``profile``.

    - ``profile`` is a hold (plank) and ``report`` found at most :data:`FEW_FOUND` holds, or
      got into one for longer than :data:`MAX_ENTRY_S` (a set of reps read as getting into
      position), and a rep profile (each of :func:`rep_profiles` in turn, until one does)
      finds at least :data:`MIN_REP_LIKE` reps that are not uncertain: it looks like reps.
    - ``profile`` counts reps (not a hold, not standing-strict) and ``report`` found at most
      :data:`FEW_FOUND` reps it is sure of, but the plank profile finds holds of at least
      :data:`MIN_HOLD_S` seconds filling :data:`MIN_HELD_SHARE` of the recording: it looks
      like a plank. Not when the prescribed tempo itself holds half that long or more (a
      long squeeze is then what was asked for). A pelvis held still that long looks the
      same from the hip whatever the posture (a strict standing curl), hence "if it is one".

    The second analysis runs only in those cases, with the same analyzer parameters and the
    other profile's default tempo; one that fails gives no hint.

    Args:
        recording: the recording analysed.
        profile: the exercise profile it was analysed with.
        report: its analysis with ``profile`` (:func:`imu.report.session.analyze_recording`).

    Returns:
        The hint, one line without a trailing period, or None when there is nothing to say.

    """
    if profile.every_rep_is_swing:
        return None
    if profile.isometric:
        found = len(report.reps)
        entries = report.reps["concentric_s"].astype("float64")
        # A set of reps read as a plank is one long "getting into position" with the rest
        # after it as the hold: each set looks like a hold, so the number of holds found
        # says nothing; a get-up that takes minutes does.
        if found > FEW_FOUND and not (entries > MAX_ENTRY_S).any():
            return None
        for other in rep_profiles():
            rep_like = int(sure_reps(_reps_as(recording, other, report)).sum())
            if rep_like >= MIN_REP_LIKE:
                holds = "no plank hold" if found == 0 else (
                    f"{_n(found, 'plank hold')}, got into in up to {entries.max():.0f} s"
                    if found > FEW_FOUND else f"only {_n(found, 'plank hold')}")
                return (
                    f"this recording looks like reps, not holds: {rep_like} rep-like "
                    f"movements and {holds}; if it is not a plank, pass the exercise with "
                    "--exercise (e.g. reverse-crunch)"
                )
        return None
    found = int(sure_reps(report.reps).sum())  # uncertain reps are no evidence of reps
    if found > FEW_FOUND:
        return None
    if max(report.tempo.top_hold_s, report.tempo.bottom_pause_s or 0.0) >= 0.5 * MIN_HOLD_S:
        return None  # the prescription itself holds long (a pelvic-tilt drill's 2-25-2)
    plank = _reps_as(recording, PROFILES[PLANK], report)
    holds_s = plank["top_hold_s"].astype("float64")
    long_holds = int((holds_s >= MIN_HOLD_S).sum())
    if not long_holds or holds_s[holds_s >= MIN_HOLD_S].sum() < MIN_HELD_SHARE * (
        recording.duration_s
    ):
        return None
    reps = "no reps" if found == 0 else f"only {_n(found, 'clear rep')}"
    return (
        f"this recording looks like a plank: {_n(long_holds, 'held position')} of "
        f"{MIN_HOLD_S:g} s or more "
        f"and {reps}; pass --exercise plank if it is one"
    )


def _reps_as(recording: Recording, other: ExerciseProfile,
             report: SessionReport) -> pd.DataFrame:
    """The reps table of ``recording`` analysed as ``other`` (empty when that fails)."""
    try:
        return analyze_recording(recording, other, other.default_tempo, report.params).reps
    except ImuError:
        return reps_table([])


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
