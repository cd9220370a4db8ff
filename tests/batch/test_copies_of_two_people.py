"""A recording copied into two participants' folders, the manifest filing each under its own.

Byte-identical files are one session, analysed once. With a manifest that gives the copies
different participants (a file copied into another participant's folder by mistake), the
session was filed under the first participant and the second lost it with only a warning
"analysed once": exit code 0, nothing in ``_failures.csv``, and one participant a session
short in every per-participant table. The copy now fails with that reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from imu.batch import BatchOptions, ManifestRow, collect_jobs, manifest_clash, run_batch
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "recordings" / "reverse_crunch.parquet"


def _copies(tmp_path: Path, rows: str) -> Path:
    for who in ("x", "y"):
        (tmp_path / who).mkdir()
        shutil.copy(BUNDLED, tmp_path / who / "s.parquet")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,participant,date\n" + rows)
    return manifest


def test_a_copy_the_manifest_files_under_another_participant_fails_with_the_reason(
    tmp_path: Path,
) -> None:
    manifest = _copies(tmp_path, "x/s.parquet,X,2024-01-08\ny/s.parquet,Y,2024-01-08\n")
    out = tmp_path / "dataset"
    result = run_batch(collect_jobs([], manifest=manifest), out, BatchOptions(workers=0))
    assert result.analysed == 1
    ((path, reason),) = result.failures  # was: no failure, exit code 0
    assert path == tmp_path / "y" / "s.parquet"
    assert "the same bytes as" in reason and str(tmp_path / "x" / "s.parquet") in reason
    assert "participant 'Y' (that file 'X')" in reason
    assert "fix the manifest row" in reason
    failures = pd.read_csv(out / "_failures.csv")
    assert list(failures["file"]) == [str(path)]
    assert list(load_dataset(out).sessions["participant"]) == ["X"]


def test_copies_with_rows_that_agree_or_without_rows_are_one_session_as_before(
    tmp_path: Path,
) -> None:
    manifest = _copies(tmp_path, "x/s.parquet,X,2024-01-08\ny/s.parquet,X,\n")
    jobs = collect_jobs([], manifest=manifest)
    assert len(jobs) == 1 and jobs[0].error is None and len(jobs[0].aliases) == 1
    folder = collect_jobs([str(tmp_path / "x"), str(tmp_path / "y")])
    assert len(folder) == 1 and folder[0].error is None


def test_what_two_rows_disagree_on_is_said() -> None:
    first = ManifestRow(participant="P01", exercise="reverse-crunch", date=0.0)
    assert manifest_clash(first, ManifestRow(participant="P01")) == ""
    assert manifest_clash(first, ManifestRow()) == ""
    assert manifest_clash(first, ManifestRow(participant="P02", date=86400.0)) == (
        "participant 'P02' (that file 'P01') and date '1970-01-02T00:00:00+00:00' "
        "(that file '1970-01-01T00:00:00+00:00')")
