"""``imu live``: stream a set from a sensor (or the built-in simulator), count and coach live.

Argument parsing and printing only: the session, its sources and views, and saving at the end
live in :mod:`imu.live`. ``imu replay`` shares the stream options, the choice of view and
:func:`finish` from here.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import shlex
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from firmware_protocol.virtual_sensor import Faults
from imu.ble.adapters import DeviceAdapter, HipImuAdapter
from imu.ble.client import KIND_POLAR, BleBackend, StreamConfig, find_sensor_kind
from imu.cli._args import TEMPO_HELP, exercise_spelling, folder_arg, tempo_text
from imu.cli._csvargs import positive_number
from imu.cli._output import pipe_safe_console, prepare_analysis, stdout_broken
from imu.cli._phone import add_phone_options, announce, phone_source
from imu.cli._web import add_web_option, serve, with_web
from imu.core.metrics import TempoTolerance
from imu.errors import ImuError
from imu.exercises import (
    PROFILES,
    ExerciseProfile,
    check_tempo_fits,
    closest_name,
    get_profile,
)
from imu.io.journal import SUFFIX
from imu.live.events import DEVICE_STOPPED, Listener
from imu.live.finish import (
    SavedSession,
    check_session_name,
    fallback_note,
    finish_session,
    recover_leftovers,
    reports_dir,
    set_aside_empty_journal,
)
from imu.live.session import InterruptHold, LiveResult, LiveSession, run_with_signals
from imu.live.sources.ble import BleSource, ReconnectPolicy
from imu.live.views import PlainView, RichView
from imu.tempo import Tempo, parse_tempo

if TYPE_CHECKING:
    from imu.io.recording import Recording
    from imu.sim import SessionSpec

logger = logging.getLogger(__name__)

_EXERCISES = ", ".join(PROFILES)

EPILOG = f"""\
examples:
  imu live --exercise reverse-crunch --tempo 3-1-3 --out sessions/      first sensor found
  imu live -e dead-bug --device C0:FF:EE:00:00:01 --out sessions/       a given sensor
  imu live -e leg-raise --transport usb:0 --out sessions/               USB dongle via Bumble
  imu live -e reverse-crunch --sim reverse-crunch --sim-reps 8 --speed 10 --out out/
  imu live -e reverse-crunch --sim reverse-crunch --sim-device polar --speed 10 --out out/
  imu live -e reverse-crunch --sim reverse-crunch --speed 5 --out out/ --web   page in a browser
  imu live -e reverse-crunch --tempo 3-1-3 --out sessions/ --web 0.0.0.0:8765  ...on a phone

  With --device the adapter follows what the sensor advertises or offers: the hip IMU
  service, or Polar's measurement-data (PMD) service (e.g. a Polar Verity Sense; ACC and
  GYRO at --rate with --acc-range and --gyr-range, which must be ones it offers).

  --sim runs the whole stack without hardware: a virtual sensor on Bumble, the bleak client
  through the Bumble backend, the analyzer. --sim-drop, --sim-disconnect-at and --sim-mtu
  inject link faults (with --sim-device polar only --sim-drop); --sim-faults makes the
  simulated person's reps faulty.

  A phone in the waistband pocket works too (see 'imu phone-setup' and docs/phone.md):
  imu live -e reverse-crunch --phyphox http://192.168.1.23:8080 --out sessions/
  imu live -e reverse-crunch --sensor-logger-push 8000 --out sessions/   prints the push URL

  --web serves the coaching screen (count, phase bar, tempo, faults, "slower" cue,
  metronome) to a browser and prints its URL and a QR code; see docs/live.md.

output (in --out DIR): NAME.parquet (the recording: gaps marked, clock offset and drift in
its metadata), and in NAME/ its reps/sets/session tables and report.html, replaced all
together or, on a write error such as a full disk, not at all (the recording is kept, and the
error gives the 'imu analyze' command that makes them). While recording, NAME{SUFFIX} is the
crash-safe journal; a journal left by a crash is recovered at the next start (or with 'imu
recover'). Ctrl-C ends the session and saves it; a Ctrl-C while saving never costs the
recording: pressed twice, the reports are skipped and the 'imu analyze' command that makes
them is printed (exit status 130).

exercises: {_EXERCISES}
"""


BLE_DEFAULT_RATE_HZ = 104
"""``--rate`` for BLE sensors and the simulator when not given, Hz."""


def _faults(text: str) -> dict[str, float]:
    """``name=p,name=p`` -> {name: p}; p in [0, 1]."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(
                f"{item!r}: write NAME=P, e.g. dropped_eccentric=0.5"
            )
        try:
            p = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{item!r}: {value!r} is not a number") from None
        if not 0 <= p <= 1:
            raise argparse.ArgumentTypeError(
                f"{item!r}: a probability per rep is in [0, 1], got {value}"
            )
        if name.strip() in out:
            raise argparse.ArgumentTypeError(
                f"{name.strip()!r} is given twice; give each fault once, e.g. "
                f"{name.strip()}={value.strip()}"
            )
        out[name.strip()] = p
    return out


out_dir_arg = folder_arg("--out sessions/")
"""``--out DIR`` (argparse type): an empty name is refused, not read as the current folder."""


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be a fraction in [0, 1), got {text!r}")
    return value


MAX_SPEED = 1000.0
"""Largest ``--speed``: the virtual sensor streams a 104 Hz set on time up to about this fast.
Beyond it the frames fall behind the scaled host clock, which then leaps days between two
frames (past 1e5 the recording filled with invented gaps of the device clock's wraps)."""


def speed_arg(text: str) -> float:
    """``--speed X`` (argparse type): a positive number up to :data:`MAX_SPEED`."""
    value = positive_number(text)
    if value > MAX_SPEED:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too fast: at most {MAX_SPEED:g} (the virtual sensor cannot stream "
            f"faster; its frames would fall behind the scaled clock); use --speed {MAX_SPEED:g} "
            "or less"
        )
    return value


def add_stream_options(p: argparse.ArgumentParser, name_prefix: str = "live",
                       tempo_default: str = "the exercise's") -> None:
    """Options shared by ``live`` and ``replay`` (defaults named as each command applies them)."""
    p.add_argument("--out", "-o", type=out_dir_arg, required=True, metavar="DIR",
                   help="output dir")
    p.add_argument("--tempo", metavar="U-H-D", default=None, type=tempo_text,
                   help=f"{TEMPO_HELP} [{tempo_default}]")
    p.add_argument("--speed", type=speed_arg, default=1.0, metavar="X",
                   help="simulated/replayed time runs X times faster than real time, at most "
                        f"{MAX_SPEED:g} [1]")
    p.add_argument("--bell", action="store_true", help="ring the terminal bell on every rep")
    p.add_argument("--plain", action="store_true",
                   help="plain line output even on a terminal (automatic when piped, and "
                        "on a terminal that cannot redraw the screen: TERM=dumb)")
    p.add_argument("--name", default=None, metavar="NAME", type=session_name,
                   help=f"recording name, without .parquet: NAME.parquet and NAME/ are "
                        f"written [{name_prefix}-YYYYmmdd-HHMMSS]")


SESSION_SUFFIXES = (".parquet", ".imuj")
"""Suffixes the session's files get from its name: a name ending in one doubles it."""


def session_name(text: str) -> str:
    """The argparse type of ``--name``: refuse names that make files no command finds.

    ``--name s.parquet`` wrote ``s.parquet.parquet`` and its reports into a folder named
    ``s.parquet`` (which ``imu analyze DIR/*.parquet`` then takes for a recording); a name
    starting with ``.`` made hidden files that ``ls`` and the shell's ``DIR/*.parquet``
    leave out; an empty one (an unset shell variable) was replaced by the default without a
    word; blanks at either end (``--name " x "``) stayed in the file names. Paths are refused
    later, by :func:`imu.live.finish.check_session_name`.

    Raises:
        argparse.ArgumentTypeError: the message names the value and a name that works.

    """
    name = text.strip()
    if name in (".", "..") or "/" in name or "\\" in name:
        return text  # a path: refused by check_session_name, in its words
    if not name:
        raise argparse.ArgumentTypeError(
            f"{text!r} names no session; give one, e.g. --name monday-crunch, or leave --name "
            "out for a time-stamped one"
        )
    for suffix in SESSION_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            raise argparse.ArgumentTypeError(
                f"{text!r}: give the name without {suffix}, e.g. --name "
                f"{shlex.quote(name[: -len(suffix)].strip())} (the recording is "
                "NAME.parquet, its reports NAME/)"
            )
    if name.startswith("."):
        raise argparse.ArgumentTypeError(
            f"{text!r}: a name starting with '.' makes hidden files that 'ls' and the "
            "shell's DIR/*.parquet (as in 'imu analyze DIR/*.parquet') leave out; give e.g. "
            f"--name {shlex.quote(name.lstrip('.').strip() or 'session')}"
        )
    if name != text:
        raise argparse.ArgumentTypeError(
            f"{text!r}: blanks at the start or end of a name stay in the file names "
            f"({text + '.parquet'!r}), hard to type and to tell apart; give --name "
            f"{shlex.quote(name)}"
        )
    return text


def register(subparsers: Any) -> None:
    """Add the ``live`` command."""
    p = subparsers.add_parser(
        "live",
        help="stream a set from a sensor (or the simulator): live rep count, tempo, faults",
        description=textwrap.fill(
            "Connect to a hip IMU over BLE (bleak; or a USB dongle through Bumble; or the"
            " built-in virtual sensor with --sim), or use a phone in the waistband pocket"
            " (phyphox with --phyphox, Sensor Logger with --sensor-logger-push; see 'imu"
            " phone-setup'), stream, and show the rep count, the current"
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
    add_phone_options(src, p)
    p.add_argument("--transport", metavar="NAME",
                   help="use Bumble on this HCI transport (e.g. usb:0) instead of the OS stack")
    add_stream_options(p)
    p.add_argument("--rate", type=int, default=None, metavar="HZ",
                   help="output data rate: a BLE sensor's (26, 52, 104, 208, 416, 833) [104]; "
                        "for a phone, the grid its samples are joined on (10-1000) [100]")
    p.add_argument("--acc-range", type=int, default=8, metavar="G", help="+-g [8]")
    p.add_argument("--gyr-range", type=int, default=500, metavar="DPS", help="+-deg/s [500]")
    p.add_argument("--give-up", type=positive_number, default=None, metavar="S",
                   help="end the session after S seconds without the sensor, counted in "
                        "real (wall-clock) seconds from the loss, whatever --speed: BLE sensors "
                        "and phyphox [60]; Sensor Logger's pushes, which stop while the app is "
                        "not recording (between sets) [600]")
    add_web_option(p)
    sim = p.add_argument_group("simulation (--sim)")
    sim.add_argument("--sim-reps", type=int, default=None, metavar="N",
                     help="reps per set [8; a plank: 3 holds, as long as --tempo's hold]")
    sim.add_argument("--sim-sets", type=int, default=1, metavar="N", help="sets [1]")
    sim.add_argument("--sim-seed", type=int, default=0, metavar="N", help="random seed [0]")
    sim.add_argument("--sim-faults", type=_faults, default={}, metavar="NAME=P,...",
                     help="chance per rep that a fault is drawn, e.g. dropped_eccentric=0.5,"
                          "swing=0.2; its size straddles the label's threshold, so only some "
                          "are labelled (names: 'imu simulate --help') [none]")
    sim.add_argument("--sim-drop", type=_fraction, default=0.0, metavar="P",
                     help="fraction of frames the virtual sensor drops [0]")
    sim.add_argument("--sim-disconnect-at", type=positive_number, action="append", default=[],
                     metavar="S", help="drop the link at S s of the set (repeatable)")
    sim.add_argument("--sim-reconnect-after", type=positive_number, default=2.0, metavar="S",
                     help="the virtual sensor advertises again S s after a drop, in "
                          "simulated (data) seconds: S / --speed real seconds; --give-up counts "
                          "real ones [2]")
    sim.add_argument("--sim-mtu", type=int, default=247, metavar="BYTES",
                     help="largest ATT MTU the virtual sensor accepts [247]")
    sim.add_argument("--sim-drift", type=float, default=0.0, metavar="PPM",
                     help="virtual sensor clock drift, ppm [0]")
    sim.add_argument("--sim-device", choices=("hip-imu", "polar"), default="hip-imu",
                     help="virtual sensor: our own protocol, or a Polar sensor speaking PMD "
                     "(ACC and GYRO streams joined by the Polar adapter) [hip-imu]")
    p.set_defaults(func=run)


# ----------------------------------------------------------------------------------- running
def make_view(args: argparse.Namespace, out: Console, profile: ExerciseProfile,
              tempo: Tempo) -> PlainView | RichView:
    """Rich view on a terminal, plain lines otherwise.

    Plain also on a terminal that cannot move the cursor (``TERM=dumb``: Emacs' shell, some
    IDE consoles): the redrawn screen showed nothing there until the session ended.
    """
    tol = TempoTolerance()
    if sys.stdout.isatty() and not args.plain and not out.is_dumb_terminal:
        # The view's clocks run in data time: a simulated sensor or a replay at --speed X
        # runs X times faster than the wall clock (a real sensor at 1; replay has no --sim).
        fast = getattr(args, "sim", True)
        return RichView(out, tempo, tol, args.bell, profile,
                        speed=args.speed if fast else 1.0)
    return PlainView(out, tempo, tol, args.bell, profile.isometric, profile)


def default_name(prefix: str = "live") -> str:
    """``live-YYYYmmdd-HHMMSS``."""
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}"


def run(args: argparse.Namespace) -> int:
    """Run ``imu live``; returns the exit code."""
    if args.sim:
        from imu.sim.exercises import EXERCISE_MODELS

        args.sim = exercise_spelling(args.sim, EXERCISE_MODELS)
        if args.sim not in EXERCISE_MODELS:
            guess = closest_name(args.sim, list(EXERCISE_MODELS))
            raise ImuError(
                f"--sim {args.sim!r}: {f'did you mean {guess}? ' if guess else ''}"
                f"the simulator makes {', '.join(EXERCISE_MODELS)}; "
                "pick one of those"
            )
    if args.exercise is None:
        if not args.sim:
            raise ImuError(
                "which exercise? give --exercise E (e.g. -e reverse-crunch); the choices are "
                "in 'imu live --help'"
            )
        args.exercise = args.sim  # the simulated exercise (aliases resolve to the profile)
    profile = get_profile(args.exercise)
    tempo = parse_tempo(args.tempo) if args.tempo else profile.default_tempo
    check_tempo_fits(profile, tempo)  # before any connection is tried
    phone = phone_source(args)
    config = (
        StreamConfig(BLE_DEFAULT_RATE_HZ if args.rate is None else args.rate, args.acc_range,
                     args.gyr_range)
        if phone is None else StreamConfig()
    )
    _check_source_options(args, phone is not None)
    simulated = _check_sim(args, config) if args.sim else None  # before any journal is opened
    out = pipe_safe_console("live")
    out_dir: Path = args.out
    name = args.name or default_name()
    # A crash journal of this very name is recovered beside it (NAME-recovered.parquet): its
    # NAME.parquet refused the session it was recovered for.
    recover_leftovers(out_dir, out, taken={name})
    check_session_name(out_dir, name)
    journal = out_dir / f"{name}{SUFFIX}"
    prepare_analysis("live")  # before the screen starts and the sensor streams
    view = make_view(args, out, profile, tempo)
    listener, web = with_web(args, view, profile, tempo, args.speed if args.sim else 1.0)
    policy = ReconnectPolicy(give_up_after_s=args.give_up or 60.0)
    # Ctrl-C ends the session; from then until the recording is saved it is held off.
    hold = InterruptHold("live")
    if phone is not None:
        announce(phone, out)
        coro = run_with_signals(
            LiveSession(phone, profile, tempo, journal_path=str(journal), listener=listener),
            hold=hold,
        )
    elif args.sim:
        assert simulated is not None
        coro = _run_sim(args, profile, tempo, config, journal, listener, policy, hold,
                        simulated)
    else:
        backend = BleBackend.bumble_transport(args.transport) if args.transport else BleBackend()
        coro = _run_device(args, backend, profile, tempo, config, journal, listener, policy,
                           hold)
    with hold:
        with view.running():
            try:
                result = asyncio.run(serve(coro, web, out))
            except ImuError:
                set_aside_empty_journal(journal)  # it failed before streaming: leave no journal
                raise
        if result.reason == "device gone" and phone is None:
            out.print(
                f"the sensor did not come back within {policy.give_up_after_s:g} s "
                "(--give-up); what was recorded is saved", markup=False, highlight=False,
            )
        saved = finish(result, out_dir, name, profile, tempo, out, journal, hold=hold)
    if saved is not None and saved.fallback_reason is not None:
        return 1  # not saved where asked (finish said where it went)
    return 0 if result.reason in ("stopped", "device gone", DEVICE_STOPPED) else 1


def finish(result: LiveResult, out_dir: Path, name: str, profile: ExerciseProfile,
           tempo: Tempo, out: Console, journal: Path | None,
           command: str = "live", hold: InterruptHold | None = None) -> SavedSession | None:
    """Save and print the session (:func:`imu.live.finish.finish_session`).

    ``hold`` holds Ctrl-C off until the recording is saved (one of its own when None). When
    nobody reads stdout any more, one line on stderr says where everything went. A recording
    that could not be saved in ``out_dir`` (saved in a temporary folder instead) is said
    again on stderr after the tables: the caller exits non-zero then (``fallback_reason``).
    """
    saved = finish_session(result, out_dir, name, profile, tempo, out, journal, hold=hold,
                           command=command)
    if saved is None:
        return None
    if saved.fallback_reason is not None:
        print(f"imu {command}: error: the recording could not be saved in {out_dir} "
              f"({saved.fallback_reason}); it was saved to {saved.recording_path} instead, "
              f"with the reports in {reports_dir(saved.recording_path)}"
              + fallback_note(journal), file=sys.stderr)
    elif stdout_broken(out):
        where = saved.report_paths[0].parent  # the session's own reports folder
        print(f"imu {command}: saved {saved.recording_path} and the reports in {where}",
              file=sys.stderr)
    return saved


async def _run_device(args: argparse.Namespace, backend: BleBackend, profile: ExerciseProfile,
                      tempo: Tempo, config: StreamConfig, journal: Path, view: Listener,
                      policy: ReconnectPolicy, hold: InterruptHold | None = None) -> LiveResult:
    device, kind = await find_sensor_kind(backend, args.device, timeout_s=10.0)
    source = BleSource(device, backend, _adapter(kind, config), policy=policy)
    session = LiveSession(source, profile, tempo, journal_path=str(journal), listener=view)
    return await run_with_signals(session, hold=hold)


def _adapter(kind: str, config: StreamConfig) -> DeviceAdapter:
    """The device adapter for a sensor kind (our own protocol unless it is a Polar sensor)."""
    if kind != KIND_POLAR:
        return HipImuAdapter(config)
    from imu.ble.polar.client import PolarAdapter, PolarConfig

    return PolarAdapter(
        PolarConfig(config.odr_hz, config.acc_range_g, config.gyr_range_dps, config.mtu)
    )


def _sim_spec(args: argparse.Namespace, config: StreamConfig) -> SessionSpec:
    """The simulated session ``--sim`` streams."""
    from imu.sim import SessionSpec
    from imu.sim.session import DEFAULT_HOLD_S

    sim_tempo = parse_tempo(args.tempo) if args.tempo else None
    hold = get_profile(args.sim).isometric
    reps = args.sim_reps if args.sim_reps is not None else (3 if hold else 8)
    if hold:  # the virtual person holds as long as the prescription says
        return SessionSpec(
            args.sim, reps=reps, sets=args.sim_sets, seed=args.sim_seed,
            sampling_rate_hz=config.odr_hz, acc_range_g=config.acc_range_g,
            gyr_range_dps=config.gyr_range_dps, rest_s=20.0, faults=args.sim_faults,
            hold_s=sim_tempo.top_hold_s if sim_tempo is not None else DEFAULT_HOLD_S,
        )
    return SessionSpec(
        args.sim, tempo=sim_tempo, reps=reps, sets=args.sim_sets, seed=args.sim_seed,
        sampling_rate_hz=config.odr_hz, acc_range_g=config.acc_range_g,
        gyr_range_dps=config.gyr_range_dps, rest_s=20.0, faults=args.sim_faults,
    )


def _sim_faults(args: argparse.Namespace) -> Faults:
    """The virtual sensor's faults from the ``--sim-*`` options (validated by Faults)."""
    return Faults(
        drop_fraction=args.sim_drop,
        disconnect_at_s=tuple(sorted(args.sim_disconnect_at)),
        reconnect_after_s=args.sim_reconnect_after,
        clock_drift_ppm=args.sim_drift,
        max_mtu=args.sim_mtu,
        seed=args.sim_seed,
    )


SIM_DEFAULTS: dict[str, Any] = {
    "sim_reps": None, "sim_sets": 1, "sim_seed": 0, "sim_faults": {}, "sim_drop": 0.0,
    "sim_disconnect_at": [], "sim_reconnect_after": 2.0, "sim_mtu": 247, "sim_drift": 0.0,
    "sim_device": "hip-imu",
}
"""The ``--sim-*`` options and their defaults (given without ``--sim``, they are refused)."""


def _check_source_options(args: argparse.Namespace, phone: bool) -> None:
    """Refuse options that do not apply to the chosen source (they would be ignored).

    Raises:
        ImuError: names the options and the source they belong to.

    """
    source = ("--sim (the simulation has its own virtual link)" if args.sim
              else "a phone (it streams over the network)" if phone else None)
    if source is not None and args.transport:
        raise ImuError(
            f"--transport {args.transport}: with {source} no Bluetooth adapter is used; "
            "leave --transport out, or use it with a real sensor"
        )
    if args.phone_platform != "auto" and not args.sensor_logger_push:
        raise ImuError(
            f"--phone-platform {args.phone_platform}: only for Sensor Logger "
            "(--sensor-logger-push PORT); leave it out"
        )
    if not args.sim:
        given = [f"--{name.replace('_', '-')}" for name, default in SIM_DEFAULTS.items()
                 if getattr(args, name) != default]
        if given:
            raise ImuError(
                f"{', '.join(given)}: only with --sim EXERCISE (the virtual sensor); leave "
                f"{'it' if len(given) == 1 else 'them'} out with a real sensor or a phone"
            )


def _check_sim(args: argparse.Namespace, config: StreamConfig) -> Recording:
    """Refuse bad ``--sim-*`` options with their own message, before anything starts.

    Returns:
        The simulated session's recording (what the virtual sensor will stream).

    """
    from firmware_protocol.spec import MAX_MTU, MIN_MTU
    from imu.sim import simulate_session
    from imu.sim.session import validate_spec

    # The options' names, as the other checks say them (not "reps (0) and sets (1)").
    for flag, value in (("--sim-reps", args.sim_reps), ("--sim-sets", args.sim_sets)):
        if value is not None and value < 1:
            raise ImuError(f"{flag} {value}: give at least 1")
    if args.sim_seed is not None and args.sim_seed < 0:
        raise ImuError(f"--sim-seed {args.sim_seed}: give a whole number >= 0 (e.g. 0, 2024)")
    validate_spec(_sim_spec(args, config))
    if not MIN_MTU <= args.sim_mtu <= MAX_MTU:
        raise ImuError(
            f"--sim-mtu {args.sim_mtu}: a BLE ATT MTU is {MIN_MTU}-{MAX_MTU} bytes; give a "
            f"size in that range (default 247)"
        )
    if not abs(args.sim_drift) < 1e5:
        raise ImuError(
            f"--sim-drift {args.sim_drift:g}: a clock drift is parts per million, well under "
            "1e5 (a real crystal drifts 10-100 ppm); give e.g. --sim-drift 50"
        )
    _sim_faults(args)
    if args.sim_device == "polar":
        # The Polar bench drops frames only; its link never breaks and its clock is exact.
        ignored = [flag for flag, used in (
            ("--sim-disconnect-at", bool(args.sim_disconnect_at)),
            ("--sim-drift", args.sim_drift != 0.0),
            ("--sim-mtu", args.sim_mtu != 247),
            ("--sim-reconnect-after", args.sim_reconnect_after != 2.0),
        ) if used]
        if ignored:
            raise ImuError(
                f"{', '.join(ignored)}: the simulated Polar sensor (--sim-device polar) only "
                "drops frames (--sim-drop); leave these out, or simulate the hip-imu sensor"
            )
    rec = simulate_session(_sim_spec(args, config)).recording
    late = sorted(t for t in args.sim_disconnect_at if t >= rec.duration_s)
    if late:
        print(
            f"imu live: warning: --sim-disconnect-at {', '.join(f'{t:g}' for t in late)}: "
            f"after the simulated session ends ({rec.duration_s:.0f} s); no disconnect "
            "then",
            file=sys.stderr,
        )
    return rec


async def _run_sim(args: argparse.Namespace, profile: ExerciseProfile, tempo: Tempo,
                   config: StreamConfig, journal: Path, view: Listener,
                   policy: ReconnectPolicy, hold: InterruptHold | None,
                   rec: Recording) -> LiveResult:
    from firmware_protocol.virtual_sensor import SampleSource
    from imu.ble.polar.virtual import PolarSource
    from imu.ble.sim import ScaledClock, polar_bench, sim_bench
    from imu.live.sources.virtual import BenchFactory, VirtualSensorSource

    bench: BenchFactory
    if args.sim_device == "polar":
        bench = functools.partial(
            polar_bench, PolarSource.from_si(rec.acc, rec.gyr, config.odr_hz), speed=args.speed,
            drop_fraction=args.sim_drop, seed=args.sim_seed,
        )
        kind = KIND_POLAR
    else:
        bench = functools.partial(
            sim_bench, SampleSource.from_si(rec.acc, rec.gyr, config.odr_hz), speed=args.speed,
            faults=_sim_faults(args),
        )
        kind = "hip-imu"
    # The virtual sensor's time runs --speed times the wall clock: so do the waits between
    # reconnection attempts, or a drop of S simulated seconds would last S x speed.
    source = VirtualSensorSource(bench, _adapter(kind, config), label="ble-sim",
                                 policy=policy.faster(args.speed))
    session = LiveSession(source, profile, tempo, journal_path=str(journal), listener=view,
                          host_clock=ScaledClock(args.speed))
    return await run_with_signals(session, hold=hold)
