"""The bot side of `services.ports.Notifier`: notices rendered in the recipient's language."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter
from aiogram.utils.i18n import I18n

from bot import keyboards, texts
from services.users import UserView

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_RETRY_WAIT = 30


class BotNotifier:
    def __init__(self, bot: Bot, i18n: I18n) -> None:
        self.bot = bot
        self.i18n = i18n

    async def _deliver(self, call: Callable[[], Awaitable[T]], chat_id: int) -> T | None:
        """One Bot API call; waits out one flood limit, never raises into the service."""
        for attempt in range(2):
            try:
                return await call()
            except TelegramRetryAfter as exc:
                if attempt or exc.retry_after > MAX_RETRY_WAIT:
                    log.warning("Telegram flood limit for chat %s: %s", chat_id, exc)
                    return None
                await asyncio.sleep(exc.retry_after)
            except TelegramForbiddenError:
                log.info("Chat %s blocked the bot; notice not delivered", chat_id)
                return None
            except TelegramAPIError as exc:
                log.warning("Notice to chat %s failed: %s", chat_id, exc)
                return None
        return None

    async def send_login_code(self, user: UserView, code: str, minutes: int) -> None:
        assert user.telegram_id is not None
        chat = user.telegram_id
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text = texts.login_code(code, minutes)
        await self._deliver(lambda: self.bot.send_message(chat, text, protect_content=True), chat)

    async def announce_new_user(self, admin: UserView, user: UserView) -> int | None:
        assert admin.telegram_id is not None
        chat = admin.telegram_id
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = texts.new_user_notice(user)
            markup = keyboards.new_user_decision(user)
        sent = await self._deliver(
            lambda: self.bot.send_message(chat, text, reply_markup=markup), chat
        )
        return sent.message_id if sent is not None else None

    async def update_new_user_notice(
        self, admin: UserView, message_id: int, user: UserView, actor: UserView | None
    ) -> None:
        assert admin.telegram_id is not None
        chat = admin.telegram_id
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = texts.decided_notice(user, actor)
        await self._deliver(
            lambda: self.bot.edit_message_text(text, chat_id=chat, message_id=message_id), chat
        )

    async def account_changed(self, user: UserView) -> None:
        assert user.telegram_id is not None
        chat = user.telegram_id
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text = texts.account_changed(user)
        await self._deliver(lambda: self.bot.send_message(chat, text), chat)
