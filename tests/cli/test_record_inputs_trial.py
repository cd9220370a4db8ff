"""Options of the recording commands found unchecked in a new-user trial.

- ``imu scan --timeout -1`` (or 0, nan, inf) went on to look for Bluetooth: with a stack, a
  negative time scanned nothing and said no sensor was in range, ``inf`` never ended;
- ``imu phone-setup phyphox --save -`` wrote the experiment to a file named ``-``, and
  ``--save phone/`` to a file named ``phone``;
- a replay stopped by Ctrl-C saved the part streamed as the session without saying so;
- ``imu recover sessions/*.imuj`` stopped at the first journal that could not be recovered,
  leaving the others unrecovered (exit code 2: "nothing recovered");
- ``imu live/replay --name s.parquet`` wrote ``s.parquet.parquet`` and a folder ``s.parquet``;
- ``--delimiter ',,'`` ended in a traceback;
- ``-`` (standard input, as many tools read it) was "-: no such file";
- an empty file name (an unset shell variable) read the current folder, and ``imu recover
  .`` (or ``""``, ``/``) ended in a traceback.
"""

from __future__ import annotations

import pytest

from imu.cli import main


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "five"])
def test_scan_refuses_a_timeout_that_is_no_positive_number(value, capsys, monkeypatch):
    import imu.cli.scan as scan_cli

    def never(*args, **kwargs):
        raise AssertionError("scanned despite a bad --timeout")

    monkeypatch.setattr(scan_cli, "scan", never)
    assert main(["scan", "--timeout", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--timeout" in err and repr(value) in err, err


def test_phone_setup_save_dash_is_refused_not_written_as_a_file_named_dash(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second time too: not "'-' already exists"
        assert main(["phone-setup", "phyphox", "--save", "-"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--save '-': give a file name" in err, err
        assert "hip-imu.phyphox" in err
        assert not (tmp_path / "-").exists()


def test_a_replay_stopped_before_the_end_says_its_reports_hold_only_that_part(
    tmp_path, capsys, monkeypatch
):
    """Ctrl-C mid replay saved the part streamed, said only "20 s recorded", and exited 0."""
    import dataclasses

    import imu.cli.replay as replay_cli
    from imu.io.recording import Recording, write_recording
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=4, sets=1, seed=3)
    rec = simulate_session(spec).recording
    path = tmp_path / "s.parquet"
    write_recording(rec, path)
    real = replay_cli.replay

    interrupted = True

    async def stopped_early(recording, *args, **kwargs):  # what Ctrl-C at 10 s streams
        n = int(10 * recording.sampling_rate_hz)
        part = Recording(recording.acc[:n], recording.gyr[:n],
                         dataclasses.replace(recording.meta, gaps=()))
        result = await real(part, *args, **kwargs)
        return dataclasses.replace(result, interrupted=interrupted)

    monkeypatch.setattr(replay_cli, "replay", stopped_early)
    assert main(["replay", str(path), "--out", str(tmp_path / "r"), "--speed", "200",
                 "--plain", "--name", "cut"]) == 0
    err = capsys.readouterr().err
    assert f"stopped at 10.0 s of the recording's {rec.duration_s:.1f} s" in err, err
    assert "hold only that part" in err

    # Not by Ctrl-C: the virtual sensor's link broke off (a busy machine at a high speed
    # stopped a 2-hour replay at 3496 s with exit 0 and no reason). Why, and what to do.
    interrupted = False
    # Incomplete: a warning and exit 1 (trial 22: exit 0, the note last of 90 lines).
    assert main(["replay", str(path), "--out", str(tmp_path / "r"), "--speed", "200",
                 "--plain", "--name", "broke"]) == 1
    err = capsys.readouterr().err
    assert "imu replay: warning: the replay broke off at 10.0 s of the recording's" in err
    assert f"broke off at 10.0 s of the recording's {rec.duration_s:.1f} s" in err, err
    assert "lower --speed" in err and f"imu analyze {path}" in err

    monkeypatch.setattr(replay_cli, "replay", real)
    assert main(["replay", str(path), "--out", str(tmp_path / "r"), "--speed", "200",
                 "--plain", "--name", "whole"]) == 0
    assert "stopped at" not in capsys.readouterr().err


def _crash_journal(path):
    """A journal as a crash leaves it (see tests/io/test_journal.py)."""
    from tests.io.test_journal import frames, write_journal

    write_journal(path, frames())
    return path


def test_recover_of_several_journals_skips_one_that_cannot_be_recovered(tmp_path, capsys):
    """One damaged header in 'imu recover sessions/*.imuj' stopped every other recovery."""
    good = _crash_journal(tmp_path / "b.imuj")
    (tmp_path / "c.imuj").write_bytes(good.read_bytes())
    (tmp_path / "a.imuj").write_bytes(good.read_bytes()[:40])  # the header cut short
    names = [str(tmp_path / n) for n in ("a.imuj", "b.imuj", "c.imuj", "b.imuj")]
    assert main(["recover", *names]) == 1
    err = capsys.readouterr().err
    assert "a.imuj has a damaged header" in err and "skipped" in err, err
    assert "1 of 3 journals could not be recovered" in err, err
    assert (tmp_path / "b.parquet").exists() and (tmp_path / "c.parquet").exists()
    assert not (tmp_path / "b-recovered.parquet").exists()  # named twice, recovered once
    assert main(["recover", str(tmp_path / "a.imuj")]) == 2  # none: as before
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "said"),
    [("s.parquet", "without .parquet, e.g. --name s"), ("S.PARQUET", "--name S"),
     ("s.imuj", "without .imuj"), (".s", "hidden files"), ("", "names no session")],
)
@pytest.mark.parametrize("command", ["live", "replay"])
def test_a_session_name_that_makes_files_no_command_finds_is_refused(
    tmp_path, capsys, name, said, command
):
    """--name s.parquet wrote s.parquet.parquet and a folder named s.parquet of reports."""
    args = (["live", "--sim", "reverse-crunch", "--sim-reps", "1"] if command == "live"
            else ["replay", str(tmp_path / "none.parquet")])
    assert main([*args, "--out", str(tmp_path / "o"), "--name", name, "--speed", "50"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err, err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("value", [",,", "\\n", "", "a", "7", ".", '"'])
@pytest.mark.parametrize("command", ["info", "convert"])
def test_a_delimiter_that_is_no_one_character_separator_is_refused(
    tmp_path, capsys, value, command
):
    """--delimiter ',,' (or '\\n') ended in a traceback from the CSV reader ("TypeError:
    "delimiter" must be a 1-character string"); a letter or '.' cut the numbers apart."""
    from tests.io.helpers import synthetic_samples

    path = tmp_path / "s.csv"
    synthetic_samples().to_csv(path, index=False)
    args = [command, str(path)] + ([str(tmp_path / "o.parquet")] if command == "convert" else [])
    assert main([*args, "--delimiter", value]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert f"argument --delimiter: {value!r} is no field separator" in err, err


@pytest.mark.parametrize("value", ["tab", "\\t", "TAB"])
def test_a_tab_delimiter_is_still_read(tmp_path, value):
    from tests.io.helpers import synthetic_samples

    path = tmp_path / "s.tsv"
    synthetic_samples().to_csv(path, index=False, sep="\t")
    assert main(["convert", str(path), str(tmp_path / "o.parquet"), "--delimiter", value]) == 0


@pytest.mark.parametrize("argv", [["info", "-"], ["convert", "-", "OUT/x.parquet"],
                                  ["replay", "-", "--out", "OUT"], ["recover", "-"]])
def test_a_dash_for_standard_input_is_said_to_be_unread(tmp_path, capsys, argv):
    """'cat s.csv | imu convert - s.parquet' said "-: no such file"."""
    argv = [a.replace("OUT", str(tmp_path / "o")) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "-: standard input is not read" in err, err
    assert "save the data to a file first" in err


@pytest.mark.parametrize("command", [["info"], ["convert", "-", "OUT/x.parquet"],
                                     ["replay", "--out", "OUT"], ["recover"]])
def test_an_empty_file_name_is_refused(tmp_path, capsys, monkeypatch, command):
    """'' (an unset shell variable) is the current folder: 'imu info ""' named some other
    file found there, 'imu recover ""' ended in a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.zip").write_bytes(b"PK\x03\x04 cut short")
    argv = [a.replace("OUT", str(tmp_path / "o")) for a in command]
    argv = [argv[0], "", *argv[1:]] if command[0] != "convert" else ["convert", "", argv[2]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'' names no file" in err, err


def test_recover_of_a_folder_names_its_journals(tmp_path, capsys, monkeypatch):
    """'imu recover .' (or '/') ended in a traceback: "PosixPath('.') has an empty name"."""
    monkeypatch.chdir(tmp_path)
    assert main(["recover", "."]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a folder, not a journal, and it holds no journal" in err
    _crash_journal(tmp_path / "s.imuj")
    assert main(["recover", "."]) == 2
    err = capsys.readouterr().err
    assert "e.g. imu recover s.imuj (1 in it)" in err, err


def test_phone_setup_save_to_a_folder_with_a_slash_writes_into_it(tmp_path, capsys):
    """--save phone/ wrote a file named 'phone' (the slash dropped), not phone/hip-imu.phyphox."""
    folder = tmp_path / "phone"
    folder.mkdir()
    assert main(["phone-setup", "phyphox", "--save", f"{folder}/"]) == 0
    assert (folder / "hip-imu.phyphox").is_file()
    missing = tmp_path / "none"
    assert main(["phone-setup", "phyphox", "--save", f"{missing}/"]) == 2
    assert "existing folder" in capsys.readouterr().err
    assert not missing.exists()
