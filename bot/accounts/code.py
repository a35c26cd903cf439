"""/code: a one-time code for the web pages and the API."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.common import texts as common
from services.accounts.users import UserView
from services.container import Services


async def send_code(message: Message, services: Services, user: UserView | None) -> None:
    if user is None:
        await message.answer(common.not_registered())
        return
    if not user.is_active:
        await message.answer(common.not_active())
        return
    # The code arrives as its own message through the notifier, the same path the API uses.
    await services.codes.request(user)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(send_code, Command("code"))
    return router
