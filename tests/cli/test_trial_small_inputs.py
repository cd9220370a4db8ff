"""Small problems a new-user trial met, each now one clear line (or the right help).

- ``imu info --help`` spoke of "a phone app's export (below)" but had no phone-app section;
- ``imu live --phyphox "http://host:port/ extra"`` dropped everything after the port without
  a word (a misquoted or mistyped address went unnoticed);
- ``imu live/replay --name " x "`` kept the blanks in the file names (`` x .parquet``);
- a loop of symbolic links was "broken symbolic link: its target ... does not exist" (the
  target exists: it is the other link), and ``imu analyze`` and ``imu batch`` ended in a
  traceback on one (Python 3.11's ``Path.resolve`` raises on loops).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from imu.cli import build_parser, main
from imu.live.sources.phyphox import PhoneError, normalise_url
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "plank.parquet"


def _epilogs() -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: str(p.epilog or "") for name, p in sub.choices.items()}


def test_every_help_that_points_below_at_the_phone_apps_has_them() -> None:
    epilogs = _epilogs()
    pointing = [name for name, text in epilogs.items() if "phone app's export (below)" in text]
    assert "info" in pointing
    for name in pointing:
        assert "phone apps (--format" in epilogs[name], name
        assert epilogs[name].index("phone apps (--format") > epilogs[name].index("examples:")


@pytest.mark.parametrize(
    "url",
    ["http://192.168.1.5:8080/ extra", "http://192.168.1.5:8080 extra", "192.168.1.5:8080/\tx",
     "http://192.168.1.5:8080/extra", "http://192.168.1.5:8765/hip-imu.phyphox"],
)
def test_a_phyphox_address_with_more_after_it_is_refused(url: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]):
    with pytest.raises(PhoneError):
        normalise_url(url)
    out = tmp_path / "o"
    assert main(["live", "-e", "plank", "--phyphox", url, "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert repr(url) in line and "e.g. http://192.168.1.23:8080" in line, line
    assert not out.exists()


def test_the_experiments_own_url_is_told_apart_from_the_phones() -> None:
    with pytest.raises(PhoneError, match="experiment's file that 'imu phone-setup phyphox'"):
        normalise_url("http://192.168.1.5:8765/hip-imu.phyphox")


@pytest.mark.parametrize("url", ["http://192.168.1.5:8080", " 192.168.1.5:8080/ ",
                                 "http://192.168.1.5:8080/get?accX", "192.168.1.5:8080/config"])
def test_a_phyphox_address_alone_or_with_phyphoxs_own_page_still_works(url: str) -> None:
    assert normalise_url(url) == "http://192.168.1.5:8080"


@pytest.mark.parametrize("name", [" x ", "x ", " x", "\tmonday crunch "])
@pytest.mark.parametrize("command", ["live", "replay"])
def test_a_session_name_with_blanks_at_an_end_is_refused(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = (["live", "--sim", "reverse-crunch", "--sim-reps", "1"] if command == "live"
            else ["replay", str(RECORDING)])
    out = tmp_path / "o"
    assert main([*args, "--out", str(out), "--name", name, "--speed", "50"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert repr(name) in line and "blanks at the start or end" in line, line
    expected = "'monday crunch'" if "monday" in name else "x"
    assert line.endswith(f"give --name {expected} (see 'imu {command} --help')"), line
    assert not out.exists()


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """``a.parquet -> b.parquet -> a.parquet``."""
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    return a


@pytest.mark.parametrize("command", ["info", "analyze", "convert", "replay"])
def test_a_loop_of_links_is_called_one(command: str, loop: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    args = {"info": ["info", str(loop)],
            "analyze": ["analyze", str(loop), "--out", str(tmp_path / "o")],
            "convert": ["convert", str(loop), str(tmp_path / "x.parquet")],
            "replay": ["replay", str(loop), "--out", str(tmp_path / "o")]}[command]
    assert main(args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{loop}: a loop of symbolic links" in line, line
    assert "does not exist" not in line


def test_a_loop_among_several_files_is_skipped_by_analyze(
    loop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(loop), str(RECORDING), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "a loop of symbolic links" in err, err
    assert (tmp_path / "o" / "reps.csv").exists()


def test_a_loop_in_a_batch_folder_is_listed_with_its_reason(
    loop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(loop.parent), "--out", str(tmp_path / "ds"), "--workers", "0"]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    assert "a loop of symbolic links" in text, text


@pytest.mark.parametrize("command", ["batch", "progress"])
def test_a_loop_named_as_an_input_is_skipped_with_its_reason(
    command: str, loop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Named outright (not found in a folder) it was "no such file, directory or matching
    pattern", which sent people looking for a typo; a broken link too."""
    gone = tmp_path / "gone.parquet"
    gone.symlink_to(tmp_path / "nowhere.parquet")
    args = [command, str(loop), str(gone), "--out", str(tmp_path / "out")]
    assert main([*args, "--workers", "0"] if command == "batch" else args) == 2
    captured = capsys.readouterr()
    text = " ".join((captured.out + captured.err).split())
    assert "Traceback" not in text and "matching pattern" not in text, text
    assert "a loop of symbolic links" in text and "nowhere.parquet does not exist" in text, text
