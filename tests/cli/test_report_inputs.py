"""A report given where a recording is wanted: each command says it is a report.

Found trying the tool as a user: a ``reps.csv`` copied out of a report was read as a CSV to
import ("a table or export ... pass --exercise E", then "column(s) 'time_s' ... not found");
``imu analyze REPORT_FOLDER`` advised passing "its 3 recordings" as ``FOLDER/*.parquet``
(they were its reps, sets and session tables); and ``imu batch REPORT_FOLDER`` said only
"no recordings found" beside three ``.parquet`` files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main


def _report_folder(folder: Path) -> Path:
    """A folder as ``imu analyze --out`` leaves it: the three tables (CSV and Parquet)."""
    folder.mkdir()
    tables = {
        "reps": pd.DataFrame({"set": [1], "rep": [1], "start_s": [2.0], "eccentric_s": [2.0],
                              "count_confidence": [0.9]}),
        "sets": pd.DataFrame({"set": [1], "reps": [1], "start_s": [2.0], "tut_s": [5.0]}),
        "session": pd.DataFrame({"exercise": ["dead-bug"], "sets": [1], "reps": [1],
                                 "duration_s": [30.0]}),
    }
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    (folder / "report.html").write_text("<html></html>")
    return folder


@pytest.mark.parametrize("command", ["analyze", "info", "convert"])
def test_a_copied_reps_csv_is_said_to_be_a_report(tmp_path: Path, capsys, command: str) -> None:
    reps = _report_folder(tmp_path / "r") / "reps.csv"
    args = {"analyze": ["analyze", str(reps), "--out", str(tmp_path / "o")],
            "info": ["info", str(reps)],
            "convert": ["convert", str(reps), str(tmp_path / "x.parquet")]}[command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "a reps table written by 'imu analyze'" in err, err
    assert "--exercise" not in err and "not found" not in err


def test_analyze_of_a_report_folder_does_not_call_its_tables_recordings(
        tmp_path: Path, capsys) -> None:
    folder = _report_folder(tmp_path / "r")
    assert main(["analyze", str(folder), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "3 recordings" not in err and "/*.parquet" not in err, err
    assert "a folder of imu's reports (reps.parquet, session.parquet, sets.parquet)" in err


def test_a_folder_of_recordings_beside_a_table_counts_only_the_recordings(
        tmp_path: Path, capsys) -> None:
    folder = _report_folder(tmp_path / "r")
    (folder / "report.html").unlink()
    recording = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"
    (folder / "plank.parquet").write_bytes(recording.read_bytes())
    assert main(["analyze", str(folder), "--out", str(tmp_path / "o")]) == 2
    assert "it holds 1 recording: pass them" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["batch", "progress"])
def test_batch_of_a_report_folder_says_what_it_holds(tmp_path: Path, capsys,
                                                     command: str) -> None:
    folder = _report_folder(tmp_path / "r")
    assert main([command, str(folder), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "no recordings found" in err
    assert "it holds imu's report tables (reps.parquet, session.parquet, sets.parquet)" in err


def test_batch_of_an_empty_folder_says_no_more_than_before(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("no recordings found (*.parquet in a directory)"), err


def test_a_pattern_that_matches_nothing_says_why(tmp_path: Path, capsys) -> None:
    """Trial 23: a glob whose folder does not exist said "no recordings found (*.parquet in
    a directory)"."""
    assert main(["batch", str(tmp_path / "nomatch" / "*.parquet"),
                 "--out", str(tmp_path / "o")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"the pattern matches no file: there is no folder '{tmp_path / 'nomatch'}'" in err
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.csv").write_text("x\n")
    assert main(["batch", str(tmp_path / "d" / "*.parqet"), "--out", str(tmp_path / "o")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"matches no file in '{tmp_path / 'd'}', which holds .csv files" in err
    # A pattern that searches below the folder: what the folder itself holds says nothing.
    assert main(["batch", str(tmp_path / "d" / "**" / "*.zip"), "--out", str(tmp_path / "o")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "the pattern matches no file" in err and "which holds" not in err
