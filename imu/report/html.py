"""A self-contained HTML report a person reads after training: one file, no external assets.

The page, top to bottom:

1. **Summary** (read in ten seconds): reps, clean reps, time under tension, the one or two
   things to fix first with their evidence, then the progression / regression advice
   (:mod:`imu.report.summary`), and the disclaimer.
2. **Per set**: one compact row per rep with up-hold-down against the prescription and a
   badge for each swing and fault carrying the measured quantity behind it.
3. **Plots**, those that fit the exercise (:func:`~imu.report.plots.report_figures`): the
   pelvis tilt over time with the phases of every rep shaded; the tempo of every rep against
   the prescription (a hold: its hold time); the descent of every rep against the target
   band, where a dropped descent is judged.
4. **Details**: the session in plain words and, folded, every measurement of every rep.

Every heading is plain words with units; the internal column names appear only in the CSV and
Parquet files. The layout is responsive (readable at 390 px; wide tables scroll inside their
own box, never the page; each figure is drawn for desktops and for phones and the page shows
the one that fits), every image has alt text, and text colours pass WCAG AA contrast on their
backgrounds. The figures are drawn in :mod:`imu.report.plots` and embedded as base64 PNG.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from imu.core.metrics import HOLD_SLACK_FRACTION, UNCERTAIN_CONFIDENCE
from imu.exercises import FAULT_WORDS, FAULTS, ExerciseProfile, FaultThresholds
from imu.report.coaching import (
    DISCLAIMER,
    default_tempo_words,
    doubt,
    sure_reps,
    tempo_by_default,
)
from imu.report.plots import (
    NARROW,
    NARROW_MAX_PX,
    OFF_MARKERS,
    WIDE,
    png_base64,
    report_figures,
    tempo_order,
)
from imu.report.summary import (
    GAPS_NAMED,
    HIP_DRIVE,
    MISSED_BEFORE_NOTE,
    STRICT_FORM,
    Summary,
    drives_counted,
    lost_s,
    marked_missed_before,
    missed_note,
    span_text,
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
from imu.text import local_time, pause_not_judged_words

if TYPE_CHECKING:
    from imu.report.session import SessionReport

Row = Mapping[Any, Any]
"""One table row as ``DataFrame.to_dict(orient="records")`` gives it."""

logger = logging.getLogger(__name__)


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
    sure = measured & sure_reps(reps)
    # On tempo out of the sure reps, as the sets table's tempo_ok_share.
    on_tempo = int((reps["tempo_ok"].astype(bool) & sure).sum())
    gaps = n - int(measured.sum())
    gap_text = (f" ({gaps} over a data gap, not judged)" if gaps else "")
    unsure = _uncertain_left_out(int((measured & ~sure_reps(reps)).sum()))
    line = (
        f"{n} rep{'s' if n != 1 else ''}{gap_text}: {clean} clean (no form fault{unsure}), "
        f"{int(set_row['clean_reps_before_first_fault'])} clean before the first swing or fault, "
        f"{on_tempo} of {int(sure.sum())} on tempo{unsure}, "
        f"{_tut_words(_num(set_row, 'tut_s'))}{rest_text}."
    )
    alternating = reps["side"].notna().any()
    pause = pause_shown(report)
    head = ["Rep", *(["Side"] if alternating else []),
            f"Up (s) [{tempo.concentric_s:g}]", f"Hold (s) [{tempo.top_hold_s:g}]",
            f"Down (s) [{tempo.eccentric_s:g}]",
            *([f"Pause (s) [{tempo.bottom_pause_s:g}, not judged]"] if pause else []),
            "Range (°)", "Notes"]
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
            *([_cell(float(row["bottom_pause_s"]), ".1f")] if pause else []),
            _cell(float(row["rom_deg"]), ".0f"),
            " ".join(badges),
        ])
    set_no = int(set_row["set"])
    return (f"<h{level}>Set {set_no}</h{level}><p>{html.escape(line)}</p>"
            + scroll_table(head, rows, label=f"Reps of set {set_no}", cls="set"))


def pause_shown(report: SessionReport) -> bool:
    """A bottom pause is prescribed for these moving reps: shown in its column, not judged."""
    profile = report.profile
    return (bool(report.tempo.bottom_pause_s) and not profile.isometric
            and not profile.every_rep_is_swing)


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
        parts += _gap_html(summary)
        parts.append(f'<p class="advice">{html.escape(summary.advice.text)}</p>')
        parts.append(f'<p class="disclaimer">{html.escape(summary.disclaimer)}</p></section>')
        return "".join(parts)
    if summary.strict:
        return _strict_summary_html(summary, parts)
    on_tempo = "long enough" if unit == "hold" else "on tempo"
    judged_of = f"{summary.on_tempo} of {summary.tempo_judged}"
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
        f"<li><b>{_share_text(summary.on_tempo, summary.tempo_judged)}</b>{unit}s {on_tempo} "
        f"({judged_of}{_uncertain_left_out(summary.uncertain_count)})</li>"
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


def _gap_html(summary: Summary) -> list[str]:
    """The summary card's "Sensor", "Paused" and "Data lost" lines, and the list of every gap.

    Of many gaps (149) the line names the first few and "... and 146 more, all listed
    below"; the whole list follows, folded (``<details>``), one gap a line. A pause of the
    measurement (phyphox's) has its own line, "Paused", with no word of a lost sensor; what
    the import found wrong with the sensor itself, a line "Sensor" each. No parts without a
    gap or such a finding.
    """
    # What the import found wrong with the sensor itself (a frozen sensor, a dead axis):
    # said on stderr at import, and here, where the reps it spoiled are read (trial 25).
    parts: list[str] = [f'<p class="gap"><strong>Sensor:</strong> {html.escape(line)}</p>'
                        for line in summary.sensor_warnings]
    for label, spans, what, text in (
        ("Paused", summary.paused_spans_s, "pauses", summary.pause_text),
        ("Data lost", summary.lost_spans_s, "gaps", summary.lost_text),
    ):
        many = len(spans) > GAPS_NAMED
        note = text("below" if many else "")
        if not note:
            continue
        parts.append(f'<p class="gap"><strong>{label}:</strong> {html.escape(note)}</p>')
        if many:
            items = "".join(f"<li>{span_text(a, b)}</li>" for a, b in spans)
            parts.append(f'<details class="gaps"><summary>All {len(spans)} {what} (s from the '
                         f"start)</summary><ol>{items}</ol></details>")
    return parts


def _gap_and_fixes(summary: Summary) -> list[str]:
    """The summary card's "Data lost" line and "Fix first" list, HTML parts (may be none)."""
    parts = _gap_html(summary)
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
    """An ISO 8601 time as people write it, in the reader's time zone (:func:`local_time`).

    Anything that is not an ISO time comes back as text; a missing value (a recording with no
    start time, such as a simulated one) as "unknown".
    """
    if _missing(value):
        return "unknown"
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return local_time(when)


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
    lost = any(r.lost_spans_s for r in reports)
    over_gaps = any(_gap_count(r.reps) for r in reports)
    paused = any(r.paused_spans_s for r in reports)
    if lost or (over_gaps and not paused):
        computed["duration_s"] = [("Time the sensor was lost (s)",
                                   [f"{lost_s(r.lost_spans_s):.1f}" for r in reports])]
    if paused:  # no data, and nothing lost: said apart from a lost sensor
        computed.setdefault("duration_s", []).append(
            ("Time the measurement was paused (s)",
             [f"{lost_s(r.paused_spans_s):.1f}" for r in reports]))
    if lost or over_gaps:
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

    ``Hanging leg / knee raise — hanging_leg_raise, 30 Nov 2026 05:00 CET, tempo 2-1-2``:
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


def _meta_html(meta_line: str, report: SessionReport) -> str:
    """The line under a report's title as HTML, its tempo and date kept on one line each.

    At 390 px "prescribed tempo 3-1-3" broke after "3-", read as a tempo "3-" and a line
    starting "1-3" (as :func:`_heading_html` keeps a combined report's headings whole).
    """
    text = html.escape(meta_line)
    date = report.session["date"].iloc[0] if len(report.session) else None
    keep = [] if report.profile.every_rep_is_swing else [str(report.tempo)]
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
        if pause_shown(report):
            note = pause_not_judged_words([str(report.tempo)])
            parts.append(f'<p class="note">{html.escape(note[0].upper() + note[1:])}.</p>')
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
    if len(parts) == 1:  # no figure: words, never an empty frame
        parts.append(f"<p>{html.escape(NO_PLOT)}</p>")
    return parts


NO_PLOT: Final = "Nothing to plot: the sensor found no pelvic movement in this recording."
"""Said under "Plots" when there is no figure to show (:func:`imu.report.plots.has_tilt`)."""


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
                           paused_spans_s=r.paused_spans_s, paused_reason=r.paused_reason,
                           sensor_warnings=r.sensor_warnings,
                           tolerance=r.tolerance,
                           duration_s=(float(r.session["duration_s"].iloc[0])
                                       if len(r.session) else None),
                           started=r.unfinished, walked_s=r.walked_s)
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
                     f"{when}prescribed tempo {first.tempo} ({tempo_order(first.tempo)}, s)") + (
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
        parts.append(f'<p class="meta">{_meta_html(meta_line, first)}</p>')
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
