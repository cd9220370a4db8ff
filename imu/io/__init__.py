"""Recordings: the in-memory type, the Parquet format, and importers."""

from imu.io.recording import (
    Annotation,
    ClockMapping,
    Gap,
    Recording,
    RecordingMeta,
    gaps_from_nan,
    read_recording,
    write_recording,
)

__all__ = [
    "Annotation",
    "ClockMapping",
    "Gap",
    "Recording",
    "RecordingMeta",
    "gaps_from_nan",
    "read_recording",
    "write_recording",
]
