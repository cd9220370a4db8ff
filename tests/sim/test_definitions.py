"""The label definitions on movements built with known kinematics, and threshold flips."""

from __future__ import annotations

import math

import numpy as np
import pytest

from imu.sim import definitions as defs
from imu.sim.pulses import TILT_CH, Pulse, pulse_for_convention, render_pulses

RATE = 1000.0


def _theta_deg(pulses: list[Pulse], duration_s: float = 10.0) -> np.ndarray:
    n = int(duration_s * RATE)
    return np.degrees(render_pulses(pulses, 0.0, RATE, n)[:, TILT_CH])


def _rate_dps(theta_deg: np.ndarray) -> np.ndarray:
    return np.gradient(theta_deg, 1.0 / RATE)


@pytest.mark.parametrize(("depth_deg", "expected"), [(2.9, False), (3.1, True)])
def test_windup_just_across_3_deg_flips_the_feature(depth_deg: float, expected: bool) -> None:
    t_on = 5.0
    wind = pulse_for_convention(TILT_CH, t_on - 0.4, 0.3, -math.radians(depth_deg))
    con = pulse_for_convention(TILT_CH, t_on, 1.0, math.radians(40.0))
    theta = _theta_deg([wind, con])
    w = defs.windup_deg(theta, RATE, t_on, prev_ecc_end_s=None)
    # the concentric has already risen a little at its own 10% point: the measured drop is
    # the wind-up's depth plus the wind-up's and minus the concentric's sub-10% tails
    assert w == pytest.approx(depth_deg, abs=0.08)
    assert (w >= defs.WINDUP_DEG) is expected


def test_windup_ending_long_before_the_concentric_does_not_count() -> None:
    t_on = 5.0
    wind = pulse_for_convention(TILT_CH, t_on - 1.6, 0.3, -math.radians(6.0))
    back = pulse_for_convention(TILT_CH, t_on - 1.0, 0.3, math.radians(6.0))
    con = pulse_for_convention(TILT_CH, t_on, 1.0, math.radians(40.0))
    theta = _theta_deg([wind, back, con])
    assert defs.windup_deg(theta, RATE, t_on, None) < 0.1
    # and a drop that starts before the previous eccentric's end is cut at that end
    theta2 = _theta_deg([pulse_for_convention(TILT_CH, t_on - 0.6, 0.5, -math.radians(6.0)),
                         con])
    full = defs.windup_deg(theta2, RATE, t_on, None)
    cut = defs.windup_deg(theta2, RATE, t_on, prev_ecc_end_s=t_on - 0.3)
    assert full > 5.5 and cut < 0.75 * full


@pytest.mark.parametrize(("peak", "early"), [(0.33, True), (0.37, False)])
def test_peak_time_fraction_just_across_035(peak: float, early: bool) -> None:
    con = pulse_for_convention(TILT_CH, 2.0, 1.0, math.radians(40.0), peak, 0.0, "twosided")
    v = _rate_dps(_theta_deg([con], 5.0))
    ptf = defs.peak_time_fraction(v, RATE, 2.0, 3.0)
    assert ptf == pytest.approx(peak, abs=0.003)
    assert (ptf < defs.EARLY_PEAK_FRACTION) is early


def test_swing_needs_two_of_three_features() -> None:
    assert defs.swing_feature_count(0.2, 0.4, 5.0) == 3
    assert defs.swing_feature_count(0.2, 0.6, 0.0) == 1
    assert defs.swing_feature_count(0.5, 0.49, 3.0) == 2
    q = dict.fromkeys(("eccentric_ratio", "top_hold_ratio", "rom_ratio", "arch_deg",
                       "rotation_deg", "body_swing_deg", "drift_deg", "shaking_dps"), math.nan)
    q.update(rom_deg=40.0, peak_concentric_velocity_dps=100.0)
    applicable = frozenset({"swing"})
    for n, want in ((0, False), (1, False), (2, True), (3, True)):
        assert defs.labels({**q, "swing_features": n}, applicable, False, False)["swing"] is want
    # where swing does not apply it is never labelled
    assert not defs.labels({**q, "swing_features": 3}, frozenset(), False, False)["swing"]
    # hip drive (standing strict): every burst of >= 5 deg and >= 15 deg/s, features aside
    hip = {**q, "swing_features": 0, "rom_deg": 5.2, "peak_concentric_velocity_dps": 40.0}
    assert defs.labels(hip, applicable, True, False)["swing"]
    assert not defs.labels({**hip, "rom_deg": 4.8}, applicable, True, False)["swing"]


@pytest.mark.parametrize(("arch", "expected"), [(4.85, False), (5.15, True)])
def test_back_arch_just_across_5_deg(arch: float, expected: bool) -> None:
    con = pulse_for_convention(TILT_CH, 1.0, 1.0, math.radians(6.0))
    ecc = pulse_for_convention(TILT_CH, 3.0, 1.0, -math.radians(6.0 + arch))
    theta = _theta_deg([con, ecc], 6.0)
    end = ecc.convention_span_s[1]
    measured = defs.arch_deg(theta, RATE, 1.0, end)
    # the eccentric's 10% end comes a hair before its bottom
    assert measured == pytest.approx(arch, abs=0.1)
    assert (measured > defs.BACK_ARCH_DEG) is expected


def test_rom_ratio_reference_is_causal_and_skips_partial_reps() -> None:
    roms = [40.0, 20.0, 44.0, 36.0, 23.0, 60.0]
    ratios, partial = defs.rom_ratios(roms, partial_applies=True)
    assert math.isnan(ratios[0]) and not partial[0]
    assert ratios[1] == pytest.approx(0.5) and partial[1]  # 20 / 40
    assert ratios[2] == pytest.approx(44 / 40)  # the partial rep is not a reference
    assert ratios[3] == pytest.approx(36 / 42)
    assert ratios[4] == pytest.approx(23 / 40) and partial[4]
    assert ratios[5] == pytest.approx(60 / 40)
    # where partial ROM does not apply every previous rep is a reference
    ratios2, partial2 = defs.rom_ratios(roms, partial_applies=False)
    assert not any(partial2) and ratios2[2] == pytest.approx(44 / 30)
    # a ratio just across 0.6 flips the label
    _, p = defs.rom_ratios([50.0, 29.9], True)
    _, q = defs.rom_ratios([50.0, 30.1], True)
    assert p[1] and not q[1]


def test_rom_ratio_uses_the_last_ten_references() -> None:
    roms = [10.0] * 10 + [30.0] * 10 + [30.0]
    ratios, _ = defs.rom_ratios(roms, True)
    assert ratios[-1] == pytest.approx(1.0)  # the first ten are out of the window
    assert ratios[10] == pytest.approx(3.0)


def test_hold_drift_and_shaking() -> None:
    t = np.arange(0, 20, 1 / RATE)
    sag = pulse_for_convention(TILT_CH, 5.0, 5.0, -math.radians(7.0))
    theta = _theta_deg([sag], 20.0) + 0.1 * np.sin(2 * np.pi * 8 * t)
    assert defs.drift_deg(theta, RATE, 1.0, 19.0) == pytest.approx(-7.0, abs=0.15)
    v = _rate_dps(theta)
    rms = defs.shaking_dps(v, RATE, 1.0, 19.0)
    expected = 0.1 * 2 * np.pi * 8 / math.sqrt(2)  # the tremor's rate, plus a little drift
    assert expected < rms < expected + 0.3
    q = dict.fromkeys(defs_quantities(), math.nan)
    lab = defs.labels({**q, "drift_deg": -5.1, "shaking_dps": 6.1},
                      frozenset({"hips_sagging", "hips_piking", "shaking"}), False, False)
    assert lab["hips_sagging"] and lab["shaking"] and not lab["hips_piking"]
    lab = defs.labels({**q, "drift_deg": 4.9, "shaking_dps": 5.9},
                      frozenset({"hips_sagging", "hips_piking", "shaking"}), False, False)
    assert not any(lab.values())


def test_ratio_labels_flip_at_their_thresholds() -> None:
    q = dict.fromkeys(defs_quantities(), math.nan)
    every = frozenset({"dropped_eccentric", "short_hold", "over_extension", "hips_rotating",
                       "body_swing"})
    below = defs.labels({**q, "eccentric_ratio": 0.49, "top_hold_ratio": 0.49,
                         "rom_ratio": 1.31, "rotation_deg": 5.1, "body_swing_deg": 5.1},
                        every, False, False)
    above = defs.labels({**q, "eccentric_ratio": 0.51, "top_hold_ratio": 0.51,
                         "rom_ratio": 1.29, "rotation_deg": 4.9, "body_swing_deg": 4.9},
                        every, False, False)
    assert all(below[name] for name in every)
    assert not any(above[name] for name in every)
    # NaN (a prescribed hold under 1 s) is never a short hold
    assert not defs.labels({**q, "top_hold_ratio": math.nan}, every, False, False)["short_hold"]


def defs_quantities() -> tuple[str, ...]:
    return ("swing_features", "rom_deg", "peak_concentric_velocity_dps", "eccentric_ratio",
            "top_hold_ratio", "rom_ratio", "arch_deg", "rotation_deg", "body_swing_deg",
            "drift_deg", "shaking_dps")
