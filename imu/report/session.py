"""Analyse one recording into report tables: the single entry point for CLI, batch and live."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from imu.core.analyzer import AnalyzerParams, RepAnalyzer
from imu.core.locomotion import walking_samples
from imu.core.metrics import TempoTolerance
from imu.errors import AnalysisError, ImuError
from imu.exercises import ExerciseProfile, get_profile
from imu.io.recording import Gap, Recording, RecordingMeta
from imu.io.repairs import SENSOR_NOTE
from imu.report.coaching import MIN_ANALYSIS_S
from imu.report.summary import lost_s
from imu.report.tables import reps_table, session_table, sets_table
from imu.tempo import Tempo, TempoError, parse_tempo, stored_tempo_problem

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

REP_TIME_COLUMNS: Final = ("start_s", "con_end_s", "ecc_start_s", "ecc_end_s")
"""Columns of the reps table that are times on the recording's clock (the others are
durations)."""

CHUNK_S: Final = 60.0
"""Samples are fed to the analyzer in chunks of this length (bounded memory), s."""


def data_seconds(recording: Recording) -> float:
    """How long a recording holds data outside its gaps, s."""
    return (recording.n_samples - recording.missing_samples) / recording.sampling_rate_hz


def check_long_enough(recording: Recording, name: str) -> None:
    """Refuse a recording with less than :data:`MIN_ANALYSIS_S` of data outside its gaps.

    Args:
        recording: the recording to analyse.
        name: how messages name it (the file).

    Raises:
        AnalysisError: too short; the message gives its length and the minimum.

    """
    rate = recording.sampling_rate_hz
    n_data = recording.n_samples - recording.missing_samples
    data_s = data_seconds(recording)
    if data_s >= MIN_ANALYSIS_S:
        return
    missing_s = recording.missing_samples / rate
    gaps = f", and {missing_s:.2f} s of gaps" if missing_s else ""
    raise AnalysisError(
        f"{name}: too short to analyse: {data_s:.2f} s of data ({n_data} samples at {rate:g} "
        f"Hz{gaps}); the rep analysis needs at least {MIN_ANALYSIS_S:g} s (a rep with a "
        "moment at rest before it): record the whole set"
    )


@dataclass(frozen=True)
class SessionReport:
    """Everything the reports show about one recording.

    Attributes:
        reps: reps table (:data:`imu.report.tables.REPS_DTYPES`).
        sets: sets table (:data:`imu.report.tables.SETS_DTYPES`).
        session: one-row session table (:data:`imu.report.tables.SESSION_DTYPES`).
        trace: shape (n, 2), pelvic angle about the movement axis (deg) and its rate (deg/s);
            row ``i`` is at ``trace_start_s + i / sampling_rate_hz`` seconds. Empty when the
            pelvis never moved.
        trace_start_s: time of the trace's first row on the reps' clock (minus the filter
            delay the analyzer removes from rep times), s.
        sampling_rate_hz: rate of the recording and the trace, Hz.
        profile: the exercise profile analysed.
        tempo: the prescription the tempo columns compare with.
        meta: the recording's metadata.
        name: the recording's name (file stem) used as ``recording`` column when combined.
        params: the analyzer parameters the reps were found with (``--tempo-tolerance``,
            ``max_interp_s``...): the report judges phases and gaps by the same rules.
        first_sample_s: time of the recording's first sample on the reps' clock, s: 0.0,
            or where a part cut from a longer recording (``imu analyze --from``) began on
            that one's clock. Rep, set, trace and lost-span times include it.
        set_aside: movements found but not counted as reps (too small against the
            session's reps: :attr:`imu.core.RepAnalyzer.set_aside_`), each (start s on the
            reps' clock, ROM deg); many of them may be another exercise's reps
            (:func:`imu.report.mismatch.set_aside_note`).
        unfinished: whether a rep (a plank's hold) was under way when the recording ended
            (the analyzer's open movement after its last sample); None: not known. With no
            rep in a session that ended early, the verdict says none was found when False.
        walked_s: how long the person walked in the recording, s, when no rep was found
            (:func:`walked_s`; 0 when reps were): the verdict then calls it a walk.

    """

    reps: pd.DataFrame
    sets: pd.DataFrame
    session: pd.DataFrame
    trace: FloatArray
    trace_start_s: float
    sampling_rate_hz: float
    profile: ExerciseProfile
    tempo: Tempo
    meta: RecordingMeta
    name: str = ""
    params: AnalyzerParams = field(default_factory=AnalyzerParams)
    first_sample_s: float = 0.0
    unfinished: bool | None = None
    set_aside: tuple[tuple[float, float], ...] = ()
    walked_s: float = 0.0

    @property
    def tolerance(self) -> TempoTolerance:
        """The tempo tolerance the analyzer judged ``tempo_ok`` with (``--tempo-tolerance``)."""
        return self.params.tempo_tolerance

    @property
    def trace_time_s(self) -> FloatArray:
        """Shape (n,), time of each trace row on the reps' clock, s."""
        return self.trace_start_s + np.arange(len(self.trace)) / self.sampling_rate_hz

    @property
    def lost_spans_s(self) -> tuple[tuple[float, float], ...]:
        """The recording's gaps too long to bridge, as (start, end) in s from the first sample.

        Gaps the analyzer bridges (up to ``round(max_interp_s x rate)`` samples, of the
        analysis' own :attr:`params`: a lost BLE frame or two) are interpolated, so they cost
        nothing; longer ones (a disconnection) are samples nobody measured: reps there cannot
        be counted, and a rep over one is not judged.
        """
        spans = lost_spans_s(self.meta, self.sampling_rate_hz, self.params.max_interp_s)
        if not self.first_sample_s:
            return spans
        return tuple((a + self.first_sample_s, b + self.first_sample_s) for a, b in spans)

    @property
    def paused_spans_s(self) -> tuple[tuple[float, float], ...]:
        """Where the measurement was paused, as (start, end) in s on the reps' clock.

        The pauses (:attr:`imu.io.recording.Gap.paused`) as :attr:`lost_spans_s` has the
        gaps (those the analyzer bridges left out): no data there, and nothing lost.
        """
        spans = paused_spans_s(self.meta, self.sampling_rate_hz, self.params.max_interp_s)
        return tuple((a + self.first_sample_s, b + self.first_sample_s) for a, b in spans)

    @property
    def paused_reason(self) -> str:
        """How the measurement was paused, "paused in phyphox" ("" when it never was)."""
        return pause_reason(self.meta)

    @property
    def sensor_warnings(self) -> tuple[str, ...]:
        """What the import found wrong with the sensor itself, one a line (none: ``()``).

        A frozen sensor, a dead axis, a stuck sensor (:data:`imu.io.repairs.SENSOR_NOTE`):
        said on stderr at import, and kept with the recording for the report.
        """
        text = self.meta.notes.get(SENSOR_NOTE, "")
        return tuple(line for line in text.splitlines() if line.strip())


def bridged_limit(sampling_rate_hz: float, max_interp_s: float | None = None) -> int:
    """The longest run of missing samples the analyzer bridges (interpolates), samples.

    ``max(1, round(max_interp_s x rate))`` (:class:`imu.core.stream.GapFiller`);
    ``max_interp_s`` None: the analyzer's default.
    """
    limit_s = AnalyzerParams().max_interp_s if max_interp_s is None else max_interp_s
    return max(1, round(limit_s * sampling_rate_hz))


def lost_spans_s(meta: RecordingMeta, sampling_rate_hz: float,
                 max_interp_s: float | None = None) -> tuple[tuple[float, float], ...]:
    """The gaps of ``meta`` the analyzer did not bridge, as (start, end) in s, in time order.

    Seconds from the first sample; ``max_interp_s`` None: the analyzer's default. The
    analyzer's own rule, in samples: it fills a run of up to ``max(1, round(max_interp_s x
    rate))`` missing samples (:class:`imu.core.stream.GapFiller`), so a longer run is lost.
    Gaps that touch (listed apart, e.g. for two reasons) are one run of missing samples.
    A pause (:attr:`imu.io.recording.Gap.paused`: the measurement paused in phyphox) lost
    nothing: it is left out (:func:`paused_spans_s`), and so are the few samples beside one
    that the analyzer would have bridged on their own.
    """
    return _runs_s([g for g in meta.gaps if not g.paused], sampling_rate_hz, max_interp_s)


def paused_spans_s(meta: RecordingMeta, sampling_rate_hz: float,
                   max_interp_s: float | None = None) -> tuple[tuple[float, float], ...]:
    """Where the measurement of ``meta`` was paused, as (start, end) in s, in time order.

    The gaps that are pauses (:attr:`imu.io.recording.Gap.paused`), by the rule of
    :func:`lost_spans_s`: touching ones joined, those the analyzer bridges left out.
    """
    return _runs_s([g for g in meta.gaps if g.paused], sampling_rate_hz, max_interp_s)


def pause_reason(meta: RecordingMeta) -> str:
    """The reason of the recording's first pause ("paused in phyphox"), "" without one."""
    return next((g.reason for g in sorted(meta.gaps, key=lambda g: g.start) if g.paused), "")


def _runs_s(gaps: Sequence[Gap], sampling_rate_hz: float,
            max_interp_s: float | None) -> tuple[tuple[float, float], ...]:
    """The runs of ``gaps`` (touching ones joined) longer than the analyzer bridges, s."""
    limit = bridged_limit(sampling_rate_hz, max_interp_s)
    runs: list[list[int]] = []
    for g in sorted(gaps, key=lambda g: (g.start, g.end)):
        if runs and g.start <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], g.end)
        else:
            runs.append([g.start, g.end])
    return tuple(
        (start / sampling_rate_hz, end / sampling_rate_hz)
        for start, end in runs
        if end - start > limit
    )


COARSE_RATE_HZ = 20.0
"""Under this rate a fast rep's burst (0.2-0.4 s) is only a few samples: said, not refused.
Controlled reps still count and time well below it (3-1-3 reverse crunches, hanging leg raises
and pelvic tilts, simulator seeds 0-5, resampled to 10, 13 and 20 Hz and streamed in
20-sample chunks: every rep found, median onset error 9-58 ms,
``tests/core/test_other_rates.py`` for 50-200 Hz)."""


def coarse_rate_note(sampling_rate_hz: float, profile: ExerciseProfile) -> str | None:
    """A note for a recording sampled under :data:`COARSE_RATE_HZ`, or None.

    Args:
        sampling_rate_hz: the recording's rate, Hz.
        profile: the exercise analysed (a plank's hold has no burst to miss).

    """
    if sampling_rate_hz >= COARSE_RATE_HZ or profile.isometric:
        return None
    burst = f"{0.2 * sampling_rate_hz:.0f}-{0.4 * sampling_rate_hz:.0f}"
    return (
        f"sampled at {sampling_rate_hz:g} Hz: reps are counted and timed, but a fast rep's "
        f"0.2-0.4 s burst is only {burst} samples, so swings and the phases of fast reps are "
        "read coarsely; record at 52 Hz or more if the sensor allows"
    )


def recorded_tempo(meta: RecordingMeta, profile: ExerciseProfile) -> Tempo:
    """The tempo to analyse a recording with when none is given.

    The recording's own prescription when it was made for this exercise (or does not name
    one); the profile's default when it was made for another one: a plank's 1-30-1 judged
    as reverse-crunch reps would call every rep's hold too short.

    Raises:
        ImuError: the recording's tempo cannot be read.

    """
    if not meta.tempo:
        return profile.default_tempo
    if meta.exercise:
        try:
            recorded = get_profile(meta.exercise).name
        except ImuError:
            recorded = meta.exercise
        if recorded != profile.name:
            logger.info(
                "the recording's tempo %s was prescribed for %s; analysing it as %s with that "
                "exercise's default tempo %s (give --tempo to choose another)",
                meta.tempo, meta.exercise, profile.name, profile.default_tempo,
            )
            return profile.default_tempo
    try:
        return parse_tempo(meta.tempo)
    except TempoError as exc:
        # Well formed but over a limit (a plank's 1-601-1): say that, not "not up-hold-down".
        raise TempoError(stored_tempo_problem(meta.tempo) or (
            f"the tempo stored in the recording, {meta.tempo!r}, is not up-hold-down "
            f"seconds; give the prescription with --tempo (e.g. --tempo "
            f"{profile.default_tempo}, the {profile.name} default)"
        )) from exc


def analyze_recording(
    recording: Recording,
    exercise: str | ExerciseProfile,
    tempo: Tempo | None = None,
    params: AnalyzerParams | None = None,
    first_sample_s: float = 0.0,
) -> SessionReport:
    """Find the reps of a recording and build its report tables.

    Args:
        recording: samples on a uniform grid (NaN gaps are handled by the analyzer).
        exercise: profile name (see :data:`imu.exercises.PROFILES`) or a profile.
        tempo: prescription; None = the recording's ``meta.tempo`` if set and the recording
            is of this exercise (or does not say), else the profile's default.
        params: signal-processing parameters (set rest, tempo tolerance...).
        first_sample_s: time of the recording's first sample on the clock the report
            shows, s (:attr:`SessionReport.first_sample_s`): a part cut from a longer
            recording keeps that one's times.

    Raises:
        ImuError: unknown exercise, a bad tempo in the metadata, or a rate the analyzer
            cannot use.

    """
    profile = exercise if isinstance(exercise, ExerciseProfile) else get_profile(exercise)
    meta = recording.meta
    if tempo is None:
        tempo = recorded_tempo(meta, profile)
    fs = recording.sampling_rate_hz
    analyzer = RepAnalyzer(profile, fs, tempo, params, keep_trace=True)
    step = max(1, round(CHUNK_S * fs))
    for i in range(0, recording.n_samples, step):
        analyzer.update(recording.acc[i : i + step], recording.gyr[i : i + step])
    analyzer.finish()
    unfinished = analyzer.open_since_s is not None  # a rep (hold) begun, never finished
    reps = reps_table(analyzer.reps_, profile)
    walked = walked_s(recording, reps)
    if first_sample_s:
        for column in REP_TIME_COLUMNS:
            reps[column] = reps[column] + first_sample_s
    sets = sets_table(reps, profile)
    lost = lost_s(lost_spans_s(meta, fs, analyzer.params.max_interp_s))
    paused = tuple((a + first_sample_s, b + first_sample_s)
                   for a, b in paused_spans_s(meta, fs, analyzer.params.max_interp_s))
    session = session_table(reps, sets, profile, tempo, meta, recording.duration_s, lost,
                            unfinished, walked, paused_spans_s=paused)
    logger.info(
        "%s: %d reps in %d sets (%s, tempo %s)",
        meta.source or "recording",
        len(reps),
        len(sets),
        profile.name,
        tempo,
    )
    return SessionReport(
        reps=reps,
        sets=sets,
        session=session,
        trace=analyzer.trace_,
        trace_start_s=first_sample_s - analyzer.delay_s,
        sampling_rate_hz=fs,
        profile=profile,
        tempo=tempo,
        meta=meta,
        name=Path(meta.source).stem if meta.source else "",
        params=analyzer.params,
        first_sample_s=first_sample_s,
        unfinished=unfinished,
        set_aside=tuple((rep.con_start_s + first_sample_s, rep.rom_deg)
                        for rep in analyzer.set_aside_),
        walked_s=walked,
    )


def walked_s(recording: Recording, reps: pd.DataFrame) -> float:
    """How long the person walked in ``recording``, s, when ``reps`` is empty; else 0.

    The analyzer leaves walking before the exercise out (:mod:`imu.core.locomotion`): a
    recording of a walk finds no reps, and its verdict says it was a walk. Read only when no
    rep was found (a walk over the whole recording, :func:`walking_samples`).
    """
    if len(reps) or recording.n_samples == 0:
        return 0.0
    fs = recording.sampling_rate_hz
    return float(walking_samples(recording.acc, recording.gyr, fs).sum() / fs)
