"""The report's figures: the pelvis tilt over time, the tempo of every rep, the descent.

Drawn with matplotlib's object API on Agg canvases (no pyplot, no global backend state, safe
in threads), each for desktops and for phones (:data:`WIDE` and :data:`NARROW`). The trace is
decimated to at most :data:`MAX_PLOT_POINTS` points. Each figure has its title above, its
legend below and the sets named above the plot; one marker means one thing across the page
(:data:`MARKS`: ▼/▲ off tempo as in the tables, a star a swing, each fault its own), and
hatching is data that was never measured (a data gap, a rep over one: not judged, never red).
:mod:`imu.report.html` embeds them in the page (:func:`report_figures` picks those that fit the
exercise) and :mod:`imu.report.progress` draws its own with the same layouts.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from imu.core.metrics import TempoTolerance
from imu.exercises import FAULT_WORDS, FAULTS, ExerciseProfile
from imu.report.coaching import sure_reps
from imu.report.summary import HIP_DRIVE, swing_words
from imu.report.tables import judged, off_phases
from imu.tempo import Tempo

if TYPE_CHECKING:
    from imu.report.session import SessionReport

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


def tempo_order(tempo: Tempo) -> str:
    """How the numbers of ``tempo`` read: ``up-hold-down``, with ``-pause`` when it has four.

    ``3-0-3-2`` is not "up-hold-down": its fourth number is the bottom pause.
    """
    return "up-hold-down" if tempo.bottom_pause_s is None else "up-hold-down-pause"


def judges_descent(profile: ExerciseProfile) -> bool:
    """Whether the exercise judges a dropped descent (so the descent plot applies)."""
    return "dropped_eccentric" in profile.faults


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

PAUSE_HATCH: Final = ".."
"""Hatch of a pause of the measurement (phyphox's): no data, but nothing lost, so not the
lost sensor's :data:`GAP_HATCH`."""


def pause_label(reason: str) -> str:
    """Legend of the dotted band over a pause in the tilt figure: "no data: paused in phyphox".

    ``reason``: the pause's gap reason (:data:`imu.io.recording.PAUSE_REASONS`).
    """
    return f"no data: {reason}"

GAP_REP_LABEL: Final = "over a data gap: not judged"
"""Legend of the hatched band behind a rep over a data gap in the rep figures."""


def _gap_band(ax: Axes, lo: float, hi: float, label: str | None, over: bool = True,
              hatch: str = GAP_HATCH) -> None:
    """A hatched band from ``lo`` to ``hi`` (x data units): no data.

    ``over``: it hides what is under it (the phase shading of the tilt figure, which would
    show the gap as part of a phase); else it is drawn behind the bars and points of a rep
    over a gap, which stay visible. ``hatch``: :data:`GAP_HATCH` for a lost sensor,
    :data:`PAUSE_HATCH` for a pause of the measurement.
    """
    ax.axvspan(lo, hi, facecolor="#ffffff" if over else "none", edgecolor=GAP_EDGE,
               hatch=hatch, lw=0, zorder=1.5 if over else 0.8, label=label)


def angle_figure(report: SessionReport, layout: PlotLayout = WIDE) -> Figure:
    """Pelvis tilt over time, the phases of every rep shaded, swings and faults marked.

    Each fault has its own marker, named in plain words in the legend (:data:`FAULT_MARKERS`,
    :data:`imu.exercises.FAULT_WORDS`); marks of one rep stack above its top (of a hold,
    above its middle). A data gap
    (:attr:`SessionReport.lost_spans_s`) breaks the trace and is hatched "no data", never
    drawn as a line through it nor shaded as part of a phase; so is a pause of the
    measurement (:attr:`SessionReport.paused_spans_s`), dotted and named for what it was
    ("no data: paused in phyphox"). The sets are named above.
    """
    fig = _figure(3.6, layout)
    ax = fig.add_subplot()
    reps = report.reps
    words = phase_words(report.profile)
    angle_all = report.trace[:, 0].copy() if len(report.trace) else np.empty(0)
    t_all = report.trace_time_s
    lost = report.lost_spans_s
    paused = report.paused_spans_s
    for a, b in (*lost, *paused):  # rows held through a gap (and the filter's lag): no data
        lag = min(report.trace_start_s - report.first_sample_s, 0.0)
        angle_all[(t_all >= a + lag) & (t_all < b)] = np.nan
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
    for i, (a, b) in enumerate(paused):
        _gap_band(ax, a, b, pause_label(report.paused_reason) if i == 0 else None,
                  hatch=PAUSE_HATCH)
    ax.plot(t, angle, color="#222", lw=0.8, label="pelvis tilt")
    valid = ~np.isnan(angle)
    if len(reps) and valid.any():
        top_t = reps["con_end_s"].to_numpy()
        if report.profile.isometric:
            # A hold's fault (sagging, piking, shaking) is of the whole hold: marked over its
            # middle, where at the hold's start it read as the getting-into-position's.
            top_t = 0.5 * (top_t + reps["ecc_start_s"].to_numpy())
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
             else f"Up, top hold and down of every rep against {tempo} "
                  f"({tempo_order(tempo)}, s)")
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


def has_tilt(report: SessionReport) -> bool:
    """Whether the recording has a pelvis tilt to draw (a finite value in its trace).

    The trace is empty when the analyzer never found the movement axis (the pelvis never
    moved): its tilt figure would be an empty frame around 0 s, with made-up axes.
    """
    return bool(len(report.trace)) and bool(np.isfinite(report.trace[:, 0]).any())


def report_figures(
    report: SessionReport, layout: PlotLayout = WIDE
) -> list[tuple[Figure, str]]:
    """The figures that apply to the recording's exercise, each with its alt text.

    Every exercise gets the tilt over time and its tempo (a hold: the hold time); the descent
    plot only where a dropped descent is judged (not bird-dog, dead bug, plank, strict lifts).
    Without a rep (a strict lift done strictly) only the tilt: the rep plots would be empty.
    Without a tilt to draw (:func:`has_tilt`: the pelvis never moved) no tilt figure either.
    """
    profile = report.profile
    words = phase_words(profile)
    phases = ", ".join(words[p] for p in ("concentric", "top hold", "eccentric"))
    unit = "hold" if profile.isometric else "rep"
    marks = ("each fault marked with its own marker" if profile.isometric else
             "swings marked with a star and each fault with its own marker")
    gaps = ("; the time the sensor was lost is hatched, no data" if report.lost_spans_s
            else "")
    if report.paused_spans_s:  # no data either, but nothing lost
        gaps += (f"; the time the measurement was {report.paused_reason} is dotted, no "
                 "data")
    named = "" if profile.every_rep_is_swing else " and the sets named above"
    if profile.every_rep_is_swing:
        unit, marks = HIP_DRIVE, f"each marked with a star as a {swing_words(profile)}"
        if not sure_reps(report.reps).all():
            marks += ", a hollow star when uncertain and not counted"
    out: list[tuple[Figure, str]] = []
    if has_tilt(report):
        out.append((
            angle_figure(report, layout),
            f"Pelvis tilt in degrees over time in seconds for {profile.title.lower()}, with the "
            f"{phases} of every {unit} shaded{named}; {marks}, named in the legend{gaps}.",
        ))
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
