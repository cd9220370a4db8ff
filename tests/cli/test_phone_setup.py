"""``imu phone-setup``: bad ports, files and addresses end in one line naming the fix."""

from __future__ import annotations

import socket

import pytest

from imu.cli import main


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_port_out_of_range_is_named(port, capsys):
    assert main(["phone-setup", "phyphox", f"--port={port}"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert repr(port) in line and "1-65535" in line


def test_save_to_a_missing_folder_is_named(tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "hip-imu.phyphox"
    assert main(["phone-setup", "phyphox", "--save", str(target)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(target) in line and "existing folder" in line


def test_save_says_how_to_load_the_file(tmp_path, capsys):
    target = tmp_path / "hip-imu.phyphox"
    assert main(["phone-setup", "phyphox", "--save", str(target)]) == 0
    out = capsys.readouterr().out
    assert target.read_bytes().startswith(b"<")
    assert "code above" not in out  # no QR code was printed
    assert f"Send {target}" in out


def test_port_in_use_fails_before_printing_a_qr_code(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["phone-setup", "phyphox", "--host", "127.0.0.1", "--port", str(port)])
    captured = capsys.readouterr()
    assert code == 2
    assert "serving" not in captured.out and "scan" not in captured.out
    line = _one_error_line(captured.err)
    assert f"127.0.0.1:{port}" in line and f"--port {port + 1}" in line


def test_host_not_of_this_computer_is_named(capsys):
    assert main(["phone-setup", "phyphox", "--host", "192.0.2.123", "--port", "18766"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "'192.0.2.123' is not an address of this computer" in line
