"""Column names of each coordinate frame, and the sign convention (one place).

Sensor frame
    The axes printed on the sensor. Columns :data:`ACC` (m/s^2, specific force: reads +9.81
    along the axis pointing up when still) and :data:`GYR` (rad/s, right-hand rule).

Pelvis (body) frame, ISB convention
    ``x`` anterior (out of the belly), ``y`` superior (towards the head), ``z`` right.
    Angles are right-handed rotations about these axes:

    ============  ==================  ==============================================
    angle         axis                positive when
    ============  ==================  ==============================================
    ``tilt``      z (medio-lateral)   posterior tilt: the front of the pelvis rises
                                      towards the ribs, tailbone curls up (reverse
                                      crunch concentric). Anterior tilt (back arch)
                                      is negative.
    ``obliquity`` x (anterior)        the superior axis leans to the right
    ``rotation``  y (superior)        the right side of the pelvis moves forward
    ============  ==================  ==============================================

    The analysis rotates data so that the concentric direction of the exercise is positive
    about the movement axis; for the pelvic-tilt exercises that is posterior tilt.

Gravity in the pelvis frame at rest, by posture (unit vector of the specific force the
accelerometer reads, i.e. pointing up):

    ==========  =====================
    posture     up, in pelvis frame
    ==========  =====================
    supine      +x (belly up)
    prone       -x (belly down)
    all-fours   -x
    upright     +y (standing, hanging)
    ==========  =====================
"""

from typing import Final

TIME: Final = "time_s"
ACC: Final = ("acc_x", "acc_y", "acc_z")
GYR: Final = ("gyr_x", "gyr_y", "gyr_z")
SENSOR: Final = (*ACC, *GYR)

TILT: Final = "tilt"
OBLIQUITY: Final = "obliquity"
ROTATION: Final = "rotation"
PELVIS_ANGLES: Final = (TILT, OBLIQUITY, ROTATION)

STANDARD_GRAVITY: Final = 9.80665
"""m/s^2, the conventional value used to convert g to m/s^2."""

POSTURE_UP: Final[dict[str, tuple[float, float, float]]] = {
    "supine": (1.0, 0.0, 0.0),
    "prone": (-1.0, 0.0, 0.0),
    "all-fours": (-1.0, 0.0, 0.0),
    "upright": (0.0, 1.0, 0.0),
}
"""Unit vector pointing up (what a still accelerometer reads), in the pelvis frame."""
