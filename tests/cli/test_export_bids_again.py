"""``imu export-bids`` run again with another --subject or --task (new-user trial 24).

The earlier export stayed: the same recording was in the BIDS dataset twice, and
participants.tsv listed both subjects. The file is now skipped with the earlier export named;
``--replace`` writes the new export and removes the earlier one (and its subject's row when
that subject has no other recording).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main

PLANK = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"


def _motion(out: Path) -> list[str]:
    return sorted(p.name.split("_")[0] + "_" + p.name.split("_")[2]
                  for p in out.rglob("*_motion.tsv"))


def _subjects(out: Path) -> list[str]:
    return pd.read_csv(out / "participants.tsv", sep="\t")["participant_id"].tolist()


def _export(*args: str) -> int:
    return main(["export-bids", *args, "--no-events"])


def test_a_second_subject_is_refused_then_replaces_with_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = tmp_path / "s.parquet"
    shutil.copy(PLANK, rec)
    out = tmp_path / "bids"
    assert _export(str(rec), "--out", str(out), "--subject", "S01") == 0
    capsys.readouterr()
    assert _export(str(rec), "--out", str(out), "--subject", "S02") == 2
    said = capsys.readouterr()
    text = " ".join((said.out + said.err).split())
    assert "already exported as" in text and "sub-S01_ses-" in text, text
    assert "(the same file content)" in text and "--replace" in text
    assert _motion(out) == ["sub-S01_task-plank"] and _subjects(out) == ["sub-S01"]
    # The same again under its first names: rewritten in place, no refusal.
    assert _export(str(rec), "--out", str(out), "--subject", "S01") == 0
    capsys.readouterr()
    assert _export(str(rec), "--out", str(out), "--subject", "S02", "--replace") == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "replaced its earlier export" in err and "sub-S01_ses-" in err, err
    assert _motion(out) == ["sub-S02_task-plank"]
    assert _subjects(out) == ["sub-S02"]
    assert not (out / "sub-S01").exists()


def test_a_copy_under_another_task_is_found_by_content_and_a_subject_row_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same bytes in another file are the same recording; the subject keeps its row
    while a recording of it is left."""
    first, copy = tmp_path / "a.parquet", tmp_path / "copy" / "b.parquet"
    shutil.copy(PLANK, first)
    copy.parent.mkdir()
    shutil.copy(PLANK, copy)
    out = tmp_path / "bids"
    assert _export(str(first), "--out", str(out), "--subject", "S01") == 0
    assert _export(str(copy), "--out", str(out), "--subject", "S01", "--task", "hold") == 2
    assert "already exported as" in capsys.readouterr().out
    assert _export(str(copy), "--out", str(out), "--subject", "S01", "--task", "hold",
                   "--replace") == 0
    assert _motion(out) == ["sub-S01_task-hold"]
    assert _subjects(out) == ["sub-S01"]
