"""The last router: whatever nobody else handled gets a plain answer."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.common import texts
from services.accounts.users import UserView


async def unknown_message(message: Message, user: UserView | None) -> None:
    await message.answer(texts.unknown_input() if user else texts.not_registered())


async def stale_button(query: CallbackQuery) -> None:
    await query.answer(texts.unknown_input())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_message)
    router.callback_query.register(stale_button)
    return router
