"""Simulate a whole exercise session: person, movement plan, sensor, and the ground truth.

The pipeline (all vectorised on a fine grid of >= 1 kHz that is an integer multiple of the
output rate):

1. *Plan*: draw the person (nominal ROM, pause habit, mounting, lever arm...) and lay out the
   session as smooth movement pulses (:mod:`imu.sim.pulses`): a still start, sets of reps,
   rests with fidgeting, faults drawn per rep at the requested rates.
2. *Kinematics*: pelvis angles (reps + nuisance: fidget, breathing, tremor, sway, body swing)
   -> orientation, body angular velocity and the sensor's specific force including its lever
   arm (:mod:`imu.sim.kinematics`).
3. *Sensor*: anti-alias, sample, errors, int16 counts, lost frames (:mod:`imu.sim.sensor`).
4. *Truth*: phase boundaries measured with the 10%-of-peak convention on the noise-free
   angular velocity about the movement axis of the rep movement alone (nuisance excluded,
   see :data:`TRUTH_COLUMNS`).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial.transform import Rotation

from firmware_protocol.spec import ACC_RANGES_G, GYR_RANGES_DPS, OUTPUT_DATA_RATES_HZ
from imu.errors import SimulationError
from imu.frames import STANDARD_GRAVITY
from imu.io.atomic import atomic_path
from imu.io.recording import (
    Annotation,
    ClockMapping,
    Recording,
    RecordingMeta,
    gaps_from_nan,
    write_recording,
)
from imu.sim import definitions as defs
from imu.sim import kinematics, sensor
from imu.sim.exercises import (
    CONTROLLED_FAMILIES,
    EXERCISE_MODELS,
    EXERCISES,
    FAMILIES,
    FAULTS,
    SWING_FAMILIES,
    ExerciseModel,
    applicable_faults,
)
from imu.sim.pulses import (
    HEIGHT_CH,
    ROTATION_CH,
    THRESHOLD_FRACTION,
    TILT_CH,
    Pulse,
    coast_for_peak,
    pulse_for_convention,
    render_pulses,
    skew_for_peak,
)
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

MIN_FINE_RATE_HZ = 1000.0
"""The kinematics grid is the smallest integer multiple of the output rate at or above this."""

QUANTITY_COLUMNS: tuple[str, ...] = (
    "peak_time_fraction",
    "concentric_ratio",
    "windup_deg",
    "swing_features",
    "eccentric_ratio",
    "top_hold_ratio",
    "rom_ratio",
    "arch_deg",
    "rotation_deg",
    "body_swing_deg",
    "drift_deg",
    "shaking_dps",
)
"""The measured quantity behind each label (same names as the analyzer's reps table)."""

TRUTH_COLUMNS: tuple[str, ...] = (
    "set",
    "rep",
    "exercise",
    "side",
    "family",
    "con_start_s",
    "con_end_s",
    "ecc_start_s",
    "ecc_end_s",
    "concentric_s",
    "top_hold_s",
    "eccentric_s",
    "bottom_pause_s",
    "tut_s",
    "hold_s",
    "rom_deg",
    "peak_concentric_velocity_dps",
    "peak_eccentric_velocity_dps",
    *QUANTITY_COLUMNS,
    *FAULTS,
)
"""Columns of the ground-truth table (one row per rep, or per hold for the plank).

Everything is measured on the noise-free kinematics of the rep movement alone: breathing,
tremor, sway, fidgeting and the hanging body's pendulum are left out (the plank's shaking
fault is part of the hold's movement and is in). Definitions: ``docs/analysis.md``,
"Metrics and faults: the definitions"; implementation: :mod:`imu.sim.definitions`.

- ``set``, ``rep``: 1-based; ``rep`` counts within the set (alternating sides count each side).
- ``side``: ``"left"``/``"right"`` for alternating exercises, else ``""``.
- ``family``: the motion family the rep was generated from (:data:`imu.sim.exercises.FAMILIES`):
  controlled ``bell``, ``skewed``, ``plateau``, ``sine``; swings ``toss-windup``,
  ``toss-overshoot``, ``burst-coast``; ``hip-drive`` (standing curl), ``hold`` (plank).
- ``con_start_s`` ... ``ecc_end_s``: seconds from the first sample; where the angular velocity
  about the movement axis (pelvis z times the exercise's movement sign, so the concentric is
  positive) crosses 10% of that phase's peak. A swing rep's concentric is its main movement
  (not the wind-up) and its eccentric the main return (not the overshoot recoil).
- ``concentric_s = con_end - con_start``, ``top_hold_s = ecc_start - con_end``,
  ``eccentric_s = ecc_end - ecc_start``, ``bottom_pause_s`` = next rep's ``con_start_s`` minus
  this ``ecc_end_s`` (NaN for the last rep of a set), ``tut_s = ecc_end - con_start``.
- ``hold_s``: plank only (NaN otherwise): the hold from ``con_start_s`` (end of getting into
  position) to ``ecc_end_s`` (start of getting down); for the plank ``con_end_s``,
  ``ecc_start_s``, ``concentric_s``, ``eccentric_s`` and peak velocities are NaN and
  ``top_hold_s = tut_s = hold_s``.
- ``rom_deg``: max theta over [con_start, ecc_start] - theta(con_start), theta the movement
  angle (movement sign times tilt); for the plank ``drift_deg``.
- ``peak_concentric_velocity_dps``, ``peak_eccentric_velocity_dps``: peak speeds of the two
  phases, both reported as positive magnitudes, deg/s.
- the quantities :data:`QUANTITY_COLUMNS` (NaN where one does not exist: rep quantities for
  holds, hold quantities for reps, ``body_swing_deg`` when not hanging, ``top_hold_ratio``
  for prescribed holds under 1 s, ``rom_ratio`` for the first rep and for holds).
- one bool column per label (:data:`imu.sim.exercises.FAULTS`, ``swing`` first): the
  definition's threshold applied to its quantity, True only where the fault applies to the
  exercise. Standing curl: ``swing`` is every pelvic burst of at least 5 deg and 15 deg/s.
"""


DEFAULT_HOLD_S = 45.0
"""A simulated plank's hold when none is asked for, s."""

HOLD_BREAK_S = (4.0, 10.0)
"""Break between two holds of one simulated plank set, from the end of getting down to the
start of getting up again, s (drawn uniformly); from one hold's end to the next one's start
(what the analyzer reads) getting down and up add 1-2.5 s each. A pause of more than 15 s
starts a new set by the analyzer's definition (``set_rest_s``), so a set's pauses stay clear
of it, edges' timing errors included: breaks of 8-15 s gave pauses of up to 18 s and split
one asked-for set in two (``imu live --sim plank --sim-sets 2`` gave 3 sets)."""


@dataclass(frozen=True)
class SessionSpec:
    """What to simulate. Every field has a unit or a range in its description.

    Attributes:
        exercise: one of :data:`EXERCISES`.
        tempo: prescribed tempo (concentric-hold-eccentric[-pause], s); None = the exercise's
            default (2-1-2, pelvic tilt 2-5-2). Ignored by the plank.
        reps: reps per set (alternating exercises: each side counts); plank: holds per set.
            None = exercise default.
        sets: number of sets (>= 1).
        rest_s: rest between sets, s; varied +-10% per rest. None = 30-60 s drawn per rest.
        sampling_rate_hz: output data rate, one of 26, 52, 104, 208, 416, 833 Hz.
        seed: seed of the session's random generator (everything random derives from it).
        faults: fault name -> probability per rep (per hold for the plank), in [0, 1].
        noise: add sensor errors (white noise, bias + drift, scale). False = ideal sensor.
        quantize: round to int16 counts of the ranges and saturate.
        micro_motion: breathing, physiological tremor, postural sway and fidgeting in rests.
            False gives perfectly still rests (for physics tests).
        packet_loss: probability that a frame of ``samples_per_frame`` samples is lost, [0, 1).
        samples_per_frame: samples per BLE frame (>= 1).
        jitter_s: mean extra host receive delay per frame (exponential), s (>= 0).
        latency_s: fixed host receive latency, s.
        clock_drift_ppm: device clock rate error relative to the host, ppm.
        mounting: sensor-to-pelvis rotation (``v_pelvis = mounting.apply(v_sensor)``).
            None = uniformly random.
        lever_arm_m: sensor position relative to the pelvis rotation pivot, pelvis frame, m.
            None = random direction, 5-20 cm.
        pendulum_length_m: hanging exercises: bar to the pelvis' centre, m. None = 0.8-1.1 m.
        body_pendulum: hanging exercises: the whole session swings (kicks before every set
            and every rep, 0-6 deg, so the swing before a rep straddles the 5 deg threshold),
            besides the per-rep ``body_swing`` fault and the small swing every rep excites.
        families: motion family -> weight, to restrict or weight the families drawn
            (:data:`imu.sim.exercises.FAMILIES`). Controlled and swing families are drawn
            separately: a kind none of whose families is named keeps equal weights.
            None = equal weights.
        hold_s: plank hold, s (varied +-10% per hold).
        acc_range_g: accelerometer full scale, one of 2, 4, 8, 16 g.
        gyr_range_dps: gyroscope full scale, one of 125, 250, 500, 1000, 2000 deg/s.

    """

    exercise: str
    tempo: Tempo | None = None
    reps: int | None = None
    sets: int = 3
    rest_s: float | None = None
    sampling_rate_hz: int = 104
    seed: int = 0
    faults: Mapping[str, float] = field(default_factory=dict)
    noise: bool = True
    quantize: bool = True
    micro_motion: bool = True
    packet_loss: float = 0.0
    samples_per_frame: int = 8
    jitter_s: float = 0.0
    latency_s: float = 0.03
    clock_drift_ppm: float = 0.0
    mounting: Rotation | None = None
    lever_arm_m: tuple[float, float, float] | None = None
    pendulum_length_m: float | None = None
    body_pendulum: bool = False
    families: Mapping[str, float] | None = None
    hold_s: float = DEFAULT_HOLD_S
    acc_range_g: int = 8
    gyr_range_dps: int = 500


@dataclass(frozen=True)
class SimulatedSession:
    """A simulated recording and everything known about how it was made.

    Attributes:
        spec: the request.
        recording: what the sensor delivered on its uniform grid (NaN in lost frames).
        truth: ground truth, one row per rep (columns :data:`TRUTH_COLUMNS`).
        frame_host_times_s: shape (n_frames,), host receive time of each frame of
            ``spec.samples_per_frame`` samples, s (NaN for lost frames).
        pelvis_angles_rad: shape (n, 3), true tilt, obliquity, rotation on the output grid
            (all motion, including nuisance and the hanging pendulum), rad.
        pendulum_rad: shape (n,), the hanging body's pendulum angle about the bar on the
            output grid (included in ``pelvis_angles_rad``'s tilt; zeros when not hanging), rad.
        acc_ideal: shape (n, 3), error-free specific force in the sensor frame, m/s^2.
        gyr_ideal: shape (n, 3), error-free angular velocity in the sensor frame, rad/s.
        mounting: sensor-to-pelvis rotation used.
        lever_arm_m: shape (3,), lever arm used, pelvis frame, m.

    """

    spec: SessionSpec
    recording: Recording
    truth: pd.DataFrame
    frame_host_times_s: FloatArray
    pelvis_angles_rad: FloatArray
    pendulum_rad: FloatArray
    acc_ideal: FloatArray
    gyr_ideal: FloatArray
    mounting: Rotation
    lever_arm_m: FloatArray


# --------------------------------------------------------------------------- validation


MAX_SESSION_S = 4 * 3600.0
"""Longest session the simulator makes, s (a 4-hour session at 833 Hz is about 12 M samples,
about 1 GB while it is made)."""


def planned_duration_s(
    model: ExerciseModel, tempo: Tempo | None, reps: int, spec: SessionSpec
) -> float:
    """An upper estimate of a session's length from its spec, s.

    Reps at their slowest variation with their pauses (a hold with getting up and down and
    the gap before it), plus the rests between sets.
    """
    per_rep = spec.hold_s + 25.0 if model.hold or tempo is None else 1.25 * tempo.rep_s + 3.0
    rest = 66.0 if spec.rest_s is None else 1.1 * spec.rest_s
    return spec.sets * reps * per_rep + (spec.sets - 1) * rest + 10.0


def validate_spec(spec: SessionSpec) -> tuple[ExerciseModel, Tempo | None, int]:
    """Check a spec; returns the exercise model, the effective tempo and reps per set.

    Raises:
        SimulationError: naming the bad value and the accepted ones.

    """
    model = EXERCISE_MODELS.get(spec.exercise)
    if model is None:
        raise SimulationError(
            f"unknown exercise {spec.exercise!r}; choose one of: {', '.join(EXERCISES)}"
        )
    if spec.sampling_rate_hz not in OUTPUT_DATA_RATES_HZ:
        raise SimulationError(
            f"sampling rate {spec.sampling_rate_hz} Hz is not a sensor rate; choose one of "
            f"{', '.join(map(str, OUTPUT_DATA_RATES_HZ))} Hz"
        )
    if spec.acc_range_g not in ACC_RANGES_G:
        raise SimulationError(
            f"accelerometer range +-{spec.acc_range_g} g is not supported; choose one of "
            f"{', '.join(map(str, ACC_RANGES_G))}"
        )
    if spec.gyr_range_dps not in GYR_RANGES_DPS:
        raise SimulationError(
            f"gyroscope range +-{spec.gyr_range_dps} dps is not supported; choose one of "
            f"{', '.join(map(str, GYR_RANGES_DPS))}"
        )
    tempo = None if model.hold else (spec.tempo or model.default_tempo)
    if model.hold and spec.tempo is not None:
        logger.warning("%s is a static hold: tempo %s is ignored (set hold_s instead)",
                       model.name, spec.tempo)
    reps = model.default_reps if spec.reps is None else spec.reps
    if reps < 1 or spec.sets < 1:
        raise SimulationError(f"reps ({reps}) and sets ({spec.sets}) must be at least 1")
    if spec.seed < 0:
        raise SimulationError(f"seed {spec.seed} must be a whole number >= 0 (e.g. 0, 1, 2024)")
    if spec.body_pendulum and not model.hanging:
        hanging = ", ".join(name for name, m in EXERCISE_MODELS.items() if m.hanging)
        raise SimulationError(
            f"a swinging body (body_pendulum) needs a hanging exercise ({hanging}), "
            f"not {model.name}"
        )
    if spec.rest_s is not None and not (math.isfinite(spec.rest_s) and spec.rest_s >= 0):
        raise SimulationError(f"rest {spec.rest_s} s must be a number of seconds >= 0")
    if not math.isfinite(spec.hold_s):
        raise SimulationError(f"hold {spec.hold_s} s must be a number of seconds")
    longest = planned_duration_s(model, tempo, reps, spec)
    if longest > MAX_SESSION_S:
        raise SimulationError(
            f"{spec.sets} sets of {reps} {'hold' if model.hold else 'rep'}{'s' * (reps != 1)} "
            "would last about "
            f"{longest / 3600:.1f} h; "
            f"the simulator makes sessions of at most {MAX_SESSION_S / 3600:g} h (fewer "
            f"reps or sets, {'shorter holds, ' if model.hold else ''}shorter rests)"
        )
    if not 0 <= spec.packet_loss < 1:
        raise SimulationError(f"packet loss {spec.packet_loss} must be in [0, 1)")
    if spec.samples_per_frame < 1:
        raise SimulationError(f"samples per frame {spec.samples_per_frame} must be >= 1")
    if not spec.jitter_s >= 0:
        raise SimulationError(f"jitter {spec.jitter_s} s must be >= 0")
    if model.hold and not spec.hold_s >= 5:
        raise SimulationError(f"plank hold {spec.hold_s:g} s must be at least 5 s")
    _validate_families(spec)
    if spec.pendulum_length_m is not None and not 0.5 <= spec.pendulum_length_m <= 1.5:
        raise SimulationError(
            f"pendulum length {spec.pendulum_length_m} m is not a body hanging from a bar; "
            "give 0.5-1.5 m (bar to the pelvis)"
        )
    applicable = applicable_faults(model, tempo)
    for name, p in spec.faults.items():
        if name not in FAULTS:
            raise SimulationError(
                f"unknown fault {name!r}; choose from: {', '.join(FAULTS)}"
            )
        if not 0 <= p <= 1:
            raise SimulationError(f"fault rate {name}={p} must be a probability in [0, 1]")
        if p > 0 and name not in applicable:
            why = (
                " (needs a prescribed top hold of at least 1 s)"
                if name == "short_hold" and name in model.faults
                else ""
            )
            raise SimulationError(
                f"fault {name!r} does not apply to {model.name}{why}; faults for "
                f"{model.name}: {', '.join(sorted(applicable)) or 'none'}"
            )
    return model, tempo, reps


def _validate_families(spec: SessionSpec) -> None:
    if spec.families is None:
        return
    for name, w in spec.families.items():
        if name not in FAMILIES:
            raise SimulationError(
                f"unknown motion family {name!r}; choose from: {', '.join(FAMILIES)}"
            )
        if name not in CONTROLLED_FAMILIES + SWING_FAMILIES:
            raise SimulationError(
                f"family {name!r} is fixed by the exercise and cannot be weighted; weight "
                f"one of: {', '.join(CONTROLLED_FAMILIES + SWING_FAMILIES)}"
            )
        if not (math.isfinite(w) and w >= 0):
            raise SimulationError(f"family weight {name}={w} must be >= 0")
    for kind in (CONTROLLED_FAMILIES, SWING_FAMILIES):
        named = [n for n in kind if n in spec.families]
        if named and sum(spec.families[n] for n in named) <= 0:
            raise SimulationError(
                f"family weights {', '.join(f'{n}={spec.families[n]}' for n in named)} are "
                "all zero; give at least one a positive weight"
            )


# --------------------------------------------------------------------------- planning


@dataclass
class _Rep:
    set_no: int
    rep_no: int
    side: str
    faults: set[str]
    con: Pulse
    ecc: Pulse
    family: str
    hold: bool = False


@dataclass(frozen=True)
class _Oscillation:
    """``amplitude * env(t) * sin(2 pi f (t - t0) + phase)`` on one channel in [t0, t1].

    ``rep``: part of the rep's own movement (the plank's shaking fault), so it is in the
    kinematics the truth is measured on; otherwise nuisance (breathing, tremor, sway).
    """

    channel: int
    amplitude: float
    freq_hz: float
    phase: float
    t0: float
    t1: float
    ramp_s: float
    rep: bool = False


@dataclass(frozen=True)
class _Kick:
    """One excitation of the hanging body's pendulum: a damped swing from ``t0_s``."""

    t0_s: float
    amplitude_rad: float


@dataclass(frozen=True)
class Pendulum:
    """The hanging body as a damped physical pendulum about the hands on the bar.

    Attributes:
        length_m: bar to the pelvis' centre (radius of the circle the pelvis moves on), m.
        equivalent_length_m: ``L_eff = I / (m d)`` of the body about the bar, m; the period
            is ``2 pi sqrt(L_eff / g)``. A point at ``length_m`` sees a specific force that
            leans off the body's long axis by ``(1 - length_m / L_eff)`` of the swing angle,
            so the accelerometer hardly sees the swing while the gyro sees all of it.
        decay_s: amplitude time constant of the damping, s.

    """

    length_m: float
    equivalent_length_m: float
    decay_s: float

    @property
    def period_s(self) -> float:
        """Small-angle period of the undamped pendulum, s."""
        return 2 * math.pi * math.sqrt(self.equivalent_length_m / STANDARD_GRAVITY)

    @property
    def damped_omega_rad_s(self) -> float:
        """Angular frequency of the damped oscillation, rad/s."""
        w0 = 2 * math.pi / self.period_s
        return math.sqrt(w0**2 - 1.0 / self.decay_s**2)

    def render(self, kicks: list[_Kick], t: FloatArray) -> FloatArray:
        """Pendulum angle (rad) on the grid ``t``: the sum of the damped swings of all kicks.

        Each kick builds up over 1.5 periods (the legs pumping the swing; a faster build-up
        is a large tangential force that the accelerometer would see), then is a free
        solution of ``theta'' + 2/decay theta' + w0^2 theta = 0`` (small angles), faded out
        smoothly after five decay times.
        """
        out = np.zeros(len(t))
        rate = 1.0 / (t[1] - t[0])
        ramp = 1.5 * self.period_s
        span = 5.0 * self.decay_s
        wd = self.damped_omega_rad_s
        for k in kicks:
            i0 = max(0, math.ceil((k.t0_s - t[0]) * rate))
            i1 = min(len(t), math.ceil((k.t0_s + span - t[0]) * rate))
            if i1 <= i0:
                continue
            tt = t[i0:i1] - k.t0_s
            env = _smoothstep(tt / ramp) * _smoothstep((span - tt) / ramp)
            out[i0:i1] += k.amplitude_rad * env * np.exp(-tt / self.decay_s) * np.sin(wd * tt)
        return out


def _smoothstep(x: FloatArray) -> FloatArray:
    x = np.clip(x, 0.0, 1.0)
    return x**3 * (10.0 - 15.0 * x + 6.0 * x**2)


def _family_weights(spec: SessionSpec, kind: tuple[str, ...]) -> FloatArray:
    """Draw weights of the families of one kind (controlled or swing), normalised."""
    given = {} if spec.families is None else dict(spec.families)
    if not any(name in given for name in kind):
        return np.full(len(kind), 1.0 / len(kind))
    w = np.array([float(given.get(name, 0.0)) for name in kind])
    return np.asarray(w / w.sum())


class _Planner:
    """Lays out one session as pulses, oscillations and pendulum kicks (s, rad)."""

    def __init__(
        self, spec: SessionSpec, model: ExerciseModel, tempo: Tempo | None, reps: int
    ) -> None:
        self.spec = spec
        self.model = model
        self.tempo = tempo
        self.reps = reps
        self.rng = np.random.default_rng(spec.seed)
        rng = self.rng
        self.sign = float(model.movement_sign)
        self.nominal_rom = math.radians(rng.uniform(*model.rom_deg))
        self.nominal_rot = math.radians(rng.uniform(*model.rotation_deg))
        if tempo is not None and tempo.bottom_pause_s is not None:
            self.pause_base = tempo.bottom_pause_s
        else:
            self.pause_base = float(rng.uniform(0.5, 1.0))
        length = (
            spec.pendulum_length_m
            if spec.pendulum_length_m is not None
            else float(rng.uniform(0.8, 1.1))
        )
        # Body about the hands: L_eff a little longer than the pelvis radius (a uniform rod
        # hanging from one end has L_eff = 2/3 of its length, the pelvis sits at about
        # half to two thirds of it), kept to periods of 1.5-2.5 s.
        l_eff = float(np.clip(length * rng.uniform(0.85, 1.5), 0.56, 1.55))
        period = 2 * math.pi * math.sqrt(l_eff / STANDARD_GRAVITY)
        self.pendulum = Pendulum(length, l_eff, period * float(rng.uniform(2.5, 5.0)))
        self.kicks: list[_Kick] = []
        self.rep_pulses: list[Pulse] = []
        self.nuisance_pulses: list[Pulse] = []
        self.oscillations: list[_Oscillation] = []
        self.reps_out: list[_Rep] = []
        self.rates = {k: v for k, v in spec.faults.items() if v > 0}
        self.controlled_w = _family_weights(spec, CONTROLLED_FAMILIES)
        self.swing_w = _family_weights(spec, SWING_FAMILIES)

    # helpers ---------------------------------------------------------------------------
    def vary(self, x: float, sd: float = 0.07, limit: float = 0.15) -> float:
        """``x`` times a lognormal-ish factor clipped to ``1 +- limit``."""
        f = float(np.clip(np.exp(self.rng.normal(0.0, sd)), 1.0 - limit, 1.0 + limit))
        return x * f

    def shape(self) -> tuple[float, float]:
        """A slightly asymmetric minimum-jerk-like bell."""
        a, b = 2.0 * np.exp(self.rng.normal(0.0, 0.08, 2))
        return float(a), float(b)

    def family_shape(self, family: str) -> tuple[float, float, str]:
        """Shape parameters ``(a, b, kind)`` of one movement of a controlled family."""
        rng = self.rng
        if family == "bell":
            return (*self.shape(), "beta")
        if family == "skewed":
            return float(rng.uniform(0.35, 0.65)), 0.0, "twosided"
        if family == "plateau":
            return float(rng.uniform(0.15, 0.3)), float(rng.uniform(0.35, 0.65)), "plateau"
        return 0.0, 0.0, "sine"

    def pulse(self, ch: int, conv_start: float, conv_dur: float, amp: float,
              family: str = "bell") -> Pulse:
        a, b, kind = self.family_shape(family)
        p = pulse_for_convention(ch, conv_start, conv_dur, amp, a, b, kind)
        self.rep_pulses.append(p)
        return p

    def still(self) -> float:
        return float(self.rng.uniform(3.0, 5.0))

    def draw_faults(self) -> set[str]:
        drawn = {name for name, p in self.rates.items() if self.rng.random() < p}
        # Mutually exclusive pairs: keep the first in FAULTS order.
        for a, b in (("partial_rom", "over_extension"), ("hips_sagging", "hips_piking")):
            if a in drawn and b in drawn:
                drawn.discard(b)
        return drawn

    def kick(self, t0: float, amplitude_deg: float) -> None:
        """Excite the hanging body's pendulum at ``t0`` (random sign)."""
        sign = float(self.rng.choice([-1.0, 1.0]))
        self.kicks.append(_Kick(t0, sign * math.radians(amplitude_deg)))

    # session ---------------------------------------------------------------------------
    def plan(self) -> float:
        """Lay out the whole session; returns its duration, s."""
        rng = self.rng
        t = self.still()
        for set_no in range(1, self.spec.sets + 1):
            if set_no > 1:
                rest = (
                    float(rng.uniform(30.0, 60.0))
                    if self.spec.rest_s is None
                    else self.vary(self.spec.rest_s, 0.05, 0.1)
                )
                if self.spec.micro_motion:
                    self.fidget(t, t + rest)
                t += rest + self.still()
            if self.model.hanging and self.spec.body_pendulum:
                # Swinging already when the set starts.
                self.kick(t - float(rng.uniform(2.0, 3.0)), float(rng.uniform(1.0, 6.0)))
            t = self.plan_set(set_no, t)
        if self.spec.micro_motion:
            self.micro_motion(t + 3.0)
        return t + float(rng.uniform(2.0, 4.0))

    def plan_set(self, set_no: int, t: float) -> float:
        """Plan the reps of one set starting (first con start) at ``t``; returns the set end."""
        earliest = t
        prev_ecc_end: float | None = None
        for rep_no in range(1, self.reps + 1):
            faults = self.draw_faults()
            side = ""
            side_sign = 0.0
            if self.model.alternating:
                side = "left" if rep_no % 2 == 1 else "right"
                side_sign = 1.0 if side == "left" else -1.0
            if self.model.hold:
                start = t if prev_ecc_end is None else max(
                    earliest, prev_ecc_end + float(self.rng.uniform(*HOLD_BREAK_S))
                )
                rep, earliest = self.plan_hold(set_no, rep_no, start, faults)
            else:
                pause = self.vary(self.pause_base, 0.1, 0.25)
                period = self.pendulum.period_s
                if "body_swing" in faults:
                    pause = max(pause, period * float(self.rng.uniform(1.0, 1.5)))
                if "swing" in faults:
                    # A toss starts from a brief reset at the bottom: the wind-up (up to
                    # 0.45 s) must not run into the previous eccentric.
                    pause = max(pause, float(self.rng.uniform(0.9, 1.2)))
                start = t if prev_ecc_end is None else max(earliest, prev_ecc_end + pause)
                # A swing builds up over 1.5 periods (Pendulum.render): kicks start early
                # enough to be swinging in the 3 s before the concentric.
                if "body_swing" in faults:
                    self.kick(start - pause - 0.75 * period, float(self.rng.uniform(0.0, 8.0)))
                if self.model.hanging and self.spec.body_pendulum:
                    self.kick(start - float(self.rng.uniform(3.0, 4.5)),
                              float(self.rng.uniform(0.0, 6.0)))
                rep, earliest = self.plan_rep(set_no, rep_no, side, side_sign, start, faults)
                if self.model.hanging:
                    # The legs' reaction swings the body a little on every rep.
                    gain = 2.5 if rep.family in SWING_FAMILIES else 1.0
                    self.kick(start, gain * float(self.rng.uniform(0.2, 1.0)))
            self.reps_out.append(rep)
            prev_ecc_end = rep.ecc.convention_span_s[1]
        return earliest

    def plan_rep(
        self, set_no: int, rep_no: int, side: str, side_sign: float, t0: float, faults: set[str]
    ) -> tuple[_Rep, float]:
        """Plan one rep whose concentric 10% span starts at ``t0``.

        Fault magnitudes are drawn from ranges that straddle each label's threshold; the
        labels themselves come from the definitions applied to the result (truth table).
        Returns the rep and the earliest time the next rep may start.
        """
        assert self.tempo is not None
        rng, tempo, s = self.rng, self.tempo, self.sign
        rom = self.vary(self.nominal_rom, 0.05, 0.10)
        if "partial_rom" in faults:
            rom = max(self.nominal_rom * float(rng.uniform(0.3, 1.0)),
                      math.radians(self.model.smallest_rep_deg))
        elif "over_extension" in faults:
            rom = self.nominal_rom * float(rng.uniform(1.0, 1.8))
        con_d = self.vary(tempo.concentric_s)
        hold = self.vary(tempo.top_hold_s)
        ecc_d = self.vary(tempo.eccentric_s)
        if "short_hold" in faults:
            hold = tempo.top_hold_s * float(rng.uniform(0.1, 1.0))
        if "dropped_eccentric" in faults:
            # 20-100% of the prescription, but a real lowering takes at least 0.3 s.
            ecc_d = max(0.3, tempo.eccentric_s * float(rng.uniform(0.2, 1.0)))
        if "swing" in faults and self.model.name == "standing-curl":
            return self.plan_hip_drive(set_no, rep_no, side, t0, faults)
        family = str(rng.choice(CONTROLLED_FAMILIES, p=self.controlled_w))
        if "swing" in faults:
            family = str(rng.choice(SWING_FAMILIES, p=self.swing_w))
            con, hold = self.plan_toss(family, t0, rom, hold)
        else:
            con = self.pulse(TILT_CH, t0, con_d, s * rom, family)
        con_d = con.convention_span_s[1] - t0
        ecc_start = t0 + con_d + hold
        arch = 0.0
        if "back_arch" in faults:
            arch = math.radians(rng.uniform(0.0, 15.0))
        ecc_family = family if family in CONTROLLED_FAMILIES else "bell"
        ecc = self.pulse(TILT_CH, ecc_start, ecc_d, -s * (rom + arch), ecc_family)
        ecc_end = ecc_start + ecc_d
        next_earliest = ecc_end
        if arch > 0:
            back_start = ecc_end + float(rng.uniform(0.1, 0.3))
            back_d = float(rng.uniform(0.6, 1.0))
            self.pulse(TILT_CH, back_start, back_d, s * arch)
            # Leave room for the next concentric's lead-in (its pulse starts ~0.12 of the
            # concentric before its 10% point) so the recovery and the next rep stay apart.
            next_earliest = back_start + back_d + 0.3 + 0.15 * tempo.concentric_s
        if self.model.alternating:
            rot = self.nominal_rot * float(rng.uniform(0.8, 1.2))
            if "hips_rotating" in faults:
                rot = math.radians(rng.uniform(0.0, 15.0))
            self.pulse(ROTATION_CH, t0, con_d, side_sign * rot)
            self.pulse(ROTATION_CH, ecc_start, ecc_d, -side_sign * rot)
        return _Rep(set_no, rep_no, side, faults, con, ecc, family), next_earliest

    def plan_toss(self, family: str, t0: float, rom: float, hold: float) -> tuple[Pulse, float]:
        """The concentric of a momentum rep of a swing family; returns it and the top hold.

        Concentric 30-80% of the prescribed one, velocity peak at 15-60% of it (the three
        magnitudes correlated through one latent momentum); the
        ``toss-windup`` family has a counter-movement of 0-8 deg (scaled down for reps
        under 8 deg) and an overshoot half of the time, ``toss-overshoot`` always recoils
        5-25% of the ROM past the top, ``burst-coast`` has neither.
        """
        assert self.tempo is not None
        rng, s = self.rng, self.sign
        # One latent "momentum" in [0, 1] drives all three features (a harder toss is shorter,
        # peaks earlier and winds up more), each with its own scatter, so each magnitude
        # covers its whole range uniformly-ish and the features agree more often than not.
        momentum = float(rng.uniform(0.0, 1.0))

        def draw(lo: float, hi: float) -> float:
            u = float(np.clip(momentum + rng.normal(0.0, 0.15), 0.0, 1.0))
            return lo + (hi - lo) * u

        con_d = self.tempo.concentric_s * draw(0.8, 0.3)
        peak = draw(0.6, 0.15)
        wind = over = 0.0
        if family == "toss-windup":
            scale = min(1.0, max(0.5, math.degrees(rom) / 8.0))
            wind = math.radians(draw(0.0, 8.0) * scale)
            if rng.random() < 0.5:
                over = rom * float(rng.uniform(0.05, 0.25))
        elif family == "toss-overshoot":
            over = rom * float(rng.uniform(0.05, 0.25))
        if wind > 0:
            self.wind_up(t0, wind)
        if family == "burst-coast":
            b = float(rng.uniform(1.0, 1.6))
            con = pulse_for_convention(TILT_CH, t0, con_d, s * rom, coast_for_peak(peak, b),
                                       b, "coast")
        else:
            con = pulse_for_convention(TILT_CH, t0, con_d, s * (rom + wind + over), peak,
                                       0.0, "twosided")
        self.rep_pulses.append(con)
        if over > 0:
            recoil_start = t0 + con_d + float(rng.uniform(0.0, 0.08))
            recoil_d = float(rng.uniform(0.3, 0.5))
            self.pulse(TILT_CH, recoil_start, recoil_d, -s * over)
            hold = max(hold, recoil_start + recoil_d + 0.15 - (t0 + con_d))
        return con, hold

    def plan_hip_drive(
        self, set_no: int, rep_no: int, side: str, t0: float, faults: set[str]
    ) -> tuple[_Rep, float]:
        """Standing curl with hip drive.

        Anterior wind-up, then a posterior burst of 8-15 deg that returns within 0.6-1.2 s;
        the arms finish the curl with the pelvis still.
        """
        assert self.tempo is not None
        rng, tempo, s = self.rng, self.tempo, self.sign
        burst = math.radians(rng.uniform(8.0, 15.0))
        wind = burst * float(rng.uniform(0.10, 0.20))
        self.wind_up(t0, wind)
        con_d = float(rng.uniform(0.25, 0.45))
        a = 1.3
        b = skew_for_peak(float(rng.uniform(0.25, 0.35)), a)
        con = pulse_for_convention(TILT_CH, t0, con_d, s * (burst + wind), a, b)
        self.rep_pulses.append(con)
        hold = float(rng.uniform(0.05, 0.15))
        ecc = self.pulse(TILT_CH, t0 + con_d + hold, float(rng.uniform(0.3, 0.6)), -s * burst)
        slot = tempo.concentric_s + tempo.top_hold_s + tempo.eccentric_s
        next_earliest = t0 + self.vary(slot)
        rep = _Rep(set_no, rep_no, side, faults, con, ecc, "hip-drive")
        return rep, max(next_earliest, ecc.convention_span_s[1])

    def wind_up(self, t0: float, depth: float) -> None:
        """Counter-movement of ``depth`` rad against the concentric, ending just before t0."""
        dur = float(self.rng.uniform(0.25, 0.4))
        gap = float(self.rng.uniform(0.0, 0.05))
        self.pulse(TILT_CH, t0 - gap - dur, dur, -self.sign * depth)

    def plan_hold(
        self, set_no: int, rep_no: int, t0: float, faults: set[str]
    ) -> tuple[_Rep, float]:
        """A plank hold: get into position (conv span starting at t0), hold, get down."""
        rng = self.rng
        up = self.vary(self.nominal_rom, 0.05, 0.1)
        lift = float(rng.uniform(0.15, 0.25))
        setup_d = float(rng.uniform(1.0, 1.6))
        con = self.pulse(TILT_CH, t0, setup_d, up)
        self.pulse(HEIGHT_CH, t0, setup_d, lift)
        hold_start = t0 + setup_d
        hold = self.vary(self.spec.hold_s, 0.06, 0.1)
        hold_end = hold_start + hold
        drift, dh = 0.0, 0.0
        if "hips_sagging" in faults or "hips_piking" in faults:
            direction = -1.0 if "hips_sagging" in faults else 1.0
            size = float(rng.uniform(0.0, 15.0))
            drift = direction * math.radians(size)
            dh = direction * 0.08 * size / 15.0
            d_start = hold_start + hold * float(rng.uniform(0.15, 0.35))
            d_dur = hold * float(rng.uniform(0.3, 0.45))
            self.pulse(TILT_CH, d_start, d_dur, drift)
            self.pulse(HEIGHT_CH, d_start, d_dur, dh)
        if self.spec.micro_motion:
            self.tremor(hold_start, hold_end, math.radians(rng.uniform(0.03, 0.1)), (8.0, 12.0))
        if "shaking" in faults:
            # RMS of the tilt rate over the hold drawn across the 6 deg/s threshold.
            share = float(rng.uniform(0.5, 0.7))
            target_dps = float(rng.uniform(2.0, 14.0))
            s_start = hold_end - hold * share
            self.tremor(s_start, hold_end, 0.0, (6.0, 10.0), rep=True,
                        rms_dps=target_dps / math.sqrt(share))
        down_d = float(rng.uniform(1.0, 1.6))
        ecc = self.pulse(TILT_CH, hold_end, down_d, -(up + drift))
        self.pulse(HEIGHT_CH, hold_end, down_d, -(lift + dh))
        rep = _Rep(set_no, rep_no, "", faults, con, ecc, "hold", hold=True)
        return rep, hold_end + down_d

    # nuisance --------------------------------------------------------------------------
    def tremor(self, t0: float, t1: float, amplitude: float, band: tuple[float, float],
               rep: bool = False, rms_dps: float | None = None) -> None:
        """Tremor on all three angles, 3 sinusoids in ``band`` Hz.

        ``amplitude``: peak tilt amplitude, rad; or ``rms_dps``: the RMS tilt rate it gives
        while it lasts, deg/s (then ``amplitude`` is derived).
        """
        rng = self.rng
        weights = np.array([0.5, 0.3, 0.2])
        freqs = rng.uniform(*band, size=(3, 3))
        phases = rng.uniform(0, 2 * np.pi, size=(3, 3))
        if rms_dps is not None:
            rate_rms = np.sqrt(np.sum((weights * 2 * np.pi * freqs[0]) ** 2) / 2)
            amplitude = math.radians(rms_dps) / float(rate_rms)
        for i, (ch, axis_gain) in enumerate(((0, 1.0), (1, 0.6), (2, 0.4))):
            for j, w in enumerate(weights):
                self.oscillations.append(
                    _Oscillation(ch, amplitude * axis_gain * w, float(freqs[i, j]),
                                 float(phases[i, j]), t0, t1, 0.5, rep)
                )

    def fidget(self, t0: float, t1: float) -> None:
        """2-4 small slow out-and-back movements in a rest (well under the smallest rep).

        Capped at 10% of the nominal ROM, below the smallest partial rep (30%), so that a
        fidget and a partial rep are told apart by size, as a coach would.
        """
        rng = self.rng
        cap = min(math.radians(3.0), 0.1 * self.nominal_rom)
        for _ in range(int(rng.integers(2, 5))):
            dur = float(rng.uniform(1.0, 2.5))
            hold = float(rng.uniform(0.5, 3.0))
            span = 2 * dur + hold
            if t1 - t0 < span + 1.0:
                return
            start = float(rng.uniform(t0 + 0.5, t1 - span - 0.5))
            ch = int(rng.integers(0, 3))
            amp = cap * float(rng.uniform(0.3, 1.0)) * float(rng.choice([-1.0, 1.0]))
            a, b = self.shape()
            self.nuisance_pulses.append(pulse_for_convention(ch, start, dur, amp, a, b))
            self.nuisance_pulses.append(
                pulse_for_convention(ch, start + dur + hold, dur, -amp, a, b)
            )

    def micro_motion(self, end_s: float) -> None:
        """Breathing (tilt 0.1-0.3 deg, 0.2-0.3 Hz), faint tremor, sway when upright."""
        rng = self.rng
        self.oscillations.append(
            _Oscillation(TILT_CH, math.radians(rng.uniform(0.1, 0.3)),
                         float(rng.uniform(0.2, 0.3)), float(rng.uniform(0, 2 * np.pi)),
                         -5.0, end_s + 10.0, 1.0)
        )
        self.tremor(-5.0, end_s + 10.0, math.radians(rng.uniform(0.003, 0.008)), (8.0, 12.0))
        if self.model.posture == "upright":
            for ch in (0, 1):
                for _ in range(2):
                    self.oscillations.append(
                        _Oscillation(ch, math.radians(rng.uniform(0.1, 0.3)),
                                     float(rng.uniform(0.1, 0.4)),
                                     float(rng.uniform(0, 2 * np.pi)), -5.0, end_s + 10.0, 1.0)
                    )


def _render_oscillations(
    oscillations: list[_Oscillation], t: FloatArray, rep: bool
) -> FloatArray:
    """Sum of oscillations (those whose ``rep`` equals the flag); shape (n, 4)."""
    out = np.zeros((len(t), 4))
    rate = 1.0 / (t[1] - t[0])
    for o in oscillations:
        if o.rep != rep:
            continue
        i0 = max(0, math.ceil((o.t0 - t[0]) * rate))
        i1 = min(len(t), math.ceil((o.t1 - t[0]) * rate))
        if i1 <= i0:
            continue
        tt = t[i0:i1] - o.t0
        env = _smoothstep(tt / o.ramp_s) * _smoothstep((o.t1 - o.t0 - tt) / o.ramp_s)
        out[i0:i1, o.channel] += o.amplitude * env * np.sin(2 * np.pi * o.freq_hz * tt + o.phase)
    return out


# --------------------------------------------------------------------------- truth


def _crossing(v: FloatArray, i_peak: int, level: float, rate_hz: float, forward: bool) -> float:
    """Time (s) where ``v`` falls below ``level`` walking from ``i_peak`` (linear interp.)."""
    n = len(v)
    step = int(5 * rate_hz)
    while True:
        if forward:
            hi = min(n, i_peak + step)
            idx = np.flatnonzero(v[i_peak:hi] < level)
            if idx.size:
                j = i_peak + int(idx[0])
                frac = (v[j - 1] - level) / (v[j - 1] - v[j])
                return (j - 1 + frac) / rate_hz
            if hi == n:
                return (n - 1) / rate_hz
        else:
            lo = max(0, i_peak - step)
            idx = np.flatnonzero(v[lo:i_peak] < level)
            if idx.size:
                j = lo + int(idx[-1])
                frac = (level - v[j]) / (v[j + 1] - v[j])
                return (j + frac) / rate_hz
            if lo == 0:
                return 0.0
        step *= 2


CORE_FRACTION = 0.5
"""A phase's lobe of the velocity is searched where its own pulse moves at least this share of
its peak speed: another movement overlapping the pulse's support (an overshoot's fall-back
right after a toss, at the start of the lowering) is not taken for it."""


def _pulse_core_s(pulse: Pulse) -> tuple[float, float]:
    """Where the phase's lobe is searched: start and end, s.

    The span where ``pulse``'s own speed is at least :data:`CORE_FRACTION` of its peak.
    """
    tau = np.linspace(0.0, 1.0, 401)
    speed = np.abs(np.gradient(pulse.displacement(tau), tau))
    core = tau[speed >= CORE_FRACTION * float(speed.max())]
    return (pulse.start_s + float(core[0]) * pulse.duration_s,
            pulse.start_s + float(core[-1]) * pulse.duration_s)


def _phase(
    v: FloatArray, pulse: Pulse, rate_hz: float
) -> tuple[float, float, float, int]:
    """10%-convention span of the phase driven by ``pulse`` on velocity ``v`` (phase positive).

    The pulse only says which lobe of ``v`` to measure: its peak is searched where the pulse
    itself moves (:func:`_pulse_core_s`; over its whole support, an overshoot's fall-back at
    the start of a lowering, or a dip at its end, was taken for the lowering), the edges are
    where ``v`` itself crosses 10% of that peak.
    Returns ``(start_s, end_s, peak, peak_index)`` with ``peak`` in the unit of ``v``.
    """
    core0, core1 = _pulse_core_s(pulse)
    i0 = max(0, int(core0 * rate_hz))
    i1 = min(len(v), max(math.ceil(core1 * rate_hz) + 1, i0 + 1))
    i_peak = i0 + int(np.argmax(v[i0:i1]))
    peak = float(v[i_peak])
    level = THRESHOLD_FRACTION * peak
    return (
        _crossing(v, i_peak, level, rate_hz, forward=False),
        _crossing(v, i_peak, level, rate_hz, forward=True),
        peak,
        i_peak,
    )


def _truth_table(
    planner: _Planner,
    rep_angles: FloatArray,
    pendulum_rad: FloatArray | None,
    rate_hz: float,
    applicable: frozenset[str],
) -> pd.DataFrame:
    """Measure every planned rep on the noise-free rep-only kinematics (fine grid).

    Each rep is labelled by the definitions (:mod:`imu.sim.definitions`), never by the
    fault drawn.
    """
    model, tempo = planner.model, planner.tempo
    rates = np.gradient(rep_angles, 1.0 / rate_hz, axis=0)
    omega = kinematics.body_angular_velocity(rep_angles, rates)
    v = planner.sign * omega[:, 2]
    v_dps = np.degrees(v)
    theta = np.degrees(planner.sign * rep_angles[:, 0])
    rotation = np.degrees(rep_angles[:, 2])
    pend = None if pendulum_rad is None else np.degrees(pendulum_rad)
    nan = math.nan
    rows: list[dict[str, object]] = []
    prev_ecc_end: float | None = None
    for rep in planner.reps_out:
        row: dict[str, object] = {"set": rep.set_no, "rep": rep.rep_no,
                                  "exercise": model.name, "side": rep.side,
                                  "family": rep.family}
        q = dict.fromkeys(QUANTITY_COLUMNS, nan)
        if rep.hold:
            # Hold boundaries: the 10% points of getting into / out of position (by
            # construction: the get-down tilt can be ~0 after a sag).
            start, end = rep.con.convention_span_s[1], rep.ecc.convention_span_s[0]
            drift = defs.drift_deg(theta, rate_hz, start, end)
            q.update(drift_deg=drift, shaking_dps=defs.shaking_dps(v_dps, rate_hz, start, end))
            row.update(con_start_s=start, con_end_s=nan, ecc_start_s=nan, ecc_end_s=end,
                       concentric_s=nan, top_hold_s=end - start, eccentric_s=nan,
                       tut_s=end - start, hold_s=end - start, rom_deg=drift,
                       peak_concentric_velocity_dps=nan, peak_eccentric_velocity_dps=nan)
        else:
            assert tempo is not None
            cs, ce, cpk, i_peak = _phase(v, rep.con, rate_hz)
            es, ee, epk, _ = _phase(-v, rep.ecc, rate_hz)
            rom = defs.rom_deg(theta, rate_hz, cs, es)
            ptf = (i_peak / rate_hz - cs) / (ce - cs)
            con_ratio = (ce - cs) / tempo.concentric_s
            windup = defs.windup_deg(theta, rate_hz, cs, prev_ecc_end)
            q.update(
                peak_time_fraction=ptf,
                concentric_ratio=con_ratio,
                windup_deg=windup,
                swing_features=defs.swing_feature_count(ptf, con_ratio, windup),
                eccentric_ratio=(ee - es) / tempo.eccentric_s,
                top_hold_ratio=(
                    (es - ce) / tempo.top_hold_s
                    if tempo.top_hold_s >= defs.MIN_PRESCRIBED_HOLD_S
                    else nan
                ),
                arch_deg=defs.arch_deg(theta, rate_hz, cs, ee),
                rotation_deg=defs.peak_to_peak(rotation, rate_hz, cs, ee),
                body_swing_deg=(
                    nan if pend is None
                    else defs.peak_to_peak(pend, rate_hz, cs - defs.BODY_SWING_WINDOW_S, cs)
                ),
            )
            row.update(con_start_s=cs, con_end_s=ce, ecc_start_s=es, ecc_end_s=ee,
                       concentric_s=ce - cs, top_hold_s=es - ce, eccentric_s=ee - es,
                       tut_s=ee - cs, hold_s=nan, rom_deg=rom,
                       peak_concentric_velocity_dps=math.degrees(cpk),
                       peak_eccentric_velocity_dps=math.degrees(epk))
            prev_ecc_end = ee
        row.update(q)
        rows.append(row)
    holds = [rep.hold for rep in planner.reps_out]
    roms = [nan if h else float(r["rom_deg"])  # type: ignore[arg-type]
            for h, r in zip(holds, rows, strict=True)]
    ratios, partial = defs.rom_ratios(roms, "partial_rom" in applicable)
    hip_drive = model.name == "standing-curl"
    for row, ratio, is_partial in zip(rows, ratios, partial, strict=True):
        row["rom_ratio"] = ratio
        q = {k: float(row[k]) for k in (*QUANTITY_COLUMNS, "rom_deg",  # type: ignore[arg-type]
                                        "peak_concentric_velocity_dps")}
        row.update(defs.labels(q, applicable, hip_drive, is_partial))
    truth = pd.DataFrame(rows, columns=list(TRUTH_COLUMNS))
    truth["bottom_pause_s"] = (
        truth.groupby("set")["con_start_s"].shift(-1) - truth["ecc_end_s"]
    ).astype(float)
    for name in FAULTS:
        truth[name] = truth[name].astype(bool)
    truth["swing_features"] = truth["swing_features"].fillna(0).astype(int)
    return truth


# --------------------------------------------------------------------------- simulate


def _draw_lever_arm(rng: np.random.Generator) -> FloatArray:
    direction = rng.normal(size=3)
    return np.asarray(direction / np.linalg.norm(direction) * rng.uniform(0.05, 0.20))


FINE_BLOCK = 1 << 18
"""Fine-grid samples turned into ideal sensor readings at a time (:func:`_fine_imu`): about
4 minutes at 1 kHz. Its rotation matrices and positions of a whole 2-hour session took
gigabytes; each block gives the same bits as the whole array would."""


def _fine_imu(angles: FloatArray, height_m: FloatArray, swing: FloatArray | None,
              length_m: float, base: Rotation, lever: FloatArray, mounting: Rotation,
              fine_rate: float) -> tuple[FloatArray, FloatArray]:
    """Ideal accelerometer and gyroscope on the fine grid, :data:`FINE_BLOCK` at a time.

    Args:
        angles: shape (n, 3), pelvis tilt (with the body's swing), obliquity, rotation, rad.
        height_m: shape (n,), the pivot's height, m.
        swing: shape (n,), the hanging body's swing about the bar, rad (None: not hanging).
        length_m: the pendulum's length, bar to pelvis, m (used when hanging).
        base: posture rotation.
        lever: shape (3,), sensor position relative to the pivot, pelvis frame, m.
        mounting: sensor-to-pelvis rotation.
        fine_rate: the fine grid's rate, Hz.

    Returns:
        ``(acc, gyr)``, each shape (n, 3), m/s^2 and rad/s, sensor frame: the same values
        as :func:`imu.sim.kinematics.ideal_imu` over the whole arrays. Each block is read
        with two samples of its neighbours on each side: the central differences (of the
        angles, and the second of the positions) need one, and a session's end sample,
        copied from the one before it, that one's neighbour too (a last block of one
        sample).

    """
    n = len(angles)
    dt = 1.0 / fine_rate
    acc = np.empty((n, 3))
    gyr = np.empty((n, 3))
    for lo in range(0, n, FINE_BLOCK):
        hi = min(lo + FINE_BLOCK, n)
        a, b = max(lo - 2, 0), min(hi + 2, n)
        ang = angles[a:b]
        r_wp = kinematics.pelvis_matrices(base, ang)
        omega = kinematics.body_angular_velocity(ang, np.gradient(ang, dt, axis=0))
        pivot = np.outer(height_m[a:b], kinematics.WORLD_UP)
        if swing is not None:
            pivot = pivot + kinematics.hanging_offset(base, swing[a:b], length_m)
        acc_b, gyr_b = kinematics.ideal_imu(r_wp, omega, pivot, lever, mounting, dt)
        acc[lo:hi] = acc_b[lo - a:lo - a + hi - lo]
        gyr[lo:hi] = gyr_b[lo - a:lo - a + hi - lo]
    return acc, gyr


def simulate_session(spec: SessionSpec) -> SimulatedSession:
    """Simulate one session of ``spec.exercise`` with ground truth.

    Raises:
        SimulationError: the spec asks for something the simulator cannot produce.

    """
    model, tempo, reps = validate_spec(spec)
    planner = _Planner(spec, model, tempo, reps)
    # Person/sensor placement draws come before planning so they do not depend on the plan.
    rng = planner.rng
    mounting = spec.mounting if spec.mounting is not None else Rotation.random(rng=rng)
    lever = (
        np.asarray(spec.lever_arm_m, dtype=float)
        if spec.lever_arm_m is not None
        else _draw_lever_arm(rng)
    )
    heading = float(rng.uniform(0, 2 * np.pi))
    pendulum = planner.pendulum
    errors = sensor.SensorErrors.draw(rng)
    duration = planner.plan()

    rate = spec.sampling_rate_hz
    decimation = math.ceil(MIN_FINE_RATE_HZ / rate)
    fine_rate = float(rate * decimation)
    n_out = math.ceil(duration * rate)
    n_fine = n_out * decimation
    t = np.arange(n_fine) / fine_rate

    rep_channels = render_pulses(planner.rep_pulses, 0.0, fine_rate, n_fine)
    if any(o.rep for o in planner.oscillations):
        rep_channels += _render_oscillations(planner.oscillations, t, rep=True)
    swing = pendulum.render(planner.kicks, t) if model.hanging else np.zeros(n_fine)
    truth = _truth_table(planner, rep_channels[:, :3], swing if model.hanging else None,
                         fine_rate, applicable_faults(model, tempo))

    # In place (the same bits as a sum into a new array): one (n_fine, 4) array less.
    channels = rep_channels
    channels += render_pulses(planner.nuisance_pulses, 0.0, fine_rate, n_fine)
    channels += _render_oscillations(planner.oscillations, t, rep=False)
    del rep_channels, t
    angles = channels[:, :3].copy()
    angles[:, 0] += swing
    base = kinematics.posture_rotation(model.posture, heading)
    acc_f, gyr_f = _fine_imu(angles, channels[:, HEIGHT_CH],
                             swing if model.hanging else None, pendulum.length_m, base, lever,
                             mounting, fine_rate)
    del channels
    acc_ideal = sensor.antialias_and_sample(acc_f, fine_rate, decimation)
    del acc_f
    gyr_ideal = sensor.antialias_and_sample(gyr_f, fine_rate, decimation)
    del gyr_f
    angles_out = np.ascontiguousarray(angles[::decimation])
    swing_out = np.ascontiguousarray(swing[::decimation])
    del angles, swing

    noise_rng = np.random.default_rng([spec.seed, 1])
    acc, gyr = acc_ideal, gyr_ideal
    if spec.noise:
        acc, gyr = sensor.add_errors(acc, gyr, errors, rate, noise_rng)
    if spec.quantize:
        acc, gyr = sensor.quantize_imu(acc, gyr, spec.acc_range_g, spec.gyr_range_dps)
    acc, gyr = acc.copy(), gyr.copy()
    lost = sensor.lose_frames(n_out, spec.samples_per_frame, spec.packet_loss, noise_rng)
    valid = ~np.repeat(lost, spec.samples_per_frame)[:n_out]
    acc[~valid] = np.nan
    gyr[~valid] = np.nan
    host_times = sensor.frame_host_times(
        n_out, spec.samples_per_frame, rate, lost, spec.latency_s, spec.jitter_s,
        spec.clock_drift_ppm, noise_rng,
    )
    saturated = int(np.sum(np.abs(gyr_ideal) >= math.radians(spec.gyr_range_dps)))
    if saturated:
        logger.info("%d gyro samples exceed +-%d dps and saturate", saturated,
                    spec.gyr_range_dps)

    annotations = tuple(
        Annotation(
            float(truth.loc[truth["set"] == s, "con_start_s"].min()),
            float(truth.loc[truth["set"] == s, "ecc_end_s"].max()),
            f"set {s}",
            model.name,
            s,
        )
        for s in range(1, spec.sets + 1)
    )
    notes = {
        "seed": str(spec.seed),
        "mounting_quat_xyzw": json.dumps([round(float(q), 6) for q in mounting.as_quat()]),
        "lever_arm_m": json.dumps([round(float(x), 4) for x in lever]),
        "fault_rates": json.dumps(dict(spec.faults), sort_keys=True),
        "families": json.dumps(None if spec.families is None else dict(spec.families),
                               sort_keys=True),
        "noise": str(spec.noise),
        "quantize": str(spec.quantize),
        "micro_motion": str(spec.micro_motion),
        "packet_loss": str(spec.packet_loss),
        "samples_per_frame": str(spec.samples_per_frame),
        "jitter_s": str(spec.jitter_s),
        "nominal_rom_deg": f"{math.degrees(planner.nominal_rom):.2f}",
        "kinematics_rate_hz": f"{fine_rate:g}",
        "movement_axis": "pelvis z (tilt)",
        "movement_sign": str(model.movement_sign),
        "posture": model.posture,
        "truth": "<stem>.truth.csv beside the recording",
    }
    if model.hanging:
        notes["pendulum_length_m"] = f"{pendulum.length_m:.3f}"
        notes["pendulum_equivalent_length_m"] = f"{pendulum.equivalent_length_m:.3f}"
        notes["pendulum_period_s"] = f"{pendulum.period_s:.3f}"
        notes["pendulum_decay_s"] = f"{pendulum.decay_s:.3f}"
        notes["body_pendulum"] = str(spec.body_pendulum)
    if spec.noise:
        notes["gyr_bias_dps"] = json.dumps(
            [round(float(x), 3) for x in np.degrees(errors.gyr_bias_rad_s)]
        )
    meta = RecordingMeta(
        sampling_rate_hz=float(rate),
        device="simulator",
        acc_range_g=float(spec.acc_range_g),
        gyr_range_dps=float(spec.gyr_range_dps),
        clock=ClockMapping(spec.latency_s, spec.clock_drift_ppm),
        gaps=gaps_from_nan(valid, "packet loss"),
        annotations=annotations,
        participant=f"sim-{spec.seed}",
        exercise=model.name,
        # A hold's prescription is its length: "1-30-1" (get up, hold, get down).
        tempo=f"1-{spec.hold_s:g}-1" if model.hold else None if tempo is None else str(tempo),
        source="simulator",
        notes=notes,
    )
    recording = Recording(acc, gyr, meta)
    logger.debug("simulated %s: %d samples at %d Hz, %d reps", model.name, n_out, rate,
                 len(truth))
    return SimulatedSession(
        spec=spec,
        recording=recording,
        truth=truth,
        frame_host_times_s=host_times,
        pelvis_angles_rad=angles_out,
        pendulum_rad=swing_out,
        acc_ideal=acc_ideal,
        gyr_ideal=gyr_ideal,
        mounting=mounting,
        lever_arm_m=lever,
    )


def truth_path_for(recording_path: str | Path) -> Path:
    """``session.parquet`` -> ``session.truth.csv`` (same folder)."""
    p = Path(recording_path)
    return p.with_name(p.stem + ".truth.csv")


def save_session(session: SimulatedSession, path: str | Path) -> tuple[Path, Path]:
    """Write the recording (Parquet) and its truth CSV beside it; returns both paths."""
    rec_path = write_recording(session.recording, path)
    truth_path = truth_path_for(rec_path)
    try:
        with atomic_path(truth_path) as tmp:
            session.truth.to_csv(tmp, index=False, float_format="%.4f")
    except OSError as exc:
        raise SimulationError(f"cannot write truth {truth_path}: {exc.strerror or exc}") from exc
    return rec_path, truth_path


def read_truth(path: str | Path) -> pd.DataFrame:
    """Read a truth CSV written by :func:`save_session` (fault columns as bool)."""
    truth = pd.read_csv(path, dtype={"side": object, "family": object})
    truth["side"] = truth["side"].fillna("").astype(str)
    if "family" in truth:
        truth["family"] = truth["family"].fillna("").astype(str)
    if "swing_features" in truth:
        truth["swing_features"] = truth["swing_features"].astype(int)
    for name in FAULTS:
        if name in truth:
            truth[name] = truth[name].astype(bool)
    return truth


__all__ = [
    "QUANTITY_COLUMNS",
    "TRUTH_COLUMNS",
    "Pendulum",
    "SessionSpec",
    "SimulatedSession",
    "read_truth",
    "save_session",
    "simulate_session",
    "truth_path_for",
    "validate_spec",
]
