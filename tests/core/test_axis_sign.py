"""The concentric direction: from the large excursions, each movement from its own start."""

from __future__ import annotations

import numpy as np
import pytest

from imu.core.analyzer import RepAnalyzer
from imu.core.axis import MOVEMENT_GAP_S, _large_median, _movement_excursions
from imu.exercises import get_profile
from imu.tempo import Tempo

from .conftest import stream_tuning_session

FS = 100.0


def _drive(angle0: float, rom: float) -> np.ndarray:
    """A 0.8 s hip drive: out by ``rom`` deg and back, starting at ``angle0`` deg."""
    return angle0 + rom * np.sin(np.linspace(0.0, np.pi, 80))


def test_each_movement_is_measured_from_where_it_started() -> None:
    """Two 12 deg drives the negative way, 20 s apart, while the integrated gyro drifts 14 deg
    upwards between them (bias left over, a slow change of posture): from the session's start
    the second drive seems to go the positive way; from its own start it does not."""
    first = _drive(0.0, -12.0)
    drift = np.linspace(0.0, 14.0, 2000)
    second = _drive(14.0, -12.0)
    angle = np.radians(np.concatenate((first, drift, second)))
    active = np.zeros(len(angle), dtype=bool)
    active[1:80] = True
    active[2081:2160] = True
    own = _movement_excursions(angle, active, gap=round(MOVEMENT_GAP_S * FS))
    assert np.degrees(own.min()) < -11.0 and np.degrees(own.max()) < 0.5
    assert _large_median(own) < 0
    from_start = angle[active] - angle[1]
    assert np.degrees(from_start.max()) > 13.0  # what the session-wide reference saw


def test_a_hold_at_the_top_stays_in_the_movement() -> None:
    """A drive held 1.5 s at the top is one movement: its return is measured from where the
    drive began, not from the top (from the top it would go the other way as far)."""
    angle = np.radians(np.concatenate((np.linspace(0, -10, 40), np.full(150, -10.0),
                                       np.linspace(-10, 0, 40))))
    active = np.ones(len(angle), dtype=bool)
    active[40:190] = False
    gap = round(MOVEMENT_GAP_S * FS)
    exc = np.degrees(_movement_excursions(angle, active, gap=gap))
    assert exc.max() <= 0.0 and exc.min() < -9.0
    split = np.degrees(_movement_excursions(angle, active, gap=10))  # split at the top
    assert split.max() > 9.0


@pytest.mark.parametrize("hold_s", [0.1, 0.5, 1.5])
def test_standing_hip_drives_held_at_the_top_keep_their_direction(hold_s: float) -> None:
    """Eight 12 deg hip drives (0.35 s out, held, 0.5 s back, 3 s apart) on a clean signal:
    every one is found at its onset, whatever the hold."""
    fs = 104.0
    rng = np.random.default_rng(0)

    def pulse(duration_s: float, deg: float) -> np.ndarray:
        n = round(duration_s * fs)
        shape = np.sin(np.pi * np.arange(n) / n)
        return shape * np.radians(deg) * fs / shape.sum()

    pieces, onsets, t = [np.zeros(round(5 * fs))], [], 5.0
    for _ in range(8):
        onsets.append(t)
        drive = [pulse(0.35, -12.0), np.zeros(round(hold_s * fs)), pulse(0.5, 12.0),
                 np.zeros(round(3.0 * fs))]
        pieces += drive
        t += sum(len(p) for p in drive) / fs
    pieces.append(np.zeros(round(5 * fs)))
    rate = np.concatenate(pieces)
    theta = np.cumsum(rate) / fs
    gyr = np.zeros((len(rate), 3))
    gyr[:, 0] = rate
    gyr += rng.normal(0.0, 0.003, gyr.shape)
    acc = 9.81 * np.stack([np.zeros_like(theta), np.sin(theta), np.cos(theta)], axis=1)
    acc += rng.normal(0.0, 0.02, acc.shape)
    analyzer = RepAnalyzer(get_profile("standing-strict"), fs, Tempo(2, 0, 2))
    for i in range(0, len(rate), 20):
        analyzer.update(acc[i : i + 20], gyr[i : i + 20])
    analyzer.finish()
    found = np.array([r.con_start_s for r in analyzer.reps_])
    assert len(found) == len(onsets)
    assert np.abs(found - np.array(onsets)).max() < 0.1


def test_a_standing_curl_whose_gyro_drifts_keeps_its_concentric_direction() -> None:
    """Tuning session 83 (standing curl, 104 Hz): the integrated gyro rose 10 deg between the
    first two hip drives, and every hip drive was read upside down (9 missed, 7 extra)."""
    sim, analyzer = stream_tuning_session("standing-curl", 83)
    drives = sim.truth[sim.truth.family == "hip-drive"].con_start_s.to_numpy()
    found = np.array([r.con_start_s for r in analyzer.reps_])
    assert len(found) == len(drives)
    assert np.abs(found - drives).max() < 0.15
