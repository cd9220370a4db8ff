"""The end of an isometric hold (plank): getting down, then rest. One causal step.

A still period that starts within ``get_down`` samples of a burst (the accelerometer
spanning more than ``get_down_acc_ms2`` over the still window) ends a hold at the burst's
start. Stillness alone does not: a steady plank at a low rate looks still too.

A rest event is found a still window after the rest starts, and its get-down may start up
to ``get_down`` samples before that. So the analyzer hands lobes and rest events to the
rep assembler only once no earlier event can still appear (:attr:`HoldEnds.horizon`): they
arrive in time order whatever the chunking, at the cost of ending a hold about 4 s late.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from imu.core.segmentation import Lobe

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class HoldEnds:
    """Finds (get-down start, rest start) spans, samples.

    Args:
        window: the still window, samples (a still flag at ``k`` covers ``k - window + 1``).
        get_down: a rest this many samples after a burst ends the hold.
        get_down_acc_ms2: accelerometer span above which a window is a burst, m/s^2.

    """

    def __init__(self, window: int, get_down: int, get_down_acc_ms2: float) -> None:
        self.window = window
        self.get_down = get_down
        self.get_down_acc_ms2 = get_down_acc_ms2
        self._was_still = False
        self._was_burst = False
        self._burst_start: int | None = None
        self._burst_end = -(10**12)
        self._n = 0
        self._pending: list[tuple[int, int]] = []

    def push(self, still: BoolArray, acc_range: FloatArray) -> None:
        """Process the next chunk's still flags and accelerometer spans, shape (m,)."""
        base, window, limit = self._n, self.window, self.get_down
        self._n += len(still)
        burst = acc_range > self.get_down_acc_ms2
        prev_burst = np.concatenate(([self._was_burst], burst[:-1]))
        prev_still = np.concatenate(([self._was_still], still[:-1]))
        burst_starts = np.flatnonzero(burst & ~prev_burst)
        rest_starts = np.flatnonzero(still & ~prev_still)
        burst_idx = np.flatnonzero(burst)
        for k in np.union1d(burst_starts, rest_starts):  # in time order
            if burst[k] and not prev_burst[k]:
                # The first window that spans more than the limit ends as the body has moved
                # clearly; its start lies up to a window before the movement began.
                self._burst_start = base + int(k)
            if still[k] and not prev_still[k] and self._burst_start is not None:
                before = burst_idx[burst_idx < k]
                if len(before):
                    self._burst_end = base + int(before[-1])
                rest = base + int(k) - window + 1
                # Both flags cover a window: the quiet window may begin before the last
                # window that still held the burst ends.
                if -window <= rest - self._burst_end <= limit:
                    # Shaking can run straight into getting down: bound the burst.
                    self._pending.append((max(self._burst_start, rest - limit), rest))
        if len(burst_idx):
            self._burst_end = base + int(burst_idx[-1])
        if len(still):
            self._was_burst = bool(burst[-1])
            self._was_still = bool(still[-1])

    @property
    def horizon(self) -> int:
        """No rest event found later can start before this absolute sample index."""
        return self._n - self.window - self.get_down

    def release(self) -> list[Lobe]:
        """The rest events found so far, as zero-rotation lobes (get-down start to rest)."""
        out, self._pending = self._pending, []
        return [Lobe(-1, a, b, float(a), float(b), a, 0.0, 0.0, 0.0, 0.0) for a, b in out]


__all__ = ["HoldEnds"]
