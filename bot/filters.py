"""Access rules, used as router-level filters."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from services.accounts.users import UserView


class ActiveUser(Filter):
    """The sender is a registered, active user."""

    async def __call__(self, event: TelegramObject, user: UserView | None = None) -> bool:
        return user is not None and user.is_active


class AdminUser(Filter):
    """The sender is an active administrator."""

    async def __call__(self, event: TelegramObject, user: UserView | None = None) -> bool:
        return user is not None and user.is_active and user.is_admin
