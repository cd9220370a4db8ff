"""A session that ended early with no hold (or rep) ever started is told "no hold found".

Trial 18: ``imu live --sim dead-bug -e plank --speed 50`` ended with "Stopped after 24 s,
before a hold was finished", though the session ended normally and no hold ever started.
"Before a hold was finished" is kept for a session stopped during its first hold.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.exercises import get_profile
from imu.io import read_recording
from imu.io.recording import cut_recording
from imu.report.coaching import session_verdict
from imu.report.session import analyze_recording
from imu.tempo import parse_tempo

PLANK, T = get_profile("plank"), parse_tempo("1-45-1")


def test_the_verdict_says_whether_a_hold_was_started() -> None:
    empty = pd.DataFrame()
    started = session_verdict(empty, PLANK, T, duration_s=24.0, started=True)
    assert started.text == "Stopped after 24 s, before a hold was finished: nothing to coach yet."
    none = session_verdict(empty, PLANK, T, duration_s=24.0, started=False)
    assert none.kind == "too_short"
    assert none.text == "No hold found in the 24 s recorded: nothing to coach yet."
    reps = session_verdict(empty, get_profile("reverse-crunch"), parse_tempo("2-1-2"),
                           duration_s=12.0, started=False)
    assert reps.text == "No rep found in the 12 s recorded: nothing to coach yet."
    # Not known (a table read back, an older caller): as before.
    assert "before a hold was finished" in session_verdict(empty, PLANK, T, duration_s=24.0).text


def test_dead_bugs_analysed_as_a_plank_found_no_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = tmp_path / "db.parquet"
    assert main(["simulate", "dead-bug", "--reps", "6", "--sets", "1", "--seed", "2",
                 "--out", str(rec)]) == 0
    capsys.readouterr()
    assert main(["analyze", str(rec), "-e", "plank", "--out", str(tmp_path / "o")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "before a hold was finished" not in out
    assert "verdict: No hold found in the" in out
    html = (tmp_path / "o" / "report.html").read_text()
    assert "before a hold was finished" not in html and "No hold found in the" in html


def test_a_plank_stopped_early_in_its_first_hold_was_started(tmp_path: Path) -> None:
    whole = tmp_path / "p.parquet"
    assert main(["simulate", "plank", "--reps", "1", "--sets", "1", "--seed", "4",
                 "--out", str(whole)]) == 0
    rec = read_recording(whole)
    report = analyze_recording(cut_recording(rec, 0, round(5.5 * rec.sampling_rate_hz)),
                               PLANK, T)
    assert report.reps.empty and report.unfinished is True
    assert "before a hold was finished" in str(report.session["verdict"].iloc[0])


def test_live_dead_bugs_as_a_plank_found_no_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["live", "--sim", "dead-bug", "-e", "plank", "--speed", "50", "--plain",
                 "--out", str(tmp_path / "lv")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "before a hold was finished" not in out
    assert "verdict: No hold found in the" in out
