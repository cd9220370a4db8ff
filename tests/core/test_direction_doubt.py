"""A leg raise whose direction is in doubt: two readings disagree, every rep is uncertain."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import numpy as np

from imu.core.axis import departure_vote
from imu.core.labels import DIRECTION_DOUBT_CONFIDENCE, count_confidence
from imu.core.metrics import UNCERTAIN_CONFIDENCE, RepQuantities
from imu.exercises import get_profile

from .conftest import stream_tuning_session

FS = 100.0


def _leg_raise_like(brace_deg: float, pull_deg: float, reps: int = 6) -> np.ndarray:
    """Excursion from the starting posture, deg, at :data:`FS`: each rep rests 2 s, braces up
    by ``brace_deg`` over 1 s, then lowers through the starting posture into a pull of
    ``pull_deg`` below it without resting, and comes back to rest over 1 s."""
    rest = np.zeros(200)
    up = brace_deg * np.sin(np.linspace(0.0, np.pi / 2, 100))
    down = np.linspace(brace_deg, -pull_deg, 150)
    back = -pull_deg * np.cos(np.linspace(0.0, np.pi / 2, 100))
    return np.concatenate([np.concatenate((rest, up, down, back)) for _ in range(reps)])


def test_the_pelvis_leaves_a_rest_with_the_concentric_even_when_the_pull_is_larger() -> None:
    """The median excursion is below rest (a 9 deg pull against a 4 deg brace), but every
    movement leaves the rest upwards: the vote is up. Turned over, it is down."""
    series = np.radians(_leg_raise_like(4.0, 9.0))
    active = np.abs(np.gradient(series)) > 1e-5
    assert np.median(series[active]) < 0.0
    assert departure_vote(series, active, 1.0 / FS) == 1
    assert departure_vote(-series, active, 1.0 / FS) == -1


def test_small_braces_vote_against_pulls_five_times_their_size() -> None:
    """Second generator: 2 deg braces, 11 deg pulls. At 30% of the 98th percentile (3.3 deg)
    the braces never counted as leaving the rest, and the vote followed the pulls."""
    series = np.radians(_leg_raise_like(2.0, 11.0))
    active = np.abs(np.gradient(series)) > 1e-5
    assert departure_vote(series, active, 1.0 / FS) == 1


def test_passing_the_starting_posture_without_resting_hardly_votes() -> None:
    """One rep leaves a 2 s rest upwards; then the pelvis dips below rest five times,
    coming back to the starting posture for only 50 ms between dips. Counted one vote each,
    the dips would win; weighted by the rest before them, the rep does."""
    dip = np.concatenate((np.linspace(0.0, -9.0, 50), np.linspace(-9.0, 0.0, 50), np.zeros(5)))
    series = np.radians(np.concatenate((
        np.zeros(200), 4.0 * np.sin(np.linspace(0.0, np.pi, 100)), *[dip] * 5, np.zeros(50))))
    active = np.ones(len(series), dtype=bool)
    dt = 1.0 / FS
    assert departure_vote(series, active, dt) == 1
    assert departure_vote(np.zeros(50), active[:50], dt) == 0  # nothing moved: no vote


def test_a_rep_of_a_session_in_doubt_is_never_sure() -> None:
    """Whatever its size, a rep's confidence stays under the uncertain limit in doubt."""
    profile = get_profile("leg-raise")
    # The quantities count_confidence reads: a rep ten times the smallest, no noise seen.
    rep = cast(RepQuantities, SimpleNamespace(
        rom_deg=10 * profile.min_rom_deg, peak_concentric_dps=10 * profile.min_velocity_dps,
        noise_deg=float("nan"), in_gap=False))
    sure = count_confidence(rep, profile)
    doubt = count_confidence(rep, profile, direction_sure=False)
    assert sure == 1.0
    assert doubt == min(sure, DIRECTION_DOUBT_CONFIDENCE) < UNCERTAIN_CONFIDENCE


def test_a_leg_raise_read_upside_down_is_reported_uncertain() -> None:
    """Tuning seed 300: one rep of the first three arches deeper (11.5 deg) than the reps rise
    (7 deg), so the median excursion turns and the session reads upside down (every rep half
    a rep late). The rests before the reps still leave upwards: the two readings disagree and
    no rep is reported as a sure one."""
    _, analyzer = stream_tuning_session("leg-raise", 300)
    assert analyzer.reps_
    assert max(r.count_confidence for r in analyzer.reps_) <= DIRECTION_DOUBT_CONFIDENCE


def test_a_clear_leg_raise_keeps_its_confidence() -> None:
    """Tuning seed 0 reads the right way by both readings: its reps keep their confidence."""
    sim, analyzer = stream_tuning_session("leg-raise", 0)
    sure = [r for r in analyzer.reps_ if r.count_confidence >= UNCERTAIN_CONFIDENCE]
    assert len(sure) >= len(sim.truth) // 2
