"""The coaching screen's state model, event by event (no server, no browser)."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from imu.core.metrics import TempoTolerance
from imu.live.events import (
    Connected,
    Disconnected,
    Finished,
    PaceCue,
    PhaseChanged,
    PhaseStarted,
    Reconnecting,
    RepDone,
    SetEnded,
    StreamEvent,
)
from imu.live.web.state import MAX_EXTRAPOLATION_S, CoachingState
from tests.live.web_support import CRUNCH_TEMPO, INFO, progress, rep_events, session_events
from tests.live.web_support import crunch_reps as load_crunch_reps


@pytest.fixture(scope="module")
def crunch_reps():
    """The bundled reverse crunch's 12 reps (analysed once per session)."""
    return list(load_crunch_reps())


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_state(speed: float = 1.0) -> tuple[CoachingState, FakeClock]:
    clock = FakeClock()
    return CoachingState("Reverse crunch", CRUNCH_TEMPO, speed=speed, clock=clock), clock


def feed(state: CoachingState, events) -> None:
    for event in events:
        state.apply(event)


def test_the_count_climbs_per_set_and_the_total_for_the_session(crunch_reps):
    state, _ = make_state()
    counts = []
    for event in session_events(crunch_reps, CRUNCH_TEMPO):
        state.apply(event)
        if isinstance(event, RepDone):
            snap = state.snapshot()
            counts.append((snap["set_no"], snap["count"], snap["total"]))
    assert counts == [(1, n, n) for n in range(1, 7)] + [(2, n, 6 + n) for n in range(1, 7)]
    snap = state.snapshot()
    assert [r["number"] for r in snap["reps"]] == list(range(7, 13))
    assert [s["set"] for s in snap["sets"]] == [1, 2]


def test_phase_started_drives_the_phase_and_its_bar(crunch_reps):
    state, clock = make_state(speed=2.0)
    state.apply(next(iter(session_events(crunch_reps, CRUNCH_TEMPO))))  # Connected
    rep = crunch_reps[0]
    ecc = PhaseStarted("eccentric", 1, rep.ecc_start_s, rep.ecc_start_s + 0.25, 3.0)
    assert state.apply(ecc)
    phase = state.snapshot()["phase"]
    assert phase["key"] == "eccentric" and phase["name"] == "down"
    assert phase["prescribed_s"] == 3.0 and phase["rep_no"] == 1
    assert phase["elapsed_s"] == pytest.approx(0.25)
    assert state.snapshot()["running"]
    # Half a host second later, at twice real time: one more data second.
    clock.now += 0.5
    assert state.snapshot()["phase"]["elapsed_s"] == pytest.approx(1.25)
    # Extrapolation stops MAX_EXTRAPOLATION_S past the newest data heard of.
    clock.now += 100
    assert state.snapshot()["phase"]["elapsed_s"] == pytest.approx(0.25 + MAX_EXTRAPOLATION_S)
    # ...and not at all while the link is down.
    state.apply(Disconnected(at_sample=100))
    first = state.snapshot()["phase"]["elapsed_s"]
    clock.now += 1
    assert state.snapshot()["phase"]["elapsed_s"] == first
    assert not state.snapshot()["running"]


def test_each_phase_name_shows_in_turn(crunch_reps):
    state, _ = make_state()
    names = [state.snapshot()["phase"]["name"]]
    for event in rep_events(crunch_reps[3], 1, CRUNCH_TEMPO):
        state.apply(event)
        names.append(state.snapshot()["phase"]["name"])
    assert names[:5] == ["waiting for the sensor", "up", "hold", "down", "pause"]


def test_the_old_phase_hint_is_used_only_without_phase_started(crunch_reps):
    state, _ = make_state()
    assert state.apply(PhaseChanged("up"))
    assert state.snapshot()["phase"]["key"] == "concentric"
    assert state.snapshot()["phase"]["prescribed_s"] == 3.0
    assert state.apply(PhaseChanged("down"))
    assert state.snapshot()["phase"]["name"] == "down"
    assert not state.apply(PhaseChanged("down"))  # no change, no update
    # Still for a few seconds is not the end of the set (only SetEnded says so); after a
    # lowering it is a pause at the bottom, not a hold (a squeeze at the top).
    assert state.apply(PhaseChanged("rest"))
    assert state.snapshot()["phase"]["key"] == "bottom_pause"
    state.apply(PhaseStarted("concentric", 2, 10.0, 10.2, 3.0))
    assert not state.apply(PhaseChanged("rest"))
    assert state.snapshot()["phase"]["key"] == "concentric"


def test_the_next_lift_clears_the_set_summary_without_phase_started(crunch_reps):
    """Only the old hint (no PhaseStarted yet, e.g. after a sensor loss and a new learning):
    the set summary must go when the next lift starts, not stay up over it."""
    state, _ = make_state()
    set1 = tuple(r for r in crunch_reps if r.set == 1)
    for rep in set1:
        state.apply(RepDone(rep, 0.0, 0.0))
    state.apply(SetEnded(1, set1))
    assert state.snapshot()["resting"]["set"] == 1
    assert not state.apply(PhaseChanged("rest"))  # still: the summary stays up
    assert state.snapshot()["resting"] is not None
    assert state.apply(PhaseChanged("up"))
    snap = state.snapshot()
    assert snap["phase"]["key"] == "concentric" and snap["resting"] is None


def test_rep_rows_hold_each_phase_against_the_prescription(crunch_reps):
    state, _ = make_state()
    tol = TempoTolerance()
    for i, rep in enumerate(crunch_reps[:6]):
        state.apply(RepDone(rep, 0.0, 0.0))
        row = state.snapshot()["last_rep"]
        assert row["number"] == i + 1
        expected = [tol.ok(rep.concentric_s, 3.0), tol.ok(rep.top_hold_s, 1.0),
                    tol.ok(rep.eccentric_s, 3.0)]
        assert [p["ok"] for p in row["phases"]] == expected
        assert [p["prescribed_s"] for p in row["phases"]] == [3.0, 1.0, 3.0]
        assert row["phases"][2]["measured_s"] == pytest.approx(rep.eccentric_s, abs=0.01)
        assert row["swing"] == rep.swing
        assert set(row["faults"]) == set(rep.faults)
    first = state.snapshot()["reps"][0]
    # Rep 1 of the bundled crunch: up 2.6 s (on tempo), down 1.4 s (dropped).
    assert [p["ok"] for p in first["phases"]] == [True, True, False]
    assert first["fault_text"] == ["dropped descent"]
    assert state.snapshot()["reps"][2]["swing"]


def test_a_pace_cue_shows_until_the_next_rep_starts(crunch_reps):
    state, _ = make_state()
    rep = crunch_reps[0]  # a dropped eccentric
    events = list(rep_events(rep, 1, CRUNCH_TEMPO))
    assert any(isinstance(e, PaceCue) for e in events)
    feed(state, events)
    snap = state.snapshot()
    assert snap["cue"]["message"] == "slower" and snap["cue"]["rep_no"] == 1
    assert snap["cues"] == 1
    state.apply(PhaseStarted("concentric", 2, 9.0, 9.3, 3.0))
    assert state.snapshot()["cue"] is None
    assert state.snapshot()["cues"] == 1


def test_a_set_ends_with_its_summary_and_the_next_rep_clears_it(crunch_reps):
    state, _ = make_state()
    set1 = tuple(r for r in crunch_reps if r.set == 1)
    for i, rep in enumerate(set1):
        feed(state, rep_events(rep, i + 1, CRUNCH_TEMPO))
    state.apply(SetEnded(1, set1))
    snap = state.snapshot()
    assert snap["phase"]["key"] == "rest" and not snap["running"]
    # The rest is timed from the end of the last lowering (the page shows "rest m:ss").
    assert snap["phase"]["at_s"] == pytest.approx(set1[-1].ecc_end_s)
    assert snap["phase"]["elapsed_s"] is not None and snap["phase"]["elapsed_s"] >= 0
    summary = snap["resting"]
    assert summary == {
        "set": 1, "reps": 6, "on_tempo": 2, "not_judged": 0, "swings": 2, "faults": 2,
        "fault_names": ["dropped descent"], "clean_before_first_fault": 0,
        "uncertain": 0, "hip_drive": False,
        "tut_s": pytest.approx(sum(r.tut_s for r in set1), abs=0.1),
        # The one coaching line: 2 swings and 2 dropped descents, the dropped descent first,
        # as the report's "fix first" ranks the tie.
        "coaching": {"cue": "slow the descent", "why": "dropped descent in 2 of 6 reps",
                     "good": False},
    }
    # The hint of a still sensor does not take the summary away; the next rep does.
    state.apply(PhaseStarted("concentric", 7, 66.0, 66.3, 3.0))
    assert state.snapshot()["resting"] is None
    assert state.snapshot()["sets"][0]["set"] == 1


def test_link_states_gaps_and_the_end():
    state, _ = make_state()
    assert state.snapshot()["link"]["state"] == "connecting"
    state.apply(next(iter(session_events([], CRUNCH_TEMPO))))
    link = state.snapshot()["link"]
    assert link["state"] == "connected" and "battery 87%" in link["device"]
    state.apply(Disconnected(at_sample=500))
    assert state.snapshot()["link"]["state"] == "reconnecting"
    state.apply(Reconnecting(attempt=2, delay_s=0.5, error="link lost"))
    link = state.snapshot()["link"]
    assert (link["text"], link["attempt"]) == ("sensor lost, reconnecting", 2)
    state.apply(Connected(INFO, reconnect=True))
    assert state.snapshot()["link"]["text"] == "reconnected"
    seq = state.seq
    assert not state.apply(progress(12.0))  # nothing the page shows changed
    assert state.seq == seq
    assert state.apply(progress(13.0, gaps=1, lost=48))
    assert state.snapshot()["link"]["gaps"] == 1
    state.apply(StreamEvent("stopped_by_device", "ACC"))
    assert "stopped its ACC stream" in state.snapshot()["notice"]
    state.apply(Finished("stopped"))
    snap = state.snapshot()
    assert snap["ended"] == "stopped" and snap["phase"]["name"] == "session ended"
    assert snap["link"]["state"] == "ended"


def test_unknown_events_are_ignored():
    state, _ = make_state()
    assert not state.apply(object())
    assert state.seq == 0


def test_the_snapshot_is_strict_json_even_with_nan_quantities(crunch_reps):
    state, _ = make_state()
    rep = replace(crunch_reps[0], rom_deg=math.nan, ecc_end_s=math.nan)
    state.apply(RepDone(rep, 0.0, 0.0))
    text = json.dumps(state.snapshot(), allow_nan=False)
    row = json.loads(text)["last_rep"]
    assert row["rom_deg"] is None and row["phases"][2]["measured_s"] is None
    assert not row["phases"][2]["ok"]


def test_speed_must_be_positive():
    with pytest.raises(ValueError, match="speed"):
        CoachingState("x", CRUNCH_TEMPO, speed=0)


def test_once_connected_the_page_says_it_learns_the_movement_not_waits_for_the_sensor():
    state, _ = make_state()
    assert state.snapshot()["phase"]["name"] == "waiting for the sensor"
    state.apply(Connected(INFO, reconnect=False))
    phase = state.snapshot()["phase"]
    # The session tells no phase and no rep during its first reps (the axis is learned):
    # the sensor is there, so "waiting for the sensor" next to "connected" is wrong.
    assert phase["key"] == "learning" and phase["name"] == "learning the movement"
    assert "keep going" in phase["hint"]
    # A reconnection later in the session is no new learning (and the rep's stale phase
    # goes: test_a_lost_sensor_...).
    state.apply(PhaseStarted("concentric", 3, 20.0, 20.3, 3.0))
    state.apply(Disconnected(at_sample=1100))
    state.apply(Connected(INFO, reconnect=True))
    assert state.snapshot()["phase"]["key"] == "resumed"


def test_while_the_movement_is_learned_the_count_is_pending_not_zero(crunch_reps):
    """Review: the page showed a huge "0 reps" after two reps done while the movement was
    learned; the terminal shows "-" and "reps: counted once learned"."""
    state, _ = make_state()
    state.apply(Connected(INFO, reconnect=False))
    snap = state.snapshot()
    assert snap["phase"]["key"] == "learning"
    assert snap["count_pending"] == "reps: counted once learned"
    feed(state, rep_events(crunch_reps[0], 1, CRUNCH_TEMPO))  # counted: a count to show
    snap = state.snapshot()
    assert (snap["count_pending"], snap["count"]) == ("", 1)


def test_the_next_set_counts_from_zero_as_soon_as_its_first_rep_starts(crunch_reps):
    state, _ = make_state()
    set1 = tuple(r for r in crunch_reps if r.set == 1)
    set2 = [r for r in crunch_reps if r.set == 2]
    for i, rep in enumerate(set1):
        feed(state, rep_events(rep, i + 1, CRUNCH_TEMPO))
    state.apply(SetEnded(1, set1))
    snap = state.snapshot()
    assert (snap["set_no"], snap["count"]) == (1, 6)  # resting: the set just done
    # The first rep of set 2 starts: the page must not say "6 reps, set 1" while it runs.
    state.apply(PhaseStarted("concentric", 7, set2[0].con_start_s, set2[0].con_start_s + 0.3,
                             3.0))
    snap = state.snapshot()
    assert (snap["set_no"], snap["count"], snap["reps"]) == (2, 0, [])
    assert snap["total"] == 6
    state.apply(RepDone(set2[0], 0.0, 0.0))
    snap = state.snapshot()
    assert (snap["set_no"], snap["count"], snap["total"]) == (2, 1, 7)
    # The end keeps the last set's numbers.
    state.apply(SetEnded(2, (set2[0],)))
    state.apply(Finished("stopped"))
    assert (state.snapshot()["set_no"], state.snapshot()["count"]) == (2, 1)


def test_a_hold_is_counted_as_a_hold_and_judged_on_its_length(crunch_reps):
    """A plank's getting into position was judged as a 1 s 'up' (red) and its drift shown as
    a ROM; the count said 'reps'."""
    plank, _ = make_state()
    plank.hold = True
    feed(plank, session_events(crunch_reps[:2], CRUNCH_TEMPO))
    snap = plank.snapshot()
    assert snap["count_label"] == "holds"
    row = snap["reps"][-1]
    assert [p["label"] for p in row["phases"]] == ["hold"] and row["rom_deg"] is None
    # Judged as the analyzer judges a hold (its tempo_ok), not by the phase tolerance.
    assert [r["phases"][0]["ok"] for r in snap["reps"]] == [
        bool(r.tempo_ok) for r in crunch_reps[:2]]
    crunch, _ = make_state()
    feed(crunch, session_events(crunch_reps[:2], CRUNCH_TEMPO))
    snap = crunch.snapshot()
    assert snap["count_label"] == "reps"
    assert [p["label"] for p in snap["reps"][-1]["phases"]] == ["up", "hold", "down"]


def test_a_plank_speaks_of_holds_not_reps():
    """The page told a plank to 'squeeze at the top' and 'reset at the bottom', and its set
    box read '1 reps · 1 on tempo · 0 swings · 48 s under tension'."""
    from imu.tempo import parse_tempo
    from tests.live.test_views import _plank_hold

    clock = FakeClock()
    state = CoachingState("Plank", parse_tempo("1-45-1"), clock=clock, hold=True)
    hold = _plank_hold(1, 46.0, True)
    feed(state, [Connected(INFO, reconnect=False), PhaseStarted("top_hold", 1, 5.0, 9.0, 45.0)])
    snap = state.snapshot()
    assert snap["phase"]["name"] == "hold" and "steady" in snap["phase"]["hint"]
    feed(state, [RepDone(hold, 50.0, clock.now),
                 PhaseStarted("bottom_pause", 1, 49.0, 50.0, 0.0, rep_ended=True)])
    phase = state.snapshot()["phase"]
    assert phase["key"] == "held" and phase["hint"] == "rest, then the next hold"
    feed(state, [SetEnded(1, (hold,))])
    summary = state.snapshot()["resting"]
    assert summary["hold"] and summary["held_s"] == 46.0 and summary["on_tempo"] == 1


def test_a_lost_sensor_clears_the_phase_and_says_for_how_long(crunch_reps):
    """For the 8 s of a dropout the page kept 'UP' and 'lift with control' with the count,
    and only a small pill said 'reconnecting (attempt 1)'."""
    from imu.live.web.state import RECOVERED_NOTE_S

    state, clock = make_state(speed=2.0)
    feed(state, [Connected(INFO, reconnect=False), progress(20.0),
                 PhaseStarted("concentric", 3, 20.0, 20.3, 3.0)])
    assert state.apply(Disconnected(at_sample=1100))
    snap = state.snapshot()
    phase = snap["phase"]
    assert (phase["key"], phase["name"]) == ("lost", "sensor lost")
    assert "not counted" in phase["hint"] and phase["elapsed_s"] is None
    assert not snap["running"] and snap["cue"] is None
    assert snap["link"]["down_s"] == 0.0
    clock.now += 3.0  # 3 host seconds at --speed 2: 6 s of the set without the sensor
    state.apply(Reconnecting(attempt=1, delay_s=0.25, error="gone"))
    assert state.snapshot()["link"]["down_s"] == pytest.approx(6.0)  # from the first loss
    clock.now += 1.0
    state.apply(Connected(INFO, reconnect=True))
    snap = state.snapshot()
    # The rep's phase is stale (its timing over the loss is not known): no "UP 9.3 / 3 s".
    assert snap["phase"]["key"] == "resumed" and snap["phase"]["name"] == "carry on"
    assert snap["link"]["down_s"] is None
    back = snap["link"]["back"]
    assert back["lost_s"] == pytest.approx(8.0)
    assert back["text"] == "sensor back: 8 s lost, reps done then were not counted"
    # The recorder's figure (by the sensor's own clock) replaces the host's estimate.
    assert state.apply(progress(31.0, gaps=1, lost=390))  # 52 Hz: 7.5 s
    assert state.snapshot()["link"]["back"]["lost_s"] == pytest.approx(7.5)
    clock.now += RECOVERED_NOTE_S / 2.0 + 0.1
    assert state.snapshot()["link"]["back"] is None  # a short note, then it goes


def test_a_plank_hold_shows_the_measured_hold_once_reported():
    """The live clock read 24.1 s when hold 1 was saved as 21.1 s: it ran on while the person
    got down and until the analyzer saw it."""
    from imu.tempo import parse_tempo
    from tests.live.test_views import _plank_hold

    clock = FakeClock()
    state = CoachingState("Plank", parse_tempo("1-20-1"), clock=clock, hold=True)
    hold = _plank_hold(1, 21.1, True)
    feed(state, [Connected(INFO, reconnect=False),
                 PhaseStarted("top_hold", 1, hold.con_end_s, hold.con_end_s + 2.5, 20.0),
                 progress(hold.con_end_s + 24.1)])
    assert state.snapshot()["phase"]["elapsed_s"] == pytest.approx(24.1)
    feed(state, [RepDone(hold, 0.0, 0.0),
                 PhaseStarted("bottom_pause", 1, hold.ecc_end_s, hold.ecc_end_s + 2.5, None,
                              rep_ended=True)])
    snap = state.snapshot()
    phase = snap["phase"]
    assert (phase["key"], phase["name"]) == ("held", "held")
    assert phase["measured_s"] == pytest.approx(21.1) and phase["ok"]
    assert phase["prescribed_s"] == 20.0 and not snap["running"]
    assert phase["rest_hint"] == "resting? or get into the next hold"
    state.apply(PhaseStarted("top_hold", 2, 60.0, 62.5, 20.0))
    assert state.snapshot()["phase"]["key"] == "top_hold"


def test_getting_down_from_a_plank_shows_the_hold_to_there():
    """Review: getting down from a plank read "DOWN 4.0 / 1 s, lower slowly" with a full green
    bar: a lowering timed against the tempo. It shows the hold's length to there instead."""
    from imu.tempo import parse_tempo

    state = CoachingState("Plank", parse_tempo("1-20-1"), clock=FakeClock(), hold=True)
    feed(state, [Connected(INFO, reconnect=False),
                 PhaseStarted("top_hold", 1, 5.0, 8.0, 20.0), progress(27.0),
                 PhaseStarted("eccentric", 1, 25.6, 27.0, 1.0)])
    phase = state.snapshot()["phase"]
    assert (phase["key"], phase["prescribed_s"]) == ("held", 20.0)
    assert phase["measured_s"] == pytest.approx(20.6) and phase["ok"] is True
    state.apply(PhaseStarted("top_hold", 1, 5.0, 29.0, 20.0))  # no getting down after all
    assert state.snapshot()["phase"]["key"] == "top_hold"
    state.apply(PhaseStarted("eccentric", 1, 14.0, 30.0, 1.0))
    phase = state.snapshot()["phase"]
    assert phase["measured_s"] == pytest.approx(9.0) and phase["ok"] is False


def test_off_tempo_is_marked_short_or_long_and_the_correction_named(crunch_reps):
    state, _ = make_state()
    for rep in crunch_reps[:6]:
        state.apply(RepDone(rep, 0.0, 0.0))
    rows = {r["rep"]: r for r in state.snapshot()["reps"]}
    # Rep 1: down 1.4 s of 3 (a dropped descent); rep 3: up 1.1 s of 3 (a leg toss).
    assert [p["mark"] for p in rows[1]["phases"]] == ["", "", "▼"]
    assert rows[1]["correction"] == {"cue": "slow the descent", "why": "dropped descent",
                                     "uncertain": False}
    assert rows[3]["phases"][0]["mark"] == "▼"
    assert rows[3]["correction"] == {"cue": "no kick, lift with control", "why": "swing",
                                     "uncertain": False}
    good = [r for r in rows.values() if r["tempo_ok"] and not r["faults"] and not r["swing"]]
    assert good and all(r["correction"] is None for r in good)
    assert all(p["mark"] == "" for r in good for p in r["phases"])


def test_a_rep_off_tempo_without_a_fault_gets_the_tempo_cue(crunch_reps):
    state, _ = make_state()
    slow_up = replace(crunch_reps[1], con_end_s=crunch_reps[1].con_start_s + 5.5,
                      faults=frozenset(), swing=False, in_gap=False)
    state.apply(RepDone(slow_up, 0.0, 0.0))
    row = state.snapshot()["last_rep"]
    assert row["phases"][0]["mark"] == "▲"
    assert row["correction"] == {"cue": "come up a little faster", "why": "up 5.5 s of 3 ▲",
                                 "uncertain": False}


def test_a_good_set_says_so_in_its_coaching_line(crunch_reps):
    state, _ = make_state()
    clean = tuple(replace(r, faults=frozenset(), swing=False, in_gap=False,
                          con_end_s=r.con_start_s + 3.0, ecc_start_s=r.con_start_s + 4.0,
                          ecc_end_s=r.con_start_s + 7.0) for r in crunch_reps[:3])
    assert all(r.concentric_s == pytest.approx(3.0) for r in clean)
    state.apply(SetEnded(1, clean))
    assert state.snapshot()["resting"]["coaching"] == {
        "cue": "good set: every rep on tempo", "why": "", "good": True}


def test_the_end_clears_the_phase_and_any_loss():
    state, _ = make_state()
    feed(state, [Connected(INFO, reconnect=False), Disconnected(at_sample=10),
                 Finished("device gone")])
    snap = state.snapshot()
    assert snap["phase"]["key"] == "ended" and snap["link"]["down_s"] is None
    assert not snap["running"] and snap["phase"]["elapsed_s"] is None


def test_a_rep_over_a_data_gap_is_not_judged_in_the_set_summary(crunch_reps):
    state, _ = make_state()
    set1 = tuple(r for r in crunch_reps if r.set == 1)
    # The first rep (a dropped descent) lasted an unknown time: it is over a gap.
    gapped = (replace(set1[0], in_gap=True, tempo_ok=True, swing=False, faults=()), *set1[1:])
    for i, rep in enumerate(gapped):
        feed(state, rep_events(rep, i + 1, CRUNCH_TEMPO))
    state.apply(SetEnded(1, gapped))
    summary = state.snapshot()["resting"]
    assert summary["not_judged"] == 1
    assert summary["on_tempo"] == sum(r.tempo_ok for r in set1[1:])
    # Neither counted nor ending the run: the run starts at rep 2.
    run = 0
    for rep in set1[1:]:
        if rep.swing or rep.faults:
            break
        run += 1
    assert summary["clean_before_first_fault"] == run


def test_a_rep_over_a_data_gap_is_neither_red_nor_marked_on_the_page(crunch_reps):
    """The page showed a rep over a gap red with ▼/▲: its phases were never measured whole."""
    state, _ = make_state()
    dropped = replace(crunch_reps[0], in_gap=True, swing=False, faults=frozenset())
    state.apply(RepDone(dropped, 0.0, 0.0))
    row = state.snapshot()["last_rep"]
    assert [p["ok"] for p in row["phases"]] == [None, None, None]
    assert [p["mark"] for p in row["phases"]] == ["", "", ""]
    assert row["not_judged"] == "not judged (data gap)" and row["correction"] is None
    json.dumps(state.snapshot(), allow_nan=False)
    judged = replace(dropped, in_gap=False)
    state.apply(RepDone(judged, 0.0, 0.0))
    row = state.snapshot()["last_rep"]
    assert row["phases"][2]["mark"] == "▼" and row["phases"][2]["ok"] is False
    assert row["not_judged"] is None


def test_a_plank_hold_over_a_gap_is_not_judged_too_short():
    """A plank hold over a gap showed red ▼ "too short" on the page."""
    from imu.tempo import parse_tempo
    from tests.live.test_views import _plank_hold

    clock = FakeClock()
    state = CoachingState("Plank", parse_tempo("1-45-1"), clock=clock, hold=True)
    hold = replace(_plank_hold(1, 20.0, False), in_gap=True)
    feed(state, [Connected(INFO, reconnect=False), RepDone(hold, 0.0, 0.0)])
    snap = state.snapshot()
    assert snap["phase"]["key"] == "held" and snap["phase"]["ok"] is None
    (phase,) = snap["last_rep"]["phases"]
    assert phase["ok"] is None and phase["mark"] == ""
    state.apply(SetEnded(1, (hold,)))
    coaching = state.snapshot()["resting"]["coaching"]
    assert coaching["good"] is False and coaching["cue"] == "not judged: the sensor was lost"
    assert state.snapshot()["resting"]["not_judged"] == 1


def test_a_set_of_reps_all_over_gaps_is_not_called_good(crunch_reps):
    state, _ = make_state()
    clean = tuple(replace(r, faults=frozenset(), swing=False, in_gap=True)
                  for r in crunch_reps[:3])
    state.apply(SetEnded(1, clean))
    coaching = state.snapshot()["resting"]["coaching"]
    assert coaching == {"cue": "not judged: the sensor was lost",
                        "why": "all 3 reps over a data gap", "good": False}


def test_durations_reach_the_page_unrounded_with_their_limits():
    """A 0.7451 s descent went out as 0.75 and read "0.8 ▼" on the phone, "0.7" in the
    terminal and the report: the page rounds it once, from the value measured, with the
    limits that earn it a decimal more (the report's near_limit)."""
    from imu.report.tables import phase_limits
    from tests.report.helpers import make_rep

    state, _ = make_state()
    rep = make_rep(1, 1, 0.0, concentric_s=3.0, eccentric_s=0.7451, tempo_ok=False)
    state.apply(RepDone(rep, 0.0, 0.0))
    down = json.loads(json.dumps(state.snapshot()))["last_rep"]["phases"][2]
    assert down["measured_s"] == rep.eccentric_s != round(rep.eccentric_s, 2)
    assert down["limits_s"] == list(phase_limits("eccentric_s", 3.0, tolerance=TempoTolerance()))
