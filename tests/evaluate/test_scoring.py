"""Known analyzers give known scores: a perfect fake scores exactly, each corruption as computed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from imu.evaluate import (
    Case,
    EvalConfig,
    SeedRange,
    evaluate,
    evaluate_session,
    summarize,
    with_spread,
)
from imu.evaluate.scoring import match_reps, pairs_table
from tests.evaluate.fakes import FakeAnalyzer, FakeAnalyzerFactory, FakeSimulator, make_truth

CRUNCH = Case("reverse-crunch", "reverse-crunch", "reverse-crunch")


def score(found: pd.DataFrame, truth: pd.DataFrame | None = None, case: Case = CRUNCH,
          chunk: int = 20) -> dict[str, pd.DataFrame]:
    truth = make_truth() if truth is None else truth
    cfg = EvalConfig((case,), ranges=(SeedRange(0, 1),), chunk=chunk)
    res = evaluate_session(case, 0, cfg, "0-0", FakeAnalyzerFactory(found), FakeSimulator(truth))
    return summarize([res])


def label(fig: dict[str, pd.DataFrame], name: str, family: str = "all") -> pd.Series:
    lab = fig["labels"]
    rows = lab[(lab["label"] == name) & (lab["family"] == family)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def counts(fig: dict[str, pd.DataFrame]) -> pd.Series:
    return fig["counts"].iloc[0]


def test_perfect_analyzer_scores_exactly() -> None:
    truth = make_truth()
    fig = score(truth)
    c = counts(fig)
    assert (c.truth_reps, c.found_reps, c.missed, c.extra) == (10, 10, 0, 0)
    assert c.set_count_exact == 1.0 and c.set_count_mae == 0.0
    assert c.session_count_exact == 1.0 and c.set_boundaries_exact == 1.0
    assert c.session_sets_exact == 1.0
    b = fig["boundaries"]
    assert (b["n"] == 10).all() or set(b["family"]) != {"all"}
    assert (b["median_ms"] == 0).all() and (b["p90_ms"] == 0).all()
    for name in ("swing", "dropped_eccentric"):
        row = label(fig, name)
        assert (row.f1, row.precision, row.recall) == (1.0, 1.0, 1.0)
    q = fig["quantities"].set_index(["family", "quantity"])
    assert q.loc[("all", "rom_deg"), "median"] == 0.0
    assert q.loc[("all", "windup_deg"), "p90"] == 0.0
    assert "only_in_truth_deg" not in set(fig["quantities"]["quantity"])


def test_undefined_f1_is_nan_never_one() -> None:
    fig = score(make_truth())
    row = label(fig, "partial_rom")  # applies to the profile, no positive anywhere
    assert row.truth_positives == 0 and row.found_positives == 0
    assert math.isnan(row.f1) and math.isnan(row.precision) and math.isnan(row.recall)


def test_dropped_rep_is_one_count_error_and_a_missed_positive() -> None:
    truth = make_truth()
    fig = score(truth.drop(index=1))  # rep 1 of set 1 is a swing (swings: 1 and 7)
    c = counts(fig)
    assert (c.found_reps, c.missed, c.extra) == (9, 1, 0)
    assert c.set_count_exact == 0.5 and c.set_count_mae == 0.5
    assert c.session_count_exact == 0.0 and c.session_count_mae == 1.0
    assert c.set_boundaries_exact == 1.0  # the sets themselves are right
    row = label(fig, "swing")
    assert (row.tp, row.fp, row.fn) == (1, 0, 1)
    assert row.recall == 0.5 and row.precision == 1.0 and row.f1 == pytest.approx(2 / 3)
    fam = label(fig, "swing", "toss-windup")
    assert fam.recall == 0.5
    assert math.isnan(label(fig, "swing", "bell").f1)


def _extra_rep(truth: pd.DataFrame, at_s: float, set_no: int, swing: bool) -> pd.DataFrame:
    extra = truth.iloc[[0]].copy()
    shift = at_s - float(extra["con_start_s"].iloc[0])
    for col in ("con_start_s", "con_end_s", "ecc_start_s", "ecc_end_s"):
        extra[col] = extra[col] + shift
    extra["set"] = set_no
    extra["swing"] = swing
    return pd.concat([truth, extra], ignore_index=True).sort_values("con_start_s")


def test_extra_rep_in_a_rest_is_a_count_error_and_a_false_positive() -> None:
    truth = make_truth()  # set 1 ends at 21.0 s, set 2 starts at 50.5 s
    found = _extra_rep(truth, 33.0, 2, swing=True)
    found.loc[found["set"] == 2, "set"] = 3
    found.loc[found["con_start_s"] == 33.0, "set"] = 2  # its own set, as a lone rep would be
    fig = score(found)
    c = counts(fig)
    assert (c.found_reps, c.missed, c.extra) == (11, 0, 1)
    assert c.set_count_exact == pytest.approx(2 / 3)  # 2 truth sets exact, 1 extra set
    assert c.session_count_exact == 0.0 and c.session_count_mae == 1.0
    assert c.set_boundaries_exact == 1.0 and c.session_sets_exact == 0.0
    row = label(fig, "swing")
    assert (row.tp, row.fp, row.fn) == (2, 1, 0)
    assert row.precision == pytest.approx(2 / 3) and row.recall == 1.0


def test_extra_rep_before_the_first_set_counts_in_the_set_it_was_given() -> None:
    truth = make_truth()
    found = _extra_rep(truth, 1.0, 1, swing=False)
    fig = score(found)
    c = counts(fig)
    assert (c.found_reps, c.extra) == (11, 1)
    assert c.set_count_exact == 0.5 and c.set_count_mae == 0.5
    assert c.session_count_exact == 0.0


def test_boundaries_shifted_100_ms_give_100_ms_errors() -> None:
    truth = make_truth()
    found = truth.copy()
    for col in ("con_start_s", "con_end_s", "ecc_start_s", "ecc_end_s"):
        found[col] = found[col] + 0.1
    fig = score(found)
    b = fig["boundaries"]
    assert b["median_ms"].to_numpy() == pytest.approx(100.0)
    assert b["p90_ms"].to_numpy() == pytest.approx(100.0)
    assert counts(fig).missed == 0


def test_flipped_label_gives_known_precision_and_recall() -> None:
    truth = make_truth()
    found = truth.copy()
    found.loc[4, "swing"] = True  # a false swing (truth swings: 1 and 7)
    found.loc[3, "dropped_eccentric"] = False  # a missed dropped eccentric (the only one)
    fig = score(found)
    sw = label(fig, "swing")
    assert (sw.tp, sw.fp, sw.fn) == (2, 1, 0)
    assert sw.precision == pytest.approx(2 / 3) and sw.recall == 1.0
    assert sw.f1 == pytest.approx(0.8)
    de = label(fig, "dropped_eccentric")
    assert (de.tp, de.fp, de.fn) == (0, 0, 1) and de.f1 == 0.0 and de.recall == 0.0
    assert math.isnan(de.precision)


def test_wrong_set_split_is_a_set_boundary_error() -> None:
    truth = make_truth()
    found = truth.copy()
    found.loc[4, "set"] = 2  # the last rep of set 1 numbered into set 2
    fig = score(found)
    c = counts(fig)
    assert c.missed == 0 and c.extra == 0 and c.session_count_exact == 1.0
    assert c.set_count_exact == 0.0 and c.set_count_mae == 1.0
    assert c.set_boundaries_exact == 0.0  # set 1 lost a rep to set 2, set 2 holds one of set 1
    assert c.session_sets_exact == 0.0


def test_merged_sets_are_two_set_errors() -> None:
    truth = make_truth()
    found = truth.assign(set=1)
    c = counts(score(found))
    assert c.set_count_exact == 0.0 and c.set_count_mae == 5.0
    assert c.set_boundaries_exact == 0.0


def test_quantity_errors_compare_columns_by_name() -> None:
    truth = make_truth()
    found = truth.copy()
    found["windup_deg"] = found["windup_deg"] + 2.0
    q = score(found)["quantities"].set_index(["family", "quantity"])
    assert q.loc[("all", "windup_deg"), "median"] == pytest.approx(2.0)
    assert q.loc[("all", "rom_deg"), "median"] == 0.0


def test_swing_of_standing_strict_is_not_scored_by_construction() -> None:
    case = Case("standing-curl", "standing-curl", "standing-strict")
    truth = make_truth(swing=tuple(range(10)), exercise="standing-curl")
    truth.loc[0, "swing"] = False  # a strict rep: invisible at the hip, dropped from the truth
    found = truth[truth["swing"]]
    fig = score(found, truth, case)
    row = label(fig, "swing")
    assert math.isnan(row.f1) and row.note
    assert row.truth_positives == 9 and row.found_positives == 9
    assert counts(fig).truth_reps == 9


@pytest.mark.parametrize("chunk", [0, 1, 20, 333])
def test_the_analyzer_is_fed_in_chunks(chunk: int) -> None:
    truth = make_truth()
    factory = FakeAnalyzerFactory(truth)
    cfg = EvalConfig((CRUNCH,), ranges=(SeedRange(0, 1),), chunk=chunk)
    res = evaluate_session(CRUNCH, 0, cfg, "", factory, FakeSimulator(truth))
    sizes = factory.made[0].chunks
    if chunk == 0:
        assert len(sizes) == 1
    else:
        assert max(sizes) == chunk and all(s == chunk for s in sizes[:-1])
    assert res.session["matched"] == 10


def test_spread_over_ranges_is_min_and_max_of_each_range() -> None:
    truth = make_truth()
    cfg = EvalConfig((CRUNCH,), ranges=(SeedRange(0, 1), SeedRange(100, 1)))
    sim = FakeSimulator(truth)
    perfect = evaluate_session(CRUNCH, 0, cfg, "0-0", FakeAnalyzerFactory(truth), sim)
    dropped = evaluate_session(CRUNCH, 100, cfg, "100-100",
                               FakeAnalyzerFactory(truth.drop(index=1)), sim)
    fig = with_spread(summarize([perfect, dropped]),
                      [summarize([perfect]), summarize([dropped])])
    c = fig["counts"].iloc[0]
    assert (c.set_count_exact, c.set_count_exact_min, c.set_count_exact_max) == (0.75, 0.5, 1.0)
    sw = label(fig, "swing")
    assert sw.recall == 0.75 and (sw.recall_min, sw.recall_max) == (0.5, 1.0)
    assert "truth_positives_min" not in fig["labels"]


def test_evaluate_runs_every_range_and_case_through_the_injected_fakes() -> None:
    truth = make_truth()
    cfg = EvalConfig((CRUNCH,), ranges=(SeedRange(0, 2), SeedRange(100, 1)))
    ev = evaluate(cfg, FakeAnalyzerFactory(truth), FakeSimulator(truth))
    assert [(r.seed, r.seed_range) for r in ev.results] == [(0, "0-1"), (1, "0-1"),
                                                            (100, "100-100")]
    c = ev.figures["counts"].iloc[0]
    assert c.set_count_exact_min == c.set_count_exact_max == 1.0
    assert ev.wall_s > 0
    assert set(ev.raw_tables()) == {"sessions", "sets", "pairs"}


class _BrokenSimulator:
    def __call__(self, spec: object) -> object:
        from imu.errors import SimulationError

        raise SimulationError("cannot make that")


def test_a_failing_simulator_is_recorded_and_left_out() -> None:
    truth = make_truth()
    cfg = EvalConfig((CRUNCH,), ranges=(SeedRange(0, 1),))
    bad = evaluate_session(CRUNCH, 3, cfg, "", FakeAnalyzerFactory(truth),
                           _BrokenSimulator())  # type: ignore[arg-type]
    assert bad.error == "simulator: SimulationError: cannot make that" and not bad.scored
    good = evaluate_session(CRUNCH, 4, cfg, "", FakeAnalyzerFactory(truth), FakeSimulator(truth))
    c = summarize([bad, good])["counts"].iloc[0]
    assert (c.sessions, c.failed, c.truth_reps) == (1, 1, 10)


class _CrashingFactory(FakeAnalyzerFactory):
    """Its analyzers raise once the stream passes 30 s (after set 1, before set 2)."""

    def __call__(self, profile: object, sampling_rate_hz: float, tempo: object) -> FakeAnalyzer:
        inner = super().__call__(profile, sampling_rate_hz, tempo)
        real_update = inner.update

        def update(acc: object, gyr: object) -> list[object]:
            if inner._n > 30 * sampling_rate_hz:
                raise RuntimeError("bug")
            return real_update(acc, gyr)  # type: ignore[arg-type]

        inner.update = update  # type: ignore[method-assign,assignment]
        return inner


def test_a_crashing_analyzer_is_scored_on_what_it_reported() -> None:
    truth = make_truth()
    cfg = EvalConfig((CRUNCH,), ranges=(SeedRange(0, 1),))
    res = evaluate_session(CRUNCH, 0, cfg, "", _CrashingFactory(truth), FakeSimulator(truth))
    assert res.error == "analyzer: RuntimeError: bug" and res.scored
    c = summarize([res])["counts"].iloc[0]
    assert (c.matched, c.missed, c.failed) == (5, 5, 1)


def test_workers_run_the_same_sessions_as_one_process() -> None:
    truth = make_truth()
    found = truth.drop(index=[2, 8])
    cfg = EvalConfig((CRUNCH,), ranges=(SeedRange(0, 3),))
    one = evaluate(cfg, FakeAnalyzerFactory(found), FakeSimulator(truth), workers=1)
    two = evaluate(cfg, FakeAnalyzerFactory(found), FakeSimulator(truth), workers=2)
    pd.testing.assert_frame_equal(one.figures["labels"], two.figures["labels"])
    assert [r.seed for r in two.results] == [0, 1, 2]


def test_holds_compare_the_hold_itself() -> None:
    plank = Case("plank", "plank", "plank")
    truth = make_truth(sets=2, reps=2, exercise="plank", swing=(), dropped=())
    truth["con_start_s"] = [5.0, 60.0, 150.0, 205.0]
    truth["ecc_end_s"] = truth["con_start_s"] + 40.0
    for col in ("con_end_s", "ecc_start_s", "concentric_s", "eccentric_s"):
        truth[col] = math.nan
    truth["top_hold_s"] = truth["tut_s"] = 40.0
    truth["bottom_pause_s"] = [15.0, math.nan, 15.0, math.nan]
    truth["rom_deg"] = -3.0
    found = truth.copy()  # the analyzer's hold rep: getting into position, hold, getting down
    found["con_end_s"] = truth["con_start_s"]
    found["ecc_start_s"] = truth["ecc_end_s"]
    found["con_start_s"] = truth["con_start_s"] - 1.5
    found["ecc_end_s"] = truth["ecc_end_s"] + 2.0
    fig = score(found, truth, plank)
    c = counts(fig)
    assert c.missed == 0 and c.extra == 0 and c.set_count_exact == 1.0
    b = fig["boundaries"].set_index(["family", "boundary"])
    assert b.loc[("all", "con_start"), "median_ms"] == 0.0
    assert b.loc[("all", "ecc_end"), "p90_ms"] == 0.0
    assert b.loc[("all", "con_end"), "n"] == 0
    q = fig["quantities"].set_index(["family", "quantity"])
    for name in ("top_hold_s", "tut_s", "bottom_pause_s", "rom_deg"):
        assert q.loc[("all", name), "p90"] == 0.0, name


def test_confidence_figures_count_uncertain_and_confident_extra_reps() -> None:
    from types import SimpleNamespace

    from imu.evaluate.summary import _confidence_figures

    pairs = pd.DataFrame({
        "status": ["matched", "matched", "extra", "extra", "missed"],
        "d_count_confidence": [0.9, 0.2, 0.8, 0.1, float("nan")],
    })
    wrong = SimpleNamespace(pairs=pairs, session={"count_error": 1})
    right = SimpleNamespace(pairs=pairs.iloc[:2], session={"count_error": 0})
    figures = _confidence_figures([wrong, right])  # type: ignore[list-item]
    assert figures == {"uncertain_reps": 3, "missed_before": 0, "confident_extra": 1,
                       "wrong_sessions_flagged": 1.0}
    assert _confidence_figures([SimpleNamespace(pairs=pairs.drop(columns="d_count_confidence"),
                                                session={"count_error": 0})]) == {}


def test_a_pause_marked_as_hiding_a_missed_rep_flags_the_wrong_count() -> None:
    from types import SimpleNamespace

    from imu.evaluate.summary import _confidence_figures

    sure = pd.DataFrame({"status": ["matched", "missed", "matched", "matched"],
                         "d_count_confidence": [0.9, float("nan"), 0.9, 0.9]})
    short = SimpleNamespace(pairs=sure, session={"count_error": -1})
    assert _confidence_figures([short])["wrong_sessions_flagged"] == 0.0  # a confident miss
    marked = sure.assign(d_missed_before=[False, False, True, False])
    figures = _confidence_figures([SimpleNamespace(pairs=marked, session={"count_error": -1})])
    assert figures["missed_before"] == 1 and figures["wrong_sessions_flagged"] == 1.0


def test_pairs_carry_the_missed_before_mark() -> None:
    truth = make_truth(sets=1, reps=3)
    found = truth.copy()
    found["count_confidence"] = 1.0
    found["missed_before"] = [False, True, False]
    pairs = pairs_table(truth, found, match_reps(truth, found))
    assert pairs["d_missed_before"].tolist() == [False, True, False]
