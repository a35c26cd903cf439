"""Maps errors from any handler to a plain sentence; no traceback ever reaches a user."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

from bot import texts
from services.errors import AppError

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
        await update.callback_query.answer(text[:200], show_alert=True)


def create_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(handle_error)
    return router
