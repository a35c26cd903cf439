"""Building the bot and dispatcher, the command menu, the webhook route, and the bot probe."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

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


def create_dispatcher(services: Services, i18n: I18n | None = None) -> Dispatcher:
    i18n = i18n or create_i18n()
    dispatcher = Dispatcher(services=services, i18n=i18n)
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
    app: web.Application, dispatcher: Dispatcher, bot: Bot, settings: Settings
) -> str:
    """Serve Telegram's webhook calls at the path of WEBHOOK_URL; returns that path."""
    _, path = webhook_target(settings)
    SimpleRequestHandler(dispatcher, bot, secret_token=webhook_secret(settings)).register(
        app, path=path
    )
    return path


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
