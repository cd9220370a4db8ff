"""``imu analyze`` of several files prints tables one can read at any width.

Found in a new-user trial: in an 80-column terminal the combined table's ``recording`` column
squeezed every cell ("rev…", "dea…", "swi…"): neither the recording nor the swing could be
read. There each recording now gets a block of its own; a wider terminal, and a pipe, still
get one table with the ``recording`` column, at its full width.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import analyze_output, terminal_of

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def _table_lines(out: str) -> list[str]:
    """The lines of the printed tables: those before the first session line."""
    lines = out.splitlines()
    end = next(i for i, line in enumerate(lines) if " reps in " in line or " holds in " in line)
    return lines[:end]


BOTH = [RECORDINGS / "reverse_crunch.parquet", RECORDINGS / "dead_bug.parquet"]


def test_an_80_column_terminal_gets_a_block_per_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_of(monkeypatch, 80)
    out = analyze_output(tmp_path, BOTH, capsys)
    tables = _table_lines(out)
    assert all(len(line.rstrip()) <= 80 for line in tables), "\n".join(tables)
    for cut in ("rev…", "dea…", "swi…", "rec…"):
        assert cut not in out, out
    # each recording under its name and exercise, its own reps (and sets) below it
    assert "reverse_crunch: reverse crunch" in tables
    assert "dead_bug: dead bug" in tables
    block = tables.index("dead_bug: dead bug")
    crunch, bug = "\n".join(tables[:block]), "\n".join(tables[block:])
    assert "dropped descent" in crunch and re.search(r"\bswing\b", crunch)
    assert "right" in bug and "dropped descent" not in bug
    assert "recording" not in "\n".join(tables)


def test_a_wide_terminal_gets_one_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal_of(monkeypatch, 200)
    out = analyze_output(tmp_path, BOTH, capsys)
    tables = _table_lines(out)
    assert "reverse_crunch: reverse crunch" not in tables
    assert any(line.split()[:2] == ["recording", "set"] for line in tables)
    assert any(line.split()[:1] == ["reverse_crunch"] for line in tables)
    assert any(line.split()[:1] == ["dead_bug"] for line in tables)


def test_piped_the_table_has_its_full_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Long file names made the combined table wider than the 120 columns of a pipe."""
    long = [tmp_path / f"participant_07_{p.stem}_2024-01-08_evening_session.parquet"
            for p in BOTH]
    for source, copy in zip(BOTH, long, strict=True):
        shutil.copy(source, copy)
    out = analyze_output(tmp_path, long, capsys)
    tables = _table_lines(out)
    assert "…" not in "\n".join(tables)
    rows = [line.split()[0] for line in tables if line.startswith(" participant_")]
    assert set(rows) == {p.stem for p in long}
