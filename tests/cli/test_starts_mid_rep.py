"""A recording that starts in the middle of a set is said to risk being read upside down.

Trial 23: a crunch session cut in its first top hold read every rep upside down (up 3-5 s,
down 1 s, all "dropped descent") without a word. The analysis takes the starting posture for
the rest, so it cannot tell; imu analyze and imu replay now say so when the pelvis moves
within a second of the recording's start, as for a --from in a movement.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.cli._range import moving_at_start
from imu.io.recording import cut_recording, write_recording
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

NOTE = "the reps may be read upside down"


@pytest.fixture(scope="module")
def crunches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The whole session, and the same cut in the middle of its first top hold."""
    root = tmp_path_factory.mktemp("mid")
    sim = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("1-1-4"), reps=8,
                                       sets=1, seed=5))
    rec, first = sim.recording, sim.truth.iloc[0]
    at = round(0.5 * (first.con_end_s + first.ecc_start_s) * rec.sampling_rate_hz)
    whole = write_recording(rec, root / "whole.parquet")
    cut = write_recording(cut_recording(rec, at, rec.n_samples), root / "cut.parquet")
    return whole, cut


def test_a_recording_cut_in_a_top_hold_gets_the_note(
        crunches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole, cut = crunches
    assert main(["analyze", str(cut), "--out", str(tmp_path / "cut")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert NOTE in err and "start recordings at a rest" in err
    assert main(["analyze", str(whole), "--out", str(tmp_path / "whole")]) == 0
    assert NOTE not in capsys.readouterr().err


def test_bundled_recordings_start_at_rest() -> None:
    from imu.io.recording import read_recording

    for path in sorted((Path(__file__).resolve().parents[2] / "recordings").glob("*.parquet")):
        assert moving_at_start(read_recording(path)) is None, path


def test_a_standing_lift_is_not_read_from_its_starting_posture(
        crunches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, cut = crunches
    main(["analyze", str(cut), "-e", "standing-strict", "--out", str(tmp_path / "s")])
    assert NOTE not in capsys.readouterr().err


def test_a_walk_to_the_mat_first_gets_no_note(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Review: a recording that starts with the walk to the mat (which the analysis leaves
    out, learning the posture after it) was warned of as if it began in a set."""
    from imu.io.recording import Recording
    from tests.core.test_session_edges import _lie_down_first

    acc, gyr, _, _ = _lie_down_first("reverse-crunch", 5, stand_s=0.0, walk_s=20.0)
    sim = simulate_session(SessionSpec("reverse-crunch", seed=5, sets=1, reps=1))
    rec = Recording(acc, gyr, sim.recording.meta)
    path = write_recording(rec, tmp_path / "walk.parquet")
    assert main(["analyze", str(path), "--out", str(tmp_path / "o")]) == 0
    assert NOTE not in capsys.readouterr().err


@pytest.fixture(scope="module")
def lost_first(crunches: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session cut in its first top hold, after 20 s with no samples (a sensor lost as
    the recording began)."""
    from imu.io.recording import Gap, Recording, read_recording

    rec = read_recording(crunches[1])
    lead = round(20.0 * rec.sampling_rate_hz)
    acc = np.vstack((np.full((lead, 3), np.nan), rec.acc))
    gyr = np.vstack((np.full((lead, 3), np.nan), rec.gyr))
    gaps = (Gap(0, lead, "lost"), *(Gap(g.start + lead, g.end + lead, g.reason)
                                    for g in rec.meta.gaps))
    root = tmp_path_factory.mktemp("lost")
    return write_recording(Recording(acc, gyr, replace(rec.meta, gaps=gaps)),
                           root / "lost.parquet")


def test_empty_rows_first_are_no_rest(
        lost_first: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Trial: a recording with no samples in its first 20 s, then the middle of a set, got
    no note: the empty rows were read as a still pelvis. Its first samples count."""
    assert main(["analyze", str(lost_first), "--out", str(tmp_path / "o")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert NOTE in err and "its first samples start, at 20.0 s (none before)" in err, err


def test_a_from_after_empty_rows_does_not_move_back_into_them(
        lost_first: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Trial: --from 21 on that recording said "the part starts at 18.5 s, where the pelvis
    last rested", in the 20 s with no samples: no rest, and a part starting with empty rows.
    The part starts at --from, and the note says the pelvis did not rest before it."""
    assert main(["analyze", str(lost_first), "--from", "21", "--out", str(tmp_path / "o")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "where the pelvis last rested" not in err, err
    assert ("--from 21 falls in a movement and the pelvis did not rest 2.5 s in the 120 s "
            "before it (no samples in 0.00-20.00 s: a gap is no rest)") in err, err
    assert "analysing 21.00-" in err
