"""``imu export-bids`` of a recording too short to analyse says so, as analyze/batch do.

Trial 18: a 2 s recording printed "(5 files, 0 reps as events)" and exited 0 with an empty
events.tsv and no note, whereas ``imu analyze`` said it was too short to analyse.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from imu.cli import main
from imu.io import Recording, read_recording, write_recording

BUNDLED = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def _short(tmp_path: Path, seconds: float = 2.0) -> Path:
    rec = read_recording(BUNDLED)
    n = round(seconds * rec.sampling_rate_hz)
    short = Recording(rec.acc[:n].copy(), rec.gyr[:n].copy(),
                      replace(rec.meta, gaps=(), annotations=(), participant="P01"))
    return write_recording(short, tmp_path / "short.parquet")


def test_a_2_s_recording_is_exported_with_the_too_short_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _short(tmp_path)
    out = tmp_path / "bids"
    assert main(["export-bids", str(path), "--out", str(out)]) == 0
    said = capsys.readouterr()
    # The words of imu analyze (imu.report.session.check_long_enough).
    assert "too short to analyse: 2.00 s of data" in said.err
    assert "no events written" in said.err
    assert "0 reps as events" not in said.out
    assert list(out.rglob("*_motion.tsv"))  # the samples are still exported
    assert not list(out.rglob("*_events.tsv"))
    main(["analyze", str(path), "--out", str(tmp_path / "a")])
    analyze_err = capsys.readouterr().err
    reason = analyze_err.split("too short to analyse:", 1)[1].split(";", 1)[0]
    assert reason in said.err
