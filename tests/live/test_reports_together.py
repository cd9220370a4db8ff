"""A write failure while ``imu live`` (or ``imu replay``) writes its reports replaces nothing.

Before, the end of a session wrote its seven report files one by one: a disk that filled up
half-way left this session's ``reps`` tables beside an earlier run's sets, session and
``report.html`` in ``NAME/``, and the error said "cannot write reports ...; choose a writable
--out", not that the recording was safe. Now the set is replaced all together or not at all
(:func:`imu.io.atomic.replace_together`, as ``imu analyze`` does), and the error says that the
recording is saved and how to make its reports.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.recording import read_recording
from imu.report.tables import REPORT_FILES

from ..cli.helpers import fill_the_disk_at, one_error_line

LIVE = ["live", "--sim", "reverse-crunch", "--speed", "50", "--plain"]
RECORDINGS = Path(__file__).parents[2] / "recordings"


def _analyze_words(err: str) -> list[str]:
    """The ``imu analyze`` command the error gives, as words (without ``imu``)."""
    words = shlex.split(err[err.index("imu analyze "):].strip())
    return words[1:]


def test_a_full_disk_half_way_leaves_the_earlier_reports_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sessions"
    assert main([*LIVE, "--sim-reps", "2", "--name", "s", "--out", str(out)]) == 0
    folder = out / "s"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(REPORT_FILES) <= set(before)
    (out / "s.parquet").rename(tmp_path / "kept.parquet")  # moved away: the name is free
    capsys.readouterr()

    fill_the_disk_at(monkeypatch, "sets.parquet")  # reps.csv, reps.parquet, sets.csv done
    code = main([*LIVE, "--sim-reps", "3", "--name", "s", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    # Every report is the earlier run's, byte for byte; no new table, no temporary file left.
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    line = one_error_line(err)
    assert line.startswith("imu live: error: cannot write reports to")
    assert "No space left on device" in line
    assert f"nothing was replaced: {folder} still holds the earlier run's reports" in line
    recording = out / "s.parquet"
    assert f"the recording is safe: {recording}" in line
    assert "journalled to disk as it arrived" in line
    assert "choose a writable --out" not in line  # --out is not what to change
    assert sorted(p.name for p in out.iterdir()) == ["s", "s.parquet"]  # no journal left
    assert read_recording(recording).n_samples > 0

    monkeypatch.undo()  # the disk has space again: the command given makes the reports
    words = _analyze_words(line)
    assert words[:2] == ["analyze", str(recording)]
    assert words[words.index("--out") + 1] == str(folder)
    assert main(words) == 0
    assert len(pd.read_csv(folder / "reps.csv")) == 3


def test_a_full_disk_on_a_new_folder_leaves_no_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sessions"
    fill_the_disk_at(monkeypatch, "session.parquet")
    assert main([*LIVE, "--sim-reps", "2", "--name", "s", "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "No space left on device" in line and "earlier run" not in line
    assert "no report was written" in line
    assert f"the recording is safe: {out / 's.parquet'}" in line
    assert f"imu analyze {out / 's.parquet'}" in line
    assert not (out / "s").exists()  # no empty folder that looks like the reports
    assert read_recording(out / "s.parquet").n_samples > 0


def test_replay_replaces_its_reports_together_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "replayed"
    folder = out / "r"
    folder.mkdir(parents=True)
    for name in REPORT_FILES:  # an earlier run's reports
        (folder / name).write_text(f"earlier {name}")
    fill_the_disk_at(monkeypatch, "session.parquet")
    code = main(["replay", str(RECORDINGS / "plank.parquet"), "--speed", "50", "--plain",
                 "--name", "r", "--out", str(out)])
    line = one_error_line(capsys.readouterr().err)
    assert code == 2
    assert line.startswith("imu replay: error: cannot write reports to")
    assert f"nothing was replaced: {folder} still holds the earlier run's reports" in line
    assert f"the recording is safe: {out / 'r.parquet'}" in line
    assert {p.name: p.read_text() for p in folder.iterdir()} == {
        name: f"earlier {name}" for name in REPORT_FILES
    }
