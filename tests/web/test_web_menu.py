"""The bot's menu button opens the web pages as a Telegram Mini App, when PUBLIC_URL is https."""

from __future__ import annotations

import json

from aiogram.types import MenuButtonWebApp

from bot.commands import menu_button
from ftpgram.app import Application
from services.core.settings import Settings
from tests.support.telegram_fake import FakeTelegram


def test_the_menu_button_needs_https() -> None:
    button = menu_button("https://files.example.org/ftpgram/")
    assert isinstance(button, MenuButtonWebApp)
    assert button.web_app.url == "https://files.example.org/ftpgram/app"
    assert menu_button("http://127.0.0.1:8080") is None


async def test_the_service_sets_the_menu_button_at_start(
    settings: Settings, telegram: FakeTelegram
) -> None:
    public = settings.model_copy(update={"public_url": "https://files.example.org"})
    application = Application(public)
    try:
        await application.start()
    finally:
        await application.stop()
    calls = [params for method, params in telegram.calls if method == "setChatMenuButton"]
    assert len(calls) == 1
    button = calls[0]["menu_button"]
    if isinstance(button, str):
        button = json.loads(button)
    assert button["type"] == "web_app"
    assert button["web_app"]["url"] == "https://files.example.org/app"
    assert "chat_id" not in calls[0]  # every private chat's default


async def test_no_menu_button_over_plain_http(
    application: Application, telegram: FakeTelegram
) -> None:
    assert application.settings.base_url.startswith("http://")
    assert "setChatMenuButton" not in [method for method, _ in telegram.calls]
