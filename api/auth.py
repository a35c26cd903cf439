"""Who is asking: every endpoint declares its access rule, and `guard` enforces it before the
handler runs, so no route can forget the check.

Credentials: `Authorization: Bearer <token>`, or the same token in the `ftpgram_session` cookie
(HttpOnly, SameSite=Lax, set by the web pages). Cookie-authenticated requests that change state
must come from our own origin (CSRF).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal
from urllib.parse import urlsplit

from aiohttp import web

from api.keys import BOT_TOKEN_KEY, TOKEN_KEY, USER_KEY, services_of
from services.errors import Forbidden, Unauthorized
from services.logs import log_context

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Auth = Literal["none", "user", "admin", "bot"]
SESSION_COOKIE = "ftpgram_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request: web.Request) -> set[str]:
    """The origins our own pages come from: requests that use the cookie must come from them."""
    return {
        _origin_of(services_of(request).settings.base_url),
        f"{request.scheme}://{request.host}".lower(),
    }


def presented_token(request: web.Request) -> str:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(
                "Send your access token as 'Authorization: Bearer <token>'.", code="missing_token"
            )
        return token.strip()
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("Origin")
            if origin is None or origin.lower() not in allowed_origins(request):
                raise Forbidden("Cross-site request refused.", code="csrf")
        return cookie
    raise Unauthorized(
        "Send your access token as 'Authorization: Bearer <token>'.", code="missing_token"
    )


def guard(handler: Handler, auth: Auth) -> Handler:
    if auth == "none":
        return handler

    if auth == "bot":
        return _bot_guard(handler)

    async def guarded(request: web.Request) -> web.StreamResponse:
        token = presented_token(request)
        user = await services_of(request).auth.authenticate(token)
        if auth == "admin" and not user.is_admin:
            raise Forbidden("Only administrators may do this.", code="admin_only")
        request[USER_KEY] = user
        request[TOKEN_KEY] = token
        with log_context(user_id=user.id):
            return await handler(request)

    guarded.__name__ = handler.__name__
    return guarded


def _bot_guard(handler: Handler) -> Handler:
    """Routes an external app reaches with a bot token (never with a cookie)."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(
                "Send the bot token as 'Authorization: Bearer <bot token>'.", code="missing_token"
            )
        bot_token = await services_of(request).messaging.authenticate(token.strip())
        request[BOT_TOKEN_KEY] = bot_token
        with log_context(user_id=bot_token.user_id):
            return await handler(request)

    guarded.__name__ = handler.__name__
    return guarded
