"""``imu eval``: measure the analysis' accuracy on generated sessions with ground truth."""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from imu.cli._csvargs import console
from imu.errors import ImuError
from imu.evaluate import FAULT_RATES, EvalConfig, run_evaluation, summarize

EPILOG = """\
what is drawn per session (seeded): tempo from 1-0-1 to 5-2-5 (pelvic-tilt: long holds),
rate from 26 to 833 Hz, a random sensor mounting and lever arm, sensor noise and bias,
packet loss 0-5%, and faults mixed in at the rates of imu.evaluate.FAULT_RATES.

figures: share of sets with the exact rep count, rep-count MAE per set, median and 90th
percentile absolute error of the onset and of each phase (ms), ROM error (deg), and
precision / recall / F1 of swing and of every fault.

examples:
  imu eval                               # 6 sessions per exercise, fresh seed
  imu eval --sessions 2 --max-rate 104   # a quick look
  imu eval --seed 100 --out out/eval     # reproducible; writes the tables as CSV
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``eval`` command."""
    p = subparsers.add_parser(
        "eval",
        help="measure accuracy on generated sessions with ground truth",
        description=(
            "Generate sessions with the simulator (ground truth for every rep), analyse them "
            "exactly as 'imu analyze' would, and print the accuracy per exercise and overall."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--sessions", type=int, default=6, metavar="N",
                   help="sessions per exercise (default 6)")
    p.add_argument("--seed", type=int, default=None, metavar="S",
                   help="base seed (default: a fresh one, printed so the run can be repeated)")
    p.add_argument("--exercises", metavar="A,B,...",
                   help=f"simulator exercises (default: {','.join(FAULT_RATES)})")
    p.add_argument("--max-rate", type=int, default=833, metavar="HZ",
                   help="highest sampling rate drawn (default 833)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="processes (default: one per CPU)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="also write accuracy.csv, labels.csv and pairs.csv here")
    p.set_defaults(func=run)


def _table(title: str, frame: pd.DataFrame) -> Table:
    table = Table(title=title, show_lines=False)
    for col in frame.columns:
        table.add_column(str(col), justify="left" if frame[col].dtype == object else "right")
    for _, row in frame.iterrows():
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append("-" if math.isnan(v) else f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}")
            else:
                cells.append(str(v))
        table.add_row(*cells)
    return table


def _phase_errors(accuracy: pd.DataFrame) -> pd.DataFrame:
    """One 'median / p90' cell per phase, so the table fits a terminal."""
    def cell(med: float, p90: float) -> str:
        return "-" if math.isnan(med) else f"{med:.0f} / {p90:.0f}"

    out = pd.DataFrame({"exercise": accuracy["exercise"]})
    for name in ("start", "concentric", "top_hold", "eccentric", "bottom_pause"):
        out[name] = [cell(m, p) for m, p in
                     zip(accuracy[f"{name}_median_ms"], accuracy[f"{name}_p90_ms"], strict=True)]
    out["rom"] = [f"{m:.1f} / {p:.1f}" for m, p in
                  zip(accuracy["rom_median_deg"], accuracy["rom_p90_deg"], strict=True)]
    return out


def run(args: argparse.Namespace) -> int:
    """Run the evaluation and print its figures."""
    if args.sessions < 1:
        raise ImuError(f"--sessions must be at least 1, got {args.sessions}")
    exercises = tuple(args.exercises.split(",")) if args.exercises else tuple(FAULT_RATES)
    unknown = [e for e in exercises if e not in FAULT_RATES]
    if unknown:
        raise ImuError(
            f"unknown exercise(s) {', '.join(unknown)}; choose from {', '.join(FAULT_RATES)}"
        )
    cfg_kwargs: dict[str, object] = {
        "exercises": exercises,
        "sessions_per_exercise": args.sessions,
        "max_rate_hz": args.max_rate,
    }
    if args.seed is not None:
        cfg_kwargs["seed"] = args.seed
    cfg = EvalConfig(**cfg_kwargs)  # type: ignore[arg-type]
    out = console()
    total = len(exercises) * args.sessions
    out.print(f"evaluating {total} generated sessions, base seed {cfg.seed} "
              f"(repeat with --seed {cfg.seed})")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=out,
    ) as bar:
        task = bar.add_task("sessions", total=total)
        results = run_evaluation(cfg, lambda _ex: bar.advance(task), workers=args.workers)
    accuracy, labels = summarize(results)
    counts = accuracy[["exercise", "sessions", "sets", "truth_reps", "found_reps",
                       "exact_count_share", "count_mae"]]
    out.print(_table("rep counts", counts))
    out.print(_table("absolute errors, median / 90th percentile (ms; ROM in deg)",
                     _phase_errors(accuracy)))
    out.print(_table("swing and faults", labels))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        accuracy.to_csv(args.out / "accuracy.csv", index=False)
        labels.to_csv(args.out / "labels.csv", index=False)
        pairs = pd.concat(
            [r.pairs.assign(exercise=r.exercise, seed=r.seed, tempo=r.tempo, rate_hz=r.rate_hz,
                            packet_loss=r.packet_loss) for r in results],
            ignore_index=True,
        )
        pairs.to_csv(args.out / "pairs.csv", index=False)
        out.print(f"wrote {args.out}/accuracy.csv, labels.csv, pairs.csv")
    return 0
