"""Seeds, cases and draws: fixed in advance, reproducible, checked before any work."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import imu.evaluate.sessions as sessions
from imu.evaluate import (
    HOLDOUT_RANGES,
    EvalConfig,
    EvalError,
    SeedRange,
    default_cases,
    holdout_ranges,
)
from imu.evaluate.config import touches_holdout
from imu.evaluate.run import session_jobs
from imu.evaluate.sessions import draw_spec
from imu.sim import SessionSpec


def test_holdout_ranges_are_the_published_ones() -> None:
    assert [(r.start, r.stop - 1) for r in HOLDOUT_RANGES] == [
        (125000, 125099), (125100, 125199), (125200, 125299), (125300, 125399),
        (125400, 125499)]
    assert [r.label for r in holdout_ranges(10)] == [
        "125000-125009", "125100-125109", "125200-125209", "125300-125309", "125400-125409"]
    assert touches_holdout(holdout_ranges(1))
    assert touches_holdout((SeedRange(90400, 5),))  # the earlier held-out sets, seen since
    assert touches_holdout((SeedRange(91300, 5),))
    assert touches_holdout((SeedRange(92000, 1),))
    assert touches_holdout((SeedRange(93450, 3),))
    assert touches_holdout((SeedRange(94307, 1),))
    assert touches_holdout((SeedRange(102450, 5),))  # the thirteenth, reported once
    assert touches_holdout((SeedRange(103201, 3),))  # the fourteenth, reported once
    assert touches_holdout((SeedRange(104450, 2),))  # the fifteenth, reported once
    assert touches_holdout((SeedRange(105099, 1),))  # the sixteenth, reported once
    assert touches_holdout((SeedRange(106300, 4),))  # the seventeenth, reported once
    assert touches_holdout((SeedRange(107499, 1),))  # the eighteenth, reported once
    assert touches_holdout((SeedRange(108050, 2),))  # the nineteenth, reported once
    assert touches_holdout((SeedRange(109499, 1),))  # the twentieth, reported once
    assert touches_holdout((SeedRange(110250, 3),))  # the twenty-first, reported once
    assert touches_holdout((SeedRange(111099, 1),))  # the twenty-second, reported once
    assert touches_holdout((SeedRange(112250, 2),))  # the twenty-third, reported once
    assert touches_holdout((SeedRange(113499, 1),))  # the twenty-fourth, reported once
    assert touches_holdout((SeedRange(114499, 1),))  # the twenty-fifth, reported once
    assert touches_holdout((SeedRange(115250, 2),))  # the twenty-sixth, reported once
    assert touches_holdout((SeedRange(116499, 1),))  # the twenty-seventh, reported once
    assert touches_holdout((SeedRange(117499, 1),))  # the twenty-eighth, reported once
    assert touches_holdout((SeedRange(118250, 2),))  # the twenty-ninth, reported once
    assert touches_holdout((SeedRange(119499, 1),))  # the thirtieth, reported once
    assert touches_holdout((SeedRange(120250, 2),))  # the thirty-first, reported once
    assert touches_holdout((SeedRange(121250, 2),))  # the thirty-second, reported once
    assert touches_holdout((SeedRange(122250, 2),))  # the thirty-third, reported once
    assert touches_holdout((SeedRange(123499, 1),))  # the thirty-fourth, reported once
    assert touches_holdout((SeedRange(124499, 1),))  # the thirty-fifth, reported once
    assert touches_holdout((SeedRange(95490, 20),))
    assert touches_holdout((SeedRange(98301, 1),))  # the ninth, seen since
    assert touches_holdout((SeedRange(96250, 3),))
    assert touches_holdout((SeedRange(97499, 1),))
    assert touches_holdout((SeedRange(99250, 3),))  # the tenth, seen since
    assert touches_holdout((SeedRange(100499, 1),))  # the eleventh, seen since
    assert touches_holdout((SeedRange(101250, 3),))  # the twelfth, seen since
    assert not touches_holdout((SeedRange(99500, 500),))
    assert not touches_holdout((SeedRange(100500, 500),))
    assert not touches_holdout((SeedRange(101500, 500),))
    assert not touches_holdout((SeedRange(90500, 400),))
    assert not touches_holdout((SeedRange(0, 1000),))
    with pytest.raises(EvalError, match="100"):
        holdout_ranges(101)


def test_jobs_cover_every_case_and_seed_of_every_range() -> None:
    cfg = EvalConfig(default_cases(False), ranges=(SeedRange(0, 2), SeedRange(90000, 1)))
    jobs = session_jobs(cfg)
    assert len(jobs) == cfg.n_sessions == 9 * 3
    assert {seed for _, seed, _ in jobs} == {0, 1, 90000}


@pytest.mark.parametrize("bad", [{"max_rate_hz": 25}, {"rates_hz": (100,)}, {"chunk": -1},
                                 {"ranges": ()}, {"ranges": (SeedRange(0, 0),)}, {"sets": 0}])
def test_config_refuses_what_cannot_run(bad: dict[str, object]) -> None:
    with pytest.raises(EvalError):
        EvalConfig(default_cases(False), **bad)  # type: ignore[arg-type]


def test_draws_depend_on_case_and_seed_only() -> None:
    cases = {c.name: c for c in default_cases(False)}
    cfg = EvalConfig(tuple(cases.values()))
    a, _ = draw_spec(cases["reverse-crunch"], 7, cfg)
    b, _ = draw_spec(cases["reverse-crunch"], 7, cfg)
    c, _ = draw_spec(cases["leg-raise"], 7, cfg)
    d, _ = draw_spec(cases["reverse-crunch"], 8, cfg)
    assert a == b
    assert a.seed != c.seed and a.seed != d.seed
    slow = EvalConfig(tuple(cases.values()), max_rate_hz=52)
    assert all(draw_spec(cases["plank"], s, slow)[0].sampling_rate_hz <= 52 for s in range(20))


@dataclass(frozen=True)
class _SpecWithPendulum(SessionSpec):
    body_pendulum: bool = False


def test_hanging_leg_raise_with_and_without_a_swinging_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = [c.name for c in default_cases(True)]
    assert "hanging-leg-raise" in names and "hanging-leg-raise+pendulum" in names
    assert "hanging-leg-raise+pendulum" not in [c.name for c in default_cases(False)]
    cases = {c.name: c for c in default_cases(True)}
    cfg = EvalConfig(tuple(cases.values()))
    with monkeypatch.context() as m:
        m.setattr(sessions, "pendulum_supported", lambda: False)
        with pytest.raises(EvalError, match="body_pendulum"):
            draw_spec(cases["hanging-leg-raise+pendulum"], 0, cfg)
    if not sessions.pendulum_supported():  # a simulator without the field yet
        monkeypatch.setattr(sessions, "SessionSpec", _SpecWithPendulum)
    assert sessions.pendulum_supported()
    swinging, _ = draw_spec(cases["hanging-leg-raise+pendulum"], 0, cfg)
    still, _ = draw_spec(cases["hanging-leg-raise"], 0, cfg)
    assert swinging.body_pendulum is True and still.body_pendulum is False  # type: ignore[attr-defined]
    # The same faults (short_hold only where the case's own tempo draw prescribes a hold).
    assert ({k: v for k, v in swinging.faults.items() if k != "short_hold"}
            == {k: v for k, v in still.faults.items() if k != "short_hold"})
