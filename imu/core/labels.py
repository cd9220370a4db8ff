"""Labels from quantities: the definitions of the domain brief, thresholds from the profile.

One small stateful step: the ROM reference of ``partial_rom`` and ``over_extension`` is the
median ROM of the previous (up to ``reference_reps``) reps of the session that were not
partial, and the set's rhythm (the intervals between its reps' starts so far) decides
``missed_before``, so a rep's labels never depend on reps that come after it, whatever the
chunking of the stream. ``docs/analysis.md`` gives the table of definitions.
"""

from __future__ import annotations

import itertools
import math

from imu.core.metrics import Rep, RepQuantities, median_of
from imu.exercises import FAULTS, ExerciseProfile

DIRECTION_DOUBT_CONFIDENCE = 0.4
"""Highest ``count_confidence`` of a rep when the session's concentric direction is in doubt
(:attr:`imu.core.axis.BodyAxes.sign_sure`): under 0.5, so every rep is reported uncertain."""


def count_confidence(q: RepQuantities, profile: ExerciseProfile,
                     direction_sure: bool = True) -> float:
    """How sure the analyzer is that ``q`` is a rep, 0-1.

    The rep's ROM and peak velocity are compared with the profile's smallest sure rep
    (:attr:`~imu.exercises.ExerciseProfile.confidence_base_deg`; peak rate:
    ``min_velocity_dps``) and the
    angle's noise floor just before the rep (breathing, tremor, quantisation, when there is a
    quiet moment to see it); a rep three times the smallest rep and five times the noise
    floor counts fully. When two readings of the concentric direction disagreed
    (``direction_sure`` False), the reps may be the lowering read as the raise, half a rep
    late: at most :data:`DIRECTION_DOUBT_CONFIDENCE`.
    """
    if profile.isometric:
        return 1.0
    margin = min(
        q.rom_deg / profile.confidence_base_deg,
        q.peak_concentric_dps / profile.min_velocity_dps,
    )
    value = (margin - 1.0) / 2.0
    if math.isfinite(q.noise_deg):
        value = min(value, (q.rom_deg / max(q.noise_deg, 1e-6) - 2.0) / 3.0)
    if q.in_gap:
        value = min(value, 0.5)
    if not direction_sure:
        value = min(value, DIRECTION_DOUBT_CONFIDENCE)
    return float(min(max(value, 0.0), 1.0))


_NOT_REPORTED = frozenset({"noise_deg"})
"""Quantities used here (count confidence) but not reported as columns of a rep."""


class RepLabeller:
    """Applies the label definitions to each rep's quantities, in time order.

    Args:
        profile: the exercise profile (which labels apply, thresholds).

    Attributes:
        direction_sure: False once the axis step found the concentric direction in doubt
            (set by the analyzer at the axis lock, before the first rep is labelled).

    """

    def __init__(self, profile: ExerciseProfile) -> None:
        self.profile = profile
        self.direction_sure = True
        self._references: list[float] = []  # ROMs of previous reps that were not partial
        self._set = 0  # the set whose rep starts are in _starts
        self._starts: list[float] = []  # con_start_s of this set's reps so far, s

    def _missed_before(self, q: RepQuantities) -> bool:
        """Whether a rep may have been missed just before ``q`` (the set's rhythm broke)."""
        if q.set != self._set:
            self._set, self._starts = q.set, []
        starts = self._starts
        ratio = self.profile.missed_rep_gap_ratio
        missed = False
        if ratio > 0.0 and len(starts) >= 2:
            usual = median_of([b - a for a, b in itertools.pairwise(starts)])
            missed = q.con_start_s - starts[-1] > ratio * usual
        starts.append(q.con_start_s)
        return missed

    def forget(self, rep: Rep) -> None:
        """``rep``, just labelled, was dropped (a fidget): its start leaves the set's rhythm.

        The ROM reference keeps it, as it always has (the fidget test reads ``rom_ratio``).
        """
        if self._starts and self._starts[-1] == rep.con_start_s:
            self._starts.pop()

    def __call__(self, q: RepQuantities) -> Rep:
        """The labelled rep; updates the ROM reference."""
        prof, th = self.profile, self.profile.thresholds
        applies = set(prof.faults)
        features = (
            q.peak_time_fraction < th.early_peak_fraction,
            q.concentric_ratio < th.fast_ratio,
            q.windup_deg >= th.windup_deg,
        )
        n_features = int(sum(features))
        swing = not prof.isometric and prof.judges_swing and (
            prof.every_rep_is_swing or n_features >= th.swing_min_features
        )
        found: set[str] = set()
        refs = self._references[-th.reference_reps :]
        rom_ratio = math.nan if prof.isometric else q.rom_deg / median_of(refs) if refs else (
            math.nan
        )
        if not prof.isometric:
            if q.eccentric_ratio < th.dropped_eccentric_ratio:
                found.add("dropped_eccentric")
            if math.isfinite(rom_ratio):
                if rom_ratio < th.partial_rom_ratio:
                    found.add("partial_rom")
                if rom_ratio > th.over_extension_ratio:
                    found.add("over_extension")
            if q.top_hold_ratio < th.short_hold_ratio:  # NaN compares False
                found.add("short_hold")
            if q.arch_deg > th.back_arch_deg:
                found.add("back_arch")
            if q.rotation_deg > th.hips_rotating_deg:
                found.add("hips_rotating")
            if q.body_swing_deg > th.body_swing_deg:
                found.add("body_swing")
        else:
            if q.drift_deg < -th.hip_drift_deg:
                found.add("hips_sagging")
            if q.drift_deg > th.hip_drift_deg:
                found.add("hips_piking")
            if q.shaking_dps > th.shaking_dps:
                found.add("shaking")
        found &= applies
        assert found <= set(FAULTS)
        if not prof.isometric and "partial_rom" not in found:
            self._references.append(q.rom_deg)
        measured = {k: v for k, v in vars(q).items() if k not in _NOT_REPORTED}
        return Rep(
            **measured,
            swing_features=n_features,
            swing=bool(swing),
            rom_ratio=rom_ratio,
            faults=frozenset(found),
            count_confidence=count_confidence(q, prof, self.direction_sure),
            missed_before=self._missed_before(q),
        )


__all__ = ["DIRECTION_DOUBT_CONFIDENCE", "RepLabeller", "count_confidence"]
