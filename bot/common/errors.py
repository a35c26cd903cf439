"""Maps errors from any handler to a plain sentence; no traceback ever reaches a user."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ErrorEvent

from bot.common import texts
from services.core.errors import AppError

log = logging.getLogger(__name__)


async def handle_error(event: ErrorEvent) -> None:
    error = event.exception
    if isinstance(error, AppError):
        text = texts.error(error)
    else:
        log.error("Update %s failed", event.update.update_id, exc_info=error)
        text = texts.internal_error()
    update = event.update
    if update.message is not None:
        await update.message.answer(text)
    elif update.callback_query is not None:
        query = update.callback_query
        try:
            await query.answer(text[:200], show_alert=True)
        except TelegramBadRequest:
            # Answered already: slow work (a station poll) answers first, then runs.
            if query.bot is not None:
                await query.bot.send_message(query.from_user.id, text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(handle_error)
    return router
