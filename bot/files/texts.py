"""Texts of stored files: a file sent to the bot, /myfiles and a file's card, bulk deletion,
/stats."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.common import texts as common
from services.accounts.users import Usage
from services.storage.files import FilePage, FileView, MediaStats

MEDIA_ICONS = {
    "image": "🖼",
    "video": "🎬",
    "audio": "🎵",
    "document": "📄",
    "archive": "🗜",
    "other": "📦",
}


def media_label(media_type: str) -> str:
    labels = {
        "image": _("images"),
        "video": _("videos"),
        "audio": _("audio"),
        "document": _("documents"),
        "archive": _("archives"),
        "other": _("other files"),
    }
    icon = MEDIA_ICONS.get(media_type, "📦")
    return f"{icon} {labels.get(media_type, media_type)}"


def file_saved(file: FileView, *, created: bool) -> str:
    if not created:
        return _("You already have this file: {name}. /myfiles").format(name=escape(file.name))
    return _("Saved: {name} ({size}). /myfiles").format(
        name=escape(file.name), size=common.size_label(file.size)
    )


def file_too_big_for_bot(limit: int) -> str:
    return _(
        "This file is larger than the bot may download ({limit}). Upload it on the web pages "
        "instead."
    ).format(limit=common.size_label(limit))


def file_list(page: FilePage) -> str:
    if page.total == 0:
        return _("You have no files yet. Send me a document, photo, video or audio to store it.")
    pages = max(1, -(-page.total // page.per_page))
    lines = [
        "<b>"
        + _("Your files: {total} (page {page} of {pages})").format(
            total=page.total, page=page.page, pages=pages
        )
        + "</b>"
    ]
    start = (page.page - 1) * page.per_page
    for number, file in enumerate(page.items, start + 1):
        lines.append(
            f"{number}. {escape(file.name)} — {common.size_label(file.size)} — "
            f"{file.created_at:%Y-%m-%d}"
        )
    return "\n".join(lines)


def file_card(file: FileView, link: str | None = None) -> str:
    rows = [
        f"<b>{escape(file.name)}</b>",
        _("Size: {value}").format(value=common.size_label(file.size)),
        _("Type: {value}").format(value=media_label(file.media_type)),
        _("Stored: {value}").format(value=common.when(file.created_at)),
        _("Last downloaded: {value}").format(value=common.when(file.last_download_at)),
    ]
    if file.comment:
        rows.append(_("Comment: {value}").format(value=escape(file.comment)))
    if link:
        rows.append(_("Link: {value}").format(value=escape(link)))
    elif file.shared:
        rows.append(_("Shared by link"))
    return "\n".join(rows)


def ask_new_name() -> str:
    return _("Send the new name. /cancel keeps the old one.")


def ask_comment() -> str:
    return _("Send the comment (a single - removes it). /cancel stops.")


def confirm_delete_file(file: FileView) -> str:
    return _("Delete {name}?").format(name=escape(file.name))


def file_deleted(name: str) -> str:
    return _("{name} was deleted.").format(name=escape(name))


def file_by_link(file: FileView, link: str, limit: int) -> str:
    return _("{name} is larger than the bot may send ({limit}); download it here:\n{link}").format(
        name=escape(file.name), limit=common.size_label(limit), link=escape(link)
    )


def bulk_menu() -> str:
    return _("Delete many files at once: choose what to delete. I will count them first.")


def bulk_confirm(count: int, size: int) -> str:
    if count == 0:
        return _("No files match.")
    return _("Delete {count} files ({size})? This cannot be undone.").format(
        count=count, size=common.size_label(size)
    )


def bulk_done(count: int) -> str:
    return _("Deleted files: {count}.").format(count=count)


def stats(items: list[MediaStats], usage: Usage) -> str:
    lines = ["<b>" + _("Your storage") + "</b>"]
    for item in items:
        lines.append(
            f"{media_label(item.media_type)}: {item.count} — {common.size_label(item.bytes)}"
        )
    if not items:
        lines.append(_("No files yet."))
    lines.append(
        _("Used {used} of {quota}; {free} free.").format(
            used=common.size_label(usage.used),
            quota=common.size_label(usage.quota),
            free=common.size_label(usage.free),
        )
    )
    return "\n".join(lines)
