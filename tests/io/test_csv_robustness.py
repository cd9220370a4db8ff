"""CSV import robustness found in a new-user trial: time units, encodings, gzip, decimal commas.

- a time column in minutes gave 3000-6000 Hz, was accepted, and the analysis blamed a
  recording "too short to analyse";
- a time column no unit fits was advised the unit already in use ("pass --time-unit s" with
  --time-unit s), in a circle;
- Excel's "Unicode text" (UTF-16) and a .csv.gz were refused as "binary data" with no fix;
- quoted decimal commas in a comma-separated file ("0,5") were "not a number" with no word
  of the decimal comma.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError, RecordingError
from imu.io import CsvOptions, import_csv
from imu.io.recording import read_recording

WriteCsv = Callable[..., Path]
COLS = ["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]


def _same_data(path: Path, samples: pd.DataFrame, options: CsvOptions | None = None) -> None:
    [imp] = import_csv(path, options)
    assert imp.recording.n_samples == len(samples)
    assert imp.recording.sampling_rate_hz == pytest.approx(50.0)
    np.testing.assert_allclose(imp.recording.acc, samples[COLS[1:4]].to_numpy(), atol=1e-9)
    np.testing.assert_allclose(imp.recording.gyr, samples[COLS[4:]].to_numpy(), atol=1e-9)


# --- 1. time in minutes ---------------------------------------------------------------------


def test_time_in_minutes_is_named_not_taken_for_a_3000_hz_sensor(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """50 Hz with the time in minutes reads as 3000 Hz: it was accepted (the limit was 20 kHz)
    and the analysis said the 10 s recording was 0.17 s long, "too short"."""
    path = write_csv(samples.assign(time_s=samples["time_s"] / 60), "minutes.csv")
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path)
    msg = str(info.value)
    assert "minutes.csv" in msg and "\n" not in msg
    assert "3000 Hz when read as s, far above any hip IMU or phone" in msg
    assert "in minutes? Read as min they give 50 Hz: pass --time-unit min" in msg
    [imp] = import_csv(path, CsvOptions(time_unit="min"))
    assert imp.recording.sampling_rate_hz == pytest.approx(50.0)
    assert imp.recording.n_samples == len(samples)
    [anyway] = import_csv(path, CsvOptions(check_units=False))  # a real 3000 Hz sensor
    assert anyway.recording.sampling_rate_hz == pytest.approx(3000.0)


def test_cli_takes_time_unit_min(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv(samples.assign(time_s=samples["time_s"] / 60), "minutes.csv")
    out = tmp_path / "m.parquet"
    assert main(["convert", str(path), str(out), "--time-unit", "min"]) == 0
    assert read_recording(out).sampling_rate_hz == pytest.approx(50.0)


# --- 2. never advise the unit in use ----------------------------------------------------------


@pytest.mark.parametrize("unit", ["s", "ms"])
def test_no_time_unit_fits_says_so_instead_of_advising_the_unit_in_use(
    unit: str, samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """Seconds divided by 1000: "the time looks like it is in s: pass --time-unit s", also
    with --time-unit s, and again with --time-unit ms."""
    path = write_csv(samples.assign(time_s=samples["time_s"] / 1000), "kilo.csv")
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path, CsvOptions(time_unit=unit))  # type: ignore[arg-type]
    msg = str(info.value)
    assert f"pass --time-unit {unit}" not in msg
    assert "no other time unit gives a usual IMU rate" in msg
    assert "convert the time column to seconds" in msg
    assert "\n" not in msg


def test_seconds_read_as_ms_name_seconds_with_the_rate_they_give(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    with pytest.raises(ImportOptionsError, match=r"in s \(50 Hz then\): pass --time-unit s"):
        import_csv(write_csv(samples), CsvOptions(time_unit="ms"))


def test_a_time_after_2100_in_the_finest_unit_is_not_advised_that_unit(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """Unix picoseconds read as ns: "pass --time-unit ns" was the advice, with ns in use."""
    path = write_csv(samples.assign(time_s=1.7e21 + samples["time_s"] * 1e12))
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path, CsvOptions(time_unit="ns"))
    msg = str(info.value)
    assert "after the year 2100" in msg and "no time unit brings it before 2100" in msg
    assert "pass --time-unit ns" not in msg


# --- 3. UTF-16 and gzip -----------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", "\t"], ids=["comma", "tab"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_is_read(
    encoding: str, sep: str, samples: pd.DataFrame, tmp_path: Path
) -> None:
    """Excel's "Unicode text" (UTF-16 with a byte order mark, tab-separated) was refused as
    "binary data, not a CSV text file"; without a mark, ASCII text shows every other byte 0."""
    path = tmp_path / "unicode.csv"
    samples.to_csv(path, index=False, sep=sep, encoding=encoding)
    _same_data(path, samples)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_lines_ending_in_cr_alone_are_read(
    encoding: str, samples: pd.DataFrame, tmp_path: Path
) -> None:
    """Old Mac text (Excel for Mac's "CSV (Macintosh)") ends lines in CR alone: the file was
    read as one line of 39,199 fields and called "truncated" (trial 20)."""
    path = tmp_path / "mac.csv"
    path.write_bytes(samples.to_csv(index=False, lineterminator="\r").encode(encoding))
    _same_data(path, samples)


@pytest.mark.parametrize("name", ["data.csv.gz", "data.csv"])
def test_gzip_csv_is_read_whatever_its_name(
    name: str, samples: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(samples.to_csv(index=False).encode()))
    _same_data(path, samples)


def test_gzipped_utf16_tab_export_is_read(samples: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "export.txt.gz"
    path.write_bytes(gzip.compress(samples.to_csv(index=False, sep="\t").encode("utf-16")))
    _same_data(path, samples)


def test_cli_converts_a_csv_gz(samples: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "data.csv.gz"
    path.write_bytes(gzip.compress(samples.to_csv(index=False).encode()))
    out = tmp_path / "o.parquet"
    assert main(["convert", str(path), str(out)]) == 0
    assert read_recording(out).n_samples == len(samples)


def test_truncated_gzip_says_what_to_do(samples: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(samples.to_csv(index=False).encode())[:2000])
    with pytest.raises(RecordingError, match=r"cut\.csv\.gz: a damaged or truncated gzip file.*"
                                             r"copy it again.*gzip -dc"):
        import_csv(path)


def test_other_binary_data_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    # (an old .xls is named as such: tests/io/test_wrong_file_kinds.py)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" * 40)  # an image
    with pytest.raises(RecordingError, match=r"binary data, not a CSV text file; .*'CSV UTF-8'"):
        import_csv(path)


# --- 4. decimal commas ------------------------------------------------------------------------


def test_quoted_decimal_commas_between_commas_are_read(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    """'"0,0"' cells (a spreadsheet's CSV with the comma as decimal mark): "'0,0' is not a
    number" with no word of decimal commas."""
    path = tmp_path / "quoted.csv"
    samples.to_csv(path, index=False, decimal=",", quoting=csv.QUOTE_ALL)
    assert '"0,0"' in path.read_text()
    _same_data(path, samples)
    [imp] = import_csv(path)
    assert "fields separated by ',' with decimal commas (detected" in imp.report.repairs.line()


def test_quoted_thousands_grouping_keeps_the_decimal_point(tmp_path: Path) -> None:
    from imu.io.csv_import import _decimal_mark

    assert _decimal_mark(",", ['"1,234.5","0.5"']) == "."
    assert _decimal_mark(",", ['"1,5","-0,25e-3"']) == ","
    assert _decimal_mark(",", ["1.5,2.5"]) == "."


def test_decimal_commas_are_detected_with_a_given_delimiter(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    """The repair line said "pass --delimiter ';' to say so", and with it '0,0' was no number."""
    path = tmp_path / "semi.csv"
    samples.to_csv(path, index=False, sep=";", decimal=",")
    _same_data(path, samples, CsvOptions(delimiter=";"))


def _late_decimal_commas(path: Path, samples: pd.DataFrame, sep: str, quoted: bool) -> Path:
    """A CSV whose first 400 rows hold whole numbers and the rest decimal commas."""
    lines = [sep.join(COLS)]
    for i, row in enumerate(samples[COLS].to_numpy()):
        cells = [(f'"{v:.6f}"' if quoted else f"{v:.6f}").replace(".", ",") for v in row]
        lines.append(sep.join(cells if i >= 400 else [str(round(v)) for v in row]))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_decimal_comma_the_first_rows_do_not_show_is_named(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    path = _late_decimal_commas(tmp_path / "late.csv", samples, ";", quoted=False)
    with pytest.raises(ImportOptionsError) as info:
        import_csv(path)
    msg = str(info.value)
    assert "data row 401: '8,000000' is not a number; it has a decimal comma" in msg
    assert "save the file with '.' as decimal mark" in msg


def test_quoted_decimal_comma_past_the_first_rows_is_named(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    path = _late_decimal_commas(tmp_path / "late_quoted.csv", samples, ",", quoted=True)
    with pytest.raises(ImportOptionsError, match=r"'8,000000' is not a number; it has a decimal "
                                                 r"comma; save the file with '\.' as decimal"):
        import_csv(path)


def test_unquoted_decimal_commas_between_commas_are_named(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    """Each decimal comma split a value in two: pandas took the extra fields as the index and
    the error was about duplicate timestamps."""
    path = tmp_path / "split.csv"
    lines = [",".join(COLS)]
    lines += [",".join(f"{v:.6f}".replace(".", ",") for v in row)
              for row in samples[COLS].to_numpy()]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RecordingError) as info:
        import_csv(path)
    msg = str(info.value)
    assert "data row 1 has 14 fields but the header has 7" in msg
    assert "decimal commas" in msg and "save it with ';' between fields" in msg


def test_row_names_the_header_does_not_name_are_refused_not_read_shifted(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    """R's write.table writes a row name before each row but none in the header: the row
    names were read as the time (a "mixed units" error followed)."""
    path = tmp_path / "rnames.csv"
    lines = [",".join(COLS)]
    lines += [f"{i + 1}," + ",".join(repr(float(v)) for v in row)
              for i, row in enumerate(samples[COLS].to_numpy())]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RecordingError, match=r"data row 1 has 8 fields but the header has 7: "
                                             r"a row name .*row\.names = FALSE"):
        import_csv(path)
    rows = [ln.split(",", 1)[1] + "," for ln in lines[1:]]  # no row name, a closing ","
    path.write_text("\n".join([lines[0], *rows]) + "\n")
    _same_data(path, samples)  # a delimiter closing every row is no field
