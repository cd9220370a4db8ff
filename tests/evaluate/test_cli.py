"""``imu eval``: bad arguments give one line and a non-zero exit before any work; output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

import imu.evaluate
from imu.cli import main
from imu.cli.eval import print_figures
from imu.evaluate import Case, EvalConfig, SeedRange, evaluate
from tests.evaluate.fakes import FakeAnalyzerFactory, FakeSimulator, make_truth


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the evaluation starts."""
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the evaluation started")

    monkeypatch.setattr(imu.evaluate, "evaluate", boom)


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(["eval", *argv])
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("rate", ["10", "25", "0", "-5"])
def test_max_rate_below_every_rate_is_one_line(
    no_work: None, capsys: pytest.CaptureFixture[str], rate: str
) -> None:
    err = _error(capsys, ["--max-rate", rate])
    assert f"--max-rate {rate}" in err and "26, 52, 104, 208, 416, 833" in err


def test_unwritable_out_fails_before_the_work(
    no_work: None, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _error(capsys, ["--out", "/dev/null/x", "--sessions", "1"])
    assert "/dev/null/x" in err


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["--workers", "-1"], "--workers"),
        (["--workers", "0"], "--workers"),
        (["--workers", "100000"], "at most"),
        (["--chunk", "-1"], "--chunk"),
        (["--sessions", "0"], "--sessions"),
        (["--seed-start", "x"], "--seed-start"),
        (["--seed-start", "-3"], "--seed-start"),
        (["--holdout", "--sessions", "101"], "100"),
        (["--holdout", "--seed-start", "5"], "--holdout"),
        (["--exercises", "yoga"], "yoga"),
    ],
)
def test_bad_arguments_are_one_line(
    no_work: None, capsys: pytest.CaptureFixture[str], argv: list[str], names: str
) -> None:
    assert names in _error(capsys, argv)


def _printed(truth_found: tuple[object, object]) -> str:
    truth, found = truth_found
    case = Case("reverse-crunch", "reverse-crunch", "reverse-crunch")
    cfg = EvalConfig((case,), ranges=(SeedRange(0, 1),))
    ev = evaluate(cfg, FakeAnalyzerFactory(found), FakeSimulator(truth))  # type: ignore[arg-type]
    buf = io.StringIO()
    print_figures(ev, Console(file=buf, width=200))
    return buf.getvalue()


def test_undefined_f1_prints_blank() -> None:
    truth = make_truth()
    text = _printed((truth, truth))
    rows = [line for line in text.splitlines() if "partial_rom" in line]
    assert rows, text
    for row in rows:
        cells = [c.strip() for c in row.split("│")]
        # exercise, family, label, F1, precision, recall, truth +, found +
        assert cells[4:7] == ["", "", ""], row
        assert "1.00" not in row
    swing = next(line for line in text.splitlines() if " swing " in line and " all " in line)
    assert "1.00" in swing


def test_a_real_run_writes_every_table(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eval"
    code = main(["eval", "--exercises", "reverse-crunch", "--sessions", "1", "--max-rate", "26",
                 "--workers", "1", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "20-sample chunks" in text and "wall time" in text and "seeds 0-0" in text
    names = {p.name for p in out.iterdir()}
    assert {"counts.csv", "boundaries.csv", "labels.csv", "quantities.csv", "sessions.csv",
            "sets.csv", "pairs.csv", "about.txt"} <= names
    assert not [n for n in names if n.startswith(".")]


class _Stopped(BaseException):
    """Raised by the fake evaluation: the test only needs what was printed before it."""


@pytest.mark.parametrize(("seed_start", "warned"), [("125000", True), ("95000", True),
                                                    ("0", False), ("999", False)])
def test_seeds_in_a_held_out_range_are_warned_about(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seed_start: str,
    warned: bool,
) -> None:
    """Tuning on held-out seeds (the current set, or one already reported) is said first."""
    def stop(*args: object, **kwargs: object) -> None:
        raise _Stopped

    monkeypatch.setattr(imu.evaluate, "evaluate", stop)
    with pytest.raises(_Stopped):
        main(["eval", "--seed-start", seed_start, "--sessions", "1",
              "--exercises", "reverse-crunch"])
    out = " ".join(capsys.readouterr().out.split())
    assert ("these seeds overlap the held-out ranges" in out) is warned
    if warned:
        assert "tune on" in out
