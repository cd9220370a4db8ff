"""``imu --help`` and ``imu --version`` import no heavy library; commands keep one help line."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib import import_module

import pytest

from imu.cli import COMMANDS, main

HEAVY = ("numpy", "pandas", "scipy", "pyarrow", "bleak", "bumble", "dask", "distributed",
         "rich", "matplotlib")

PROBE = """
import json, sys
from imu.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], []], ids=["help", "version", "none"])
def test_top_level_imports_nothing_heavy(args):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY)), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )
    loaded = json.loads(proc.stderr.strip().splitlines()[-1])
    assert loaded == [], f"imu {' '.join(args)} imported {loaded}"
    if args == ["--help"]:
        for name in COMMANDS:
            assert name in proc.stdout


def test_a_command_imports_only_its_own_module():
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys\nfrom imu.cli import main\ntry:\n    main(['simulate-cohort', '--help'])\n"
         "except SystemExit:\n    pass\n"
         "print(sorted(m for m in sys.modules if m.startswith('imu.cli.')), file=sys.stderr)"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert "imu.cli.simulate_cohort" in proc.stderr
    for other in ("imu.cli.live", "imu.cli.batch", "imu.cli.analyze"):
        assert f"'{other}'" not in proc.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_help_line_is_the_one_the_command_registers(name):
    module, help_text = COMMANDS[name]
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    import_module(f"imu.cli.{module}").register(sub)
    action = sub._choices_actions[0]
    assert (action.dest, action.help) == (name, help_text), (
        "imu --help shows the line in imu.cli.COMMANDS without importing the command: "
        "keep it equal to the one the command registers"
    )


def test_unknown_command_is_one_line(capsys):
    assert main(["analyz", "x"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "invalid choice: 'analyz'" in err
    assert "did you mean analyze?" in err


def test_ctrl_c_while_a_command_loads_is_one_line(monkeypatch, capsys):
    """Ctrl-C in the first second (the command's modules loading) printed a traceback."""
    import imu.cli as cli

    def interrupted(command):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["analyze", "x.parquet"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "imu: interrupted"
