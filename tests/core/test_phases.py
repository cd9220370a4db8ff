"""Live phase cues (imu.core.phases): order, timing, cancelled starts, the "slower" cue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.core.analyzer import RepAnalyzer
from imu.core.phases import PaceWarning, PhaseCue, PhaseWatcher, WatcherParams
from imu.exercises import get_profile
from imu.io.recording import read_recording
from imu.tempo import parse_tempo

FS = 100.0
RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def _bell(duration_s: float, rom_deg: float) -> np.ndarray:
    """Minimum-jerk rate profile of one movement phase, deg/s."""
    s = np.arange(round(duration_s * FS)) / (duration_s * FS)
    return 30.0 * rom_deg / duration_s * s**2 * (1 - s) ** 2


def _rep_rate(up_s: float, hold_s: float, down_s: float, rom: float = 40.0) -> np.ndarray:
    return np.concatenate((
        _bell(up_s, rom), np.zeros(round(hold_s * FS)), -_bell(down_s, rom),
        np.zeros(round(1.5 * FS)),
    ))


def _watch(w: np.ndarray, eccentric_s: float | None = 2.0,
           chunk: int = 5) -> list[PhaseCue | PaceWarning]:
    watcher = PhaseWatcher(WatcherParams(FS, 0.0, 1.5, 6.0, eccentric_prescribed_s=eccentric_s,
                                         eccentric_slack_s=0.5))
    still = np.zeros(len(w), dtype=bool)
    out: list[PhaseCue | PaceWarning] = []
    for i in range(0, len(w), chunk):
        out += watcher.push(w[i : i + chunk], still[i : i + chunk])
    return out


def test_each_phase_is_told_in_order_soon_after_it_starts() -> None:
    one = _rep_rate(2.0, 1.0, 2.0)
    w = np.concatenate((np.zeros(100), one, one, one))
    cues = [c for c in _watch(w) if isinstance(c, PhaseCue)]
    assert [c.phase for c in cues] == ["concentric", "top_hold", "eccentric", "bottom_pause"] * 3
    assert all(c.rep_ended for c in cues if c.phase == "bottom_pause")
    # True phase starts: the 10% crossings of each bell (s), third rep (typical peaks known).
    s10 = 0.0870  # 16 s^2 (1 - s)^2 = 0.1
    start = 1.0 + 2 * len(one) / FS
    truth = [start + 2.0 * s10, start + 2.0 * (1 - s10), start + 3.0 + 2.0 * s10,
             start + 3.0 + 2.0 * (1 - s10)]
    for cue, t in zip(cues[8:], truth, strict=True):
        assert abs(cue.at_s - t) < 0.05, (cue, t)
        assert 0.0 <= cue.emitted_at_s - t <= 0.15, (cue, t)


def test_a_start_that_comes_to_nothing_is_not_a_rep() -> None:
    fidget = _bell(0.6, 2.0)  # 2 deg: under the 6 deg smallest rep
    w = np.concatenate((np.zeros(100), fidget, np.zeros(100)))
    cues = [c for c in _watch(w) if isinstance(c, PhaseCue)]
    assert [c.phase for c in cues] == ["concentric", "bottom_pause"]
    assert not cues[-1].rep_ended


def test_slower_is_said_while_a_hurried_eccentric_runs() -> None:
    w = np.concatenate((np.zeros(100), _rep_rate(2.0, 1.0, 2.0), _rep_rate(2.0, 1.0, 0.8)))
    cues = _watch(w)
    warnings = [c for c in cues if isinstance(c, PaceWarning)]
    assert len(warnings) == 1  # the 2 s eccentric is on tempo, the 0.8 s one is not
    end = [c for c in cues if isinstance(c, PhaseCue) and c.phase == "bottom_pause"][-1]
    assert warnings[0].emitted_at_s < end.at_s  # before the lowering ended
    assert warnings[0].projected_s == pytest.approx(0.8, abs=0.15)


def test_no_prescription_no_pace_cue() -> None:
    w = np.concatenate((np.zeros(100), _rep_rate(2.0, 1.0, 0.8)))
    assert not [c for c in _watch(w, eccentric_s=None) if isinstance(c, PaceWarning)]


def test_cue_times_do_not_depend_on_the_chunking() -> None:
    rng = np.random.default_rng(3)
    w = np.concatenate((np.zeros(100), _rep_rate(2.0, 1.0, 2.0), _rep_rate(1.5, 0.5, 1.0)))
    w = w + rng.normal(0.0, 0.2, len(w))
    a = [(c.phase, c.at_s) for c in _watch(w, chunk=1) if isinstance(c, PhaseCue)]
    b = [(c.phase, c.at_s) for c in _watch(w, chunk=37) if isinstance(c, PhaseCue)]
    assert a == b and len(a) >= 8


def test_cues_match_the_reps_table_on_the_bundled_crunch() -> None:
    rec = read_recording(RECORDINGS / "reverse_crunch.parquet")
    profile = get_profile("reverse-crunch")
    tempo = parse_tempo(rec.meta.tempo or "3-1-3")
    fs = rec.sampling_rate_hz
    analyzer = RepAnalyzer(profile, fs, tempo, phase_cues=True)
    cues: list[PhaseCue | PaceWarning] = []
    lock_s = None
    step = max(1, round(0.05 * fs))
    for i in range(0, rec.n_samples, step):
        analyzer.update(rec.acc[i : i + step], rec.gyr[i : i + step])
        if lock_s is None and analyzer.locked_axis_ is not None:
            lock_s = i / fs
        cues += analyzer.pop_cues()
    analyzer.finish()
    assert lock_s is not None
    reps = pd.DataFrame([r.__dict__ for r in analyzer.reps_])
    later = reps[reps.con_start_s > lock_s + 0.5]
    assert len(later) >= 5
    phase_cues = [c for c in cues if isinstance(c, PhaseCue)]
    ended = [c for c in phase_cues if c.phase == "bottom_pause" and c.rep_ended]
    assert len([c for c in ended if c.at_s > lock_s + 0.5]) == len(later)
    for phase, column in [("concentric", "con_start_s"), ("top_hold", "con_end_s"),
                          ("eccentric", "ecc_start_s"), ("bottom_pause", "ecc_end_s")]:
        times = np.array([c.at_s for c in phase_cues if c.phase == phase])
        for t in later[column]:
            assert np.min(np.abs(times - t)) < 0.2, (phase, t)


def test_no_cues_unless_asked_and_none_for_holds() -> None:
    rec = read_recording(RECORDINGS / "reverse_crunch.parquet")
    plain = RepAnalyzer(get_profile("reverse-crunch"), rec.sampling_rate_hz)
    plain.update(rec.acc, rec.gyr)
    assert plain.pop_cues() == []
    plank = read_recording(RECORDINGS / "plank.parquet")
    hold = RepAnalyzer(get_profile("plank"), plank.sampling_rate_hz, phase_cues=True)
    hold.update(plank.acc, plank.gyr)
    assert hold.pop_cues() == []



def test_no_early_pace_warning_from_a_hanging_body_swing() -> None:
    """A hanging leg raise with the body swinging: a swing back read as a lowering half done
    in 0.8 s, and SLOWER was told against a rep that came out 'down 3.0 s, on tempo'. The
    phase cues stay; the projected pace warning is off where the swing is in the cues' rate."""
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import Tempo

    tempo = Tempo(3, 1, 3)
    sim = simulate_session(SessionSpec("hanging-leg-raise", tempo=tempo, reps=5, sets=2,
                                       seed=11, body_pendulum=True,
                                       faults={"swing": 0.3, "body_swing": 0.3}))
    rec = sim.recording
    analyzer = RepAnalyzer(get_profile("hanging-leg-raise"), rec.sampling_rate_hz, tempo,
                           phase_cues=True)
    told = []
    for i in range(0, rec.n_samples, 5):
        analyzer.update(rec.acc[i : i + 5], rec.gyr[i : i + 5])
        told += analyzer.pop_cues()
    analyzer.finish()
    assert any(isinstance(c, PhaseCue) for c in told)
    assert not any(isinstance(c, PaceWarning) for c in told)


def test_ripple_past_the_top_is_no_second_concentric() -> None:
    """Review: HOLD, UP (its clock from 0), HOLD within 0.1 s at the top of a lift: the rate's
    ripple just past its 10% crossing was told as the concentric going on."""
    one = _rep_rate(2.0, 1.0, 2.0)
    top = round(2.0 * FS) - 5  # just past the 10% crossing at the end of the rise
    rippled = one.copy()
    rippled[top: top + 3] += 0.2 * one.max()  # a bump to 20% of the peak, 30 ms
    w = np.concatenate((np.zeros(100), one, one, rippled))
    phases = [c.phase for c in _watch(w) if isinstance(c, PhaseCue)]
    assert phases == ["concentric", "top_hold", "eccentric", "bottom_pause"] * 3


def test_a_lift_going_on_after_a_stop_keeps_its_start() -> None:
    """A real second push after a stop at the top: the concentric goes on, its clock from
    where the lift began (the UP clock jumped back to 0 mid-lift)."""
    one = _rep_rate(2.0, 1.0, 2.0)
    push = np.concatenate((_bell(2.0, 40.0), np.zeros(30), _bell(1.0, 10.0), np.zeros(100),
                           -_bell(2.0, 50.0), np.zeros(150)))
    w = np.concatenate((np.zeros(100), one, one, push))
    cues = [c for c in _watch(w) if isinstance(c, PhaseCue)][8:]
    assert [c.phase for c in cues] == ["concentric", "top_hold", "concentric", "top_hold",
                                       "eccentric", "bottom_pause"]
    assert cues[2].at_s == cues[0].at_s
