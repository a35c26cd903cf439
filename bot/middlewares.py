"""Update middlewares: who is writing, and the log context for everything that follows."""

from __future__ import annotations

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
