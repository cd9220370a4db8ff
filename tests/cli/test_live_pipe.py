"""A closed stdout never loses a session: ``imu live --sim ... --plain | head -2``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from imu.io.recording import read_recording

IMU = [sys.executable, "-m", "imu"]


def test_stdout_closed_early_keeps_recording_and_writes_every_output(tmp_path: Path):
    out = tmp_path / "d"
    with subprocess.Popen(
        [*IMU, "live", "-e", "reverse-crunch", "--sim", "reverse-crunch", "--sim-reps", "6",
         "--speed", "30", "--plain", "--out", str(out), "--name", "s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = [proc.stdout.readline() for _ in range(2)]  # as `head -2` does
        proc.stdout.close()  # the reader goes away while the set is still streaming
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)

    assert first[0].startswith(b"connected to HipIMU-S") and first[1].startswith(b"rep 1 ")
    assert code == 0, err
    for bad in ("Traceback", "BrokenPipe", "Task was destroyed", "pending",
                "Exception in callback", "Exception ignored"):
        assert bad not in err, err
    assert "stdout was closed" in err and "saved" in err
    assert f"the reports in {out / 's'}" in err  # where they are: the session's own folder
    assert {p.name for p in out.iterdir()} == {"s.parquet", "s"}  # no journal left
    assert {p.name for p in (out / "s").iterdir()} == {
        "reps.csv", "reps.parquet", "sets.csv", "sets.parquet", "session.csv",
        "session.parquet", "report.html"}  # the session's reports in its own folder
    assert read_recording(out / "s.parquet").duration_s > 30
    assert len(pd.read_parquet(out / "s" / "reps.parquet")) == 6


def test_analyze_with_stdout_closed_still_writes_every_report(tmp_path: Path):
    """``imu analyze ... | head -1``: the tables are cut short, the reports are not."""
    recording = Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet"
    out = tmp_path / "o"
    with subprocess.Popen(
        [*IMU, "analyze", str(recording), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 0, err
    assert "Traceback" not in err and "stdout was closed" in err
    assert {p.name for p in out.iterdir()} == {
        "reps.csv", "reps.parquet", "sets.csv", "sets.parquet", "session.csv",
        "session.parquet", "report.html"}


def test_info_into_a_closed_pipe_stops_quietly(tmp_path: Path):
    """``imu info FILE | head -1``: a command that only prints has nothing to carry on with."""
    recording = Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet"
    with subprocess.Popen(
        [*IMU, "info", str(recording)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # closed before the first line: every write finds it closed
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 0, err
    assert err == "", err  # no "carries on": as head, cut, grep -q leave it


def test_analyze_with_stdout_and_stderr_closed_still_writes_every_report(tmp_path: Path):
    """``imu analyze ... 2>&1 | head -1``: a note printed after the reader went away (here
    the low-rate note after the import's repair line) failed the file, and no report was
    written (exit 1)."""
    import numpy as np
    from scipy.signal import resample_poly

    rec = read_recording(Path(__file__).parents[2] / "recordings" / "reverse_crunch.parquet")
    acc, gyr = (resample_poly(np.nan_to_num(x), 1, 4, axis=0) for x in (rec.acc, rec.gyr))
    csv = tmp_path / "r13.csv"
    pd.DataFrame({"t": np.arange(len(acc)) / (rec.sampling_rate_hz / 4),
                  **{f"a{k}": acc[:, i] for i, k in enumerate("xyz")},
                  **{f"g{k}": gyr[:, i] for i, k in enumerate("xyz")}}).to_csv(csv, index=False)
    out = tmp_path / "o"
    with subprocess.Popen(
        [*IMU, "analyze", str(csv), "--time-col", "t", "--acc-cols", "ax,ay,az",
         "--gyr-cols", "gx,gy,gz", "--acc-unit", "m/s^2", "--gyr-unit", "rad/s",
         "-e", "reverse-crunch", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path,
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.readline()  # as `head -1` does, with stderr in the same pipe
        proc.stdout.close()
        code = proc.wait(timeout=120)
    assert code == 0
    assert {p.name for p in out.iterdir()} == {
        "reps.csv", "reps.parquet", "sets.csv", "sets.parquet", "session.csv",
        "session.parquet", "report.html"}
