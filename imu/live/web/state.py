"""The coaching screen's state: live events in, one JSON-able snapshot out.

:class:`CoachingState` is a plain state model with no server and no asyncio, so it is tested
without a browser. :meth:`CoachingState.apply` takes the session's events in order
(:mod:`imu.live.events`); :meth:`CoachingState.snapshot` gives everything the page shows, so a
page that loads (or reloads) mid-set gets the whole picture from one snapshot.

Clocks: phase and rep times are data time (seconds from the recording's first sample, the
clock of :class:`imu.core.metrics.Rep`). The model keeps the newest data time it has heard of
and the host time (``clock``, monotonic seconds) when it heard it; a snapshot extrapolates
data time from there at ``speed`` data seconds per host second (1 with a real sensor, ``--speed``
in simulations and replays), by at most :data:`MAX_EXTRAPOLATION_S`. The page carries on the
same way between snapshots, so the phase bar moves smoothly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from imu.core.metrics import UNCERTAIN_CONFIDENCE, Rep, TempoTolerance
from imu.exercises import FAULTS, PROFILES, ExerciseProfile, fault_words
from imu.live.events import (
    HOLD_HINTS,
    NOT_JUDGED_REP,
    PHASE_HINTS,
    PHASE_NAMES,
    Connected,
    Disconnected,
    Finished,
    HoldFormCue,
    PaceCue,
    PhaseChanged,
    PhaseStarted,
    Progress,
    Reconnecting,
    RepDone,
    SetEnded,
    StreamEvent,
    across_loss,
    counted_reps,
    cut_short,
    hint_key,
    hip_drive,
    hip_drive_at,
    hip_drive_uncertain,
    learning_count,
    learning_hint,
    live_correction,
    lost_words,
    off_mark,
    pace_words,
    phase_hints,
    phases_over_gap,
    rest_hint,
    set_coaching,
)
from imu.live.hold_form import HOLD_FORM_WORDS
from imu.report.summary import MISSED_BEFORE_NOTE
from imu.report.tables import hold_long_enough, phase_limits
from imu.tempo import Tempo

SCHEMA_VERSION = 1
"""Version of the snapshot's layout (``v`` in the JSON)."""

MAX_EXTRAPOLATION_S = 2.0
"""Longest a snapshot carries data time past the newest data heard of, data s."""

# The words are the terminal's too (imu.live.events): re-exported here, where the page's
# snapshot uses them.
__all__ = ["HOLD_HINTS", "MAX_EXTRAPOLATION_S", "PHASE_HINTS", "PHASE_NAMES",
           "RECOVERED_NOTE_S", "SCHEMA_VERSION", "CoachingState", "fault_text"]

RECOVERED_NOTE_S = 15.0
"""How long the note "sensor back: N s lost" stays after the sensor came back, data s."""

_REP_PHASES = ("concentric", "top_hold", "eccentric", "bottom_pause")
"""Phases of a rep under way: stale once the sensor was lost (the rep's timing is not known)."""

_HINT_KEYS = {"up": "concentric", "down": "eccentric", "hold": "hold", "rest": "hold",
              "learning": "learning"}
""":class:`PhaseChanged` phases -> phase keys (used only without :class:`PhaseStarted`). Its
``rest`` (still for a few seconds) is shown as a hold: only :class:`SetEnded` ends a set. A
plank shows none of them before its first hold: ``ready`` (getting into position). Still after
a lowering is a pause at the bottom, not a hold (:func:`imu.live.events.hint_key`)."""


def fault_text(name: str) -> str:
    """A fault in the plain words of every screen (:data:`imu.exercises.FAULT_WORDS`)."""
    return fault_words([name])


@dataclass(frozen=True)
class _Phase:
    key: str
    rep_no: int | None = None
    at_s: float | None = None
    prescribed_s: float | None = None
    measured_s: float | None = None  # "held": the hold's measured length (the saved figure)
    ok: bool | None = None  # "held": long enough


class CoachingState:
    """What the coaching page shows, updated event by event.

    Args:
        exercise: the exercise's title, e.g. ``Reverse crunch``.
        tempo: the prescription the reps are held to.
        tolerance: when a phase counts as on tempo (the project's :class:`TempoTolerance`).
        speed: data seconds per host second (1 live; ``--speed`` in simulations), > 0.
        clock: host clock, monotonic seconds (injected in tests).
        hold: the exercise is a static hold (plank): each "rep" is a hold, judged on its
            length.
        profile: the exercise's profile, for the words while the movement is learned
            (:func:`imu.live.events.learning_hint`); None: the profile titled ``exercise``,
            if any.

    """

    def __init__(
        self,
        exercise: str,
        tempo: Tempo,
        tolerance: TempoTolerance | None = None,
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        hold: bool = False,
        profile: ExerciseProfile | None = None,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0 data seconds per host second, got {speed}")
        self.exercise = exercise
        self.tempo = tempo
        self.hold = hold  # a static hold (plank): each "rep" is a hold, judged on its length
        if profile is None:
            profile = next((p for p in PROFILES.values() if p.title == exercise), None)
        self.profile = profile
        # A standing strict lift: its every rep is a hip drive (a fault), placed in time, with
        # no tempo and no sets, as the terminal's lines tell it ("hip drive at 95 s").
        self.strict = hip_drive(profile) and not hold
        self._learning_hint = (HOLD_HINTS["learning"] if hold
                               else learning_hint(profile))
        self.tolerance = tolerance or TempoTolerance()
        self.speed = float(speed)
        self.clock = clock
        self.seq = 0
        self._reps: list[dict[str, Any]] = []
        self._last_rep: Rep | None = None
        self._sets: list[dict[str, Any]] = []
        self._phase = _Phase("waiting")
        self._phase_started_seen = False
        self._cue: dict[str, Any] | None = None
        self._cues = 0
        self._form: dict[str, Any] | None = None  # a plank's live form cue up now
        self._forms = 0
        self._resting: dict[str, Any] | None = None
        self._last_set_ended = 0
        self._link = "connecting"
        self._link_text = "connecting to the sensor"
        self._device = ""
        self._attempt = 0  # reconnection attempts since the sensor was lost
        self._gaps = 0
        self._lost_samples = 0
        self._rate_hz: float | None = None  # samples per data second, from Progress
        # The sensor's link down: since when (host clock), and the lost samples before it.
        self._down_since: float | None = None
        self._lost_before = 0
        self._lost_from_s = 0.0  # data time the loss began, s
        # After it came back: the data seconds lost, when it came back (host clock),
        # whether the figure is still the host clock's estimate (the recorder's comes later),
        # when the loss began (data s) and the reps counted across it since.
        self._back: dict[str, Any] | None = None
        self._notice = ""
        self._ended: str | None = None
        self._data_s = 0.0
        self._data_at_host_s = clock()
        self._streaming = False

    # ------------------------------------------------------------------ events
    def apply(self, event: object) -> bool:
        """Take one event (:mod:`imu.live.events`); returns whether the page must be updated.

        Unknown events are ignored (returns False), so newer sessions do not break the page.
        """
        changed = True
        if isinstance(event, Connected):
            info = event.info
            self._device = f"{info.name} ({info.address})"
            if info.battery_percent is not None:
                self._device += f", battery {info.battery_percent}%"
            self._link, self._streaming = "connected", True
            self._link_text = "reconnected" if event.reconnect else "connected"
            self._attempt = 0
            if self._phase.key == "waiting":
                # Streaming, but no phase or rep is told until the movement axis is learned
                # (the first reps): say so rather than "waiting for the sensor".
                self._phase = _Phase("learning")
            self._sensor_back()
            self._heard(self._data_s)
        elif isinstance(event, Disconnected):
            self._link, self._streaming = "reconnecting", False
            self._link_text = "sensor lost, reconnecting"
            self._sensor_lost(event.at_sample / self._rate_hz if self._rate_hz else None)
        elif isinstance(event, Reconnecting):
            self._link, self._streaming = "reconnecting", False
            self._link_text = "sensor lost, reconnecting"
            self._attempt = event.attempt
            self._sensor_lost()
        elif isinstance(event, RepDone):
            self._rep_done(event.rep)
        elif isinstance(event, PhaseStarted):
            self._phase_started(event)
        elif isinstance(event, HoldFormCue):
            self._form_cue(event)
        elif isinstance(event, PaceCue):
            self._cues += 1
            self._cue = {
                "id": self._cues,
                "message": event.message,
                "text": pace_words(event),
                "past": pace_words(event, over=True),  # once its phase is over
                "phase": event.phase,
                "rep_no": event.rep_no,
                "elapsed_s": event.elapsed_s,
                "projected_s": event.projected_s,
                "prescribed_s": event.prescribed_s,
            }
            if self._phase.at_s is not None and self._phase.key == event.phase:
                self._heard(self._phase.at_s + event.elapsed_s)
        elif isinstance(event, PhaseChanged):
            changed = self._phase_hint(event.phase)
        elif isinstance(event, SetEnded):
            summary = self._set_summary(event.set_no, event.reps)
            if self._down_since is not None:
                # The sensor is lost and the set ends with it (the session gave up on it):
                # cut short, never "Good set" after the rep or two seen.
                cue, why, good = cut_short(
                    (summary["coaching"]["cue"], summary["coaching"]["why"],
                     summary["coaching"]["good"]), len(event.reps), self.hold, self.profile)
                summary["coaching"] = {"cue": cue, "why": why, "good": good}
            self._sets = [s for s in self._sets if s["set"] != event.set_no] + [summary]
            self._resting = summary
            self._last_set_ended = max(self._last_set_ended, event.set_no)
            # The rest is timed from the end of the set's last lowering (the page counts it).
            ended_s = max((r.ecc_end_s for r in event.reps if math.isfinite(r.ecc_end_s)),
                          default=None)
            self._phase, self._cue = _Phase("rest", at_s=ended_s), None
        elif isinstance(event, Progress):
            changed = self._progress(event)
        elif isinstance(event, StreamEvent):
            self._notice = "" if event.kind == "stream_restarted" else event.text
        elif isinstance(event, Finished):
            self._ended = event.reason
            self._link, self._streaming = "ended", False
            self._link_text = event.words
            self._phase, self._cue, self._form = _Phase("ended"), None, None
            self._down_since = self._back = None
        else:
            changed = False
        if changed:
            self.seq += 1
        return changed

    def _form_cue(self, event: HoldFormCue) -> None:
        """A plank's hips sag or pike in the hold under way (or came back: cleared)."""
        self._heard(event.at_s)
        if event.fault is None:
            self._form = None
            return
        self._forms += 1
        what, do = HOLD_FORM_WORDS[event.fault]
        self._form = {
            "id": self._forms,
            "fault": event.fault,
            "what": what,
            "do": do,
            "text": event.words,
            "rep_no": event.rep_no,
            "drift_deg": _finite(event.drift_deg),
        }

    def _progress(self, event: Progress) -> bool:
        """Gaps, lost samples and the journal; the sensor's loss in data seconds once known."""
        changed = (event.gaps, event.lost_samples) != (self._gaps, self._lost_samples)
        if event.seconds > 0 and event.samples > 0:
            self._rate_hz = event.samples / event.seconds
        back = self._back
        if (back is not None and back["estimated"] and self._rate_hz
                and event.lost_samples > self._lost_before):
            # The recorder has placed the first samples after the loss: the gap's length by
            # the sensor's own clock replaces the host clock's estimate.
            back["lost_s"] = (event.lost_samples - self._lost_before) / self._rate_hz
            back["estimated"] = False
            changed = True
        self._gaps, self._lost_samples = event.gaps, event.lost_samples
        notice = (f"journal not written ({event.journal_error}); data kept in memory"
                  if event.journal_error else "")
        changed = changed or notice != self._notice
        self._notice = notice
        if self._streaming:
            self._heard(event.seconds)
        return changed

    def _sensor_lost(self, at_s: float | None = None) -> None:
        """The sensor's link is down: the phase under way is stale, and so is any cue.

        ``at_s``: data time the loss began, s, if known (else the newest data heard of).
        """
        if self._down_since is None:
            self._down_since = self.clock()
            self._lost_before = self._lost_samples
            self._lost_from_s = self._data_s if at_s is None else at_s
        self._back, self._cue, self._form = None, None, None

    def _sensor_back(self) -> None:
        """The sensor is back: a note says how much was lost; a rep's phase is not resumed."""
        if self._down_since is None:
            return
        now = self.clock()
        self._back = {"lost_s": (now - self._down_since) * self.speed, "at_host": now,
                      "estimated": True, "from_s": self._lost_from_s, "across": 0}
        self._down_since = None
        if self._phase.key in _REP_PHASES and not self.hold:
            # Its timing over the loss is not known: no stale "UP 9.3 / 3 s" (a hold goes
            # on, and is timed from its start as before).
            self._phase = _Phase("resumed")

    def _loss(self) -> tuple[float, float] | None:
        """The sensor's last loss, ``(from_s, lost_s)`` in data s, or None.

        ``lost_s`` is inf while it lasts; None when the link was not lost (a gap of dropped
        samples is not placed here).
        """
        if self._down_since is not None:
            return self._lost_from_s, math.inf
        if self._back is not None:
            return self._back["from_s"], self._back["lost_s"]
        return None

    def _heard(self, data_s: float) -> None:
        """Data time ``data_s`` is known to have passed, now (host clock)."""
        if data_s >= self._data_s:
            self._data_s, self._data_at_host_s = data_s, self.clock()

    def _extrapolated(self, host_s: float) -> float:
        if not self._streaming:
            return self._data_s
        ahead = max(0.0, host_s - self._data_at_host_s) * self.speed
        return self._data_s + min(ahead, MAX_EXTRAPOLATION_S)

    def _rep_done(self, rep: Rep) -> None:
        self._reps.append(self._rep_row(len(self._reps) + 1, rep))
        self._last_rep = rep
        back = self._back
        if back is not None and across_loss(rep, back["from_s"], back["lost_s"]):
            back["across"] += 1  # the note tells it: counted over the loss, not judged
        self._resting = None
        self._form = None  # a hold's live form cue: its verdict now says how it went
        self._heard(rep.ecc_end_s)
        if not self._phase_started_seen:
            self._cue = None
        phase = self._phase
        if not self.hold and phase.key in ("concentric", "top_hold", "eccentric") and (
                phase.rep_no is None or phase.rep_no <= len(self._reps)):
            # The rep ended without its end being told (no bottom_pause cue): the person is
            # back at the bottom, not in a "HOLD" (a squeeze at the top) whose clock runs on.
            self._phase = _Phase("bottom_pause", len(self._reps), _maybe(rep.ecc_end_s),
                                 self.tempo.bottom_pause_s)
        if self.hold:
            # The clock ran on while the person got down and until the analyzer saw it: the
            # hold's measured length (the figure saved) replaces it.
            # A hold over a data gap is not judged: ok None (neither long enough nor short).
            self._phase = _Phase("held", len(self._reps), _maybe(rep.ecc_end_s),
                                 self.tempo.top_hold_s, _finite(rep.top_hold_s),
                                 None if rep.in_gap else bool(rep.tempo_ok))

    def _phase_started(self, event: PhaseStarted) -> None:
        self._phase_started_seen = True
        self._heard(event.emitted_at_s)
        if (self.hold and event.phase == "bottom_pause" and event.rep_ended
                and self._phase.key == "held"):
            return  # the hold just reported: its measured length stays up
        if not self._reps and event.phase == "bottom_pause" and not event.rep_ended:
            # A start that came to nothing before the first rep or hold: no pause clock (the
            # page would call it a rest after a few seconds, and no set was done yet).
            self._phase = _Phase("ready")
            return
        if (self.hold and event.phase == "eccentric" and self._phase.key == "top_hold"
                and self._phase.at_s is not None):
            # Getting down from a hold: the hold's length to here, judged as it will be, not
            # "DOWN 4.0 / 1 s, lower slowly" (a lowering timed against the tempo).
            target = self.tempo.top_hold_s
            held = event.at_s - self._phase.at_s
            self._phase = _Phase("held", event.rep_no, event.at_s, target, held,
                                 hold_long_enough(held, target, self.tolerance))
            self._form = None
            return
        self._phase = _Phase(event.phase, event.rep_no, event.at_s, event.prescribed_s)
        if event.phase != "top_hold":
            self._form = None  # only while a hold is under way
        if event.phase == "concentric":
            self._resting = None
        cue = self._cue
        if cue is not None and (cue["rep_no"], cue["phase"]) != (event.rep_no, event.phase) \
                and event.phase == "concentric":
            self._cue = None

    def _phase_hint(self, hint: str) -> bool:
        """The old display hint; it drives the phase only while no PhaseStarted came."""
        if self._phase_started_seen or self._phase.key in ("ended",):
            return False
        key = hint_key(hint, self._phase.key)
        if self.hold and not self._reps and key != "learning":
            # Learned, but no hold found yet: the person gets into position. No hold is timed
            # yet (nor "up" to lift), and no rest: no set was done.
            key = "ready"
        if key == self._phase.key:
            return False
        if key == "ready":
            self._phase = _Phase("ready")
            return True
        if self._phase.key == "rest" and key in ("hold", "rest", "bottom_pause"):
            return False  # the set summary stays up until the next movement
        prescribed = None if hip_drive(self.profile) else {
            "concentric": self.tempo.concentric_s,
            "eccentric": self.tempo.eccentric_s,
            "bottom_pause": self.tempo.bottom_pause_s}.get(key)
        rep_no = len(self._reps) + (0 if key == "bottom_pause" else 1)
        self._phase = _Phase(key, rep_no, self._extrapolated(self.clock()), prescribed)
        if key == "concentric":
            self._resting = None  # the next movement: the set summary goes, as on PhaseStarted
        return True

    # ------------------------------------------------------------------ rows
    def _rep_row(self, number: int, rep: Rep) -> dict[str, Any]:
        """One finished rep as the page lists it (durations in s, ROM in deg)."""
        tempo, tol = self.tempo, self.tolerance
        phases = []
        # A hold is judged on its length only: getting into position and down are not phases
        # to time, and its "ROM" is a drift, not a range.
        # A hip drive (standing strict lift) has no tempo: no phases to hold against one,
        # told instead by when it began and how far the pelvis moved (``hip_drive`` below).
        timed = () if self.strict else (
            (("top_hold", "hold", rep.top_hold_s, tempo.top_hold_s),) if self.hold else (
                ("concentric", "up", rep.concentric_s, tempo.concentric_s),
                ("top_hold", "hold", rep.top_hold_s, tempo.top_hold_s),
                ("eccentric", "down", rep.eccentric_s, tempo.eccentric_s),
            ))
        # A rep's phase over the sensor's loss lasted an unknown time: its length counted the
        # seconds without data ("hold 10.1 of 1 s" after a 10 s loss), so none is sent and the
        # page says "over gap", as the terminal's table does. A hold is timed from its start
        # to its end, both seen: its length stays (not judged).
        over_gap = (phases_over_gap(rep, self._loss())
                    if rep.in_gap and not self.hold and not self.strict else frozenset())
        for key, label, measured, prescribed in timed:
            # The thresholds the phase is judged against: the page prints a value that would
            # read as one it is not with a decimal more, as the report does (near_limit).
            limits = phase_limits(f"{key}_s", prescribed, isometric=self.hold, tolerance=tol)
            gap = f"{key}_s" in over_gap
            if rep.in_gap or hip_drive(self.profile):
                # Over a data gap the rep lasted an unknown time: not judged (as the report),
                # neither red nor green (ok None: the page shows it grey), no ▼/▲. A hip
                # drive (standing strict lift) is a fault, not a rep with a tempo: no ▼/▲.
                ok: bool | None = None
                mark = ""
            elif self.hold:
                # Off only when too short (the analyzer's own rule, as the terminal and the
                # report judge a hold).
                ok = bool(rep.tempo_ok)
                mark = "" if ok else "▼"
            else:
                ok = bool(math.isfinite(measured) and tol.ok(measured, prescribed))
                mark = off_mark(measured, prescribed, tol)
            phases.append({
                "phase": key,
                "label": label,
                "measured_s": None if gap else _finite(measured),
                "over_gap": gap,  # its length is not known: the page says "over gap"
                "prescribed_s": prescribed,
                "limits_s": [float(x) for x in limits],
                "ok": ok,
                "mark": mark,  # ▼ too short, ▲ too long: never by colour alone
            })
        # A rep over a data gap is not judged: its swing and faults are no badges (they are
        # in reps.csv, and the report shows them as not judged).
        faults = [] if rep.in_gap else [f for f in FAULTS if f in rep.faults]
        fix = live_correction(rep, tempo, tol, self.hold, self.profile)
        uncertain = bool(rep.count_confidence < UNCERTAIN_CONFIDENCE)
        drive = None if not self.strict else {
            # As the terminal's line: "hip drive at 95 s: pelvis moved 15 deg; ...".
            "text": hip_drive_at(rep),
            "at_s": _maybe(rep.con_start_s),
            "moved_deg": _finite(rep.rom_deg),
            # Counted as the pause line and the report's advice count it: sure, not over a gap.
            "counted": bool(rep.swing) and not rep.in_gap and not uncertain,
            "note": (NOT_JUDGED_REP if rep.in_gap
                     else hip_drive_uncertain(rep, self.profile) if uncertain else None),
        }
        return {
            "number": number,
            "set": rep.set,
            "rep": rep.rep,
            "side": rep.side,
            "phases": phases,
            "tempo_ok": bool(rep.tempo_ok),
            "rom_deg": None if self.hold else _finite(rep.rom_deg),
            "swing": bool(rep.swing) and not rep.in_gap,
            "faults": faults,
            "fault_text": [fault_text(f) for f in faults],
            "in_gap": bool(rep.in_gap),
            # What the page says of a rep over a gap, instead of on tempo or off.
            "not_judged": NOT_JUDGED_REP if rep.in_gap else None,
            "uncertain": uncertain,
            # A long pause broke the set's rhythm just before it: a rep may be missing there.
            "missed_before": MISSED_BEFORE_NOTE if rep.missed_before else None,
            "tut_s": None if self.strict else _finite(rep.tut_s),
            # A standing strict lift's rep: the hip drive placed in time (None otherwise).
            "hip_drive": drive,
            # The one thing to correct (large on the page), or None for a good rep. An
            # uncertain rep's is no correction (``uncertain``: the page shows it muted, in
            # the words that it may not be a rep), as the set summary leaves it out.
            "correction": None if fix is None else {"cue": fix.cue, "why": fix.why,
                                                    "uncertain": fix.uncertain},
        }

    def _set_summary(self, set_no: int, reps: tuple[Rep, ...]) -> dict[str, Any]:
        """The numbers of a finished set (as the terminal's set line, plus clean reps)."""
        # A rep over a data gap is not judged (as the report): it neither counts nor ends
        # the run of good reps, and is not on tempo. Nor does an uncertain rep (it may be no
        # rep): never clean, and its swing and faults are not counted (the report's rule).
        counted, unsure = counted_reps(reps)
        clean = 0
        for rep in counted:
            if rep.swing or rep.faults:
                break
            clean += 1
        # Its swing and faults are not judged either, and it lasted an unknown time: out of
        # the time under tension, which is unknown (None) when every rep was over a gap.
        judged = [r for r in reps if not r.in_gap]
        faults = [f for f in FAULTS if any(f in r.faults for r in counted)]
        hold = {  # a plank: holds, long enough, time held
            "hold": True,
            "held_s": sum(r.top_hold_s for r in reps if math.isfinite(r.top_hold_s)),
        } if self.hold else {}
        return {
            "set": set_no,
            "reps": len(reps),
            # Out of the sure reps, as the tables' tempo_ok_share: a rep that may be no rep
            # is no evidence of the tempo kept.
            "on_tempo": sum(bool(r.tempo_ok) for r in counted),
            "not_judged": sum(bool(r.in_gap) for r in reps),
            "swings": sum(bool(r.swing) for r in counted),
            "faults": sum(len(r.faults) for r in counted),
            # Uncertain reps left out of the swings, faults and clean run: the page says so.
            "uncertain": unsure,
            # A standing strict lift: told by its hip drives (the swings), not as a set.
            "hip_drive": hip_drive(self.profile) and not self.hold,
            "fault_names": [fault_text(f) for f in faults],
            "clean_before_first_fault": clean,
            "tut_s": sum(r.tut_s for r in judged if math.isfinite(r.tut_s)) if judged else None,
            "coaching": self._set_coaching(reps),
            **hold,
        }

    def _set_coaching(self, reps: tuple[Rep, ...]) -> dict[str, Any]:
        """The set's one coaching line (:func:`imu.live.events.set_coaching`)."""
        cue, why, good = set_coaching(reps, self.tempo, self.tolerance, self.hold,
                                      self.profile)
        return {"cue": cue, "why": why, "good": good}

    def _hip_drive_count(self) -> tuple[int, str, str, list[dict[str, Any]]]:
        """A standing strict lift's count, its label, what it leaves out, the rows listed.

        The hip drives counted in the session, "hip drives", the ones left out in words, and
        every hip drive (newest last). No sets: a pause between two hip drives is no set the
        person did. Counted as the pause line and the report's advice count them (sure, not
        over a data gap); the uncertain ones and those over a gap are listed, and said to be
        left out.
        """
        counted = sum(bool(r["hip_drive"]["counted"]) for r in self._reps)
        unsure = sum(1 for r in self._reps if r["uncertain"] and not r["in_gap"])
        gaps = sum(1 for r in self._reps if r["in_gap"])
        notes = ([f"{unsure} uncertain left out"] if unsure else []) + (
            [f"{gaps} not judged (over a data gap)"] if gaps else [])
        label = "hip drive" if counted == 1 else "hip drives"
        return counted, label, ", ".join(notes), list(self._reps)

    # ------------------------------------------------------------------ output
    @property
    def current_set(self) -> int:
        """The set in progress (0 before the first rep).

        The newest rep's set; once a set has ended and the person moves again, the next one
        (before that set's first rep is done).
        """
        newest = int(self._reps[-1]["set"]) if self._reps else 0
        if self._last_set_ended >= newest > 0 and self._phase.key not in ("rest", "ended"):
            return self._last_set_ended + 1
        return newest

    def snapshot(self) -> dict[str, Any]:
        """Everything the page shows, JSON-able (times in s, angles in deg)."""
        host_now = self.clock()
        now_s = self._extrapolated(host_now)
        set_no = self.current_set  # after a rest, the next set from its first movement on
        in_set = [r for r in self._reps if r["set"] == set_no] if set_no else []
        phase = self._phase
        down_s = (None if self._down_since is None
                  else round(max(0.0, host_now - self._down_since) * self.speed, 3))
        # A standing strict lift's phases are a hip drive's: its words keep the pelvis still.
        hints = phase_hints(self.profile, self.hold)
        if down_s is not None:
            # The sensor is lost: no stale "UP" with its clock; the page sounds the alarm.
            phase = _Phase("lost")
        elapsed = (max(0.0, now_s - phase.at_s) if phase.at_s is not None else None)
        back = self._back
        back_ago = (None if back is None
                    else max(0.0, host_now - back["at_host"]) * self.speed)
        if back_ago is not None and back_ago > RECOVERED_NOTE_S:
            back = back_ago = None
        t = self.tempo
        count, label, count_note, listed = (
            self._hip_drive_count() if self.strict
            else (len(in_set), "holds" if self.hold else "reps", "", in_set))
        return {
            "v": SCHEMA_VERSION,
            "seq": self.seq,
            "exercise": self.exercise,
            "tempo": str(t),
            "prescribed_s": {
                "concentric": t.concentric_s,
                "top_hold": t.top_hold_s,
                "eccentric": t.eccentric_s,
                "bottom_pause": t.bottom_pause_s,
            },
            "tolerance": {"fraction": self.tolerance.fraction, "min_s": self.tolerance.min_s},
            "speed": self.speed,
            "data_s": round(now_s, 3),
            "running": self._streaming and phase.key not in (
                "rest", "ended", "waiting", "held", "lost"),
            "count": count,
            "count_label": label,
            # Before the movement is learned and anything counted: "-" and these words, not a
            # 0 after reps the person did (the terminal's head says the same), also while
            # the sensor is lost then (the phase shown is "lost", the one under it learning).
            "count_pending": (learning_count(self.profile) if self._phase.key == "learning"
                              and not self._reps and not self.hold else ""),
            # What the count leaves out, in words ("" if nothing): a strict lift's hip drives.
            "count_note": count_note,
            # A standing strict lift: the count is of hip drives in the session, no set, no
            # tempo; each rep row's ``hip_drive`` places it in time.
            "hip_drive": self.strict,
            "total": len(self._reps),
            "set_no": max(set_no, 1),
            "phase": {
                "key": phase.key,
                "name": PHASE_NAMES.get(phase.key, phase.key),
                "hint": (self._learning_hint if phase.key == "learning"
                         else hints.get(phase.key, "")),
                "rep_no": phase.rep_no,
                "at_s": phase.at_s,
                "elapsed_s": None if elapsed is None else round(elapsed, 3),
                "prescribed_s": phase.prescribed_s,
                "measured_s": phase.measured_s,
                "ok": phase.ok,
                "rest_hint": rest_hint(self.profile, self.hold),
            },
            "cue": dict(self._cue) if self._cue else None,
            "cues": self._cues,
            # A plank's hips sagging or piking in the hold under way (None: none, or no hold).
            "form": (dict(self._form) if self._form and phase.key == "top_hold" else None),
            # The metronome ticks a rep's phases; a hold has none to tick, nor has a strict
            # lift's hip drive (no tempo): no button.
            "metronome": not self.hold and not self.strict,
            "reps": listed,
            "last_rep": self._reps[-1] if self._reps else None,
            "resting": dict(self._resting) if self._resting else None,
            "sets": list(self._sets),
            "link": {
                "state": self._link,
                "text": self._link_text,
                "device": self._device,
                "attempt": self._attempt,
                "gaps": self._gaps,
                "lost_samples": self._lost_samples,
                # The sensor's link down for this long (data s; the page counts on), or None.
                "down_s": down_s,
                # After it came back, for RECOVERED_NOTE_S: how much was lost, in words.
                "back": None if back is None else {
                    "lost_s": round(back["lost_s"], 1),
                    "ago_s": round(back_ago or 0.0, 3),
                    # Reps counted over the loss since (not judged): the note says so.
                    "across": back["across"],
                    "text": lost_words(back["lost_s"], self.hold, back["across"],
                                       drive=self.strict),
                },
            },
            "notice": self._notice,
            "ended": self._ended,
        }


def _finite(value: float) -> float | None:
    """``value`` unrounded, or None when it is NaN or infinite (JSON has no NaN).

    The page rounds it once, as the terminal and the report do: rounded here to 0.01 and there
    to 0.1, a 0.7451 s descent read "0.8" on the page and "0.7" everywhere else.
    """
    return float(value) if math.isfinite(value) else None


def _maybe(value: float) -> float | None:
    """``value``, or None when it is NaN or infinite."""
    return float(value) if math.isfinite(value) else None
