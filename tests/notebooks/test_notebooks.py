"""Execute the notebooks (quick mode) and check that they are committed without outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebooks.clear_outputs import clear

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ("tempo_compliance.ipynb", "single_session.ipynb")
CLEAR = "python -m tests.notebooks.clear_outputs"
"""How to clear a notebook's outputs with what the dev extras install (not nbconvert)."""


@pytest.mark.parametrize("name", NAMES)
def test_notebook_has_no_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name} has outputs; clear them before committing ({CLEAR} "
                f"notebooks/{name})"
            )


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IMU_NOTEBOOK_QUICK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("IMU_NOTEBOOK_WORKDIR", str(tmp_path / "work"))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute(env=dict(os.environ))
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    warned = [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "stream" and o.name == "stderr" and "Warning" in o.text]
    assert not warned, warned
    if name == "tempo_compliance.ipynb":  # it wrote where it was told, not to a new temp dir
        assert (tmp_path / "work" / "dataset").is_dir()


def test_the_single_session_intro_counts_match_the_bundled_truth() -> None:
    """The intro said 2 swings and 3 dropped eccentrics; the truth file holds 4 and 4."""
    import re

    import pandas as pd

    nb = nbformat.read(NOTEBOOKS / "single_session.ipynb", as_version=4)
    intro = nb.cells[0].source.replace("\n", " ")
    found = re.search(r"(\d+) swings and (\d+) dropped eccentrics", intro)
    assert found, intro
    truth = pd.read_csv(NOTEBOOKS.parent / "recordings" / "reverse_crunch.truth.csv")
    assert (int(found[1]), int(found[2])) == (
        int(truth["swing"].sum()), int(truth["dropped_eccentric"].sum()))


def test_the_clear_command_clears_a_run_notebook_and_leaves_a_clean_one_as_it_was(
    tmp_path: Path,
) -> None:
    """The command the message names is installed by the dev extras (nbconvert is not)."""
    import subprocess
    import sys

    clean = (NOTEBOOKS / "single_session.ipynb").read_text(encoding="utf-8")
    run = nbformat.reads(clean, as_version=4)
    code = next(c for c in run.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    code.execution_count = 3
    code.metadata["execution"] = {"iopub.execute_input": "2025-01-01T00:00:00Z"}
    (tmp_path / "run.ipynb").write_text(nbformat.writes(run) + "\n", encoding="utf-8")
    (tmp_path / "clean.ipynb").write_text(clean, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", *CLEAR.split()[2:], str(tmp_path / "run.ipynb"),
         str(tmp_path / "clean.ipynb")],
        cwd=NOTEBOOKS.parent, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"cleared {tmp_path / 'run.ipynb'}\n"
    assert (tmp_path / "run.ipynb").read_text(encoding="utf-8") == clean
    assert (tmp_path / "clean.ipynb").read_text(encoding="utf-8") == clean
    assert not clear(tmp_path / "clean.ipynb")
