"""The bot's command menu, per language and role."""

from __future__ import annotations

from aiogram.types import BotCommand, MenuButtonWebApp, WebAppInfo
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __

from services.accounts.users import SUPPORTED_LANGUAGES

# (command, description); descriptions are translated when the menu is built.
USER_COMMANDS = [
    ("start", __("Register or see where you stand")),
    ("code", __("A one-time code for the web and the API")),
    ("stations", __("Choose the stations you follow")),
    ("station_files", __("Files on your stations")),
    ("downloads", __("Your downloads from the stations")),
    ("passes", __("Satellite passes over your stations")),
    ("next", __("The next passes over your stations")),
    ("announce", __("Which passes to announce to you")),
    ("timezone", __("The time zone of the times shown")),
    ("myfiles", __("Your stored files")),
    ("stats", __("How your storage is used")),
    ("account", __("Your account and API tokens")),
    ("tokens", __("Bot tokens for apps that message you")),
    ("help", __("What this bot can do")),
    ("cancel", __("Stop the current form")),
]
ADMIN_COMMANDS = [
    ("admin", __("Users and their activation")),
    ("stations_admin", __("Stations: add, check, poll, edit")),
    ("pattern", __("File name patterns of a station")),
]


def commands_for(i18n: I18n, language: str, *, is_admin: bool = False) -> list[BotCommand]:
    entries = USER_COMMANDS + (ADMIN_COMMANDS if is_admin else [])
    with i18n.context(), i18n.use_locale(language):
        return [BotCommand(command=name, description=str(text)) for name, text in entries]


def menu_languages() -> tuple[str, ...]:
    return SUPPORTED_LANGUAGES


MINI_APP_PATH = "/app"


def menu_button(public_url: str) -> MenuButtonWebApp | None:
    """The menu button that opens the web pages as a Telegram Mini App; None unless PUBLIC_URL
    is https (Telegram opens Mini Apps over https only)."""
    if not public_url.startswith("https://"):
        return None
    url = public_url.rstrip("/") + MINI_APP_PATH
    return MenuButtonWebApp(text="ftpgram", web_app=WebAppInfo(url=url))
