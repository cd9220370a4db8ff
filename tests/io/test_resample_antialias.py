"""A grid slower than the samples is low-passed first, and the repairs line says so.

The trial: ``imu convert --rate 10`` of a 52 Hz recording interpolated straight onto the
10 Hz grid, so a 9 Hz shake came out as a 1 Hz movement of full size (aliasing), with
nothing said. Now the samples are low-passed (zero-phase Butterworth at 0.4 of the new rate)
before they go onto a slower grid; a grid at the samples' own rate, or faster, is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.frames import STANDARD_GRAVITY
from imu.io import resample
from imu.io.csv_import import CsvOptions, import_csv
from imu.io.recording import read_recording
from imu.io.resample import resample_at, timing_stats, uniform_grid_s
from tests.io.helpers import synthetic_samples

SHAKE_HZ = 9.0
"""Faster than a 10 Hz grid's Nyquist frequency: at 10 Hz it would alias to 1 Hz."""


def _shaken(rate_hz: float = 52.0, seconds: float = 30.0, shake: float = 1.0) -> pd.DataFrame:
    """The rocking sensor of the I/O tests, with a 9 Hz shake of ``shake`` m/s^2 on acc_x."""
    frame = synthetic_samples(n=int(seconds * rate_hz), rate_hz=rate_hz)
    frame["acc_x"] += shake * np.sin(2 * np.pi * SHAKE_HZ * frame["time_s"])
    return frame


def _alias_amplitude(values: np.ndarray, rate_hz: float, alias_hz: float) -> float:
    """Amplitude of the ``alias_hz`` component of ``values`` (sampled at ``rate_hz``)."""
    t = np.arange(values.size) / rate_hz
    x = values - values.mean()
    return float(2 * abs(np.mean(x * np.exp(-2j * np.pi * alias_hz * t))))


def test_a_fast_component_does_not_alias_into_a_slow_one() -> None:
    t = np.arange(0, 60, 1 / 52)
    values = np.column_stack([np.sin(2 * np.pi * SHAKE_HZ * t), np.sin(2 * np.pi * 0.5 * t)])
    grid = uniform_grid_s(t, 10.0)
    plain, _ = resample_at(t, values, grid, 0.25)
    cutoff = resample.antialias_cutoff_hz(10.0, 52.0)
    assert cutoff == pytest.approx(4.0)
    down, valid = resample.resample_down(t, values, grid, 0.25, 52.0, cutoff)
    assert valid.all()
    assert _alias_amplitude(plain[:, 0], 10.0, 1.0) > 0.5  # the old way: a false 1 Hz wave
    assert _alias_amplitude(down[:, 0], 10.0, 1.0) < 0.01
    np.testing.assert_allclose(down[:, 1], np.sin(2 * np.pi * 0.5 * grid), atol=0.01)


def test_gaps_and_bad_values_stay_where_plain_interpolation_puts_them() -> None:
    t = np.concatenate([np.arange(0, 10, 1 / 52), 12 + np.arange(0, 10, 1 / 52)])
    values = np.column_stack([np.sin(2 * np.pi * 0.3 * t), np.cos(2 * np.pi * 0.3 * t)])
    values[100] = np.nan  # an absurd value made a gap by the importer
    grid = uniform_grid_s(t, 10.0)
    plain, plain_valid = resample_at(t, values, grid, 0.25)
    down, valid = resample.resample_down(t, values, grid, 0.25, 52.0, 4.0)
    np.testing.assert_array_equal(valid, plain_valid)
    np.testing.assert_array_equal(np.isnan(down), np.isnan(plain))
    ok = ~np.isnan(plain)
    np.testing.assert_allclose(down[ok], plain[ok], atol=0.02)  # slow movement kept


@pytest.mark.parametrize("rate_hz", [52.0, 50.0, 104.0])
def test_a_grid_not_slower_than_the_samples_is_only_interpolated(rate_hz: float) -> None:
    t = np.arange(0, 5, 1 / 52)
    values = np.sin(2 * np.pi * SHAKE_HZ * t)[:, None]
    grid = uniform_grid_s(t, rate_hz)
    out, _, cutoff, source = resample.resample_grid(t, values, grid, rate_hz, 0.25,
                                                    timing_stats(t, 0.25))
    assert cutoff is None and source == pytest.approx(52.0)
    np.testing.assert_array_equal(out, resample_at(t, values, grid, 0.25)[0])


def test_convert_rate_below_the_files_low_passes_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acc = {}
    for shake in (0.0, 1.0):
        csv = tmp_path / f"shaken{shake:g}.csv"
        _shaken(shake=shake).to_csv(csv, index=False)
        out = tmp_path / f"ten{shake:g}.parquet"
        assert main(["convert", str(csv), str(out), "--rate", "10"]) == 0
        err = capsys.readouterr().err
        assert "low-passed at 4 Hz before the 52 Hz samples went onto the 10 Hz grid" in err, err
        rec = read_recording(out)
        assert "low-passed at 4 Hz" in rec.meta.notes["repairs"]
        acc[shake] = rec.acc
    # The shake is gone (but for the filter's settling in the first and last second); plain
    # interpolation left a false 1 Hz wave of 0.6-0.9 m/s^2.
    assert np.abs(acc[1.0] - acc[0.0])[10:-10].max() < 0.01
    assert np.abs(acc[1.0] - acc[0.0]).max() < 0.1
    assert np.nanmedian(np.linalg.norm(rec.acc, axis=1)) == pytest.approx(STANDARD_GRAVITY,
                                                                           abs=0.1)


def test_an_import_at_the_files_own_rate_is_not_filtered(tmp_path: Path) -> None:
    csv = tmp_path / "shaken.csv"
    _shaken().to_csv(csv, index=False)
    for rate in (None, 52.0, 100.0):
        item = import_csv(csv, CsvOptions(rate_hz=rate))[0]
        assert item.report.repairs.count("lowpassed") == 0
        assert "low-passed" not in item.report.repairs.text()
