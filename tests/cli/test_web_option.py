"""``--web HOST:PORT`` with a host that is not this machine's: the host is blamed, not the port."""

from __future__ import annotations

import pytest

from imu.cli import main


@pytest.mark.parametrize(
    ("web", "says"),
    [
        ("abc.invalid", "'abc.invalid' is neither an IP address nor a name this machine knows"),
        ("no-such-host.invalid:8765", "is neither an IP address nor a name"),
        ("192.0.2.123:8765", "'192.0.2.123' is not an address of this machine"),
    ],
)
def test_a_host_not_of_this_machine_is_named(tmp_path, capsys, web: str, says: str) -> None:
    code = main(["live", "--sim", "reverse-crunch", "--out", str(tmp_path), "--web", web])
    err = capsys.readouterr().err
    assert code == 2
    assert says in err and "0.0.0.0:PORT (a phone on the same network)" in err
    assert "another port" not in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())  # refused before anything started


@pytest.mark.parametrize("web", ["127.0.0.1:0", "0.0.0.0:0", "localhost:0", "8765"])
def test_this_machines_hosts_are_accepted(web: str) -> None:
    from imu.cli._web import _web_address

    assert _web_address(web).host
