"""Parquet round trip: samples (NaN included) and every metadata field survive exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imu.errors import RecordingError
from imu.io import (
    Annotation,
    ClockMapping,
    Recording,
    RecordingMeta,
    gaps_from_nan,
    read_recording,
    write_recording,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)
text = st.text(max_size=12)
opt_text = st.none() | text


@st.composite
def recordings(draw: st.DrawFn) -> Recording:
    n = draw(st.integers(1, 60))
    acc = draw(arrays(np.float64, (n, 3), elements=st.floats(-200, 200, allow_nan=False)))
    gyr = draw(arrays(np.float64, (n, 3), elements=st.floats(-40, 40, allow_nan=False)))
    valid = draw(arrays(np.bool_, (n,)))
    acc[~valid] = np.nan
    gyr[~valid] = np.nan
    annotations = draw(
        st.lists(
            st.builds(
                Annotation,
                start_s=finite,
                end_s=finite,
                label=text,
                exercise=opt_text,
                set=st.none() | st.integers(0, 100),
            ),
            max_size=3,
        )
    )
    meta = RecordingMeta(
        sampling_rate_hz=draw(st.floats(0.1, 5000, allow_nan=False)),
        start_time_s=draw(st.floats(0, 2e9, allow_nan=False)),
        device=draw(text),
        device_address=draw(opt_text),
        protocol_version=draw(opt_text),
        firmware_version=draw(opt_text),
        acc_range_g=draw(st.none() | st.floats(1, 32)),
        gyr_range_dps=draw(st.none() | st.floats(100, 4000)),
        clock=ClockMapping(draw(finite), draw(st.floats(-500, 500))),
        gaps=gaps_from_nan(valid, reason=draw(text)),
        annotations=tuple(annotations),
        participant=draw(opt_text),
        exercise=draw(opt_text),
        tempo=draw(opt_text),
        source=draw(text),
        notes=draw(st.dictionaries(text, text, max_size=3)),
    )
    return Recording(acc, gyr, meta)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rec=recordings())
def test_parquet_round_trip_is_lossless(rec: Recording, tmp_path: Path) -> None:
    path = write_recording(rec, tmp_path / "r.parquet")
    back = read_recording(path)
    assert back.meta == rec.meta
    np.testing.assert_array_equal(back.acc, rec.acc)  # NaN == NaN here
    np.testing.assert_array_equal(back.gyr, rec.gyr)


def _small_recording() -> Recording:
    acc = np.tile([0.0, 0.0, 9.81], (20, 1))
    return Recording(acc, np.zeros((20, 3)), RecordingMeta(sampling_rate_hz=50.0))


def test_truncated_parquet_names_the_file(tmp_path: Path) -> None:
    path = write_recording(_small_recording(), tmp_path / "r.parquet")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(RecordingError, match=r"r\.parquet.*corrupt or truncated"):
        read_recording(path)


def test_garbage_parquet_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "junk.parquet"
    path.write_bytes(b"PAR1" + bytes(range(256)) * 4)
    with pytest.raises(RecordingError, match=r"junk\.parquet"):
        read_recording(path)


def test_empty_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    path.write_bytes(b"")
    with pytest.raises(RecordingError, match=r"empty\.parquet"):
        read_recording(path)


def test_bytes_changed_in_a_written_recording_are_found(tmp_path: Path) -> None:
    """Trial 21: 6 bytes flipped in a recording's acc_x page were read as other samples, and
    the reps moved, without a word. Pages carry checksums, verified when read."""
    from imu.cli import main
    from tests.io.helpers import damage_acc_x_page

    source = read_recording(Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet")
    path = write_recording(source, tmp_path / "r.parquet")
    assert np.array_equal(read_recording(path).acc, source.acc, equal_nan=True)
    damage_acc_x_page(path, path)
    with pytest.raises(RecordingError, match=r"r\.parquet: damaged: a page of its samples does "
                       "not match its checksum"):
        read_recording(path)
    assert main(["analyze", str(path), "--out", str(tmp_path / "out")]) == 2


def test_a_recording_the_system_will_not_open_is_no_damaged_file(tmp_path: Path) -> None:
    """Trial 21: an unreadable .parquet (mode 000, another user) was "corrupt or truncated?",
    with Permission denied only in the detail. (Tests run as root, whom modes do not stop:
    the reader's error is given as pyarrow gives it.)"""
    from imu.io.recording import unreadable_parquet

    path = write_recording(
        read_recording(Path(__file__).parents[2] / "recordings" / "plank.parquet"),
        tmp_path / "p.parquet")
    arrow = OSError(f"Failed to open local file '{path}'. Detail: [errno 13] Permission denied")
    for exc in (PermissionError(13, "Permission denied", str(path)), arrow):
        text = unreadable_parquet(path, exc, "recording")
        assert text.startswith(f"{path}: cannot read: Permission denied"), text
        assert "corrupt" not in text and "chmod" in text
    assert "corrupt" in unreadable_parquet(path, OSError("Invalid: bad footer"), "recording")
