"""Crash-safe journal: round trip, torn tail, full disk, unwritable dir, kill -9 + recovery."""

from __future__ import annotations

import errno
import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from firmware_protocol.frames import encode_stream
from imu.cli import main
from imu.errors import RecordingError
from imu.io.journal import (
    REASON_JOURNAL,
    JournalWriter,
    read_journal,
    recover,
    recover_journal,
)
from imu.io.recorders.base import StreamHeader
from imu.io.recorders.hip import StreamRecorder

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
    from imu.io.recorders.base import StreamHeader
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


# --------------------------------------------------------------------------- resynchronisation
def _flip(path: Path, offset: int, n: int = 2) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + n):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))


def test_flipped_bytes_mid_file_lose_one_frame_and_keep_the_rest(tmp_path):
    payloads = frames(349 * 5)
    path = tmp_path / "s.imuj"
    write_journal(path, payloads)
    _flip(path, path.stat().st_size // 2)
    result = recover(path, warn=False)
    contents = result.contents
    assert not contents.torn_tail and len(contents.damaged) == 1
    assert contents.n_frames == 348  # every intact record after the damage is kept
    assert result.repairs.data_lost and result.repairs.count("journal_damaged") == 1
    assert result.seconds_lost == pytest.approx(5 / 104)
    (gap,) = result.recording.meta.gaps
    assert gap.reason == REASON_JOURNAL and gap.n_samples == 5
    assert result.recording.n_samples == 349 * 5
    assert "repairs" in result.recording.meta.notes


def test_zeroed_block_mid_file_is_skipped(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames(300 * 5))
    data = bytearray(path.read_bytes())
    mid = len(data) // 3
    data[mid : mid + 1000] = bytes(1000)
    path.write_bytes(bytes(data))
    result = recover(path, warn=False)
    lost = result.contents.damaged
    n_lost = 300 - result.contents.n_frames
    assert len(lost) == 1 and abs(lost[0].frames_lost - n_lost) <= 1  # 1000 bytes, ~89 a frame
    assert result.recording.missing_samples == n_lost * 5
    assert result.recording.n_samples == 300 * 5
    assert result.seconds_lost == pytest.approx(result.recording.missing_samples / 104)


def test_bytes_cut_out_mid_file_count_frames_samples_and_seconds_alike(tmp_path):
    # Bytes cut out (not overwritten): only the remnants of the cut records are left to skip,
    # so their size says nothing of the loss; the frames lost must agree with the samples.
    path = tmp_path / "s.imuj"
    write_journal(path, frames(300 * 5))
    data = path.read_bytes()
    mid = len(data) // 3
    path.write_bytes(data[:mid] + data[mid + 1000 :])
    result = recover(path, warn=False)
    n_lost = 300 - result.contents.n_frames
    assert n_lost > 5  # 1000 bytes are ~11 records of ~89 bytes
    (damage,) = result.contents.damaged
    assert damage.frames_lost == n_lost and damage.samples_lost == n_lost * 5
    assert result.recording.missing_samples == n_lost * 5
    assert result.seconds_lost == pytest.approx(n_lost * 5 / 104)
    assert result.repairs.count("journal_damaged") == n_lost
    assert (f"about {n_lost} frames ({n_lost * 5 / 104:.2f} s, {n_lost * 5} samples) lost"
            in result.repairs.line())


def test_damage_in_the_last_record_is_counted_in_frames_and_samples_alike(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames())
    _flip(path, path.stat().st_size - 3, 1)
    result = recover(path, warn=False)
    (damage,) = result.contents.damaged
    assert damage.frames_lost == 1 and damage.samples_lost == 5  # no gap after it: estimated
    assert result.seconds_lost == pytest.approx(5 / 104)
    assert "about 1 frame (0.05 s, 5 samples) lost" in result.repairs.line()


def test_zeros_at_the_end_are_a_torn_tail(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames())
    with open(path, "ab") as f:
        f.write(bytes(4096))  # blocks allocated by the file system but never written
    contents = read_journal(path)
    assert contents.torn_tail and not contents.damaged
    assert contents.n_frames == len(frames())


def test_a_bad_crc_in_the_last_record_is_a_loss_not_a_torn_tail(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames())
    _flip(path, path.stat().st_size - 3, 1)
    contents = read_journal(path)
    assert not contents.torn_tail and len(contents.damaged) == 1


def _write_v1(path: Path, payloads: list[bytes]) -> None:
    """A journal in format version 1 (no sync marker), as written before version 2."""
    head = json.dumps(HEADER.to_dict(), sort_keys=True).encode()
    out = [b"IMUJRNL1", struct.pack("<II", len(head), zlib.crc32(head)), head]
    for k, p in enumerate(payloads):
        body = struct.pack("<Bd", 1, k * 5 / 104) + p
        out.append(struct.pack("<II", len(body), zlib.crc32(body)) + body)
    path.write_bytes(b"".join(out))


def test_version_1_journals_are_read_and_resynchronised(tmp_path):
    payloads = frames()
    path = tmp_path / "old.imuj"
    _write_v1(path, payloads)
    assert read_journal(path).n_frames == len(payloads)
    assert read_journal(path).version == 1
    _flip(path, path.stat().st_size // 2)
    contents = read_journal(path)
    assert contents.n_frames == len(payloads) - 1 and len(contents.damaged) == 1
    assert recover_journal(path).n_samples == 520


def test_unknown_journal_version_is_named(tmp_path):
    path = tmp_path / "future.imuj"
    path.write_bytes(b"IMUJRNL9" + bytes(20))
    with pytest.raises(RecordingError, match=r"future\.imuj.*'9'.*upgrade"):
        read_journal(path)


def test_recover_cli_exit_codes_and_one_warning(tmp_path, capsys):
    damaged, torn = tmp_path / "damaged.imuj", tmp_path / "torn.imuj"
    for p in (damaged, torn):
        write_journal(p, frames(349 * 5))
    _flip(damaged, damaged.stat().st_size // 2)
    torn.write_bytes(torn.read_bytes()[:-7])
    assert main(["recover", str(torn)]) == 0
    assert (tmp_path / "torn.parquet").exists()
    capsys.readouterr()
    assert main(["recover", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "damaged.imuj: data lost: about 1 frame (0.05 s, 5 samples)" in err
    assert (tmp_path / "damaged.parquet").exists()


def test_a_damaged_journal_left_for_imu_live_reports_its_losses(tmp_path):
    """imu live's start-up recovery said only 'recovered ... N gaps', not what was lost."""
    import io

    from rich.console import Console

    from imu.live.finish import recover_leftovers

    path = tmp_path / "live-x.imuj"
    write_journal(path, frames(300 * 5))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + data[len(data) // 3 + 1000 :])
    buffer = io.StringIO()
    written = recover_leftovers(tmp_path, Console(file=buffer, width=300))
    printed = buffer.getvalue()
    assert written == [tmp_path / "live-x.parquet"]
    assert "recovered live-x.imuj" in printed
    assert "warning:" in printed and "frames (" in printed and "samples) lost" in printed


# ------------------------------------------------------------------ bytes the journal never wrote
@pytest.mark.parametrize(
    "junk", [b"hello world\n", np.random.default_rng(3).bytes(5000)], ids=["text", "random"]
)
def test_junk_after_the_last_record_is_an_unreadable_tail_not_a_loss(tmp_path, capsys, junk):
    """Text or random bytes appended to a journal were reported as ~56 frames lost, exit 1."""
    path = tmp_path / "k2.imuj"
    write_journal(path, frames())
    with open(path, "ab") as f:
        f.write(junk)
    result = recover(path, warn=False)
    assert result.contents.torn_tail and not result.contents.damaged
    assert not result.repairs.data_lost and result.seconds_lost == 0
    assert result.recording.n_samples == 520 and result.recording.meta.gaps == ()
    assert f"{len(junk)} bytes of unreadable tail ignored" in result.repairs.line()
    assert main(["recover", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"{len(junk)} bytes of unreadable tail ignored" in captured.out
    assert "lost" not in captured.err.replace("nothing lost", "")


def test_a_damaged_sync_marker_in_the_last_record_is_still_a_loss(tmp_path):
    path = tmp_path / "s.imuj"
    payloads = frames()
    write_journal(path, payloads)
    last = len(path.read_bytes()) - (4 + 8 + 9 + len(payloads[-1]))
    _flip(path, last, 2)
    result = recover(path, warn=False)
    assert not result.contents.torn_tail and len(result.contents.damaged) == 1
    assert result.repairs.data_lost


def test_bytes_inserted_between_records_lose_no_frame(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames())
    data = path.read_bytes()
    cut = data.index(b"\xa5IJR", len(data) // 2)  # the start of a record
    path.write_bytes(data[:cut] + b"some junk" * 50 + data[cut:])
    result = recover(path, warn=False)
    assert result.contents.n_frames == len(frames())
    assert not result.repairs.data_lost and result.seconds_lost == 0
    assert "450 unreadable bytes skipped between intact records, no frame missing" in (
        result.repairs.line()
    )


@pytest.mark.parametrize("n_bytes", [4, 6, 8])
def test_a_damaged_marker_and_length_of_the_last_record_is_still_a_loss(tmp_path, n_bytes):
    path = tmp_path / "s.imuj"
    payloads = frames()
    write_journal(path, payloads)
    last = len(path.read_bytes()) - (4 + 8 + 9 + len(payloads[-1]))
    _flip(path, last, n_bytes)
    result = recover(path, warn=False)
    assert not result.contents.torn_tail and len(result.contents.damaged) == 1
    assert result.repairs.data_lost
