"""Import options given with a recording written by imu are said not to be used.

``imu analyze rec.parquet --acc-unit g --rate 100 --time-col t`` analysed the recording as it
is and said nothing, as if the options had been applied. They cannot change what such a
recording means (SI units, its own rate and times are stored with it): a note names them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.io.load import load_recordings

RECORDING = Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet"


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if "not used" in line]


def test_analyze_names_the_import_options_a_recording_does_not_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = shutil.copy(RECORDING, tmp_path / "rec.parquet")
    code = main(["analyze", str(rec), "--acc-unit", "g", "--rate", "100", "--time-col", "t",
                 "--no-unit-check", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert _notes(err) == [
        f"imu analyze: note: {rec}: --time-col t, --acc-unit g, --rate 100, --no-unit-check "
        "not used: a recording written by imu is stored in SI units (m/s^2, rad/s) at its "
        "own rate (52 Hz), with its times, gaps and metadata; the import options are for CSV "
        "files, plain Parquet tables and phone exports"
    ]


def test_info_says_so_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(RECORDING), "--format", "csv", "--max-gap", "2"]) == 0
    [note] = _notes(capsys.readouterr().err)
    assert note.startswith(f"imu info: note: {RECORDING}: --format csv, --max-gap 2 not used")


def test_no_note_without_options_or_at_the_recordings_own_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(RECORDING)]) == 0
    assert main(["info", str(RECORDING), "--rate", "52"]) == 0  # the rate it has
    assert _notes(capsys.readouterr().err) == []


def test_the_recording_is_read_as_it_is() -> None:
    from imu.io.csv_import import CsvOptions

    [plain] = load_recordings(RECORDING)
    [given] = load_recordings(RECORDING, CsvOptions(acc_unit="g", rate_hz=100.0))
    assert np.array_equal(plain.recording.acc, given.recording.acc, equal_nan=True)
    assert plain.notes == () and len(given.notes) == 1
