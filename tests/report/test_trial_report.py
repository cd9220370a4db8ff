"""What a new user's trial of ``imu analyze`` found on the page and the terminal.

1. Uncertain reps counted clean in one place and not in another ("4 clean reps" on the card,
   5 + 1 in the set lines, "Clean reps 50%" in the details, "best set had 1 clean rep").
2. A standing strict lift done strictly (no hip drive) read as a failure: "0 reps · - on
   tempo · 0 clean reps" and an empty "no reps" plot.
3. The terminal listed the faults of a rep over a data gap, which no count judges (the sets
   table said 0 faults; the page marks them "not judged").
4. Mixed precision: "1.04" and "1.001" beside one-decimal values, "lasted 1.3-2.49 s".
5. One thing under five names ("leg toss", "swing (momentum)", "swung up (a kip)"), a badge
   in jargon ("swing: 3/3 signs, peak at 32% of the way up"), a garbled line ("Uncertain
   reps with one, not counted").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console

from imu.exercises import get_profile
from imu.io import read_recording
from imu.report import SessionReport, analyze_recording, reps_table
from imu.report.coaching import session_verdict
from imu.report.html import render_html, rep_badges
from imu.report.plots import angle_figure
from imu.report.summary import rule_short_hold, rule_swing, summarize
from imu.report.tables import near_limit, phase_text, session_table, sets_table
from imu.report.terminal import reps_view
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set

ROOT = Path(__file__).resolve().parents[2]
CRUNCH = get_profile("reverse-crunch")
T313 = parse_tempo("3-1-3")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _printed(renderable: object, width: int = 140) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _report(reps: pd.DataFrame, profile_name: str = "reverse-crunch",
            tempo: str = "3-1-3") -> SessionReport:
    """A report of hand-built reps (the recording's trace and metadata are the bundled one's)."""
    base = analyze_recording(read_recording(ROOT / "recordings" / "reverse_crunch.parquet"),
                             profile_name, parse_tempo(tempo))
    sets = sets_table(reps)
    session = session_table(reps, sets, base.profile, base.tempo, base.meta, 300.0)
    return replace(base, reps=reps, sets=sets, session=session)


# --------------------------------------------------------------------------- 1. uncertain


def _with_uncertain() -> pd.DataFrame:
    """Four 3-1-3 reps with a 3 s descent: rep 2 uncertain (no fault), rep 3 a partial range."""
    reps = make_set(1, 4, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[1] = dataclasses.replace(reps[1], count_confidence=0.2)
    reps[2] = dataclasses.replace(reps[2], faults=frozenset({"partial_rom"}))
    return reps_table(reps)


def test_an_uncertain_rep_is_never_counted_clean_anywhere() -> None:
    reps = _with_uncertain()
    assert reps["clean"].tolist() == [True, False, False, True]
    sets = sets_table(reps)
    # The clean run skips the uncertain rep (as a rep over a gap): rep 1, then the fault.
    assert int(sets["clean_reps"].iloc[0]) == 2
    assert int(sets["clean_reps_before_first_fault"].iloc[0]) == 1
    summary = summarize(reps, CRUNCH, T313)
    assert summary.clean_reps == 2 and summary.uncertain_count == 1
    report = _report(reps)
    assert float(report.session["clean_share"].iloc[0]) == 0.5  # 2 of 4, as the card
    text = _text(render_html([report]))
    card = text[text.index("Summary"):text.index("Reps by set")]
    assert "2 clean reps (no form fault; 1 uncertain not counted)" in card
    assert "4 reps: 2 clean (no form fault; 1 uncertain not counted), 1 clean before" in text
    assert "Clean reps, no form fault (%) 50%" in text
    assert ("Uncertain reps: never counted clean, left out of the swing and fault shares 1"
            in text)
    verdict = session_verdict(reps, CRUNCH, T313).text
    assert "your best set had 2 clean reps (1 uncertain not counted), all with a 3 s" in verdict


def test_a_table_written_before_the_rule_is_read_by_it() -> None:
    """A reps table whose ``clean`` still counts an uncertain rep: the verdict does not."""
    reps = _with_uncertain().assign(clean=[True, True, False, True])
    assert "best set had 2 clean reps" in session_verdict(reps, CRUNCH, T313).text


def test_only_uncertain_reps_are_not_clean_and_not_kept_up() -> None:
    """The bundled plank analysed as reverse crunches: two uncertain "reps". The card said 0
    clean, the set lines 1 clean each, the details 100% and the verdict "1 clean rep"."""
    report = analyze_recording(read_recording(ROOT / "recordings" / "plank.parquet"),
                               "reverse-crunch")
    assert not (report.reps["count_confidence"] >= 0.5).any()
    text = _text(render_html([report]))
    assert "0 clean reps (no form fault; 2 uncertain not counted)" in text
    assert ": 1 clean" not in text and "keep it up" not in text
    assert "Both reps found are uncertain" in text
    assert "Clean reps, no form fault (%) 0%" in text
    assert "your best set had no clean reps" in str(report.session["verdict"].iloc[0])


# --------------------------------------------------------------------------- 2. strict lift


def _still_curls(tmp: Path) -> SessionReport:
    rec = read_recording(ROOT / "recordings" / "standing_curl.parquet")
    acc = np.tile(np.nanmedian(rec.acc, axis=0), (rec.n_samples, 1))
    still = type(rec)(acc, np.zeros_like(rec.gyr), rec.meta)
    return analyze_recording(still, "standing-strict")


def test_a_strict_lift_without_hip_drive_reads_as_strict_form(tmp_path: Path) -> None:
    report = _still_curls(tmp_path)
    assert report.reps.empty
    page = render_html([report])
    text = _text(page)
    card = text[text.index("Summary"):text.index("Hip drives No hip drive found")]
    assert "0 hip drives: the pelvis stayed still" in card
    assert "Strict form: no hip drive found" in card
    assert "0 clean reps" not in card and "on tempo" not in card and "0 reps in 0 sets" not in card
    assert "No hip drive found : the pelvis stayed still through the lifts" in text
    assert "Reps by set" not in text  # a strict lift has no sets, reps or tempo
    # The pelvis never moved: no tilt to draw, so words, not an empty frame (nor an empty
    # "no reps" plot of phases); tests/report/test_floor_report.py.
    assert page.count("<figure>") == 0 and "Nothing to plot" in page
    several = _text(render_html([report, report]))
    assert "no hip drive: strict form" in several and "0 reps, 0 clean" not in several


# --------------------------------------------------------------------------- 3. gap rep


def test_a_rep_over_a_gap_lists_no_faults_on_the_terminal_nor_the_page() -> None:
    reps = make_set(1, 3, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[1] = make_rep(1, 2, 9.0, concentric_s=3.0, eccentric_s=1.0, swing=True,
                       faults={"dropped_eccentric", "partial_rom"}, in_gap=True)
    table = reps_table(reps)
    rows = [line for line in _printed(reps_view(table)).splitlines()
            if line.split()[:2] == ["1", "2"]]
    assert len(rows) == 1 and "not judged" in rows[0]
    assert "dropped" not in rows[0] and "partial" not in rows[0] and "swing" not in rows[0]
    # The page shows what was measured, each badge marked not judged, as the terminal says.
    badges = rep_badges(table.iloc[1].to_dict(), T313, CRUNCH)
    assert len(badges) == 4 and "over a data gap: tempo not judged" in badges[-1]
    assert all("(not judged: data gap)" in b for b in badges[:-1])


# --------------------------------------------------------------------------- 4. precision


def test_durations_get_a_second_decimal_only_to_stay_on_their_side() -> None:
    # 2-1-2: the dropped line is at 1.0 s. 1.04 s is not dropped: "1.0" is not under 1.0.
    assert phase_text(1.04, "eccentric_s", 2.0) == "1.0"
    # 3-1-3: the dropped line is at 1.5 s. 1.46 s is dropped: "1.5" would say it is not.
    assert phase_text(1.46, "eccentric_s", 3.0) == "1.46"
    assert phase_text(1.51, "eccentric_s", 3.0) == "1.5"
    # The upper edge of the band (2.5 s at 2-1-2) is passed by a longer phase.
    assert phase_text(2.54, "eccentric_s", 2.0) == "2.54"
    assert phase_text(2.46, "eccentric_s", 2.0) == "2.5"
    assert near_limit(1.001, [1.0]) == "1.0"  # never three decimals
    reps = reps_table([make_rep(1, 1, 0.0, eccentric_s=1.04),
                       make_rep(1, 2, 9.0, eccentric_s=1.001)])
    reps = reps.assign(eccentric_ratio=reps["eccentric_s"] / 2.0)
    printed = _printed(reps_view(reps))
    assert "1.04" not in printed and "1.001" not in printed
    page = render_html([_report(reps, tempo="2-1-2")])
    table = re.search(r'<table class="set".*?</table>', page, re.S)
    assert table is not None
    assert "1.04" not in table.group(0) and "1.001" not in table.group(0)


def test_a_span_has_one_precision() -> None:
    """Short holds at 2-5-2 (line 2.5 s): "1.30-2.49 s", never "1.3-2.49 s"."""
    reps = reps_table([make_rep(1, 1, 0.0, top_hold_s=1.3, faults={"short_hold"}),
                       make_rep(1, 2, 9.0, top_hold_s=2.49, faults={"short_hold"})])
    finding = rule_short_hold(reps, get_profile("pelvic-tilt"), parse_tempo("2-5-2"))
    assert finding is not None and "lasted 1.30-2.49 s against 5 s" in finding.evidence


# --------------------------------------------------------------------------- 5. words


def test_a_swing_is_called_a_swing_everywhere() -> None:
    hanging = reps_table([make_rep(1, 1, 0.0, swing=True), make_rep(1, 2, 9.0)])
    finding = rule_swing(hanging, get_profile("hanging-leg-raise"), parse_tempo("2-1-2"))
    assert finding is not None and "1 of 2 reps was a swing (kip)" in finding.evidence
    crunch = analyze_recording(read_recording(ROOT / "recordings" / "reverse_crunch.parquet"),
                               "reverse-crunch", T313)
    labels = [c.get_label() for c in angle_figure(crunch).axes[0].collections]
    assert "swing (leg toss)" in labels and "swing (momentum)" not in labels
    text = _text(render_html([crunch]))
    for jargon in ("signs", "of the way up", "swung up", "momentum)"):
        assert jargon not in text.split("Every measurement")[0], jargon
    assert "swing (leg toss):" in text


def test_uncertain_faults_are_said_in_plain_words() -> None:
    reps = make_set(1, 3, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[0] = dataclasses.replace(make_rep(1, 1, 0.0, concentric_s=3.0, eccentric_s=3.0,
                                           faults={"partial_rom"}), count_confidence=0.1)
    text = _text(render_html([_report(reps_table(reps))]))
    assert "with one, not counted" not in text
    assert ("No swing or fault in the reps the analyzer is sure of. Not counted: a swing or "
            "fault in uncertain reps (set 1, rep 1).") in text
