"""A pause that breaks a set's rhythm marks the next rep ``missed_before`` (braced exercises)."""

import math

import pytest

from imu.core.labels import RepLabeller
from imu.core.metrics import RepQuantities
from imu.exercises import MISSED_REP_GAP_RATIO, get_profile

DEAD_BUG = get_profile("dead-bug")


def _rep(set_no: int, start_s: float) -> RepQuantities:
    return RepQuantities(
        set=set_no, rep=1, side="", con_start_s=start_s, con_end_s=start_s + 1.0,
        ecc_start_s=start_s + 2.0, ecc_end_s=start_s + 3.0, rom_deg=4.0,
        peak_concentric_dps=5.0, mean_concentric_dps=3.0, peak_eccentric_dps=5.0,
        mean_eccentric_dps=3.0, peak_time_fraction=0.5, concentric_ratio=1.0,
        windup_deg=0.0, overshoot_deg=0.0, eccentric_ratio=1.0, top_hold_ratio=1.0,
        arch_deg=0.0, rotation_deg=0.0, body_swing_deg=math.nan, drift_deg=math.nan,
        shaking_dps=math.nan, noise_deg=0.2, tempo_ok=True, in_gap=False,
    )


def _marks(profile, starts: list[tuple[int, float]]) -> list[bool]:
    lab = RepLabeller(profile)
    return [lab(_rep(s, t)).missed_before for s, t in starts]


def test_a_pause_of_two_intervals_marks_the_rep_after_it():
    starts = [(1, 0.0), (1, 5.0), (1, 10.0), (1, 20.0), (1, 25.0)]
    assert _marks(DEAD_BUG, starts) == [False, False, False, True, False]


def test_the_mark_flips_at_the_profile_ratio():
    usual = 5.0
    below = [(1, 0.0), (1, usual), (1, usual + MISSED_REP_GAP_RATIO * usual * 0.99)]
    above = [(1, 0.0), (1, usual), (1, usual + MISSED_REP_GAP_RATIO * usual * 1.01)]
    assert _marks(DEAD_BUG, below)[-1] is False
    assert _marks(DEAD_BUG, above)[-1] is True


def test_the_rhythm_starts_over_with_each_set_and_needs_one_interval():
    # The first interval of a set is never judged (nothing to compare with); a new set's
    # first reps are not compared with the last set's cadence.
    starts = [(1, 0.0), (1, 3.0), (1, 6.0), (2, 60.0), (2, 70.0), (2, 80.0)]
    assert _marks(DEAD_BUG, starts) == [False] * 6


@pytest.mark.parametrize("name", ["reverse-crunch", "hanging-leg-raise", "pelvic-tilt"])
def test_off_where_the_pelvis_moves_through_the_rep(name: str):
    profile = get_profile(name)
    assert profile.missed_rep_gap_ratio == 0.0
    assert _marks(profile, [(1, 0.0), (1, 5.0), (1, 10.0), (1, 30.0)]) == [False] * 4


@pytest.mark.parametrize("name", ["leg-raise", "dead-bug", "bird-dog"])
def test_on_for_the_braced_exercises(name: str):
    assert get_profile(name).missed_rep_gap_ratio == MISSED_REP_GAP_RATIO



def test_a_dropped_fidget_is_no_beat_of_the_rhythm() -> None:
    """The analyzer drops some labelled movements as fidgets; forgetting one takes its start
    out of the set's rhythm, so the pause it sat in is still a pause."""
    lab = RepLabeller(DEAD_BUG)
    marks = [lab(_rep(1, t)).missed_before for t in (0.0, 5.0, 10.0)]
    fidget = lab(_rep(1, 14.0))
    lab.forget(fidget)
    marks.append(lab(_rep(1, 20.0)).missed_before)  # 10 s after the last rep: two intervals
    assert marks == [False, False, False, True]
    kept = RepLabeller(DEAD_BUG)
    for t in (0.0, 5.0, 10.0, 14.0):
        kept(_rep(1, t))
    assert kept(_rep(1, 20.0)).missed_before is False  # 6 s after a rep it counted
