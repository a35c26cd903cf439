"""Every text a page or a page script asks for exists in English and Russian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.web.texts import TEXTS, error_text, texts
from services.downloads.service import STATUSES
from services.storage.files import MEDIA_TYPES

WEB = Path(__file__).resolve().parent.parent / "api" / "web"


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
    assert sorted(keys - set(TEXTS)) == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_text_is_translated(language: str) -> None:
    words = texts(language)
    assert all(words.values())
    # Placeholders match across the languages.
    for key, (english, russian) in TEXTS.items():
        assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", russian)), key
    assert len(set(texts("ru").values()) - set(texts("en").values())) > 200


def test_unknown_error_codes_keep_the_apis_message() -> None:
    assert error_text("ru", "bad_credentials", "Wrong login or password.") == (
        "Неверный логин или пароль."
    )
    assert error_text("ru", "something_new", "Plain English.") == "Plain English."
    assert texts("de") == texts("en")
