"""/start registers the Telegram user; /help says what the bot does; /cancel leaves any form."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import BotCommandScopeChat, Message
from aiogram.utils.i18n import I18n

from bot.accounts import texts
from bot.commands import commands_for
from bot.common import texts as common
from services.accounts.users import UserView
from services.container import Services

log = logging.getLogger(__name__)


async def start(message: Message, services: Services, bot: Bot, i18n: I18n) -> None:
    sender = message.from_user
    if sender is None:
        return
    registration = await services.users.register_telegram(
        sender.id,
        full_name=sender.full_name,
        username=sender.username,
        language_code=sender.language_code,
    )
    user = registration.user
    if registration.created:
        log.info("New Telegram user registered", extra={"user_id": user.id})
    with i18n.use_locale(user.language):
        await message.answer(texts.welcome(user, created=registration.created))
        await bot.set_my_commands(
            commands_for(i18n, user.language, is_admin=user.is_admin),
            scope=BotCommandScopeChat(chat_id=message.chat.id),
        )


async def show_help(message: Message, user: UserView | None) -> None:
    await message.answer(texts.help_text(user))


async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(texts.nothing_to_cancel())
        return
    await state.clear()
    await message.answer(common.cancelled())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    router.message.register(show_help, Command("help"))
    router.message.register(cancel, Command("cancel"))
    return router
