"""Update middlewares: who is writing, the log context for everything that follows, and the
updates still being handled (a stop waits for them)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from services.accounts.audit import TELEGRAM, set_origin
from services.container import Services
from services.core.logs import bind_log_context


class UserMiddleware(BaseMiddleware):
    """Puts the registered user (or None) into handler data as `user`."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        services: Services = data["services"]
        telegram_user: User | None = data.get("event_from_user")
        user = None
        if telegram_user is not None and not telegram_user.is_bot:
            user = await services.users.seen_telegram(telegram_user.id)
        data["user"] = user
        set_origin(TELEGRAM)
        if user is not None:
            bind_log_context(user_id=user.id)
        return await handler(event, data)


class UpdatesInFlight(BaseMiddleware):
    """Counts the updates being handled. aiogram hands each update to a task of its own and does
    not wait for them when polling stops; the application waits here before it closes the bot's
    session, so a handler half-way through (an answer sent, the chat's menu not yet) finishes
    instead of failing on a closed connection."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._running += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def wait_idle(self, seconds: float) -> bool:
        """Wait at most `seconds` for every update in hand to be handled; True when none is."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True
