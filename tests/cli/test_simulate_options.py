"""``imu simulate`` and friends: exercise spellings as analyze takes them; no silent overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.cli._args import exercise_spelling
from imu.sim.exercises import EXERCISE_MODELS


@pytest.mark.parametrize("text", ["Reverse_Crunch", " reverse crunch ", "REVERSE-CRUNCH"])
def test_spellings_of_a_simulated_exercise(text: str) -> None:
    assert exercise_spelling(text, EXERCISE_MODELS) == "reverse-crunch"
    assert exercise_spelling("situps", EXERCISE_MODELS) == "situps"  # left for the error


def test_simulate_takes_the_spelling_analyze_takes(tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.parquet"
    argv = ["simulate", "Reverse_Crunch", "--reps", "2", "--sets", "1", "--rest", "20",
            "--out", str(out)]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("reverse-crunch: 2 reps")


def test_simulate_refuses_to_write_over_an_earlier_session(tmp_path: Path, capsys) -> None:
    out = tmp_path / "s1.parquet"
    argv = ["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--rest", "20",
            "--out", str(out)]
    assert main(argv) == 0
    before = out.read_bytes()
    capsys.readouterr()
    assert main([*argv, "--seed", "4"]) == 2
    err = capsys.readouterr().err
    assert "already exist" in err and "--force" in err and str(out) in err
    assert out.read_bytes() == before
    assert main([*argv, "--seed", "4", "--force"]) == 0
    assert out.read_bytes() != before


def test_simulate_cohort_refuses_an_unknown_exercise_before_any_file(tmp_path: Path,
                                                                     capsys) -> None:
    assert main(["simulate-cohort", str(tmp_path / "c"), "--exercise", "situps"]) == 2
    assert "'situps'" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_live_sim_takes_any_spelling(tmp_path: Path, capsys) -> None:
    # refused for another reason (a bad --sim-mtu) after the name was understood
    argv = ["live", "--sim", "Reverse_Crunch", "--sim-mtu", "5", "--out", str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--sim-mtu 5" in err and "unknown" not in err


def test_a_fault_given_twice_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.parquet"
    assert main(["simulate", "reverse-crunch", "--faults", "swing=0.2,swing=0.3",
                 "--out", str(out)]) == 2
    assert "'swing' is given twice" in capsys.readouterr().err
    assert not out.exists()
