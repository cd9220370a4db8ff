from pathlib import Path

import pytest

from imu.io.atomic import atomic_path, write_text_atomic


def test_atomic_write_replaces_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    out.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert out.read_text() == "old"
    assert list(tmp_path.iterdir()) == [out]
    write_text_atomic(out, "new")
    assert out.read_text() == "new"
    assert list(tmp_path.iterdir()) == [out]


def test_writing_under_a_file_names_that_file(tmp_path: Path) -> None:
    """'cannot write recording blocker/x.parquet: File exists' pointed at the wrong path."""
    from imu.errors import RecordingError
    from imu.io import read_recording, write_recording

    blocker = tmp_path / "blocker"
    blocker.write_text("")
    rec = read_recording(Path(__file__).parents[2] / "recordings" / "plank.parquet")
    with pytest.raises(RecordingError, match=f"{blocker} is a file, not a folder"):
        write_recording(rec, blocker / "sub" / "x.parquet")
