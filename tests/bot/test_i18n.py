"""Every bot text exists in Russian; the catalogs load; the language follows Telegram. The bot and
the pages share one catalog: every entry is in use, and an error code reads the same in both."""

from __future__ import annotations

from html import unescape

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.web.texts import TEXTS, texts
from bot.common import texts as bot_texts
from bot.i18n import create_i18n
from services.accounts.users import language_from_telegram
from services.core.errors import AppError, PayloadTooLarge, QuotaExceeded
from services.core.i18n import (
    ERROR_TEXTS,
    QUOTA_NEEDS,
    TOO_LARGE,
    catalog_path,
    error_text,
    languages,
)
from tests.support.paths import ROOT

BOT_DIR = ROOT / "bot"
ERROR_MSGIDS = {*ERROR_TEXTS.values(), QUOTA_NEEDS, TOO_LARGE}


def used_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(BOT_DIR), keywords={"_": None, "__": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def russian() -> Catalog:
    with catalog_path("ru").open("rb") as handle:
        return read_po(handle, locale="ru")


def test_every_text_has_a_russian_translation() -> None:
    catalog = russian()
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and m.string and not m.context
    }
    used = used_msgids()
    assert len(used) >= 8
    assert used - translated == set()
    assert ERROR_MSGIDS - translated == set()


def test_every_catalog_entry_is_in_use() -> None:
    """One source, no leftovers: each entry is a bot text, a page text or an error's text."""
    in_use: set[tuple[str | None, str]] = {(None, m) for m in used_msgids() | ERROR_MSGIDS}
    in_use |= {text if isinstance(text, tuple) else (None, text) for text in TEXTS.values()}
    entries = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in russian() if m.id}
    assert sorted(entries - in_use, key=str) == []


def test_catalogs_load_and_translate() -> None:
    assert languages() == ("en", "ru")
    i18n = create_i18n()
    assert set(i18n.available_locales) == {"en", "ru"}
    with i18n.context(), i18n.use_locale("ru"):
        assert i18n.gettext("What this bot can do") == "Что умеет этот бот"
    with i18n.context(), i18n.use_locale("en"):
        assert i18n.gettext("What this bot can do") == "What this bot can do"


@pytest.mark.parametrize("code", sorted(ERROR_TEXTS))
def test_an_error_code_reads_the_same_in_the_bot_and_on_a_page(code: str) -> None:
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("ru"):
        in_bot = unescape(bot_texts.error(AppError("Plain English.", code=code)))
    on_page = error_text("ru", code, "Plain English.")
    assert in_bot == on_page == texts("ru")[f"err_{code}"]
    assert on_page != ERROR_TEXTS[code], "translated"
    with i18n.context(), i18n.use_locale("en"):
        assert unescape(bot_texts.error(AppError("Plain English.", code=code))) == (
            error_text("en", code, "Plain English.")
        )


def test_errors_with_amounts_read_the_same_in_the_bot_and_on_a_page() -> None:
    full = QuotaExceeded("No room.")
    full.needed, full.free = 10 * 1024, 2 * 1024
    large = PayloadTooLarge("Too large.", code="file_too_large")
    large.maximum = 1024
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("ru"):
        assert bot_texts.error(full) == "Не хватает места: нужно 10.0 KiB, свободно 2.0 KiB."
        assert bot_texts.error(full) == texts("ru")["err_quota_needs"].format(
            needed="10.0 KiB", free="2.0 KiB"
        )
        assert bot_texts.error(large) == texts("ru")["err_file_too_large_max"].format(
            maximum="1.0 KiB"
        )
        # Without amounts (the internal error of a failing update too) the code's text.
        assert bot_texts.internal_error() == error_text("ru", "internal_error", "")
        assert bot_texts.not_active() == error_text("ru", "inactive_user", "")


def test_language_follows_the_telegram_language_code() -> None:
    assert language_from_telegram("ru") == "ru"
    assert language_from_telegram("ru-RU") == "ru"
    assert language_from_telegram("en-GB") == "en"
    assert language_from_telegram("de") == "en"
    assert language_from_telegram(None) == "en"
