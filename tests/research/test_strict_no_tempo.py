"""A standing strict lift has no tempo: no "0% on tempo, prescribed 3 s", no time under tension.

Every rep a standing strict lift (``standing-curl``, profile ``standing-strict``) finds is a
hip drive, a pelvic burst while the arms lift. The session table still gave it a
``tempo_ok_share`` of 0.0 and a ``tut_s``, and :func:`imu.research.tempo_compliance` told a
standing-curl cohort "0% on tempo, prescribed 3 s". Now the session table's two columns are
NaN for it (same columns and dtypes: the ``imu batch`` dataset keeps one schema), and
``tempo_compliance`` keeps its rows, counts its reps in ``hip_drives`` and leaves them out of
every tempo column.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from imu import research
from imu.exercises import get_profile
from imu.io.recording import RecordingMeta
from imu.report import reps_table
from imu.report.tables import SESSION_DTYPES, session_table, sets_table
from imu.tempo import parse_tempo
from tests.report.helpers import make_set
from tests.report.test_progress_judged import both, tables


def _session(exercise: str) -> pd.DataFrame:
    reps = reps_table(make_set(1, 3, 0.0, 9.0, swing=True, tempo_ok=False))
    return session_table(reps, sets_table(reps), get_profile(exercise), parse_tempo("3-1-3"),
                         RecordingMeta(sampling_rate_hz=104.0), 60.0)


def test_the_session_table_gives_a_strict_lift_no_tempo_nor_time_under_tension() -> None:
    strict = _session("standing-curl")
    row = strict.iloc[0]
    assert row["reps"] == 3
    assert math.isnan(row["tempo_ok_share"])  # was 0.0
    assert math.isnan(row["tut_s"])  # was the hip drives' seconds
    assert math.isnan(row["clean_share"])  # was 0.0: a hip drive is the fault, never clean
    # The schema is the same for every exercise: the columns and their dtypes.
    crunch = _session("reverse-crunch")
    assert list(strict.columns) == list(crunch.columns) == list(SESSION_DTYPES)
    assert dict(strict.dtypes.astype(str)) == dict(crunch.dtypes.astype(str))
    assert crunch.iloc[0]["tempo_ok_share"] == 0.0 and crunch.iloc[0]["tut_s"] > 0
    assert crunch.iloc[0]["clean_share"] == 0.0  # its swinging reps are not clean either


def test_tempo_compliance_leaves_hip_drives_out_and_counts_them() -> None:
    curl = tables("standing-curl", ["3-1-3"] * 2)
    curl.reps["tempo_ok"] = False
    table = research.tempo_compliance(curl.reps)
    assert list(table["reps"]) == list(table["hip_drives"]) == [4, 4]
    assert list(table["sessions"]) == [1, 1]
    for column in ("tempo_ok_share", "prescribed_eccentric_s", "eccentric_s_median",
                   "eccentric_ok_share", "eccentric_ratio_median"):
        assert table[column].isna().all(), column  # was 0% on tempo, prescribed 3 s
    # A group mixing exercises has its measures out of the timed reps alone.
    crunch = tables("reverse-crunch", ["3-1-3"])
    mixed = research.tempo_compliance(both(curl, crunch).reps, by=("participant", "week"))
    first = mixed.iloc[0]
    assert first["reps"] == 8 and first["hip_drives"] == 4
    assert first["tempo_ok_share"] == 1.0 and first["prescribed_eccentric_s"] == 3.0
    alone = research.tempo_compliance(crunch.reps).iloc[0]
    assert alone["hip_drives"] == 0 and alone["tempo_ok_share"] == 1.0
    assert first["eccentric_s_median"] == pytest.approx(alone["eccentric_s_median"])


def test_time_under_tension_and_eccentric_quantiles_leave_hip_drives_out() -> None:
    """progress_weekly.csv took its seconds under tension from time_under_tension, which
    summed the hip drives' tut_s; the eccentric quantiles counted their lowering."""
    curl = tables("standing-curl", ["3-1-3"] * 2)
    crunch = tables("reverse-crunch", ["3-1-3"])
    for per in ("session", "week"):
        tut = research.time_under_tension(both(curl, crunch).reps, per=per)
        strict = tut[tut["exercise"] == curl.reps["exercise"].iloc[0]]
        timed = tut[tut["exercise"] == crunch.reps["exercise"].iloc[0]]
        assert len(strict) and strict["tut_s"].isna().all(), per
        assert len(timed) and (timed["tut_s"] > 0).all(), per
    quantiles = research.eccentric_quantiles(curl.reps)
    assert (quantiles["reps"] > 0).all()
    assert quantiles.filter(like="eccentric_s_q").isna().all().all()
    timed_q = research.eccentric_quantiles(crunch.reps)
    assert timed_q.filter(like="eccentric_s_q").notna().all().all()


def test_sessions_without_a_rep_count_when_the_sessions_table_is_given() -> None:
    """A strict lift done without one hip drive has no reps row: hip drives per session
    were those of the other sessions alone (WLE belt: adelmo's 11 drives in 3 sessions, not
    the 5 he did)."""
    reps = pd.DataFrame({
        "participant": ["p1"] * 3, "exercise": ["standing-strict"] * 3,
        "session_id": ["a", "a", "b"], "tempo": ["2-1-2"] * 3, "tempo_ok": [True] * 3,
        "eccentric_s": [1.0] * 3, "count_confidence": [0.9] * 3,
        "date": pd.Timestamp("2024-01-08T10:00Z"),
    })
    sessions = pd.DataFrame({
        "participant": ["p1", "p1", "p1", "p2"],
        "exercise": ["standing-strict"] * 4, "session_id": ["a", "b", "c", "d"],
        "date": pd.Timestamp("2024-01-09T10:00Z"),
    })
    by = ("participant", "exercise")
    alone = research.tempo_compliance(reps, by=by)
    assert list(alone["sessions"]) == [2]  # sessions with a rep only, as documented
    every = research.tempo_compliance(reps, by=by, sessions=sessions)
    assert list(every["participant"]) == ["p1", "p2"]
    assert list(every["sessions"]) == [3, 1]
    assert list(every["reps"]) == [3, 0] and list(every["hip_drives"]) == [3, 0]
    assert every["tempo_ok_share"].isna().all()
    weekly = research.tempo_compliance(reps, sessions=sessions)
    assert list(weekly["sessions"]) == [3, 1] and list(weekly["week"]) == ["2024-W02"] * 2
