"""Terminal views of a live session: a full-screen rich view, and plain lines for pipes.

A view is a :data:`~imu.live.events.Listener`: the session calls it with each event, in order,
from its consumer (so it must return quickly). ``running()`` is a context manager that shows
the view while the session runs. :func:`rep_line` and :func:`set_line` are the plain-text
summaries of a rep and a set (durations in s, ROM in degrees).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from imu.core.metrics import HOLD_SLACK_FRACTION, Rep, TempoTolerance
from imu.exercises import FAULTS, ExerciseProfile, fault_words
from imu.live.events import (
    Connected,
    Disconnected,
    Finished,
    PaceCue,
    PhaseChanged,
    PhaseStarted,
    Progress,
    Reconnecting,
    RepDone,
    SetEnded,
    StreamEvent,
)
from imu.tempo import Tempo
from imu.text import count


def _fmt_phase_cmp(measured: float, prescribed: float, tol: TempoTolerance) -> tuple[str, str]:
    """``measured/prescribed``, marked ▼ short or ▲ long when off tempo (not by colour alone)."""
    if tol.ok(measured, prescribed):
        return f"{measured:.1f}/{prescribed:g}", "green"
    mark = "▼" if measured < prescribed else "▲"
    return f"{measured:.1f}/{prescribed:g} {mark}", "red"


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


def big_number(value: int) -> list[str]:
    """``value`` in 5 lines of block characters (each font pixel two cells wide)."""
    rows = []
    for r in range(5):
        cells = ["".join("██" if px == "#" else "  " for px in _DIGITS[d][r]) for d in str(value)]
        rows.append("  ".join(cells))
    return rows


def rep_line(rep: Rep, tempo: Tempo, tol: TempoTolerance, hold: bool = False) -> str:
    """One line about a rep: phases against the tempo, swing and faults (plain text).

    ``hold``: the rep is a static hold (plank), told by how long it was held, judged as the
    analyzer judges it (too short is off; longer is fine).
    """
    faults = [f for f in FAULTS if f in rep.faults]
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
            f"hold {rep.rep} (set {rep.set}): held {rep.top_hold_s:.1f} s",
            f"(target {tempo.top_hold_s:g} s)",
            verdict,
        ]
        if faults:
            parts.append("FAULT: " + fault_words(faults))
        if rep.in_gap:
            parts.append("(in a gap: samples were lost during it)")
        return " ".join(parts)
    parts = [
        f"rep {rep.rep} (set {rep.set}{', ' + rep.side if rep.side else ''}):",
        f"up {rep.concentric_s:.1f} s, hold {rep.top_hold_s:.1f} s, down {rep.eccentric_s:.1f} s",
        f"(target {tempo})",
        ("tempo not judged" if rep.in_gap else "on tempo" if rep.tempo_ok else "OFF TEMPO"),
        f"ROM {rep.rom_deg:.0f} deg",
    ]
    if rep.swing:
        parts.append("SWING")
    if faults:
        parts.append("FAULT: " + fault_words(faults))
    if rep.in_gap:
        parts.append("(in a gap: samples were lost during it)")
    return " ".join(parts)


def set_line(set_no: int, reps: tuple[Rep, ...], hold: bool = False) -> str:
    """Plain summary of a finished set (``hold``: of static holds, by the time held)."""
    on_tempo = sum(r.tempo_ok for r in reps)
    swings = sum(r.swing for r in reps)
    faults = sum(len(r.faults) for r in reps)
    tut = sum(r.tut_s for r in reps)
    if hold:
        held = sum(r.top_hold_s for r in reps)
        return (f"set {set_no} done: {count(len(reps), 'hold')}, {on_tempo} long enough, "
                f"{count(faults, 'fault')}, held {held:.0f} s in all")
    return (
        f"set {set_no} done: {count(len(reps), 'rep')}, {on_tempo} on tempo, "
        f"{count(swings, 'swing')}, {count(faults, 'fault')}, time under tension {tut:.0f} s"
    )


class PlainView:
    """Line output for pipes and CI: one line per event that matters."""

    def __init__(self, out: Console, tempo: Tempo, tol: TempoTolerance, bell: bool,
                 hold: bool = False) -> None:
        self.out, self.tempo, self.tol, self.bell = out, tempo, tol, bell
        self.hold = hold  # static holds (plank): told by the time held
        self._journal_error: str | None = None
        self._rate: float | None = None  # samples per data second, from progress reports

    def __call__(self, event: object) -> None:
        """Print the event."""
        line: str | None = None
        if isinstance(event, Connected):
            verb = "reconnected to" if event.reconnect else "connected to"
            line = f"{verb} {event.info.summary}; streaming"
        elif isinstance(event, Disconnected):
            at = f" at {event.at_sample / self._rate:.1f} s" if self._rate else ""
            line = f"link lost{at}; reconnecting (the gap is marked in the recording)"
        elif isinstance(event, Reconnecting) and event.attempt > 1:
            line = f"reconnect attempt {event.attempt} in {event.delay_s:.1f} s ({event.error})"
        elif isinstance(event, RepDone):
            line = rep_line(event.rep, self.tempo, self.tol, self.hold)
            if self.bell:
                line += "\a"
        elif isinstance(event, PaceCue):
            line = (  # the rep in progress has no number in its set yet: none is shown
                f"{event.message.upper()}: lowering in {event.projected_s:.1f} s, "
                f"aim for {event.prescribed_s:g} s"
            )
            if self.bell:
                line += "\a"
        elif isinstance(event, SetEnded):
            line = set_line(event.set_no, event.reps, self.hold)
        elif isinstance(event, Progress):
            if event.seconds > 0 and event.samples > 0:  # a link loss is told in seconds
                self._rate = event.samples / event.seconds
            if event.journal_error != self._journal_error:
                self._journal_error = event.journal_error
                line = (
                    f"warning: journal not written ({event.journal_error}); data kept in memory"
                    if event.journal_error
                    else "journal writing again"
                )
        elif isinstance(event, StreamEvent):
            line = event.text
        elif isinstance(event, Finished):
            line = event.words
        if line is not None:
            self.out.print(line, markup=False)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Nothing to set up for plain output."""
        yield


@dataclass
class _State:
    device: str = "searching..."
    link: str = "connecting"
    phase: str = "-"
    reps: int = 0  # in the set shown
    total: int = 0  # in the session
    set_no: int = 0
    set_over: bool = False  # the set shown was announced done; the next movement starts another
    seconds: float = 0.0
    lost: int = 0
    drift: float | None = None
    journal_error: str | None = None
    last: Rep | None = None
    alert: str = ""
    summary: str = ""
    cued: bool = False  # phase cues arrive (the axis is locked): the coarse hint is not shown
    phase_at_s: float = 0.0
    prescribed_s: float | None = None
    ticks: int = 0
    hold_from_s: float | None = None  # a static hold under way: when it began, data s


PHASE_WORDS = {
    "concentric": "UP",
    "top_hold": "HOLD",
    "eccentric": "DOWN",
    "bottom_pause": "bottom",
}
"""How the terminal names each phase of :data:`imu.live.events.PHASES`."""


class RichView:
    """Full-screen live view: counter, phase, last rep's tempo in colour, alerts, set summary."""

    def __init__(self, out: Console, tempo: Tempo, tol: TempoTolerance, bell: bool,
                 profile: ExerciseProfile) -> None:
        self.out, self.tempo, self.tol, self.bell, self.profile = out, tempo, tol, bell, profile
        self.state = _State()
        self._live: Live | None = None

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Show the view while the session runs."""
        with Live(self.render(), console=self.out, refresh_per_second=8, transient=False) as live:
            self._live = live
            try:
                yield
            finally:
                self._live = None

    def __call__(self, event: object) -> None:
        """Update the view with an event."""
        s = self.state
        if isinstance(event, Connected):
            s.device = event.info.summary
            s.link = "streaming"
        elif isinstance(event, Disconnected):
            s.link = "[red]link lost, reconnecting[/red]"
        elif isinstance(event, Reconnecting):
            s.link = f"[yellow]reconnecting (attempt {event.attempt})[/yellow]"
        elif isinstance(event, RepDone):
            rep = event.rep
            s.total += 1
            s.reps = rep.rep  # its number in its set (the analyzer numbers them)
            s.set_no, s.last, s.summary, s.set_over = rep.set, rep, "", False
            s.hold_from_s = None
            alerts = []
            if rep.swing:
                alerts.append("SWING: control the movement, no momentum")
            faults = [f for f in FAULTS if f in rep.faults]
            if faults:
                alerts.append("FAULT: " + fault_words(faults))
            s.alert = " | ".join(alerts)
            if self.bell:
                self.out.bell()
        elif isinstance(event, PhaseStarted):
            s.cued = True
            s.phase = PHASE_WORDS.get(event.phase, event.phase)
            s.phase_at_s, s.prescribed_s, s.ticks = event.at_s, event.prescribed_s, 0
            if self.profile.isometric:  # a plank: the hold is told as it starts and ends
                s.hold_from_s = event.at_s if event.phase == "top_hold" else None
            if s.set_over and event.phase in ("concentric", "top_hold"):
                s.set_no, s.reps, s.set_over = s.set_no + 1, 0, False  # the next set began
            if event.phase == "eccentric" and s.alert.startswith("SLOWER"):
                s.alert = ""
        elif isinstance(event, PaceCue):
            s.alert = (
                f"SLOWER: lowering in {event.projected_s:.1f} s, aim for {event.prescribed_s:g} s"
            )
            if self.bell:
                self.out.bell()
        elif isinstance(event, PhaseChanged):
            if not s.cued or event.phase in ("rest", "learning"):
                s.phase = event.phase
        elif isinstance(event, SetEnded):
            s.summary = set_line(event.set_no, event.reps, self.profile.isometric)
            s.set_no, s.reps, s.set_over = event.set_no, len(event.reps), True
        elif isinstance(event, Progress):
            s.seconds, s.lost, s.drift = event.seconds, event.lost_samples, event.clock_drift_ppm
            s.journal_error = event.journal_error
            self._metronome(event.seconds)
        elif isinstance(event, StreamEvent):
            s.link = "streaming" if event.kind == "stream_restarted" else (
                f"[yellow]{event.text}[/yellow]")
        elif isinstance(event, Finished):
            s.link = event.words
        if self._live is not None:
            self._live.update(self.render())

    def _metronome(self, now_s: float) -> None:
        """With ``bell``: one bell per whole second of the prescribed phase in progress."""
        s = self.state
        if not self.bell or s.prescribed_s is None:
            return
        elapsed = now_s - s.phase_at_s
        if 1.0 <= elapsed <= s.prescribed_s + 0.25 and int(elapsed) > s.ticks:
            s.ticks = int(elapsed)
            self.out.bell()

    def render(self) -> Panel:
        """The view as a rich renderable."""
        s = self.state
        head = Table.grid(padding=(0, 2))
        head.add_column(style="dim")
        head.add_column(style="dim")
        head.add_row("sensor", s.device)
        head.add_row("link", Text.from_markup(s.link))
        drift = f", clock drift {s.drift:+.0f} ppm" if s.drift is not None else ""
        head.add_row("stream", f"{s.seconds:.0f} s, {s.lost} samples lost{drift}")
        if s.journal_error:
            head.add_row("journal", Text(f"NOT WRITTEN: {s.journal_error} (kept in memory)",
                                         style="bold red"))
        # The count in block digits and the phase in capitals lead; the link details follow.
        digits = big_number(s.reps)
        phase = s.phase.upper()
        if self.profile.isometric:  # the hold under way, timed; else resting (or learning)
            if s.hold_from_s is not None:
                held = max(0.0, s.seconds - s.hold_from_s)
                phase = f"HOLD {held:.0f} s / {self.tempo.top_hold_s:g}"
            elif s.phase not in ("learning", "-"):
                phase = "REST"
        noun = "holds" if self.profile.isometric else "reps"
        side: list[Text] = [Text(""), Text(phase, style="bold yellow"),
                            Text(f"{noun} · set {max(s.set_no, 1)}"),
                            Text(f"{s.total} in all" if s.total > s.reps else ""), Text("")]
        counter = Table.grid(padding=(0, 3))
        counter.add_column(style="bold cyan", no_wrap=True)
        counter.add_column()
        for row, note in zip(digits, side, strict=True):
            counter.add_row(row, note)
        parts: list[Any] = [counter]
        if s.last is not None and self.profile.isometric:
            text, colour = (f"{s.last.top_hold_s:.1f}/{self.tempo.top_hold_s:g}", "green") \
                if s.last.tempo_ok else (f"{s.last.top_hold_s:.1f}/{self.tempo.top_hold_s:g} ▼",
                                         "red")
            t = Table(box=box.SIMPLE_HEAD, show_edge=False)
            t.add_column("last hold: held/target s", justify="right")
            t.add_row(Text(text, style=colour))
            parts.append(t)
        elif s.last is not None:
            tempo = self.tempo
            t = Table(box=box.SIMPLE_HEAD, show_edge=False, title="last rep (measured/target s)")
            for name in ("up", "hold", "down", "ROM deg"):
                t.add_column(name, justify="right")
            cells = []
            for measured, prescribed in (
                (s.last.concentric_s, tempo.concentric_s),
                (s.last.top_hold_s, tempo.top_hold_s),
                (s.last.eccentric_s, tempo.eccentric_s),
            ):
                text, colour = _fmt_phase_cmp(measured, prescribed, self.tol)
                cells.append(Text(text, style=colour))
            cells.append(Text(f"{s.last.rom_deg:.0f}"))
            t.add_row(*cells)
            parts.append(t)
        if s.alert:
            parts.append(Text(s.alert, style="bold red"))
        if s.summary:
            parts.append(Panel(s.summary, title="set summary", border_style="green"))
        parts += [Text(""), head]
        title = f"imu live: {self.profile.title}, tempo {self.tempo}"
        return Panel(Group(*parts), title=title, border_style="blue")
