"""The passes page and the administrators' name patterns in headless Chromium: a follower sees a
pass of a followed station, its next passes, and downloads the pass with one button; an
administrator tries a station's own pattern on its names and saves it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, async_playwright, expect

from services.container import Services
from services.core.models import Download, StationFile
from services.core.settings import Settings
from tests.support.browser import launch, open_page, screenshot, sign_in
from tests.support.passes import TLE, station_with_files
from tests.support.people import make_user

Client = TestClient[web.Request, web.Application]
CREATED = "c20230101121500123456_cspp_dev.h5"
GRANULES = {
    f"viirs/SVM01_j01_d20230101_t1200000_e1201250_b58000_{CREATED}": 1000,
    f"viirs/SVM01_j01_d20230101_t1201260_e1202510_b58000_{CREATED}": 2000,
    f"atms/SATMS_j01_d20230101_t1200000_e1208000_b58000_{CREATED}": 300,
}
# A station name that would be markup if a page inserted it as HTML.
HOSTILE = "<img src=x onerror=alert(1)> Kolyvan"
# A located station, named to try the pages' escaping.
LOCATED: dict[str, object] = {
    "name": HOSTILE,
    "latitude": 55.75,
    "longitude": 37.62,
    "platforms": ["NOAA-20", "Metop-B"],
}

expect.set_options(timeout=20_000)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"tle_file": TLE})


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await launch(playwright)
        try:
            yield launched
        finally:
            await launched.close()


async def test_a_follower_sees_a_pass_and_downloads_it(
    client: Client, services: Services, browser: Browser, request: pytest.FixtureRequest
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    station_id = await station_with_files(
        services,
        admin,
        GRANULES,
        name=HOSTILE,
        latitude=55.75,
        longitude=37.62,
        platforms=["NOAA-20", "Metop-B"],
    )
    await services.stations.follow(follower, [station_id])
    await services.users.set_time_zone(follower, "Europe/Moscow")
    base_url = str(client.make_url("")).rstrip("/")

    async with open_page(browser, base_url) as watched:
        page = watched.page
        await sign_in(watched, services, follower.id, base_url)
        await page.goto("/passes")
        await expect(page.get_by_role("link", name="Passes")).to_have_attribute(
            "aria-current", "page"
        )
        row = page.locator("#passes tbody tr:not(.panel)")
        await expect(row).to_have_count(1)
        await expect(row).to_contain_text("NOAA-20")
        await expect(row).to_contain_text("orbit 58000")
        await expect(row).to_contain_text("ATMS, VIIRS")
        await expect(row).to_contain_text(HOSTILE)  # as text, not markup
        await expect(row).to_contain_text("Jan 1, 2023, 3:00 PM – 3:08 PM")  # in Moscow
        await expect(page.locator("#zone-line")).to_have_text("Times are shown in Europe/Moscow.")
        # Its next passes, predicted from its place.
        card = page.locator("#schedules .schedule")
        await expect(card.locator("h3")).to_have_text(HOSTILE)
        assert await card.locator("tbody tr").count() > 0

        await row.get_by_role("button", name="Download pass").click()
        await expect(page.locator("#notice")).to_have_text(
            "3 new downloads queued; 3 files of the pass are in your downloads."
        )
        panel = page.locator("#passes tr.panel")
        await expect(panel).to_be_visible()
        await expect(panel.locator(".pass-progress")).to_contain_text(
            "Your downloads: 0 of 3 completed, 0 failed."
        )
        await expect(panel.locator(".pass-file-list tbody tr")).to_have_count(3)
        await expect(row.get_by_role("button", name="Hide files")).to_be_visible()
        await screenshot(page, request.node.name)

        # Which passes to be told about: the satellites and instruments seen on the station.
        choice = page.locator("#announce-choices form.announce")
        await expect(choice.locator("h3")).to_have_text(HOSTILE)
        await choice.get_by_label("ATMS").check()
        await choice.get_by_role("button", name="Save").click()
        await expect(page.locator("#notice")).to_have_text(f"Saved: {HOSTILE}")
        assert await services.passes.announcements(follower, station_id) == ([], ["ATMS"])

        # The station files show what their names say, and filter by it.
        await page.goto("/stations")
        files = page.locator("#station-files tbody tr")
        await expect(files).to_have_count(3)
        await page.locator("#filter-platform").fill("noaa-20")
        await page.locator("#filter-instrument").fill("ATMS")
        await page.locator("#station-filter").get_by_role("button", name="Show").click()
        await expect(files).to_have_count(1)
        said = files.locator(".said")
        await expect(said).to_have_text("NOAA-20 ATMS SDR · Jan 1, 2023, 12:00 PM")
        watched.assert_clean()
    assert await Download.filter(user_id=follower.id).count() == 3


async def test_an_administrator_tries_and_saves_a_name_pattern(
    client: Client, services: Services, browser: Browser, request: pytest.FixtureRequest
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    own = "meteor/MN2-3_20230101_123000_04321.msu"
    station_id = await station_with_files(
        services,
        admin,
        {**GRANULES, own: 500},
        name=HOSTILE,
        latitude=55.75,
        longitude=37.62,
        platforms=["NOAA-20", "Metop-B"],
    )
    base_url = str(client.make_url("")).rstrip("/")

    async with open_page(browser, base_url) as watched:
        page = watched.page
        await sign_in(watched, services, admin.id, base_url)
        await page.goto("/admin#stations")
        station = page.locator(f'#admin-stations tr[data-id="{station_id}"]')
        await station.get_by_role("button", name="Location and name patterns").click()
        panel = page.locator("#admin-stations tr.station-panel")
        await expect(panel.get_by_label("Latitude (° north)")).to_have_value("55.75")
        await expect(panel.locator(".patterns-empty")).to_be_visible()

        # A format without a start time: refused, with the reason.
        await panel.get_by_label("Format").fill("{platform}.msu")
        await panel.get_by_role("button", name="Try").click()
        notice = page.locator("#notice")
        await expect(notice).to_contain_text("This file name pattern cannot be used.")
        await expect(notice).to_contain_text("The pattern needs the start time")

        await panel.get_by_label("Format").fill(
            "{platform}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}.msu"
        )
        await panel.get_by_label("Platform codes, one per line").fill("MN2-3 = Meteor-M2 3")
        await panel.get_by_role("button", name="Try").click()
        await expect(panel.locator(".pattern-summary")).to_have_text(
            "The pattern reads 1 of 4 names."
        )
        match = panel.locator(".pattern-trials tr.trial-match")
        await expect(match).to_contain_text("Meteor-M2 3")
        await expect(match).to_contain_text("4321")
        assert await StationFile.filter(platform="Meteor-M2 3").count() == 0  # only tried

        await panel.get_by_role("button", name="Save the pattern").click()
        await expect(notice).to_contain_text("The pattern is saved")
        await expect(panel.locator(".pattern-list tbody tr")).to_have_count(1)
        await screenshot(page, request.node.name)
        watched.assert_clean()
    assert await StationFile.filter(platform="Meteor-M2 3").count() == 1
