"""CSV import: default layout, every unit option, timing report, gaps, rate, groups, errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.errors import ImportOptionsError, RecordingError
from imu.frames import STANDARD_GRAVITY
from imu.io import CsvOptions, import_csv
from tests.io.helpers import synthetic_samples

WriteCsv = Callable[..., Path]
ACC3 = ["acc_x", "acc_y", "acc_z"]
GYR3 = ["gyr_x", "gyr_y", "gyr_z"]


def _magnitude_at_rest(acc: np.ndarray, n_still: int) -> float:
    return float(np.median(np.linalg.norm(acc[:n_still], axis=1)))


def test_default_layout_needs_no_options(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    [imp] = import_csv(write_csv(samples, "plain.csv"))
    rec, report = imp.recording, imp.report
    assert rec.n_samples == len(samples)
    assert report.rate_estimated and report.rate_hz == 50.0
    np.testing.assert_allclose(rec.acc, samples[ACC3].to_numpy(), atol=1e-9)
    np.testing.assert_allclose(rec.gyr, samples[GYR3].to_numpy(), atol=1e-9)
    assert rec.meta.gaps == ()
    assert rec.meta.start_time_s == 0.0  # relative time
    assert rec.meta.source == "plain.csv"
    assert imp.name == "plain"
    assert abs(report.gravity.magnitude - STANDARD_GRAVITY) < 0.05
    assert report.gravity.method == "still"


def test_rate_estimation_is_reported(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    [imp] = import_csv(write_csv(samples))
    text = "\n".join(imp.report.summary_lines())
    assert "50 Hz ESTIMATED" in text
    assert "--rate" in text
    assert "estimated" in imp.recording.meta.notes["import_rate"]


def test_given_rate_is_used_and_not_called_estimated(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    [imp] = import_csv(write_csv(samples), CsvOptions(rate_hz=25.0))
    assert not imp.report.rate_estimated
    assert imp.recording.sampling_rate_hz == 25.0
    assert imp.recording.n_samples == 250
    assert "ESTIMATED" not in "\n".join(imp.report.summary_lines())
    assert imp.report.estimated_rate_hz == 50.0


def test_a_grid_far_above_the_timestamps_rate_is_refused(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """50 Hz data on a 10 kHz grid would invent 200 samples per measured one (and gigabytes)."""
    refused = r"--rate 10000 Hz is 200 times the 50 Hz.*at most 400 Hz"
    with pytest.raises(ImportOptionsError, match=refused):
        import_csv(write_csv(samples), CsvOptions(rate_hz=10000.0))
    [imp] = import_csv(write_csv(samples), CsvOptions(rate_hz=400.0))  # 8 times: still allowed
    assert imp.recording.sampling_rate_hz == 400.0


@pytest.mark.parametrize(("unit", "factor"), [("s", 1.0), ("ms", 1e3), ("us", 1e6), ("ns", 1e9)])
def test_time_units(unit: str, factor: float, samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.rename(columns={"time_s": "t"})
    frame["t"] = frame["t"] * factor
    if unit == "ns":
        frame["t"] = (frame["t"].round() + 1_700_000_000 * 10**9).astype("int64")  # Unix ns
    opts = CsvOptions(time_col="t", time_unit=unit)  # type: ignore[arg-type]
    [imp] = import_csv(write_csv(frame), opts)
    assert imp.recording.sampling_rate_hz == 50.0
    assert imp.recording.n_samples == len(samples)
    if unit == "ns":
        assert imp.recording.meta.start_time_s == pytest.approx(1.7e9)


def test_absolute_time_is_kept_as_start(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.assign(time_s=samples["time_s"] + 1322832772.5)
    [auto] = import_csv(write_csv(frame))
    assert auto.recording.meta.start_time_s == pytest.approx(1322832772.5)
    [rel] = import_csv(write_csv(frame), CsvOptions(time_origin="relative"))
    assert rel.recording.meta.start_time_s == 0.0


def test_acc_in_g(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.copy()
    frame[ACC3] = frame[ACC3] / STANDARD_GRAVITY
    [imp] = import_csv(write_csv(frame), CsvOptions(acc_unit="g"))
    np.testing.assert_allclose(imp.recording.acc, samples[ACC3].to_numpy(), atol=1e-9)


def test_gyro_in_deg_s(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.copy()
    frame[GYR3] = np.degrees(frame[GYR3])
    [imp] = import_csv(write_csv(frame), CsvOptions(gyr_unit="deg/s"))
    np.testing.assert_allclose(imp.recording.gyr, samples[GYR3].to_numpy(), atol=1e-9)


def test_acc_in_counts_scaled_by_gravity_at_rest(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.rename(columns={"acc_x": "ax", "acc_y": "ay", "acc_z": "az"})
    frame[["ax", "ay", "az"]] = (frame[["ax", "ay", "az"]] * (4096 / STANDARD_GRAVITY)).round()
    opts = CsvOptions(acc_cols=("ax", "ay", "az"), acc_unit="counts")
    [imp] = import_csv(write_csv(frame), opts)
    assert _magnitude_at_rest(imp.recording.acc, 200) == pytest.approx(STANDARD_GRAVITY, rel=2e-3)
    assert imp.report.acc_scale == pytest.approx(STANDARD_GRAVITY / 4096, rel=5e-3)
    assert imp.recording.meta.notes["import_acc_unit"] == "counts"


@pytest.mark.parametrize(
    ("divide_by", "declared", "looks"),
    [(STANDARD_GRAVITY, "m/s^2", "g"), (1.0, "g", "m/s^2"), (1 / 400, "m/s^2", "counts")],
)
def test_wrong_acc_unit_is_detected(
    divide_by: float, declared: str, looks: str, samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = samples.copy()
    frame[ACC3] = frame[ACC3] / divide_by
    path = write_csv(frame, "wrong.csv")
    with pytest.raises(ImportOptionsError, match=rf"wrong\.csv.*--acc-unit {re.escape(looks)}"):
        import_csv(path, CsvOptions(acc_unit=declared))  # type: ignore[arg-type]
    # the check can be turned off
    import_csv(path, CsvOptions(acc_unit=declared, check_units=False))  # type: ignore[arg-type]


def test_gyro_in_deg_s_declared_rad_s_is_detected(write_csv: WriteCsv) -> None:
    frame = synthetic_samples(moving_from=0.0)
    frame[GYR3] = np.degrees(frame[GYR3]) * 40  # fast spin, in deg/s
    with pytest.raises(ImportOptionsError, match="--gyr-unit deg/s"):
        import_csv(write_csv(frame), CsvOptions(check_units=True))


def test_time_in_ms_declared_s_is_detected(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.assign(time_s=samples["time_s"] * 1000)
    with pytest.raises(ImportOptionsError, match="--time-unit ms"):
        import_csv(write_csv(frame))


def test_bursty_timestamps_and_gaps(write_csv: WriteCsv) -> None:
    frame = synthetic_samples(n=1000, rate_hz=50.0)
    t = frame["time_s"].to_numpy().copy()
    t[1::2] = t[::2][: len(t[1::2])] + 1e-4  # every other sample arrives 0.1 ms after its pair
    frame["time_s"] = t
    frame = frame[(t < 5.0) | (t > 6.0)]  # a 1 s hole
    [imp] = import_csv(write_csv(frame), CsvOptions(rate_hz=50.0, max_gap_s=0.25))
    report, rec = imp.report, imp.recording
    assert report.timing.irregular
    assert report.timing.bursty_share > 0.4
    assert report.timing.max_interval_s > 0.9
    assert report.n_gaps == 1
    [gap] = rec.meta.gaps
    assert 0.9 < gap.n_samples / 50.0 < 1.1
    assert np.isnan(rec.acc[gap.start : gap.end]).all()
    assert np.isnan(rec.gyr[gap.start : gap.end]).all()
    outside = np.ones(rec.n_samples, bool)
    outside[gap.start : gap.end] = False
    assert np.isfinite(rec.acc[outside]).all()
    assert "IRREGULAR" in "\n".join(report.summary_lines())


def test_out_of_order_and_duplicates_are_sorted_dropped_and_counted(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    frame = pd.concat([samples, samples.iloc[[10, 20, 30]]])  # 3 duplicate timestamps
    order = np.r_[0:100, 150:200, 100:150, 200 : len(frame)]  # a block out of order
    frame = frame.take(order)
    [imp] = import_csv(write_csv(frame), CsvOptions(rate_hz=50.0))
    assert imp.report.n_duplicates == 3
    assert imp.report.n_out_of_order >= 1
    assert imp.recording.n_samples == len(samples)
    np.testing.assert_allclose(imp.recording.acc, samples[ACC3].to_numpy(), atol=1e-9)


@pytest.mark.parametrize("jitter_s", [0.0, 0.003])
def test_two_recordings_in_one_file_are_refused_not_interleaved(
    write_csv: WriteCsv, jitter_s: float
) -> None:
    """Two sessions that each start at 0 s would sort into one at twice the rate."""
    rng = np.random.default_rng(0)
    parts = []
    for seed in (1, 2):
        part = synthetic_samples(n=300, seed=seed)
        part["time_s"] += rng.uniform(-jitter_s, jitter_s, len(part))
        parts.append(part.sort_values("time_s"))
    first, second = parts
    with pytest.raises(ImportOptionsError, match=r"starts again: at data row 301 .*more than one"):
        import_csv(write_csv(pd.concat([first, second]), "two.csv"))


def test_a_clock_put_back_before_the_files_start_is_refused_not_sorted(
    write_csv: WriteCsv
) -> None:
    """Trial 23: naive local times across the end of daylight saving time (02:58 to 02:59:59,
    then 02:00 on) were sorted: the session's end came first, an hour of gap after it."""
    first = synthetic_samples(n=300, seed=1)
    first["time_s"] += 3480.0  # 02:58 in s after 02:00
    second = synthetic_samples(n=300, seed=2)  # 02:00 on: before every earlier time
    with pytest.raises(ImportOptionsError,
                       match=r"jumps back: at data row 301 .*before the file's first time"):
        import_csv(write_csv(pd.concat([first, second]), "dst.csv"))
    # A first block written last, joining the rest with no hole: a glitch, sorted (review).
    late_first = synthetic_samples(n=600, seed=4)
    moved = pd.concat([late_first.iloc[150:], late_first.iloc[:150]])
    [imp] = import_csv(write_csv(moved, "late_first.csv"), CsvOptions(rate_hz=50.0))
    assert imp.recording.n_samples == 600
    # A late block that fills a hole inside the file is a glitch, sorted as before.
    whole = synthetic_samples(n=600, seed=3)
    moved = pd.concat([whole.iloc[:200], whole.iloc[300:], whole.iloc[200:300]])
    [imp] = import_csv(write_csv(moved, "hole.csv"), CsvOptions(rate_hz=50.0))
    assert imp.recording.n_samples == 600


def test_empty_cells_drop_rows_and_are_counted(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.copy()
    frame.loc[[5, 6], "gyr_y"] = np.nan
    [imp] = import_csv(write_csv(frame), CsvOptions(rate_hz=50.0))
    assert imp.report.n_incomplete == 2
    assert np.isfinite(imp.recording.gyr).all()  # 2 missing samples < gap limit: interpolated


def test_rows_with_a_time_and_no_sensor_value_are_gaps_not_glitches(
    write_csv: WriteCsv,
) -> None:
    """Trial: a logger that wrote its time column for 12 s before the sensor sent anything (a
    fifth of the file) was refused ("too many to drop", cut the file by hand), and so was one
    whose link dropped for 8 s mid-way. Those rows hold no sample at all: the sensor sent
    nothing then. They are dropped whatever their number; a run of them in the middle is a
    marked gap, and the recording starts at the first sample."""
    frame = synthetic_samples(n=3000, seed=4)
    sensors = [*ACC3, *GYR3]
    frame.loc[:599, sensors] = np.nan  # 12 s before the sensor started
    frame.loc[1500:1899, sensors] = np.nan  # 8 s lost mid-way
    [imp] = import_csv(write_csv(frame, "blank.csv"), CsvOptions(rate_hz=50.0))
    rec, report = imp.recording, imp.report
    assert report.n_blank == 1000 and report.n_incomplete == 0
    assert rec.duration_s == pytest.approx(60.0 - 12.0, abs=0.05)  # from the first sample
    [gap] = rec.meta.gaps
    assert gap.start / 50.0 == pytest.approx(30.0 - 12.0, abs=0.05)
    assert gap.n_samples / 50.0 == pytest.approx(8.0, abs=0.05)
    assert "1000 rows with a time but no sensor value" in report.repairs.line()
    assert "starts at its first sample, 12.0 s after the file's first row" in (
        report.repairs.line())
    # A row with only some values empty is still a glitch, and too many of them still stop
    # the import, naming the column (not the blank rows).
    frame.loc[2000:2399, "gyr_y"] = np.nan
    with pytest.raises(ImportOptionsError, match=r"'gyr_y' is empty in 400 rows") as err:
        import_csv(write_csv(frame, "partial.csv"), CsvOptions(rate_hz=50.0))
    assert "'acc_x'" not in str(err.value)
    # A file with no sensor value at all is still refused.
    frame.loc[:, sensors] = np.nan
    with pytest.raises(ImportOptionsError, match="empty"):
        import_csv(write_csv(frame, "none.csv"), CsvOptions(rate_hz=50.0))


def test_split_by_groups(write_csv: WriteCsv) -> None:
    parts = []
    for i, (who, what) in enumerate([("ann", "A"), ("ann", "B"), ("bob", "A")]):
        part = synthetic_samples(n=200 + 50 * i, seed=i)
        part["time_s"] += 100 * i
        parts.append(part.assign(person=who, kind=what))
    frame = pd.concat(parts)
    opts = CsvOptions(split_by=("person", "kind"), participant_col="person", rate_hz=50.0)
    result = import_csv(write_csv(frame), opts)
    assert [r.name for r in result] == ["ann_A", "ann_B", "bob_A"]
    for i, imp in enumerate(result):
        meta = imp.recording.meta
        assert imp.recording.n_samples == 200 + 50 * i
        assert meta.participant == ["ann", "ann", "bob"][i]
        assert meta.notes["person"] == meta.participant
        assert meta.notes["kind"] == ["A", "B", "A"][i]
        [ann] = meta.annotations
        assert ann.start_s == 0.0 and ann.end_s == pytest.approx(imp.recording.duration_s)
        assert "person=" in ann.label and "kind=" in ann.label
        assert imp.report.group == (("person", meta.participant), ("kind", meta.notes["kind"]))


def test_participant_column_must_be_constant_without_split(write_csv: WriteCsv) -> None:
    frame = synthetic_samples().assign(person=["a"] * 250 + ["b"] * 250)
    with pytest.raises(ImportOptionsError, match="add person to --split-by"):
        import_csv(write_csv(frame), CsvOptions(participant_col="person"))


# --- bad files --------------------------------------------------------------------------------


def test_missing_column_names_file_column_and_fix(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    path = write_csv(samples.drop(columns=["gyr_z"]), "nogyr.csv")
    with pytest.raises(ImportOptionsError, match=r"nogyr\.csv.*'gyr_z' not found.*--gyr-cols"):
        import_csv(path)


def test_non_numeric_value_is_located(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    frame = samples.astype({"acc_y": object})
    frame.loc[17, "acc_y"] = "oops"
    path = write_csv(frame, "text.csv")
    with pytest.raises(ImportOptionsError, match=r"text\.csv.*'acc_y'.*row 18.*'oops'"):
        import_csv(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(RecordingError, match=r"empty\.csv.*empty"):
        import_csv(path)


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n")
    with pytest.raises(RecordingError, match=r"head\.csv.*no data rows"):
        import_csv(path)


def test_truncated_csv(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    path = write_csv(samples, "cut.csv")
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b",", 0, len(data) - 40)])  # cut inside the last row
    with pytest.raises(RecordingError, match=r"cut\.csv.*truncated"):
        import_csv(path)


def test_binary_and_parquet_files_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)))
    with pytest.raises(RecordingError, match=r"junk\.csv.*binary"):
        import_csv(junk)
    par = tmp_path / "rec.csv"
    par.write_bytes(b"PAR1" + b"\x00" * 20)
    with pytest.raises(RecordingError, match=r"rec\.csv.*Parquet"):
        import_csv(par)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="no such file"):
        import_csv(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate_hz": -1.0},
        {"max_gap_s": 0.0},
        {"acc_unit": "furlongs"},
        {"gyr_unit": "rpm"},
        {"time_unit": "fortnight"},
        {"acc_cols": ("a", "b")},
        {"counts_scale_by": ("who",)},
        {"rate_hz": 10.0, "max_gap_s": 0.01},
    ],
)
def test_bad_options(kwargs: dict[str, object]) -> None:
    with pytest.raises(ImportOptionsError):
        CsvOptions(**kwargs)  # type: ignore[arg-type]


def test_swapped_acc_and_gyro_columns_are_named_not_taken_for_counts(
    write_csv: WriteCsv,
) -> None:
    """The gyro's columns given as the accelerometer's (and back): the acceleration reads
    0.2 at rest, which used to be answered with "pass --acc-unit counts" (and then "no reps,
    curl the pelvis"): the gyro columns read gravity, so the message says they are swapped."""
    frame = synthetic_samples()
    swapped = frame.rename(columns=dict(zip(ACC3 + GYR3, GYR3 + ACC3, strict=True)))
    with pytest.raises(ImportOptionsError, match="look swapped; check --acc-cols and --gyr-cols"):
        import_csv(write_csv(swapped))


def test_an_acceleration_near_zero_is_no_unit(write_csv: WriteCsv) -> None:
    frame = synthetic_samples()
    frame[ACC3] = frame[ACC3] / 50.0  # 0.2: not g, not m/s^2, not counts
    with pytest.raises(ImportOptionsError, match="in any unit; check --acc-cols") as info:
        import_csv(write_csv(frame))
    assert "--acc-unit counts" not in str(info.value)


def test_coarse_counts_are_still_answered_with_counts(write_csv: WriteCsv) -> None:
    """16 counts per g (an 8-bit sensor at +-8 g) reads 16 at rest: counts, not 'no unit'."""
    frame = synthetic_samples()
    frame[ACC3] = frame[ACC3] * 16.0 / STANDARD_GRAVITY
    with pytest.raises(ImportOptionsError, match="pass --acc-unit counts"):
        import_csv(write_csv(frame))
    [imp] = import_csv(write_csv(frame, "counts.csv"), CsvOptions(acc_unit="counts"))
    assert imp.recording.n_samples == len(frame)


@pytest.mark.parametrize("zone", [None, "Europe/Berlin"])
def test_a_parquet_table_with_datetime_times_imports_as_seconds(
    samples: pd.DataFrame, tmp_path: Path, zone: str | None
) -> None:
    """datetime64 times read as 1.7e18 s: 'cannot estimate a sampling rate (got 0.0)'."""
    from imu.io.load import import_parquet

    start = pd.Timestamp("2024-05-01 10:00", tz=zone)
    frame = samples.assign(time_s=start + pd.to_timedelta(samples["time_s"], unit="s"))
    path = tmp_path / "dates.parquet"
    frame.to_parquet(path)
    [imp] = import_parquet(path, CsvOptions(time_unit="ms"))  # a datetime carries its own unit
    assert imp.report.rate_hz == 50.0
    assert imp.recording.n_samples == len(samples)
    assert imp.recording.meta.start_time_s == pytest.approx(start.timestamp())


def test_comment_lines_above_the_header_and_blanks_in_its_names_are_read(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    """'# exported by ...' was taken as the header; ' time_s' did not match 'time_s'."""
    text = samples.to_csv(index=False)
    header, body = text.split("\n", 1)
    path = tmp_path / "export.csv"
    path.write_text("# exported by app v1\n# units: SI, a comma\n" + header.replace(",", ", ")
                    + "\n" + body)
    [imp] = import_csv(path)
    assert imp.recording.n_samples == len(samples)
    np.testing.assert_allclose(imp.recording.acc, samples[ACC3].to_numpy(), atol=1e-9)


def test_time_col_none_without_a_rate_asks_for_the_rate(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    with pytest.raises(ImportOptionsError, match=r"--time-col none .* add --rate HZ"):
        import_csv(write_csv(samples.drop(columns="time_s")), CsvOptions(time_col="none"))


def test_a_constant_time_column_says_so(samples: pd.DataFrame, write_csv: WriteCsv) -> None:
    """It said 'its 1 distinct times are at least nan s apart'."""
    with pytest.raises(ImportOptionsError, match="every row has the same time") as info:
        import_csv(write_csv(samples.assign(time_s=5.0)))
    assert "nan" not in str(info.value)


def test_an_unknown_exercise_label_is_warned_about(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """`--exercise-col` took 'crunches' silently; analyze then stopped on it."""
    [imp] = import_csv(write_csv(samples.assign(ex="crunches")), CsvOptions(exercise_col="ex"))
    assert imp.recording.meta.exercise == "crunches"
    assert any("'crunches' (column 'ex') is no known exercise" in w for w in imp.report.warnings)
    [ok] = import_csv(write_csv(samples.assign(ex="Reverse Crunch")), CsvOptions(exercise_col="ex"))
    assert not any("exercise" in w for w in ok.report.warnings)


def test_copies_and_blocks_out_of_order_are_no_second_recording(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """Every row written twice, blocks out of order: repaired, not 'starts again'."""
    order = np.r_[0:100, 150:200, 100:150, 200 : len(samples)]
    frame = pd.concat([samples.take(order)] * 2)
    [imp] = import_csv(write_csv(frame), CsvOptions(rate_hz=50.0))
    assert imp.recording.n_samples == len(samples)
    np.testing.assert_allclose(imp.recording.acc, samples[ACC3].to_numpy(), atol=1e-9)


def test_a_short_second_recording_is_refused_at_its_own_row(write_csv: WriteCsv) -> None:
    """A 2 s second recording (8% of the rows) sorted silently into the first 2 s."""
    first = synthetic_samples(n=1200, seed=1)
    second = synthetic_samples(n=100, seed=2)
    first.iloc[[5, 6]] = first.iloc[[6, 5]].to_numpy()  # a glitch before the restart
    with pytest.raises(ImportOptionsError, match=r"starts again: at data row 1201 "):
        import_csv(write_csv(pd.concat([first, second]), "short.csv"))


def test_a_header_written_as_a_comment_is_still_the_header(
    samples: pd.DataFrame, tmp_path: Path
) -> None:
    """numpy.savetxt(header=...) writes '# time_s,...' right above the data."""
    path = tmp_path / "savetxt.csv"
    cols = ["time_s", *ACC3, *GYR3]
    np.savetxt(path, samples[cols].to_numpy(), delimiter=",", header=",".join(cols))
    assert path.read_text().startswith("# time_s,")
    [imp] = import_csv(path)
    assert imp.recording.n_samples == len(samples)  # the first data row is data, not a header


def test_integer_nanoseconds_read_as_seconds_name_the_unit(
    samples: pd.DataFrame, write_csv: WriteCsv
) -> None:
    """It said 'cannot estimate a sampling rate (got 0.0); give one with --rate', which failed."""
    ns = (1_700_000_000 * 10**9 + (samples["time_s"] * 1e9).round()).astype("int64")
    with pytest.raises(ImportOptionsError, match="pass --time-unit ns"):
        import_csv(write_csv(samples.assign(time_s=ns)))


def test_long_split_by_values_give_short_distinct_names(write_csv: WriteCsv) -> None:
    """A 300-character group value wrote the first file and then failed: 'File name too
    long'. Names are cut to MAX_GROUP_NAME characters and keep a hash of the whole value."""
    from imu.io.csv_import import MAX_GROUP_NAME

    parts = []
    for i, who in enumerate(["p" * 300, "p" * 299 + "q"]):
        part = synthetic_samples(n=200, seed=i)
        part["time_s"] += 100 * i
        parts.append(part.assign(person=who))
    result = import_csv(write_csv(pd.concat(parts)), CsvOptions(split_by=("person",),
                                                                rate_hz=50.0))
    names = [r.name for r in result]
    assert len(set(names)) == 2
    assert all(len(n) <= MAX_GROUP_NAME and n.startswith("ppp") for n in names)


def test_accented_split_by_values_keep_their_letters(write_csv: WriteCsv) -> None:
    """Trial 20: José's recording was written as Jos.parquet; accents are taken off first
    (as export-bids does: Müller -> Muller)."""
    parts = []
    for i, who in enumerate(["José", "Müller"]):
        part = synthetic_samples(n=200, seed=i)
        part["time_s"] += 100 * i
        parts.append(part.assign(person=who))
    result = import_csv(write_csv(pd.concat(parts)), CsvOptions(split_by=("person",),
                                                                rate_hz=50.0))
    assert sorted(r.name for r in result) == ["Jose", "Muller"]


def test_blank_rows_make_no_room_for_broken_ones(write_csv: WriteCsv) -> None:
    """Review: the 10% limit on rows with an empty value counted the blank rows too, so a
    file of 900 blank rows and 100 real ones, 60 of them missing a gyro value, imported
    without a word, where the same 100 rows alone are refused."""
    frame = synthetic_samples(n=1000, seed=5)
    frame.loc[:899, [*ACC3, *GYR3]] = np.nan
    frame.loc[900:959, "gyr_z"] = np.nan
    with pytest.raises(ImportOptionsError, match=r"'gyr_z' is empty in 60 rows"):
        import_csv(write_csv(frame, "mostly_blank.csv"), CsvOptions(rate_hz=50.0))
