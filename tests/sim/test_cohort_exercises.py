"""``imu simulate-cohort`` for every exercise the simulator makes, and failed runs.

A new user's trial: ``imu simulate-cohort DIR --exercise plank`` failed with "fault 'swing'
does not apply to plank" (and a warning that tempo 3-1-1.33 is ignored) although the user
had passed no fault; dead-bug, bird-dog and pelvic-tilt failed the same way. Failed runs
(that one, ``--rate 1``, ``--seed -5``) left an empty DIR behind.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.errors import SimulationError
from imu.sim import cohort as cohort_module
from imu.sim.cohort import CohortSpec, cohort_design, simulate_cohort
from imu.sim.exercises import EXERCISE_MODELS, EXERCISES
from imu.sim.session import read_truth

SMALL = ["--participants", "1", "--weeks", "1", "--rate", "26"]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_exercise_simulates_as_a_cohort_without_warnings(
    exercise: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    model = EXERCISE_MODELS[exercise]
    reps = [] if model.hold else ["--reps", "2"]
    with caplog.at_level(logging.WARNING):
        code = main(["simulate-cohort", str(tmp_path / "c"), "--exercise", exercise,
                     *SMALL, *reps])
    err = capsys.readouterr().err
    assert code == 0, err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    table = pd.read_csv(tmp_path / "c" / "cohort.csv")
    assert set(table["exercise"]) == {exercise}
    swings = "swing" in model.faults
    assert table["swing_rate"].notna().all() == swings  # drawn only where it applies
    assert table["swing_rate"].isna().all() == (not swings)
    assert table["eccentric_performed_s"].isna().all() == model.hold
    assert table["hold_performed_s"].notna().all() == model.hold
    if model.hold:
        assert set(table["tempo"]) == {"1-45-1"}  # a hold's prescription, not 3-1-3
    truth = read_truth(tmp_path / "c" / table["file"][0].replace(".parquet", ".truth.csv"))
    if not swings:
        assert not truth["swing"].any()


def test_a_plank_cohort_holds_for_the_drawn_length(tmp_path: Path) -> None:
    spec = CohortSpec(participants=2, weeks=2, exercise="plank", prescribed="1-20-1",
                      improver_share=0.5, reps=1, sampling_rate_hz=26, seed=3)
    table = simulate_cohort(spec, tmp_path)
    assert set(table["tempo"]) == {"1-20-1"}
    improver = table[table["improver"]]
    assert improver["hold_performed_s"].iloc[0] < 0.65 * 20
    assert improver["hold_performed_s"].iloc[-1] > 0.9 * 20  # reaches the prescription
    for _, row in table.iterrows():
        truth = read_truth(tmp_path / row["file"].replace(".parquet", ".truth.csv"))
        assert truth["hold_s"].iloc[0] == pytest.approx(row["hold_performed_s"], rel=0.12)


def test_a_hold_prescription_must_name_a_hold() -> None:
    with pytest.raises(SimulationError, match=r"plank is a hold.*1-45-1.*3-1-3 prescribes 1 s"):
        cohort_design(CohortSpec(exercise="plank", prescribed="3-1-3"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate", "1"], "sampling rate 1 Hz is not a sensor rate"),
        (["--seed", "-5"], "seed -5 must be a whole number >= 0"),
        (["--exercise", "plank", "--tempo", "3-1-3"], "plank is a hold"),
        (["--reps", "5000"], "at most 4 h"),
    ],
)
def test_a_refused_run_leaves_no_folder(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new" / "cohort"
    assert main(["simulate-cohort", str(out), "--participants", "1", "--weeks", "1",
                 *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def _fail(*_args: object, **_kwargs: object) -> None:
    raise SimulationError("simulated failure")


def test_a_run_that_fails_midway_removes_the_folder_it_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cohort_module, "save_session", _fail)
    assert main(["simulate-cohort", str(tmp_path / "new" / "c"), *SMALL, "--reps", "2"]) == 2
    assert "simulated failure" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine\n")
    assert main(["simulate-cohort", str(tmp_path / "mine"), *SMALL, "--reps", "2"]) == 2
    assert (tmp_path / "mine" / "notes.txt").read_text() == "mine\n"  # not ours: kept


def test_the_cohort_table_marks_what_was_not_drawn(tmp_path: Path) -> None:
    table = simulate_cohort(CohortSpec(participants=1, weeks=1, exercise="bird-dog", reps=2,
                                       sampling_rate_hz=26), tmp_path)
    assert all(math.isnan(v) for v in table["swing_rate"])
