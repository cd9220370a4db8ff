"""A rep after a long pause (``missed_before``) is told where a user reads the end of a session.

Found trying the tool as a new user: the reps table marked the rep ``*4`` with its legend, and
the HTML card said "A rep may be missing before set 2, rep 4", but the lines ``imu analyze``
ends with (the count, "fix first", the verdict) and those a live session or a replay ends
with said nothing of it; nor did the terminal's live panel, where the plain line did.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from imu.cli import main
from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.io.recording import Recording, read_recording, write_recording
from imu.live.events import RepDone
from imu.live.finish import coaching_lines
from imu.live.views import RichView
from imu.report.session import analyze_recording
from imu.report.summary import MISSED_BEFORE_NOTE, missed_note
from imu.tempo import parse_tempo
from tests.cli.helpers import ANSI
from tests.live.web_support import ManualClock, rendered
from tests.report.helpers import make_set

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"
DEAD_BUG = get_profile("dead-bug")


def _without_a_rep(tmp_path: Path, set_no: int = 2, rep_no: int = 4) -> Path:
    """The bundled dead bug with one rep erased: the bottom pause before it, repeated.

    The rep after it then comes after a pause of about two of the set's intervals, as a rep
    too small for the hip to show leaves it.
    """
    rec = read_recording(RECORDINGS / "dead_bug.parquet")
    truth = pd.read_csv(RECORDINGS / "dead_bug.truth.csv")
    fs = rec.sampling_rate_hz
    row = truth[(truth["set"] == set_no) & (truth["rep"] == rep_no)].iloc[0]
    prev = truth[(truth["set"] == set_no) & (truth["rep"] == rep_no - 1)].iloc[0]
    still_from, still_to = int(prev["ecc_end_s"] * fs) + 2, int(row["con_start_s"] * fs) - 2
    start, end = int(row["con_start_s"] * fs) - 2, int(row["ecc_end_s"] * fs) + 2
    index = still_from + np.arange(end - start) % (still_to - still_from)
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    acc[start:end], gyr[start:end] = acc[index], gyr[index]
    return write_recording(Recording(acc, gyr, rec.meta), tmp_path / "dead_bug_short.parquet")


def test_imu_analyze_ends_by_saying_where_a_rep_may_be_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _without_a_rep(tmp_path)
    assert main(["analyze", str(path), "--out", str(tmp_path / "out")]) == 0
    out = " ".join(ANSI.sub("", capsys.readouterr().out).split())
    reps = pd.read_csv(tmp_path / "out" / "reps.csv")
    marked = reps[reps["missed_before"]]
    assert [(int(s), int(r)) for s, r in zip(marked["set"], marked["rep"], strict=True)] == [
        (2, 4)]
    assert missed_note("set 2, rep 4") in out
    # Before the advice, as on the report's card.
    assert out.index("A rep may be missing before set 2, rep 4") < out.index("verdict:")


def test_a_live_session_and_a_replay_end_by_saying_it_too(tmp_path: Path) -> None:
    report = analyze_recording(read_recording(_without_a_rep(tmp_path)), "dead-bug")
    lines = coaching_lines(report)
    assert missed_note("set 2, rep 4") in lines
    assert lines[-1].startswith("verdict:")
    quiet = analyze_recording(read_recording(RECORDINGS / "dead_bug.parquet"), "dead-bug")
    assert not any("may be missing" in line for line in coaching_lines(quiet))


def test_several_marked_reps_are_told_as_several() -> None:
    assert "the pause before it was" in missed_note("set 2, rep 4")
    several = missed_note("set 2, reps 5-6")
    assert "the pause before each of them" in several and "before it was" not in several
    assert "before each of them" in missed_note("set 1, rep 4; set 2, rep 7")


def test_the_live_panel_says_it_under_the_last_rep() -> None:
    rich = RichView(Console(file=io.StringIO()), parse_tempo("2-1-2"), TempoTolerance(), False,
                    DEAD_BUG, speed=1.0, clock=ManualClock())
    reps = make_set(1, 5, 0.0, 6.0)
    marked = dataclasses.replace(reps[3], missed_before=True)
    rich(RepDone(marked, 0.0, 0.0))  # type: ignore[arg-type]
    assert f"last rep: {MISSED_BEFORE_NOTE}" in rendered(rich, width=80)
    rich(RepDone(reps[4], 0.0, 0.0))  # type: ignore[arg-type]
    assert MISSED_BEFORE_NOTE not in rendered(rich, width=80)


def test_the_report_badges_the_rep_in_its_set(tmp_path: Path) -> None:
    """The card said "A rep may be missing before set 2, rep 4", but set 2's table gave rep 4
    no sign of it (the terminal marks it "*4", the phone page badges it)."""
    from imu.report.html import set_section

    report = analyze_recording(read_recording(_without_a_rep(tmp_path)), "dead-bug")
    reps = report.reps[report.reps["set"] == 2]
    set_row = report.sets[report.sets["set"] == 2].iloc[0].to_dict()
    section = set_section(report, set_row, reps)
    assert section.count(MISSED_BEFORE_NOTE) == 1
    rows = section.split("<tr")
    assert MISSED_BEFORE_NOTE in next(r for r in rows if r.startswith("><td>4</td>"))
    old = reps.drop(columns="missed_before")  # a table written before the column
    assert MISSED_BEFORE_NOTE not in set_section(report, set_row, old)


def test_analyze_help_says_what_the_marks_mean(capsys: pytest.CaptureFixture[str]) -> None:
    """Where a user looks for what "*4" means before running it: the help said nothing of it."""
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "*4 comes after a long pause" in text and "may be missing before it" in text
    assert "2? is uncertain" in text
