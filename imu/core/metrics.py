"""Per-rep metrics, swing score and fault rules.

Times are seconds from the first sample, corrected for the gyro filter's group delay. Angles
are degrees about the movement axis, concentric positive. Each fault rule is the one written
in the profile's :class:`imu.exercises.FaultThresholds` docstring.

Isometric holds (plank): the rep is getting into position (concentric), the hold (top hold)
and the movement that ends it (eccentric). ``rom_deg`` is then the tilt drift over the hold
(negative: hips sagging), and the hold complies when it lasts the prescribed time.

Swing (momentum) score: the mean of four yes/no features of a controlled rep's opposite,
from the domain brief ("a burst after a small counter-movement, a high peak velocity early,
then coasting; a controlled rep has a smooth, bell-shaped velocity with no wind-up"):

- ``windup``: a counter-movement of at least 5% of the ROM (and a quarter of the profile's
  smallest rep) ends within 0.6 s before the concentric;
- ``early_peak``: the concentric's velocity peaks in its first 40%;
- ``fast``: the concentric lasts under 60% of the prescribed one;
- ``overshoot``: a small return of the same size follows the concentric within 0.6 s,
  before the real eccentric.

A rep is a swing when the score is at least 0.75 (three features: a pendulum swing of the
whole body under a hanging rep alone makes a rep look fast and early-peaking), or always for
profiles where any pelvic rep is hip drive (``every_rep_is_swing``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from imu.core.segmentation import RawRep
from imu.exercises import FAULTS, ExerciseProfile
from imu.tempo import Tempo

FloatArray = npt.NDArray[np.float64]

SWING_FEATURES = ("windup", "early_peak", "fast", "overshoot")
SWING_SCORE_MIN = 0.75
"""Three of the four features: two alone also come from a body swinging under the rep."""
REFERENCE_REPS = 10
"""Reps whose median ROM is the reference for partial ROM and over-extension."""


@dataclass(frozen=True)
class TempoTolerance:
    """A phase complies when ``|measured - prescribed| <= max(min_s, fraction * prescribed)``."""

    fraction: float = 0.25
    min_s: float = 0.4

    def ok(self, measured_s: float, prescribed_s: float) -> bool:
        """Whether one phase duration complies."""
        return abs(measured_s - prescribed_s) <= max(self.min_s, self.fraction * prescribed_s)


@dataclass(frozen=True)
class Rep:
    """One rep with its phases, metrics and faults (seconds from the first sample).

    ``faults`` holds the names of the faults found (a subset of :data:`imu.exercises.FAULTS`).
    """

    set: int
    rep: int
    side: str
    con_start_s: float
    con_end_s: float
    ecc_start_s: float
    ecc_end_s: float
    rom_deg: float
    peak_concentric_dps: float
    mean_concentric_dps: float
    peak_eccentric_dps: float
    mean_eccentric_dps: float
    windup_deg: float
    overshoot_deg: float
    peak_time_fraction: float
    swing_score: float
    swing: bool
    faults: frozenset[str]
    tempo_ok: bool
    in_gap: bool

    @property
    def concentric_s(self) -> float:
        """Concentric duration, s."""
        return self.con_end_s - self.con_start_s

    @property
    def top_hold_s(self) -> float:
        """Top hold duration, s."""
        return self.ecc_start_s - self.con_end_s

    @property
    def eccentric_s(self) -> float:
        """Eccentric duration, s."""
        return self.ecc_end_s - self.ecc_start_s

    @property
    def tut_s(self) -> float:
        """Time under tension (concentric onset to eccentric end), s."""
        return self.ecc_end_s - self.con_start_s


@dataclass(frozen=True)
class RepContext:
    """What :func:`rep_metrics` needs besides the rep.

    ``signal`` has shape (k, 4): velocity about the axis (deg/s), angle (deg), side-to-side
    rotation rate (deg/s), long-gap flag (0/1); row 0 is absolute sample ``signal_start``.
    ``reference_rom_deg`` are the ROMs the partial/over-extension reference is taken from.
    """

    profile: ExerciseProfile
    tempo: Tempo
    sampling_rate_hz: float
    delay_s: float
    signal: FloatArray
    signal_start: int
    previous: Sequence[Rep]
    set_rest_s: float
    tolerance: TempoTolerance
    reference_rom_deg: Sequence[float] = ()


def rom_of(raw: RawRep, signal: FloatArray, signal_start: int) -> float:
    """ROM of a rep: highest angle before the eccentric minus the angle at onset, degrees."""
    a = max(int(raw.con_start) - signal_start, 0)
    b = min(math.ceil(raw.ecc_start) - signal_start + 1, len(signal))
    angle = signal[a:b, 1]
    return float(angle.max() - angle[0]) if len(angle) else 0.0


def rep_metrics(raw: RawRep, ctx: RepContext) -> Rep:
    """Metrics, swing score and faults of one rep."""
    fs, prof, tempo, th = ctx.sampling_rate_hz, ctx.profile, ctx.tempo, ctx.profile.thresholds
    sig, s0 = ctx.signal, ctx.signal_start

    def sec(index: float) -> float:
        return index / fs - ctx.delay_s

    def rows(a: float, b: float) -> FloatArray:
        lo = min(max(math.floor(a) - s0, 0), len(sig))
        hi = min(max(math.ceil(b) - s0 + 1, lo), len(sig))
        return sig[lo:hi]

    con_start_s, con_end_s = sec(raw.con_start), sec(raw.con_end)
    ecc_start_s, ecc_end_s = sec(raw.ecc_start), sec(raw.ecc_end)
    concentric_s = con_end_s - con_start_s
    top_hold_s = ecc_start_s - con_end_s
    eccentric_s = ecc_end_s - ecc_start_s

    prev = ctx.previous[-1] if ctx.previous else None
    if prev is None:
        set_no, rep_no = 1, 1
    elif con_start_s - prev.ecc_end_s > ctx.set_rest_s:
        set_no, rep_no = prev.set + 1, 1
    else:
        set_no, rep_no = prev.set, prev.rep + 1

    rom = rom_of(raw, sig, s0)
    con_rows = rows(raw.con_start, raw.con_end)
    ecc_rows = rows(raw.ecc_start, raw.ecc_end)
    peak_con = max(lobe.peak_dps for lobe in raw.concentric)
    peak_ecc = -min(lobe.peak_dps for lobe in raw.eccentric)
    mean_con = float(con_rows[:, 0].mean()) if len(con_rows) else 0.0
    mean_ecc = float(-ecc_rows[:, 0].mean()) if len(ecc_rows) else 0.0

    # Swing features.
    windup_deg = -raw.windup.rotation_deg if raw.windup else 0.0
    overshoot_deg = -raw.overshoot.rotation_deg if raw.overshoot else 0.0
    main = max(raw.concentric, key=lambda lobe: lobe.peak_dps)
    peak_frac = (main.peak_index - raw.con_start) / max(raw.con_end - raw.con_start, 1e-9)
    small = max(0.25 * prof.min_rom_deg, 0.05 * rom)
    features = (
        windup_deg >= small,
        peak_frac < 0.4,
        concentric_s < 0.6 * tempo.concentric_s,
        overshoot_deg >= small,
    )
    score = sum(features) / len(features)
    swing = prof.every_rep_is_swing or score >= SWING_SCORE_MIN

    # Faults.
    found: set[str] = set()
    applies = set(prof.faults)
    refs = list(ctx.reference_rom_deg) or [rom]
    ref_rom = float(np.median(refs[-REFERENCE_REPS:]))
    if "dropped_eccentric" in applies and eccentric_s < th.dropped_eccentric_ratio * (
        tempo.eccentric_s
    ):
        found.add("dropped_eccentric")
    if "partial_rom" in applies and rom < th.partial_rom_ratio * ref_rom:
        found.add("partial_rom")
    if "over_extension" in applies and rom > th.over_extension_ratio * ref_rom:
        found.add("over_extension")
    rep_rows = rows(raw.con_start, raw.ecc_end)
    if "back_arch" in applies and len(rep_rows):
        start_angle = rep_rows[0, 1]
        if start_angle - rep_rows[:, 1].min() > th.back_arch_deg:
            found.add("back_arch")
    side_turn = np.cumsum(rep_rows[:, 2]) / fs if len(rep_rows) else np.zeros(1)
    if "hips_rotating" in applies and np.abs(side_turn).max() > th.hips_rotating_deg:
        found.add("hips_rotating")
    if (
        "short_hold" in applies
        and tempo.top_hold_s >= 1.0
        and top_hold_s < th.short_hold_ratio * tempo.top_hold_s
    ):
        found.add("short_hold")
    if "body_swing" in applies:
        # The dead hang before the rep: since the previous rep ended, at most 3 s.
        hang_from = raw.con_start - 3.0 * fs
        if prev is not None and prev.set == set_no:
            hang_from = max(hang_from, (prev.ecc_end_s + ctx.delay_s) * fs)
        hang_to = raw.windup.run_start if raw.windup else raw.con_start
        before = rows(hang_from, hang_to)
        if len(before) and np.ptp(before[:, 1]) > th.body_swing_deg:
            found.add("body_swing")
    if prof.isometric:
        hold = rows(raw.con_end, raw.ecc_start)
        if len(hold) > 2:
            drift = float(hold[-1, 1] - hold[0, 1])
            if "hips_sagging" in applies and drift < -th.hip_drift_deg:
                found.add("hips_sagging")
            if "hips_piking" in applies and drift > th.hip_drift_deg:
                found.add("hips_piking")
            shake = float(np.sqrt(np.mean((hold[:, 0] - hold[:, 0].mean()) ** 2)))
            if "shaking" in applies and shake > th.shaking_dps:
                found.add("shaking")
            rom = drift
    side = ""
    if prof.alternating and len(side_turn):
        extreme = side_turn[int(np.argmax(np.abs(side_turn)))]
        side = "left" if extreme > 0 else "right"

    tol = ctx.tolerance
    if prof.isometric:  # a hold complies when it lasts at least the prescription
        tempo_ok = top_hold_s >= tempo.top_hold_s - max(tol.min_s, 0.1 * tempo.top_hold_s)
    else:
        tempo_ok = (
            tol.ok(concentric_s, tempo.concentric_s)
            and tol.ok(top_hold_s, tempo.top_hold_s)
            and tol.ok(eccentric_s, tempo.eccentric_s)
        )
    in_gap = bool(len(rep_rows) and rep_rows[:, 3].any())
    assert found <= set(FAULTS)
    return Rep(
        set=set_no,
        rep=rep_no,
        side=side,
        con_start_s=con_start_s,
        con_end_s=con_end_s,
        ecc_start_s=ecc_start_s,
        ecc_end_s=ecc_end_s,
        rom_deg=rom,
        peak_concentric_dps=float(peak_con),
        mean_concentric_dps=mean_con,
        peak_eccentric_dps=float(peak_ecc),
        mean_eccentric_dps=mean_ecc,
        windup_deg=windup_deg,
        overshoot_deg=overshoot_deg,
        peak_time_fraction=float(peak_frac),
        swing_score=float(score),
        swing=bool(swing),
        faults=frozenset(found),
        tempo_ok=bool(tempo_ok),
        in_gap=in_gap,
    )
