"""Messages about live, batch and simulate options that a new user (trial 18) found wanting.

Each names the option, with a value that works as typed: a name with a blank quoted for the
shell, the BLE sensor's rates and ranges with the flag that sets them, ``--sensor-logger-push``
taking port 0 as ``--web`` does, a ``--scheduler`` where nothing listens refused before the
"analysed on" line and the progress bar, and where ``imu simulate`` writes the truth.
"""

from __future__ import annotations

import asyncio
import shlex
import time
from pathlib import Path

import pytest

from imu.cli import main


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, str]:
    assert main(argv) == 2
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.mark.parametrize(("name", "suggested"), [("a b.parquet", "a b"), (".my set", "my set")])
def test_a_suggested_session_name_is_quoted_for_the_shell(tmp_path, capsys, name, suggested):
    _, err = _error(capsys, ["live", "--sim", "reverse-crunch", "--name", name,
                             "--out", str(tmp_path)])
    assert f"--name {shlex.quote(suggested)}" in err, err
    assert shlex.split(err.split("--name ", 2)[-1])[0] == suggested


@pytest.mark.parametrize(("flag", "value", "valid"), [
    ("--rate", "30", "26, 52, 104, 208, 416, 833"),
    ("--acc-range", "3", "2, 4, 8, 16"),
    ("--gyr-range", "3", "125, 250, 500, 1000, 2000"),
])
def test_an_unsupported_stream_setting_names_its_option(tmp_path, capsys, flag, value, valid):
    assert main(["live", "--sim", "reverse-crunch", flag, value, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"give {flag} one of {valid}" in err, err
    assert "Traceback" not in err and err.count("\n") == 1


def test_sensor_logger_push_takes_port_0_and_the_url_names_the_real_port():
    from imu.live.sources.sensor_logger import SensorLoggerSource, parse_listen

    assert parse_listen("127.0.0.1:0") == ("127.0.0.1", 0)
    assert parse_listen("0") == ("0.0.0.0", 0)

    async def listen() -> str:
        source = SensorLoggerSource("127.0.0.1", 0, token="t", give_up_s=0.2)
        told: list[str] = []
        source.on_listening = told.append
        session = asyncio.ensure_future(_run_until_listening(source))
        try:
            await asyncio.wait_for(source.started.wait(), 5)
        finally:
            session.cancel()
            await asyncio.gather(session, return_exceptions=True)
        return told[0]

    url = asyncio.run(listen())
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
    assert port > 0 and url == f"http://127.0.0.1:{port}/push/t"


async def _run_until_listening(source) -> None:
    from imu.exercises import get_profile
    from imu.live.session import LiveSession

    await LiveSession(source, get_profile("reverse-crunch")).run()


def test_a_scheduler_nobody_listens_on_stops_before_any_work(tmp_path, capsys):
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    recording = Path(__file__).parents[2] / "recordings" / "plank.parquet"
    start = time.monotonic()
    code = main(["batch", str(recording), "--out", str(tmp_path / "ds"),
                 "--scheduler", f"127.0.0.1:{port}"])
    captured = capsys.readouterr()
    assert code == 2
    assert "analysed on" not in captured.out and "analysing" not in captured.out
    assert f"cannot connect to 127.0.0.1:{port}" in captured.err
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1
    assert time.monotonic() - start < 8.0  # a refused port fails at once, not after retries
    assert not (tmp_path / "ds").exists()


def test_simulate_help_names_the_truth_file_it_writes(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "FILE's .truth.csv" not in help_text
    assert "--out sim/rc.parquet writes sim/rc.truth.csv" in help_text
    out = tmp_path / "sim" / "rc.parquet"
    assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--seed", "1",
                 "--out", str(out)]) == 0
    assert (tmp_path / "sim" / "rc.truth.csv").exists()
