"""A folder given where a file is expected: the count is of what FOLDER/*.parquet takes."""

import shutil
from pathlib import Path

import pytest

from imu.errors import ImportOptionsError
from imu.io.phone import no_phone_export

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def test_a_batch_dataset_inside_is_not_counted_as_recordings(tmp_path: Path) -> None:
    for name in ("reverse_crunch.parquet", "plank.parquet"):
        shutil.copy(RECORDINGS / name, tmp_path / name)
    tables = tmp_path / "dataset" / "reps" / "participant=P1"
    tables.mkdir(parents=True)
    for i in range(5):
        shutil.copy(RECORDINGS / "plank.parquet", tables / f"{i}.parquet")
    error = no_phone_export(tmp_path)
    assert isinstance(error, ImportOptionsError)
    assert "it holds 2 recordings" in str(error)


def test_one_recording_is_singular(tmp_path: Path) -> None:
    shutil.copy(RECORDINGS / "plank.parquet", tmp_path / "plank.parquet")
    with pytest.raises(ImportOptionsError, match="it holds 1 recording:"):
        raise no_phone_export(tmp_path)
