"""``imu live`` options that would be ignored (or read wrongly) are refused before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(["live", *argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--sim", "reverse-crunch", "--sim-faults", "swing=0.2,swing=0.3"],
         "'swing' is given twice"),
        (["--sim", "reverse-crunch", "--transport", "usb:0"], "--transport usb:0: with --sim "),
        (["--sim", "reverse-crunch", "--phone-platform", "ios"], "--phone-platform ios: only"),
        (["-e", "reverse-crunch", "--sim-reps", "3"], "--sim-reps: only with --sim"),
        (["--phyphox", "http://127.0.0.1:9", "-e", "plank", "--transport", "usb:0"],
         "with a phone (it streams over the network)"),
    ],
)
def test_options_that_do_not_apply_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    err = _refused(capsys, [*argv, "--out", str(tmp_path / "o")])
    assert says in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("out", ["", "  "])
def test_an_empty_out_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, out: str
) -> None:
    monkeypatch.chdir(tmp_path)
    err = _refused(capsys, ["--sim", "reverse-crunch", "--out", out])
    assert "names no folder" in err
    assert not list(tmp_path.iterdir())


def test_a_disconnect_after_the_session_is_warned_about(tmp_path: Path, capsys) -> None:
    from imu.ble.client import StreamConfig
    from imu.cli import build_parser
    from imu.cli.live import _check_sim

    args = build_parser("live").parse_args(
        ["live", "--sim", "reverse-crunch", "--sim-reps", "2", "--sim-disconnect-at", "1000",
         "--sim-disconnect-at", "3", "--out", str(tmp_path)])
    rec = _check_sim(args, StreamConfig())
    err = capsys.readouterr().err
    assert rec.duration_s < 1000
    assert "warning: --sim-disconnect-at 1000: after the simulated session ends" in err
    assert " 3" not in err.split("ends")[0]


def test_giving_up_is_said_to_the_user_not_logged(tmp_path: Path, capsys) -> None:
    argv = ["live", "--sim", "reverse-crunch", "--sim-reps", "2", "--plain", "--out",
            str(tmp_path), "--give-up", "1", "--sim-disconnect-at", "2",
            "--sim-reconnect-after", "100", "--speed", "2"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "the sensor did not come back within 1 s (--give-up)" in captured.out
    assert "WARNING" not in captured.err and "giving up" not in captured.err
    assert list(tmp_path.glob("*.parquet"))


def test_the_sim_defaults_are_the_parsers() -> None:
    from imu.cli import build_parser
    from imu.cli.live import SIM_DEFAULTS

    args = build_parser("live").parse_args(["live", "-e", "plank", "--out", "o"])
    assert {k: getattr(args, k) for k in SIM_DEFAULTS} == SIM_DEFAULTS
    assert {k for k in vars(args) if k.startswith("sim_")} == set(SIM_DEFAULTS)
