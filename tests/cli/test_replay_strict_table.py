"""The end of ``imu replay`` of a standing strict lift lists its hip drives, not reps with
up/hold/down phases and a tempo verdict (a hip drive has no tempo), as ``imu analyze`` does."""

from __future__ import annotations

from pathlib import Path

from imu.cli import main
from imu.sim import SessionSpec, save_session, simulate_session


def test_replay_of_a_strict_lift_ends_with_its_hip_drives(tmp_path: Path, capsys) -> None:
    sim = simulate_session(SessionSpec("standing-curl", reps=6, sets=1, seed=1,
                                       sampling_rate_hz=52, faults={"swing": 1.0}))
    recording, _ = save_session(sim, tmp_path / "curl.parquet")
    capsys.readouterr()
    assert main(["replay", str(recording), "--speed", "50", "--plain", "--out",
                 str(tmp_path / "out"), "--name", "r"]) == 0
    shown = capsys.readouterr().out
    assert "hip drives" in shown
    assert "pelvis moved" in shown
    assert "off" not in shown.split("hip drives", 1)[1].split("\n\n", 1)[0]
