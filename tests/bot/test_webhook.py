"""Webhook mode: the webhook is registered with a secret, and only Telegram's calls get in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.factory import webhook_secret, webhook_target
from ftpgram.app import Application
from services.core.settings import Settings, load_settings
from tests.support.telegram_fake import FakeTelegram


@pytest.fixture
async def webhook_app(settings: Settings) -> AsyncIterator[Application]:
    settings.webhook_url = "https://bot.example.org/telegram/hook-path"
    app = Application(settings)
    try:
        await app.start()
        yield app
    finally:
        await app.stop()


def start_update(update_id: int, user_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "text": "/start",
            "chat": {"id": user_id, "type": "private", "first_name": "Hook"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Hook", "language_code": "en"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_receives_updates_with_the_secret_only(
    webhook_app: Application, telegram: FakeTelegram, settings: Settings
) -> None:
    assert telegram.webhook == {
        "url": "https://bot.example.org/telegram/hook-path",
        "secret_token": webhook_secret(settings),
    }
    assert not any(name == "getUpdates" for name, _ in telegram.calls)
    assert settings.webhook_url is not None
    url = f"http://127.0.0.1:{webhook_app.port}{urlsplit(settings.webhook_url).path}"
    telegram.open_chat(5151)
    async with aiohttp.ClientSession() as http:
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        async with http.post(url, json=start_update(1, 5151), headers=wrong) as response:
            assert response.status == 401
        right = {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(settings)}
        async with http.post(url, json=start_update(2, 5151), headers=right) as response:
            assert response.status == 200
    reply = await telegram.expect_message(5151)
    assert "Hook" in reply.text
    assert len(telegram.sent_to(5151)) == 1


def test_a_webhook_url_without_a_path_gets_the_default_one(tmp_path: Path) -> None:
    settings = load_settings(
        _env_file=None, data_dir=tmp_path, webhook_url="https://bot.example.org/"
    )
    assert webhook_target(settings) == (
        "https://bot.example.org/telegram/webhook",
        "/telegram/webhook",
    )
