"""No Bluetooth stack or dongle: scan and live say what is missing and what to do, in one line.

The failures are real on a machine without BlueZ/D-Bus and without a USB dongle (the CI and
development machines); they are also injected, so the tests hold on any machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from bleak import BleakScanner
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakDBusError,
)
from bumble.transport.common import TransportInitError

import imu.ble.bumble_backend as bumble_backend
from imu.cli import main

NO_DBUS = not Path("/run/dbus/system_bus_socket").exists() and not os.environ.get(
    "DBUS_SYSTEM_BUS_ADDRESS"
)

COMMANDS = [
    ["scan", "--timeout", "0.5"],
    ["live", "-e", "reverse-crunch", "--out", "OUT"],
    ["live", "-e", "reverse-crunch", "--out", "OUT", "--device", "C0:FF:EE:00:00:01"],
]


def _run(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([str(tmp_path / "out") if a == "OUT" else a for a in args])
    captured = capsys.readouterr()
    return code, captured.err


def _assert_one_line_with_the_ways_on(err: str, *expected: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for text in ("--sim", *expected):
        assert text in lines[0], (text, lines[0])


@pytest.mark.skipif(not NO_DBUS, reason="this machine has a D-Bus system bus")
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[4:]))
def test_without_dbus_the_os_stack_says_install_bluez(args, tmp_path, capsys):
    code, err = _run(args, tmp_path, capsys)
    assert code == 2
    _assert_one_line_with_the_ways_on(err, "no Bluetooth stack", "BlueZ", "bluetoothd",
                                      "--transport usb:0")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError(2, "No such file or directory"),
        BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown",
                       ["The name org.bluez was not provided by any .service files"]),
        BleakBluetoothNotAvailableError("No Bluetooth adapters found.",
                                        BleakBluetoothNotAvailableReason.NO_BLUETOOTH),
    ],
    ids=["no-dbus", "no-bluez", "no-adapter"],
)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[4:]))
def test_injected_os_stack_errors(args, error, tmp_path, capsys, monkeypatch):
    async def broken(*_a: Any, **_k: Any) -> Any:
        raise error

    monkeypatch.setattr(BleakScanner, "discover", broken)
    monkeypatch.setattr(BleakScanner, "find_device_by_filter", broken)
    code, err = _run(args, tmp_path, capsys)
    assert code == 2
    _assert_one_line_with_the_ways_on(err, "no Bluetooth stack", "bluetoothd",
                                      "--transport usb:0")


@pytest.mark.parametrize(
    "args",
    [["scan", "--timeout", "0.5", "--transport", "usb:0"],
     ["live", "-e", "reverse-crunch", "--out", "OUT", "--transport", "usb:0"]],
    ids=["scan", "live"],
)
def test_no_dongle(args, tmp_path, capsys, monkeypatch):
    async def no_device(name: str) -> Any:
        raise TransportInitError("device not found")

    monkeypatch.setattr(bumble_backend, "open_transport", no_device)
    code, err = _run(args, tmp_path, capsys)
    assert code == 2
    _assert_one_line_with_the_ways_on(err, "'usb:0'", "device not found", "USB Bluetooth dongle",
                                      "leave out --transport")


@pytest.mark.parametrize(
    "args",
    [["scan", "--timeout", "0.5", "--transport", "usb:0"],
     ["live", "-e", "reverse-crunch", "--out", "OUT", "--transport", "usb:0"]],
    ids=["scan", "live"],
)
def test_no_dongle_for_real(args, tmp_path, capsys):
    """Whatever libusb says here (no USB access, no device), it is one line and exit 2."""
    code, err = _run(args, tmp_path, capsys)
    if code == 0:
        pytest.skip("this machine has a USB Bluetooth dongle")
    assert code == 2
    _assert_one_line_with_the_ways_on(err, "'usb:0'", "USB Bluetooth dongle")
