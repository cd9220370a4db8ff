"""Repairs are never silent; bad files give one clear line naming the file (issue 10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu.batch import BatchOptions, collect_jobs, run_batch
from imu.cli import main
from imu.errors import ImportOptionsError, RecordingError
from imu.io import read_recording, write_recording
from imu.io.csv_import import REASON_IMPLAUSIBLE, CsvOptions, import_csv
from imu.io.load import load_recordings, sanitize
from imu.io.repairs import REPAIRS_NOTE

WriteCsv = Callable[..., Path]
BUNDLED = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"
HEADER = "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z"


def _stderr_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]


# --------------------------------------------------------------------------- the report


def test_every_repair_is_counted_and_kept_in_the_metadata(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame.loc[10, "acc_y"] = np.nan  # an empty value
    frame.loc[300, "gyr_x"] = 1e30  # a glitch no sensor measures
    frame = pd.concat([frame, frame.iloc[[20, 21]]])  # two duplicate timestamps
    frame = frame.iloc[::-1]  # every row out of time order
    [imp] = import_csv(write_csv(frame, "bad.csv"), CsvOptions(rate_hz=50))
    report = imp.report
    assert (report.n_incomplete, report.n_duplicates, report.n_implausible) == (1, 2, 1)
    assert report.n_out_of_order == len(frame) - 2 - 1  # one NaN row gone, duplicates kept
    line = report.repairs.line()
    assert line.startswith(str(imp.report.source) + ": repaired: ")
    for text in (
        "1 row with empty values dropped",
        "out of time order sorted",
        "2 rows with a repeated timestamp dropped",
        "1 row with values beyond any sensor's full scale (up to 1e+30) made a gap",
    ):
        assert text in line, text
    assert "estimated" not in line  # the rate was given
    rec = imp.recording
    assert rec.meta.notes[REPAIRS_NOTE] == report.repairs.text()
    implausible = [g for g in rec.meta.gaps if g.reason == REASON_IMPLAUSIBLE]
    assert len(implausible) == 1 and implausible[0].start <= 300 < implausible[0].end
    assert np.all(np.isnan(rec.gyr[300])) and np.nanmax(np.abs(rec.gyr)) < 10


def test_a_clean_file_on_its_grid_reports_only_the_estimated_rate(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    [given] = import_csv(write_csv(samples), CsvOptions(rate_hz=50))
    assert not given.report.repairs
    [estimated] = import_csv(write_csv(samples))
    assert [r.kind for r in estimated.report.repairs.repairs] == ["rate_estimated"]


def test_many_absurd_values_are_a_unit_error_not_gaps(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame[["gyr_x", "gyr_y", "gyr_z"]] = np.degrees(frame[["gyr_x", "gyr_y", "gyr_z"]]) * 20
    with pytest.raises(ImportOptionsError, match=r"deg\.csv.*--gyr-unit deg/s"):
        import_csv(write_csv(frame, "deg.csv"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (np.inf, r"infinite or huge numbers in gyr_x \(100 rows\) fit no unit"),
        (1e6, r"beyond any gyro's range are in gyr_x \(100 rows\)"),  # 1e6 deg/s is no gyro
    ],
)
def test_many_broken_values_name_their_column_not_a_unit(
    samples: pd.DataFrame, write_csv: WriteCsv, value: float, message: str
) -> None:
    """inf in the gyro said 'pass --acc-unit counts'; 1e6 said 'pass --gyr-unit deg/s'."""
    frame = samples.copy()
    frame.loc[100:199, "gyr_x"] = value
    with pytest.raises(ImportOptionsError, match=message) as info:
        import_csv(write_csv(frame, "broken.csv"))
    assert "--acc-unit" not in str(info.value) and "pass --gyr-unit" not in str(info.value)


def test_far_off_timestamp_is_named_not_a_memory_error(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame.loc[100, "time_s"] = 1e9
    with pytest.raises(ImportOptionsError, match=r"far\.csv.*timestamp is far off"):
        import_csv(write_csv(frame, "far.csv"), CsvOptions(time_origin="relative"))
    with pytest.raises(ImportOptionsError, match=r"far\.csv.*far off"):
        import_csv(
            write_csv(frame, "far.csv"), CsvOptions(time_origin="relative", check_units=False)
        )


def test_recording_file_with_unlisted_nan_and_absurd_values_is_sanitised(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path
) -> None:
    [imp] = import_csv(write_csv(samples), CsvOptions(rate_hz=50))
    acc, gyr = imp.recording.acc.copy(), imp.recording.gyr.copy()
    acc[5, 0] = np.nan
    gyr[7, 2] = np.inf
    gyr[9, 1] = -1e20
    rec = type(imp.recording)(acc, gyr, imp.recording.meta)
    fixed, report = sanitize(rec, "x.parquet")
    assert report.count("implausible") == 2 and report.count("unlisted_nan") == 1
    assert [g.start for g in fixed.meta.gaps] == [5, 7, 9]
    assert np.all(np.isnan(fixed.gyr[[5, 7, 9]]))
    path = write_recording(rec, tmp_path / "r.parquet")
    [loaded] = load_recordings(path)
    assert loaded.repairs.line().startswith(f"{path}: repaired: 2 samples with values beyond")


# --------------------------------------------------------------------------- the commands


@pytest.fixture(scope="module")
def bundled_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled reverse-crunch recording as a CSV in the default layout (gaps as NaN)."""
    rec = read_recording(BUNDLED)
    frame = pd.DataFrame(np.column_stack([rec.time_s, rec.acc, rec.gyr]), columns=HEADER.split(","))
    path = tmp_path_factory.mktemp("bundled") / "session.csv"
    frame.to_csv(path, index=False)
    return path


def _reps(text: str) -> str:
    return next(ln for ln in text.splitlines() if " reps in " in ln)


def test_a_single_huge_gyro_value_is_reported_and_does_not_change_the_count(
    bundled_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["-e", "reverse-crunch", "--rate", "52"]
    assert main(["analyze", str(bundled_csv), "--out", str(tmp_path / "a"), *args]) == 0
    clean = _reps(capsys.readouterr().out)
    frame = pd.read_csv(bundled_csv)
    frame.loc[1000, "gyr_x"] = 1e30
    huge = tmp_path / "huge.csv"
    frame.to_csv(huge, index=False)
    assert main(["analyze", str(huge), "--out", str(tmp_path / "b"), *args]) == 0
    captured = capsys.readouterr()
    assert _reps(captured.out) == clean
    err = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert len(err) == 1, err
    assert err[0].startswith(f"imu analyze: {huge}: repaired: ")
    assert "1 row with values beyond any sensor's full scale (up to 1e+30) made a gap" in err[0]
    # The packet-loss rows of the CSV: a time and no sensor value.
    assert "rows with a time but no sensor value (the sensor sent nothing) dropped" in err[0]


def test_convert_says_what_it_repaired_on_stderr(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = samples.iloc[::-1]
    src = write_csv(frame, "reversed.csv")
    assert main(["convert", str(src), str(tmp_path / "r.parquet"), "--rate", "50"]) == 0
    (line,) = _stderr_lines(capsys)
    assert line == f"imu convert: {src}: repaired: 499 rows out of time order sorted"
    notes = read_recording(tmp_path / "r.parquet").meta.notes
    assert notes[REPAIRS_NOTE] == "499 rows out of time order sorted"


@pytest.mark.parametrize("command", ["info", "convert", "analyze"])
def test_all_nan_csv_is_one_line_naming_the_file(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "allnan.csv"
    src.write_text(HEADER + "\n" + ",,,,,,\n" * 5)
    extra = {
        "info": [],
        "convert": [str(tmp_path / "o.parquet")],
        "analyze": ["-e", "reverse-crunch", "--out", str(tmp_path / "o")],
    }[command]
    assert main([command, str(src), *extra]) == 2
    (line,) = _stderr_lines(capsys)
    assert line.startswith(f"imu {command}: error: {src}: no row has a time and all six")


def test_batch_failure_reason_for_all_nan_is_the_message(tmp_path: Path) -> None:
    src = tmp_path / "in" / "allnan.csv"
    src.parent.mkdir()
    src.write_text(HEADER + "\n" + ",,,,,,\n" * 5)
    result = run_batch(
        collect_jobs([src]), tmp_path / "ds", BatchOptions(workers=0, exercise="plank")
    )
    [(path, reason)] = result.failures
    assert path == src and reason.startswith("no row has a time and all six acc/gyro values")


def test_plain_parquet_is_accepted_by_analyze_and_convert(
    bundled_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "table.parquet"
    pd.read_csv(bundled_csv).to_parquet(table)
    assert main(["analyze", str(table), "-e", "reverse-crunch", "--out", str(tmp_path / "a")]) == 0
    captured = capsys.readouterr()
    assert " reps in " in captured.out
    assert "rate 52 Hz estimated from the timestamps (pass --rate HZ" in captured.err
    out = tmp_path / "rec.parquet"
    assert main(["convert", str(table), str(out), "--rate", "52"]) == 0
    assert read_recording(out).sampling_rate_hz == 52
    # a recording of ours is not imported again: the message says what to do instead
    assert main(["convert", str(out), str(tmp_path / "again.parquet")]) == 2
    assert "already a recording written by imu" in capsys.readouterr().err


def test_plain_parquet_without_time_needs_a_rate(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    table = tmp_path / "notime.parquet"
    pq.write_table(pa.Table.from_pandas(samples.drop(columns="time_s")), table)
    with pytest.raises(ImportOptionsError, match=r"notime\.parquet.*--time-col.*--rate"):
        load_recordings(table)
    [loaded] = load_recordings(table, CsvOptions(rate_hz=50))
    assert loaded.recording.n_samples == len(samples)


def test_convert_refuses_its_own_input_and_other_extensions(
    samples: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "self.parquet"
    samples.to_parquet(table)
    before = table.read_bytes()
    assert main(["convert", str(table), str(table), "--force", "--rate", "50"]) == 2
    assert "is the input itself" in capsys.readouterr().err
    assert table.read_bytes() == before
    src = tmp_path / "good.csv"
    samples.to_csv(src, index=False)
    assert main(["convert", str(src), str(tmp_path / "x.txt")]) == 2
    (line,) = _stderr_lines(capsys)
    assert "x.txt: convert writes Parquet recordings; name the output" in line
    assert "x.parquet" in line and not (tmp_path / "x.txt").exists()


def test_simulate_refuses_a_non_parquet_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.csv"
    assert main(["simulate", "plank", "--sets", "1", "--out", str(out)]) == 2
    (line,) = _stderr_lines(capsys)
    assert "s.parquet" in line and not out.exists()


def test_semicolon_csv_is_detected_and_said(
    samples: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "semi.csv"
    samples.to_csv(src, index=False, sep=";", decimal=",")
    [imp] = import_csv(src, CsvOptions(rate_hz=50))
    assert imp.recording.n_samples == len(samples)
    assert "fields separated by ';' with decimal commas (detected" in imp.report.repairs.line()
    with pytest.raises(ImportOptionsError, match=r"semi\.csv.*separated by ';'.*--delimiter ';'"):
        import_csv(src, CsvOptions(delimiter=","))


def test_replay_wants_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    (line,) = _stderr_lines(capsys)
    assert f"{tmp_path}: is a folder; imu replay streams one recording file" in line
    # A phone export's folder: the step that makes it replayable (trial 23: none given).
    from imu.sim import SessionSpec, simulate_session
    from tests.io.test_phone import phyphox_exports

    export = phyphox_exports(tmp_path / "px",
                             simulate_session(SessionSpec("reverse-crunch", reps=2, sets=1,
                                                          seed=1)).recording)
    assert main(["replay", str(export), "--out", str(tmp_path / "o")]) == 2
    (line,) = _stderr_lines(capsys)
    assert f"convert it first with 'imu convert {export} {export}.parquet'" in line


def test_unit_check_message_does_not_repeat_its_number(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame[["acc_x", "acc_y", "acc_z"]] /= 9.80665
    with pytest.raises(ImportOptionsError) as info:
        import_csv(write_csv(frame, "in_g.csv"))
    text = str(info.value)
    assert "at rest is 1 m/s^2, implausible" in text and "(1 m/s^2)" not in text


def test_too_slow_a_rate_names_the_file_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "slow.csv"
    rows = "\n".join(f"{t},0,0,9.81,0,0,0" for t in range(30))
    src.write_text(HEADER + "\n" + rows + "\n")
    assert main(["analyze", str(src), "-e", "plank", "--out", str(tmp_path / "o")]) == 2
    err = _stderr_lines(capsys)
    assert err[-1].startswith(f"imu analyze: error: {src}: sampled at 1 Hz, too slow")
    assert "--rate" in err[-1] and "sampling_rate_hz" not in err[-1]


def test_missing_recording_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match=r"nothing\.parquet: no such file"):
        load_recordings(tmp_path / "nothing.parquet")


def test_a_failed_recording_write_leaves_the_old_file_and_no_temporary(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [imp] = import_csv(write_csv(samples), CsvOptions(rate_hz=50))
    target = tmp_path / "r.parquet"
    write_recording(imp.recording, target)
    before = target.read_bytes()

    def torn_write(table: pa.Table, where: Path, **options: object) -> None:
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", torn_write)
    with pytest.raises(RecordingError, match=r"r\.parquet.*No space left"):
        write_recording(imp.recording, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".csv") == ["r.parquet"]
