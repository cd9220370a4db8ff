"""Sessions that start at the same moment are named on the progress page and the terminal.

Trial 23: a replay keeps the original's participant and start time, so 'imu progress me
replays' counted one session twice ("7 sessions", a week doubled), without a word. Copies
with the same bytes were already analysed once; these differ in bytes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from imu.cli import main
from imu.io.recording import cut_recording, write_recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

START_S = 1_759_654_800.0  # 2025-10-05 09:00 UTC


def _sessions(folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir()
    paths = []
    for seed, start in ((1, START_S), (2, START_S + 3 * 86400.0)):
        rec = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"),
                                           reps=6, sets=1, seed=seed)).recording
        rec = rec.with_meta(participant="me", start_time_s=start)
        paths.append(write_recording(rec, folder / f"s{seed}.parquet"))
        if seed == 1:  # a copy of the first with other bytes (a replay's), the same start
            copy = cut_recording(rec, 0, rec.n_samples - 1).with_meta(start_time_s=start)
            paths.append(write_recording(copy, folder / "s1-replay.parquet"))
    return paths[0], paths[1], paths[2]


def test_a_copy_of_a_session_with_its_start_is_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    first, copy, _ = _sessions(tmp_path / "in")
    out = tmp_path / "page"
    assert main(["progress", str(tmp_path / "in"), "-e", "reverse-crunch",
                 "--out", str(out)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    said = ("2 sessions start at the same moment (5 Oct 2025 09:00 UTC): {} and {}; a replay "
            "or a second recovery of one session keeps its start, so it is counted twice: "
            "leave the copies out")
    assert said.format(first, copy) in text or said.format(copy, first) in text
    assert "3 sessions" in text  # counted, as said; not dropped
    page = " ".join((out / "progress.html").read_text().split())
    assert "start at the same moment" in page
    monkeypatch.undo()
    time.tzset()


def test_sessions_at_other_moments_are_not_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _, second = _sessions(tmp_path / "in")
    (tmp_path / "in" / "s1-replay.parquet").unlink()
    assert main(["progress", str(first), str(second), "-e", "reverse-crunch",
                 "--out", str(tmp_path / "page")]) == 0
    assert "same moment" not in capsys.readouterr().out


def test_sessions_on_one_manifest_day_are_not_copies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Review: a manifest's dates are days (midnight UTC): two sessions of one day "started
    at the same moment", and west of UTC the page put them on the day before."""
    first, _, second = _sessions(tmp_path / "in")
    (tmp_path / "in" / "s1-replay.parquet").unlink()
    manifest = tmp_path / "in" / "manifest.csv"
    manifest.write_text("file,participant,date\ns1.parquet,me,2024-01-08\n"
                        "s2.parquet,me,2024-01-08\n")
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    time.tzset()
    try:
        assert main(["progress", str(first), str(second), "--manifest", str(manifest),
                     "-e", "reverse-crunch", "--out", str(tmp_path / "page")]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "same moment" not in out
        page = " ".join((tmp_path / "page" / "progress.html").read_text().split())
        assert "2024-01-08" in page and "2024-01-07" not in page
    finally:
        monkeypatch.undo()
        time.tzset()
