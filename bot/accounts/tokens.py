"""/tokens: bot tokens for external apps (create with a label, list, revoke) and the code for
creating one on the web. Active users only (router filter)."""

from __future__ import annotations

import contextlib

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.accounts import keyboards, texts
from bot.callbacks import BotTokenAction, BotTokenCallback
from bot.common import texts as common
from bot.filters import ActiveUser
from bot.states import BotTokenForm
from services.accounts.users import UserView
from services.container import Services


async def show_tokens(message: Message, services: Services, user: UserView) -> None:
    items = await services.messaging.tokens(user.id)
    await message.answer(texts.bot_tokens(items), reply_markup=keyboards.bot_tokens(items))


async def token_action(
    query: CallbackQuery,
    callback_data: BotTokenCallback,
    services: Services,
    user: UserView,
    state: FSMContext,
    bot: Bot,
) -> None:
    action = callback_data.action
    if action is BotTokenAction.NEW:
        await state.set_state(BotTokenForm.label)
        await bot.send_message(query.from_user.id, texts.ask_token_label())
    elif action is BotTokenAction.CODE:
        # The code arrives as its own message, through the same path as sign-in codes.
        await services.messaging.request_code(user)
    elif action in (BotTokenAction.REVOKE, BotTokenAction.LIST):
        if action is BotTokenAction.REVOKE:
            await services.messaging.revoke(user.id, callback_data.token_id)
        items = await services.messaging.tokens(user.id)
        if query.message is not None and not isinstance(query.message, InaccessibleMessage):
            with contextlib.suppress(TelegramBadRequest):
                await query.message.edit_text(
                    texts.bot_tokens(items), reply_markup=keyboards.bot_tokens(items)
                )
    await query.answer(common.done() if action is BotTokenAction.REVOKE else None)


async def receive_label(
    message: Message, state: FSMContext, services: Services, user: UserView
) -> None:
    created = await services.messaging.create_token(user, message.text or "")
    await state.clear()
    await message.answer(texts.new_bot_token(created.token))
    items = await services.messaging.tokens(user.id)
    await message.answer(texts.bot_tokens(items), reply_markup=keyboards.bot_tokens(items))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(ActiveUser())
    router.callback_query.filter(ActiveUser())
    router.message.register(show_tokens, Command("tokens"))
    router.message.register(receive_label, BotTokenForm.label, F.text)
    router.callback_query.register(token_action, BotTokenCallback.filter())
    return router
