"""Two ``imu analyze`` runs into one ``--out`` at once: the second stops at the start.

Each used to analyse its files and write its reports, one after the other: the last one
replaced the first's without a word. A run now holds a lock file in ``--out`` (its process
id) from start to end; a second run fails at once with one line naming the process and the
fix, and a lock left by a process that has ended is taken over.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from imu.cli import main
from imu.cli.analyze import RUN_LOCK
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.fixture
def other_process() -> Iterator[int]:
    """The id of a live process that is not this one (another run, as far as a lock tells)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_a_second_run_into_the_same_out_fails_at_once(
    tmp_path: Path, other_process: int, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / RUN_LOCK).write_text(str(other_process))  # a first run, still going
    code = main(["analyze", str(RECORDING), "--out", str(out)])
    said = capsys.readouterr()
    assert code == 2
    assert one_error_line(said.err) == (
        f"imu analyze: error: --out {out}: another imu analyze (process {other_process}) is "
        "writing its reports there; wait for it to finish, or give another --out (if no imu "
        f"analyze is running, delete {out / RUN_LOCK})"
    )
    assert said.out == ""  # nothing analysed
    assert sorted(p.name for p in out.iterdir()) == [RUN_LOCK]  # the first run's lock kept


def test_a_lock_left_by_a_process_that_ended_is_taken_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    out = tmp_path / "out"
    out.mkdir()
    (out / RUN_LOCK).write_text(str(ended.pid))  # a run killed half-way
    assert main(["analyze", str(RECORDING), "--out", str(out)]) == 0, capsys.readouterr().err
    assert (out / "report.html").exists()
    assert not (out / RUN_LOCK).exists()  # released at the end


def test_a_lock_whose_process_id_was_given_again_is_taken_over(
    tmp_path: Path, other_process: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found in a new-user trial: a lock left before a reboot named an id that a live process
    had since; every later run was refused. The lock holds the start time too (Linux)."""
    from imu.io.atomic import _lock_text

    held = _lock_text(other_process)
    if " " not in held:
        pytest.skip("the system does not tell a process's start time (no /proc)")
    out = tmp_path / "out"
    out.mkdir()
    pid, start = held.split()
    (out / RUN_LOCK).write_text(f"{pid} {int(start) + 1}")  # the same id, another process
    assert main(["analyze", str(RECORDING), "--out", str(out)]) == 0, capsys.readouterr().err
    assert not (out / RUN_LOCK).exists()
    (out / RUN_LOCK).write_text(held)  # that very process: still refused
    assert main(["analyze", str(RECORDING), "--out", str(out)]) == 2
    assert f"(process {other_process})" in capsys.readouterr().err


def test_the_lock_is_held_while_the_run_works_and_released_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import imu.cli.analyze

    out = tmp_path / "out"
    seen: list[bool] = []
    real = imu.cli.analyze._run

    def run(args: object) -> int:
        seen.append((out / RUN_LOCK).exists())
        return real(args)  # type: ignore[arg-type]

    monkeypatch.setattr(imu.cli.analyze, "_run", run)
    assert main(["analyze", str(RECORDING), "--out", str(out)]) == 0
    assert seen == [True] and not (out / RUN_LOCK).exists()
    capsys.readouterr()
    # A run that fails leaves no lock (nor the folder it made) behind.
    assert main(["analyze", str(tmp_path / "missing.parquet"), "--out",
                 str(tmp_path / "new")]) == 2
    assert not (tmp_path / "new").exists()
