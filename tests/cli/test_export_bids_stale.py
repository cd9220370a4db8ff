"""``imu export-bids`` again into a root whose earlier exports changed (review 24).

A different recording copied over an exported file's path was taken for "the same file": it
was refused, and ``--replace`` deleted the first (different) recording's export. An export
folder deleted by hand left its subject in participants.tsv and its record in
``.imu-exports.json``, even with ``--replace``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import read_recording, write_recording

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"
PLANK = RECORDINGS / "plank.parquet"
DEAD_BUG = RECORDINGS / "dead_bug.parquet"


def _another(path: Path) -> None:
    """Write over ``path`` another recording of the same participant (an hour later)."""
    rec = read_recording(DEAD_BUG)
    plank = read_recording(PLANK).meta
    write_recording(rec.with_meta(participant=plank.participant,
                                  start_time_s=plank.start_time_s + 3600.0), path)


def _export(*args: str) -> int:
    return main(["export-bids", *args, "--no-events"])


def _motion(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*_motion.tsv"))


def _subjects(out: Path) -> list[str]:
    return pd.read_csv(out / "participants.tsv", sep="\t")["participant_id"].tolist()


@pytest.mark.parametrize("replace", [False, True])
def test_another_recording_at_the_same_path_is_another_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], replace: bool
) -> None:
    rec, out = tmp_path / "a.parquet", tmp_path / "bids"
    shutil.copy(PLANK, rec)
    assert _export(str(rec), "--out", str(out), "--subject", "S09") == 0
    first = _motion(out)
    assert len(first) == 1
    _another(rec)  # a different recording, the same path
    capsys.readouterr()
    extra = ["--replace"] if replace else []
    assert _export(str(rec), "--out", str(out), "--subject", "S09", *extra) == 0
    said = capsys.readouterr()
    text = " ".join((said.out + said.err).split())
    assert "already exported" not in text and "replaced" not in text, text
    both = _motion(out)
    assert len(both) == 2 and set(first) < set(both), both  # the first one is kept
    assert (out / "sub-S09").is_dir()
    assert len(json.loads((out / ".imu-exports.json").read_text())) == 2


def test_replace_after_an_export_folder_was_deleted_drops_its_row_and_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec, out = tmp_path / "a.parquet", tmp_path / "bids"
    shutil.copy(PLANK, rec)
    assert _export(str(rec), "--out", str(out), "--subject", "S07") == 0
    shutil.rmtree(out / "sub-S07")
    capsys.readouterr()
    assert _export(str(rec), "--out", str(out), "--subject", "S09", "--replace") == 0
    assert "removed sub-S07 from participants.tsv" in " ".join(capsys.readouterr().err.split())
    assert _subjects(out) == ["sub-S09"]
    index = json.loads((out / ".imu-exports.json").read_text())
    assert [record["subject"] for record in index.values()] == ["S09"]


def test_without_replace_a_deleted_export_leaves_the_index_but_not_participants(
    tmp_path: Path,
) -> None:
    """Stale index records go always; participants.tsv rows only with --replace."""
    rec, other, out = tmp_path / "a.parquet", tmp_path / "b.parquet", tmp_path / "bids"
    shutil.copy(PLANK, rec)
    _another(other)
    assert _export(str(rec), "--out", str(out), "--subject", "S07") == 0
    shutil.rmtree(out / "sub-S07")
    assert _export(str(other), "--out", str(out), "--subject", "S09") == 0
    assert _subjects(out) == ["sub-S07", "sub-S09"]
    index = json.loads((out / ".imu-exports.json").read_text())
    assert [record["subject"] for record in index.values()] == ["S09"]
