"""``imu analyze`` through :func:`imu.cli.main`."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import Recording, write_recording

OUTPUTS = ["reps", "sets", "session"]


def test_analyze_writes_all_outputs(
    recording_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["analyze", str(recording_file), "--exercise", "reverse-crunch", "--out", str(out)])
    assert code == 0
    for name in OUTPUTS:
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    assert (out / "report.html").exists()
    assert len(pd.read_csv(out / "reps.csv")) == 11
    printed = capsys.readouterr().out
    assert "verdict:" in printed and "never diagnoses pain" in printed
    assert "reps" in printed and "sets" in printed


def test_exercise_from_metadata_and_options(recording_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["analyze", str(recording_file), "--out", str(out), "--tempo", "3-1-3"]
    assert main([*args, "--tempo-tolerance", "0.1", "--rest", "100"]) == 0
    session = pd.read_csv(out / "session.csv").iloc[0]
    assert session["exercise"] == "reverse-crunch" and session["tempo"] == "3-1-3"
    assert session["sets"] == 1  # the 30 s rest is shorter than --rest 100
    assert session["tempo_ok_share"] == 0.0


def test_several_files_and_csv_input(
    recording: Recording, recording_file: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "second.csv"
    frame = pd.DataFrame(
        np.column_stack([recording.time_s, recording.acc, recording.gyr]),
        columns=["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"],
    )
    frame.to_csv(csv, index=False)
    out = tmp_path / "out"
    args = ["analyze", str(recording_file), str(csv), "-e", "reverse-crunch", "--out", str(out)]
    assert main(args) == 0
    reps = pd.read_csv(out / "reps.csv")
    assert reps.columns[0] == "recording"
    assert reps.groupby("recording").size().to_dict() == {"second": 11, "session": 11}
    assert pd.read_csv(out / "session.csv")["recording"].tolist() == ["session", "second"]


def test_corrupt_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    code = main(["analyze", str(bad), "--exercise", "leg-raise", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("imu analyze: error:") and "bad.parquet" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_exercise_exits_2(
    recording_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyze", str(recording_file), "-e", "situps", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown exercise 'situps'" in err and "reverse-crunch" in err
    assert not (tmp_path / "o").exists()


def test_missing_exercise_exits_2(
    recording: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_recording(recording.with_meta(exercise=None), tmp_path / "anon.parquet")
    assert main(["analyze", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "pass --exercise" in capsys.readouterr().err


def test_bad_tempo_exits_2(
    recording_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["analyze", str(recording_file), "--tempo", "3010", "--out", str(tmp_path / "o")]
    assert main(args) == 2
    assert "up-hold-down" in capsys.readouterr().err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "up-hold-down" in text and "3-1-3 = 3 s up" in text
    assert "reverse-crunch" in text and "hanging-leg-raise" in text
    assert "examples:" in text


def test_analyze_refuses_an_unusable_out_before_any_work(tmp_path, capsys) -> None:
    from imu.cli import main

    a_file = tmp_path / "afile"
    a_file.write_text("")
    code = main(["analyze", "recordings/plank.parquet", "--out", str(a_file)])
    err = capsys.readouterr()
    assert code == 2
    assert "is a file, not a folder" in err.err
    assert "reps in" not in err.out  # nothing was analysed or printed


def test_an_exercise_other_than_the_recorded_one_is_noted(tmp_path, capsys) -> None:
    from imu.cli import main

    assert main(["analyze", "recordings/reverse_crunch.parquet", "--exercise", "plank",
                 "--out", str(tmp_path / "o")]) == 0
    assert "was recorded as 'reverse-crunch'; analysing it as 'plank'" in capsys.readouterr().err
    assert main(["analyze", "recordings/standing_curl.parquet", "--exercise",
                 "standing-strict", "--out", str(tmp_path / "p")]) == 0
    assert "was recorded as" not in capsys.readouterr().err  # an alias of the same profile


def test_the_terminal_says_what_to_fix_first(tmp_path, capsys) -> None:
    from imu.cli import main

    assert main(["analyze", "recordings/reverse_crunch.parquet", "--tempo", "3-1-3",
                 "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "fix first: Slow the descent: 4 of 12 descents" in out
    assert out.index("fix first") < out.index("verdict")


def test_a_plank_is_printed_as_holds_not_as_reps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plank's tables read 'up / hold / down / pause / ROM / swing' like a rep's."""
    from imu.sim import SessionSpec, simulate_session

    sim = simulate_session(SessionSpec("plank", reps=2, sets=1, seed=3, sampling_rate_hz=26))
    path = tmp_path / "plank.parquet"
    write_recording(sim.recording, path)
    assert main(["analyze", str(path), "-e", "plank", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "holds" in printed and "long" in printed and "enough" in printed
    assert "swing" not in printed and "ROM" not in printed
    # The report too: holds by set with the time held, no range, descent or swings.
    page = (tmp_path / "out" / "report.html").read_text()
    assert "Holds by set" in page and "Held (s) [45]" in page and "Holds long enough" in page
    # The words shown (not the style sheet), the raw table of every column aside.
    shown = re.sub(r"<style.*?</style>", "", page.split("Every measurement of every")[0],
                   flags=re.S)
    for rep_word in ("Reps by set", "Range (°)", "Median descent", "swing", "Down (s)"):
        assert rep_word not in shown, rep_word
    every = page.split("Every measurement of every hold")[1]  # the raw table: hold columns
    assert "Wind-up" not in every and "Hip drift" in every


def test_a_rerun_says_it_replaces_reports_and_a_file_given_twice_is_read_once(
    recording_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["analyze", str(recording_file), "--exercise", "reverse-crunch", "--out", str(out)]
    assert main(args) == 0
    assert "replacing" not in capsys.readouterr().err
    again = str(recording_file.parent / ".." / recording_file.parent.name / recording_file.name)
    assert main([args[0], args[1], again, *args[2:]]) == 0
    err = capsys.readouterr().err
    assert "replacing the reports of an earlier run" in err and "reps.csv" in err
    assert "given twice; analysed once" in err
    assert len(pd.read_csv(out / "reps.csv")) == 11  # not 22


def test_an_unknown_exercise_in_the_metadata_names_the_file(
    recording_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace

    from imu.io import read_recording

    rec = read_recording(recording_file)
    odd = tmp_path / "odd.parquet"
    write_recording(Recording(rec.acc, rec.gyr, replace(rec.meta, exercise="crunches")), odd)
    assert main(["analyze", str(odd), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{odd}: the recording's metadata names the exercise 'crunches'" in err


def test_an_unknown_exercise_label_is_not_warned_about_when_exercise_is_given(
    recording_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = pd.read_parquet(recording_file).dropna().assign(ex="crunches")
    csv = tmp_path / "labelled.csv"
    frame.to_csv(csv, index=False)
    args = ["analyze", str(csv), "--exercise-col", "ex", "--out", str(tmp_path / "o")]
    assert main([*args, "--exercise", "reverse-crunch"]) == 0
    assert "no known exercise profile" not in capsys.readouterr().out
    assert main(args) == 2  # without it, the warning and the error both name the label
    captured = capsys.readouterr()
    assert "'crunches' (column 'ex') is no known exercise profile" in captured.out
