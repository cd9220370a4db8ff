"""Recordings and reps built by hand for the report tests (no simulator needed).

The recording generator rotates a sensor about a random axis by minimum-jerk angle pulses,
the shape of a controlled rep, with a still lead-in, sensor noise and a constant gyro bias.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from rich.console import Console
from scipy.spatial.transform import Rotation

from imu.core.metrics import Rep
from imu.frames import STANDARD_GRAVITY
from imu.io.recording import Recording, RecordingMeta, gaps_from_nan


def min_jerk(duration_s: float, rate_hz: float) -> np.ndarray:
    """Shape (n,): fraction 0 -> 1 of a minimum-jerk movement lasting ``duration_s``."""
    n = round(duration_s * rate_hz)
    t = np.arange(n) / n
    return 10 * t**3 - 15 * t**4 + 6 * t**5


def make_recording(
    reps_per_set: Sequence[int] = (6, 5),
    tempo: tuple[float, float, float] = (2.0, 1.0, 2.0),
    pause_s: float = 1.0,
    rest_s: float = 30.0,
    rom_deg: float = 40.0,
    rate_hz: float = 104.0,
    seed: int = 0,
    exercise: str | None = "reverse-crunch",
    nan_spans_s: Iterable[tuple[float, float]] = (),
) -> Recording:
    """A session of controlled reps: 4 s still, sets of reps, ``rest_s`` still between sets.

    Args:
        reps_per_set: reps in each set.
        tempo: concentric, top hold, eccentric durations, s.
        pause_s: bottom pause after each rep, s.
        rest_s: still time between sets, s.
        rom_deg: pelvic rotation of each rep, deg.
        rate_hz: sampling rate, Hz.
        seed: noise, axis and mounting.
        exercise: stored in the metadata (None: not stored).
        nan_spans_s: (start, end) spans in seconds replaced by NaN (lost samples).

    """
    rng = np.random.default_rng(seed)
    con, hold, ecc = tempo
    rom = np.radians(rom_deg)
    segments = [np.zeros(round(4 * rate_hz))]
    for k, n in enumerate(reps_per_set):
        if k:
            segments.append(np.zeros(round(rest_s * rate_hz)))
        for _ in range(n):
            segments += [
                rom * min_jerk(con, rate_hz),
                np.full(round(hold * rate_hz), rom),
                rom - rom * min_jerk(ecc, rate_hz),
                np.zeros(round(pause_s * rate_hz)),
            ]
    segments.append(np.zeros(round(4 * rate_hz)))
    theta = np.concatenate(segments)
    omega = np.gradient(theta, 1.0 / rate_hz)
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    up0 = np.cross(axis, rng.normal(size=3))
    up0 /= np.linalg.norm(up0)
    bias = np.radians(0.8) * rng.normal(size=3)
    gyr = omega[:, None] * axis[None, :] + bias + rng.normal(0, 0.002, (len(theta), 3))
    ups = Rotation.from_rotvec(-theta[:, None] * axis[None, :]).apply(up0)
    acc = STANDARD_GRAVITY * ups + rng.normal(0, 0.01, (len(theta), 3))
    for a, b in nan_spans_s:
        sl = slice(round(a * rate_hz), round(b * rate_hz))
        acc[sl] = np.nan
        gyr[sl] = np.nan
    meta = RecordingMeta(
        sampling_rate_hz=rate_hz,
        device="test",
        participant="p1",
        exercise=exercise,
        gaps=gaps_from_nan(~np.isnan(acc[:, 0])),
        source="generated.parquet",
    )
    return Recording(acc, gyr, meta)


def make_rep(
    set_no: int,
    rep_no: int,
    start_s: float,
    concentric_s: float = 2.0,
    top_hold_s: float = 1.0,
    eccentric_s: float = 2.0,
    rom_deg: float = 40.0,
    swing: bool = False,
    faults: Iterable[str] = (),
    tempo_ok: bool = True,
    side: str = "",
    in_gap: bool = False,
) -> Rep:
    """A hand-built :class:`Rep` with the given phases (other metrics plausible constants)."""
    return Rep(
        set=set_no,
        rep=rep_no,
        side=side,
        con_start_s=start_s,
        con_end_s=start_s + concentric_s,
        ecc_start_s=start_s + concentric_s + top_hold_s,
        ecc_end_s=start_s + concentric_s + top_hold_s + eccentric_s,
        rom_deg=rom_deg,
        peak_concentric_dps=30.0,
        mean_concentric_dps=20.0,
        peak_eccentric_dps=30.0,
        mean_eccentric_dps=20.0,
        peak_time_fraction=0.5,
        concentric_ratio=1.0,
        windup_deg=0.0,
        overshoot_deg=0.0,
        swing_features=2 if swing else 0,
        swing=swing,
        eccentric_ratio=1.0,
        top_hold_ratio=1.0,
        rom_ratio=1.0,
        arch_deg=0.0,
        rotation_deg=0.0,
        body_swing_deg=0.0,
        drift_deg=float("nan"),
        shaking_dps=float("nan"),
        faults=frozenset(faults),
        tempo_ok=tempo_ok,
        in_gap=in_gap,
        count_confidence=1.0,
    )


def make_set(
    set_no: int, n: int, start_s: float, period_s: float = 6.0, **kwargs: object
) -> list[Rep]:
    """``n`` identical reps starting every ``period_s`` seconds from ``start_s``."""
    return [
        make_rep(set_no, i + 1, start_s + i * period_s, **kwargs)  # type: ignore[arg-type]
        for i in range(n)
    ]


def terminal_text(renderable: object, width: int = 120) -> str:
    """``renderable`` as printed on a terminal ``width`` columns wide, colour-free text."""
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def table_rows(text: str) -> list[list[str]]:
    """The words of each printed table row that starts with a number (a rep's row)."""
    return [line.split() for line in text.splitlines() if line.strip()[:1].isdigit()]
