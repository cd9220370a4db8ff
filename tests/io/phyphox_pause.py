"""A phyphox export of a measurement paused between two sets, as phyphox writes it.

phyphox's "Acceleration with g" and "Gyroscope" CSVs (``Time (s)`` is experiment time, which
stands still while the measurement is paused) and ``meta/time.csv`` with a START, a PAUSE and
the START that resumed it (the Unix time of each). Optionally the rows of a stretch are left
out of both files: the sensor itself lost for a while, which is no pause.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from imu.io.recording import Recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.live.phone_fakes import phone_samples

START_UNIX_S = 1_735_725_600.0
"""The phone's clock at the first START (2025-01-01T10:00:00Z), s."""

ACC_COLS = [f"Acceleration {a} (m/s^2)" for a in "xyz"]
GYR_COLS = [f"Gyroscope {a} (rad/s)" for a in "xyz"]


def two_sets(exercise: str = "reverse-crunch", seed: int = 5) -> Recording:
    """Two sets of 5 reps with a 40 s rest: set 1 ends near 31 s, set 2 starts near 74 s."""
    spec = SessionSpec(exercise, tempo=parse_tempo("2-1-2"), reps=5, sets=2, rest_s=40.0,
                       seed=seed)
    return simulate_session(spec).recording


def _csv(t: np.ndarray, values: np.ndarray, cols: list[str], absolute: str) -> str:
    rows = [",".join(f'"{c}"' for c in ("Time (s)", *cols, absolute))]
    for ti, v in zip(t, values, strict=True):
        rows.append(",".join(f"{n:.9E}" for n in (ti, *v, float(np.linalg.norm(v)))))
    return "\n".join(rows) + "\n"


def paused_export(path: Path, rec: Recording, pause_at_s: float, paused_s: float,
                  lost_s: tuple[float, float] | None = None) -> Path:
    """Write a phyphox zip of ``rec`` paused at experiment time ``pause_at_s`` for ``paused_s``.

    Args:
        path: the zip to write.
        rec: the session the phone's sensors sample (100 Hz, jittery).
        pause_at_s: experiment time of the PAUSE (and of the START that resumed it), s.
        paused_s: how long the measurement stayed paused, s (on the phone's clock).
        lost_s: (start, end) experiment time whose rows both files lack (the sensor lost
            then), s; None: none.

    """
    ta, acc, _ = phone_samples(rec, 100.0, 0.002, 3, margin_s=0.1)
    tg, _, gyr = phone_samples(rec, 100.0, 0.002, 4, margin_s=0.1)
    if lost_s is not None:
        keep_a = (ta < lost_s[0]) | (ta > lost_s[1])
        keep_g = (tg < lost_s[0]) | (tg > lost_s[1])
        ta, acc, tg, gyr = ta[keep_a], acc[keep_a], tg[keep_g], gyr[keep_g]
    timeline = (
        '"event","experiment time","system time","system time text"\n'
        f'"START",0.0,{START_UNIX_S:.3f},"10:00:00"\n'
        f'"PAUSE",{pause_at_s},{START_UNIX_S + pause_at_s:.3f},"paused"\n'
        f'"START",{pause_at_s},{START_UNIX_S + pause_at_s + paused_s:.3f},"resumed"\n'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Accelerometer.csv", _csv(ta, acc, ACC_COLS, "Absolute acceleration (m/s^2)"))
        zf.writestr("Gyroscope.csv", _csv(tg, gyr, GYR_COLS, "Absolute (rad/s)"))
        zf.writestr("meta/time.csv", timeline)
    return path
