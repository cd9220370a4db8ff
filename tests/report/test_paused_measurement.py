"""A pause of the measurement (phyphox's pause button) is told as a pause, never a lost sensor.

Trial: a phyphox measurement paused for 4 minutes between two sets was imported with the
pause in its place, but the summary said "The sensor was lost for 240.0 s (from 45.0 to
285.0 s)", the tilt plot hatched it "no data: the sensor was lost", and a plank hold over a
pause was told to keep the sensor near the receiver. A gap whose reason is a pause
(:attr:`imu.io.recording.Gap.paused`) is now no lost span; the summary, the verdict, the page
and the plot say the measurement was paused, and a sensor really lost beside it is still lost.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from imu.cli.analyze import bridged_note
from imu.exercises import get_profile
from imu.io.recording import (
    REASON_PAUSED_PHONE,
    REASON_PAUSED_PHYPHOX,
    Gap,
    Recording,
    RecordingMeta,
)
from imu.live.finish import recording_loss_words
from imu.report import SessionReport, analyze_recording, reps_table, session_table, sets_table
from imu.report.coaching import session_verdict
from imu.report.html import render_html
from imu.report.plots import GAP_LABEL, angle_figure, pause_label
from imu.report.session import lost_spans_s, pause_reason, paused_spans_s
from imu.report.summary import duration_words, summarize, summary_lines
from imu.tempo import parse_tempo
from tests.report.helpers import make_recording, make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
PLANK = get_profile("plank")
T313 = parse_tempo("3-1-3")
RATE_HZ = 104.0

PAUSE_NOTE = ("The measurement was paused in phyphox for 4 min (from 45.0 to 285.0 s): no data "
              "then, so reps done while paused are not counted.")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_pause_is_no_lost_span_and_a_loss_beside_it_still_is() -> None:
    meta = RecordingMeta(100.0, gaps=(
        Gap(0, 10, "lost frames"),  # bridged by the analyzer: neither
        Gap(200, 300, REASON_PAUSED_PHYPHOX),
        Gap(300, 302, "no accelerometer samples for more than 0.25 s"),  # at its edge
        Gap(500, 700, "lost frames"),
    ))
    assert lost_spans_s(meta, 100.0) == ((5.0, 7.0),)
    assert paused_spans_s(meta, 100.0) == ((2.0, 3.0),)
    assert pause_reason(meta) == "paused in phyphox"
    assert pause_reason(RecordingMeta(100.0, gaps=(Gap(0, 500, "lost frames"),))) == ""
    # A pause the phone app made while streaming live is one too.
    live = RecordingMeta(100.0, gaps=(Gap(200, 900, REASON_PAUSED_PHONE),))
    assert lost_spans_s(live, 100.0) == () and paused_spans_s(live, 100.0) == ((2.0, 9.0),)


def test_the_summary_says_the_measurement_was_paused_not_the_sensor_lost() -> None:
    reps = reps_table(make_set(1, 3, 0.0))
    summary = summarize(reps, CRUNCH, T313, paused_spans_s=[(45.0, 285.0)])
    assert summary.gap_note == PAUSE_NOTE
    assert summary.pause_note == PAUSE_NOTE and summary.lost_text() == ""
    assert PAUSE_NOTE in summary_lines(summary)
    both = summarize(reps, CRUNCH, T313, paused_spans_s=[(45.0, 285.0)],
                     lost_spans_s=[(325.0, 331.0)])
    assert both.gap_note == (f"{PAUSE_NOTE} The sensor was lost for 6.0 s (from 325.0 to "
                             "331.0 s): reps done then could not be counted.")
    twice = summarize(reps, CRUNCH, T313, paused_spans_s=[(45.0, 285.0), (300.0, 390.0)],
                      paused_reason=REASON_PAUSED_PHONE)
    assert twice.gap_note.startswith(
        "The measurement was paused on the phone 2 times, for 5 min 30 s in all (from 45.0 to "
        "285.0 s, from 300.0 to 390.0 s)")


def test_a_rep_over_a_pause_is_not_judged_and_not_blamed_on_the_sensor() -> None:
    reps = make_set(1, 5, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[3] = make_rep(1, 4, 27.0, concentric_s=2.1, top_hold_s=12.1, eccentric_s=3.1,
                       tempo_ok=False, in_gap=True)
    reps[4] = make_rep(1, 5, 45.0, concentric_s=3.0, eccentric_s=3.0)
    table = reps_table(reps)
    summary = summarize(table, CRUNCH, T313, paused_spans_s=[(30.0, 38.2)])
    assert summary.gap_note == (
        "The measurement was paused in phyphox for 8.2 s (from 30.0 to 38.2 s): no data then, "
        "so reps done while paused are not counted, and the rep over the pause (set 1, rep 4) "
        "is not judged: it is left out of the on-tempo, clean and fault counts and the time "
        "under tension.")
    # The last rep, over a pause: cut by the pause, not by the recording's end.
    last = summarize(table.iloc[:4], CRUNCH, T313, paused_spans_s=[(30.0, 38.2)])
    assert not last.gap_at_ends and "over the pause (set 1, rep 4)" in last.gap_note
    assert "lost" not in last.gap_note


def test_the_verdict_never_blames_the_sensor_for_a_pause() -> None:
    tempo = parse_tempo("1-45-1")
    hold = reps_table([make_rep(1, 1, 5.0, top_hold_s=160.0, tempo_ok=False, in_gap=True)])
    paused = session_verdict(hold, PLANK, tempo, 200.0, 0.0, paused_spans_s=[(25.0, 145.0)])
    assert paused.text == ("The measurement was paused during the hold, so it could not be "
                           "timed: record each hold whole, without pausing the measurement.")
    # The same hold over a lost sensor is still told about the sensor.
    lost = session_verdict(hold, PLANK, tempo, 200.0, 120.0)
    assert "receiver" in lost.text or "ended during" in lost.text
    # No rep, mostly paused: the time measured is judged, not the time the pause lasted.
    none = reps_table([])
    calm = session_verdict(none, CRUNCH, T313, 300.0, 0.0, paused_spans_s=[(10.0, 250.0)])
    assert "lost" not in calm.text and "receiver" not in calm.text
    lost_most = session_verdict(none, CRUNCH, T313, 300.0, 40.0,
                                paused_spans_s=[(10.0, 250.0)])
    assert lost_most.text.startswith(
        "The sensor was lost for 40 s of the 60 s recorded, besides 240 s paused, and no rep "
        "was found in the 20 s it was heard")


def test_pause_lengths_read_in_minutes_and_seconds() -> None:
    assert duration_words(240.01) == "4 min"
    assert duration_words(250.0) == "4 min 10 s"
    assert duration_words(45.2) == "45 s"
    assert duration_words(8.2) == "8.2 s"


@pytest.fixture(scope="module")
def paused_link() -> SessionReport:
    """Six 2-4-2 reps with the measurement paused from 33.8 to 36.0 s (in phyphox)."""
    recording = make_recording(reps_per_set=(6,), tempo=(2.0, 4.0, 2.0),
                               nan_spans_s=[(33.8, 36.0)])
    gaps = tuple(replace(g, reason=REASON_PAUSED_PHYPHOX) for g in recording.meta.gaps)
    return analyze_recording(recording.with_meta(gaps=gaps), "reverse-crunch",
                             parse_tempo("2-4-2"))


def test_the_tilt_plot_dots_the_pause_and_names_it(paused_link: SessionReport) -> None:
    assert paused_link.lost_spans_s == ()
    (span,) = paused_link.paused_spans_s
    assert span == pytest.approx((33.8, 36.0), abs=0.02)
    fig = angle_figure(paused_link)
    ax = fig.axes[0]
    trace = next(line for line in ax.get_lines() if line.get_label() == "pelvis tilt")
    t = np.asarray(trace.get_xdata(), dtype=float)
    y = np.asarray(trace.get_ydata(), dtype=float)
    assert np.isnan(y[(t > 34.0) & (t < 35.9)]).all()  # no line drawn through the pause
    label = pause_label(paused_link.paused_reason)
    assert label == "no data: paused in phyphox"
    bands = [p for p in ax.patches if p.get_label() == label and p.get_hatch()]
    assert len(bands) == 1
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert label in legend and GAP_LABEL not in legend


def test_the_page_says_paused_not_data_lost(paused_link: SessionReport) -> None:
    page = render_html([paused_link])
    text = _text(page)
    assert "Paused: The measurement was paused in phyphox for 2.2 s (from 33.8 to 36.0 s)" in text
    assert "Data lost" not in text and "sensor was lost" not in text
    assert "Time the measurement was paused (s) 2.2" in text
    assert "the time the measurement was paused in phyphox is dotted, no data" in page  # alt
    verdict = str(paused_link.session.iloc[0]["verdict"])
    assert "receiver" not in verdict and "lost" not in verdict
    # Nothing went missing: no note of samples bridged either.
    assert bridged_note(paused_link, round(60 * RATE_HZ)) == ""


def test_the_end_of_a_live_session_says_paused_not_lost() -> None:
    acc = np.zeros((1000, 3))
    meta = RecordingMeta(10.0, gaps=(Gap(100, 400, REASON_PAUSED_PHONE),
                                     Gap(600, 612, "lost frames")))
    rec = Recording(acc, acc.copy(), meta)
    assert recording_loss_words(rec) == "12 samples lost in 1 gap; paused on the phone for 30 s"
    only = rec.with_meta(gaps=meta.gaps[:1])
    assert recording_loss_words(only) == "no samples lost; paused on the phone for 30 s"


def test_the_session_table_verdict_of_a_paused_plank(paused_link: SessionReport) -> None:
    """The session table's verdict is told the pauses on the reps' clock."""
    tempo = parse_tempo("1-45-1")
    hold = reps_table([make_rep(1, 1, 5.0, top_hold_s=160.0, tempo_ok=False, in_gap=True)])
    sets = sets_table(hold)
    row = session_table(hold, sets, PLANK, tempo, paused_link.meta, 200.0,
                        paused_spans_s=[(25.0, 145.0)]).iloc[0]
    assert row["verdict"].startswith("The measurement was paused during the hold")
