"""Clear the outputs of notebooks in place, before committing them.

    python -m tests.notebooks.clear_outputs notebooks/*.ipynb

What ``jupyter nbconvert --clear-output --inplace`` does, with ``nbformat`` only (a dev extra,
installed with ``pip install -e '.[dev]'``; nbconvert is not). Outputs, execution counts and
the per-cell execution timings are removed; nothing else changes, and a notebook that has none
is left byte for byte as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def clear(path: Path) -> bool:
    """Clear the outputs of the notebook at ``path`` in place; True if it had any."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None or "execution" in cell.metadata:
            changed = True
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
    if changed:
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    """Clear every notebook named in ``argv``; say which ones had outputs."""
    if not argv:
        print("usage: python -m tests.notebooks.clear_outputs NOTEBOOK.ipynb...", file=sys.stderr)
        return 2
    for name in argv:
        if clear(Path(name)):
            print(f"cleared {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
