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


@pytest.mark.parametrize("exercise", list(SETUPS))
def test_the_sensor_sees_gravity_and_the_tilt(exercise: str) -> None:
    spec = SessionSpec(exercise, tempo=Tempo(3, 1, 3), reps=6, sets=1, rest_s=20.0,
                       sampling_rate_hz=104, seed=7, packet_loss=0.0)
    gen = generate(spec)
    acc, gyr = gen.recording.acc, gen.recording.gyr
    # At rest (the first second) the specific force is gravity's reaction, pointing up: the
    # anterior axis lying supine, the posterior one prone, in the sensor's frame.
    up_body = np.array([0.0, 0.0, 1.0 if gen.posture == "supine" else -1.0])
    rest = acc[:100].mean(axis=0)
    assert np.linalg.norm(rest) == pytest.approx(9.81, abs=0.1)
    cos = float(rest @ (gen.mounting.T @ up_body)) / float(np.linalg.norm(rest))
    assert np.degrees(np.arccos(min(cos, 1.0))) < 3.0
    # Over the first rep's concentric the gyro turns about the body's lateral axis (in the
    # sensor frame), by the ROM, and gravity's direction turns by as much.
    first = gen.truth.iloc[0]
    lo, hi = int(first.con_start_s * 104) - 20, int(first.con_end_s * 104) + 20
    lateral = gen.mounting.T @ np.array([1.0, 0.0, 0.0])
    bias = gyr[:100].mean(axis=0)  # the sensor's own bias, seen at rest
    turned = abs(float(np.degrees(((gyr[lo:hi] - bias) @ lateral).sum() / 104)))
    assert turned == pytest.approx(first.rom_deg, rel=0.1)
    top = int(0.5 * (first.con_end_s + first.ecc_start_s) * 104)
    before, after = acc[lo - 30:lo].mean(axis=0), acc[top - 5:top + 5].mean(axis=0)
    tilt = np.degrees(np.arccos(before @ after / np.linalg.norm(before) / np.linalg.norm(after)))
    assert tilt == pytest.approx(first.rom_deg, abs=3.0)


def test_phase_edges_are_where_the_rate_crosses_a_tenth_of_its_peak() -> None:
    spec = SessionSpec("reverse-hip-raise", tempo=Tempo(2, 1, 2), reps=8, sets=1, rest_s=20.0,
                       sampling_rate_hz=52, seed=3, packet_loss=0.0)
    gen = generate(spec)
    fine = gen.fine_rate_hz
    v = np.gradient(gen.angle_deg) * fine
    for rep in gen.truth.itertuples():
        for edge, peak in ((rep.con_start_s, rep.peak_concentric_velocity_dps),
                           (rep.con_end_s, rep.peak_concentric_velocity_dps),
                           (rep.ecc_start_s, -rep.peak_eccentric_velocity_dps),
                           (rep.ecc_end_s, -rep.peak_eccentric_velocity_dps)):
            at = float(np.interp(edge, np.arange(len(v)) / fine, v))
            assert at == pytest.approx(0.1 * peak, abs=0.01 * abs(peak)), (rep.rep, edge)


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
