"""Write outputs so that a failure never leaves a half-written file behind.

Every command writes each output to a hidden temporary name in the same folder and renames it
over the final name when it is complete (:func:`os.replace` is atomic on one file system). A
crash, a full disk or a refused write leaves the previous file, or none, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` if the block succeeds.

    The temporary file is removed when the block raises. Example::

        with atomic_path(out) as tmp:
            table.to_parquet(tmp)
    """
    final = Path(path)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)




def write_error_reason(path: str | Path, exc: OSError) -> str:
    """Why writing ``path`` failed, in words: names a parent that is a file, not a folder.

    ``mkdir`` under a file fails with "File exists" or "Not a directory", which points at the
    output; the cause is the first parent that exists and is not a folder.
    """
    for parent in Path(path).parents:
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


__all__ = ["atomic_path", "file_in_the_way", "write_error_reason", "write_text_atomic"]
