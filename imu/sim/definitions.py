"""The label definitions of ``DOMAIN.md``, applied to the simulator's noise-free kinematics.

The simulator's ground truth labels every rep by measuring the quantities of the domain
brief's table "Definitions that decide every label" (spelled out in ``docs/analysis.md``,
"Metrics and faults: the definitions") on the rep's own noise-free kinematics, never by how
the rep was generated. This module is written independently of :mod:`imu.core` and
:mod:`imu.exercises` (ground truth must not come from the code it checks): the thresholds
below are quoted from ``DOMAIN.md``, not imported.

Notation as in ``docs/analysis.md``: ``theta`` is the pelvic angle about the movement axis
(concentric positive, degrees here), ``v`` its rate (deg/s), ``t_on`` the concentric onset.
Every function takes arrays on a uniform grid of ``rate_hz`` whose sample 0 is at t = 0 s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# --- thresholds, quoted from DOMAIN.md "Definitions that decide every label" --------------
PHASE_FRACTION = 0.1
"""Phase boundaries: where the angular velocity crosses 10% of the phase's own peak."""
EARLY_PEAK_FRACTION = 0.35
"""swing feature *early peak*: peak angular velocity within the first 35% of the phase."""
FAST_CONCENTRIC_RATIO = 0.5
"""swing feature *fast*: concentric shorter than half the prescribed concentric."""
WINDUP_DEG = 3.0
"""swing feature *wind-up*: a rotation of at least 3 deg against the concentric..."""
WINDUP_END_WINDOW_S = 0.5
"""...that ends less than 0.5 s before the concentric starts."""
WINDUP_LOOKBACK_S = 2.0
"""docs/analysis.md: the wind-up's start is at most 2 s before ``t_on``."""
SWING_MIN_FEATURES = 2
"""swing: at least two of the three features."""
DROPPED_ECCENTRIC_RATIO = 0.5
"""dropped eccentric: eccentric / prescribed eccentric below 0.5."""
SHORT_HOLD_RATIO = 0.5
"""short hold: top hold / prescribed top hold below 0.5..."""
MIN_PRESCRIBED_HOLD_S = 1.0
"""...for prescriptions of 1 s or more."""
PARTIAL_ROM_RATIO = 0.6
"""partial ROM: ROM / reference below 0.6."""
OVER_EXTENSION_RATIO = 1.3
"""over-extension: the same ratio above 1.3."""
ROM_REFERENCE_REPS = 10
"""Reference ROM: median of the previous (up to 10) reps that were not partial."""
BACK_ARCH_DEG = 5.0
"""back arch: anterior tilt beyond the start level during the rep, more than 5 deg."""
HIPS_ROTATING_DEG = 5.0
"""hips rotating: peak-to-peak rotation about the long axis during the rep, more than 5 deg."""
BODY_SWING_DEG = 5.0
"""body swing: peak-to-peak pendulum angle in the 3 s before the rep, more than 5 deg."""
BODY_SWING_WINDOW_S = 3.0
"""The window of the body-swing quantity, s before ``t_on``."""
HIP_DRIFT_DEG = 5.0
"""hips sagging / piking: tilt drift from the start of the hold, more than 5 deg."""
SHAKING_DPS = 6.0
"""shaking: RMS of the angular velocity about its mean over the hold, more than 6 deg/s."""
HIP_DRIVE_MIN_DEG = 5.0
"""standing strict lifts: a pelvic burst of at least 5 deg... (the size threshold that
DOMAIN.md leaves to a documented profile field; the analyzer's ``standing-strict`` profile
documents 5 deg and 15 deg/s: the shifts of a person standing still stay below that)."""
HIP_DRIVE_MIN_DPS = 15.0
"""...and at least 15 deg/s is hip drive: every such burst is a swing rep."""


def _index(t_s: float, rate_hz: float, n: int) -> int:
    return min(max(round(t_s * rate_hz), 0), n - 1)


def peak_time_fraction(v: FloatArray, rate_hz: float, con_start_s: float,
                       con_end_s: float) -> float:
    """(time of the peak of ``v`` within the concentric - ``t_on``) / concentric duration."""
    i0 = _index(con_start_s, rate_hz, len(v))
    i1 = _index(con_end_s, rate_hz, len(v))
    k = i0 + int(np.argmax(v[i0:i1 + 1]))
    return float((k / rate_hz - con_start_s) / (con_end_s - con_start_s))


def windup_deg(theta_deg: FloatArray, rate_hz: float, t_on_s: float,
               prev_ecc_end_s: float | None) -> float:
    """Wind-up: the largest drop ``theta(a) - theta(b)`` before the concentric, deg.

    ``a < b``, ``b`` in [t_on - 0.5 s, t_on], ``a >= max(t_on - 2 s, end of the previous
    rep's eccentric)``; 0 if none.
    """
    n = len(theta_deg)
    lo_s = t_on_s - WINDUP_LOOKBACK_S
    if prev_ecc_end_s is not None:
        lo_s = max(lo_s, prev_ecc_end_s)
    i_a = min(max(math.ceil(lo_s * rate_hz), 0), n - 1)
    i_b0 = _index(t_on_s - WINDUP_END_WINDOW_S, rate_hz, n)
    i_b1 = _index(t_on_s, rate_hz, n)
    if i_a >= i_b1:
        return 0.0
    seg = theta_deg[i_a:i_b1 + 1]
    drops = np.maximum.accumulate(seg) - seg
    drops = drops[max(0, i_b0 - i_a):]
    return float(max(0.0, drops.max())) if drops.size else 0.0


def swing_feature_count(peak_fraction: float, concentric_ratio: float, windup: float) -> int:
    """How many of the three swing features hold (0-3)."""
    return (
        int(peak_fraction < EARLY_PEAK_FRACTION)
        + int(concentric_ratio < FAST_CONCENTRIC_RATIO)
        + int(windup >= WINDUP_DEG)
    )


def rom_deg(theta_deg: FloatArray, rate_hz: float, t_on_s: float, ecc_start_s: float) -> float:
    """Max theta over [t_on, eccentric start] - theta(t_on)."""
    i0 = _index(t_on_s, rate_hz, len(theta_deg))
    i1 = _index(ecc_start_s, rate_hz, len(theta_deg))
    return float(theta_deg[i0:i1 + 1].max() - theta_deg[i0])


def arch_deg(theta_deg: FloatArray, rate_hz: float, t_on_s: float, ecc_end_s: float) -> float:
    """theta(t_on) - min theta over [t_on, eccentric end]."""
    i0 = _index(t_on_s, rate_hz, len(theta_deg))
    i1 = _index(ecc_end_s, rate_hz, len(theta_deg))
    return float(theta_deg[i0] - theta_deg[i0:i1 + 1].min())


def peak_to_peak(x: FloatArray, rate_hz: float, t0_s: float, t1_s: float) -> float:
    """Peak-to-peak of ``x`` over [t0, t1] (clipped to the grid)."""
    i0 = _index(t0_s, rate_hz, len(x))
    i1 = _index(t1_s, rate_hz, len(x))
    seg = x[i0:i1 + 1]
    return float(seg.max() - seg.min())


def drift_deg(theta_deg: FloatArray, rate_hz: float, t0_s: float, t1_s: float) -> float:
    """Signed excursion of largest magnitude from ``theta(t0)`` over the hold [t0, t1]."""
    i0 = _index(t0_s, rate_hz, len(theta_deg))
    i1 = _index(t1_s, rate_hz, len(theta_deg))
    excursion = theta_deg[i0:i1 + 1] - theta_deg[i0]
    return float(excursion[int(np.argmax(np.abs(excursion)))])


def shaking_dps(v_dps: FloatArray, rate_hz: float, t0_s: float, t1_s: float) -> float:
    """RMS of ``v`` about its mean over the hold [t0, t1], deg/s."""
    i0 = _index(t0_s, rate_hz, len(v_dps))
    i1 = _index(t1_s, rate_hz, len(v_dps))
    seg = v_dps[i0:i1 + 1]
    return float(np.sqrt(np.mean((seg - seg.mean()) ** 2)))


def rom_ratios(
    rom: Sequence[float], partial_applies: bool
) -> tuple[list[float], list[bool]]:
    """ROM ratio of each rep of a session (in order) and the partial-ROM label it gives.

    The reference is the median ROM of the previous (up to :data:`ROM_REFERENCE_REPS`) reps
    whose partial-ROM label is False; the first rep has none (NaN, never partial). Where the
    fault does not apply every label is False, so every previous rep is a reference.
    """
    ratios: list[float] = []
    partial: list[bool] = []
    reference: list[float] = []
    for r in rom:
        if not reference or not math.isfinite(r):
            ratio = math.nan
        else:
            ratio = r / float(np.median(reference[-ROM_REFERENCE_REPS:]))
        is_partial = partial_applies and math.isfinite(ratio) and ratio < PARTIAL_ROM_RATIO
        ratios.append(ratio)
        partial.append(is_partial)
        if not is_partial and math.isfinite(r):
            reference.append(r)
    return ratios, partial


def labels(q: dict[str, float], applicable: frozenset[str], hip_drive: bool,
           partial: bool) -> dict[str, bool]:
    """Every label of one rep from its quantities (column names of the truth table).

    Args:
        q: the rep's quantities: ``swing_features``, ``rom_deg``,
            ``peak_concentric_velocity_dps``, ``eccentric_ratio``, ``top_hold_ratio``,
            ``rom_ratio``, ``arch_deg``, ``rotation_deg``, ``body_swing_deg``, ``drift_deg``,
            ``shaking_dps`` (NaN where a quantity does not exist).
        applicable: faults that apply to the exercise (a label is True only for these).
        hip_drive: standing strict lift: every pelvic burst of at least
            :data:`HIP_DRIVE_MIN_DEG` and :data:`HIP_DRIVE_MIN_DPS` is a swing rep.
        partial: the partial-ROM label from :func:`rom_ratios`.

    NaN quantities compare False, so a label whose quantity does not exist is False.

    """
    if hip_drive:
        swing = (q["rom_deg"] >= HIP_DRIVE_MIN_DEG
                 and q["peak_concentric_velocity_dps"] >= HIP_DRIVE_MIN_DPS)
    else:
        swing = q["swing_features"] >= SWING_MIN_FEATURES
    out = {
        "swing": bool(swing),
        "dropped_eccentric": q["eccentric_ratio"] < DROPPED_ECCENTRIC_RATIO,
        "back_arch": q["arch_deg"] > BACK_ARCH_DEG,
        "hips_rotating": q["rotation_deg"] > HIPS_ROTATING_DEG,
        "over_extension": q["rom_ratio"] > OVER_EXTENSION_RATIO,
        "partial_rom": partial,
        "short_hold": q["top_hold_ratio"] < SHORT_HOLD_RATIO,
        "body_swing": q["body_swing_deg"] > BODY_SWING_DEG,
        "hips_sagging": q["drift_deg"] < -HIP_DRIFT_DEG,
        "hips_piking": q["drift_deg"] > HIP_DRIFT_DEG,
        "shaking": q["shaking_dps"] > SHAKING_DPS,
    }
    return {name: bool(value) and name in applicable for name, value in out.items()}
