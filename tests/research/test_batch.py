"""imu.batch and imu batch: inputs, manifest, dataset layout, failures, re-runs, readers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import (
    BatchError,
    BatchOptions,
    collect_jobs,
    done_sessions,
    expand_inputs,
    read_manifest,
    run_batch,
    session_id,
)
from imu.cli import main
from imu.io.recording import read_recording, write_recording
from imu.report.tables import REPS_COLUMNS, SESSION_COLUMNS, SETS_COLUMNS
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]


def test_session_id_is_content_hash(cohort_dir: Path, tmp_path: Path) -> None:
    src = next(cohort_dir.glob("P01/*.parquet"))
    copy = tmp_path / "renamed.parquet"
    shutil.copy(src, copy)
    assert session_id(src) == session_id(copy)
    assert len(session_id(src)) == 16
    other = read_recording(src).with_meta(participant="someone else")
    assert session_id(write_recording(other, tmp_path / "other.parquet")) != session_id(src)


def test_expand_inputs_dirs_globs_and_exclude(cohort_dir: Path) -> None:
    all_files = expand_inputs([cohort_dir])
    assert all_files and all(p.suffix == ".parquet" for p in all_files)  # no truth CSVs
    globbed = expand_inputs([str(cohort_dir / "P0[12]" / "*.parquet")])
    assert set(globbed) < set(all_files)
    assert expand_inputs([cohort_dir], exclude=cohort_dir / "P01") == [
        p for p in all_files if p.parent.name != "P01"
    ]
    with pytest.raises(BatchError, match="no such file"):
        expand_inputs([cohort_dir / "missing.parquet"])


def test_manifest_errors_name_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "m.csv"
    bad.write_text("file,participant,exercise\na.parquet,P1,crunches\n")
    with pytest.raises(BatchError, match="line 2: unknown exercise 'crunches'"):
        read_manifest(bad)
    bad.write_text("file,tempo\na.parquet,3010\n")
    with pytest.raises(BatchError, match=r"line 2.*four-digit"):
        read_manifest(bad)
    bad.write_text("path,participant\na.parquet,P1\n")
    with pytest.raises(BatchError, match="no 'file' column"):
        read_manifest(bad)


def test_dataset_layout_and_columns(dataset: Path, cohort_table: pd.DataFrame) -> None:
    for table in ("reps", "sets", "sessions"):
        parts = sorted(p.name for p in (dataset / table).iterdir())
        assert parts == [f"participant={p}" for p in sorted(cohort_table["participant"].unique())]
    assert len(done_sessions(dataset)) == len(cohort_table)
    data = load_dataset(dataset)
    keys = ["participant", "session_id", "date", "exercise", "tempo"]
    assert {*keys, *REPS_COLUMNS} <= set(data.reps.columns)
    assert {*keys, *SETS_COLUMNS} <= set(data.sets.columns)
    assert {*keys, "file", *SESSION_COLUMNS} <= set(data.sessions.columns)
    assert len(data.sessions) == len(cohort_table)
    # metadata from the manifest: prescribed tempo and dates
    assert set(data.sessions["tempo"]) == {"3-1-3"}
    expected = pd.to_datetime(cohort_table["date"], utc=True).sort_values().reset_index(drop=True)
    got = data.sessions["date"].sort_values().reset_index(drop=True)
    assert (got == expected).all()
    assert data.sessions["participant"].map(type).eq(str).all()


# dask's parquet reader still calls reset_index(inplace=True), deprecated in pandas 3.1
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_readers_pandas_dask_duckdb(dataset: Path) -> None:
    import dask.dataframe as dd

    reps = pd.read_parquet(dataset / "reps")
    assert len(reps) == len(load_dataset(dataset).reps)
    assert {"participant", "session_id", "date"} <= set(reps.columns)
    frame = dd.read_parquet(dataset / "sessions").compute()
    assert len(frame) == len(load_dataset(dataset).sessions)
    assert frame["date"].notna().all()
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.sql(
        f"select count(*) from read_parquet('{dataset}/reps/**/*.parquet', hive_partitioning=true,"
        " hive_types={'participant': VARCHAR})"
    ).fetchall()
    assert n[0][0] == len(reps)


def test_rerun_skips_done_and_bad_file_is_reported(cohort_dir: Path, tmp_path: Path) -> None:
    files = sorted(cohort_dir.glob("P01/*.parquet"))[:2]
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in files:
        shutil.copy(f, inputs / f.name)
    (inputs / "corrupt.parquet").write_bytes(b"not parquet at all")
    out = tmp_path / "ds"
    result = run_batch(collect_jobs([inputs]), out, BatchOptions(workers=0))
    assert result.analysed == 2 and len(result.failures) == 1
    path, reason = result.failures[0]
    assert path.name == "corrupt.parquet" and "not a readable Parquet" in reason
    assert "\n" not in reason
    failures = pd.read_csv(out / "_failures.csv")
    assert list(failures["file"]) == [str(path)]
    again = run_batch(collect_jobs([inputs]), out, BatchOptions(workers=0))
    assert again.analysed == 0 and again.skipped == 2 and len(again.failures) == 1
    # force re-analyses, and moves a session whose participant changed (no stale copies)
    sid = session_id(inputs / files[0].name)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,participant\nin/{files[0].name},Q9\n")
    forced = run_batch(
        collect_jobs([inputs / files[0].name], manifest=manifest), out,
        BatchOptions(workers=0, force=True),
    )
    assert forced.analysed == 1
    assert len(list(out.glob(f"*/participant=*/{sid}.parquet"))) == 3
    assert json.loads((out / "_done" / f"{sid}.json").read_text())["participant"] == "Q9"


def test_missing_exercise_fails_that_file_only(tmp_path: Path, cohort_dir: Path) -> None:
    src = next(cohort_dir.glob("P02/*.parquet"))
    rec = read_recording(src).with_meta(exercise=None)
    write_recording(rec, tmp_path / "in" / "noexercise.parquet")
    result = run_batch(collect_jobs([tmp_path / "in"]), tmp_path / "ds", BatchOptions(workers=0))
    assert "pass --exercise" in result.failures[0][1]
    fixed = run_batch(
        collect_jobs([tmp_path / "in"]), tmp_path / "ds",
        BatchOptions(workers=0, exercise="reverse-crunch"),
    )
    assert fixed.ok and fixed.analysed == 1


def test_cli_two_worker_local_cluster(cohort_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The one test that starts a real 2-process Dask LocalCluster."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in sorted(cohort_dir.glob("P03/*.parquet"))[:3]:
        shutil.copy(f, inputs / f.name)
    (inputs / "bad.parquet").write_bytes(b"x" * 20)
    out = tmp_path / "ds"
    code = main(["batch", str(inputs), "--out", str(out), "--workers", "2",
                 "--exercise", "reverse-crunch"])
    text = capsys.readouterr().out
    assert code == 1
    assert "failures" in text and "bad.parquet" in text and "3/4" not in text.split("failures")[1]
    assert "analysed 3 sessions" in text
    assert len(load_dataset(out).sessions) == 3


def test_cli_bad_options_exit_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["batch", str(tmp_path / "nothing"), "--out", str(tmp_path / "ds")])
    assert code == 2
    assert "imu batch: error: input" in capsys.readouterr().err
    code = main(["batch", str(REPO / "recordings"), "--out", str(tmp_path / "ds"),
                 "--tempo", "3010", "--workers", "0"])
    assert code == 2


def test_csv_files_left_out_of_a_folder_search_are_said(tmp_path, caplog):
    import logging
    import shutil

    from imu.batch import expand_inputs

    shutil.copy("recordings/plank.parquet", tmp_path / "a.parquet")
    (tmp_path / "b.csv").write_text("time_s,acc_x\n0,1\n")
    (tmp_path / "a.truth.csv").write_text("set\n1\n")
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        assert expand_inputs([tmp_path]) == [tmp_path / "a.parquet"]
    assert "1 CSV file(s) left out" in caplog.text


def _no_rep_csv(path: Path) -> Path:
    """The first 200 samples (3.8 s, long enough to analyse) of a bundled recording as CSV: no
    reps, no date, no participant."""
    frame = pd.read_parquet(REPO / "recordings" / "reverse_crunch.parquet").dropna()
    frame.head(200).to_csv(path, index=False)
    return path


def test_a_session_without_reps_is_stored_and_the_batch_goes_on(tmp_path: Path) -> None:
    short = _no_rep_csv(tmp_path / "short.csv")
    full = REPO / "recordings" / "reverse_crunch.parquet"
    out = tmp_path / "ds"
    result = run_batch(collect_jobs([short, full]), out,
                       BatchOptions(workers=0, exercise="reverse-crunch"))
    assert result.ok and result.analysed == 2
    data = load_dataset(out)
    row = data.sessions[data.sessions["file"] == str(short)].iloc[0]
    assert row["participant"] == "unknown" and row["reps"] == 0 and pd.isna(row["date"])
    # Ended before a rep could be finished: said so, not "No reps found: ... curl the pelvis"
    # (imu.report.coaching.early_stop_verdict; shorter than 3 s fails: tests/batch).
    assert row["verdict_kind"] == "too_short"
    assert row["verdict"].startswith("Stopped after 4 s, before a rep was finished")
    assert str(data.sessions["date"].dtype) == "datetime64[us, UTC]"
    sid = session_id(short)
    assert (data.reps["session_id"] == sid).sum() == 0
    assert (data.sets["session_id"] == sid).sum() == 0
    for table in ("reps", "sets"):  # zero-row files with the dataset's schema
        written = pd.read_parquet(out / table / "participant=unknown" / f"{sid}.parquet")
        assert len(written) == 0 and str(written["date"].dtype) == "datetime64[us, UTC]"
        assert written["session_id"].dtype == data.reps["session_id"].dtype


def test_a_session_that_cannot_be_written_fails_that_file_only(
    cohort_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import imu.batch

    files = sorted(cohort_dir.glob("P01/*.parquet"))[:2]
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,participant\n{files[0]},full-disk\n{files[1]},fine\n")
    bad = session_id(files[0])
    real_write = imu.batch.pq.write_table

    def write_table(table: object, where: Path, **kwargs: object) -> None:
        if where.name.startswith(f".{bad}") and where.parent.parent.name == "sets":
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        real_write(table, where, **kwargs)

    monkeypatch.setattr(imu.batch.pq, "write_table", write_table)
    out = tmp_path / "ds"
    seen: list[str | None] = []
    result = run_batch(collect_jobs([], manifest=manifest), out, BatchOptions(workers=0),
                       on_done=lambda outcome: seen.append(outcome.error))
    assert result.analysed == 1 and [p for p, _ in result.failures] == [files[0]]
    reason = result.failures[0][1]
    assert "No space left on device" in reason and "free disk space" in reason
    assert "\n" not in reason and seen.count(None) == 1 and reason in seen
    assert list(pd.read_csv(out / "_failures.csv")["file"]) == [str(files[0])]
    # nothing of the failed session is left: no table files, no empty folders, no marker
    assert not list(out.rglob(f"*{bad}*")) and not list(out.glob("*/participant=full-disk"))
    assert done_sessions(out) == {session_id(files[1])}


def test_an_unreadable_file_is_reported_and_skipped(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import builtins
    import errno

    import imu.batch

    files = [tmp_path / f"{name}.parquet" for name in ("rc", "unr", "plank")]
    shutil.copy(REPO / "recordings" / "reverse_crunch.parquet", files[0])
    shutil.copy(REPO / "recordings" / "plank.parquet", files[1])
    shutil.copy(REPO / "recordings" / "plank.parquet", files[2])
    files[1].write_bytes(files[1].read_bytes() + b"\0")  # another session than plank's

    def chmod_000(path: object, *args: object, **kwargs: object) -> object:
        if Path(str(path)).name == "unr.parquet":  # as if chmod 000 (tests may run as root)
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(imu.batch, "open", chmod_000, raising=False)
    jobs = collect_jobs(files)
    assert {j.path.name: j.error for j in jobs} == {
        "plank.parquet": None, "rc.parquet": None, "unr.parquet": "cannot read: Permission denied"
    }
    out = tmp_path / "ds"
    code = main(["batch", *map(str, files), "--workers", "0", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.err
    assert "analysed 2 sessions" in captured.out and "1 failed" in captured.out
    assert "unr.parquet: cannot read: Permission denied" in " ".join(captured.out.split())
    assert list(pd.read_csv(out / "_failures.csv")["file"]) == [str(files[1])]
    assert len(load_dataset(out).sessions) == 2


def test_a_file_listed_twice_in_the_manifest_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(REPO / "recordings" / "reverse_crunch.parquet", tmp_path / "rc.parquet")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,participant,exercise\nrc.parquet,p1,reverse-crunch\n"
                        "./rc.parquet,p2,reverse-crunch\n")
    expected = (r"lines 2, 3: file 'rc.parquet' \(also written './rc.parquet'\) is listed more "
                r"than once, with different participant; give")
    with pytest.raises(BatchError, match=expected):
        read_manifest(manifest)
    code = main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds"),
                 "--workers", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "lines 2, 3" in err
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize("address", ["garbage", "tcp://host", "tcp://host:99999",
                                     "http://host:8787", "tcp://host:port"])
def test_a_malformed_scheduler_address_is_one_line(  # type: ignore[no-untyped-def]
    address: str, tmp_path: Path, capsys
) -> None:
    code = main(["batch", str(REPO / "recordings" / "plank.parquet"), "--out",
                 str(tmp_path / "ds"), "--scheduler", address])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"imu batch: error: --scheduler {address!r}: ")
    assert "tcp://HOST:PORT" in err and not (tmp_path / "ds").exists()


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "10.0.0.5:8786", "tls://h.x:1",
                                     "tcp://[::1]:8786"])
def test_scheduler_addresses_dask_takes_are_accepted(address: str) -> None:
    from imu.batch import check_scheduler_address

    assert check_scheduler_address(address) == address


def test_too_many_workers_are_refused_before_starting(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import imu.batch

    most = imu.batch.max_local_workers()
    BatchOptions(workers=most).validate()
    BatchOptions(workers=10000, scheduler="tcp://10.0.0.5:8786").validate()  # not local
    code = main(["batch", str(REPO / "recordings" / "plank.parquet"), "--out",
                 str(tmp_path / "ds"), "--workers", "10000"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and not (tmp_path / "ds").exists()
    assert err.startswith(f"imu batch: error: --workers 10000: at most {most} local workers")
    # the open-file limit caps it too: 8 CPUs would allow 32, 64 open files only 4
    monkeypatch.setattr(imu.batch, "cpu_count", lambda: 8)
    monkeypatch.setattr(imu.batch, "_open_file_limit", lambda: 64)
    with pytest.raises(BatchError, match=r"--workers 5: at most 4 .*ulimit -n 64"):
        BatchOptions(workers=5).validate()
    BatchOptions(workers=4).validate()


def test_another_exercises_recorded_tempo_is_not_used(tmp_path: Path) -> None:
    """The bundled plank (tempo 1-30-1) analysed as reverse crunches is judged against the
    crunch's default tempo, as imu analyze and imu replay judge it (review: batch kept
    the plank's 1-30-1)."""
    from imu.exercises import get_profile

    plank = REPO / "recordings" / "plank.parquet"
    out = tmp_path / "ds"
    result = run_batch(collect_jobs([plank]), out,
                       BatchOptions(workers=0, exercise="reverse-crunch"))
    assert result.ok
    tempo = load_dataset(out).sessions["tempo"].iloc[0]
    assert tempo == str(get_profile("reverse-crunch").default_tempo) != "1-30-1"


def test_a_scheduler_that_never_answers_is_given_up_with_one_line() -> None:
    """A web server at the address: Dask connected and then waited for ever (a user's batch
    sat at 0/12); now the client is given up after the timeout."""
    import threading

    from imu.batch import BatchError, _connect

    never = threading.Event()

    def hangs(address: str, timeout: str) -> object:
        never.wait(30)
        return object()

    with pytest.raises(BatchError, match=r"no Dask scheduler answered within 0.2 s"):
        _connect(hangs, "tcp://127.0.0.1:8000", timeout_s=0.2)
    never.set()


def test_a_service_that_answers_other_bytes_is_one_line(tmp_path: Path) -> None:
    """Other bytes read as a Dask message length: 'Unable to allocate 3.07 EiB' and a
    40-line traceback before; now one line that says it was no scheduler."""
    import socket
    import threading

    from distributed import Client

    from imu.batch import BatchError, _connect

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(1000)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 50)

    threading.Thread(target=answer, daemon=True).start()
    try:
        with pytest.raises(BatchError, match=r"it answered, but not as a Dask scheduler"):
            _connect(Client, f"tcp://127.0.0.1:{port}", timeout_s=12.0)
    finally:
        server.close()


def test_a_csv_that_needs_import_options_says_how_to_batch_it(tmp_path: Path) -> None:
    """The import's message named --time-col, --acc-cols..., options imu batch does not have."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "phone.csv").write_text("timestamp,ax,ay,az,gx,gy,gz\n" + "0,0,0,1,0,0,0\n" * 50)
    result = run_batch(collect_jobs([inputs / "phone.csv"]), tmp_path / "ds",
                       BatchOptions(workers=0, exercise="reverse-crunch"))
    [(path, reason)] = result.failures
    assert "--time-col" in reason and "imu batch takes no import options" in reason
    assert f"imu convert {path} OUT.parquet" in reason


def test_workers_that_cannot_start_leave_the_batch_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Trial 21: run as another user with HOME unwritable, multiprocessing's helper process
    died at once and Dask said "Nanny failed to start": the batch ended as a bug with
    nothing analysed. It now analyses in this process and says so."""
    import distributed

    from imu.batch import BatchOptions, collect_jobs, run_batch

    def nanny_fails(**kwargs: object) -> None:
        raise RuntimeError("Nanny failed to start.")

    monkeypatch.setattr(distributed, "LocalCluster", nanny_fails)
    recordings = Path(__file__).resolve().parents[2] / "recordings"
    jobs = collect_jobs([recordings / "dead_bug.parquet", recordings / "plank.parquet"])
    with caplog.at_level("WARNING", logger="imu.batch"):
        result = run_batch(jobs, tmp_path / "ds", BatchOptions(workers=2))
    assert result.analysed == 2 and not result.failures
    said = " ".join(r.getMessage() for r in caplog.records)
    assert ("the 2 local worker processes could not start (RuntimeError: Nanny failed to "
            "start.)") in said
    assert "analysing in this process instead" in said
    assert len(load_dataset(tmp_path / "ds").sessions) == 2


def test_a_folder_of_sensor_logger_zips_is_one_session_per_zip(tmp_path: Path) -> None:
    """Trial 21: a folder of two days' Sensor Logger zips was one "recording" that failed as
    "2 different exports", with advice to convert the folder (which failed the same way)."""
    from imu.batch import collect_jobs
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo
    from tests.io.test_phone import sensor_logger_zip

    folder = tmp_path / "phone"
    folder.mkdir()
    for day, seed in (("mon", 1), ("wed", 2)):
        spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1,
                           seed=seed)
        sensor_logger_zip(folder / f"{day}.zip", simulate_session(spec).recording)
    jobs = collect_jobs([folder])
    assert sorted(job.path.name for job in jobs) == ["mon.zip", "wed.zip"]
    # Anything else beside them keeps the folder one input (its import says why), so that
    # nothing is left out without a word: an unzipped export, a sub-folder.
    recordings = Path(__file__).resolve().parents[2] / "recordings"
    for other, content in (("Gyroscope.csv", b"time,seconds_elapsed,z,y,x\n"),
                           ("old/fri.zip", (folder / "mon.zip").read_bytes())):
        path = folder / other
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        assert folder in [job.path for job in collect_jobs([folder])], other
        path.unlink()
        if path.parent != folder:
            path.parent.rmdir()
    # A recording beside them: each is analysed, the recording and the zips (trial 23: a
    # recording beside an export was dropped for it).
    (folder / "plank.parquet").write_bytes((recordings / "plank.parquet").read_bytes())
    assert sorted(job.path.name for job in collect_jobs([folder])) == [
        "mon.zip", "plank.parquet", "wed.zip"]
    (folder / "plank.parquet").unlink()
    assert len(collect_jobs([folder])) == 2
