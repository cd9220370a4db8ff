from pathlib import Path

import pytest

from imu.io.atomic import atomic_path, write_text_atomic


def test_atomic_write_replaces_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    out.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert out.read_text() == "old"
    assert list(tmp_path.iterdir()) == [out]
    write_text_atomic(out, "new")
    assert out.read_text() == "new"
    assert list(tmp_path.iterdir()) == [out]


def test_writing_under_a_file_names_that_file(tmp_path: Path) -> None:
    """'cannot write recording blocker/x.parquet: File exists' pointed at the wrong path."""
    from imu.errors import RecordingError
    from imu.io import read_recording, write_recording

    blocker = tmp_path / "blocker"
    blocker.write_text("")
    rec = read_recording(Path(__file__).parents[2] / "recordings" / "plank.parquet")
    with pytest.raises(RecordingError, match=f"{blocker} is a file, not a folder"):
        write_recording(rec, blocker / "sub" / "x.parquet")


def _folder_refusing_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder where no new file can be made (as /proc), whatever the user's rights."""
    import tempfile

    folder = tmp_path / "special"
    folder.mkdir()
    real = tempfile.TemporaryFile

    def refuse(*args, **kwargs):
        if Path(str(kwargs.get("dir", ""))) == folder:
            raise FileNotFoundError(2, "No such file or directory")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    return folder


def test_a_folder_that_takes_no_files_is_named_not_the_hidden_temporary_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pyarrow's message named '.x.parquet.8891.tmp', a file the user never asked for."""
    import imu.io.recording as recording
    from imu.errors import RecordingError
    from imu.io import read_recording, write_recording

    folder = _folder_refusing_files(monkeypatch, tmp_path)
    rec = read_recording(Path(__file__).parents[2] / "recordings" / "plank.parquet")

    def as_pyarrow_fails(table, where, **options):
        raise OSError(f"Failed to open local file '{where}'. Detail: [errno 2] No such file")

    monkeypatch.setattr(recording.pq, "write_table", as_pyarrow_fails)
    with pytest.raises(RecordingError) as info:
        write_recording(rec, folder / "x.parquet")
    message = str(info.value)
    assert f"the folder {folder} does not take new files" in message
    assert ".tmp" not in message and "choose a writable path" in message


def test_convert_refuses_an_unwritable_output_before_importing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import imu.cli.convert as convert
    from imu.cli import main

    folder = _folder_refusing_files(monkeypatch, tmp_path)

    def no_import(*args, **kwargs):
        raise AssertionError("imported before the output was checked")

    monkeypatch.setattr(convert, "import_any", no_import)
    source = tmp_path / "in.csv"
    source.write_text("time_s,acc_x\n0,1\n")
    assert main(["convert", str(source), str(folder / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert f"the folder {folder} does not take new files" in err and "choose a writable OUT" in err


def test_a_second_writer_waits_for_the_folder_lock(tmp_path: Path) -> None:
    import threading
    import time

    from imu.io.atomic import folder_lock

    order: list[str] = []
    with folder_lock(tmp_path, ".lock"):
        second = threading.Thread(target=lambda: _locked(tmp_path, order))
        second.start()
        time.sleep(0.3)
        order.append("first done")  # the second writer is still waiting here
    second.join(5)
    assert order == ["first done", "second"]
    assert not (tmp_path / ".lock").exists()


def _locked(folder: Path, order: list[str]) -> None:
    from imu.io.atomic import folder_lock

    with folder_lock(folder, ".lock"):
        order.append("second")


def test_a_lock_left_by_an_ended_process_is_taken_over(tmp_path: Path) -> None:
    import subprocess
    import sys

    from imu.io.atomic import folder_lock

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    (tmp_path / ".lock").write_text(ended.stdout.strip())  # killed mid-write
    with folder_lock(tmp_path, ".lock", wait_s=0.5):
        assert (tmp_path / ".lock").read_text() != ended.stdout.strip()


def test_a_lock_held_too_long_names_the_folder(tmp_path: Path) -> None:
    import os

    from imu.io.atomic import FolderBusyError, folder_lock

    (tmp_path / ".lock").write_text(str(os.getpid()))  # a live process holds it
    with pytest.raises(FolderBusyError, match=f"writing to {tmp_path}"), \
            folder_lock(tmp_path, ".lock", wait_s=0.2):
        pass


def _reports_of(out: Path) -> tuple[str, str]:
    """(exercise of session.csv, title in report.html) of the reports in ``out``; asserts
    the tables agree with each other."""
    import pandas as pd

    session = pd.read_csv(out / "session.csv")
    assert len(pd.read_csv(out / "reps.csv")) == int(session["reps"].sum())
    html = (out / "report.html").read_text()
    titles = [t for t in ("Plank", "Reverse crunch") if t in html]
    return str(session["exercise"].iloc[0]), " ".join(titles)


def test_two_analyses_into_one_folder_leave_one_runs_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found in a new-user trial: two 'imu analyze --out same' at once left a plank's tables
    beside a reverse crunch's report.html.

    Deterministic: the folder's lock is held here while the second analysis runs (two runs
    started at once mostly pass without a lock, one after the other). It waits for the lock
    and, the lock still held, is refused with the reason and the fix, writing nothing; with
    the lock released it writes its whole set.
    """
    import os

    import imu.io.atomic
    from imu.cli import main
    from imu.io.atomic import folder_lock
    from imu.report.tables import REPORTS_LOCK

    recordings = Path(__file__).parents[2] / "recordings"
    out = tmp_path / "same"
    assert main(["analyze", str(recordings / "reverse_crunch.parquet"), "--out", str(out)]) == 0
    first = _reports_of(out)
    assert first == ("reverse-crunch", "Reverse crunch")
    capsys.readouterr()
    monkeypatch.setattr(imu.io.atomic, "LOCK_WAIT_S", 0.3)  # not 30 s
    with folder_lock(out, REPORTS_LOCK):  # another run writing its set
        code = main(["analyze", str(recordings / "plank.parquet"), "--out", str(out)])
    said = capsys.readouterr()
    assert code == 2
    assert said.err.splitlines()[-1] == (
        f"imu analyze: error: another process ({os.getpid()}) is writing to {out} and held "
        f"{REPORTS_LOCK} for 0.3 s; wait for it to finish, or choose another --out"
    )
    assert _reports_of(out) == first  # not one file of the plank's
    assert main(["analyze", str(recordings / "plank.parquet"), "--out", str(out)]) == 0
    assert _reports_of(out) == ("plank", "Plank")
    assert not (out / REPORTS_LOCK).exists()


def test_a_lock_whose_id_another_users_process_has_is_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a reboot a lock's id often belongs to a system daemon, which this user may not
    signal (PermissionError): the start time still tells it is not the lock's process."""
    import imu.io.atomic as atomic
    from imu.io.atomic import _lock_is_stale, _process_start

    start = _process_start(1)
    if start is None:
        pytest.skip("the system does not tell a process's start time (no /proc)")

    def not_allowed(pid: int, signal: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "kill", not_allowed)
    lock = tmp_path / ".lock"
    lock.write_text(f"1 {int(start) + 12345}")  # id 1, another start: left before a reboot
    assert _lock_is_stale(lock)
    lock.write_text(f"1 {start}")  # that very process: alive
    assert not _lock_is_stale(lock)
    lock.write_text("1")  # no start time written: alive, as before
    assert not _lock_is_stale(lock)
