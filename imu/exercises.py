"""Exercise profiles as data: the one place that says what each exercise looks like at the hip.

Every profile and threshold is traceable to the domain brief (``DOMAIN.md``, quoted in each
``source``). The analyzer (:mod:`imu.core`) reads these fields and nothing else about an
exercise; the simulator (:mod:`imu.sim`) has its own kinematic models and does not read them,
so ground truth does not come from the analysis' own assumptions.

Angles are degrees and durations seconds here because these are the numbers coaches write;
the analyzer converts them at its boundary.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from imu.errors import ImuError
from imu.tempo import Tempo

Posture = Literal["supine", "prone", "all-fours", "upright"]

FAULTS: Final = (
    "dropped_eccentric",
    "back_arch",
    "hips_rotating",
    "over_extension",
    "partial_rom",
    "short_hold",
    "body_swing",
    "hips_sagging",
    "hips_piking",
    "shaking",
)
"""Every fault the analyzer knows. ``swing`` is reported separately (it has a score)."""

FAULT_WORDS: Final[dict[str, str]] = {
    "swing": "swing",
    "dropped_eccentric": "dropped descent",
    "back_arch": "back arch",
    "hips_rotating": "hips rotating",
    "over_extension": "over-extension",
    "partial_rom": "partial range",
    "short_hold": "short hold",
    "body_swing": "body swing",
    "hips_sagging": "hips sagging",
    "hips_piking": "hips piking",
    "shaking": "shaking",
}
"""Plain words for swing and each fault: the one vocabulary of the live screen, the terminal
and the report (the tables keep the column names)."""


def fault_words(names: Sequence[str]) -> str:
    """Faults in plain words, comma separated (unknown names as they are, ``_`` as blanks)."""
    return ", ".join(FAULT_WORDS.get(n, n.replace("_", " ")) for n in names)


@dataclass(frozen=True)
class FaultThresholds:
    """Thresholds of the label definitions (DOMAIN.md, "Definitions that decide every label").

    Each label is a threshold on one measured quantity, reported beside it in the reps table
    (``docs/analysis.md`` gives the definitions). Units are in the names.

    Attributes:
        early_peak_fraction: swing feature *early peak*: the concentric velocity peaks
            before this fraction of the concentric (``peak_time_fraction``).
        fast_ratio: swing feature *fast*: the concentric lasts under this fraction of the
            prescribed one (``concentric_ratio``).
        windup_deg: swing feature *wind-up*: a rotation against the concentric of at least
            this many degrees (``windup_deg``) ...
        windup_window_s: ... ending less than this long before the concentric starts, s.
        windup_lookback_s: the counter-movement is looked for this far back at most, s.
        swing_min_features: a rep is a swing when at least this many features hold.
        dropped_eccentric_ratio: eccentric under this fraction of the prescribed one
            (``eccentric_ratio``).
        short_hold_ratio: top hold under this fraction of the prescribed hold, for
            prescriptions of ``short_hold_min_prescribed_s`` or more (``top_hold_ratio``).
        short_hold_min_prescribed_s: shorter prescribed holds are never judged, s.
        partial_rom_ratio: ROM under this fraction of the reference ROM (``rom_ratio``): the
            median ROM of the previous ``reference_reps`` reps of the session that were not
            partial. The first rep has no reference.
        over_extension_ratio: ROM above this multiple of the same reference.
        reference_reps: reps the ROM reference is taken over.
        back_arch_deg: anterior tilt beyond the level at the rep's onset, reached during the
            rep, degrees (``arch_deg``).
        hips_rotating_deg: peak-to-peak rotation about the body's long axis during the rep,
            degrees (``rotation_deg``).
        body_swing_deg: peak-to-peak pendulum angle in the ``body_swing_window_s`` before the
            rep, degrees (``body_swing_deg``).
        body_swing_window_s: that window, s.
        hip_drift_deg: plank sagging (below) or piking (above), degrees of tilt drift from
            the start of the hold (``drift_deg``).
        shaking_dps: plank shaking, RMS angular velocity about its mean over the hold, deg/s
            (``shaking_dps``).

    """

    early_peak_fraction: float = 0.35
    fast_ratio: float = 0.5
    windup_deg: float = 3.0
    windup_window_s: float = 0.5
    windup_lookback_s: float = 2.0
    swing_min_features: int = 2
    dropped_eccentric_ratio: float = 0.5
    short_hold_ratio: float = 0.5
    short_hold_min_prescribed_s: float = 1.0
    partial_rom_ratio: float = 0.6
    over_extension_ratio: float = 1.3
    reference_reps: int = 10
    back_arch_deg: float = 5.0
    hips_rotating_deg: float = 5.0
    body_swing_deg: float = 5.0
    body_swing_window_s: float = 3.0
    hip_drift_deg: float = 5.0
    shaking_dps: float = 6.0


MISSED_REP_GAP_RATIO = 1.6
"""``missed_rep_gap_ratio`` of the braced exercises (leg raise, dead bug, bird-dog). A missed
rep in the middle of a set leaves a pause of about two of the set's intervals; a person's
own rhythm varies far less. Tuning seeds 0-99 (streamed, 300 sessions): of the pauses that
held a missed rep from a set's third rep on, 10 of 11 were over 1.6 intervals (7 of 8
bird-dog, 2 of dead bug, 1 of leg raise), and none of the other 3,730 (1.5: 7 others; 1.8: a
dead-bug and the leg-raise miss lost). Off for the hanging leg raise, whose sets pause as the
swing dies away (12-21 of 1,000 intervals over 1.6 with no rep missed), and where the pelvis
moves through the rep and misses are rare (crunch, hip raise: 2 of 1,200 intervals each over
1.6, for one missed rep in all)."""


HANGING_MIN_ROM_DEG = 5.0
"""The hanging leg raise's ``min_rom_deg``, degrees (its ``confident_rom_deg`` stays 6). Hanging,
the trunk is free about the bar: as the legs rise, it leans back so that the body's centre of
mass stays under the hands (a leg link of a third of the mass raised 90 deg leans it by about
10 deg), and the pelvis, which turns with the trunk plus the curl, shows less than the curl. On
the second generator, which integrates that balance (seeds 840000-840019, chosen; 850000-850019,
checked: 80 sessions of each hanging case, streamed), 5 deg instead of 6 found 40 of the 159
reps missed there (119), for 4 extra reps more (10 -> 14, none of them sure), and set counts
exact 56% -> 58%; 4.5 deg found 4 more for 4 more extra reps, and counting the 5-6 deg reps
as sure made the body's swing after a fast set count as sure reps. On the simulator's tuning
seeds 0-99 (200 hanging sessions) no count changed."""


@dataclass(frozen=True)
class ExerciseProfile:
    """What an exercise looks like at the pelvis.

    Attributes:
        name: CLI name, e.g. ``reverse-crunch``.
        title: human-readable name.
        posture: body position during the reps (which pelvis axis is up).
        default_tempo: prescription used when the user gives none.
        min_rom_deg: smallest pelvic rotation that counts as a rep, degrees.
        confident_rom_deg: the rotation from which a rep's ``count_confidence`` rises (0 at
            it, full at three times it), degrees; 0 (the default) is ``min_rom_deg``. Set
            above ``min_rom_deg`` where reps smaller than the usual smallest one are counted
            but reported uncertain (:attr:`confidence_base_deg`).
        min_velocity_dps: smallest peak angular velocity of a movement phase, deg/s.
        lock_rotation_deg: total pelvic rotation to observe before the movement axis and its
            sign are fixed for the session, degrees; about two typical reps, so that one
            faulty first rep cannot flip the sign. Reps before the lock are reported at it.
        alternating: the sides alternate rep by rep (dead bug, bird-dog).
        join_split_reps: a limb cycle can move the braced pelvis twice (out and back): two
            short reps close together, on the same side, are one rep
            (:class:`imu.core.segmentation.SplitRepJoiner`).
        isometric: the exercise is a hold, reported as hold time (plank).
        every_rep_is_swing: any pelvic rep is momentum (standing strict lifts: the pelvis
            should not move at all, so a pelvic rep *is* hip drive).
        sign_from_gravity: the concentric direction (and, for alternating exercises, the axis)
            is read from gravity's direction in the sensor, which follows the pelvis without
            drift when the body lies, kneels or hangs (hanging: the curl, not the body's swing
            about the bar). Standing, the pelvis also translates: the integrated gyro decides.
        judges_swing: the swing definition applies (momentum is a fault of this exercise).
        reject_below_rest: a rep must rise from the rest level (the onset of the previous
            rep): a movement coming back from well below it is the recovery from a back arch
            or the return half of a swing, not a rep. For exercises whose faults take the
            pelvis below rest (back arch).
        reject_pendulum: a rise that the accelerometer's inclination turns against is a
            whole-body pendulum swing, not a pelvic curl (hanging: the pelvis moves on a
            circle about the bar, so gravity's direction in the sensor hardly changes), and
            one it barely follows must be about as large as the session's reps (a fast raise
            swings the trunk back and tilts the accelerometer's reading:
            :data:`imu.core.analyzer.DOUBTED_ROM_RATIO`).
        subtract_pendulum: hanging: the whole-body swing about the bar, read as the gyro rate
            the accelerometer's inclination does not follow, is taken out of the pelvic rate
            before reps are found and measured, and ``body_swing_deg`` is the swing's own
            peak-to-peak angle (:mod:`imu.core.pendulum`).
        min_rom_ratio: a movement smaller than this share of the session's ROM reference (the
            median ROM of the previous reps that were not partial, as for ``partial_rom``) is
            not a rep but a fidget or a shift of position, and is not reported; 0 turns it off.
            The relative floor beside the absolute ``min_rom_deg``; the first reps have no
            reference.
        alone_rom_ratio: a movement smaller than this share of the ROM reference that starts
            more than ``alone_after_s`` after the previous rep ended (in a rest, not at the
            set's cadence) is a shift of position, not a rep; 0 turns it off.
        alone_after_s: see ``alone_rom_ratio``, seconds (longer than a bottom pause).
        missed_rep_gap_ratio: a rep that starts more than this many times the set's usual
            interval (the median from one rep's start to the next over the set so far, from
            its third rep on) after the previous one is marked ``missed_before``: a rep may have
            been missed in the pause (the braced exercises, whose smallest reps sink into
            the pelvis' sway); 0 turns it off.
        curls_pelvis: a good rep curls the pelvis through tens of degrees; a median ROM
            under 10° means the move was done by the legs alone (a coaching verdict).
        faults: the fault rules that apply.
        thresholds: their thresholds.
        progress_after_clean_reps: clean reps in a set that suggest a harder variant, if any.
        regress_fault: the fault whose frequency suggests an easier variant, if any.
        advice_progress: text of the progression verdict.
        advice_regress: text of the regression verdict.
        source: the lines of the domain brief this profile encodes.

    """

    name: str
    title: str
    posture: Posture
    default_tempo: Tempo
    min_rom_deg: float
    min_velocity_dps: float
    lock_rotation_deg: float
    confident_rom_deg: float = 0.0
    alternating: bool = False
    join_split_reps: bool = False
    isometric: bool = False
    every_rep_is_swing: bool = False
    sign_from_gravity: bool = True
    judges_swing: bool = True
    reject_below_rest: bool = False
    reject_pendulum: bool = False
    subtract_pendulum: bool = False
    min_rom_ratio: float = 0.2
    alone_rom_ratio: float = 0.3
    alone_after_s: float = 3.0
    missed_rep_gap_ratio: float = 0.0
    curls_pelvis: bool = False
    faults: tuple[str, ...] = ()
    thresholds: FaultThresholds = field(default_factory=FaultThresholds)
    progress_after_clean_reps: int | None = None
    regress_fault: str | None = None
    advice_progress: str = ""
    advice_regress: str = ""
    source: str = ""

    @property
    def confidence_base_deg(self) -> float:
        """The rotation a rep's ``count_confidence`` is scaled by, degrees.

        0 at it, 1 at three times it: ``confident_rom_deg``, or ``min_rom_deg`` when that is
        0 or smaller.
        """
        return max(self.min_rom_deg, self.confident_rom_deg)

    def with_thresholds(self, **changes: Any) -> ExerciseProfile:
        """A copy with some thresholds replaced (for tuning in notebooks)."""
        return replace(self, thresholds=replace(self.thresholds, **changes))


_T = Tempo

PROFILES: Final[dict[str, ExerciseProfile]] = {
    p.name: p
    for p in (
        ExerciseProfile(
            name="reverse-crunch",
            title="Reverse crunch",
            posture="supine",
            default_tempo=_T(2, 1, 2),
            min_rom_deg=6.0,
            min_velocity_dps=1.5,
            lock_rotation_deg=160.0,
            curls_pelvis=True,
            faults=("dropped_eccentric", "partial_rom", "short_hold"),
            progress_after_clean_reps=15,
            advice_progress="15 clean reps with a slow descent: progress to a decline or "
            "weighted reverse crunch.",
            advice_regress="",
            source="DOMAIN: reverse crunch curls the pelvis posteriorly, tens of degrees, then "
            "lowers slowly; faults leg toss/swing, dropped eccentric, too little pelvic "
            "rotation. About 15 clean reps with a 3 s eccentric suggests progressing.",
        ),
        ExerciseProfile(
            name="leg-raise",
            title="Leg raise",
            posture="supine",
            default_tempo=_T(2, 1, 2),
            min_rom_deg=1.5,
            min_velocity_dps=0.8,
            lock_rotation_deg=50.0,
            # No short_hold on the braced exercises (leg raise, dead bug, bird-dog): the top
            # hold is the limbs', the pelvis only follows them by a few degrees, under its own
            # sway (DOMAIN lists no hold fault visible at the hip for them). top_hold_ratio
            # is still reported.
            faults=("dropped_eccentric", "back_arch"),
            reject_below_rest=True,
            missed_rep_gap_ratio=MISSED_REP_GAP_RATIO,
            regress_fault="back_arch",
            advice_regress="Frequent back arching: regress to bent-knee or single-leg raises, "
            "or dead bugs, until the lower back stays down.",
            source="DOMAIN: in leg raises the pelvis stays braced, small tilt only; back arch "
            "is anterior tilt beyond the braced start (the cuff test); frequent back-arch "
            "faults suggest regressing.",
        ),
        ExerciseProfile(
            name="hanging-leg-raise",
            title="Hanging leg / knee raise",
            posture="upright",
            default_tempo=_T(2, 1, 2),
            # The trunk leans back about the bar as the legs rise (the body's centre of mass
            # stays under the hands) and takes back up to about 10 deg of the curl at the
            # hip: a 15-20 deg curl can show 5-7 deg. Reps from 5 deg are counted, and those
            # under 6 deg (the smallest sure rep before) reported uncertain.
            min_rom_deg=HANGING_MIN_ROM_DEG,
            confident_rom_deg=6.0,
            min_velocity_dps=2.0,
            lock_rotation_deg=160.0,
            curls_pelvis=True,
            faults=("dropped_eccentric", "partial_rom", "short_hold", "body_swing"),
            reject_pendulum=True,
            subtract_pendulum=True,
            source="DOMAIN: hanging leg raise curls the pelvis posteriorly at the top; faults "
            "body swing between reps (pendulum, period 1.5-2.5 s), no pelvic curl.",
        ),
        ExerciseProfile(
            name="dead-bug",
            title="Dead bug",
            posture="supine",
            default_tempo=_T(2, 1, 2),
            min_rom_deg=1.0,
            min_velocity_dps=0.6,
            lock_rotation_deg=80.0,
            alternating=True,
            join_split_reps=True,
            min_rom_ratio=0.0,  # each side's ROM differs: no common reference
            alone_rom_ratio=0.0,
            judges_swing=False,
            # No dropped_eccentric (nor short_hold) on the alternating exercises: the lowering
            # is a limb's, the pelvis stays braced and follows it by a degree or two, and
            # DOMAIN lists only back arch and rotation as faults visible at the hip.
            faults=("back_arch", "hips_rotating"),
            reject_below_rest=True,
            missed_rep_gap_ratio=MISSED_REP_GAP_RATIO,
            source="DOMAIN: dead bug, supine, alternating sides; the pelvis stays braced and "
            "level; faults back arch, pelvis rotating side to side.",
        ),
        ExerciseProfile(
            name="bird-dog",
            title="Bird-dog",
            posture="all-fours",
            default_tempo=_T(2, 1, 2),
            min_rom_deg=1.0,
            min_velocity_dps=0.6,
            lock_rotation_deg=80.0,
            alternating=True,
            join_split_reps=True,
            min_rom_ratio=0.0,  # each side's ROM differs: no common reference
            alone_rom_ratio=0.0,
            judges_swing=False,
            missed_rep_gap_ratio=MISSED_REP_GAP_RATIO,
            faults=("hips_rotating",),  # as the dead bug: the lowering is a limb's
            source="DOMAIN: bird-dog, all fours, alternating; stays level; fault hips rotating.",
        ),
        ExerciseProfile(
            name="reverse-hip-raise",
            title="Reverse hip raise (prone hip extension)",
            posture="prone",
            default_tempo=_T(2, 1, 2),
            min_rom_deg=2.5,
            min_velocity_dps=1.0,
            lock_rotation_deg=90.0,
            faults=("dropped_eccentric", "partial_rom", "over_extension", "short_hold"),
            source="DOMAIN: reverse hip raise tilts as the legs rise to the line of the body; "
            "faults over-extension past the body line, leveraged swings.",
        ),
        ExerciseProfile(
            name="pelvic-tilt",
            title="Posterior pelvic tilt drill",
            posture="supine",
            default_tempo=_T(2, 5, 2),
            min_rom_deg=1.5,
            min_velocity_dps=0.8,
            lock_rotation_deg=45.0,
            judges_swing=False,
            faults=("dropped_eccentric", "partial_rom", "short_hold"),
            source="DOMAIN: posterior pelvic tilt drill, supine, knees bent; tilts posteriorly, "
            "held about 5 s, 10-15 reps; fault holds too short.",
        ),
        ExerciseProfile(
            name="plank",
            title="Plank",
            posture="prone",
            default_tempo=_T(1, 45, 1),
            min_rom_deg=4.0,
            min_velocity_dps=5.0,
            # Getting into position tilts the pelvis 8-12 deg: the axis is fixed then, so
            # the first hold is timed on the screen while it lasts (at 10 deg it was often
            # fixed only when the person got down again).
            lock_rotation_deg=5.0,
            isometric=True,
            min_rom_ratio=0.0,  # a hold has no ROM
            alone_rom_ratio=0.0,
            judges_swing=False,
            faults=("hips_sagging", "hips_piking", "shaking"),
            source="DOMAIN: plank, prone on forearms; still, level, 30-60 s; faults hips "
            "sagging or piking, shaking, time held.",
        ),
        ExerciseProfile(
            name="generic",
            title="Any repetitive pelvic rotation",
            posture="supine",
            default_tempo=_T(2, 1, 2),
            min_rom_deg=3.0,
            min_velocity_dps=2.0,
            lock_rotation_deg=60.0,
            faults=("dropped_eccentric", "partial_rom"),
            source="Fallback for movements without a profile: reps of any repeated rotation.",
        ),
        ExerciseProfile(
            name="standing-strict",
            title="Standing strict lift (curl, press)",
            posture="upright",
            default_tempo=_T(2, 0, 2),
            min_rom_deg=5.0,
            min_velocity_dps=15.0,
            lock_rotation_deg=45.0,
            every_rep_is_swing=True,
            min_rom_ratio=0.0,  # every hip drive counts, however small
            alone_rom_ratio=0.0,
            sign_from_gravity=False,
            faults=(),
            source="DOMAIN: momentum is visible at the pelvis: a leg toss, a kip, a swing. In a "
            "strict standing lift the pelvis should stay still, so each burst of pelvic "
            "movement that drives a rep is hip drive (swing). A burst is at least 15 deg/s "
            "and 5 deg: the shifts of a person standing still stay below that.",
        ),
    )
}


EXERCISE_ALIASES: Final[dict[str, str]] = {
    "standing-curl": "standing-strict",
    "standing-press": "standing-strict",
    "curl": "standing-strict",
}
"""Exercise names that are not profile names, mapped to the profile that analyses them.

Recordings name the exercise that was done (the simulator's ``standing-curl``, a manifest's
``curl``); the analysis needs the profile for it. Standing lifts are analysed by
``standing-strict`` (the pelvis should stay still; every pelvic burst is hip drive).
"""


def profile_name(name: str) -> str:
    """The profile name for an exercise name, alias or spelling (``reverse_crunch``, ``Curl``).

    Case, surrounding blanks and ``_`` vs ``-`` do not matter.

    Raises:
        ImuError: unknown name; the message lists the known profiles and aliases.

    """
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = EXERCISE_ALIASES.get(key, key)
    if key not in PROFILES:
        known = ", ".join(PROFILES)
        aliases = ", ".join(f"{a} = {p}" for a, p in EXERCISE_ALIASES.items())
        guess = closest_name(key, [*PROFILES, *EXERCISE_ALIASES])
        did_you_mean = f"did you mean {EXERCISE_ALIASES.get(guess, guess)}? " if guess else ""
        raise ImuError(
            f"unknown exercise {name!r}; {did_you_mean}choose one of: {known} "
            f"(aliases: {aliases})"
        )
    return key


def closest_name(key: str, names: list[str]) -> str | None:
    """The one of ``names`` that ``key`` most likely misspells, or None.

    Hyphens and a plural ``s`` or ``es`` are ignored first (``deadbug``, ``leg-raises``,
    ``reverse-crunches``); then a word of one name alone (``crunch``, ``bug``: when only one
    name has it); otherwise the closest by :func:`difflib.get_close_matches` (ratio 0.75 or
    more).
    """
    def bare(text: str) -> str:
        text = text.replace("-", "").replace("_", "").replace(" ", "").casefold()
        # crunches, not crunche (trial 25: a file's label 'Crunches' got no suggestion)
        plural = "es" if text.endswith(("ches", "shes", "sses", "xes")) else "s"
        return text.removesuffix(plural)

    same = [n for n in names if bare(n) == bare(key)]
    if same:
        return same[0]
    word = bare(key)
    having = [n for n in names if len(word) >= 3
              and word in (bare(part) for part in n.split("-"))]
    if len(having) == 1:
        return having[0]
    close = difflib.get_close_matches(key.casefold(), names, n=1, cutoff=0.75)
    return close[0] if close else None


def known_profile(name: str) -> str | None:
    """The profile an exercise name resolves to (:func:`profile_name`), or None for none."""
    try:
        return profile_name(name)
    except ImuError:
        return None


MIN_HOLD_TEMPO_S = 5.0
"""Shortest hold an isometric exercise's tempo may prescribe (its middle number), s."""


def check_tempo_fits(profile: ExerciseProfile, tempo: Tempo) -> None:
    """Refuse a tempo that cannot prescribe this exercise: a hold shorter than 5 s for a plank.

    Raises:
        ImuError: the message says the hold is the tempo's middle number and how to write one.

    """
    if profile.isometric and tempo.top_hold_s < MIN_HOLD_TEMPO_S:
        raise ImuError(
            f"{profile.title} is a hold: the middle number of the tempo is how long to hold "
            f"(e.g. 1-45-1 for 45 s); tempo {tempo} prescribes {tempo.top_hold_s:g} s, "
            f"shorter than the {MIN_HOLD_TEMPO_S:g} s a hold may be"
        )


def get_profile(name: str) -> ExerciseProfile:
    """The profile called ``name``, or the profile an alias stands for (:func:`profile_name`).

    Raises:
        ImuError: unknown name; the message lists the known ones.

    """
    return PROFILES[profile_name(name)]
