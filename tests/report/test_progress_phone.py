"""The progress page on a phone (390 px): plots drawn for the phone, a week table one can read.

The trial: the week table looked cut off ("Med... desc...": it scrolled in its box, with
nothing to say so, and the week scrolled away with the rest), and the plots were desktop
images shrunk to 5-6 px text. As report.html does, a phone now gets figures drawn for its
width (``<picture>``), and on a phone each week of the table is a card (no sideways
scrolling).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.report.plots import NARROW, NARROW_MAX_PX
from imu.report.progress import (
    PROGRESS_WIDE,
    build_progress,
    render_progress_html,
    write_progress,
)
from tests.browser import Browser
from tests.report.test_progress_judged import tables

WEEKS = ["2024-01-01", "2024-01-09", "2024-01-17", "2024-01-25"]


def _progress(exercise: str = "reverse-crunch") -> object:
    tempo = "1-30-1" if exercise == "plank" else "3-1-3"
    return build_progress(tables(exercise, [tempo] * 4, WEEKS), exercise=exercise)


@pytest.mark.parametrize("exercise", ["reverse-crunch", "plank"])
def test_every_plot_has_a_phone_version(exercise: str) -> None:
    page = render_progress_html(_progress(exercise))  # type: ignore[arg-type]
    figures = page.count("<figure>")
    assert figures >= 3
    assert page.count(f'<source media="(max-width: {NARROW_MAX_PX}px)"') == figures


@pytest.mark.slow
@pytest.mark.parametrize("exercise", ["reverse-crunch", "plank"])
def test_progress_page_on_a_phone_and_a_desktop(browser: Browser, tmp_path: Path,
                                                 exercise: str) -> None:
    page = write_progress(_progress(exercise), tmp_path)[0]  # type: ignore[arg-type]
    for width, layout in ((390, NARROW), (1280, PROGRESS_WIDE)):
        browser.open(page, width, 844)
        inner, doc = browser.js("return [window.innerWidth, "
                                "document.documentElement.scrollWidth]")
        assert inner == width and doc == inner, "the page scrolls sideways"
        shown = browser.js(
            "return [...document.querySelectorAll('figure img')].map(i => "
            "[i.naturalWidth, i.getBoundingClientRect().width])")
        assert shown
        for natural, css_width in shown:
            assert natural == round(layout.width_in * layout.dpi)  # the version for the screen
            assert css_width <= width
            smallest_px = 8 * layout.dpi / 72 * css_width / natural  # 8 pt: the smallest text
            assert smallest_px >= 10, (width, smallest_px)
        box = "document.querySelector('table.weeks').parentElement"
        scroll, client = browser.js(f"const b = {box}; return [b.scrollWidth, b.clientWidth]")
        assert scroll <= client + 1  # the week table never scrolls sideways...
        if width == 390:
            # ...on a phone each week is a card, each value beside its heading.
            week_text = browser.js(
                "return document.querySelector('table.weeks tbody td').innerText")
            assert "2024-W" in week_text
        browser.screenshot(f"progress_{exercise}_{width}_weeks", full=True)
