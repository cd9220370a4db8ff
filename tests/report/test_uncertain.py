"""Uncertain reps are counted in the session table and said beside the count."""

import dataclasses

from imu.cli._args import uncertain_note
from imu.report.tables import reps_table
from tests.report.helpers import make_rep


def test_uncertain_note_counts_low_confidence_reps() -> None:
    reps = [make_rep(1, i + 1, 6.0 * i) for i in range(4)]
    reps[1] = dataclasses.replace(reps[1], count_confidence=0.3)
    reps[3] = dataclasses.replace(reps[3], count_confidence=0.49)
    table = reps_table(reps)
    assert int((table["count_confidence"] < 0.5).sum()) == 2
    note = uncertain_note({"uncertain_reps": 2})
    assert note == " (2 uncertain: small against the noise or of unclear direction, check them)"
    assert uncertain_note({"uncertain_reps": 0}) == ""


def test_session_table_counts_the_uncertain_reps_of_a_recording() -> None:
    from imu.io import read_recording
    from imu.report import analyze_recording

    report = analyze_recording(read_recording("recordings/dead_bug.parquet"), "dead-bug")
    expected = int((report.reps["count_confidence"] < 0.5).sum())
    assert int(report.session.iloc[0]["uncertain_reps"]) == expected

