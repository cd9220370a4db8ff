"""``imu eval --exercises`` takes the spellings simulate, live and analyze take."""

from __future__ import annotations

import pytest

import imu.evaluate
from imu.cli import main
from imu.evaluate.config import EvalError


@pytest.fixture
def cases_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The case names the evaluation would run (it stops where it would start)."""
    seen: list[str] = []

    def stop(cfg: imu.evaluate.EvalConfig, **kwargs: object) -> None:
        seen.extend(c.name for c in cfg.cases)
        raise EvalError("the evaluation started")

    monkeypatch.setattr(imu.evaluate, "evaluate", stop)
    return seen


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("reverse_crunch", ["reverse-crunch"]),
        ("Reverse_Crunch, DEAD BUG", ["reverse-crunch", "dead-bug"]),
        ("hanging_leg_raise+pendulum", ["hanging-leg-raise+pendulum"]),
    ],
)
def test_underscores_and_capitals_are_taken(
    cases_run: list[str], capsys: pytest.CaptureFixture[str], text: str, names: list[str]
) -> None:
    """'--exercises reverse_crunch' was refused as unknown."""
    if "pendulum" in text and not imu.evaluate.pendulum_supported():
        pytest.skip("the simulator cannot swing the body")
    assert main(["eval", "--exercises", text, "--sessions", "1"]) == 2
    err = capsys.readouterr().err
    assert "the evaluation started" in err and "unknown" not in err, err
    assert sorted(cases_run) == sorted(names)


def test_a_misspelling_is_still_named(cases_run: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--exercises", "Reverse_Crunchh"]) == 2
    assert "unknown Reverse_Crunchh" in capsys.readouterr().err
    assert cases_run == []
