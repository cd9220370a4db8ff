"""Hypothesis strategies that damage input files the way the world does, and the outcome check.

Every reader and command, given a damaged file, has two allowed outcomes: a result (with what
was repaired reported), or an :class:`imu.errors.ImuError` /
:class:`firmware_protocol.ProtocolError` whose message names the file. Anything else (an
IndexError, a numpy RuntimeWarning, which pytest turns into an error) fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from firmware_protocol import ProtocolError
from imu.errors import ImuError
from tests.io.helpers import synthetic_samples

T = TypeVar("T")

EXAMPLES = int(os.environ.get("IMU_FUZZ_EXAMPLES", "25"))
"""Examples per fuzz test; for a long hunt: ``IMU_FUZZ_EXAMPLES=2000 pytest tests/fuzz``."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)
"""Small budgets by default: the whole fuzz suite runs in well under a minute."""

COLUMNS = ("time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
DATA = COLUMNS
HUGE = (1e30, -1e30, np.inf, -np.inf, 1e300, 5000.0, -3e12)

BASE = synthetic_samples(n=300, rate_hz=50.0, seed=3, moving_from=0.3)
"""A still-then-rocking sensor, 6 s at 50 Hz, SI units: the undamaged file."""


def outcome(call: Callable[[], T], path: Path) -> T | None:
    """Run ``call``; return its result, or None after checking a refusal names ``path``."""
    try:
        return call()
    except (ImuError, ProtocolError) as exc:
        text = str(exc)
        assert path.name in text, f"the message does not name {path.name}: {text}"
        assert "\n" not in text.strip(), f"not one line: {text!r}"
        return None


KINDS = (
    "drop_col", "extra_col", "rename", "nan_run", "time_back", "reverse_block", "duplicates",
    "huge", "few_rows", "acc_in_g", "gyr_in_deg", "text_cell", "time_in_ms", "all_nan",
)  # fmt: skip
"""Kinds of damage :func:`damaged_frames` applies to a table."""


@st.composite
def damaged_frames(draw: st.DrawFn) -> pd.DataFrame:
    """The base samples with up to four kinds of damage applied (as a CSV-like table)."""
    frame = BASE.copy()
    n = len(frame)
    kinds = draw(
        st.lists(
            st.sampled_from(
                KINDS
            ),
            max_size=4,
        )
    )
    kinds.sort(key=lambda k: k == "text_cell")  # arithmetic first, then text in a cell
    for kind in kinds:
        n = len(frame)
        if kind == "drop_col":
            frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
        elif kind == "extra_col":
            frame = frame.assign(note=[f"n{i}" for i in range(n)], extra=1.0)
        elif kind == "rename":
            col = draw(st.sampled_from(list(frame.columns)))
            frame = frame.rename(columns={col: f"{col}_renamed"})
        elif n == 0:
            continue
        elif kind == "nan_run":
            col = draw(st.sampled_from(list(frame.columns)))
            start = draw(st.integers(0, n - 1))
            length = draw(st.integers(1, 60))
            frame.iloc[start : start + length, frame.columns.get_loc(col)] = np.nan
        elif kind == "time_back" and "time_s" in frame:
            i = draw(st.integers(0, n - 1))
            frame.iloc[i, frame.columns.get_loc("time_s")] -= draw(st.floats(0.01, 5.0))
        elif kind == "reverse_block":
            a = draw(st.integers(0, n - 1))
            b = draw(st.integers(a, n))
            frame = pd.concat([frame.iloc[:a], frame.iloc[a:b][::-1], frame.iloc[b:]])
        elif kind == "duplicates":
            rows = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=5))
            frame = pd.concat([frame, frame.iloc[rows]]).sort_index(kind="stable")
        elif kind == "huge":
            numeric = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
            if not numeric:
                continue
            col = draw(st.sampled_from(numeric))
            i = draw(st.integers(0, n - 1))
            frame.iloc[i, frame.columns.get_loc(col)] = draw(st.sampled_from(HUGE))
        elif kind == "few_rows":
            frame = frame.iloc[: draw(st.integers(0, 4))]
        elif kind == "acc_in_g":
            cols = [c for c in ("acc_x", "acc_y", "acc_z") if c in frame]
            frame[cols] = frame[cols] / 9.80665
        elif kind == "gyr_in_deg":
            cols = [c for c in ("gyr_x", "gyr_y", "gyr_z") if c in frame]
            frame[cols] = np.degrees(frame[cols]) * 10
        elif kind == "text_cell":
            col = draw(st.sampled_from(list(frame.columns)))
            frame[col] = frame[col].astype(object)
            frame.iloc[draw(st.integers(0, n - 1)), frame.columns.get_loc(col)] = "n/a?"
        elif kind == "time_in_ms" and "time_s" in frame:
            frame["time_s"] = frame["time_s"] * 1000
        elif kind == "all_nan":
            frame[[c for c in frame.columns if c in DATA]] = np.nan
    return frame.reset_index(drop=True)


@st.composite
def damaged_csv_text(draw: st.DrawFn) -> tuple[str, pd.DataFrame | None]:
    """``(text, frame)``: a damaged table as CSV text (any delimiter, maybe cut short).

    ``frame`` is the table the text holds, None when the text was cut short.
    """
    frame = draw(damaged_frames())
    sep = draw(st.sampled_from([",", ";", "\t"]))
    text = frame.to_csv(index=False, sep=sep, float_format="%.9g")
    if draw(st.integers(0, 9)) == 0 and len(text) > 10:
        return text[: draw(st.integers(1, len(text) - 1))], None  # an interrupted copy
    return text, frame


@st.composite
def byte_damage(draw: st.DrawFn, size: int, protect: int = 0) -> list[tuple[str, int, int]]:
    """Up to three of: truncate at, flip bits at, zero a block at (offset >= ``protect``)."""
    ops = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "flip", "zero"]))
        at = draw(st.integers(protect, max(protect, size - 1)))
        ops.append((kind, at, draw(st.integers(1, 512))))
    return ops


def apply_byte_damage(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    """Apply :func:`byte_damage` operations in order."""
    out = bytearray(data)
    for k, (kind, at, n) in enumerate(ops):
        if at >= len(out):
            continue
        if kind == "truncate":
            del out[at:]
        elif kind == "flip":  # masks that never cancel each other out
            for i in range(at, min(len(out), at + max(1, n // 64))):
                out[i] ^= (0x5A, 0x6B, 0x7C)[k % 3]
        else:
            out[at : at + n] = bytes(len(out[at : at + n]))
    return bytes(out)
