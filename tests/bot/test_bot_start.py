"""/start through the real aiogram bot polling the fake Telegram server."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ftpgram.app import Application
from services.core.models import User
from services.core.settings import Settings
from tests.support.telegram_fake import FakeTelegram


async def test_start_registers_a_pending_user_and_answers_in_english(
    application: Application, telegram: FakeTelegram
) -> None:
    alice = telegram.user(1001, "Alice", username="alice", language_code="en-US")
    await telegram.send_text(alice, "/start")
    reply = await telegram.expect_message(alice.id)

    assert "Alice" in reply.text
    assert "activate" in reply.text
    user = await User.get(telegram_id=1001)
    assert (user.is_active, user.is_admin, user.language) == (False, False, "en")
    assert (user.full_name, user.telegram_username) == ("Alice", "alice")
    assert user.last_seen_at is not None


async def test_start_answers_in_russian_for_a_russian_telegram(
    application: Application, telegram: FakeTelegram
) -> None:
    boris = telegram.user(1002, "Борис", language_code="ru")
    await telegram.send_text(boris, "/start")
    reply = await telegram.expect_message(boris.id)

    assert "Здравствуйте, Борис" in reply.text
    assert "администратор" in reply.text
    assert (await User.get(telegram_id=1002)).language == "ru"


async def test_start_twice_keeps_one_user_and_says_still_waiting(
    application: Application, telegram: FakeTelegram
) -> None:
    carol = telegram.user(1003, "Carol")
    await telegram.send_text(carol, "/start")
    await telegram.expect_message(carol.id)
    await telegram.send_text(carol, "/start")
    second = await telegram.expect_message(carol.id)

    assert "waiting" in second.text
    assert await User.filter(telegram_id=1003).count() == 1


async def test_configured_admin_is_active_admin_from_the_first_start(
    application: Application, telegram: FakeTelegram
) -> None:
    admin = telegram.user(900001, "Root", language_code="en")
    await telegram.send_text(admin, "/start")
    reply = await telegram.expect_message(admin.id)

    assert "administrator" in reply.text
    user = await User.get(telegram_id=900001)
    assert user.is_admin and user.is_active


async def test_command_menu_is_set_in_both_languages_and_per_chat(
    application: Application, telegram: FakeTelegram
) -> None:
    menu = [
        "start",
        "code",
        "stations",
        "station_files",
        "downloads",
        "passes",
        "next",
        "announce",
        "timezone",
        "myfiles",
        "stats",
        "account",
        "tokens",
        "help",
        "cancel",
    ]
    assert telegram.commands_for() == menu
    russian = telegram.commands[('{"type": "default"}', "ru")]
    assert russian[0]["description"] == "Регистрация и статус учётной записи"

    dave = telegram.user(1004, "Dave", language_code="ru")
    await telegram.send_text(dave, "/start")
    await telegram.expect_message(dave.id)
    key = (f'{{"chat_id": {dave.id}, "type": "chat"}}', "")
    await telegram.wait_until(lambda: key in telegram.commands)
    chat_menu = telegram.commands[key]
    assert [c["command"] for c in chat_menu] == menu
    assert chat_menu[menu.index("help")]["description"] == "Что умеет этот бот"


async def test_names_with_markup_are_escaped(
    application: Application, telegram: FakeTelegram
) -> None:
    # The fake server rejects malformed HTML as Telegram does, so an unescaped name would fail.
    eve = telegram.user(1005, "<b>Eve & co")
    await telegram.send_text(eve, "/start")
    reply = await telegram.expect_message(eve.id)
    assert "&lt;b&gt;Eve &amp; co" in reply.text


async def test_unknown_text_gets_a_plain_answer(
    application: Application, telegram: FakeTelegram
) -> None:
    frank = telegram.user(1006, "Frank")
    await telegram.send_text(frank, "hello?")
    reply = await telegram.expect_message(frank.id)
    assert reply.text == "You are not registered yet. Send /start first."

    await telegram.send_text(frank, "/start")
    await telegram.expect_message(frank.id)
    await telegram.send_text(frank, "/nonsense")
    reply = await telegram.expect_message(frank.id)
    assert "/help" in reply.text


async def test_help_lists_commands(application: Application, telegram: FakeTelegram) -> None:
    gina = telegram.user(1007, "Gina", language_code="ru")
    await telegram.send_text(gina, "/help")
    reply = await telegram.expect_message(gina.id)
    assert "/start" in reply.text and "станций" in reply.text


async def test_leftover_webhook_is_deleted_before_polling(
    application: Application, telegram: FakeTelegram
) -> None:
    await telegram.wait_until(lambda: any(name == "getUpdates" for name, _ in telegram.calls))
    methods = [name for name, _ in telegram.calls]
    assert "deleteWebhook" in methods
    assert methods.index("deleteWebhook") < methods.index("getUpdates")


async def test_polling_survives_telegram_being_down_at_start(
    settings: Settings, telegram: FakeTelegram
) -> None:
    # getMe fails at start and again inside aiogram's polling, which would end it for good.
    telegram.fail_next("getMe", code=502, times=2)
    app = Application(settings)
    try:
        await app.start()
        user = telegram.user(1101, "Patient")
        await telegram.send_text(user, "/start")
        reply = await telegram.expect_message(user.id, timeout=15)
        assert "Patient" in reply.text
    finally:
        await app.stop()
    assert [name for name, _ in telegram.calls].count("getMe") >= 3


async def test_stop_right_after_start_does_not_hang(settings: Settings) -> None:
    app = Application(settings)
    await app.start()
    await asyncio.wait_for(app.stop(), 15)


async def test_a_stop_lets_an_update_in_hand_finish(
    settings: Settings, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """SIGTERM right after /start was answered: the handler still sets the chat's menu on a slow
    link, instead of failing on the bot's closed session."""
    app = Application(settings)
    await app.start()
    try:
        telegram.slow_down("setMyCommands", 1.0)
        user = telegram.user(1102, "Late")
        await telegram.send_text(user, "/start")
        await telegram.expect_message(user.id)
    finally:
        await app.stop()
    assert (f'{{"chat_id": {user.id}, "type": "chat"}}', "") in telegram.commands
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
