"""Fakes that plug into the evaluator where the simulator and the real analyzer go.

``FakeSimulator`` returns a fixed truth table and a silent recording of the right length;
``FakeAnalyzerFactory`` makes analyzers that report given reps (the truth, or a corrupted copy)
as the stream passes each rep's end, exactly through ``update``/``finish`` like
:class:`imu.core.RepAnalyzer`. Both are module-level classes, so they pickle for workers.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd

from imu.core import Rep
from imu.exercises import FAULTS

RATE_HZ = 50.0


def rep_from_row(row: pd.Series) -> Rep:
    """A :class:`Rep` whose fields come from a truth-like row by name (others neutral)."""
    kwargs: dict[str, object] = {}
    for f in dataclasses.fields(Rep):
        kind = str(f.type)
        if f.name == "faults":
            kwargs[f.name] = frozenset(x for x in FAULTS if bool(row.get(x, False)))
        elif kind.startswith("float"):
            kwargs[f.name] = float(row.get(f.name, math.nan))
        elif kind.startswith("bool"):
            kwargs[f.name] = bool(row.get(f.name, False))
        elif kind.startswith("int"):
            kwargs[f.name] = int(row.get(f.name, 0))
        elif kind.startswith("str"):
            kwargs[f.name] = str(row.get(f.name, "") or "")
        else:
            kwargs[f.name] = None
    return Rep(**kwargs)  # type: ignore[arg-type]


class FakeAnalyzer:
    """Reports each rep once the stream has passed its end by 0.5 s."""

    def __init__(self, reps: list[Rep], rate_hz: float) -> None:
        self._pending = sorted(reps, key=lambda r: r.ecc_end_s)
        self._rate = rate_hz
        self._n = 0
        self.chunks: list[int] = []

    def update(self, acc: np.ndarray, gyr: np.ndarray) -> list[Rep]:
        assert acc.shape == gyr.shape and acc.shape[1] == 3
        self.chunks.append(len(acc))
        self._n += len(acc)
        now = self._n / self._rate
        out = [r for r in self._pending if r.ecc_end_s + 0.5 <= now]
        self._pending = [r for r in self._pending if r.ecc_end_s + 0.5 > now]
        return out

    def finish(self) -> list[Rep]:
        out, self._pending = self._pending, []
        return out


class FakeAnalyzerFactory:
    """``(profile, rate, tempo) -> FakeAnalyzer`` reporting the rows of ``found``."""

    def __init__(self, found: pd.DataFrame) -> None:
        self.found = found
        self.made: list[FakeAnalyzer] = []

    def __call__(self, profile: object, sampling_rate_hz: float, tempo: object) -> FakeAnalyzer:
        reps = [rep_from_row(r) for _, r in self.found.iterrows()]
        analyzer = FakeAnalyzer(reps, sampling_rate_hz)
        self.made.append(analyzer)
        return analyzer


class FakeSimulator:
    """``spec -> session`` with the given truth and a silent recording covering it."""

    def __init__(self, truth: pd.DataFrame, rate_hz: float = RATE_HZ) -> None:
        self.truth = truth
        self.rate_hz = rate_hz

    def __call__(self, spec: object) -> SimpleNamespace:
        n = int((float(self.truth["ecc_end_s"].max()) + 20.0) * self.rate_hz)
        rec = SimpleNamespace(acc=np.zeros((n, 3)), gyr=np.zeros((n, 3)),
                              sampling_rate_hz=self.rate_hz)
        return SimpleNamespace(recording=rec, truth=self.truth.copy())


def make_truth(sets: int = 2, reps: int = 5, rest_s: float = 30.0, start_s: float = 5.0,
               swing: tuple[int, ...] = (1, 7), dropped: tuple[int, ...] = (3,),
               exercise: str = "reverse-crunch") -> pd.DataFrame:
    """A truth table: ``sets`` x ``reps`` reps of 1 s up, 0.5 s hold, 1 s down, 1 s pause.

    Rep ``k`` (0-based over the session) has ``swing`` if in ``swing``, ``dropped_eccentric``
    if in ``dropped``; family ``toss-windup`` for swings, else alternately ``bell``/``skewed``;
    ``windup_deg`` 10 for swings, else 0; ``rom_deg`` 40 + k.
    """
    rows = []
    t = start_s
    k = 0
    for s in range(1, sets + 1):
        for r in range(1, reps + 1):
            row: dict[str, object] = {
                "set": s, "rep": r, "exercise": exercise, "side": "",
                "con_start_s": t, "con_end_s": t + 1.0, "ecc_start_s": t + 1.5,
                "ecc_end_s": t + 2.5, "concentric_s": 1.0, "top_hold_s": 0.5,
                "eccentric_s": 1.0, "tut_s": 2.5, "rom_deg": 40.0 + k,
                "windup_deg": 10.0 if k in swing else 0.0,
                "family": "toss-windup" if k in swing else ("bell" if k % 2 else "skewed"),
                "only_in_truth_deg": 3.0,
            }
            for name in ("swing", *FAULTS):
                row[name] = False
            row["swing"] = k in swing
            row["dropped_eccentric"] = k in dropped
            rows.append(row)
            t += 3.5
            k += 1
        t += rest_s - 1.0
    truth = pd.DataFrame(rows)
    truth["bottom_pause_s"] = truth.groupby("set")["con_start_s"].shift(-1) - truth["ecc_end_s"]
    return truth
