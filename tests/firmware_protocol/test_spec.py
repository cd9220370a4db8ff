"""The spec as data agrees with itself and with SPEC.md."""

from __future__ import annotations

import re
import uuid
from importlib import resources

import pytest

from firmware_protocol import ProtocolError, spec
from firmware_protocol.frames import HEADER_DTYPE, max_samples_per_frame
from firmware_protocol.version import (
    PROTOCOL_VERSION,
    ProtocolVersion,
    check_supported,
    pack_version_byte,
    unpack_version_byte,
)

SPEC_MD = resources.files("firmware_protocol").joinpath("SPEC.md").read_text(encoding="utf-8")


def test_layout_sizes():
    assert spec.FRAME_HEADER.size == HEADER_DTYPE.itemsize == 8
    assert spec.SAMPLE.size == 12
    assert spec.STATUS.size == 32
    assert spec.MIN_MTU == spec.ATT_DEFAULT_MTU == 23


def test_uuids_are_valid_and_distinct():
    uuids = [
        spec.IMU_SERVICE_UUID,
        spec.IMU_DATA_UUID,
        spec.CONTROL_POINT_UUID,
        spec.STATUS_UUID,
        spec.DEVICE_INFORMATION_SERVICE_UUID,
        spec.BATTERY_SERVICE_UUID,
        spec.BATTERY_LEVEL_UUID,
        spec.FIRMWARE_REVISION_UUID,
    ]
    assert len(set(uuids)) == len(uuids)
    for u in uuids:
        assert str(uuid.UUID(u)) == u
    assert spec.BATTERY_SERVICE_UUID == "0000180f-0000-1000-8000-00805f9b34fb"


def test_uuids_in_spec_md():
    for name in ("IMU_SERVICE_UUID", "IMU_DATA_UUID", "CONTROL_POINT_UUID", "STATUS_UUID"):
        assert getattr(spec, name) in SPEC_MD, name
    for short in ("0x180A", "0x180F", "0x2A19", "0x2A26", "0x2902"):
        assert short in SPEC_MD


def test_layout_fields_documented_with_offsets():
    """Every field of every layout has a table row ``| offset | `name` | type ...`` in SPEC.md."""
    layouts = [spec.FRAME_HEADER, spec.SAMPLE, spec.STATUS, spec.RESPONSE]
    layouts += list(spec.COMMAND_PARAMETERS.values())
    types = {"B": "uint8", "H": "uint16", "I": "uint32", "h": "int16", "f": "float32"}
    for layout in layouts:
        for field in layout.fields:
            offset = layout.offsets()[field.name]
            row = rf"\|\s*{offset}\s*\|\s*`{field.name}`\s*\|\s*{types[field.code]}\s*\|"
            assert re.search(row, SPEC_MD), f"{layout.name}: {field.name} at {offset}"


def test_mtu_table_in_spec_md():
    for mtu in (23, 185, 247):
        n = max_samples_per_frame(mtu)
        row = rf"\|\s*{mtu}\s*\|\s*{mtu - 3}\s*\|\s*{n}\s*\|\s*{8 + 12 * n}\s*\|"
        assert re.search(row, SPEC_MD), mtu


def test_opcodes_and_results_in_spec_md():
    for op in spec.Opcode:
        assert re.search(rf"0x{op:02X}\s*\|\s*`{op.name}`", SPEC_MD), op.name
    for code in spec.ResultCode:
        assert re.search(rf"0x{code:02X}\s*\|\s*`{code.name}`", SPEC_MD), code.name


def test_version_byte():
    assert pack_version_byte(ProtocolVersion(1, 0)) == 0x10
    assert unpack_version_byte(0x2F) == ProtocolVersion(2, 15)
    for byte in range(256):
        assert pack_version_byte(unpack_version_byte(byte)) == byte
    assert str(PROTOCOL_VERSION) == "1.0"


def test_version_rule():
    check_supported(ProtocolVersion(1, 9), "frame")
    with pytest.raises(ProtocolError, match=r"frame has protocol version 2\.3.*1\.0"):
        check_supported(ProtocolVersion(2, 3), "frame")
    assert ProtocolVersion.parse("1.12") == ProtocolVersion(1, 12)
    with pytest.raises(ProtocolError, match=r"major\.minor"):
        ProtocolVersion.parse("1")


def test_no_imu_imports():
    import subprocess
    import sys

    code = (
        "import sys, firmware_protocol.codec, firmware_protocol.testvectors, "
        "firmware_protocol.make_vectors; "
        "print([m for m in sys.modules if m == 'imu' or m.startswith('imu.')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
