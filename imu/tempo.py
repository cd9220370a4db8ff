"""Tempo prescriptions in the coaching form "up-hold-down", e.g. ``3-1-3``.

``3-1-3`` means 3 s concentric (up), 1 s hold at the top (squeeze), 3 s eccentric (down).
An optional fourth number is the bottom pause: ``3-1-3-1``. This is *not* the four-digit
strength-training notation (eccentric-pause-concentric-pause, e.g. ``3010``), which this
parser refuses so that the two are never confused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from imu.errors import ImuError

MIN_MOVEMENT_S = 0.2
"""Shortest concentric or eccentric a tempo may prescribe, s (an explosive rep takes longer)."""

MAX_MOVEMENT_S = 60.0
"""Longest concentric or eccentric a tempo may prescribe, s."""

MAX_HOLD_S = 600.0
"""Longest top hold or bottom pause a tempo may prescribe (a long plank), s."""

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))

_PHASE_NAMES = ("up (concentric)", "top hold", "down (eccentric)", "bottom pause")
_PHASE_LIMITS_S = (MAX_MOVEMENT_S, MAX_HOLD_S, MAX_MOVEMENT_S, MAX_HOLD_S)


class TempoError(ImuError, ValueError):
    """A tempo string that is not "up-hold-down" seconds, or one over a phase's limit.

    Attributes:
        over_limit: for a tempo written right whose phase is longer than its limit
            (:data:`MAX_MOVEMENT_S`, :data:`MAX_HOLD_S`): ``(phase, seconds, limit)``, e.g.
            ``("top hold", 601.0, 600.0)``; None for every other error.
        within_limits: with ``over_limit``, the tempo with each phase cut to its limit
            (``"1-600-1"``), to offer instead; else "".

    """

    over_limit: tuple[str, float, float] | None = None
    within_limits: str = ""


@dataclass(frozen=True)
class Tempo:
    """Prescribed phase durations in seconds."""

    concentric_s: float
    top_hold_s: float
    eccentric_s: float
    bottom_pause_s: float | None = None

    @property
    def rep_s(self) -> float:
        """Duration of one rep including the bottom pause when prescribed, s."""
        return self.concentric_s + self.top_hold_s + self.eccentric_s + (self.bottom_pause_s or 0)

    def __str__(self) -> str:
        parts = [self.concentric_s, self.top_hold_s, self.eccentric_s]
        if self.bottom_pause_s is not None:
            parts.append(self.bottom_pause_s)
        return "-".join(f"{p:g}" for p in parts)


def stored_tempo_problem(text: str) -> str:
    """Why a tempo stored in a recording cannot be used, when it is only over a limit.

    A recording simulated with a plank hold over :data:`MAX_HOLD_S` stores ``1-601-1``,
    which is up-hold-down seconds; the words for a tempo that is not ("is not up-hold-down
    seconds") sent the user looking for a mistake in its form. "" when ``text`` parses or is
    wrong in another way.

    Returns:
        e.g. "the tempo stored in the recording, '1-601-1', is over a limit: its top hold of
        601 s is longer than the 600 s a tempo may prescribe; give the prescription with
        --tempo (e.g. --tempo 1-600-1)".

    """
    try:
        parse_tempo(text)
    except TempoError as exc:
        if exc.over_limit is None:
            return ""
        name, value, limit = exc.over_limit
        return (
            f"the tempo stored in the recording, {text!r}, is over a limit: its {name} of "
            f"{value:g} s is longer than the {limit:g} s a tempo may prescribe; give the "
            f"prescription with --tempo (e.g. --tempo {exc.within_limits})"
        )
    return ""


def _decimal_commas(text: str) -> str:
    """``text`` with its decimal commas as points when it is 3 or 4 dashed numbers, else "".

    ``3,5-1-3`` gives ``3.5-1-3``; ``3,1,3`` (commas between the numbers) gives "".
    """
    stripped = re.sub(r"\s+", "", text.strip().translate(_DASHES))
    if "," not in stripped or not re.fullmatch(r"\d+([.,]\d+)?(-\d+([.,]\d+)?){2,3}", stripped):
        return ""
    return stripped.replace(",", ".")


def _other_separator(text: str) -> str:
    """``text`` written with '-' when it is 3 or 4 numbers split by something else, else "".

    ``3/1/3``, ``3 1 3``, ``3,1,3``, ``3:1:3``, ``3_1_3`` and ``3.1.3`` (dots between whole numbers:
    ``3.1`` alone is a number) give ``3-1-3``; a dash among them (``3/1-3``) counts too.
    """
    stripped = text.strip().translate(_DASHES)
    if "-" not in stripped:  # 3_1_3; among dashes (1_0-1-1) an underscore is no separator
        stripped = stripped.replace("_", "/")
    if re.search(r"[/,;:|\\]|\d\s+\d", stripped):
        parts = re.split(r"\s*[-/,;:|\\]\s*|\s+", stripped)
    elif re.fullmatch(r"\d+(\.\d+){2,3}", stripped):
        parts = stripped.split(".")
    else:
        return ""
    if len(parts) not in (3, 4):
        return ""
    try:
        if not all(p.isascii() and "_" not in p for p in parts):
            raise ValueError
        values = [float(p) for p in parts]
    except ValueError:
        return ""
    if not all(math.isfinite(v) and v >= 0 for v in values):
        return ""
    return "-".join(parts)


def parse_tempo(text: str) -> Tempo:
    """Parse "up-hold-down" seconds, e.g. ``"3-1-3"``, ``"2-0-4"``, ``"1.5-0.5-3"``.

    A fourth number sets the bottom pause: ``"3-1-3-1"``.

    Raises:
        TempoError: the text is not 3 or 4 non-negative plain numbers separated by '-' (or a
            typographic dash), the concentric or eccentric is shorter than
            :data:`MIN_MOVEMENT_S`, or a phase is longer than :data:`MAX_MOVEMENT_S` (up, down)
            or :data:`MAX_HOLD_S` (holds).

    """
    try:
        return _parse(text)
    except TempoError:
        # 3,5-1-3: a decimal comma among dashes (read as a separator, it made 3-5-1-3).
        pointed = _decimal_commas(text)
        if pointed:
            raise TempoError(
                f"tempo {text!r}: write decimals with a point, not a comma, e.g. {pointed} "
                "(up-hold-down seconds; optionally -PAUSE: 3-1-3-1)"
            ) from None
        # 3/1/3, 3.1.3, 3 1 3, 3,1,3, 3_1_3: the numbers are right, the separator is not.
        separated = _other_separator(text)
        if separated and separated != re.sub(r"\s+", "", text.translate(_DASHES)):
            raise TempoError(
                f"tempo {text!r}: write it with '-' between the numbers, e.g. {separated} "
                "(up-hold-down seconds; optionally -PAUSE: 3-1-3-1)"
            ) from None
        raise


def _parse(text: str) -> Tempo:
    # Typographic dashes (a tempo copied from a document) separate like '-'.
    parts = text.strip().translate(_DASHES).split("-")
    if len(parts) > 1 and any(not p.strip() for p in parts):
        raise TempoError(
            f"tempo {text!r}: tempo values must be positive seconds, e.g. 3-1-3 "
            "(up-hold-down; optionally -PAUSE: 3-1-3-1)"
        )
    hint = "write the tempo as up-hold-down seconds, e.g. 3-1-3 (optionally -PAUSE: 3-1-3-1)"
    if len(parts) not in (3, 4):
        if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 4:
            raise TempoError(
                f"tempo {text!r} looks like the four-digit eccentric-pause-concentric-pause "
                f"notation, which is not accepted here; {hint}"
            )
        if len(parts) == 1 and re.fullmatch(r"[0-9xX]{4}", parts[0].strip()) and (
            re.search(r"\d", parts[0])
        ):
            # 30X1 (X: as fast as possible) was "has 1 part(s)" (trial 25).
            raise TempoError(
                f"tempo {text!r} looks like the four-digit eccentric-pause-concentric-pause "
                "notation (X: as fast as possible), which is not accepted here; give each "
                f"phase in seconds, an explosive one as its time (e.g. 0.5); {hint}"
            )
        single = ""
        if len(parts) == 1:
            try:
                seconds = float(parts[0])
            except ValueError:
                seconds = math.nan
            if math.isfinite(seconds) and seconds > 0:
                # A plank's hold alone, most likely: say how to write it.
                single = f" (a static hold of {seconds:g} s, as for a plank: 1-{seconds:g}-1)"
        raise TempoError(f"tempo {text!r} has {len(parts)} part(s); {hint}{single}")
    try:
        # Plain ASCII numbers only: float() would also take "1_0" (10) and full-width digits.
        if not all(p.strip().isascii() and "_" not in p for p in parts):
            raise ValueError
        values = [float(p) for p in parts]
    except ValueError:
        raise TempoError(f"tempo {text!r} is not numeric; {hint}") from None
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise TempoError(
            f"tempo {text!r}: tempo values must be positive seconds, e.g. 3-1-3 "
            "(up-hold-down; optionally -PAUSE: 3-1-3-1)"
        )
    if values[0] < MIN_MOVEMENT_S or values[2] < MIN_MOVEMENT_S:
        held = values[1]
        # 0-45-0: a hold alone, written with no way in or out: say how to write it.
        static = (f" (a static hold of {held:g} s, as for a plank: 1-{held:g}-1)"
                  if held > 0 and values[0] == 0 and values[2] == 0 else "")
        raise TempoError(
            f"tempo {text!r}: up and down must last at least {MIN_MOVEMENT_S:g} s each; "
            f"{hint}{static}"
        )
    for name, value, limit in zip(_PHASE_NAMES, values, _PHASE_LIMITS_S, strict=False):
        if value > limit:
            error = TempoError(
                f"tempo {text!r}: the {name} of {value:g} s is longer than {limit:g} s, the "
                f"longest {name} a tempo may prescribe; {hint}"
            )
            error.over_limit = (name, value, limit)
            error.within_limits = "-".join(
                f"{min(v, cap):g}" for v, cap in zip(values, _PHASE_LIMITS_S, strict=False))
            raise error
    pause = values[3] if len(values) == 4 else None
    return Tempo(values[0], values[1], values[2], pause)
