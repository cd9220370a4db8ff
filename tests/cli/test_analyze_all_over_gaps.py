"""``imu analyze`` of a recording whose every rep was over a data gap: how long the reps
lasted is not known, so the time under tension reads "unknown", never "0 s"."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io import write_recording
from tests.report.helpers import make_recording


def test_analyze_says_the_time_under_tension_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three 2-2-2 reps from 4 s, one every 7 s; 1.1 s lost in each one's top hold.
    spans = [(6.5 + 7 * k, 7.6 + 7 * k) for k in range(3)]
    rec = make_recording(reps_per_set=(3,), tempo=(2.0, 2.0, 2.0), nan_spans_s=spans)
    path = write_recording(rec, tmp_path / "lost.parquet")
    out = tmp_path / "out"
    assert main(["analyze", str(path), "--tempo", "2-2-2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    flat = " ".join(printed.split())
    reps = pd.read_csv(out / "reps.csv")
    assert len(reps) == 3 and reps["in_gap"].all()
    assert "tempo 2-2-2, time under tension unknown (sensor lost)" in flat
    assert "time under tension 0 s" not in flat
    # The sets table: "-" under tension, not 0; the CSV: empty (NaN).
    lines = printed.splitlines()
    sets_at = next(i for i, line in enumerate(lines) if line.strip() == "sets")
    row = next(line for line in lines[sets_at:] if re.match(r"\s*1\s+3\s", line))
    assert row.split()[3] == "-"
    assert pd.isna(pd.read_csv(out / "sets.csv")["tut_s"].iloc[0])
    assert pd.isna(pd.read_csv(out / "session.csv")["tut_s"].iloc[0])
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ",
                                      (out / "report.html").read_text(encoding="utf-8")))
    assert "on tempo, time under tension unknown (sensor lost)" in page
    assert "0 s under tension" not in page
