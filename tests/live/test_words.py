"""The live screens' words (imu.live.events): one vocabulary with the report."""

from __future__ import annotations

import pytest

from imu.exercises import FAULTS, get_profile
from imu.live.events import FAULT_CUES, PHASE_NAMES, TEMPO_CUES, lost_words
from imu.report import reps_table
from imu.report.summary import TEMPO_CUES as REPORT_TEMPO_CUES
from imu.report.summary import findings
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep


@pytest.mark.parametrize("fault", FAULTS)
def test_the_correction_after_a_fault_is_the_reports_cue(fault):
    reps = reps_table([make_rep(1, 1, 0.0, faults=[fault]), make_rep(1, 2, 10.0)])
    found = findings(reps, get_profile("reverse-crunch"), parse_tempo("2-1-2"))
    assert found[0].cue.lower() == FAULT_CUES[fault]


def test_the_tempo_cues_are_the_reports():
    words = {"concentric": "up", "top_hold": "top hold", "eccentric": "down"}
    assert {(words[p], short): cue.capitalize() for (p, short), cue in TEMPO_CUES.items()} \
        == REPORT_TEMPO_CUES


def test_the_phase_names_are_plain_words():
    """The terminal said BOTTOM where the page said PAUSE."""
    assert [PHASE_NAMES[p] for p in ("concentric", "top_hold", "eccentric", "bottom_pause")] \
        == ["up", "hold", "down", "pause"]


def test_the_note_after_a_lost_sensor_says_how_much_was_lost():
    assert lost_words(7.6) == "sensor back: 8 s lost, reps done then were not counted"
    assert lost_words(0.2).startswith("sensor back: under 1 s lost")
    assert lost_words(12.0, hold=True) == "sensor back: 12 s lost, a hold then is not timed"
