"""Scoring one session: found reps against truth reps (pure pandas, no simulator, no analyzer).

Inputs are two tables with one row per rep:

- **truth**: the simulator's truth table (:data:`imu.sim.TRUTH_COLUMNS`, plus whatever
  quantity columns it has, e.g. ``peak_time_fraction``; an optional ``family`` column names the
  velocity-shape family of each rep, ``"all"`` when absent);
- **found**: the analyzer's reps as :func:`imu.report.tables.reps_table` writes them.

Rules (the contract printed by ``imu eval --help``):

- **Every detection counts.** Found reps are matched one to one to truth reps by time overlap
  of ``[onset, eccentric end]`` (greedy by intersection over union, at least
  :data:`MIN_IOU`), wherever they are: before the first set, in rests, after the last set.
  A found rep without a truth rep is an *extra* rep; a truth rep without a found rep is *missed*.
- **Sets as the analyzer numbered them.** Each found set is assigned to the truth set that most
  of its matched reps belong to. A truth set's found count is every rep (matched or extra) of
  the found sets assigned to it; a found set with no matched rep is an *extra set* (truth count
  0). A truth set's boundaries are exact when exactly one found set is assigned to it, that
  set holds all its matched reps and no matched rep of another set.
- **Labels**: a missed rep counts as a missed positive of each of its labels, an extra rep as a
  false positive of each of its labels.
- **Quantities**: every numeric column present in both tables (found ``start_s`` is the truth's
  ``con_start_s``) is compared on matched reps.

Static holds (plank): the truth's rep is the hold itself (``con_start_s`` end of getting into
position, ``ecc_end_s`` start of getting down); the found rep includes getting into and out of
position, so its hold (``con_end_s`` to ``ecc_start_s``) is what is compared
(:func:`normalize_found`).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from imu.exercises import FAULTS

LABELS: tuple[str, ...] = ("swing", *FAULTS)
"""Every label scored: ``swing`` and each fault."""

BOUNDARIES: tuple[str, ...] = ("con_start_s", "con_end_s", "ecc_start_s", "ecc_end_s")
"""Phase boundaries (s from the first sample); errors are reported in ms."""

MIN_IOU = 0.3
"""Least intersection over union of ``[onset, eccentric end]`` for a found rep to match."""

FOUND_ALIASES = {"start_s": "con_start_s"}
"""Found (reps-table) column -> truth column of the same quantity."""

NOT_QUANTITIES = frozenset({"set", "rep", "fault_count"})
"""Numeric columns that are numbering or bookkeeping, not measurements."""

NO_FAMILY = "all"
"""Family of every rep when the truth has no ``family`` column; also the pooled row."""


def normalize_found(found: pd.DataFrame, hold: bool) -> pd.DataFrame:
    """The found reps table with truth column names, holds reduced to the hold itself.

    Args:
        found: reps table (:func:`imu.report.tables.reps_table`), one row per found rep.
        hold: the profile is a static hold (plank).

    Returns:
        A copy with ``start_s`` renamed ``con_start_s``; for holds the boundaries become the
        hold's (``con_start_s`` <- ``con_end_s``, ``ecc_end_s`` <- ``ecc_start_s``; the
        movement phases NaN; ``tut_s`` the hold). ``bottom_pause_s`` is recomputed from the
        boundaries within each found set.

    """
    out = found.rename(columns=FOUND_ALIASES).reset_index(drop=True).copy()
    if hold and len(out):
        out["con_start_s"] = out["con_end_s"].astype(float)
        out["ecc_end_s"] = out["ecc_start_s"].astype(float)
        for col in ("con_end_s", "ecc_start_s", "concentric_s", "eccentric_s"):
            if col in out:
                out[col] = math.nan
        out["tut_s"] = out["ecc_end_s"] - out["con_start_s"]
    if len(out) and "set" in out:
        nxt = out.groupby("set")["con_start_s"].shift(-1)
        out["bottom_pause_s"] = (nxt - out["ecc_end_s"]).astype(float)
    return out


def match_reps(truth: pd.DataFrame, found: pd.DataFrame, min_iou: float = MIN_IOU) -> pd.DataFrame:
    """One-to-one matching of truth and found reps by overlap of ``[con_start_s, ecc_end_s]``.

    Args:
        truth: shape (n, ...), with ``con_start_s`` and ``ecc_end_s`` (s).
        found: shape (m, ...), normalized (:func:`normalize_found`).
        min_iou: least intersection over union to pair.

    Returns:
        One row per truth rep (in truth order), then one per unmatched found rep (in found
        order): ``t_idx`` and ``d_idx``, positional indices into the tables, -1 for none.

    """
    t_iv = truth[["con_start_s", "ecc_end_s"]].to_numpy(dtype=float).reshape(-1, 2)
    d_iv = found[["con_start_s", "ecc_end_s"]].to_numpy(dtype=float).reshape(-1, 2)
    cand: list[tuple[float, int, int]] = []
    for i, (a, b) in enumerate(t_iv):
        if not len(d_iv):
            break
        inter = np.minimum(b, d_iv[:, 1]) - np.maximum(a, d_iv[:, 0])
        union = np.maximum(b, d_iv[:, 1]) - np.minimum(a, d_iv[:, 0])
        iou = np.where(inter > 0, inter / np.maximum(union, 1e-9), 0.0)
        cand += [(float(iou[j]), i, int(j)) for j in np.flatnonzero(iou >= min_iou)]
    cand.sort(key=lambda c: (-c[0], c[1], c[2]))
    t_to_d: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in cand:
        if i not in t_to_d and j not in used:
            t_to_d[i] = j
            used.add(j)
    rows = [(i, t_to_d.get(i, -1)) for i in range(len(t_iv))]
    rows += [(-1, j) for j in range(len(d_iv)) if j not in used]
    return pd.DataFrame(rows, columns=["t_idx", "d_idx"], dtype=np.int64)


def shared_quantities(truth: pd.DataFrame, found: pd.DataFrame) -> list[str]:
    """Numeric, non-boolean columns present in both tables (measurements compared per rep)."""
    out = []
    for col in truth.columns:
        if col in NOT_QUANTITIES or col in LABELS or col not in found.columns:
            continue
        t, d = truth[col], found[col]
        numeric = pd.api.types.is_numeric_dtype(t) and pd.api.types.is_numeric_dtype(d)
        if numeric and not pd.api.types.is_bool_dtype(t) and not pd.api.types.is_bool_dtype(d):
            out.append(str(col))
    return out


def _labels_of(table: pd.DataFrame, idx: np.ndarray, label: str) -> np.ndarray:
    """Bool label per pair (False where there is no rep or no such column)."""
    out = np.zeros(len(idx), dtype=bool)
    has = idx >= 0
    if label in table.columns and has.any():
        out[has] = table[label].to_numpy()[idx[has]].astype(bool)
    return out


def _values_of(table: pd.DataFrame, idx: np.ndarray, col: str) -> np.ndarray:
    out = np.full(len(idx), math.nan)
    has = idx >= 0
    if col in table.columns and has.any():
        out[has] = table[col].to_numpy(dtype=float)[idx[has]]
    return out


def pairs_table(truth: pd.DataFrame, found: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Side-by-side rows of matched, missed and extra reps.

    Args:
        truth: truth reps (see module docstring).
        found: normalized found reps (:func:`normalize_found`).
        matches: :func:`match_reps` of the two.

    Returns:
        One row per row of ``matches``: ``status`` (``matched``/``missed``/``extra``),
        ``family`` (the truth rep's, ``""`` for extra reps), ``t_set``/``d_set`` (-1 for none),
        ``t_<label>``/``d_<label>`` for every label of :data:`LABELS` (bool), and
        ``t_<q>``/``d_<q>`` for the boundaries and every shared quantity (NaN for none),
        and ``d_count_confidence`` / ``d_missed_before`` when the found reps have them.

    """
    ti = matches["t_idx"].to_numpy()
    di = matches["d_idx"].to_numpy()
    status = np.where(ti < 0, "extra", np.where(di < 0, "missed", "matched"))
    families = (
        truth["family"].fillna(NO_FAMILY).astype(str).to_numpy() if "family" in truth.columns
        else np.full(len(truth), NO_FAMILY, dtype=object)
    )
    cols: dict[str, object] = {
        "status": status,
        "family": np.where(ti >= 0, families[np.maximum(ti, 0)] if len(truth) else "", ""),
        "t_set": np.where(ti >= 0, _values_of(truth, ti, "set"), -1).astype(np.int64),
        "d_set": np.where(di >= 0, _values_of(found, di, "set"), -1).astype(np.int64),
    }
    for label in LABELS:
        cols[f"t_{label}"] = _labels_of(truth, ti, label)
        cols[f"d_{label}"] = _labels_of(found, di, label)
    for q in dict.fromkeys([*BOUNDARIES, *shared_quantities(truth, found)]):
        cols[f"t_{q}"] = _values_of(truth, ti, q)
        cols[f"d_{q}"] = _values_of(found, di, q)
    if "count_confidence" in found.columns:  # the analyzer's own word on each count
        cols["d_count_confidence"] = _values_of(found, di, "count_confidence")
    if "missed_before" in found.columns:  # ...and its word on a pause that may hide a rep
        cols["d_missed_before"] = _labels_of(found, di, "missed_before")
    return pd.DataFrame(cols)


def score_sets(truth: pd.DataFrame, found: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Per-set counts and boundaries as the analyzer numbered the sets.

    Args:
        truth: truth reps with ``set``.
        found: found reps with ``set`` (the analyzer's numbering).
        matches: :func:`match_reps` of the two.

    Returns:
        One row per truth set (``truth_set`` >= 1), then one per extra found set
        (``truth_set`` = 0): ``truth_reps``, ``found_reps`` (every rep of the found sets
        assigned to it, matched or not), ``found_sets`` (found sets assigned to it) and
        ``boundaries_exact`` (bool, False for extra sets).

    """
    t_set = truth["set"].to_numpy(dtype=np.int64) if len(truth) else np.empty(0, np.int64)
    d_set = found["set"].to_numpy(dtype=np.int64) if len(found) else np.empty(0, np.int64)
    pairs = [(int(t_set[i]), int(d_set[j])) for i, j in
             zip(matches["t_idx"], matches["d_idx"], strict=True) if i >= 0 and j >= 0]
    votes: dict[int, Counter[int]] = {}
    for ts, ds in pairs:
        votes.setdefault(ds, Counter())[ts] += 1
    # Majority truth set of each found set; ties go to the earlier truth set.
    assigned = {ds: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for ds, c in votes.items()}
    d_sizes = Counter(int(s) for s in d_set)
    rows = []
    for ts in sorted(set(int(s) for s in t_set)):
        mine = [ds for ds, a in assigned.items() if a == ts]
        own_pairs = [ds for t, ds in pairs if t == ts]
        exact = (
            len(mine) == 1
            and all(ds == mine[0] for ds in own_pairs)
            and all(t == ts for t, ds in pairs if ds == mine[0])
        )
        rows.append({
            "truth_set": ts,
            "truth_reps": int((t_set == ts).sum()),
            "found_reps": int(sum(d_sizes[ds] for ds in mine)),
            "found_sets": len(mine),
            "boundaries_exact": bool(exact),
        })
    for ds in sorted(d_sizes):
        if ds not in assigned:
            rows.append({"truth_set": 0, "truth_reps": 0, "found_reps": d_sizes[ds],
                         "found_sets": 1, "boundaries_exact": False})
    return pd.DataFrame(rows, columns=["truth_set", "truth_reps", "found_reps", "found_sets",
                                       "boundaries_exact"])


def session_summary(truth: pd.DataFrame, found: pd.DataFrame, pairs: pd.DataFrame,
                    sets: pd.DataFrame) -> dict[str, object]:
    """Whole-session counts: reps, matched, missed, extra, sets, and whether all sets are right.

    ``count_error`` = found reps - truth reps (extra reps count wherever they are);
    ``sets_exact``: as many found sets as truth sets and every truth set's boundaries exact.
    """
    n_truth_sets = int((sets["truth_set"] > 0).sum())
    n_found_sets = int(found["set"].nunique()) if len(found) else 0
    return {
        "truth_reps": len(truth),
        "found_reps": len(found),
        "matched": int((pairs["status"] == "matched").sum()),
        "missed": int((pairs["status"] == "missed").sum()),
        "extra": int((pairs["status"] == "extra").sum()),
        "count_error": len(found) - len(truth),
        "truth_sets": n_truth_sets,
        "found_sets": n_found_sets,
        "sets_exact": bool(
            n_found_sets == n_truth_sets and sets["boundaries_exact"].all() and len(sets) > 0
        ),
    }


__all__ = [
    "BOUNDARIES",
    "LABELS",
    "MIN_IOU",
    "NO_FAMILY",
    "match_reps",
    "normalize_found",
    "pairs_table",
    "score_sets",
    "session_summary",
    "shared_quantities",
]
