"""Movements too small against the session's reps are not counted (profile fields)."""

from __future__ import annotations

from imu.core.analyzer import RepAnalyzer
from imu.exercises import get_profile


def test_a_small_movement_in_a_rest_is_not_a_rep() -> None:
    """A tuning session whose rest holds a shift of under 30% of the ROM, out and back."""
    import dataclasses

    from imu.evaluate.config import EvalConfig, default_cases
    from imu.evaluate.sessions import draw_spec
    from imu.sim import simulate_session

    cases = default_cases(True)
    case = next(c for c in cases if c.name == "pelvic-tilt")
    spec, tempo = draw_spec(case, 27, EvalConfig(cases))
    sim = simulate_session(spec)
    rec = sim.recording
    counts = []
    for ratio in (0.3, 0.0):  # the rule, and without it
        profile = dataclasses.replace(get_profile("pelvic-tilt"), alone_rom_ratio=ratio)
        analyzer = RepAnalyzer(profile, rec.sampling_rate_hz, tempo)
        for i in range(0, rec.n_samples, 20):
            analyzer.update(rec.acc[i : i + 20], rec.gyr[i : i + 20])
        analyzer.finish()
        counts.append(len(analyzer.reps_))
    assert counts == [len(sim.truth), len(sim.truth) + 1]
