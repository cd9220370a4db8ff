"""A folder of live sessions keeps every session's reports, and batch/progress read it."""

from __future__ import annotations

from pathlib import Path

from imu.batch import expand_inputs
from imu.cli import main


def test_two_sessions_in_one_folder_keep_their_reports_and_batch_reads_them(tmp_path: Path):
    out = tmp_path / "sessions"
    for name in ("mon", "wed"):
        assert main(["live", "--sim", "reverse-crunch", "--sim-reps", "3", "--speed", "40",
                     "--plain", "--out", str(out), "--name", name]) == 0
    assert {p.name for p in out.iterdir()} == {"mon.parquet", "mon", "wed.parquet", "wed"}
    assert (out / "mon" / "report.html").exists() and (out / "wed" / "reps.csv").exists()
    # A folder search finds the recordings, not the report tables beside them.
    assert [p.name for p in expand_inputs([out])] == ["mon.parquet", "wed.parquet"]
    assert main(["batch", str(out), "--out", str(tmp_path / "ds"), "--workers", "0"]) == 0
