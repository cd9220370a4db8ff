"""Smooth movement pulses of several velocity shapes, and the 10%-of-peak duration convention.

A pulse moves one kinematic channel (an angle in rad, or a height in m) by ``amplitude``
between ``start_s`` and ``start_s + duration_s``. Its velocity profile over the normalised
time ``tau in [0, 1]`` has one of these shapes (``kind``; ``a``, ``b`` are its parameters):

==========  ===========================================================================
kind        velocity profile v(tau) (scaled so that the displacement is ``amplitude``)
==========  ===========================================================================
beta        ``tau**a * (1 - tau)**b``: a bell; ``a = b = 2`` is exactly minimum jerk
            (``10 tau^3 - 15 tau^4 + 6 tau^5``); ``a < b`` peaks early
twosided    rises as a quintic smoothstep to its peak at ``tau = a``, falls as a mirrored
            one: the peak lies at exactly the fraction ``a`` of the 10% span
plateau     smoothstep ramps of ``a`` of the time each side and a cruise between them,
            with a 6% hump centred at ``tau = b`` so that the peak is well defined
sine        ``sin(pi tau)``: a half sine (acceleration jumps at the ends)
coast       a smoothstep burst up to ``tau = a``, then a coasting deceleration
            ``(1 - x**b)**2`` (``x`` the normalised time after the peak)
==========  ===========================================================================

Position and velocity start and end at zero velocity. Non-beta shapes are integrated on a
dense table and interpolated with cubic Hermite polynomials, so that second differences of
positions (the accelerometer's lever-arm terms) stay smooth.

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


SHAPE_KINDS = ("beta", "twosided", "plateau", "sine", "coast")
"""Velocity shapes a pulse can have (see the module table)."""

_TABLE_N = 4001


def smoothstep5(x: FloatArray) -> FloatArray:
    """Quintic smoothstep ``10 x^3 - 15 x^4 + 6 x^5`` of ``x`` clipped to [0, 1]."""
    x = np.clip(x, 0.0, 1.0)
    return np.asarray(x**3 * (10.0 - 15.0 * x + 6.0 * x**2))


def velocity_shape(kind: str, a: float, b: float, tau: FloatArray) -> FloatArray:
    """Unnormalised velocity profile of a pulse shape at ``tau`` in [0, 1]; shape of ``tau``."""
    tau = np.clip(np.asarray(tau, dtype=float), 0.0, 1.0)
    if kind == "beta":
        return np.asarray(tau**a * (1.0 - tau) ** b)
    if kind == "twosided":
        return np.where(tau < a, smoothstep5(tau / a), smoothstep5((1.0 - tau) / (1.0 - a)))
    if kind == "plateau":
        ramps = np.minimum(smoothstep5(tau / a), smoothstep5((1.0 - tau) / a))
        return np.asarray(ramps * (1.0 - 0.06 * ((tau - b) / 0.5) ** 2))
    if kind == "sine":
        return np.asarray(np.sin(np.pi * tau))
    if kind == "coast":
        x = np.clip((tau - a) / (1.0 - a), 0.0, 1.0)
        return np.where(tau < a, smoothstep5(tau / a), (1.0 - x**b) ** 2)
    raise ValueError(f"unknown pulse shape {kind!r}; choose one of {', '.join(SHAPE_KINDS)}")


@dataclass(frozen=True)
class _Table:
    """A shape integrated on a dense grid: velocity and displacement, both normalised."""

    velocity: FloatArray  # d displacement / d tau, integrates to 1
    displacement: FloatArray  # 0 -> 1
    conv_lo: float
    conv_hi: float
    peak: float


@lru_cache(maxsize=64)
def _table(kind: str, a: float, b: float) -> _Table:
    tau = np.linspace(0.0, 1.0, _TABLE_N)
    v = velocity_shape(kind, a, b, tau)
    h = 1.0 / (_TABLE_N - 1)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * h * (v[1:] + v[:-1]))])
    total = float(cum[-1])
    v, cum = v / total, cum / total
    i_peak = int(np.argmax(v))
    level = THRESHOLD_FRACTION * v[i_peak]
    below = np.flatnonzero(v[:i_peak] < level)
    j = int(below[-1])
    lo = (j + (level - v[j]) / (v[j + 1] - v[j])) * h
    after = i_peak + np.flatnonzero(v[i_peak:] < level)
    k = int(after[0])
    hi = (k - 1 + (v[k - 1] - level) / (v[k - 1] - v[k])) * h
    return _Table(v, cum, float(lo), float(hi), i_peak * h)


def _hermite(table: _Table, tau: FloatArray) -> FloatArray:
    """Displacement at ``tau`` by cubic Hermite interpolation of the table (C1 in tau)."""
    n = _TABLE_N - 1
    x = np.clip(tau, 0.0, 1.0) * n
    i = np.minimum(x.astype(np.int64), n - 1)
    t = x - i
    h = 1.0 / n
    t2, t3 = t * t, t * t * t
    d, v = table.displacement, table.velocity
    return np.asarray(
        (2 * t3 - 3 * t2 + 1) * d[i]
        + (t3 - 2 * t2 + t) * h * v[i]
        + (-2 * t3 + 3 * t2) * d[i + 1]
        + (t3 - t2) * h * v[i + 1]
    )


@dataclass(frozen=True)
class Pulse:
    """One smooth movement of one channel.

    Attributes:
        channel: index into :data:`CHANNELS` (0 tilt, 1 obliquity, 2 rotation: rad; 3 height: m).
        start_s: time the movement starts (velocity leaves zero), s.
        duration_s: full movement time (support of the velocity profile), s.
        amplitude: total change of the channel (rad or m, signed).
        a: first shape parameter (beta: rising-side exponent, 2 = minimum jerk; see the
            module table for the other kinds).
        b: second shape parameter (beta: falling-side exponent).
        kind: velocity shape, one of :data:`SHAPE_KINDS`.

    """

    channel: int
    start_s: float
    duration_s: float
    amplitude: float
    a: float = 2.0
    b: float = 2.0
    kind: str = "beta"

    @property
    def end_s(self) -> float:
        """Time the movement ends, s."""
        return self.start_s + self.duration_s

    @property
    def convention_span_s(self) -> tuple[float, float]:
        """Start and end times of the 10%-of-peak span of this pulse alone, s."""
        lo, hi = convention_fraction(self.a, self.b, self.kind)
        return self.start_s + lo * self.duration_s, self.start_s + hi * self.duration_s

    def displacement(self, tau: FloatArray) -> FloatArray:
        """Channel change at normalised times ``tau`` (clipped to [0, 1]); shape of ``tau``."""
        if self.kind == "beta":
            return self.amplitude * betainc(self.a + 1.0, self.b + 1.0, np.clip(tau, 0.0, 1.0))
        return self.amplitude * _hermite(_table(self.kind, self.a, self.b), tau)


def _density(tau: float, a: float, b: float) -> float:
    return float(tau**a * (1.0 - tau) ** b)


@lru_cache(maxsize=4096)
def convention_fraction(a: float, b: float, kind: str = "beta") -> tuple[float, float]:
    """Normalised times where the velocity profile crosses 10% of its peak (rising, falling).

    For ``a = b = 2`` (minimum jerk) this is ``(0.0865, 0.9135)``: the 10% span is 0.827 of
    the movement time.
    """
    if kind != "beta":
        table = _table(kind, a, b)
        return table.conv_lo, table.conv_hi
    peak = a / (a + b)
    level = THRESHOLD_FRACTION * _density(peak, a, b)
    lo = brentq(lambda x: _density(x, a, b) - level, 0.0, peak, xtol=1e-12)
    hi = brentq(lambda x: _density(x, a, b) - level, peak, 1.0, xtol=1e-12)
    return float(lo), float(hi)


def relative_peak_time(a: float, b: float, kind: str = "beta") -> float:
    """Where the velocity peak lies within the 10% span, as a fraction of it (0.5 = centred)."""
    lo, hi = convention_fraction(a, b, kind)
    peak = a / (a + b) if kind == "beta" else _table(kind, a, b).peak
    return (peak - lo) / (hi - lo)


def skew_for_peak(peak_fraction: float, a: float = 1.3) -> float:
    """The beta exponent ``b`` that puts the velocity peak at ``peak_fraction`` of the 10% span.

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


def coast_for_peak(peak_fraction: float, b: float) -> float:
    """The burst fraction ``a`` of a ``coast`` pulse with its peak at ``peak_fraction``.

    ``peak_fraction`` is relative to the 10% span; about 0.05-0.6 is reachable for ``b``
    in 1-2.
    """
    return float(
        brentq(lambda a: relative_peak_time(a, b, "coast") - peak_fraction, 0.02, 0.9,
               xtol=1e-6)
    )


def pulse_for_convention(
    channel: int,
    conv_start_s: float,
    conv_duration_s: float,
    amplitude: float,
    a: float = 2.0,
    b: float = 2.0,
    kind: str = "beta",
) -> Pulse:
    """A pulse whose 10%-convention span is ``[conv_start_s, conv_start_s + conv_duration_s]``.

    Args:
        channel: channel index (see :data:`CHANNELS`).
        conv_start_s: where the velocity should cross 10% of peak on the way up, s.
        conv_duration_s: wanted convention-measured duration, s (> 0).
        amplitude: total change (rad or m).
        a: first shape parameter (beta: rising-side exponent, 2 = minimum jerk).
        b: second shape parameter (beta: falling-side exponent).
        kind: velocity shape, one of :data:`SHAPE_KINDS`.

    """
    lo, hi = convention_fraction(a, b, kind)
    duration = conv_duration_s / (hi - lo)
    return Pulse(channel, conv_start_s - lo * duration, duration, amplitude, a, b, kind)


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
    out += np.cumsum(steps, axis=0, out=steps)[:n]  # in place: one long array less
    return out
