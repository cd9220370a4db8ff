"""imu replay of a recording too slow to analyse is refused as imu analyze refuses it.

A new user's trial: a 1 Hz recording was "replayed at 26 Hz ... (interpolated)", found 0 reps
and was saved as a 26 Hz recording, while 'imu analyze' refused it as too slow.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.core.analyzer import MIN_RATE_HZ
from imu.io import write_recording
from imu.io.recording import Recording, RecordingMeta


def _recording(path: Path, rate_hz: float) -> Path:
    n = int(60 * rate_hz)
    acc = np.tile([0.0, 9.81, 0.0], (n, 1))
    gyr = np.zeros((n, 3))
    meta = RecordingMeta(sampling_rate_hz=rate_hz, exercise="reverse-crunch")
    return write_recording(Recording(acc, gyr, meta), path)


@pytest.mark.parametrize("rate_hz", [1.0, MIN_RATE_HZ / 2])
def test_replay_refuses_what_analyze_refuses_in_the_same_words(
    rate_hz: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = _recording(tmp_path / "slow.parquet", rate_hz)
    assert main(["analyze", str(slow), "--out", str(tmp_path / "a")]) == 2
    refused = capsys.readouterr().err
    out = tmp_path / "r"
    assert main(["replay", str(slow), "-e", "reverse-crunch", "--speed", "50", "--plain",
                 "--out", str(out)]) == 2
    captured = capsys.readouterr()
    said = f"{slow}: sampled at {rate_hz:g} Hz, too slow for the rep analysis (it needs at " \
           f"least {MIN_RATE_HZ:g} Hz)"
    assert said in refused and said in captured.err
    assert "replayed at" not in captured.err  # refused before it is interpolated
    assert not out.exists()  # nothing streamed, nothing written
