"""Fixtures for the recording I/O tests: synthetic IMU CSV files in known units."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.io.helpers import synthetic_samples

WLE_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "wle-belt" / "wle_belt_dev.csv"


@pytest.fixture
def samples() -> pd.DataFrame:
    return synthetic_samples()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def write(frame: pd.DataFrame, name: str | None = None) -> Path:
        path = tmp_path / (name or f"data{next(counter)}.csv")
        frame.to_csv(path, index=False)
        return path

    return write


@pytest.fixture(scope="session")
def wle_csv() -> Path:
    if not WLE_CSV.exists():
        pytest.skip(f"real data not found at {WLE_CSV}")
    return WLE_CSV
