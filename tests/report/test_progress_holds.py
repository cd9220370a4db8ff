"""The progress page of a hold (plank): time held and hold faults, not descents and swings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu import research
from imu.cli import main
from imu.exercises import get_profile
from imu.io.recording import read_recording, write_recording
from imu.report.progress import (
    WEEKLY_COLUMNS,
    _per_session,
    build_progress,
    headline,
    hold_weekly_columns,
    render_progress_html,
    tables_from_recordings,
)
from imu.report.tables import judged, time_held_s

PLANK = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"
WORDS_OF_REPS = ("Descent", "descent", "Swung", "swung", "progression bar", "eccentric")


def _plank_sessions(folder: Path, days: list[str]) -> Path:
    """The bundled plank recording as one session per day (distinct files), with a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    recording = read_recording(PLANK)
    rows = ["file,participant,exercise,tempo,date"]
    for i, day in enumerate(days):
        start = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()
        write_recording(recording.with_meta(start_time_s=start, participant="P1"),
                        folder / f"s{i}.parquet")
        rows.append(f"s{i}.parquet,P1,plank,1-30-1,{day}")
    (folder / "m.csv").write_text("\n".join(rows) + "\n")
    return folder / "m.csv"


@pytest.fixture(scope="module")
def one_week(tmp_path_factory: pytest.TempPathFactory) -> research.Dataset:
    manifest = _plank_sessions(tmp_path_factory.mktemp("plank1"), ["2024-01-01"])
    data, failures = tables_from_recordings([], manifest)
    assert failures == []
    return data


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory: pytest.TempPathFactory) -> research.Dataset:
    manifest = _plank_sessions(tmp_path_factory.mktemp("plank2"), ["2024-01-01", "2024-01-09"])
    data, failures = tables_from_recordings([], manifest)
    assert failures == []
    return data


def test_a_plank_page_tells_time_held_not_descents(one_week: research.Dataset) -> None:
    """It said "Descent (median per week): 1.2 s ... against 1 s prescribed", "Swung reps: 0%",
    "Plank has no progression bar" and "1 sessions"."""
    progress = build_progress(one_week, "P1")
    lines = headline(progress)
    text = "\n".join(lines)
    assert not any(word in text for word in WORDS_OF_REPS), text
    assert lines[0].startswith("1 session over 1 week (1.0 a week): 0 of 1 week within")
    assert "1 sessions" not in text
    reps = one_week.reps
    held = time_held_s(reps)  # the report's one rule for the total
    longest = reps.loc[judged(reps), "top_hold_s"].max()
    assert lines[1] == (f"Time held: {held:.0f} s in 3 holds in the one week so far; the longest "
                        f"hold {longest:.0f} s, against 30 s prescribed.")
    assert lines[2].startswith("Hold faults: hips sagging in ")
    assert "hips piking in" in lines[2] and "shaking in" in lines[2]
    # where the person stands: the coaching rules' verdict on the last session's holds
    assert lines[-1] == f"Last session (2024-01-01): {one_week.sessions['verdict'].iloc[0]}"
    assert "holds" in lines[-1]


def test_the_weekly_table_of_holds(one_week: research.Dataset) -> None:
    progress = build_progress(one_week, "P1")
    plank = get_profile("plank")
    assert list(progress.weekly.columns) == list(hold_weekly_columns(plank))
    assert list(progress.weekly.columns) == [
        "week", "week_start", "sessions", "holds", "held_s", "longest_hold_s",
        "prescribed_hold_s", "hold_ok_share", "hips_sagging_share", "hips_piking_share",
        "shaking_share", "clean_share",
    ]
    week = progress.weekly.iloc[0]
    reps = one_week.reps
    assert week["held_s"] == pytest.approx(time_held_s(reps))
    assert week["longest_hold_s"] == pytest.approx(reps["top_hold_s"].max())
    assert week["hips_sagging_share"] == pytest.approx(one_week.sessions["hips_sagging_share"][0])
    assert week["clean_share"] == pytest.approx(one_week.sessions["clean_share"][0])
    assert progress.prescribed_hold_s == 30.0 and progress.bar is None


def test_the_plank_page_shows_holds(one_week: research.Dataset) -> None:
    page = render_progress_html(build_progress(one_week, "P1"))
    assert "1 session with holds" in page and "<b>1</b>session<" in page
    assert "clean holds" in page and "held in all" in page
    assert "<th scope=\"col\">Time held (s)</th>" in page
    assert "<th scope=\"col\">Hips sagging (%)</th>" in page
    assert "Best set: clean reps with a 3 s descent" not in page
    assert not any(word in page for word in ("Descent", "descent", "Swung", "swung"))
    assert page.count("data:image/png;base64,") == 6  # each drawn for desktops and phones


def test_several_weeks_of_planks_give_the_trend(two_weeks: research.Dataset) -> None:
    progress = build_progress(two_weeks, "P1")
    lines = headline(progress)
    assert lines[0].startswith("2 sessions over 2 weeks")
    assert lines[1].startswith("Longest hold (per week): stayed at 31 s (+0.0 s a week) "
                               "against 30 s prescribed; time held 90 s in the first week")
    assert lines[2].startswith("Hold faults (share of holds, first week to last): hips sagging ")
    assert list(progress.trends.index) == ["longest_hold_s", "held_s", "hips_sagging_share",
                                           "hips_piking_share", "shaking_share"]


def test_cli_plank_progress_writes_a_hold_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _plank_sessions(tmp_path / "in", ["2024-01-01"])
    out = tmp_path / "page"
    assert main(["progress", "--manifest", str(manifest), str(tmp_path / "in"),
                 "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Time held:" in said and "Descent" not in said and "1 sessions" not in said
    weekly = pd.read_csv(out / "progress_weekly.csv")
    assert "held_s" in weekly and "longest_hold_s" in weekly
    assert "eccentric_s_median" not in weekly and "swing_share" not in weekly


def test_a_rep_exercise_keeps_its_weekly_columns() -> None:
    assert WEEKLY_COLUMNS[-1] == "progress_reps_max" and "held_s" not in WEEKLY_COLUMNS


def test_per_session_swings_and_descent_leave_gap_reps_out() -> None:
    """A rep over a data gap that swung counted in the page's swing share (1 of 3), not in
    the session table's (0 of 2); its eccentric moved the median."""
    reps = pd.DataFrame({
        "session_id": ["s1"] * 3, "date": pd.to_datetime(["2024-01-08T10:00Z"] * 3, utc=True),
        "set": [1, 1, 1], "eccentric_s": [3.0, 3.2, 0.4], "clean": [True, True, False],
        "swing": [False, False, True], "in_gap": [False, False, True],
    })
    sets = pd.DataFrame({"session_id": ["s1"], "clean_reps": [2]})
    row = _per_session(research.Dataset(reps, sets, pd.DataFrame())).iloc[0]
    assert row["swing_share"] == 0.0
    assert row["eccentric_s_median"] == pytest.approx(3.1)
    every_gap = reps.assign(in_gap=True, clean=False)
    row = _per_session(research.Dataset(every_gap, sets, pd.DataFrame())).iloc[0]
    assert np.isnan(row["swing_share"]) and np.isnan(row["eccentric_s_median"])
