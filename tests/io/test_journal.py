"""Crash-safe journal: round trip, torn tail, full disk, unwritable dir, kill -9 + recovery."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from firmware_protocol.frames import encode_stream
from imu.errors import RecordingError
from imu.io.framestream import StreamHeader, StreamRecorder
from imu.io.journal import JournalWriter, read_journal, recover_journal

HEADER = StreamHeader(odr_hz=104, acc_range_g=8, gyr_range_dps=500, exercise="dead-bug")


def frames(n_samples: int = 520, per_frame: int = 5) -> list[bytes]:
    rng = np.random.default_rng(0)
    counts = rng.integers(-2000, 2000, size=(n_samples, 6))
    return encode_stream(counts, mtu=247, sampling_rate_hz=104, samples_per_frame=per_frame)


def write_journal(path: Path, payloads: list[bytes], drop: set[int] = frozenset()) -> None:
    j = JournalWriter(path, HEADER)
    j.append_event(0.0, "connected", name="S", address="AA", mtu=247)
    j.append_frames((k * 5 / 104 + 0.03, p) for k, p in enumerate(payloads) if k not in drop)
    j.close()


def test_journal_recovers_the_live_recording(tmp_path):
    payloads = frames()
    path = tmp_path / "s.imuj"
    write_journal(path, payloads, drop={10, 11})
    recorder = StreamRecorder(HEADER)
    recorder.event("connected", 0.0, name="S", address="AA", mtu=247)
    kept = [(k * 5 / 104 + 0.03, p) for k, p in enumerate(payloads) if k not in {10, 11}]
    recorder.frames([h for h, _ in kept], [p for _, p in kept])
    live = recorder.recording()
    recovered = recover_journal(path)
    np.testing.assert_array_equal(recovered.acc, live.acc)
    assert recovered.meta.gaps == live.meta.gaps and len(live.meta.gaps) == 1
    assert recovered.meta.gaps[0].n_samples == 10
    assert recovered.meta.device == "S" and recovered.meta.exercise == "dead-bug"


def test_torn_tail_is_dropped_and_the_rest_kept(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames())
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size - 7)  # the crash cut the last record short
    contents = read_journal(path)
    assert contents.torn_tail and contents.n_frames == len(frames()) - 1
    assert recover_journal(path).n_samples == 520 - 5


def test_not_a_journal(tmp_path):
    bad = tmp_path / "x.imuj"
    bad.write_bytes(b"hello")
    with pytest.raises(RecordingError, match="not an imu journal"):
        read_journal(bad)


class FlakyDisk:
    """os.write that fails with ENOSPC (after writing part of the data) while ``full``."""

    def __init__(self) -> None:
        self.full = False

    def __call__(self, fd: int, data: bytes) -> int:
        if self.full:
            os.write(fd, data[: len(data) // 2])  # a torn write before the error
            raise OSError(errno.ENOSPC, "No space left on device")
        return os.write(fd, data)


def test_disk_full_keeps_data_in_memory_and_damages_nothing(tmp_path, caplog):
    disk = FlakyDisk()
    now = [0.0]
    path = tmp_path / "s.imuj"
    j = JournalWriter(path, HEADER, retry_s=5.0, clock=lambda: now[0], write=disk)
    payloads = frames()
    j.append_frames((0.1 * k, p) for k, p in enumerate(payloads[:50]))
    good_size = path.stat().st_size
    disk.full = True
    j.append_frames((0.1 * k, p) for k, p in enumerate(payloads[50:80], start=50))
    assert not j.healthy and "No space left" in (j.error or "")
    assert j.pending_bytes > 0
    assert "recording continues in memory" in caplog.text
    assert path.stat().st_size == good_size  # the torn write was truncated away
    assert read_journal(path).n_frames == 50 and not read_journal(path).torn_tail
    # Space comes back: after the retry delay everything pending is written, in order.
    disk.full = False
    now[0] = 6.0
    j.append_frames((0.1 * k, p) for k, p in enumerate(payloads[80:], start=80))
    assert j.healthy
    j.close()
    assert read_journal(path).n_frames == len(payloads)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory_is_a_clear_error(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(RecordingError, match=r"cannot create journal .*writable"):
            JournalWriter(ro / "s.imuj", HEADER)
    finally:
        ro.chmod(0o700)


def test_unwritable_directory_via_failing_open(tmp_path, monkeypatch):
    import imu.io.journal as journal_module

    def deny(_path):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(journal_module, "_open_exclusive", deny)
    with pytest.raises(RecordingError, match="Permission denied; choose a writable"):
        JournalWriter(tmp_path / "s.imuj", HEADER)


RECORDER_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from firmware_protocol.frames import encode_stream
    from imu.io.framestream import StreamHeader
    from imu.io.journal import JournalWriter

    header = StreamHeader(odr_hz=104, acc_range_g=8, gyr_range_dps=500)
    counts = np.zeros((104 * 600, 6), dtype=int)
    payloads = encode_stream(counts, mtu=247, sampling_rate_hz=104, samples_per_frame=5)
    journal = JournalWriter(sys.argv[1], header)
    t0 = time.monotonic()
    for k, p in enumerate(payloads):
        # 104 Hz at 10x real time: a frame of 5 samples every 4.8 ms.
        while time.monotonic() - t0 < k * 5 / 104 / 10:
            time.sleep(0.001)
        journal.append_frames([(time.monotonic() - t0, p)])
        if k % 20 == 0:
            print(k, flush=True)
    """
)


def test_kill_9_then_recovery_loses_at_most_a_second(tmp_path):
    path = tmp_path / "killed.imuj"
    proc = subprocess.Popen(
        [sys.executable, "-c", RECORDER_SCRIPT, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    last = -1
    deadline = time.monotonic() + 30
    while last < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        last = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert last >= 200, "the recorder did not start"
    recording = recover_journal(path)
    # Every frame the recorder reported as written is there (and possibly a few more).
    assert recording.n_samples >= (last + 1) * 5
    assert recording.meta.gaps == ()
