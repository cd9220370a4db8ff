"""The progress page on small hand-made tables: the prescription in force each week, only the
measures the exercise's profile judges, and the words of a choice between exercises."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu import research
from imu.exercises import FAULTS, get_profile
from imu.report.coaching import session_verdict
from imu.report.progress import (
    WEEKLY_COLUMNS,
    build_progress,
    headline,
    others_lines,
    render_progress_html,
    standing_text,
    weekly_columns,
)
from imu.tempo import parse_tempo

ALL_WEEKS = [f"2024-01-{d:02d}" for d in (1, 8, 15, 22, 29)] + ["2024-02-05"]


def tables(exercise: str, tempos: list[str], days: list[str] | None = None,
           participant: str = "P01", reps: int = 4) -> research.Dataset:
    """One session a week (Monday), ``reps`` reps each; session i has ``tempos[i]``."""
    days = days or ALL_WEEKS[:len(tempos)]
    rep_rows, set_rows, session_rows = [], [], []
    for i, (tempo, day) in enumerate(zip(tempos, days, strict=True)):
        sid, date = f"{participant}-{exercise}-{i}", pd.Timestamp(f"{day}T10:00Z")
        t = parse_tempo(tempo)
        for r in range(reps):
            rep_rows.append({
                "participant": participant, "exercise": exercise, "session_id": sid,
                "date": date, "tempo": tempo, "set": 1, "rep": r + 1,
                "eccentric_s": 1.0 + 0.5 * i, "concentric_s": 2.0, "top_hold_s": t.top_hold_s,
                "tut_s": 5.0, "tempo_ok": True, "swing": False, "clean": True,
                "fault_count": 0, "in_gap": False, **{f: False for f in FAULTS},
            })
        set_rows.append({"participant": participant, "exercise": exercise, "session_id": sid,
                         "date": date, "tempo": tempo, "set": 1, "clean_reps": reps})
        session_rows.append({"participant": participant, "exercise": exercise,
                             "session_id": sid, "date": date, "tempo": tempo,
                             "clean_reps_before_first_fault": reps, "clean_share": 1.0,
                             "verdict": "Keep going."})
    return research.Dataset(pd.DataFrame(rep_rows), pd.DataFrame(set_rows),
                            pd.DataFrame(session_rows))


def both(*datasets: research.Dataset) -> research.Dataset:
    return research.Dataset(*(pd.concat([getattr(d, t) for d in datasets], ignore_index=True)
                              for t in ("reps", "sets", "sessions")))


# ----------------------------------------------------------------- 2. the prescription


def test_a_changed_descent_prescription_is_the_latest_not_a_blend() -> None:
    """Three sessions at 2-1-2 then three at 3-1-3 said "against 2.5 s prescribed"."""
    progress = build_progress(tables("reverse-crunch", ["2-1-2"] * 3 + ["3-1-3"] * 3))
    text = "\n".join(headline(progress))
    assert "2.5 s" not in text
    assert progress.prescribed_eccentric_s == 3.0
    assert progress.prescriptions == (("2024-W01", 2.0), ("2024-W04", 3.0))
    assert "against the prescription (2 s, then 3 s since 2024-W04)" in text
    # the weekly table and figure use the one in force each week
    assert progress.weekly["prescribed_eccentric_s"].tolist() == [2.0] * 3 + [3.0] * 3
    page = render_progress_html(progress)
    assert "2.5 s" not in page and "Prescribed descent (s)" in page


def test_a_short_latest_prescription_is_told_with_its_history() -> None:
    """It said "Your sessions prescribed a 2.5 s descent" (a blend no session had)."""
    progress = build_progress(tables("reverse-crunch", ["3-1-3"] * 3 + ["2-1-2"] * 3))
    text = standing_text(progress)
    assert "2.5" not in text
    assert "Your last session prescribed a 2 s descent (3 s, then 2 s since 2024-W04)" in text


def test_a_changed_hold_prescription_is_the_latest_not_a_blend() -> None:
    """Planks at 1-20-1 then 1-45-1 said "Longest hold ... against 32.5 s prescribed"."""
    progress = build_progress(tables("plank", ["1-20-1", "1-20-1", "1-45-1", "1-45-1"]))
    text = "\n".join(headline(progress))
    assert "32.5" not in text
    assert progress.prescribed_hold_s == 45.0
    assert "20 s, then 45 s since 2024-W03" in text
    assert progress.weekly["prescribed_hold_s"].tolist() == [20.0, 20.0, 45.0, 45.0]
    page = render_progress_html(progress)
    assert "32.5" not in page and "Holds long enough for 32.5" not in page


def test_an_unchanged_prescription_is_told_as_before() -> None:
    progress = build_progress(tables("reverse-crunch", ["3-1-3"] * 3))
    assert progress.prescriptions == (("2024-W01", 3.0),)
    assert any(line.endswith("against 3 s prescribed.") for line in headline(progress))


# ----------------------------------------------------------------- 3. what is judged


@pytest.mark.parametrize("exercise", ["dead-bug", "bird-dog", "pelvic-tilt"])
def test_no_swing_figures_where_swing_is_not_judged(exercise: str) -> None:
    """They printed "Swung reps: 0% ... (+0.0 points a week)"."""
    progress = build_progress(tables(exercise, ["2-1-2"] * 3))
    text = "\n".join(headline(progress))
    assert "Swing reps:" not in text and "swing_share" not in progress.weekly
    page = render_progress_html(progress)
    assert "Swing reps per week" not in page and "Swing reps (%)" not in page
    assert f"Not judged for {get_profile(exercise).title.lower()}: swing reps" in text


@pytest.mark.parametrize("exercise", ["dead-bug", "bird-dog"])
def test_no_descent_where_the_lowering_is_a_limbs(exercise: str) -> None:
    """They headlined "Descent ... against 3 s prescribed" though dropped_eccentric is not
    judged."""
    progress = build_progress(tables(exercise, ["3-1-3"] * 3))
    text = "\n".join(headline(progress))
    assert "Descent (median" not in text
    assert "the descent" in text  # named as not judged
    assert list(progress.weekly.columns) == list(weekly_columns(get_profile(exercise)))
    assert "eccentric_s_median" not in progress.weekly
    assert "Median descent" not in render_progress_html(progress)


def test_a_standing_lift_has_no_swing_share_nor_descent() -> None:
    """Every rep of a standing curl is hip drive: it printed "Swung reps: 100%"."""
    data = tables("standing-curl", ["2-0-2"] * 2)
    data.reps["swing"] = True
    progress = build_progress(data)
    text = "\n".join(headline(progress))
    assert "Swing reps" not in text and "100%" not in text and "Descent" not in text
    assert "Hip drive: every pelvic rep" in text
    assert {"swing_share", "eccentric_s_median"}.isdisjoint(progress.weekly.columns)


def test_a_reverse_crunch_keeps_every_measure() -> None:
    progress = build_progress(tables("reverse-crunch", ["3-1-3"] * 2))
    assert list(progress.weekly.columns) == list(WEEKLY_COLUMNS)
    assert not any(line.startswith("Not judged") for line in headline(progress))


def test_fault_rates_are_nan_for_what_the_exercise_does_not_judge() -> None:
    """hips_sagging_share of a dead bug was 0.0, as if judged and never seen."""
    data = both(tables("dead-bug", ["2-1-2"]), tables("reverse-crunch", ["2-1-2"]),
                tables("standing-curl", ["2-0-2"]))
    rates = research.fault_rates(data.reps, by=("exercise",)).set_index("exercise")
    bug, crunch = rates.loc["dead-bug"], rates.loc["reverse-crunch"]
    assert np.isnan(bug["hips_sagging_share"]) and np.isnan(bug["dropped_eccentric_share"])
    assert np.isnan(bug["swing_share"])
    assert bug["back_arch_share"] == 0.0 and bug["hips_rotating_share"] == 0.0
    assert bug["clean_share"] == 1.0 and bug["any_fault_share"] == 0.0
    assert crunch["swing_share"] == 0.0 and crunch["dropped_eccentric_share"] == 0.0
    assert np.isnan(crunch["back_arch_share"])
    assert rates.loc["standing-curl", "swing_share"] == 0.0  # judged (every rep is one)
    assert research.fault_rates.__doc__ and "NaN" in research.fault_rates.__doc__


# ----------------------------------------------------------------- 4. words


def test_one_hold_is_told_in_the_singular() -> None:
    """It said "All 1 holds were long enough"."""
    reps = pd.DataFrame({"tempo_ok": [True], "fault_count": [0], "rom_deg": 0.0,
                         "top_hold_s": [41.6], "set": 1, "rep": [1]})
    text = session_verdict(reps, get_profile("plank"), parse_tempo("1-45-1")).text
    assert "1 holds" not in text and "were" not in text
    assert text.startswith("The one hold was long enough (the prescribed 45 s")


def test_a_tie_says_which_exercise_and_how_to_pick_the_other() -> None:
    """Plank was picked on a 6-6 tie without a word."""
    data = both(tables("plank", ["1-30-1"] * 6), tables("reverse-crunch", ["3-1-3"] * 6))
    progress = build_progress(data)
    assert progress.exercise == "plank" and progress.tied == ("reverse-crunch",)
    lines = others_lines(progress)
    assert lines[0] == ("plank and reverse-crunch have 6 sessions each: this page is of plank "
                        "(the first by name); make reverse-crunch's with --exercise "
                        "reverse-crunch.")
    assert lines[1].startswith("Also trained: reverse-crunch (6 sessions)")
    assert build_progress(data, exercise="plank").tied == ()


def test_the_terminal_tells_the_other_exercises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The HTML said "Also trained: reverse-crunch (6 sessions)...", the terminal did not."""
    from imu.cli import main

    data = both(tables("plank", ["1-30-1"] * 6), tables("reverse-crunch", ["3-1-3"] * 6))
    root = tmp_path / "d"
    for name in ("reps", "sets", "sessions"):
        folder = root / name / "participant=P01"
        folder.mkdir(parents=True)
        getattr(data, name).drop(columns="participant").to_parquet(folder / "a.parquet")
    assert main(["progress", str(root), "--out", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "Also trained: reverse-crunch (6 sessions); make their page with --exercise." in out
    assert "this page is of plank" in out and "--exercise reverse-crunch" in out


@pytest.mark.parametrize("spelled", ["Reverse_Crunch", "reverse crunch", " REVERSE-CRUNCH "])
def test_progress_takes_the_exercise_spelled_as_every_command_does(spelled: str) -> None:
    """Found in a new-user trial: 'imu progress -e Reverse_Crunch' said "P01 has no
    'Reverse_Crunch' sessions; trained: reverse-crunch"."""
    data = both(tables("plank", ["1-30-1"] * 6), tables("reverse-crunch", ["3-1-3"] * 6))
    assert build_progress(data, exercise=spelled).exercise == "reverse-crunch"
