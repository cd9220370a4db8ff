"""A refused `imu analyze` leaves no output folder it made (found in a new-user trial)."""

from pathlib import Path

from imu.cli import main


def test_a_refused_input_leaves_no_folder_the_run_made(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert main(["analyze", str(tmp_path / "missing.parquet"), "-e", "reverse-crunch",
                 "--out", str(out)]) == 2
    assert not out.exists()


def test_a_folder_that_was_there_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    assert main(["analyze", str(tmp_path / "missing.parquet"), "-e", "reverse-crunch",
                 "--out", str(out)]) == 2
    assert out.is_dir()
