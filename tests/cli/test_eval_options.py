"""``imu eval`` options: repeated seed ranges, an empty case list, an --out already used."""

from __future__ import annotations

from pathlib import Path

import pytest

import imu.evaluate
from imu.cli import main
from imu.evaluate.config import EvalError


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop with an error where the evaluation would start."""
    def stop(*args: object, **kwargs: object) -> None:
        raise EvalError("the evaluation started")

    monkeypatch.setattr(imu.evaluate, "evaluate", stop)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--seed", "5,5", "--sessions", "1"], "5 is given twice"),
        (["--seed", "0,0", "--sessions", "3"], "0 is given twice"),
        (["--seed-start", "0,4", "--sessions", "6"], "0-5 and 4-9 overlap"),
        (["--exercises", ""], "names no case"),
        (["--exercises", " , "], "names no case"),
    ],
)
def test_ranges_counted_twice_and_no_case_are_refused(
    no_work: None, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    assert main(["eval", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "the evaluation started" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_ranges_far_enough_apart_are_accepted(no_work: None, capsys) -> None:
    assert main(["eval", "--seed", "0,6", "--sessions", "6", "--exercises",
                 "reverse-crunch"]) == 2
    assert "the evaluation started" in capsys.readouterr().err


def test_an_out_folder_of_an_earlier_run_is_said_to_be_replaced(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "eval"
    out.mkdir()
    (out / "counts.csv").write_text("x\n")
    (out / "about.txt").write_text("x\n")
    main(["eval", "--exercises", "reverse-crunch", "--sessions", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert f"replacing the files of an earlier run in {out} (about.txt, counts.csv)" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--generator", "second", "--holdout"], "drop --holdout"),
        (["--generator", "second", "--exercises", "bird-dog"],
         "the second generator does not make bird-dog"),
    ],
)
def test_the_second_generator_refuses_what_it_cannot_do(argv: list[str], says: str,
                                                        no_work: None,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    assert main(["eval", *argv]) == 2
    assert says in capsys.readouterr().err


def test_the_second_generator_runs_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--generator", "second", "--sessions", "1", "--exercises",
                 "pelvic-tilt", "--max-rate", "52", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "generator: the second generator" in out
    assert "pelvic-tilt" in out and "fault rates per rep" not in out
