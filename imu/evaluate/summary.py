"""Figures from scored sessions: counts, set boundaries, phase boundaries, quantities, labels.

Every figure is computed on the pooled sessions (all seed ranges together); with several seed
ranges each figure is also computed on each range alone and its spread (min and max over the
ranges) is added as ``<figure>_min`` / ``<figure>_max`` columns (:func:`with_spread`).

Tables (``exercise`` is the case name, ``overall`` pools every case):

- ``counts``, one row per case: sessions scored, ``failed`` (sessions where the simulator
  failed, left out, or the analyzer raised, scored on what it reported before), sets,
  reps (truth, found, matched, missed, extra),
  ``set_count_exact`` (share of sets, extra found sets included, whose found count equals the
  truth count), ``set_count_mae`` (mean absolute count error per set), ``session_count_exact``
  and ``session_count_mae`` (the same per session), ``set_boundaries_exact`` (share of truth
  sets whose boundaries the analyzer got right), ``session_sets_exact`` (share of sessions
  with every set right and no extra set);
- ``boundaries``, per case, family and phase boundary: absolute error of matched reps, median
  and 90th percentile, ms;
- ``quantities``, per case, family and shared quantity column: absolute error of matched reps,
  median and 90th percentile, in the unit given (durations in ms);
- ``labels``, per case, family and label: truth and found positives, TP/FP/FN, precision,
  recall, F1 (NaN where undefined: no positive in truth nor analyzer), and a ``note`` for
  figures dropped because they are true by construction.

Families: ``all`` pools every rep of the case, extra reps included; a family row (e.g.
``bell``) holds the truth reps of that family, matched or missed (an extra rep has no family).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from imu.core.metrics import UNCERTAIN_CONFIDENCE
from imu.evaluate.scoring import BOUNDARIES, LABELS, NO_FAMILY
from imu.evaluate.sessions import SessionResult

OVERALL = "overall"
"""Row name pooling every case."""

BY_CONSTRUCTION_NOTE = "true by construction: counts only"

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "counts": ("exercise",),
    "boundaries": ("exercise", "family", "boundary"),
    "quantities": ("exercise", "family", "quantity"),
    "labels": ("exercise", "family", "label"),
}
"""Key columns of each figure table (the rest are figures)."""

SPREAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "counts": ("set_count_exact", "set_count_mae", "session_count_exact", "session_count_mae",
               "set_boundaries_exact", "session_sets_exact", "wrong_sessions_flagged"),
    "boundaries": ("median_ms", "p90_ms"),
    "quantities": ("median", "p90"),
    "labels": ("precision", "recall", "f1"),
}
"""Figures of each table that get a spread over seed ranges (the others are tallies)."""


def unit_of(quantity: str) -> tuple[str, float]:
    """Display unit of a quantity column and the factor from its stored unit."""
    if quantity.endswith("_s"):
        return "ms", 1000.0
    if quantity.endswith("_deg"):
        return "deg", 1.0
    if quantity.endswith("_dps"):
        return "deg/s", 1.0
    if quantity == "swing_features":
        return "features", 1.0
    return "ratio", 1.0


def _median_p90(err: np.ndarray) -> tuple[int, float, float]:
    err = err[np.isfinite(err)]
    if not len(err):
        return 0, math.nan, math.nan
    return len(err), float(np.median(err)), float(np.quantile(err, 0.9))


def _prf(t: np.ndarray, d: np.ndarray) -> dict[str, float | int]:
    tp = int((t & d).sum())
    fp = int((~t & d).sum())
    fn = int((t & ~d).sum())
    return {
        "truth_positives": tp + fn,
        "found_positives": tp + fp,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else math.nan,
        "recall": tp / (tp + fn) if tp + fn else math.nan,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan,
    }


def _families(pairs: pd.DataFrame) -> list[str]:
    fams = sorted({str(f) for f in pairs["family"].unique() if f and f != NO_FAMILY})
    return [NO_FAMILY, *fams]


def _family_rows(pairs: pd.DataFrame, family: str) -> pd.DataFrame:
    return pairs if family == NO_FAMILY else pairs[pairs["family"] == family]


def summarize(results: Iterable[SessionResult]) -> dict[str, pd.DataFrame]:
    """The figure tables (module docstring) of the sessions given, pooled."""
    results = list(results)
    cases = list(dict.fromkeys(r.case for r in results))
    groups: list[tuple[str, list[SessionResult]]] = [
        (c, [r for r in results if r.case == c]) for c in cases
    ]
    if len(cases) > 1:
        groups.append((OVERALL, results))
    counts, bounds, quants, labels = [], [], [], []
    for name, everything in groups:
        group = [r for r in everything if r.scored]
        counts.append({**_counts_row(name, group),
                       "failed": sum(1 for r in everything if r.error)})
        if not group:
            continue
        pairs = pd.concat([_tagged(r) for r in group], ignore_index=True)
        matched = pairs[pairs["status"] == "matched"]
        for fam in _families(pairs):
            fm = _family_rows(matched, fam)
            for b in BOUNDARIES:
                n, med, p90 = _median_p90(_abs_err(fm, b) * 1000.0)
                bounds.append({"exercise": name, "family": fam, "boundary": b[:-2], "n": n,
                               "median_ms": med, "p90_ms": p90})
            for q in _quantities(pairs):
                unit, k = unit_of(q)
                n, med, p90 = _median_p90(_abs_err(fm, q) * k)
                if n:
                    quants.append({"exercise": name, "family": fam, "quantity": q,
                                   "unit": unit, "n": n, "median": med, "p90": p90})
        labels += _label_rows(name, group, pairs)
    return {
        "counts": pd.DataFrame(counts),
        "boundaries": pd.DataFrame(bounds, columns=[*TABLE_KEYS["boundaries"], "n",
                                                    "median_ms", "p90_ms"]),
        "quantities": pd.DataFrame(quants, columns=[*TABLE_KEYS["quantities"], "unit", "n",
                                                    "median", "p90"]),
        "labels": pd.DataFrame(labels, columns=[
            *TABLE_KEYS["labels"], "truth_positives", "found_positives", "tp", "fp", "fn",
            "precision", "recall", "f1", "note"]),
    }


def _tagged(r: SessionResult) -> pd.DataFrame:
    out = r.pairs.copy()
    out["case"] = r.case
    out["by_construction"] = [",".join(r.by_construction)] * len(out)
    return out


def _abs_err(pairs: pd.DataFrame, q: str) -> np.ndarray:
    if f"t_{q}" not in pairs or f"d_{q}" not in pairs:
        return np.empty(0)
    return np.abs(pairs[f"d_{q}"].to_numpy(dtype=float) - pairs[f"t_{q}"].to_numpy(dtype=float))


def _quantities(pairs: pd.DataFrame) -> list[str]:
    skip = set(BOUNDARIES) | set(LABELS) | {"set"}
    return [c[2:] for c in pairs.columns
            if c.startswith("t_") and c[2:] not in skip and f"d_{c[2:]}" in pairs]


def _counts_row(name: str, group: Sequence[SessionResult]) -> dict[str, object]:
    if not group:
        return {"exercise": name, "sessions": 0}
    sets = pd.concat([r.sets for r in group], ignore_index=True)
    sess = pd.DataFrame([r.session for r in group])
    truth_sets = sets[sets["truth_set"] > 0]
    set_err = (sets["found_reps"] - sets["truth_reps"]).abs()
    return {
        "exercise": name,
        "sessions": len(group),
        "truth_sets": len(truth_sets),
        "found_sets": int(sess["found_sets"].sum()),
        "truth_reps": int(sess["truth_reps"].sum()),
        "found_reps": int(sess["found_reps"].sum()),
        "matched": int(sess["matched"].sum()),
        "missed": int(sess["missed"].sum()),
        "extra": int(sess["extra"].sum()),
        "set_count_exact": float((set_err == 0).mean()) if len(sets) else math.nan,
        "set_count_mae": float(set_err.mean()) if len(sets) else math.nan,
        "session_count_exact": float((sess["count_error"] == 0).mean()),
        "session_count_mae": float(sess["count_error"].abs().mean()),
        "set_boundaries_exact": (float(truth_sets["boundaries_exact"].mean())
                                 if len(truth_sets) else math.nan),
        "session_sets_exact": float(sess["sets_exact"].mean()),
        **_confidence_figures(group),
    }


def _confidence_figures(group: Sequence[SessionResult]) -> dict[str, object]:
    """How well ``count_confidence`` warns of count errors (when the analyzer reports it).

    ``uncertain_reps``: found reps under :data:`UNCERTAIN_CONFIDENCE`; ``missed_before``:
    found reps marked as coming after a pause that may hide a missed rep;
    ``confident_extra``: extra reps the analyzer was sure of (confident wrong counts);
    ``wrong_sessions_flagged``: the share of sessions with a count error that reported at
    least one uncertain rep or one such pause.
    """
    if not all("d_count_confidence" in r.pairs.columns for r in group):
        return {}
    uncertain = marked = confident_extra = wrong = flagged = 0
    for r in group:
        found = r.pairs[r.pairs["status"] != "missed"]
        unsure = found["d_count_confidence"].to_numpy(dtype=float) < UNCERTAIN_CONFIDENCE
        gaps = (found["d_missed_before"].to_numpy(dtype=bool)
                if "d_missed_before" in found.columns else np.zeros(len(found), dtype=bool))
        uncertain += int(unsure.sum())
        marked += int(gaps.sum())
        confident_extra += int(((found["status"] == "extra").to_numpy() & ~unsure).sum())
        if r.session["count_error"] != 0:
            wrong += 1
            flagged += int(unsure.any() or gaps.any())
    return {
        "uncertain_reps": uncertain,
        "missed_before": marked,
        "confident_extra": confident_extra,
        "wrong_sessions_flagged": flagged / wrong if wrong else math.nan,
    }


def _label_rows(name: str, group: Sequence[SessionResult],
                pairs: pd.DataFrame) -> list[dict[str, object]]:
    applicable = {lab for r in group for lab in r.labels}
    rows: list[dict[str, object]] = []
    for label in LABELS:
        t_all = pairs[f"t_{label}"].to_numpy(dtype=bool)
        d_all = pairs[f"d_{label}"].to_numpy(dtype=bool)
        if label not in applicable and not (t_all.any() or d_all.any()):
            continue
        construct = pairs["by_construction"].str.split(",").apply(lambda xs, lab=label: lab in xs)
        all_construct = bool(construct.all()) if len(construct) else False
        scored = pairs[~construct.to_numpy(dtype=bool)]
        for fam in _families(pairs):
            if all_construct:
                sub = _family_rows(pairs, fam)
                row = _prf(sub[f"t_{label}"].to_numpy(dtype=bool),
                           sub[f"d_{label}"].to_numpy(dtype=bool))
                row.update(precision=math.nan, recall=math.nan, f1=math.nan)
                note = BY_CONSTRUCTION_NOTE
            else:
                sub = _family_rows(scored, fam)
                row = _prf(sub[f"t_{label}"].to_numpy(dtype=bool),
                           sub[f"d_{label}"].to_numpy(dtype=bool))
                note = ""
            rows.append({"exercise": name, "family": fam, "label": label, **row, "note": note})
    return rows


def with_spread(pooled: dict[str, pd.DataFrame],
                per_range: Sequence[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Add ``<figure>_min`` and ``<figure>_max`` over the seed ranges to the pooled tables.

    Args:
        pooled: :func:`summarize` of every session.
        per_range: :func:`summarize` of each seed range alone.

    Returns:
        The pooled tables with, after each figure of :data:`SPREAD_COLUMNS`, its minimum and
        maximum over the ranges where it is defined (NaN where it is defined in none).

    """
    out: dict[str, pd.DataFrame] = {}
    for name, table in pooled.items():
        keys = list(TABLE_KEYS[name])
        figures = [c for c in SPREAD_COLUMNS[name] if c in table.columns]
        parts = [t[name].set_index(keys)[figures] for t in per_range if len(t[name])]
        result = table.copy()
        if parts and figures:
            stacked = pd.concat(parts)
            lo = stacked.groupby(level=keys, sort=False).min()
            hi = stacked.groupby(level=keys, sort=False).max()
            idx = pd.MultiIndex.from_frame(table[keys]) if len(keys) > 1 else table[keys[0]]
            for col in figures:
                result[f"{col}_min"] = lo[col].reindex(idx).to_numpy()
                result[f"{col}_max"] = hi[col].reindex(idx).to_numpy()
        ordered = [*keys]
        for c in table.columns:
            if c in keys:
                continue
            ordered.append(c)
            ordered += [x for x in (f"{c}_min", f"{c}_max") if x in result]
        out[name] = result[ordered]
    return out


__all__ = ["OVERALL", "SPREAD_COLUMNS", "TABLE_KEYS", "summarize", "unit_of", "with_spread"]
