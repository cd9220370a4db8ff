"""``imu batch DIR --scheduler ADDRESS`` with a relative DIR, on a cluster started elsewhere.

The workers of a running cluster (``dask scheduler`` and ``dask worker`` started from the
command line) have working folders of their own. Relative input paths were sent to them as
given, so every file failed "no such file" although it was there: found with
``imu batch people/ana --out ds --scheduler tcp://127.0.0.1:8790`` against a worker started
in ``/``. They now get absolute paths, and the outcomes name each file as it was given.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from imu.batch import BatchOptions, Job, SessionOutcome, _as_given, collect_jobs, run_batch

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "recordings" / "reverse_crunch.parquet"


@pytest.mark.slow
def test_relative_inputs_reach_the_workers_of_a_running_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from distributed import LocalCluster

    elsewhere, here = tmp_path / "elsewhere", tmp_path / "here"
    elsewhere.mkdir()
    (here / "in").mkdir(parents=True)
    shutil.copy(BUNDLED, here / "in" / "s.parquet")
    monkeypatch.chdir(elsewhere)  # the workers start (and stay) in another folder
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        monkeypatch.chdir(here)
        result = run_batch(collect_jobs(["in"]), here / "dataset",
                           BatchOptions(scheduler=cluster.scheduler_address))
    assert result.failures == []  # was: in/s.parquet: no such file
    assert result.analysed == 1


def test_a_file_the_workers_cannot_find_says_where_they_looked(tmp_path: Path) -> None:
    job = Job(Path("in/s.parquet"), "abc")
    outcome = SessionOutcome(Path(os.path.abspath("in/s.parquet")), "abc", None, "unknown",
                             error="no such file")
    given = _as_given(outcome, job, "tcp://10.0.0.5:8786")
    assert given.path == Path("in/s.parquet")
    assert given.error is not None
    assert given.error.startswith("no such file on the workers of tcp://10.0.0.5:8786")
    assert os.path.abspath("in/s.parquet") in given.error
    other = _as_given(outcome.__class__(outcome.path, "abc", None, "unknown", error="corrupt"),
                      job, "tcp://10.0.0.5:8786")
    assert other.error == "corrupt"
