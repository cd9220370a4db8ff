"""Write outputs so that a failure never leaves a half-written file behind.

Every command writes each output to a hidden temporary name in the same folder and renames it
over the final name when it is complete (:func:`os.replace` is atomic on one file system). A
crash, a full disk or a refused write leaves the previous file, or none, never a torn one.

A set of files that belong together (a run's reports) is written inside
:func:`replace_together`: every file goes to its temporary name first, and only when all of
them are complete are they renamed into place, one after the other (renames need no space);
a failure on any of them removes the new temporaries and leaves the earlier set whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

_TOGETHER: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("_TOGETHER", default=None)
"""Within :func:`replace_together`: the (temporary, final) pairs written and not yet renamed."""


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` if the block succeeds.

    The temporary file is removed when the block raises. Example::

        with atomic_path(out) as tmp:
            table.to_parquet(tmp)
    """
    final = Path(path)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    together = _TOGETHER.get()
    deferred = False
    try:
        yield tmp
        if together is None:
            os.replace(tmp, final)
        else:  # renamed with the rest of its set (replace_together); written once
            together[:] = [*(pair for pair in together if pair[0] != tmp), (tmp, final)]
            deferred = True
    finally:
        if not deferred:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


@contextlib.contextmanager
def replace_together() -> Iterator[None]:
    """Files written with :func:`atomic_path` in the block replace their final names together.

    Each file is written to its temporary name as usual, but renamed into place only when the
    whole block has succeeded (or, inside it, when a :func:`folder_lock` block ends well:
    under the lock). If anything raises first (a full disk half-way through the set), every
    new temporary file is removed and no final name is touched: the folder keeps the earlier
    set whole, or stays without one. Example::

        with replace_together():
            write_reports(report, out)  # the 7 files, all new or all as they were
    """
    pending: list[tuple[Path, Path]] = []
    token = _TOGETHER.set(pending)
    try:
        yield
        _commit(pending)
    finally:
        _TOGETHER.reset(token)
        _discard(pending)


def _commit(pending: list[tuple[Path, Path]]) -> None:
    """Rename each complete temporary file over its final name, emptying ``pending``."""
    while pending:
        tmp, final = pending[0]
        os.replace(tmp, final)
        pending.pop(0)


def _discard(pending: list[tuple[Path, Path]]) -> None:
    """Remove the temporary files not renamed, emptying ``pending``."""
    for tmp, _ in pending:
        with contextlib.suppress(OSError):
            tmp.unlink()
    pending.clear()


@contextlib.contextmanager
def no_empty_folder_left(folder: Path) -> Iterator[None]:
    """Remove ``folder`` when it was made inside the block and the block raised.

    Only an empty folder goes: the files of a :func:`replace_together` set not yet renamed
    into it (which that block would remove on its way out) are removed first; a file in
    place keeps the folder. Ctrl-C while a live session's reports were written left an empty
    ``NAME/`` beside the recording, which looked like a session's reports folder.
    """
    created = not folder.exists()
    try:
        yield
    except BaseException:
        if created:
            pending = _TOGETHER.get()
            if pending is not None:
                _discard([pair for pair in pending if pair[0].parent == folder])
                pending[:] = [pair for pair in pending if pair[0].parent != folder]
            with contextlib.suppress(OSError):
                folder.rmdir()  # refused unless empty
        raise


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)




def write_error_reason(path: str | Path, exc: OSError) -> str:
    """Why writing ``path`` failed, in words: names a parent that is a file, not a folder.

    ``mkdir`` under a file fails with "File exists" or "Not a directory", which points at the
    output; the cause is the first parent that exists and is not a folder. The first folder
    that exists (``path`` itself when it is one) is named when it takes no new files.
    """
    # The path itself first when it is a folder (an --out that exists): trial 25's read-only
    # "--out ro" named its parent "." as the folder refusing files.
    own = (Path(path),) if Path(path).is_dir() else ()
    for parent in (*own, *Path(path).parents):
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            refused = folder_refuses_files(parent)
            if refused:
                return refused
            break
    if exc.strerror:
        return str(exc.strerror)
    # Some writers (pyarrow) raise without strerror, naming the hidden temporary file and
    # their own wording; keep only the operating system's reason.
    text = str(exc)
    return text.split("Detail: ", 1)[1] if "Detail: " in text else text


def folder_refuses_files(folder: str | Path) -> str | None:
    """Why no new file can be made in the existing folder ``folder``, or None if one can.

    Tried with a temporary file that is removed at once: permissions alone do not tell
    (root ignores them, and special file systems such as ``/proc`` refuse new files).
    """
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"the folder {folder} does not take new files ({exc.strerror or exc})"
    return None


def file_in_the_way(folder: str | Path) -> Path | None:
    """The file that keeps ``folder`` from being (or being made) a folder, or None.

    ``folder`` itself when it is a file; else its first existing parent, when that is a file
    (``mkdir`` would fail under it).
    """
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return None if not existing.exists() or existing.is_dir() else existing


LOCK_WAIT_S = 30.0
"""How long a writer waits for another one to finish with the same folder, s (writing a set of
reports takes well under a second)."""


class FolderBusyError(OSError):
    """Another process kept the folder's lock for longer than :data:`LOCK_WAIT_S`."""


@contextlib.contextmanager
def folder_lock(
    folder: str | Path, name: str, wait_s: float | None = None
) -> Iterator[None]:
    """Hold the lock file ``folder/name`` while the block writes a set of files there.

    Two runs writing the same set into one folder at once (two ``imu analyze --out same``)
    each replace files atomically, but one run's tables could end up beside the other's
    report. The lock makes the second wait for the first, so the set is one run's. The lock
    holds its owner's process id and, where the system tells it, the process's start time;
    one whose process has ended (killed mid-write), or whose id now belongs to another
    process (after a reboot), is taken over.

    Args:
        folder: the folder written.
        name: the lock file's name in it.
        wait_s: how long to wait for another process to finish with the folder, s; None:
            :data:`LOCK_WAIT_S`, read at each call.

    Raises:
        FolderBusyError: the lock stayed with a live process for ``wait_s``.

    """
    if wait_s is None:
        wait_s = LOCK_WAIT_S
    lock = Path(folder) / name
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _lock_is_stale(lock):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()
                continue
            if time.monotonic() > deadline:
                raise FolderBusyError(
                    f"another process ({_lock_owner(lock) or 'unknown'}) is writing to {folder}"
                    f" and held {lock.name} for {wait_s:g} s"
                ) from None
            time.sleep(0.05)
            continue
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(_lock_text(os.getpid()))
        except OSError:
            # A full disk: an empty lock would keep the next run waiting; none is left.
            with contextlib.suppress(OSError):
                lock.unlink()
            raise
        break
    together = _TOGETHER.get()
    try:
        yield
        if together is not None:
            _commit(together)  # a set written under the lock is renamed under it too
    except BaseException:
        if together is not None:
            _discard(together)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def _process_start(pid: int) -> str | None:
    """When process ``pid`` started, as the system counts it, or None where not told.

    Linux: the start time in clock ticks since boot (``/proc/PID/stat``, field 22), which
    tells a process from a later one given the same id. Elsewhere None.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()  # after the command name, which may hold spaces
    return fields[19] if len(fields) > 19 else None


def _lock_text(pid: int) -> str:
    """What a lock file holds: the owner's process id, then its start time where known."""
    start = _process_start(pid)
    return f"{pid} {start}" if start else str(pid)


def _lock_owner(lock: Path) -> int | None:
    """The process id a lock file holds, or None (unreadable, empty, not a number)."""
    try:
        return int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _lock_is_stale(lock: Path) -> bool:
    """Whether the lock's process has ended (or an unreadable lock is over a minute old).

    A lock that names its process's start time is also stale when the process now holding
    that id started at another time: the id was given again (a lock left before a reboot
    blocked every later run whose id a live process held, "another imu analyze is writing").
    """
    owner = _lock_owner(lock)
    if owner is None:
        try:
            return time.time() - lock.stat().st_mtime > 60.0
        except FileNotFoundError:
            return True
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # alive, owned by another user (after a reboot, often a system daemon's id)
    with contextlib.suppress(OSError):
        words = lock.read_text().split()
        now = _process_start(owner)  # /proc/PID/stat is readable for any user's process
        if len(words) > 1 and now is not None and words[1] != now:
            return True
    return False


__all__ = [
    "FolderBusyError",
    "atomic_path",
    "file_in_the_way",
    "folder_lock",
    "folder_refuses_files",
    "replace_together",
    "write_error_reason",
    "write_text_atomic",
]
