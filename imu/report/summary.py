"""The ten-second summary of a session: what happened and the one or two things to fix first.

Every rule lives here, one function per rule, each traced to the domain brief (DOMAIN.md) and
tested in ``tests/report/test_summary.py``. A rule looks at the reps table of one recording
and, when it applies, returns a :class:`Finding`: a coaching cue in plain words with the
evidence behind it (how many reps, the measured quantity against the prescription or the
threshold, and where: set and rep numbers)::

    Slow the descent: 3 of 12 descents lasted under 1 s against 3 s prescribed
    (set 1, rep 6; set 2, reps 5-6).

:func:`summarize` runs every rule (the tempo rule gives a finding per phase off tempo, each
naming only the reps off in that phase, by the rule of the table's red cells:
:func:`imu.report.tables.off_phases`), joins tempo advice to the fault finding about the same
phase (one line per phase: a rushed descent and dropped descents are one "Slow the descent"),
ranks the findings (swings and faults first, most reps affected first, ties in the order of
:data:`RULES`, the eccentric and momentum cheats first, as DOMAIN names them the usual cheats;
tempo advice of its own after every fault) and keeps :data:`MAX_FIXES` as the things to fix
first. The progression or
regression advice comes after them (:func:`advice`: the verdict of
:func:`imu.report.coaching.session_verdict`, which also says where the best set stands against
the progression bar), and the disclaimer stays.

Measured quantities come from the reps table columns named in docs/analysis.md
(``eccentric_ratio``, ``arch_deg``...). Columns that a table does not have yet are skipped:
the evidence then falls back to what the table has (durations, ROM, counts). A quantity that
would print as its threshold gets a decimal more (:func:`imu.report.tables.near_limit`).

Reps over a data gap (``in_gap``) are not judged (:func:`imu.report.tables.judged`): never
clean, never tempo, swing or fault evidence (neither among the reps with a fault nor in the
"of M"), out of the on-tempo count and the time under tension (unknown, NaN, when every rep
was over a gap); :attr:`Summary.gap_note` says how long the sensor was lost and which reps
it cost. A pause of the measurement (phyphox's pause button,
:attr:`imu.io.recording.Gap.paused`) is no loss: the note says the measurement was paused, and
for how long, with no advice about the sensor (:attr:`Summary.pause_note`). Reps the
analyzer is not sure were reps (``count_confidence`` under 0.5) are no evidence either
(:func:`evidence_mask`): a finding counts neither them among the reps with a fault nor in the
"of M", and says how many it left out ("2 uncertain reps not counted"); the sets' swing and
fault counts and the session's shares follow the same rule (:mod:`imu.report.tables`).

A standing strict lift (``every_rep_is_swing``) is told by what the hip measures of it: hip
drives, placed in time ("2 hip drives: the pelvis moved up to 14° to drive the weight (at 23
and 100 s)"), never "2 of 2 reps were swings" (every burst is a hip drive by definition) nor
sets (a pause between two hip drives is no set the person did): :func:`counted_words`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import numpy as np
import pandas as pd

from imu.core.metrics import UNCERTAIN_CONFIDENCE, TempoTolerance
from imu.exercises import ExerciseProfile
from imu.io.recording import REASON_PAUSED_PHYPHOX
from imu.report.coaching import (
    DISCLAIMER,
    Verdict,
    cut_by_the_ends,
    doubts_text,
    session_verdict,
    sure_reps,
)
from imu.report.tables import (
    TUT_UNKNOWN,
    judged,
    judged_tut_s,
    near_limit,
    off_phases,
    phase_text,
    time_held_s,
)
from imu.tempo import Tempo
from imu.text import count

MAX_FIXES: Final = 2
"""Findings shown as "fix first"; the rest are listed as "also seen"."""

TEMPO_OFF_SHARE: Final = 0.3
"""Share of off-tempo reps from which the tempo rule speaks (when no fault explains them)."""


@dataclass(frozen=True)
class Finding:
    """One thing to fix, in coaching words with its evidence.

    Attributes:
        rule: the rule's name (a fault name, ``swing``, or ``tempo``).
        cue: the coaching cue, imperative ("Slow the descent").
        evidence: the measured facts with counts, quantities and where.
        count: reps affected (used to rank findings).
        where: the affected reps as ``set S, reps a-b`` text.
        phase: the tempo rule's phase (``up``, ``top hold``, ``down``); "" for the others.
        short: the tempo rule's phase ran short of its prescription (too fast; False when
            too slow, and for the other rules).

    """

    rule: str
    cue: str
    evidence: str
    count: int
    where: str = ""
    phase: str = ""
    short: bool = False

    @property
    def text(self) -> str:
        """Cue and evidence as one sentence."""
        return f"{self.cue}: {self.evidence}"


@dataclass(frozen=True)
class Summary:
    """What a person reads first about one recording.

    Attributes:
        reps: reps found.
        sets: sets found.
        clean_reps: clean reps: no form fault (no swing and no fault; tempo is judged
            apart), over no data gap, and sure to be reps (``count_confidence`` 0.5 or more).
        tut_s: total time under tension of the reps judged, s; NaN (unknown) when every
            rep was over a data gap.
        fixes: at most :data:`MAX_FIXES` findings, the most important first.
        also: the other findings, same order.
        advice: the progression / regression verdict (:mod:`imu.report.coaching`).
        uncertain: the reps the analyzer is unsure are reps (``count_confidence`` low),
            as ``set S, rep R`` text (a strict lift's hip drives: when, ``at 45 s``); ""
            when none or the column is missing.
        uncertain_faults: those of them (not over a data gap) with a swing or fault, as
            ``set S, rep R`` text: the findings do not count them (:func:`evidence_mask`).
        disclaimer: the analysis never diagnoses pain or injury.
        unit: what one rep is called: ``hold`` for holds (plank), ``hip drive`` for a
            standing strict lift, else ``rep``.
        judged: reps judged: those not over a data gap (:func:`imu.report.tables.judged`).
        tempo_judged: reps judged on tempo: those of ``judged`` sure to be reps (an uncertain
            one may be no rep: ``uncertain_count`` says how many are left out so).
        on_tempo: of those, the reps on tempo (holds: long enough).
        gap_reps: the reps over a data gap, as ``set S, rep R`` text (a strict lift's: when,
            ``at 45 s``; "" when none).
        gap_count: how many reps were over a data gap.
        gap_at_ends: no sample was lost and the reps over a gap are the first or last:
            the recording began or ended during them (:func:`cut_by_the_ends`).
        lost_spans_s: the recording's gaps too long to bridge, as (start, end) in s from
            the first sample (:attr:`imu.report.session.SessionReport.lost_spans_s`); the
            pauses are not among them.
        paused_spans_s: where the measurement was paused, (start, end) in s as
            ``lost_spans_s`` (:attr:`imu.report.session.SessionReport.paused_spans_s`).
        paused_reason: how it was paused, e.g. "paused in phyphox" (the gap reason,
            :data:`imu.io.recording.PAUSE_REASONS`).
        held_s: holds: the time held (:func:`imu.report.tables.time_held_s`), s.
        uncertain_count: reps not over a data gap that the analyzer is unsure are reps
            (:func:`uncertain_left_out`): never clean, and no evidence for a finding.
        strict: a standing strict lift (``every_rep_is_swing``): its reps are hip drives,
            so none found is the good outcome (strict form), not a failure.
        missed_before: the reps after a pause that broke the set's rhythm (``missed_before``:
            a rep may be missing there), as ``set S, rep R`` text; "" when none or the
            column is missing (:func:`missed_note`).
        doubts: a strict lift's uncertain hip drives, each with why it is uncertain
            (:func:`imu.report.coaching.doubts_text`: "at 5 s, too slow to be sure: the
            pelvis moved 11° but turned at 29°/s at most, ..."); "" when none (and for other
            exercises).
        sensor_warnings: what the import found wrong with the sensor itself (a frozen
            sensor, a dead axis: :data:`imu.io.csv_import.SENSOR_NOTE`), one a line.

    """

    reps: int
    sets: int
    clean_reps: int
    tut_s: float
    fixes: tuple[Finding, ...]
    also: tuple[Finding, ...] = ()
    advice: Verdict = field(default_factory=lambda: Verdict("none", ""))
    uncertain: str = ""
    uncertain_faults: str = ""
    disclaimer: str = DISCLAIMER
    unit: str = "rep"
    judged: int = 0
    tempo_judged: int = 0
    on_tempo: int = 0
    gap_reps: str = ""
    gap_count: int = 0
    gap_at_ends: bool = False
    lost_spans_s: tuple[tuple[float, float], ...] = ()
    paused_spans_s: tuple[tuple[float, float], ...] = ()
    paused_reason: str = REASON_PAUSED_PHYPHOX
    held_s: float = 0.0
    uncertain_count: int = 0
    strict: bool = False
    missed_before: str = ""
    doubts: str = ""
    sensor_warnings: tuple[str, ...] = ()

    @property
    def sure(self) -> int:
        """Reps judged and sure to be reps: those that can be clean or a finding's evidence."""
        return self.judged - self.uncertain_count

    @property
    def main_fault(self) -> str | None:
        """The rule of the first thing to fix, or None for a clean session."""
        return self.fixes[0].rule if self.fixes else None

    @property
    def lost_s(self) -> float:
        """Time the sensor was lost for (the gaps too long to bridge), s (:func:`lost_s`)."""
        return lost_s(self.lost_spans_s)

    @property
    def paused_s(self) -> float:
        """Time the measurement was paused for, s (as :attr:`lost_s` adds up its spans)."""
        return lost_s(self.paused_spans_s)

    @property
    def gap_note(self) -> str:
        """What the data gaps cost, in words ("" without gaps).

        "The sensor was lost for 8.2 s (from 30.0 to 38.2 s): reps done then could not be
        counted, and the rep over the gap (set 1, rep 4) is not judged: it is left out of the
        on-tempo, clean and fault counts and the time under tension." Of many gaps the first
        few are named (:func:`spans_text`). A pause of the measurement comes first, in its
        own words (:attr:`pause_note`).
        """
        return self.gap_text()

    @property
    def pause_note(self) -> str:
        """Where the measurement was paused, in words ("" when it never was).

        "The measurement was paused in phyphox for 4 min (from 45.0 to 285.0 s): no data
        then, so reps done while paused are not counted." A rep over a pause, with no sensor
        lost, is said not judged here. Nothing about the sensor: nothing was lost.
        """
        return self.pause_text()

    def pause_text(self, listed: str = "") -> str:
        """:attr:`pause_note`, saying where the whole list of many pauses is (``listed``)."""
        if not self.paused_spans_s:
            return ""
        n = len(self.paused_spans_s)
        spans = spans_text(self.paused_spans_s, listed)
        times = "" if n == 1 else f" {count(n, 'time')},"
        in_all = "" if n == 1 else " in all"
        done = "timed" if self.unit == "hold" else "counted"
        text = (f"The measurement was {self.paused_reason}{times} for "
                f"{duration_words(self.paused_s)}{in_all} ({spans}): no data then, so "
                f"{self.unit}s done while paused are not {done}")
        if self.gap_count and not self.lost_spans_s and not self.gap_at_ends:
            return f"{text}, and {self._over('pause')}."
        return f"{text}."

    def _over(self, what: str) -> str:
        """The words of the reps over a ``what`` (gap, pause): "the rep over the gap ..."."""
        unit = self.unit
        judged_text = ("is not judged: it is left out of the on-tempo, clean and fault counts "
                       "and the time under tension" if self.gap_count == 1 else
                       "are not judged: they are left out of the on-tempo, clean and fault "
                       "counts and the time under tension")
        return (f"the {unit} over the {what} ({self.gap_reps}) {judged_text}"
                if self.gap_count == 1
                else f"the {self.gap_count} {unit}s over the {what}s ({self.gap_reps}) "
                     f"{judged_text}")

    def gap_text(self, listed: str = "") -> str:
        """:attr:`gap_note`, saying where the whole list of many gaps is (``listed``).

        ``listed`` (e.g. ``in out/report.html``, or ``below``) follows "... and 146 more,
        all listed" when the gaps are too many to name here; "" names no place.
        """
        return " ".join(filter(None, (self.pause_text(listed), self.lost_text(listed))))

    def lost_text(self, listed: str = "") -> str:
        """What the data lost cost (:attr:`gap_note` without the :attr:`pause_note`).

        "" when nothing was lost, nor any rep over a gap other than a pause.
        """
        unit = self.unit
        judged_text = ("is not judged: it is left out of the on-tempo, clean and fault counts "
                       "and the time under tension" if self.gap_count == 1 else
                       "are not judged: they are left out of the on-tempo, clean and fault "
                       "counts and the time under tension")
        over = self._over("gap")
        if self.lost_spans_s:
            spans = spans_text(self.lost_spans_s, listed)
            n = len(self.lost_spans_s)
            # Only the gaps too long to fill: beside "3770 samples lost in 78 gaps" (every
            # lost frame counted) "in 23 gaps" read as a contradiction (trial 22).
            in_gaps = f" in {n} gaps too long to fill in" if n > 1 else ""
            done = "timed" if unit == "hold" else "counted"
            text = (f"The sensor was lost for {self.lost_s:.1f} s{in_gaps} ({spans}): "
                    f"{unit}s done then could not be {done}")
            return f"{text}, and {over}." if self.gap_count else f"{text}."
        if self.gap_count and self.gap_at_ends:
            # Nothing lost: the recording stopped while the last rep still moved (or a hold
            # went on: imu.core.analyzer, its end unknown), or began while the first was
            # under way (imu.core.metrics: its start unknown). No sensor to blame.
            cut = (f"the {unit} cut off ({self.gap_reps})" if self.gap_count == 1
                   else f"the {self.gap_count} {unit}s cut off ({self.gap_reps})")
            return (f"The recording began or ended during {count(self.gap_count, unit)}: "
                    f"{cut} {judged_text}.")
        if self.gap_count and not self.paused_spans_s:
            # Without a lost stretch: samples held over a short loss, or the recording
            # stopped while the last rep still moved (imu.core.analyzer: its end unknown),
            # or began while the first was under way (imu.core.metrics: its start unknown).
            # (With a pause, the reps over it are said by the pause_note.)
            ended = ("the recording began or ended in it" if self.gap_count == 1
                     else "began or ended in one")
            return f"Samples were lost during {self.gap_count} {unit}" \
                   f"{'' if self.gap_count == 1 else 's'}, or {ended}: {over}."
        return ""


# --------------------------------------------------------------------------- helpers


GAPS_NAMED: Final = 5
"""Up to this many gaps are all named in the gap note; of more, :data:`GAPS_FIRST`."""
GAPS_FIRST: Final = 3
"""Gaps named first when there are more than :data:`GAPS_NAMED` ("... and 146 more")."""


def span_text(start_s: float, end_s: float) -> str:
    """One gap as the notes name it: ``from 30.0 to 38.2 s``."""
    return f"from {start_s:.1f} to {end_s:.1f} s"


def spans_text(spans: Sequence[tuple[float, float]], listed: str = "") -> str:
    """The gaps named in one line: all of up to :data:`GAPS_NAMED`, else the first few.

    A recording with 149 gaps printed all 149 on one line of thousands of characters; it
    reads "from 2.0 to 2.8 s, from 5.4 to 6.2 s, from 8.9 to 9.7 s and 146 more", with
    ", all listed ``listed``" (``in out/report.html``) when a place holds the whole list.
    """
    named = [span_text(a, b) for a, b in spans]
    if len(named) <= GAPS_NAMED:
        return ", ".join(named)
    where = f", all listed {listed}" if listed else ""
    return f"{', '.join(named[:GAPS_FIRST])} and {len(named) - GAPS_FIRST} more{where}"


def duration_words(seconds: float) -> str:
    """A pause's length as the notes say it: ``45 s``, ``4 min``, ``4 min 10 s``, ``2.5 s``."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def lost_s(spans: Sequence[tuple[float, float]]) -> float:
    """Time the sensor was lost for, s: the spans' lengths as printed (to 0.1 s).

    So "lost for 8.1 s (from 30.0 to 38.1 s)" adds up, wherever the total is shown.
    """
    return float(sum(round(end, 1) - round(start, 1) for start, end in spans))


def rep_ranges(reps: pd.DataFrame, mask: pd.Series | np.ndarray) -> str:
    """Where the masked reps are: ``set 1, rep 6; set 2, reps 5-6``.

    Args:
        reps: a reps table (``set``, ``rep`` columns).
        mask: shape (n,), bool, the reps to name.

    """
    chosen = reps.loc[np.asarray(mask, dtype=bool), ["set", "rep"]]
    parts: list[str] = []
    for set_no, group in chosen.groupby("set", sort=True):
        numbers = sorted(int(r) for r in group["rep"])
        runs: list[str] = []
        start = prev = numbers[0]
        for n in [*numbers[1:], None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            runs.append(f"{start}" if start == prev else f"{start}-{prev}")
            if n is not None:
                start = prev = n
        noun = "rep" if len(numbers) == 1 else "reps"
        parts.append(f"set {set_no}, {noun} {', '.join(runs)}")
    return "; ".join(parts)


def _of(count: int, total: int, noun: str, plural: str | None = None) -> str:
    word = noun if total == 1 else (plural or noun + "s")
    return f"{count} of {total} {word}"


def _unit(profile: ExerciseProfile) -> str:
    """What one rep of the exercise is called: ``hold``, ``hip drive`` or ``rep``.

    ``hold`` for holds (plank); ``hip drive`` for a standing strict lift (every pelvic
    burst it finds is one, and the lifts themselves are not counted from the hip).
    """
    if profile.every_rep_is_swing:
        return HIP_DRIVE
    return "hold" if profile.isometric else "rep"


HIP_DRIVE: Final = "hip drive"
"""What a standing strict lift's rep is: what the hip measures of it (DOMAIN: hip drive)."""


def drive_times(reps: pd.DataFrame, mask: pd.Series | np.ndarray) -> str:
    """When the masked hip drives began, s from the start: ``at 23, 100 and 124 s``.

    A standing strict lift's hip drives are placed in time, not in sets: a pause between
    two of them is no set the person did.
    """
    starts = [f"{float(t):.0f}" for t in reps.loc[np.asarray(mask, dtype=bool), "start_s"]]
    if not starts:
        return ""
    listed = starts[0] if len(starts) == 1 else f"{', '.join(starts[:-1])} and {starts[-1]}"
    return f"at {listed} s"


def _flag(reps: pd.DataFrame, column: str) -> pd.Series:
    if column not in reps.columns:
        return pd.Series(False, index=reps.index)
    return reps[column].fillna(False).astype(bool)


def evidence_mask(reps: pd.DataFrame) -> pd.Series:
    """The reps a finding counts: not over a data gap (:func:`judged`) and not uncertain.

    A rep over a data gap lasted an unknown time and its angle was bridged: its durations,
    range and angles are no evidence. A rep the analyzer is not sure was a rep
    (``count_confidence`` under :data:`UNCERTAIN_CONFIDENCE`, :func:`sure_reps`) is no
    evidence either: it may be noise, or the lowering read as the raise. Neither counts
    among the reps with a fault nor in the "of M"; a finding says how many uncertain reps it
    left out (:func:`uncertain_left_out`). The tables keep their faults.
    """
    return judged(reps) & sure_reps(reps)


def uncertain_left_out(reps: pd.DataFrame) -> pd.Series:
    """The reps a finding leaves out for being uncertain: judged, but not sure."""
    return judged(reps) & ~sure_reps(reps)


def _judged_reps(reps: pd.DataFrame) -> pd.DataFrame:
    """The reps a fault rule judges (:func:`evidence_mask`)."""
    return reps[evidence_mask(reps)]


def _quantity(reps: pd.DataFrame, column: str, mask: pd.Series) -> pd.Series | None:
    """The measured quantity of the masked reps, or None when the column is missing."""
    if column not in reps.columns:
        return None
    values = reps.loc[mask, column].astype("float64").dropna()
    return values if len(values) else None


def _ceil_half(value: float) -> float:
    """Round up to the next half second (0.62 -> 1.0, 1.2 -> 1.5)."""
    return math.ceil(value * 2 + 1e-9) / 2


def _span(values: pd.Series, unit: str, decimals: int = 1,
          limits: Sequence[float] = ()) -> str:
    """``lo-hi`` with ``unit``, never printing a value as a limit it is not.

    A value that would print as one of ``limits`` gets a decimal more
    (:func:`imu.report.tables.near_limit`): 5.3° reads "5.3", never "5", against 5°.
    """
    lo, hi = float(values.min()), float(values.max())
    lo_text, hi_text = near_limit(lo, limits, decimals), near_limit(hi, limits, decimals)
    if lo_text == hi_text:
        return f"{lo_text}{unit}"
    if decimals == 0:  # angles and shares: as the badges print them ("5.4-10°")
        return f"{lo_text}-{hi_text}{unit}"
    # Durations: one precision per span, "1.30-2.49 s", never "1.3-2.49 s".
    places = max(_places(lo_text), _places(hi_text))
    return f"{lo:z.{places}f}-{hi:z.{places}f}{unit}"


def _places(text: str) -> int:
    """Decimals in a number's text ("2.49" -> 2, "5" -> 0)."""
    return len(text.partition(".")[2])


def _finding(
    rule: str, cue: str, evidence: str, reps: pd.DataFrame, mask: pd.Series
) -> Finding:
    where = rep_ranges(reps, mask)
    return Finding(rule, cue, f"{evidence} ({where})." if where else f"{evidence}.",
                   int(mask.sum()), where)


# --------------------------------------------------------------------------- the rules

Rule = Callable[[pd.DataFrame, ExerciseProfile, Tempo], "Finding | None"]

SWING_NAMES: Final[dict[str, tuple[str, str]]] = {
    "reverse-crunch": ("leg toss", "leg tosses"),
    "hanging-leg-raise": ("kip", "kips"),
    "reverse-hip-raise": ("leveraged", "leveraged"),
    "standing-strict": ("hip drive", "hip drive"),
}
"""Per exercise: the coaches' name of a swing, one and several (DOMAIN: a leg toss, a kip, a
leveraged swing, hip drive). Every text says "swing" and adds this name in brackets
(:func:`swing_words`), so one thing has one word across the page, the terminal and the
plots."""

SWING_CUES: Final[dict[str, str]] = {
    "reverse-crunch": "start each from a still bottom, curl the pelvis first",
    "hanging-leg-raise": "start from a still hang and curl the pelvis, do not kick",
    "leg-raise": "lift the legs slowly with the lower back pressed down",
    "reverse-hip-raise": "lift the legs slowly from a still start",
    "standing-strict": "keep the pelvis still and let the arms do the lift",
}
"""Per exercise: the cue of the swing finding (DOMAIN: momentum-driven reps)."""


def swing_words(profile: ExerciseProfile | None, several: bool = False) -> str:
    """What a swing is called for ``profile``: "swing (kip)", "swings (leg tosses)", "swing".

    The common word first, the exercise's own name in brackets where it has one; a
    reverse hip raise's is "leveraged swing".
    """
    return _swing_words(profile.name if profile is not None else "", several)


def _swing_words(exercise: str, several: bool = False) -> str:
    name = SWING_NAMES.get(exercise)
    word = "swings" if several else "swing"
    if name is None:
        return word
    own = name[1] if several else name[0]
    return f"{own} {word}" if own == "leveraged" else f"{word} ({own})"


SWING_WORDS: Final[dict[str, tuple[str, str, str]]] = {
    name: (f"a {_swing_words(name)}", _swing_words(name, several=True), cue)
    for name, cue in SWING_CUES.items()
}
"""Per exercise: one swing, several, and the cue (the live screens read the cue here)."""


FAULT_CUES: Final[dict[str, str]] = {
    "dropped_eccentric": "Slow the descent",
    "short_hold": "Hold the top longer",
    "partial_rom": "Use the full range",
    "over_extension": "Stop at the line of the body",
    "back_arch": "Keep the lower back pressed down",
    "hips_rotating": "Keep the hips level",
    "body_swing": "Let the body stop swinging from the bar before each rep",
    "hips_sagging": "Lift the hips to a straight line",
    "hips_piking": "Lower the hips to a straight line",
    "shaking": "Shorten the hold until it is steady",
}
"""The cue of each fault's rule but the swing's (whose cue is per exercise, above); the live
screens say the same (:data:`imu.live.events.FAULT_CUES`)."""


def swing_details(n: int, counted: Sequence[tuple[int, str]]) -> str:
    """What the ``n`` swings showed, each sign once: "each came up ... and reached ...".

    Args:
        n: swings found.
        counted: per sign, how many of the swings showed it and its words (a verb phrase);
            signs none showed are left out.

    A sign every swing showed is said of all of them together, where "3 came up ..., 3
    reached ..." repeated the count (and, with the reps listed after, read as three lists).

    """
    every = [words for k, words in counted if k == n]
    parts = [f"{k} {words}" for k, words in counted if 0 < k < n]
    if every:
        subject = "it" if n == 1 else "both" if n == 2 else "each"
        parts.insert(0, f"{subject} {' and '.join(every)}")
    return ", ".join(parts)


def rule_swing(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo) -> Finding | None:
    """Momentum-driven reps (DOMAIN: leg toss / kick, kip, leveraged swing, hip drive)."""
    reps = _judged_reps(reps)
    mask = _flag(reps, "swing")
    # Every burst of a strict lift is hip drive; an uncertain one (too small, too slow or not
    # clear of the noise: coaching.doubt) is no evidence to coach on: _judged_reps left it out.
    if not mask.any():
        return None
    cue = SWING_CUES.get(profile.name, "start each rep from stillness")
    n = int(mask.sum())
    called = f"was a {swing_words(profile)}" if n == 1 else \
        f"were {swing_words(profile, several=True)}"
    evidence = f"{_of(n, len(reps), _unit(profile))} {called}"
    if profile.every_rep_is_swing:
        # Every burst is a hip drive by definition: "2 of 2 reps were swings" said nothing.
        # What is measured is the drives themselves, placed in time (not in sets).
        where = drive_times(reps, mask)
        most = float(reps.loc[mask, "rom_deg"].max())
        evidence = (f"{count(n, HIP_DRIVE)}: the pelvis moved {'' if n == 1 else 'up to '}"
                    f"{most:.0f}° to drive the weight ({where}).")
        return Finding("swing", cue[0].upper() + cue[1:], evidence, n, where)
    counted: list[tuple[int, str]] = []
    fast = reps.loc[mask, "concentric_s"] < 0.5 * tempo.concentric_s
    counted.append((int(fast.sum()),
                    f"came up in under half the prescribed {tempo.concentric_s:g} s"))
    early = _quantity(reps, "peak_time_fraction", mask)
    if early is not None:
        counted.append((int((early < 0.35).sum()),
                        "reached top speed in the first 35% of the lift"))
    windup = _quantity(reps, "windup_deg", mask)
    if windup is not None:
        counted.append((int((windup >= 3.0).sum()), "started with a wind-up of 3° or more"))
    details = swing_details(n, counted)
    if details:
        evidence += ": " + details
    cue_text = cue[0].upper() + cue[1:]
    return _finding("swing", cue_text, evidence, reps, mask)


def rule_dropped_eccentric(
    reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo
) -> Finding | None:
    """Dropped eccentric (DOMAIN: "the eccentric is where people cheat most")."""
    reps = _judged_reps(reps)
    mask = _flag(reps, "dropped_eccentric")
    if not mask.any():
        return None
    durations = reps.loc[mask, "eccentric_s"]
    evidence = (
        f"{_of(int(mask.sum()), len(reps), 'descent')} lasted under "
        f"{_ceil_half(float(durations.max())):g} s against {tempo.eccentric_s:g} s prescribed"
    )
    return _finding("dropped_eccentric", FAULT_CUES["dropped_eccentric"], evidence, reps, mask)


def rule_short_hold(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo) -> Finding | None:
    """Holds too short (DOMAIN: pelvic tilt drill held about 5 s; top hold of the tempo)."""
    reps = _judged_reps(reps)
    mask = _flag(reps, "short_hold")
    if not mask.any():
        return None
    holds = reps.loc[mask, "top_hold_s"]
    evidence = (
        f"{_of(int(mask.sum()), len(reps), 'top hold')} lasted "
        f"{_span(holds, ' s', limits=[0.5 * tempo.top_hold_s])} against "
        f"{tempo.top_hold_s:g} s prescribed"
    )
    return _finding("short_hold", FAULT_CUES["short_hold"], evidence, reps, mask)


def rule_partial_rom(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo) -> Finding | None:
    """Partial range of motion against the person's own earlier reps."""
    reps = _judged_reps(reps)
    mask = _flag(reps, "partial_rom")
    if not mask.any():
        return None
    ratio = _quantity(reps, "rom_ratio", mask)
    full = reps.loc[~mask, "rom_deg"].median()
    evidence = f"{_of(int(mask.sum()), len(reps), _unit(profile))} moved the pelvis "
    if ratio is not None:
        evidence += f"only {_span(ratio * 100, '%', 0, [60.0])} of your earlier range"
    else:
        evidence += f"{_span(reps.loc[mask, 'rom_deg'], '°', 0)}"
        if not pd.isna(full):
            evidence += f" against a usual {full:.0f}°"
    return _finding("partial_rom", FAULT_CUES["partial_rom"], evidence, reps, mask)


def rule_over_extension(
    reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo
) -> Finding | None:
    """Over-extension past the body line (DOMAIN: reverse hip raise)."""
    reps = _judged_reps(reps)
    mask = _flag(reps, "over_extension")
    if not mask.any():
        return None
    ratio = _quantity(reps, "rom_ratio", mask)
    evidence = f"{_of(int(mask.sum()), len(reps), _unit(profile))} went "
    if ratio is not None:
        evidence += f"to {_span(ratio * 100, '%', 0, [130.0])} of your earlier range (limit 130%)"
    else:
        evidence += f"through {_span(reps.loc[mask, 'rom_deg'], '°', 0)}, over 130% of "
        evidence += "your earlier range"
    return _finding("over_extension", FAULT_CUES["over_extension"], evidence, reps, mask)


def _angle_rule(
    rule: str, cue: str, what: str, column: str, limit: float, unit: str = "°"
) -> Rule:
    """A rule for a fault whose quantity is an angle (or rate) against a fixed limit."""

    def check(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo) -> Finding | None:
        reps = _judged_reps(reps)
        mask = _flag(reps, rule)
        if not mask.any():
            return None
        values = _quantity(reps, column, mask)
        evidence = f"{_of(int(mask.sum()), len(reps), _unit(profile))} {what}"
        if values is not None:
            evidence += f" by {_span(values.abs(), unit, 0, [limit])} (limit {limit:g}{unit})"
        else:
            evidence += f" by more than {limit:g}{unit}"
        return _finding(rule, cue, evidence, reps, mask)

    check.__name__ = f"rule_{rule}"
    check.__doc__ = f"{cue}: ``{rule}`` from ``{column}`` (DOMAIN definitions)."
    return check


rule_back_arch = _angle_rule(
    "back_arch",
    FAULT_CUES["back_arch"],
    "tipped the pelvis forward (back arched)",
    "arch_deg",
    5.0,
)
rule_hips_rotating = _angle_rule(
    "hips_rotating",
    FAULT_CUES["hips_rotating"],
    "rotated the pelvis side to side",
    "rotation_deg",
    5.0,
)
rule_body_swing = _angle_rule(
    "body_swing",
    FAULT_CUES["body_swing"],
    "started while the body swung from the bar",
    "body_swing_deg",
    5.0,
)
rule_hips_sagging = _angle_rule(
    "hips_sagging", FAULT_CUES["hips_sagging"], "let the hips sag", "drift_deg", 5.0
)
rule_hips_piking = _angle_rule(
    "hips_piking", FAULT_CUES["hips_piking"], "piked the hips up", "drift_deg", 5.0
)
rule_shaking = _angle_rule(
    "shaking",
    FAULT_CUES["shaking"],
    "shook during the hold",
    "shaking_dps",
    6.0,
    " deg/s",
)


PHASES: Final = (
    ("concentric_s", "up", "concentric_s"),
    ("top_hold_s", "top hold", "top_hold_s"),
    ("eccentric_s", "down", "eccentric_s"),
)
"""Per phase: the reps-table column, its plain word and the :class:`Tempo` field."""

PHASE_FAULTS: Final[dict[str, str]] = {
    "up": "swing",
    "top hold": "short_hold",
    "down": "dropped_eccentric",
}
"""The fault rule about the same phase as the tempo advice: the two become one line."""

TEMPO_CUES: Final[dict[tuple[str, bool], str]] = {
    ("up", True): "Take longer on the way up",
    ("up", False): "Come up a little faster",
    ("top hold", True): "Hold the top longer",
    ("top hold", False): "Shorten the top hold",
    ("down", True): "Slow the descent",
    ("down", False): "Lower a little faster",
}
"""Cue of the tempo rule per (phase, phase too short); the fault rules' cues where they agree.

The live screens say these; the report scales them by how far off the phase was
(:func:`tempo_cue`)."""

LITTLE_OFF_RATIO: Final = 1.5
"""A phase off tempo by at most this factor (measured against prescribed, the larger over the
smaller) is "a little" off: "Come up a little faster"."""

MUCH_OFF_RATIO: Final = 3.0
"""A phase off tempo by more than this factor is "much" off: "Come up much faster"."""

SCALED_TEMPO_CUES: Final[dict[tuple[str, bool], tuple[str, str, str]]] = {
    ("up", True): ("Take a little longer on the way up", "Take longer on the way up",
                   "Take much longer on the way up"),
    ("up", False): ("Come up a little faster", "Come up faster", "Come up much faster"),
    ("top hold", True): ("Hold the top a little longer", "Hold the top longer",
                         "Hold the top much longer"),
    ("top hold", False): ("Shorten the top hold a little", "Shorten the top hold",
                          "Make the top hold much shorter"),
    ("down", True): ("Slow the descent a little", "Slow the descent",
                     "Slow the descent much more"),
    ("down", False): ("Lower a little faster", "Lower faster", "Lower much faster"),
    ("hold", True): ("Hold a little longer", "Hold longer", "Hold much longer"),
}
"""Per (phase, too short): the tempo cue a little off, off, and much off (:func:`tempo_cue`);
``hold`` is a static hold's (plank)."""


def tempo_cue(phase: str, short: bool, measured_s: float, prescribed_s: float) -> str:
    """The tempo rule's cue, worded by how far the phase was off its prescription.

    The factor is the longer of the two durations over the shorter, the measured one to
    0.1 s as the evidence prints it: within :data:`LITTLE_OFF_RATIO` "a little" ("Come up a
    little faster": 3.0 s against 2 s), beyond :data:`MUCH_OFF_RATIO` "much" ("Come up much
    faster": 3.0 s against 0.2 s), plain between. A top hold prescribed as none (0 s) and
    held is "Do not hold at the top".
    """
    if phase == "top hold" and not short and prescribed_s <= 0:
        return "Do not hold at the top"
    low, high = sorted((round(measured_s, 1), prescribed_s))
    ratio = high / low if low > 0 else math.inf
    little, plain, much = SCALED_TEMPO_CUES[phase, short]
    return little if ratio <= LITTLE_OFF_RATIO else much if ratio > MUCH_OFF_RATIO else plain


def tempo_findings(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo,
                   tolerance: TempoTolerance | None = None) -> list[Finding]:
    """Off tempo (DOMAIN: tempo is the duration of each phase) when no fault explains it.

    Speaks when at least :data:`TEMPO_OFF_SHARE` of the reps are off tempo and are clean
    (reps over a data gap are not judged: never evidence). Then one finding per phase and
    way (too short, too long), most reps first: each names only the reps off in that phase
    by the rule of the table's red cells (:func:`imu.report.tables.off_phases`), with their
    median against the prescription, counted out of the clean reps, and a cue worded by
    how far off they were (:func:`tempo_cue`). A descent slower than prescribed is no
    finding: slow eccentrics are the point (DOMAIN), so the verdict notes it instead
    (:func:`imu.report.coaching.slower_descent_note`) rather than tell anyone to lower
    faster. ``tolerance``: the one the analyzer judged ``tempo_ok`` with (the default when
    None).
    """
    if "tempo_ok" not in reps.columns or reps.empty:
        return []
    clean = _flag(reps, "clean")
    if profile.isometric:
        # A hold's tempo is its hold alone, off only when too short (the analyzer's rule);
        # a hold that sagged or shook was still as short, so every hold counts.
        clean = pd.Series(True, index=reps.index)
    # A rep over a data gap has phases nobody measured; an uncertain one may be no rep.
    measured = evidence_mask(reps)
    clean &= measured
    mask = ~_flag(reps, "tempo_ok") & clean
    if mask.sum() < max(1, TEMPO_OFF_SHARE * len(reps)):
        return []
    n, was = int(mask.sum()), "was" if mask.sum() == 1 else "were"
    if profile.isometric:
        median = float(reps.loc[mask, "top_hold_s"].median())
        held = phase_text(median, "top_hold_s", tempo.top_hold_s, isometric=True,
                          tolerance=tolerance)
        evidence = (
            f"{_of(n, int(measured.sum()), 'hold')} {was} shorter than the prescribed "
            f"{tempo.top_hold_s:g} s: {'it' if n == 1 else 'they'} lasted "
            f"{held} s{'' if n == 1 else ' (median)'}"
        )
        cue = tempo_cue("hold", True, median, tempo.top_hold_s)
        return [replace(_finding("tempo", cue, evidence, reps, mask),
                        phase="top hold", short=True)]
    groups: dict[tuple[str, str], list[object]] = {}
    for index, row in reps.loc[mask].iterrows():
        for column, way in off_phases(row.to_dict(), tempo, tolerance=tolerance).items():
            groups.setdefault((column, way), []).append(index)
    words = {column: (word, attr) for column, word, attr in PHASES}
    out: list[tuple[int, float, Finding]] = []
    for (column, way), indices in groups.items():
        if (column, way) == ("eccentric_s", "long"):
            continue  # lowered slower than prescribed: the verdict's note, not a fix
        word, attr = words[column]
        target = float(getattr(tempo, attr))
        in_phase = reps.index.isin(indices)
        k = len(indices)
        median = float(reps.loc[in_phase, column].median())
        took = phase_text(median, column, target, thresholds=profile.thresholds,
                          tolerance=tolerance)
        evidence = (
            f"{_of(k, int(clean.sum()), 'clean rep')} {'was' if k == 1 else 'were'} off the "
            f"{tempo} tempo in the {word} phase: {'it' if k == 1 else 'they'} took "
            f"{took} s{'' if k == 1 else ' (median)'} against "
            f"{target:g} s"
        )
        short = way == "short"
        finding = _finding("tempo", tempo_cue(word, short, median, target), evidence, reps,
                           pd.Series(in_phase, index=reps.index))
        out.append((k, abs(median - target) / max(target, 0.1),
                    replace(finding, phase=word, short=short)))
    out.sort(key=lambda item: (-item[0], -item[1]))
    return [finding for _, _, finding in out]


def rule_tempo(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo) -> Finding | None:
    """The first of :func:`tempo_findings` (the phase with the most reps off), or None."""
    found = tempo_findings(reps, profile, tempo)
    return found[0] if found else None


RULES: Final[tuple[tuple[str, Rule], ...]] = (
    ("dropped_eccentric", rule_dropped_eccentric),
    ("swing", rule_swing),
    ("back_arch", rule_back_arch),
    ("body_swing", rule_body_swing),
    ("hips_sagging", rule_hips_sagging),
    ("hips_piking", rule_hips_piking),
    ("partial_rom", rule_partial_rom),
    ("over_extension", rule_over_extension),
    ("hips_rotating", rule_hips_rotating),
    ("short_hold", rule_short_hold),
    ("shaking", rule_shaking),
    ("tempo", rule_tempo),
)
"""Every rule, in the order that breaks ties between findings with as many reps."""


# --------------------------------------------------------------------------- the summary


def merge_tempo(found: Sequence[Finding]) -> list[Finding]:
    """One line per phase: tempo advice joins the fault finding about the same phase.

    The fault's cue leads (it is the form to fix); the off-tempo clean reps follow as more
    evidence. The fault's count still ranks the line. Tempo advice about a phase no fault
    speaks of stays a line of its own, and so does advice the other way: the faults all say
    a phase ran short (a swing's fast lift, a dropped descent, a short hold), so "shorten the
    top hold" beside "hold the top longer" is two lines, not one that contradicts itself.
    """
    out = list(found)
    for tempo in [f for f in found if f.rule == "tempo" and f.short]:
        partner = PHASE_FAULTS.get(tempo.phase)
        fault = next((f for f in out if f.rule == partner), None)
        if fault is None:
            continue
        merged = replace(fault, evidence=f"{fault.evidence.removesuffix('.')}; besides, "
                                         f"{tempo.evidence[0].lower()}{tempo.evidence[1:]}")
        out = [merged if f is fault else f for f in out if f is not tempo]
    return out


def findings(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo,
             tolerance: TempoTolerance | None = None) -> list[Finding]:
    """Every finding of a recording's reps, ranked.

    Tempo advice about the phase of a fault is merged into that fault's line
    (:func:`merge_tempo`). Swings and faults come first, most reps first (ties by
    :data:`RULES`); tempo advice that stays on its own comes after every fault: a fault of
    form is never pushed down by timing. ``tolerance``: the analyzer's tempo tolerance.
    """
    if reps.empty:
        return []
    found: list[Finding] = []
    for name, rule in RULES:
        if name == "tempo":  # one finding per phase off tempo
            found += tempo_findings(reps, profile, tempo, tolerance)
        elif (finding := rule(reps, profile, tempo)) is not None:
            found.append(finding)
    if profile.isometric:  # where, in holds: "(set 1, hold 2)"
        found = [_in_holds(f) for f in found]
    order = {name: i for i, (name, _) in enumerate(RULES)}
    ranked = sorted(merge_tempo(found),
                    key=lambda f: (f.rule == "tempo", -f.count, order[f.rule]))
    left_out = int(uncertain_left_out(reps).sum())
    if left_out:  # the "of M" is short of the reps found: say why, once per line
        note = f"; {count(left_out, 'uncertain ' + _unit(profile))} not counted."
        ranked = [replace(f, evidence=f.evidence.removesuffix(".") + note) for f in ranked]
    return ranked


def _in_holds(finding: Finding) -> Finding:
    """The finding with its places (:func:`rep_ranges` text) named as holds, not reps."""
    if not finding.where:
        return finding
    where = finding.where.replace(", reps ", ", holds ").replace(", rep ", ", hold ")
    return replace(finding, evidence=finding.evidence.replace(f"({finding.where})", f"({where})"),
                   where=where)


def advice(reps: pd.DataFrame, profile: ExerciseProfile, tempo: Tempo | None = None,
           duration_s: float | None = None, lost_s: float = 0.0,
           started: bool | None = None, walked_s: float = 0.0,
           paused_spans_s: Sequence[tuple[float, float]] = ()) -> Verdict:
    """The progression / regression verdict (:func:`imu.report.coaching.session_verdict`).

    ``duration_s``: how long the recording lasted (None: unknown); with no rep, a recording
    too short for one is told so, as the session table's verdict tells it, and so is one whose
    sensor was lost for most of it (``lost_s``, s); ``started``: whether a rep (hold) was
    under way when it ended (None: not known); ``walked_s``: how long the person walked in it,
    s (with no rep, a walk is told so); ``paused_spans_s``: where the measurement was paused,
    (start, end) s (measured nothing, lost nothing).
    """
    return session_verdict(reps, profile, tempo, duration_s, lost_s, started, walked_s,
                           paused_spans_s=paused_spans_s)


def uncertain_faults(reps: pd.DataFrame) -> str:
    """The uncertain reps (:func:`uncertain_left_out`) with a swing or fault, as text.

    The findings do not count them; the page names them rather than call the session clean.
    """
    if reps.empty:
        return ""
    mask = uncertain_left_out(reps) & (_flag(reps, "swing") | (
        reps["fault_count"].fillna(0).astype("int64") > 0 if "fault_count" in reps.columns
        else False))
    return rep_ranges(reps, mask) if mask.any() else ""


def uncertain_reps(reps: pd.DataFrame) -> str:
    """The reps whose ``count_confidence`` is under :data:`UNCERTAIN_CONFIDENCE`, as text."""
    if "count_confidence" not in reps.columns or reps.empty:
        return ""
    mask = reps["count_confidence"].astype("float64") < UNCERTAIN_CONFIDENCE
    return rep_ranges(reps, mask) if mask.any() else ""


MISSED_BEFORE_NOTE: Final = "after a long pause: a rep may be missing before it"
"""What every screen says of a rep marked ``missed_before`` (the live line, the panel, the
phone page's and the report's badge): the pause before it broke the set's rhythm, and a rep
too small for the hip to show may hide in it (the count may be one short)."""


def marked_missed_before(row: Mapping[Any, Any]) -> bool:
    """Whether a reps-table row is marked ``missed_before`` (False in tables without it)."""
    value = row.get("missed_before")
    return bool(value) if isinstance(value, bool | np.bool_) else False


def missed_before_reps(reps: pd.DataFrame) -> str:
    """The reps marked ``missed_before`` (a rep may be missing before them), as text."""
    if "missed_before" not in reps.columns or reps.empty:
        return ""
    mask = reps["missed_before"].fillna(False).astype(bool)
    return rep_ranges(reps, mask) if mask.any() else ""


def missed_note(where: str) -> str:
    """What the summary says of the reps after a pause that broke the set's rhythm.

    ``where``: :func:`missed_before_reps`. "" when none.
    """
    if not where:
        return ""
    # "set 2, reps 5-6" or "set 1, rep 4; set 2, rep 7" name several reps: each has its pause.
    if "reps " in where or ";" in where:
        return (f"A rep may be missing before {where}: the pause before each of them was "
                "much longer than the set's rhythm, and a rep too small for the hip to show "
                "may hide in it (the set's count may be one short for each).")
    return (f"A rep may be missing before {where}: the pause before it was much longer "
            "than the set's rhythm, and a rep too small for the hip to show may hide "
            "in it (the count may be one short there).")


def summarize(
    reps: pd.DataFrame,
    profile: ExerciseProfile,
    tempo: Tempo,
    max_fixes: int = MAX_FIXES,
    lost_spans_s: Sequence[tuple[float, float]] = (),
    tolerance: TempoTolerance | None = None,
    duration_s: float | None = None,
    started: bool | None = None,
    walked_s: float = 0.0,
    paused_spans_s: Sequence[tuple[float, float]] = (),
    paused_reason: str = REASON_PAUSED_PHYPHOX,
    sensor_warnings: Sequence[str] = (),
) -> Summary:
    """The ten-second summary of one recording.

    Args:
        reps: the reps table of one recording (:data:`imu.report.tables.REPS_DTYPES`; the
            measured-quantity columns of docs/analysis.md are used when present).
        profile: the exercise profile analysed.
        tempo: the prescription the reps were compared with.
        max_fixes: how many findings count as "fix first".
        lost_spans_s: the recording's gaps too long to bridge, (start, end) in s from the
            first sample (:attr:`imu.report.session.SessionReport.lost_spans_s`), for the
            :attr:`Summary.gap_note`.
        tolerance: the tempo tolerance the analyzer judged ``tempo_ok`` with
            (:attr:`imu.report.session.SessionReport.tolerance`); the default when None.
        duration_s: how long the recording lasted, s (the session table's ``duration_s``;
            None: unknown). A session with no rep that ended before one could be finished
            is then told so (:func:`imu.report.coaching.early_stop_verdict`), as the session
            table's verdict tells it, not "No reps found: ... curl the pelvis".
        started: whether a rep (hold) was under way when the recording ended
            (:attr:`imu.report.session.SessionReport.unfinished`; None: not known): with
            none, such a session is told none was found.
        walked_s: how long the person walked in the recording, s
            (:attr:`imu.report.session.SessionReport.walked_s`): with no rep, a walk is told
            so rather than "the pelvis did not rotate".
        paused_spans_s: where the measurement was paused, (start, end) in s as
            ``lost_spans_s`` (:attr:`imu.report.session.SessionReport.paused_spans_s`), for
            the :attr:`Summary.pause_note`: no data, and nothing lost.
        paused_reason: how (:attr:`imu.report.session.SessionReport.paused_reason`).
        sensor_warnings: what the import found wrong with the sensor
            (:attr:`imu.report.session.SessionReport.sensor_warnings`), shown as they are.

    """
    ranked = findings(reps, profile, tempo, tolerance)
    measured = judged(reps)
    over_gap = ~measured
    # On tempo out of the reps that are evidence of the tempo kept: not over a data gap and
    # sure to be reps (as the tables' tempo_ok_share): an uncertain one may be no rep.
    on_tempo = _flag(reps, "tempo_ok") & measured & sure_reps(reps)
    # Clean: no form fault, and sure to be a rep: an uncertain one may be no rep at all (the
    # advice leaves it out too, evidence_mask).
    clean = _flag(reps, "clean") & measured & sure_reps(reps)
    unit = _unit(profile)
    gap_where = rep_ranges(reps, over_gap) if over_gap.any() else ""
    if unit == "hold":
        gap_where = gap_where.replace(", reps ", ", holds ").replace(", rep ", ", hold ")
    uncertain = uncertain_reps(reps)
    if profile.every_rep_is_swing:  # hip drives are placed in time, not in sets
        gap_where = drive_times(reps, over_gap)
        uncertain = (drive_times(reps, ~sure_reps(reps)) if uncertain else "")
    return Summary(
        reps=len(reps),
        sets=int(reps["set"].nunique()) if len(reps) else 0,
        clean_reps=int(clean.sum()),
        tut_s=judged_tut_s(reps),
        fixes=tuple(ranked[:max_fixes]),
        also=tuple(ranked[max_fixes:]),
        advice=advice(reps, profile, tempo, duration_s, lost_s(lost_spans_s), started,
                      walked_s, paused_spans_s=paused_spans_s),
        uncertain=uncertain,
        uncertain_faults=uncertain_faults(reps),
        unit=unit,
        judged=int(measured.sum()),
        tempo_judged=int((measured & sure_reps(reps)).sum()),
        on_tempo=int(on_tempo.sum()),
        gap_reps=gap_where,
        gap_count=int(over_gap.sum()),
        gap_at_ends=cut_by_the_ends(reps, lost_s(lost_spans_s), paused_spans_s),
        lost_spans_s=tuple((float(a), float(b)) for a, b in lost_spans_s),
        paused_spans_s=tuple((float(a), float(b)) for a, b in paused_spans_s),
        paused_reason=paused_reason or REASON_PAUSED_PHYPHOX,
        sensor_warnings=tuple(sensor_warnings),
        held_s=time_held_s(reps) if unit == "hold" else 0.0,
        uncertain_count=int(uncertain_left_out(reps).sum()) if len(reps) else 0,
        strict=profile.every_rep_is_swing,
        missed_before=missed_before_reps(reps),
        doubts=doubts_text(reps, profile) if profile.every_rep_is_swing else "",
    )


def summary_lines(summary: Summary) -> Sequence[str]:
    """The summary as plain text lines: counts, what data gaps cost, the fixes, the verdict."""
    worked = (f"{summary.held_s:.0f} s held" if summary.unit == "hold"
              else f"{summary.tut_s:.0f} s under tension" if math.isfinite(summary.tut_s)
              else f"time under tension {TUT_UNKNOWN}")
    if summary.strict and not summary.reps:
        return [STRICT_FORM, summary.advice.text]
    if summary.strict:  # hip drives are what is measured: no clean reps, tempo or sets
        # The drives the advice counts, and how many uncertain ones it left out (the card's).
        lines = [drives_counted(summary)]
        if summary.gap_note:
            lines.append(summary.gap_note)
        lines += [f"Fix first: {f.text}" for f in summary.fixes]
        lines.append(summary.advice.text)
        return lines
    lines = [
        f"{summary.reps} {summary.unit}{'' if summary.reps == 1 else 's'}, "
        f"{summary.clean_reps} clean{uncertain_words(summary)}, {worked}",
    ]
    if summary.gap_note:
        lines.append(summary.gap_note)
    if summary.missed_before:
        lines.append(missed_note(summary.missed_before))
    lines += [f"Fix first: {f.text}" for f in summary.fixes]
    lines.append(summary.advice.text)
    return lines


def uncertain_words(summary: Summary) -> str:
    """What a clean count leaves out: " (3 uncertain not counted)"; "" when nothing."""
    n = summary.uncertain_count
    return f" ({n} uncertain not counted)" if n else ""


def drives_counted(summary: Summary) -> str:
    """A strict lift's count, as every part of the report gives it.

    The hip drives the analyzer is sure of, the uncertain ones in brackets: "8 hip drives (1
    uncertain not counted)", "0 hip drives (1 uncertain not counted)". The contents, the
    recording's card, the session details, the text summary and the command line
    (:func:`counted_words`) count alike, as the advice does.
    """
    return hip_drive_count(summary.sure, summary.uncertain_count)


def hip_drive_count(sure: int, uncertain: int) -> str:
    """"8 hip drives (1 uncertain not counted)": sure ones, the uncertain ones in brackets."""
    return f"{count(sure, HIP_DRIVE)}{f' ({uncertain} uncertain not counted)' if uncertain else ''}"


_UNCERTAIN_NOTE: Final = re.compile(r"^ \((\d+) uncertain\b")
"""How many reps :func:`imu.text.uncertain_note` says are uncertain: " (2 uncertain: ...)"."""


def counted_words(profile: ExerciseProfile, reps: int, sets: int, note: str = "",
                  uncertain: int | None = None) -> str:
    """What a session line says it counted: "12 reps in 2 sets", "3 holds in 1 set".

    A standing strict lift: "3 hip drives", no sets: every pelvic burst it finds is a hip
    drive, the lifts themselves are not counted from the hip, and a pause between two hip
    drives is no set the person did. It counts the drives the analyzer is sure of, the
    uncertain ones in brackets, as the report's card and contents do
    (:func:`drives_counted`): "0 hip drives (1 uncertain not counted)", never "1 hip drive"
    beside a verdict of "no clear hip drive". ``note`` follows the count of other exercises
    (the uncertain reps: :func:`imu.text.uncertain_note`); a strict lift takes how many were
    uncertain from ``uncertain``, else from that note.
    """
    if profile.every_rep_is_swing:
        if uncertain is None:
            found = _UNCERTAIN_NOTE.match(note)
            uncertain = int(found.group(1)) if found else 0
        uncertain = min(max(uncertain, 0), reps)
        return hip_drive_count(reps - uncertain, uncertain)
    return f"{count(reps, _unit(profile))}{note} in {count(sets, 'set')}"


STRICT_FORM: Final = ("Strict form: no hip drive found. In a standing strict lift only a "
                      "pelvic burst that drives the weight (a swing) counts as a rep; the "
                      "lifts themselves are not counted from the hip, so none found is what "
                      "strict form looks like.")
"""What a standing strict lift with no hip drive says instead of "0 reps, 0 clean"."""
