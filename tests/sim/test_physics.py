"""Physics of the simulated sensor: gravity, gyro/orientation consistency, lever arm."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imu.frames import STANDARD_GRAVITY
from imu.sim import SimulatedSession, simulate_session
from imu.sim import kinematics as kin
from tests.sim.helpers import ideal_spec


def test_accelerometer_reads_g_at_rest(crunch_still: SimulatedSession) -> None:
    rate = crunch_still.recording.sampling_rate_hz
    first_rep = crunch_still.truth["con_start_s"].iloc[0]
    rest = crunch_still.acc_ideal[: int((first_rep - 0.5) * rate)]
    assert len(rest) > rate
    np.testing.assert_allclose(np.linalg.norm(rest, axis=1), STANDARD_GRAVITY, atol=1e-6)


def test_rest_magnitude_with_micro_motion_and_lever_arm_is_near_g() -> None:
    s = simulate_session(ideal_spec("pelvic-tilt", reps=2))
    rate = s.recording.sampling_rate_hz
    rest = s.acc_ideal[: int((s.truth["con_start_s"].iloc[0] - 0.5) * rate)]
    # breathing and faint tremor at a 5-20 cm lever arm: well under 0.05 m/s^2
    np.testing.assert_allclose(np.linalg.norm(rest, axis=1), STANDARD_GRAVITY, atol=0.05)


def test_integrated_gyro_reproduces_gravity_direction(crunch_still: SimulatedSession) -> None:
    """Rotate the first gravity reading by the integrated gyro over a whole set."""
    acc, gyr = crunch_still.acc_ideal, crunch_still.gyr_ideal
    dt = 1.0 / crunch_still.recording.sampling_rate_hz
    end = int(crunch_still.truth["ecc_end_s"].iloc[-1] / dt) + 100
    # R_k: sensor orientation at sample k relative to sample 0; R_{k+1} = R_k exp(w dt)
    steps = Rotation.from_rotvec(0.5 * (gyr[:end - 1] + gyr[1:end]) * dt)
    r = Rotation.identity()
    g0 = acc[0] / np.linalg.norm(acc[0])
    worst = 0.0
    for k in range(end - 1):
        r = r * steps[k]
        predicted = r.inv().apply(g0)
        measured = acc[k + 1] / np.linalg.norm(acc[k + 1])
        worst = max(worst, float(np.degrees(np.arccos(np.clip(predicted @ measured, -1, 1)))))
    assert worst < 1.0
    # and the set really moved the sensor a lot
    tilt = np.degrees(crunch_still.pelvis_angles_rad[:, 0])
    assert tilt.max() - tilt.min() > 25


def test_gravity_matches_true_orientation(crunch_still: SimulatedSession) -> None:
    """acc = R_world_sensor^T (0, 0, g) when the sensor sits on the pivot."""
    from imu.sim.exercises import EXERCISE_MODELS

    s = crunch_still
    heading = float(np.arctan2(0, 1))  # heading does not change gravity; any value works
    base = kin.posture_rotation(EXERCISE_MODELS["reverse-crunch"].posture, heading)
    r_ws = kin.pelvis_rotation(base, s.pelvis_angles_rad) * s.mounting
    expected = r_ws.inv().apply([0.0, 0.0, STANDARD_GRAVITY])
    np.testing.assert_allclose(s.acc_ideal, expected, atol=0.02)


def test_body_angular_velocity_matches_numerical_derivative() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(0, 2, 1e-4)
    angles = np.column_stack([0.8 * np.sin(2 * t + 0.3), 0.3 * np.sin(3 * t), 0.5 * np.cos(t)])
    rates = np.gradient(angles, t, axis=0)
    base = Rotation.random(rng=rng)
    r = kin.pelvis_rotation(base, angles)
    omega = kin.body_angular_velocity(angles, rates)
    # vee(R^T dR/dt) from rotation increments: log(R_{i-1}^T R_{i+1}) / (2 dt)
    numeric = (r[:-2].inv() * r[2:]).as_rotvec() / (2 * 1e-4)
    np.testing.assert_allclose(omega[1:-1], numeric, atol=1e-5)


def test_lever_arm_adds_tangential_and_centripetal_terms_analytically() -> None:
    """Supine pelvis tilting sinusoidally about z, sensor 0.2 m along pelvis y."""
    fs = 2000.0
    t = np.arange(0, 3, 1 / fs)
    amp, w = 0.6, 2 * np.pi * 0.8
    theta = amp * np.sin(w * t)
    dtheta = amp * w * np.cos(w * t)
    ddtheta = -amp * w**2 * np.sin(w * t)
    angles = np.column_stack([theta, np.zeros_like(t), np.zeros_like(t)])
    rates = np.column_stack([dtheta, np.zeros_like(t), np.zeros_like(t)])
    base = kin.posture_rotation("supine")
    r_wp = kin.pelvis_rotation(base, angles)
    omega = kin.body_angular_velocity(angles, rates)
    lever = np.array([0.0, 0.2, 0.0])
    acc, gyr = kin.ideal_imu(r_wp, omega, np.zeros((len(t), 3)), lever, Rotation.identity(),
                             1 / fs)
    # gravity (up = +x at zero tilt) seen from a frame tilted by theta about z
    gravity = STANDARD_GRAVITY * np.column_stack([np.cos(theta), -np.sin(theta), 0 * t])
    tangential = np.column_stack([-0.2 * ddtheta, 0 * t, 0 * t])  # alpha x r
    centripetal = np.column_stack([0 * t, -0.2 * dtheta**2, 0 * t])  # w x (w x r)
    sl = slice(5, -5)
    np.testing.assert_allclose(acc[sl], (gravity + tangential + centripetal)[sl], atol=1e-4)
    np.testing.assert_allclose(gyr[:, 2], dtheta)


def test_lever_arm_in_a_session_matches_rigid_body_formula() -> None:
    """Session acc with a lever arm minus without = alpha x r + w x (w x r), sensor frame."""
    mount = Rotation.from_euler("zyx", [40, 10, -70], degrees=True)
    lever = (0.05, 0.12, -0.08)
    kw = dict(reps=3, micro_motion=False, mounting=mount, sampling_rate_hz=833,
              faults={"swing": 1.0})
    with_arm = simulate_session(ideal_spec("reverse-crunch", lever_arm_m=lever, **kw))
    without = simulate_session(ideal_spec("reverse-crunch", lever_arm_m=(0, 0, 0), **kw))
    diff = with_arm.acc_ideal - without.acc_ideal
    w = with_arm.gyr_ideal
    alpha = np.gradient(w, 1 / 833, axis=0)
    r_s = mount.inv().apply(lever)
    expected = np.cross(alpha, r_s) + np.cross(w, np.cross(w, r_s))
    assert np.abs(expected).max() > 0.5  # the swing reps give a real signal
    err = np.abs(diff - expected)[10:-10]
    # the anti-alias filter smooths the abrupt onset of the swing burst a little
    assert np.quantile(err, 0.999) < 0.01
    assert err.max() < 0.1


def test_same_seed_same_session_other_seed_differs() -> None:
    spec = ideal_spec("dead-bug", reps=2, noise=True, quantize=True, sampling_rate_hz=52)
    a, b = simulate_session(spec), simulate_session(spec)
    np.testing.assert_array_equal(a.recording.acc, b.recording.acc)
    np.testing.assert_array_equal(a.recording.gyr, b.recording.gyr)
    assert a.truth.equals(b.truth)
    assert a.recording.meta == b.recording.meta
    c = simulate_session(ideal_spec("dead-bug", reps=2, seed=12, sampling_rate_hz=52))
    assert not c.truth["con_start_s"].equals(a.truth["con_start_s"])


@pytest.mark.parametrize("rate", [26, 833])
def test_output_grid_and_rate(rate: int) -> None:
    s = simulate_session(ideal_spec("leg-raise", reps=2, sampling_rate_hz=rate))
    assert s.recording.sampling_rate_hz == rate
    assert s.recording.acc.shape == s.pelvis_angles_rad.shape
    assert s.recording.duration_s > s.truth["ecc_end_s"].max()


def _inclination_and_swing(s: SimulatedSession, t0: float, t1: float) -> tuple[float, float]:
    """Peak-to-peak (deg) of the accelerometer's inclination about pelvis z and of the
    gyro-integrated rotation about it, over [t0, t1] (upright: gravity along pelvis +y)."""
    rate = s.recording.sampling_rate_hz
    sl = slice(round(t0 * rate), round(t1 * rate))
    acc = s.mounting.apply(s.acc_ideal)[sl]
    gyr_z = s.mounting.apply(s.gyr_ideal)[sl, 2]
    incl = np.degrees(np.arctan2(acc[:, 0], acc[:, 1]))
    swing = np.degrees(np.cumsum(gyr_z) / rate)
    return float(np.ptp(incl)), float(np.ptp(swing))


@pytest.mark.parametrize("length_m", [0.8, 1.1])
def test_hanging_pendulum_about_the_bar_hides_the_swing_from_the_accelerometer(
    length_m: float,
) -> None:
    """The pelvis moves on a circle about the bar: the specific force follows the body."""
    s = simulate_session(ideal_spec("hanging-leg-raise", reps=4, sets=2, rest_s=20.0, seed=3,
                                    faults={"swing": 1.0}, micro_motion=False,
                                    lever_arm_m=(0.0, 0.0, 0.0), pendulum_length_m=length_m))
    t = s.truth
    notes = s.recording.meta.notes
    l_eff = float(notes["pendulum_equivalent_length_m"])
    period = float(notes["pendulum_period_s"])
    assert 1.5 <= period <= 2.5
    assert period == pytest.approx(2 * np.pi * np.sqrt(l_eff / STANDARD_GRAVITY), abs=2e-3)
    # In the rest the body swings freely (excited by the set's reps): the gyro sees the whole
    # swing, the accelerometer's inclination only about (1 - L / L_eff) of it.
    t0, t1 = t["ecc_end_s"].iloc[3] + 2.0, t["con_start_s"].iloc[4] - 4.0
    assert t1 - t0 > 5 * period
    incl, swing = _inclination_and_swing(s, t0, t1)
    assert swing > 0.3
    assert incl < min(0.3, abs(1 - length_m / l_eff) + 0.1) * swing, (incl, swing)
    # the same measurement on a rep (a curl about the hip, not about the bar) sees it all
    r = t.iloc[0]
    incl, swing = _inclination_and_swing(s, r["con_start_s"] - 0.2, r["con_end_s"] + 0.2)
    assert incl > 0.7 * swing > 15


def test_hanging_offset_is_a_circle_about_the_bar() -> None:
    base = kin.posture_rotation("upright", 0.7)
    swing = np.radians(np.linspace(-10, 10, 41))
    offset = kin.hanging_offset(base, swing, 0.9)
    bar = np.array([0.0, 0.0, 0.9])
    np.testing.assert_allclose(np.linalg.norm(offset - bar, axis=1), 0.9, atol=1e-12)
    # the pelvis moves the way its tilt turns it: a positive swing about the pelvis z axis
    # (base.apply(z), through the bar) carries the pelvis along z x (-up)
    lateral = base.apply([0.0, 0.0, 1.0])
    direction = np.cross(lateral, [0.0, 0.0, -1.0])
    assert offset[-1] @ direction > 0.15 and offset[0] @ direction < -0.15


def test_pelvis_matrices_match_the_rotation_sequence() -> None:
    rng = np.random.default_rng(1)
    angles = rng.uniform(-1.5, 1.5, (50, 3))
    base = Rotation.random(rng=rng)
    np.testing.assert_allclose(kin.pelvis_matrices(base, angles),
                               kin.pelvis_rotation(base, angles).as_matrix(), atol=1e-12)
