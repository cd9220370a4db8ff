"""The virtual sensor answers the control point as SPEC.md says; scan."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from bleak import BleakClient

from firmware_protocol import codec, spec
from firmware_protocol.virtual_sensor import SampleSource
from imu.ble.client import SensorConnection, find_sensor, scan
from imu.ble.sim import sim_bench


def _source() -> SampleSource:
    acc = np.zeros((104 * 5, 3))
    acc[:, 2] = 9.81
    return SampleSource.from_si(acc, np.zeros_like(acc), 104)


def test_control_point_responses_and_status():
    async def main() -> None:
        async with sim_bench(_source(), speed=10.0) as bench:
            sensors = await scan(bench.backend, timeout_s=0.3)
            assert [(s.name, s.battery_percent) for s in sensors] == [("HipIMU-S", 87)]
            assert sensors[0].rssi < 0
            device = await find_sensor(bench.backend, sensors[0].address, 2.0)
            async with BleakClient(device, **bench.backend.client_kwargs()) as client:
                assert client.mtu_size == 247
                conn = SensorConnection(client, lambda _b: None)
                info = await conn.read_info("x")
                assert info.firmware_revision == "1.0.0" and info.serial_number == "SIM-0001"
                await conn.subscribe()
                await conn.command(codec.GetStatus())
                with pytest.raises(Exception, match="UNSUPPORTED_RATE"):
                    await conn.command(codec.StartStream(100, 8, 500))
                with pytest.raises(Exception, match="UNSUPPORTED_GYR_RANGE"):
                    await conn.command(codec.StartStream(104, 8, 300))
                await conn.command(codec.StartStream(104, 8, 500))
                with pytest.raises(Exception, match="INVALID_STATE"):
                    await conn.command(codec.StartStream(104, 8, 500))
                status = codec.decode_status(await client.read_gatt_char(spec.STATUS_UUID))
                assert status.streaming and status.gyr_range_dps == 500
                # Unknown opcode and empty write: the response echoes the opcode.
                for raw, want in ((b"\x7f", (0x7F, "OPCODE_NOT_SUPPORTED")),
                                  (b"\x01\x00", (0x01, "INVALID_PARAMETER"))):
                    await client.write_gatt_char(spec.CONTROL_POINT_UUID, raw, response=True)
                    resp = codec.decode_response(await asyncio.wait_for(conn._responses.get(), 2))
                    assert (resp.request_opcode, resp.result.name) == want
                await conn.command(codec.StopStream())

    asyncio.run(main())
