"""Truth by definition: every label is its quantity measured on the kinematics, thresholded.

The quantities are recomputed here from the session's own noise-free pelvis angles and gyro
(micro-motion off, so those are the rep kinematics), independently of
:mod:`imu.sim.definitions`, and fault magnitudes are checked to straddle each threshold:
with a fault drawn on every rep, some reps still come out clean.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from imu.sim import SimulatedSession, simulate_session
from imu.sim.exercises import CONTROLLED_FAMILIES, SWING_FAMILIES
from imu.tempo import parse_tempo
from tests.sim.helpers import ideal_spec, pelvis_gyr

RATE = 833


def _idx(s: SimulatedSession, t: float) -> int:
    return round(t * s.recording.sampling_rate_hz)


def _theta(s: SimulatedSession, sign: float = 1.0) -> np.ndarray:
    """Movement angle (deg) without the hanging body's pendulum."""
    return np.degrees(sign * (s.pelvis_angles_rad[:, 0] - s.pendulum_rad))


def _ref_ratios(rom: pd.Series, partial_applies: bool) -> list[float]:
    out: list[float] = []
    refs: list[float] = []
    for r in rom:
        ratio = r / float(np.median(refs[-10:])) if refs else math.nan
        out.append(ratio)
        if not (partial_applies and ratio < 0.6):
            refs.append(r)
    return out


def _both(t: pd.DataFrame, label: str) -> None:
    assert t[label].any() and (~t[label]).any(), f"{label}: {t[label].tolist()}"


@pytest.fixture(scope="module")
def crunch_all_faults() -> SimulatedSession:
    """Every rep has swing-or-not, a hurried eccentric, a short hold and a partial ROM drawn."""
    return simulate_session(ideal_spec(
        "reverse-crunch", reps=12, sets=2, seed=21, micro_motion=False, sampling_rate_hz=RATE,
        tempo=parse_tempo("2-2-2"),
        faults={"swing": 0.5, "dropped_eccentric": 1.0, "short_hold": 1.0, "partial_rom": 1.0},
    ))


def test_swing_features_are_measured_on_the_kinematics(
    crunch_all_faults: SimulatedSession,
) -> None:
    s, t = crunch_all_faults, crunch_all_faults.truth
    v = np.degrees(pelvis_gyr(s)[:, 2])
    theta = _theta(s)
    prev_end = None
    for _, r in t.iterrows():
        i0, i1 = _idx(s, r["con_start_s"]), _idx(s, r["con_end_s"])
        k = i0 + int(np.argmax(v[i0:i1 + 1]))
        ptf = (k / RATE - r["con_start_s"]) / r["concentric_s"]
        assert r["peak_time_fraction"] == pytest.approx(ptf, abs=2.5 / RATE / r["concentric_s"])
        assert r["concentric_ratio"] == pytest.approx(r["concentric_s"] / 2.0)
        # wind-up: brute force over every pair a < b
        lo = r["con_start_s"] - 2.0 if prev_end is None else max(r["con_start_s"] - 2, prev_end)
        a0, b0 = math.ceil(lo * RATE), _idx(s, r["con_start_s"] - 0.5)
        drop = max([0.0] + [theta[a0:b + 1].max() - theta[b] for b in range(b0, i0 + 1)])
        assert r["windup_deg"] == pytest.approx(drop, abs=0.05)
        features = int(ptf < 0.35) + int(r["concentric_s"] / 2.0 < 0.5) + int(drop >= 3.0)
        if min(abs(ptf - 0.35), abs(drop - 3.0)) > 0.01:
            assert r["swing_features"] == features
        assert r["swing"] == (r["swing_features"] >= 2)
        rom = theta[i0:_idx(s, r["ecc_start_s"]) + 1].max() - theta[i0]
        assert r["rom_deg"] == pytest.approx(rom, abs=0.05)
        prev_end = r["ecc_end_s"]


def test_labels_come_from_the_definitions_not_from_the_draw(
    crunch_all_faults: SimulatedSession,
) -> None:
    t = crunch_all_faults.truth
    # every rep was drawn hurried, short-held and partial, yet the labels are the definitions'
    np.testing.assert_array_equal(t["dropped_eccentric"], t["eccentric_s"] / 2.0 < 0.5)
    np.testing.assert_array_equal(t["short_hold"], t["top_hold_s"] / 2.0 < 0.5)
    np.testing.assert_allclose(t["eccentric_ratio"], t["eccentric_s"] / 2.0)
    np.testing.assert_allclose(t["top_hold_ratio"], t["top_hold_s"] / 2.0)
    ratios = _ref_ratios(t["rom_deg"], partial_applies=True)
    np.testing.assert_allclose(t["rom_ratio"], ratios)
    np.testing.assert_array_equal(t["partial_rom"], np.nan_to_num(ratios, nan=1.0) < 0.6)
    for label in ("swing", "dropped_eccentric", "short_hold", "partial_rom"):
        _both(t, label)
    # a partial-intended rep whose ROM ratio is 0.6 or more is not partial
    assert ((t["rom_ratio"] >= 0.6) & ~t["partial_rom"]).sum() >= 3
    assert not t["partial_rom"].iloc[0] and math.isnan(t["rom_ratio"].iloc[0])
    # magnitudes straddle the thresholds over a continuous range
    assert t["eccentric_ratio"].min() < 0.35 and t["eccentric_ratio"].max() > 0.7
    assert t["top_hold_ratio"].min() < 0.3 and t["top_hold_ratio"].max() > 0.7
    swings = t[t["family"].isin(SWING_FAMILIES)]
    assert swings["concentric_ratio"].between(0.25, 0.85).all()
    assert (swings["concentric_ratio"] < 0.5).any() and (swings["concentric_ratio"] > 0.5).any()
    assert not t.loc[t["family"].isin(CONTROLLED_FAMILIES), "swing"].any()
    # quantities that do not exist for this exercise
    assert t[["drift_deg", "shaking_dps", "body_swing_deg"]].isna().all().all()
    assert not t[["back_arch", "body_swing", "hips_rotating", "over_extension"]].any().any()


def test_back_arch_is_the_drop_below_the_start_level() -> None:
    s = simulate_session(ideal_spec("leg-raise", reps=12, faults={"back_arch": 1.0}, seed=3,
                                    micro_motion=False, sampling_rate_hz=RATE))
    t, theta = s.truth, _theta(s)
    for _, r in t.iterrows():
        i0, i1 = _idx(s, r["con_start_s"]), _idx(s, r["ecc_end_s"])
        arch = theta[i0] - theta[i0:i1 + 1].min()
        assert r["arch_deg"] == pytest.approx(arch, abs=0.05)
        assert r["back_arch"] == (r["arch_deg"] > 5.0)
    _both(t, "back_arch")
    assert t["arch_deg"].max() > 8


def test_hips_rotating_is_the_peak_to_peak_rotation() -> None:
    s = simulate_session(ideal_spec("dead-bug", reps=12, faults={"hips_rotating": 1.0}, seed=4,
                                    micro_motion=False, sampling_rate_hz=RATE))
    t = s.truth
    rot = np.degrees(s.pelvis_angles_rad[:, 2])
    assert list(t["side"].iloc[:4]) == ["left", "right", "left", "right"]
    for _, r in t.iterrows():
        sl = slice(_idx(s, r["con_start_s"]), _idx(s, r["ecc_end_s"]) + 1)
        assert r["rotation_deg"] == pytest.approx(np.ptp(rot[sl]), abs=0.05)
        peak = rot[sl][np.argmax(np.abs(rot[sl]))]
        assert np.sign(peak) == (1 if r["side"] == "left" else -1)
        assert r["hips_rotating"] == (r["rotation_deg"] > 5.0)
    _both(t, "hips_rotating")


def test_over_extension_is_a_ratio_to_the_previous_reps() -> None:
    s = simulate_session(ideal_spec("reverse-hip-raise", reps=12, seed=4, micro_motion=False,
                                    faults={"over_extension": 0.4}))
    t = s.truth
    ratios = _ref_ratios(t["rom_deg"], partial_applies=True)
    np.testing.assert_allclose(t["rom_ratio"], ratios)
    np.testing.assert_array_equal(t["over_extension"], np.nan_to_num(ratios) > 1.3)
    _both(t, "over_extension")


def test_body_swing_is_the_pendulum_before_the_rep_only() -> None:
    s = simulate_session(ideal_spec("hanging-leg-raise", reps=10, faults={"body_swing": 0.6},
                                    seed=8, micro_motion=False, sampling_rate_hz=208))
    t = s.truth
    pend = np.degrees(s.pendulum_rad)
    for _, r in t.iterrows():
        sl = slice(_idx(s, r["con_start_s"] - 3.0), _idx(s, r["con_start_s"]) + 1)
        assert r["body_swing_deg"] == pytest.approx(np.ptp(pend[sl]), abs=0.1)
        assert r["body_swing"] == (r["body_swing_deg"] > 5.0)
    _both(t, "body_swing")
    # every rep excites a little swing: the pendulum never stops for long
    assert (t["body_swing_deg"] > 0.05).all()
    # the truth phases come from the curl alone: normal durations despite the swinging body
    assert t.loc[t["family"].isin(CONTROLLED_FAMILIES), "concentric_s"].between(1.6, 2.4).all()


def test_body_pendulum_swings_the_whole_session_across_the_threshold() -> None:
    s = simulate_session(ideal_spec("hanging-leg-raise", reps=8, sets=2, seed=5,
                                    body_pendulum=True, micro_motion=False))
    t = s.truth
    _both(t, "body_swing")
    assert t["body_swing_deg"].max() > 7 and t["body_swing_deg"].min() < 4
    assert s.recording.meta.notes["body_pendulum"] == "True"
    with pytest.raises(Exception, match="pendulum length"):
        simulate_session(ideal_spec("hanging-leg-raise", pendulum_length_m=3.0))


def test_plank_drift_and_shaking_are_measured_over_the_hold() -> None:
    spec = ideal_spec("plank", reps=1, sets=8, hold_s=12.0, seed=1, sampling_rate_hz=208,
                      rest_s=5.0, micro_motion=False,
                      faults={"hips_sagging": 0.4, "hips_piking": 0.4, "shaking": 0.6})
    s = simulate_session(spec)
    t = s.truth
    theta = _theta(s)
    v = np.degrees(pelvis_gyr(s)[:, 2])
    assert (t["family"] == "hold").all()
    for _, r in t.iterrows():
        sl = slice(_idx(s, r["con_start_s"]), _idx(s, r["ecc_end_s"]) + 1)
        exc = theta[sl] - theta[sl][0]
        drift = exc[np.argmax(np.abs(exc))]
        assert r["drift_deg"] == pytest.approx(drift, abs=0.05)
        assert r["rom_deg"] == r["drift_deg"]
        rms = np.sqrt(np.mean((v[sl] - v[sl].mean()) ** 2))
        assert r["shaking_dps"] == pytest.approx(rms, rel=0.03, abs=0.05)
        assert r["hips_sagging"] == (r["drift_deg"] < -5)
        assert r["hips_piking"] == (r["drift_deg"] > 5)
        assert r["shaking"] == (r["shaking_dps"] > 6)
    assert t["hold_s"].between(10.5, 13.5).all()
    _both(t, "shaking")
    assert (t["hips_sagging"] | t["hips_piking"]).any()
    assert t[["peak_time_fraction", "windup_deg", "rom_ratio"]].isna().all().all()


def test_standing_curl_hip_drive_is_every_pelvic_burst() -> None:
    s = simulate_session(ideal_spec("standing-curl", reps=10, seed=6, faults={"swing": 0.5}))
    t = s.truth
    drive = t["family"] == "hip-drive"
    assert drive.any() and (~drive).any()
    np.testing.assert_array_equal(t["swing"], drive)  # 8-15 deg bursts vs < 2 deg sway
    np.testing.assert_array_equal(
        t["swing"], (t["rom_deg"] >= 5) & (t["peak_concentric_velocity_dps"] >= 15)
    )


def test_every_family_appears_and_is_named() -> None:
    seen: set[str] = set()
    for seed in (1, 2):
        s = simulate_session(ideal_spec("reverse-crunch", reps=12, sets=2, seed=seed,
                                        faults={"swing": 0.5}, sampling_rate_hz=52))
        seen |= set(s.truth["family"])
    assert set(CONTROLLED_FAMILIES) | set(SWING_FAMILIES) <= seen


def test_families_can_be_restricted() -> None:
    s = simulate_session(ideal_spec("reverse-crunch", reps=12, sets=1, seed=3,
                                    faults={"swing": 0.5}, sampling_rate_hz=52,
                                    families={"plateau": 1.0, "burst-coast": 2.0}))
    assert set(s.truth["family"]) == {"plateau", "burst-coast"}
    only_swing = simulate_session(ideal_spec("reverse-crunch", reps=12, sets=1, seed=3,
                                             faults={"swing": 0.5}, sampling_rate_hz=52,
                                             families={"toss-overshoot": 1.0}))
    fam = set(only_swing.truth["family"])
    assert fam & set(SWING_FAMILIES) == {"toss-overshoot"}
    assert len(fam & set(CONTROLLED_FAMILIES)) >= 2  # controlled ones keep equal weights


@pytest.mark.parametrize(
    ("families", "match"),
    [({"wiggle": 1.0}, "unknown motion family"), ({"hold": 1.0}, "fixed by the exercise"),
     ({"bell": 0.0}, "all zero"), ({"sine": -1.0}, ">= 0")],
)
def test_bad_families_are_rejected(families: dict[str, float], match: str) -> None:
    with pytest.raises(Exception, match=match):
        simulate_session(ideal_spec("reverse-crunch", families=families))


def test_truth_is_deterministic_per_seed() -> None:
    spec = ideal_spec("hanging-leg-raise", reps=5, seed=9, body_pendulum=True,
                      faults={"swing": 0.5, "partial_rom": 0.3}, sampling_rate_hz=52)
    a, b = simulate_session(spec), simulate_session(spec)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    np.testing.assert_array_equal(a.recording.gyr, b.recording.gyr)
    c = simulate_session(ideal_spec("hanging-leg-raise", reps=5, seed=10, body_pendulum=True,
                                    faults={"swing": 0.5, "partial_rom": 0.3},
                                    sampling_rate_hz=52))
    assert not np.allclose(a.truth["body_swing_deg"], c.truth["body_swing_deg"])
