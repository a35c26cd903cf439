"""Inline keyboards of accounts: a new user's notice and /admin, /account, /tokens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    NOTICE_PAGE,
    AccountAction,
    AccountCallback,
    BotTokenAction,
    BotTokenCallback,
    UserAdminAction,
    UserAdminCallback,
)
from services.accounts.auth import TokenView
from services.accounts.users import UserPage, UserView
from services.messaging.service import BotTokenView


def _button(text: str, data: UserAdminCallback | AccountCallback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _admin(action: UserAdminAction, user_id: int = 0, page: int = 1) -> UserAdminCallback:
    return UserAdminCallback(action=action, user_id=user_id, page=page)


def new_user_decision(user: UserView) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    "✅ " + _("Activate"), _admin(UserAdminAction.ACTIVATE, user.id, NOTICE_PAGE)
                ),
                _button("❌ " + _("Reject"), _admin(UserAdminAction.REJECT, user.id, NOTICE_PAGE)),
            ]
        ]
    )


def user_list(page: UserPage) -> InlineKeyboardMarkup:
    rows = []
    for user in page.items:
        mark = "🟢" if user.is_active else ("⛔" if user.rejected else "🕓")
        rows.append(
            [
                _button(
                    f"{mark} {user.display_name}"[:60],
                    _admin(UserAdminAction.OPEN, user.id, page.page),
                )
            ]
        )
    navigation = []
    if page.page > 1:
        navigation.append(_button("◀", _admin(UserAdminAction.LIST, page=page.page - 1)))
    if page.page < page.pages:
        navigation.append(_button("▶", _admin(UserAdminAction.LIST, page=page.page + 1)))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def user_card(user: UserView, page: int) -> InlineKeyboardMarkup:
    rows = []
    if user.is_active:
        rows.append([_button(_("Deactivate"), _admin(UserAdminAction.DEACTIVATE, user.id, page))])
        if user.is_admin:
            rows.append(
                [
                    _button(
                        _("Remove admin rights"),
                        _admin(UserAdminAction.UNMAKE_ADMIN, user.id, page),
                    )
                ]
            )
        else:
            rows.append(
                [_button(_("Make admin"), _admin(UserAdminAction.MAKE_ADMIN, user.id, page))]
            )
    else:
        row = [_button("✅ " + _("Activate"), _admin(UserAdminAction.ACTIVATE, user.id, page))]
        if not user.rejected:
            row.append(_button("❌ " + _("Reject"), _admin(UserAdminAction.REJECT, user.id, page)))
        rows.append(row)
    rows.append([_button("🗑 " + _("Delete"), _admin(UserAdminAction.DELETE, user.id, page))])
    rows.append([_button("« " + _("Back to the list"), _admin(UserAdminAction.LIST, page=page))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_user_delete(user: UserView, page: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("Yes, delete"), _admin(UserAdminAction.CONFIRM_DELETE, user.id, page)),
                _button(_("No"), _admin(UserAdminAction.OPEN, user.id, page)),
            ]
        ]
    )


def _account(action: AccountAction, token_id: int = 0) -> AccountCallback:
    return AccountCallback(action=action, token_id=token_id)


def account() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button("🔑 " + _("API tokens"), _account(AccountAction.TOKENS))],
            [_button(_("Set login and password"), _account(AccountAction.CREDENTIALS))],
            [_button("🗑 " + _("Delete my account"), _account(AccountAction.DELETE))],
        ]
    )


def tokens(items: list[TokenView]) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                "✖ " + (token.label or _("(no label)"))[:40] + f" #{token.id}",
                _account(AccountAction.REVOKE, token.id),
            )
        ]
        for token in items
    ]
    if items:
        rows.append([_button(_("Revoke all"), _account(AccountAction.REVOKE_ALL))])
    rows.append([_button("« " + _("Back"), _account(AccountAction.SHOW))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_account(action: AccountAction) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("Yes"), _account(action)),
                _button(_("No"), _account(AccountAction.SHOW)),
            ]
        ]
    )


# ---- /tokens: bot tokens -------------------------------------------------------------------------


def bot_tokens(items: list[BotTokenView]) -> InlineKeyboardMarkup:
    def data(action: BotTokenAction, token_id: int = 0) -> str:
        return BotTokenCallback(action=action, token_id=token_id).pack()

    rows = [
        [
            InlineKeyboardButton(
                text="✖ " + (token.label or _("(no label)"))[:40] + f" #{token.id}",
                callback_data=data(BotTokenAction.REVOKE, token.id),
            )
        ]
        for token in items
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text="➕ " + _("New token"), callback_data=data(BotTokenAction.NEW)
            ),
            InlineKeyboardButton(
                text="🔢 " + _("Code for the web"), callback_data=data(BotTokenAction.CODE)
            ),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
