"""The second generator (:mod:`imu.evaluate.second`): its truth, its physics, the analyzer on it."""

from __future__ import annotations

import numpy as np
import pytest

from imu.evaluate.config import Case, EvalConfig, default_cases
from imu.evaluate.second import (
    SETUPS,
    Generated,
    HangingBody,
    generate,
    trunk_motion,
    velocity_shape,
)
from imu.evaluate.sessions import draw_spec, evaluate_session, real_analyzer, stream_reps
from imu.exercises import get_profile
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


LYING = [name for name, setup in SETUPS.items() if setup.posture != "hanging"]


@pytest.mark.parametrize("exercise", LYING)
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


@pytest.mark.parametrize("exercise", ["reverse-hip-raise", "hanging-leg-raise"])
def test_phase_edges_are_where_the_rate_crosses_a_tenth_of_its_peak(exercise: str) -> None:
    # Hanging: on the curl alone (the pelvis to the trunk), not on the pelvis in the world.
    spec = SessionSpec(exercise, tempo=Tempo(2, 1, 2), reps=8, sets=1, rest_s=20.0,
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


# --- the hanging leg raise: a free trunk about the bar, driven by the legs ----------------
BODY = HangingBody(trunk_m=1.05, trunk_com_m=0.63, trunk_gyration_m=0.29, trunk_mass=0.62,
                   legs_m=0.95, legs_com_m=0.42, legs_gyration_m=0.28, legs_mass=0.36,
                   damping_ratio=0.0)
FINE_HZ = 1000.0


def _raise(duration_s: float, amplitude_deg: float = 90.0, after_s: float = 3.0
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time (s), legs angle (rad) and rate (rad/s) of a minimum-jerk raise starting at 0.5 s."""
    t = np.arange(int((0.5 + duration_s + after_s) * FINE_HZ)) / FINE_HZ
    tau = np.clip((t - 0.5) / duration_s, 0.0, 1.0)
    amp = np.radians(amplitude_deg)
    legs = amp * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
    rate = amp * 30 * tau**2 * (1 - tau) ** 2 / duration_s
    return t, legs, rate


def _points(body: HangingBody, trunk: np.ndarray, legs: np.ndarray
            ) -> list[tuple[float, np.ndarray, bool]]:
    """The body as four point masses (mass share, positions (n, 2) x forward / z up, is a leg).

    Each link is a dumbbell: half its mass on each side of its centre of mass, one radius of
    gyration away, which has the link's mass, centre and moment of inertia.
    """
    def along(angle: np.ndarray, dist: float) -> np.ndarray:
        return dist * np.stack((np.sin(angle), -np.cos(angle)), axis=1)

    hip = along(trunk, body.trunk_m)
    out = []
    for sign in (-1.0, 1.0):
        out.append((body.trunk_mass / 2,
                    along(trunk, body.trunk_com_m + sign * body.trunk_gyration_m), False))
        out.append((body.legs_mass / 2,
                    hip + along(trunk + legs, body.legs_com_m + sign * body.legs_gyration_m),
                    True))
    return out


def test_a_fast_leg_raise_swings_the_trunk_back_as_angular_momentum_about_the_bar_requires(
) -> None:
    t, legs, rate = _raise(0.15)
    trunk, _ = trunk_motion(BODY, legs, rate, np.zeros(len(t)), 1.0 / FINE_HZ)
    pts = _points(BODY, trunk, legs)
    # Angular momentum about the bar and gravity's torque, from the point masses alone.
    h = sum(m * (p[:, 0] * np.gradient(p[:, 1], t) - p[:, 1] * np.gradient(p[:, 0], t))
            for m, p, _ in pts)
    torque = sum(-m * 9.80665 * p[:, 0] for m, p, _ in pts)
    impulse = np.concatenate(([0.0], np.cumsum(0.5 * (torque[1:] + torque[:-1]) * np.diff(t))))
    inertia = sum(m * (p**2).sum(axis=1) for m, p, _ in pts)
    scale = float(np.max(inertia * np.abs(np.gradient(trunk, t))))
    assert np.max(np.abs((h - impulse)[2:-2])) < 0.01 * scale  # dH/dt = gravity's torque
    # Over the raise itself gravity has little time to act: what the legs' momentum about the
    # bar gains, the trunk must lose. Prediction: dphi = -(J_legs / J_all) dbeta, the legs'
    # share of the moment of inertia about the bar for a turn of the legs about the hip.
    hip = BODY.trunk_m * np.stack((np.sin(trunk), -np.cos(trunk)), axis=1)
    j_legs = sum(m * (p * (p - hip)).sum(axis=1) for m, p, leg in pts if leg)
    during = (t >= 0.5) & (t <= 0.65)
    predicted = -float(np.sum((j_legs / inertia * rate)[during]) / FINE_HZ)
    swung = float(trunk[during][-1] - trunk[during][0])
    assert swung < 0  # the legs go forward, the hips back
    assert swung == pytest.approx(predicted, rel=0.1)
    assert 8.0 < -np.degrees(swung) < 20.0
    # ... and the body then swings about its new rest, the centre of mass under the bar.
    swing = np.degrees(BODY.com_angle(trunk, legs))
    assert 5.0 < np.ptp(swing[t > 1.0]) < 25.0


def test_a_slow_leg_raise_leans_the_trunk_back_with_the_centre_of_mass_under_the_bar() -> None:
    t, legs, rate = _raise(10.0)
    damped = HangingBody(**{**BODY.__dict__, "damping_ratio": 0.05})
    trunk, _ = trunk_motion(damped, legs, rate, np.zeros(len(t)), 1.0 / FINE_HZ)
    com_x = sum(m * p[:, 0] for m, p, _ in _points(damped, trunk, legs))
    assert np.max(np.abs(com_x)) < 0.005  # m per unit mass: the centre stays under the bar
    assert np.max(np.abs(np.degrees(damped.com_angle(trunk, legs)))) < 0.5
    assert -15.0 < np.degrees(trunk[-1]) < -7.0  # the hips back, legs at 90 deg


def _hanging(seed: int, pendulum: bool = False, rate: int = 104,
             tempo: Tempo | None = None) -> Generated:
    """A still (or pushed) hanging session: 2 sets of 6 reps, 3-1-3 unless told."""
    spec = SessionSpec("hanging-leg-raise", tempo=tempo or Tempo(3, 1, 3), reps=6, sets=2,
                       rest_s=20.0, sampling_rate_hz=rate, seed=seed, packet_loss=0.0,
                       body_pendulum=pendulum)
    return generate(spec)


def test_a_hanging_body_at_rest_feels_gravity_along_its_long_axis() -> None:
    gen = _hanging(7)
    rest = gen.recording.acc[:100].mean(axis=0)
    assert np.linalg.norm(rest) == pytest.approx(9.81, rel=0.03)
    superior = gen.mounting.T @ np.array([0.0, 1.0, 0.0])
    cos = float(rest @ superior) / float(np.linalg.norm(rest))
    assert np.degrees(np.arccos(min(cos, 1.0))) < 3.0


@pytest.mark.parametrize("rate", [26, 208])
def test_the_gyro_turns_by_the_curl_plus_the_trunk_over_each_concentric(rate: int) -> None:
    gen = _hanging(8, rate=rate)
    assert gen.hanging is not None
    gyr, fine = gen.recording.gyr, gen.fine_rate_hz
    lateral = gen.mounting.T @ np.array([1.0, 0.0, 0.0])
    about_x = np.degrees((gyr - gyr[:rate].mean(axis=0)) @ lateral)
    for rep in gen.truth.itertuples():
        t0, t1 = rep.con_start_s - 0.2, rep.con_end_s + 0.2
        i0, i1 = round(t0 * rate), round(t1 * rate)
        turned = float(about_x[i0:i1].sum()) / rate
        curl = np.interp([i0 / rate, i1 / rate], np.arange(len(gen.angle_deg)) / fine,
                         gen.angle_deg)
        trunk = np.interp([i0 / rate, i1 / rate], gen.hanging.time_s, gen.hanging.trunk_deg)
        expected = -(curl[1] - curl[0]) - (trunk[1] - trunk[0])  # posterior: -x
        assert turned == pytest.approx(expected, abs=max(1.5, 0.1 * abs(expected))), rep.rep
        # The trunk leans back as the legs rise: the pelvis turns less than the curl.
        assert trunk[1] < trunk[0]
    # Sample by sample, stamped on time: the rate of curl + trunk, averaged over each sample's
    # window, fits the gyro better than the same shifted by a sample either way.
    grid = np.arange(len(gen.angle_deg)) / fine
    pelvis = np.interp(gen.hanging.time_s, grid, gen.angle_deg) + gen.hanging.trunk_deg
    k = round(fine / rate)
    n = len(about_x)
    rate_dps = -(np.gradient(pelvis) * fine)[:n * k].reshape(n, k).mean(axis=1)
    misfit = [float(np.sqrt(np.mean((np.roll(rate_dps, lag) - about_x)[5:-5] ** 2)))
              for lag in (-1, 0, 1)]
    assert misfit[1] < min(misfit[0], misfit[2])
    assert misfit[1] < 0.1 * float(np.sqrt(np.mean(rate_dps**2)))


def test_the_accelerometer_sees_the_swing_as_the_centre_of_percussion_predicts() -> None:
    # A swing with the legs down, after the push and before the first rep: the sensor near
    # the hip feels gravity plus its own tangential acceleration r phi'', so gravity's
    # direction in the sensor turns by only (r phi'' + g sin phi) / g, a fraction of phi.
    spec = SessionSpec("hanging-leg-raise", tempo=Tempo(3, 1, 3), reps=4, sets=1, rest_s=20.0,
                       sampling_rate_hz=208, seed=35, packet_loss=0.0, body_pendulum=True)
    gen = generate(spec)
    hang, rate = gen.hanging, 208
    assert hang is not None
    body = hang.body
    t = np.arange(len(gen.recording.acc)) / rate
    during = (t > hang.pushes_s[0] + 0.2) & (t < gen.truth.con_start_s.iloc[0] - 1.0)
    acc_body = gen.recording.acc @ gen.mounting.T  # x lateral, y superior, z anterior
    seen = np.degrees(np.arctan2(acc_body[:, 2], acc_body[:, 1]))[during]
    trunk = np.radians(np.interp(t, hang.time_s, hang.trunk_deg))
    accel = np.gradient(np.gradient(trunk, t), t)
    radius = body.trunk_m - gen.lever_m[1]  # bar to sensor, along the trunk
    expected = np.degrees(np.arcsin((radius * accel + 9.80665 * np.sin(trunk)) / 9.80665))
    expected = expected[during]
    swing = np.degrees(np.ptp(trunk[during]))
    assert swing > 10.0
    assert np.ptp(seen) < 0.35 * swing
    err = (seen - seen.mean()) - (expected - expected.mean())
    assert np.sqrt(np.mean(err**2)) < 0.5

def test_pushes_before_sets_swing_the_body_across_the_threshold() -> None:
    swung: list[float] = []
    slow = Tempo(5, 2, 5)
    for seed in (21, 22, 23, 24):
        still = _hanging(seed, tempo=slow).truth
        pushed = _hanging(seed, pendulum=True, tempo=slow).truth
        # Slow reps barely swing the body: the trunk leans back by some 10 deg as the legs
        # rise, but the centre of mass stays under the bar.
        assert still.body_swing_deg.iloc[0] < 0.5
        assert still.body_swing_deg.median() < 2.5
        # Same reps, same body: only the pushes before each set differ.
        assert (still.con_start_s == pushed.con_start_s).all()
        first = pushed.rep == 1
        assert (pushed.body_swing_deg[first] > still.body_swing_deg[first] + 2.0).iloc[0]
        for truth in (still, pushed):
            assert (truth.body_swing == (truth.body_swing_deg > defs.BODY_SWING_DEG)).all()
            swung.extend(truth.body_swing_deg)
    assert min(swung) < defs.BODY_SWING_DEG < max(swung)
    lying = SessionSpec("reverse-crunch", tempo=Tempo(3, 1, 3), reps=4, sets=1, seed=1)
    assert generate(lying).truth.body_swing_deg.isna().all()


@pytest.mark.parametrize("pendulum", [False, True])
def test_the_analyzer_is_scored_on_every_rep_of_hanging_sessions(pendulum: bool) -> None:
    # What is measured, not a figure to reach: every true rep is matched or missed, every rep
    # the analyzer streamed out is matched or extra, and the truth carries the body's swing.
    case = Case("hanging-leg-raise", "hanging-leg-raise", "hanging-leg-raise",
                body_pendulum=pendulum)
    cfg = EvalConfig(cases=(case,), max_rate_hz=104)
    for seed in (5,):
        spec, tempo = draw_spec(case, seed, cfg)
        gen = generate(spec)
        truth = gen.truth
        result = evaluate_session(case, seed, cfg, "t", simulator=generate)
        assert result.error == ""
        status = result.pairs["status"].value_counts().to_dict()
        assert status.get("matched", 0) + status.get("missed", 0) == len(truth)
        rec = gen.recording
        analyzer = real_analyzer(get_profile("hanging-leg-raise"), rec.sampling_rate_hz, tempo)
        found = stream_reps(analyzer, rec.acc, rec.gyr, cfg.chunk)
        assert status.get("matched", 0) + status.get("extra", 0) == len(found)
        assert status.get("matched", 0) > 0
        assert truth.body_swing_deg.notna().all()


def test_both_hanging_cases_reach_the_second_generator(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    import imu.evaluate
    from imu.cli import main
    from imu.evaluate.config import EvalError

    seen: list[tuple[str, ...]] = []

    def stop(cfg: EvalConfig, **kwargs: object) -> None:
        seen.append(tuple(c.name for c in cfg.cases))
        raise EvalError("stopped before the evaluation")

    monkeypatch.setattr(imu.evaluate, "evaluate", stop)
    main(["eval", "--generator", "second", "--sessions", "1", "--exercises",
          "hanging-leg-raise,hanging-leg-raise+pendulum"])
    assert seen == [("hanging-leg-raise", "hanging-leg-raise+pendulum")]
