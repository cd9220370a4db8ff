"""Hanging: a rise the accelerometer turns against is no rep; one it barely follows must be
about as large as the session's reps (a fast raise swings the trunk back and tilts its
reading), and is no first rep (getting on the bar)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from imu.core.analyzer import DOUBTED_ROM_RATIO, RepAnalyzer
from imu.core.segmentation import (
    Lobe,
    RawRep,
    RepAssembler,
    SegmenterParams,
    accelerometer_doubts,
)
from imu.exercises import get_profile
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep

FS = 100.0
HANGING = SegmenterParams(sampling_rate_hz=FS, min_velocity_dps=2.0, min_rom_deg=6.0,
                          reject_pendulum=True)


def _lobe(sign: int, start_s: float, end_s: float, rotation: float, acc: float,
          angle0: float = 0.0) -> Lobe:
    i0, i1 = round(start_s * FS), round(end_s * FS)
    return Lobe(sign=sign, run_start=i0, run_end=i1, start=float(i0), end=float(i1),
                peak_index=(i0 + i1) // 2, peak_dps=sign * 30.0, rotation_deg=rotation,
                angle_start_deg=angle0, angle_end_deg=angle0 + rotation,
                acc_rotation_deg=acc)


def _reps(acc_share: float) -> list[RawRep]:
    """One rise of 20 deg whose accelerometer turned ``acc_share`` of it, then its lowering."""
    up = _lobe(1, 1.0, 1.5, 20.0, acc_share * 20.0)
    down = _lobe(-1, 3.0, 5.0, -20.0, -20.0, 20.0)
    assembler = RepAssembler(HANGING)
    return assembler.push([up, down], now=round(8.0 * FS)) + assembler.flush()


@pytest.mark.parametrize(("share", "found"), [(1.0, 1), (0.3, 1), (0.1, 1), (-0.4, 1),
                                              (-0.6, 0), (-1.0, 0)])
def test_a_rise_turned_against_by_more_than_half_is_no_rep(share: float, found: int) -> None:
    assert len(_reps(share)) == found


def test_the_accelerometer_doubts_what_it_barely_follows() -> None:
    assert not accelerometer_doubts(_lobe(1, 0.0, 1.0, 20.0, 5.0), HANGING)  # a quarter
    assert accelerometer_doubts(_lobe(1, 0.0, 1.0, 20.0, 4.9), HANGING)
    assert accelerometer_doubts(_lobe(1, 0.0, 1.0, 20.0, -8.0), HANGING)
    lying = dataclasses.replace(HANGING, reject_pendulum=False)
    assert not accelerometer_doubts(_lobe(1, 0.0, 1.0, 20.0, -8.0), lying)


def test_a_doubted_rep_counts_only_when_as_large_as_the_sessions_reps() -> None:
    analyzer = RepAnalyzer(get_profile("hanging-leg-raise"), FS, parse_tempo("2-1-2"))
    doubted = RawRep((_lobe(1, 1.0, 1.5, 20.0, -4.0),), (_lobe(-1, 3.0, 5.0, -20.0, -20.0),),
                     None, None)
    followed = RawRep((_lobe(1, 1.0, 1.5, 20.0, 18.0),), doubted.eccentric, None, None)

    def rep(ratio: float):
        return dataclasses.replace(make_rep(1, 2, 1.0), rom_ratio=ratio)

    small, large = 0.99 * DOUBTED_ROM_RATIO, 1.01 * DOUBTED_ROM_RATIO
    assert analyzer._doubted_and_small(rep(small), doubted)
    assert not analyzer._doubted_and_small(rep(large), doubted)
    # The session's first rep has no reference: a doubted one is getting on the bar.
    assert analyzer._doubted_and_small(rep(math.nan), doubted)
    assert not analyzer._doubted_and_small(rep(math.nan), followed)
    assert not analyzer._doubted_and_small(rep(small), followed)
    lying = RepAnalyzer(get_profile("reverse-crunch"), FS, parse_tempo("2-1-2"))
    assert not lying._doubted_and_small(rep(small), doubted)
