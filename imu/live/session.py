"""The live loop: stream from a source, record, analyse, report events.

:class:`LiveSession` runs one :class:`~imu.live.sources.base.Source` (a BLE sensor, a virtual
sensor, a phone app...) and owns everything after it. Tasks (references kept in
:attr:`LiveSession._tasks`):

- the **source** (:meth:`Source.run`) connects and streams; it hands each payload with its
  host receive time to the session (which only enqueues it), and link and stream events
  (connected, disconnected, reconnecting, stopped by device...) through the same queue;
- the **consumer** takes everything queued, appends it to the crash-safe journal, places it
  on the sample grid (the source's recorder from :mod:`imu.io.recorders`: decode, gaps, clock
  fit), feeds the :class:`imu.core.RepAnalyzer` and emits :class:`~imu.live.events.LiveEvent`
  objects to the listener (the views); a failing view never stops the session;
- the **ticker** emits progress and flushes the journal twice a second.

Because link events travel through the same queue as payloads, the journal, the recorder and
the analysis see one order of things.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from imu.core.analyzer import AnalyzerParams, RepAnalyzer
from imu.core.metrics import Rep
from imu.core.phases import (
    BOTTOM_PAUSE,
    CONCENTRIC,
    ECCENTRIC,
    TOP_HOLD,
    PaceWarning,
    PhaseCue,
)
from imu.exercises import ExerciseProfile
from imu.io.journal import JournalWriter
from imu.io.recorders import (
    EVENT_CONNECTED,
    EVENT_DISCONNECTED,
    EVENT_ENDED,
    REASON_DISCONNECTED,
    FrameRecorder,
    StreamHeader,
)
from imu.io.recording import Recording
from imu.live.events import (
    CANNOT_RECORD,
    Connected,
    Disconnected,
    Finished,
    HoldFormCue,
    Listener,
    LiveEvent,
    PaceCue,
    PhaseChanged,
    PhaseStarted,
    Progress,
    Reconnecting,
    RepDone,
    SetEnded,
    SourceInfo,
    StreamEvent,
    tells_pace,
)
from imu.live.hold_form import HoldFormWatcher
from imu.live.sources.base import Source
from imu.tempo import Tempo

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
HostClock = Callable[[], float]


@dataclass
class _LinkEvent:
    kind: str
    host_s: float
    fields: dict[str, Any] = field(default_factory=dict)


_STOP = object()

HOLD_NOTICE_MARGIN_S = 1.0
"""A static hold's start is known about ``still_window_s + get_down_s`` after it (once the
pelvis is still in position and a get-down is ruled out: 4.1-4.4 s measured at 26-833 Hz
with the default parameters); a plank's set is announced only after that much more rest,
plus this margin, s."""

RESUMED_MARGIN_S = 0.25
"""A concentric or eccentric that the phase cues start within this long after the samples
came back from a lost link was already under way then (the rate over the loss is zero, so
the movement shows from its first sample back), s: its start is unknown, and it is told
neither as a phase nor by its pace. One that truly starts this soon after only loses its
cue."""


class PhaseTracker:
    """Coarse live phase from the angular rate about the movement axis (display only).

    ``up`` (concentric), ``down`` (eccentric), ``hold`` (still inside a set), ``rest`` (still
    for ``rest_after_s``), ``learning`` (before the analyzer fixed the movement axis). This is
    the status word of the panel (:class:`~imu.live.events.PhaseChanged`); the phase cues
    timed against the tempo (:class:`~imu.live.events.PhaseStarted`, "slower") come from the
    analyzer's own :class:`~imu.core.phases.PhaseWatcher`, on the analyzer's signal.
    """

    def __init__(
        self, profile: ExerciseProfile, sampling_rate_hz: float, rest_after_s: float
    ) -> None:
        self.threshold_rads = math.radians(0.5 * profile.min_velocity_dps)
        self.alpha = min(1.0, 1.0 / (0.15 * sampling_rate_hz))
        self.rest_after = int(rest_after_s * sampling_rate_hz)
        self.rate = 0.0
        self.still_for = 0
        self.phase = "learning"

    def update(self, gyr: FloatArray, axis: FloatArray | None) -> str:
        """Feed ``(m, 3)`` rad/s (NaN rows skipped); returns the phase."""
        if axis is None:
            return self.phase
        w = gyr @ axis
        w = w[np.isfinite(w)]
        for value in w[-64:] if len(w) > 64 else w:
            self.rate += self.alpha * (float(value) - self.rate)
        self.still_for = 0 if abs(self.rate) > self.threshold_rads else self.still_for + len(w)
        if self.rate > self.threshold_rads:
            self.phase = "up"
        elif self.rate < -self.threshold_rads:
            self.phase = "down"
        else:
            self.phase = "rest" if self.still_for >= self.rest_after else "hold"
        return self.phase


@dataclass
class LiveResult:
    """What a live session produced.

    Attributes:
        recording: everything received, on the uniform grid (gaps NaN and listed).
        reps: every rep, as the live analyzer reported it: what the person saw, and what the
            saved reports hold.
        reason: why the session ended.
        trace: shape (n, 2), the live analyzer's pelvic angle (deg) and rate (deg/s) per
            sample, for the report's plot (empty when not kept).
        trace_start_s: time of the trace's first row on the reps' clock (minus the filter
            delay), s.
        interrupted: the session was ended by Ctrl-C (SIGINT or SIGTERM,
            :func:`run_with_signals`), not by its source.
        unfinished: whether a rep (a plank's hold) was under way when the session ended
            (the analyzer's open movement after its last sample); None: not known.

    """

    recording: Recording
    reps: list[Rep]
    reason: str
    trace: FloatArray = field(default_factory=lambda: np.empty((0, 2)))
    trace_start_s: float = 0.0
    interrupted: bool = False
    unfinished: bool | None = None


class _SessionLink:
    """The :class:`~imu.live.sources.base.SourceLink` a session gives its source."""

    def __init__(self, session: LiveSession) -> None:
        self._session = session
        self.now: HostClock = session.host_clock

    def frame(self, host_time_s: float, payload: bytes) -> None:
        """Enqueue ``(host_time, bytes)``, nothing else."""
        self._session._queue.put_nowait((host_time_s, payload))

    def connected(self, info: SourceInfo) -> None:
        """Journal and recorder (via the queue), then the views."""
        s = self._session
        s.info = info
        s._queue.put_nowait(_LinkEvent(EVENT_CONNECTED, self.now(), info.as_event()))
        s._emit(Connected(info, reconnect=s._connections > 0))
        s._connections += 1

    def disconnected(self) -> None:
        """Mark the link as dropped (journal, recorder), tell the views."""
        s = self._session
        s._queue.put_nowait(_LinkEvent(EVENT_DISCONNECTED, self.now()))
        s._emit(Disconnected(s.recorder.n_samples))

    def reconnecting(self, attempt: int, delay_s: float, error: str) -> None:
        """Tell the views (nothing to record)."""
        self._session._emit(Reconnecting(attempt, delay_s, error))

    def stream_event(self, kind: str, fields: Mapping[str, Any]) -> None:
        """A stream event: journal and recorder (via the queue), and the views."""
        self._session._queue.put_nowait(_LinkEvent(kind, self.now(), dict(fields)))
        error = fields.get("error")
        self._session._emit(
            StreamEvent(kind, str(fields.get("measurement")), error and str(error))
        )


class LiveSession:
    """Streams from one source until stopped, recording and analysing as it goes.

    Args:
        source: where the payloads come from (:class:`imu.live.sources.base.Source`).
        profile: exercise profile.
        tempo: prescribed tempo (None: the profile's).
        params: analyzer parameters.
        journal_path: crash-safe journal file to create (None: no journal).
        listener: receives :class:`LiveEvent` objects (from the consumer task).
        host_clock: host time in seconds (``time.time``; a scaled clock in simulations).

    """

    def __init__(
        self,
        source: Source,
        profile: ExerciseProfile,
        tempo: Tempo | None = None,
        params: AnalyzerParams | None = None,
        journal_path: str | None = None,
        listener: Listener | None = None,
        host_clock: HostClock = time.time,
    ) -> None:
        self.source = source
        self.profile = profile
        self.tempo = tempo or profile.default_tempo
        self.params = params or AnalyzerParams()
        self.listener = listener
        self.host_clock = host_clock
        self.odr_hz = source.odr_hz
        self.header = StreamHeader(
            odr_hz=source.odr_hz,
            acc_range_g=source.acc_range_g,
            gyr_range_dps=source.gyr_range_dps,
            start_time_s=host_clock(),
            exercise=profile.name,
            tempo=str(self.tempo),
            source=source.label,
            notes=source.header_notes(),
        )
        self.recorder: FrameRecorder = source.make_recorder(self.header)
        self.analyzer = RepAnalyzer(
            profile, source.odr_hz, self.tempo, self.params, keep_trace=True, phase_cues=True
        )
        self.phases = PhaseTracker(profile, source.odr_hz, rest_after_s=3.0)
        self.journal = JournalWriter(journal_path, self.header) if journal_path else None
        self.reps: list[Rep] = []
        self.info: SourceInfo | None = None
        self.reason = "stopped"
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stop = asyncio.Event()
        self._connections = 0
        self._set_reported = (0, 0)  # (set, reps) last announced
        self._reps_ahead = 0  # reps whose end was cued and whose RepDone has not come yet
        self._hold_told: float | None = None  # the open plank hold told (its start, s)
        self._down_told: float | None = None  # getting down from it told (since when, s)
        self._problem_told = False  # the recorder's reason nothing can be recorded, told
        self._link_lost_at_s = -math.inf  # data time the last link loss (a gap) began, s
        self._link_back_at_s = -math.inf  # data time the samples came back after it, s
        # A plank: the hold's hips sagging or piking, told while the hold lasts.
        self._form = HoldFormWatcher(profile.thresholds.hip_drift_deg)
        self._streaming = False  # samples have arrived
        self._link = _SessionLink(self)

    # ------------------------------------------------------------------ public
    def stop(self) -> None:
        """Ask the session to end (the source stops its stream; the rest drains)."""
        self._stop.set()

    async def run(self) -> LiveResult:
        """Run until :meth:`stop` or the source ends; returns the result."""
        consumer = asyncio.create_task(self._consume(), name="imu-live-consumer")
        self._tasks.add(consumer)
        ticker = asyncio.create_task(self._tick(), name="imu-live-ticker")
        self._tasks.add(ticker)
        try:
            self.reason = await self.source.run(self._link, self._stop)
        finally:
            # The end, journalled and recorded after every frame: a link still down here lost
            # the stream's tail (the recording notes how long; recovery reads the same).
            self._queue.put_nowait(_LinkEvent(EVENT_ENDED, self.host_clock()))
            self._queue.put_nowait(_STOP)
            try:
                await consumer
            finally:
                ticker.cancel()
                await asyncio.gather(ticker, return_exceptions=True)
                self._tasks.clear()
            last = self.analyzer.finish()
            self._emit_cues(self.analyzer.pop_cues())
            self._emit_reps(last, self.host_clock())
            # The last count of samples: the ticker's is up to half a second of host time
            # old, 10 s of data at --speed 20 ("session ended · 29 s" of 33 recorded).
            self._emit(self._progress())
            self._maybe_set_ended(final=True)
            if self.journal is not None:
                self.journal.close()
        self._emit(Finished(self.reason))
        return LiveResult(
            self.recorder.recording(), list(self.reps), self.reason,
            trace=self.analyzer.trace_, trace_start_s=-self.analyzer.delay_s,
            unfinished=self.analyzer.open_since_s is not None,
        )

    # ------------------------------------------------------------------ consumer
    async def _consume(self) -> None:
        done = False
        while not done:
            item = await self._queue.get()
            items = [item]
            while not self._queue.empty():
                items.append(self._queue.get_nowait())
            hosts: list[float] = []
            payloads: list[bytes] = []
            for it in items:
                if it is _STOP:
                    done = True
                elif isinstance(it, _LinkEvent):
                    self._process_frames(hosts, payloads)
                    hosts, payloads = [], []
                    self.recorder.event(it.kind, it.host_s, **it.fields)
                    if self.journal is not None:
                        self.journal.append_event(it.host_s, it.kind, **it.fields)
                else:
                    hosts.append(it[0])
                    payloads.append(it[1])
            self._process_frames(hosts, payloads)

    def _process_frames(self, hosts: list[float], payloads: list[bytes]) -> None:
        if not payloads:
            return
        if self.journal is not None:
            self.journal.append_frames(zip(hosts, payloads, strict=True))
        block = self.recorder.frames(hosts, payloads)
        problem = self.recorder.problem
        if problem is not None and not self._problem_told:
            self._problem_told = True  # shown where the screen shows the link, once
            self._emit(StreamEvent(CANNOT_RECORD, "", problem))
        if block.n_samples == 0:
            return
        if not self._streaming:
            self._streaming = True
            self._emit(PhaseChanged(self.phases.phase))  # "learning": the axis is not fixed
        for gap in block.gaps:
            if gap.reason == REASON_DISCONNECTED:
                self._link_lost_at_s = gap.start / self.odr_hz
                self._link_back_at_s = gap.end / self.odr_hz
        reps = self.analyzer.update(block.acc, block.gyr)
        self._emit_cues(self.analyzer.pop_cues())
        self._emit_reps(reps, hosts[-1])
        if self.profile.isometric:
            self._tell_hold()
            self._tell_form()
        phase = self.phases.phase
        if self.phases.update(block.gyr, self.analyzer.locked_axis_) != phase:
            self._emit(PhaseChanged(self.phases.phase))
        self._maybe_set_ended(final=False)

    def _emit_cues(self, cues: list[PhaseCue | PaceWarning]) -> None:
        """Phase cues as :class:`PhaseStarted` / :class:`PaceCue`, numbered by rep."""
        tempo = self.tempo
        prescribed = {
            CONCENTRIC: tempo.concentric_s,
            TOP_HOLD: tempo.top_hold_s,
            ECCENTRIC: tempo.eccentric_s,
            BOTTOM_PAUSE: tempo.bottom_pause_s,
        }
        # A standing strict lift: every pelvic rep is a hip drive (a fault), not a rep with a
        # tempo; its phases have no prescription and a quick return is no dropped lowering.
        drive = self.profile.every_rep_is_swing
        # "SLOWER" only where the pelvis' lowering is the rep's (tells_pace): on a dead bug a
        # tilt as the leg lowered was told as a fast lowering the rep then measured on tempo.
        pace = tells_pace(self.profile)
        for cue in cues:
            if (isinstance(cue, PhaseCue) and cue.phase != BOTTOM_PAUSE
                    and not self.profile.isometric
                    and cue.at_s < self._link_lost_at_s <= cue.emitted_at_s):
                # A rep's phase that began before the sensor was lost, told after it came
                # back: its time runs across the loss ("DOWN 7.0 / 3 s" in green). The screens
                # say "carry on" until a phase that starts after the loss is told.
                continue
            started = cue.at_s if isinstance(cue, PhaseCue) else cue.started_s
            if (not self.profile.isometric
                    and (isinstance(cue, PaceWarning) or cue.phase in (CONCENTRIC, ECCENTRIC))
                    and self._link_lost_at_s <= started
                    <= self._link_back_at_s + RESUMED_MARGIN_S):
                # A movement already under way when the samples came back (the rate was zero
                # over the loss): its start is not known, so neither its clock nor its pace
                # (a lowering seen from half-way was "SLOWER, lowering in 1.7 s").
                continue
            rep_no = len(self.reps) + self._reps_ahead + 1
            if isinstance(cue, PaceWarning):
                if pace:
                    self._emit(PaceCue(cue.phase, rep_no, cue.elapsed_s, cue.projected_s,
                                       tempo.eccentric_s, "slower"))
                continue
            if cue.rep_ended:
                self._reps_ahead += 1
            self._emit(PhaseStarted(cue.phase, rep_no, cue.at_s, cue.emitted_at_s,
                                    None if drive else prescribed[cue.phase],
                                    rep_ended=cue.rep_ended))

    def _tell_hold(self) -> None:
        """Plank: tell a hold as it starts (a top-hold phase) and as it ends (bottom pause).

        Holds have no phase cues; the analyzer knows a hold is under way a few seconds after
        it began (once the pelvis is still in position), and when it ended once the person
        got down.
        """
        top = self.analyzer.open_top_s
        newest = self.recorder.n_samples / self.odr_hz
        if top is not None and self._hold_told is None:
            self._hold_told = top
            self._emit(PhaseStarted(TOP_HOLD, len(self.reps) + 1, top, newest,
                                    self.tempo.top_hold_s))
        elif top is not None:
            # Getting down: the hold's clock stops where it began (the hold is measured to
            # there, and handed on seconds later); a shift that was no getting down resumes it.
            ending = self.analyzer.open_hold_ending_s
            if ending is not None and self._down_told is None:
                self._down_told = ending
                self._emit(PhaseStarted(ECCENTRIC, len(self.reps) + 1, ending, newest,
                                        self.tempo.eccentric_s))
            elif ending is None and self._down_told is not None:
                self._down_told = None
                self._emit(PhaseStarted(TOP_HOLD, len(self.reps) + 1, top, newest,
                                        self.tempo.top_hold_s))
        elif self._hold_told is not None:
            self._down_told = None
            began, self._hold_told = self._hold_told, None
            ended = bool(self.reps) and self.reps[-1].ecc_start_s > began
            at = self.reps[-1].ecc_end_s if ended else newest
            self._emit(PhaseStarted(BOTTOM_PAUSE, len(self.reps) + (0 if ended else 1), at,
                                    newest, self.tempo.bottom_pause_s, rep_ended=ended))

    def _tell_form(self) -> None:
        """Plank: tell the hips sagging or piking while the hold lasts, and when it stops.

        The analyzer's drift of the hold under way (:attr:`RepAnalyzer.open_hold_drift_deg`),
        debounced by :class:`~imu.live.hold_form.HoldFormWatcher`; a cue up when the hold
        ends is cleared with ``hold_ended`` (the hold's own verdict follows).
        """
        drift = self.analyzer.open_hold_drift_deg if self._hold_told is not None else None
        newest = self.recorder.n_samples / self.odr_hz
        if not self._form.update(newest, drift):
            return
        if self._form.fault is not None:
            assert drift is not None
            self._emit(HoldFormCue(self._form.fault, len(self.reps) + 1, drift, newest))
        else:
            rep_no = len(self.reps) + (0 if self._hold_told is None else 1)
            self._emit(HoldFormCue(None, rep_no, math.nan if drift is None else drift, newest,
                                   hold_ended=drift is None))

    def _emit_reps(self, reps: list[Rep], received_s: float) -> None:
        for rep in reps:
            if self.reps and rep.set != self.reps[-1].set:
                # A new set without the rest having run out on the old one (an uncertain
                # shift in the rest kept it short): the old set is over all the same.
                self._announce_set(self._last_set())
            self.reps.append(rep)
            self._reps_ahead = max(0, self._reps_ahead - 1)
            self._emit(RepDone(rep, received_s, self.host_clock()))

    def _maybe_set_ended(self, final: bool) -> None:
        """Announce a set once no rep came for ``set_rest_s`` of received signal.

        Gaps do not count as rest. If a late rep joins a set already announced, the set is
        announced again with it. A static hold under way is no rest: a plank's next hold
        ends (and is told) only when the person gets down, long after ``set_rest_s``.
        """
        in_set = self._last_set()
        if not in_set or self._set_reported == (in_set[-1].set, len(in_set)):
            return
        p = self.params
        rest_s = p.set_rest_s
        if self.profile.isometric:
            # A hold under way that started within the set rest is this set's next hold.
            open_since = self.analyzer.open_since_s
            if (not final and open_since is not None
                    and 0.0 < open_since - in_set[-1].ecc_end_s <= rest_s):
                return
            rest_s += p.still_window_s + p.get_down_s + HOLD_NOTICE_MARGIN_S
        odr = self.odr_hz
        end = math.ceil(max(in_set[-1].ecc_end_s, 0.0) * odr)
        n = self.recorder.n_samples
        missing = sum(max(0, min(g.end, n) - max(g.start, end)) for g in self.recorder.gaps)
        idle_s = (n - end - missing) / odr
        if final or idle_s >= rest_s:
            self._reps_ahead = 0  # a cued end whose rep was not confirmed (a fidget) is over
            self._announce_set(in_set)

    def _last_set(self) -> tuple[Rep, ...]:
        """The reps of the latest set so far, in order (empty before the first rep)."""
        if not self.reps:
            return ()
        latest = self.reps[-1].set
        return tuple(r for r in self.reps if r.set == latest)

    def _announce_set(self, in_set: tuple[Rep, ...]) -> None:
        """Tell ``SetEnded`` for the reps of one set, unless told already with these reps."""
        if self._set_reported != (in_set[-1].set, len(in_set)):
            self._set_reported = (in_set[-1].set, len(in_set))
            self._emit(SetEnded(in_set[-1].set, in_set))

    async def _tick(self) -> None:
        """Periodic progress events and journal fsyncs (also when no data arrives)."""
        while True:
            await asyncio.sleep(0.5)
            if self.journal is not None:
                self.journal.flush()
            self._emit(self._progress())

    def _progress(self) -> Progress:
        """The recorder's counts now, as a :class:`Progress` event."""
        n = self.recorder.n_samples
        fit = self.recorder.clock_fit()
        gaps = self.recorder.gaps
        return Progress(
            samples=n,
            seconds=n / self.odr_hz,
            lost_samples=sum(g.n_samples for g in gaps),
            gaps=len(gaps),
            clock_drift_ppm=fit.drift_ppm if fit and fit.n_points > 5 else None,
            journal_error=self.journal.error if self.journal else None,
        )

    def _emit(self, event: LiveEvent | Finished) -> None:
        """Give ``event`` to the listener; a failing listener never stops the session.

        A view is only a view: if it raises (a bug, a closed terminal), the error is logged
        once and the listener dropped, while recording and analysis carry on.
        """
        if self.listener is None:
            return
        try:
            self.listener(event)
        except Exception:  # the view's failure must not lose the recording
            logger.exception("the live view failed; carrying on without it")
            self.listener = None


class InterruptHold:
    """Ctrl-C (SIGINT) and SIGTERM held off while a session's recording is saved.

    The first Ctrl-C ends a live session (:func:`run_with_signals`); saving the recording then
    takes a moment, and a Ctrl-C in that moment must not lose it. From :meth:`hold` (called by
    :func:`run_with_signals` as the session ends, or by the saving code) until :meth:`release`
    a Ctrl-C is counted and answered on stderr, not raised: the first says the recording is
    being saved and that another Ctrl-C skips the reports, the next that the reports will be
    skipped. After :meth:`release` (the recording is saved, the reports are being made) the
    second Ctrl-C in all raises :class:`KeyboardInterrupt`, so the reports can be cut short
    (and the caller says how to finish them); a first one there is answered as while saving
    (trial 23: one Ctrl-C just after "session ended" skipped the reports, which the help
    promises only of a second). Leaving the ``with`` block (or :meth:`restore`) puts back the
    handlers found.

    Handlers can only be set in the main thread; elsewhere the hold holds nothing.

    A Ctrl-C after :meth:`release` that lands where Python cannot raise it (a garbage
    collector's callback, a ``__del__``) would only print "Exception ignored … KeyboardInterrupt"
    and be lost: :attr:`interrupted` records it instead, for the caller to stop at its next
    step.

    Args:
        command: the command named in the messages (``live``, ``replay``).

    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, command: str = "live") -> None:
        self.command = command
        self.presses = 0
        """Ctrl-Cs (and SIGTERMs) held off so far."""
        self.holding = False
        self.interrupted = False
        """A Ctrl-C after :meth:`release` could not be raised where it landed (see above)."""
        self._previous: dict[int, Any] = {}
        self._previous_hook: Any = None

    def __enter__(self) -> InterruptHold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    @property
    def skip_reports(self) -> bool:
        """True once Ctrl-C was pressed twice while held: the person asked to skip the reports."""
        return self.presses >= 2

    def hold(self) -> None:
        """Hold off Ctrl-C and SIGTERM from now on, until :meth:`release`."""
        self.holding = True
        if threading.current_thread() is not threading.main_thread():
            return
        if self._previous_hook is None:
            self._previous_hook = sys.unraisablehook
            sys.unraisablehook = self._unraisable
        for sig in self.SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                if signal.getsignal(sig) == self._on_signal:
                    continue  # held already
                previous = signal.signal(sig, self._on_signal)
                # The first handler found is the one to put back (an event loop's handlers
                # may have come and gone in between).
                self._previous.setdefault(sig, signal.SIG_DFL if previous is None else previous)

    def release(self) -> None:
        """Let Ctrl-C (and SIGTERM) through again, as :class:`KeyboardInterrupt`."""
        self.holding = False

    def restore(self) -> None:
        """Put back the signal handlers found by :meth:`hold` (once; later calls do nothing)."""
        self.holding = False
        previous, self._previous = self._previous, {}
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, handler)
        if self._previous_hook is not None:
            sys.unraisablehook, self._previous_hook = self._previous_hook, None

    def _unraisable(self, unraisable: Any) -> None:
        """``sys.unraisablehook``: keep a Ctrl-C raised where it cannot be; pass on the rest."""
        kind = getattr(unraisable, "exc_type", None)
        if isinstance(kind, type) and issubclass(kind, KeyboardInterrupt):
            self.interrupted = True
            return
        hook = self._previous_hook or sys.__unraisablehook__
        hook(unraisable)

    def _on_signal(self, signum: int, frame: object) -> None:
        if not self.holding and (self.presses >= 1 or signum == signal.SIGTERM):
            raise KeyboardInterrupt  # a SIGTERM (a supervisor's stop) is not asked twice
        if not self.holding:  # making the reports: a first Ctrl-C is answered, not raised
            self.presses += 1
            with contextlib.suppress(OSError):
                os.write(2, f"imu {self.command}: the recording is saved; making the reports "
                            "(a moment); press Ctrl-C again to skip them\n".encode())
            return
        self.presses += 1
        if self.presses == 1:
            text = "saving the recording (a moment); press Ctrl-C again to skip the reports"
        else:
            text = "saving the recording first, then stopping; the reports are skipped"
        # os.write, not print: a handler can run in the middle of a print to stderr.
        with contextlib.suppress(OSError):
            os.write(2, f"imu {self.command}: {text}\n".encode())


async def run_with_signals(session: LiveSession, extra_stop: asyncio.Event | None = None,
                           hold: InterruptHold | None = None) -> LiveResult:
    """Run ``session``; Ctrl-C (SIGINT/SIGTERM) or ``extra_stop`` end it cleanly.

    With ``hold``, Ctrl-C is held off from the moment the session has ended
    (:meth:`InterruptHold.hold`), for the caller to save the recording; the caller releases it.
    """
    loop = asyncio.get_running_loop()
    installed = []
    signalled: list[int] = []

    def on_signal(sig: int) -> None:
        signalled.append(sig)
        session.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_signal, sig)
            installed.append(sig)
    waiter: asyncio.Task[Any] | None = None
    if extra_stop is not None:
        async def stop_when_set() -> None:
            await extra_stop.wait()
            session.stop()

        waiter = asyncio.create_task(stop_when_set())
    try:
        result = await session.run()
        return dataclasses.replace(result, interrupted=True) if signalled else result
    finally:
        if waiter is not None:
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
        for sig in installed:
            loop.remove_signal_handler(sig)
        if hold is not None:
            hold.hold()  # a Ctrl-C from now on must not cost the recording
