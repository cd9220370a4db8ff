"""imu live --sim, imu recover and imu replay from the command line (plain output)."""

from __future__ import annotations

import re

import numpy as np

from firmware_protocol.frames import encode_stream
from imu.cli import main
from imu.io.journal import JournalWriter
from imu.io.recorders.base import StreamHeader
from imu.io.recording import read_recording


def test_live_sim_writes_recording_and_reports(tmp_path, capsys):
    out = tmp_path / "out"
    leftover = out / "crashed.imuj"
    out.mkdir()
    j = JournalWriter(leftover, StreamHeader(104, 8, 500, exercise="reverse-crunch"))
    j.append_frames((k * 0.05, p) for k, p in enumerate(
        encode_stream(np.zeros((520, 6), dtype=int), mtu=247, sampling_rate_hz=104,
                      samples_per_frame=5)))
    j.close()
    code = main(["live", "-e", "reverse-crunch", "--sim", "reverse-crunch", "--sim-reps", "4",
                 "--speed", "30", "--sim-drop", "0.02", "--out", str(out), "--name", "set1"])
    text = capsys.readouterr().out
    assert code == 0
    assert "recovered crashed.imuj" in text and (out / "crashed.parquet").exists()
    assert "connected to HipIMU-S" in text and "rep 4 (set 1)" in text
    assert "set 1 done: 4 reps" in text and "4 reps in 1 set," in text
    assert re.search(r"\d+ samples? lost in \d+ gaps?", text)  # 2% of the frames dropped
    assert (out / "set1.parquet").exists() and (out / "set1" / "reps.csv").exists()
    assert not (out / "set1.imuj").exists()  # the journal goes once the recording is safe
    rec = read_recording(out / "set1.parquet")
    assert rec.meta.source == "ble-sim" and rec.meta.exercise == "reverse-crunch"

    code = main(["replay", str(out / "set1.parquet"), "--speed", "30", "--out",
                 str(tmp_path / "replayed"), "--name", "again"])
    text = capsys.readouterr().out
    assert code == 0 and "4 reps in 1 set," in text
    assert "lost in" in text  # the replay keeps the recording's gaps
    again = read_recording(tmp_path / "replayed" / "again.parquet")
    np.testing.assert_array_equal(np.isnan(again.acc), np.isnan(rec.acc))


def test_recover_command(tmp_path, capsys):
    path = tmp_path / "s.imuj"
    j = JournalWriter(path, StreamHeader(104, 8, 500))
    j.append_frames((k * 0.05, p) for k, p in enumerate(
        encode_stream(np.zeros((104, 6), dtype=int), mtu=23, sampling_rate_hz=104)))
    j.close()
    assert main(["recover", str(path)]) == 0
    assert "104 frames" in capsys.readouterr().out
    assert read_recording(tmp_path / "s.parquet").n_samples == 104


def test_recover_bad_file_is_a_clean_error(tmp_path, capsys):
    bad = tmp_path / "x.imuj"
    bad.write_bytes(b"nope")
    assert main(["recover", str(bad)]) == 2
    assert "not an imu journal" in capsys.readouterr().err


def test_a_session_without_losses_says_so(tmp_path, capsys):
    """It said '0 samples lost in 0 gaps'."""
    assert main(["live", "--sim", "plank", "--sim-reps", "1", "--speed", "40", "--plain",
                 "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "s recorded, no samples lost" in text and "lost in 0" not in text


def test_a_live_plank_counted_as_reps_ends_with_a_hint(tmp_path, capsys):
    """The wrong exercise chosen for a live set: the end of the session says what it looks
    like (as imu analyze does), and the set is still saved as asked."""
    assert main(["live", "-e", "reverse-crunch", "--sim", "plank", "--sim-reps", "1",
                 "--speed", "40", "--plain", "--out", str(tmp_path), "--name", "p"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "note: this recording looks like a plank" in text
    assert (tmp_path / "p.parquet").exists()


def test_a_live_set_of_the_right_exercise_has_no_hint(tmp_path, capsys):
    assert main(["live", "--sim", "plank", "--sim-reps", "1", "--speed", "40", "--plain",
                 "--out", str(tmp_path)]) == 0
    assert "looks like" not in capsys.readouterr().out
