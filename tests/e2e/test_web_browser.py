"""The web pages in headless Chromium against the whole running service (bot on the fake
Telegram server, HTTP API, scheduler, download worker): sign in with a code from the bot, the
Mini App sign-in, files (upload with progress, rename, comment, share, delete, usage), a station
download watched live and paused, and an administrator activating a user. Each test leaves a
screenshot in test-output/web/."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import aiohttp
import pytest
from playwright.async_api import Browser, async_playwright, expect

from ftpgram.app import Application
from services.accounts.users import UserView
from services.accounts.webapp import sign_init_data
from services.container import Services
from services.core.errors import Conflict
from services.core.models import Download, Station, StationFile, StoredFile, User
from tests.support.application import services_of
from tests.support.browser import launch, open_page, screenshot, sign_in
from tests.support.data import MIB, blob
from tests.support.ftp_files import put
from tests.support.ftp_servers import Certificates, FtpEndpoint, vsftpd_server
from tests.support.people import make_user
from tests.support.stations import add_station
from tests.support.telegram_fake import FakeTelegram

GIB = 1 << 30
ADMIN = 900001

# Playwright's 5-second default is thin for a throttled upload or an FTPS poll with Chromium
# and the whole service sharing two cores.
expect.set_options(timeout=20_000)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await launch(playwright)
        try:
            yield launched
        finally:
            await launched.close()


async def test_sign_in_with_a_code_from_the_bot_and_out(
    application: Application,
    api_url: str,
    telegram: FakeTelegram,
    browser: Browser,
    request: pytest.FixtureRequest,
) -> None:
    services = services_of(application)
    user = await make_user(services, 7601, name="Анна Петрова")
    async with open_page(browser, api_url) as watched:
        page = watched.page
        await page.goto("/")
        await page.locator("main").get_by_role("link", name="Sign in").click()
        await expect(page).to_have_url(api_url + "/login")
        await page.get_by_label("Telegram id or @username").fill("7601")
        await page.get_by_role("button", name="Send me a code").click()
        await expect(page.locator("#code-sent")).to_contain_text("The bot has sent you a code")

        message = await telegram.expect_message(7601)
        code = re.search(r"\b(\d{6})\b", message.text)
        assert code is not None, message.text
        await page.get_by_label("Code from Telegram").fill(code[1])
        await page.locator("#verify-form").get_by_role("button", name="Sign in").click()

        await expect(page).to_have_url(api_url + "/index")
        await expect(page.locator("#who")).to_have_text("Анна Петрова")
        await expect(page.locator("#files-empty")).to_be_visible()
        await expect(page.locator("#usage-summary")).to_contain_text("0 B of 10 GiB used")
        # The session is out of the page scripts' reach.
        assert "ftpgram_session" not in await page.evaluate("document.cookie")
        await screenshot(page, request.node.name)

        await page.get_by_role("button", name="Sign out").click()
        await expect(page).to_have_url(api_url + "/")
        assert await services.auth.tokens(user.id) == []
        await page.goto("/index")
        await expect(page).to_have_url(re.compile(r"/login\?next=/index$"))
        watched.assert_clean()


def mini_app_data(bot_token: str, telegram_id: int, *, age: float = 0) -> str:
    fields = {
        "query_id": "AAH1",
        "user": json.dumps(
            {"id": telegram_id, "first_name": "Ivan", "language_code": "ru"},
            separators=(",", ":"),
        ),
        "auth_date": str(int(time.time() - age)),
    }
    fields["hash"] = sign_init_data(fields, bot_token)
    return urlencode(fields)


async def test_the_mini_app_signs_in_without_a_code(
    application: Application,
    api_url: str,
    telegram: FakeTelegram,
    browser: Browser,
    request: pytest.FixtureRequest,
) -> None:
    services = services_of(application)
    await make_user(services, 7602, name="Иван", language="ru")
    async with open_page(browser, api_url, locale="ru-RU") as watched:
        page = watched.page
        # Inside Telegram's app: its webview bridge is there.
        await page.add_init_script("window.TelegramWebviewProxy = { postEvent() {} };")
        # As Telegram opens it: the signed data in the fragment, beside Telegram's own fields.
        stale = mini_app_data(telegram.token, 7602, age=2 * 24 * 3600)
        await page.goto(f"/app#tgWebAppData={quote(stale)}&tgWebAppVersion=8.0")
        await expect(page.locator("#app-status")).to_contain_text("устарели")
        await expect(page.get_by_role("link", name="Войти").last).to_be_visible()

        fresh = mini_app_data(telegram.token, 7602)
        await page.goto("about:blank")  # a new opening of the app, not a fragment change
        await page.goto(f"/app#tgWebAppData={quote(fresh)}&tgWebAppPlatform=tdesktop")
        await expect(page).to_have_url(api_url + "/index")
        await expect(page.locator("h1")).to_have_text("Ваши файлы")
        await expect(page.locator("#who")).to_have_text("Иван")
        await screenshot(page, request.node.name)
        watched.assert_clean()


async def test_a_mini_app_link_opened_in_a_browser_asks_before_signing_in(
    application: Application,
    api_url: str,
    telegram: FakeTelegram,
    browser: Browser,
    request: pytest.FixtureRequest,
) -> None:
    """Someone's genuine `initData` in a link must not sign a visitor in to that account
    silently (they would then upload into it): outside Telegram the page asks first."""
    services = services_of(application)
    await make_user(services, 7603, name="Mallory")
    async with open_page(browser, api_url) as watched:
        page = watched.page
        await page.goto(f"/app#tgWebAppData={quote(mini_app_data(telegram.token, 7603))}")
        await expect(page.locator("#app-status")).to_contain_text("signs you in to ftpgram as")
        continue_button = page.get_by_role("button", name="Continue as Ivan")
        await expect(continue_button).to_be_visible()
        await screenshot(page, request.node.name)
        await page.goto("/index")  # nothing happened meanwhile: still signed out
        await expect(page).to_have_url(re.compile(r"/login"))

        await page.goto(f"/app#tgWebAppData={quote(mini_app_data(telegram.token, 7603))}")
        await continue_button.click()
        await expect(page).to_have_url(api_url + "/index")
        await expect(page.locator("#who")).to_have_text("Mallory")
        watched.assert_clean()


async def test_files_upload_with_progress_rename_comment_share_and_delete(
    application: Application,
    api_url: str,
    browser: Browser,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    services = services_of(application)
    user = await make_user(services, 7603, name="Olga")
    scan = tmp_path / "scan 01.dat"
    scan.write_bytes(blob(6 * MIB, seed=3))
    notes = tmp_path / "notes.txt"
    notes.write_text("Pass 2041 over Moscow\n")
    hostile = tmp_path / "<img src=x onerror=alert(1)>.txt"
    hostile.write_text("not html")

    async with open_page(browser, api_url) as watched:
        page = watched.page
        await sign_in(watched, services, user.id, api_url)
        await page.goto("/index")
        await expect(page.locator("#files-empty")).to_be_visible()

        # A slow link, so the progress bar has something to show.
        cdp = await watched.context.new_cdp_session(page)
        await cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": 3 * MIB,
            },
        )
        await page.set_input_files("#upload-file", str(scan))
        await page.get_by_role("button", name="Upload", exact=True).click()
        bar = page.locator("#upload-bar")
        await expect(page.locator("#upload-progress")).to_be_visible()
        await expect(page.locator("#upload-text")).to_contain_text("of 6 MiB")
        seen = []
        for _ in range(200):
            value = float(await bar.evaluate("bar => bar.value / bar.max"))
            if 0 < value < 1:
                seen.append(value)
            if len(seen) >= 2 or not await page.locator("#upload-progress").is_visible():
                break
            await asyncio.sleep(0.05)
        assert seen, "the progress bar never showed a partial upload"
        await expect(page.locator("#notice")).to_have_text("Uploaded: scan 01.dat")
        await expect(page.locator("#upload-progress")).to_be_hidden()
        await cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )

        for path in (notes, hostile):
            await page.set_input_files("#upload-file", str(path))
            await page.get_by_role("button", name="Upload", exact=True).click()
            await expect(page.locator("#notice")).to_have_text(f"Uploaded: {path.name}")

        rows = page.locator("#files-table tbody tr:not(.panel)")
        await expect(rows).to_have_count(3)
        # Newest first; a name made of markup is shown as the text it is.
        await expect(rows.nth(0).locator("a.name")).to_have_text(hostile.name)
        scan_row = page.locator("#files-table tr", has_text="scan 01.dat")
        await expect(scan_row.locator("td").nth(1)).to_have_text("other")
        await expect(scan_row.locator("td").nth(2)).to_have_text("6 MiB")
        notes_row = page.locator("#files-table tr", has_text="notes.txt")
        await expect(notes_row.locator("td").nth(1)).to_have_text("document")

        # Usage by type.
        usage = page.locator("#usage-table tbody")
        await expect(usage.locator("tr[data-type=document] td").nth(1)).to_have_text("2")
        await expect(usage.locator("tr[data-type=other] td").nth(2)).to_have_text("6 MiB")
        await expect(page.locator("#usage-summary")).to_contain_text("6 MiB of 10 GiB used")

        # Rename and comment.
        await scan_row.get_by_role("button", name="Rename").click()
        await page.get_by_label("New name").fill("scan 01 (Moscow).dat")
        await page.locator(".rename-form").get_by_role("button", name="Save").click()
        await expect(page.locator("#notice")).to_have_text("Renamed to scan 01 (Moscow).dat")
        scan_row = page.locator("#files-table tr", has_text="scan 01 (Moscow).dat")
        await scan_row.get_by_role("button", name="Comment").click()
        await page.locator(".comment-form textarea").fill("NOAA-19 pass <b>clear sky</b>")
        await page.locator(".comment-form").get_by_role("button", name="Save").click()
        await expect(scan_row.locator("td.comment")).to_have_text("NOAA-19 pass <b>clear sky</b>")
        stored = await StoredFile.get(user_id=user.id, name="scan 01 (Moscow).dat")
        assert stored.comment == "NOAA-19 pass <b>clear sky</b>"

        # A share link: create, copy, use without an account, revoke.
        await scan_row.get_by_role("button", name="Share").click()
        await page.get_by_role("button", name="Create a link").click()
        link_box = page.locator(".share-url")
        # Links are built on PUBLIC_URL (here derived before the free port was known).
        public = services.settings.base_url
        await expect(link_box).to_have_value(re.compile(re.escape(public) + r"/s/[\w-]{32}$"))
        link = await link_box.input_value()
        reachable = api_url + urlsplit(link).path
        await page.get_by_role("button", name="Copy").click()
        await expect(page.locator("#notice")).to_have_text("The link is copied.")
        assert await page.evaluate("navigator.clipboard.readText()") == link
        await expect(scan_row.locator(".badge")).to_have_text("link")
        await screenshot(page, request.node.name)
        async with aiohttp.ClientSession() as anonymous, anonymous.get(reachable) as response:
            assert response.status == 200
            assert await response.read() == scan.read_bytes()
            assert "scan%2001%20%28Moscow%29.dat" in response.headers["Content-Disposition"]
        await page.get_by_role("button", name="Revoke").click()
        await expect(page.locator("#notice")).to_have_text("The link no longer works.")
        await expect(scan_row.locator(".badge")).to_have_count(0)
        async with aiohttp.ClientSession() as anonymous, anonymous.get(reachable) as response:
            assert response.status == 404

        # Delete asks once more, then the file and its space are gone.
        delete = notes_row.get_by_role("button", name="Delete")
        await delete.click()
        await expect(delete).to_have_text("Really delete?")
        await delete.click()
        await expect(page.locator("#notice")).to_have_text("Deleted: notes.txt")
        await expect(rows).to_have_count(2)
        await expect(usage.locator("tr[data-type=document] td").nth(1)).to_have_text("1")
        assert not await StoredFile.filter(user_id=user.id, name="notes.txt").exists()
        watched.assert_clean()


async def station_with_files(
    services: Services, admin: UserView, endpoint: FtpEndpoint, files: dict[str, bytes]
) -> dict[str, int]:
    """A station whose files are available (the running scheduler may poll it too)."""
    for name, data in files.items():
        put(endpoint.root, name, data, age=3600)
    station = await add_station(services, admin, endpoint)
    async with asyncio.timeout(30):
        while True:
            try:
                await services.stations.poll(station.id)
            except Conflict:  # the scheduler's first poll is running
                await asyncio.sleep(0.2)
            rows = await StationFile.filter(station_id=station.id, stable=True)
            ids = {row.path.lstrip("/"): row.id for row in rows}
            if set(files) <= set(ids):
                return ids


async def test_a_station_download_is_watched_live_and_paused(
    application: Application,
    api_url: str,
    browser: Browser,
    ftp_root: Path,
    certs: Certificates,
    request: pytest.FixtureRequest,
) -> None:
    services = services_of(application)
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    user = await make_user(services, 7604, name="Pavel")
    data = blob(4 * MIB, seed=4)
    with vsftpd_server(ftp_root, tls="none", certs=certs, rate=100_000) as endpoint:
        await station_with_files(services, admin, endpoint, {"pass/NOAA 19.raw": data})
        async with open_page(browser, api_url) as watched:
            page = watched.page
            await sign_in(watched, services, user.id, api_url)
            await page.goto("/stations")
            station = page.locator("#station-list li", has_text=endpoint.name)
            await expect(station.locator(".badge")).to_have_text("working")
            await station.get_by_role("checkbox").check()
            await page.get_by_role("button", name="Save").click()
            await expect(page.locator("#notice")).to_have_text("Your stations are saved.")
            file_row = page.locator("#station-files tr", has_text="/pass/NOAA 19.raw")
            await expect(file_row.locator("td").nth(2)).to_have_text("4 MiB")
            await file_row.get_by_role("button", name="Download").click()
            await expect(page.locator("#notice")).to_have_text("Download queued: NOAA 19.raw")
            await file_row.get_by_role("link", name="In your downloads →").click()

            await expect(page).to_have_url(api_url + "/downloads")
            await expect(page.locator("#live-state")).to_have_text("live")
            row = page.locator("#downloads tbody tr").first
            await expect(row.locator(".status .badge")).to_have_text("downloading", timeout=20_000)
            percent = row.locator(".percent")
            # Progress arrives over the WebSocket without reloading the page.
            first = await _percent_above(percent, 0.0)
            await _percent_above(percent, first)
            await expect(row.locator("td").nth(4)).to_contain_text("/s")
            await screenshot(page, request.node.name + "-downloading")

            await row.get_by_role("button", name="Pause").click()
            await expect(row.locator(".status .badge")).to_have_text("paused")
            download = await Download.get(user_id=user.id)
            assert download.status == "paused"
            held = await percent.text_content()
            await asyncio.sleep(2)
            assert await percent.text_content() == held
            await screenshot(page, request.node.name)

            await row.get_by_role("button", name="Start").click()
            await expect(row.locator(".status .badge")).to_have_text(
                re.compile("downloading|queued")
            )
            await row.get_by_role("button", name="Stop and delete").click()
            await expect(row.locator(".status .badge")).to_have_text("stopped")
            await row.get_by_role("button", name="Remove").click()
            await expect(page.locator("#downloads tbody tr")).to_have_count(0)
            await expect(page.locator("#downloads-empty")).to_be_visible()
            assert not await Download.filter(user_id=user.id).exists()
            watched.assert_clean()


async def _percent_above(locator: object, floor: float, timeout: float = 20) -> float:
    async with asyncio.timeout(timeout):
        while True:
            text = await locator.text_content()  # type: ignore[attr-defined]
            value = float((text or "0").rstrip("%").replace(",", "."))
            if floor < value < 100:
                return value
            await asyncio.sleep(0.1)


async def test_an_administrator_activates_a_user_and_manages_stations(
    application: Application,
    api_url: str,
    telegram: FakeTelegram,
    browser: Browser,
    ftp_root: Path,
    certs: Certificates,
    request: pytest.FixtureRequest,
) -> None:
    services = services_of(application)
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    waiting = await make_user(services, 7605, active=False, name="Vera Waiting")
    put(ftp_root, "scene.hrpt", b"x" * 1000, age=3600)
    async with open_page(browser, api_url) as watched:
        page = watched.page
        await sign_in(watched, services, admin.id, api_url)
        await page.goto("/index")
        await page.get_by_role("link", name="Administration").click()
        row = page.locator("#users-table tr", has_text="Vera Waiting")
        await expect(row.locator(".badge")).to_have_text("waiting")
        await row.get_by_role("button", name="Activate").click()
        await expect(page.locator("#notice")).to_have_text("Saved: Vera Waiting")
        await expect(row.locator(".badge")).to_have_text("active")
        assert (await User.get(id=waiting.id)).is_active
        # The person hears about it in Telegram.
        told = await telegram.expect_message(7605)
        assert told.text

        await row.locator(".quota-input").fill("2")
        await row.get_by_role("button", name="Save").click()
        await expect(page.locator("#notice")).to_have_text("The quota is saved.")
        await expect(row.locator("td.quota small")).to_have_text("0 B / 2 GiB")
        assert (await User.get(id=waiting.id)).storage_quota == 2 * GIB
        await row.get_by_role("button", name="Make admin").click()
        await expect(row.locator("td").nth(3)).to_have_text("yes")

        with vsftpd_server(ftp_root, tls="explicit", certs=certs) as endpoint:
            services.stations.ca_file = endpoint.ca_file
            await page.get_by_text("Add a station").click()
            await page.get_by_label("Name", exact=True).fill("Moscow ScanEx")
            await page.get_by_label("Address (ftp:// or ftps://)").fill(
                f"ftp://{endpoint.host}:{endpoint.port}/"
            )
            await page.get_by_label("Login", exact=True).fill(endpoint.login)
            await page.get_by_label("Password").fill(endpoint.password)
            await page.get_by_label("TLS").select_option("explicit")
            await page.locator("#station-form").get_by_role("button", name="Test").click()
            await expect(page.locator("#notice")).to_have_text(
                "The station answers: 1 entries in its folder."
            )
            await page.locator("#station-form").get_by_role("button", name="Add").click()
            await expect(page.locator("#notice")).to_have_text("Station added: Moscow ScanEx")
            station_row = page.locator("#admin-stations tr", has_text="Moscow ScanEx")
            await expect(station_row).to_contain_text("explicit (AUTH TLS)")
            # Wait for the scheduler's first poll, then poll again by hand.
            async with asyncio.timeout(30):
                while True:  # polled, and the poll has let go of the station
                    station = await Station.get_or_none(name="Moscow ScanEx")
                    if station and station.last_poll_at and station.poll_lease_until is None:
                        break
                    await asyncio.sleep(0.2)
            assert await StationFile.filter(path="/scene.hrpt").exists()
            await station_row.get_by_role("button", name="Poll now").click()
            await expect(page.locator("#notice")).to_have_text(
                "Moscow ScanEx polled: 1 files, 0 new."
            )
            await expect(station_row.locator(".badge")).to_have_text("working")
            await station_row.get_by_role("button", name="Test").click()
            await expect(page.locator("#notice")).to_have_text(
                "Moscow ScanEx answers: 1 entries in its folder."
            )

        await page.get_by_label("At least").select_option("info")
        await page.locator("#logs-filter").get_by_role("button", name="Show").click()
        await expect(page.locator("#logs-table")).to_contain_text("Station Moscow ScanEx added")
        await screenshot(page, request.node.name)
        watched.assert_clean()
