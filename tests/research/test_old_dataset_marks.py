"""A dataset whose older files lack the reps' missed_before column reads it as False there."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from imu.research import load_table


def _write(folder: Path, name: str, frame: pd.DataFrame) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / name)


def test_rows_written_before_the_column_read_not_marked(tmp_path: Path) -> None:
    reps = tmp_path / "reps" / "participant=p1"
    old = pd.DataFrame({"session_id": ["a", "a"], "set": [1, 1], "rep": [1, 2],
                        "date": ["2026-01-01", "2026-01-01"]})
    new = pd.DataFrame({"session_id": ["b", "b"], "set": [1, 1], "rep": [1, 2],
                        "date": ["2026-01-02", "2026-01-02"], "missed_before": [False, True]})
    _write(reps, "a.parquet", old)
    _write(reps, "b.parquet", new)
    table = load_table(tmp_path, "reps")
    assert table["missed_before"].dtype == bool
    assert table["missed_before"].tolist() == [False, False, False, True]
    assert len(table[table["missed_before"]]) == 1  # boolean indexing works
