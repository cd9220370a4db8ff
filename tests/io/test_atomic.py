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
