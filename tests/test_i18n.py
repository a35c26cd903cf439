"""Every bot text exists in Russian; the catalogs load; the language follows Telegram."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, create_i18n
from services.accounts.users import language_from_telegram

BOT_DIR = Path(__file__).resolve().parent.parent / "bot"


def used_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(BOT_DIR), keywords={"_": None, "__": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_text_has_a_russian_translation() -> None:
    with (LOCALES_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    translated = {m.id for m in catalog if m.id and m.string}
    used = used_msgids()
    assert len(used) >= 8
    assert used - translated == set()


def test_catalogs_load_and_translate() -> None:
    i18n = create_i18n()
    assert set(i18n.available_locales) == {"en", "ru"}
    with i18n.context(), i18n.use_locale("ru"):
        assert i18n.gettext("What this bot can do") == "Что умеет этот бот"
    with i18n.context(), i18n.use_locale("en"):
        assert i18n.gettext("What this bot can do") == "What this bot can do"


def test_language_follows_the_telegram_language_code() -> None:
    assert language_from_telegram("ru") == "ru"
    assert language_from_telegram("ru-RU") == "ru"
    assert language_from_telegram("en-GB") == "en"
    assert language_from_telegram("de") == "en"
    assert language_from_telegram(None) == "en"
