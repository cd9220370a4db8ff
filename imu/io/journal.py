"""Crash-safe journal of a live recording: raw frames and host receive times, append-only.

While ``imu live`` records, every notification is appended to ``<name>.imuj`` as it arrives
(written to the OS at once, so a killed process loses nothing the OS has; fsynced at least
every ``fsync_interval_s``, so a power cut loses at most that much). When the session ends
cleanly the Parquet recording is written and the journal removed; a journal left behind is
turned into the same recording by :func:`recover_journal` (``imu recover``, or the next
``imu live`` in that directory), through the same decode path as the live run
(:class:`imu.io.framestream.StreamRecorder`).

File format (all little-endian)::

    magic "IMUJRNL1"
    u32 header length | u32 crc32 of header | header: UTF-8 JSON of StreamHeader.to_dict()
    records, each:
        u32 body length | u32 crc32 of body | body
        body = u8 kind | f64 host time (s) | payload
        kind 1: payload = one notification of the IMU data characteristic
        kind 2: payload = UTF-8 JSON event {"event": "connected" | "disconnected", ...}

A record cut short or with a bad CRC ends the journal (a torn write at a crash, or a full
disk): everything before it is kept.

Disk full or an unwritable directory: the writer logs one clear error, keeps every record in
memory (the live analysis carries on), truncates a half-written record away so nothing already
written is damaged, and retries every ``retry_s``.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import struct
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imu.errors import RecordingError
from imu.io.recorders import StreamHeader, StreamRecorder
from imu.io.recording import Recording

logger = logging.getLogger(__name__)

MAGIC = b"IMUJRNL1"
SUFFIX = ".imuj"
KIND_FRAME = 1
KIND_EVENT = 2
_PREFIX = struct.Struct("<II")
_BODY_HEAD = struct.Struct("<Bd")
_MAX_RECORD = 1 << 20


def _record(kind: int, host_time_s: float, payload: bytes) -> bytes:
    body = _BODY_HEAD.pack(kind, host_time_s) + payload
    return _PREFIX.pack(len(body), zlib.crc32(body)) + body


Opener = Callable[[Path], int]
"""Opens the journal file for appending and returns an OS file descriptor (injectable)."""


def _open_exclusive(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)


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
                f"cannot create journal {self.path}: {exc.strerror or exc}; choose a writable "
                "--out directory"
            ) from exc
        self._pending.append(preamble)
        self._pending_bytes += len(preamble)
        self.flush(force_sync=True)
        if self.error is not None:
            raise RecordingError(
                f"cannot write journal {self.path}: {self.error}; choose a writable --out "
                "directory with free space"
            )
        _fsync_dir(self.path.parent)

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


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass
class JournalContents:
    """A journal read back.

    Attributes:
        header: the stream header.
        records: ``(kind, host time s, payload)`` in file order.
        torn_tail: True if the file ended with a partial or corrupt record (dropped).

    """

    header: StreamHeader
    records: list[tuple[int, float, bytes]] = field(default_factory=list)
    torn_tail: bool = False

    @property
    def n_frames(self) -> int:
        """Frame records."""
        return sum(1 for k, _, _ in self.records if k == KIND_FRAME)


def read_journal(path: str | Path) -> JournalContents:
    """Read a journal; a torn or corrupt tail is dropped (``torn_tail``).

    Raises:
        RecordingError: the file is missing, not a journal, or its header is damaged.

    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordingError(f"cannot read journal {path}: {exc.strerror or exc}") from exc
    if not data.startswith(MAGIC):
        raise RecordingError(f"{path} is not an imu journal (it does not start with {MAGIC!r})")
    pos = len(MAGIC)
    if len(data) < pos + _PREFIX.size:
        raise RecordingError(f"journal {path} is truncated inside its header")
    n, crc = _PREFIX.unpack_from(data, pos)
    pos += _PREFIX.size
    head = data[pos : pos + n]
    if len(head) != n or zlib.crc32(head) != crc:
        raise RecordingError(f"journal {path} has a damaged header; it cannot be recovered")
    pos += n
    try:
        header = StreamHeader.from_dict(json.loads(head))
    except (ValueError, RecordingError) as exc:
        raise RecordingError(f"journal {path}: {exc}") from exc
    out = JournalContents(header)
    while pos < len(data):
        if len(data) - pos < _PREFIX.size:
            out.torn_tail = True
            break
        n, crc = _PREFIX.unpack_from(data, pos)
        body = data[pos + _PREFIX.size : pos + _PREFIX.size + n]
        if n < _BODY_HEAD.size or n > _MAX_RECORD or len(body) != n or zlib.crc32(body) != crc:
            out.torn_tail = True
            break
        kind, host_time = _BODY_HEAD.unpack_from(body)
        out.records.append((kind, host_time, body[_BODY_HEAD.size :]))
        pos += _PREFIX.size + n
    if out.torn_tail:
        logger.warning("journal %s: dropped a torn record at byte %d (crash?)", path, pos)
    return out


def replay_into(contents: JournalContents, recorder: StreamRecorder, batch: int = 256) -> None:
    """Feed a journal's events and frames to ``recorder`` in file order."""
    hosts: list[float] = []
    payloads: list[bytes] = []

    def flush() -> None:
        if payloads:
            recorder.frames(hosts.copy(), payloads.copy())
            hosts.clear()
            payloads.clear()

    for kind, host_time, payload in contents.records:
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


def recover_journal(path: str | Path) -> Recording:
    """The recording a journal holds (through the live decode path).

    Raises:
        RecordingError: the journal is unreadable or holds no frames.

    """
    contents = read_journal(path)
    recorder: Any = StreamRecorder(contents.header)
    if contents.header.notes.get("protocol") == "polar-pmd":
        from imu.io.recorders.polar import PolarStreamRecorder  # Polar PMD frames

        recorder = PolarStreamRecorder(contents.header)
    replay_into(contents, recorder)
    if recorder.n_samples == 0:
        raise RecordingError(f"journal {path} holds no samples; nothing to recover")
    recording = recorder.recording()
    notes = dict(recording.meta.notes)
    notes["recovered_from"] = Path(path).name
    notes["journal_torn_tail"] = str(contents.torn_tail)
    return recording.with_meta(notes=notes)


def leftover_journals(directory: str | Path) -> list[Path]:
    """Journals left in ``directory`` by a session that did not end cleanly."""
    d = Path(directory)
    if not d.is_dir():
        return []
    return sorted(d.glob(f"*{SUFFIX}"))
