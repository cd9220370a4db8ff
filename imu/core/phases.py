"""Live phase cues: the phase in progress, told as soon as the rate about the axis shows it.

The reps table is decided on closed lobes (:mod:`imu.core.segmentation`), which is exact but
comes a few tenths of a second after the eccentric ends: a lobe is closed only once the rate
has fallen into the dead band, and a lowering that came back part of the way waits to see if
it goes on. A person on the mat needs to hear "top" when the pelvis arrives there and
"slower" while the descent is still happening, so :class:`PhaseWatcher` follows the same
rate with a small state machine and tells each phase start at once:

============== ======================================================================
state          leaves when (``w``: wide-band rate about the axis, deg/s, concentric +)
============== ======================================================================
bottom         ``w > on``: **concentric** starts
concentric     ``w`` falls under ``phase_fraction`` of the concentric's peak so far:
               **top_hold** (when it rotated at least ``min_rom_deg`` and
               ``min_rom_ratio`` of the typical rise; otherwise the start came to nothing
               and it is **bottom_pause** again, not a rep)
top            ``w < -on``: **eccentric** starts; ``w`` over ``on`` and over
               ``resume_fraction`` (30%) of the concentric's peak: the concentric goes on
               (told with the concentric's own start)
eccentric      ``|w|`` falls under ``phase_fraction`` of the eccentric's peak so far:
               **bottom_pause** (the rep ended) when it brought back ``return_fraction``
               of the concentric's rotation, else **top_hold** again (a wiggle at the top)
============== ======================================================================

``on`` is ``start_fraction`` (15%) of the typical peak rate of that phase in the reps seen so far
(its median over the last five), and never under ``noise_factor`` times the rate's RMS while
still nor under the profile's smallest phase peak: a start is told when the movement is
under way, well within 0.15 s of its 10% crossing. Start times
(``at_s``) are moved back to where the rate left ``phase_fraction`` of the typical peak,
end times interpolated at the crossing, both minus the filter delay: the clock of the reps
table.

While an eccentric runs, once it has brought back half of the concentric's rotation the
phase's duration is projected as twice the time taken so far (a lowering's speed profile is
close to symmetric); when that is shorter than the prescription by more than the tempo
tolerance, a :class:`PaceCue` says "slower" before the lowering ends.

Cues are hints for the person; the reps table stays the record. Cue times depend only on
the samples before them; ``emitted_at_s`` is the newest sample of the chunk that told it
(what a live view waits for).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

CONCENTRIC = "concentric"
TOP_HOLD = "top_hold"
ECCENTRIC = "eccentric"
BOTTOM_PAUSE = "bottom_pause"


@dataclass(frozen=True)
class PhaseCue:
    """A phase of the movement started.

    Attributes:
        phase: ``concentric``, ``top_hold``, ``eccentric`` or ``bottom_pause``.
        at_s: when it started, s from the first sample (the reps table's clock).
        emitted_at_s: time of the newest sample when it was told, s (same clock, without the
            filter delay: ``emitted_at_s - at_s`` is how late the cue is).
        rep_ended: for ``bottom_pause``, whether a rep ended (False: a start came to nothing).

    """

    phase: str
    at_s: float
    emitted_at_s: float
    rep_ended: bool = False


@dataclass(frozen=True)
class PaceWarning:
    """The eccentric in progress runs faster than prescribed.

    Attributes:
        phase: ``eccentric``.
        elapsed_s: time since the eccentric started, s.
        projected_s: the eccentric's duration at the pace so far, s.
        emitted_at_s: time of the newest sample when it was told, s.
        started_s: when the eccentric started, s (the reps table's clock, as
            :attr:`PhaseCue.at_s`).

    """

    phase: str
    elapsed_s: float
    projected_s: float
    emitted_at_s: float
    started_s: float = float("nan")


@dataclass(frozen=True)
class WatcherParams:
    """Parameters of :class:`PhaseWatcher` (units in the names)."""

    sampling_rate_hz: float
    delay_s: float
    """Low-frequency group delay of the rate's filter, s."""
    min_velocity_dps: float
    min_rom_deg: float
    phase_fraction: float = 0.10
    start_fraction: float = 0.15
    noise_factor: float = 4.0
    return_fraction: float = 0.5
    eccentric_prescribed_s: float | None = None
    eccentric_slack_s: float = 0.75
    """A projected eccentric shorter than the prescription by more than this is too fast, s."""
    typical_of: int = 5
    min_rom_ratio: float = 0.0
    """A rise smaller than this share of the typical concentric rotation is no rep."""
    resume_fraction: float = 0.3
    """At the top, the concentric goes on only above this share of its own peak rate."""


_BOTTOM, _CON, _TOP, _ECC = range(4)


class PhaseWatcher:
    """Tells phase starts from the rate about the movement axis, sample by sample.

    Feed every sample after the axis lock with :meth:`push`; cues come back in time order.
    """

    def __init__(self, params: WatcherParams) -> None:
        self.p = params
        self._state = _BOTTOM
        self._n = 0  # absolute index of the next sample
        self._peaks: dict[int, list[float]] = {_CON: [], _ECC: []}
        self._rotations: list[float] = []  # rotation of each concentric told as one, deg
        self._peak = 0.0  # |peak| of the phase in progress, deg/s
        self._rotation = 0.0  # rotation of the concentric, deg
        self._returned = 0.0  # rotation back in the eccentric, deg
        self._ecc_start_s = 0.0
        self._half_at_s: float | None = None
        self._warned = False
        self._noise_sq = 0.0
        self._noise_n = 0
        self._noise_rms = 0.0
        self._typical_cache: dict[int, float] = {}
        self._last_quiet = 0.0  # fractional index where |w| was last under the back-date level
        self._prev = 0.0  # previous sample of w
        self._con_start = 0.0  # fractional index where the concentric under way began
        self._con_peak = 0.0  # peak of the last concentric, deg/s

    # ----------------------------------------------------------------- levels
    def _typical(self, state: int) -> float:
        """Median peak of the last ``typical_of`` phases of this kind, deg/s (cached)."""
        if state not in self._typical_cache:
            values = self._peaks[state][-self.p.typical_of :]
            self._typical_cache[state] = float(np.median(values)) if values else 0.0
        return self._typical_cache[state]

    def _on_level(self, state: int) -> float:
        """Rate a phase start must pass, deg/s (``noise_rms`` is set per chunk)."""
        return max(
            self.p.start_fraction * self._typical(state),
            self.p.noise_factor * self._noise_rms,
            self.p.min_velocity_dps,
        )

    def _add_peak(self, state: int, peak: float) -> None:
        self._peaks[state].append(peak)
        self._typical_cache.pop(state, None)

    def _time(self, index: float) -> float:
        return index / self.p.sampling_rate_hz - self.p.delay_s

    # ----------------------------------------------------------------- stream
    def push(
        self, w: FloatArray, still: BoolArray, emit: bool = True
    ) -> list[PhaseCue | PaceWarning]:
        """Feed the rate about the axis and the stillness flags of the next samples.

        Args:
            w: shape (m,), rate about the movement axis, deg/s, concentric positive.
            still: shape (m,), whether each sample lies in a still period.
            emit: False while replaying samples already in the past (state only).

        Returns the cues told by these samples, in order.

        """
        out: list[PhaseCue | PaceWarning] = []
        if len(w) == 0:
            return out
        quiet = w[still]
        if len(quiet):
            self._noise_sq += float(np.dot(quiet, quiet))
            self._noise_n += len(quiet)
            self._noise_rms = math.sqrt(self._noise_sq / self._noise_n)
        newest = (self._n + len(w) - 1) / self.p.sampling_rate_hz  # no filter delay: arrival
        dt = 1.0 / self.p.sampling_rate_hz
        frac = self.p.phase_fraction
        prev = self._prev
        for i, value in enumerate(w.tolist()):
            k = self._n + i
            state = self._state
            if state in (_BOTTOM, _TOP):
                level = frac * self._typical(_CON if state == _BOTTOM else _ECC)
                if abs(value) <= level:
                    self._last_quiet = k
                on_up = self._on_level(_CON)
                if state == _TOP:
                    # The concentric going on after the top: a movement, not the rate's ripple
                    # just past its 10% crossing (HOLD, UP, HOLD within 0.1 s on the screen).
                    on_up = max(on_up, self.p.resume_fraction * self._con_peak)
                if value > on_up:
                    if state == _BOTTOM:
                        self._rotation = 0.0
                        self._con_start = self._last_quiet
                    self._state, self._peak = _CON, value
                    # Going on after the top, it is the same concentric: its clock runs from
                    # where it began, not from the top.
                    out.append(PhaseCue(CONCENTRIC, self._time(self._con_start), newest))
                elif state == _TOP and value < -self._on_level(_ECC):
                    self._state, self._peak = _ECC, -value
                    self._returned = 0.0
                    self._ecc_start_s = self._time(self._last_quiet)
                    self._half_at_s, self._warned = None, False
                    out.append(PhaseCue(ECCENTRIC, self._ecc_start_s, newest))
            elif state == _CON:
                self._rotation += value * dt
                self._peak = max(self._peak, value)
                if value < frac * self._peak:
                    at = self._time(_cross(prev, value, frac * self._peak, k))
                    self._con_peak = self._peak
                    self._add_peak(_CON, self._peak)
                    self._last_quiet = k
                    typical = self._rotations[-self.p.typical_of :]
                    floor = self.p.min_rom_ratio * float(np.median(typical)) if typical else 0.0
                    if self._rotation >= max(self.p.min_rom_deg, floor):
                        self._rotations.append(self._rotation)
                        self._state = _TOP
                        out.append(PhaseCue(TOP_HOLD, at, newest))
                    else:
                        self._state = _BOTTOM
                        out.append(PhaseCue(BOTTOM_PAUSE, at, newest, rep_ended=False))
            else:  # eccentric
                self._returned -= value * dt
                self._peak = max(self._peak, -value)
                if (
                    self._half_at_s is None
                    and self._returned >= 0.5 * max(self._rotation, self.p.min_rom_deg)
                ):
                    self._half_at_s = self._time(k)
                    out.extend(self._pace_check(newest))
                if -value < frac * self._peak:
                    at = self._time(_cross(-prev, -value, frac * self._peak, k))
                    self._add_peak(_ECC, self._peak)
                    self._last_quiet = k
                    if self._returned >= self.p.return_fraction * self._rotation:
                        self._state = _BOTTOM
                        out.append(PhaseCue(BOTTOM_PAUSE, at, newest, rep_ended=True))
                    else:
                        self._state = _TOP
                        out.append(PhaseCue(TOP_HOLD, at, newest))
            prev = value
        self._prev = prev
        self._n += len(w)
        return out if emit else []

    def _pace_check(self, newest: float) -> list[PaceWarning]:
        prescribed = self.p.eccentric_prescribed_s
        if prescribed is None or self._warned or self._half_at_s is None:
            return []
        elapsed = self._half_at_s - self._ecc_start_s
        projected = 2.0 * elapsed
        if projected < prescribed - self.p.eccentric_slack_s:
            self._warned = True
            return [PaceWarning(ECCENTRIC, elapsed, projected, newest, self._ecc_start_s)]
        return []


def _cross(a: float, b: float, level: float, k: int) -> float:
    """Fractional index where a rate falling from ``a`` (sample k-1) to ``b`` (k) meets level."""
    if a <= level or a == b:
        return float(k)
    return (k - 1) + (a - level) / (a - b)
