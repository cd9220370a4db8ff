"""Batch throughput: session-hours analysed per minute with 1 and 2 Dask workers.

Prints figures; asserts nothing. Run from the repository root::

    .venv/bin/python benchmarks/batch_scaling.py                       # 200 x 1 h sessions
    .venv/bin/python benchmarks/batch_scaling.py --sessions 20 --hours 0.25   # quick run

How the corpus is built (honestly cheaper than simulating 200 hours, ~40 s per hour):

1. ``--distinct`` (default 4) sessions are simulated with :mod:`imu.sim`: reverse crunch,
   3 sets x 10 reps, tempo 2-1-2, 52 Hz, seeds 1000, 1001, ..., 20% swing and 10% dropped
   eccentric reps, sensor noise, quantisation, random mounting (each ~4-5 min long).
2. Recording ``i`` (of ``--sessions``) concatenates those sessions in the order
   ``i, i+1, ...`` (mod ``--distinct``), repeating them until ``--hours`` are filled, and is
   cut to exactly ``hours * 3600 * 52`` samples; lost-sample gaps are shifted with their
   session. Its metadata is fresh (participant ``B01``..``B20``, a start time one day apart,
   notes naming the tiling), so its file content and therefore its session id (SHA-256 of
   the bytes) differ from every other recording.

The signal is thus real simulator output, but the same few sessions repeat: the analysis
work per hour is representative of a long recording with rests between sets (the analyzer is
causal and streams in 60 s chunks, so repetition gives it no shortcut), not of 200 different
people. Each run writes a fresh dataset; wall time includes the cluster start-up and writing
the dataset, not building the corpus or hashing the files (reported separately).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from imu.batch import BatchOptions, collect_jobs, run_batch
from imu.io.recording import Gap, Recording, write_recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

RATE_HZ = 52
DAY_S = 86_400.0
START_S = 1_704_733_200.0  # 2024-01-08 17:00 UTC


def build_corpus(out: Path, sessions: int, hours: float, distinct: int) -> list[Path]:
    bases = [
        simulate_session(
            SessionSpec(
                "reverse-crunch",
                tempo=parse_tempo("2-1-2"),
                reps=10,
                sets=3,
                sampling_rate_hz=RATE_HZ,
                seed=1000 + k,
                faults={"swing": 0.2, "dropped_eccentric": 0.1},
            )
        ).recording
        for k in range(distinct)
    ]
    n_target = round(hours * 3600 * RATE_HZ)
    paths: list[Path] = []
    for i in range(sessions):
        acc, gyr, gaps, order = [], [], [], []
        n = 0
        k = i % distinct
        while n < n_target:
            base = bases[k]
            acc.append(base.acc)
            gyr.append(base.gyr)
            gaps += [Gap(g.start + n, g.end + n, g.reason) for g in base.meta.gaps]
            order.append(str(1000 + k))
            n += base.n_samples
            k = (k + 1) % distinct
        gaps = [Gap(g.start, min(g.end, n_target), g.reason) for g in gaps if g.start < n_target]
        meta = replace(
            bases[0].meta,
            participant=f"B{i % 20 + 1:02d}",
            start_time_s=START_S + i * DAY_S,
            gaps=tuple(gaps),
            annotations=(),
            source="benchmark",
            notes={"benchmark": f"recording {i}: tiled simulator seeds {','.join(order)}"},
        )
        recording = Recording(np.vstack(acc)[:n_target], np.vstack(gyr)[:n_target], meta)
        paths.append(write_recording(recording, out / f"bench_{i:04d}.parquet"))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help="recordings [200]")
    parser.add_argument("--hours", type=float, default=1.0, help="length of each, h [1]")
    parser.add_argument("--distinct", type=int, default=4, help="simulated sessions tiled [4]")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="[1 2]")
    parser.add_argument("--workdir", type=Path, default=None, help="kept if given")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="imu-bench-"))
    corpus = workdir / "corpus"
    print(f"corpus: {args.sessions} recordings x {args.hours:g} h at {RATE_HZ} Hz, tiled from "
          f"{args.distinct} simulated reverse-crunch sessions (seeds 1000..{999 + args.distinct})"
          f", fresh metadata per recording; in {corpus}")
    print(f"machine: {os.cpu_count()} CPU(s) visible")
    t0 = time.perf_counter()
    build_corpus(corpus, args.sessions, args.hours, args.distinct)
    size_gb = sum(p.stat().st_size for p in corpus.glob("*.parquet")) / 1e9
    print(f"built corpus in {time.perf_counter() - t0:.1f} s ({size_gb:.2f} GB)")
    t0 = time.perf_counter()
    jobs = collect_jobs([corpus])
    print(f"hashed {len(jobs)} files (session ids) in {time.perf_counter() - t0:.1f} s")

    rates: dict[int, float] = {}
    for n in args.workers:
        dataset = workdir / f"dataset_w{n}"
        shutil.rmtree(dataset, ignore_errors=True)
        result = run_batch(jobs, dataset, BatchOptions(workers=n))
        rate = result.session_hours / (result.wall_s / 60.0)
        rates[n] = rate
        print(f"workers={n}: {result.analysed} sessions, {result.session_hours:.1f} session-hours, "
              f"{result.reps} reps, {len(result.failures)} failed, wall {result.wall_s:.1f} s "
              f"-> {rate:.1f} session-hours/min")
    if 1 in rates and 2 in rates:
        print(f"scaling 1 -> 2 workers: x{rates[2] / rates[1]:.2f} (ideal x2.00)")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
