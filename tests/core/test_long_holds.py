"""Planks of half an hour and more: timed to the end, with a bounded buffer, chunk-invariant.

A hold still open after 1800 s used to be abandoned, so a 2292 s plank gave "0 holds". Now
a hold of any length is timed to its end; past 30 minutes its quantities are measured on its
first ``LONG_HOLD_HEAD_S`` and last ``LONG_HOLD_TAIL_S`` (``imu.core.analyzer``), and the
analyzer never keeps much more than that of it.
"""

import math

import numpy as np
import pytest

from imu.core import RepAnalyzer
from imu.core.analyzer import LONG_HOLD_HEAD_S, LONG_HOLD_TAIL_S
from imu.exercises import get_profile
from imu.sim import SessionSpec, SimulatedSession, simulate_session
from imu.tempo import Tempo

from .test_chunking import assert_same_reps

RATE_HZ = 26


def _plank(hold_s: float, seed: int, faults: dict[str, float] | None = None) -> SimulatedSession:
    return simulate_session(SessionSpec(
        "plank", reps=1, sets=1, sampling_rate_hz=RATE_HZ, seed=seed, hold_s=hold_s,
        faults=faults or {}, packet_loss=0.01))


def _stream(sim: SimulatedSession, chunk: int) -> tuple[RepAnalyzer, int]:
    """The finished analyzer and the most signal rows it kept at once (buffer + head)."""
    rec = sim.recording
    analyzer = RepAnalyzer(get_profile("plank"), rec.sampling_rate_hz, Tempo(1, 600, 1))
    most = 0
    for i in range(0, rec.n_samples, chunk):
        analyzer.update(rec.acc[i : i + chunk], rec.gyr[i : i + chunk])
        head = analyzer._hold_head
        most = max(most, len(analyzer._sig) + (0 if head is None else len(head.head)))
    analyzer.finish()
    return analyzer, most


@pytest.fixture(scope="module")
def long_plank() -> SimulatedSession:
    """One plank held about 2400 s (varied +-10%), with lost frames and sagging."""
    return _plank(2400.0, 8, {"hips_sagging": 1.0})


def test_a_hold_longer_than_half_an_hour_is_found_and_timed(long_plank: SimulatedSession) -> None:
    """Failed before: 0 holds (abandoned 1800 s into the hold)."""
    truth = long_plank.truth
    assert len(truth) == 1 and float(truth["top_hold_s"].iloc[0]) > 2000.0
    analyzer, _ = _stream(long_plank, 2000)
    assert len(analyzer.reps_) == 1
    hold = analyzer.reps_[0]
    assert abs(hold.top_hold_s - float(truth["top_hold_s"].iloc[0])) < 1.0
    assert hold.tempo_ok  # 600 s prescribed
    assert math.isclose(hold.top_hold_ratio, hold.top_hold_s / 600.0)
    # The sag is drawn over the whole hold: its drift is read in the measured head and tail.
    assert hold.drift_deg == pytest.approx(float(truth["drift_deg"].iloc[0]), abs=1.5)
    assert "hips_sagging" in hold.faults


def test_a_long_hold_keeps_a_bounded_buffer_and_is_chunk_invariant(
    long_plank: SimulatedSession,
) -> None:
    one, _ = _stream(long_plank, long_plank.recording.n_samples)
    small, most_small = _stream(long_plank, 20)
    odd, _ = _stream(long_plank, 977)
    assert_same_reps(one.reps_, small.reps_)
    assert_same_reps(one.reps_, odd.reps_)
    # Live-sized chunks: the head and tail of the hold, a minute's margin, never the middle.
    bound = (LONG_HOLD_HEAD_S + LONG_HOLD_TAIL_S + 60.0) * RATE_HZ
    assert most_small < bound < long_plank.recording.n_samples


def test_holds_up_to_half_an_hour_are_measured_on_every_sample() -> None:
    """A 1700 s hold keeps its whole signal: the same reps as before the long-hold cut."""
    sim = _plank(1700.0, 3)
    analyzer, most = _stream(sim, 20)
    assert len(analyzer.reps_) == 1
    assert most > 0.9 * float(sim.truth["top_hold_s"].iloc[0]) * RATE_HZ
    assert abs(analyzer.reps_[0].top_hold_s - float(sim.truth["top_hold_s"].iloc[0])) < 1.0
    assert np.isfinite(analyzer.reps_[0].drift_deg)


def _rotate(v: np.ndarray, axis: np.ndarray, angle_rad: np.ndarray) -> np.ndarray:
    """Rows of ``v`` (n, 3) rotated about the unit ``axis`` by ``angle_rad`` (n,) (Rodrigues)."""
    c, s = np.cos(angle_rad)[:, None], np.sin(angle_rad)[:, None]
    k = axis[None, :]
    return v * c + np.cross(k, v) * s + k * (v @ axis)[:, None] * (1.0 - c)


def test_a_sag_and_a_gap_in_the_middle_of_a_long_hold_are_measured(
    long_plank: SimulatedSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The middle of a long hold leaves memory, but its extremes are kept: a sag of 8 deg and
    a lost second between the measured head and tail give the same drift, arch and gap flag
    as a measurement on every sample."""
    import imu.core.analyzer as analyzer_module
    from imu.core import Rep

    rec = long_plank.recording
    first, _ = _stream(long_plank, 2000)
    axis = first.locked_axis_
    assert axis is not None
    t = np.arange(rec.n_samples) / RATE_HZ
    sag = np.where((t > 1300.0) & (t < 1500.0), np.radians(8.0) * np.sin(
        np.pi * (t - 1300.0) / 200.0), 0.0)  # the pelvis tips and comes back, gravity shows it
    acc = _rotate(rec.acc, axis, sag)
    gyr = rec.gyr.copy()
    acc[round(1400.0 * RATE_HZ) : round(1401.5 * RATE_HZ)] = np.nan  # a lost 1.5 s
    gyr[round(1400.0 * RATE_HZ) : round(1401.5 * RATE_HZ)] = np.nan

    def hold(chunk: int) -> Rep:
        analyzer = RepAnalyzer(get_profile("plank"), RATE_HZ, Tempo(1, 600, 1))
        for i in range(0, rec.n_samples, chunk):
            analyzer.update(acc[i : i + chunk], gyr[i : i + chunk])
        analyzer.finish()
        assert len(analyzer.reps_) == 1
        return analyzer.reps_[0]

    small, whole = hold(20), hold(rec.n_samples)
    assert_same_reps([small], [whole])
    # Without the middle: -6.1 deg (the simulated sag at the end), no gap.
    assert first.reps_[0].drift_deg > -7.0 and not first.reps_[0].in_gap
    assert small.in_gap and small.drift_deg < -12.0 and "hips_sagging" in small.faults
    monkeypatch.setattr(analyzer_module, "LONG_HOLD_HEAD_S", 1e6)  # every sample measured
    every = hold(rec.n_samples)
    assert (small.drift_deg, small.arch_deg, small.in_gap, small.faults) == (
        every.drift_deg, every.arch_deg, every.in_gap, every.faults)
    assert (small.top_hold_s, small.tempo_ok, small.top_hold_ratio) == (
        every.top_hold_s, every.tempo_ok, every.top_hold_ratio)
