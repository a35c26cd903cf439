"""Building the bot and dispatcher, the command menu, the webhook route, and the bot probe."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.types import BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from redis.asyncio import Redis

from bot.commands import commands_for, menu_languages
from bot.i18n import UserLocaleMiddleware, create_i18n
from bot.middlewares import UpdatesInFlight, UserMiddleware
from bot.routers import get_routers
from services.container import Services
from services.core.settings import Settings

log = logging.getLogger(__name__)


def create_bot(settings: Settings) -> Bot:
    assert settings.bot_token is not None
    server = TelegramAPIServer.from_base(
        settings.telegram_api_url, is_local=settings.telegram_api_local
    )
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=AiohttpSession(api=server),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


IN_FLIGHT = "updates_in_flight"  # the dispatcher's `UpdatesInFlight`


def create_dispatcher(
    services: Services, i18n: I18n | None = None, *, redis: Redis | None = None
) -> Dispatcher:
    """With `redis` (several processes), conversation state lives there and one chat's updates
    are handled one at a time across processes; otherwise both stay in this process."""
    i18n = i18n or create_i18n()
    if redis is None:
        dispatcher = Dispatcher(services=services, i18n=i18n)
    else:
        dispatcher = Dispatcher(
            storage=RedisStorage(redis, key_builder=DefaultKeyBuilder(prefix="ftpgram:fsm")),
            events_isolation=RedisEventIsolation(
                redis, key_builder=DefaultKeyBuilder(prefix="ftpgram:chat")
            ),
            services=services,
            i18n=i18n,
        )
    dispatcher[IN_FLIGHT] = in_flight = UpdatesInFlight()
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(UserMiddleware())
    UserLocaleMiddleware(i18n).setup(dispatcher)
    dispatcher.include_routers(*get_routers())
    return dispatcher


async def set_default_commands(bot: Bot, i18n: I18n) -> None:
    """The menu everyone sees before /start, in each language we speak."""
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(commands_for(i18n, i18n.default_locale), scope=scope)
    for language in menu_languages():
        if language != i18n.default_locale:
            await bot.set_my_commands(
                commands_for(i18n, language), scope=scope, language_code=language
            )


def webhook_secret(settings: Settings) -> str:
    """Derived from SECRET_KEY, so every process of a deployment agrees on it."""
    return hmac.new(settings.secret, b"telegram-webhook", hashlib.sha256).hexdigest()


DEFAULT_WEBHOOK_PATH = "/telegram/webhook"


def webhook_target(settings: Settings) -> tuple[str, str]:
    """(URL for Telegram, path served here): WEBHOOK_URL, with a default path if it has none."""
    assert settings.webhook_url is not None
    parts = urlsplit(settings.webhook_url)
    path = parts.path.rstrip("/") or DEFAULT_WEBHOOK_PATH
    return parts._replace(path=path).geturl(), path


def add_webhook_route(
    app: web.Application,
    dispatcher: Dispatcher,
    bot: Bot,
    settings: Settings,
    *,
    redis: Redis | None = None,
) -> str:
    """Serve Telegram's webhook calls at the path of WEBHOOK_URL; returns that path.

    With `redis` (several processes behind a load balancer) an update is answered only once it
    has been handled, so Telegram sends again an update whose process died meanwhile, and a
    ledger of update ids in Redis makes sure an update sent again is handled once."""
    _, path = webhook_target(settings)
    secret = webhook_secret(settings)
    if redis is None:
        SimpleRequestHandler(dispatcher, bot, secret_token=secret).register(app, path=path)
        return path
    handler = SimpleRequestHandler(dispatcher, bot, secret_token=secret, handle_in_background=False)
    ledger = UpdateLedger(redis)

    async def receive(request: web.Request) -> web.StreamResponse:
        if not handler.verify_secret(
            request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), bot
        ):
            return web.Response(body="Unauthorized", status=401)
        try:
            update_id = int((await request.json())["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(body="Bad Request", status=400)
        return await ledger.handle(update_id, lambda: handler.handle(request))

    app.router.add_post(path, receive)
    return path


class UpdateLedger:
    """Each update handled once across processes. While one process handles an update, its id
    is marked for `HANDLING` seconds (a process that died mid-way lets the mark run out, and
    Telegram's next try is handled); once handled, for a day. A second delivery meanwhile gets
    503 (Telegram tries again later) or, once handled, 200 without being handled again."""

    HANDLING = 60
    HANDLED = 86400

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def handle(
        self, update_id: int, run: Callable[[], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        key = f"ftpgram:update:{update_id}"
        if not await self._redis.set(key, b"handling", nx=True, ex=self.HANDLING):
            if await self._redis.get(key) == b"handled":
                return web.Response(status=200)
            return web.Response(status=503, headers={"Retry-After": "5"})
        try:
            response = await run()
        except BaseException:
            await asyncio.shield(self._redis.delete(key))
            raise
        if response.status == 200:
            await self._redis.set(key, b"handled", ex=self.HANDLED)
        else:
            await self._redis.delete(key)
        return response


class BotProbe:
    """Answers "is Telegram reachable with our token", asking at most every `ttl` seconds."""

    def __init__(self, bot: Bot, ttl: float = 30.0) -> None:
        self.bot = bot
        self.ttl = ttl
        self._checked_at = 0.0
        self._ok = False

    def record(self, ok: bool) -> None:
        self._ok = ok
        self._checked_at = time.monotonic()

    async def __call__(self) -> bool:
        if time.monotonic() - self._checked_at > self.ttl:
            try:
                await self.bot.get_me(request_timeout=5)
                self.record(True)
            except (TelegramAPIError, TelegramNetworkError, TimeoutError) as exc:
                log.warning("Telegram is not reachable: %s", exc)
                self.record(False)
        return self._ok
