"""Named pipes, process substitutions, sockets and devices given as a recording.

A new user's trial: ``imu info FIFO`` and ``imu analyze FIFO`` hung (the check for a journal
or report table opened the pipe, which blocks until someone writes), and ``imu info
<(cat x.csv)`` said "error: /dev/fd/63: not a file" with no hint what to do.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from imu.cli import main

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")

HINT = "not a file; save the data to a file first"


@contextlib.contextmanager
def _unblocked(fifo: Path) -> Iterator[None]:
    """Should the command open ``fifo`` and block, a writer opens it after 3 s and goes.

    The blocked reader then reads an empty file, so a test of code that opens the pipe fails
    instead of hanging the suite.
    """
    done = threading.Event()

    def release() -> None:
        if done.wait(3.0):
            return
        while not done.is_set():
            with contextlib.suppress(OSError):  # no reader yet
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            done.wait(0.05)

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.parametrize("command", [["info"], ["analyze", "--out", "OUT"], ["replay", "--out",
                                                                              "OUT"]])
def test_a_named_pipe_is_refused_without_opening_it(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command[1:]]
    with _unblocked(fifo):
        code = main([command[0], str(fifo), *args])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert f"{fifo}: is a named pipe, {HINT}" in err


def test_a_process_substitution_gets_the_hint(capsys: pytest.CaptureFixture[str]) -> None:
    read, write = os.pipe()
    os.write(write, b"time,acc_x\n0,1\n")
    os.close(write)  # an end: code that reads the pipe gets the end of it, not a hang
    try:
        assert main(["info", f"/dev/fd/{read}"]) == 2
    finally:
        os.close(read)
    err = " ".join(capsys.readouterr().err.split())
    assert f"/dev/fd/{read}: is a pipe (like <(...) or stdin), {HINT}" in err


def test_a_socket_and_a_device_get_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a short socket path
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("s.sock")
        assert main(["info", "s.sock"]) == 2
    assert f"s.sock: is a socket, {HINT}" in " ".join(capsys.readouterr().err.split())
    assert main(["info", os.devnull]) == 2
    assert f"{os.devnull}: is a device, {HINT}" in " ".join(capsys.readouterr().err.split())
