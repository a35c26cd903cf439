"""Stations in the bot, driven as users and administrators through the fake Telegram server,
against real FTP servers (aioftp's) on 127.0.0.1.

The application's scheduler is paused in these tests, so every poll is one the test (or the
"Poll now" button) asked for, and the messages arrive in a known order.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ftpgram.app import Application
from services.accounts.users import UserView
from services.container import Services
from services.core.models import Station, StationPoll, UserStation
from services.ftp.client import FtpError
from services.stations.views import StationView
from tests.support.application import services_of
from tests.support.ftp_servers import LOGIN, PASSWORD, FtpEndpoint, aioftp_server
from tests.support.messages import message_containing
from tests.support.people import person
from tests.support.telegram_fake import BotMessage, FakeTelegram

ADMIN = 900001  # in ADMIN_IDS of the test settings
DAY = 86400


@pytest.fixture
def app(application: Application) -> Application:
    application.scheduler.pause()
    return application


def put(root: Path, name: str, size: int = 10, *, age: float = 0) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    if age:
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))


async def add_station(
    services: Services, admin: UserView, endpoint: FtpEndpoint, name: str, **fields: object
) -> StationView:
    values: dict[str, object] = {
        "name": name,
        "host": endpoint.host,
        "port": endpoint.port,
        "login": endpoint.login,
        "password": endpoint.password,
        "tls": "none",
    }
    values.update(fields)
    return await services.stations.create(admin, values)


def nowhere_in_calls(telegram: FakeTelegram, secret: str) -> bool:
    """`secret` was in nothing the bot sent to Telegram: no message, no edit, no button."""
    return all(secret not in json.dumps(params, ensure_ascii=False) for _, params in telegram.calls)


def deleted_ids(telegram: FakeTelegram) -> set[int]:
    return {int(p["message_id"]) for name, p in telegram.calls if name == "deleteMessage"}


# ---- following and files ---------------------------------------------------------------------


async def test_choosing_stations_decides_what_files_shows(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    _, alice = await person(services, telegram, 7201, "Alice")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)
    put(ftp_root / "alpha", "alpha-old.dat", age=DAY)
    put(ftp_root / "beta", "beta-old.dat", age=DAY)
    async with (
        aioftp_server(ftp_root / "alpha") as alpha_server,
        aioftp_server(ftp_root / "beta") as beta_server,
    ):
        alpha = await add_station(services, admin, alpha_server, "Alpha")
        beta = await add_station(services, admin, beta_server, "Beta")
        await add_station(services, admin, beta_server, "Gamma", enabled=False)
        assert (await services.stations.poll(alpha.id)).ok
        assert (await services.stations.poll(beta.id)).ok

    await telegram.send_text(alice, "/files")
    assert "/stations" in (await telegram.expect_message(alice.id)).text

    await telegram.send_text(alice, "/stations")
    choice = await telegram.expect_message(alice.id)
    names = [b["text"] for b in choice.buttons]
    assert "▫️ Alpha" in names and "▫️ Beta" in names
    assert not any("Gamma" in n for n in names)  # disabled stations cannot be chosen
    await telegram.press(alice, choice, "Alpha")
    await telegram.wait_until(lambda: "✅ Alpha" in [b["text"] for b in choice.buttons])
    assert "▫️ Beta" in [b["text"] for b in choice.buttons]
    assert await UserStation.all().count() == 0  # nothing is saved before Save
    await telegram.press(alice, choice, "Save")
    await telegram.wait_until(lambda: "You follow" in choice.text)
    assert "Alpha" in choice.text and "Beta" not in choice.text

    await telegram.send_text(alice, "/files")
    listing = await telegram.expect_message(alice.id)
    assert "alpha-old.dat" in listing.text and "beta-old.dat" not in listing.text
    assert "Alpha" in listing.text and "10 B" in listing.text

    await telegram.send_text(alice, "/stations")
    choice = await telegram.expect_message(alice.id)
    assert "✅ Alpha" in [b["text"] for b in choice.buttons]  # the saved choice is shown
    await telegram.press(alice, choice, "All")
    await telegram.wait_until(lambda: "✅ Beta" in [b["text"] for b in choice.buttons])
    await telegram.press(alice, choice, "Alpha")
    await telegram.wait_until(lambda: "▫️ Alpha" in [b["text"] for b in choice.buttons])
    await telegram.press(alice, choice, "Save")
    await telegram.wait_until(lambda: "You follow" in choice.text)
    assert "Beta" in choice.text and "Alpha" not in choice.text

    await telegram.send_text(alice, "/files")
    listing = await telegram.expect_message(alice.id)
    assert "beta-old.dat" in listing.text and "alpha-old.dat" not in listing.text

    await telegram.send_text(alice, "/stations")
    choice = await telegram.expect_message(alice.id)
    await telegram.press(alice, choice, "None")
    await telegram.wait_until(lambda: "✅ Beta" not in [b["text"] for b in choice.buttons])
    await telegram.press(alice, choice, "Save")
    await telegram.wait_until(lambda: "follow no stations" in choice.text)
    await telegram.send_text(alice, "/files")
    assert "/stations" in (await telegram.expect_message(alice.id)).text


async def stations_with_new_files(
    services: Services, admin: UserView, follower: UserView, ftp_root: Path
) -> tuple[StationView, StationView]:
    """Alpha: 12 old files and 2 new ones; Beta: 1 old file and 1 new one (16 in all);
    `follower` follows both since before the new files came."""
    alpha_root, beta_root = ftp_root / "alpha", ftp_root / "beta"
    for number in range(12):
        put(alpha_root, f"old/old-{number:02}.dat", age=DAY + number * 60)
    put(beta_root, "beta-old.dat", age=2 * DAY)  # the oldest of all
    async with aioftp_server(alpha_root) as alpha_server, aioftp_server(beta_root) as beta_server:
        alpha = await add_station(services, admin, alpha_server, "Alpha")
        beta = await add_station(services, admin, beta_server, "Beta")
        await services.stations.follow(follower, [alpha.id, beta.id])
        for station in (alpha, beta):
            assert (await services.stations.poll(station.id)).ok  # the baseline
        put(alpha_root, "new/alpha-new-1.dat", 2048)
        put(alpha_root, "new/alpha-new-2.dat", 2048)
        put(beta_root, "beta-new.dat", 4096)
        for station in (alpha, beta):
            await services.stations.poll(station.id)  # seen
            assert (await services.stations.poll(station.id)).new_files > 0  # stable: announced
    return alpha, beta


async def test_files_pages_filters_and_mark_seen(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    bob_view, bob = await person(services, telegram, 7202, "Bob")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)
    await stations_with_new_files(services, admin, bob_view, ftp_root)
    # One announcement per station.
    announced = sorted([(await telegram.expect_message(bob.id)).text for _ in range(2)])
    assert "Alpha" in announced[0] and "2 new files" in announced[0]
    assert "Beta" in announced[1] and "1 new file," in announced[1]

    await telegram.send_text(bob, "/files")
    listing = await telegram.expect_message(bob.id)
    assert "Station files: 16 (page 1 of 2)" in listing.text
    lines = [line for line in listing.text.splitlines() if line[:1].isdigit()]
    assert len(lines) == 10
    assert all("🆕" in line for line in lines[:3])  # newest first: the new ones
    assert "🆕" not in "\n".join(lines[3:])
    assert "old-00.dat" in lines[3]  # then the old ones, youngest first
    await telegram.press(bob, listing, "▶")
    await telegram.wait_until(lambda: "page 2 of 2" in listing.text)
    assert "old-11.dat" in listing.text and "old-00.dat" not in listing.text
    assert "▶" not in [b["text"] for b in listing.buttons]
    await telegram.press(bob, listing, "◀")
    await telegram.wait_until(lambda: "page 1 of 2" in listing.text)

    await telegram.press(bob, listing, "only new")
    await telegram.wait_until(lambda: "Station files: 3" in listing.text)
    assert "alpha-new-1.dat" in listing.text and "beta-new.dat" in listing.text
    assert "old-" not in listing.text
    await telegram.press(bob, listing, "Station")
    await telegram.wait_until(lambda: "which station" in listing.text)
    await telegram.press(bob, listing, "Beta")
    await telegram.wait_until(lambda: "Station files: 1 " in listing.text)
    assert "Station: Beta · only new" in listing.text and "beta-new.dat" in listing.text

    await telegram.press(bob, listing, "Mark all seen")  # Beta's only
    await telegram.wait_until(lambda: "No new files." in listing.text)
    await telegram.press(bob, listing, "Station")
    await telegram.wait_until(lambda: "which station" in listing.text)
    await telegram.press(bob, listing, "All stations")
    await telegram.wait_until(lambda: "Station files: 2 " in listing.text)
    assert "alpha-new-1.dat" in listing.text and "beta-new.dat" not in listing.text

    query = await telegram.press(bob, listing, "Mark all seen")
    assert (await telegram.expect_callback_answer(query))["text"] == "Marked as seen."
    await telegram.wait_until(lambda: "No new files." in listing.text)
    await telegram.press(bob, listing, "only new")
    await telegram.wait_until(lambda: "Station files: 16" in listing.text)
    assert "🆕" not in listing.text


async def test_the_announcements_show_all_opens_that_stations_new_files(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    carol_view, carol = await person(services, telegram, 7203, "Carol")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)
    await stations_with_new_files(services, admin, carol_view, ftp_root)
    notes = [await telegram.expect_message(carol.id) for _ in range(2)]
    alpha_note = next(n for n in notes if "Alpha" in n.text)
    assert "alpha-new-1.dat" in alpha_note.text

    await telegram.press(carol, alpha_note, "Show all")
    listing = await telegram.expect_message(carol.id)  # a message of its own
    assert "Station: Alpha · only new" in listing.text
    assert "alpha-new-1.dat" in listing.text and "alpha-new-2.dat" in listing.text
    assert "beta-new.dat" not in listing.text and "old-" not in listing.text
    assert "2 new files" in alpha_note.text and alpha_note.edits == 0  # the announcement stays


# ---- administration --------------------------------------------------------------------------


async def test_the_wizard_tests_the_connection_and_saves_the_station(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    _, root = await person(services, telegram, ADMIN, "Root", admin=True)
    put(ftp_root / "pub", "one.dat", age=DAY)
    put(ftp_root / "pub", "two.dat", age=DAY)
    async with aioftp_server(ftp_root) as server:
        await telegram.send_text(root, "/stations_admin")
        listing = await telegram.expect_message(root.id)
        assert "No stations yet" in listing.text
        await telegram.press(root, listing, "Add a station")
        assert "address" in (await telegram.expect_message(root.id)).text
        await telegram.send_text(root, "http://example.org")
        assert "ftp://host" in (await telegram.expect_message(root.id)).text  # asked again
        await telegram.send_text(root, f"ftp://127.0.0.1:{server.port}/pub")
        assert "login" in (await telegram.expect_message(root.id)).text
        await telegram.send_text(root, LOGIN)
        assert "password" in (await telegram.expect_message(root.id)).text
        secret = await telegram.send_text(root, PASSWORD)
        tls = await telegram.expect_message(root.id)
        assert "no TLS" in tls.text  # what ftp:// suggests
        await telegram.press(root, tls, "no TLS")
        naming = await telegram.expect_message(root.id)
        assert naming.button("Use 127.0.0.1")
        await telegram.send_text(root, "Kosmos <1>")
        result = await telegram.expect_message(root.id)
        await telegram.wait_until(lambda: "saved" in result.text)
        assert "entries in the root folder: 2" in result.text
        assert "Kosmos &lt;1&gt;" in result.text

        station = await Station.get(name="Kosmos <1>")
        assert (station.host, station.port, station.root) == ("127.0.0.1", server.port, "/pub")
        assert (station.login, station.tls) == (LOGIN, "none")
        assert (await services.stations.test(station.id)).entries == 2  # the password works

        await telegram.press(root, result, "Open the station")
        await telegram.wait_until(lambda: "Password: set" in result.text)
        assert f"ftp://127.0.0.1:{server.port}/pub" in result.text
    assert secret["message_id"] in deleted_ids(telegram)
    assert nowhere_in_calls(telegram, PASSWORD)


async def test_the_wizard_reports_a_refused_login_then_cancels_or_saves_anyway(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    _, root = await person(services, telegram, ADMIN, "Root", admin=True)
    wrong = "Wrong#Secret42"

    async def run_wizard(port: int) -> tuple[BotMessage, dict[str, object]]:
        await telegram.send_text(root, "/stations_admin")
        listing = await telegram.expect_message(root.id)
        await telegram.press(root, listing, "Add a station")
        await telegram.expect_message(root.id)
        await telegram.send_text(root, f"ftp://127.0.0.1:{port}")
        await telegram.expect_message(root.id)
        await telegram.send_text(root, LOGIN)
        await telegram.expect_message(root.id)
        secret = await telegram.send_text(root, wrong)
        tls = await telegram.expect_message(root.id)
        await telegram.press(root, tls, "no TLS")
        naming = await telegram.expect_message(root.id)
        await telegram.press(root, naming, "Use 127.0.0.1")
        result = await telegram.expect_message(root.id)
        await telegram.wait_until(lambda: "Could not connect" in result.text)
        return result, secret

    async with aioftp_server(ftp_root) as server:
        result, secret = await run_wizard(server.port)
        assert "refused the login" in result.text
        assert secret["message_id"] in deleted_ids(telegram)
        await telegram.press(root, result, "Cancel")
        await telegram.wait_until(lambda: result.text == "Cancelled.")
        assert await Station.all().count() == 0

        result, _secret = await run_wizard(server.port)
        await telegram.press(root, result, "Save anyway")
        await telegram.wait_until(lambda: "saved" in result.text)
        station = await Station.get(name="127.0.0.1")
        assert station.login == LOGIN
        with pytest.raises(FtpError, match="refused the login"):
            await services.stations.test(station.id)  # saved with the password given
    assert nowhere_in_calls(telegram, wrong)


async def test_cancel_and_anonymous_login_in_the_wizard(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    _, root = await person(services, telegram, ADMIN, "Root", admin=True)
    await telegram.send_text(root, "/stations_admin")
    listing = await telegram.expect_message(root.id)
    await telegram.press(root, listing, "Add a station")
    await telegram.expect_message(root.id)
    await telegram.send_text(root, "ftps://files.example.org")
    await telegram.expect_message(root.id)
    await telegram.send_text(root, "-")  # anonymous: no password asked
    tls = await telegram.expect_message(root.id)
    assert "implicit TLS" in tls.text  # what ftps:// suggests
    assert "✅ implicit" in tls.button("implicit")["text"]
    await telegram.send_text(root, "/cancel")
    assert (await telegram.expect_message(root.id)).text == "Cancelled."
    await telegram.send_text(root, "files.example.org")  # no longer read as a name
    assert "did not understand" in (await telegram.expect_message(root.id)).text

    # An address with a login and password in it: the message goes, the next step is TLS.
    await telegram.press(root, listing, "Add a station")
    await telegram.expect_message(root.id)
    secret = await telegram.send_text(root, "ftp://station:Pass%23word1@files.example.org/data")
    tls = await telegram.expect_message(root.id)
    assert "no TLS" in tls.text
    assert secret["message_id"] in deleted_ids(telegram)
    assert nowhere_in_calls(telegram, "Pass%23word1") and nowhere_in_calls(telegram, "Pass#word1")
    await telegram.send_text(root, "/cancel")
    assert (await telegram.expect_message(root.id)).text == "Cancelled."
    assert await Station.all().count() == 0


async def test_admin_polls_tests_edits_disables_and_deletes_a_station(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    _, dave = await person(services, telegram, 7204, "Dave")
    admin, root = await person(services, telegram, ADMIN, "Root", admin=True)
    put(ftp_root, "a.dat", age=DAY)
    put(ftp_root, "b.dat", age=DAY)
    async with aioftp_server(ftp_root) as server:
        station = await add_station(services, admin, server, "Alpha")
        await telegram.send_text(root, "/stations_admin")
        card = await telegram.expect_message(root.id)
        assert "🕓 <b>Alpha</b>" in card.text
        await telegram.press(root, card, "Alpha")
        await telegram.wait_until(lambda: "not polled yet" in card.text)
        assert "Password: set" in card.text and PASSWORD not in card.text

        query = await telegram.press(root, card, "Poll now")
        assert (await telegram.expect_callback_answer(query))["text"] == "Polling Alpha…"
        polled = await message_containing(telegram, root.id, "Poll of")
        assert "2 files listed, 0 new, 0 gone" in polled.text
        await telegram.wait_until(lambda: "🟢 working" in card.text)
        assert "Files available: 2" in card.text and "2 listed, 0 new, 0 gone" in card.text

        await telegram.press(root, card, "Test")
        tested = await message_containing(telegram, root.id, "Alpha")
        assert "Connected; entries in the root folder: 2" in tested.text

        # A poll already running: the button says so instead of polling again.
        lease = datetime.now(UTC) + timedelta(hours=1)
        await Station.filter(id=station.id).update(poll_lease_until=lease)
        polls = await StationPoll.filter(station_id=station.id).count()
        await telegram.press(root, card, "Poll now")
        assert "being polled right now" in (await telegram.expect_message(root.id)).text
        assert await StationPoll.filter(station_id=station.id).count() == polls
        await Station.filter(id=station.id).update(poll_lease_until=None)

        # A wrong password, set through Edit: the test and the poll say what went wrong.
        await telegram.press(root, card, "Edit")
        await telegram.wait_until(lambda: "choose what to change" in card.text)
        await telegram.press(root, card, "Password")
        assert "new password" in (await telegram.expect_message(root.id)).text
        secret = await telegram.send_text(root, "Not#The1Password")
        edited = await telegram.expect_message(root.id)
        assert "Done." in edited.text and "Password: set" in edited.text
        assert secret["message_id"] in deleted_ids(telegram)
        await telegram.press(root, edited, "Test")
        tested = await message_containing(telegram, root.id, "Alpha")
        assert "❌" in tested.text and "refused the login or password" in tested.text
        await telegram.press(root, edited, "Poll now")
        # The poll's result, and the alert to admins that the station started failing.
        got = sorted([(await telegram.expect_message(root.id)).text for _ in range(2)])
        assert got[0].startswith("Poll of <b>Alpha</b> failed") and "refused the login" in got[0]
        assert got[1].startswith("⚠️ Station <b>Alpha</b> is failing")
        await telegram.wait_until(lambda: "🔴 failing" in edited.text)
        assert "Last error:" in edited.text
        card = edited

        # Fields with text and with choices.
        await telegram.press(root, card, "Edit")
        await telegram.wait_until(lambda: "choose what to change" in card.text)
        await telegram.press(root, card, "Poll interval")
        await telegram.expect_message(root.id)
        await telegram.send_text(root, "often")
        assert "from 30 to 86400 seconds" in (await telegram.expect_message(root.id)).text
        await telegram.send_text(root, "120")
        card = await telegram.expect_message(root.id)
        assert "Poll interval: 120 s" in card.text
        await telegram.press(root, card, "Edit")
        await telegram.wait_until(lambda: "choose what to change" in card.text)
        await telegram.press(root, card, "TLS: none")
        await telegram.wait_until(lambda: "how to connect" in card.text.lower())
        await telegram.press(root, card, "explicit TLS")
        await telegram.wait_until(lambda: "TLS: explicit" in str(card.buttons))
        await telegram.press(root, card, "Verify the certificate: yes")
        await telegram.wait_until(lambda: "Verify the certificate: no" in str(card.buttons))
        await telegram.press(root, card, "Name")
        await telegram.expect_message(root.id)
        await telegram.send_text(root, "Beta & Co")
        card = await telegram.expect_message(root.id)
        assert "Beta &amp; Co" in card.text and "explicit TLS" in card.text
        stored = await Station.get(id=station.id)
        assert (stored.name, stored.tls, stored.verify_tls, stored.poll_interval) == (
            "Beta & Co",
            "explicit",
            False,
            120,
        )

        # A new address: ftp:// keeps the explicit TLS chosen above.
        await telegram.press(root, card, "Edit")
        await telegram.wait_until(lambda: "choose what to change" in card.text)
        await telegram.press(root, card, "Address")
        await telegram.expect_message(root.id)
        await telegram.send_text(root, f"ftp://127.0.0.1:{server.port}/data")
        card = await telegram.expect_message(root.id)
        assert "Root folder: /data" in card.text
        stored = await Station.get(id=station.id)
        assert (stored.root, stored.tls, stored.port) == ("/data", "explicit", server.port)

        # Disabled stations are not offered to users.
        await telegram.press(root, card, "Disable")
        await telegram.wait_until(lambda: "⏸ disabled" in card.text)
        await telegram.send_text(dave, "/stations")
        assert "no stations yet" in (await telegram.expect_message(dave.id)).text
        await telegram.press(root, card, "Enable")
        await telegram.wait_until(lambda: "⏸" not in card.text)
        await telegram.send_text(dave, "/stations")
        assert "Beta & Co" in str((await telegram.expect_message(dave.id)).buttons)

        await telegram.press(root, card, "Delete")
        await telegram.wait_until(lambda: "Delete the station" in card.text)
        query = await telegram.press(root, card, "Yes, delete")
        assert (await telegram.expect_callback_answer(query))["text"] == "Beta & Co was deleted."
        await telegram.wait_until(lambda: "No stations yet" in card.text)
        assert await Station.all().count() == 0
    assert nowhere_in_calls(telegram, PASSWORD)
    assert nowhere_in_calls(telegram, "Not#The1Password")


async def test_non_admins_cannot_use_the_station_administration(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    _, erin = await person(services, telegram, 7205, "Erin", language="ru")
    admin, root = await person(services, telegram, ADMIN, "Root", admin=True)
    async with aioftp_server(ftp_root) as server:
        station = await add_station(services, admin, server, "Alpha")
        await telegram.send_text(erin, "/stations_admin")
        assert "не понял" in (await telegram.expect_message(erin.id)).text
        await telegram.send_text(erin, "/files")
        assert "не следите" in (await telegram.expect_message(erin.id)).text

        await telegram.send_text(root, "/stations_admin")
        card = await telegram.expect_message(root.id)
        await telegram.press(root, card, "Alpha")
        await telegram.wait_until(lambda: "Poll now" in str(card.buttons))
        for button in ("Disable", "Poll now", "Delete"):
            query = await telegram.press(erin, card, button)
            answer = await telegram.expect_callback_answer(query)
            assert "не понял" in answer["text"]
        assert telegram.unread(root.id) == [] and "Delete the station" not in card.text
        stored = await Station.get(id=station.id)
        assert stored.enabled and stored.last_poll_at is None
        assert await StationPoll.all().count() == 0
