"""``imu analyze --from S --to S`` and ``imu convert --from S --to S``: part of a recording.

Trial 18: ``imu analyze`` said "from 120 s the pelvis moved mostly about another axis ...:
analyse this part on its own", but no command could analyse part of a recording. The range
is in seconds on the recording's own clock, as the reps table shows them, and the reps of
the part keep those times.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.transform import Rotation

from imu.cli import main
from imu.io import read_recording, write_recording
from imu.io.recording import Gap, Recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo


@pytest.fixture(scope="module")
def crunches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sets of 8 reverse crunches at 52 Hz, the second starting after a 20 s rest."""
    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=8, sets=2,
                       rest_s=20.0, seed=5, sampling_rate_hz=52)
    path = tmp_path_factory.mktemp("range") / "rc.parquet"
    write_recording(simulate_session(spec).recording, path)
    return path


@pytest.fixture(scope="module")
def whole(crunches: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("whole")
    assert main(["analyze", str(crunches), "--out", str(out)]) == 0
    return pd.read_csv(out / "reps.csv")


def _second_set_from(whole: pd.DataFrame) -> float:
    """A time in the rest between the two sets, s."""
    first, second = whole[whole["set"] == 1], whole[whole["set"] == 2]
    return float(first["ecc_end_s"].max() + second["start_s"].min()) / 2


def test_a_part_keeps_the_recording_clock(
    crunches: Path, whole: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = _second_set_from(whole)
    out = tmp_path / "part"
    assert main(["analyze", str(crunches), "--from", f"{start:.1f}", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"analysing {start:.1f}0-" in err and "whole recording's clock" in err
    assert "sets are numbered from 1 within the part" in err
    part = pd.read_csv(out / "reps.csv")
    second = whole[whole["set"] == 2]
    assert len(part) == len(second) == 8
    # The same reps at the same times as in the whole recording's table (within a sample).
    for column in ("start_s", "con_end_s", "ecc_start_s", "ecc_end_s"):
        assert (part[column].to_numpy() - second[column].to_numpy()).max() < 0.1, column
    assert (part["start_s"] >= start).all()
    sets = pd.read_csv(out / "sets.csv")
    assert sets["start_s"].iloc[0] == pytest.approx(part["start_s"].iloc[0])


def test_from_and_to_cut_both_ends(crunches: Path, whole: pd.DataFrame, tmp_path: Path) -> None:
    end = _second_set_from(whole)
    out = tmp_path / "first"
    assert main(["analyze", str(crunches), "--from", "0", "--to", f"{end:.1f}",
                 "--out", str(out)]) == 0
    part = pd.read_csv(out / "reps.csv")
    assert len(part) == 8 and (part["ecc_end_s"] < end).all()


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--from", "30", "--to", "20"], "--from 30 is not before --to 20"),
        (["--from", "20", "--to", "20"], "--from 20 is not before --to 20"),
        (["--from", "-5"], "argument --from: must be seconds from the recording's start"),
        (["--to", "-1"], "argument --to: must be seconds from the recording's start"),
        (["--from", "nan"], "argument --from: must be seconds"),
        (["--from", "5000"], "--from 5000 is at or past the recording's end: it lasts"),
        (["--to", "1"], "too short to analyse"),
    ],
)
def test_a_range_that_cannot_be_analysed_is_refused(
    crunches: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    options: list[str], said: str,
) -> None:
    out = tmp_path / "o"
    assert main(["analyze", str(crunches), *options, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not out.exists()
    if said == "too short to analyse":
        assert "the part --to 1" in err and "wider range" in err


def test_a_to_past_the_end_is_taken_to_the_end(
    crunches: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(crunches), "--to", "5000", "--out", str(tmp_path / "o")]) == 0
    assert "--to 5000 is past the recording's end" in capsys.readouterr().err


def test_the_off_axis_note_names_the_option_that_analyses_the_part(
    crunches: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second set as if the sensor had been clipped on turned 90 degrees about its z."""
    rec = read_recording(crunches)
    half = rec.n_samples // 2
    turn = Rotation.from_euler("z", 90, degrees=True).as_matrix()
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    acc[half:], gyr[half:] = acc[half:] @ turn.T, gyr[half:] @ turn.T
    path = write_recording(Recording(acc, gyr, rec.meta), tmp_path / "turned.parquet")
    assert main(["analyze", str(path), "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert "another axis" in err and f"analyse this part on its own (imu analyze {path} " in err
    command = err.split("(imu analyze ", 1)[1].split(")", 1)[0].split()
    assert command[0] == str(path) and command[-2:] == ["--out", "DIR"]
    start = command[command.index("--from") + 1]
    # What the note says to do works as given (DIR filled in), and the part's note (none
    # here) is on the same clock.
    assert main(["analyze", *command[:-1], str(tmp_path / "b")]) == 0
    assert "another axis" not in capsys.readouterr().err
    part = pd.read_csv(tmp_path / "b" / "reps.csv")
    assert (part["start_s"] >= float(start)).all() and len(part) >= 8


def test_convert_writes_the_part(
    crunches: Path, whole: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = _second_set_from(whole)
    part_path = tmp_path / "part.parquet"
    assert main(["convert", str(crunches), str(part_path), "--from", f"{start:.1f}"]) == 0
    assert f"part: {start:.1f}0-" in capsys.readouterr().out
    rec, part = read_recording(crunches), read_recording(part_path)
    first = math.ceil(float(f"{start:.1f}") * rec.sampling_rate_hz)  # the first at or after
    assert part.n_samples == rec.n_samples - first
    assert (part.acc[:10] == rec.acc[first:first + 10]).all()
    assert float(part.meta.notes["cut_from_s"]) == pytest.approx(first / rec.sampling_rate_hz)
    # A CSV is imported, then cut.
    csv = tmp_path / "rc.csv"
    frame = pd.read_parquet(crunches)
    frame.to_csv(csv, index=False)
    assert main(["convert", str(csv), str(tmp_path / "c.parquet"), "--to", "20"]) == 0
    assert read_recording(tmp_path / "c.parquet").duration_s == pytest.approx(20.0, abs=0.05)
    # Errors as in analyze; nothing is written.
    assert main(["convert", str(crunches), str(tmp_path / "x.parquet"), "--from", "9999"]) == 2
    assert main(["convert", str(crunches), str(tmp_path / "x.parquet"), "--from", "9",
                 "--to", "3"]) == 2
    assert "--from 9 is not before --to 3" in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_a_from_in_the_middle_of_a_set_starts_at_the_rest_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial's --from inside a set (in a rep's top hold) read the part upside down: every
    top hold and bottom pause swapped ("hold the top longer: 0.5 s against 1 s") and a rep
    per set lost. The part now starts where the pelvis last rested, with a note."""
    sim = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), seed=1,
                                       sets=3, reps=10, rest_s=30.0, sampling_rate_hz=104))
    path = tmp_path / "rc.parquet"
    write_recording(sim.recording, path)
    truth = sim.truth
    second = truth[truth["set"] == 2]
    in_hold = float(second.iloc[2]["con_end_s"]) + 0.5  # the third rep's top hold
    code = main(["analyze", str(path), "--from", f"{in_hold:.2f}", "--out",
                 str(tmp_path / "a")])
    err = capsys.readouterr().err
    assert code == 0
    assert f"--from {in_hold:.2f} falls in a movement: the part starts at" in err, err
    reps = pd.read_csv(tmp_path / "a" / "reps.csv")
    assert len(reps) == int((truth["set"] >= 2).sum())  # sets 2 and 3, whole
    assert reps["top_hold_s"].median() == pytest.approx(1.0, abs=0.2)  # not swapped
    assert reps["start_s"].min() == pytest.approx(float(second.iloc[0]["con_start_s"]), abs=0.3)


def test_a_recording_cut_in_a_lowering_says_the_last_rep_is_not_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial cut a recording 1 s into its last lowering: 27 reps for 28 and nothing said.
    Cut at the end it is the same rep; the note says a movement was not finished."""
    sim = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), seed=1,
                                       sets=1, reps=6, sampling_rate_hz=104))
    last = sim.truth.iloc[-1]
    for cut_s, said in ((float(last["ecc_start_s"]) + 1.0, True),
                        (float(last["ecc_end_s"]) + 3.0, False)):
        path = tmp_path / f"cut{cut_s:.0f}.parquet"
        rec = sim.recording
        n = round(cut_s * rec.sampling_rate_hz)
        write_recording(Recording(rec.acc[:n], rec.gyr[:n], rec.meta), path)
        assert main(["analyze", str(path), "--out", str(tmp_path / f"o{cut_s:.0f}")]) == 0
        err = capsys.readouterr().err
        assert ("the recording ended during a movement" in err) is said, err


def test_convert_skips_the_groups_a_range_misses(
    crunches: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV split into groups of different lengths (--split-by): a --from past one group's
    end failed the whole file ("--from 35 is at or past the recording's end") and wrote
    nothing; imu analyze skips that group. Now convert skips it too, with a note, and writes
    the others; a range that misses every group is still an error."""
    frame = pd.read_parquet(crunches)
    long_part = frame.assign(who="long")
    short_part = frame[frame["time_s"] < 30.0].assign(who="short")
    csv = tmp_path / "two.csv"
    pd.concat([long_part, short_part]).to_csv(csv, index=False)
    out = tmp_path / "parts"
    assert main(["convert", str(csv), str(out), "--split-by", "who", "--from", "40"]) == 0
    said = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["long.parquet"]
    assert "imu convert: skipped short: --from 40 is at or past the recording's end" in said.err
    assert "1 recording written to" in said.out and "(1 skipped" in said.out
    assert main(["convert", str(csv), str(tmp_path / "none"), "--split-by", "who",
                 "--from", "9999", "--force"]) == 2
    assert "--from 9999 misses every one of the 2 recordings" in capsys.readouterr().err


def test_the_notes_command_reads_a_csv_as_it_was_read(
    crunches: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same turned second set as a CSV in g and deg/s: the note's command named the file
    but not --acc-unit g --gyr-unit deg/s, so run as given it read the file in m/s^2 and
    rad/s and refused it. It carries the import options given (and only those)."""
    rec = read_recording(crunches)
    half = rec.n_samples // 2
    turn = Rotation.from_euler("z", 90, degrees=True).as_matrix()
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    acc[half:], gyr[half:] = acc[half:] @ turn.T, gyr[half:] @ turn.T
    csv = tmp_path / "turned.csv"
    t = np.arange(rec.n_samples) / rec.sampling_rate_hz
    pd.DataFrame({"time_s": t, **{f"acc_{a}": acc[:, i] / 9.80665 for i, a in enumerate("xyz")},
                  **{f"gyr_{a}": np.degrees(gyr[:, i]) for i, a in enumerate("xyz")}}).to_csv(
        csv, index=False)
    assert main(["analyze", str(csv), "--acc-unit", "g", "--gyr-unit", "deg/s",
                 "--exercise", "reverse-crunch", "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    command = err.split("(imu analyze ", 1)[1].split(")", 1)[0].split()
    assert command[:5] == [str(csv), "--acc-unit", "g", "--gyr-unit", "deg/s"]
    assert "--time-col" not in command  # a default: not repeated
    assert main(["analyze", *command[:-1], str(tmp_path / "b")]) == 0
    assert len(pd.read_csv(tmp_path / "b" / "reps.csv")) >= 8


@pytest.fixture(scope="module")
def lost_then_back(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, float]:
    """Two sets of reverse crunches whose sensor was lost from 5 s before the second set
    until the top hold of its second rep: the recording, and the gap's start and end, s."""
    sim = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("3-1-3"), reps=6,
                                       sets=2, rest_s=30.0, seed=1, sampling_rate_hz=52))
    rec, truth = sim.recording, sim.truth
    fs = rec.sampling_rate_hz
    second = truth[truth["set"] == 2]
    lo = round((float(second.iloc[0]["con_start_s"]) - 5.0) * fs)
    hi = round((float(second.iloc[1]["con_end_s"]) + 0.4) * fs)
    acc, gyr = rec.acc.copy(), rec.gyr.copy()
    acc[lo:hi], gyr[lo:hi] = np.nan, np.nan
    gaps = (*(g for g in rec.meta.gaps if g.end <= lo or g.start >= hi), Gap(lo, hi, "lost"))
    path = tmp_path_factory.mktemp("lost") / "lost.parquet"
    write_recording(Recording(acc, gyr, replace(rec.meta, gaps=gaps)), path)
    return path, lo / fs, hi / fs


def _part_start(err: str) -> float:
    """The part's first second, from the note "analysing 12.34-56.78 s of its ..."."""
    return float(err.split("analysing ", 1)[1].split("-", 1)[0])


def test_a_from_after_lost_samples_does_not_start_in_them(
    lost_then_back: tuple[Path, float, float], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Trial: a --from just after the sensor came back (in a top hold) moved the part back
    into the stretch with no samples ("falls in a movement: the part starts at 92.7 s, where
    the pelvis last rested", 2.5 s before the sensor came back): the empty rows were taken
    for a rest, and the part, starting in them, was read upside down. Empty rows are no
    rest: the part starts where the pelvis really rested, before the sensor was lost, and
    its reps are read the right way up."""
    path, lost_s, back_s = lost_then_back
    start = math.ceil(back_s * 10) / 10
    out = tmp_path / "a"
    assert main(["analyze", str(path), "--from", f"{start:g}", "--out", str(out)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "where the pelvis last rested" in err, err
    assert _part_start(err) < lost_s, err  # not in the gap
    reps = pd.read_csv(out / "reps.csv")
    assert reps["top_hold_s"].median() == pytest.approx(1.0, abs=0.3)  # not swapped
    assert reps["eccentric_s"].median() == pytest.approx(3.0, abs=0.5)


def test_a_from_in_lost_samples_starts_at_the_first_sample_after_them(
    lost_then_back: tuple[Path, float, float], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A --from inside the stretch with no samples started the part with those empty rows
    ("The sensor was lost for 7.8 s") and read its first movement, mid-set, as the start
    of a rep. A part now starts at the first sample after them (imu convert), or, where
    that is in a movement, at the rest before it (imu analyze), with a note naming the gap."""
    path, lost_s, back_s = lost_then_back
    at = (lost_s + back_s) / 2
    gap = f"falls in a gap with no samples ({lost_s:.2f}-{back_s:.2f} s)"
    assert main(["analyze", str(path), "--from", f"{at:.1f}", "--out", str(tmp_path / "b")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"--from {at:.1f} {gap}; the first sample after it, {back_s:.2f} s, falls in a " \
        "movement: the part starts at" in err, err
    assert _part_start(err) < lost_s
    part = tmp_path / "part.parquet"
    assert main(["convert", str(path), str(part), "--from", f"{at:.1f}"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"--from {at:.1f} {gap}: the part starts at {back_s:.2f} s, the first sample " \
        "after it" in err, err
    written = read_recording(part)
    assert np.isfinite(written.gyr[0]).all() and all(g.start > 0 for g in written.meta.gaps)
    assert float(written.meta.notes["cut_from_s"]) == pytest.approx(back_s, abs=0.02)
    # A range that holds only the gap holds no samples.
    assert main(["convert", str(path), str(tmp_path / "x.parquet"), "--from", f"{at:.1f}",
                 "--to", f"{back_s - 0.5:.1f}"]) == 2
    assert "holds no samples: the recording has none in" in capsys.readouterr().err
