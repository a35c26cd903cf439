"""The fake Bot API server delivers updates to a webhook like Telegram: in order, with the secret
header, again after a failure, over https trusting a given CA."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import trustme
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from tests.support.net import free_port
from tests.support.telegram_fake import FakeTelegram

SECRET = "webhook-secret"


@dataclass
class Receiver:
    """A webhook endpoint that answers the statuses in `answers` first, then 200."""

    answers: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        return web.json_response({}, status=self.answers.pop(0) if self.answers else 200)


@asynccontextmanager
async def serving(
    receiver: Receiver, port: int = 0, tls: ssl.SSLContext | None = None
) -> AsyncIterator[int]:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port, ssl_context=tls).start()
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()


@pytest.fixture
async def bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url))
    client = Bot(telegram.token, session=session)
    yield client
    await session.close()


async def test_updates_are_posted_in_order_with_the_secret(
    telegram: FakeTelegram, bot: Bot
) -> None:
    receiver = Receiver()
    alice = telegram.user(1, "Alice")
    early = await telegram.send_text(alice, "before the webhook")
    async with serving(receiver) as port:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=SECRET)
        for n in range(5):
            await telegram.send_text(alice, f"message {n}")
        await telegram.wait_delivered()
    texts = [update["message"]["text"] for update in receiver.received]
    assert texts == ["before the webhook"] + [f"message {n}" for n in range(5)]
    assert receiver.secrets == [SECRET] * 6
    assert receiver.received[0]["message"] == early
    assert all(telegram.webhook_deliveries(u["update_id"]) == 1 for u in receiver.received)
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_a_refused_or_unreachable_webhook_gets_the_update_again(
    telegram: FakeTelegram, bot: Bot
) -> None:
    receiver = Receiver(answers=[500, 503])
    port = free_port()
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=SECRET)
    update = await telegram.send_text(telegram.user(2, "Bob"), "/start")
    await telegram.wait_until(lambda: len(telegram.webhook_posts) >= 2)
    assert all(post.error and post.status is None for post in telegram.webhook_posts)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message

    async with serving(receiver, port):
        await telegram.wait_delivered()
    statuses = [post.status for post in telegram.webhook_posts if post.status is not None]
    assert statuses == [500, 503, 200]
    assert [u["message"] for u in receiver.received] == [update] * 3
    (update_id,) = {u["update_id"] for u in receiver.received}
    assert telegram.webhook_deliveries(update_id) == 1


async def test_https_webhook_trusting_a_given_ca(telegram: FakeTelegram, bot: Bot) -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    receiver = Receiver()
    async with serving(receiver, tls=server_tls) as port:
        await bot.set_webhook(f"https://127.0.0.1:{port}/hook")
        await telegram.send_text(telegram.user(3, "Carol"), "/start")
        # Not trusted yet: the certificate is refused and the update waits.
        await telegram.wait_until(lambda: bool(telegram.webhook_posts))
        assert "certificate" in str(telegram.webhook_posts[0].error).lower()
        assert receiver.received == []

        client_tls = ssl.create_default_context()
        ca.configure_trust(client_tls)
        telegram.webhook_ssl = client_tls
        await telegram.wait_delivered()
    assert [u["message"]["text"] for u in receiver.received] == ["/start"]
    assert receiver.secrets == [None]


async def test_delete_webhook_returns_pending_updates_to_get_updates(
    telegram: FakeTelegram, bot: Bot
) -> None:
    await bot.set_webhook(f"http://127.0.0.1:{free_port()}/hook")
    await telegram.send_text(telegram.user(4, "Dan"), "kept")
    await telegram.wait_until(lambda: bool(telegram.webhook_posts))
    await bot.delete_webhook()
    updates = await asyncio.wait_for(bot.get_updates(timeout=0), 5)
    assert [u.message.text for u in updates if u.message] == ["kept"]
