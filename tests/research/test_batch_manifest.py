"""imu batch's manifest and inputs: strict ISO dates, every problem in one run, notes.

A new user's trial found: a day/month date read as month/day without a word, one manifest
problem reported per run, a missing file or a repeated row stopping the whole batch, and
stale files in a folder analysed without a word next to a manifest that does not list them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import (
    BatchError,
    BatchOptions,
    collect_jobs,
    expand_inputs,
    read_manifest,
    run_batch,
)
from imu.cli import main
from imu.io.recording import read_recording, write_recording
from imu.research import load_dataset

REPO = Path(__file__).resolve().parents[2]
RC = REPO / "recordings" / "reverse_crunch.parquet"


def _copies(folder: Path, *names: str) -> list[Path]:
    """Distinct sessions (other start times) of the bundled reverse crunch."""
    recording = read_recording(RC)
    return [write_recording(recording.with_meta(start_time_s=1.7e9 + 60 * i), folder / name)
            for i, name in enumerate(names)]


@pytest.mark.parametrize("text", ["08/01/2024", "8.1.2024", "2024-1-8", "Jan 8 2024",
                                  "20240108", "2024-01-08 at 18:00"])
def test_a_date_that_is_not_iso_8601_is_refused_not_guessed(text: str, tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,date\na.parquet,{text}\n")
    with pytest.raises(BatchError) as caught:
        read_manifest(manifest)
    message = str(caught.value)
    assert f"line 2: date {text!r} is not ISO 8601" in message
    assert "e.g. 2024-01-08" in message and str(manifest) in message


def test_a_day_month_date_says_why_it_is_ambiguous(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,date\na.parquet,08/01/2024\n")
    with pytest.raises(BatchError, match="day and month could be either way round"):
        read_manifest(manifest)


@pytest.mark.parametrize("text", ["2024-13-45", "2024-02-30"])
def test_an_iso_shaped_non_date_is_refused(text: str, tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,date\na.parquet,{text}\n")
    with pytest.raises(BatchError, match=rf"line 2: date '{text}' is no calendar date.*2024-01-08"):
        read_manifest(manifest)


@pytest.mark.parametrize(("text", "utc"), [
    ("2024-01-08", "2024-01-08T00:00:00"),
    ("2024-01-08T18:00:00Z", "2024-01-08T18:00:00"),
    ("2024-01-08T19:00:00+01:00", "2024-01-08T18:00:00"),
    ("2024-01-08 18:00", "2024-01-08T18:00:00"),
    ("2024-01-08T18:00:00.5", "2024-01-08T18:00:00.500000"),
])
def test_iso_dates_are_read(text: str, utc: str, tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,date\na.parquet,{text}\n")
    (row,) = read_manifest(manifest).values()
    assert row.date == pd.Timestamp(utc, tz="UTC").timestamp()


def test_every_manifest_problem_is_reported_in_one_run(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _copies(tmp_path, "a.parquet", "b.parquet", "c.parquet")
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "file,participant,exercise,tempo,date\n"
        "a.parquet,P1,crunches,3-1-3,2024-01-08\n"      # 2: unknown exercise
        "b.parquet,P1,reverse-crunch,3010,2024-01-08\n"  # 3: four-digit tempo
        "c.parquet,P1,reverse-crunch,3-1-3,08/01/2024\n"  # 4: not ISO
        ",P1,,,\n"                                      # 5: empty file
        "gone.parquet,P1,,,2024-01-09\n"                # 6: no such file
        "./b.parquet,P2,reverse-crunch,3010,2024-01-08\n"  # 7: b again, other participant
    )
    with pytest.raises(BatchError) as caught:
        collect_jobs([], manifest=manifest)
    message = str(caught.value)
    assert message.startswith(f"manifest {manifest}: 7 problems, fix them all")
    for expected in ("line 2: unknown exercise 'crunches'", "line 3: tempo '3010'",
                     "line 4: date '08/01/2024' is not ISO 8601", "line 5: empty 'file'",
                     "line 6: no such file", "line 7: tempo '3010'",
                     "lines 3, 7: file 'b.parquet' (also written './b.parquet') is listed more "
                     "than once, with different participant"):
        assert expected in message, expected
    code = main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds"),
                 "--workers", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "ds").exists()


def test_a_long_list_of_problems_is_cut_but_names_every_line(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,date\n" + "".join(f"f{i}.parquet,1/{i}/2024\n" for i in range(25)))
    with pytest.raises(BatchError) as caught:
        read_manifest(manifest)
    message = str(caught.value)
    assert "25 problems" in message and message.count("is not ISO 8601") == 20
    assert "and 5 more problems on lines 22, 23, 24, 25, 26" in message


def test_a_missing_manifest_file_fails_that_file_only(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _copies(tmp_path, "a.parquet")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,participant,exercise\na.parquet,P1,reverse-crunch\n"
                        "gone.parquet,P1,reverse-crunch\n")
    result = run_batch(collect_jobs([], manifest=manifest), tmp_path / "ds",
                       BatchOptions(workers=0))
    assert result.analysed == 1
    assert result.failures == [(tmp_path / "gone.parquet",
                                "no such file (listed on manifest line 3)")]
    code = main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds2"),
                 "--workers", "0"])
    captured = capsys.readouterr()
    assert code == 1 and "gone.parquet" in captured.out and "1 failed" in captured.out
    failures = pd.read_csv(tmp_path / "ds2" / "_failures.csv")
    assert list(failures["file"]) == [str(tmp_path / "gone.parquet")]


def test_a_manifest_none_of_whose_files_exist_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    manifest = tmp_path / "sub" / "m.csv"
    manifest.write_text("file\ncohort/a.parquet\ncohort/b.parquet\n")
    expected = (r"none of its 2 files exist \(line 2: .*a.parquet\); relative paths are "
                r"relative to the manifest's folder")
    with pytest.raises(BatchError, match=expected):
        collect_jobs([], manifest=manifest)


def test_repeated_rows_that_agree_are_used_once(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    _copies(tmp_path, "a.parquet")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,participant,date\na.parquet,P1,2024-01-08\n"
                        "a.parquet,P1,2024-01-08T00:00:00Z\n")
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        jobs = collect_jobs([], manifest=manifest)
    assert len(jobs) == 1 and jobs[0].manifest.participant == "P1"
    assert "listed on lines 2, 3 with the same metadata: used once" in caplog.text


def test_inputs_the_manifest_does_not_list_are_noted(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "c"
    _copies(folder, "a.parquet", "b.parquet", "stale.parquet")
    manifest = folder / "manifest.csv"
    manifest.write_text("file,participant\na.parquet,P1\nb.parquet,P2\nelsewhere/x.parquet,P3\n")
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        jobs = collect_jobs([folder], manifest=manifest)
    assert len(jobs) == 3
    assert (f"1 of the 3 input recordings is not in manifest {manifest} "
            f"(e.g. {folder / 'stale.parquet'}): analysed with their own metadata") in caplog.text
    assert f"imu batch --manifest {manifest} --out DATASET" in caplog.text
    assert "1 file is listed in manifest" in caplog.text and "not analysed" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        only = collect_jobs([], manifest=manifest)  # the manifest alone: its files only
    assert sorted(j.path.name for j in only) == ["a.parquet", "b.parquet", "x.parquet"]
    assert [j.error for j in only if j.path.name == "x.parquet"] == [
        "no such file (listed on manifest line 4)"]


def test_a_file_named_by_two_inputs_is_noted_and_taken_once(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "c"
    a, _ = _copies(folder, "a.parquet", "b.parquet")
    spelled = f"{folder}/./a.parquet"  # another spelling of a
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        paths = expand_inputs([folder, a, str(spelled)])
    assert [p.name for p in paths] == ["a.parquet", "b.parquet"]
    assert "1 file is named by more than one input" in caplog.text
    assert f"{a} by '{folder}' and '{a}' and '{spelled}'" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        assert len(expand_inputs([folder, folder])) == 2
    assert f"by '{folder}', given 2 times" in caplog.text


def test_a_dataset_holding_other_files_sessions_is_noted(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = _copies(tmp_path / "in", "a.parquet", "b.parquet")
    out = tmp_path / "ds"
    assert main(["batch", str(a), "--out", str(out), "--workers", "0"]) == 0
    assert "note" not in capsys.readouterr().err
    assert main(["batch", str(b), "--out", str(out), "--workers", "0"]) == 0
    err = capsys.readouterr().err
    assert (f"imu batch: note: {out} already holds 1 session of files not among these inputs"
            in err) and "choose a new --out" in err


def test_the_missing_file_of_a_bad_manifest_is_listed_with_the_rest(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    shutil.copy(RC, tmp_path / "a.parquet")
    manifest.write_text("file,tempo\na.parquet,3010\ngone.parquet,\n")
    with pytest.raises(BatchError, match=r"2 problems.*line 2: tempo '3010'.*\| line 3: no such"):
        collect_jobs([], manifest=manifest)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_manifest_excel_wrote_with_semicolons_is_read(tmp_path: Path, sep: str) -> None:
    """Found in a new-user trial: 'file;participant' (Excel in many locales, with a byte-order
    mark and CRLF) read as one column named 'file;participant'."""
    from imu.batch import load_manifest

    path = tmp_path / "m.csv"
    path.write_bytes(f"\ufefffile{sep}participant\r\na.parquet{sep}P01\r\n".encode())
    manifest = load_manifest(path)
    assert [r.participant for r in manifest.rows.values()] == ["P01"] and not manifest.problems


def test_the_manifest_in_the_searched_folder_is_no_csv_left_out(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """Found in a new-user trial: 'pl/: 1 CSV file(s) left out ... name them, or a glob such
    as pl/*.csv' where the one CSV was the manifest given with --manifest."""
    folder = tmp_path / "pl"
    folder.mkdir()
    shutil.copy(REPO / "recordings" / "plank.parquet", folder / "plank.parquet")
    (folder / "m.csv").write_text("file,date\nplank.parquet,2024-03-01\n")
    (folder / "data.csv").write_text("time_s,acc_x\n0,1\n")
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        expand_inputs([folder], manifest=folder / "m.csv")
    assert "1 CSV file(s) left out" in caplog.text  # data.csv, not the manifest
    caplog.clear()
    (folder / "data.csv").unlink()
    with caplog.at_level(logging.WARNING, logger="imu.batch"):
        expand_inputs([folder], manifest=folder / "m.csv")
    assert "left out" not in caplog.text


def test_a_batch_wide_tempo_a_plank_refuses_says_how_to_give_it_its_own(tmp_path: Path) -> None:
    """Found in a new-user trial: '--tempo 2-1-2' on a folder of reps and a plank failed the
    plank (and removed its earlier results) without saying how to prescribe it apart."""
    folder = tmp_path / "mix"
    folder.mkdir()
    for name in ("plank", "reverse_crunch"):
        shutil.copy(REPO / "recordings" / f"{name}.parquet", folder / f"{name}.parquet")
    result = run_batch(collect_jobs([folder]), tmp_path / "ds",
                       BatchOptions(tempo="2-1-2", workers=0))
    [(path, error)] = result.failures
    assert path.name == "plank.parquet"
    assert "Plank is a hold: the middle number of its tempo is the hold time" in error
    assert "--tempo 2-1-2, given to every file of the batch, would prescribe a 1 s hold" in error
    row = f"{(folder / 'plank.parquet').resolve()},,plank,1-30-1,"  # its recorded tempo
    assert f"tempo column of a manifest (--manifest CSV, header {HEADER_LINE}), e.g. the row " \
        f"{row} (a 30 s hold)" in error


HEADER_LINE = "file,participant,exercise,tempo,date"


def test_a_batch_wide_tempo_a_plank_refuses_keeps_its_earlier_results(tmp_path: Path) -> None:
    """Its results of an earlier run were removed: the new --tempo was no use for it, so
    nothing replaced them. They stay, the failure says so, and the advice works."""
    folder = tmp_path / "mix"
    folder.mkdir()
    for name in ("plank", "reverse_crunch"):
        shutil.copy(REPO / "recordings" / f"{name}.parquet", folder / f"{name}.parquet")
    out = tmp_path / "ds"
    assert run_batch(collect_jobs([folder]), out, BatchOptions(workers=0)).ok
    plank_rows = load_dataset(out).sessions.query("exercise == 'plank'")
    assert len(plank_rows) == 1
    result = run_batch(collect_jobs([folder]), out, BatchOptions(tempo="2-1-2", workers=0))
    [(path, error)] = result.failures
    assert path.name == "plank.parquet"
    assert error.endswith("; its earlier results stay in the dataset as they were (analysed "
                          "with its earlier tempo)")
    assert "removed" not in error
    after = load_dataset(out).sessions
    assert list(after.query("exercise == 'plank'")["tempo"]) == list(plank_rows["tempo"])
    assert list(after.query("exercise != 'plank'")["tempo"]) == ["2-1-2"]
    # The fix the message gives: the row it shows, in a manifest, and the same command.
    manifest = tmp_path / "m.csv"
    row = error.split("e.g. the row ", 1)[1].split(" (a ", 1)[0]
    manifest.write_text(f"{HEADER_LINE}\n{row}\n")
    result = run_batch(collect_jobs([folder], manifest), out,
                       BatchOptions(tempo="2-1-2", workers=0))
    assert result.failures == [] and result.reanalysed == 1
    assert sorted(load_dataset(out).sessions["tempo"]) == ["1-30-1", "2-1-2"]
