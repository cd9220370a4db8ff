"""Rigid-body kinematics: pelvis angles -> orientation, angular velocity, sensor specific force.

World frame: ``z`` up, gravity ``(0, 0, -9.80665)`` m/s^2. Pelvis frame: ISB (see
:mod:`imu.frames`). The pelvis orientation is

    R_world_pelvis(t) = R_posture @ Rz(tilt) @ Rx(obliquity) @ Ry(rotation)

(intrinsic z-x-y Cardan sequence, the ISB pelvis sequence), where ``R_posture`` puts the
posture's up axis (:data:`imu.frames.POSTURE_UP`) on world ``z`` and has a heading about it.
The sensor is mounted with a fixed rotation ``R_pelvis_sensor`` (sensor axes expressed in the
pelvis frame) at a lever arm ``r`` (pelvis frame, m) from the pivot the pelvis rotates about.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.spatial.transform import Rotation

from imu.frames import POSTURE_UP, STANDARD_GRAVITY

FloatArray = npt.NDArray[np.float64]

WORLD_UP = np.array([0.0, 0.0, 1.0])


def posture_rotation(posture: str, heading_rad: float = 0.0) -> Rotation:
    """Rotation from the pelvis frame (at zero angles) to the world frame for a posture.

    The posture's up axis maps to world ``z``; the pelvis superior axis (lying postures) or
    anterior axis (upright) maps to the horizontal direction ``heading_rad`` from world ``x``.
    """
    up = np.asarray(POSTURE_UP[posture], dtype=float)
    ref = np.array([0.0, 1.0, 0.0]) if abs(up[1]) < 0.5 else np.array([1.0, 0.0, 0.0])
    pelvis_axes = np.column_stack([up, ref, np.cross(up, ref)])
    world_axes = np.column_stack([WORLD_UP, [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    base = Rotation.from_matrix(world_axes @ pelvis_axes.T)
    return Rotation.from_rotvec(heading_rad * WORLD_UP) * base


def pelvis_rotation(base: Rotation, angles_rad: FloatArray) -> Rotation:
    """Pelvis-to-world rotations, one per sample.

    Args:
        base: posture rotation (:func:`posture_rotation`).
        angles_rad: shape (n, 3): tilt, obliquity, rotation, rad.

    """
    return base * Rotation.from_euler("ZXY", angles_rad)


def pelvis_matrices(base: Rotation, angles_rad: FloatArray) -> FloatArray:
    """Pelvis-to-world rotation matrices, one per sample (as :func:`pelvis_rotation`, faster).

    Args:
        base: posture rotation (:func:`posture_rotation`).
        angles_rad: shape (n, 3): tilt, obliquity, rotation, rad.

    Returns:
        shape (n, 3, 3): ``R_posture @ Rz(tilt) @ Rx(obliquity) @ Ry(rotation)``.

    """
    n = len(angles_rad)
    ca, sa = np.cos(angles_rad[:, 0]), np.sin(angles_rad[:, 0])
    cb, sb = np.cos(angles_rad[:, 1]), np.sin(angles_rad[:, 1])
    cc, sc = np.cos(angles_rad[:, 2]), np.sin(angles_rad[:, 2])
    m = np.empty((n, 3, 3))
    # Rz(a) Rx(b) Ry(c), multiplied out
    m[:, 0, 0] = ca * cc - sa * sb * sc
    m[:, 0, 1] = -sa * cb
    m[:, 0, 2] = ca * sc + sa * sb * cc
    m[:, 1, 0] = sa * cc + ca * sb * sc
    m[:, 1, 1] = ca * cb
    m[:, 1, 2] = sa * sc - ca * sb * cc
    m[:, 2, 0] = -cb * sc
    m[:, 2, 1] = sb
    m[:, 2, 2] = cb * cc
    return np.asarray(np.matmul(base.as_matrix(), m))


def body_angular_velocity(angles_rad: FloatArray, rates_rad_s: FloatArray) -> FloatArray:
    """Angular velocity of the pelvis in the pelvis frame, ``vee(R^T dR/dt)``.

    Closed form for the z-x-y sequence (a = tilt, b = obliquity, c = rotation)::

        w_x = b' cos c - a' cos b sin c
        w_y = a' sin b + c'
        w_z = b' sin c + a' cos b cos c

    Args:
        angles_rad: shape (n, 3), tilt, obliquity, rotation, rad.
        rates_rad_s: shape (n, 3), their time derivatives, rad/s.

    Returns:
        shape (n, 3), rad/s.

    """
    b, c = angles_rad[:, 1], angles_rad[:, 2]
    da, db, dc = rates_rad_s[:, 0], rates_rad_s[:, 1], rates_rad_s[:, 2]
    cb, sb, cc, sc = np.cos(b), np.sin(b), np.cos(c), np.sin(c)
    return np.column_stack([db * cc - da * cb * sc, da * sb + dc, db * sc + da * cb * cc])


def hanging_offset(base: Rotation, swing_rad: FloatArray, length_m: float) -> FloatArray:
    """Displacement of the pelvis' centre when the body swings about the bar, world frame.

    The body rotates by ``swing_rad`` about the pelvis ``z`` axis at rest (the left-right
    axis, ``base.apply(z)``) through the bar, ``length_m`` above the pelvis, so the pelvis
    moves on a circle of that radius; its orientation turns by the same angle (the caller
    adds ``swing_rad`` to the tilt).

    Returns:
        shape (n, 3), m (zero at zero swing).

    """
    lateral = base.apply([0.0, 0.0, 1.0])
    down = -length_m * WORLD_UP
    return np.asarray(
        np.outer(np.cos(swing_rad), down)
        + np.outer(np.sin(swing_rad), np.cross(lateral, down))
        - down
    )


def second_derivative(x: FloatArray, dt_s: float) -> FloatArray:
    """Central second difference along axis 0 (ends copied from their neighbours)."""
    out = np.empty_like(x)
    out[1:-1] = (x[2:] - 2.0 * x[1:-1] + x[:-2]) / dt_s**2
    out[0], out[-1] = out[1], out[-2]
    return out


def ideal_imu(
    r_world_pelvis: Rotation | FloatArray,
    omega_pelvis: FloatArray,
    pivot_world_m: FloatArray,
    lever_arm_m: FloatArray,
    mounting: Rotation,
    dt_s: float,
) -> tuple[FloatArray, FloatArray]:
    """Error-free accelerometer and gyroscope on a fine, uniform time grid.

    Args:
        r_world_pelvis: n rotations, pelvis to world (a :class:`Rotation` or matrices of
            shape (n, 3, 3), see :func:`pelvis_matrices`).
        omega_pelvis: shape (n, 3), pelvis angular velocity in the pelvis frame, rad/s.
        pivot_world_m: shape (n, 3), position of the point the pelvis rotates about, m.
        lever_arm_m: shape (3,), sensor position relative to the pivot, pelvis frame, m.
        mounting: sensor-to-pelvis rotation (``v_pelvis = mounting.apply(v_sensor)``).
        dt_s: grid step, s (fine enough that the second difference of positions is exact to
            well below sensor noise, e.g. <= 1 ms).

    Returns:
        ``(acc, gyr)``, each shape (n, 3), in the sensor frame: specific force
        ``R_ws^T (a - g)`` in m/s^2 and angular velocity in rad/s.

    """
    r = (
        r_world_pelvis.as_matrix()
        if isinstance(r_world_pelvis, Rotation)
        else np.asarray(r_world_pelvis)
    ).reshape(-1, 3, 3)
    lever = np.asarray(lever_arm_m, dtype=float)
    position = pivot_world_m + np.einsum("nij,j->ni", r, lever)
    accel_world = second_derivative(position, dt_s)
    specific_world = accel_world + STANDARD_GRAVITY * WORLD_UP
    m = mounting.as_matrix()
    # v_sensor = M^T R^T v_world
    acc = np.einsum("nji,nj->ni", r, specific_world) @ m
    gyr = np.atleast_2d(omega_pelvis) @ m
    return np.atleast_2d(acc), np.atleast_2d(gyr)
