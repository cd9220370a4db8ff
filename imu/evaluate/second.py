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
- **Body and sensor**: supine (crunch, tilt) or prone (hip raise), a random heading, a random
  mounting, the sensor 10-24 cm from the axis the pelvis turns about; breathing (0.1-0.3 deg
  at 0.2-0.35 Hz) and a slow sway about the long axis (0.2-0.6 deg) on the sensor only;
  angular velocity and acceleration by central differences of the orientation and the
  sensor's position on a grid of 800 Hz or finer, averaged down to the output rate over
  windows centred on each output sample; gyro bias (0.8 deg/s per axis, rms), scale (1%),
  white noise, 16-bit quantization; lost frames of 6 samples as NaN.
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

    """

    posture: str
    rom_deg: tuple[float, float]
    sign: float
    swings: bool = True
    over_extension: bool = False
    labels: frozenset[str] = frozenset()


_TEMPO_LABELS = frozenset({"swing", "dropped_eccentric", "short_hold", "partial_rom"})
"""Labels of any rep done to a tempo prescription (the definitions table)."""

SETUPS: dict[str, Setup] = {
    "reverse-crunch": Setup("supine", (30.0, 60.0), -1.0, labels=_TEMPO_LABELS),
    "reverse-hip-raise": Setup("prone", (12.0, 30.0), 1.0, over_extension=True,
                               labels=_TEMPO_LABELS | {"over_extension"}),
    "pelvic-tilt": Setup("supine", (8.0, 15.0), -1.0, swings=False, labels=_TEMPO_LABELS),
    "hanging-leg-raise": Setup("hanging", (15.0, 35.0), -1.0,
                               labels=_TEMPO_LABELS | {"body_swing"}),
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

    """

    recording: Recording
    truth: pd.DataFrame
    angle_deg: FloatArray
    fine_rate_hz: float
    mounting: FloatArray
    posture: str
    lever_m: FloatArray
    hanging: HangingMotion | None = None


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
                t += float(rng.uniform(0.4, 1.5))
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
           exercise: str, swing: HangingMotion | None = None) -> pd.DataFrame:
    """Measure every planned rep by the definitions on the noise-free rep angle (deg).

    ``theta`` is the rep's own curl (hanging: the pelvis to the trunk, without the swing), on
    the grid ``i / rate``; ``swing`` (hanging) gives ``body_swing_deg``: the peak-to-peak of
    the whole body's pendulum angle over the 3 s before the concentric.
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
            arch_deg=defs.arch_deg(theta, rate, cs, ee), rotation_deg=0.0,
        )
        if swing is not None:
            t0 = float(swing.time_s[0])  # the swing's grid starts at t0, not 0
            q["body_swing_deg"] = defs.peak_to_peak(
                swing.swing_deg, rate, cs - defs.BODY_SWING_WINDOW_S - t0, cs - t0)
        rows.append({
            "set": rep.set_no, "rep": rep.rep_no, "exercise": exercise, "side": "",
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
    duration = plan.plan()
    rate = float(spec.sampling_rate_hz)
    k = max(1, math.ceil(FINE_RATE_HZ / rate))
    fine = rate * k
    n_out = int(duration * rate)
    phases = [p for r in plan.reps for p in (r.con, r.ecc, r.windup) if p is not None]
    # Truth on the grid i / fine; the sensor on a grid shifted by half an output sample less
    # half a fine step, so that each output sample is the mean of a window centred on it.
    theta_truth = np.cumsum(_render(phases, np.arange(n_out * k) / fine)) / fine
    applicable = setup.labels
    if tempo.top_hold_s < defs.MIN_PRESCRIBED_HOLD_S:
        applicable = applicable - {"short_hold"}
    t = np.asarray((np.arange(n_out * k) - (k - 1) / 2.0) / fine, dtype=np.float64)
    rate_dps = _render(phases, t)
    theta_deg = np.cumsum(rate_dps) / fine  # concentric positive
    hanging: HangingMotion | None = None
    pelvis_deg = theta_deg
    if setup.posture == "hanging":
        # The body's own draws, apart: the other exercises' sessions stay as they were.
        hanging = _hanging(plan, theta_deg, rate_dps, t, fine,
                           np.random.default_rng([spec.seed, 3]),
                           bool(getattr(spec, "body_pendulum", False)))
        # The curl is posterior (setup.sign -1) and so is a forward swing of the hip: the
        # pelvis turns by both (relative to the world) about its lateral axis.
        pelvis_deg = theta_deg + hanging.trunk_deg
    truth = _truth(plan, theta_truth, fine, applicable, spec.exercise, hanging)

    # The body: tilt about x with breathing, a sway about y (the long axis) on the sensor.
    breath = float(rng.uniform(0.1, 0.3)) * np.sin(
        2 * np.pi * float(rng.uniform(0.2, 0.35)) * t + float(rng.uniform(0, 2 * np.pi)))
    sway = float(rng.uniform(0.2, 0.6)) * np.sin(
        2 * np.pi * float(rng.uniform(0.05, 0.15)) * t + float(rng.uniform(0, 2 * np.pi)))
    tilt = np.radians(setup.sign * pelvis_deg + breath)
    body = _posture(setup.posture, float(rng.uniform(0, 2 * np.pi)))
    r_wb = body[None] @ _rotations("x", tilt) @ _rotations("y", np.radians(sway))
    mount = _random_rotation(rng)  # sensor axes in the body frame (columns)
    lever = np.array([rng.uniform(-0.15, 0.15), rng.uniform(-0.05, 0.1),
                      rng.uniform(0.1, 0.22)])
    # Angular velocity in the body frame: vee(R^T dR/dt), central differences.
    d_r = np.gradient(r_wb, 1.0 / fine, axis=0)
    skew = np.einsum("nji,njk->nik", r_wb, d_r)
    w_b = np.stack((skew[:, 2, 1], skew[:, 0, 2], skew[:, 1, 0]), axis=1)
    pos = np.einsum("nij,j->ni", r_wb, lever)
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
                     setup.posture, lever, hanging)
