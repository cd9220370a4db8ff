"""Running an evaluation: every ``(case, seed)`` of every seed range, in processes, then figures."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import pandas as pd

from imu.evaluate.config import Case, EvalConfig, EvalError
from imu.evaluate.sessions import (
    AnalyzerFactory,
    SessionResult,
    Simulator,
    evaluate_session,
    real_analyzer,
)
from imu.evaluate.summary import summarize, with_spread
from imu.sim import simulate_session

logger = logging.getLogger(__name__)

Job = tuple[Case, int, str]
"""``(case, seed, seed-range label)`` of one session."""


def session_jobs(cfg: EvalConfig) -> list[Job]:
    """Every session of the evaluation, range by range, case by case, seed by seed."""
    return [(case, seed, rng.label) for rng in cfg.ranges for case in cfg.cases
            for seed in rng.seeds]


def run_sessions(
    cfg: EvalConfig,
    analyzer_factory: AnalyzerFactory = real_analyzer,
    simulator: Simulator = simulate_session,
    workers: int = 1,
    progress: Callable[[SessionResult], None] | None = None,
) -> list[SessionResult]:
    """Evaluate every session of ``cfg``; results in :func:`session_jobs` order.

    Args:
        cfg: what to run.
        analyzer_factory: makes the analyzer of each session (must be picklable, i.e. a
            module-level function or class, when ``workers > 1``).
        simulator: makes each session and its truth (same constraint).
        workers: processes (sessions are independent); 1 runs in this process.
        progress: called after each session.

    """
    if workers < 1:
        raise EvalError(f"workers must be at least 1, got {workers}")
    jobs = session_jobs(cfg)
    if workers == 1:
        results = []
        for case, seed, label in jobs:
            res = evaluate_session(case, seed, cfg, label, analyzer_factory, simulator)
            results.append(res)
            if progress:
                progress(res)
        return results
    done: dict[int, SessionResult] = {}
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        futures = {
            pool.submit(evaluate_session, case, seed, cfg, label, analyzer_factory,
                        simulator): k
            for k, (case, seed, label) in enumerate(jobs)
        }
        for fut in as_completed(futures):
            res = fut.result()
            done[futures[fut]] = res
            if progress:
                progress(res)
    except BaseException:
        # An error or Ctrl-C: drop the queued sessions instead of running them all first.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [done[k] for k in range(len(jobs))]


@dataclass(frozen=True)
class Evaluation:
    """A finished evaluation.

    Attributes:
        config: what was run.
        results: every session.
        figures: :func:`imu.evaluate.summary.summarize` of all sessions, with the spread over
            the seed ranges when there are several (:func:`~imu.evaluate.summary.with_spread`).
        wall_s: wall time of the sessions and the figures, s.
        workers: processes used.

    """

    config: EvalConfig
    results: list[SessionResult]
    figures: dict[str, pd.DataFrame]
    wall_s: float
    workers: int

    def raw_tables(self) -> dict[str, pd.DataFrame]:
        """Per-session, per-set and per-rep tables of every session (for CSV)."""
        sessions = pd.DataFrame([r.session for r in self.results])
        sets = pd.concat(
            [r.sets.assign(case=r.case, seed=r.seed, seed_range=r.seed_range)
             for r in self.results], ignore_index=True)
        pairs = pd.concat(
            [r.pairs.assign(case=r.case, seed=r.seed, seed_range=r.seed_range)
             for r in self.results], ignore_index=True)
        return {"sessions": sessions, "sets": sets, "pairs": pairs}


def figures_of(results: list[SessionResult], cfg: EvalConfig) -> dict[str, pd.DataFrame]:
    """Pooled figures, with the spread over ``cfg.ranges`` when there are several."""
    pooled = summarize(results)
    if len(cfg.ranges) < 2:
        return pooled
    per_range = [summarize([r for r in results if r.seed_range == rng.label])
                 for rng in cfg.ranges]
    return with_spread(pooled, per_range)


def evaluate(
    cfg: EvalConfig,
    analyzer_factory: AnalyzerFactory = real_analyzer,
    simulator: Simulator = simulate_session,
    workers: int = 1,
    progress: Callable[[SessionResult], None] | None = None,
) -> Evaluation:
    """Run every session of ``cfg`` and compute the figures (arguments as :func:`run_sessions`)."""
    t0 = time.perf_counter()
    results = run_sessions(cfg, analyzer_factory, simulator, workers, progress)
    figures = figures_of(results, cfg)
    return Evaluation(cfg, results, figures, time.perf_counter() - t0, workers)


__all__ = ["Evaluation", "evaluate", "figures_of", "run_sessions", "session_jobs"]
