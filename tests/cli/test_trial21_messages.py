"""Messages found wanting in new-user trial 21: each names what the user typed and the fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main

CRUNCH = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.fixture
def crunch_csv(tmp_path: Path) -> Path:
    """The bundled reverse crunch as a plain CSV (time_s, acc_*, gyr_*; 52 Hz)."""
    path = tmp_path / "crunch.csv"
    pd.read_parquet(CRUNCH).to_csv(path, index=False)
    return path


def test_a_rate_too_low_given_with_rate_is_named_not_the_recording(
    crunch_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--rate 5 on a 52 Hz file said "sampled at 5 Hz ... record at 25 Hz or more"."""
    code = main(["analyze", str(crunch_csv), "-e", "reverse-crunch", "--rate", "5",
                 "--out", str(tmp_path / "o")])
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2
    assert line == (
        f"imu analyze: error: {crunch_csv}: --rate 5 puts the samples onto a 5 Hz grid, too "
        "slow for the rep analysis (it needs at least 10 Hz); leave --rate out to keep the "
        "recording's own rate, or give 25 or more")
    assert main(["analyze", str(crunch_csv), "-e", "reverse-crunch", "--rate", "52",
                 "--out", str(tmp_path / "o")]) == 0


def test_convert_says_when_its_rate_leaves_nothing_to_analyse(
    crunch_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "slow.parquet"
    assert main(["convert", str(crunch_csv), str(out), "--rate", "5"]) == 0
    err = capsys.readouterr().err
    assert out.exists()  # written as asked
    assert (f"imu convert: warning: {out}: --rate 5 puts the samples onto a 5 Hz grid, too "
            "slow for the rep analysis") in err
    assert main(["convert", str(crunch_csv), str(tmp_path / "ok.parquet"), "--rate", "52"]) == 0
    assert "warning" not in capsys.readouterr().err
