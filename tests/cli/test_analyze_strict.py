"""``imu analyze`` of a standing strict lift tells hip drives placed in time, as ``imu live`` ends.

Left behind when the report page and the live screens learnt it: ``imu analyze`` still printed
"3 reps in 3 sets of standing strict lift (curl, press), tempo 2-0-2, time under tension 2 s",
a sets table of stretches of hip drives between pauses (no set the person did) and a reps
table whose every drive read up/hold/down with tempo "off". Now the line counts hip drives
(:func:`imu.report.summary.counted_words`) with no tempo or time under tension, there is no
sets table, and the table of hip drives tells when each began and how far the pelvis moved.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import analyze_output, terminal_of

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


@pytest.fixture(scope="module")
def curls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated standing curl whose every rep drives the weight with the hips (2 sets)."""
    path = tmp_path_factory.mktemp("strict") / "curls.parquet"
    assert main(["simulate", "standing-curl", "--out", str(path), "--faults", "swing=1",
                 "--seed", "1", "--reps", "2", "--sets", "2", "--rest", "30"]) == 0
    return path


def test_a_strict_lift_is_told_by_its_hip_drives(
    tmp_path: Path, curls: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal_of(monkeypatch, 80)
    out = analyze_output(tmp_path, [curls], capsys)
    out = out[:out.index("wrote: ")]  # the files written are named sets.csv ...
    [line] = [x for x in out.splitlines() if "of standing strict lift" in x]
    assert re.fullmatch(r"\d+ hip drives? of standing strict lift \(curl, press\)", line), out
    assert "tempo" not in out and "under tension" not in out, out
    assert " reps in " not in out and " sets" not in out, out
    # No sets table, and no phases, swing or tempo columns in the table of hip drives.
    assert not any(x.strip() == "sets" for x in out.splitlines()), out
    assert "hip drives" in out and "pelvis" in out and "moved deg" in out
    head = out[:out.index(line)]
    for word in ("up", "down", "pause", "swing", "off", "ok", "set", "rep"):
        assert not re.search(rf"\b{word}\b", head), (word, out)
    # One row per hip drive: its number, when it began (s) and how far the pelvis moved.
    rows = [x.split() for x in head.splitlines() if x.strip()[:1].isdigit()]
    n = int(line.split()[0])
    assert [int(r[0]) for r in rows] == list(range(1, n + 1))
    starts = [int(r[1]) for r in rows]
    assert starts == sorted(starts) and starts[-1] > 30  # the second "set" is placed in time
    assert all(5 <= int(r[2]) <= 40 for r in rows)


def test_a_strict_lift_among_other_exercises_gets_a_block_of_its_own(
    tmp_path: Path, curls: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Even in a wide terminal: one shared table would tell the hip drives as reps."""
    terminal_of(monkeypatch, 200)
    out = analyze_output(tmp_path, [curls, RECORDINGS / "reverse_crunch.parquet"], capsys)
    lines = out.splitlines()
    strict = lines.index("curls: standing strict lift (curl, press)")
    crunch = lines.index("reverse_crunch: reverse crunch")
    drives, reps = "\n".join(lines[strict:crunch]), "\n".join(lines[crunch:])
    assert "hip drives" in drives and "tempo" not in drives
    assert not any(x.strip() == "sets" for x in lines[strict:crunch])
    assert "tempo" in reps and any(x.strip() == "sets" for x in lines[crunch:])
    assert re.search(r"^curls: \d+ hip drives? of standing strict lift \(curl, press\)$",
                     out, re.MULTILINE), out
    assert "reverse_crunch: 12 reps in 2 sets of reverse crunch, tempo 3-1-3" in out
