"""A real headless Chromium for tests of HTML output (Playwright driving Debian's chromium).

Tests take the ``browser_page`` fixture (registered in conftest.py): a fresh page, with
every console error and page error collected in ``page.errors``. It skips, saying why,
where Chromium or Playwright is missing; CI installs both (tools/system-packages.txt,
pyproject's test extra).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("NETCOMPLY_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian package chromium; `python3 dev.py test` installs it as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(_browser: Any) -> Iterator[Any]:
    context = _browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.errors = errors
    try:
        yield page
    finally:
        context.close()
