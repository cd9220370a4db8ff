"""Recordings: the in-memory type, the Parquet format, and importers."""

from imu.io.csv_import import CsvOptions, ImportedRecording, ImportReport, import_csv
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
    "CsvOptions",
    "Gap",
    "ImportReport",
    "ImportedRecording",
    "Recording",
    "RecordingMeta",
    "gaps_from_nan",
    "import_csv",
    "read_recording",
    "write_recording",
]
