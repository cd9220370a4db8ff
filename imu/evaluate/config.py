"""What an evaluation generates: cases, draws, seed ranges, and the checked configuration.

Light on imports on purpose (no numpy, no simulator): the CLI reads these constants to build
its ``--help`` and to check arguments before any work starts.

Seeds
-----
Every session is one ``(case, seed)``: the case (an exercise, or a variant such as the hanging
leg raise with a swinging body) and an integer seed from which everything random in the
session derives (:func:`imu.evaluate.sessions.session_rng`). The same seed gives unrelated
sessions for different cases, and adding a case never changes another case's sessions.

- **Tuning seeds** 0-999 (:data:`TUNING_SEEDS`): tune and explore on these; ad-hoc runs
  (``imu eval`` without ``--holdout``) default to them.
- **Held-out seeds** (:data:`HOLDOUT_RANGES`): five ranges of 100 seeds, 125000-125099,
  125100-125199, 125200-125299, 125300-125399, 125400-125499, fixed before any figure was
  looked at. They are the thirty-sixth held-out set: the earlier ones
  (:data:`SEEN_HOLDOUT_RANGES`, 90000-90499 to 124000-124499, one per thousand) were each
  reported once and their figures then read while the analyzer changed, so they no longer
  hold anything out.
  ``imu eval --holdout`` uses the first :data:`HOLDOUT_SESSIONS` seeds of each range for
  every case and reports every figure pooled over the five ranges with its spread (min-max of
  the figure computed on each range alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from imu.errors import ImuError
from imu.tempo import Tempo


class EvalError(ImuError):
    """An evaluation asked for something that cannot be run (bad rate, range, output...)."""


TUNING_SEEDS = range(0, 1000)
"""Seeds to tune on; ad-hoc evaluations start at 0."""

HOLDOUT_RANGES: tuple[range, ...] = tuple(
    range(s, s + 100) for s in range(125000, 125500, 100)
)
"""The five held-out seed ranges (100 seeds each), fixed in advance: report, never tune."""

SEEN_HOLDOUT_RANGES: tuple[range, ...] = tuple(
    range(s, s + 100) for first in range(90000, 125000, 1000)
    for s in range(first, first + 500, 100)
)
"""The earlier held-out sets, each reported once and seen since: for neither tuning nor
reporting."""

SECOND_GENERATOR_EXERCISES: tuple[str, ...] = (
    "reverse-crunch", "reverse-hip-raise", "pelvic-tilt", "hanging-leg-raise", "plank",
    "leg-raise", "dead-bug",
)
"""Exercises the second generator (:mod:`imu.evaluate.second`, ``imu eval --generator second``)
makes; named here so that the CLI need not import it. The hanging leg raise comes as both of
its cases, the body still and swinging (``SessionSpec.body_pendulum``); the plank's sessions
are drawn as ``imu eval`` draws them (2-3 holds per set, ``SessionSpec.hold_s`` 30-60 s)."""

HOLDOUT_SESSIONS = 10
"""Sessions per case per held-out range in ``imu eval --holdout`` (seeds start..start+9).

10 cases x 10 seeds x 5 ranges = 500 sessions, streamed in 20-sample chunks: measured 402
CPU-s, 4.3 min wall with 2 workers on 2 shared cores (up to 17 min under heavy load).
"""

DEFAULT_CHUNK = 20
"""Samples per :meth:`~imu.core.RepAnalyzer.update` call: live data arrives in small chunks."""

RATES_HZ: tuple[int, ...] = (26, 52, 104, 208, 416, 833)
"""Sampling rates drawn from (the sensor's output data rates), Hz."""

TEMPOS: tuple[Tempo, ...] = (
    Tempo(1, 0, 1),
    Tempo(2, 0, 2),
    Tempo(2, 1, 2),
    Tempo(3, 1, 3),
    Tempo(4, 1, 4),
    Tempo(5, 2, 5),
)
"""Prescriptions drawn from (up-hold-down, s)."""

HOLD_TEMPOS: dict[str, tuple[Tempo, ...]] = {
    "pelvic-tilt": (Tempo(2, 5, 2), Tempo(1, 4, 1), Tempo(3, 6, 3)),
}
"""Exercises whose prescription is a long hold draw from these instead of :data:`TEMPOS`."""

HOLD_EXERCISES = ("plank",)
"""Static holds: the simulator draws the hold time itself; each rep is one hold."""

PACKET_LOSS: tuple[float, ...] = (0.0, 0.0, 0.02, 0.05)
"""Frame-loss probabilities drawn from."""

FAULT_RATES: dict[str, dict[str, float]] = {
    "reverse-crunch": {
        "swing": 0.15, "dropped_eccentric": 0.15, "partial_rom": 0.1, "short_hold": 0.1,
    },
    "leg-raise": {"swing": 0.1, "dropped_eccentric": 0.1, "back_arch": 0.2},
    "hanging-leg-raise": {
        "swing": 0.15,
        "dropped_eccentric": 0.1,
        "partial_rom": 0.1,
        "body_swing": 0.15,
        "short_hold": 0.1,
    },
    "dead-bug": {"back_arch": 0.15, "hips_rotating": 0.15},
    "bird-dog": {"hips_rotating": 0.2},
    "reverse-hip-raise": {
        "swing": 0.15,
        "dropped_eccentric": 0.1,
        "over_extension": 0.1,
        "partial_rom": 0.1,
        "short_hold": 0.1,
    },
    "pelvic-tilt": {"short_hold": 0.2, "partial_rom": 0.1},
    "standing-curl": {"swing": 0.5},
    "plank": {"hips_sagging": 0.2, "hips_piking": 0.2, "shaking": 0.2},
}
"""Per-rep probability of each fault, per simulator exercise (only those the simulator
knows for the exercise are passed on; ``short_hold`` only where the tempo prescribes a top
hold of 1 s or more, as its definition needs)."""

SIM_TO_PROFILE = {"standing-curl": "standing-strict"}
"""Simulator exercises analysed with a differently named profile."""

PENDULUM_SUFFIX = "+pendulum"
"""Case-name suffix of the hanging leg raise with a swinging body (``body_pendulum``)."""


@dataclass(frozen=True)
class Case:
    """One row of the evaluation: a simulator exercise and how its sessions are drawn.

    Attributes:
        name: row name in the figures (the exercise, or e.g. ``hanging-leg-raise+pendulum``).
        exercise: simulator exercise (:data:`imu.sim.EXERCISES`).
        profile: analyzer profile name (:func:`imu.exercises.get_profile`).
        body_pendulum: hanging sessions with a swinging body (``SessionSpec.body_pendulum``);
            None for exercises where it does not apply or the simulator has no such field.

    """

    name: str
    exercise: str
    profile: str
    body_pendulum: bool | None = None


def default_cases(pendulum_supported: bool) -> tuple[Case, ...]:
    """Every case: one per simulated exercise.

    The hanging leg raise comes twice when the simulator can swing the body (without and with
    ``body_pendulum``).
    """
    cases: list[Case] = []
    for ex in FAULT_RATES:
        profile = SIM_TO_PROFILE.get(ex, ex)
        if ex == "hanging-leg-raise" and pendulum_supported:
            cases.append(Case(ex, ex, profile, body_pendulum=False))
            cases.append(Case(ex + PENDULUM_SUFFIX, ex, profile, body_pendulum=True))
        else:
            cases.append(Case(ex, ex, profile))
    return tuple(cases)


def case_names() -> tuple[str, ...]:
    """Names accepted by ``--exercises`` (both hanging variants are always accepted)."""
    names: list[str] = []
    for ex in FAULT_RATES:
        names.append(ex)
        if ex == "hanging-leg-raise":
            names.append(ex + PENDULUM_SUFFIX)
    return tuple(names)


@dataclass(frozen=True)
class SeedRange:
    """Consecutive seeds ``start .. start + sessions - 1``, used for every case.

    Attributes:
        start: first seed.
        sessions: sessions per case (>= 1).
        label: name of the range in the figures (e.g. ``102000-102009``).

    """

    start: int
    sessions: int

    @property
    def seeds(self) -> range:
        """The seeds of the range."""
        return range(self.start, self.start + self.sessions)

    @property
    def label(self) -> str:
        """``first-last`` seed."""
        return f"{self.start}-{self.start + self.sessions - 1}"


def holdout_ranges(sessions: int = HOLDOUT_SESSIONS) -> tuple[SeedRange, ...]:
    """The held-out ranges, first ``sessions`` seeds of each (at most 100)."""
    if not 1 <= sessions <= 100:
        raise EvalError(
            f"held-out sessions per range must be 1-100 (each range has 100 seeds), got {sessions}"
        )
    return tuple(SeedRange(r.start, sessions) for r in HOLDOUT_RANGES)


def touches_holdout(ranges: tuple[SeedRange, ...]) -> bool:
    """Whether any seed of ``ranges`` is a held-out seed (of either held-out set)."""
    spans = [(h.start, h.stop) for h in (*HOLDOUT_RANGES, *SEEN_HOLDOUT_RANGES)]
    return any(r.start < hi and r.start + r.sessions > lo for r in ranges for lo, hi in spans)


@dataclass(frozen=True)
class EvalConfig:
    """What to generate and how to feed the analyzer. Checked on construction.

    Attributes:
        cases: the rows (:func:`default_cases`).
        ranges: seed ranges; each is run for every case and gets its own figures (spread).
        chunk: samples per ``update`` call (``0``: the whole recording in one call).
        sets: sets per session.
        reps: (min, max) reps per set, drawn per session.
        hold_reps: (min, max) holds per set for static holds (plank: 30-60 s each).
        rest_s: rest between sets, s (longer than the analyzer's set rest of 15 s).
        rates_hz: sampling rates drawn from, Hz (each one of :data:`RATES_HZ`).
        max_rate_hz: highest rate drawn, Hz (quick runs); at least the lowest rate.

    Raises:
        EvalError: a value that cannot be run; the message names it and the allowed values.

    """

    cases: tuple[Case, ...]
    ranges: tuple[SeedRange, ...] = (SeedRange(TUNING_SEEDS.start, 6),)
    chunk: int = DEFAULT_CHUNK
    sets: int = 2
    reps: tuple[int, int] = (6, 10)
    hold_reps: tuple[int, int] = (2, 3)
    rest_s: float = 20.0
    rates_hz: tuple[int, ...] = RATES_HZ
    max_rate_hz: int = field(default=max(RATES_HZ))

    def __post_init__(self) -> None:
        allowed = ", ".join(str(r) for r in RATES_HZ)
        bad = [r for r in self.rates_hz if r not in RATES_HZ]
        if bad or not self.rates_hz:
            raise EvalError(f"rates {bad or '(none)'} Hz: each rate must be one of {allowed} Hz")
        if not self.drawn_rates_hz:
            raise EvalError(
                f"--max-rate {self.max_rate_hz} Hz leaves no rate to draw: the rates are "
                f"{allowed} Hz; give one of them (or more)"
            )
        if self.chunk < 0:
            raise EvalError(f"chunk must be >= 0 samples (0: one chunk), got {self.chunk}")
        if not self.cases:
            raise EvalError("no case to evaluate; give at least one exercise")
        if not self.ranges or any(r.sessions < 1 or r.start < 0 for r in self.ranges):
            raise EvalError(
                "every seed range needs a seed >= 0 and at least 1 session, got "
                + ", ".join(f"start {r.start} sessions {r.sessions}" for r in self.ranges)
            )
        if self.sets < 1 or not 1 <= self.reps[0] <= self.reps[1]:
            raise EvalError(f"need sets >= 1 and 1 <= min reps <= max reps, got "
                            f"{self.sets} sets of {self.reps[0]}-{self.reps[1]} reps")

    @property
    def drawn_rates_hz(self) -> tuple[int, ...]:
        """The rates actually drawn from (``rates_hz`` up to ``max_rate_hz``), Hz."""
        return tuple(r for r in self.rates_hz if r <= self.max_rate_hz)

    @property
    def n_sessions(self) -> int:
        """Sessions in the whole evaluation."""
        return len(self.cases) * sum(r.sessions for r in self.ranges)
