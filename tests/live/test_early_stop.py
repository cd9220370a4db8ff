"""A session stopped before its first rep was finished says so (trial item 9).

Ctrl-C 8 s into a reverse crunch ("5 s recorded") ended on "verdict: No reps found: the
pelvis did not rotate the 6°... If you did reps, curl the pelvis (tailbone to the ribs), not
only the legs": form coaching for a rep the person never had the time to finish.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from imu.exercises import get_profile
from imu.io.recording import Recording
from imu.live.finish import finish_session
from imu.live.session import LiveResult
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

T212 = parse_tempo("2-1-2")


def _first_seconds(seconds: float) -> Recording:
    rec = simulate_session(SessionSpec("reverse-crunch", tempo=T212, reps=3, sets=1,
                                       seed=5)).recording
    n = round(seconds * rec.sampling_rate_hz)
    return Recording(rec.acc[:n].copy(), rec.gyr[:n].copy(), rec.meta)


def _finish(tmp_path: Path, rec: Recording, reason: str, exercise: str = "reverse-crunch"
            ) -> str:
    buf = io.StringIO()
    finish_session(LiveResult(rec, [], reason), tmp_path, "s", get_profile(exercise), T212,
                   Console(file=buf, width=200), None)
    return buf.getvalue()


def test_stopped_before_the_first_rep_gives_no_form_coaching(tmp_path: Path) -> None:
    text = _finish(tmp_path, _first_seconds(5.0), "stopped")
    assert ("verdict: Stopped after 5 s, before a rep was finished: nothing to coach yet."
            in text)
    assert "curl the pelvis" not in text and "No reps found" not in text


def test_a_lost_sensor_before_the_first_rep_says_so(tmp_path: Path) -> None:
    text = _finish(tmp_path, _first_seconds(6.0), "device gone")
    assert "verdict: The sensor went away after 6 s, before a rep was finished" in text


def test_a_long_session_with_no_rep_keeps_the_analysis_verdict(tmp_path: Path) -> None:
    # A minute with no rep counted: the movement may really be too small (the verdict's).
    rec = _first_seconds(60.0)
    text = _finish(tmp_path, rec, "stopped")
    assert "before a rep was finished" not in text
    assert "verdict:" in text


def test_the_saved_report_and_imu_analyze_say_what_the_live_end_said(tmp_path: Path) -> None:
    """The live end said "stopped after 5 s, before a rep was finished", but the session
    table it saved (and ``imu analyze`` of its recording) still said "No reps found: the
    pelvis did not rotate the 6°... curl the pelvis": the verdict is now the table's own."""
    import pandas as pd

    from imu.cli import main

    rec = _first_seconds(5.0)
    text = _finish(tmp_path / "live", rec, "stopped")
    [live] = [line for line in text.splitlines() if line.startswith("verdict: ")]
    saved = pd.read_csv(tmp_path / "live" / "s" / "session.csv")
    assert saved["verdict_kind"].iloc[0] == "too_short"
    assert f"verdict: {saved['verdict'].iloc[0]}" == live
    page = (tmp_path / "live" / "s" / "report.html").read_text(encoding="utf-8")
    assert f'<p class="advice">{saved["verdict"].iloc[0]}</p>' in page
    assert "curl the pelvis" not in page and "did not rotate" not in page
    # imu analyze of the recording the live session saved: the same verdict.
    buf = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buf):
        assert main(["analyze", str(tmp_path / "live" / "s.parquet"), "-e", "reverse-crunch",
                     "--tempo", "2-1-2", "--out", str(tmp_path / "an")]) == 0
    assert live in buf.getvalue().splitlines()
    analyzed = pd.read_csv(tmp_path / "an" / "session.csv")
    assert analyzed["verdict"].iloc[0] == saved["verdict"].iloc[0]
