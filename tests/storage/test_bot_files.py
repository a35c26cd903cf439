"""Files in the bot: storing what users send, /myfiles, share links, bulk deletion, /stats."""

from __future__ import annotations

import aiohttp

from bot.files.telegram_files import download_limit, send_limit
from ftpgram.app import Application
from services.core.models import ShareLink, StoredFile, User
from services.core.settings import Settings, load_settings
from tests.support.telegram_fake import FakeTelegram, TgUser


async def active_user(telegram: FakeTelegram, user_id: int, language: str = "en") -> TgUser:
    user = telegram.user(user_id, "Filer", language_code=language)
    await telegram.send_text(user, "/start")
    await telegram.expect_message(user_id)
    await User.filter(telegram_id=user_id).update(is_active=True)
    return user


def test_bot_api_limits_follow_the_server(tmp_path: object) -> None:
    public = load_settings(_env_file=None, data_dir=tmp_path)
    own = load_settings(_env_file=None, data_dir=tmp_path, telegram_api_url="http://127.0.0.1:8081")
    assert (download_limit(public), send_limit(public)) == (20_000_000, 50_000_000)
    assert (download_limit(own), send_limit(own)) == (2_000_000_000, 2_000_000_000)


async def test_files_sent_to_the_bot_are_stored(
    application: Application, telegram: FakeTelegram
) -> None:
    user = await active_user(telegram, 4101)
    await telegram.send_document(user, "Снимок 01.hrpt", b"pass bytes" * 100)
    reply = await telegram.expect_message(user.id)
    assert reply.text.startswith("Saved: Снимок 01.hrpt")
    stored = await StoredFile.get(name="Снимок 01.hrpt")
    assert (stored.source, stored.size) == ("bot", 1000)
    await telegram.send_document(user, "again.hrpt", b"pass bytes" * 100)
    assert "already have" in (await telegram.expect_message(user.id)).text
    await telegram.send_document(user, "", b"\xff\xd8\xff\xe0" + b"0" * 200, kind="photo")
    assert "photo_" in (await telegram.expect_message(user.id)).text
    await telegram.send_document(user, "big.bin", b"x", declared_size=3_000_000_000)
    assert "larger than the bot may download" in (await telegram.expect_message(user.id)).text


async def test_quota_message_in_the_users_language(
    application: Application, telegram: FakeTelegram
) -> None:
    user = await active_user(telegram, 4102, language="ru")
    await User.filter(telegram_id=4102).update(storage_quota=10)
    await telegram.send_document(user, "a.bin", b"0123456789abc")
    reply = await telegram.expect_message(user.id)
    assert "Не хватает места" in reply.text and "10 B" in reply.text


async def test_pending_users_cannot_store(application: Application, telegram: FakeTelegram) -> None:
    user = telegram.user(4103, "Pending")
    await telegram.send_text(user, "/start")
    await telegram.expect_message(user.id)
    await telegram.send_document(user, "a.bin", b"data")
    assert "did not understand" in (await telegram.expect_message(user.id)).text
    assert await StoredFile.all().count() == 0


async def test_my_files_card_send_share_rename_delete(
    application: Application, telegram: FakeTelegram, settings: Settings
) -> None:
    user = await active_user(telegram, 4104)
    await telegram.send_document(user, "report.txt", b"report body")
    await telegram.expect_message(user.id)
    await telegram.send_text(user, "/myfiles")
    listing = await telegram.expect_message(user.id)
    assert "Your files: 1" in listing.text and "report.txt" in listing.text

    await telegram.press(user, listing, "report.txt")
    await telegram.wait_until(lambda: "Size:" in listing.text)
    await telegram.press(user, listing, "Send here")
    sent = await telegram.expect_message(user.id)
    assert sent.raw["document"]["file_name"] == "report.txt"
    assert telegram.files[sent.raw["document"]["file_id"]] == b"report body"

    await telegram.press(user, listing, "Share link")
    await telegram.wait_until(lambda: "/s/" in listing.text)
    url = listing.text.split("Link: ")[1].split()[0]
    port = application.port
    async with aiohttp.ClientSession() as http:
        local = url.replace(settings.base_url, f"http://127.0.0.1:{port}")
        async with http.get(local) as response:
            assert response.status == 200 and await response.read() == b"report body"
    await telegram.press(user, listing, "Revoke link")
    await telegram.wait_until(lambda: "/s/" not in listing.text)
    assert await ShareLink.all().count() == 0

    await telegram.press(user, listing, "Rename")
    assert "new name" in (await telegram.expect_message(user.id)).text
    await telegram.send_text(user, "2026/final report.txt")
    assert "cannot contain /" in (await telegram.expect_message(user.id)).text
    await telegram.send_text(user, "final report.txt")  # still asked for the name
    assert "final report.txt" in (await telegram.expect_message(user.id)).text
    await telegram.press(user, listing, "Comment")
    await telegram.expect_message(user.id)
    await telegram.send_text(user, "for the archive <b>")
    assert "for the archive &lt;b&gt;" in (await telegram.expect_message(user.id)).text

    await telegram.press(user, listing, "Delete")
    await telegram.wait_until(lambda: "Delete final report.txt?" in listing.text)
    query = await telegram.press(user, listing, "Yes, delete")
    assert "deleted" in (await telegram.expect_callback_answer(query))["text"]
    await telegram.wait_until(lambda: "no files yet" in listing.text)
    assert await StoredFile.all().count() == 0


async def test_bulk_delete_and_stats(application: Application, telegram: FakeTelegram) -> None:
    user = await active_user(telegram, 4105)
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 50
    for name, content in [("a.png", png), ("b.txt", b"text one"), ("c.txt", b"text two")]:
        await telegram.send_document(user, name, content)
        await telegram.expect_message(user.id)
    await telegram.send_text(user, "/stats")
    stats = await telegram.expect_message(user.id)
    assert "images: 1" in stats.text and "documents: 2" in stats.text

    await telegram.send_text(user, "/myfiles")
    listing = await telegram.expect_message(user.id)
    await telegram.press(user, listing, "Delete many")
    await telegram.wait_until(lambda: "count them first" in listing.text)
    await telegram.press(user, listing, "documents")
    await telegram.wait_until(lambda: "Delete 2 files" in listing.text)
    query = await telegram.press(user, listing, "Yes, delete")
    assert (await telegram.expect_callback_answer(query))["text"] == "Deleted files: 2."
    assert [f.name for f in await StoredFile.all()] == ["a.png"]
    await telegram.wait_until(lambda: "Your files: 1" in listing.text)
    await telegram.press(user, listing, "Delete many")
    await telegram.wait_until(lambda: "count them first" in listing.text)
    await telegram.press(user, listing, "Older than 7 days")
    await telegram.wait_until(lambda: "No files match" in listing.text)
