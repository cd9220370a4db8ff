"""A rep over a data gap is not judged: tables, summary, terminal and page say so alike.

The review's live session (``imu live --sim reverse-crunch --tempo 3-1-3 --sim-reps 6
--sim-disconnect-at 30 --sim-reconnect-after 8``): rep 4 spanned the 8 s gap, so its hold
measured 12.1 s and it was judged off tempo; yet the reps table printed "off", the sets table
counted it (80% on tempo), it was counted clean and in the clean run, its hold was red in the
page, and the tilt plot drew a line through the gap shaded as one long top hold.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from imu.exercises import get_profile
from imu.io.recording import Gap, RecordingMeta
from imu.report import SessionReport, analyze_recording, reps_table, session_table, sets_table
from imu.report.html import render_html
from imu.report.plots import angle_figure, eccentric_figure, tempo_figure
from imu.report.summary import rule_tempo, summarize, summary_lines
from imu.report.tables import clean_before_first_fault
from imu.report.terminal import reps_view, sets_view
from imu.tempo import parse_tempo
from tests.report.helpers import make_recording, make_rep, make_set

CRUNCH = get_profile("reverse-crunch")
PLANK = get_profile("plank")
T313 = parse_tempo("3-1-3")
RATE_HZ = 104.0


def gap_reps() -> pd.DataFrame:
    """Five reps at 3-1-3; rep 4 spans the gap: its hold measured 12.1 s, judged off tempo."""
    reps = make_set(1, 5, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps[3] = make_rep(1, 4, 27.0, concentric_s=2.1, top_hold_s=12.1, eccentric_s=3.1,
                       tempo_ok=False, in_gap=True)
    reps[4] = make_rep(1, 5, 45.0, concentric_s=3.0, eccentric_s=3.0)
    return reps_table(reps)


def gap_report(report: SessionReport) -> SessionReport:
    """The conftest's report carrying :func:`gap_reps` and an 8.2 s gap from 30.0 s."""
    reps = gap_reps()
    sets = sets_table(reps)
    meta = replace(report.meta, gaps=(Gap(round(30.0 * RATE_HZ), round(38.2 * RATE_HZ),
                                          "disconnected"),))
    session = session_table(reps, sets, CRUNCH, T313, meta, 53.0)
    return replace(report, reps=reps, sets=sets, session=session, tempo=T313, meta=meta,
                   sampling_rate_hz=RATE_HZ)


def test_a_rep_over_a_gap_is_never_clean_nor_on_tempo_in_the_tables() -> None:
    reps = gap_reps()
    assert reps["in_gap"].tolist() == [False, False, False, True, False]
    assert reps["clean"].tolist() == [True, True, True, False, True]
    row = sets_table(reps).iloc[0]
    assert row["tempo_ok_share"] == 1.0  # 4 of the 4 judged, not 4 of 5
    assert row["clean_reps"] == 4
    assert row["clean_reps_before_first_fault"] == 4  # the gap neither counts nor ends the run
    session = session_table(reps, sets_table(reps), CRUNCH, T313, RecordingMeta(RATE_HZ),
                            53.0).iloc[0]
    assert session["tempo_ok_share"] == 1.0 and session["clean_share"] == 1.0
    assert "4 clean reps" in session["verdict"]

    from imu.report.tables import judged

    assert judged(reps).tolist() == [True, True, True, False, True]


def test_the_clean_run_skips_reps_over_a_gap() -> None:
    assert clean_before_first_fault([True, False, True, False], [False, True, False, False]) == 2
    assert clean_before_first_fault([True, True, False]) == 2
    every_gap = reps_table([make_rep(1, 1, 0.0, in_gap=True, tempo_ok=False)])
    row = sets_table(every_gap).iloc[0]
    assert np.isnan(row["tempo_ok_share"]) and row["clean_reps"] == 0


def test_off_phases_never_marks_a_rep_over_a_gap() -> None:
    from imu.report.html import off_phases  # also imu.report.tables.off_phases

    row = gap_reps().iloc[3].to_dict()
    assert off_phases(row, T313) == {}
    assert off_phases({**row, "in_gap": False}, T313) == {"concentric_s": "short",
                                                           "top_hold_s": "long"}


def _printed(renderable: object) -> str:
    console = Console(record=True, width=140, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_terminal_says_gap_not_off() -> None:
    text = _printed(reps_view(gap_reps()))
    rep4 = next(line for line in text.splitlines() if re.match(r"\s+1\s+4\s", line))
    assert rep4.rstrip().endswith("gap") and "off" not in rep4
    sets = _printed(sets_view(sets_table(gap_reps())))
    assert "100%" in sets and "80%" not in sets
    holds = reps_table([make_rep(1, 1, 0.0, top_hold_s=20.0, tempo_ok=False, in_gap=True)])
    assert "too short" not in _printed(reps_view(holds, hold=True))
    assert "-" in _printed(sets_view(sets_table(holds), hold=True))  # no "nan%"


def test_the_summary_says_what_the_gap_cost() -> None:
    summary = summarize(gap_reps(), CRUNCH, T313, lost_spans_s=[(30.0, 38.2)])
    assert summary.clean_reps == 4 and summary.judged == 4 and summary.on_tempo == 4
    assert summary.gap_reps == "set 1, rep 4" and summary.gap_count == 1
    assert summary.gap_note == (
        "The sensor was lost for 8.2 s (from 30.0 to 38.2 s): reps done then could not be "
        "counted, and the rep over the gap (set 1, rep 4) is not judged: it is left out of "
        "the on-tempo, clean and fault counts and the time under tension."
    )
    assert summary_lines(summary)[1] == summary.gap_note
    # The total is that of the spans as printed: it adds up.
    odd = summarize(gap_reps(), CRUNCH, T313, lost_spans_s=[(29.96, 38.12)])
    assert odd.gap_note.startswith("The sensor was lost for 8.1 s (from 30.0 to 38.1 s)")


def test_a_rep_cut_by_the_recordings_end_is_not_blamed_on_the_sensor() -> None:
    """Nothing lost, and the last rep not judged: the recording ended during it (trial 23:
    "Samples were lost during 1 hold, or the recording began or ended in it")."""
    reps = gap_reps().iloc[:4]  # the recording stopped in rep 4
    summary = summarize(reps, CRUNCH, T313)
    assert summary.gap_note == (
        "The recording began or ended during 1 rep: the rep cut off (set 1, rep 4) is not "
        "judged: it is left out of the on-tempo, clean and fault counts and the time under "
        "tension.")
    mid = summarize(gap_reps(), CRUNCH, T313)  # rep 4 of 5: not at an end
    assert mid.gap_note.startswith("Samples were lost during 1 rep")
    assert rule_tempo(gap_reps(), CRUNCH, T313) is None
    # Without the recording's gaps the note still names the rep; without either, nothing.
    assert "Samples were lost during 1 rep" in summarize(gap_reps(), CRUNCH, T313).gap_note
    assert summarize(reps_table(make_set(1, 3, 0.0)), CRUNCH, T313).gap_note == ""
    # A gap with no rep over it still costs the reps done then.
    clean = summarize(reps_table(make_set(1, 3, 0.0)), CRUNCH, T313,
                      lost_spans_s=[(40.0, 45.5)])
    assert clean.gap_note == ("The sensor was lost for 5.5 s (from 40.0 to 45.5 s): reps done "
                              "then could not be counted.")


def _set_rows(page: str) -> list[str]:
    table = re.search(r'<table class="set" aria-label="Reps of set 1">.*?</table>', page, re.S)
    assert table is not None
    return re.findall(r"<tr><td>.*?</tr>", table.group(0), re.S)


def test_the_page_shows_the_rep_over_the_gap_as_not_judged(report: SessionReport) -> None:
    gapped = gap_report(report)
    page = render_html([gapped])
    rows = _set_rows(page)
    rep4 = rows[3]
    assert 'class="off"' not in rep4 and "▲" not in rep4 and "▼" not in rep4
    assert rep4.count('class="nj"') == 3 and ">12.1<" in rep4
    assert "over a data gap: tempo not judged" in rep4 and "no form fault" not in rep4
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert ("5 reps (1 over a data gap, not judged): 4 clean (no form fault), 4 clean before "
            "the first swing or fault, 4 of 4 on tempo") in text
    summary = text[text.index("Summary"):text.index("Reps by set")]
    assert "100% reps on tempo (4 of 4 judged)" in summary
    assert "4 clean reps (no form fault)" in summary
    assert "Data lost: The sensor was lost for 8.2 s (from 30.0 to 38.2 s)" in summary
    assert "left out of the on-tempo, clean and fault counts and of the clean runs" in text
    assert "Time the sensor was lost (s) 8.2" in text
    assert "Reps over a data gap, not judged 1" in text


def _hatched(fig: object, label: str) -> list[object]:
    """The hatched patches of the figure's plot with this legend label."""
    ax = fig.axes[0]  # type: ignore[attr-defined]
    return [p for p in ax.patches if p.get_label() == label and p.get_hatch()]


def test_the_rep_plots_hatch_the_rep_over_the_gap_and_mark_nothing(
    report: SessionReport,
) -> None:
    gapped = gap_report(report)
    tempo = tempo_figure(gapped)
    marks = sum(len(c.get_offsets()) for c in tempo.axes[0].collections)
    assert marks == 0  # the 12.1 s hold is no "long" mark

    from imu.report.plots import GAP_REP_LABEL

    assert len(_hatched(tempo, GAP_REP_LABEL)) == 1
    assert len(_hatched(eccentric_figure(gapped), GAP_REP_LABEL)) == 1


@pytest.fixture(scope="module")
def lost_link() -> SessionReport:
    """Six 2-4-2 reps with 2.2 s lost in rep 4's top hold (and a 0.3 s blip, bridged)."""
    recording = make_recording(reps_per_set=(6,), tempo=(2.0, 4.0, 2.0),
                               nan_spans_s=[(33.8, 36.0), (48.0, 48.3)])
    return analyze_recording(recording, "reverse-crunch", parse_tempo("2-4-2"))


def test_lost_spans_are_the_gaps_too_long_to_bridge(lost_link: SessionReport) -> None:
    from imu.report.session import lost_spans_s

    (span,) = lost_link.lost_spans_s
    assert span == pytest.approx((33.8, 36.0), abs=0.02)
    assert lost_link.reps["in_gap"].tolist() == [False, False, False, True, False, False]
    meta = replace(lost_link.meta, gaps=(Gap(0, 10), Gap(200, 300)))
    assert lost_spans_s(meta, 100.0) == ((2.0, 3.0),)
    assert lost_spans_s(meta, 100.0, max_interp_s=0.05) == ((0.0, 0.1), (2.0, 3.0))


def test_the_tilt_plot_breaks_at_the_gap_and_hatches_it(lost_link: SessionReport) -> None:
    fig = angle_figure(lost_link)
    ax = fig.axes[0]
    trace = next(line for line in ax.get_lines() if line.get_label() == "pelvis tilt")
    t = np.asarray(trace.get_xdata(), dtype=float)
    y = np.asarray(trace.get_ydata(), dtype=float)
    inside = (t > 34.0) & (t < 35.9)
    assert inside.any() and np.isnan(y[inside]).all()  # no line drawn through the gap
    assert not np.isnan(y[(t > 37.0) & (t < 47.0)]).any()  # the bridged blip is no gap

    from imu.report.plots import GAP_LABEL

    bands = _hatched(fig, GAP_LABEL)
    assert len(bands) == 1
    band = bands[0]
    x0 = float(band.get_x())  # type: ignore[attr-defined]
    assert (x0, x0 + float(band.get_width())) == pytest.approx(  # type: ignore[attr-defined]
        (33.8, 36.0), abs=0.02)
    legend = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
    assert GAP_LABEL in legend


def test_a_plank_hold_over_a_gap_is_not_judged(report: SessionReport) -> None:
    holds = [make_rep(1, 1, 0.0, top_hold_s=30.0), make_rep(2, 1, 90.0, top_hold_s=20.0,
                                                            tempo_ok=False, in_gap=True)]
    reps = reps_table(holds)
    tempo = parse_tempo("1-30-1")
    sets = sets_table(reps)
    plank = replace(report, reps=reps, sets=sets, profile=PLANK, tempo=tempo,
                    session=session_table(reps, sets, PLANK, tempo, report.meta, 150.0))
    page = render_html([plank])
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "1 hold (1 over a data gap, not judged): 0 of 0 long enough" in text
    assert "100% holds long enough (1 of 1 judged)" in text
    assert 'class="off"' not in page
    summary = summarize(reps, PLANK, tempo)
    assert summary.gap_reps == "set 2, hold 1"


def test_a_rep_over_a_gap_is_left_out_of_the_durations_and_their_means() -> None:
    reps = gap_reps()
    row = sets_table(reps).iloc[0]
    judged_reps = reps[~reps["in_gap"]]
    # Its 12.1 s hold (8 s of it no data) neither lengthens the mean hold nor the tension.
    assert row["top_hold_s_mean"] == pytest.approx(judged_reps["top_hold_s"].mean())
    assert row["concentric_s_mean"] == pytest.approx(judged_reps["concentric_s"].mean())
    assert row["tut_s"] == pytest.approx(judged_reps["tut_s"].sum())
    session = session_table(reps, sets_table(reps), CRUNCH, T313, RecordingMeta(RATE_HZ), 53.0)
    assert session.iloc[0]["tut_s"] == pytest.approx(judged_reps["tut_s"].sum())


def test_the_terminal_time_held_is_the_sum_of_the_holds_with_one_over_a_gap() -> None:
    """Two holds of 19.2 s and 22.0 s, the second over a gap: the sets' mean hold leaves it
    out, and mean x holds printed 38 s while the summary and the page said 41 s."""
    reps = reps_table([
        make_rep(1, 1, 5.0, concentric_s=1.0, top_hold_s=19.2, eccentric_s=1.0),
        make_rep(1, 2, 40.0, concentric_s=1.0, top_hold_s=22.0, eccentric_s=1.0,
                 in_gap=True),
    ])
    table = sets_view(sets_table(reps), hold=True, reps=reps)
    assert table is not None
    console = Console(width=120, record=True)
    console.print(table)
    row = console.export_text().splitlines()[-1].split()
    assert row[:4] == ["1", "2", "-", "41"]


def test_several_lost_stretches_are_said_to_be_the_long_gaps(report: SessionReport) -> None:
    """Trial 22: "3770 samples lost in 78 gaps" beside "The sensor was lost for 23.3 s in 23
    gaps": the second counts only the gaps too long to fill in, and now says so."""
    gapped = gap_report(report)
    short = Gap(round(10.0 * RATE_HZ), round(10.0 * RATE_HZ) + 1, "lost frames")  # filled in
    second = Gap(round(44.0 * RATE_HZ), round(46.0 * RATE_HZ), "disconnected")
    gapped = replace(gapped, meta=replace(gapped.meta, gaps=(short, *gapped.meta.gaps, second)))
    note = summarize(gapped.reps, CRUNCH, T313, lost_spans_s=gapped.lost_spans_s).gap_note
    assert note.startswith("The sensor was lost for 10.2 s in 2 gaps too long to fill in "
                           "(from 30.0 to 38.2 s, from 44.0 to 46.0 s)"), note
