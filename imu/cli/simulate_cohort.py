"""``imu simulate-cohort DIR``: a simulated training cohort to try the research workflow on."""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

from imu.cli._args import count, exercise_spelling, folder_arg, tempo_text
from imu.cli._csvargs import console
from imu.errors import ImuError, SimulationError

EPILOG = """\
what it writes (in DIR):
  P01/P01_2024-01-08.parquet ...   one recording per session (+ .truth.csv ground truth)
  manifest.csv                     file, participant, exercise, tempo, date (for imu batch)
  cohort.csv                       the manifest plus the design: improver,
                                   eccentric_performed_s, swing_rate, seed,
                                   hold_performed_s (plank)

design:
  Every participant trains one exercise with one prescription for --weeks weeks, 1-4
  sessions a week (drawn). Everyone starts by dropping the eccentric (1.2-1.8 s instead of
  the prescribed one); the improvers (--improvers, a share) lengthen it to the prescription
  by the last week and swing less. Only what applies to the exercise is drawn: no swing for
  dead-bug, bird-dog, pelvic-tilt and plank (swing_rate left empty); a plank is prescribed a
  hold (1-45-1: 45 s), held for 40-60% of it at first, the improvers' up to the full hold
  (hold_performed_s). A standing strict lift (standing-curl) is told from the hip by its
  hip drives alone, with no tempo (the pelvis should stay still; its eccentric is the
  arms', not seen at the hip): its swing_rate is the share of lifts the hips drive, and its
  improvers drive with the hips less often. Everything derives from --seed.

then (exactly the cohort's files, whatever else DIR holds):
  imu batch --manifest DIR/manifest.csv --out dataset/ --workers 2
  python -c "from imu import research; d = research.load_dataset('dataset'); \\
print(research.tempo_compliance(d.reps))"
  imu export-bids DIR/ --out bids/

again into the same DIR (--force):
  The files the previous cohort wrote (those its cohort.csv and manifest.csv list, with
  their truth CSVs, and the two tables) are removed first. Other files are never removed:
  a note names them (imu batch DIR/ would analyse recordings among them).

examples:
  imu simulate-cohort cohort/ --participants 4 --weeks 3 --seed 2024
  imu simulate-cohort big/ --participants 40 --weeks 12 --seed 7
  imu simulate-cohort planks/ --participants 4 --weeks 3 --exercise plank --tempo 1-60-1
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
    p.add_argument("out", type=folder_arg("out/cohort"), metavar="DIR",
                   help="output directory")
    p.add_argument("--participants", "-p", type=_whole(1), default=20, metavar="N",
                   help="participants (P01, P02, ...) [20]")
    p.add_argument("--weeks", "-w", type=_whole(1), default=6, metavar="N",
                   help="weeks of training [6]")
    p.add_argument("--seed", type=int, default=2024, metavar="N", help="random seed [2024]")
    p.add_argument("--exercise", "-e", default="reverse-crunch", metavar="E",
                   help="simulated exercise, any the simulator makes (imu simulate --help) "
                   "[reverse-crunch]")
    p.add_argument("--tempo", type=tempo_text, default=None, metavar="U-H-D",
                   help="prescribed tempo; a plank's is its hold, 1-H-1 [3-1-3; plank 1-45-1]")
    p.add_argument("--improvers", type=_share, default=0.5, metavar="SHARE",
                   help="share of participants who lengthen their eccentric (plank: their hold; "
                   "standing-curl: who drive the weight with the hips less often) [0.5]")
    p.add_argument("--reps", type=_whole(1), default=None, metavar="N",
                   help="reps per set (plank: holds) [6; plank 1]")
    p.add_argument("--sets", type=_whole(1), default=1, metavar="N",
                   help="sets per session [1]")
    p.add_argument("--rate", type=_whole(1), default=52, metavar="HZ",
                   help="sampling rate, Hz [52]")
    p.add_argument("--force", action="store_true",
                   help="replace the cohort DIR already holds (its files are removed first; "
                   "other files are left)")
    p.set_defaults(func=run)


def _dataset_for(out_dir: Path) -> str:
    """Where the printed ``imu batch`` command should write: ``dataset/``, not in the cohort."""
    name = "dataset"
    here, cohort = Path(name).resolve(), out_dir.resolve()
    if here == cohort or here.is_relative_to(cohort) or cohort.is_relative_to(here):
        name = f"{cohort.name}-dataset"
    return f"{name}/"


def _note_others(out_dir: Path, others: list[Path]) -> None:
    """Say on stderr that ``out_dir`` holds files this command did not write (left in place)."""
    if not others:
        return
    shown = ", ".join(str(p) for p in others[:3]) + (", ..." if len(others) > 3 else "")
    recordings = sum(1 for p in others if p.suffix in (".parquet", ".csv")
                     and not p.name.endswith(".truth.csv"))
    print(
        f"imu simulate-cohort: note: {out_dir} holds {count(len(others), 'file')} it did not "
        f"write ({shown}): left in place"
        + (f"; 'imu batch {out_dir}/' would analyse the {count(recordings, 'recording')} "
           "among them too, 'imu batch --manifest' only the cohort's" if recordings else ""),
        file=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    """Simulate the cohort with a progress bar; returns the exit code."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from imu.sim.cohort import (
        COHORT,
        MANIFEST,
        CohortSpec,
        cohort_design,
        other_files,
        remove_cohort,
        simulate_cohort,
    )
    from imu.sim.exercises import EXERCISE_MODELS

    exercise = exercise_spelling(args.exercise, EXERCISE_MODELS)
    if exercise not in EXERCISE_MODELS:  # before any file is touched
        raise SimulationError(f"--exercise {args.exercise!r}: the simulator makes "
                              f"{', '.join(EXERCISE_MODELS)}; pick one of those")
    model = EXERCISE_MODELS[exercise]
    out_dir: Path = args.out
    if out_dir.exists() and not out_dir.is_dir():
        raise SimulationError(f"{out_dir} is a file; give a directory")
    held = [name for name in (MANIFEST, COHORT) if (out_dir / name).exists()]
    if held and not args.force:
        raise SimulationError(
            f"{out_dir} already holds a cohort ({' and '.join(held)}); pass --force to replace "
            "it (the files it lists are removed first), or choose another DIR"
        )
    spec = CohortSpec(
        participants=args.participants,
        weeks=args.weeks,
        exercise=exercise,
        prescribed=args.tempo,
        improver_share=args.improvers,
        reps=args.reps if args.reps is not None else model.default_reps if model.hold else 6,
        sets=args.sets,
        sampling_rate_hz=args.rate,
        seed=args.seed,
    )
    _, prescribed = cohort_design(spec)  # a bad value is refused before any file is touched
    out = console("simulate-cohort")
    removed = remove_cohort(out_dir) if args.force else []
    if removed:
        out.print(f"removed the previous cohort in {out_dir}: {count(len(removed), 'file')} "
                  f"({MANIFEST}, {COHORT}, the recordings and truth CSVs they list)",
                  markup=False, highlight=False)
    _note_others(out_dir, other_files(out_dir))
    progress = Progress(TextColumn("simulating participants"), BarColumn(),
                        MofNCompleteColumn(), console=out, transient=False)
    task = progress.add_task("cohort", total=spec.participants)
    created = _first_missing(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimulationError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    try:
        with progress:
            table = simulate_cohort(
                spec, out_dir,
                on_participant=lambda done, _total: progress.update(task, completed=done),
            )
    except Exception:
        if created is not None:  # a DIR this run made holds nothing worth keeping
            shutil.rmtree(created, ignore_errors=True)
        raise
    improvers = int(table.drop_duplicates("participant")["improver"].sum())
    out.print(
        f"{count(len(table), 'session')} of {count(spec.participants, 'participant')} over "
        f"{count(spec.weeks, 'week')} ({improvers} {_improving(exercise, model.hold)}), "
        f"{_prescription(exercise, str(prescribed))}, seed {spec.seed}; wrote "
        f"{out_dir}/{MANIFEST} and {out_dir}/{COHORT}",
        markup=False, highlight=False,
    )
    manifest = shlex.quote(str(out_dir / MANIFEST))
    out.print(
        f"next: imu batch --manifest {manifest} --out {shlex.quote(_dataset_for(out_dir))}",
        markup=False, highlight=False,
    )
    return 0


def _strict(exercise: str) -> bool:
    """Whether ``exercise`` is analysed as a standing strict lift (``standing-curl``)."""
    from imu.exercises import get_profile

    try:
        return get_profile(exercise).every_rep_is_swing
    except ImuError:  # a simulated exercise without a profile of its own: not one
        return False


def _improving(exercise: str, hold: bool) -> str:
    """What the improvers improve, in the summary line: "improving their eccentric".

    A standing strict lift's eccentric is the arms', not seen at the hip: what the analysis
    tells of it is its hip drives, which the improvers make less often.
    """
    if _strict(exercise):
        return "improving: fewer hip drives"
    return f"improving their {'holds' if hold else 'eccentric'}"


def _prescription(exercise: str, prescribed: str) -> str:
    """The exercise and its prescription, as the summary line says them.

    "reverse-crunch at 3-1-3"; a standing strict lift has no tempo to hold its hip drives
    to, so the one the manifest carries is said not to apply (as ``imu analyze --tempo``).
    """
    if _strict(exercise):
        return (f"{exercise}, a standing strict lift told by its hip drives (the manifest's "
                f"tempo {prescribed} does not apply: a hip drive has no tempo)")
    return f"{exercise} at {prescribed}"


def _first_missing(folder: Path) -> Path | None:
    """The outermost of ``folder`` and its parents that does not exist yet (None: it exists)."""
    missing = None
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing = path
    return missing
