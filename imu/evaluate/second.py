"""A second session generator, written apart from :mod:`imu.sim`, and an evaluation on it.

The analyzer's thresholds and steps were tuned on :mod:`imu.sim`; figures from the same
generator can hide what only its templates make easy. This generator shares with it only the
definitions that decide every label (:mod:`imu.sim.definitions`, the text of
``docs/analysis.md``), the truth table's columns and the session spec the evaluation draws
(:class:`imu.sim.SessionSpec`: exercise, tempo, reps, sets, rest, rate, seed, frame loss). It
takes nothing from the analyzer, not even which labels apply (from ``DOMAIN.md``, in
:data:`SETUPS`). Everything else is its own:

- **Motion**: the pelvis turns about its lateral axis; each phase's angular velocity has one of
  its own shapes. Controlled: ``minjerk`` (the minimum-jerk bell), ``trapezoid`` (raised-cosine
  ramps of 15-35% each, flat between), ``beta`` (``t^a (1-t)^b``, a and b 1.6-3.2: peak
  anywhere from a third to two thirds), ``stall`` (two bumps, a sticking point between them
  that slows to 35-60% of the peak). Swings: ``flick`` (``t^a (1-t)^b`` with a 1.1-1.5,
  b 3-5: an early peak), ``kick`` (a 20-60 ms rise, then an exponential coast). A wind-up
  (1-8 deg against the concentric, ending 0-0.6 s before it) comes with 60% of flicks and
  30% of kicks, and swing concentrics last 25-60% of the prescribed one; 10% of controlled
  reps are fast (35-60%) with a late peak, one feature only, so not swings.
- **Faults** straddle their thresholds: eccentrics at 20-90% of prescribed, tops at 10-80%,
  ROM at 30-90% (partial) or 110-160% (over-extension, hip raise) of the session's.
- **Body and sensor**: supine (crunch, tilt, leg raise, dead bug) or prone (hip raise, plank),
  a random heading, a random mounting, the sensor 10-24 cm from the axis the pelvis turns
  about; breathing (0.1-0.3 deg at 0.2-0.35 Hz) and a slow sway about the long axis
  (0.2-0.6 deg) on the sensor only; angular velocity and acceleration by central differences
  of the orientation and the sensor's position on a grid of 800 Hz or finer, averaged down
  to the output rate over windows centred on each output sample; gyro bias (0.8 deg/s per
  axis, rms), scale (1%), white noise, 16-bit quantization; lost frames of 6 samples as NaN.
- **Hanging** (hanging leg raise): two rigid links hang from the bar, the trunk (hands to
  hip, arms and head included: 0.9-1.2 m, 58-65% of the mass) and the legs (0.9-1.0 m,
  32-38%). The rep prescribes the pelvic curl relative to the trunk (the shapes above, ROM
  15-35 deg) and the legs' angle to the trunk (a raise of 70-110 deg that leads the curl: the
  pelvis curls most at the top, DOMAIN.md; on half the partial reps the legs still rise fully,
  lifted by the hip flexors alone). The trunk's angle about the bar is not prescribed: the
  angular momentum balance about the bar, a free pivot with a damping ratio of 0.02-0.1, is
  integrated (:func:`trunk_motion`), so the trunk leans back as the legs rise and a fast raise
  sets the whole body swinging. With ``SessionSpec.body_pendulum`` a push 1.5-2.5 s before
  every set starts a swing of 2-15 deg. The pelvis turns about the hip by trunk + curl, the
  hip moves on its circle about the bar, and the sensor rides on the pelvis as above. The
  truth's angle is the curl alone (the rep's own kinematics, without the pendulum);
  ``body_swing_deg`` is the peak-to-peak, over the 3 s before the concentric, of the whole
  body's pendulum angle: the line from the bar to the body's centre of mass, which stays
  vertical however slowly the legs move and swings only when the body does.

- **Braced** (leg raise, dead bug, :class:`_Braced`): the planned rep (the shapes and faults
  above) is the limbs' progress ``s``; the pelvis only answers it. Leg raise: a posterior
  brace of 2-8 deg that comes late as the legs' weight passes over the hip (``(1 - late) s +
  late s^2``, late 0-0.6), a wind-up rocks it anteriorly by at most the ROM, and from the top
  through the lowering the hip flexors pull it anteriorly by ``pull cos(alpha)`` (the legs'
  lever, alpha = 60-90 deg at the top), released over 0.3-0.6 s once the legs rest: pull
  0-2.5 deg on 75% of reps, 2.5-12 deg on the rest, so the back arch straddles its 5 deg.
  Dead bug (alternating sides): the brace curls the pelvis by ``rom s`` (3-8 deg) and the
  moving leg's flexors pull it back by ``pull s^p`` (p 2-4: the lever grows late in the
  extension; pull up to 0.7 ROM on 75% of reps, up to ROM + 14 deg on the rest); it turns
  toward the moving side by ``rotation s^q`` (0.3-3.5 deg on 78%, 3-12 deg on the rest). The
  turn is on the sensor (about the long axis) and in the truth's ``rotation_deg``.
- **Plank** (:class:`_HoldPlan`, :class:`_Hold`): each set from the floor (60%) or from the
  knees; a hold of ``spec.hold_s`` +-10% got into by a rise (floor, sometimes overshooting
  into a pike that settles) or by stepping each leg back (knees, a turn about the long axis
  with each step), with the hips rising, falling and moving along the body (exact
  accelerations of the lever arm and of that translation). During the hold: a slow wander
  (three sinusoids of 0.1-0.6 deg at 0.02-0.12 Hz), on 55% of holds a fatigue sag or pike of
  1.5-13 deg (a third of them corrected part way), the hips moving 0.3 m per rad of it; a
  fatigue tremor (20 sinusoids in a 1-3 Hz band at 5-10 Hz, growing through the hold) of
  0.3-2.5 deg/s RMS on half the holds and 2.5-14 deg/s on the rest, on the tilt, the long
  axis and the hips' height; breathing as above. Rests of 6-12 s between holds. The truth's
  hold runs from where the get-up's rate falls below a tenth of its peak to where the
  get-down's first passes a tenth of its own; ``drift_deg`` and ``shaking_dps`` are the
  definitions' on the tilt over it (tremor in, breathing out).

``imu eval --generator second`` runs the analyzer over it (streamed in 20-sample chunks),
with every option and table of ``imu eval``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from imu.evaluate.config import EvalError
from imu.sim import FAULTS, TRUTH_COLUMNS, SessionSpec
from imu.sim import definitions as defs
from imu.tempo import Tempo

FloatArray = npt.NDArray[np.float64]

GRAVITY = 9.80665
"""m/s^2."""

FINE_RATE_HZ = 800.0
"""The motion is drawn on a grid at least this fine, then averaged down to the output rate."""

CONTROLLED = ("minjerk", "trapezoid", "beta", "stall")
"""Controlled velocity shapes (``family`` in the truth)."""

SWINGS = ("flick", "kick")
"""Momentum velocity shapes."""


@dataclass(frozen=True)
class Setup:
    """How one exercise moves here.

    Attributes:
        posture: ``supine``, ``prone`` or ``hanging`` (from a bar: the body swings about it,
            :func:`trunk_motion`).
        rom_deg: the session's range of motion (the pelvic curl) is drawn from this range, deg.
        sign: +1 for an anterior tilt in the concentric, -1 for a posterior one.
        swings: whether momentum reps are drawn.
        over_extension: whether over-extended reps are drawn (hip raise).
        labels: the labels that apply, from ``DOMAIN.md``'s exercise table and definitions
            (``short_hold`` only where the prescribed top hold is 1 s or more).
        model: how the pelvis follows the rep: ``curl`` (the pelvis makes the rep),
            ``legs`` (leg raise: the pelvis braced, following the legs, :func:`_braced`),
            ``limbs`` (dead bug: alternating sides) or ``hold`` (plank, :class:`_HoldPlan`).
        pause_s: pause after each rep, s (drawn uniformly).

    """

    posture: str
    rom_deg: tuple[float, float]
    sign: float
    swings: bool = True
    over_extension: bool = False
    labels: frozenset[str] = frozenset()
    model: str = "curl"
    pause_s: tuple[float, float] = (0.4, 1.5)


_TEMPO_LABELS = frozenset({"swing", "dropped_eccentric", "short_hold", "partial_rom"})
"""Labels of any rep done to a tempo prescription (the definitions table)."""

SETUPS: dict[str, Setup] = {
    "reverse-crunch": Setup("supine", (30.0, 60.0), -1.0, labels=_TEMPO_LABELS),
    "reverse-hip-raise": Setup("prone", (12.0, 30.0), 1.0, over_extension=True,
                               labels=_TEMPO_LABELS | {"over_extension"}),
    "pelvic-tilt": Setup("supine", (8.0, 15.0), -1.0, swings=False, labels=_TEMPO_LABELS),
    "hanging-leg-raise": Setup("hanging", (15.0, 35.0), -1.0,
                               labels=_TEMPO_LABELS | {"body_swing"}),
    # The plank: the concentric is the get-up, a posterior (head-up) incline of the pelvis.
    "plank": Setup("prone", (6.0, 13.0), -1.0, swings=False, model="hold",
                   labels=frozenset({"hips_sagging", "hips_piking", "shaking"})),
    # Braced: the pelvis' own curl is small (a posterior brace that follows the limbs); the
    # faults visible at the hip are DOMAIN.md's: back arch and swinging legs (leg raise; the
    # legs' lowering moves the pelvis, so a dropped eccentric shows too), back arch and hips
    # rotating (dead bug). ROM and hold are the limbs', not labels of the pelvis.
    "leg-raise": Setup("supine", (2.0, 8.0), -1.0, model="legs", pause_s=(0.9, 2.0),
                       labels=frozenset({"swing", "dropped_eccentric", "back_arch"})),
    "dead-bug": Setup("supine", (3.0, 8.0), -1.0, swings=False, model="limbs",
                      pause_s=(0.6, 1.5), labels=frozenset({"back_arch", "hips_rotating"})),
}
"""Exercises this generator makes (profile names;
:data:`imu.evaluate.config.SECOND_GENERATOR_EXERCISES` names the same for the CLI)."""


@dataclass(frozen=True)
class Recording:
    """The generated samples: ``acc`` (n, 3) m/s^2, ``gyr`` (n, 3) rad/s, NaN where lost."""

    acc: FloatArray
    gyr: FloatArray
    sampling_rate_hz: float


@dataclass(frozen=True)
class Generated:
    """One generated session.

    Attributes:
        recording: the sensor's samples.
        truth: one row per rep (:data:`imu.sim.TRUTH_COLUMNS`).
        angle_deg: shape (n_fine,), the rep movement alone (no breathing, no sway), the
            concentric positive, deg, on the fine grid ``i / fine_rate_hz`` s.
        fine_rate_hz: rate of that grid, Hz.
        mounting: shape (3, 3), the sensor's axes in the body frame (x lateral, y superior,
            z anterior), one per column.
        posture: ``supine``, ``prone`` or ``hanging``.
        lever_m: shape (3,), the sensor's position in the body frame from the axis the pelvis
            turns about (hanging: the hip), m.
        hanging: hanging sessions: the trunk's swing, the legs and the body's pendulum angle
            on the sensor's fine grid; None otherwise.
        sensor_tilt_deg: shape (n_fine,), the pelvis' tilt the sensor turns with (the
            rep's movement, hanging plus the trunk's swing, and breathing), concentric
            positive, deg, on the sensor's fine grid ``sensor_time_s``.
        sensor_roll_deg: shape (n_fine,), its turn about the long axis (sway, the dead bug's
            rotation, the plank's steps and tremor), deg, same grid.
        sensor_time_s: shape (n_fine,), that grid's times, s (``(i - (k - 1) / 2) / fine``).

    """

    recording: Recording
    truth: pd.DataFrame
    angle_deg: FloatArray
    fine_rate_hz: float
    mounting: FloatArray
    posture: str
    lever_m: FloatArray
    hanging: HangingMotion | None = None
    sensor_tilt_deg: FloatArray | None = None
    sensor_roll_deg: FloatArray | None = None
    sensor_time_s: FloatArray | None = None


@dataclass
class _Phase:
    """One planned movement: ``rotation_deg`` over ``[t0, t0 + duration]`` with a shape."""

    t0: float
    duration: float
    rotation_deg: float
    shape: str
    params: tuple[float, ...] = ()


@dataclass
class _Rep:
    """One planned rep: its concentric, its eccentric and the wind-up before it, if any."""

    set_no: int
    rep_no: int
    family: str
    con: _Phase
    ecc: _Phase
    windup: _Phase | None = None


def velocity_shape(shape: str, params: tuple[float, ...], tau: FloatArray) -> FloatArray:
    """Un-normalised angular velocity of a phase at ``tau`` in [0, 1] (0 outside)."""
    t = np.clip(tau, 0.0, 1.0)
    if shape == "minjerk":
        v = t**2 * (1.0 - t) ** 2
    elif shape == "trapezoid":
        up, down = params
        rise = np.where(t < up, 0.5 - 0.5 * np.cos(np.pi * t / up), 1.0)
        fall = np.where(t > 1.0 - down, 0.5 - 0.5 * np.cos(np.pi * (1.0 - t) / down), 1.0)
        v = rise * fall
    elif shape in ("beta", "flick"):
        a, b = params
        v = t**a * (1.0 - t) ** b
    elif shape == "stall":
        first, dip = params
        v = np.sin(np.pi * t) ** 2 * (1.0 - (1.0 - dip) * np.exp(-((t - first) / 0.12) ** 2))
    elif shape == "kick":
        rise_tau, coast_tau = params
        v = (1.0 - np.exp(-t / rise_tau)) * np.exp(-t / coast_tau) * (1.0 - t) ** 0.5
    else:
        raise EvalError(f"unknown velocity shape {shape!r}")
    return np.where((tau >= 0.0) & (tau <= 1.0), v, 0.0)


def _render(phases: Sequence[_Phase], t: FloatArray) -> FloatArray:
    """The summed angular velocity of ``phases`` on the grid ``t``, deg/s."""
    v = np.zeros(len(t))
    grid = np.linspace(0.0, 1.0, 2001)
    for p in phases:
        lo = int(np.searchsorted(t, p.t0))
        hi = int(np.searchsorted(t, p.t0 + p.duration, side="right"))
        if hi <= lo:
            continue
        area = float(np.trapezoid(velocity_shape(p.shape, p.params, grid), grid))
        tau = (t[lo:hi] - p.t0) / p.duration
        v[lo:hi] += p.rotation_deg / p.duration / area * velocity_shape(p.shape, p.params, tau)
    return v


class _Plan:
    """Lays out a session's reps (times in s, rotations in deg, concentric positive)."""

    def __init__(self, spec: SessionSpec, setup: Setup, tempo: Tempo,
                 rng: np.random.Generator) -> None:
        self.spec, self.setup, self.tempo, self.rng = spec, setup, tempo, rng
        self.rom = float(rng.uniform(*setup.rom_deg))
        self.reps: list[_Rep] = []

    def controlled(self) -> tuple[str, tuple[float, ...]]:
        """A controlled shape and its parameters, drawn."""
        rng = self.rng
        family = CONTROLLED[int(rng.integers(len(CONTROLLED)))]
        if family == "trapezoid":
            return family, (float(rng.uniform(0.15, 0.35)), float(rng.uniform(0.15, 0.35)))
        if family == "beta":
            return family, (float(rng.uniform(1.6, 3.2)), float(rng.uniform(1.6, 3.2)))
        if family == "stall":
            return family, (float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.35, 0.6)))
        return family, ()

    def plan(self) -> float:
        """Lay out every set; returns the session's length, s."""
        rng = self.rng
        t = float(rng.uniform(3.0, 5.0))
        for set_no in range(1, self.spec.sets + 1):
            if set_no > 1:
                t += float(self.spec.rest_s or 20.0) * float(rng.uniform(0.95, 1.1))
            for rep_no in range(1, (self.spec.reps or 8) + 1):
                t = self.rep(set_no, rep_no, t)
                t += float(rng.uniform(*self.setup.pause_s))
        return t + float(rng.uniform(2.0, 4.0))

    def rep(self, set_no: int, rep_no: int, t: float) -> float:
        """Plan one rep starting at ``t`` (or after its wind-up); returns its end."""
        rng, tempo, setup = self.rng, self.tempo, self.setup
        rom = self.rom * float(rng.uniform(0.9, 1.1))
        u = float(rng.uniform())
        if u < 0.1:
            rom = self.rom * float(rng.uniform(0.3, 0.9))
        elif setup.over_extension and u < 0.2:
            rom = self.rom * float(rng.uniform(1.1, 1.6))
        windup: _Phase | None = None
        if setup.swings and rng.uniform() < 0.15:
            family = SWINGS[int(rng.integers(len(SWINGS)))]
            con_s = tempo.concentric_s * float(rng.uniform(0.25, 0.6))
            if family == "flick":
                params: tuple[float, ...] = (float(rng.uniform(1.1, 1.5)),
                                             float(rng.uniform(3.0, 5.0)))
                with_windup = rng.uniform() < 0.6
            else:
                params = (float(rng.uniform(0.02, 0.06)) / con_s,
                          float(rng.uniform(0.25, 0.45)))
                with_windup = rng.uniform() < 0.3
            t += 0.9
            if with_windup:
                size = float(rng.uniform(1.0, 8.0))
                dur = float(rng.uniform(0.2, 0.4))
                gap = float(rng.uniform(0.0, 0.6))
                windup = _Phase(t - gap - dur, dur, -size, "minjerk")
        else:
            family, params = self.controlled()
            con_s = tempo.concentric_s * float(rng.uniform(0.8, 1.2))
            if rng.uniform() < 0.1:
                # Fast, but with a late peak: one swing feature only.
                con_s = tempo.concentric_s * float(rng.uniform(0.35, 0.6))
                family = "beta"
                params = (float(rng.uniform(2.0, 3.0)), float(rng.uniform(1.2, 1.8)))
        hold = tempo.top_hold_s * float(rng.uniform(0.8, 1.2))
        if tempo.top_hold_s >= 1.0 and rng.uniform() < 0.15:
            hold = tempo.top_hold_s * float(rng.uniform(0.1, 0.8))
        ecc_s = tempo.eccentric_s * float(rng.uniform(0.85, 1.2))
        if rng.uniform() < 0.2:
            ecc_s = tempo.eccentric_s * float(rng.uniform(0.2, 0.9))
        ecc_s = max(ecc_s, 0.3)
        ecc_family, ecc_params = self.controlled()
        con = _Phase(t, con_s, rom, family, params)
        ecc_rotation = -rom - (windup.rotation_deg if windup is not None else 0.0)
        ecc = _Phase(t + con_s + hold, ecc_s, ecc_rotation, ecc_family, ecc_params)
        self.reps.append(_Rep(set_no, rep_no, family, con, ecc, windup))
        return ecc.t0 + ecc.duration


def _edge(v: FloatArray, rate: float, peak: int, level: float, step: int) -> float:
    """Time (s) where ``v`` falls below ``level`` walking from ``peak`` by ``step`` (+-1)."""
    k = peak
    n = len(v)
    while 0 <= k + step < n and v[k + step] >= level:
        k += step
    j = k + step
    if not 0 <= j < n:
        return k / rate
    frac = (v[k] - level) / max(v[k] - v[j], 1e-12)
    return (k + step * frac) / rate


def _phase_span(v: FloatArray, rate: float, phase: _Phase) -> tuple[float, float, float, int]:
    """10%-convention start, end, peak (deg/s) and peak index of one phase on ``v``."""
    lo = max(int(phase.t0 * rate), 0)
    hi = min(math.ceil((phase.t0 + phase.duration) * rate) + 1, len(v))
    k = lo + int(np.argmax(v[lo:hi]))
    level = defs.PHASE_FRACTION * float(v[k])
    return _edge(v, rate, k, level, -1), _edge(v, rate, k, level, 1), float(v[k]), k


def _truth(plan: _Plan, theta: FloatArray, rate: float, applicable: frozenset[str],
           exercise: str, swing: HangingMotion | None = None,
           rotation: FloatArray | None = None, sides: Sequence[str] = ()) -> pd.DataFrame:
    """Measure every planned rep by the definitions on the noise-free rep angle (deg).

    ``theta`` is the rep's own curl (hanging: the pelvis to the trunk, without the swing), on
    the grid ``i / rate``; ``swing`` (hanging) gives ``body_swing_deg``: the peak-to-peak of
    the whole body's pendulum angle over the 3 s before the concentric. ``rotation`` (dead
    bug: the pelvis about its long axis, deg, same grid) gives ``rotation_deg``, its
    peak-to-peak over the rep; ``sides`` names each rep's side (alternating exercises).
    """
    tempo = plan.tempo
    v = np.gradient(theta) * rate
    rows: list[dict[str, object]] = []
    prev_end: float | None = None
    for rep in plan.reps:
        cs, ce, cpk, _ = _phase_span(v, rate, rep.con)
        es, ee, epk, _ = _phase_span(-v, rate, rep.ecc)
        ptf = defs.peak_time_fraction(v, rate, cs, ce)
        ratio = (ce - cs) / tempo.concentric_s
        windup = defs.windup_deg(theta, rate, cs, prev_end)
        q: dict[str, object] = dict.fromkeys(
            ("body_swing_deg", "drift_deg", "shaking_dps", "rotation_deg"), math.nan)
        q.update(
            peak_time_fraction=ptf, concentric_ratio=ratio, windup_deg=windup,
            swing_features=defs.swing_feature_count(ptf, ratio, windup),
            eccentric_ratio=(ee - es) / tempo.eccentric_s,
            top_hold_ratio=((es - ce) / tempo.top_hold_s
                            if tempo.top_hold_s >= defs.MIN_PRESCRIBED_HOLD_S else math.nan),
            arch_deg=defs.arch_deg(theta, rate, cs, ee),
            rotation_deg=(0.0 if rotation is None
                          else defs.peak_to_peak(rotation, rate, cs, ee)),
        )
        if swing is not None:
            t0 = float(swing.time_s[0])  # the swing's grid starts at t0, not 0
            q["body_swing_deg"] = defs.peak_to_peak(
                swing.swing_deg, rate, cs - defs.BODY_SWING_WINDOW_S - t0, cs - t0)
        rows.append({
            "set": rep.set_no, "rep": rep.rep_no, "exercise": exercise,
            "side": sides[len(rows)] if sides else "",
            "family": rep.family, "con_start_s": cs, "con_end_s": ce, "ecc_start_s": es,
            "ecc_end_s": ee, "concentric_s": ce - cs, "top_hold_s": es - ce,
            "eccentric_s": ee - es, "tut_s": ee - cs, "hold_s": math.nan,
            "rom_deg": defs.rom_deg(theta, rate, cs, es),
            "peak_concentric_velocity_dps": cpk, "peak_eccentric_velocity_dps": epk, **q,
        })
        prev_end = ee
    ratios, partial = defs.rom_ratios([float(r["rom_deg"]) for r in rows],  # type: ignore[arg-type]
                                      "partial_rom" in applicable)
    for row, ratio, is_partial in zip(rows, ratios, partial, strict=True):
        row["rom_ratio"] = ratio
        q2 = {k: float(row[k]) for k in row  # type: ignore[arg-type]
              if k in ("swing_features", "rom_deg", "peak_concentric_velocity_dps",
                       "eccentric_ratio", "top_hold_ratio", "rom_ratio", "arch_deg",
                       "rotation_deg", "body_swing_deg", "drift_deg", "shaking_dps")}
        row.update(defs.labels(q2, applicable, False, is_partial))
    truth = pd.DataFrame(rows)
    for name in FAULTS:
        if name not in truth:
            truth[name] = False
    truth["bottom_pause_s"] = (
        truth.groupby("set")["con_start_s"].shift(-1) - truth["ecc_end_s"]
    ).astype(float)
    return truth.reindex(columns=list(TRUTH_COLUMNS))


def _rotations(axis: str, angle: FloatArray) -> FloatArray:
    """Rotation matrices about a body axis (``x`` or ``y``), shape (n, 3, 3)."""
    c, s = np.cos(angle), np.sin(angle)
    m = np.zeros((len(angle), 3, 3))
    if axis == "x":
        m[:, 0, 0] = 1.0
        m[:, 1, 1], m[:, 1, 2], m[:, 2, 1], m[:, 2, 2] = c, -s, s, c
    else:
        m[:, 1, 1] = 1.0
        m[:, 0, 0], m[:, 0, 2], m[:, 2, 0], m[:, 2, 2] = c, s, -s, c
    return m


def _random_rotation(rng: np.random.Generator) -> FloatArray:
    """A uniformly random rotation matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return np.asarray(q)


def _posture(posture: str, heading: float) -> FloatArray:
    """Body (x lateral, y superior, z anterior) to world (z up) at zero tilt.

    Supine and prone the body's long axis lies along the world's x (before the heading),
    hanging it points up and the body faces the world's x.
    """
    if posture == "hanging":
        y_w = np.array([0.0, 0.0, 1.0])
        z_w = np.array([1.0, 0.0, 0.0])
    else:
        y_w = np.array([1.0, 0.0, 0.0])
        z_w = np.array([0.0, 0.0, 1.0 if posture == "supine" else -1.0])
    x_w = np.cross(y_w, z_w)
    base = np.column_stack((x_w, y_w, z_w))
    ch, sh = math.cos(heading), math.sin(heading)
    turn = np.array([[ch, -sh, 0.0], [sh, ch, 0.0], [0.0, 0.0, 1.0]])
    return np.asarray(turn @ base)


@dataclass(frozen=True)
class HangingBody:
    """A body hanging by the hands from a bar: two rigid links in the sagittal plane.

    The trunk link runs from the bar (the hands, a free pivot) to the hip, arms and head
    included; the legs link from the hip to the feet. Masses are shares of the body's mass
    (which cancels out of every equation here: moments are per kg of body, kg m^2 / kg).

    Attributes:
        trunk_m: bar to hip, m.
        trunk_com_m: bar to the trunk link's centre of mass, m.
        trunk_gyration_m: the trunk link's radius of gyration about its centre of mass, m.
        trunk_mass: the trunk link's share of the body's mass.
        legs_m: hip to feet, m.
        legs_com_m: hip to the legs' centre of mass, m.
        legs_gyration_m: the legs' radius of gyration about their centre of mass, m.
        legs_mass: the legs' share of the body's mass.
        damping_ratio: of the whole body's swing with the legs down (hands on the bar).

    """

    trunk_m: float
    trunk_com_m: float
    trunk_gyration_m: float
    trunk_mass: float
    legs_m: float
    legs_com_m: float
    legs_gyration_m: float
    legs_mass: float
    damping_ratio: float

    @classmethod
    def draw(cls, rng: np.random.Generator) -> HangingBody:
        """A body drawn from adult proportions (trunk ~60% of the mass, legs ~35%)."""
        trunk = float(rng.uniform(0.9, 1.2))
        legs = float(rng.uniform(0.9, 1.0))
        return cls(trunk, trunk * float(rng.uniform(0.55, 0.65)),
                   trunk * float(rng.uniform(0.25, 0.3)), float(rng.uniform(0.58, 0.65)),
                   legs, legs * float(rng.uniform(0.4, 0.45)),
                   legs * float(rng.uniform(0.27, 0.3)), float(rng.uniform(0.32, 0.38)),
                   float(rng.uniform(0.02, 0.1)))

    @property
    def inertia_terms(self) -> tuple[float, float, float]:
        """Inertia terms per kg of body, m^2: ``(A, B, C)``.

        ``A``: the trunk about the bar with the legs' mass at the hip; ``B``: the legs about
        the hip; ``C``: their coupling, ``legs_mass * trunk_m * legs_com_m``.
        """
        a = self.trunk_mass * (self.trunk_gyration_m**2 + self.trunk_com_m**2) \
            + self.legs_mass * self.trunk_m**2
        b = self.legs_mass * (self.legs_gyration_m**2 + self.legs_com_m**2)
        return a, b, self.legs_mass * self.trunk_m * self.legs_com_m

    @property
    def weight_arms(self) -> tuple[float, float]:
        """Mass-weighted arms of gravity (m): of the trunk angle, of the legs' angle."""
        return (self.trunk_mass * self.trunk_com_m + self.legs_mass * self.trunk_m,
                self.legs_mass * self.legs_com_m)

    def inertia(self, legs_rad: float) -> tuple[float, float]:
        """``(M, N)``, m^2: angular momentum about the bar per kg is ``M phi' + N beta'``.

        ``phi`` is the trunk's angle from the downward vertical (positive: the hip forward of
        the bar), ``beta`` the legs' angle to the trunk (positive: the legs raised forward).
        """
        a, b, c = self.inertia_terms
        cos = math.cos(legs_rad)
        return a + b + 2.0 * c * cos, b + c * cos

    def gravity_torque(self, trunk_rad: float, legs_rad: float) -> float:
        """Torque of gravity about the bar per kg of body, m^2/s^2 (positive: forward)."""
        w1, w2 = self.weight_arms
        return -GRAVITY * (w1 * math.sin(trunk_rad) + w2 * math.sin(trunk_rad + legs_rad))

    @property
    def natural_rad_s(self) -> float:
        """Angular frequency of small swings with the legs down, rad/s."""
        w1, w2 = self.weight_arms
        return math.sqrt(GRAVITY * (w1 + w2) / self.inertia(0.0)[0])

    @property
    def damping(self) -> float:
        """Damping of the swing at the bar, torque per angular rate per kg, m^2/s."""
        return 2.0 * self.damping_ratio * self.natural_rad_s * self.inertia(0.0)[0]

    def com_angle(self, trunk_rad: FloatArray, legs_rad: FloatArray) -> FloatArray:
        """The whole body's pendulum angle, rad, same shape as the inputs (rad).

        The angle of the line from the bar to the body's centre of mass from the downward
        vertical, positive forward: 0 at rest, whatever the legs' angle.
        """
        w1, w2 = self.weight_arms
        gamma = trunk_rad + legs_rad
        return np.asarray(np.arctan2(w1 * np.sin(trunk_rad) + w2 * np.sin(gamma),
                                     w1 * np.cos(trunk_rad) + w2 * np.cos(gamma)))


def trunk_motion(body: HangingBody, legs_rad: FloatArray, legs_rate: FloatArray,
                 torque: FloatArray, dt_s: float) -> tuple[FloatArray, FloatArray]:
    """The trunk's swing about the bar, driven by the prescribed legs, from rest.

    Integrates, by classical Runge-Kutta (4th order) on the grid of the inputs, the angular
    momentum balance about the bar (the hands are a free pivot with light damping)::

        H = M(beta) phi' + N(beta) beta'
        dH/dt = gravity_torque(phi, beta) - damping phi' + torque

    in the state ``(phi, H)``: ``phi' = (H - N beta') / M`` needs the legs' rate, never their
    acceleration. Inputs between grid points: the legs' angle by cubic Hermite interpolation,
    their rate and the torque linearly.

    Args:
        body: the hanging body.
        legs_rad: shape (n,), the legs' angle to the trunk (``beta``), rad.
        legs_rate: shape (n,), its rate, rad/s.
        torque: shape (n,), external torque about the bar per kg of body (a push), m^2/s^2.
        dt_s: grid step, s.

    Returns:
        ``phi`` (rad) and ``phi'`` (rad/s), shape (n,) each; ``phi = 0``, ``H = 0`` at sample 0.

    """
    a, b, c = body.inertia_terms
    w1, w2 = body.weight_arms
    damp = body.damping
    g = GRAVITY

    def rates(phi: float, h: float, beta: float, dbeta: float, tau: float) -> tuple[float, float]:
        cos = math.cos(beta)
        dphi = (h - (b + c * cos) * dbeta) / (a + b + 2.0 * c * cos)
        dh = -g * (w1 * math.sin(phi) + w2 * math.sin(phi + beta)) - damp * dphi + tau
        return dphi, dh

    beta = legs_rad.tolist()
    dbeta = legs_rate.tolist()
    tq = torque.tolist()
    n = len(beta)
    phi_out = [0.0] * n
    rate_out = [0.0] * n
    phi, h = 0.0, 0.0
    rate_out[0] = rates(phi, h, beta[0], dbeta[0], tq[0])[0]
    half = 0.5 * dt_s
    for i in range(n - 1):
        b0, b1, d0, d1 = beta[i], beta[i + 1], dbeta[i], dbeta[i + 1]
        bm = 0.5 * (b0 + b1) + dt_s / 8.0 * (d0 - d1)
        dm = 0.5 * (d0 + d1)
        tm = 0.5 * (tq[i] + tq[i + 1])
        k1p, k1h = rates(phi, h, b0, d0, tq[i])
        k2p, k2h = rates(phi + half * k1p, h + half * k1h, bm, dm, tm)
        k3p, k3h = rates(phi + half * k2p, h + half * k2h, bm, dm, tm)
        k4p, k4h = rates(phi + dt_s * k3p, h + dt_s * k3h, b1, d1, tq[i + 1])
        phi += dt_s / 6.0 * (k1p + 2.0 * k2p + 2.0 * k3p + k4p)
        h += dt_s / 6.0 * (k1h + 2.0 * k2h + 2.0 * k3h + k4h)
        phi_out[i + 1] = phi
        rate_out[i + 1] = rates(phi, h, b1, d1, tq[i + 1])[0]
    return np.asarray(phi_out), np.asarray(rate_out)


@dataclass(frozen=True)
class HangingMotion:
    """The bodily motion of a hanging session, on the sensor's fine grid.

    Attributes:
        time_s: shape (n,), the grid's times, s (sample i at ``(i - (k - 1) / 2) / fine``).
        trunk_deg: shape (n,), the trunk's angle about the bar from the downward vertical,
            positive with the hip forward of the bar, deg (integrated, not prescribed).
        legs_deg: shape (n,), the legs' angle to the trunk, raised forward positive, deg.
        swing_deg: shape (n,), the whole body's pendulum angle (bar to centre of mass), deg.
        body: the body's links.
        pushes_s: times of the pushes that set the body swinging (``body_pendulum``), s.

    """

    time_s: FloatArray
    trunk_deg: FloatArray
    legs_deg: FloatArray
    swing_deg: FloatArray
    body: HangingBody
    pushes_s: tuple[float, ...] = ()


LEGS_BACK_MAX = 0.4
"""A wind-up swings the legs back by at most this share of their raise (28-44 deg)."""


def _legs_curve(s: FloatArray, lead: float) -> tuple[FloatArray, FloatArray]:
    """The legs' share of their raise at curl progress ``s``, and its slope d/ds.

    ``h(s) = s + lead s (1 - s)`` on [0, 1] (the legs lead, the pelvis curls most at the
    top). Below 0 (a wind-up swings the legs back) ``h = c tanh((1 + lead) s / c)`` with
    ``c`` = :data:`LEGS_BACK_MAX`, above 1 a straight line: C1 throughout.
    """
    c = LEGS_BACK_MAX
    back = np.tanh((1.0 + lead) * np.minimum(s, 0.0) / c)
    h = np.where(s < 0.0, c * back,
                 np.where(s > 1.0, 1.0 + (1.0 - lead) * (s - 1.0), s + lead * s * (1.0 - s)))
    dh = np.where(s < 0.0, (1.0 + lead) * (1.0 - back**2),
                  np.where(s > 1.0, 1.0 - lead, 1.0 + lead * (1.0 - 2.0 * s)))
    return h, dh


def _hanging(plan: _Plan, theta_deg: FloatArray, rate_dps: FloatArray, t: FloatArray,
             fine: float, rng: np.random.Generator, swinging: bool) -> HangingMotion:
    """Legs that follow the curl, pushes before sets, and the trunk's swing that results.

    Args:
        plan: the session's reps.
        theta_deg: shape (n,), the curl (pelvis to trunk, concentric positive), deg on ``t``.
        rate_dps: shape (n,), its rate, deg/s.
        t: shape (n,), the grid, s.
        fine: the grid's rate, Hz.
        rng: the body's own draws.
        swinging: push the body swinging before every set (``SessionSpec.body_pendulum``).

    """
    body = HangingBody.draw(rng)
    raise_deg = float(rng.uniform(70.0, 110.0))
    lead = float(rng.uniform(0.4, 0.9))
    legs = np.zeros(len(t))
    legs_rate = np.zeros(len(t))
    for rep in plan.reps:
        start = rep.windup.t0 if rep.windup is not None else rep.con.t0
        lo = int(np.searchsorted(t, start))
        hi = int(np.searchsorted(t, rep.ecc.t0 + rep.ecc.duration, side="right"))
        ratio = rep.con.rotation_deg / plan.rom
        if ratio < 0.9 and rng.uniform() < 0.5:
            amp = raise_deg * ratio * float(rng.uniform(0.9, 1.1))  # a partial raise
        else:
            amp = raise_deg * float(rng.uniform(0.92, 1.05))  # hip flexors only, if partial
        s = (theta_deg[lo:hi] - theta_deg[lo]) / rep.con.rotation_deg
        h, dh = _legs_curve(s, lead)
        legs[lo:hi] = amp * h
        legs_rate[lo:hi] = amp * dh * rate_dps[lo:hi] / rep.con.rotation_deg
    torque = np.zeros(len(t))
    pushes: list[float] = []
    if swinging:
        i0 = body.inertia(0.0)[0]
        firsts = [r for r in plan.reps if r.rep_no == 1]
        for rep in firsts:
            start = rep.windup.t0 if rep.windup is not None else rep.con.t0
            centre = start - float(rng.uniform(1.5, 2.5))
            dur = 0.3
            amp = math.radians(float(rng.uniform(2.0, 15.0))) * float(rng.choice((-1.0, 1.0)))
            impulse = i0 * body.natural_rad_s * amp
            tau = (t - centre) / dur + 0.5
            inside = (tau >= 0.0) & (tau <= 1.0)
            torque[inside] += impulse / dur * 2.0 * np.sin(np.pi * tau[inside]) ** 2
            pushes.append(centre)
    trunk, _ = trunk_motion(body, np.radians(legs), np.radians(legs_rate), torque, 1.0 / fine)
    swing = body.com_angle(trunk, np.radians(legs))
    return HangingMotion(t, np.degrees(trunk), legs, np.degrees(swing), body, tuple(pushes))


def _smoothstep(x: FloatArray) -> FloatArray:
    """The quintic smoothstep of ``x`` clipped to [0, 1] (zero rate and curvature at 0, 1)."""
    u = np.clip(x, 0.0, 1.0)
    return np.asarray(u**3 * (10.0 - 15.0 * u + 6.0 * u**2))


def _angle(phases: Sequence[_Phase], t: FloatArray, rate: float) -> FloatArray:
    """The angle the phases turn through, deg, on the uniform grid ``t`` of ``rate`` Hz."""
    return np.cumsum(_render(phases, t)) / rate


# --- braced exercises: leg raise and dead bug --------------------------------------------
@dataclass(frozen=True)
class _BracedRep:
    """How the pelvis of one braced rep answers the limbs.

    Attributes:
        side: dead bug: +1 for the left limb, -1 for the right; leg raise 0.
        pull_deg: the hip flexors' anterior pull at its largest lever, deg.
        power: dead bug: the pull grows as the limb's extension to this power.
        rotation_deg: dead bug: the turn about the long axis toward the moving side, deg.
        rotation_power: dead bug: the turn grows as the extension to this power.
        release_s: leg raise: the pull lets go over this long after the legs touch down, s.

    """

    side: float
    pull_deg: float
    power: float
    rotation_deg: float
    rotation_power: float
    release_s: float


@dataclass(frozen=True)
class _Braced:
    """A braced session: the curl's lateness (leg raise), the legs' top angle, each rep."""

    late: float
    top_rad: float
    reps: tuple[_BracedRep, ...]

    @classmethod
    def draw(cls, plan: _Plan, alternating: bool, rng: np.random.Generator) -> _Braced:
        """Per-rep pulls straddling the back-arch threshold (and the rotations, dead bug).

        Leg raise: 75% of reps braced (pull 0-2.5 deg), 25% losing it (2.5-12 deg). Dead bug:
        the net tilt at full extension is ``rom - pull``, so the pull is drawn against the
        rep's ROM: 75% braced, up to 0.7 ``rom``, 25% from there to ``rom + 14``; rotation
        78% 0.3-3.5 deg, 22% 3-12 deg.
        """
        late = float(rng.uniform(0.0, 0.6))
        top = math.radians(float(rng.uniform(60.0, 90.0)))
        reps: list[_BracedRep] = []
        side = 1.0
        for rep in plan.reps:
            if alternating:
                side = float(rng.choice((-1.0, 1.0))) if rep.rep_no == 1 else -side
                rom = rep.con.rotation_deg
                pull = (float(rng.uniform(0.0, 0.7 * rom)) if rng.uniform() < 0.75
                        else float(rng.uniform(0.7 * rom, rom + 14.0)))
                turn = (float(rng.uniform(0.3, 3.5)) if rng.uniform() < 0.78
                        else float(rng.uniform(3.0, 12.0)))
                reps.append(_BracedRep(side, pull, float(rng.uniform(2.0, 4.0)), turn,
                                       float(rng.uniform(1.0, 2.0)), 0.0))
            else:
                pull = (float(rng.uniform(0.0, 2.5)) if rng.uniform() < 0.75
                        else float(rng.uniform(2.5, 12.0)))
                reps.append(_BracedRep(0.0, pull, 1.0, 0.0, 1.0, float(rng.uniform(0.3, 0.6))))
        return cls(late, top, tuple(reps))

    def angles(self, plan: _Plan, drive_deg: FloatArray, t: FloatArray
               ) -> tuple[FloatArray, FloatArray]:
        """The pelvis' tilt (posterior positive) and turn about the long axis, deg, on ``t``.

        ``drive_deg`` is the planned rep movement on ``t`` (the velocity shapes, wind-ups and
        faults of :class:`_Plan`); ``s = drive / rom`` is the limbs' progress.

        Leg raise: the brace curls the pelvis posteriorly as the legs rise, more so near the
        top where their weight comes over the hip: ``rom g(s)``, ``g = (1 - late) s + late
        s^2`` (a wind-up, ``s < 0``, is an anterior rock as the legs press down, at most the
        rep's ROM: ``g = tanh(s)``). The hip flexors pull it
        anteriorly by ``pull cos(alpha)`` (the legs' lever, ``alpha = top s``) from the top
        hold through the lowering, where the brace is lost; the pull lets go once the legs
        rest on the floor.

        Dead bug: the limb extends with ``s``; the brace curls the pelvis by ``rom s`` and the
        hip flexor pulls it back by ``pull s^power`` (the lever grows late in the extension),
        and it turns toward the moving side by ``rotation s^rotation_power``.
        """
        s = drive_deg / plan.rom
        tilt = np.zeros(len(t))
        turn = np.zeros(len(t))
        alternating = any(r.side != 0.0 for r in self.reps)
        if not alternating:
            tilt = plan.rom * np.where(s > 0.0, (1.0 - self.late) * s + self.late * s**2,
                                       np.tanh(s))
        for rep, b in zip(plan.reps, self.reps, strict=True):
            start = rep.windup.t0 if rep.windup is not None else rep.con.t0
            end = rep.ecc.t0 + rep.ecc.duration
            if alternating:
                lo = int(np.searchsorted(t, start))
                hi = int(np.searchsorted(t, end, side="right"))
                x = np.clip(s[lo:hi], 0.0, None)
                tilt[lo:hi] = plan.rom * x - b.pull_deg * x**b.power
                turn[lo:hi] = b.side * b.rotation_deg * x**b.rotation_power
                continue
            lo = int(np.searchsorted(t, rep.con.t0 + rep.con.duration))
            hi = int(np.searchsorted(t, end + b.release_s, side="right"))
            tt = t[lo:hi]
            con_end = rep.con.t0 + rep.con.duration
            gate = _smoothstep((tt - con_end) / (rep.ecc.t0 + 0.3 * rep.ecc.duration - con_end))
            gate = gate * (1.0 - _smoothstep((tt - end) / b.release_s))
            lever = np.cos(self.top_rad * np.clip(s[lo:hi], 0.0, 1.3))
            tilt[lo:hi] -= b.pull_deg * gate * lever
        return tilt, turn


# --- the plank: holds -----------------------------------------------------------------------
@dataclass
class _Hold:
    """One plank hold: getting up, the hold with its drift and tremor, getting down.

    Angles are the pelvis' tilt about its lateral axis (posterior, head-up positive) in deg,
    times in s. ``start_s``/``end_s`` are the planned hold (the last get-up phase ends, the
    first get-down phase starts); the truth's hold is where the get-up's rate falls below a
    tenth of its peak and where the get-down's first rises past a tenth of its own.

    """

    set_no: int
    rep_no: int
    start: str
    up: list[_Phase]
    down: list[_Phase]
    steps: list[_Phase]
    start_s: float
    end_s: float
    drift_kind: str
    drift_deg: float
    onset_s: float
    ramp_s: float
    correct_at_s: float
    correct_s: float
    correct_share: float
    wander: tuple[tuple[float, float, float], ...]
    wander_in_s: float
    tremor_dps: float
    tremor: tuple[tuple[float, float, float, float], ...]
    tremor_start: float
    tremor_power: float
    tremor_roll: float
    tremor_lift_m: float
    up_rise_m: float = 0.0
    up_back_m: float = 0.0
    down_rise_m: float = 0.0
    down_back_m: float = 0.0
    tremor_scale: float = 1.0

    FREEZE_S = 1.0
    """The drift's rate fades to zero over the last second of the hold."""
    TAPER_S = 0.5
    """The tremor fades in and out over this at the hold's ends."""

    def drift(self, t: FloatArray) -> FloatArray:
        """The hold's drift of the tilt from its start, deg: wander, fatigue, a correction.

        Zero before the hold; after it, held at its last value (the get-down starts from it).
        Its rate fades to zero over the last :attr:`FREEZE_S` (``t`` warped so).
        """
        tau = self.FREEZE_S
        u = np.clip((t - (self.end_s - tau)) / tau, 0.0, 1.0)
        tc = np.where(t < self.end_s - tau, t, self.end_s - tau + tau * (u - 0.5 * u**2))
        tc = np.clip(tc, self.start_s, None)
        wander = np.zeros(len(t))
        for amp, freq, phase in self.wander:
            wander += amp * (np.sin(2 * np.pi * freq * tc + phase)
                             - math.sin(2 * np.pi * freq * self.start_s + phase))
        out = wander * _smoothstep((tc - self.start_s) / self.wander_in_s)
        sign = {"sag": -1.0, "pike": 1.0}.get(self.drift_kind, 0.0)
        out += sign * self.drift_deg * _smoothstep((tc - self.onset_s) / self.ramp_s)
        out -= sign * self.drift_deg * self.correct_share * _smoothstep(
            (tc - self.correct_at_s) / self.correct_s)
        return np.asarray(out)

    def _envelope(self, t: FloatArray) -> FloatArray:
        u = np.clip((t - self.start_s) / (self.end_s - self.start_s), 0.0, 1.0)
        env = self.tremor_start + (1.0 - self.tremor_start) * u**self.tremor_power
        return np.asarray(env * _smoothstep((t - self.start_s) / self.TAPER_S)
                          * _smoothstep((self.end_s - t) / self.TAPER_S))

    def tremor_deg(self, t: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The tremor about the lateral axis and about the long axis, deg.

        A narrow band of sinusoids (fatigue tremor) under an envelope that grows through the
        hold; scaled by :attr:`tremor_scale` so that the RMS of its rate over the hold is
        :attr:`tremor_dps`.
        """
        inside = (t > self.start_s) & (t < self.end_s)
        tilt = np.zeros(len(t))
        roll = np.zeros(len(t))
        if not inside.any():
            return tilt, roll
        ti = t[inside]
        env = self._envelope(ti)
        a = np.zeros(len(ti))
        b = np.zeros(len(ti))
        for amp, freq, phase, roll_phase in self.tremor:
            a += amp * np.sin(2 * np.pi * freq * ti + phase)
            b += amp * np.sin(2 * np.pi * freq * ti + roll_phase)
        tilt[inside] = self.tremor_scale * env * a
        roll[inside] = self.tremor_scale * self.tremor_roll * env * b
        return tilt, roll


class _HoldPlan:
    """Lays out a plank session: sets of holds, each got into from the floor or the knees.

    Postures (tilt posterior positive, 0 lying prone): lying, the pelvis 9-13 cm up, tilt
    within 1.5 deg of level; on forearms and knees, the hips 22-32 cm higher and the pelvis
    tipped head-down 8-20 deg (the thighs near vertical, the trunk sloping to the shoulders);
    the plank, 6-13 deg head-up (Setup.rom_deg: the shoulders on the forearms 0.33-0.39 m up,
    the ankles on the toes 0.10-0.15 m, 1.25-1.5 m apart, give a body line of 8-12 deg, and
    the pelvis sits within 2 deg of it), the hips 12-20 cm above lying. From the floor the
    body rises in one movement of 1.2-2.5 s (half the time the hips overshoot, piking 2-6
    deg, and settle); from the knees each leg
    steps back in turn (0.6-1.2 s each), the pelvis turning 2-5 deg about its long axis toward
    the stepping side and back, the hips moving 15-30 cm back. Each set keeps one posture for
    its rests; between sets whose postures differ the person changes it mid-rest. Holds last
    ``spec.hold_s`` +-10%, with rests of 6-12 s on the floor between the holds of a set.
    """

    def __init__(self, spec: SessionSpec, setup: Setup, rng: np.random.Generator) -> None:
        self.spec, self.setup, self.rng = spec, setup, rng
        self.holds: list[_Hold] = []
        self.moves: list[tuple[list[_Phase], float, float, float]] = []
        """Each movement: its tilt phases, total tilt (deg), rise (m), shift back (m)."""
        self.start_deg = 0.0
        self.plank_deg = float(rng.uniform(*setup.rom_deg))
        self.floor_m = float(rng.uniform(0.09, 0.13))
        self.plank_m = self.floor_m + float(rng.uniform(0.12, 0.2))

    def _movement(self, t0: float, rotation: float) -> _Phase:
        """A whole-body movement from ``t0`` (1.2-2.5 s) with a controlled shape, drawn."""
        rng = self.rng
        family = CONTROLLED[int(rng.integers(len(CONTROLLED)))]
        params: tuple[float, ...] = ()
        if family == "trapezoid":
            params = (float(rng.uniform(0.15, 0.35)), float(rng.uniform(0.15, 0.35)))
        elif family == "beta":
            params = (float(rng.uniform(1.6, 3.2)), float(rng.uniform(1.6, 3.2)))
        elif family == "stall":
            params = (float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.35, 0.6)))
        return _Phase(t0, float(rng.uniform(1.2, 2.5)), rotation, family, params)

    def plan(self) -> float:
        """Lay out every set; returns the session's length, s."""
        rng = self.rng
        t = float(rng.uniform(3.0, 5.0))
        level: float | None = None
        height = 0.0
        for set_no in range(1, self.spec.sets + 1):
            start = "floor" if rng.uniform() < 0.6 else "knees"
            rest_deg = (float(rng.uniform(-1.5, 1.5)) if start == "floor"
                        else -float(rng.uniform(8.0, 20.0)))
            rest_m = self.floor_m + (0.0 if start == "floor" else float(rng.uniform(0.22, 0.32)))
            if level is None:
                self.start_deg, level, height = rest_deg, rest_deg, rest_m
            if set_no > 1:
                rest = float(self.spec.rest_s or 20.0) * float(rng.uniform(0.95, 1.1))
                if abs(rest_deg - level) > 0.1:
                    change = _Phase(t + 0.4 * rest, float(rng.uniform(1.5, 3.0)),
                                    rest_deg - level, "minjerk")
                    self.moves.append(([change], rest_deg - level, rest_m - height, 0.0))
                t += rest
            level, height = rest_deg, rest_m
            for rep_no in range(1, (self.spec.reps or 2) + 1):
                if rep_no > 1:
                    t += float(rng.uniform(6.0, 12.0))
                t = self.hold(set_no, rep_no, t, start, rest_deg, rest_m)
        return t + float(rng.uniform(5.0, 8.0))

    def hold(self, set_no: int, rep_no: int, t: float, start: str, rest_deg: float,
             rest_m: float) -> float:
        """Plan one hold from its get-up at ``t``; returns the end of its get-down."""
        rng = self.rng
        rise = self.plank_deg - rest_deg
        steps: list[_Phase] = []
        back = 0.0
        if start == "floor":
            main = self._movement(t, rise)
            up = [main]
            if rng.uniform() < 0.5:  # the hips overshoot (a pike) and settle
                over = float(rng.uniform(2.0, 6.0))
                at = main.t0 + main.duration * float(rng.uniform(0.5, 0.8))
                peak = _Phase(at, float(rng.uniform(0.5, 0.9)), over, "minjerk")
                settle = _Phase(peak.t0 + peak.duration + float(rng.uniform(0.1, 0.4)),
                                float(rng.uniform(0.8, 1.5)), -over, "minjerk")
                up += [peak, settle]
        else:
            first = float(rng.uniform(0.4, 0.6))
            back = -float(rng.uniform(0.15, 0.3))
            up = []
            side = float(rng.choice((-1.0, 1.0)))
            at = t
            for share in (first, 1.0 - first):
                dur = float(rng.uniform(0.6, 1.2))
                up.append(_Phase(at, dur, rise * share, "minjerk"))
                turn = side * float(rng.uniform(2.0, 5.0))
                steps += [_Phase(at, dur / 2, turn, "minjerk"),
                          _Phase(at + dur / 2, dur / 2, -turn, "minjerk")]
                side = -side
                at += dur + float(rng.uniform(0.2, 0.6))
        start_s = max(p.t0 + p.duration for p in up)
        hold_s = float(self.spec.hold_s) * float(rng.uniform(0.9, 1.1))
        end_s = start_s + hold_s
        # The drift: a slow wander; on sagging or piking holds fatigue tips the pelvis by
        # 1.5-13 deg (straddling the 5 deg threshold), sometimes corrected.
        u = float(rng.uniform())
        kind = "sag" if u < 0.3 else ("pike" if u < 0.55 else "level")
        size = float(rng.uniform(1.5, 13.0)) if kind != "level" else 0.0
        onset = start_s + hold_s * float(rng.uniform(0.15, 0.7))
        ramp = hold_s * float(rng.uniform(0.15, 0.5))
        corrected = rng.uniform() < 0.35
        correct_at = onset + ramp + float(rng.uniform(0.0, 0.2)) * hold_s
        wander = tuple((float(rng.uniform(0.1, 0.6)), float(rng.uniform(0.02, 0.12)),
                        float(rng.uniform(0, 2 * np.pi))) for _ in range(3))
        # The tremor: half the holds steady (0.3-2.5 deg/s), half shaking 2.5-14 deg/s RMS.
        shaking = (float(rng.uniform(0.3, 2.5)) if rng.uniform() < 0.5
                   else float(rng.uniform(2.5, 14.0)))
        f0, band = float(rng.uniform(5.0, 10.0)), float(rng.uniform(1.0, 3.0))
        tremor = tuple((abs(float(rng.normal())), float(rng.uniform(f0 - band / 2, f0 + band / 2)),
                        float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(0, 2 * np.pi)))
                       for _ in range(20))
        hold = _Hold(set_no, rep_no, start, up, [], steps, start_s, end_s, kind, size, onset,
                     ramp, correct_at, float(rng.uniform(0.8, 2.0)),
                     float(rng.uniform(0.3, 0.8)) if corrected else 0.0, wander,
                     float(rng.uniform(2.0, 4.0)), shaking, tremor,
                     float(rng.uniform(0.1, 1.0)), float(rng.uniform(0.5, 3.0)),
                     float(rng.uniform(0.2, 0.6)), float(rng.uniform(0.05, 0.2)))
        # The tremor's size: the RMS of its rate over the hold, on a fine grid.
        grid = np.arange(start_s, end_s, 1.0 / FINE_RATE_HZ)
        rms = float(np.std(np.gradient(hold.tremor_deg(grid)[0]) * FINE_RATE_HZ))
        hold.tremor_scale = shaking / max(rms, 1e-12)
        drift_end = float(hold.drift(np.array([end_s + 1.0]))[0])
        fall = rest_deg - self.plank_deg - drift_end
        if start == "floor":
            down = self._movement(end_s, fall)
            down.duration = float(rng.uniform(0.8, 2.0))
        else:
            down = _Phase(end_s, float(rng.uniform(0.7, 1.4)), fall, "minjerk")
        hold.down = [down]
        lift = self.lift_per_rad
        hold.up_rise_m, hold.up_back_m = self.plank_m - rest_m, back
        hold.down_rise_m = rest_m - self.plank_m - lift * math.radians(drift_end)
        hold.down_back_m = -back
        self.moves.append((up, rise, hold.up_rise_m, hold.up_back_m))
        self.moves.append(([down], fall, hold.down_rise_m, hold.down_back_m))
        self.holds.append(hold)
        return down.t0 + down.duration

    lift_per_rad = 0.3
    """The hips rise (m) per radian of posterior drift (pike up, sag down): the pelvis tips
    with the legs, pivoting on the toes, and with the lumbar spine."""

    def motion(self, t: FloatArray, rate: float
               ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """On the uniform grid ``t`` (``rate`` Hz): tilt and roll (deg), rise and shift (m).

        Tilt: posterior positive, the rep's own (get-up, drift, tremor, get-down), without
        breathing. Roll: about the long axis (steps and tremor). Rise: the pelvis' height
        above its start, m; shift: along the body's long axis toward the head, m.
        """
        tilt = np.full(len(t), self.start_deg)
        roll = np.zeros(len(t))
        rise = np.zeros(len(t))
        shift = np.zeros(len(t))
        for phases, total, up_m, back_m in self.moves:
            angle = _angle(phases, t, rate)
            tilt += angle
            share = angle / total if abs(total) > 1e-9 else np.zeros(len(t))
            rise += up_m * share
            shift += back_m * share
        for hold in self.holds:
            drift = hold.drift(t)
            shake, shake_roll = hold.tremor_deg(t)
            tilt += drift + shake
            roll += shake_roll + _angle(hold.steps, t, rate)
            rise += self.lift_per_rad * np.radians(drift) + hold.tremor_lift_m * np.radians(shake)
        return tilt, roll, rise, shift


def _crossing(v: FloatArray, rate: float, last: bool) -> float:
    """Where ``|v|`` last falls below (``last``) or first rises past a tenth of its peak, s.

    Linearly interpolated between samples of the grid ``i / rate``.
    """
    a = np.abs(v)
    level = defs.PHASE_FRACTION * float(a.max())
    above = np.flatnonzero(a >= level)
    if last:
        k = int(above[-1])
        if k + 1 >= len(a):
            return k / rate
        return (k + (a[k] - level) / max(a[k] - a[k + 1], 1e-12)) / rate
    k = int(above[0])
    if k == 0:
        return 0.0
    return (k - (a[k] - level) / max(a[k] - a[k - 1], 1e-12)) / rate


def _hold_truth(plan: _HoldPlan, theta: FloatArray, rate: float, applicable: frozenset[str],
                exercise: str) -> pd.DataFrame:
    """One row per hold, measured by the definitions on the noise-free tilt ``theta``.

    ``theta``: deg, posterior positive, on the grid ``i / rate``. The hold runs from where the
    get-up's rate falls below a tenth of its peak to where the get-down's rises past a tenth
    of its own; drift and shaking are measured over it. Rows as :mod:`imu.sim` writes a hold:
    ``con_start_s``/``ecc_end_s`` the hold's ends, ``hold_s`` = ``top_hold_s`` = ``tut_s``
    its length, ``rom_deg`` the drift.
    """
    t = np.arange(len(theta)) / rate
    v = np.gradient(theta) * rate
    rows: list[dict[str, object]] = []
    nan = math.nan
    for hold in plan.holds:
        lo_up = int(np.searchsorted(t, min(p.t0 for p in hold.up)))
        hi_up = int(np.searchsorted(t, hold.start_s, side="right"))
        start = lo_up / rate + _crossing(_render(hold.up, t[lo_up:hi_up]), rate, last=True)
        down = hold.down[0]
        lo_dn = int(np.searchsorted(t, down.t0))
        hi_dn = int(np.searchsorted(t, down.t0 + down.duration, side="right"))
        end = lo_dn / rate + _crossing(_render(hold.down, t[lo_dn:hi_dn]), rate, last=False)
        drift = defs.drift_deg(theta, rate, start, end)
        shaking = defs.shaking_dps(v, rate, start, end)
        q = {"swing_features": 0.0, "rom_deg": drift, "peak_concentric_velocity_dps": nan,
             "eccentric_ratio": nan, "top_hold_ratio": nan, "rom_ratio": nan, "arch_deg": nan,
             "rotation_deg": nan, "body_swing_deg": nan, "drift_deg": drift,
             "shaking_dps": shaking}
        row: dict[str, object] = {
            "set": hold.set_no, "rep": hold.rep_no, "exercise": exercise, "side": "",
            "family": hold.start, "con_start_s": start, "con_end_s": nan, "ecc_start_s": nan,
            "ecc_end_s": end, "concentric_s": nan, "top_hold_s": end - start,
            "eccentric_s": nan, "tut_s": end - start, "hold_s": end - start,
            "peak_eccentric_velocity_dps": nan, "peak_time_fraction": nan,
            "concentric_ratio": nan, "windup_deg": nan, **q,
        }
        row["swing_features"] = 0
        row.update(defs.labels(q, applicable, False, False))
        rows.append(row)
    truth = pd.DataFrame(rows)
    truth["bottom_pause_s"] = (
        truth.groupby("set")["con_start_s"].shift(-1) - truth["ecc_end_s"]
    ).astype(float)
    return truth.reindex(columns=list(TRUTH_COLUMNS))


def generate(spec: SessionSpec) -> Generated:
    """One session for ``spec`` (its exercise, tempo, reps, sets, rest, rate, seed, loss).

    Raises:
        EvalError: the exercise is not one of :data:`SETUPS`.

    """
    if spec.exercise not in SETUPS:
        raise EvalError(f"the second generator makes {', '.join(SETUPS)}, "
                        f"not {spec.exercise!r}")
    setup = SETUPS[spec.exercise]
    tempo = spec.tempo or Tempo(3, 1, 3)
    rng = np.random.default_rng([spec.seed, 2])
    plan = _Plan(spec, setup, tempo, rng)
    # The plank's and the braced exercises' own draws come apart ([seed, 4]).
    own = np.random.default_rng([spec.seed, 4])
    holds = _HoldPlan(spec, setup, own) if setup.model == "hold" else None
    duration = holds.plan() if holds is not None else plan.plan()
    rate = float(spec.sampling_rate_hz)
    k = max(1, math.ceil(FINE_RATE_HZ / rate))
    fine = rate * k
    n_out = int(duration * rate)
    phases = [p for r in plan.reps for p in (r.con, r.ecc, r.windup) if p is not None]
    # Truth on the grid i / fine; the sensor on a grid shifted by half an output sample less
    # half a fine step, so that each output sample is the mean of a window centred on it.
    t_truth = np.arange(n_out * k) / fine
    theta_truth = np.cumsum(_render(phases, t_truth)) / fine
    applicable = setup.labels
    if tempo.top_hold_s < defs.MIN_PRESCRIBED_HOLD_S:
        applicable = applicable - {"short_hold"}
    t = np.asarray((np.arange(n_out * k) - (k - 1) / 2.0) / fine, dtype=np.float64)
    rate_dps = _render(phases, t)
    theta_deg = np.cumsum(rate_dps) / fine  # concentric positive
    hanging: HangingMotion | None = None
    pelvis_deg = theta_deg
    roll_deg = np.zeros(len(t))  # the rep's own turn about the long axis, deg
    rise_m = np.zeros(len(t))  # the pelvis' rise (m) and shift toward the head (m): plank
    shift_m = np.zeros(len(t))
    if holds is not None:
        theta_truth = holds.motion(t_truth, fine)[0]
        pelvis_deg, roll_deg, rise_m, shift_m = holds.motion(t, fine)
        truth = _hold_truth(holds, theta_truth, fine, applicable, spec.exercise)
    elif setup.model in ("legs", "limbs"):
        braced = _Braced.draw(plan, setup.model == "limbs", own)
        theta_truth, turn_truth = braced.angles(plan, theta_truth, t_truth)
        pelvis_deg, roll_deg = braced.angles(plan, theta_deg, t)
        sides = ([{1.0: "left", -1.0: "right"}[b.side] for b in braced.reps]
                 if setup.model == "limbs" else [])
        truth = _truth(plan, theta_truth, fine, applicable, spec.exercise,
                       rotation=turn_truth if setup.model == "limbs" else None, sides=sides)
    else:
        if setup.posture == "hanging":
            # The body's own draws, apart: the other exercises' sessions stay as they were.
            hanging = _hanging(plan, theta_deg, rate_dps, t, fine,
                               np.random.default_rng([spec.seed, 3]),
                               bool(getattr(spec, "body_pendulum", False)))
            # The curl is posterior (setup.sign -1) and so is a forward swing of the hip:
            # the pelvis turns by both (relative to the world) about its lateral axis.
            pelvis_deg = theta_deg + hanging.trunk_deg
        truth = _truth(plan, theta_truth, fine, applicable, spec.exercise, hanging)

    # The body: tilt about x with breathing, a sway about y (the long axis) on the sensor.
    breath = float(rng.uniform(0.1, 0.3)) * np.sin(
        2 * np.pi * float(rng.uniform(0.2, 0.35)) * t + float(rng.uniform(0, 2 * np.pi)))
    sway = float(rng.uniform(0.2, 0.6)) * np.sin(
        2 * np.pi * float(rng.uniform(0.05, 0.15)) * t + float(rng.uniform(0, 2 * np.pi)))
    tilt = np.radians(setup.sign * pelvis_deg + breath)
    body = _posture(setup.posture, float(rng.uniform(0, 2 * np.pi)))
    roll = np.radians(sway + roll_deg)
    r_wb = body[None] @ _rotations("x", tilt) @ _rotations("y", roll)
    mount = _random_rotation(rng)  # sensor axes in the body frame (columns)
    lever = np.array([rng.uniform(-0.15, 0.15), rng.uniform(-0.05, 0.1),
                      rng.uniform(0.1, 0.22)])
    # Angular velocity in the body frame: vee(R^T dR/dt), central differences.
    d_r = np.gradient(r_wb, 1.0 / fine, axis=0)
    skew = np.einsum("nji,njk->nik", r_wb, d_r)
    w_b = np.stack((skew[:, 2, 1], skew[:, 0, 2], skew[:, 1, 0]), axis=1)
    pos = np.einsum("nij,j->ni", r_wb, lever)
    if holds is not None:
        # The plank's pelvis rises and falls and moves along the body's long axis.
        pos = pos + rise_m[:, None] * np.array([0.0, 0.0, 1.0]) + shift_m[:, None] * body[:, 1]
    if hanging is not None:
        # The pelvis turns about the hip, which moves on a circle about the bar (world origin).
        trunk = np.radians(hanging.trunk_deg)
        forward = body[:, 2]
        hip = hanging.body.trunk_m * (np.sin(trunk)[:, None] * forward
                                      - np.cos(trunk)[:, None] * np.array([0.0, 0.0, 1.0]))
        pos = pos + hip
    acc_w = np.gradient(np.gradient(pos, 1.0 / fine, axis=0), 1.0 / fine, axis=0)
    acc_w[:, 2] += GRAVITY
    f_b = np.einsum("nji,nj->ni", r_wb, acc_w)
    gyr = (w_b @ mount).reshape(n_out, k, 3).mean(axis=1)
    acc = (f_b @ mount).reshape(n_out, k, 3).mean(axis=1)

    # The sensor's errors.
    gyr = gyr * (1.0 + rng.normal(0, 0.01, 3)) + np.radians(rng.normal(0, 0.8, 3))
    acc = acc * (1.0 + rng.normal(0, 0.01, 3)) + rng.normal(0, 0.03, 3)
    scale = math.sqrt(rate / 100.0)
    gyr = gyr + np.radians(0.07 * scale) * rng.normal(size=gyr.shape)
    acc = acc + 0.015 * scale * rng.normal(size=acc.shape)
    gyr = np.round(gyr / np.radians(2000 / 32768)) * np.radians(2000 / 32768)
    acc = np.round(acc / (16 * GRAVITY / 32768)) * (16 * GRAVITY / 32768)
    frames = math.ceil(n_out / 6)
    lost = np.repeat(rng.uniform(size=frames) < spec.packet_loss, 6)[:n_out]
    acc[lost] = np.nan
    gyr[lost] = np.nan
    return Generated(Recording(acc, gyr, rate), truth, theta_truth, fine, mount,
                     setup.posture, lever, hanging,
                     sensor_tilt_deg=pelvis_deg + setup.sign * breath,
                     sensor_roll_deg=sway + roll_deg, sensor_time_s=t)
