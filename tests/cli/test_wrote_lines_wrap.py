"""The last "wrote ..." lines of ``imu progress``, ``imu convert`` and ``imu eval`` wrap at
words on a narrow terminal, as those of ``imu analyze`` and ``imu live`` do.

Trial: at 40 columns the terminal cut them at its edge, mid-word ("progress_weekly.c" /
"sv"); a pipe still gets each line whole (for grep).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from imu.cli import main

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"
WIDTH = 40


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch: pytest.MonkeyPatch) -> _Tty:
    """stdout as a terminal of :data:`WIDTH` columns."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    out = _Tty()
    monkeypatch.setattr(sys, "stdout", out)
    return out


def _from(text: str, first_word: str) -> list[str]:
    """The lines of ``text`` from the last one that starts with ``first_word``."""
    lines = text.splitlines()
    start = max(k for k, line in enumerate(lines) if line.split()[:1] == [first_word])
    return lines[start:]


def _wrapped(lines: list[str], words: list[str]) -> None:
    assert len(lines) > 1 and all(len(line) <= WIDTH for line in lines), lines
    shown = " ".join(lines).split()
    for word in words:
        assert word in shown, (word, lines)


def test_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["simulate", "reverse-crunch", "--reps", "4", "--sets", "1", "--seed", "3",
                 "--date", "2024-01-08", "--out", "s.parquet"]) == 0
    out = _terminal(monkeypatch)
    assert main(["progress", "s.parquet", "--out", "pg"]) == 0
    _wrapped(_from(out.getvalue(), "wrote:"),
             ["wrote:", "progress.html,", "progress_weekly.csv", "to", "pg"])


def test_convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    frame = pd.read_parquet(RECORDINGS / "plank.parquet")
    pd.concat([frame.assign(who="first"), frame.assign(who="second")]).to_csv(
        "two.csv", index=False)
    folder = "converted recordings of the plank"
    out = _terminal(monkeypatch)
    assert main(["convert", "two.csv", folder, "--split-by", "who"]) == 0
    lines = out.getvalue().splitlines()
    starts = [k for k, line in enumerate(lines) if line.startswith("wrote:")]
    assert len(starts) == 2, lines
    for k, name in zip(starts, ("first", "second"), strict=True):
        end = next((j for j in range(k, len(lines)) if not lines[j].strip()), len(lines))
        _wrapped(lines[k:end], ["wrote:", "converted", "recordings", "of", "the",
                                f"plank/{name}.parquet"])
    _wrapped(_from(out.getvalue(), "2"), ["recordings", "written", "to", "converted",
                                          "recordings", "of", "the", "plank"])
    # A pipe gets it whole.
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stdout", piped)
    assert main(["convert", "two.csv", folder, "--split-by", "who", "--force"]) == 0
    assert f"2 recordings written to {folder}" in piped.getvalue().splitlines()


def test_eval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    """On a terminal its console wrapped the line at words already; piped, it cut it at 180
    columns ("... about.txt to" / "PATH"), so a grep for the line missed it. One helper for
    both, as the other commands' lines."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / ("a-rather-long-folder-name-for-the-evaluation-output" * 2) / "eval"
    argv = ["eval", "--exercises", "reverse-crunch", "--sessions", "1", "--max-rate", "26",
            "--workers", "1", "--out", str(folder)]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("wrote counts.csv, ") and lines[-1].endswith(f" to {folder}")
    out = _terminal(monkeypatch)
    assert main([*argv[:-1], "evaluation"]) == 0
    _wrapped(_from(out.getvalue(), "wrote"),
             ["counts.csv,", "boundaries.csv,", "about.txt", "to", "evaluation"])
