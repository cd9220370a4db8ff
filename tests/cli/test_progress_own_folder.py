"""``imu progress`` over a new user's own ``out/`` folder (the trial).

- ``imu simulate`` files its recording under ``sim-SEED``, live recordings without a
  participant are ``unknown``: the page stopped with "2 participants (sim-1, unknown)". It now
  lists them with their session counts and gives the command to run.
- The folder search's "CSV file(s) left out" note counted the tool's own
  ``progress_weekly.csv`` of an earlier run.
- The bundled recordings have no date: the error says how to give one (a manifest line), and
  ``imu simulate`` dates its recordings.
"""

from __future__ import annotations

import logging
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imu.cli import main
from imu.io.recording import read_recording, write_recording

CRUNCH = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"
DAY_S = 86_400.0
START_S = 1_704_103_200.0  # 2024-01-01 10:00 UTC, a Monday


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three live-like recordings (no participant, dated) and one of 'imu simulate'."""
    root = tmp_path_factory.mktemp("own") / "out"
    root.mkdir()
    live = read_recording(CRUNCH).with_meta(participant=None)
    for i in range(3):
        write_recording(live.with_meta(start_time_s=START_S + 2 * i * DAY_S),
                        root / f"live{i}.parquet")
    assert main(["simulate", "reverse-crunch", "--reps", "4", "--sets", "1", "--seed", "1",
                 "--out", str(root / "sim.parquet")]) == 0
    return root


def test_the_participants_are_listed_with_the_command(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    page = tmp_path / "progress"
    assert main(["progress", str(out), "--out", str(page)]) == 2
    err = capsys.readouterr().err
    assert "unknown (3 sessions: recordings that name no participant" in err
    assert "sim-1 (1 session: simulated by 'imu simulate --seed 1')" in err
    command = shlex.join(["imu", "progress", str(out), "--participant", "unknown",
                          "--out", str(page)])
    assert command in err
    assert "(or --participant sim-1)" in err
    # The command given works as written.
    words = shlex.split(command)
    assert main(words[1:]) == 0
    assert "3 sessions over 1 week" in capsys.readouterr().out


def test_the_own_weekly_table_is_no_csv_left_out(
    out: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = out / "progress"
    assert main(["progress", str(out), "--participant", "unknown", "--out", str(page)]) == 0
    assert (page / "progress_weekly.csv").exists()
    with caplog.at_level(logging.WARNING):
        assert main(["progress", str(out), "--participant", "unknown",
                     "--out", str(page)]) == 0
    said = capsys.readouterr()
    assert "left out" not in said.err + said.out + caplog.text
    # A data CSV is still counted, alone.
    (out / "phone.csv").write_text("time_s,acc_x\n0,1\n")
    try:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert main(["progress", str(out), "--participant", "unknown",
                         "--out", str(page)]) == 0
        said = capsys.readouterr()
        assert "1 CSV file(s) left out" in said.err + caplog.text
    finally:
        (out / "phone.csv").unlink()


def test_undated_recordings_say_how_to_date_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bundled"
    folder.mkdir()
    write_recording(read_recording(CRUNCH), folder / "reverse_crunch.parquet")
    assert main(["progress", str(folder), "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    manifest = folder / "manifest.csv"
    assert "no session has a date" in err
    assert "'file,date' and 'reverse_crunch.parquet,2024-01-15'" in err
    assert f"--manifest {manifest}" in err
    # As it says:
    manifest.write_text("file,date\nreverse_crunch.parquet,2024-01-15\n")
    assert main(["progress", str(folder), "--manifest", str(manifest),
                 "--out", str(tmp_path / "p")]) == 0


def test_an_undated_dataset_says_to_date_it_in_imu_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 25: a dataset of undated recordings was told to pass --manifest to progress;
    passed, the next run said "--manifest is not used: ... is a dataset". The dates go in
    where the dataset is made: 'imu batch --manifest'."""
    from imu.batch import BatchOptions, collect_jobs, run_batch

    folder = tmp_path / "bundled"
    folder.mkdir()
    write_recording(read_recording(CRUNCH), folder / "reverse_crunch.parquet")
    dataset = tmp_path / "ds"
    run_batch(collect_jobs([folder]), dataset, BatchOptions(workers=0))
    assert main(["progress", str(dataset), "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert "no session has a date" in err
    assert "imu batch RECORDINGS --manifest manifest.csv --out DATASET" in err
    assert "and pass it: --manifest" not in err  # the advice for recordings, not a dataset
    # As it says:
    (folder / "manifest.csv").write_text("file,date\nreverse_crunch.parquet,2024-01-15\n")
    dated = tmp_path / "ds2"
    assert main(["batch", str(folder / "reverse_crunch.parquet"), "--manifest",
                 str(folder / "manifest.csv"), "--out", str(dated), "--workers", "0"]) == 0
    assert main(["progress", str(dated), "--out", str(tmp_path / "p2")]) == 0


def test_simulate_dates_its_recording(tmp_path: Path) -> None:
    before = datetime.now(UTC).timestamp()
    assert main(["simulate", "plank", "--sets", "1", "--reps", "1", "--hold", "10",
                 "--out", str(tmp_path / "now.parquet")]) == 0
    start = read_recording(tmp_path / "now.parquet").meta.start_time_s
    assert start is not None and before - 1 <= start <= datetime.now(UTC).timestamp() + 1
    assert main(["simulate", "plank", "--sets", "1", "--reps", "1", "--hold", "10",
                 "--date", "2024-01-08T18:30", "--out", str(tmp_path / "then.parquet")]) == 0
    then = read_recording(tmp_path / "then.parquet").meta.start_time_s
    assert then == datetime(2024, 1, 8, 18, 30, tzinfo=UTC).timestamp()


def test_a_bad_simulate_date_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "plank", "--date", "08/01/2024",
                 "--out", str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert "date '08/01/2024' is not YYYY-MM-DD" in err
    assert not (tmp_path / "x.parquet").exists()


def test_a_date_in_the_right_form_that_is_no_day_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 20: 2024-02-30 was told it "is not YYYY-MM-DD", which it is."""
    assert main(["simulate", "plank", "--date", "2024-02-30",
                 "--out", str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert "date '2024-02-30' is no calendar date (day is out of range for month)" in err
    assert "is not YYYY-MM-DD" not in err


def test_simulated_sessions_of_one_named_participant_make_one_progress_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 20: each simulated session was its own participant (sim-SEED), so 'imu progress'
    over four of them refused with "4 participants"; --participant names one."""
    folder = tmp_path / "rec"
    for seed, date in ((1, "2024-01-08"), (2, "2024-01-15"), (3, "2024-01-22")):
        assert main(["simulate", "reverse-crunch", "--sets", "1", "--reps", "4", "--seed",
                     str(seed), "--date", date, "--participant", "me",
                     "--out", str(folder / f"s{seed}.parquet")]) == 0
    assert read_recording(folder / "s1.parquet").meta.participant == "me"
    capsys.readouterr()
    assert main(["progress", str(folder), "--out", str(tmp_path / "p")]) == 0, \
        capsys.readouterr().err
    assert (tmp_path / "p" / "progress.html").exists()
    # A participant written in another case is the one meant (trial 20: p02 for P02).
    assert main(["progress", str(folder), "--participant", "ME",
                 "--out", str(tmp_path / "q")]) == 0, capsys.readouterr().err
    assert (tmp_path / "q" / "progress.html").exists()


def test_recordings_of_another_exercise_are_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Trial 21: --exercise plank on reverse crunches made a plank page ("longest hold 16 ->
    41 s") without a word, where imu batch warns that they look like reps."""
    folder = tmp_path / "crunches"
    folder.mkdir()
    live = read_recording(CRUNCH)
    assert live.meta.exercise == "reverse-crunch"
    for i in range(2):
        write_recording(live.with_meta(start_time_s=START_S + 2 * i * DAY_S),
                        folder / f"s{i}.parquet")
    # Recordings that name their exercise keep it: --exercise picks the page (trial 22), and
    # there is no plank among them.
    assert main(["progress", str(folder), "--exercise", "plank",
                 "--out", str(tmp_path / "p0")]) == 2
    unnamed = tmp_path / "unnamed"
    unnamed.mkdir()
    for i in range(2):
        write_recording(live.with_meta(start_time_s=START_S + 2 * i * DAY_S, exercise=None,
                                       tempo=None),
                        unnamed / f"s{i}.parquet")
    folder = unnamed  # these are analysed as --exercise says, and said to look like reps
    with caplog.at_level(logging.WARNING, logger="imu"):
        assert main(["progress", str(folder), "--exercise", "plank",
                     "--out", str(tmp_path / "p")]) == 0
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
              and "looks like reps, not holds" in r.getMessage()]
    assert [line.split(": ")[0] for line in warned] == [
        str(folder / "s0.parquet"), str(folder / "s1.parquet")]
    caplog.clear()
    # Analysed as what it is: nothing said.
    with caplog.at_level(logging.WARNING, logger="imu"):
        assert main(["progress", str(folder), "--exercise", "reverse-crunch",
                     "--out", str(tmp_path / "q")]) == 0
    assert not [r for r in caplog.records if "looks like" in r.getMessage()]
