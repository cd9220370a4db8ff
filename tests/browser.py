"""Headless Chromium for the browser tests (report pages, the live coaching screen).

Debian's ``chromium`` and ``chromium-driver`` (``make test`` installs them when missing and run
as root), driven by Selenium with the driver's path given explicitly, so nothing is downloaded.
Without a browser the tests that use :func:`browser` fail, with the way to install one; set
``IMU_SKIP_BROWSER=1`` to skip them on purpose. Screenshots are kept in ``out/test-artifacts/``.
The fixture itself is in ``tests/conftest.py``.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "out" / "test-artifacts"


@dataclass
class Browser:
    """A headless Chromium with helpers to load a page at a size and measure it."""

    driver: Any

    def open(self, page: Path | str, width: int, height: int) -> None:
        """Load ``page`` (a file or a URL) in a ``width`` x ``height`` CSS px viewport.

        Phone widths (under 600 px) are emulated in mobile mode.
        """
        self.resize(width, height)
        self.driver.get(page.as_uri() if isinstance(page, Path) else page)

    def resize(self, width: int, height: int) -> None:
        """Emulate a ``width`` x ``height`` CSS px viewport (phone: mobile mode)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def screenshot(self, name: str, full: bool = False) -> Path:
        """Save the viewport (or the whole page) as ``out/test-artifacts/<name>.png``."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full}
        )
        path = ARTIFACTS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def browser_paths() -> tuple[str, str] | None:
    """``(chromium, chromedriver)`` when both are on PATH."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def start_browser() -> Iterator[Browser]:
    """Start headless Chromium (or fail/skip saying how to get one); quit it afterwards."""
    paths = browser_paths()
    if paths is None:
        if os.environ.get("IMU_SKIP_BROWSER") == "1":
            pytest.skip("IMU_SKIP_BROWSER=1: browser checks skipped on purpose")
        pytest.fail(
            "headless Chromium not found (chromium and chromedriver on PATH): run 'make test' "
            "as root, or 'apt-get install chromium chromium-driver'; IMU_SKIP_BROWSER=1 skips",
            pytrace=False,
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--window-size=1280,800",
                "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield Browser(driver)
    finally:
        driver.quit()
