"""A phyphox pause before the first sample or after the last one is no gap (review 24).

``imu info`` of a measurement paused at once (resumed a minute later) or after its last
sample warned "the measurement was paused once ... which is a gap with no samples" and also
said "gaps none". Only a pause between the first and the last sample is counted and warned
about; one between sets still is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.io.phone import import_phone
from imu.io.recording import Recording, pauses_s
from tests.io.phyphox_pause import START_UNIX_S, paused_export, two_sets

PAUSED_S = 60.0


@pytest.fixture(scope="module")
def session() -> Recording:
    return two_sets()


def _paused_warnings(path: Path) -> list[str]:
    return [w for w in import_phone(path).report.warnings if "paused" in w]


def test_a_pause_at_the_start_is_no_gap(session: Recording, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = paused_export(tmp_path / "start.zip", session, 0.0, PAUSED_S)
    assert _paused_warnings(path) == []
    rec = import_phone(path).recording
    assert pauses_s(rec.meta) == () and not rec.meta.gaps
    # The samples were taken after the resume: the recording starts then.
    assert rec.meta.start_time_s == pytest.approx(START_UNIX_S + PAUSED_S, abs=0.5)
    assert main(["info", str(path)]) == 0
    assert "paused" not in capsys.readouterr().out


def test_a_pause_after_the_last_sample_is_no_gap(session: Recording, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = paused_export(tmp_path / "end.zip", session, session.duration_s + 5.0, PAUSED_S)
    assert _paused_warnings(path) == []
    rec = import_phone(path).recording
    assert pauses_s(rec.meta) == () and not rec.meta.gaps
    assert rec.duration_s == pytest.approx(session.duration_s, abs=0.5)
    assert main(["info", str(path)]) == 0
    assert "paused" not in capsys.readouterr().out


def test_a_pause_between_sets_is_still_warned_about(session: Recording, tmp_path: Path) -> None:
    path = paused_export(tmp_path / "mid.zip", session, 45.0, PAUSED_S)
    (warning,) = _paused_warnings(path)
    assert "paused once" in warning and "(60 s in all" in warning, warning
    assert len(pauses_s(import_phone(path).recording.meta)) == 1
