"""Who is asking: every endpoint declares its access rule, and `guard` enforces it before the
handler runs, so no route can forget the check.

Credentials: `Authorization: Bearer <token>`, or the same token in the `ftpgram_session` cookie
(HttpOnly, SameSite=Lax, set by the web pages). Cookie-authenticated requests that change state
must come from our own origin (CSRF). That includes the few older GET routes that change
something (`/api/v1/users/select_station/`): SameSite=Lax sends the cookie along with a link another
site shows, so such a GET is taken with the cookie only when the browser says it came from one of
our own pages (`Sec-Fetch-Site: same-origin`, or our `Origin`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal
from urllib.parse import urlsplit

from aiohttp import web

from api.keys import BOT_TOKEN_KEY, TOKEN_KEY, USER_KEY, services_of
from services.core.errors import Forbidden, Unauthorized
from services.core.logs import log_context

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


def _from_our_pages(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() in allowed_origins(request)
    # A GET carries no Origin; browsers name where it came from in Sec-Fetch-Site.
    return (
        request.method in SAFE_METHODS
        and request.headers.get("Sec-Fetch-Site", "").lower() == "same-origin"
    )


def presented_token(request: web.Request, changes_state: bool = False) -> str:
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
        if (changes_state or request.method not in SAFE_METHODS) and not _from_our_pages(request):
            raise Forbidden("Cross-site request refused.", code="csrf")
        return cookie
    raise Unauthorized(
        "Send your access token as 'Authorization: Bearer <token>'.", code="missing_token"
    )


def guard(handler: Handler, auth: Auth, changes_state: bool = False) -> Handler:
    """`changes_state` marks a GET that changes something (never needed for other methods)."""
    if auth == "none":
        return handler

    if auth == "bot":
        return _bot_guard(handler)

    async def guarded(request: web.Request) -> web.StreamResponse:
        token = presented_token(request, changes_state)
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
