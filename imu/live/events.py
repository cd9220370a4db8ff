"""What a live session tells its views (terminal, plain lines, web page).

Every event is a frozen dataclass; a view is a callable that takes them one at a time, in the
order the session produced them. Times named ``*_s`` without a prefix are data time: seconds
from the recording's first sample, the clock of :class:`imu.core.metrics.Rep`.

Phase events (:class:`PhaseStarted`, :class:`PaceCue`) are cues: they come as soon as the
analyzer can tell, and the :class:`RepDone` that follows is authoritative.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from imu.core.metrics import UNCERTAIN_CONFIDENCE, Rep, TempoTolerance
from imu.exercises import FAULTS, ExerciseProfile, FaultThresholds, fault_words
from imu.live.hold_form import form_words
from imu.report.coaching import uncertain_drive_words
from imu.report.summary import FAULT_CUES as REPORT_FAULT_CUES
from imu.report.summary import RULES as REPORT_RULES
from imu.report.summary import SWING_WORDS as REPORT_SWING_WORDS
from imu.report.summary import TEMPO_CUES as REPORT_TEMPO_CUES
from imu.report.tables import near_limit, phase_limits
from imu.tempo import Tempo

PHASES = ("concentric", "top_hold", "eccentric", "bottom_pause")
"""Phase names of :class:`PhaseStarted`, in the order a rep goes through them."""

# ----------------------------------------------------------------------------------- words
# The words every screen uses (the web page, the terminal's panel and its plain lines), so
# that the page and the terminal never name the same thing two ways.

PHASE_NAMES: dict[str, str] = {
    "concentric": "up",
    "top_hold": "hold",
    "eccentric": "down",
    "bottom_pause": "pause",
    "hold": "hold",
    "held": "held",
    "rest": "rest",
    "learning": "learning the movement",
    "ready": "ready",
    "waiting": "waiting for the sensor",
    "ended": "session ended",
    "lost": "sensor lost",
    "resumed": "carry on",
}
"""The name shown for each phase key, read from the floor (no jargon). The first four are
:data:`PHASES`; ``hold`` and ``learning`` come from :class:`PhaseChanged` while the session
sends no :class:`PhaseStarted` (``learning``: the analyzer learns the movement axis over the
first reps and tells no phase until then); ``ready``: the movement is learned but the first rep
or hold has not begun (a plank getting into position, a start too small to be a rep): no
timer, neither a rest (no set was done yet) nor a hold (none is timed yet); ``held``: a
static hold (plank) just ended, shown with the time it was held; ``rest`` follows
:class:`SetEnded`; ``waiting`` is before the sensor is connected, ``ended`` after the end;
``lost`` while the sensor's link is down; ``resumed`` after it came back, until the next
phase is told."""

PHASE_HINTS: dict[str, str] = {
    "concentric": "lift with control",
    "top_hold": "squeeze at the top",
    "eccentric": "lower slowly",
    "bottom_pause": "reset at the bottom",
    "rest": "rest, then the next set",
    "learning": "keep going: counting starts once your movement is clear, after 2-3 reps "
                "(small movements take longer); every rep is counted then, from the first",
    "ready": "start the first rep when you are ready",
    "lost": "reconnecting... reps done now are not counted",
    "resumed": "counting again",
}
"""The coaching words under the phase name."""

HOLD_HINTS: dict[str, str] = {
    **PHASE_HINTS,
    "top_hold": "hold steady: shoulders, hips and heels in one line",
    "hold": "hold steady: shoulders, hips and heels in one line",
    "bottom_pause": "rest",
    "held": "rest, then the next hold",
    "rest": "rest, then the next set of holds",
    "learning": "hold on: timing starts once the movement is learned, as you get into "
                "position for the first hold",
    "ready": "get into position: the hold is timed from when you are still in it, "
             "shown a few seconds in",
    "lost": "reconnecting... holds now are not timed",
}
"""The coaching words under the phase name for a static hold (plank)."""

LEARNING_HINTS: dict[str, str] = {
    "large": PHASE_HINTS["learning"],
    "braced": "keep going: your pelvis moves only a little, so counting starts after about "
              "4-6 reps; every rep is counted then, from the first",
    "alternating": "keep going: your pelvis moves only a little, so counting starts after "
                   "about 10 reps (5 each side) in one set, or when you stop; every rep is "
                   "counted then, from the first",
}
"""The learning hint by kind of movement (:func:`learning_hint`): the analyzer fixes the
movement axis after ``lock_rotation_deg`` of pelvic rotation, which large movements (a reverse
crunch curls the pelvis tens of degrees) reach in 2-3 reps, a braced leg raise (the pelvis
follows the legs by a few degrees) in 4-6, and the alternating exercises (a degree or a few
per side) in 9-13 of one set: a shorter set (8 reps, or 2 sets of 4: the rest between adds
no rotation) is learned only when the session ends, and its reps are counted then (measured
on simulated sets, seeds 0-2, with :class:`imu.core.analyzer.RepAnalyzer`)."""


def learning_kind(profile: ExerciseProfile) -> str:
    """Which :data:`LEARNING_HINTS` fits ``profile``, from its fields alone.

    ``alternating``: the sides alternate (dead bug, bird-dog); ``braced``: a rep must rise
    from the braced rest level (``reject_below_rest``: the pelvis only follows the limbs, a
    leg raise); else ``large``.
    """
    if profile.alternating:
        return "alternating"
    if profile.reject_below_rest:
        return "braced"
    return "large"


def learning_hint(profile: ExerciseProfile | None) -> str:
    """What the screens say while the movement is learned, for ``profile``.

    A plank's is :data:`HOLD_HINTS`'s; a standing strict lift's :data:`STRICT_HINTS`' (its
    reps are hip drives: :data:`STRICT_LEARNING_HINT`); None: the general words.
    """
    if profile is None:
        return PHASE_HINTS["learning"]
    if profile.isometric:
        return HOLD_HINTS["learning"]
    if hip_drive(profile):
        return STRICT_HINTS["learning"]
    return LEARNING_HINTS[learning_kind(profile)]


def learning_count(profile: ExerciseProfile | None) -> str:
    """The words under the count ("-") before the movement is learned and anything counted.

    "reps: counted once learned", or :data:`STRICT_LEARNING_COUNT` for a standing strict lift
    (what it counts are hip drives, not reps).
    """
    return STRICT_LEARNING_COUNT if hip_drive(profile) else "reps: counted once learned"


HINT_KEYS = {"up": "concentric", "down": "eccentric", "hold": "hold", "rest": "hold",
             "learning": "learning"}
""":class:`PhaseChanged` phases -> phase keys, used while no :class:`PhaseStarted` comes (on the
terminal and the page). Still after a lowering (or a rep that ended) is a pause at the bottom, not a
hold: see :func:`hint_key`."""


def hint_key(hint: str, shown: str) -> str:
    """The phase key for the coarse hint ``hint`` while ``shown`` is the phase shown.

    ``hold`` and ``rest`` (still) read as a hold, except after a lowering or at the bottom: a
    rep has ended there, and being still at the bottom is a pause (then a rest), never a
    squeeze at the top.
    """
    key = HINT_KEYS.get(hint, "hold")
    if key == "hold" and shown in ("eccentric", "bottom_pause"):
        return "bottom_pause"
    return key


REST_HINTS = ("resting? or go on with the next rep", "resting? or get into the next hold")
"""Still at the bottom for a while (reps, holds): the screen reads it as rest, and says so."""

def _lower_first(cue: str) -> str:
    """A report cue ("Slow the descent") as the screens write it ("slow the descent")."""
    return cue[:1].lower() + cue[1:]


SWING_CUE = "no kick, lift with control"
"""What to do about a swing (a momentum-driven rep), on every screen."""

HIP_DRIVE_CUE = REPORT_SWING_WORDS["standing-strict"][2]
"""What to do about a hip drive (every pelvic rep of a standing strict lift, a curl or a press):
the report's cue. Such a rep is a fault, not a rep with a tempo: the pelvis should stay still,
so it is never told to lower more slowly."""

HIP_DRIVE_WHY = "the hips drove the lift"
"""Why :data:`HIP_DRIVE_CUE` is shown, on every screen."""


def hip_drive(profile: ExerciseProfile | None) -> bool:
    """Whether every pelvic rep of ``profile`` is a hip drive (``every_rep_is_swing``)."""
    return profile is not None and profile.every_rep_is_swing


_HIPS_MOVING = f"hips moving: {HIP_DRIVE_CUE}"

STRICT_LEARNING_HINT = ("lift with the pelvis still: hip drives are counted once the hip's "
                        "axis is learned; every hip drive is counted then, from the first")
"""A standing strict lift's words while the movement is learned (:func:`learning_hint`): what
it counts are hip drives, and the axis is learned from the pelvis's own movement, so no
"after 2-3 reps" (a still pelvis, the goal, gives it none to learn from)."""

STRICT_LEARNING_COUNT = "hip drives: counted once learned"
"""Under the full-screen panel's "-" before a standing strict lift's axis is learned (the
general words: "reps: counted once learned")."""

STRICT_HINTS: dict[str, str] = {
    **PHASE_HINTS,
    "concentric": _HIPS_MOVING,
    "top_hold": _HIPS_MOVING,
    "eccentric": _HIPS_MOVING,
    "bottom_pause": "pelvis still: keep it so, and let the arms do the lift",
    "rest": "rest, or lift on with the pelvis still",
    "learning": STRICT_LEARNING_HINT,
    "lost": "reconnecting... hip drives now are not counted",
}
"""The coaching words under the phase name for a standing strict lift (curl, press). Its
phases are those of a hip drive, the pelvis bursting out and back while the arms lift: the
fault itself, not a rep to lift with control, squeeze, lower slowly and reset (the words of
:data:`PHASE_HINTS`), so each says to keep the pelvis still, in the words of
:data:`HIP_DRIVE_CUE`; and a pause in the hip drives is no set the person did (its summary is
headed "Paused"), so the rest says to lift on, the pelvis still, not "the next set"."""

STRICT_REST_HINT = "pelvis still, as it should be: rest, or lift on"
"""A standing strict lift's :data:`REST_HINTS`: still a while after a hip drive is strict
form (or a rest), not a rest between the reps of a set."""


def phase_hints(profile: ExerciseProfile | None, hold: bool = False) -> dict[str, str]:
    """The coaching words under the phase name, by phase key, on every screen.

    A static hold's (``hold``: plank) :data:`HOLD_HINTS`, a standing strict lift's
    :data:`STRICT_HINTS`, else :data:`PHASE_HINTS`.
    """
    if hold:
        return HOLD_HINTS
    return STRICT_HINTS if hip_drive(profile) else PHASE_HINTS


def rest_hint(profile: ExerciseProfile | None, hold: bool = False) -> str:
    """What the screens say when still at the bottom a while reads as a rest.

    :data:`REST_HINTS`' (a hold's with ``hold``), or :data:`STRICT_REST_HINT` for a standing
    strict lift.
    """
    if hold:
        return REST_HINTS[1]
    return STRICT_REST_HINT if hip_drive(profile) else REST_HINTS[0]


HIP_DRIVE_UNCERTAIN = "uncertain: may not be a hip drive; not counted"
"""What a live screen says of a hip drive the analyzer is not sure of (``count_confidence``
under 0.5) when it does not know the exercise's profile, so cannot tell why
(:func:`hip_drive_uncertain` tells why): the pause line and the page's count leave it out,
as the report's advice does."""


def rep_row(rep: Rep) -> dict[str, float]:
    """What :func:`imu.report.coaching.doubt` reads of a rep, as a reps-table row has it.

    The reps table takes these straight from the live analyzer's :class:`Rep`
    (:func:`imu.report.tables.reps_table`), so a live screen and the report work out the
    same reason for the same hip drive.
    """
    return {"count_confidence": float(rep.count_confidence), "rom_deg": float(rep.rom_deg),
            "peak_concentric_dps": float(rep.peak_concentric_dps)}


def hip_drive_uncertain(rep: Rep, profile: ExerciseProfile | None) -> str:
    """What every live screen says of a hip drive the analyzer is not sure of, with why.

    "uncertain: may not be a hip drive (too slow to be sure: 16°/s at its fastest); not
    counted": the reason the report's table and page give for the same hip drive
    (:func:`imu.report.coaching.uncertain_drive_words`), worked back from what its certainty
    was computed from, never a guessed "may be sway". No profile: :data:`HIP_DRIVE_UNCERTAIN`.
    """
    if profile is None:
        return HIP_DRIVE_UNCERTAIN
    return f"{uncertain_drive_words(rep_row(rep), profile)}; not counted"


def hip_drive_at(rep: Rep) -> str:
    """"hip drive at 95 s": a hip drive placed in time, as every live screen tells it.

    A standing strict lift has no sets (a pause between two hip drives is no set the person
    did), so a hip drive is told by when it began (data time, s), as the end table and the
    report tell it, never as "rep 1 (set 3)".
    """
    return f"hip drive at {rep.con_start_s:.0f} s"


def counted_reps(reps: Sequence[Rep]) -> tuple[list[Rep], int]:
    """The reps whose swing and faults count, and how many uncertain reps that leaves out.

    The report's rule (:func:`imu.report.summary.evidence_mask`, the sets and session
    tables): a rep over a data gap is not judged, and a rep the analyzer is not sure was one
    (``count_confidence`` under 0.5) may be no rep, so neither is counted clean nor counts
    a swing or fault. The count left out is of the uncertain reps not over a gap, the ones a
    screen must name beside its counts (:func:`uncertain_left_out`).
    """
    judged = [r for r in reps if not r.in_gap]
    sure = [r for r in judged if r.count_confidence >= UNCERTAIN_CONFIDENCE]
    return sure, len(judged) - len(sure)


def uncertain_left_out(n: int) -> str:
    """Said beside a count that leaves uncertain reps out: " (1 uncertain left out)"."""
    return f" ({n} uncertain left out)" if n else ""


def duration_text(measured_s: float, column: str, prescribed_s: float,
                  tol: TempoTolerance | None = None, profile: ExerciseProfile | None = None,
                  hold: bool = False) -> str:
    """A phase duration as every screen prints it, never reading as a limit it is not.

    One decimal, or more where one would print a threshold the phase is judged against (a
    1.45 s descent with the dropped line at 1.5 s reads "1.45", not "1.5" beside "dropped
    descent"): :func:`imu.report.tables.near_limit` over
    :func:`imu.report.tables.phase_limits`, as the report and the page print it.

    Args:
        measured_s: the duration, s.
        column: ``concentric_s``, ``top_hold_s`` or ``eccentric_s``.
        prescribed_s: the tempo's duration for the phase, s.
        tol: the tempo tolerance (the default when None).
        profile: the exercise (its fault thresholds; the defaults when None).
        hold: a static hold (plank).

    """
    limits = phase_limits(column, prescribed_s, hold,
                          profile.thresholds if profile is not None else None, tol)
    return near_limit(measured_s, limits)


FAULT_CUES: dict[str, str] = {
    "swing": SWING_CUE,
    **{fault: _lower_first(cue) for fault, cue in REPORT_FAULT_CUES.items()},
}
"""The one thing to do about each fault: the report's cues (:mod:`imu.report.summary`), the
swing's in the live screen's words. Shown large as the correction after a faulty rep and as
the set's coaching line."""

_RULE_NAMES = tuple(name for name, _ in REPORT_RULES if name != "tempo")

FIX_ORDER: tuple[str, ...] = (*_RULE_NAMES, *(f for f in FAULTS if f not in _RULE_NAMES))
"""The swing and the faults in the order that breaks a tie between them: the report's
(:data:`imu.report.summary.RULES`, the dropped descent first), so that the set summary and the
report's "fix first" name the same thing first for the same set."""

_PHASE_WORDS = {"concentric": "up", "top_hold": "top hold", "eccentric": "down"}

TEMPO_CUES: dict[tuple[str, bool], str] = {
    (phase, short): _lower_first(REPORT_TEMPO_CUES[word, short])
    for phase, word in _PHASE_WORDS.items() for short in (True, False)
}
"""Per (phase, too short): the cue for a phase off tempo (the report's tempo cues)."""


def lost_words(lost_s: float, hold: bool = False, across: int = 0,
               drive: bool = False) -> str:
    """The note after the sensor came back: how much of the set it did not see.

    Reps done while it was lost were not seen, so not counted; but a rep begun before the
    loss and ended after it is counted, over the gap, and not judged (no tempo, swing or
    faults: :data:`NOT_JUDGED_REP`). Until such a rep is counted the note says the first,
    then the second: true at every moment.

    Args:
        lost_s: data seconds lost, s.
        hold: the set is of static holds (plank), which are timed rather than counted.
        across: reps (holds) counted over this loss so far (:func:`across_loss`).
        drive: a standing strict lift (:func:`hip_drive`): what it counts are hip drives
            ("hip drives then were not counted", "1 hip drive across it counted"), as
            :data:`STRICT_HINTS` says while the sensor is lost.

    """
    lost = "under 1 s" if lost_s < 0.5 else f"{lost_s:.0f} s"
    noun = "hold" if hold else "hip drive" if drive else "rep"
    if across:
        unit = noun + ("s" if across > 1 else "")
        return f"sensor back: {lost} lost, {across} {unit} across it counted, not judged"
    then = ("a hold then is not timed" if hold
            else "hip drives then were not counted" if drive
            else "reps done then were not counted")
    return f"sensor back: {lost} lost, {then}"


ACROSS_SLACK_S = 0.5
"""How far a rep's reported start or end may lie outside the sensor's loss, data s, and the rep
still be the one across it (the filters' delays are subtracted from reported times)."""


def across_loss(rep: Rep, from_s: float, lost_s: float) -> bool:
    """Whether ``rep`` was counted across the sensor's loss: over a gap, and overlapping it.

    Args:
        rep: a rep (or hold) just counted.
        from_s: data time the loss began, s (its grid sample over the rate).
        lost_s: data seconds lost, s.

    """
    if not rep.in_gap:
        return False
    # NaN times: over a gap whose place is unknown, counted while the note is up: this one.
    starts_after = rep.con_start_s > from_s + lost_s + ACROSS_SLACK_S
    ends_before = rep.ecc_end_s < from_s - ACROSS_SLACK_S
    return not (starts_after or ends_before)


OVER_GAP = "over gap"
"""What a rep's phase that includes lost time shows in place of its length (the length counted
the seconds without data: "hold 8.1/1" after an 8 s loss was no hold of 8.1 s)."""

REP_PHASE_COLUMNS = ("concentric_s", "top_hold_s", "eccentric_s")
"""A rep's timed phases, in order (columns of the reps table)."""


def phases_over_gap(rep: Rep, loss: tuple[float, float] | None = None) -> frozenset[str]:
    """The phases of ``rep`` whose length includes lost time, so is unknown.

    Args:
        rep: a rep (``in_gap``: over a data gap; any other rep has none).
        loss: ``(from_s, lost_s)``, data time the sensor's loss began and its length, s
            (``lost_s`` may be ``inf`` while not yet known); None: where the gap lies is not
            known.

    Returns:
        Columns of :data:`REP_PHASE_COLUMNS`: those overlapping the loss; all of them when
        the loss is not known, or overlaps none (the rep is over another gap, placed nowhere
        this view knows).

    """
    if not rep.in_gap:
        return frozenset()
    every = frozenset(REP_PHASE_COLUMNS)
    if loss is None:
        return every
    from_s, lost_s = loss
    spans = {"concentric_s": (rep.con_start_s, rep.con_end_s),
             "top_hold_s": (rep.con_end_s, rep.ecc_start_s),
             "eccentric_s": (rep.ecc_start_s, rep.ecc_end_s)}
    over = {column for column, (start, end) in spans.items()
            if not (math.isfinite(start) and math.isfinite(end))
            or (start < from_s + lost_s and end > from_s)}
    return frozenset(over) or every


def off_mark(measured_s: float, prescribed_s: float, tol: TempoTolerance) -> str:
    """``▼`` too short, ``▲`` too long, ``""`` on tempo: off tempo is never told by colour alone.

    A phase that was not measured (NaN) is marked as neither.
    """
    if not math.isfinite(measured_s) or tol.ok(measured_s, prescribed_s):
        return ""
    return "▼" if measured_s < prescribed_s else "▲"


def correction(rep: Rep, tempo: Tempo, tol: TempoTolerance,
               hold: bool = False,
               profile: ExerciseProfile | None = None) -> tuple[str, str] | None:
    """The one thing to correct after ``rep``: ``(cue, why)``, or None when it was good.

    The swing and the faults in :data:`FIX_ORDER` (the report's order: a dropped descent
    before a swing), then the first phase off tempo (a descent slower than prescribed is no
    fault to correct). None for a rep over a data gap: it is not judged, on tempo nor on
    swing and faults (:func:`imu.report.tables.judged`).
    ``hold``: a static hold (plank), judged on its length only, as the analyzer does
    (``tempo_ok``). ``profile``: the exercise (its thresholds for the figures; a standing
    strict lift's every rep is a hip drive, :data:`HIP_DRIVE_CUE`, never a tempo to keep).
    """
    if rep.in_gap:  # not judged at all: how long it lasted is not known (as the report)
        return None
    if hip_drive(profile):
        return (HIP_DRIVE_CUE, HIP_DRIVE_WHY) if rep.swing else None
    for name in FIX_ORDER:
        if name == "swing" and rep.swing:
            return SWING_CUE, "swing"
        if name in rep.faults:
            return FAULT_CUES.get(name, name.replace("_", " ")), fault_words([name])
    if hold:
        if rep.tempo_ok or not math.isfinite(rep.top_hold_s):
            return None
        held = duration_text(rep.top_hold_s, "top_hold_s", tempo.top_hold_s, tol, profile,
                             hold=True)
        return ("hold longer", f"held {held} s of {tempo.top_hold_s:g} ▼")
    for phase, label, measured, prescribed in (
        ("concentric", "up", rep.concentric_s, tempo.concentric_s),
        ("top_hold", "hold", rep.top_hold_s, tempo.top_hold_s),
        ("eccentric", "down", rep.eccentric_s, tempo.eccentric_s),
    ):
        mark = off_mark(measured, prescribed, tol)
        if mark and not (phase == "eccentric" and mark == "▲"):  # a slow descent is no fault
            shown = duration_text(measured, f"{phase}_s", prescribed, tol, profile)
            return (TEMPO_CUES[(phase, mark == "▼")],
                    f"{label} {shown} s of {prescribed:g} {mark}")
    return None


def unsure(rep: Rep) -> bool:
    """Whether every screen tells ``rep`` as uncertain (it may be no rep).

    The analyzer is not sure it was one (``count_confidence`` under
    :data:`imu.core.metrics.UNCERTAIN_CONFIDENCE`) and it is not over a data gap (such a rep
    is not judged at all, and says that instead).
    """
    return not rep.in_gap and rep.count_confidence < UNCERTAIN_CONFIDENCE


def uncertain_words(rep: Rep, unit: str = "rep", flagged: bool = False,
                    profile: ExerciseProfile | None = None) -> str:
    """What the screens say of a rep the analyzer is not sure was one ("" when sure).

    "uncertain: may not be a rep; its swing and faults not counted" (``flagged``: it shows a
    swing or fault, which the set's counts leave out), as the plain line's brackets, the
    terminal's correction and the page's correction card say it. ``unit``: ``rep``, ``hold``
    (a hold has no swing) or ``hip drive`` (:func:`hip_drive_uncertain`, why from the
    ``profile``).
    """
    if not unsure(rep):
        return ""
    if unit == "hip drive":
        return hip_drive_uncertain(rep, profile)
    what = "faults" if unit == "hold" else "swing and faults"
    counted = f"; its {what} not counted" if flagged else ""
    return f"uncertain: may not be a {unit}{counted}"


@dataclass(frozen=True)
class Fix:
    """The one correction a live screen shows after a rep (:func:`live_correction`).

    Attributes:
        cue: what to do, e.g. "keep the lower back pressed down"; for an uncertain rep, what
            the screens say of it (:func:`uncertain_words`): no confident correction.
        why: what was seen, e.g. "back arch" or "up 1.49 s of 2 ▼".
        uncertain: the rep may be no rep: the screens show it muted, never as a red
            correction, as the set summary that follows leaves it out.

    """

    cue: str
    why: str
    uncertain: bool = False


def live_correction(rep: Rep, tempo: Tempo, tol: TempoTolerance, hold: bool = False,
                    profile: ExerciseProfile | None = None) -> Fix | None:
    """:func:`correction` as the live screens show it: an uncertain rep's is no correction.

    A rep the analyzer is not sure was one (:func:`unsure`) may be no rep: the set summary
    leaves its swing and faults out and coaches nothing on it, so the screens must not
    raise a confident red "keep the lower back pressed down" for it. What was seen stays
    (``why``), under the words that it may not be a rep (``uncertain``).
    """
    fix = correction(rep, tempo, tol, hold, profile)
    if fix is None:
        return None
    cue, why = fix
    if not unsure(rep):
        return Fix(cue, why)
    if hip_drive(profile) and not hold:
        moved = f"pelvis moved {rep.rom_deg:.0f}°" if math.isfinite(rep.rom_deg) else why
        return Fix(hip_drive_uncertain(rep, profile), moved, uncertain=True)
    unit = "hold" if hold else "rep"
    flagged = bool(rep.swing) or any(f in rep.faults for f in FAULTS)
    words = uncertain_words(rep, unit, flagged)
    if not flagged:  # a tempo correction: the set's coaching leaves this rep out too
        words += "; not coached"
    return Fix(words, why, uncertain=True)


NOT_JUDGED_REP = "not judged (data gap)"
"""What every screen says of a rep (or hold) over a data gap in place of on tempo or off: it
lasted an unknown time, so it is neither red nor green and has no ▼/▲."""


NOT_JUDGED_SET = "not judged: the sensor was lost"
"""The coaching line of a set whose every rep was over a data gap: nothing to judge it by."""

SLOW_DESCENTS_GOOD = "good set: slower down than prescribed is fine"
"""The coaching line of a set whose only departure from the tempo was lowering slower than
prescribed: slow descents are the point of these exercises, and the report coaches none
faster (:func:`imu.report.coaching.slower_descent_note`); nor does a rep's correction."""

UNSURE_SET = "not judged: the reps were uncertain"
"""The coaching line of a set whose every judged rep was uncertain (``count_confidence``
under 0.5): as the report's advice, nothing to coach on."""


RUSHED_SHARE = 0.5
"""A set whose lift was rushed (:func:`rushed_lift`) in at least this share of its judged
reps says so beside the swing or fault its line leads with (as the report's "fix first"
puts the timing after every fault); with no swing or fault, the phase off tempo leads."""


def _fast_ratio(profile: ExerciseProfile | None) -> float:
    """The swing feature *fast*'s threshold: concentric over prescribed under it (0.5)."""
    return (profile.thresholds if profile is not None else FaultThresholds()).fast_ratio


def rushed_lift(rep: Rep, tempo: Tempo, tol: TempoTolerance,
                profile: ExerciseProfile | None = None) -> bool:
    """Whether ``rep``'s lift was rushed: off tempo short, in under half the prescribed time.

    The swing feature *fast* (``concentric_ratio`` under the profile's ``fast_ratio``, 0.5:
    docs/analysis.md) on a rep that was no swing (a swing is told as the swing it was), and
    whose lift is off tempo (``▼``, by ``tol``): an explosive lift prescribed at 0.5 s and
    done in 0.22 s is on tempo, never "rushed".
    """
    if rep.swing or off_mark(rep.concentric_s, tempo.concentric_s, tol) != "▼":
        return False
    fast = _fast_ratio(profile)
    ratio = rep.concentric_ratio
    if not math.isfinite(ratio) and tempo.concentric_s > 0:
        ratio = rep.concentric_s / tempo.concentric_s
    return math.isfinite(ratio) and ratio < fast


def set_coaching(reps: Sequence[Rep], tempo: Tempo, tol: TempoTolerance,
                 hold: bool = False,
                 profile: ExerciseProfile | None = None) -> tuple[str, str, bool]:
    """A finished set's one coaching line: ``(cue, why, good)``.

    The swing or fault most of its reps had (ties: in :data:`FIX_ORDER`, the report's order),
    its reason followed by the rushed lifts ("; besides, up in under half the prescribed 3 s
    in 5 of 8 reps", :func:`rushed_lift`) when at least :data:`RUSHED_SHARE` of its reps
    rushed it (the report's "fix first" likewise puts timing after every fault); else the
    phase most often off tempo (a hold: too short), else a good set (``good``). A rep
    over a data gap is not judged, on tempo nor on swing and faults (as
    :func:`imu.report.tables.judged`): "k of n" counts the judged reps alone, and a set whose
    every rep was over a gap is no good set but :data:`NOT_JUDGED_SET` (``good`` False). Nor
    is a rep the analyzer is not sure was one (``count_confidence`` under 0.5), as in the
    report's advice (:func:`imu.report.summary.evidence_mask`); a set of only such reps is
    :data:`UNSURE_SET`. When some were left out so, "k of m sure reps" says so: beside the
    set's tiles (every rep, every fault) a bare "of m reps" read as a contradiction.
    ``profile``: a standing strict lift's swing is a hip drive (:data:`HIP_DRIVE_CUE`), and
    its reps have no tempo to coach.
    """
    n = len(reps)
    unit = "holds" if hold else "reps"
    judged = [r for r in reps if not r.in_gap]
    if not judged:
        gaps = f"the {unit[:-1]}" if n == 1 else f"all {n} {unit}"
        return NOT_JUDGED_SET, f"{gaps} over a data gap", False
    judged = [r for r in judged if r.count_confidence >= UNCERTAIN_CONFIDENCE]
    if not judged:
        why = (f"the {unit[:-1]} may not be one: check it in the report" if n == 1
               else f"none of the {n} {unit} is sure: check them in the report")
        return UNSURE_SET, why, False
    m = len(judged)
    unsure = len(reps) - len(judged) - sum(bool(r.in_gap) for r in reps)
    of = f"{m} sure {unit}" if unsure else f"{m} {unit}"
    left_out = f"; {unsure} uncertain left out" if unsure else ""
    counts = [(f, sum(bool(r.swing) if f == "swing" else f in r.faults for r in judged))
              for f in FIX_ORDER]
    name, most = max(counts, key=lambda c: c[1])  # the first of the most frequent
    if hip_drive(profile):
        if most and name == "swing":
            # Every pelvic burst of a strict lift is a hip drive: "1 of 1 reps" said nothing.
            drives = f"{most} hip drive{'' if most == 1 else 's'}"
            return HIP_DRIVE_CUE, f"{drives} since the last pause{left_out}", False
        if not most:
            return "good set: the pelvis stayed still", "", True
    if most:
        besides = ""
        rushed = (0 if hold or hip_drive(profile)
                  else sum(rushed_lift(r, tempo, tol, profile) for r in judged))
        if rushed >= max(1, RUSHED_SHARE * m):
            # Most of the set rushed the lift while fewer reps had the fault that leads: the
            # lifts are said too, after it (trial 24: only "dropped descent in 1 of 8").
            fast = _fast_ratio(profile)
            share = "half" if fast == 0.5 else f"{fast:.0%} of"
            besides = (f"; besides, up in under {share} the prescribed "
                       f"{tempo.concentric_s:g} s in {rushed} of {m}")
        return (FAULT_CUES.get(name, name.replace("_", " ")),
                f"{fault_words([name])} in {most} of {of}{besides}{left_out}", False)
    if hold:
        short = sum(not r.tempo_ok for r in judged)
        if short:
            which = "the one hold was" if m == 1 else f"{short} of {of}"
            return ("hold longer", f"{which} shorter than {tempo.top_hold_s:g} s{left_out}",
                    False)
        return "good set: every hold long enough", "", True
    off: list[tuple[int, str, str, bool]] = []
    for phase, label, attr, prescribed in (
        ("concentric", "up", "concentric_s", tempo.concentric_s),
        ("top_hold", "hold", "top_hold_s", tempo.top_hold_s),
        ("eccentric", "down", "eccentric_s", tempo.eccentric_s),
    ):
        marks = [off_mark(getattr(r, attr), prescribed, tol) for r in judged]
        for short in (True, False):
            k = marks.count("▼" if short else "▲")
            if k and (short or phase != "eccentric"):  # a slow descent is no fault
                off.append((k, phase, label, short))
    if not off:
        slow = sum(off_mark(r.eccentric_s, tempo.eccentric_s, tol) == "▲" for r in judged)
        if slow:
            return (SLOW_DESCENTS_GOOD,
                    f"down longer than {tempo.eccentric_s:g} s in {slow} of {of}{left_out}", True)
        return "good set: every rep on tempo", "", True
    k, phase, label, short = max(off, key=lambda o: o[0])
    return (TEMPO_CUES[(phase, short)],
            f"{label} too {'short' if short else 'long'} in {k} of {of}{left_out}", False)


CUT_SHORT = "set cut short: the sensor was lost"
"""The coaching line of a set the sensor's loss ended (the session ended with it): it is
never praised as a good set after the rep or two seen (:func:`cut_short`)."""


def cut_short(coaching: tuple[str, str, bool], n: int, hold: bool = False,
              profile: ExerciseProfile | None = None) -> tuple[str, str, bool]:
    """A set's coaching line (:func:`set_coaching`) when the sensor's loss ended the set.

    "Good set: every rep on tempo" after the one rep seen before the sensor went away read
    as praise for a set that was really cut short. A good set becomes :data:`CUT_SHORT`
    ("1 rep before the sensor went away"); a correction stays, and says the set was cut
    short. Never ``good``.

    Args:
        coaching: ``(cue, why, good)`` of the set.
        n: reps (holds, hip drives) of the set seen.
        hold: static holds (plank).
        profile: the exercise (a standing strict lift counts hip drives).

    """
    cue, why, good = coaching
    noun = "hold" if hold else "hip drive" if hip_drive(profile) else "rep"
    seen = f"{n} {noun}{'' if n == 1 else 's'} before the sensor went away"
    if good:
        return CUT_SHORT, seen, False
    if cue == CUT_SHORT:
        return coaching
    return cue, f"{why}; cut short by the sensor loss" if why else CUT_SHORT, False


@dataclass(frozen=True)
class SourceInfo:
    """What a source says about the device it streams from (any transport: BLE, a phone app).

    Attributes:
        name: the device's name as the user knows it ("HipIMU-S", "Pixel 7 (phyphox)").
        address: where it was reached: a BLE address, a URL, "" when there is none.
        model: model string, if known.
        mtu: negotiated ATT MTU, bytes (BLE only; None otherwise).
        battery_percent: battery level, % (None: unknown).
        protocol_version: version of the device's streaming protocol, if any.
        firmware_version: firmware or app version, if known.
        serial_number: serial number, if known.
        extra: further fields for the ``connected`` journal event and the recorder (e.g. the
            decode factors of a Polar stream); plain JSON values.

    """

    name: str
    address: str = ""
    model: str | None = None
    mtu: int | None = None
    battery_percent: int | None = None
    protocol_version: str | None = None
    firmware_version: str | None = None
    serial_number: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_event(self) -> dict[str, Any]:
        """Fields of the ``connected`` journal event and recorder event (``extra`` included)."""
        return {
            "name": self.name,
            "address": self.address,
            "mtu": self.mtu,
            "protocol_version": self.protocol_version,
            "firmware_version": self.firmware_version,
            "serial_number": self.serial_number,
            "model": self.model,
            "battery_percent": self.battery_percent,
            **self.extra,
        }

    @property
    def summary(self) -> str:
        """One line for the views, e.g. ``HipIMU-S (C0:FF:EE:00:00:01), MTU 247, battery 80%``."""
        text = f"{self.name} ({self.address})" if self.address else self.name
        if self.mtu is not None:
            text += f", MTU {self.mtu}"
        if self.battery_percent is not None:
            text += f", battery {self.battery_percent}%"
        return text


@dataclass(frozen=True)
class Connected:
    """The source is connected and streaming (``reconnect``: not for the first time)."""

    info: SourceInfo
    reconnect: bool


@dataclass(frozen=True)
class Disconnected:
    """The link dropped unexpectedly at grid sample ``at_sample``; reconnection starts."""

    at_sample: int


@dataclass(frozen=True)
class Reconnecting:
    """About to try again (``attempt`` from 1) after ``delay_s``."""

    attempt: int
    delay_s: float
    error: str


@dataclass(frozen=True)
class RepDone:
    """A rep was completed.

    Attributes:
        rep: the rep (seconds from the first sample).
        received_s: host time the notification that completed it was received, s.
        emitted_s: host time the event was emitted, s.

    """

    rep: Rep
    received_s: float
    emitted_s: float


@dataclass(frozen=True)
class PhaseChanged:
    """The live movement phase (a display hint; reps are authoritative)."""

    phase: str


@dataclass(frozen=True)
class SetEnded:
    """No rep for ``rest_s``: the set is over."""

    set_no: int
    reps: tuple[Rep, ...]


@dataclass(frozen=True)
class Progress:
    """Periodic stream status."""

    samples: int
    seconds: float
    lost_samples: int
    gaps: int
    clock_drift_ppm: float | None
    journal_error: str | None


CANNOT_RECORD = "cannot_record"
""":class:`StreamEvent` kind: data arrives but nothing can be recorded from it (its ``error``
says why: a phone pushing no gyroscope)."""


@dataclass(frozen=True)
class StreamEvent:
    """A stream event: the device stopped a stream on its own, or its restart ended.

    ``kind`` is ``stopped_by_device``, ``stream_restarted`` or ``stream_restart_failed`` (the
    session then ends), or :data:`CANNOT_RECORD`; ``measurement`` names the stream ("ACC",
    "GYRO"; "" when none).
    """

    kind: str
    measurement: str
    error: str | None = None

    @property
    def text(self) -> str:
        """One line for the user."""
        if self.kind == CANNOT_RECORD:
            return f"NOT RECORDING: {self.error}"
        if self.kind == "stopped_by_device":
            return f"the sensor stopped its {self.measurement} stream on its own; restarting it"
        if self.kind == "stream_restarted":
            return f"{self.measurement} stream restarted; streaming"
        return (
            f"could not restart the {self.measurement} stream ({self.error}); ending the "
            "session and saving what was recorded"
        )


DEVICE_STOPPED = "device stopped streaming"
"""Session end reason: the device stopped a stream and it could not be restarted."""


@dataclass(frozen=True)
class Finished:
    """The session ended.

    ``reason``: ``stopped``, ``device gone``, ``device stopped streaming`` (``DEVICE_STOPPED``).
    """

    reason: str

    @property
    def words(self) -> str:
        """What the screens say: ``session ended``, with why when it was not asked for."""
        why = {
            "stopped": "",
            "device gone": ": the sensor went away and did not come back",
        }.get(self.reason, f": {self.reason}")
        return f"session ended{why}"


@dataclass(frozen=True)
class PhaseStarted:
    """A phase of the rep in progress started (a live cue; :class:`RepDone` is authoritative).

    Attributes:
        phase: one of :data:`PHASES`; ``bottom_pause``: back at the bottom (see
            ``rep_ended``). A phase may be told again within a rep (a hesitation: the
            concentric goes on after a top; a wiggle at the top: top hold after an eccentric
            start).
        rep_no: number of the rep in progress in the session, from 1.
        at_s: data time the phase started, s.
        emitted_at_s: data time of the newest sample when the event was made, s
            (``emitted_at_s - at_s`` is the detection delay).
        prescribed_s: the tempo's duration for this phase, s (None: no prescription).
        rep_ended: for ``bottom_pause``: True when a rep ended (its :class:`RepDone` follows),
            False when a start came to nothing (too small to be a rep).

    """

    phase: str
    rep_no: int
    at_s: float
    emitted_at_s: float
    prescribed_s: float | None
    rep_ended: bool = False


@dataclass(frozen=True)
class PaceCue:
    """The phase in progress runs faster than prescribed (emitted before it ends).

    Attributes:
        phase: ``eccentric`` (or ``concentric``).
        rep_no: number of the rep in progress, from 1.
        elapsed_s: time since the phase started, s.
        projected_s: the phase's duration at the pace so far, s.
        prescribed_s: the tempo's duration for the phase, s.
        message: the cue to show or say, e.g. ``slower``.

    """

    phase: str
    rep_no: int
    elapsed_s: float
    projected_s: float
    prescribed_s: float
    message: str


@dataclass(frozen=True)
class HoldFormCue:
    """A plank's hips sag or pike during the hold under way, or came back (a live cue).

    Raised once the hold's tilt drift so far has stayed past the profile's ``hip_drift_deg``
    for a second, cleared once it has stayed back within it as long, or when the hold ends
    (:mod:`imu.live.hold_form`). The :class:`RepDone` of the hold is authoritative: its
    ``hips_sagging`` / ``hips_piking`` label is measured over the whole hold.

    Attributes:
        fault: ``hips_sagging`` or ``hips_piking``; None: cleared.
        rep_no: number of the hold under way in the session, from 1.
        drift_deg: the tilt drift when told, deg (negative: sagging); NaN when the hold
            ended.
        at_s: data time of the newest sample when told, s.
        hold_ended: cleared because the hold ended (its verdict follows), not because the
            hips came back.

    """

    fault: str | None
    rep_no: int
    drift_deg: float
    at_s: float
    hold_ended: bool = False

    @property
    def words(self) -> str:
        """"hips sagging: lift the hips" (or piking); "" when cleared."""
        return "" if self.fault is None else form_words(self.fault)


def tells_pace(profile: ExerciseProfile | None) -> bool:
    """Whether the live screens tell "SLOWER" (a :class:`PaceCue`) for ``profile``.

    The cue projects the lowering's length from how fast the pelvis lowered its first half.
    It is told only where the pelvis' lowering is the rep's: an exercise that judges a
    dropped descent (``dropped_eccentric``), whose pelvis moves through the rep. Not for

    - the braced exercises (leg raise: ``reject_below_rest``; dead bug, bird-dog:
      ``alternating``, which judge no descent at all): the pelvis only follows the limbs by
      a few degrees, and a tilt as the leg lowers (a back arch) reads as a fast first half.
      Replayed in 8-sample chunks (2 sets of 6 reps, seeds 0-11, 2-1-2), the cue was told 5
      times on dead bugs and bird-dogs whose lowering then measured 1.8-2.0 s (on tempo),
      and 15 times on leg raises, 7 of them on a lowering on tempo (projected 0.8-1.5 s);
      on reverse crunches, hip raises and pelvic tilts 64 times, every one before a
      lowering that then measured short;
    - a standing strict lift, whose every rep is a hip drive with no tempo;
    - a static hold (plank).
    None: the cue is told (the general words).
    """
    if profile is None:
        return True
    return ("dropped_eccentric" in profile.faults and not profile.reject_below_rest
            and not profile.alternating and not profile.every_rep_is_swing
            and not profile.isometric)


def pace_words(cue: PaceCue, over: bool = False) -> str:
    """What a pace cue means, under its word (``SLOWER``) on every screen.

    ``over``: the phase it was about has ended (the cue stays up a moment after): said in
    the past, where "lowering in 1.2 s at this pace" read as the next rep's.
    """
    what = {"eccentric": "lowering", "concentric": "lifting"}.get(cue.phase, cue.phase)
    if over:
        return (f"that {what} was heading for {cue.projected_s:.1f} s, "
                f"aim for {cue.prescribed_s:g} s")
    return f"{what} in {cue.projected_s:.1f} s at this pace, aim for {cue.prescribed_s:g} s"


LiveEvent = (
    Connected | Disconnected | Reconnecting | RepDone | PhaseChanged | SetEnded | Progress
    | StreamEvent | PhaseStarted | PaceCue | HoldFormCue
)
Listener = Callable[[LiveEvent | Finished], None]
"""A view: takes each event in order; it must return quickly (it runs in the consumer)."""
