"""The second generator (:mod:`imu.evaluate.second`): its truth, its physics, the analyzer on it."""

from __future__ import annotations

import functools

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
REP_CASES = tuple(c for c in CASES if SETUPS[c.exercise].model != "hold")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_truth_is_ordered_and_labelled_by_the_definitions(seed: int) -> None:
    for case in REP_CASES:
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
        labels = SETUPS[case.exercise].labels
        assert (truth.dropped_eccentric.astype(bool)
                == (dropped & ("dropped_eccentric" in labels))).all()
        arch = truth.arch_deg > defs.BACK_ARCH_DEG
        assert (truth.back_arch.astype(bool) == (arch & ("back_arch" in labels))).all()
        turned = truth.rotation_deg > defs.HIPS_ROTATING_DEG
        assert (truth.hips_rotating.astype(bool)
                == (turned & ("hips_rotating" in labels))).all()


LYING = [name for name, setup in SETUPS.items()
         if setup.posture != "hanging" and setup.model == "curl"]


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


@pytest.mark.parametrize("exercise", ["reverse-hip-raise", "hanging-leg-raise", "leg-raise",
                                      "dead-bug"])
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


# --- the plank: holds with drift and tremor; braced leg raise and dead bug -----------------
@functools.cache
def _plank(seed: int, rate: int = 104) -> Generated:
    """A plank session: 2 sets of 3 holds of 40 s +-10%."""
    return generate(SessionSpec("plank", reps=3, sets=2, rest_s=20.0, sampling_rate_hz=rate,
                                seed=seed, packet_loss=0.0, hold_s=40.0))


def _about(gen: Generated, axis: int) -> np.ndarray:
    """The gyro about a body axis (0 lateral, 1 long), deg/s, less its bias.

    The bias is what the gyro reads over the first 2 s beyond the body's own turn (breathing
    and sway move the body even at rest).
    """
    assert gen.sensor_time_s is not None and gen.sensor_tilt_deg is not None
    assert gen.sensor_roll_deg is not None
    rate = int(gen.recording.sampling_rate_hz)
    body = np.degrees(gen.recording.gyr @ gen.mounting.T)[:, axis]
    angle = gen.sensor_roll_deg if axis else SETUPS[gen.truth.exercise.iloc[0]].sign * \
        gen.sensor_tilt_deg
    turned = float(np.interp(2.0 - 0.5 / rate, gen.sensor_time_s, angle)
                   - np.interp(-0.5 / rate, gen.sensor_time_s, angle))
    return np.asarray(body - (body[:2 * rate].sum() / rate - turned) / 2.0)


def _turned(gen: Generated, rate_dps: np.ndarray, t0: float, t1: float) -> float:
    """The gyro's integral over [t0, t1], deg."""
    rate = gen.recording.sampling_rate_hz
    return float(rate_dps[round(t0 * rate):round(t1 * rate)].sum() / rate)


def _tilt_change(gen: Generated, t0: float, t1: float, roll: bool = False) -> float:
    """How far the sensor's pelvis turned between the sample windows ending at t0 and t1."""
    assert gen.sensor_time_s is not None and gen.sensor_tilt_deg is not None
    assert gen.sensor_roll_deg is not None
    rate = gen.recording.sampling_rate_hz
    edges = (np.array([round(t0 * rate), round(t1 * rate)]) - 0.5) / rate  # window starts
    angle = gen.sensor_roll_deg if roll else gen.sensor_tilt_deg
    a, b = np.interp(edges, gen.sensor_time_s, angle)
    return float(b - a)


def test_plank_holds_are_labelled_by_the_definitions_across_their_thresholds() -> None:
    drift: list[float] = []
    shaking: list[float] = []
    families: set[str] = set()
    for seed in (1, 2, 3):
        truth = _plank(seed).truth
        assert len(truth) == 6
        assert (truth.con_start_s < truth.ecc_end_s).all()
        assert (truth.ecc_end_s.iloc[:-1].to_numpy() < truth.con_start_s.iloc[1:].to_numpy()).all()
        assert truth.con_end_s.isna().all() and truth.ecc_start_s.isna().all()
        assert np.allclose(truth.hold_s, truth.ecc_end_s - truth.con_start_s)
        assert truth.hold_s.between(0.9 * 40 - 1.0, 1.1 * 40).all()
        assert (truth.rom_deg == truth.drift_deg).all()
        assert (truth.hips_sagging == (truth.drift_deg < -defs.HIP_DRIFT_DEG)).all()
        assert (truth.hips_piking == (truth.drift_deg > defs.HIP_DRIFT_DEG)).all()
        assert (truth.shaking == (truth.shaking_dps > defs.SHAKING_DPS)).all()
        assert not truth[["swing", "back_arch", "dropped_eccentric"]].to_numpy().any()
        # Between the holds of a set: getting down, 6-12 s of rest, getting up.
        assert truth.bottom_pause_s.dropna().between(6.0, 12.0 + 6.0).all()
        drift.extend(truth.drift_deg)
        shaking.extend(truth.shaking_dps)
        families.update(truth.family)
    assert min(drift) < -defs.HIP_DRIFT_DEG and max(drift) > defs.HIP_DRIFT_DEG
    assert min(np.abs(drift)) < defs.HIP_DRIFT_DEG
    assert min(shaking) < defs.SHAKING_DPS < max(shaking)
    assert families == {"floor", "knees"}


def test_a_plank_feels_gravity_at_its_tilt_at_rest_and_through_the_drift() -> None:
    gen = _plank(2)
    rate = 104
    acc = gen.recording.acc @ gen.mounting.T  # body frame: x lateral, y superior, z anterior
    assert gen.sensor_time_s is not None and gen.sensor_tilt_deg is not None
    # Prone, posterior (head-up) tilt theta: the specific force, up, has g sin(theta) along
    # the superior axis and -g cos(theta) along the anterior one.
    seen = np.degrees(np.arctan2(acc[:, 1], -acc[:, 2]))
    tilt = np.interp(np.arange(len(acc)) / rate, gen.sensor_time_s, gen.sensor_tilt_deg)
    assert np.linalg.norm(acc[:rate].mean(axis=0)) == pytest.approx(9.81, rel=0.02)
    assert seen[:rate].mean() == pytest.approx(tilt[:rate].mean(), abs=1.0)
    # Through each hold, the specific force averaged over 2 s (the tremor's accelerations and
    # breathing average out) turns with the tilt: the drift the truth labels is there to see.
    win = np.ones(2 * rate) / (2 * rate)
    for hold in gen.truth.itertuples():
        i0, i1 = round((hold.con_start_s + 1.0) * rate), round((hold.ecc_end_s - 1.0) * rate)
        mean_y = np.convolve(acc[i0:i1, 1], win, "valid")
        mean_z = np.convolve(acc[i0:i1, 2], win, "valid")
        seen_mean = np.degrees(np.arctan2(mean_y, -mean_z))
        tilt_mean = np.convolve(tilt[i0:i1], win, "valid")
        change_seen = seen_mean - seen_mean[0]
        change_tilt = tilt_mean - tilt_mean[0]
        tol = 0.3 + 0.04 * hold.shaking_dps
        assert np.max(np.abs(change_seen - change_tilt)) < tol, hold.rep
        # ... and a drift past the threshold is there, its way (sag: the head end down).
        if abs(hold.drift_deg) > defs.HIP_DRIFT_DEG + 1.0:
            k = int(np.argmax(np.abs(change_seen)))
            assert np.sign(change_seen[k]) == np.sign(hold.drift_deg), hold.rep
            assert abs(change_seen[k]) > defs.HIP_DRIFT_DEG - 1.0, hold.rep
    # The sensor's tilt is the truth's angle (drift and tremor included) plus breathing only.
    truth_angle = np.interp(gen.sensor_time_s, np.arange(len(gen.angle_deg)) / gen.fine_rate_hz,
                            gen.angle_deg)
    assert np.max(np.abs(gen.sensor_tilt_deg - truth_angle)[:-100]) < 0.31


def test_the_plank_gyro_turns_by_the_get_up_and_the_drift() -> None:
    gen = _plank(3)
    sign = SETUPS["plank"].sign
    about_x = _about(gen, 0)
    for hold in gen.truth.itertuples():
        # Getting up: from 3 s before the hold (the first phase starts 1.2-3.2 s before it).
        for t0, t1 in ((hold.con_start_s - 3.5, hold.con_start_s),
                       (hold.con_start_s, hold.ecc_end_s)):
            expected = sign * _tilt_change(gen, t0, t1)
            turned = _turned(gen, about_x, t0, t1)
            assert turned == pytest.approx(expected, abs=0.5 + 0.04 * abs(expected)), hold.rep


def test_plank_shaking_is_the_rate_the_gyro_sees() -> None:
    gen = _plank(4, rate=416)
    about_x = _about(gen, 0)
    rest = float(np.std(about_x[:416]))  # the gyro's own noise
    for hold in gen.truth.itertuples():
        seg = about_x[round(hold.con_start_s * 416):round(hold.ecc_end_s * 416)]
        seen = float(np.sqrt(max(np.var(seg) - rest**2, 0.0)))
        # Breathing and the drift add a little rate (under 1 deg/s) to the tremor's.
        assert seen == pytest.approx(hold.shaking_dps, abs=0.8 + 0.05 * hold.shaking_dps)


@pytest.mark.parametrize("exercise", ["leg-raise", "dead-bug"])
def test_braced_reps_turn_the_gyro_by_the_tilt_the_arch_and_the_rotation(exercise: str) -> None:
    spec = SessionSpec(exercise, tempo=Tempo(2, 1, 2), reps=10, sets=2, rest_s=20.0,
                       sampling_rate_hz=104, seed=12, packet_loss=0.0)
    gen = generate(spec)
    rate = 104
    acc = gen.recording.acc @ gen.mounting.T
    rest = acc[:rate].mean(axis=0)  # supine: gravity's reaction along the anterior axis
    assert np.linalg.norm(rest) == pytest.approx(9.81, rel=0.02)
    assert np.degrees(np.arccos(rest[2] / np.linalg.norm(rest))) < 3.0
    sign = SETUPS[exercise].sign
    about_x, about_y = _about(gen, 0), _about(gen, 1)
    fine = gen.fine_rate_hz
    grid = np.arange(len(gen.angle_deg)) / fine
    arched = 0
    for rep in gen.truth.itertuples():
        t0, t1 = rep.con_start_s, rep.ecc_end_s
        # The gyro's turn from the onset to the truth angle's lowest point in the rep (the
        # arch) and to its highest point before the lowering (the ROM).
        inside = (grid >= t0) & (grid <= t1)
        low = float(grid[inside][np.argmin(gen.angle_deg[inside])])
        top = (grid >= t0) & (grid <= rep.ecc_start_s)
        high = float(grid[top][np.argmax(gen.angle_deg[top])])
        for t, truth in ((low, -rep.arch_deg), (high, rep.rom_deg)):
            turned = sign * _turned(gen, about_x, t0, t)
            expected = _tilt_change(gen, t0, t)
            assert turned == pytest.approx(expected, abs=0.15 + 0.04 * abs(expected)), rep.rep
            # The sensor's tilt is the truth's angle plus breathing (0.1-0.3 deg).
            assert expected == pytest.approx(truth, abs=0.61 + 0.02 * abs(truth)), rep.rep
        arched += rep.arch_deg > defs.BACK_ARCH_DEG
        if exercise == "dead-bug":
            # Peak-to-peak about the long axis: the rotation toward the moving side.
            seen = np.cumsum(about_y[round(t0 * rate):round(t1 * rate)]) / rate
            # The sway (0.2-0.6 deg) is on the sensor too.
            assert np.ptp(seen) == pytest.approx(rep.rotation_deg, abs=1.2), rep.rep
    assert arched > 0


@pytest.mark.parametrize("exercise", ["plank", "leg-raise", "dead-bug"])
def test_the_analyzer_is_scored_on_every_hold_and_braced_rep(exercise: str) -> None:
    # What is measured, not a figure to reach: every true rep (hold) is matched or missed,
    # every one the analyzer streamed out is matched or extra.
    case = next(c for c in CASES if c.exercise == exercise)
    cfg = EvalConfig(cases=(case,), max_rate_hz=104)
    spec, tempo = draw_spec(case, 2, cfg)
    gen = generate(spec)
    result = evaluate_session(case, 2, cfg, "t", simulator=generate)
    assert result.error == ""
    status = result.pairs["status"].value_counts().to_dict()
    assert status.get("matched", 0) + status.get("missed", 0) == len(gen.truth)
    profile = get_profile(exercise)
    rec = gen.recording
    analyzer = real_analyzer(profile, rec.sampling_rate_hz,
                             profile.default_tempo if profile.isometric else tempo)
    found = stream_reps(analyzer, rec.acc, rec.gyr, cfg.chunk)
    assert status.get("matched", 0) + status.get("extra", 0) == len(found)


def test_the_new_exercises_reach_the_second_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    import imu.evaluate
    from imu.cli import main
    from imu.evaluate.config import EvalError

    seen: list[tuple[str, ...]] = []

    def stop(cfg: EvalConfig, **kwargs: object) -> None:
        seen.append(tuple(c.name for c in cfg.cases))
        raise EvalError("stopped before the evaluation")

    monkeypatch.setattr(imu.evaluate, "evaluate", stop)
    main(["eval", "--generator", "second", "--sessions", "1", "--exercises",
          "plank,leg-raise,dead-bug"])
    assert sorted(seen[0]) == ["dead-bug", "leg-raise", "plank"]
