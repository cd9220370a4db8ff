"""imu batch says what reading a file repaired, as imu analyze does, in the same words.

A CSV with rows out of order and repeated timestamps was analysed with its rows sorted and the
repeats dropped; imu batch said so as a logged warning from the worker (with Dask workers,
a bare line with no command name), imu analyze as "imu analyze: FILE: repaired: ...".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main

REPO = Path(__file__).resolve().parents[2]
LEG_RAISE = REPO / "recordings" / "leg_raise.parquet"


def _untidy_csv(folder: Path) -> Path:
    """The bundled leg raise as CSV with 10 rows repeated (one of them then out of order)."""
    folder.mkdir()
    samples = pd.read_parquet(LEG_RAISE)
    path = folder / "lr.csv"
    pd.concat([samples.iloc[:5000], samples.iloc[4990:5000], samples.iloc[5000:]]).to_csv(
        path, index=False)
    return path


def test_batch_says_the_repairs_as_analyze_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _untidy_csv(tmp_path / "in")
    assert main(["analyze", str(path), "-e", "leg-raise", "--out", str(tmp_path / "a")]) == 0
    analyze = [line for line in capsys.readouterr().err.splitlines() if "repaired" in line]
    assert len(analyze) == 1 and analyze[0].startswith(f"imu analyze: {path}: repaired: ")
    assert main(["batch", str(path), "-e", "leg-raise", "--out", str(tmp_path / "ds"),
                 "--workers", "0"]) == 0
    err = capsys.readouterr().err
    batch = [line for line in err.splitlines() if "repaired" in line]
    # The same words, but for the --rate advice batch cannot take: convert the file first.
    assert "(pass --rate HZ to set it)" in analyze[0]
    assert batch == [analyze[0].replace("imu analyze: ", "imu batch: ", 1).replace(
        "(pass --rate HZ to set it)",
        f"(to set it, 'imu convert {path} OUT.parquet --rate HZ' and batch that)")]
    assert "warning" not in batch[0]
