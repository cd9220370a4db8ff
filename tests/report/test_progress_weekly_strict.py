"""``progress_weekly.csv`` of a standing strict lift counts hip drives, as its progress page does.

The page already counted hip drives ("5 hip drives (1 uncertain not counted)", "Hip drive:
... 1.3 a session in the first week"), but the table written beside it gave every week
``clean_share`` 0.0 and ``clean_reps_before_first_fault_mean`` 0.0 (a hip drive is the fault
itself, never clean: the zeros said nothing the count does not) and no count of the hip
drives the page counts. Now those columns are missing (NaN), as ``tut_s`` already was, and
``hip_drives_counted`` gives the page's count; a week whose sessions found no hip drive (the
pelvis stayed still: the goal) counts 0, not missing, on the page and in the table.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from imu import research
from imu.cli import main
from imu.exercises import get_profile
from imu.report.progress import build_progress, headline, weekly_columns
from tests.report.test_progress_hip_drives import hip_drive_tables
from tests.report.test_progress_judged import tables

HIP_DRIVES_COUNTED = "hip_drives_counted"
STRICT = get_profile("standing-curl")


def _drives(uncertain: int = 0, still_weeks: tuple[int, ...] = ()) -> research.Dataset:
    """Three weekly sessions of 4 hip drives each; the first ``uncertain`` unsure; the
    sessions of ``still_weeks`` (0-based) found no hip drive at all."""
    data = hip_drive_tables(3, uncertain)
    data.sessions["clean_share"] = 0.0
    data.sessions["clean_reps_before_first_fault"] = 0
    still = data.sessions["session_id"].iloc[list(still_weeks)]
    reps = data.reps[~data.reps["session_id"].isin(still)].reset_index(drop=True)
    return research.Dataset(reps, data.sets, data.sessions)


def test_the_weekly_table_counts_hip_drives_and_gives_no_clean_share() -> None:
    progress = build_progress(_drives(uncertain=1))
    weekly = progress.weekly
    assert list(weekly.columns) == list(weekly_columns(STRICT))
    assert list(weekly.columns[:5]) == ["week", "week_start", "sessions", "reps",
                                        HIP_DRIVES_COUNTED]
    assert list(weekly["reps"]) == [4, 4, 4]
    assert list(weekly[HIP_DRIVES_COUNTED]) == [3, 4, 4]  # as the page: uncertain left out
    for column in ("tut_s", "clean_share", "clean_reps_before_first_fault_mean"):
        assert weekly[column].isna().all(), column  # clean_share was 0.0
    line = next(x for x in headline(progress) if x.startswith("Hip drive:"))
    assert "3.0 a session in the first week, 4.0 in the last" in line, line


def test_a_week_without_a_hip_drive_counts_zero_not_missing() -> None:
    """The last week's sessions found none: the page said the week before's rate."""
    progress = build_progress(_drives(still_weeks=(2,)))
    weekly = progress.weekly
    assert list(weekly["reps"]) == [4, 4, 0]
    assert list(weekly[HIP_DRIVES_COUNTED]) == [4, 4, 0]
    line = next(x for x in headline(progress) if x.startswith("Hip drive:"))
    assert "4.0 a session in the first week, 0.0 in the last" in line, line


def test_a_reverse_crunch_keeps_its_clean_share() -> None:
    weekly = build_progress(tables("reverse-crunch", ["3-1-3"] * 2)).weekly
    assert HIP_DRIVES_COUNTED not in weekly
    assert list(weekly["clean_share"]) == [1.0, 1.0]
    assert list(weekly["tut_s"]) == [20.0, 20.0]


def test_imu_progress_writes_a_strict_lift_weekly_csv_without_clean_shares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["file,participant,date"]
    for seed, day in ((1, "2024-01-08"), (2, "2024-01-15")):
        path = tmp_path / f"curls_{seed}.parquet"
        assert main(["simulate", "standing-curl", "--out", str(path), "--faults", "swing=1",
                     "--seed", str(seed), "--reps", "3", "--sets", "1", "--date", day]) == 0
        rows.append(f"{path.name},P01,{day}")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n")
    assert main(["progress", str(tmp_path), "--manifest", str(manifest),
                 "--out", str(tmp_path / "page")]) == 0
    capsys.readouterr()
    weekly = pd.read_csv(tmp_path / "page" / "progress_weekly.csv")
    assert list(weekly["week"]) == ["2024-W02", "2024-W03"]
    assert (weekly[HIP_DRIVES_COUNTED] >= 1).all()
    assert (weekly[HIP_DRIVES_COUNTED] <= weekly["reps"]).all()
    for column in ("tut_s", "clean_share", "clean_reps_before_first_fault_mean"):
        assert weekly[column].isna().all(), (column, weekly[column])
    page = (tmp_path / "page" / "progress.html").read_text()
    total = int(weekly[HIP_DRIVES_COUNTED].sum())
    assert f"<b>{total}</b>hip drives" in page
    assert not math.isnan(total)
