"""The fake Bot API server behaves like Telegram where later tests rely on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from tests.support.telegram_fake import FakeTelegram


@pytest.fixture
async def bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url))
    client = Bot(telegram.token, session=session)
    yield client
    await session.close()


async def test_retry_after_and_blocked_user_switches(telegram: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramForbiddenError, match="initiate conversation"):
        await bot.send_message(1, "hello")
    for chat in (1, 2, 10):
        telegram.open_chat(chat)
    telegram.fail_next("sendMessage", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(1, "hello")
    assert caught.value.retry_after == 7
    assert (await bot.send_message(1, "hello")).text == "hello"

    telegram.block(2)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(2, "hello")


async def test_limits_and_html_like_telegram(telegram: FakeTelegram, bot: Bot) -> None:
    telegram.open_chat(1)
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(1, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="parse entities"):
        await bot.send_message(1, "a < b", parse_mode="HTML")
    assert (await bot.send_message(1, "<b>a &lt; b</b>", parse_mode="HTML")).message_id
    too_big = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="y" * 65)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "buttons", reply_markup=too_big)


async def test_edits_buttons_documents_and_files(telegram: FakeTelegram, bot: Bot) -> None:
    telegram.open_chat(10)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Pause ⏸", callback_data="d:p:1")]]
    )
    sent = await bot.send_message(10, "50%", reply_markup=markup)
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text(
            "50%", chat_id=10, message_id=sent.message_id, reply_markup=markup
        )
    await bot.edit_message_text("75%", chat_id=10, message_id=sent.message_id, reply_markup=markup)
    message = await telegram.expect_message(10)
    assert (message.text, message.edits) == ("75%", 1)
    assert message.button("Pause")["callback_data"] == "d:p:1"

    document = await bot.send_document(10, BufferedInputFile(b"payload", filename="a.bin"))
    assert document.document is not None
    file = await bot.get_file(document.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"payload"

    assert await bot.delete_message(10, sent.message_id)
    assert telegram.messages[(10, sent.message_id)].deleted


async def test_a_wrong_token_is_unauthorized(telegram: FakeTelegram) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url))
    stranger = Bot("999:WRONG", session=session)
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await session.close()


async def test_enforced_limits_answer_429(telegram: FakeTelegram, bot: Bot) -> None:
    telegram.enforce_limits(per_second=3, chat_interval=1.0)
    for chat in (1, 2, 3, 4):
        telegram.open_chat(chat)
    await bot.send_message(1, "first")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(1, "too soon for this chat")
    await bot.send_message(2, "second")
    await bot.send_message(3, "third")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(4, "fourth within the same second")
    assert telegram.flood_answers == 2
