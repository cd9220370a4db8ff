"""Schema and arithmetic of the reps, sets and session tables."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.exercises import FAULTS, get_profile
from imu.io.recording import RecordingMeta
from imu.report import (
    REPS_DTYPES,
    SESSION_DTYPES,
    SETS_DTYPES,
    SessionReport,
    reps_table,
    session_table,
    sets_table,
)
from imu.report import tables as tables_module
from imu.report.tables import clean_before_first_fault
from imu.tempo import Tempo
from tests.report.helpers import make_rep, make_set

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def assert_schema(frame: pd.DataFrame, dtypes: dict[str, str]) -> None:
    assert list(frame.columns) == list(dtypes)
    for name, dtype in dtypes.items():
        assert frame[name].dtype == pd.Series([], dtype=dtype).dtype, name


def test_every_fault_has_a_column() -> None:
    for fault in FAULTS:
        assert REPS_DTYPES[fault] == "bool"
        assert SETS_DTYPES[f"{fault}_count"] == "int64"
        assert SESSION_DTYPES[f"{fault}_share"] == "float64"


def test_schema_of_an_analysed_session(report: SessionReport) -> None:
    assert_schema(report.reps, REPS_DTYPES)
    assert_schema(report.sets, SETS_DTYPES)
    assert_schema(report.session, SESSION_DTYPES)
    assert len(report.session) == 1


def test_schema_without_reps() -> None:
    reps = reps_table([])
    sets = sets_table(reps)
    session = session_table(
        reps, sets, get_profile("leg-raise"), Tempo(2, 1, 2), RecordingMeta(100.0), 60.0
    )
    assert_schema(reps, REPS_DTYPES)
    assert_schema(sets, SETS_DTYPES)
    assert_schema(session, SESSION_DTYPES)
    row = session.iloc[0]
    assert row["reps"] == 0 and row["sets"] == 0
    assert math.isnan(row["tempo_ok_share"]) and math.isnan(row["eccentric_s_median"])
    assert row["verdict_kind"] == "no_reps"


def test_rep_columns_from_rep_fields() -> None:
    rep = make_rep(1, 1, 10.0, 2.0, 1.0, 3.0, rom_deg=33.0, faults={"partial_rom"})
    row = reps_table([rep]).iloc[0]
    assert row["start_s"] == 10.0 and row["con_end_s"] == 12.0
    assert row["ecc_start_s"] == 13.0 and row["ecc_end_s"] == 16.0
    assert (row["concentric_s"], row["top_hold_s"], row["eccentric_s"]) == (2.0, 1.0, 3.0)
    assert row["tut_s"] == 6.0 and row["rom_deg"] == 33.0
    assert row["partial_rom"] and not row["back_arch"]
    assert row["fault_count"] == 1 and not row["clean"]
    assert pd.isna(row["side"])


def test_bottom_pause_is_nan_at_set_ends() -> None:
    reps = make_set(1, 3, 0.0, period_s=6.5) + make_set(2, 2, 60.0, period_s=7.0)
    table = reps_table(reps)
    pause = table["bottom_pause_s"].to_numpy()
    # Reps last 2 + 1 + 2 = 5 s: 1.5 s pauses in set 1, 2 s in set 2.
    np.testing.assert_allclose(pause[[0, 1, 3]], [1.5, 1.5, 2.0])
    assert np.isnan(pause[2]) and np.isnan(pause[4])


def test_bottom_pause_on_generated_session(report: SessionReport) -> None:
    reps = report.reps
    last = reps.groupby("set")["rep"].transform("max") == reps["rep"]
    assert reps.loc[last, "bottom_pause_s"].isna().all()
    # The generator pauses 1 s at the bottom between reps; phase edges at 10% of the peak
    # velocity move into the movements, which lengthens the measured pause a little.
    np.testing.assert_allclose(reps.loc[~last, "bottom_pause_s"], 1.2, atol=0.3)


def test_clean_before_first_fault() -> None:
    assert clean_before_first_fault([]) == 0
    assert clean_before_first_fault([True, True, False, True]) == 2
    assert clean_before_first_fault([False, True]) == 0
    assert clean_before_first_fault([True, True, True]) == 3


def test_sets_table_on_hand_built_reps() -> None:
    set1 = make_set(1, 4, 0.0)
    set1[2] = make_rep(1, 3, 12.0, swing=True)
    set2 = make_set(2, 3, 100.0)
    set2[0] = make_rep(2, 1, 100.0, faults={"dropped_eccentric"}, eccentric_s=0.5)
    set3 = make_set(3, 5, 200.0, tempo_ok=False)
    set3[4] = make_rep(3, 5, 224.0, faults={"partial_rom", "dropped_eccentric"})
    reps = reps_table(set1 + set2 + set3)
    sets = sets_table(reps)
    assert sets["set"].tolist() == [1, 2, 3]
    assert sets["reps"].tolist() == [4, 3, 5]
    assert sets["clean_reps_before_first_fault"].tolist() == [2, 0, 4]
    assert sets["clean_reps"].tolist() == [3, 2, 4]
    assert sets["swings"].tolist() == [1, 0, 0]
    assert sets["dropped_eccentric_count"].tolist() == [0, 1, 1]
    assert sets["partial_rom_count"].tolist() == [0, 0, 1]
    assert sets["back_arch_count"].tolist() == [0, 0, 0]
    assert sets["start_s"].tolist() == [0.0, 100.0, 200.0]
    assert sets["end_s"].tolist() == [23.0, 117.0, 229.0]
    assert math.isnan(sets["rest_before_s"].iloc[0])
    assert sets["rest_before_s"].tolist()[1:] == [77.0, 83.0]
    assert sets["tut_s"].tolist() == [20.0, 13.5, 25.0]
    assert sets["tempo_ok_share"].tolist() == [1.0, 1.0, 0.2]

    session = session_table(
        reps, sets, get_profile("reverse-crunch"), Tempo(2, 1, 2), RecordingMeta(100.0), 300.0
    ).iloc[0]
    assert session["clean_reps_before_first_fault"] == 4
    assert session["reps"] == 12 and session["sets"] == 3
    assert session["swing_share"] == pytest.approx(1 / 12)
    assert session["dropped_eccentric_share"] == pytest.approx(2 / 12)
    assert session["clean_share"] == pytest.approx(9 / 12)
    assert session["tut_s"] == pytest.approx(58.5)


def test_session_metadata_columns() -> None:
    meta = RecordingMeta(100.0, start_time_s=1_700_000_000.0, device="dev", participant="ann")
    reps = reps_table(make_set(1, 2, 0.0))
    row = session_table(
        reps, sets_table(reps), get_profile("leg-raise"), Tempo(3, 1, 3), meta, 42.0
    ).iloc[0]
    assert row["exercise"] == "leg-raise" and row["tempo"] == "3-1-3"
    assert row["participant"] == "ann" and row["device"] == "dev"
    assert row["date"] == "2023-11-14T22:13:20+00:00"
    assert row["duration_s"] == 42.0
    assert "never diagnoses pain" in row["disclaimer"]


def test_alternating_sides_are_kept() -> None:
    reps = reps_table([make_rep(1, 1, 0.0, side="left"), make_rep(1, 2, 6.0, side="right")])
    assert reps["side"].tolist() == ["left", "right"]


def test_schema_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    module_doc = tables_module.__doc__ or ""
    for dtypes in (REPS_DTYPES, SETS_DTYPES, SESSION_DTYPES):
        for name in dtypes:
            generic = name
            for fault in FAULTS:
                for suffix in ("", "_count", "_share"):
                    if name == fault + suffix:
                        generic = "<fault>" + suffix
            assert f"`{generic}`" in docs, f"{generic} missing from docs/reports.md"
            assert generic in module_doc, f"{generic} missing from the tables docstring"
