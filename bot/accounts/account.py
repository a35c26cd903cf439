"""/account: what we know about you, your API tokens, a login and password, deleting yourself.
Registered users only (router filter)."""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)

from bot.accounts import keyboards, texts
from bot.callbacks import AccountAction, AccountCallback
from bot.common import texts as common
from bot.states import CredentialsForm
from services.accounts.passwords import login_problem, password_problem
from services.accounts.users import UserView
from services.container import Services
from services.core.errors import Conflict


class Registered(Filter):
    async def __call__(self, event: TelegramObject, user: UserView | None = None) -> bool:
        return user is not None


async def show_account(message: Message, services: Services, user: UserView) -> None:
    await message.answer(
        texts.account(user, services.users.quota_of(user)), reply_markup=keyboards.account()
    )


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await query.message.edit_text(text, reply_markup=markup)


async def account_action(
    query: CallbackQuery,
    callback_data: AccountCallback,
    services: Services,
    user: UserView,
    state: FSMContext,
) -> None:
    action = callback_data.action
    note: str | None = None
    if action is AccountAction.SHOW:
        await _edit(query, texts.account(user, services.users.quota_of(user)), keyboards.account())
    elif action is AccountAction.TOKENS:
        items = await services.auth.tokens(user.id)
        await _edit(query, texts.tokens(items), keyboards.tokens(items))
    elif action is AccountAction.REVOKE:
        await services.auth.revoke(user.id, callback_data.token_id)
        items = await services.auth.tokens(user.id)
        await _edit(query, texts.tokens(items), keyboards.tokens(items))
        note = texts.revoked(1)
    elif action is AccountAction.REVOKE_ALL:
        await _edit(
            query,
            texts.confirm_revoke_all(),
            keyboards.confirm_account(AccountAction.CONFIRM_REVOKE_ALL),
        )
    elif action is AccountAction.CONFIRM_REVOKE_ALL:
        count = await services.auth.revoke_all(user.id)
        await _edit(query, texts.tokens([]), keyboards.tokens([]))
        note = texts.revoked(count)
    elif action is AccountAction.CREDENTIALS:
        await state.set_state(CredentialsForm.login)
        if query.message is not None:
            await query.bot.send_message(query.from_user.id, texts.ask_login())  # type: ignore[union-attr]
    elif action is AccountAction.DELETE:
        await _edit(
            query,
            texts.confirm_delete_account(),
            keyboards.confirm_account(AccountAction.CONFIRM_DELETE),
        )
    elif action is AccountAction.CONFIRM_DELETE:
        await services.users.delete(user.id, actor=user)
        await state.clear()
        await _edit(query, texts.account_deleted(), None)
    await query.answer(note)


async def receive_login(message: Message, state: FSMContext) -> None:
    login = (message.text or "").strip()
    if login_problem(login) is not None:
        await message.answer(texts.ask_login())
        return
    await state.update_data(login=login)
    await state.set_state(CredentialsForm.password)
    await message.answer(texts.ask_password())


async def receive_password(
    message: Message, state: FSMContext, services: Services, user: UserView
) -> None:
    password = message.text or ""
    # The password must not stay in the chat history.
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()
    if password_problem(password) is not None:
        await message.answer(texts.ask_password())
        return
    login = str((await state.get_data())["login"])
    try:
        await services.accounts.set_credentials(user.id, login=login, password=password)
    except Conflict as taken:
        await state.set_state(CredentialsForm.login)
        await message.answer(common.error(taken) + "\n" + texts.ask_login())
        return
    await state.clear()
    await message.answer(texts.credentials_saved(login))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(Registered())
    router.callback_query.filter(Registered())
    router.message.register(show_account, Command("account"))
    router.message.register(receive_login, CredentialsForm.login)
    router.message.register(receive_password, CredentialsForm.password)
    router.callback_query.register(account_action, AccountCallback.filter())
    return router
