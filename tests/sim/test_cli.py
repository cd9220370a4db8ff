"""``imu simulate`` through :func:`imu.cli.main`, and the bundled recordings."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.io import read_recording
from imu.sim import EXERCISES, FAULTS, TRUTH_COLUMNS, read_truth
from imu.sim.bundle import BUNDLE

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def test_simulate_writes_recording_and_truth(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.parquet"
    code = main(["simulate", "reverse-crunch", "--tempo", "3-1-3", "--reps", "3", "--sets", "2",
                 "--seed", "5", "--rest", "5", "--rate", "52", "--out", str(out),
                 "--faults", "swing=0.5,dropped_eccentric=0.2", "--packet-loss", "0.05"])
    assert code == 0
    rec = read_recording(out)
    truth = read_truth(tmp_path / "s.truth.csv")
    assert rec.sampling_rate_hz == 52 and rec.meta.tempo == "3-1-3"
    assert rec.meta.participant == "sim-5" and rec.meta.source == "simulator"
    assert tuple(truth.columns) == TRUTH_COLUMNS and len(truth) == 6
    assert truth["side"].eq("").all() and truth["swing"].dtype == bool
    printed = capsys.readouterr().out
    assert "6 reps" in printed and "s.truth.csv" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crunchies"], "unknown exercise 'crunchies'"),
        (["plank", "--rate", "100"], "sampling rate 100 Hz"),
        (["leg-raise", "--tempo", "3010"], "four-digit"),
        (["leg-raise", "--tempo", "a-b-c"], "not numeric"),
        (["leg-raise", "--faults", "swing"], "NAME=RATE"),
        (["plank", "--faults", "swing=0.3"], "does not apply to plank"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "x.parquet"
    assert main(["simulate", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("imu simulate: error:") and message in err
    assert not out.exists()


def test_help_teaches_exercises_faults_and_tempo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for name in (*EXERCISES, *FAULTS):
        assert name in text
    assert "up-hold-down" in text and "example:" in text


@pytest.mark.parametrize("item", BUNDLE, ids=lambda i: i.stem)
def test_bundled_recordings_are_present_small_and_consistent(item: object) -> None:
    stem = item.stem
    rec_path = RECORDINGS / f"{stem}.parquet"
    assert rec_path.stat().st_size < 300_000
    rec = read_recording(rec_path)
    truth = read_truth(RECORDINGS / f"{stem}.truth.csv")
    assert rec.meta.exercise == item.exercise
    assert tuple(truth.columns) == TRUTH_COLUMNS
    assert truth["ecc_end_s"].max() < rec.duration_s
    assert (RECORDINGS / "README.md").read_text().count(f"`{stem}.parquet`") == 1
