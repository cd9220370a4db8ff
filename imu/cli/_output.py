"""Console output that survives a closed stdout (``imu live ... | head -2``).

A live session must never be lost because nobody reads its output any more: when stdout is
closed, printing stops (quietly, after one note on stderr) and the session carries on, saves
the recording and writes every report.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from typing import IO, TextIO, cast

from rich.console import Console


class PipeSafeStream(io.TextIOBase):
    """A text stream that turns a broken pipe into silence.

    Args:
        stream: the stream to write to (``sys.stdout``).
        on_broken: called once when the reader goes away (e.g. to say so on stderr).

    Attributes:
        broken: True once a write or flush failed because the reader closed the pipe.

    """

    _stream: TextIO
    broken: bool

    def __init__(self, stream: TextIO, on_broken: Callable[[], None] | None = None) -> None:
        super().__init__()
        broken = False
        while isinstance(stream, PipeSafeStream):  # the command's stdout is one already:
            broken = broken or stream.broken  # this one must see the pipe break itself
            stream = stream._stream
        self._stream = stream
        self._on_broken = on_broken
        self.broken = broken

    def write(self, text: str) -> int:
        """Write ``text`` (nothing once the pipe is broken); returns its length."""
        if not self.broken:
            try:
                self._stream.write(text)
            except (BrokenPipeError, ConnectionResetError):
                self._break()
        return len(text)

    def flush(self) -> None:
        """Flush (nothing once the pipe is broken)."""
        if not self.broken:
            try:
                self._stream.flush()
            except (BrokenPipeError, ConnectionResetError):
                self._break()

    def fileno(self) -> int:
        """The underlying stream's file descriptor (for code that hands it on)."""
        return self._stream.fileno()

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal (False once broken)."""
        return not self.broken and self._stream.isatty()

    def writable(self) -> bool:
        """Always writable (writes after a broken pipe are dropped)."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The underlying stream's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    def _break(self) -> None:
        self.broken = True
        # Point the file descriptor at /dev/null, so that the interpreter's own flush of
        # stdout at exit does not fail again ("Exception ignored ... BrokenPipeError").
        try:
            fd = self._stream.fileno()
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, fd)
            finally:
                os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass  # not a real file (e.g. captured in tests): dropping writes is enough
        if self._on_broken is not None:
            self._on_broken()


def stdout_broken(console: Console) -> bool:
    """Whether ``console`` writes to a :class:`PipeSafeStream` whose reader went away."""
    return isinstance(console.file, PipeSafeStream) and console.file.broken


def pipe_safe_console(
    command: str,
    goes_on: str | None = "the session carries on and is saved",
    piped_width: int = 120,
    soft_wrap: bool = True,
) -> Console:
    """A console on stdout that stops printing when stdout is closed, with a note on stderr.

    Every command prints through one (``imu analyze ... | head -1`` must still write its
    reports). Plain text (no colour) when stdout is not a terminal.

    Args:
        command: the command's name, for the note.
        goes_on: what the note says happens next; None for a command that only prints
            (``imu info ... | head -1``): then nothing is lost and no note is due.
        piped_width: columns when stdout is not a terminal.
        soft_wrap: let long lines run on instead of wrapping them.

    """

    def note() -> None:
        if goes_on is None:
            return
        with contextlib.suppress(OSError):
            print(f"imu {command}: stdout was closed; no more output, {goes_on}",
                  file=sys.stderr, flush=True)

    stream = PipeSafeStream(sys.stdout, on_broken=note)
    width = None if sys.stdout.isatty() else piped_width
    return Console(file=cast("IO[str]", stream), highlight=False, soft_wrap=soft_wrap,
                   width=width)


def prepare_analysis(command: str) -> None:
    """Make the analyzer's compiled loops ready now, saying so when that takes a while.

    From the cache this takes a fraction of a second; the first run on a machine compiles
    them (a few seconds, once), and a notice on stderr says so instead of sitting silent.
    Commands call it before a live screen starts or workers are spawned (which then load
    the kernels from the cache instead of each compiling them).
    """
    from imu.core import kernels

    def notice() -> None:
        how = ("its first run on a machine compiles it: a few seconds, once" if kernels.cached
               else "compiling, a few seconds: no cache folder can be written, so every run "
               "compiles; set NUMBA_CACHE_DIR to a writable folder")
        print(f"imu {command}: preparing the analysis ({how})", file=sys.stderr, flush=True)

    kernels.set_compile_notice(notice)
    kernels.ensure_compiled()


def permission_text(exc: PermissionError) -> str:
    """One line for a file or folder the system did not let imu read or write.

    Foreseen where a command opens what it was given (``cannot read: Permission denied``);
    this says the same for one met inside a folder given (a phone export's Gyroscope.csv
    readable by its owner only), which was reported as a bug.
    """
    import os

    where = str(exc.filename) if exc.filename is not None else "a file"
    folder = os.path.dirname(where)
    if folder and os.path.isdir(folder) and not os.access(folder, os.R_OK | os.X_OK):
        where = folder  # a folder not listable: looking for a name in it was refused
    return (f"{where}: permission denied (the system does not let imu open it as the user "
            "you run it as); give yourself access to it and its folder (chmod: read to import, "
            "write to save there), or run as its owner")


def bug_text(exc: BaseException) -> str:
    """One line for an error imu did not foresee (a bug), naming it and what to do.

    Every foreseen problem is an :class:`imu.errors.ImuError` with its own message; a
    file the system would not open is said so (:func:`permission_text`); anything else is
    a bug, reported so, without a traceback unless asked for (``-v``).
    """
    from imu.cli import one_line

    if isinstance(exc, PermissionError):
        return permission_text(exc)
    detail = one_line(exc)
    return (f"internal error ({type(exc).__name__}{': ' + detail if detail else ''}): a bug "
            "in imu, not in your data or options; please report it with the command you ran, "
            "and run it again with -v to see where it happened")
