"""Who is asking: every endpoint declares its access rule, and `guard` enforces it before the
handler runs, so no route can forget the check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from aiohttp import web

from api.keys import USER_KEY, services_of
from services.errors import Forbidden, Unauthorized
from services.logs import log_context

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Auth = Literal["none", "user", "admin"]


def bearer_token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "Send your access token as 'Authorization: Bearer <token>'.", code="missing_token"
        )
    return token.strip()


def guard(handler: Handler, auth: Auth) -> Handler:
    if auth == "none":
        return handler

    async def guarded(request: web.Request) -> web.StreamResponse:
        user = await services_of(request).auth.authenticate(bearer_token(request))
        if auth == "admin" and not user.is_admin:
            raise Forbidden("Only administrators may do this.", code="admin_only")
        request[USER_KEY] = user
        with log_context(user_id=user.id):
            return await handler(request)

    guarded.__name__ = handler.__name__
    return guarded
