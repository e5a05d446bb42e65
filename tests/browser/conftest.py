"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

``CHROMIUM_PATH`` (default /usr/bin/chromium) points at the system browser. Only where there
is none does ``make test`` (scripts/browser-deps.sh) fetch Playwright's own Chromium, and then
these tests launch that one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("CW_SCREENSHOT_DIR", "test-results/screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chosen = os.environ.get("CHROMIUM_PATH", "")
    path = chosen or "/usr/bin/chromium"
    executable = path if chosen or Path(path).exists() else None
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as exc:  # Playwright's Error: no browser at either place
            pytest.fail(
                f"Chromium not found at {path} ({exc.__class__.__name__}): "
                "apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH"
            )
        yield browser
        browser.close()


@pytest.fixture
def page_as(
    browser: Any, live_server: Any, personas: dict[str, Any]
) -> Iterator[Callable[..., Any]]:
    """A logged-in page for a persona, through the real login form."""
    contexts: list[Any] = []

    def make(name: str, *, mobile: bool = False) -> Any:
        options: dict[str, Any] = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
        if mobile:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1440, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", name)
        page.fill("#id_password", "Test-pass-2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.base = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
