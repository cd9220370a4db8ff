"""A full disk at the end of ``imu live``, and the journal it leaves for the next start.

A new user's trial (a 64 KiB tmpfs as --out): the recording could not be written there and
went to a temporary folder, yet the exit status was 0 and the journal was not mentioned; the
next ``imu live --out`` there then refused to start ("cannot write recording .../full.parquet:
No space left on device") while it silently tried to recover the old journal.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import imu.live.finish as finish
from imu.cli import main
from imu.errors import RecordingError
from imu.io.recording import Recording
from tests.io.test_journal import frames, write_journal

LIVE = ["live", "--sim", "reverse-crunch", "--sim-reps", "2", "--speed", "50", "--plain"]


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/full`` is a folder whose disk is full for recordings; returns it."""
    full = tmp_path / "full"
    full.mkdir()
    real = finish.write_recording
    spare = tmp_path / "tmp"
    spare.mkdir()

    def write(recording: Recording, path: Any, *args: Any, **kwargs: Any) -> Path:
        if Path(path).parent == full:
            raise RecordingError(f"cannot write recording {path}: [errno 28] No space left "
                                 "on device")
        return real(recording, path, *args, **kwargs)

    real_mkdtemp = finish.tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> str:
        if kwargs.get("prefix") != "imu-live-":
            return real_mkdtemp(*args, **kwargs)
        (spare / "imu-live-x").mkdir()
        return str(spare / "imu-live-x")  # not in the real temporary folder

    monkeypatch.setattr(finish, "write_recording", write)
    monkeypatch.setattr(finish.tempfile, "mkdtemp", mkdtemp)
    return full


def test_a_session_saved_elsewhere_exits_non_zero_and_keeps_its_journal(
    full_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*LIVE, "--name", "s", "--out", str(full_disk)]) == 1
    out, err = capsys.readouterr()
    elsewhere = full_disk.parent / "tmp" / "imu-live-x" / "s.parquet"
    assert elsewhere.is_file()
    assert (full_disk / "s.imuj").is_file()  # the journal is kept
    said = " ".join(err.split())
    assert f"the recording could not be saved in {full_disk}" in said
    assert f"it was saved to {elsewhere} instead" in said
    assert f"the journal {full_disk / 's.imuj'} is kept" in said
    assert f"saved to {elsewhere} instead; the journal" in " ".join(out.split())


def test_start_up_recovery_that_cannot_write_names_the_journal_and_goes_on(
    full_disk: Path,
) -> None:
    write_journal(full_disk / "old.imuj", frames())
    buffer = io.StringIO()
    assert finish.recover_leftovers(full_disk, Console(file=buffer, width=400)) == []
    said = " ".join(buffer.getvalue().split())
    assert "recovering 1 journal of an earlier session in" in said and "old.imuj" in said
    assert "cannot recover old.imuj, the journal of an earlier session" in said
    assert "No space left on device" in said
    assert "Free space in" in said and "move it away" in said
    assert f"imu recover {full_disk / 'old.imuj'} --out OTHER_DIR/" in said
    assert (full_disk / "old.imuj").is_file()  # kept as it was


def test_a_journal_that_cannot_be_recovered_does_not_block_the_next_session(
    tmp_path: Path, full_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_journal(full_disk / "old.imuj", frames())
    # The new session starts (and, the disk still full, is saved elsewhere: exit 1, not 2).
    assert main([*LIVE, "--name", "new", "--out", str(full_disk)]) == 1
    out, err = capsys.readouterr()
    assert "cannot recover old.imuj, the journal of an earlier session" in out
    assert "rep 2" in out  # the session ran
    assert "No space left on device" in err
