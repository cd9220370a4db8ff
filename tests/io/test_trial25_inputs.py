"""Inputs a new user tried in the twenty-fifth trial, which imu read wrongly or answered
without a way forward."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.errors import ImuError
from imu.io import CsvOptions, import_csv
from imu.io.atomic import write_error_reason
from imu.io.load import load_recordings
from tests.io.helpers import synthetic_samples


def test_a_pandas_table_with_its_time_as_the_index_imports(tmp_path: Path) -> None:
    """``df.set_index('time').to_parquet()`` stores the time as the table's index.

    The first error named the column ``time`` among the table's columns and said to give it
    with ``--time-col``; given so, the next said that column was not there (pandas made it
    the index again when the table was read).
    """
    samples = synthetic_samples(n=500, rate_hz=50.0)
    frame = samples.drop(columns="time_s")
    frame.index = pd.Timestamp("2024-05-01T10:00:00Z") + pd.to_timedelta(
        samples["time_s"], unit="s"
    )
    frame.index.name = "time"
    path = tmp_path / "indexed.parquet"
    frame.to_parquet(path)

    with pytest.raises(ImuError, match="--time-col") as first:
        load_recordings(path)
    assert "time" in str(first.value)
    loaded = load_recordings(path, CsvOptions(time_col="time"))
    assert len(loaded) == 1
    assert loaded[0].recording.meta.sampling_rate_hz == pytest.approx(50.0)
    assert loaded[0].recording.n_samples == 500


def _frozen_csv(tmp_path: Path, from_row: int | None) -> Path:
    samples = synthetic_samples(n=1500, rate_hz=50.0, moving_from=0.2)
    data = ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
    if from_row is not None:
        samples.loc[from_row:, data] = samples.loc[from_row, data].to_numpy()
    path = tmp_path / "frozen.csv"
    samples.to_csv(path, index=False)
    return path


def test_a_sensor_that_froze_is_warned_of_with_where(tmp_path: Path) -> None:
    """A sensor that stops measuring but goes on sending its last values (a hung firmware,
    an app that repeats its last sample) gave "no reps" or wrong reps without a word."""
    path = _frozen_csv(tmp_path, from_row=1000)  # 20 s of 30 s
    report = import_csv(path)[0].report
    frozen = [w for w in report.warnings if "froze" in w]
    assert len(frozen) == 1, report.warnings
    assert "from 20.0 s to 30.0 s" in frozen[0]
    assert "--to 20" in frozen[0]


def test_a_sensor_that_never_changed_is_warned_of(tmp_path: Path) -> None:
    samples = synthetic_samples(n=500, rate_hz=50.0)
    data = ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
    samples[data] = samples.loc[0, data].to_numpy()
    path = tmp_path / "stuck.csv"
    samples.to_csv(path, index=False)
    warnings = import_csv(path)[0].report.warnings
    assert any("every sample" in w and "froze" in w for w in warnings), warnings
    # Only its first and last rows differ (review: "analyse the parts around it (--to 0,
    # --from 10)" left nothing): frozen throughout, as above.
    samples.loc[0, "gyr_x"] += 0.01
    samples.loc[len(samples) - 1, "gyr_x"] += 0.01
    samples.to_csv(path, index=False)
    warnings = import_csv(path)[0].report.warnings
    assert any("every sample" in w and "froze" in w for w in warnings), warnings
    assert not any("--to 0" in w for w in warnings), warnings


def test_a_live_sensor_is_not_called_frozen(tmp_path: Path) -> None:
    """Its noise changes every sample; a still moment of a quantised sensor repeats values
    for less than a second at most, which is no freeze."""
    path = _frozen_csv(tmp_path, from_row=None)
    assert not [w for w in import_csv(path)[0].report.warnings if "froze" in w]
    samples = pd.read_csv(path)
    samples.loc[100:130, ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]] = 0.5
    samples.loc[100:130, "acc_z"] = 9.81
    samples.to_csv(path, index=False)
    assert not [w for w in import_csv(path)[0].report.warnings if "froze" in w]


def test_format_csv_on_a_folder_says_what_to_give(tmp_path: Path) -> None:
    """``--format csv`` on a folder said only "FOLDER: not a file"."""
    folder = tmp_path / "export"
    folder.mkdir()
    synthetic_samples().to_csv(folder / "Accelerometer.csv", index=False)
    with pytest.raises(ImuError) as caught:
        load_recordings(folder, fmt="csv")
    message = str(caught.value)
    assert "a folder" in message
    assert "Accelerometer.csv" in message
    assert "--format" in message


def test_an_empty_parquet_file_is_named_empty_with_a_fix(tmp_path: Path) -> None:
    """pyarrow's "Parquet file size is 0 bytes" came through with no way forward."""
    path = tmp_path / "s.parquet"
    path.touch()
    with pytest.raises(ImuError) as caught:
        load_recordings(path)
    message = str(caught.value)
    assert "empty (0 bytes)" in message
    assert "copy it again" in message
    assert "Could not open" not in message


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes into read-only folders")
def test_a_read_only_out_folder_is_the_one_named(tmp_path: Path) -> None:
    """``--out ro`` (an existing folder that takes no files, in a folder that takes none
    either) named the parent, ``.``, as the folder refusing them."""
    parent = tmp_path / "parent"
    out = parent / "ro"
    out.mkdir(parents=True)
    out.chmod(0o555)
    parent.chmod(0o555)
    try:
        reason = write_error_reason(out, PermissionError(errno.EACCES, "Permission denied"))
    finally:
        parent.chmod(0o755)
        out.chmod(0o755)
    assert f"the folder {out} does not take new files" in reason


def test_the_out_folder_itself_is_named_when_it_refuses_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same, whoever runs it: the refusing folder is found by trying to write in it."""
    out = tmp_path / "ro"
    out.mkdir()
    import imu.io.atomic as atomic

    def refuses(folder: str | Path) -> str | None:
        return f"the folder {folder} does not take new files (Permission denied)"

    monkeypatch.setattr(atomic, "folder_refuses_files", refuses)
    reason = write_error_reason(out, PermissionError(errno.EACCES, "Permission denied"))
    assert reason == f"the folder {out} does not take new files (Permission denied)"


def test_ms_timestamps_rounded_to_whole_ms_keep_the_rate(tmp_path: Path) -> None:
    """A 52 Hz sensor logged in whole milliseconds (19 and 20 ms apart, 19.23 on average)
    was put on a 52.63 Hz grid (1/19 ms, the median interval), and every sample was
    interpolated."""
    n = 2000
    t_ms = np.round(np.arange(n) * 1000.0 / 52.0)
    samples = synthetic_samples(n=n, rate_hz=52.0)
    samples["time_s"] = t_ms
    path = tmp_path / "ms.csv"
    samples.rename(columns={"time_s": "t"}).to_csv(path, index=False)
    imported = import_csv(path, CsvOptions(time_col="t", time_unit="ms"))[0]
    assert imported.recording.meta.sampling_rate_hz == pytest.approx(52.0, abs=0.05)
    # The same times as Unix seconds with three decimals (review: the float error of
    # 1.7e9 s made the intervals take many values, and 52.63 Hz came back).
    unix = tmp_path / "unix.csv"
    with unix.open("w") as fh:
        fh.write("t,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n")
        for ms, row in zip(t_ms, samples[["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y",
                                          "gyr_z"]].to_numpy(), strict=True):
            fh.write(f"{1_700_000_000 + ms / 1000:.3f}," + ",".join(map(str, row)) + "\n")
    imported = import_csv(unix, CsvOptions(time_col="t", time_unit="s"))[0]
    assert imported.recording.meta.sampling_rate_hz == pytest.approx(52.0, abs=0.05)


def test_an_already_recovered_journal_says_where_its_recording_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Recovered with ``--out rec``, ``imu recover j1.imuj`` again said the journal was kept
    "beside its recording (j1.parquet ...)" and offered ``imu recover j1.imuj.recovered``,
    which wrote a second copy of the session beside the journal."""
    from imu.cli import main
    from tests.io.test_journal import frames, write_journal

    journal = tmp_path / "jr" / "j1.imuj"
    journal.parent.mkdir()
    write_journal(journal, frames(200))
    assert main(["recover", str(journal), "--out", str(tmp_path / "rec")]) == 0
    capsys.readouterr()
    assert main(["recover", str(journal)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "beside its recording" not in err
    assert "not beside it" in err and "--out" in err
    assert not (tmp_path / "jr" / "j1.parquet").exists()


def test_a_simulated_sessions_ground_truth_is_named_with_its_recording(tmp_path: Path) -> None:
    """``imu analyze recordings/*`` took each ``NAME.truth.csv`` for a table to import: "pass
    --exercise E", and with it "column(s) 'time_s' ... not found" (a dead end twice)."""
    from imu.io.load import not_a_recording
    from imu.sim import TRUTH_COLUMNS

    truth = tmp_path / "rc.truth.csv"
    truth.write_text(",".join(TRUTH_COLUMNS) + "\n" + ",".join("1" for _ in TRUTH_COLUMNS)
                     + "\n", encoding="utf-8")
    message = not_a_recording(truth)
    assert "ground truth" in message
    assert "give the recording: NAME.parquet beside NAME.truth.csv" in message


def test_a_parquet_tables_missing_columns_error_lists_all_its_columns(tmp_path: Path) -> None:
    """A plain Parquet table with ``time_s`` and ``ax, ay, ...``: "column(s) 'acc_x' ... not
    found; the file has: time_s" hid the names to give (only the columns read were listed)."""
    samples = synthetic_samples().rename(columns={
        "acc_x": "ax", "acc_y": "ay", "acc_z": "az", "gyr_x": "gx", "gyr_y": "gy", "gyr_z": "gz"})
    path = tmp_path / "renamed.parquet"
    samples.to_parquet(path, index=False)
    with pytest.raises(ImuError) as caught:
        load_recordings(path)
    assert "the file has: time_s, ax, ay, az, gx, gy, gz" in str(caught.value)


def _dead_axis_csv(tmp_path: Path, column: str) -> Path:
    """The sensor tilted so that gravity falls on y and z, with ``column`` reading 0."""
    samples = synthetic_samples(n=1500, rate_hz=50.0, moving_from=0.2)
    up = samples["acc_z"].copy()
    samples["acc_y"], samples["acc_z"] = 0.8 * up, 0.6 * up
    samples[column] = 0.0
    path = tmp_path / "dead.csv"
    samples.to_csv(path, index=False)
    return path


def test_a_dead_accelerometer_axis_is_named_not_taken_for_counts(tmp_path: Path) -> None:
    """An accelerometer axis reading 0 in every row made gravity's magnitude wrong, and the
    error said "the data looks like counts: pass --acc-unit counts", which, followed,
    analysed the broken data without a word."""
    path = _dead_axis_csv(tmp_path, "acc_y")
    with pytest.raises(ImuError) as caught:
        import_csv(path)
    message = str(caught.value)
    assert "acc_y reads 0 in every row" in message
    assert "--acc-unit counts" not in message
    counted = import_csv(path, CsvOptions(acc_unit="counts"))[0].report.warnings
    assert any("acc_y reads 0 in every row" in w for w in counted), counted


def test_a_dead_gyro_axis_is_warned_of(tmp_path: Path) -> None:
    path = _dead_axis_csv(tmp_path, "gyr_z")
    warnings = import_csv(path)[0].report.warnings
    assert any("gyr_z reads 0 in every row" in w for w in warnings), warnings


def test_a_dead_gyro_axis_does_not_hide_the_accelerometers_unit(tmp_path: Path) -> None:
    """Review: acceleration written in g with a dead gyro axis was told "no unit fits it"
    (the dead-axis message), where --acc-unit g fits: the unit's error stands."""
    import pandas as pd

    path = _dead_axis_csv(tmp_path, "gyr_z")
    frame = pd.read_csv(path)
    frame[["acc_x", "acc_y", "acc_z"]] /= 9.80665
    frame.to_csv(path, index=False)
    with pytest.raises(ImuError) as caught:
        import_csv(path)
    assert "--acc-unit g" in str(caught.value), caught.value
    assert "no unit fits" not in str(caught.value)


def test_a_stuck_accelerometer_beside_a_moving_gyro_is_warned_of(tmp_path: Path) -> None:
    """Review: an accelerometer repeating one sample for the whole file while the gyro
    moved was warned of neither as a dead axis (every axis is constant) nor as a frozen
    sensor (the gyro moves)."""
    samples = synthetic_samples(n=1500, rate_hz=50.0, moving_from=0.2)
    samples[["acc_x", "acc_y", "acc_z"]] = samples[["acc_x", "acc_y", "acc_z"]].iloc[0].to_numpy()
    path = tmp_path / "stuck.csv"
    samples.to_csv(path, index=False)
    warnings = import_csv(path)[0].report.warnings
    assert any("the accelerometer (acc_x, acc_y, acc_z) reads the same in every row" in w
               for w in warnings), warnings
    healthy = tmp_path / "healthy.csv"
    synthetic_samples(n=1500, rate_hz=50.0, moving_from=0.2).to_csv(healthy, index=False)
    assert not any("reads the same" in w for w in import_csv(healthy)[0].report.warnings)


def test_the_report_shows_what_the_import_found_wrong_with_the_sensor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 25: a frozen sensor was said on stderr alone; the report of the reps it spoiled
    (report.html, and the one of a recording converted first) said nothing of it."""
    from imu.cli import main

    path = _frozen_csv(tmp_path, from_row=1000)
    out = tmp_path / "out"
    assert main(["analyze", str(path), "--exercise", "reverse-crunch", "--out", str(out)]) == 0
    page = (out / "report.html").read_text()
    assert "<strong>Sensor:</strong> the sensor&#x27;s values froze from 20.0 s" in page
    converted = tmp_path / "frozen.parquet"
    assert main(["convert", str(path), str(converted)]) == 0
    again = tmp_path / "again"
    assert main(["analyze", str(converted), "--exercise", "reverse-crunch",
                 "--out", str(again)]) == 0
    assert "<strong>Sensor:</strong>" in (again / "report.html").read_text()
    capsys.readouterr()
    healthy = tmp_path / "healthy.csv"
    synthetic_samples(n=1500, rate_hz=50.0, moving_from=0.2).to_csv(healthy, index=False)
    fine = tmp_path / "fine"
    assert main(["analyze", str(healthy), "--exercise", "reverse-crunch", "--out", str(fine)]) == 0
    assert "<strong>Sensor:</strong>" not in (fine / "report.html").read_text()
