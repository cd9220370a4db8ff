"""The terminal tables of reps and sets that ``imu analyze``, ``imu live`` and ``imu replay`` print.

Rich renderables built from the report tables (:mod:`imu.report.tables`); printing them is the
caller's job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from imu.core.metrics import UNCERTAIN_CONFIDENCE, TempoTolerance
from imu.exercises import FAULTS, ExerciseProfile, fault_words
from imu.report.coaching import uncertain_drive_words
from imu.report.summary import marked_missed_before
from imu.report.tables import RECORDING, finite, phase_text, time_held_s
from imu.text import count

PHASE_HEADERS = ("up\ns", "hold\ns", "down\ns", "pause\ns")
"""The phases in the words of the live screen: up (concentric), hold at the top, down
(eccentric), pause at the bottom, seconds."""


class FitTable(Table):
    """A table that leaves out whole columns, least needed first, rather than cut a number.

    On a narrow terminal (40 columns: a phone's SSH window) rich shrank every column of the
    reps table until its numbers read "2…" and "0…": the durations were lost. A column
    whose longest word does not fit is now left out whole, in the order of ``drop``
    (headers), until what remains fits with its words whole (long fault names still wrap).
    The caption says which columns were left out.
    """

    def __init__(self, *args: Any, drop: Sequence[str] = (),
                 legends: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop = tuple(drop)
        self.legends = dict(legends or {})  # header -> its caption line, gone with it

    def without(self, headers: Sequence[str]) -> Table:
        """A plain copy of the table without the columns headed ``headers``."""
        table = Table.__new__(Table)  # a plain Table (drawn as one), with this one's settings
        table.__dict__.update(self.__dict__)
        table.columns = [c for c in self.columns if str(c.header) not in headers]
        return table

    def fitted(self, console: Console, options: ConsoleOptions) -> Table:
        """The table with as few columns left out as let it fit ``options.max_width``."""
        present = [h for h in self.drop if any(str(c.header) == h for c in self.columns)]
        table: Table = self.without(())
        for n in range(len(present) + 1):
            table = self.without(present[:n])
            # Measured unbounded (a measurement is clamped to the width it is given).
            wide = options.update_width(10_000)
            if Measurement.get(console, wide, table).minimum <= options.max_width:
                break
        dropped = [h for h in present if all(str(c.header) != h for c in table.columns)]
        if dropped:
            names = ", ".join(_header_words(h) for h in dropped)
            note = f"(too narrow for the columns {names}: widen the terminal to see them)"
            caption = str(table.caption or "")
            for h in dropped:  # a legend of a column left out explains nothing shown
                legend = self.legends.get(h)
                if legend:
                    caption = "; ".join(part for part in caption.split("; ")
                                        if part != legend)
            table.caption = f"{caption}\n{note}" if caption else note
            table.caption_justify = "left"
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Render what fits (:meth:`fitted`), its captions wrapped at words.

        The CLI's console lets long lines run on (``soft_wrap``), which the terminal then
        broke mid-word: a caption is wrapped to the width here.
        """
        yield from console.render(self.fitted(console, options),
                                  options.update(no_wrap=False, overflow="fold"))


def _header_words(header: str) -> str:
    """A column's header in a sentence: "pause", "under tension" (no unit line)."""
    lines = header.split("\n")
    if len(lines) > 1 and lines[-1] in ("s", "deg"):
        lines = lines[:-1]
    return " ".join(lines)


REPS_DROP = ("pause\ns", "ROM\ndeg", "hold\ns", "side", "recording", "set")
"""The reps table's columns a narrow terminal leaves out, first to last (:class:`FitTable`):
the rep's number, up, down, its swing, faults and tempo verdict stay. An empty faults column
goes first (:func:`reps_view`); the set goes last of these (without it, two sets of reps read
1..8, 1..8 with nothing to tell them apart, trial 21)."""

SETS_DROP = ("rest\ns", "ROM\ndeg", "up\ns", "hold\ns", "down\ns", "mean hold\ns",
             "recording", "clean\nrun", "under\ntension\ns", "swings")
"""The sets table's columns a narrow terminal leaves out, first to last: the set, its reps,
on tempo and faults stay."""


NBSP = "\N{NO-BREAK SPACE}"
"""Between a number and its unit ("23 s"): wrapping never puts the unit alone on a line."""

_UNIT = re.compile(r"(?<=\d) (?=(?:s|ms|min|deg|Hz|°|°/s|%|▼|▲)(?![\w/]))")


def keep_units(text: str) -> str:
    """``text`` with a no-break space between each number and its unit ("23 s", "2 ▼")."""
    return _UNIT.sub(NBSP, text)


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where to cut ``text`` into lines of at most ``width`` cells: ``(start, end)`` each.

    Lines break at plain spaces only (never at a no-break space: :func:`keep_units`), and at
    the line breaks in ``text``; a word longer than a line is folded. The spaces at a break
    are left out.
    """
    width = max(1, width)
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        start = 0
        n = len(paragraph)
        if n == 0:
            spans.append((offset, offset))
        while start < n:
            if cell_len(paragraph[start:]) <= width:
                spans.append((offset + start, offset + n))
                break
            cut = paragraph.rfind(" ", start, start + width + 1)
            if cut <= start:  # one word longer than a line: folded
                cut = start + width
                spans.append((offset + start, offset + cut))
                start = cut
            else:
                spans.append((offset + start, offset + cut))
                start = cut + 1
            while start < n and paragraph[start] == " ":
                start += 1
        offset += n + 1
    return spans


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` word-wrapped to ``width`` cells, each number kept with its unit.

    For the advice printed after a session ("fix first: Slow the descent: 1 of 4 descents
    lasted under 1 s against 3 s prescribed"), which a terminal broke mid-word ("prescr" /
    "ibed"). The lines come back with plain spaces.
    """
    kept = keep_units(text)
    return [kept[a:b].replace(NBSP, " ") for a, b in wrap_spans(kept, width)]


def print_prose(out: Console, text: str, label: str = "", style: str = "") -> None:
    """Print a line of advice: word-wrapped on a terminal, each number kept with its unit.

    A terminal broke the advice mid-word at its edge ("...against 3 s prescr" / "ibed"); a
    pipe gets the line whole (one line per piece of advice, for grep). ``label`` ("fix first:
    ") is bold, ``style`` is the whole line's. Used by ``imu analyze`` and the end of ``imu
    live``.
    """
    whole = f"{label}{text}"
    lines = wrap_words(whole, out.width) if out.is_terminal else [whole]
    for k, line in enumerate(lines):
        shown = Text(line, style=style)
        if k == 0 and label:
            shown.stylize("bold", 0, len(label.rstrip()))
        out.print(shown, highlight=False, soft_wrap=True)


def _fmt(value: float, spec: str = ".1f") -> str:
    return "-" if pd.isna(value) else f"{float(value):z{spec}}"  # z: no "-0.0"


def _fmt_side(side: object) -> str:
    return side if isinstance(side, str) else ""


def _share(value: float) -> str:
    """A share as a percentage; "-" when missing (every rep of the set over a data gap)."""
    return "-" if pd.isna(value) else f"{float(value):.0%}"


UNCERTAIN_MARK = "?"
"""Beside the number of a rep the analyzer is not sure was a rep (``count_confidence``
under :data:`UNCERTAIN_CONFIDENCE`)."""

UNCERTAIN_LEGEND = (f"{UNCERTAIN_MARK} uncertain: may not be a rep; never counted clean, and "
                    "its swing and faults are left out of the advice and of the sets "
                    "table's counts")
"""The reps table's legend line when a rep is marked :data:`UNCERTAIN_MARK`."""

MISSED_MARK = "*"
"""Before the number of a rep after a pause that broke the set's rhythm (``missed_before``)."""

MISSED_LEGEND = (f"{MISSED_MARK} after a long pause: a rep too small to see may be missing "
                 "before it (the set's count may be one short)")
"""The reps table's legend line when a rep is marked :data:`MISSED_MARK`."""

CLEAN_RUN = "clean\nrun"
"""The sets table's last header: ``clean_reps_before_first_fault`` (:data:`CLEAN_RUN_LEGEND`).

Short, so that the sets table fits 80 columns without cutting a header ("clean before
swing/fault" read "swing/…" there)."""

CLEAN_RUN_LEGEND = ("clean run: clean reps before the first swing or fault (a swing is no "
                    "fault, but it ends the run)")
"""The sets table's legend line: what its "clean run" column counts."""

DRIVE_NOT_COUNTED = "not counted in the advice"
"""What the notes cell of an uncertain hip drive ends with (:func:`drive_uncertain`)."""


def drive_uncertain(row: Mapping[Any, Any], profile: ExerciseProfile | None = None) -> str:
    """The notes cell of a standing strict lift's hip drive the analyzer is not sure of.

    Why, worked back from what its certainty was computed from
    (:func:`imu.report.coaching.uncertain_drive_words`), as the HTML page's badge and the
    live screens give it: "uncertain: may not be a hip drive (too slow to be sure: 16°/s at
    its fastest); not counted in the advice". Not "may be sway" for a 21° burst. Without
    the ``profile`` (its smallest sure hip drive) no reason is guessed.
    """
    return f"{uncertain_drive_words(row, profile)}; {DRIVE_NOT_COUNTED}"

DRIVE_GAP = "over a data gap: not judged, not counted in the advice"
"""The notes cell of a standing strict lift's hip drive over a data gap."""


def _uncertain(row: Mapping[Any, Any]) -> bool:
    confidence = finite(row.get("count_confidence"))
    return confidence is not None and confidence < UNCERTAIN_CONFIDENCE


def _rep_no(row: Mapping[Any, Any]) -> str:
    """The rep's number, marked.

    :data:`UNCERTAIN_MARK` after it when it is uncertain,
    :data:`MISSED_MARK` before it when a rep may be missing before it.
    """
    return (f"{MISSED_MARK if marked_missed_before(row) else ''}{row['rep']}"
            f"{UNCERTAIN_MARK if _uncertain(row) else ''}")


NOT_JUDGED = "[yellow]not judged[/yellow]"
"""The faults cell of a rep over a data gap: its swing and faults are not judged."""

RATIOS = {"concentric_s": "concentric_ratio", "eccentric_s": "eccentric_ratio",
          "top_hold_s": "top_hold_ratio"}
"""The ratio column that gives each phase's prescription back (duration / ratio)."""


def _phase(row: Mapping[Any, Any], column: str,
           tolerance: TempoTolerance | None = None) -> str:
    """A phase duration as every view prints it (:func:`imu.report.tables.phase_text`).

    One decimal; two only where one would put the value on the wrong side of a limit it is
    judged against: a 1.46 s descent against the dropped line at 1.5 s reads "1.46", a
    1.04 s one against a line at 1.0 s (not dropped) "1.0". The prescription is read back
    from the ratio columns (the table does not carry the tempo). ``tolerance``: the
    analyzer's (``--tempo-tolerance``), whose band edges are limits too.
    """
    value = finite(row.get(column))
    if value is None:
        return "-"
    ratio = finite(row.get(RATIOS[column]))
    prescribed = value / ratio if ratio is not None and ratio > 0 else math.nan
    return phase_text(value, column, prescribed, tolerance=tolerance)


def reps_view(reps: pd.DataFrame, hold: bool = False,
              tolerance: TempoTolerance | None = None, strict: bool = False,
              profile: ExerciseProfile | None = None) -> Table | Text:
    """The reps table as printed on the terminal (``no reps found`` when empty).

    ``hold``: the reps are static holds (plank): each is told by the time held, its drift
    and faults, not by up/hold/down phases, a ROM or swings. ``tolerance``: the tempo
    tolerance the analyzer used (``--tempo-tolerance``; the default when None). An
    uncertain rep's number is marked :data:`UNCERTAIN_MARK`, with :data:`UNCERTAIN_LEGEND`
    under the table (the session line counts them: "8 reps (1 uncertain: ...)"); a rep a
    missed one may precede, :data:`MISSED_MARK` (:data:`MISSED_LEGEND`).
    ``strict``: the reps are a standing strict lift's hip drives (``every_rep_is_swing``):
    each is told by when it started and how far the pelvis moved (:func:`_drives_view`),
    not by phases, a tempo or a swing (every one is a swing by definition); ``profile``, the
    strict lift's, tells why an uncertain one is uncertain (:func:`drive_uncertain`). The ``swing``
    column is shown only when a rep (not over a data gap) swung, leaving its room to the
    faults at 80 columns.
    """
    if reps.empty:
        return Text(f"no {'holds' if hold else 'hip drives' if strict else 'reps'} found",
                    style="yellow")
    if hold:
        return _holds_view(reps)
    if strict:
        return _drives_view(reps, profile)
    records = reps.to_dict(orient="records")
    legend = "\n".join(
        [*([UNCERTAIN_LEGEND] if any(_uncertain(r) for r in records) else []),
         *([MISSED_LEGEND] if any(marked_missed_before(r) for r in records) else [])])
    # The faults column also says "not judged" for a rep over a data gap.
    faulted = any(r[f] for r in records for f in FAULTS) or any(r.get("in_gap")
                                                                for r in records)
    table = FitTable(title="reps", box=box.SIMPLE_HEAD, show_edge=False,
                     caption=legend or None, caption_justify="left",
                     drop=REPS_DROP if faulted else ("faults", *REPS_DROP))
    several = RECORDING in reps
    if several:
        table.add_column("recording")
    for name in ("set", "rep"):
        table.add_column(name, justify="right")
    alternating = reps["side"].notna().any()
    if alternating:
        table.add_column("side")
    for name in (*PHASE_HEADERS, "ROM\ndeg"):
        table.add_column(name, justify="right")
    # Only when a rep swung: an empty column (a dead bug never judges swing) took the faults'
    # room at 80 columns, "back arch" folding onto two lines and "hips rotating" onto three.
    swung = bool((reps["swing"].astype(bool) & ~reps["in_gap"].astype(bool)).any()
                 if "in_gap" in reps else reps["swing"].astype(bool).any())
    if swung:
        table.add_column("swing")
    # Fault names wrap on a narrow terminal rather than lose their end ("hips_…").
    table.add_column("faults", overflow="fold", min_width=8)
    # A rep over a data gap lasted an unknown time: its tempo is not judged ("gap").
    table.add_column("tempo")
    for r in records:
        gap = bool(r.get("in_gap"))
        faults = fault_words([f for f in FAULTS if r[f]])
        cells = [str(r[RECORDING])] if several else []
        cells += [str(r["set"]), _rep_no(r)]
        if alternating:
            cells.append(_fmt_side(r["side"]))
        cells += [
            _phase(r, "concentric_s", tolerance),
            _phase(r, "top_hold_s", tolerance),
            _phase(r, "eccentric_s", tolerance),
            _fmt(r["bottom_pause_s"]),
            _fmt(r["rom_deg"], ".0f"),
        ]
        if swung:
            # Over a data gap a rep is not judged (as the page's one grey badge): no swing
            # or fault is listed, as none is counted in the sets table.
            cells.append("[magenta]swing[/magenta]" if r["swing"] and not gap else "")
        cells += [
            NOT_JUDGED if gap else f"[red]{faults}[/red]" if faults else "",
            ("[yellow]gap[/yellow]" if gap else
             "[green]ok[/green]" if r["tempo_ok"] else "[red]off[/red]"),
        ]
        table.add_row(*cells)
    return table


def _drives_view(reps: pd.DataFrame, profile: ExerciseProfile | None = None) -> Table:
    """A standing strict lift's hip drives: one row each, as the HTML report's table.

    Numbered in time (per recording when several share the table), with when each started
    (``start_s``, s from the start), how far the pelvis moved (``rom_deg``) and its notes:
    why it is uncertain (:func:`drive_uncertain`, with the ``profile``), :data:`DRIVE_GAP`
    and any fault. No up/hold/down, tempo or
    swing column: a hip drive has no prescribed tempo, and every one is a swing (hip drive);
    nor a set (a pause between two hip drives is no set the person did).
    """
    several = RECORDING in reps
    numbers = (reps.groupby(RECORDING, sort=False).cumcount() if several
               else pd.Series(range(len(reps)), index=reps.index)) + 1
    rows: list[list[str]] = []
    for number, r in zip(numbers, reps.to_dict(orient="records"), strict=True):
        notes = []
        if _uncertain(r):
            notes.append(f"[yellow]{escape(drive_uncertain(r, profile))}[/yellow]")
        if r.get("in_gap"):
            notes.append(f"[yellow]{DRIVE_GAP}[/yellow]")
        faults = fault_words([f for f in FAULTS if r.get(f)])
        if faults:
            notes.append(f"[red]{faults}[/red]")
        cells = [str(r[RECORDING])] if several else []
        cells += [str(int(number)), _fmt(r["start_s"], ".0f"), _fmt(r["rom_deg"], ".0f"),
                  "; ".join(notes)]
        rows.append(cells)
    noted = any(row[-1] for row in rows)  # no empty notes column when nothing is noted
    table = Table(title="hip drives", box=box.SIMPLE_HEAD, show_edge=False)
    if several:
        table.add_column("recording")
    table.add_column("hip\ndrive", justify="right")
    table.add_column("at\ns", justify="right")
    table.add_column("pelvis\nmoved deg", justify="right")
    if noted:
        table.add_column("notes", overflow="fold", min_width=8)
    for cells in rows:
        table.add_row(*(cells if noted else cells[:-1]))
    return table


def _holds_view(reps: pd.DataFrame) -> Table:
    # A narrow terminal leaves out the drift, then the set, never cuts a number (FitTable).
    table = FitTable(title="holds", box=box.SIMPLE_HEAD, show_edge=False,
                     drop=("drift\ndeg", "set", "recording"))
    several = RECORDING in reps
    headers = ["recording"] if several else []
    headers += ["set", "hold", "held\ns", "drift\ndeg", "faults", "long\nenough"]
    for h in headers:
        table.add_column(h, justify="left" if h in ("recording", "faults") else "right",
                         overflow="fold" if h in ("recording", "faults") else "ellipsis")
    for r in reps.to_dict(orient="records"):
        faults = fault_words([f for f in FAULTS if r[f]])
        cells = [str(r[RECORDING])] if several else []
        cells += [
            str(r["set"]),
            str(r["rep"]),
            _fmt(r["top_hold_s"]),
            _fmt(r.get("drift_deg", float("nan"))),
            NOT_JUDGED if r.get("in_gap") else f"[red]{faults}[/red]" if faults else "",
            ("[yellow]gap[/yellow]" if r.get("in_gap") else
             "[green]yes[/green]" if r["tempo_ok"] else "[red]too short[/red]"),
        ]
        table.add_row(*cells)
    return table


def sets_view(sets: pd.DataFrame, hold: bool = False,
              reps: pd.DataFrame | None = None) -> Table | None:
    """The sets table as printed on the terminal (None when there are no sets).

    ``hold``: sets of static holds, told by holds, time held and how many were long enough.
    ``reps`` (the reps table behind ``sets``): the time held per set is then the sum of its
    holds (:func:`imu.report.tables.time_held_s`, as the summary and the page give it; the
    sets' mean hold leaves a hold over a data gap out), else the mean hold times the holds.
    The legend under the table says what the "clean run" column counts
    (:data:`CLEAN_RUN_LEGEND`) and, when ``reps`` has uncertain reps, how many the swing and
    fault counts (and the mean descent and ROM, and on tempo) leave out
    (:func:`left_out_words`).
    """
    if sets.empty:
        return None
    legend = [] if hold else [CLEAN_RUN_LEGEND]
    if reps is not None:
        legend.append(left_out_words(reps, hold))
    caption = "; ".join(line for line in legend if line) or None
    table = FitTable(title="sets", box=box.SIMPLE_HEAD, show_edge=False,
                     collapse_padding=True, caption=caption, caption_justify="left",
                     drop=SETS_DROP, legends={CLEAN_RUN: CLEAN_RUN_LEGEND})
    several = RECORDING in sets
    headers = ["recording"] if several else []
    # Headers of two or three lines keep the table within 80 columns without cutting a word.
    headers += ["set", "holds" if hold else "reps", "rest\ns"]
    headers += (["held\ns", "mean hold\ns", "long\nenough", "faults"] if hold else
                ["under\ntension\ns", "up\ns", "hold\ns", "down\ns", "ROM\ndeg", "on\ntempo",
                 # A swing is no fault, but it ends the run of clean reps as one does: the
                 # legend says so (a header that said it cut the table at 80 columns).
                 "swings", "faults", CLEAN_RUN])
    for h in headers:
        table.add_column(h, justify="left" if h == "recording" else "right")
    for r in sets.to_dict(orient="records"):
        n_faults = sum(int(r[f"{f}_count"]) for f in FAULTS)
        cells = [str(r[RECORDING])] if several else []
        cells += [str(r["set"]), str(r["reps"]), _fmt(r["rest_before_s"], ".0f")]
        if hold:
            if reps is not None:
                of_set = reps["set"] == r["set"]
                if several:
                    of_set &= reps[RECORDING] == r[RECORDING]
                held = time_held_s(reps[of_set])
            else:
                held = float(r["top_hold_s_mean"]) * int(r["reps"])
            cells += [
                _fmt(held, ".0f"),
                _fmt(r["top_hold_s_mean"]),
                _share(r["tempo_ok_share"]),
                str(n_faults),
            ]
        else:
            cells += [
                _fmt(r["tut_s"], ".0f"),
                _fmt(r["concentric_s_mean"]),
                _fmt(r["top_hold_s_mean"]),
                _fmt(r["eccentric_s_mean"]),
                _fmt(r["rom_deg_mean"], ".0f"),
                _share(r["tempo_ok_share"]),
                str(r["swings"]),
                str(n_faults),
                str(r["clean_reps_before_first_fault"]),
            ]
        table.add_row(*cells)
    return table


def left_out_words(reps: pd.DataFrame, hold: bool = False) -> str:
    """How many uncertain reps the sets' figures leave out, in words.

    "down, ROM, on tempo, swings and faults leave out the 2 uncertain reps (?)": the sets
    table's mean descent and ROM, on-tempo share and swing and fault counts
    (:func:`imu.report.tables.sets_table`); "" when there are none. The reps over a data
    gap are not counted among them: they are not judged at all (the reps table says "not
    judged").
    """
    n = sum(1 for r in reps.to_dict(orient="records")
            if _uncertain(r) and not r.get("in_gap"))
    if not n:
        return ""
    if hold:  # the holds table marks no hold "?"
        return f"faults leave out the {count(n, 'uncertain hold')}"
    return (f"down, ROM, on tempo, swings and faults leave out the "
            f"{count(n, 'uncertain rep')} ({UNCERTAIN_MARK})")
