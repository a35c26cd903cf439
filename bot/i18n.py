"""Bot texts in English and Russian through aiogram's i18n.

The `.po` files are the source; they are compiled at start, so there is no build step and no
binary catalog in the repository.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.accounts.users import SUPPORTED_LANGUAGES, UserView, language_from_telegram

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


def create_i18n() -> I18n:
    """aiogram's I18n loaded from the `.po` sources, compiled into a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="ftpgram-locales-") as scratch:
        for po_path in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
            language = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            mo_path = Path(scratch, language, "LC_MESSAGES", f"{DOMAIN}.mo")
            mo_path.parent.mkdir(parents=True)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog)
        # I18n reads every catalog into memory here; the scratch directory can go.
        return I18n(path=scratch, default_locale="en", domain=DOMAIN)


class UserLocaleMiddleware(I18nMiddleware):
    """The registered user's language, else the one of their Telegram interface."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user: UserView | None = data.get("user")
        if user is not None and user.language in SUPPORTED_LANGUAGES:
            return user.language
        telegram_user: User | None = data.get("event_from_user")
        return language_from_telegram(telegram_user.language_code if telegram_user else None)
