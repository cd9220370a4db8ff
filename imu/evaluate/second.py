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
        posture: ``supine`` or ``prone``.
        rom_deg: the session's range of motion is drawn from this range, deg.
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
        posture: ``supine`` or ``prone``.

    """

    recording: Recording
    truth: pd.DataFrame
    angle_deg: FloatArray
    fine_rate_hz: float
    mounting: FloatArray
    posture: str


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
           exercise: str) -> pd.DataFrame:
    """Measure every planned rep by the definitions on the noise-free rep angle (deg)."""
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
    """Body (x lateral, y superior, z anterior) to world (z up) at zero tilt."""
    up = 1.0 if posture == "supine" else -1.0
    y_w = np.array([1.0, 0.0, 0.0])
    z_w = np.array([0.0, 0.0, up])
    x_w = np.cross(y_w, z_w)
    base = np.column_stack((x_w, y_w, z_w))
    ch, sh = math.cos(heading), math.sin(heading)
    turn = np.array([[ch, -sh, 0.0], [sh, ch, 0.0], [0.0, 0.0, 1.0]])
    return np.asarray(turn @ base)


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
    truth = _truth(plan, theta_truth, fine, applicable, spec.exercise)
    t = np.asarray((np.arange(n_out * k) - (k - 1) / 2.0) / fine, dtype=np.float64)
    theta_deg = np.cumsum(_render(phases, t)) / fine  # concentric positive

    # The body: tilt about x with breathing, a sway about y (the long axis) on the sensor.
    breath = float(rng.uniform(0.1, 0.3)) * np.sin(
        2 * np.pi * float(rng.uniform(0.2, 0.35)) * t + float(rng.uniform(0, 2 * np.pi)))
    sway = float(rng.uniform(0.2, 0.6)) * np.sin(
        2 * np.pi * float(rng.uniform(0.05, 0.15)) * t + float(rng.uniform(0, 2 * np.pi)))
    tilt = np.radians(setup.sign * theta_deg + breath)
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
                     setup.posture)
