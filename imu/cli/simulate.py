"""``imu simulate``: write a simulated session (Parquet) and its ground truth (CSV)."""

from __future__ import annotations

import argparse
import math
import os
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from scipy.spatial.transform import Rotation

from firmware_protocol.spec import OUTPUT_DATA_RATES_HZ
from imu.cli._args import count, exercise_spelling, tempo_text
from imu.errors import SimulationError
from imu.exercises import closest_name, known_profile
from imu.sim import EXERCISE_MODELS, EXERCISES, FAULTS, SessionSpec, save_session, simulate_session
from imu.sim.exercises import CONTROLLED_FAMILIES, SWING_FAMILIES
from imu.tempo import MAX_HOLD_S, parse_tempo

EPILOG = """\
exercises (default tempo):
{exercises}

faults (rate = the chance per rep, per hold for the plank, that the fault is drawn; its size is
drawn across the label's threshold, so only some drawn faults are labelled, e.g. swing=1 gave
3 swing reps of 16: the truth file's columns say which):
{faults}

tempo: up-hold-down seconds, e.g. 3-1-3 (3 s concentric, 1 s top hold, 3 s eccentric);
  a fourth number is the bottom pause between reps: 3-1-3-1.

example:
  imu simulate reverse-crunch --tempo 3-1-3 --reps 12 --sets 3 --seed 7 \\
      --faults swing=0.2,dropped_eccentric=0.1 --out out/session.parquet
  writes out/session.parquet and out/session.truth.csv (one row per rep).

  The recording is dated now (--date to say when, e.g. --date 2024-01-08): 'imu progress'
  puts each session in its week. Its participant is sim-SEED (--participant NAME to name
  one: sessions of one participant, e.g. --participant me with --seed 1, 2, 3 and their
  dates, make one progress page).
"""


def _epilog() -> str:
    exercises = "\n".join(
        f"  {m.name:<18} ({m.default_tempo or 'hold'}) {m.description}"
        for m in EXERCISE_MODELS.values()
    )
    faults = "\n".join(f"  {name:<18} {text}" for name, text in FAULTS.items())
    return EPILOG.format(exercises=exercises, faults=faults)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``simulate`` command."""
    p = subparsers.add_parser(
        "simulate",
        help="simulate a session with ground truth",
        description=(
            "Simulate a hip-worn IMU recording of an exercise session (pelvis kinematics, "
            "sensor noise, int16 counts, optional packet loss) and write it with its ground "
            "truth: phase times, ROM and faults of every rep."
        ),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("exercise", metavar="EXERCISE", help=f"one of: {', '.join(EXERCISES)}")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="output recording (.parquet); the truth goes beside it, named after its "
                   "stem: --out sim/rc.parquet writes sim/rc.truth.csv")
    p.add_argument("--tempo", metavar="UP-HOLD-DOWN[-PAUSE]", type=tempo_text,
                   help="prescribed tempo in seconds (default: the exercise's)")
    p.add_argument("--reps", type=int, metavar="N",
                   help="reps per set (alternating exercises count each side; plank: holds)")
    p.add_argument("--sets", type=int, default=3, metavar="N", help="sets (default 3)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="random seed; the same seed gives the same session (default 0)")
    p.add_argument("--rate", type=int, default=104, metavar="HZ",
                   help=f"sampling rate, one of {', '.join(map(str, OUTPUT_DATA_RATES_HZ))} "
                   "(default 104)")
    p.add_argument("--faults", default="", metavar="NAME=RATE,...",
                   help="chance per rep that a fault is drawn, e.g. "
                        "swing=0.2,dropped_eccentric=0.1 (its size straddles the label's "
                        "threshold: only some are labelled)")
    p.add_argument("--rest", type=float, metavar="S",
                   help="rest between sets, s (default: 30-60 s drawn per rest)")
    p.add_argument("--hold", type=float, default=45.0, metavar="S",
                   help=f"plank hold, s, 5 to {MAX_HOLD_S:g} (default 45; a plank's --tempo "
                   "is refused: give its hold here)")
    p.add_argument("--packet-loss", type=float, default=0.0, metavar="P",
                   help="probability that a BLE frame is lost (NaN gap), 0-1 (default 0)")
    p.add_argument("--jitter", type=float, default=0.0, metavar="S",
                   help="mean host receive jitter per frame, s (default 0)")
    p.add_argument("--mounting", default="random", metavar="random|identity|QX,QY,QZ,QW",
                   help="sensor-to-pelvis rotation (default: uniformly random)")
    p.add_argument("--acc-range", type=int, default=8, metavar="G",
                   help="accelerometer range +-G (default 8)")
    p.add_argument("--gyr-range", type=int, default=500, metavar="DPS",
                   help="gyroscope range +-DPS (default 500)")
    p.add_argument("--families", default="", metavar="NAME=WEIGHT,...",
                   help="weight or restrict the motion families drawn, e.g. plateau=1,"
                   f"burst-coast=1 (controlled: {', '.join(CONTROLLED_FAMILIES)}; swing: "
                   f"{', '.join(SWING_FAMILIES)}; default: equal weights)")
    p.add_argument("--body-pendulum", action="store_true",
                   help="hanging exercises: the whole body swings from the bar all session")
    p.add_argument("--no-noise", action="store_true",
                   help="ideal sensor: no noise, bias or scale error (still quantised)")
    p.add_argument("--date", type=session_date, default=None, metavar="YYYY-MM-DD[THH:MM]",
                   help="when the session took place, UTC: the recording's start time, by "
                   "which 'imu progress' puts it in its week (default: now)")
    p.add_argument("--participant", type=participant_arg, default=None, metavar="NAME",
                   help="who the session is of, in the recording's metadata: sessions of "
                   "one participant make one 'imu progress' page (default: sim-SEED)")
    p.add_argument("--force", action="store_true",
                   help="replace FILE and its truth (STEM.truth.csv) if they exist")
    p.set_defaults(func=run)


def participant_arg(text: str) -> str:
    """The argparse type of ``--participant``: a name, stripped; not empty."""
    name = text.strip()
    if not name:
        raise argparse.ArgumentTypeError("the participant's name is empty; e.g. --participant me")
    return name


def session_date(text: str) -> float:
    """The argparse type of ``--date``: ISO 8601 date (and time), UTC unless it says; Unix s.

    Raises:
        argparse.ArgumentTypeError: not a date; the message names the value and the form.

    """
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?", text.strip()):
            raise argparse.ArgumentTypeError(  # the form is right, the day is not
                f"date {text!r} is no calendar date ({exc}); e.g. 2024-02-29"
            ) from None
        raise argparse.ArgumentTypeError(
            f"date {text!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), e.g. 2024-01-08 or "
            "2024-01-08T18:30"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def parse_families(text: str) -> dict[str, float] | None:
    """Parse ``"plateau=1,burst-coast=2"`` (validated later by the spec); "" -> None."""
    if not text.strip():
        return None
    try:
        return parse_faults(text, what="family weight")
    except SimulationError:
        raise SimulationError(
            f"families {text!r} are not NAME=WEIGHT; write e.g. --families plateau=1,"
            f"burst-coast=1 (families: {', '.join(CONTROLLED_FAMILIES + SWING_FAMILIES)})"
        ) from None


def parse_faults(text: str, what: str = "fault rate") -> dict[str, float]:
    """Parse ``"swing=0.2,dropped_eccentric=0.1"`` into a dict (validated later by the spec).

    Raises:
        SimulationError: an item is not NAME=NUMBER.

    """
    faults: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        try:
            rate = float(value)
        except ValueError:
            rate = math.nan
        if not sep or math.isnan(rate):
            raise SimulationError(
                f"{what} {item!r} is not NAME=RATE; write e.g. --faults swing=0.2,"
                f"dropped_eccentric=0.1 (faults: {', '.join(FAULTS)})"
            )
        if name.strip() in faults:
            raise SimulationError(
                f"{what} {name.strip()!r} is given twice ({text}); give each once"
            )
        faults[name.strip()] = rate
    return faults


def parse_mounting(text: str) -> Rotation | None:
    """``random`` -> None, ``identity``, or a quaternion ``qx,qy,qz,qw`` (scalar last)."""
    if text == "random":
        return None
    if text == "identity":
        return Rotation.identity()
    try:
        q = [float(x) for x in text.split(",")]
        if len(q) != 4 or not all(math.isfinite(x) for x in q) or not any(q):
            raise ValueError
    except ValueError:
        raise SimulationError(
            f"mounting {text!r} is not 'random', 'identity' or a quaternion qx,qy,qz,qw of "
            "four finite numbers, not all zero (e.g. 0,0,0.7071,0.7071: 90 deg about z)"
        ) from None
    return Rotation.from_quat(q)


def check_out(out: str) -> None:
    """Refuse an output name that is not ``.parquet`` (the recording is always Parquet).

    Raises:
        SimulationError: the message says which name to use.

    """
    if not out.strip():
        raise SimulationError(
            f"--out {out!r} names no file; give one, e.g. --out out/session.parquet (its ground "
            "truth goes beside it as out/session.truth.csv)"
        )
    path = Path(out)
    if out.endswith(("/", os.sep)) or path.is_dir():
        raise SimulationError(
            f"--out {out} is a folder; give a file name in it, e.g. --out "
            f"{path / 'session.parquet'} (its ground truth goes beside it as "
            f"{path / 'session.truth.csv'})"
        )
    if path.suffix.lower() != ".parquet":
        better = path.with_suffix(".parquet") if path.suffix else Path(f"{out}.parquet")
        raise SimulationError(
            f"--out {out}: the simulated recording is written as Parquet; name it {better} "
            f"(the ground truth goes beside it as {better.with_suffix('.truth.csv')})"
        )


def check_not_there(out: str, force: bool) -> None:
    """Refuse to write over an earlier recording or its truth without ``--force``.

    Raises:
        SimulationError: FILE or FILE's ``.truth.csv`` exists (or FILE is a folder).

    """
    path = Path(out)
    if path.is_dir():
        raise SimulationError(f"--out {out} is a folder; give a file name, e.g. "
                              f"{path / 'session.parquet'}")
    there = [p for p in (path, path.with_name(f"{path.stem}.truth.csv")) if p.exists()]
    if there and not force:
        raise SimulationError(
            f"--out {out}: {' and '.join(str(p) for p in there)} already "
            f"exist{'s' if len(there) == 1 else ''}; add --force to replace "
            f"{'it' if len(there) == 1 else 'them'}, or give another --out"
        )


def unknown_exercise(text: str) -> str:
    """Why ``text`` names no simulated exercise, with the likely one when there is one.

    An analysis profile's name or alias (``standing-strict``, ``curl``) points to the
    simulated exercise analysed with that profile (``standing-curl``); a misspelling to the
    closest name.
    """
    wanted = known_profile(text)
    same = [name for name in EXERCISE_MODELS if wanted and known_profile(name) == wanted]
    guess = same[0] if same else closest_name(text.strip().lower(), list(EXERCISE_MODELS))
    hint = f"did you mean {guess}? " if guess else ""
    return f"unknown exercise {text!r}; {hint}choose one of: {', '.join(EXERCISE_MODELS)}"


def run(args: argparse.Namespace) -> int:
    """Simulate, write both files and print a short summary."""
    exercise = exercise_spelling(args.exercise, EXERCISE_MODELS)
    if exercise not in EXERCISE_MODELS:
        raise SimulationError(unknown_exercise(args.exercise))
    tempo = parse_tempo(args.tempo) if args.tempo else None
    if tempo is not None and EXERCISE_MODELS[exercise].hold:
        # The simulator would ignore it with advice in its own words ("set hold_s").
        raise SimulationError(
            f"--tempo {args.tempo}: {exercise} is a static hold, held as long as --hold says "
            f"(--tempo does not set it); give --hold {max(tempo.top_hold_s, 5.0):g} instead"
        )
    if EXERCISE_MODELS[exercise].hold and args.hold > MAX_HOLD_S:
        # The recording stores the hold as its tempo, 1-HOLD-1, which imu analyze reads.
        raise SimulationError(
            f"--hold {args.hold:g}: longer than {MAX_HOLD_S:g} s, the longest hold a tempo may "
            f"prescribe, so imu analyze would refuse the recording's tempo 1-{args.hold:g}-1; "
            f"give at most --hold {MAX_HOLD_S:g}"
        )
    check_out(args.out)
    check_not_there(args.out, args.force)
    spec = SessionSpec(
        exercise=exercise,
        tempo=tempo,
        reps=args.reps,
        sets=args.sets,
        rest_s=args.rest,
        sampling_rate_hz=args.rate,
        seed=args.seed,
        faults=parse_faults(args.faults),
        noise=not args.no_noise,
        packet_loss=args.packet_loss,
        jitter_s=args.jitter,
        mounting=parse_mounting(args.mounting),
        hold_s=args.hold,
        body_pendulum=args.body_pendulum,
        families=parse_families(args.families),
        acc_range_g=args.acc_range,
        gyr_range_dps=args.gyr_range,
    )
    session = simulate_session(spec)
    # Dated like a live recording (now, or --date): 'imu progress' needs the week.
    start_s = float(round(time.time())) if args.date is None else args.date
    meta = {"start_time_s": start_s}
    if args.participant is not None:
        meta["participant"] = args.participant
    session = replace(session, recording=session.recording.with_meta(**meta))
    rec_path, truth_path = save_session(session, args.out)
    rec, truth = session.recording, session.truth
    n_faulty = int(truth[list(FAULTS)].any(axis=1).sum())
    fault_counts = {f: int(truth[f].sum()) for f in FAULTS if truth[f].any()}
    unit = "hold" if EXERCISE_MODELS[spec.exercise].hold else "rep"
    print(f"{spec.exercise}: {count(len(truth), unit)} in {count(spec.sets, 'set')}, tempo "
          f"{rec.meta.tempo or '-'}, {rec.duration_s:.1f} s at {rec.sampling_rate_hz:g} Hz "
          f"({rec.n_samples} samples, {rec.missing_samples} lost), "
          f"{datetime.fromtimestamp(start_s, tz=UTC):%Y-%m-%d %H:%M} UTC")
    if fault_counts:
        print(f"faulty reps: {n_faulty} ("
              + ", ".join(f"{k} {v}" for k, v in fault_counts.items()) + ")")
    print(f"wrote {rec_path}")
    print(f"wrote {truth_path}")
    return 0
