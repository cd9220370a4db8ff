"""Wrong gyro units: rad/s declared as deg/s turns far less than gravity's direction does between
rests; deg/s declared as rad/s tilts the sensor far more than gravity moves."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io import CsvOptions, import_csv, read_recording
from imu.io.csv_import import MAX_GYRO_TILT_RATIO, MIN_GYRO_TURN_RATIO
from imu.io.gravity import gyro_tilt_check, gyro_turn_check
from tests.io.test_wle import WLE_OPTIONS

WriteCsv = Callable[..., Path]
RECORDINGS = sorted((Path(__file__).resolve().parents[2] / "recordings").glob("*.parquet"))
COLS = ["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]


def _as_csv(path: Path, write_csv: WriteCsv) -> Path:
    """A bundled recording as a plain CSV of its samples (gaps left out), in rad/s."""
    rec = read_recording(path)
    frame = pd.DataFrame(np.column_stack([rec.time_s, rec.acc, rec.gyr]), columns=COLS)
    return write_csv(frame.dropna(), f"{path.stem}.csv")


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_bundled_recordings_never_raise_the_alarm(path: Path, write_csv: WriteCsv) -> None:
    rec = read_recording(path)
    check = gyro_turn_check(rec.acc, rec.gyr, rec.sampling_rate_hz)
    assert check is None or check.ratio > 1.0  # physics: never shorter than the tilt
    tilt = gyro_tilt_check(rec.acc, rec.gyr, rec.sampling_rate_hz)
    assert tilt is not None  # every exercise tilts the pelvis enough to compare, slow ones too
    assert 0.5 < tilt.ratio < 1.5  # physics: about the tilt gravity shows
    [imp] = import_csv(_as_csv(path, write_csv))  # rad/s, declared rad/s: accepted
    assert imp.recording.n_samples > 0


@pytest.mark.parametrize(
    "stem",
    [
        "reverse_crunch", "reverse_hip_raise", "hanging_leg_raise",
        # Slow ones: the accelerometer passes the still test throughout, so there was no pair
        # of rests to compare and a gyro 57 times too small passed ("0 reps").
        "pelvic_tilt", "plank", "bird_dog", "dead_bug", "leg_raise",
    ],
)
def test_rad_s_declared_deg_s_is_refused_with_the_fix(
    stem: str, write_csv: WriteCsv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _as_csv(Path(RECORDINGS[0]).with_name(f"{stem}.parquet"), write_csv)
    with pytest.raises(ImportOptionsError, match=r"read as deg/s, the gyroscope turns") as info:
        import_csv(path, CsvOptions(gyr_unit="deg/s"))
    assert "pass --gyr-unit rad/s" in str(info.value)
    argv = ["analyze", str(path), "-e", "reverse-crunch", "--gyr-unit", "deg/s",
            "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--gyr-unit rad/s" in err and err.count("\n") == 1
    assert main([*argv, "--no-unit-check"]) == 0  # the documented way out


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_slow_exercises_are_checked_too(path: Path) -> None:
    """Only a standing curl tilts the pelvis too little (under 6 deg) to compare; every other
    exercise gives a verdict, read right at least 1 and refused read wrong (57 times less
    rotation; the gyro's bias, left in, lengthens a long hold's path a little)."""
    rec = read_recording(path)
    check = gyro_turn_check(rec.acc, rec.gyr, rec.sampling_rate_hz)
    if path.stem == "standing_curl":
        assert check is None
        return
    assert check is not None and check.ratio > 1.0
    wrong = gyro_turn_check(rec.acc, np.radians(rec.gyr), rec.sampling_rate_hz)
    assert wrong is not None and wrong.ratio < MIN_GYRO_TURN_RATIO


def test_a_slow_steady_tilt_read_right_is_never_refused() -> None:
    """A steady 0.5 deg/s tilt for 60 s passes the still test throughout; a bias taken as the
    gyro's median over still samples was that very rate and erased the turn (ratio 0.07-0.3,
    refused, and the advice to pass rad/s would have made the gyro 57 times too large)."""
    rate_hz, rng = 52.0, np.random.default_rng(1)
    t = np.arange(int(60 * rate_hz)) / rate_hz
    theta = np.radians(0.5 * t)
    acc = 9.81 * np.column_stack((np.zeros_like(t), np.sin(theta), np.cos(theta)))
    acc += rng.normal(0.0, 0.005, acc.shape)
    gyr = np.column_stack((np.full_like(t, np.radians(0.5)), np.zeros_like(t),
                           np.zeros_like(t)))
    gyr += np.radians(0.03) * rng.normal(size=gyr.shape)
    check = gyro_turn_check(acc, gyr, rate_hz)
    assert check is None or check.ratio >= MIN_GYRO_TURN_RATIO, check
    wrong = gyro_turn_check(acc, gyr / 57.3, rate_hz)
    assert wrong is not None and wrong.ratio < MIN_GYRO_TURN_RATIO, wrong


def test_a_gyro_that_never_turns_names_the_columns(
    write_csv: WriteCsv, tmp_path: Path
) -> None:
    src = Path(RECORDINGS[0]).with_name("reverse_crunch.parquet")
    frame = pd.read_csv(_as_csv(src, write_csv))
    frame[["gyr_x", "gyr_y", "gyr_z"]] = 1e-4 * np.random.default_rng(0).normal(
        size=(len(frame), 3)
    )
    with pytest.raises(ImportOptionsError, match=r"read as rad/s.*check --gyr-cols"):
        import_csv(write_csv(frame, "dead.csv"))


def test_small_tilts_give_no_verdict(samples: pd.DataFrame) -> None:
    acc = samples[["acc_x", "acc_y", "acc_z"]].to_numpy()
    gyr = samples[["gyr_x", "gyr_y", "gyr_z"]].to_numpy() * math.pi / 180  # wrong on purpose
    assert gyro_turn_check(acc, gyr, 50.0) is None  # one rocking, no rests to compare


def test_real_belt_recordings_import_without_a_false_alarm(wle_csv: Path) -> None:
    for imp in import_csv(wle_csv, WLE_OPTIONS):
        rec = imp.recording
        check = gyro_turn_check(rec.acc, rec.gyr, rec.sampling_rate_hz)
        assert check is None or check.ratio >= MIN_GYRO_TURN_RATIO, imp.name


@pytest.mark.parametrize(
    "stem", ["reverse_hip_raise", "leg_raise", "plank", "pelvic_tilt", "dead_bug", "bird_dog"]
)
def test_deg_s_declared_rad_s_is_refused_with_the_fix(
    stem: str, write_csv: WriteCsv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A phone-style export in deg/s read as rad/s (the default): slow movements stay under
    the range check's limit (fast ones do not: a crunch in deg/s is refused by it), and the
    analysis ran on 57 times the rotation (ROM of 900-2000 deg per rep, exit 0) before the
    gyro's tilt was compared with gravity's. The slow ones (pelvic tilt, dead bug, bird-dog)
    tilt the pelvis so gently that the accelerometer passes the still test throughout: they
    passed unchecked (ROM of 500-900 deg per rep) until slowly turning blocks were compared
    too."""
    src = Path(RECORDINGS[0]).with_name(f"{stem}.parquet")
    frame = pd.read_csv(_as_csv(src, write_csv))
    frame[["gyr_x", "gyr_y", "gyr_z"]] = np.degrees(frame[["gyr_x", "gyr_y", "gyr_z"]])
    path = write_csv(frame, f"{stem}_dps.csv")
    with pytest.raises(ImportOptionsError, match=r"read as rad/s, the gyroscope tilts") as info:
        import_csv(path)
    assert "pass --gyr-unit deg/s" in str(info.value)
    ratio = float(str(info.value).split("x too much")[0].rsplit(" ", 1)[1])
    assert ratio > 3 * MAX_GYRO_TILT_RATIO  # about 57: far from the limit
    argv = ["analyze", str(path), "-e", "reverse-crunch", "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--gyr-unit deg/s" in err and err.count("\n") == 1
    assert main([*argv, "--gyr-unit", "deg/s"]) == 0  # the fix it names works


def test_real_belt_recordings_pass_the_tilt_check(wle_csv: Path) -> None:
    for imp in import_csv(wle_csv, WLE_OPTIONS):
        rec = imp.recording
        check = gyro_tilt_check(rec.acc, rec.gyr, rec.sampling_rate_hz)
        assert check is None or check.ratio < MAX_GYRO_TILT_RATIO / 5, imp.name
