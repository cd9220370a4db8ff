"""The import rules of DESIGN.md, checked on the source tree.

- ``imu/sim`` imports nothing from the analysis it is meant to check (``imu.core``, the
  analyzer's profiles and thresholds in ``imu.exercises``, nor ``imu.evaluate``, ``imu.report``,
  ``imu.live``, ``imu.cli``): ground truth never comes from the code under test.
- The second generator (``imu/evaluate/second.py``) takes nothing from the analyzer either.
- ``imu/core`` imports neither pandas nor asyncio, nor ``imu.ble``, ``imu.io``, ``imu.report``,
  ``imu.live`` or the CLI: the analyzer is numpy/scipy (and numba) on arrays.
- ``firmware_protocol`` imports nothing from ``imu``: a firmware author can use it alone.

(``imu/io`` never importing ``imu/ble`` is checked in ``tests/io/test_recorders.py``, whose
import reader this file shares.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.test_recorders import imported_modules

ROOT = Path(__file__).resolve().parents[1]

RULES: dict[str, tuple[str, ...]] = {
    "imu/sim": ("imu.core", "imu.exercises", "imu.evaluate", "imu.report", "imu.live",
                "imu.cli"),
    "imu/evaluate/second.py": ("imu.core", "imu.exercises", "imu.report"),
    "imu/core": ("pandas", "asyncio", "imu.ble", "imu.io", "imu.report", "imu.live", "imu.cli"),
    "firmware_protocol": ("imu",),
}
"""Path under the repository (a folder or one file) -> modules it must never import."""


def module_name(path: Path, root: Path = ROOT) -> str:
    """Dotted module name of a source file under ``root``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def forbidden_imports(where: str, banned: tuple[str, ...], root: Path = ROOT
                      ) -> dict[str, set[str]]:
    """Files under ``root / where`` that import a module in ``banned`` (or below it)."""
    target = root / where
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    bad: dict[str, set[str]] = {}
    for path in files:
        found = imported_modules(path.read_text(encoding="utf-8"), module_name(path, root))
        hits = {m for m in found if any(m == b or m.startswith(b + ".") for b in banned)}
        if hits:
            bad[path.relative_to(root).as_posix()] = hits
    return bad


@pytest.mark.parametrize("where", sorted(RULES))
def test_import_rule_holds(where: str) -> None:
    assert forbidden_imports(where, RULES[where]) == {}


def test_a_broken_rule_is_found(tmp_path: Path) -> None:
    sim = tmp_path / "imu" / "sim"
    sim.mkdir(parents=True)
    (sim / "ok.py").write_text("import numpy\nfrom imu.tempo import Tempo\n", encoding="utf-8")
    (sim / "bad.py").write_text(
        "def truth():\n    from ..core.labels import RepLabeller\n", encoding="utf-8"
    )
    (sim / "also_bad.py").write_text("import imu.exercises as ex\n", encoding="utf-8")
    found = forbidden_imports("imu/sim", RULES["imu/sim"], root=tmp_path)
    assert set(found) == {"imu/sim/bad.py", "imu/sim/also_bad.py"}
    assert "imu.core.labels" in found["imu/sim/bad.py"]
