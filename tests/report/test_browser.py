"""The report and the progress page as a person sees them: headless Chromium at phone and desktop.

The ``browser`` fixture (Debian's headless Chromium through Selenium; ``IMU_SKIP_BROWSER=1``
skips) is shared: ``tests/browser.py``. Screenshots are kept in ``out/test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.io import read_recording
from imu.report import analyze_recording, write_reports
from imu.report.progress import build_progress, tables_from_recordings, write_progress
from imu.report.summary import summarize
from imu.sim.cohort import CohortSpec, simulate_cohort
from imu.tempo import parse_tempo
from tests.browser import Browser

ROOT = Path(__file__).resolve().parents[2]
SIZES = ((390, 844), (1280, 800))
BUNDLED = sorted(p.stem for p in (ROOT / "recordings").glob("*.parquet"))


def _check_layout(browser: Browser, width: int) -> None:
    """No page-level sideways scroll; every image loaded and described."""
    inner, doc, body = browser.js(
        "return [window.innerWidth, document.documentElement.scrollWidth, "
        "document.body.scrollWidth]"
    )
    assert inner == width, f"layout viewport {inner} px at {width} px: the page is too wide"
    assert doc == inner, f"page scrolls sideways at {width} px: document {doc} px wide"
    assert body <= inner
    images = browser.js(
        "return [...document.images].map(i => [i.complete && i.naturalWidth > 0, i.alt])"
    )
    assert images and all(loaded and len(alt) > 20 for loaded, alt in images)


def _summary_text(browser: Browser) -> str:
    return str(browser.js(
        "return [...document.querySelectorAll('section.summary')].map(s => s.innerText)"
        ".join('\\n')"
    ))


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str | None]]:
    """Every bundled recording's report (reverse crunch at 3-1-3): page and its main fix cue."""
    pages: dict[str, tuple[Path, str | None]] = {}
    for stem in BUNDLED:
        recording = read_recording(ROOT / "recordings" / f"{stem}.parquet")
        exercise = recording.meta.exercise or "generic"
        if exercise == "standing-curl":
            exercise = "standing-strict"
        tempo = parse_tempo("3-1-3") if stem == "reverse_crunch" else None
        report = analyze_recording(recording, exercise, tempo)
        out = tmp_path_factory.mktemp(stem)
        write_reports(report, out)
        summary = summarize(report.reps, report.profile, report.tempo)
        pages[stem] = (out / "report.html", summary.fixes[0].cue if summary.fixes else None)
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("stem", BUNDLED)
def test_report_at_phone_and_desktop(
    browser: Browser, report_pages: dict[str, tuple[Path, str | None]], stem: str
) -> None:
    page, cue = report_pages[stem]
    for width, height in SIZES:
        browser.open(page, width, height)
        _check_layout(browser, width)
        summary = _summary_text(browser)
        assert "never diagnoses pain or injury" in summary
        if cue is not None:
            assert "Fix first" in summary and cue in summary
        # The summary is the first thing on screen: it starts within the first viewport.
        top = browser.js("return document.querySelector('section.summary')"
                         ".getBoundingClientRect().top")
        assert top < height / 2
        browser.screenshot(f"report_{stem}_{width}x{height}")


@pytest.mark.slow
def test_report_names_the_main_fault_of_the_bundled_crunch(
    browser: Browser, report_pages: dict[str, tuple[Path, str | None]]
) -> None:
    page, _ = report_pages["reverse_crunch"]
    browser.open(page, 390, 844)
    summary = _summary_text(browser)
    assert "4 of 12 reps were swings (leg tosses)" in summary
    assert "Slow the descent: 4 of 12 descents lasted under 1.5 s against 3 s prescribed" \
        in summary
    # Opened, the table of every measurement scrolls inside its own box, not the page.
    browser.js("document.querySelectorAll('details').forEach(d => d.open = true)")
    _check_layout(browser, 390)
    boxes = browser.js(
        "return [...document.querySelectorAll('div.scroll')]"
        ".map(d => [d.scrollWidth, d.clientWidth])"
    )
    assert any(scroll > client for scroll, client in boxes)
    browser.screenshot("report_reverse_crunch_390_full", full=True)
    browser.open(page, 1280, 800)
    browser.screenshot("report_reverse_crunch_1280_full", full=True)


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["reverse_crunch", "plank"])
def test_plots_fit_the_screen_with_readable_text(
    browser: Browser, report_pages: dict[str, tuple[Path, str | None]], stem: str
) -> None:
    """A phone gets figures drawn for its width: no sideways scroll, text of 10 px or more."""
    from imu.report.plots import NARROW, WIDE

    page, _ = report_pages[stem]
    for width, layout in ((390, NARROW), (1280, WIDE)):
        browser.open(page, width, 844)
        shown = browser.js(
            "return [...document.querySelectorAll('figure img')].map(i => "
            "[i.naturalWidth, i.getBoundingClientRect().width, i.parentElement.scrollWidth, "
            "i.parentElement.clientWidth])"
        )
        assert shown
        for natural, css_width, scroll, client in shown:
            assert natural == round(layout.width_in * layout.dpi)  # the version for the screen
            assert css_width <= width and scroll <= client
            smallest_px = 8 * layout.dpi / 72 * css_width / natural  # 8 pt: the smallest text
            assert smallest_px >= (10 if width < 600 else 10.5), (width, smallest_px)
        # The session details fit: no value pushed off screen by a long date.
        fits = browser.js("const t = document.querySelector('table.details').parentElement;"
                          "return t.scrollWidth <= t.clientWidth")
        assert fits
        browser.screenshot(f"report_{stem}_plots_{width}", full=True)


@pytest.mark.slow
def test_set_tables_are_as_wide_as_each_other(
    browser: Browser, report_pages: dict[str, tuple[Path, str | None]]
) -> None:
    """Review: on a desktop set 1's table was narrow and set 2's full width, its headings
    wrapped. Every set's table now spans the page, headings on one line; on a phone they
    fit the screen with their headings wrapped instead of scrolling."""
    page, _ = report_pages["reverse_crunch"]
    browser.open(page, 1280, 800)
    widths = browser.js("return [...document.querySelectorAll('table.set')]"
                        ".map(t => t.getBoundingClientRect().width)")
    assert len(widths) == 2 and max(widths) - min(widths) < 1
    heads = browser.js("return [...document.querySelectorAll('table.set th:not(.notes)')]"
                       ".map(h => h.getBoundingClientRect().height)")
    assert max(heads) - min(heads) < 1  # no heading wrapped onto a second line
    browser.open(page, 390, 844)
    boxes = browser.js("return [...document.querySelectorAll('table.set')]"
                       ".map(t => [t.parentElement.scrollWidth, t.parentElement.clientWidth])")
    assert all(scroll <= client for scroll, client in boxes)


@pytest.mark.slow
def test_a_combined_report_has_contents_and_a_section_per_recording(
    browser: Browser, tmp_path: Path
) -> None:
    stems = ("bird_dog", "plank", "reverse_crunch")
    reports = []
    for stem in stems:
        recording = read_recording(ROOT / "recordings" / f"{stem}.parquet")
        reports.append(analyze_recording(recording, recording.meta.exercise or "generic"))
    write_reports(reports, tmp_path)
    for width, height in SIZES:
        browser.open(tmp_path / "report.html", width, height)
        _check_layout(browser, width)
        assert browser.js("return document.querySelector('h1').innerText") == "3 recordings"
        links = browser.js("return [...document.querySelectorAll('nav.contents a')]"
                           ".map(a => a.getAttribute('href'))")
        assert links == ["#recording-1", "#recording-2", "#recording-3", "#session-details"]
        assert browser.js("return arguments[0].every(h => document.querySelector(h))", links)
        headings = browser.js("return [...document.querySelectorAll('section.recording > h2')]"
                              ".map(h => h.innerText)")
        assert [h.split(" — ")[0] for h in headings] == ["Bird-dog", "Plank",
                                                          "Reverse crunch"]
        # What was prescribed: a tempo, or for the plank its hold (never "tempo 1-45-1").
        assert [", hold " in h if h.startswith("Plank") else ", tempo " in h
                for h in headings] == [True] * 3
        # The contents are on the first screen; each section starts with its own summary.
        top = browser.js("return document.querySelector('nav.contents')"
                         ".getBoundingClientRect().top")
        assert top < height / 2
        firsts = browser.js("return [...document.querySelectorAll('section.recording')]"
                            ".map(s => s.children[1].className)")
        assert firsts == ["summary"] * 3
        browser.screenshot(f"report_combined_{width}x{height}")


@pytest.mark.slow
def test_the_session_details_of_several_recordings_read_on_a_phone(
    browser: Browser, tmp_path: Path
) -> None:
    """Trial: at 390 px the details of 15 recordings showed the labels alone, the values in a
    box 1537 px wide that scrolled sideways with no sign of it, the long labels cut. A phone
    now gets a card per recording: every value on screen, every label wrapped, none cut."""
    reports = []
    for stem in BUNDLED:
        recording = read_recording(ROOT / "recordings" / f"{stem}.parquet")
        exercise = recording.meta.exercise or "generic"
        reports.append(analyze_recording(
            recording, "standing-strict" if exercise == "standing-curl" else exercise))
    assert len(reports) >= 3
    write_reports(reports, tmp_path)
    measure = """
        const wide = document.querySelector('.details-wide');
        const cards = [...document.querySelectorAll('.details-card')];
        const inside = e => { const r = e.getBoundingClientRect();
            return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; };
        return [getComputedStyle(wide).display, wide.getBoundingClientRect().height,
                cards.map(c => [c.querySelector('h3').innerText,
                    [...c.querySelectorAll('td')].map(td => [inside(td), td.innerText.trim()]),
                    [...c.querySelectorAll('th')].map(th => [inside(th),
                        th.scrollWidth <= th.clientWidth + 1, th.innerText])])];"""
    browser.open(tmp_path / "report.html", 390, 844)
    _check_layout(browser, 390)
    shown, height, cards = browser.js(measure)
    assert shown == "none" and height == 0  # the wide table is not there to scroll
    assert [name for name, _, _ in cards] == [r.name for r in reports]
    for name, values, labels in cards:
        assert values and all(on and text for on, text in values), (name, values)
        assert labels and all(on and whole for on, whole, _ in labels), (name, labels)
    browser.js("document.getElementById('session-details').scrollIntoView()")
    browser.screenshot("report_details_cards_390x844")
    # A desktop keeps the table, a column per recording; the cards are not shown.
    browser.open(tmp_path / "report.html", 1280, 800)
    _check_layout(browser, 1280)
    shown, height, cards = browser.js(measure)
    assert shown == "block" and height > 0
    assert not any(on for _, values, _ in cards for on, _ in values)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One improver, 3 weeks of 1-3 short sessions of reverse crunches (simulated)."""
    out = tmp_path_factory.mktemp("cohort")
    spec = CohortSpec(participants=1, weeks=3, sessions_per_week=(1, 3), reps=6, sets=2,
                      improver_share=1.0, seed=11)
    simulate_cohort(spec, out)
    return out


@pytest.mark.slow
def test_progress_page_and_a_cohort_report(
    browser: Browser, cohort: Path, tmp_path: Path
) -> None:
    data, failures = tables_from_recordings([cohort])
    assert not failures
    progress = build_progress(data)
    page = write_progress(progress, tmp_path / "progress")[0]
    for width, height in SIZES:
        browser.open(page, width, height)
        _check_layout(browser, width)
        summary = _summary_text(browser)
        assert "sessions over 3 weeks" in summary
        assert "Progression rule: about 15 clean reps with a 3 s descent" in summary
        assert "Descent (median per week): rose from" in summary
        browser.screenshot(f"progress_{width}x{height}")
        browser.screenshot(f"progress_{width}_full", full=True)
    # The first session of the cohort drops its eccentrics: its report says so first.
    first = sorted(cohort.glob("P01/*.parquet"))[0]
    report = analyze_recording(read_recording(first), "reverse-crunch")
    write_reports(report, tmp_path / "first")
    summary = summarize(report.reps, report.profile, report.tempo)
    assert summary.main_fault in ("dropped_eccentric", "swing")
    browser.open(tmp_path / "first" / "report.html", 390, 844)
    _check_layout(browser, 390)
    assert summary.fixes[0].cue in _summary_text(browser)
    browser.screenshot("report_cohort_first_session_390x844")
