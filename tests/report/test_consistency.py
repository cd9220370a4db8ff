"""Numbers, words and marks of the report never disagree with each other (review items 3-7).

Rounding: a 1.49 s dropped descent and a 1.51 s descent that is not dropped both read "1.5".
Planks: a "tempo 1-30-1 (up-hold-down, s)" and three different totals of time held. Plots: ▼
meant a swing, a dropped descent and "short" on one page; legends above the titles; a
"prescribed" legend line of a colour no line had; "1.1" and "1.10" as tick labels; no rep
labels at 390 px. The summary's top left out tempo; "clean" beside a red cell; a missing date
read "-"; set tables of different widths.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.markers import MarkerStyle

from imu.exercises import get_profile
from imu.io import read_recording
from imu.report import SessionReport, analyze_recording, reps_table, session_table, sets_table
from imu.report.html import CSS, render_html, rep_badges
from imu.report.plots import (
    FAULT_MARKERS,
    NARROW,
    WIDE,
    angle_figure,
    eccentric_figure,
    tempo_figure,
)
from imu.report.summary import summarize
from imu.report.terminal import reps_view
from imu.tempo import parse_tempo
from imu.text import tempo_and_time
from tests.report.helpers import make_rep, make_set

T313 = parse_tempo("3-1-3")
CRUNCH = get_profile("reverse-crunch")


def _text(page: str) -> str:
    inline = re.sub(r"</?(strong|span|em)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline))


@pytest.fixture(scope="module")
def crunch() -> SessionReport:
    """The bundled reverse crunch at 3-1-3: leg tosses, dropped descents, reps off tempo."""
    return analyze_recording(read_recording("recordings/reverse_crunch.parquet"),
                             "reverse-crunch", T313)


def with_reps(report: SessionReport, reps: pd.DataFrame) -> SessionReport:
    sets = sets_table(reps)
    session = session_table(reps, sets, report.profile, report.tempo, report.meta, 300.0)
    return replace(report, reps=reps, sets=sets, session=session)


def near_the_line() -> pd.DataFrame:
    """3-1-3 reps: set 2 rep 3 dropped at 1.49 s; set 3 rep 10 down in 1.51 s, not dropped."""
    reps = make_set(1, 2, 0.0, 9.0, concentric_s=3.0, eccentric_s=3.0)
    reps += [make_rep(2, 3, 60.0, concentric_s=3.0, eccentric_s=1.49, tempo_ok=False,
                      faults={"dropped_eccentric"}),
             make_rep(3, 10, 120.0, concentric_s=3.0, eccentric_s=1.51, tempo_ok=False)]
    table = reps_table(reps)
    return table.assign(eccentric_ratio=table["eccentric_s"] / 3.0,
                        concentric_ratio=table["concentric_s"] / 3.0)


# --------------------------------------------------------------------------- 3. rounding


def test_near_limit_adds_a_decimal_only_where_the_text_would_be_the_limit() -> None:
    from imu.report.tables import near_limit, phase_limits

    assert near_limit(1.49, [1.5]) == "1.49" and near_limit(1.51, [1.5]) == "1.51"
    assert near_limit(1.5, [1.5]) == "1.5"  # exactly at the limit
    assert near_limit(1.2, [1.5]) == "1.2" and near_limit(2.2, [2.25]) == "2.2"
    assert near_limit(49.67, [50.0], 0) == "49.7" and near_limit(5.3, [5.0], 0) == "5.3"
    assert near_limit(float("nan"), [1.0]) == "-" and near_limit(-0.01, []) == "0.0"
    assert phase_limits("eccentric_s", 3.0) == pytest.approx((2.25, 3.75, 1.5))
    assert phase_limits("concentric_s", 3.0) == pytest.approx((2.25, 3.75, 1.5))
    assert phase_limits("top_hold_s", 30.0, isometric=True) == pytest.approx((27.0,))


def test_a_cell_never_reads_as_the_line_it_is_on_the_other_side_of(
    crunch: SessionReport,
) -> None:
    report = with_reps(crunch, near_the_line())
    page = render_html([report])
    rows = re.findall(r"<tr><td>.*?</tr>",
                      "".join(re.findall(r'<table class="set".*?</table>', page, re.S)), re.S)
    dropped, near = rows[2], rows[3]
    assert ">1.49▼<" in _squash(dropped)
    assert "dropped descent: 1.49 s = 49.7% of 3 s" in dropped
    # 1.51 s is not dropped: "1.5" (not under 1.5) says so; no second decimal needed.
    assert ">1.5▼<" in _squash(near) and "dropped descent" not in near
    assert "b-clean" not in near  # no green badge beside its red cell
    # The summary's "under 1.5 s" holds for every dropped cell and no other.
    summary = summarize(report.reps, report.profile, T313)
    assert "lasted under 1.5 s" in summary.fixes[0].evidence
    for row, flag in zip(rows, report.reps["dropped_eccentric"], strict=True):
        down = float(re.findall(r"<td>(?:<span[^>]*>)?([\d.]+)", row)[3])
        assert (down < 1.5) == flag


def _squash(row: str) -> str:
    return re.sub(r"<span[^>]*>|</span>", "", row).replace("<td>", ">").replace("</td>", "<")


def test_badges_print_quantities_beside_their_limits_with_a_decimal_more() -> None:
    row = near_the_line().iloc[2].to_dict()
    text = " ".join(rep_badges(row, T313))
    assert "1.49 s = 49.7% of 3 s" in text
    arch = reps_table([make_rep(1, 1, 0.0, faults={"back_arch"})]).iloc[0].to_dict()
    assert "back arch: 5.4°" in " ".join(rep_badges({**arch, "arch_deg": 5.4}, T313))
    assert "back arch: 8°" in " ".join(rep_badges({**arch, "arch_deg": 8.4}, T313))


def test_the_terminal_prints_the_same_decimals() -> None:
    from rich.console import Console

    console = Console(record=True, width=140, color_system=None)
    console.print(reps_view(near_the_line()))
    text = console.export_text()
    # 1.49 s (dropped) needs its second decimal; 1.51 s (not dropped) reads "1.5".
    assert re.search(r"\b1\.49\b", text) and re.search(r"\s1\.5\s", text)
    assert not re.search(r"\b1\.51\b", text)


# --------------------------------------------------------------------------- 4. plank


@pytest.fixture(scope="module")
def plank() -> SessionReport:
    return analyze_recording(read_recording("recordings/plank.parquet"), "plank",
                             parse_tempo("1-30-1"))


def test_a_plank_is_prescribed_a_hold_not_a_tempo(plank: SessionReport) -> None:
    page = render_html([plank])
    text = _text(page)
    assert "hold 30 s prescribed" in text
    assert "1-30-1" not in text and "up-hold-down" not in text
    assert "Prescribed hold (s) 30" in text


def test_every_total_of_time_held_is_one_number(plank: SessionReport) -> None:
    page = render_html([plank])
    text = _text(page)
    held = float(plank.reps["top_hold_s"].sum())
    total = f"{held:.0f}"
    line = tempo_and_time(plank.reps, plank.tempo, True, plank.session.iloc[0])
    assert line.endswith(f"held {total} s in all")  # what imu analyze prints
    assert f"{total} s held in all" in text  # the summary's headline
    assert f"Time held (s) {total}" in text  # the details
    assert "getting in and out included" not in text
    from imu.report.tables import time_held_s

    assert time_held_s(plank.reps) == held
    assert summarize(plank.reps, plank.profile, plank.tempo).held_s == held
    per_set = [int(n) for n in re.findall(r"held (\d+) s in all", text)]
    assert len(per_set) == len(plank.sets)
    sums = plank.reps.groupby("set")["top_hold_s"].sum()
    assert per_set == [round(v) for v in sums]


# --------------------------------------------------------------------------- 5. plots


def _marker(collection: PathCollection) -> str:
    """Which marker a scatter collection draws."""
    path = collection.get_paths()[0]
    for marker in ("*", "X", "x", "v", "^", "o", "D", "s", "H", "P", "h", "8", "p", "d", "+",
                   "_"):
        style = MarkerStyle(marker)
        expected = style.get_path().transformed(style.get_transform())
        if (len(expected.vertices) == len(path.vertices)
                and np.allclose(expected.vertices, path.vertices)):
            return marker
    raise AssertionError("a marker the page does not name")


def _scatters(fig: object) -> dict[str, str]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    return {c.get_label(): _marker(c) for c in ax.collections if isinstance(c, PathCollection)}


def test_one_marker_one_meaning_across_the_page(crunch: SessionReport) -> None:
    angle = _scatters(angle_figure(crunch))
    descent = _scatters(eccentric_figure(crunch))
    tempo = _scatters(tempo_figure(crunch))
    triangles = {"v", "^"}
    assert tempo and set(tempo.values()) <= triangles  # ▼/▲: off tempo, as in the tables
    assert angle["dropped descent"] == descent["dropped descent"]

    from imu.report.plots import MARKS, SWING_MARKER

    assert len(set(MARKS.values())) == len(MARKS)
    assert angle == {"swing (leg toss)": SWING_MARKER,
                     "dropped descent": FAULT_MARKERS["dropped_eccentric"]}
    assert descent["down phase of a rep"] == MARKS["a measured value"]
    assert {"off tempo, short (red in the table)"} <= set(tempo)
    # No other mark of the page is a triangle.
    assert not (set(angle.values()) | set(descent.values())) & triangles


def test_a_holds_fault_is_marked_over_the_hold_not_at_its_start(plank: SessionReport) -> None:
    """The sagging marker sat at the hold's start, over the getting into position: a hold's
    fault is of the whole hold, marked over its middle."""
    reps = plank.reps.copy()
    reps["hips_sagging"] = reps.index == 0
    fig = angle_figure(with_reps(plank, reps))
    marks = [c for c in fig.axes[0].collections
             if isinstance(c, PathCollection) and c.get_label() == "hips sagging"]
    assert len(marks) == 1
    (x, _), = marks[0].get_offsets()
    hold = reps.iloc[0]
    assert x == pytest.approx(0.5 * (hold["con_end_s"] + hold["ecc_start_s"]))
    assert hold["con_end_s"] + 5.0 < x < hold["ecc_start_s"] - 5.0


def test_a_short_hold_and_a_body_swing_have_markers_told_apart(crunch: SessionReport) -> None:
    """A short hold was a hexagon ("h") and a body swing an octagon ("8"): two round blobs."""
    near_circles = {"o", "8", "h", "H", "p"}
    short, swing = FAULT_MARKERS["short_hold"], FAULT_MARKERS["body_swing"]
    assert not {short, swing} <= near_circles
    assert MarkerStyle(short).is_filled() != MarkerStyle(swing).is_filled()
    # Both on one plot: each drawn with its own marker, named in the legend.
    reps = crunch.reps.copy()
    reps["short_hold"] = reps.index == 0
    reps["body_swing"] = reps.index == 1
    drawn = _scatters(angle_figure(with_reps(crunch, reps)))
    assert drawn["short hold"] == short and drawn["body swing"] == swing


def test_legends_sit_below_their_plots_and_titles_above(crunch: SessionReport) -> None:
    for draw in (angle_figure, tempo_figure, eccentric_figure):
        for layout in (WIDE, NARROW):
            fig = draw(crunch, layout)
            FigureCanvasAgg(fig).draw()
            ax = fig.axes[0]
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            title = ax.title.get_window_extent(renderer)
            plot = ax.get_window_extent(renderer)
            (legend,) = fig.legends
            box = legend.get_window_extent(renderer)
            assert title.y0 >= plot.y1 - 1  # the title above its plot
            assert box.y1 <= plot.y0  # the legend below it, never above the title


def test_the_prescribed_lines_are_what_the_legend_shows(crunch: SessionReport) -> None:
    fig = tempo_figure(crunch)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()
             if line.get_label().startswith("prescribed")}
    assert set(lines) == {"prescribed up and down (3 s)", "prescribed top hold (1 s)"}
    legend = {t.get_text(): h for lg in fig.legends
              for t, h in zip(lg.get_texts(), lg.legend_handles, strict=True)}
    for label, line in lines.items():
        assert float(line.get_ydata()[0]) == float(re.findall(r"\(([\d.]+) s\)", label)[0])
        assert legend[label].get_color() == line.get_color()
    assert "prescribed" not in legend


def _tick_texts(fig: object) -> tuple[list[str], list[str]]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    bottom = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    top = [t.get_text() for a in ax.child_axes for t in a.get_xticklabels()]
    return bottom, top


def test_reps_are_numbered_in_their_set_and_sets_named_even_on_a_phone(
    crunch: SessionReport,
) -> None:
    thirty = reps_table([r for s in (1, 2, 3)
                         for r in make_set(s, 10, 100.0 * s, 9.0, concentric_s=3.0,
                                           eccentric_s=3.0)])
    report = with_reps(crunch, thirty)
    for layout in (WIDE, NARROW):
        for draw in (tempo_figure, eccentric_figure):
            bottom, top = _tick_texts(draw(report, layout))
            assert top == ["Set 1", "Set 2", "Set 3"]
            assert bottom and all(re.fullmatch(r"\d+", t) for t in bottom)  # never "1.10"
            assert "in order" not in draw(report, layout).axes[0].get_xlabel()
        _, top = _tick_texts(angle_figure(crunch, layout))  # the tilt over time, too
        assert top == ["Set 1", "Set 2"]
    bottom, _ = _tick_texts(tempo_figure(report, WIDE))
    assert bottom == [str(n) for n in range(1, 11)] * 3


# --------------------------------------------------------------------------- 6. summary


def test_the_top_says_tempo_and_what_clean_means(crunch: SessionReport) -> None:
    page = render_html([crunch])
    text = _text(page)
    summary = text[text.index("Summary"):text.index("Reps by set")]
    share = crunch.session["tempo_ok_share"].iloc[0]
    on_tempo = int(crunch.reps["tempo_ok"].sum())
    assert f"{share:.0%} reps on tempo ({on_tempo} of {len(crunch.reps)})" in summary
    assert "clean reps (no form fault)" in summary
    assert "Clean means no form fault" in text


def test_a_missing_date_reads_unknown(crunch: SessionReport) -> None:
    assert crunch.session["date"].isna().all()
    text = _text(render_html([crunch]))
    assert "Date unknown" in text and "Date -" not in text


# --------------------------------------------------------------------------- 7. set tables


def test_every_set_table_is_laid_out_alike(crunch: SessionReport) -> None:
    page = render_html([crunch])
    assert page.count('<table class="set"') == len(crunch.sets)
    assert "table.set { width: 100%; }" in CSS
