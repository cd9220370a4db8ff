"""A self-contained HTML report: figures embedded as base64 PNG, no external assets.

Figures are drawn with matplotlib's object API on Agg canvases (no pyplot, no global backend
state, safe in threads):

- the pelvic angle over time with the phases of every rep shaded (concentric, top hold,
  eccentric, bottom pause) and swings and faults marked;
- the tempo of every rep: one bar per phase against the prescribed durations.

The trace is decimated to at most :data:`MAX_PLOT_POINTS` points before plotting.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from imu.exercises import FAULTS
from imu.report.coaching import DISCLAIMER

if TYPE_CHECKING:
    from imu.report.session import SessionReport

logger = logging.getLogger(__name__)

MAX_PLOT_POINTS: Final = 20_000
"""Most trace points drawn per figure."""

MAX_ANNOTATED_REPS: Final = 60
"""Fault names are written next to their marks only up to this many reps."""

PHASE_COLOURS: Final[dict[str, str]] = {
    "concentric": "#4c9be8",
    "top hold": "#6cc46a",
    "eccentric": "#f2a541",
    "bottom pause": "#b79fdc",
}
"""Colour of each phase, shared by both figures."""

FAULT_ABBREV: Final[dict[str, str]] = {
    "dropped_eccentric": "drop",
    "back_arch": "arch",
    "hips_rotating": "rot",
    "over_extension": "over",
    "partial_rom": "part",
    "short_hold": "hold",
    "body_swing": "body",
    "hips_sagging": "sag",
    "hips_piking": "pike",
    "shaking": "shake",
}

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1150px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { background: #f0f0f0; }
.verdict { font-size: 1.1em; padding: 0.6em 1em; background: #eef6ee; border-left: 4px solid
  #6cc46a; }
.disclaimer { color: #555; font-style: italic; }
img { max-width: 100%; }
"""


def decimate(n: int, max_points: int = MAX_PLOT_POINTS) -> slice:
    """A slice with a stride that keeps at most ``max_points`` of ``n`` rows."""
    return slice(None, None, max(1, math.ceil(n / max_points)))


def png_base64(fig: Figure) -> str:
    """Render a figure as PNG and return it base64-encoded (ASCII)."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
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


def angle_figure(report: SessionReport) -> Figure:
    """Pelvic angle over time, phases shaded, swings and faults marked."""
    fig = Figure(figsize=(12, 3.8), layout="constrained")
    ax = fig.add_subplot()
    reps = report.reps
    sl = decimate(len(report.trace))
    t = report.trace_time_s[sl]
    angle = report.trace[sl, 0] if len(report.trace) else np.empty(0)
    for phase, spans in phase_spans(reps).items():
        if spans:
            ax.broken_barh(
                spans,
                (0, 1),
                transform=ax.get_xaxis_transform(),
                facecolors=PHASE_COLOURS[phase],
                alpha=0.35,
                label=phase,
            )
    ax.plot(t, angle, color="#222", lw=0.8, label="pelvic angle")
    if len(reps) and len(angle):
        top_t = reps["con_end_s"].to_numpy()
        top_a = np.interp(top_t, t, angle)
        swing = reps["swing"].to_numpy()
        faulty = reps["fault_count"].to_numpy() > 0
        if swing.any():
            ax.scatter(
                top_t[swing],
                top_a[swing] + 2,
                marker="v",
                color="#c2185b",
                zorder=3,
                label="swing",
            )
        if faulty.any():
            ax.scatter(
                top_t[faulty],
                top_a[faulty] + 5,
                marker="x",
                color="#d32f2f",
                zorder=3,
                label="fault",
            )
            if len(reps) <= MAX_ANNOTATED_REPS:
                for i in np.flatnonzero(faulty):
                    names = [FAULT_ABBREV.get(f, f) for f in FAULTS if reps[f].iloc[i]]
                    ax.annotate(
                        ",".join(names),
                        (top_t[i], top_a[i] + 5),
                        textcoords="offset points",
                        xytext=(0, 5),
                        ha="center",
                        fontsize=7,
                        color="#d32f2f",
                    )
    elif not len(angle):
        ax.text(0.5, 0.5, "no pelvic movement", transform=ax.transAxes, ha="center")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("pelvic angle (deg)")
    ax.set_title(f"{report.profile.title}: pelvic angle about the movement axis")
    fig.legend(loc="outside right upper", fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def tempo_figure(report: SessionReport) -> Figure:
    """Phase durations of every rep (bars) against the prescribed tempo (dashed lines)."""
    reps = report.reps
    fig = Figure(figsize=(12, 3.4), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(reps))
    width = 0.27
    tempo = report.tempo
    for k, (phase, column, target) in enumerate(
        (
            ("concentric", "concentric_s", tempo.concentric_s),
            ("top hold", "top_hold_s", tempo.top_hold_s),
            ("eccentric", "eccentric_s", tempo.eccentric_s),
        )
    ):
        colour = PHASE_COLOURS[phase]
        ax.bar(x + (k - 1) * width, reps[column].to_numpy(), width, color=colour, label=phase)
        ax.axhline(target, color=colour, ls="--", lw=1.2, label=f"target {target:g} s")
    if len(reps):
        bad = ~reps["tempo_ok"].to_numpy()
        if bad.any():
            ax.scatter(
                x[bad],
                np.full(bad.sum(), -0.15),
                marker="^",
                color="#d32f2f",
                transform=ax.get_xaxis_transform(),
                clip_on=False,
                label="tempo off",
            )
        labels = [f"{s}.{r}" for s, r in zip(reps["set"], reps["rep"], strict=True)]
        if len(reps) <= 40:
            ax.set_xticks(x, labels, fontsize=7, rotation=90)
        for i in np.flatnonzero(np.diff(reps["set"].to_numpy())):
            ax.axvline(i + 0.5, color="#888", lw=0.8)
    else:
        ax.text(0.5, 0.5, "no reps", transform=ax.transAxes, ha="center")
    ax.set_xlabel("rep (set.rep)")
    ax.set_ylabel("duration (s)")
    ax.set_title(f"Tempo per rep vs the prescription {tempo} (up-hold-down)")
    fig.legend(loc="outside right upper", fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    return fig


def _img(fig: Figure, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{png_base64(fig)}">'


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, na_rep="-", float_format=lambda v: f"{v:.3g}", border=0)


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating):
        return "-" if math.isnan(value) else f"{value:.3g}"
    return "-" if value is None or value is pd.NA else str(value)


def _session_table(session: pd.DataFrame) -> str:
    """The session rows transposed: one line per field, one column per recording."""
    frame = session.drop(columns=["disclaimer", "verdict"])
    names = frame.pop("recording") if "recording" in frame else pd.Series(["value"])
    body = {"field": list(frame.columns)}
    for i, name in enumerate(names):
        body[str(name)] = [_cell(v) for v in frame.iloc[i]]
    return pd.DataFrame(body).to_html(index=False, border=0)


def render_html(
    reports: Sequence[SessionReport], tables: Mapping[str, pd.DataFrame] | None = None
) -> str:
    """The whole report as one HTML document.

    Args:
        reports: one or several analysed recordings (one section of figures each).
        tables: the combined ``reps``, ``sets`` and ``session`` tables; by default those of
            :func:`imu.report.tables.combined_tables`.

    """
    if tables is None:
        from imu.report.tables import combined_tables

        tables = combined_tables(reports)
    first = reports[0]
    title = f"{first.profile.title} — {len(reports)} recording(s)"
    if len(reports) == 1:
        meta = first.meta
        who = f", {meta.participant}" if meta.participant else ""
        title = f"{first.profile.title}{who}, tempo {first.tempo}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for r in reports:
        row = r.session.iloc[0]
        prefix = f"{r.name}: " if len(reports) > 1 else ""
        parts.append(f'<p class="verdict">{html.escape(prefix + str(row["verdict"]))}</p>')
    parts.append(f'<p class="disclaimer">{html.escape(DISCLAIMER)}</p>')
    parts.append("<h2>Session</h2>")
    parts.append(_session_table(tables["session"]))
    for r in reports:
        heading = f"Recording {r.name}" if len(reports) > 1 else "Reps"
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(_img(angle_figure(r), "pelvic angle with phases"))
        parts.append(_img(tempo_figure(r), "tempo per rep"))
    parts.append("<h2>Sets</h2>")
    parts.append(_table(tables["sets"]))
    parts.append("<details><summary>All reps</summary>")
    parts.append(_table(tables["reps"]))
    parts.append("</details>")
    parts.append(f'<p class="disclaimer">{html.escape(DISCLAIMER)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)
