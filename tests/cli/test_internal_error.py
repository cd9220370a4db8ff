"""An error imu did not foresee is one line naming it as a bug, not a traceback (trial 20).

A CSV with a blank line above its header ended every command in ``StopIteration`` and a
traceback, and a multi-file ``imu analyze`` lost every file with it. Foreseen problems are
``ImuError`` with their own message; anything else is a bug, said so in one line (exit
code 3), with the traceback under ``-v``, and the other files of a run are still analysed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import imu.cli.analyze as analyze_cli
from imu.cli import main

REPO = Path(__file__).resolve().parents[2]
CRUNCH = REPO / "recordings" / "reverse_crunch.parquet"


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    shutil.copy(CRUNCH, a)
    shutil.copy(CRUNCH, b)
    return a, b


def _bug_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the analysis of the recording named ``name`` fail as a bug would."""
    real = analyze_cli._analyse_one

    def flaky(args, rec_name, path, *rest):  # type: ignore[no-untyped-def]
        if rec_name == name:
            raise StopIteration
        return real(args, rec_name, path, *rest)

    monkeypatch.setattr(analyze_cli, "_analyse_one", flaky)


def test_a_bug_is_one_line_with_exit_code_3(
    two_files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _bug_on("a", monkeypatch)
    code = main(["analyze", str(two_files[0]), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 3
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(
        "imu analyze: error: internal error (StopIteration): a bug in imu")
    assert "-v" in err
    with pytest.raises(StopIteration):  # -v: the traceback, for the report
        main(["-v", "analyze", str(two_files[0]), "--out", str(tmp_path / "v")])


def test_of_several_files_a_bug_on_one_skips_it(
    two_files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _bug_on("a", monkeypatch)
    out = tmp_path / "o"
    code = main(["analyze", *map(str, two_files), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1  # some skipped, the others analysed and written
    assert "internal error (StopIteration)" in err and "Traceback" not in err
    assert len(pd.read_csv(out / "reps.csv")) > 0


def test_a_blank_line_above_the_header_is_skipped(tmp_path: Path) -> None:
    """The trial's file: an exporter's empty first line (or one after its '#' line)."""
    frame = pd.read_parquet(CRUNCH)
    body = frame.to_csv(index=False)
    for name, text in (("blank.csv", "\n" + body), ("comment.csv", "# exported\n\n" + body)):
        path = tmp_path / name
        path.write_text(text)
        assert main(["info", str(path)]) == 0, name


def _refused_in(name: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the recording named ``name`` meet a file in ``folder`` the system will not open
    (trial 21: a phone export's Gyroscope.csv readable by its owner only, run as another
    user, was called a bug; tests run as root, whom permissions do not stop)."""
    real = analyze_cli._analyse_one
    refused = folder / "Gyroscope.csv"

    def guarded(args, rec_name, path, *rest):  # type: ignore[no-untyped-def]
        if rec_name == name:
            raise PermissionError(13, "Permission denied", str(refused))
        return real(args, rec_name, path, *rest)

    monkeypatch.setattr(analyze_cli, "_analyse_one", guarded)
    return refused


def test_a_file_the_system_will_not_open_is_no_bug(
    two_files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    refused = _refused_in("a", tmp_path, monkeypatch)
    code = main(["analyze", str(two_files[0]), "--out", str(tmp_path / "o")])
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2
    assert line.startswith(f"imu analyze: error: {refused}: permission denied")
    assert "bug" not in line and "chmod" in line
    code = main(["analyze", *map(str, two_files), "--out", str(tmp_path / "two")])
    err = capsys.readouterr().err
    assert code == 1  # the other file analysed
    assert f"{refused}: permission denied" in err and "internal error" not in err
    assert len(pd.read_csv(tmp_path / "two" / "reps.csv")) > 0


def test_a_folder_that_cannot_be_listed_is_named(
    two_files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import os

    folder = tmp_path / "export"
    folder.mkdir()
    _refused_in("a", folder, monkeypatch)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder
                        else real_access(p, mode))
    assert main(["analyze", str(two_files[0]), "--out", str(tmp_path / "o")]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith(f"imu analyze: error: {folder}: permission denied")
