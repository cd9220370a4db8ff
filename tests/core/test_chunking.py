"""Every field of every rep is the same however the stream is cut, for every profile."""

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from imu.core import Rep, RepAnalyzer
from imu.exercises import PROFILES, get_profile
from imu.sim import SessionSpec, SimulatedSession, simulate_session
from imu.tempo import Tempo

# Analyzer profile -> simulator exercise, with a fault mix that exercises every label.
CASES = {
    "reverse-crunch": ("reverse-crunch", {"swing": 0.3, "dropped_eccentric": 0.3,
                                          "partial_rom": 0.3, "short_hold": 0.2}),
    "generic": ("reverse-crunch", {"dropped_eccentric": 0.3, "partial_rom": 0.3}),
    "leg-raise": ("leg-raise", {"back_arch": 0.4, "swing": 0.2}),
    "hanging-leg-raise": ("hanging-leg-raise", {"body_swing": 0.4, "swing": 0.3,
                                                "partial_rom": 0.2}),
    "dead-bug": ("dead-bug", {"back_arch": 0.3, "hips_rotating": 0.3}),
    "bird-dog": ("bird-dog", {"hips_rotating": 0.4}),
    "reverse-hip-raise": ("reverse-hip-raise", {"over_extension": 0.3, "partial_rom": 0.3,
                                                "swing": 0.2}),
    "pelvic-tilt": ("pelvic-tilt", {"short_hold": 0.4, "partial_rom": 0.2}),
    "standing-strict": ("standing-curl", {"swing": 0.6}),
    "plank": ("plank", {"hips_sagging": 0.3, "hips_piking": 0.3, "shaking": 0.3}),
}

_SESSIONS: dict[str, SimulatedSession] = {}


def session_for(profile: str) -> SimulatedSession:
    if profile not in _SESSIONS:
        exercise, faults = CASES[profile]
        hold = exercise == "plank"
        _SESSIONS[profile] = simulate_session(
            SessionSpec(exercise, tempo=None if hold else Tempo(2, 1, 2), reps=2 if hold else 6,
                        sets=2, rest_s=18.0, sampling_rate_hz=52, seed=5, faults=faults,
                        packet_loss=0.02, hold_s=20.0)
        )
    return _SESSIONS[profile]


def assert_same_reps(a: list[Rep], b: list[Rep]) -> None:
    """Every field equal (NaN equals NaN)."""
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for f in dataclasses.fields(Rep):
            u, v = getattr(x, f.name), getattr(y, f.name)
            if isinstance(u, float):
                assert np.array_equal([u], [v], equal_nan=True), f.name
            else:
                assert u == v, f.name


def run(profile: str, edges: list[int]) -> list[Rep]:
    rec = session_for(profile).recording
    analyzer = RepAnalyzer(get_profile(profile), rec.sampling_rate_hz,
                           None if profile == "plank" else Tempo(2, 1, 2))
    out: list[Rep] = []
    for a, b in itertools.pairwise(edges):
        out += analyzer.update(rec.acc[a:b], rec.gyr[a:b])
    out += analyzer.finish()
    assert_same_reps(out, analyzer.reps_)
    return out


@pytest.mark.parametrize("profile", list(CASES))
@given(cuts=st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=60))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(cuts=[99999, 100000])  # once differed in the last bit (a BLAS product)
def test_every_field_is_chunk_invariant(profile, cuts):
    n = session_for(profile).recording.n_samples
    whole = run(profile, [0, n])
    assert whole, f"{profile}: the fixture session must have reps"
    edges = [0, *sorted({c % n for c in cuts if c % n}), n]
    assert_same_reps(run(profile, edges), whole)


@pytest.mark.parametrize("profile", list(CASES))
def test_live_sized_chunks_match_one_chunk(profile):
    """20-sample chunks, as live data arrives (about 0.4 s at 52 Hz)."""
    n = session_for(profile).recording.n_samples
    assert_same_reps(run(profile, [*range(0, n, 20), n]), run(profile, [0, n]))


def test_every_profile_is_covered():
    """A new profile must join CASES: "every profile" is what the docs promise."""
    assert set(CASES) == set(PROFILES)
