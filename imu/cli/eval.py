"""``imu eval``: measure the analysis' accuracy on generated sessions with ground truth.

Argument checks run before any session is generated; the evaluation itself lives in
:mod:`imu.evaluate` (imported when the command runs, so ``imu --help`` stays fast).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from imu.cli._args import count, exercise_spelling, folder_arg
from imu.cli._output import pipe_safe_console, prepare_analysis
from imu.evaluate.config import (
    DEFAULT_CHUNK,
    HOLDOUT_RANGES,
    HOLDOUT_SESSIONS,
    PENDULUM_SUFFIX,
    RATES_HZ,
    SECOND_GENERATOR_EXERCISES,
    SEEN_HOLDOUT_RANGES,
    TUNING_SEEDS,
    EvalError,
    SeedRange,
    case_names,
    holdout_ranges,
    touches_holdout,
)

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from imu.evaluate import EvalConfig, Evaluation
    from imu.evaluate.sessions import Simulator

_HOLDOUT_TEXT = ", ".join(f"{r.start}-{r.stop - 1}" for r in HOLDOUT_RANGES)
_SEEN_TEXT = ", ".join(
    f"{SEEN_HOLDOUT_RANGES[k].start}-{SEEN_HOLDOUT_RANGES[k + 4].stop - 1}"
    for k in range(0, len(SEEN_HOLDOUT_RANGES), 5)
)
_RATES_TEXT = ", ".join(str(r) for r in RATES_HZ)
_TUNING_TEXT = f"{TUNING_SEEDS.start}-{TUNING_SEEDS.stop - 1}"

EPILOG = f"""\
how sessions are made: each session is one (exercise, seed), and everything random derives
from both: tempo 1-0-1 to 5-2-5 (pelvic-tilt: long holds; plank: 2-3 holds of 30-60 s),
sampling rate ({_RATES_TEXT} Hz), a random sensor mounting and lever arm,
sensor noise, bias and quantisation, packet loss 0-5%, and faults mixed in at the rates of
imu.evaluate.FAULT_RATES; 2 sets of 6-10 reps, 20 s rest. Truth comes from imu.sim.

how they are analysed: as live data arrives, {DEFAULT_CHUNK} samples per update (--chunk),
with the exercise's profile and the prescribed tempo, as 'imu analyze' would.

seeds: tune on {_TUNING_TEXT} (the default). --holdout reports on the five
held-out ranges fixed in advance, {_HOLDOUT_TEXT},
using the first {HOLDOUT_SESSIONS} seeds of each range for every exercise (--sessions to change);
each figure is pooled over the five ranges with its spread: "pooled [min-max]".
The full --holdout run ({HOLDOUT_SESSIONS} seeds x 5 ranges x 10 cases = 500 sessions) needs about
400 CPU-seconds: 4.3 min with --workers 2 on two shared cores (up to 17 min under heavy load).

the figures:
  rep counts   every found rep counts, also before the first set, in rests, after the
               last set. missed: truth reps no found rep matches (one to one, by time
               overlap); extra: found reps that match no truth rep. set count exact: share
               of sets whose found count (the reps of the sets the analyzer numbered,
               each assigned to the truth set most of its reps belong to) equals the
               truth count; a found set with no true rep is a set with a count error.
               set bounds exact: share of truth sets found as exactly one set.
               sessions exact: share of sessions with the right total count.
  confidence   found reps the analyzer called uncertain (count_confidence < 0.5), reps
               after a pause in the set's rhythm that may hide a missed rep
               (missed_before), extra reps it was sure of (confident wrong counts), and
               the share of sessions with a count error that reported at least one
               uncertain rep or such a pause.
  boundaries   phase boundaries of matched reps (onset, top reached, lowering starts,
               end): absolute error, median / 90th percentile, ms; per rep-shape family.
  labels       F1, precision, recall of swing and each fault, per exercise and family; a
               missed rep is a missed positive, an extra rep with a label a false
               positive. Blank where undefined (no positive in truth nor analyzer).
               Figures true by construction (standing-curl swing) show counts only.
  quantities   absolute error of each quantity column that the truth and the reps table
               share (ROM, wind-up, ratios...), median / 90th percentile.

exit status: 0; 1 when a session failed (listed on stderr, counted in the table); 2 for bad
arguments (before any work).

examples:
  imu eval --sessions 2 --max-rate 104          # a quick look on tuning seeds 0-1
  imu eval --exercises reverse-crunch --chunk 0 # one chunk (offline) instead of streamed
  imu eval --seed-start 0,100,200 --sessions 5  # three tuning ranges, with spread
  imu eval --holdout --workers 2 --out out/eval # the held-out figures, tables as CSV
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``eval`` command."""
    p = subparsers.add_parser(
        "eval",
        help="measure accuracy on generated sessions with ground truth",
        description=(
            "Generate sessions with the simulator (ground truth for every rep), stream them\n"
            "through the analyzer as live data arrives, and print how accurately it counts\n"
            "reps and sets, times phases, measures and labels them, per exercise and family."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--generator", choices=("sim", "second"), default="sim",
                   help="where sessions and their truth come from: the simulator the analyzer "
                        "was tuned on (imu.sim, default), or a second generator written apart "
                        "from it (imu/evaluate/second.py; nothing tuned on it; "
                        f"{', '.join(SECOND_GENERATOR_EXERCISES)})")
    p.add_argument("--holdout", action="store_true",
                   help=f"the held-out seed ranges {_HOLDOUT_TEXT} (report, never tune)")
    p.add_argument("--sessions", type=int, default=None, metavar="N",
                   help=f"sessions per exercise per seed range (default 6; --holdout "
                        f"{HOLDOUT_SESSIONS})")
    p.add_argument("--seed-start", "--seed", dest="seed_start", default="0", metavar="S[,S...]",
                   help="first seed of each range (default 0: tuning seeds); several give "
                        "the spread over ranges")
    p.add_argument("--exercises", metavar="A,B,...",
                   help=f"cases to run (default: all): {', '.join(case_names())}")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, metavar="N",
                   help=f"samples per analyzer update (default {DEFAULT_CHUNK}; 0: one chunk)")
    p.add_argument("--max-rate", type=int, default=max(RATES_HZ), metavar="HZ",
                   help=f"highest sampling rate drawn; the rates are {_RATES_TEXT} Hz "
                        f"(default {max(RATES_HZ)})")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes (default: 2, or 1 on a one-CPU machine or a low open-file "
                        "limit; at most 4 per CPU, within the open-file limit)")
    p.add_argument("--out", type=folder_arg("--out out/eval"), metavar="DIR",
                   help="also write every table as CSV here (checked before the run)")
    p.set_defaults(func=run)


# ----------------------------------------------------------------------------- arguments
def _seed_ranges(args: argparse.Namespace) -> tuple[SeedRange, ...]:
    if args.sessions is not None and args.sessions < 1:
        raise EvalError(f"--sessions must be at least 1, got {args.sessions}")
    if args.holdout:
        if args.seed_start != "0":
            raise EvalError("--holdout fixes the seeds; drop --seed-start "
                            f"{args.seed_start} (or drop --holdout)")
        return holdout_ranges(args.sessions or HOLDOUT_SESSIONS)
    try:
        starts = [int(s) for s in str(args.seed_start).split(",")]
    except ValueError:
        raise EvalError(f"--seed-start {args.seed_start!r}: give whole numbers separated by "
                        "commas, e.g. 0 or 0,100,200") from None
    if any(s < 0 for s in starts):
        raise EvalError(f"--seed-start {args.seed_start}: seeds are >= 0")
    n = args.sessions or 6
    ordered = sorted(starts)
    for a, b in itertools.pairwise(ordered):
        if b < a + n:  # the same sessions would be counted twice
            what = f"{a} is given twice" if a == b else (
                f"{a}-{a + n - 1} and {b}-{b + n - 1} overlap")
            raise EvalError(
                f"--seed-start {args.seed_start} with {count(n, 'session')} per range: {what}, "
                f"so the same sessions would count twice; give starts at least {n} apart, e.g. "
                f"{','.join(str(ordered[0] + k * n) for k in range(len(ordered)))}"
            )
    return tuple(SeedRange(s, n) for s in starts)


def _check_out(out: Path) -> None:
    """Create ``out`` and prove it writable, before any work."""
    from imu.io.atomic import write_error_reason

    fix = "--out needs a folder (a new one or an existing one), e.g. --out out/eval"
    if out.exists() and not out.is_dir():
        raise EvalError(f"--out {out} is a file, not a folder; {fix}")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".imu-eval-probe-"):
            pass
    except OSError as exc:
        raise EvalError(
            f"--out {out}: cannot write there ({write_error_reason(out, exc)}); give a folder "
            "you can write to"
        ) from None


def _earlier_files(out: Path) -> list[str]:
    """Files an earlier evaluation wrote in ``out`` (its CSV tables and about.txt)."""
    if not out.is_dir():
        return []
    return sorted(p.name for p in out.iterdir()
                  if p.is_file() and (p.suffix == ".csv" or p.name == "about.txt"))


def _config(args: argparse.Namespace) -> EvalConfig:
    from imu.batch import WORKERS_PER_CPU, max_local_workers
    from imu.evaluate import EvalConfig, default_cases, pendulum_supported

    if args.workers is None:
        args.workers = min(2, os.cpu_count() or 1, max_local_workers())
    if args.workers < 1:
        raise EvalError(f"--workers must be at least 1, got {args.workers}")
    if args.workers > (most := max_local_workers()):
        raise EvalError(f"--workers {args.workers} is more processes than this machine runs "
                        f"well (at most {most}: {WORKERS_PER_CPU} per CPU, within the "
                        f"open-file limit); use --workers {min(2, most)}")
    if args.chunk < 0:
        raise EvalError(f"--chunk must be >= 0 samples (0: the whole recording at once), got "
                        f"{args.chunk}")
    if args.max_rate < min(RATES_HZ):
        raise EvalError(f"--max-rate {args.max_rate}: no sampling rate to draw; the rates are "
                        f"{_RATES_TEXT} Hz, give one of them")
    if args.generator == "second" and args.holdout:
        raise EvalError("--holdout is the simulator's held-out seeds; nothing was tuned on the "
                        "second generator, so any --seed reports on it: drop --holdout")
    ranges = _seed_ranges(args)
    supported = pendulum_supported()
    cases = default_cases(supported)
    if args.generator == "second":
        cases = tuple(c for c in cases if c.exercise in SECOND_GENERATOR_EXERCISES)
    if args.exercises is not None:
        # Spelled as simulate, live and analyze take them: Reverse_Crunch is reverse-crunch.
        names = case_names()
        wanted = [exercise_spelling(e, names) for e in args.exercises.split(",") if e.strip()]
        if not wanted:
            raise EvalError(f"--exercises {args.exercises!r} names no case; give one or more "
                            f"of {', '.join(case_names())} (or leave it out for all)")
        unknown = [e for e in wanted if e not in case_names()]
        if unknown:
            raise EvalError(f"--exercises: unknown {', '.join(unknown)}; choose from "
                            f"{', '.join(case_names())}")
        if not supported and any(e.endswith(PENDULUM_SUFFIX) for e in wanted):
            raise EvalError(f"--exercises: the simulator cannot swing the body yet "
                            f"(no SessionSpec.body_pendulum); drop the {PENDULUM_SUFFIX} case")
        if args.generator == "second":
            other = [e for e in wanted if e not in {c.name for c in cases}]
            if other:
                raise EvalError(f"--exercises: the second generator does not make "
                                f"{', '.join(other)}; it makes "
                                f"{', '.join(SECOND_GENERATOR_EXERCISES)}")
        cases = tuple(c for c in cases if c.name in wanted)
    return EvalConfig(cases, ranges=ranges, chunk=args.chunk, max_rate_hz=args.max_rate)


# ----------------------------------------------------------------------------- printing
def _num(v: object, fmt: Callable[[float], str]) -> str:
    """A figure as text; blank when undefined (NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return fmt(float(v))  # type: ignore[arg-type]


def _cell(row: pd.Series, col: str, fmt: Callable[[float], str]) -> str:
    """``pooled [min-max]`` when the table has a spread, else the pooled figure."""
    text = _num(row[col], fmt)
    if text and f"{col}_min" in row.index:
        lo, hi = _num(row[f"{col}_min"], fmt), _num(row[f"{col}_max"], fmt)
        if lo:
            text += f" [{lo}-{hi}]"
    return text


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


def _int(v: float) -> str:
    return f"{v:.0f}"


def _f2(v: float) -> str:
    return f"{v:.2f}"


def _ms(v: float) -> str:
    return f"{v:.0f}"


def _qfmt(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"


def _table(title: str, header: list[str], rows: list[list[str]]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for k, name in enumerate(header):
        table.add_column(name, justify="left" if k < 2 else "right")
    for r in rows:
        table.add_row(*r)
    return table


def print_figures(ev: Evaluation, out: Console) -> None:
    """Print the figure tables of an evaluation."""
    f = ev.figures
    c = f["counts"]
    show_failed = "failed" in c and bool(c["failed"].fillna(0).any())
    rows = [[r.exercise, *(_num(r[k], _int) for k in ("sessions", "truth_sets", "truth_reps",
                                                       "found_reps", "missed", "extra")),
             _cell(r, "set_count_exact", _pct), _cell(r, "set_count_mae", _f2),
             _cell(r, "set_boundaries_exact", _pct), _cell(r, "session_count_exact", _pct),
             *([_num(r["failed"], _int)] if show_failed else [])]
            for _, r in c.iterrows()]
    out.print(_table("rep counts and sets (every found rep counts)",
                     ["exercise", "sessions", "sets", "truth reps", "found", "missed", "extra",
                      "set count exact", "set count MAE", "set bounds exact",
                      "sessions exact", *(["failed"] if show_failed else [])], rows))
    if "uncertain_reps" in c:
        crows = [[r.exercise, _num(r["found_reps"], _int), _num(r["uncertain_reps"], _int),
                  _num(r.get("missed_before", math.nan), _int),
                  _num(r["confident_extra"], _int), _cell(r, "wrong_sessions_flagged", _pct)]
                 for _, r in c.iterrows()]
        out.print(_table("count confidence (reps under 0.5 are reported as uncertain; "
                         "'after a pause': a rep may be missing before them)",
                         ["exercise", "found", "uncertain", "after a pause",
                          "confident extra", "wrong counts flagged"], crows))
    b = f["boundaries"]
    brows = []
    for (ex, fam), grp in b.groupby(["exercise", "family"], sort=False):
        cells = []
        for _, r in grp.iterrows():
            med = _cell(r, "median_ms", _ms)
            cells.append(f"{med} / {_cell(r, 'p90_ms', _ms)}" if med else "")
        brows.append([str(ex), str(fam), str(int(grp["n"].max())), *cells])
    out.print(_table("phase boundaries of matched reps: |error| median / p90, ms",
                     ["exercise", "family", "reps", "onset", "top reached", "lowering starts",
                      "end"], brows))
    lab = f["labels"]
    lrows = [[r.exercise, r.family, r.label, _cell(r, "f1", _f2), _cell(r, "precision", _f2),
              _cell(r, "recall", _f2), str(r.truth_positives), str(r.found_positives), r.note]
             for _, r in lab.iterrows()]
    out.print(_table("swing and faults (blank: undefined, no positive in truth nor analyzer)",
                     ["exercise", "family", "label", "F1", "precision", "recall", "truth +",
                      "found +", "note"], lrows))
    q = f["quantities"]
    q = q[q["family"] == "all"]
    qrows = [[r.exercise, r.quantity, r.unit, str(r.n),
              f"{_cell(r, 'median', _qfmt)} / {_cell(r, 'p90', _qfmt)}"]
             for _, r in q.iterrows()]
    out.print(_table("quantities of matched reps: |error| median / p90 (per family in "
                     "quantities.csv)", ["exercise", "quantity", "unit", "reps",
                                         "median / p90"], qrows))


def describe(cfg: EvalConfig, holdout: bool) -> list[str]:
    """How the figures are obtained, one line each (printed and saved)."""
    from imu import __version__
    from imu.evaluate import FAULT_RATES

    seeds = ", ".join(r.label for r in cfg.ranges)
    kind = "held-out seeds" if holdout else "seeds"
    chunk = "one chunk (offline)" if cfg.chunk == 0 else f"{cfg.chunk}-sample chunks (streamed)"
    return [
        f"{kind} {seeds}: {count(cfg.n_sessions, 'session')}, "
        f"{sum(r.sessions for r in cfg.ranges)} per case over "
        f"{count(len(cfg.ranges), 'range')}, cases: {', '.join(c.name for c in cfg.cases)}",
        f"analyzer imu.core.RepAnalyzer (imu {__version__}, default parameters) fed {chunk}; "
        "rates drawn from "
        f"{', '.join(map(str, cfg.drawn_rates_hz))} Hz; {cfg.sets} sets of "
        f"{cfg.reps[0]}-{cfg.reps[1]} reps (plank {cfg.hold_reps[0]}-{cfg.hold_reps[1]} "
        f"holds), rest {cfg.rest_s:.0f} s",
        "fault rates per rep: " + "; ".join(
            f"{ex} " + ",".join(f"{k}={v:g}" for k, v in rates.items())
            for ex, rates in FAULT_RATES.items()),
    ]


def _write_csvs(ev: Evaluation, about: list[str], out_dir: Path) -> list[str]:
    from imu.io.atomic import atomic_path, write_text_atomic

    tables = {**ev.figures, **ev.raw_tables()}
    names = []
    for name, table in tables.items():
        path = out_dir / f"{name}.csv"
        try:
            with atomic_path(path) as tmp:
                table.to_csv(tmp, index=False)
        except OSError as exc:
            raise EvalError(f"cannot write {path}: {exc.strerror or exc}") from None
        names.append(path.name)
    write_text_atomic(out_dir / "about.txt", "\n".join(about) + "\n")
    return [*names, "about.txt"]


class _PlainProgress:
    """Progress for logs (stdout not a terminal): a line on stderr every 10% of the sessions."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.t0 = time.perf_counter()

    def __call__(self, result: object) -> None:
        self.done += 1
        step = max(1, self.total // 10)
        if self.done % step == 0 or self.done == self.total:
            elapsed = time.perf_counter() - self.t0
            print(f"imu eval: {self.done}/{self.total} sessions, {elapsed:.0f} s",
                  file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- command
def run(args: argparse.Namespace) -> int:
    """Check the arguments, run the evaluation and print its figures."""
    cfg = _config(args)
    if args.out is not None:
        _check_out(args.out)
        earlier = _earlier_files(args.out)
        if earlier:
            shown = ", ".join(earlier[:4]) + (" ..." if len(earlier) > 4 else "")
            print(f"imu eval: note: replacing the files of an earlier run in {args.out} "
                  f"({shown}); give another --out to keep them", file=sys.stderr)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from imu.evaluate import evaluate
    from imu.report.terminal import print_prose
    from imu.sim import simulate_session

    # Wide tables: plain text at 180 columns when piped (a terminal keeps its own width).
    out = pipe_safe_console("eval", "the run carries on and writes its files", 180,
                            soft_wrap=False)
    about = describe(cfg, args.holdout)
    simulator: Simulator = simulate_session
    if args.generator == "second":
        from imu.evaluate.second import generate

        simulator = generate
        # Its own motion and fault draws replace the simulator's fault-rate line.
        about = ["generator: the second generator (imu/evaluate/second.py), written apart "
                 "from imu.sim; a few analyzer choices were made on its seeds from 640000 "
                 "on (docs/accuracy.md), never on the 600000s it reports", *about[:2],
                 "faults drawn by it: its own, per exercise, with magnitudes across each "
                 "label's threshold (listed in imu/evaluate/second.py's docstring)"]
    if not args.holdout and args.generator == "sim" and touches_holdout(cfg.ranges):
        out.print("[yellow]warning: these seeds overlap the held-out ranges "
                  f"({_HOLDOUT_TEXT}) or the earlier, already seen held-out sets "
                  f"({_SEEN_TEXT}); tune on {_TUNING_TEXT}"
                  "[/yellow]")
    for line in about:
        out.print(line)
    prepare_analysis("eval")  # the workers then load the compiled loops from the cache
    if out.is_terminal:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TimeRemainingColumn(), console=out,
                      transient=True) as bar:
            task = bar.add_task("sessions", total=cfg.n_sessions)
            ev = evaluate(cfg, workers=args.workers, simulator=simulator,
                          progress=lambda r: bar.update(task, advance=1,
                                                        description=f"{r.case:>26}"))
    else:
        ev = evaluate(cfg, workers=args.workers, simulator=simulator,
                      progress=_PlainProgress(cfg.n_sessions))
    rate = cfg.n_sessions / ev.wall_s if ev.wall_s > 0 else math.inf
    timing = (f"wall time {ev.wall_s:.1f} s with {ev.workers} worker(s) "
              f"({rate:.2f} sessions/s)")
    about.append(timing)
    print_figures(ev, out)
    out.print(timing)
    failed = [r for r in ev.results if r.error]
    for r in failed:
        about.append(f"failed: {r.case} seed {r.seed}: {r.error}")
    if args.out is not None:
        written = _write_csvs(ev, about, args.out)
        # Word-wrapped on a terminal and whole in a pipe (for grep), as imu analyze's: the
        # console's own wrapping cut it at 180 columns when piped.
        print_prose(out, f"wrote {', '.join(written)} to {args.out}")
    if failed:
        for r in failed:
            print(f"imu eval: session {r.case} seed {r.seed} failed ({r.error})",
                  file=sys.stderr)
        print(f"imu eval: {len(failed)} of {len(ev.results)} sessions failed; the figures "
              "leave out sessions the simulator could not make and score an analyzer that "
              "raised on the reps it reported before", file=sys.stderr)
        return 1
    return 0
