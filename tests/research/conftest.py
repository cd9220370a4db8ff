"""A tiny generated cohort, simulated once and analysed once (in-process, no Dask)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.batch import BatchOptions, collect_jobs, run_batch
from imu.sim.cohort import CohortSpec, simulate_cohort

COHORT = CohortSpec(participants=3, weeks=3, sessions_per_week=(1, 3), reps=5, seed=11)


@pytest.fixture(scope="session")
def cohort_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cohort")
    simulate_cohort(COHORT, out)
    return out


@pytest.fixture(scope="session")
def cohort_table(cohort_dir: Path) -> pd.DataFrame:
    return pd.read_csv(cohort_dir / "cohort.csv")


@pytest.fixture(scope="session")
def dataset(cohort_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dataset")
    jobs = collect_jobs([], manifest=cohort_dir / "manifest.csv")
    result = run_batch(jobs, root, BatchOptions(workers=0))
    assert result.ok and result.analysed == len(jobs)
    return root
