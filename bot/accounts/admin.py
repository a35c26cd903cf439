"""/admin: the user list and the decisions about users. Administrators only (router filter)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.accounts import keyboards, texts
from bot.callbacks import NOTICE_PAGE, UserAdminAction, UserAdminCallback
from bot.common import texts as common
from bot.filters import AdminUser
from services.accounts.users import UserView
from services.container import Services

PER_PAGE = 8


async def list_users(message: Message, services: Services) -> None:
    page = await services.users.list_users(page=1, per_page=PER_PAGE)
    await message.answer(texts.user_list(page), reply_markup=keyboards.user_list(page))


async def _show_list(query: CallbackQuery, services: Services, page_number: int) -> None:
    page = await services.users.list_users(page=page_number, per_page=PER_PAGE)
    await _edit(query, texts.user_list(page), keyboards.user_list(page))


async def _show_user(query: CallbackQuery, services: Services, user_id: int, page: int) -> None:
    target = await services.users.get(user_id)
    await _edit(
        query,
        texts.user_card(target, services.users.quota_of(target)),
        keyboards.user_card(target, page),
    )


async def _edit(query: CallbackQuery, text: str, markup: object) -> None:
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        return
    await message.edit_text(text, reply_markup=markup)  # type: ignore[arg-type]


async def act_on_user(
    query: CallbackQuery, callback_data: UserAdminCallback, services: Services, user: UserView
) -> None:
    action, target_id, page = callback_data.action, callback_data.user_id, callback_data.page
    users = services.users
    # Page 0 marks the buttons of a new-user notice, which the service rewrites for every admin.
    from_notice = page == NOTICE_PAGE
    if action is UserAdminAction.LIST:
        await _show_list(query, services, page)
    elif action is UserAdminAction.OPEN:
        await _show_user(query, services, target_id, page)
    elif action is UserAdminAction.ACTIVATE:
        await users.set_active([target_id], True, actor=user)
    elif action is UserAdminAction.REJECT:
        await users.reject(target_id, actor=user)
    elif action is UserAdminAction.DEACTIVATE:
        await users.set_active([target_id], False, actor=user)
    elif action in (UserAdminAction.MAKE_ADMIN, UserAdminAction.UNMAKE_ADMIN):
        await users.set_admin(target_id, action is UserAdminAction.MAKE_ADMIN, actor=user)
    elif action is UserAdminAction.DELETE:
        target = await users.get(target_id)
        await _edit(
            query, texts.confirm_delete_user(target), keyboards.confirm_user_delete(target, page)
        )
    elif action is UserAdminAction.CONFIRM_DELETE:
        target = await users.get(target_id)
        await users.delete(target_id, actor=user)
        await query.answer(texts.user_deleted(target.display_name))
        await _show_list(query, services, page)
        return
    if (
        action
        in (
            UserAdminAction.ACTIVATE,
            UserAdminAction.REJECT,
            UserAdminAction.DEACTIVATE,
            UserAdminAction.MAKE_ADMIN,
            UserAdminAction.UNMAKE_ADMIN,
        )
        and not from_notice
    ):
        await _show_user(query, services, target_id, page)
    await query.answer(
        common.done()
        if action not in (UserAdminAction.LIST, UserAdminAction.OPEN, UserAdminAction.DELETE)
        else None
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(AdminUser())
    router.callback_query.filter(AdminUser())
    router.message.register(list_users, Command("admin"))
    router.callback_query.register(act_on_user, UserAdminCallback.filter())
    return router
