"""``imu analyze FILE --split-by COLS``: one bad group skips that group, not the file.

The trial: the WLE belt file with ``--acc-unit counts`` stopped with exit 2 and wrote nothing
because one group (carlitos, E) has no rest to scale its counts by, while several FILEs are
skipped one by one (exit 1). And with no ``--exercise``, every group was imported first, then
fifteen identical "skipped ... pass --exercise" lines followed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io.csv_import import CsvOptions
from imu.io.load import load_recordings, load_skipping_groups
from imu.io.recording import read_recording
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "dead_bug.parquet"
WLE = Path("/work/shared/data/wle-belt/wle_belt_dev.csv")
WLE_FLAGS = ["--acc-cols", "accel_belt_x,accel_belt_y,accel_belt_z", "--acc-unit", "counts",
             "--gyr-cols", "gyros_belt_x,gyros_belt_y,gyros_belt_z", "--split-by",
             "user_name,classe", "--participant-col", "user_name", "--rate", "25"]


@pytest.fixture(scope="module")
def two_groups(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Group A: a dead bug in raw counts (100 a m/s^2); group B: noise with no rest."""
    rec = read_recording(RECORDING)
    n = rec.n_samples
    t = np.arange(n) / rec.sampling_rate_hz
    rng = np.random.default_rng(1)

    def frame(who: str, acc: np.ndarray, gyr: np.ndarray) -> pd.DataFrame:
        f = pd.DataFrame({"who": who, "time_s": t})
        for i, a in enumerate("xyz"):
            f[f"acc_{a}"] = acc[:, i]
        for i, a in enumerate("xyz"):
            f[f"gyr_{a}"] = gyr[:, i]
        return f.dropna()

    path = tmp_path_factory.mktemp("split") / "two.csv"
    pd.concat([
        frame("A", np.round(rec.acc * 100), rec.gyr),
        frame("B", rng.normal(0, 500, (n, 3)), rng.normal(0, 1, (n, 3))),
    ]).to_csv(path, index=False)
    return path


def test_the_other_groups_are_read(two_groups: Path) -> None:
    options = CsvOptions(split_by=("who",), acc_unit="counts")
    with pytest.raises(ImportOptionsError) as info:
        load_recordings(two_groups, options)
    loaded, skipped = load_skipping_groups(two_groups, options, info.value)
    assert [item.name for item in loaded] == ["A"]
    assert [where for where, _ in skipped] == [f"{two_groups} (who=B)"]
    assert skipped[0][1].startswith("cannot scale raw counts")


def test_an_error_of_the_whole_file_stays_one(two_groups: Path) -> None:
    options = CsvOptions(split_by=("who",), acc_unit="counts")
    error = ImportOptionsError(f"{two_groups}: something about the whole file")
    with pytest.raises(ImportOptionsError) as info:
        load_skipping_groups(two_groups, options, error)
    assert info.value is error


def test_analyze_skips_the_group_and_writes_the_others(
    two_groups: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyze", str(two_groups), "--split-by", "who", "--acc-unit", "counts",
                 "--exercise", "dead-bug", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"skipped {two_groups} (who=B): cannot scale raw counts" in err
    assert "1 recording skipped, 1 analysed (exit code 1)" in err
    assert (tmp_path / "o" / "report.html").exists()


def test_no_exercise_is_said_once_before_importing(
    two_groups: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyze", str(two_groups), "--split-by", "who", "--acc-unit", "counts",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    line = one_error_line(err)  # nothing imported: no "repaired" or per-group lines
    assert "--exercise E" in line and "--exercise-col" in line
    assert not (tmp_path / "o").exists()


def test_a_recording_with_its_exercise_goes_on_without_the_table(
    two_groups: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyze", str(RECORDING), str(two_groups), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1, err
    skips = [line for line in err.splitlines() if "skipped" in line]
    assert len(skips) == 2  # the table, once; then the count
    assert f"skipped {two_groups}: it is a table or export" in skips[0]


@pytest.mark.skipif(not WLE.exists(), reason=f"{WLE} is not here")
def test_the_wle_file_with_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(WLE), *WLE_FLAGS, "--exercise", "dead-bug",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "(user_name=carlitos, classe=E): cannot scale raw counts" in err
    assert "1 recording skipped, 14 analysed" in err
    sessions = pd.read_csv(tmp_path / "o" / "session.csv")
    assert len(sessions) == 14


def test_one_reason_is_said_once_for_every_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Recordings of imu that name no exercise: one line names them all, not one each."""
    rec = read_recording(RECORDING).with_meta(exercise=None)
    from imu.io.recording import write_recording

    for name in ("a", "b", "c"):
        write_recording(rec, tmp_path / f"{name}.parquet")
    files = [str(tmp_path / f"{n}.parquet") for n in ("a", "b", "c")]
    assert main(["analyze", *files, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    skips = [line for line in err.splitlines() if "skipped" in line]
    assert len(skips) == 1, err
    assert skips[0].startswith(f"imu analyze: skipped 3 recordings ({', '.join(files)}): "
                               "the recording does not say which exercise it is")
