"""Regenerate the bundled recordings: ``python -m imu.sim.bundle recordings``.

One short session per exercise (52 Hz, 2 sets of 5-6 reps, ~20 s rests, a few faults mixed in),
each with its ``.truth.csv``, and a README listing them. Seeds are fixed, so the output is
reproducible byte for byte with the same library versions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from imu.sim.exercises import FAULTS
from imu.sim.session import SessionSpec, save_session, simulate_session
from imu.tempo import parse_tempo


@dataclass(frozen=True)
class BundleItem:
    """One bundled session: file stem and the spec's variable parts."""

    stem: str
    exercise: str
    seed: int
    reps: int
    faults: dict[str, float]
    tempo: str | None = None
    sets: int = 2
    packet_loss: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    def spec(self) -> SessionSpec:
        """The full session spec."""
        return SessionSpec(
            exercise=self.exercise,
            tempo=parse_tempo(self.tempo) if self.tempo else None,
            reps=self.reps,
            sets=self.sets,
            rest_s=20.0,
            sampling_rate_hz=52,
            seed=self.seed,
            faults=self.faults,
            packet_loss=self.packet_loss,
            **self.extra,  # type: ignore[arg-type]
        )


BUNDLE: tuple[BundleItem, ...] = (
    BundleItem("reverse_crunch", "reverse-crunch", 109, 6,
               {"swing": 0.5, "dropped_eccentric": 0.5}, tempo="3-1-3", packet_loss=0.01),
    BundleItem("leg_raise", "leg-raise", 102, 6, {"back_arch": 0.5, "swing": 0.3}),
    BundleItem("hanging_leg_raise", "hanging-leg-raise", 103, 5,
               {"body_swing": 0.3, "swing": 0.2}),
    BundleItem("dead_bug", "dead-bug", 101, 6, {"back_arch": 0.3, "hips_rotating": 0.4}),
    BundleItem("bird_dog", "bird-dog", 105, 6, {"hips_rotating": 0.5}),
    BundleItem("reverse_hip_raise", "reverse-hip-raise", 107, 6,
               {"over_extension": 0.2, "swing": 0.4, "dropped_eccentric": 0.3}),
    BundleItem("pelvic_tilt", "pelvic-tilt", 107, 5, {"short_hold": 0.6}),
    BundleItem("plank", "plank", 108, 1, {"hips_sagging": 0.5, "shaking": 0.5}, sets=3,
               extra={"hold_s": 30.0}),
    BundleItem("standing_curl", "standing-curl", 109, 6, {"swing": 0.3}),
)
"""The bundled sessions."""


def generate(out_dir: Path) -> list[str]:
    """Write every bundled session and the README into ``out_dir``; returns README rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for item in BUNDLE:
        session = simulate_session(item.spec())
        rec_path, truth_path = save_session(session, out_dir / f"{item.stem}.parquet")
        truth, rec = session.truth, session.recording
        present = ", ".join(f"{f} {int(truth[f].sum())}" for f in FAULTS if truth[f].any())
        kb = rec_path.stat().st_size / 1024
        rows.append(
            f"| `{rec_path.name}` | {item.exercise} | {rec.meta.tempo or 'hold 30 s'} | "
            f"{item.sets} x {item.reps} | {present or 'none'} | {rec.duration_s:.0f} s | "
            f"{rec.missing_samples} | {item.seed} |"
        )
        print(f"wrote {rec_path} ({kb:.0f} KB) and {truth_path.name}: {len(truth)} reps, "
              f"faults: {present or 'none'}")
    (out_dir / "README.md").write_text(_readme(rows))
    print(f"wrote {out_dir / 'README.md'}")
    return rows


def _readme(rows: list[str]) -> str:
    table = "\n".join(rows)
    return f"""# Bundled recordings

Simulated sessions with ground truth, one per exercise, used by the demo, tests and notebooks.
Each `NAME.parquet` (an imu recording: 52 Hz, +-8 g, +-500 dps, random sensor mounting,
sensor noise and int16 quantisation) has its ground truth beside it in `NAME.truth.csv`
(one row per rep; columns documented in `imu.sim.session.TRUTH_COLUMNS`).

Regenerate them (fixed seeds) with

    make recordings          # = python -m imu.sim.bundle recordings

| file | exercise | tempo | sets x reps | faults (reps) | duration | lost samples | seed |
| --- | --- | --- | --- | --- | --- | --- | --- |
{table}

All sessions: 2 sets (plank: 3 holds) with 20 s rests, 3-5 s still before each set. The
spec of each is in `imu/sim/bundle.py` (`BUNDLE`); the seed, mounting quaternion, lever arm
and fault rates are also in each recording's metadata notes (`imu info FILE`).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: ``python -m imu.sim.bundle OUT_DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m imu.sim.bundle", description="Regenerate the bundled recordings."
    )
    parser.add_argument("out_dir", type=Path, help="output folder, e.g. recordings")
    args = parser.parse_args(argv)
    generate(args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
