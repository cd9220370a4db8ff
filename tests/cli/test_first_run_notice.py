"""The first run on a machine compiles the analysis (seconds) and says so; later runs do not.

numba keeps the compiled loops in a cache; ``NUMBA_CACHE_DIR`` points it at an empty folder,
which is what a fresh machine looks like.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def _slow_compile(monkeypatch: pytest.MonkeyPatch, cached: bool) -> None:
    from imu.core import kernels

    monkeypatch.setattr(kernels, "_compiled", False)
    monkeypatch.setattr(kernels, "NOTICE_AFTER_S", 0.05)
    monkeypatch.setattr(kernels, "_compile_all", lambda: time.sleep(0.3))
    monkeypatch.setattr(kernels, "cached", cached)
    monkeypatch.setattr(kernels, "_notice", None)


def test_the_notice_comes_before_prepare_returns(monkeypatch, capsys) -> None:
    """A notice under way when the compile ends is printed before the screen starts."""
    from imu.cli._output import prepare_analysis

    _slow_compile(monkeypatch, cached=True)
    prepare_analysis("live")
    assert "imu live: preparing the analysis (its first run" in capsys.readouterr().err


def test_without_a_cache_folder_the_notice_does_not_say_once(monkeypatch, capsys) -> None:
    """Found in review: where no cache can be written every run compiles, and the notice
    said 'once'."""
    from imu.cli._output import prepare_analysis

    _slow_compile(monkeypatch, cached=False)
    prepare_analysis("analyze")
    err = capsys.readouterr().err
    assert "every run compiles" in err and "once" not in err
    assert "NUMBA_CACHE_DIR" in err


def test_a_missing_file_fails_before_the_analysis_is_prepared(tmp_path: Path) -> None:
    """Found in a new-user trial: with an empty cache 'imu analyze nosuch.parquet' compiled
    for 5 s (and said so) before saying the file does not exist."""
    proc = _analyze(tmp_path / "nosuch.parquet", tmp_path / "r", tmp_path / "numba-cache")
    assert proc.returncode == 2
    assert "nosuch.parquet" in proc.stderr
    assert NOTICE not in proc.stderr
