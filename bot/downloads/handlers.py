"""Downloads in the bot: ⬇ beside a file of /station_files downloads it; /downloads lists your
downloads with pause, start, stop (⏹) and remove, and stays current as the chat's live downloads
message (`bot.downloads.boards`). Active users only (router filter)."""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.callbacks import DownloadAction, DownloadCallback, DownloadRequestCallback
from bot.common import texts as common
from bot.downloads import texts
from bot.downloads.boards import digest, downloads_page, render
from bot.filters import ActiveUser
from services.accounts.users import UserView
from services.container import Services
from services.core.errors import AppError


async def request_download(
    query: CallbackQuery,
    callback_data: DownloadRequestCallback,
    services: Services,
    user: UserView,
) -> None:
    download, created = await services.downloads.request(user, callback_data.station_file_id)
    await query.answer(texts.download_requested(download, created=created))


async def list_downloads(message: Message, services: Services, user: UserView) -> None:
    listing = await downloads_page(services, user, 1)
    text, markup = render(listing)
    sent = await message.answer(text, reply_markup=markup)
    await services.boards.set_board(user.id, sent.message_id, listing.page, digest(text, markup))


async def _act(
    services: Services, user: UserView, action: DownloadAction, download_id: int
) -> str | None:
    """Do what a button asks; the answer to show."""
    downloads = services.downloads
    if action is DownloadAction.PAUSE:
        return texts.download_paused(await downloads.pause(user, download_id))
    if action is DownloadAction.START:
        return texts.download_started(await downloads.start(user, download_id))
    if action is DownloadAction.DOWN:
        return texts.download_stopped(await downloads.down(user, download_id))
    if action is DownloadAction.REMOVE:
        download = await downloads.get(user, download_id)
        await downloads.remove(user, download_id)
        return texts.download_removed(download)
    return None


async def download_action(
    query: CallbackQuery, callback_data: DownloadCallback, services: Services, user: UserView
) -> None:
    try:
        note = await _act(services, user, callback_data.action, callback_data.download_id)
        alert = False
    except AppError as error:
        # The list may be out of date (another device, the worker): say why, show it as it is.
        note, alert = common.error(error), True
    listing = await downloads_page(services, user, callback_data.page)
    text, markup = render(listing)
    message = query.message
    if message is not None and not isinstance(message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await message.edit_text(text, reply_markup=markup)
        await services.boards.set_board(
            user.id, message.message_id, listing.page, digest(text, markup)
        )
    await query.answer(note and note[:200], show_alert=alert)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(ActiveUser())
    router.callback_query.filter(ActiveUser())
    router.message.register(list_downloads, Command("downloads"))
    router.callback_query.register(request_download, DownloadRequestCallback.filter())
    router.callback_query.register(download_action, DownloadCallback.filter())
    return router
