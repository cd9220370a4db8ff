"""The edges of a session: walking and lying down before the first rep are no part of it,
and a rep the recording stops in is not judged.

People press record, walk to the mat and lie down, then start. Standing to lying on the back
turns the pelvis 90 degrees the way a reverse crunch curls it (backwards), and that turn
stays: the first rep's lowering brought back only the rep. Before, the lying down and the
first rep came out as one 144 deg rep, and every later rep was flagged partial against it
("use the full range" on a clean session). A rep goes out and comes back: the rise the
lowering does not bring back was a change of posture
(:class:`imu.core.segmentation.RepAssembler`). A walk before it turned the pelvis as far as
two reps about all three axes, and the movement axis and its direction were learned from the
walk: a reverse crunch after a 40 s walk came out upside down (each lowering read as a rise,
14 of 16 reps, all sure) after 66 "reps" in the walk. A walk before the axis is fixed now
restarts it (:mod:`imu.core.locomotion`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imu.core import RepAnalyzer
from imu.core.locomotion import WalkWatcher
from imu.core.metrics import Rep
from imu.core.segmentation import Lobe, RepAssembler, SegmenterParams
from imu.evaluate.sessions import stream_reps
from imu.exercises import get_profile
from imu.sim import SessionSpec, simulate_session
from imu.tempo import Tempo

FS = 100.0
G = 9.81


def _lobe(sign: int, start_s: float, end_s: float, rotation_deg: float,
          angle_start_deg: float) -> Lobe:
    """A closed velocity lobe from ``start_s`` to ``end_s`` turning ``rotation_deg``."""
    a, b = round(start_s * FS), round(end_s * FS)
    return Lobe(sign=sign, run_start=a, run_end=b, start=float(a), end=float(b),
                peak_index=(a + b) // 2, peak_dps=2.0 * abs(rotation_deg) / (end_s - start_s),
                rotation_deg=rotation_deg, angle_start_deg=angle_start_deg,
                angle_end_deg=angle_start_deg + rotation_deg, acc_rotation_deg=rotation_deg)


def _assembler() -> RepAssembler:
    return RepAssembler(SegmenterParams(sampling_rate_hz=FS, min_velocity_dps=10.0,
                                        min_rom_deg=10.0))


def test_a_rise_the_lowering_does_not_bring_back_is_a_change_of_posture() -> None:
    reps = _assembler().push([
        _lobe(1, 1.0, 4.0, 90.0, 0.0),  # lying down
        _lobe(1, 10.0, 12.0, 50.0, 90.0),  # the first rep, 6 s later
        _lobe(-1, 13.0, 15.0, -50.0, 140.0),  # its lowering, back to lying
    ], now=20 * FS)
    assert len(reps) == 1
    assert reps[0].con_start == 10.0 * FS
    assert [lobe.rotation_deg for lobe in reps[0].concentric] == [50.0]


def test_a_concentric_that_paused_half_way_is_one_concentric() -> None:
    reps = _assembler().push([
        _lobe(1, 1.0, 2.0, 25.0, 0.0),
        _lobe(1, 4.0, 5.0, 25.0, 25.0),  # on up after a 2 s pause
        _lobe(-1, 6.0, 8.0, -50.0, 50.0),  # all the way back
    ], now=20 * FS)
    assert len(reps) == 1
    assert reps[0].con_start == 1.0 * FS
    assert reps[0].con_end == 5.0 * FS
    assert sum(lobe.rotation_deg for lobe in reps[0].concentric) == 50.0


def _lie_down_first(exercise: str, seed: int, stand_s: float = 3.0,
                    lie_s: float = 3.0, settle_s: float = 2.0, walk_s: float = 0.0,
                    cadence_hz: float = 1.8, sway: float = 1.0) -> tuple[
                        np.ndarray, np.ndarray, float, np.ndarray]:
    """A simulated session with standing (walking for ``walk_s`` in the middle of it) and
    lying down before it.

    The lying down turns the sensor by 90 deg about the session's own movement axis (read
    from the truth's first concentric), the way the exercise's concentric turns it, then the
    session follows. The walk tilts the pelvis 3 deg about that axis once a step
    (``cadence_hz`` steps a second), turns it 5 deg about the body's long axis and drops a
    side 3 deg once a stride, and bounces it 2.5 m/s^2 once a step; ``sway`` scales the
    three turns (a jog or stairs turn it more than a walk). Returns (acc (n, 3)
    m/s^2, gyr (n, 3) rad/s, the prefix's length s, the truth's concentric starts on the
    whole recording's clock, s)."""
    sim = simulate_session(SessionSpec(exercise, seed=seed, sets=2, reps=6, rest_s=20.0,
                                       sampling_rate_hz=104))
    rec, truth = sim.recording, sim.truth
    fs = rec.sampling_rate_hz
    gyr_s, acc_s = np.nan_to_num(rec.gyr), np.nan_to_num(rec.acc)
    first = truth.iloc[0]
    con = slice(round(first.con_start_s * fs), round(first.con_end_s * fs))
    axis = gyr_s[con].mean(axis=0)
    axis /= np.linalg.norm(axis)
    up = acc_s[: round(fs)].mean(axis=0)  # world up in the sensor frame, lying
    lying = Rotation.align_vectors([[0.0, 0.0, 1.0]], [up])[0]  # sensor -> world
    n_stand, n_lie, n_settle = (round(s * fs) for s in (2 * stand_s + walk_s, lie_s, settle_s))
    turn = np.concatenate((np.zeros(n_stand),
                           0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, n_lie)),
                           np.ones(n_settle)))
    # Lying = standing turned by +90 deg about the axis: standing is lying turned back.
    pose = lying * Rotation.from_rotvec(np.outer(-0.5 * math.pi * (1.0 - turn), axis))
    t = np.arange(len(turn)) / fs - stand_s
    walking = ((t >= 0.0) & (t < walk_s)).astype(np.float64)
    long_axis = (lying * Rotation.from_rotvec(-0.5 * math.pi * axis)).inv().apply([0, 0, 1.0])
    side = np.cross(axis, long_axis)
    step, stride = 2.0 * math.pi * cadence_hz, math.pi * cadence_hz
    sway = sway * (np.outer(math.radians(3.0) * np.sin(step * t), axis)
            + np.outer(math.radians(5.0) * np.sin(stride * t), long_axis)
            + np.outer(math.radians(3.0) * np.sin(stride * t + 0.5), side))
    pose = pose * Rotation.from_rotvec(sway * walking[:, None])
    bounce = 2.5 * np.sin(step * t + 0.3) * walking
    acc = pose.inv().apply(np.outer(G + bounce, [0.0, 0.0, 1.0]))
    rates = (pose[:-1].inv() * pose[1:]).as_rotvec() * fs
    gyr = np.vstack((rates, rates[-1:])) + gyr_s[: round(fs)].mean(axis=0)  # its bias
    rng = np.random.default_rng(seed)
    acc = acc + rng.normal(0.0, 0.02, acc.shape)
    gyr = gyr + rng.normal(0.0, 0.002, gyr.shape)
    prefix_s = len(turn) / fs
    return (np.vstack((acc, rec.acc)), np.vstack((gyr, rec.gyr)), prefix_s,
            truth["con_start_s"].to_numpy() + prefix_s)


def _reps(exercise: str, acc: np.ndarray, gyr: np.ndarray) -> list[Rep]:
    analyzer = RepAnalyzer(get_profile(exercise), 104.0)
    return stream_reps(analyzer, acc, gyr, 20)


@pytest.mark.parametrize(("exercise", "seed"), [
    ("reverse-crunch", 5), ("reverse-crunch", 11), ("pelvic-tilt", 3),
    ("reverse-hip-raise", 7), ("leg-raise", 20), ("dead-bug", 21),
])
def test_lying_down_before_the_first_rep_is_not_counted(exercise: str, seed: int) -> None:
    acc, gyr, prefix_s, starts = _lie_down_first(exercise, seed)
    reps = _reps(exercise, acc, gyr)
    assert len(reps) == len(starts)
    found = np.array([rep.con_start_s for rep in reps])
    assert np.abs(found - starts).max() < 0.3
    assert not any("partial_rom" in rep.faults for rep in reps)
    assert reps[0].con_start_s > prefix_s


@pytest.mark.parametrize(("exercise", "seed", "cadence_hz"), [
    ("reverse-crunch", 5, 1.8), ("reverse-crunch", 11, 1.5), ("pelvic-tilt", 3, 2.0),
    ("leg-raise", 20, 1.8),
])
def test_a_walk_before_lying_down_is_not_the_exercise(
        exercise: str, seed: int, cadence_hz: float) -> None:
    acc, gyr, prefix_s, starts = _lie_down_first(exercise, seed, walk_s=40.0,
                                                 cadence_hz=cadence_hz)
    reps = _reps(exercise, acc, gyr)
    assert len(reps) == len(starts)
    found = np.array([rep.con_start_s for rep in reps])
    assert np.abs(found - starts).max() < 0.3  # read the right way up: rises are rises
    assert reps[0].con_start_s > prefix_s


def test_a_jog_before_lying_down_is_not_the_exercise() -> None:
    """A jog or stairs turn the pelvis further at each step than a walk (here twice as far:
    6 deg of tilt, 10 of rotation, 6 of drop): under a 35 deg limit between steps they were
    no walk, and stairs before a reverse crunch came out as 55 reps, 39 of them steps, with
    no note (a trial's recording)."""
    acc, gyr, prefix_s, starts = _lie_down_first("reverse-crunch", 5, walk_s=30.0,
                                                 cadence_hz=2.6, sway=2.0)
    reps = _reps("reverse-crunch", acc, gyr)
    assert len(reps) == len(starts)
    assert reps[0].con_start_s > prefix_s


def test_the_walk_watcher_flags_a_walk_the_same_however_it_is_cut() -> None:
    acc, gyr, _, _ = _lie_down_first("reverse-crunch", 5, walk_s=20.0)
    fs = 104.0
    whole = WalkWatcher(fs).push(acc, gyr)
    walk = slice(round(3.0 * fs), round(23.0 * fs))
    assert whole[walk].mean() > 0.8  # flagged once six steps have been seen
    assert not whole[round(25.0 * fs):].any()  # standing, lying down and the reps are not
    rng = np.random.default_rng(0)
    cuts = np.sort(rng.choice(np.arange(1, len(acc)), 300, replace=False))
    watcher = WalkWatcher(fs)
    pieces = [watcher.push(a, g) for a, g in zip(np.split(acc, cuts), np.split(gyr, cuts),
                                                  strict=True)]
    assert np.array_equal(np.concatenate(pieces), whole)


def test_a_walk_before_the_reps_gets_no_off_axis_note() -> None:
    """The walk turns the pelvis about every axis but is left out of the analysis: the
    report's check for movement about another axis (imu.report.axis_check) used to read the
    walk as such movement and said "analyse this part on its own" of a session read right."""
    from imu.io.recording import Recording
    from imu.report import analyze_recording
    from imu.report.axis_check import off_axis_note

    sim = simulate_session(SessionSpec("reverse-crunch", seed=5, sets=2, reps=6, rest_s=20.0,
                                       sampling_rate_hz=104))
    acc, gyr, _, starts = _lie_down_first("reverse-crunch", 5, walk_s=40.0)
    rec = Recording(acc, gyr, sim.recording.meta)
    report = analyze_recording(rec, get_profile("reverse-crunch"))
    assert len(report.reps) == len(starts)
    assert off_axis_note(rec, report) is None


def test_a_rep_the_recording_stops_in_is_not_judged() -> None:
    """A recording stopped during a lowering (the live session killed, replay stopped):
    the cut lowering read 1.1 s of 2 s, "dropped", and the first advice was to slow the
    descent. Its duration is unknown, as over a data gap: it is not judged."""
    sim = simulate_session(SessionSpec("leg-raise", seed=0, sets=1, reps=10,
                                       sampling_rate_hz=104))
    rec, truth = sim.recording, sim.truth
    third = truth.iloc[2]
    cut = round(0.5 * (third.ecc_start_s + third.ecc_end_s) * rec.sampling_rate_hz)
    reps = _reps("leg-raise", rec.acc[:cut], rec.gyr[:cut])
    assert len(reps) == 3
    assert [rep.in_gap for rep in reps] == [False, False, True]
    whole = _reps("leg-raise", rec.acc, rec.gyr)
    assert not any(rep.in_gap for rep in whole)


def _crunches() -> tuple[np.ndarray, np.ndarray, float, list[tuple[float, float]]]:
    """A clean reverse-crunch set at 3-1-3, 104 Hz: acc, gyr, rate, truth (rise start, end)."""
    sim = simulate_session(SessionSpec("reverse-crunch", seed=7, sets=1, reps=8,
                                       tempo=Tempo(3, 1, 3), sampling_rate_hz=104))
    rises = list(zip(sim.truth["con_start_s"], sim.truth["con_end_s"], strict=True))
    return sim.recording.acc, sim.recording.gyr, sim.recording.sampling_rate_hz, rises


def test_a_rep_the_recording_begins_in_is_not_judged() -> None:
    """A recording begun mid-rise (the sensor connected, or a part cut into a rep): the
    rise read 1.9 s of 3 s and 34 deg of 47, "off tempo". Its start is unknown: counted,
    not judged. The reps after it, begun from rest, are judged."""
    acc, gyr, fs, rises = _crunches()
    start, end = rises[2]
    cut = round(0.5 * (start + end) * fs)
    reps = _reps("reverse-crunch", acc[cut:], gyr[cut:])
    assert len(reps) == 6
    assert [rep.in_gap for rep in reps] == [True] + [False] * 5
    whole = _reps("reverse-crunch", acc, gyr)
    assert len(whole) == 8 and not any(rep.in_gap for rep in whole)


@pytest.mark.parametrize(("lost_from", "lost_to", "judged"), [
    (-0.5, 0.6, [True, True, False] + [True] * 5),  # the rise began in the gap
    (-0.6, -0.4, [True] * 8),  # the data came back 0.4 s before the rise: begun from rest
])
def test_a_rep_begun_in_a_data_gap_is_not_judged(
        lost_from: float, lost_to: float, judged: list[bool]) -> None:
    """The rise of the third rep began while the sensor was lost (0.5 s before it to 0.6 s
    into it): the rep read 2.4 s up of 3 s, "off tempo". It is counted and not judged; a rep begun
    from rest after the data came back is judged as any other."""
    acc, gyr, fs, rises = _crunches()
    start = rises[2][0]
    lost = slice(round((start + lost_from) * fs), round((start + lost_to) * fs))
    acc, gyr = acc.copy(), gyr.copy()
    acc[lost] = np.nan
    gyr[lost] = np.nan
    reps = _reps("reverse-crunch", acc, gyr)
    assert [not rep.in_gap for rep in reps] == judged


@pytest.mark.parametrize(("exercise", "tempo"), [("reverse-crunch", Tempo(3, 1, 3)),
                                               ("hanging-leg-raise", Tempo(2, 1, 2))])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_rep_after_a_gap_that_lost_the_rep_before_is_judged(
        seed: int, exercise: str, tempo: Tempo) -> None:
    """The sensor was lost from the third rep's start until 1 s before its lowering ended,
    and the fourth rep began 0.5-0.9 s after that lowering. What moved at the resume was the
    lost rep's lowering: it had made the fourth rep "over a gap" (not judged, and not one of
    those the live note counts across the loss) or an 8-11 deg wind-up. The fourth rep is
    seen whole: judged, with no wind-up. Hanging, the lowering also read as a 27-31 deg body
    swing; now 1.5-5.5 deg (the swing's channel still settles after the gap: one of these
    three reads just over the 5 deg of a body_swing fault)."""
    sim = simulate_session(SessionSpec(exercise, seed=seed, sets=1, reps=8,
                                       tempo=tempo, sampling_rate_hz=104))
    truth, fs = sim.truth, sim.recording.sampling_rate_hz
    acc, gyr = sim.recording.acc.copy(), sim.recording.gyr.copy()
    lost = slice(round(truth.con_start_s[2] * fs), round((truth.ecc_end_s[2] - 1.0) * fs))
    acc[lost] = np.nan
    gyr[lost] = np.nan
    reps = _reps(exercise, acc, gyr)
    assert len(reps) == 7  # the third, done while the sensor was lost, is not seen
    for chunk in (0, 1, 7, 333):  # read alike however the stream is cut
        assert stream_reps(RepAnalyzer(get_profile(exercise), 104.0), acc, gyr,
                           chunk) == reps
    after = min(reps, key=lambda r: abs(r.con_start_s - truth.con_start_s[3]))
    assert abs(after.con_start_s - truth.con_start_s[3]) < 0.2
    assert not after.in_gap
    assert after.windup_deg < 1.0
    whole = _reps(exercise, sim.recording.acc, sim.recording.gyr)
    assert abs(after.windup_deg - whole[3].windup_deg) < 1.0
    assert after.body_swing_deg < whole[3].body_swing_deg + 5.0


def test_a_resume_is_looked_for_within_the_rows_every_chunking_keeps() -> None:
    from imu.core.analyzer import AnalyzerParams
    from imu.core.metrics import RESUME_SEARCH_S

    assert AnalyzerParams().context_s > RESUME_SEARCH_S
