"""Typed keys for what the app and requests carry."""

from __future__ import annotations

from aiohttp import web

from services.accounts.users import UserView
from services.container import Services
from services.messaging.service import BotTokenView

SERVICES = web.AppKey("services", Services)
# Set on the request by `api.auth` once the caller is known.
USER_KEY = web.RequestKey("user", UserView)
TOKEN_KEY = web.RequestKey("token", str)
BOT_TOKEN_KEY = web.RequestKey("bot_token", BotTokenView)


def services_of(request: web.Request) -> Services:
    return request.app[SERVICES]


def user_of(request: web.Request) -> UserView:
    return request[USER_KEY]
