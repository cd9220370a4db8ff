"""``imu info`` and ``imu convert`` through :func:`imu.cli.main`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io import read_recording, write_recording
from imu.io.csv_import import import_csv

WriteCsv = Callable[..., Path]

WLE_ARGS = [
    "--time-col", "time_s", "--time-unit", "s",
    "--acc-cols", "accel_belt_x,accel_belt_y,accel_belt_z", "--acc-unit", "counts",
    "--gyr-cols", "gyros_belt_x,gyros_belt_y,gyros_belt_z", "--gyr-unit", "rad/s",
    "--split-by", "user_name,classe", "--participant-col", "user_name",
    "--counts-scale-by", "user_name", "--rate", "25",
]  # fmt: skip


def test_convert_then_info(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(samples, "s.csv")
    out = tmp_path / "s.parquet"
    assert main(["convert", str(src), str(out), "--rate", "50"]) == 0
    text = capsys.readouterr().out
    assert "rate: 50 Hz (given" in text and f"wrote: {out}" in text
    rec = read_recording(out)
    assert rec.n_samples == len(samples)

    assert main(["info", str(out)]) == 0
    info = capsys.readouterr().out
    for word in ("duration", "10.00 s", "500 samples at 50 Hz", "gaps", "none", "|acc|",
                 "|gyro|", "acc_x", "gyr_z", "m/s^2", "rad/s"):  # fmt: skip
        assert word in info, word


def test_info_accepts_csv_with_options(
    samples: pd.DataFrame, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = samples.copy()
    frame[["acc_x", "acc_y", "acc_z"]] /= 9.80665
    src = write_csv(frame)
    assert main(["info", str(src), "--acc-unit", "g"]) == 0
    text = capsys.readouterr().out
    assert "import report" in text and "ESTIMATED" in text and "duration" in text


def test_info_shows_metadata(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             samples: pd.DataFrame, write_csv: WriteCsv) -> None:  # fmt: skip
    [imp] = import_csv(write_csv(samples))
    rec = imp.recording.with_meta(
        device="HipSense", firmware_version="1.2.3", participant="p01",
        exercise="reverse-crunch", tempo="3-1-3", acc_range_g=8.0, gyr_range_dps=1000.0,
    )  # fmt: skip
    path = write_recording(rec, tmp_path / "m.parquet")
    assert main(["info", str(path)]) == 0
    text = capsys.readouterr().out
    for word in ("HipSense", "1.2.3", "p01", "reverse-crunch", "3-1-3", "±8 g", "±1000 deg/s"):
        assert word in text, word


def test_convert_split_into_directory_and_refuse_overwrite(
    wle_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "wle"
    assert main(["convert", str(wle_csv), f"{out}/", *WLE_ARGS]) == 0
    text = capsys.readouterr().out
    files = sorted(p.name for p in out.glob("*.parquet"))
    assert len(files) == 15 and "adelmo_A.parquet" in files
    assert "15 recordings written" in text
    assert read_recording(out / "carlitos_E.parquet").meta.participant == "carlitos"

    assert main(["convert", str(wle_csv), str(out), *WLE_ARGS]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["convert", str(wle_csv), str(out), *WLE_ARGS, "--force"]) == 0


def test_split_into_parquet_file_name_is_refused(
    wle_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(wle_csv), str(tmp_path / "x.parquet"), *WLE_ARGS]) == 2
    assert "give a directory" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["info", "convert"])
def test_errors_give_exit_code_2_and_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("t,a,b\n1,2,3\n")
    args = [command, str(bad)] + ([str(tmp_path / "o.parquet")] if command == "convert" else [])
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"imu {command}: error: ")
    assert "bad.csv" in captured.err and "not found" in captured.err
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_info_on_truncated_parquet(
    samples: pd.DataFrame, write_csv: WriteCsv, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    [imp] = import_csv(write_csv(samples))
    path = write_recording(imp.recording, tmp_path / "t.parquet")
    path.write_bytes(path.read_bytes()[:300])
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "t.parquet" in err and "truncated" in err


def test_info_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tmp_path / "none.parquet")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_help_teaches_units_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("info", "convert"):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        text = capsys.readouterr().out
        for word in ("examples:", "units:", "m/s^2", "rad/s", "deg/s", "counts", "--rate"):
            assert word in text, (command, word)
