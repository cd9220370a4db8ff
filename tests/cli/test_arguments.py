"""Arguments: one tempo type for every command, one-line errors, defaults named right."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from imu.cli._args import count, join_dash_values
from imu.tempo import MAX_HOLD_S, TempoError, parse_tempo

RECORDING = str(Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet")

COMMANDS_WITH_TEMPO = {
    "analyze": ["analyze", RECORDING, "--out", "OUT"],
    "simulate": ["simulate", "reverse-crunch", "--out", "OUT/s.parquet"],
    "batch": ["batch", RECORDING, "--out", "OUT", "--workers", "0"],
    "export-bids": ["export-bids", RECORDING, "--out", "OUT"],
    "live": ["live", "-e", "reverse-crunch", "--sim", "reverse-crunch", "--out", "OUT"],
    "replay": ["replay", RECORDING, "--out", "OUT"],
    "simulate-cohort": ["simulate-cohort", "OUT"],
}


@pytest.mark.parametrize(
    ("tempo", "message"),
    [
        ("-1-1-1", "tempo values must be positive seconds, e.g. 3-1-3"),
        ("3--1-3", "tempo values must be positive seconds, e.g. 3-1-3"),
        ("1e9-1-1", "the up (concentric) of 1e+09 s is longer than 60 s"),
        ("3-1-61", "the down (eccentric) of 61 s is longer than 60 s"),
        ("3010", "four-digit"),
    ],
)
@pytest.mark.parametrize("command", list(COMMANDS_WITH_TEMPO))
def test_every_command_refuses_a_bad_tempo_in_one_line(command, tempo, message, tmp_path,
                                                       capsys):
    args = [a.replace("OUT", str(tmp_path / "out")) for a in COMMANDS_WITH_TEMPO[command]]
    assert main([*args, "--tempo", tempo]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"imu {command}: error: argument --tempo: tempo {tempo!r}")
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # refused before any work


def test_the_value_form_is_accepted_too(tmp_path, capsys):
    assert main(["analyze", RECORDING, "--out", str(tmp_path), "--tempo=-1-1-1"]) == 2
    assert "positive seconds" in capsys.readouterr().err


def test_join_dash_values_only_touches_tempo_values():
    assert join_dash_values(["analyze", "f", "--tempo", "-1-1-1", "-e", "plank"]) == [
        "analyze", "f", "--tempo=-1-1-1", "-e", "plank"]
    assert join_dash_values(["analyze", "--tempo", "--out", "x"]) == [
        "analyze", "--tempo", "--out", "x"]
    assert join_dash_values(["--", "--tempo", "-1-1-1"]) == ["--", "--tempo", "-1-1-1"]


def test_tempo_bounds():
    assert parse_tempo("1-600-1-600").top_hold_s == MAX_HOLD_S
    assert str(parse_tempo("60-0-60")) == "60-0-60"
    with pytest.raises(TempoError, match="top hold of 601 s is longer than 600 s"):
        parse_tempo("1-601-1")
    with pytest.raises(TempoError, match="bottom pause"):
        parse_tempo("1-1-1-1000")


def test_replay_help_names_its_own_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["replay", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "[replay-YYYYmmdd-HHMMSS]" in text and "live-YYYY" not in text
    assert "[the recording's, else the exercise's]" in text


def test_live_help_names_its_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["live", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "[live-YYYYmmdd-HHMMSS]" in text and "[the exercise's]" in text


def test_count_plural():
    assert [count(n, "set") for n in (0, 1, 2)] == ["0 sets", "1 set", "2 sets"]


def test_live_needs_an_exercise_only_without_sim(tmp_path, capsys):
    from imu.cli import main

    assert main(["live", "--out", str(tmp_path / "d")]) == 2
    assert "which exercise? give --exercise E" in capsys.readouterr().err


def test_a_single_number_tempo_says_how_to_write_a_hold() -> None:
    """`--tempo 60` for a plank was refused with '1 part(s)' and no way forward."""
    with pytest.raises(TempoError, match="1-60-1"):
        parse_tempo("60")
    with pytest.raises(TempoError) as caught:
        parse_tempo("abc")
    assert "static hold" not in str(caught.value)


def test_a_hold_with_no_way_in_or_out_says_how_to_write_it() -> None:
    """`--tempo 0-45-0` for a plank got the generic 'at least 0.2 s' and no example."""
    with pytest.raises(TempoError, match=r"static hold of 45 s, as for a plank: 1-45-1"):
        parse_tempo("0-45-0")
    with pytest.raises(TempoError) as caught:
        parse_tempo("0-1-3")  # a movement too short, not a hold
    assert "static hold" not in str(caught.value)


@pytest.mark.parametrize("text", ["3\u20131\u20133", "3\u20141\u20143", "3\u22121\u22123"])
def test_a_tempo_with_typographic_dashes_reads_as_written(text: str) -> None:
    """A tempo copied from a document ('3–1–3') was refused with 'has 1 part(s)'."""
    assert str(parse_tempo(text)) == "3-1-3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_0-1-1", "not numeric"),  # float() reads it as 10
        ("\uff13-1-3", "not numeric"),  # a full-width 3
        ("0.001-0-0.001", "at least 0.2 s each"),  # a 'prescribed 0.001 s descent'
    ],
)
def test_a_tempo_is_plain_numbers_of_plausible_length(text: str, message: str) -> None:
    with pytest.raises(TempoError, match=message):
        parse_tempo(text)


def test_a_plank_tempo_without_a_hold_is_refused_and_explained(tmp_path: Path, capsys) -> None:
    """`--tempo 1-0-1` for a plank gave 'holds lasted the prescribed 0 s: keep this hold'."""
    plank = str(Path(RECORDING).with_name("plank.parquet"))
    assert main(["analyze", plank, "--tempo", "1-0-1", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "middle number of the tempo is how long to hold (e.g. 1-45-1" in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("quat", ["nan,0,0,1", "inf,0,0,1", "0,0,0,0"])
def test_simulate_refuses_a_mounting_that_is_no_rotation(quat: str, tmp_path: Path,
                                                         capsys) -> None:
    """nan gave a scipy traceback; inf wrote a recording that was all gap."""
    out = tmp_path / "s.parquet"
    assert main(["simulate", "reverse-crunch", "--mounting", quat, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "four finite numbers" in err and "Traceback" not in err
    assert not out.exists()


def test_a_plank_tempo_without_a_hold_is_refused_before_any_work(tmp_path: Path, capsys) -> None:
    """batch hashed and dispatched every file first; live connected to the sensor first."""
    plank = str(Path(RECORDING).with_name("plank.parquet"))
    runs = {
        "batch": ["batch", plank, "--exercise", "plank", "--tempo", "1-2-1", "--out",
                  str(tmp_path / "ds"), "--workers", "0"],
        "live": ["live", "-e", "plank", "--device", "AA:BB:CC:DD:EE:FF", "--tempo", "1-2-1",
                 "--out", str(tmp_path / "live")],
    }
    for command, args in runs.items():
        assert main(args) == 2, command
        err = capsys.readouterr().err
        assert "the middle number of the tempo is how long to hold" in err, (command, err)
    assert not (tmp_path / "ds").exists() and not (tmp_path / "live").exists()
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,participant,exercise,tempo,date\n{plank},P2,plank,1-2-1,"
                        "2024-01-08\n")
    assert main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "ds2"),
                 "--workers", "0"]) == 2
    assert "line 2: Plank is a hold" in capsys.readouterr().err
