"""The badge of an uncertain hip drive (a standing strict lift) in the HTML report.

Found trying the tool: an uncertain hip drive's badge read "uncertain: may not be a hip drive
(certainty low); its swing and faults not counted", as if the drive carried a swing apart
from itself; the terminal says "not counted". The drive is the fault: it is what is not
counted. A rep of another exercise keeps its wording. The table of every measurement of a
strict lift says what its Set and tempo columns mean for a hip drive.
"""

from __future__ import annotations

import dataclasses
import re

from imu.exercises import get_profile
from imu.report import reps_table
from imu.report.html import STRICT_COLUMNS_NOTE, render_html, rep_badges
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep
from tests.report.test_trial_uncertain_strict import _drives, _report

STRICT = get_profile("standing-strict")
CRUNCH = get_profile("reverse-crunch")
TEMPO = parse_tempo("2-0-2")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _row(confidence: float, in_gap: bool = False) -> dict[str, object]:
    rep = dataclasses.replace(make_rep(1, 1, 95.0, swing=True, rom_deg=9.0, in_gap=in_gap),
                              count_confidence=confidence)
    return dict(reps_table([rep]).iloc[0].to_dict())


def test_an_uncertain_hip_drive_is_not_counted_with_no_swing_apart() -> None:
    badges = " ".join(rep_badges(_row(0.3), TEMPO, STRICT))
    text = _text(badges)
    # Its certainty (0.3) is under what its 9° and 30°/s give (0.4): the noise before it.
    assert "uncertain: may not be a hip drive (not clear of the noise: it wavered" in text
    assert "before); not counted" in text
    assert "its swing and faults" not in text
    assert "sure it was a hip drive" in badges and "sure it was a rep" not in badges


def test_an_uncertain_hip_drive_over_a_gap_says_no_more() -> None:
    text = _text(" ".join(rep_badges(_row(0.3, in_gap=True), TEMPO, STRICT)))
    assert "uncertain: may not be a hip drive (not clear of the noise" in text
    assert "not counted" not in text  # not judged at all: nothing to count


def test_an_uncertain_swing_rep_keeps_its_words() -> None:
    text = _text(" ".join(rep_badges(_row(0.3), parse_tempo("2-1-2"), CRUNCH)))
    assert "uncertain: may not be a rep (certainty low); its swing and faults not counted" in text


def test_the_table_of_every_measurement_says_what_its_set_and_tempo_columns_are() -> None:
    """Its "Set 3" and "On tempo: no" read as sets the person did, off tempo."""
    page = _text(render_html([_report(_drives(), "standing-strict")]))
    assert "Every measurement of every hip drive" in page
    assert "not sets the person did" in page and STRICT_COLUMNS_NOTE.strip()[:30] in page
