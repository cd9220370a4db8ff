"""Files a new user passes by mistake, found in a trial of the import commands.

- a CSV saved by an older Excel (Windows-1252: ``é`` is byte 0xe9) gave "'utf-8' codec can't
  decode byte 0xe9 in position 4", naming neither the line nor the fix;
- a spreadsheet (``.xls``, ``.xlsx``, ``.ods``, e.g. phyphox's "Excel" export) gave the UTF-8
  codec's error, "the zip file holds no Sensor Logger or phyphox export", or, with
  ``--format csv``, "unzip it and pass the CSV inside";
- imu's own report.html (or a PDF, a GPX track) was read for a CSV header;
- Sensor Logger's JSON or SQLite export gave "columns not found; the file has: [{"sensor":...";
- ``--format phyphox`` on a Sensor Logger export (and the other way round) said to record
  the 'Acceleration with g' experiment (or to enable the accelerometer in Sensor Logger);
- a Polar Sensor Logger file (``_ACC.txt``, ``_GYRO.txt``) gave "columns not found", leaving
  the user to name columns of one sensor that can never import alone (now the pair is joined,
  tests/io/test_polar_logger.py; one file alone is said to need the other);
- a standing lift's gyro in rad/s declared as deg/s (which no check can judge there) imported
  without a word, its movements 57 times too small;
- a folder of several phone exports (two Sensor Logger zips, two phyphox measurements, or
  both apps' exports) gave one recording of one of them (or a mix) without a word;
- a phone export holding two measurements hours apart was told to use --split-by;
- an accelerometer-only file was told to name its gyro columns with --gyr-cols;
- a row of units under the header ("s,m/s^2,...") was "'s' is not a number; check that
  'time_s' is the right column".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from tests.io.helpers import synthetic_samples
from tests.io.test_phone import phyphox_exports, sensor_logger_zip


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


@pytest.fixture
def csv_text() -> bytes:
    return synthetic_samples(n=300).to_csv(index=False).encode()


@pytest.mark.parametrize("line", [1, 120])
def test_a_csv_in_windows_1252_names_the_line_and_how_to_convert_it(
    tmp_path, capsys, csv_text, line
):
    lines = csv_text.split(b"\n")
    if line == 1:
        lines[0] = lines[0].replace(b"acc_x", b"acc_x (\xe9t\xe9)", 1)
    else:  # a note column's value, far from the head the delimiter is read from
        lines[line - 1] = lines[line - 1] + b"\xe9"
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\n".join(lines))
    options = ["--acc-cols", "acc_x (\u00e9t\u00e9),acc_y,acc_z"] if line == 1 else []
    err = _one_line_error(capsys, ["info", str(path), *options])
    assert f"line {line} (byte 0xe9) is not UTF-8" in err, err
    assert "CSV UTF-8" in err and "iconv" in err, err


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return path


def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def _xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook")
    return path


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [(_xlsx, "data.xlsx", ".xlsx"), (_ods, "data.ods", ".ods"), (_xls, "data.xls", ".xls")],
)
@pytest.mark.parametrize("extra", [[], ["--format", "csv"]])
def test_a_spreadsheet_is_named_with_how_to_save_it_as_csv(
    tmp_path, capsys, make, name, kind, extra
):
    path = make(tmp_path / name)
    err = _one_line_error(capsys, ["convert", str(path), str(tmp_path / "x.parquet"), *extra])
    assert f"({kind}), not CSV text" in err, err
    assert "CSV UTF-8" in err, err
    assert not (tmp_path / "x.parquet").exists()


def test_a_zip_that_is_no_spreadsheet_is_still_said_to_hold_no_phone_export(tmp_path, capsys):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "hello")
    err = _one_line_error(capsys, ["info", str(path)])
    assert "holds no Sensor Logger or phyphox export" in err, err


@pytest.fixture(scope="module")
def truth():
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=2, sets=1, seed=5)
    return simulate_session(spec).recording


def test_format_naming_the_other_app_says_which_app_the_export_is(tmp_path, capsys, truth):
    sl = sensor_logger_zip(tmp_path / "sl.zip", truth)
    px = phyphox_exports(tmp_path / "px", truth)
    err = _one_line_error(
        capsys, ["convert", str(sl), str(tmp_path / "a.parquet"), "--format", "phyphox"]
    )
    assert "a Sensor Logger export, not phyphox" in err and "--format sensor-logger" in err
    assert "Acceleration with g" not in err
    err = _one_line_error(
        capsys, ["convert", str(px), str(tmp_path / "b.parquet"), "--format", "sensor-logger"]
    )
    assert "a phyphox export, not Sensor Logger" in err and "--format phyphox" in err
    assert "enable the accelerometer" not in err
    # The right --format still imports.
    assert main(["convert", str(px), str(tmp_path / "c.parquet"), "--format", "phyphox"]) == 0
    capsys.readouterr()
    # A plain CSV named a phone export: --format csv is the way.
    plain = tmp_path / "plain" / "s.csv"
    plain.parent.mkdir()
    synthetic_samples().to_csv(plain, index=False)
    for app in ("phyphox", "sensor-logger"):
        err = _one_line_error(
            capsys, ["convert", str(plain), str(tmp_path / "d.parquet"), "--format", app]
        )
        assert "if s.csv is a plain CSV, pass --format csv" in err, err


@pytest.mark.parametrize("units", ["s,m/s^2,m/s^2,m/s^2,rad/s,rad/s,rad/s",
                                   "[s],[m/s²],[m/s²],[m/s²],[deg/s],[deg/s],[deg/s]"])
def test_a_row_of_units_under_the_header_is_named_as_such(tmp_path, capsys, csv_text, units):
    """It was "'s' is not a number; fix the value or check that 'time_s' is the right column"."""
    lines = csv_text.decode().split("\n")
    path = tmp_path / "units.csv"
    path.write_text("\n".join([lines[0], units, *lines[1:]]), encoding="utf-8")
    err = _one_line_error(capsys, ["info", str(path)])
    assert "looks like a row of units under the header: delete that line" in err, err


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b'[{"sensor":"TotalAcceleration","time":"1735725600000000000","seconds_elapsed":"0",'
      b'"z":"9.8","y":"0","x":"0"}]', "a JSON file"),
     (b"SQLite format 3\x00" + bytes(100), "an SQLite database")],
)
def test_a_phone_apps_json_or_sqlite_export_says_to_export_csv(tmp_path, capsys, content, kind):
    """Sensor Logger's JSON export was "columns not found; the file has: [{"sensor":..."."""
    path = tmp_path / "export.json"
    path.write_bytes(content)
    err = _one_line_error(capsys, ["convert", str(path), str(tmp_path / "x.parquet")])
    assert f"{kind}, not CSV text; export the recording as CSV" in err, err


@pytest.mark.parametrize(("axes", "said"), [("mg", "the accelerometer, in mg"),
                                            ("dps", "the gyroscope, in deg/s")])
def test_a_polar_sensor_logger_file_alone_says_it_needs_its_partner(
    tmp_path, capsys, axes, said
):
    """It was "column(s) 'time_s', ... not found; the file has: Phone timestamp, ...", then
    "Polar is live only". The app's files are joined now (tests/io/test_polar_logger.py): one
    of them alone names the file that is missing, and --format csv says to leave it out."""
    head = f"Phone timestamp;sensor timestamp [ns];X [{axes}];Y [{axes}];Z [{axes}]"
    rows = [f"2024-01-01T10:00:00.{i:03d};{599618000000000000 + i * 19230769};1;2;3"
            for i in range(20)]
    stream = "ACC" if axes == "mg" else "GYRO"
    path = tmp_path / f"Polar_Sense_ABCD_20240101_100000_{stream}.txt"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    err = _one_line_error(capsys, ["convert", str(path), str(tmp_path / "x.parquet")])
    missing, needed = ("_GYRO.txt", "gyroscope") if axes == "mg" else ("_ACC.txt",
                                                                       "accelerometer")
    assert f"{path}: only the {said.split(',')[0].removeprefix('the ')} file ({path.name})" \
        in err, err
    assert f"no {missing} beside it" in err and f"needs the {needed} too" in err, err
    err = _one_line_error(capsys, ["convert", str(path), str(tmp_path / "x.parquet"),
                                   "--format", "csv"])
    assert f"a Polar Sensor Logger file ({said})" in err, err
    assert "leave --format out" in err, err
    assert not (tmp_path / "x.parquet").exists()


def test_a_gyro_declared_deg_s_that_no_check_can_judge_is_said_unchecked(tmp_path):
    """A standing lift's gyro in rad/s declared deg/s imported without a word: every hip
    drive then read 57 times too small, and the analysis said "the pelvis stayed still"."""
    from imu.io import CsvOptions, import_csv
    from imu.io.csv_import import UNCHECKED_DEG_S
    from imu.io.recording import read_recording

    root = Path(__file__).resolve().parents[2] / "recordings"
    standing = read_recording(root / "standing_curl.parquet")
    ok = np.isfinite(standing.acc).all(axis=1)
    frame = pd.DataFrame(
        np.column_stack([standing.time_s[ok], standing.acc[ok], standing.gyr[ok]]),
        columns=["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"],
    )
    path = tmp_path / "curl.csv"
    frame.to_csv(path, index=False)  # the gyro in rad/s
    [wrong] = import_csv(path, CsvOptions(gyr_unit="deg/s"))
    assert UNCHECKED_DEG_S in wrong.report.warnings
    [right] = import_csv(path)  # rad/s, as declared by default: nothing to say
    assert UNCHECKED_DEG_S not in right.report.warnings
    floor = read_recording(root / "pelvic_tilt.parquet")  # turns between rests: checked
    ok = np.isfinite(floor.acc).all(axis=1)
    frame = pd.DataFrame(
        np.column_stack([floor.time_s[ok], floor.acc[ok], np.degrees(floor.gyr[ok])]),
        columns=["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"],
    )
    frame.to_csv(path, index=False)
    [checked] = import_csv(path, CsvOptions(gyr_unit="deg/s"))
    assert UNCHECKED_DEG_S not in checked.report.warnings


def test_a_phone_export_with_a_long_pause_is_said_in_the_apps_terms(tmp_path, capsys, truth):
    """A phyphox export holding two measurements 2 h apart was told to "name the column that
    tells them apart with --split-by, e.g. a participant or session column", options a phone
    export does not take."""
    from tests.io.test_phone import _sample, write_phyphox_csv

    t, acc, gyr = _sample(truth, 100.0, 0.0, 6)
    t = np.where(np.arange(t.size) > t.size // 2, t + 7200.0, t)
    path = write_phyphox_csv(tmp_path / "Raw Data.csv", t, acc, gyr)
    err = _one_line_error(capsys, ["convert", str(path), str(tmp_path / "x.parquet")])
    assert "two measurements far apart in one export" in err and "7200 s" in err, err
    assert "--split-by" not in err


def test_an_accelerometer_only_file_says_a_gyroscope_is_needed(tmp_path, capsys):
    """It was "column(s) 'gyr_x', ... not found; name your columns with --gyr-cols", for a
    file that has no column to name."""
    path = tmp_path / "acc.csv"
    synthetic_samples()[["time_s", "acc_x", "acc_y", "acc_z"]].to_csv(path, index=False)
    err = _one_line_error(capsys, ["info", str(path)])
    assert "no gyroscope columns: the file has only time_s, acc_x, acc_y, acc_z" in err, err
    # With another column that could be the gyro, the usual message names the columns.
    frame = synthetic_samples()[["time_s", "acc_x", "acc_y", "acc_z", "gyr_x"]]
    frame.rename(columns={"gyr_x": "rot"}).to_csv(path, index=False)
    err = _one_line_error(capsys, ["info", str(path)])
    assert "not found; the file has: time_s, acc_x, acc_y, acc_z, rot" in err, err


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"<!DOCTYPE html>\n<html><body>report</body></html>\n", "an HTML page"),
     (b'<?xml version="1.0"?><gpx></gpx>\n', "an XML file"),
     (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document")],
)
def test_a_report_page_or_document_is_named_not_read_as_a_header(
    tmp_path, capsys, content, kind
):
    """imu's own report.html was "columns not found; the file has: <!DOCTYPE html>"."""
    path = tmp_path / "report.html"
    path.write_bytes(content)
    err = _one_line_error(capsys, ["info", str(path)])
    assert f"{kind}, not CSV text; give the sensor's samples" in err, err


@pytest.fixture(scope="module")
def other_truth():
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), reps=2, sets=1, seed=8)
    return simulate_session(spec).recording


def test_a_folder_of_several_sensor_logger_exports_is_refused_not_mixed(
    tmp_path, capsys, truth, other_truth
):
    """Keyed by file name, the last export's files replaced the others': one recording came
    out of a folder of several, without a word."""
    folder = tmp_path / "exports"
    folder.mkdir()
    sensor_logger_zip(folder / "monday.zip", truth)
    sensor_logger_zip(folder / "tuesday.zip", other_truth)
    err = _one_line_error(capsys, ["convert", str(folder), str(tmp_path / "x.parquet")])
    assert "holds 2 different Sensor Logger exports (monday.zip, tuesday.zip)" in err, err
    assert f"imu convert {folder / 'monday.zip'} OUT.parquet" in err
    # A zip beside its own unzipped files is one export.
    one = tmp_path / "one"
    one.mkdir()
    sensor_logger_zip(one / "s.zip", truth)
    with zipfile.ZipFile(one / "s.zip") as zf:
        zf.extractall(one)
    assert main(["convert", str(one), str(tmp_path / "one.parquet")]) == 0


def test_a_file_given_of_an_export_reads_that_export_alone(tmp_path, capsys, truth, other_truth):
    """Trial 21: a plain CSV given with --format sensor-logger beside another recording's zip
    was analysed as that zip, without a word; an export's own Gyroscope.csv beside another
    export's zip was refused as "2 different exports", with only the zip's command offered."""
    from imu.io.recording import read_recording

    folder = tmp_path / "downloads"
    folder.mkdir()
    sensor_logger_zip(folder / "wed.zip", other_truth)
    mine = folder / "mydata.csv"
    synthetic_samples(200).to_csv(mine, index=False)
    err = _one_line_error(capsys, ["convert", str(mine), str(tmp_path / "x.parquet"),
                                   "--format", "sensor-logger"])
    assert f"{mine}: not a file of a Sensor Logger export" in err, err
    assert not (tmp_path / "x.parquet").exists()
    # The export's own files beside the other zip: that export, the zip left alone.
    sensor_logger_zip(tmp_path / "mine.zip", truth)
    with zipfile.ZipFile(tmp_path / "mine.zip") as zf:
        zf.extractall(folder)
    out = tmp_path / "mine.parquet"
    assert main(["convert", str(folder / "Gyroscope.csv"), str(out)]) == 0, \
        capsys.readouterr().err
    assert read_recording(out).duration_s == pytest.approx(truth.duration_s, abs=0.2)
    assert abs(read_recording(out).duration_s - other_truth.duration_s) > 1.0
    # Another of the app's files (by its columns, whatever its name) reads the export too.
    (folder / "Magnetometer.csv").write_text("time,seconds_elapsed,z,y,x\n1,0.0,1,2,3\n")
    again = tmp_path / "again.parquet"
    assert main(["convert", str(folder / "Magnetometer.csv"), str(again),
                 "--format", "sensor-logger"]) == 0, capsys.readouterr().err
    assert read_recording(again).n_samples == read_recording(out).n_samples
    # One of the app's files left empty is said to be empty, not to be another kind of file.
    capsys.readouterr()
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "Gyroscope.csv").write_text("")
    err = _one_line_error(capsys, ["convert", str(lone / "Gyroscope.csv"),
                                   str(tmp_path / "e.parquet"), "--format", "sensor-logger"])
    assert "empty" in err and "not a file of a Sensor Logger export" not in err, err


def test_a_folder_of_two_phyphox_measurements_is_refused(tmp_path, capsys, truth, other_truth):
    """The first acceleration table found was taken, the other measurement left out."""
    a, b = phyphox_exports(tmp_path / "a", truth), phyphox_exports(tmp_path / "b", other_truth)
    both = tmp_path / "both"
    both.mkdir()
    (both / "acc1.zip").write_bytes((a / "acc.zip").read_bytes())
    (both / "acc2.zip").write_bytes((b / "acc.zip").read_bytes())
    (both / "gyr.zip").write_bytes((a / "gyr.zip").read_bytes())
    err = _one_line_error(capsys, ["convert", str(both), str(tmp_path / "x.parquet")])
    assert "holds 2 phyphox acceleration tables (acc1.zip/Raw Data.csv, acc2.zip/Raw Data.csv)" \
        in err, err


def test_a_folder_with_both_apps_exports_is_refused_unless_format_names_one(
    tmp_path, capsys, truth
):
    """Detection took the Sensor Logger export and left the phyphox one out."""
    folder = phyphox_exports(tmp_path / "mixed", truth)
    sensor_logger_zip(folder / "sl.zip", truth)
    err = _one_line_error(capsys, ["convert", str(folder), str(tmp_path / "x.parquet")])
    assert "holds a Sensor Logger export" in err and "and phyphox exports" in err, err
    assert main(["convert", str(folder), str(tmp_path / "p.parquet"), "--format",
                 "phyphox"]) == 0


def test_a_folder_of_plain_csvs_says_to_give_a_csv_as_a_file(tmp_path, capsys):
    """A folder of plain CSVs was "holds no Sensor Logger or phyphox export" and no way on."""
    folder = tmp_path / "csvs"
    folder.mkdir()
    synthetic_samples().to_csv(folder / "s.csv", index=False)
    err = _one_line_error(capsys, ["info", str(folder)])
    assert f"a plain CSV is given as a file, e.g. {folder / 's.csv'}" in err, err
