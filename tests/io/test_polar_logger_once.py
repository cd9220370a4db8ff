"""One input per Polar Sensor Logger recording: its ``_ACC.txt`` and ``_GYRO.txt`` both given
(``imu analyze A_ACC.txt A_GYRO.txt``, a glob ``FOLDER/*.txt``) are one recording, kept once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from imu.io.polar_logger import one_per_recording
from imu.io.recording import resolved
from tests.io.test_polar_logger import PREFIX, still, write_pair

OTHER = "Polar_Sense_0C301E3F_20240102_120000"


def test_both_files_keep_the_accelerometer_file_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    acc, gyr = write_pair(tmp_path, *still(), 52.0)
    with caplog.at_level(logging.WARNING):
        assert one_per_recording([gyr, acc]) == [acc]
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith(f"{gyr} is the gyroscope of {acc.name}") and "analysed once" in line


def test_one_file_alone_or_other_inputs_are_kept_as_given(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    acc, gyr = write_pair(tmp_path / "p", *still(), 52.0)
    other = tmp_path / "a.parquet"
    other.write_bytes(b"PAR1")
    with caplog.at_level(logging.WARNING):
        assert one_per_recording([gyr]) == [gyr]
        assert one_per_recording([other, acc, other]) == [other, acc, other]
        assert one_per_recording([]) == []
    assert not caplog.records


def test_several_recordings_in_one_folder_pair_as_the_import_pairs_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = write_pair(tmp_path, *still(), 52.0)
    second = write_pair(tmp_path, *still(), 52.0, prefix=OTHER)
    files = sorted(tmp_path.iterdir())
    with caplog.at_level(logging.WARNING):
        assert one_per_recording(files) == sorted([first[0], second[0]])
    [line] = [r.getMessage() for r in caplog.records]  # one line for the two
    assert line.startswith("2 Polar Sensor Logger recordings are given by both their files")
    assert line.endswith("each analysed once")
    # An accelerometer file with the gyroscope file of another recording: two inputs.
    assert one_per_recording([first[0], second[1]]) == [first[0], second[1]]


def test_the_file_a_manifest_lists_is_the_one_kept(tmp_path: Path) -> None:
    acc, gyr = write_pair(tmp_path, *still(), 52.0)
    assert one_per_recording([acc, gyr], prefer={resolved(gyr)}) == [gyr]
    assert one_per_recording([acc, gyr], prefer={resolved(acc), resolved(gyr)}) == [acc]


def test_another_spelling_of_the_folder_is_the_same_recording(tmp_path: Path) -> None:
    acc, gyr = write_pair(tmp_path / "rec", *still(), 52.0)
    (tmp_path / "link").symlink_to(tmp_path / "rec")
    assert one_per_recording([acc, tmp_path / "link" / gyr.name]) == [acc]
    assert PREFIX in acc.name
