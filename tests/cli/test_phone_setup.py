"""``imu phone-setup``: bad ports, files and addresses end in one line naming the fix."""

from __future__ import annotations

import socket

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_port_out_of_range_is_named(port, capsys):
    assert main(["phone-setup", "phyphox", f"--port={port}"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert repr(port) in line and "1-65535" in line


def test_save_to_a_missing_folder_is_named(tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "hip-imu.phyphox"
    assert main(["phone-setup", "phyphox", "--save", str(target)]) == 2
    line = one_error_line(capsys.readouterr().err)
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
    line = one_error_line(captured.err)
    assert f"127.0.0.1:{port}" in line and f"--port {port + 1}" in line


def test_host_not_of_this_computer_is_named(capsys):
    assert main(["phone-setup", "phyphox", "--host", "192.0.2.123", "--port", "18766"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "'192.0.2.123' is not an address of this computer" in line


def test_save_refuses_an_existing_file_without_force(tmp_path, capsys):
    target = tmp_path / "x.phyphox"
    target.write_text("mine")
    assert main(["phone-setup", "phyphox", "--save", str(target)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "already exists" in line and "--force" in line
    assert target.read_text() == "mine"
    assert main(["phone-setup", "phyphox", "--save", str(target), "--force"]) == 0
    assert target.read_bytes().startswith(b"<")


@pytest.mark.parametrize("option", [["--save", "f"], ["--port", "9000"], ["--force"]])
def test_sensor_logger_refuses_phyphox_options(option, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["phone-setup", "sensor-logger", *option]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert option[0] in line and "only for 'imu phone-setup phyphox'" in line
    assert not (tmp_path / "f").exists()


def test_a_download_of_the_experiment_is_said():
    import asyncio

    import aiohttp

    from imu.cli.phone_setup import _serve_then

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    said: list[str] = []

    async def scenario() -> None:
        ready = asyncio.Event()
        server = asyncio.create_task(_serve_then("127.0.0.1", port, ready.set, said.append))
        await asyncio.wait_for(ready.wait(), 10)
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/hip-imu.phyphox"
            async with session.get(url) as response:
                assert response.status == 200
        server.cancel()
        await asyncio.gather(server, return_exceptions=True)

    asyncio.run(scenario())
    assert said == ["127.0.0.1"]


def test_save_refuses_the_serving_options(tmp_path, capsys):
    target = tmp_path / "x.phyphox"
    assert main(["phone-setup", "phyphox", "--save", str(target), "--port", "9000"]) == 2
    assert "--port: only for serving" in one_error_line(capsys.readouterr().err)
    assert not target.exists()
