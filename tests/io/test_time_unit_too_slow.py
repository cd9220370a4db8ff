"""A time unit that makes the samples too slow for an IMU is refused like one too fast.

``imu convert rc8.csv o/min.parquet --time-unit min`` (times really in seconds) wrote a file
of 0.87 Hz with 99.6% of the grid empty, exit code 0, while minutes read as seconds (60 times
the rate) were refused. The time-unit check now also refuses a rate under the usual IMU rates
at which most intervals are gaps, and names the unit that fits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io import CsvOptions, import_csv
from tests.cli.helpers import one_error_line
from tests.io.helpers import synthetic_samples


def _csv(path: Path, rate_hz: float = 52.0, n: int = 600) -> Path:
    synthetic_samples(n=n, rate_hz=rate_hz).to_csv(path, index=False)
    return path


def test_seconds_read_as_minutes_are_refused_naming_seconds(tmp_path: Path) -> None:
    path = _csv(tmp_path / "s.csv")
    with pytest.raises(ImportOptionsError) as caught:
        import_csv(path, CsvOptions(time_unit="min"))
    assert str(caught.value) == (
        f"{path}: the times give 0.8667 Hz when read as min, too slow for an IMU: 100% of the "
        "intervals are longer than the gap limit (0.25 s), so the grid would be almost all "
        "gaps; the time looks like it is in s (52 Hz then): pass --time-unit s (or "
        "--no-unit-check if the rate is really 0.8667 Hz)"
    )


def test_convert_writes_nothing_and_says_it_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path / "s.csv")
    out = tmp_path / "min.parquet"
    assert main(["convert", str(path), str(out), "--time-unit", "min"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("imu convert: error: ") and "pass --time-unit s" in line
    assert not out.exists()
    assert main(["convert", str(path), str(out), "--time-unit", "min", "--no-unit-check"]) == 0


def test_slow_rates_no_other_unit_explains_are_left_to_the_analysis(tmp_path: Path) -> None:
    five = import_csv(_csv(tmp_path / "5hz.csv", rate_hz=5.2, n=300))[0]  # 0.19 s < 0.25 s
    assert five.recording.sampling_rate_hz == pytest.approx(5.2)
    # 0.5 s apart, every interval a gap; in ms it would be 2000 Hz, no usual rate either:
    # imported as before, and imu analyze says it is too slow (tests/io/test_repairs.py).
    two = import_csv(_csv(tmp_path / "2hz.csv", rate_hz=2.0, n=200))[0]
    assert two.recording.sampling_rate_hz == pytest.approx(2.0)
