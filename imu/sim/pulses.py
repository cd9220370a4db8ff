"""Smooth bell-shaped movement pulses and their 10%-of-peak duration convention.

A pulse moves one kinematic channel (an angle in rad, or a height in m) by ``amplitude``
between ``start_s`` and ``start_s + duration_s``. Its velocity profile is a Beta-like bell::

    v(tau) = amplitude / duration_s * tau**a * (1 - tau)**b / B(a + 1, b + 1),  tau in [0, 1]

so position and velocity start and end at zero velocity (and zero acceleration for a, b > 1).
``a = b = 2`` is exactly the minimum-jerk profile ``10 tau^3 - 15 tau^4 + 6 tau^5``; unequal
``a, b`` skew the bell (``a < b`` peaks early, as a ballistic "swing" does).

The analysis measures a movement phase from where the angular velocity first exceeds 10% of
the phase's peak to where it falls back below it (the *10% convention*). For minimum jerk
that span is ~0.827 of the movement time, so :func:`pulse_for_convention` stretches each
pulse so that its convention-measured duration equals the wanted one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import betainc

FloatArray = npt.NDArray[np.float64]

THRESHOLD_FRACTION = 0.1
"""The phase-boundary convention: 10% of the phase's peak angular velocity."""

CHANNELS = ("tilt", "obliquity", "rotation", "height")
"""Kinematic channels a pulse can move: pelvis angles (rad) and pelvis height (m, world up)."""

TILT_CH, OBLIQUITY_CH, ROTATION_CH, HEIGHT_CH = 0, 1, 2, 3


@dataclass(frozen=True)
class Pulse:
    """One smooth movement of one channel.

    Attributes:
        channel: index into :data:`CHANNELS` (0 tilt, 1 obliquity, 2 rotation: rad; 3 height: m).
        start_s: time the movement starts (velocity leaves zero), s.
        duration_s: full movement time (support of the velocity bell), s.
        amplitude: total change of the channel (rad or m, signed).
        a: shape exponent of the rising side of the velocity bell (2 = minimum jerk).
        b: shape exponent of the falling side.

    """

    channel: int
    start_s: float
    duration_s: float
    amplitude: float
    a: float = 2.0
    b: float = 2.0

    @property
    def end_s(self) -> float:
        """Time the movement ends, s."""
        return self.start_s + self.duration_s

    @property
    def convention_span_s(self) -> tuple[float, float]:
        """Start and end times of the 10%-of-peak span of this pulse alone, s."""
        lo, hi = convention_fraction(self.a, self.b)
        return self.start_s + lo * self.duration_s, self.start_s + hi * self.duration_s

    def displacement(self, tau: FloatArray) -> FloatArray:
        """Channel change at normalised times ``tau`` (clipped to [0, 1]); shape of ``tau``."""
        return self.amplitude * betainc(self.a + 1.0, self.b + 1.0, np.clip(tau, 0.0, 1.0))


def _density(tau: float, a: float, b: float) -> float:
    return float(tau**a * (1.0 - tau) ** b)


@lru_cache(maxsize=4096)
def convention_fraction(a: float, b: float) -> tuple[float, float]:
    """Normalised times where the velocity bell crosses 10% of its peak (rising, falling).

    For ``a = b = 2`` (minimum jerk) this is ``(0.0865, 0.9135)``: the 10% span is 0.827 of
    the movement time.
    """
    peak = a / (a + b)
    level = THRESHOLD_FRACTION * _density(peak, a, b)
    lo = brentq(lambda x: _density(x, a, b) - level, 0.0, peak, xtol=1e-12)
    hi = brentq(lambda x: _density(x, a, b) - level, peak, 1.0, xtol=1e-12)
    return float(lo), float(hi)


def relative_peak_time(a: float, b: float) -> float:
    """Where the velocity peak lies within the 10% span, as a fraction of it (0.5 = centred)."""
    lo, hi = convention_fraction(a, b)
    return (a / (a + b) - lo) / (hi - lo)


def skew_for_peak(peak_fraction: float, a: float = 1.3) -> float:
    """The exponent ``b`` that puts the velocity peak at ``peak_fraction`` of the 10% span.

    Args:
        peak_fraction: wanted relative peak time within the 10% span, in (0.23, 0.5] for the
            default ``a``.
        a: rising-side exponent (smaller gives a sharper burst).

    """
    lo_b, hi_b = a, 400.0
    if not relative_peak_time(a, hi_b) < peak_fraction <= 0.5:
        raise ValueError(f"peak fraction {peak_fraction} is not reachable with a={a}")
    if peak_fraction == 0.5:
        return a
    return float(brentq(lambda b: relative_peak_time(a, b) - peak_fraction, lo_b, hi_b))


def pulse_for_convention(
    channel: int,
    conv_start_s: float,
    conv_duration_s: float,
    amplitude: float,
    a: float = 2.0,
    b: float = 2.0,
) -> Pulse:
    """A pulse whose 10%-convention span is ``[conv_start_s, conv_start_s + conv_duration_s]``.

    Args:
        channel: channel index (see :data:`CHANNELS`).
        conv_start_s: where the velocity should cross 10% of peak on the way up, s.
        conv_duration_s: wanted convention-measured duration, s (> 0).
        amplitude: total change (rad or m).
        a: rising-side bell exponent (2 = minimum jerk).
        b: falling-side bell exponent.

    """
    lo, hi = convention_fraction(a, b)
    duration = conv_duration_s / (hi - lo)
    return Pulse(channel, conv_start_s - lo * duration, duration, amplitude, a, b)


def render_pulses(pulses: list[Pulse], t0_s: float, rate_hz: float, n: int) -> FloatArray:
    """Sum of all pulses on a uniform grid.

    Args:
        pulses: pulses to render (any channels).
        t0_s: time of grid sample 0, s.
        rate_hz: grid rate, Hz.
        n: number of grid samples.

    Returns:
        shape (n, len(CHANNELS)): channel values (rad, rad, rad, m).

    """
    out = np.zeros((n, len(CHANNELS)))
    steps = np.zeros((n + 1, len(CHANNELS)))
    for p in pulses:
        i0 = max(0, math.ceil((p.start_s - t0_s) * rate_hz))
        i1 = min(n, math.ceil((p.end_s - t0_s) * rate_hz))
        if i1 > i0:
            t = t0_s + np.arange(i0, i1) / rate_hz
            out[i0:i1, p.channel] += p.displacement((t - p.start_s) / p.duration_s)
        steps[max(i1, 0), p.channel] += p.amplitude
    out += np.cumsum(steps, axis=0)[:n]
    return out
