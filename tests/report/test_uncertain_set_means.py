"""The sets table's descent and ROM leave uncertain reps out, as the session table does.

An uncertain rep (``count_confidence`` under 0.5) may be noise or half a rep: the session
table's ``eccentric_s_median`` and the sets and session tables' ``tempo_ok_share`` leave it
out, but the sets table's ``eccentric_s_mean`` and ``rom_deg_mean`` counted it (four 0.3 s,
8° "reps" pulled a set's mean descent from 2.0 s to 1.15 s and its ROM from 40° to 24°).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu import research
from imu.core.metrics import Rep
from imu.exercises import get_profile
from imu.io.recording import RecordingMeta
from imu.report import SessionReport, reps_table, write_reports
from imu.report.html import render_html
from imu.report.progress import build_progress, render_progress_html
from imu.report.tables import session_table, sets_table
from imu.report.terminal import sets_view
from imu.tempo import parse_tempo
from tests.report.helpers import make_rep, make_set, terminal_text

CRUNCH = get_profile("reverse-crunch")
TEMPO = parse_tempo("2-1-2")


def _uncertain(rep: Rep) -> Rep:
    return dataclasses.replace(rep, count_confidence=0.2)


def _reps() -> pd.DataFrame:
    """Set 1: four sure reps (2 s down, 40°) and four uncertain ones (0.3 s, 8°).

    Set 2: two uncertain reps alone.
    """
    reps = make_set(1, 4, 0.0, 9.0)
    reps += [_uncertain(make_rep(1, 5 + i, 36.0 + 9.0 * i, eccentric_s=0.3, rom_deg=8.0,
                                 tempo_ok=False)) for i in range(4)]
    reps += [_uncertain(make_rep(2, 1 + i, 200.0 + 9.0 * i, eccentric_s=0.4, rom_deg=9.0,
                                 tempo_ok=False)) for i in range(2)]
    return reps_table(reps, CRUNCH)


def test_the_sets_descent_and_rom_leave_uncertain_reps_out() -> None:
    sets = sets_table(_reps(), CRUNCH)
    first, second = sets.iloc[0], sets.iloc[1]
    assert first["reps"] == 8  # every rep is counted in the set, sure or not
    assert first["eccentric_s_mean"] == pytest.approx(2.0)  # was 1.15
    assert first["rom_deg_mean"] == pytest.approx(40.0)  # was 24
    assert first["tempo_ok_share"] == 1.0  # as before: of the sure reps
    # A set of uncertain reps alone: nothing to tell (NaN, as its tempo_ok_share), not the
    # noise's descent and range.
    assert second["reps"] == 2
    assert np.isnan(second["eccentric_s_mean"]) and np.isnan(second["rom_deg_mean"])
    assert np.isnan(second["tempo_ok_share"])
    # The other per-set means are unchanged: the durations of every rep not over a gap.
    assert first["concentric_s_mean"] == pytest.approx(2.0)


def test_the_sets_descent_agrees_with_the_session_median() -> None:
    reps = _reps()
    sets = sets_table(reps, CRUNCH)
    session = session_table(reps, sets, CRUNCH, TEMPO, RecordingMeta(sampling_rate_hz=104.0),
                            300.0).iloc[0]
    assert session["eccentric_s_median"] == pytest.approx(sets["eccentric_s_mean"].iloc[0])


def test_a_rep_over_a_gap_is_still_left_out() -> None:
    reps = make_set(1, 3, 0.0, 9.0)
    reps.append(make_rep(1, 4, 27.0, eccentric_s=9.0, rom_deg=90.0, in_gap=True))
    sets = sets_table(reps_table(reps, CRUNCH), CRUNCH)
    assert sets["eccentric_s_mean"].iloc[0] == pytest.approx(2.0)
    assert sets["rom_deg_mean"].iloc[0] == pytest.approx(40.0)


def test_the_report_views_render_a_set_of_uncertain_reps_alone(
    report: SessionReport, tmp_path: Path
) -> None:
    reps = _reps()
    sets = sets_table(reps, CRUNCH)
    session = session_table(reps, sets, CRUNCH, TEMPO, report.meta, 300.0)
    nan_report = dataclasses.replace(report, reps=reps, sets=sets, session=session,
                                     profile=CRUNCH, tempo=TEMPO)
    page = render_html([nan_report])
    words = re.sub(r"base64,[^\"')\s]+", "", page)  # the plots' images left out
    assert not re.search(r"\bnan\b", words, re.IGNORECASE)  # no "nan s" in words
    assert "Set 2" in page
    written = write_reports(nan_report, tmp_path / "out")
    assert (tmp_path / "out" / "report.html") in written
    back = pd.read_parquet(tmp_path / "out" / "sets.parquet")
    assert back["eccentric_s_mean"].isna().tolist() == [False, True]
    text = terminal_text(sets_view(sets, False, reps))
    row = next(line.split() for line in text.splitlines() if line.strip().startswith("2 "))
    assert row[6:9] == ["-", "-", "-"]  # down, ROM, on tempo: "-", never "nan"
    assert "nan" not in text.lower()
    flat = " ".join(text.split())
    assert "down, ROM, on tempo, swings and faults leave out the 6 uncertain reps (?)" in flat


def test_the_progress_page_renders_with_such_sets() -> None:
    reps = _reps().assign(participant="P01", exercise="reverse-crunch", session_id="s1",
                          tempo="2-1-2", date=pd.Timestamp("2024-01-08T10:00Z"))
    sets = sets_table(reps, CRUNCH).assign(participant="P01", exercise="reverse-crunch",
                                            session_id="s1", tempo="2-1-2",
                                            date=pd.Timestamp("2024-01-08T10:00Z"))
    sessions = pd.DataFrame([{"participant": "P01", "exercise": "reverse-crunch",
                              "session_id": "s1", "date": pd.Timestamp("2024-01-08T10:00Z"),
                              "tempo": "2-1-2", "clean_reps_before_first_fault": 4,
                              "clean_share": 0.4, "verdict": "Keep going."}])
    progress = build_progress(research.Dataset(reps, sets, sessions))
    page = render_progress_html(progress)
    assert "<html" in page.lower() and ">nan<" not in page.lower()
