"""A full disk while ``imu analyze`` replaces an earlier run's reports replaces nothing.

Before, each file was replaced on its own: a disk that filled up half-way left the new
reps tables beside the earlier run's sets, session and ``report.html``, with the error
saying only "cannot write reports". Now the new set is written to temporary names first and
renamed into place only when all seven are complete.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from imu.cli import main
from imu.io.atomic import atomic_path, replace_together
from imu.report.tables import REPORT_FILES

from .helpers import fill_the_disk_at, one_error_line

RECORDINGS = Path(__file__).parents[2] / "recordings"


def test_a_full_disk_half_way_leaves_the_earlier_reports_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b"
    assert main(["analyze", str(RECORDINGS / "plank.parquet"), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(REPORT_FILES) <= set(before)
    capsys.readouterr()

    fill_the_disk_at(monkeypatch, "sets.parquet")  # reps.csv, reps.parquet, sets.csv done
    code = main(["analyze", str(RECORDINGS / "reverse_crunch.parquet"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    # Every file is the plank run's, byte for byte; no new table, no temporary file left.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    error = [line for line in err.splitlines() if "error" in line]
    assert len(error) == 1 and "No space left on device" in error[0]
    assert f"nothing was replaced: {out} still holds the earlier run's reports" in error[0]


def test_a_full_disk_on_a_new_folder_leaves_no_half_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new"
    fill_the_disk_at(monkeypatch, "session.parquet")
    assert main(["analyze", str(RECORDINGS / "plank.parquet"), "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "No space left on device" in line and "earlier run" not in line
    assert not out.exists() or not list(out.iterdir())


def test_files_written_together_are_renamed_only_when_all_are_complete(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    b.write_text("old b")
    with pytest.raises(OSError, match="full"), replace_together():
        with atomic_path(a) as tmp:
            tmp.write_text("new a")
        assert a.read_text() == "old a"  # not yet: b is still to come
        with atomic_path(b) as tmp:
            tmp.write_text("ne")
            raise OSError(errno.ENOSPC, "full")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    with replace_together():
        for path in (a, b):
            with atomic_path(path) as tmp:
                tmp.write_text(f"new {path.stem}")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
