"""``imu analyze --tempo`` of a standing strict lift says the tempo does not apply.

Found trying the tool: ``imu analyze curls.parquet --tempo 3-1-3`` took the tempo without a
word, though a strict lift is told by its hip drives alone, which have no tempo: a person
could believe the lifts were judged against 3-1-3.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def test_a_tempo_given_for_a_strict_lift_is_said_not_to_apply(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    curls, crunch = RECORDINGS / "standing_curl.parquet", RECORDINGS / "reverse_crunch.parquet"
    assert main(["analyze", str(curls), str(crunch), "--tempo", "3-1-3",
                 "--out", str(tmp_path / "o")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert ("note: --tempo 3-1-3 does not apply to standing_curl, a standing strict lift: "
            "the pelvis should stay still, so only its hip drives are told, and a hip drive "
            "has no tempo") in err, err
    assert "reverse_crunch, " not in err


def test_no_note_without_a_strict_lift_or_a_tempo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crunch, curls = RECORDINGS / "reverse_crunch.parquet", RECORDINGS / "standing_curl.parquet"
    assert main(["analyze", str(crunch), "--tempo", "3-1-3", "--out", str(tmp_path / "a")]) == 0
    assert main(["analyze", str(curls), "--out", str(tmp_path / "b")]) == 0
    assert "does not apply" not in capsys.readouterr().err


def test_a_recording_analysed_as_a_strict_lift_is_not_sent_to_choose_a_tempo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found trying the tool: a reverse crunch (recorded at 2-1-2) analysed with --exercise
    standing-curl got "analysing it as 'standing-strict' as asked, with its default tempo
    2-0-2 (not the recorded 2-1-2; --tempo to choose)", and --tempo then got "does not
    apply"."""
    crunch = RECORDINGS / "reverse_crunch.parquet"
    assert main(["analyze", str(crunch), "--exercise", "standing-curl",
                 "--out", str(tmp_path / "o")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "analysing it as 'standing-strict' as asked (leave out --exercise" in err, err
    assert "default tempo" not in err and "--tempo to choose" not in err
