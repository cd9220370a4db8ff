"""CSV inputs found in a new-user trial that were dead ends or silent.

- ISO 8601 date-times in the time column ("2023-11-14 22:13:20.000000") were "not a number";
- Excel's ``sep=;`` first line was read as the header ("the file has: sep=, Unnamed: 1");
- a header repeated mid-file (two files joined with cat) was "'time_s' is not a number";
- a header naming x, y, z twice: the reader's renaming (x.1) was never said, and a used
  column named twice (acc_x, acc_x) was read without a word;
- ``--max-gap`` shorter than one sample was ignored when the rate was estimated;
- header names differing only in case (TIME_S) were refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io import CsvOptions, import_csv
from imu.io.csv_import import repeated_header_names
from imu.io.recording import read_recording
from tests.io.helpers import synthetic_samples
from tests.io.test_csv_robustness import _same_data

WriteCsv = Callable[..., Path]
COLS = ["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
START = pd.Timestamp("2024-05-01T10:00:00")  # naive: UTC


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


# --- 1. ISO 8601 date-times -------------------------------------------------------------------


def _as_datetimes(samples: pd.DataFrame, fmt: str, start: pd.Timestamp = START) -> pd.DataFrame:
    times = start + pd.to_timedelta(np.round(samples["time_s"] * 1e6).astype("int64"), unit="us")
    return samples.assign(time_s=times.dt.strftime(fmt))


@pytest.mark.parametrize(
    "fmt",
    [
        "%Y-%m-%d %H:%M:%S.%f",  # as pandas and many loggers write them
        "%Y-%m-%dT%H:%M:%S.%f",
        "%Y-%m-%dT%H:%M:%S.%fZ",
    ],
)
def test_iso_datetimes_are_read_as_absolute_times(
    fmt: str, samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """It said "'2023-11-14 22:13:20.000000' is not a number", with no way on."""
    path = write_csv(_as_datetimes(samples, fmt), "iso.csv")
    _same_data(path, samples)
    [imp] = import_csv(path)
    assert imp.recording.meta.start_time_s == pytest.approx(START.timestamp())
    assert imp.report.n_interpolated == 0  # microseconds kept: the grid lies on the samples
    assert "ISO 8601 date-times" in imp.report.repairs.text()


def test_iso_datetimes_with_an_offset_are_converted_to_utc(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = _as_datetimes(samples, "%Y-%m-%dT%H:%M:%S.%f+02:00", START + pd.Timedelta(hours=2))
    [imp] = import_csv(write_csv(frame, "offset.csv"))
    assert imp.recording.meta.start_time_s == pytest.approx(START.timestamp())
    assert imp.recording.n_samples == len(samples)


def test_iso_datetimes_without_fractional_seconds(write_csv: WriteCsv) -> None:
    """Whole seconds: a 1 Hz logger."""
    slow = synthetic_samples(n=120, rate_hz=1.0)
    path = write_csv(_as_datetimes(slow, "%Y-%m-%dT%H:%M:%S"), "whole.csv")
    [imp] = import_csv(path, CsvOptions(check_units=False))
    assert imp.recording.sampling_rate_hz == pytest.approx(1.0)
    assert imp.recording.n_samples == 120
    assert imp.recording.meta.start_time_s == pytest.approx(START.timestamp())


def test_a_bad_value_among_datetimes_is_named(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = _as_datetimes(samples, "%Y-%m-%dT%H:%M:%S.%f")
    frame.loc[7, "time_s"] = "soon"
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame, "bad.csv"))
    msg = str(info.value)
    assert "bad.csv" in msg and "data row 8: 'soon' is not a date and time" in msg
    assert "\n" not in msg


def test_dates_in_another_form_say_what_is_read(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """14/11/2023 22:13:20 is not read; the message says what form is."""
    frame = _as_datetimes(samples, "%d/%m/%Y %H:%M:%S.%f")
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame, "dmy.csv"))
    msg = str(info.value)
    assert "'01/05/2024 10:00:00.000000' is not a number" in msg
    assert "ISO 8601 date-time (2024-05-01T10:00:00.123" in msg


def test_cli_converts_a_csv_with_iso_datetimes(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv(_as_datetimes(samples, "%Y-%m-%d %H:%M:%S.%f"), "iso.csv")
    out = tmp_path / "iso.parquet"
    assert main(["convert", str(path), str(out)]) == 0
    rec = read_recording(out)
    assert rec.n_samples == len(samples)
    assert rec.meta.start_time_s == pytest.approx(START.timestamp())


# --- 2. Excel's sep= line -----------------------------------------------------------------------


@pytest.mark.parametrize(("sep", "decimal"), [(";", "."), (";", ","), ("\t", "."), (",", ".")])
def test_excel_sep_line_is_honoured_and_skipped(
    sep: str, decimal: str, samples: pd.DataFrame, tmp_path: Path
) -> None:
    """It said "column(s) 'time_s', ... not found; the file has: sep=, Unnamed: 1"."""
    path = tmp_path / "sepline.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"sep={sep}\n")
        samples.to_csv(fh, index=False, sep=sep, decimal=decimal)
    _same_data(path, samples)
    [imp] = import_csv(path)
    if sep != ",":
        assert "the file's first line 'sep=" in imp.report.repairs.text()


def test_excel_sep_line_after_a_byte_order_mark(samples: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"sep=;\n" + samples.to_csv(index=False, sep=";").encode())
    _same_data(path, samples)


def test_cli_reads_a_sep_line(
    samples: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sepline.csv"
    path.write_text("sep=;\n" + samples.to_csv(index=False, sep=";"))
    assert main(["info", str(path)]) == 0
    assert "sep=;" in capsys.readouterr().err


# --- 3. header repeated mid-file --------------------------------------------------------------


def test_header_repeated_mid_file_is_named_with_where_to_split(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path
) -> None:
    """It said "data row 201: 'time_s' is not a number"."""
    frame = samples.astype(str)
    header = pd.DataFrame([frame.columns], columns=frame.columns)
    path = write_csv(pd.concat([frame[:200], header, frame[200:]]), "joined.csv")
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path)
    msg = str(info.value)
    assert "\n" not in msg and "joined.csv" in msg
    assert "data row 201 repeats the header" in msg and "two files joined" in msg
    found = re.search(r"head -n (\d+) joined.csv > part1.csv; tail -n \+(\d+) joined.csv", msg)
    assert found is not None, msg
    # the split the message gives yields two files that import
    lines = path.read_text().splitlines(keepends=True)
    first, second = tmp_path / "part1.csv", tmp_path / "part2.csv"
    first.write_text("".join(lines[: int(found.group(1))]))
    second.write_text("".join(lines[int(found.group(2)) - 1 :]))
    [a] = import_csv(first)
    [b] = import_csv(second)
    assert a.recording.n_samples == 200 and b.recording.n_samples == len(samples) - 200


def test_several_repeated_headers_are_counted(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.astype(str)
    header = pd.DataFrame([frame.columns], columns=frame.columns)
    parts = [frame[:100], header, frame[100:300], header, frame[300:]]
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(pd.concat(parts), "three.csv"))
    msg = str(info.value)
    assert "data row 101 repeats the header" in msg and "1 more row repeat it" in msg


# --- 4. names written twice in the header -------------------------------------------------------


def test_cli_names_the_renamed_repeats_of_a_header(
    samples: pd.DataFrame, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "one column cannot be both", never that the second x was read as x.1."""
    frame = samples.copy()
    frame.columns = ["time", "x", "y", "z", "x", "y", "z"]
    path = write_csv(frame, "xyz2.csv")
    assert repeated_header_names(path) == {"x": ["x.1"], "y": ["y.1"], "z": ["z.1"]}
    base = ["info", str(path), "--time-col", "time", "--acc-cols", "x,y,z"]
    err = _one_line_error(capsys, [*base, "--gyr-cols", "x,y,z"])
    assert "xyz2.csv" in err and "x.1, y.1, z.1" in err and "--gyr-cols x.1,y.1,z.1" in err
    assert main([*base, "--gyr-cols", "x.1,y.1,z.1"]) == 0


def test_a_used_column_named_twice_is_refused(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """A second acc_x was read as acc_x.1 and ignored without a word."""
    frame = samples.assign(extra=samples["acc_y"])
    frame.columns = [*COLS, "acc_x"]
    path = write_csv(frame, "twice.csv")
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path)
    msg = str(info.value)
    assert "twice.csv" in msg and "names column 'acc_x' twice" in msg and "'acc_x.1'" in msg
    assert "--acc-cols acc_x.1,acc_y,acc_z" in msg
    [imp] = import_csv(path, CsvOptions(acc_cols=("acc_x.1", "acc_y", "acc_z")))
    np.testing.assert_allclose(imp.recording.acc[:, 0], samples["acc_y"], atol=1e-9)


def test_a_missing_column_beside_a_repeat_names_the_repeat(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame.columns = ["time_s", "acc_x", "acc_x", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame, "typo.csv"))
    msg = str(info.value)
    assert "'acc_y' not found" in msg and "'acc_x' repeats, read as 'acc_x.1'" in msg


def test_repeats_in_unused_columns_are_fine(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.assign(a="x", b="y")
    frame.columns = [*COLS, "note", "note"]
    _same_data(write_csv(frame), samples)


# --- 5. --max-gap below one sample, rate estimated ---------------------------------------------


def test_gap_limit_below_one_estimated_sample_is_refused(
    samples: pd.DataFrame, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed "gaps: 0 where samples were more than 0.001 s apart" at 50 Hz."""
    path = write_csv(samples, "s.csv")
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path, CsvOptions(max_gap_s=0.001))
    msg = str(info.value)
    assert "s.csv: gap limit 0.001 s is shorter than one sample at 50 Hz" in msg
    assert "use --max-gap of at least 0.02 s" in msg
    import_csv(path, CsvOptions(max_gap_s=0.02))
    err = _one_line_error(capsys, ["info", str(path), "--max-gap", "0.001"])
    assert "shorter than one sample at 50 Hz" in err


def test_the_least_gap_limit_advised_is_accepted() -> None:
    """1/30 s was advised as 0.0333 s, itself refused."""
    with pytest.raises(ImportOptionsError, match=r"at least 0\.0334 s"):
        CsvOptions(rate_hz=30.0, max_gap_s=0.001)
    CsvOptions(rate_hz=30.0, max_gap_s=0.0334)


# --- 6. names differing in case ----------------------------------------------------------------


def test_header_names_in_another_case_are_matched(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame.columns = [c.upper() for c in COLS]
    path = write_csv(frame, "upper.csv")
    _same_data(path, samples)
    [imp] = import_csv(path)
    assert "'TIME_S' as 'time_s'" in imp.report.repairs.text()
    frame.columns = ["Time", *COLS[1:]]
    _same_data(write_csv(frame), samples, CsvOptions(time_col="time"))


def test_names_in_several_cases_are_offered_not_taken(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.assign(other=samples["acc_x"])
    frame.columns = ["time_s", "Acc_X", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z", "ACC_X"]
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame, "cases.csv"))
    msg = str(info.value)
    assert "'acc_x' not found" in msg and "'acc_x' could be 'Acc_X' or 'ACC_X'" in msg


def test_iso_datetime_text_in_a_parquet_table(samples: pd.DataFrame, tmp_path: Path) -> None:
    """A plain Parquet table with the times as ISO text is read as a CSV file would be."""
    path = tmp_path / "iso.parquet"
    _as_datetimes(samples, "%Y-%m-%dT%H:%M:%S.%fZ").to_parquet(path)
    out = tmp_path / "out.parquet"
    assert main(["convert", str(path), str(out)]) == 0
    rec = read_recording(out)
    assert rec.n_samples == len(samples)
    assert rec.meta.start_time_s == pytest.approx(START.timestamp())
