"""Inline keyboards of downloads: the buttons under /downloads."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import DownloadAction, DownloadCallback
from bot.common.keyboards import buttons
from services.downloads.views import ACTIVE, FINISHED, HOLDING, STARTABLE, DownloadPage


def downloads(page: DownloadPage) -> InlineKeyboardMarkup:
    """Per download, the actions its state allows (numbered as in the text); then the pages and
    a refresh."""

    def data(action: DownloadAction, download_id: int = 0, number: int = 0) -> DownloadCallback:
        return DownloadCallback(action=action, download_id=download_id, page=number or page.page)

    rows = []
    start = (page.page - 1) * page.per_page
    for number, item in enumerate(page.items, start + 1):
        actions = []
        if item.status in ACTIVE:
            actions.append((f"⏸ {number}", data(DownloadAction.PAUSE, item.id)))
        if item.status in STARTABLE:
            actions.append((f"▶ {number}", data(DownloadAction.START, item.id)))
        if item.status in HOLDING:
            actions.append((f"⏹ {number}", data(DownloadAction.DOWN, item.id)))
        if item.status in FINISHED:
            actions.append((f"🗑 {number}", data(DownloadAction.REMOVE, item.id)))
        if actions:
            rows.append(buttons(*actions))
    pages = max(1, -(-page.total // page.per_page))
    navigation = []
    if page.page > 1:
        navigation.append(("◀", data(DownloadAction.LIST, number=page.page - 1)))
    navigation.append(("🔄 " + _("Refresh"), data(DownloadAction.LIST)))
    if page.page < pages:
        navigation.append(("▶", data(DownloadAction.LIST, number=page.page + 1)))
    rows.append(buttons(*navigation))
    return InlineKeyboardMarkup(inline_keyboard=rows)
