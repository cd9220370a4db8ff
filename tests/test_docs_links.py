"""Every relative link in README.md and docs/*.md points at a file and heading that exist.

Headings are turned into anchors the way GitHub does it (lower case, punctuation dropped,
spaces to hyphens), so a renamed heading or a moved section breaks this test rather than the
reader's click.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} (.*)$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def anchor_of(heading: str) -> str:
    """GitHub's anchor for a Markdown heading's text."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Anchors of every heading in ``path`` (code blocks left out)."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return {anchor_of(m.group(1)) for m in _HEADING.finditer(text)}


def broken_links(path: Path) -> list[str]:
    """Relative links of ``path`` whose file or heading does not exist."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    bad = []
    for m in _LINK.finditer(text):
        link = m.group(1)
        if re.match(r"[a-z]+:", link):  # http:, https:, mailto:
            continue
        target_part, _, anchor = link.partition("#")
        target = (path.parent / target_part).resolve() if target_part else path
        if not target.exists():
            bad.append(f"{link}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            bad.append(f"{link}: no heading with that anchor in {target.name}")
    return bad


def test_anchor_of_follows_github() -> None:
    assert anchor_of("Accuracy, measured") == "accuracy-measured"
    assert anchor_of("Per motion family (the thirty-first set)") == (
        "per-motion-family-the-thirty-first-set"
    )
    assert anchor_of("Hanging: the body's swing") == "hanging-the-bodys-swing"


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Present heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#present-heading) [gone](missing.md) [moved](other.md#absent)\n"
        "[web](https://example.org/x) [self](#title)\n# Title\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        "other.md#absent: no heading with that anchor in other.md",
    ]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_links_resolve(path: Path) -> None:
    assert broken_links(path) == []
