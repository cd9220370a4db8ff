"""Messages the twenty-fifth new-user trial found wrong or without a way forward."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.tempo import TempoError, parse_tempo
from tests.io.helpers import synthetic_samples


@pytest.mark.parametrize("text", ["30X1", "31x0", "2X10", "4X11"])
def test_strength_notation_with_an_x_is_named(text: str) -> None:
    """``30X1`` (X: as fast as possible) said "has 1 part(s)", as if it were a typo."""
    with pytest.raises(TempoError) as info:
        parse_tempo(text)
    message = str(info.value)
    assert "four-digit eccentric-pause-concentric-pause notation" in message
    assert "X" in message or "x" in message
    assert "part(s)" not in message


def _two_people(tmp_path: Path) -> Path:
    """ann's 12 s labelled reverse crunch; bob's labelled 'Crunches', no profile's name."""
    ann = synthetic_samples(n=600, rate_hz=50.0).assign(user="ann", ex="reverse crunch")
    bob = synthetic_samples(n=600, rate_hz=50.0, seed=1).assign(user="bob", ex="Crunches")
    bob["time_s"] += 100.0
    path = tmp_path / "both.csv"
    pd.concat([ann, bob]).to_csv(path, index=False)
    return path


def test_a_group_with_an_unknown_exercise_label_gets_a_way_forward(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """bob's group named 'Crunches': "pass --exercise E (it applies to every FILE, so analyse
    this one on its own)" could not be done: the group is part of a file, and --exercise
    would also have overridden ann's label."""
    path = _two_people(tmp_path)
    code = main(["analyze", str(path), "--split-by", "user", "--exercise-col", "ex",
                 "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err
    skipped = [ln for ln in err.splitlines() if "skipped" in ln and "Crunches" in ln]
    assert len(skipped) == 1, err
    line = skipped[0]
    assert "did you mean reverse-crunch" in line
    assert "imu convert" in line and "--split-by user" in line
    assert "analyse this one on its own" not in line


def _manifest_folder(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "plank.parquet").write_bytes(b"PAR1")
    return tmp_path


def test_a_manifest_written_on_windows_finds_its_files(tmp_path: Path) -> None:
    """``sub\\plank.parquet`` (Windows' separator, as Excel there writes a path) was "none of
    its 1 file exist (line 2: .../sub\\plank.parquet)", with no word of the separator."""
    from imu.batch import load_manifest
    from imu.io.recording import resolved

    folder = _manifest_folder(tmp_path)
    manifest = folder / "manifest.csv"
    manifest.write_text("file,participant,exercise\nsub\\plank.parquet,P1,plank\n",
                        encoding="utf-8")
    rows = load_manifest(manifest).rows
    assert list(rows) == [resolved(folder / "sub" / "plank.parquet")]


def test_a_manifest_header_in_capitals_is_read(tmp_path: Path) -> None:
    """``File,Participant,Exercise`` (a spreadsheet's capitals) was refused: "no 'file'
    column", though CSV sample columns are matched ignoring case."""
    from imu.batch import load_manifest

    folder = _manifest_folder(tmp_path)
    manifest = folder / "manifest.csv"
    manifest.write_text("File,Participant,Exercise\nsub/plank.parquet,P1,plank\n",
                        encoding="utf-8")
    row = next(iter(load_manifest(manifest).rows.values()))
    assert row.participant == "P1"
    assert row.exercise == "plank"
