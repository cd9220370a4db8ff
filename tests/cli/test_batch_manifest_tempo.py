"""``--tempo`` beside a manifest that gives tempos, in imu batch and imu progress (trial 24).

``imu batch --manifest M --tempo 5-1-5`` kept the manifest's tempos (documented: the
manifest wins) without a word, and ``imu progress DATASET --tempo`` advised "run 'imu batch
--tempo'", which changes nothing for such a dataset: the advice is to edit the manifest's
tempo column and run the batch again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imu.batch import tempo_sources
from imu.cli import main


def _recordings(tmp_path: Path, n: int = 2) -> list[Path]:
    files = []
    for k in range(n):
        rec = tmp_path / "cohort" / f"s{k}.parquet"
        assert main(["simulate", "reverse-crunch", "--reps", "3", "--sets", "1", "--seed",
                     str(k + 1), "--out", str(rec)]) == 0
        files.append(rec)
    return files


def _manifest(tmp_path: Path, tempos: list[str]) -> Path:
    manifest = tmp_path / "cohort" / "manifest.csv"
    rows = [f"s{k}.parquet,P01,reverse-crunch,{tempo}" for k, tempo in enumerate(tempos)]
    manifest.write_text("file,participant,exercise,tempo\n" + "\n".join(rows) + "\n")
    return manifest


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_batch_says_the_manifest_tempo_wins_and_how_to_change_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _recordings(tmp_path)
    manifest = _manifest(tmp_path, ["3-1-3", ""])
    capsys.readouterr()
    ds = tmp_path / "ds"
    assert main(["batch", "--manifest", str(manifest), "--tempo", "4-1-4", "--out", str(ds),
                 "--workers", "0"]) == 0
    err = _one_line(capsys.readouterr().err)
    assert err.count("is not used for") == 1, err
    assert (f"--tempo 4-1-4 is not used for 1 of the 2 recordings: it keeps the tempo the "
            f"manifest {manifest} gives it") in err, err
    assert "edit the manifest's tempo column" in err
    assert tempo_sources(ds) == {"manifest": 1, "--tempo": 1}
    # Progress of that dataset with --tempo: the manifest's column, not 'imu batch --tempo'.
    assert main(["progress", str(ds), "--tempo", "5-1-5", "--out", str(tmp_path / "pg")]) == 0
    out = _one_line(capsys.readouterr().out)
    assert ("1 of its 2 sessions take their tempo from a manifest: to change them, edit the "
            "tempo column of the manifest it was built with") in out, out
    assert "for the others, run 'imu batch --tempo'" in out


def test_no_note_without_manifest_tempos_and_progress_of_an_all_manifest_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _recordings(tmp_path)
    manifest = _manifest(tmp_path, ["3-1-3", "2-1-2"])
    ds = tmp_path / "ds"
    assert main(["batch", "--manifest", str(manifest), "--out", str(ds), "--workers",
                 "0"]) == 0
    assert "is not used" not in capsys.readouterr().err  # no --tempo: nothing to say
    assert main(["progress", str(ds), "--tempo", "5-1-5", "--out", str(tmp_path / "pg")]) == 0
    out = _one_line(capsys.readouterr().out)
    assert "its tempos come from a manifest: to change them, edit the tempo column" in out
    assert "imu batch --tempo" not in out, out


def test_progress_of_an_older_dataset_names_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Markers of an earlier imu version do not say where the tempo came from."""
    _recordings(tmp_path, 1)
    ds = tmp_path / "ds"
    assert main(["batch", str(tmp_path / "cohort"), "--out", str(ds), "--workers", "0"]) == 0
    for marker in (ds / "_done").glob("*.json"):
        record = json.loads(marker.read_text())
        assert record.pop("tempo_from") == "recording"
        marker.write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["progress", str(ds), "--tempo", "5-1-5", "--out", str(tmp_path / "pg")]) == 0
    out = _one_line(capsys.readouterr().out)
    assert "run 'imu batch --tempo' on its recordings, or, for recordings a manifest" in out
