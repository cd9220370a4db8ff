"""analyze_recording on generated recordings (snapshot of the counts, phases, gaps)."""

from __future__ import annotations

import numpy as np
import pytest

from imu.exercises import get_profile
from imu.report import SessionReport, analyze_recording
from imu.tempo import Tempo, parse_tempo
from tests.report.helpers import make_recording


def test_snapshot_counts(report: SessionReport) -> None:
    assert len(report.reps) == 11
    assert len(report.sets) == 2
    assert report.sets["reps"].tolist() == [6, 5]
    assert report.reps["rep"].tolist() == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5]
    row = report.session.iloc[0]
    assert (row["reps"], row["sets"]) == (11, 2)
    assert row["exercise"] == "reverse-crunch" and row["tempo"] == "2-1-2"
    assert row["participant"] == "p1" and row["verdict_kind"] == "none"


def test_phases_and_rom_match_the_generator(report: SessionReport) -> None:
    reps = report.reps
    # Generated: 2 s up, 1 s hold, 2 s down, 40 deg, reps every 6 s from 4 s, second set
    # after a 30 s rest. Phase edges at 10% of the peak velocity shorten each movement.
    np.testing.assert_allclose(reps["concentric_s"], 2.0, atol=0.5)
    np.testing.assert_allclose(reps["top_hold_s"], 1.0, atol=0.5)
    np.testing.assert_allclose(reps["eccentric_s"], 2.0, atol=0.5)
    np.testing.assert_allclose(reps["rom_deg"], 40.0, atol=4.0)
    expected_start = [4 + 6 * i for i in range(6)] + [70 + 6 * i for i in range(5)]
    np.testing.assert_allclose(reps["start_s"], expected_start, atol=0.4)
    assert reps["clean"].all() and reps["tempo_ok"].all() and not reps["in_gap"].any()
    assert report.sets["rest_before_s"].iloc[1] > 25


def test_trace_covers_the_recording(report: SessionReport) -> None:
    n = len(report.trace)
    assert report.trace.shape == (n, 2) and n > 0
    t = report.trace_time_s
    assert abs(t[-1] - n / report.sampling_rate_hz) < 1.0
    peak = report.trace[np.argmin(np.abs(t - report.reps["con_end_s"].iloc[0] - 0.5)), 0]
    assert 30 < peak < 50


def test_tempo_from_metadata_then_argument() -> None:
    rec = make_recording(reps_per_set=(3,)).with_meta(tempo="3-1-3")
    assert analyze_recording(rec, "reverse-crunch").tempo == Tempo(3, 1, 3)
    assert analyze_recording(rec, "reverse-crunch", Tempo(2, 1, 2)).tempo == Tempo(2, 1, 2)


def test_long_nan_gap_inside_a_rep() -> None:
    rec = make_recording(nan_spans_s=[(11.8, 13.4)])
    report = analyze_recording(rec, "reverse-crunch")
    assert len(report.reps) == 11
    assert report.reps["in_gap"].tolist() == [False, True] + [False] * 9


def test_no_movement_gives_empty_tables() -> None:
    rec = make_recording(reps_per_set=())
    report = analyze_recording(rec, "leg-raise")
    assert report.reps.empty and report.sets.empty
    # A few seconds of stillness: ended before a rep could be done, not "curl the pelvis";
    # none was begun, so none was found (not "before a rep was finished").
    assert report.session["verdict_kind"].iloc[0] == "too_short"
    assert report.unfinished is False
    assert report.session["verdict"].iloc[0] == (
        f"No rep found in the {rec.duration_s:.0f} s recorded: nothing to coach yet.")


@pytest.mark.parametrize(("exercise", "tempo", "analysed_as", "expected"), [
    ("plank", "1-45-1", "reverse-crunch", "default"),       # another exercise's tempo
    ("reverse-crunch", "3-1-3", "plank", "default"),
    ("reverse-crunch", "3-1-3", "reverse-crunch", "3-1-3"),  # its own
    ("", "3-1-3", "reverse-crunch", "3-1-3"),                # the recording does not say
    ("reverse-crunch", "", "reverse-crunch", "default"),     # no tempo recorded
])
def test_a_recorded_tempo_is_used_only_for_its_own_exercise(
    exercise: str, tempo: str, analysed_as: str, expected: str
) -> None:
    """A plank analysed as reverse crunches used to be judged against 1-45-1 (every rep's
    hold 'too short'), and crunches as a plank against 3-1-3."""
    from imu.io.recording import RecordingMeta
    from imu.report.session import recorded_tempo

    profile = get_profile(analysed_as)
    meta = RecordingMeta(sampling_rate_hz=104.0, exercise=exercise, tempo=tempo)
    got = recorded_tempo(meta, profile)
    want = profile.default_tempo if expected == "default" else parse_tempo(expected)
    assert got == want


def test_an_unreadable_recorded_tempo_says_it_came_from_the_recording() -> None:
    """No --tempo was given: the error names the stored tempo and the option that fixes it."""
    from imu.io.recording import RecordingMeta
    from imu.report.session import recorded_tempo
    from imu.tempo import TempoError

    meta = RecordingMeta(sampling_rate_hz=104.0, exercise="reverse-crunch", tempo="3-x-3")
    with pytest.raises(TempoError) as info:
        recorded_tempo(meta, get_profile("reverse-crunch"))
    message = str(info.value)
    assert "stored in the recording" in message and "'3-x-3'" in message
    assert "--tempo" in message


@pytest.mark.parametrize(("rate_hz", "exercise", "said"), [
    (13.0, "reverse-crunch", True),
    (19.9, "hanging-leg-raise", True),
    (25.0, "standing-strict", False),  # the WLE belt recordings: no note
    (52.0, "reverse-crunch", False),
    (13.0, "plank", False),  # a hold has no burst to miss
])
def test_a_coarse_rate_is_said(rate_hz: float, exercise: str, said: bool) -> None:
    from imu.report.session import coarse_rate_note

    note = coarse_rate_note(rate_hz, get_profile(exercise))
    assert (note is not None) is said
    if note:
        assert f"{rate_hz:g} Hz" in note and "52 Hz" in note
