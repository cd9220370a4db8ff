"""A recording whose stored tempo is over a phase's limit, and the simulator's hold limit.

A plank simulated with ``--hold 601`` stored the tempo ``1-601-1``, and ``imu analyze`` said
"the tempo stored in the recording, '1-601-1', is not up-hold-down seconds": it is, only over
the 600 s a hold may last. The message now says so and offers a tempo within the limits, and
``imu simulate`` refuses a hold the analysis would refuse.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from imu.cli import main
from imu.io.recording import Recording, write_recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import MAX_HOLD_S, TempoError, parse_tempo, stored_tempo_problem
from tests.cli.helpers import one_error_line

OVER = ("the tempo stored in the recording, '1-601-1', is over a limit: its top hold of 601 s "
        "is longer than the 600 s a tempo may prescribe; give the prescription with --tempo "
        "(e.g. --tempo 1-600-1)")


def _plank_storing(path: Path, tempo: str) -> Path:
    rec = simulate_session(SessionSpec("plank", reps=1, sets=1, hold_s=5.0, seed=1,
                                       sampling_rate_hz=52)).recording
    write_recording(Recording(rec.acc, rec.gyr, replace(rec.meta, tempo=tempo)), path)
    return path


@pytest.mark.parametrize("command", ["analyze", "replay"])
def test_a_stored_tempo_over_the_hold_limit_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = _plank_storing(tmp_path / "p.parquet", "1-601-1")
    assert main([command, str(path), "--out", str(tmp_path / "o")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == f"imu {command}: error: {OVER}"


def test_a_stored_tempo_of_another_form_keeps_its_words() -> None:
    assert stored_tempo_problem("3-x-3") == ""
    assert stored_tempo_problem("3-1-3") == ""
    assert stored_tempo_problem("61-1-3").startswith(
        "the tempo stored in the recording, '61-1-3', is over a limit: its up (concentric) of "
        "61 s is longer than the 60 s")
    with pytest.raises(TempoError) as caught:
        parse_tempo("2-1-2-700")
    assert caught.value.over_limit == ("bottom pause", 700.0, 600.0)
    assert caught.value.within_limits == "2-1-2-600"


def test_simulate_refuses_a_hold_the_analysis_would_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.parquet"
    hold = f"{MAX_HOLD_S + 1:g}"
    assert main(["simulate", "plank", "--hold", hold, "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == (
        "imu simulate: error: --hold 601: longer than 600 s, the longest hold a tempo may "
        "prescribe, so imu analyze would refuse the recording's tempo 1-601-1; give at most "
        "--hold 600"
    )
    assert not out.exists()


def test_batch_gives_the_same_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    path = _plank_storing(tmp_path / "p.parquet", "1-601-1")
    out = tmp_path / "ds"
    assert main(["batch", str(path), "--out", str(out), "--workers", "0"]) == 2
    capsys.readouterr()
    assert list(pd.read_csv(out / "_failures.csv")["reason"]) == [OVER]


def test_a_bad_tempo_given_is_not_blamed_on_the_stored_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _plank_storing(tmp_path / "p.parquet", "1-601-1")
    assert main(["replay", str(path), "--tempo", "1-700-1", "--out", str(tmp_path / "o")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "stored in the recording" not in line and "1-700-1" in line
