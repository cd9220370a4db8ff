"""Coaching verdicts (DOMAIN.md rules) on hand-built reps."""

from __future__ import annotations

from imu.exercises import get_profile
from imu.report import reps_table
from imu.report.coaching import DISCLAIMER, session_verdict
from tests.report.helpers import make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
LEG_RAISE = get_profile("leg-raise")
HANGING = get_profile("hanging-leg-raise")


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
    verdict = session_verdict(reps, CRUNCH)
    assert verdict.kind == "none"
    assert verdict.text == (
        "Keep this variant for now: your best set had 6 clean reps with a 3 s descent; about "
        "15 suggest progressing to a harder variant."
    )
    # Exercises without a progression bar keep the short text.
    assert session_verdict(reps, HANGING).text.startswith("Keep this variant: no progression")
