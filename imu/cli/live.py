"""``imu live``: stream a set from a sensor (or the built-in simulator), count and coach live.

The shared machinery of ``imu live`` and ``imu replay``: views (rich on a terminal, plain
lines when piped), leftover-journal recovery, and saving the recording and reports at exit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from firmware_protocol.virtual_sensor import Faults
from imu.ble.client import KIND_POLAR, BleBackend, StreamConfig, find_sensor_kind
from imu.ble.live import (
    DEVICE_STOPPED,
    Connected,
    Disconnected,
    Finished,
    LiveResult,
    LiveSession,
    PhaseChanged,
    Progress,
    Reconnecting,
    ReconnectPolicy,
    RepDone,
    SetEnded,
    StreamEvent,
)
from imu.cli._args import TEMPO_HELP, count, tempo_text, uncertain_note
from imu.cli._csvargs import positive_number
from imu.cli._output import pipe_safe_console, stdout_broken
from imu.core.metrics import Rep, TempoTolerance
from imu.errors import ImuError
from imu.exercises import FAULTS, PROFILES, ExerciseProfile, get_profile
from imu.io.journal import SUFFIX
from imu.live_finish import (
    live_report,
    recover_leftover_journals,
    reps_view,
    save_session,
    sets_view,
)
from imu.report.session import SessionReport
from imu.tempo import Tempo, parse_tempo

logger = logging.getLogger(__name__)

_EXERCISES = ", ".join(PROFILES)

EPILOG = f"""\
examples:
  imu live --exercise reverse-crunch --tempo 3-1-3 --out sessions/      first sensor found
  imu live -e dead-bug --device C0:FF:EE:00:00:01 --out sessions/       a given sensor
  imu live -e leg-raise --transport usb:0 --out sessions/               USB dongle via Bumble
  imu live -e reverse-crunch --sim reverse-crunch --sim-reps 8 --speed 10 --out out/
  imu live -e reverse-crunch --sim reverse-crunch --sim-device polar --speed 10 --out out/

  With --device the adapter follows what the sensor advertises or offers: the hip IMU
  service, or Polar's measurement-data (PMD) service (e.g. a Polar Verity Sense; ACC and
  GYRO at --rate with --acc-range and --gyr-range, which must be ones it offers).

  --sim runs the whole stack without hardware: a virtual sensor on Bumble, the bleak client
  through the Bumble backend, the analyzer. --sim-drop, --sim-disconnect-at and --sim-mtu
  inject faults.

output (in --out DIR): NAME.parquet (the recording: gaps marked, clock offset and drift in
its metadata), reps/sets/session tables and report.html. While recording, NAME{SUFFIX} is
the crash-safe journal; a journal left by a crash is recovered at the next start (or with
'imu recover').

exercises: {_EXERCISES}
"""


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be a fraction in [0, 1), got {text!r}")
    return value


def add_stream_options(p: argparse.ArgumentParser, name_prefix: str = "live",
                       tempo_default: str = "the exercise's") -> None:
    """Options shared by ``live`` and ``replay`` (defaults named as each command applies them)."""
    p.add_argument("--out", "-o", type=Path, required=True, metavar="DIR", help="output dir")
    p.add_argument("--tempo", metavar="U-H-D", default=None, type=tempo_text,
                   help=f"{TEMPO_HELP} [{tempo_default}]")
    p.add_argument("--speed", type=positive_number, default=1.0, metavar="X",
                   help="simulated/replayed time runs X times faster than real time [1]")
    p.add_argument("--bell", action="store_true", help="ring the terminal bell on every rep")
    p.add_argument("--plain", action="store_true",
                   help="plain line output even on a terminal (automatic when piped)")
    p.add_argument("--name", default=None, metavar="NAME",
                   help=f"recording name [{name_prefix}-YYYYmmdd-HHMMSS]")


def register(subparsers: Any) -> None:
    """Add the ``live`` command."""
    p = subparsers.add_parser(
        "live",
        help="stream a set from a sensor (or the simulator): live rep count, tempo, faults",
        description=textwrap.fill(
            "Connect to a hip IMU over BLE (bleak; or a USB dongle through Bumble; or the"
            " built-in virtual sensor with --sim), stream, and show the rep count, the current"
            " phase, each rep's tempo against the target, swings and faults, and a summary"
            " after each set. At the end (Ctrl-C, end of the simulation, or the sensor gone"
            " for good) the recording and the reports are written to --out."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--exercise", "-e", metavar="E",
                   help="exercise profile (required with a real sensor; with --sim it defaults "
                        "to the simulated exercise)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--device", metavar="ADDRESS", help="sensor address (default: first found)")
    src.add_argument("--sim", metavar="EXERCISE",
                     help="simulate this exercise on a virtual sensor (no hardware)")
    p.add_argument("--transport", metavar="NAME",
                   help="use Bumble on this HCI transport (e.g. usb:0) instead of the OS stack")
    add_stream_options(p)
    p.add_argument("--rate", type=int, default=104, metavar="HZ", help="output data rate [104]")
    p.add_argument("--acc-range", type=int, default=8, metavar="G", help="+-g [8]")
    p.add_argument("--gyr-range", type=int, default=500, metavar="DPS", help="+-deg/s [500]")
    p.add_argument("--give-up", type=positive_number, default=60.0, metavar="S",
                   help="stop reconnecting after S seconds without the sensor [60]")
    sim = p.add_argument_group("simulation (--sim)")
    sim.add_argument("--sim-reps", type=int, default=8, metavar="N", help="reps per set [8]")
    sim.add_argument("--sim-sets", type=int, default=1, metavar="N", help="sets [1]")
    sim.add_argument("--sim-seed", type=int, default=0, metavar="N", help="random seed [0]")
    sim.add_argument("--sim-drop", type=_fraction, default=0.0, metavar="P",
                     help="fraction of frames the virtual sensor drops [0]")
    sim.add_argument("--sim-disconnect-at", type=positive_number, action="append", default=[],
                     metavar="S", help="drop the link at S s of the set (repeatable)")
    sim.add_argument("--sim-reconnect-after", type=positive_number, default=2.0, metavar="S",
                     help="the virtual sensor advertises again S s after a drop [2]")
    sim.add_argument("--sim-mtu", type=int, default=247, metavar="BYTES",
                     help="largest ATT MTU the virtual sensor accepts [247]")
    sim.add_argument("--sim-drift", type=float, default=0.0, metavar="PPM",
                     help="virtual sensor clock drift, ppm [0]")
    sim.add_argument("--sim-device", choices=("hip-imu", "polar"), default="hip-imu",
                     help="virtual sensor: our own protocol, or a Polar sensor speaking PMD "
                     "(ACC and GYRO streams joined by the Polar adapter) [hip-imu]")
    p.set_defaults(func=run)


# ----------------------------------------------------------------------------------- views
def _fmt_phase_cmp(measured: float, prescribed: float, tol: TempoTolerance) -> tuple[str, str]:
    ok = tol.ok(measured, prescribed)
    return f"{measured:.1f}/{prescribed:g}", "green" if ok else "red"


def rep_line(rep: Rep, tempo: Tempo, tol: TempoTolerance) -> str:
    """One line about a rep: phases against the tempo, swing and faults (plain text)."""
    faults = [f for f in FAULTS if f in rep.faults]
    parts = [
        f"rep {rep.rep} (set {rep.set}{', ' + rep.side if rep.side else ''}):",
        f"up {rep.concentric_s:.1f} s, hold {rep.top_hold_s:.1f} s, down {rep.eccentric_s:.1f} s",
        f"(target {tempo})",
        "on tempo" if rep.tempo_ok else "OFF TEMPO",
        f"ROM {rep.rom_deg:.0f} deg",
    ]
    if rep.swing:
        parts.append("SWING")
    if faults:
        parts.append("FAULT: " + ", ".join(faults))
    if rep.in_gap:
        parts.append("(in a gap)")
    return " ".join(parts)


def set_line(set_no: int, reps: tuple[Rep, ...]) -> str:
    """Plain summary of a finished set."""
    on_tempo = sum(r.tempo_ok for r in reps)
    swings = sum(r.swing for r in reps)
    faults = sum(len(r.faults) for r in reps)
    tut = sum(r.tut_s for r in reps)
    return (
        f"set {set_no} done: {count(len(reps), 'rep')}, {on_tempo} on tempo, "
        f"{count(swings, 'swing')}, {count(faults, 'fault')}, time under tension {tut:.0f} s"
    )


class PlainView:
    """Line output for pipes and CI: one line per event that matters."""

    def __init__(self, out: Console, tempo: Tempo, tol: TempoTolerance, bell: bool) -> None:
        self.out, self.tempo, self.tol, self.bell = out, tempo, tol, bell
        self._journal_error: str | None = None

    def __call__(self, event: object) -> None:
        """Print the event."""
        line: str | None = None
        if isinstance(event, Connected):
            i = event.info
            verb = "reconnected to" if event.reconnect else "connected to"
            battery = f", battery {i.battery_percent}%" if i.battery_percent is not None else ""
            line = f"{verb} {i.name} ({i.address}), MTU {i.mtu}{battery}; streaming"
        elif isinstance(event, Disconnected):
            line = f"link lost at sample {event.at_sample}; reconnecting"
        elif isinstance(event, Reconnecting) and event.attempt > 1:
            line = f"reconnect attempt {event.attempt} in {event.delay_s:.1f} s ({event.error})"
        elif isinstance(event, RepDone):
            line = rep_line(event.rep, self.tempo, self.tol)
            if self.bell:
                line += "\a"
        elif isinstance(event, SetEnded):
            line = set_line(event.set_no, event.reps)
        elif isinstance(event, Progress) and event.journal_error != self._journal_error:
            self._journal_error = event.journal_error
            line = (
                f"warning: journal not written ({event.journal_error}); data kept in memory"
                if event.journal_error
                else "journal writing again"
            )
        elif isinstance(event, StreamEvent):
            line = event.text
        elif isinstance(event, Finished):
            line = f"session ended: {event.reason}"
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
    reps: int = 0
    set_no: int = 0
    seconds: float = 0.0
    lost: int = 0
    drift: float | None = None
    journal_error: str | None = None
    last: Rep | None = None
    alert: str = ""
    summary: str = ""


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
            s.device = f"{event.info.name} ({event.info.address}), MTU {event.info.mtu}"
            if event.info.battery_percent is not None:
                s.device += f", battery {event.info.battery_percent}%"
            s.link = "streaming"
        elif isinstance(event, Disconnected):
            s.link = "[red]link lost, reconnecting[/red]"
        elif isinstance(event, Reconnecting):
            s.link = f"[yellow]reconnecting (attempt {event.attempt})[/yellow]"
        elif isinstance(event, RepDone):
            rep = event.rep
            s.reps += 1
            s.set_no, s.last, s.summary = rep.set, rep, ""
            alerts = []
            if rep.swing:
                alerts.append("SWING: control the movement, no momentum")
            faults = [f for f in FAULTS if f in rep.faults]
            if faults:
                alerts.append("FAULT: " + ", ".join(faults))
            s.alert = " | ".join(alerts)
            if self.bell:
                self.out.bell()
        elif isinstance(event, PhaseChanged):
            s.phase = event.phase
        elif isinstance(event, SetEnded):
            s.summary = set_line(event.set_no, event.reps)
        elif isinstance(event, Progress):
            s.seconds, s.lost, s.drift = event.seconds, event.lost_samples, event.clock_drift_ppm
            s.journal_error = event.journal_error
        elif isinstance(event, StreamEvent):
            s.link = "streaming" if event.kind == "stream_restarted" else (
                f"[yellow]{event.text}[/yellow]")
        elif isinstance(event, Finished):
            s.link = f"ended: {event.reason}"
        if self._live is not None:
            self._live.update(self.render())

    def render(self) -> Panel:
        """The view as a rich renderable."""
        s = self.state
        head = Table.grid(padding=(0, 2))
        head.add_row("sensor", s.device)
        head.add_row("link", Text.from_markup(s.link))
        drift = f", clock drift {s.drift:+.0f} ppm" if s.drift is not None else ""
        head.add_row("stream", f"{s.seconds:.0f} s, {s.lost} samples lost{drift}")
        if s.journal_error:
            head.add_row("journal", Text(f"NOT WRITTEN: {s.journal_error} (kept in memory)",
                                         style="bold red"))
        counter = Text(f"{s.reps}", style="bold cyan")
        counter.append(f"  reps   set {max(s.set_no, 1)}   phase: ", style="default")
        counter.append(s.phase, style="bold")
        parts: list[Any] = [head, Text(""), counter]
        if s.last is not None:
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
        title = f"imu live: {self.profile.title}, tempo {self.tempo}"
        return Panel(Group(*parts), title=title, border_style="blue")


# ----------------------------------------------------------------------------------- saving
def recover_leftovers(out_dir: Path, out: Console) -> list[Path]:
    """Recover journals left in ``out_dir`` by a crash (:func:`imu.live_finish`); say so."""
    written = []
    for item in recover_leftover_journals(out_dir):
        if item.recording is None:
            out.print(f"warning: cannot recover {item.journal}: {item.error}", markup=False)
            continue
        out.print(
            f"recovered {item.journal.name} (left by an earlier session) -> "
            f"{item.target.name}: {item.recording.duration_s:.1f} s, "
            f"{count(len(item.recording.meta.gaps), 'gap')}",
            markup=False,
        )
        written.append(item.target)
    return written


def finish_session(
    result: LiveResult,
    out_dir: Path,
    name: str,
    profile: ExerciseProfile,
    tempo: Tempo,
    out: Console,
    journal_path: Path | None,
    command: str = "live",
) -> SessionReport | None:
    """Save the recording and the live analyzer's reports, remove the journal, print tables.

    The tables saved and printed are the reps the live analyzer reported during the session
    (:func:`imu.live_finish.live_report`), not a re-analysis of the recording.
    """
    recording = result.recording
    if recording.n_samples == 0:
        out.print("no samples received; nothing written", markup=False)
        return None
    report = live_report(recording, result.reps, profile, tempo, result.trace,
                         result.trace_start_s)
    saved = save_session(recording, report, out_dir, name, journal_path)
    if saved.fallback_reason is not None:
        out.print(f"error: {saved.fallback_reason}; saved to {saved.recording_path} instead",
                  markup=False)
    out.print(reps_view(report.reps))
    out.print()
    sets = sets_view(report.sets)
    if sets is not None:
        out.print(sets)
    row = report.session.iloc[0]
    out.print(
        f"{count(int(row['reps']), 'hold' if report.profile.isometric else 'rep')}"
        f"{uncertain_note(row)} in "
        f"{count(int(row['sets']), 'set')}, tempo {tempo}, "
        f"time under tension {row['tut_s']:.0f} s; {recording.duration_s:.0f} s recorded, "
        f"{count(recording.missing_samples, 'sample')} lost in "
        f"{count(len(recording.meta.gaps), 'gap')}",
        markup=False,
    )
    where = saved.recording_path.parent
    out.print(
        f"wrote {saved.recording_path.name}, {', '.join(p.name for p in saved.report_paths)} "
        f"to {where}",
        markup=False,
    )
    out.print(f"report: open {where / 'report.html'} in a web browser", markup=False)
    if stdout_broken(out):
        print(f"imu {command}: saved {saved.recording_path} and the reports in {where}",
              file=sys.stderr)
    return report


# ----------------------------------------------------------------------------------- running
def make_view(args: argparse.Namespace, out: Console, profile: ExerciseProfile,
              tempo: Tempo) -> PlainView | RichView:
    """Rich view on a terminal, plain lines otherwise."""
    tol = TempoTolerance()
    if sys.stdout.isatty() and not args.plain:
        return RichView(out, tempo, tol, args.bell, profile)
    return PlainView(out, tempo, tol, args.bell)


async def run_with_signals(session: LiveSession, extra_stop: asyncio.Event | None = None,
                           ) -> LiveResult:
    """Run ``session``; Ctrl-C (SIGINT/SIGTERM) or ``extra_stop`` end it cleanly."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, session.stop)
            installed.append(sig)
    waiter: asyncio.Task[Any] | None = None
    if extra_stop is not None:
        async def stop_when_set() -> None:
            await extra_stop.wait()
            session.stop()

        waiter = asyncio.create_task(stop_when_set())
    try:
        return await session.run()
    finally:
        if waiter is not None:
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
        for sig in installed:
            loop.remove_signal_handler(sig)


def default_name(prefix: str = "live") -> str:
    """``live-YYYYmmdd-HHMMSS``."""
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}"


def run(args: argparse.Namespace) -> int:
    """Run ``imu live``; returns the exit code."""
    if args.exercise is None:
        if not args.sim:
            raise ImuError(
                "which exercise? give --exercise E (e.g. -e reverse-crunch); the choices are "
                "in 'imu live --help'"
            )
        args.exercise = args.sim  # the simulated exercise (aliases resolve to the profile)
    profile = get_profile(args.exercise)
    tempo = parse_tempo(args.tempo) if args.tempo else profile.default_tempo
    config = StreamConfig(args.rate, args.acc_range, args.gyr_range)
    out = pipe_safe_console("live")
    out_dir: Path = args.out
    recover_leftovers(out_dir, out)
    name = args.name or default_name()
    journal = out_dir / f"{name}{SUFFIX}"
    view = make_view(args, out, profile, tempo)
    policy = ReconnectPolicy(give_up_after_s=args.give_up)
    if args.sim:
        coro = _run_sim(args, profile, tempo, config, journal, view, policy)
    else:
        backend = BleBackend.bumble_transport(args.transport) if args.transport else BleBackend()
        coro = _run_device(args, backend, profile, tempo, config, journal, view, policy)
    with view.running():
        result = asyncio.run(coro)
    finish_session(result, out_dir, name, profile, tempo, out, journal)
    return 0 if result.reason in ("stopped", "device gone", DEVICE_STOPPED) else 1


async def _run_device(args: argparse.Namespace, backend: BleBackend, profile: ExerciseProfile,
                      tempo: Tempo, config: StreamConfig, journal: Path,
                      view: Callable[[Any], None], policy: ReconnectPolicy) -> LiveResult:
    device, kind = await find_sensor_kind(backend, args.device, timeout_s=10.0)
    session = LiveSession(device, backend, profile, tempo, config, journal_path=str(journal),
                          listener=view, policy=policy, adapter=_adapter(kind, config))
    return await run_with_signals(session)


def _adapter(kind: str, config: StreamConfig) -> Any:
    """The device adapter for a sensor kind (None: our own protocol, the session default)."""
    if kind != KIND_POLAR:
        return None
    from imu.ble.polar.client import PolarAdapter, PolarConfig

    return PolarAdapter(
        PolarConfig(config.odr_hz, config.acc_range_g, config.gyr_range_dps, config.mtu)
    )


async def _run_sim(args: argparse.Namespace, profile: ExerciseProfile, tempo: Tempo,
                   config: StreamConfig, journal: Path, view: Callable[[Any], None],
                   policy: ReconnectPolicy) -> LiveResult:
    from imu.ble.sim import ScaledClock, sim_bench
    from imu.sim import SessionSpec, simulate_session

    sim_tempo = parse_tempo(args.tempo) if args.tempo else None
    spec = SessionSpec(
        args.sim, tempo=sim_tempo, reps=args.sim_reps, sets=args.sim_sets, seed=args.sim_seed,
        sampling_rate_hz=config.odr_hz, acc_range_g=config.acc_range_g,
        gyr_range_dps=config.gyr_range_dps, rest_s=20.0,
    )
    session_sim = simulate_session(spec)
    from firmware_protocol.virtual_sensor import SampleSource

    rec = session_sim.recording
    source = SampleSource.from_si(rec.acc, rec.gyr, config.odr_hz)
    faults = Faults(
        drop_fraction=args.sim_drop,
        disconnect_at_s=tuple(sorted(args.sim_disconnect_at)),
        reconnect_after_s=args.sim_reconnect_after,
        clock_drift_ppm=args.sim_drift,
        max_mtu=args.sim_mtu,
        seed=args.sim_seed,
    )
    if args.sim_device == "polar":
        from imu.ble.polar.virtual import PolarSource
        from imu.ble.sim import polar_bench

        bench_cm = polar_bench(
            PolarSource.from_si(rec.acc, rec.gyr, config.odr_hz), speed=args.speed,
            drop_fraction=args.sim_drop, seed=args.sim_seed,
        )
    else:
        bench_cm = sim_bench(source, speed=args.speed, faults=faults)
    async with bench_cm as bench:
        device, kind = await find_sensor_kind(bench.backend, None, timeout_s=5.0)
        session = LiveSession(
            device, bench.backend, profile, tempo, config, journal_path=str(journal),
            listener=view, policy=policy, host_clock=ScaledClock(args.speed), source="ble-sim",
            adapter=_adapter(kind, config),
        )
        return await run_with_signals(session, bench.sensor.source_done)

