"""Every text a page or a page script asks for exists in English and Russian (in the gettext
catalog the bot shares), and an error code reads on a page as it does in the bot."""

from __future__ import annotations

import re
from html import unescape

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from babel.messages.pofile import read_po

from api.web.texts import ERROR_DETAILS, TEXTS, texts
from bot.common import texts as bot_texts
from bot.i18n import create_i18n
from services.core.errors import NotFound
from services.core.i18n import ERROR_TEXTS, catalog_path, error_text
from services.downloads.views import STATUSES
from services.storage.files import MEDIA_TYPES
from tests.support.paths import ROOT

WEB = ROOT / "api" / "web"


def used_keys() -> set[str]:
    keys: set[str] = set()
    for template in (WEB / "templates").glob("*.html"):
        keys |= set(re.findall(r"\bt\.([a-z0-9_]+)", template.read_text()))
    for script in (WEB / "static").glob("*.js"):
        source = script.read_text()
        keys |= set(re.findall(r"\bt\(\"([a-z0-9_]+)\"", source))
        keys |= set(re.findall(r"setLive\(\"([a-z0-9_]+)\"", source))
    for module in WEB.glob("*.py"):
        keys |= set(re.findall(r"words\[\"([a-z0-9_]+)\"\]", module.read_text()))
    # Keys built from a value: t("type_" + kind) and the like.
    keys -= {"dl_", "err_", "health_", "state_", "status_dl_", "tls_", "type_"}
    keys |= {f"type_{kind}" for kind in MEDIA_TYPES}
    keys |= {f"status_dl_{status}" for status in STATUSES}
    keys |= {f"dl_{action}" for action in ("pause", "start", "down", "remove")}
    keys |= {f"health_{health}" for health in ("ok", "failing", "waiting", "disabled")}
    keys |= {f"state_{state}" for state in ("active", "pending", "rejected")}
    keys |= {f"tls_{tls}" for tls in ("none", "explicit", "implicit")}
    return keys


def test_every_text_in_use_exists() -> None:
    keys = used_keys()
    assert len(keys) > 150
    assert sorted(keys - set(texts("en"))) == []


def test_every_page_text_is_in_the_russian_catalog() -> None:
    with catalog_path("ru").open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    translated = {(m.context, m.id) for m in catalog if m.id and m.string}
    wanted = [*TEXTS.values(), *ERROR_TEXTS.values(), *ERROR_DETAILS.values()]
    missing = [t for t in wanted if (t if isinstance(t, tuple) else (None, t)) not in translated]
    assert missing == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_text_is_translated(language: str) -> None:
    words = texts(language)
    assert all(words.values())
    # Placeholders match across the languages.
    for key, english in texts("en").items():
        russian = texts("ru")[key]
        assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", russian)), key
    assert len(set(texts("ru").values()) - set(texts("en").values())) > 200


def test_unknown_error_codes_keep_the_apis_message() -> None:
    assert error_text("ru", "bad_credentials", "Wrong login or password.") == (
        "Неверный логин или пароль."
    )
    assert error_text("ru", "something_new", "Plain English.") == "Plain English."
    assert texts("de") == texts("en")


async def test_an_error_code_reads_on_a_page_as_in_the_bot(
    client: TestClient[web.Request, web.Application],
) -> None:
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("ru"):
        in_bot = unescape(bot_texts.error(NotFound("No such user.", code="unknown_user")))
    response = await client.post(
        "/login/code",
        data={"who": "@nobody_at_all"},
        headers={"Accept": "text/html", "Accept-Language": "ru"},
    )
    assert response.status == 404
    assert in_bot.startswith("Такого пользователя нет")
    assert in_bot in unescape(await response.text())
