"""Terminal views of a live session: a full-screen rich view, and plain lines for pipes.

A view is a :data:`~imu.live.events.Listener`: the session calls it with each event, in order,
from its consumer (so it must return quickly). ``running()`` is a context manager that shows
the view while the session runs. :func:`rep_line` and :func:`set_line` are the plain-text
summaries of a rep and a set (durations in s, ROM in degrees).
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from imu.core.metrics import HOLD_SLACK_FRACTION, UNCERTAIN_CONFIDENCE, Rep, TempoTolerance
from imu.exercises import FAULTS, ExerciseProfile, fault_words
from imu.live.events import (
    HINT_KEYS,
    HIP_DRIVE_CUE,
    NOT_JUDGED_REP,
    OVER_GAP,
    PHASE_NAMES,
    PHASES,
    Connected,
    Disconnected,
    Finished,
    HoldFormCue,
    PaceCue,
    PhaseChanged,
    PhaseStarted,
    Progress,
    Reconnecting,
    RepDone,
    SetEnded,
    SourceInfo,
    StreamEvent,
    across_loss,
    counted_reps,
    cut_short,
    duration_text,
    hint_key,
    hip_drive,
    hip_drive_at,
    hip_drive_uncertain,
    learning_count,
    learning_hint,
    live_correction,
    lost_words,
    pace_words,
    phase_hints,
    phases_over_gap,
    rest_hint,
    set_coaching,
    uncertain_left_out,
    uncertain_words,
)
from imu.live.hold_form import HOLD_FORM_BACK, HOLD_FORM_WORDS
from imu.report.summary import MISSED_BEFORE_NOTE
from imu.report.tables import hold_long_enough, near_limit, phase_limits, tut_text
from imu.report.terminal import NBSP, keep_units, wrap_spans
from imu.tempo import Tempo
from imu.text import count

logger = logging.getLogger(__name__)


def _fmt_phase_cmp(measured: float, prescribed: float, tol: TempoTolerance,
                   limits: tuple[float, ...] = ()) -> tuple[str, str]:
    """``measured/prescribed``, marked ▼ short or ▲ long when off tempo (not by colour alone).

    ``measured`` gets a decimal more where one would print it as a limit it is not
    (:func:`imu.report.tables.near_limit`), as the report and the web page print it.
    """
    shown = near_limit(measured, limits)
    if tol.ok(measured, prescribed):
        return f"{shown}/{prescribed:g}", "green"
    mark = "▼" if measured < prescribed else "▲"
    return f"{shown}/{prescribed:g} {mark}", "red"


_DIGITS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
}
"""A 3 x 5 block font for the rep count, read from the floor on a terminal."""

_GLYPHS: dict[str, tuple[str, ...]] = {
    **_DIGITS,
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#.#", "###", "###", "#.#", "#.#"),
    "N": ("##.", "#.#", "#.#", "#.#", "#.#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#.#", "#.#", "###", "###", "#.#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    ".": (".", ".", ".", ".", "#"),
    ":": (".", "#", ".", "#", "."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    "-": ("...", "...", "###", "...", "..."),
    " ": (".", ".", ".", ".", "."),
}
"""The 3 x 5 block font with capitals and the clock's signs, for the phase and its clock."""


def big_number(value: int, scale: int = 1) -> list[str]:
    """``value`` in 5 lines of block characters (each font pixel two cells wide)."""
    return big_text(str(value), scale)


def big_text(text: str, scale: int = 1) -> list[str]:
    """``text`` (digits, capitals, ``. : / -`` and blanks) in 5 lines of block characters.

    Each font pixel is two cells wide and one line tall, as the rep count's digits; ``scale``
    times that (``scale`` x 5 lines) on a large terminal. Characters the font lacks are left
    out.
    """
    glyphs = [_GLYPHS[c] for c in text.upper() if c in _GLYPHS]
    rows = []
    on, off = "██" * scale, "  " * scale
    for r in range(5):
        cells = ["".join(on if px == "#" else off for px in g[r]) for g in glyphs]
        rows += ["  ".join(cells) if scale == 1 else off.join(cells)] * scale
    return rows


def rep_line(rep: Rep, tempo: Tempo, tol: TempoTolerance, hold: bool = False,
             profile: ExerciseProfile | None = None,
             loss: tuple[float, float] | None = None) -> str:
    """One line about a rep: phases against the tempo, swing and faults (plain text).

    ``hold``: the rep is a static hold (plank), told by how long it was held, judged as the
    analyzer judges it (too short is off; longer is fine). A rep over a data gap is not
    judged: neither its tempo nor its swing and faults (as the page's badges and the report).
    Durations never read as a limit they are not (:func:`imu.live.events.duration_text`: a
    1.45 s descent is "1.45" beside "dropped descent", not "1.5"). ``profile``: the exercise
    (its thresholds); a standing strict lift's rep is a hip drive, told as one, with no tempo.
    ``loss``: ``(from_s, lost_s)`` of the sensor's last loss, data s (:func:`phases_over_gap`):
    a phase over it is "unknown (over the gap)", never a length that counts the lost seconds.
    """
    faults = [] if rep.in_gap else [f for f in FAULTS if f in rep.faults]
    if hip_drive(profile) and not hold:
        # Told by when it began, as the end table and the report tell it: a standing strict
        # lift has no sets (a pause between two hip drives is no set the person did), so
        # "rep 1 (set 3)" named a set nobody did.
        head = f"{hip_drive_at(rep)}:"
        if rep.in_gap:
            return f"{head} pelvis moved {rep.rom_deg:.0f} deg, not judged {NOT_SEEN_WHOLE}"
        if rep.count_confidence < UNCERTAIN_CONFIDENCE:
            # As the end table's note and the pause line, which leave it out of the count,
            # with the reason the report gives for the same hip drive.
            verdict = hip_drive_uncertain(rep, profile)
        elif rep.swing:
            verdict = f"HIP DRIVE: {HIP_DRIVE_CUE}"
        else:
            verdict = "no hip drive"
        return f"{head} pelvis moved {rep.rom_deg:.0f} deg; {verdict}"

    over_gap = phases_over_gap(rep, loss)

    def shown(measured: float, column: str, prescribed: float) -> str:
        return duration_text(measured, column, prescribed, tol, profile, hold)

    def phase(label: str, measured: float, column: str, prescribed: float) -> str:
        if column in over_gap:
            return f"{label} unknown (over the gap)"
        return f"{label} {shown(measured, column, prescribed)} s"

    if hold:
        short_s = tempo.top_hold_s - rep.top_hold_s
        if rep.in_gap:  # samples lost during it: how long it lasted is not known
            verdict = "length not judged"
        elif not rep.tempo_ok:
            verdict = f"TOO SHORT by {short_s:.1f} s"
        elif short_s > 0.0:
            verdict = f"long enough (within {HOLD_SLACK_FRACTION:.0%} of it)"
        else:
            verdict = "long enough"
        parts = [
            f"hold {rep.rep} (set {rep.set}): held "
            f"{shown(rep.top_hold_s, 'top_hold_s', tempo.top_hold_s)} s",
            f"(target {tempo.top_hold_s:g} s)",
            verdict,
        ]
        if faults:
            parts.append("FAULT: " + fault_words(faults))
        if rep.in_gap:
            parts.append(NOT_SEEN_WHOLE)
        parts += _uncertain_words(rep, "hold", bool(faults))
        return " ".join(parts)
    parts = [
        f"rep {rep.rep} (set {rep.set}{', ' + rep.side if rep.side else ''}):",
        ", ".join((phase("up", rep.concentric_s, "concentric_s", tempo.concentric_s),
                   phase("hold", rep.top_hold_s, "top_hold_s", tempo.top_hold_s),
                   phase("down", rep.eccentric_s, "eccentric_s", tempo.eccentric_s))),
        f"(target {tempo})",
        ("tempo not judged" if rep.in_gap else "on tempo" if rep.tempo_ok else "OFF TEMPO"),
        f"ROM {rep.rom_deg:.0f} deg",
    ]
    if rep.swing and not rep.in_gap:
        parts.append("SWING")
    if faults:
        parts.append("FAULT: " + fault_words(faults))
    if rep.in_gap:
        parts.append(NOT_SEEN_WHOLE)
    parts += _uncertain_words(rep, "rep", bool(faults) or bool(rep.swing))
    if rep.missed_before:
        parts.append(MISSED_BEFORE_WORDS)
    return " ".join(parts)


MISSED_BEFORE_WORDS = f"({MISSED_BEFORE_NOTE})"
"""What a rep line adds for a rep marked ``missed_before`` (:data:`MISSED_BEFORE_NOTE`)."""

NOT_SEEN_WHOLE = "(in a gap: samples were lost during it, or the recording began or ended in it)"
"""Why a rep (``in_gap``) is not judged, on its line: a hold stopped by Ctrl-C is one too,
where "samples were lost during it" beside "no samples lost" read as a contradiction."""


def _uncertain_words(rep: Rep, unit: str, flagged: bool) -> list[str]:
    """What a rep line adds for a rep the analyzer is not sure was one ([] otherwise).

    The set's line leaves its swing and faults out of the counts ("0 faults (1 uncertain
    left out)"), so the rep's own line says why the FAULT it shows is not counted there. A
    rep over a data gap is not judged at all and says that instead.
    """
    words = uncertain_words(rep, unit, flagged)  # the terminal's and the page's words too
    return [f"({words})"] if words else []


def set_line(set_no: int, reps: tuple[Rep, ...], hold: bool = False,
             profile: ExerciseProfile | None = None) -> str:
    """Plain summary of a finished set (``hold``: of static holds, by the time held).

    ``profile``: a standing strict lift's set is told by its hip drives alone: a pause
    between them is no set the person did, and the lifts themselves are not counted.
    An uncertain rep (``count_confidence`` under 0.5) may be no rep: its swing and faults are
    not counted, as in the report, and the line says how many were left out.
    """
    # A rep over a data gap lasted an unknown time: its tempo, swing and faults are not
    # judged, and it is left out of the time under tension (as the report); a set of such
    # reps alone lasted an unknown time, not 0 s.
    judged = [r for r in reps if not r.in_gap]
    gaps = len(reps) - len(judged)
    # "2 on tempo, 1 not judged": the rep over a gap is none of the 2 on tempo.
    not_judged = f", {gaps} not judged (over a data gap)" if gaps else ""
    # An uncertain rep may be no rep: its tempo, swing and faults are not counted (the
    # report's rule, the tables' tempo_ok_share), and the line says how many were left out.
    counted, unsure = counted_reps(reps)
    on_tempo = sum(bool(r.tempo_ok) for r in counted)
    left_out = uncertain_left_out(unsure)
    swings = sum(bool(r.swing) for r in counted)
    faults = sum(len(r.faults) for r in counted)
    tut = tut_text(sum(r.tut_s for r in judged) if judged else math.nan)
    if hip_drive(profile) and not hold:
        # What is measured is the hip drives: the lifts themselves are not counted.
        return (f"paused: {count(swings, 'hip drive')}{left_out}{not_judged} in the lifts "
                "since the last pause")
    if hold:
        held = sum(r.top_hold_s for r in reps)
        return (f"set {set_no} done: {count(len(reps), 'hold')}, {on_tempo} long enough"
                f"{not_judged}, {count(faults, 'fault')}{left_out}, held {held:.0f} s in all")
    return (
        f"set {set_no} done: {count(len(reps), 'rep')}, {on_tempo} on tempo{not_judged}, "
        f"{count(swings, 'swing')}, {count(faults, 'fault')}{left_out}, "
        f"time under tension {tut}"
    )


def hold_form_line(event: HoldFormCue) -> str | None:
    """The plain line of a plank's live form cue (None: the hold ended, its line follows).

    "HIPS SAGGING: lift the hips (tilt -6° from the start of the hold)", or when the hips
    came back, :data:`imu.live.hold_form.HOLD_FORM_BACK`.
    """
    if event.fault is None:
        return None if event.hold_ended else HOLD_FORM_BACK
    what, do = HOLD_FORM_WORDS[event.fault]
    return f"{what.upper()}: {do} (tilt {event.drift_deg:+.0f}° from the start of the hold)"


class PlainView:
    """Line output for pipes and CI: one line per event that matters."""

    def __init__(self, out: Console, tempo: Tempo, tol: TempoTolerance, bell: bool,
                 hold: bool = False, profile: ExerciseProfile | None = None) -> None:
        self.out, self.tempo, self.tol, self.bell = out, tempo, tol, bell
        self.hold = hold  # static holds (plank): told by the time held
        self.profile = profile  # its thresholds; a standing strict lift: hip drives
        self._journal_error: str | None = None
        self._rate: float | None = None  # samples per data second, from progress reports
        self._lost = 0  # samples lost so far (progress reports)
        self._lost_before: int | None = None  # ... when the sensor was lost, until told back
        self._lost_from_s = 0.0  # data time the sensor was lost, s
        self._lost_s = 0.0  # ... for this long, s (inf until the recorder places the gap)
        self._across = 0  # reps counted across the loss before its note was told

    def __call__(self, event: object) -> None:
        """Print the event."""
        line: str | None = None
        if isinstance(event, Connected):
            verb = "reconnected to" if event.reconnect else "connected to"
            line = f"{verb} {event.info.summary}; streaming"
        elif isinstance(event, Disconnected):
            at = f" at {event.at_sample / self._rate:.1f} s" if self._rate else ""
            if self._lost_before is None:
                self._lost_before = self._lost
                self._lost_from_s = event.at_sample / self._rate if self._rate else 0.0
                self._lost_s = math.inf
                self._across = 0
            not_counted = ("holds now are not timed" if self.hold
                           else STRICT_NOT_COUNTED if hip_drive(self.profile) else NOT_COUNTED)
            line = (f"SENSOR LOST{at}: reconnecting; {not_counted} (the gap is marked in "
                    "the recording)")
        elif isinstance(event, Reconnecting) and event.attempt > 1:
            line = (f"sensor still lost: reconnect attempt {event.attempt} in "
                    f"{event.delay_s:.1f} s ({event.error})")
        elif isinstance(event, RepDone):
            line = rep_line(event.rep, self.tempo, self.tol, self.hold, self.profile,
                            loss=(self._lost_from_s, self._lost_s))
            if self._lost_before is not None and across_loss(
                    event.rep, self._lost_from_s, math.inf):
                self._across += 1  # counted across the loss before its note: it says so
            if self.bell:
                line += "\a"
        elif isinstance(event, PaceCue):
            # the rep in progress has no number in its set yet: none is shown
            line = f"{event.message.upper()}: {pace_words(event)}"
            if self.bell:
                line += "\a"
        elif isinstance(event, HoldFormCue):
            line = hold_form_line(event)
            if line and event.fault is not None and self.bell:
                line += "\a"
        elif isinstance(event, SetEnded):
            line = set_line(event.set_no, event.reps, self.hold, self.profile)
        elif isinstance(event, Progress):
            line = self._progress(event)
        elif isinstance(event, StreamEvent):
            line = event.text
        elif isinstance(event, Finished):
            line = event.words
        if line is not None:
            self.out.print(line, markup=False)

    def _progress(self, event: Progress) -> str | None:
        """The journal's state when it changes; how much the sensor's loss cost, once known."""
        if event.seconds > 0 and event.samples > 0:  # a link loss is told in seconds
            self._rate = event.samples / event.seconds
        self._lost = event.lost_samples
        lines = []
        if (self._lost_before is not None and self._rate
                and event.lost_samples > self._lost_before):
            # The first samples after the loss are placed: the gap's length is known.
            self._lost_s = (event.lost_samples - self._lost_before) / self._rate
            lines.append(lost_words(self._lost_s,
                                    self.hold, self._across,
                                    drive=hip_drive(self.profile) and not self.hold))
            self._lost_before = None
        if event.journal_error != self._journal_error:
            self._journal_error = event.journal_error
            lines.append(
                f"warning: journal not written ({event.journal_error}); data kept in memory"
                if event.journal_error
                else "journal writing again"
            )
        return "\n".join(lines) if lines else None

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Nothing to set up for plain output."""
        yield


NOT_COUNTED = "reps done now are not counted"
"""Why a lost sensor matters (the page's words under its alarm)."""

STRICT_NOT_COUNTED = "hip drives now are not counted"
""":data:`NOT_COUNTED` for a standing strict lift, whose reps are hip drives (as
:data:`imu.live.events.STRICT_HINTS` says while the sensor is lost)."""

MAX_EXTRAPOLATION_S = 2.0
"""Longest the panel's clocks run past the newest data heard of, data s (as the page's)."""


@dataclass
class _State:
    device: str = "searching..."
    link: str = "connecting"
    phase: str = "waiting"  # a phase key of imu.live.events.PHASE_NAMES
    reps: int = 0  # in the set shown
    total: int = 0  # in the session
    # A standing strict lift: its hip drives in the session, counted as the pause line counts
    # them (sure, not over a gap), and those left out (uncertain; over a gap).
    drives: int = 0
    drives_unsure: int = 0
    drives_gap: int = 0
    set_no: int = 0
    set_over: bool = False  # the set shown was announced done; the next movement starts another
    seconds: float = 0.0
    lost: int = 0
    gaps: int = 0
    drift: float | None = None
    journal_error: str | None = None
    last: Rep | None = None
    summary: str = ""
    summary_set: int = 0  # the set the summary is of
    summary_at: float = 0.0  # host clock when it was told
    earlier: str = ""  # sets told just before, in the same burst (LATE_SUMMARY_S)
    coaching: str = ""  # the set's one coaching line (while resting)
    cue: str = ""  # SLOWER's explanation while it is up
    cue_past: str = ""  # the same once its phase is over (pace_words over=True)
    cue_rep: int | None = None
    cue_at_s: float = 0.0  # data time SLOWER came
    cue_over: bool = False  # the lowering it was about has ended: it goes after CUE_MIN_SHOW_S
    cued: bool = False  # phase cues arrive (the axis is locked): the coarse hint is not shown
    form: str | None = None  # a plank's live form cue up now (hips_sagging, hips_piking)
    phase_at_s: float | None = None
    phase_rep: int | None = None
    prescribed_s: float | None = None
    ticks: int = 0
    hold_from_s: float | None = None  # a static hold under way: when it began, data s
    held_s: float | None = None  # getting down from a hold: its length to there, s (till told)
    # Data time: the newest heard of, and the host time (clock) when it was heard.
    data_s: float = 0.0
    data_at: float = 0.0
    streaming: bool = False
    down_since: float | None = None  # the sensor's link down since (host clock)
    back_at: float | None = None  # ... and back at (host clock), with lost_s lost
    lost_s: float = 0.0
    lost_before: int = 0
    lost_estimated: bool = False  # lost_s is the host clock's estimate, not yet the sensor's
    lost_from_s: float = 0.0  # data time the loss began, s
    across: int = 0  # reps counted across the loss since it began (not judged)
    rate_hz: float | None = None  # samples per data second, from progress reports


PHASE_WORDS = {key: PHASE_NAMES[key].upper() for key in PHASES}
"""How the terminal names each phase of :data:`imu.live.events.PHASES` (the page's words)."""

_HINT_KEYS = HINT_KEYS
""":class:`PhaseChanged` phases -> phase keys (:data:`imu.live.events.HINT_KEYS`)."""

CUE_MIN_SHOW_S = 3.0
"""SLOWER stays up at least this long, data s, then goes once its lowering ended (the page's
``CUE_MIN_SHOW_S``)."""

BOTTOM_TO_REST_S = 5.0
"""Still at the bottom after a rep this long (and twice any prescribed pause), data s: the
panel reads it as a rest, as the page does (``BOTTOM_TO_REST_S`` in app.js), until the set
ends."""

LATE_SUMMARY_S = 10.0
"""How long a set's summary stays up once reps of the next set are counted, data s: a set
told only when its reps were (a dead bug's first set, counted once the movement is learned
during the next one) is followed at once by the next set's reps, which cleared it unseen."""

BACK_NOTE_S = 15.0
"""How long "sensor back: N s lost" stays on the panel, data s (as on the page)."""


class Wrapped:
    """``renderable`` drawn with its text wrapped to the width, whatever the console's setting.

    The CLI's console lets long lines run on (``soft_wrap``, for the tables it prints after
    the session); inside the live panel that cropped a set summary mid-number at the panel's
    edge ("time under tension 1 │" for 19 s). Words wrap, and a word longer than a line folds.
    """

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Render with wrapping on (no cropping)."""
        yield from console.render(self.renderable,
                                  options.update(no_wrap=False, overflow="fold"))


class RichView:
    """Full-screen live view, read from the floor.

    The count and the phase with its clock in block letters, the one correction (SLOWER, or
    what the last rep needs), the last rep against the tempo, the set summary, and a small
    status line (sensor, link, data). A lost sensor replaces the phase by a loud alarm.

    Args:
        out: the console to draw on.
        tempo: the prescription.
        tol: when a phase counts as on tempo.
        bell: ring the bell at every rep, and each second of the prescribed phase.
        profile: the exercise.
        speed: data seconds per host second (``--speed`` in simulations); None: measured
            from the stream's progress (1 with a real sensor).
        clock: host clock, monotonic seconds (injected in tests).

    """

    def __init__(self, out: Console, tempo: Tempo, tol: TempoTolerance, bell: bool,
                 profile: ExerciseProfile, speed: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.out, self.tempo, self.tol, self.bell, self.profile = out, tempo, tol, bell, profile
        self.speed = speed
        self.clock = clock
        self.state = _State(data_at=clock())
        self._live: Live | None = None
        self._last_render: RenderableType = Text("")
        self._render_failed = False
        self._speed_ref: tuple[float, float] | None = None  # (host, data s) after connecting
        self._measured_speed = 1.0

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Show the view while the session runs (redrawn 8 times a second: the clocks run)."""
        with Live(console=self.out, refresh_per_second=8, transient=False,
                  get_renderable=self._safe_render) as live:
            self._live = live
            try:
                yield
            finally:
                self._live = None

    def _safe_render(self) -> RenderableType:
        """:meth:`render`, for the refresh thread.

        A failure is logged once and the last good screen stays: the session goes on (a
        view is only a view).
        """
        try:
            self._last_render = self.render()
        except Exception:  # drawing must never stop the refresh, nor the session
            if not self._render_failed:
                logger.exception("the live panel failed to draw; showing the last good one")
            self._render_failed = True
        return self._last_render

    # ------------------------------------------------------------------ clocks
    @property
    def data_speed(self) -> float:
        """Data seconds per host second: given, or measured from the progress reports."""
        return self.speed if self.speed is not None else self._measured_speed

    def _heard(self, data_s: float) -> None:
        s = self.state
        if math.isfinite(data_s) and data_s >= s.data_s:
            s.data_s, s.data_at = data_s, self.clock()

    def now_s(self) -> float:
        """Data time now: the newest heard of, carried on while streaming (at most 2 s)."""
        s = self.state
        if not s.streaming:
            return s.data_s
        ahead = max(0.0, self.clock() - s.data_at) * self.data_speed
        return s.data_s + min(ahead, MAX_EXTRAPOLATION_S)

    def _measure_speed(self, seconds: float) -> None:
        """Data seconds per host second from the stream (reset at each connection)."""
        now = self.clock()
        if self._speed_ref is None:
            self._speed_ref = (now, seconds)
            return
        host0, data0 = self._speed_ref
        if now - host0 >= 2.0 and seconds > data0:
            self._measured_speed = min(100.0, max(0.05, (seconds - data0) / (now - host0)))

    # ------------------------------------------------------------------ events
    def __call__(self, event: object) -> None:
        """Update the view with an event."""
        s = self.state
        if isinstance(event, Connected):
            s.device = _device_words(event.info)
            s.link, s.streaming = "streaming", True
            self._speed_ref = None
            if s.phase == "waiting":
                s.phase = "learning"
            if s.down_since is not None:
                now = self.clock()
                s.lost_s = (now - s.down_since) * self.data_speed  # until the recorder's
                s.back_at, s.down_since, s.lost_estimated = now, None, True
                if s.phase in PHASES and not self.profile.isometric:
                    s.phase, s.phase_at_s = "resumed", None  # its timing over the loss: unknown
            self._heard(s.data_s)
        elif isinstance(event, Disconnected | Reconnecting):
            s.link, s.streaming = "sensor lost, reconnecting", False
            if s.down_since is None:
                s.down_since, s.lost_before, s.back_at = self.clock(), s.lost, None
                s.lost_from_s = (event.at_sample / s.rate_hz
                                 if isinstance(event, Disconnected) and s.rate_hz else s.data_s)
                s.across = 0
            s.cue, s.form = "", None
        elif isinstance(event, RepDone):
            rep = event.rep
            s.total += 1
            s.reps = rep.rep  # its number in its set (the analyzer numbers them)
            if hip_drive(self.profile):
                unsure = rep.count_confidence < UNCERTAIN_CONFIDENCE
                s.drives += bool(rep.swing) and not rep.in_gap and not unsure
                s.drives_unsure += unsure and not rep.in_gap
                s.drives_gap += bool(rep.in_gap)
            later = bool(s.summary) and rep.set > s.summary_set
            if later and s.phase in ("rest", "learning"):
                # The set just told is over and this rep of the next one was counted with
                # it (the movement was learned during this set): at the bottom, no rest.
                s.phase, s.phase_rep, s.ticks = "bottom_pause", s.total, 0
                s.phase_at_s = rep.ecc_end_s if math.isfinite(rep.ecc_end_s) else self.now_s()
                s.prescribed_s = None
            elif s.phase == "learning":
                s.phase, s.phase_rep, s.ticks = "bottom_pause", s.total, 0
                s.phase_at_s = rep.ecc_end_s if math.isfinite(rep.ecc_end_s) else self.now_s()
                s.prescribed_s = None
            if not later:  # the summary of the set before stays up a while (LATE_SUMMARY_S)
                s.summary, s.coaching, s.earlier = "", "", ""
            s.set_no, s.last, s.set_over = rep.set, rep, False
            s.hold_from_s, s.form = None, None
            if s.back_at is not None and across_loss(rep, s.lost_from_s, s.lost_s):
                s.across += 1  # the note tells it: counted over the loss, not judged
            self._heard(rep.ecc_end_s)
            if s.cue_rep is None or s.cue_rep <= s.total:
                s.cue_over = True  # SLOWER's lowering is over: the rep says how it went
            if self.profile.isometric:  # the hold's measured length replaces its clock
                s.phase, s.phase_at_s, s.held_s = "held", None, None
            elif s.phase in ("concentric", "top_hold", "eccentric") and (
                    s.phase_rep is None or s.phase_rep <= s.total):
                # The rep ended without its end being told: back at the bottom, not still
                # "HOLD" (a squeeze at the top) or "DOWN" with a clock running on.
                s.phase, s.phase_rep, s.ticks = "bottom_pause", s.total, 0
                s.phase_at_s = rep.ecc_end_s if math.isfinite(rep.ecc_end_s) else self.now_s()
                s.prescribed_s = self.tempo.bottom_pause_s
            if self.bell:
                self.out.bell()
        elif isinstance(event, PhaseStarted):
            self._phase_started(event)
        elif isinstance(event, HoldFormCue):
            s.form = event.fault
            self._heard(event.at_s)
        elif isinstance(event, PaceCue):
            s.cue, s.cue_rep = pace_words(event), event.rep_no
            s.cue_past = pace_words(event, over=True)
            s.cue_at_s, s.cue_over = self.now_s(), False
            if s.phase_at_s is not None and s.phase == event.phase:
                self._heard(s.phase_at_s + event.elapsed_s)
            if self.bell:
                self.out.bell()
        elif isinstance(event, PhaseChanged):
            if (not s.cued and s.phase not in ("rest", "ended", "held")) or (
                    event.phase == "learning" and s.phase == "waiting"):
                key = hint_key(event.phase, s.phase)
                if self.profile.isometric and s.total == 0 and key != "learning":
                    # Learned, but no hold found yet: getting into position, no rest yet.
                    key = "ready"
                if key == "ready" and key != s.phase:
                    s.phase, s.phase_at_s, s.prescribed_s = "ready", None, None
                elif key != s.phase:
                    s.phase, s.phase_rep, s.phase_at_s, s.ticks = key, None, self.now_s(), 0
                    s.prescribed_s = None if hip_drive(self.profile) else {
                        "concentric": self.tempo.concentric_s,
                        "eccentric": self.tempo.eccentric_s}.get(key)
        elif isinstance(event, SetEnded):
            hold = self.profile.isometric
            if (s.summary and s.summary_set < event.set_no
                    and (self.clock() - s.summary_at) * self.data_speed < LATE_SUMMARY_S):
                # Sets told together (their reps counted at once, once the movement was
                # learned, or at the end): every one is shown, not only the last.
                s.earlier = "\n".join(x for x in (s.earlier, s.summary) if x)
            elif s.summary_set != event.set_no:
                s.earlier = ""
            s.summary = set_line(event.set_no, event.reps, hold, self.profile)
            coaching = set_coaching(event.reps, self.tempo, self.tol, hold, self.profile)
            if s.down_since is not None:  # the sensor is lost, and the set ends with it
                coaching = cut_short(coaching, len(event.reps), hold, self.profile)
            cue, why, _good = coaching
            s.coaching = f"{cue}: {why}" if why else cue
            s.set_no, s.reps, s.set_over = event.set_no, len(event.reps), True
            s.summary_set, s.summary_at = event.set_no, self.clock()
            ends = [r.ecc_end_s for r in event.reps if math.isfinite(r.ecc_end_s)]
            s.phase, s.phase_at_s, s.cue = "rest", max(ends, default=None), ""
            s.prescribed_s = None
        elif isinstance(event, Progress):
            self._progress(event)
        elif isinstance(event, StreamEvent):
            s.link = "streaming" if event.kind == "stream_restarted" else event.text
        elif isinstance(event, Finished):
            s.link, s.streaming = event.words, False
            s.phase, s.cue, s.down_since, s.back_at = "ended", "", None, None
            s.form = None

    def _phase_started(self, event: PhaseStarted) -> None:
        s = self.state
        s.cued = True
        self._heard(event.emitted_at_s)
        if (self.profile.isometric and event.phase == "bottom_pause" and event.rep_ended
                and s.phase == "held"):
            return  # the hold just reported: its measured length stays up
        if s.total == 0 and event.phase == "bottom_pause" and not event.rep_ended:
            # A start that came to nothing before the first rep or hold: no rest timer (no
            # set was done) and no pause clock; ready for the first one.
            s.phase, s.phase_rep, s.phase_at_s, s.prescribed_s = "ready", None, None, None
            s.hold_from_s = None
            return
        if (self.profile.isometric and event.phase == "eccentric"
                and s.hold_from_s is not None):
            # Getting down from a hold: the hold's length to here, as it will be measured,
            # not "REST ... the next set of holds" (nor a lowering timed against the tempo).
            s.held_s = event.at_s - s.hold_from_s
            s.phase, s.phase_rep, s.phase_at_s = "held", event.rep_no, None
            s.hold_from_s, s.form = None, None
            return
        s.phase, s.phase_rep = event.phase, event.rep_no
        s.phase_at_s, s.prescribed_s, s.ticks = event.at_s, event.prescribed_s, 0
        s.held_s = None
        if self.profile.isometric:  # a plank: the hold is told as it starts and ends
            s.hold_from_s = event.at_s if event.phase == "top_hold" else None
            if event.phase != "top_hold":
                s.form = None
        if s.set_over and event.phase in ("concentric", "top_hold"):
            s.set_no, s.reps, s.set_over = s.set_no + 1, 0, False  # the next set began
            s.summary = s.coaching = s.earlier = ""
        if s.cue and event.phase in ("concentric", "eccentric") and event.rep_no != s.cue_rep:
            s.cue = ""  # the next rep's lift or lowering: SLOWER was about the rep before
        elif s.cue and event.phase == "bottom_pause" and event.rep_no == s.cue_rep:
            s.cue_over = True  # its lowering ended

    def _progress(self, event: Progress) -> None:
        s = self.state
        s.seconds, s.lost, s.drift = event.seconds, event.lost_samples, event.clock_drift_ppm
        s.gaps, s.journal_error = event.gaps, event.journal_error
        rate = event.samples / event.seconds if event.seconds > 0 else None
        if rate and event.samples > 0:
            s.rate_hz = rate
        if (s.back_at is not None and s.lost_estimated and rate
                and event.lost_samples > s.lost_before):
            # The recorder placed the gap: its length by the sensor's own clock replaces the
            # host clock's estimate, once (as the page's note): a frame lost later is no
            # part of this loss, and must not turn "8 s lost" into "under 1 s lost".
            s.lost_s = (event.lost_samples - s.lost_before) / rate
            s.lost_estimated = False
        if s.streaming:
            self._measure_speed(event.seconds)
        self._heard(event.seconds)
        self._metronome(self.now_s())

    def _metronome(self, now_s: float) -> None:
        """With ``bell``: one bell per whole second of the prescribed phase in progress."""
        s = self.state
        if not self.bell or s.prescribed_s is None or s.phase_at_s is None:
            return
        elapsed = now_s - s.phase_at_s
        if 1.0 <= elapsed <= s.prescribed_s + 0.25 and int(elapsed) > s.ticks:
            s.ticks = int(elapsed)
            self.out.bell()

    # ------------------------------------------------------------------ drawing
    def shown_key(self) -> str:
        """The phase key shown (:data:`imu.live.events.PHASE_NAMES`).

        ``lost`` while the sensor is lost; for a plank, a hold under way or rest between holds
        (the coarse hints of a still body are no hold); ``ready`` before the first rep or hold
        (no rest: no set was done yet).
        """
        s = self.state
        if s.down_since is not None:
            return "lost"
        if self.profile.isometric:
            if s.hold_from_s is not None:
                return "top_hold"
            if s.phase in ("waiting", "learning", "ready", "held", "ended", "rest", "resumed"):
                return s.phase
            return "rest"
        if self._pause_is_rest():
            return "rest"
        return s.phase

    def _pause_is_rest(self) -> bool:
        """Still at the bottom after a rep for a while: most likely a rest (as the page)."""
        s = self.state
        if s.phase != "bottom_pause" or s.phase_at_s is None or not s.streaming:
            return False
        limit = max(BOTTOM_TO_REST_S, 2 * (s.prescribed_s or 0.0))
        return self.now_s() - s.phase_at_s > limit

    def phase_clock(self) -> tuple[str, str, str]:
        """The phase's clock as ``(big, small, style)``: e.g. ``("1.3", "/ 3 s", "")``.

        While the sensor is lost: the seconds since. A plank's hold just ended: the hold's
        measured length (the figure saved), not the clock that ran on while the person got
        down.
        """
        s = self.state
        key = self.shown_key()
        if key == "lost":
            return f"{self._down_s():.0f}", "s without the sensor", "bold yellow"
        if key == "held" and s.held_s is not None:
            # Getting down: the hold's length to where it began, judged as the hold will be.
            target = self.tempo.top_hold_s
            ok = hold_long_enough(s.held_s, target, self.tol)
            shown = duration_text(s.held_s, "top_hold_s", target, self.tol, self.profile,
                                  hold=True)
            return shown, f"/ {target:g} s{'' if ok else ' ▼'}", (
                "bold green" if ok else "bold red")
        if key == "held" and s.last is not None:
            target, measured = self.tempo.top_hold_s, s.last.top_hold_s
            if not math.isfinite(measured):
                return "", "", ""
            if s.last.in_gap:  # samples lost during it: how long it lasted is not known
                return f"{measured:.1f}", f"/ {target:g} s, {NOT_JUDGED_REP}", "bold"
            ok = bool(s.last.tempo_ok)
            # A 44.96 s hold of 45 reads "44.96", never "45.0" beside ▼.
            shown = duration_text(measured, "top_hold_s", target, self.tol, self.profile,
                                  hold=True)
            return shown, f"/ {target:g} s{'' if ok else ' ▼'}", (
                "bold green" if ok else "bold red")
        if key == "learning" and s.streaming and not self.profile.isometric:
            # How long the movement has been watched (data time from the first sample): the
            # screen is alive while nothing is counted yet.
            seen = max(0.0, self.now_s())
            return f"{int(seen // 60)}:{int(seen % 60):02d}", "of movement seen", ""
        if s.phase_at_s is None or key in ("ended", "waiting", "learning", "ready", "resumed"):
            return "", "", ""
        elapsed = max(0.0, self.now_s() - s.phase_at_s)
        if key == "rest":
            return f"{int(elapsed // 60)}:{int(elapsed % 60):02d}", "", ""
        prescribed = s.prescribed_s
        digits = 0 if (prescribed or 0) >= 10 or elapsed >= 10 else 1
        # Cut, not rounded: a clock never shows a tenth not yet reached.
        text = f"{math.floor(elapsed * 10 ** digits + 1e-6) / 10 ** digits:.{digits}f}"
        return (text, f"/ {prescribed:g} s", "") if prescribed else (text, "s", "")

    def render(self) -> RenderableType:
        """The view as a rich renderable, laid out for the terminal's size when drawn.

        The full panel (:meth:`full`; its count and phase in larger block letters on a large
        terminal), the compact one on a short terminal (:meth:`compact`: 40 x 10, a phone's
        SSH window), or :data:`TOO_SMALL` when even that does not fit.
        """
        s = self.state
        if (s.summary and s.summary_set < s.set_no
                and (self.clock() - s.summary_at) * self.data_speed >= LATE_SUMMARY_S):
            s.summary = s.coaching = s.earlier = ""  # the next set is under way: up long enough
        return _Screen(self)

    def layout(self, console: Console, options: ConsoleOptions) -> RenderableType:
        """What fits ``options``' width and the terminal's height (see :meth:`render`)."""
        width = options.max_width
        # Drawn into a file or a test's buffer, not a screen: no height to keep to.
        height = (options.height or options.max_height) if console.is_terminal else 10_000
        if width < MIN_COMPACT_SIZE[0] or height < MIN_COMPACT_SIZE[1]:
            return Text(TOO_SMALL, style="bold", overflow="fold")
        unbounded = options.update(height=None)

        def fits(panel: RenderableType) -> bool:
            return len(console.render_lines(panel, unbounded, pad=False)) <= height

        # A live cue (SLOWER, a plank's hips) in block letters where they fit, else in words:
        # the count keeps its size for it, and the cue comes before the last rep's table.
        cue_sizes = (True, False) if self._cue_word() else (False,)
        if width >= BIG_SIZE[0] and height >= BIG_SIZE[1]:
            for big_cue in cue_sizes:
                big = self.full(width, scale=2, big_cue=big_cue)
                if fits(big):
                    return big
        if height >= MIN_PANEL_HEIGHT:
            for big_cue in cue_sizes:
                for trim in (0, 1, 2):  # the least needed parts shortened, then left out
                    panel = self.full(width, trim=trim, big_cue=big_cue)
                    if fits(panel):
                        return panel
        return self.compact(console, options, width, height)

    def title(self, width: int) -> str:
        """The panel's title, as long as fits ``width``: never cut inside the tempo.

        "imu live: Reverse crunch, tempo 2-1-2", else "Reverse crunch, tempo 2-1-2", else
        "Reverse crunch 2-1-2", else "tempo 2-1-2", else "" (a cut title read "tempo 2-1",
        a valid but different tempo).
        """
        name = self.profile.title
        if hip_drive(self.profile):  # a hip drive has no tempo to keep
            forms = [f"imu live: {name}", name]
        else:
            tempo = f"tempo {self.tempo}"
            forms = [f"imu live: {name}, {tempo}", f"{name}, {tempo}", f"{name} {self.tempo}",
                     tempo, str(self.tempo)]
        room = width - 6  # the corners, the rule each side and a space each side
        return next((f for f in forms if cell_len(f) <= room), "")

    def full(self, width: int, scale: int = 1, trim: int = 0,
             big_cue: bool = False) -> RenderableType:
        """The full panel, ``width`` cells wide; ``scale``: of the head's block letters.

        ``trim``: 1 tells the last rep in a line (not a table) and the set summary without
        its box; 2 leaves out the set's counts (its coaching line stays) and the status line
        too: what a terminal of 24 rows holds with the count in block digits. ``big_cue``:
        a live cue up now (:meth:`_cue_word`) also in block letters (5 rows) above its line,
        where they fit the width.
        """
        s = self.state
        hold = self.profile.isometric
        parts: list[Any] = [self._head(scale, width - 4)]
        if s.down_since is None:
            if s.back_at is not None and (self.clock() - s.back_at) * self.data_speed \
                    < BACK_NOTE_S:
                parts.append(Text(lost_words(s.lost_s, hold, s.across,
                                             drive=hip_drive(self.profile) and not hold),
                                  style="bold yellow"))
            fix = self._correction()
            word = self._cue_word() if fix is not None and big_cue else None
            if word:
                rows = big_text(word)
                if max(cell_len(r) for r in rows) <= width - 4:
                    parts += [Text(r, style="bold red", no_wrap=True) for r in rows]
            if fix is not None:
                parts.append(Prose(fix))
        if s.last is not None:
            parts.append(self._last_rep() if not trim else Prose(self._last_verdict()))
            if s.last.missed_before:
                # A long pause before it broke the set's rhythm: a rep may be missing there,
                # as its plain line, the page's badge and the end table's "*" say (a line of
                # its own: the last rep's narrow table folded it into three).
                parts.append(Text(f"last rep: {MISSED_BEFORE_NOTE}", style="yellow"))
        if s.summary and not trim:
            parts.append(Panel(Group(*self._summary_lines()), title="set summary",
                               border_style="white"))
        elif s.summary:  # the coaching line and the counts (trim 2: the coaching line)
            lines = self._summary_lines()[1:] if s.earlier else self._summary_lines()
            parts += lines if trim == 1 else lines[:1]
        if trim < 2:
            parts += [Text(""), Prose(self._status())]
        return Wrapped(Panel(Group(*parts), title=self.title(width) or None,
                             border_style="blue"))

    def _summary_lines(self) -> list[Prose]:
        """The set summary's lines, word-wrapped with each number kept with its unit."""
        s = self.state
        lines = [Prose(Text(s.earlier, style="dim"))] if s.earlier else []
        if s.coaching:
            lines += [Prose(Text(s.coaching[:1].upper() + s.coaching[1:], style="bold")),
                      Prose(Text(s.summary, style="dim"))]
        else:
            lines.append(Prose(Text(s.summary)))
        return lines

    def compact(self, console: Console, options: ConsoleOptions, width: int,
                height: int) -> RenderableType:
        """A few plain lines for a short terminal: the count, the phase, the correction.

        At 40 x 10 the full panel's block letters wrapped into unreadable rows and only its
        top fitted ("..." under it). Here: the count, the phase and its clock, the hint, the
        correction (or SLOWER), the last rep's verdict, the set summary and the status, the
        least needed left out first until they fit; :data:`TOO_SMALL` if the count and the
        phase do not.
        """
        s = self.state
        hold = self.profile.isometric
        key = self.shown_key()
        strict = hip_drive(self.profile) and not hold
        if strict:
            count_line = f"{count(s.drives, 'hip drive')}"
            if s.drives_unsure:
                count_line += f" ({s.drives_unsure} uncertain left out)"
        elif self._count_pending():
            count_line = f"- {learning_count(self.profile)}"
        else:
            count_line = (f"{s.reps} {'holds' if hold else 'reps'} · set {max(s.set_no, 1)}"
                          + (f" · {s.total} in all" if s.total > s.reps else ""))
        big, small, style = self.phase_clock()
        name = "SENSOR LOST" if key == "lost" else PHASE_NAMES.get(key, key).upper()
        phase = Text(name, style="bold yellow" if key == "lost" else "bold")
        if big:
            phase.append(f"  {big}", style=style or "bold")
            if small:
                phase.append(f" {small}")
        lines: list[tuple[int, RenderableType]] = [  # (priority: lower is kept longer, line)
            (0, Text(count_line, style="bold cyan")),
            (0, Prose(phase)),
        ]
        hint = self._hint(key)
        if hint:
            lines.append((5, Prose(Text(hint, style="bold black on yellow" if key == "lost"
                                        else "dim"))))
        if s.down_since is None:
            fix = self._correction()
            if fix is not None:
                lines.append((1, Prose(fix)))
        if s.last is not None:
            lines.append((2, Prose(self._last_verdict())))
        if s.summary:
            summary = self._summary_lines()
            earlier = summary.pop(0) if s.earlier else None
            if earlier is not None:  # sets told just before: the first to go
                lines.append((6, earlier))
            # The set's coaching line is kept as long as the correction; its counts less.
            lines += [(1 if k == 0 and len(summary) > 1 else 3, line)
                      for k, line in enumerate(summary)]
        lines.append((4, Prose(self._status())))
        wide = options.update(height=None)
        for cut in range(6, -1, -1):
            panel = Panel(Group(*[line for p, line in lines if p <= cut]),
                          title=self.title(width) or None, border_style="blue")
            if len(console.render_lines(panel, wide, pad=False)) <= height:
                return panel
        return Text(TOO_SMALL, style="bold", overflow="fold")

    def _count_pending(self) -> bool:
        """The count reads "-": the movement is being learned and nothing is counted yet.

        Also while the sensor is lost before it is learned (:meth:`shown_key` is then
        ``lost``, the phase underneath still ``learning``): a "0" there read as no reps done.
        Not for a plank (its holds are counted from the first).
        """
        s = self.state
        if self.profile.isometric or s.total:
            return False
        return self.shown_key() == "learning" or (s.down_since is not None
                                                   and s.phase == "learning")

    def _hint(self, key: str) -> str:
        """The coaching words under the phase name (as :meth:`_head` chooses them)."""
        hold = self.profile.isometric
        if key == "learning":
            return learning_hint(self.profile)
        if key == "rest" and self._pause_is_rest():
            return rest_hint(self.profile, hold)
        return phase_hints(self.profile, hold).get(key, "")

    def _last_verdict(self) -> Text:
        """The last rep in one line: "last rep: up 2.0/2, hold 1.0/1, down 0.9/2 ▼"."""
        last = self.state.last
        assert last is not None
        if self.profile.isometric:
            word = "last hold"
        elif hip_drive(self.profile):
            word = f"last: {hip_drive_at(last)}"
        else:
            word = "last rep"
        line = Text(f"{word}: ")
        if last.in_gap:
            line.append(NOT_JUDGED_REP)
            return line
        if hip_drive(self.profile) and not self.profile.isometric:
            unsure = last.count_confidence < UNCERTAIN_CONFIDENCE
            moved = f"pelvis moved {last.rom_deg:.0f}°" if math.isfinite(last.rom_deg) else ""
            line.append(moved)
            line.append("; uncertain, not counted" if unsure else "; hip drive" if last.swing
                        else "", style="" if unsure else "red")
            return line
        if self.profile.isometric:
            held = duration_text(last.top_hold_s, "top_hold_s", self.tempo.top_hold_s,
                                 self.tol, self.profile, hold=True)
            ok = bool(last.tempo_ok)
            line.append(f"held {held}/{self.tempo.top_hold_s:g} s{'' if ok else ' ▼'}",
                        style="green" if ok else "red")
        else:
            for k, (column, label, measured, prescribed) in enumerate((
                ("concentric_s", "up", last.concentric_s, self.tempo.concentric_s),
                ("top_hold_s", "hold", last.top_hold_s, self.tempo.top_hold_s),
                ("eccentric_s", "down", last.eccentric_s, self.tempo.eccentric_s),
            )):
                limits = phase_limits(column, prescribed, False, self.profile.thresholds,
                                      self.tol)
                text, colour = _fmt_phase_cmp(measured, prescribed, self.tol, limits)
                line.append(("" if k == 0 else ", ") + f"{label} ")
                line.append(text, style=colour)
        words = uncertain_words(last, "hold" if self.profile.isometric else "rep")
        if words:
            line.append(f" ({words})", style="bold")
        return line

    def _head(self, scale: int = 1, width: int | None = None) -> Table:
        """The count in block digits beside the phase and its clock (block letters too).

        ``scale``: of the block letters (:func:`big_text`). ``width``: the cells the head
        has; the phase's name and its clock are in block letters only where their rows fit
        beside the count (else in plain bold words): on a narrow terminal the rows wrapped
        inside their cell and interleaved into unreadable glyphs.
        """
        s = self.state
        hold = self.profile.isometric
        key = self.shown_key()
        lost = key == "lost"
        name = "LOST" if lost else PHASE_NAMES.get(key, key).upper()
        hint = self._hint(key)  # a rest's: the set is not over, it may go on
        big, small, style = self.phase_clock()
        if self._count_pending():
            # Nothing counted yet: the reps done now are counted once it is learned (a
            # standing strict lift's hip drives, once the hip's axis is); a sensor lost while
            # it is learned changes none of that (LOST beside "-", not a 0).
            digits, labels = big_text("-", scale), [learning_count(self.profile)]
        elif hip_drive(self.profile) and not hold:
            # A standing strict lift: the session's hip drives, as the page counts them; no
            # set (a pause between hip drives is no set the person did).
            digits = big_number(s.drives, scale)
            labels = ["hip drive" if s.drives == 1 else "hip drives"]
            labels += [f"({x})" for x in (
                f"{s.drives_unsure} uncertain left out" if s.drives_unsure else "",
                f"{s.drives_gap} not judged (over a data gap)" if s.drives_gap else "") if x]
        else:
            digits = big_number(s.reps, scale)
            labels = [f"{'holds' if hold else 'reps'} · set {max(s.set_no, 1)}"]
        if s.total > s.reps and not (hip_drive(self.profile) and not hold):
            labels.append(f"{s.total} in all")
        digits_w = max(cell_len(row) for row in digits)
        left: list[Text] = [Text(row, no_wrap=True, overflow="crop") for row in digits]
        left += [Text(label, overflow="fold") for label in labels]
        # The labels on a line each where there is room (a third of the width).
        cap = max(digits_w, (width or 120) // 3)
        left_w = max(digits_w, min(max(cell_len(x) for x in labels), cap))
        room = (width - left_w - 3) if width is not None else 10_000
        side_by_side = room >= MIN_RIGHT_WIDTH
        if not side_by_side and width is not None:  # the phase goes under the count
            room = width
        word_style = "bold yellow" if lost else "bold"
        right: list[Text] = []
        word_rows = big_text(name, scale)
        if len(name) <= 5 and max(cell_len(r) for r in word_rows) <= room:
            right += [Text(row, style=word_style, no_wrap=True) for row in word_rows]
        else:
            right.append(Text(name, style=word_style))
        if big:
            rows = big_text(big, scale)
            if max(cell_len(r) for r in rows) <= room:
                right += [Text(row, style=style or "bold", no_wrap=True) for row in rows[:-1]]
                last_row = Text(rows[-1], style=style or "bold", no_wrap=True)
                if cell_len(rows[-1]) + 2 + cell_len(small) <= room:
                    right.append(last_row + Text(f"  {small}"))
                else:  # the prescription under the clock, not wrapped into its glyphs
                    right += [last_row, Text(small)]
            else:
                right.append(Text(f"{big} {small}".strip(), style=style or "bold"))
        elif small:
            right.append(Text(small))
        if lost:  # as loud as the page's alarm
            right.append(Text(f" {SENSOR_LOST_WORD.upper()}: {hint} ",
                              style="bold black on yellow"))
        elif hint:
            right.append(Text(hint, style="dim"))
        head = Table.grid(padding=(0, 3))
        if not side_by_side:  # a narrow terminal: the count, then the phase under it
            head.add_column(no_wrap=False)
            for row in left:
                row.stylize("bold cyan")
                head.add_row(row)
            for row in right:
                head.add_row(row)
            return head
        head.add_column(style="bold cyan", min_width=left_w, max_width=left_w)
        head.add_column(no_wrap=False)
        for i in range(max(len(left), len(right))):
            head.add_row(left[i] if i < len(left) else "",
                         right[i] if i < len(right) else Text(""))
        return head

    def _cue_word(self) -> str | None:
        """The live cue up now as one word for block letters, or None.

        SLOWER while a lowering runs fast, SAGGING or PIKING while a plank's hips drift; a
        last rep's correction stays in words (it is about a rep already done).
        """
        s = self.state
        if s.form is not None and s.hold_from_s is not None:
            return HOLD_FORM_WORDS[s.form][0].split()[-1].upper()
        if s.cue and not (s.cue_over and self.now_s() - s.cue_at_s >= CUE_MIN_SHOW_S):
            return "SLOWER"
        return None

    def _correction(self) -> Text | None:
        """The one correction: SLOWER while it is up, else what the last rep needs.

        A plank's hold under way whose hips sag or pike: that; the last hold's correction
        only between holds.
        """
        s = self.state
        if s.form is not None and s.hold_from_s is not None:
            what, do = HOLD_FORM_WORDS[s.form]
            return Text.assemble((f" {what.upper()} ", "bold white on red"), "  ",
                                 (do, "bold red"))
        if s.cue and s.cue_over and self.now_s() - s.cue_at_s >= CUE_MIN_SHOW_S:
            s.cue = ""  # its lowering ended: the last rep's correction says how it went
        if s.cue:
            words = s.cue_past if s.cue_over else s.cue
            return Text.assemble((" SLOWER ", "bold white on red"), "  ", (words, "bold red"))
        if s.last is None or s.summary or s.phase in ("rest", "ended"):
            return None
        if self.profile.isometric and s.hold_from_s is not None:
            # The next hold is under way: the last hold's "lift the hips", in red where the
            # live sag cue comes, read as the hips sagging now.
            return None
        fix = live_correction(s.last, self.tempo, self.tol, self.profile.isometric,
                              self.profile)
        if fix is None:
            return None
        cue, why = fix.cue, fix.why
        word = ("last hold" if self.profile.isometric else "last hip drive"
                if hip_drive(self.profile) else "last rep")
        if fix.uncertain:
            # It may be no rep: the set summary leaves it out, so no confident red correction;
            # what was seen, muted, under the words that it may not be one.
            return Text.assemble((cue[:1].upper() + cue[1:], "bold"),
                                 (f"  ({word}: {why})", "dim"))
        return Text.assemble((cue[:1].upper() + cue[1:], "bold red"), (f"  ({word}: {why})",
                                                                       "red"))

    def _last_rep(self) -> Table:
        s = self.state
        last = s.last
        assert last is not None
        # A rep over a data gap lasted an unknown time: not judged (as the report), so
        # neither green nor red, no ▼/▲, and the table says why.
        gap = bool(last.in_gap)
        if self.profile.isometric:
            held_s = (f"{last.top_hold_s:.1f}" if gap else
                      duration_text(last.top_hold_s, "top_hold_s", self.tempo.top_hold_s,
                                    self.tol, self.profile, hold=True))
            held = f"{held_s}/{self.tempo.top_hold_s:g}"
            text, colour = ((held, "") if gap else (held, "green") if last.tempo_ok
                            else (f"{held} ▼", "red"))
            t = Table(box=box.SIMPLE_HEAD, show_edge=False,
                      caption=NOT_JUDGED_REP if gap else _unsure_caption(last, "hold"))
            t.add_column("last hold: held/target s", justify="right")
            t.add_row(Text(text, style=colour))
            return t
        tempo = self.tempo
        if hip_drive(self.profile):
            # A standing strict lift: the pelvis should stay still, so a rep is a hip drive
            # (a fault), told by how far the pelvis moved, with no tempo to keep.
            # Placed in time, as its line: "last: hip drive at 95 s"; an uncertain one is not
            # counted (as the pause line and the page say).
            t = Table(box=box.SIMPLE_HEAD, show_edge=False, title=f"last: {hip_drive_at(last)}",
                      caption=NOT_JUDGED_REP if gap else None)
            t.add_column("hip drive", justify="right")
            t.add_column("pelvis moved", justify="right")
            unsure = last.count_confidence < UNCERTAIN_CONFIDENCE
            drive = ("-" if gap else "uncertain, not counted" if unsure
                     else "yes" if last.swing else "no")
            t.add_row(Text(drive, style="" if gap or unsure else "red" if last.swing
                           else "green"),
                      Text(f"{last.rom_deg:.0f}°" if math.isfinite(last.rom_deg) else "-"))
            return t
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, title="last rep (measured/target s)",
                  caption=NOT_JUDGED_REP if gap else _unsure_caption(last, "rep"))
        for name in ("up", "hold", "down", "range"):
            t.add_column(name, justify="right")
        # A phase over the sensor's loss lasted an unknown time: not its length counting the
        # seconds without data ("hold 8.1/1" after an 8 s loss).
        over_gap = phases_over_gap(last, (s.lost_from_s, math.inf if s.down_since is not None
                                          else s.lost_s))
        cells = []
        for column, measured, prescribed in (
            ("concentric_s", last.concentric_s, tempo.concentric_s),
            ("top_hold_s", last.top_hold_s, tempo.top_hold_s),
            ("eccentric_s", last.eccentric_s, tempo.eccentric_s),
        ):
            if column in over_gap:
                text, colour = OVER_GAP, ""
            elif gap:
                text, colour = f"{measured:.1f}/{prescribed:g}", ""
            else:
                limits = phase_limits(column, prescribed, False, self.profile.thresholds,
                                      self.tol)
                text, colour = _fmt_phase_cmp(measured, prescribed, self.tol, limits)
            cells.append(Text(text, style=colour))
        cells.append(Text(f"{last.rom_deg:.0f}°" if math.isfinite(last.rom_deg) else "-"))
        t.add_row(*cells)
        return t

    def _status(self) -> Text:
        """One small line: the sensor, the link, the data (no MTU, no clock drift)."""
        s = self.state
        if s.down_since is not None:
            # Nothing is lost yet as far as the recorder knows: "0 samples lost" would mislead.
            line = Text.assemble((f"{s.device} · ", "dim"),
                                 (f"sensor lost for {self._down_s():.0f} s", "bold yellow"),
                                 (f" · {s.seconds:.0f} s recorded", "dim"))
        else:
            link = Text("streaming") if s.link == "streaming" else Text(s.link, style="yellow")
            if s.lost:
                lost = f"{count(s.lost, 'sample')} lost in {count(s.gaps, 'gap')}"
            elif s.back_at is not None:
                # The sensor came back, and the recorder has not placed the gap yet: the loss
                # is known only by the host clock's estimate, never "no samples lost".
                lost = f"about {s.lost_s:.0f} s lost" if s.lost_s >= 0.5 else "under 1 s lost"
            else:
                lost = "no samples lost"
            line = Text.assemble((f"{s.device} · ", "dim"), link,
                                 (f" · {s.seconds:.0f} s · {lost}", "dim"))
        if s.journal_error:
            line.append(f"  journal NOT WRITTEN: {s.journal_error} (kept in memory)",
                        style="bold red")
        return line

    def _down_s(self) -> float:
        s = self.state
        return 0.0 if s.down_since is None else (self.clock() - s.down_since) * self.data_speed


def _unsure_caption(rep: Rep, unit: str) -> Text | None:
    """Under the last rep's table: that the analyzer is not sure it was one (None if sure).

    The set summary that follows leaves such a rep out: the panel says so while it is the
    last rep, as the plain line and the page's badge do.
    """
    flagged = any(f in rep.faults for f in FAULTS) or (unit == "rep" and bool(rep.swing))
    words = uncertain_words(rep, unit, flagged)
    return Text(words, style="bold") if words else None


class Prose:
    """Text word-wrapped at plain spaces only, each number kept with its unit.

    Rich wraps at any blank, so the set summary in the panel put "time under tension 23" on
    one line and "s" alone on the next; here a no-break space binds each number to its unit
    (:func:`imu.report.terminal.keep_units`), and lines break between words, never inside one
    (a word longer than the line is folded).
    """

    def __init__(self, text: Text) -> None:
        self.text = Text(keep_units(text.plain), style=text.style, end="")
        for span in text.spans:
            self.text.stylize(span.style, span.start, span.end)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """One line per wrapped line."""
        text = self.text
        for start, end in wrap_spans(text.plain, options.max_width):
            cut = text[start:end]
            # Drawn with plain spaces (the no-break ones only steered the wrapping).
            line = Text(cut.plain.replace(NBSP, " "), style=cut.style)
            line.spans = list(cut.spans)
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The longest word (units bound to their numbers) to the whole text."""
        plain = self.text.plain
        longest = max((cell_len(w) for w in plain.split(" ")), default=0)
        return Measurement(min(longest, options.max_width),
                           min(cell_len(plain), options.max_width))


class _Screen:
    """The panel laid out when drawn, for the console's size (:meth:`RichView.layout`)."""

    def __init__(self, view: RichView) -> None:
        self.view = view

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The layout that fits."""
        yield self.view.layout(console, options)


MIN_RIGHT_WIDTH = 24
"""Cells the phase needs beside the count; fewer, and it goes under the count."""

MIN_PANEL_HEIGHT = 20
"""Terminal rows under which the panel takes its compact layout (:meth:`RichView.compact`):
the full panel's head alone is 12 rows (5-row digits, the phase and its clock)."""

MIN_COMPACT_SIZE = (24, 5)
"""Columns and rows under which not even the compact layout fits: :data:`TOO_SMALL`."""

BIG_SIZE = (110, 40)
"""Columns and rows from which the count and the phase are in block letters twice as large
(if the panel then fits the terminal's height): read from 2 m on a laptop's screen."""

TOO_SMALL = "terminal too small for the panel: widen it or use --plain"
"""What the panel says when no layout fits the terminal."""


SENSOR_LOST_WORD = "sensor lost"
"""The alarm's words while the sensor's link is down."""


def _device_words(info: SourceInfo) -> str:
    """The sensor as the status line names it: its name and battery (no address, no MTU)."""
    return info.name + (f", battery {info.battery_percent}%"
                        if info.battery_percent is not None else "")
