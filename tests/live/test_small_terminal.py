"""The terminal panel and tables at the sizes people use (trial items 4, 10 and 11).

A 40 x 10 terminal (a phone's SSH window) cut the title inside the tempo ("tempo 2-1"),
wrapped the block letters into unreadable rows, showed only the panel's top, and printed the
end tables as "2…"; the advice after a session broke mid-word at 80 columns, and the panel
put the unit of "time under tension 23 s" alone on a line; at 120 x 40 the count stayed the
size it is at 80 x 24.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import PhaseStarted
from imu.live.views import TOO_SMALL, RichView, big_number, big_text
from imu.report.tables import reps_table, sets_table
from imu.report.terminal import print_prose, reps_view, sets_view, wrap_words
from tests.live.web_support import CRUNCH_TEMPO, ManualClock, crunch_reps, session_events
from tests.report.helpers import make_rep


def _view(summary: bool = False) -> RichView:
    """Three crunch reps (rep 3 a leg toss), the fourth's lowering 1.3 s in."""
    clock = ManualClock()
    view = RichView(Console(file=io.StringIO()), CRUNCH_TEMPO, TempoTolerance(), False,
                    get_profile("reverse-crunch"), speed=1.0, clock=clock)
    events = list(session_events(crunch_reps()[:3], CRUNCH_TEMPO))
    for event in events[:-1]:
        view(event)
    if summary:
        view(events[-1])
    else:
        view(PhaseStarted("eccentric", 4, 31.0, 31.3, 3.0))
        clock.now += 1.3
    return view


def _screen(view: RichView, width: int, height: int) -> list[str]:
    """The panel as a terminal of ``width`` x ``height`` shows it."""
    buf = io.StringIO()
    Console(file=buf, width=width, height=height, force_terminal=True,
            color_system=None).print(view.render())
    return buf.getvalue().splitlines()


def test_a_40_by_10_terminal_gets_the_compact_panel() -> None:
    lines = _screen(_view(), 40, 10)
    assert len(lines) <= 10 and all(len(line) <= 40 for line in lines)
    text = "\n".join(lines)
    assert "██" not in text  # no block letters wrapped into glyph rows
    assert "3 reps · set 1" in text
    assert re.search(r"DOWN\s+1\.\d / 3 s", text)
    assert "last rep: up 1.1/3 ▼" in text
    rest = "\n".join(_screen(_view(summary=True), 40, 10))
    assert "REST" in rest and "Slow the descent" in rest


def test_a_terminal_too_small_for_any_layout_says_so_in_a_line() -> None:
    assert _screen(_view(), 60, 4) == [TOO_SMALL]
    narrow = _screen(_view(), 20, 10)  # folded, but the same words
    assert "".join(narrow).replace(" ", "") == TOO_SMALL.replace(" ", "")


@pytest.mark.parametrize("width", range(24, 61, 3))
def test_the_title_is_never_cut_inside_the_tempo(width: int) -> None:
    top = _screen(_view(), width, 30)[0]
    tempos = re.findall(r"\d+(?:-\d+)+", top)
    assert all(t == "3-1-3" for t in tempos), top
    if width >= 40:
        assert "tempo 3-1-3" in top or "3-1-3" in top


def test_block_letters_never_wrap_into_each_other() -> None:
    for width, height in ((40, 30), (60, 30), (80, 24)):
        lines = _screen(_view(), width, height)
        inner = [line.strip("│ ").rstrip() for line in lines]
        rows = [r.strip() for r in big_text("DOWN")]
        found = [k for k, line in enumerate(inner) if line.strip().endswith(rows[0])]
        assert found, (width, "\n".join(lines))
        k = found[0]
        assert [inner[k + i].strip().endswith(rows[i]) for i in range(5)] == [True] * 5, \
            "\n".join(lines)


def test_a_large_terminal_gets_larger_digits() -> None:
    small = "\n".join(_screen(_view(), 80, 24))
    large = "\n".join(_screen(_view(), 120, 40))
    assert big_number(3)[0] in small
    assert big_number(3, scale=2)[0] in large and big_text("DOWN", 2)[0].strip() in large
    assert len(_screen(_view(), 120, 40)) <= 40


@pytest.mark.parametrize("width", [50, 60, 72, 80, 100])
def test_the_set_summary_keeps_each_number_with_its_unit(width: int) -> None:
    lines = _screen(_view(summary=True), width, 40)
    inner = [line.strip("│ ╭╮╰╯─") for line in lines]
    assert not any(re.fullmatch(r"s\b.*", x) for x in inner), "\n".join(lines)
    assert any(re.search(r"time under tension \d+ s", x) for x in inner) or \
        any(re.search(r"\d+ s$", x) for x in inner)


def test_the_end_tables_leave_columns_out_rather_than_cut_numbers() -> None:
    reps = reps_table([make_rep(1, k, 10.0 * k, eccentric_s=0.9 if k == 2 else 2.0,
                                faults={"dropped_eccentric"} if k == 2 else ())
                       for k in range(1, 5)])
    for table in (reps_view(reps), sets_view(sets_table(reps), reps=reps)):
        buf = io.StringIO()
        Console(file=buf, width=40, color_system=None).print(table)
        text = buf.getvalue()
        assert "…" not in text, text
        assert "too narrow for the columns" in text
    buf = io.StringIO()
    Console(file=buf, width=40, color_system=None).print(reps_view(reps))
    row = next(line for line in buf.getvalue().splitlines() if "dropped" in line)
    assert "0.9" in row and "2.0" in row  # up and down whole
    wide = io.StringIO()
    Console(file=wide, width=120, color_system=None).print(reps_view(reps))
    assert "too narrow" not in wide.getvalue() and "pause" in wide.getvalue()


def test_advice_is_word_wrapped_with_numbers_kept_with_their_units() -> None:
    advice = ("fix first: Slow the descent: 1 of 4 descents lasted under 1 s against 3 s "
              "prescribed; time under tension 23 s")
    buf = io.StringIO()
    print_prose(Console(file=buf, width=80, force_terminal=True, color_system=None), advice)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    assert " ".join(lines) == advice
    for width in range(10, 60):
        for line in wrap_words(advice, width):
            assert not re.match(r"s\b", line) and len(line) <= width
    piped = io.StringIO()  # a pipe gets each piece of advice in one line
    print_prose(Console(file=piped, width=80), advice)
    assert piped.getvalue().splitlines() == [advice]


def test_the_end_lines_wrap_at_words_on_a_40_column_terminal(tmp_path: Path) -> None:
    """Trial 24: "wrote ... re" / "ps.parquet" and "report: ... w" / "eb browser" at 40 columns."""
    from imu.live.finish import finish_session
    from imu.live.session import LiveResult
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    tempo = parse_tempo("2-1-2")
    rec = simulate_session(SessionSpec("reverse-crunch", tempo=tempo, reps=3, sets=1,
                                       seed=5)).recording
    buf = io.StringIO()
    out = Console(file=buf, width=40, force_terminal=True, color_system=None, soft_wrap=True)
    finish_session(LiveResult(rec, [], "stopped"), tmp_path, "s", get_profile("reverse-crunch"),
                   tempo, out, None)
    lines = buf.getvalue().splitlines()
    start = next(k for k, line in enumerate(lines) if line.split()[:1] == ["wrote"])
    end = lines[start:]
    assert all(len(line) <= 40 for line in end), end
    words = " ".join(end).split()
    for name in ("reps.parquet,", "report.html", "web", "browser"):
        assert name in words, end
