"""Three findings of a new-user trial of the report.

1. One rule for uncertain reps (``count_confidence`` under 0.5: may not be a rep): the advice
   left them out, but the session's swing and fault shares ("Reps with hips rotating 25%") and
   the sets' swing and fault counts still counted them. Now every figure leaves them out and
   the page says so where it shows the share.
2. An uncertain rep's badge read "uncertain: may not be a rep (0% sure)" beside a count that
   included it; its certainty is now named in words ("certainty very low").
3. A standing strict lift's report told "sets" (stretches of hip drives between pauses, not the
   person's sets) and "2 of 2 reps were swings" (every burst of a strict lift is a hip drive
   by definition): it now counts hip drives, placed in time.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pandas as pd

from imu.exercises import get_profile
from imu.io import read_recording
from imu.report import analyze_recording, reps_table
from imu.report.coaching import session_verdict
from imu.report.html import render_html, rep_badges, session_details
from imu.report.session import SessionReport
from imu.report.summary import findings, summarize, summary_lines
from imu.report.tables import session_table, sets_table
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set

ROOT = Path(__file__).resolve().parents[2]
BIRD_DOG = get_profile("bird-dog")
STRICT = get_profile("standing-strict")
T212 = parse_tempo("2-1-2")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@cache
def _base() -> SessionReport:
    return analyze_recording(read_recording(ROOT / "recordings" / "reverse_crunch.parquet"),
                             "reverse-crunch")


def _report(reps: pd.DataFrame, profile_name: str, tempo: str = "2-1-2") -> SessionReport:
    """A report of hand-built reps (the trace and metadata are the bundled crunch's)."""
    base = _base()
    profile, prescribed = get_profile(profile_name), parse_tempo(tempo)
    sets = sets_table(reps)
    session = session_table(reps, sets, profile, prescribed, base.meta, 300.0)
    return replace(base, reps=reps, sets=sets, session=session, profile=profile,
                   tempo=prescribed)


# --------------------------------------------------------------------------- 1. shares


def _rotating() -> pd.DataFrame:
    """Four bird-dog reps: rep 1 rotated (sure), rep 2 rotated but uncertain (0% sure)."""
    reps = make_set(1, 4, 0.0, 7.0)
    reps[0] = replace(reps[0], faults=frozenset({"hips_rotating"}))
    reps[1] = replace(reps[1], faults=frozenset({"hips_rotating"}), swing=True,
                      count_confidence=0.0)
    return reps_table(reps)


def test_the_fault_shares_leave_uncertain_reps_out_as_the_advice_does() -> None:
    reps = _rotating()
    [finding] = [f for f in findings(reps, BIRD_DOG, T212) if f.rule == "hips_rotating"]
    assert "1 of 3 reps rotated" in finding.evidence  # the advice: the 3 sure reps
    sets = sets_table(reps)
    assert int(sets["hips_rotating_count"].iloc[0]) == 1  # was 2: the uncertain rep's too
    assert int(sets["swings"].iloc[0]) == 0  # the uncertain rep's swing is not counted
    session = session_table(reps, sets, BIRD_DOG, T212, _base().meta, 60.0).iloc[0]
    assert float(session["hips_rotating_share"]) == 1 / 3  # was 2 / 4
    assert float(session["swing_share"]) == 0.0
    assert int(session["uncertain_reps"]) == 1
    assert float(session["clean_share"]) == 0.5  # never clean: 2 clean of the 4 judged


def test_the_page_says_the_shares_leave_uncertain_reps_out() -> None:
    report = _report(_rotating(), "bird-dog")
    text = _text(session_details([report], report.session))
    assert "Reps with hips rotating (%, uncertain reps left out) 33%" in text
    assert "Uncertain reps: never counted clean, left out of the swing and fault shares 1" in text
    # Without uncertain reps the labels stay as they were.
    sure = _report(_rotating().assign(count_confidence=1.0), "bird-dog")
    plain = _text(session_details([sure], sure.session))
    assert "Reps with hips rotating (%) 50%" in plain and "left out" not in plain


# --------------------------------------------------------------------------- 2. "0% sure"


def test_an_uncertain_rep_is_never_called_0_percent_sure() -> None:
    row = _rotating().iloc[1].to_dict()
    badges = _text(" ".join(rep_badges(row, T212, BIRD_DOG)))
    assert "% sure" not in badges
    assert "uncertain: may not be a rep (certainty very low); its swing and faults not counted" \
        in badges
    low = _text(" ".join(rep_badges({**row, "count_confidence": 0.4}, T212, BIRD_DOG)))
    assert "(certainty low)" in low and "% sure" not in low
    page = render_html([_report(_rotating(), "bird-dog")])
    assert "% sure" not in page


# --------------------------------------------------------------------------- 3. strict lifts


def _drives() -> pd.DataFrame:
    """Three hip drives far apart (three "sets"), the last one uncertain."""
    reps = [dataclasses.replace(make_rep(k, 1, start, swing=True, rom_deg=rom),
                                count_confidence=confidence)
            for k, (start, rom, confidence) in enumerate(
                ((23.0, 14.0, 0.9), (100.0, 12.0, 0.8), (124.0, 6.0, 0.1)), start=1)]
    return reps_table(reps)


def test_a_strict_lift_counts_hip_drives_not_reps_in_sets() -> None:
    from imu.report.summary import counted_words  # what a session line counted

    reps = _drives()
    tempo = parse_tempo("2-0-2")
    summary = summarize(reps, STRICT, tempo)
    [fix] = summary.fixes
    assert fix.evidence == ("2 hip drives: the pelvis moved up to 14° to drive the weight "
                            "(at 23 and 100 s); 1 uncertain hip drive not counted.")
    assert "were swings" not in fix.evidence and "set " not in fix.evidence
    assert summary.uncertain == "at 124 s"
    verdict = session_verdict(reps, STRICT, tempo)
    assert verdict.text.startswith("2 hip drives (1 uncertain not counted): the pelvis moved")
    lines = summary_lines(summary)
    assert lines[0] == "2 hip drives (1 uncertain not counted)"
    assert not any("clean" in line or " sets" in line for line in lines)
    assert counted_words(STRICT, 3, 3) == "3 hip drives"
    assert counted_words(BIRD_DOG, 3, 1) == "3 reps in 1 set"


def test_the_page_of_a_strict_lift_tells_hip_drives() -> None:
    report = _report(_drives(), "standing-strict", "2-0-2")
    text = _text(render_html([report]))
    card = text[text.index("Summary"):text.index("Hip drives In a standing")]
    assert "2 hip drives: the pelvis moved to drive the weight (1 uncertain not counted)" in card
    assert "in 3 sets" not in card and "on tempo" not in card and "clean" not in card
    assert "Reps by set" not in text and "Set 1" not in text
    # (the table of every measurement says its tempo columns do not apply: "a hip drive has
    # no prescribed tempo")
    assert "were swings" not in text
    assert "prescribed tempo" not in text.replace("has no prescribed tempo", "")
    assert re.search(r"Hip drive At \(s\) Pelvis moved \(°\) Notes 1 23 14 2 100 12 3 124 6 "
                     r"uncertain: may not be a hip drive \(too small to be sure: only 6°\)", text)
    details = _text(session_details([report], report.session))
    # The drives the analyzer is sure of, the uncertain one in brackets, as the card counts.
    assert "Hip drives 2 (1 uncertain not counted)" in details
    assert "Sets" not in details and "Reps with a swing" not in details
