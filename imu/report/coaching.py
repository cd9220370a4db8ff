"""Coaching verdicts of a session, from the rules at the end of the domain brief (DOMAIN.md).

Rules, checked in this order (the first that applies is the verdict):

1. ``too_short``: no rep, in a recording too short for one (under :data:`MIN_ANALYSIS_S`,
   or ended within about three reps' time: :func:`early_stop_verdict`); ``no_reps``: no
   rep was found in a longer one.
2. ``no_rotation``: the exercise should curl the pelvis (reverse crunch, hanging leg raise:
   "If the hips do not rotate, it is a leg movement") but the median ROM of the reps is under
   :data:`NO_ROTATION_ROM_DEG`.
3. ``regress``: the profile's ``regress_fault`` occurs in at least :data:`REGRESS_SHARE` of
   the reps not over a data gap (:func:`imu.report.tables.judged`: the faults of a rep over
   one are not judged) and not uncertain (:func:`sure_reps`: an uncertain rep may be no rep)
   ("Leg raises: frequent back-arch faults suggest regressing"). In a
   strict standing lift every pelvic burst is hip drive, so any burst the analysis is sure of
   (count confidence 0.5 or more) asks for a lighter load; uncertain bursts alone do not
   (the verdict says why each is uncertain: :func:`doubt`).
4. ``progress``: some set has at least the profile's ``progress_after_clean_reps`` clean reps
   (no swing, no fault) whose eccentric lasts at least :data:`PROGRESS_ECCENTRIC_S` minus
   :data:`PROGRESS_ECCENTRIC_TOLERANCE_S` ("about 15 clean reps with a 3 s eccentric suggests
   progressing").
5. ``none``: nothing to change; for exercises with a progression bar the text says where the
   best set stands against it, counting its clean reps and how many of them had the 3 s
   descent ("your best set had 6 clean reps, 2 of them with a 3 s descent"). When the
   session prescribed a shorter descent than the bar asks for (a 2-1-2 tempo) and the clean
   reps were lowered in less than the bar's 3 s, it says so and names a tempo with a 3 s
   descent to train at, rather than reporting the prescribed reps as falling short.

A descent slower than prescribed is no fault ("Slow eccentrics are the point of the exercise"):
the summary never tells anyone to lower faster (:func:`imu.report.summary.tempo_findings`), and
the ``progress`` and ``none`` verdicts of a rep exercise end with a note instead
(:func:`slower_descent_note`): "Your descents took 3.0 s (median), slower than the 2 s
prescribed: fine, slow descents are the point of this exercise; to prescribe them, give --tempo
2-1-3." A session whose clean reps already lower in the bar's 3 s is never told to work
towards it.

Verdicts describe movement only; they never diagnose pain or injury (see :data:`DISCLAIMER`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import pandas as pd

from imu.core.labels import DIRECTION_DOUBT_CONFIDENCE
from imu.core.metrics import HOLD_SLACK_FRACTION, UNCERTAIN_CONFIDENCE, TempoTolerance
from imu.exercises import FAULTS, ExerciseProfile, fault_words, known_profile
from imu.tempo import Tempo

if TYPE_CHECKING:
    from imu.io.recording import RecordingMeta

logger = logging.getLogger(__name__)

VerdictKind = Literal["too_short", "no_reps", "no_rotation", "regress", "progress", "none"]

MIN_ANALYSIS_S: Final = 3.0
"""Least data a recording needs for the rep analysis to say anything, s: one fast rep (1 s up,
1 s down) with a moment at rest before it. Shorter recordings get "too short" instead of a
verdict about the movement (and ``imu analyze`` refuses them)."""

PROGRESS_ECCENTRIC_S: Final = 3.0
"""The descent that counts towards progression ("a 3-second descent"), s."""

PROGRESS_ECCENTRIC_TOLERANCE_S: Final = 0.25
"""Measurement slack on :data:`PROGRESS_ECCENTRIC_S`: phase edges are found at 10% of the
peak velocity, so a true 3 s descent measures within a few tenths of 3 s, s."""

REGRESS_SHARE: Final = 0.30
"""Share of reps with the profile's regress fault that suggests an easier variant."""

NO_ROTATION_ROM_DEG: Final = 10.0
"""Median ROM under which a pelvic-curl exercise was a leg movement, degrees."""


DISCLAIMER: Final = (
    "This analysis describes movement only and never diagnoses pain or injury; "
    "stop and seek advice if an exercise hurts."
)


@dataclass(frozen=True)
class Verdict:
    """A coaching verdict: its kind (for programs) and its text (for people)."""

    kind: VerdictKind
    text: str


def tempo_by_default(
    profile: ExerciseProfile, tempo: Tempo, meta: RecordingMeta, given: bool | None = None
) -> bool:
    """Whether a session was analysed with the exercise's default tempo, nobody's prescription.

    That is: no ``--tempo`` (``given``; None when the caller cannot tell, as the HTML report:
    a ``--tempo`` equal to the default then reads as the default too, which it is) and no
    prescription of the recording's own for this exercise (the rule of
    :func:`imu.report.session.recorded_tempo`). Where the tempo is shown, the words of
    :func:`default_tempo_words` then say so.
    """
    if given or tempo != profile.default_tempo:
        return False
    if not meta.tempo:
        return True
    if not meta.exercise:
        return False  # the recording's prescription, whatever exercise it was
    return known_profile(meta.exercise) != profile.name


def default_tempo_words(profile: ExerciseProfile) -> str:
    """What an unprescribed tempo is: "the reverse crunch's default; give yours with --tempo"."""
    name = ("the generic profile" if profile.name == "generic"
            else f"the {profile.title.split(' (')[0].lower()}")
    return f"{name}'s default; give yours with --tempo"


def curls_pelvis(profile: ExerciseProfile) -> bool:
    """Whether a good rep of this exercise curls the pelvis (tens of degrees)."""
    return profile.curls_pelvis


def progress_reps(reps: pd.DataFrame) -> pd.Series:
    """Per set: clean reps whose eccentric is a 3 s descent (within the tolerance).

    Args:
        reps: the reps table (:data:`imu.report.tables.REPS_COLUMNS`).

    Returns:
        Integer counts indexed by set number.

    """
    slow = reps["eccentric_s"] >= PROGRESS_ECCENTRIC_S - PROGRESS_ECCENTRIC_TOLERANCE_S
    good = (_clean(reps) & slow).astype("int64")
    return good.groupby(reps["set"]).sum()


def _clean(reps: pd.DataFrame) -> pd.Series:
    """The clean reps: the ``clean`` column, and never an uncertain rep (:func:`sure_reps`).

    The reps table already leaves uncertain reps out of ``clean``; a table written before
    it did (or built by hand) is read by the same rule.
    """
    return reps["clean"].fillna(False).astype(bool) & sure_reps(reps)


def prescribed_eccentric_s(
    reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo | None = None
) -> float:
    """The eccentric the reps were prescribed, s.

    ``tempo``'s when given; else recovered from the reps table (``eccentric_s /
    eccentric_ratio``, the ratio being taken against the prescription), else the profile's
    default tempo.
    """
    if tempo is not None:
        return float(tempo.eccentric_s)
    if "eccentric_ratio" in reps.columns and len(reps):
        ratio = reps["eccentric_ratio"].astype("float64").to_numpy()
        down = reps["eccentric_s"].astype("float64").to_numpy()
        ok = np.isfinite(ratio) & (ratio > 0) & np.isfinite(down)
        if ok.any():
            return round(float(np.median(down[ok] / ratio[ok])), 2)
    return float(profile.default_tempo.eccentric_s)


def descent_below_bar(eccentric_s: float) -> bool:
    """Whether a prescribed eccentric is shorter than the progression bar's 3 s descent."""
    return eccentric_s < PROGRESS_ECCENTRIC_S - PROGRESS_ECCENTRIC_TOLERANCE_S


def bar_tempo(profile: ExerciseProfile) -> Tempo:
    """A tempo to train towards the progression bar: the profile's default, 3 s down."""
    base = profile.default_tempo
    return Tempo(base.concentric_s, base.top_hold_s,
                 max(base.eccentric_s, PROGRESS_ECCENTRIC_S), base.bottom_pause_s)


def train_towards(profile: ExerciseProfile) -> str:
    """The sentence that names a tempo with the bar's descent.

    For example "To work towards it, train at tempo 2-1-3 (2 s up, 1 s hold at the top, 3 s
    down)."
    """
    t = bar_tempo(profile)
    return (f"To work towards it, train at tempo {t} ({t.concentric_s:g} s up, "
            f"{t.top_hold_s:g} s hold at the top, {t.eccentric_s:g} s down).")


def descent_median_s(reps: pd.DataFrame) -> float | None:
    """Median eccentric of the clean reps, s; None without any (:func:`clean_median_s`)."""
    return clean_median_s(reps, "eccentric_s")


def clean_median_s(reps: pd.DataFrame, column: str) -> float | None:
    """Median of a phase's ``column`` (``eccentric_s``...) over the clean reps, s; None without.

    Only reps over no data gap (:func:`imu.report.tables.judged`) and sure to be reps
    (:func:`sure_reps`) count, as for every finding.
    """
    if reps.empty or column not in reps.columns or "clean" not in reps.columns:
        return None
    from imu.report.tables import judged  # tables imports this module

    clean = _clean(reps) & judged(reps)
    down = reps.loc[clean, column].astype("float64").dropna()
    return float(down.median()) if len(down) else None


def reaches_bar(descent_s: float | None) -> bool:
    """Whether a measured descent is the bar's 3 s one (within the tolerance)."""
    return descent_s is not None and (
        descent_s >= PROGRESS_ECCENTRIC_S - PROGRESS_ECCENTRIC_TOLERANCE_S)


def slower_descent_note(
    reps: pd.DataFrame, profile: ExerciseProfile, eccentric_s: float, tempo: Tempo | None = None
) -> str:
    """The note for clean reps lowered slower than prescribed; "" when they were not.

    Slower means the median descent of the clean reps (:func:`descent_median_s`) lies past
    the on-tempo band of the prescribed ``eccentric_s`` (the default
    :class:`~imu.core.metrics.TempoTolerance`: the verdict is written without the
    ``--tempo-tolerance``). Slow descents are the point of these exercises, so the note says
    it is fine and names the tempo that prescribes it: ``tempo`` (else the profile's
    default) with the descent rounded to half a second (and the up too when the clean reps
    came up slower than prescribed), or the bar's tempo
    (:func:`train_towards`) when the descent is still short of the bar's 3 s and the
    prescription was too. Static holds and strict standing lifts (whose pelvic bursts
    have no descent to coach) get no note.
    """
    if profile.isometric or profile.every_rep_is_swing:
        return ""
    descent = descent_median_s(reps)
    if descent is None or descent <= eccentric_s + TempoTolerance().slack_s(eccentric_s):
        return ""
    text = (f"Your descents took {descent:.1f} s (median), slower than the {eccentric_s:g} s "
            "prescribed: fine, slow descents are the point of this exercise")
    if descent_below_bar(eccentric_s) and not reaches_bar(descent):
        return f"{text}. {train_towards(profile)}"
    base = tempo or profile.default_tempo
    # Ups slower than prescribed too (a 3-1-3 set analysed at the default 2-1-2): the tempo
    # named prescribes them as well, or following it left "Come up faster" (trial 22). A
    # faster up is never prescribed: it is the swing feature "fast".
    up = clean_median_s(reps, "concentric_s")
    concentric = base.concentric_s
    if up is not None and up > concentric + TempoTolerance().slack_s(concentric):
        concentric = round(up * 2) / 2
    done = Tempo(concentric, base.top_hold_s, max(round(descent * 2) / 2, 0.5),
                 base.bottom_pause_s)
    return f"{text}; to prescribe them, give --tempo {done}."


def _with_note(text: str, note: str) -> str:
    """A verdict's text with a note after it (one space between; the text ends with '.')."""
    return f"{text} {note}" if note else text


def _standing(reps: pd.DataFrame, profile: ExerciseProfile, needed: int,
              eccentric_s: float, tempo: Tempo | None = None) -> str:
    """Where the best set stands against the bar (the ``none`` verdict of rule 5).

    "To work towards it, train at ..." only when the prescription and the clean reps'
    descent both fall short of the bar's 3 s; clean reps lowered slower than prescribed get
    the :func:`slower_descent_note` instead of the prescription's shortfall.
    """
    per_set = progress_reps(reps)
    clean_per_set = _clean(reps).astype("int64").groupby(reps["set"]).sum()
    # The best set: the most reps towards the bar, then the most clean reps.
    best_set = max(per_set.index, key=lambda s: (int(per_set[s]), int(clean_per_set[s])))
    slow, clean = int(per_set[best_set]), int(clean_per_set[best_set])
    bar = f"a {PROGRESS_ECCENTRIC_S:g} s descent"
    # Named when there were several: the best set is the one nearest the bar, which need not
    # be the one with the most clean reps ("your best set had 7" beside a set of 8; trial 22).
    which = f" (set {best_set})" if clean and reps["set"].nunique() > 1 else ""
    text = f"Keep this variant for now: your best set{which} had {clean or 'no'} clean rep"
    text += "" if clean == 1 else "s"
    from imu.report.tables import judged  # tables imports this module

    in_best = reps["set"] == best_set
    unsure = int((in_best & judged(reps) & ~sure_reps(reps)).sum())
    if unsure:  # an uncertain rep is never clean: say what the count left out
        text += f" ({unsure} uncertain not counted)"
    if clean == 1:
        text += f" with {bar}" if slow else f", without {bar}"
    elif clean and slow == clean:
        text += f", all with {bar}"
    elif clean and slow == 0:
        text += f", none with {bar}"
    elif clean:
        text += f", {slow} of them with {bar}"
    rule = f"about {needed} clean reps with {bar} in one set suggest progressing"
    descent = descent_median_s(reps)
    note = slower_descent_note(reps, profile, eccentric_s, tempo)
    if not note and descent_below_bar(eccentric_s) and not reaches_bar(descent):
        return (f"{text}. {rule[0].upper()}{rule[1:]} to a harder variant; this session "
                f"prescribed a {eccentric_s:g} s descent. {train_towards(profile)}")
    return _with_note(f"{text}; {rule} to a harder variant.", note)


def sure_reps(reps: pd.DataFrame) -> pd.Series:
    """Reps the analysis is sure of (``count_confidence`` at least 0.5; all without it)."""
    if "count_confidence" not in reps.columns:
        return pd.Series(True, index=reps.index)
    return reps["count_confidence"].astype("float64").fillna(1.0) >= UNCERTAIN_CONFIDENCE


DoubtKind = Literal["small", "slow", "noise", "direction", "unclear"]


@dataclass(frozen=True)
class Doubt:
    """Why the analyzer is not sure a movement was a rep (a strict lift's: a hip drive).

    Attributes:
        kind: what held its certainty (``count_confidence``) under 0.5: ``small`` (its
            range, against the profile's smallest rep), ``slow`` (its peak rate, against
            the smallest rep's), ``noise`` (its range against the angle's spread in the
            second before it), ``direction`` (the session's direction of movement was in
            doubt), ``unclear`` (the table lacks the columns to tell).
        why: that in words: "too slow to be sure".
        measured: the measured quantities behind it: "the pelvis moved 21° but turned at
            16°/s at most, where a sure hip drive turns it at 30°/s or more" ("" if
            unknown).
        short: the one quantity, for a badge: "16°/s at its fastest" ("" if none).

    """

    kind: DoubtKind
    why: str
    measured: str = ""
    short: str = ""

    @property
    def text(self) -> str:
        """``why`` and the measurement: "too slow to be sure: the pelvis moved 21° but ..."."""
        return f"{self.why}: {self.measured}" if self.measured else self.why

    @property
    def brief(self) -> str:
        """``why`` and the one quantity, for a badge: "too slow to be sure: 16°/s ..."."""
        return f"{self.why}: {self.short}" if self.short else self.why


def uncertain_drive_words(row: Mapping[Any, Any], profile: ExerciseProfile | None) -> str:
    """What every view says of an uncertain hip drive, with why (:func:`doubt`).

    "uncertain: may not be a hip drive (too slow to be sure: 16°/s at its fastest)": the
    terminal's hip-drive table, the live screens and the HTML page's badge give the same
    reason for the same hip drive (each adds what is not counted). ``row``: a reps-table row
    or a mapping with its ``count_confidence``, ``rom_deg`` and ``peak_concentric_dps``;
    ``profile`` None (not known): no reason, never a guessed one.
    """
    if profile is None:
        return "uncertain: may not be a hip drive"
    return f"uncertain: may not be a hip drive ({doubt(row, profile).brief})"


SURE_MARGIN: Final = 1.0 + 2.0 * UNCERTAIN_CONFIDENCE
"""A rep is sure (certainty 0.5) from this many times the profile's smallest sure rep
(:attr:`~imu.exercises.ExerciseProfile.confidence_base_deg`), in range
and in peak rate (:func:`imu.core.labels.count_confidence`: (margin - 1) / 2)."""

SURE_NOISE_RATIO: Final = 2.0 + 3.0 * UNCERTAIN_CONFIDENCE
"""A rep is sure (certainty 0.5) from a range this many times the angle's spread in the second
before it (:func:`imu.core.labels.count_confidence`: (ratio - 2) / 3)."""


def _number(row: Mapping[Any, Any], column: str) -> float | None:
    value = row.get(column)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def doubt(row: Mapping[Any, Any], profile: ExerciseProfile, unit: str = "hip drive") -> Doubt:
    """Why one uncertain rep is uncertain, from what its certainty was computed from.

    The certainty (:func:`imu.core.labels.count_confidence`) is the least of three margins:
    the range over the profile's smallest rep, the peak rate over the smallest rep's (each
    sure from :data:`SURE_MARGIN` times), and the range over the angle's spread in the second
    before the rep (sure from :data:`SURE_NOISE_RATIO` times; that spread is not a column);
    a session whose direction was in doubt caps it at
    :data:`~imu.core.labels.DIRECTION_DOUBT_CONFIDENCE`. The range and the peak rate are
    columns, so the one that gives the certainty is named; a certainty under both is the
    noise's (or the direction's, at exactly the cap), and the spread is worked back from it.
    So a 21° burst whose pelvis turned at 16°/s is "too slow to be sure", never "barely above
    the noise".

    Args:
        row: a reps-table row (``count_confidence``, ``rom_deg``, ``peak_concentric_dps``).
        profile: the exercise (its smallest sure rep: ``confidence_base_deg``,
            ``min_velocity_dps``).
        unit: what a rep is called in the words ("hip drive", "rep").

    """
    from imu.report.tables import near_limit  # tables imports this module

    certainty = _number(row, "count_confidence")
    rom = _number(row, "rom_deg")
    peak = _number(row, "peak_concentric_dps")
    if certainty is None or rom is None or peak is None or profile.isometric:
        return Doubt("unclear", "small against the noise or of unclear direction")
    # The range is scaled as the analyzer scales it: by the smallest sure rep, which is the
    # smallest rep except where smaller ones are counted but never sure (hanging).
    base_rom = profile.confidence_base_deg
    by_rom = rom / base_rom
    by_rate = peak / profile.min_velocity_dps
    from_margin = min(max((min(by_rom, by_rate) - 1.0) / 2.0, 0.0), 1.0)
    sure_rom = SURE_MARGIN * base_rom
    sure_rate = SURE_MARGIN * profile.min_velocity_dps
    moved = near_limit(rom, [profile.min_rom_deg, base_rom, sure_rom], 0)
    if from_margin < UNCERTAIN_CONFIDENCE and certainty >= from_margin - 1e-6:
        if by_rom <= by_rate:
            return Doubt("small", "too small to be sure",
                         f"the pelvis moved {moved}°, where a sure {unit} moves it "
                         f"{sure_rom:g}° or more", f"only {moved}°")
        rate = near_limit(peak, [profile.min_velocity_dps, sure_rate], 0)
        return Doubt("slow", "too slow to be sure",
                     f"the pelvis moved {moved}° but turned at {rate}°/s at most, where a "
                     f"sure {unit} turns it at {sure_rate:g}°/s or more",
                     f"{rate}°/s at its fastest")
    if abs(certainty - DIRECTION_DOUBT_CONFIDENCE) < 1e-9:
        return Doubt("direction", "its direction was in doubt",
                     "the analysis could not tell the lift from the lowering in this session")
    # (rom / noise - 2) / 3 = certainty: the spread before it, worked back (0: at least).
    spread = rom / (3.0 * certainty + 2.0)
    about = "about" if certainty > 0 else "at least"
    return Doubt("noise", "not clear of the noise",
                 f"the pelvis moved {moved}°, but its angle had already wavered by {about} "
                 f"{spread:.0f}° in the second before it, where a sure {unit} moves it "
                 f"{SURE_NOISE_RATIO:g} times that or more",
                 f"it wavered {spread:.0f}° just before")


def doubts_text(reps: pd.DataFrame, profile: ExerciseProfile, unit: str = "hip drive",
                most: int = 3) -> str:
    """Why each uncertain rep (judged) is uncertain: "at 2 s, too slow to be sure: ...".

    A strict lift's hip drives are placed in time (s from the start); other reps by set and
    rep. At most ``most`` are told, then "and N more". "" when none.
    """
    if reps.empty:
        return ""
    from imu.report.tables import judged  # tables imports this module

    unsure = reps[judged(reps) & ~sure_reps(reps)]
    parts = []
    for row in unsure.head(most).to_dict(orient="records"):
        where = (f"at {float(row['start_s']):.0f} s" if "start_s" in row
                 and profile.every_rep_is_swing else f"set {row.get('set')}, rep {row.get('rep')}")
        parts.append(f"{where}, {doubt(row, profile, unit).text}")
    if len(unsure) > most:
        parts.append(f"and {len(unsure) - most} more")
    return "; ".join(parts)


EARLY_STOP_REPS: Final = 3
"""A session with no rep that ended within about this many reps' time (at the prescribed
tempo, with a 2 s pause) ended before a rep could be finished (:func:`early_stop_verdict`)."""

EARLY_STOP_MIN_S: Final = 20.0
"""... and never within less than this, s (getting into position takes a while); a plank's
first hold is given its target hold and this."""


def early_stop_s(profile: ExerciseProfile, tempo: Tempo | None) -> float:
    """How long a session with no rep may last and still have ended before its first, s.

    :data:`EARLY_STOP_REPS` reps' time at the prescribed tempo (the profile's default when
    None), with a pause of 2 s or the prescribed one; :data:`EARLY_STOP_MIN_S` at least. A
    hold: its target hold and :data:`EARLY_STOP_MIN_S`.
    """
    tempo = tempo if tempo is not None else profile.default_tempo
    if profile.isometric:
        return tempo.top_hold_s + EARLY_STOP_MIN_S
    per_rep = (tempo.concentric_s + tempo.top_hold_s + tempo.eccentric_s
               + max(tempo.bottom_pause_s or 0.0, 2.0))
    return max(EARLY_STOP_MIN_S, EARLY_STOP_REPS * per_rep)


WALK_ONLY_S = 20.0
"""With no rep found, a recording with at least this much walking in it, s (steps in a steady
beat, :func:`imu.core.locomotion.walking_samples`), is told it looks like a walk rather than
"the pelvis did not rotate ... curl the pelvis" (:func:`session_verdict`); the same floor as
the walking note of ``imu analyze`` (:func:`imu.report.mismatch.walking_note`)."""

MOSTLY_LOST_SHARE = 0.5
"""With no rep found, a recording whose sensor was lost for this share of its length or more
says so (``too_short``) rather than judge the movement (:func:`session_verdict`)."""


def early_stop_verdict(profile: ExerciseProfile, tempo: Tempo | None, duration_s: float,
                       who: str = "Stopped", started: bool | None = None) -> Verdict | None:
    """The verdict of a session with no rep that ended before one could be finished.

    Ctrl-C a few seconds into the first rep gave "No reps found: the pelvis did not rotate
    the 6°...; curl the pelvis, not only the legs": a technique correction for a rep the
    person never had the time to finish. Ended within :func:`early_stop_s`, the verdict is
    ``too_short``: "Stopped after 5 s, before a rep was finished: nothing to coach yet." The
    same in the session table, the end of ``imu live`` and ``imu analyze`` of the same
    recording, and in a summary told the duration (:func:`imu.report.summary.summarize`).
    None for a longer session (the movement may really be too small to count: the
    analysis' ``no_reps``), and for a standing strict lift (none found is strict form).

    Args:
        profile: the exercise.
        tempo: the prescription (None: the profile's default).
        duration_s: how long the recording lasted, s.
        who: the sentence's subject: "Stopped", or "The sensor went away" (``imu live``
            when the sensor was lost).
        started: whether a rep (hold) was under way when the session ended (the analyzer's
            open movement); False: none was, and the verdict says none was found ("No hold
            found in the 24 s recorded", not "before a hold was finished": dead bugs
            analysed as a plank never started one); None: not known, as True.

    """
    if profile.every_rep_is_swing or duration_s >= early_stop_s(profile, tempo):
        return None
    unit = "hold" if profile.isometric else "rep"
    if started is False:
        why = "" if who == "Stopped" else f" ({who[0].lower()}{who[1:]})"
        return Verdict("too_short", f"No {unit} found in the {duration_s:.0f} s recorded{why}: "
                       "nothing to coach yet.")
    return Verdict("too_short", f"{who} after {duration_s:.0f} s, before a {unit} was "
                   "finished: nothing to coach yet.")


def session_verdict(
    reps: pd.DataFrame,
    profile: ExerciseProfile,
    tempo: Tempo | None = None,
    duration_s: float | None = None,
    lost_s: float = 0.0,
    started: bool | None = None,
    walked_s: float = 0.0,
    paused_spans_s: Sequence[tuple[float, float]] = (),
) -> Verdict:
    """The verdict of one session (rules in the module docstring).

    Args:
        reps: the reps table of the session.
        profile: the exercise profile (its ``progress_after_clean_reps``, ``regress_fault``
            and advice texts).
        tempo: the prescription the reps were analysed with; None = recovered from the
            table (:func:`prescribed_eccentric_s`).
        duration_s: length of the recording, s (None: unknown). Under
            :data:`MIN_ANALYSIS_S` with no rep, the verdict is "too short", not a verdict
            about the movement; so it is within :func:`early_stop_s` (ended before the
            first rep could be finished: :func:`early_stop_verdict`).
        lost_s: how long the sensor was lost for, s (the gaps the analyzer could not bridge).
            With no rep, a recording lost for :data:`MOSTLY_LOST_SHARE` of its length or
            more gets ``too_short``: what little was heard cannot tell whether reps were
            done, and "No reps found: ... curl the pelvis" would blame the person's form for
            the radio.
        started: whether a rep (hold) was under way when the session ended, for the
            verdict of an early end with none (:func:`early_stop_verdict`); None: not known.
        walked_s: how long the person walked in the recording, s (0: not known). With no
            rep, :data:`WALK_ONLY_S` or more make the verdict a walk: the analyzer leaves
            walking out, and "the pelvis did not rotate" would be wrong.
        paused_spans_s: where the measurement was paused, (start, end) in s on the reps'
            clock (phyphox's pause: no data, and no sensor to blame; part of
            ``duration_s``). The rules of a session with no rep that ended early or lost its
            sensor judge the time measured, without the pauses, and a hold over a pause is
            neither cut by the recording's ends nor told to keep the sensor near the
            receiver.

    """
    paused_s = float(sum(b - a for a, b in paused_spans_s))
    if reps.empty and duration_s is not None and duration_s < MIN_ANALYSIS_S:
        return Verdict(
            "too_short",
            f"Too short to analyse: {duration_s:.1f} s recorded, and a rep needs at least "
            f"{MIN_ANALYSIS_S:g} s (the rep with a moment at rest before it). Record the "
            "whole set.",
        )
    if reps.empty and duration_s is not None:
        measured_s = max(duration_s - paused_s, 0.0)  # a pause measured nothing
        early = early_stop_verdict(profile, tempo, measured_s, started=started)
        if early is not None:
            return early
        if lost_s > 0.0 and lost_s >= MOSTLY_LOST_SHARE * measured_s:
            unit = "hold" if profile.isometric else "rep"
            besides = f", besides {paused_s:.0f} s paused" if paused_s >= 0.5 else ""
            return Verdict(
                "too_short",
                f"The sensor was lost for {lost_s:.0f} s of the {measured_s:.0f} s recorded"
                f"{besides}, and no {unit} was found in the "
                f"{max(measured_s - lost_s, 0.0):.0f} s it was heard: too little to tell. Keep "
                "the sensor charged and near the receiver, and record the set again.",
            )
    if reps.empty and walked_s >= WALK_ONLY_S:
        unit = "hold" if profile.isometric else "rep"
        return Verdict(
            "no_reps",
            f"No {unit}s found: the recording looks like walking ({walked_s:.0f} s of steps), "
            f"and a walk is not analysed as {unit}s. Start the recording once you are in "
            f"position for the {profile.title.lower()}.",
        )
    if reps.empty:
        if profile.every_rep_is_swing:
            return Verdict("no_reps", "No hip drive found: the pelvis stayed still.")
        text = (
            f"No reps found: the pelvis did not rotate the {profile.min_rom_deg:g}° at "
            f"{profile.min_velocity_dps:g}°/s or more that count as a "
            f"{profile.title.lower()} rep."
        )
        if curls_pelvis(profile):
            text += " If you did reps, curl the pelvis (tailbone to the ribs), not only the legs."
        return Verdict("no_reps", text)
    rom_median = float(reps["rom_deg"].median())
    if curls_pelvis(profile) and rom_median < NO_ROTATION_ROM_DEG:
        return Verdict(
            "no_rotation",
            f"No pelvic rotation: median {rom_median:.0f}° (under {NO_ROTATION_ROM_DEG:g}°), so "
            "the hips hardly curled and the move was a leg movement. Curl the tailbone off the "
            "floor towards the ribs.",
        )
    if profile.every_rep_is_swing:
        sure = int(sure_reps(reps).sum())
        if sure == 0:
            # Why each is uncertain, from what its certainty was computed from: a 21° burst
            # turned slowly is "too slow to be sure", never "barely above the noise".
            one = len(reps) == 1
            why = doubts_text(reps, profile)
            return Verdict(
                "none",
                f"No clear hip drive: {len(reps)} pelvic burst{'' if one else 's'} the "
                f"analyzer is not sure of{f' ({why})' if why else ''}. Check "
                f"{'it' if one else 'them'}; keep this variant.",
            )
        # What is measured is the hip drives (the lifts are not counted from the hip),
        # counted as the fix-first line counts them: judged and sure.
        from imu.report.tables import judged  # tables imports this module

        counted = judged(reps)
        drives = int((counted & sure_reps(reps)).sum()) or sure
        unsure = int((counted & ~sure_reps(reps)).sum())
        left_out = f" ({unsure} uncertain not counted)" if unsure else ""
        return Verdict(
            "regress",
            f"{drives} hip drive{'s' if drives != 1 else ''}{left_out}: the pelvis moved to "
            "drive the weight. Lighten the load until the pelvis stays still through the lift.",
        )
    fault = profile.regress_fault
    from imu.report.tables import judged  # tables imports this module

    # A rep over a data gap: its faults are not judged; an uncertain rep may be no rep.
    measured = reps[judged(reps) & sure_reps(reps)]
    if fault is not None and fault in reps.columns and len(measured):
        share = float(measured[fault].mean())
        if share >= REGRESS_SHARE:
            return Verdict(
                "regress",
                f"{fault.replace('_', ' ').capitalize()} in {share:.0%} of reps. "
                f"{profile.advice_regress}".strip(),
            )
    needed = profile.progress_after_clean_reps
    if needed is not None:
        per_set = progress_reps(reps)
        best = int(per_set.max()) if len(per_set) else 0
        eccentric_s = prescribed_eccentric_s(reps, profile, tempo)
        if best >= needed:
            best_set = int(per_set.index[int(np.argmax(per_set.to_numpy()))])
            return Verdict(
                "progress",
                _with_note(f"Set {best_set}: {best} clean reps with a "
                           f"{PROGRESS_ECCENTRIC_S:g} s descent (the bar is {needed}). "
                           f"{profile.advice_progress}".strip(),
                           slower_descent_note(reps, profile, eccentric_s, tempo)),
            )
        return Verdict("none", _standing(reps, profile, needed, eccentric_s, tempo))
    if profile.isometric and tempo is not None and "tempo_ok" in reps.columns:
        return Verdict("none", _hold_standing(reps, tempo, lost_s, paused_spans_s))
    return Verdict("none", _with_note(
        "Keep this variant: no progression or regression suggested.",
        slower_descent_note(reps, profile, prescribed_eccentric_s(reps, profile, tempo), tempo)))


PLANK_RANGE_S: tuple[float, float] = (30.0, 60.0)
"""DOMAIN: a plank is held still and level for 30-60 s."""

NOT_A_HOLD_S = 6.0
"""Holds this short (median) are no plank: reps of another exercise analysed as one, s;
unless they lasted what was prescribed (a 5 s hold held 4.8 s is a short hold, not a rep).
A crunch's "holds" as a plank last about 3 s, a tilt drill's its 5 s; a beginner's plank of
8 s against a 10 s target is a short plank (at 10 s it was called reps, trial 20)."""


def cut_by_the_ends(reps: pd.DataFrame, lost_s: float,
                    paused_spans_s: Sequence[tuple[float, float]] = ()) -> bool:
    """Whether the reps over a data gap (``in_gap``) were cut by the recording's ends.

    With no sample lost (``lost_s``, the gaps too long to bridge, s, is 0) and every such
    rep the recording's first or last: the recording began or ended during it (stopped
    mid-plank), which no sensor advice mends. False when no rep is over a gap, and when one
    is over a pause of the measurement (``paused_spans_s``, (start, end) s on the reps'
    clock: within :data:`OVER_PAUSE_S` of the rep), which cut it instead.
    """
    if "in_gap" not in reps:
        return False
    unjudged = np.flatnonzero(reps["in_gap"].astype("boolean").fillna(False).to_numpy(bool))
    if paused_spans_s and len(unjudged) and {"start_s", "ecc_end_s"} <= set(reps.columns):
        start = reps["start_s"].to_numpy(dtype=float)[unjudged]
        end = reps["ecc_end_s"].to_numpy(dtype=float)[unjudged]
        if any(np.any((start < b + OVER_PAUSE_S) & (end > a - OVER_PAUSE_S))
               for a, b in paused_spans_s):
            return False
    return (lost_s <= 0.0 and len(unjudged) > 0
            and all(i in (0, len(reps) - 1) for i in unjudged))


OVER_PAUSE_S: Final = 1.0
"""A rep over a data gap that ends (starts) this close before (after) a pause of the
measurement, or spans it, was cut by the pause, s: its phase was under way when the samples
stopped."""


def _hold_standing(reps: pd.DataFrame, tempo: Tempo, lost_s: float = 0.0,
                   paused_spans_s: Sequence[tuple[float, float]] = ()) -> str:
    """A plank's verdict by time held: how many holds lasted the prescription.

    ``lost_s``: how long the sensor was lost, s. With nothing lost, a hold not judged was
    cut by the recording's start or end (stopped mid-plank), or by a pause of the
    measurement (``paused_spans_s``, (start, end) s: phyphox's pause): no advice about the
    sensor.
    """
    n = len(reps)
    # Long enough by the analyzer's rule for a hold: a tenth (at least min_s) under the target.
    enough_s = tempo.top_hold_s - max(TempoTolerance().min_s,
                                      HOLD_SLACK_FRACTION * tempo.top_hold_s)
    if "top_hold_s" in reps and float(reps["top_hold_s"].median()) < min(NOT_A_HOLD_S,
                                                                          enough_s):
        return (f"These look like reps, not a held plank: the holds lasted "
                f"{float(reps['top_hold_s'].median()):.1f} s (median). Was it another "
                "exercise? Then analyse it with that --exercise.")
    # A hold over a data gap lasted an unknown time: it is left out, and the verdict says so.
    gap = (reps["in_gap"].fillna(False).astype(bool) if "in_gap" in reps
           else pd.Series(False, index=reps.index))
    cut = cut_by_the_ends(reps, lost_s, paused_spans_s)
    unjudged = ("" if not gap.any() else
                f" ({int(gap.sum())} cut by the recording's start or end, not judged)" if cut
                else f" ({int(gap.sum())} over a data gap, not judged)")
    reps, n = reps[~gap], int((~gap).sum())
    if n == 0 and cut:
        which = "the hold, so it" if len(gap) == 1 else "every hold, so none"
        return (f"The recording began or ended during {which} could not be timed: record "
                "each hold whole, from getting into position to getting down.")
    if n == 0 and lost_s <= 0.0 and paused_spans_s:
        which = ("the hold, so it could not" if len(gap) == 1
                 else "every hold, so none could")
        return (f"The measurement was paused during {which} be timed: record each hold "
                "whole, without pausing the measurement.")
    if n == 0:
        return ("Samples were lost during every hold, so none could be timed: keep the "
                "sensor close to the receiver and record again.")
    short = int((~reps["tempo_ok"].astype(bool)).sum())
    faulty = int(reps["fault_count"].gt(0).sum()) if "fault_count" in reps else 0
    target = tempo.top_hold_s
    if short * 2 > n:
        which = "The one hold was" if n == 1 else f"{short} of {n} holds were"
        return (f"{which} shorter than the prescribed {target:g} s{unjudged}: "
                "hold longer next time, or prescribe a hold you can keep with good form.")
    # "Long enough" allows a hold a tenth under the target (HOLD_SLACK_FRACTION): say so
    # when a hold needed it, rather than claim the whole prescription was held.
    full = (int((reps["tempo_ok"].astype(bool) & (reps["top_hold_s"] >= target)).sum())
            if "top_hold_s" in reps else n - short)
    lasted = (f"lasted the prescribed {target:g} s" if full == n - short
              else f"{'was' if n - short == 1 else 'were'} long enough (the prescribed "
              f"{target:g} s, or within a tenth of it)")
    if short == 0 and faulty == 0:
        longer = (f"; plank holds run {PLANK_RANGE_S[0]:g}-{PLANK_RANGE_S[1]:g} s, so a "
                  "longer hold is the next step when this feels easy"
                  if target < PLANK_RANGE_S[1] else "")
        every = "The one hold" if n == 1 else f"All {n} holds"
        return f"{every} {lasted}{unjudged} with no fault: keep this variant{longer}."
    which = "The one hold" if n == 1 else f"{n - short} of {n} holds"
    if faulty == 0:
        return f"{which} {lasted}{unjudged}: keep this variant and this hold."
    # A fault's fix may be a shorter hold ("Shorten the hold until it is steady"): the
    # verdict beside it never says "keep this hold", only to fix the form before holding longer.
    names = [f for f in FAULTS if f in reps and reps[f].fillna(False).astype(bool).any()]
    what = f"a fault ({fault_words(names)})" if names else "a fault"
    had = "it had" if n == 1 else f"{faulty} had"
    return (f"{which} {lasted}{unjudged}, but {had} {what}: keep this variant, and fix the "
            "form before holding longer.")
