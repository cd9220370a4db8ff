"""The real WLE belt data imports through documented options alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.frames import STANDARD_GRAVITY
from imu.io import CsvOptions, ImportedRecording, import_csv

WLE_OPTIONS = CsvOptions(
    time_col="time_s",
    time_unit="s",
    acc_cols=("accel_belt_x", "accel_belt_y", "accel_belt_z"),
    acc_unit="counts",
    gyr_cols=("gyros_belt_x", "gyros_belt_y", "gyros_belt_z"),
    gyr_unit="rad/s",
    split_by=("user_name", "classe"),
    participant_col="user_name",
    counts_scale_by=("user_name",),
    rate_hz=25.0,
)


@pytest.fixture(scope="module")
def wle(wle_csv: Path) -> list[ImportedRecording]:
    return import_csv(wle_csv, WLE_OPTIONS)


def test_fifteen_recordings_one_per_participant_and_class(wle: list[ImportedRecording]) -> None:
    assert len(wle) == 15
    names = {imp.name for imp in wle}
    assert names == {f"{u}_{c}" for u in ("adelmo", "carlitos", "charles") for c in "ABCDE"}
    for imp in wle:
        meta = imp.recording.meta
        assert meta.participant == meta.notes["user_name"]
        assert meta.sampling_rate_hz == 25.0
        assert meta.start_time_s > 1.3e9  # Unix time kept
        assert 15 < imp.recording.duration_s < 60
        assert len(meta.annotations) == 1


def test_timing_is_reported_irregular_with_few_short_gaps(wle: list[ImportedRecording]) -> None:
    for imp in wle:
        report = imp.report
        assert report.timing.irregular
        assert 15 < report.timing.effective_rate_hz < 30
        assert report.longest_gap_s < 1.0
        assert report.gap_total_s < 0.15 * report.duration_s
        assert not report.rate_estimated


def test_gravity_at_rest_and_gyro_are_sane(wle: list[ImportedRecording]) -> None:
    for imp in wle:
        rec = imp.recording
        mag = np.linalg.norm(rec.acc, axis=1)
        # still sets A-D read gravity; E (hip thrust) moves throughout but stays near 1 g
        assert 8.0 < np.nanmedian(mag) < 12.0, imp.name
        if not imp.name.endswith("_E"):
            assert imp.report.gravity.method == "still"
            assert imp.report.gravity.magnitude == pytest.approx(STANDARD_GRAVITY, rel=0.08)
        # rad/s: a belt during curls turns at most a few rad/s
        assert np.nanmax(np.abs(rec.gyr)) < 3.0


def test_rate_is_estimated_and_said_so_without_rate(wle_csv: Path) -> None:
    from dataclasses import replace

    result = import_csv(wle_csv, replace(WLE_OPTIONS, rate_hz=None))
    assert len(result) == 15
    rates = {imp.recording.sampling_rate_hz for imp in result}
    assert len(rates) == 1  # pooled over the file: every recording on the same grid
    assert all(imp.report.rate_estimated for imp in result)
    assert "ESTIMATED" in "\n".join(result[0].report.summary_lines())
