"""Ctrl-C stops ``imu batch`` with one line (what it stored, how to go on), keeps what was
stored, and no worker speaks up."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from imu.batch import (
    BatchInterrupted,
    BatchOptions,
    _sigint_deferred,
    _sigint_ignored,
    collect_jobs,
    done_sessions,
    run_batch,
)
from imu.cli import main

REPO = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and process groups")


def _sigint_disposition(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)


def _child_started_within(block: Any, report: Any) -> object:
    """What ``report(queue)`` puts, run in a process started inside ``block()``.

    The process is spawned as Dask's nanny does; the handler in force is checked to be the
    one from before the block.
    """
    before = signal.getsignal(signal.SIGINT)
    context = multiprocessing.get_context("spawn")  # what Dask's nanny uses
    queue = context.Queue()
    with block():
        child = context.Process(target=report, args=(queue,))
        child.start()
    assert signal.getsignal(signal.SIGINT) is before
    seen = queue.get(timeout=60)
    child.join(timeout=60)
    return seen


@posix_only
def test_processes_started_while_sigint_is_ignored_keep_ignoring_it() -> None:
    """What keeps Dask's workers quiet: they ignore the Ctrl-C the terminal sends them too."""
    assert _child_started_within(_sigint_ignored, _sigint_disposition) is True


def _sigint_blocked(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))


@posix_only
def test_processes_started_while_the_cluster_starts_never_see_a_ctrl_c() -> None:
    """Their SIGINT stays blocked (the mask survives exec), so no worker prints a traceback."""
    assert _child_started_within(_sigint_deferred, _sigint_blocked) is True
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@posix_only
def test_ctrl_c_while_the_local_cluster_starts_stops_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was ignored (SIGINT ignored while Dask started), and the batch went on to the end."""
    import distributed

    closed: list[bool] = []

    class PressedWhileStarting:
        def __init__(self, **kwargs: object) -> None:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the start

        def close(self) -> None:
            closed.append(True)

    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("the batch went on after Ctrl-C")

    monkeypatch.setattr(distributed, "LocalCluster", PressedWhileStarting)
    monkeypatch.setattr(distributed, "Client", no_client)
    jobs = collect_jobs([REPO / "recordings" / "dead_bug.parquet"])
    with pytest.raises(KeyboardInterrupt):
        run_batch(jobs, tmp_path / "ds", BatchOptions(workers=1))
    assert closed == [True]  # the cluster that did start is closed
    assert done_sessions(tmp_path / "ds") == set()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


_PRESSED_WHILE_STARTING = '''
import os
import signal
import sys
import time

import distributed

_LocalCluster = distributed.LocalCluster


class PressedWhileStarting(_LocalCluster):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # the workers run: they get the Ctrl-C too
        os.killpg(0, signal.SIGINT)  # a terminal's Ctrl-C, before the start is over
        time.sleep(1.0)  # time for a worker to print a traceback, if it would


if __name__ == "__main__":  # the worker processes import this module too (spawn)
    from imu.cli import main

    distributed.LocalCluster = PressedWhileStarting
    sys.exit(main(sys.argv[1:]))
'''


@posix_only
def test_ctrl_c_while_a_real_local_cluster_starts_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "driver.py").write_text(_PRESSED_WHILE_STARTING)
    out = tmp_path / "ds"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), os.environ.get("PYTHONPATH", "")]))
    batch = subprocess.run(
        [sys.executable, str(tmp_path / "driver.py"), "batch",
         str(REPO / "recordings" / "dead_bug.parquet"), "--out", str(out), "--workers", "2"],
        capture_output=True, text=True, env=env, start_new_session=True, timeout=180,
    )
    assert (batch.returncode, batch.stderr) == (
        130, f"imu batch: interrupted: no session stored in {out} by this run; run the same "
        "command again to analyse the 1 recording left\n"), batch.stdout
    assert done_sessions(out) == set()


def test_interrupted_batch_keeps_the_sessions_stored_and_its_failures(
    cohort_dir: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in sorted(cohort_dir.glob("P01/*.parquet"))[:3]:
        shutil.copy(f, inputs / f.name)
    bad = inputs / "0-bad.parquet"  # the first in path order
    bad.write_bytes(b"not parquet")
    jobs = collect_jobs([inputs])
    seen: list[Path] = []

    def ctrl_c_after_two(outcome: object) -> None:
        seen.append(outcome.path)  # type: ignore[attr-defined]
        if len(seen) == 2:
            raise KeyboardInterrupt

    out = tmp_path / "ds"
    with pytest.raises(BatchInterrupted) as stop:
        run_batch(jobs, out, BatchOptions(workers=0), on_done=ctrl_c_after_two)
    assert len(done_sessions(out)) == 1  # bad.parquet failed, the next one was stored
    assert isinstance(stop.value, KeyboardInterrupt)  # what a caller catching Ctrl-C sees
    assert (stop.value.stored, stop.value.skipped, stop.value.failed, stop.value.left) == (
        1, 0, 1, 2)
    assert list(pd.read_csv(out / "_failures.csv")["file"]) == [str(bad)]


_SLOW_JOB = '''
import time

import imu.batch

_analyze_job = imu.batch.analyze_job


def slow_analyze_job(job, options):
    time.sleep(1.0)  # a long recording: the worker is busy when Ctrl-C comes
    return _analyze_job(job, options)
'''

_DRIVER = '''
import sys

import imu.batch
import slowjob

if __name__ == "__main__":  # the worker processes import this module too (spawn)
    from imu.cli import main

    imu.batch.analyze_job = slowjob.slow_analyze_job
    sys.exit(main(sys.argv[1:]))
'''


@posix_only
def test_ctrl_c_on_a_local_cluster_is_one_line(cohort_dir: Path, tmp_path: Path) -> None:
    """Ctrl-C in a terminal: SIGINT to the whole process group, the workers included."""
    (tmp_path / "slowjob.py").write_text(_SLOW_JOB)
    (tmp_path / "driver.py").write_text(_DRIVER)
    out = tmp_path / "ds"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tmp_path), str(REPO), os.environ.get("PYTHONPATH", "")]))
    batch = subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), "batch", str(cohort_dir), "--out",
         str(out), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not done_sessions(out) and batch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert batch.poll() is None, batch.communicate()
        os.killpg(batch.pid, signal.SIGINT)
        _, err = batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    assert batch.returncode == 130
    stored = done_sessions(out)
    total = len(list(cohort_dir.rglob("*.parquet")))
    assert 0 < len(stored) < total
    line = re.fullmatch(r"imu batch: interrupted: (\d+) sessions? stored in (.+) by this run; "
                        r"run the same command again to analyse the (\d+) recordings? left: "
                        r"it skips the sessions already stored\n", err)
    assert line is not None, err
    assert (int(line[1]), line[2], int(line[3])) == (len(stored), str(out), total - len(stored))
    assert main(["batch", str(cohort_dir), "--out", str(out), "--workers", "0"]) == 0
