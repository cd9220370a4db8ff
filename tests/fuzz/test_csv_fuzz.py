"""Damaged CSV files through the importer and the commands: a result with its repairs, or a
one-line error naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from imu.cli import main
from imu.io.csv_import import CsvOptions
from imu.io.load import load_recordings
from tests.fuzz.checks import assert_sane
from tests.fuzz.strategies import DATA, EXAMPLES, FUZZ, damaged_csv_text, outcome


def _complete_rows(frame: pd.DataFrame) -> pd.DataFrame:
    numeric = frame[list(DATA)].apply(pd.to_numeric, errors="coerce")
    return numeric[numeric.notna().all(axis=1)]


@FUZZ
@given(damaged_csv_text())
def test_damaged_csv_imports_with_repairs_reported_or_is_refused_by_name(case):
    text, frame = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.csv"
        path.write_text(text)
        loaded = outcome(lambda: load_recordings(path), path)
        if loaded is None:
            return
        [item] = loaded
        assert_sane(item)
        assert item.imported is not None
        report = item.imported.report
        assert report.repairs.count("rate_estimated") == 1  # no --rate: said, never silent
        if frame is None:  # cut short: the rows are not those of the table
            return
        far = report.repairs.count("time_outlier")
        if far:  # dropped before anything else
            frame = frame[~(pd.to_numeric(frame["time_s"], errors="coerce").abs() > 1e11)]
        complete = _complete_rows(frame)
        assert report.n_incomplete == len(frame) - len(complete)
        if np.any(np.diff(complete["time_s"].to_numpy()) < 0):
            assert report.repairs.count("unordered") > 0


@FUZZ
@given(damaged_csv_text())
def test_damaged_csv_through_info_and_convert(case):
    text, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cli.csv"
        path.write_text(text)
        out = Path(tmp) / "cli.parquet"
        with _Captured() as err:
            code = main(["convert", str(path), str(out), "--rate", "50"])
        assert code in (0, 2)
        lines = [ln for ln in err.getvalue().splitlines() if ln.strip()]
        if code == 2:
            assert len(lines) == 1 and "cli.csv" in lines[0] and "error" in lines[0]
            assert not out.exists()
        else:
            assert out.exists()
            assert len(lines) <= 1 and all("cli.csv: repaired:" in ln for ln in lines)
        with _Captured():
            assert main(["info", str(path), "--rate", "50"]) == code


@settings(FUZZ, max_examples=max(4, EXAMPLES // 3))
@given(damaged_csv_text())
def test_damaged_csv_through_analyze(case):
    text, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "an.csv"
        path.write_text(text)
        with _Captured() as err:
            code = main(["analyze", str(path), "-e", "pelvic-tilt", "--out", str(Path(tmp) / "o")])
        assert code in (0, 2), err.getvalue()
        if code == 2:
            assert "an.csv" in err.getvalue().splitlines()[-1]


def test_options_given_wrong_are_refused_by_name(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(Exception, match=r"plain\.csv"):
        load_recordings(path, CsvOptions(time_col="t"))


class _Captured:
    """Capture stderr (and drop stdout) of an in-process command."""

    def __enter__(self):
        import contextlib
        import io

        self._err = io.StringIO()
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stderr(self._err))
        self._stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        return self._err

    def __exit__(self, *exc):
        self._stack.close()
        return False
