"""Messages for files and arguments that are not what a command wants: say what they are."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from imu.cli import main
from imu.io.recording import read_recording, write_recording
from tests.cli.helpers import one_error_line
from tests.io.test_journal import frames, write_journal

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def test_an_unknown_argument_names_the_commands_help(tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(RECORDING), "--out", str(tmp_path), "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("imu analyze: error: unrecognized arguments: --bogus "
                           "(see 'imu analyze --help')")


def test_an_empty_journal_is_said_to_be_empty(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "e.imuj"
    empty.write_bytes(b"")
    assert main(["recover", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "is empty: not an imu journal" in err and "b'" not in err


def test_a_file_that_is_no_journal_has_no_bytes_repr(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "x.imuj"
    bad.write_text("hello")
    assert main(["recover", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not an imu journal" in err and "IMUJRNL2" in err and "b'" not in err


def test_info_of_a_journal_suggests_recover(tmp_path: Path, capsys) -> None:
    journal = tmp_path / "s.imuj"
    write_journal(journal, frames())
    assert main(["info", str(journal)]) == 2
    assert f"'imu recover {journal}'" in capsys.readouterr().err


def test_recovering_a_recovered_journal_keeps_the_session_name(tmp_path: Path, capsys) -> None:
    journal = tmp_path / "a.imuj"
    write_journal(journal, frames())
    assert main(["recover", str(journal)]) == 0
    done = tmp_path / "a.imuj.recovered"
    assert done.exists() and (tmp_path / "a.parquet").exists()
    capsys.readouterr()
    # Beside its recording it is refused (a second copy of the session: trial 23); into
    # another folder it keeps the session's name.
    assert main(["recover", str(done)]) == 2
    assert "already recovered into" in capsys.readouterr().err
    assert main(["recover", str(done), "--out", str(tmp_path / "again")]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "again" / "a.parquet").exists()
    assert not (tmp_path / "a-recovered.parquet").exists()
    assert not (tmp_path / "a.imuj.parquet").exists()
    assert not (tmp_path / "a.imuj.recovered.recovered").exists() and done.exists()
    assert "its reports: imu analyze" in out


def test_replay_of_a_reps_table_says_what_it_is(tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(RECORDING), "--out", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    reps = tmp_path / "r" / "reps.parquet"
    assert main(["replay", str(reps), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "a reps table written by 'imu analyze'" in err and "imu convert" not in err


def test_live_start_up_recovery_says_how_to_make_the_reports(tmp_path: Path) -> None:
    from imu.live.finish import recover_leftovers

    write_journal(tmp_path / "live-x.imuj", frames())
    buffer = io.StringIO()
    assert recover_leftovers(tmp_path, Console(file=buffer, width=300)) == [
        tmp_path / "live-x.parquet"]
    printed = buffer.getvalue()
    assert f"imu analyze {tmp_path / 'live-x.parquet'} --out {tmp_path / 'live-x'}" in printed


def test_no_hip_drive_in_a_strict_lift_is_explained(tmp_path: Path, capsys) -> None:
    rec = read_recording(RECORDING)
    still = rec.with_meta(exercise="standing-curl")
    import numpy as np

    acc = np.tile(np.nanmedian(rec.acc, axis=0), (rec.n_samples, 1))
    still = type(rec)(acc, np.zeros_like(rec.gyr), still.meta)
    path = write_recording(still, tmp_path / "curls.parquet")
    assert main(["analyze", str(path), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "counts only hip drives as reps" in out


@pytest.mark.parametrize("name", ["s.imuj.recovered"])
def test_info_of_a_recovered_journal_points_at_its_recording(tmp_path: Path, capsys,
                                                             name: str) -> None:
    journal = tmp_path / name
    write_journal(journal, frames())
    assert main(["info", str(journal)]) == 2
    assert "already recovered" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "suggested"), [
    ("s.csv.gz", "s.parquet"), ("s.csv", "s.parquet"), ("s.TXT.GZ", "s.parquet"),
])
def test_replay_of_a_csv_suggests_a_parquet_name_without_the_compression(
    tmp_path: Path, capsys, name: str, suggested: str
) -> None:
    import pandas as pd

    pd.read_parquet(RECORDING).to_csv(tmp_path / name, index=False)
    assert main(["replay", str(tmp_path / name), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"'imu convert {tmp_path / name} {tmp_path / suggested}'" in err


@pytest.mark.parametrize(("typed", "meant"), [
    ("deadbug", "dead-bug"), ("leg-raises", "leg-raise"), ("revers-crunch", "reverse-crunch"),
])
def test_a_misspelled_exercise_gets_the_likely_one(
    tmp_path: Path, capsys, typed: str, meant: str
) -> None:
    assert main(["analyze", str(RECORDING), "-e", typed, "--out", str(tmp_path / "o")]) == 2
    assert f"did you mean {meant}?" in one_error_line(capsys.readouterr().err)


def test_a_name_like_no_exercise_gets_no_guess(tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(RECORDING), "-e", "xyz", "--out", str(tmp_path / "o")]) == 2
    assert "did you mean" not in capsys.readouterr().err


@pytest.mark.parametrize(("typed", "meant"), [
    ("foo", None), ("standing-strict", "standing-curl"), ("curl", "standing-curl"),
    ("planks", "plank"),
])
def test_simulate_names_the_exercise_it_has_even_with_a_tempo(
    tmp_path: Path, capsys, typed: str, meant: str | None
) -> None:
    """``imu simulate foo --tempo 3-1-3`` ended in a KeyError traceback."""
    args = ["simulate", typed, "--tempo", "3-1-3", "--out", str(tmp_path / "x.parquet")]
    assert main(args) == 2
    err = one_error_line(capsys.readouterr().err)
    assert f"unknown exercise {typed!r}" in err
    assert (f"did you mean {meant}?" in err) if meant else ("did you mean" not in err)


def test_recovering_a_journal_twice_says_it_was_recovered(tmp_path: Path, capsys) -> None:
    journal = tmp_path / "j.imuj"
    write_journal(journal, frames())
    assert main(["recover", str(journal)]) == 0
    capsys.readouterr()
    assert main(["recover", str(journal)]) == 2  # it is j.imuj.recovered now
    err = one_error_line(capsys.readouterr().err)
    assert f"journal {journal} was already recovered: it is kept as j.imuj.recovered" in err
    assert f"imu recover {journal}.recovered" in err and "No such file" not in err


@pytest.mark.parametrize("command", ["analyze", "info", "convert"])
def test_a_broken_link_is_named_with_its_target(tmp_path: Path, capsys, command: str) -> None:
    link = tmp_path / "session.parquet"
    link.symlink_to(tmp_path / "gone" / "session.parquet")
    args = {"analyze": ["analyze", str(link), "--out", str(tmp_path / "o")],
            "info": ["info", str(link)],
            "convert": ["convert", str(link), str(tmp_path / "x.parquet")]}[command]
    assert main(args) == 2
    err = one_error_line(capsys.readouterr().err)
    assert (f"{link}: broken symbolic link: its target {tmp_path / 'gone' / 'session.parquet'}"
            " does not exist" in err)


def test_the_programs_warnings_read_as_its_other_notes() -> None:
    """Found in a new-user trial: 'WARNING imu.batch: ...' beside 'imu batch: note: ...'."""
    import logging

    from imu.cli import CommandFormatter

    def line(name: str, level: int, detailed: bool = False) -> str:
        record = logging.LogRecord(name, level, __file__, 1, "file %s listed twice", ("a",),
                                   None)
        return CommandFormatter("batch", detailed).format(record)

    assert line("imu.batch", logging.WARNING) == "imu batch: warning: file a listed twice"
    assert line("imu.batch", logging.ERROR) == "imu batch: error: file a listed twice"
    assert line("imu.batch", logging.WARNING, detailed=True) == (
        "WARNING imu.batch: file a listed twice")  # -v: where it comes from
    assert line("bumble.host", logging.WARNING) == "WARNING bumble.host: file a listed twice"
