"""Accuracy evaluation: generated sessions with ground truth, streamed, scored honestly.

Every session is drawn from its own seed (:mod:`imu.evaluate.config`): exercise case, tempo
(1-0-1 to 5-2-5), sampling rate (26-833 Hz), random sensor mounting and lever arm, sensor
noise, packet loss and faults mixed in. The analyzer is fed the recording as live data
arrives (20-sample chunks by default) and its reps are scored against the truth
(:mod:`imu.evaluate.scoring`): every detection counts, sets are scored as the analyzer numbered
them, labels per family, quantities by column name. Figures per case and overall
(:mod:`imu.evaluate.summary`), with the spread over held-out seed ranges
(:mod:`imu.evaluate.run`).

Ground truth comes from :mod:`imu.sim`, which never imports :mod:`imu.core`. Typical use::

    from imu.evaluate import EvalConfig, default_cases, evaluate, holdout_ranges
    from imu.evaluate import pendulum_supported

    cfg = EvalConfig(default_cases(pendulum_supported()), ranges=holdout_ranges())
    ev = evaluate(cfg, workers=2)
    ev.figures["counts"]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from imu.evaluate.config import (
    DEFAULT_CHUNK,
    FAULT_RATES,
    HOLDOUT_RANGES,
    HOLDOUT_SESSIONS,
    RATES_HZ,
    TUNING_SEEDS,
    Case,
    EvalConfig,
    EvalError,
    SeedRange,
    default_cases,
    holdout_ranges,
)

if TYPE_CHECKING:
    from imu.evaluate.run import Evaluation, evaluate, run_sessions
    from imu.evaluate.sessions import (
        AnalyzerFactory,
        SessionResult,
        Simulator,
        StreamingAnalyzer,
        evaluate_session,
        pendulum_supported,
        real_analyzer,
    )
    from imu.evaluate.summary import summarize, with_spread

_LAZY = {
    "Evaluation": "run", "evaluate": "run", "run_sessions": "run",
    "AnalyzerFactory": "sessions", "SessionResult": "sessions", "Simulator": "sessions",
    "StreamingAnalyzer": "sessions", "evaluate_session": "sessions",
    "pendulum_supported": "sessions", "real_analyzer": "sessions",
    "summarize": "summary", "with_spread": "summary",
}
"""Names whose modules import numpy, pandas, the simulator and the analyzer: loaded on first
use, so that ``imu --help`` (which reads :mod:`imu.evaluate.config`) stays fast."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'imu.evaluate' has no attribute {name!r}")
    return getattr(importlib.import_module(f"imu.evaluate.{module}"), name)


__all__ = [
    "DEFAULT_CHUNK",
    "FAULT_RATES",
    "HOLDOUT_RANGES",
    "HOLDOUT_SESSIONS",
    "RATES_HZ",
    "TUNING_SEEDS",
    "AnalyzerFactory",
    "Case",
    "EvalConfig",
    "EvalError",
    "Evaluation",
    "SeedRange",
    "SessionResult",
    "Simulator",
    "StreamingAnalyzer",
    "default_cases",
    "evaluate",
    "evaluate_session",
    "holdout_ranges",
    "pendulum_supported",
    "real_analyzer",
    "run_sessions",
    "summarize",
    "with_spread",
]
