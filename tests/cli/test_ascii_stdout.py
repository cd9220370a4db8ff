"""Names beyond ASCII printed to a stdout that cannot encode them (``PYTHONIOENCODING=ascii``).

``imu info run_ü.parquet`` ended in a ``UnicodeEncodeError`` traceback, and ``imu simulate
plank --out o/ü.parquet`` and ``imu convert`` crashed after writing their files, while the
notes on stderr printed the name escaped (``run_\\xfc``). stdout now escapes it the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.io.helpers import synthetic_samples

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


def _imu_ascii(*args: str) -> subprocess.CompletedProcess[str]:
    """``imu ARGS`` in a process whose stdout and stderr are ASCII."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    return subprocess.run([sys.executable, "-m", "imu", *args], capture_output=True,
                          text=True, encoding="ascii", env=env, timeout=300, check=False)


def _clean(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "UnicodeEncodeError" not in proc.stderr


def test_info_prints_a_name_beyond_ascii_escaped(tmp_path: Path) -> None:
    path = tmp_path / "run_ü.parquet"
    shutil.copy(RECORDING, path)
    proc = _imu_ascii("info", str(path))
    _clean(proc)
    assert "run_\\xfc.parquet" in proc.stdout
    assert "duration" in proc.stdout


def test_simulate_says_what_it_wrote_under_a_name_beyond_ascii(tmp_path: Path) -> None:
    out = tmp_path / "ü.parquet"
    proc = _imu_ascii("simulate", "plank", "--reps", "1", "--sets", "1", "--hold", "5",
                      "--rate", "26", "--out", str(out))
    _clean(proc)
    assert out.exists() and out.with_suffix(".truth.csv").exists()
    assert f"wrote {tmp_path}/\\xfc.parquet" in proc.stdout


def test_convert_says_what_it_wrote_under_a_name_beyond_ascii(tmp_path: Path) -> None:
    path = tmp_path / "séance.csv"
    synthetic_samples(n=300).to_csv(path, index=False)
    proc = _imu_ascii("convert", str(path), str(tmp_path / "ü.parquet"))
    _clean(proc)
    assert (tmp_path / "ü.parquet").exists()
    assert "s\\xe9ance.csv" in proc.stdout and "\\xfc.parquet" in proc.stdout
