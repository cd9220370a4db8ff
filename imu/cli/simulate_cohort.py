"""``imu simulate-cohort DIR``: a simulated training cohort to try the research workflow on."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any

from imu.cli._args import count, tempo_text
from imu.cli._csvargs import console
from imu.errors import SimulationError

EPILOG = """\
what it writes (in DIR):
  P01/P01_2024-01-08.parquet ...   one recording per session (+ .truth.csv ground truth)
  manifest.csv                     file, participant, exercise, tempo, date (for imu batch)
  cohort.csv                       the manifest plus the design: improver,
                                   eccentric_performed_s, swing_rate, seed

design:
  Every participant trains one exercise with one prescription for --weeks weeks, 1-4
  sessions a week (drawn). Everyone starts by dropping the eccentric (1.2-1.8 s instead of
  the prescribed one); the improvers (--improvers, a share) lengthen it to the prescription
  by the last week and swing less. Everything derives from --seed.

then:
  imu batch DIR/ --manifest DIR/manifest.csv --out dataset/ --workers 2
  python -c "from imu import research; d = research.load_dataset('dataset'); \\
print(research.tempo_compliance(d.reps))"
  imu export-bids DIR/ --out bids/

examples:
  imu simulate-cohort cohort/ --participants 4 --weeks 3 --seed 2024
  imu simulate-cohort big/ --participants 40 --weeks 12 --seed 7
"""


def _whole(low: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be >= {low}, got {text!r}")
        return value

    return parse


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share in [0, 1], got {text!r}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``simulate-cohort`` command."""
    p = subparsers.add_parser(
        "simulate-cohort",
        help="simulate a cohort of participants over weeks (recordings and manifest) for research",
        description=textwrap.fill(
            "Simulate a cohort: participants training over several weeks, one recording per"
            " session with ground truth, and the manifest 'imu batch --manifest' reads. The"
            " research workflow (docs/research.md) runs on it as written."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("out", type=Path, metavar="DIR", help="output directory")
    p.add_argument("--participants", "-p", type=_whole(1), default=20, metavar="N",
                   help="participants (P01, P02, ...) [20]")
    p.add_argument("--weeks", "-w", type=_whole(1), default=6, metavar="N",
                   help="weeks of training [6]")
    p.add_argument("--seed", type=int, default=2024, metavar="N", help="random seed [2024]")
    p.add_argument("--exercise", "-e", default="reverse-crunch", metavar="E",
                   help="simulated exercise [reverse-crunch]")
    p.add_argument("--tempo", type=tempo_text, default="3-1-3", metavar="U-H-D",
                   help="prescribed tempo [3-1-3]")
    p.add_argument("--improvers", type=_share, default=0.5, metavar="SHARE",
                   help="share of participants who lengthen their eccentric [0.5]")
    p.add_argument("--reps", type=_whole(1), default=6, metavar="N", help="reps per set [6]")
    p.add_argument("--sets", type=_whole(1), default=1, metavar="N",
                   help="sets per session [1]")
    p.add_argument("--rate", type=_whole(1), default=52, metavar="HZ",
                   help="sampling rate, Hz [52]")
    p.add_argument("--force", action="store_true",
                   help="write into DIR even if it already holds a cohort (manifest.csv)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Simulate the cohort with a progress bar; returns the exit code."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from imu.sim.cohort import CohortSpec, simulate_cohort

    out_dir: Path = args.out
    if (out_dir / "manifest.csv").exists() and not args.force:
        raise SimulationError(
            f"{out_dir} already holds a cohort (manifest.csv); pass --force to overwrite it, "
            "or choose another DIR"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise SimulationError(f"{out_dir} is a file; give a directory")
    spec = CohortSpec(
        participants=args.participants,
        weeks=args.weeks,
        exercise=args.exercise,
        prescribed=args.tempo,
        improver_share=args.improvers,
        reps=args.reps,
        sets=args.sets,
        sampling_rate_hz=args.rate,
        seed=args.seed,
    )
    out = console("simulate-cohort")
    progress = Progress(TextColumn("simulating participants"), BarColumn(),
                        MofNCompleteColumn(), console=out, transient=False)
    task = progress.add_task("cohort", total=spec.participants)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimulationError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    with progress:
        table = simulate_cohort(
            spec, out_dir, on_participant=lambda done, _total: progress.update(task, completed=done)
        )
    improvers = int(table.drop_duplicates("participant")["improver"].sum())
    out.print(
        f"{count(len(table), 'session')} of {count(spec.participants, 'participant')} over "
        f"{count(spec.weeks, 'week')} ({improvers} improving their eccentric), "
        f"{spec.exercise} at {spec.prescribed}, seed {spec.seed}; wrote {out_dir}/manifest.csv "
        f"and {out_dir}/cohort.csv",
        markup=False, highlight=False,
    )
    out.print(
        f"next: imu batch {out_dir}/ --manifest {out_dir}/manifest.csv --out dataset/",
        markup=False, highlight=False,
    )
    return 0
