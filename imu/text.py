"""Small text helpers for user-facing lines (light imports: ``imu --help`` loads this)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def local_time(when: datetime) -> str:
    """``when`` in this computer's time zone, as people write it: ``30 Nov 2026 05:00 CET``.

    A time with no zone is taken as UTC (recordings store UTC). The zone is the one the
    report is read in (``TZ`` sets it): a session at 7 pm in Berlin read 18:00 UTC. Midnight
    UTC to the microsecond is a day given without a time (a manifest's date): the day alone,
    ``8 Jan 2024``, never moved to the evening before west of UTC.
    """
    if is_day_only(when):
        day = as_read(when)
        return f"{day.day} {day:%b %Y}"
    local = as_read(when)
    return f"{local.day} {local:%b %Y %H:%M} {local.tzname() or ''}".rstrip()


def as_read(when: datetime) -> datetime:
    """``when`` in the zone it is shown in.

    The reader's, but UTC for a day given without a time (:func:`is_day_only`); a time with
    no zone is UTC.
    """
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return utc if is_day_only(utc) else utc.astimezone()


def is_day_only(when: datetime) -> bool:
    """Whether ``when`` (aware, or naive as UTC) is midnight UTC: a date given as a day."""
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 set"``, ``"2 sets"``, ``"0 reps"``."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def uncertain_note(row: Any) -> str:
    """`` (2 uncertain: ...)`` when some reps may not be reps, else empty.

    A rep is uncertain when it barely stands out of the noise, or when the session's
    direction of movement was in doubt (a leg raise's lowering may then be read as the
    raise, every rep half a rep late).

    Args:
        row: a row of the session table (``uncertain_reps``).

    """
    n = int(row.get("uncertain_reps", 0))
    if not n:
        return ""
    return (f" ({n} uncertain: small against the noise or of unclear direction, check "
            f"{'it' if n == 1 else 'them'})")


def tempo_and_time(reps: Any, tempo: Any, hold: bool, row: Any) -> str:
    """How a session line tells the prescription and the time worked.

    ``"tempo 3-1-3, time under tension 84 s"``; for static holds ``"target hold 45 s, held
    131 s in all"`` (the time held, as the hold and set lines give it: getting into position
    and down are not held).

    Args:
        reps: the reps table (``top_hold_s``, s).
        tempo: the prescription (:class:`imu.tempo.Tempo`).
        hold: the exercise is a static hold.
        row: a row of the session table (``tut_s``, s; NaN when every rep was over a
            data gap: "unknown", never "0 s").

    """
    if hold:
        held = float(reps["top_hold_s"].sum()) if len(reps) else 0.0
        return f"target hold {tempo.top_hold_s:g} s, held {held:.0f} s in all"
    tut_s = float(row["tut_s"])
    if tut_s != tut_s:  # NaN: every rep was over a data gap, so how long is not known
        # imu.report.tables.TUT_UNKNOWN's words (not imported: this module stays light).
        return f"tempo {tempo}, time under tension unknown (sensor lost)"
    return f"tempo {tempo}, time under tension {tut_s:.0f} s"


def pause_not_judged_words(tempos: list[str]) -> str:
    """That a prescription's bottom pause (``3-1-3-2``) is shown but not judged.

    Said by ``imu analyze`` and by the HTML report, above the reps' pause column.

    Args:
        tempos: the prescriptions with a bottom pause, as written (``"3-1-3-1"``).

    """
    return (f"the bottom pause of {', '.join(sorted(set(tempos)))} is shown (the reps table's "
            "pause column) but not judged: on tempo means the way up, the hold at the top and "
            "the way down")
