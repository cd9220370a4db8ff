"""imu live options found wanting by a new user: phone rates, failed starts, --sim-faults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from imu.cli import main
from imu.io.journal import EMPTY_SUFFIX, JournalWriter
from imu.io.recorders import StreamHeader
from imu.live.finish import recover_leftover_journals


def test_a_phone_takes_any_grid_rate_and_refuses_absurd_ones(tmp_path: Path, capsys) -> None:
    # Nothing answers on port 1: the rate must pass (not the BLE sensor's list) and the run
    # fail on the address, leaving no journal behind.
    code = main(["live", "-e", "reverse-crunch", "--phyphox", "http://127.0.0.1:1",
                 "--rate", "100", "--out", str(tmp_path), "--plain"])
    err = capsys.readouterr().err
    assert code == 2 and "does not answer" in err and "UNSUPPORTED_RATE" not in err
    assert list(tmp_path.iterdir()) == []
    code = main(["live", "-e", "reverse-crunch", "--phyphox", "http://127.0.0.1:1",
                 "--rate", "5000", "--out", str(tmp_path)])
    assert code == 2 and "--rate 5000" in capsys.readouterr().err


def test_a_journal_without_samples_is_reported_once_and_kept(tmp_path: Path) -> None:
    journal = tmp_path / "live-x.imuj"
    writer = JournalWriter(str(journal), StreamHeader(104, 8, 500))
    writer.append_frames([(0.0, b"\x00\x01")])  # a payload that decodes to nothing
    writer.close()
    first = recover_leftover_journals(tmp_path)
    assert len(first) == 1 and first[0].recording is None
    assert (tmp_path / f"live-x.imuj{EMPTY_SUFFIX}").exists()
    assert recover_leftover_journals(tmp_path) == []  # said once


@pytest.mark.parametrize(("text", "ok"), [("dropped_eccentric=1", True),
                                          ("dropped_eccentric=1.5", False),
                                          ("dropped_eccentric", False)])
def test_sim_faults_take_probabilities_up_to_one(tmp_path: Path, text: str, ok: bool) -> None:
    run = subprocess.run(
        [str(Path(sys.executable).parent / "imu"), "live", "--sim", "reverse-crunch",
         "--sim-reps", "2", "--sim-faults", text, "--speed", "40", "--plain",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert (run.returncode == 0) == ok, run.stderr
    if not ok:
        assert "--sim-faults" in run.stderr and "Traceback" not in run.stderr


def test_sim_names_what_the_simulator_makes(tmp_path: Path, capsys) -> None:
    assert main(["live", "--sim", "squat", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--sim 'squat'" in err and "standing-curl" in err and "generic" not in err


@pytest.mark.parametrize(("options", "message"), [
    (["--sim-mtu", "100000"], "--sim-mtu 100000"),
    (["--sim-mtu", "10"], "--sim-mtu 10"),
    (["--sim-seed", "-1"], "--sim-seed -1: give a whole number >= 0"),
    # Trial 22: "reps (0) and sets (1) must be at least 1", the options unnamed.
    (["--sim-reps", "0"], "--sim-reps 0: give at least 1"),
    (["--sim-sets", "0"], "--sim-sets 0: give at least 1"),
    (["--sim-drift", "1e9"], "--sim-drift 1e+09"),
    (["--rate", "0"], "0 Hz"),
    (["--sim-reps", "100000"], "at most 4 h"),
    # The Polar bench only drops frames: a disconnect asked of it was silently not made.
    (["--sim-device", "polar", "--sim-disconnect-at", "5"],
     "--sim-disconnect-at: the simulated Polar sensor (--sim-device polar) only drops frames"),
])
def test_bad_sim_options_are_refused_before_anything_starts(
    tmp_path: Path, capsys, options: list[str], message: str
) -> None:
    """Each used to end in a traceback, be ignored (--rate 0 ran at 104 Hz) or leave an empty
    journal behind; now one line names the value, and the output folder stays empty."""
    out = tmp_path / "out"
    code = main(["live", "--sim", "reverse-crunch", *options, "--speed", "40", "--plain",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_a_qr_code_only_where_a_phone_can_reach_the_page() -> None:
    """On loopback the QR code only misled: a phone scanning it cannot reach 127.0.0.1."""
    import io

    from rich.console import Console

    from imu.cli._web import announce_page

    for public in (True, False):
        buf = io.StringIO()
        announce_page("http://10.0.0.5:8765/?token=x", public, Console(file=buf, width=100))
        text = buf.getvalue()
        assert "coaching screen: http://10.0.0.5:8765/?token=x" in text
        assert ("scan the QR code" in text) == public
        assert ("█" in text or "▀" in text) == public


def test_a_simulated_plank_holds_as_long_as_the_tempo_says() -> None:
    """`--sim plank --tempo 1-30-1` ignored the tempo with a logger warning printed twice
    (naming hold_s, which imu live has no option for) and made 8 holds of 45 s."""
    import argparse

    from imu.ble.client import StreamConfig
    from imu.cli.live import _sim_spec

    args = argparse.Namespace(sim="plank", tempo="1-30-1", sim_reps=None, sim_sets=2,
                              sim_seed=0, sim_faults={})
    spec = _sim_spec(args, StreamConfig())
    assert (spec.tempo, spec.hold_s, spec.reps, spec.sets) == (None, 30.0, 3, 2)
    args.sim, args.tempo = "reverse-crunch", "3-1-3"
    assert _sim_spec(args, StreamConfig()).reps == 8
