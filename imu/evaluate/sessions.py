"""One evaluation session: draw it, simulate it, stream it through the analyzer, score it.

The analyzer and the simulator are injected (:data:`AnalyzerFactory`, :data:`Simulator`), so
tests can plug in fakes exactly where the real :class:`imu.core.RepAnalyzer` and
:func:`imu.sim.simulate_session` go. Ground truth comes from :mod:`imu.sim`, which never
imports :mod:`imu.core`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from imu.core import AnalyzerParams, Rep, RepAnalyzer
from imu.evaluate.config import (
    FAULT_RATES,
    HOLD_EXERCISES,
    HOLD_TEMPOS,
    PACKET_LOSS,
    TEMPOS,
    Case,
    EvalConfig,
    EvalError,
)
from imu.evaluate.scoring import (
    LABELS,
    match_reps,
    normalize_found,
    pairs_table,
    score_sets,
    session_summary,
)
from imu.exercises import ExerciseProfile, get_profile
from imu.report.tables import reps_table
from imu.sim import EXERCISE_MODELS, SessionSpec, simulate_session
from imu.sim.definitions import MIN_PRESCRIBED_HOLD_S
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]


class StreamingAnalyzer(Protocol):
    """What the evaluator needs of an analyzer (:class:`imu.core.RepAnalyzer` is one)."""

    def update(self, acc: FloatArray, gyr: FloatArray) -> Sequence[Rep]:
        """Feed samples, shapes (m, 3) m/s^2 and rad/s; returns the reps completed by them."""
        ...

    def finish(self) -> Sequence[Rep]:
        """End of the stream; returns the last reps."""
        ...


AnalyzerFactory = Callable[[ExerciseProfile, float, Tempo], StreamingAnalyzer]
"""``(profile, sampling_rate_hz, prescribed tempo) -> a fresh analyzer`` per session."""


class _Recording(Protocol):
    @property
    def acc(self) -> FloatArray: ...

    @property
    def gyr(self) -> FloatArray: ...

    @property
    def sampling_rate_hz(self) -> float: ...


class SimulatedLike(Protocol):
    """What the evaluator needs of a simulated session (:class:`imu.sim.SimulatedSession`)."""

    @property
    def recording(self) -> _Recording: ...

    @property
    def truth(self) -> pd.DataFrame: ...


Simulator = Callable[[SessionSpec], SimulatedLike]
"""``spec -> simulated session with truth`` (:func:`imu.sim.simulate_session`)."""


def real_analyzer(profile: ExerciseProfile, sampling_rate_hz: float,
                  tempo: Tempo) -> StreamingAnalyzer:
    """The analyzer under evaluation: :class:`imu.core.RepAnalyzer` with default parameters."""
    return RepAnalyzer(profile, sampling_rate_hz, tempo, AnalyzerParams())


def pendulum_supported() -> bool:
    """Whether the simulator can swing a hanging body (``SessionSpec.body_pendulum``)."""
    return "body_pendulum" in {f.name for f in dataclasses.fields(SessionSpec)}


def session_rng(case: Case, seed: int) -> np.random.Generator:
    """The generator every draw of session ``(case, seed)`` comes from.

    Seeded by the seed and a stable hash of the case name (CRC-32), so the same seed gives
    unrelated sessions for different cases, on every machine and Python run.
    """
    return np.random.default_rng([seed, zlib.crc32(case.name.encode())])


def draw_spec(case: Case, seed: int, cfg: EvalConfig) -> tuple[SessionSpec, Tempo]:
    """The session spec of ``(case, seed)`` and the tempo prescribed to the analyzer.

    Draws (uniform): tempo from :data:`TEMPOS` (or :data:`HOLD_TEMPOS`), sampling rate from
    ``cfg.drawn_rates_hz``, packet loss from :data:`PACKET_LOSS`, reps per set from
    ``cfg.reps`` (holds: ``cfg.hold_reps``, each 30-60 s), and the simulator's own seed.
    Fault rates are :data:`FAULT_RATES`, limited to the faults the simulator knows for the
    exercise (both hanging rows keep the per-rep ``body_swing`` fault; ``body_pendulum`` adds
    a body that swings through the whole session).

    Raises:
        EvalError: the case needs a simulator feature that is missing.

    """
    rng = session_rng(case, seed)
    tempos = HOLD_TEMPOS.get(case.exercise, TEMPOS)
    tempo = tempos[int(rng.integers(len(tempos)))]
    rates = cfg.drawn_rates_hz
    rate = int(rates[int(rng.integers(len(rates)))])
    loss = float(PACKET_LOSS[int(rng.integers(len(PACKET_LOSS)))])
    hold = case.exercise in HOLD_EXERCISES
    lo, hi = cfg.hold_reps if hold else cfg.reps
    reps = int(rng.integers(lo, hi + 1))
    hold_s = float(rng.uniform(30.0, 60.0))
    sim_seed = int(rng.integers(2**31 - 1))
    known = EXERCISE_MODELS[case.exercise].faults
    faults = {k: v for k, v in FAULT_RATES.get(case.exercise, {}).items() if k in known}
    if not hold and tempo.top_hold_s < MIN_PRESCRIBED_HOLD_S:
        faults.pop("short_hold", None)  # the label needs a prescribed hold of 1 s or more
    extra: dict[str, Any] = {}
    if case.body_pendulum is not None:
        if not pendulum_supported():
            raise EvalError(
                f"case {case.name}: the simulator has no SessionSpec.body_pendulum yet; "
                "evaluate hanging-leg-raise instead"
            )
        extra["body_pendulum"] = case.body_pendulum
    spec = SessionSpec(
        case.exercise,
        tempo=None if hold else tempo,
        reps=reps,
        sets=cfg.sets,
        rest_s=cfg.rest_s,
        sampling_rate_hz=rate,
        seed=sim_seed,
        faults=faults,
        packet_loss=loss,
        hold_s=hold_s,
        **extra,
    )
    return spec, tempo


def stream_reps(analyzer: StreamingAnalyzer, acc: FloatArray, gyr: FloatArray,
                chunk: int, into: list[Rep] | None = None) -> list[Rep]:
    """Feed the samples as live data arrives; returns every rep the analyzer reported.

    Args:
        analyzer: a fresh analyzer.
        acc: shape (n, 3), m/s^2 (NaN in lost frames).
        gyr: shape (n, 3), rad/s (NaN in lost frames).
        chunk: samples per :meth:`StreamingAnalyzer.update` call; 0 = one call.
        into: list the reps are appended to as they come (kept if the analyzer raises).

    Returns:
        The reps returned by the ``update`` calls and ``finish``, in the order reported.

    """
    n = len(acc)
    step = n if chunk <= 0 else chunk
    reps: list[Rep] = [] if into is None else into
    for i in range(0, n, max(step, 1)):
        reps.extend(analyzer.update(acc[i:i + step], gyr[i:i + step]))
    reps.extend(analyzer.finish())
    return reps


@dataclass(frozen=True)
class SessionResult:
    """One scored session.

    Attributes:
        case: case name (figure row).
        seed: session seed (with ``case`` it reproduces the session).
        seed_range: label of the seed range it belongs to.
        spec: the simulator spec (summary columns in ``session``).
        pairs: :func:`imu.evaluate.scoring.pairs_table`, one row per matched, missed or extra rep.
        sets: :func:`imu.evaluate.scoring.score_sets`, one row per truth set and extra set.
        session: :func:`imu.evaluate.scoring.session_summary` plus the draws, the number of
            samples and the time spent simulating and analysing (``simulate_s``,
            ``analyze_s``, s of wall time).
        labels: labels that apply to the profile (``swing`` and its faults).
        by_construction: labels true of every found rep by the profile's design (standing
            strict lifts: ``swing``); their F1 is not reported, only their counts.
        error: ``""``, or what went wrong: ``simulator: ...`` (the session has no truth and
            is left out of every figure but the failure count) or ``analyzer: ...`` (the
            analyzer raised; the reps it reported before count, the rest are missed).

    """

    case: str
    seed: int
    seed_range: str
    pairs: pd.DataFrame
    sets: pd.DataFrame
    session: dict[str, object]
    labels: tuple[str, ...]
    by_construction: tuple[str, ...]
    error: str = ""

    @property
    def scored(self) -> bool:
        """Whether the session has truth to score against (the simulator did not fail)."""
        return not self.error.startswith("simulator:")


def evaluate_session(
    case: Case,
    seed: int,
    cfg: EvalConfig,
    seed_range: str = "",
    analyzer_factory: AnalyzerFactory = real_analyzer,
    simulator: Simulator = simulate_session,
) -> SessionResult:
    """Generate one session, stream it through a fresh analyzer and score the found reps.

    Args:
        case: what to generate and which profile analyses it.
        seed: session seed.
        cfg: draws and chunk size.
        seed_range: label of the seed range (for the spread over ranges).
        analyzer_factory: makes the analyzer (the real one by default).
        simulator: makes the session and its truth (:func:`imu.sim.simulate_session`).

    """
    spec, tempo = draw_spec(case, seed, cfg)
    profile = get_profile(case.profile)
    if profile.isometric:
        tempo = profile.default_tempo
    labels = tuple(lab for lab in LABELS
                   if (lab == "swing" and not profile.isometric) or lab in profile.faults)
    by_construction = ("swing",) if getattr(profile, "every_rep_is_swing", False) else ()
    info: dict[str, object] = {
        "case": case.name, "seed": seed, "seed_range": seed_range, "sim_seed": spec.seed,
        "tempo": str(tempo), "rate_hz": spec.sampling_rate_hz,
        "packet_loss": spec.packet_loss, "chunk": cfg.chunk,
    }
    t0 = time.perf_counter()
    try:
        sim = simulator(spec)
    except Exception as exc:  # a simulator bug must not cost the other sessions
        error = f"simulator: {type(exc).__name__}: {exc}"
        logger.warning("session %s seed %d: %s", case.name, seed, error)
        logger.debug("the simulator failed", exc_info=True)
        return SessionResult(case.name, seed, seed_range, pd.DataFrame(), pd.DataFrame(),
                             {**info, "error": error}, labels, by_construction, error)
    rec = sim.recording
    t1 = time.perf_counter()
    reps: list[Rep] = []
    error = ""
    try:
        analyzer = analyzer_factory(profile, float(rec.sampling_rate_hz), tempo)
        stream_reps(analyzer, rec.acc, rec.gyr, cfg.chunk, into=reps)
    except Exception as exc:  # scored as what it reported before failing; the rest is missed
        error = f"analyzer: {type(exc).__name__}: {exc}"
        logger.warning("session %s seed %d: %s", case.name, seed, error)
        logger.debug("the analyzer failed", exc_info=True)
    t2 = time.perf_counter()
    found = normalize_found(reps_table(reps), hold=profile.isometric)
    truth = sim.truth.reset_index(drop=True)
    if by_construction:
        # A strict rep does not move the pelvis: only hip-driven reps can be seen, and every
        # rep found is a swing by design.
        truth = truth[truth["swing"].astype(bool)].reset_index(drop=True)
    matches = match_reps(truth, found)
    pairs = pairs_table(truth, found, matches)
    sets = score_sets(truth, found, matches)
    session = {**info, **session_summary(truth, found, pairs, sets), "samples": len(rec.acc),
               "simulate_s": t1 - t0, "analyze_s": t2 - t1, "error": error}
    return SessionResult(case.name, seed, seed_range, pairs, sets, session, labels,
                         by_construction, error)


__all__ = [
    "AnalyzerFactory",
    "SessionResult",
    "Simulator",
    "StreamingAnalyzer",
    "draw_spec",
    "evaluate_session",
    "pendulum_supported",
    "real_analyzer",
    "session_rng",
    "stream_reps",
]
