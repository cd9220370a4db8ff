"""Accuracy evaluation: generated sessions with ground truth, analysed, compared.

Every session is drawn with its own seed from a documented base seed: exercise, tempo
(1-0-1 to 5-2-5), sampling rate (26-833 Hz), random sensor mounting and lever arm, sensor
noise, packet loss and faults mixed in. The analyzer runs on the recording exactly as a user
would run it (``--exercise`` and ``--tempo`` given), and its reps are matched to the truth reps
by time overlap. Figures per exercise and overall:

- share of sets with the exact rep count, and rep-count mean absolute error per set;
- median and 90th percentile absolute error of onset and of each phase duration (ms);
- median and 90th percentile absolute ROM error (degrees);
- precision, recall and F1 of ``swing`` and of each fault (a missed truth rep counts as a
  missed positive, a detection with no truth rep as a false positive).

Ground truth comes from :mod:`imu.sim`, which never imports :mod:`imu.core`.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from imu.core import AnalyzerParams, Rep, analyze_arrays
from imu.exercises import FAULTS, get_profile
from imu.sim import SessionSpec, simulate_session
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

SIM_TO_PROFILE = {"standing-curl": "standing-strict"}
"""Simulator exercise names that analyse with a differently named profile."""

TEMPOS = (
    Tempo(1, 0, 1),
    Tempo(2, 0, 2),
    Tempo(2, 1, 2),
    Tempo(3, 1, 3),
    Tempo(4, 1, 4),
    Tempo(5, 2, 5),
)
RATES_HZ = (26, 52, 104, 208, 416, 833)
PACKET_LOSS = (0.0, 0.0, 0.02, 0.05)
PHASES = ("start_s", "concentric_s", "top_hold_s", "eccentric_s", "bottom_pause_s")
"""Phase errors reported; for holds (plank) only the onset and the hold (top hold) apply."""
LABELS = ("swing", *FAULTS)

FAULT_RATES: dict[str, dict[str, float]] = {
    "reverse-crunch": {"swing": 0.15, "dropped_eccentric": 0.15, "partial_rom": 0.1},
    "leg-raise": {"swing": 0.1, "dropped_eccentric": 0.1, "back_arch": 0.2},
    "hanging-leg-raise": {
        "swing": 0.15,
        "dropped_eccentric": 0.1,
        "partial_rom": 0.1,
        "body_swing": 0.15,
    },
    "dead-bug": {"back_arch": 0.15, "hips_rotating": 0.15},
    "bird-dog": {"hips_rotating": 0.2},
    "reverse-hip-raise": {
        "swing": 0.15,
        "dropped_eccentric": 0.1,
        "over_extension": 0.1,
        "partial_rom": 0.1,
    },
    "pelvic-tilt": {"short_hold": 0.2, "partial_rom": 0.1},
    "standing-curl": {"swing": 0.5},
    "plank": {"hips_sagging": 0.2, "hips_piking": 0.2, "shaking": 0.2},
}
"""Fault rates per rep used by the evaluation, per simulator exercise."""

HOLD_EXERCISES = ("plank",)
"""Static holds: the simulator draws the hold time itself; reps are holds."""

HOLD_TEMPOS = {"pelvic-tilt": (Tempo(2, 5, 2), Tempo(1, 4, 1), Tempo(3, 6, 3))}
"""Exercises whose prescription is a long hold use these tempos instead of :data:`TEMPOS`."""


@dataclass(frozen=True)
class EvalConfig:
    """What to generate.

    Attributes:
        exercises: simulator exercise names.
        sessions_per_exercise: sessions generated per exercise.
        seed: base seed; session k uses ``seed + k``. Fresh (random) unless given.
        sets: sets per session.
        reps: (min, max) reps per set, drawn per session.
        rest_s: rest between sets, seconds (short, to keep evaluation fast).
        rates_hz: sampling rates drawn from.
        max_rate_hz: cap on the drawn rate (for quick runs).

    """

    exercises: tuple[str, ...] = tuple(FAULT_RATES)
    sessions_per_exercise: int = 6
    seed: int = field(default_factory=lambda: secrets.randbelow(1_000_000))
    sets: int = 2
    reps: tuple[int, int] = (6, 10)
    rest_s: float = 20.0
    rates_hz: tuple[int, ...] = RATES_HZ
    max_rate_hz: int = 833


@dataclass(frozen=True)
class SessionResult:
    """One evaluated session: its spec summary, matched rep pairs and per-set counts."""

    exercise: str
    seed: int
    tempo: str
    rate_hz: int
    packet_loss: float
    pairs: pd.DataFrame
    """One row per truth rep or detection: ``t_*`` truth and ``d_*`` detected columns."""
    counts: pd.DataFrame
    """One row per truth set: ``truth_reps``, ``found_reps``."""


def draw_spec(exercise: str, seed: int, cfg: EvalConfig) -> tuple[SessionSpec, Tempo]:
    """The session spec of evaluation session ``seed`` for ``exercise``."""
    rng = np.random.default_rng(seed)
    tempos = HOLD_TEMPOS.get(exercise, TEMPOS)
    tempo = tempos[int(rng.integers(len(tempos)))]
    rates = [r for r in cfg.rates_hz if r <= cfg.max_rate_hz]
    rate = int(rates[int(rng.integers(len(rates)))])
    loss = float(PACKET_LOSS[int(rng.integers(len(PACKET_LOSS)))])
    reps = int(rng.integers(cfg.reps[0], cfg.reps[1] + 1))
    spec = SessionSpec(
        exercise,
        tempo=None if exercise in HOLD_EXERCISES else tempo,
        reps=reps,
        sets=cfg.sets,
        rest_s=cfg.rest_s,
        sampling_rate_hz=rate,
        seed=seed,
        faults=FAULT_RATES.get(exercise, {}),
        packet_loss=loss,
    )
    return spec, tempo


def match_reps(truth: pd.DataFrame, found: Sequence[Rep], hold: bool = False) -> pd.DataFrame:
    """Pair truth reps with detected reps by overlap of ``[onset, eccentric end]``.

    Pairs are chosen greedily by intersection-over-union (at least 0.3), one to one. For
    holds (``hold=True``) the truth's onset is the start of the hold, so the detected hold
    start (end of getting into position) is compared with it.

    Returns:
        One row per pair, unmatched truth rep or unmatched detection, with ``t_`` and ``d_``
        columns for the phases, ROM and labels (NaN / False where absent).

    """
    t_iv = truth[["con_start_s", "ecc_end_s"]].to_numpy(dtype=float)
    d_iv = np.array([[r.con_start_s, r.ecc_end_s] for r in found]).reshape(-1, 2)
    cand: list[tuple[float, int, int]] = []
    for i, (a, b) in enumerate(t_iv):
        inter = np.minimum(b, d_iv[:, 1]) - np.maximum(a, d_iv[:, 0])
        union = np.maximum(b, d_iv[:, 1]) - np.minimum(a, d_iv[:, 0])
        iou = np.where(inter > 0, inter / np.maximum(union, 1e-9), 0.0)
        cand += [(float(iou[j]), i, int(j)) for j in np.flatnonzero(iou >= 0.3)]
    cand.sort(reverse=True)
    t_used: dict[int, int] = {}
    d_used: set[int] = set()
    for _, i, j in cand:
        if i not in t_used and j not in d_used:
            t_used[i] = j
            d_used.add(j)
    d_pause = _bottom_pauses(found)
    rows = []
    for i in range(len(truth)):
        match = t_used.get(i)
        rows.append({**_truth_row(truth.iloc[i]), **_found_row(found, d_pause, match, hold)})
    for j in range(len(found)):
        if j not in d_used:
            rows.append({**_truth_row(None), **_found_row(found, d_pause, j, hold)})
    return pd.DataFrame(rows)


def _bottom_pauses(found: Sequence[Rep]) -> list[float]:
    out = []
    for k, r in enumerate(found):
        nxt = found[k + 1] if k + 1 < len(found) else None
        out.append(nxt.con_start_s - r.ecc_end_s if nxt and nxt.set == r.set else math.nan)
    return out


def _truth_row(t: pd.Series | None) -> dict[str, object]:
    row: dict[str, object] = {"t_set": t["set"] if t is not None else -1}
    names = {"start_s": "con_start_s"}
    for ph in (*PHASES, "rom_deg"):
        row[f"t_{ph}"] = float(t[names.get(ph, ph)]) if t is not None else math.nan
    for label in LABELS:
        row[f"t_{label}"] = bool(t[label]) if t is not None and label in t else False
    return row


def _found_row(
    found: Sequence[Rep], pauses: list[float], j: int | None, hold: bool = False
) -> dict[str, object]:
    r = found[j] if j is not None else None
    start = (r.con_end_s if hold else r.con_start_s) if r else math.nan
    row: dict[str, object] = {
        "d_start_s": start,
        "d_concentric_s": r.concentric_s if r else math.nan,
        "d_top_hold_s": r.top_hold_s if r else math.nan,
        "d_eccentric_s": r.eccentric_s if r else math.nan,
        "d_bottom_pause_s": pauses[j] if j is not None else math.nan,
        "d_rom_deg": r.rom_deg if r else math.nan,
        "d_swing": bool(r.swing) if r else False,
    }
    for fault in FAULTS:
        row[f"d_{fault}"] = bool(r and fault in r.faults)
    return row


def set_counts(truth: pd.DataFrame, found: Sequence[Rep]) -> pd.DataFrame:
    """Reps found inside each truth set's time span (widened by 3 s each side)."""
    rows = []
    starts = np.array([r.con_start_s for r in found])
    for set_no, grp in truth.groupby("set"):
        lo = grp["con_start_s"].min() - 3.0
        hi = grp["ecc_end_s"].max() + 3.0
        n = int(((starts >= lo) & (starts <= hi)).sum())
        rows.append({"set": set_no, "truth_reps": len(grp), "found_reps": n})
    return pd.DataFrame(rows)


def evaluate_session(exercise: str, seed: int, cfg: EvalConfig) -> SessionResult:
    """Generate, analyse and compare one session."""
    spec, tempo = draw_spec(exercise, seed, cfg)
    if exercise in HOLD_EXERCISES:
        tempo = get_profile(exercise).default_tempo
    sim = simulate_session(spec)
    rec = sim.recording
    profile = get_profile(SIM_TO_PROFILE.get(exercise, exercise))
    analyzer = analyze_arrays(
        rec.acc, rec.gyr, rec.sampling_rate_hz, profile, tempo, AnalyzerParams()
    )
    truth = sim.truth
    if profile.every_rep_is_swing:
        # Only hip-driven reps move the pelvis; a strict rep is invisible at the hip by design.
        truth = truth[truth["swing"]].reset_index(drop=True)
    return SessionResult(
        exercise=exercise,
        seed=seed,
        tempo=str(tempo),
        rate_hz=spec.sampling_rate_hz,
        packet_loss=spec.packet_loss,
        pairs=match_reps(truth, analyzer.reps_, hold=profile.isometric),
        counts=set_counts(truth, analyzer.reps_),
    )


def session_seeds(cfg: EvalConfig) -> list[tuple[str, int]]:
    """``(exercise, seed)`` of every session of an evaluation.

    Exercise ``e``, session ``k`` uses ``cfg.seed + 1000 * e + k``, so a figure can be
    reproduced from the base seed alone.
    """
    return [
        (exercise, cfg.seed + 1000 * e_idx + k)
        for e_idx, exercise in enumerate(cfg.exercises)
        for k in range(cfg.sessions_per_exercise)
    ]


def run_evaluation(
    cfg: EvalConfig, progress: Callable[[str], None] | None = None, workers: int = 1
) -> list[SessionResult]:
    """Evaluate ``cfg.sessions_per_exercise`` sessions of every exercise.

    Args:
        cfg: what to generate.
        progress: called with the exercise name after each session.
        workers: processes to use (sessions are independent).

    """
    jobs = session_seeds(cfg)
    results: list[SessionResult] = []
    if workers <= 1:
        for exercise, seed in jobs:
            results.append(evaluate_session(exercise, seed, cfg))
            if progress:
                progress(exercise)
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(evaluate_session, ex, seed, cfg) for ex, seed in jobs]
        for fut in futures:
            result = fut.result()
            results.append(result)
            if progress:
                progress(result.exercise)
    return results


def _prf(truth: pd.Series, found: pd.Series) -> tuple[float, float, float, int]:
    tp = int((truth & found).sum())
    fp = int((~truth & found).sum())
    fn = int((truth & ~found).sum())
    p = tp / (tp + fp) if tp + fp else math.nan
    r = tp / (tp + fn) if tp + fn else math.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan
    return p, r, f1, tp + fn


def summarize(results: Iterable[SessionResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accuracy figures per exercise and overall.

    Returns:
        ``(accuracy, labels)``: accuracy has one row per exercise plus ``overall`` with
        count and phase/ROM error figures (errors in ms and degrees); labels has one row per
        (exercise, label) with precision, recall, F1 and the number of truth positives.

    """
    results = list(results)
    by_ex: dict[str, list[SessionResult]] = {}
    for r in results:
        by_ex.setdefault(r.exercise, []).append(r)
    acc_rows = []
    label_rows = []
    groups = [*by_ex.items(), ("overall", results)]
    for name, group in groups:
        pairs = pd.concat([g.pairs for g in group], ignore_index=True)
        counts = pd.concat([g.counts for g in group], ignore_index=True)
        both = pairs[pairs["t_set"] >= 0].dropna(subset=["d_start_s"])
        row: dict[str, object] = {
            "exercise": name,
            "sessions": len(group),
            "sets": len(counts),
            "truth_reps": int((pairs["t_set"] >= 0).sum()),
            "found_reps": int(pairs["d_start_s"].notna().sum()),
            "exact_count_share": float((counts["truth_reps"] == counts["found_reps"]).mean()),
            "count_mae": float((counts["truth_reps"] - counts["found_reps"]).abs().mean()),
        }
        for ph in PHASES:
            err = (both[f"d_{ph}"] - both[f"t_{ph}"]).abs().dropna() * 1000.0
            row[f"{ph[:-2]}_median_ms"] = float(err.median()) if len(err) else math.nan
            row[f"{ph[:-2]}_p90_ms"] = float(err.quantile(0.9)) if len(err) else math.nan
        rom_err = (both["d_rom_deg"] - both["t_rom_deg"]).abs().dropna()
        row["rom_median_deg"] = float(rom_err.median()) if len(rom_err) else math.nan
        row["rom_p90_deg"] = float(rom_err.quantile(0.9)) if len(rom_err) else math.nan
        acc_rows.append(row)
        for label in LABELS:
            t, d = pairs[f"t_{label}"].astype(bool), pairs[f"d_{label}"].astype(bool)
            if not t.any() and not d.any():
                continue
            prec, rec, f1, n = _prf(t, d)
            label_rows.append(
                {"exercise": name, "label": label, "precision": prec, "recall": rec, "f1": f1,
                 "truth_positives": n}
            )
    return pd.DataFrame(acc_rows), pd.DataFrame(label_rows)
