"""``imu export-bids FOLDER``: bad files are skipped with a reason, the rest exported, and the
tables of an ``imu batch`` dataset in the folder are left out (not one line per table)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from imu.batch import BatchOptions, collect_jobs, run_batch
from imu.cli import main

PLANK = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recording, a corrupt file and an imu batch dataset made from the recording."""
    root = tmp_path_factory.mktemp("F")
    shutil.copy(PLANK, root / "a.parquet")
    run_batch(collect_jobs([root / "a.parquet"]), root / "dataset", BatchOptions(workers=0))
    assert list((root / "dataset" / "reps").rglob("*.parquet"))
    (root / "bad.parquet").write_bytes(b"junk")
    return root


def _motion_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*_motion.tsv"))


def test_a_bad_file_is_skipped_and_the_rest_exported(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It stopped at bad.parquet (exit 2) and wrote nothing."""
    out = tmp_path / "bids"
    assert main(["export-bids", str(folder), "--out", str(out), "--no-events"]) == 1
    said = capsys.readouterr()
    text = said.out + said.err
    assert len(_motion_files(out)) == 1
    skipped = [line for line in said.out.splitlines() if ": skipped: " in line]
    assert len(skipped) == 1 and skipped[0].startswith(f"{folder / 'bad.parquet'}: skipped: ")
    assert "not a readable Parquet" in skipped[0]
    assert "exported 1 recording" in said.out and "skipped 1 file" in said.out
    # the dataset's tables are no recordings: never one line each
    assert "plain Parquet table" not in text and "imu convert" not in text
    assert "participant=" not in text
    assert sum("dataset" in line for line in text.splitlines()) <= 1


def test_dataset_tables_matched_by_a_glob_are_left_out_with_one_note(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bids"
    code = main(["export-bids", f"{folder}/**/*.parquet", "--out", str(out), "--no-events"])
    said = capsys.readouterr()
    assert code == 1  # bad.parquet
    notes = [line for line in said.err.splitlines() if "written by 'imu batch' left out" in line]
    assert notes == [f"imu export-bids: note: {folder / 'dataset'}: a dataset written by "
                     "'imu batch' left out (its tables are analysed reps, not recordings)"]
    assert "plain Parquet table" not in said.out + said.err
    assert len(_motion_files(out)) == 1


def test_good_files_alone_exit_0(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "bids"
    assert main(["export-bids", str(folder / "a.parquet"), "--out", str(out),
                 "--no-events"]) == 0
    assert len(_motion_files(out)) == 1


def test_a_file_without_a_participant_is_skipped_not_the_end(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from imu.io.recording import read_recording, write_recording

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(PLANK, inputs / "a.parquet")
    write_recording(read_recording(PLANK).with_meta(participant=None), inputs / "b.parquet")
    out = tmp_path / "bids"
    assert main(["export-bids", str(inputs), "--out", str(out), "--no-events"]) == 1
    said = capsys.readouterr().out
    assert (f"{inputs / 'b.parquet'}: skipped: the recording names no participant; pass "
            "--subject S") in said
    assert len(_motion_files(out)) == 1


def _skip_reasons(out_text: str) -> dict[str, str]:
    """File -> reason of every ``FILE: skipped: REASON`` line."""
    lines = [line for line in out_text.splitlines() if ": skipped: " in line]
    return dict(line.split(": skipped: ", 1) for line in lines)


def test_a_named_pipe_is_skipped_with_the_reason_of_imu_analyze(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given, or inside a folder: never "no such file", never passed over, never opened."""
    from imu.io.load import not_a_regular_file

    pipe = tmp_path / "p.parquet"
    os.mkfifo(pipe)
    reason = not_a_regular_file(pipe).removeprefix(f"{pipe}: ")
    code = main(["export-bids", str(pipe), "--out", str(tmp_path / "b1"), "--no-events"])
    assert code == 2  # nothing exported
    said = capsys.readouterr()
    assert "no such file" not in said.out + said.err
    assert _skip_reasons(said.out) == {str(pipe): reason}
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PLANK, folder / "a.parquet")
    os.mkfifo(folder / "pipe.parquet")
    assert main(["export-bids", str(folder), "--out", str(tmp_path / "b2"), "--no-events"]) == 1
    said = capsys.readouterr()
    inner = folder / "pipe.parquet"
    assert _skip_reasons(said.out) == {
        str(inner): not_a_regular_file(inner).removeprefix(f"{inner}: ")
    }
    assert len(_motion_files(tmp_path / "b2")) == 1


def test_a_broken_link_is_skipped_with_the_reason_imu_batch_gives(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(PLANK, inputs / "a.parquet")
    link = inputs / "gone.parquet"
    link.symlink_to(tmp_path / "nowhere.parquet")
    assert main(["export-bids", str(inputs), "--out", str(tmp_path / "b"), "--no-events"]) == 1
    reasons = _skip_reasons(capsys.readouterr().out)
    errors = {str(j.path): j.error for j in collect_jobs([inputs]) if j.error}  # imu batch's
    assert reasons == errors == {str(link): errors[str(link)]}
    assert reasons[str(link)].startswith("broken symbolic link: ")
    assert f"its target {tmp_path / 'nowhere.parquet'} does not exist" in reasons[str(link)]


def test_a_dataset_table_among_recordings_is_skipped_with_the_reason_of_imu_convert(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "a plain Parquet table ...; turn it into one with 'imu convert'", which refuses it."""
    from imu.io.load import not_a_recording

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(PLANK, inputs / "a.parquet")
    copied = inputs / "x.parquet"
    shutil.copy(next((folder / "dataset").glob("reps/participant=*/*.parquet")), copied)
    assert main(["export-bids", str(inputs), "--out", str(tmp_path / "b"), "--no-events"]) == 1
    said = capsys.readouterr()
    reasons = _skip_reasons(said.out)
    assert reasons == {str(copied): not_a_recording(copied).removeprefix(f"{copied}: ")}
    assert "a reps table" in reasons[str(copied)]
    assert "plain Parquet table" not in said.out and "imu convert" not in said.out


@pytest.mark.parametrize("bad", [["bad.parquet"], ["bad.parquet", "bad2.parquet"]])
def test_nothing_exported_exits_2_as_imu_analyze_does(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: list[str]
) -> None:
    """It exited 1, the code of "some skipped, the others exported", where imu analyze exits
    2 for "nothing analysed"; a script could not tell a partial export from none."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in bad:
        shutil.copy(folder / "bad.parquet", inputs / name)
    out = tmp_path / "bids"
    assert main(["export-bids", str(inputs), "--out", str(out), "--no-events"]) == 2
    said = capsys.readouterr()
    skipped = [line for line in said.out.splitlines() if ": skipped: " in line]
    assert len(skipped) == len(bad)  # each with its reason, as before
    which = "the one file could not" if len(bad) == 1 else f"none of the {len(bad)} files could"
    assert said.err == (f"imu export-bids: error: {which} be exported (listed above with its "
                        f"reason); nothing written to {out}\n")
    assert not out.exists()
    assert main(["analyze", str(inputs / "bad.parquet"), "--out", str(tmp_path / "a")]) == 2


def test_every_missing_option_is_named_at_once_with_a_command_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial: a CSV recording (no participant, no exercise) asked for --subject; given it,
    for --task: one at a time. One reason names both, with a command line that works."""
    import shlex

    import pandas as pd

    csv = tmp_path / "plain.csv"
    pd.read_parquet(PLANK).to_csv(csv, index=False)
    out = tmp_path / "bids"
    assert main(["export-bids", str(csv), "--out", str(out)]) == 2
    reasons = _skip_reasons(capsys.readouterr().out)
    reason = reasons[str(csv)]
    assert reason.startswith("the recording names no participant and no exercise; pass "
                             "--subject S and --task NAME"), reason
    command = reason.split("(e.g. ", 1)[1].rsplit(")", 1)[0]
    assert command.startswith("imu export-bids ") and "--subject S01 --task corestudy" in command
    assert main(shlex.split(command)[1:]) == 0, capsys.readouterr()
    assert len(_motion_files(out)) == 1
    # With --subject given, only what is still missing, and the command keeps the --subject.
    capsys.readouterr()
    assert main(["export-bids", str(csv), "--out", str(tmp_path / "b2"), "--subject", "P7"]) == 2
    reason = _skip_reasons(capsys.readouterr().out)[str(csv)]
    assert reason.startswith("no exercise known to name the task; pass --task NAME"), reason
    assert "--subject" not in reason.split("(e.g. ", 1)[0]
    assert "--subject P7 --task corestudy" in reason


def test_a_recording_that_names_its_participant_keeps_it_in_the_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review: a recording naming participant P07 but no exercise was told "(e.g. imu
    export-bids ... --subject S01 --task corestudy)", which relabelled P07 as S01."""
    import dataclasses
    import shlex

    from imu.io.recording import read_recording, write_recording

    rec = read_recording(PLANK)
    named = dataclasses.replace(rec.meta, participant="P07", exercise=None)
    path = tmp_path / "p07 noex.parquet"
    write_recording(type(rec)(rec.acc, rec.gyr, named), path)
    out = tmp_path / "bids dir"
    assert main(["export-bids", str(path), "--out", str(out)]) == 2
    reason = _skip_reasons(capsys.readouterr().out)[str(path)]
    command = reason.split("(e.g. ", 1)[1].rsplit(")", 1)[0]
    assert "--subject" not in command and "--task corestudy" in command, command
    assert main(shlex.split(command)[1:]) == 0, capsys.readouterr()
    assert (out / "sub-P07").is_dir()
