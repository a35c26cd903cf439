"""The live downloads message: the page of `/downloads` a chat saw last, kept current while its
downloads move.

`/downloads` (and every button under it) registers its message as the chat's board through
`DownloadBoardService.set_board`. `DownloadBoards` looks for boards due when the event bus says
downloads changed (at most every `Timing.live_look`), and every `Timing.live_edit` seconds without
an event (`boards_due` hands each board to one process, at most every `live_edit` seconds per
chat, and only while something moves or changed since the board was shown), renders the page in
the owner's language and edits the message only when what it would show differs from what it
shows. Telegram's flood answers postpone the next look; a message that is gone or can no longer
be edited is let go.
Finished and failed downloads are told by their own messages (`bot.notifier`), not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.downloads import keyboards, texts
from services.accounts.users import UserView
from services.container import Services
from services.core.errors import NotFound
from services.core.events import Topic, signal, wait
from services.downloads.views import Board, DownloadFilter, DownloadPage

log = logging.getLogger(__name__)

PER_PAGE = 5
# Telegram's ways of saying that a message cannot be edited any more.
GONE = ("not found", "can't be edited", "MESSAGE_ID_INVALID")


async def downloads_page(services: Services, user: UserView, page: int) -> DownloadPage:
    """A page of the user's downloads, newest first; the last page when `page` is past it."""
    downloads = services.downloads
    listing = await downloads.list_downloads(
        user, DownloadFilter(), page=max(1, page), per_page=PER_PAGE
    )
    last = max(1, -(-listing.total // PER_PAGE))
    if listing.page > last:  # the list got shorter meanwhile
        listing = await downloads.list_downloads(
            user, DownloadFilter(), page=last, per_page=PER_PAGE
        )
    return listing


def render(listing: DownloadPage) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of a page, in the current locale."""
    return texts.download_list(listing), keyboards.downloads(listing)


def digest(text: str, markup: InlineKeyboardMarkup) -> str:
    """What a message shows, in 64 characters: equal digests, nothing to edit."""
    shown = text + "\n" + markup.model_dump_json(exclude_none=True)
    return hashlib.sha256(shown.encode()).hexdigest()


class DownloadBoards:
    """Keeps every chat's live downloads message current; `start()` and `stop()` it with the
    application."""

    def __init__(
        self,
        bot: Bot,
        services: Services,
        i18n: I18n,
    ) -> None:
        self.bot = bot
        self.services = services
        self.i18n = i18n
        # The least time between two edits of one chat's board, and between two looks.
        self.interval = services.timing.live_edit
        self.tick = services.timing.live_look
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="download-boards")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        """Look when downloads change (the event bus), at most every `tick`; without events,
        every `interval` (a change made by another process, a board waiting for its turn)."""
        with signal(self.services.bus, Topic.DOWNLOADS) as changed:
            while True:
                changed.clear()
                try:
                    await self.refresh()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("Could not look for live downloads messages; trying again")
                await asyncio.sleep(self.tick)
                if not changed.is_set():
                    await wait(changed, self.interval)

    async def refresh(self) -> None:
        """One look: update every board due now."""
        for board in await self.services.boards.boards_due(self.interval):
            try:
                await self._show(board)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Could not update the live downloads message %s", board.id)

    async def _show(self, board: Board) -> None:
        boards = self.services.boards
        try:
            user = await self.services.users.get(board.user_id)
        except NotFound:
            await boards.drop_board(board.id)
            return
        if user.telegram_id is None or not user.is_active:
            await boards.drop_board(board.id)
            return
        listing = await downloads_page(self.services, user, board.page)
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text, markup = render(listing)
        shown = digest(text, markup)
        if shown != board.digest:
            try:
                await self.bot.edit_message_text(
                    text=text,
                    chat_id=user.telegram_id,
                    message_id=board.message_id,
                    reply_markup=markup,
                )
            except TelegramRetryAfter as error:
                await boards.board_later(board.id, error.retry_after)
                return
            except (TelegramForbiddenError, TelegramNotFound):
                await boards.drop_board(board.id)  # blocked, or the chat is gone
                return
            except TelegramBadRequest as error:
                if any(sign in error.message for sign in GONE):
                    await boards.drop_board(board.id)
                    return
                if "not modified" not in error.message:
                    # Sending the same again would fail the same way: wait for a change.
                    log.warning("Telegram refused the live downloads message: %s", error.message)
            except (TelegramNetworkError, TelegramServerError) as error:
                log.warning("Could not update a live downloads message: %s", error)
                return  # looked at again after `interval`
        await boards.board_shown(board.id, shown, as_of=board.claimed_at)
