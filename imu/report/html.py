"""A self-contained HTML report a person reads after training: one file, no external assets.

The page, top to bottom:

1. **Summary** (read in ten seconds): reps, clean reps, time under tension, the one or two
   things to fix first with their evidence, then the progression / regression advice
   (:mod:`imu.report.summary`), and the disclaimer.
2. **Per set**: one compact row per rep with up-hold-down against the prescription and a
   badge for each swing and fault carrying the measured quantity behind it.
3. **Plots**, those that fit the exercise (:func:`report_figures`): the pelvis tilt over time
   with the phases of every rep shaded; the tempo of every rep against the prescription (a
   hold: its hold time); the descent of every rep against the target band, where a dropped
   descent is judged.
4. **Details**: the session in plain words and, folded, every measurement of every rep.

Every heading is plain words with units; the internal column names appear only in the CSV and
Parquet files. The layout is responsive (readable at 390 px; wide tables scroll inside their
own box, never the page; each figure is drawn for desktops and for phones, :data:`WIDE` and
:data:`NARROW`, and the page shows the one that fits), every image has alt text, text colours
pass WCAG AA contrast on their backgrounds, and figures are embedded as base64 PNG.

Figures are drawn with matplotlib's object API on Agg canvases (no pyplot, no global backend
state, safe in threads). The trace is decimated to at most :data:`MAX_PLOT_POINTS` points.
Each figure has its title above, its legend below and the sets named above the plot; one
marker means one thing across the page (:data:`MARKS`: ▼/▲ off tempo as in the tables, a star
a swing, each fault its own), and hatching is data that was never measured (a data gap, a
rep over one: not judged, never red).
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from imu.core.metrics import HOLD_SLACK_FRACTION, UNCERTAIN_CONFIDENCE, TempoTolerance
from imu.exercises import FAULT_WORDS, FAULTS, ExerciseProfile, FaultThresholds
from imu.report.coaching import (
    DISCLAIMER,
    default_tempo_words,
    doubt,
    sure_reps,
    tempo_by_default,
)
from imu.report.summary import (
    HIP_DRIVE,
    MISSED_BEFORE_NOTE,
    STRICT_FORM,
    Summary,
    drives_counted,
    lost_s,
    marked_missed_before,
    missed_note,
    summarize,
    swing_words,
)
from imu.report.tables import (
    RECORDING,
    TUT_UNKNOWN,
    judged,
    near_limit,
    off_phases,
    phase_text,
    time_held_s,
)
from imu.tempo import Tempo

if TYPE_CHECKING:
    from imu.report.session import SessionReport

Row = Mapping[Any, Any]
"""One table row as ``DataFrame.to_dict(orient="records")`` gives it."""

logger = logging.getLogger(__name__)

MAX_PLOT_POINTS: Final = 20_000
"""Most trace points drawn per figure."""

PHASE_COLOURS: Final[dict[str, str]] = {
    "concentric": "#4c9be8",
    "top hold": "#6cc46a",
    "eccentric": "#f2a541",
    "bottom pause": "#b79fdc",
}
"""Colour of each phase, shared by the figures."""

FAULT_COLOUR: Final = "#b71c1c"
"""Colour of the fault marks and the off-tempo marks in the figures."""

SWING_COLOUR: Final = "#c2185b"
"""Colour of the swing marks in the figures."""

SWING_MARKER: Final = "*"
"""Marker of a swing (a star) in the tilt figure."""

FAULT_MARKERS: Final[dict[str, str]] = {
    "dropped_eccentric": "X",
    "back_arch": "D",
    "hips_rotating": "s",
    "over_extension": "H",
    "partial_rom": "P",
    "short_hold": "_",
    "body_swing": "8",
    "hips_sagging": "p",
    "hips_piking": "d",
    "shaking": "+",
}
"""Marker of each fault, the same in every figure of the page (the tilt figure, and the
descent figure's dropped descents); the legend names each in plain words. A short hold is a
flat bar: as a hexagon ("h") it read as the body swing's octagon ("8")."""

LINE_MARKERS: Final = frozenset({"+", "_"})
"""Markers drawn as strokes, not filled shapes: drawn thicker to be seen."""

OFF_MARKERS: Final[dict[str, tuple[str, str]]] = {"short": ("v", "▼"), "long": ("^", "▲")}
"""Off tempo, as in the tables' red cells: ▼ short, ▲ long (marker and character). No other
mark of the page uses a triangle, and the round dot is a measured value."""

GAP_HATCH: Final = "///"
"""Hatching of what was not measured: a data gap in the tilt figure, a rep over one in the
rep figures."""

GAP_EDGE: Final = "#8a8a8a"
"""Colour of the gap hatching."""

UNCERTAIN_DRIVE_LABEL: Final = "uncertain hip drive: not counted"
"""Legend of a standing strict lift's uncertain hip drive: a hollow star (a counted one is
filled)."""

MARKS: Final[dict[str, str]] = {
    "swing": SWING_MARKER,
    UNCERTAIN_DRIVE_LABEL: f"{SWING_MARKER} hollow",
    **FAULT_MARKERS,
    **{f"off tempo ({way})": marker for way, (marker, _) in OFF_MARKERS.items()},
    "a measured value": "o",
}
"""Every marker of the page with its one meaning (tested: no marker means two things)."""


def phase_words(profile: ExerciseProfile) -> dict[str, str]:
    """Plain name of each phase (keys of :data:`PHASE_COLOURS`) for this exercise.

    Up / top hold / down as in the tables; a hold (plank) is getting into it, the hold, and
    getting out of it.
    """
    return dict(HOLD_PHASE_WORDS if profile.isometric else REP_PHASE_WORDS)


REP_PHASE_WORDS: Final[dict[str, str]] = {
    "concentric": "up", "top hold": "top hold", "eccentric": "down",
    "bottom pause": "bottom pause",
}
HOLD_PHASE_WORDS: Final[dict[str, str]] = {
    "concentric": "getting into the hold", "top hold": "hold", "eccentric": "getting out of it",
    "bottom pause": "rest",
}


def judges_descent(profile: ExerciseProfile) -> bool:
    """Whether the exercise judges a dropped descent (so the descent plot applies)."""
    return "dropped_eccentric" in profile.faults


COLUMN_LABELS: Final[dict[str, str]] = {
    "recording": "Recording",
    "set": "Set",
    "rep": "Rep",
    "side": "Side",
    "start_s": "Start (s)",
    "con_end_s": "Top reached (s)",
    "ecc_start_s": "Descent starts (s)",
    "ecc_end_s": "Descent ends (s)",
    "concentric_s": "Up (s)",
    "top_hold_s": "Top hold (s)",
    "eccentric_s": "Down (s)",
    "bottom_pause_s": "Bottom pause (s)",
    "tut_s": "Time under tension (s)",
    "rom_deg": "Range of motion (°)",
    "peak_concentric_dps": "Peak speed up (°/s)",
    "mean_concentric_dps": "Mean speed up (°/s)",
    "peak_eccentric_dps": "Peak speed down (°/s)",
    "mean_eccentric_dps": "Mean speed down (°/s)",
    "windup_deg": "Wind-up (°)",
    "overshoot_deg": "Overshoot (°)",
    "peak_time_fraction": "Top speed reached, share of the lift",
    "swing_features": "Swing signs: fast, early top speed, wind-up (of 3)",
    "concentric_ratio": "Up / prescribed",
    "eccentric_ratio": "Down / prescribed",
    "top_hold_ratio": "Top hold / prescribed",
    "rom_ratio": "Range / earlier reps",
    "arch_deg": "Back arch (°)",
    "rotation_deg": "Hip rotation (°)",
    "body_swing_deg": "Body swing from the bar before the rep (°)",
    "drift_deg": "Hip drift (°)",
    "shaking_dps": "Shaking (°/s RMS)",
    "count_confidence": "Rep certainty (0-1)",
    "fault_count": "Faults",
    "clean": "Clean",
    "tempo_ok": "On tempo",
    "in_gap": "Over a data gap",
    **{fault: FAULT_WORDS[fault].capitalize() for fault in FAULTS},
}
"""Plain heading (with unit) of every reps-table column shown in the page."""

CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
  padding: 0.8rem; max-width: 1150px; color: #1b1b1b; background: #ffffff; line-height: 1.45; }
h1 { font-size: 1.4rem; margin: 0.3rem 0; } h2 { font-size: 1.2rem; margin-top: 1.6rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
p, li { overflow-wrap: anywhere; }
.meta { color: #444444; margin: 0 0 0.6rem; }
.summary { border: 1px solid #c9d6c9; border-radius: 8px; padding: 0.7rem 0.9rem;
  background: #f6faf6; }
.stats { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0 0 0.6rem; padding: 0;
  list-style: none; }
.stats li { flex: 1 1 6.5rem; background: #ffffff; border: 1px solid #c9d6c9; border-radius: 6px;
  padding: 0.35rem 0.6rem; }
.stats b { display: block; font-size: 1.4rem; white-space: nowrap; }
.fix { margin: 0.3rem 0 0.6rem; padding-left: 1.3rem; }
.fix li { margin: 0.25rem 0; }
.advice { font-weight: 600; }
.note { color: #444444; }
.disclaimer { color: #444444; font-style: italic; }
.scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: 0.88rem; margin: 0.3rem 0; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
th, td { border: 1px solid #cccccc; padding: 3px 6px; text-align: right; vertical-align: top; }
th { background: #eef0f2; }
td.notes, th.notes { text-align: left; min-width: 8rem; }
table.set { width: 100%; }
table.set th:not(.notes), table.set td:not(.notes) { width: 1%; white-space: nowrap; }
.nj { color: #555555; font-style: italic; }
.gap { background: #ffffff; border-left: 4px solid #8a8a8a; padding: 0.2rem 0.5rem; }
@media (max-width: 480px) {
  table { font-size: 0.8rem; } th, td { padding: 2px 3px; } .badge { font-size: 0.75rem; }
  table.set th:not(.notes) { white-space: normal; }
}
table.details td:first-child, table.details th:first-child { text-align: left; }
table.details td:first-child { white-space: nowrap; }
.details-cards { display: none; }
.details-card h3 { margin: 0.9rem 0 0.2rem; }
.details-card table { width: 100%; }
.details-card th { background: transparent; font-weight: normal; text-align: left;
  overflow-wrap: anywhere; }
.details-card td { white-space: nowrap; width: 1%; }
@media (max-width: 600px) {
  table.details td:first-child { white-space: normal; min-width: 9rem; }
  .details-wide { display: none; } .details-cards { display: block; }
}
.off { color: #a1000e; font-weight: 700; }
.badge { display: inline-block; border-radius: 0.8em; padding: 0 0.5em; margin: 1px 2px;
  font-size: 0.8rem; border: 1px solid transparent; }
.b-swing { background: #fde8f1; color: #7c0d3c; border-color: #f2b6cf; }
.b-fault { background: #fdecea; color: #861b12; border-color: #f2b9b3; }
.b-unsure { background: #eef0f2; color: #333333; border-color: #c5c9cd; }
.b-clean { background: #e8f5e9; color: #1c5e20; border-color: #b5dcb7; }
figure { margin: 0.8rem 0; }
figure img { display: block; width: auto; max-width: 100%; height: auto; }
figure img.wide { width: 100%; }
picture { display: block; }
figcaption { color: #444444; font-size: 0.9rem; }
details summary { cursor: pointer; font-weight: 600; margin: 0.8rem 0 0.3rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.3rem; }
.contents ol { padding-left: 1.5rem; margin: 0.3rem 0; } .contents li { margin: 0.3rem 0; }
section.recording { border-top: 2px solid #c9d6c9; margin-top: 1.8rem; }
section.recording > h2 { margin-top: 0.8rem; }
.top { text-align: right; margin: 0.3rem 0 0; }
.nowrap { white-space: nowrap; }
.scroll-hint { display: none; }
@media (max-width: 600px) { .scroll-hint { display: block; } }
table.weeks td:first-child, table.weeks th:first-child { position: sticky; left: 0;
  z-index: 1; box-shadow: 1px 0 0 #cccccc; }
table.weeks td:first-child { background: #ffffff; }
a { color: #0b57a4; }
"""
"""The page's style sheet (inline; no external assets)."""


@dataclass(frozen=True)
class PlotLayout:
    """Size and text of the report's figures for one kind of screen.

    A figure is drawn once per layout and the page shows the one that fits the screen
    (:func:`figure_html`): text stays readable at a phone's 390 px without sideways scrolling.

    Attributes:
        width_in: figure width, inches; at 100 dpi this is the width in CSS px at which the
            text has its nominal size.
        height_scale: figure heights are multiplied by this (a narrow legend takes more rows).
        dpi: PNG resolution (2x on phones, whose screens have 2-3 device px per CSS px).
        font_pt: axis labels and tick labels, points.
        title_pt: title, points.
        legend_pt: legend, points.
        legend_cols: legend columns.
        max_tick_labels: every rep is labelled on the x axis up to this many reps.
        title_chars: titles wrap at this many characters.

    """

    width_in: float
    height_scale: float
    dpi: int
    font_pt: float
    title_pt: float
    legend_pt: float
    legend_cols: int
    max_tick_labels: int
    title_chars: int


WIDE: Final = PlotLayout(width_in=10.0, height_scale=1.0, dpi=100, font_pt=10, title_pt=10,
                         legend_pt=8, legend_cols=7, max_tick_labels=40, title_chars=200)
"""Desktop figures: 1000 px wide, shown up to the page's width."""

NARROW: Final = PlotLayout(width_in=3.9, height_scale=1.3, dpi=200, font_pt=9, title_pt=10,
                           legend_pt=8.5, legend_cols=2, max_tick_labels=16, title_chars=44)
"""Phone figures: 390 px wide at nominal size, drawn at 2x; shown under :data:`NARROW_MAX_PX`."""

NARROW_MAX_PX: Final = 600
"""Screens up to this many CSS px wide get the :data:`NARROW` figures."""


def decimate(n: int, max_points: int = MAX_PLOT_POINTS) -> slice:
    """A slice with a stride that keeps at most ``max_points`` of ``n`` rows."""
    return slice(None, None, max(1, math.ceil(n / max_points)))


def png_base64(fig: Figure, dpi: int = 100) -> str:
    """Render a figure as PNG at ``dpi`` and return it base64-encoded (ASCII)."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def phase_spans(reps: pd.DataFrame) -> dict[str, list[tuple[float, float]]]:
    """Per phase, the (start, width) spans of every rep in seconds (for ``broken_barh``)."""
    ends = reps["ecc_end_s"].to_numpy()
    pause_end = ends + reps["bottom_pause_s"].fillna(0.0).to_numpy()
    edges = {
        "concentric": (reps["start_s"].to_numpy(), reps["con_end_s"].to_numpy()),
        "top hold": (reps["con_end_s"].to_numpy(), reps["ecc_start_s"].to_numpy()),
        "eccentric": (reps["ecc_start_s"].to_numpy(), ends),
        "bottom pause": (ends, pause_end),
    }
    return {
        phase: [(float(a), float(b - a)) for a, b in zip(lo, hi, strict=True) if b > a]
        for phase, (lo, hi) in edges.items()
    }


def rep_label(set_no: object, rep_no: object, unit: str = "rep") -> str:
    """How text and plots name a rep: ``set 2, rep 10`` (never ``2.10``, read as 2.1)."""
    return f"set {set_no}, {unit} {rep_no}"


def _sets_of(reps: pd.DataFrame) -> list[tuple[int, int, int]]:
    """(set number, first position, last position) of each set of reps in time order."""
    set_no = reps["set"].to_numpy()
    if not len(set_no):
        return []
    starts = np.flatnonzero(np.r_[True, set_no[1:] != set_no[:-1]])
    ends = np.r_[starts[1:], len(set_no)] - 1
    return [(int(set_no[a]), int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _set_boundaries(ax: Axes, reps: pd.DataFrame) -> None:
    for i in np.flatnonzero(np.diff(reps["set"].to_numpy())):
        ax.axvline(i + 0.5, color="#888", lw=0.8)


def _text_px(text: str, layout: PlotLayout) -> float:
    """About how wide ``text`` is at the layout's font, CSS px (0.6 of the size a glyph)."""
    return len(text) * 0.6 * layout.font_pt * 100 / 72


def set_names(ax: Axes, spans: Sequence[tuple[int, float, float]], layout: PlotLayout) -> list[str]:
    """Name every set above the plot, centred over its reps, on a secondary x axis.

    ``spans``: (set number, where the set starts, where it ends) in data units. The names
    are "Set 2" where that fits over the set, else "S2", else "2"; always drawn, so the
    summary's "set 2, rep 3" can be found on a phone with 30 reps. Returns the names drawn.
    """
    if not spans:
        return []
    lo, hi = ax.get_xlim()
    axes_px = layout.width_in * 100 * 0.85
    per_x = axes_px / max(hi - lo, 1e-9)
    names: list[str] = []
    for number, first, last in spans:
        room = (last - first) * per_x
        for name in (f"Set {number}", f"S{number}", f"{number}"):
            if _text_px(name, layout) <= room * 0.9:
                break
        names.append(name)
    top = ax.secondary_xaxis("top")
    top.set_xticks([(first + last) / 2 for _, first, last in spans], names)
    top.tick_params(length=0, labelsize=layout.font_pt)
    return names


def _rep_ticks(ax: Axes, reps: pd.DataFrame, layout: PlotLayout) -> dict[int, Any]:
    """Number the reps within their set on the x axis, the sets named above the plot.

    Every rep is labelled when they fit the layout (:attr:`PlotLayout.max_tick_labels`);
    more reps get the first and every fifth of each set labelled and a tick each. Returns the
    tick labels by the rep's position (to colour them).
    """
    n = len(reps)
    numbers = reps["rep"].to_numpy()
    shown = list(range(n))
    if n > layout.max_tick_labels:
        keep = [i for i in range(n) if numbers[i] == 1 or numbers[i] % 5 == 0]
        shown = [i for i in keep if i + 1 not in keep]  # never two labels side by side
        ax.set_xticks(np.arange(n), minor=True)
    ax.set_xticks(shown, [str(numbers[i]) for i in shown])
    set_names(ax, [(s, a - 0.5, b + 0.5) for s, a, b in _sets_of(reps)], layout)
    return dict(zip(shown, ax.get_xticklabels(), strict=True))


def _x_label(unit: str) -> str:
    """The x axis' title: the rep's number within its set (the sets are named above)."""
    return f"{unit} number within its set"


def _figure(height_in: float, layout: PlotLayout) -> Figure:
    """An empty figure of the layout's width and ``height_in`` (scaled by the layout)."""
    return Figure(figsize=(layout.width_in, height_in * layout.height_scale),
                  layout="constrained")


def _finish(fig: Figure, ax: Axes, layout: PlotLayout, title: str, xlabel: str,
            ylabel: str) -> None:
    """Title (wrapped) above the plot, labels and ticks at the layout's sizes, legend below.

    The legend sits under the plot, never between the title and its plot.
    """
    ax.set_title(textwrap.fill(title, layout.title_chars), fontsize=layout.title_pt)
    ax.set_xlabel(xlabel, fontsize=layout.font_pt)
    ax.set_ylabel(ylabel, fontsize=layout.font_pt)
    ax.tick_params(labelsize=layout.font_pt)
    pairs = [(h, label) for a in fig.axes for h, label in zip(*a.get_legend_handles_labels(),
                                                               strict=True)]
    # The phases first (as in the tables: up, top hold, down), then lines and marks as drawn.
    pairs.sort(key=lambda pair: pair[1] not in PHASE_LEGEND)
    labels = [label for _, label in pairs]
    fig.legend([h for h, _ in pairs], labels, loc="outside lower center",
               ncols=legend_columns(labels, layout), fontsize=layout.legend_pt, frameon=False)


PHASE_LEGEND: Final = frozenset({*REP_PHASE_WORDS.values(), *HOLD_PHASE_WORDS.values()})
"""The phases' legend entries, listed first."""


def legend_columns(labels: Sequence[str], layout: PlotLayout) -> int:
    """The most legend columns (up to the layout's) whose rows fit the figure's width.

    Estimated from the longest label: a character is about 0.6 of the font size wide, and
    each entry adds its marker and gaps (about 5 characters).
    """
    if not labels:
        return 1
    entry_pt = (max(len(label) for label in labels) + 5) * 0.6 * layout.legend_pt
    fit = int(layout.width_in * 72 // entry_pt)
    return max(1, min(layout.legend_cols, fit, len(labels)))


GAP_LABEL: Final = "no data: the sensor was lost"
"""Legend of the hatched band over a data gap in the tilt figure."""

GAP_REP_LABEL: Final = "over a data gap: not judged"
"""Legend of the hatched band behind a rep over a data gap in the rep figures."""


def _gap_band(ax: Axes, lo: float, hi: float, label: str | None, over: bool = True) -> None:
    """A hatched band from ``lo`` to ``hi`` (x data units): no data.

    ``over``: it hides what is under it (the phase shading of the tilt figure, which would
    show the gap as part of a phase); else it is drawn behind the bars and points of a rep
    over a gap, which stay visible.
    """
    ax.axvspan(lo, hi, facecolor="#ffffff" if over else "none", edgecolor=GAP_EDGE,
               hatch=GAP_HATCH, lw=0, zorder=1.5 if over else 0.8, label=label)


def angle_figure(report: SessionReport, layout: PlotLayout = WIDE) -> Figure:
    """Pelvis tilt over time, the phases of every rep shaded, swings and faults marked.

    Each fault has its own marker, named in plain words in the legend (:data:`FAULT_MARKERS`,
    :data:`imu.exercises.FAULT_WORDS`); marks of one rep stack above its top. A data gap
    (:attr:`SessionReport.lost_spans_s`) breaks the trace and is hatched "no data", never
    drawn as a line through it nor shaded as part of a phase. The sets are named above.
    """
    fig = _figure(3.6, layout)
    ax = fig.add_subplot()
    reps = report.reps
    words = phase_words(report.profile)
    angle_all = report.trace[:, 0].copy() if len(report.trace) else np.empty(0)
    t_all = report.trace_time_s
    lost = report.lost_spans_s
    for a, b in lost:  # rows held through a gap (and the filter's lag after it): no data
        angle_all[(t_all >= a + min(report.trace_start_s, 0.0)) & (t_all < b)] = np.nan
    sl = decimate(len(angle_all))
    t, angle = t_all[sl], angle_all[sl]
    for phase, spans in phase_spans(reps).items():
        if spans:
            ax.broken_barh(
                spans,
                (0, 1),
                transform=ax.get_xaxis_transform(),
                facecolors=PHASE_COLOURS[phase],
                alpha=0.35,
                label=words[phase],
            )
    for i, (a, b) in enumerate(lost):
        _gap_band(ax, a, b, GAP_LABEL if i == 0 else None)
    ax.plot(t, angle, color="#222", lw=0.8, label="pelvis tilt")
    valid = ~np.isnan(angle)
    if len(reps) and valid.any():
        top_t = reps["con_end_s"].to_numpy()
        top_a = np.interp(top_t, t[valid], angle[valid])
        step = 0.09 * max(float(np.nanmax(angle) - np.nanmin(angle)), 1.0)
        stacked = np.zeros(len(reps))
        kinds = [("swing", SWING_MARKER, SWING_COLOUR, swing_words(report.profile))]
        kinds += [(f, FAULT_MARKERS.get(f, "x"), FAULT_COLOUR, FAULT_WORDS[f]) for f in FAULTS]
        unsure = ~sure_reps(reps).to_numpy(dtype=bool)
        for column, marker, colour, label in kinds:
            if column not in reps.columns:
                continue
            hit = reps[column].fillna(False).to_numpy(dtype=bool)
            if not hit.any():
                continue
            stacked[hit] += 1
            doubt_hit = np.zeros_like(hit)
            if column == "swing" and report.profile.every_rep_is_swing:
                # A hip drive the analyzer is not sure of is not counted: a hollow star,
                # named so in the legend, never the counted drives' filled one.
                doubt_hit, hit = hit & unsure, hit & ~unsure
            if hit.any():
                ax.scatter(top_t[hit], top_a[hit] + stacked[hit] * step, marker=marker,
                           s=60 if marker == SWING_MARKER else 36, color=colour, zorder=3,
                           linewidths=2 if marker in LINE_MARKERS else None, label=label)
            if doubt_hit.any():
                ax.scatter(top_t[doubt_hit], top_a[doubt_hit] + stacked[doubt_hit] * step,
                           marker=marker, s=60, facecolors="none", edgecolors=colour,
                           linewidths=1.2, zorder=3, label=UNCERTAIN_DRIVE_LABEL)
        ax.margins(y=0.08)
        ax.set_ylim(top=max(ax.get_ylim()[1], float(np.nanmax(top_a + (stacked + 1) * step))))
        if not report.profile.every_rep_is_swing:  # a strict lift's pauses are no sets
            set_spans = [(n, float(reps["start_s"].iloc[i]),
                          float(reps["ecc_end_s"].iloc[j])) for n, i, j in _sets_of(reps)]
            set_names(ax, set_spans, layout)
    elif not valid.any():
        ax.text(0.5, 0.5, "no pelvic movement", transform=ax.transAxes, ha="center")
    _finish(fig, ax, layout, f"{report.profile.title}: pelvis tilt over time", "time (s)",
            "pelvis tilt (°)")
    ax.grid(alpha=0.3)
    return fig


def _prescribed_lines(ax: Axes, phases: Sequence[tuple[str, str]], tempo: Tempo,
                      words: Mapping[str, str]) -> None:
    """Dashed lines at the prescription, one per distinct value, named by what they are.

    A line of one phase takes a darker shade of the phase's colour; phases prescribed alike
    (up and down at 3-1-3) share one dark grey line named for both, so the legend shows
    exactly the lines drawn.
    """
    by_value: dict[float, list[str]] = {}
    for phase, column in phases:
        by_value.setdefault(float(getattr(tempo, column)), []).append(phase)
    for value, group in by_value.items():
        colour = PRESCRIBED_COLOURS[group[0]] if len(group) == 1 else "#444444"
        names = " and ".join(words[p] for p in group)
        ax.axhline(value, color=colour, ls="--", lw=1.4,
                   label=f"prescribed {names} ({value:g} s)")


PRESCRIBED_COLOURS: Final[dict[str, str]] = {
    "concentric": "#1f5fa0",
    "top hold": "#2e7d32",
    "eccentric": "#b35c00",
    "bottom pause": "#5e4a8a",
}
"""A darker shade of each phase's colour, for its prescribed line."""


def tempo_figure(report: SessionReport, layout: PlotLayout = WIDE) -> Figure:
    """Phase durations of every rep (bars) against the prescribed tempo (dashed lines).

    A hold (plank) shows its hold alone: the only phase its tempo judges. Every phase off
    tempo (:func:`off_phases`: the cells the table shows red) gets a red ▼ (short) or ▲
    (long) just above its bar, as in the table, and the rep a red tick label. A rep over a
    data gap is hatched "not judged" and gets no mark.
    """
    reps = report.reps
    fig = _figure(3.4, layout)
    ax = fig.add_subplot()
    x = np.arange(len(reps))
    tempo = report.tempo
    isometric = report.profile.isometric
    words = phase_words(report.profile)
    phases = [("concentric", "concentric_s"), ("top hold", "top_hold_s"),
              ("eccentric", "eccentric_s")]
    if isometric:
        phases = [("top hold", "top_hold_s")]
    width = 0.8 / len(phases)
    offsets = {column: (k - (len(phases) - 1) / 2) * width
               for k, (_, column) in enumerate(phases)}
    top = 0.0
    for phase, column in phases:
        values = reps[column].to_numpy()
        ax.bar(x + offsets[column], values, width, color=PHASE_COLOURS[phase],
               label=words[phase])
        top = max(top, float(getattr(tempo, column)),
                  float(np.nanmax(values)) if len(values) else 0.0)
    _prescribed_lines(ax, phases, tempo, words)
    ax.set_ylim(0, top * 1.3 + 0.1)
    if len(reps):
        gap = ~judged(reps).to_numpy(dtype=bool)
        for k, i in enumerate(np.flatnonzero(gap)):
            _gap_band(ax, i - 0.45, i + 0.45, GAP_REP_LABEL if k == 0 else None, over=False)
        # The same rule as the table's red cells: a ▼ or ▲ over every bar whose cell is red.
        off = [off_phases(row, tempo, isometric, report.tolerance)
               for row in reps.to_dict(orient="records")]
        bad = np.array([bool(o) for o in off])
        for way, (marker, _) in OFF_MARKERS.items():
            label: str | None = (
                "hold shorter than prescribed (red in the table)" if isometric
                else f"off tempo, {way} (red in the table)")
            for _, column in phases:
                hit = np.array([o.get(column) == way for o in off])
                if hit.any():
                    ax.scatter(x[hit] + offsets[column],
                               reps[column].to_numpy()[hit] + 0.05 * (top * 1.3 + 0.1),
                               marker=marker, s=30, color=FAULT_COLOUR, zorder=3, label=label)
                    label = None
        ax.set_xlim(-0.6, len(reps) - 0.4)
        ticks = _rep_ticks(ax, reps, layout)
        for position, tick in ticks.items():
            if bad[position]:
                tick.set_color(FAULT_COLOUR)
            elif gap[position]:
                tick.set_color("#555555")
        _set_boundaries(ax, reps)
    else:
        ax.text(0.5, 0.5, "no reps", transform=ax.transAxes, ha="center")
    unit = "hold" if isometric else "rep"
    title = (f"Hold time of every hold against {tempo.top_hold_s:g} s prescribed" if isometric
             else f"Up, top hold and down of every rep against {tempo} (up-hold-down, s)")
    _finish(fig, ax, layout, title, _x_label(unit), "duration (s)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def eccentric_band(tempo: Tempo, tolerance: TempoTolerance | None = None) -> tuple[float, float]:
    """The on-tempo band of the eccentric, (low, high) in s (the tempo tolerance rule)."""
    tol = tolerance or TempoTolerance()
    allowed = tol.slack_s(tempo.eccentric_s)
    return max(0.0, tempo.eccentric_s - allowed), tempo.eccentric_s + allowed


def eccentric_figure(report: SessionReport, layout: PlotLayout = WIDE) -> Figure:
    """Down phase (descent) of every rep against the on-tempo band and the dropped line.

    Drawn only for exercises that judge a dropped descent (:func:`judges_descent`). A dropped
    descent has the tilt figure's marker (:data:`FAULT_MARKERS`); a rep over a data gap is
    hatched "not judged".
    """
    reps = report.reps
    tempo = report.tempo
    fig = _figure(3.0, layout)
    ax = fig.add_subplot()
    low, high = eccentric_band(tempo, report.tolerance)
    ratio = report.profile.thresholds.dropped_eccentric_ratio
    drop = ratio * tempo.eccentric_s
    ax.axhspan(low, high, color="#6cc46a", alpha=0.25, label=f"on tempo ({low:.3g}-{high:.3g} s)")
    ax.axhline(tempo.eccentric_s, color=PRESCRIBED_COLOURS["top hold"], ls="--", lw=1.2,
               label=f"prescribed {tempo.eccentric_s:g} s")
    ax.axhline(drop, color=FAULT_COLOUR, ls=":", lw=1.2,
               label=f"dropped: under {drop:.2g} s ({ratio:.0%} of the prescribed)")
    x = np.arange(len(reps))
    if len(reps):
        ecc = reps["eccentric_s"].to_numpy()
        dropped = reps["dropped_eccentric"].to_numpy(dtype=bool)
        gap = ~judged(reps).to_numpy(dtype=bool)
        for k, i in enumerate(np.flatnonzero(gap)):
            _gap_band(ax, i - 0.45, i + 0.45, GAP_REP_LABEL if k == 0 else None, over=False)
        ax.plot(x, ecc, color="#999", lw=0.8, zorder=2)
        ax.scatter(x[~dropped], ecc[~dropped], marker="o", color="#e08a00", edgecolor="#333",
                   zorder=3, label="down phase of a rep")
        if dropped.any():
            ax.scatter(x[dropped], ecc[dropped], marker=FAULT_MARKERS["dropped_eccentric"],
                       s=60, color=FAULT_COLOUR, zorder=3, label="dropped descent")
        ax.set_xlim(-0.6, len(reps) - 0.4)
        _rep_ticks(ax, reps, layout)
        _set_boundaries(ax, reps)
        ax.set_ylim(0, max(high, float(np.nanmax(ecc))) * 1.15)
    else:
        ax.text(0.5, 0.5, "no reps", transform=ax.transAxes, ha="center")
    _finish(fig, ax, layout, "Down phase (descent) of every rep against the on-tempo band",
            _x_label("rep"), "down (s)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def report_figures(
    report: SessionReport, layout: PlotLayout = WIDE
) -> list[tuple[Figure, str]]:
    """The figures that apply to the recording's exercise, each with its alt text.

    Every exercise gets the tilt over time and its tempo (a hold: the hold time); the descent
    plot only where a dropped descent is judged (not bird-dog, dead bug, plank, strict lifts).
    Without a rep (a strict lift done strictly) only the tilt: the rep plots would be empty.
    """
    profile = report.profile
    words = phase_words(profile)
    phases = ", ".join(words[p] for p in ("concentric", "top hold", "eccentric"))
    unit = "hold" if profile.isometric else "rep"
    marks = ("each fault marked with its own marker" if profile.isometric else
             "swings marked with a star and each fault with its own marker")
    gaps = ("; the time the sensor was lost is hatched, no data" if report.lost_spans_s
            else "")
    named = "" if profile.every_rep_is_swing else " and the sets named above"
    if profile.every_rep_is_swing:
        unit, marks = HIP_DRIVE, f"each marked with a star as a {swing_words(profile)}"
        if not sure_reps(report.reps).all():
            marks += ", a hollow star when uncertain and not counted"
    out = [(
        angle_figure(report, layout),
        f"Pelvis tilt in degrees over time in seconds for {profile.title.lower()}, with the "
        f"{phases} of every {unit} shaded{named}; {marks}, named in the legend{gaps}.",
    )]
    if report.reps.empty or profile.every_rep_is_swing:
        # No rep: a plot of every rep's phases would be an empty frame. A strict lift's
        # hip drives have no tempo: the tilt with each drive marked is the plot.
        return out
    if profile.isometric:
        out.append((
            tempo_figure(report, layout),
            f"Bars of the hold time in seconds of every hold against the prescribed "
            f"{report.tempo.top_hold_s:g} s; holds shorter than prescribed marked with a red "
            "downward triangle.",
        ))
    else:
        out.append((
            tempo_figure(report, layout),
            f"Bars of the up, top hold and down durations in seconds of every rep, numbered "
            f"within its set, against the prescribed {report.tempo}; every phase off tempo "
            "marked with a red triangle, down when short and up when long, as in the tables.",
        ))
    if judges_descent(profile):
        out.append((
            eccentric_figure(report, layout),
            "Down phase (descent) in seconds of every rep against the green on-tempo band "
            f"around the prescribed {report.tempo.eccentric_s:g} s; dropped descents marked "
            "with a red cross.",
        ))
    return out


def figure_html(fig: Figure, alt: str, caption: str = "", wide: bool = False,
                narrow: Figure | None = None) -> str:
    """A ``<figure>`` with the PNG embedded, its alt text and an optional caption.

    A ``wide`` figure fills the page's width (else it is shown at its size, at most the
    page's width). With a ``narrow`` version (drawn with
    :data:`NARROW`), screens up to :data:`NARROW_MAX_PX` wide show that one instead (a
    ``<picture>`` source), so a phone gets a figure drawn for its width with readable text,
    never a desktop figure shrunk or scrolled sideways.
    """
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    img = (f'<img{" class=wide" if wide else ""} alt="{html.escape(alt)}" '
           f'src="data:image/png;base64,{png_base64(fig, WIDE.dpi)}">')
    if narrow is not None:
        img = (f'<picture><source media="(max-width: {NARROW_MAX_PX}px)" '
               f'srcset="data:image/png;base64,{png_base64(narrow, NARROW.dpi)}">{img}'
               "</picture>")
    return f"<figure>{img}{cap}</figure>"


def plain_label(column: str) -> str:
    """The plain heading of a column: :data:`COLUMN_LABELS`, else words from the name."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    for suffix, unit in (("_s", " (s)"), ("_deg", " (°)"), ("_dps", " (°/s)"),
                         ("_share", " (%)"), ("_count", "")):
        if column.endswith(suffix):
            return column.removesuffix(suffix).replace("_", " ").capitalize() + unit
    return column.replace("_", " ").capitalize()


def _cell(value: object, spec: str = ".3g") -> str:
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        # "z": a value that rounds to zero prints 0.0, not -0.0.
        return "-" if math.isnan(value) else f"{float(value):z{spec}}"
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return str(value)


def scroll_table(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "",
                 cls: str = "", label: str = "") -> str:
    """A table (cells already HTML) inside its own horizontally scrolling box.

    ``caption`` is shown above it and names it for screen readers; ``label`` only names it.
    """
    cap = f'<p class="note">{html.escape(caption)}</p>' if caption else ""
    name = label or caption
    label = f' aria-label="{html.escape(name)}"' if name else ""
    klass = f' class="{cls}"' if cls else ""
    ths = "".join(
        f'<th scope="col"{" class=notes" if h == "Notes" else ""}>{html.escape(h)}</th>'
        for h in head
    )
    body = "".join(
        "<tr>" + "".join(
            f'<td class="notes">{c}</td>' if head[i] == "Notes" else f"<td>{c}</td>"
            for i, c in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return (f'{cap}<div class="scroll" tabindex="0"><table{klass}{label}><thead><tr>{ths}</tr>'
            f"</thead><tbody>{body}</tbody></table></div>")


# --------------------------------------------------------------------------- badges


def _num(row: Row, column: str) -> float | None:
    value = row.get(column)
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _badge(kind: str, text: str, title: str) -> str:
    return (f'<span class="badge b-{kind}" title="{html.escape(title)}">'
            f"{html.escape(text)}</span>")


MISSED_TITLE: Final = ("the pause before this rep was much longer than the set's rhythm (over "
                       "1.6 of its usual intervals): a rep too small for the hip to show may "
                       "hide there, so the set's count may be one short. The rep itself is "
                       "counted as any other")
"""What the ``missed_before`` badge means, on hover."""


def rep_badges(row: Row, tempo: Tempo, profile: ExerciseProfile | None = None) -> list[str]:
    """Badges of one rep: swing and each fault with its measured quantity, uncertain reps.

    A quantity that would print as its threshold gets a decimal more
    (:func:`imu.report.tables.near_limit`): a dropped descent of 1.49 s against a 1.5 s line
    reads "1.49 s = 49.7%", never "1.5 s = 50%".

    Args:
        row: one row of the reps table (the quantity columns of docs/analysis.md are used
            when present; otherwise the badge shows what the table has).
        tempo: the prescription (for ratios the table does not carry).
        profile: the exercise's profile, for its thresholds (the defaults when None).

    """
    th = profile.thresholds if profile is not None else FaultThresholds()
    out: list[str] = []
    certainty = _num(row, "count_confidence")
    if certainty is not None and certainty < UNCERTAIN_CONFIDENCE:
        # First, so it qualifies the swing and fault badges after it: they are shown (the
        # table has them) but not counted (imu.report.summary.evidence_mask).
        faulty = bool(row.get("swing")) or any(row.get(f) for f in FAULTS)
        counted = ("; its swing and faults not counted" if faulty and not row.get("in_gap")
                   else "")
        title = ("the analyzer found this movement but is not sure it was a rep: it "
                 "may be noise, or part of another rep. It is listed among the reps "
                 "found, never counted clean, and its swing and faults are left out "
                 "of the advice (fix first, also seen, verdict) and of the swing and "
                 f"fault counts and shares. {CERTAINTY_TITLE}")
        # A strict lift's rep is a hip drive: the doubt is whether it was one (or sway).
        # The drive is itself the fault, so it is the drive that is not counted ("its swing
        # and faults" read as a swing apart from the hip drive), as the terminal says it.
        what = "hip drive" if profile is not None and profile.every_rep_is_swing else "rep"
        words = f"certainty {certainty_words(certainty)}"
        if profile is not None and what == "hip drive":
            counted = "; not counted" if not row.get("in_gap") else ""
            # Why, from what the certainty was computed from: "too slow to be sure: 16°/s
            # at its fastest" for a 21° burst, never "may be sway" or "noise" alone.
            why = doubt(row, profile)
            words = f"{why.why}: {why.short}" if why.short else why.why
            title = ("the analyzer found this movement of the pelvis but is not sure it was "
                     f"a hip drive: {why.text}. It is listed among the hip drives found and "
                     "left out of their count and of the advice (fix first, verdict). "
                     f"{CERTAINTY_TITLE}")
        out.append(_badge("unsure", f"uncertain: may not be a {what} ({words}){counted}",
                          title))
    # Over a data gap a rep is not judged: its swing and faults are shown, marked so (the
    # terminal's faults cell reads "not judged"; neither is counted anywhere).
    not_judged = " (not judged: data gap)" if row.get("in_gap") else ""
    if row.get("swing"):
        strict = profile is not None and profile.every_rep_is_swing
        out.append(_badge("swing", swing_badge_text(row, tempo, th, profile) + not_judged,
                          HIP_DRIVE_TITLE if strict else SWING_TITLE))
    for fault in FAULTS:
        if not row.get(fault):
            continue
        quantity = _fault_quantity(fault, row, tempo, th)
        out.append(_badge("fault", f"{FAULT_WORDS[fault]}: {quantity}{not_judged}",
                          FAULT_TITLES[fault]))
    if row.get("in_gap"):
        out.append(_badge("unsure", GAP_BADGE,
                          "samples were lost during this rep, so how long its phases lasted "
                          "is not known: its tempo, swing and faults are not judged, and it is "
                          "left out of the on-tempo, clean and fault counts"))
    return out


LOW_CERTAINTY: Final = 0.25
"""A ``count_confidence`` under this is "very low" certainty (:func:`certainty_words`)."""

CERTAINTY_TITLE: Final = ("Certainty (0-1, the Rep certainty column) says how clearly the "
                          "movement stood out of the noise and beyond the smallest rep: under "
                          f"{UNCERTAIN_CONFIDENCE:g} it is uncertain, under "
                          f"{LOW_CERTAINTY:g} very low.")
"""What an uncertain rep's certainty means, on hover."""


def certainty_words(confidence: float) -> str:
    """An uncertain rep's ``count_confidence`` in words: "very low" or "low".

    Never a percentage: a rep listed among those found yet "0% sure" read as a
    contradiction, where "certainty very low" says what it is (found, and in doubt).
    """
    return "very low" if confidence < LOW_CERTAINTY else "low"


GAP_BADGE: Final = "over a data gap: tempo not judged"
"""The grey badge of a rep over a data gap (the terminal: faults "not judged", tempo "gap")."""


SWING_TITLE: Final = ("swing: the rep was thrown up with momentum, not lifted under control; "
                      "a swing shows at least two of: a fast lift (under half the prescribed "
                      "time up), top speed reached early (in the first 35% of the lift), a "
                      "wind-up (a dip of 3° or more the other way just before)")
"""Hover text of a swing badge (DOMAIN: momentum-driven reps)."""

HIP_DRIVE_TITLE: Final = ("swing (hip drive): in a strict lift the pelvis should stay still; "
                          "this burst of pelvic movement helped drive the weight up")
"""Hover text of a standing strict lift's swing badge: every pelvic burst is hip drive."""


def swing_badge_text(row: Row, tempo: Tempo, th: FaultThresholds | None = None,
                     profile: ExerciseProfile | None = None) -> str:
    """A swing badge in plain words: the swing's name and the signs that made it one.

    "swing (leg toss): up in 0.9 s of 3, top speed early (at 14% of the lift), wind-up 6°":
    only the signs that hold (DOMAIN: at least two of three), each with its measured
    quantity. A strict lift's every pelvic burst is a swing (hip drive), whatever its signs:
    "swing (hip drive): the pelvis moved 25°".
    """
    th = th or FaultThresholds()
    name = swing_words(profile)
    if profile is not None and profile.every_rep_is_swing:
        rom = _num(row, "rom_deg")
        return f"{name}: the pelvis moved {rom:.0f}°" if rom is not None else name
    bits: list[str] = []
    up = _num(row, "concentric_s")
    line = th.fast_ratio * tempo.concentric_s
    ratio = _num(row, "concentric_ratio")  # the analyzer's own reading of "fast"
    fast = (ratio < th.fast_ratio if ratio is not None
            else up is not None and up < line)
    if up is not None and fast:
        bits.append(f"up in {near_limit(up, [line])} s of {tempo.concentric_s:g}")
    peak = _num(row, "peak_time_fraction")
    if peak is not None and peak < th.early_peak_fraction:
        at = near_limit(peak * 100, [th.early_peak_fraction * 100], 0)
        bits.append(f"top speed early (at {at}% of the lift)")
    windup = _num(row, "windup_deg")
    if windup is not None and windup >= th.windup_deg:
        bits.append(f"wind-up {near_limit(windup, [th.windup_deg], 0)}°")
    return f"{name}: {', '.join(bits)}" if bits else name


FAULT_TITLES: Final[dict[str, str]] = {
    "dropped_eccentric": "descent shorter than half the prescribed one",
    "back_arch": "pelvis tipped forward more than 5° beyond where it rested before the rep",
    "hips_rotating": "more than 5° of rotation about the body's long axis during the rep",
    "over_extension": "range over 130% of your earlier reps",
    "partial_rom": "range under 60% of your earlier reps",
    "short_hold": "top hold shorter than half the prescribed one",
    "body_swing": "the whole body swung from the bar more than 5° in the 3 s before the rep "
                  "(not a swing of the rep itself: that is a swing, thrown up with momentum)",
    "hips_sagging": "hips dropped more than 5° from the start of the hold",
    "hips_piking": "hips rose more than 5° from the start of the hold",
    "shaking": "angular velocity above 6°/s RMS during the hold",
}
"""The definition behind each fault badge (DOMAIN.md), shown on hover."""


def _fault_quantity(fault: str, row: Row, tempo: Tempo,
                    th: FaultThresholds | None = None) -> str:
    """The measured quantity behind a fault, from the table's columns when it has them.

    Printed with enough decimals never to read as its threshold (:func:`near_limit`).
    """
    th = th or FaultThresholds()
    if fault == "dropped_eccentric":
        down = _num(row, "eccentric_s")
        ratio = _num(row, "eccentric_ratio")
        if ratio is None and down is not None:
            ratio = down / tempo.eccentric_s
        if down is None or ratio is None:
            return "descent too fast"
        line = th.dropped_eccentric_ratio
        return (f"{near_limit(down, [line * tempo.eccentric_s])} s = "
                f"{near_limit(ratio * 100, [line * 100], 0)}% of {tempo.eccentric_s:g} s")
    if fault == "short_hold":
        hold = _num(row, "top_hold_s")
        if hold is None:
            return "too short"
        return f"{near_limit(hold, [th.short_hold_ratio * tempo.top_hold_s])} s of " \
               f"{tempo.top_hold_s:g} s"
    if fault in ("partial_rom", "over_extension"):
        ratio = _num(row, "rom_ratio")
        rom = _num(row, "rom_deg")
        limit = th.partial_rom_ratio if fault == "partial_rom" else th.over_extension_ratio
        if ratio is not None:
            return f"{near_limit(ratio * 100, [limit * 100], 0)}% of earlier reps"
        return f"{rom:.0f}°" if rom is not None else "range"
    column, unit, threshold = {
        "back_arch": ("arch_deg", "°", th.back_arch_deg),
        "hips_rotating": ("rotation_deg", "°", th.hips_rotating_deg),
        "body_swing": ("body_swing_deg", "°", th.body_swing_deg),
        "hips_sagging": ("drift_deg", "°", th.hip_drift_deg),
        "hips_piking": ("drift_deg", "°", th.hip_drift_deg),
        "shaking": ("shaking_dps", " °/s", th.shaking_dps),
    }[fault]
    value = _num(row, column)
    if value is None:
        return f"over {threshold:g}{unit}"
    return f"{near_limit(abs(value), [threshold], 0)}{unit}"


# --------------------------------------------------------------------------- sections


TEMPO_PHASES: Final = (
    ("concentric_s", "concentric_s"),
    ("top_hold_s", "top_hold_s"),
    ("eccentric_s", "eccentric_s"),
)
"""Each phase as (reps-table column, :class:`Tempo` field): up, top hold, down."""


NOT_JUDGED_TITLE: Final = ("not judged: samples were lost during this rep, so how long the "
                           "phase lasted is not known")
"""Hover text of a phase cell of a rep over a data gap."""


def _phase_cell(measured: float, prescribed: float, off: str | None, text: str,
                gap: bool = False) -> str:
    """A phase duration, bold red with ▼ (short) or ▲ (long) when it is off tempo.

    ``text``: the duration as every view prints it (:func:`imu.report.tables.phase_text`:
    one decimal, two only where one would put it on the wrong side of a limit). ``gap``:
    the rep is over a data gap, so the phase is not judged: grey italic, never red.
    """
    if math.isnan(measured):
        return "-"
    if gap:
        return f'<span class="nj" title="{html.escape(NOT_JUDGED_TITLE)}">{text}</span>'
    if off is None:
        return text
    arrow = OFF_MARKERS[off][1]
    return (f'<span class="off" title="off tempo, {off}: prescribed {prescribed:g} s">'
            f"{text}{arrow}</span>")


def _no_fault_badge(row: Row, hold: bool = False) -> str:
    """The badge of a clean rep: "no form fault", green on tempo, grey beside a red cell."""
    what = "no sagging, piking or shaking" if hold else "no swing and no fault"
    if row.get("tempo_ok", True):
        return _badge("clean", "no form fault", f"clean: {what}")
    return _badge("unsure", "no form fault",
                  f"clean: {what}; tempo is judged apart, and this "
                  f"{'hold was too short' if hold else 'rep was off tempo (the red cell)'}")


def _tut_words(tut_s: float | None) -> str:
    """A set's time under tension in words: ``84 s under tension``.

    Unknown when every rep of the set was over a data gap (NaN in the sets table), never "0 s".
    """
    if tut_s is None:
        return f"time under tension {TUT_UNKNOWN}"
    return f"{tut_s:.0f} s under tension"


def _gap_count(reps: pd.DataFrame) -> int:
    return int((~judged(reps)).sum())


def set_section(report: SessionReport, set_row: Row, reps: pd.DataFrame, level: int = 3) -> str:
    """One set: a line of totals and a compact row per rep (up-hold-down, range, badges).

    A static hold's set is :func:`_hold_set_section`'s. Clean means no form fault (no swing,
    no fault; tempo apart); reps over a data gap are neither judged on tempo nor counted
    clean, and the line says how many there were; uncertain reps are never clean, and the
    line says how many it left out.

    ``level`` is the heading level of the set's title (``<h3>`` in a report of one recording).
    """
    rest = _num(set_row, "rest_before_s")
    rest_text = "" if rest is None else f", rest before {rest:.0f} s"
    if report.profile.isometric:
        return _hold_set_section(report, set_row, reps, level, rest_text)
    tempo = report.tempo
    n = int(set_row["reps"])
    clean = int(set_row["clean_reps"])
    measured = judged(reps)
    on_tempo = int((reps["tempo_ok"].astype(bool) & measured).sum())
    gaps = n - int(measured.sum())
    gap_text = (f" ({gaps} over a data gap, not judged)" if gaps else "")
    unsure = _uncertain_left_out(int((measured & ~sure_reps(reps)).sum()))
    line = (
        f"{n} rep{'s' if n != 1 else ''}{gap_text}: {clean} clean (no form fault{unsure}), "
        f"{int(set_row['clean_reps_before_first_fault'])} clean before the first swing or fault, "
        f"{on_tempo} of {n - gaps} on tempo, "
        f"{_tut_words(_num(set_row, 'tut_s'))}{rest_text}."
    )
    alternating = reps["side"].notna().any()
    head = ["Rep", *(["Side"] if alternating else []),
            f"Up (s) [{tempo.concentric_s:g}]", f"Hold (s) [{tempo.top_hold_s:g}]",
            f"Down (s) [{tempo.eccentric_s:g}]", "Range (°)", "Notes"]
    rows: list[list[str]] = []
    for row in reps.to_dict(orient="records"):
        badges = rep_badges(row, tempo, report.profile)
        if not badges and row.get("clean"):
            badges = [_no_fault_badge(row)]
        if marked_missed_before(row):
            badges.append(_badge("unsure", MISSED_BEFORE_NOTE, MISSED_TITLE))
        off = off_phases(row, tempo, tolerance=report.tolerance)
        gap = bool(row.get("in_gap"))
        rows.append([
            str(row["rep"]),
            *([html.escape(_cell(row["side"]))] if alternating else []),
            *(_phase_cell(float(row[column]), float(getattr(tempo, attr)), off.get(column),
                          phase_text(float(row[column]), column, float(getattr(tempo, attr)),
                                     thresholds=report.profile.thresholds,
                                     tolerance=report.tolerance), gap)
              for column, attr in TEMPO_PHASES),
            _cell(float(row["rom_deg"]), ".0f"),
            " ".join(badges),
        ])
    set_no = int(set_row["set"])
    return (f"<h{level}>Set {set_no}</h{level}><p>{html.escape(line)}</p>"
            + scroll_table(head, rows, label=f"Reps of set {set_no}", cls="set"))


def _hold_set_section(report: SessionReport, set_row: Row, reps: pd.DataFrame, level: int,
                      rest_text: str) -> str:
    """One set of static holds: time held against the target, drift and faults per hold.

    The time held is :func:`imu.report.tables.time_held_s`, the total every view gives.
    """
    target = report.tempo.top_hold_s
    n = int(set_row["reps"])
    measured = judged(reps)
    gaps = n - int(measured.sum())
    long_enough = (int((reps["tempo_ok"].astype(bool) & measured).sum())
                   if "tempo_ok" in reps else 0)
    gap_text = f" ({gaps} over a data gap, not judged)" if gaps else ""
    line = (f"{n} hold{'s' if n != 1 else ''}{gap_text}: {long_enough} of {n - gaps} long "
            f"enough, held {time_held_s(reps):.0f} s in all{rest_text}.")
    head = ["Hold", f"Held (s) [{target:g}]", "Drift (°)", "Notes"]
    drift_limit = report.profile.thresholds.hip_drift_deg
    rows: list[list[str]] = []
    for row in reps.to_dict(orient="records"):
        badges = rep_badges(row, report.tempo, report.profile)
        if not badges and row.get("clean"):
            badges = [_no_fault_badge(row, hold=True)]
        off = off_phases(row, report.tempo, isometric=True, tolerance=report.tolerance)
        drift = _num(row, "drift_deg")
        rows.append([
            str(row["rep"]),
            _phase_cell(float(row["top_hold_s"]), target, off.get("top_hold_s"),
                        phase_text(float(row["top_hold_s"]), "top_hold_s", target,
                                   isometric=True, tolerance=report.tolerance),
                        bool(row.get("in_gap"))),
            "-" if drift is None else near_limit(drift, [drift_limit, -drift_limit], 0),
            " ".join(badges),
        ])
    set_no = int(set_row["set"])
    return (f"<h{level}>Set {set_no}</h{level}><p>{html.escape(line)}</p>"
            + scroll_table(head, rows, label=f"Holds of set {set_no}", cls="set"))


GAP_KEY: Final = ("A {unit} over a data gap (grey, italic: samples were lost during it) is "
                  "not judged: it is left out of the on-tempo, clean and fault counts and "
                  "of the clean runs.")
"""Said above the sets when some rep was over a data gap."""


def sets_key(report: SessionReport) -> str:
    """What the per-set tables show, said once above them."""
    gap = (" " + GAP_KEY.format(unit="hold" if report.profile.isometric else "rep")
           if _gap_count(report.reps) else "")
    if report.profile.isometric:
        return (f"Time held in seconds, prescribed in brackets; red ▼: shorter than prescribed "
                f"(by more than {HOLD_SLACK_FRACTION:.0%}). Drift: how far the hips moved "
                f"from where they started the hold, + up (piking), − down (sagging).{gap}")
    unsure = (" An uncertain rep (it may not be a rep) is never counted clean, and its "
              "swing and faults are not counted." if not sure_reps(report.reps).all() else "")
    return ("Up, hold and down in seconds, prescribed in brackets; red: off tempo, ▼ short, "
            "▲ long. Clean means no form fault (no swing and no fault): tempo is judged apart, "
            f"so a clean rep can have a red cell.{unsure}{gap}")


def _uncertain_left_out(n: int) -> str:
    """Said beside a clean count that leaves uncertain reps out: "; 3 uncertain not counted"."""
    return f"; {n} uncertain not counted" if n else ""


def _share_text(count: int, total: int) -> str:
    return f"{count / total:.0%}" if total else "-"


def summary_html(summary: Summary, name: str = "") -> str:
    """The ten-second summary block of one recording.

    The counts first: reps and sets; on tempo (of the reps judged: not over a data gap);
    clean, which means no form fault (tempo is judged apart); time under tension (a plank:
    the time held, :func:`imu.report.tables.time_held_s`). Then what a data gap cost, the
    things to fix, the verdict, the uncertain reps and the disclaimer.
    """
    unit = summary.unit
    plural = "s" if summary.reps != 1 else ""
    parts = ['<section class="summary" aria-label="Summary">']
    if name:
        parts.append(f"<h3>{html.escape(name)}</h3>")
    if summary.strict and not summary.reps:
        # No hip drive is the good outcome of a strict lift: no "0 reps · - on tempo · 0
        # clean" cards that read as a failure.
        parts.append('<ul class="stats"><li><b>0</b>hip drives: the pelvis stayed still'
                     f"</li></ul><p><strong>{html.escape(STRICT_FORM)}</strong></p>")
        if summary.gap_note:
            parts.append(f'<p class="gap"><strong>Data lost:</strong> '
                         f"{html.escape(summary.gap_note)}</p>")
        parts.append(f'<p class="advice">{html.escape(summary.advice.text)}</p>')
        parts.append(f'<p class="disclaimer">{html.escape(summary.disclaimer)}</p></section>')
        return "".join(parts)
    if summary.strict:
        return _strict_summary_html(summary, parts)
    on_tempo = "long enough" if unit == "hold" else "on tempo"
    judged_of = f"{summary.on_tempo} of {summary.judged}"
    if summary.gap_count:
        judged_of += " judged"
    worked = (f"<li><b>{summary.held_s:.0f} s</b>held in all</li>" if unit == "hold"
              else f"<li><b>{summary.tut_s:.0f} s</b>time under tension</li>"
              if math.isfinite(summary.tut_s)
              else f"<li><b>–</b>time under tension {TUT_UNKNOWN}</li>")
    parts.append(
        '<ul class="stats">'
        f"<li><b>{summary.reps}</b>{unit}{plural} in {summary.sets} "
        f"set{'s' if summary.sets != 1 else ''}</li>"
        f"<li><b>{_share_text(summary.on_tempo, summary.judged)}</b>{unit}s {on_tempo} "
        f"({judged_of})</li>"
        f"<li><b>{summary.clean_reps}</b>clean {unit}{'s' if summary.clean_reps != 1 else ''}"
        f" (no form fault{_uncertain_left_out(summary.uncertain_count)})</li>"
        f"{worked}</ul>"
    )
    parts += _gap_and_fixes(summary)
    if summary.fixes:
        if summary.also:
            also = "; ".join(f.text.rstrip(".") for f in summary.also)
            parts.append(f'<p class="note">Also seen: {html.escape(also)}.</p>')
    elif summary.reps and not summary.sure and summary.uncertain_count:
        # Nothing sure to judge: "keep it up" beside "0 clean reps" read as a contradiction.
        every = ("The one" if summary.reps == 1 else "Both" if summary.reps == 2
                 else f"All {summary.reps}")
        one = summary.reps == 1
        parts.append(f"<p><strong>{every} {unit}{'' if one else 's'} found "
                     f"{'is' if one else 'are'} uncertain</strong> (the analyzer is not sure "
                     f"{'it is a' if one else 'they are'} {unit}{'' if one else 's'}), so "
                     f"{'it is not' if one else 'none is'} counted clean or judged for a "
                     "swing or fault.</p>")
    elif summary.uncertain_faults:  # not "keep it up": the faults are in doubt, not absent
        parts.append(f"<p><strong>No swing or fault in the {unit}s the analyzer is sure "
                     f"of.</strong> Not counted: a swing or fault in uncertain {unit}s "
                     f"({html.escape(summary.uncertain_faults)}).</p>")
    elif summary.reps:
        found = "No fault found" if unit == "hold" else "No swing or fault found"
        parts.append(f"<p><strong>{found}: keep it up.</strong></p>")
    parts.append(f'<p class="advice">{html.escape(summary.advice.text)}</p>')
    if summary.missed_before:
        parts.append(f'<p class="note">{html.escape(missed_note(summary.missed_before))}</p>')
    if summary.uncertain:
        parts.append(f'<p class="note">Uncertain {unit}s (the analyzer is not sure they are '
                     f"{unit}s: never counted clean, and their swings and faults are not "
                     f"counted in the advice nor in the swing and fault counts and shares): "
                     f"{html.escape(summary.uncertain)}.</p>")
    parts.append(f'<p class="disclaimer">{html.escape(summary.disclaimer)}</p></section>')
    return "".join(parts)


def _gap_and_fixes(summary: Summary) -> list[str]:
    """The summary card's "Data lost" line and "Fix first" list, HTML parts (may be none)."""
    parts = []
    if summary.gap_note:
        parts.append(f'<p class="gap"><strong>Data lost:</strong> '
                     f"{html.escape(summary.gap_note)}</p>")
    if summary.fixes:
        parts.append("<p><strong>Fix first:</strong></p><ol class=\"fix\">")
        parts += [f"<li><strong>{html.escape(f.cue)}</strong>: {html.escape(f.evidence)}</li>"
                  for f in summary.fixes]
        parts.append("</ol>")
    return parts


def _strict_summary_html(summary: Summary, parts: list[str]) -> str:
    """The summary of a standing strict lift with hip drives: what the hip measured.

    Every pelvic burst of a strict lift is a hip drive, and the lifts themselves are not
    counted from the hip: the card counts hip drives, not reps in sets, on tempo or clean
    (a pause between two hip drives is no set the person did, and a drive has no tempo).
    """
    left_out = (f" ({summary.uncertain_count} uncertain not counted)"
                if summary.uncertain_count else "")
    sure = summary.sure
    what = (": the pelvis moved to drive the weight" if sure else
            " the analyzer is sure of")  # only uncertain bursts (coaching.doubt says why)
    parts.append(f'<ul class="stats"><li><b>{sure}</b>{HIP_DRIVE}{"" if sure == 1 else "s"}'
                 f"{what}{html.escape(left_out)}</li></ul>")
    parts += _gap_and_fixes(summary)
    parts.append(f'<p class="advice">{html.escape(summary.advice.text)}</p>')
    if summary.uncertain and sure:  # (with none sure, the verdict above says why already)
        # Why each is uncertain, from what its certainty was computed from (its range, its
        # peak rate, the noise before it): a 21° burst is never "barely above the noise".
        n = summary.uncertain_count
        why = summary.doubts or summary.uncertain
        parts.append(f'<p class="note">Uncertain hip drive{"" if n == 1 else "s"}, not counted '
                     f"(the analyzer is not sure {'it is one' if n == 1 else 'they are'}): "
                     f"{html.escape(why)}.</p>")
    parts.append(f'<p class="disclaimer">{html.escape(summary.disclaimer)}</p></section>')
    return "".join(parts)


SESSION_FIELDS: Final[tuple[tuple[str, str, str], ...]] = (
    ("exercise", "Exercise", ""),
    ("tempo", "Prescribed tempo, up-hold-down (s)", ""),
    ("participant", "Participant", "text"),
    ("date", "Date", "date"),
    ("duration_s", "Recording length (s)", ".0f"),
    ("sets", "Sets", ""),
    ("reps", "Reps", ""),
    ("tut_s", "Time under tension (s)", ".0f"),
    ("tempo_ok_share", "Reps on tempo (%)", "%"),
    ("eccentric_s_median", "Median descent (s)", ".1f"),
    ("rom_deg_median", "Median range of motion (°)", ".0f"),
    ("swing_share", "Reps with a swing (%)", "%"),
    ("clean_share", "Clean reps, no form fault (%)", "%"),
    ("clean_reps_before_first_fault", "Clean reps before a swing or fault, best set", ""),
)
"""Session-table columns shown in the details, with their plain labels and format."""


SHARE_LABELS: Final[dict[str, str]] = {
    "body_swing": "Reps started with the body swinging from the bar (%)",
}
"""A fault share's label where "Reps with <fault words> (%)" reads as another row: "Reps with
body swing" beside "Reps with a swing" (a momentum rep) read as one thing twice."""


NOT_FOR_HOLDS: Final = frozenset({"eccentric_s_median", "rom_deg_median", "swing_share",
                                  "tut_s"})
"""Session columns that mean nothing for a static hold (no lowering, range or swing), or
that a hold's details replace: the time held (:func:`time_held_s`) is the hold's total, as
in the summary, the set lines and the command line (``tut_s``, getting in and out included,
stays in the CSV)."""

HOLD_FIELD_LABELS: Final[dict[str, str]] = {
    "reps": "Holds",
    "tempo": "Prescribed hold (s)",
    "tempo_ok_share": "Holds long enough (%)",
    "clean_share": "Holds without a fault (%)",
    "clean_reps_before_first_fault": "Holds before the first fault, best set",
}
"""Plain labels of the session columns for a static hold."""


NOT_FOR_STRICT: Final = frozenset({"tempo", "sets", "tut_s", "tempo_ok_share",
                                   "eccentric_s_median", "swing_share", "clean_share",
                                   "clean_reps_before_first_fault"})
"""Session columns that mean nothing for a standing strict lift: its pelvic bursts are hip
drives by definition (a swing share of 100%), not reps with a tempo, a descent or a clean
run, and a pause between two of them is no set the person did."""

STRICT_FIELD_LABELS: Final[dict[str, str]] = {
    "reps": "Hip drives",
    "rom_deg_median": "Median pelvic movement of a hip drive (°, uncertain ones included)",
}
"""Plain labels of the session columns for a standing strict lift: what the hip measured."""


def readable_date(value: object) -> str:
    """An ISO 8601 time as people write it, in UTC: ``30 Nov 2026 04:00 UTC``.

    Anything that is not an ISO time comes back as text; a missing value (a recording with no
    start time, such as a simulated one) as "unknown".
    """
    if _missing(value):
        return "unknown"
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return f"{when.day} {when:%b %Y %H:%M} UTC"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _fmt(value: object, spec: str) -> str:
    if spec == "text":
        return "unknown" if _missing(value) or value == "" else str(value)
    if spec == "%":
        number = _num({"v": value}, "v")
        return "-" if number is None else f"{number:.0%}"
    if spec == "date":
        return readable_date(value)
    return _cell(value, spec or ".3g")


def not_for(profile: ExerciseProfile, column: str) -> bool:
    """Whether a session column means nothing for ``profile``.

    A hold's descent, range, swing and time under tension; a standing strict lift's sets,
    tempo, clean reps and swing share (:data:`NOT_FOR_STRICT`); the swing share where swing
    is not judged; a fault's share where that fault does not apply.
    """
    if profile.isometric and column in NOT_FOR_HOLDS:
        return True
    if profile.every_rep_is_swing and column in NOT_FOR_STRICT:
        return True
    if column == "swing_share":
        return not profile.judges_swing or profile.isometric
    fault = column.removesuffix("_share")
    return column.endswith("_share") and fault in FAULTS and fault not in profile.faults


def _is_fault_share(column: str) -> bool:
    """Whether a session column is the swing share or a fault's share."""
    return column == "swing_share" or (
        column.endswith("_share") and column.removesuffix("_share") in FAULTS)


def session_details(reports: Sequence[SessionReport], session: pd.DataFrame) -> str:
    """The session rows in plain words: one line per quantity, one column per recording.

    Fault shares are listed only for the faults that apply to the exercise. The shares on
    tempo and clean are out of the reps judged (not over a data gap); the swing and fault
    shares leave uncertain reps out too (as the advice), and when there are any, a row
    says how many and each share's label says they were left out. When a recording lost
    data, two rows say how long and how many reps were over a gap. Holds (plank) give their
    prescribed hold, not an up-hold-down tempo, and the time held.
    """
    faults = [f for f in FAULTS if any(f in r.profile.faults for r in reports)]
    fields = [*SESSION_FIELDS[:12],
              *((f"{f}_share", SHARE_LABELS.get(f, f"Reps with {FAULT_WORDS[f]} (%)"), "%")
                for f in faults),
              *SESSION_FIELDS[12:]]
    holds = bool(reports) and all(r.profile.isometric for r in reports)
    if holds:  # planks: holds, no ROM/swing
        fields = [(c, HOLD_FIELD_LABELS.get(c, label.replace("Reps", "Holds")), spec)
                  for c, label, spec in fields if c not in NOT_FOR_HOLDS]
    strict = bool(reports) and all(r.profile.every_rep_is_swing for r in reports)
    if strict:  # standing strict lifts: hip drives, no sets, tempo or clean reps
        fields = [(c, STRICT_FIELD_LABELS.get(c, label), spec)
                  for c, label, spec in fields if c not in NOT_FOR_STRICT]
    names = [str(n) for n in session["recording"]] if "recording" in session else ["Value"]
    unit = "Holds" if holds else "Hip drives" if strict else "Reps"
    computed: dict[str, list[tuple[str, list[str]]]] = {}  # rows after a column's row
    if any(r.lost_spans_s for r in reports) or any(_gap_count(r.reps) for r in reports):
        computed["duration_s"] = [("Time the sensor was lost (s)",
                                   [f"{lost_s(r.lost_spans_s):.1f}" for r in reports])]
        computed["reps"] = [(f"{unit} over a data gap, not judged",
                             [str(_gap_count(r.reps)) for r in reports])]
    if (not strict and "uncertain_reps" in session
            and session["uncertain_reps"].fillna(0).gt(0).any()):
        # The clean share below counts them as not clean, and the swing and fault shares
        # leave them out (as the advice): say how many there were, and each share says so.
        computed.setdefault("reps", []).append(
            (f"Uncertain {unit.lower()}: never counted clean, left out of the swing and "
             "fault shares",
             [str(int(v)) for v in session["uncertain_reps"].fillna(0)]))
        fields = [(c, f"{label[:-4]} (%, uncertain {unit.lower()} left out)"
                   if _is_fault_share(c) and label.endswith(" (%)") else label, spec)
                  for c, label, spec in fields]
    if any(r.profile.isometric for r in reports):
        computed.setdefault("reps", []).append(
            ("Time held (s)", [f"{time_held_s(r.reps):.0f}" if r.profile.isometric else "n/a"
                               for r in reports]))
    rows: list[list[str]] = []
    for column, label, spec in fields:
        if column not in session:
            continue
        values = [_fmt(v, spec) for v in session[column]]
        if holds and column == "tempo" and len(reports) == len(values):
            values = [f"{r.tempo.top_hold_s:g}" for r in reports]
        if strict and column == "reps" and len(reports) == len(values):
            # The drives the analyzer is sure of, uncertain ones in brackets: the count of
            # the recording's card, the contents and the command line ("0 (1 uncertain not
            # counted)", never "1" beside "0 hip drives the analyzer is sure of").
            values = [_drives_cell(*_drive_counts(r.reps)) for r in reports]
        if len(reports) == len(values):
            # Beside other exercises, a quantity that means nothing for this one (a plank's
            # descent, a dead bug's swing share) reads n/a, not 0% or a number.
            values = [("n/a" if not_for(r.profile, column) else v)
                      for r, v in zip(reports, values, strict=True)]
        rows.append([html.escape(label), *(html.escape(v) for v in values)])
        for extra, cells in computed.get(column, []):
            if len(cells) == len(names):
                rows.append([html.escape(extra), *(html.escape(c) for c in cells)])
    table = scroll_table(["Quantity", *names], rows, cls="details")
    if len(names) < 2:
        return table
    return (f'<div class="details-wide">{table}</div>'
            f"{_details_cards(names, rows)}")


def _drive_counts(reps: pd.DataFrame) -> tuple[int, int]:
    """A strict lift's hip drives: (sure, uncertain), as :class:`Summary` counts them.

    Sure: judged (not over a data gap) and sure to be one; uncertain: judged, not sure.
    """
    if reps.empty:
        return 0, 0
    measured, sure = judged(reps), sure_reps(reps)
    return int((measured & sure).sum()), int((measured & ~sure).sum())


def _drives_cell(sure: int, uncertain: int) -> str:
    """The session details' hip drives of one recording: :func:`hip_drive_count`'s numbers."""
    return f"{sure} ({uncertain} uncertain not counted)" if uncertain else str(sure)


def _details_cards(names: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The session details of several recordings for a phone: a card per recording.

    The table (a column per recording) is wider than a phone at two recordings or more: on a
    390 px screen it showed the labels alone, its values off-screen in a box that scrolled
    sideways with no sign of it. Under :data:`NARROW_MAX_PX` the page shows these cards
    instead (the table above them is hidden): each recording's name, then its quantities one
    a line, label (wrapped) and value, nothing off-screen. ``rows``: the table's rows (HTML
    cells), the label first, then a value per recording.
    """
    cards = []
    for i, name in enumerate(names, start=1):
        lines = "".join(f'<tr><th scope="row">{row[0]}</th><td>{row[i]}</td></tr>'
                        for row in rows if len(row) > i)
        cards.append(f'<section class="details-card" aria-label="{html.escape(name)}">'
                     f"<h3>{html.escape(name)}</h3><table>{lines}</table></section>")
    return f'<div class="details-cards">{"".join(cards)}</div>'


HOLD_COLUMNS: Final = frozenset({
    RECORDING, "set", "rep", "start_s", "con_end_s", "ecc_start_s", "ecc_end_s", "concentric_s",
    "top_hold_s", "eccentric_s", "bottom_pause_s", "tut_s", "top_hold_ratio", "drift_deg",
    "shaking_dps", "hips_sagging", "hips_piking", "shaking", "clean", "tempo_ok", "in_gap",
    "count_confidence",
})
"""The reps-table columns that mean something for a static hold (the rest are about moving
reps: range, speed, swing, lowering)."""


STRICT_COLUMNS_NOTE: Final = (
    " Each row is a hip drive: its Set and Rep number the drives between pauses, not sets "
    "the person did, and the tempo columns (Up, Down, prescribed, On tempo) do not apply: a "
    "hip drive has no prescribed tempo, and puts nothing under tension (its time under "
    "tension is left blank).")
"""Said above a standing strict lift's table of every measurement, whose columns are the reps
table's: its "Set" and "On tempo: no" read as sets done off tempo."""


def all_reps_table(reps: pd.DataFrame, holds: bool = False) -> str:
    """Every measurement of every rep, plain headings (the CSV has the column names).

    ``holds``: the reps are static holds (plank): only the columns that mean something for a
    hold (:data:`HOLD_COLUMNS`); the CSV keeps them all.
    """
    columns = [c for c in reps.columns
               if c not in ("fault_count",) and (not holds or c in HOLD_COLUMNS)]
    head = [plain_label(c) for c in columns]
    rows = [[html.escape(_cell(row[c], ".3g")) for c in columns]
            for row in reps.to_dict(orient="records")]
    return scroll_table(head, rows)


def recording_heading(report: SessionReport) -> str:
    """What a recording is, for its section in a combined report.

    ``Hanging leg / knee raise — hanging_leg_raise, 30 Nov 2026 04:00 UTC, tempo 2-1-2``:
    the exercise, the file, the date when known and the prescribed tempo (up-hold-down, s).
    A standing strict lift names no tempo: its hip drives have none (:func:`prescription`).
    """
    date = report.session["date"].iloc[0] if len(report.session) else None
    bits = [report.name or "recording"]
    if isinstance(date, str) and date:
        bits.append(readable_date(date))
    if prescription(report):
        bits.append(prescription(report))
    return f"{report.profile.title} — {', '.join(bits)}"


def prescription(report: SessionReport) -> str:
    """What was prescribed, in words: ``tempo 3-1-3``; a hold (plank): ``hold 30 s``.

    "" for a standing strict lift: what the hip measures of it are hip drives, which have
    no tempo (the lifts themselves are not counted from the hip).
    """
    if report.profile.every_rep_is_swing:
        return ""
    if report.profile.isometric:
        return f"hold {report.tempo.top_hold_s:g} s"
    return f"tempo {report.tempo}"


def combined_title(reports: Sequence[SessionReport]) -> str:
    """The title of a report of several recordings: by what it holds.

    ``Reverse crunch: 3 recordings`` when all are of one exercise, else ``9 recordings``.
    """
    titles = {r.profile.title for r in reports}
    n = f"{len(reports)} recordings"
    return f"{titles.pop()}: {n}" if len(titles) == 1 else n


def _heading_html(report: SessionReport) -> str:
    """:func:`recording_heading` as HTML, the tempo and the date kept on one line each."""
    text = html.escape(recording_heading(report))
    date = report.session["date"].iloc[0] if len(report.session) else None
    keep = [prescription(report)] if prescription(report) else []
    if isinstance(date, str) and date:
        keep.append(readable_date(date))
    for part in keep:
        text = text.replace(html.escape(part), f'<span class="nowrap">{html.escape(part)}</span>')
    return text


def _contents(reports: Sequence[SessionReport], summaries: Sequence[Summary]) -> str:
    """A short table of contents: a link per recording with its counts, then the details."""
    items = []
    for i, (r, summary) in enumerate(zip(reports, summaries, strict=True)):
        # A strict lift: the drives the analyzer is sure of, uncertain ones in brackets, as
        # its card, the session details and the command line count them.
        counts = ("no hip drive: strict form" if summary.strict and not summary.reps else
                  drives_counted(summary) if summary.strict else
                  f"{summary.reps} {summary.unit}{'s' if summary.reps != 1 else ''}, "
                  f"{summary.clean_reps} clean")
        items.append(f'<li><a href="#recording-{i + 1}">{_heading_html(r)}</a>'
                     f'<span class="note"> · {html.escape(counts)}</span></li>')
    items.append('<li><a href="#session-details">Session details</a></li>')
    return ('<nav class="contents" aria-label="Contents" id="contents"><h2>Contents</h2>'
            f'<ol>{"".join(items)}</ol></nav>')


def _recording_body(report: SessionReport, level: int) -> list[str]:
    """The sets and the plots of one recording, headed at ``level``."""
    unit = "Holds" if report.profile.isometric else "Reps"
    if report.profile.every_rep_is_swing and not report.reps.empty:
        return [*_hip_drives_section(report, level), *_plots(report, level)]
    if report.profile.every_rep_is_swing:  # no sets, reps or tempo: "Reps by set" misled
        return [f"<h{level}>Hip drives</h{level}>",
                "<p><strong>No hip drive found</strong>: the pelvis stayed still through "
                "the lifts, which is what strict form looks like from the hip.</p>",
                *_plots(report, level)]
    parts = [f"<h{level}>{unit} by set</h{level}>"]
    if report.reps.empty:
        parts.append(f"<p>No {unit.lower()} found.</p>")
    else:
        parts.append(f'<p class="note">{html.escape(sets_key(report))}</p>')
    for set_row in report.sets.to_dict(orient="records"):
        reps = report.reps[report.reps["set"] == set_row["set"]]
        parts.append(set_section(report, set_row, reps, level + 1))
    return [*parts, *_plots(report, level)]


def _plots(report: SessionReport, level: int) -> list[str]:
    """The plots of one recording, headed at ``level``."""
    parts = [f"<h{level}>Plots</h{level}>"]
    for (fig, alt), (small, _) in zip(report_figures(report, WIDE),
                                      report_figures(report, NARROW), strict=True):
        parts.append(figure_html(fig, alt, wide=True, narrow=small))
    return parts


HIP_DRIVES_KEY: Final = ("In a standing strict lift the pelvis should stay still, so every "
                         "burst of pelvic movement the sensor finds is a hip drive: the hips "
                         "helped drive the weight. The lifts themselves are not counted from "
                         "the hip, so there are no sets, reps or tempo here: each row is one "
                         "hip drive, when it started and how far the pelvis moved.")
"""Said above a standing strict lift's table of hip drives."""


def _hip_drives_section(report: SessionReport, level: int) -> list[str]:
    """A standing strict lift's hip drives: one row each, when and how far the pelvis moved.

    What the hip measures of a strict lift: not sets (a pause between two hip drives is no
    set the person did), reps or a tempo. An uncertain drive (its badge says why) and one over a
    data gap carry their badge, as a rep's do.
    """
    reps = report.reps
    n = len(reps)
    parts = [f"<h{level}>Hip drives</h{level}>",
             f'<p class="note">{html.escape(HIP_DRIVES_KEY)}</p>']
    rows: list[list[str]] = []
    for i, row in enumerate(reps.to_dict(orient="records"), start=1):
        # The swing badge is the row itself: only the doubts (uncertain, over a gap) stay.
        badges = [b for b in rep_badges(row, report.tempo, report.profile)
                  if "b-swing" not in b]
        rows.append([str(i), _cell(float(row["start_s"]), ".0f"),
                     _cell(float(row["rom_deg"]), ".0f"), " ".join(badges)])
    parts.append(scroll_table(["Hip drive", "At (s)", "Pelvis moved (°)", "Notes"], rows,
                              label=f"The {n} hip drive{'' if n == 1 else 's'}", cls="set"))
    return parts


def render_html(
    reports: Sequence[SessionReport], tables: Mapping[str, pd.DataFrame] | None = None
) -> str:
    """The whole report as one HTML document.

    One recording: summary, sets, plots, details. Several: a title by what they hold
    (:func:`combined_title`), a table of contents, then one section per recording headed by
    its exercise, file, date and tempo (:func:`recording_heading`) with its summary beside its
    sets and plots, and the details of all of them at the end.

    Args:
        reports: one or several analysed recordings (a summary, sets and figures each).
        tables: the combined ``reps``, ``sets`` and ``session`` tables; by default those of
            :func:`imu.report.tables.combined_tables`.

    """
    if tables is None:
        from imu.report.tables import combined_tables

        tables = combined_tables(reports)
    first = reports[0]
    several = len(reports) > 1
    # Told the duration, a session with no rep that ended before one could be finished
    # gets the session table's verdict ("Stopped after 5 s, ..."), not "No reps found".
    summaries = [summarize(r.reps, r.profile, r.tempo, lost_spans_s=r.lost_spans_s,
                           tolerance=r.tolerance,
                           duration_s=(float(r.session["duration_s"].iloc[0])
                                       if len(r.session) else None))
                 for r in reports]
    if several:
        title = combined_title(reports)
        meta_line = ""
    else:
        meta = first.meta
        who = f", {meta.participant}" if meta.participant else ""
        title = f"{first.profile.title}{who}"
        date = first.session["date"].iloc[0]
        when = f"{readable_date(date)} · " if isinstance(date, str) else ""
        meta_line = (f"{when}hold {first.tempo.top_hold_s:g} s prescribed"
                     if first.profile.isometric else
                     f"{when}prescribed tempo {first.tempo} (up-hold-down, s)") + (
            f" — {default_tempo_words(first.profile)}"
            if tempo_by_default(first.profile, first.tempo, first.meta) else "")
        if first.profile.every_rep_is_swing:
            # Hip drives have no tempo: the pelvis should stay still through every lift.
            meta_line = f"{when}hip drives: the pelvis should stay still through every lift"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if meta_line:
        parts.append(f'<p class="meta">{html.escape(meta_line)}</p>')
    if several:
        parts.append(_contents(reports, summaries))
        for i, (r, summary) in enumerate(zip(reports, summaries, strict=True)):
            anchor = f"recording-{i + 1}"
            parts.append(f'<section class="recording" id="{anchor}" '
                         f'aria-labelledby="{anchor}-title">')
            parts.append(f'<h2 id="{anchor}-title">{_heading_html(r)}</h2>')
            parts.append(summary_html(summary))
            parts += _recording_body(r, 3)
            parts.append('<p class="top"><a href="#contents">↑ Contents</a></p></section>')
    else:
        parts.append("<h2>Summary</h2>")
        parts.append(summary_html(summaries[0]))
        parts += _recording_body(first, 2)
    parts.append('<h2 id="session-details">Session details</h2>')
    parts.append(session_details(reports, tables["session"]))
    every = ("hold" if all(r.profile.isometric for r in reports) else
             "hip drive" if all(r.profile.every_rep_is_swing for r in reports) else "rep")
    parts.append(f"<details><summary>Every measurement of every {every}</summary>")
    parts.append("<p class=\"note\">The same numbers, with their column names, are in "
                 f"reps.csv and reps.parquet.{STRICT_COLUMNS_NOTE if every == 'hip drive' else ''}"
                 "</p>")
    parts.append(all_reps_table(tables["reps"], holds=every == "hold"))
    parts.append("</details>")
    parts.append(f'<p class="disclaimer">{html.escape(DISCLAIMER)}</p>')
    parts.append("</main></body></html>")
    return "\n".join(parts)
