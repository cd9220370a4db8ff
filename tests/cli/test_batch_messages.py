"""imu batch: re-runs say what they re-analysed; options, manifests, --out and odd inputs
get messages that name the real problem; too-short recordings fail as in imu analyze."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import BatchError, BatchOptions, collect_jobs, expand_inputs
from imu.cli import main
from imu.core.analyzer import AnalyzerParams
from imu.core.metrics import TempoTolerance
from imu.io.recording import Recording, read_recording, write_recording
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]
PLANK = REPO / "recordings" / "plank.parquet"
CRUNCH = REPO / "recordings" / "reverse_crunch.parquet"
HEADER = "file,participant,exercise,tempo,date\n"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _analysed_once(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A recording batched once into ``tmp_path/ds``: (the file, the dataset, the argv)."""
    a = Path(shutil.copy(CRUNCH, tmp_path / "a.parquet"))
    out = tmp_path / "ds"
    argv = ["batch", str(a), "--out", str(out), "--workers", "0"]
    assert main(argv) == 0
    return a, out, argv


def test_a_corrected_manifest_is_analysed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new-user repro: the second manifest's participant and date reach the dataset."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(PLANK, "a.parquet")
    Path("m.csv").write_text(HEADER + "a.parquet,P1,plank,1-30-1,2024-01-01\n")
    Path("m3.csv").write_text(HEADER + "a.parquet,P9,plank,1-30-1,2024-03-01\n")
    out = tmp_path / "ds"
    assert main(["batch", "--manifest", "m.csv", "--out", str(out), "--workers", "0"]) == 0
    capsys.readouterr()
    assert main(["batch", "--manifest", "m3.csv", "--out", str(out), "--workers", "0"]) == 0
    text = _flat(capsys.readouterr().out)
    assert "analysed 1 session" in text
    assert "re-analysed 1 whose metadata or options changed" in text
    assert "skipped 0 already done" in text
    sessions = load_dataset(out).sessions
    assert list(sessions["participant"]) == ["P9"]
    assert list(sessions["date"]) == [pd.Timestamp("2024-03-01", tz="UTC")]
    assert main(["batch", "--manifest", "m3.csv", "--out", str(out), "--workers", "0"]) == 0
    text = _flat(capsys.readouterr().out)
    assert "skipped 1 already done" in text and "re-analysed" not in text


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e308", "1.5"])
def test_tempo_tolerance_is_refused_as_imu_analyze_refuses_it(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ds"
    argv = ["batch", str(PLANK), "--out", str(out), "--workers", "0", "--tempo-tolerance", value]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"must be a fraction in (0, 1], got {value!r}" in err and "Traceback" not in err
    assert not out.exists()
    analyze = ["analyze", str(PLANK), "--out", str(tmp_path / "a"), "--tempo-tolerance", value]
    assert main(analyze) == 2
    assert f"must be a fraction in (0, 1], got {value!r}" in capsys.readouterr().err


def test_batch_options_refuse_a_tolerance_outside_0_1() -> None:
    for fraction in (float("inf"), float("nan"), -1.0, 0.0):
        options = BatchOptions(params=AnalyzerParams(tempo_tolerance=TempoTolerance(fraction)))
        with pytest.raises(BatchError, match=r"fraction in \(0, 1\]"):
            options.validate()


def test_a_header_only_manifest_says_it_has_no_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(HEADER)
    assert main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds")]) == 2
    err = capsys.readouterr().err
    assert f"manifest {manifest} has no rows" in err
    assert "give files, directories, globs or --manifest" not in err


def test_a_manifest_row_naming_a_directory_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    manifest = tmp_path / "m.csv"
    manifest.write_text(HEADER + "sub,P1,,,\n")
    assert main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds")]) == 2
    err = _flat(capsys.readouterr().err)
    assert "is a directory" in err and "none of" not in err and "exist" not in err
    # beside a recording, the directory row fails alone, with that reason
    shutil.copy(PLANK, tmp_path / "a.parquet")
    manifest.write_text(HEADER + "sub,P1,,,\na.parquet,P2,,,\n")
    jobs = collect_jobs([], manifest=manifest)
    (bad,) = [j for j in jobs if j.error is not None]
    assert bad.path.name == "sub" and "a directory, not a recording" in bad.error


def test_out_naming_a_file_is_refused_before_the_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "x"
    taken.write_text("not a folder")
    for out in (taken, taken / "sub"):
        assert main(["batch", str(PLANK), "--out", str(out), "--workers", "0"]) == 2
        captured = capsys.readouterr()
        assert "is a file, not a folder" in captured.err and "File exists" not in captured.err
        assert "analysing" not in captured.out and "recording" not in captured.out
    assert taken.read_text() == "not a folder"


def test_an_earlier_dataset_in_an_input_folder_is_left_out_silently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CRUNCH, folder / "a.parquet")
    assert main(["batch", str(folder / "a.parquet"), "--out", str(folder / "dataset"),
                 "--workers", "0"]) == 0
    assert (folder / "dataset" / "_failures.csv").is_file()
    with caplog.at_level(logging.INFO, logger="imu.batch"):
        assert expand_inputs([folder]) == [folder / "a.parquet"]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == []  # no "CSV file(s) left out ... name them" for _failures.csv
    assert "dataset" in caplog.text  # one info line names the dataset left out
    with pytest.raises(BatchError, match="is a dataset written by imu batch"):
        expand_inputs([folder / "dataset"])


@pytest.mark.parametrize("seconds", [0.2, 0.02])
def test_a_too_short_recording_fails_with_the_reason_of_imu_analyze(
    tmp_path: Path, seconds: float, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = read_recording(CRUNCH)
    n = max(1, round(seconds * whole.sampling_rate_hz))
    meta = replace(whole.meta, gaps=(), annotations=())
    short = write_recording(Recording(whole.acc[:n], whole.gyr[:n], meta),
                            tmp_path / "short.parquet")
    out = tmp_path / "ds"
    code = main(["batch", str(short), str(CRUNCH), "--out", str(out), "--workers", "0"])
    text = _flat(capsys.readouterr().out)
    assert code == 1
    assert "analysed 1 session" in text and "1 failed" in text
    assert main(["analyze", str(short), "--out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    refusal = next(line for line in err.splitlines() if "too short" in line)
    refusal = refusal.split(f"{short}: ", 1)[1].strip()
    assert refusal.startswith("too short to analyse")
    assert list(pd.read_csv(out / "_failures.csv")["reason"]) == [refusal]
    assert str(short) not in set(load_dataset(out).sessions["file"])


def test_a_broken_link_in_a_folder_is_listed_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CRUNCH, folder / "a.parquet")
    (folder / "gone.parquet").symlink_to(tmp_path / "nowhere.parquet")
    out = tmp_path / "ds"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0"]) == 1
    text = _flat(capsys.readouterr().out)
    assert "gone.parquet" in text and "broken symbolic link" in text
    failures = pd.read_csv(out / "_failures.csv")
    assert list(failures["file"]) == [str(folder / "gone.parquet")]
    assert "nowhere.parquet does not exist" in failures["reason"][0]


def test_a_touched_or_edited_file_is_said_to_have_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "whose metadata or options changed": neither did."""
    a, _out, argv = _analysed_once(tmp_path)
    stat = a.stat()
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    capsys.readouterr()
    assert main(argv) == 0
    assert "re-analysed 1 whose file changed," in _flat(capsys.readouterr().out)
    write_recording(read_recording(CRUNCH).with_meta(participant="edited"), a)
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "re-analysed 1 whose file changed," in _flat(captured.out)
    assert "not among these inputs" not in captured.err  # the old version is no other file
    assert main([*argv, "--tempo", "5-0-5"]) == 0
    assert "re-analysed 1 whose metadata or options changed," in _flat(capsys.readouterr().out)


def test_a_dataset_another_batch_writes_is_refused_before_the_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ds"
    out.mkdir()
    (out / "_lock").write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}))
    assert main(["batch", str(CRUNCH), "--out", str(out), "--workers", "0"]) == 2
    captured = capsys.readouterr()
    assert _flat(captured.err) == (
        f"imu batch: error: another imu batch (pid {os.getppid()}) is writing {out}; wait for "
        f"it, or remove {out / '_lock'} if no batch is running"
    )
    assert "analysing" not in captured.out


def test_old_sessions_whose_file_cannot_be_told_get_their_own_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Markers of the earlier version name their file as given; one that names no input is
    not called a session "of files not among these inputs": that cannot be told."""
    out = tmp_path / "ds"
    assert main(["batch", str(CRUNCH), "--out", str(out), "--workers", "0"]) == 0
    (marker,) = (out / "_done").glob("*.json")
    record = json.loads(marker.read_text())
    for key in ("source", "sources"):
        record.pop(key)
    marker.write_text(json.dumps({**record, "file": "gone/a.parquet"}))
    capsys.readouterr()
    assert main(["batch", str(PLANK), "--out", str(out), "--workers", "0"]) == 0
    err = _flat(capsys.readouterr().err)
    assert "not among these inputs" not in err
    assert "holds 1 session written by an earlier imu version" in err


def _pipe_reason(path: Path) -> str:
    """What ``imu info``/``analyze``/``convert`` say about a named pipe, without the path."""
    from imu.io.load import not_a_regular_file

    return not_a_regular_file(path).removeprefix(f"{path}: ")


def test_a_damaged_table_file_or_marker_is_analysed_again_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new-user repro: a sets file cut to 100 bytes was "skipped 1 already done"."""
    _a, out, argv = _analysed_once(tmp_path)
    (table,) = out.glob("sets/participant=*/*.parquet")
    os.truncate(table, 100)
    capsys.readouterr()
    assert main(argv) == 0
    text = _flat(capsys.readouterr().out)
    assert "re-analysed 1 whose table files were damaged (not readable Parquet)," in text
    assert "skipped 0 already done" in text
    (marker,) = (out / "_done").glob("*.json")
    marker.write_text("{broken")
    assert main(argv) == 0
    text = _flat(capsys.readouterr().out)
    assert "re-analysed 1 whose done-marker was unreadable," in text
    assert "missing" not in text


def test_a_named_pipe_given_as_input_fails_with_the_reason_of_imu_analyze(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "no such file, directory or matching pattern"; and it is never opened (no hang)."""
    pipe = tmp_path / "p.parquet"
    os.mkfifo(pipe)
    out = tmp_path / "ds"
    assert main(["batch", str(pipe), "--out", str(out), "--workers", "0"]) == 2  # none analysed
    said = capsys.readouterr()
    assert "no such file" not in said.out + said.err
    failures = pd.read_csv(out / "_failures.csv")
    assert list(failures["file"]) == [str(pipe)]
    assert failures["reason"][0] == _pipe_reason(pipe)
    assert "is a named pipe, not a file; save the data to a file first" in _flat(said.out)


def test_a_named_pipe_in_a_folder_or_a_manifest_is_listed_among_the_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CRUNCH, folder / "a.parquet")
    pipe = folder / "pipe.parquet"
    os.mkfifo(pipe)
    assert main(["batch", str(folder), "--out", str(tmp_path / "ds"), "--workers", "0"]) == 1
    failures = pd.read_csv(tmp_path / "ds" / "_failures.csv")
    assert list(failures["file"]) == [str(pipe)]
    assert failures["reason"][0] == _pipe_reason(pipe)
    manifest = tmp_path / "m.csv"
    manifest.write_text(HEADER + "in/a.parquet,P1,,,\nin/pipe.parquet,P2,,,\n")
    capsys.readouterr()
    assert main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds2"),
                 "--workers", "0"]) == 1
    assert "no such file" not in _flat(capsys.readouterr().out)
    failures = pd.read_csv(tmp_path / "ds2" / "_failures.csv")
    assert list(failures["file"]) == [str(pipe.resolve())]
    assert failures["reason"][0] == _pipe_reason(pipe.resolve())


def test_a_dataset_table_copied_among_recordings_fails_with_the_reason_of_imu_convert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not advice to pass --time-col/--rate: imu convert refuses such a file too."""
    from imu.io.load import not_a_recording

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CRUNCH, folder / "a.parquet")
    assert main(["batch", str(folder), "--out", str(tmp_path / "ds"), "--workers", "0"]) == 0
    for table in ("reps", "sets", "sessions"):
        shutil.copy(next((tmp_path / "ds").glob(f"{table}/participant=*/*.parquet")),
                    folder / f"{table}_copy.parquet")
    capsys.readouterr()
    assert main(["batch", str(folder), "--out", str(tmp_path / "ds"), "--workers", "0"]) == 1
    text = _flat(capsys.readouterr().out)
    assert "--time-col" not in text and "--rate" not in text
    failures = pd.read_csv(tmp_path / "ds" / "_failures.csv")
    assert len(failures) == 3
    for file, reason in zip(failures["file"], failures["reason"], strict=True):
        expected = not_a_recording(Path(file)).removeprefix(f"{file}: ")
        assert expected and reason == expected
        assert "not a recording" in reason
    assert main(["convert", str(folder / "reps_copy.parquet"), str(tmp_path / "x.parquet")]) == 2
    assert failures["reason"][failures["file"].str.endswith("reps_copy.parquet")].iloc[0] in (
        _flat(capsys.readouterr().err))


def test_a_batch_that_analyses_nothing_exits_2_as_imu_analyze_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It exited 1, the code of "some failed, the others analysed"; imu analyze exits 2."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.parquet", "b.parquet"):
        (folder / name).write_bytes(f"junk {name}".encode())
    out = tmp_path / "ds"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0"]) == 2
    said = capsys.readouterr()
    assert "analysed 0 sessions" in _flat(said.out) and "2 failed" in _flat(said.out)
    assert said.err == (f"imu batch: error: none of the 2 recordings could be analysed (listed "
                        f"above with its reason, and in {out / '_failures.csv'}); nothing "
                        "stored by this run\n")
    assert len(pd.read_csv(out / "_failures.csv")) == 2
    shutil.copy(CRUNCH, folder / "c.parquet")
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0"]) == 1  # 1 of 3
    (folder / "c.parquet").unlink()
    (folder / "d.parquet").write_bytes(b"junk d")
    shutil.copy(CRUNCH, folder / "c.parquet")  # done already: not "nothing analysed"
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0"]) == 1
