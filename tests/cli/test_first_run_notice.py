"""The first run on a machine compiles the analysis (seconds) and says so; later runs do not.

numba keeps the compiled loops in a cache; ``NUMBA_CACHE_DIR`` points it at an empty folder,
which is what a fresh machine looks like.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from imu.io import write_recording
from imu.sim import SessionSpec, simulate_session

NOTICE = "preparing the analysis (its first run on a machine compiles it"


def _analyze(path: Path, out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "imu", "analyze", str(path), "--exercise", "reverse-crunch",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )


def test_the_first_run_says_it_is_compiling_and_the_next_does_not(tmp_path: Path) -> None:
    rec = simulate_session(SessionSpec("reverse-crunch", reps=3, sets=1, seed=3)).recording
    path = tmp_path / "s.parquet"
    write_recording(rec, path)
    cache = tmp_path / "numba-cache"
    first = _analyze(path, tmp_path / "r1", cache)
    assert first.returncode == 0, first.stderr
    assert f"imu analyze: {NOTICE}" in first.stderr
    assert any(cache.rglob("*.nbi"))  # the compiled loops were cached there
    second = _analyze(path, tmp_path / "r2", cache)
    assert second.returncode == 0, second.stderr
    assert NOTICE not in second.stderr
