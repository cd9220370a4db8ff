"""A long pause inside ``--max-gap`` no longer drags the estimated rate down.

``imu info --max-gap 1000 FILE`` of 52 Hz samples with a 600 s pause said "8.67 Hz": the pause
(no gap under that limit) counted among the intervals, so against their mean (115 ms) every
other interval looked like a burst, and the rate came from the effective rate over the whole
span, pause included. The rate estimate leaves such a pause out (``PAUSE_INTERVALS`` times
the samples' longest usual interval), as it leaves out a gap: 52 Hz from the median
interval, and for bursty samples the rate between the gaps and pauses.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main

RATE_HZ = 52.0


def _csv(path: Path, bursts: bool) -> Path:
    """60 s at 52 Hz, a 600 s pause, 60 s more; ``bursts``: five samples per delivery."""

    def stretch(t0_s: float) -> np.ndarray:
        k = np.arange(int(60 * RATE_HZ))
        if bursts:  # stamped on arrival: five at a time, 0.1 ms apart
            return t0_s + (k // 5) * (5 / RATE_HZ) + (k % 5) * 1e-4
        return t0_s + k / RATE_HZ

    t = np.r_[stretch(0.0), stretch(660.0)]
    rng = np.random.default_rng(3)
    values = rng.normal(0.0, 0.05, (t.size, 6)) + np.array([0.0, 0.0, 9.81, 0.0, 0.0, 0.0])
    rows = [f"{ti:.6f}," + ",".join(f"{v:.5f}" for v in row)
            for ti, row in zip(t, values, strict=True)]
    lines = ["time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z", *rows]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(("bursts", "rate", "how"), [
    (False, "52 Hz", "estimated from the median interval (19.231 ms)"),
    (True, "52.07 Hz", "estimated from the effective rate (6238 intervals over 119.808 s, "
                       "the 1 pause left out) because 80% of the intervals are bursts"),
])
def test_a_pause_within_max_gap_is_left_out_of_the_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bursts: bool, rate: str, how: str
) -> None:
    csv = _csv(tmp_path / "pause.csv", bursts)
    assert main(["info", "--max-gap", "1000", str(csv)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"rate: {rate} ESTIMATED, {how}" in out  # was 8.67 Hz, the pause counted in
    assert f"samples at {rate})" in out
    assert "gaps none" in out  # the pause is interpolated, as --max-gap 1000 asks


def test_the_default_gap_limit_still_makes_the_pause_a_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = _csv(tmp_path / "pause.csv", bursts=False)
    assert main(["info", str(csv)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "rate: 52 Hz ESTIMATED, estimated from the median interval" in out
    assert "gaps 1, 600.02 s in total" in out
