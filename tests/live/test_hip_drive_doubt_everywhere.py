"""One reason for one uncertain hip drive: the terminal, the live screens and the page.

The report's page worked out why a hip drive is uncertain from what its certainty was
computed from (:func:`imu.report.coaching.doubt`: "too slow to be sure: 16°/s at its
fastest" for a 21° burst), while the terminal's table of hip drives and every live screen
still said "may be sway" for the same drive. Each now gives the page's reason.
"""

from __future__ import annotations

import dataclasses
import html

import pytest

from imu.core.metrics import Rep, TempoTolerance
from imu.exercises import get_profile
from imu.live.events import hip_drive_uncertain, live_correction, rep_row, uncertain_words
from imu.live.views import rep_line
from imu.report import reps_table
from imu.report.coaching import doubt
from imu.report.html import rep_badges
from imu.report.terminal import reps_view
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, terminal_text

STRICT = get_profile("standing-strict")
TEMPO = parse_tempo("2-0-2")


def _drive(rom_deg: float, peak_dps: float, certainty: float | None = None) -> Rep:
    """A hip drive whose certainty is what its range and peak rate give (the analyzer's
    margin, :func:`imu.core.labels.count_confidence`), or ``certainty`` when lower."""
    if certainty is None:
        margin = min(rom_deg / STRICT.confidence_base_deg, peak_dps / STRICT.min_velocity_dps)
        certainty = (margin - 1.0) / 2.0
    return dataclasses.replace(make_rep(1, 1, 22.0, swing=True, rom_deg=rom_deg),
                               peak_concentric_dps=peak_dps, count_confidence=certainty)


DRIVES = {
    # 21° turned at 16°/s at most: too slow (the trial's burst), never "barely above noise".
    "slow": _drive(21.0, 16.0),
    # Just over the smallest hip drive: too small.
    "small": _drive(7.0, 60.0),
    # Big and fast, but its certainty is lower than both give: the noise before it.
    "noise": _drive(20.0, 90.0, 0.2),
}


@pytest.mark.parametrize("kind", list(DRIVES))
def test_every_view_gives_the_pages_reason(kind: str) -> None:
    rep = DRIVES[kind]
    table = reps_table([rep])
    row = table.iloc[0].to_dict()
    why = doubt(row, STRICT)
    assert why.kind == kind
    assert doubt(rep_row(rep), STRICT) == why  # the live rep reads as its table row
    reason = f"uncertain: may not be a hip drive ({why.brief})"
    # The page's badge.
    badges = html.unescape(" ".join(rep_badges(row, TEMPO, STRICT)))
    assert f"{reason}; not counted" in badges
    # The terminal's table of hip drives (imu analyze, and the end of imu live).
    flat = " ".join(terminal_text(reps_view(table, strict=True, profile=STRICT),
                                  width=200).split())
    assert f"{reason}; not counted in the advice" in flat
    # The live screens: the plain line, the panel's and the page's correction, the words.
    assert rep_line(rep, TEMPO, TempoTolerance(), profile=STRICT).endswith(
        f"; {reason}; not counted")
    fix = live_correction(rep, TEMPO, TempoTolerance(), profile=STRICT)
    assert fix is not None and fix.uncertain and fix.cue == f"{reason}; not counted"
    assert uncertain_words(rep, "hip drive", profile=STRICT) == f"{reason}; not counted"
    assert hip_drive_uncertain(rep, STRICT) == f"{reason}; not counted"
    for text in (badges, flat, fix.cue):
        assert "sway" not in text


def test_the_trials_burst_is_too_slow_everywhere() -> None:
    rep = DRIVES["slow"]
    line = rep_line(rep, TEMPO, TempoTolerance(), profile=STRICT)
    assert line == ("hip drive at 22 s: pelvis moved 21 deg; uncertain: may not be a hip "
                    "drive (too slow to be sure: 16°/s at its fastest); not counted")


def test_without_the_profile_no_reason_is_guessed() -> None:
    rep = DRIVES["slow"]
    assert hip_drive_uncertain(rep, None) == "uncertain: may not be a hip drive; not counted"
    flat = " ".join(terminal_text(reps_view(reps_table([rep]), strict=True), width=200).split())
    assert "uncertain: may not be a hip drive; not counted in the advice" in flat
