"""What the pelvis does in each simulated exercise, and which faults each one can show.

Every number here is traceable to ``DOMAIN.md`` (the exercise table) or to the simulator's
brief; angles are in degrees in this table only (converted to radians where used).

Movement axis and sign: every exercise moves mainly about the pelvis ``z`` axis (tilt,
posterior positive, see :mod:`imu.frames`). ``movement_sign`` says which tilt direction is the
concentric: +1 posterior (reverse crunch, leg raise, hanging leg raise, dead bug, pelvic tilt,
plank set-up, standing curl), -1 anterior (reverse hip raise, bird-dog). The ground truth
measures phases on ``movement_sign * omega_z``, so the concentric is positive.
"""

from __future__ import annotations

from dataclasses import dataclass

from imu.tempo import Tempo

FAULTS: dict[str, str] = {
    "swing": "momentum rep of a swing family: concentric 30-80% of prescribed, peak at "
    "15-60% of it, wind-up 0-8 deg (standing curl: hip drive)",
    "dropped_eccentric": "hurried eccentric: 20-100% of the prescribed one (>= 0.3 s)",
    "back_arch": "pelvis tilts anteriorly 0-15 deg beyond the start while the legs lower",
    "hips_rotating": "pelvis rotates 0-15 deg about its long axis toward the moving side",
    "over_extension": "ROM 100-180% of the person's nominal ROM",
    "partial_rom": "ROM 30-100% of the person's nominal ROM",
    "short_hold": "top hold 10-100% of the prescribed hold",
    "body_swing": "whole body swings from the bar before the rep (0-8 deg amplitude)",
    "hips_sagging": "plank: tilt drifts 0-15 deg anteriorly during the hold",
    "hips_piking": "plank: tilt drifts 0-15 deg posteriorly during the hold",
    "shaking": "plank: tremor at 6-10 Hz, 2-14 deg/s RMS over the hold",
}
"""Fault names (truth CSV columns) and what the simulator draws for each. The magnitudes
straddle each label's threshold: the truth labels come from the definitions
(:mod:`imu.sim.definitions`) applied to the generated rep, so a drawn fault may be clean."""

CONTROLLED_FAMILIES: tuple[str, ...] = ("bell", "skewed", "plateau", "sine")
"""Velocity shapes of controlled reps: ``bell`` minimum-jerk-like (peak near the middle),
``skewed`` asymmetric (peak at 35-65% of the phase), ``plateau`` accelerate-cruise-decelerate,
``sine`` a half sine."""

SWING_FAMILIES: tuple[str, ...] = ("toss-windup", "toss-overshoot", "burst-coast")
"""Momentum reps: ``toss-windup`` counter-movement then burst (overshoot half of the time),
``toss-overshoot`` a burst that recoils past the top (no wind-up), ``burst-coast`` a short
torque burst then a coasting deceleration (no wind-up, no overshoot)."""

FAMILIES: tuple[str, ...] = (*CONTROLLED_FAMILIES, *SWING_FAMILIES, "hip-drive", "hold")
"""Every value of the truth ``family`` column; ``hip-drive`` (standing-curl swing) and
``hold`` (plank) are fixed by the exercise."""

PLANK_FAULTS = ("hips_sagging", "hips_piking", "shaking")


@dataclass(frozen=True)
class ExerciseModel:
    """Pelvis kinematics of one exercise.

    Attributes:
        name: CLI name.
        posture: key of :data:`imu.frames.POSTURE_UP` (which pelvis axis points up).
        description: one line for ``--help``.
        default_tempo: prescribed tempo when none is given (None for holds).
        rom_deg: range of the person's nominal movement amplitude (drawn once per session), deg.
        movement_sign: +1 if the concentric is posterior tilt, -1 if anterior.
        faults: fault names that apply.
        alternating: sides alternate left, right, left... (``side`` column).
        rotation_deg: range of the rotation (about pelvis y) lobe toward the moving side, deg.
        default_reps: reps (or holds) per set when not given.
        hanging: the body hangs from a bar (whole-body pendulum about a pivot above the pelvis).
        hold: one "rep" is one static hold (plank).
        smallest_rep_deg: a rep is never smaller than this, however partial (a plausibility
            floor: a rep must still be a rep, clearly bigger than a fidget), deg.

    """

    name: str
    posture: str
    description: str
    default_tempo: Tempo | None
    rom_deg: tuple[float, float]
    movement_sign: int
    faults: frozenset[str]
    alternating: bool = False
    rotation_deg: tuple[float, float] = (0.0, 0.0)
    default_reps: int = 10
    hanging: bool = False
    hold: bool = False
    smallest_rep_deg: float = 0.0


_T212 = Tempo(2.0, 1.0, 2.0)

_MODELS = (
    ExerciseModel(
        "reverse-crunch", "supine",
        "supine; pelvis curls posteriorly 30-60 deg, holds, lowers",
        _T212, (30.0, 60.0), +1,
        frozenset({"swing", "dropped_eccentric", "partial_rom", "short_hold"}),
        smallest_rep_deg=12.0,
    ),
    ExerciseModel(
        "leg-raise", "supine",
        "supine, pelvis braced; small posterior tilt 3-8 deg as the legs rise",
        _T212, (3.0, 8.0), +1,
        # Not short_hold on the braced exercises (leg raise, dead bug, bird-dog): the hold at
        # the top is the limbs'; the pelvis follows them by a few degrees only (DOMAIN.md
        # lists no hold fault visible at the hip for them).
        frozenset({"swing", "dropped_eccentric", "back_arch"}),
    ),
    ExerciseModel(
        "hanging-leg-raise", "upright",
        "hanging from a bar; pelvic curl 30-60 deg posterior, body can swing from the bar",
        _T212, (30.0, 60.0), +1,
        frozenset({"swing", "dropped_eccentric", "partial_rom", "short_hold", "body_swing"}),
        default_reps=8, hanging=True, smallest_rep_deg=12.0,
    ),
    ExerciseModel(
        "dead-bug", "supine",
        "supine, alternating sides; small tilt lobe 2-5 deg and rotation 1-2 deg",
        _T212, (2.0, 5.0), +1,
        # Nor dropped_eccentric on the alternating exercises: the lowering is a limb's.
        frozenset({"back_arch", "hips_rotating"}),
        alternating=True, rotation_deg=(1.0, 2.0),
    ),
    ExerciseModel(
        "bird-dog", "all-fours",
        "all fours, alternating sides; small anterior tilt lobe 2-5 deg, rotation 1-2 deg",
        _T212, (2.0, 5.0), -1,
        frozenset({"hips_rotating"}),
        alternating=True, rotation_deg=(1.0, 2.0),
    ),
    ExerciseModel(
        "reverse-hip-raise", "prone",
        "prone on a bench edge; legs rise to the body line, pelvis tilts anteriorly 15-30 deg",
        _T212, (15.0, 30.0), -1,
        frozenset({"swing", "dropped_eccentric", "over_extension", "partial_rom",
                   "short_hold"}),
        smallest_rep_deg=5.0,
    ),
    ExerciseModel(
        "pelvic-tilt", "supine",
        "supine, knees bent; posterior tilt 8-15 deg held ~5 s",
        Tempo(2.0, 5.0, 2.0), (8.0, 15.0), +1,
        frozenset({"dropped_eccentric", "partial_rom", "short_hold"}),
        default_reps=12, smallest_rep_deg=3.0,
    ),
    ExerciseModel(
        "plank", "prone",
        "prone on forearms; pelvis still for the hold (one rep = one hold)",
        None, (8.0, 12.0), +1,
        frozenset(PLANK_FAULTS), default_reps=1, hold=True,
    ),
    ExerciseModel(
        "standing-curl", "upright",
        "standing upper-body lift; pelvis nearly still (sway < 2 deg), swing = hip drive",
        # The analyzer's default for a standing strict lift (imu.exercises), so a session
        # simulated without --tempo is analysed at the tempo it was made with.
        Tempo(2.0, 0.0, 2.0), (0.5, 1.5), +1,
        # Not short_hold: the squeeze of a standing lift is the arms', which a hip sensor does
        # not see (DOMAIN.md lists only hip drive for strict standing lifts); the pelvic burst
        # of a hip-drive rep has no hold, so the definition would flag every one of them.
        frozenset({"swing"}),
    ),
)

EXERCISE_MODELS: dict[str, ExerciseModel] = {m.name: m for m in _MODELS}
"""Exercise name -> model."""

EXERCISES: tuple[str, ...] = tuple(EXERCISE_MODELS)
"""Names of the exercises the simulator can produce (CLI arguments)."""


def applicable_faults(model: ExerciseModel, tempo: Tempo | None) -> frozenset[str]:
    """Faults that make sense for ``model`` at ``tempo``.

    ``short_hold`` applies only when the prescribed top hold is at least 1 s (the definition's
    ratio is undefined below that).
    """
    faults = set(model.faults)
    if "short_hold" in faults and (tempo is None or tempo.top_hold_s < 1.0):
        faults.discard("short_hold")
    return frozenset(faults)
