"""Units go in names (DESIGN.md): every measured number of a rep and of the tables says its unit.

A float field of :class:`imu.core.Rep` and a float column of the reps, sets and session tables
carries a unit token (``_s``, ``_deg``, ``_dps`` ...) or says it has none (``_ratio``,
``_fraction``, ``_share``, ``_confidence``), anywhere in its underscore-separated name
(``concentric_s_mean`` is seconds, averaged).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from imu.core import Rep
from imu.io import read_recording
from imu.report import analyze_recording

UNITS = frozenset({"s", "ms", "deg", "dps", "hz", "ms2", "m", "g"})
"""Unit tokens: seconds, milliseconds, degrees, deg/s, Hz, m/s^2, metres, standard gravity."""

DIMENSIONLESS = frozenset({"ratio", "fraction", "share", "confidence"})
"""Tokens of a quantity with no unit."""

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def unitless(names: list[str]) -> list[str]:
    """The names among ``names`` with neither a unit token nor a dimensionless one."""
    return [n for n in names if not set(n.split("_")) & (UNITS | DIMENSIONLESS)]


def test_the_check_finds_a_name_without_unit() -> None:
    assert unitless(["rom_deg", "concentric_s_mean", "eccentric_ratio", "peak", "rom"]) == [
        "peak", "rom"
    ]


def test_every_float_field_of_a_rep_names_its_unit() -> None:
    floats = [f.name for f in dataclasses.fields(Rep) if f.type in (float, "float")]
    assert floats, "Rep has float fields"
    assert unitless(floats) == []


@pytest.mark.parametrize("exercise", ["reverse-crunch", "hanging-leg-raise", "plank"])
def test_every_float_column_of_the_tables_names_its_unit(exercise: str) -> None:
    stem = exercise.replace("-", "_")
    report = analyze_recording(read_recording(RECORDINGS / f"{stem}.parquet"), exercise)
    for name in ("reps", "sets", "session"):
        table = getattr(report, name)
        floats = [str(c) for c in table.columns if table[c].dtype.kind == "f"]
        assert floats, f"the {name} table has float columns"
        assert unitless(floats) == [], name
