"""Ground-truth session simulator: pelvis kinematics of core exercises seen by a hip IMU.

This package is the source of ground truth for every accuracy claim, so it never imports
:mod:`imu.core` (the code it checks). Typical use::

    from imu.sim import SessionSpec, simulate_session, save_session
    from imu.tempo import parse_tempo

    session = simulate_session(
        SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), reps=10, sets=3, seed=7,
                    faults={"swing": 0.2, "dropped_eccentric": 0.1})
    )
    save_session(session, "out/session.parquet")  # + out/session.truth.csv

Modules: :mod:`~imu.sim.exercises` (what the pelvis does per exercise, fault list),
:mod:`~imu.sim.pulses` (movement pulses of several velocity shapes, 10% convention),
:mod:`~imu.sim.definitions` (the label definitions of DOMAIN.md, applied to the truth),
:mod:`~imu.sim.kinematics` (orientation, angular velocity, specific force with lever arm),
:mod:`~imu.sim.sensor` (sampling, errors, int16 counts, lost frames, host times),
:mod:`~imu.sim.session` (planning, truth, the public entry points),
:mod:`~imu.sim.bundle` (regenerates the bundled ``recordings/``).
"""

from imu.sim.exercises import (
    CONTROLLED_FAMILIES,
    EXERCISE_MODELS,
    EXERCISES,
    FAMILIES,
    FAULTS,
    SWING_FAMILIES,
    ExerciseModel,
)
from imu.sim.session import (
    QUANTITY_COLUMNS,
    TRUTH_COLUMNS,
    SessionSpec,
    SimulatedSession,
    read_truth,
    save_session,
    simulate_session,
    truth_path_for,
    validate_spec,
)

__all__ = [
    "CONTROLLED_FAMILIES",
    "EXERCISES",
    "EXERCISE_MODELS",
    "FAMILIES",
    "FAULTS",
    "QUANTITY_COLUMNS",
    "SWING_FAMILIES",
    "TRUTH_COLUMNS",
    "ExerciseModel",
    "SessionSpec",
    "SimulatedSession",
    "read_truth",
    "save_session",
    "simulate_session",
    "truth_path_for",
    "validate_spec",
]
