"""Inline keyboards of stored files: /myfiles, a file's card, bulk deletion."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import FileAction, FileCallback
from bot.files.texts import media_label
from services.storage.files import FilePage, FileView


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
