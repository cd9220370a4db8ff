"""What an import or a recovery changed in the data: one structure, printed the same everywhere.

Every reader that repairs data (drops rows with empty values, sorts rows out of time order,
drops duplicate timestamps, turns absurd values into a marked gap, resamples onto a uniform
grid, estimates the rate, skips a damaged journal record) lists what it did in a
:class:`RepairReport`. The CLI prints :meth:`RepairReport.line` on stderr (one line, with the
counts) and the recording keeps the same text in ``meta.notes[REPAIRS_NOTE]``, so a repair is
never silent, whichever command read the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

logger = logging.getLogger(__name__)

REPAIRS_NOTE: Final = "repairs"
"""Key of ``RecordingMeta.notes`` holding the repairs made when the recording was read."""

SENSOR_NOTE: Final = "sensor_warnings"
"""The recording's note (``meta.notes``) holding what an import found wrong with the sensor
itself (a frozen sensor, a dead axis, a stuck sensor), one a line: the report shows it
(:attr:`imu.report.session.SessionReport.sensor_warnings`)."""


@dataclass(frozen=True)
class Repair:
    """One kind of change made to the data.

    Attributes:
        kind: machine name, e.g. ``"incomplete"``, ``"unordered"``, ``"duplicate"``,
            ``"implausible"``, ``"resampled"``, ``"rate_estimated"``, ``"journal_damaged"``,
            ``"journal_torn_tail"``.
        count: how many rows, samples or frames it concerned (the unit is in ``text``).
        text: a short phrase for people, with the count, e.g. "3 rows with empty values
            dropped".
        data_lost: True when intact data was lost beyond what a crash explains (a damaged
            record in the middle of a journal); commands exit non-zero for it.

    """

    kind: str
    count: int
    text: str
    data_lost: bool = False


@dataclass(frozen=True)
class RepairReport:
    """Everything one reader changed in one recording.

    Attributes:
        source: the file (and group) the recording came from, as named in messages.
        repairs: the repairs, in the order they were made.

    """

    source: str
    repairs: tuple[Repair, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.repairs)

    @property
    def data_lost(self) -> bool:
        """True when a repair lost intact data (see :attr:`Repair.data_lost`)."""
        return any(r.data_lost for r in self.repairs)

    def count(self, kind: str) -> int:
        """The count of the repairs of one ``kind`` (0 when none)."""
        return sum(r.count for r in self.repairs if r.kind == kind)

    def text(self) -> str:
        """The repairs as one phrase ("" when none): ``"3 rows ... dropped; 2 rows ..."``."""
        return "; ".join(r.text for r in self.repairs)

    def line(self) -> str:
        """One line for stderr: ``"FILE: repaired: ...; ..."`` ("" when nothing was done)."""
        if not self.repairs:
            return ""
        verb = "data lost" if self.data_lost else "repaired"
        return f"{self.source}: {verb}: {self.text()}"

    def plus(self, *repairs: Repair) -> RepairReport:
        """A copy with more repairs appended (empty counts are skipped)."""
        kept = tuple(r for r in repairs if r.count > 0 or r.kind == "rate_estimated")
        return RepairReport(self.source, (*self.repairs, *kept))


def plural(n: int, noun: str) -> str:
    """``"1 row"``, ``"3 rows"``; ``"2 damaged stretches"`` (not "stretchs")."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun}{'es' if noun.endswith(('s', 'x', 'z', 'ch', 'sh')) else 's'}"


__all__ = ["REPAIRS_NOTE", "SENSOR_NOTE", "Repair", "RepairReport", "plural"]
