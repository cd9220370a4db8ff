"""``imu analyze``'s advice lines, and its count line, as ``imu live`` ends.

1. Word-wrapped on a terminal: ``imu live`` wrapped its advice (``_prose``), ``imu analyze``
   printed the same lines unwrapped, and a terminal broke them mid-word ("...against 2 s
   prescr" / "ibed"). A pipe still gets each piece of advice whole, on one line.
2. A standing strict lift's count ("7 hip drives (1 uncertain not counted)") is taken from
   the session table's ``uncertain_reps``, not parsed back out of the words of
   :func:`imu.text.uncertain_note`: the same in ``imu analyze`` and at the end of ``imu
   live``, whatever that note says.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from imu.cli import main
from imu.cli.analyze import session_line
from imu.exercises import get_profile
from imu.live.finish import finish_session, live_report
from imu.live.session import LiveResult
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo
from tests.cli.helpers import analyze_output, terminal_of
from tests.report.helpers import make_rep

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"
CRUNCH = RECORDINGS / "reverse_crunch.parquet"
STRICT = get_profile("standing-strict")
ADVICE = ("fix first: ", "verdict: ", "This analysis")


def _advice(out: str) -> list[str]:
    """The lines from the session line on, before the files written."""
    lines = out[:out.index("wrote: ")].splitlines()
    start = next(k for k, line in enumerate(lines) if " of reverse crunch, " in line)
    return [line.rstrip() for line in lines[start:] if line.strip()]


def test_the_advice_is_word_wrapped_on_a_terminal_and_whole_in_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = [CRUNCH]
    piped = analyze_output(tmp_path / "piped", args, capsys)
    whole = _advice(piped)
    fixes = [line for line in whole if line.startswith("fix first: ")]
    assert fixes and any(len(line) > 100 for line in fixes), whole  # long lines to wrap
    assert [line.split(":")[0] for line in whole if line.startswith(ADVICE[:2])] == (
        ["fix first"] * len(fixes) + ["verdict"])

    terminal_of(monkeypatch, 60)
    wrapped = _advice(analyze_output(tmp_path / "tty", args, capsys))
    assert max(cell_len(line) for line in wrapped) <= 60, wrapped
    # Each piece of advice, its wrapped lines joined again, is the piped line: no word cut.
    pieces: list[str] = []
    for line in wrapped:
        if line.startswith(ADVICE) or not pieces:
            pieces.append(line)
        else:
            pieces[-1] += " " + line
    assert pieces == whole
    assert any(re.search(r"\d s prescribed", line) for line in whole)


def _strict_report_reps() -> list:
    """Three hip drives far apart, the last uncertain (too small to be sure)."""
    return [dataclasses.replace(make_rep(k, 1, start, swing=True, rom_deg=rom),
                                count_confidence=confidence)
            for k, (start, rom, confidence) in enumerate(
                ((5.0, 14.0, 0.9), (20.0, 12.0, 0.8), (35.0, 6.0, 0.1)), start=1)]


def test_a_strict_count_comes_from_the_table_not_the_notes_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = simulate_session(SessionSpec("standing-curl", tempo=parse_tempo("2-0-2"), reps=3,
                                       sets=1, seed=1)).recording
    reps = _strict_report_reps()
    report = live_report(rec, reps, STRICT, parse_tempo("2-0-2"))
    row = report.session.iloc[0]
    assert int(row["uncertain_reps"]) == 1
    expected = "2 hip drives (1 uncertain not counted)"
    assert session_line(report, row).startswith(f"{expected} of standing strict lift")
    # Whatever words the note has (or none), the count is the table's.
    monkeypatch.setattr("imu.cli.analyze.uncertain_note", lambda row: "")
    monkeypatch.setattr("imu.live.finish.uncertain_note", lambda row: "")
    assert session_line(report, row).startswith(f"{expected} of standing strict lift")
    buf = io.StringIO()
    finish_session(LiveResult(rec, reps, "stopped"), tmp_path, "s", STRICT,
                   parse_tempo("2-0-2"), Console(file=buf, width=200), None)
    assert f"\n{expected}; " in buf.getvalue()


def test_a_strict_lifts_count_line_reads_the_same_live_and_analyzed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """``imu live --sim standing-curl`` then ``imu analyze`` of the recording it saved."""
    assert main(["live", "--sim", "standing-curl", "--sim-reps", "6", "--sim-sets", "2",
                 "--sim-faults", "swing=0.5", "--sim-seed", "2", "--speed", "50", "--plain",
                 "--out", str(tmp_path / "live"), "--name", "c"]) == 0
    live = capsys.readouterr().out
    [live_line] = [x for x in live.splitlines() if re.match(r"\d+ hip drives?\b.*; ", x)]
    analyzed = analyze_output(tmp_path, [tmp_path / "live" / "c.parquet"], capsys)
    [line] = [x for x in analyzed.splitlines() if "of standing strict lift" in x]
    counted = line.removesuffix(" of standing strict lift (curl, press)")
    assert live_line.startswith(f"{counted}; ")
    assert "(1 uncertain not counted)" in counted  # the seed has one uncertain hip drive
