"""Damaged Parquet files (recordings of ours and plain tables): a result or an error by name."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import given
from hypothesis import strategies as st

from imu.cli import main
from imu.io.csv_import import CsvOptions, import_csv
from imu.io.load import load_recordings
from imu.io.recording import METADATA_KEY, write_recording
from tests.fuzz.checks import assert_sane
from tests.fuzz.strategies import (
    BASE,
    FUZZ,
    apply_byte_damage,
    byte_damage,
    damaged_frames,
    outcome,
)


def _recording_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "base.csv"
        BASE.to_csv(src, index=False)
        [imp] = import_csv(src, CsvOptions(rate_hz=50))
        return write_recording(imp.recording, Path(tmp) / "r.parquet").read_bytes()


def _table_bytes() -> bytes:
    buf = io.BytesIO()
    BASE.to_parquet(buf)
    return buf.getvalue()


RECORDING = _recording_bytes()
TABLE = _table_bytes()


@FUZZ
@given(st.sampled_from(["recording", "table"]), st.data())
def test_damaged_parquet_bytes_give_a_result_or_an_error_by_name(kind, data):
    clean = RECORDING if kind == "recording" else TABLE
    ops = data.draw(byte_damage(len(clean), protect=4))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"damaged_{kind}.parquet"
        path.write_bytes(apply_byte_damage(clean, ops))
        loaded = outcome(lambda: load_recordings(path, CsvOptions(rate_hz=50)), path)
        for item in loaded or ():
            assert_sane(item)


@FUZZ
@given(damaged_frames())
def test_plain_parquet_with_damaged_columns(frame):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.parquet"
        frame.astype({c: str for c in frame.columns if frame[c].dtype == object}).to_parquet(path)
        loaded = outcome(lambda: load_recordings(path), path)
        for item in loaded or ():
            assert_sane(item)
            assert item.repairs.count("rate_estimated") == 1


@FUZZ
@given(st.data())
def test_damaged_recording_through_info_and_analyze(data):
    ops = data.draw(byte_damage(len(RECORDING), protect=4))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rec.parquet"
        path.write_bytes(apply_byte_damage(RECORDING, ops))
        err = io.StringIO()
        import contextlib

        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["info", str(path)])
        assert code in (0, 2)
        if code == 2:
            (line,) = err.getvalue().strip().splitlines()
            assert "rec.parquet" in line


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@FUZZ
@given(st.data())
def test_recording_with_damaged_metadata(data):
    table = pq.read_table(io.BytesIO(RECORDING))
    meta = json.loads(table.schema.metadata[METADATA_KEY])
    key = data.draw(st.sampled_from(sorted(meta)))
    meta[key] = data.draw(json_values)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "meta.parquet"
        text = json.dumps(meta, allow_nan=True).encode()
        pq.write_table(table.replace_schema_metadata({METADATA_KEY: text}), path)
        loaded = outcome(lambda: load_recordings(path), path)
        for item in loaded or ():
            assert_sane(item)
