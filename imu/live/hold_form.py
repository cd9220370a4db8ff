"""A plank's form during the hold: hips sagging or piking, told while it lasts.

The analyzer reports a hold (its drift, its ``hips_sagging`` / ``hips_piking`` label) only
after the person got down. :class:`HoldFormWatcher` reads the drift of the hold under way
(:attr:`imu.core.analyzer.RepAnalyzer.open_hold_drift_deg`, the same signal and reference as
the reported drift) and raises a live cue once it has stayed past the profile's
``hip_drift_deg`` for ``debounce_s``, and clears it once it has stayed back within it as long
(or at once when the hold ends). A tilt that changes fast (more than ``moving_deg`` within
``moving_window_s``: getting down, shifting) is movement, not drift: it restarts the count.

It only displays: the reported hold and its labels are the analyzer's, unchanged.
"""

from __future__ import annotations

from collections import deque

HOLD_FORM_WORDS: dict[str, tuple[str, str]] = {
    "hips_sagging": ("hips sagging", "lift the hips"),
    "hips_piking": ("hips piking", "lower the hips"),
}
"""What every screen says while the hold's hips sag or pike: (what, what to do)."""

HOLD_FORM_BACK = "hips back in line: hold steady"
"""The plain line when the hips came back within the threshold during the hold."""

DEBOUNCE_S = 1.0
"""How long the drift must stay past (or back within) the threshold to raise (clear) the
cue, data s: the tilt's noise and a breath crossing the threshold do not flicker it."""

MOVING_DEG = 4.0
"""A tilt change larger than this within :data:`MOVING_WINDOW_S` is movement (getting down,
shifting), not a sag: a 15 deg sag over 6 s (the simulator's fastest) changes it by 2.3 deg
there at its fastest; getting down turns it by 6 deg or more."""

MOVING_WINDOW_S = 0.5
"""Window of :data:`MOVING_DEG`, data s."""


def form_words(fault: str) -> str:
    """"hips sagging: lift the hips" (or piking), as every screen writes the live cue."""
    what, do = HOLD_FORM_WORDS[fault]
    return f"{what}: {do}"


class HoldFormWatcher:
    """Debounces the drift of the hold under way into a live cue (see the module docstring).

    Args:
        threshold_deg: the profile's ``hip_drift_deg`` (drift beyond it is a fault), deg.
        debounce_s: :data:`DEBOUNCE_S`.
        moving_deg: :data:`MOVING_DEG`.
        moving_window_s: :data:`MOVING_WINDOW_S`.

    """

    def __init__(self, threshold_deg: float, debounce_s: float = DEBOUNCE_S,
                 moving_deg: float = MOVING_DEG,
                 moving_window_s: float = MOVING_WINDOW_S) -> None:
        self.threshold_deg = threshold_deg
        self.debounce_s = debounce_s
        self.moving_deg = moving_deg
        self.moving_window_s = moving_window_s
        self.fault: str | None = None
        """The cue up now: ``hips_sagging``, ``hips_piking`` or None."""
        self._recent: deque[tuple[float, float]] = deque()
        self._raise: tuple[str, float] | None = None  # (fault, past the threshold since)
        self._clear_since: float | None = None  # back within it since

    def update(self, t_s: float, drift_deg: float | None) -> bool:
        """Take the drift at data time ``t_s`` (None: no hold under way); True if changed."""
        if drift_deg is None:
            self._recent.clear()
            self._raise = self._clear_since = None
            changed, self.fault = self.fault is not None, None
            return changed
        recent = self._recent
        recent.append((t_s, drift_deg))
        while len(recent) > 1 and recent[1][0] <= t_s - self.moving_window_s:
            recent.popleft()
        values = [d for _, d in recent]
        moving = max(values) - min(values) > self.moving_deg
        th = self.threshold_deg
        want = "hips_sagging" if drift_deg < -th else "hips_piking" if drift_deg > th else None
        if want == self.fault:
            self._raise = self._clear_since = None
            return False
        if want is None:  # back within the threshold while a cue is up
            self._raise = None
            if self._clear_since is None:
                self._clear_since = t_s
            if t_s - self._clear_since >= self.debounce_s:
                self.fault, self._clear_since = None, None
                return True
            return False
        self._clear_since = None
        if moving:
            self._raise = None
            return False
        if self._raise is None or self._raise[0] != want:
            self._raise = (want, t_s)
        if t_s - self._raise[1] >= self.debounce_s:
            self.fault, self._raise = want, None
            return True
        return False


__all__ = ["DEBOUNCE_S", "HOLD_FORM_BACK", "HOLD_FORM_WORDS", "HoldFormWatcher", "form_words"]
