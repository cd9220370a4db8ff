"""Short holds are drawn wherever the simulator knows them and the tempo prescribes a hold."""

from __future__ import annotations

from imu.evaluate.config import EvalConfig, default_cases
from imu.evaluate.sessions import draw_spec


def test_short_hold_is_drawn_only_with_a_prescribed_hold() -> None:
    """Reverse crunch, hanging leg raise and reverse hip raise draw ``short_hold`` (before,
    only the pelvic tilt did, so its F1 said nothing of them) when the tempo holds the top
    1 s or more, and never otherwise (the simulator refuses it there)."""
    cases = {c.name: c for c in default_cases(True)}
    for name in ("reverse-crunch", "hanging-leg-raise", "reverse-hip-raise"):
        seen = {True: 0, False: 0}
        for seed in range(40):
            spec, tempo = draw_spec(cases[name], seed, EvalConfig((cases[name],)))
            held = tempo.top_hold_s >= 1.0
            assert ("short_hold" in spec.faults) == held, (name, seed, str(tempo))
            seen[held] += 1
        assert seen[True] and seen[False]
