"""Coaching words a new user read as contradictory or wrong (trial of reverse crunches).

A 3-1-3 session analysed without --tempo was judged against the reverse crunch's default
2-1-2, and nothing said the tempo was a default; "fix first: Lower a little faster" (3.0 s
against 2 s) stood above a verdict telling them to train at 2-1-3, the 3 s descent they did
already; and "a little" was said of a 3.0 s descent against 0.2 s prescribed (15 times).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from imu.core.metrics import Rep
from imu.exercises import get_profile
from imu.io.recording import Recording, RecordingMeta, write_recording
from imu.report import reps_table
from imu.report.coaching import default_tempo_words, session_verdict, tempo_by_default
from imu.report.summary import summarize, tempo_cue, tempo_findings
from imu.tempo import parse_tempo
from tests.report.helpers import make_set

CRUNCH = get_profile("reverse-crunch")
T212 = parse_tempo("2-1-2")


def _flat(text: str) -> str:
    """Terminal text as one line (the console wraps long lines)."""
    return " ".join(text.split())


# --------------------------------------------------------------------- 3: scaled wording


@pytest.mark.parametrize(
    ("prescription", "up_s", "cue"),
    [
        ("2-1-2", 2.6, "Come up a little faster"),  # 1.3 times
        ("2-1-2", 3.0, "Come up a little faster"),  # 1.5 times, as printed: still a little
        ("2-1-2", 5.0, "Come up faster"),  # 2.5 times
        ("1-1-2", 3.0, "Come up faster"),  # 3 times
        ("0.2-1-2", 3.0, "Come up much faster"),  # 15 times
        ("3-1-2", 2.2, "Take a little longer on the way up"),
        ("3-1-2", 1.2, "Take longer on the way up"),
        ("3-1-2", 0.6, "Take much longer on the way up"),
    ],
)
def test_the_up_cue_scales_with_how_far_off_it_was(prescription: str, up_s: float,
                                                   cue: str) -> None:
    tempo = parse_tempo(prescription)
    reps = reps_table(make_set(1, 6, 0.0, 9.0, concentric_s=up_s, top_hold_s=1.0,
                               eccentric_s=2.0, tempo_ok=False))
    [found] = tempo_findings(reps, CRUNCH, tempo)
    assert found.phase == "up" and found.cue == cue


def test_the_hold_and_descent_cues_scale_too() -> None:
    assert tempo_cue("top hold", True, 0.8, 1.0) == "Hold the top a little longer"
    assert tempo_cue("top hold", True, 0.4, 1.0) == "Hold the top longer"
    assert tempo_cue("top hold", True, 0.2, 1.0) == "Hold the top much longer"
    assert tempo_cue("top hold", False, 1.3, 1.0) == "Shorten the top hold a little"
    assert tempo_cue("top hold", False, 4.0, 1.0) == "Make the top hold much shorter"
    assert tempo_cue("top hold", False, 1.0, 0.0) == "Do not hold at the top"
    assert tempo_cue("down", True, 2.2, 3.0) == "Slow the descent a little"
    assert tempo_cue("down", True, 1.2, 3.0) == "Slow the descent"
    assert tempo_cue("down", True, 0.5, 3.0) == "Slow the descent much more"
    assert tempo_cue("hold", True, 10.0, 45.0) == "Hold much longer"  # a plank


def test_a_fast_prescription_is_not_missed_by_a_little() -> None:
    """--tempo 0.2-0-0.2 on 3-1-3 reps: "Come up a little faster ... 3.0 s against 0.2 s"."""
    reps = reps_table(make_set(1, 8, 0.0, 9.0, concentric_s=3.0, top_hold_s=1.0,
                               eccentric_s=3.0, tempo_ok=False))
    summary = summarize(reps, CRUNCH, parse_tempo("0.2-0-0.2"))
    texts = [f.text for f in (*summary.fixes, *summary.also)]
    assert any(t.startswith("Come up much faster:") and "3.0 s (median) against 0.2 s" in t
               for t in texts)
    assert not any("a little" in t for t in texts)


# --------------------------------------------------- 2: a slower descent is no fault


def _slow_descents(n: int = 8, eccentric_s: float = 3.0) -> list[Rep]:
    """3-1-3 reps (clean, off the 2-1-2 tempo) in one set."""
    return make_set(1, n, 0.0, 9.0, concentric_s=2.0, top_hold_s=1.0,
                    eccentric_s=eccentric_s, tempo_ok=False)


def test_a_slower_descent_is_a_note_not_a_fix() -> None:
    reps = reps_table(_slow_descents())
    summary = summarize(reps, CRUNCH, T212)
    every = [*summary.fixes, *summary.also]
    assert not any(f.phase == "down" for f in every)
    assert not any("faster" in f.text.lower() for f in every)
    text = summary.advice.text
    assert text == (
        "Keep this variant for now: your best set had 8 clean reps, all with a 3 s descent; "
        "about 15 clean reps with a 3 s descent in one set suggest progressing to a harder "
        "variant. Your descents took 3.0 s (median), slower than the 2 s prescribed: fine, "
        "slow descents are the point of this exercise; to prescribe them, give --tempo 2-1-3."
    )
    assert "work towards" not in text  # they lower in the bar's 3 s already
    # The session table's verdict (no tempo given: recovered from eccentric_ratio) agrees.
    table = reps.assign(eccentric_ratio=reps["eccentric_s"] / 2.0)
    assert session_verdict(table, CRUNCH).text == text


def test_the_tempo_named_prescribes_slower_ups_too() -> None:
    """Trial 22: 3-1-3 reps judged at the default 2-1-2 were told "Come up faster" and "give
    --tempo 2-1-3"; following it, still "Come up faster": the ups took 3.1 s."""
    reps = reps_table(make_set(1, 8, 0.0, 9.0, concentric_s=3.1, top_hold_s=1.0,
                               eccentric_s=3.0, tempo_ok=False))
    text = session_verdict(reps, CRUNCH, T212).text
    assert text.endswith("to prescribe them, give --tempo 3-1-3."), text
    # Faster ups are never prescribed (a fast up is a swing feature): the descent alone.
    quick = reps_table(make_set(1, 8, 0.0, 9.0, concentric_s=1.2, top_hold_s=1.0,
                                eccentric_s=3.0, tempo_ok=False))
    assert "give --tempo 2-1-3." in session_verdict(quick, CRUNCH, T212).text


def test_work_towards_the_bar_only_while_the_descent_is_short_of_it() -> None:
    on_tempo = reps_table(make_set(1, 8, 0.0, 9.0, eccentric_s=2.0))
    text = session_verdict(on_tempo, CRUNCH, T212).text
    assert "this session prescribed a 2 s descent. To work towards it, train at tempo 2-1-3" \
        in text
    # Slower than prescribed but still short of 3 s: the note, and the bar's tempo to train at.
    between = reps_table(_slow_descents(eccentric_s=2.6))
    text = session_verdict(between, CRUNCH, T212).text
    assert "Your descents took 2.6 s (median), slower than the 2 s prescribed: fine" in text
    assert text.endswith("To work towards it, train at tempo 2-1-3 (2 s up, 1 s hold at the "
                         "top, 3 s down).")
    # At the bar already: never told to work towards it.
    at_bar = reps_table(_slow_descents(eccentric_s=3.0))
    assert "work towards" not in session_verdict(at_bar, CRUNCH, T212).text


def test_the_note_names_the_descent_done_and_other_verdicts_carry_it() -> None:
    # Far slower than a 3 s prescription: fine, and the tempo that prescribes it.
    slow = reps_table(_slow_descents(eccentric_s=5.1))
    assert session_verdict(slow, CRUNCH, parse_tempo("3-1-3")).text.endswith(
        "Your descents took 5.1 s (median), slower than the 3 s prescribed: fine, slow "
        "descents are the point of this exercise; to prescribe them, give --tempo 3-1-5.")
    # Progress verdict (15 clean reps with the 3 s descent) and an exercise without a bar.
    progress = session_verdict(reps_table(_slow_descents(15)), CRUNCH, T212)
    assert progress.kind == "progress" and "slower than the 2 s prescribed" in progress.text
    leg = session_verdict(reps_table(_slow_descents()), get_profile("leg-raise"), T212)
    assert leg.text.startswith("Keep this variant: no progression or regression suggested. "
                               "Your descents took 3.0 s (median), slower than the 2 s")
    # On tempo: no note.
    assert "slower" not in session_verdict(reps_table(make_set(1, 8, 0.0, 9.0)), CRUNCH,
                                           T212).text


# ------------------------------------------------------------- 1: a default tempo says so


def test_the_default_tempo_is_named_as_such() -> None:
    meta = make_meta(tempo=None)
    assert default_tempo_words(CRUNCH) == "the reverse crunch's default; give yours with --tempo"
    assert default_tempo_words(get_profile("reverse-hip-raise")).startswith(
        "the reverse hip raise's default")
    assert tempo_by_default(CRUNCH, T212, meta, given=False)
    assert tempo_by_default(CRUNCH, T212, meta)  # the HTML report: cannot tell, the default
    assert not tempo_by_default(CRUNCH, T212, meta, given=True)
    assert not tempo_by_default(CRUNCH, parse_tempo("3-1-3"), meta)
    # The recording's own prescription for this exercise is nobody's default...
    assert not tempo_by_default(CRUNCH, T212, make_meta(tempo="2-1-2"), given=False)
    # ...unless it was made for another exercise (then the default is used).
    other = make_meta(tempo="1-45-1", exercise="plank")
    assert tempo_by_default(CRUNCH, T212, other, given=False)


def make_meta(tempo: str | None, exercise: str = "reverse-crunch") -> RecordingMeta:
    """The metadata of a recording with the given prescription and exercise."""
    from tests.report.helpers import make_recording

    meta = make_recording(reps_per_set=(1,), rest_s=1.0).meta
    return dataclasses.replace(meta, tempo=tempo, exercise=exercise)


def test_analyze_says_the_tempo_is_the_default(
    recording: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from imu.cli import main

    assert recording.meta.tempo is None  # the helper records no prescription
    path = write_recording(recording, tmp_path / "s.parquet")
    assert main(["analyze", str(path), "-e", "reverse-crunch", "--out",
                 str(tmp_path / "d")]) == 0
    out = _flat(capsys.readouterr().out)
    assert ("reps in 2 sets of reverse crunch, tempo 2-1-2 (the reverse crunch's default; "
            "give yours with --tempo), time under tension") in out
    # The words, without the span that keeps the tempo on one line.
    html = re.sub(r"</?span[^>]*>", "", (tmp_path / "d" / "report.html").read_text())
    assert "prescribed tempo 2-1-2 (up-hold-down, s) — the reverse crunch&#x27;s default; " \
        "give yours with --tempo" in html
    # Given, it is theirs: no note.
    assert main(["analyze", str(path), "-e", "reverse-crunch", "--tempo", "2-1-2", "--out",
                 str(tmp_path / "g")]) == 0
    out = _flat(capsys.readouterr().out)
    assert "of reverse crunch, tempo 2-1-2, time under tension" in out
    assert "default" not in out
