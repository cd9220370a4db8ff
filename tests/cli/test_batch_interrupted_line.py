"""Ctrl-C of ``imu batch`` says what it stored and how to go on, and that is the truth.

The line was "imu batch: interrupted" alone: nothing said that the sessions stored so far stay
done, nor whether running the command again starts over. It does not: their done-markers
make a re-run skip them and analyse the rest (the files that failed again).
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest

import imu.batch
from imu.batch import BatchInterrupted, done_sessions
from imu.cli import main
from imu.cli.batch import interrupted_text

REPO = Path(__file__).resolve().parents[2]
RECORDINGS = ("dead_bug", "leg_raise", "pelvic_tilt", "reverse_crunch")


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in RECORDINGS:
        shutil.copy(REPO / "recordings" / f"{name}.parquet", folder / f"{name}.parquet")
    (folder / "0-bad.parquet").write_bytes(b"not parquet")  # the first in path order
    return folder


def _ctrl_c_on(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    """Make the ``nth`` recording batch analyses raise KeyboardInterrupt (Ctrl-C)."""
    analyze = imu.batch.analyze_job
    calls: list[Path] = []

    def ctrl_c(job: imu.batch.Job, options: imu.batch.BatchOptions) -> imu.batch.SessionOutcome:
        calls.append(job.path)
        if len(calls) == nth:
            raise KeyboardInterrupt
        return analyze(job, options)

    monkeypatch.setattr(imu.batch, "analyze_job", ctrl_c)


def test_ctrl_c_says_what_was_stored_and_a_rerun_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = _inputs(tmp_path), tmp_path / "ds"
    analyze = imu.batch.analyze_job
    _ctrl_c_on(monkeypatch, 4)
    argv = ["batch", str(folder), "--out", str(out), "--workers", "0"]
    assert main(argv) == 130
    err = capsys.readouterr().err.splitlines()
    # 0-bad.parquet failed, dead_bug and leg_raise were stored, 3 recordings are left.
    assert len(done_sessions(out)) == 2
    assert err[-1] == (
        f"imu batch: interrupted: 2 sessions stored in {out} by this run; run the same command "
        f"again to analyse the 3 recordings left (1 of them failed: {out / '_failures.csv'}): "
        "it skips the sessions already stored"
    )  # was "imu batch: interrupted"
    monkeypatch.setattr(imu.batch, "analyze_job", analyze)
    assert main(argv) == 1  # 0-bad.parquet fails again
    said = " ".join(capsys.readouterr().out.split())
    assert "analysed 2 sessions" in said and "skipped 2 already done, 1 failed" in said
    assert len(done_sessions(out)) == len(RECORDINGS)


def test_the_line_with_force_says_a_rerun_starts_over() -> None:
    stop = BatchInterrupted(Path("ds"), stored=1, skipped=0, failed=0, left=3)
    assert interrupted_text(stop, force=True) == (
        "1 session stored in ds by this run; the same command again analyses every recording "
        "again (--force); without --force it skips every session already done, of earlier "
        "runs too, and analyses the others"
    )
    done = BatchInterrupted(Path("ds"), stored=3, skipped=5, failed=0, left=0)
    assert interrupted_text(done) == (
        "3 sessions stored in ds by this run (5 done before); no recording is left to analyse")


def test_other_commands_keep_their_one_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import imu.cli.info

    def ctrl_c(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(imu.cli.info, "run", ctrl_c)
    assert main(["info", str(REPO / "recordings" / "plank.parquet")]) == 130
    assert capsys.readouterr().err == "imu info: interrupted\n"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_wraps_at_words_on_a_narrow_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trial 24: the terminal cut the sentence at its edge ("...the 28 recordings" / " left");
    on a terminal it is word-wrapped, as the advice lines are."""
    folder, out = _inputs(tmp_path), tmp_path / "ds"
    _ctrl_c_on(monkeypatch, 3)
    monkeypatch.setenv("COLUMNS", "40")
    err = _Tty()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["batch", str(folder), "--out", str(out), "--workers", "0"]) == 130
    text = err.getvalue()
    start = text.index("imu batch: interrupted")
    lines = text[start:].splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines), lines
    joined = " ".join(lines)
    assert re.fullmatch(r"imu batch: interrupted: \d+ sessions? stored in .* by this run; run "
                        r"the same command again to analyse the \d+ recordings? left .*: it "
                        r"skips the sessions already stored", joined), lines
