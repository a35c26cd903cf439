"""Bot texts in English and Russian through aiogram's i18n.

The catalogs are shared with the web pages (services/core/i18n.py); their `.po` sources are
compiled at start into a scratch directory for aiogram, so there is no build step and no binary
catalog in the repository.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware

from services.accounts.users import SUPPORTED_LANGUAGES, UserView, language_from_telegram
from services.core.i18n import DEFAULT_LANGUAGE, DOMAIN, write_catalogs


def create_i18n() -> I18n:
    """aiogram's I18n loaded from the shared `.po` sources, compiled into a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="ftpgram-locales-") as scratch:
        write_catalogs(Path(scratch))
        # I18n reads every catalog into memory here; the scratch directory can go.
        return I18n(path=scratch, default_locale=DEFAULT_LANGUAGE, domain=DOMAIN)


class UserLocaleMiddleware(I18nMiddleware):
    """The registered user's language, else the one of their Telegram interface."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user: UserView | None = data.get("user")
        if user is not None and user.language in SUPPORTED_LANGUAGES:
            return user.language
        telegram_user: User | None = data.get("event_from_user")
        return language_from_telegram(telegram_user.language_code if telegram_user else None)
