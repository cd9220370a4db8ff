"""Every shipped test vector passes the reference codec, and the files are up to date."""

from __future__ import annotations

import json

import pytest

from firmware_protocol import make_vectors
from firmware_protocol.testvectors import (
    ReferenceCodec,
    check_vector,
    check_vectors,
    compare,
    load_vectors,
)

VECTORS = load_vectors()


def test_enough_vectors_of_every_kind():
    kinds = {v["kind"] for v in VECTORS}
    assert kinds == {"frame", "stream", "command", "response", "status"}
    assert len(VECTORS) >= 12
    assert sum("error" in v for v in VECTORS) >= 5
    for v in VECTORS:
        assert v["description"]
        assert ("error" in v) != ("expected" in v)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector):
    assert check_vector(vector) == []


@pytest.mark.parametrize(
    "vector", [v for v in VECTORS if v.get("encodes_to_hex")], ids=lambda v: v["name"]
)
def test_vector_encodes_back(vector):
    encoded = ReferenceCodec().encode(vector["kind"], vector["expected"])
    assert [p.hex() for p in encoded] == vector["hex"]


def test_files_match_generator():
    files = make_vectors.vector_files(make_vectors.build_vectors())
    assert [json.loads(text) for text in files.values()] == VECTORS


def test_generator_is_deterministic():
    first = make_vectors.vector_files(make_vectors.build_vectors())
    second = make_vectors.vector_files(make_vectors.build_vectors())
    assert first == second


def test_make_vectors_check_mode(capsys):
    assert make_vectors.main(["--check"]) == 0
    assert "OK" in capsys.readouterr().out


def test_make_vectors_writes_to_folder(tmp_path, capsys):
    (tmp_path / "stale.json").write_text("{}")
    assert make_vectors.main(["--out", str(tmp_path)]) == 0
    assert not (tmp_path / "stale.json").exists()
    assert len(list(tmp_path.glob("*.json"))) == len(VECTORS)
    assert make_vectors.main(["--check", "--out", str(tmp_path)]) == 0
    capsys.readouterr()


def test_required_coverage():
    names = {v["name"] for v in VECTORS}
    for needed in (
        "stream_seq_wraparound",
        "stream_gap_across_seq_wrap",
        "stream_timestamp_wraparound",
        "frame_extreme_values",
        "frame_one_sample",
        "frame_largest_mtu23",
        "frame_largest_mtu247",
        "frame_newer_minor_version",
        "error_frame_major_version_2",
        "error_frame_truncated_samples",
        "command_start_stream",
        "response_unsupported_rate",
        "status_streaming",
    ):
        assert needed in names
    sizes = {v["name"]: len(v["hex"][0]) // 2 for v in VECTORS if v["kind"] == "frame"}
    assert sizes["frame_largest_mtu23"] <= 23 - 3
    assert sizes["frame_largest_mtu247"] <= 247 - 3
    assert sizes["frame_largest_mtu247"] + 12 > 247 - 3


class _BrokenCodec(ReferenceCodec):
    """Gets the sign of the gyroscope wrong and accepts everything."""

    def decode(self, kind, payloads, config):
        try:
            out = super().decode(kind, payloads, config)
        except Exception:
            return {}
        if kind == "stream":
            out["gyr_rads"] = [[-x for x in row] for row in out["gyr_rads"]]
        return out


class _CrashingCodec(ReferenceCodec):
    def decode(self, kind, payloads, config):
        raise IndexError("oops")


def test_checker_reports_a_broken_implementation():
    problems = check_vectors(_BrokenCodec())
    assert any("gyr_rads" in p for p in problems)
    assert any("must be rejected" in p for p in problems)
    crash = check_vectors(_CrashingCodec())
    assert any("instead of ProtocolError" in p for p in crash)
    assert any("decoding raised IndexError" in p for p in crash)


def test_compare():
    assert compare({"a": [1, 2.0]}, {"a": [1, 2.0 + 1e-13], "extra": 1}) == []
    assert compare({"a": 1}, {"a": 1.0}) != []
    assert compare({"a": True}, {"a": 1}) != []
    assert compare([1, 2], [1]) != []
    assert compare({"a": 1}, {}) == ["value: missing key 'a'"]
    assert compare(1.0, "x") != []
