"""A journal the disk filled up under: its recovery says it is incomplete.

Trial 24 (a 16 KiB tmpfs as --out): the recording went to a temporary folder and the journal,
which the full disk had cut short, was kept; the next ``imu live`` there recovered it as
"8.6 s, 0 gaps", a silent short second copy of a 29.8 s session.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

from rich.console import Console

import imu.live.finish as finish
from imu.io.journal import JournalWriter, mark_saved_elsewhere, recover
from tests.io.test_journal import HEADER, frames


class FullDisk:
    """An ``os.write`` on a disk that holds ``limit`` bytes of the file written."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, fd: int, data: bytes) -> int:
        room = self.limit - os.fstat(fd).st_size
        if room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return os.write(fd, data[:room])


def _journal_on_full_disk(path: Path) -> tuple[FullDisk, float]:
    """A session of 50 s whose journal the disk cut short; the disk and the session's length."""
    disk = FullDisk(30_000)
    payloads = frames(n_samples=5200)
    writer = JournalWriter(path, HEADER, write=disk, retry_s=0.0)
    writer.append_event(0.0, "connected", name="S", address="AA", mtu=247)
    for k, p in enumerate(payloads):
        writer.append_frames([(k * 5 / 104 + 0.03, p)])
    writer.close()
    assert path.stat().st_size <= disk.limit
    return disk, 5200 / 104


def test_a_journal_cut_short_is_marked_and_says_so_at_recovery(tmp_path: Path) -> None:
    journal = tmp_path / "full.imuj"
    disk, session_s = _journal_on_full_disk(journal)
    elsewhere = tmp_path / "tmp" / "full.parquet"
    assert mark_saved_elsewhere(journal, elsewhere, session_s, write=disk)  # room was made
    recovered = recover(journal, warn=False)
    assert recovered.incomplete
    stops = recovered.recording.duration_s
    assert stops < 20
    text = recovered.incomplete_text()
    assert f"the journal stops at {stops:.1f} s, but the session went on to 50.0 s" in text
    assert f"saved to {elsewhere} (it is no longer there" in text
    assert "journal_incomplete" in recovered.recording.meta.notes


def test_start_up_recovery_makes_no_second_short_session(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    journal = out_dir / "full.imuj"
    disk, session_s = _journal_on_full_disk(journal)
    elsewhere = tmp_path / "tmp" / "full.parquet"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"the complete recording")
    assert mark_saved_elsewhere(journal, elsewhere, session_s, write=disk)
    buffer = io.StringIO()
    assert finish.recover_leftovers(out_dir, Console(file=buffer, width=400)) == []
    said = " ".join(buffer.getvalue().split())
    assert "warning: full.imuj, the journal of an earlier session, is incomplete" in said
    assert "but the session went on to 50.0 s (the disk was full)" in said
    assert f"the complete recording was saved to {elsewhere}" in said
    assert f"mv {elsewhere} {out_dir}/" in said
    assert not (out_dir / "full.parquet").exists()  # no second, short, session
    assert (out_dir / "full.imuj.incomplete").is_file()  # kept, set aside: said once


def test_the_end_of_the_session_says_the_journal_is_short(tmp_path: Path) -> None:
    journal = tmp_path / "full.imuj"
    disk, session_s = _journal_on_full_disk(journal)
    assert mark_saved_elsewhere(journal, tmp_path / "x.parquet", session_s, write=disk)
    note = " ".join(finish.fallback_note(journal).split())
    assert f"the journal {journal} is kept but holds only the first" in note
    assert "keep the recording where it was saved" in note
