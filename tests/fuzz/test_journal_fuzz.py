"""Damaged journals (cut short, bit flips, zeroed blocks, bad frames inside good records):
``imu recover`` keeps every intact record, or refuses with the file named."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from firmware_protocol.frames import encode_stream
from imu.cli import main
from imu.io.journal import KIND_FRAME, MAGIC, JournalWriter, _parse_v2, recover
from imu.io.load import LoadedRecording
from imu.io.recorders import StreamHeader, StreamRecorder
from imu.io.repairs import RepairReport
from tests.fuzz.checks import assert_sane
from tests.fuzz.strategies import FUZZ, apply_byte_damage, byte_damage, outcome

HEADER = StreamHeader(odr_hz=104, acc_range_g=8, gyr_range_dps=500, exercise="plank")
N_FRAMES = 80
PAYLOADS = encode_stream(
    np.random.default_rng(1).integers(-3000, 3000, size=(N_FRAMES * 5, 6)),
    mtu=247,
    sampling_rate_hz=104,
    samples_per_frame=5,
)


def _journal(payloads: list[bytes]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j.imuj"
        writer = JournalWriter(path, HEADER)
        writer.append_event(0.0, "connected", name="S", address="AA", mtu=247)
        writer.append_frames((k * 5 / 104, p) for k, p in enumerate(payloads))
        writer.close()
        return path.read_bytes()


CLEAN = _journal(PAYLOADS)


def _frame_spans(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the frame records of an undamaged journal."""
    n = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
    pos = len(MAGIC) + 8 + n
    spans = []
    while pos < len(data):
        parsed = _parse_v2(data, pos)
        assert parsed is not None
        kind, _, _, end = parsed
        if kind == KIND_FRAME:
            spans.append((pos, end))
        pos = end
    return spans


SPANS = _frame_spans(CLEAN)
PREAMBLE = len(MAGIC) + 8 + int.from_bytes(CLEAN[len(MAGIC) : len(MAGIC) + 4], "little")
"""The magic and the stream header: without them nothing can be decoded (a clear error)."""


@FUZZ
@given(st.data())
def test_every_intact_record_survives_any_damage(data):
    ops = data.draw(byte_damage(len(CLEAN), protect=PREAMBLE))
    damaged = apply_byte_damage(CLEAN, ops)
    kept = [damaged[a:b] == CLEAN[a:b] for a, b in SPANS]  # a cut or a change damages a record
    intact = sum(kept)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.imuj"
        path.write_bytes(damaged)
        result = outcome(lambda: recover(path, warn=False), path)
        if result is None:
            assert intact == 0
            return
        assert result.contents.n_frames >= intact
        assert result.recording.n_samples <= N_FRAMES * 5
        assert_sane(LoadedRecording(result.recording, "j", None, result.repairs))
        if all(kind == "truncate" for kind, _, _ in ops):
            assert not result.repairs.data_lost  # a file cut short is what a crash leaves
        first_hit = kept.index(False) if False in kept else len(kept)
        if any(kept[first_hit:]) and len(damaged) == len(CLEAN):
            assert result.repairs.data_lost  # damage with intact records after it
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["recover", str(path), "--out", tmp])
        assert code == (1 if result.repairs.data_lost else 0)


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=60), st.sampled_from(PAYLOADS)), max_size=30))
def test_bad_frames_inside_intact_records(payloads):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "frames.imuj"
        path.write_bytes(_journal(payloads))
        result = outcome(lambda: recover(path, warn=False), path)
        if result is not None:
            assert not result.repairs.data_lost
            assert_sane(LoadedRecording(result.recording, "j", None, result.repairs))


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_not_a_journal(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "junk.imuj"
        path.write_bytes(data)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["recover", str(path)]) == 2


def _mutate(payload: bytes, at: int, value: int) -> bytes:
    if not payload:
        return payload
    i = at % len(payload)
    return payload[:i] + bytes([value]) + payload[i + 1 :]


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PAYLOADS),
            st.integers(0, 300),
            st.integers(0, 255),
            st.floats(-10.0, 100.0, allow_nan=False),
        ),
        max_size=40,
    )
)
def test_recorder_takes_any_frames_in_any_order(items):
    """BLE frames as they may arrive: corrupted bytes, repeats, any order, any host times."""
    recorder = StreamRecorder(HEADER)
    recorder.event("connected", 0.0, name="S", address="AA", mtu=247)
    for payload, at, value, host in items:
        recorder.frames([host], [_mutate(payload, at, value)])
    if recorder.n_samples:
        rec = recorder.recording()
        assert_sane(LoadedRecording(rec, "r", None, RepairReport("r")))
        assert rec.n_samples == recorder.n_samples
