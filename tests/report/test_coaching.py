"""Coaching verdicts (DOMAIN.md rules) on hand-built reps."""

from __future__ import annotations

from imu.exercises import get_profile
from imu.report import reps_table
from imu.report.coaching import DISCLAIMER, prescribed_eccentric_s, session_verdict
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
LEG_RAISE = get_profile("leg-raise")
HANGING = get_profile("hanging-leg-raise")
T212 = parse_tempo("2-1-2")
T313 = parse_tempo("3-1-3")


def test_progress_after_15_clean_reps_with_a_3_s_descent() -> None:
    reps = reps_table(make_set(1, 10, 0.0) + make_set(2, 15, 100.0, eccentric_s=3.0))
    verdict = session_verdict(reps, CRUNCH)
    assert verdict.kind == "progress"
    assert "Set 2: 15 clean reps with a 3 s descent" in verdict.text
    assert CRUNCH.advice_progress in verdict.text


def test_a_measured_descent_slightly_under_3_s_still_counts() -> None:
    reps = reps_table(make_set(1, 15, 0.0, eccentric_s=2.85))
    assert session_verdict(reps, CRUNCH).kind == "progress"


def test_no_progress_below_the_bar() -> None:
    fast = reps_table(make_set(1, 20, 0.0, eccentric_s=2.0))
    assert session_verdict(fast, CRUNCH).kind == "none"
    too_few = reps_table(make_set(1, 14, 0.0, eccentric_s=3.0))
    assert session_verdict(too_few, CRUNCH).kind == "none"
    spread = reps_table(make_set(1, 8, 0.0, eccentric_s=3.0) + make_set(2, 8, 99, eccentric_s=3))
    assert session_verdict(spread, CRUNCH).kind == "none"
    one_swing = make_set(1, 15, 0.0, eccentric_s=3.0)
    one_swing[7] = make_rep(1, 8, 42.0, eccentric_s=3.0, swing=True)
    assert session_verdict(reps_table(one_swing), CRUNCH).kind == "none"


def test_regress_when_back_arch_in_30_percent_of_reps() -> None:
    reps = make_set(1, 10, 0.0, rom_deg=3.0)
    for i in (1, 4, 7):
        reps[i] = make_rep(1, i + 1, 6.0 * i, rom_deg=3.0, faults={"back_arch"})
    verdict = session_verdict(reps_table(reps), LEG_RAISE)
    assert verdict.kind == "regress"
    assert "30%" in verdict.text and LEG_RAISE.advice_regress in verdict.text
    reps[7] = make_rep(1, 8, 42.0, rom_deg=3.0)
    assert session_verdict(reps_table(reps), LEG_RAISE).kind == "none"


def test_no_pelvic_rotation_for_curl_exercises() -> None:
    small = reps_table(make_set(1, 10, 0.0, rom_deg=7.0))
    for profile in (CRUNCH, HANGING):
        verdict = session_verdict(small, profile)
        assert verdict.kind == "no_rotation"
        assert "leg movement" in verdict.text
    # Leg raises keep the pelvis still: a small ROM is right there.
    assert session_verdict(small, LEG_RAISE).kind == "none"
    big = reps_table(make_set(1, 10, 0.0, rom_deg=30.0))
    assert session_verdict(big, CRUNCH).kind == "none"


def test_no_rotation_wins_over_progress() -> None:
    reps = reps_table(make_set(1, 16, 0.0, rom_deg=8.0, eccentric_s=3.0))
    assert session_verdict(reps, CRUNCH).kind == "no_rotation"


def test_no_reps() -> None:
    verdict = session_verdict(reps_table([]), CRUNCH)
    assert verdict.kind == "no_reps"
    assert "curl the pelvis" in verdict.text


def test_verdicts_never_diagnose() -> None:
    cases = [
        (reps_table(make_set(1, 15, 0.0, eccentric_s=3.0)), CRUNCH),
        (reps_table(make_set(1, 10, 0.0, rom_deg=5.0)), CRUNCH),
        (reps_table(make_set(1, 10, 0.0, faults={"back_arch"})), LEG_RAISE),
        (reps_table([]), HANGING),
    ]
    for reps, profile in cases:
        text = session_verdict(reps, profile).text.lower()
        assert "pain" not in text and "injur" not in text
    assert "never diagnoses pain or injury" in DISCLAIMER


def test_no_hip_drive_in_a_strict_lift() -> None:
    verdict = session_verdict(reps_table([]), get_profile("standing-strict"))
    assert verdict.kind == "no_reps" and "hip drive" in verdict.text


def test_keep_verdict_says_where_the_best_set_stands() -> None:
    reps = reps_table(make_set(1, 6, 0.0, eccentric_s=3.0) + make_set(2, 4, 99.0, eccentric_s=1))
    verdict = session_verdict(reps, CRUNCH, T313)
    assert verdict.kind == "none"
    assert verdict.text == (
        "Keep this variant for now: your best set (set 1) had 6 clean reps, all with a 3 s "
        "descent; about 15 clean reps with a 3 s descent in one set suggest progressing to a "
        "harder variant."
    )
    mixed = make_set(1, 6, 0.0, eccentric_s=3.0)
    mixed[:2] = make_set(1, 2, 0.0, eccentric_s=2.3)  # on tempo, but short of the bar
    text = session_verdict(reps_table(mixed), CRUNCH, T313).text
    assert "your best set had 6 clean reps, 4 of them with a 3 s descent" in text
    # Exercises without a progression bar keep the short text.
    assert session_verdict(reps, HANGING).text.startswith("Keep this variant: no progression")


def test_a_shorter_prescribed_descent_is_named_not_counted_as_zero() -> None:
    """At 2-1-2 (the live default) clean reps are not "0 clean reps with a 3 s descent"."""
    reps = reps_table(make_set(1, 4, 0.0, eccentric_s=2.0))
    verdict = session_verdict(reps, CRUNCH, T212)
    assert verdict.kind == "none"
    assert "0 clean" not in verdict.text and "best set had 0" not in verdict.text
    assert verdict.text == (
        "Keep this variant for now: your best set had 4 clean reps, none with a 3 s descent. "
        "About 15 clean reps with a 3 s descent in one set suggest progressing to a harder "
        "variant; this session prescribed a 2 s descent. To work towards it, train at tempo "
        "2-1-3 (2 s up, 1 s hold at the top, 3 s down)."
    )
    # Without the tempo (the session table), the prescription comes from eccentric_ratio.
    table = reps.assign(eccentric_ratio=reps["eccentric_s"] / 2.0)
    assert session_verdict(table, CRUNCH).text == verdict.text
    assert prescribed_eccentric_s(table, CRUNCH) == 2.0
    assert prescribed_eccentric_s(table.drop(columns="eccentric_ratio"), CRUNCH) == 2.0
    # At a 3 s prescription the shorter-descent advice is not given.
    assert "prescribed" not in session_verdict(reps, CRUNCH, T313).text


def test_a_recording_too_short_to_hold_a_rep_says_so() -> None:
    """A 1 s recording got "the pelvis did not rotate the 6°... curl the pelvis" from every
    path but imu analyze (batch, replay, live): a verdict about a movement nobody recorded."""
    from imu.report.coaching import MIN_ANALYSIS_S

    empty = reps_table([])
    short = session_verdict(empty, get_profile("reverse-crunch"), duration_s=1.0)
    assert short.kind == "too_short" and "1.0 s recorded" in short.text
    # Long enough to analyse, but ended before a rep could be finished: said so (below).
    early = session_verdict(empty, get_profile("reverse-crunch"), duration_s=MIN_ANALYSIS_S + 1)
    assert early.kind == "too_short" and "before a rep was finished" in early.text
    long_enough = session_verdict(empty, get_profile("reverse-crunch"), duration_s=60.0)
    assert long_enough.kind == "no_reps"


def test_a_session_stopped_before_its_first_rep_is_told_so_not_coached() -> None:
    """Trial item 9, in the saved report: ``imu live`` said "stopped after 5 s, before a rep
    was finished", but the session table's verdict (and report.html, and ``imu analyze`` of
    the recording) still gave "No reps found: the pelvis did not rotate the 6°... curl the
    pelvis"."""
    from imu.report.coaching import EARLY_STOP_MIN_S, early_stop_s
    from imu.report.summary import summarize

    empty = reps_table([])
    crunch = get_profile("reverse-crunch")
    verdict = session_verdict(empty, crunch, T212, duration_s=5.2)
    assert verdict.kind == "too_short"
    assert verdict.text == "Stopped after 5 s, before a rep was finished: nothing to coach yet."
    # The page's summary gives the table's verdict when it is told the duration.
    advice = summarize(empty, crunch, T212, duration_s=5.2).advice
    assert advice == verdict
    # Three reps' time at the tempo with a 2 s pause (2-1-2: 21 s), 20 s at least.
    assert early_stop_s(crunch, T212) == 21.0
    assert early_stop_s(crunch, parse_tempo("1-0-1")) == EARLY_STOP_MIN_S
    assert session_verdict(empty, crunch, T212, duration_s=20.9).kind == "too_short"
    assert session_verdict(empty, crunch, T212, duration_s=21.0).kind == "no_reps"
    # A plank's first hold is given its target hold and 20 s; it is a hold, not a rep.
    plank = get_profile("plank")
    held = session_verdict(empty, plank, parse_tempo("1-45-1"), duration_s=30.0)
    assert held.text == "Stopped after 30 s, before a hold was finished: nothing to coach yet."
    assert session_verdict(empty, plank, parse_tempo("1-45-1"), duration_s=66.0).kind \
        == "no_reps"
    # A standing strict lift with no hip drive is strict form, however short.
    strict = session_verdict(empty, get_profile("standing-strict"), duration_s=5.0)
    assert strict.kind == "no_reps" and "stayed still" in strict.text


def test_a_plank_verdict_speaks_of_the_time_held():
    """The plank's verdict was always 'Keep this variant: no progression or regression
    suggested', whether every hold lasted or none did."""
    import pandas as pd

    plank, tempo = get_profile("plank"), parse_tempo("1-45-1")

    def verdict(ok: list[bool], faults: list[int], held_s: float = 46.0) -> str:
        reps = pd.DataFrame({"tempo_ok": ok, "fault_count": faults, "rom_deg": 0.0,
                             "top_hold_s": held_s, "set": 1, "rep": range(1, len(ok) + 1)})
        return session_verdict(reps, plank, tempo).text

    assert "All 3 holds lasted the prescribed 45 s with no fault" in verdict([True] * 3, [0] * 3)
    assert "30-60 s" in verdict([True] * 3, [0] * 3)
    assert "2 of 3 holds were shorter than the prescribed 45 s" in verdict(
        [False, False, True], [0, 0, 0])
    assert "2 of 3 holds lasted" in verdict([True, True, False], [0, 1, 0])
    # Holds within a tenth under the target are long enough, and the verdict says so rather
    # than claim the whole prescription was held (41.6 and 40.5 s "lasted the prescribed 45 s").
    within = verdict([True] * 3, [0] * 3, held_s=41.6)
    assert "were long enough (the prescribed 45 s, or within a tenth of it)" in within
    assert "lasted the prescribed" not in within
    # A hold over a data gap lasted an unknown time: left out and said so.
    gapped = pd.DataFrame({"tempo_ok": [True, True, False], "fault_count": 0, "rom_deg": 0.0,
                           "top_hold_s": [46.0, 47.0, 20.0], "in_gap": [False, False, True],
                           "set": 1, "rep": [1, 2, 3]})
    text = session_verdict(gapped, plank, tempo, lost_s=8.0).text
    assert "All 2 holds lasted the prescribed 45 s (1 over a data gap, not judged)" in text
    # Nothing lost: the last hold was cut by the recording's end (stopped mid-plank; trial
    # 23 was told "Samples were lost ... keep the sensor close to the receiver").
    text = session_verdict(gapped, plank, tempo).text
    assert "(1 cut by the recording's start or end, not judged)" in text
    only = gapped.iloc[2:].reset_index(drop=True)
    text = session_verdict(only, plank, tempo).text
    assert text.startswith("The recording began or ended during the hold, so it could not "
                           "be timed") and "sensor" not in text
    assert "Samples were lost" in session_verdict(only, plank, tempo, lost_s=8.0).text
    # A crunch recording analysed as a plank: 3 s "holds" are reps of another exercise.
    assert "look like reps, not a held plank" in verdict([False] * 7, [1] * 7, held_s=3.3)


def test_a_strict_lift_is_judged_by_the_hip_drive_it_is_sure_of() -> None:
    """Real belt data: a correct-form set with one burst barely above the noise was told
    "fix first: keep the pelvis still, 1 of 1 rep was driven by the hips", and a set whose
    9 lifts were all hip-driven was told "Keep this variant: no progression or regression"."""
    import dataclasses

    from imu.report.summary import summarize

    strict, tempo = get_profile("standing-strict"), parse_tempo("2-0-2")
    sure = [dataclasses.replace(make_rep(1, k, 10.0 * k, swing=True), count_confidence=0.9)
            for k in range(1, 10)]
    driven = reps_table(sure)
    verdict = session_verdict(driven, strict, tempo)
    assert verdict.kind == "regress" and verdict.text.startswith("9 hip drives:")
    assert "Lighten the load" in verdict.text
    [fix] = [f for f in summarize(driven, strict, tempo).fixes if f.rule == "swing"]
    assert fix.evidence.startswith("9 hip drives: the pelvis moved up to 40° to drive the weight")
    assert "of 9" not in fix.evidence and "reps" not in fix.evidence
    assert "peak speed" not in fix.evidence  # the swing features are not why, by definition

    noise = reps_table([dataclasses.replace(sure[0], count_confidence=0.2)])
    verdict = session_verdict(noise, strict, tempo)
    # Why it is uncertain, from what its certainty came from: a 40° burst at a sure rate
    # whose certainty is lower still stood too little clear of the noise before it.
    assert verdict.kind == "none" and "not clear of the noise" in verdict.text
    assert "barely above" not in verdict.text and "Check it" in verdict.text
    assert not [f for f in summarize(noise, strict, tempo).fixes if f.rule == "swing"]


def test_a_plank_verdict_with_faults_never_says_keep_this_hold():
    """"Fix first: Shorten the hold until it is steady" stood above "3 of 3 holds lasted the
    prescribed 45 s: keep this variant and this hold"."""
    from imu.report.summary import summarize

    plank, tempo = get_profile("plank"), parse_tempo("1-45-1")
    holds = [make_rep(1, k + 1, 60.0 * k, concentric_s=1.0, top_hold_s=46.0, eccentric_s=1.0,
                      rom_deg=0.0, faults=["shaking"] if k else []) for k in range(3)]
    summary = summarize(reps_table(holds), plank, tempo)
    assert summary.fixes[0].cue == "Shorten the hold until it is steady"
    text = summary.advice.text
    assert "this hold" not in text and "keep this variant" in text
    assert "2 had a fault (shaking)" in text and "before holding longer" in text
    # With no fault, the hold is kept.
    clean = summarize(reps_table([make_rep(1, 1, 0.0, concentric_s=1.0, top_hold_s=46.0,
                                           eccentric_s=1.0, rom_deg=0.0)]), plank, tempo)
    assert "no fault: keep this variant" in clean.advice.text


def test_a_walk_with_no_rep_is_told_it_was_a_walk() -> None:
    """With no rep and 20 s or more of walking, the verdict is about the walk, not "the
    pelvis did not rotate ... curl the pelvis"; a plank's in holds. Under 20 s (a few steps
    to the mat before a set never done), the movement verdict stays."""
    empty = reps_table([], get_profile("reverse-crunch"))
    crunch, plank = get_profile("reverse-crunch"), get_profile("plank")
    walk = session_verdict(empty, crunch, duration_s=130.0, walked_s=111.0)
    assert walk.kind == "no_reps"
    assert walk.text.startswith("No reps found: the recording looks like walking (111 s of ")
    assert "curl" not in walk.text
    held = session_verdict(reps_table([], plank), plank, duration_s=130.0, walked_s=60.0)
    assert held.text.startswith("No holds found: the recording looks like walking (60 s")
    few_steps = session_verdict(empty, crunch, duration_s=130.0, walked_s=8.0)
    assert "did not rotate" in few_steps.text
