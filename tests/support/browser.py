"""Driving the web pages in a real browser: Debian's headless Chromium through Playwright (no
browser download), a page that records what would show up in the browser's console as a problem
(script errors, Content-Security-Policy refusals, dialogs), and screenshots for review under
`test-output/web/`."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, Playwright

from services.container import Services
from tests.support.paths import TEST_OUTPUT

OUTPUT = TEST_OUTPUT / "web"


def chromium_path() -> str:
    found = shutil.which("chromium")
    if found is None:
        raise RuntimeError(
            "chromium is not installed (Debian: apt-get install chromium, as .ci/setup does)"
        )
    return found


async def launch(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=chromium_path())


@dataclass
class Watched:
    """A page with what went wrong in it: script errors, refused resources, dialogs."""

    page: Page
    context: BrowserContext
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.problems == [], self.problems
        assert self.dialogs == [], self.dialogs


@asynccontextmanager
async def open_page(
    browser: Browser, base_url: str, *, locale: str = "en-US"
) -> AsyncIterator[Watched]:
    context = await browser.new_context(
        base_url=base_url,
        locale=locale,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = await context.new_page()
    watched = Watched(page, context)

    def on_console(message: ConsoleMessage) -> None:
        # A failed fetch is logged too ("Failed to load resource"); those are answers the page
        # handles. A policy refusal or a script error is a bug.
        if message.type == "error" and "Failed to load resource" not in message.text:
            watched.problems.append(message.text)

    async def on_dialog(dialog: Dialog) -> None:
        watched.dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.problems.append(str(error)))
    page.on("dialog", on_dialog)
    try:
        yield watched
    finally:
        await context.close()


async def sign_in(watched: Watched, services: Services, user_id: int, base_url: str) -> None:
    """A session as if the person had signed in (the sign-in pages have their own test)."""
    token = await services.auth.issue_token(user_id, "browser test")
    await watched.context.add_cookies(
        [
            {
                "name": "ftpgram_session",
                "value": token,
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


async def screenshot(page: Page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")
    await page.screenshot(path=str(path), full_page=True)
    return path
