"""Movements too small against the session's reps are not counted (profile fields)."""

from __future__ import annotations

import dataclasses

from imu.exercises import get_profile

from .conftest import stream_tuning_session


def test_a_small_movement_in_a_rest_is_not_a_rep() -> None:
    """A tuning session whose rest holds a shift of under 30% of the ROM, out and back."""
    counts = []
    for ratio in (0.3, 0.0):  # the rule, and without it
        profile = dataclasses.replace(get_profile("pelvic-tilt"), alone_rom_ratio=ratio)
        sim, analyzer = stream_tuning_session("pelvic-tilt", 27, profile)
        counts.append(len(analyzer.reps_))
    assert counts == [len(sim.truth), len(sim.truth) + 1]
