"""Hanging: reps from 5 deg at the hip are counted, those under the 6 deg of a sure rep
reported uncertain.

The trunk leans back about the bar as the legs rise (the body's centre of mass stays under the
hands) and takes back part of the curl at the hip, so a 15-20 deg curl can turn the pelvis by
5-7 deg only (:data:`imu.exercises.HANGING_MIN_ROM_DEG`). The second generator integrates that
balance; in its session 840004 (4-1-4, the body still) most reps turn the pelvis by 5-7 deg.
"""

from __future__ import annotations

import dataclasses

import pytest

from imu.core.analyzer import RepAnalyzer
from imu.core.labels import count_confidence
from imu.core.metrics import UNCERTAIN_CONFIDENCE
from imu.evaluate.config import EvalConfig, default_cases
from imu.evaluate.scoring import match_reps, normalize_found
from imu.evaluate.second import generate
from imu.evaluate.sessions import draw_spec
from imu.exercises import HANGING_MIN_ROM_DEG, get_profile
from imu.report import reps_table

from .test_steps import quantities

HANGING = get_profile("hanging-leg-raise")
CRUNCH = get_profile("reverse-crunch")


def test_the_hanging_profile_counts_from_5_deg_and_is_sure_from_6() -> None:
    assert HANGING.min_rom_deg == HANGING_MIN_ROM_DEG == 5.0
    assert HANGING.confidence_base_deg == 6.0
    # Elsewhere the smallest rep is also the smallest sure one.
    assert CRUNCH.confident_rom_deg == 0.0
    assert CRUNCH.confidence_base_deg == CRUNCH.min_rom_deg


@pytest.mark.parametrize(("rom", "expected"), [(5.5, 0.0), (6.0, 0.0), (9.0, 0.25),
                                               (12.0, 0.5), (18.0, 1.0)])
def test_count_confidence_rises_from_the_smallest_sure_rep(rom: float, expected: float) -> None:
    q = dataclasses.replace(quantities(), rom_deg=rom, peak_concentric_dps=100.0,
                            noise_deg=0.01, in_gap=False)
    assert count_confidence(q, HANGING) == pytest.approx(expected)
    # Scaled by min_rom_deg where no confident_rom_deg is set (as before).
    as_before = dataclasses.replace(HANGING, confident_rom_deg=0.0)
    assert count_confidence(q, as_before) == pytest.approx(
        min(max((rom / 5.0 - 1.0) / 2.0, 0.0), 1.0))


def _second_generator_hanging(seed: int, min_rom_deg: float) -> tuple[int, int, list[float],
                                                                       list[float]]:
    """Stream the second generator's hanging session ``seed`` (20-sample chunks).

    Returns the truth's rep count, the found reps that match a true one, and the found
    reps' ROM and count confidence.
    """
    cases = default_cases(True)
    case = next(c for c in cases if c.name == "hanging-leg-raise")
    spec, tempo = draw_spec(case, seed, EvalConfig(cases))
    sim = generate(spec)
    rec = sim.recording
    profile = dataclasses.replace(HANGING, min_rom_deg=min_rom_deg)
    analyzer = RepAnalyzer(profile, rec.sampling_rate_hz, tempo)
    reps = []
    for i in range(0, len(rec.acc), 20):
        reps += analyzer.update(rec.acc[i : i + 20], rec.gyr[i : i + 20])
    reps += analyzer.finish()
    found = normalize_found(reps_table(reps), hold=False)
    pairs = match_reps(sim.truth.reset_index(drop=True), found)
    matched = int(((pairs["t_idx"] >= 0) & (pairs["d_idx"] >= 0)).sum())
    return (len(sim.truth), matched, [r.rom_deg for r in reps],
            [r.count_confidence for r in reps])


def test_a_leaning_trunk_no_longer_hides_most_of_a_hanging_set() -> None:
    truth, matched, roms, sure = _second_generator_hanging(840004, HANGING_MIN_ROM_DEG)
    _, matched_at_6, _, _ = _second_generator_hanging(840004, 6.0)
    assert truth == 16
    assert matched_at_6 <= truth // 2  # 6 deg: the lean hid most reps
    assert matched >= matched_at_6 + 4
    small = [c for rom, c in zip(roms, sure, strict=True) if rom < 6.0]
    assert small and max(small) < UNCERTAIN_CONFIDENCE  # counted, and said to be unsure


def test_the_report_gives_the_reason_on_the_analyzers_scale() -> None:
    """The report's "why uncertain" is worked back on the same scale as the certainty."""
    from imu.report.coaching import doubt

    q = dataclasses.replace(quantities(), rom_deg=5.5, peak_concentric_dps=100.0,
                            noise_deg=0.01, in_gap=False)
    row = {"rom_deg": 5.5, "peak_concentric_dps": 100.0,
           "count_confidence": count_confidence(q, HANGING)}
    found = doubt(row, HANGING, "rep")
    assert found.kind == "small"
    assert "a sure rep moves it 12° or more" in found.measured  # 2 x 6 deg, not 2 x 5
