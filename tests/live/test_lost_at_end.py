"""A session that ends while the sensor is lost says so: the stream's tail is no "no samples lost".

The recording ends at its last sample, so the time from there to the end, with the link down,
was no gap in it; the summary said "20 s recorded, no samples lost". The session's end is now
an event (journalled like the others), and the recorder notes the tail when the link was down.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from firmware_protocol.frames import encode_stream
from firmware_protocol.virtual_sensor import Faults
from imu.cli import main
from imu.exercises import get_profile
from imu.io.journal import recover
from imu.io.recorders import (
    EVENT_CONNECTED,
    EVENT_DISCONNECTED,
    EVENT_ENDED,
    LOST_AT_END_NOTE,
    StreamHeader,
    StreamRecorder,
)
from imu.io.recording import Recording
from imu.live.finish import finish_session, lost_at_end_s, recording_loss_words
from imu.live.sources.ble import ReconnectPolicy
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo

from .conftest import run_live

HEADER = StreamHeader(104, 8, 500, exercise="reverse-crunch")
TEMPO = parse_tempo("2-1-2")


def _payloads(seconds: float) -> list[bytes]:
    n = round(seconds * 104)
    return encode_stream(np.zeros((n, 6), dtype=int), mtu=247, sampling_rate_hz=104,
                         samples_per_frame=5)


def _feed(recorder: StreamRecorder, payloads: list[bytes], t0: float = 0.0) -> float:
    """Frames 5 samples apart from host time t0; returns the host time of the last one."""
    hosts = [t0 + k * 5 / 104 for k in range(len(payloads))]
    recorder.frames(hosts, payloads)
    return hosts[-1]


def test_the_end_with_the_link_down_notes_the_tail() -> None:
    recorder = StreamRecorder(HEADER)
    recorder.event(EVENT_CONNECTED, 0.0, name="HipIMU-S")
    last = _feed(recorder, _payloads(4.0))
    recorder.event(EVENT_DISCONNECTED, last + 1.0)
    recorder.event(EVENT_ENDED, last + 12.5)
    rec = recorder.recording()
    assert rec.meta.notes[LOST_AT_END_NOTE] == "12.5"
    assert lost_at_end_s(rec) == pytest.approx(12.5)
    assert rec.meta.gaps == ()  # the tail is no gap: the recording ends at its last sample
    assert recording_loss_words(rec) == (
        "the last 12 s lost (the sensor was gone when the session ended)")


def test_a_link_back_before_the_end_notes_nothing() -> None:
    recorder = StreamRecorder(HEADER)
    recorder.event(EVENT_CONNECTED, 0.0, name="HipIMU-S")
    payloads = _payloads(4.0)
    half = len(payloads) // 2
    last = _feed(recorder, payloads[:half])
    recorder.event(EVENT_DISCONNECTED, last + 0.5)
    recorder.event(EVENT_CONNECTED, last + 3.0, name="HipIMU-S")
    last = _feed(recorder, payloads[half:], t0=last + 3.1)
    recorder.event(EVENT_ENDED, last + 0.2)
    rec = recorder.recording()
    assert LOST_AT_END_NOTE not in rec.meta.notes
    assert recording_loss_words(rec) == "no samples lost"


def test_an_ordinary_end_notes_nothing() -> None:
    recorder = StreamRecorder(HEADER)
    last = _feed(recorder, _payloads(3.0))
    recorder.event(EVENT_ENDED, last + 5.0)  # a quiet stream, the link up: nothing lost
    assert LOST_AT_END_NOTE not in recorder.recording().meta.notes


def test_a_gap_inside_and_a_lost_tail_are_both_told() -> None:
    rec = simulate_session(SessionSpec("reverse-crunch", tempo=TEMPO, reps=1, seed=2,
                                       packet_loss=0.05)).recording
    assert rec.meta.gaps
    notes = {**rec.meta.notes, LOST_AT_END_NOTE: "7.6"}
    tailed = Recording(rec.acc, rec.gyr, rec.meta.__class__(**{**vars(rec.meta), "notes": notes}))
    words = recording_loss_words(tailed)
    assert words.startswith(f"{tailed.missing_samples} samples lost in ")
    assert words.endswith(", and the last 8 s lost (the sensor was gone when the session ended)")


def test_a_live_session_lost_at_its_end_says_so_and_its_journal_agrees(
    simulated_set, tmp_path: Path
) -> None:
    """The sensor drops the link at 5 s and never comes back in time: the session gives up.
    Its recording notes the lost tail; the journal recovered gives the same note; the summary
    after the session names it instead of "no samples lost"."""
    journal = tmp_path / "s.imuj"
    faults = Faults(disconnect_at_s=(5.0,), reconnect_after_s=100.0)
    policy = ReconnectPolicy(give_up_after_s=0.5, scan_timeout_s=0.5)
    result, _ = run_live(simulated_set, faults=faults, policy=policy, journal=str(journal))
    rec = result.recording
    assert result.reason == "device gone"
    tail = lost_at_end_s(rec)
    assert tail > 0.5  # at least the give-up time (wall clock) at the sensor's speed
    assert recover(journal, warn=False).recording.meta.notes[LOST_AT_END_NOTE] == (
        rec.meta.notes[LOST_AT_END_NOTE])
    console = Console(file=io.StringIO(), width=400)
    finish_session(result, tmp_path, "s", get_profile("reverse-crunch"), TEMPO, console,
                   journal)
    text = " ".join(console.file.getvalue().split())  # type: ignore[attr-defined]
    assert f"the last {tail:.0f} s lost (the sensor was gone when the session ended)" in text
    assert "no samples lost" not in text


def test_imu_live_summary_names_the_lost_tail(tmp_path: Path, capsys) -> None:
    """From the command line: the virtual sensor drops the link and the session gives up
    before it is back (2 s of wall clock against 10: whatever the host's reconnection
    timing, the sensor is gone when the session ends)."""
    code = main(["live", "-e", "reverse-crunch", "--sim", "reverse-crunch", "--sim-reps", "3",
                 "--speed", "20", "--sim-disconnect-at", "20", "--sim-reconnect-after", "200",
                 "--give-up", "2", "--plain", "--out", str(tmp_path), "--name", "a"])
    assert code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "lost (the sensor was gone when the session ended)" in text
    assert "no samples lost" not in text
