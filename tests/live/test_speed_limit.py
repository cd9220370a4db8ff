"""``--speed`` has a maximum (new-user trial: ``--speed 1e9`` crashed allocating 104 TiB).

Past about 1000x the virtual sensor cannot stream a set on time: its frames fall behind the
scaled host clock, which then leaps days between two frames. ``imu live`` and ``imu replay``
refuse such a speed in one argparse-style line naming the value, the limit and the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import build_parser, main
from imu.cli.live import MAX_SPEED


@pytest.mark.parametrize("command", [
    ["live", "--sim", "reverse-crunch"],
    ["replay", "s.parquet"],
])
@pytest.mark.parametrize("speed", ["1e9", "1e6", "1001"])
def test_a_speed_past_the_limit_is_refused_in_one_line(
        command: list[str], speed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*command, "--out", str(tmp_path / "o"), "--plain", "--speed", speed])
    err = capsys.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert f"--speed: '{speed}'" in lines[0]
    assert "at most 1000" in lines[0] and "use --speed 1000 or less" in lines[0]
    assert not (tmp_path / "o").exists()  # nothing started


@pytest.mark.parametrize("speed", ["1000", "20", "0.5"])
def test_speeds_up_to_the_limit_are_taken(speed: str) -> None:
    args = build_parser().parse_args(
        ["live", "--sim", "reverse-crunch", "--out", "o", "--speed", speed])
    assert args.speed == float(speed) <= MAX_SPEED


def test_the_help_says_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("live", "replay"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "at most 1000" in out, command
