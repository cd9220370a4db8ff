"""Synthetic IMU samples in known units for the recording I/O tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from imu.frames import STANDARD_GRAVITY


def synthetic_samples(
    n: int = 500, rate_hz: float = 50.0, seed: int = 0, moving_from: float = 0.5
) -> pd.DataFrame:
    """A sensor lying still (z up) for the first half, then gently rocking; SI units.

    Columns time_s (s from 0), acc_* (m/s^2), gyr_* (rad/s). Exactly regular timestamps.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate_hz
    moving = t >= moving_from * t[-1]
    angle = np.where(moving, 0.3 * np.sin(2 * np.pi * 0.5 * (t - t[moving][0])), 0.0)
    rate = np.where(moving, 0.3 * np.pi * np.cos(2 * np.pi * 0.5 * (t - t[moving][0])), 0.0)
    # Turning by +angle about y turns the up direction in the sensor frame by -angle: its x
    # part is -sin(angle) (the import checks that gyro and accelerometer agree on this).
    acc = np.column_stack(
        [
            -STANDARD_GRAVITY * np.sin(angle),
            np.zeros(n),
            STANDARD_GRAVITY * np.cos(angle),
        ]
    ) + rng.normal(0, 0.02, (n, 3))
    gyr = np.column_stack([np.zeros(n), rate, np.zeros(n)]) + rng.normal(0, 0.005, (n, 3))
    return pd.DataFrame(
        {
            "time_s": t,
            "acc_x": acc[:, 0],
            "acc_y": acc[:, 1],
            "acc_z": acc[:, 2],
            "gyr_x": gyr[:, 0],
            "gyr_y": gyr[:, 1],
            "gyr_z": gyr[:, 2],
        }
    )


def damage_acc_x_page(path: Path, copy: Path) -> None:
    """Write ``path`` to ``copy`` with 6 bytes flipped in the middle of its acc_x data page."""
    import pyarrow.parquet as pq

    column = pq.ParquetFile(path).metadata.row_group(0).column(1)
    assert column.path_in_schema == "acc_x"
    data = bytearray(path.read_bytes())
    middle = column.data_page_offset + column.total_compressed_size // 2
    for k in range(6):
        data[middle + k] ^= 0x5A
    copy.write_bytes(bytes(data))
