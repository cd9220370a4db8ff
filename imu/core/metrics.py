"""Per-rep quantities: phase times, ROM, velocities and the quantity behind every label.

Each quantity follows the definitions of the domain brief (``docs/analysis.md`` gives the
table). This module only measures; :mod:`imu.core.labels` turns quantities into labels with
the profile's thresholds, so a researcher can re-threshold the reported quantities.

Times are seconds from the first sample, corrected for the gyro filter's group delay.
Angles are degrees about the movement axis, concentric positive.

Isometric holds (plank): the rep is getting into position (concentric), the hold (top hold)
and the movement that ends it (eccentric). ``rom_deg`` is then the tilt drift over the hold
(negative: hips sagging).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from imu.core.segmentation import RawRep
from imu.exercises import FaultThresholds
from imu.tempo import Tempo

FloatArray = npt.NDArray[np.float64]

# Columns of the signal buffer the analyzer keeps for metrics (shape (k, 5)).
COL_RATE = 0
"""Angular velocity about the movement axis, segmentation band (deg/s)."""
COL_ANGLE = 1
"""Pelvic angle about the movement axis (deg)."""
COL_SIDE = 2
"""Rotation rate about the body's long axis (deg/s)."""
COL_GAP = 3
"""1.0 where samples were lost for too long to fill."""
COL_WIDE = 4
"""Angular velocity about the movement axis, wide band (deg/s): burst shapes and tremor."""
COL_INCLINATION = 5
"""The accelerometer's inclination about the movement axis, low-passed (deg)."""
COL_PENDULUM = 6
"""Hanging: the whole body's swing rate about the bar (deg/s, :mod:`imu.core.pendulum`); 0
for other exercises."""
COL_MOVING = 7
"""Hanging: 1.0 where the pelvis moves and the pendulum rate is not taken out of the pelvic
rate (:mod:`imu.core.pendulum`); 0 elsewhere and for other exercises."""
SIGNAL_COLUMNS = 8

HOLD_SLACK_FRACTION = 0.1
"""A static hold complies when it lasts at least the prescription less this share of it (or
less the tolerance's ``min_s``, if that is more)."""

HOLD_SETTLE_S = 0.5
"""Holds: the tilt drift is measured from this long after getting into position, s."""

SWING_FEATURES = ("early_peak", "fast", "windup")
"""The three swing features of the definitions, in the order of ``swing_feature_flags``."""


@dataclass(frozen=True)
class TempoTolerance:
    """A phase complies when ``|measured - prescribed| <= max(min_s, fraction * prescribed)``."""

    fraction: float = 0.25
    min_s: float = 0.4

    def slack_s(self, prescribed_s: float) -> float:
        """How far a phase may be from ``prescribed_s`` and still comply, s."""
        return max(self.min_s, self.fraction * prescribed_s)

    def ok(self, measured_s: float, prescribed_s: float) -> bool:
        """Whether one phase duration complies."""
        return abs(measured_s - prescribed_s) <= self.slack_s(prescribed_s)


@dataclass(frozen=True)
class RepQuantities:
    """Everything measured on one rep before labelling (units in the names).

    Ratios are dimensionless; ``top_hold_ratio`` is NaN when the prescribed hold is too
    short to judge. For holds, the concentric is getting into position and the eccentric
    getting down.
    """

    set: int
    rep: int
    side: str
    con_start_s: float
    con_end_s: float
    ecc_start_s: float
    ecc_end_s: float
    rom_deg: float
    peak_concentric_dps: float
    mean_concentric_dps: float
    peak_eccentric_dps: float
    mean_eccentric_dps: float
    peak_time_fraction: float
    concentric_ratio: float
    windup_deg: float
    overshoot_deg: float
    eccentric_ratio: float
    top_hold_ratio: float
    arch_deg: float
    rotation_deg: float
    body_swing_deg: float
    drift_deg: float
    shaking_dps: float
    noise_deg: float
    """Peak-to-peak angle in the second before the rep (after the previous one), deg; NaN
    when reps follow each other too closely to see it."""
    tempo_ok: bool
    in_gap: bool


@dataclass(frozen=True)
class Rep:
    """One rep: phases, quantities and labels (seconds from the first sample).

    ``faults`` holds the names of the faults found (a subset of :data:`imu.exercises.FAULTS`).
    ``swing_features`` counts the swing features that hold (early peak, fast, wind-up).
    ``rom_ratio`` is the ROM over the causal reference (NaN for the first rep).
    ``count_confidence`` (0-1) says how clearly the rep stands out of the noise and the
    profile's smallest rep; reps under 0.5 are reported as uncertain.
    ``missed_before``: the pause since the previous rep of the set was much longer than the
    set's rhythm (:attr:`imu.exercises.ExerciseProfile.missed_rep_gap_ratio`): a rep too
    small to see may have been missed there, so the set's count may be short by one.
    """

    set: int
    rep: int
    side: str
    con_start_s: float
    con_end_s: float
    ecc_start_s: float
    ecc_end_s: float
    rom_deg: float
    peak_concentric_dps: float
    mean_concentric_dps: float
    peak_eccentric_dps: float
    mean_eccentric_dps: float
    peak_time_fraction: float
    concentric_ratio: float
    windup_deg: float
    overshoot_deg: float
    swing_features: int
    swing: bool
    eccentric_ratio: float
    top_hold_ratio: float
    rom_ratio: float
    arch_deg: float
    rotation_deg: float
    body_swing_deg: float
    drift_deg: float
    shaking_dps: float
    faults: frozenset[str]
    tempo_ok: bool
    in_gap: bool
    count_confidence: float
    missed_before: bool = False

    @property
    def concentric_s(self) -> float:
        """Concentric duration, s."""
        return self.con_end_s - self.con_start_s

    @property
    def top_hold_s(self) -> float:
        """Top hold duration, s."""
        return self.ecc_start_s - self.con_end_s

    @property
    def eccentric_s(self) -> float:
        """Eccentric duration, s."""
        return self.ecc_end_s - self.ecc_start_s

    @property
    def tut_s(self) -> float:
        """Time under tension (concentric onset to eccentric end), s."""
        return self.ecc_end_s - self.con_start_s


@dataclass(frozen=True)
class RepContext:
    """What :func:`measure_rep` needs besides the rep.

    ``signal`` has shape (k, :data:`SIGNAL_COLUMNS`) with the ``COL_*`` columns; row 0 is
    absolute sample ``signal_start``. ``previous`` is the last rep reported before this one,
    ``earlier`` the one before it.
    ``wide_delay_s`` is the group delay of the wide-band rate (``COL_WIDE``), s.
    ``swing_share`` (hanging with the swing taken out, else None): the session's pooled share
    of the swing left in the pelvic angle, which :func:`measure_rep` updates with the window
    before each rep (one call per rep, in time order).
    """

    tempo: Tempo
    thresholds: FaultThresholds
    sampling_rate_hz: float
    delay_s: float
    wide_delay_s: float
    signal: FloatArray
    signal_start: int
    previous: Rep | None
    set_rest_s: float
    tolerance: TempoTolerance
    isometric: bool
    alternating: bool
    pendulum: bool = False
    earlier: Rep | None = None
    swing_share: SwingShare | None = None


CALM_ACCELERATION_DPS2 = 50.0
"""``body_swing_deg`` of a hanging body is read where the pelvis' angular acceleration is under
this, deg/s^2: a sensor 10 cm from the hip, accelerated tangentially at 50 deg/s^2, tilts the
accelerometer's gravity by 0.5 deg (r alpha / g), a tenth of the body-swing threshold."""

SWING_READ_RATE_DPS = 20.0
"""``body_swing_deg`` is read on the samples where the swing's channel turns slower than this,
deg/s. A swing's angle peaks where its rate is zero, so the peak-to-peak reading keeps every
extreme however large the swing; what it leaves out are the quick spikes of the lever arm's
tilt, tens of deg/s, that a fast rep puts into the channel (a swing at the 5 deg threshold,
2.5 deg amplitude at a 1.5 s period, turns at 10.5 deg/s at most). Tuning seeds 0-99: F1 0.899
to 0.918 with the body still and 0.885 to 0.886 swinging; 10 deg/s lost swings (0.877)."""

NOISE_MOVE_FRACTION = 0.2
"""The angle's noise floor before a rep (``noise_deg``, for ``count_confidence``) is read on
the still stretch of the second before it: up to its wind-up, and after the last sample
whose rate passes this share of the rep's peak rate. The hip flexors' pull on a leg raise's
lowering is released after the legs rest, and a wind-up rocks the pelvis before the rise:
read as noise they made sure reps uncertain (a trial's leg raise: 9 of 20, a 14.5 deg swing
rep among them, so its swing left the advice; 5 of 20 now). Read so wherever there was a
still stretch, the true reps reported uncertain fell 363 -> 233 on tuning seeds 0-29 (7 rep
exercises, streamed), but the thirty-third held-out set showed a dead bug's first movement
made sure (8.6 deg, 3 times its reps) and the second generator 5 more sure extra reps: so
before the first rep, and where the still stretch is short (:data:`NOISE_STILL_MIN_S`), the
whole second is read, as before. As kept: tuning seeds 0-29, uncertain true reps 363 -> 322,
no extra rep; second generator 910000-910019 (chosen), 350 -> 333, sure extras unchanged."""

NOISE_STILL_MIN_S = 0.2
"""The still stretch of :data:`NOISE_MOVE_FRACTION` is read only when it lasts this long, s;
else the whole second, as before: with no quiet moment before a rep (a session read out of
step, reps that run into each other) the movement there is evidence against the count.
Without this floor, the second generator's sessions 600000-600099 gave 5 more sure extra
reps (41 against 36)."""

UNCERTAIN_CONFIDENCE = 0.5
"""A rep whose ``count_confidence`` is below this is reported as uncertain (in the report,
on the screen and by ``imu eval``); alone in a rest, it does not hold the set open."""


def number_rep(
    con_start_s: float, previous: Rep | None, earlier: Rep | None, set_rest_s: float
) -> tuple[int, int]:
    """Set and rep number of a rep starting at ``con_start_s``, s.

    A new set starts after a rest longer than ``set_rest_s`` since the ``previous`` rep
    ended. A small uncertain rep in a rest (``count_confidence`` under 0.5 and under half the
    ROM reference: a shift of position looks like a partial rep) does not bridge it: when
    the quiet before it (since the ``earlier`` rep, the one before the previous) and after it
    add up to more than ``set_rest_s``, a new set starts. The uncertain rep stays where it
    was reported. Reps of full size, sure or not, keep the set going (where the hip sees
    only some reps, such as the hip drives of a standing curl, the gaps are long).
    """
    if previous is None:
        return 1, 1
    gap_s = con_start_s - previous.ecc_end_s
    if gap_s > set_rest_s or (
        earlier is not None
        and previous.count_confidence < UNCERTAIN_CONFIDENCE
        and previous.rom_ratio < 0.5
        and previous.set == earlier.set
        and gap_s + previous.con_start_s - earlier.ecc_end_s > set_rest_s
    ):
        return previous.set + 1, 1
    return previous.set, previous.rep + 1


SEEN_SWING_RANGE = (-0.5, 0.5)
"""Bounds of the pelvic angle's share of the swing channel's angle, ``f / (1 - f)`` with ``f =
1 - L / l_eff`` the share of a hanging body's swing the accelerometer sees (L: bar to sensor,
l_eff: the equivalent pendulum's length; about -0.2 to 0.3)."""


class SwingShare:
    """A hanging session's running fit of the swing left in the pelvic angle.

    The share ``s = f / (1 - f)`` (see :func:`seen_swing`) is a constant of the session: it
    depends on where the sensor sits between the bar and the body's centre of percussion. One
    window's fit is noisy (a short bottom pause, a small swing), so the windows before every
    rep are pooled, each weighted by its swing's power. Fed in time order, one window per
    rep (:func:`measure_rep`); the same reps give the same share however the stream is cut.
    """

    def __init__(self) -> None:
        self._sxy = 0.0  # sum of angle x swing over the windows, deg^2
        self._sxx = 0.0  # sum of swing^2, deg^2

    def update(self, block: FloatArray, sampling_rate_hz: float) -> float:
        """Add the window ``block`` (m, :data:`SIGNAL_COLUMNS`); returns the share so far.

        Bounded by :data:`SEEN_SWING_RANGE`; 0 before any swing was seen.
        """
        if len(block) > 2:
            swing, angle = _still_swing_and_angle(
                np.cumsum(block[:, COL_PENDULUM]) / sampling_rate_hz, block
            )
            self._sxy += float(np.dot(angle, swing))
            self._sxx += float(np.dot(swing, swing))
        return self.share

    @property
    def share(self) -> float:
        """The pooled share, bounded by :data:`SEEN_SWING_RANGE`; 0 with no swing seen."""
        if self._sxx <= 0.0:
            return 0.0
        return min(max(self._sxy / self._sxx, SEEN_SWING_RANGE[0]), SEEN_SWING_RANGE[1])


def seen_swing(block: FloatArray, sampling_rate_hz: float) -> FloatArray:
    """The part of a hanging body's swing left in the pelvic angle, degrees, shape (m,).

    The accelerometer sees a share ``f`` of the swing about the bar, and the swing's channel
    (``COL_PENDULUM``) holds the rest, ``1 - f``; the pelvic angle keeps ``f``. With the
    pelvis at rest before a rep, the angle is a constant plus ``f / (1 - f)`` times the
    channel's angle: fitted by least squares on ``block`` (m, :data:`SIGNAL_COLUMNS`), the
    share bounded by :data:`SEEN_SWING_RANGE`. Zero mean.
    """
    swing = np.cumsum(block[:, COL_PENDULUM]) / sampling_rate_hz
    still_swing, angle = _still_swing_and_angle(swing, block)
    power = float(np.dot(still_swing, still_swing))
    if power <= 0.0:
        return np.zeros(len(block))
    share = min(max(float(np.dot(angle, still_swing)) / power, SEEN_SWING_RANGE[0]),
                SEEN_SWING_RANGE[1])
    return np.asarray(share * (swing - swing.mean()), dtype=np.float64)


def read_body_swing(window: FloatArray, sampling_rate_hz: float) -> float:
    """Peak-to-peak angle of the swing's channel over ``window``, degrees.

    ``window``: the signal rows before a rep's onset, shape (m, :data:`SIGNAL_COLUMNS`).
    Read where the pelvis is calm (:data:`CALM_ACCELERATION_DPS2`) and the channel turns
    slower than :data:`SWING_READ_RATE_DPS`, and without the moving stretch the window ends
    in: the rep's own start is no swing (the accelerometer's band feels a fast rise before
    the onset is crossed). 0 with fewer than two such samples. The channel holds ``1 - f``
    of the swing; :func:`measure_rep` scales it to the whole swing.
    """
    window = _before_own_move(window)
    swing_deg = np.cumsum(window[:, COL_PENDULUM]) / sampling_rate_hz
    rate = window[:, COL_RATE]
    accel = np.abs(np.diff(rate, prepend=rate[:1])) * sampling_rate_hz
    read = swing_deg[(accel < CALM_ACCELERATION_DPS2)
                     & (np.abs(window[:, COL_PENDULUM]) < SWING_READ_RATE_DPS)]
    return float(np.ptp(read)) if len(read) > 1 else 0.0


def _before_own_move(window: FloatArray) -> FloatArray:
    """``window`` less the moving stretch (``COL_MOVING``) it ends in, if any.

    ``window``: shape (m, :data:`SIGNAL_COLUMNS`); returns shape (k, SIGNAL_COLUMNS), k <= m.
    """
    if not len(window) or window[-1, COL_MOVING] == 0.0:
        return window
    still = np.flatnonzero(window[:, COL_MOVING] == 0.0)
    return window[: int(still[-1]) + 1 if len(still) else 0]


def _still_swing_and_angle(swing: FloatArray, block: FloatArray
                           ) -> tuple[FloatArray, FloatArray]:
    """The swing's angle and the pelvic angle where the pelvis is still, each less its mean.

    Only there does the pelvic angle hold the swing's seen share alone (where the pelvis
    moves it keeps the whole swing, :data:`COL_MOVING`).

    Args:
        swing: shape (m,), the swing channel's angle over ``block``, deg.
        block: shape (m, :data:`SIGNAL_COLUMNS`).

    Returns:
        Both of shape (k,), k <= m.

    """
    still = block[:, COL_MOVING] == 0.0
    swing, angle = swing[still], block[still, COL_ANGLE]
    if not len(swing):
        return swing, angle
    return swing - swing.mean(), angle - angle.mean()


RESUME_MARGIN_S = 0.15
"""A rep whose concentric's first run starts within this of where the data resumes (the
stream's first sample, or the end of a data gap) was already moving when the data began, s:
the filtered rate climbs from the gap's zero over a few samples (the 6 Hz low-pass reaches
the dead band in well under 0.1 s), so a rise under way crosses within this, while a rep
begun from rest after the data resumed starts later. A movement under way at the resume
just before a rep (the lowering of a rep lost in the gap) is not the rep's: the rep is
judged, and its wind-up and body swing are looked for after that movement
(:func:`_after_resume`)."""


def _began_before_data(raw: RawRep, ctx: RepContext,
                       rows: Callable[[float, float], FloatArray]) -> bool:
    """Whether ``raw`` was already under way where the data began or resumed after a gap.

    Its start and so its concentric time and ROM are unknown, as over a gap: the stream
    began mid-rise (the sensor connected, or ``--from`` cut into a rep), or the rise began
    in a data gap. ``rows(a, b)``: the signal rows of the fractional sample span [a, b].
    """
    fs = ctx.sampling_rate_hz
    first_run = raw.concentric[0].run_start
    margin = RESUME_MARGIN_S * fs
    # The signal runs delay_s behind the input: its first rows hold the filters starting.
    if first_run <= ctx.delay_s * fs + margin:
        return True
    return bool(rows(first_run - margin, first_run)[:, COL_GAP].any())


RESUME_SEARCH_S = 3.5
"""How far before a rep's onset a data gap or the stream's start is looked for, s (after a
rep, not before its end): the movement under way where the data resumed may outlast the
wind-up look-back. Within the rows the analyzer keeps before an open movement
(:attr:`imu.core.analyzer.AnalyzerParams.context_s`, 4 s), so that however the stream is cut
the same rows are read."""


def _after_resume(look_from: float, onset: float, ctx: RepContext, peak_dps: float,
                  rows: Callable[[float, float], FloatArray], at_start: bool = True) -> float:
    """Where the wind-up look-back may start, given that it would start at ``look_from``.

    Not before the data resumed (the stream's first sample, or the end of a data gap since
    the previous rep), nor during the movement under way there: with the rep before the gap
    lost, what moved at the resume is its lowering, not a counter-movement of this rep nor
    a swing of the body (a crunch's lowering resumed 1 s before its end read as an 8 deg
    wind-up).

    Args:
        look_from: fractional sample index where the look-back would start.
        onset: fractional sample index of the concentric onset.
        ctx: the rep's context (rate, delay, the previous rep).
        peak_dps: the rep's peak concentric rate; a sample turning slower than
            :data:`NOISE_MOVE_FRACTION` of it is still.
        rows: the signal rows of the fractional sample span [a, b].
        at_start: the stream's start counts as a resume too (else only a data gap's end).

    Returns:
        A fractional sample index in ``[look_from, onset]``.

    """
    fs = ctx.sampling_rate_hz
    prev = ctx.previous
    # The movement under way at a resume may have begun before look_from.
    since = onset - RESUME_SEARCH_S * fs
    if prev is not None:
        since = max(since, (prev.ecc_end_s + ctx.delay_s) * fs)
    since = min(since, look_from)
    first_row = max(math.floor(since), ctx.signal_start)
    lost = np.flatnonzero(rows(since, onset)[:, COL_GAP])
    if len(lost):
        resume = first_row + int(lost[-1]) + 1
    elif at_start and first_row <= (ctx.delay_s + RESUME_MARGIN_S) * fs:
        resume = first_row  # the stream began since
    else:
        return look_from
    moving = np.abs(rows(resume, onset)[:, COL_RATE]) > NOISE_MOVE_FRACTION * peak_dps
    # The filtered rate climbs from the gap's zero: a movement under way at the resume is
    # moving within RESUME_MARGIN_S of it, and is over at its first still sample after.
    first = np.flatnonzero(moving[: math.ceil(RESUME_MARGIN_S * fs) + 1])
    if not len(first):
        return max(float(resume), look_from)
    still = np.flatnonzero(~moving[int(first[0]):])
    begin = float(resume + int(first[0]) + int(still[0])) if len(still) else onset
    return min(max(begin, look_from), onset)


def rom_of(raw: RawRep, signal: FloatArray, signal_start: int) -> float:
    """ROM of a rep: highest angle before the eccentric minus the angle at onset, degrees."""
    a = max(int(raw.con_start) - signal_start, 0)
    b = min(math.ceil(raw.ecc_start) - signal_start + 1, len(signal))
    angle = signal[a:b, COL_ANGLE]
    return float(angle.max() - angle[0]) if len(angle) else 0.0


def windup_of(angle: FloatArray, onset: int, window: int) -> tuple[float, int]:
    """Largest drop ``angle[a] - angle[b]`` with ``a < b``, ``b >= onset - window``.

    Args:
        angle: shape (k,), degrees; the last sample is the onset of the concentric.
        onset: index of the onset in ``angle`` (``k - 1``).
        window: the drop must end at most this many samples before the onset.

    Returns:
        The drop in degrees (0 if none) and the index ``a`` where it started.

    """
    if len(angle) < 2:
        return 0.0, onset
    run_max = np.maximum.accumulate(angle)
    drop = run_max - angle
    lo = max(onset - window, 0)
    b = lo + int(np.argmax(drop[lo:]))
    size = float(drop[b])
    if size <= 0.0:
        return 0.0, onset
    a = int(np.argmax(angle[: b + 1]))
    return size, a


def measure_rep(raw: RawRep, ctx: RepContext) -> RepQuantities:
    """Every quantity of one rep (see the module docstring and ``docs/analysis.md``)."""
    fs, tempo, th = ctx.sampling_rate_hz, ctx.tempo, ctx.thresholds
    sig, s0 = ctx.signal, ctx.signal_start

    def sec(index: float) -> float:
        return index / fs - ctx.delay_s

    def rows(a: float, b: float) -> FloatArray:
        lo = min(max(math.floor(a) - s0, 0), len(sig))
        hi = min(max(math.ceil(b) - s0 + 1, lo), len(sig))
        return sig[lo:hi]

    # Where the lowering follows the rise with no hold, the two lobes' edges may share the
    # sample between them (each edge is interpolated within a sample of its own run): they
    # meet halfway, so the top hold is never negative.
    con_end, ecc_start = raw.con_end, raw.ecc_start
    if ecc_start < con_end:
        con_end = ecc_start = 0.5 * (con_end + ecc_start)
    con_start_s, con_end_s = sec(raw.con_start), sec(con_end)
    ecc_start_s, ecc_end_s = sec(ecc_start), sec(raw.ecc_end)
    concentric_s = con_end_s - con_start_s
    top_hold_s = ecc_start_s - con_end_s
    eccentric_s = ecc_end_s - ecc_start_s

    prev = ctx.previous
    set_no, rep_no = number_rep(con_start_s, prev, ctx.earlier, ctx.set_rest_s)

    rom = rom_of(raw, sig, s0)
    con_rows = rows(raw.con_start, con_end)
    ecc_rows = rows(ecc_start, raw.ecc_end)
    peak_con = max(lobe.peak_dps for lobe in raw.concentric)
    peak_ecc = -min(lobe.peak_dps for lobe in raw.eccentric)
    # np.add.reduce / n is what .mean() computes, without its overhead per call.
    n_con, n_ecc = len(con_rows), len(ecc_rows)
    mean_con = float(np.add.reduce(con_rows[:, COL_RATE])) / n_con if n_con else 0.0
    mean_ecc = -float(np.add.reduce(ecc_rows[:, COL_RATE])) / n_ecc if n_ecc else 0.0

    # Swing quantities. The peak is found on the wide-band rate (the segmentation band
    # smears a short burst towards its middle), in its own time base.
    if len(con_rows):
        lo = min(max(math.floor(raw.con_start) - s0, 0), len(sig))
        k = int(np.argmax(con_rows[:, COL_WIDE]))
        peak_s = (s0 + lo + k) / fs - ctx.wide_delay_s
        peak_frac = min(max((peak_s - con_start_s) / max(concentric_s, 1e-9), 0.0), 1.0)
    else:
        peak_frac = 0.5
    onset = raw.con_start
    look_from = onset - th.windup_lookback_s * fs
    if prev is not None:
        look_from = max(look_from, (prev.ecc_end_s + ctx.delay_s) * fs)
    look_from = _after_resume(look_from, onset, ctx, peak_con, rows)
    before = rows(look_from, onset)[:, COL_ANGLE]
    if ctx.pendulum and len(before) > 2:
        before = before - seen_swing(rows(look_from, onset), fs)
    window = round(th.windup_window_s * fs)
    windup_deg, windup_at = windup_of(before, len(before) - 1, window)
    first_row = min(max(math.floor(look_from), s0), s0 + len(sig))
    windup_start = first_row + windup_at if windup_deg > 0 else onset
    overshoot_deg = -raw.overshoot.rotation_deg if raw.overshoot else 0.0
    concentric_ratio = concentric_s / tempo.concentric_s

    # Fault quantities.
    eccentric_ratio = eccentric_s / tempo.eccentric_s
    top_hold_ratio = (
        top_hold_s / tempo.top_hold_s
        if tempo.top_hold_s >= th.short_hold_min_prescribed_s
        else math.nan
    )
    rep_rows = rows(raw.con_start, raw.ecc_end)
    arch_deg = (
        float(rep_rows[0, COL_ANGLE] - rep_rows[:, COL_ANGLE].min()) if len(rep_rows) else 0.0
    )
    side_turn = np.cumsum(rep_rows[:, COL_SIDE]) / fs if len(rep_rows) else np.zeros(1)
    rotation_deg = float(max(side_turn.max(), 0.0) - min(side_turn.min(), 0.0))
    if ctx.pendulum:
        # The swing's own angle over the whole window, through the previous rep's lowering:
        # the pelvic curl is already out of this channel.
        # Only where the pelvis is not accelerating: the curl's angular acceleration acts on
        # the sensor's lever arm and tilts the accelerometer's gravity for that moment,
        # which the swing's channel reads as swing (an instantaneous error, not a drift).
        # After a data gap, from the end of the movement under way there (the lost rep's
        # lowering read as a 30 deg swing); the stream's start is left as it was read.
        swing_from = _after_resume(onset - th.body_swing_window_s * fs, onset, ctx, peak_con,
                                   rows, at_start=False)
        body_swing_deg = read_body_swing(rows(swing_from, onset), fs)
        # The channel holds 1 - f of the swing and the pelvic angle the share f / (1 - f)
        # of the channel: the whole swing is the channel times 1 + that share.
        if ctx.swing_share is not None:
            share = ctx.swing_share.update(rows(look_from, onset), fs)
            body_swing_deg *= 1.0 + share
    else:
        hang_from = onset - th.body_swing_window_s * fs
        if prev is not None:
            hang_from = max(hang_from, (prev.ecc_end_s + ctx.delay_s) * fs)
        hang_from = _after_resume(hang_from, onset, ctx, peak_con, rows)
        hang = rows(hang_from, min(windup_start, onset))[:, COL_ANGLE]
        body_swing_deg = float(np.ptp(hang)) if len(hang) > 1 else 0.0
    # The floor the rep stands on: the angle's spread in the second before it, after the
    # previous rep ended; unknown (NaN) when reps follow too closely to see it.
    quiet_from = onset - fs
    if prev is not None:
        quiet_from = max(quiet_from, (prev.ecc_end_s + ctx.delay_s) * fs)
    # After a rep, only the still stretch: up to the wind-up, and after the last movement in
    # the second (the release of the previous lowering's arch), which is no noise, when that
    # stretch lasts NOISE_STILL_MIN_S. Before the first rep a movement in that second
    # (getting into position) stays evidence, and so does one with no quiet moment after it.
    quiet = rows(quiet_from, onset)[:, COL_ANGLE]
    noise_deg = float(np.ptp(quiet)) if len(quiet) >= 0.5 * fs else math.nan
    if prev is not None:
        block = rows(quiet_from, min(windup_start, onset))
        moved = np.flatnonzero(np.abs(block[:, COL_RATE]) > NOISE_MOVE_FRACTION * peak_con)
        still = block[int(moved[-1]) + 1:, COL_ANGLE] if len(moved) else block[:, COL_ANGLE]
        if len(still) >= NOISE_STILL_MIN_S * fs:
            noise_deg = float(np.ptp(still))

    drift_deg = math.nan
    shaking_dps = math.nan
    if ctx.isometric:
        hold = rows(con_end, ecc_start)
        settle = min(round(HOLD_SETTLE_S * fs), max(len(hold) - 3, 0))
        if len(hold) > 2:
            # A held body is static: gravity gives its tilt directly, free of the drift that
            # integrating a shaking pelvis' rates about one axis would add (coning). The
            # reference is taken once the accelerometer's low-pass has settled.
            excursion = hold[settle:, COL_INCLINATION] - hold[settle, COL_INCLINATION]
            drift_deg = float(excursion[int(np.argmax(np.abs(excursion)))])
            w = hold[:, COL_WIDE]
            shaking_dps = float(np.sqrt(np.mean((w - w.mean()) ** 2)))
        else:
            drift_deg, shaking_dps = 0.0, 0.0
        rom = drift_deg

    side = ""
    if ctx.alternating and len(side_turn):
        extreme = side_turn[int(np.argmax(np.abs(side_turn)))]
        side = "left" if extreme > 0 else "right"

    tol = ctx.tolerance
    if ctx.isometric:  # a hold complies when it lasts at least the prescription
        tempo_ok = top_hold_s >= tempo.top_hold_s - max(
            tol.min_s, HOLD_SLACK_FRACTION * tempo.top_hold_s
        )
    else:
        tempo_ok = (
            tol.ok(concentric_s, tempo.concentric_s)
            and tol.ok(top_hold_s, tempo.top_hold_s)
            and tol.ok(eccentric_s, tempo.eccentric_s)
        )
    in_gap = bool(len(rep_rows) and rep_rows[:, COL_GAP].any()) or _began_before_data(
        raw, ctx, rows)
    return RepQuantities(
        set=set_no,
        rep=rep_no,
        side=side,
        con_start_s=con_start_s,
        con_end_s=con_end_s,
        ecc_start_s=ecc_start_s,
        ecc_end_s=ecc_end_s,
        rom_deg=rom,
        peak_concentric_dps=float(peak_con),
        mean_concentric_dps=mean_con,
        peak_eccentric_dps=float(peak_ecc),
        mean_eccentric_dps=mean_ecc,
        peak_time_fraction=peak_frac,
        concentric_ratio=concentric_ratio,
        windup_deg=windup_deg,
        overshoot_deg=overshoot_deg,
        eccentric_ratio=eccentric_ratio,
        top_hold_ratio=top_hold_ratio,
        arch_deg=arch_deg,
        rotation_deg=rotation_deg,
        body_swing_deg=body_swing_deg,
        drift_deg=drift_deg,
        shaking_dps=shaking_dps,
        noise_deg=noise_deg,
        tempo_ok=bool(tempo_ok),
        in_gap=in_gap,
    )


def median_of(values: Sequence[float]) -> float:
    """Median of ``values``; NaN when empty or when one is NaN (as ``np.median``).

    In plain Python: it is taken once per rep over a few values, where ``np.median``'s
    overhead is most of the cost. The same bits: the middle value, or the two middle ones'
    sum halved.
    """
    n = len(values)
    if not n or any(math.isnan(v) for v in values):
        return math.nan
    ordered = sorted(values)
    half = n // 2
    return float(ordered[half]) if n % 2 else float((ordered[half - 1] + ordered[half]) / 2.0)
