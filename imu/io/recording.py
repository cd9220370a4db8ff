"""The in-memory recording and its Parquet file format.

A :class:`Recording` holds samples on a **uniform grid** at ``meta.sampling_rate_hz``:
sample ``i`` was taken ``i / sampling_rate_hz`` seconds after the first one. Samples the
sensor never delivered (lost packets, a dropped link, a hole in an imported CSV) are NaN in
every channel and listed in ``meta.gaps`` as half-open index intervals ``[start, end)``; they
are never interpolated across. A stretch where the measurement was paused on purpose (phyphox's
pause button) is a gap too, with no samples, whose reason says so (:attr:`Gap.paused`,
:data:`PAUSE_REASONS`): the reports call it a pause, not a sensor that was lost.

File format: one Parquet file with columns ``time_s`` (seconds from the first sample),
``acc_x, acc_y, acc_z`` (m/s^2) and ``gyr_x, gyr_y, gyr_z`` (rad/s), all float64, and the
metadata as JSON under the schema metadata key ``imu.recording``. The round trip is lossless.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from imu.errors import RecordingError
from imu.frames import ACC, GYR, TIME
from imu.io.atomic import atomic_path, write_error_reason

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
METADATA_KEY = b"imu.recording"

FloatArray = npt.NDArray[np.float64]


REASON_PAUSED_PHYPHOX: Final = "paused in phyphox"
"""Gap reason: a phyphox export's ``meta/time.csv`` says the measurement was paused then
(a PAUSE, then a START to resume it; :mod:`imu.io.phone`)."""

REASON_PAUSED_PHONE: Final = "paused on the phone"
"""Gap reason: a phone app streaming live stopped measuring (phyphox paused, Sensor Logger sent
nothing new while its messages went on; :mod:`imu.io.recorders.timed`)."""

PAUSE_REASONS: Final = (REASON_PAUSED_PHYPHOX, REASON_PAUSED_PHONE)
"""Gap reasons of a pause the person made: no sample was measured, none was lost. Each reads
after "the measurement was" in the reports ("the measurement was paused in phyphox")."""


@dataclass(frozen=True)
class Gap:
    """Samples ``[start, end)`` that were never received; NaN in the recording."""

    start: int
    end: int
    reason: str = "missing"

    @property
    def n_samples(self) -> int:
        """Number of missing samples."""
        return self.end - self.start

    @property
    def paused(self) -> bool:
        """Whether the measurement was paused here, rather than samples lost.

        Every reason is one of :data:`PAUSE_REASONS`. Gaps joined with other reasons
        (``"paused in phyphox; missing values"``, see :func:`imu.io.load.merged_gaps`) are
        no pause: something was lost there too.
        """
        return all(part in PAUSE_REASONS for part in self.reason.split("; "))


@dataclass(frozen=True)
class Annotation:
    """A labelled time span, e.g. one set of an exercise.

    ``start_s`` and ``end_s`` are seconds from the first sample (half-open).
    """

    start_s: float
    end_s: float
    label: str = ""
    exercise: str | None = None
    set: int | None = None


@dataclass(frozen=True)
class ClockMapping:
    """Maps device time to host time: ``host_s = offset_s + device_s * (1 + drift_ppm * 1e-6)``."""

    offset_s: float = 0.0
    drift_ppm: float = 0.0


@dataclass(frozen=True)
class RecordingMeta:
    """Everything known about a recording besides its samples.

    Attributes:
        sampling_rate_hz: rate of the uniform sample grid, Hz.
        start_time_s: absolute time of sample 0 (Unix seconds), 0.0 when unknown.
        device: device name or model.
        device_address: BLE address or other identifier, if any.
        protocol_version: firmware protocol version ("major.minor"), if streamed.
        firmware_version: firmware version string, if known.
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-degrees/s.
        clock: device-to-host clock mapping.
        gaps: missing sample intervals.
        annotations: labelled spans such as sets.
        participant: who wore the sensor, if known.
        exercise: exercise profile name, if known.
        tempo: prescribed tempo "up-hold-down", if known.
        source: where the samples came from (file name, "simulator", "ble").
        notes: free-form key/value notes.

    """

    sampling_rate_hz: float
    start_time_s: float = 0.0
    device: str = "unknown"
    device_address: str | None = None
    protocol_version: str | None = None
    firmware_version: str | None = None
    acc_range_g: float | None = None
    gyr_range_dps: float | None = None
    clock: ClockMapping = field(default_factory=ClockMapping)
    gaps: tuple[Gap, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    participant: str | None = None
    exercise: str | None = None
    tempo: str | None = None
    source: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise to a JSON string (stable key order)."""
        d = asdict(self)
        d["format_version"] = FORMAT_VERSION
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RecordingMeta:
        """Parse what :meth:`to_json` wrote. Raises :class:`RecordingError` if malformed."""
        try:
            d: dict[str, Any] = json.loads(text)
            version = d.pop("format_version", 1)
            if version > FORMAT_VERSION:
                raise RecordingError(
                    f"recording format version {version} is newer than this tool supports "
                    f"({FORMAT_VERSION}); upgrade the imu package"
                )
            d["clock"] = ClockMapping(**d.get("clock", {}))
            d["gaps"] = tuple(Gap(**g) for g in d.get("gaps", ()))
            d["annotations"] = tuple(Annotation(**a) for a in d.get("annotations", ()))
            meta = cls(**d)
            _check_field_types(meta)
            return meta
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise RecordingError(
                f"recording metadata is malformed: {one_line(exc)}; it was changed after imu "
                "wrote it: write the recording again from its source (imu convert, imu recover) "
                "or copy the original again"
            ) from exc


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_field_types(meta: RecordingMeta) -> None:
    """Raise TypeError naming the first field whose JSON value has the wrong type."""
    numbers = {"sampling_rate_hz": meta.sampling_rate_hz, "start_time_s": meta.start_time_s,
               "clock.offset_s": meta.clock.offset_s, "clock.drift_ppm": meta.clock.drift_ppm}
    optional_numbers = {"acc_range_g": meta.acc_range_g, "gyr_range_dps": meta.gyr_range_dps}
    texts = {"device": meta.device, "source": meta.source}
    optional_texts = {
        "device_address": meta.device_address, "protocol_version": meta.protocol_version,
        "firmware_version": meta.firmware_version, "participant": meta.participant,
        "exercise": meta.exercise, "tempo": meta.tempo,
    }
    bad = [k for k, v in numbers.items() if not _is_number(v)]
    bad += [k for k, v in optional_numbers.items() if v is not None and not _is_number(v)]
    bad += [k for k, v in texts.items() if not isinstance(v, str)]
    bad += [k for k, v in optional_texts.items() if v is not None and not isinstance(v, str)]
    if not isinstance(meta.notes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in meta.notes.items()
    ):
        bad.append("notes")
    for g in meta.gaps:
        if not (type(g.start) is int and type(g.end) is int and isinstance(g.reason, str)):
            bad.append("gaps")
            break
    for a in meta.annotations:
        if not (_is_number(a.start_s) and _is_number(a.end_s) and isinstance(a.label, str)
                and (a.exercise is None or isinstance(a.exercise, str))
                and (a.set is None or type(a.set) is int)):  # fmt: skip
            bad.append("annotations")
            break
    if bad:
        raise TypeError(f"field(s) {', '.join(bad)} of the wrong type")


@dataclass(frozen=True)
class Recording:
    """Samples on a uniform grid plus metadata.

    Attributes:
        acc: shape (n, 3), specific force in the sensor frame, m/s^2; NaN inside gaps.
        gyr: shape (n, 3), angular velocity in the sensor frame, rad/s; NaN inside gaps.
        meta: sampling rate, device, gaps, annotations...

    """

    acc: FloatArray
    gyr: FloatArray
    meta: RecordingMeta

    def __post_init__(self) -> None:
        if self.acc.ndim != 2 or self.acc.shape[1] != 3:
            raise RecordingError(f"acc must have shape (n, 3), got {self.acc.shape}")
        if self.gyr.shape != self.acc.shape:
            raise RecordingError(
                f"gyr shape {self.gyr.shape} differs from acc shape {self.acc.shape}"
            )
        if not np.isfinite(self.meta.sampling_rate_hz) or self.meta.sampling_rate_hz <= 0:
            raise RecordingError(
                f"sampling_rate_hz must be a positive number, got {self.meta.sampling_rate_hz}"
            )
        for gap in self.meta.gaps:
            if not 0 <= gap.start < gap.end <= len(self.acc):
                raise RecordingError(
                    f"gap [{gap.start}, {gap.end}) lies outside the {len(self.acc)} samples"
                )

    @property
    def n_samples(self) -> int:
        """Number of grid samples, including those inside gaps."""
        return int(self.acc.shape[0])

    @property
    def sampling_rate_hz(self) -> float:
        """Rate of the uniform grid, Hz."""
        return self.meta.sampling_rate_hz

    @property
    def duration_s(self) -> float:
        """Span of the grid in seconds (n / rate)."""
        return self.n_samples / self.meta.sampling_rate_hz

    @property
    def time_s(self) -> FloatArray:
        """Shape (n,), seconds from the first sample."""
        return np.arange(self.n_samples, dtype=np.float64) / self.meta.sampling_rate_hz

    @property
    def missing_samples(self) -> int:
        """Samples inside gaps."""
        return sum(g.n_samples for g in self.meta.gaps)

    def with_meta(self, **changes: Any) -> Recording:
        """Return a copy with some metadata fields replaced (samples are shared, not copied)."""
        return Recording(self.acc, self.gyr, replace(self.meta, **changes))


def cut_recording(recording: Recording, start: int, end: int) -> Recording:
    """Samples ``[start, end)`` of ``recording`` as a recording of their own.

    Its sample 0 is ``recording``'s sample ``start``: gaps and annotations are cut to the
    part and moved onto its clock (those outside it dropped), a known ``start_time_s``
    moves with it, and ``notes["cut_from_s"]`` keeps where the part began on the original's
    clock (``start / sampling_rate_hz``, added to any earlier cut's).

    Raises:
        RecordingError: ``[start, end)`` holds no sample of ``recording``.

    """
    n, fs = recording.n_samples, recording.sampling_rate_hz
    start, end = max(0, start), min(n, end)
    if start >= end:
        raise RecordingError(
            f"samples [{start}, {end}) hold none of the recording's {n}; cut inside it"
        )
    first_s, last_s = start / fs, end / fs
    gaps = tuple(Gap(max(g.start, start) - start, min(g.end, end) - start, g.reason)
                 for g in recording.meta.gaps if g.end > start and g.start < end)
    notes = dict(recording.meta.notes)
    try:
        earlier = float(notes.get("cut_from_s", "0"))
    except ValueError:
        earlier = 0.0
    notes["cut_from_s"] = f"{earlier + first_s:g}"
    meta = replace(
        recording.meta,
        start_time_s=(recording.meta.start_time_s + first_s
                      if recording.meta.start_time_s else 0.0),
        gaps=gaps,
        annotations=tuple(
            replace(a, start_s=max(a.start_s, first_s) - first_s,
                    end_s=min(a.end_s, last_s) - first_s)
            for a in recording.meta.annotations if a.end_s > first_s and a.start_s < last_s),
        notes=notes,
    )
    return Recording(recording.acc[start:end], recording.gyr[start:end], meta)


def pauses_s(meta: RecordingMeta) -> tuple[tuple[float, float, str], ...]:
    """The recording's paused stretches (:attr:`Gap.paused`): (start s, end s, reason) each.

    Seconds from the first sample, half-open, in time order; touching pauses of one reason
    are one.
    """
    fs = meta.sampling_rate_hz
    out: list[tuple[float, float, str]] = []
    for g in sorted((g for g in meta.gaps if g.paused), key=lambda g: (g.start, g.end)):
        if out and g.start / fs <= out[-1][1] and g.reason == out[-1][2]:
            out[-1] = (out[-1][0], max(out[-1][1], g.end / fs), g.reason)
        else:
            out.append((g.start / fs, g.end / fs, g.reason))
    return tuple(out)


def with_pauses(recording: Recording, pauses: Sequence[tuple[float, float, str]],
                slack_s: float = 0.0) -> Recording:
    """``recording`` with the samples of its gaps that lie in ``pauses`` marked paused.

    A recording made again from another (``imu replay`` streams one through the virtual
    sensor, which sends nothing where it has no samples) has gaps where the original was
    paused, with the reason of a lost stream: each such gap is split, its part within a
    pause (widened by ``slack_s`` on each side, s: a frame of samples around its edges)
    taking the pause's reason. Samples are shared, not copied.

    Args:
        recording: the recording whose gaps to mark.
        pauses: (start s, end s, reason) on ``recording``'s clock (:func:`pauses_s`).
        slack_s: how far beyond a pause's edges a gap still belongs to it, s.

    """
    if not pauses or not recording.meta.gaps:
        return recording
    fs = recording.sampling_rate_hz
    gaps: list[Gap] = []
    for g in recording.meta.gaps:
        t = np.arange(g.start, g.end) / fs
        why = np.full(t.size, g.reason, dtype=object)
        for a, b, reason in pauses:
            why[(t >= a - slack_s) & (t < b + slack_s)] = reason
        change = np.flatnonzero(why[1:] != why[:-1]) + 1
        bounds = [0, *change.tolist(), t.size]
        gaps += [Gap(g.start + i, g.start + j, str(why[i]))
                 for i, j in itertools.pairwise(bounds)]
    return recording.with_meta(gaps=tuple(gaps))


def one_line(exc: BaseException) -> str:
    """An exception's text on one printable line (a library's multi-line message squeezed)."""
    text = " ".join(str(exc).split())
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def gaps_from_nan(valid: npt.NDArray[np.bool_], reason: str = "missing") -> tuple[Gap, ...]:
    """Half-open intervals where ``valid`` is False.

    Args:
        valid: shape (n,), True where a sample was received.
        reason: stored in each :class:`Gap`.

    """
    invalid = np.concatenate(([False], ~np.asarray(valid, dtype=bool), [False]))
    edges = np.flatnonzero(np.diff(invalid.astype(np.int8)))
    return tuple(
        Gap(int(s), int(e), reason) for s, e in zip(edges[::2], edges[1::2], strict=True)
    )


def write_recording(recording: Recording, path: str | Path) -> Path:
    """Write a recording as Parquet with its metadata in the schema; returns the path.

    The file is written under a temporary name and renamed when complete
    (:func:`imu.io.atomic.atomic_path`): a failure leaves the previous file, or none.

    Raises:
        RecordingError: the file cannot be written (the message names it).

    """
    path = Path(path)
    columns: dict[str, Any] = {TIME: recording.time_s}
    for i, name in enumerate(ACC):
        columns[name] = recording.acc[:, i]
    for i, name in enumerate(GYR):
        columns[name] = recording.gyr[:, i]
    table = pa.table(columns)
    table = table.replace_schema_metadata({METADATA_KEY: recording.meta.to_json().encode()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            # A CRC per page: bytes changed on a disk or in a copy are found when read
            # (read_recording), not analysed as samples.
            pq.write_table(table, tmp, write_page_checksum=True)
    except OSError as exc:
        raise RecordingError(
            f"cannot write recording {path}: {write_error_reason(path, exc)}; choose a "
            "writable path"
        ) from exc
    logger.debug("wrote %d samples to %s", recording.n_samples, path)
    return path


def missing_file(path: Path) -> str:
    """Why ``path``, which does not exist, cannot be read: a broken link names its target.

    A symbolic link whose target is gone "exists" as a name in a listing; "no such file"
    alone sent people looking for a typo. Links that lead round to each other (``a -> b``,
    ``b -> a``) are said to be a loop: their targets exist, as links, so "its target does
    not exist" was untrue.
    """
    if str(path) == "-":  # many tools' name for standard input
        return ("-: standard input is not read, only files; save the data to a file first "
                "(e.g. 'cat ... > data.csv') and give that file")
    if _link_loop(path):
        return (f"{path}: a loop of symbolic links (each leads on to another, none to a "
                "file); point the link at the file itself, or remove it")
    if path.is_symlink():
        with contextlib.suppress(OSError):
            # The wording of imu batch's and export-bids' failure lists (unusable_file).
            return (f"{path}: broken symbolic link: its target {os.readlink(path)} does not "
                    "exist; fix or remove the link")
    if any(c in str(path) for c in "*?["):
        # A quoted pattern ("recordings/*.parquet"): the shell did not expand it.
        import glob

        found = glob.glob(str(path))
        if not found:
            return f"{path}: no such file, and no file matches it as a pattern either"
        return (f"{path}: no such file: a pattern, which this command does not expand (it "
                f"matches {len(found)} file{'s' if len(found) != 1 else ''}); leave the quotes "
                "out so that the shell gives the files (imu batch, export-bids and progress "
                "take quoted patterns)")
    return f"{path}: no such file"


def _link_loop(path: Path) -> bool:
    """Following ``path``'s symbolic links goes round in a loop (ELOOP)."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def resolved(path: str | Path) -> Path:
    """``Path(path).resolve()`` that never raises: a loop of symbolic links stays as it is.

    Python 3.11's ``Path.resolve`` raises ``RuntimeError`` on a loop of links, a traceback
    where the file's own reading would have said what is wrong (:func:`missing_file`).
    """
    return Path(os.path.realpath(path))


def unreadable_parquet(path: Path, exc: BaseException, what: str = "file") -> str:
    """Why ``path`` cannot be read as Parquet, for the one-line error: what it is instead.

    A CSV saved under a ``.parquet`` name, a gzipped recording or a copy cut short each get
    their own words and fix; anything else is "corrupt or truncated" with the reader's reason.
    """
    if isinstance(exc, PermissionError) or "permission denied" in str(exc).casefold():
        return (f"{path}: cannot read: Permission denied (the system does not let imu open it "
                "as the user you run it as); make it readable (chmod), or run as its owner")
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
            fh.seek(max(0, path.stat().st_size - 4))
            tail = fh.read(4)
    except OSError:
        head = tail = b""
    unreadable = f"{path}: not a readable Parquet {what}"
    if not head and path.is_file() and path.stat().st_size == 0:
        # Trial 25: pyarrow's "Parquet file size is 0 bytes" gave no way forward.
        return (f"{unreadable}: it is empty (0 bytes), as a write or copy that never "
                "got its data leaves it; copy it again, or record it again")
    if head.startswith(b"\x1f\x8b"):
        return (f"{unreadable}: it is gzip-compressed; decompress it first "
                f"(gzip -dc {path} > {path.stem}-unpacked.parquet) and pass that")
    if head.startswith(b"PAR1") and tail != b"PAR1":
        return (f"{unreadable} (corrupt or truncated: its end is missing, as after an "
                "interrupted write or copy); copy it again, or record it again")
    if head and not head.startswith(b"PAR1") and b"\x00" not in head:
        try:
            first = head.decode("utf-8").lstrip("\ufeff").splitlines()[0]
        except (UnicodeDecodeError, IndexError):
            first = ""
        if first.strip():
            return (f"{unreadable}: it is text (it starts {first[:60]!r}: a CSV named "
                    f".parquet?); name it {path.with_suffix('.csv').name} and pass that")
    return f"{path}: not a readable Parquet {what} (corrupt or truncated?): {one_line(exc)}"


def _sample_columns(table: pa.Table, names: Sequence[str]) -> FloatArray:
    """Columns ``names`` of ``table`` as one array of shape (n, len(names)), float64.

    Filled column by column into column-major memory: each column is one contiguous copy
    (``np.column_stack`` interleaves them into rows, 8 times slower for an hour's samples:
    7 % of reading and analysing a session). The analysis reads either layout alike.
    """
    out = np.empty((len(names), table.num_rows))
    for i, name in enumerate(names):
        out[i] = table.column(name).to_numpy()
    return out.T


def read_recording(path: str | Path) -> Recording:
    """Read a Parquet recording written by :func:`write_recording`.

    Each page of samples has its checksum verified where the file has them (written by imu
    since 2026-12-02): a few bytes changed by a failing disk or copy were read as other
    samples without a word (trial 21: 6 bytes gave 6 wrong acc_x values and moved the
    reps). The footer (the schema and the metadata) carries no checksum: a change there is
    found only where it breaks the file's structure or the metadata's JSON.

    Raises:
        RecordingError: the file is missing, not Parquet, truncated, damaged (a page whose
            checksum does not match), or lacks the columns or metadata of a recording. The
            message names the file.

    """
    path = Path(path)
    if not path.exists():
        raise RecordingError(missing_file(path))
    try:
        parquet = pq.ParquetFile(path, page_checksum_verification=True)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:  # a damaged footer too
        raise RecordingError(unreadable_parquet(path, exc, "recording")) from exc
    raw_meta = (schema.metadata or {}).get(METADATA_KEY)
    if raw_meta is None:
        raise RecordingError(
            f"{path}: a plain Parquet table, not a recording written by imu (no "
            f"'{METADATA_KEY.decode()}' metadata); turn it into one with 'imu convert {path} "
            "OUT.parquet' (columns time_s, acc_x..gyr_z, or the import options)"
        )
    try:
        meta = RecordingMeta.from_json(raw_meta.decode("utf-8", "replace"))
    except RecordingError as exc:
        raise RecordingError(f"{path}: {exc}") from exc
    missing = [c for c in (*ACC, *GYR) if c not in schema.names]  # (names: a damaged footer)
    if missing:
        raise RecordingError(f"{path}: recording lacks columns {missing}")
    try:
        # Only the sample columns: time_s is implied by the grid (start and rate).
        table = parquet.read(columns=[*ACC, *GYR])
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        if "checksum" in str(exc).casefold():
            raise RecordingError(
                f"{path}: damaged: a page of its samples does not match its checksum (bytes "
                "changed on the disk or in a copy), so its samples cannot be trusted; use "
                "another copy of it (a backup, or a kept journal NAME.imuj.recovered read "
                "again with imu recover), or record again"
            ) from exc
        raise RecordingError(
            f"{path}: not a readable Parquet recording (corrupt or truncated?): {one_line(exc)}"
        ) from exc
    acc, gyr = _sample_columns(table, ACC), _sample_columns(table, GYR)
    try:
        return Recording(acc, gyr, meta)
    except RecordingError as exc:
        raise RecordingError(f"{path}: {exc}") from exc
