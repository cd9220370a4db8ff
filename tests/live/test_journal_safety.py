"""Crash recovery never takes a journal in use, never writes over a recording, and says once."""

from __future__ import annotations

from pathlib import Path

from imu.cli import main
from imu.io.journal import JournalWriter, journal_in_use, recovery_target
from imu.io.recorders import StreamHeader
from imu.live.finish import recover_leftover_journals


def test_a_journal_being_written_is_in_use_and_left_alone(tmp_path: Path) -> None:
    journal = tmp_path / "running.imuj"
    writer = JournalWriter(str(journal), StreamHeader(104, 8, 500))
    try:
        assert journal_in_use(journal)
        results = recover_leftover_journals(tmp_path)
        assert [r.error for r in results] == ["in use by a running session (left alone)"]
        assert journal.exists() and not (tmp_path / "running.parquet").exists()
    finally:
        writer.close()
    assert not journal_in_use(journal)


def test_recovery_never_writes_over_a_recording(tmp_path: Path) -> None:
    journal = tmp_path / "s.imuj"
    assert recovery_target(journal) == tmp_path / "s.parquet"
    (tmp_path / "s.parquet").write_bytes(b"an earlier session")
    assert recovery_target(journal) == tmp_path / "s-recovered.parquet"
    (tmp_path / "s-recovered.parquet").write_bytes(b"recovered before")
    assert recovery_target(journal) == tmp_path / "s-recovered-2.parquet"


def test_a_session_name_already_used_is_refused_before_streaming(tmp_path: Path, capsys) -> None:
    out = tmp_path / "sessions"
    args = ["live", "--sim", "reverse-crunch", "--sim-reps", "2", "--speed", "40", "--plain",
            "--out", str(out), "--name", "mon"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "mon.parquet already exists" in err and "--name" in err
    assert sorted(p.name for p in out.iterdir()) == ["mon", "mon.parquet"]


def test_a_session_name_in_use_by_a_running_session_says_so(tmp_path: Path) -> None:
    """Trial 21: the --name of a session still recording was called "an earlier session"."""
    import pytest

    from imu.errors import ImuError
    from imu.live.finish import check_session_name

    journal = tmp_path / "mon.imuj"
    writer = JournalWriter(str(journal), StreamHeader(104, 8, 500))
    try:
        with pytest.raises(ImuError, match="a session named 'mon' is recording there now"):
            check_session_name(tmp_path, "mon")
    finally:
        writer.close()
    with pytest.raises(ImuError, match="an earlier session named 'mon'"):
        check_session_name(tmp_path, "mon")  # the journal left, its session over


def test_imu_recover_marks_the_journal_done_and_writes_beside(tmp_path: Path, capsys) -> None:
    import numpy as np

    from firmware_protocol.frames import encode_stream
    from imu.io.recording import read_recording

    journal = tmp_path / "s.imuj"
    writer = JournalWriter(str(journal), StreamHeader(104, 8, 500))
    writer.append_frames((k * 0.05, p) for k, p in enumerate(
        encode_stream(np.zeros((104, 6), dtype=int), mtu=23, sampling_rate_hz=104)))
    writer.close()
    (tmp_path / "s.parquet").write_bytes(b"an earlier session's recording")
    assert main(["recover", str(journal)]) == 0
    assert "journal kept as s.imuj.recovered" in capsys.readouterr().out
    assert (tmp_path / "s.parquet").read_bytes() == b"an earlier session's recording"
    assert read_recording(tmp_path / "s-recovered.parquet").n_samples == 104
    # Done: the next session into this folder does not recover it again.
    assert not journal.exists() and recover_leftover_journals(tmp_path) == []


def test_imu_recover_refuses_a_journal_in_use(tmp_path: Path, capsys) -> None:
    journal = tmp_path / "live.imuj"
    writer = JournalWriter(str(journal), StreamHeader(104, 8, 500))
    try:
        assert main(["recover", str(journal)]) == 2
        assert "in use" in capsys.readouterr().err
    finally:
        writer.close()


def test_a_session_name_that_is_a_path_is_refused(tmp_path: Path, capsys) -> None:
    """``--name ../../x`` used to write the recording and leave its journal outside --out."""
    out = tmp_path / "a" / "b"
    for name in ("../../escaped", "sub/dir", ".."):
        code = main(["replay", "recordings/reverse_crunch.parquet", "--out", str(out),
                     "--name", name, "--speed", "200"])
        err = capsys.readouterr().err
        assert code == 2 and "plain session name" in err, (name, err)
    assert not (tmp_path / "escaped.parquet").exists() and not out.exists()


def test_replay_of_another_exercise_uses_its_default_tempo(tmp_path: Path) -> None:
    """imu replay judged a plank (1-30-1) replayed as reverse crunches against 1-30-1."""
    import pandas as pd

    from imu.exercises import get_profile

    assert main(["replay", "recordings/plank.parquet", "-e", "reverse-crunch", "--out",
                 str(tmp_path), "--name", "p", "--speed", "500", "--plain"]) == 0
    session = pd.read_csv(tmp_path / "p" / "session.csv")
    assert session["tempo"].iloc[0] == str(get_profile("reverse-crunch").default_tempo)


def test_a_crash_journal_of_the_name_about_to_start_goes_beside_it(tmp_path: Path,
                                                                  capsys) -> None:
    """Trial 22: after a crash of ``--name c``, the next ``imu live --name c`` recovered the
    journal to c.parquet, then refused to start because c.parquet existed."""
    from tests.io.test_journal import frames, write_journal

    out = tmp_path / "crash"
    out.mkdir()
    write_journal(out / "c.imuj", frames())
    assert recovery_target(out / "c.imuj", taken={"c"}) == out / "c-recovered.parquet"
    args = ["live", "--sim", "reverse-crunch", "--sim-reps", "2", "--speed", "40", "--plain",
            "--out", str(out), "--name", "c"]
    assert main(args) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "recovered c.imuj (the journal of an earlier session) -> c-recovered.parquet" in said
    assert (out / "c-recovered.parquet").exists() and (out / "c.parquet").exists()
