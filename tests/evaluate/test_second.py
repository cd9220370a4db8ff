"""The second generator (:mod:`imu.evaluate.second`): its truth, its physics, the analyzer on it."""

from __future__ import annotations

import numpy as np
import pytest

from imu.evaluate.config import EvalConfig, default_cases
from imu.evaluate.second import SETUPS, generate, velocity_shape
from imu.evaluate.sessions import draw_spec, evaluate_session
from imu.sim import SessionSpec
from imu.sim import definitions as defs
from imu.tempo import Tempo

CASES = tuple(c for c in default_cases(False) if c.exercise in SETUPS and c.body_pendulum is None)
CFG = EvalConfig(cases=CASES)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_truth_is_ordered_and_labelled_by_the_definitions(seed: int) -> None:
    for case in CASES:
        spec, _ = draw_spec(case, seed, CFG)
        truth = generate(spec).truth
        assert len(truth) == spec.reps * spec.sets
        assert (truth.con_start_s < truth.con_end_s).all()
        assert (truth.con_end_s <= truth.ecc_start_s + 1e-9).all()
        assert (truth.ecc_start_s < truth.ecc_end_s).all()
        assert (truth.ecc_end_s.iloc[:-1].to_numpy() < truth.con_start_s.iloc[1:].to_numpy()).all()
        swing = truth.swing_features >= defs.SWING_MIN_FEATURES
        assert (truth.swing.astype(bool) == swing).all()
        dropped = truth.eccentric_ratio < defs.DROPPED_ECCENTRIC_RATIO
        assert (truth.dropped_eccentric.astype(bool) == dropped).all()


def test_the_sensor_sees_gravity_and_the_tilt() -> None:
    spec = SessionSpec("reverse-crunch", tempo=Tempo(3, 1, 3), reps=6, sets=1, rest_s=20.0,
                       sampling_rate_hz=104, seed=7, packet_loss=0.0)
    gen = generate(spec)
    acc, gyr = gen.recording.acc, gen.recording.gyr
    # At rest (the first second) the specific force is gravity.
    assert np.linalg.norm(acc[:100], axis=1).mean() == pytest.approx(9.81, abs=0.1)
    # The gyro's rotation about its main axis over the first rep's concentric is its ROM.
    first = gen.truth.iloc[0]
    lo, hi = int(first.con_start_s * 104), int(first.con_end_s * 104)
    w = gyr[lo:hi]
    axis = np.linalg.svd(w - 0.0)[2][0]
    turned = abs(float(np.degrees((w @ axis).sum() / 104)))
    assert turned == pytest.approx(first.rom_deg, rel=0.1)


def test_shapes_are_zero_outside_the_phase_and_positive_inside() -> None:
    tau = np.linspace(-0.5, 1.5, 401)
    inside = (tau > 0.01) & (tau < 0.99)
    for shape, params in [("minjerk", ()), ("trapezoid", (0.2, 0.3)), ("beta", (2.0, 2.5)),
                          ("stall", (0.5, 0.4)), ("flick", (1.2, 4.0)), ("kick", (0.05, 0.3))]:
        v = velocity_shape(shape, params, tau)
        assert (v[(tau < 0) | (tau > 1)] == 0).all(), shape
        assert (v[inside] > 0).all(), shape


def test_the_analyzer_counts_every_rep_of_controlled_sessions() -> None:
    case = next(c for c in CASES if c.exercise == "reverse-crunch")
    for seed in (11, 12, 13):
        result = evaluate_session(case, seed, CFG, "t", simulator=generate)
        assert result.error == ""
        status = result.pairs["status"].value_counts().to_dict()
        assert status.get("missed", 0) == 0 and status.get("extra", 0) == 0, (seed, status)


def test_the_cli_names_the_same_exercises() -> None:
    from imu.evaluate.config import SECOND_GENERATOR_EXERCISES

    assert tuple(SETUPS) == SECOND_GENERATOR_EXERCISES
