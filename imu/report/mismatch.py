"""A hint that a recording does not look like the exercise it was analysed as.

A plank analysed as reverse crunches finds no reps, and reverse crunches analysed as a plank
find no hold (or one): the numbers are then silently wrong. :func:`exercise_mismatch` looks
again only when the analysis found (almost) nothing, with the other kind of profile, and says
so in one line. Reverse crunches analysed as a standing strict lift are the other way round:
every rep is found, as a "hip drive"; what gives them away is the shape of those hip drives
(:func:`not_hip_drives`: tens of degrees, held and lowered over seconds, as a controlled rep).
Reps found in plenty can be wrong too: walking or running rocks the pelvis once a step, and a
rep profile counts every step as a quick rep (a 2-minute walk analysed as a pelvic-tilt drill:
215 "reps" of 0.5 s). :func:`steady_fast_rhythm` notices reps far shorter than the prescribed
tempo, shorter than any rep of these exercises, one after another in a steady beat. The
analyzer itself leaves a walk before the exercise out (:mod:`imu.core.locomotion`), so a
recording that is only a walk finds no reps: :func:`walking_note` says it was walking rather
than "no reps found".
It never changes the analysis: the report stays the one asked for.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from imu.core.locomotion import walking_samples
from imu.errors import ImuError
from imu.exercises import PROFILES, ExerciseProfile
from imu.io.recording import Recording
from imu.report.coaching import sure_reps
from imu.report.session import SessionReport, analyze_recording
from imu.report.tables import judged, reps_table

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

CONTROLLED_REP_S: Final = 4.0
"""A standing strict lift's "hip drive" lasting this long, s (from its onset to the end of its
return, the reps table's ``ecc_end_s - start_s``), is a rep done under control, not a hip
drive.

A hip drive is a burst of the pelvis out and back while the arms lift: the simulated standing
curls' hip drives take 0.84-1.02 s (median per session, seeds 0-19, tempos 2-0-2 to 4-1-4),
the real hip-thrown curl sets of the WLE belt data (class E) 1.9-2.7 s. A reverse crunch or a
hanging leg raise curls the pelvis up, holds and lowers it: 5 s a rep at the default 2-1-2,
7 s at 3-1-3 (simulated, seeds 0-2; the bundled reverse crunch 5.7 s). Such reps done at
1-0-1 (2 s) look like hip drives from the hip, and get no hint."""

CONTROLLED_ROM_DEG: Final = 20.0
"""...and turning the pelvis this far, deg ("tens of degrees", the curl of a reverse crunch:
30-60 deg), not a standing person's slow weight shift. Hip drives turn it 11-15 deg
(simulated standing curls) and 18-30 deg (WLE class E); the reverse hip raise's 15-30 deg."""

CONTROLLED_SHARE: Final = 0.5
"""The share of a strict lift's hip drives (not over a data gap) that must look controlled
(:data:`CONTROLLED_REP_S`, :data:`CONTROLLED_ROM_DEG`), and at least :data:`MIN_REP_LIKE` of
them: regular reps, not one slow movement among hip drives."""

FAST_SHARE: Final = 0.25
"""Reps whose median duration (onset to the end of the lowering) is at most this share of the
prescribed rep (concentric + top hold + eccentric) are "far faster than prescribed".

Simulated sets of every rep exercise (seeds 0-2, 12 reps x 2 sets, clean and with swing and
dropped-eccentric faults at 70%) at 1-0-1, 1-0-1-0, 2-1-2 and 3-1-3 last 0.72-1.1 of the
tempo they were done at (the fastest: swings and dropped eccentrics at 1-0-1); the bundled
recordings 0.8-1.1. Done at 1-0-1 but analysed at a profile's default tempo (no --tempo)
they reach 0.21 (pelvic tilts against the default 2-5-2), which the next limit keeps apart."""

FAST_REP_S: Final = 1.2
"""...and lasting at most this long, s: no rep of these floor and hanging exercises is that
quick, while a gait's is. The simulated sets above: medians 1.48 s or more (hanging leg
raises with swings at 1-0-1-0), most 1.9-2.0 s at 1-0-1; the real hip-thrown curls of the
WLE belt data 1.9-2.7 s. Walking rocks the pelvis once a step, 0.45-0.75 s (80-130 steps a
minute), running once every 0.3-0.4 s; an alternating profile (dead bug, bird-dog) joins two
steps into one "rep", about 1.1 s (the trial's 2-minute walk: 0.54 s as a pelvic-tilt drill,
1.09 s as a dead bug). Sets done at a prescribed 0.5-0-0.5 are this quick too, but then last
about their prescription and never get the note; without --tempo they do, and the note says
to give the tempo if the reps were meant."""

STEADY_SPREAD: Final = 0.2
"""A steady beat: the interquartile range of the intervals between consecutive rep onsets
(within a set) at most this share of their median. Gait repeats within a few percent (the
trial's walk: 0.7%); a set of quick reps done by hand varies more (simulated sets at 1-0-1:
4-50%), but is ruled out by :data:`FAST_REP_S` anyway."""

MIN_RHYTHM_REPS: Final = 10
"""Reps (sure of, not over a gap) needed before a rhythm is judged: a set's worth."""

MIN_SET_ASIDE: Final = 4
"""Movements set aside as too small against the session's reps (fidgets, shifts in a rest)
that get the note that they may be another exercise's reps. Simulated sessions set aside 0-1
(tuning seeds 0-29 of every case), the second generator's 0-2 (900000-900009); eight pelvic
tilts after two sets of reverse crunches in one recording, 8 (10-16 deg against 54)."""

MIN_WALK_S: Final = 20.0
"""Seconds of walking (:class:`imu.core.locomotion.WalkWatcher`) for the note that a recording
with (almost) no reps was a walk: a third of a minute in a steady step beat, more than the few
steps to the mat before a set."""

GENERIC: Final = "generic"
"""The profile of any repeated rotation: a steady quick beat is one too."""

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

    - ``profile`` is a standing strict lift (every rep is a hip drive) and its "hip drives"
      look like controlled reps (:func:`not_hip_drives`): no second analysis is needed.
    - ``profile`` counts reps (not a hold, not standing-strict) and the reps found are far
      faster than the prescription, quicker than any rep of the exercise, in a steady beat
      (:func:`steady_fast_rhythm`: walking or running): no second analysis is needed.

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
        return not_hip_drives(report.reps)
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
    rhythm = steady_fast_rhythm(report)
    if rhythm:
        return rhythm
    found = int(sure_reps(report.reps).sum())  # uncertain reps are no evidence of reps
    if found > FEW_FOUND:
        return None
    walk = walking_note(recording, found, report.walked_s if report.reps.empty else None)
    if walk:
        return walk
    if max(report.tempo.top_hold_s, report.tempo.bottom_pause_s or 0.0) >= 0.5 * MIN_HOLD_S:
        return None  # the prescription itself holds long (a pelvic-tilt drill's 2-25-2)
    plank = _reps_as(recording, PROFILES[PLANK], report)
    # A hold over a data gap is no evidence of holding still: a lost sensor's samples hold
    # their last value, which reads as a held position as long as the loss.
    holds_s = plank.loc[~plank["in_gap"].astype(bool), "top_hold_s"].astype("float64")
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


def not_hip_drives(reps: pd.DataFrame) -> str | None:
    """The hint that a standing strict lift's "hip drives" are controlled reps, or None.

    At least :data:`MIN_REP_LIKE` of them, and :data:`CONTROLLED_SHARE` of those not over a
    data gap (their durations are unknown), turn the pelvis :data:`CONTROLLED_ROM_DEG` or
    more over :data:`CONTROLLED_REP_S` or more, regular reps held and lowered, as a reverse
    crunch's are: a hip drive is a quick burst out and back. Uncertain ones count too: what
    is in doubt is whether each is a hip drive, which this says they are not.

    Args:
        reps: the reps table of a recording analysed as a standing strict lift.

    Returns:
        The hint, one line without a trailing period, or None.

    """
    measured = reps[judged(reps)]
    if len(measured) < MIN_REP_LIKE:
        return None
    # Each movement's duration, onset to the end of its return: not ``tut_s``, which a strict
    # lift's reps table leaves missing (a hip drive puts nothing under tension).
    tut = (measured["ecc_end_s"].to_numpy(dtype="float64")
           - measured["start_s"].to_numpy(dtype="float64"))
    rom = measured["rom_deg"].to_numpy(dtype="float64")
    controlled = (tut >= CONTROLLED_REP_S) & (rom >= CONTROLLED_ROM_DEG)
    n = int(controlled.sum())
    if n < MIN_REP_LIKE or n < CONTROLLED_SHARE * len(measured):
        return None
    return (
        f"this recording looks like reps, not hip drives: {n} of the {len(measured)} "
        f"pelvic movements found turn the pelvis {CONTROLLED_ROM_DEG:g}° or more over "
        f"{CONTROLLED_REP_S:g} s or more (typically {np.median(rom[controlled]):.0f}° over "
        f"{np.median(tut[controlled]):.0f} s), as a controlled rep does, where a hip drive is "
        "a quick burst out and back; if it is not a standing strict lift, pass the exercise "
        "with --exercise (e.g. reverse-crunch)"
    )


def steady_fast_rhythm(report: SessionReport) -> str | None:
    """The hint that a rep recording's reps are a steady gait-like beat, or None.

    At least :data:`MIN_RHYTHM_REPS` reps the analysis is sure of, not over a data gap,
    whose median duration (onset to the end of the lowering, s) is at most
    :data:`FAST_SHARE` of the prescribed rep and at most :data:`FAST_REP_S`, following each
    other (median interval between onsets within a set at most twice that duration) in a
    steady beat (:data:`STEADY_SPREAD`). Standing strict lifts count quick bursts by design,
    holds have no reps and ``generic`` takes any repeated rotation: none is judged here.

    Args:
        report: a recording's analysis (its reps table, tempo and profile).

    Returns:
        The hint, one line without a trailing period, or None.

    """
    profile, tempo = report.profile, report.tempo
    if profile.isometric or profile.every_rep_is_swing or profile.name == GENERIC:
        return None
    reps = report.reps[sure_reps(report.reps) & judged(report.reps)]
    if len(reps) < MIN_RHYTHM_REPS:
        return None
    prescribed_s = tempo.concentric_s + tempo.top_hold_s + tempo.eccentric_s
    rep_s = float(np.median(reps["ecc_end_s"].to_numpy(dtype="float64")
                            - reps["start_s"].to_numpy(dtype="float64")))
    if not (rep_s <= FAST_SHARE * prescribed_s and rep_s <= FAST_REP_S):
        return None
    intervals = np.concatenate([
        np.diff(group["start_s"].to_numpy(dtype="float64"))
        for _, group in reps.groupby("set", sort=False)
    ])
    if len(intervals) < MIN_RHYTHM_REPS - 1:
        return None
    q1, beat_s, q3 = np.percentile(intervals, [25, 50, 75])
    if not (beat_s <= 2.0 * rep_s and q3 - q1 <= STEADY_SPREAD * beat_s):
        return None
    return (
        f"the {len(reps)} reps are far faster than prescribed: {rep_s:.1f} s each (median) "
        f"against {prescribed_s:g} s ({tempo}), one every {beat_s:.2f} s in a steady beat, "
        f"as walking or running rocks the pelvis; was this the {profile.title.lower()}? If not, "
        "pass the exercise with --exercise; if the reps were meant this quick, give their "
        "tempo with --tempo"
    )


def set_aside_note(report: SessionReport) -> str | None:
    """The hint that many movements not counted as reps may be reps of another exercise.

    A rep smaller than a fifth of the session's reps, or under 30% of them after a pause, is
    a fidget and not counted (:meth:`imu.core.RepAnalyzer._is_fidget`). Pelvic tilts done
    after reverse crunches in one recording were all set aside that way, and the report said
    "16 reps" with nothing about them. At least :data:`MIN_SET_ASIDE` such movements get
    this note, with where they were and the option that analyses them on their own.

    Args:
        report: a recording's analysis (its set-aside movements and reps).

    Returns:
        The hint, one line without a trailing period, or None.

    """
    aside = report.set_aside
    if len(aside) < MIN_SET_ASIDE or report.profile.isometric:
        return None
    starts = [start for start, _ in aside]
    roms = [rom for _, rom in aside]
    unit = "hip drive" if report.profile.every_rep_is_swing else "rep"
    size = (f"median {np.median(report.reps['rom_deg']):.0f}°" if len(report.reps)
            else "none")
    return (
        f"{len(aside)} smaller movements ({min(roms):.0f}-{max(roms):.0f}°, from "
        f"{min(starts):.0f} to {max(starts):.0f} s) were not counted: each under a fifth, "
        f"or after a pause under 30%, of this session's {unit}s ({size}). If they were reps "
        "of another exercise, analyse that part on its own "
        f"(imu analyze FILE --from {max(min(starts) - 2.0, report.first_sample_s):.0f} "
        "--exercise E --out DIR, E its exercise)"
    )


def walking_note(recording: Recording, found: int,
                 walked_s: float | None = None) -> str | None:
    """The hint that a recording with (almost) no reps is a walk, or None.

    The analyzer leaves walking before the exercise out (it would learn the movement's axis
    from the steps), so a 2-minute walk analysed as any rep exercise finds no reps, and "no
    reps found: the pelvis did not rotate ..." would be wrong about the pelvis. At least
    :data:`MIN_WALK_S` of steps in a steady beat (:class:`imu.core.locomotion.WalkWatcher`
    over the whole recording) get this note instead.

    Args:
        recording: the recording analysed (acc m/s^2, gyro rad/s, NaN where missing).
        found: the reps the analysis is sure of.
        walked_s: the walking the analysis already measured, s
            (:attr:`imu.report.session.SessionReport.walked_s`, read when no rep was found);
            None: measured here.

    Returns:
        The hint, one line without a trailing period, or None.

    """
    if len(recording.acc) == 0:
        return None
    fs = recording.sampling_rate_hz
    walking_s = (float(walking_samples(recording.acc, recording.gyr, fs).sum() / fs)
                 if walked_s is None else walked_s)
    if walking_s < MIN_WALK_S:
        return None
    reps = "no reps" if found == 0 else f"only {_n(found, 'clear rep')}"
    return (
        f"this recording looks like walking: {walking_s:.0f} s of steps in a steady beat and "
        f"{reps}; a walk is not analysed as reps (it is left out before the exercise "
        "starts). If you did reps, check that they were recorded"
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
