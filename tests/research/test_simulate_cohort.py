"""imu simulate-cohort into a folder that is not empty, and the command it says to run next.

A new user's trial: a second cohort simulated with --force into the folder of a first one
left the first one's recordings there, and the printed 'imu batch DIR/ --manifest ...'
then analysed them too (30 sessions for a 7-row manifest).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import read_recording, write_recording
from imu.research import load_dataset
from imu.sim.cohort import CohortSpec, other_files, previous_cohort, remove_cohort, simulate_cohort

SMALL = ["--reps", "2", "--rate", "26"]
"""Short sessions: a cohort simulates in a fraction of a second."""


def _simulate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["simulate-cohort", *args, *SMALL])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _recordings(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet")}


def test_force_replaces_the_previous_cohort_and_leaves_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = _simulate(capsys, "c", "--participants", "3", "--weeks", "2")
    assert code == 0
    first = _recordings(tmp_path / "c")
    (tmp_path / "c" / "notes.txt").write_text("mine\n")
    (tmp_path / "c" / "mine").mkdir()
    (tmp_path / "c" / "mine" / "P01_2024-01-08.parquet").write_bytes(b"my own file")
    code, out, err = _simulate(capsys, "c", "--participants", "1", "--weeks", "1", "--force")
    assert code == 0
    manifest = pd.read_csv(tmp_path / "c" / "manifest.csv")
    assert _recordings(tmp_path / "c") == set(manifest["file"]) | {"mine/P01_2024-01-08.parquet"}
    assert len(first) > len(manifest)  # the first cohort's other recordings are gone ...
    truths = {p.relative_to(tmp_path / "c").as_posix()
              for p in (tmp_path / "c").rglob("*.truth.csv")}
    assert truths == {f.replace(".parquet", ".truth.csv") for f in manifest["file"]}
    assert not (tmp_path / "c" / "P03").exists()  # ... with their folders
    assert (tmp_path / "c" / "notes.txt").read_text() == "mine\n"  # other files stay
    assert f"removed the previous cohort in c: {2 * len(first) + 2} files" in out
    assert ("imu simulate-cohort: note: c holds 2 files it did not write (c/mine/"
            "P01_2024-01-08.parquet, c/notes.txt): left in place; 'imu batch c/' would "
            "analyse the 1 recording among them too") in " ".join(err.split())


def test_the_next_command_analyses_exactly_the_cohort(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _simulate(capsys, "c", "--participants", "3", "--weeks", "2")[0] == 0
    code, out, _ = _simulate(capsys, "c", "--participants", "2", "--weeks", "1", "--force")
    assert code == 0
    mine = read_recording(next((tmp_path / "c").rglob("*.parquet"))).with_meta(participant="me")
    write_recording(mine, tmp_path / "c" / "mine.parquet")  # a recording of the user's own
    (line,) = [ln for ln in out.splitlines() if ln.startswith("next: ")]
    assert line == "next: imu batch --manifest c/manifest.csv --out dataset/"
    words = shlex.split(line.removeprefix("next: "))
    assert main([*words[1:], "--workers", "0"]) == 0
    rows = len(pd.read_csv(tmp_path / "c" / "manifest.csv"))
    assert len(load_dataset(tmp_path / "dataset").sessions) == rows


def test_the_next_command_quotes_the_folder_and_keeps_the_dataset_out_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _simulate(capsys, "my cohort", "--participants", "1", "--weeks", "1")
    assert code == 0 and "next: imu batch --manifest 'my cohort/manifest.csv' --out dataset/" in out
    code, out, _ = _simulate(capsys, "dataset", "--participants", "1", "--weeks", "1")
    assert code == 0
    assert "next: imu batch --manifest dataset/manifest.csv --out dataset-dataset/" in out


def test_without_force_a_cohort_is_refused_and_nothing_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "c"
    assert _simulate(capsys, str(out_dir), "--participants", "1", "--weeks", "1")[0] == 0
    before = _recordings(out_dir)
    code, _, err = _simulate(capsys, str(out_dir), "--participants", "1", "--weeks", "1")
    assert code == 2 and "pass --force to replace it" in err and err.count("\n") == 1
    assert _recordings(out_dir) == before


def test_only_files_the_simulator_wrote_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "c"
    table = simulate_cohort(CohortSpec(participants=1, weeks=1, reps=2, sampling_rate_hz=26), out)
    ours = {out / "manifest.csv", out / "cohort.csv"}
    for rel in table["file"]:
        ours |= {out / rel, out / rel.replace(".parquet", ".truth.csv")}
    assert set(previous_cohort(out)) == ours
    # A cohort.csv edited to list other files: those are not ours (names we never write).
    outside = tmp_path / "P09_2024-01-08.parquet"
    outside.write_bytes(b"x")
    (out / "P01" / "notes.parquet").write_bytes(b"x")
    cohort = pd.read_csv(out / "cohort.csv")
    extra = cohort.iloc[[0, 0]].copy()
    extra["file"] = ["../P09_2024-01-08.parquet", "P01/notes.parquet"]
    pd.concat([cohort, extra]).to_csv(out / "cohort.csv", index=False)
    assert set(previous_cohort(out)) == ours
    assert set(remove_cohort(out)) == ours
    assert other_files(out) == [out / "P01" / "notes.parquet"] and outside.exists()


def test_a_manifest_of_the_users_own_is_not_taken_for_a_cohort(tmp_path: Path) -> None:
    out = tmp_path / "c"
    (out / "P01").mkdir(parents=True)
    (out / "P01" / "P01_2024-01-08.parquet").write_bytes(b"x")
    (out / "manifest.csv").write_text("file,participant\nP01/P01_2024-01-08.parquet,P01\n")
    assert previous_cohort(out) == []
    assert remove_cohort(out) == [] and (out / "P01" / "P01_2024-01-08.parquet").exists()


def test_a_full_manifest_of_the_users_own_is_not_taken_for_a_cohort(tmp_path: Path) -> None:
    """A user's manifest has the very columns a cohort's has: without a cohort.csv, --force
    deleted the real recordings it listed."""
    from imu.sim.cohort import MANIFEST_COLUMNS

    out = tmp_path / "study"
    (out / "P01").mkdir(parents=True)
    real = out / "P01" / "P01_2024-01-08.parquet"
    real.write_bytes(b"x")
    row = {"file": "P01/P01_2024-01-08.parquet", "participant": "P01",
           "exercise": "reverse-crunch", "tempo": "3-1-3", "date": "2024-01-08"}
    header = ",".join(MANIFEST_COLUMNS)
    (out / "manifest.csv").write_text(
        header + "\n" + ",".join(row.get(c, "") for c in MANIFEST_COLUMNS) + "\n")
    assert previous_cohort(out) == []
    assert remove_cohort(out) == [] and real.exists()
