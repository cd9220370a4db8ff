"""Saving a live session: the journal goes as soon as the recording is safe, and Ctrl-C while
saving never loses the recording and always says what was saved and how to finish.

The signals are sent by this process to itself (``os.kill``) from inside the saving steps, so
each lands in a known step; one end-to-end test does the same to ``imu live --sim`` in a
subprocess.
"""

from __future__ import annotations

import asyncio
import io
import os
import shlex
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

import imu.live.finish as finish
from firmware_protocol.frames import encode_stream
from imu.cli import main
from imu.core.analyzer import RepAnalyzer
from imu.errors import RecordingError
from imu.exercises import get_profile
from imu.io.journal import JournalWriter
from imu.io.recorders import FrameRecorder
from imu.io.recorders.base import StreamHeader
from imu.io.recorders.hip import StreamRecorder
from imu.io.recording import Recording, read_recording
from imu.live.finish import finish_session
from imu.live.session import InterruptHold, LiveResult, LiveSession, run_with_signals
from imu.live.sources.base import SourceLink
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

PROFILE = get_profile("reverse-crunch")
TEMPO = parse_tempo("2-1-2")
HEADER = StreamHeader(104, 8, 500, exercise="reverse-crunch")
ANALYZE = "imu analyze "


@pytest.fixture(scope="module")
def live_result() -> LiveResult:
    """Three reverse-crunch reps and the reps a live analyzer reports for them."""
    spec = SessionSpec("reverse-crunch", tempo=TEMPO, reps=3, sets=1, seed=5)
    rec = simulate_session(spec).recording
    analyzer = RepAnalyzer(PROFILE, rec.sampling_rate_hz, TEMPO, keep_trace=True)
    reps = analyzer.update(rec.acc, rec.gyr) + analyzer.finish()
    assert len(reps) == 3
    return LiveResult(rec, reps, "stopped", trace=analyzer.trace_,
                      trace_start_s=-analyzer.delay_s)


def _journal(out: Path) -> Path:
    path = out / "s.imuj"
    JournalWriter(path, HEADER).close()
    return path


def _finish(result: LiveResult, out: Path, journal: Path) -> Any:
    console = Console(file=io.StringIO(), width=120)
    return finish_session(result, out, "s", PROFILE, TEMPO, console, journal)


def _ctrl_c(times: int = 1) -> None:
    """Press Ctrl-C ``times`` (the handler runs before this returns)."""
    for _ in range(times):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)


def _analyze_command(err: str) -> list[str]:
    """The ``imu analyze`` words the message gives (without ``imu``)."""
    line = next(li for li in err.splitlines() if li.strip().startswith(ANALYZE))
    return shlex.split(line.strip())[1:]


def test_the_journal_goes_before_the_reports_are_written(tmp_path, live_result, monkeypatch):
    journal = _journal(tmp_path)
    real = finish.write_reports
    seen: list[bool] = []

    def write_reports(report: Any, out_dir: Path) -> list[Path]:
        seen.append(journal.exists())
        assert read_recording(tmp_path / "s.parquet").n_samples == live_result.recording.n_samples
        return real(report, out_dir)

    monkeypatch.setattr(finish, "write_reports", write_reports)
    saved = _finish(live_result, tmp_path, journal)
    assert seen == [False]  # gone once the recording was safe, before any report
    assert saved is not None and (tmp_path / "s" / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s", "s.parquet"]  # no temp files


def test_ctrl_c_while_the_reports_are_written_says_how_to_make_them(
    tmp_path, live_result, monkeypatch, capfd
):
    journal = _journal(tmp_path)

    def interrupted(report: Any, out_dir: Path) -> list[Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(finish, "write_reports", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _finish(live_result, tmp_path, journal)
    err = capfd.readouterr().err
    assert not journal.exists()  # recovering it would only duplicate the recording
    assert read_recording(tmp_path / "s.parquet").n_samples == live_result.recording.n_samples
    assert f"the recording is saved: {tmp_path / 's.parquet'}" in err
    assert "the reports were not made: make them with" in err
    words = _analyze_command(err)
    assert words[words.index("--out") + 1] == str(tmp_path / "s")
    monkeypatch.undo()
    assert main(words) == 0  # the command given works, and makes the live session's table
    assert (tmp_path / "s" / "report.html").exists()
    assert len(pd.read_csv(tmp_path / "s" / "reps.csv")) == len(live_result.reps)


def test_ctrl_c_half_way_through_the_reports_leaves_no_empty_folder(
    tmp_path, live_result, monkeypatch
):
    """Ctrl-C after some report files were written (to their temporary names) left an empty
    s/ folder beside the recording, which looked like the session's reports."""
    journal = _journal(tmp_path)
    to_parquet = pd.DataFrame.to_parquet

    def interrupted(self: pd.DataFrame, path: Any, *args: Any, **kwargs: Any) -> Any:
        if "sets" in str(path):
            assert any(tmp_path.glob("s/.reps.csv.*.tmp"))  # written, not yet renamed
            raise KeyboardInterrupt
        return to_parquet(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _finish(live_result, tmp_path, journal)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.parquet"]


def test_ctrl_c_once_while_the_recording_is_saved_is_held_off(
    tmp_path, live_result, monkeypatch, capfd
):
    journal = _journal(tmp_path)
    real = finish.write_recording
    before = signal.getsignal(signal.SIGINT)

    def pressed_once(recording: Any, path: Path) -> Path:
        _ctrl_c(1)
        return real(recording, path)

    monkeypatch.setattr(finish, "write_recording", pressed_once)
    saved = _finish(live_result, tmp_path, journal)
    err = capfd.readouterr().err
    assert "imu live: saving the recording (a moment); press Ctrl-C again to skip the " \
           "reports" in err
    assert saved is not None and (tmp_path / "s" / "report.html").exists()
    assert not journal.exists()
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back


def test_ctrl_c_twice_while_the_recording_is_saved_skips_the_reports(
    tmp_path, live_result, monkeypatch, capfd
):
    journal = _journal(tmp_path)
    real = finish.write_recording

    def pressed_twice(recording: Any, path: Path) -> Path:
        _ctrl_c(2)
        return real(recording, path)

    monkeypatch.setattr(finish, "write_recording", pressed_twice)
    with pytest.raises(KeyboardInterrupt):
        _finish(live_result, tmp_path, journal)
    err = capfd.readouterr().err
    assert "the reports are skipped" in err and "the reports were not made" in err
    assert _analyze_command(err)[:2] == ["analyze", str(tmp_path / "s.parquet")]
    assert read_recording(tmp_path / "s.parquet").n_samples == live_result.recording.n_samples
    assert not journal.exists() and not (tmp_path / "s").exists()


def test_ctrl_c_while_the_tables_print_says_everything_is_saved(
    tmp_path, live_result, monkeypatch, capfd
):
    journal = _journal(tmp_path)

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(finish, "_print_summary", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _finish(live_result, tmp_path, journal)
    err = capfd.readouterr().err
    assert "everything is saved" in err and f"the reports in {tmp_path / 's'}" in err
    assert ANALYZE not in err
    assert (tmp_path / "s" / "report.html").exists() and not journal.exists()


def test_a_recording_that_cannot_be_written_keeps_the_journal(
    tmp_path, live_result, monkeypatch
):
    journal = _journal(tmp_path)

    def full(recording: Any, path: Path) -> Path:
        raise RecordingError(f"cannot write recording {path}: No space left on device")

    monkeypatch.setattr(finish, "write_recording", full)
    with pytest.raises(RecordingError, match=r"the journal .*s\.imuj keeps everything.*"
                                             r"'imu recover .*s\.imuj'"):
        _finish(live_result, tmp_path, journal)
    assert journal.exists()


def test_a_recording_that_reads_back_wrong_is_not_trusted(tmp_path, live_result, monkeypatch):
    journal = _journal(tmp_path)
    real = finish.read_recording

    def short(path: Path) -> Recording:
        back = real(path)
        if Path(path).parent == tmp_path:  # the disk in --out lost the last samples
            return Recording(back.acc[:-10], back.gyr[:-10], back.meta)
        return back

    monkeypatch.setattr(finish, "read_recording", short)
    saved = _finish(live_result, tmp_path, journal)
    assert saved is not None and saved.fallback_reason is not None
    assert "read back" in saved.fallback_reason
    assert saved.recording_path.parent != tmp_path
    assert journal.exists()  # the recording is not where the journal is: it stays


class _SendsThenCtrlC:
    """A source that streams a few frames, then the person presses Ctrl-C (ending it)."""

    label = "test"
    odr_hz = 104
    acc_range_g = 8
    gyr_range_dps = 500

    def header_notes(self) -> dict[str, str]:
        return {}

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        return StreamRecorder(header)

    async def run(self, link: SourceLink, stop: asyncio.Event) -> str:
        payloads = encode_stream(np.zeros((104, 6), dtype=int), mtu=247, sampling_rate_hz=104,
                                 samples_per_frame=5)
        for k, payload in enumerate(payloads):
            link.frame(k * 5 / 104, payload)
        os.kill(os.getpid(), signal.SIGINT)
        await asyncio.wait_for(stop.wait(), 10)
        return "stopped"


def test_ctrl_c_is_held_off_from_the_moment_the_session_ended():
    session = LiveSession(_SendsThenCtrlC(), PROFILE, TEMPO)
    before = signal.getsignal(signal.SIGINT)
    with InterruptHold() as hold:
        result = asyncio.run(run_with_signals(session, hold=hold))
        assert result.reason == "stopped" and result.recording.n_samples == 104
        assert hold.holding and hold.presses == 0  # the first Ctrl-C ended the session
        _ctrl_c(1)  # the second, while the caller saves: counted, not raised
        assert hold.presses == 1 and not hold.skip_reports
        hold.release()
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c(1)
    assert signal.getsignal(signal.SIGINT) is before


def test_one_ctrl_c_while_the_reports_are_made_does_not_skip_them(capfd):
    """Trial 23: one Ctrl-C just after "session ended", once the recording was saved, skipped
    the reports, where the help says a second press does. The first is answered."""
    session = LiveSession(_SendsThenCtrlC(), PROFILE, TEMPO)
    with InterruptHold() as hold:
        asyncio.run(run_with_signals(session, hold=hold))
        hold.release()  # the recording is saved: the reports are being made
        _ctrl_c(1)  # answered, not raised
        assert hold.presses == 1 and not hold.skip_reports
        assert "press Ctrl-C again to skip them" in capfd.readouterr().err
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c(1)  # the second cuts the reports short
    # A SIGTERM (a supervisor's stop) once the recording is saved is not asked twice.
    session = LiveSession(_SendsThenCtrlC(), PROFILE, TEMPO)
    with InterruptHold() as hold:
        asyncio.run(run_with_signals(session, hold=hold))
        hold.release()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.5)


WRAPPER = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    import imu.live.finish as finish
    from imu.cli import main

    real = finish.write_recording

    def slow(recording, path):
        Path(sys.argv[1]).write_text("saving")
        time.sleep(3.0)  # the test presses Ctrl-C twice meanwhile
        return real(recording, path)

    finish.write_recording = slow
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_imu_live_second_ctrl_c_while_saving_keeps_the_recording(tmp_path):
    """The new user's trial, made deterministic: Ctrl-C twice while the recording is saved."""
    script, marker, out = tmp_path / "wrapper.py", tmp_path / "saving", tmp_path / "out"
    script.write_text(WRAPPER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(marker), "live", "--sim", "reverse-crunch",
         "--sim-reps", "2", "--speed", "40", "--plain", "--name", "s", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), proc.communicate()
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "press Ctrl-C again to skip the reports" in err
    assert "the reports are skipped" in err and "the reports were not made" in err
    assert f"the recording is saved: {out / 's.parquet'}" in err
    assert read_recording(out / "s.parquet").n_samples > 0
    assert sorted(p.name for p in out.iterdir()) == ["s.parquet"]  # no journal left over
    assert main(_analyze_command(err)) == 0
    assert (out / "s" / "report.html").exists()


def test_a_session_stopped_at_once_saves_the_recording_but_writes_no_reports(
    tmp_path, live_result
):
    """Found in a new-user trial: stopped after 0.05 s, it wrote full (empty) reports that
    looked like a result, for a recording 'imu analyze' refuses as too short."""
    rec = live_result.recording
    short = Recording(rec.acc[:5], rec.gyr[:5], rec.meta)
    console = Console(file=io.StringIO(), width=200)
    saved = finish_session(LiveResult(short, [], "stopped"), tmp_path, "s", PROFILE, TEMPO,
                           console, _journal(tmp_path))
    # One line however long the temporary path is (a worker's folder name wrapped it).
    text = " ".join(console.file.getvalue().split())  # type: ignore[attr-defined]
    assert saved is None
    assert f"the recording is saved: {tmp_path / 's.parquet'}" in text
    assert "too short for reports" in text and "no reports written" in text
    assert read_recording(tmp_path / "s.parquet").n_samples == 5
    assert not (tmp_path / "s").exists()  # no report folder
    assert not (tmp_path / "s.imuj").exists()  # the journal went with the recording saved
