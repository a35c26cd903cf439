"""Inline keyboards: pure functions from data to markup."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    NOTICE_PAGE,
    AccountAction,
    AccountCallback,
    BotTokenAction,
    BotTokenCallback,
    FileAction,
    FileCallback,
    StationFilesCallback,
    UserAdminAction,
    UserAdminCallback,
)
from bot.texts import media_label
from services.auth import TokenView
from services.files import FilePage, FileView
from services.messaging import BotTokenView
from services.users import UserPage, UserView


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


def _file(
    action: FileAction, file_id: int = 0, page: int = 1, media: str = "", days: int = 0
) -> FileCallback:
    return FileCallback(action=action, file_id=file_id, page=page, media=media, days=days)


def file_list(page: FilePage) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=f"{file.name}"[:60],
                callback_data=_file(FileAction.OPEN, file.id, page.page).pack(),
            )
        ]
        for file in page.items
    ]
    pages = max(1, -(-page.total // page.per_page))
    navigation = []
    if page.page > 1:
        navigation.append(
            InlineKeyboardButton(
                text="◀", callback_data=_file(FileAction.LIST, page=page.page - 1).pack()
            )
        )
    if page.page < pages:
        navigation.append(
            InlineKeyboardButton(
                text="▶", callback_data=_file(FileAction.LIST, page=page.page + 1).pack()
            )
        )
    if navigation:
        rows.append(navigation)
    if page.total:
        rows.append(
            [
                InlineKeyboardButton(
                    text="🧹 " + _("Delete many"), callback_data=_file(FileAction.BULK).pack()
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def file_card(file: FileView, page: int, *, has_link: bool) -> InlineKeyboardMarkup:
    def button(text: str, action: FileAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=_file(action, file.id, page).pack())

    link_row = (
        [
            button("🔄 " + _("New link"), FileAction.NEW_LINK),
            button("⛔ " + _("Revoke link"), FileAction.REVOKE_LINK),
        ]
        if has_link
        else [button("🔗 " + _("Share link"), FileAction.LINK)]
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button("📤 " + _("Send here"), FileAction.SEND)],
            link_row,
            [
                button("✏️ " + _("Rename"), FileAction.RENAME),
                button("💬 " + _("Comment"), FileAction.COMMENT),
            ],
            [button("🗑 " + _("Delete"), FileAction.DELETE)],
            [
                InlineKeyboardButton(
                    text="« " + _("Back to the list"),
                    callback_data=_file(FileAction.LIST, page=page).pack(),
                )
            ],
        ]
    )


def confirm_file_delete(file: FileView, page: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Yes, delete"),
                    callback_data=_file(FileAction.CONFIRM_DELETE, file.id, page).pack(),
                ),
                InlineKeyboardButton(
                    text=_("No"), callback_data=_file(FileAction.OPEN, file.id, page).pack()
                ),
            ]
        ]
    )


BULK_MEDIA = ("image", "video", "audio", "document", "archive", "other")
BULK_AGES = (7, 30, 90)


def bulk_menu() -> InlineKeyboardMarkup:
    media_rows = [
        [
            InlineKeyboardButton(
                text=media_label(media),
                callback_data=_file(FileAction.BULK_ASK, media=media).pack(),
            )
            for media in BULK_MEDIA[i : i + 3]
        ]
        for i in range(0, len(BULK_MEDIA), 3)
    ]
    age_row = [
        InlineKeyboardButton(
            text=_("Older than {days} days").format(days=days),
            callback_data=_file(FileAction.BULK_ASK, days=days).pack(),
        )
        for days in BULK_AGES
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *media_rows,
            age_row,
            [
                InlineKeyboardButton(
                    text="« " + _("Back to the list"), callback_data=_file(FileAction.LIST).pack()
                )
            ],
        ]
    )


def bulk_confirm(media: str, days: int, count: int) -> InlineKeyboardMarkup:
    rows = []
    if count:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Yes, delete"),
                    callback_data=_file(FileAction.BULK_CONFIRM, media=media, days=days).pack(),
                )
            ]
        )
    rows.append([InlineKeyboardButton(text=_("No"), callback_data=_file(FileAction.BULK).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


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


def station_announcement(station_id: int) -> InlineKeyboardMarkup:
    data = StationFilesCallback(station_id=station_id, new=True)
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("Show all"), callback_data=data.pack())]]
    )
