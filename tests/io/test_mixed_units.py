"""Files whose accelerometer unit changes part-way, and files of noise with no rest.

A unit check over the whole file advised one unit for a file in two (m/s^2 then g), and
advised "counts" for noise whose quietest moments read 15 m/s^2; following either advice gave
an analysis of nonsense.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.errors import ImportOptionsError
from imu.frames import STANDARD_GRAVITY
from imu.io.csv_import import CsvOptions, import_csv
from imu.io.gravity import (
    MIXED_UNIT_MIN_RATIO,
    NOISE_MAX_LAG1_CORR,
    lag1_correlation,
    rest_level_change,
)
from imu.io.recording import Recording, RecordingMeta, read_recording
from imu.io.summary import summarize

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"
RATE_HZ = 50.0


def _frame(acc: np.ndarray, gyr: np.ndarray, rate_hz: float = RATE_HZ) -> pd.DataFrame:
    t = np.arange(acc.shape[0]) / rate_hz
    return pd.DataFrame(
        {
            "time_s": t,
            **{f"acc_{a}": acc[:, i] for i, a in enumerate("xyz")},
            **{f"gyr_{a}": gyr[:, i] for i, a in enumerate("xyz")},
        }
    )


def _still(n: int, seed: int = 0, acc_noise: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """A sensor lying still (z up), m/s^2 and rad/s, with white noise."""
    rng = np.random.default_rng(seed)
    acc = np.array([0.0, 0.0, STANDARD_GRAVITY]) + rng.normal(0, acc_noise, (n, 3))
    return acc, rng.normal(0, 0.005, (n, 3))


def _rocking(n: int, seed: int = 0, rest_s: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """Rests of ``rest_s`` between 2 s tilts of 20 deg about y (a rep), m/s^2 and rad/s."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / RATE_HZ
    period = rest_s + 2.0
    phase = np.mod(t, period) - rest_s
    moving = phase >= 0
    amp = np.radians(20.0)
    angle = np.where(moving, amp * 0.5 * (1 - np.cos(np.pi * phase)), 0.0)
    rate = np.where(moving, amp * 0.5 * np.pi * np.sin(np.pi * phase), 0.0)
    acc = np.column_stack(
        [STANDARD_GRAVITY * np.sin(angle), np.zeros(n), STANDARD_GRAVITY * np.cos(angle)]
    ) + rng.normal(0, 0.02, (n, 3))
    gyr = np.column_stack([np.zeros(n), rate, np.zeros(n)]) + rng.normal(0, 0.005, (n, 3))
    return acc, gyr


# --- mixed units ---------------------------------------------------------------------------


def test_still_data_in_m_s2_then_g_is_refused_at_the_row_of_the_change(
    write_csv: Callable[..., Path],
) -> None:
    acc, gyr = _still(3000)
    acc[1500:] /= STANDARD_GRAVITY  # the second half in g
    path = write_csv(_frame(acc, gyr), "mixed_units.csv")
    for unit in ("m/s^2", "g", "counts"):  # no declared unit fits: the same refusal
        with pytest.raises(ImportOptionsError) as err:
            import_csv(path, CsvOptions(acc_unit=unit))  # type: ignore[arg-type]
        text = str(err.value)
        assert "magnitude at rest changes at data row 1501 (time 30.00 s)" in text, text
        assert "from 9.807 (like m/s^2) to 1 (like g)" in text
        assert "the file mixes units" in text
        assert "pass --acc-unit" not in text  # no one unit advised for the whole file


def test_moving_data_whose_second_half_is_in_g_is_refused(
    write_csv: Callable[..., Path],
) -> None:
    acc, gyr = _rocking(3000)
    acc[1625:] /= STANDARD_GRAVITY  # mid-rep (the tilt runs 1600-1700)
    with pytest.raises(ImportOptionsError, match="mixes units") as err:
        import_csv(write_csv(_frame(acc, gyr)))
    row = int(str(err.value).split("data row ")[1].split(" ")[0])
    assert 1600 <= row <= 1700  # inside the movement where the unit changed


def test_a_range_switch_of_raw_counts_is_refused_with_both_levels(
    write_csv: Callable[..., Path],
) -> None:
    acc, gyr = _rocking(3000, seed=1)
    counts = np.round(acc / STANDARD_GRAVITY * 16384.0)
    counts[2000:] = np.round(acc[2000:] / STANDARD_GRAVITY * 8192.0)  # +-2 g -> +-4 g
    with pytest.raises(ImportOptionsError) as err:
        import_csv(write_csv(_frame(counts, gyr)), CsvOptions(acc_unit="counts"))
    text = str(err.value)
    assert "from 1.638e+04 (like counts) to 8192 (like counts), 2x" in text, text


def test_a_file_that_changes_back_says_how_often(write_csv: Callable[..., Path]) -> None:
    acc, gyr = _still(3000, seed=2)
    acc[1000:2000] /= STANDARD_GRAVITY  # a stretch in g
    with pytest.raises(ImportOptionsError) as err:
        import_csv(write_csv(_frame(acc, gyr)))
    text = str(err.value)
    assert "data row 1001 (time 20.00 s)" in text and "to 1 (like g)" in text
    assert "it changes 2 times in the file" in text


def test_a_stretch_in_mg_beyond_full_scale_is_called_mixed_not_counts(
    write_csv: Callable[..., Path],
) -> None:
    """1000 mg reads beyond 64 g in m/s^2: the rows check, not the rest check, sees it."""
    acc, gyr = _still(3000, seed=2)
    acc[1000:2000] *= 1000.0 / STANDARD_GRAVITY  # a stretch in mg
    with pytest.raises(ImportOptionsError) as err:
        import_csv(write_csv(_frame(acc, gyr)))
    text = str(err.value)
    assert "from data row 1001 on, 1000 rows read about 1000" in text, text
    assert "the other 2000 rows about 9.807 (gravity in m/s^2): the file mixes units" in text
    assert "pass --acc-unit counts" not in text


def test_a_whole_file_in_mg_is_still_told_to_be_counts(write_csv: Callable[..., Path]) -> None:
    acc, gyr = _still(3000, seed=2)
    with pytest.raises(ImportOptionsError, match="pass --acc-unit counts"):
        import_csv(write_csv(_frame(acc * 1000.0 / STANDARD_GRAVITY, gyr)))


def test_no_unit_check_lets_a_mixed_file_through(write_csv: Callable[..., Path]) -> None:
    acc, gyr = _still(3000)
    acc[1500:] /= STANDARD_GRAVITY
    (imported,) = import_csv(write_csv(_frame(acc, gyr)), CsvOptions(check_units=False))
    assert imported.recording.n_samples == 3000


def test_rest_level_change_finds_the_exact_sample_and_both_levels() -> None:
    acc, _ = _still(2000, seed=3)
    acc[1234:] /= STANDARD_GRAVITY
    change = rest_level_change(acc, RATE_HZ)
    assert change is not None
    assert change.index == 1234 and change.n_changes == 1
    assert change.before == pytest.approx(STANDARD_GRAVITY, rel=0.01)
    assert change.after == pytest.approx(1.0, rel=0.01)
    assert change.ratio == pytest.approx(STANDARD_GRAVITY, rel=0.02)


def test_a_short_odd_steady_moment_is_no_unit() -> None:
    """Less than a second at another level (a glitch, a bump) is left out."""
    acc, _ = _still(2000, seed=4)
    acc[1000:1040] *= 2.0  # 0.8 s
    assert rest_level_change(acc, RATE_HZ) is None


@pytest.mark.parametrize("path", sorted(RECORDINGS.glob("*.parquet")), ids=lambda p: p.stem)
def test_no_bundled_recording_shows_a_change_of_unit(path: Path) -> None:
    recording = read_recording(path)
    assert rest_level_change(recording.acc, recording.sampling_rate_hz) is None
    # nor anything near it: the levels at rest agree far within the ratio taken for a unit
    assert rest_level_change(
        recording.acc, recording.sampling_rate_hz, min_ratio=1 + (MIXED_UNIT_MIN_RATIO - 1) / 3
    ) is None


def test_the_bundled_reverse_crunch_with_its_second_half_in_g_is_refused(
    write_csv: Callable[..., Path],
) -> None:
    """The trial's file: the advice was "pass --acc-unit g", which then gave 12 reps."""
    rec = read_recording(RECORDINGS / "reverse_crunch.parquet")
    acc = rec.acc.copy()
    half = rec.n_samples // 2
    acc[half:] /= STANDARD_GRAVITY
    path = write_csv(_frame(acc, rec.gyr, rec.sampling_rate_hz), "rc_mixed.csv")
    for unit in ("m/s^2", "g"):
        with pytest.raises(ImportOptionsError, match=f"data row {half + 1} ") as err:
            import_csv(path, CsvOptions(acc_unit=unit))  # type: ignore[arg-type]
        assert "mixes units" in str(err.value)


# --- noise and no stable rest --------------------------------------------------------------


def test_loud_noise_gets_no_unit_advice(write_csv: Callable[..., Path]) -> None:
    """Still data under noise of 8 m/s^2: its quietest moments read 15 m/s^2, once "counts"."""
    acc, gyr = _still(6000, seed=5, acc_noise=8.0)
    path = write_csv(_frame(acc, gyr))
    for unit in ("m/s^2", "g"):
        with pytest.raises(ImportOptionsError) as err:
            import_csv(path, CsvOptions(acc_unit=unit))  # type: ignore[arg-type]
        text = str(err.value)
        assert "no stable rest" in text and "cannot be told" in text, text
        assert "looks like random noise" in text
        assert "pass --acc-unit" not in text
    with pytest.raises(ImportOptionsError, match="cannot scale raw counts: the data shows no "
                       "stable rest"):
        import_csv(path, CsvOptions(acc_unit="counts"))


def test_noise_with_a_plausible_magnitude_imports_with_a_warning(
    write_csv: Callable[..., Path],
) -> None:
    acc, gyr = _still(6000, seed=6, acc_noise=3.0)
    (imported,) = import_csv(write_csv(_frame(acc, gyr)))
    warnings = " ".join(imported.report.warnings)
    assert "no still moment in 120 s" in warnings and "looks like random noise" in warnings
    assert "reps found in this data mean nothing" in warnings


def test_a_real_recording_is_not_taken_for_noise(write_csv: Callable[..., Path]) -> None:
    rec = read_recording(RECORDINGS / "reverse_crunch.parquet")
    (imported,) = import_csv(write_csv(_frame(rec.acc, rec.gyr, rec.sampling_rate_hz)))
    assert not any("noise" in w for w in imported.report.warnings)


def test_smooth_movement_without_rest_still_gets_unit_advice(
    write_csv: Callable[..., Path],
) -> None:
    """No still period, but smooth and steady in magnitude: "looks like g" is still said."""
    acc, gyr = _rocking(3000, seed=7, rest_s=0.0)
    with pytest.raises(ImportOptionsError, match="looks like g: pass --acc-unit g"):
        import_csv(write_csv(_frame(acc / STANDARD_GRAVITY, gyr)))


def test_lag1_correlation_tells_noise_from_movement() -> None:
    rng = np.random.default_rng(8)
    noise = rng.normal(0, 1, (5000, 3))
    t = np.arange(5000) / RATE_HZ
    movement = np.column_stack([np.sin(2 * np.pi * 0.5 * t), np.cos(2 * np.pi * 0.3 * t), t * 0])
    assert abs(lag1_correlation(noise)) < 0.05
    assert lag1_correlation(movement) > 0.99
    noise[::7] = np.nan  # gaps are skipped
    assert abs(lag1_correlation(noise)) < NOISE_MAX_LAG1_CORR


# --- mixed gyro units ----------------------------------------------------------------------


def _span(text: str) -> tuple[int, int]:
    """The data rows a message places a change between (or at)."""
    rows = [int(part.split(" ")[0]) for part in text.split("data row ")[1:3]]
    return rows[0], rows[-1] if "between data row" in text else rows[0]


@pytest.mark.parametrize(
    ("unit", "says"), [("rad/s", "read as rad/s, it tilts the sensor"),
                       ("deg/s", "read as deg/s, it turns")]
)
def test_the_reverse_crunch_with_its_gyro_in_deg_s_from_half_way_is_refused(
    write_csv: Callable[..., Path], unit: str, says: str
) -> None:
    """As rad/s the range check advised deg/s, which made the first half 57x too small."""
    rec = read_recording(RECORDINGS / "reverse_crunch.parquet")
    gyr = rec.gyr.copy()
    half = rec.n_samples // 2
    gyr[half:] = np.degrees(gyr[half:])
    path = write_csv(_frame(rec.acc, gyr, rec.sampling_rate_hz))
    with pytest.raises(ImportOptionsError) as err:
        import_csv(path, CsvOptions(gyr_unit=unit))  # type: ignore[arg-type]
    text = str(err.value)
    assert "the gyroscope's scale changes" in text and says in text, text
    assert "the file mixes units" in text and "pass --gyr-unit" not in text
    first, last = _span(text)
    assert first <= half + 1 <= last  # a set break hides the exact row: a range holding it


def test_a_gyro_switching_unit_mid_movement_is_placed_at_its_row(
    write_csv: Callable[..., Path],
) -> None:
    acc, gyr = _rocking(3000, seed=9, rest_s=1.0)
    gyr[1750:] = np.degrees(gyr[1750:])  # mid-tilt (the tilt runs 1700-1800)
    with pytest.raises(ImportOptionsError, match="gyroscope's scale changes") as err:
        import_csv(write_csv(_frame(acc, gyr)))
    first, last = _span(str(err.value))
    assert 1740 <= first <= 1751 <= last <= 1760, str(err.value)


def test_the_summary_of_a_recording_tells_mixed_units_and_noise() -> None:
    acc, gyr = _still(3000)
    acc[1500:] /= STANDARD_GRAVITY
    mixed = summarize(Recording(acc, gyr, RecordingMeta(sampling_rate_hz=RATE_HZ)))
    assert mixed.rest_change is not None and mixed.rest_change.index == 1500
    noisy, gyr = _still(3000, acc_noise=3.0)
    noise = summarize(Recording(noisy, gyr, RecordingMeta(sampling_rate_hz=RATE_HZ)))
    assert noise.rest_change is None and noise.gravity.method != "still"
    assert abs(noise.acc_lag1_correlation) < NOISE_MAX_LAG1_CORR
    real = summarize(read_recording(RECORDINGS / "reverse_crunch.parquet"))
    assert real.rest_change is None and real.acc_lag1_correlation > 0.9


def test_imu_info_warns_of_a_parquet_recording_that_mixes_units_or_is_noise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Parquet input skips the CSV import's checks: imu info must still say it."""
    from imu.cli import main
    from imu.io import write_recording

    acc, gyr = _still(3000)
    acc[1500:] /= STANDARD_GRAVITY
    mixed = tmp_path / "mixed.parquet"
    write_recording(Recording(acc, gyr, RecordingMeta(sampling_rate_hz=RATE_HZ)), mixed)
    noisy, gyr = _still(3000, acc_noise=3.0)
    noise = tmp_path / "noise.parquet"
    write_recording(Recording(noisy, gyr, RecordingMeta(sampling_rate_hz=RATE_HZ)), noise)
    assert main(["info", str(mixed)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "at rest changes at sample 1500" in out and "mixes units" in out
    assert main(["info", str(noise)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "looks like random noise" in out
    assert main(["info", str(RECORDINGS / "reverse_crunch.parquet")]) == 0
    assert "WARNING" not in capsys.readouterr().out
