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
