"""The one rep analyzer used live and offline: causal, stateful, chunk-invariant.

Signal path (each step documented where it is computed):

1. **Gaps**: NaN runs up to ``max_interp_s`` (0.6 s: a lost BLE frame or two; rep movements
   are below 3 Hz, so a straight line bridges them) are interpolated (the output waits for the
   sample after the run); longer runs hold the last value and are flagged: the gyro reads
   zero there and reps overlapping them are marked ``in_gap``.
2. **Filters**: gyroscope low-pass, 2nd-order Butterworth at ``gyro_cutoff_hz`` (6 Hz: rep
   movements are below 3 Hz and leg tosses below 5 Hz, sensor noise and tremor above);
   accelerometer low-pass at ``acc_cutoff_hz`` (1.5 Hz) for the gravity direction. The
   gyro filter's low-frequency group delay is subtracted from reported times.
3. **Still periods and gyro bias**: a sample is still when, over the last ``still_window_s``,
   every gyro axis spans less than ``still_gyro_range_dps`` and every accelerometer axis less
   than ``still_acc_range_ms2`` (or twice the quietest window seen so far, for coarse or noisy
   sensors, up to ``still_gyro_range_max_dps`` and ``still_acc_range_max_ms2``). The bias is
   the mean gyro over the latest still window and is re-estimated at
   every still period of the session (holds, pauses, rests). Before the first still period
   it is the mean over the last ``fallback_bias_window_s``: reps return to where they
   started, so their rotation averages out.
4. **Movement axis and sign**: the principal axis of the bias-corrected angular velocity,
   ``argmax_u sum (u . w)^2`` over moving samples, fixed at the first quiet sample after the
   pelvis has rotated ``profile.lock_rotation_deg`` in total (about two reps); its sign makes
   the median excursion from the starting posture positive (the concentric direction);
   for holds, the first clear excursion (getting into position) is positive. For
   alternating exercises (dead bug, bird-dog) the axis is the mean excursion from the
   starting posture instead, made horizontal: the side-to-side rotation alternates and
   averages out over the lock window (about eight reps). The sensor is clipped on once per
   session, so the axis is the same for every set. Reps before the lock are reported at it.
5. **Pelvic angle** about the axis: gyro integration fused with the accelerometer's
   inclination about the same axis by a complementary filter with time constant
   ``angle_time_constant_s`` (bounded drift over any session length).
6. **Lobes, reps, phases**: :mod:`imu.core.segmentation`.
7. **Metrics and faults**: :mod:`imu.core.metrics`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, group_delay, lfilter

from imu.core.metrics import REFERENCE_REPS, Rep, RepContext, TempoTolerance, rep_metrics, rom_of
from imu.core.segmentation import Lobe, LobeFinder, RawRep, RepAssembler, SegmenterParams
from imu.core.stream import GapFiller, SosFilter, WindowMean, WindowRange
from imu.errors import AnalysisError
from imu.exercises import ExerciseProfile
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

RAD2DEG = 180.0 / math.pi


@dataclass(frozen=True)
class AnalyzerParams:
    """Signal-processing parameters (units in the names). Defaults suit every profile."""

    gyro_cutoff_hz: float = 6.0
    acc_cutoff_hz: float = 1.5
    max_interp_s: float = 0.6
    still_window_s: float = 1.0
    still_gyro_range_dps: float = 0.6
    still_acc_range_ms2: float = 0.06
    still_gyro_range_max_dps: float = 4.0
    """However coarse the sensor, a window spanning more than this is movement, deg/s."""
    still_acc_range_max_ms2: float = 0.5
    """However coarse the sensor, a window spanning more than this is movement, m/s^2."""
    get_down_acc_ms2: float = 0.3
    """Holds: an accelerometer span (1 s window) above this is getting down, m/s^2."""
    get_down_s: float = 3.0
    """Holds: a rest this soon after getting down ends the hold, seconds."""
    fallback_bias_window_s: float = 10.0
    """Until a still period is seen, the gyro bias is its mean over this window, seconds."""
    angle_time_constant_s: float = 5.0
    set_rest_s: float = 15.0
    """A pause longer than this between reps starts a new set, seconds."""
    context_s: float = 4.0
    """Signal kept before a rep for its metrics (wind-up, body swing), seconds."""
    phase_fraction: float = 0.10
    tempo_tolerance: TempoTolerance = field(default_factory=TempoTolerance)


@dataclass
class _Locked:
    axis: FloatArray  # (3,) unit, sensor frame, concentric positive
    side_axis: FloatArray  # (3,) unit, the horizontal axis perpendicular to it
    up_ref: FloatArray  # (3,) unit, up direction at the start of the session
    ref_perp: FloatArray  # (3,) up_ref projected perpendicular to axis, unit


class RepAnalyzer:
    """Finds reps, phases, metrics and faults in a stream of IMU samples.

    Parameters are set here and never changed; results accumulate in ``reps_``. Feed samples
    with :meth:`update` (any chunk size, including one chunk for a whole file) and call
    :meth:`finish` at the end. Both return the reps completed by that call.

    Args:
        profile: the exercise profile.
        sampling_rate_hz: rate of the samples, Hz (explicit, never guessed).
        tempo: prescription; defaults to the profile's.
        params: signal-processing parameters.
        keep_trace: keep the per-sample pelvic angle for plots (``trace_``).

    """

    def __init__(
        self,
        profile: ExerciseProfile,
        sampling_rate_hz: float,
        tempo: Tempo | None = None,
        params: AnalyzerParams | None = None,
        keep_trace: bool = False,
    ) -> None:
        if not math.isfinite(sampling_rate_hz) or sampling_rate_hz < 10:
            raise AnalysisError(
                f"sampling_rate_hz must be at least 10 Hz, got {sampling_rate_hz}; pass the "
                "sensor's output data rate"
            )
        self.profile = profile
        self.sampling_rate_hz = float(sampling_rate_hz)
        self.tempo = tempo or profile.default_tempo
        self.params = params or AnalyzerParams()
        self.keep_trace = keep_trace
        p, fs = self.params, self.sampling_rate_hz
        self._dt = 1.0 / fs
        nyq = 0.5 * fs
        gyro_sos = butter(2, min(p.gyro_cutoff_hz, 0.8 * nyq) / nyq, output="sos")
        acc_sos = butter(2, min(p.acc_cutoff_hz, 0.8 * nyq) / nyq, output="sos")
        self.delay_s = self._low_frequency_delay(gyro_sos, fs)
        self._gaps = GapFiller(max(1, round(p.max_interp_s * fs)), 6)
        self._gyro_lp = SosFilter(gyro_sos)
        self._acc_lp = SosFilter(acc_sos)
        win = max(2, round(p.still_window_s * fs))
        self._gyro_range = WindowRange(win, 3)
        self._acc_range = WindowRange(win, 3)
        self._gyro_mean = WindowMean(win, 3)
        self._gyro_long_mean = WindowMean(max(2, round(p.fallback_bias_window_s * fs)), 3)
        self._bias = np.zeros(3)
        self._seen_still = False
        self._g_floor = math.inf
        self._a_floor = math.inf
        self._n_in = 0  # samples released by the gap filler so far
        # Before the axis lock: everything is buffered.
        self._pre: list[tuple[FloatArray, FloatArray, BoolArray]] = []
        self._rotation_q = 0  # integer-quantised total rotation, units of _ROT_Q rad
        self._lock_q = round(math.radians(profile.lock_rotation_deg) / _ROT_Q)
        self._active_rads = math.radians(0.5 * profile.min_velocity_dps)
        self._locked: _Locked | None = None
        # After the lock.
        k = min(1.0, self._dt / p.angle_time_constant_s)
        self._angle_k = k  # complementary-filter weight of the accelerometer per sample
        self._angle_zi: FloatArray | None = None
        self._acc_angle_prev: float | None = None
        seg = SegmenterParams(
            sampling_rate_hz=fs,
            min_velocity_dps=profile.min_velocity_dps,
            min_rom_deg=profile.min_rom_deg,
            phase_fraction=p.phase_fraction,
            rest_reset_s=p.set_rest_s,
            isometric=profile.isometric,
            reject_below_rest="back_arch" in profile.faults,
            reject_pendulum="body_swing" in profile.faults,
            max_top_s=600.0 if profile.isometric else 30.0,
        )
        self._lobes = LobeFinder(seg)
        self._assembler = RepAssembler(seg)
        self._was_still = False
        self._was_burst = False
        self._burst_start: int | None = None
        self._burst_end = -(10**12)
        self._rest_starts: list[tuple[int, int]] = []  # (get-down start, rest start) samples
        # Rolling signal buffer for metrics: columns w (deg/s), angle (deg), side rate (deg/s),
        # long-gap flag; absolute index of row 0 in _sig_start.
        self._sig = np.empty((0, 4))
        self._sig_start = 0
        self._trace: list[FloatArray] = []
        self.reps_: list[Rep] = []
        self._finished = False

    # ------------------------------------------------------------------ public API
    def update(self, acc: FloatArray, gyr: FloatArray) -> list[Rep]:
        """Feed the next samples; returns reps completed by them.

        Args:
            acc: shape (m, 3), specific force, m/s^2, sensor frame; NaN for missing samples.
            gyr: shape (m, 3), angular velocity, rad/s, sensor frame; NaN for missing samples.

        """
        if self._finished:
            raise AnalysisError("update() after finish(); create a new RepAnalyzer")
        acc = np.asarray(acc, dtype=np.float64)
        gyr = np.asarray(gyr, dtype=np.float64)
        if acc.ndim != 2 or acc.shape[1] != 3 or gyr.shape != acc.shape:
            raise AnalysisError(
                f"acc and gyr must both have shape (m, 3); got {acc.shape} and {gyr.shape}"
            )
        x, gap = self._gaps(np.hstack((acc, gyr)))
        return self._process(x, gap)

    def finish(self) -> list[Rep]:
        """Flush held-back samples and close the stream; returns the last reps."""
        if self._finished:
            return []
        x, gap = self._gaps.flush()
        reps = self._process(x, gap)
        if self._locked is None and self._pre:
            reps += self._lock_and_replay(None)
        self._finished = True
        return reps

    @property
    def locked_axis_(self) -> FloatArray | None:
        """The movement axis in the sensor frame (unit, concentric positive), once fixed."""
        return None if self._locked is None else self._locked.axis.copy()

    @property
    def trace_(self) -> FloatArray:
        """Shape (n, 2): pelvic angle about the movement axis (deg) and its rate (deg/s).

        Row ``i`` is sample ``i`` of the stream, i.e. ``i / sampling_rate_hz`` seconds after
        the first sample, as filtered: it lags the movement by ``delay_s``, which rep times
        already have subtracted (plot row ``i`` at ``i / fs - delay_s`` to line up with them).
        Rows before the axis lock are included (computed at the lock). Only with
        ``keep_trace=True``.
        """
        if not self._trace:
            return np.empty((0, 2))
        return np.concatenate(self._trace)

    # ------------------------------------------------------------------ pipeline
    def _process(self, x: FloatArray, gap: BoolArray) -> list[Rep]:
        if len(x) == 0:
            return []
        acc, gyr = x[:, :3], x[:, 3:]
        gyr = np.where(gap[:, None], 0.0, gyr)
        gyro_lp = self._gyro_lp(gyr)
        acc_lp = self._acc_lp(acc)
        omega = self._remove_bias(gyro_lp, acc_lp)
        omega[gap] = 0.0
        self._n_in += len(x)
        if self._locked is None:
            self._pre.append((omega, acc_lp, gap))
            speed = np.sqrt(omega[:, 0] ** 2 + omega[:, 1] ** 2 + omega[:, 2] ** 2)
            step = np.where(speed > self._active_rads, speed, 0.0) * self._dt
            total = self._rotation_q + np.cumsum(np.rint(step / _ROT_Q).astype(np.int64))
            self._rotation_q = int(total[-1])
            # Lock at the first quiet sample once enough rotation has been seen, never in the
            # middle of a movement.
            crossed = np.flatnonzero((total >= self._lock_q) & (step == 0.0))
            if len(crossed):
                lock_at = self._n_in - len(x) + int(crossed[0]) + 1
                return self._lock_and_replay(lock_at)
            return []
        return self._segment(omega, acc_lp, gap)

    def _remove_bias(self, gyro_lp: FloatArray, acc_lp: FloatArray) -> FloatArray:
        p = self.params
        g_range = self._gyro_range(gyro_lp).max(axis=1)
        a_range = self._acc_range(acc_lp).max(axis=1)
        g_mean = self._gyro_mean(gyro_lp)
        # Only needed until the first still period (then never again).
        g_long = g_mean if self._seen_still else self._gyro_long_mean(gyro_lp)
        # Noise floor: the quietest full window so far (a coarse or noisy sensor raises it).
        full = np.arange(self._n_in, self._n_in + len(gyro_lp)) >= self._gyro_range.window - 1
        g_floor = np.minimum.accumulate(
            np.concatenate(([self._g_floor], np.where(full, g_range, np.inf)))
        )[1:]
        a_floor = np.minimum.accumulate(
            np.concatenate(([self._a_floor], np.where(full, a_range, np.inf)))
        )[1:]
        self._g_floor, self._a_floor = float(g_floor[-1]), float(a_floor[-1])
        g_limit = np.clip(2.0 * g_floor, math.radians(p.still_gyro_range_dps),
                          math.radians(p.still_gyro_range_max_dps))
        a_limit = np.clip(2.0 * a_floor, p.still_acc_range_ms2, p.still_acc_range_max_ms2)
        still = (g_range < g_limit) & (a_range < a_limit)
        if self.profile.isometric:
            self._note_rests(still, a_range)
        idx = np.where(still, np.arange(len(still)), -1)
        last = np.maximum.accumulate(idx)
        # No still period yet: reps return to their start, so the long mean is the bias.
        fallback = np.broadcast_to(self._bias, g_mean.shape) if self._seen_still else g_long
        bias = np.where((last >= 0)[:, None], g_mean[np.maximum(last, 0)], fallback)
        if still.any():
            self._bias = g_mean[int(last[-1])].copy()
            self._seen_still = True
        elif not self._seen_still:
            self._bias = g_long[-1].copy()
        return np.asarray(gyro_lp - bias, dtype=np.float64)

    def _lock_and_replay(self, lock_at: int | None) -> list[Rep]:
        """Fix the axis from samples ``[0, lock_at)`` (all if None), then segment the buffer."""
        omega = np.concatenate([c[0] for c in self._pre])
        acc_lp = np.concatenate([c[1] for c in self._pre])
        gap = np.concatenate([c[2] for c in self._pre])
        self._pre = []
        n_lock = len(omega) if lock_at is None else lock_at
        speed = np.sqrt(omega[:n_lock, 0] ** 2 + omega[:n_lock, 1] ** 2 + omega[:n_lock, 2] ** 2)
        active = speed > self._active_rads
        if not active.any():
            logger.info("no pelvic movement found; no reps")
            return []
        head = omega[:n_lock]
        first = int(np.argmax(active))
        up = acc_lp[: max(first, 1)].mean(axis=0)
        up /= np.linalg.norm(up)
        if self.profile.alternating:
            # Sides alternate: the side-to-side rotation changes sign rep by rep and averages
            # out over several reps, the tilt of every rep goes the same way. The mean
            # excursion from the starting posture points along the tilt axis, concentric
            # positive.
            excursion = np.cumsum(head, axis=0) * self._dt
            typical = (excursion[active] - excursion[first]).mean(axis=0)
            # The medio-lateral axis is horizontal in every posture of the profiles (supine,
            # prone, all fours, upright): drop the vertical part, which only drift adds.
            typical = typical - np.dot(typical, up) * up
            axis = typical / max(float(np.linalg.norm(typical)), 1e-12)
        else:
            moving = head[active]
            _, vecs = np.linalg.eigh(moving.T @ moving)
            axis = vecs[:, -1]
            # Sign: the excursion from the starting posture is mostly positive (concentric).
            rate = head[:, 0] * axis[0] + head[:, 1] * axis[1] + head[:, 2] * axis[2]
            angle = np.cumsum(rate) * self._dt
            excursion = angle[active] - angle[first]
            if self.profile.isometric:
                # A hold starts by getting into position: its first clear excursion is up.
                clear = np.flatnonzero(np.abs(excursion) >= math.radians(self.profile.min_rom_deg))
                flip = len(clear) > 0 and excursion[clear[0]] < 0
            else:
                flip = bool(np.median(excursion) < 0)
            if flip:
                axis = -axis
        side = np.cross(axis, up)
        side_norm = np.linalg.norm(side)
        side = side / side_norm if side_norm > 1e-6 else np.zeros(3)
        perp = up - np.dot(up, axis) * axis
        perp_norm = np.linalg.norm(perp)
        perp = perp / perp_norm if perp_norm > 1e-6 else np.zeros(3)
        self._locked = _Locked(axis=axis, side_axis=side, up_ref=up, ref_perp=perp)
        logger.info(
            "movement axis fixed at sample %d: %s (sensor frame)", self._n_in, np.round(axis, 3)
        )
        return self._segment(omega, acc_lp, gap)

    def _segment(self, omega: FloatArray, acc_lp: FloatArray, gap: BoolArray) -> list[Rep]:
        lk = self._locked
        assert lk is not None
        ax, sd = lk.axis, lk.side_axis
        w_deg = (omega[:, 0] * ax[0] + omega[:, 1] * ax[1] + omega[:, 2] * ax[2]) * RAD2DEG
        side_deg = (omega[:, 0] * sd[0] + omega[:, 1] * sd[1] + omega[:, 2] * sd[2]) * RAD2DEG
        angle, acc_angle = self._angle(w_deg, acc_lp)
        start_abs = self._sig_start + len(self._sig)
        block = np.column_stack((w_deg, angle, side_deg, gap.astype(np.float64)))
        self._sig = np.concatenate((self._sig, block))
        if self.keep_trace:
            self._trace.append(np.column_stack((angle, w_deg)))
        lobes = self._lobes.push(w_deg, angle, acc_angle)
        moves = None
        if self.profile.isometric:
            end = start_abs + len(block)
            moves = [self._rest_event(r) for r in self._rest_starts if r[1] < end]
            self._rest_starts = [r for r in self._rest_starts if r[1] >= end]
        raw = self._assembler.push(lobes, moves)
        reps = self._finalise(raw)
        self._trim(start_abs + len(block))
        return reps

    def _note_rests(self, still: BoolArray, a_range: FloatArray) -> None:
        """Holds (plank) end by getting down to rest: a burst of acceleration, then stillness.

        A still period that starts within ``get_down_s`` of a burst (the accelerometer
        spanning more than ``get_down_acc_ms2`` in a window) ends a hold at the burst's start.
        Stillness alone does not: a steady plank at a low rate looks still too.
        """
        p, base = self.params, self._n_in
        window = self._gyro_range.window
        limit = round(p.get_down_s * self.sampling_rate_hz)
        burst = a_range > p.get_down_acc_ms2
        prev_burst = np.concatenate(([self._was_burst], burst[:-1]))
        prev_still = np.concatenate(([self._was_still], still[:-1]))
        burst_starts = np.flatnonzero(burst & ~prev_burst)
        rest_starts = np.flatnonzero(still & ~prev_still)
        burst_idx = np.flatnonzero(burst)
        for k in np.union1d(burst_starts, rest_starts):  # in time order
            if burst[k] and not prev_burst[k]:
                self._burst_start = base + int(k) - window + 1
            if still[k] and not prev_still[k] and self._burst_start is not None:
                before = burst_idx[burst_idx < k]
                if len(before):
                    self._burst_end = base + int(before[-1])
                rest = base + int(k) - window + 1
                if 0 <= rest - self._burst_end <= limit:
                    # Shaking can run straight into getting down: bound the burst.
                    self._rest_starts.append((max(self._burst_start, rest - limit), rest))
        if len(burst_idx):
            self._burst_end = base + int(burst_idx[-1])
        self._was_burst = bool(burst[-1]) if len(burst) else self._was_burst
        self._was_still = bool(still[-1]) if len(still) else self._was_still

    @staticmethod
    def _rest_event(span: tuple[int, int]) -> Lobe:
        """Getting down from ``span[0]`` to the rest at ``span[1]``, as a zero-rotation event."""
        a, b = span
        return Lobe(-1, a, b, float(a), float(b), a, 0.0, 0.0, 0.0, 0.0)

    def _angle(self, w_deg: FloatArray, acc_lp: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Complementary filter: gyro angle pulled towards the accelerometer inclination.

        Returns the fused angle and the accelerometer's inclination about the axis, degrees.
        """
        lk = self._locked
        assert lk is not None
        up = acc_lp / np.linalg.norm(acc_lp, axis=1, keepdims=True)
        ax, r0 = lk.axis, lk.ref_perp
        # Rotating the pelvis by +a about ax turns the up vector, seen from the sensor, by -a.
        # (r0 x up) . ax, written out: np.cross costs more than the arithmetic on small chunks.
        ux, uy, uz = up[:, 0], up[:, 1], up[:, 2]
        sin_a = (
            (r0[1] * uz - r0[2] * uy) * ax[0]
            + (r0[2] * ux - r0[0] * uz) * ax[1]
            + (r0[0] * uy - r0[1] * ux) * ax[2]
        )
        cos_a = up[:, 0] * r0[0] + up[:, 1] * r0[1] + up[:, 2] * r0[2]
        acc_angle = -np.degrees(np.arctan2(sin_a, cos_a))
        prev = self._acc_angle_prev
        if prev is not None:
            acc_angle = np.unwrap(np.concatenate(([prev], acc_angle)), period=360.0)[1:]
        self._acc_angle_prev = float(acc_angle[-1])
        # Weight the accelerometer by how well it sees this axis (not at all if vertical).
        k_eff = self._angle_k * float(np.dot(r0, r0))
        xin = (1.0 - k_eff) * w_deg * self._dt + k_eff * acc_angle
        if self._angle_zi is None:
            self._angle_zi = np.array([acc_angle[0] * (1.0 - k_eff) if k_eff else 0.0])
        a_eff = np.array([1.0, -(1.0 - k_eff)])
        y, self._angle_zi = lfilter([1.0], a_eff, xin, zi=self._angle_zi)
        return np.asarray(y, dtype=np.float64), np.asarray(acc_angle, dtype=np.float64)

    def _finalise(self, raws: list[RawRep]) -> list[Rep]:
        """Metrics of reps completed together; they share one ROM reference."""
        if not raws:
            return []
        roms = [rom_of(r, self._sig, self._sig_start) for r in raws]
        refs = [r.rom_deg for r in self.reps_[-REFERENCE_REPS:]] + roms
        out = []
        for raw in raws:
            ctx = RepContext(
                profile=self.profile,
                tempo=self.tempo,
                sampling_rate_hz=self.sampling_rate_hz,
                delay_s=self.delay_s,
                signal=self._sig,
                signal_start=self._sig_start,
                previous=self.reps_,
                set_rest_s=self.params.set_rest_s,
                tolerance=self.params.tempo_tolerance,
                reference_rom_deg=refs,
            )
            rep = rep_metrics(raw, ctx)
            self.reps_.append(rep)
            out.append(rep)
        return out

    def _trim(self, end_abs: int) -> None:
        fs = self.sampling_rate_hz
        pending = self._assembler.pending_start
        keep_from = end_abs - round((self.params.context_s + 1.0) * fs)
        if pending is not None:
            keep_from = min(keep_from, int(pending) - round(self.params.context_s * fs))
        keep_from = max(keep_from, self._sig_start)
        cut = keep_from - self._sig_start
        if cut > 0:
            self._sig = self._sig[cut:]
            self._sig_start = keep_from

    @staticmethod
    def _low_frequency_delay(sos: FloatArray, fs: float) -> float:
        """Group delay of the gyro filter at 0.5 Hz, seconds (the band of rep movements)."""
        b, a = _sos_to_ba(sos)
        _, gd = group_delay((b, a), w=[0.5], fs=fs)
        return float(gd[0]) / fs


_ROT_Q = 1e-9
"""Quantum of the integer rotation accumulator, rad."""


def _sos_to_ba(sos: FloatArray) -> tuple[FloatArray, FloatArray]:
    b = np.array([1.0])
    a = np.array([1.0])
    for section in sos:
        b = np.convolve(b, section[:3])
        a = np.convolve(a, section[3:])
    return b, a


def analyze_arrays(
    acc: FloatArray,
    gyr: FloatArray,
    sampling_rate_hz: float,
    profile: ExerciseProfile,
    tempo: Tempo | None = None,
    params: AnalyzerParams | None = None,
    keep_trace: bool = False,
) -> RepAnalyzer:
    """Run a :class:`RepAnalyzer` over whole arrays (offline); returns the finished analyzer.

    Args:
        acc: shape (n, 3), specific force, m/s^2; NaN marks missing samples.
        gyr: shape (n, 3), angular velocity, rad/s; NaN marks missing samples.
        sampling_rate_hz: sample rate, Hz.
        profile: exercise profile.
        tempo: prescription (the profile's default when None).
        params: signal-processing parameters.
        keep_trace: keep the per-sample angle for plots.

    """
    analyzer = RepAnalyzer(profile, sampling_rate_hz, tempo, params, keep_trace)
    analyzer.update(acc, gyr)
    analyzer.finish()
    return analyzer


__all__ = ["AnalyzerParams", "RepAnalyzer", "analyze_arrays"]
