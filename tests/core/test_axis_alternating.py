"""The alternating exercises' axis: gravity's trimmed-mean displacement, not its mean (one
fault rep turns that) nor its median (one side's reps turn that)."""

from __future__ import annotations

from typing import Any

import numpy as np

from imu.core.axis import _trimmed_tilt_axis


def _moved(rng: np.random.Generator, up: np.ndarray, tilt_dir: np.ndarray,
           side_dir: np.ndarray, reps: int = 8, fault: int | None = 5) -> np.ndarray:
    """Gravity displacements of ``reps`` reps: tilt 2.5 deg every rep, the side rotation 2 deg
    alternating, and (``fault``) one rep that rotates the hips 13 deg."""
    rows = []
    for k in range(reps):
        tilt = np.radians(2.5) * np.sin(np.linspace(0, np.pi, 200))
        side = np.radians(13.0 if k == fault else 2.0) * (-1) ** k * np.sin(
            np.linspace(0, np.pi, 200))
        rows.append(np.outer(tilt, tilt_dir) + np.outer(side, side_dir))
    moved = np.concatenate(rows)
    return moved + rng.normal(0, np.radians(0.1), moved.shape) - np.outer(moved @ up, up)


def test_one_rotating_rep_does_not_turn_the_axis() -> None:
    rng = np.random.default_rng(0)
    up = np.array([0.2, -0.3, 0.93])
    up /= np.linalg.norm(up)
    tilt_dir = np.cross(up, [1.0, 0.0, 0.0])
    tilt_dir /= np.linalg.norm(tilt_dir)
    side_dir = np.cross(up, tilt_dir)
    moved = _moved(rng, up, tilt_dir, side_dir)
    axis = _trimmed_tilt_axis(moved, up)
    # The rotation that moves gravity along tilt_dir: -(up x tilt_dir) per the convention.
    want = -np.cross(up, tilt_dir)
    assert float(axis @ want) > 0.99
    mean_axis = -np.cross(up, moved.mean(axis=0))
    mean_axis /= np.linalg.norm(mean_axis)
    assert float(mean_axis @ want) < 0.9  # what the mean gave: the fault rep turns it


def test_one_sides_rotation_does_not_turn_the_axis() -> None:
    """Tuning bird-dog 121 (1-0-1 at 208 Hz, 6 reps a set): the hips rotate 2 deg to each
    side against a 2.5 deg tilt, and the median displacement sat on one side's reps and
    turned the axis 57 deg towards their rotation: every rep was read upside down (8 of 12
    missed). The trimmed mean keeps the sides balanced."""
    analyzer, sim, tilt_axis = _tuning_bird_dog(121)
    assert analyzer.locked_axis_ is not None
    assert abs(float(analyzer.locked_axis_ @ tilt_axis)) > 0.95
    assert len(analyzer.reps_) == len(sim.truth)


def test_a_rest_that_settled_off_the_start_does_not_turn_the_axis() -> None:
    """Tuning bird-dog 324 (1-0-1 at 833 Hz, 4 deg reps): the axis locks only in the second
    set, and the profile's activity limit (0.3 deg/s) is at the resting pelvis' noise and
    breathing, so half of the 20 s rest between the sets counted as movement; the rest had
    settled a degree off the starting posture and outweighed the reps: the axis came out
    125 deg off and 12 of 16 reps were missed. Still samples are not moving samples now."""
    analyzer, sim, tilt_axis = _tuning_bird_dog(324)
    assert analyzer.locked_axis_ is not None
    assert abs(float(analyzer.locked_axis_ @ tilt_axis)) > 0.9  # its sign: the reps below
    # One rep rotates the hips 10 deg and may be missed; the rest are found.
    assert len(analyzer.reps_) >= len(sim.truth) - 1


def _tuning_bird_dog(seed: int) -> tuple[Any, Any, np.ndarray]:
    """The evaluation's bird-dog session of tuning ``seed`` streamed through the analyzer in
    20-sample chunks: the analyzer, the simulation, and the pelvis' tilt axis in the sensor
    frame."""
    from imu.core.analyzer import RepAnalyzer
    from imu.evaluate.config import EvalConfig, default_cases
    from imu.evaluate.sessions import draw_spec
    from imu.exercises import get_profile
    from imu.sim import simulate_session

    case = next(c for c in default_cases(True) if c.name == "bird-dog")
    spec, tempo = draw_spec(case, seed, EvalConfig(cases=(case,)))
    sim = simulate_session(spec)
    rec = sim.recording
    analyzer = RepAnalyzer(get_profile("bird-dog"), rec.sampling_rate_hz, tempo)
    for i in range(0, rec.n_samples, 20):
        analyzer.update(rec.acc[i : i + 20], rec.gyr[i : i + 20])
    analyzer.finish()
    return analyzer, sim, np.asarray(sim.mounting.inv().apply([0.0, 0.0, 1.0]))
