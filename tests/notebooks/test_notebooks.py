"""Execute the notebooks (quick mode) and check that they are committed without outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ("tempo_compliance.ipynb", "single_session.ipynb")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_has_no_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name} has outputs; clear them before committing (jupyter nbconvert "
                "--clear-output --inplace)"
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
