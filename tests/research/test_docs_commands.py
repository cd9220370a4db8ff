"""The research commands of README.md and docs/research.md run as written.

The commands are read from the docs (the fenced block that runs ``imu batch``), so the test
and the docs cannot drift apart. They run in a fresh directory, in order, as a user would
type them (``imu`` and ``python`` are this environment's).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def research_commands(doc: Path) -> list[str]:
    """The lines of the first fenced block of ``doc`` that runs ``imu batch`` on ``cohort/``."""
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", doc.read_text(), re.M | re.S):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if any(ln.startswith("imu batch ") and " cohort/" in ln for ln in lines):
            return lines
    raise AssertionError(f"{doc} has no research block (imu batch ... cohort/ ...)")


def _argv(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    if words[0] == "imu":
        return [str(BIN / "imu"), *words[1:]]
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    raise AssertionError(f"unexpected command in the docs: {line}")


def test_readme_and_research_doc_give_the_same_commands():
    readme, research = (research_commands(ROOT / d) for d in ("README.md", "docs/research.md"))
    assert [shlex.split(ln, comments=True) for ln in readme] == [
        shlex.split(ln, comments=True) for ln in research
    ]


@pytest.mark.slow
def test_research_commands_run_verbatim(tmp_path):
    """Runs docs/research.md's block (README's is the same, checked above)."""
    lines = research_commands(ROOT / "docs" / "research.md")
    assert lines[0].startswith("imu simulate-cohort cohort/"), "the block must make its cohort"
    # what simulate-cohort says to run next is what the docs run next
    batch = next(ln for ln in lines if ln.startswith("imu batch "))
    outputs = []
    for line in lines:
        proc = subprocess.run(_argv(line), cwd=tmp_path, capture_output=True, text=True,
                              timeout=600, check=False)
        assert proc.returncode == 0, f"{line}\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr and "INFO" not in proc.stderr, proc.stderr
        outputs.append(proc.stdout)
        if line is lines[0]:
            (printed,) = [ln for ln in proc.stdout.splitlines() if ln.startswith("next: ")]
            assert shlex.split(batch, comments=True)[:6] == shlex.split(printed)[1:], printed
    assert (tmp_path / "cohort" / "manifest.csv").exists()
    assert (tmp_path / "bids" / "dataset_description.json").exists()
    table = next(out for line, out in zip(lines, outputs, strict=True)
                 if line.startswith("python"))
    # A real table: one row per participant and week, with compliance figures.
    assert "Empty DataFrame" not in table
    rows = [ln for ln in table.splitlines() if re.match(r"^\d+\s+P\d\d\s", ln)]
    assert len(rows) >= 4, table
