"""Crash-safe journal of a live recording: raw frames and host receive times, append-only.

While ``imu live`` records, every notification is appended to ``<name>.imuj`` as it arrives
(written to the OS at once, so a killed process loses nothing the OS has; fsynced at least
every ``fsync_interval_s``, so a power cut loses at most that much). When the session ends
cleanly the Parquet recording is written and the journal removed; a journal left behind is
turned into the same recording by :func:`recover_journal` (``imu recover``, or the next
``imu live`` in that directory), through the same decode path as the live run
(:func:`imu.io.recorders.recorder_for`: each protocol's recorder).

File format, version 2 (all little-endian)::

    magic "IMUJRNL2"
    u32 header length | u32 crc32 of header | header: UTF-8 JSON of StreamHeader.to_dict()
    records, each:
        sync A5 49 4A 52 | u32 body length | u32 crc32 of (length + body) | body
        body = u8 kind | f64 host time (s) | payload
        kind 1: payload = one notification of the IMU data characteristic
        kind 2: payload = UTF-8 JSON event {"event": "connected" | "disconnected", ...}

Every record can be found again: after a damaged record (a bit flip, a zeroed block) the
reader scans forward for the next sync marker whose length and CRC check out, and keeps every
intact record from there on. What was skipped is reported (:class:`JournalDamage`, and in
frames and seconds by :func:`recover`). A damaged region that runs to the end of the file
and looks like an interrupted write (a record cut short, or zeros) is a *torn tail*, the
normal trace of a crash; so is a tail that holds no trace of a record at all (text or random
bytes appended by something else: an *unreadable tail*, ignored, nothing lost). Anything else
lost intact data.

Version 1 journals ("IMUJRNL1": the same records without the sync marker, CRC over the body
only) are still read; they are resynchronised by trying every byte offset, which is slower
but fine for the sizes a session produces.

Disk full or an unwritable directory: the writer logs one clear error, keeps every record in
memory (the live analysis carries on), truncates a half-written record away so nothing already
written is damaged, and retries every ``retry_s``. If the disk stays full to the end, the
recording is saved elsewhere and the journal holds only the session's beginning: the session's
end marks it with a ``saved_elsewhere`` event (:func:`mark_saved_elsewhere`; the last few
records are cut to make room if needed), so that its recovery says the journal is incomplete
and where the complete copy is (:attr:`JournalRecovery.saved_elsewhere`) instead of making a
short second copy of the session silently.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import struct
import time
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from imu.errors import RecordingError
from imu.io.atomic import write_error_reason
from imu.io.recorders import FrameRecorder, StreamHeader, StreamRecorder, recorder_for
from imu.io.recording import Gap, Recording, missing_file, one_line
from imu.io.repairs import REPAIRS_NOTE, Repair, RepairReport, plural

try:
    import fcntl
except ImportError:  # Windows: journals are not locked
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

MAGIC = b"IMUJRNL2"
MAGIC_V1 = b"IMUJRNL1"
SUFFIX = ".imuj"
KIND_FRAME = 1
KIND_EVENT = 2
SYNC = b"\xa5IJR"
"""Marks the start of every record (version 2): what the reader resynchronises on."""
_PREFIX = struct.Struct("<II")
_LEN = struct.Struct("<I")
_BODY_HEAD = struct.Struct("<Bd")
_MAX_RECORD = 1 << 20
_KINDS = (KIND_FRAME, KIND_EVENT)


class EmptyJournalError(RecordingError):
    """A journal that holds no samples (a session that never streamed): nothing to recover."""


EMPTY_SUFFIX = ".empty"
"""Appended to a journal with no samples once it has been reported, so it is said once."""


def _record(kind: int, host_time_s: float, payload: bytes) -> bytes:
    body = _BODY_HEAD.pack(kind, host_time_s) + payload
    length = _LEN.pack(len(body))
    return SYNC + length + _LEN.pack(zlib.crc32(body, zlib.crc32(length))) + body


Opener = Callable[[Path], int]
"""Opens the journal file for appending and returns an OS file descriptor (injectable)."""


def _open_exclusive(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
    if fcntl is not None:  # held while the session writes: others see the journal in use
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            logger.debug("journal %s: no lock (%s)", path, exc)
    return fd


def journal_in_use(path: str | Path) -> bool:
    """True while a running session writes ``path`` (it holds the journal's lock).

    Without ``fcntl`` (Windows) nothing can tell, and this is False.
    """
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases a lock this process took
    return False


class JournalWriter:
    """Appends frames and events to a journal; never raises on write errors after creation.

    Args:
        path: the journal file (must not exist).
        header: the stream header, written first.
        fsync_interval_s: longest time between fsyncs while records arrive, s.
        retry_s: after a write error, wait this long before trying again, s.
        clock: monotonic clock, s (injectable for tests).
        write: ``os.write``-like function (injectable to simulate a full disk).

    Raises:
        RecordingError: the journal cannot be created (message names the path and the fix).

    """

    def __init__(
        self,
        path: str | Path,
        header: StreamHeader,
        fsync_interval_s: float = 0.5,
        retry_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        write: Callable[[int, bytes], int] = os.write,
    ) -> None:
        self.path = Path(path)
        self.fsync_interval_s = fsync_interval_s
        self.retry_s = retry_s
        self._clock = clock
        self._write = write
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._good_size = 0
        self._dirty = False
        self._last_sync = clock()
        self._failed_at: float | None = None
        self.error: str | None = None
        """Last write error (None while the journal is healthy)."""
        self.records_written = 0
        head = json.dumps(header.to_dict(), sort_keys=True).encode()
        preamble = MAGIC + _PREFIX.pack(len(head), zlib.crc32(head)) + head
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = _open_exclusive(self.path)
        except OSError as exc:
            raise RecordingError(
                f"cannot create journal {self.path}: {write_error_reason(self.path, exc)}; "
                "choose a writable --out directory"
            ) from exc
        self._pending.append(preamble)
        self._pending_bytes += len(preamble)
        self.flush(force_sync=True)
        if self.error is not None:
            raise RecordingError(
                f"cannot write journal {self.path}: {self.error}; choose a writable --out "
                "directory with free space"
            )
        fsync_path(self.path.parent)

    @property
    def healthy(self) -> bool:
        """True while writes succeed."""
        return self.error is None

    @property
    def pending_bytes(self) -> int:
        """Bytes kept in memory, not yet written."""
        return self._pending_bytes

    def append_frames(self, items: Iterable[tuple[float, bytes]]) -> None:
        """Queue ``(host time s, notification bytes)`` records and write them out."""
        for host_time, payload in items:
            rec = _record(KIND_FRAME, host_time, payload)
            self._pending.append(rec)
            self._pending_bytes += len(rec)
        self.flush()

    def append_event(self, host_time_s: float, event: str, **fields: Any) -> None:
        """Queue a JSON event record (``connected``/``disconnected`` with details)."""
        payload = json.dumps({"event": event, **fields}, sort_keys=True, default=str).encode()
        rec = _record(KIND_EVENT, host_time_s, payload)
        self._pending.append(rec)
        self._pending_bytes += len(rec)
        self.flush(force_sync=True)

    def flush(self, force_sync: bool = False) -> None:
        """Write pending records; fsync when due (or forced). Errors are kept, not raised."""
        now = self._clock()
        if self._failed_at is not None and now - self._failed_at < self.retry_s:
            return
        if self._pending:
            data = b"".join(self._pending)
            try:
                self._write_all(data)
            except OSError as exc:
                self._on_error(exc, now)
                return
            self._pending.clear()
            self._pending_bytes = 0
            self._good_size += len(data)
            self.records_written += 1
            self._dirty = True
        if self._dirty and (force_sync or now - self._last_sync >= self.fsync_interval_s):
            try:
                os.fsync(self._fd)
            except OSError as exc:
                self._on_error(exc, now)
                return
            self._dirty = False
            self._last_sync = now
        if self._failed_at is not None:
            logger.warning("journal %s: writing again; nothing was lost", self.path)
            self._failed_at = None
            self.error = None

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        written = 0
        try:
            while written < len(view):
                n = self._write(self._fd, bytes(view[written:]))
                if n <= 0:
                    raise OSError(errno.EIO, "write returned 0")
                written += n
        except OSError:
            # Remove any half-written record so the file stays a clean prefix (a failed write
            # may have put bytes on disk before failing).
            try:
                os.ftruncate(self._fd, self._good_size)
            except OSError as exc:
                logger.debug("cannot truncate journal after a failed write: %s", exc)
            raise

    def _on_error(self, exc: OSError, now: float) -> None:
        reason = exc.strerror or str(exc)
        first = self.error is None
        self.error = reason
        self._failed_at = now
        if first:
            logger.error(
                "journal %s: %s; recording continues in memory (%d bytes pending), retrying "
                "every %.0f s; free space or fix permissions",
                self.path,
                reason,
                self._pending_bytes,
                self.retry_s,
            )

    def close(self) -> None:
        """Write what is pending (once more), fsync and close."""
        self._failed_at = None
        self.flush(force_sync=True)
        try:
            os.close(self._fd)
        except OSError as exc:
            logger.debug("closing journal: %s", exc)

    def remove(self) -> None:
        """Delete the journal file (after its recording was written safely)."""
        try:
            self.path.unlink()
        except OSError as exc:
            logger.warning("cannot remove journal %s: %s", self.path, exc)


def fsync_path(path: Path) -> None:
    """Flush ``path`` (a file, or a folder: its renames) to the disk; errors are only logged."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        logger.debug("cannot open %s to fsync it: %s", path, exc)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        logger.debug("cannot fsync %s: %s", path, exc)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class JournalDamage:
    """A stretch of a journal that held no intact record and was skipped.

    Attributes:
        offset: byte offset where the damage starts.
        n_bytes: bytes skipped.
        record_index: index in :attr:`JournalContents.records` of the first intact record after
            the damage (``len(records)`` when the damage runs to the end of the file).
        torn_tail: True when it runs to the end of the file and looks like an interrupted
            write (a record cut short, or zeros): the trace of a crash, not a loss of data
            that had been written.
        frames_lost: frame records lost there. :func:`read_journal` estimates them from the
            size of the intact frame records (at least 1 unless the tail is a cut record);
            :func:`recover` counts them from the samples lost (``samples_lost``), which also
            holds when bytes were cut out of the file rather than overwritten.
        samples_lost: samples lost there, as :func:`recover` counts them: the gap the
            recorder found where the intact records resume, or for damage with no gap after
            it (the end of the file) ``frames_lost`` times the samples an intact frame holds.
            0 until :func:`recover` counted them.
        foreign: True when the stretch holds no trace of a record (no sync marker, no
            record prefix, not zeros): bytes the journal never wrote, appended or inserted by
            something else (:func:`_holds_no_record`). At the end of the file it is an
            *unreadable tail*, a torn tail that lost nothing (``frames_lost`` 0); elsewhere
            it lost nothing when the numbered frames after it resume with no gap.

    """

    offset: int
    n_bytes: int
    record_index: int
    torn_tail: bool
    frames_lost: int = 0
    samples_lost: int = 0
    foreign: bool = False


@dataclass
class JournalContents:
    """A journal read back.

    Attributes:
        header: the stream header.
        records: ``(kind, host time s, payload)`` of every intact record, in file order.
        damage: the stretches skipped, in file order.
        version: the journal format version (1 or 2).

    """

    header: StreamHeader
    records: list[tuple[int, float, bytes]] = field(default_factory=list)
    damage: list[JournalDamage] = field(default_factory=list)
    version: int = 2

    @property
    def torn_tail(self) -> bool:
        """True if the file ended with a partial record (the crash itself; dropped)."""
        return bool(self.damage) and self.damage[-1].torn_tail

    @property
    def damaged(self) -> list[JournalDamage]:
        """Damage other than a torn tail: intact data was lost there."""
        return [d for d in self.damage if not d.torn_tail]

    @property
    def n_frames(self) -> int:
        """Frame records."""
        return sum(1 for k, _, _ in self.records if k == KIND_FRAME)


def _parse_v2(data: bytes, pos: int) -> tuple[int, float, bytes, int] | None:
    """The record at ``pos`` as ``(kind, host time, payload, next pos)``, None if not intact."""
    if data[pos : pos + len(SYNC)] != SYNC:
        return None
    head = pos + len(SYNC)
    if len(data) < head + _PREFIX.size:
        return None
    n, crc = _PREFIX.unpack_from(data, head)
    if n < _BODY_HEAD.size or n > _MAX_RECORD:
        return None
    start = head + _PREFIX.size
    body = data[start : start + n]
    if len(body) != n or zlib.crc32(body, zlib.crc32(data[head : head + _LEN.size])) != crc:
        return None
    kind, host_time = _BODY_HEAD.unpack_from(body)
    if kind not in _KINDS:
        return None
    return kind, host_time, body[_BODY_HEAD.size :], start + n


def _parse_v1(data: bytes, pos: int) -> tuple[int, float, bytes, int] | None:
    """Like :func:`_parse_v2` for a version-1 record (no sync marker, CRC of the body)."""
    if len(data) - pos < _PREFIX.size:
        return None
    n, crc = _PREFIX.unpack_from(data, pos)
    if n < _BODY_HEAD.size or n > _MAX_RECORD:
        return None
    start = pos + _PREFIX.size
    body = data[start : start + n]
    if len(body) != n or zlib.crc32(body) != crc:
        return None
    kind, host_time = _BODY_HEAD.unpack_from(body)
    if kind not in _KINDS:
        return None
    return kind, host_time, body[_BODY_HEAD.size :], start + n


def _next_candidate(data: bytes, pos: int, version: int) -> int:
    """The next offset after ``pos`` where a record may start (``len(data)`` if none)."""
    if version == 1:
        return pos + 1
    found = data.find(SYNC, pos + 1)
    return len(data) if found < 0 else found


def _is_torn(data: bytes, pos: int, version: int) -> bool:
    """True if the bytes from ``pos`` to the end are an interrupted write.

    That is: shorter than a record prefix, a record whose declared length runs past the end
    of the file (cut short), or zeros (blocks the file system allocated but never wrote).
    """
    tail = data[pos:]
    if not tail.strip(b"\x00"):
        return True
    head = pos + (len(SYNC) if version == 2 else 0)
    if version == 2 and not tail.startswith(SYNC[: len(tail)]):
        return False
    if len(data) < head + _PREFIX.size:
        return True
    (n,) = _LEN.unpack_from(data, head)
    return _BODY_HEAD.size <= n <= _MAX_RECORD and head + _PREFIX.size + n > len(data)


def _holds_no_record(
    data: bytes, start: int, end: int, version: int, near_s: float | None = None
) -> bool:
    """True if ``data[start:end]`` (a damaged stretch) holds no trace of a record.

    A record the journal wrote and something damaged keeps a trace: a sync marker (version
    2); or, for a record whose marker was damaged, at ``start`` a plausible length and kind,
    or a CRC that checks out for a record filling the stretch, or a host time within an hour
    of ``near_s`` (the intact record before it); zeros are a block the file system lost.
    Bytes with none of these were never written by the journal (text or random bytes put
    into it by something else), and lose nothing when skipped. Version-1 journals (no
    marker) are judged by the length at ``start`` alone.
    """
    chunk = data[start:end]
    if not chunk.strip(b"\x00"):
        return False
    if version == 1:
        if len(chunk) < _PREFIX.size:
            return False
        (n,) = _LEN.unpack_from(chunk)
        return not _BODY_HEAD.size <= n <= _MAX_RECORD
    if SYNC in chunk:
        return False
    head = len(SYNC)
    if len(chunk) >= head + _PREFIX.size + 1:
        (n,) = _LEN.unpack_from(chunk, head)
        if _BODY_HEAD.size <= n <= _MAX_RECORD and chunk[head + _PREFIX.size] in _KINDS:
            return False  # marker damaged, length and kind intact
        (crc,) = _LEN.unpack_from(chunk, head + _LEN.size)
        body = chunk[head + _PREFIX.size :]
        if zlib.crc32(body, zlib.crc32(_LEN.pack(len(body)))) == crc:
            return False  # marker and length damaged, the rest intact
    if near_s is not None and len(chunk) >= head + _PREFIX.size + _BODY_HEAD.size:
        (host_time,) = struct.unpack_from("<d", chunk, head + _PREFIX.size + 1)
        if abs(host_time - near_s) < 3600.0:
            return False  # the record's time is there
    return True


def read_journal(path: str | Path) -> JournalContents:
    """Read a journal, skipping damaged stretches (see :class:`JournalDamage`).

    What was skipped is in :attr:`JournalContents.damage` (logged at INFO; :func:`recover`
    warns once, with the loss in frames and seconds).

    Raises:
        RecordingError: the file is missing, not a journal, of an unknown version, or its
            header is damaged. Messages name the file.

    """
    path = Path(path)
    if path.is_dir():  # "." or "/" has no name to derive the recovered one from
        found = sorted(path.glob(f"*{SUFFIX}"))
        if not found:
            raise RecordingError(
                f"{path}: a folder, not a journal, and it holds no journal (NAME{SUFFIX}, "
                "which imu live writes into its --out folder); give a journal file"
            )
        example = (f"imu recover {path / found[0].name}" if len(found) == 1
                   else f"imu recover {path / ('*' + SUFFIX)}")
        raise RecordingError(
            f"{path}: a folder, not a journal; give the journal files, e.g. {example} "
            f"({len(found)} in it)"
        )
    done = path.with_name(path.name + RECOVERED_SUFFIX)
    if not path.exists() and done.exists():
        stem = journal_stem(path)
        beside = [p.name for p in (path.parent / f"{stem}.parquet",
                                   *sorted(path.parent.glob(f"{stem}-recovered*.parquet")))
                  if p.exists()]
        # Trial 25: recovered with --out, "beside its recording" sent the user to recover it
        # again, which wrote a second copy of the session beside the journal.
        where = (f"beside its recording ({', '.join(beside)})" if beside else
                 f"and its recording ({stem}.parquet) is not beside it (written to the "
                 "--out folder recovery was given, or moved or deleted since)")
        raise RecordingError(
            f"journal {path} was already recovered: it is kept as {done.name}, {where}; "
            f"to recover it again: imu recover {done} --out DIR (a second copy of the "
            "session)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = missing_file(path) if not path.exists() else f"{path}: {exc.strerror or exc}"
        raise RecordingError(f"cannot read journal {reason}") from exc
    if data.startswith(MAGIC):
        version, parse = 2, _parse_v2
    elif data.startswith(MAGIC_V1):
        version, parse = 1, _parse_v1
    elif data.startswith(MAGIC[:-1]):
        raise RecordingError(
            f"{path}: journal format {data[len(MAGIC) - 1 : len(MAGIC)]!r} is not one this tool "
            f"reads (versions 1 and 2); upgrade the imu package"
        )
    elif not data:
        raise RecordingError(f"{path} is empty: not an imu journal; nothing to recover")
    else:
        raise RecordingError(
            f"{path} is not an imu journal (it does not start with the journal marker "
            f"{MAGIC.decode()}); 'imu recover' reads only the .imuj files 'imu live' writes"
        )
    pos = len(MAGIC)
    if len(data) < pos + _PREFIX.size:
        raise RecordingError(f"journal {path} is truncated inside its header; nothing to recover")
    n, crc = _PREFIX.unpack_from(data, pos)
    pos += _PREFIX.size
    head = data[pos : pos + n]
    if len(head) != n or zlib.crc32(head) != crc:
        raise RecordingError(
            f"journal {path} has a damaged header (its stream settings are unknown); it "
            "cannot be recovered"
        )
    pos += n
    try:
        header = StreamHeader.from_dict(json.loads(head))
    except (ValueError, TypeError, KeyError, RecordingError) as exc:
        raise RecordingError(f"journal {path}: unreadable header: {one_line(exc)}") from exc
    out = JournalContents(header, version=version)
    bad_start: int | None = None
    while pos < len(data):
        parsed = parse(data, pos)
        if parsed is None:
            if bad_start is None:
                bad_start = pos
            pos = _next_candidate(data, pos, version)
            continue
        if bad_start is not None:
            near = out.records[-1][1] if out.records else None
            foreign = _holds_no_record(data, bad_start, pos, version, near)
            out.damage.append(
                JournalDamage(bad_start, pos - bad_start, len(out.records), False,
                              foreign=foreign)
            )
            bad_start = None
        kind, host_time, payload, pos = parsed
        out.records.append((kind, host_time, payload))
    if bad_start is not None:
        torn = _is_torn(data, bad_start, version)
        near = out.records[-1][1] if out.records else None
        junk = not torn and _holds_no_record(data, bad_start, len(data), version, near)
        out.damage.append(
            JournalDamage(
                bad_start, len(data) - bad_start, len(out.records), torn or junk, foreign=junk
            )
        )
    out.damage = _with_frame_estimates(out)
    if out.damage:
        logger.info("journal %s: %s", path, damage_text(out))
    return out


def _with_frame_estimates(contents: JournalContents) -> list[JournalDamage]:
    """Fill ``frames_lost`` from the typical size of an intact frame record."""
    sizes = sorted(len(p) for k, _, p in contents.records if k == KIND_FRAME)
    overhead = (len(SYNC) if contents.version == 2 else 0) + _PREFIX.size + _BODY_HEAD.size
    typical = overhead + (sizes[len(sizes) // 2] if sizes else 0)
    out = []
    for d in contents.damage:
        frames = d.n_bytes // typical if typical > overhead else 0
        if d.foreign and d.torn_tail:
            frames = 0
        elif not d.torn_tail:
            frames = max(frames, 1)
        out.append(replace(d, frames_lost=frames))
    return out


def damage_text(contents: JournalContents) -> str:
    """One phrase describing what :func:`read_journal` skipped ("" when nothing)."""
    parts = []
    lost = contents.damaged
    if lost:
        frames = sum(d.frames_lost for d in lost)
        where = ", ".join(f"byte {d.offset}" for d in lost[:3]) + (" ..." if len(lost) > 3 else "")
        parts.append(
            f"{len(lost)} damaged stretch(es) skipped ({where}; about {frames} frame(s)), "
            "every intact record after them kept"
        )
    if contents.torn_tail:
        parts.append(_tail_text(contents.damage[-1]))
    return "; ".join(parts)


def _tail_text(tail: JournalDamage) -> str:
    """What was done with a torn tail, as a phrase."""
    if tail.foreign:
        return (
            f"{plural(tail.n_bytes, 'byte')} of unreadable tail ignored (after the last "
            "record; not written by the journal, nothing lost)"
        )
    return f"torn last record dropped ({plural(tail.n_bytes, 'byte')} cut short by the crash)"


def replay_into(
    contents: JournalContents, recorder: FrameRecorder, batch: int = 256
) -> dict[int, int]:
    """Feed a journal's events and frames to ``recorder`` in file order.

    Returns:
        For each damaged stretch (by its ``record_index``), the grid index the recorder had
        reached when the intact records after it began: the lost samples are the gap that
        starts there.

    """
    hosts: list[float] = []
    payloads: list[bytes] = []
    resume = {d.record_index for d in contents.damage}
    marks: dict[int, int] = {}

    def flush() -> None:
        if payloads:
            recorder.frames(hosts.copy(), payloads.copy())
            hosts.clear()
            payloads.clear()

    for i, (kind, host_time, payload) in enumerate(contents.records):
        if i in resume:
            flush()
            marks[i] = recorder.n_samples
        if kind == KIND_FRAME:
            hosts.append(host_time)
            payloads.append(payload)
            if len(payloads) >= batch:
                flush()
        elif kind == KIND_EVENT:
            flush()
            try:
                event = json.loads(payload)
            except ValueError:
                logger.warning("skipping an unreadable journal event")
                continue
            name = str(event.pop("event", ""))
            recorder.event(name, host_time, **event)
    flush()
    return marks


EVENT_SAVED_ELSEWHERE = "saved_elsewhere"
"""Journal event of a session whose journal could not be written to the end (a full disk):
fields ``path`` (the complete recording, saved elsewhere) and ``session_s`` (its length, s)."""

INCOMPLETE_S = 0.5
"""A journal marked saved elsewhere that is this much shorter than its session, or more, is
incomplete, s (the cut made room for the mark, or the disk filled up)."""

INCOMPLETE_SUFFIX = ".incomplete"
"""Appended to a journal set aside because it stops short of a session saved whole elsewhere."""

_MARK_CUTS = (0, 4096, 16384, 65536)
"""Bytes of the newest records :func:`mark_saved_elsewhere` may cut, tried in turn, to make
room for its event on a full disk (the complete recording is elsewhere)."""


@dataclass(frozen=True)
class SavedElsewhere:
    """A journal's mark that the session's complete recording was saved elsewhere.

    Attributes:
        path: the complete recording.
        session_s: its length, s.

    """

    path: Path
    session_s: float


def mark_saved_elsewhere(
    journal: str | Path, saved_to: str | Path, session_s: float,
    write: Callable[[int, bytes], int] = os.write,
) -> bool:
    """Mark a journal that could not be written to the end: its session is saved elsewhere.

    Appends a :data:`EVENT_SAVED_ELSEWHERE` event after the journal's last intact record. On a
    disk still full, the newest records are cut (whole records, up to 64 KiB: the complete
    recording holds them) until the event fits. Never raises.

    Args:
        journal: the journal (closed by its writer).
        saved_to: where the complete recording was saved.
        session_s: the recording's length, s.
        write: ``os.write``-like function (injectable to simulate a full disk).

    Returns:
        True if the mark was written.

    """
    path = Path(journal)
    try:
        data = path.read_bytes()
    except OSError as exc:
        logger.warning("cannot mark journal %s as saved elsewhere: %s", path, exc)
        return False
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _PREFIX.size:
        return False
    n, _crc = _PREFIX.unpack_from(data, len(MAGIC))
    # Record boundaries: where each intact record ends (the file is a clean prefix).
    ends = [len(MAGIC) + _PREFIX.size + n]
    last_time = 0.0
    while ends[-1] < len(data):
        parsed = _parse_v2(data, ends[-1])
        if parsed is None:
            break
        last_time = parsed[1]
        ends.append(parsed[3])
    payload = json.dumps({"event": EVENT_SAVED_ELSEWHERE, "path": str(saved_to),
                          "session_s": round(float(session_s), 3)}, sort_keys=True).encode()
    record = _record(KIND_EVENT, last_time, payload)
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as exc:
        logger.warning("cannot mark journal %s as saved elsewhere: %s", path, exc)
        return False
    try:
        for cut in _MARK_CUTS:
            at = next((e for e in reversed(ends) if e <= ends[-1] - cut), ends[0])
            try:
                os.ftruncate(fd, at)
                os.lseek(fd, at, os.SEEK_SET)
                written = 0
                while written < len(record):
                    k = write(fd, record[written:])
                    if k <= 0:
                        raise OSError(errno.EIO, "write returned 0")
                    written += k
                os.fsync(fd)
            except OSError as exc:
                logger.debug("marking journal %s (cut %d bytes): %s", path, cut, exc)
                continue
            return True
        with contextlib.suppress(OSError):
            os.ftruncate(fd, ends[-1])  # leave it as it was
        logger.warning("cannot mark journal %s as saved elsewhere: no room even after "
                       "cutting %d bytes", path, _MARK_CUTS[-1])
        return False
    finally:
        os.close(fd)


def saved_elsewhere(contents: JournalContents) -> SavedElsewhere | None:
    """The journal's :data:`EVENT_SAVED_ELSEWHERE` mark, or None."""
    for kind, _t, payload in reversed(contents.records):
        if kind != KIND_EVENT:
            continue
        try:
            event = json.loads(payload)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("event") == EVENT_SAVED_ELSEWHERE:
            try:
                return SavedElsewhere(Path(str(event["path"])), float(event["session_s"]))
            except (KeyError, TypeError, ValueError):
                return None
    return None


REASON_JOURNAL = "lost: damaged journal record"
"""Gap reason of samples whose frames sat in a damaged stretch of the journal."""


@dataclass(frozen=True)
class JournalRecovery:
    """A journal turned back into a recording, and what was lost on the way.

    Attributes:
        recording: the recording (gaps where frames were lost).
        contents: the journal as read.
        seconds_lost: time lost to damaged stretches (their ``samples_lost`` over the sampling
            rate): the gaps that start at a damaged stretch, plus the estimate for damage with
            no intact frame after it, s.
        repairs: the losses as a :class:`RepairReport` (``data_lost`` when anything but a
            torn tail was lost).
        saved_elsewhere: the journal could not be written to the end (a full disk) and the
            session's complete recording was saved there (None for a whole journal).

    """

    recording: Recording
    contents: JournalContents
    seconds_lost: float
    repairs: RepairReport
    saved_elsewhere: SavedElsewhere | None = None

    @property
    def incomplete(self) -> bool:
        """The journal stops short of its session (see :attr:`saved_elsewhere`)."""
        mark = self.saved_elsewhere
        return mark is not None and self.recording.duration_s < mark.session_s - INCOMPLETE_S

    def incomplete_text(self) -> str:
        """Why this journal is not the whole session ("" when it is)."""
        mark = self.saved_elsewhere
        if mark is None or not self.incomplete:
            return ""
        there = ("" if mark.path.exists() else
                 " (it is no longer there: this journal's part is all that is left)")
        return (f"the journal stops at {self.recording.duration_s:.1f} s, but the session went "
                f"on to {mark.session_s:.1f} s (the disk was full): the complete recording was "
                f"saved to {mark.path}{there}")


def _counted_losses(
    contents: JournalContents, marks: dict[int, int], gaps: tuple[Gap, ...], n_samples: int,
    numbered: bool = False,
) -> list[JournalDamage]:
    """The damaged stretches with their losses counted in samples, and frames from those.

    The bytes skipped say little about what was lost when bytes were cut out of the file
    (only the remnants of the cut records are left to skip), so the samples lost are taken
    from the gap the recorder found where the intact records resume (``marks``, from
    :func:`replay_into`), and the frames from the samples an intact frame holds on average:
    frames, samples and seconds then agree. Damage with no gap after it (it runs to the end
    of the file, or held no frame) keeps the estimate from its size, and its samples are
    that many frames' worth. A gap shared by several stretches (no sample between them) is
    counted once, at the first. A foreign stretch (no trace of a record) between two frames
    numbered in sequence (our sensor's: a missing frame is always a gap), with no gap where
    the frames resume, lost nothing: bytes were put in, none written over. Other recorders
    interpolate across short holes, so there the estimate from the size is kept.
    """
    received = n_samples - sum(g.n_samples for g in gaps)
    per_frame = received / contents.n_frames if contents.n_frames and received > 0 else 0.0
    gap_at = {g.start: g.n_samples for g in gaps}
    counted: set[int] = set()
    out = []
    for d in contents.damage:
        if d.torn_tail:
            out.append(d)
            continue
        mark = marks.get(d.record_index)
        if mark is not None and mark in gap_at and mark not in counted:
            counted.add(mark)
            samples = gap_at[mark]
            frames = max(1, round(samples / per_frame)) if per_frame else d.frames_lost
        elif mark is not None and mark in counted:
            samples = frames = 0  # counted with the stretch before it (one gap)
        elif d.foreign and numbered and _frames_resume(contents, d.record_index):
            samples = frames = 0  # bytes put in between numbered frames: no frame is missing
        else:
            frames = d.frames_lost
            samples = round(frames * per_frame)
        out.append(replace(d, frames_lost=frames, samples_lost=samples))
    return out


def _frames_resume(contents: JournalContents, index: int) -> bool:
    """True if records ``index - 1`` and ``index`` (around a damaged stretch) are frames."""
    records = contents.records
    return 0 < index < len(records) and all(
        records[i][0] == KIND_FRAME for i in (index - 1, index)
    )


def recover(path: str | Path, warn: bool = True) -> JournalRecovery:
    """The recording a journal holds (through the live decode path), with its losses.

    Args:
        path: the journal.
        warn: log the losses as one warning (callers that print them themselves pass False).

    Raises:
        RecordingError: the journal is unreadable or holds no frames.

    """
    contents = read_journal(path)
    recorder = recorder_for(contents.header)  # the live run's decode path for its protocol
    try:
        marks = replay_into(contents, recorder)
        if recorder.n_samples == 0:
            raise EmptyJournalError(f"journal {path} holds no samples; nothing to recover")
        recording = recorder.recording()
    except MemoryError as exc:  # times no session spans (a damaged or foreign journal)
        raise RecordingError(
            f"journal {path}: its frames span more time than fits in memory "
            f"({plural(recorder.n_samples, 'sample')} placed before it ran out: "
            f"{one_line(exc)}); nothing was written and the journal is kept as it was: it "
            "holds no session this version can recover"
        ) from exc
    rate = recording.sampling_rate_hz
    damaged_starts = {marks[d.record_index] for d in contents.damaged if d.record_index in marks}
    gaps = tuple(
        replace(g, reason=REASON_JOURNAL) if g.start in damaged_starts else g
        for g in recording.meta.gaps
    )
    numbered = isinstance(recorder, StreamRecorder)  # sequence numbers: every loss a gap
    contents.damage = _counted_losses(contents, marks, gaps, recording.n_samples, numbered)
    lost = contents.damaged
    lost_samples = sum(d.samples_lost for d in lost)
    seconds = lost_samples / rate
    source = str(path)
    report = RepairReport(source)
    frames = sum(d.frames_lost for d in lost)
    if lost and not frames and not lost_samples:  # bytes inserted between intact records
        n_bytes = sum(d.n_bytes for d in lost)
        report = report.plus(
            Repair(
                "journal_skipped",
                n_bytes,
                f"{plural(n_bytes, 'unreadable byte')} skipped between intact records, no "
                "frame missing",
            )
        )
    elif lost:
        report = report.plus(
            Repair(
                "journal_damaged",
                frames,
                f"about {plural(frames, 'frame')} ({seconds:.2f} s, "
                f"{plural(lost_samples, 'sample')}) lost in "
                f"{plural(len(lost), 'damaged stretch')} of the journal "
                f"({sum(d.n_bytes for d in lost)} bytes), every intact record after "
                f"{'it' if len(lost) == 1 else 'them'} kept",
                data_lost=True,
            )
        )
    if contents.torn_tail:
        tail = contents.damage[-1]
        report = report.plus(
            Repair(
                "journal_torn_tail",
                tail.n_bytes if tail.foreign else max(tail.frames_lost, 1),
                _tail_text(tail),
            )
        )
    notes = dict(recording.meta.notes)
    notes["recovered_from"] = Path(path).name
    notes["journal_torn_tail"] = str(contents.torn_tail)
    if report:
        notes[REPAIRS_NOTE] = report.text()
    recording = recording.with_meta(notes=notes, gaps=gaps)
    if warn and report:
        logger.warning("%s", report.line())
    mark = saved_elsewhere(contents)
    if mark is not None:
        notes["journal_incomplete"] = (f"the session went on to {mark.session_s:.1f} s; "
                                       f"complete recording saved to {mark.path}")
        recording = recording.with_meta(notes=notes)
    result = JournalRecovery(recording, contents, seconds, report, mark)
    if warn and result.incomplete:
        logger.warning("%s: %s", path, result.incomplete_text())
    return result


def recover_journal(path: str | Path) -> Recording:
    """The recording a journal holds (see :func:`recover`, which also reports the losses)."""
    return recover(path).recording


def recovery_target(journal: str | Path, out_dir: str | Path | None = None,
                    taken: Collection[str] = ()) -> Path:
    """Where a journal's recording goes: ``NAME.parquet``, never over an existing file.

    When ``NAME.parquet`` exists (the same name used again, or a recording already written),
    or ``NAME`` is in ``taken`` (the session about to start under that name: ``imu live
    --name c`` after a crash of ``c``, which its recovered ``c.parquet`` then refused), the
    recording goes to ``NAME-recovered.parquet`` (then ``-recovered-2`` ...).
    """
    journal = Path(journal)
    folder = Path(out_dir) if out_dir is not None else journal.parent
    stem = journal_stem(journal)
    target = folder / f"{stem}.parquet"
    k = 1
    while target.exists() or (k == 1 and stem in taken):
        target = folder / f"{stem}-recovered{'' if k == 1 else f'-{k}'}.parquet"
        k += 1
    return target


RECOVERED_SUFFIX = ".recovered"
"""Appended to a journal once ``imu recover`` wrote its recording (``.recovered-2``... when a
journal of that name was recovered before: see :func:`set_aside`)."""

_SET_ASIDE = re.compile(
    rf"(?P<name>.*){re.escape(SUFFIX)}"
    rf"(?P<suffix>{re.escape(RECOVERED_SUFFIX)}|{re.escape(EMPTY_SUFFIX)})(?:-[0-9]+)?"
)


def journal_stem(journal: str | Path) -> str:
    """The session name of a journal (``NAME`` of ``NAME.imuj``, ``NAME.imuj.recovered``...).

    Journals set aside under a numbered name (``NAME.imuj.recovered-2``) count too.
    """
    name = Path(journal).name
    aside = _SET_ASIDE.fullmatch(name)
    if aside:
        return aside["name"]
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else Path(name).stem


def recovered_copy(journal: str | Path, recording: Recording,
                   folder: str | Path | None = None) -> Path | None:
    """The recording an already recovered journal was recovered into, in ``folder``.

    ``NAME.parquet`` or ``NAME-recovered*.parquet`` (in ``folder``, default the journal's)
    recovered from a journal of this name (``notes["recovered_from"]``) with the same
    start time and number of samples as ``recording``, this journal's recovery (several
    crashes of one session name are told apart so); None when there is none, or the journal
    was not recovered. Only the files' metadata are read.
    """
    journal = Path(journal)
    if not is_recovered_journal(journal):
        return None
    import pyarrow.parquet as pq

    from imu.io.recording import METADATA_KEY, RecordingMeta

    stem = journal_stem(journal)
    names = {journal.name, f"{stem}{SUFFIX}"}
    where = Path(folder) if folder is not None else journal.parent
    candidates = [where / f"{stem}.parquet", *sorted(where.glob(f"{stem}-recovered*.parquet"))]
    for path in candidates:
        try:
            parquet = pq.ParquetFile(path)
            raw = (parquet.schema_arrow.metadata or {}).get(METADATA_KEY)
            if raw is None:
                continue
            meta = RecordingMeta.from_json(raw.decode())
            rows = parquet.metadata.num_rows
        except (OSError, ValueError, UnicodeDecodeError, RecordingError):
            continue
        if (meta.notes.get("recovered_from") in names and rows == recording.n_samples
                and meta.start_time_s == recording.meta.start_time_s):
            return path
    return None


def is_recovered_journal(journal: str | Path) -> bool:
    """A journal already recovered into a recording (``NAME.imuj.recovered``, ``...-2``...)."""
    aside = _SET_ASIDE.fullmatch(Path(journal).name)
    return aside is not None and aside["suffix"] == RECOVERED_SUFFIX


def set_aside(journal: str | Path, suffix: str = RECOVERED_SUFFIX) -> Path:
    """Rename ``journal`` to ``NAME.imuj`` + ``suffix``, never over an existing file.

    A journal of the same name set aside before (an earlier crash of a session with that
    name) keeps its file: this one becomes ``NAME.imuj.recovered-2`` (then ``-3``...). The
    rename refuses to replace a file even when one appears meanwhile (a hard link, then the
    old name removed; a plain rename after an existence check where the file system has no
    hard links). Returns the new path.
    """
    journal = Path(journal)
    k = 1
    while True:
        target = journal.with_name(f"{journal.name}{suffix}{'' if k == 1 else f'-{k}'}")
        k += 1
        if os.path.lexists(target):
            continue
        try:
            os.link(journal, target)
        except FileExistsError:
            continue  # appeared meanwhile: the next name
        except FileNotFoundError as exc:  # another recovery set it aside first
            raise RecordingError(f"{journal}: gone while it was set aside (another "
                                 "recovery got there first); nothing was lost") from exc
        except OSError:  # no hard links here (some network or FAT file systems)
            if os.path.lexists(target):
                continue
            try:
                os.rename(journal, target)
            except FileNotFoundError as exc:
                raise RecordingError(f"{journal}: gone while it was set aside (another "
                                     "recovery got there first); nothing was lost") from exc
            return target
        os.unlink(journal)
        return target


def leftover_journals(directory: str | Path) -> list[Path]:
    """Journals left in ``directory`` by a session that did not end cleanly."""
    d = Path(directory)
    if not d.is_dir():
        return []
    return sorted(d.glob(f"*{SUFFIX}"))
