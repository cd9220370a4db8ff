"""A newcomer reading a batch dataset as docs/research.md says, and what the folder search
says about the CSVs it leaves out.

- The docs' "Reading it" block (pandas, Dask, DuckDB) is run as written on a dataset whose
  participants are labelled ``01``, ``1`` and ``007``: ``pd.read_parquet("dataset/reps")`` as
  the docs had it read them as numbers (``01`` became 1) and failed outright on ``01`` and
  ``1`` together ("Categorical categories must be unique").
- Weekly results left the undated sessions out with a log line at INFO level, which nobody
  sees: the bundled recordings (no date) vanished from ``tempo_compliance`` without a word.
- The note on the CSV files a folder search leaves out offered ``FOLDER/*.csv``, a glob that
  matches none of them when they lie in a subfolder (``imu batch /work/shared/data/``).
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu import research
from imu.batch import BatchOptions, collect_jobs, expand_inputs, run_batch

REPO = Path(__file__).resolve().parents[2]
LABELS = {"reverse_crunch": "01", "reverse_hip_raise": "1", "hanging_leg_raise": "007"}


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset (``dataset/``) of three bundled recordings, one per label of LABELS."""
    work = tmp_path_factory.mktemp("labelled")
    rows = ["file,participant,date"]
    for name, label in LABELS.items():
        shutil.copy(REPO / "recordings" / f"{name}.parquet", work / f"{name}.parquet")
        rows.append(f"{name}.parquet,{label},2024-01-0{len(rows)}")
    (work / "manifest.csv").write_text("\n".join(rows) + "\n")
    result = run_batch(collect_jobs([], manifest=work / "manifest.csv"), work / "dataset",
                       BatchOptions(workers=0))
    assert result.analysed == 3
    return work


def _reading_block() -> str:
    text = (REPO / "docs" / "research.md").read_text()
    after = text.split("Reading it:", 1)[1]
    found = re.search(r"```python\n(.*?)```", after, re.S)
    assert found, "docs/research.md has no python block after 'Reading it:'"
    return found[1]


# Dask's parquet reader calls reset_index(inplace=True), which this pandas deprecates.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_the_docs_reading_block_keeps_the_participant_labels(
    labelled: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(labelled)
    names: dict[str, object] = {}
    block = _reading_block()
    for statement in block.split("\n\n"):  # each reader, then check what it read
        exec(statement, names)  # the docs' own code, as a user runs it
        reps = names.get("reps")
        if reps is not None and hasattr(reps, "compute"):
            reps = reps.compute()
        if isinstance(reps, pd.DataFrame):
            assert sorted(reps["participant"].astype(str).unique()) == ["007", "01", "1"]
            names.pop("reps")
    data = names["data"]
    assert isinstance(data, research.Dataset)
    assert sorted(data.sessions["participant"]) == ["007", "01", "1"]


def test_weekly_results_say_which_rows_they_leave_out_for_want_of_a_date(
    labelled: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    reps = research.load_dataset(labelled / "dataset").reps
    undated = reps.assign(date=reps["date"].where(reps["participant"] != "1"))
    n = int((undated["participant"] == "1").sum())
    with caplog.at_level(logging.WARNING, logger="imu.research"):
        weekly = research.tempo_compliance(undated)
    assert "1" not in set(weekly["participant"])
    assert f"{n} row(s) of 1 session(s) without a date left out of weekly results" in (
        caplog.text)  # was an INFO line, not shown
    assert "manifest's date column" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="imu.research"):
        research.tempo_compliance(reps)
    assert "without a date" not in caplog.text


def test_the_csvs_left_out_of_a_folder_are_named_with_a_glob_that_matches_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    nested = tmp_path / "data" / "wle-belt"
    nested.mkdir(parents=True)
    shutil.copy(REPO / "recordings" / "plank.parquet", tmp_path / "data" / "a.parquet")
    (nested / "belt.csv").write_text("time_s,acc_x\n0,1\n")
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        expand_inputs([tmp_path / "data"])
    assert f"name them ({nested / 'belt.csv'})" in caplog.text
    assert f"'{tmp_path / 'data'}/**/*.csv'" in caplog.text  # was data/*.csv: no match
    # CSVs in the folder itself: its own glob.
    caplog.clear()
    (tmp_path / "data" / "top.csv").write_text("time_s,acc_x\n0,1\n")
    shutil.rmtree(nested)
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        expand_inputs([tmp_path / "data"])
    assert f"a glob such as {tmp_path / 'data'}/*.csv " in caplog.text
