"""Every name and path that docs/architecture.md writes in code exists in the repository.

The guided tour names modules, classes, functions, files and tests. This test keeps it true:
it reads every inline code span and fenced block of the page and checks

- each dotted name that starts with ``imu.`` or ``firmware_protocol.`` (such as
  ``imu.core.analyzer.RepAnalyzer``): the longest importable module prefix is imported and
  the rest looked up attribute by attribute (a dataclass field or an annotated class
  attribute counts);
- each repository path (``imu/core/segmentation.py``, ``tests/core/``, ``docs/live.md``):
  it exists under the repository root; ``path.py::name`` also needs ``def name`` or
  ``class name`` in that file.

A path is a word starting with one of the repository's source folders (:data:`PATH_ROOTS`)
or a word ending in a source-file suffix (:data:`PATH_SUFFIXES`), so units such as ``deg/s``
and output files such as ``report.html`` are left alone.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "architecture.md"

PATH_ROOTS: tuple[str, ...] = (
    "imu", "tests", "docs", "benchmarks", "firmware_protocol", "notebooks", "recordings", ".ci",
)
"""First folders of the paths checked (generated folders such as ``out/`` are not among them)."""

PATH_SUFFIXES: tuple[str, ...] = (".py", ".md", ".toml", ".ipynb")
"""Suffixes that make a word a path to check wherever it starts."""

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"(?<![\w./-])((?:imu|firmware_protocol)(?:\.[A-Za-z_]\w*)+)")
_WORD = re.compile(r"(?<![\w./-])([\w.][\w./-]*(?:::\w+)?)")


def code_texts(markdown: str) -> list[str]:
    """The contents of every fenced block and inline code span of ``markdown``, in order."""
    fenced = [m.group(1) for m in _FENCE.finditer(markdown)]
    rest = _FENCE.sub("", markdown)
    return fenced + [m.group(1) for m in _INLINE.finditer(rest)]


def _is_path(word: str) -> bool:
    """Whether ``word`` (without any ``::name``) is meant as a repository path."""
    first = word.split("/", 1)[0]
    if "/" in word and first in PATH_ROOTS:
        return True
    return word.endswith(PATH_SUFFIXES) and not word.startswith(".")


def names_and_paths(markdown: str) -> tuple[list[str], list[str]]:
    """Dotted ``imu.``/``firmware_protocol.`` names and repository paths written in code."""
    names: list[str] = []
    paths: list[str] = []
    for text in code_texts(markdown):
        names += [m.group(1) for m in _DOTTED.finditer(text)]
        for m in _WORD.finditer(text):
            word = m.group(1) if "::" in m.group(1) else m.group(1).rstrip(".,;:")
            if _is_path(word.split("::", 1)[0]):
                paths.append(word)
    return list(dict.fromkeys(names)), list(dict.fromkeys(paths))


def _has_attribute(obj: object, name: str) -> bool:
    """``getattr`` succeeds, or ``name`` is a dataclass field or annotation of class ``obj``."""
    if hasattr(obj, name):
        return True
    if isinstance(obj, type):
        if dataclasses.is_dataclass(obj) and name in {f.name for f in dataclasses.fields(obj)}:
            return True
        return any(name in getattr(c, "__annotations__", {}) for c in obj.__mro__)
    return False


def name_problem(dotted: str) -> str:
    """Why ``dotted`` does not resolve ("" when it does)."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        try:
            obj: object = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module_name.startswith(exc.name):
                continue  # this prefix is no module: try a shorter one
            raise  # the module exists but imports something missing: a real failure
        for attr in parts[split:]:
            if not _has_attribute(obj, attr):
                return f"{dotted}: {module_name} has no {'.'.join(parts[split:])}"
            obj = getattr(obj, attr, None)
        return ""
    return f"{dotted}: no such module"


def path_problem(path: str, root: Path = ROOT) -> str:
    """Why ``path`` (optionally ``file.py::name``) is not in the repository ("" when it is)."""
    file_part, _, test_name = path.partition("::")
    target = root / file_part
    if not target.exists():
        return f"{path}: no such file or folder"
    if test_name:
        pattern = rf"^\s*(?:async\s+def|def|class)\s+{re.escape(test_name)}\b"
        if not re.search(pattern, target.read_text(encoding="utf-8"), re.M):
            return f"{path}: no def or class {test_name} in {file_part}"
    return ""


def problems(markdown: str, root: Path = ROOT) -> list[str]:
    """Every name and path of ``markdown`` that does not exist."""
    names, paths = names_and_paths(markdown)
    found = [name_problem(n) for n in names] + [path_problem(p, root) for p in paths]
    return [p for p in found if p]


def test_the_checker_finds_names_and_paths_in_code_only() -> None:
    page = (
        "Prose imu.not.checked and imu/not/checked.py.\n"
        "`imu.core.analyzer.RepAnalyzer.update()` and `pytest tests/core/test_chunking.py`,\n"
        "`imu/core/` at `deg/s` into `report.html`; `out/eval` is made by a run.\n"
        "```\nsamples -> imu.core.stream.GapFiller   imu/core/stream.py\n```\n"
    )
    names, paths = names_and_paths(page)
    assert names == ["imu.core.stream.GapFiller", "imu.core.analyzer.RepAnalyzer.update"]
    assert paths == ["imu/core/stream.py", "tests/core/test_chunking.py", "imu/core/"]
    assert problems(page) == []


def test_the_checker_catches_a_made_up_name_and_path(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("def test_real() -> None:\n    pass\n")
    page = (
        "`imu.core.analyzer.RepAnalyser` `imu.core.nowhere.Step` `imu.core.metrics.Rep.rom_deg`\n"
        "`imu/core/nowhere.py` `tests/test_x.py::test_real` `tests/test_x.py::test_gone`\n"
    )
    assert problems(page, tmp_path) == [
        "imu.core.analyzer.RepAnalyser: imu.core.analyzer has no RepAnalyser",
        "imu.core.nowhere.Step: imu.core has no nowhere.Step",
        "imu/core/nowhere.py: no such file or folder",
        "tests/test_x.py::test_gone: no def or class test_gone in tests/test_x.py",
    ]


def test_the_page_names_the_analyzer() -> None:
    names, paths = names_and_paths(PAGE.read_text(encoding="utf-8"))
    assert "imu.core.analyzer.RepAnalyzer" in names
    assert "imu/core/analyzer.py" in paths


@pytest.mark.parametrize("kind", ["names", "paths"])
def test_every_name_and_path_of_the_page_exists(kind: str) -> None:
    markdown = PAGE.read_text(encoding="utf-8")
    names, paths = names_and_paths(markdown)
    if kind == "names":
        bad = [p for p in (name_problem(n) for n in names) if p]
    else:
        bad = [p for p in (path_problem(p) for p in paths) if p]
    assert bad == [], "docs/architecture.md names what does not exist:\n" + "\n".join(bad)
