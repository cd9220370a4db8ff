"""The HTML report as text: summary first, per-set rows with badges, plain headings."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from imu.exercises import get_profile
from imu.io import read_recording
from imu.report import DISCLAIMER, SessionReport, analyze_recording, reps_table
from imu.report.html import plain_label, render_html, rep_badges
from imu.report.plots import eccentric_band
from imu.report.tables import REPS_COLUMNS, SESSION_COLUMNS, SETS_COLUMNS
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep

T313 = parse_tempo("3-1-3")


@pytest.fixture(scope="module")
def crunch() -> SessionReport:
    """The bundled reverse crunch at 3-1-3: 4 leg tosses and 3 dropped eccentrics."""
    return analyze_recording(
        read_recording("recordings/reverse_crunch.parquet"), "reverse-crunch", T313
    )


def _text(page: str) -> str:
    """The page's text as a reader sees it (inline tags join, block tags separate)."""
    inline = re.sub(r"</?(strong|span|em)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline))


def test_summary_comes_first_and_says_what_to_fix(crunch: SessionReport) -> None:
    page = render_html([crunch])
    text = _text(page)
    summary = text[text.index("Summary"):text.index("Reps by set")]
    assert "12 reps in 2 sets" in summary and "6 clean reps" in summary
    assert "Fix first" in summary
    assert "Slow the descent: 4 of 12 descents lasted under 1.5 s against 3 s prescribed " \
        "(set 1, reps 1, 6; set 2, reps 2-3)." in summary
    assert "4 of 12 reps were swings (leg tosses)" in summary
    assert "about 15 clean reps with a 3 s descent in one set suggest progressing" in summary
    assert DISCLAIMER in summary


def test_headings_are_plain_words_never_column_names(crunch: SessionReport) -> None:
    page = render_html([crunch])
    headings = re.findall(r"<(?:th|h[1-3]|caption)[^>]*>(.*?)</(?:th|h[1-3]|caption)>", page)
    internal = set(REPS_COLUMNS) | set(SETS_COLUMNS) | set(SESSION_COLUMNS)
    internal -= {"set", "rep", "side", "reps", "sets", "exercise", "tempo", "participant", "date",
                 "clean", "swing", "device"}
    assert len(headings) > 40
    used = {h for h in headings if h in internal or re.search(r"\w+_(s|deg|dps|share)\b", h)}
    assert not used
    text = _text(page)
    assert not re.search(r"\b(tut_s|verdict_kind|tempo_ok_share|eccentric_s)\b", text)


def test_a_row_per_rep_with_badges_and_quantities(crunch: SessionReport) -> None:
    page = render_html([crunch])
    assert page.count("<h3>Set ") == 2
    # What the cells and arrows mean is said once, above the sets, not under every set.
    assert page.count("tempo is judged apart, so a clean rep can have a red cell") == 1
    assert page.index("red: off tempo, ▼ short, ▲ long") < page.index("<h3>Set 1")
    assert page.count('class="badge b-swing"') == 4
    assert page.count("dropped descent: ") == 4
    assert "= 33% of 3 s" in page
    assert 'class="off"' in page


def test_badges_use_the_measured_quantity_when_the_column_exists() -> None:
    row = reps_table([make_rep(1, 1, 0.0, faults={"back_arch"})]).iloc[0].to_dict()
    del row["arch_deg"]  # a table without the quantity column
    assert "back arch: over 5°" in _text(" ".join(rep_badges(row, T313)))
    row["arch_deg"] = 8.4
    assert "back arch: 8°" in _text(" ".join(rep_badges(row, T313)))
    row["count_confidence"] = 0.3
    assert "uncertain: may not be a rep (certainty low)" in _text(" ".join(rep_badges(row, T313)))
    swing = reps_table([make_rep(1, 1, 0.0, concentric_s=0.9, swing=True)]).iloc[0].to_dict()
    swing.update(swing_features=2, concentric_ratio=0.3, peak_time_fraction=0.14, windup_deg=1.0)
    # The signs that hold, in plain words (no "2/3 signs, peak at 14% of the way up").
    crunch = get_profile("reverse-crunch")
    assert _text(" ".join(rep_badges(swing, T313, crunch))) == (
        "swing (leg toss): up in 0.9 s of 3, top speed early (at 14% of the lift)")


def test_plain_labels() -> None:
    assert plain_label("eccentric_s") == "Down (s)"
    assert plain_label("arch_deg") == "Back arch (°)"
    assert plain_label("new_thing_deg") == "New thing (°)"
    assert plain_label("count_confidence") == "Rep certainty (0-1)"


def test_eccentric_band_is_the_tempo_tolerance() -> None:
    assert eccentric_band(T313) == pytest.approx((2.25, 3.75))
    assert eccentric_band(parse_tempo("1-0-1")) == pytest.approx((0.6, 1.4))


def test_responsive_and_accessible_markup(crunch: SessionReport) -> None:
    page = render_html([crunch])
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert re.search(r"\.scroll \{ overflow-x: auto", page)
    assert page.count('<div class="scroll" tabindex="0"><table') == page.count("<table")
    for alt in re.findall(r'<img alt="([^"]*)"', page):
        assert len(alt) > 40
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "@import" not in page and "url(" not in page


def test_several_recordings_get_a_section_each(crunch: SessionReport) -> None:
    dated = crunch.session.assign(date="2026-11-30T04:00:03+00:00")
    mon = replace(crunch, name="mon", session=dated)
    page = render_html([mon, replace(crunch, name="wed")])
    assert page.count('class="summary"') == 2
    assert "<h1>Reverse crunch: 2 recordings</h1>" in page  # one exercise: named
    headings = [(a, re.sub(r"<[^>]+>", "", h))
                for a, h in re.findall(r'<h2 id="(recording-\d)-title">(.*?)</h2>', page)]
    assert headings == [
        ("recording-1", "Reverse crunch — mon, 30 Nov 2026 04:00 UTC, tempo 3-1-3"),
        ("recording-2", "Reverse crunch — wed, tempo 3-1-3"),
    ]
    # A table of contents links every section and the details.
    contents = page[page.index('<nav class="contents"'):page.index("</nav>")]
    assert re.findall(r'href="#([\w-]+)"', contents) == ["recording-1", "recording-2",
                                                         "session-details"]
    assert "12 reps, 6 clean" in contents
    assert 'id="session-details"' in page
    # Each recording's summary sits right above its own sets and plots.
    sections = page.split('<section class="recording"')[1:]
    assert len(sections) == 2
    for section in sections:
        order = [section.index(k) for k in ('class="summary"', "<h3>Reps by set</h3>",
                                             "<h4>Set 1</h4>", "<h3>Plots</h3>", "<figure>")]
        assert order == sorted(order)


def test_a_report_of_several_exercises_is_titled_by_what_it_holds(
    crunch: SessionReport,
) -> None:
    from imu.report.html import combined_title

    dog = replace(crunch, name="bird_dog", profile=get_profile("bird-dog"))
    page = render_html([dog, replace(crunch, name="reverse_crunch")])
    assert "<h1>2 recordings</h1>" in page and "Bird-dog: 2" not in page
    text = _text(page)
    assert "Bird-dog — bird_dog, tempo 3-1-3" in text
    assert "Reverse crunch — reverse_crunch, tempo 3-1-3" in text
    assert combined_title([crunch, crunch, crunch]) == "Reverse crunch: 3 recordings"


def test_unknown_columns_reach_the_full_table_in_plain_words(crunch: SessionReport) -> None:
    reps = crunch.reps.assign(lean_deg=pd.Series(1.5, index=crunch.reps.index))
    page = render_html([replace(crunch, reps=reps)], {"reps": reps, "sets": crunch.sets,
                                                      "session": crunch.session})
    assert "Lean (°)" in page and "Back arch (°)" in page


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_pass_wcag_aa_contrast() -> None:
    from imu.report.html import CSS

    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", CSS))
    backgrounds = {"#ffffff", "#f6faf6", "#eef0f2"}  # page, summary box, table heads
    checked = 0
    for selector, body in rules.items():
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", body)
        if not colour:
            continue
        own = re.search(r"background:\s*(#[0-9a-f]{6})", body)
        for background in [own.group(1)] if own else backgrounds:
            ratio = _contrast(colour.group(1), background)
            where = f"{selector.strip()}: {colour.group(1)} on {background}"
            assert ratio >= 4.5, f"{where} {ratio:.1f}"
            checked += 1
    assert checked >= 10
    assert _contrast("#777777", "#ffffff") < 4.5  # the check can fail


def _rows(page: str) -> list[str]:
    """The rep rows of the per-set tables."""
    tables = re.findall(r'<table class="set" aria-label="(?:Reps|Holds) of set.*?</table>', page,
                        re.S)
    return [r for t in tables for r in re.findall(r"<tr><td>.*?</tr>", t, re.S)]


def _marks(fig) -> int:
    """Off-tempo ✕ marks in the tempo figure (its only scatter collections)."""
    return sum(len(c.get_offsets()) for c in fig.axes[0].collections)


@pytest.mark.parametrize(("recording", "exercise", "tempo"), [
    ("reverse_crunch", "reverse-crunch", "3-1-3"),
    ("reverse_crunch", "reverse-crunch", "2-1-2"),
    ("plank", "plank", "1-45-1"),  # the live default: holds of about 30 s
    ("plank", "plank", "1-30-1"),
])
def test_red_cells_plot_marks_and_tempo_ok_follow_one_rule(recording, exercise, tempo) -> None:
    from imu.report.plots import tempo_figure

    report = analyze_recording(read_recording(f"recordings/{recording}.parquet"), exercise,
                               parse_tempo(tempo))
    page = render_html([report])
    rows = _rows(page)
    assert len(rows) == len(report.reps)
    red_rows = [('class="off"' in r) for r in rows]
    assert red_rows == list(~report.reps["tempo_ok"].to_numpy())
    assert _marks(tempo_figure(report)) == sum(r.count('class="off"') for r in rows)
    # A rep without a fault is "no form fault", never a green "clean" beside a red cell.
    assert ">clean<" not in page
    assert all("no form fault" in r for r in rows if "b-clean" in r)
    assert not any("b-clean" in r and 'class="off"' in r for r in rows)
    if exercise == "plank":  # a plank's reps are holds, in the counts too
        assert "3 holds in 3 sets" in _text(page) and "1 hold: " in _text(page)


def test_off_phases() -> None:
    from imu.report.html import off_phases

    row = {"concentric_s": 2.0, "top_hold_s": 1.0, "eccentric_s": 1.3, "tempo_ok": False}
    assert off_phases(row, parse_tempo("2-1-2")) == {"eccentric_s": "short"}
    assert off_phases({**row, "tempo_ok": True}, parse_tempo("2-1-2")) == {}
    # Judged off with a tighter tolerance: the furthest phase is the one shown.
    near = {**row, "eccentric_s": 2.3}
    assert off_phases(near, parse_tempo("2-1-2")) == {"eccentric_s": "long"}
    # A plank: only a short hold is off tempo, getting into and out of it never.
    hold = {"concentric_s": 1.6, "top_hold_s": 30.0, "eccentric_s": 1.7, "tempo_ok": False}
    assert off_phases(hold, parse_tempo("1-45-1"), isometric=True) == {"top_hold_s": "short"}
    assert off_phases({**hold, "tempo_ok": True}, parse_tempo("1-30-1"), isometric=True) == {}


def _legend(fig) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


@pytest.mark.parametrize(("exercise", "descent_plot"), [
    ("reverse-crunch", True), ("pelvic-tilt", True), ("bird-dog", False), ("dead-bug", False),
    ("plank", False), ("standing-strict", False),
])
def test_only_the_plots_that_fit_the_exercise(crunch: SessionReport, exercise: str,
                                              descent_plot: bool) -> None:
    from imu.report.plots import report_figures

    report = replace(crunch, profile=get_profile(exercise))
    figures = report_figures(report)
    titles = [fig.axes[0].get_title() for fig, _ in figures]
    # A strict lift's hip drives have no tempo: the tilt with each drive marked is its plot.
    strict = exercise == "standing-strict"
    assert len(figures) == (1 if strict else 3 if descent_plot else 2)
    assert any("Down phase (descent)" in t for t in titles) == descent_plot
    page = render_html([report])
    assert page.count("<figure>") == len(figures)


def test_every_marker_is_named_in_plain_words(crunch: SessionReport) -> None:
    from imu.report.plots import angle_figure, eccentric_figure, tempo_figure

    angle = angle_figure(crunch)
    ax = angle.axes[0]
    assert ax.get_ylabel() == "pelvis tilt (°)" and "movement axis" not in ax.get_title()
    assert not ax.texts  # no abbreviations such as "rot" or "drop" beside the marks
    labels = _legend(angle)
    assert {"up", "top hold", "down", "swing (leg toss)", "dropped descent"} <= set(labels)
    marks = [c.get_label() for c in ax.collections if type(c).__name__ == "PathCollection"]
    assert marks == ["swing (leg toss)", "dropped descent"]  # each its own marker
    words = " ".join(labels + _legend(tempo_figure(crunch)) + _legend(eccentric_figure(crunch)))
    assert not re.search(r"\b(concentric|eccentric|rot|drop|arch|part)\b", words)
    # Faults of other exercises get their own plain word, never an abbreviation.
    rotating = crunch.reps.assign(hips_rotating=crunch.reps["rep"] == 2)
    labels = _legend(angle_figure(replace(crunch, reps=rotating)))
    assert "hips rotating" in labels
    plank = replace(crunch, profile=get_profile("plank"))
    assert {"getting into the hold", "hold"} <= set(_legend(angle_figure(plank)))
    assert {"hold", "prescribed hold (1 s)"} <= set(_legend(tempo_figure(plank)))
    assert "up" not in _legend(tempo_figure(plank))  # a hold's tempo is its hold alone


@pytest.fixture
def reader_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The report read on a computer set to UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("zone", "stored", "read"), [
    ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-11-30T18:00:00+00:00", "30 Nov 2026 19:00 CET"),
    ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-07-01T18:00:00+00:00", "1 Jul 2026 20:00 CEST"),
    ("PST8PDT,M3.2.0,M11.1.0", "2026-12-01T03:30:00+00:00", "30 Nov 2026 19:30 PST"),
    ("PST8PDT,M3.2.0,M11.1.0", "2026-12-01T03:30:00", "30 Nov 2026 19:30 PST"),  # no zone: UTC
    # A day without a time (a manifest's date, midnight UTC): that day, wherever it is read.
    ("PST8PDT,M3.2.0,M11.1.0", "2024-01-08T00:00:00+00:00", "8 Jan 2024"),
])
def test_dates_are_read_in_the_readers_time_zone(
        monkeypatch: pytest.MonkeyPatch, zone: str, stored: str, read: str) -> None:
    """The report said "30 Nov 2026 18:00 UTC" of an evening session in Berlin: dates are
    stored in UTC and shown in the time zone of the computer the report is made on. (POSIX
    TZ rules, Berlin's and Los Angeles', need no time zone database.)"""
    from imu.report.html import readable_date

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert readable_date(stored) == read
    finally:
        monkeypatch.undo()
        time.tzset()


def test_dates_read_plainly(crunch: SessionReport, reader_in_utc: None) -> None:
    from imu.report.html import readable_date

    assert readable_date("2026-11-30T04:00:03+00:00") == "30 Nov 2026 04:00 UTC"
    assert readable_date("2026-03-01T23:30:00+02:00") == "1 Mar 2026 21:30 UTC"
    assert readable_date(None) == "unknown" and readable_date("yesterday") == "yesterday"
    session = crunch.session.assign(date="2026-11-30T04:00:03+00:00")
    page = render_html([replace(crunch, session=session)],
                       {"reps": crunch.reps, "sets": crunch.sets, "session": session})
    assert "2026-11-30T04" not in page
    assert "30 Nov 2026 04:00 UTC" in _text(page)


def test_every_figure_has_a_phone_version(crunch: SessionReport) -> None:
    from imu.report.plots import NARROW, NARROW_MAX_PX, report_figures

    page = render_html([crunch])
    sources = re.findall(r'<source media="\(max-width: (\d+)px\)" srcset="data:image/png', page)
    assert len(sources) == page.count("<figure>") == 3
    assert set(sources) == {str(NARROW_MAX_PX)}
    assert 'class="scroll" tabindex="0"><img' not in page  # figures never scroll sideways
    for fig, _ in report_figures(crunch, NARROW):
        assert fig.get_figwidth() == NARROW.width_in
        for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
            if text.get_text():
                assert text.get_fontsize() >= 8, text.get_text()


def test_beside_other_exercises_what_means_nothing_for_one_reads_n_a() -> None:
    """Found in a new-user trial: the combined report's plank column read "Median descent
    (s) 1.2", "Median range of motion -7", "Reps with a swing 0%"."""
    import html as html_lib

    from imu.report.html import session_details
    from imu.report.tables import combined_tables

    root = Path(__file__).resolve().parents[2] / "recordings"
    reports = [analyze_recording(read_recording(root / f"{name}.parquet"), exercise)
               for name, exercise in (("plank", "plank"), ("dead_bug", "dead-bug"),
                                      ("reverse_crunch", "reverse-crunch"))]
    page = session_details(reports, combined_tables(reports)["session"])

    def row(label: str) -> list[str]:
        found = re.search(rf"<tr><t[hd][^>]*>{re.escape(label)}</t[hd]>(.*?)</tr>", page, re.S)
        assert found is not None, label
        return [html_lib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1))]

    assert row("Median descent (s)")[0] == "n/a"  # the plank
    # The plank and the dead bug judge no swing: n/a beside the crunch's share.
    assert row("Reps with a swing (%)")[:2] == ["n/a", "n/a"]
    held = row("Time held (s)")
    assert held[0] != "n/a" and held[1:] == ["n/a", "n/a"]
    assert row("Median descent (s)")[2] != "n/a"  # the reverse crunch's is real
