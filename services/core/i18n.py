"""The words of ftpgram in English and Russian: one gettext catalog for the bot and the web pages,
and the one translation of each error `code`.

The catalogs are `.po` sources, `locales/<language>/LC_MESSAGES/messages.po` next to this module,
one domain for everything. The msgids are the English texts (so the English catalog stays
empty); where one English text needs two translations, a context tells them apart (`C_`). The
sources are compiled when first used, in memory or into a directory the caller gives, so there
is no build step and no binary catalog in the repository.

Who reads them: the bot through aiogram's i18n (`write_catalogs` compiles them for it), the
pages through `translations` / `translate`. Both read `ERROR_TEXTS` for a service error.

Adding a text: write it in English where it is used (`_()` in the bot, `N_()` / `C_()` in a
table), then add its msgid and Russian msgstr to `locales/ru/LC_MESSAGES/messages.po`; the
tests name any text without a translation and any catalog entry nothing uses.

Standard library and babel only: no edge (aiogram, aiohttp) and no capability.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import TypeAlias

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"

Text: TypeAlias = str | tuple[str, str]
"""A msgid, or (context, msgid) where the same English text needs another translation."""


def N_(message: str) -> str:
    """Marks an English text for the catalog; it is translated where it is shown."""
    return message


def C_(context: str, message: str) -> tuple[str, str]:
    """Like `N_`, for an English text whose translation depends on where it stands."""
    return (context, message)


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def languages() -> tuple[str, ...]:
    """The languages with a catalog."""
    return tuple(
        sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    )


@cache
def compile_catalog(language: str) -> bytes:
    """The `.mo` form of one language's `.po` source (compiled once per process: the bot and
    the pages, and every bot a process builds, share it)."""
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


def write_catalogs(directory: Path) -> None:
    """Every catalog compiled into `directory/<language>/LC_MESSAGES/messages.mo`, the layout
    gettext (and aiogram's I18n) read."""
    for language in languages():
        target = directory / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(compile_catalog(language))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """One language's texts; English (the msgids themselves) for a language we do not speak."""
    if language not in languages():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_catalog(language)))


def translate(language: str, text: Text) -> str:
    catalog = translations(language)
    if isinstance(text, tuple):
        return catalog.pgettext(*text)
    return catalog.gettext(text)


# ---- error codes ----------------------------------------------------------------------------

# The `code` of a service error (services/core/errors.py and the `code=` its raisers pass) in
# plain words for a person, whichever edge shows it: the bot's error handler and the web pages
# translate these, so a code reads the same in the bot and on a page. A code without an entry
# shows the error's own (English) message. The API's JSON keeps the English `message`.
ERROR_TEXTS: dict[str, str] = {
    "internal_error": N_("Something went wrong on our side. Please try again in a minute."),
    "csrf": N_("This request came from another site and was refused."),
    "rate_limited": N_("Too many attempts. Please wait a little and try again."),
    # accounts and signing in
    "bad_credentials": N_("Wrong login or password."),
    "missing_credentials": N_("Enter your login and password."),
    "missing_who": N_("Enter your Telegram id or @username."),
    "invalid_code": N_("The code is wrong or has expired."),
    "user_unreachable": N_(
        "The bot cannot write to you: open the bot in Telegram and send /start."
    ),
    "inactive_user": N_("Your account is not active yet: an administrator has to activate it."),
    "unknown_user": N_("There is no such user. Send /start to the bot first."),
    "already_active": N_("This user is already active."),
    "self_action": N_("You cannot do that to your own account."),
    "last_admin": N_("You are the last administrator; make someone else admin first."),
    "login_taken": N_("This login is taken; choose another."),
    "invalid_input": N_("Some fields are invalid."),
    "invalid_token": N_("Your session has ended; sign in again."),
    "missing_token": N_("Please sign in."),
    "unknown_token": N_("There is no such token."),
    "admin_only": N_("Only administrators may do this."),
    "webapp_signature": N_("Telegram's sign-in data is not valid for this bot."),
    "webapp_expired": N_("Telegram's sign-in data is too old; open the app from the bot again."),
    "webapp_data": N_("Telegram's sign-in data is malformed."),
    # storage
    "quota_exceeded": N_("Not enough space in your storage."),
    "storage_full": N_("The server's disk is full; the file was not stored. Try again later."),
    "storage_failed": N_("The server could not write the file; it was not stored."),
    "file_too_large": N_("The file is too large."),
    "unknown_file": N_("There is no such file."),
    "invalid_name": N_("A file name cannot contain / or \\."),
    "unknown_link": N_("There is no such link."),
    "link_expired": N_("This link has expired."),
    "link_exhausted": N_("This link has reached its download limit."),
    # stations
    "unknown_station": N_("There is no such station, or you do not follow it."),
    "unknown_station_file": N_("There is no such file on your stations."),
    "station_file_gone": N_("The station no longer has this file."),
    "station_disabled": N_("The station is switched off."),
    "poll_running": N_("This station is being polled right now; try again in a minute."),
    "name_taken": N_("Another station already has this name."),
    "invalid_url": N_("The address must look like ftp://host[:port][/folder] or ftps://…"),
    # downloads
    "unknown_download": N_("There is no such download any more."),
    "already_downloaded": N_("This file is downloaded already; it is among your files."),
    "download_active": N_("This download has not finished; stop it first."),
    "not_active": N_("Only a queued or running download can be paused."),
    "file_not_ready": N_(
        "The file is still being written on the station; try again after the next poll."
    ),
    # passes
    "unknown_pass": N_("There is no such pass on the stations you follow."),
    "invalid_pattern": N_("This file name pattern cannot be used."),
    "unknown_pattern": N_("The station has no such pattern any more."),
    "invalid_choice": N_("This choice of satellites and instruments cannot be saved."),
    "invalid_time_zone": N_("Unknown time zone: give a name like Europe/Moscow or UTC."),
    "bad_location": N_(
        "Send latitude and longitude, then altitude and elevation mask if you like."
    ),
}

# Errors that carry their amounts, as the edges format them (sizes in the reader's units).
QUOTA_NEEDS = N_("Not enough space: this needs {needed}, {free} are free.")
TOO_LARGE = N_("The file is too large (at most {maximum}).")


def error_text(language: str, code: str, message: str) -> str:
    """A service error in `language` when its code has a text, else its own `message`."""
    known = ERROR_TEXTS.get(code)
    return translate(language, known) if known is not None else message
