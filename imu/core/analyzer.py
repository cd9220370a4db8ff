"""The one rep analyzer used live and offline: causal, stateful, chunk-invariant.

The analyzer is a chain of small causal steps, each a class with its own state and tests,
composed here and nowhere else. Signal path:

1. **Gaps**: NaN runs up to ``max_interp_s`` (0.6 s: a lost BLE frame or two; rep movements
   are below 3 Hz, so a straight line bridges them) are interpolated (the output waits for
   ``gap_edge_s`` of data after the run: a side that shakes rather than moves one way is
   bridged from its mean); longer runs hold the last value and are flagged: the gyro reads
   zero there and reps overlapping them are marked ``in_gap``.
2. **Filters**: gyroscope low-pass, 2nd-order Butterworth at ``gyro_cutoff_hz`` (6 Hz: rep
   movements are below 3 Hz and leg tosses below 5 Hz, sensor noise and tremor above);
   a wide band (``wide_cutoff_hz``, 15 Hz) on the rate about the axis for the shape of short
   bursts and for tremor; accelerometer low-pass at ``acc_cutoff_hz`` (1.5 Hz) for the
   gravity direction. The filters' low-frequency group delays are subtracted from reported
   times.
3. **Still periods and gyro bias**: a sample is still when, over the last full
   ``still_window_s`` free of long gaps, the vector of per-axis gyro spans is shorter than
   ``still_gyro_range_dps`` and the accelerometer's than ``still_acc_range_ms2`` (or twice the
   quietest window seen so far, for coarse or noisy sensors, up to
   ``still_gyro_range_max_dps`` and ``still_acc_range_max_ms2``). The bias is the mean gyro
   over the session's still windows (holds, pauses, rests), weighted exponentially over
   ``bias_average_s`` of still time so that breathing, which passes for stillness, averages
   out. Before the first still period it is the mean over the last
   ``fallback_bias_window_s``, gaps left out: reps return to where they started, so their
   rotation averages out. Reps before the axis lock use the first still period's bias.
4. **Movement axis and sign**: the principal axis of the bias-corrected angular velocity,
   ``argmax_u sum (u . w)^2`` over moving samples, fixed at the first quiet sample after the
   pelvis has rotated ``profile.lock_rotation_deg`` in total (about two reps); its sign makes
   the median excursion from the starting posture positive (the concentric direction), read
   from gravity's direction when the body lies, kneels or hangs, else from the integrated
   gyro; for holds, the first clear excursion (getting into position) is positive. For
   alternating exercises (dead bug, bird-dog) the axis is the one that moves gravity's
   direction the way it moved most of the time over the lock window, about eight reps (its
   median displacement: the side-to-side rotation alternates, the tilt does not). The
   sensor is clipped on once per session, so the axis is the
   same for every set. Reps before the lock are reported at it. A walk before the lock
   (:mod:`imu.core.locomotion`: the steps' regular bounce) restarts the count, and nothing
   up to its end is part of the axes or of a rep.
5. **Pelvic angle** about the axis: gyro integration fused with the accelerometer's
   inclination about the same axis by a complementary filter with time constant
   ``angle_time_constant_s`` (bounded drift over any session length). Hanging
   (``profile.subtract_pendulum``), the body's swing about the bar is first taken out of the
   rate: :mod:`imu.core.pendulum`.
6. **Lobes, reps, phases**: :mod:`imu.core.segmentation`; hold ends: :mod:`imu.core.holds`;
   dead bug and bird-dog (``profile.join_split_reps``): a limb cycle that moved the pelvis
   twice is one rep. Live phase cues (``phase_cues``) come from :mod:`imu.core.phases`.
7. **Quantities**: :mod:`imu.core.metrics`; **labels**: :mod:`imu.core.labels`.

Steps: :class:`~imu.core.stream.GapFiller`, :class:`~imu.core.stream.SosFilter`,
:class:`~imu.core.stillness.StillnessBias`, :class:`~imu.core.holds.HoldEnds`,
:class:`~imu.core.locomotion.WalkWatcher`, :class:`~imu.core.axis.RotationCounter` and
:func:`~imu.core.axis.fix_axes`,
:class:`~imu.core.angle.PelvicAngle`, :class:`~imu.core.pendulum.PendulumSplit`,
:class:`~imu.core.segmentation.LobeFinder`, :class:`~imu.core.segmentation.RepAssembler`,
:class:`~imu.core.segmentation.SplitRepJoiner`, :func:`~imu.core.metrics.measure_rep`,
:class:`~imu.core.labels.RepLabeller`, and beside them :class:`~imu.core.phases.PhaseWatcher`.

Every field of a rep depends only on samples before it is reported, so the same reps come
out, bit for bit, however the stream is cut into chunks.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, group_delay

from imu.core import kernels
from imu.core.angle import PelvicAngle
from imu.core.axis import BodyAxes, RotationCounter, fix_axes
from imu.core.holds import HoldEnds
from imu.core.labels import RepLabeller
from imu.core.locomotion import WalkWatcher
from imu.core.metrics import (
    COL_ANGLE,
    COL_GAP,
    COL_INCLINATION,
    HOLD_SETTLE_S,
    HOLD_SLACK_FRACTION,
    SIGNAL_COLUMNS,
    Rep,
    RepContext,
    RepQuantities,
    SwingShare,
    TempoTolerance,
    measure_rep,
)
from imu.core.pendulum import PendulumSplit
from imu.core.phases import PaceWarning, PhaseCue, PhaseWatcher, WatcherParams
from imu.core.segmentation import (
    JoinParams,
    Lobe,
    LobeFinder,
    RawRep,
    RepAssembler,
    SegmenterParams,
    SplitRepJoiner,
    accelerometer_doubts,
)
from imu.core.stillness import StillnessBias
from imu.core.stream import GapFiller, SosFilter
from imu.errors import AnalysisError
from imu.exercises import ExerciseProfile, check_tempo_fits
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

LONG_HOLD_HEAD_S = 1200.0
"""A static hold (plank) of any length is timed to its end, but the analyzer keeps a bounded
share of its signal: of a hold longer than this plus :data:`LONG_HOLD_TAIL_S` (30 minutes),
the first ``LONG_HOLD_HEAD_S`` s and the last ``LONG_HOLD_TAIL_S`` s, and of the middle only
its extremes (:class:`_LongHold`). Its length, drift, arch and gap flag are then those of
every sample; its shaking and side rotation those of the head and tail. Holds up to 30
minutes are measured on every sample. Before, a hold still open after 30 minutes was
abandoned: a 2292 s plank gave "0 holds". The buffer of an open hold stays under about 30
minutes of samples (about 85 MB at 833 Hz)."""
LONG_HOLD_TAIL_S = 600.0
"""The end of a long static hold measured with its head, s (:data:`LONG_HOLD_HEAD_S`)."""
GETTING_DOWN_MIN_DPS = 2.5
"""A lowering 2 s or more into a static hold is the person getting down (the live clock stops
there, :attr:`RepAnalyzer.open_hold_ending_s`) when it turned the pelvis on average at least
this fast, deg/s. Hips sagging as the person tires drift the same way, slower: in planks
simulated with sagging hips (seeds 0-9, 26-208 Hz) the sag's runs turned 1.0-2.4 deg/s when
they reached half the profile's ``min_rom_deg``, getting down 1.6-8.4 (median 5.2); the
screens said "DOWN" and "rest" mid-hold. Live views only: nothing here changes any rep."""

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

RAD2DEG = 180.0 / math.pi
MIN_RATE_HZ = 10.0
"""Slowest sampling rate the analyzer accepts, Hz (rep movements reach 3-5 Hz)."""

DOUBTED_ROM_RATIO = 0.7
"""Hanging: a rep whose rise the accelerometer did not follow
(:func:`imu.core.segmentation.accelerometer_doubts`) counts only with at least this share of
the session's ROM reference; with none yet (the session's first rep) it does not count: the
first movement on the bar that the accelerometer doubts is getting on the bar and the swing
it starts. Until the twenty-sixth held-out set such a rise was no rep at all, and on the
second generator, whose trunk swings back against a fast raise, that lost the fast reps.
Second-generator seeds 830000-830039 (both hanging cases, 80 sessions, streamed): missed
203 -> 147, extra 9 -> 14 (a floor of 0.5 with first reps counted: 137 and 31; 0.7 with them
counted: 140 and 21; 0.5 without them: 144 and 24). The simulator's tuning seeds 0-99 (200
sessions): no count changed (without any floor: one extra rep, 12 deg in a session of 50 deg
reps, behind a 24 deg body swing)."""


@dataclass(frozen=True)
class AnalyzerParams:
    """Signal-processing parameters (units in the names). Defaults suit every profile."""

    gyro_cutoff_hz: float = 6.0
    """Segmentation band of the gyro: rep movements are below 3 Hz, leg tosses below 5 Hz."""
    wide_cutoff_hz: float = 15.0
    """Wide band of the gyro, for the shape of short bursts and for tremor, Hz."""
    acc_cutoff_hz: float = 1.5
    max_interp_s: float = 0.6
    gap_edge_s: float = 0.1
    """How much data on either side of a bridged gap decides where its line starts, s
    (:class:`imu.core.stream.GapFiller`): the edge sample where it moves one way, its mean
    where it shakes (a tremor's one sample at an edge, held across a 0.3 s gap, integrated
    into a turn of several degrees that ended a plank hold). The output waits this long
    after a bridged gap."""
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
    bias_average_s: float = 20.0
    """Still time over which the gyro bias is averaged (exponential weights), seconds."""
    angle_time_constant_s: float = 5.0
    set_rest_s: float = 15.0
    """A pause longer than this between reps starts a new set, seconds."""
    context_s: float = 4.0
    """Signal kept before a rep for its quantities (wind-up, body swing), seconds."""
    phase_fraction: float = 0.10
    tempo_tolerance: TempoTolerance = field(default_factory=TempoTolerance)


class RepAnalyzer:
    """Finds reps, phases, quantities and labels in a stream of IMU samples.

    Parameters are set here and never changed; results accumulate in ``reps_``. Feed samples
    with :meth:`update` (any chunk size, including one chunk for a whole file) and call
    :meth:`finish` at the end. Both return the reps completed by that call.

    Args:
        profile: the exercise profile.
        sampling_rate_hz: rate of the samples, Hz (explicit, never guessed).
        tempo: prescription; defaults to the profile's.
        params: signal-processing parameters.
        keep_trace: keep the per-sample pelvic angle for plots (``trace_``).
        phase_cues: follow the phase in progress and collect live cues (:mod:`imu.core.phases`;
            taken with :meth:`pop_cues`). For live views; it costs a Python step per sample.
            Holds (plank) have no phase cues.

    """

    def __init__(
        self,
        profile: ExerciseProfile,
        sampling_rate_hz: float,
        tempo: Tempo | None = None,
        params: AnalyzerParams | None = None,
        keep_trace: bool = False,
        phase_cues: bool = False,
    ) -> None:
        if not math.isfinite(sampling_rate_hz) or sampling_rate_hz < MIN_RATE_HZ:
            raise AnalysisError(
                f"a sampling rate of {sampling_rate_hz:g} Hz is too slow to analyse reps: at "
                f"least {MIN_RATE_HZ:g} Hz is needed; give the sensor's output data rate"
            )
        self.profile = profile
        self.sampling_rate_hz = float(sampling_rate_hz)
        self.tempo = tempo or profile.default_tempo
        check_tempo_fits(profile, self.tempo)
        self.params = params or AnalyzerParams()
        self.keep_trace = keep_trace
        self.phase_cues = phase_cues
        p, fs = self.params, self.sampling_rate_hz
        self._dt = 1.0 / fs
        nyq = 0.5 * fs
        gyro_sos = butter(2, min(p.gyro_cutoff_hz, 0.8 * nyq) / nyq, output="sos")
        wide_sos = butter(2, min(p.wide_cutoff_hz, 0.8 * nyq) / nyq, output="sos")
        acc_sos = butter(2, min(p.acc_cutoff_hz, 0.8 * nyq) / nyq, output="sos")
        self.delay_s = _low_frequency_delay(gyro_sos, fs)
        self.wide_delay_s = _low_frequency_delay(wide_sos, fs)
        # Hanging: the segmentation-band channels wait for the accelerometer's band, so that
        # the body's swing can be taken out of them (imu.core.pendulum); times shift alike.
        self._pendulum: PendulumSplit | None = None
        self._swing_share: SwingShare | None = None
        self._shift_s = 0.0
        if profile.subtract_pendulum:
            shift = max(0, round((_low_frequency_delay(acc_sos, fs) - self.delay_s) * fs))
            self._pendulum = PendulumSplit(acc_sos, shift, fs)
            self._swing_share = SwingShare()
            self._shift_s = shift / fs
            self.delay_s += self._shift_s
        # Steps, in signal order (their compiled loops made ready now, not mid-stream).
        kernels.ensure_compiled()
        self._gaps = GapFiller(max(1, round(p.max_interp_s * fs)), 6,
                               max(1, round(p.gap_edge_s * fs)))
        self._gyro_lp = SosFilter(gyro_sos)
        self._wide_sos = wide_sos
        self._gyro_wide: SosFilter | None = None  # on the rate about the axis, once fixed
        self._acc_lp = SosFilter(acc_sos)
        window = max(2, round(p.still_window_s * fs))
        self._still = StillnessBias(
            window,
            max(2, round(p.fallback_bias_window_s * fs)),
            (math.radians(p.still_gyro_range_dps), math.radians(p.still_gyro_range_max_dps)),
            (p.still_acc_range_ms2, p.still_acc_range_max_ms2),
            max(1, round(p.bias_average_s * fs)),
            keep_latest=phase_cues and not profile.isometric,
        )
        self._holds = (
            HoldEnds(window, round(p.get_down_s * fs), p.get_down_acc_ms2)
            if profile.isometric
            else None
        )
        self._active_rads = math.radians(0.5 * profile.min_velocity_dps)
        self._counter = RotationCounter(
            self._active_rads, math.radians(profile.lock_rotation_deg), self._dt
        )
        # Before the axis lock, walking restarts the count (imu.core.locomotion); the
        # analysis starts at _walk_end, the first sample after the last walk.
        self._walks = WalkWatcher(fs)
        self._walk_end = 0
        # Before the axis lock every chunk is kept:
        # (omega, gyr, bias, acc_lp, gap, still, latest still window's mean).
        self._pre: list[
            tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray, BoolArray,
                  FloatArray]
        ] = []
        self._axes: BodyAxes | None = None
        self._angle: PelvicAngle | None = None
        seg = SegmenterParams(
            sampling_rate_hz=fs,
            min_velocity_dps=profile.min_velocity_dps,
            min_rom_deg=profile.min_rom_deg,
            phase_fraction=p.phase_fraction,
            rest_reset_s=p.set_rest_s,
            isometric=profile.isometric,
            reject_below_rest=profile.reject_below_rest,
            reject_pendulum=profile.reject_pendulum,
            # A rep whose lowering has not come this long after its top is abandoned: 30 s,
            # or twice the prescribed squeeze when that is longer (a 2-40-2 drill).
            # A hold is never abandoned, however long (:data:`LONG_HOLD_HEAD_S`).
            max_top_s=math.inf if profile.isometric else max(30.0, 2.0 * self.tempo.top_hold_s),
        )
        self._seg_params = seg
        self._lobes = LobeFinder(seg)
        self._assembler = RepAssembler(seg)
        tempo = self.tempo
        self._joiner = (
            SplitRepJoiner(JoinParams(
                fs, tempo.concentric_s + tempo.top_hold_s + tempo.eccentric_s, tempo.top_hold_s
            ))
            if profile.join_split_reps
            else None
        )
        self._labeller = RepLabeller(profile)
        self._hold_queue: list[Lobe] = []  # holds: events waiting for the horizon
        # A long open hold whose middle left the buffer: its head and the middle's extremes.
        self._hold_head: _LongHold | None = None
        self._n_in = 0  # samples released by the gap filler so far
        # Rolling signal buffer for the quantities (columns: imu.core.metrics.COL_*); the
        # absolute index of row 0 is _sig_start.
        self._sig = np.empty((0, SIGNAL_COLUMNS))
        self._sig_start = 0
        self._trace: list[FloatArray] = []
        self._watcher: PhaseWatcher | None = None
        self._cues: list[PhaseCue | PaceWarning] = []
        self.reps_: list[Rep] = []
        # Movements found but not counted: too small against the session's reps (fidgets,
        # shifts in a rest), or small ones the accelerometer did not follow. Not reps; kept
        # for the report's note on many of them (imu.report.mismatch).
        self.set_aside_: list[Rep] = []
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
        if self._axes is None and self._pre:
            reps += self._lock_and_replay(None)
        if self._holds is None and self._axes is not None:
            # The stream ended while a movement's run was still open (a lowering whose rate
            # had not settled into the dead band): closed at the last sample, so that a last
            # rep finished before the recording is not lost with the open run.
            closing = self._lobes.flush()
            if closing and closing[-1].end > self._n_in - 1 and len(self._sig):
                # Still moving at the last sample (beyond the 10% edge): the recording
                # stopped mid-movement, and a rep it ends is cut short. Its duration is
                # unknown, as over a data gap: it is not judged (a lowering cut at 1.1 s of
                # 2 s was "dropped", and the advice was to slow the descent).
                self._sig[-1, COL_GAP] = 1.0
            reps += self._finalise(self._join(self._assembler.push(closing)))
        if self._holds is not None and self._axes is not None:
            reps += self._finalise(self._assembler.push(self._hold_events([], math.inf)))
            if self._assembler.pending_start is not None:
                # The stream ended during a hold (stopped mid-plank): the hold ends with it,
                # as if the person got down at the last sample (if it lasted 2 s or more).
                # How long it would have lasted is unknown, as over a data gap: not judged
                # (a plank stopped at 19 s of 60 was told "Hold much longer").
                if len(self._sig):
                    self._sig[-1, COL_GAP] = 1.0
                last = self._n_in - 1
                end = Lobe(-1, last, last + 1, float(last), float(last + 1), last,
                           0.0, 0.0, 0.0, 0.0)
                reps += self._finalise(self._assembler.push([end]))
        reps += self._finalise(self._join(self._assembler.flush()))
        if self._joiner is not None:
            reps += self._finalise(self._joiner.flush())
        self._finished = True
        return reps

    def pop_cues(self) -> list[PhaseCue | PaceWarning]:
        """The live phase cues told since the last call (only with ``phase_cues=True``)."""
        cues, self._cues = self._cues, []
        return cues

    @property
    def open_since_s(self) -> float | None:
        """When the movement being assembled into a rep started, s (the reps table's clock).

        None when no movement is open (or before the axis lock, when reps are not yet being
        assembled). A plank hold is open from getting into position until getting down.
        """
        start = self._assembler.pending_start
        return None if start is None else start / self.sampling_rate_hz - self.delay_s

    @property
    def open_top_s(self) -> float | None:
        """When the open movement reached its top, s (the reps table's clock), or None.

        For a plank, when the hold began (getting into position ended): a live view times
        the hold in progress from here.
        """
        top = self._assembler.pending_top
        return None if top is None else top / self.sampling_rate_hz - self.delay_s

    @property
    def open_hold_drift_deg(self) -> float | None:
        """A static hold under way: its tilt drift so far, deg (concentric positive), or None.

        Read-only, for live views: the newest sample's inclination about the movement axis
        (``COL_INCLINATION``, the signal a hold's ``drift_deg`` is measured on) less the one
        :data:`imu.core.metrics.HOLD_SETTLE_S` after the hold began (``open_top_s``), as
        :func:`imu.core.metrics.measure_rep` takes it: negative is sagging, positive piking.
        The reported hold's ``drift_deg`` is the largest such excursion over the whole hold.

        None when the profile is no hold, no hold is open, the hold is younger than the
        settle time, or a movement that may end the hold (a rest, or a turn of at least half
        ``min_rom_deg`` 2 s or more into it) is waiting to be handed on: the tilt of getting
        down is no drift. Nothing here changes any rep.
        """
        top = self._assembler.pending_top
        if self._holds is None or top is None or not len(self._sig):
            return None
        fs = self.sampling_rate_hz
        ref_abs = math.floor(top) + round(HOLD_SETTLE_S * fs)
        ref = ref_abs - self._sig_start
        newest = len(self._sig) - 1
        head = self._hold_head
        if ref < 0 and head is not None and 0 <= ref_abs - head.head_from < len(head.head):
            ref_value = float(head.head[ref_abs - head.head_from, COL_INCLINATION])  # long
        elif ref < 0 or ref >= newest:
            return None
        else:
            ref_value = float(self._sig[ref, COL_INCLINATION])
        half_rom = 0.5 * self.profile.min_rom_deg
        for event in self._hold_queue:
            if event.start - top >= 2.0 * fs and (
                    event.peak_dps == 0.0 or abs(event.rotation_deg) >= half_rom):
                return None
        return float(self._sig[newest, COL_INCLINATION] - ref_value)

    @property
    def open_hold_ending_s(self) -> float | None:
        """A static hold under way that the person is getting down from: since when, s.

        For live views, which stop the hold's clock there: the hold is measured to where
        getting down began, but it is handed on seconds later, and the clock ran on past the
        target meanwhile (a 9.5 s hold shown as "12 / 11 s", then "too short"). A movement
        2 s or more into the hold that turns the pelvis down by half ``min_rom_deg`` or more
        (the lowering still open, or closed and waiting to be handed on), or a rest after
        it; None when there is none (or no hold is open). Nothing here changes any rep.
        """
        top = self._assembler.pending_top
        if self._holds is None or top is None:
            return None
        fs, half_rom = self.sampling_rate_hz, 0.5 * self.profile.min_rom_deg
        starts = [event.start for event in self._hold_queue
                  if event.start - top >= 2.0 * fs
                  and (event.peak_dps == 0.0
                       or (event.sign < 0 and abs(event.rotation_deg) >= half_rom))]
        lowering = self._lobes.open_lowering
        if lowering is not None:
            first, turn, lasted_s = lowering
            # Getting down is a movement; hips sagging as the person tires is a slow drift of
            # the same sign, told by the form cue (the screens said "DOWN", "rest" meanwhile).
            if (first - top >= 2.0 * fs and -turn >= half_rom
                    and -turn >= GETTING_DOWN_MIN_DPS * lasted_s):
                starts.append(float(first))
        return min(starts) / fs - self.delay_s if starts else None

    @property
    def locked_axis_(self) -> FloatArray | None:
        """The movement axis in the sensor frame (unit, concentric positive), once fixed."""
        return None if self._axes is None else self._axes.axis.copy()

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
        if gap.any():
            gyr = np.where(gap[:, None], 0.0, gyr)
        gyro_lp = self._gyro_lp(gyr)
        acc_lp = self._acc_lp(acc)
        st = self._still(gyro_lp, acc_lp, gap)
        omega = st.omega
        omega[gap] = 0.0
        if self._holds is not None:
            self._holds.push(st.still, st.acc_range)
        self._n_in += len(x)
        if self._axes is None:
            self._pre.append((omega, gyr, st.bias, acc_lp, gap, st.still, st.latest))
            at = self._count_to_lock(omega, self._walks.push(acc, omega), self._n_in - len(x))
            if at is not None:
                return self._lock_and_replay(at)
            return []
        return self._segment(omega, gyr, st.bias, acc_lp, gap, st.still, st.latest)

    def _count_to_lock(self, omega: FloatArray, walking: BoolArray, base: int) -> int | None:
        """Where to fix the axes (absolute sample index), or None to keep waiting.

        The rotation counts from the last walking sample on: a walk before the exercise
        restarts the count, and the analysis starts after it (``_walk_end``).
        """
        i, m = 0, len(omega)
        while i < m:
            runs = np.flatnonzero(walking[i:])
            nxt = i + int(runs[0]) if len(runs) else m
            if nxt > i:
                at = self._counter.push(omega[i:nxt])
                if at is not None:
                    return base + i + at
            if nxt == m:
                return None
            still_walking = np.flatnonzero(~walking[nxt:])
            i = nxt + int(still_walking[0]) if len(still_walking) else m
            self._counter.reset()
            self._walk_end = base + i
        return None

    def _lock_and_replay(self, lock_at: int | None) -> list[Rep]:
        """Fix the axes from samples ``[0, lock_at)`` (all if None), then segment the buffer."""
        omega = np.concatenate([c[0] for c in self._pre])
        gyr = np.concatenate([c[1] for c in self._pre])
        bias = np.concatenate([c[2] for c in self._pre])
        acc_lp = np.concatenate([c[3] for c in self._pre])
        gap = np.concatenate([c[4] for c in self._pre])
        still = np.concatenate([c[5] for c in self._pre])
        latest = np.concatenate([c[6] for c in self._pre])
        self._pre = []
        n_lock = len(omega) if lock_at is None else lock_at
        # Before the first still period the bias was a long mean that a rep in progress
        # skews; these samples are only reported now, so take the first still period's bias.
        first_still = np.flatnonzero(still[:n_lock])
        if len(first_still) and first_still[0] > 0:
            k = int(first_still[0])
            better = bias[k]
            omega[:k] = np.where(gap[:k, None], 0.0, omega[:k] + bias[:k] - better)
            bias[:k] = better
            latest[:k] = latest[k]
        # A walk before the exercise is not analysed: no lobes, no part of the axes.
        first = min(self._walk_end, n_lock)
        if first:
            omega[:first] = 0.0
            gyr[:first] = bias[:first]
        axes = fix_axes(
            omega[first:n_lock],
            acc_lp[first:n_lock],
            self._dt,
            self._active_rads,
            self.profile.alternating,
            self.profile.isometric,
            math.radians(self.profile.min_rom_deg),
            sign_from_gravity=self.profile.sign_from_gravity,
            below_rest=self.profile.reject_below_rest,
            still=still[first:n_lock],
        )
        if axes is None:
            logger.info("no pelvic movement found; no reps")
            return []
        self._axes = axes
        self._labeller.direction_sure = axes.sign_sure
        if not axes.sign_sure:
            logger.info("the concentric direction is in doubt (two readings disagree): "
                        "every rep is reported uncertain")
        self._angle = PelvicAngle(axes, self._dt, self.params.angle_time_constant_s)
        self._gyro_wide = SosFilter(self._wide_sos)
        if self.phase_cues and not self.profile.isometric:
            tol = self.params.tempo_tolerance
            ecc = self.tempo.eccentric_s
            self._watcher = PhaseWatcher(
                WatcherParams(
                    sampling_rate_hz=self.sampling_rate_hz,
                    delay_s=self.wide_delay_s,
                    min_velocity_dps=self.profile.min_velocity_dps,
                    min_rom_deg=self.profile.min_rom_deg,
                    min_rom_ratio=self.profile.min_rom_ratio,
                    phase_fraction=self.params.phase_fraction,
                    # Hanging, the body's swing about the bar is in the cues' rate (taking it
                    # out waits for the accelerometer's band): a swing back reads as a
                    # lowering half done in 0.8 s, and SLOWER was told against a rep that
                    # then came out "down 3.0 s, on tempo". No early pace warning there: the
                    # rep's line tells a dropped eccentric from the pendulum-free rate.
                    eccentric_prescribed_s=None if self._pendulum is not None else ecc,
                    eccentric_slack_s=tol.slack_s(ecc),
                )
            )
        logger.info(
            "movement axis fixed at sample %d: %s (sensor frame)",
            self._n_in,
            np.round(axes.axis, 3),
        )
        return self._segment(omega, gyr, bias, acc_lp, gap, still, latest, replay=True)

    def _segment(
        self,
        omega: FloatArray,
        gyr: FloatArray,
        bias: FloatArray,
        acc_lp: FloatArray,
        gap: BoolArray,
        still: BoolArray,
        latest: FloatArray,
        replay: bool = False,
    ) -> list[Rep]:
        """Angle, lobes and reps from bias-corrected (omega) and raw (gyr) rates, rad/s.

        ``bias`` is the gyro bias removed from ``omega``; the wide-band rate about the axis is
        filtered from ``gyr`` projected on the axis (the filter is linear: one channel).
        ``still`` flags still samples; ``latest`` is the latest still window's mean, which
        the phase cues subtract instead of ``bias`` (their "moving now?" wants a breath in a
        pause counted as stillness); ``replay``: the samples from before the axis lock, in
        the past (phase cues only learn from them).
        """
        axes, angle_step, wide = self._axes, self._angle, self._gyro_wide
        assert axes is not None and angle_step is not None and wide is not None
        # Element-wise projections: a BLAS matrix product may sum in another order for
        # another chunk length, and the reps must not change in the last bit with chunking.
        w_deg = _project(omega, axes.axis) * RAD2DEG
        side_deg = _project(omega, axes.side_axis) * RAD2DEG
        gyr_axis, bias_axis = _project(gyr, axes.axis), _project(bias, axes.axis)
        wide_deg = (wide(gyr_axis[:, None])[:, 0] - bias_axis) * RAD2DEG
        wide_deg[gap] = 0.0
        if self._watcher is not None:
            cue_deg = wide_deg + (bias_axis - _project(latest, axes.axis)) * RAD2DEG
            cue_deg[gap] = 0.0
            self._cues += self._watcher.push(cue_deg, still, emit=not replay)  # never in gaps
        acc_angle = angle_step.inclination(acc_lp)
        gap_col = gap.astype(np.float64)
        swing = np.zeros(len(w_deg))
        moving = np.zeros(len(w_deg))
        if self._pendulum is not None:
            rate = (gyr_axis - bias_axis) * RAD2DEG
            rate[gap] = 0.0
            band, swing, moving = self._pendulum(
                np.column_stack((w_deg, side_deg, gap_col, wide_deg)), rate, acc_angle,
                bias_axis * RAD2DEG,
            )
            w_deg, side_deg, gap_col, wide_deg = band.T
        angle = angle_step.fuse(w_deg, acc_angle)
        start_abs = self._sig_start + len(self._sig)
        # The rolling buffer grows by the chunk's rows, written column by column in place
        # (no separate block to copy): the imu.core.metrics COL_* order.
        n_old, m = len(self._sig), len(w_deg)
        sig = np.empty((n_old + m, SIGNAL_COLUMNS))
        sig[:n_old] = self._sig
        block = sig[n_old:]
        for col, values in enumerate(
            (w_deg, angle, side_deg, gap_col, wide_deg, acc_angle, swing, moving)
        ):
            block[:, col] = values
        self._sig = sig
        if self.keep_trace:
            self._trace.append(np.column_stack((angle, w_deg)))
        lobes: list[Lobe] = self._lobes.push(w_deg, angle, acc_angle)
        if self._holds is not None:
            lobes = self._hold_events(lobes, min(self._lobes.frontier, self._holds.horizon))
        raws = self._assembler.push(lobes, self._lobes.negative_frontier)
        reps = self._finalise(self._join(raws))
        self._trim(start_abs + len(block))
        return reps

    def _hold_events(self, lobes: list[Lobe], horizon: float) -> list[Lobe]:
        """Holds: lobes and rest events starting before ``horizon``, in time order."""
        assert self._holds is not None
        queue = sorted([*self._hold_queue, *lobes, *self._holds.release()], key=lambda e: e.start)
        ready = [e for e in queue if e.start < horizon]
        self._hold_queue = [e for e in queue if e.start >= horizon]
        return ready

    def _join(self, raws: list[RawRep]) -> list[RawRep]:
        """Reps the joiner releases (all of ``raws`` when the profile joins none)."""
        if self._joiner is None:
            return raws
        pending = self._assembler.pending_start
        earliest = self._lobes.frontier if pending is None else min(pending, self._lobes.frontier)
        return self._joiner.push(raws, earliest)

    def _finalise(self, raws: list[RawRep]) -> list[Rep]:
        """Quantities and labels of completed reps, one at a time in time order."""
        out = []
        for raw in raws:
            ctx = RepContext(
                tempo=self.tempo,
                thresholds=self.profile.thresholds,
                sampling_rate_hz=self.sampling_rate_hz,
                delay_s=self.delay_s,
                wide_delay_s=self.wide_delay_s + self._shift_s,
                signal=self._sig,
                signal_start=self._sig_start,
                previous=self.reps_[-1] if self.reps_ else None,
                set_rest_s=self.params.set_rest_s,
                tolerance=self.params.tempo_tolerance,
                isometric=self.profile.isometric,
                alternating=self.profile.alternating,
                pendulum=self._pendulum is not None,
                swing_share=self._swing_share,
                earlier=self.reps_[-2] if len(self.reps_) > 1 else None,
            )
            rep = self._labeller(self._measure(raw, ctx))
            if self._is_fidget(rep) or self._doubted_and_small(rep, raw):
                logger.debug("a %.1f deg movement at %.1f s is a fidget, not a rep",
                             rep.rom_deg, rep.con_start_s)
                self._labeller.forget(rep)  # no rep, so no beat of the set's rhythm
                self.set_aside_.append(rep)
                continue
            self.reps_.append(rep)
            out.append(rep)
        return out

    def _measure(self, raw: RawRep, ctx: RepContext) -> RepQuantities:
        """:func:`imu.core.metrics.measure_rep`; a long hold on its head and tail only.

        A static hold longer than :data:`LONG_HOLD_HEAD_S` plus :data:`LONG_HOLD_TAIL_S` is
        measured on the rows from its context before getting into position to
        ``LONG_HOLD_HEAD_S`` into the hold, joined to the rows from ``LONG_HOLD_TAIL_S`` before
        getting down on: the middle is cut out (the eccentric's indices shift back by its
        length), then the times after the cut and what they decide (the top hold's ratio,
        ``tempo_ok``) are put back on the stream's clock. The middle's extremes (kept as its
        rows left the buffer, :class:`_LongHold`, or read from the buffer) then complete the
        drift, the arch and the gap flag over the whole hold: extremes and "any" are exact
        in any order. Shaking and the side rotation stay those of the head and tail. The
        same rows and extremes whatever the chunking, so the same hold, bit for bit.
        """
        fs = self.sampling_rate_hz
        context = round(self.params.context_s * fs)
        head_end = math.floor(raw.con_end) + round(LONG_HOLD_HEAD_S * fs)
        tail_from = math.floor(raw.ecc_start) - round(LONG_HOLD_TAIL_S * fs)
        if self._holds is None or tail_from <= head_end:
            return measure_rep(raw, ctx)
        head_from = max(math.floor(raw.con_start) - context, 0)
        stored = self._hold_head
        self._hold_head = None
        if stored is None or stored.start != raw.con_start or stored.head_from != head_from:
            stored = _LongHold(raw.con_start, head_from,
                               self._sig[head_from - self._sig_start : head_end - self._sig_start])
        # The middle rows still in the buffer (all of them when it was never cut).
        stored.fold(self._sig[max(head_end - self._sig_start, 0) : tail_from - self._sig_start])
        head = stored.head
        tail = self._sig[tail_from - self._sig_start :]
        cut = tail_from - head_end
        back = tuple(
            dataclasses.replace(e, run_start=e.run_start - cut, run_end=e.run_end - cut,
                                start=e.start - cut, end=e.end - cut,
                                peak_index=e.peak_index - cut)
            for e in raw.eccentric
        )
        q = measure_rep(
            dataclasses.replace(raw, eccentric=back),
            dataclasses.replace(ctx, signal=np.concatenate((head, tail)), signal_start=head_from),
        )
        ecc_start_s = raw.ecc_start / fs - ctx.delay_s
        hold_s = ecc_start_s - q.con_end_s
        prescribed = ctx.tempo.top_hold_s
        tol = ctx.tolerance
        # As measure_rep takes them: the drift from the inclination HOLD_SETTLE_S into the
        # hold (the largest excursion either way), the arch below the rep's first angle.
        ref = float(head[math.floor(raw.con_end) - head_from + round(HOLD_SETTLE_S * fs),
                         COL_INCLINATION])
        drift = max((q.drift_deg, stored.incl_lo - ref, stored.incl_hi - ref), key=abs)
        arch = max(q.arch_deg, float(head[max(math.floor(raw.con_start) - head_from, 0),
                                          COL_ANGLE]) - stored.angle_lo)
        return dataclasses.replace(
            q,
            rom_deg=drift,
            drift_deg=drift,
            arch_deg=arch,
            in_gap=q.in_gap or stored.gap,
            ecc_start_s=ecc_start_s,
            ecc_end_s=raw.ecc_end / fs - ctx.delay_s,
            top_hold_ratio=(hold_s / prescribed
                            if prescribed >= ctx.thresholds.short_hold_min_prescribed_s
                            else math.nan),
            tempo_ok=bool(hold_s >= prescribed
                          - max(tol.min_s, HOLD_SLACK_FRACTION * prescribed)),
        )

    def _doubted_and_small(self, rep: Rep, raw: RawRep) -> bool:
        """A rep whose rise the accelerometer did not follow, and small or first.

        Smaller than :data:`DOUBTED_ROM_RATIO` of the session's reps, or with no reference
        yet (NaN ratio: the session's first rep).
        """
        return (accelerometer_doubts(raw.concentric[0], self._seg_params)
                and not rep.rom_ratio >= DOUBTED_ROM_RATIO)

    def _is_fidget(self, rep: Rep) -> bool:
        """A movement too small against the session's reps to count (``profile`` fields).

        Under ``min_rom_ratio`` of the ROM reference anywhere; under ``alone_rom_ratio`` when
        it starts more than ``alone_after_s`` after the previous rep ended (in a rest, where
        people shift position). NaN ratios (no reference yet) never make a fidget.
        """
        prof = self.profile
        if rep.rom_ratio < prof.min_rom_ratio:
            return True
        if not self.reps_ or not rep.rom_ratio < prof.alone_rom_ratio:
            return False
        return rep.con_start_s - self.reps_[-1].ecc_end_s > prof.alone_after_s

    def _trim(self, end_abs: int) -> None:
        """Drop signal rows no rep can need any more (before any open movement's context)."""
        fs = self.sampling_rate_hz
        context = round(self.params.context_s * fs)
        keep_from = min(end_abs - context - round(fs), self._lobes.frontier - context)
        pending = self._assembler.pending_start
        held = self._joiner.held_start if self._joiner is not None else None
        if held is not None:
            pending = held if pending is None else min(pending, held)
        if self._hold_queue:
            first = self._hold_queue[0].start
            pending = first if pending is None else min(pending, first)
        if pending is not None:
            keep_from = min(keep_from, math.floor(pending) - context)
        keep_from = max(self._fold_long_hold(keep_from, end_abs, context), self._sig_start)
        cut = keep_from - self._sig_start
        if cut > 0:
            self._sig = self._sig[cut:]
            self._sig_start = keep_from

    def _fold_long_hold(self, keep_from: int, end_abs: int, context: int) -> int:
        """Where the buffer may start while a long static hold is open (absolute index).

        Once no hold end still to come can be within ``LONG_HOLD_TAIL_S`` (and the context)
        of ``LONG_HOLD_HEAD_S`` into the open hold, the head's rows are kept aside (once) and
        the buffer keeps only what its tail can need: the middle of the hold leaves memory
        (:meth:`_measure`). Otherwise ``keep_from``, as computed for any rep.
        """
        start, top = self._assembler.pending_start, self._assembler.pending_top
        if self._holds is None or start is None or top is None:
            self._hold_head = None
            return keep_from
        if self._hold_head is not None and self._hold_head.start != start:
            self._hold_head = None  # a new hold began (the old one was a rest posture)
        fs = self.sampling_rate_hz
        head_from = max(math.floor(start) - context, 0)
        head_end = math.floor(top) + round(LONG_HOLD_HEAD_S * fs)
        # No event still to come (a lobe, a rest, one waiting in the queue) starts before.
        earliest = min(self._lobes.frontier, self._holds.horizon, end_abs - context - round(fs))
        if self._hold_queue:
            earliest = min(earliest, math.floor(self._hold_queue[0].start))
        tail_from = earliest - round(LONG_HOLD_TAIL_S * fs) - context
        if tail_from <= head_end:
            return keep_from
        if self._hold_head is None:
            if head_from < self._sig_start:  # never: the buffer keeps an open rep's context
                return keep_from
            rows = self._sig[head_from - self._sig_start : head_end - self._sig_start]
            self._hold_head = _LongHold(start, head_from, rows.copy())
        keep_from = max(keep_from, tail_from)
        # The middle rows about to leave the buffer: only their extremes are kept.
        self._hold_head.fold(
            self._sig[max(head_end - self._sig_start, 0) : keep_from - self._sig_start])
        return keep_from


@dataclass
class _LongHold:
    """A long static hold's head rows, and the extremes of its middle as it leaves the buffer.

    See :meth:`RepAnalyzer._measure`.

    Attributes:
        start: the hold's get-up onset, fractional absolute sample index (which hold).
        head_from: absolute sample index of ``head``'s row 0.
        head: signal rows (columns ``imu.core.metrics.COL_*``), shape (k, SIGNAL_COLUMNS),
            from the context before the get-up to ``LONG_HOLD_HEAD_S`` into the hold.
        incl_lo: lowest inclination about the axis in the middle folded so far, deg.
        incl_hi: highest such inclination, deg.
        angle_lo: lowest pelvic angle there, deg.
        gap: whether any of those rows lay in a data gap.

    """

    start: float
    head_from: int
    head: FloatArray
    incl_lo: float = math.inf
    incl_hi: float = -math.inf
    angle_lo: float = math.inf
    gap: bool = False

    def fold(self, rows: FloatArray) -> None:
        """Take the extremes of ``rows``, shape (m, SIGNAL_COLUMNS), into the middle's."""
        if not len(rows):
            return
        incl = rows[:, COL_INCLINATION]
        self.incl_lo = min(self.incl_lo, float(incl.min()))
        self.incl_hi = max(self.incl_hi, float(incl.max()))
        self.angle_lo = min(self.angle_lo, float(rows[:, COL_ANGLE].min()))
        self.gap = self.gap or bool(rows[:, COL_GAP].any())


def _project(v: FloatArray, u: FloatArray) -> FloatArray:
    """Rows of ``v`` (m, 3) dotted with ``u`` (3,), shape (m,), the same for any m."""
    return np.asarray(v[:, 0] * u[0] + v[:, 1] * u[1] + v[:, 2] * u[2], dtype=np.float64)


def _low_frequency_delay(sos: FloatArray, fs: float) -> float:
    """Group delay of a low-pass at 0.5 Hz, seconds (the band of rep movements)."""
    b = np.array([1.0])
    a = np.array([1.0])
    for section in sos:
        b = np.convolve(b, section[:3])
        a = np.convolve(a, section[3:])
    _, gd = group_delay((b, a), w=[0.5], fs=fs)
    return float(gd[0]) / fs


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
