"""``imu analyze`` and ``imu replay`` of a phyphox export paused between sets, end to end.

Trial: the export of a measurement paused for 4 minutes between two sets was analysed with
the pause in its place, and then told "The sensor was lost for 240.0 s (from 45.0 to 285.0
s)" in the terminal, on the page ("Data lost", "Time the sensor was lost (s) 240.0") and in
the tilt plot's legend. The pause is now said to be one everywhere; a sensor lost in the same
export is still said to be lost.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imu.cli import main
from imu.io.recording import pauses_s, read_recording
from tests.cli.helpers import ANSI
from tests.io.phyphox_pause import paused_export, two_sets

PAUSE_NOTE = ("The measurement was paused in phyphox for 4 min (from 45.0 to 285.0 s): no data "
              "then, so reps done while paused are not counted.")
LOST_NOTE = "The sensor was lost for 6.0 s (from 325.0 to 331.0 s)"


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("px")
    session = two_sets()
    return {
        "paused": paused_export(folder / "paused.zip", session, 45.0, 240.0),
        "lost": paused_export(folder / "lost.zip", session, 45.0, 240.0, (85.0, 91.0)),
    }


def _said(out: str) -> str:
    """Printed prose, one line per paragraph (the terminal wraps it)."""
    return re.sub(r"\s+", " ", ANSI.sub("", out))


def _page_text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_analyze_says_the_measurement_was_paused(
    exports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(exports["paused"]), "-e", "reverse-crunch", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    said = _said(captured.out)
    assert PAUSE_NOTE in said
    assert "lost" not in said and "receiver" not in said and "bridged" not in said
    assert "10 reps in 2 sets" in said
    page = (out / "report.html").read_text()
    text = _page_text(page)
    assert f"Paused: {PAUSE_NOTE}" in text
    assert "Data lost" not in text and "sensor was lost" not in text
    assert "Time the measurement was paused (s) 240.0" in text
    assert "paused in phyphox is dotted, no data" in page  # the tilt plot's alt text


def test_analyze_tells_a_lost_sensor_beside_the_pause(
    exports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(exports["lost"]), "-e", "reverse-crunch", "-o", str(out)]) == 0
    said = _said(capsys.readouterr().out)
    assert f"{PAUSE_NOTE} {LOST_NOTE}: reps done then could not be counted" in said
    text = _page_text((out / "report.html").read_text())
    assert f"Paused: {PAUSE_NOTE}" in text and f"Data lost: {LOST_NOTE}" in text
    assert "Time the sensor was lost (s) 6.0" in text
    assert "Time the measurement was paused (s) 240.0" in text


def test_replay_of_the_converted_export_keeps_the_pause(
    exports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    converted = tmp_path / "lost.parquet"
    assert main(["convert", str(exports["lost"]), str(converted)]) == 0
    capsys.readouterr()
    assert main(["replay", str(converted), "-e", "reverse-crunch", "--speed", "200", "--plain",
                 "--out", str(tmp_path / "replayed"), "--name", "r"]) == 0
    said = _said(capsys.readouterr().out)
    assert re.search(r"\d+ samples lost in 1 gap; paused in phyphox for 4 min", said), said
    assert PAUSE_NOTE in said and LOST_NOTE in said
    replayed = read_recording(tmp_path / "replayed" / "r.parquet")
    ((a, b, reason),) = pauses_s(replayed.meta)
    assert reason == "paused in phyphox"
    assert (a, b) == pytest.approx((45.0, 285.0), abs=0.3)
    text = _page_text((tmp_path / "replayed" / "r" / "report.html").read_text())
    assert "Paused: The measurement was paused in phyphox for 4 min" in text
