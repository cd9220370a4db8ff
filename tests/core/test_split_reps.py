"""A limb cycle that moves a braced pelvis twice is one rep (``SplitRepJoiner``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from imu.core.analyzer import RepAnalyzer
from imu.core.segmentation import JoinParams, RawRep, SplitRepJoiner
from imu.evaluate.config import EvalConfig, default_cases
from imu.evaluate.second import generate
from imu.evaluate.sessions import draw_spec, stream_reps
from imu.exercises import get_profile
from imu.tempo import Tempo

from .test_chunking import assert_same_reps
from .test_rests import FS, lobe

PRESCRIBED = Tempo(1, 0, 1)  # a 2 s rep, no hold: humps under 1.2 s are short


def hump(start_s: float, up_s: float, down_s: float, size: float = 3.0) -> RawRep:
    """A rep of one hump: up for ``up_s``, down for ``down_s``, from ``start_s`` (s)."""
    con = lobe(1, start_s, start_s + up_s, 0.0, size)
    ecc = lobe(-1, start_s + up_s, start_s + up_s + down_s, size, -size)
    return RawRep((con,), (ecc,), None, None)


def joiner() -> SplitRepJoiner:
    tempo = PRESCRIBED
    return SplitRepJoiner(JoinParams(
        FS, tempo.concentric_s + tempo.top_hold_s + tempo.eccentric_s, tempo.top_hold_s
    ))


def test_two_short_humps_close_together_are_one_rep_from_the_first_rise_to_the_last_fall():
    join = joiner()
    first, second = hump(10.0, 0.4, 0.3), hump(10.8, 0.4, 0.4)
    assert join.push([first], earliest_next=10.7 * FS) == []  # held: a second hump may come
    assert join.held_start == first.con_start
    (rep,) = join.push([second], earliest_next=11.6 * FS)
    assert rep.concentric == first.concentric and rep.eccentric == second.eccentric
    assert join.held_start is None and join.flush() == []


def test_a_short_rep_alone_is_released_unchanged_once_no_rep_can_start_in_the_window():
    join = joiner()
    rep = hump(10.0, 0.4, 0.3)
    assert join.push([rep], earliest_next=11.2 * FS) == []  # 0.5 s after its end: may come
    assert join.push([], earliest_next=11.4 * FS) == [rep]  # 0.7 s: nothing can join it


def test_reps_as_long_as_prescribed_or_far_apart_are_never_joined():
    join = joiner()
    long_rep = hump(10.0, 1.0, 1.0)
    assert join.push([long_rep], earliest_next=12.0 * FS) == [long_rep]
    first, late = hump(20.0, 0.4, 0.3), hump(21.5, 0.4, 0.3)  # 0.8 s between them
    assert join.push([first, late], earliest_next=22.3 * FS) == [first]
    assert join.flush() == [late]


def test_two_humps_lasting_longer_together_than_the_rep_allows_stay_two():
    join = joiner()
    first, second = hump(10.0, 0.55, 0.55), hump(11.6, 0.55, 0.55)  # 2.7 s > 1.3 x 2 s
    assert join.push([first, second], earliest_next=math.inf) == [first, second]


def _second_generator_dead_bug(seed: int) -> tuple[pd.DataFrame, list[int]]:
    case = next(c for c in default_cases(False) if c.name == "dead-bug")
    spec, tempo = draw_spec(case, seed, EvalConfig(cases=(case,)))
    gen = generate(spec)
    rec = gen.recording
    analyzer = RepAnalyzer(get_profile("dead-bug"), float(rec.sampling_rate_hz), tempo)
    reps = stream_reps(analyzer, rec.acc, rec.gyr, 20)
    return gen.truth, [r.set for r in reps]


def test_dead_bug_reps_whose_pelvis_curls_out_and_back_twice_are_counted_once():
    # The second generator's dead bug: the brace curls the pelvis as the limb goes out, the
    # leg's pull takes it back late in the extension, and the return does both again; in
    # this session (1-0-1) almost every rep moves the pelvis twice.
    truth, sets = _second_generator_dead_bug(740003)
    found = pd.Series(sets).value_counts().sort_index()
    expected = truth["set"].value_counts().sort_index()
    assert len(sets) <= len(truth)  # before the joiner: 23 reps for 18
    assert np.abs(found.to_numpy() - expected.to_numpy()).max() <= 1


def test_joined_reps_are_the_same_however_the_stream_is_cut():
    case = next(c for c in default_cases(False) if c.name == "dead-bug")
    spec, tempo = draw_spec(case, 740003, EvalConfig(cases=(case,)))
    gen = generate(spec)
    rec = gen.recording
    runs = []
    for chunk in (0, 7, 20, 333):
        analyzer = RepAnalyzer(get_profile("dead-bug"), float(rec.sampling_rate_hz), tempo)
        runs.append(stream_reps(analyzer, rec.acc, rec.gyr, chunk))
    whole = runs[0]
    assert len(whole) == len(gen.truth)  # the humps are joined (23 reps for 18 without)
    for reps in runs[1:]:
        assert_same_reps(reps, whole)
