"""What ``imu analyze`` says of inputs a new user gave it (trial 20).

An ``imu batch`` dataset given to ``imu analyze`` or ``imu info`` was "a folder that holds no
Sensor Logger or phyphox export (it holds _done/...json, ...)", while ``imu batch`` and
``imu export-bids`` said what it is: a dataset of results. A damaged zip was skipped for
naming no exercise; a prescribed bottom pause was silently not judged; 30% of samples lost
in short gaps went unsaid.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line


@pytest.mark.parametrize("command", [["analyze", "--exercise", "reverse-crunch", "--out", "o"],
                                     ["info"]])
def test_a_batch_dataset_is_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    dataset = tmp_path / "ds"
    for table in ("reps", "sessions", "_done"):
        (dataset / table).mkdir(parents=True)
    (dataset / "_done" / "0123.json").write_text("{}")
    args = [command[0], str(dataset), *[str(tmp_path / a) if a == "o" else a
                                        for a in command[1:]]]
    assert main(args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{dataset}: a dataset written by imu batch (results, not recordings)" in line
    assert "Sensor Logger" not in line


def test_a_damaged_zip_beside_a_recording_is_skipped_for_being_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was skipped as "a table or export ... pass --exercise", which it can't be read as."""
    import shutil

    recording = tmp_path / "rc.parquet"
    shutil.copy(Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet", recording)
    damaged = tmp_path / "export.csv"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a zip cut short
    assert main(["analyze", str(recording), str(damaged), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    skipped = [line for line in err.splitlines() if line.startswith("imu analyze: skipped")]
    assert len(skipped) == 1 and "zip file is damaged" in skipped[0]
    assert "--exercise" not in skipped[0]


def test_a_bottom_pause_prescribed_is_said_not_to_be_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 20: 3-1-3-2 was accepted, and reps pausing 0.7 s against 2 s were all "ok"."""
    recording = Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet"
    assert main(["analyze", str(recording), "--tempo", "3-1-3-2",
                 "--out", str(tmp_path / "a")]) == 0
    assert "the bottom pause of 3-1-3-2 is shown" in capsys.readouterr().err
    assert main(["analyze", str(recording), "--tempo", "3-1-3", "--out", str(tmp_path / "b")]) == 0
    assert "bottom pause" not in capsys.readouterr().err


def test_many_samples_bridged_are_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lossy, clean = tmp_path / "lossy.parquet", tmp_path / "clean.parquet"
    for path, loss in ((lossy, "0.3"), (clean, "0")):
        assert main(["simulate", "dead-bug", "--packet-loss", loss, "--seed", "3", "--reps", "6",
                     "--sets", "1", "--out", str(path)]) == 0
    capsys.readouterr()
    assert main(["analyze", str(lossy), "--out", str(tmp_path / "a")]) == 0
    note = [line for line in capsys.readouterr().err.splitlines() if "bridged" in line]
    assert len(note) == 1 and "short gaps and bridged (interpolated)" in note[0]
    assert main(["analyze", str(clean), "--out", str(tmp_path / "b")]) == 0
    assert "bridged" not in capsys.readouterr().err


def test_exercise_names_suggest_the_one_meant() -> None:
    """'crunch', 'revrse-crunch' and a manifest's 'reverse-crunh' got no suggestion."""
    from imu.exercises import PROFILES, closest_name

    names = list(PROFILES)
    assert closest_name("crunch", names) == "reverse-crunch"  # a word of one name alone
    assert closest_name("bug", names) == "dead-bug"
    assert closest_name("revrse-crunch", names) == "reverse-crunch"
    assert closest_name("Plank", names) == "plank"
    assert closest_name("raise", names) is None  # three names have it: no guess


def test_live_sim_and_a_manifest_suggest_the_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["live", "--sim", "revrse-crunch", "--out", str(tmp_path / "o")]) == 2
    assert "did you mean reverse-crunch?" in capsys.readouterr().err
    from imu.batch import BatchError, read_manifest

    manifest = tmp_path / "m.csv"
    manifest.write_text("file,participant,exercise\nrc.parquet,p1,reverse-crunh\n")
    with pytest.raises(BatchError, match="did you mean reverse-crunch"):
        read_manifest(manifest)
